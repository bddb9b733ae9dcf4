"""Properties of the diffs: a version against itself, the two directions, reordering, and
the register diff's round trip."""

from __future__ import annotations

import copy
import dataclasses
from collections import Counter

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

import ropa
import ropa.diff.sections
from ropa.diff.registers import apply_register_diff
from ropa.register.columns import ACTIVITY_LIST_COLUMNS, RECIPIENT_LIST_COLUMNS
from ropa.testing import policies, policy_versions, registers

_SWAP = {"added": "removed", "removed": "added", "changed": "changed"}


def _signature(changes: pd.DataFrame, *, swap: bool = False) -> Counter:
    """What a diff says, direction-free when ``swap``: kinds and sides exchanged."""
    out = Counter()
    for r in changes.to_dict("records"):
        kind, old, new, added, removed = r["kind"], r["old_statement"], r["new_statement"], r["added"], r["removed"]
        if swap:
            kind, old, new, added, removed = _SWAP[kind], new, old, removed, added
        aspect = r["aspect"] if r["kind"] == "changed" else "-"  # an added/removed row names its most telling aspect
        out[(kind, aspect, old, new, tuple(added) if kind == "changed" else (),
             tuple(removed) if kind == "changed" else ())] += 1
    return out


def _shuffled(policy: ropa.Policy, order: list[int], section_order: list[int]) -> ropa.Policy:
    statements = policy.statements.iloc[order].reset_index(drop=True)
    sections = policy.sections.iloc[section_order].reset_index(drop=True)
    return dataclasses.replace(policy, statements=statements, sections=sections)


@given(policies())
def test_a_version_against_itself_is_empty(policy):
    assert ropa.diff_policies(policy, policy).empty
    assert ropa.diff.sections.diff_policy_sections(policy, policy).empty


@given(policy_versions())
def test_the_two_directions_mirror_each_other(pair):
    forward = ropa.diff_policies(pair.old, pair.new)
    backward = ropa.diff_policies(pair.new, pair.old)
    assert _signature(forward) == _signature(backward, swap=True)


@given(policies(), policies())
def test_two_unrelated_policies_mirror_each_other(a, b):
    assert _signature(ropa.diff_policies(a, b)) == _signature(ropa.diff_policies(b, a), swap=True)


@given(st.data())
def test_reordering_statements_and_sections_changes_nothing(data):
    policy = data.draw(policies(min_statements=2))
    order = data.draw(st.permutations(range(len(policy.statements))))
    section_order = data.draw(st.permutations(range(len(policy.sections))))
    assert ropa.diff_policies(policy, _shuffled(policy, list(order), list(section_order))).empty


@given(policy_versions())
def test_reworded_and_moved_statements_are_never_added_or_removed(pair):
    changes = ropa.diff_policies(pair.old, pair.new)
    added = set(changes.loc[changes["kind"] == "added", "new_statement"])
    removed = set(changes.loc[changes["kind"] == "removed", "old_statement"])
    for entry in pair.changes.itertuples():
        if entry.change in ("reworded", "moved"):
            assert entry.new_statement_id not in added, entry
            assert entry.old_statement_id not in removed, entry


# -- registers -----------------------------------------------------------------------------

def _canonical(frame: pd.DataFrame, id_col: str, list_cols: frozenset[str]) -> dict:
    out = {}
    for rec in frame.to_dict("records"):
        out[rec[id_col]] = {k: (frozenset(v) if k in list_cols else v) for k, v in rec.items()}
    return out


def _same_register(a: ropa.Register, b: ropa.Register) -> bool:
    return (a.organisation == b.organisation
            and _canonical(a.activities, "activity_id", ACTIVITY_LIST_COLUMNS)
            == _canonical(b.activities, "activity_id", ACTIVITY_LIST_COLUMNS)
            and _canonical(a.recipients, "recipient_id", RECIPIENT_LIST_COLUMNS)
            == _canonical(b.recipients, "recipient_id", RECIPIENT_LIST_COLUMNS))


@st.composite
def register_pairs(draw):
    """An old register and a new one made from it: rows dropped, cells changed, rows from
    another register added, organisation keys changed."""
    old = draw(registers(max_activities=6))
    other = draw(registers(max_activities=4))
    new = copy.deepcopy(old)
    acts = old.activities.copy()
    keep = draw(st.lists(st.booleans(), min_size=len(acts), max_size=len(acts)))
    acts = acts[keep].copy() if len(acts) else acts
    for idx in acts.index:
        if draw(st.booleans()):
            col = draw(st.sampled_from(["name", "purposes", "data_categories", "recipients", "retention", "status"]))
            donor = other.activities.iloc[draw(st.integers(0, len(other.activities) - 1))]
            acts.at[idx, col] = copy.deepcopy(donor[col])
    extra = other.activities.copy()
    extra["activity_id"] = [f"X{i}" for i in range(len(extra))]
    extra = extra.iloc[: draw(st.integers(0, len(extra)))]
    new.activities = pd.concat([acts, extra], ignore_index=True)
    recs = old.recipients.copy()
    if len(recs) and draw(st.booleans()):
        recs = recs.iloc[1:]
    new.recipients = pd.concat([recs, other.recipients[~other.recipients["recipient_id"].isin(recs["recipient_id"])]],
                               ignore_index=True)
    org = copy.deepcopy(old.organisation)
    if draw(st.booleans()):
        org["employee_count"] = draw(st.integers(1, 5000))
    if draw(st.booleans()) and isinstance(org.get("controller"), dict):
        org["controller"]["email"] = draw(st.sampled_from(["dpo@example.org", "privacy@example.com"]))
    if draw(st.booleans()):
        org.pop(draw(st.sampled_from(sorted(org))), None)
    new.organisation = org
    return old, new


@given(register_pairs())
def test_register_diff_round_trips(pair):
    old, new = pair
    diff = ropa.diff_registers(old, new)
    assert _same_register(apply_register_diff(old, diff), new)
    assert ropa.diff_registers(apply_register_diff(old, diff), new).empty


@given(registers(max_activities=6))
def test_a_register_against_itself_is_empty(reg):
    assert ropa.diff_registers(reg, reg).empty
