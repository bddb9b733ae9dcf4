"""Reading and writing a register folder.

A register folder holds organisation.yaml, activities (.csv, .xlsx or .yaml),
recipients.csv, an optional taxonomy.yaml and the policy versions in policies/. Every row
of every file ends up either in the Register's tables or in a finding naming its file,
line and column (see ``Register.load_findings``).
"""

from __future__ import annotations

import bisect
import csv
import html
import io
import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from ..core.errors import RegisterLoadError, TaxonomyError, UsageError
from ..core.findings import findings_frame, make_findings
from ..core.limits import check_size, limit_message, limits, read_limited
from ..core.paths import confine
from ..core.taxonomy import Taxonomy, default_taxonomy
from ..core.text import decode_text
from ..core.yamlio import duplicate_key_findings, duplicate_key_rows, read_yaml
from .columns import (
    ACTIVITY_COLUMNS,
    ACTIVITY_LIST_COLUMNS,
    RECIPIENT_COLUMNS,
    RECIPIENT_LIST_COLUMNS,
    TAXONOMY_LIST_COLUMNS,
    heading_field,
    heading_tables,
    normalise_heading,
)
from .organisation import read_organisation

__all__ = ["Register", "load_register", "write_register"]

_POLICY_FILE = re.compile(r"^(?P<version>\d{4}-\d{2}-\d{2})(?P<suffix>\.flows\.yaml|\.md|\.txt|\.html?|\.markdown)$")


@dataclass
class Register:
    """A register of processing activities, as loaded from a folder or built in code.

    Attributes:
        organisation: the contents of organisation.yaml (controller, DPO, representative,
            joint controllers, role, employee count, supervisory authority).
        activities: one row per processing activity, canonical columns, list cells as lists.
            The index is the row's line number in its source file.
        recipients: one row per named recipient.
        taxonomy: the default taxonomy extended by taxonomy.yaml, with the recipients
            added as entities under their categories.
        path: the folder it was loaded from, if any.
        files: every input file read, by role (``activities``, ``recipients``, ...).
        load_findings: rows and columns that could not be loaded as they stand.

    Example:
        >>> import ropa
        >>> reg = ropa.load_register("registers/pro-at")
        >>> reg.activities.loc[:, ["activity_id", "name"]].head(2)  # doctest: +SKIP

    .. versionadded:: 0.1
    """

    organisation: dict[str, Any]
    activities: pd.DataFrame
    recipients: pd.DataFrame
    taxonomy: Taxonomy = field(default_factory=default_taxonomy)
    path: Path | None = None
    files: dict[str, str] = field(default_factory=dict)
    load_findings: pd.DataFrame = field(default_factory=findings_frame)

    @property
    def name(self) -> str:
        """The organisation's name."""
        org = self.organisation or {}
        ctrl = org.get("controller") or {}
        return str(org.get("name") or ctrl.get("name") or (self.path.name if self.path else "register"))

    def policy_files(self) -> pd.DataFrame:
        """The policy versions in ``policies/``: version, text file and reviewed flows file
        (``None`` where a version has only one of them).

        Raises:
            RegisterLoadError: a file in ``policies/`` is a symbolic link that leads out of the
                register folder (and out of every trusted folder): it is not read.
        """
        from ..core.paths import confine

        rows: dict[str, dict[str, Any]] = {}
        folder = self.path / "policies" if self.path else None
        if folder and folder.is_dir():
            for item in sorted(folder.iterdir()):
                m = _POLICY_FILE.match(item.name)
                if not m:
                    continue
                confine(item, [self.path], error=RegisterLoadError)
                entry = rows.setdefault(m["version"], {"version": m["version"], "text": None, "flows": None})
                entry["flows" if m["suffix"] == ".flows.yaml" else "text"] = str(item)
        # object columns: a missing file is None (pandas' string columns would make it NaN)
        frame = pd.DataFrame(list(rows.values()), columns=["version", "text", "flows"], dtype=object)
        return frame.sort_values("version").reset_index(drop=True)

    def _repr_html_(self) -> str:
        head = self.activities.loc[:, ["activity_id", "name", "role", "purposes", "recipients"]].head(20)
        title = html.escape(f"Register of {self.name}: {len(self.activities)} activities, "
                            f"{len(self.recipients)} recipients")
        return f"<div><strong>{title}</strong>{head.to_html(index=False, escape=True)}</div>"

    def __repr__(self) -> str:
        return f"<Register {self.name!r}: {len(self.activities)} activities, {len(self.recipients)} recipients>"


# -- parsing cells ------------------------------------------------------------------------

