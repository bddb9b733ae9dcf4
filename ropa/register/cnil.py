"""The CNIL's register model: read (:func:`load_cnil`, through
:func:`ropa.register.workbook.load_workbook_register`) and written (:func:`write_cnil_workbook`).

One sheet per activity ("fiche de registre") with labels in column A and values in column B,
and an organisation sheet (Responsable du traitement, Délégué à la protection des données).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..core.names import slug
from ..core.taxonomy import Taxonomy
from ..core.words import fold
from .columns import (
    IMPORT_FIELDS,
    heading_tables,
    normalise_heading,
    user_field,
)
from .export import (
    about_rows,
    activity_cells,
    record_date,
    safe_cell,
    style_sheet,
    write_recipients_sheet,
    write_taxonomy_sheet,
)
from .fields import FieldReader, finish_register, name_from
from .freetext import Mapper, unique_id
from .importlog import ImportFindings, Where
from .model import Register, live_activities
from .phrases import match_phrases
from .recipients import RecipientBook
from .sheets import (
    Sheet,
    is_cnil_org_sheet,
    is_title,
    not_imported,
    set_path,
    special_sheets,
    yaml_value,
)

__all__ = ["CNIL_LAYOUT", "cnil_field", "fiche_fields", "load_cnil", "write_cnil_workbook"]


def cnil_field(label: str, user: Mapping[str, str] | None = None) -> str | None:
    """The canonical field a CNIL fiche label means (the user's mapping first), or None."""
    mapped = user_field(label, user)
    if mapped:
        return mapped
    key = normalise_heading(label)
    if re.fullmatch(r"sous_finalite_?\d*", key):
        return "purpose_description"
    found = heading_tables().cnil_fiche.get(key) or heading_tables().cnil.get(key)
    return found if found in IMPORT_FIELDS else None


def fiche_fields(sheet: Sheet, user: Mapping[str, str] | None
                 ) -> tuple[dict[str, str] | None, list[tuple[int, str, str]]]:
    """A fiche's fields (None if the sheet is not a fiche) and its unrecognised labelled rows."""
    fields: dict[str, str] = {}
    unknown: list[tuple[int, str, str]] = []
    for i, row in enumerate(sheet.rows):
        label = row[0] if row else ""
        value = "\n".join(c for c in row[1:] if c)
        if not label:
            if value:
                unknown.append((i + 1, f"row {i + 1}", value))
            continue
        name = cnil_field(label, user)
        if not name and is_title(label):
            continue
        if name:
            if value:
                fields[name] = f"{fields[name]}\n{value}" if fields.get(name) else value
        elif value:
            unknown.append((i + 1, label, value))
    is_fiche = len(fields) >= 3 and ("name" in fields or "purpose_description" in fields)
    return (fields if is_fiche else None), unknown


def _fiche_rows(sheet: Sheet, user: Mapping[str, str] | None) -> dict[str, int]:
    """The sheet row each canonical field of a fiche starts on."""
    rows: dict[str, int] = {}
    for i, row in enumerate(sheet.rows):
        name = cnil_field(row[0], user) if row and row[0] else None
        if name:
            rows.setdefault(name, i + 1)
    return rows


def _cnil_org(sheet: Sheet, file: str, findings: ImportFindings) -> dict[str, Any]:
    org: dict[str, Any] = {}
    parts: dict[str, dict[str, str]] = {}
    section: str | None = None
    for i, row in enumerate(sheet.rows):
        label = row[0] if row else ""
        value = " ".join(c for c in row[1:] if c)
        if not label and not value:
            continue
        at = Where(file=file, row=i + 1)
        named = match_phrases("cnil_sections", label) if label else None
        if named and not value:
            section = named
            if named != "about":
                parts.setdefault(named, {})
            continue
        if section == "about" and label:
            set_path(org, label.strip(), yaml_value(value))
            continue
        if named and named != "about" and fold(label).startswith(("responsable du traitement", "delegue",
                                                                   "representant")):
            section = named
            parts.setdefault(named, {})["name"] = value
            continue
        contact = heading_tables().cnil_contact.get(normalise_heading(label)) if label else None
        if section and contact and not value:
            continue
        if section and contact and value:
            parts.setdefault(section, {})[contact] = value
        elif label and not value and is_title(label):
            continue
        elif value or label:
            findings.add("unmapped-field", at, column=label or f"row {i + 1}", evidence=value)
            org.setdefault("unmapped", {})[label or f"row {i + 1}"] = value
    for role, values in parts.items():
        address = ", ".join(p for p in (values.pop("address", ""),
                                        " ".join(p for p in (values.pop("postcode", ""), values.pop("city", "")) if p),
                                        values.pop("country", "")) if p)
        if address:
            values["address"] = address
        if role == "dpo" and fold(values.get("name", "")) in heading_tables().not_designated:
            contact = values.get("email") or values.get("phone")
            values = {"designated": False, **({"privacy_contact": contact} if contact else {})}
        extra = org.get(role)
        org[role] = {**values, **extra} if isinstance(extra, dict) else (values or None)
    return org


def load_cnil(path: Path, sheets: list[Sheet], fiches: list[Sheet], headings: Mapping[str, str] | None,
              base: Taxonomy, files: dict[str, str]) -> Register:
    """The register in a workbook of CNIL fiches (``fiches``), with its organisation sheet."""
    findings = ImportFindings()
    recipients, rec_findings, about, used = special_sheets(path, sheets, headings, findings)
    organisation: dict[str, Any] = {}
    for sheet in sheets:
        if sheet in fiches or sheet.name in used or not is_cnil_org_sheet(sheet):
            continue
        organisation.update(_cnil_org(sheet, f"{path}:{sheet.name}", findings))
        used.add(sheet.name)
    for key, value in about.items():
        organisation.setdefault(key, value)
    mapper = Mapper(base.with_entities(recipients))
    book = RecipientBook(recipients, mapper, base.keys("recipient"), findings)
    reader = FieldReader(mapper, book, findings, list(organisation.get("controllers") or []))
    records: list[tuple[int, dict[str, Any]]] = []
    taken: set[str] = set()
    for number, sheet in enumerate(fiches, start=1):
        used.add(sheet.name)
        fields, unknown = fiche_fields(sheet, headings)
        assert fields is not None
        rows_of = _fiche_rows(sheet, headings)
        name = fields.get("name") or name_from(fields.get("purpose_description", "")) or sheet.name
        aid = fields.get("activity_id") or unique_id(slug(name), taken)
        taken.add(aid)
        fields["name"], fields["activity_id"] = name, aid
        file = f"{path}:{sheet.name}"
        stray = []
        for row, label, value in unknown:
            findings.add("unmapped-field", Where(file=file, row=row, activity_id=aid), column=label, evidence=value)
            stray.append((label, value.replace("\n", " / ")))
        before = {code: len(rows) for code, rows in findings.rows.items()}
        rec = reader.read(fields, Where(file=file, row=None, activity_id=aid), role_default="controller",
                          extra_unmapped=stray)
        for code, rows in findings.rows.items():
            for row in rows[before.get(code, 0):]:
                if row.get("row") is None:
                    row["row"] = rows_of.get(str(row.get("column")))
        records.append((number, rec))
    not_imported(path, sheets, used, findings)
    if len(book.order):
        files["recipients"] = f"{path}:Destinataires"
    return finish_register(organisation, records, [], book.frame(), base, files, rec_findings + findings.frames())


#: The CNIL fiche: (label, canonical field), in the model's order, then ropa's own labels.
CNIL_LAYOUT: tuple[tuple[str, str], ...] = tuple((c.label, c.field) for c in heading_tables().cnil_layout)


def _sheet_title(text: str, taken: set[str]) -> str:
    title = re.sub(r"[\[\]:*?/\\]", "-", text)[:31].strip() or "Fiche"
    base, n = title, 2
    while title.lower() in taken:
        suffix = f" ({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(title.lower())
    return title


def write_cnil_workbook(register: Register, path: str | Path, *, include_retired: bool = False,
                        date: dt.date | None = None) -> Path:
    """Write a register in the layout of the CNIL's register model, as an .xlsx workbook.

    Sheet "Organisme" holds the controller ("Responsable du traitement"), the DPO ("Délégué à
    la protection des données"), the representative and, under "Autres informations", the rest
    of organisation.yaml; one sheet per activity ("fiche de registre") holds the CNIL's labels
    in column A and the values in column B; sheet "Destinataires" holds the named recipients.
    Cells are neutralised. :func:`load_workbook_register` reads it back.

    Example:
        >>> import ropa, tempfile, pathlib
        >>> reg = ropa.load_register("registers/pro-at")
        >>> out = write_cnil_workbook(reg, pathlib.Path(tempfile.mkdtemp()) / "cnil.xlsx")
        >>> len(ropa.load_register(out).activities) == len(reg.activities)
        True
    """
    from openpyxl import Workbook

    path = Path(path)
    mapper = Mapper(register.taxonomy)
    org = register.organisation or {}
    wb = Workbook()
    ws = wb.active
    ws.title = "Organisme"
    ws.append([safe_cell(f"Registre des activités de traitement – {register.name}, "
                          f"au {record_date(date).isoformat()}")])
    for section, key in (("Responsable du traitement", "controller"),
                         ("Délégué à la protection des données", "dpo"), ("Représentant", "representative")):
        if key not in org and key != "controller":
            continue
        ws.append([])
        ws.append([section])
        contact = org.get(key) if isinstance(org.get(key), Mapping) else {}
        if key == "dpo" and contact and contact.get("designated") is False and not contact.get("name"):
            contact = {"name": "Non désigné", "email": contact.get("privacy_contact", "")}
        for label, field_name in (("Nom", "name"), ("Adresse", "address"), ("Téléphone", "phone"),
                                  ("Adresse de messagerie", "email")):
            ws.append([label, safe_cell(str(contact.get(field_name, "") or ""))])
    ws.append([])
    ws.append(["Autres informations"])
    for key, value in about_rows(org, ("controller", "dpo", "representative")):
        ws.append([safe_cell(key), safe_cell(value)])
    style_sheet(ws, 1, [40, 90])
    taken = {"organisme", "destinataires"}
    for number, rec in enumerate(live_activities(register.activities, include_retired).to_dict("records"), start=1):
        sheet = wb.create_sheet(_sheet_title(f"Fiche {number} {rec.get('activity_id', '')}".strip(), taken))
        cells = activity_cells(rec, register, mapper, lang="fr")
        sheet.append(["Fiche de registre", safe_cell(str(rec.get("name") or ""))])
        for label, field_name in CNIL_LAYOUT:
            sheet.append([label, safe_cell(cells.get(field_name, ""))])
        style_sheet(sheet, 1, [42, 90])
    write_recipients_sheet(wb, "Destinataires", register)
    write_taxonomy_sheet(wb, register)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path
