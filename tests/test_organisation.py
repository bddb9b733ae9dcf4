"""organisation.yaml read as people write it: one shape after reading, types checked."""

from __future__ import annotations

import pytest

import ropa
from ropa.register.organisation import organisation_from_yaml
from tests.conftest import PRO_AT


def read(text: str) -> dict:
    return organisation_from_yaml(text, "organisation.yaml")[0]


def test_contact_details_at_the_top_level_are_the_controllers():
    org = read("name: Clinic\naddress: 1 High St, York\nemail: hi@clinic.example\nphone: 01904 000000\n")
    assert org["controller"] == {"name": "Clinic", "address": "1 High St, York",
                                 "email": "hi@clinic.example", "phone": "01904 000000"}


def test_controller_given_fills_from_the_top_level_without_overwriting():
    org = read("name: Clinic\nemail: top@clinic.example\nphone: 123\n"
               "controller: {name: Clinic Ltd, email: dpo-desk@clinic.example}\n")
    assert org["controller"] == {"name": "Clinic Ltd", "email": "dpo-desk@clinic.example", "phone": "123"}


def test_controller_country_from_its_address_or_the_top_level():
    org = read("name: Clinic\naddress: 1 High St, York, United Kingdom\n")
    assert org["controller"]["country"] == "GB"
    assert read("name: Clinic\naddress: 1 High St, York\ncountry: GB\n")["controller"]["country"] == "GB"
    assert "country" not in read("name: Clinic\naddress: 1 High St, York\n")["controller"]
    written = read("controller: {name: Wire Swiss GmbH, address: 'Untermuli 9, 6300 Zug, Switzerland', country: LI}\n")
    assert written["controller"]["country"] == "LI", "a country written is never overwritten"


def test_controller_as_a_name():
    assert read("controller: Clinic Ltd\n")["controller"] == {"name": "Clinic Ltd"}


@pytest.mark.parametrize(("text", "expected"), [
    ("dpo: Jane Roe", {"name": "Jane Roe"}),
    ("dpo: dpo@clinic.example", {"email": "dpo@clinic.example"}),
    ("dpo: none", {"designated": False}),
    ("dpo: false", {"designated": False}),
    ("dpo: {name: Jane Roe, phone: 0123}", {"name": "Jane Roe", "phone": "0123"}),
    ("dpo: {name: Jane Roe, phone: 123456}", {"name": "Jane Roe", "phone": "123456"}),
    ("dpo: Jane Roe, dpo@clinic.example", {"name": "Jane Roe", "email": "dpo@clinic.example"}),
    ("dpo: Jane Roe <dpo@clinic.example>", {"name": "Jane Roe", "email": "dpo@clinic.example"}),
    ("dpo: 'Jane Roe; +44 20 7946 0000; dpo@clinic.example'",
     {"name": "Jane Roe", "email": "dpo@clinic.example", "phone": "+44 20 7946 0000"}),
])
def test_dpo_as_people_write_it(text, expected):
    assert read(text + "\n")["dpo"] == expected


def test_lists_of_parties_accept_names():
    org = read("joint_controllers: LinkedIn Ireland\ncontrollers:\n  - Customer A\n  - {id: b, name: Customer B}\n")
    assert org["joint_controllers"] == [{"name": "LinkedIn Ireland"}]
    assert org["controllers"] == [{"name": "Customer A"}, {"id": "b", "name": "Customer B"}]


def test_unknown_keys_are_kept_and_counts_read_from_text():
    org = read("employee_count: '1,200'\nlogo_colour: teal\ntrading_names: Perf-iT\n")
    assert org["employee_count"] == 1200 and org["logo_colour"] == "teal"
    assert org["trading_names"] == ["Perf-iT"]


@pytest.mark.parametrize(("text", "needle"), [
    ("employee_count: about forty\n", "line 1: key employee_count"),
    ("joint_controllers: [5]\n", "line 1: key joint_controllers[0]: expected a name"),
    ("representative: [a, b]\n", "line 1: key representative: expected a name"),
])
def test_wrong_types_name_key_and_line(text, needle):
    with pytest.raises(ropa.RegisterLoadError, match=r"organisation\.yaml") as info:
        read(text)
    assert needle in str(info.value)


def test_pro_at_reads_unchanged_in_meaning():
    org = ropa.load_register(PRO_AT).organisation
    assert org["controller"]["name"] == "PRO-AT B.V."
    assert org["dpo"]["designated"] is False
    assert org["joint_controllers"][0]["name"].startswith("LinkedIn")
