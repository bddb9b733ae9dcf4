"""Fides manifests (fideslang's models): a folder of them read into a register
(:func:`load_fides`) and a register written as one (:func:`write_fides`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..core import durations
from ..core.countries import country_code, country_from_address
from ..core.errors import RegisterLoadError
from ..core.names import slug
from ..core.taxonomy import Taxonomy, default_taxonomy
from ..core.yamlio import duplicate_key_rows, read_yaml
from .columns import (
    ACTIVITY_COLUMNS,
    ACTIVITY_LIST_COLUMNS,
    RECIPIENT_COLUMNS,
    RECIPIENT_LIST_COLUMNS,
    UNMAPPED_COLUMN,
    unmapped_pairs,
)
from .fields import dpia_state, finish_register
from .freetext import Mapper, dedupe, split_lines, unique_id
from .importlog import ImportFindings, Leftovers, Where
from .model import Register, live_activities
from .recipients import RecipientBook
from .tables import no_recipients

__all__ = [
    "FIDES_ART9",
    "FIDES_ART9_REVERSE",
    "FIDES_LEGAL_BASIS",
    "FIDES_LEGAL_BASIS_REVERSE",
    "FIDES_TRANSFER",
    "load_fides",
    "looks_like_fides",
    "write_fides",
]


#: fideslang's legal bases (LegalBasisForProcessingEnum values) and ropa's keys.
FIDES_LEGAL_BASIS: dict[str, str] = {
    "Consent": "art6_1_a", "Contract": "art6_1_b", "Legal obligations": "art6_1_c",
    "Vital interests": "art6_1_d", "Public interest": "art6_1_e", "Legitimate interests": "art6_1_f",
}


#: fideslang's special-category bases (SpecialCategoryLegalBasisEnum values) and ropa's keys.
FIDES_ART9: dict[str, str] = {
    "Explicit consent": "art9_2_a",
    "Employment, social security and social protection": "art9_2_b",
    "Vital interests": "art9_2_c",
    "Not-for-profit bodies": "art9_2_d",
    "Made public by the data subject": "art9_2_e",
    "Legal claims or judicial acts": "art9_2_f",
    "Reasons of substantial public interest (with a basis in law)": "art9_2_g",
    "Health or social care (with a basis in law)": "art9_2_h",
    "Public health (with a basis in law)": "art9_2_i",
    "Archiving, research and statistics (with a basis in law)": "art9_2_j",
}


#: fideslang's transfer bases (free strings; LegalBasisForTransfersEnum lists the usual ones)
#: and ropa's safeguards. On export ``dpf`` is written as an adequacy decision (the EU-US
#: decision) and ``art49`` as "Other"; the exact key is kept in the system's ``meta``.
FIDES_TRANSFER: dict[str, str] = {
    "Adequacy Decision": "adequacy", "SCCs": "scc", "BCRs": "bcr", "Data Privacy Framework": "dpf",
}


_TRANSFER_TO_FIDES = {"adequacy": "Adequacy Decision", "dpf": "Adequacy Decision", "scc": "SCCs",
                      "bcr": "BCRs", "art49": "Other"}


_FIDES_RESOURCES = frozenset({"system", "organization", "dataset", "policy", "data_category", "data_use",
                              "data_subject", "evaluation", "registry"})


#: System fields the loader reads (others are reported when they differ from fideslang's default).
_SYSTEM_READ = frozenset({
    "fides_key", "organization_fides_key", "name", "description", "meta", "system_type", "egress", "ingress",
    "privacy_declarations", "administrating_department", "responsibility", "joint_controller_info",
    "data_security_practices", "uses_profiling", "does_international_transfers", "legal_basis_for_transfers",
    "requires_data_protection_assessments", "dpa_progress",
})


_DECLARATION_READ = frozenset({
    "name", "data_categories", "data_use", "data_subjects", "egress", "ingress",
    "flexible_legal_basis_for_processing", "legal_basis_for_processing", "impact_assessment_location",
    "retention_period", "processes_special_category_data", "special_category_legal_basis",
    "data_shared_with_third_parties", "third_parties",
})


#: Fields of fideslang 1.x manifests that the current models dropped, read when present.
_LEGACY_SYSTEM = frozenset({"third_country_transfers", "data_responsibility_title", "joint_controller",
                            "data_protection_impact_assessment"})


def _strip_lines(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip_lines(v) for k, v in value.items() if k != "__line__"}
    if isinstance(value, list):
        return [_strip_lines(v) for v in value]
    return value


def _fides_key(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.<>-]", "_", str(text)).strip("_") or "item"


def _manifest_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in (".yml", ".yaml"))


def looks_like_fides(path: str | Path) -> bool:
    """True when ``path`` is a folder holding Fides manifests (YAML with ``system:`` or ``organization:``).

    Example:
        >>> looks_like_fides("tests/data/fides/shop")  # doctest: +SKIP
        True
    """
    folder = Path(path)
    if not folder.is_dir():
        return False
    for item in _manifest_files(folder)[:200]:
        try:
            head = item.read_text(encoding="utf-8", errors="replace")[:200_000]
        except OSError:
            continue
        if re.search(r"^(system|organization)\s*:", head, re.MULTILINE):
            return True
    return False


def _enum_value(value: Any) -> str:
    return str(getattr(value, "value", value) or "")


def _contact_dict(contact: Any) -> dict[str, str] | None:
    if contact is None:
        return None
    values = {k: str(getattr(contact, k, "") or "") for k in ("name", "address", "email", "phone")}
    values = {k: v for k, v in values.items() if v}
    return values or None


def _non_default(model: Any, raw: Mapping[str, Any], read: frozenset[str]) -> list[tuple[str, Any]]:
    """Fields set in the manifest that the loader does not read and that differ from the default."""
    out = []
    for name, info in type(model).model_fields.items():
        if name in read or name not in raw:
            continue
        value = getattr(model, name)
        default = info.get_default(call_default_factory=True)
        if value != default and value not in (None, [], {}, ""):
            out.append((name, _enum_value(value) if not isinstance(value, list | dict) else value))
    return out


@dataclass
class _FidesInput:
    systems: list[tuple[Any, dict[str, Any], str]] = field(default_factory=list)
    organisation: tuple[Any, dict[str, Any], str] | None = None
    terms: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


def _read_manifests(folder: Path, findings: ImportFindings) -> _FidesInput:
    from fideslang.models import DataCategory, DataSubject, DataUse, Organization, System
    from pydantic import ValidationError

    models = {"data_category": DataCategory, "data_use": DataUse, "data_subject": DataSubject}
    found = _FidesInput()
    for file in _manifest_files(folder):
        doc = read_yaml(file, error=RegisterLoadError, line_key="__line__")
        for dup in duplicate_key_rows(doc):
            findings.add("duplicate-key", Where(file=dup["file"], row=dup["row"]), column=dup["column"],
                         evidence=dup["evidence"])
        data = doc.data
        if not isinstance(data, dict):
            if data is not None:
                findings.add("part-not-imported", Where(file=str(file)), evidence=f"{file.name} (not a manifest)")
            continue
        for resource, items in data.items():
            if resource == "__line__":
                continue
            where = Where(file=str(file), row=data.get("__line__"))
            if resource not in _FIDES_RESOURCES:
                findings.add("part-not-imported", where, evidence=f"{resource!r} in {file.name}")
                continue
            if not isinstance(items, list):
                findings.add("invalid-manifest", where, column=resource, evidence="expected a list")
                continue
            for raw in items:
                at = Where(file=str(file), row=raw.get("__line__") if isinstance(raw, dict) else None)
                key = raw.get("fides_key", "?") if isinstance(raw, dict) else "?"
                if resource in ("dataset", "policy", "evaluation", "registry"):
                    findings.add("part-not-imported", at, evidence=f"{resource} {key!r}")
                    continue
                model = {"system": System, "organization": Organization, **models}[resource]
                clean = _strip_lines(raw)
                try:
                    parsed = model.model_validate(clean)
                except (ValidationError, TypeError, ValueError) as exc:
                    message = exc.errors()[0] if isinstance(exc, ValidationError) else {"msg": str(exc), "loc": ()}
                    loc = ".".join(str(p) for p in message.get("loc", ()))
                    findings.add("invalid-manifest", at, column=f"{resource} {key!r}",
                                 evidence=f"{loc + ': ' if loc else ''}{message.get('msg')}")
                    continue
                if resource == "system":
                    found.systems.append((parsed, raw, str(file)))
                elif resource == "organization":
                    if found.organisation is None:
                        found.organisation = (parsed, raw, str(file))
                    else:
                        findings.add("part-not-imported", at, evidence=f"a second organization {key!r}")
                else:
                    kind = resource
                    term = {"key": parsed.fides_key, "name": parsed.name or parsed.fides_key,
                            "description": parsed.description or ""}
                    parent = getattr(parsed, "parent_key", None)
                    term["parents"] = [parent] if parent else []
                    found.terms.setdefault(kind, []).append(term)
    return found


def _fides_taxonomy(base: Taxonomy, terms: Mapping[str, list[dict[str, Any]]], folder: Path) -> Taxonomy:
    ext = {kind: [t for t in items if not base.known(kind, [t["key"]])[0]] for kind, items in terms.items()}
    ext = {k: v for k, v in ext.items() if v}
    return base.extend(ext, source=str(folder)) if ext else base


def _retention_from_fides(text: str) -> tuple[str, str]:
    text = (text or "").strip()
    if text.isdigit():
        return f"P{int(text)}D", ""
    return durations.from_words(text)


def load_fides(path: str | Path, *, taxonomy: Taxonomy | None = None) -> Register:
    """Read a folder of Fides manifests into a register, with fideslang's models.

    Every privacy declaration becomes an activity (declarations of one system that share a
    name form one activity, whose id is ``<system key>.<name>``; a system ropa wrote names its
    activity in ``meta.ropa.activity_id``). Mapping:

    ============================================  ==========================================
    Fides                                         register
    ============================================  ==========================================
    declaration ``name``, system ``name``         ``name``; the system's name is in ``systems``
    ``data_use``                                  ``purposes``
    ``data_categories``, ``data_subjects``        kept as keys
    ``legal_basis_for_processing``                ``lawful_basis`` (art6_1_a ... f)
    ``special_category_legal_basis``              ``art9_condition`` (art9_2_a ... j)
    ``impact_assessment_location``                ``lia_reference``
    ``retention_period``                          ``retention`` ("7 years" -> P7Y; a number: days)
    egress to another system; ``third_parties``   ``recipients`` (the system is a recipient)
    system ``legal_basis_for_transfers``          ``transfer_safeguards`` (or the recipient's)
    system ``description``                        ``purpose_description``
    ``administrating_department``                 ``business_function``
    ``responsibility``, ``joint_controller_info`` ``role`` (and the joint controllers)
    ``data_security_practices``                   ``security_measures``
    ``requires_data_protection_assessments``,     ``dpia``
    ``dpa_progress``
    ``uses_profiling``                            ``automated_decision_making``
    ingress from ``user``                         ``source`` = data_subject
    organization ``controller``,                  organisation ``controller``, ``dpo``,
    ``data_protection_officer``, ``representative`` ``representative``
    custom data categories, uses, subjects        the register's taxonomy
    fideslang 1.x ``third_country_transfers``     ``transfer_countries``
    ============================================  ==========================================

    A system that other systems send data to (egress) is a recipient; its country comes from
    ``meta.ropa.country`` or the last part of ``legal_address``. What Fides cannot hold
    (owner, status, review date, Art 9 types, transfer countries, ...) is read from
    ``meta.ropa`` when ropa wrote the manifest. Fields set in a manifest that the register has
    no place for are reported (``unmapped-field``) and kept in the ``unmapped`` column;
    datasets and policies are reported as ``part-not-imported``; resources that fideslang
    rejects as ``invalid-manifest``.

    Example:
        >>> import ropa
        >>> reg = ropa.load_register("tests/data/fides/shop")  # doctest: +SKIP
        >>> reg.activities["activity_id"].tolist()  # doctest: +SKIP
    """
    folder = Path(path)
    if not folder.is_dir():
        raise RegisterLoadError("is not a folder of Fides manifests", str(folder))
    findings = ImportFindings()
    found = _read_manifests(folder, findings)
    if not found.systems and found.organisation is None:
        raise RegisterLoadError("holds no Fides system or organization manifest", str(folder))
    base = _fides_taxonomy(taxonomy or default_taxonomy(), found.terms, folder)
    categories = base.keys("recipient")

    organisation: dict[str, Any] = {}
    if found.organisation is not None:
        org, raw, file = found.organisation
        where = Where(file=file, row=raw.get("__line__"))
        if org.name:
            organisation["name"] = org.name
        organisation["fides_key"] = org.fides_key
        for key, attr in (("controller", "controller"), ("dpo", "data_protection_officer"),
                          ("representative", "representative")):
            contact = _contact_dict(getattr(org, attr))
            if contact is not None:
                organisation[key] = contact
        controller = organisation.get("controller")
        if isinstance(controller, dict) and controller.get("address") and not controller.get("country"):
            country = country_from_address(str(controller["address"]))  # as organisation.yaml is read
            if country:
                controller["country"] = country
        for name, value in _non_default(org, raw, frozenset({"fides_key", "name", "controller", "data_protection_officer",
                                                             "representative", "organization_parent_key"})):
            findings.add("unmapped-field", where, column=f"organization.{name}", evidence=str(value))
            organisation.setdefault("unmapped", {})[name] = value

    systems = {s.fides_key: (s, raw, file) for s, raw, file in found.systems}
    targets = {flow.fides_key for s, _, _ in found.systems for flow in (s.egress or []) if flow.type == "system"}
    mapper = Mapper(base)
    book = RecipientBook(no_recipients(), mapper, categories, findings)
    key_to_recipient: dict[str, str] = {}
    for key, (system, raw, file) in systems.items():
        meta = ((system.meta or {}).get("ropa") or {}) if isinstance(system.meta, dict) else {}
        if not (key in targets or meta.get("recipient")):
            continue
        rid = str(meta.get("recipient_id") or key)
        key_to_recipient[key] = rid
        where = Where(file=file, row=raw.get("__line__"))
        rec = {c: ([] if c in RECIPIENT_LIST_COLUMNS else "") for c in RECIPIENT_COLUMNS}
        transfers = [FIDES_TRANSFER.get(t) for t in system.legal_basis_for_transfers]
        rec.update(recipient_id=rid, name=system.name or key, description=system.description or "")
        if meta:
            for col in RECIPIENT_COLUMNS:
                if col in meta and col not in ("recipient_id", "name", "description"):
                    rec[col] = list(meta[col]) if col in RECIPIENT_LIST_COLUMNS else str(meta[col] or "")
        else:
            category, source = book.guess_category([t for t in (system.description, system.system_type,
                                                                  system.name) if t])
            rec.update(category=category, kind=book.kind_for(category),
                       country=(country_from_address(system.legal_address or "") or ""),
                       transfer_safeguard=next((t for t in transfers if t), ""))
            findings.add("recipient-created", where, recipient_id=rid, column="egress",
                         evidence=f"Fides system {key!r}: category {category} guessed from {source}, "
                                  f"kind {rec['kind']}, country {rec['country'] or 'unknown'}")
        if system.legal_name and system.legal_name != rec["name"] and system.legal_name not in rec["aliases"]:
            rec["aliases"] = [*rec["aliases"], system.legal_name]
        book.add(rid, rec, int(raw.get("__line__") or book.next_row))
        book.next_row = max(book.next_row, int(raw.get("__line__") or 0) + 1)
        if not system.privacy_declarations:
            for name, value in _non_default(system, raw, _SYSTEM_READ | {"legal_name", "legal_address"}):
                findings.add("unmapped-field", where, column=f"system.{name}", evidence=str(value))

    records: list[tuple[int, dict[str, Any]]] = []
    for key, (system, raw, file) in systems.items():
        if not system.privacy_declarations:
            if key not in key_to_recipient:
                findings.add("part-not-imported", Where(file=file, row=raw.get("__line__")),
                             evidence=f"system {key!r} (no privacy declarations, and nothing sends it data)")
            continue
        records += _fides_activities(system, raw, file, mapper, book, key_to_recipient, findings)
    taken: dict[str, int] = {}
    for _, rec in records:
        taken[rec["activity_id"]] = taken.get(rec["activity_id"], 0) + 1
    roles = {rec["role"] for _, rec in records}
    if roles and "role" not in organisation:
        organisation["role"] = "both" if "processor" in roles and roles - {"processor"} else next(iter(
            sorted(r for r in roles if r)), "controller").replace("joint_controller", "controller")
    files = {"activities": str(folder), "organisation": found.organisation[2] if found.organisation else "",
             "recipients": str(folder) if book.order else ""}
    files = {k: v for k, v in files.items() if v}
    return finish_register(organisation, records, [], book.frame(), base, files, findings.frames())


def _fides_activities(system: Any, raw: Mapping[str, Any], file: str, mapper: Mapper, book: RecipientBook,
                      key_to_recipient: Mapping[str, str], findings: ImportFindings) -> list[tuple[int, dict[str, Any]]]:
    """The activities of one system: one per group of same-named privacy declarations."""
    tax = mapper.tax
    meta_all = system.meta if isinstance(system.meta, dict) else {}
    meta = dict(meta_all.get("ropa") or {})
    raw_decls = [d for d in raw.get("privacy_declarations") or [] if isinstance(d, dict)]
    raw_by_name: dict[str, list[dict[str, Any]]] = {}
    for d in raw_decls:
        raw_by_name.setdefault(str(d.get("name") or d.get("data_use") or ""), []).append(d)
    groups: dict[str, list[Any]] = {}
    for decl in system.privacy_declarations:
        groups.setdefault(decl.name or decl.data_use, []).append(decl)
    if meta.get("activity_id"):
        groups = {str(meta.get("name") or next(iter(groups))): [d for g in groups.values() for d in g]}
    system_extra = _non_default(system, raw, _SYSTEM_READ | _LEGACY_SYSTEM)
    legacy = {k: raw[k] for k in _LEGACY_SYSTEM if k in raw}
    unknown_keys = [k for k in raw if k not in type(system).model_fields and k not in _LEGACY_SYSTEM
                    and k != "__line__"]
    other_meta = {k: v for k, v in meta_all.items() if k != "ropa"}
    out = []
    for group_name, decls in groups.items():
        first_raw = (raw_by_name.get(group_name) or raw_decls or [raw])[0]
        line = int(first_raw.get("__line__") or raw.get("__line__") or 0)
        aid = str(meta.get("activity_id") or f"{system.fides_key}.{slug(group_name, '_')}")
        where = Where(file=file, row=line, activity_id=aid)
        left = Leftovers(findings, tax, where)
        rec: dict[str, Any] = {c: ([] if c in ACTIVITY_LIST_COLUMNS else "") for c in ACTIVITY_COLUMNS}
        rec["activity_id"] = aid
        rec["name"] = str(meta.get("name") or group_name)
        rec["purpose_description"] = system.description or ""
        department = system.administrating_department or ""
        rec["business_function"] = "" if department == "Not defined" else department
        rec["purposes"] = dedupe(d.data_use for d in decls)
        rec["data_categories"] = dedupe(c for d in decls for c in d.data_categories)
        rec["data_subjects"] = dedupe(s for d in decls for s in d.data_subjects)
        bases, art9 = [], []
        for d in decls:
            basis = _enum_value(d.legal_basis_for_processing)
            if basis:
                bases.append(FIDES_LEGAL_BASIS.get(basis, basis))
            special = _enum_value(d.special_category_legal_basis)
            if special:
                art9.append(FIDES_ART9.get(special, special))
        rec["lawful_basis"], rec["art9_condition"] = dedupe(bases), dedupe(art9)
        rec["lia_reference"] = next((d.impact_assessment_location for d in decls if d.impact_assessment_location), "")
        retention = dedupe(_retention_from_fides(d.retention_period or "")[0] for d in decls)
        triggers = dedupe(_retention_from_fides(d.retention_period or "")[1] for d in decls)
        rec["retention"] = "; ".join(retention)
        rec["retention_trigger"] = "; ".join(triggers)
        if any(d.processes_special_category_data for d in decls):
            rec["special_categories"] = [
                k for k in tax.keys("art9_category")
                if any(tax.is_under("data_category", rec["data_categories"] or ["user"], u).any()
                       for u in tax.attribute("art9_category", k, "data_categories", []) or [])]
        recipients: list[str] = []
        for d in decls:
            flows = d.egress if d.egress is not None else [f.fides_key for f in system.egress or []
                                                           if f.type == "system"]
            recipients += [key_to_recipient.get(k, k) for k in flows]
            if d.third_parties:
                got, bad = book.resolve(d.third_parties, where, "recipients")
                recipients += got
                for part in bad:
                    left.not_mapped("recipients", part, "recipient")
        if not recipients and not any(d.data_shared_with_third_parties for d in decls):
            recipients = ["none"]
        rec["recipients"] = dedupe(recipients)
        responsibility = [_enum_value(r) for r in system.responsibility]
        title = legacy.get("data_responsibility_title")
        responsibility += [str(t) for t in title] if isinstance(title, list) else ([str(title)] if title else [])
        if any(r in ("Processor", "Sub-Processor") for r in responsibility):
            rec["role"] = "processor"
        elif system.joint_controller_info or legacy.get("joint_controller"):
            rec["role"] = "joint_controller"
        else:
            rec["role"] = "controller"
        joint = system.joint_controller_info or _contact_text(legacy.get("joint_controller"))
        if joint:
            rec["controllers"] = split_lines(joint)
        rec["security_measures"] = split_lines(system.data_security_practices or "")
        rec["systems"] = [system.name or system.fides_key]
        dpia_raw = legacy.get("data_protection_impact_assessment") or {}
        needs = system.requires_data_protection_assessments or bool(
            isinstance(dpia_raw, dict) and dpia_raw.get("is_required"))
        progress = system.dpa_progress or (dpia_raw.get("progress") if isinstance(dpia_raw, dict) else "") or ""
        rec["dpia"] = dpia_state(mapper, "yes" if needs else "", progress) if (needs or progress) else ""
        rec["automated_decision_making"] = "true" if system.uses_profiling else "false"
        if any(f.type == "user" for f in system.ingress or []):
            rec["source"] = ["data_subject"]
        rec["transfer_safeguards"] = dedupe(FIDES_TRANSFER.get(t, "") for t in system.legal_basis_for_transfers)
        for t in system.legal_basis_for_transfers:
            if t not in FIDES_TRANSFER:
                findings.add("unmapped-field", where, column="system.legal_basis_for_transfers", evidence=t)
                left.parts.append(("transfer_safeguards", t))
        countries = legacy.get("third_country_transfers") or []
        rec["transfer_countries"] = dedupe(country_code(str(c)) or str(c) for c in countries)
        for col, value in meta.items():
            if col in ACTIVITY_COLUMNS and col not in ("activity_id", "name"):
                rec[col] = [str(v) for v in value or []] if col in ACTIVITY_LIST_COLUMNS else str(value or "")
            elif col == UNMAPPED_COLUMN:
                left.parts += unmapped_pairs(str(value or ""))
        for name, value in system_extra:
            left.not_read(f"system.{name}", str(value))
        for name in unknown_keys:
            left.not_read(f"system.{name}", str(_strip_lines(raw[name])))
        for name, value in other_meta.items():
            left.not_read(f"system.meta.{name}", str(value))
        for d, rd in zip(decls, raw_by_name.get(group_name) or [{}] * len(decls), strict=False):
            for name, value in _non_default(d, rd, _DECLARATION_READ):
                left.not_read(f"privacy_declaration.{name}", str(value))
            for name in (k for k in rd if k not in type(d).model_fields and k != "__line__"):
                left.not_read(f"privacy_declaration.{name}", str(_strip_lines(rd[name])))
        rec[UNMAPPED_COLUMN] = left.text()
        out.append((line, rec))
    return out


def _contact_text(contact: Any) -> str:
    if isinstance(contact, Mapping):
        return ", ".join(str(v) for k, v in contact.items() if v and k != "__line__")
    return str(contact or "")


def write_fides(register: Register, path: str | Path, *, include_retired: bool = True) -> Path:
    """Export a register as a folder of Fides manifests: ``organization.yml`` and ``systems.yml``.

    One Fides system per activity (its key from the activity id), with one privacy declaration
    per purpose and lawful basis (and Art 9 condition), all named after the activity: Fides
    holds one data use and one legal basis per declaration. Each named recipient becomes a
    system (``system_type: Third Party``) that the activity's systems send data to (egress).
    What Fides has a field for is written there (see :func:`load_fides` for the mapping); what
    it has not (owner, status, review date, Art 9 types, transfer countries, the recipients'
    kind, category, country and contract) goes into each system's ``meta.ropa``, which Fides
    keeps as it is. Reading the folder back with :func:`load_fides` gives the same activities
    and recipients. Fields of organisation.yaml other than the controller, DPO and
    representative have no place in Fides and are not written.

    Example:
        >>> import ropa, tempfile
        >>> reg = ropa.load_register("registers/pro-at")
        >>> out = write_fides(reg, tempfile.mkdtemp())
        >>> len(ropa.load_register(out).activities) == len(reg.activities)
        True
    """
    from fideslang.models import ContactDetails, Organization, System

    folder = Path(path)
    folder.mkdir(parents=True, exist_ok=True)
    tax = register.taxonomy
    org = register.organisation or {}
    org_key = _fides_key(org.get("fides_key") or slug(register.name, "_"))
    organization: dict[str, Any] = {"fides_key": org_key, "name": register.name}
    for key, attr in (("controller", "controller"), ("dpo", "data_protection_officer"),
                      ("representative", "representative")):
        contact = org.get(key)
        if isinstance(contact, Mapping) and any(contact.get(k) for k in ("name", "email", "phone", "address")):
            organization[attr] = ContactDetails(**{k: str(contact.get(k) or "") for k in
                                                   ("name", "address", "email", "phone")}).model_dump()
    Organization.model_validate(organization)
    recipients = register.recipients
    rec_keys: dict[str, str] = {}
    taken: set[str] = set()
    for rid in recipients["recipient_id"]:
        rec_keys[rid] = unique_id(_fides_key(rid), taken)
    systems: list[dict[str, Any]] = []
    acts = live_activities(register.activities, include_retired)
    for rec in acts.to_dict("records"):
        systems.append(_activity_system(rec, register, org_key, rec_keys, taken))
    for r in recipients.to_dict("records"):
        country = str(r.get("country") or "").upper()
        safeguard = str(r.get("transfer_safeguard") or "")
        system = {
            "fides_key": rec_keys[r["recipient_id"]], "organization_fides_key": org_key,
            "name": r.get("name") or r["recipient_id"], "description": r.get("description") or None,
            "system_type": "Internal" if r.get("kind") == "internal" else "Third Party",
            "privacy_declarations": [],
            "does_international_transfers": bool(country) and not tax.is_eea([country])[0],
            "legal_basis_for_transfers": [_TRANSFER_TO_FIDES[safeguard]] if safeguard in _TRANSFER_TO_FIDES else [],
            "meta": {"ropa": {"recipient": True, "recipient_id": r["recipient_id"], **{
                c: (list(r[c]) if c in RECIPIENT_LIST_COLUMNS else str(r[c] or ""))
                for c in r if c not in ("recipient_id", "name", "description")}}},
        }
        systems.append(system)
    dumped = [System.model_validate(s).model_dump(mode="json", exclude_defaults=True) for s in systems]
    for item, source in zip(dumped, systems, strict=True):
        item["privacy_declarations"] = item.get("privacy_declarations", source["privacy_declarations"])
    for old in ("organization.yml", "systems.yml"):
        (folder / old).unlink(missing_ok=True)
    header = "# Written by ropa from the register of processing activities; meta.ropa holds what Fides has no field for.\n"
    (folder / "organization.yml").write_text(header + yaml.safe_dump(
        {"organization": [Organization.model_validate(organization).model_dump(mode="json", exclude_defaults=True)]},
        sort_keys=False, allow_unicode=True), encoding="utf-8")
    (folder / "systems.yml").write_text(header + yaml.safe_dump({"system": dumped}, sort_keys=False,
                                                                 allow_unicode=True), encoding="utf-8")
    return folder


def _activity_system(rec: Mapping[str, Any], register: Register, org_key: str, rec_keys: Mapping[str, str],
                     taken: set[str]) -> dict[str, Any]:
    tax = register.taxonomy
    named = [r for r in rec.get("recipients") or [] if r in rec_keys]
    others = [r for r in rec.get("recipients") or [] if r not in rec_keys and r != "none"]
    egress = [{"fides_key": rec_keys[r], "type": "system", "data_categories": list(rec.get("data_categories") or [])}
              for r in named]
    purposes = list(rec.get("purposes") or []) or ["essential"]
    bases = [FIDES_LEGAL_BASIS_REVERSE.get(b) for b in rec.get("lawful_basis") or []] or [None]
    art9 = [FIDES_ART9_REVERSE.get(c) for c in rec.get("art9_condition") or []] or [None]
    declarations = []
    for use in purposes:
        for basis in bases:
            for condition in art9:
                declarations.append({
                    "name": rec.get("name") or rec["activity_id"],
                    "data_use": use,
                    "data_categories": list(rec.get("data_categories") or []),
                    "data_subjects": list(rec.get("data_subjects") or []),
                    "egress": [rec_keys[r] for r in named] or None,
                    "legal_basis_for_processing": basis,
                    "impact_assessment_location": rec.get("lia_reference") or None,
                    "retention_period": rec.get("retention") or None,
                    "processes_special_category_data": bool(rec.get("special_categories") or condition),
                    "special_category_legal_basis": condition,
                    "data_shared_with_third_parties": bool(named or others),
                    "third_parties": "; ".join(Mapper(tax).term_text("recipient", r) for r in others) or None,
                })
    safeguards = [_TRANSFER_TO_FIDES[s] for s in rec.get("transfer_safeguards") or [] if s in _TRANSFER_TO_FIDES]
    countries = [str(c).upper() for c in rec.get("transfer_countries") or []]
    abroad = any(c and not tax.is_eea([c])[0] for c in countries)
    role = str(rec.get("role") or "")
    dpia = str(rec.get("dpia") or "")
    meta = {c: (list(rec[c]) if isinstance(rec[c], list | tuple) else str(rec[c] or ""))
            for c in ("owner", "role", "controllers", "legitimate_interest", "special_categories",
                      "criminal_offence_data", "recipients", "transfer_countries", "transfer_safeguards",
                      "retention_trigger", "source", "systems", "dpia", "automated_decision_making",
                      "status", "last_reviewed", "retention")}
    meta.update({c: (list(v) if isinstance(v, list | tuple) else str(v or "")) for c, v in rec.items()
                 if c not in ACTIVITY_COLUMNS})
    return {
        "fides_key": unique_id(_fides_key(rec["activity_id"]), taken),
        "organization_fides_key": org_key,
        "name": rec.get("name") or rec["activity_id"],
        "description": rec.get("purpose_description") or None,
        "system_type": "Processing activity",
        "administrating_department": rec.get("business_function") or "Not defined",
        "responsibility": ["Processor"] if role == "processor" else ["Controller"],
        "joint_controller_info": "\n".join(rec.get("controllers") or []) if role == "joint_controller" else None,
        "egress": egress or None,
        "privacy_declarations": declarations,
        "data_security_practices": "; ".join(rec.get("security_measures") or []) or None,
        "uses_profiling": str(rec.get("automated_decision_making") or "").lower() == "true",
        "does_international_transfers": abroad,
        "legal_basis_for_transfers": dedupe(safeguards),
        "requires_data_protection_assessments": dpia in ("required", "in_progress", "done"),
        "dpa_progress": dpia or None,
        "ingress": [{"fides_key": "user", "type": "user"}] if "data_subject" in (rec.get("source") or []) else None,
        "meta": {"ropa": {"activity_id": rec["activity_id"], "name": rec.get("name") or "", **meta}},
    }


FIDES_LEGAL_BASIS_REVERSE = {v: k for k, v in FIDES_LEGAL_BASIS.items()}


FIDES_ART9_REVERSE = {v: k for k, v in FIDES_ART9.items()}