def _newlines(text: str) -> str:
    """Line breaks inside a cell as ``\\n``, whatever the file used (Excel keeps no ``\\r``)."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def _split_list(raw: str) -> list[str]:
    return [part.strip() for part in _newlines(raw).split(";") if part.strip()]


def _all_str(values: np.ndarray) -> bool:
    return pd.api.types.infer_dtype(values, skipna=False) in ("string", "empty")


def _listify(series: pd.Series) -> pd.Series:
    """Turn a column of ``;``-separated strings (or lists) into a column of lists.

    Each distinct cell value is parsed once and broadcast back; every cell gets a list of
    its own.
    """
    values = series.to_numpy(dtype=object)
    if _all_str(values):
        codes, uniques = pd.factorize(values)
        parsed = np.empty(len(uniques), dtype=object)
        for i, unique in enumerate(uniques):
            parsed[i] = _split_list(unique)
        cells = np.empty(len(values), dtype=object)
        cells[:] = list(map(list, parsed[codes]))
        return pd.Series(cells, index=series.index, dtype=object, copy=False)
    out = []
    cache: dict[str, list[str]] = {}
    for value in values:
        if isinstance(value, list | tuple):
            out.append([_newlines(str(v)).strip() for v in value if str(v).strip()])
            continue
        key = "" if value is None or (isinstance(value, float) and value != value) else str(value)
        cached = cache.get(key)
        if cached is None:
            cached = cache[key] = _split_list(key)
        out.append(list(cached))
    return pd.Series(out, index=series.index, dtype=object)


def _textify(series: pd.Series) -> pd.Series:
    """A column as stripped text (dtype ``str``): dates, booleans and numbers from YAML or
    Excel written the way the register format writes them."""
    values = series.to_numpy(dtype=object)
    if _all_str(values):
        text = pd.Series(values, index=series.index, dtype=object).map(str.strip).astype("str")
    else:
        text = series.map(_as_text).astype("str")
    if text.str.contains("\r", regex=False).any():
        text = text.str.replace("\r\n", "\n", regex=False).str.replace("\r", "\n", regex=False)
    return text


def _as_text(value: Any) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return ";".join(str(v) for v in value)
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    return str(value).strip()


# -- reading tables -----------------------------------------------------------------------

#: Delimiters a register table may use: a spreadsheet's "CSV" is `,` or, in locales that
#: write decimal commas, `;`; "Text (tab-delimited)" and "Unicode text" use tabs.
_DELIMITERS = ",;\t|"
#: Characters of a table the delimiter is judged on.
_SNIFF_CHARS = 64 * 1024
#: Stands for a quote read as a plain character while a span is read again (NUL never
#: reaches the csv reader: decode_text refuses text holding one).
_LITERAL_QUOTE = "\x00"
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _text_of(path: Path) -> tuple[str, list[dict[str, Any]]]:
    """A table file's text (within ``max_file_bytes``), and its decoding problems as findings."""
    data = read_limited(path, RegisterLoadError)
    text, problems = decode_text(data, path, error=RegisterLoadError)
    codes = {"bad-bytes": "invalid-bytes", "encoding-guessed": "encoding-guessed"}
    return text, [{"code": codes[p.kind], "file": str(path), "row": p.line, "evidence": p.evidence}
                  for p in problems]


def _consistency(sample: str, delimiter: str, cut: bool) -> tuple[bool, float, int]:
    """How well ``delimiter`` splits the sample: does the header have more than one column, the
    share of rows with the header's width, and the header's width."""
    records = [r for r in csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter, strict=False)
               if any(c.strip() for c in r)]
    if cut and len(records) > 2:
        records = records[:-1]  # the sample may end inside the last record
    if not records:
        return False, 0.0, 0
    width = len(records[0])
    rows = records[1:]
    share = sum(1 for r in rows if _fits(r, width)) / len(rows) if rows else 1.0
    return width > 1, share, width


def _delimiter(text: str) -> str:
    """The table's delimiter (``,``, ``;``, tab or ``|``).

    :class:`csv.Sniffer` judges the first 4 KiB (its quote-matching is quadratic in the sample,
    so the sample is kept short); every candidate is also tried on the first 64 KiB, and the
    Sniffer's choice stands unless another candidate gives more rows the header's width.

    Example:
        >>> _delimiter("activity_id\\tname\\nA1\\tPayroll; HR\\n")
        '\\t'
    """
    sample = text[:_SNIFF_CHARS]
    cut = len(text) > len(sample)
    if cut and "\n" in sample:
        sample = sample[: sample.rindex("\n") + 1]
    short = sample[:4096]
    if len(sample) > len(short) and "\n" in short:
        short = short[: short.rindex("\n") + 1]
    try:
        sniffed = csv.Sniffer().sniff(short, delimiters=_DELIMITERS).delimiter
    except csv.Error:
        sniffed = ""
    scores = {d: _consistency(sample, d, cut) for d in _DELIMITERS}
    best = max(scores.values())
    if sniffed in scores and scores[sniffed] == best:
        return sniffed
    return next(d for d in _DELIMITERS if scores[d] == best)


def _allow_cells_of(chars: int) -> None:
    """Let the csv module read cells of up to ``chars`` characters (its default stops at
    128 KiB and rejects the whole file). Cells over ``max_cell_chars`` are reported after
    reading. The limit is process-wide, so it is only ever raised."""
    if csv.field_size_limit() < chars:
        csv.field_size_limit(chars)


