"""Vocabulary and names found wanting on real policies outside the corpus (issue 17): each rule
on a short text of its own, written for the test."""

from __future__ import annotations

from ropa.policy.cues import named_parties
from tests.extraction import rows


def recipients(text: str) -> set[str]:
    return {x for _, _, r in rows(text) for x in r}


def test_capitalised_names_of_data_kinds_are_not_companies():
    assert named_parties("We share Billing Data, Support Details, Browser and Network Information with Stripe.") == []
    text = ("| Why | Which data | Basis |\n| --- | --- | --- |\n"
            "| To stop abuse | Profile Data, Session and Device Information | Legitimate interest |\n")
    assert not any(r.startswith("vendor:") for r in recipients(text))


def test_documents_named_in_a_sentence_are_not_companies():
    got = recipients("We share data where needed to enforce our User Terms, Posting Guidelines and Seller Agreement.")
    assert not any(r.startswith("vendor:") for r in got)


def test_a_court_order_is_no_purchase_history():
    got = rows("We disclose information to the authorities when a court order or other legal orders require it.")
    assert got and all("user.behavior.purchase_history" not in d for _, d, _ in got)


def test_address_as_a_verb_is_no_postal_address():
    got = rows("Our moderators review reports and address abusive behaviour in the community using your reports.")
    assert all("user.contact.address" not in d for _, d, _ in got)


def test_the_granularity_of_a_location_is_no_part_of_an_address():
    got = rows("We use the approximate geographical area you search from, at the scale of a region or city.")
    assert got and all(not any(k.startswith("user.contact.address") for k in d) for _, d, _ in got)
    assert any("user.location.imprecise" in d for _, d, _ in got)
    got = rows("Your precise location (street level) is shared with other users; you can switch it to city level.")
    assert all(not any(k.startswith("user.contact.address") for k in d) for _, d, _ in got)
    assert any("user.location.precise" in d for _, d, _ in got)


def test_a_city_a_user_enters_is_still_an_address_part():
    assert ("collect", ["user.name", "user.contact.address.city"], ["we"]) in rows("We collect your name and city.")


def test_identity_papers_and_advertising_ids_are_named():
    got = rows("For account recovery we may ask for a copy of a government-issued identification.")
    assert any("user.government_id" in d for _, d, _ in got)
    assert all("third_party.public_authority" not in r for _, _, r in got)
    assert ("collect", ["user.device.device_id"], ["we"]) in rows("Our app collects mobile advertising IDs.")


def test_a_disclosure_abroad_without_a_country_is_a_transfer():
    for text in ("We may transfer your email address to countries other than the one you live in.",
                 "When we transfer profile data across borders, it is to run our support desk.",
                 "Your order history may be transferred outside the European Economic Area."):
        got = [a for a, _, _ in rows(text)]
        assert "transfer" in got and "share" not in got and "collect" not in got, (text, got)


def test_the_items_of_a_topic_lead_are_not_flows():
    for text in ("This notice describes:\n\n- what data we collect;\n- when we share information with partners;\n",
                 "We protect your data. These measures may include:\n\n- access controls for staff who handle personal data;\n"
                 "- encryption of stored email addresses;\n",
                 "You can also control:\n\n- which profile information is public;\n- who sees your photos;\n"):
        assert [a for a, _, _ in rows(text) if a not in ("not_share", "not_collect", "inform")] == [], text


def test_those_a_purpose_protects_are_not_recipients():
    text = "We may share information when needed to:\n\n- protect the rights, property or safety of our members or the public;\n"
    assert not any("third_party.other_users" in r for _, _, r in rows(text))
    got = rows("We process your email address for legitimate interests pursued by us or by a third party.")
    assert all(r == ["we"] for _, _, r in got)


def test_what_the_controller_does_not_control_is_no_flow():
    assert rows("We do not control how other services copy or reuse posts you made public.") == []
    assert rows("Copies of your posts may remain in web archives and search engines; this is outside of our control.") == []


def test_messages_we_send_and_a_providers_name_are_no_data():
    got = rows("We use what we collect to:\n\n- send security alerts and support messages;\n")
    assert all("user.content.private" not in d for _, d, _ in got)
    got = rows("We may share information with vendors, such as:\n\n- cloud hosting providers;\n"
               "- email and communication service providers.\n")
    assert all("user.contact.email" not in d for _, d, _ in got)


def test_this_information_refers_to_data_spoken_of_nearby():
    text = "We collect:\n\n- photographs you upload\n" + "\n".join(
        f"\nParagraph {i} says nothing about data." for i in range(6)) + (
        "\n\nThis information is aggregated and used to improve the site.\n")
    assert all("user.content.self_image" not in d or a == "collect" for a, d, _ in rows(text))


def test_advice_to_the_reader_is_no_flow_or_promise():
    assert rows("We recommend that you use a browser which does not keep your browsing history.") == []
    assert rows("You can use an anonymising service such as a VPN, so that even we do not see your IP address.") == []


def test_a_right_described_is_no_flow():
    assert [a for a, _, _ in rows("This right allows you to have your personal data deleted quickly.")] in ([], ["inform"])
    assert [a for a, _, _ in rows("You can ask us directly whether we hold personal data about you.")] in ([], ["inform"])


def test_a_section_intended_to_explain_states_no_flow():
    assert rows("The next section is intended to explain when your data is transferred to our partners.") == []


def test_what_data_could_reveal_is_no_processing():
    assert rows("Your browsing could reveal your health, your religious beliefs or your political opinions.") == []


def test_the_reader_sharing_with_no_one_named_gives_the_data_to_us():
    assert rows("When you post a story, you can choose to share your GPS location.") == [
        ("collect", ["user.location.precise"], ["we"])]
    got = rows("This covers the photos and location you decide to share in group chats.")
    assert all(a != "collect" for a, _, _ in got)


def test_a_mac_address_or_imei_is_a_device_identifier_not_a_postal_address():
    # "MAC address" ends in "address": it names the device's hardware id, not where someone lives
    assert rows("We log the MAC address and the IMEI number of your phone.") == [
        ("collect", ["user.device.device_id"], ["we"])]
    assert rows("We collect your postal address.") == [("collect", ["user.contact.address"], ["we"])]


def test_our_address_given_for_requests_is_no_data_we_hold():
    # where the reader sends a request is our address, not theirs: no flow ("inform" at most)
    for text in ("Please send your request in writing to the following address:",
                 "You may also write to our postal address with any question.",
                 "If you would like to object, please contact us via the contact details below."):
        assert [a for a, _, _ in rows(text) if a != "inform"] == [], text
    # the reader's address we use stays a flow
    assert rows("We use your postal address to deliver your order.") == [("use", ["user.contact.address"], ["we"])]
