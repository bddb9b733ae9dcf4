"""The general rules of policy extraction (issue 17), each on a short text of its own: negation
scope, exceptions, lists and their leads, non-flows, recipients by their shape, the controller,
vocabulary, and the review of what extraction did not understand."""

from __future__ import annotations

from typer.testing import CliRunner

import ropa
from ropa.cli import app
from ropa.policy.extract import extract
from ropa.policy.facts import controller_names_stated
from tests.extraction import actions, rows

# -- negation ------------------------------------------------------------------------------------

def test_a_negation_ends_with_its_clause():
    got = rows("We do not keep permanent IP logs, but IP addresses may be stored for 14 days to fight abuse.")
    assert ("not_collect", ["user.device.ip_address"], ["we"]) in got
    assert any(a in ("collect", "retain") and "user.device.ip_address" in d for a, d, _ in got)


def test_never_sent_to_us_is_not_collection():
    got = rows("Your email address is stored on your device and never sent to us.")
    assert got == [("not_collect", ["user.contact.email"], ["we"])]


def test_a_list_item_keeps_its_own_negation():
    text = "Our promises:\n\n- We will not disclose your personal data to any third parties.\n- We will not view the files you upload.\n"
    assert actions(text) == ["not_share", "not_collect"]


def test_the_excepted_items_after_a_negation_are_disclosures_under_that_condition():
    text = ("We do not generally disclose personal data to third parties, except where it is needed to provide our "
            "service, such as:\n\n- to our payment processor Stripe\n- to our hosting provider Hetzner\n")
    st = extract(text).statements
    shares = st[st.action == "share"]
    assert {r for rs in shares.recipients for r in rs} >= {"vendor:stripe"}
    assert all(c.startswith("except where") for c in shares.condition)
    promise = st[st.action == "not_share"]
    assert len(promise) == 1 and list(promise.exceptions.iloc[0]) == ["contract"]


def test_an_opening_exception_is_the_promise_s_exception():
    st = extract("Aside from information you choose to make public, none of your information is shared "
                 "with third parties.").statements
    assert st.action.tolist() == ["not_share"]
    assert list(st.exceptions.iloc[0]) == ["consent"]


def test_advice_to_the_reader_is_no_promise():
    assert rows("Please do not send us your passwords.") == []
    assert actions("We use cookies so you don't have to keep re-entering your email address.") != ["not_collect"]


def test_a_third_party_without_access_is_not_shared_with():
    assert rows("Chargebee does not have access to your email address.") == [
        ("not_share", ["user.contact.email"], ["vendor:chargebee"])]


# -- what is not a flow --------------------------------------------------------------------------

def test_definitions_rights_safeguards_and_anonymous_data_state_no_flow():
    for text in ("A cookie is a small text file stored on your device.",
                 "Personal data means any information about you, such as your name or email address.",
                 "You have the right to request access to your personal data.",
                 "We take technical and organisational measures to protect your personal data.",
                 "Aggregated, anonymised statistics derived from logs may be retained indefinitely.",
                 "We will inform you if material changes are made to this policy by email."):
        assert [a for a in actions(text) if a != "inform"] == [], text


def test_the_items_under_a_rights_lead_are_rights():
    text = "You have the right to:\n\n- access your personal data\n- object to the processing of your email address\n"
    assert set(actions(text)) <= {"inform"}


def test_each_item_under_a_rights_lead_names_its_right_without_a_rights_word_of_its_own():
    # the lead ("may have the right to:") is the items' rights cue; an item need not repeat it
    text = ("Depending on where you live, you may have the right to:\n\n- access your personal data;\n"
            "- obtain the information you gave us in a portable format; or\n"
            "- get it in a machine-readable format.\n")
    st = extract(text).statements
    assert st.action.tolist() == ["inform", "inform"]
    assert [list(r) for r in st.rights] == [["right.access"], ["right.portability"]]  # the third repeats the second


def test_what_we_use_data_for_is_no_purpose_of_a_disclosure_in_the_same_section():
    text = ("# Your information\n\nWe collect your email address.\n\n"
            "We use the information we collect to:\n\n- send you our newsletter\n- prevent fraud\n\n"
            "We share your public profile with search engines.\n\n"
            "We may disclose information to our lawyers when necessary to:\n\n- comply with legal obligations\n")
    st = extract(text).statements.set_index("line")
    # our own collection serves the section's uses; a disclosure only the purposes given for disclosures
    assert {"marketing.communications.email", "essential.fraud_detection"} <= set(st.loc[3, "purposes"])
    assert st.loc[10, "purposes"] == ["essential.legal_obligation"]
    assert st.loc[12, "purposes"] == ["essential.legal_obligation"]


def test_the_items_under_a_purpose_lead_are_uses_of_the_lead_s_data_for_that_purpose():
    st = extract("We use technical data to:\n\n- improve our services\n- send you emails about updates\n").statements
    assert st.action.tolist() == ["use", "use"]
    assert st.data_categories.tolist() == [["user.telemetry"], ["user.telemetry"]]
    assert st.line.tolist() == [3, 4]
    # a lead that names no data of its own: the item's data, and none from "send you ... emails"
    got = rows("We use your personal data to:\n\n- send you our newsletters\n- answer your support messages\n")
    assert got == [("use", ["user.content.private"], ["we"])]


def test_the_controller_s_introduction_is_no_flow_and_names_the_controller():
    text = ("Welcome to Acme Cloud, Inc., a Delaware corporation (“Acme”, “we”, “us”).\n\n"
            "We share your email address with Acme to run the service.\n")
    res = extract(text)
    assert "Acme Cloud, Inc." in res.meta["controller"]
    assert not any("acme" in r for rs in res.statements.recipients for r in rs)
    assert controller_names_stated("References to “we” refer to Jottacloud, while “you” refers to you.") == ["Jottacloud"]


def test_received_from_a_third_party_or_given_by_the_reader_is_collected():
    assert actions("We may also receive your email address from our partners.") == ["collect"]
    assert actions("We keep the contact information you share with us.") in (["collect"], ["retain"])


