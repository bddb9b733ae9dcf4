"""Policy diffs on small texts written for each rule: stated dates, sentences paired across
versions, sub-processor tables diffed row by row."""

from __future__ import annotations

import pytest

import ropa
from ropa.policy.facts import stated_date
from tests.diffing import material_rows, policy_from


@pytest.mark.parametrize(("text", "date"), [
    ("Last updated: 2025.05.19", "2025-05-19"),
    ("Some text.\n\nLast revised APRIL-2024\n", "2024-04"),
    ("# Privacy\n\nUpdated August 2026\n\nWe collect your email address.", "2026-08"),
    ("_Effective: 13 July 2026_", "2026-07-13"),
    ("Privacy Policy\n==============\n\nMay 9, 2023\n\nWe collect your name.", "2023-05-09"),
    # a month alone in running prose is not the policy's date
    ("As of June 2024, creators are able to offer paid access to their channels.", None),
    # an impossible day is not read as a month
    ("Last updated: 31 February 2025", None),
    # a date in the prose further down is not a heading date
    ("# Notice\n\nWe collect your name.\n\nMore text.\n\nAnd more.\n\nYet more.\n\nMay 9, 2023", None),
])
def test_stated_date_formats(text, date):
    assert stated_date(text) == date


def test_the_newest_changelog_entry_is_the_date():
    text = ("# Policy\n\nWe collect your name.\n\n## 11. Changes to this Privacy Policy\n\n"
            "We may update this policy.\n\n**March 25, 2019**\n\n* Expanded 10.2.\n\n"
            "**August 21, 2026**\n\n* Updated 5.6.\n\n**February 3, 2023**\n\n* Fixed a typo.\n\n"
            "## 12. Further information\n\n**December 1, 2030**\n")
    assert stated_date(text) == "2026-08-21"
    # without a changelog heading the dated lines are not the policy's date
    assert stated_date(text.replace("Changes to this Privacy Policy", "Miscellaneous")) is None


def test_compliance_cue_reads_every_form_of_the_verb():
    from ropa.policy.cues import COMPLIANCE

    for text in ("it adheres to the Principles", "we adhere to", "has adhered", "Acme complies with",
                 "we comply with", "in compliance with"):
        assert COMPLIANCE.search(text), text
    assert not COMPLIANCE.search("we store adhesive labels")




def test_a_reworded_framework_paragraph_is_no_new_transfer(tmp_path):
    old = policy_from(tmp_path, "old.md",
        "# Privacy\n\n## Data Privacy Framework\n\nAcme complies with the EU-U.S. Data Privacy Framework and the UK "
        "Extension to the EU-U.S. DPF. We adhere to the EU-U.S. DPF Principles with regard to the processing of "
        "personal data received from the European Union and the United Kingdom.\n")
    new = policy_from(tmp_path, "new.md",
        "# Privacy\n\n## Data Privacy Framework\n\nAcme complies with the EU-U.S. Data Privacy Framework and the UK "
        "Extension to the EU-U.S. DPF. Acme adheres to the EU-U.S. DPF Principles with regard to the processing of "
        "personal data received from the European Union in reliance on the EU-U.S. DPF and from the United Kingdom "
        "in reliance on the UK Extension.\n")
    assert material_rows(ropa.diff_policies(old, new)).empty


SUBPROCESSORS = """# Privacy

## Sub-processors

| Company | Location | Service |
| --- | --- | --- |
{rows}
"""


def _table(tmp_path, name, rows):
    return policy_from(tmp_path, name, SUBPROCESSORS.format(rows="\n".join(f"| {r} |" for r in rows)))


