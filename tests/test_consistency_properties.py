"""Properties of the register-against-policy classification, on registers and policies drawn
by ropa.testing (policies that speak of the register's own terms, so that flows get covered)."""

from __future__ import annotations

import dataclasses

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

import ropa
from ropa.policy.model import statements_frame
from ropa.testing import policies, registers

KEY = ["activity_id", "recipient", "data_category", "purpose", "data_subject"]
COVERED = {"clear", "vague", "incorrect", "ambiguous"}


@st.composite
def register_and_policy(draw, max_statements: int = 10):
    reg = draw(registers(max_activities=6))
    pol = draw(policies(reg, max_statements=max_statements))
    scoped = draw(st.booleans())
    if scoped:  # sometimes the policy says it is not for staff
        pol = dataclasses.replace(pol, meta={**pol.meta, "scope": {"excludes": ["employee"]}})
    return reg, pol


def _by_flow(table: pd.DataFrame, cols=("class",)) -> pd.DataFrame:
    out = table.loc[:, [*KEY, *cols]].astype(str)
    assert not out.duplicated(KEY).any(), "a flow is one activity x recipient x data x purpose x subject"
    return out.set_index(KEY).sort_index()


def _ids(cell) -> frozenset[str]:
    return frozenset(cell.split("; ")) if isinstance(cell, str) and cell else frozenset()


@given(register_and_policy(), st.data())
def test_adding_a_statement_never_turns_a_covered_flow_omitted(pair, data):
    reg, pol = pair
    extra = data.draw(policies(reg, max_statements=3))
    added = extra.statements.assign(statement_id=["extra-" + s for s in extra.statements["statement_id"]])
    more = dataclasses.replace(pol, statements=pd.concat([pol.statements, added], ignore_index=True))
    before = _by_flow(ropa.consistency(reg, pol), ("class", "positive_statements", "negative_statements"))
    after = _by_flow(ropa.consistency(reg, more), ("class", "positive_statements", "negative_statements"))
    assert before.index.equals(after.index)
    covered = before["class"].isin(COVERED)
    assert not after.loc[covered, "class"].eq("omitted").any()
    assert after["class"].eq("out_of_scope").equals(before["class"].eq("out_of_scope"))
    # coverage only grows: every statement that covered a flow still does
    for col in ("positive_statements", "negative_statements"):
        grew = [_ids(b) <= _ids(a) for b, a in zip(before[col], after[col], strict=True)]
        assert all(grew), col


@given(register_and_policy())
def test_without_statements_every_in_scope_flow_is_omitted(pair):
    reg, pol = pair
    table = ropa.consistency(reg, pol)
    empty = ropa.consistency(reg, dataclasses.replace(pol, statements=statements_frame([])))
    out = table["class"] == "out_of_scope"
    assert (empty["class"] == "out_of_scope").equals(out), "scope does not depend on statements"
    assert set(empty.loc[~out, "class"].astype(str)) <= {"omitted"}
    assert empty["positive_statements"].isna().all() and empty["statement_id"].isna().all()


@given(register_and_policy(), st.randoms(use_true_random=False))
def test_classification_does_not_depend_on_row_order(pair, rnd):
    reg, pol = pair
    rows = list(range(len(reg.activities)))
    rnd.shuffle(rows)
    stmts = list(range(len(pol.statements)))
    rnd.shuffle(stmts)
    shuffled_reg = dataclasses.replace(reg, activities=reg.activities.iloc[rows])
    shuffled_pol = dataclasses.replace(pol, statements=pol.statements.iloc[stmts].reset_index(drop=True))
    cols = ("class", "positive_statements", "negative_statements", "data_distance", "entity_distance",
            "data_vagueness", "entity_vagueness")
    a = _by_flow(ropa.consistency(reg, pol), cols)
    b = _by_flow(ropa.consistency(shuffled_reg, shuffled_pol), cols)
    assert a.index.equals(b.index)
    assert a["class"].equals(b["class"])
    for col in ("positive_statements", "negative_statements"):  # the same sets, listed in policy order
        assert [_ids(x) for x in a[col]] == [_ids(x) for x in b[col]], col
    for col in cols[3:]:  # the best statement may differ on a tie, its distances may not
        assert a[col].equals(b[col]), col


@given(register_and_policy(max_statements=4))
def test_flows_are_the_cross_product_of_each_live_activity(pair):
    reg, _ = pair
    fl = ropa.flows(reg)
    acts = reg.activities[reg.activities["status"].str.lower() != "retired"]

    def n(cell, drop=()):
        return max(1, len({v for v in cell if v and v.lower() not in drop}))

    expected = sum(n(a.data_categories) * n(a.data_subjects) * n(a.purposes)
                   * (1 + len({r for r in a.recipients if r.lower() not in ("none", "we")}))
                   for a in acts.itertuples())
    assert len(fl) == expected
    assert set(fl["activity_id"].astype(str)) == set(acts["activity_id"])
    we = fl[fl["recipient"] == "we"]
    assert we.groupby("activity_id", observed=True).size().reindex(acts["activity_id"]).notna().all()
    first = fl["party"].astype(str) == "first_party"
    assert first[fl["recipient"] == "we"].all()
    assert fl.loc[first, "recipient_category"].astype(str).str.startswith("we").all()
