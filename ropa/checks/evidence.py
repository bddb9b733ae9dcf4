"""What a register finding says about each row pandera reported failing a rule.

For each finding code, a function takes the validation's :class:`~ropa.checks.rules.CheckContext`
and the :class:`Failed` rows of one table, and returns the finding rows: a DataFrame indexed
by the row's line number, with ``column`` and ``evidence`` (and any other finding column it
knows: ``recommendation``, ``message``, ``activity_id``, ``recipient_id``). Only the failing
rows are looked at again, so a large register with few findings pays little here.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..core.lists import first_few
from .rules import (
    INVISIBLE,
    REQUIRED_LISTS,
    TAXONOMY_LIST_COLUMNS,
    CheckContext,
    explode,
    guarded,
    id_key,
    invented_outside_eea,
    list_empty,
    review_dates,
    special,
    special_text,
    unknown_countries,
    unknown_keys,
    unknown_recipients,
    unsafeguarded,
    written,
)

__all__ = ["ACTIVITY_FINDINGS", "RECIPIENT_FINDINGS", "Explain", "Failed"]


@dataclass(frozen=True)
class Failed:
    """The rows of one table that failed one finding code's checks, as pandera reported them:
    by column for the checks on one column, under ``None`` for the check across fields."""

    frame: pd.DataFrame
    by_column: Mapping[str | None, Sequence]

    def rows(self, column: str | None = None) -> pd.Index:
        """The failing rows (line numbers), in the table's order."""
        failed = self.by_column.get(column)
        index = self.frame.index
        return index[index.isin(failed)] if failed is not None else index[:0]

    def cells(self, column: str, of: str | None = None) -> pd.Series:
        """The cells of ``column`` in the rows that failed the check on ``of``."""
        return self.frame.loc[self.rows(of), column]


_EMPTY = pd.DataFrame({"column": pd.Series([], dtype=object), "evidence": pd.Series([], dtype=object)},
                      index=pd.Index([], name="row", dtype="int64"))


def _result(index, column, evidence, **extra) -> pd.DataFrame:
    if len(index) == 0:  # most rules find nothing: skip building a frame
        return _EMPTY.copy()
    return pd.DataFrame({"column": column, "evidence": evidence, **extra}, index=pd.Index(index, name="row"))


def _concat(parts: list[pd.DataFrame]) -> pd.DataFrame:
    return pd.concat(parts) if parts else _EMPTY.copy()


def _did_you_mean(hints: list[str], kind: str) -> str:
    base = f"Use a known {kind.replace('_', ' ')} key, or add the term to taxonomy.yaml with its parent."
    return (f"Did you mean {' or '.join(repr(h) for h in hints)}? " + base) if hints else base


def _duplicate_evidence(ids: pd.Series) -> pd.Series:
    """For rows that all share their id with another row: the rows of each id, and a note when
    the spellings differ only by invisible or look-alike characters."""
    keys = id_key(ids)
    lines = pd.Series(ids.index, index=ids.index).groupby(keys).agg(lambda r: ", ".join(str(x) for x in sorted(r)))
    spellings = ids.groupby(keys).nunique()
    evidence = "rows " + keys.map(lines)
    evidence[keys.map(spellings) > 1] += " (written differently only by invisible or look-alike characters)"
    return evidence


def _invisible_evidence(ids: pd.Series) -> list[str]:
    """Per id: the invisible characters it holds and where."""
    evidence = []
    for value in ids.fillna("").astype(str):
        found = [(m.start(), m.group()) for m in INVISIBLE.finditer(value)]
        names = first_few((f"U+{ord(ch):04X} {unicodedata.name(ch, 'unnamed')} at character {at + 1}"
                           for at, ch in found), most=3)
        evidence.append(f"{value!r}: {names}")
    return evidence


# -- activities ---------------------------------------------------------------------------

def missing_required_field(ctx: CheckContext, f: Failed) -> pd.DataFrame:
    parts = [_result(f.rows(col), col, "") for col in ("activity_id", "name", "role")]
    parts.append(_result(f.rows(), "lawful_basis", ""))
    return _concat(parts)