def test_a_subprocessor_table_is_diffed_row_by_row(tmp_path):
    old = _table(tmp_path, "old.md", ["Airwallex | EU | Payment processing", "Google, Inc | USA | Site analytics",
                                      "Refinery 89 | EU | Ad-Service", "Snigel | EU | Ad-Service",
                                      "Zendesk | EU | Customer support and CRM system"])
    new = _table(tmp_path, "new.md", ["Actirise | EU | Ad-Service", "Airwallex | EU | Payment processing",
                                      "Google LLC | USA | Site analytics", "Pipedrive | EU | CRM System",
                                      "Zendesk | EU | Customer support"])
    changes = ropa.diff_policies(old, new)
    material = material_rows(changes)
    added = {k for keys in material.loc[material["kind"] == "added", "added"] for k in keys}
    removed = {k for keys in material.loc[material["kind"] == "removed", "removed"] for k in keys}
    # a row naming another recipient is not the same row changed: Snigel is removed, Actirise added
    assert {"~actirise", "vendor:pipedrive"} <= added or {"~actirise", "~pipedrive"} <= added, added
    assert any("snigel" in k for k in removed) and any("refinery" in k for k in removed), removed
    # Google renamed is the same recipient: no change of substance on its row
    assert not material["new_line"].eq(9).any()
    role = material[material["reason"].str.startswith("role narrowed")]
    assert len(role) == 1 and role.iloc[0]["direction"] == "favourable"
    assert (role.iloc[0]["old_line"], role.iloc[0]["new_line"]) == (11, 11)


def test_a_widened_role_is_an_adverse_change(tmp_path):
    old = _table(tmp_path, "old.md", ["Zendesk | EU | Customer support"])
    new = _table(tmp_path, "new.md", ["Zendesk | EU | Customer support and CRM system"])
    role = material_rows(ropa.diff_policies(old, new))
    assert role["reason"].str.startswith("role widened").tolist() == [True]
    assert role.iloc[0]["direction"] == "adverse"


def test_a_role_written_with_other_function_words_is_no_change(tmp_path):
    old = _table(tmp_path, "old.md", ["Zendesk | EU | Customer support for the users"])
    new = _table(tmp_path, "new.md", ["Zendesk | EU | customer support, for users"])
    assert material_rows(ropa.diff_policies(old, new)).empty


def test_a_table_of_rights_is_not_a_table_of_recipients():
    from ropa.diff.entities import EntityResolver
    from ropa.diff.tables import table_rows

    text = "| It's your right to... | | How? |\n| --- | --- | --- |\n| Be informed | Of the data | Read this |\n"
    assert table_rows(text, EntityResolver()) == {}


def test_data_used_for_a_purpose_it_never_served_is_a_new_purpose(tmp_path):
    old = policy_from(tmp_path, "old.md", "# Privacy\n\nWe use your email address to send you our newsletter.\n\n"
                                      "We use your name for customer support.\n")
    new = policy_from(tmp_path, "new.md", "# Privacy\n\nWe use your email address to send you our newsletter.\n\n"
                                      "We use your name for customer support.\n\n"
                                      "We use your email address for customer support.\n")
    material = material_rows(ropa.diff_policies(old, new))
    assert material["reason"].tolist() == ["new purpose for Email address: Customer support"]
    assert material.iloc[0][["kind", "aspect", "new_line"]].tolist() == ["added", "purpose", 7]


def test_a_new_kind_in_a_list_of_kinds_of_provider_is_a_new_recipient(tmp_path):
    text = ("# Privacy\n\nWe share your personal data with service providers. Such third parties include "
            "providers of: website hosting; analytics services{}; and customer support operations.\n")
    old = policy_from(tmp_path, "old.md", text.format(""))
    new = policy_from(tmp_path, "new.md", text.format("; generative AI services"))
    material = material_rows(ropa.diff_policies(old, new))
    assert len(material) == 1 and material.iloc[0]["reason"].startswith("new kind of recipient: AI service providers")
    # naming a kind where the old version listed none is being more specific, not a new kind
    plain = policy_from(tmp_path, "plain.md", "# Privacy\n\nWe share your personal data with service providers.\n")
    changes = ropa.diff_policies(plain, policy_from(tmp_path, "ai.md", "# Privacy\n\nWe share your personal data "
                                                "with service providers such as providers of generative AI services.\n"))
    assert not changes["reason"].str.contains("new kind of recipient").any()
    assert changes["reason"].str.contains("recipient now named specifically: AI service providers").any()


