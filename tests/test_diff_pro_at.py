"""PRO-AT's policy of 24-05-2018 against its revision of 01-11-2026.

../shared/policies/pro-at/README.md lists the revision's changes of substance and the
edits that are not. Each change of substance must come out as material (never as
wording): those that widen the processing (a new recipient or data category, a changed
controller) with direction "adverse"; those that narrow it or add transparency (consent
now asked, retention periods and a right added, a tracker dropped) with direction
"favourable". None of the non-changes may come out as an added or removed statement.
"""

from __future__ import annotations

import pandas as pd
import pytest

import ropa
from ropa.diff.impact import policy_diff_findings
from ropa.diff.sections import diff_policy_sections
from tests.conftest import PRO_AT

POLICIES = PRO_AT / "policies"


@pytest.fixture(scope="module")
def versions():
    return (ropa.load_policy(POLICIES / "2018-05-24.flows.yaml"),
            ropa.load_policy(POLICIES / "2026-11-01.flows.yaml"))


@pytest.fixture(scope="module")
def changes(versions, pro_at):
    return ropa.diff_policies(*versions, register=pro_at)


def find(changes: pd.DataFrame, *, section: str | None = None, aspect: str | None = None,
         term: str | None = None, kind: str | None = None) -> pd.DataFrame:
    mask = pd.Series(True, index=changes.index)
    if section is not None:
        mask &= (changes["new_section"] == section) | (changes["old_section"] == section)
    if aspect is not None:
        mask &= changes["aspect"] == aspect
    if kind is not None:
        mask &= changes["kind"] == kind
    if term is not None:
        mask &= changes["added"].map(lambda v: term in v) | changes["removed"].map(lambda v: term in v)
    return changes[mask]


# (README item, section, aspect, a key the change adds or removes, expected direction)
SUBSTANCE = [
    ("date of birth collected", "1.2", "data_category", "user.demographic.date_of_birth", "adverse"),
    ("Freshworks hosts the ticket system", "2.1", "recipient", "vendor:freshworks", "adverse"),
    ("Laposta replaces Mailchimp", "2.6", "recipient", "vendor:laposta", "adverse"),
    ("Laposta replaces Mailchimp", "2.6", "recipient", "mailchimp", "adverse"),
    ("Hotjar heatmaps added", "3.3", "recipient", "vendor:hotjar", "adverse"),
    ("LinkedIn Advertising removed", "3.3", "recipient", "linkedin", "favourable"),
    ("retention periods added", "5.1", "retention", "P7Y", "favourable"),
    ("retention periods added", "5.1", "retention", "P2Y", "favourable"),
    ("right to complain added", "7", "right", "right.complaint", "favourable"),
]


@pytest.mark.parametrize(("item", "section", "aspect", "term", "direction"), SUBSTANCE,
                         ids=[f"{s[0]} ({s[3]})" for s in SUBSTANCE])
def test_each_change_of_substance_is_material(changes, item, section, aspect, term, direction):
    found = find(changes, section=section, aspect=aspect, term=term)
    assert len(found) == 1, (item, changes[["kind", "aspect", "old_section", "new_section", "reason"]])
    assert found.iloc[0]["level"] == "material", (item, found.iloc[0]["reason"])
    assert found.iloc[0]["material"]
    assert found.iloc[0]["direction"] == direction, (item, found.iloc[0]["reason"])


def test_consent_now_asked_is_found(changes):
    # the newsletter becomes opt-in (2.6); trackers only after the cookie banner (3, 3.1, 3.2)
    consent = changes[changes["aspect"] == "consent"]
    assert set(consent["new_section"]) == {"2.6", "3", "3.1", "3.2"}
    assert (consent["level"] == "material").all() and (consent["direction"] == "favourable").all()
    assert (consent["kind"] == "changed").all()
    assert consent["reason"].eq("now only with consent").all()


def test_controller_named_pro_at_throughout(changes):
    row = changes[changes["aspect"] == "controller"].iloc[0]
    assert row["material"] and row["removed"] == ["Perf-iT"] and row["added"] == []


def test_the_adverse_changes_are_exactly_these(changes):
    material = changes[changes["material"] & (changes["direction"] == "adverse")]
    assert sorted(zip(material["aspect"], material["new_section"].fillna(""), strict=True)) == [
        ("controller", ""),
        ("data_category", "1.2"),                 # date of birth, collected
        ("recipient", "1.2"),                     # ... and passed to domain registries
        ("recipient", "2.1"),                     # Freshworks
        ("recipient", "2.6"),                     # Laposta
        ("recipient", "3.3"),                     # Hotjar
    ]


def test_non_changes_are_not_changes(changes):
    # "Google Adwords" -> "Google Ads" (3.2): only the consent it now needs, no recipient change
    assert set(find(changes, section="3.2")["aspect"]) <= {"consent", "wording"}
    assert not changes["reason"].str.contains("Google Ads|Adwords", case=False).any()
    # "DAS Incasso" -> "DAS Incasso B.V." (2.3): wording only
    assert set(find(changes, section="2.3")["level"]) == {"wording"}
    # section 4 still says the same
    assert set(find(changes, section="4")["level"]) <= {"wording"}
    # rewording never shows as statements added and removed in the same place
    lone = changes[changes["kind"].isin(["added", "removed"])]
    assert set(lone["old_statement"].dropna()) == {"s3.3-1"}             # LinkedIn's statement
    assert set(lone["new_statement"].dropna()) == {"s1.2-7", "s1.2-8", "s2.1-2", "s3.3-1", "s3.3-2",
                                                   "s5.1-1", "s5.1-2", "s5.1-3", "s7-2"}
    wording = changes[changes["level"] == "wording"]
    assert (wording["aspect"] == "wording").all() and wording["added"].map(len).eq(0).all()


def test_the_dropped_all_pages_lists_are_text_only(versions, changes):
    old, new = versions
    sections = diff_policy_sections(old, new).set_index("new_number")
    assert "– All pages" in sections.loc["3.1", "diff"]
    assert find(changes, section="3.1")["aspect"].isin(["consent", "wording"]).all()


def test_register_impact(versions, changes, pro_at):
    findings = policy_diff_findings(*versions, changes, register=pro_at)
    codes = findings.groupby("code")
    gone = codes.get_group("activity-recipient-no-longer-named")
    assert sorted(zip(gone["activity_id"], gone["recipient_id"], strict=True)) == [
        ("A01", "mailchimp"), ("A11", "mailchimp"), ("A16", "linkedin")]
    assert set(codes.get_group("new-recipient-without-activity")["evidence"]) == {
        "Freshworks", "Laposta", "Hotjar", "Domain name registries and registrars"}
    assert codes.get_group("new-data-category-without-activity")["evidence"].tolist() == ["Date of birth"]
    assert "policy-date-not-moved" not in set(findings["code"])     # the date moved
    laposta = find(changes, section="2.6", aspect="recipient").iloc[0]
    assert laposta["activities"] == ["A01", "A11"]


def test_same_result_without_the_register(versions, changes):
    bare = ropa.diff_policies(*versions)
    key = ["kind", "aspect", "level", "old_statement", "new_statement"]
    assert sorted(map(tuple, bare[key].fillna("").values.tolist())) == sorted(
        map(tuple, changes[key].fillna("").values.tolist()))