def test_the_reader_s_own_service_is_not_our_recipient():
    got = rows("We need to track payments (if you use PayPal) to give refunds.")
    assert not any("vendor:paypal" in r for _, _, r in got)


def test_tracking_with_no_third_party_is_ours():
    assert rows("We use cookies to track how you use our website.")[0][2] == ["we"]


# -- structure ---------------------------------------------------------------------------------

def test_a_provider_record_of_label_value_items_is_read_as_a_table_row():
    text = ("Processors are as follows:\n\n**Zendesk, Inc.**\n\n"
            "- Purpose: customer support requests\n- Data processing location: United States\n")
    st = extract(text).statements
    row = st[st.recipients.map(lambda r: "vendor:zendesk" in r)]
    assert row.action.tolist() == ["transfer"] and row.countries.iloc[0] == ["US"]


def test_a_provider_record_under_a_heading_of_its_name_is_read_as_a_table_row():
    text = ("## Processors\n\nWe use these processors.\n\n### Zendesk, Inc.\n\n"
            "- Purpose: customer support requests\n- Data processing location: United States\n")
    st = extract(text).statements
    row = st[st.recipients.map(lambda r: "vendor:zendesk" in r)]
    assert row.action.tolist() == ["transfer"] and row.countries.iloc[0] == ["US"]


def test_label_value_items_under_a_topic_heading_are_no_provider():
    st = extract("### Payments\n\n- Bank transfer: your name and bank account number\n"
                 "- Card: the last four digits of the card\n").statements
    assert not st.recipients.map(lambda r: any("payments" in x.lower() for x in r)).any()


def test_a_third_partys_products_and_sites_are_no_recipients_of_ours():
    assert rows("From time to time we may feature third-party products and offers in our newsletter.") == []
    assert rows("Our pages link to third party web sites, which may collect information about you.") == []
    # a third party we give data to is still one
    assert rows("We share your phone number with third party service providers.") == [
        ("share", ["user.contact.phone_number"], ["third_party.service_provider"])]


def test_an_ip_address_written_out_in_full_is_an_ip_address():
    assert rows("We log the Internet Protocol (IP) address of your device.") == [
        ("collect", ["user.device.ip_address"], ["we"])]


def test_an_items_bold_label_is_its_title_and_the_sentence_after_it_the_item():
    text = ("Information we collect:\n\n"
            "- **Partners**. We may receive your name from partners who run events with us.\n"
            "- **Payments**. When you buy a ticket, a payment provider will receive your card number.\n")
    got = rows(text)
    # "Partners." alone is no disclosure to partners: they are where the name comes from
    assert ("collect", ["user.name"], ["we"]) in got
    assert not any(a == "share" and "third_party" in r for a, _, r in got)
    assert ("share", ["user.financial.credit_card"], ["third_party.service_provider.payment"]) in got


def test_information_that_identifies_no_one_is_not_personal_data_given_away():
    assert rows("Non-personally identifiable usage statistics may be given to our partners.") == []
    assert rows("Information that is not personally identifying may be passed to sponsors.") == []


def test_releasing_your_information_is_a_disclosure():
    assert actions("We may release your account details when the law requires it.") == ["share"]


def test_items_lettered_in_parentheses_are_items_of_their_lead():
    got = rows("When you sign up we ask you for:\n\n(a) your email address\n\n(b) your date of birth\n")
    assert [d for _, d, _ in got] == [["user.contact.email"], ["user.demographic.date_of_birth"]]


def test_the_do_not_track_signal_is_a_name_not_a_promise():
    assert not any(a.startswith("not_") for a in actions("How we respond to Do Not Track signals from your browser."))
    assert rows("We do not track your location.") == [("not_collect", ["user.location"], ["we"])]


def test_our_own_transfer_to_a_third_country_is_a_transfer():
    assert actions("We transfer your personal data to the United States and process it there.") == ["transfer"]


def test_a_promise_with_its_verbs_in_quotes_is_still_a_promise():
    # the flow the sentence denies must never come out as a flow that happens
    assert actions("We do not ‘sell’ or ‘share’ your personal information for advertising.") == ["not_share"]
    assert actions('We never "rent" your contact details to anyone.') == ["not_share"]


def test_neither_nor_is_a_promise():
    assert actions("We neither keep nor analyse your messages.") == ["not_collect"]
    assert actions("We neither sell nor lend your postal address to others.") == ["not_share"]


def test_what_else_is_not_shared_is_a_promise_about_it():
    got = rows("Only the crash report is sent to our provider (no other data, such as your IP address, is sent).")
    # the promise is about the IP address only: the crash report is sent
    assert [d for a, d, _ in got if a == "not_share"] == [["user.device.ip_address"]]
    assert not any(a == "share" and "user.device.ip_address" in d for a, d, _ in got)


def test_what_a_law_does_not_oblige_us_to_do_states_no_practice():
    assert rows("Local law does not oblige us to keep logs of your browsing.") == []


def test_a_link_only_item_is_no_data():
    assert rows("See also:\n\n- [Cookie policy](https://example.com/cookies)\n") == []


# -- recipients and vocabulary -----------------------------------------------------------------

def test_companies_named_beside_a_known_one_are_recipients():
    rec = {r for _, _, rs in rows("We use Stripe, Chargify, Aria and Authorize.net to process your payment details.")
           for r in rs}
    assert {"vendor:stripe", "vendor:chargify", "vendor:aria", "vendor:authorize-net"} <= rec


def test_a_company_after_a_disclosure_is_the_recipient():
    rec = rows("We may share your contact details with ARIN for the purposes of re-assigning IP addresses.")
    assert any("vendor:arin" in r for _, _, r in rec)


def test_real_vocabulary_maps_to_taxonomy_keys():
    data = {d for _, ds, _ in rows("We collect your browser type, referring website, crash reports, language "
                                   "preference, profile information and photographs.") for d in ds}
    assert {"user.device", "user.behavior.browsing_history", "user.telemetry", "user.demographic.language",
            "user.account", "user.content.self_image"} <= data
    replays = rows("Our analytics provider receives session recordings and analytical information.")
    assert replays == [("track", ["user.behavior"], ["third_party.service_provider.analytics"])]


# -- review ------------------------------------------------------------------------------------