def test_recorded_calls_are_data_with_purposes_and_a_retention_not_a_new_kind_of_person(tmp_path):
    head = ("# Privacy\n\n## What we collect\n\n* **Live chat.** If you contact us via live chat, we process your "
            "email address to answer your request.\n")
    call = ("* **Phone calls.** If you call us, we will record the call for quality assurance and to respond to "
            "your queries, but only with your prior consent. We will process the content of the call (including "
            "your voice).\n")
    keep = ("\n## Retention\n\nWe keep your data only as long as necessary. Specific periods:\n\n"
            "* Billing details are kept for 10 years.\n{}")
    old = policy_from(tmp_path, "old.md", head + keep.format(""))
    new = policy_from(tmp_path, "new.md", head + call + keep.format(
        "* If the call is recorded, recordings will be retained for a maximum period of 2 years.\n"))
    material = material_rows(ropa.diff_policies(old, new))
    by_aspect = dict(zip(material["aspect"], material["reason"], strict=True))
    assert "new data category: Private messages and content" in by_aspect["data_category"]
    assert "Improving the service" in by_aspect["purpose"]
    assert "retention stated: P2Y" in by_aspect["retention"]
    assert "data_subject" not in by_aspect


def test_a_promise_narrowed_to_less_data_is_an_adverse_change(tmp_path):
    old = policy_from(tmp_path, "old.md", "# Privacy\n\nWe never share your personal data with advertisers for advertising.\n")
    new = policy_from(tmp_path, "new.md", "# Privacy\n\nWe never share the contents of your chats with advertisers "
                                      "for advertising.\n")
    forward = material_rows(ropa.diff_policies(old, new))
    assert forward[["kind", "aspect", "direction"]].values.tolist() == [["changed", "purpose", "adverse"]]
    assert forward.iloc[0]["reason"].startswith("negative statement narrowed: the promise now covers Private messages")
    backward = material_rows(ropa.diff_policies(new, old))
    assert backward[["aspect", "direction"]].values.tolist() == [["purpose", "favourable"]]


def test_a_reworded_sentence_is_compared_with_what_it_said_before(tmp_path):
    from ropa.diff.passages import pair_passages, similarity

    old = policy_from(tmp_path, "old.md", "# Privacy\n\n## Ads\n\nWe never share your personal data with advertisers "
                                      "for advertising.\n")
    new = policy_from(tmp_path, "new.md", "# Privacy\n\n## Ads\n\nWe never share the contents of your chats with "
                                      "advertisers for advertising.\n\n## Premium\n\nPremium members see no ads at all: we never "
                                      "share their personal data with advertisers for advertising in any form.\n")
    # the statement identical in substance stands elsewhere; the reworded sentence is the one to compare
    material = material_rows(ropa.diff_policies(old, new))
    assert material["reason"].str.startswith("negative statement narrowed").tolist() == [True]
    assert (material.iloc[0]["old_line"], material.iloc[0]["new_line"]) == (5, 5)
    # moved sentences pair whole, reworded ones by their words in order, each sentence once
    assert pair_passages(["A b c d e.", "Cookies expire after a year."],
                         ["Cookies expire after a year.", "Nothing alike here at all."]) == [(1, 0, 1.0)]
    assert similarity("We keep logs for 7 days.", "We keep logs for 7 days only.") >= 0.6


def test_stated_dates_take_linear_time_on_hostile_shapes():
    import time

    def cost(n):
        text = "## Changelog\n\n" * n + "# Title\n\n" + " " * (20 * n) + "\n" + "Last updated " * n
        start = time.process_time()
        stated_date(text)
        return time.process_time() - start

    small, large = cost(500), cost(2000)
    assert large < 0.5 or large / max(small, 1e-3) < 8, (small, large)


def test_a_purpose_given_for_personal_data_in_general_does_not_cover_a_new_use_of_named_data(tmp_path):
    head = ("# Privacy\n\nWe collect your phone number for customer support.\n\n"
            "We process your personal data to improve the service.\n")
    old = policy_from(tmp_path, "old.md", head)
    new = policy_from(tmp_path, "new.md", head + "\nWe also use your phone number to improve the service.\n")
    material = material_rows(ropa.diff_policies(old, new))
    assert material[["kind", "aspect", "new_line"]].values.tolist() == [["added", "purpose", 7]]
    assert material.iloc[0]["reason"] == "new purpose for Phone number: Improving the service"


