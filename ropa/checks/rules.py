"""The register rules: each takes the checking context and returns the failing cells.

A rule returns a DataFrame indexed by the failing row (the row's line number in its file)
with ``column`` and ``evidence`` (and any other finding column it knows). The pandera
schemas in :mod:`ropa.checks.schemas` turn each rule into a named check; the failing rows that
pandera reports are turned into findings with the rule's details.

Every rule is vectorized: list cells are exploded once and each distinct value is checked
once, then broadcast back.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..core.taxonomy import Taxonomy
from ..register.columns import TAXONOMY_LIST_COLUMNS

__all__ = ["ACTIVITY_RULES", "RECIPIENT_RULES", "CheckContext", "current"]

_TRUE = {"true", "yes", "y", "1", "ja", "oui", "x"}
_FALSE = {"false", "no", "n", "0", "nee", "non", ""}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass
class CheckContext:
    """What the rules read: the tables, the taxonomy and the date checks are made on."""

    activities: pd.DataFrame
    recipients: pd.DataFrame
    taxonomy: Taxonomy
    as_of: dt.date
    activities_file: str = "activities.csv"
    recipients_file: str = "recipients.csv"
    results: dict[str, pd.DataFrame] = field(default_factory=dict)
    _exploded: dict[str, pd.Series] = field(default_factory=dict)

    def exploded(self, column: str) -> pd.Series:
        """A list column exploded to one value per entry, indexed by the activity row."""
        s = self._exploded.get(column)
        if s is None:
            s = self.activities[column].explode().dropna().astype(str)
            s = s[s != ""]
            self._exploded[column] = s
        return s

    @functools.cached_property
    def live(self) -> pd.Series:
        """Activities whose content is checked: not retired."""
        return self.activities["status"].str.lower() != "retired"

    @functools.cached_property
    def live_controller(self) -> pd.Series:
        """Live activities the organisation decides on (its lawful basis and Art 9/10
        conditions are the controller's to record, not a processor's)."""
        return self.live & (self.activities["role"].str.lower() != "processor")


_CURRENT: contextvars.ContextVar[CheckContext] = contextvars.ContextVar("ropa_check_context")


def current() -> CheckContext:
    return _CURRENT.get()


_EMPTY = pd.DataFrame({"column": pd.Series([], dtype=object), "evidence": pd.Series([], dtype=object)},
                      index=pd.Index([], name="row", dtype="int64"))


def _result(index, column, evidence, **extra) -> pd.DataFrame:
    if len(index) == 0:  # most rules find nothing: skip building a frame
        return _EMPTY.copy()
    return pd.DataFrame({"column": column, "evidence": evidence, **extra}, index=pd.Index(index, name="row"))


def _empty() -> pd.DataFrame:
    return _EMPTY.copy()


def _special_keys(tax: Taxonomy) -> list[str]:
    """The data categories each Art 9 type names (its ``data_categories`` in legal.yml)."""
    terms = tax.terms
    if "data_categories" not in terms:
        return []
    art9 = terms.loc[terms["kind"] == "art9_category", "data_categories"]
    return [str(k) for keys in art9 if isinstance(keys, list | tuple) for k in keys]


def _text_empty(s: pd.Series) -> pd.Series:
    return s.fillna("").astype(str).str.strip() == ""


def _list_empty(s: pd.Series) -> pd.Series:
    return s.map(len) == 0


def _holds(ctx: CheckContext, column: str, values: Any = None, *, negate: bool = False) -> pd.Series:
    """Per activity: does its list ``column`` hold one of ``values`` (any value when None;
    with ``negate``, any value not among them)? From the exploded column, no per-row Python."""
    e = ctx.exploded(column)
    if values is not None:
        hit = e.isin(list(values))
        e = e[~hit if negate else hit]
    a = ctx.activities
    return pd.Series(a.index.isin(e.index.unique()), index=a.index)


# -- activities ---------------------------------------------------------------------------

def missing_required_field(ctx: CheckContext) -> pd.DataFrame:
    a = ctx.activities
    parts = []
    for col in ("activity_id", "name", "role"):
        bad = _text_empty(a[col])
        parts.append(_result(a.index[bad], col, ""))
    controller = a["role"].str.lower().isin(["controller", "joint_controller"]) & ctx.live
    bad = controller & _list_empty(a["lawful_basis"])
    parts.append(_result(a.index[bad], "lawful_basis", ""))
    return pd.concat(parts)


def empty_required_list(ctx: CheckContext) -> pd.DataFrame:
    a = ctx.activities
    parts = []
    for col in ("purposes", "data_subjects", "data_categories", "recipients"):
        bad = _list_empty(a[col]) & ctx.live
        parts.append(_result(a.index[bad], col, ""))
    return pd.concat(parts)


def unknown_taxonomy_key(ctx: CheckContext) -> pd.DataFrame:
    parts = []
    tax = ctx.taxonomy
    for col, kind in TAXONOMY_LIST_COLUMNS.items():
        values = ctx.exploded(col)
        if values.empty:
            continue
        codes, uniques = pd.factorize(values)
        known = tax.known(kind, uniques)
        if col == "source":
            known |= np.isin(uniques, ["data_subject", "third_party", "public"])
        bad = ~known[codes]
        if not bad.any():
            continue
        rows = values[bad]
        hints = {u: tax.suggest(kind, u) for u in pd.unique(rows)}
        parts.append(_result(
            rows.index, col, rows.to_numpy(),
            recommendation=[_did_you_mean(hints[v], kind) for v in rows],
            message=[f"{col} holds unknown key {v!r}" + (f" (did you mean {hints[v][0]!r}?)" if hints[v] else "")
                     for v in rows],
        ))
    return pd.concat(parts) if parts else _empty()


def _did_you_mean(hints: list[str], kind: str) -> str:
    base = f"Use a known {kind.replace('_', ' ')} key, or add the term to taxonomy.yaml with its parent."
    return (f"Did you mean {' or '.join(repr(h) for h in hints)}? " + base) if hints else base


def unknown_recipient(ctx: CheckContext) -> pd.DataFrame:
    values = ctx.exploded("recipients")
    if values.empty:
        return _empty()
    codes, uniques = pd.factorize(values)
    ids = set(ctx.recipients["recipient_id"])
    ok = np.array([u in ids or u == "none" for u in uniques], dtype=bool)
    ok |= ctx.taxonomy.known("recipient", uniques)
    bad = ~ok[codes]
    rows = values[bad]
    ids_list = sorted(i for i in ids if i)
    from rapidfuzz import process

    def hint(v: str) -> str:
        best = process.extractOne(v, ids_list) if ids_list else None
        return (f"Did you mean {best[0]!r}? " if best and best[1] >= 60 else "") + \
            "Add the recipient to recipients.csv (with kind, country and contract) or correct the id."

    hints = {v: hint(v) for v in pd.unique(rows)}
    return _result(rows.index, "recipients", rows.to_numpy(), recommendation=rows.map(hints).to_numpy())


def invalid_value(ctx: CheckContext) -> pd.DataFrame:
    a = ctx.activities
    parts = []
    allowed = {
        "role": {"controller", "processor", "joint_controller"},
        "status": {"active", "draft", "retired", ""},
        "dpia": set(ctx.taxonomy.keys("dpia")) | {""},
    }
    for col, values in allowed.items():
        bad = ~a[col].str.lower().isin(values) & ~_text_empty(a[col]) if col == "role" else ~a[col].str.lower().isin(values)
        parts.append(_result(a.index[bad], col, a.loc[bad, col].to_numpy()))
    for col in ("criminal_offence_data", "automated_decision_making"):
        low = a[col].str.strip().str.lower()
        bad = ~low.isin(_TRUE | _FALSE)
        parts.append(_result(a.index[bad], col, a.loc[bad, col].to_numpy()))
    countries = ctx.exploded("transfer_countries")
    if not countries.empty:
        bad = ~ctx.taxonomy.country_known(countries.str.upper())
        parts.append(_result(countries.index[bad], "transfer_countries", countries[bad].to_numpy()))
    return pd.concat(parts)


#: Characters that show as nothing: zero-width spaces and joiners, direction marks, embeddings,
#: overrides and isolates, the byte-order mark, soft hyphens, variation selectors, tags.
_INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\U000e0000-\U000e0fff]")


def id_key(ids: pd.Series) -> pd.Series:
    """Ids as they are compared for duplicates: Unicode NFKC, invisible characters removed
    (``"A\u200b1"`` and ``"A1"`` are the same id). ASCII ids are left as they are.

    Example:
        >>> id_key(pd.Series(["A1", "A\u200b1", "\uff21\uff11"])).tolist()
        ['A1', 'A1', 'A1']
    """
    text = ids.fillna("").astype(str)
    wide = ~text.str.isascii()
    if not wide.any():
        return text
    out = text.copy()
    out[wide] = text[wide].map(lambda v: _INVISIBLE.sub("", unicodedata.normalize("NFKC", v)))
    return out


def _duplicates(ids: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Rows whose id (compared by :func:`id_key`) another row has too, and each one's evidence."""
    keys = id_key(ids)
    dup = keys.duplicated(keep=False) & (keys.str.strip() != "")
    if not dup.any():
        return dup, pd.Series([], dtype=object)
    rows = pd.Series(ids.index, index=ids.index)[dup]
    lines = rows.groupby(keys[dup]).agg(lambda r: ", ".join(str(x) for x in sorted(r)))
    spellings = ids[dup].groupby(keys[dup]).nunique()
    evidence = "rows " + keys[dup].map(lines)
    differ = keys[dup].map(spellings) > 1
    evidence[differ] += " (written differently only by invisible or look-alike characters)"
    return dup, evidence


