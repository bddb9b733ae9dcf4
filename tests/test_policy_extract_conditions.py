"""Negations bounded by a condition, an exception or someone else's duty (issue 17): the scope
of "not ... unless", "not ... other than", a negation after the reader's refusal, the subject
of a duty, and requirements we do not make. Each rule on a short text written for the test;
a real promise next to each rule shows the exception stays an exception."""

from __future__ import annotations

from ropa.policy.extract import extract
from tests.extraction import actions, rows


def test_a_negation_after_the_reader_refuses_is_no_flow_and_no_promise():
    # what the reader's refusal leads to: neither "we get the location" nor "we never do"
    assert actions("If you switch off location services on your tablet, your position will not be passed to us.") == []
    assert actions("When you do not allow access to your camera roll, no photos are uploaded to our servers.") == []
    assert actions("If you decline analytics cookies, we will no longer measure your visits.") == []


def test_a_promise_with_no_refusal_before_it_stays_a_promise():
    assert actions("We will not pass your position to advertisers.") == ["not_share"]
    assert actions("If you ask us to, we will send your order history to you by email.") != []


def test_a_negated_main_clause_bounded_by_the_readers_agreement_states_no_flow():
    # the cookies are what the reader agrees to, not something the sentence says we track
    assert actions("We will not embed third-party map widgets on our pages unless and until you accept our use of cookies.") == []
    assert actions("We do not show the chat button unless you have agreed to our cookies.") == []


def test_a_negated_disclosure_with_a_consent_exception_stays_a_promise():
    assert actions("We do not sell your postal address unless you consent to it.") == ["not_share"]


def test_a_purpose_limitation_is_no_promise_not_to_collect():
    assert actions("We will not use the files you upload for any purpose other than storing them for you.") == []
    assert actions("Your customer records are not processed beyond the scope of the purposes stated in this notice.") == []
    assert actions("We take steps so that your survey answers are not used for any other purpose.") == []


def test_a_negated_use_for_a_named_purpose_and_a_negated_collection_stay_promises():
    assert actions("We do not use your phone number for advertising.") == ["not_collect"]
    assert actions("We do not collect your fingerprints for any purpose.") == ["not_collect"]


def test_a_duty_of_others_with_they_as_subject_is_no_flow_of_ours():
    first = "We share your delivery address with our service providers."
    duty = " They are not permitted to use the address we share for their own marketing."
    assert rows(first + duty) == rows(first) and actions(first) == ["share"]
    assert actions("They are prohibited from selling the profiles we send them.") == []


def test_they_in_the_passive_is_the_data_and_keeps_the_promise():
    # "they" are the records: our promise not to disclose them
    got = actions("We keep your medical records on our own servers. They will not be disclosed to insurers.")
    assert "not_share" in got


def test_a_requirement_we_do_not_make_is_no_flow():
    assert actions("We don't require you to give us your home address to open an account.") == []
    assert actions("We will never oblige you to share your date of birth.") == []


def test_not_requiring_and_not_collecting_together_stay_a_promise():
    assert actions("We do not require or collect your social security number.") == ["not_collect"]


def test_a_promise_to_tell_the_purpose_when_collecting_is_no_collection():
    assert actions("When we obtain personal data from you, we will inform you of the purpose of use.") == []
    assert actions("If we process your data for a new purpose, we will notify you beforehand.") == []


def test_a_notice_sent_by_email_after_a_change_is_not_a_notice_of_purpose():
    # the condition names no flow of ours: the rule for a notice of purpose does not apply
    from ropa.policy.nonflow import NOTICE_OF_PURPOSE
    assert not NOTICE_OF_PURPOSE.match("If we make important changes to this notice, we will notify you by email.")
    assert NOTICE_OF_PURPOSE.match("Whenever we collect your data, we will tell you why.")


def test_blocking_cookies_and_losing_features_is_no_tracking():
    assert actions("If you block some cookies, parts of the shop may not work for you.") == []


