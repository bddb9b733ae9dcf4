"""A register kept as a document (PDF, Word, HTML, Markdown) loaded as a :class:`Register`.

:func:`load_document_register` reads the file with :func:`ropa.register.documents.read_document`
and gives each activity's fields, as the document states them, to the importers' field reader
(:class:`ropa.register.fields.FieldReader`): free text is mapped onto taxonomy keys through the
phrase tables of every supported language, and what maps to nothing is kept as text. On the way:

- yes/no checklists ("-Salud: No", "Consentimiento del interesado: Sí") keep only the items
  ticked yes; criminal-offence items ("Infracciones penales") set the Art 10 flag, yes or no;
  legal grounds that name Art 9 go to the Art 9 condition;
- a part's leading label ("Identificativos: nombre, DNI") is dropped from list fields;
- a field that points to a section shared by all activities ("ver apartado Medidas de
  seguridad ...") takes that section's text, and a field the activity leaves out takes it too;
- the document's header gives the organisation; an ``organisation.yaml`` (and
  ``recipients.csv``, ``taxonomy.yaml``) beside the file adds to it and wins where both say;
- what the reader could not read becomes findings (``document-unreadable``,
  ``document-inconsistent``, ``format-mismatch``, ...), and an activity that leaves its
  transfers empty while others state theirs, ``transfers-not-stated``.

Example:
    >>> reg = load_document_register("../shared/corpus/registers/de-lebensordner-vvt-md/"
    ...                              "art-30-records-of-processing.md")
    >>> len(reg.activities), reg.activities["data_subjects"].iloc[0]
    (7, ['customer'])
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..core.taxonomy import Taxonomy, default_taxonomy
from ..core.words import fold, truth
from .columns import UNMAPPED_COLUMN
from .documents import Activity, DocumentRegister, read_document
from .documents.labels import fold_label
from .fields import FieldReader, finish_register
from .freetext import Mapper
from .importlog import ImportFindings, Where
from .model import Register
from .organisation import read_organisation
from .phrases import match_phrases
from .recipients import RecipientBook
from .tables import read_recipients

__all__ = ["PROBLEM_CODES", "document_rows", "load_document_register", "unstated_transfers"]

#: The finding code of each problem a document reader reports (others: ``document-unreadable``).
PROBLEM_CODES: dict[str, str] = {
    "format-mismatch": "format-mismatch",
    "encoding-guessed": "encoding-guessed",
    "invalid-bytes": "invalid-bytes",
    "detail-not-in-summary": "document-inconsistent",
    "summary-without-detail": "document-inconsistent",
    "duplicate-activity-name": "document-inconsistent",
    "label-repeated": "document-inconsistent",
    "title-names-differ": "document-inconsistent",
}

#: Fields whose parts are looked up as terms: a part's leading "Label:" is dropped there.
_LIST_FIELDS = ("purposes", "data_subjects", "data_categories", "special_categories", "source")
_LABELLED = re.compile(r"^\s*[-\u2013\u2022*]?\s*([^:;\n]{2,45}?)\s*:\s*(.*)$", re.S)
_TICK = re.compile(r"^\s*[-\u2013\u2022*]?\s*(.+?)\s*:\s*(\S+)\s*$")


def _checklist_lines(act: Activity, key: str, text: str) -> list[str]:
    """The lines of a field that has a yes/no checklist: lines that are not checklist items or
    empty group headings, then the items ticked yes."""
    items = [c for c in act.checklists if c.field == key]
    if not items:
        return [kept for ln in text.split("\n") if (kept := _ticked(ln))]
    ticked = {fold(c.item) for c in items}
    groups = {fold(c.group) for c in items if c.group} | {fold(c.label) for c in items}
    out: list[str] = []
    for line in text.split("\n"):
        m = _TICK.match(line)
        if m and fold(m[1].lstrip("-\u2013 ")) in ticked:
            continue
        bare = fold(line.strip().rstrip(":").lstrip("-\u2013 "))
        if not bare or (line.strip().endswith(":") and (bare in groups or fold_label(bare) == fold_label(key))):
            continue
        if line.strip().endswith(":") and any(bare == fold(s.sublabel) for s in act.subfields):
            continue
        kept = _ticked(line)
        if kept:
            out.append(kept)
    return out + [c.item for c in items if c.value]


def _ticked(line: str) -> str:
    """A checklist-like line ("-Salud: No", "Registros públicos: Sí") as its item when ticked
    yes, "" when ticked no; any other line as it is."""
    m = _TICK.match(line)
    if m:
        flag = truth(m[2])
        if flag is False:
            return ""
        if flag:
            return m[1].lstrip("-\u2013 ").strip()
    return line.strip()


#: The taxonomy kinds a list field's parts are looked up in.
_KINDS: dict[str, tuple[str, ...]] = {
    "purposes": ("data_use",), "data_subjects": ("data_subject",),
    "data_categories": ("data_category", "art9_category"), "special_categories": ("art9_category",),
    "source": ("source",),
}


def _unlabel(line: str, key: str, mapper: Mapper) -> list[str]:
    """A list field's line without a leading "Label:" ("Identificativos: nombre" -> "nombre"),
    the label kept as a part of its own when it names a term itself ("Datos de salud: bajas")."""
    m = _LABELLED.match(line)
    if m and m[2].strip() and not re.search(r"https?$|\d$", m[1]):
        label = m[1].strip()
        named = any(mapper.phrase(kind, label) for kind in _KINDS.get(key, ()))
        return [label, m[2].strip()] if named else [m[2].strip()]
    return [line]


def _shared_for(doc: DocumentRegister) -> dict[str, list[tuple[str, str]]]:
    """The shared sections by field: (label, text) pairs."""
    out: dict[str, list[tuple[str, str]]] = {}
    for e in doc.shared:
        if e.key and e.text.strip():
            out.setdefault(e.key, []).append((e.label, e.text))
    return out


def document_rows(doc: DocumentRegister, headings: Mapping[str, str] | None = None,
                  taxonomy: Taxonomy | None = None) -> list[dict[str, str]]:
    """One dict of field texts per activity of a document register, ready for the field reader
    (see the module docstring for what is done to the texts).

    Example:
        >>> from ropa.register.documents import read_document
        >>> doc = read_document("../shared/corpus/registers/es-colegio-logopedas-html/rat.html")
        >>> row = document_rows(doc)[3]
        >>> row["name"], row["criminal_offence_data"]
        ('EXPEDIENTES DEONTOLOGICOS', 'no')
        >>> row["data_categories"].split("\\n")[:3]
        ['SANCIONES O FALTAS', 'DNI-NIF', 'Dirección']
    """
    user = {fold_label(k): v for k, v in (headings or {}).items()}
    mapper = Mapper(taxonomy or default_taxonomy())
    shared = _shared_for(doc)
    base_rows = doc.to_rows()
    rows: list[dict[str, str]] = []
    for act, base in zip(doc.activities, base_rows, strict=True):
        if user:  # the user's labels win; the document read stays as it was
            act = dataclasses.replace(act, entries=[
                dataclasses.replace(e, key=user.get(fold_label(e.label), e.key)) for e in act.entries])
        row: dict[str, str] = {}
        for key, text in act.fields.items():
            lines = _checklist_lines(act, key, text)
            if key in _LIST_FIELDS:
                lines = [part for ln in lines for part in _unlabel(ln, key, mapper)]
            row[key] = "\n".join(ln.strip() for ln in lines if ln.strip())
        criminal = [c for c in act.checklists if match_phrases("criminal", c.item)
                    and not re.search(r"administrativ|ordnungswidrig", fold(c.item))]
        if criminal and not row.get("criminal_offence_data"):
            row["criminal_offence_data"] = "yes" if any(c.value for c in criminal) else "no"
        if criminal:
            drop = {c.item for c in criminal}
            row["data_categories"] = "\n".join(p for p in row.get("data_categories", "").split("\n")
                                               if p not in drop)
        basis = row.get("lawful_basis", "").split("\n")
        art9 = [p for p in basis if match_phrases("special_ground", p)]
        if art9:
            # kept under the lawful basis only when it states nothing else (read there as text)
            row["lawful_basis"] = "\n".join(p for p in basis if p not in art9) or "\n".join(art9)
            row["art9_condition"] = "\n".join(filter(None, [row.get("art9_condition", ""), *art9]))
        for key, sections in shared.items():
            own = row.get(key, "")
            for label, text in sections:
                if not own or (key != "retention" and fold(label) in fold(own)):
                    lines = [part for ln in text.split("\n")
                             for part in (_unlabel(ln, key, mapper) if key in _LIST_FIELDS else [ln])]
                    row[key] = "\n".join(filter(None, [own, *(ln.strip() for ln in lines if ln.strip())]))
                    own = row[key]
        row["name"] = base["name"]
        row["activity_id"] = base["activity_id"]
        if base.get("role") and not row.get("role"):
            row["role"] = base["role"]
        if base.get(UNMAPPED_COLUMN):
            row[UNMAPPED_COLUMN] = base[UNMAPPED_COLUMN]
        rows.append(row)
    return rows


def unstated_transfers(doc: DocumentRegister, rows: list[dict[str, str]]) -> list[tuple[Activity, dict[str, str], str]]:
    """The activities that leave the transfers field empty (or out) in a document whose other
    activities state it, with the field's label: (activity, row, label). Nothing when no
    activity of the document states its transfers (the layout has no such field).

    Example:
        >>> from ropa.register.documents import read_document
        >>> doc = read_document("../shared/corpus/registers/es-colegio-logopedas-html/rat.html")
        >>> [row["activity_id"] for _, row, _ in unstated_transfers(doc, document_rows(doc))][:2]
        ['bolsa-de-empleo', 'colegiados']
    """
    stated = [bool(row.get("transfer_countries", "").strip()) for row in rows]
    labels = [e.label for act in doc.activities for e in act.entries if e.key == "transfer_countries"]
    if not any(stated) or not labels:
        return []
    return [(act, row, labels[0]) for act, row, said in zip(doc.activities, rows, stated, strict=True) if not said]


def _merge(header: Mapping[str, Any], yaml_org: Mapping[str, Any]) -> dict[str, Any]:
    """The document header's organisation with organisation.yaml's on top (mappings merged)."""
    out = dict(header)
    for key, value in yaml_org.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = {**out[key], **value}
        else:
            out[key] = value
    return out


def _beside(folder: Path, stem: str, suffixes: tuple[str, ...]) -> Path | None:
    for suffix in suffixes:
        candidate = folder / f"{stem}{suffix}"
        if candidate.is_file() and not candidate.is_symlink():
            return candidate
    return None


def load_document_register(
    path: str | Path,
    *,
    headings: Mapping[str, str] | None = None,
    taxonomy: Taxonomy | None = None,
) -> Register:
    """Read a register kept as a document (PDF, DOCX, HTML or Markdown) into a :class:`Register`.

    Args:
        path: the document.
        headings: your own labels mapped to canonical fields (``{"Zweck": "purposes"}``),
            tried before the built-in labels of each language.
        taxonomy: the base taxonomy (default: ``ropa``'s, extended by a taxonomy.yaml beside
            the file).

    Raises:
        RegisterLoadError: the file cannot be read at all.
    """
    path = Path(path)
    doc = read_document(path)
    folder = path.parent
    files = {"activities": str(path)}
    base = taxonomy or default_taxonomy()
    tax_path = _beside(folder, "taxonomy", (".yaml", ".yml"))
    if tax_path is not None:
        base = base.extend(tax_path)
        files["taxonomy"] = str(tax_path)
    org_path = _beside(folder, "organisation", (".yaml", ".yml")) or _beside(folder, "organization", (".yaml", ".yml"))
    yaml_org, frames = read_organisation(org_path)
    if org_path is not None:
        files["organisation"] = str(org_path)
    organisation = _merge(doc.organisation, yaml_org)
    rec_path = _beside(folder, "recipients", (".csv", ".yaml", ".yml"))
    recipients, rec_findings = read_recipients(rec_path, headings)
    frames += rec_findings
    findings = ImportFindings()
    for problem in doc.problems:
        code = PROBLEM_CODES.get(problem.code, "document-unreadable")
        findings.add(code, Where(file=str(problem.where or path.name)), column=problem.code,
                     evidence=problem.message)
    if not doc.activities:
        findings.add("document-unreadable", Where(file=str(path)), column="activities",
                     evidence=f"no processing activity was found in the {doc.format} document")
    for label, text in doc.unmapped_labels.items():
        findings.add("unmapped-field", Where(file=str(path)), column=label, evidence=text[:200])
        organisation.setdefault("unmapped", {})[label] = text
    mapper = Mapper(base.with_entities(recipients))
    book = RecipientBook(recipients, mapper, base.keys("recipient"), findings)
    reader = FieldReader(mapper, book, findings, list(organisation.get("controllers") or []))
    records: list[tuple[int, dict[str, Any]]] = []
    rows = document_rows(doc, headings, base)
    for act, row, label in unstated_transfers(doc, rows):
        findings.add("transfers-not-stated", Where(file=str(act.source), activity_id=row["activity_id"]),
                     column="transfer_countries", evidence=label)
    for number, (act, row) in enumerate(zip(doc.activities, rows, strict=True), start=1):
        for problem in act.problems:
            code = PROBLEM_CODES.get(problem.code, "document-unreadable")
            findings.add(code, Where(file=str(problem.where or path.name), activity_id=row["activity_id"]),
                         column=problem.code, evidence=problem.message)
        where = Where(file=str(act.source), row=number, activity_id=row["activity_id"])
        rec = reader.read(row, where, role_default=act.role or "controller")
        records.append((number, rec))
    if len(book.order) and rec_path is None:
        files["recipients"] = f"{path} (recipients named in the text)"
    elif rec_path is not None:
        files["recipients"] = str(rec_path)
    return finish_register(organisation, records, [], book.frame(), base, files, frames + findings.frames())
