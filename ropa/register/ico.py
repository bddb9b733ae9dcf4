"""The UK ICO's documentation template: read (:func:`load_ico`, through
:func:`ropa.register.workbook.load_workbook_register`) and written (:func:`write_ico_workbook`).

A sheet in the ICO's layout has a row holding at least three of the ICO's column headings;
above it a header block with Name / Address / Email / Telephone for the controller, the Data
Protection Officer and the representative; one row per activity below. A "Processor" sheet
in the same layout holds the Art 30(2) activities.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ..core.names import slug
from ..core.taxonomy import Taxonomy
from ..core.words import fold
from .columns import (
    ACTIVITY_COLUMNS,
    IMPORT_FIELDS,
    UNMAPPED_COLUMN,
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
from .recipients import RecipientBook
from .sheets import Sheet, is_title, not_imported, special_sheets
from .xlsxfile import column_letter

__all__ = [
    "ICO_LAYOUT",
    "ICO_PROCESSOR_HEADINGS",
    "ico_field",
    "ico_heading_row",
    "load_ico",
    "write_ico_workbook",
]


def ico_field(heading: str, user: Mapping[str, str] | None = None) -> str | None:
    """The canonical field an ICO-layout heading means, or None."""
    mapped = user_field(heading, user)
    if mapped:
        return mapped
    norm = normalise_heading(heading)
    tables = heading_tables()
    return (tables.ico_extra.get(norm) or tables.ico.get(norm)
            or (norm if norm in ACTIVITY_COLUMNS else None) or tables.activities.get(norm))


def ico_heading_row(sheet: Sheet) -> int | None:
    """The row holding at least three ICO headings (within the first 60), if any."""
    for i, row in enumerate(sheet.rows[:60]):
        if sum(1 for c in row if c and normalise_heading(c) in heading_tables().ico) >= 3:
            return i
    return None


def _org_role(label: str) -> str | None:
    folded = fold(label)
    if "joint controller" in folded:
        return "joint_controllers"
    if "protection officer" in folded or folded == "dpo":
        return "dpo"
    if "representative" in folded:
        return "representative"
    if "controller" in folded or folded in ("organisation", "organization", "our organisation", "company"):
        return "controller"
    return None


def _contact(values: Mapping[str, str]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v}


def _ico_header(sheet: Sheet, heading: int, where: Where, findings: ImportFindings) -> dict[str, Any]:
    """The header block above the ICO heading row: contacts, title, organisation name."""
    org: dict[str, Any] = {}
    contact_cols: dict[int, str] | None = None
    for i in range(heading):
        cells = [(j, c) for j, c in enumerate(sheet.rows[i]) if c]
        if not cells:
            continue
        at = Where(file=where.file, row=i + 1)
        if i == heading - 1 and all(fold(c) in heading_tables().ico_group_titles or fold(c).startswith("dpa 2018")
                                    for _, c in cells):
            continue
        fields = {j: heading_tables().contact.get(normalise_heading(c)) for j, c in cells}
        if sum(1 for v in fields.values() if v) >= 3:
            contact_cols = {j: v for j, v in fields.items() if v}
            continue
        if contact_cols and (any(j in contact_cols for j, _ in cells) or (
                cells[0][0] < min(contact_cols) and _org_role(cells[0][1]))):
            first = min(contact_cols)
            labels = [c for j, c in cells if j < first]
            values = _contact({contact_cols[j]: c for j, c in cells if j in contact_cols})
            role = _org_role(labels[0]) if labels else None
            if role == "joint_controllers":
                org.setdefault("joint_controllers", []).append(values)
            elif role == "dpo" and fold(values.get("name", "")) in heading_tables().not_designated:
                dpo: dict[str, Any] = {"designated": False}
                contact = values.get("email") or values.get("phone")
                if contact:
                    dpo["privacy_contact"] = contact
                org["dpo"] = dpo
            elif role:
                org[role] = values or None
            else:
                label = labels[0] if labels else f"row {i + 1}"
                findings.add("unmapped-field", at, column=label, evidence=", ".join(values.values()))
                org.setdefault("unmapped", {})[label] = values
            continue
        if len(cells) == 1:
            text = cells[0][1]
            if not is_title(text):
                findings.add("unmapped-field", at, column="title", evidence=text)
                org.setdefault("unmapped", {})[f"row {i + 1}"] = text
            continue
        label, value = cells[0][1], " ".join(c for _, c in cells[1:])
        if fold(label).rstrip(":") in ("organisation", "organisation name", "organization", "company",
                                        "company name", "name of organisation", "name of organization"):
            org["name"] = value
        else:
            findings.add("unmapped-field", at, column=label, evidence=value)
            org.setdefault("unmapped", {})[label] = value
    return org


def load_ico(path: Path, sheets: list[Sheet], ico: list[tuple[Sheet, int]],
             headings: Mapping[str, str] | None, base: Taxonomy, files: dict[str, str]) -> Register:
    """The register in a workbook in the ICO's layout: ``ico`` lists its sheets with their heading rows."""
    findings = ImportFindings()
    recipients, rec_findings, about, used = special_sheets(path, sheets, headings, findings)
    organisation: dict[str, Any] = {}
    for sheet, heading in ico:
        for key, value in _ico_header(sheet, heading, Where(file=f"{path}:{sheet.name}"), findings).items():
            organisation.setdefault(key, value)
    for key, value in about.items():
        if isinstance(value, dict) and isinstance(organisation.get(key), dict):
            organisation[key] = {**organisation[key], **value}
        else:
            organisation.setdefault(key, value)
    mapper = Mapper(base.with_entities(recipients))
    book = RecipientBook(recipients, mapper, base.keys("recipient"), findings)
    reader = FieldReader(mapper, book, findings, list(organisation.get("controllers") or []))
    records: list[tuple[int, dict[str, Any]]] = []
    extra_columns: list[str] = []
    taken: set[str] = set()
    for number, (sheet, heading) in enumerate(ico):
        used.add(sheet.name)
        file = f"{path}:{sheet.name}"
        header = sheet.rows[heading]
        by_col: dict[int, str] = {}
        for j, text in enumerate(header):
            if not text:
                continue
            name = ico_field(text, headings)
            if name in IMPORT_FIELDS:
                by_col[j] = name
            else:
                by_col[j] = text
                if text not in extra_columns:
                    extra_columns.append(text)
                findings.add("unknown-column", Where(file=file, row=heading + 1), column=text)
        processor_sheet = _is_processor_sheet(sheet, heading)
        offset = 1000 * number
        for i in range(heading + 1, len(sheet.rows)):
            row = sheet.rows[i]
            if not any(row):
                continue
            fields: dict[str, str] = {}
            extras: dict[str, str] = {}
            stray: list[tuple[str, str]] = []
            for j, text in enumerate(row):
                name = by_col.get(j)
                if name is None:
                    if text:
                        stray.append((f"column {column_letter(j)}", text))
                elif name in IMPORT_FIELDS:
                    fields[name] = f"{fields[name]}\n{text}".strip() if fields.get(name) else text
                else:
                    extras[name] = text
            name = fields.get("name") or name_from(fields.get("purpose_description", "")) \
                or fields.get("business_function", "") or f"Activity on row {i + 1}"
            aid = fields.get("activity_id") or unique_id(slug(name), taken)
            taken.add(aid)
            fields["name"], fields["activity_id"] = name, aid
            where = Where(file=file, row=i + 1, activity_id=aid)
            for column, text in stray:
                findings.add("unmapped-field", where, column=column, evidence=text)
            rec = reader.read(fields, where, role_default="processor" if processor_sheet else "controller",
                              extra_unmapped=stray)
            rec.update(extras)
            records.append((i + 1 + offset, rec))
    _missing_controller_sheet(path, sheets, ico, organisation, findings)
    not_imported(path, sheets, used, findings)
    if len(book.order):
        files["recipients"] = f"{path}:Recipients"
    return finish_register(organisation, records, extra_columns, book.frame(), base, files,
                           rec_findings + findings.frames())


