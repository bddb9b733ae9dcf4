"""More general rules of policy extraction (issue 17), each on a short text of our own: list
items that name several data after a label, rows of processing tables, who collects when we
and our providers do, negations of a use, and data phrases any policy may use."""

from __future__ import annotations

from ropa.policy.extract import extract


def rows(text: str) -> list[tuple[str, list[str], list[str]]]:
    """(action, data, recipients) of each statement extracted from a text."""
    st = extract(text).statements
    return [(r.action, list(r.data_categories), list(r.recipients)) for r in st.itertuples()]


def data_of(text: str) -> set[str]:
    return {d for _, data, _ in rows(text) for d in data}


# -- list items -----------------------------------------------------------------------------------

def test_an_item_goes_on_through_short_unknown_phrases():
    text = ("When you order, we receive:\n\n"
            "- Card payments: order reference, holder name, country of residence and email address\n")
    assert {"user.name", "user.contact.address.country", "user.contact.email"} <= data_of(text)


def test_an_item_still_ends_at_a_clause_after_a_comma():
    text = "We collect:\n\n- Your phone number, which we use to reach you about your order and your address\n"
    got = data_of(text)
    assert "user.contact.phone_number" in got
    assert "user.contact.address" not in got


# -- vocabulary -------------------------------------------------------------------------------------

def test_phrases_for_career_identity_papers_bank_and_visits():
    text = ("We collect:\n\n- your professional background\n- a proof of identity\n- your bank details\n"
            "- the date and time of your visit\n- the website visited before ours\n- metadata of your uploads\n")
    assert {"user.job_title", "user.government_id", "user.financial.bank_account", "user.behavior",
            "user.behavior.browsing_history", "user.telemetry"} <= data_of(text)
