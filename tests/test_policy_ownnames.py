"""The controller's other names (former names, divisions, brands, the title's name) are "we",
never an outside recipient or tracker (policy.ownnames)."""

from __future__ import annotations

from ropa.policy.extract import extract
from ropa.policy.facts import controller_names_stated
from ropa.policy.ownnames import named_as_ours, own_names, own_pattern, title_name
from ropa.policy.parse import parse


def _recipients(text: str) -> list[str]:
    res = extract(text)
    return [r for rs in res.statements.recipients for r in rs]


def test_a_former_name_after_the_we_definition_is_ours():
    text = ("# Privacy Notice\n\nQuillWorks, Inc. (formerly ZenTrix, Inc.) and its subsidiaries (“we”, “us”) "
            "make tools.\n\nZenTrix shares your email address to send receipts.\n")
    assert controller_names_stated(parse(text).lines[2][1]) == ["QuillWorks, Inc."]
    assert "ZenTrix, Inc." in extract(text).meta["controller"]
    assert not any("zentrix" in r for r in _recipients(text))


def test_a_division_of_ours_is_not_a_vendor():
    text = ("# Privacy Notice\n\nQuillWorks, Inc. (“we”, “us”) makes tools.\n\n"
            "OrbiMaps, a division of QuillWorks, shares your postal address to deliver maps.\n")
    assert not any("orbimaps" in r for r in _recipients(text))


def test_the_items_under_a_lead_naming_our_divisions_are_ours():
    text = ("# Privacy Notice\n\nQuillWorks, Inc. (“we”, “us”) makes tools.\n\nQuillWorks has two business divisions:\n\n"
            "* OrbiMaps helps shops reach buyers, sharing their email addresses.\n"
            "* TessaPlay helps studios reach players, sharing their email addresses.\n")
    got = _recipients(text)
    assert not any("orbimaps" in r or "tessaplay" in r for r in got)


def test_our_named_services_are_a_brand_of_ours_when_the_text_keeps_using_the_name():
    used = " OrbiMaps keeps maps. OrbiMaps draws maps. OrbiMaps prints maps."
    text = f"# Privacy Notice\n\nQuillWorks, Inc. (“we”, “us”) makes tools. Our OrbiMaps Services help shops.{used}\n"
    assert own_names(["QuillWorks, Inc."], text) == ["OrbiMaps"]
    # named once, or a word the text also writes as a common word: not a name of ours
    assert own_names(["QuillWorks, Inc."], "Our OrbiMaps Services help shops.") == []
    assert own_names(["QuillWorks"], "Our Mobile Services run on mobile phones. Mobile. Mobile. Mobile.") == []
    # a vendor's product we use ("our Google Cloud Platform project") is not a brand of ours
    hosted = "We host our Google Cloud Platform project. Google Cloud stores it. Google Cloud backs it up. Google Cloud logs it."
    assert own_names(["QuillWorks"], hosted) == []


def test_an_affiliate_stays_another_company():
    text = "# Privacy Notice\n\nQuillWorks, Inc. (“we”, “us”) makes tools.\n\nWe share your email address with our affiliate ZenTrix Ltd.\n"
    assert own_names(["QuillWorks, Inc."], text) == []
    assert _recipients(text) and "we" not in _recipients(text)


def test_the_title_names_the_company_without_the_words_beside_it():
    assert title_name("Orbix Global Privacy Policy") == "Orbix"
    assert title_name("Orbix App Privacy Policy") == "Orbix"
    assert title_name("Privacy Notice of Orbix Ltd") == "Orbix Ltd"
    assert title_name("Service Privacy Notice") is None
    assert title_name("Our Privacy Policy") is None
    assert extract("# Service Privacy Notice\n\nWe collect your email address.\n").meta["controller"] == []


def test_the_company_s_name_joined_to_a_word_by_a_hyphen_is_still_its_name():
    text = "# Reddit Privacy Policy\n\n## Events\n\nWhen you sign up for Reddit-sponsored events we collect your email address.\n"
    assert _recipients(text) == ["we"]
    assert not own_pattern("Orbix").search("OrbixSoft and Orbix-Partner")


def test_a_group_named_alone_is_a_group_company_not_the_tracker_of_the_same_name():
    text = ("# Privacy Policy\n\nQuillWorks Ltd (“we”, “us”) runs a chat app.\n\n"
            "We work with the Meta Companies to host our servers.\n\n"
            "When Meta learns of a scam we share your phone number with Meta to stop it.\n")
    got = extract(text).statements
    assert not any(r.startswith("vendor:meta") for rs in got.recipients for r in rs)
    assert any("third_party.group_company" in rs for rs in got.recipients)
    # the tracker named as such stays the tracker
    pixel = text + "\nWe use the Meta Pixel on our website to track your visits.\n"
    assert any("vendor:meta-pixel" in rs for rs in extract(pixel).statements.recipients)


def test_a_sentence_that_says_whose_policy_this_is_names_the_controller():
    text = ("# Privacy Policy\n\n## Scope\n\nThis is Orbix’s worldwide Privacy Policy.\n\n"
            "## Cookies\n\nWe use cookies to remember the settings you choose each time you visit Orbix.\n")
    assert _recipients(text) == ["we"]
    joint = "Orbix Europe Ltd. and Orbix, Inc. are joint data controllers of your personal data."
    assert named_as_ours(joint) == ["Orbix Europe Ltd.", "Orbix, Inc."]
    # a partner named beside us, or a vendor's policy pointed to, is not the controller
    assert named_as_ours("We and Orbix are joint controllers. Please read Orbix's Privacy Policy.") == []
