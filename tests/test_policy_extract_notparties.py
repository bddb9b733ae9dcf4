"""Capitalised words where a recipient stands that name no company (issue 17, helper vnames):
kinds of things and technologies, link text, laws and standards, brands given as examples,
run-in titles, headings in capitals, the tail of a longer name, a legal form alone; and a
sentence that only says who provides a service states no flow. Each rule on a short text
written for the test."""

from __future__ import annotations

from ropa.policy.facts import controller_names_stated
from ropa.policy.notparties import describes_service, link_text, not_a_party
from tests.extraction import rows


def _recipients(text: str) -> list[str]:
    return [r for _, _, recs in rows(text) for r in recs]


def _vendors(text: str) -> list[str]:
    return [r for r in _recipients(text) if r.startswith("vendor:")]


def test_a_kind_of_thing_or_a_technology_is_no_vendor():
    assert _vendors("Login Cookies: We use Login Cookies to keep you signed in to the shop.") == []
    # a term the policy defined earlier, used bare
    assert _vendors("We may use Technologies to count the visitors of our pages and measure our campaigns.") == []
    assert _vendors("We share your click history with Plumtree, which uses JavaScript to record visits.") == ["vendor:plumtree"]
    assert not_a_party("Turn off JavaScript to stop it.", "JavaScript", 9)


def test_a_company_named_where_a_recipient_stands_is_still_read():
    assert "vendor:parcelbird" in _vendors("We share your postal address with Parcelbird to deliver your parcels.")
    assert not not_a_party("We share your address with Parcelbird Ltd to ship orders.", "Parcelbird Ltd", 27)


def test_a_law_or_a_standard_is_no_vendor():
    assert _vendors("NoSpamAct is a state law that requires shops to name who receives customer data.") == []
    assert not_a_party("Under ShopPrivA, you may ask us what we hold.", "ShopPrivA", 6)
    assert _vendors("UCPA, TDPSA, and VCDPA may treat some of our cookie sharing as a sale of your data.") == []
    # a company described by what it does about standards stays a company
    described = "We pass your order to Parcelbird, a carrier that follows postal standards."
    assert not not_a_party(described, "Parcelbird", described.index("Parcelbird"))


def test_brands_given_as_examples_are_no_recipients():
    text = ("Our card processor follows rules written by brands like Orbis, Lumacard, Veltpay and Corra, "
            "and we pass your card number to it.")
    assert _vendors(text) == []


def test_link_text_and_run_in_titles_are_no_vendors():
    assert not_a_party("Find Out More about how we share your data with partners.", "Find Out More", 0)
    text = "On Your Request, Or With Notice: we may share your data with other companies when you ask us to."
    assert _vendors(text) == []
    item = "Parcelbird Freight: we share your postal address so that your parcels reach you."
    assert not not_a_party(item, "Parcelbird Freight", 0)


def test_heading_words_in_capitals_and_name_tails_are_no_vendors():
    text = "NEVADA RESIDENT RIGHTS We may sell or share your data with partners."
    assert not_a_party(text, "NEVADA", 0)
    mailers = "Our mailers are Post in Green and Mailwise."
    assert not_a_party(mailers, "Green", mailers.index("Green"))
    assert not not_a_party(mailers, "Mailwise", mailers.index("Mailwise"))
    assert not_a_party("It is run by Foo Bar, PBC.", "PBC", 22)


def test_a_service_described_by_its_provider_is_no_disclosure():
    assert describes_service("Trackly is provided by Trackly Inc.")
    assert describes_service("Buildbox CI is operated by Buildbox, Ltd.")
    assert not describes_service("We send your email address to Trackly, which is provided by Trackly Inc.")
    assert rows("Trackly is provided by Trackly Inc.") == []
    # the sentence that does state the flow keeps it
    assert "vendor:trackly" in _vendors("We share your usage data with Trackly Inc. to measure how the app is used.")


def test_a_place_before_its_residents_is_no_recipient():
    assert _vendors("These disclosures only apply to Oregon residents and to nobody else.") == []


def test_a_link_as_the_name_column_of_a_list_is_no_recipient():
    assert link_text("Learn More") and link_text("Click here.")
    assert not link_text("Mailwise")


def test_the_controller_is_named_from_its_own_sentence_and_with_its_legal_form():
    text = "Words in capitals mean what our Terms of Service say. Plumtree Inc. is the data controller."
    assert controller_names_stated(text) == ["Plumtree Inc."]
    assert controller_names_stated("Lumen Social, PBC (“we”, “us”) runs this site.") == ["Lumen Social, PBC"]
    assert controller_names_stated("Acme Corp. Europe Ltd (“Acme”, “we”) runs the site.")[0] == "Acme Corp. Europe Ltd"
