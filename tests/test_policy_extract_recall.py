"""General extraction rules that raise recall on real policies, each on a short text of its
own: reaching the reader by a channel, vocabulary for what people store and do on a site."""

from __future__ import annotations

from ropa.policy.extract import extract
from tests.extraction import rows


def test_notices_sent_to_the_reader_by_a_channel_use_its_address():
    assert rows("Reminders about your booking are sent to you by email.") == [
        ("use", ["user.contact.email"], ["we"])]
    assert rows("A confirmation code will be sent to your phone number.") == [
        ("use", ["user.contact.phone_number"], ["we"])]


def test_a_channel_given_only_as_an_example_states_no_practice():
    assert rows("We may tell you about updates, for example by email.") == []


def test_a_way_to_reach_us_is_no_use_of_the_reader_s_address():
    assert rows("You can ask us for more information via email.") == []


def test_code_repositories_are_content_the_person_provides_and_our_own_source_code_is_not():
    got = rows("We store the following data you give us:\n\n- code repositories you push\n- your username\n")
    assert got[0][1] == ["user.content"]
    assert rows("Our source code is published at:\n\n- Source code: https://example.org/code\n") == []


def test_what_a_visitor_did_on_the_site_is_browsing_behaviour():
    got = rows("We keep a record of:\n\n- your IP address\n- what you did on the site\n")
    assert any("user.behavior.browsing_history" in d for _, d, _ in got), got


def test_data_gathered_this_way_is_the_data_just_spoken_of_even_when_it_is_kept():
    st = extract("We record the IP address of every visitor. "
                 "Information recorded in this way is erased in 14 days.").statements
    kept = st[st.action == "retain"]
    assert len(kept) == 1
    assert list(kept.iloc[0].data_categories) == ["user.device.ip_address"]
    assert kept.iloc[0].retention == "P14D"


def test_a_number_of_days_after_an_erasing_verb_is_a_retention_period():
    st = extract("Support tickets are removed in 90 days.").statements
    assert st.retention.tolist() == ["P90D"]


def test_data_set_apart_with_but_not_is_a_negation_of_its_own():
    got = rows("We keep the dates of your orders, but not your card number.")
    assert ("not_collect", ["user.financial.credit_card"], ["we"]) in got
    assert not any(a == "not_collect" and "user.behavior.purchase_history" in d for a, d, _ in got)


def test_data_set_apart_in_a_list_item_is_a_negation_of_its_own():
    text = "Our practice:\n\n- We may view the names of your files but not your file contents when you ask for help.\n"
    got = rows(text)
    assert ("not_collect", ["user.content.private"], ["we"]) in got


def test_data_set_apart_from_a_disclosure_is_not_disclosed_and_no_promise_of_ours():
    got = rows("We share your email address with our payment processor but not your name.")
    assert got == [("share", ["user.contact.email"], ["third_party.service_provider.payment"])]


def test_but_not_limited_to_sets_nothing_apart():
    assert rows("We collect data including but not limited to your name.") == [("collect", ["user.name"], ["we"])]


def test_what_the_person_writes_into_a_message_is_its_content():
    got = rows("When you write to our help desk, we keep the details you include in your message.")
    assert got == [("collect", ["user.content.private"], ["we"])]
    text = "What we process:\n\n- Support chat: your name and any other information you type into the chat.\n"
    assert ("use", ["user.name", "user.content.private"], ["we"]) in rows(text)


def test_a_disclosure_a_court_can_compel_is_shared_with_the_court():
    got = rows("We may be compelled to hand over your account data when a court of law orders it.")
    assert got == [("share", ["user.account"], ["third_party.public_authority.court"])]
    assert rows("These terms are governed by Dutch law and the courts of Utrecht.") == []


def test_a_logged_request_and_a_visited_url_are_browsing_behaviour():
    assert rows("Our web servers log every request made to them.") == [
        ("collect", ["user.behavior.browsing_history"], ["we"])]
    got = rows("We collect:\n\n- the web address of the page you visited before\n- your browser type\n")
    assert got[0][1] == ["user.behavior.browsing_history"]


def test_a_website_address_on_a_profile_is_contact_data():
    got = rows("You may add to your profile:\n\n- a link to your website\n- a short biography\n")
    assert got[0][1] == ["user.contact.url"]


def test_email_service_providers_receive_email_addresses():
    got = rows("We share your personal data with email service providers.")
    assert got and "user.contact.email" in got[0][1]


def test_a_court_order_is_a_legal_process_not_a_recipient():
    got = rows("We may retain your payment records as required by court orders or other legal processes.")
    assert all("third_party.public_authority.court" not in r for _, _, r in got), got


def test_activity_online_and_in_an_account_is_behaviour():
    assert rows("We keep a record of your online activity.")[0][1] == ["user.behavior.browsing_history"]
    got = rows("The login history records sign-ins and does not track VPN activity.")
    assert ("not_collect", ["user.behavior"], ["we"]) in got, got


def test_a_document_pointed_to_by_its_title_names_no_data():
    assert rows("See our Cookie and user activity policy for details.") == []


def test_a_processing_denied_by_its_name_is_a_promise():
    assert rows("We do not engage in targeted advertising.") == [("not_collect", ["user"], ["we"])]
    assert rows("We do not carry out any profiling.") == [("not_collect", ["user"], ["we"])]


def test_how_a_rights_request_is_handled_states_no_flow():
    assert rows("We may be unable to approve some requests where the processing of personal data "
                "rests on a legal basis to which the right does not apply.") == []
    # fulfilling a request is a purpose, not talk of rights
    assert rows("We share your IP address with our registry to fulfil your request.") != []