def test_the_purposes_of_a_new_data_category_are_part_of_that_change(tmp_path):
    head = "# Privacy\n\nWe collect your email address for customer support.\n"
    old = policy_from(tmp_path, "old.md", head)
    new = policy_from(tmp_path, "new.md", head + "\nWe collect your date of birth for customer support.\n")
    material = material_rows(ropa.diff_policies(old, new))
    assert material["aspect"].tolist() == ["data_category"]
    assert not material["reason"].str.contains("new purpose").any()


def test_a_consent_requirement_is_a_change_of_its_own_beside_an_adverse_one(tmp_path):
    old = policy_from(tmp_path, "old.md", "# Privacy\n\nWe collect your phone number for customer support.\n\n"
                                      "We store your messages for customer support.\n")
    new = policy_from(tmp_path, "new.md", "# Privacy\n\nWe collect your phone number for customer support.\n\n"
                                      "## Messages\n\n"
                                      "With your consent, we store your messages for customer support and to improve "
                                      "the service.\n")
    material = material_rows(ropa.diff_policies(old, new))
    rows = dict(zip(material["aspect"], material["direction"], strict=True))
    assert rows == {"purpose": "adverse", "consent": "favourable"}
    assert set(material["new_line"]) == {7}
    # while the version still stores the messages without consent elsewhere, nothing became
    # consent-only: the new sentence only adds a purpose
    both = policy_from(tmp_path, "both.md", "# Privacy\n\nWe collect your phone number for customer support.\n\n"
                                        "We store your messages for customer support.\n\n"
                                        "With your consent, we store your messages for customer support and to "
                                        "improve the service.\n")
    assert list(material_rows(ropa.diff_policies(old, both))["aspect"]) == ["purpose"]


def test_a_new_promise_about_a_use_is_a_purpose_change_not_a_new_recipient(tmp_path):
    head = "# Privacy\n\nWe collect your email address for customer support.\n"
    old = policy_from(tmp_path, "old.md", head)
    new = policy_from(tmp_path, "new.md", head + "\nWe will never share your email address with advertisers "
                                             "for advertising.\n\nWe never sell your email address.\n")
    material = material_rows(ropa.diff_policies(old, new))
    got = sorted(zip(material["new_line"], material["aspect"], material["direction"], strict=True))
    # the promise about a use limits a purpose; the one naming no use stays with whom it is about
    assert got == [(5, "purpose", "favourable"), (7, "recipient", "favourable")]
    assert all(r.startswith("new negative statement") for r in material["reason"])


def test_a_sentence_that_gains_an_alternative_is_widened(tmp_path):
    text = "# Privacy\n\nWe collect the email address of the accounts that you connect{} to our app.\n"
    old = policy_from(tmp_path, "old.md", text.format(""))
    new = policy_from(tmp_path, "new.md", text.format(" or import"))
    forward = material_rows(ropa.diff_policies(old, new))
    assert forward[["kind", "direction"]].values.tolist() == [["changed", "adverse"]]
    assert forward.iloc[0]["reason"] == "widened: the sentence now also says 'that you connect or import'"
    backward = material_rows(ropa.diff_policies(new, old))
    assert backward["direction"].tolist() == ["favourable"]
    # other rewordings stay wording
    reworded = policy_from(tmp_path, "reworded.md", text.format(" yourself"))
    assert material_rows(ropa.diff_policies(old, reworded)).empty
    # two edits at once are a rewording this rule does not read
    twice = policy_from(tmp_path, "twice.md", text.replace("accounts", "accounts or profiles").format(" or import"))
    assert material_rows(ropa.diff_policies(old, twice)).empty


def test_data_named_in_words_the_old_text_never_used_is_new_data_within_its_category(tmp_path):
    base = ("# Privacy\n\n## Support\n\nWhen you write to us, we keep your messages to answer you.\n\n"
            "## Website\n\nWe collect information about how you browse our site to improve it.\n")
    old = policy_from(tmp_path, "old.md", base)
    new = policy_from(tmp_path, "new.md", base + "\n## Calls\n\nIf you phone us, we keep recordings of the call and "
                                             "your phone number for quality checks.\n")
    rows = material_rows(ropa.diff_policies(old, new))
    named = rows[rows["reason"].str.contains("new data named within", regex=False)]
    assert len(named) == 1 and named["aspect"].iloc[0] == "data_category"
    assert "recordings" in named["reason"].iloc[0]
    # the same words moved to another section, or written with other spacing, are no new data
    moved = policy_from(tmp_path, "moved.md", base.replace("we keep your messages", "we keep your e-mail messages")
                    .replace("## Website", "## Our website") + "\nWe keep your email messages for support.\n")
    again = policy_from(tmp_path, "again.md", moved.text + "\nWe keep your E-mail Messages for support.\n")
    assert not material_rows(ropa.diff_policies(moved, again))["reason"].str.contains("new data named").any()


