"""A register table (activities or recipients) read from a CSV, XLSX or YAML file: its
headings mapped onto the canonical columns, its cells as text and lists, and what could
not be read as it stands as findings.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from ..core.errors import RegisterLoadError
from ..core.findings import make_findings
from ..core.limits import limit_message, limits
from ..core.lists import first_few
from ..core.yamlio import duplicate_key_rows, read_yaml
from .cells import as_text, listify, textify
from .columns import (
    ACTIVITY_COLUMNS,
    ACTIVITY_LIST_COLUMNS,
    RECIPIENT_COLUMNS,
    RECIPIENT_LIST_COLUMNS,
    heading_field,
    heading_tables,
    normalise_heading,
)
from .csvfile import read_csv
from .freetext import dedupe
from .phrases import is_none
from .xlsxfile import read_workbook

__all__ = ["read_activities", "read_recipients"]


def _read_xlsx(path: Path, sheet: str | None) -> tuple[list[str], list[list[str]], list[int], list[dict]]:
    """Header, rows, the row number of each, and what could not be read as it stands (finding
    rows with their ``code``; ``file`` names the workbook and its sheet)."""
    sheets = read_workbook(path, sheet)
    if not sheets:
        raise RegisterLoadError("has no worksheets", str(path))
    ws = sheets[0]
    file = f"{path}:{ws.title}"
    header: list[str] | None = None
    rows, lines, bad = [], [], []
    for number, values in enumerate(ws.rows, start=1):
        cells = [as_text(v) for v in values]
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
                named = f" (ids {first_few(repr(i) if i != i.strip() or not i else i for i in ids)})" if any(ids) else ""
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
        header, rows, lines, bad = read_csv(path)
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
            frame[col] = listify(frame[col])
        else:
            frame[col] = textify(frame[col])
    for col, none in _SAYS_NONE.items():
        if col in frame and kind == "activities":
            frame[col] = _read_none(frame[col], none)
    return frame, findings


#: List columns where a part saying "nothing here" in a sentence ("No están previstas
#: transferencias") means none: dropped (countries) or read as ``none`` (recipients).
_SAYS_NONE: dict[str, str | None] = {"transfer_countries": None, "recipients": "none"}


def _read_none(cells: pd.Series, none: str | None) -> pd.Series:
    """A list column with its parts that say "nothing here" dropped, or read as ``none``."""
    parts = {p for cell in cells for p in cell}
    # longer than a country code: "NO" is Norway, "No están previstas transferencias" is none
    said = {p for p in parts if len(p) > 3 and p.lower() != "none" and is_none(p)}
    if not said:
        return cells
    return cells.map(lambda cell: dedupe((none or "") if p in said else p for p in cell))


def read_activities(path: Path, headings: Mapping[str, str] | None, sheet: str | None = None):
    """The activities table of a CSV, XLSX (``sheet``, or the first) or YAML file, and its findings."""
    frame, findings = _table(path, "activities", ACTIVITY_COLUMNS, ACTIVITY_LIST_COLUMNS, heading_tables().activities,
                             headings, sheet)
    return frame, findings


def no_recipients() -> pd.DataFrame:
    """An empty recipients table, with its columns."""
    frame = pd.DataFrame({c: pd.Series([], dtype=object if c in RECIPIENT_LIST_COLUMNS else "str")
                          for c in RECIPIENT_COLUMNS})
    frame.index.name = "row"
    return frame


def read_recipients(path: Path | None, headings: Mapping[str, str] | None, sheet: str | None = None):
    """The recipients table of a file (an empty table when there is none), and its findings."""
    if path is None:
        return no_recipients(), []
    return _table(path, "recipients", RECIPIENT_COLUMNS, RECIPIENT_LIST_COLUMNS,
                  heading_tables().recipients, headings, sheet)
