"""Promises read backwards ("flipped"), found on real policies outside the corpus: a data
verb inside the scope of a negation that belongs to another verb ("we don't earn money from
selling your data") is no flow we can read, a limit put as a negation ("not more than is
necessary") denies nothing, and a negation whose verb is another's object ("this notice does
not cover the use of cookies") is no promise. Each rule on sentences written for the test."""

from __future__ import annotations

from ropa.policy.extract import extract
from ropa.policy.negscope import hidden_in_negation, negation_scopes
from tests.extraction import actions, rows

POSITIVE = {"collect", "use", "share", "transfer", "track"}


def _review(text: str) -> list[str]:
    return list(extract(f"# Privacy\n\n{text}\n").review["reason"])


def test_a_sale_under_another_verbs_negation_is_no_disclosure():
    for text in ("We do not earn any money from selling your details to advertisers.",
                 "Our revenue comes from subscriptions, not from renting your contact details to data brokers.",
                 "We offer no discount tied to the collection, use or disclosure of your email address, and do not plan to."):
        got = actions(text)
        assert not POSITIVE & set(got), (text, got)


def test_such_a_sentence_goes_to_review_as_an_unclear_negation():
    assert _review("We do not earn any money from selling your personal data to advertisers.") == ["unclear negation"]


def test_a_purpose_inside_a_never_is_no_collection():
    got = actions("Our staff will never phone you to ask for your bank password or your card number.")
    assert "collect" not in got and "use" not in got


def test_a_complement_of_knowing_stays_in_the_negation():
    got = actions("The club has no means to know, and does not know, that it sells the data of children under 13.")
    assert "share" not in got
    assert "share" not in actions("The club does not have knowledge that it shares the data of children under 13.")


def test_a_negation_whose_verb_is_anothers_object_is_no_promise():
    got = actions("This notice does not cover the use of cookies by advertisers.")
    assert "not_collect" not in got


def test_a_limit_put_as_a_negation_denies_nothing():
    text = "We try hard not to process more of your personal information than is strictly necessary."
    got = actions(text)
    assert "not_collect" not in got and "not_share" not in got
    assert _review(text) == []  # a minimisation, read as such


def test_data_named_only_inside_a_negation_is_not_the_flows():
    got = rows("We publish yearly reports (which hold only totals and never contain your messages or contact lists).")
    assert not any(a in POSITIVE and "user.content.private" in d for a, d, _ in got)


def test_a_data_verb_before_no_is_a_negation():
    assert actions("We sell no personal data to anyone.") == ["not_share"]
    assert actions("Our servers keep no logs of your activity.") == ["not_collect"]
    assert actions("No one at our company reads your messages.") == ["not_collect"]
    assert actions("We give no guarantee that your personal data is safe.") != ["not_share"]


def test_a_relative_clauses_negation_is_no_promise_of_ours():
    got = actions("If you send a request through an agent who does not provide a signed mandate, we may refuse it.")
    assert "not_share" not in got


def test_flows_outside_the_negation_are_kept():
    got = actions("We never sell your contact details, but we share them with our hosting provider.")
    assert "not_share" in got and "share" in got
    assert "transfer" in actions("We could not run the service without transferring your account data to the United States.")
    assert "collect" in actions("The data we collect includes, but isn't limited to, your email address and phone number.")


def test_negation_scopes_end_with_their_clause():
    t = "We don't sell your data; we store it with our host."
    assert [t[a:b] for a, b in negation_scopes(t)] == ["n't sell your data"]
    assert negation_scopes("We could not serve you without transferring it.") == [(9, 23)]
    assert negation_scopes("It includes, but is not limited to, your name.") == []
    assert hidden_in_negation("share", "Data that does not identify you may be shared with partners.")[0] is False


def test_refusing_or_giving_up_a_processing_is_a_promise():
    assert actions("Our shop refuses to sell your personal data.") == ["not_share"]
    assert actions("We refrain from sharing your email address with advertisers.") == ["not_share"]
    assert actions("By our charter we are prohibited from renting your personal data.") == ["not_share"]
    assert actions("We have stopped collecting your precise location.") == ["not_collect"]
    assert actions("We avoid storing your IP address.") == ["not_collect"]
    assert actions("Selling your personal data is not something we do.") == ["not_share"]
    # the reader's refusal is no promise of ours, and what follows it still happens
    assert "collect" in actions("If you refuse cookies, we will still collect your IP address.")
