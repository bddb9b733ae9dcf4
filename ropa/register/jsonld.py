"""The Article 30 record as linked data: JSON-LD in the W3C Data Privacy Vocabulary (DPV).

Vocabulary (DPV 2.x): the core ``dpv:`` (https://w3id.org/dpv#), its GDPR extension
``eu-gdpr:`` (https://w3id.org/dpv/legal/eu/gdpr#) for the legal bases and transfer
mechanisms, ``loc:`` (https://w3id.org/dpv/loc#) for countries and ``pd:``
(https://w3id.org/dpv/pd#) for personal-data categories. ``ropa``'s own keys stay visible:
every taxonomy term is a node ``tax:<kind>:<key>`` with ``skos:notation`` (the fideslang or
ropa key) and ``rdfs:label``; what DPV has no term for uses the ``ropa:`` vocabulary
(``urn:ropa:vocab:``).

The shape of the graph:

=================================  =========================================================
register                           graph
=================================  =========================================================
the record                         ``<record> a dpv:RecordsOfActivities``; ``dct:issued``;
                                   ``dpv:hasDataController <organisation>``; ``dct:hasPart``
controller, DPO, representative    ``<organisation> a dpv:DataController``, ``dpv:hasName``,
                                   ``dpv:hasAddress``, ``dpv:hasContact``,
                                   ``dpv:hasDataProtectionOfficer``, ``dpv:hasRepresentative``
an activity                        ``<activity:ID> a dpv:Process``; ``dct:identifier``,
                                   ``dct:title``, ``dct:description``
purposes                           ``dpv:hasPurpose tax:data_use:KEY`` (``a dpv:Purpose``)
data categories                    ``dpv:hasPersonalData tax:data_category:KEY``
                                   (``a dpv:PersonalData``, ``skos:closeMatch pd:...`` where
                                   one is known; Art 9 data also ``a dpv:SpecialCategoryPersonalData``)
data subjects                      ``dpv:hasDataSubject tax:data_subject:KEY`` (``a dpv:DataSubject``)
lawful basis, Art 9 condition      ``dpv:hasLegalBasis eu-gdpr:A6-1-a`` ... ``eu-gdpr:A9-2-j``
recipients                         ``dpv:hasRecipient <recipient:ID>`` (``a dpv:Recipient`` and
                                   ``dpv:DataProcessor`` / ``dpv:DataController``, with
                                   ``dpv:hasCountry loc:XX``) or a recipient-category term
third-country transfers            ``dpv:hasThirdCountry loc:XX`` on the activity, and one
                                   ``dpv:hasProcess`` node per transfer (``dpv:hasProcessing
                                   dpv:CrossBorderTransfer``, ``dpv:hasThirdCountry``,
                                   ``dpv:hasRecipient``, ``ropa:safeguard``, and
                                   ``dpv:hasLegalBasis`` with the transfer mechanism:
                                   ``eu-gdpr:A45-3`` only when an adequacy decision covers the
                                   transfer (for the US, only a DPF-certified recipient),
                                   ``eu-gdpr:A46-2-c`` for SCCs, ``eu-gdpr:A46-2-b`` for BCRs)
retention                          ``dpv:hasStorageCondition`` (``a dpv:StorageDuration`` with
                                   ``dpv:hasDuration "P7Y"^^xsd:duration``, or ``a
                                   dpv:StorageCondition`` with the criterion as label)
security measures                  ``dpv:hasTechnicalOrganisationalMeasure`` (``a
                                   dpv:TechnicalOrganisationalMeasure``, label)
processor activities               ``dpv:hasDataProcessor <organisation>``,
                                   ``dpv:hasDataController`` the controllers acted for
=================================  =========================================================

Countries carry ``a dpv:ThirdCountry`` when outside the EEA, and ``ropa:adequacy`` (the scope
of the adequacy decision: all, commercial, dpf) with ``ropa:adequacyDecided`` where one exists,
from ``ropa``'s dated country data.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .model import live_activities

if TYPE_CHECKING:
    from .model import Register

__all__ = [
    "CONTEXT",
    "DATA_CATEGORY_PD",
    "DPV",
    "EU_GDPR",
    "LEGAL_BASIS_IRI",
    "LOC",
    "ROPA",
    "SAFEGUARD_IRI",
    "TAX",
    "record_graph",
    "write_jsonld",
]

DPV = "https://w3id.org/dpv#"
EU_GDPR = "https://w3id.org/dpv/legal/eu/gdpr#"
LOC = "https://w3id.org/dpv/loc#"
PD = "https://w3id.org/dpv/pd#"
ROPA = "urn:ropa:vocab:"
TAX = "urn:ropa:taxonomy:"
DCT = "http://purl.org/dc/terms/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"

#: The JSON-LD context the file is compacted with.
CONTEXT: dict[str, str] = {
    "dpv": DPV, "eu-gdpr": EU_GDPR, "loc": LOC, "pd": PD, "ropa": ROPA, "tax": TAX,
    "dct": DCT, "skos": SKOS, "rdfs": RDFS, "xsd": XSD,
}

#: Lawful bases (Art 6(1)) and Art 9(2) conditions: ropa key -> DPV GDPR-extension concept.
LEGAL_BASIS_IRI: dict[str, str] = {
    **{f"art6_1_{x}": f"{EU_GDPR}A6-1-{x}" for x in "abcdef"},
    **{f"art9_2_{x}": f"{EU_GDPR}A9-2-{x}" for x in "abcdefghij"},
}

#: Transfer safeguards: ropa key -> the transfer legal basis concept. ``adequacy`` and ``dpf``
#: become Art 45(3) only where an adequacy decision covers the transfer.
SAFEGUARD_IRI: dict[str, str] = {
    "adequacy": f"{EU_GDPR}A45-3",
    "dpf": f"{EU_GDPR}A45-3",
    "scc": f"{EU_GDPR}A46-2-c",
    "bcr": f"{EU_GDPR}A46-2-b",
    "art49": f"{DPV}DataTransferLegalBasis",
}

#: fideslang data categories with a close DPV personal-data concept.
DATA_CATEGORY_PD: dict[str, str] = {
    "user.name": "Name", "user.contact": "Contact", "user.contact.email": "EmailAddress",
    "user.contact.address": "PhysicalAddress", "user.contact.address.city": "City",
    "user.contact.address.country": "Country", "user.device.ip_address": "IPAddress",
    "user.location": "Location", "user.location.precise": "GPSCoordinate",
    "user.health_and_medical": "Health", "user.health_and_medical.genetic": "Genetic",
    "user.financial": "Financial", "user.financial.bank_account": "BankAccount",
    "user.financial.credit_card": "CreditCardNumber", "user.demographic.date_of_birth": "BirthDate",
    "user.demographic.age_range": "AgeRange", "user.demographic.gender": "Gender",
    "user.demographic.language": "Language", "user.demographic.race_ethnicity": "EthnicOrigin",
    "user.biometric": "Biometric", "user.criminal_history": "Criminal",
    "user.behavior": "Behavioral", "user.behavior.browsing_history": "BrowserHistory",
}

#: Data subjects with a DPV concept of their own.
DATA_SUBJECT_DPV: dict[str, str] = {"customer": "Customer", "employee": "Employee", "patient": "Patient"}

#: Recipient kinds -> the DPV entity class added to ``dpv:Recipient``.
RECIPIENT_KIND_DPV: dict[str, str] = {
    "processor": "DataProcessor", "controller": "DataController", "joint_controller": "DataController",
}

#: Data sources -> DPV concept.
SOURCE_DPV: dict[str, str] = {"data_subject": "DataSubjectDataSource", "public": "PublicDataSource"}


def _iri_part(text: str) -> str:
    """An id or key as one segment of an IRI: case, dots and the whole length kept, runs of
    other characters as ``-``. Not :func:`ropa.core.names.slug`, which folds case and cuts at
    60 characters: ``A1`` and ``a1``, or two long ids, would become one node of the graph."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", str(text)).strip("-") or "item"


