"""Recipients that are people or words rather than companies (issue 17, helper roles): a role
the service's users take ("the Driver", "other riders") is other users; a name made of
ordinary English words ("Introduction", "Community Stories") or a technology ("WiFi") is no
company; a company whose name is an English word is still read where a legal form, the
built-in vendor list or a run of names shows it. Each rule on a short text written for the
test."""

from __future__ import annotations

from ropa.policy.notparties import ordinary_name, role_mentions, user_role, without_ordinary
from tests.extraction import rows

OTHER = "third_party.other_users"


def _recipients(text: str) -> list[str]:
    return [r for _, _, recs in rows(text) for r in recs]


def test_a_capitalised_role_of_users_is_other_users():
    assert _recipients("When a trip is booked, we pass the pickup point and your first name to the Courier.") == [OTHER]
    assert _recipients("We show your listing photos and your street to Renters and Tenants who ask for a visit.") == [OTHER]
    assert _recipients("After a lesson we share your progress notes with your Tutor.") == [OTHER]
    assert "vendor:courier" not in _recipients("We pass your phone number to the Courier so that they can reach you.")


def test_other_users_by_their_role_in_lower_case():
    assert _recipients("Your seat number and first name are shared with other passengers on the same coach.") == [OTHER]
    assert _recipients("We may share your ratings with fellow sellers on the market.") == [OTHER]


def test_a_role_as_whose_data_or_as_a_title_is_no_recipient():
    text = "We share with the Sitter the Pet Owner's address."
    assert [text[a:b] for a, b in role_mentions(text)] == ["Sitter"]
    assert role_mentions("Couriers: we collect the location of your phone while you deliver.") == []
    assert OTHER not in _recipients("Couriers: we collect the location of your phone while you deliver.")


def test_roles_singular_and_plural():
    assert user_role("Hosts") and user_role("guest") and user_role("Pet Owners") and user_role("Couriers")
    assert not user_role("Parcelbird") and not user_role("Hostinger")


def test_a_name_of_ordinary_words_is_no_company():
    assert ordinary_name("Welcome") and ordinary_name("Shared Albums")
    assert not ordinary_name("Parcelbird") and not ordinary_name("Shop.net") and not ordinary_name("Amazon")
    recipients = _recipients("We may share your posts with Everyone, Shared Albums, and Nearby Friends as you choose.")
    assert not [r for r in recipients if r.startswith("vendor:")]


def test_a_technology_is_never_a_vendor():
    assert not [r for r in _recipients("The app reads your location (using GPS, WiFi and Bluetooth signals).")
                if r.startswith("vendor:")]
    assert not [r for r in _recipients("We collect your precise location (including WiFi data) when the app is open.")
                if r.startswith("vendor:")]


def test_a_company_with_an_ordinary_name_is_still_found():
    # a legal form after the name
    assert "vendor:lantern" in _recipients("We send your order history to Lantern Inc. to forecast stock.")
    # a run of names among which one is no ordinary word
    assert "vendor:harbour" in _recipients("We share billing data with Quillmetrics, Harbour and Zembla to charge you.")
    # a built-in vendor whose name is an English word
    assert "vendor:segment" in _recipients("We share your email address with Segment to measure sign-ups.")
    text = "We use Basket, Quillmetrics and Lantern to bill you."
    names = [("Basket", 7), ("Quillmetrics", 15), ("Lantern", 33)]
    assert [n for n, _ in without_ordinary(text, names)] == ["Basket", "Quillmetrics", "Lantern"]
    assert without_ordinary("We share it with Lantern.", [("Lantern", 17)]) == []