def empty_required_list(ctx: CheckContext, f: Failed) -> pd.DataFrame:
    rows = f.rows()
    sub = f.frame.loc[rows]
    return _concat([_result(rows[(list_empty(sub[col]) & ~written(sub, col)).to_numpy()], col, "")
                    for col in REQUIRED_LISTS])


def unknown_taxonomy_key(ctx: CheckContext, f: Failed) -> pd.DataFrame:
    tax = ctx.taxonomy
    parts = []
    for col, kind in TAXONOMY_LIST_COLUMNS.items():
        values = explode(f.cells(col, col))
        rows = values[unknown_keys(tax, col, values)]
        if rows.empty:
            continue
        hints = {u: tax.suggest(kind, u) for u in pd.unique(rows)}
        parts.append(_result(
            rows.index, col, rows.to_numpy(),
            recommendation=[_did_you_mean(hints[v], kind) for v in rows],
            message=[f"{col} holds unknown key {v!r}" + (f" (did you mean {hints[v][0]!r}?)" if hints[v] else "")
                     for v in rows],
        ))
    return _concat(parts)


def unknown_recipient(ctx: CheckContext, f: Failed) -> pd.DataFrame:
    values = explode(f.cells("recipients", "recipients"))
    rows = values[unknown_recipients(ctx, values)]
    ids_list = sorted(i for i in set(ctx.recipients["recipient_id"]) if i)
    from rapidfuzz import process

    def hint(v: str) -> str:
        best = process.extractOne(v, ids_list) if ids_list else None
        return (f"Did you mean {best[0]!r}? " if best and best[1] >= 60 else "") + \
            "Add the recipient to recipients.csv (with kind, country and contract) or correct the id."

    hints = {v: hint(v) for v in pd.unique(rows)}
    return _result(rows.index, "recipients", rows.to_numpy(), recommendation=rows.map(hints).to_numpy())


def invalid_value(ctx: CheckContext, f: Failed) -> pd.DataFrame:
    parts = [_result(f.rows(col), col, f.cells(col, col).to_numpy())
             for col in ("role", "status", "dpia", "criminal_offence_data", "automated_decision_making")]
    countries = explode(f.cells("transfer_countries", "transfer_countries"))
    bad = countries[unknown_countries(ctx.taxonomy, countries)]
    parts.append(_result(bad.index, "transfer_countries", bad.to_numpy()))
    return _concat(parts)


def duplicate_activity_id(ctx: CheckContext, f: Failed) -> pd.DataFrame:
    ids = f.cells("activity_id", "activity_id")
    return _result(ids.index, "activity_id", _duplicate_evidence(ids).to_numpy(), activity_id=ids.to_numpy())


def invisible_character_in_id(ctx: CheckContext, f: Failed) -> pd.DataFrame:
    ids = f.cells("activity_id", "activity_id")
    return _result(ids.index, "activity_id", _invisible_evidence(ids), activity_id=ids.to_numpy())


def invalid_date(ctx: CheckContext, f: Failed) -> pd.DataFrame:
    s = f.cells("last_reviewed", "last_reviewed").str.strip()
    return _result(s.index, "last_reviewed", s.to_numpy())


def invalid_duration(ctx: CheckContext, f: Failed) -> pd.DataFrame:
    s = f.cells("retention", "retention").str.strip()
    return _result(s.index, "retention", s.to_numpy())


def special_category_without_condition(ctx: CheckContext, f: Failed) -> pd.DataFrame:
    rows = f.rows()
    sub = f.frame.loc[rows]
    cats = explode(sub["data_categories"])
    from_cats = cats[special(ctx.taxonomy, cats)].groupby(level=0).agg(lambda v: ", ".join(sorted(set(v))))
    stated = sub["special_categories"].map(lambda v: ", ".join(map(str, v)))
    evidence = stated.where(stated != "", from_cats.reindex(rows).fillna(""))
    written_ = special_text(sub)
    evidence = evidence.where(evidence != "", written_.map(lambda t: f"{t} (as written)" if t else ""))
    return _result(rows, "art9_condition", evidence.to_numpy())


