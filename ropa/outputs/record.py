"""The Article 30 record: the controller's record (Art 30(1)) and the processor's record
(Art 30(2)), with the columns that make them (:data:`CONTROLLER_COLUMNS`, :data:`PROCESSOR_COLUMNS`).

The record is built once, as a table whose multi-valued cells are lists of readable
strings (``record_frame``); :func:`article30` joins them into text for notebooks and CSV, and
the writers in :mod:`ropa.outputs.formats` render the same table as XLSX, JSON, HTML and PDF.
Keys are resolved to labels with the register's taxonomy, so an organisation's own terms
read as it named them. The parties come from :mod:`ropa.outputs.parties`, recipients and
transfers from :mod:`ropa.outputs.transfers`; how complete each entry is, from
:mod:`ropa.outputs.completeness`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..core import durations
from ..core.errors import UsageError
from ..core.words import truth
from ..register.columns import UNMAPPED_COLUMN, unmapped_pairs
from ..register.model import live_activities
from .cells import cell_text, labeller
from .parties import activity_joint_controllers, controller_entries, organisation_block
from .transfers import activity_transfers, recipient_describer

__all__ = [
    "AS_WRITTEN",
    "CONTROLLER_COLUMNS",
    "ITEMS",
    "PROCESSOR_COLUMNS",
    "Column",
    "article30",
    "as_written",
    "record_frame",
    "retention_sentence",
    "special_category_labels",
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


# -- small text helpers ----------------------------------------------------------------------

#: Trigger phrases starting with these words read with "the": "after the end of ...".
_TRIGGER_NOUNS = frozenset({
    "end", "start", "beginning", "close", "closing", "closure", "termination", "expiry",
    "expiration", "date", "last", "first", "moment", "day", "conclusion", "completion",
    "cancellation", "deletion", "death", "departure", "resolution", "settlement", "renewal",
})


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
    retention, trigger = cell_text(retention), cell_text(trigger)
    period = durations.words(retention)
    if period is None:
        return retention
    if not trigger:
        return period
    first = trigger.split(maxsplit=1)[0].lower()
    article = "the " if first in _TRIGGER_NOUNS else ""
    return f"{period} after {article}{trigger}"


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


def _yes(series: pd.Series) -> pd.Series:
    """True where a cell says yes (:func:`ropa.core.words.truth`), each distinct value read once."""
    cells = series.fillna("").astype(str)
    return cells.map({v: truth(v) is True for v in pd.unique(cells)}).astype(bool)


# -- words kept as written -------------------------------------------------------------------

#: How a part of a cell that maps to no key is shown in the record: as the user wrote it.
AS_WRITTEN = "{} (as written; not mapped)"


def as_written(acts: pd.DataFrame, column: str) -> pd.Series:
    """Per activity: the parts of ``column`` that map to no key (kept in the ``unmapped``
    column), as the user wrote them, marked.

    Example:
        >>> frame = pd.DataFrame({"unmapped": ["purposes: Abrechnung; recipients: Steuerbüro", ""]})
        >>> as_written(frame, "purposes").tolist()
        [['Abrechnung (as written; not mapped)'], []]
    """
    if UNMAPPED_COLUMN not in acts:
        return pd.Series([[] for _ in range(len(acts))], index=acts.index, dtype=object)
    cells = acts[UNMAPPED_COLUMN].fillna("").astype(str)
    table = {u: [AS_WRITTEN.format(t) for c, t in unmapped_pairs(u) if c == column and t.strip()]
             for u in pd.unique(cells)}
    return pd.Series([list(table[u]) for u in cells], index=acts.index, dtype=object)


def _plus_written(mapped: pd.Series, acts: pd.DataFrame, column: str) -> pd.Series:
    """A record list column with the words of ``column`` that map to no key after its labels."""
    written = as_written(acts, column)
    return pd.Series([list(m) + [w for w in x if w not in m] for m, x in zip(mapped, written, strict=True)],
                     index=mapped.index, dtype=object)


# -- special categories ----------------------------------------------------------------------

def special_category_labels(register: Any, acts: pd.DataFrame) -> pd.Series:
    """Per activity: its declared Art 9 categories plus those its data categories imply, as labels."""
    tax = register.taxonomy
    art9 = labeller(tax, "art9_category")
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
    flagged = _yes(acts["criminal_offence_data"])
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
    acts = live_activities(register.activities.reset_index(drop=True), include_retired)
    roles = acts["role"].fillna("").astype(str).str.strip().str.lower()
    acts = acts[roles == "processor"] if role == "processor" else acts[roles != "processor"]
    return _processor_frame(register, acts) if role == "processor" else _controller_frame(register, acts)


def _common(register: Any, acts: pd.DataFrame) -> dict[str, pd.Series]:
    tax = register.taxonomy
    pairs = list(zip(acts["retention"].astype(str), acts["retention_trigger"].astype(str), strict=True))
    sentences = {pair: retention_sentence(*pair) for pair in dict.fromkeys(pairs)}
    periods = {r: r if durations.is_duration(r) else "" for r, _ in sentences}
    retention = [sentences[pair] for pair in pairs]
    keys_cols = ("purposes", "data_subjects", "data_categories", "special_categories", "recipients",
                 "lawful_basis", "art9_condition", "source", "controllers", "transfer_countries",
                 "transfer_safeguards")
    keys = [
        {c: list(v) for c, v in zip(keys_cols, values, strict=True)}
        for values in zip(*(acts[c] for c in keys_cols), strict=True)
    ] if len(acts) else []
    transfers = activity_transfers(register, acts)
    return {
        "activity_id": acts["activity_id"].astype(str),
        "name": acts["name"].astype(str),
        "purposes": _plus_written(_map_lists(acts["purposes"], labeller(tax, "data_use")), acts, "purposes"),
        "purpose_description": acts["purpose_description"].astype(str),
        "data_subjects": _plus_written(_map_lists(acts["data_subjects"], labeller(tax, "data_subject")), acts,
                                       "data_subjects"),
        "data_categories": _plus_written(_map_lists(acts["data_categories"], labeller(tax, "data_category")),
                                         acts, "data_categories"),
        "recipients": _plus_written(_map_lists(acts["recipients"], recipient_describer(register)), acts,
                                    "recipients"),
        "transfers": _plus_written(transfers.map(lambda ts: [t["text"] for t in ts]), acts, "transfer_countries"),
        "retention": pd.Series(retention, index=acts.index, dtype=object),
        "security_measures": acts["security_measures"].map(lambda v: [str(x) for x in v if str(x).strip()]),
        "systems": acts["systems"].map(lambda v: [str(x) for x in v if str(x).strip()]),
        "status": acts["status"].astype(str).map(labeller(tax, "status")),
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
        cell_text(li) + (f" (assessment: {cell_text(ref)})" if cell_text(ref) else "") if cell_text(li) else
        (f"Assessment: {cell_text(ref)}" if cell_text(ref) else "")
        for li, ref in zip(acts["legitimate_interest"], acts["lia_reference"], strict=True)
    ]
    columns = {
        "activity_id": common["activity_id"],
        "name": common["name"],
        "controller": pd.Series(org["controller"], index=acts.index, dtype=object),
        "joint_controllers": activity_joint_controllers(register, acts),
        "representative": pd.Series(org["representative"], index=acts.index, dtype=object),
        "dpo": pd.Series(org["dpo"], index=acts.index, dtype=object),
        "purposes": common["purposes"],
        "purpose_description": common["purpose_description"],
        "data_subjects": common["data_subjects"],
        "data_categories": common["data_categories"],
        "special_categories": _plus_written(special_category_labels(register, acts), acts, "special_categories"),
        "criminal_offence_data": _criminal(register, acts).map({True: "Yes", False: "No"}),
        "recipients": common["recipients"],
        "transfers": common["transfers"],
        "retention": common["retention"],
        "security_measures": common["security_measures"],
        "lawful_basis": _plus_written(_map_lists(acts["lawful_basis"], labeller(tax, "legal_basis", True)), acts,
                                      "lawful_basis"),
        "art9_condition": _plus_written(_map_lists(acts["art9_condition"], labeller(tax, "art9_condition", True)),
                                        acts, "art9_condition"),
        "legitimate_interest": pd.Series(interest, index=acts.index, dtype=object),
        "source": _plus_written(_map_lists(acts["source"], labeller(tax, "source")), acts, "source"),
        "dpia": acts["dpia"].astype(str).map(lambda v: labeller(tax, "dpia")(v) if v else ""),
        "automated_decision_making": adm.map(lambda v: "Yes" if truth(v) else ("No" if v else "")),
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


def _processor_frame(register: Any, acts: pd.DataFrame) -> pd.DataFrame:
    org = organisation_block(register)
    common = _common(register, acts)
    entries, lookup = controller_entries(register)
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
            col = col.map(lambda v: _join(v) if isinstance(v, list) else cell_text(v))
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