def test_never_asking_the_reader_for_data_is_a_promise_not_to_collect():
    # "never ask you to provide" had been read as asking, a flip
    assert actions("We will never ask you to provide your home address.") == ["not_collect"]
    assert actions("We never ask you for your password over the phone.") == ["not_collect"]
    assert actions("We may ask you to provide your phone number.") == ["collect"]


def test_a_notice_about_something_else_than_the_purpose_keeps_the_collection():
    assert actions("When we collect your email address, we will tell you about our newsletter.") == ["collect"]


def test_a_refusal_opening_the_sentence_keeps_the_negation_after_it_in_its_scope():
    # the clauses are not cut apart: stopping after a withdrawal is no promise never to process
    got = actions("If you withdraw your consent, we will no longer process your health data.")
    assert "not_collect" not in got and got == ["inform"]
    assert actions("Unless the law obliges us, we will no longer process your health data.") == ["not_collect"]


_TABLE_AFTER_NEGATION = """# Privacy

## How we use data

Where we rely on consent, you may withdraw it at any time; this does not affect our use of your data until then.

| Why we use your data | Data we use |
| --- | --- |
| To let members recover access to their accounts. | Two-factor verification information (e.g., phone number) |
| To show members' profiles to their connections. | Your name, photo and location |

## Sharing

We do not share the following with advertisers:

- your email address
- your phone number
"""


def test_a_negation_in_the_paragraph_before_a_table_is_no_promise_about_its_rows():
    # the sentence before the table speaks of consent, not of the rows: none is a "does not"
    got = extract(_TABLE_AFTER_NEGATION).statements
    table = got[got.line.between(9, 10)]
    assert not table.action.str.startswith("not_").any()
    # a lead that introduces its list (ending in a colon) still negates its items
    assert list(got[got.line >= 16].action) == ["not_share", "not_share"]


def test_a_request_that_the_reader_not_act_is_no_flow():
    # asking the reader not to send data states neither our collecting nor our promise
    assert actions("If you are under 13, please leave the site: we ask you not to send any personal data to us.") == []
    assert actions("Children are requested not to provide their home address.") == []
    assert actions("We do not collect home addresses from children.") == ["not_collect"]


def test_data_the_reader_may_or_may_not_give_is_no_promise():
    # "may or may not" is either way: what follows is what we hold, not a "does not"
    got = actions("Further account details, which you may or may not provide, include your mobile number.")
    assert got and not any(a.startswith("not_") for a in got)


def test_items_after_a_negation_with_the_following_exceptions_are_the_excepted_disclosures():
    # "not disclosed ... without one of the following exceptions:": each item is a disclosure made
    text = ("# Privacy\n\n## Sharing\n\nYour personal data will not be disclosed to any third parties without one "
            "of the following exceptions:\n\n- to our payment processors, to take your payments;\n"
            "- to the courier that delivers your order.\n")
    items = extract(text).statements
    items = items[items.line >= 7]
    assert len(items) and not items.action.str.startswith("not_").any()


def test_a_negated_use_for_an_aim_we_read_no_purpose_in_is_no_promise_not_to_collect():
    # "not used to identify you": the cookies are used, for other aims; no "never collected"
    assert actions("Our cookies are not used to identify you personally.") == []
    # a purpose read stays a promise bounded by it; a plain negation stays a promise
    assert actions("We do not use your phone number to show you ads.") == ["not_collect"]
    assert actions("We do not use cookies.") == ["not_collect"]
    assert actions("We do not handle or have access to any of your card details.") == ["not_collect"]


def test_a_negation_bound_by_a_case_told_before_is_no_promise():
    # "In such case" points at a condition in an earlier sentence (the reader's opt-out)
    assert actions("In such case, your browsing data will not be shared with ad networks.") == []
    assert actions("Your browsing data will not be shared with ad networks.") == ["not_share"]


def test_the_data_we_hold_about_you_not_reflecting_your_name_is_a_promise_not_to_collect_it():
    # "about you" is the object of "about", not the reader refusing something
    assert actions("The data we collect and process about you does not reflect your name or email address.") == [
        "not_collect"]
    assert actions("The data we collect about you does not contain your phone number.") == ["not_collect"]
