"""Write the hostile register tables: broken the ways files break on their way through mail,
Excel and scripts. Each file is the activities table of tests/data/registers/clean (ids C1, C2,
P1) with one thing wrong; the tests copy the clean register and put one file in its place.

Run from the repository root: ``.venv/bin/python tests/hostile/data/tables/make_files.py``.
The files are committed (all small); this script says how each was made.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import yaml
from openpyxl import Workbook

HERE = Path(__file__).resolve().parent
CLEAN = HERE.parents[2] / "data" / "registers" / "clean" / "activities.csv"


def rows() -> list[list[str]]:
    return list(csv.reader(io.StringIO(CLEAN.read_text(encoding="utf-8"), newline="")))


def text(records: list[list[str]], delimiter: str = ",", newline: str = "\n") -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator=newline).writerows(records)
    return out.getvalue()


def main() -> None:
    records = rows()
    lines = text(records).split("\n")

    # a quote opens C1's name and is never closed: C2 and P1 are swallowed into that cell
    broken = list(lines)
    broken[1] = broken[1].replace(",Appointments,", ',"Appointments,', 1)
    (HERE / "unclosed-quote.csv").write_text("\n".join(broken), encoding="utf-8")

    # the same quote, closed by the quote that opens a later cell: C2 vanishes, the width fits
    later = [list(r) for r in records]
    later[3][1] = "Lab results, storage"  # written quoted
    quoted = text(later).split("\n")
    quoted[1] = quoted[1].replace(",Appointments,", ',"Appointments,', 1)
    (HERE / "quote-closed-later.csv").write_text("\n".join(quoted), encoding="utf-8")

    # a quote in the header itself
    head = list(lines)
    head[0] = head[0].replace(",name,", ',"name,', 1)
    (HERE / "unclosed-quote-header.csv").write_text("\n".join(head), encoding="utf-8")

    # delimiters: tab, pipe; Excel's "Unicode text" (UTF-16 LE with its mark, tabs, CRLF)
    (HERE / "tab-separated.csv").write_text(text(records, "\t"), encoding="utf-8")
    (HERE / "pipe-separated.csv").write_text(text(records, "|"), encoding="utf-8")
    accented = [list(r) for r in records]
    accented[2][1] = "Nieuwsbrief für Patiënten"
    (HERE / "utf16-unicode-text.csv").write_bytes(
        b"\xff\xfe" + text(accented, "\t", "\r\n").encode("utf-16-le"))
    (HERE / "utf32-bom.csv").write_bytes(b"\xff\xfe\x00\x00" + text(accented, ";").encode("utf-32-le"))

    # a legacy Windows-1252 file (Excel's "CSV" in Western Europe), semicolons
    legacy = [list(r) for r in records]
    legacy[1][1] = "Rendez-vous médicaux – fiche n°3"
    legacy[2][1] = "Lettre d'information (€ 0,00)"
    (HERE / "cp1252-semicolon.csv").write_bytes(text(legacy, ";").encode("cp1252"))

    # UTF-8 with accents, and one line pasted from a Windows-1252 program (one bad byte)
    mixed = [list(r) for r in records]
    mixed[1][1] = "Afspraken für Patiënten"
    data = text(mixed).encode("utf-8")
    data = data.replace(b"Newsletter", b"Nieuwsbrief caf\xe9", 1)
    (HERE / "invalid-byte.csv").write_bytes(data)

    # a binary file under a .csv name (a ZIP archive's first bytes)
    (HERE / "binary.csv").write_bytes(b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00" + bytes(range(256)))

    # ids that differ only by invisible characters, and one that holds a direction override
    ids = [list(r) for r in records]
    ids[2][0] = "C\u200b1"
    ids[3][0] = "P\u202e1"
    (HERE / "invisible-ids.csv").write_text(text(ids), encoding="utf-8")

    # activities.yaml with a key given twice inside an activity, and the list itself given twice
    header = records[0]
    acts = [dict(zip(header, r, strict=True)) for r in records[1:]]
    body = yaml.safe_dump({"activities": acts}, sort_keys=False, allow_unicode=True)
    body = body.replace("  name: Newsletter\n", "  name: Newsletter\n  name: Newsletter (old)\n", 1)
    (HERE / "duplicate-key.yaml").write_text(body, encoding="utf-8")
    first = yaml.safe_dump({"activities": acts[:2]}, sort_keys=False, allow_unicode=True)
    second = yaml.safe_dump({"activities": acts[2:]}, sort_keys=False, allow_unicode=True)
    (HERE / "duplicate-list.yaml").write_text(first + second, encoding="utf-8")

    # a workbook written by a program that never calculated it (openpyxl stores no values):
    # C2's id is a formula, and the row after P1 is formulas only
    wb = Workbook()
    ws = wb.active
    ws.title = "activities"
    for r in records:
        ws.append(r)
    ws["A3"] = '="C"&2'
    ws.append(['="X"&9', '=UPPER("lost activity")', '="controller"'])
    wb.save(HERE / "formulas.xlsx")


if __name__ == "__main__":
    main()
