"""A sentence that defines a term states no flow (issue 17): "Customer Data may include your
name and phone number", "“Visit Data” means ...". A collection that goes on to say what its
data covers ("We collect Customer Data, which includes ...") is still a collection, and a list
item that names data under a lead-in is still read. Short texts written for the test."""

from __future__ import annotations

from ropa.policy.definitions import defines_term
from tests.extraction import rows


def flows(text: str) -> list[tuple[str, list[str], list[str]]]:
    return [r for r in rows(text) if r[0] != "inform"]


def test_a_capitalised_term_with_includes_is_a_definition():
    assert defines_term("Customer Data can include your name, phone number and postal address.")
    assert defines_term("Member Posts include the pictures, clips and words you share.")
    assert defines_term("Your Personal Information may also include your billing address.")
    assert defines_term("**Visit Data** consists of the pages you open and when.")


def test_a_quoted_term_or_personal_data_is_a_definition():
    assert defines_term("“Visit Data” refers to the pages you open on the site.")
    assert defines_term("Personal information includes any data that identifies you, such as your phone number.")


def test_an_act_or_a_pointer_back_is_no_definition():
    assert not defines_term("We collect Customer Data, which includes your name and phone number.")
    assert not defines_term("The details we keep include your phone number.")
    assert not defines_term("This data may include your postal address.")
    assert not defines_term("Such details include your phone number.")
    assert not defines_term("Our Payment Partners include Acme Pay.")
    assert not defines_term("Log files include your IP address.")  # lower case: no defined term


def test_a_definition_gives_no_flow():
    assert flows("Customer Data can include your name, phone number and postal address.") == []
    assert flows("Member Posts include the pictures, clips and words you share on the board.") == []


def test_a_collection_that_explains_its_data_stays_a_collection():
    got = flows("We collect Customer Data, which includes your name and phone number.")
    assert got and {"user.name", "user.contact.phone_number"} <= set(got[0][1])


def test_a_list_item_that_explains_its_data_stays_read():
    text = ("We collect the following information:\n\n"
            "* **Customer Data**, which includes your name and phone number.\n")
    assert any("user.contact.phone_number" in d for _, d, _ in flows(text))