def _records(text: str, delimiter: str, path: Path) -> tuple[list[list[str]], np.ndarray]:
    """Every CSV record and the line it starts on.

    The records are read in one pass of the csv module. When no cell spans lines and no
    line ends in a lone carriage return (nearly every file), record *i* starts on line
    *i + 1*; otherwise the lines are counted record by record. A header wider than
    ``max_columns`` is refused before the rest of the file is read.
    """
    _allow_cells_of(len(text) + 1)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    records: list[list[str]] = []
    try:
        for record in reader:  # the blank lines before the header, and the header
            records.append(record)
            if any(cell.strip() for cell in record):
                if len(record) > limits().max_columns:
                    raise RegisterLoadError(limit_message(
                        "max_columns", f"the header has {len(record):,} columns"), str(path), reader.line_num)
                break
        records.extend(reader)
    except csv.Error as exc:
        raise RegisterLoadError(f"is not valid CSV: {exc}", str(path), reader.line_num) from None
    physical = text.count("\n") + (1 if text and not text.endswith("\n") else 0)
    if len(records) == physical and text.count("\r") == text.count("\r\n"):
        return records, np.arange(1, len(records) + 1)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    starts, start = [], 1
    for _ in reader:
        starts.append(start)
        start = reader.line_num + 1
    return records, np.asarray(starts, dtype=np.int64)


def _fits(record: list[str], width: int) -> bool:
    """Does the record have the header's width (empty cells past it allowed)?"""
    return len(record) == width or (len(record) > width and not any(c.strip() for c in record[width:]))


def _open_quote(line: str, delimiter: str) -> tuple[int, int] | None:
    """The position of the quote that opens a cell still open at the end of ``line``, and the
    cell's index, as the csv module reads the line; None when every cell closes."""
    state, cell, opened = "start", 0, None
    for i, ch in enumerate(line):
        if state == "start":
            if ch == '"':
                state, opened = "quoted", (i, cell)
            elif ch == delimiter:
                cell += 1
            else:
                state = "plain"
        elif state == "plain":
            if ch == delimiter:
                state, cell = "start", cell + 1
        elif state == "quoted":
            if ch == '"':
                state = "quote"
        elif ch == '"':  # a doubled quote inside a quoted cell
            state = "quoted"
        elif ch == delimiter:
            state, cell = "start", cell + 1
        else:
            state = "plain"
    return opened if state == "quoted" else None


def _may_hide_rows(record: list[str], width: int, delimiter: str, header: bool) -> bool:
    """Could this multi-line record be rows swallowed by an unclosed quote? (A cheap test; the
    decision is made by reading the lines again.)"""
    if not header and not _fits(record, width):
        return True
    need = 1 if header else max(width - 1, 1)
    return any(("\n" in cell or "\r" in cell)
               and any(part.count(delimiter) >= need for part in _LINE_BREAK.split(cell)[1:])
               for cell in record)


def _quality(records: list[list[str]], width: int) -> int:
    """Records of the header's width, less those of another width (blank lines not counted)."""
    return sum(1 if _fits(r, width) else -1 for r in records if any(c.strip() for c in r))


def _recover_quotes(text: str, records: list[list[str]], starts: np.ndarray, delimiter: str
                    ) -> tuple[list[list[str]], np.ndarray, list[dict[str, Any]]]:
    """Rows swallowed by a quote that is never closed, read again.

    A quote that opens a cell and is never closed (or closed lines later) makes the csv
    module read every following line into that cell. For each record that runs over several
    lines and may hide rows, its lines are read again with that quote taken as a plain
    character, up to where the two readings meet again; the new reading is kept when more of
    its records have the header's width. Returns the records, their lines, and one note per
    quote taken as a plain character: its line, cell, the lines it had swallowed and the
    records now read from them.
    """
    n = len(records)
    if not n:
        return records, starts, []
    filled = [i for i, r in enumerate(records[: min(n, 1000)]) if any(c.strip() for c in r)]
    if not filled:
        return records, starts, []
    h = filled[0]
    last_breaks = any("\n" in c or "\r" in c for c in records[-1])
    multi = np.flatnonzero(np.diff(starts) > 1).tolist() + ([n - 1] if last_breaks else [])
    width = len(records[h])
    if not any(_may_hide_rows(records[i], width, delimiter, i == h) for i in multi if i >= h):
        return records, starts, []
    lines = io.StringIO(text, newline="").readlines()
    recs, sts = list(records), starts.tolist()
    notes: list[dict[str, Any]] = []
    i = h
    while i < len(recs):
        end = (sts[i + 1] - 1) if i + 1 < len(recs) else len(lines)
        spans = end > sts[i] or (i == len(recs) - 1 and any("\n" in c or "\r" in c for c in recs[i]))
        if not spans or not _may_hide_rows(recs[i], width, delimiter, i == h):
            i += 1
            continue
        at = sts[i] - 1
        quote = _open_quote(lines[at], delimiter)
        if quote is None:
            i += 1
            continue
        pos, cell = quote
        changed = lines[at][:pos] + _LITERAL_QUOTE + lines[at][pos + 1:]
        reader = csv.reader(itertools.chain([changed], itertools.islice(lines, at + 1, None)),
                            delimiter=delimiter, strict=False)
        new, new_starts, line_no, j = [], [], 0, len(recs)
        for record in reader:
            start = at + 1 + line_no
            k = bisect.bisect_left(sts, start, i + 1)
            if k < len(sts) and sts[k] == start:  # the two readings meet again
                j = k
                break
            new.append(record)
            new_starts.append(start)
            line_no = reader.line_num
        # judge the new reading on the lines the record had swallowed; a last record that runs
        # on past them is left out (another quote, judged in its turn, keeps it open)
        ends = [s - 1 for s in new_starts[1:]] + [at + line_no]
        window = [r for r, s, e in zip(new, new_starts, ends, strict=True)
                  if s <= end and (e <= end or _fits(r, width))]
        if i == h:
            better = len(window) > 1 and _quality(window[1:], len(window[0])) >= 1
        else:
            better = _quality(window, width) >= max(_quality(recs[i:i + 1], width), 1)
        if not better:
            i += 1
            continue
        new = [[c.replace(_LITERAL_QUOTE, '"') for c in r] if any(_LITERAL_QUOTE in c for c in r) else r
               for r in new]
        notes.append({"row": sts[i], "cell": cell, "through": end,
                      "swallowed": [(s, r) for s, r in zip(new_starts[1:], new[1:], strict=True)
                                    if s <= end and any(c.strip() for c in r)]})
        lines[at] = changed
        recs[i:j] = new
        sts[i:j] = new_starts
        if i == h:
            width = len(recs[h])
    return recs, np.asarray(sts, dtype=np.int64), notes


