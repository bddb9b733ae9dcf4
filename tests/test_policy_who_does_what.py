"""Who does what (issue 17, helper actors2): the controller named by a quoted short name and no
"we" is the controller, not a recipient; a sentence in which we both give data to a party and
get data from one states two flows; rights the organisation keeps, or protects, are not the
reader's. Each rule on a short text written for the test."""

from __future__ import annotations

from ropa.policy.extract import extract
from ropa.policy.ownnames import named_as_ours
from tests.extraction import rows


def test_a_company_defined_by_a_short_name_that_runs_the_site_is_the_controller():
    text = ("# Privacy\n\nQuillet Publishing Group plc (\"Quillet\") owns and operates this website.\n\n"
            "Quillet collects your email address when you subscribe.\n\n"
            "Quillet shares your email address with advertising partners.\n")
    got = rows(text)
    assert ("collect", ["user.contact.email"], ["we"]) in got
    assert ("share", ["user.contact.email"], ["third_party.advertising"]) in got
    assert all(not r.startswith("vendor:") for _, _, rs in got for r in rs)
    assert "Quillet" in extract(text).meta["controller"]


def test_a_family_of_companies_named_in_the_policys_own_sentence_is_the_controller():
    assert named_as_ours("This notice describes how the Brambleton family of companies (“Brambleton”) "
                         "handles what you give us.") == ["Brambleton"]


def test_a_processor_defined_by_a_short_name_is_not_the_controller():
    assert named_as_ours("Card payments go to Paywise, Inc. (“Paywise”), which processes them for us.") == []
    assert named_as_ours("This Privacy Policy does not apply to Tollgate Ltd. (“Tollgate”).") == []
    assert named_as_ours("Paywise, Inc. (“Paywise”) operates the payment page.") == []


def test_a_right_we_reserve_is_our_disclosure_not_the_readers_right():
    got = rows("We reserve the right to disclose your email address to the police where the law requires it.")
    assert [a for a, _, _ in got] == ["share"]


def test_a_governmental_request_and_the_safety_of_our_users_are_no_rights_of_the_reader():
    got = rows("Brambleton may disclose your postal address if needed to answer an enforceable governmental "
               "request or to protect the rights, property or safety of Brambleton, its members or the public.")
    assert [a for a, _, _ in got] == ["share"]
    assert all("third_party.other_users" not in r for _, _, r in got)


def test_a_right_we_reserve_to_change_the_policy_states_no_flow():
    assert rows("We reserve the right to amend this notice at any time.") == []


def test_giving_to_and_getting_from_the_same_party_are_two_flows():
    got = rows("We share with, and receive from, our group companies your purchase history.")
    assert sorted(a for a, _, _ in got) == ["collect", "share"]
    st = extract("We may exchange your postal address with our advertising partners.").statements
    assert sorted(st.action) == ["collect", "share"]
    assert list(st[st.action == "collect"].condition) == ["from advertising partners"]


def test_two_clauses_keep_their_own_data_and_parties():
    st = extract("We receive your phone number from resellers and share your email address with them.").statements
    got = {r.action: (list(r.data_categories), list(r.recipients), r.condition) for r in st.itertuples()}
    assert got["collect"] == (["user.contact.phone_number"], ["we"], "from resellers")
    assert got["share"][0] == ["user.contact.email"]


def test_an_exchange_we_do_not_make_and_an_exchange_for_something_are_one_statement():
    assert "collect" not in [a for a, _, _ in rows("We never exchange your email address with advertisers.")]
    assert "collect" not in [a for a, _, _ in rows("We share your email address with partners in exchange for "
                                                   "discounts.")]
