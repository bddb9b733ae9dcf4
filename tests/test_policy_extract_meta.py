"""What a policy says about itself, its summaries, its definitions and its titles: no flow of
their own (issue 17, helper meta). Texts written for these tests."""

from __future__ import annotations

from tests.extraction import actions, rows


def test_an_italic_title_run_into_a_list_item_states_no_flow():
    text = ("# Sharing\n\nWe pass data on in these cases:\n\n"
            "*   _With our affiliates._ We may share your order history with our affiliates to run the shop.\n"
            "*   *With couriers.* We share your postal address with the courier who brings your parcel.\n")
    got = rows(text)
    assert len([r for r in got if "third_party.group_company" in r[2]]) == 1  # the sentence; the title is no share of its own
    assert any("user.contact.address" in d for _, d, _ in got)  # the second item's sentence still speaks
    from ropa.policy.cues import BOLD_LABEL
    assert BOLD_LABEL.match("_With our affiliates._ We may").group(2) == "With our affiliates."
    assert BOLD_LABEL.match("snake_case_name is a word") is None  # an underscore inside a word is no emphasis
    assert BOLD_LABEL.match("**Partners.**We share").group(2) == "Partners."  # bold closed against a word
