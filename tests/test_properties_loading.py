"""Any CSV text, however broken, either loads or raises RegisterLoadError, and loses no row.

Three sources of broken files: raw bytes; CSV-like text built from cells, quotes, delimiters,
NULs and line breaks in several encodings; and valid register files from ropa.testing with
damage done to them (quotes, cells, lines, bytes, encodings).
"""

from __future__ import annotations

import csv
import io
import re
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

import ropa
from ropa.register.columns import (
    ACTIVITY_COLUMNS,
    ACTIVITY_LIST_COLUMNS,
    RECIPIENT_COLUMNS,
    heading_tables,
)
from ropa.testing import register_files
from tests.conftest import AS_OF


def _scaled(fraction: float, floor: int = 3) -> settings:
    """A share of the profile's examples for the slower properties."""
    return settings(max_examples=max(floor, round(settings.default.max_examples * fraction)))


ORGANISATION = b"name: Example\ncontroller: {name: Example B.V., email: privacy@example.org}\ndpo: {designated: false}\n"

# -- an independent count of the records in a file ------------------------------------------


def _record_starts(data: bytes) -> list[int] | None:
    """The lines on which the non-blank CSV records after the header start, read the way the
    register format is defined: the text as ``ropa.core.text.decode_text`` gives it (None when it
    refuses the bytes), the delimiter the loader detects (detection itself is checked against
    known files in test_properties_dialects.py), quotes as the csv module reads them."""
    from ropa.core.text import decode_text
    from ropa.register.csvfile import detect_delimiter

    try:
        text, _ = decode_text(data, "activities.csv")
    except ropa.InputError:
        return None
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=detect_delimiter(text), strict=False)
    starts, start = [], 1
    for record in reader:
        if any(c.strip() for c in record):
            starts.append(start)
        start = reader.line_num + 1
    return starts[1:]


def _records(data: bytes) -> int:
    """How many non-blank CSV records follow the header (see :func:`_record_starts`)."""
    return len(_record_starts(data) or [])


_SPAN = re.compile(r"swallowed lines? (?:(\d+)-)?(\d+)")


def _load_and_account(files: dict[str, bytes], target: str) -> None:
    """Load the folder; either RegisterLoadError naming ``target``, or every record accounted
    for: each record loaded, or reported unreadable, or inside the lines an unclosed quote had
    swallowed (which were read again, their rows loaded or reported in their turn)."""
    with tempfile.TemporaryDirectory() as tmp:
        for name, data in files.items():
            (Path(tmp) / name).write_bytes(data)
        try:
            reg = ropa.load_register(tmp)
        except ropa.RegisterLoadError as exc:
            assert exc.path and Path(exc.path).name in files, str(exc)
            return
    table = reg.activities if target.startswith("activities") else reg.recipients
    mine = reg.load_findings[reg.load_findings["file"].str.endswith(target)]
    unreadable = mine[mine["code"] == "unreadable-row"]
    loaded_rows = set(table.index)
    bad_rows = set(unreadable["row"].astype(int))
    assert not loaded_rows & bad_rows, "a row both loaded and reported unreadable"
    assert len(loaded_rows) == len(table), "two loaded rows claim the same line"
    spans = []
    for row, evidence in mine.loc[mine["code"] == "unclosed-quote", ["row", "evidence"]].itertuples(index=False):
        m = _SPAN.search(evidence)
        spans.append((int(row), int(m[2]) if m else int(row)))
    starts = _record_starts(files[target])
    assert starts is not None, "the loader read bytes the decoder refuses"
    lost = [line for line in starts if line not in loaded_rows and line not in bad_rows
            and not any(first <= line <= last for first, last in spans)]
    assert not lost, f"records on lines {lost} neither loaded nor reported"
    if not spans:
        assert len(table) + len(unreadable) == len(starts)
    # the tables keep their shape whatever came in
    canonical = ACTIVITY_COLUMNS if target.startswith("activities") else RECIPIENT_COLUMNS
    assert list(table.columns[: len(canonical)]) == list(canonical)
    for col in ACTIVITY_LIST_COLUMNS if target.startswith("activities") else ():
        assert table[col].map(lambda cell: isinstance(cell, list) and all(isinstance(v, str) and v and v == v.strip()
                                                                            for v in cell)).all()
    findings = ropa.check_register(reg, as_of=AS_OF)
    assert list(findings.columns) == list(ropa.FINDING_COLUMNS)


def _folder(target: str, data: bytes) -> dict[str, bytes]:
    files = {"organisation.yaml": ORGANISATION, "activities.csv": b"activity_id,name,role\n"}
    files[target] = data
    return files


# -- raw bytes --------------------------------------------------------------------------------

@given(st.binary(max_size=600), st.sampled_from(["activities.csv", "recipients.csv"]))
def test_any_bytes_load_or_raise_the_documented_error(data, target):
    _load_and_account(_folder(target, data), target)


# -- CSV-like text --------------------------------------------------------------------------