def test_staff_who_serve_the_caller_are_no_data_subjects():
    from ropa.policy.extract import extract

    st = extract("If the line drops while we are connecting you with one of our agents, we note your phone "
                 "number to call you back.").statements
    assert st.data_subjects.map(len).sum() == 0
    assert extract("We keep the invoices of our freelancers.").statements.data_subjects.iloc[0] == ["consultant"]


def test_a_processing_added_to_those_done_on_consent_is_a_consent_change(tmp_path):
    head = ("# Privacy\n\n## Support\n\nWe collect your phone number for customer support.\n\n"
            "## Consent\n\nWith your consent we process your personal data to send you newsletters.\n")
    old = policy_from(tmp_path, "old.md", head)
    new = policy_from(tmp_path, "new.md", head + "\n## Calls\n\nWith your consent, we also collect your phone number.\n")
    added = material_rows(ropa.diff_policies(old, new))
    # consent to newsletters (personal data in general) is no consent to giving a phone number
    assert list(zip(added["aspect"], added["new_line"], strict=True)) == [("consent", 13)]
    assert added["reason"].iloc[0].startswith("new processing on consent (collect; data: Phone number")
    removed = material_rows(ropa.diff_policies(new, old))
    assert list(zip(removed["aspect"], removed["old_line"], removed["direction"], strict=True)) == [
        ("consent", 13, "favourable")]
    # the same data already collected on consent elsewhere is no new consent ground
    calls = "\n## Calls\n\nWith your consent, we collect your phone number to call you.\n"
    again = policy_from(tmp_path, "again.md", head + calls)
    both = policy_from(tmp_path, "both.md", head + calls + "\n## More calls\n\nWith your consent, we also collect your phone number.\n")
    assert not (material_rows(ropa.diff_policies(again, both))["aspect"] == "consent").any()


def test_a_sentence_word_for_word_the_same_gains_no_purpose_from_its_neighbours(tmp_path):
    head = "# Privacy\n\n## Support\n\nWe keep a log of your IP address.\n"
    old = policy_from(tmp_path, "old.md", head)
    new = policy_from(tmp_path, "new.md", head + "\nWe record your calls for customer support.\n")
    changes = ropa.diff_policies(old, new)
    # the log sentence now takes the section's new purpose, but its words did not change
    assert not ((changes["old_line"] == 5) & (changes["aspect"] == "purpose")).any()
    assert ((changes["new_line"] == 7) & changes["material"].astype(bool)).any()


def test_sections_renumbered_by_one_inserted_above_them_are_not_moved(tmp_path):
    body = "## Data\n\nWe collect your email address.\n\n## Cookies\n\nWe use cookies to keep you signed in.\n"
    old = policy_from(tmp_path, "old.md", "# Privacy\n\n" + body)
    new = policy_from(tmp_path, "new.md", "# Privacy\n\n## Who we are\n\nAcme Ltd runs this site.\n\n" + body)
    changes = ropa.diff_policies(old, new)
    assert not changes["reason"].str.contains("moved from section").any()
    sections = ropa.diff.sections.diff_policy_sections(old, new)
    assert list(sections["status"]) == ["added"]
    # a section that changes place among the others is moved
    swapped = policy_from(tmp_path, "swapped.md", "# Privacy\n\n## Cookies\n\nWe use cookies to keep you signed in.\n\n"
                                              "## Data\n\nWe collect your email address.\n")
    assert "moved" in set(ropa.diff.sections.diff_policy_sections(old, swapped)["status"])


