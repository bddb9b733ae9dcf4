"""Reading an Excel workbook within the limits: its size and unzipped size checked before
anything is unzipped, sheets read no wider than ``max_columns``, cells over
``max_cell_chars`` left empty, and formulas without a computed value read as empty; each
reported as a finding row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.errors import RegisterLoadError
from ..core.limits import check_size, limit_message, limits

__all__ = ["read_workbook"]


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


def column_letter(index: int) -> str:
    """The spreadsheet letter of a 0-based column index (0 -> A)."""
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


def read_workbook(path: Path, sheet: str | None = None, *, every_sheet: bool = False) -> list[_WorkbookSheet]:
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
                                "column": column_letter(c), "evidence": str(text)})
                found.problems = _collapse_formula_rows(found.problems, rows)
            for r, values in enumerate(rows):
                if any(isinstance(v, str) and len(v) > cap_chars for v in values):
                    cells = list(values)
                    for c, v in enumerate(cells):
                        if isinstance(v, str) and len(v) > cap_chars:
                            found.problems.append({
                                "code": "cell-too-long", "file": file, "row": r + 1, "column": column_letter(c),
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
