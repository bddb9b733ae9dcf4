"""Policy and register diffs on versions we wrote ourselves, whose changes we know exactly."""

from __future__ import annotations

import copy
import dataclasses
import re
import warnings

import pandas as pd
import pytest

import ropa
from ropa.core.names import normalise_name
from ropa.diff.entities import EntityResolver
from ropa.diff.frames import CHANGE_COLUMNS
from ropa.diff.impact import policy_diff_findings
from ropa.diff.registers import apply_register_diff
from ropa.diff.sections import diff_policy_sections, word_diff
from ropa.policy.load import ReviewedFlowsUsed
from ropa.policy.model import statements_frame
from tests.conftest import DATA, PRO_AT

SUBPROCESSORS = DATA / "diff" / "subprocessors"
WEBSHOP = DATA / "diff" / "webshop"


def load(path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ReviewedFlowsUsed)
        return ropa.load_policy(path)


def rows(changes: pd.DataFrame) -> set[tuple]:
    return {(r.kind, r.aspect, r.level, r.old_statement, r.new_statement) for r in changes.itertuples()}


@pytest.fixture(scope="module")
def tandem():
    return load(SUBPROCESSORS / "2025-01-01.md"), load(SUBPROCESSORS / "2025-07-01.md")


@pytest.fixture(scope="module")
def tandem_register():
    return ropa.load_register(SUBPROCESSORS / "register")


@pytest.fixture(scope="module")
def webshop():
    return load(WEBSHOP / "2024-03-01.md"), load(WEBSHOP / "2024-09-01.md")


# -- names ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("a", "b"), [
    ("Github", "GitHub"), ("DAS Incasso", "DAS Incasso B.V."), ("Mailchimp®", "MailChimp"),
    ("Hotjar Ltd", "hotjar"), ("das-incasso", "DAS Incasso"), ("Acme, Inc.", "ACME"),
])
def test_names_written_differently_normalise_alike(a, b):
    assert normalise_name(a) == normalise_name(b)


def test_different_names_stay_apart():
    assert normalise_name("Google Ads") != normalise_name("Google Analytics")
    assert normalise_name("SE Ranking") != normalise_name("")  # a legal form alone is not stripped to nothing


def test_resolver_uses_vendor_list_register_aliases_and_names(pro_at):
    bare = EntityResolver()
    assert bare.resolve("Google Adwords") == bare.resolve("Google Ads") == "vendor:google-ads"
    assert bare.resolve("Sendinblue") == bare.resolve("vendor:brevo")
    assert bare.resolve("DAS Incasso") == bare.resolve("DAS Incasso B.V.")
    assert bare.resolve("third_party.advertising") == "third_party.advertising"
    reg = EntityResolver(pro_at)
    # the register holds the vendor: its id wins, however the policy writes it
    assert reg.resolve("vendor:google-ads") == reg.resolve("Google Adwords") == "google-ads"
    assert reg.resolve("DAS Incasso B.V.") == reg.resolve("das-incasso") == "das-incasso"
    assert reg.resolve("vendor:mailchimp") == "mailchimp"
    assert reg.country("mailchimp") == "US"
    assert "third_party.collection_agency" in reg.ancestors("das-incasso")


# -- the sub-processor table ---------------------------------------------------------------

def test_subprocessor_table_is_diffed_exactly(tandem):
    old, new = tandem
    changes = ropa.diff_policies(old, new)
    assert list(changes.columns) == list(CHANGE_COLUMNS)
    assert rows(changes) == {
        ("changed", "date", "informational", None, None),
        ("changed", "wording", "wording", "s1-1", "s1-1"),          # section 1 reworded
        ("added", "recipient", "material", None, "s2-4"),           # Intercom
        ("removed", "recipient", "material", "s2-3", None),         # Sentry (favourable)
        ("changed", "wording", "wording", "s2-2", "s2-5"),          # Sendinblue, now Brevo
    }
    intercom = changes[changes["kind"] == "added"].iloc[0]
    assert intercom["reason"] == "new recipient: Intercom"
    assert intercom["added"] == ["vendor:intercom"]
    assert intercom["new_quote"].startswith("Intercom |")
    sentry = changes[changes["kind"] == "removed"].iloc[0]
    assert "recipient no longer named: Sentry" in sentry["reason"]
    assert "vendor:sentry" in sentry["removed"]
    renamed = changes[changes["new_statement"] == "s2-5"].iloc[0]
    assert "the same recipient written differently (Sendinblue → Brevo)" in renamed["reason"]
    # Github -> GitHub (case only) and the reordered rows are no change at all
    assert not changes["reason"].str.contains("GitHub|Github").any()
    assert changes["material"].sum() == 2
    assert changes.loc[changes["material"], "direction"].tolist().count("favourable") == 1


