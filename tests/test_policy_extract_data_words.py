"""The data categories of a statement (issue 17): the name of a thing is not the person's name,
the messages we send are not the person's content, and a sentence that names data in general
does not take the data of the sentence before unless it points back. Each rule on short texts
written for the test."""

from __future__ import annotations

from ropa.policy.datawords import our_sending, own_generic_data
from ropa.policy.nonflow import not_data
from tests.extraction import rows


def data_of(text: str) -> set[str]:
    return {d for _, data, _ in rows(text) for d in data}


# 1. "name" beside a thing

def test_the_name_of_a_thing_is_not_the_persons_name():
    assert "user.name" not in data_of("We record the app name, the app version and the crash time.")
    assert "user.name" not in data_of("We collect your phone model and your mobile carrier's name.")
    assert "user.name" not in data_of("Each offer we send you shows the name of the partner company that makes it.")
    assert "user.name" not in data_of("You can give your shared albums a name and a cover picture, which we store.")


def test_the_persons_name_is_still_their_name():
    assert "user.name" in data_of("We collect your name and your email address.")
    assert "user.name" in data_of("When you book, we ask for the full name of each traveller.")
    assert "user.name" in data_of("We may store names and phone numbers from your contact list.")


def test_the_thing_itself_stays_data():
    # only the word "name" goes: the employer, the device stay what they are
    assert "employer" in not_data("We keep the name of your employer.")
    assert "name" not in not_data("We keep the name of your employer.").split()


# 2. the messages we send

def test_messages_we_send_are_not_the_persons_content():
    assert "user.content.private" not in data_of("We use your email address to send periodic emails about new features.")
    assert "user.content.private" not in data_of("We process your account data for sending service messages from our partners.")
    assert "user.content.private" not in data_of(
        "We may contact you (for example by text message, email, or messages on other apps) to help with a booking.")


def test_our_mail_named_as_ours_is_not_the_persons_content():
    assert "user.content.private" not in data_of("We put tracking pixels in our newsletters to see whether the email has been opened.")
    assert "user.content.private" not in data_of("To stop texts, reply STOP to any text message from us; we then delete your phone number.")
    assert "user.content.private" not in data_of("Even after you opt out, you will still receive account e-mails, which use your email address.")


def test_messages_the_person_sends_are_their_content():
    assert "user.content.private" in data_of("We store the messages you send to other members.")
    assert our_sending("You can send messages to your friends.").split() == [
        "You", "can", "send", "messages", "to", "your", "friends."]
    assert "messages" in our_sending("Other members may forward or send your messages elsewhere.")


def test_the_address_a_message_goes_to_stays_an_email_address():
    got = data_of("We will tell you of changes by email (sent to the email address on your account).")
    assert "user.contact.email" in got and "user.contact.address" not in got


# 3. data in general does not take the data of the sentence before

def test_generic_information_keeps_its_own_data():
    text = ("We collect your date of birth to check your age. "
            "We may share information with law enforcement authorities if the law requires it.")
    shares = [d for a, d, _ in rows(text) if a == "share"]
    assert shares and all("user.demographic.date_of_birth" not in d for d in shares)


def test_generic_information_with_a_processor_keeps_its_own_data():
    text = ("We collect the posts you publish in our public forum. "
            "We may share information with service providers who need such information to do their work.")
    shares = [d for a, d, _ in rows(text) if a == "share"]
    assert shares and all("user.content.public" not in d for d in shares)


def test_a_back_reference_still_takes_the_data_before():
    text = ("We collect your date of birth to check your age. "
            "We share this information with our verification provider.")
    shares = [d for a, d, _ in rows(text) if a == "share"]
    assert shares and any("user.demographic.date_of_birth" in d for d in shares)
    text = ("We collect your postal address for deliveries. "
            "We may share the mentioned data with our service providers.")
    assert any("user.contact.address" in d for a, d, _ in rows(text) if a == "share")


def test_an_opening_in_addition_to_clause_names_no_data_of_the_list():
    got = rows("In addition to the ways your public posts are shown to others, we may share information as follows:\n\n"
               "* With our auditors.\n")
    assert got and all("user.content.public" not in d for _, d, _ in got)


def test_own_generic_data():
    assert own_generic_data("We may disclose information when a court asks for it.")
    assert not own_generic_data("We may disclose such data when a court asks for it.")
    assert not own_generic_data("We rely on Acme to host our website.")
    assert not own_generic_data("Acme processes the data contained in your chat messages.")


# 4. a government's word inside an identity document

def test_a_government_issued_document_names_no_authority():
    text = ("We may collect the following from you:\n\n"
            "* Government issued identification needed to book or verify you, such as your passport "
            "or government redress numbers.\n")
    got = rows(text)
    assert any("user.government_id" in d for _, d, _ in got)
    assert not any("third_party.public_authority" in r for _, _, r in got)
    for text in ("To drive with us, you give us your government identification number and your name.",
                 "We send your government-issued photo ID to the firm that checks your background."):
        got = rows(text)
        assert got and all("user.government_id" in d for _, d, _ in got), (text, got)
        assert not any("third_party.public_authority" in r for _, _, r in got), (text, got)


# 4. an organisation named as a party

def test_an_organisation_that_acts_is_not_company_details():
    assert "user.contact.organization" not in data_of("When an organisation invites you to the app, we receive your email address.")
    assert "user.contact.organization" not in data_of(
        "We may share your email address with your employer or organization to let them invite you.")
    assert "user.contact.organization" not in data_of(
        "If you use the app through a school (e.g., your employer), your school controls the data we process.")
    # a word before the organisation, or "another" in a run of them, changes nothing
    assert "user.contact.organization" not in data_of(
        "If your address was given to you by a club, we may send your email address to the sponsoring organization.")
    assert "user.contact.organization" not in data_of(
        "If you join through your employer or another organization, that organization may see your email address.")


def test_the_persons_company_details_stay_data():
    assert "user.contact.organization" in data_of("We collect your name, email address and organization name.")
    assert "user.contact.organization" in data_of("We keep the name of your employer.")