def record_graph(register: Register, *, include_retired: bool = False, date: dt.date | None = None):
    """The record as an rdflib Graph in DPV (see the module documentation for its shape).

    Example:
        >>> import ropa
        >>> from ropa.register.jsonld import record_graph
        >>> g = record_graph(ropa.load_register("registers/pro-at"), date=__import__("datetime").date(2026, 1, 1))
        >>> len(g) > 100
        True
    """
    from rdflib import RDF, Graph, Literal, Namespace, URIRef

    dpv, loc, ropa_ns = Namespace(DPV), Namespace(LOC), Namespace(ROPA)
    dct, skos, rdfs, xsd = Namespace(DCT), Namespace(SKOS), Namespace(RDFS), Namespace(XSD)
    tax = register.taxonomy
    org = register.organisation or {}
    base = f"urn:ropa:register:{_iri_part(org.get('fides_key') or register.name).lower()}:"
    g = Graph()
    for prefix, iri in CONTEXT.items():
        g.bind(prefix, iri)

    def node(*parts: str) -> URIRef:
        return URIRef(base + ":".join(_iri_part(p) for p in parts))

    def term(kind: str, key: str) -> URIRef:
        iri = URIRef(f"{TAX}{kind}:{_iri_part(key)}")
        if (iri, skos.notation, None) not in g:
            g.add((iri, skos.notation, Literal(key)))
            g.add((iri, rdfs.label, Literal(tax.label(kind, key))))
            g.add((iri, ropa_ns.kind, Literal(kind)))
            for parent in _parents(tax, kind, key):
                g.add((iri, skos.broader, term(kind, parent)))
        return iri

    def text(subject: URIRef, predicate: URIRef, value: Any) -> None:
        if value not in (None, "") and not (isinstance(value, float) and value != value):
            g.add((subject, predicate, Literal(str(value))))

    def country(code: str) -> URIRef:
        code = code.upper()
        iri = loc[code]
        if (iri, rdfs.label, None) not in g:
            g.add((iri, RDF.type, dpv.Country))
            g.add((iri, rdfs.label, Literal(tax.country_name(code))))
            if not tax.is_eea([code])[0]:
                g.add((iri, RDF.type, dpv.ThirdCountry))
            scope = tax.adequacy_scope([code])[0]
            if scope:
                g.add((iri, ropa_ns.adequacy, Literal(scope)))
                decided = tax.countries.at[code, "adequacy_decided"] if code in tax.countries.index else ""
                if decided:
                    g.add((iri, ropa_ns.adequacyDecided, Literal(str(decided), datatype=xsd.date)))
        return iri

    def party(iri: URIRef, contact: Mapping[str, Any] | None, *classes: URIRef) -> URIRef:
        for cls in classes:
            g.add((iri, RDF.type, cls))
        contact = contact or {}
        text(iri, dpv.hasName, contact.get("name"))
        text(iri, dpv.hasAddress, contact.get("address"))
        for key in ("email", "phone", "privacy_contact", "contact"):
            text(iri, dpv.hasContact, contact.get(key))
        return iri

    issued = date or dt.date.today()
    record = node("record")
    g.add((record, RDF.type, dpv.RecordsOfActivities))
    g.add((record, dct.title, Literal(f"Record of processing activities (Article 30 GDPR) of {register.name}")))
    g.add((record, dct.issued, Literal(issued.isoformat(), datatype=xsd.date)))
    organisation = party(node("organisation"), org.get("controller") if isinstance(org.get("controller"), Mapping)
                         else {"name": register.name}, dpv.DataController, dpv.Organisation)
    g.add((record, dpv.hasDataController, organisation))
    dpo = org.get("dpo")
    if isinstance(dpo, Mapping) and dpo.get("designated", True) and any(dpo.get(k) for k in ("name", "email", "phone")):
        g.add((organisation, dpv.hasDataProtectionOfficer, party(node("dpo"), dpo, dpv.DataProtectionOfficer)))
    elif isinstance(dpo, Mapping):
        text(organisation, ropa_ns.dpoNotDesignated, dpo.get("reason") or "no DPO designated")
        text(organisation, dpv.hasContact, dpo.get("privacy_contact"))
    rep = org.get("representative")
    if isinstance(rep, Mapping) and any(rep.values()):
        g.add((organisation, dpv.hasRepresentative, party(node("representative"), rep, dpv.Representative)))
    controllers = {str(c.get("id") or c.get("name")): c for c in org.get("controllers") or [] if isinstance(c, Mapping)}

    recipients = {r["recipient_id"]: r for r in register.recipients.to_dict("records")}

    def recipient(rid: str) -> URIRef:
        if rid in recipients:
            r = recipients[rid]
            iri = node("recipient", rid)
            if (iri, RDF.type, dpv.Recipient) not in g:
                g.add((iri, RDF.type, dpv.Recipient))
                kind_class = RECIPIENT_KIND_DPV.get(str(r.get("kind") or ""))
                if kind_class:
                    g.add((iri, RDF.type, dpv[kind_class]))
                text(iri, dct.identifier, rid)
                text(iri, dpv.hasName, r.get("name"))
                text(iri, ropa_ns.kind, r.get("kind"))
                text(iri, ropa_ns.safeguard, r.get("transfer_safeguard"))
                text(iri, ropa_ns.contractReference, r.get("contract_reference"))
                if r.get("category"):
                    g.add((iri, ropa_ns.category, term("recipient", str(r["category"]))))
                if r.get("country"):
                    g.add((iri, dpv.hasCountry, country(str(r["country"]))))
            return iri
        iri = term("recipient", rid)
        g.add((iri, RDF.type, dpv.Recipient))
        return iri

    acts = live_activities(register.activities, include_retired)
    special_keys: dict[str, list[str]] = {
        k: list(tax.attribute("art9_category", k, "data_categories", []) or []) for k in tax.keys("art9_category")}
    for rec in acts.to_dict("records"):
        aid = str(rec["activity_id"])
        act = node("activity", aid)
        g.add((record, dct.hasPart, act))
        g.add((act, RDF.type, dpv.Process))
        text(act, dct.identifier, aid)
        text(act, dct.title, rec.get("name"))
        text(act, dct.description, rec.get("purpose_description"))
        for col, prop in (("role", "role"), ("business_function", "businessFunction"), ("owner", "owner"),
                          ("legitimate_interest", "legitimateInterest"), ("lia_reference", "liaReference"),
                          ("dpia", "dpia"), ("status", "status"), ("unmapped", "unmapped")):
            text(act, ropa_ns[prop], rec.get(col))
        if rec.get("last_reviewed"):
            g.add((act, ropa_ns.lastReviewed, Literal(str(rec["last_reviewed"]), datatype=xsd.date)))
        for flag, prop in (("criminal_offence_data", "criminalOffenceData"),):
            if str(rec.get(flag) or "").lower() in ("true", "false"):
                g.add((act, ropa_ns[prop], Literal(str(rec[flag]).lower() == "true")))
        if str(rec.get("automated_decision_making") or "").lower() == "true":
            g.add((act, dpv.hasContext, dpv.AutomatedDecisionMaking))
        role = str(rec.get("role") or "")
        if role == "processor":
            g.add((act, dpv.hasDataProcessor, organisation))
            for cid in rec.get("controllers") or []:
                ctrl = party(node("controller", cid), controllers.get(cid) or {"name": cid}, dpv.DataController)
                g.add((act, dpv.hasDataController, ctrl))
        else:
            g.add((act, dpv.hasDataController, organisation))
            for cid in rec.get("controllers") or []:
                ctrl = party(node("controller", cid), controllers.get(cid) or {"name": cid}, dpv.DataController)
                g.add((act, dpv.hasDataController, ctrl))
        for key in rec.get("purposes") or []:
            iri = term("data_use", key)
            g.add((iri, RDF.type, dpv.Purpose))
            g.add((act, dpv.hasPurpose, iri))
        for key in rec.get("data_categories") or []:
            iri = term("data_category", key)
            g.add((iri, RDF.type, dpv.PersonalData))
            close = next((DATA_CATEGORY_PD[k] for k in [key, *tax.ancestors("data_category", key)]
                          if k in DATA_CATEGORY_PD), None)
            if close:
                g.add((iri, skos.closeMatch, URIRef(PD + close)))
            if any(tax.is_under("data_category", key, u) for us in special_keys.values() for u in us):
                g.add((iri, RDF.type, dpv.SpecialCategoryPersonalData))
            g.add((act, dpv.hasPersonalData, iri))
        for key in rec.get("special_categories") or []:
            iri = term("art9_category", key)
            g.add((iri, RDF.type, dpv.SpecialCategoryPersonalData))
            g.add((act, dpv.hasPersonalData, iri))
        for key in rec.get("data_subjects") or []:
            iri = term("data_subject", key)
            g.add((iri, RDF.type, dpv.DataSubject))
            if key in DATA_SUBJECT_DPV:
                g.add((iri, skos.closeMatch, dpv[DATA_SUBJECT_DPV[key]]))
            g.add((act, dpv.hasDataSubject, iri))
        for key in [*(rec.get("lawful_basis") or []), *(rec.get("art9_condition") or [])]:
            g.add((act, dpv.hasLegalBasis, URIRef(LEGAL_BASIS_IRI[key]) if key in LEGAL_BASIS_IRI
                   else term("legal_basis", key)))
        for key in rec.get("source") or []:
            g.add((act, dpv.hasDataSource, dpv[SOURCE_DPV[key]] if key in SOURCE_DPV else term("source", key)))
        for rid in rec.get("recipients") or []:
            if rid != "none":
                g.add((act, dpv.hasRecipient, recipient(rid)))
        _transfers(g, act, rec, recipients, recipient, country, tax)
        retention = str(rec.get("retention") or "")
        if retention:
            storage = URIRef(f"{act}:retention")
            g.add((act, dpv.hasStorageCondition, storage))
            if re.fullmatch(r"P(?=\d|T\d)[\dYMWDTHS]+", retention):
                g.add((storage, RDF.type, dpv.StorageDuration))
                g.add((storage, dpv.hasDuration, Literal(retention, datatype=xsd.duration)))
            else:
                g.add((storage, RDF.type, dpv.StorageCondition))
            g.add((storage, rdfs.label, Literal(retention)))
            text(storage, ropa_ns.trigger, rec.get("retention_trigger"))
        for n, measure in enumerate(rec.get("security_measures") or [], start=1):
            tom = URIRef(f"{act}:measure:{n}")
            g.add((tom, RDF.type, dpv.TechnicalOrganisationalMeasure))
            g.add((tom, rdfs.label, Literal(str(measure))))
            g.add((act, dpv.hasTechnicalOrganisationalMeasure, tom))
        for system in rec.get("systems") or []:
            text(act, ropa_ns.system, system)
    return g