def duplicate_activity_id(ctx: CheckContext) -> pd.DataFrame:
    ids = ctx.activities["activity_id"]
    dup, evidence = _duplicates(ids)
    if not dup.any():
        return _empty()
    return _result(ids.index[dup], "activity_id", evidence.to_numpy(), activity_id=ids[dup].to_numpy())


def _invisible(ids: pd.Series) -> tuple[pd.Series, list[str]]:
    text = ids.fillna("").astype(str)
    wide = ~text.str.isascii()
    bad = pd.Series(False, index=ids.index)
    if wide.any():
        bad[wide] = text[wide].map(lambda v: _INVISIBLE.search(v) is not None)
    evidence = []
    for value in text[bad]:
        found = [(m.start(), m.group()) for m in _INVISIBLE.finditer(value)]
        names = ", ".join(f"U+{ord(ch):04X} {unicodedata.name(ch, 'unnamed')} at character {at + 1}"
                          for at, ch in found[:3])
        more = f" and {len(found) - 3} more" if len(found) > 3 else ""
        evidence.append(f"{value!r}: {names}{more}")
    return bad, evidence


def invisible_character_in_id(ctx: CheckContext) -> pd.DataFrame:
    ids = ctx.activities["activity_id"]
    bad, evidence = _invisible(ids)
    return _result(ids.index[bad], "activity_id", evidence, activity_id=ids[bad].to_numpy())


