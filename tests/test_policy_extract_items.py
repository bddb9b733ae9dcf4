"""More general rules of policy extraction (issue 17), each on a short text of our own: list
items that name several data after a label, rows of processing tables, who collects when we
and our providers do, negations of a use, and data phrases any policy may use."""

from __future__ import annotations

from ropa.policy.extract import extract
from tests.extraction import rows


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
    # the date and time of a visit is telemetry (a timestamp the server logs)
    assert {"user.job_title", "user.government_id", "user.financial.bank_account",
            "user.behavior.browsing_history", "user.telemetry"} <= data_of(text)


# -- who does it ------------------------------------------------------------------------------------

def test_we_and_our_providers_collecting_is_ours_and_theirs():
    got = rows("We and our hosting providers may automatically collect log files when you open the app.")
    assert ("collect", ["user.telemetry"], ["we"]) in got
    assert any(a == "share" and "third_party.service_provider.hosting" in r for a, _, r in got)


def test_our_providers_alone_collecting_is_not_our_collection():
    got = rows("Our hosting providers may collect log files when you open the app.")
    assert ("collect", ["user.telemetry"], ["we"]) not in got


# -- negation ---------------------------------------------------------------------------------------

def test_never_using_data_for_something_is_a_negation():
    got = rows("We never use your location data to build a profile of you.")
    assert [a for a, _, _ in got] == ["not_collect"]


def test_no_longer_processing_is_negative_with_its_leading_exception():
    st = extract("Unless a court obliges us to keep it, we will no longer process your phone number.").statements
    assert [r.action for r in st.itertuples()] == ["not_collect"]
    assert list(st.iloc[0]["data_categories"]) == ["user.contact.phone_number"]
    assert "legal_obligation" in list(st.iloc[0]["exceptions"])


def test_no_longer_necessary_is_no_negation():
    assert "not_collect" not in [a for a, _, _ in rows("We erase data that is no longer needed for processing your orders.")]


def test_no_longer_processing_all_data_after_an_objection_denies_no_flow():
    got = rows("If you object, we will no longer process your personal data.")
    assert not any(a in ("collect", "use", "not_collect") for a, _, _ in got)


# -- items and tables that name data and recipients ---------------------------------------------------

def test_complaints_in_a_list_of_data_are_data_not_talk_to_the_reader():
    text = "We keep:\n\n- Customer care data: support tickets, complaints, call notes\n"
    assert "user.content.private" in data_of(text)


def test_email_in_brackets_after_a_category_is_the_address():
    text = ("| Purposes | Categories of data | Legal basis | Retention | Categories of recipients |\n"
            "| --- | --- | --- | --- | --- |\n"
            "| Newsletters | Contact data (email) | Consent | 2 years | Mailing partner |\n")
    assert "user.contact.email" in data_of(text)


def test_a_recipients_cell_naming_a_partner_or_authority_is_a_third_party():
    text = ("| Purposes | Categories of data | Legal basis | Retention | Categories of recipients |\n"
            "| --- | --- | --- | --- | --- |\n"
            "| Unpaid invoices | Billing data | Legitimate interest | 5 years | Accounting team <br> Approved partner for recovery |\n"
            "| Fraud checks | Bank details | Legal obligation | 5 years | Competent authority |\n"
            "| Staff training | Billing data | Legitimate interest | 1 year | Training team |\n")
    got = rows(text)
    shared = [(d, r) for a, d, r in got if a == "share"]
    assert (["user.financial"], ["third_party"]) in shared
    assert (["user.financial.bank_account"], ["third_party.public_authority"]) in shared
    assert len(shared) == 2  # the training team is our own


def test_items_that_are_purposes_use_the_data_of_their_lead():
    text = "Some activities rely on log files:\n\n- to find faults in the app\n- to stop abuse of our servers\n"
    got = rows(text)
    assert len(got) == 2 and all(d == ["user.telemetry"] for _, d, _ in got)


# -- back-references and display to others -------------------------------------------------------------

def test_this_information_after_data_named_in_the_same_sentence_is_that_data():
    text = ("We collect your name and your postal address.\n\n"
            "If you gave us a phone number, this information will not be shown to other members.\n")
    assert ("not_share", ["user.contact.phone_number"], ["third_party.other_users"]) in rows(text)


def test_data_displayed_to_other_users_is_disclosed_to_them():
    got = rows("Your profile picture may be displayed to other users when they look you up.")
    assert got == [("share", ["user.content.self_image"], ["third_party.other_users"])]


def test_other_users_named_with_a_product_word_are_still_other_users():
    got = rows("Your display name will be used to run the app and may be shown to other Acme users "
               "who look you up.")
    assert ("share", ["user.name"], ["third_party.other_users"]) in got
    assert not [r for r in rows("Your display name is not shown to other Acme users.") if r[0] == "share"]


def test_data_not_visible_to_us_is_no_disclosure():
    assert "not_share" not in [a for a, _, _ in rows("Your messages are not visible to us.")]


# -- children, data held encrypted --------------------------------------------------------------------

def test_not_collecting_from_children_is_about_childrens_data():
    got = rows("We do not knowingly gather information from anyone under the age of 16.")
    assert got == [("not_collect", ["user.childrens"], ["we"])]


def test_deleting_what_was_collected_from_a_child_is_no_collection():
    got = rows("We erase information we find was collected from a child under 16.")
    assert not any(a == "collect" for a, _, _ in got)