def test_what_extraction_did_not_understand_is_listed_for_review(tmp_path):
    text = ("# Privacy\n\n## Data\n\nWe collect your email address.\n\n"
            "Your phone number matters to us.\n\nYour IP address is not something that we look at, ever.\n")
    src = tmp_path / "2026-01-01.md"
    src.write_text(text, encoding="utf-8")
    from ropa.policy.load import extract_policy
    pol = extract_policy(src)
    assert pol.review[["line", "reason"]].values.tolist() == [[7, "unresolved actor"], [9, "unclear negation"]]
    assert pol.meta["coverage"] == {"about_data": 3, "resolved": 1}
    assert pol.coverage_line == ("extraction coverage 33% (1 of 3 sentences about personal data resolved, "
                                 "2 to review)")
    out = ropa.write_flows(pol, tmp_path / "2026-01-01.flows.yaml")
    assert "needs_review:" in out.read_text(encoding="utf-8")
    again = ropa.load_policy(out)
    assert again.review.values.tolist() == pol.review.values.tolist()
    assert again.coverage == pol.coverage


def test_extract_command_prints_the_coverage(tmp_path):
    src = tmp_path / "2026-01-01.md"
    src.write_text("We collect your email address.\n\nYour phone number matters to us.\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["extract", str(src)])
    assert result.exit_code == 0, result.output
    assert "extraction coverage 50% (1 of 2 sentences about personal data resolved, 1 to review)" in result.output


def test_check_command_prints_the_coverage_of_an_extracted_policy(tmp_path):
    import shutil

    from tests.conftest import PRO_AT, SHARED

    reg = tmp_path / "pro-at"
    shutil.copytree(PRO_AT, reg)
    for flows in (reg / "policies").glob("*.flows.yaml"):
        flows.unlink()
    shutil.copy(SHARED / "policies" / "pro-at" / "2026-11-01.txt", reg / "policies" / "2026-11-01.txt")
    result = CliRunner().invoke(app, ["check", str(reg), "--policy", "2026-11-01", "--fail-on", "critical",
                                      "--as-of", "2026-12-01"])
    assert "policy 2026-11-01: extraction coverage " in result.output, result.output


def test_reviewed_files_without_review_keys_load_unchanged():
    from tests.conftest import PRO_AT

    for flows in sorted((PRO_AT / "policies").glob("*.flows.yaml")):
        pol = ropa.load_policy(flows)
        assert pol.origin == "reviewed" and pol.review.empty and pol.coverage is None
        assert pol.coverage_line == "extraction coverage not measured"


def test_short_lines_ending_in_a_line_break_are_items_of_the_paragraph_before():
    from ropa.policy.parse import parse

    text = ("We share your personal data with the following providers:\n\nName Function Jurisdiction  \n"
            "Marketo Sending of emails USA  \nZendesk Support ticketing USA  \n")
    blocks = parse(text).sections[0].blocks
    assert [b.kind for b in blocks] == ["para", "item", "item", "item"]
    assert all(b.lead is blocks[0] for b in blocks[1:])
    st = extract(text).statements
    rows_ = st[st.recipients.map(lambda r: "vendor:zendesk" in r)]
    assert rows_.action.tolist() == ["transfer"] and rows_.countries.iloc[0] == ["US"]


def test_the_channels_we_reach_the_reader_by_are_not_recipients():
    got = rows("We use your email address to send you offers by post, email or mobile messaging (such as WhatsApp).")
    assert got and not any("vendor:whatsapp" in r for _, _, r in got)


def test_a_data_processing_agreement_is_a_safeguard_not_a_flow():
    assert rows("You can sign our Data Processing Agreement, which lists our sub-processors and the measures "
                "that protect personal data.") == []


def test_a_table_of_processing_activities_gives_use_retention_and_disclosure_per_row():
    text = ("| Purposes | Categories of data | Legal basis | Retention | Categories of recipients |\n"
            "| --- | --- | --- | --- | --- |\n"
            "| Billing of our customers | Identity data <br>Billing data | Performance of a contract | 10 years | Third parties |\n")
    st = extract(text).statements
    assert st.action.tolist() == ["use", "share"]
    assert st.data_categories.iloc[0] == ["user.name", "user.financial"]
    assert st.retention.iloc[0] == "P10Y" and st.legal_bases.iloc[0] == ["art6_1_b"]
    assert st.recipients.iloc[1] == ["third_party"]


def test_negations_in_their_real_variety():
    assert actions("We do not have the technical means to access the content of your encrypted emails.") == ["not_collect"]
    assert actions("In no case do we sell, share or rent out your email address to third parties.") == ["not_share"]
    assert actions("No log, account data or content data will be stored on our servers.") == ["not_collect"]


def test_relying_on_a_processor_is_sharing_with_it():
    assert ("share", ["user.contact.email"], ["vendor:hubspot"]) in rows(
        "To send the newsletter we rely on our processor HubSpot, which receives your email address.")


def test_a_list_item_is_not_cut_at_its_first_comma():
    got = rows("We collect:\n\n- Bank wire: sender name, postal address, bank account number\n"
               "- your email address, so that we can reach you, and nothing else\n")
    assert got[0][1] == ["user.name", "user.contact.address", "user.financial.bank_account"]
    assert got[1][1] == ["user.contact.email"]


def test_the_further_sentences_of_an_item_are_read_as_sentences():
    got = rows("What we receive:\n\n- Problem reports: app version and operating system are sent. "
               "IP addresses are not sent.\n")
    assert ("not_collect", ["user.device.ip_address"], ["we"]) in got
    assert any(a != "not_collect" and "user.device" in d for a, d, _ in got)


def test_a_company_in_a_cell_of_recipients_is_found_among_generic_words():
    text = ("| Purposes | Categories of data | Categories of recipients |\n| --- | --- | --- |\n"
            "| Legal claims | Identity data | Entitled Iliad service <br>Legal Department <br>Competent authorities |\n")
    rec = {r for rs in extract(text).statements.recipients for r in rs}
    assert "vendor:iliad" in rec and not any("legal" in r or "department" in r for r in rec)


def test_a_negation_whose_data_no_term_names_goes_to_review_not_to_all_personal_data():
    res = extract("## Notes\n\nYour browser name is never uploaded to our servers.\n")
    assert res.statements.empty
    assert res.review.reason.tolist() == ["unclear negation"]


def test_an_address_book_is_neither_a_postal_address_nor_the_reader_s_contact_details():
    st = extract("## Phone book\n\nYour address book is never stored on our servers; only hashed numbers "
                 "are processed.\n").statements
    # a promise about other people's details is no promise about the reader's own contact
    # details (read so, it contradicts every collection of an email address or phone number)
    assert not any(d.startswith("user.contact") for ds in st[st.action == "not_collect"].data_categories for d in ds)
    assert not any("user.contact.address" in d for d in st.data_categories)


# -- negations of a purpose ----------------------------------------------------------------------

def test_a_negated_use_names_every_purpose_it_denies():
    st = extract("## Ads\n\nYour information is not used for advertising, or any other form of profiling.\n").statements
    assert st.action.tolist() == ["not_collect"]
    assert {"marketing.advertising", "personalize.profiling"} <= set(st.purposes[0])


def test_a_verbless_negation_of_a_purpose_denies_it_for_personal_data():
    st = extract("## Decisions\n\nNo automated decision making, including profiling, under Article 22 GDPR "
                 "by the Company takes place.\n").statements
    assert st[["action", "data_categories", "purposes"]].values.tolist() == [
        ["not_collect", ["user"], ["personalize.profiling"]]]


def test_a_denied_purpose_is_not_lent_to_the_sections_other_statements():
    st = extract("## Your rights\n\nWe process your email address to answer you.\n\n"
                 "No profiling is carried out.\n").statements
    pos = st[st.action != "not_collect"]
    assert not any("personalize.profiling" in p for p in pos.purposes)


def test_the_output_a_processing_makes_names_its_purpose():
    st = extract("## Usage\n\nWe process your IP address in order to create "
                 "usage statistics.\n").statements
    assert "analytics" in st.purposes[0]


# -- scope ---------------------------------------------------------------------------------------

def test_a_policy_that_informs_its_users_is_scoped_to_them_and_to_those_its_statements_name():
    text = ("## About\n\nThis privacy notice informs you about how we process your data when you use our app. "
            "Any reference to \u201cyou\u201d in this notice includes the team admin of an account.\n\n"
            "## Sales\n\nWe store the email addresses of prospects to answer their questions.\n")
    assert extract(text).meta["scope"] == {"applies_to": ["customer", "prospect"], "excludes": []}


def test_a_policy_that_does_not_say_whom_it_informs_has_no_scope():
    text = "## Sales\n\nWe store the email addresses of prospects to answer their questions.\n"
    assert "scope" not in extract(text).meta


# -- payment -------------------------------------------------------------------------------------

def test_sharing_with_a_billing_provider_is_payment_data_to_a_payment_provider():
    st = extract("## Payment\n\nWe may ask you for details for billing purposes and may share that information "
                 "with a billing provider (\u201cData relevant to payment\u201d).\n").statements
    share = st[st.action == "share"]
    assert share[["data_categories", "recipients"]].values.tolist() == [
        [["user.payment"], ["third_party.service_provider.payment"]]]
    assert "essential.service.payment_processing" in share.purposes.iloc[0]


def test_a_provider_table_row_of_payment_services_has_that_purpose():
    text = ("## Providers\n\nFor users of business accounts we use these providers:\n\n"
            "| Name | Function | Jurisdiction |\n| --- | --- | --- |\n| Stripe | Payment services | USA |\n"
            "| Zendesk | Support ticketing | USA |\n")
    st = extract(text).statements.set_index(extract(text).statements.recipients.str[0])
    assert "essential.service.payment_processing" in st.loc["vendor:stripe", "purposes"]
    assert "essential.service.payment_processing" not in st.loc["vendor:zendesk", "purposes"]
    assert "customer" in st.loc["vendor:stripe", "data_subjects"]


def test_data_sent_to_us_by_a_party_is_collected_from_it_not_shared_with_it():
    st = extract("## Donations\n\nWe collect the transaction data sent to us by the payment processor. "
                 "Please check the privacy policy of the payment processor for details.\n").statements
    assert "share" not in st.action.tolist()


# -- purposes kept with their data ---------------------------------------------------------------

def test_data_shared_to_deliver_messages_keeps_that_purpose():
    text = ("## Conversations\n\nMessages are encrypted on your device. This includes the photos and location "
            "you decide to share in conversations.\n\nWe temporarily store encrypted messages on our servers. "
            "This is done to deliver messages to users who are offline.\n")
    st = extract(text).statements
    loc = st[st.data_categories.map(lambda d: "user.location" in d)]
    assert len(loc) and all(p == ["essential.service"] for p in loc.purposes)


def test_your_data_for_this_purpose_is_the_data_of_that_purpose():
    st = extract("## Newsletter\n\nWe process your email address and name to send you the newsletter. "
                 "We only store your data for this purpose as long as the subscription is active.\n").statements
    kept = st[st.action == "retain"]
    assert kept.data_categories.tolist() == [["user.contact.email", "user.name"]]


# -- negations read as negations -----------------------------------------------------------------

def test_no_data_mined_and_data_that_cannot_be_disclosed_are_negations():
    st = extract("## Ads\n\nNo user data is mined or analyzed to display ads or sponsored messages. "
                 "No contents of private chats are analyzed to show ads. "
                 "This data cannot be disclosed to any third parties.\n").statements
    assert st.action.tolist() == ["not_collect", "not_collect", "not_share"]
    assert st.data_categories.tolist()[0] == ["user"]  # sponsored messages are the ads, not user content
    assert all(p == ["marketing.advertising"] for p in st.purposes[:2])


def test_what_other_people_do_not_do_is_not_our_promise():
    assert extract("## Ads\n\nPremium users don't see ads.\n").statements.empty


def test_a_clause_without_a_subject_keeps_the_sentences_subject():
    st = extract("## Translation\n\nThese third-party companies will only access the data to provide a translation "
                 "and will not use it for advertising.\n").statements
    neg = st[st.action == "not_collect"]
    assert neg[["actor", "recipients"]].values.tolist() == [["third_party", ["third_party"]]]


def test_in_this_case_takes_the_purpose_and_consent_of_the_sentence_before():
    st = extract("## Calls\n\nIf you call us, we will record the call for quality assurance, but only with your "
                 "prior consent. In this case, we will process your phone number and the content of the call.\n"
                 ).statements
    row = st[st.data_categories.map(lambda d: "user.contact.phone_number" in d)].iloc[0]
    assert "functional.service.improve" in row.purposes and bool(row.consent)


def test_a_purpose_word_in_the_condition_is_the_occasion_not_the_purpose():
    text = ("If you write to us about one of our newsletters, we keep your email address to answer "
            "your request.")
    st = extract(text).statements
    purposes = {p for ps in st.purposes for p in ps}
    assert "essential.service.operations.support" in purposes
    assert not any(p.startswith("marketing") for p in purposes)
    # with no purpose of its own in the main clause, the condition's purpose stays
    alone = extract("When you subscribe to our newsletter, we store your email address.").statements
    assert any(p.startswith("marketing") for ps in alone.purposes for p in ps)


def test_what_a_choice_is_based_on_is_data_put_to_use():
    st = extract("Recommendations are tailored based on your purchase history and the pages you visit.").statements
    assert st.action.tolist() == ["use"]
    assert "user.behavior.purchase_history" in st.data_categories[0]
    # "on the basis of" a legal ground names no data: no statement about data
    assert extract("Ads may be selected on the basis of the topic of the page.").statements.empty


def test_channels_a_reader_follows_are_media_consumption():
    st = extract("We may show you ads chosen on the basis of the channels you follow.").statements
    assert st.data_categories.tolist() == [["user.behavior.media_consumption"]]


def test_the_dated_entries_of_a_changelog_state_no_processing():
    text = ("# Privacy\n\n## Payments\n\nWe share your card number with our payment provider.\n\n"
            "## Changes to this policy\n\n**March 3, 2024**\n\n* Added that we send your email address to "
            "our newsletter provider.\n\n**May 9, 2025**\n\nWe now explain how we share your card number.\n\n"
            "We will send notice of changes to your email address.\n")
    st = extract(text).statements
    lines = set(st.line)
    assert 5 in lines and not lines & {11, 12, 15}
    # the section's own sentence after the entries is read as usual
    assert 17 in lines


def test_cases_enumerated_inline_continue_the_item_and_the_list_lead():
    text = ("## Legal bases\n\nWe process your personal data:\n\n"
            "* **When you have given us your consent.** For example: (a) to send you our newsletter; "
            "(b) to record your calls with our help desk.\n"
            "* **When the law obliges us.** This covers tax records.\n")
    st = extract(text).statements
    cases = st[st.consent.astype(bool)]
    assert len(cases) == 2 and set(cases.line) == {5}
    newsletter, calls = cases.iloc[0], cases.iloc[1]
    assert any(p.startswith("marketing") for p in newsletter.purposes) and newsletter.data_categories == ["user"]
    assert calls.action == "collect" and calls.data_categories == ["user.content.private"]
    # an item with no enumeration is not split
    from ropa.policy.cues import inline_cases
    assert inline_cases("We may share it with: our host, our bank (see below).") == []
    assert inline_cases("Such cases include: 1) billing, 2) support and 3) security.") == ["billing", "support", "security"]


def test_a_disclosure_among_inline_cases_stays_a_disclosure():
    text = ("## Legal bases\n\nWe process your personal data:\n\n"
            "* **When the law obliges us.** Such cases include: i) to keep your invoices; ii) to answer requests "
            "from the authorities.\n")
    st = extract(text).statements
    assert sorted(st.action) == ["share", "use"]
    share = st[st.action == "share"].iloc[0]
    assert share.recipients == ["third_party.public_authority"] and share.legal_bases == ["art6_1_c"]


def test_changelog_entries_under_a_date_heading_or_a_plain_title_state_no_processing():
    dated = ("# Privacy\n\n## Policy updates\n\nWe email you when this policy changes.\n\n### March 3, 2024\n\n"
             "We now share your card number with our bank.\n")
    assert set(extract(dated).statements.line) <= {5}
    plain = ("Privacy Policy\n\nWe collect your email address for customer support.\n\n"
             "Changes to this Privacy Policy\n\nWe may change this policy.\n\n**May 2, 2023**\n\n"
             "* We now collect your phone number for login.\n")
    st = extract(plain).statements
    assert not (st.data_categories.map(lambda d: "user.contact.phone_number" in d)).any()


def test_a_summary_of_the_latest_edit_states_no_processing():
    text = ("# Privacy\n\n## What's changed\n\n* Clarify how your email address is shared with payment providers\n"
            "* Discussion of service providers\n\nWe store your email address to tell you about changes.\n\n"
            "## Data\n\nWe collect your email address.\n")
    st = extract(text).statements
    # the bullets say what the edit changed; the section's own sentence is read as usual
    assert list(st.line) == [8, 12]


# -- lists that go on from the sentence before (issue 17, recall) -------------------------------------

def test_a_lead_in_that_points_back_continues_the_sentence_before():
    text = ("## Embedded media\n\nWhen a page shows a video hosted elsewhere, some details are passed to third parties. "
            "These details include:\n\n- your IP address\n- your browser type\n")
    got = rows(text)
    assert ("share", ["user.device.ip_address"], ["third_party"]) in got
    assert ("share", ["user.device"], ["third_party"]) in got
    assert not any(a in ("collect", "use") for a, _, _ in got)


def test_a_lead_in_that_points_back_never_carries_a_negation():
    text = ("## Selling\n\nWe never sell your data to advertisers. This information includes:\n\n"
            "- your email address\n- your order history\n")
    got = rows(text)
    assert not any(a == "not_share" and d != ["user"] for a, d, _ in got)
    assert all(a != "share" for a, _, _ in got)


def test_a_lead_in_with_data_of_its_own_keeps_its_own_action():
    text = ("## Forms\n\nSome data goes to our payment partner. This contact information includes:\n\n- your phone number\n")
    assert ("share", ["user.contact.phone_number"], ["third_party"]) not in rows(text)


def test_data_sent_to_a_third_party_in_the_passive_is_shared():
    assert rows("Your IP address is sent to these third-parties when a page loads.") == [
        ("share", ["user.device.ip_address"], ["third_party"])]


def test_data_the_reader_may_add_is_collected():
    assert rows("You may optionally add a phone number to your profile.") == [
        ("collect", ["user.contact.phone_number"], ["we"])]
    assert actions("You can address questions about your phone number to our support desk.") != ["collect"]


def test_password_recovery_is_a_purpose_not_a_password():
    got = rows("You can provide a backup email address for password recovery.")
    assert all("user.authorization.password" not in d for _, d, _ in got)


def test_push_tokens_usernames_transaction_details_and_contacts_are_data():
    assert ("collect", ["user.device.device_id"], ["we"]) in rows("We store push tokens so your phone can be woken up.")
    assert ("collect", ["user.account.username"], ["we"]) in rows("We store the usernames of people you invite.")
    assert ("collect", ["user.financial"], ["we"]) in rows("We collect the transaction details that the bank sends.")
    assert ("not_share", ["user.contact"], ["third_party"]) in rows("We never share your contacts with third parties.")


def test_we_and_a_partner_as_subject_make_two_flows():
    got = rows("We and selected partners use cookies to measure how visitors move through the site.")
    assert ("track", ["user.device.cookie"], ["third_party"]) in got
    assert ("track", ["user.device.cookie"], ["we"]) in got
    got = rows("We and our partners may gather your IP address.")
    assert {a for a, _, _ in got} == {"share", "collect"}


def test_we_and_a_partner_who_share_in_words_make_one_disclosure():
    got = rows("We and our partners may disclose your email address to advertisers.")
    assert [a for a, _, _ in got] == ["share"]


def test_outsiders_named_by_what_they_are_are_recipients():
    assert rows("Map tile providers may record your IP address when a map loads.") == [
        ("share", ["user.device.ip_address"], ["third_party"])]
    assert rows("Unconnected parties on the internet could collect your public comments.") == [
        ("share", ["user.content.public"], ["third_party"])]


def test_data_received_from_outsiders_named_by_what_they_are_is_not_shared_with_them():
    text = "## Sources\n\nWe collect:\n\n- your email address from identity providers you sign in with\n"
    assert all(a != "share" for a, _, _ in rows(text))


def test_statements_with_unnamed_third_parties_stay_apart():
    text = ("## Apps\n\nAdvertising providers may collect your IP address. "
            "Analytics vendors may also collect your device model.\n")
    lines = [r.line for r in extract(text).statements.itertuples() if r.action == "share"]
    assert len(lines) == 2


def test_small_files_in_a_cookie_definition_are_not_content():
    got = rows("We collect information through cookies. These are small text files that your browser keeps.")
    assert all("user.content.private" not in d for _, d, _ in got)


def test_beacons_pixel_tags_and_use_of_the_website_are_data():
    got = rows("We use web beacons and pixel tags to measure your use of our website.")
    assert any("user.device.cookie" in d and "user.behavior" in d for _, d, _ in got)


# -- data shown to anyone ---------------------------------------------------------------------------

def test_data_shown_publicly_goes_to_other_users_and_the_public():
    assert rows("Your city is displayed publicly next to your reviews.") == [
        ("share", ["user.contact.address.city", "user.content.public"], ["third_party.other_users"])]


def test_data_we_collect_and_show_publicly_is_two_flows():
    got = rows("We collect your date of birth, which is visible to other users.")
    assert ("collect", ["user.demographic.date_of_birth"], ["we"]) in got
    assert ("share", ["user.demographic.date_of_birth"], ["third_party.other_users"]) in got


def test_a_list_of_details_shown_publicly_is_two_flows_per_item():
    text = ("## Profile\n\nYou may choose to give us more details, which are shown publicly. This includes:\n\n"
            "- your gender\n- your phone number\n")
    got = rows(text)
    for key in ("user.demographic.gender", "user.contact.phone_number"):
        assert ("collect", [key], ["we"]) in got
        assert ("share", [key], ["third_party.other_users"]) in got


def test_data_not_shown_publicly_is_no_disclosure():
    assert all(r != ["third_party.other_users"] for _, _, r in rows("Your email address is never shown publicly."))


def test_under_no_circumstances_reaches_over_hyphenated_words():
    assert rows("Under no circumstances will we hand end-to-end encrypted content over or disclose it to advertisers.") == [
        ("not_share", ["user.content.private"], ["third_party.advertising"])]


def test_timestamps_are_telemetry():
    assert ("collect", ["user.telemetry"], ["we"]) in rows("We also store the date and time of your visit.")


def test_a_policy_that_says_what_it_describes_states_no_flow():
    assert rows("This notice explains how we collect and use your email address.") == []
    assert rows("We explain in this privacy statement how we use your phone number.") == []


def test_we_with_a_party_in_brackets_mid_sentence_make_two_flows():
    got = rows("When you install the app, we (or device platform providers) may collect crash reports.")
    assert ("collect", ["user.telemetry"], ["we"]) in got
    assert ("share", ["user.telemetry"], ["third_party"]) in got


def test_a_sentence_naming_the_data_just_spoken_of_goes_on_with_that_statement():
    text = ("## Widgets\n\nWhen a page shows a weather widget, some details are passed to the widget's vendors. "
            "These details include your approximate location and your IP address.\n")
    got = rows(text)
    assert len(got) == 1
    action, data, recipients = got[0]
    assert action == "share" and recipients == ["third_party"]
    assert {"user.location.imprecise", "user.device.ip_address"} <= set(data)


def test_a_sentence_naming_data_never_continues_a_negation():
    text = "## Ads\n\nWe never sell data to advertisers. This data includes your email address.\n"
    assert all(a != "share" for a, _, _ in rows(text))


def test_data_that_is_also_personal_data_adds_to_what_was_just_collected():
    got = rows("When you sign up we record your postal address. Your password is also personal data.")
    assert ("collect", ["user.contact.address"], ["we"]) in got
    assert any(a == "collect" and d == ["user.authorization.password"] for a, d, _ in got), got
    # After a promise not to collect, or said on its own, it is a definition and no flow.
    assert rows("We do not record your postal address. Your password is also personal data.") == [
        ("not_collect", ["user.contact.address"], ["we"])]
    assert rows("Your password is also personal data.") == []


def test_the_data_a_lawful_basis_is_stated_for_is_personal_data():
    st = extract("# Privacy\n\n## Ads\n\nThe data we rely on to show ads is processed on the basis of our "
                 "legitimate interest.\n").statements
    assert [(r.action, list(r.data_categories), list(r.legal_bases)) for r in st.itertuples()] == [
        ("use", ["user"], ["art6_1_f"])]
    for text in ("The data protection officer is appointed on the basis of a legal obligation.",
                 "Anonymous data is processed on the basis of our legitimate interest.",
                 "The data is processed quickly."):
        assert rows(text) == [], text


def test_compliance_with_the_law_is_a_purpose():
    st = extract("# Uses\n\nWe use your email address for:\n\n- billing;\n"
                 "- compliance with applicable laws and our legal obligations.\n").statements
    assert [list(p) for p in st["purposes"]] == [["essential.service.payment_processing"],
                                                 ["essential.legal_obligation"]]


def test_a_lead_in_to_a_list_of_purposes_is_the_flow_and_its_items_say_why():
    for lead in ("We use your personal data for:", "We use your personal data for the following purposes:"):
        st = extract(f"# Uses\n\n{lead}\n\n- billing;\n- customer support.\n").statements
        assert [(r.action, list(r.data_categories), sorted(r.purposes)) for r in st.itertuples()] == [
            ("use", ["user"], ["essential.service.operations.support", "essential.service.payment_processing"])], lead
    # a lead-in announcing data lists what, not why: it is no flow of its own
    assert rows("# Data\n\nWe collect the following personal data:\n\n- your name;\n- your email address.\n") == [
        ("collect", ["user.name"], ["we"]), ("collect", ["user.contact.email"], ["we"])]


def test_a_sentence_after_a_list_goes_on_with_the_list_not_with_its_last_item():
    text = ("# Data\n\nWe collect the following:\n\n- your name;\n- your order history.\n\n"
            "We may also collect details from the spreadsheets our members import. This information "
            "collection is limited to email addresses, stored only as hashes. Finally, we also collect "
            "your IP address through cookies.\n")
    st = extract(text).statements
    got = [(r.line, r.action, list(r.data_categories)) for r in st.itertuples()]
    # the unread sentence is what "this" points to: the email addresses are not the order
    # history's, and the IP address is a statement of its own, not one more datum of the last item
    assert got[:2] == [(5, "collect", ["user.name"]), (6, "collect", ["user.behavior.purchase_history"])]
    assert (8, "collect", ["user.contact.email"]) in got
    assert any(line == 8 and "user.device.ip_address" in d for line, _, d in got[2:])
    assert not any(line == 6 and "user.contact.email" in d for line, _, d in got)


def test_data_a_third_party_provides_to_us_is_collected_not_shared():
    for text in ("Payment providers provide us with your billing address.",
                 "Our partners may provide your personal data to us."):
        assert [a for a, _, _ in rows(text)] == ["collect"], text
        assert all(r == ["we"] for _, _, r in rows(text)), text
    assert rows("We share your email address with vendors who provide services to us.") == [
        ("share", ["user.contact.email"], ["third_party"])]


def test_a_word_for_people_before_a_noun_it_modifies_names_no_data_subject():
    st = extract("# Support\n\nWe record your calls for customer support and to improve the user experience.\n"
                 "\nWe keep the invoices of our customers.\n").statements
    assert [list(s) for s in st["data_subjects"]] == [[], ["customer"]]


def test_address_the_verb_is_no_address_the_data():
    for text in ("We use the messages you send us to address your questions.", "Address Partner responsibilities"):
        assert not any("user.contact.address" in d for _, d, _ in rows(text)), text
    assert ("collect", ["user.contact.address"], ["we"]) in rows("Address details: we collect your postal address.")
    assert ("retain", ["user.contact.address"], ["we"]) in rows("Address details are kept for 5 years.")


def test_talk_about_how_we_process_and_whether_data_is_required_is_no_flow():
    for text in ("We hope to answer any questions you may have about the way we process your personal data.",
                 "We will tell you whether the provision of your personal data is mandatory or optional."):
        assert rows(text) == [], text


def test_no_data_of_a_kind_is_ever_shared_is_a_promise():
    for text in ("No user data is ever shared with third parties in that process.",
                 "No account details are given to advertisers."):
        assert [a for a, _, _ in rows(text)] == ["not_share"], text
    # a limit on how much is shared still states a disclosure
    assert [a for a, _, _ in rows("We make sure no more data than needed is shared with our payment provider.")] == [
        "share"]


def test_advice_to_the_reader_in_the_imperative_is_no_promise_of_ours():
    for text in ("If you are under 16, do not use the app or provide your personal data to us.",
                 "For your safety, never give out your password.", "Never share your password with anyone."):
        assert rows(text) == [], text
    # our own promises keep their subject, their inversion or their shared subject
    assert [a for a, _, _ in rows("Never do we share your email address.")] == ["not_share"]
    assert [a for a, _, _ in rows("Your IP address: never stored.")] == ["not_collect"]
    assert [a for a, _, _ in rows("We collect your email address but never share it.")] == ["collect", "not_share"]


def test_a_lower_case_imperative_list_item_is_advice_not_a_promise():
    kept = extract("## Keeping your account safe\n\nTo keep your profile safe, we suggest that you:\n\n"
                   "* pick a long passphrase\n* never disclose your login details to other people\n").statements
    assert not any(a.startswith("not_") for a in kept.action), kept[["action", "quote"]]
    # a reader who is too young told what not to do gives no promise of ours either
    assert [a for a, _, _ in rows("If you are a minor, do not submit your contact details to us.")] == []
    # with "we" in the sentence the negative stays our promise
    assert [a for a, _, _ in rows("We will never share your contact details with advertisers.")] == ["not_share"]


def test_what_we_do_with_a_childs_data_received_by_mistake_is_no_flow():
    for text in ("If we find out that a minor under 16 has given us personal information, we will erase it.",
                 "If you believe that your child sent us their email address, please write to our support team.",
                 "If you are a guardian and think or believe your child has shared data with us, tell us."):
        assert rows(text) == [], text
    # the promise about children itself stays
    assert [a for a, _, _ in rows("We do not knowingly collect personal data from children under 13.")] == [
        "not_collect"]


def test_our_own_address_is_no_data_we_collect():
    for text in ("To ask for a copy of your data, send an email to dpo@example.org.",
                 "You can also write to us at: Example Ltd, 4 High Road, Leeds."):
        assert rows(text) == [], text
    assert rows("## Contact\n\nReach our officer in one of these ways:\n\n* email dpo@example.org\n"
                "* write to us at: Example Ltd, 4 High Road, Leeds\n") == []
    # collecting the reader's address is still a collection
    assert [a for a, _, _ in rows("We collect your email address when you register.")] == ["collect"]


def test_a_support_request_is_data_but_answering_one_is_a_purpose():
    kept = extract("## Help desk\n\nWhen you open a ticket with our help desk, we process what you write in "
                   "the support request to solve your problem.\n").statements
    assert any("user.content.private" in d for d in kept.data_categories)
    purpose = extract("## Providers\n\nWe share personal data with service providers only as far as needed (for "
                      "instance, to answer your support request).\n").statements
    assert purpose.data_categories.tolist() and all(d == ["user"] for d in purpose.data_categories)


def test_data_sent_to_our_own_server_is_collected_not_disclosed():
    st = extract("## Friends\n\nYour contacts may be hashed and transmitted to the server so that "
                 "we can tell you which friends are registered.\n").statements
    assert not st.empty and "share" not in st.action.tolist()
    assert "third_party" not in {r for rs in st.recipients for r in rs}
    away = extract("## Friends\n\nYour contact list is transmitted to the servers of an external provider "
                   "for matching.\n").statements
    assert "share" in away.action.tolist()


def test_having_no_access_to_data_is_a_promise_not_to_collect_it():
    st = extract("## Encryption\n\nYour chat messages belong to you, and our staff have no access "
                 "to them.\n").statements
    assert ("not_collect", ["user.content.private"]) in [(a, d) for a, d in zip(st.action, st.data_categories, strict=True)]
    # "no readable access": the messages are still held, only encrypted; no denial of holding them
    held = extract("## Encryption\n\nOur servers have no readable access to your chat messages.\n").statements
    assert "not_collect" not in held.action.tolist()
    own = extract("## Encryption\n\nWe have no way to read your chat messages.\n").statements
    assert own.action.tolist() == ["not_collect"]
    reader = extract("## Accounts\n\nYou have no access to the chat messages of other members.\n").statements
    assert "not_collect" not in reader.action.tolist()


def test_a_topic_before_a_colon_is_no_data_of_the_sentence_that_follows():
    st = extract("## Providers\n\n_Phone numbers:_ We may pass your postal address to Acme Registry Ltd "
                 "when you order a number.\n").statements
    assert [d for d in st.data_categories] == [["user.contact.address"]]
    # a sentence naming no data of its own speaks of its topic ("them")
    alone = extract("## Providers\n\n_Phone numbers:_ We may pass them to Acme Registry Ltd.\n").statements
    assert any("user.contact.phone_number" in d for d in alone.data_categories)


def test_data_named_in_the_purpose_is_why_not_what_is_processed():
    st = extract("## Providers\n\nWe share your email address with our registrar for the purposes of "
                 "moving your domain name and IP addresses to your new host.\n").statements
    assert st.data_categories.tolist() == [["user.contact.email"]]
    # the purpose ends where the sentence goes on with more data of the reader's
    more = extract("## Providers\n\nWe collect your name for the purposes of billing and your IP address "
                   "to prevent fraud.\n").statements
    assert {"user.name", "user.device.ip_address"} <= set(more.data_categories[0])


def test_a_named_provider_gets_the_data_its_stated_function_needs():
    text = ("## Providers\n\nWe use these providers:\n\n| Name | Function | Location |\n| --- | --- | --- |\n"
            "| Paywise Ltd | Payment services | Ireland |\n| Rackhouse Ltd | Hosting of our servers | Ireland |\n")
    st = extract(text).statements
    by = {r[0]: list(d) for r, d in zip(st.recipients, st.data_categories, strict=True)}
    assert by["vendor:paywise"] == ["user", "user.payment"]
    assert by["vendor:rackhouse"] == ["user"]  # no function that needs data of a kind


def test_a_law_that_lets_the_reader_request_information_is_a_right_not_a_disclosure():
    text = ("## Residents\n\nA state law permits you to request details about the disclosure of your "
            "personal data to third parties for their marketing.\n")
    assert not [a for a in extract(text).statements.action if a in ("share", "transfer")]
    # a disclosure said in its own words still stands
    assert rows("We share your email address with third parties for their marketing.") == [
        ("share", ["user.contact.email"], ["third_party"])]


def test_the_controller_is_neither_a_linked_service_nor_a_representative():
    from ropa.policy.facts import controller_named_in_contacts, controller_names_stated
    from ropa.policy.parse import parse

    text = "Sign in to your Acme account. " * 8 + "You may link your Vidtube account to publish videos."
    assert controller_names_stated(text) == ["Acme"]
    contact = parse("# Policy\n\n## Contact us\n\nAcme Widgets AB, Box 1, Stockholm.\n\n"
                    "You may also contact our representative in the EU:\n\n* Repco Ireland Ltd., Cork\n")
    assert controller_named_in_contacts(contact) == ["Acme Widgets AB"]


def test_a_do_not_sell_title_with_we_as_its_subject_is_a_promise_and_the_link_is_a_name():
    # "We Do Not Sell ..." in title case is the promise itself, not the name of the link
    assert actions("We Do Not Sell Your Personal Information.") == ["not_share"]
    # the link's name holds a verb and data words: neither a disclosure nor data
    assert actions("To opt out, click the Do Not Sell My Personal Information link.") == []
