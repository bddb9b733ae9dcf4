"""Whole registers in memory: organisation, recipients and activities that refer to each other.

In: the tables' row builders. Out: :func:`registers` (a :class:`ropa.Register`) and
:func:`register_parts`, the drawn parts :func:`~ropa.testing.files.register_files` writes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd
from hypothesis import strategies as st

from ..core.names import slug
from ..core.taxonomy import Taxonomy
from ..register.model import Register
from .faults import (
    ACTIVITY_FAULTS,
    CROSS_FAULTS,
    ORGANISATION_FAULTS,
    RECIPIENT_FAULTS,
    REGISTER_FAULTS,
    planted_codes,
)
from .tables import (
    ActivityContext,
    activities_frame,
    activity_records,
    as_of_or_today,
    recipient_records,
    recipients_frame,
    valid_recipient,
)
from .vocabulary import (
    LEGAL_FORMS,
    ORG_NAMES,
    key_lists,
    nonempty,
    pick,
    pool_text,
    pools_for,
    taxonomy_or_default,
)

__all__ = ["register_parts", "registers"]


@st.composite
def _organisation(draw, controller_ids: Sequence[str], roles: set[str]) -> dict[str, Any]:
    base = draw(pick(ORG_NAMES))
    name = nonempty(draw, pool_text([base], free=0.2), base)
    domain = slug(base)
    role = "both" if "processor" in roles and roles - {"processor"} else ("processor" if roles == {"processor"} else "controller")
    org: dict[str, Any] = {
        "name": name,
        "role": role,
        "employee_count": draw(st.integers(1, 5000)),
        "controller": {"name": f"{name} {draw(pick(LEGAL_FORMS))}".strip(),
                       "address": draw(pool_text(["Voorbeeldweg 1, Utrecht", "1 Example Street, Dublin"])),
                       "email": f"privacy@{domain}.example"},
    }
    if draw(st.booleans()):
        org["controller"]["phone"] = "+31 30 000 0000"
    if draw(st.integers(0, 3)) == 0:
        org["dpo"] = {"designated": False, "reason": "Not required under Art 37(1)"}
    else:
        org["dpo"] = {"name": draw(pick(["A. Jansen", "B. Müller", "C. Dupont"])),
                      "email": f"dpo@{domain}.example"}
    org["supervisory_authority"] = draw(pick(["Autoriteit Persoonsgegevens (NL)",
                                                         "Data Protection Commission (IE)", "CNIL (FR)"]))
    if controller_ids:
        org["controllers"] = [{"id": cid, "name": cid.replace("-", " ").title(),
                               "contact": f"privacy@{cid}.example"} for cid in controller_ids]
    return org


def _plant_organisation(draw, org: dict[str, Any]) -> None:
    what = draw(pick(["dpo", "dpo-contact", "controller-contact", "controller-name"]))
    if what == "dpo":
        org.pop("dpo", None)
    elif what == "dpo-contact":
        org["dpo"] = {"name": "A. Jansen"}
    elif what == "controller-contact":
        org["controller"] = {"name": org["controller"]["name"]}
    else:
        org["controller"] = {k: v for k, v in org["controller"].items() if k != "name"}
        org.pop("name", None)


def _split_codes(draw, codes: list[str]) -> tuple[list[str], list[str], list[str]]:
    """Which table each planted code goes to (codes both tables can have: either)."""
    acts: list[str] = []
    recs: list[str] = []
    org: list[str] = []
    for code in codes:
        if code in ORGANISATION_FAULTS:
            org.append(code)
        elif code in ACTIVITY_FAULTS and code in RECIPIENT_FAULTS:
            (acts if draw(st.booleans()) else recs).append(code)
        elif code in ACTIVITY_FAULTS:
            acts.append(code)
        elif code in CROSS_FAULTS:
            continue  # planted by register_parts itself
        else:
            recs.append(code)
    return acts, recs, org


def _plant_invented_recipient(draw, pools, recs: list[dict], act_rows: list[dict], ctx: ActivityContext) -> None:
    """transfer-not-recorded: a recipient ropa created from a register's text, established
    outside the EEA, named by one more plain activity that records no transfer."""
    name = draw(pick(["Cloudhost", "Mailbridge", "Formstack", "Datapipe"]))
    rid = f"{slug(name)}-inc"
    while rid in {r["recipient_id"] for r in recs}:
        rid += "-x"
    recs.append({"recipient_id": rid, "name": f"{name} Inc.", "aliases": [], "kind": "controller",
                 "category": "third_party", "country": draw(pick(pools.third_common)), "transfer_safeguard": "",
                 "contract_reference": "", "description": "", "created_from": f"{name} Inc. (in the text)"})
    row = activity_records(draw, ctx, 1, 1, [])[0]
    row.update(activity_id=f"{ctx.prefix}T{len(act_rows):03d}", recipients=[rid], transfer_countries=[],
               transfer_safeguards=[], status="active",  # a retired or draft activity is not checked
               # a retired row may have been drawn with no review date; active, it needs one
               last_reviewed=row["last_reviewed"] or (ctx.as_of - dt.timedelta(days=30)).isoformat())
    act_rows.append(row)


def _build_register(organisation: dict, acts: pd.DataFrame, recs: pd.DataFrame, tax: Taxonomy) -> Register:
    return Register(organisation=organisation, activities=acts, recipients=recs,
                    taxonomy=tax.with_entities(recs))


@st.composite
def register_parts(draw, min_activities: int, max_activities: int, codes: list[str],
                   as_of: dt.date | None, taxonomy: Taxonomy | None):
    """The parts of a register, drawn: organisation (a dict), activity rows, recipient rows
    and the taxonomy, with each code in ``codes`` planted once."""
    tax = taxonomy_or_default(taxonomy)
    pools = pools_for(tax)
    act_codes, rec_codes, org_codes = _split_codes(draw, codes)
    recs = recipient_records(draw, pools, 0, 6, rec_codes)
    if rec_codes == [] and not recs and draw(st.booleans()):
        recs = [valid_recipient(draw, pools, 1)]
    # activities name only recipients that are themselves valid (a planted recipient fault
    # must not spread to the activities that use it)
    good_ids = tuple(r["recipient_id"] for r in recs[: len(recs) - len(rec_codes)])
    controller_ids = tuple(draw(key_lists(tuple(["client-a", "client-b", "client-c"]), 0, 2)))
    ctx = ActivityContext(pools, good_ids, controller_ids, as_of_or_today(as_of), draw(pick(["A", "PA-", "HR", "act-"])))
    act_rows = activity_records(draw, ctx, min_activities, max_activities, act_codes)
    if "transfer-not-recorded" in codes:
        _plant_invented_recipient(draw, pools, recs, act_rows, ctx)
    roles = {r["role"] for r in act_rows} or {"controller"}
    if "processor-activity-without-controller" in act_codes and not controller_ids:
        controller_ids = ("client-a",)
    org = draw(_organisation(controller_ids, roles))
    if org_codes:
        _plant_organisation(draw, org)
    return org, act_rows, recs, tax


@st.composite
def registers(
    draw,
    *,
    min_activities: int = 1,
    max_activities: int = 12,
    invalid: str | Iterable[str] | None = None,
    as_of: dt.date | None = None,
    taxonomy: Taxonomy | None = None,
) -> Register:
    """A :class:`ropa.Register`: an organisation, its recipients and its activities,
    referring to each other (activities name the recipients' ids and, for processing done
    as a processor, the controllers listed in organisation.yaml).

    Args:
        min_activities, max_activities: how many activities (planted ones included).
        invalid: one finding code or several from :data:`REGISTER_FAULTS` (the codes of
            ``ropa.catalogue()`` in area ``register`` that the checks find in memory); each
            is planted once and nothing else is wrong. For ``unreadable-row`` and
            ``unknown-column``, which exist only in files, use :func:`register_files`.
        as_of: the date the register is checked on (default today).
        taxonomy: the base taxonomy (default ``ropa.default_taxonomy()``).

    Example:
        >>> import ropa
        >>> from hypothesis import given
        >>> from ropa.testing import registers
        >>> @given(registers(invalid="stale-review"))
        ... def test_stale_review_found(reg):
        ...     assert set(ropa.check_register(reg)["code"]) == {"stale-review"}
        >>> test_stale_review_found()
    """
    codes = planted_codes(invalid, REGISTER_FAULTS, "registers()")
    org, act_rows, rec_rows, tax = draw(register_parts(min_activities, max_activities, codes, as_of, taxonomy))
    recs = recipients_frame(rec_rows)
    return _build_register(org, activities_frame(act_rows), recs, tax)