def _is_processor_sheet(sheet: Sheet, heading: int) -> bool:
    """Is this ICO-layout sheet the processor record (Art 30(2))?"""
    return "processor" in fold(sheet.name) or any(
        normalise_heading(h) in ("categories_of_processing_carried_out_on_behalf_of_the_controller",
                                 "name_and_contact_details_of_controller") for h in sheet.rows[heading])


def _missing_controller_sheet(path: Path, sheets: Sequence[Sheet], ico: Sequence[tuple[Sheet, int]],
                              organisation: Mapping[str, Any], findings: ImportFindings) -> None:
    """Report an ICO workbook that holds only the processor record while the organisation's
    role says it is (also) a controller: its controller activities are missing."""
    if not all(_is_processor_sheet(sheet, heading) for sheet, heading in ico):
        return
    role = str(organisation.get("role") or "").strip().lower()
    if role == "processor":
        return
    present = ", ".join(repr(s.name) for s in sheets)
    if role:
        evidence = (f"the workbook holds only the processor record ({', '.join(repr(s.name) for s, _ in ico)}), "
                    f"but the organisation's role is {role!r}: its controller activities (Art 30(1)) are "
                    f"not in the register (sheets present: {present})")
        severity = None
    else:
        evidence = (f"the workbook holds only the processor record ({', '.join(repr(s.name) for s, _ in ico)}) "
                    f"and does not say the organisation's role: if it is also a controller, its controller "
                    f"activities are missing (sheets present: {present})")
        severity = "medium"
    findings.add("missing-sheet", Where(file=str(path)), column="Controller", evidence=evidence,
                 severity=severity)