def _read_csv(path: Path) -> tuple[list[str], list[list[str]], list[int], list[dict]]:
    """Header, rows, the line each row starts on, and what could not be read as it stands
    (finding rows, each with its ``code``)."""
    text, problems = _text_of(path)
    delimiter = _delimiter(text)
    records, starts = _records(text, delimiter, path)
    records, starts, quotes = _recover_quotes(text, records, starts, delimiter)
    joined = list(map("".join, records))
    sizes = np.fromiter(map(len, joined), dtype=np.int64, count=len(joined))
    blank = sizes == 0
    blank |= np.fromiter(map(str.isspace, joined), dtype=bool, count=len(joined))
    filled = np.flatnonzero(~blank)
    if not len(filled):
        raise RegisterLoadError("is empty: expected a header row", str(path), 1)
    header = [h.strip() for h in records[filled[0]]]
    width = len(header)
    body = filled[1:]
    lengths = np.fromiter(map(len, records), dtype=np.int64, count=len(records))[body]
    keep = lengths == width
    bad = list(problems)
    for pos in np.flatnonzero(~keep):  # only the rows whose width is off
        i = body[pos]
        record = records[i]
        if _fits(record, width):
            records[i] = record[:width]
            keep[pos] = True
        else:
            through = (int(starts[i + 1]) - 1) if i + 1 < len(records) else None
            runs = f" (the row runs over lines {int(starts[i])}-{through})" if through and through > starts[i] else ""
            bad.append({"code": "unreadable-row", "file": str(path), "row": int(starts[i]),
                        "evidence": f"{len(record)} cells where the header has {width}{runs}"})
    for note in quotes:
        column = header[note["cell"]].lstrip('"') if note["cell"] < width else f"cell {note['cell'] + 1}"
        bad.append({"code": "unclosed-quote", "file": str(path), "row": note["row"], "column": column,
                    "through": note["through"], "swallowed": note["swallowed"]})
    cap = limits().max_cell_chars
    for i in np.flatnonzero(sizes > cap):  # only a row this long can hold a cell this long
        for c, cell in enumerate(records[i]):
            if len(cell) > cap:
                if i == filled[0]:
                    raise RegisterLoadError(limit_message("max_cell_chars", f"heading {c + 1} holds "
                                                          f"{len(cell):,} characters"), str(path), int(starts[i]))
                bad.append({"code": "cell-too-long", "file": str(path), "row": int(starts[i]),
                            "column": header[c] if c < width else f"cell {c + 1}",
                            "evidence": limit_message("max_cell_chars", f"the cell holds {len(cell):,} "
                                                      f"characters") + f"; it starts {cell[:40]!r}"})
                records[i][c] = ""
    rows_at = body[keep]
    rows = [records[i] for i in rows_at] if len(rows_at) < len(records) - 1 else records[1:]
    return header, rows, starts[rows_at].tolist(), bad


#: A formula element with no value after it in its cell: ``<f>..</f></c>``, ``<f>..</f><v/></c>``,
#: ``<f t="shared" si="0"/></c>`` (any namespace prefix).
_FORMULA_WITHOUT_VALUE = re.compile(
    rb"(?:</(?:\w+:)?f>|<(?:\w+:)?f\b[^>]*/>)\s*(?:<(?:\w+:)?v\s*/>|<(?:\w+:)?v>\s*</(?:\w+:)?v>)?\s*</(?:\w+:)?c>")