def _parents(tax: Any, kind: str, key: str) -> list[str]:
    terms = tax.terms
    row = terms[(terms["kind"] == kind) & (terms["key"] == key)]
    return list(row.iloc[0]["parents"]) if len(row) else []


def _transfers(g: Any, act: Any, rec: Mapping[str, Any], recipients: Mapping[str, Mapping[str, Any]],
               recipient: Any, country: Any, tax: Any) -> None:
    """One ``dpv:hasProcess`` node per transfer outside the EEA, with its mechanism."""
    from rdflib import RDF, Literal, Namespace, URIRef

    dpv, ropa_ns = Namespace(DPV), Namespace(ROPA)
    legs: list[tuple[str, str | None, list[str]]] = []
    for rid in rec.get("recipients") or []:
        r = recipients.get(rid)
        code = str((r or {}).get("country") or "").upper()
        if r is not None and code and not tax.is_eea([code])[0]:
            legs.append((code, rid, [str(r.get("transfer_safeguard") or "")]))
    own = [str(s) for s in rec.get("transfer_safeguards") or [] if s]
    for code in rec.get("transfer_countries") or []:
        code = str(code).upper()
        if code and not tax.is_eea([code])[0]:
            legs.append((code, None, own))
    for code, rid, safeguards in legs:
        leg = URIRef(f"{act}:transfer:{code}" + (f":{_iri_part(rid)}" if rid else ""))
        place = country(code)
        g.add((act, dpv.hasThirdCountry, place))
        g.add((act, dpv.hasProcess, leg))
        g.add((leg, RDF.type, dpv.Process))
        g.add((leg, dpv.hasProcessing, dpv.CrossBorderTransfer))
        g.add((leg, dpv.hasThirdCountry, place))
        if rid:
            g.add((leg, dpv.hasRecipient, recipient(rid)))
        scope = tax.adequacy_scope([code])[0]
        for safeguard in (s for s in safeguards if s and s != "none"):
            g.add((leg, ropa_ns.safeguard, Literal(safeguard)))
            if safeguard in ("adequacy", "dpf"):
                covered = scope in ("all", "commercial") or (scope == "dpf" and safeguard == "dpf")
                if covered:
                    g.add((leg, dpv.hasLegalBasis, URIRef(SAFEGUARD_IRI[safeguard])))
            elif safeguard in SAFEGUARD_IRI:
                g.add((leg, dpv.hasLegalBasis, URIRef(SAFEGUARD_IRI[safeguard])))
        if scope in ("all", "commercial") and not any(s in ("adequacy", "dpf") for s in safeguards):
            # An adequacy decision covers the transfer whether or not the register names it.
            g.add((leg, dpv.hasLegalBasis, URIRef(SAFEGUARD_IRI["adequacy"])))


