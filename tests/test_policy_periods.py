"""Retention periods read from sentences (ropa/policy/periods.py): a period, an event, a need."""

from __future__ import annotations

import pytest

from ropa.policy.extract import extract
from ropa.policy.periods import retention_period


@pytest.mark.parametrize(("text", "expected"), [
    ("We may keep your account details as necessary to run the purposes we obtained them for.",
     "as necessary to run the purposes we obtained them for"),
    ("Order records are retained as reasonably required by our accountants.", "as reasonably required by our accountants"),
    ("Your messages are kept as is necessary for delivering them.", "as is necessary for delivering them"),
])
def test_keeping_as_a_need_requires_is_a_retention_without_a_period(text, expected):
    period = retention_period(text)
    assert period is not None and period.retention == expected
    st = extract(text).statements
    assert st.action.tolist() == ["retain"]
    assert st.retention.tolist() == [expected]


@pytest.mark.parametrize("text", [
    # storing or holding "as needed" is taking data in, not a statement of how long
    "We store your payment card as needed to complete the purchase.",
    # a need with no keeping verb
    "We collect your postal address as necessary to deliver your parcel.",
])
def test_a_need_without_a_keeping_verb_is_no_retention(text):
    period = retention_period(text)
    assert period is None or not period.retention.startswith("as ")
    assert "retain" not in extract(text).statements.action.tolist()


def test_a_period_wins_over_a_need_and_an_event_over_a_need():
    assert retention_period("We keep invoices as required by law for ten years").retention == "P10Y"
    assert retention_period("We retain logs as necessary to investigate abuse, until the case is closed").retention == \
        "until the case is closed"


def test_keeping_as_a_need_is_ours_even_when_a_processor_is_named_beside_us():
    st = extract("We or our service providers may have to retain your personal data as required by law.").statements
    assert st.action.tolist() == ["retain"]
    assert list(st.iloc[0].recipients) == ["we"]
