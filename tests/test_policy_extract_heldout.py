"""Rules found wanting on privacy policies outside the corpus (issue 17, held-out check by
helper sent2): each on a short text written for the test. Flips first: a "not" read as a
"does" is the worst error extraction can make."""

from __future__ import annotations

from ropa.policy.parse import split_sentences
from tests.extraction import actions, rows


def test_data_made_unreachable_for_others_is_no_disclosure():
    got = actions("Once you close your account, your uploads are wiped and become inaccessible to other members.")
    assert "share" not in got
    got = actions("Your saved drafts are not accessible by the public.")
    assert "share" not in got and got == ["not_share"]


def test_a_passive_not_provided_to_is_a_promise():
    got = actions("We check who writes to us so that your billing address is not provided to anyone but you.")
    assert got and "share" not in got and "not_share" in got


def test_a_data_set_that_does_not_include_some_data_withholds_it():
    got = rows("Diagnostic logs never contain the text of your messages.")
    assert got and all(a == "not_collect" for a, _, _ in got)
    got = actions("Error reports do not include your photos or your contact list.")
    assert got and set(got) == {"not_collect"}


def test_an_exception_naming_parties_is_no_negation():
    # "this does not include <parties>" carves the parties out of a promise: they do get data
    assert "not_collect" not in actions("We never sell your data. This does not include trusted partners who host our website.")


def test_a_missing_space_after_a_full_stop_still_ends_the_sentence():
    got = [s.text for s in split_sentences("Your birthday is never shown to anyone.You can add a public bio.")]
    assert got == ["Your birthday is never shown to anyone.", "You can add a public bio."]
    # not inside a domain name or an abbreviation
    assert len(split_sentences("Visit example.com for details. See the U.S.A. section.")) == 2


def test_a_promise_stays_apart_from_the_next_sentence_when_the_space_is_missing():
    got = rows("Your birthday is never shown to other users.You may add a bio that is always public.")
    neg = [d for a, d, _ in got if a == "not_share"]
    assert neg and all("user.demographic.profile" not in d for d in neg)


def test_a_non_prefixed_data_word_is_not_that_data():
    got = rows("We hand over non-content data to the police when a court orders it.")
    assert all("user.content" not in d for _, d, _ in got)
