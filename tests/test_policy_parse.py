"""Parsing policy texts: sections in every shape, lists with their lead, tables, HTML, dates."""

from __future__ import annotations

import pytest

from ropa.policy.facts import contacts_in, stated_date
from ropa.policy.parse import clean_inline, html_to_lines, parse, split_sentences
from tests.conftest import DATA, SHARED

POLICIES = DATA / "policies"
PRO_AT_TEXTS = SHARED / "policies" / "pro-at"


def test_pro_at_numbered_sections_with_non_breaking_spaces():
    doc = parse((PRO_AT_TEXTS / "2018-05-24.txt").read_text(encoding="utf-8"))
    numbers = [s.number for s in doc.sections]
    assert doc.title == "PRO-AT Privacy Policy"
    assert numbers == ["0", "1", "1.1", "1.2", "1.3", "2", "2.1", "2.2", "2.3", "2.4", "2.5", "2.6", "2.7",
                       "2.8", "3", "3.1", "3.2", "3.3", "4", "5", "6", "7"]
    by = {s.number: s for s in doc.sections}
    assert by["2.3"].title == "Billing" and by["2.3"].parent == "2" and by["2.3"].level == 2
    assert (by["2.3"].line_start, by["2.3"].line_end) == (54, 63)
    # The unfinished "installed on the following – All pages" line is a lead, not a heading.
    assert by["3.1"].line_end == 113


def test_list_items_keep_their_lead_and_lines():
    doc = parse((PRO_AT_TEXTS / "2018-05-24.txt").read_text(encoding="utf-8"))
    sec = next(s for s in doc.sections if s.number == "1.3")
    items = [b for b in sec.blocks if b.kind == "item"]
    assert [(i.text, i.line) for i in items] == [("Your email address", 35),
                                                   ("The information provided by you in the email", 36),
                                                   ("Your phone number", 40)]
    assert items[0].lead.text.endswith("contact us by email:")
    assert items[2].lead.text.endswith("contact us by phone:")
    assert items[0].group != items[2].group


def test_markdown_headings_numbered_by_outline_and_title_taken_from_h1():
    doc = parse((POLICIES / "tulip-bikes" / "2025-03-01.md").read_text(encoding="utf-8"))
    assert doc.title == "Privacy statement of Tulip Bikes"
    assert [(s.number, s.title) for s in doc.sections][:3] == [
        ("0", "Introduction"), ("1", "Who we are"), ("2", "What we collect")]


def test_markdown_table_rows_map_header_to_cell():
    doc = parse((POLICIES / "tulip-bikes" / "2025-03-01.md").read_text(encoding="utf-8"))
    rows = [b for s in doc.sections for b in s.blocks if b.kind == "row"]
    assert [r.cells["Provider"] for r in rows] == ["Mollie B.V.", "Sendcloud", "Amazon Web Services", "Zendesk"]
    assert rows[3].cells["Location"] == "United States" and rows[3].line == 36
    assert rows[0].lead.text.startswith("We use the following sub-processors")


def test_setext_headings_and_numbered_lists_that_are_not_headings():
    text = "Privacy\n=======\n\nData\n----\n\nWe ask you for:\n\n1. Name\n2. Email\n\nRights\n------\n\nAsk us.\n"
    doc = parse(text)
    assert doc.title == "Privacy"
    assert [s.title for s in doc.sections] == ["Data", "Rights"]
    items = [b.text for b in doc.sections[0].blocks if b.kind == "item"]
    assert items == ["Name", "Email"]


def test_a_first_heading_naming_the_notice_is_the_title_among_top_level_headings():
    # every section a top-level heading, the first one the notice's name: the title, and so the
    # controller's name, never a section (nor, later, a recipient)
    text = ("Kestrel Prints Ltd. Privacy Policy\n==================================\n\nWe print your photos.\n\n"
            "What we collect\n===============\n\nWe collect your email address.\n\n"
            "Who we share it with\n====================\n\nWe share your address with couriers.\n")
    doc = parse(text)
    assert doc.title == "Kestrel Prints Ltd. Privacy Policy"
    assert [s.title for s in doc.sections][-2:] == ["What we collect", "Who we share it with"]
    # two top-level headings, neither naming a notice: no title taken from them
    assert parse("Intro\n=====\n\nText.\n\nMore\n====\n\nText.\n").title != "Intro"


