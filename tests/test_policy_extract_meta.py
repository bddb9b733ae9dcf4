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


def test_a_policy_describing_itself_or_the_policies_it_points_to_states_no_flow():
    assert rows("This “Notice” explains which personal data we gather and how we pass it on.") == []
    assert rows("The supplemental policies describe what personal data we collect for each app.") == []
    assert rows("Besides this, we publish privacy information specific to each of our apps that use your data.") == []
    assert rows("In addition to this Privacy Notice, some apps come with their own notice.") == []
    # a flow stated beside it is still read, and a promise in the same words is kept
    assert "collect" in actions("We collect your phone number when you sign up.")
    assert "not_share" in actions("As this notice explains, we never sell your personal data.")


def test_a_summary_list_under_a_policy_is_designed_to_describe_lead_states_no_flow():
    text = ("# About this notice\n\nThis Privacy Notice is designed to describe:\n\n"
            "* What personal data we gather and why\n"
            "* Who we pass your personal data on to\n"
            "* That we never sell your personal data\n")
    assert actions(text) == ["not_share"]  # the topics are gone, the promise stays


def test_data_minimisation_stated_as_a_principle_is_no_flow():
    assert rows("Our guiding rule is to gather as little personal information as we can.") == []
    assert rows("We only process the minimum amount of personal data necessary.") == []
    # naming the data makes it a flow
    assert "collect" in actions("We collect as little as possible: only your email address.")


def test_a_question_asked_as_a_summary_heading_states_no_flow():
    text = ("# Summary\n\n**Which personal data do we gather, and how do we gather it?**\n\n"
            "We gather your email address when you sign up.\n\n"
            "[**With whom is your personal data shared**](#sharing)**?**\n\n"
            "We share your email address with our mailing provider.\n")
    got = rows(text)
    assert [a for a, _, _ in got] == ["collect", "share"]  # the answers, not the questions
    assert all("user.contact.email" in d for _, d, _ in got)
    from ropa.policy.nonflow import QUESTION
    assert QUESTION.match("Do we sell your data?") and not QUESTION.match("We tell you what we do?!  Yes.")
    # the answer's promise is kept
    assert actions("# In short\n\n**Do we sell your personal data?** No, we never sell your personal data.\n") == ["not_share"]


def test_a_sentence_defining_a_term_for_parties_names_no_flow():
    text = ("Our apps include products, ads and content for our affiliates, advertisers, ad networks and other "
            "partners (hereinafter collectively referred to as the “Sponsors”) and for people other than you.")
    assert rows(text) == []
    # a flow that defines its recipients on the way is still read
    got = rows("We share your email address with outside firms that send our newsletters "
               "(collectively, the “Mailers”).")
    assert got and got[0][0] == "share" and "user.contact.email" in got[0][1]


def test_the_words_of_a_quoted_law_title_are_no_companies():
    from ropa.policy.cues import named_parties
    text = ("We pass your address to our affiliates as defined in the “Regulation on Accounts, Ledgers, "
            "and Reporting Duties of Listed Firms”, and to Stripe, Adyen, and Braintree.")
    names = [n for n, _ in named_parties(text)]
    assert "Stripe" in names and not any(n in names for n in ("Ledgers", "Reporting Duties", "Accounts"))


def test_a_lead_pointing_back_with_for_example_takes_the_sentence_before():
    text = ("# Data you give us\n\nWe may ask you to provide us with your personal data on our forms.  \n"
            "The above personal data includes, for example:\n\n"
            "* Your phone number when you sign up\n* Your answers to our surveys\n\n"
            "# Data about your use\n\nWe keep records of what you do.  \n"
            "The foregoing personal data includes, for example:\n\n* Times of day\n")
    got = rows(text)
    assert ("collect", ["user.contact.phone_number"], ["we"]) in got  # not a use: the sentence before collects
    assert all(a != "use" for a, _, _ in got)  # the second lead is no use of "personal data" of its own


def test_an_opening_pointing_back_lends_no_data_to_its_sentence():
    text = ("In addition to the ways your public reviews are shown as described above, we may pass on "
            "your phone number to couriers.")
    got = rows(text)
    assert got and all("user.content.public" not in d for _, d, _ in got)
    assert any("user.contact.phone_number" in d for _, d, _ in got)
