"""The register as pandera schemas: what an activity row and a recipient row must be.

Each register rule is a check of the schema, named after the finding code it raises: a check
on one column where the rule reads one column, a check across the fields of a row where it
must (:mod:`ropa.checks.rules`). Every check returns a boolean Series over the rows.
:func:`validate_register` validates both tables lazily, reads the failing rows from pandera's
``SchemaErrors.failure_cases`` (a check across fields is reported once per column of a
failing row: the repeats are dropped), and asks :mod:`ropa.checks.evidence` what each finding
says about its rows.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Optional

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from ..core.findings import catalogue_entry, findings_frame, make_findings
from . import rules
from .evidence import ACTIVITY_FINDINGS, RECIPIENT_FINDINGS, Explain, Failed

__all__ = ["ActivitySchema", "RecipientSchema", "validate_register"]

_ctx = rules.context

#: A text column: pandas ``str``, as the loader gives it.
Text = Series[str]
#: A list column: each cell a Python list of keys or ids, split by the loader (``object``:
#: pandas has no list dtype short of Arrow's).
Lists = Series[object]


def _cell() -> Any:
    """A column whose blank or missing cells are for the rules to report (missing-required-field,
    empty-required-list, ...), not for pandera's not-null check."""
    return pa.Field(nullable=True)


class ActivitySchema(pa.DataFrameModel):
    """One row per processing activity (activities.csv), canonical columns."""

    activity_id: Text = _cell()
    name: Text = _cell()
    role: Text = _cell()
    controllers: Lists = _cell()
    purposes: Lists = _cell()
    lawful_basis: Lists = _cell()
    legitimate_interest: Text = _cell()
    data_subjects: Lists = _cell()
    data_categories: Lists = _cell()
    special_categories: Lists = _cell()
    art9_condition: Lists = _cell()
    criminal_offence_data: Text = _cell()
    recipients: Lists = _cell()
    transfer_countries: Lists = _cell()
    transfer_safeguards: Lists = _cell()
    retention: Text = _cell()
    security_measures: Lists = _cell()
    source: Lists = _cell()
    dpia: Text = _cell()
    automated_decision_making: Text = _cell()
    status: Text = _cell()
    last_reviewed: Text = _cell()
    unmapped: Optional[Text] = _cell()  # noqa: UP045 (pandera reads the annotation)

    class Config:
        strict = False
        coerce = False

    @pa.check("activity_id", "name", "role", name="missing-required-field", ignore_na=False)
    def missing_required_field(cls, s):
        return rules.filled(s)

    @pa.dataframe_check(name="missing-required-field", ignore_na=False)
    def missing_lawful_basis(cls, df):
        return rules.lawful_basis_recorded(_ctx(), df)

    @pa.dataframe_check(name="empty-required-list", ignore_na=False)
    def empty_required_list(cls, df):
        return rules.required_lists_filled(_ctx(), df)

    @pa.check(*rules.TAXONOMY_LIST_COLUMNS, name="unknown-taxonomy-key", ignore_na=False)
    def unknown_taxonomy_key(cls, s):
        return rules.known_keys(_ctx(), s)

    @pa.check("recipients", name="unknown-recipient", ignore_na=False)
    def unknown_recipient(cls, s):
        return rules.known_recipients(_ctx(), s)

    @pa.check("role", name="invalid-value", ignore_na=False)
    def invalid_role(cls, s):
        return rules.valid_role(s)

    @pa.check("status", name="invalid-value", ignore_na=False)
    def invalid_status(cls, s):
        return rules.valid_status(s)

    @pa.check("dpia", name="invalid-value", ignore_na=False)
    def invalid_dpia(cls, s):
        return rules.valid_dpia(_ctx(), s)

    @pa.check("criminal_offence_data", "automated_decision_making", name="invalid-value", ignore_na=False)
    def invalid_yes_or_no(cls, s):
        return rules.yes_or_no(s)

    @pa.check("transfer_countries", name="invalid-value", ignore_na=False)
    def invalid_country(cls, s):
        return rules.known_countries(_ctx(), s)

    @pa.check("activity_id", name="duplicate-activity-id", ignore_na=False)
    def duplicate_activity_id(cls, s):
        return rules.unique_ids(s)

    @pa.check("activity_id", name="invisible-character-in-id", ignore_na=False)
    def invisible_character_in_id(cls, s):
        return rules.visible_ids(s)

    @pa.check("last_reviewed", name="invalid-date", ignore_na=False)
    def invalid_date(cls, s):
        return rules.valid_date(s)

    @pa.check("retention", name="invalid-duration", ignore_na=False)
    def invalid_duration(cls, s):
        return rules.valid_duration(s)

    @pa.dataframe_check(name="special-category-without-condition", ignore_na=False)
    def special_category_without_condition(cls, df):
        return rules.special_condition_recorded(_ctx(), df)

    @pa.dataframe_check(name="legitimate-interest-not-stated", ignore_na=False)
    def legitimate_interest_not_stated(cls, df):
        return rules.legitimate_interest_stated(_ctx(), df)

    @pa.dataframe_check(name="transfer-without-safeguard", ignore_na=False)
    def transfer_without_safeguard(cls, df):
        return rules.transfers_safeguarded(_ctx(), df)

    @pa.dataframe_check(name="consent-for-necessary-processing", ignore_na=False)
    def consent_for_necessary_processing(cls, df):
        return rules.consent_fits(_ctx(), df)

    @pa.dataframe_check(name="missing-retention", ignore_na=False)
    def missing_retention(cls, df):
        return rules.retention_recorded(_ctx(), df)

    @pa.dataframe_check(name="missing-security-measures", ignore_na=False)
    def missing_security_measures(cls, df):
        return rules.security_recorded(_ctx(), df)

    @pa.dataframe_check(name="stale-review", ignore_na=False)
    def stale_review(cls, df):
        return rules.reviewed(_ctx(), df)

    @pa.dataframe_check(name="processor-activity-without-controller", ignore_na=False)
    def processor_activity_without_controller(cls, df):
        return rules.controller_named(_ctx(), df)

    @pa.dataframe_check(name="criminal-data-without-authority", ignore_na=False)
    def criminal_data_without_authority(cls, df):
        return rules.criminal_data_authorised(_ctx(), df)

    @pa.dataframe_check(name="art9-condition-without-special-data", ignore_na=False)
    def art9_condition_without_special_data(cls, df):
        return rules.special_data_declared(_ctx(), df)

    @pa.dataframe_check(name="retention-without-period", ignore_na=False)
    def retention_without_period(cls, df):
        return rules.retention_has_period(_ctx(), df)

    @pa.dataframe_check(name="security-reference-only", ignore_na=False)
    def security_reference_only(cls, df):
        return rules.security_described(_ctx(), df)

    @pa.dataframe_check(name="transfer-not-recorded", ignore_na=False)
    def transfer_not_recorded(cls, df):
        return rules.transfers_recorded(_ctx(), df)