def test_plain_prose_without_headings_is_one_section():
    doc = parse((POLICIES / "harbour-yoga" / "2024-06-12.txt").read_text(encoding="utf-8"))
    assert doc.title == "Privacy at Harbour Yoga"
    assert [s.number for s in doc.sections] == ["0"]
    assert len([b for b in doc.sections[0].blocks if b.kind == "para"]) == 6


def test_plain_title_lines_become_sections_when_there_is_no_other_heading():
    text = ("Our privacy notice\n\nWe are a bakery in Leiden.\n\nWhat we collect\n\nWe collect your name when you "
            "order a cake.\n\nYour rights\n\nYou can ask for a copy of your data.\n")
    doc = parse(text)
    assert [(s.number, s.title) for s in doc.sections] == [("0", "Introduction"), ("1", "What we collect"),
                                                            ("2", "Your rights")]


def test_html_is_read_with_source_lines_and_without_scripts():
    path = POLICIES / "nordlicht" / "2026-01-02.html"
    doc = parse(path.read_text(encoding="utf-8"), filename=path.name)
    assert doc.is_html and doc.title == "Privacy policy of Nordlicht Software GmbH"
    assert [(s.number, s.title) for s in doc.sections] == [("0", "Introduction"), ("1", "Data we collect"),
                                                            ("2", "Service providers"), ("3", "Contact")]
    items = [b for b in doc.sections[1].blocks if b.kind == "item"]
    assert [(i.text, i.line) for i in items] == [("your name", 11), ("your email address", 12)]
    rows = [b for b in doc.sections[2].blocks if b.kind == "row"]
    assert rows[1].cells == {"Provider": "Stripe", "Purpose": "Payment processing", "Country": "United States"}
    assert all("tracking" not in t for _, t in html_to_lines(path.read_text(encoding="utf-8")))


def test_inline_markup_and_sentences():
    assert clean_inline("**We** use [Stripe](https://stripe.com) for `payments`") == "We use Stripe for payments"
    sents = split_sentences("We pass it to DAS Incasso B.V., which takes over. It helps e.g. with unpaid invoices. Done.")
    assert [s.text for s in sents] == ["We pass it to DAS Incasso B.V., which takes over.",
                                       "It helps e.g. with unpaid invoices.", "Done."]


@pytest.mark.parametrize(("text", "date"), [
    ("The last changes to this Privacy Policy were made on 24-05-2018.", "2018-05-24"),
    ("_Last updated: 1 March 2025_", "2025-03-01"),
    ("Effective date: March 1st, 2025", "2025-03-01"),
    ("Last modified 2024-11-30", "2024-11-30"),
    ("Version of 12/31/2023", "2023-12-31"),
    ("This notice was last updated on 12 June 2024.", "2024-06-12"),
    ("We were founded on 1 March 1998 in Utrecht.", None),
    ("Last updated: 31 February 2025", None),
])
def test_stated_dates(text, date):
    assert stated_date(text) == date


def test_contacts_and_their_roles():
    doc = parse((POLICIES / "tulip-bikes" / "2025-03-01.md").read_text(encoding="utf-8"))
    contacts = {(c["kind"], c["role"]) for c in contacts_in(doc)}
    assert contacts == {("address", "controller"), ("email", "privacy"), ("email", "dpo")}
    doc = parse((PRO_AT_TEXTS / "2018-05-24.txt").read_text(encoding="utf-8"))
    assert contacts_in(doc) == []  # "24-05-2018" is a date, not a phone number


# -- headings as converters write them ---------------------------------------------------------