@dataclass
class _WorkbookSheet:
    """One worksheet's cell values, row by row (``rows[i]`` is the sheet's row ``i + 1``), and
    the cells that could not be read as they stand: formulas without a computed value (read as
    empty) and cells over ``max_cell_chars`` (left empty), as finding rows."""

    title: str
    rows: list[tuple[Any, ...]]
    problems: list[dict[str, Any]] = field(default_factory=list)


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def _check_workbook_size(path: Path) -> list[Any]:
    """Refuse a workbook over ``max_file_bytes``, or whose content unzips to more than
    ``max_unzipped_bytes`` (checked in the archive's directory, before anything is unzipped:
    a reader stops at the sizes the directory states). Returns the archive's entries."""
    import zipfile

    check_size(path, RegisterLoadError)
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise RegisterLoadError(f"is not a readable Excel workbook: {exc}", str(path)) from None
    total = sum(e.file_size for e in entries)
    if total > limits().max_unzipped_bytes:
        raise RegisterLoadError(limit_message("max_unzipped_bytes", f"unzipped, the workbook holds "
                                              f"{total:,} bytes"), str(path))
    return entries


def _has_formulas_without_values(path: Path, member: str) -> bool:
    """Does the worksheet's XML hold a formula cell with no computed value? (Read in chunks.)"""
    import zipfile

    tail = b""
    with zipfile.ZipFile(path) as archive:
        try:
            handle = archive.open(member.lstrip("/"))
        except KeyError:
            return True  # cannot tell: read the formulas
        with handle:
            while chunk := handle.read(1 << 20):
                if _FORMULA_WITHOUT_VALUE.search(tail + chunk):
                    return True
                tail = chunk[-512:]
    return False


def _collapse_formula_rows(problems: list[dict[str, Any]], rows: list[tuple[Any, ...]]) -> list[dict[str, Any]]:
    """One finding for a row whose every filled cell is a formula without a value (the row
    reads as empty and is not loaded), instead of one per cell."""
    by_row: dict[int, list[dict[str, Any]]] = {}
    for p in problems:
        by_row.setdefault(p["row"], []).append(p)
    out = []
    for number, found in by_row.items():
        if len(found) > 1 and all(v is None or v == "" for v in rows[number - 1]):
            first = found[0]
            out.append({**first, "evidence": f"{first['evidence']}; all {len(found)} filled cells of the row "
                                             f"are formulas without a value, so the row was not loaded"})
        else:
            out.extend(found)
    return out


def _read_workbook(path: Path, sheet: str | None = None, *, every_sheet: bool = False) -> list[_WorkbookSheet]:
    """The cell values of one worksheet (``sheet``, or the first) or of every worksheet,
    within the limits: the file's size, its unzipped size, ``max_columns`` (a sheet is read no
    wider than one column past it) and ``max_cell_chars``. A formula cell with no value
    computed for it (a workbook written by a program that does not calculate) reads as
    empty and is reported with its formula.

    Raises:
        RegisterLoadError: the file is too large, or not a workbook.
    """
    from openpyxl import load_workbook

    _check_workbook_size(path)
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a file that is not a workbook
        raise RegisterLoadError(f"is not a readable Excel workbook: {exc}", str(path)) from None
    formulas_wb = None
    cap_cols, cap_chars = limits().max_columns + 1, limits().max_cell_chars
    out = []
    try:
        if every_sheet:
            sheets = list(wb.worksheets)
        else:
            sheets = [wb[sheet] if sheet and sheet in wb.sheetnames else wb.worksheets[0]] if wb.worksheets else []
        for ws in sheets:
            width = min(ws.max_column or cap_cols, cap_cols)
            rows = list(ws.iter_rows(values_only=True, max_col=width))
            found = _WorkbookSheet(ws.title, rows)
            file = f"{path}:{ws.title}"
            member = getattr(ws, "_worksheet_path", None)
            if member is None or _has_formulas_without_values(path, member):
                if formulas_wb is None:
                    formulas_wb = load_workbook(path, read_only=True, data_only=False)
                texts = formulas_wb[ws.title].iter_rows(values_only=True, max_col=width)
                for r, (values, formulas) in enumerate(zip(rows, texts, strict=False)):
                    for c, formula in enumerate(formulas):
                        if c < len(values) and values[c] is None and formula is not None:
                            text = getattr(formula, "text", formula)
                            if isinstance(text, str) and not text.startswith("="):
                                continue  # a value openpyxl did not compute either way
                            found.problems.append({
                                "code": "formula-without-value", "file": file, "row": r + 1,
                                "column": _column_letter(c), "evidence": str(text)})
                found.problems = _collapse_formula_rows(found.problems, rows)
            for r, values in enumerate(rows):
                if any(isinstance(v, str) and len(v) > cap_chars for v in values):
                    cells = list(values)
                    for c, v in enumerate(cells):
                        if isinstance(v, str) and len(v) > cap_chars:
                            found.problems.append({
                                "code": "cell-too-long", "file": file, "row": r + 1, "column": _column_letter(c),
                                "evidence": limit_message("max_cell_chars", f"the cell holds {len(v):,} "
                                                          f"characters") + f"; it starts {v[:40]!r}"})
                            cells[c] = None
                    rows[r] = tuple(cells)
            out.append(found)
    finally:
        wb.close()
        if formulas_wb is not None:
            formulas_wb.close()
    return out