#: The ICO controller sheet: (group title, heading, canonical field), in the template's order,
#: then the columns ropa keeps that the template has no place for (headings.yml ``ico_layout``).
ICO_LAYOUT: tuple[tuple[str, str, str], ...] = tuple(
    (c.group, c.heading, c.field) for c in heading_tables().ico_layout)


#: The processor sheet differs from the controller sheet in two headings (Art 30(2)).
ICO_PROCESSOR_HEADINGS: dict[str, str] = dict(heading_tables().ico_processor_headings)


def write_ico_workbook(register: Register, path: str | Path, *, include_retired: bool = False,
                       date: dt.date | None = None) -> Path:
    """Write a register in the UK ICO's documentation layout, as an .xlsx workbook.

    Sheet "Controller" (and "Processor" when the organisation acts as processor): a header
    block with Name / Address / Email / Telephone of the controller, the Data Protection
    Officer and the representative, the template's group titles and headings, and one row per
    activity with readable labels. Columns the ICO template has no place for (id, name, role,
    purposes as terms, ...) follow under "Kept by ropa"; sheet "Recipients" holds the named
    recipients and sheet "About" the rest of organisation.yaml. Every cell is neutralised
    against spreadsheet formulas. :func:`load_workbook_register` reads the file back into the
    same activities.

    Args:
        register: the register to write.
        path: the .xlsx file to write.
        include_retired: keep activities whose status is ``retired``.
        date: the date printed in the title (default today).

    Example:
        >>> import ropa, tempfile, pathlib
        >>> reg = ropa.load_register("registers/pro-at")
        >>> out = write_ico_workbook(reg, pathlib.Path(tempfile.mkdtemp()) / "ico.xlsx")
        >>> len(ropa.load_register(out).activities) == len(reg.activities)
        True
    """
    from openpyxl import Workbook

    path = Path(path)
    mapper = Mapper(register.taxonomy)
    acts = live_activities(register.activities, include_retired)
    org = register.organisation or {}
    extra = [c for c in acts.columns if c not in ACTIVITY_COLUMNS and c != UNMAPPED_COLUMN]
    wb = Workbook()
    wb.remove(wb.active)
    parts = [("Controller", acts[acts["role"].astype(str).str.lower() != "processor"]),
             ("Processor", acts[acts["role"].astype(str).str.lower() == "processor"])]
    for title, frame in parts:
        if title == "Processor" and frame.empty:
            continue
        ws = wb.create_sheet(title)
        layout = [(g, ICO_PROCESSOR_HEADINGS.get(f, h) if title == "Processor" else h, f) for g, h, f in ICO_LAYOUT]
        layout += [("Other columns", c, c) for c in extra]
        name = register.name
        ws.append([safe_cell(f"Record of processing activities (Article 30 GDPR) – {name}"
                              f"{' – processor' if title == 'Processor' else ''}, as of "
                              f"{record_date(date).isoformat()}")])
        ws.append([])
        ws.append(["", "Name", "Address", "Email", "Telephone"])
        for label, key in (("Controller", "controller"), ("Data Protection Officer", "dpo"),
                           ("Representative", "representative")):
            contact = org.get(key) if isinstance(org.get(key), Mapping) else {}
            if key == "dpo" and contact and contact.get("designated") is False and not contact.get("name"):
                values = ["Not designated", "", contact.get("privacy_contact", ""), ""]
            else:
                values = [contact.get(k, "") for k in ("name", "address", "email", "phone")]
            ws.append([label, *(safe_cell(str(v or "")) for v in values)])
        ws.append([])
        groups, last = [], None
        for group, _, _ in layout:
            groups.append(group if group != last else "")
            last = group
        ws.append(groups)
        ws.append([h for _, h, _ in layout])
        heading_row = ws.max_row
        for rec in frame.to_dict("records"):
            cells = activity_cells(rec, register, mapper)
            ws.append([safe_cell(cells.get(f, "") if f in cells else str(rec.get(f, "") or ""))
                       for _, _, f in layout])
        style_sheet(ws, heading_row, [22] + [30] * (len(layout) - 1))
        ws.freeze_panes = ws.cell(row=heading_row + 1, column=2)
    write_recipients_sheet(wb, "Recipients", register)
    write_taxonomy_sheet(wb, register)
    about = wb.create_sheet("About")
    about.append(["Field", "Value"])
    for key, value in about_rows(org, ("controller", "dpo", "representative")):
        about.append([safe_cell(key), safe_cell(value)])
    style_sheet(about, 1, [28, 90])
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path