_HEADINGS = st.sampled_from(list(ACTIVITY_COLUMNS) + list(RECIPIENT_COLUMNS) + list(heading_tables().ico)[:6]
                            + ["id", "Activity", "", "row", "column_2", "Nom du traitement", "activity_id"])
_CELL_CHARS = st.sampled_from([*list("ab;,\"' \n\r\t\x00=é€"), "\ufeff", "\u2028", "\x85"]) | st.characters()
_CELL = st.one_of(st.text(_CELL_CHARS, max_size=12), st.sampled_from(["controller", "P7Y", "user.contact.email",
                                                                       "none", "2026-01-01", "true"]))


@st.composite
def csv_texts(draw) -> bytes:
    """Text shaped like CSV: a header of known and odd headings, then rows of any width,
    quoted or not, joined by , or ; and any line ending, in one of several encodings."""
    delimiter = draw(st.sampled_from([",", ";", ",", "\t"]))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r", "\n"]))
    header = draw(st.lists(_HEADINGS, min_size=0, max_size=10))
    width = len(header)
    rows = draw(st.lists(st.lists(_CELL, min_size=max(width - 2, 0), max_size=width + 2), max_size=6))

    def cell(value: str) -> str:
        if draw(st.integers(0, 3)) == 0:
            return value  # unquoted, whatever it holds
        return '"' + value.replace('"', '""') + '"'

    lines = [delimiter.join(cell(h) for h in header)] + [delimiter.join(cell(c) for c in r) for r in rows]
    text = newline.join(lines) + draw(st.sampled_from(["", newline]))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16"]))
    return text.encode(encoding, errors="replace")


@given(csv_texts(), st.sampled_from(["activities.csv", "recipients.csv"]))
def test_csv_like_text_loads_or_raises_the_documented_error(data, target):
    _load_and_account(_folder(target, data), target)


# -- valid files, damaged -------------------------------------------------------------------

@st.composite
def damaged(draw, data: bytes) -> bytes:
    """``data`` with one to four kinds of damage a file meets on its way through mail and Excel."""
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["byte", "quote", "delete", "nul", "truncate", "cells", "line",
                                     "encoding", "bom", "delimiter", "newline"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if kind == "byte":
            data = data[:at] + bytes([draw(st.integers(0, 255))]) + data[at:]
        elif kind == "quote":
            data = data[:at] + b'"' + data[at:]
        elif kind == "delete":
            data = data[:at] + data[at + draw(st.integers(1, 20)):]
        elif kind == "nul":
            data = data[:at] + b"\x00" + data[at:]
        elif kind == "truncate":
            data = data[:at]
        elif kind == "cells":
            lines = data.split(b"\n")
            i = draw(st.integers(0, len(lines) - 1))
            lines[i] += draw(st.sampled_from([b",extra", b",,", b',"x"', b",;"]))
            data = b"\n".join(lines)
        elif kind == "line":
            lines = data.split(b"\n")
            i = draw(st.integers(0, len(lines) - 1))
            lines.insert(i, lines[draw(st.integers(0, len(lines) - 1))])
            data = b"\n".join(lines)
        elif kind == "encoding":
            text = data.decode("utf-8", errors="replace")
            data = text.encode(draw(st.sampled_from(["cp1252", "latin-1", "utf-16"])), errors="replace")
        elif kind == "bom":
            data = b"\xef\xbb\xbf" + data
        elif kind == "delimiter":
            data = data.replace(b",", b";")
        else:
            data = data.replace(b"\n", b"\r\n")
    return data


@_scaled(0.5)
@given(register_files(max_activities=5, as_of=AS_OF).flatmap(
    lambda files: st.tuples(st.just(files), st.sampled_from(["activities.csv", "recipients.csv"]))
    .flatmap(lambda ft: st.tuples(st.just(ft[0]), st.just(ft[1]), damaged(ft[0][ft[1]])))))
def test_damaged_register_files_load_or_raise_the_documented_error(case):
    files, target, data = case
    _load_and_account({**files, target: data}, target)


@_scaled(0.25)
@given(register_files(max_activities=6, as_of=AS_OF))
def test_undamaged_files_lose_nothing(files):
    with tempfile.TemporaryDirectory() as tmp:
        for name, data in files.items():
            (Path(tmp) / name).write_bytes(data)
        reg = ropa.load_register(tmp)
    assert reg.load_findings.empty
    assert len(reg.activities) == _records(files["activities.csv"])
    assert len(reg.recipients) == _records(files["recipients.csv"])


@given(csv_texts())
def test_each_record_is_numbered_by_the_line_it_starts_on(data):
    """The loader numbers records without counting lines one by one when it can; the numbers
    must be those a line-by-line count gives."""
    from ropa.register.csvfile import split_records

    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    text = text.replace("\x00", "")
    delimiter = ";" if text.split("\n", 1)[0].count(";") > text.split("\n", 1)[0].count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    expected, start = [], 1
    try:
        for _ in reader:
            expected.append(start)
            start = reader.line_num + 1
    except csv.Error:
        return
    records, starts = split_records(text, delimiter, Path("activities.csv"))
    assert starts.tolist() == expected
    assert len(records) == len(expected)