def _read_xlsx(path: Path, sheet: str | None) -> tuple[list[str], list[list[str]], list[int], list[dict]]:
    """Header, rows, the row number of each, and what could not be read as it stands (finding
    rows with their ``code``; ``file`` names the workbook and its sheet)."""
    sheets = _read_workbook(path, sheet)
    if not sheets:
        raise RegisterLoadError("has no worksheets", str(path))
    ws = sheets[0]
    file = f"{path}:{ws.title}"
    header: list[str] | None = None
    rows, lines, bad = [], [], []
    for number, values in enumerate(ws.rows, start=1):
        cells = [_as_text(v) for v in values]
        if not any(cells):
            continue
        if header is None:
            if len(cells) > limits().max_columns and any(cells[limits().max_columns:]):
                raise RegisterLoadError(limit_message("max_columns", "the header has more than "
                                                      f"{limits().max_columns:,} columns"), file, number)
            header = cells
            continue
        if len(cells) > len(header) and any(cells[len(header):]):
            bad.append({"file": file, "row": number,
                        "evidence": f"cells beyond the header's {len(header)} columns"})
            continue
        rows.append((cells + [""] * len(header))[: len(header)])
        lines.append(number)
    if header is None:
        raise RegisterLoadError("has no header row", file, 1)
    from openpyxl.utils import column_index_from_string

    for problem in ws.problems:  # name the column by its heading where the header has one
        col = problem["column"]
        at = column_index_from_string(col) - 1
        if at < len(header) and header[at] and problem["row"] > 0:
            problem = {**problem, "column": f"{header[at]} ({col}{problem['row']})"}
        bad.append(problem)
    return header, rows, lines, bad


def _read_yaml_table(path: Path, key: str) -> tuple[list[str], list[list[Any]], list[int], list[dict]]:
    """Header, rows, the line each row starts on, and what could not be read as it stands: items
    that are not mappings, and keys given twice (the first value is dropped by YAML)."""
    doc = read_yaml(path, error=RegisterLoadError)
    data, base = doc.data, ()
    if isinstance(data, Mapping):
        if key in data:
            data, base = data[key], (key,)
        elif "activities" in data:
            data, base = data["activities"], ("activities",)
        else:
            data = None
    if data is None:
        data = []
    if not isinstance(data, list):
        raise RegisterLoadError(f"expected a list of {key}", str(path), doc.line(base))
    header: list[str] = []
    for item in data:
        if isinstance(item, Mapping):
            for k in item:
                if str(k) not in header:
                    header.append(str(k))
    lines = [doc.line((*base, i)) or i + 1 for i in range(len(data))]
    if len(set(lines)) < len(lines):  # items sharing a line (a flow-style list): number them
        lines = list(range(1, len(data) + 1))
    rows, kept, bad = [], [], []
    for number, item in zip(lines, data, strict=True):
        if not isinstance(item, Mapping):
            bad.append({"file": str(path), "row": number, "evidence": f"a {type(item).__name__}, not a mapping"})
            continue
        rows.append([item.get(h) for h in header])
        kept.append(number)
    bad += [{"code": "duplicate-key", **row} for row in duplicate_key_rows(doc)]
    return header, rows, kept, bad


def _map_headings(header: list[str], canonical: tuple[str, ...], aliases: Mapping[str, str],
                  user: Mapping[str, str] | None, path: Path) -> tuple[list[str], list[str]]:
    """Canonical names for the header, and the headings that matched nothing."""
    user_norm = {normalise_heading(k): v for k, v in (user or {}).items()}
    canon = set(canonical)
    mapped, unknown = [], []
    for heading in header:
        norm = normalise_heading(heading)
        name = (user or {}).get(heading) or user_norm.get(norm)
        if name is None:
            name = heading_field(heading, aliases, canon)
        if name is None or name not in canon:
            unknown.append(heading)
            name = norm or f"column_{len(mapped) + 1}"
        mapped.append(name)
    seen: dict[str, int] = {}
    for i, name in enumerate(mapped):
        if name in seen:
            first = header[seen[name]]
            raise RegisterLoadError(
                f"columns {first!r} and {header[i]!r} both mean {name!r}", str(path), 1, header[i])
        seen[name] = i
    return mapped, unknown


def _ids_text(ids: list[str], most: int = 10) -> str:
    shown = ", ".join(repr(i) if i != i.strip() or not i else i for i in ids[:most])
    return shown + (f" and {len(ids) - most} more" if len(ids) > most else "")


def _problem_findings(bad: list[dict[str, Any]], id_at: int | None) -> list[pd.DataFrame]:
    """Findings from what a reader could not read as it stands, one frame per code. The rows an
    unclosed quote had swallowed are named by line and by their id (the cell under the id
    column, ``id_at``)."""
    by_code: dict[str, list[dict[str, Any]]] = {}
    for entry in bad:
        entry = dict(entry)
        code = entry.pop("code", "unreadable-row")
        if code == "unclosed-quote":
            swallowed = entry.pop("swallowed")
            through = entry.pop("through")
            if through > entry["row"]:
                ids = [r[id_at].strip() for _, r in swallowed if id_at is not None and id_at < len(r)]
                named = f" (ids {_ids_text(ids)})" if any(ids) else ""
                span = f"line {through}" if through == entry["row"] + 1 else f"lines {entry['row'] + 1}-{through}"
                entry["evidence"] = (f"it swallowed {span}{named}, which {'was' if through == entry['row'] + 1 else 'were'} "
                                     f"read again with the quote as a plain character")
            else:
                entry["evidence"] = "it runs to the end of the file; the line was read again with the quote as a plain character"
        by_code.setdefault(code, []).append(entry)
    return [make_findings(code, rows) for code, rows in by_code.items()]


