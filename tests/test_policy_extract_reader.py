"""Sentences a DPO would reject as flows, found on real policies outside the corpus (issue 17):
an item's bold title, advice to the reader, retention the law requires, cross-references, and
recipients named by their kind. Each rule on a short text written for it."""

from __future__ import annotations

from ropa.policy.cues import named_parties
from ropa.policy.titles import item_title
from tests.extraction import rows

# -- an item's bold title ------------------------------------------------------------------------


def test_a_bold_title_before_an_items_sentences_states_nothing_of_its_own():
    text = ("Information we hold:\n\n"
            "* **Billing Details**. If you buy a plan, our payment processor receives your card number.\n")
    got = rows(text)
    assert all(a != "collect" or "user.financial" not in d for a, d, _ in got)  # the title alone said nothing
    assert any(a == "share" for a, _, _ in got)  # its sentence speaks


def test_a_bold_item_alone_that_reads_as_a_heading_is_no_statement():
    text = ("1. **Data We Receive From Partners**\n"
            "    1. We may obtain your postal address from a delivery partner.\n")
    got = rows(text)
    assert len(got) == 1 and "user.contact.address" in got[0][1]


def test_a_bold_data_name_alone_in_a_list_stays_data():
    text = "We collect:\n\n* **Email Address**\n* **Postal Address**\n"
    assert ("collect", ["user.contact.email"], ["we"]) in rows(text)


def test_what_reads_as_a_title():
    assert item_title("Sharing in the Event of a Sale.")
    assert item_title("COOKIES AND SIMILAR TOOLS")
    assert not item_title("We share your email address with our bank.")
    assert not item_title("Delivery Address", alone=True)
    assert item_title("What We Keep and Why", alone=True)


# -- recipients named by their kind ----------------------------------------------------------------


def test_group_companies_and_affiliates_are_the_group_category():
    for phrase in ("our affiliates", "Our Affiliated Companies", "other companies in our group", "our subsidiaries"):
        got = rows(f"We may disclose your email address to {phrase}.")
        assert got == [("share", ["user.contact.email"], ["third_party.group_company"])], phrase


def test_business_partners_and_other_users_are_their_categories():
    assert rows("We pass your name to our business partners.")[0][2] == ["third_party.business_partner"]
    assert rows("Your display name is shared with other users.")[0][2] == ["third_party.other_users"]


def test_a_capitalised_kind_of_party_is_never_a_vendor():
    assert named_parties("We share it with Selected Third Parties and Trusted Partners.") == []
    got = rows("We may pass your phone number to Other Members and Acme Logistics GmbH.")
    recipients = {r for _, _, rs in got for r in rs}
    assert "vendor:acme-logistics" in recipients
    assert not any(r.startswith("vendor:other") for r in recipients)


def test_the_readers_correspondents_are_not_our_recipients():
    got = rows("We keep the text of the messages you write to other members of the forum.")
    assert got and all("third_party.other_users" not in rs for _, _, rs in got)
    got = rows("We store your chats so that you can talk privately with other users.")
    assert got and all(rs == ["we"] for _, _, rs in got)


# -- advice to the reader --------------------------------------------------------------------------


def test_care_the_reader_is_told_to_take_is_no_flow():
    for text in ("Choose a strong password and keep your login details secret.",
                 "Please keep your account credentials confidential.",
                 "Check the privacy policy of any website you visit through a link before you give it your email address.",
                 "If you dislike tracking cookies, you should change your browser settings."):
        assert rows(text) == [], text


def test_a_third_party_keeping_data_confidential_is_still_our_disclosure():
    got = rows("We share your address with our delivery partners, who must keep it confidential.")
    assert got and got[0][0] == "share"


# -- retention under a legal obligation --------------------------------------------------------------


def test_keeping_records_the_tax_authority_requires_is_retention_not_disclosure():
    got = rows("Invoices are stored for ten years to satisfy the tax authorities.")
    assert got == [("retain", ["user.financial"], ["we"])]
    got = rows("We keep your billing details where the law requires us to, for instance on request of the tax authority.")
    assert all(a != "share" for a, _, _ in got)


def test_handing_records_to_the_tax_authority_is_still_a_disclosure():
    got = rows("We disclose your invoices to the tax authority when it asks for them.")
    assert got and got[0][0] == "share" and got[0][2] == ["third_party.public_authority.tax_authority"]


# -- disclosure words that give nothing away -----------------------------------------------------------


def test_purposes_disclosed_to_the_reader_are_no_disclosure():
    got = rows("We may use your data for further purposes that we disclose to you beforehand.")
    assert all(a != "share" for a, _, _ in got)


def test_protection_against_unauthorised_disclosure_is_a_safeguard():
    assert rows("Our controls guard against unauthorised access to, or disclosure of, personal data we hold.") == []


def test_a_third_partys_legitimate_interest_makes_it_no_recipient():
    got = rows("We process your contact data where we or a third party have a legitimate interest in doing so.")
    assert got and all(rs == ["we"] for _, _, rs in got)


# -- a source is not a recipient -----------------------------------------------------------------------


def test_data_we_receive_is_collected_whoever_it_names():
    assert rows("We receive your LinkedIn profile name and email address.") == [
        ("collect", ["user.name", "user.contact.email"], ["we"])]
    got = rows("We hold your postal address when you give it to us or when our resellers provide it to us.")
    assert got and all(a == "collect" and rs == ["we"] for a, _, rs in got)


def test_data_we_receive_and_pass_on_is_still_shared():
    got = rows("We receive your email address and pass it to Mailchimp.")
    assert any(a == "share" and "vendor:mailchimp" in rs for a, _, rs in got)