class RecipientSchema(pa.DataFrameModel):
    """One row per named recipient (recipients.csv)."""

    recipient_id: Text = _cell()
    name: Text = _cell()
    aliases: Lists = _cell()
    kind: Text = _cell()
    category: Text = _cell()
    country: Text = _cell()
    transfer_safeguard: Text = _cell()
    contract_reference: Text = _cell()
    created_from: Optional[Text] = _cell()  # noqa: UP045 (pandera reads the annotation)

    class Config:
        strict = False
        coerce = False

    @pa.check("recipient_id", "name", "kind", name="missing-required-field", ignore_na=False)
    def missing_required_field(cls, s):
        return rules.filled(s)

    @pa.dataframe_check(name="missing-required-field", ignore_na=False)
    def missing_country(cls, df):
        return rules.country_recorded(df)

    @pa.check("kind", name="invalid-value", ignore_na=False)
    def invalid_kind(cls, s):
        return rules.valid_kind(_ctx(), s)

    @pa.check("country", name="invalid-value", ignore_na=False)
    def invalid_country(cls, s):
        return rules.valid_country(_ctx(), s)

    @pa.check("transfer_safeguard", name="invalid-value", ignore_na=False)
    def invalid_safeguard(cls, s):
        return rules.valid_safeguard(_ctx(), s)

    @pa.check("category", name="unknown-taxonomy-key", ignore_na=False)
    def unknown_taxonomy_key(cls, s):
        return rules.known_category(_ctx(), s)

    @pa.check("recipient_id", name="duplicate-recipient-id", ignore_na=False)
    def duplicate_recipient_id(cls, s):
        return rules.unique_ids(s)

    @pa.check("recipient_id", name="invisible-character-in-id", ignore_na=False)
    def invisible_character_in_id(cls, s):
        return rules.visible_ids(s)

    @pa.dataframe_check(name="transfer-without-safeguard", ignore_na=False)
    def transfer_without_safeguard(cls, df):
        return rules.recipient_transfer_safeguarded(_ctx(), df)

    @pa.dataframe_check(name="processor-without-contract", ignore_na=False)
    def processor_without_contract(cls, df):
        return rules.contract_recorded(df)


#: The failing rows of one table: by finding code, then by column (``None``: the check across fields).
Failures = dict[str, dict[str | None, np.ndarray]]