def consent_for_necessary_processing(ctx: CheckContext, f: Failed) -> pd.DataFrame:
    sub = f.frame.loc[f.rows()]
    evidence = [f"bases listed: {', '.join(map(str, b))}; purposes: {', '.join(map(str, p)) or 'none mapped'}"
                for b, p in zip(sub["lawful_basis"], sub["purposes"], strict=True)]
    return _result(sub.index, "lawful_basis", evidence)


def legitimate_interest_not_stated(ctx: CheckContext, f: Failed) -> pd.DataFrame:
    return _result(f.rows(), "legitimate_interest", "art6_1_f")


def transfer_without_safeguard(ctx: CheckContext, f: Failed) -> pd.DataFrame:
    sub = f.frame.loc[f.rows()]
    tax = ctx.taxonomy
    countries = explode(sub["transfer_countries"]).str.upper()
    rows = countries[unsafeguarded(tax, countries, guarded(sub.index, explode(sub["transfer_safeguards"])),
                                   ctx.live)]
    return _result(rows.index, "transfer_countries", [f"{c} ({tax.country_name(c)})" for c in rows])


def missing_retention(ctx: CheckContext, f: Failed) -> pd.DataFrame:
    return _result(f.rows(), "retention", "")


def missing_security_measures(ctx: CheckContext, f: Failed) -> pd.DataFrame:
    return _result(f.rows(), "security_measures", "")


def art9_condition_without_special_data(ctx: CheckContext, f: Failed) -> pd.DataFrame:
    cells = f.cells("art9_condition")
    return _result(cells.index, "special_categories", [", ".join(map(str, v)) for v in cells])


def retention_without_period(ctx: CheckContext, f: Failed) -> pd.DataFrame:
    return _result(f.rows(), "retention", f.cells("retention").str.strip().str.replace("\n", "; ").to_numpy())


def security_reference_only(ctx: CheckContext, f: Failed) -> pd.DataFrame:
    cells = f.cells("security_measures")
    return _result(cells.index, "security_measures", ["; ".join(map(str, v)) for v in cells])


def transfer_not_recorded(ctx: CheckContext, f: Failed) -> pd.DataFrame:
    outside = invented_outside_eea(ctx)
    r = ctx.recipients.set_index(ctx.recipients["recipient_id"].astype(str))
    evidence = []
    for ids in f.cells("recipients"):
        named = [i for i in map(str, ids) if i in outside]
        parts = []
        for rid in named:
            country = str(r.loc[rid, "country"]).strip().upper() if rid in r.index else ""
            if isinstance(country, pd.Series):
                country = str(country.iloc[0])
            parts.append(f"{r.loc[rid, 'name'] if rid in r.index else rid} ({country}, "
                         f"{ctx.taxonomy.country_name(country)})")
        evidence.append("recipients outside the EEA: " + ", ".join(parts)
                        + "; the activity records no transfer (the country of a recipient named only in "
                          "the text may be a guess: see recipient-created)")
    return _result(f.rows(), "transfer_countries", evidence)


def stale_review(ctx: CheckContext, f: Failed) -> pd.DataFrame:
    s = f.cells("last_reviewed").str.strip()
    months = ((pd.Timestamp(ctx.as_of) - review_dates(s)).dt.days / 30.44).round()
    evidence = np.where(s == "", "never", s + " (" + months.fillna(0).astype(int).astype(str) + " months ago)")
    return _result(s.index, "last_reviewed", evidence)


def processor_activity_without_controller(ctx: CheckContext, f: Failed) -> pd.DataFrame:
    return _result(f.rows(), "controllers", "")


def criminal_data_without_authority(ctx: CheckContext, f: Failed) -> pd.DataFrame:
    basis = f.cells("lawful_basis").map(lambda v: ", ".join(map(str, v)) or "no lawful basis")
    return _result(basis.index, "lawful_basis", basis.to_numpy())