def test_register_resolves_names_and_finds_the_activities(tandem, tandem_register):
    old, new = tandem
    changes = ropa.diff_policies(old, new, register=tandem_register)
    assert rows(changes) == rows(ropa.diff_policies(old, new))
    by_new = changes.set_index("new_statement", drop=False)
    assert by_new.loc["s2-5", "activities"] == []      # wording touches no activity
    assert changes.loc[changes["kind"] == "removed", "activities"].iloc[0] == ["T02"]
    assert changes.loc[changes["kind"] == "added", "activities"].iloc[0] == []
    assert "sentry" in changes.loc[changes["kind"] == "removed", "removed"].iloc[0]


def test_register_impact_findings(tandem, tandem_register):
    old, new = tandem
    findings = policy_diff_findings(old, new, register=tandem_register)
    assert set(findings["code"]) == {"new-recipient-without-activity", "activity-recipient-no-longer-named",
                                     "flow-class-worsened"}
    gone = findings[findings["code"] == "activity-recipient-no-longer-named"].iloc[0]
    assert (gone["activity_id"], gone["recipient_id"]) == ("T02", "sentry")
    worse = findings[findings["code"] == "flow-class-worsened"]
    assert set(worse["activity_id"]) == {"T02"}
    omitted = worse[worse["message"].str.endswith("from clear to omitted")]
    assert "→ sentry →" in omitted.iloc[0]["evidence"]
    new_one = findings[findings["code"] == "new-recipient-without-activity"].iloc[0]
    assert new_one["evidence"] == "Intercom" and new_one["section"] == "2"
    assert (findings["policy_version"] == "2025-07-01").all()


def test_section_text_diff(tandem):
    old, new = tandem
    sections = diff_policy_sections(old, new)
    assert sections[["status", "old_number", "new_number"]].values.tolist() == [
        ["changed", "1", "1"], ["changed", "2", "2"]]
    table = sections.iloc[1]["diff"]
    assert "-| Sentry | Error monitoring" in table and "+| Intercom | Live chat" in table
    assert "+| Brevo |" in table and "-| Sendinblue |" in table


# -- every kind of material change ---------------------------------------------------------

def test_each_kind_of_change_is_classified(webshop):
    old, new = webshop
    changes = ropa.diff_policies(old, new)
    assert rows(changes) == {
        ("changed", "controller", "material", None, None),
        ("added", "data_category", "material", None, "s1-2"),       # order history for ads
        ("added", "purpose", "material", None, "s1-2"),             # ... and the new purpose, its own row
        ("changed", "retention", "material", "s1-2", "s1-3"),       # two years -> five
        ("changed", "data_category", "material", "s1-1", "s1-1"),   # phone number dropped (favourable)
        ("changed", "data_category", "material", "s1-2", "s1-3"),
        ("changed", "wording", "wording", "s5-1", "s2-1"),          # cookies section moved
        ("added", "retention", "material", None, "s3-2"),           # newsletter retention stated (favourable)
        ("changed", "consent", "material", "s2-1", "s3-1"),         # newsletter without consent
        ("changed", "legal_basis", "informational", "s2-1", "s3-1"),
        ("changed", "exception", "material", "s3-1", "s4-1"),       # "unless you consent"
        ("changed", "right", "material", "s4-1", "s5-1"),           # right to object removed
    }
    reasons = dict(zip(zip(changes["aspect"], changes["new_statement"], strict=True), changes["reason"],
                       strict=True))
    assert reasons[("retention", "s1-3")] == "retention lengthened from P2Y to P5Y"
    assert reasons[("right", "s5-1")] == "right removed: Right to object"
    assert reasons[("consent", "s3-1")] == "consent requirement dropped"
    assert reasons[("wording", "s2-1")] == "moved from section 5 to 2"
    assert reasons[("purpose", "s1-2")] == "new purpose: First Party Personalized Advertising"  # its own row
    assert "new data category: Orders and purchase history" in reasons[("data_category", "s1-2")]
    controller = changes[changes["aspect"] == "controller"].iloc[0]
    assert (controller["added"], controller["removed"]) == (["Vos Groep B.V."], ["Bakkerij Vos B.V."])


def test_the_reverse_moves_are_material_and_favourable(webshop):
    old, new = webshop
    back = ropa.diff_policies(new, old)
    direction = {(r.aspect, r.kind): r.direction for r in back.itertuples() if r.aspect != "data_category"}
    assert direction[("retention", "changed")] == "favourable"     # shortened
    assert direction[("consent", "changed")] == "favourable"       # consent added
    assert direction[("right", "changed")] == "favourable"         # right added
    assert direction[("exception", "changed")] == "favourable"     # negation strengthened
    assert direction[("controller", "changed")] == "adverse"       # a changed controller either way
    assert back.loc[back["direction"].notna(), "material"].all()
    forward = ropa.diff_policies(old, new)
    assert set(forward.loc[forward["aspect"].isin(["retention", "consent", "right", "exception"])
                           & (forward["kind"] == "changed"), "direction"]) == {"adverse"}


