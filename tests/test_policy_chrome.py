"""Page chrome (issue 17, helper chrome): the menus, footers, contents lists, cookie-banner
buttons and repeated blocks of the web page a policy was saved from state no flow and are not
sentences to review; short list items a sentence introduces, and tables, still do. Each rule
on a short text written for the test."""

from __future__ import annotations

from ropa.policy.chrome import chrome_lines, page_control
from ropa.policy.extract import extract
from ropa.policy.parse import parse
from tests.extraction import rows


def _review(text: str) -> list[str]:
    return list(extract(text).review["quote"])


def test_a_footer_row_of_links_discloses_nothing_to_the_networks_it_names():
    text = ("# Privacy at Lumo\n\n## Sharing\n\nWe share your postal address with Parcelbird to deliver orders.\n\n"
            "Home | Blog | Careers | Facebook | Instagram | YouTube\n\n"
            "*   Terms\n*   Cookie Settings\n*   LinkedIn\n*   Pinterest\n")
    got = rows(text)
    assert [r for _, _, r in got] == [["vendor:parcelbird"]] or all(
        not any(x.startswith("vendor:") and x != "vendor:parcelbird" for x in r) for _, _, r in got)
    assert any(a == "share" and "user.contact.address" in d for a, d, _ in got)
    assert not any("Facebook" in q or "LinkedIn" in q for q in _review(text))


def test_a_contents_list_repeating_the_headings_is_no_statement():
    text = ("# Lumo privacy notice\n\nContents\n\n*   What we gather\n*   How we pass your details on\n"
            "*   Your choices\n\n## What we gather\n\nWe keep your phone number for deliveries.\n\n"
            "## How we pass your details on\n\nWe share your name with Parcelbird.\n\n## Your choices\n\n"
            "You may ask us to erase your data.\n")
    st = extract(text).statements
    assert sorted(st["line"]) == [11, 15, 19]
    assert sorted(chrome_lines(parse(text, "p.md"))) == [3, 5, 6, 7]


def test_headings_a_page_runs_into_back_to_top_still_match_their_contents_entries():
    text = ("Lumo Notice\n\n*   Gathering\n*   Passing it on\n*   Cookies and Similar Tools\n\nGathering\n\n"
            "We keep your email address.\n\nBack to top Passing it on\n\nWe share your name with Parcelbird.\n\n"
            "Back to top Cookies and Similar Tools\n\nWe use cookies to remember your language.\n")
    assert sorted(chrome_lines(parse(text, "p.md"))) == [3, 4, 5]
    assert not {3, 4, 5} & set(extract(text).statements["line"])


def test_cookie_banner_buttons_and_footer_lines_are_not_sentences_to_review():
    text = ("# Notice\n\nWe keep your email address to send receipts.\n\nAccept all cookies\n\nReject all\n\n"
            "Manage preferences\n\nDo Not Sell or Share My Personal Information\n\n"
            "© 2031 Lumo Trading Ltd. All rights reserved.\n\nShare this page: Facebook LinkedIn\n")
    assert _review(text) == []
    assert [a for a, _, _ in rows(text)] == ["use"] or [a for a, _, _ in rows(text)] == ["collect"]


def test_a_section_the_page_repeats_word_for_word_gives_its_statements_once():
    body = "## Sharing\n\nWe share your name with Parcelbird to deliver your parcels.\n\n"
    text = "# Notice\n\n" + body + "## Keeping\n\nWe keep your order history for two years.\n\n" + body
    got = extract(text).statements
    assert list(got["line"]).count(5) == 1 and 13 not in set(got["line"])


def test_short_items_a_sentence_introduces_are_still_read():
    text = ("# Notice\n\n## Accounts\n\nWhen you join, we ask you for:\n\n*   Email Address\n*   Name\n"
            "*   Contact\n\nWe do not ask for more.\n")
    got = rows(text)
    assert any("user.contact.email" in d for _, d, _ in got)
    assert any("user.name" in d for _, d, _ in got)


def test_a_list_of_data_under_a_heading_is_not_a_menu():
    text = "# Notice\n\n## Information we keep about you\n\n*   Email address\n*   Phone number\n*   Home\n"
    assert not chrome_lines(parse(text, "p.md"))


def test_social_networks_named_alone_under_a_heading_are_recipients_not_a_footer():
    text = "# Notice\n\n## Networks that receive your profile picture\n\n*   Facebook\n*   Instagram\n*   Snapchat\n"
    assert not chrome_lines(parse(text, "p.md"))


def test_a_table_of_processors_is_read_whatever_its_cells():
    text = ("# Notice\n\n## Processors\n\nWe use these processors:\n\n| Name | Purpose | Location |\n"
            "| --- | --- | --- |\n| Parcelbird | Delivery | Home |\n| Mailbird Ltd | Email | Careers |\n")
    assert not chrome_lines(parse(text, "p.md"))


def test_page_controls_by_their_shape():
    assert page_control("[Home](/) · [Blog](/blog)")
    assert page_control("Skip to main content")
    assert page_control("Back to top")
    assert page_control("Follow us on Instagram and Mastodon")
    assert not page_control("We follow the advice of our regulator on cookies.")
    assert not page_control("Name | the name you give us")
