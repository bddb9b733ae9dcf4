"""What the ICO and CNIL writers share: one activity as the cell texts of a layout (keys as
readable labels that read back as the same keys), cells neutralised against formulas,
styled sheets, and the Recipients, Taxonomy and About sheets.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import yaml

from ..core import durations
from ..core.countries import country_code
from ..core.safety import neutralise
from ..core.taxonomy import Taxonomy
from .columns import (
    UNMAPPED_COLUMN,
    heading_tables,
    unmapped_pairs,
)
from .freetext import Mapper
from .model import Register

__all__ = [
    "about_rows",
    "activity_cells",
    "record_date",
    "safe_cell",
    "style_sheet",
    "write_recipients_sheet",
    "write_taxonomy_sheet",
]


def _country_text(taxonomy: Taxonomy, code: str) -> str:
    """A country's name when it reads back as the same code, else the code."""
    name = taxonomy.country_name(code)
    return name if country_code(name) == code else code


def _basis_text(taxonomy: Taxonomy, kind: str, key: str) -> str:
    """'Art 6(1)(b) Performance of a contract' for a legal-basis or Art 9 key."""
    article = taxonomy.attribute(kind, key, "article", "") or ""
    name = taxonomy.label(kind, key)
    return f"{article} {name}".strip() if name != key else key


_TAXONOMY_HEADINGS = ("Kind", "Key", "Name", "Parents", "Synonyms", "Description")


def activity_cells(rec: Mapping[str, Any], register: Register, mapper: Mapper,
                   lang: str = "en") -> dict[str, str]:
    """One activity's fields as the cell texts of the ICO or CNIL layout."""
    tax = register.taxonomy
    words = heading_tables().layout_words[lang]
    recipients = {r["recipient_id"]: r for r in register.recipients.to_dict("records")}
    leftovers: dict[str, list[str]] = {}
    for column, part in unmapped_pairs(str(rec.get(UNMAPPED_COLUMN, ""))):
        leftovers.setdefault(column, []).append(part)

    def lines(items: Iterable[str], column: str) -> str:
        return "\n".join([*items, *leftovers.pop(column, [])])

    def terms(column: str, kind: str) -> str:
        return lines((mapper.term_text(kind, k) for k in rec.get(column) or []), column)

    def recipient_name(rid: str) -> str:
        r = recipients.get(rid)
        if r is not None and r.get("name") and mapper.phrase("recipient", r["name"]) == rid:
            return str(r["name"])
        return rid

    cells = {c: str(rec.get(c) or "") for c in (
        "activity_id", "name", "business_function", "owner", "purpose_description",
        "legitimate_interest", "lia_reference", "retention_trigger", "last_reviewed")}
    cells["role"] = words.get(rec.get("role") or "", None) or (
        tax.label("role", rec["role"]) if rec.get("role") else "")
    cells["status"] = words.get(rec.get("status") or "", None) or (
        tax.label("status", rec["status"]) if rec.get("status") else "")
    for column, kind in (("purposes", "data_use"), ("data_subjects", "data_subject"),
                         ("data_categories", "data_category"), ("special_categories", "art9_category"),
                         ("source", "source")):
        cells[column] = terms(column, kind)
    for column, kind in (("lawful_basis", "legal_basis"), ("art9_condition", "art9_condition")):
        cells[column] = lines((_basis_text(tax, kind, k) for k in rec.get(column) or []), column)
    controllers = {str(c.get("id")): str(c.get("name") or c.get("id"))
                   for c in (register.organisation or {}).get("controllers") or [] if isinstance(c, Mapping)}
    cells["controllers"] = lines((controllers.get(c, c) for c in rec.get("controllers") or []), "controllers")
    named = [r for r in rec.get("recipients") or [] if r in recipients]
    cells["recipients"] = lines(
        ("None" if r == "none" else recipient_name(r) if r in recipients else mapper.term_text("recipient", r)
         for r in rec.get("recipients") or []), "recipients")
    abroad = [r for r in named if recipients[r].get("country")
              and not tax.is_eea([str(recipients[r]["country"]).upper()])[0]]
    cells["transfer_countries"] = lines(
        [_country_text(tax, c) for c in rec.get("transfer_countries") or []]
        + [f"{_country_text(tax, str(recipients[r]['country']).upper())} ({recipient_name(r)})" for r in abroad],
        "transfer_countries")
    cells["transfer_safeguards"] = lines(
        [mapper.term_text("safeguard", s) for s in rec.get("transfer_safeguards") or []]
        + [f"{recipient_name(r)}: {mapper.term_text('safeguard', recipients[r]['transfer_safeguard'])}"
           for r in abroad if recipients[r].get("transfer_safeguard")], "transfer_safeguards")
    cells["contract_reference"] = lines(
        (f"{recipient_name(r)}: {recipients[r]['contract_reference']}" for r in named
         if recipients[r].get("kind") == "processor" and recipients[r].get("contract_reference")),
        "contract_reference")
    cells["retention"] = lines([_retention_text(str(rec.get("retention") or ""))] if rec.get("retention")
                               else [], "retention")
    cells["security_measures"] = lines(rec.get("security_measures") or [], "security_measures")
    cells["systems"] = lines(rec.get("systems") or [], "systems")
    for column in ("criminal_offence_data", "automated_decision_making"):
        value = str(rec.get(column) or "")
        cells[column] = lines([words.get(value.lower(), value)] if value else [], column)
    dpia = str(rec.get("dpia") or "")
    if lang == "en":
        cells["dpia_required"] = {"": "", "not_required": words["false"]}.get(
            dpia, words["true"] if dpia in words else "")
        cells["dpia"] = words.get(dpia, dpia)
    else:
        cells["dpia"] = words.get(dpia, dpia)
    cells[UNMAPPED_COLUMN] = "; ".join(f"{c}: {p}" for c, parts in leftovers.items() for p in parts)
    return cells