def test_a_long_sentence_is_the_same_only_when_its_line_is_the_same_too():
    from types import SimpleNamespace as S

    from ropa.diff.statements import same_sentence

    cut = "We collect " + "a" * 280 + "…"
    old_lines, new_lines = ["x", cut[:-1] + " and your phone number."], ["x", cut[:-1] + " and your email address."]
    assert same_sentence(S(quote="We collect your name.", line=1), S(quote="We  collect your name.", line=9), [], [])
    assert not same_sentence(S(quote="We collect your name.", line=1), S(quote="We collect your email.", line=1), [], [])
    # the quotes agree as far as they go; the lines tell the sentences apart
    assert not same_sentence(S(quote=cut, line=2), S(quote=cut, line=2), old_lines, new_lines)
    assert same_sentence(S(quote=cut, line=2), S(quote=cut, line=2), old_lines, old_lines)


def test_a_recipient_known_only_by_a_lower_case_key_is_named_as_the_text_writes_it(tmp_path):
    old = policy_from(tmp_path, "old.md", "# Privacy\n\nWe share usage data with Google Analytics.\n")
    new = policy_from(tmp_path, "new.md", "# Privacy\n\nWe share usage data with Google Analytics.\n\n"
                                      "We share usage data with Quuxalytics GmbH.\n")
    reasons = " ".join(material_rows(ropa.diff_policies(old, new))["reason"])
    assert "Quuxalytics" in reasons and "quuxalytics" not in reasons


def test_a_reworded_sentence_read_once_as_tracking_and_once_as_sharing_is_one_change(tmp_path):
    # the example services of one sentence change; a social network among the old examples
    # reads as its tracking pixel, the new ones as recipients: one change of recipients, and
    # no favourable "no longer shared" row for a sentence that is still there
    lead = "# Privacy\n\n## Linked accounts\n\nWhen you link your profile to another service (such as "
    tail = "), you ask us to share your username and your activity with that service.\n"
    old = policy_from(tmp_path, "a.md", lead + "Facebook or Twitter" + tail)
    new = policy_from(tmp_path, "b.md", lead + "Discord, Riot Games or Xbox" + tail)
    material = material_rows(ropa.diff_policies(old, new))
    assert len(material) == 1
    row = material.iloc[0]
    assert row["kind"] == "changed" and row["direction"] == "adverse"
    assert row["old_line"] == row["new_line"] == 5


def test_a_named_recipient_is_covered_by_its_closest_category_on_every_run():
    # several categories of the other version may cover a vendor; the one told is the
    # closest, then the first by name, never whichever a set yields first (hash order)
    from ropa.diff.entities import EntityResolver
    from ropa.diff.statements import entity_covered_by

    resolver = EntityResolver(None)
    named = ["third_party.tracker", "third_party.social_network", "third_party.advertising.social_network"]
    for order in (named, named[::-1]):
        assert entity_covered_by(resolver, "vendor:meta-pixel", order) == "third_party.advertising.social_network"
    assert entity_covered_by(resolver, "vendor:meta-pixel", named[:2]) == "third_party.social_network"
    assert entity_covered_by(resolver, "vendor:meta-pixel", ["third_party"]) is None  # the root covers nothing


def test_controller_names_read_differently_from_the_same_words_are_no_material_change():
    # both texts name the same company; the reader took a different part of the name in
    # each: the row stays, but as informational. A name one text never writes is a change.
    from types import SimpleNamespace

    from ropa.diff.controller import controller_row

    def version(names, text):
        return SimpleNamespace(meta={"controller": names}, text=text)

    old = version(["Larkspur"], "Larkspur Labs, LLC (\"Larkspur\") runs the app. See our _Terms of Use_.")
    new = version(["LLC", "Terms of Use"], "This policy of Larkspur Labs, LLC sits beside the _Terms of Use_.")
    reasons, *_, material = controller_row(old, new)
    assert not material and "read differently" in reasons[-1]
    moved = version(["Quillon Holdings B.V."], "Quillon Holdings B.V. is the controller.")
    reasons, *_, material = controller_row(old, moved)
    assert material and reasons == ["controller now also named Quillon Holdings B.V.",
                                    "controller no longer named Larkspur"]
    # without the texts nothing can be checked: a change of names stays material
    assert controller_row(version(["Larkspur"], ""), version(["Quillon"], ""))[-1]
    assert controller_row(old, version(["Larkspur"], "")) is None