def test_a_title_does_not_hide_escaped_numbered_headings():
    text = ("Privacy Notice\n==============\n\nLast updated: 1 May 2026\n\n"
            "1\\. WHAT WE COLLECT\n\nWe collect your email address.\n\n"
            "2\\. Who we share it with\n\nWe share it with our payment provider.\n")
    doc = parse(text)
    assert doc.title == "Privacy Notice"
    assert [(s.number, s.title) for s in doc.sections] == [
        ("0", "Introduction"), ("1", "WHAT WE COLLECT"), ("2", "Who we share it with")]


def test_bold_lines_standing_alone_are_sub_headings_of_the_markdown_heading_before():
    text = ("# Privacy\n\n## 2. Your rights\n\nYou have rights.\n\n**How to ask**\n\nWrite to us.\n\n"
            "**Can someone ask for me?**\n\nYes, an agent can.\n\n## 3. Data we collect\n\nYour name.\n")
    doc = parse(text)
    assert [(s.number, s.title, s.parent) for s in doc.sections] == [
        ("2", "Your rights", None), ("2.1", "How to ask", "2"), ("2.2", "Can someone ask for me?", "2"),
        ("3", "Data we collect", None)]


def test_bold_lines_are_headings_when_a_text_has_no_other_kind():
    text = ("**Who we are**\n\nA small shop.\n\n**What we collect**\n\nYour name and address.\n\n"
            "**Our processors**\n\nWe use two.\n\n**Acme Hosting Ltd.**\n\nHosts our site.\n")
    doc = parse(text)
    assert [s.title for s in doc.sections] == ["Who we are", "What we collect", "Our processors",
                                               "Acme Hosting Ltd."]


def test_bold_text_inside_a_paragraph_or_with_a_full_stop_is_no_heading():
    text = ("## Cookies\n\n**We use cookies to keep you signed in.**\n\nSome text with **bold words** inside it.\n\n"
            "**Email address.** We ask for it at sign-up.\n")
    assert [s.title for s in parse(text).sections] == ["Cookies"]


def test_bold_list_items_with_their_content_below_are_headings():
    text = ("# Our privacy notice\n\n## Overview\n\nWho we are.\n\n"
            "4. **WHAT WE COLLECT**\n\nThe data we collect depends on the service.\n\n"
            "1. **Data You Give Us**\n    \n    1. **Sign-up**. We collect your email address.\n"
            "2. **Data We Collect Automatically**\n    \n    We collect your IP address.\n")
    doc = parse(text)
    assert [s.title for s in doc.sections] == ["Overview", "WHAT WE COLLECT", "Data You Give Us",
                                               "Data We Collect Automatically"]
    assert [s.number for s in doc.sections] == ["1", "1.1", "1.2", "1.3"]


def test_a_list_of_bold_items_stays_a_list():
    text = "## Data we collect\n\nWe collect:\n\n1. **Your name**\n\n2. **Your email address**\n\n3. **Your city**\n"
    doc = parse(text)
    assert [s.title for s in doc.sections] == ["Data we collect"]
    assert [b.text for b in doc.sections[0].blocks if b.kind == "item"] == ["Your name", "Your email address",
                                                                             "Your city"]


def test_an_indented_paragraph_after_a_blank_line_goes_on_with_its_list_item():
    text = ("# Uses\n\nWe handle your details as follows:\n\n"
            "- Accounts\n\n  to open and run the account you sign up for;\n\n"
            "- Payments\n\n  to charge the plan you pick.\n\n"
            "A closing paragraph at the margin.\n")
    blocks = parse(text).sections[0].blocks
    items = [b for b in blocks if b.kind == "item"]
    assert [b.text for b in items] == ["Accounts to open and run the account you sign up for;",
                                       "Payments to charge the plan you pick."]
    assert items[0].group == items[1].group and items[0].lead.text.startswith("We handle")
    assert (items[0].line, items[0].line_end) == (5, 7)
    assert blocks[-1].kind == "para" and blocks[-1].text == "A closing paragraph at the margin."