# -- cross-references, titles, scope ---------------------------------------------------------------


def test_a_section_title_named_in_a_cross_reference_is_no_data():
    got = rows("We use your phone number as explained in Who Can See Your Information.")
    assert got == [("use", ["user.contact.phone_number"], ["we"])]
    got = rows("We share your postal address with couriers (see section 4 “What we share about you”).")
    assert all(d == ["user.contact.address"] for _, d, _ in got)


def test_a_pointer_to_another_document_is_no_flow():
    assert rows("For information on how our partner network handles personal data, please view its own notice.") == []


def test_what_the_notice_applies_to_is_no_flow():
    assert rows("This privacy notice applies to personal data we process through our shops and apps.") == []


def test_communications_we_send_are_not_data_we_collect():
    got = rows("If you keep an account, we may still send you account-related messages.")
    assert all(a != "collect" for a, _, _ in got)


# -- notices about the notice ----------------------------------------------------------------------


def test_a_disclosure_worldwide_is_a_transfer():
    assert rows("We may send your account data to our processors around the world.")[0][0] == "transfer"


def test_the_consequence_of_not_providing_data_is_a_notice():
    assert rows("If you do not provide your personal data when asked, you may be unable to open an account.") == []


def test_our_contact_details_for_a_request_are_not_data_collected():
    got = rows("You may send your objection by post using the contact details provided at the end.")
    assert all(a != "collect" for a, _, _ in got)


def test_an_announcement_that_recipients_are_described_below_is_no_flow():
    assert rows("The kinds of companies to which we may disclose personal data are described below.") == []


def test_what_the_reader_shared_elsewhere_and_an_outside_login_name_no_recipient_of_ours():
    assert all("third_party" not in rs for _, _, rs in rows("If you have posted your photo on another platform, that platform may display it."))
    got = rows("You can open an account using your GitHub login details.")
    assert all(not r.startswith("vendor:") for _, _, rs in got for r in rs)


# -- a negative lead and the items that say what is done -------------------------------------------


def test_items_after_never_sell_and_share_only_as_described_below_are_the_disclosures():
    text = ("We never sell your personal data, and we share it only as described below.\n\n"
            "* Hosting: our hosting provider stores your account data.\n"
            "* Courts: we may disclose your email address when a court orders us to.\n")
    got = rows(text)
    assert ("not_share", ["user"], ["third_party"]) in got
    assert any(a == "share" and "user.contact.email" in d for a, d, _ in got)
    assert not any(a == "not_share" and "user.contact.email" in d for a, d, _ in got)


def test_an_item_with_its_own_subject_keeps_its_own_action_under_a_negative_lead():
    text = ("We do not share your data with advertisers. In particular:\n\n"
            "* Law enforcement: We may release your contact details to the police when the law requires it.\n")
    got = rows(text)
    assert not any(a == "not_share" and "user.contact" in d for a, d, _ in got)


def test_a_bare_item_still_completes_a_negative_lead():
    text = "We will never:\n\n* sell your email address to data brokers\n* rent your phone number to advertisers\n"
    assert [a for a, _, _ in rows(text)] == ["not_share", "not_share"]


def test_each_item_of_a_bare_negative_lead_is_a_promise():
    text = "Acme does not:\n\n- Track your location across apps\n- use your email address for advertising\n"
    assert [a for a, _, _ in rows(text)] == ["not_collect", "not_collect"]


def test_our_group_on_our_side_of_the_sentence_is_no_recipient():
    got = rows("We may disclose your data to a buyer if we (or our subsidiaries) are acquired.")
    assert got and all("third_party.group_company" not in rs for _, _, rs in got)


# -- more talk to the reader ------------------------------------------------------------------------


def test_the_readers_concern_and_control_are_no_flow():
    assert rows("We understand that you care about how your personal data is shared.") == []
    assert rows("In your settings you can control how your profile data is shown and used.") == []


def test_cookies_placed_on_the_readers_computer_are_not_given_away():
    got = rows("Cookies are small files that we send to your computer so that we can recognise your browser.")
    assert all(a != "share" for a, _, _ in got)


def test_a_recommendation_to_minors_is_advice():
    assert rows("We recommend that minors ask a parent before sending personal information to anyone online.") == []


def test_a_heading_clause_before_field_items_is_no_provider():
    text = ("We collect what you give us and what your browser sends. Details You Give Us\n\n"
            "1.  Sign-up: we ask for your email address.\n2.  Profile: you may add your date of birth.\n")
    got = rows(text)
    assert all(not r.startswith("vendor:") for _, _, rs in got for r in rs)


def test_our_providers_in_the_plural_are_the_category_not_a_vendor_named_before():
    text = ("We use Google Analytics to count visits. Our service providers are given access to your account data "
            "to run the service.")
    got = rows(text)
    assert any(a == "share" and rs == ["third_party.service_provider"] for a, _, rs in got)


def test_a_title_standing_as_its_own_paragraph_states_nothing():
    text = ("# California notice\n\nInternal and Legal Disclosures of Customer Information\n\n"
            "We disclose your contact details to our auditors.\n")
    got = rows(text)
    assert len(got) == 1 and got[0][0] == "share"  # the sentence, not the title
    assert rows("# Notice\n\nOther Information We Collect\n") == []


def test_a_platform_that_furnishes_information_to_us_is_a_source_not_a_tracker():
    got = rows("If you sign up for the Service using an outside platform (such as Facebook or Google), they will "
               "furnish certain information to us to set up your account.")
    assert not any(a in ("share", "track") for a, _, _ in got)