def invalid_date(ctx: CheckContext) -> pd.DataFrame:
    s = ctx.activities["last_reviewed"].str.strip()
    filled = s != ""
    parsed = pd.to_datetime(s.where(s.str.match(_DATE), None), format="%Y-%m-%d", errors="coerce")
    bad = filled & parsed.isna()
    return _result(s.index[bad], "last_reviewed", s[bad].to_numpy())


def invalid_duration(ctx: CheckContext) -> pd.DataFrame:
    s = ctx.activities["retention"].str.strip()
    looks = s.str.match(r"^P(?=[\dT])", na=False) & ~s.str.contains(" ", regex=False)
    if not looks.any():
        return _empty()
    import isodate

    def bad_duration(v: str) -> bool:
        try:
            isodate.parse_duration(v)
            return False
        except (isodate.ISO8601Error, ValueError):
            return True

    uniques = pd.unique(s[looks])
    bad_set = {u for u in uniques if bad_duration(u)}
    bad = looks & s.isin(bad_set)
    return _result(s.index[bad], "retention", s[bad].to_numpy())


def special_category_without_condition(ctx: CheckContext) -> pd.DataFrame:
    a = ctx.activities
    tax = ctx.taxonomy
    special_keys = _special_keys(tax)
    cats = ctx.exploded("data_categories")
    hits = np.zeros(len(cats), dtype=bool)
    if not cats.empty:
        codes, uniques = pd.factorize(cats)
        under = np.zeros(len(uniques), dtype=bool)
        for key in special_keys:
            under |= tax.is_under("data_category", uniques, key)
        hits = under[codes]
    declared = _holds(ctx, "special_categories")
    derived = pd.Series(a.index.isin(cats.index[hits]), index=a.index)
    bad = (declared | derived) & _list_empty(a["art9_condition"]) & ctx.live_controller
    if not bad.any():
        return _empty()
    # evidence, for the failing rows only: the declared types, else the special categories
    special = cats[hits]
    special = special[special.index.isin(a.index[bad])]
    from_cats = special.groupby(level=0).agg(lambda v: ", ".join(sorted(set(v))))
    rows = a.index[bad]
    stated = a.loc[bad, "special_categories"].map(lambda v: ", ".join(map(str, v)))
    evidence = stated.where(stated != "", from_cats.reindex(rows).fillna(""))
    return _result(rows, "art9_condition", evidence.to_numpy())


