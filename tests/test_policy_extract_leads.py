"""Extraction rules found diffing real policy versions: a negated list lead-in that goes
on to share "only as described below" introduces the cases of sharing (its items are not
promises), an age threshold ("16 years of age") is not a data category, and a category
named in the plural ("our service providers") is not the one vendor named before it."""

from __future__ import annotations

import pytest

from tests.extraction import actions, rows


def test_items_after_a_lead_that_shares_only_as_described_below_are_disclosures():
    text = ("# Sharing\n\nWe never rent or sell your details to anybody, and we disclose your personal "
            "data only in the cases described below.\n\n"
            "*   Hosting companies: our hosting company stores your account details.\n"
            "*   Payment providers: we pass your billing address to our payment provider.\n")
    acts = actions(text)
    assert "not_share" in acts  # the lead's own promise stands
    assert acts.count("share") >= 2 and acts.count("not_share") == 1


def test_a_negated_lead_with_no_pointer_to_its_list_keeps_the_items_negative():
    text = ("# Sharing\n\nWe never disclose the following to advertisers.\n\n"
            "*   your billing address\n*   your phone number\n")
    assert "share" not in actions(text)


def test_an_age_threshold_is_not_age_data():
    assert rows("You must be 16 years of age to register an account.") == []
    assert not any("user.demographic.age_range" in d for _, d, _ in
                   rows("Children between the ages of 13 and 16 need a parent's consent to sign up."))
    # the age a person gives is still data
    assert any("user.demographic.age_range" in d for _, d, _ in rows("We collect your age and your email address."))


def test_a_category_in_the_plural_is_the_class_not_the_vendor_named_before():
    # "our service providers" speaks of all of them, not of the one analytics vendor just named
    text = ("We rely on Google Analytics to measure visits.\n\n"
            "Our service providers are given access to your information where they need it.\n")
    assert ("share", ["user"], ["third_party.service_provider"]) in rows(text)
    assert not any(r == ["vendor:google-analytics"] and a == "share" for a, _, r in rows(text))


def test_a_lead_whose_collection_is_a_relative_clause_states_a_use_for_each_purpose():
    text = ("Any of the information we gather from you may be used in the following ways:\n\n"
            "* To answer questions about an order: your order history helps us find it.\n"
            "* To tailor the pages you see: your preferences tell us what you like.\n")
    assert actions(text) and set(actions(text)) == {"use"}


@pytest.mark.parametrize(("text", "expected"), [
    ("The contact details that we collect about you are processed to answer your questions.", "use"),
    ("Any usage data we collect may also be used to measure our ads.", "use"),
    # the relative clause belongs to the object, not the subject: collection stands
    ("We collect your email address, which may be used to send you receipts.", "collect"),
])
def test_a_relative_clause_of_collection_does_not_make_the_main_verb(text, expected):
    assert actions(text)[:1] == [expected]


@pytest.mark.parametrize("sentence", [
    "A session cookie lasts only until the browser window is shut.",
    "Persistent cookies stay on the computer until they expire.",
    "Cookies work quietly, and you can switch them off in the browser preferences.",
])
def test_what_a_cookie_is_or_how_the_reader_blocks_it_is_no_tracking(sentence):
    text = f"We use cookies to remember your language.\n\n{sentence}\n"
    assert actions(text) == ["track"]  # only the first sentence tracks
    assert actions(sentence) == []


def test_a_promise_to_give_notice_first_is_no_promise_never_to_collect():
    text = "We will not gather new kinds of personal data without first notifying you by email.\n"
    assert "not_collect" not in actions(text)
    assert actions("We will not gather new kinds of personal data.\n") == ["not_collect"]


def test_parties_that_gain_from_a_purpose_item_are_no_recipients():
    text = ("We may use the personal information we collect:\n\n"
            "* To pay the freelancers and suppliers who work for us;\n"
            "* For legal purposes, including where a court or the police asks.\n")
    assert not any(a == "share" for a in actions(text))
    # an item that itself hands data over is still a disclosure
    given = "We may use the personal information we collect:\n\n* To share your order details with our service providers.\n"
    assert "share" in actions(given)


def test_a_use_lead_whose_data_we_collect_states_a_use_for_each_item():
    text = ("We may use the personal information we collect:\n\n"
            "* To assess a sale of our business, in which the personal information we hold is transferred.\n")
    assert actions(text) == ["use"]


_USE_LEAD = "We may use the personal information we collect:\n\n* "


@pytest.mark.parametrize("text", [
    "We may collect personal information in many ways, including when you register, sign up for communications, or buy something.",
    _USE_LEAD + "To keep in touch with you and respond to comments and questions;\n",
    _USE_LEAD + "For promotions, including offers sent via email or text message;\n",
])
def test_a_subscription_a_reply_or_a_channel_names_no_content_of_the_person(text):
    assert rows(text)
    assert not any(d.startswith("user.content") for _, data, _ in rows(text) for d in data)


def test_a_capitalised_purpose_item_names_no_recipient_for_the_parties_that_ask():
    text = ("We process personal data where the law gives us a basis, including as listed below:\n\n"
            "* To meet legal duties, such as answering requests from courts and the police;\n")
    assert not any(a == "share" for a in actions(text))
