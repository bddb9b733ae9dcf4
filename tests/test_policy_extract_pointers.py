"""List leads, pointers and protected parties (issue 17, helper leads): a sentence or list
lead-in that only says what a kind of data holds takes the action of the statement that
brought that data up (a collection when none did), not "use"; a pointer to another page or
a paragraph that is only a link states no flow; a party named as protected is no recipient;
a lead-in that makes things public discloses its items to other users. Each rule on a
short text written for the test."""

from __future__ import annotations

from ropa.policy.clauses import DATA_LEAD, HOLDS_DATA
from ropa.policy.nonflow import POINTER
from ropa.policy.others import protected_parties
from tests.extraction import actions, rows


def test_a_lead_saying_what_a_kind_of_data_holds_takes_the_collection_before_it():
    text = ("# Data\n\nWhen you sign up for the club, we ask you for some details about yourself. "
            "Member details may include, but are not limited to:\n\n"
            "*   your email address\n*   your date of birth\n")
    got = rows(text)
    assert got and all(a == "collect" for a, _, _ in got)
    assert any("user.contact.email" in d for _, d, _ in got)


def test_a_pointing_lead_after_a_sentence_with_no_flow_lists_what_is_collected():
    text = ("# Data\n\nWe gather some details when you join. Without them the club cannot run. "
            "This information includes:\n\n*   your postal address\n*   your phone number\n")
    assert "use" not in actions(text)
    assert actions(text).count("collect") >= 1


def test_a_sentence_saying_what_a_kind_of_data_holds_is_not_a_use():
    text = ("# Data\n\nOur app records crash data when it stops working. "
            "This crash data may include your IP address and the model of your phone.")
    got = rows(text)
    assert "use" not in [a for a, _, _ in got]
    assert any(a == "collect" and "user.device.ip_address" in d for a, d, _ in got)
    # ... also after a leading clause, and a flow of its own after the verb still counts
    assert HOLDS_DATA.match("When you travel, such location data contains the city you are in")
    assert DATA_LEAD.match("Personal details may include, but are not limited to:")
    assert not DATA_LEAD.match("Our use of your data includes:")


def test_a_pointer_to_another_page_states_no_flow():
    assert actions("# About\n\nIf you live in Canada, visit our Regional Notice page to learn about how we "
                   "share your personal data with partners.") == []
    assert actions("# About\n\nTap here to learn more about how we use and retain personal information.") == []
    assert POINTER.match("Please follow the links below and read the details there with information about "
                         "our processing.")
    # a practice stated in the same words is no pointer
    assert not POINTER.match("If you visit our website, we collect your IP address to learn how it is used.")


def test_a_paragraph_that_is_only_a_link_states_no_flow():
    text = ("# Contents\n\n[1. Data We Collect](#collect)\n\n[2. How We Share Data](#share)\n\n"
            "# Collect\n\nWe collect your email address.\n")
    got = rows(text)
    assert [a for a, _, _ in got] == ["collect"]


def test_a_party_named_as_protected_is_no_recipient():
    got = rows("# Use\n\nWe may use your personal data to protect our club, our partner clubs and the safety "
               "of other members.")
    assert got and all(a == "use" for a, _, _ in got)
    assert actions("# Use\n\nYour data is processed on the basis of the legitimate interests of our "
                   "sponsors.") in ([], ["use"])
    # a disclosure made to protect someone keeps its recipient
    assert "share" in actions("# Sharing\n\nWe may disclose your personal data when we believe this is needed "
                              "to protect the safety of other people.")
    text = "We use it to protect our partners, which includes checking your age."
    assert [text[a:b] for a, b in protected_parties(text)] == ["our partners"]


def test_a_lead_that_makes_things_public_shares_its_items_with_other_users():
    text = ("# Profile\n\nYou may make some of your details visible to everyone, such as:\n\n"
            "*   your display name\n*   the photos you post\n")
    got = rows(text)
    assert got and all(a == "share" and r == ["third_party.other_users"] for a, _, r in got)


def test_the_readers_own_use_is_not_ours():
    # "the features you use": the reader uses them; no use of data by us is stated
    assert actions("# Data\n\nSome settings depend on the features you use.") == []
    # ... while our inferring from data is a use of it
    got = rows("# Data\n\nWe may infer your region based on your IP address.")
    assert got and got[0][0] == "use" and "user.device.ip_address" in got[0][1]