def _retention_text(value: str) -> str:
    """A retention period in words ("P1Y6M" -> "1 year and 6 months", as the Art 30 record
    writes it) where the words read back as the same period; other text unchanged."""
    text = durations.words(value)
    return text if text and durations.from_words(text)[0] == value else value


def safe_cell(value: Any) -> Any:
    """A cell value safe to write: characters Excel refuses dropped, formulas neutralised."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, str):
        return neutralise(ILLEGAL_CHARACTERS_RE.sub("", value))
    return value


def _yaml_text(value: Any) -> str:
    text = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=10**6, sort_keys=False)
    return re.sub(r"\n\.\.\.\n?$", "", text).strip()


def about_rows(organisation: Mapping[str, Any], contact_roles: Sequence[str]) -> list[tuple[str, str]]:
    """organisation.yaml as ``field | value`` rows; the contact fields of ``contact_roles``
    are left out (the layout's header holds them)."""
    rows = []
    for key, value in (organisation or {}).items():
        if key in contact_roles and isinstance(value, Mapping):
            for sub, v in value.items():
                if sub not in ("name", "address", "email", "phone"):
                    rows.append((f"{key}.{sub}", _yaml_text(v)))
        elif key in contact_roles and value is None:
            continue
        else:
            rows.append((str(key), _yaml_text(value)))
    return rows


def style_sheet(ws: Any, heading_row: int, widths: Sequence[int]) -> None:
    """Column widths, wrapped top-aligned cells and a bold heading row."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    for j, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = width
    for row in ws.iter_rows(min_row=heading_row):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for cell in ws[heading_row]:
        cell.font = Font(bold=True)


def write_recipients_sheet(wb: Any, title: str, register: Register) -> None:
    """A sheet ``title`` holding the register's recipients table."""
    ws = wb.create_sheet(title)
    frame = register.recipients
    headings = heading_tables().recipients_sheet
    columns = list(frame.columns)
    ws.append([headings.get(c, c) for c in columns])
    for rec in frame.to_dict("records"):
        ws.append([safe_cell(";".join(map(str, v)) if isinstance(v, list | tuple) else ("" if v is None else str(v)))
                   for v in (rec[c] for c in columns)])
    style_sheet(ws, 1, [18, 28, 30, 16, 34, 9, 14, 34, 40][: len(columns)] + [24] * max(0, len(columns) - 9))


def write_taxonomy_sheet(wb: Any, register: Register) -> None:
    """The organisation's own terms (from its taxonomy.yaml), so the workbook stands alone."""
    terms = register.taxonomy.terms
    own = terms[~terms["source"].isin(["fideslang", "ropa", "register"])]
    if own.empty:
        return
    ws = wb.create_sheet("Taxonomy")
    ws.append(list(_TAXONOMY_HEADINGS))
    for rec in own.to_dict("records"):
        ws.append([safe_cell(str(v)) for v in (
            rec["kind"], rec["key"], rec.get("name") or "", ";".join(rec.get("parents") or []),
            ";".join(rec.get("synonyms") or []), rec.get("description") or "")])
    style_sheet(ws, 1, [16, 34, 34, 34, 50, 50])


def record_date(date: dt.date | None) -> dt.date:
    """The date a record is written as of (default today)."""
    return date or dt.date.today()
