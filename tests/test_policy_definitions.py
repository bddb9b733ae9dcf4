"""A sentence that defines a term states no flow (issue 17): "Personal data may include your
name and phone number", "“Visit Data” means ...", "Customer Data means ...". A name the policy
gave to data it collects, followed by what it holds ("Log Data may include your IP address"),
lists that data. A collection that goes on to say what its
data covers ("We collect Customer Data, which includes ...") is still a collection, and a list
item that names data under a lead-in is still read. Short texts written for the test."""

from __future__ import annotations

from ropa.policy.definitions import defines_term
from tests.extraction import rows


def flows(text: str) -> list[tuple[str, list[str], list[str]]]:
    return [r for r in rows(text) if r[0] != "inform"]


def test_a_capitalised_term_is_defined_by_means_or_refers_to():
    assert defines_term("Customer Data means your name, phone number and postal address.")
    assert defines_term("Member Posts refers to the pictures, clips and words you share.")
    assert defines_term("Your Personal Information may also include your billing address.")
    assert defines_term("“Visit Data” consists of the pages you open and when.")


def test_a_capitalised_name_for_collected_data_with_includes_lists_that_data():
    # "we call this information Log Data. Log Data may include ...": what the collection holds
    assert not defines_term("Log Data may include your IP address and browser type.")
    text = ("Our servers record how you use the site (we call this Log Data). "
            "Log Data may include your IP address, browser type and the pages you visit.")
    assert any("user.device.ip_address" in d for _, d, _ in flows(text))


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
    assert flows("Customer Data means your name, phone number and postal address.") == []
    assert flows("Personal data may include your name, phone number and postal address.") == []


def test_a_collection_that_explains_its_data_stays_a_collection():
    got = flows("We collect Customer Data, which includes your name and phone number.")
    assert got and {"user.name", "user.contact.phone_number"} <= set(got[0][1])


def test_a_list_item_that_explains_its_data_stays_read():
    text = ("We collect the following information:\n\n"
            "* **Customer Data**, which includes your name and phone number.\n")
    assert any("user.contact.phone_number" in d for _, d, _ in flows(text))