def legitimate_interest_not_stated(ctx: CheckContext) -> pd.DataFrame:
    a = ctx.activities
    uses_f = _holds(ctx, "lawful_basis", ["art6_1_f"])
    bad = uses_f & _text_empty(a["legitimate_interest"]) & ctx.live
    return _result(a.index[bad], "legitimate_interest", "art6_1_f")


def _recipient_transfer_ok(ctx: CheckContext) -> pd.Series:
    """Per recipient row: True when its country is in the EEA or its transfer is covered."""
    r = ctx.recipients
    tax = ctx.taxonomy
    country = r["country"].str.strip().str.upper()
    safeguard = r["transfer_safeguard"].str.strip().str.lower()
    eea = tax.is_eea(country) | (country == "")
    scope = tax.adequacy_scope(country)
    adequate = (scope == "all") | (scope == "commercial")
    dpf = (scope == "dpf") & (safeguard == "dpf")
    other = safeguard.isin(["scc", "bcr", "art49"])
    return pd.Series(eea | adequate | dpf.to_numpy() | other.to_numpy(), index=r.index)


def transfer_without_safeguard(ctx: CheckContext) -> pd.DataFrame:
    """Activities' own transfer_countries without a safeguard (recipients are checked apart)."""
    countries = ctx.exploded("transfer_countries").str.upper()
    if countries.empty:
        return _empty()
    tax = ctx.taxonomy
    outside = ~tax.is_eea(countries) & (tax.adequacy_scope(countries) != "all") & \
        (tax.adequacy_scope(countries) != "commercial")
    safeguards = _holds(ctx, "transfer_safeguards", ["none"], negate=True)
    bad = outside & ~safeguards.reindex(countries.index).to_numpy() & ctx.live.reindex(countries.index).to_numpy()
    rows = countries[bad]
    return _result(rows.index, "transfer_countries",
                   [f"{c} ({tax.country_name(c)})" for c in rows])


def missing_retention(ctx: CheckContext) -> pd.DataFrame:
    a = ctx.activities
    bad = _text_empty(a["retention"]) & ctx.live
    return _result(a.index[bad], "retention", "")


def missing_security_measures(ctx: CheckContext) -> pd.DataFrame:
    a = ctx.activities
    bad = _list_empty(a["security_measures"]) & ctx.live
    return _result(a.index[bad], "security_measures", "")


