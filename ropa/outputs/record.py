"""The Article 30 record: the controller's record (Art 30(1)), the processor's record
(Art 30(2)) and how complete each activity's entry is.

The record is built once, as a table whose multi-valued cells are lists of readable
strings (``record_frame``); :func:`article30` joins them into text for notebooks and CSV, and
the writers in :mod:`ropa.outputs.formats` render the same table as XLSX, JSON, HTML and PDF.
Keys are resolved to labels with the register's taxonomy, so an organisation's own terms
read as it named them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..core.errors import UsageError

__all__ = [
    "COMPLETENESS_STATUS",
    "CONTROLLER_COLUMNS",
    "ITEMS",
    "PROCESSOR_COLUMNS",
    "Column",
    "article30",
    "completeness",
    "organisation_block",
    "record_frame",
    "retention_sentence",
]


@dataclass(frozen=True)
class Column:
    """One column of the record: its key, the Art 30 item it answers and its heading.

    ``item`` is ``"30(1)(b)"`` and so on, or ``""`` for good-practice columns.
    ``scope`` is ``"organisation"`` for details that are the same on every row (the
    controller, its representative and DPO), which the HTML, PDF and XLSX forms show once,
    in the header block, and ``"activity"`` otherwise.
    """

    key: str
    item: str
    heading: str
    scope: str = "activity"


#: The Article 30 items, in the Article's order, with a short title.
ITEMS: dict[str, str] = {
    "30(1)(a)": "Controller, joint controllers, representative and DPO",
    "30(1)(b)": "Purposes of the processing",
    "30(1)(c)": "Categories of data subjects and of personal data",
    "30(1)(d)": "Categories of recipients",
    "30(1)(e)": "Transfers to third countries and safeguards",
    "30(1)(f)": "Time limits for erasure",
    "30(1)(g)": "Technical and organisational security measures",
    "30(2)(a)": "Processor, controllers, representatives and DPO",
    "30(2)(b)": "Categories of processing carried out for each controller",
    "30(2)(c)": "Transfers to third countries and safeguards",
    "30(2)(d)": "Technical and organisational security measures",
}

#: Columns of the controller's record (Art 30(1)), in order: the Article's items (a) to (g),
#: then good practice.
CONTROLLER_COLUMNS: tuple[Column, ...] = (
    Column("activity_id", "", "Ref."),
    Column("name", "", "Processing activity"),
    Column("controller", "30(1)(a)", "Controller", "organisation"),
    Column("joint_controllers", "30(1)(a)", "Joint controllers"),
    Column("representative", "30(1)(a)", "Representative", "organisation"),
    Column("dpo", "30(1)(a)", "Data protection officer", "organisation"),
    Column("purposes", "30(1)(b)", "Purposes"),
    Column("purpose_description", "30(1)(b)", "Purpose description"),
    Column("data_subjects", "30(1)(c)", "Categories of data subjects"),
    Column("data_categories", "30(1)(c)", "Categories of personal data"),
    Column("special_categories", "30(1)(c)", "Special categories (Art 9)"),
    Column("criminal_offence_data", "30(1)(c)", "Criminal offence data (Art 10)"),
    Column("recipients", "30(1)(d)", "Categories of recipients"),
    Column("transfers", "30(1)(e)", "Third-country transfers and safeguards"),
    Column("retention", "30(1)(f)", "Time limits for erasure"),
    Column("security_measures", "30(1)(g)", "Security measures"),
    Column("lawful_basis", "", "Lawful basis (Art 6)"),
    Column("art9_condition", "", "Art 9 condition"),
    Column("legitimate_interest", "", "Legitimate interest"),
    Column("source", "", "Source of the data"),
    Column("dpia", "", "DPIA"),
    Column("automated_decision_making", "", "Automated decision-making"),
    Column("systems", "", "Systems"),
    Column("business_function", "", "Business function"),
    Column("owner", "", "Owner"),
    Column("status", "", "Status"),
    Column("last_reviewed", "", "Last reviewed"),
)

#: Columns of the processor's record (Art 30(2)): one row per controller and activity.
PROCESSOR_COLUMNS: tuple[Column, ...] = (
    Column("controller_id", "", "Controller ref."),
    Column("controller", "30(2)(a)", "Controller"),
    Column("controller_representative", "30(2)(a)", "Controller's representative"),
    Column("controller_dpo", "30(2)(a)", "Controller's DPO"),
    Column("processor", "30(2)(a)", "Processor", "organisation"),
    Column("processor_representative", "30(2)(a)", "Processor's representative", "organisation"),
    Column("processor_dpo", "30(2)(a)", "Processor's DPO", "organisation"),
    Column("activity_id", "", "Ref."),
    Column("name", "", "Processing activity"),
    Column("categories_of_processing", "30(2)(b)", "Categories of processing"),
    Column("purpose_description", "30(2)(b)", "Description"),
    Column("transfers", "30(2)(c)", "Third-country transfers and safeguards"),
    Column("security_measures", "30(2)(d)", "Security measures"),
    Column("data_subjects", "", "Categories of data subjects"),
    Column("data_categories", "", "Categories of personal data"),
    Column("sub_processors", "", "Sub-processors and other recipients"),
    Column("retention", "", "Retention"),
    Column("systems", "", "Systems"),
    Column("status", "", "Status"),
    Column("last_reviewed", "", "Last reviewed"),
)

#: Completeness grades, worst first.
COMPLETENESS_STATUS = pd.CategoricalDtype(["missing", "partial", "filled"], ordered=True)
_GRADE = {"missing": 0.0, "partial": 0.5, "filled": 1.0}

_TRUE = {"true", "yes", "y", "1", "ja", "oui", "x"}
_DURATION = re.compile(
    r"^P(?:(?P<Y>\d+(?:[.,]\d+)?)Y)?(?:(?P<Mo>\d+(?:[.,]\d+)?)M)?(?:(?P<W>\d+(?:[.,]\d+)?)W)?"
    r"(?:(?P<D>\d+(?:[.,]\d+)?)D)?(?:T(?:(?P<H>\d+(?:[.,]\d+)?)H)?(?:(?P<Mi>\d+(?:[.,]\d+)?)M)?"
    r"(?:(?P<S>\d+(?:[.,]\d+)?)S)?)?$"
)
#: Trigger phrases starting with these words read with "the": "after the end of ...".
_TRIGGER_NOUNS = frozenset({
    "end", "start", "beginning", "close", "closing", "closure", "termination", "expiry",
    "expiration", "date", "last", "first", "moment", "day", "conclusion", "completion",
    "cancellation", "deletion", "death", "departure", "resolution", "settlement", "renewal",
})
_UNITS = (("Y", "year"), ("Mo", "month"), ("W", "week"), ("D", "day"), ("H", "hour"),
          ("Mi", "minute"), ("S", "second"))


# -- small text helpers ----------------------------------------------------------------------

def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value).strip()


def _party(entry: Any) -> str:
    """'Name, address, email, phone' from an organisation.yaml entry (mapping or text)."""
    if entry is None:
        return ""
    if not isinstance(entry, Mapping):
        return _text(entry)
    parts = [_text(entry.get(k)) for k in ("name", "address", "email", "phone", "contact")]
    return ", ".join(p for p in parts if p)


def _has_contact(entry: Any) -> bool:
    return isinstance(entry, Mapping) and any(
        _text(entry.get(k)) for k in ("address", "email", "phone", "contact"))


def _dpo_text(dpo: Any) -> str:
    if dpo is None:
        return ""
    if not isinstance(dpo, Mapping):
        return _text(dpo)
    if dpo.get("designated", True) is False:
        text = "None designated"
        reason = _text(dpo.get("reason"))
        text += f": {reason}" if reason else "."
        if not text.endswith((".", "!", "?")):
            text += "."
        contact = _text(dpo.get("privacy_contact") or dpo.get("contact") or dpo.get("email"))
        if contact:
            text += f" Privacy contact: {contact}"
        return text
    return _party(dpo)


def _representative_text(rep: Any) -> str:
    text = _party(rep)
    return text or "None (established in the EEA, or not required)"


def _join(values: Iterable[str]) -> str:
    return "; ".join(v for v in values if v)


def retention_sentence(retention: str, trigger: str = "") -> str:
    """A readable retention period from an ISO 8601 duration and its trigger.

    Text criteria pass through unchanged.

    Example:
        >>> retention_sentence("P7Y", "end of the financial year (AWR art. 52)")
        '7 years after the end of the financial year (AWR art. 52)'
        >>> retention_sentence("P1Y6M")
        '1 year and 6 months'
        >>> retention_sentence("Until the subscriber unsubscribes", "unsubscribe")
        'Until the subscriber unsubscribes'
    """
    retention, trigger = _text(retention), _text(trigger)
    period = _duration_words(retention)
    if period is None:
        return retention
    if not trigger:
        return period
    first = trigger.split(maxsplit=1)[0].lower()
    article = "the " if first in _TRIGGER_NOUNS else ""
    return f"{period} after {article}{trigger}"


def _duration_words(text: str) -> str | None:
    """'7 years' for 'P7Y'; None when ``text`` is not a valid ISO 8601 duration."""
    match = _DURATION.match(text)
    if not match or text in ("P", "PT") or text.endswith("T"):
        return None
    import isodate

    try:
        isodate.parse_duration(text)
    except (isodate.ISO8601Error, ValueError):
        return None
    words = []
    for group, unit in _UNITS:
        raw = match.group(group)
        if raw is None:
            continue
        number = raw.replace(",", ".")
        value = float(number)
        shown = str(int(value)) if value.is_integer() else number
        words.append(f"{shown} {unit}{'' if value == 1 else 's'}")
    if not words:
        return None
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _is_duration(text: str) -> bool:
    return _duration_words(text) is not None


# -- column helpers (vectorized over distinct values) -----------------------------------------

def _map_lists(cells: pd.Series, fn: Callable[[str], Any]) -> pd.Series:
    """Apply ``fn`` to each distinct entry of a list column; keep lists (empty results dropped).

    ``fn`` returns a string, a list of strings, or ``""``/``None`` to drop the entry.
    """
    exploded = cells.explode()
    exploded = exploded[exploded.notna()].astype(str)
    table: dict[str, list[str]] = {}
    for u in pd.unique(exploded):
        out = fn(u) if u.strip() else ""
        table[u] = [o for o in (out if isinstance(out, list) else [out]) if o]
    # each distinct value was resolved once above; only the reassembly walks the cells
    return pd.Series(
        [list(dict.fromkeys(x for v in cell for x in table.get(str(v), ()))) for cell in cells],
        index=cells.index, dtype=object)


def _labeller(taxonomy: Any, kind: str, with_article: bool = False) -> Callable[[str], str]:
    labels = taxonomy.labels(kind)
    articles: dict[str, str] = {}
    if with_article:
        terms = taxonomy.terms
        group = terms[terms["kind"] == kind]
        if "article" in group:
            articles = {k: _text(a) for k, a in zip(group["key"], group["article"], strict=True)}

    def label(key: str) -> str:
        text = labels.get(key, key)
        art = articles.get(key, "")
        return f"{text} ({art})" if art else text

    return label


def _flag(series: pd.Series) -> pd.Series:
    return series.fillna("").astype(str).str.strip().str.lower().isin(_TRUE)


def _live(activities: pd.DataFrame, include_retired: bool) -> pd.DataFrame:
    acts = activities.reset_index(drop=True)
    if not include_retired:
        acts = acts[acts["status"].fillna("").astype(str).str.strip().str.lower() != "retired"]
    return acts


# -- the organisation -------------------------------------------------------------------------

def organisation_block(register: Any) -> dict[str, Any]:
    """Organisation-wide Art 30 details as readable text: controller, representative, DPO,
    joint controllers, supervisory authority, and the controllers served as processor.

    Example:
        >>> import ropa
        >>> from ropa.outputs.record import organisation_block
        >>> organisation_block(ropa.load_register("registers/pro-at"))["name"]
        'PRO-AT'
    """
    org = register.organisation or {}
    controller = org.get("controller") or {"name": org.get("name")}
    return {
        "name": register.name,
        "controller": _party(controller) or register.name,
        "representative": _representative_text(org.get("representative")),
        "dpo": _dpo_text(org.get("dpo")),
        "joint_controllers": [_joint_text(j) for j in (org.get("joint_controllers") or [])],
        "supervisory_authority": _text(org.get("supervisory_authority")),
        "role": _text(org.get("role")),
        "controllers": [
            {"id": _text(c.get("id")) if isinstance(c, Mapping) else "",
             "name": _party(c),
             "representative": _party(c.get("representative")) if isinstance(c, Mapping) else "",
             "dpo": _dpo_text(c.get("dpo")) if isinstance(c, Mapping) else "",
             "has_contact": _has_contact(c)}
            for c in (org.get("controllers") or [])
        ],
    }


def _joint_text(entry: Any) -> str:
    if not isinstance(entry, Mapping):
        return _text(entry)
    text = _party(entry)
    scope = _text(entry.get("scope"))
    return f"{text} (for: {scope})" if scope else text


def _joint_controllers(register: Any, acts: pd.DataFrame, contacts: bool = False) -> pd.Series:
    """Per activity: the joint controllers that concern it, as readable text (with
    ``contacts=True``: as (text, has contact details) pairs).

    An organisation.yaml joint controller concerns an activity when its ``activities`` list
    or its ``scope`` text names the activity's id, or when it is (by name or alias) a
    recipient of kind ``joint_controller`` that the activity uses. A joint-controller
    recipient not in organisation.yaml is listed by its own name. For an activity whose
    role is ``joint_controller``, its ``controllers`` cell names its joint controllers.
    """
    org = register.organisation or {}
    entries = [e if isinstance(e, Mapping) else {"name": _text(e)} for e in (org.get("joint_controllers") or [])]
    by_name: dict[str, int] = {}
    for i, e in enumerate(entries):
        for name in [e.get("id"), e.get("name"), *(e.get("aliases") or [])]:
            if _text(name):
                by_name[_text(name).lower()] = i
    rec = register.recipients
    joint_recipients: dict[str, tuple[str, bool]] = {}
    if len(rec):
        kinds = rec["kind"].fillna("").astype(str).str.strip().str.lower()
        for rid, name, aliases in zip(rec.loc[kinds == "joint_controller", "recipient_id"],
                                      rec.loc[kinds == "joint_controller", "name"],
                                      rec.loc[kinds == "joint_controller", "aliases"], strict=True):
            found = next((by_name[n.lower()] for n in [rid, name, *(aliases or [])]
                          if _text(n) and _text(n).lower() in by_name), None)
            joint_recipients[rid] = ((_joint_text(entries[found]), _has_contact(entries[found]))
                                     if found is not None else (_text(name) or rid, False))

    explicit: list[tuple[int, set[str]]] = []
    for i, e in enumerate(entries):
        ids = {_text(a) for a in (e.get("activities") or []) if _text(a)}
        if ids:
            explicit.append((i, ids))
    scopes = [(i, set(re.findall(r"[\w-]+", _text(e.get("scope")))))
              for i, e in enumerate(entries) if _text(e.get("scope"))]

    out = []
    roles = acts["role"].fillna("").astype(str).str.strip().str.lower()
    for aid, recipients, controllers, role in zip(acts["activity_id"], acts["recipients"],
                                                  acts["controllers"], roles, strict=True):
        found: list[tuple[str, bool]] = []
        for i, ids in explicit:
            if aid in ids:
                found.append((_joint_text(entries[i]), _has_contact(entries[i])))
        for i, words in scopes:
            if aid and aid in words:
                found.append((_joint_text(entries[i]), _has_contact(entries[i])))
        found += [joint_recipients[r] for r in recipients if r in joint_recipients]
        if role == "joint_controller":
            for c in controllers:
                idx = by_name.get(_text(c).lower())
                found.append((_joint_text(entries[idx]), _has_contact(entries[idx])) if idx is not None
                             else (_text(c), False))
        unique = list(dict.fromkeys(f for f in found if f[0]))
        out.append(unique if contacts else [f[0] for f in unique])
    return pd.Series(out, index=acts.index, dtype=object)


# -- recipients and transfers -----------------------------------------------------------------

def _recipient_table(register: Any) -> pd.DataFrame:
    rec = register.recipients
    frame = pd.DataFrame({
        "recipient_id": rec["recipient_id"].astype(str).to_numpy() if len(rec) else [],
        "name": rec["name"].astype(str).to_numpy() if len(rec) else [],
        "kind": rec["kind"].fillna("").astype(str).str.strip().str.lower().to_numpy() if len(rec) else [],
        "category": rec["category"].fillna("").astype(str).str.strip().to_numpy() if len(rec) else [],
        "country": rec["country"].fillna("").astype(str).str.strip().str.upper().to_numpy() if len(rec) else [],
        "safeguard": rec["transfer_safeguard"].fillna("").astype(str).str.strip().str.lower().to_numpy() if len(rec) else [],
    })
    return frame.drop_duplicates("recipient_id", keep="first").set_index("recipient_id")


def _recipient_describer(register: Any) -> Callable[[str], str]:
    tax = register.taxonomy
    table = _recipient_table(register)
    category = _labeller(tax, "recipient")
    kind = _labeller(tax, "recipient_kind")
    eea = dict(zip(table["country"], tax.is_eea(table["country"]), strict=True)) if len(table) else {}

    def describe(value: str) -> str:
        if value.strip().lower() == "none":
            return "None"
        if value in table.index:
            row = table.loc[value]
            details = [category(row["category"]) if row["category"] else "",
                       kind(row["kind"]).lower() if row["kind"] else ""]
            if row["country"]:
                where = tax.country_name(row["country"])
                if not eea.get(row["country"], False):
                    where += ", third country"
                details.append(where)
            details = [d for d in details if d]
            name = _text(row["name"]) or value
            return f"{name} ({', '.join(details)})" if details else name
        return category(value)

    return describe


def _safeguard_text(register: Any, country: str, safeguard: str) -> str:
    tax = register.taxonomy
    if safeguard and safeguard != "none":
        return _labeller(tax, "safeguard")(safeguard)
    scope = tax.adequacy_scope([country])[0] if country else ""
    if scope in ("all", "commercial"):
        decided = _text(tax.countries.at[country, "adequacy_decided"]) if country in tax.countries.index else ""
        text = "Adequacy decision"
        if decided:
            text += f" of {decided[:4]}"
        if scope == "commercial":
            text += " (commercial organisations)"
        return text
    return "No safeguard recorded"


def _transfers(register: Any, acts: pd.DataFrame) -> pd.Series:
    """Per activity: a list of transfer dicts (country, country_name, safeguard,
    safeguard_name, recipient_id, recipient, text), derived from recipients outside the
    EEA and from transfer_countries."""
    tax = register.taxonomy
    table = _recipient_table(register)
    result: list[list[dict[str, Any]]] = [[] for _ in range(len(acts))]
    made: dict[tuple[str, str, str, str], dict[str, Any]] = {}

    def transfer(*key: str) -> dict[str, Any]:
        found = made.get(key)
        if found is None:
            found = made[key] = _transfer(register, *key)
        return found

    pos = pd.Series(np.arange(len(acts)), index=acts.index)

    if len(table):
        outside = table[(table["country"] != "") & ~tax.is_eea(table["country"])
                        & tax.country_known(table["country"])]
        if len(outside):
            used = acts["recipients"].explode().dropna()
            used = used[used.isin(outside.index)]
            facts = {rid: (c, sg, _text(nm) or rid) for rid, c, sg, nm in zip(
                outside.index, outside["country"], outside["safeguard"], outside["name"], strict=True)}
            for p, rid in zip(pos[used.index].to_numpy(), used, strict=True):
                country, safeguard, name = facts[rid]
                result[p].append(transfer(country, safeguard, rid, name))

    countries = acts["transfer_countries"].explode().dropna()
    countries = countries[countries.astype(str).str.strip() != ""]
    if len(countries):
        safeguards = acts["transfer_safeguards"]
        for row, code in zip(countries.index, countries.astype(str).str.strip().str.upper(), strict=True):
            listed = [s.strip().lower() for s in safeguards[row] if s.strip()]
            own = acts.at[row, "transfer_countries"]
            if len(listed) == len(own) and len(listed) > 1:
                idx = [c.strip().upper() for c in own].index(code)
                sg = listed[idx]
            else:
                sg = "; ".join(listed) if len(listed) > 1 else (listed[0] if listed else "")
            result[pos[row]].append(transfer(code, sg, "", ""))
    del tax
    out = []
    for items in result:
        seen: dict[str, dict[str, str]] = {}
        for t in items:
            seen.setdefault(t["text"], t)
        out.append(list(seen.values()))
    return pd.Series(out, index=acts.index, dtype=object)


def _transfer(register: Any, country: str, safeguard: str, recipient_id: str, recipient: str) -> dict[str, str]:
    tax = register.taxonomy
    name = tax.country_name(country)
    if ";" in safeguard:
        label = "; ".join(_safeguard_text(register, country, s.strip()) for s in safeguard.split(";"))
    else:
        label = _safeguard_text(register, country, safeguard)
    text = f"{name} — {label}" + (f" ({recipient})" if recipient else "")
    return {"country": country, "country_name": name, "safeguard": safeguard,
            "safeguard_name": label, "recipient_id": recipient_id, "recipient": recipient, "text": text,
            "covered": _covered(register, country, safeguard)}


def _covered(register: Any, country: str, safeguard: str) -> bool:
    """Does the recorded safeguard (or an adequacy decision) cover a transfer to ``country``?

    ``adequacy`` covers only where a decision exists; for a country whose decision is limited
    to certified organisations (the US: ``dpf``) only ``dpf`` or an Art 46/47/49 safeguard does.
    """
    scope = register.taxonomy.adequacy_scope([country])[0] if country else ""
    listed = [s.strip() for s in safeguard.split(";") if s.strip() and s.strip() != "none"]
    if not listed:
        return scope in ("all", "commercial")
    for sg in listed:
        if sg == "adequacy" and scope not in ("all", "commercial"):
            continue
        if sg == "dpf" and scope != "dpf":
            continue
        return True
    return False


# -- special categories ----------------------------------------------------------------------

def _special(register: Any, acts: pd.DataFrame) -> pd.Series:
    """Declared Art 9 categories plus those implied by the data categories, as labels."""
    tax = register.taxonomy
    art9 = _labeller(tax, "art9_category")
    implied_by: dict[str, list[str]] = {}
    for key in tax.keys("art9_category"):
        for cat in tax.attribute("art9_category", key, "data_categories", []) or []:
            implied_by.setdefault(cat, []).append(key)

    def implied(cat: str) -> list[str]:
        found = []
        for under, keys in implied_by.items():
            if tax.is_under("data_category", cat, under):
                found += [art9(k) for k in keys]
        return found

    declared = _map_lists(acts["special_categories"], art9)
    derived = _map_lists(acts["data_categories"], implied) if implied_by else declared.map(lambda _: [])
    return pd.Series([list(dict.fromkeys([*a, *b])) for a, b in zip(declared, derived, strict=True)],
                     index=acts.index, dtype=object)


def _criminal(register: Any, acts: pd.DataFrame) -> pd.Series:
    tax = register.taxonomy
    flagged = _flag(acts["criminal_offence_data"])
    if "user.criminal_history" in set(tax.keys("data_category")):
        cats = _map_lists(acts["data_categories"],
                          lambda c: "yes" if tax.is_under("data_category", c, "user.criminal_history") else "")
        flagged = flagged | cats.map(bool)
    return flagged


# -- the record --------------------------------------------------------------------------------

def record_frame(register: Any, role: str = "controller", include_retired: bool = False) -> pd.DataFrame:
    """The record with list cells (lists of readable strings) and structured extras.

    Columns are :data:`CONTROLLER_COLUMNS` (or :data:`PROCESSOR_COLUMNS`), multi-valued ones
    as lists, plus ``_transfers`` (transfer dicts), ``_retention`` (period, trigger, text)
    and ``_keys`` (the register's raw keys). :func:`article30` is this with lists joined;
    the writers render it.

    Example:
        >>> import ropa
        >>> from ropa.outputs.record import record_frame
        >>> rec = record_frame(ropa.load_register("registers/pro-at"))
        >>> rec.loc[rec["activity_id"] == "A06", "retention"].item()
        '7 years after the end of the financial year (AWR art. 52)'
    """
    if role not in ("controller", "processor"):
        raise UsageError(f"unknown record role {role!r}; expected 'controller' or 'processor'")
    acts = _live(register.activities, include_retired)
    roles = acts["role"].fillna("").astype(str).str.strip().str.lower()
    acts = acts[roles == "processor"] if role == "processor" else acts[roles != "processor"]
    return _processor_frame(register, acts) if role == "processor" else _controller_frame(register, acts)


def _common(register: Any, acts: pd.DataFrame) -> dict[str, pd.Series]:
    tax = register.taxonomy
    pairs = list(zip(acts["retention"].astype(str), acts["retention_trigger"].astype(str), strict=True))
    sentences = {pair: retention_sentence(*pair) for pair in dict.fromkeys(pairs)}
    periods = {r: r if _is_duration(r) else "" for r, _ in sentences}
    retention = [sentences[pair] for pair in pairs]
    keys_cols = ("purposes", "data_subjects", "data_categories", "special_categories", "recipients",
                 "lawful_basis", "art9_condition", "source", "controllers", "transfer_countries",
                 "transfer_safeguards")
    keys = [
        {c: list(v) for c, v in zip(keys_cols, values, strict=True)}
        for values in zip(*(acts[c] for c in keys_cols), strict=True)
    ] if len(acts) else []
    transfers = _transfers(register, acts)
    return {
        "activity_id": acts["activity_id"].astype(str),
        "name": acts["name"].astype(str),
        "purposes": _map_lists(acts["purposes"], _labeller(tax, "data_use")),
        "purpose_description": acts["purpose_description"].astype(str),
        "data_subjects": _map_lists(acts["data_subjects"], _labeller(tax, "data_subject")),
        "data_categories": _map_lists(acts["data_categories"], _labeller(tax, "data_category")),
        "recipients": _map_lists(acts["recipients"], _recipient_describer(register)),
        "transfers": transfers.map(lambda ts: [t["text"] for t in ts]),
        "retention": pd.Series(retention, index=acts.index, dtype=object),
        "security_measures": acts["security_measures"].map(lambda v: [str(x) for x in v if str(x).strip()]),
        "systems": acts["systems"].map(lambda v: [str(x) for x in v if str(x).strip()]),
        "status": acts["status"].astype(str).map(_labeller(tax, "status")),
        "last_reviewed": acts["last_reviewed"].astype(str),
        "_transfers": transfers,
        "_retention": pd.Series(
            [{"period": periods[r], "trigger": t, "text": sentences[(r, t)]} for r, t in pairs],
            index=acts.index, dtype=object),
        "_keys": pd.Series(keys, index=acts.index, dtype=object),
    }


def _controller_frame(register: Any, acts: pd.DataFrame) -> pd.DataFrame:
    tax = register.taxonomy
    org = organisation_block(register)
    common = _common(register, acts)
    adm = acts["automated_decision_making"].fillna("").astype(str).str.strip().str.lower()
    interest = [
        _text(li) + (f" (assessment: {_text(ref)})" if _text(ref) else "") if _text(li) else
        (f"Assessment: {_text(ref)}" if _text(ref) else "")
        for li, ref in zip(acts["legitimate_interest"], acts["lia_reference"], strict=True)
    ]
    columns = {
        "activity_id": common["activity_id"],
        "name": common["name"],
        "controller": pd.Series(org["controller"], index=acts.index, dtype=object),
        "joint_controllers": _joint_controllers(register, acts),
        "representative": pd.Series(org["representative"], index=acts.index, dtype=object),
        "dpo": pd.Series(org["dpo"], index=acts.index, dtype=object),
        "purposes": common["purposes"],
        "purpose_description": common["purpose_description"],
        "data_subjects": common["data_subjects"],
        "data_categories": common["data_categories"],
        "special_categories": _special(register, acts),
        "criminal_offence_data": _criminal(register, acts).map({True: "Yes", False: "No"}),
        "recipients": common["recipients"],
        "transfers": common["transfers"],
        "retention": common["retention"],
        "security_measures": common["security_measures"],
        "lawful_basis": _map_lists(acts["lawful_basis"], _labeller(tax, "legal_basis", True)),
        "art9_condition": _map_lists(acts["art9_condition"], _labeller(tax, "art9_condition", True)),
        "legitimate_interest": pd.Series(interest, index=acts.index, dtype=object),
        "source": _map_lists(acts["source"], _labeller(tax, "source")),
        "dpia": acts["dpia"].astype(str).map(lambda v: _labeller(tax, "dpia")(v) if v else ""),
        "automated_decision_making": adm.map(lambda v: "Yes" if v in _TRUE else ("No" if v else "")),
        "systems": common["systems"],
        "business_function": acts["business_function"].astype(str),
        "owner": acts["owner"].astype(str),
        "status": common["status"],
        "last_reviewed": common["last_reviewed"],
        "_transfers": common["_transfers"],
        "_retention": common["_retention"],
        "_keys": common["_keys"],
    }
    frame = pd.DataFrame(columns, index=acts.index).reset_index(drop=True)
    frame.attrs["role"] = "controller"
    return frame


def _controller_entries(register: Any) -> tuple[list[dict[str, str]], dict[str, int]]:
    entries = organisation_block(register)["controllers"]
    raw = (register.organisation or {}).get("controllers") or []
    lookup: dict[str, int] = {}
    for i, (entry, source) in enumerate(zip(entries, raw, strict=True)):
        names = [entry["id"]]
        if isinstance(source, Mapping):
            names += [_text(source.get("name")), *(_text(a) for a in source.get("aliases") or [])]
        for n in names:
            if n:
                lookup.setdefault(n.lower(), i)
    return entries, lookup


def _processor_frame(register: Any, acts: pd.DataFrame) -> pd.DataFrame:
    org = organisation_block(register)
    common = _common(register, acts)
    entries, lookup = _controller_entries(register)
    pairs = acts["controllers"].map(lambda v: [str(x).strip() for x in v if str(x).strip()] or [""]).explode()
    order, ids, names, reps, dpos = [], [], [], [], []
    for ref in pairs.astype(str):
        idx = lookup.get(ref.lower())
        if idx is not None:
            e = entries[idx]
            order.append(idx)
            ids.append(e["id"] or ref)
            names.append(e["name"])
            reps.append(e["representative"])
            dpos.append(e["dpo"])
        else:
            order.append(len(entries))
            ids.append(ref)
            names.append(ref if ref else "Controller not recorded")
            reps.append("")
            dpos.append("")
    rows = pairs.index
    frame = pd.DataFrame({
        "controller_id": ids,
        "controller": names,
        "controller_representative": reps,
        "controller_dpo": dpos,
        "processor": org["controller"],
        "processor_representative": org["representative"],
        "processor_dpo": org["dpo"],
        "activity_id": common["activity_id"].reindex(rows).to_numpy(),
        "name": common["name"].reindex(rows).to_numpy(),
        "categories_of_processing": common["purposes"].reindex(rows).to_numpy(),
        "purpose_description": common["purpose_description"].reindex(rows).to_numpy(),
        "transfers": common["transfers"].reindex(rows).to_numpy(),
        "security_measures": common["security_measures"].reindex(rows).to_numpy(),
        "data_subjects": common["data_subjects"].reindex(rows).to_numpy(),
        "data_categories": common["data_categories"].reindex(rows).to_numpy(),
        "sub_processors": common["recipients"].reindex(rows).to_numpy(),
        "retention": common["retention"].reindex(rows).to_numpy(),
        "systems": common["systems"].reindex(rows).to_numpy(),
        "status": common["status"].reindex(rows).to_numpy(),
        "last_reviewed": common["last_reviewed"].reindex(rows).to_numpy(),
        "_transfers": common["_transfers"].reindex(rows).to_numpy(),
        "_retention": common["_retention"].reindex(rows).to_numpy(),
        "_keys": common["_keys"].reindex(rows).to_numpy(),
        "_order": order,
        "_position": np.arange(len(rows)),
    })
    frame = frame.sort_values(["_order", "_position"], kind="stable").drop(columns=["_order", "_position"])
    frame = frame.reset_index(drop=True)
    frame.attrs["role"] = "processor"
    return frame


def _flatten(frame: pd.DataFrame, columns: tuple[Column, ...]) -> pd.DataFrame:
    keys = [c.key for c in columns]
    out = pd.DataFrame(index=frame.index)
    for key in keys:
        col = frame[key] if key in frame else pd.Series("", index=frame.index)
        if col.dtype == object and col.map(lambda v: isinstance(v, list)).any():
            col = col.map(lambda v: _join(v) if isinstance(v, list) else _text(v))
        out[key] = col.astype("str")
    out.attrs["headings"] = {c.key: c.heading for c in columns}
    out.attrs["items"] = {c.key: c.item for c in columns}
    out.attrs["role"] = frame.attrs.get("role", "")
    return out


def article30(register: Any, role: str = "controller", include_retired: bool = False) -> pd.DataFrame:
    """The Article 30 record as a DataFrame, one row per activity, keys resolved to names.

    ``role="controller"`` gives the controller's record (Art 30(1)): every activity whose
    role is not ``processor``, with the columns of :data:`CONTROLLER_COLUMNS`: the items
    (a) to (g) in the Article's order, then good practice (legal basis, Art 9 condition,
    legitimate interest, source, DPIA, automated decisions, systems, last review).
    Transfers are derived: every recipient whose country is outside the EEA, plus the
    activity's transfer_countries, each with its safeguard; retention reads as a sentence.

    ``role="processor"`` gives the processor's record (Art 30(2)): one row per controller
    the organisation acts for (organisation.yaml ``controllers``) and activity done for it,
    grouped by controller in the order of organisation.yaml, with the columns of
    :data:`PROCESSOR_COLUMNS`.

    Multi-valued cells are joined with ``"; "``. ``frame.attrs["headings"]`` maps each column
    to its printed heading and ``frame.attrs["items"]`` to its Art 30 item.

    Args:
        register: a loaded :class:`ropa.Register`.
        role: ``"controller"`` or ``"processor"``.
        include_retired: keep activities whose status is ``retired``.

    Raises:
        UsageError: an unknown ``role``.

    Example:
        >>> import ropa
        >>> record = ropa.article30(ropa.load_register("registers/pro-at"))
        >>> record.set_index("activity_id").at["A01", "transfers"]
        'United States — EU-US Data Privacy Framework certification (Mailchimp)'

    .. versionadded:: 0.1
    """
    frame = record_frame(register, role, include_retired)
    return _flatten(frame, PROCESSOR_COLUMNS if role == "processor" else CONTROLLER_COLUMNS)


# -- completeness ------------------------------------------------------------------------------

def completeness(register: Any, include_retired: bool = False, detail: bool = False) -> pd.DataFrame:
    """How complete each activity's Art 30 entry is: ``filled``, ``partial`` or ``missing``.

    One row per activity; one column per Art 30 item (``"30(1)(a)"`` ... ``"30(1)(g)"`` for
    controller activities, ``"30(2)(a)"`` ... ``"30(2)(d)"`` for processor activities; items
    that do not apply to an activity's role are empty), graded with the ordered categorical
    :data:`COMPLETENESS_STATUS`, and ``score``: the activity's mean grade (filled 1, partial
    0.5, missing 0). ``frame.attrs["score"]`` is the organisation's overall score, the mean
    grade over every applicable cell (a fraction from 0 to 1); ``frame.attrs["items"]`` maps
    each item to its title.

    The grades:

    - (a) / 30(2)(a): filled when the controller (processor) is named with contact details
      and the DPO is recorded (or recorded as not designated), and every joint controller or
      controller acted for is identified with contact details; partial when some of that is
      missing; missing without a controller name (or, for 30(2), without any controller).
    - (b): filled with purpose keys and a description; partial with only one of them, or
      with keys the taxonomy does not know; missing with neither.
      30(2)(b) is the same for the categories of processing.
    - (c): filled with data subjects and data categories (and, where the categories imply
      Art 9 data, the special categories declared); partial with one of them, or special
      data not declared; missing with neither.
    - (d): filled when recipients are listed (``none`` counts) and all are known recipients
      or recipient categories; partial when some are unknown; missing when empty.
    - (e) / 30(2)(c): filled when there is no transfer or every transfer is covered by an
      adequacy decision or a safeguard (``adequacy`` does not cover the US, whose decision
      needs ``dpf`` certification); partial when some are not covered, or a named
      recipient's country is not recorded; missing when transfers have no safeguard at all.
    - (f): filled with an ISO 8601 duration, or a stated criterion together with its trigger;
      partial with a criterion but no trigger, or a malformed duration; missing when empty.
    - (g) / 30(2)(d): filled with two or more measures (a general description covers both
      technical and organisational measures, which one entry rarely does); partial with one;
      missing with none.

    With ``detail=True`` the result is long instead: activity_id, role, item, title, status
    and reason (why it is not filled).

    Example:
        >>> import ropa
        >>> table = ropa.completeness(ropa.load_register("registers/pro-at"))
        >>> str(table.set_index("activity_id").at["A15", "30(1)(g)"])
        'missing'
        >>> 0 < table.attrs["score"] <= 1
        True

    .. versionadded:: 0.1
    """
    acts = _live(register.activities, include_retired)
    long = _grades(register, acts)
    items = list(ITEMS)
    if detail:
        out = long.copy()
        out["title"] = out["item"].map(ITEMS)
        out = out[["activity_id", "name", "role", "item", "title", "status", "reason"]]
        out["status"] = out["status"].astype(COMPLETENESS_STATUS)
        out.attrs["score"] = _score(long)
        out.attrs["items"] = dict(ITEMS)
        return out.reset_index(drop=True)
    wide = long.pivot(index="_row", columns="item", values="status")
    wide = wide.reindex(columns=[i for i in items if i in wide.columns])
    base = long.drop_duplicates("_row").set_index("_row")[["activity_id", "name", "role"]]
    frame = base.join(wide)
    for item in items:
        if item not in frame:
            frame[item] = np.nan
        frame[item] = frame[item].astype(COMPLETENESS_STATUS)
    grade = long.assign(g=long["status"].map(_GRADE)).groupby("_row", sort=False)["g"].mean()
    frame["score"] = grade.reindex(frame.index).round(3)
    frame = frame.reset_index(drop=True)[["activity_id", "name", "role", *items, "score"]]
    frame.attrs["score"] = _score(long)
    frame.attrs["items"] = dict(ITEMS)
    return frame


def _score(long: pd.DataFrame) -> float:
    if long.empty:
        return 1.0
    return round(float(long["status"].map(_GRADE).mean()), 4)


def _grades(register: Any, acts: pd.DataFrame) -> pd.DataFrame:
    """Long table of grades: _row, activity_id, name, role, item, status, reason."""
    tax = register.taxonomy
    org = register.organisation or {}
    roles = acts["role"].fillna("").astype(str).str.strip().str.lower()
    is_proc = np.array(roles == "processor", dtype=bool)
    n = len(acts)
    parts: list[pd.DataFrame] = []

    def add(item: str, status: np.ndarray, reason: np.ndarray, mask: np.ndarray) -> None:
        parts.append(pd.DataFrame({
            "_row": np.arange(n)[mask], "item": item,
            "status": np.asarray(status, dtype=object)[mask], "reason": np.asarray(reason, dtype=object)[mask],
        }))

    def grade(filled: np.ndarray, partial: np.ndarray, reasons_partial: Any, reason_missing: str):
        status = np.where(filled, "filled", np.where(partial, "partial", "missing"))
        reason = np.where(filled, "", np.where(partial, reasons_partial, reason_missing))
        return status, reason

    def nonempty(col: str) -> np.ndarray:
        return acts[col].map(lambda v: any(str(x).strip() for x in v)).to_numpy(dtype=bool)

    def text(col: str) -> np.ndarray:
        return (acts[col].fillna("").astype(str).str.strip() != "").to_numpy()

    def all_known(col: str, kind: str, extra: Callable[[str], bool] | None = None) -> np.ndarray:
        ex = acts[col].explode().dropna().astype(str)
        ex = ex[ex.str.strip() != ""]
        if ex.empty:
            return np.ones(n, dtype=bool)
        ok = tax.known(kind, ex.to_numpy())
        if extra is not None:
            ok = ok | ex.map(extra).to_numpy(dtype=bool)
        bad_rows = set(ex.index[~ok])
        return np.array([i not in bad_rows for i in acts.index], dtype=bool)

    ctrl = org.get("controller") or {}
    has_name = bool(_text(ctrl.get("name") if isinstance(ctrl, Mapping) else ctrl) or _text(org.get("name")))
    has_contact = isinstance(ctrl, Mapping) and any(_text(ctrl.get(k)) for k in ("email", "phone", "address"))
    dpo = org.get("dpo")
    dpo_ok = dpo is not None and (
        not isinstance(dpo, Mapping) or dpo.get("designated", True) is False
        or any(_text(dpo.get(k)) for k in ("email", "phone")))

    # (a) controller side
    joint = _joint_controllers(register, acts, contacts=True)
    needs_joint = np.array(roles == "joint_controller", dtype=bool)
    rec_table = _recipient_table(register)
    jc_ids = set(rec_table.index[rec_table["kind"] == "joint_controller"]) if len(rec_table) else set()
    needs_joint |= acts["recipients"].map(lambda v: any(r in jc_ids for r in v)).to_numpy(dtype=bool)
    joint_ok = ~needs_joint | joint.map(lambda v: bool(v) and all(c for _, c in v)).to_numpy(dtype=bool)
    reasons_a = []
    for jok, has_j in zip(joint_ok, joint.map(bool), strict=True):
        why = []
        if not has_contact:
            why.append("controller contact details not recorded")
        if not dpo_ok:
            why.append("DPO not recorded (or without contact details)")
        if not jok:
            why.append("joint controller " + ("without contact details" if has_j else "not identified"))
        reasons_a.append("; ".join(why))
    filled_a = np.full(n, has_name and has_contact and dpo_ok) & joint_ok
    status, reason = grade(filled_a, np.full(n, has_name), np.array(reasons_a, dtype=object),
                           "controller not named in organisation.yaml")
    add("30(1)(a)", status, reason, ~is_proc)

    # (b) purposes
    keys_ok = nonempty("purposes")
    desc_ok = text("purpose_description")
    known_b = all_known("purposes", "data_use")
    why_b = np.where(~keys_ok, "no purpose keys", np.where(~desc_ok, "no purpose description",
                                                          "purpose keys not in the taxonomy"))
    status, reason = grade(keys_ok & desc_ok & known_b, keys_ok | desc_ok, why_b, "no purposes")
    add("30(1)(b)", status, reason, ~is_proc)
    add("30(2)(b)", status, np.where(status == "missing", "no categories of processing", reason), is_proc)

    # (c) subjects and categories
    subj = nonempty("data_subjects")
    cats = nonempty("data_categories")
    declared = nonempty("special_categories")
    implied = _special(register, acts).map(bool).to_numpy(dtype=bool)
    special_ok = ~implied | declared
    why_c = np.where(~subj, "no categories of data subjects",
                     np.where(~cats, "no categories of personal data",
                              "data categories include special-category data not declared"))
    status, reason = grade(subj & cats & special_ok, subj | cats, why_c,
                           "no data subjects and no data categories")
    add("30(1)(c)", status, reason, ~is_proc)

    # (d) recipients
    rec_ids = set(rec_table.index)
    listed = nonempty("recipients")
    known_d = all_known("recipients", "recipient", lambda v: v in rec_ids or v.strip().lower() == "none")
    status, reason = grade(listed & known_d, listed, "recipients not in recipients.csv nor the taxonomy",
                           "no recipients recorded (write `none` if there are none)")
    add("30(1)(d)", status, reason, ~is_proc)

    # (e) transfers
    transfers = _transfers(register, acts)
    blank_country = set(rec_table.index[(rec_table["country"] == "")
                                        & ~rec_table["kind"].isin(["internal"])]) if len(rec_table) else set()
    unknown_where = acts["recipients"].map(lambda v: [r for r in v if r in blank_country])
    covered = transfers.map(lambda ts: [t["covered"] for t in ts])
    all_cov = covered.map(all).to_numpy(dtype=bool)
    # missing only when transfers exist and none has anything recorded that could cover it
    nothing = transfers.map(lambda ts: bool(ts) and all(
        not t["covered"] and t["safeguard_name"] == "No safeguard recorded" for t in ts))
    any_cov = ~nothing.to_numpy(dtype=bool)
    no_unknown = unknown_where.map(lambda v: not v).to_numpy(dtype=bool)
    why_e = np.where(~all_cov, [
        "no safeguard that covers the transfer to "
        + ", ".join(f"{t['country_name']}" + (f" ({t['recipient']})" if t["recipient"] else "")
                    for t in ts if not t["covered"])
        for ts in transfers], [
        "country not recorded for recipient " + ", ".join(u) for u in unknown_where])
    status, reason = grade(all_cov & no_unknown, any_cov, why_e, why_e)
    add("30(1)(e)", status, reason, ~is_proc)
    add("30(2)(c)", status, reason, is_proc)

    # (f) retention
    ret = acts["retention"].fillna("").astype(str).str.strip()
    trig = text("retention_trigger")
    uniq = {u: _is_duration(u) for u in pd.unique(ret)}
    duration = ret.map(uniq).to_numpy(dtype=bool)
    present = (ret != "").to_numpy()
    looks_iso = ret.str.match(r"^P(?=[\dT])", na=False).to_numpy() & ~ret.str.contains(" ", regex=False).to_numpy()
    why_f = np.where(looks_iso & ~duration, "retention is not a valid ISO 8601 duration",
                     "a criterion without its trigger (retention_trigger)")
    status, reason = grade(duration | (present & ~looks_iso & trig), present, why_f, "no retention period")
    add("30(1)(f)", status, reason, ~is_proc)

    # (g) security measures
    count = acts["security_measures"].map(lambda v: len({str(x).strip().lower() for x in v if str(x).strip()})).to_numpy()
    status, reason = grade(count >= 2, count >= 1, "a single measure: describe technical and organisational measures",
                           "no security measures")
    add("30(1)(g)", status, reason, ~is_proc)
    add("30(2)(d)", status, reason, is_proc)

    # 30(2)(a) processor side
    entries, lookup = _controller_entries(register)
    proc_ok, proc_partial, why_pa = [], [], []
    for refs in acts["controllers"]:
        refs = [str(r).strip() for r in refs if str(r).strip()]
        found = [lookup.get(r.lower()) for r in refs]
        resolved = [entries[i] for i in found if i is not None]
        with_contact = [e for e in resolved if e["has_contact"]]
        why = []
        if not refs:
            why.append("no controller recorded")
        elif len(resolved) < len(refs):
            why.append("controller not in organisation.yaml `controllers`: "
                       + ", ".join(r for r, i in zip(refs, found, strict=True) if i is None))
        elif len(with_contact) < len(resolved):
            why.append("controller without contact details")
        if not has_contact:
            why.append("processor contact details not recorded")
        if not dpo_ok:
            why.append("DPO not recorded")
        proc_ok.append(bool(refs) and len(with_contact) == len(refs) and has_contact and dpo_ok)
        proc_partial.append(bool(refs))
        why_pa.append("; ".join(why))
    status, reason = grade(np.array(proc_ok, dtype=bool), np.array(proc_partial, dtype=bool),
                           np.array(why_pa, dtype=object), "no controller recorded")
    add("30(2)(a)", status, reason, is_proc)

    long = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
        columns=["_row", "item", "status", "reason"])
    info = pd.DataFrame({"activity_id": acts["activity_id"].astype(str).to_numpy(),
                         "name": acts["name"].astype(str).to_numpy(), "role": roles.to_numpy()})
    long = long.join(info, on="_row")
    order = {item: i for i, item in enumerate(ITEMS)}
    long = long.assign(_item=long["item"].map(order)).sort_values(["_row", "_item"], kind="stable")
    return long.drop(columns="_item").reset_index(drop=True)