def test_data_kept_encrypted_on_our_servers_is_still_held_by_us():
    assert ("collect", ["user.authorization.password"], ["we"]) in rows("Your password is kept encrypted in our database.")
    assert rows("We encrypt all traffic between your device and us.") == []


# -- the reader's own disclosure ------------------------------------------------------------------------

def test_what_the_reader_chooses_to_disclose_to_us_is_our_collection():
    got = rows("You give us the personal data you freely decide to disclose, which is collected by us.")
    assert got and all(a == "collect" and r == ["we"] for a, _, r in got)


def test_what_the_reader_decides_to_share_with_others_stays_a_disclosure():
    got = rows("Your messages include the photos you decide to share in group chats.")
    assert [a for a, _, _ in got] == ["share"]


def test_emails_we_send_out_are_not_the_readers_content():
    assert "user.content.private" not in data_of("We may send out e-mails with news and offers to our members.")


# -- what a kind of recipient receives ------------------------------------------------------------------

def test_a_disclosure_to_payment_providers_naming_no_data_carries_payment_data():
    assert rows("We share your personal data with our payment providers.") == [
        ("share", ["user", "user.payment"], ["third_party.service_provider.payment"])]


def test_a_disclosure_to_a_recipient_of_no_known_kind_stays_personal_data():
    assert rows("We share your personal data with our hosting providers.") == [
        ("share", ["user"], ["third_party.service_provider.hosting"])]


def test_naming_the_categories_of_recipients_is_a_disclosure():
    got = rows("The recipients of your data are payment providers.")
    assert [a for a, _, _ in got] == ["share"]


def test_a_named_payment_company_gets_what_its_sentence_says():
    assert rows("We use Stripe to take your payments.")[0][1] == ["user"]


# -- found on real policies outside the corpus -----------------------------------------------------------

def test_a_relative_clause_negation_is_not_our_promise():
    got = rows("We may transfer your personal data to countries that may not provide the same protection.")
    assert "not_share" not in [a for a, _, _ in got]


def test_this_information_followed_by_its_data_is_that_data():
    got = rows("We bill your subscription. Depending on your location, this information may include your postal "
               "address and your phone number.")
    assert {"user.contact.address", "user.contact.phone_number"} <= data_of(
        "We bill your subscription. Depending on your location, this information may include your postal "
        "address and your phone number.")
    assert "user.location" not in {d for _, ds, _ in got for d in ds}


def test_we_and_our_providers_using_cookies_to_collect_is_our_collection():
    got = rows("We and our analytics providers use cookies to automatically collect your page views.")
    # ours as well as theirs: collected, or tracked by us with our cookies
    assert any(a in ("collect", "track") and r == ["we"] for a, _, r in got)


def test_protection_measures_measured_against_the_eu_state_no_flow():
    text = ("Wherever your personal data is processed, we take technical and organisational measures so that "
            "its protection matches that in the European Union.")
    assert rows(text) == []


def test_a_transfer_under_safeguards_from_the_eea_is_still_a_flow():
    text = "For transfers of personal data from the EEA, we rely on standard contractual clauses with our processors."
    assert [a for a, _, _ in rows(text)] == ["share"]


def test_where_all_personal_data_is_kept_is_no_flow_of_its_own():
    assert rows("We only keep and process your personal data within the EU.") == []
    assert [a for a, _, _ in rows("We store your email address within the EU.")] == ["collect"]


def test_the_data_below_announces_a_list():
    assert rows("Our support team can access the personal information below through our ticketing tool.") == []


# -- channels -------------------------------------------------------------------------------------------

def test_reaching_the_reader_by_a_channel_uses_its_address_or_number():
    got = data_of("We may send you reminders about your booking by e-mail or text message.")
    assert {"user.contact.email", "user.contact.phone_number"} <= got


def test_writing_to_us_by_email_is_no_use_of_the_readers_address():
    assert "user.contact.email" not in data_of("If you have questions, contact us by email and we will process your request.")


def test_never_calling_the_reader_by_phone_is_never_read_as_a_use():
    assert not any(a in ("use", "collect") for a, _, _ in rows("We will never contact you by phone."))


# -- verbs ----------------------------------------------------------------------------------------------

def test_not_transmitting_or_making_data_available_is_a_negation():
    assert rows("We will not transmit your email address to advertisers.") == [
        ("not_share", ["user.contact.email"], ["third_party.advertising"])]
    assert [a for a, _, _ in rows("Your location is never made available to advertisers.")] == ["not_share"]
    assert [a for a, _, _ in rows("Your messages are not forwarded to anyone.")] == ["not_share"]


def test_transmitting_data_to_someone_is_a_disclosure_and_we_receive_is_collection():
    assert [a for a, _, _ in rows("We transmit your email address to our mailing provider.")] == ["share"]
    assert rows("We receive your IP address when you open the app.") == [("collect", ["user.device.ip_address"], ["we"])]


def test_transmitting_messages_as_a_purpose_is_no_disclosure():
    got = rows("Log files are kept on our servers to transmit messages.")
    assert "share" not in [a for a, _, _ in got]


def test_an_item_naming_only_a_recipient_takes_the_data_of_its_lead():
    got = rows("We pass your order details to:\n\n- our payment providers\n- Stripe\n")
    assert ("share", ["user.behavior.purchase_history"], ["third_party.service_provider.payment"]) in got
    assert ("share", ["user.behavior.purchase_history"], ["vendor:stripe"]) in got
    told = rows("We use technical data to:\n\n- answer you, directly or through one of our partners\n")
    assert ("share", ["user.telemetry"], ["third_party"]) in told