def stale_review(ctx: CheckContext) -> pd.DataFrame:
    a = ctx.activities
    s = a["last_reviewed"].str.strip()
    parsed = pd.to_datetime(s.where(s.str.match(_DATE), None), format="%Y-%m-%d", errors="coerce")
    limit = pd.Timestamp(ctx.as_of) - pd.DateOffset(months=12)
    never = s == ""
    old = parsed < limit
    bad = (never | old) & ctx.live
    months = ((pd.Timestamp(ctx.as_of) - parsed).dt.days / 30.44).round()
    evidence = np.where(never, "never", s + " (" + months.fillna(0).astype(int).astype(str) + " months ago)")
    return _result(a.index[bad], "last_reviewed", pd.Series(evidence, index=a.index)[bad].to_numpy())


def processor_activity_without_controller(ctx: CheckContext) -> pd.DataFrame:
    a = ctx.activities
    bad = (a["role"].str.lower() == "processor") & _list_empty(a["controllers"]) & ctx.live
    return _result(a.index[bad], "controllers", "")


def criminal_data_without_authority(ctx: CheckContext) -> pd.DataFrame:
    a = ctx.activities
    flagged = a["criminal_offence_data"].str.strip().str.lower().isin(_TRUE)
    cats = ctx.exploded("data_categories")
    if not cats.empty:
        codes, uniques = pd.factorize(cats)
        under = ctx.taxonomy.is_under("data_category", uniques, "user.criminal_history")[codes]
        flagged |= a.index.isin(cats.index[under])
    authorised = _holds(ctx, "lawful_basis", ["art6_1_c", "art6_1_e"])
    bad = flagged & ~authorised & ctx.live_controller
    basis = a.loc[bad, "lawful_basis"].map(lambda v: ", ".join(map(str, v)) or "no lawful basis")
    return _result(a.index[bad], "lawful_basis", basis.to_numpy())


# -- recipients ---------------------------------------------------------------------------

def recipient_missing_required_field(ctx: CheckContext) -> pd.DataFrame:
    r = ctx.recipients
    parts = []
    for col in ("recipient_id", "name", "kind"):
        bad = _text_empty(r[col])
        parts.append(_result(r.index[bad], col, "", recipient_id=r.loc[bad, "recipient_id"].to_numpy()))
    third = ~r["kind"].str.lower().isin(["internal"]) & ~r["category"].str.startswith("we")
    bad = third & _text_empty(r["country"])
    parts.append(_result(r.index[bad], "country", "", recipient_id=r.loc[bad, "recipient_id"].to_numpy()))
    return pd.concat(parts)


def recipient_invalid_value(ctx: CheckContext) -> pd.DataFrame:
    r = ctx.recipients
    tax = ctx.taxonomy
    parts = []
    kind = r["kind"].str.strip().str.lower()
    bad = ~kind.isin(set(tax.keys("recipient_kind"))) & (kind != "")
    parts.append(_result(r.index[bad], "kind", r.loc[bad, "kind"].to_numpy(),
                         recipient_id=r.loc[bad, "recipient_id"].to_numpy()))
    country = r["country"].str.strip().str.upper()
    bad = (country != "") & ~tax.country_known(country)
    parts.append(_result(r.index[bad], "country", r.loc[bad, "country"].to_numpy(),
                         recipient_id=r.loc[bad, "recipient_id"].to_numpy()))
    sg = r["transfer_safeguard"].str.strip().str.lower()
    bad = (sg != "") & ~sg.isin(set(tax.keys("safeguard")))
    parts.append(_result(r.index[bad], "transfer_safeguard", r.loc[bad, "transfer_safeguard"].to_numpy(),
                         recipient_id=r.loc[bad, "recipient_id"].to_numpy()))
    return pd.concat(parts)


def recipient_unknown_taxonomy_key(ctx: CheckContext) -> pd.DataFrame:
    r = ctx.recipients
    cat = r["category"].str.strip()
    bad = (cat != "") & ~ctx.taxonomy.known("recipient", cat)
    hints = {v: ctx.taxonomy.suggest("recipient", v) for v in pd.unique(cat[bad])}
    return _result(r.index[bad], "category", cat[bad].to_numpy(),
                   recipient_id=r.loc[bad, "recipient_id"].to_numpy(),
                   recommendation=[_did_you_mean(hints[v], "recipient") for v in cat[bad]])