def _table(path: Path, kind: str, canonical: tuple[str, ...], list_cols: frozenset[str],
           aliases: Mapping[str, str], headings: Mapping[str, str] | None,
           sheet: str | None = None) -> tuple[pd.DataFrame, list[pd.DataFrame]]:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        header, rows, lines, bad = _read_csv(path)
    elif suffix in (".xlsx", ".xlsm"):
        header, rows, lines, bad = _read_xlsx(path, sheet)
    elif suffix in (".yaml", ".yml"):
        header, rows, lines, bad = _read_yaml_table(path, kind)
    else:
        raise RegisterLoadError(f"unknown file type {suffix!r}; expected .csv, .xlsx or .yaml", str(path))
    names, unknown = _map_headings(header, canonical, aliases, headings, path)
    frame = pd.DataFrame(rows, columns=names, index=pd.Index(lines, name="row"), dtype=object)
    findings = _problem_findings(bad, names.index(canonical[0]) if canonical[0] in names else None)
    if unknown:
        findings.append(make_findings(
            "unknown-column", [{"file": str(path), "row": 1, "column": h} for h in unknown]))
    for col in canonical:
        if col not in frame:
            frame[col] = [[] for _ in range(len(frame))] if col in list_cols else ""
    extra = [c for c in frame.columns if c not in canonical]
    frame = frame.loc[:, list(canonical) + extra]
    for col in frame.columns:
        if col in list_cols:
            frame[col] = _listify(frame[col])
        else:
            frame[col] = _textify(frame[col])
    return frame, findings


def _read_activities(path: Path, headings: Mapping[str, str] | None, sheet: str | None = None):
    frame, findings = _table(path, "activities", ACTIVITY_COLUMNS, ACTIVITY_LIST_COLUMNS, heading_tables().activities,
                             headings, sheet)
    return frame, findings


def _read_recipients(path: Path | None, headings: Mapping[str, str] | None):
    if path is None:
        frame = pd.DataFrame({c: pd.Series([], dtype=object if c in RECIPIENT_LIST_COLUMNS else "str")
                              for c in RECIPIENT_COLUMNS})
        frame.index.name = "row"
        return frame, []
    return _table(path, "recipients", RECIPIENT_COLUMNS, RECIPIENT_LIST_COLUMNS,
                  heading_tables().recipients, headings)


def _find(folder: Path, stem: str, suffixes: tuple[str, ...]) -> Path | None:
    """The register folder's file ``stem`` with the first suffix present. A file that is a
    symbolic link leading out of the folder (a register unpacked from someone's archive) is
    refused, not read."""
    for suffix in suffixes:
        candidate = folder / f"{stem}{suffix}"
        if candidate.is_file():
            if candidate.is_symlink():
                confine(candidate, [folder], error=RegisterLoadError)
            return candidate
    return None


def load_register(
    path: str | Path,
    *,
    headings: Mapping[str, str] | None = None,
    taxonomy: Taxonomy | None = None,
) -> Register:
    """Read a register folder (or a single activities file) into a :class:`Register`.

    Args:
        path: a register folder holding organisation.yaml, activities.csv (or .xlsx/.yaml),
            recipients.csv and optionally taxonomy.yaml; or one activities file.
        headings: your own column headings mapped to canonical names
            (``{"Zweck": "purpose_description"}``); the ICO template's and the CNIL
            register's headings are recognised without it.
        taxonomy: the base taxonomy (default: ``ropa``'s, extended by taxonomy.yaml).

    Returns:
        The register. Rows that could not be read are in ``register.load_findings``.

    Raises:
        RegisterLoadError: a file is missing, unreadable or not of its format; the message
            names the file and, where known, the line and column.

    Example:
        >>> import ropa
        >>> reg = ropa.load_register("registers/pro-at")
        >>> len(reg.activities) > 0
        True
    """
    path = Path(path)
    if path.is_file() and path.suffix.lower() in (".xlsx", ".xlsm"):
        from . import importers as _importers

        return _importers.load_workbook_register(path, headings=headings, taxonomy=taxonomy)
    if path.is_dir() and not any((path / f"activities{s}").is_file() for s in (".csv", ".xlsx", ".yaml", ".yml")):
        from . import importers as _importers

        if _importers.looks_like_fides(path):
            return _importers.load_fides(path, taxonomy=taxonomy)
    if path.is_file():
        folder, activities_path = path.parent, path
    elif path.is_dir():
        folder = path
        activities_path = _find(folder, "activities", (".csv", ".xlsx", ".yaml", ".yml"))
        if activities_path is None:
            raise RegisterLoadError("no activities.csv, activities.xlsx or activities.yaml in the folder", str(path))
    else:
        raise RegisterLoadError("does not exist", str(path))

    org_path = _find(folder, "organisation", (".yaml", ".yml")) or _find(folder, "organization", (".yaml", ".yml"))
    rec_path = _find(folder, "recipients", (".csv", ".xlsx", ".yaml", ".yml"))
    tax_path = _find(folder, "taxonomy", (".yaml", ".yml"))

    organisation, findings = read_organisation(org_path)
    activities, act_findings = _read_activities(activities_path, headings)
    findings += act_findings
    recipients, rec_findings = _read_recipients(rec_path, headings)
    base = taxonomy or default_taxonomy()
    if tax_path is not None:
        tax_doc = read_yaml(tax_path, error=TaxonomyError)
        duplicates = duplicate_key_findings(tax_doc)
        if duplicates is not None:
            findings.append(duplicates)
        base = base.extend(tax_doc)
    files = {"activities": str(activities_path)}
    for role, p in (("organisation", org_path), ("recipients", rec_path), ("taxonomy", tax_path)):
        if p is not None:
            files[role] = str(p)
    register = Register(
        organisation=organisation,
        activities=activities,
        recipients=recipients,
        taxonomy=base.with_entities(recipients),
        path=folder if path.is_dir() else None,
        files=files,
        load_findings=findings_frame(findings + rec_findings),
    )
    register.taxonomy = _normalise_keys(register)
    return register


