"""Negations found wanting on real policies outside the corpus (issue 17): each rule on a short
text of its own, written for the test. A negation read as a positive flow is the worst error
extraction can make, so each test checks the promise comes out negative."""

from __future__ import annotations

from ropa.policy.extract import extract
from tests.extraction import actions, rows


def test_adverbs_joined_between_never_and_the_verb_keep_the_negation():
    assert actions("Our shop never deliberately or knowingly stores the phone numbers of minors.") == ["not_collect"]
    assert actions("We do not intentionally or systematically sell your email address.") == ["not_share"]


def test_a_choice_or_undertaking_not_to_act_is_a_promise():
    assert actions("The association has decided not to record your postal address.") == ["not_collect"]
    assert actions("We have committed to not pass your phone number on to advertisers.") == ["not_share"]


def test_the_reader_choosing_not_to_act_is_no_promise_of_ours():
    assert "not_share" not in actions("You may choose not to give us your phone number.")
    assert "not_collect" not in actions("You can decide not to save your billing address in your account.")


def test_a_negation_written_twice_by_mistake_is_read_once():
    got = actions("We do not do not place advertising cookies on your computer.")
    assert got and set(got) == {"not_collect"}


def test_not_putting_a_tracker_on_the_device_is_a_negation():
    for text in ("When you browse our catalogue, we do not set any marketing cookies in your browser.",
                 "Our app does not embed third-party trackers or advertising identifiers."):
        got = actions(text)
        assert "track" not in got and "collect" not in got, text


def test_the_controllers_own_search_engine_is_no_recipient():
    got = rows("Whenever you open our search engine, your browser sends us its IP address.")
    assert got and all(r == ["we"] for _, _, r in got)
    assert all("third_party.search_engine" not in r for _, _, r in rows("Please use the search engine without an account."))


def test_search_engines_that_index_public_pages_stay_recipients():
    got = rows("We may share your display name and profile photo with search engines.")
    assert any("third_party.search_engine" in r for _, _, r in got)


def test_a_disclosure_without_data_does_not_take_the_data_of_a_negation_before_it():
    text = "We never store your precise location. Our payment processor handles refunds for us."
    got = rows(text)
    assert ("not_collect", ["user.location.precise"], ["we"]) in got or any(a == "not_collect" for a, _, _ in got)
    assert not any(a == "share" and "user.location.precise" in d for a, d, _ in got)


def test_parties_kept_from_acting_are_no_recipients():
    got = rows("We route every request through our proxy, which prevents the content providers from building "
               "a profile of your searches and your browsing.")
    assert not any(a in ("share", "transfer") for a, _, _ in got)


def test_someone_elses_collecting_is_no_flow_of_ours():
    for text in ("Other websites follow your browsing history to build advertising profiles.",
                 "Those partners usually gather your IP address through their own SDKs.",
                 "Maps are loaded from the servers of their map provider, which may record your IP address."):
        assert not any(r == ["we"] and a in ("collect", "use", "track") for a, _, r in rows(text)), text


def test_a_third_party_named_as_subject_still_receives_the_data():
    got = rows("These analytics providers may use your IP address to count visits.")
    assert got and all(r != ["we"] for _, _, r in got)


def test_keeping_or_deleting_with_no_period_is_no_collection():
    for text in ("Unless you sign back in within a month, your profile and everything in it will be deleted.",
                 "We may have to retain some invoices in an archive where tax law obliges us to.",
                 "We retain your data as long as the purposes it was collected for require.",
                 "Once you close your account we start the process of deleting your messages from our servers."):
        assert not any(a in ("collect", "use") for a, _, _ in rows(text)), text


def test_keeping_something_relevant_is_no_retention():
    got = rows("To keep offers relevant, ads are chosen based on the city you connect from.")
    assert any(a == "use" for a, _, _ in got)


def test_logging_in_is_not_logging_data():
    for text in ("If you log in with your username, you can see your orders.",
                 "Your session ends if you do not log back in with your email address."):
        assert "collect" not in [a for a, _, _ in rows(text)], text


def test_data_kept_apart_from_what_is_processed_is_not_processed():
    got = rows("We keep your search queries, stripped from any identifiers such as your IP address, for a week.")
    assert got and all("user.device.ip_address" not in d for _, d, _ in got)
    got = rows("We store your purchase history, not linked to your email address.")
    assert got and all("user.contact.email" not in d for _, d, _ in got)