def duplicate_recipient_id(ctx: CheckContext) -> pd.DataFrame:
    ids = ctx.recipients["recipient_id"]
    dup, evidence = _duplicates(ids)
    if not dup.any():
        return _empty()
    return _result(ids.index[dup], "recipient_id", evidence.to_numpy(), recipient_id=ids[dup].to_numpy())


def recipient_invisible_character_in_id(ctx: CheckContext) -> pd.DataFrame:
    ids = ctx.recipients["recipient_id"]
    bad, evidence = _invisible(ids)
    return _result(ids.index[bad], "recipient_id", evidence, recipient_id=ids[bad].to_numpy())


def recipient_transfer_without_safeguard(ctx: CheckContext) -> pd.DataFrame:
    r = ctx.recipients
    country = r["country"].str.strip().str.upper()
    known = ctx.taxonomy.country_known(country)
    bad = ~_recipient_transfer_ok(ctx) & known
    uses = ctx.exploded("recipients")
    users = uses.reset_index().groupby("recipients")[uses.index.name or "row"].count() if not uses.empty else pd.Series(dtype=int)
    evidence = []
    for rid, c, sg in zip(r.loc[bad, "recipient_id"], country[bad], r.loc[bad, "transfer_safeguard"], strict=True):
        text = f"{c} ({ctx.taxonomy.country_name(c)})"
        if c == "US" and sg.strip().lower() == "adequacy":
            text += ": the US decision covers only Data Privacy Framework participants; record `dpf` if certified"
        elif sg.strip():
            text += f", safeguard {sg!r}"
        n = int(users.get(rid, 0)) if len(users) else 0
        if n:
            text += f"; used by {n} activit{'y' if n == 1 else 'ies'}"
        evidence.append(text)
    return _result(r.index[bad], "country", evidence, recipient_id=r.loc[bad, "recipient_id"].to_numpy())


def processor_without_contract(ctx: CheckContext) -> pd.DataFrame:
    r = ctx.recipients
    bad = (r["kind"].str.strip().str.lower() == "processor") & _text_empty(r["contract_reference"])
    return _result(r.index[bad], "contract_reference", "", recipient_id=r.loc[bad, "recipient_id"].to_numpy())


Rule = Callable[[CheckContext], pd.DataFrame]

#: Activity rules by finding code.
ACTIVITY_RULES: dict[str, Rule] = {
    "missing-required-field": missing_required_field,
    "empty-required-list": empty_required_list,
    "unknown-taxonomy-key": unknown_taxonomy_key,
    "unknown-recipient": unknown_recipient,
    "invalid-value": invalid_value,
    "duplicate-activity-id": duplicate_activity_id,
    "invisible-character-in-id": invisible_character_in_id,
    "invalid-date": invalid_date,
    "invalid-duration": invalid_duration,
    "special-category-without-condition": special_category_without_condition,
    "legitimate-interest-not-stated": legitimate_interest_not_stated,
    "transfer-without-safeguard": transfer_without_safeguard,
    "missing-retention": missing_retention,
    "missing-security-measures": missing_security_measures,
    "stale-review": stale_review,
    "processor-activity-without-controller": processor_activity_without_controller,
    "criminal-data-without-authority": criminal_data_without_authority,
}

#: Recipient rules by finding code.
RECIPIENT_RULES: dict[str, Rule] = {
    "missing-required-field": recipient_missing_required_field,
    "invalid-value": recipient_invalid_value,
    "unknown-taxonomy-key": recipient_unknown_taxonomy_key,
    "duplicate-recipient-id": duplicate_recipient_id,
    "invisible-character-in-id": recipient_invisible_character_in_id,
    "transfer-without-safeguard": recipient_transfer_without_safeguard,
    "processor-without-contract": processor_without_contract,
}
