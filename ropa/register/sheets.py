"""The shared workbook reading of the importers: every sheet's cells as text, and the sheets
that hold a register part other than activities (Recipients, About, Taxonomy), whatever the
layout; the cells no reader could read as they stand become findings.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..core.errors import RegisterLoadError
from ..core.findings import findings_frame, make_findings
from ..core.taxonomy import Taxonomy
from ..core.words import fold
from ..core.yamlio import parse_yaml
from .columns import (
    heading_tables,
    normalise_heading,
)
from .freetext import split_lines
from .importlog import ImportFindings, Where
from .model import Register
from .phrases import match_phrases
from .tables import no_recipients, read_recipients
from .xlsxfile import read_workbook

__all__ = [
    "Sheet",
    "cell_findings",
    "is_cnil_org_sheet",
    "is_title",
    "not_imported",
    "read_sheets",
    "set_path",
    "special_sheets",
    "taxonomy_sheet",
    "yaml_value",
]


_FORMULA_QUOTED = re.compile(r"^'(?=[=+\-@\t\r])")


def _cell(value: Any) -> str:
    """A workbook cell as text: numbers without '.0', dates as ISO, neutralised formulas undone."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value != value:
            return ""
        return str(int(value)) if value.is_integer() else str(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    return _FORMULA_QUOTED.sub("", text)


@dataclass
class Sheet:
    """One worksheet's cells as text, trailing empty cells dropped."""

    name: str
    rows: list[list[str]]
    #: cells that could not be read as they stand (formulas without a value, cells over the
    #: length limit), as finding rows with their ``code``
    problems: list[dict[str, Any]] = field(default_factory=list)

    def filled(self) -> int:
        """How many cells hold something."""
        return sum(1 for r in self.rows for c in r if c)


def read_sheets(path: Path) -> list[Sheet]:
    """Every sheet of a workbook, its cells as text."""
    sheets = []
    for found in read_workbook(path, every_sheet=True):
        rows = [[_cell(v) for v in values] for values in found.rows]
        for r in rows:
            while r and not r[-1]:
                r.pop()
        sheets.append(Sheet(found.title, rows, found.problems))
    if not sheets:
        raise RegisterLoadError("has no worksheets", str(path))
    return sheets


def cell_findings(register: Register, sheets: Sequence[Sheet]) -> Register:
    """Add the cells no sheet reader could read as they stand (formulas without a value, cells
    over the length limit) to the register's load findings, each once."""
    rows = [p for s in sheets for p in s.problems]
    if not rows:
        return register
    have = register.load_findings
    said = set(zip(have["code"], have["file"], have["row"].astype("Int64"), strict=True)) if len(have) else set()
    by_code: dict[str, list[dict[str, Any]]] = {}
    for p in rows:
        if (p["code"], p["file"], p["row"]) not in said:
            by_code.setdefault(p["code"], []).append({k: v for k, v in p.items() if k != "code"})
    frames = [make_findings(code, found) for code, found in by_code.items()]
    register.load_findings = findings_frame([have, *frames])
    return register


def is_title(text: str) -> bool:
    """Is the cell a title ("Record of processing activities", "Registre des traitements")?"""
    return fold(text).startswith(heading_tables().titles)


def yaml_value(text: str) -> Any:
    """A cell of an About sheet read as a YAML value (the text itself when it is not YAML)."""
    try:
        value = parse_yaml(text, "cell", error=RegisterLoadError).data
    except RegisterLoadError:
        return text
    return text if value is None and text.strip() not in ("null", "~") else value


def set_path(target: dict[str, Any], dotted: str, value: Any) -> None:
    """Set ``target[a][b]`` for a dotted key ``a.b``, creating the mappings on the way."""
    keys = dotted.split(".")
    for k in keys[:-1]:
        nxt = target.get(k)
        if not isinstance(nxt, dict):
            nxt = target[k] = {}
        target = nxt
    target[keys[-1]] = value


def _read_about(sheet: Sheet) -> dict[str, Any]:
    """An 'About' sheet of ``field | value`` rows (values written as YAML) as a mapping."""
    org: dict[str, Any] = {}
    for row in sheet.rows:
        if len(row) < 2 or not row[0] or fold(row[0]) in heading_tables().about_headings:
            continue
        set_path(org, row[0].strip(), yaml_value(row[1]))
    return org


def taxonomy_sheet(path: Path, sheets: Sequence[Sheet], base: Taxonomy, files: dict[str, str]) -> Taxonomy:
    """Extend the taxonomy with a "Taxonomy" sheet (the organisation's own terms), if any."""
    for sheet in sheets:
        if fold(sheet.name) not in heading_tables().sheets.taxonomy or not sheet.filled():
            continue
        header = [normalise_heading(c) for c in sheet.rows[0]] if sheet.rows else []
        ext: dict[str, list[dict[str, Any]]] = {}
        for row in sheet.rows[1:]:
            rec = dict(zip(header, row, strict=False))
            if not rec.get("kind") or not rec.get("key"):
                continue
            term: dict[str, Any] = {"key": rec["key"], "name": rec.get("name") or rec["key"]}
            if rec.get("parents"):
                term["parents"] = split_lines(rec["parents"])
            if rec.get("synonyms"):
                term["synonyms"] = split_lines(rec["synonyms"])
            if rec.get("description"):
                term["description"] = rec["description"]
            ext.setdefault(rec["kind"], []).append(term)
        if ext:
            base = base.extend(ext, source=f"{path}:{sheet.name}")
            files["taxonomy"] = f"{path}:{sheet.name}"
    return base


def special_sheets(path: Path, sheets: Sequence[Sheet], headings: Mapping[str, str] | None,
                   findings: ImportFindings) -> tuple[pd.DataFrame, list[pd.DataFrame], dict[str, Any], set[str]]:
    """The recipients and About sheets, if any: (recipients, their findings, organisation, names used)."""
    names = heading_tables().sheets
    used: set[str] = {s.name for s in sheets if fold(s.name) in names.taxonomy}
    recipients, rec_findings = None, []
    org: dict[str, Any] = {}
    for sheet in sheets:
        folded = fold(sheet.name)
        if folded in names.recipients and recipients is None and sheet.filled():
            recipients, rec_findings = read_recipients(path, headings, sheet=sheet.name)
            for f in rec_findings:
                f["file"] = f"{path}:{sheet.name}"
            used.add(sheet.name)
        elif folded in names.about and not is_cnil_org_sheet(sheet):
            org.update(_read_about(sheet))
            used.add(sheet.name)
    if recipients is None:
        recipients = no_recipients()
    return recipients, rec_findings, org, used


def not_imported(path: Path, sheets: Sequence[Sheet], used: set[str], findings: ImportFindings) -> None:
    """Report every filled sheet no reader used (``part-not-imported``)."""
    for sheet in sheets:
        if sheet.name not in used and sheet.filled():
            findings.add("part-not-imported", Where(file=f"{path}:{sheet.name}"), column=sheet.name,
                         evidence=f"sheet {sheet.name!r} ({sheet.filled()} filled cells)")


def is_cnil_org_sheet(sheet: Sheet) -> bool:
    """A sheet with a section row "Responsable du traitement" or "Délégué ..." (no value beside it)."""
    return any(row and not any(row[1:]) and match_phrases("cnil_sections", row[0]) in ("controller", "dpo")
               for row in sheet.rows)
