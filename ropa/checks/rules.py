"""The register rules as pandera checks: for each finding code, which rows pass.

A check takes what pandera hands it, a column (a column check) or the whole table (a check
across fields), and returns a boolean Series over the rows: True where the row passes. The
schemas in :mod:`ropa.checks.schemas` declare each check under its finding code; what a
finding says about a failing row (its column, evidence, hints) is in :mod:`ropa.checks.evidence`.

The checks read what is not in the table they check (the taxonomy, the date the checks are
made on, the other table) from the :class:`CheckContext` of the validation under way
(:func:`checking`). List cells are checked through their distinct values: a list column is
exploded once per validation, each distinct value is checked once, and the answer is
broadcast back to the rows.

Example:
    >>> import pandas as pd
    >>> from ropa.checks.rules import filled, unique_ids
    >>> filled(pd.Series(["A1", " ", None])).tolist()
    [True, False, False]
    >>> unique_ids(pd.Series(["A1", "A\\u200b1", "B2"])).tolist()
    [False, False, True]
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..core.durations import is_duration
from ..core.taxonomy import Taxonomy
from ..core.words import truth
from ..register.columns import TAXONOMY_LIST_COLUMNS, UNMAPPED_COLUMN, unmapped_pairs
from ..register.model import is_live
from ..register.phrases import match_phrases

__all__ = [
    "AUTHORITY_BASES",
    "CONSENT_PURPOSES",
    "INVISIBLE",
    "NECESSARY_BASES",
    "NECESSARY_PURPOSES",
    "REQUIRED_LISTS",
    "ROLES",
    "SAFEGUARDS",
    "SOURCES",
    "STATUSES",
    "TAXONOMY_LIST_COLUMNS",
    "CheckContext",
    "checking",
    "consent_fits",
    "consent_misplaced",
    "context",
    "contract_recorded",
    "controller_named",
    "country_recorded",
    "created",
    "criminal_data_authorised",
    "explode",
    "filled",
    "guarded",
    "holds",
    "id_key",
    "invented_outside_eea",
    "known_category",
    "known_countries",
    "known_keys",
    "known_recipients",
    "lawful_basis_recorded",
    "legitimate_interest_stated",
    "list_empty",
    "recipient_transfer_safeguarded",
    "required_lists_filled",
    "retention_has_period",
    "retention_recorded",
    "review_dates",
    "review_limit",
    "reviewed",
    "rows_without",
    "said_yes",
    "security_described",
    "security_recorded",
    "special",
    "special_condition_recorded",
    "special_data_declared",
    "special_keys",
    "special_text",
    "text_empty",
    "transfer_ok",
    "transfers_recorded",
    "transfers_safeguarded",
    "unique_ids",
    "unknown_countries",
    "unknown_keys",
    "unknown_recipients",
    "unsafeguarded",
    "valid_country",
    "valid_date",
    "valid_dpia",
    "valid_duration",
    "valid_kind",
    "valid_role",
    "valid_safeguard",
    "valid_status",
    "visible_ids",
    "written",
    "yes_or_no",
]

#: Where personal data may come from besides the taxonomy's sources.
SOURCES = ("data_subject", "third_party", "public")
ROLES = frozenset({"controller", "processor", "joint_controller"})
STATUSES = frozenset({"active", "draft", "retired", ""})
#: Lawful bases that allow processing criminal offence data (Art 10: law or official authority).
AUTHORITY_BASES = ("art6_1_c", "art6_1_e")
#: Lawful bases for processing that is necessary (contract, legal obligation, public task):
#: consent (art6_1_a) listed beside one of them is doubtful (it can be withdrawn).
NECESSARY_BASES = ("art6_1_b", "art6_1_c", "art6_1_e")
#: Purposes (exact keys) that are necessary for a contract or required by law: log-in to an
#: account, payment, bookkeeping, legal obligations, employment. Consent as their basis is
#: doubtful.
NECESSARY_PURPOSES = ("essential.service.authentication", "essential.service.payment_processing",
                      "essential.legal_obligation", "third_party_sharing.legal_obligation", "finance",
                      "employment")
#: Purposes (and those under them) that usually rest on consent (a pool of job candidates
#: too): an activity with one of them may list consent beside a contract for its others.
CONSENT_PURPOSES = ("marketing", "analytics", "personalize", "functional.storage", "employment.recruitment")
#: Transfer safeguards that cover any country (the DPF only the US's certified participants).
SAFEGUARDS = ("scc", "bcr", "art49")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass
class CheckContext:
    """What the checks read beyond the table they check: both tables, the taxonomy, the date
    the checks are made on, the files the tables came from; and what several checks share,
    computed once per validation (exploded list columns, list lengths, live activities)."""

    activities: pd.DataFrame
    recipients: pd.DataFrame
    taxonomy: Taxonomy
    as_of: dt.date
    activities_file: str = "activities.csv"
    recipients_file: str = "recipients.csv"
    _exploded: dict[str, pd.Series] = field(default_factory=dict, repr=False)
    _lengths: dict[str, np.ndarray] = field(default_factory=dict, repr=False)

    def exploded(self, column: str) -> pd.Series:
        """An activities list column exploded (:func:`explode`), once per validation."""
        s = self._exploded.get(column)
        if s is None:
            s = self._exploded[column] = explode(self.activities[column])
        return s

    def empty(self, column: str) -> pd.Series:
        """Per activity: is its list ``column`` empty?"""
        n = self._lengths.get(column)
        if n is None:
            cells = self.activities[column].to_numpy()
            n = self._lengths[column] = np.fromiter(map(len, cells), dtype=np.int64, count=len(cells))
        return pd.Series(n == 0, index=self.activities.index)

    @functools.cached_property
    def live(self) -> pd.Series:
        """Activities whose content is checked: not retired."""
        return is_live(self.activities)

    @functools.cached_property
    def live_controller(self) -> pd.Series:
        """Live activities the organisation decides on (its lawful basis and Art 9/10
        conditions are the controller's to record, not a processor's)."""
        return self.live & (self.activities["role"].str.lower() != "processor")


_CONTEXT: contextvars.ContextVar[CheckContext] = contextvars.ContextVar("ropa_check_context")


@contextlib.contextmanager
def checking(ctx: CheckContext) -> Iterator[CheckContext]:
    """Make ``ctx`` the context the checks read while a validation runs."""
    token = _CONTEXT.set(ctx)
    try:
        yield ctx
    finally:
        _CONTEXT.reset(token)


def context() -> CheckContext:
    """The context of the validation under way."""
    return _CONTEXT.get()


# -- helpers -------------------------------------------------------------------------------

def explode(cells: pd.Series) -> pd.Series:
    """A list column as one value (text, not blank) per entry, indexed by its row."""
    s = cells.explode().dropna().astype(str)
    return s[s != ""]


def text_empty(s: pd.Series) -> pd.Series:
    """Per cell: blank or missing."""
    return s.fillna("").astype(str).str.strip() == ""


def list_empty(s: pd.Series) -> pd.Series:
    """Per list cell: no entries."""
    cells = s.to_numpy()
    return pd.Series(np.fromiter(map(len, cells), dtype=np.int64, count=len(cells)) == 0, index=s.index)


def rows_without(index: pd.Index, values: pd.Series, bad: np.ndarray) -> pd.Series:
    """Per row of ``index``: True unless one of its exploded ``values`` is ``bad``."""
    return pd.Series(~index.isin(values.index[bad]), index=index)


def holds(index: pd.Index, values: pd.Series, wanted: Iterable[str] | None = None, *,
          negate: bool = False) -> pd.Series:
    """Per row: do its exploded ``values`` include one of ``wanted`` (any value when None;
    with ``negate``, any value not among them)?"""
    if wanted is not None:
        hit = values.isin(list(wanted))
        values = values[~hit if negate else hit]
    return pd.Series(index.isin(values.index.unique()), index=index)


def _per_distinct(values: pd.Series, test) -> np.ndarray:
    """``test`` (on an array of distinct values) broadcast back to every value."""
    if values.empty:
        return np.zeros(0, dtype=bool)
    codes, uniques = pd.factorize(values)
    return np.asarray(test(np.asarray(uniques, dtype=object)), dtype=bool)[codes]


def special_keys(tax: Taxonomy) -> list[str]:
    """The data categories each Art 9 type names (its ``data_categories`` in legal.yml)."""
    terms = tax.terms
    if "data_categories" not in terms:
        return []
    art9 = terms.loc[terms["kind"] == "art9_category", "data_categories"]
    return [str(k) for keys in art9 if isinstance(keys, list | tuple) for k in keys]


def special(tax: Taxonomy, categories: pd.Series) -> np.ndarray:
    """Per exploded data category: is it (under) a special category of Art 9?"""
    keys = special_keys(tax)

    def test(uniques: np.ndarray) -> np.ndarray:
        under = np.zeros(len(uniques), dtype=bool)
        for key in keys:
            under |= tax.is_under("data_category", uniques, key)
        return under

    return _per_distinct(categories, test)


# -- checks on one column ------------------------------------------------------------------

def filled(s: pd.Series) -> pd.Series:
    """missing-required-field: the cell is not blank."""
    return ~text_empty(s)


def known_keys(ctx: CheckContext, s: pd.Series) -> pd.Series:
    """unknown-taxonomy-key: every key of the list cell is a term of its kind."""
    values = ctx.exploded(str(s.name))
    return rows_without(s.index, values, unknown_keys(ctx.taxonomy, str(s.name), values))


def unknown_keys(tax: Taxonomy, column: str, values: pd.Series) -> np.ndarray:
    """Per exploded value of a taxonomy list column: not a key of its kind."""
    kind = TAXONOMY_LIST_COLUMNS[column]

    def test(uniques: np.ndarray) -> np.ndarray:
        known = tax.known(kind, uniques)
        if column == "source":
            known |= np.isin(uniques, SOURCES)
        return ~known

    return _per_distinct(values, test)


def known_recipients(ctx: CheckContext, s: pd.Series) -> pd.Series:
    """unknown-recipient: every recipient named is in recipients.csv, a recipient category
    or ``none``."""
    values = ctx.exploded("recipients")
    return rows_without(s.index, values, unknown_recipients(ctx, values))


def unknown_recipients(ctx: CheckContext, values: pd.Series) -> np.ndarray:
    """Per exploded recipient: neither a recipient id, a recipient category nor ``none``."""
    ids = set(ctx.recipients["recipient_id"])

    def test(uniques: np.ndarray) -> np.ndarray:
        ok = np.array([u in ids or u == "none" for u in uniques], dtype=bool)
        return ~(ok | ctx.taxonomy.known("recipient", uniques))

    return _per_distinct(values, test)


def valid_role(s: pd.Series) -> pd.Series:
    """invalid-value: a role ropa knows (a blank one is missing-required-field)."""
    return ~(~s.str.lower().isin(ROLES) & ~text_empty(s))


def valid_status(s: pd.Series) -> pd.Series:
    """invalid-value: active, draft, retired or blank."""
    return s.str.lower().isin(STATUSES)


def valid_dpia(ctx: CheckContext, s: pd.Series) -> pd.Series:
    """invalid-value: a DPIA state of the taxonomy, or blank."""
    return s.str.lower().isin(set(ctx.taxonomy.keys("dpia")) | {""})


def yes_or_no(s: pd.Series) -> pd.Series:
    """invalid-value: a yes or no word (:func:`ropa.core.words.truth`), or blank."""
    said = _per_distinct(s.fillna(""), lambda u: [truth(v) is not None for v in u])
    return pd.Series(said, index=s.index) | (s.str.strip() == "")


def said_yes(s: pd.Series) -> pd.Series:
    """Per cell: does it say yes?"""
    return pd.Series(_per_distinct(s.fillna(""), lambda u: [truth(v) is True for v in u]), index=s.index)


def known_countries(ctx: CheckContext, s: pd.Series) -> pd.Series:
    """invalid-value: every transfer country is an ISO 3166 alpha-2 code."""
    values = ctx.exploded(str(s.name))
    return rows_without(s.index, values, unknown_countries(ctx.taxonomy, values))


def unknown_countries(tax: Taxonomy, values: pd.Series) -> np.ndarray:
    """Per exploded country: not a country code (in any case)."""
    return _per_distinct(values, lambda u: ~tax.country_known([v.upper() for v in u]))


#: Characters that show as nothing: zero-width spaces and joiners, direction marks, embeddings,
#: overrides and isolates, the byte-order mark, soft hyphens, variation selectors, tags.
INVISIBLE = re.compile(
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
    out[wide] = text[wide].map(lambda v: INVISIBLE.sub("", unicodedata.normalize("NFKC", v)))
    return out


def unique_ids(ids: pd.Series) -> pd.Series:
    """duplicate-activity-id, duplicate-recipient-id: no other row has the same id (compared
    by :func:`id_key`); every row of a duplicated id fails."""
    keys = id_key(ids)
    return ~(keys.duplicated(keep=False) & (keys.str.strip() != ""))


def visible_ids(ids: pd.Series) -> pd.Series:
    """invisible-character-in-id: the id holds no character that shows as nothing."""
    text = ids.fillna("").astype(str)
    wide = ~text.str.isascii()
    ok = pd.Series(True, index=ids.index)
    if wide.any():
        ok[wide] = text[wide].map(lambda v: INVISIBLE.search(v) is None)
    return ok


def review_dates(s: pd.Series) -> pd.Series:
    """The review dates (YYYY-MM-DD) as timestamps; NaT where blank or not a date."""
    s = s.str.strip()
    return pd.to_datetime(s.where(s.str.match(_DATE), None), format="%Y-%m-%d", errors="coerce")


def valid_date(s: pd.Series) -> pd.Series:
    """invalid-date: blank, or a real date written YYYY-MM-DD."""
    return ~((s.str.strip() != "") & review_dates(s).isna())


def valid_duration(s: pd.Series) -> pd.Series:
    """invalid-duration: a cell that looks like an ISO 8601 duration is one."""
    s = s.str.strip()
    looks = s.str.match(r"^P[\dT]", na=False) & ~s.str.contains(" ", regex=False).fillna(False)
    if not looks.any():
        return pd.Series(True, index=s.index)
    bad = np.zeros(len(s), dtype=bool)
    bad[looks.to_numpy()] = _per_distinct(s[looks], lambda u: [not is_duration(v) for v in u])
    return pd.Series(~bad, index=s.index)


# -- checks across the fields of an activity ----------------------------------------------

def lawful_basis_recorded(ctx: CheckContext, a: pd.DataFrame) -> pd.Series:
    """missing-required-field: a live controller activity records its lawful basis."""
    controller = a["role"].str.lower().isin(["controller", "joint_controller"]) & ctx.live
    return ~(controller & ctx.empty("lawful_basis") & ~written(a, "lawful_basis"))


#: The lists a live activity must fill (empty-required-list).
REQUIRED_LISTS = ("purposes", "data_subjects", "data_categories", "recipients")


def written(a: pd.DataFrame, column: str) -> pd.Series:
    """Per activity: does its ``unmapped`` column keep text written for ``column`` (words that
    map to no key, kept as the user wrote them)? Such a field holds text: it is not empty.

    Example:
        >>> frame = pd.DataFrame({"unmapped": ["purposes: Abrechnung", ""]})
        >>> written(frame, "purposes").tolist(), written(frame, "recipients").tolist()
        ([True, False], [False, False])
    """
    if UNMAPPED_COLUMN not in a:
        return pd.Series(False, index=a.index)
    cells = a[UNMAPPED_COLUMN].fillna("").astype(str)
    hits = {u: any(c == column for c, _ in unmapped_pairs(u)) for u in pd.unique(cells) if u}
    return cells.map(lambda u: hits.get(u, False)).astype(bool)


def required_lists_filled(ctx: CheckContext, a: pd.DataFrame) -> pd.Series:
    """empty-required-list: a live activity fills its purposes, subjects, categories and
    recipients (with keys, or with text kept as written)."""
    empty = functools.reduce(lambda x, y: x | y, (ctx.empty(c) & ~written(a, c) for c in REQUIRED_LISTS))
    return ~(empty & ctx.live)


#: The columns whose text kept as written may name special-category data (:func:`special_text`).
_SPECIAL_TEXT_COLUMNS = frozenset({"purposes", "data_subjects", "data_categories"})


def special_text(a: pd.DataFrame) -> pd.Series:
    """Per activity: the parts of its purposes, subjects or categories kept as written (words
    that map to no key) that name special-category data (the ``special_data`` phrases), joined
    by "; " ("" when none).

    Example:
        >>> frame = pd.DataFrame({"unmapped": ["purposes: Patientenverfügungen; purposes: Abo", ""]})
        >>> special_text(frame).tolist()
        ['Patientenverfügungen', '']
    """
    if UNMAPPED_COLUMN not in a:
        return pd.Series("", index=a.index)
    cells = a[UNMAPPED_COLUMN].fillna("").astype(str)
    table = {u: "; ".join(p for c, p in unmapped_pairs(u) if c in _SPECIAL_TEXT_COLUMNS
                          and match_phrases("special_data", p)) for u in pd.unique(cells) if u}
    return cells.map(lambda u: table.get(u, "")).astype(str)


def _special_data(ctx: CheckContext, a: pd.DataFrame) -> pd.Series:
    """Per activity: does it hold special-category data (declared, a data category under an
    Art 9 type, or named in its text kept as written)?"""
    cats = ctx.exploded("data_categories")
    declared = holds(a.index, ctx.exploded("special_categories"))
    derived = a.index.isin(cats.index[special(ctx.taxonomy, cats)])
    return declared | derived | (special_text(a) != "").to_numpy()


def special_condition_recorded(ctx: CheckContext, a: pd.DataFrame) -> pd.Series:
    """special-category-without-condition: a live controller activity with special category
    data (declared, a data category under an Art 9 type, or named in text kept as written)
    records its Art 9 condition."""
    return ~(_special_data(ctx, a) & ctx.empty("art9_condition") & ctx.live_controller)


def special_data_declared(ctx: CheckContext, a: pd.DataFrame) -> pd.Series:
    """art9-condition-without-special-data: a live activity that records an Art 9(2) condition
    declares special-category data (or has a data category under an Art 9 type, or names
    such data in text kept as written)."""
    return ~(~_special_data(ctx, a) & ~ctx.empty("art9_condition") & ctx.live)


def consent_misplaced(ctx: CheckContext, a: pd.DataFrame) -> pd.Series:
    """Per activity: is consent (art6_1_a) listed for processing that is necessary for a
    contract, a legal obligation or a public task (listed beside art6_1_b/c/e, or the only
    basis of a purpose in :data:`NECESSARY_PURPOSES`), with no purpose that usually rests on
    consent (:data:`CONSENT_PURPOSES`)?"""
    bases = ctx.exploded("lawful_basis").astype(str)
    purposes = ctx.exploded("purposes").astype(str)
    consent = holds(a.index, bases, ["art6_1_a"])
    beside = holds(a.index, bases, NECESSARY_BASES)
    necessary = holds(a.index, purposes, NECESSARY_PURPOSES)
    usual = pd.Series(False, index=a.index)
    if not purposes.empty:
        under = np.zeros(len(purposes), dtype=bool)
        for key in CONSENT_PURPOSES:
            under |= _per_distinct(purposes, lambda u, k=key: ctx.taxonomy.is_under("data_use", u, k))
        usual = holds(a.index, purposes[under])
    return consent & (beside | necessary) & ~usual


def consent_fits(ctx: CheckContext, a: pd.DataFrame) -> pd.Series:
    """consent-for-necessary-processing: a live controller activity does not give consent as
    the basis of processing that is necessary for a contract, a legal obligation or a public
    task (see :func:`consent_misplaced`)."""
    return ~(consent_misplaced(ctx, a) & ctx.live_controller)


def legitimate_interest_stated(ctx: CheckContext, a: pd.DataFrame) -> pd.Series:
    """legitimate-interest-not-stated: a live activity on art6_1_f states the interest."""
    uses_f = holds(a.index, ctx.exploded("lawful_basis"), ["art6_1_f"])
    return ~(uses_f & text_empty(a["legitimate_interest"]) & ctx.live)


def unsafeguarded(tax: Taxonomy, countries: pd.Series, guarded: pd.Series, live: pd.Series) -> np.ndarray:
    """Per exploded transfer country (upper case): outside the EEA, without an adequacy
    decision for all or commercial transfers, of a live activity without a safeguard."""
    outside = _per_distinct(countries, lambda u: ~tax.is_eea(u) & ~np.isin(tax.adequacy_scope(u),
                                                                            ["all", "commercial"]))
    return outside & ~guarded.reindex(countries.index).to_numpy() & live.reindex(countries.index).to_numpy()


def guarded(index: pd.Index, safeguards: pd.Series) -> pd.Series:
    """Per activity: does it record a transfer safeguard (other than ``none``)?"""
    return holds(index, safeguards, ["none"], negate=True)


def transfers_safeguarded(ctx: CheckContext, a: pd.DataFrame) -> pd.Series:
    """transfer-without-safeguard: a live activity's own transfer countries are in the EEA,
    adequate, or covered by a safeguard (its recipients are checked in recipients.csv)."""
    countries = ctx.exploded("transfer_countries").str.upper()
    bad = unsafeguarded(ctx.taxonomy, countries, guarded(a.index, ctx.exploded("transfer_safeguards")), ctx.live)
    return rows_without(a.index, countries, bad)


def retention_recorded(ctx: CheckContext, a: pd.DataFrame) -> pd.Series:
    """missing-retention: a live activity records its retention period."""
    return ~(text_empty(a["retention"]) & ctx.live)


def security_recorded(ctx: CheckContext, a: pd.DataFrame) -> pd.Series:
    """missing-security-measures: a live activity records its security measures."""
    return ~(ctx.empty("security_measures") & ctx.live)


def _criterion_only(text: str) -> bool:
    """Is a retention text a criterion with no period and no number ("durante el tiempo
    necesario", "bis Kontolöschung")?"""
    return bool(text.strip()) and not is_duration(text.strip()) and not re.search(r"\d", text) \
        and match_phrases("retention_criterion", text) is not None


def retention_has_period(ctx: CheckContext, a: pd.DataFrame) -> pd.Series:
    """retention-without-period: a live activity's retention is not only a criterion."""
    cells = a["retention"].fillna("").astype(str)
    table = {u: _criterion_only(u) for u in pd.unique(cells)}
    return ~(cells.map(table).astype(bool) & ctx.live)


def security_described(ctx: CheckContext, a: pd.DataFrame) -> pd.Series:
    """security-reference-only: a live activity's security measures are not only references
    to a standard or a document (the ENS, ISO 27001, "see annex")."""
    measures = ctx.exploded("security_measures").astype(str)
    table = {u: match_phrases("security_reference", u) is not None for u in pd.unique(measures)}
    reference = measures.map(table).astype(bool)
    only = reference.groupby(level=0).all() if len(reference) else pd.Series(dtype=bool)
    flagged = a.index.isin(only.index[only.to_numpy()])
    return ~(flagged & ~ctx.empty("security_measures").to_numpy() & ctx.live)


def created(r: pd.DataFrame) -> pd.Series:
    """Per recipient: was it created by ropa from free text (``created_from`` filled)?"""
    if "created_from" not in r:
        return pd.Series(False, index=r.index)
    return r["created_from"].fillna("").astype(str).str.strip() != ""


def invented_outside_eea(ctx: CheckContext) -> set[str]:
    """The ids of the recipients ropa created from free text whose country (read or guessed)
    is outside the EEA."""
    r = ctx.recipients
    if r.empty or "created_from" not in r:
        return set()
    country = r["country"].fillna("").astype(str).str.strip().str.upper()
    outside = (country != "") & ~ctx.taxonomy.is_eea(country)
    return set(r.loc[created(r).to_numpy() & np.asarray(outside), "recipient_id"].astype(str))


def transfers_recorded(ctx: CheckContext, a: pd.DataFrame) -> pd.Series:
    """transfer-not-recorded: a live activity that discloses data to a recipient ropa created
    from its text, established outside the EEA, records a transfer country."""
    outside = invented_outside_eea(ctx)
    if not outside:
        return pd.Series(True, index=a.index)
    uses = ctx.exploded("recipients").astype(str)
    hit = a.index.isin(uses.index[uses.isin(outside).to_numpy()])
    return ~(hit & ctx.empty("transfer_countries").to_numpy() & ctx.live)


def review_limit(as_of: dt.date) -> pd.Timestamp:
    """The oldest review date that is not stale on ``as_of`` (twelve months before)."""
    return pd.Timestamp(as_of) - pd.DateOffset(months=12)


def reviewed(ctx: CheckContext, a: pd.DataFrame) -> pd.Series:
    """stale-review: a live activity was reviewed in the last twelve months."""
    never = a["last_reviewed"].str.strip() == ""
    return ~((never | (review_dates(a["last_reviewed"]) < review_limit(ctx.as_of))) & ctx.live)


def controller_named(ctx: CheckContext, a: pd.DataFrame) -> pd.Series:
    """processor-activity-without-controller: a live processor activity names its controllers."""
    return ~((a["role"].str.lower() == "processor") & ctx.empty("controllers") & ctx.live)


def criminal_data_authorised(ctx: CheckContext, a: pd.DataFrame) -> pd.Series:
    """criminal-data-without-authority: a live controller activity with criminal offence
    data (flagged, or a category under user.criminal_history) has a basis in law or official
    authority."""
    flagged = said_yes(a["criminal_offence_data"])
    cats = ctx.exploded("data_categories")
    under = _per_distinct(cats, lambda u: ctx.taxonomy.is_under("data_category", u, "user.criminal_history"))
    flagged |= a.index.isin(cats.index[under])
    authorised = holds(a.index, ctx.exploded("lawful_basis"), AUTHORITY_BASES)
    return ~(flagged & ~authorised & ctx.live_controller)


# -- checks of recipients -------------------------------------------------------------------

def country_recorded(r: pd.DataFrame) -> pd.Series:
    """missing-required-field: a third party (not internal, not under ``we``) records its
    country."""
    third = ~r["kind"].str.lower().isin(["internal"]) & ~r["category"].str.startswith("we")
    return ~(third & text_empty(r["country"]) & ~created(r))


def valid_kind(ctx: CheckContext, s: pd.Series) -> pd.Series:
    """invalid-value: a recipient kind of the taxonomy, or blank."""
    kind = s.str.strip().str.lower()
    return ~(~kind.isin(set(ctx.taxonomy.keys("recipient_kind"))) & (kind != ""))


def valid_country(ctx: CheckContext, s: pd.Series) -> pd.Series:
    """invalid-value: an ISO 3166 alpha-2 country code, or blank."""
    country = s.str.strip().str.upper()
    return ~((country != "") & ~ctx.taxonomy.country_known(country))


def valid_safeguard(ctx: CheckContext, s: pd.Series) -> pd.Series:
    """invalid-value: a transfer safeguard of the taxonomy, or blank."""
    sg = s.str.strip().str.lower()
    return ~((sg != "") & ~sg.isin(set(ctx.taxonomy.keys("safeguard"))))


def known_category(ctx: CheckContext, s: pd.Series) -> pd.Series:
    """unknown-taxonomy-key: the recipient's category is a recipient term, or blank."""
    cat = s.str.strip()
    return ~((cat != "") & ~ctx.taxonomy.known("recipient", cat))


def transfer_ok(tax: Taxonomy, r: pd.DataFrame) -> pd.Series:
    """Per recipient: True when its country is in the EEA or its transfer is covered."""
    country = r["country"].str.strip().str.upper()
    safeguard = r["transfer_safeguard"].str.strip().str.lower()
    eea = tax.is_eea(country) | (country == "")
    scope = tax.adequacy_scope(country)
    adequate = (scope == "all") | (scope == "commercial")
    dpf = (scope == "dpf") & (safeguard == "dpf")
    other = safeguard.isin(SAFEGUARDS)
    return pd.Series(eea | adequate | dpf.to_numpy() | other.to_numpy(), index=r.index)


def recipient_transfer_safeguarded(ctx: CheckContext, r: pd.DataFrame) -> pd.Series:
    """transfer-without-safeguard: a recipient in a known country outside the EEA is adequate
    or covered by its safeguard."""
    known = ctx.taxonomy.country_known(r["country"].str.strip().str.upper())
    return ~(~transfer_ok(ctx.taxonomy, r) & known & ~created(r).to_numpy())


def contract_recorded(r: pd.DataFrame) -> pd.Series:
    """processor-without-contract: a processor has a contract reference (Art 28)."""
    return ~((r["kind"].str.strip().str.lower() == "processor") & text_empty(r["contract_reference"]))
