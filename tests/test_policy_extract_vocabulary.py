"""Vocabulary and names found wanting on real policies outside the corpus (issue 17): each rule
on a short text of its own, written for the test."""

from __future__ import annotations

from ropa.policy.cues import named_parties
from ropa.policy.extract import extract


def rows(text: str) -> list[tuple[str, list[str], list[str]]]:
    """(action, data, recipients) of each statement extracted from a text."""
    st = extract(text).statements
    return [(r.action, list(r.data_categories), list(r.recipients)) for r in st.itertuples()]


def recipients(text: str) -> set[str]:
    return {x for _, _, r in rows(text) for x in r}


def test_capitalised_names_of_data_kinds_are_not_companies():
    assert named_parties("We share Billing Data, Support Details, Browser and Network Information with Stripe.") == []
    text = ("| Why | Which data | Basis |\n| --- | --- | --- |\n"
            "| To stop abuse | Profile Data, Session and Device Information | Legitimate interest |\n")
    assert not any(r.startswith("vendor:") for r in recipients(text))


def test_documents_named_in_a_sentence_are_not_companies():
    got = recipients("We share data where needed to enforce our User Terms, Posting Guidelines and Seller Agreement.")
    assert not any(r.startswith("vendor:") for r in got)


def test_a_court_order_is_no_purchase_history():
    got = rows("We disclose information to the authorities when a court order or other legal orders require it.")
    assert got and all("user.behavior.purchase_history" not in d for _, d, _ in got)


def test_address_as_a_verb_is_no_postal_address():
    got = rows("Our moderators review reports and address abusive behaviour in the community using your reports.")
    assert all("user.contact.address" not in d for _, d, _ in got)


def test_the_granularity_of_a_location_is_no_part_of_an_address():
    got = rows("We use the approximate geographical area you search from, at the scale of a region or city.")
    assert got and all(not any(k.startswith("user.contact.address") for k in d) for _, d, _ in got)
    assert any("user.location.imprecise" in d for _, d, _ in got)
    got = rows("Your precise location (street level) is shared with other users; you can switch it to city level.")
    assert all(not any(k.startswith("user.contact.address") for k in d) for _, d, _ in got)
    assert any("user.location.precise" in d for _, d, _ in got)


def test_a_city_a_user_enters_is_still_an_address_part():
    assert ("collect", ["user.name", "user.contact.address.city"], ["we"]) in rows("We collect your name and city.")


def test_identity_papers_and_advertising_ids_are_named():
    got = rows("For account recovery we may ask for a copy of a government-issued identification.")
    assert any("user.government_id" in d for _, d, _ in got)
    assert all("third_party.public_authority" not in r for _, _, r in got)
    assert ("collect", ["user.device.device_id"], ["we"]) in rows("Our app collects mobile advertising IDs.")


def test_a_disclosure_abroad_without_a_country_is_a_transfer():
    for text in ("We may transfer your email address to countries other than the one you live in.",
                 "When we transfer profile data across borders, it is to run our support desk.",
                 "Your order history may be transferred outside the European Economic Area."):
        got = [a for a, _, _ in rows(text)]
        assert "transfer" in got and "share" not in got and "collect" not in got, (text, got)