def test_the_terms_of_a_transfer_outside_the_eea_are_no_transfer_of_their_own():

    text = ("# Privacy\n\n## Transfers\n\nTo the extent that we transfer personal data to third parties outside the "
            "European Economic Area, we ensure that the recipient's country offers an adequate level of data "
            "protection or that standard contractual clauses are in place.\n")
    assert extract(text).statements.empty
    # a transfer that names its recipient and country is one, whatever its terms
    named = ("# Privacy\n\n## Transfers\n\nWe transfer your email address to Mailchimp in the United States under "
             "standard contractual clauses.\n")
    assert list(extract(named).statements.action) == ["transfer"]


def test_data_others_share_with_us_is_our_collection():
    got = rows("When your contacts import their address books, they may share your phone number with us.")
    assert got and all(a == "collect" and r == ["we"] for a, _, r in got)


def test_a_hedged_negation_is_neither_a_promise_nor_a_flow():
    got = rows("As we do not necessarily store your email address, we may ask for proof of identity.")
    assert all("user.contact.email" not in d for _, d, _ in got)
    assert ("collect", ["user.government_id"], ["we"]) in got


def test_a_promise_in_the_perfect_tense_is_negative():
    # "have not" + past participle: a statement about what was (not) done, not a disclosure
    assert actions("# Sharing\n\nWe have not sold or shared your contact details in the last year.") == ["not_share"]
    assert actions("# Children\n\nWe haven't knowingly collected data from children.") == ["not_collect"]


def test_the_reader_who_has_not_shared_something_makes_no_promise_of_ours():
    acts = actions("# Location\n\nIf you have not shared your location with us, we estimate it from your IP address.")
    assert "not_share" not in acts and "collect" in acts


def test_data_named_in_a_negated_purpose_of_identifying_someone_is_not_withheld():
    # "we do not use X to find out your name" promises nothing about collecting the name itself
    got = rows("# Cookies\n\nWe do not use our cookies to find out your name or your phone number.")
    assert got and not any(d in ("user.name", "user.contact.phone_number") for _, data, _ in got for d in data)
    # said positively, the purpose's data are processed
    assert any("user.name" in data for _, data, _ in rows("# Cookies\n\nWe use cookies to find out your name."))


def test_contracted_will_not_and_cannot_are_negations():
    # "won't" is not "will" + "n't" and "can't" is not "can" + "n't": both were read as doing
    for text, negated in (("The club won't sell your phone number to sponsors.", "not_share"),
                          ("The club won’t rent your postal address to anyone.", "not_share"),
                          ("Our staff won't store your card number.", "not_collect"),
                          ("We can't read the private messages you send to friends.", "not_collect")):
        got = actions(text)
        assert got and set(got) == {negated}, (text, got)
    assert "share" in actions("We share your phone number with the courier, but we won't sell it.")
    assert "not_share" in actions("We share your phone number with the courier, but we won't sell it.")


def test_a_request_or_signal_named_do_not_sell_is_no_promise():
    for text in ("Our newsletter keeps running after a do not sell request.",
                 "We read the browser's do-not-track signal before we show ads."):
        assert "not_share" not in actions(text), text
        assert "not_collect" not in actions(text), text
    got = actions("We may share your email address with couriers, and that is unaffected by a do not sell request.")
    assert "share" in got and "not_share" not in got


def test_a_negation_opening_a_condition_of_ours_is_no_promise():
    for text in ("If we do not provide a way to opt out, we will erase your phone number when you ask.",
                 "In case we cannot confirm your identity, we keep your request on file."):
        got = actions(text)
        assert "not_share" not in got and "not_collect" not in got, (text, got)
    assert actions("We do not sell your phone number to anyone.") == ["not_share"]


def test_a_request_to_the_reader_joined_to_another_is_no_promise():
    text = ("Your account follows our terms. If your school should not see your account, sign up with "
            "a personal email address and do not use the address your school gave you.")
    got = actions(text)
    assert "not_collect" not in got and "not_share" not in got, got
    assert actions("We keep your email address and never share it.") == ["not_share"]


def test_a_quoted_do_not_track_signal_is_a_name():
    for text in ("The shop does not currently respond to 'do not track' signals.",
                 "We do not answer “do not track” requests sent by browsers."):
        got = actions(text)
        assert "not_collect" not in got and "not_share" not in got, (text, got)


def test_a_quoted_verb_with_its_comma_inside_the_quotes_keeps_the_negation():
    got = actions("We do not knowingly “sell,” as the state's law defines it, the data of children.")
    assert got and set(got) == {"not_share"}, got