def _failures(schema: type[pa.DataFrameModel], frame: pd.DataFrame, codes: set[str]) -> Failures:
    """The rows that failed each rule, from one lazy pandera validation.

    pandera sees the schema's columns only (a check across fields reports a failing row
    once per column), in a frame of its own, which it may use in place instead of copying.
    """
    columns = [c for c in schema.to_schema().columns if c in frame]
    try:
        schema.validate(frame[columns], lazy=True, inplace=True)
    except pa.errors.SchemaErrors as exc:
        for err in exc.schema_errors:
            if err.reason_code == pa.errors.SchemaErrorReason.CHECK_ERROR:
                raise RuntimeError(f"register check {err.check} could not run: {err.failure_cases}") from None
        cases = exc.failure_cases
    else:
        return {}
    checks = cases["check"].astype(str)
    dtype_fail = cases[checks.str.startswith("dtype")]
    if len(dtype_fail):
        cols = ", ".join(sorted(set(dtype_fail["column"].astype(str))))
        raise TypeError(f"register columns have the wrong type: {cols}") from None
    cases = cases[checks.isin(codes)]
    # a check on one column names it; one across fields repeats each failing row per column
    column = cases["column"].astype(object).where(cases["schema_context"] == "Column", "")
    found: Failures = {}
    for (code, col), rows in cases["index"].groupby([cases["check"].astype(str), column], sort=False):
        found.setdefault(code, {})[col or None] = np.unique(rows.to_numpy(dtype=np.int64))
    return found


def _to_findings(failures: Failures, explain: dict[str, Explain], ctx: rules.CheckContext,
                 frame: pd.DataFrame, file: str, id_column: str) -> list[pd.DataFrame]:
    frames = []
    for code in sorted(failures):
        detail = explain[code](ctx, Failed(frame, failures[code]))
        if detail.empty:
            continue
        detail = detail.reset_index()
        detail["file"] = file
        if id_column not in detail:
            detail[id_column] = frame.loc[detail["row"], id_column].to_numpy()
        if catalogue_entry(code).get("grain") == "value":
            detail = _by_value(detail, id_column)
        frames.append(make_findings(code, detail))
    return frames


_LISTED = {"activity_id": "activities", "recipient_id": "recipients"}


def _by_value(detail: pd.DataFrame, id_column: str) -> pd.DataFrame:
    """One finding row per column × value (the grain ``value``): a value written in many rows
    is one cause. A value in one row keeps its row and id; one in several lists them in the
    evidence (``rows (n): ...; activities (n): ...``) and says how many in the message."""
    detail = detail.assign(value=detail["evidence"])
    keys = ["column", "value"]
    group = detail.groupby(keys, sort=False, dropna=False).ngroup().to_numpy()
    out = detail.drop_duplicates(keys).reset_index(drop=True)
    if len(out) == len(detail):
        out["where"] = ""
        return out
    rows = detail.groupby(group, sort=True)["row"].agg(list).tolist()
    ids = detail.groupby(group, sort=True)[id_column].agg(
        lambda s: list(dict.fromkeys(str(x) for x in s if isinstance(x, str) and x))).tolist()
    many = np.array([len(r) > 1 for r in rows])
    noun = _LISTED[id_column]
    out["evidence"] = [
        f"{v}; rows ({len(r)}): {', '.join(str(x) for x in r)}; {noun} ({len(i)}): {', '.join(i)}" if m else v
        for v, r, i, m in zip(out["value"], rows, ids, many, strict=True)]
    out["where"] = [f" (in {len(r)} rows)" if m else "" for r, m in zip(rows, many, strict=True)]
    out["row"] = out["row"].astype(object).where(~many, None)
    out[id_column] = out[id_column].astype(object).where(~many, None)
    if "message" in out:
        out["message"] = out["message"].astype(object) + out["where"]
    return out


def _line_numbered(frame: pd.DataFrame) -> pd.DataFrame:
    """The table with one label per row: its line number when the labels repeat."""
    if frame.index.is_unique:
        return frame
    frame = frame.reset_index(drop=True)
    frame.index = frame.index + 2
    return frame


def validate_register(register, as_of: dt.date | None = None) -> pd.DataFrame:
    """Validate a register's activities and recipients; return the findings.

    Example:
        >>> import ropa
        >>> from ropa.checks.schemas import validate_register
        >>> f = validate_register(ropa.load_register("registers/pro-at"))
        >>> list(f.columns)[:3]
        ['code', 'severity', 'area']
    """
    acts = _line_numbered(register.activities)
    recs = _line_numbered(register.recipients)
    ctx = rules.CheckContext(
        activities=acts, recipients=recs, taxonomy=register.taxonomy,
        as_of=as_of or dt.date.today(),
        activities_file=register.files.get("activities", "activities"),
        recipients_file=register.files.get("recipients", "recipients"),
    )
    with rules.checking(ctx):
        activities = _failures(ActivitySchema, acts, set(ACTIVITY_FINDINGS))
        recipients = _failures(RecipientSchema, recs, set(RECIPIENT_FINDINGS))
    frames = _to_findings(activities, ACTIVITY_FINDINGS, ctx, acts, ctx.activities_file, "activity_id")
    frames += _to_findings(recipients, RECIPIENT_FINDINGS, ctx, recs, ctx.recipients_file, "recipient_id")
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