def test_material_change_without_a_new_date_is_a_finding(webshop):
    old, new = webshop
    findings = policy_diff_findings(old, new)
    assert findings["code"].tolist() == ["policy-date-not-moved"]
    assert findings.iloc[0]["message"] == "10 material change(s) but the stated date is still 2024-03-01"
    assert findings.iloc[0]["severity"] == "high"


def test_new_date_without_change_is_a_finding(tandem):
    old, _ = tandem
    redated = dataclasses.replace(old, meta={**old.meta, "stated_date": "2025-02-01"}, version="2025-02-01")
    changes = ropa.diff_policies(old, redated)
    assert rows(changes) == {("changed", "date", "informational", None, None)}
    findings = policy_diff_findings(old, redated, changes)
    assert findings["code"].tolist() == ["policy-date-moved-without-change"]
    assert policy_diff_findings(old, old).empty


def test_split_statement_is_wording_not_a_change(tandem):
    old, _ = tandem
    st = old.statements.copy()
    first = st.iloc[0].to_dict()
    halves = [{**first, "statement_id": "s1-1a", "data_categories": ["user.name"]},
              {**first, "statement_id": "s1-1b", "data_categories": ["user.contact.email", "user.financial"]}]
    split = pd.concat([pd.DataFrame(halves), st.iloc[1:]], ignore_index=True)
    new = dataclasses.replace(old, statements=statements_frame(split.to_dict("records")))
    changes = ropa.diff_policies(old, new)
    assert set(changes["level"]) == {"wording"}
    assert len(changes) == 2


# -- word and section marks ----------------------------------------------------------------

def test_word_diff_marks_changed_words_only():
    runs = word_diff("We share your name with DAS Incasso.", "We share your name and address with DAS Incasso B.V.")
    assert "".join(t for op, t in runs if op != "insert") == "We share your name with DAS Incasso."
    assert "".join(t for op, t in runs if op != "delete") == "We share your name and address with DAS Incasso B.V."
    assert re.findall(r"\w+", "".join(t for op, t in runs if op == "insert")) == ["and", "address", "B", "V"]
    assert not re.findall(r"\w+", "".join(t for op, t in runs if op == "delete"))
    assert word_diff("same", "same") == [("equal", "same")]


# -- registers -----------------------------------------------------------------------------

def test_register_diff_field_by_field(pro_at):
    new = copy.deepcopy(pro_at)
    acts = pro_at.activities.copy()
    acts.at[2, "recipients"] = ["laposta"]                                  # A01
    acts.at[5, "data_categories"] = list(reversed(acts.at[5, "data_categories"]))  # A04: order only
    acts.at[3, "retention"] = "P10Y"                                        # A02
    acts = acts.drop(index=17)                                              # A16 gone
    added = pro_at.activities.loc[[5]].copy()
    added["activity_id"] = "A18"
    added["name"] = "Support chat"
    new.activities = pd.concat([acts, added])
    new.recipients = pro_at.recipients[pro_at.recipients["recipient_id"] != "linkedin"].copy()
    new.organisation = {**copy.deepcopy(pro_at.organisation), "employee_count": 40}
    new.organisation["controller"]["email"] = "dpo@pro-at.example"
    diff = ropa.diff_registers(pro_at, new)
    got = {(r.table, r.kind, r.key, r.field) for r in diff.itertuples()}
    assert got == {
        ("organisation", "changed", "employee_count", "employee_count"),
        ("organisation", "changed", "controller.email", "controller.email"),
        ("activities", "changed", "A01", "recipients"),
        ("activities", "changed", "A02", "retention"),
        ("activities", "removed", "A16", None),
        ("activities", "added", "A18", None),
        ("recipients", "removed", "linkedin", None),
    }
    a01 = diff[diff["key"] == "A01"].iloc[0]
    assert (a01["added"], a01["removed"]) == (["laposta"], ["mailchimp"])
    assert diff[diff["key"] == "A02"].iloc[0][["old", "new"]].tolist() == ["P7Y", "P10Y"]
    back = apply_register_diff(pro_at, diff)
    assert ropa.diff_registers(back, new).empty


def test_renumbered_activity_is_one_change(pro_at):
    new = copy.deepcopy(pro_at)
    new.activities = pro_at.activities.copy()
    new.activities.at[19, "activity_id"] = "P10"
    diff = ropa.diff_registers(pro_at, new)
    assert diff[["kind", "key", "field", "old", "new"]].values.tolist() == [
        ["changed", "P01", "activity_id", "P01", "P10"]]
    assert ropa.diff_registers(apply_register_diff(pro_at, diff), new).empty


def test_same_register_has_no_diff():
    reg = ropa.load_register(PRO_AT)
    assert ropa.diff_registers(reg, reg).empty
