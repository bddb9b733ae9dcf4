"""Data named only in an aside of the sentence, a condition on the reader's act or an example
of it, is not the statement's data (issue 17): "if you subscribe to our email news, we collect
details about your hobbies" collects no e-mail address. The aside's data stands when the main
clause names none of its own ("if you give us your phone number, we use it to ...") or the
reader's act hands it over ("when you upload files, ..."). Short texts written for the test."""

from __future__ import annotations

from ropa.policy.asides import aside_spans
from tests.extraction import rows


def data_of(text: str) -> set[str]:
    return {d for a, data, _ in rows(text) if a != "inform" for d in data}


def test_an_example_of_the_readers_act_is_an_aside():
    s = "We keep details about your hobbies (for example, when you answer a survey)."
    assert [s[a:b] for a, b in aside_spans(s)] == ["when you answer a survey"]


def test_the_aside_ends_where_the_main_clause_starts():
    s = "For instance, if you log in with your Acme login, we receive your name."
    (a, b), = aside_spans(s)
    assert "we receive" not in s[a:b]


def test_data_of_an_example_is_not_the_statements():
    got = data_of("We collect details about your hobbies (e.g., when you call us from your phone number).")
    assert "user.contact.phone_number" not in got


def test_data_of_a_condition_is_not_the_statements_when_the_main_clause_names_data():
    got = data_of("If you add your phone number to your profile, we collect information about your hobbies.")
    assert "user.contact.phone_number" not in got
    assert got == {"user"}


def test_the_asides_data_stands_when_the_main_clause_names_none():
    assert "user.contact.phone_number" in data_of("If you give us your phone number, we use it to call you back.")


def test_the_asides_data_stands_when_the_readers_act_hands_it_over():
    assert "user.content.private" in data_of("When you upload files to the app, we also collect information about them.")


def test_a_kind_the_taxonomy_does_not_know_keeps_the_asides_data():
    got = data_of("We only collect this precise tracking data if you have granted location permissions.")
    assert "user.location" in got