def _normalise_keys(register: Register) -> Taxonomy:
    """Map labels and synonyms written in taxonomy cells onto keys ('Email address' -> key)."""
    tax = register.taxonomy
    acts = register.activities
    for col, kind in TAXONOMY_LIST_COLUMNS.items():
        if col not in acts or acts.empty:
            continue
        exploded = acts[col].explode().dropna()
        if exploded.empty:
            continue
        uniques = pd.unique(exploded)
        unknown = [u for u, ok in zip(uniques, tax.known(kind, uniques), strict=True) if not ok]
        if col == "recipients":
            unknown = [u for u in unknown if u != "none"]
        mapping = {u: tax.lookup(kind, u) for u in unknown}
        mapping = {u: k for u, k in mapping.items() if k}
        if mapping:
            acts[col] = acts[col].map(lambda cell, m=mapping: [m.get(v, v) for v in cell])
    return tax


# -- writing ------------------------------------------------------------------------------

def _cell_text(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ";".join(str(v) for v in value)
    return _as_text(value)


def _csv_text(frame: pd.DataFrame) -> str:
    """A table as the text of its CSV file: list cells joined with ``;``, no index."""
    return frame.apply(lambda col: col.map(_cell_text)).to_csv(index=False, lineterminator="\n")


def write_register(register: Register, path: str | Path, *, format: str = "csv") -> Path:
    """Write a register to a folder: organisation.yaml, activities and recipients.

    ``format`` is ``csv``, ``xlsx`` or ``yaml`` (for the activities and recipients tables).
    Reading the folder back with :func:`load_register` gives an equal register.

    Raises:
        UsageError: an unknown format.
        RegisterLoadError: the register's taxonomy.yaml, to be copied, is a link that leads
            out of the register folder (and out of every trusted folder).

    Example:
        >>> import ropa, tempfile
        >>> reg = ropa.load_register("registers/pro-at")
        >>> out = ropa.write_register(reg, tempfile.mkdtemp(), format="yaml")
        >>> len(ropa.load_register(out).activities) == len(reg.activities)
        True
    """
    if format not in ("csv", "xlsx", "yaml"):
        raise UsageError(f"unknown register format {format!r}; expected csv, xlsx or yaml")
    folder = Path(path)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "organisation.yaml").write_text(
        yaml.safe_dump(register.organisation, sort_keys=False, allow_unicode=True), encoding="utf-8")
    for stem, frame in (("activities", register.activities), ("recipients", register.recipients)):
        for old in folder.glob(f"{stem}.*"):
            old.unlink()
        if format == "csv":
            (folder / f"{stem}.csv").write_text(_csv_text(frame), encoding="utf-8")
        elif format == "yaml":
            records = [
                {k: (list(v) if isinstance(v, list | tuple) else _as_text(v)) for k, v in rec.items()}
                for rec in frame.to_dict("records")
            ]
            (folder / f"{stem}.yaml").write_text(
                yaml.safe_dump({stem: records}, sort_keys=False, allow_unicode=True), encoding="utf-8")
        else:
            from openpyxl import Workbook

            wb = Workbook()
            ws = wb.active
            ws.title = stem
            ws.append(list(frame.columns))
            for rec in frame.itertuples(index=False):
                ws.append([_cell_text(v) for v in rec])
                for cell in ws[ws.max_row]:
                    if isinstance(cell.value, str) and cell.value.startswith("="):
                        cell.data_type = "s"  # text that looks like a formula stays text
            wb.save(folder / f"{stem}.xlsx")
    tax_path = register.files.get("taxonomy")
    if tax_path and Path(tax_path).resolve() != (folder / Path(tax_path).name).resolve():
        from ..core.paths import confine

        # Copied only from the register's folder (a taxonomy.yaml that is a link out of it is not).
        source = confine(tax_path, [register.path or Path(tax_path).parent], error=RegisterLoadError)
        (folder / Path(tax_path).name).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    return folder