def test_a_nested_list_after_a_blank_line_stays_items_and_a_shallow_paragraph_ends_the_list():
    text = ("# Sharing\n\nWe pass data to:\n\n"
            "* hosting providers\n\n    1. in the EU\n    2. in the US\n\n"
            "* payment processors\n\n"
            "  this line is indented less than a nested item's text\n\n"
            " not indented to the item's text, so a paragraph of its own\n")
    blocks = parse(text).sections[0].blocks
    items = [b for b in blocks if b.kind == "item"]
    assert [b.text for b in items][:3] == ["hosting providers", "in the EU", "in the US"]
    assert len({b.group for b in items}) == 1
    assert items[-1].text == "payment processors this line is indented less than a nested item's text"
    assert blocks[-1].kind == "para" and blocks[-1].text.startswith("not indented")


def test_a_quoted_passage_is_text_and_a_lone_marker_ends_its_paragraph():
    text = ("# Ads\n\n> Ads pay for the service.\n> The data behind them stays with us.\n>\n"
            "> > Subscribers see no ads.\n\n>50 people work here.\n")
    blocks = parse(text).sections[0].blocks
    assert [(b.line, b.text) for b in blocks] == [
        (3, "Ads pay for the service. The data behind them stays with us."),
        (6, "Subscribers see no ads."), (8, ">50 people work here.")]


def test_a_bold_marker_left_alone_by_a_line_break_goes_back_on_its_text():
    # an editor put a line break just inside the bold span: "**" on one line, the title on the next
    text = ("**  \nWhat we collect**\n\nYour name.\n\n**  \nWho sees it**\n\nOur host.\n\n"
            "**  \nSecurity**.  We encrypt what we keep.\n")
    doc = parse(text)
    assert [s.title for s in doc.sections] == ["What we collect", "Who sees it"]
    assert [b.text for b in doc.sections[1].blocks] == ["Our host.", "Security. We encrypt what we keep."]
    assert [b.line for b in doc.sections[1].blocks] == [9, 12]  # the lines the text is on


def test_a_bold_marker_between_two_lines_of_text_stays_where_it_is():
    text = "# Notes\n\nSome words\n**\nmore words.\n"
    assert [b.text for b in parse(text).sections[0].blocks] == ["Some words ** more words."]


def test_a_bold_title_ending_in_a_colon_heads_the_prose_after_it():
    text = ("**Who we are:**\n\nA small shop.\n\n**What we keep**:\n\nYour order history.\n\n"
            "**We share your order with:**\n\n- our courier\n- our bank\n")
    doc = parse(text)
    assert [s.title for s in doc.sections] == ["Who we are", "What we keep"]
    assert [b.kind for b in doc.sections[1].blocks] == ["para", "para", "item", "item"]


def test_a_bold_title_with_a_colon_among_titles_run_into_their_paragraphs_is_one_of_them():
    text = ("## Your choices\n\n**Sharing.** You choose who sees your posts.\n\n**Text messages:**\n\n"
            "You can stop them in your settings.\n\n**Newsletters.** Unsubscribe at any time.\n")
    assert [s.title for s in parse(text).sections] == ["Your choices"]


def test_one_numbered_line_alone_is_no_numbering_and_plain_titles_still_head_sections():
    # a street number on a line of its own ("500 Harbour Road") is an address, not section 500;
    # with it taken for the only heading, the plain-line titles were ignored
    text = ("Privacy Notice\n\nThis notice says what we do with your data.\n\n"
            "What We Collect\n\nWe collect your email address when you sign up.\n\n"
            "Who We Share It With\n\nWe share your email address with our mailing provider.\n\n"
            "Contact\n\nWrite to us at:\n\n500 Harbour Road\n\nSpringfield\n")
    titles = [s.title for s in parse(text).sections]
    assert "What We Collect" in titles and "Who We Share It With" in titles
    assert "Harbour Road" not in " ".join(titles)
