"""Reading a CSV file as a spreadsheet writes it: its encoding, its delimiter (``,``, ``;``,
tab or ``|``), cells over several lines, and rows swallowed by a quote that is never closed,
which are read again with the quote as a plain character and reported.
"""

from __future__ import annotations

import bisect
import csv
import io
import itertools
import re
from pathlib import Path
from typing import Any

import numpy as np

from ..core.errors import RegisterLoadError
from ..core.limits import limit_message, limits, read_limited
from ..core.text import decode_text

__all__ = ["detect_delimiter", "read_csv", "split_records"]


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


def detect_delimiter(text: str) -> str:
    """The table's delimiter (``,``, ``;``, tab or ``|``).

    :class:`csv.Sniffer` judges the first 4 KiB (its quote-matching is quadratic in the sample,
    so the sample is kept short); every candidate is also tried on the first 64 KiB, and the
    Sniffer's choice stands unless another candidate gives more rows the header's width.

    Example:
        >>> detect_delimiter("activity_id\\tname\\nA1\\tPayroll; HR\\n")
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


def split_records(text: str, delimiter: str, path: Path) -> tuple[list[list[str]], np.ndarray]:
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


def read_csv(path: Path) -> tuple[list[str], list[list[str]], list[int], list[dict]]:
    """Header, rows, the line each row starts on, and what could not be read as it stands
    (finding rows, each with its ``code``)."""
    text, problems = _text_of(path)
    delimiter = detect_delimiter(text)
    records, starts = split_records(text, delimiter, path)
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
