"""Tables read by their structure: a caption above the header, a table of the parties data
comes from, label columns, and negations and list items inside one cell. The texts are
written for these tests."""

from __future__ import annotations

from ropa.policy.parse import Block, parse
from ropa.policy.tables import is_sources_table, row_parts
from tests.extraction import rows


def _rows(text: str):
    return [b for s in parse(text).sections for b in s.blocks if b.kind == "row"]


CAPTIONED = """# Privacy

## Where your data comes from

| **Parties who pass your data on to us** | | |
| --- | --- | --- |
| **Kind of party** | **What happens** | **Data** |
| Login providers | When you sign in with another account, that provider sends us your details. | email address |
| Shops we work with | A shop you bought from tells us about the order. | purchase history |
"""


def test_a_caption_row_above_a_bold_header_is_the_tables_caption_and_no_row():
    blocks = _rows(CAPTIONED)
    assert [b.line for b in blocks] == [8, 9]
    assert list(blocks[0].cells) == ["Kind of party", "What happens", "Data"]
    assert blocks[0].caption == "Parties who pass your data on to us"


def test_a_captions_header_row_is_no_flow():
    assert all("Kind of party" not in q for q in _quotes(CAPTIONED))


def _quotes(text: str) -> list[str]:
    from ropa.policy.extract import extract
    return list(extract(text).statements["quote"])


SOURCES = """# Privacy

## Other sources

| **Sources we obtain data from** | | |
| --- | --- | --- |
| **Party** | **Description** | **Data** |
| Login providers | They confirm who you are. | email address |
| Marketing agencies | They tell us what interests you. | purchase history |
"""


def test_a_sources_table_is_collection_by_us_not_disclosure_to_the_source():
    got = rows(SOURCES)
    assert got and all(a == "collect" and r == ["we"] for a, _, r in got)
    assert ["user.contact.email"] in [d for _, d, _ in got]
    assert not any(r.startswith("vendor:") for _, _, rs in got for r in rs)


def test_a_sources_column_beside_a_recipients_column_is_no_sources_table():
    text = ("# Privacy\n\n## Data\n\n| Data | Source | Third parties shared with |\n| --- | --- | --- |\n"
            "| email address | You, at sign-up | Service providers |\n")
    blk = _rows(text)[0]
    assert not is_sources_table(blk, {"entity": "Third parties shared with", "data": "Data"})
    assert ("share", ["user.contact.email"], ["third_party.service_provider"]) in rows(text)


def test_data_we_collect_from_you_is_no_sources_table():
    blk = Block("row", "Acme | email", 1, 1, cells={"Party": "Acme", "Data": "email"})
    assert not is_sources_table(blk, {"entity": "Party"}, "This table lists the data we collect from you.")
    assert is_sources_table(blk, {"entity": "Party"}, "We receive your data from these partners:")


LABELLED = """# Privacy

## What we collect

| **Collected when you register** | | |
| --- | --- | --- |
| **Categories** | **Category under the XYZ Act** | **Details** |
| Payment details | Geolocation data | To bill you we process:<br>* your name<br>* your postal code<br>* the last digits of your card, though we do not keep the full card number<br>We may use an outside service, such as Stripe, to check your card. |
"""


def test_a_negation_in_a_cell_is_bounded_to_its_sentence_and_does_not_deny_the_row():
    got = rows(LABELLED)
    assert ("not_collect", ["user.financial.credit_card"], ["we"]) in got  # the negation stands, for its own data
    collected = [d for a, d, _ in got if a == "collect"]
    assert collected and "user.name" in collected[0] and "user.contact.address.postal_code" in collected[0]
    assert not any(a == "not_collect" and ("user.name" in d or "user.contact.address.postal_code" in d)
                   for a, d, _ in got)


def test_a_label_column_is_no_data_and_a_party_in_another_sentence_is_its_own_flow():
    got = rows(LABELLED)
    assert not any("user.location" in d for _, d, _ in got)  # "Geolocation data" classifies the row
    shares = [r for a, _, r in got if a in ("share", "transfer")]
    assert shares == [["vendor:stripe"]]


def test_a_party_named_in_a_cells_list_item_is_data_not_a_recipient():
    text = ("# Privacy\n\n## Usage\n\n| Data | Details |\n| --- | --- |\n"
            "| Usage data | What you do in the app:<br>* the songs you play<br>* your use of third-party services |\n")
    assert all(a not in ("share", "transfer") for a, _, _ in rows(text))