def _canonical(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _canonical(v) for k, v in sorted(value.items())}
    if isinstance(value, list):
        items = [_canonical(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return value


def write_jsonld(register: Register, path: str | Path, *, include_retired: bool = False,
                 date: dt.date | None = None) -> Path:
    """Write the Article 30 record as JSON-LD in the W3C Data Privacy Vocabulary.

    The graph (see :func:`record_graph` and this module's documentation) is compacted with
    :data:`CONTEXT`; nodes and values are sorted, so the same register and date give the same
    file. Parse it with rdflib (``Graph().parse(path, format="json-ld")``) and query it with
    SPARQL.

    Args:
        register: the register.
        path: the .jsonld file to write.
        include_retired: keep activities whose status is ``retired``.
        date: the record's date (``dct:issued``); default today.

    Example:
        >>> import ropa, tempfile, pathlib, datetime
        >>> reg = ropa.load_register("registers/pro-at")
        >>> out = write_jsonld(reg, pathlib.Path(tempfile.mkdtemp()) / "record.jsonld",
        ...                    date=datetime.date(2026, 11, 25))
        >>> out.suffix
        '.jsonld'
    """
    graph = record_graph(register, include_retired=include_retired, date=date)
    data = json.loads(graph.serialize(format="json-ld", context=CONTEXT, auto_compact=True))
    if isinstance(data, dict) and "@graph" in data:
        data["@graph"] = sorted((_canonical(n) for n in data["@graph"]), key=lambda n: str(n.get("@id", "")))
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
