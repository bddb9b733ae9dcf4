"""Sentences that speak about data handling without stating a flow of the organisation (issue
17, helper scope): where a notice says how we process, the reader's way out and duty, children
barred from a service, recourse, safeguards, copies that outlast a deletion, a negation that is
only a condition's. Texts written for these tests."""

from __future__ import annotations

from tests.extraction import actions, rows


def test_telling_how_we_process_states_no_flow_of_its_own():
    for text in ("You will find details of how we gather, keep and pass on your data in each part of this notice.",
                 "This chapter explains how Acme stores and uses the data of its newsletter readers.",
                 "Come back to this page now and then so that you know how we collect and keep personal data.",
                 "Before you switch on a new feature, we always tell you what data we'll need and how we'll use it.",
                 "This supplement gives more information about how Acme handles your data in the mobile app.",
                 "Further information about how long we retain your data is found in the section on retention."):
        assert rows(text) == [], text


def test_a_flow_beside_talk_about_how_is_still_read():
    assert "collect" in actions("We collect information about how you use our services.")
    assert "use" in actions("We use your order history to understand how we can improve the shop.")
    assert "collect" in actions("We log the pages you visit, and learn which pages we should improve.")


def test_the_readers_way_out_states_no_flow():
    for text in ("You also have the option to opt out at any time from the use of your data for postal marketing.",
                 "We will give you the chance to opt-out of your data being passed to a third party.",
                 "If you no longer want our tips by mail, you can opt out by changing your mail preferences once signed in.",
                 "You can control which of your reviews appear on your profile and whether to show your email address."):
        assert rows(text) == [], text
    # the flow the way out is about, stated in the same sentence, is still read
    assert "use" in actions("We use your email address to send our newsletter, and you can opt out at any time.")


def test_the_readers_duty_and_childrens_bar_state_no_flow():
    assert rows("You are responsible for keeping the personal data you give us accurate and complete.") == []
    assert rows("We collect your name and email address. Use of the app by anyone under the age of 16 is prohibited.") \
        == [("collect", ["user.name", "user.contact.email"], ["we"])]
    assert rows("In the event that we find out that we have received data from a child under 13, we erase it.") == []


def test_questions_about_the_notice_and_recourse_state_no_flow():
    assert rows("Send any questions or comments about this Privacy Notice, or about transfers of your data abroad, to our team.") == []
    assert rows("If we cannot settle your concern, we have signed up with an independent dispute resolution body.") == []
    # an enquiry about our products is an occasion of collection, not talk about the notice
    assert "collect" in actions("If you send us an enquiry about our products, we collect your name and email address.")


def test_safeguards_and_copies_that_outlast_deletion_state_no_flow():
    assert rows("We take reasonable steps to keep the messages you exchange with other members private.") == []
    assert rows("If you delete a review, copies may remain visible in cached pages or where other members copied it.") == []


def test_a_negation_inside_a_leading_condition_is_no_promise():
    assert rows("Where we cannot rely on an adequacy decision to transfer your data, we use approved contract clauses.") == []
    # a promise after the condition is still a promise
    assert "not_collect" in actions("When you sign up, we do not collect your phone number.")