def test_the_attribute_label_of_a_headerless_two_column_row_is_no_data():
    text = ("# Privacy\n\n## Cookies\n\n| | |\n| --- | --- |\n| Name | sess_id |\n| Lifetime | 30 minutes |\n"
            "| Purpose | Keeps you signed in |\n")
    assert not any("user.name" in d for _, d, _ in rows(text))


def test_row_parts_sets_list_items_and_negations_apart():
    blk = _rows(LABELLED)[0]
    parts = row_parts(blk, {"data": "Categories", "purpose": "Details"})
    assert "Geolocation" not in parts.text
    assert "your name" in parts.items and "Stripe" not in parts.text
    assert any("Stripe" in s.text for s in parts.rest)


def test_a_row_of_a_table_with_no_data_column_is_read_whole():
    text = ("# Privacy\n\n## Your rights\n\n| Right | How |\n| --- | --- |\n"
            "| Access | Ask us for a copy.<br>If you want to know more, write to us. |\n")
    parts = row_parts(_rows(text)[0], {})
    assert parts.rest == [] and parts.text == "Access | Ask us for a copy. If you want to know more, write to us."


def test_a_column_of_kinds_of_recipient_names_no_company():
    text = ("# Who receives your data\n\n"
            "| Categories of recipients | Categories of data | Reason |\n| --- | --- | --- |\n"
            "| Event organisers we work with | Your name | So that you can enter the venue |\n"
            "| Payment partners | Your card details | To take your payment |\n")
    got = rows(text)
    recipients = [r for _, _, rs in got for r in rs]
    assert recipients and not any(r.startswith("vendor:") for r in recipients)
    assert "third_party.service_provider.payment" in recipients


def test_a_column_of_named_providers_still_names_them():
    text = ("# Providers\n\n| Provider | Purpose | Location |\n| --- | --- | --- |\n"
            "| Quillfeather Analytics Ltd | Usage statistics | Ireland |\n")
    assert [rs for _, _, rs in rows(text)] == [["vendor:quillfeather-analytics"]]


COOKIE_TABLES = """# Privacy

## Cookies

The cookies below are placed by our website:

| Type | Name | Purpose | Duration |
| --- | --- | --- | --- |
| Cookie | basket | Remember what is in your basket | 1 week |
| Cookie | lang\\_pref | Remember your language | 1 year |

Partners place these ones:

| Type | Name | Third party | Purpose | Duration |
| --- | --- | --- | --- | --- |
| Cookie | \\_vis | Skylark Metrics ([https://skylark.example/privacy](https://skylark.example/privacy)) | Visit counts | 1 year |
"""


def test_a_cookie_tables_name_column_names_the_cookie_not_a_company():
    got = rows(COOKIE_TABLES)
    recipients = {r for _, _, rs in got for r in rs}
    assert not any(r in recipients for r in ("vendor:basket", "vendor:lang-pref", "vendor:vis")), got
    # the third-party column names the company, without the address written beside it
    assert "vendor:skylark-metrics" in recipients, got


OWN_COOKIES = """# Privacy

## Cookies

These cookies are set by us and by our advertising partners:

| Name | Purpose | Expiry |
| --- | --- | --- |
| lang | Remembers your language preference | 1 year |
| \\_ga | Google Analytics counts visits | 2 years |

## Advertising

Our advertising partners set the following cookies:

| Name | Purpose | Expiry |
| --- | --- | --- |
| adlang | Remembers your language preference for ads | 1 year |
"""


def test_a_cookie_table_with_no_party_column_does_not_give_its_rows_to_the_leads_partners():
    got = rows(OWN_COOKIES)
    lang = [(a, rs) for a, ds, rs in got if "user.demographic.language" in ds]
    # under "set by us and by our partners", a row naming no party is ours, not the partners'
    assert ("track", ["we"]) in lang and not any("third_party.advertising" in rs for a, rs in lang[:1]), got
    # a row naming its company keeps it
    assert any("vendor:google-analytics" in rs for _, _, rs in got), got
    # under a lead naming only the partners, the row is theirs
    assert any(a == "track" and rs == ["third_party.advertising"] for a, rs in lang), got
