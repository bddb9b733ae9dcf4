"""A party data comes FROM is a source, not a recipient (issue 17, helper sources): the party
introduced by "from" after our verb of getting, or the subject of a verb of giving to us, makes
the statement our collection. Each rule on a short text written for the test."""

from __future__ import annotations

from ropa.policy.extract import extract
from ropa.policy.others import from_source, source_phrase
from tests.extraction import rows


def test_a_party_we_receive_from_is_a_source_even_when_described_as_selling():
    # the relative clause about what the partners do ("buy and sell ad space") gives nothing away
    got = rows("We might obtain your postal address from our retail partners, who buy and sell advertising space.")
    assert got == [("collect", ["user.contact.address"], ["we"])]


def test_a_from_list_after_an_example_marker_names_sources():
    got = rows("We sometimes gather the email addresses of people we do not know yet from, for instance, public "
               "registers and list brokers.")
    assert got and all(a == "collect" and r == ["we"] for a, _, r in got)


def test_what_a_network_lets_others_see_does_not_make_it_our_recipient():
    got = rows("We may get your profile picture from the social network you log in with, and any other details "
               "you allow that network to share with outside companies.")
    assert got and all(a == "collect" and r == ["we"] for a, _, r in got)


def test_a_party_that_sends_us_data_is_a_source():
    got = rows("When you link a photo app, you tell that app to send us your profile picture and email address.")
    assert got and all(a == "collect" and r == ["we"] for a, _, r in got)
    got = rows("Our shipping partners record your delivery address and may pass this information to us.")
    assert got and all(a == "collect" and r == ["we"] for a, _, r in got)


def test_our_own_disclosure_in_the_same_sentence_stays_a_disclosure():
    assert not from_source("We obtain your email address from resellers and we disclose it to our couriers.")
    assert not from_source("We gather, store and share information from and about you.")
    assert "share" in [a for a, _, _ in rows("We receive your phone number from partners and share it with our "
                                            "advertising partners.")]


def test_services_or_consent_given_to_us_are_no_data():
    assert not from_source("Our vendors provide us with hosting, IT support and related services.")
    assert not from_source("Our vendors provide cloud services to us.")
    assert not from_source("We process data when customers give us consent.")


def test_a_giving_someone_only_suspects_is_no_collection():
    assert not from_source("If you believe a minor has sent us personal data, write to us.")


def test_the_source_is_kept_as_the_condition():
    assert source_phrase("We may receive your data from our resellers, such as shops that sell our products.") \
        == "from our resellers"
    st = extract("We may receive your email address from our resellers, such as shops.").statements
    assert list(st.condition) == ["from our resellers"]


def test_a_party_whose_account_the_data_belongs_to_is_no_recipient():
    assert rows("When you sign in this way, we record your name and email address associated with that outside "
                "application.") == [("collect", ["user.name", "user.contact.email"], ["we"])]
    # a receiver named after the data's owner still receives it
    assert ("share", ["user.contact.email"], ["third_party.service_provider.payment"]) in rows(
        "We share the email address associated with your account with our payment processor.")


def test_where_the_reader_posted_what_we_gather_is_a_source():
    got = rows("We may gather the photos and comments you post to a forum or a social network like Facebook.")
    assert got and all(a == "collect" and r == ["we"] for a, _, r in got)
    assert source_phrase("We may gather public information you post to a forum or a photo site.") \
        == "from a forum or a photo site"
