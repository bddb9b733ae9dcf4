"""The register as pandera schemas: what an activity row and a recipient row must be.

Each cross-field check is named after the finding code it raises; the rule behind it is in
:mod:`ropa.checks.rules`. :func:`validate_register` runs both schemas lazily and turns pandera's
failure cases into findings.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from ..core.findings import findings_frame, make_findings
from . import rules

__all__ = ["ActivitySchema", "RecipientSchema", "validate_register"]


def _passes(table: str, code: str, df: pd.DataFrame) -> bool:
    """Run the rule behind a check: True when no row fails it.

    The failing rows, with what the finding says about each, stay in the check context
    (``ctx.results``); pandera is told only whether the check passed, which spares it
    gathering every column of every failing row as failure cases (a large table with many
    findings spent a fifth of its validation there).
    """
    ctx = rules.current()
    table_rules = rules.ACTIVITY_RULES if table == "activities" else rules.RECIPIENT_RULES
    result = table_rules[code](ctx)
    ctx.results[f"{table}:{code}"] = result
    return result.empty


class ActivitySchema(pa.DataFrameModel):
    """One row per processing activity (activities.csv), canonical columns."""

    activity_id: Series[str]
    name: Series[str]
    role: Series[str]
    controllers: Series[object]
    purposes: Series[object]
    lawful_basis: Series[object]
    legitimate_interest: Series[str]
    data_subjects: Series[object]
    data_categories: Series[object]
    special_categories: Series[object]
    art9_condition: Series[object]
    criminal_offence_data: Series[str]
    recipients: Series[object]
    transfer_countries: Series[object]
    transfer_safeguards: Series[object]
    retention: Series[str]
    security_measures: Series[object]
    dpia: Series[str]
    automated_decision_making: Series[str]
    status: Series[str]
    last_reviewed: Series[str]

    class Config:
        strict = False
        coerce = False

    @pa.dataframe_check(name="missing-required-field", ignore_na=False)
    def missing_required_field(cls, df):
        return _passes("activities", "missing-required-field", df)

    @pa.dataframe_check(name="empty-required-list", ignore_na=False)
    def empty_required_list(cls, df):
        return _passes("activities", "empty-required-list", df)

    @pa.dataframe_check(name="unknown-taxonomy-key", ignore_na=False)
    def unknown_taxonomy_key(cls, df):
        return _passes("activities", "unknown-taxonomy-key", df)

    @pa.dataframe_check(name="unknown-recipient", ignore_na=False)
    def unknown_recipient(cls, df):
        return _passes("activities", "unknown-recipient", df)

    @pa.dataframe_check(name="invalid-value", ignore_na=False)
    def invalid_value(cls, df):
        return _passes("activities", "invalid-value", df)

    @pa.dataframe_check(name="duplicate-activity-id", ignore_na=False)
    def duplicate_activity_id(cls, df):
        return _passes("activities", "duplicate-activity-id", df)

    @pa.dataframe_check(name="invisible-character-in-id", ignore_na=False)
    def invisible_character_in_id(cls, df):
        return _passes("activities", "invisible-character-in-id", df)

    @pa.dataframe_check(name="invalid-date", ignore_na=False)
    def invalid_date(cls, df):
        return _passes("activities", "invalid-date", df)

    @pa.dataframe_check(name="invalid-duration", ignore_na=False)
    def invalid_duration(cls, df):
        return _passes("activities", "invalid-duration", df)

    @pa.dataframe_check(name="special-category-without-condition", ignore_na=False)
    def special_category_without_condition(cls, df):
        return _passes("activities", "special-category-without-condition", df)

    @pa.dataframe_check(name="legitimate-interest-not-stated", ignore_na=False)
    def legitimate_interest_not_stated(cls, df):
        return _passes("activities", "legitimate-interest-not-stated", df)

    @pa.dataframe_check(name="transfer-without-safeguard", ignore_na=False)
    def transfer_without_safeguard(cls, df):
        return _passes("activities", "transfer-without-safeguard", df)

    @pa.dataframe_check(name="missing-retention", ignore_na=False)
    def missing_retention(cls, df):
        return _passes("activities", "missing-retention", df)

    @pa.dataframe_check(name="missing-security-measures", ignore_na=False)
    def missing_security_measures(cls, df):
        return _passes("activities", "missing-security-measures", df)

    @pa.dataframe_check(name="stale-review", ignore_na=False)
    def stale_review(cls, df):
        return _passes("activities", "stale-review", df)

    @pa.dataframe_check(name="processor-activity-without-controller", ignore_na=False)
    def processor_activity_without_controller(cls, df):
        return _passes("activities", "processor-activity-without-controller", df)

    @pa.dataframe_check(name="criminal-data-without-authority", ignore_na=False)
    def criminal_data_without_authority(cls, df):
        return _passes("activities", "criminal-data-without-authority", df)


class RecipientSchema(pa.DataFrameModel):
    """One row per named recipient (recipients.csv)."""

    recipient_id: Series[str]
    name: Series[str]
    aliases: Series[object]
    kind: Series[str]
    category: Series[str]
    country: Series[str]
    transfer_safeguard: Series[str]
    contract_reference: Series[str]

    class Config:
        strict = False
        coerce = False

    @pa.dataframe_check(name="missing-required-field", ignore_na=False)
    def missing_required_field(cls, df):
        return _passes("recipients", "missing-required-field", df)

    @pa.dataframe_check(name="invalid-value", ignore_na=False)
    def invalid_value(cls, df):
        return _passes("recipients", "invalid-value", df)

    @pa.dataframe_check(name="unknown-taxonomy-key", ignore_na=False)
    def unknown_taxonomy_key(cls, df):
        return _passes("recipients", "unknown-taxonomy-key", df)

    @pa.dataframe_check(name="duplicate-recipient-id", ignore_na=False)
    def duplicate_recipient_id(cls, df):
        return _passes("recipients", "duplicate-recipient-id", df)

    @pa.dataframe_check(name="invisible-character-in-id", ignore_na=False)
    def invisible_character_in_id(cls, df):
        return _passes("recipients", "invisible-character-in-id", df)

    @pa.dataframe_check(name="transfer-without-safeguard", ignore_na=False)
    def transfer_without_safeguard(cls, df):
        return _passes("recipients", "transfer-without-safeguard", df)

    @pa.dataframe_check(name="processor-without-contract", ignore_na=False)
    def processor_without_contract(cls, df):
        return _passes("recipients", "processor-without-contract", df)


def _failing(schema: type[pa.DataFrameModel], frame: pd.DataFrame) -> set[str]:
    """The names of the checks that failed, from one lazy pandera validation."""
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
        checks = cases["check"].astype(str)
        dtype_fail = cases[checks.str.startswith("dtype")]
        if len(dtype_fail):
            cols = ", ".join(sorted(set(dtype_fail["column"].astype(str))))
            raise TypeError(f"register columns have the wrong type: {cols}") from None
        return set(checks)
    return set()


def _to_findings(table: str, failing: set[str], ctx: rules.CheckContext) -> list[pd.DataFrame]:
    frames = []
    source = ctx.activities if table == "activities" else ctx.recipients
    file = ctx.activities_file if table == "activities" else ctx.recipients_file
    for code in sorted(failing):
        result = ctx.results.get(f"{table}:{code}")
        if result is None or result.empty:
            continue
        detail = result.reset_index()
        detail["file"] = file
        if table == "activities" and "activity_id" not in detail:
            detail["activity_id"] = source.loc[detail["row"], "activity_id"].to_numpy()
        if table == "recipients" and "recipient_id" not in detail:
            detail["recipient_id"] = source.loc[detail["row"], "recipient_id"].to_numpy()
        frames.append(make_findings(code, detail))
    return frames


def validate_register(register, as_of: dt.date | None = None) -> pd.DataFrame:
    """Validate a register's activities and recipients; return the findings.

    Example:
        >>> import ropa
        >>> from ropa.checks.schemas import validate_register
        >>> f = validate_register(ropa.load_register("registers/pro-at"))
        >>> list(f.columns)[:3]
        ['code', 'severity', 'area']
    """
    acts = register.activities
    recs = register.recipients
    if not acts.index.is_unique:
        acts = acts.reset_index(drop=True)
        acts.index = acts.index + 2
    ctx = rules.CheckContext(
        activities=acts, recipients=recs, taxonomy=register.taxonomy,
        as_of=as_of or dt.date.today(),
        activities_file=register.files.get("activities", "activities"),
        recipients_file=register.files.get("recipients", "recipients"),
    )
    token = rules._CURRENT.set(ctx)
    try:
        frames = _to_findings("activities", _failing(ActivitySchema, acts), ctx)
        frames += _to_findings("recipients", _failing(RecipientSchema, recs), ctx)
    finally:
        rules._CURRENT.reset(token)
    org = _organisation_findings(register)
    if org is not None:
        frames.append(org)
    return findings_frame(frames)


def _organisation_findings(register) -> pd.DataFrame | None:
    org = register.organisation or {}
    file = register.files.get("organisation", "organisation.yaml")
    missing = []
    ctrl = org.get("controller") or {}
    if not (ctrl.get("name") or org.get("name")):
        missing.append("controller name")
    if not any(ctrl.get(k) for k in ("email", "phone", "address")):
        missing.append("controller contact details (email, phone or address)")
    dpo = org.get("dpo")
    if dpo is None:
        missing.append("dpo (write `dpo: {designated: false}` if none is designated)")
    elif isinstance(dpo, dict) and dpo.get("designated", True) and not any(dpo.get(k) for k in ("email", "phone")):
        missing.append("DPO contact details")
    rows = [{"file": file, "column": m} for m in missing]
    return make_findings("missing-organisation-detail", rows) if rows else None
