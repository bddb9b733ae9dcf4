"""The two tables of a register: activities and recipients, valid or with planted faults.

In: the vocabulary and the fault codes. Out: :func:`activities` and :func:`recipients`
(DataFrames as the register loader gives them) and the row builders :func:`registers`
shares.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

import pandas as pd
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from ..checks.rules import CONSENT_PURPOSES, NECESSARY_BASES
from ..core.names import slug
from ..core.taxonomy import Taxonomy
from ..register.columns import (
    ACTIVITY_COLUMNS,
    ACTIVITY_LIST_COLUMNS,
    RECIPIENT_COLUMNS,
    RECIPIENT_LIST_COLUMNS,
)
from .faults import ACTIVITY_FAULTS, RECIPIENT_FAULTS, planted_codes
from .vocabulary import (
    ACTIVITY_NAMES,
    CRITERIA,
    DURATIONS,
    FUNCTIONS,
    INTERESTS,
    INVISIBLE_CHARS,
    LEGAL_FORMS,
    MEASURES,
    OWNERS,
    SYSTEMS,
    TRIGGERS,
    VENDORS,
    Pools,
    key_lists,
    misspell,
    nonempty,
    pick,
    pool_text,
    pools_for,
    taxonomy_or_default,
    text_lists,
)

__all__ = [
    "ActivityContext", "activities", "activities_frame", "activity_records", "as_of_or_today",
    "recipient_records", "recipients", "recipients_frame", "valid_recipient",
]

# -- activities ---------------------------------------------------------------------------

class ActivityContext(NamedTuple):
    """What the activities of one register are drawn against."""

    pools: Pools
    recipient_ids: tuple[str, ...]
    controller_ids: tuple[str, ...]
    as_of: dt.date
    prefix: str


def as_of_or_today(as_of: dt.date | None) -> dt.date:
    """The date a register is checked on: ``as_of``, else today."""
    return as_of or dt.date.today()


def _recent(draw, as_of: dt.date) -> str:
    return (as_of - dt.timedelta(days=draw(st.integers(0, 330)))).isoformat()


def _valid_activity(draw, ctx: ActivityContext, number: int) -> dict[str, Any]:
    """One activity with no register finding of its own."""
    p = ctx.pools
    role = draw(pick(["controller"] * 6 + ["joint_controller"] + ["processor"] * 3))
    if role == "processor" and not ctx.controller_ids:
        role = "controller"
    controller_side = role != "processor"
    status = draw(pick(["active"] * 6 + ["draft", "retired", ""]))
    categories = draw(key_lists(tuple(p.plain_categories), 1, 4))
    special_types: list[str] = []
    conditions: list[str] = []
    if p.special and draw(st.integers(0, 5)) == 0:
        extra = draw(pick(sorted(p.special)))
        categories.append(extra)
        special_types = [p.special[extra]] if draw(st.booleans()) else []
    bases: list[str] = []
    if controller_side or draw(st.booleans()):
        bases = draw(key_lists(tuple(p.bases), 1, 2))
    criminal_flag = draw(pick(["", "false", "false", "true"])) if draw(st.integers(0, 4)) == 0 else ""
    if p.criminal and draw(st.integers(0, 12)) == 0:
        categories.append(draw(pick(p.criminal)))
        criminal_flag = criminal_flag or "true"
    if criminal_flag == "true" or any(c in p.criminal for c in categories):
        bases = [*bases, draw(pick(["art6_1_c", "art6_1_e"]))]
        bases = list(dict.fromkeys(bases))
    if (special_types or any(c in p.special for c in categories)) and (controller_side or draw(st.booleans())):
        conditions = draw(key_lists(tuple(p.art9_conditions), 1, 2))
    interest = ""
    if "art6_1_f" in bases:
        interest = nonempty(draw, pool_text(INTERESTS), INTERESTS[0])
    recipient_pool = list(ctx.recipient_ids) + p.recipient_categories
    if draw(st.integers(0, 6)) == 0:
        recipients = ["none"]
    else:
        recipients = draw(key_lists(tuple(recipient_pool), 1, 3))
    countries: list[str] = []
    safeguards: list[str] = []
    if draw(st.integers(0, 4)) == 0:
        countries = draw(key_lists(tuple(p.eea + p.adequate + p.dpf + p.third_common), 1, 2))
        outside = [c for c in countries if c not in p.eea and c not in p.adequate]
        if outside:
            safeguards = draw(key_lists(tuple(["scc", "bcr", "art49"]), 1, 2))
    purposes = draw(key_lists(tuple(p.uses), 1, 3))
    consent_uses = [u for u in p.uses if any(p.tax.is_under("data_use", [u], k)[0] for k in CONSENT_PURPOSES)]
    if "art6_1_a" in bases and consent_uses and not set(purposes) & set(consent_uses):
        # consent beside a contract stays valid only with a purpose that usually rests on it
        purposes = [*purposes, draw(pick(consent_uses))]
    retention = draw(pick(DURATIONS)) if draw(st.booleans()) else \
        nonempty(draw, pool_text(CRITERIA).map(lambda s: s if s in CRITERIA else f"Until {s}".strip()),
                  CRITERIA[0])
    return {
        "activity_id": f"{ctx.prefix}{number:03d}",
        "name": nonempty(draw, pool_text(ACTIVITY_NAMES), ACTIVITY_NAMES[0]),
        "business_function": draw(pool_text(FUNCTIONS, free=0.1)),
        "owner": draw(pool_text(OWNERS, free=0.1)),
        "role": role,
        "controllers": draw(key_lists(tuple(ctx.controller_ids), 1, 2))
        if role == "processor" else [],
        "purposes": purposes,
        "purpose_description": draw(pool_text(("", "See the privacy policy", "Deliver the service"))),
        "lawful_basis": bases,
        "legitimate_interest": interest,
        "lia_reference": draw(pick(["", "LIA-2024-01", "LIA-2025-07"])) if interest else "",
        "data_subjects": draw(key_lists(tuple(p.subjects), 1, 3)),
        "data_categories": categories,
        "special_categories": special_types,
        "art9_condition": conditions,
        "criminal_offence_data": criminal_flag,
        "recipients": recipients,
        "transfer_countries": countries,
        "transfer_safeguards": safeguards,
        "retention": retention,
        "retention_trigger": draw(pool_text(TRIGGERS, free=0.15)),
        "security_measures": draw(text_lists(MEASURES, 0.1, 1, 4)),
        "source": draw(key_lists(tuple(p.sources), 0, 2)),
        "systems": draw(text_lists(SYSTEMS, 0.2, 0, 3)),
        "dpia": draw(pick(["", *p.dpia])),
        "automated_decision_making": draw(pick(["", "false", "false", "true"])),
        "status": status,
        "last_reviewed": _recent(draw, ctx.as_of) if status != "retired" or draw(st.booleans()) else "",
    }


def _plain_activity(ctx: ActivityContext, number: int) -> dict[str, Any]:
    """The simplest valid controller activity: the base a single fault is planted on."""
    recipients = [ctx.recipient_ids[0]] if ctx.recipient_ids else ["third_party.service_provider.hosting"]
    return {
        "activity_id": f"{ctx.prefix}{number:03d}", "name": "Customer accounts",
        "business_function": "", "owner": "", "role": "controller", "controllers": [],
        "purposes": ["essential.service"], "purpose_description": "", "lawful_basis": ["art6_1_b"],
        "legitimate_interest": "", "lia_reference": "", "data_subjects": ["customer"],
        "data_categories": ["user.contact.email"], "special_categories": [], "art9_condition": [],
        "criminal_offence_data": "", "recipients": recipients, "transfer_countries": [],
        "transfer_safeguards": [], "retention": "P2Y", "retention_trigger": "",
        "security_measures": ["access control"], "source": [], "systems": [], "dpia": "",
        "automated_decision_making": "", "status": "active",
        "last_reviewed": (ctx.as_of - dt.timedelta(days=30)).isoformat(),
    }


def _with_invisible_character(draw, text: str) -> str:
    """``text`` with a character that shows as nothing put in somewhere."""
    at = draw(st.integers(0, len(text)))
    return text[:at] + draw(pick(INVISIBLE_CHARS)) + text[at:]


def _plant_activity(draw, code: str, row: dict[str, Any], ctx: ActivityContext, others: list[dict]) -> None:
    """Change ``row`` (a plain activity) so that it has exactly the fault ``code``."""
    p = ctx.pools
    if code == "missing-required-field":
        col = draw(pick(["activity_id", "name", "role", "lawful_basis"]))
        row[col] = [] if col == "lawful_basis" else ""
    elif code == "empty-required-list":
        row[draw(pick(["purposes", "data_subjects", "data_categories", "recipients"]))] = []
    elif code == "unknown-taxonomy-key":
        col, kind = draw(pick([
            ("purposes", "data_use"), ("data_subjects", "data_subject"),
            ("data_categories", "data_category"), ("lawful_basis", "legal_basis"),
            ("special_categories", "art9_category"), ("art9_condition", "art9_condition"),
            ("transfer_safeguards", "safeguard"), ("source", "source"),
        ]))
        base = draw(pick(p.tax.keys(kind)))
        if kind == "legal_basis":
            base = "art6_1_b"  # keep the plain row's basis (no Art 6(1)(f), no Art 10 duty)
        bad = misspell(draw, p, kind, base)
        if col == "source":
            while bad in ("data_subject", "third_party", "public"):
                bad += "_x"
        row[col] = [*row[col], bad] if col in ("purposes", "data_subjects", "data_categories", "lawful_basis") else [bad]
        if col == "special_categories":
            row["art9_condition"] = ["art9_2_a"]
        elif col == "art9_condition":  # a condition for special data the row declares, misspelt
            row["special_categories"] = [draw(pick(p.tax.keys("art9_category")))]
    elif code == "unknown-recipient":
        known = set(ctx.recipient_ids)
        bad = f"unlisted-vendor-{draw(st.integers(1, 999))}"
        while bad in known:
            bad += "-x"
        row["recipients"] = [*row["recipients"], bad]
    elif code == "invalid-value":
        col = draw(pick(["role", "status", "dpia", "criminal_offence_data",
                                    "automated_decision_making", "transfer_countries"]))
        if col == "transfer_countries":
            row[col] = [draw(pick(["XX", "UK", "ZZ", "Netherlands", "NLD"]))]
            row["transfer_safeguards"] = ["scc"]
        else:
            row[col] = draw(pick({
                "role": ["owner", "ctrl", "data controller"],
                "status": ["archived", "live", "deleted"],
                "dpia": ["maybe", "pending", "n/a"],
                "criminal_offence_data": ["perhaps", "unknown", "2"],
                "automated_decision_making": ["perhaps", "sometimes", "2"],
            }[col]))
    elif code == "duplicate-activity-id":
        ids = [o["activity_id"] for o in others if o["activity_id"]]
        if ids:
            row["activity_id"] = draw(pick(ids))
        else:
            others.append(dict(_plain_activity(ctx, 0), activity_id=row["activity_id"]))
    elif code == "invalid-date":
        row["last_reviewed"] = draw(pick(["2026-13-01", "01/02/2026", "yesterday", "2026-02-30", "2026-1-5"]))
    elif code == "invalid-duration":
        row["retention"] = draw(pick(["P7X", "P1Y2", "P1.5.2Y", "P3W2", "P12"]))
    elif code == "special-category-without-condition":
        if draw(st.booleans()) and p.special:
            key = draw(pick(sorted(p.special)))
            row["data_categories"] = [*row["data_categories"], key]
        else:
            row["special_categories"] = [draw(pick(p.art9_types))]
        row["role"] = draw(pick(["controller", "joint_controller"]))
    elif code == "legitimate-interest-not-stated":
        row["lawful_basis"] = ["art6_1_f"]
        row["legitimate_interest"] = ""
    elif code == "transfer-without-safeguard":
        row["transfer_countries"] = [draw(pick(p.third_common + p.dpf))]
        row["transfer_safeguards"] = draw(pick([[], ["none"]]))
    elif code == "missing-retention":
        row["retention"] = ""
    elif code == "missing-security-measures":
        row["security_measures"] = []
    elif code == "stale-review":
        if draw(st.booleans()):
            row["last_reviewed"] = ""
        else:
            row["last_reviewed"] = (ctx.as_of - dt.timedelta(days=draw(st.integers(380, 3000)))).isoformat()
    elif code == "processor-activity-without-controller":
        row["role"] = "processor"
        row["controllers"] = []
    elif code == "criminal-data-without-authority":
        if draw(st.booleans()) or not p.criminal:
            row["criminal_offence_data"] = draw(pick(["true", "yes", "TRUE"]))
        else:
            row["data_categories"] = [*row["data_categories"], draw(pick(p.criminal))]
    elif code == "invisible-character-in-id":
        row["activity_id"] = _with_invisible_character(draw, row["activity_id"] or "A0")
    elif code == "retention-without-period":
        row["retention"] = draw(pick(["As long as necessary", "Durante el tiempo necesario", "Bis Kontolöschung",
                                      "Según la normativa legal aplicable", "Until the account is closed"]))
        row["retention_trigger"] = ""
    elif code == "consent-for-necessary-processing":
        row["lawful_basis"] = ["art6_1_a", draw(pick(list(NECESSARY_BASES)))]
    elif code == "security-reference-only":
        row["security_measures"] = [draw(pick(["ISO 27001", "Esquema Nacional de Seguridad (ENS)",
                                               "See the annex", "ISO/IEC 27001 certified"]))]
    elif code == "art9-condition-without-special-data":
        row["art9_condition"] = [draw(pick(p.tax.keys("art9_condition")))]
        row["special_categories"] = []
    else:  # pragma: no cover - guarded by planted_codes
        raise InvalidArgument(f"cannot plant {code!r} in an activity")


def activity_records(draw, ctx: ActivityContext, min_size: int, max_size: int, codes: list[str]) -> list[dict]:
    """Valid activity rows and one plain row per planted code, shuffled."""
    n_valid = draw(st.integers(max(min_size - len(codes), 0), max(max_size - len(codes), 0)))
    rows = [_valid_activity(draw, ctx, i + 1) for i in range(n_valid)]
    planted = []
    for j, code in enumerate(codes):
        row = _plain_activity(ctx, n_valid + j + 1)
        _plant_activity(draw, code, row, ctx, rows)
        planted.append(row)
    rows += planted
    order = draw(st.permutations(range(len(rows)))) if len(rows) > 1 else range(len(rows))
    return [rows[i] for i in order]


def _frame(records: list[dict], columns: Sequence[str], list_columns: Iterable[str]) -> pd.DataFrame:
    lists = set(list_columns)
    data = {}
    for col in columns:
        values = [r.get(col, [] if col in lists else "") for r in records]
        data[col] = pd.Series(values, dtype=object) if col in lists else pd.Series(values, dtype="str")
    frame = pd.DataFrame(data)
    frame.index = pd.Index(range(2, len(records) + 2), name="row")
    return frame


def activities_frame(records: list[dict]) -> pd.DataFrame:
    """Activity rows as the activities table the register loader gives."""
    return _frame(records, ACTIVITY_COLUMNS, ACTIVITY_LIST_COLUMNS)


def recipients_frame(records: list[dict]) -> pd.DataFrame:
    """Recipient rows as the recipients table the register loader gives."""
    return _frame(records, RECIPIENT_COLUMNS, RECIPIENT_LIST_COLUMNS)


@st.composite
def activities(
    draw,
    *,
    min_size: int = 1,
    max_size: int = 10,
    invalid: str | Iterable[str] | None = None,
    recipient_ids: Sequence[str] = (),
    controller_ids: Sequence[str] = ("client-a", "client-b"),
    as_of: dt.date | None = None,
    taxonomy: Taxonomy | None = None,
) -> pd.DataFrame:
    """An activities table: canonical columns, list cells as lists, index = CSV line numbers.

    Valid by default: in a register with these recipients and an organisation that has
    its details, it has no register findings on ``as_of``. Activities refer to recipients
    by the ids you pass and by recipient-category keys (``third_party.service_provider``).

    Args:
        min_size, max_size: how many activities (planted ones included; at least one
            per planted code).
        invalid: one finding code, or several, from :data:`ACTIVITY_FAULTS`: each is
            planted in an activity of its own, and no other fault is.
        recipient_ids: recipient ids the activities may name.
        controller_ids: the controllers that processor activities act for.
        as_of: the date the register is checked on (reviews are dated within the
            twelve months before it); default today.
        taxonomy: the taxonomy keys are drawn from (default ``ropa.default_taxonomy()``).

    Example:
        >>> from hypothesis import given
        >>> from ropa.testing import activities
        >>> @given(activities(invalid="missing-retention"))
        ... def test_one_without_retention(acts):
        ...     assert (acts["retention"] == "").sum() == 1
        >>> test_one_without_retention()
    """
    codes = planted_codes(invalid, ACTIVITY_FAULTS, "activities()")
    ctx = ActivityContext(pools_for(taxonomy_or_default(taxonomy)), tuple(recipient_ids), tuple(controller_ids), as_of_or_today(as_of),
               draw(pick(["A", "PA-", "HR", "act-"])))
    return activities_frame(activity_records(draw, ctx, min_size, max_size, codes))


# -- recipients ---------------------------------------------------------------------------

def valid_recipient(draw, pools: Pools, number: int) -> dict[str, Any]:
    """One recipient row with no finding of its own."""
    kind = draw(pick(["processor"] * 5 + ["controller"] * 2 + ["joint_controller", "public_authority", "internal"]))
    vendor = draw(pick(VENDORS))
    name = nonempty(draw, pool_text([vendor], free=0.2), vendor)
    if kind == "internal":
        category = draw(pick(pools.internal_categories))
        country = draw(pick(["", *pools.eea[:5]]))
    elif kind == "public_authority":
        category = draw(pick([c for c in pools.third_party_categories if "public_authority" in c]
                                        or pools.third_party_categories))
        country = draw(pick(pools.eea))
    else:
        category = draw(pick(pools.third_party_categories))
        country = draw(pick(pools.eea * 3 + pools.adequate + pools.dpf + pools.third_common))
    if country in pools.dpf:
        safeguard = draw(pick(["dpf", "scc"]))
    elif country and country not in pools.eea and country not in pools.adequate:
        safeguard = draw(pick(["scc", "bcr", "art49"]))
    else:
        safeguard = draw(pick(["", "", "adequacy", "scc"]))
        if country in pools.eea and safeguard == "adequacy":
            safeguard = ""
    contract = ""
    if kind == "processor" or draw(st.booleans()):
        contract = nonempty(draw, pool_text([f"DPA-{2020 + number % 6}-{number:03d}"], free=0.15),
                             f"DPA-{number:03d}")
    aliases = draw(text_lists(tuple(f"{vendor} {form}".strip() for form in LEGAL_FORMS), 0.2, 0, 2))
    return {
        "recipient_id": f"{slug(vendor)}-{number}",
        "name": name,
        "aliases": aliases,
        "kind": kind,
        "category": category,
        "country": country,
        "transfer_safeguard": safeguard,
        "contract_reference": contract,
        "description": draw(pool_text(["", "Hosting", "Email delivery", "Payroll"], free=0.2)),
    }


def _plain_recipient(pools: Pools, number: int) -> dict[str, Any]:
    return {"recipient_id": f"vendor-{number}", "name": "Vendor", "aliases": [], "kind": "processor",
            "category": "third_party.service_provider.hosting", "country": "NL",
            "transfer_safeguard": "", "contract_reference": f"DPA-{number}", "description": ""}


def _plant_recipient(draw, code: str, row: dict[str, Any], pools: Pools, others: list[dict]) -> None:
    if code == "missing-required-field":
        col = draw(pick(["name", "kind", "country"]))
        row[col] = ""
        if col == "kind":
            row["contract_reference"] = ""
    elif code == "invalid-value":
        col = draw(pick(["kind", "country", "transfer_safeguard"]))
        row[col] = draw(pick({"kind": ["vendor", "supplier", "partner"],
                                         "country": ["XX", "Holland", "UK", "NLD"],
                                         "transfer_safeguard": ["maybe", "contract", "gdpr"]}[col]))
    elif code == "unknown-taxonomy-key":
        row["category"] = misspell(draw, pools, "recipient", draw(pick(pools.third_party_categories)))
    elif code == "duplicate-recipient-id":
        if others:
            row["recipient_id"] = draw(pick([o["recipient_id"] for o in others]))
        else:
            others.append(dict(_plain_recipient(pools, 0), recipient_id=row["recipient_id"]))
    elif code == "transfer-without-safeguard":
        if pools.dpf and draw(st.booleans()):
            row["country"] = draw(pick(pools.dpf))
            row["transfer_safeguard"] = draw(pick(["", "adequacy", "none"]))
        else:
            row["country"] = draw(pick(pools.third_common))
            row["transfer_safeguard"] = draw(pick(["", "none", "adequacy"]))
    elif code == "processor-without-contract":
        row["contract_reference"] = ""
    elif code == "invisible-character-in-id":
        row["recipient_id"] = _with_invisible_character(draw, row["recipient_id"])
    else:  # pragma: no cover - guarded by planted_codes
        raise InvalidArgument(f"cannot plant {code!r} in a recipient")


def recipient_records(draw, pools: Pools, min_size: int, max_size: int, codes: list[str]) -> list[dict]:
    """Valid recipient rows, then one plain row per planted code."""
    n_valid = draw(st.integers(max(min_size - len(codes), 0), max(max_size - len(codes), 0)))
    rows = [valid_recipient(draw, pools, i + 1) for i in range(n_valid)]
    for j, code in enumerate(codes):
        row = _plain_recipient(pools, 100 + n_valid + j)
        _plant_recipient(draw, code, row, pools, rows)
        rows.append(row)
    return rows


@st.composite
def recipients(
    draw,
    *,
    min_size: int = 0,
    max_size: int = 6,
    invalid: str | Iterable[str] | None = None,
    taxonomy: Taxonomy | None = None,
) -> pd.DataFrame:
    """A recipients table (recipients.csv): id, name, aliases, kind, category, country,
    transfer safeguard, contract reference, description.

    Valid by default: processors have a contract reference, transfers outside the EEA are
    covered by adequacy or a safeguard. ``invalid=`` plants codes of :data:`RECIPIENT_FAULTS`.

    Example:
        >>> from hypothesis import given
        >>> from ropa.testing import recipients
        >>> @given(recipients(min_size=1))
        ... def test_ids_are_unique(recs):
        ...     assert recs["recipient_id"].is_unique
        >>> test_ids_are_unique()
    """
    codes = planted_codes(invalid, RECIPIENT_FAULTS, "recipients()")
    return recipients_frame(recipient_records(draw, pools_for(taxonomy_or_default(taxonomy)), min_size, max_size, codes))