# -- recipients ---------------------------------------------------------------------------

def _recipient_result(f: Failed, rows: pd.Index, column: str, evidence, **extra) -> pd.DataFrame:
    return _result(rows, column, evidence, recipient_id=f.frame.loc[rows, "recipient_id"].to_numpy(), **extra)


def recipient_missing_required_field(ctx: CheckContext, f: Failed) -> pd.DataFrame:
    parts = [_recipient_result(f, f.rows(col), col, "") for col in ("recipient_id", "name", "kind")]
    parts.append(_recipient_result(f, f.rows(), "country", ""))
    return _concat(parts)


def recipient_invalid_value(ctx: CheckContext, f: Failed) -> pd.DataFrame:
    return _concat([_recipient_result(f, f.rows(col), col, f.cells(col, col).to_numpy())
                    for col in ("kind", "country", "transfer_safeguard")])


def recipient_unknown_taxonomy_key(ctx: CheckContext, f: Failed) -> pd.DataFrame:
    cat = f.cells("category", "category").str.strip()
    hints = {v: ctx.taxonomy.suggest("recipient", v) for v in pd.unique(cat)}
    return _recipient_result(f, cat.index, "category", cat.to_numpy(),
                             recommendation=[_did_you_mean(hints[v], "recipient") for v in cat])


def duplicate_recipient_id(ctx: CheckContext, f: Failed) -> pd.DataFrame:
    ids = f.cells("recipient_id", "recipient_id")
    return _recipient_result(f, ids.index, "recipient_id", _duplicate_evidence(ids).to_numpy())


def recipient_invisible_character_in_id(ctx: CheckContext, f: Failed) -> pd.DataFrame:
    ids = f.cells("recipient_id", "recipient_id")
    return _recipient_result(f, ids.index, "recipient_id", _invisible_evidence(ids))


def recipient_transfer_without_safeguard(ctx: CheckContext, f: Failed) -> pd.DataFrame:
    sub = f.frame.loc[f.rows()]
    uses = ctx.exploded("recipients")
    users = uses[uses.isin(set(sub["recipient_id"]))].value_counts()
    evidence = []
    for rid, c, sg in zip(sub["recipient_id"], sub["country"].str.strip().str.upper(), sub["transfer_safeguard"],
                          strict=True):
        text = f"{c} ({ctx.taxonomy.country_name(c)})"
        if c == "US" and sg.strip().lower() == "adequacy":
            text += ": the US decision covers only Data Privacy Framework participants; record `dpf` if certified"
        elif sg.strip():
            text += f", safeguard {sg!r}"
        n = int(users.get(rid, 0))
        if n:
            text += f"; used by {n} activit{'y' if n == 1 else 'ies'}"
        evidence.append(text)
    return _recipient_result(f, sub.index, "country", evidence)


def processor_without_contract(ctx: CheckContext, f: Failed) -> pd.DataFrame:
    return _recipient_result(f, f.rows(), "contract_reference", "")


Explain = Callable[[CheckContext, Failed], pd.DataFrame]

#: What each activity finding says about its failing rows, by finding code.
ACTIVITY_FINDINGS: dict[str, Explain] = {
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
    "art9-condition-without-special-data": art9_condition_without_special_data,
    "retention-without-period": retention_without_period,
    "consent-for-necessary-processing": consent_for_necessary_processing,
    "security-reference-only": security_reference_only,
    "transfer-not-recorded": transfer_not_recorded,
}

#: What each recipient finding says about its failing rows, by finding code.
RECIPIENT_FINDINGS: dict[str, Explain] = {
    "missing-required-field": recipient_missing_required_field,
    "invalid-value": recipient_invalid_value,
    "unknown-taxonomy-key": recipient_unknown_taxonomy_key,
    "duplicate-recipient-id": duplicate_recipient_id,
    "invisible-character-in-id": recipient_invisible_character_in_id,
    "transfer-without-safeguard": recipient_transfer_without_safeguard,
    "processor-without-contract": processor_without_contract,
}
