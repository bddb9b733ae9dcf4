"""Statements gone that took nothing of substance with them (ropa/diff/hollow.py): one read with
no data and no purpose, and our own use of data the new version still processes, named for no
purpose, are no favourable change."""

from __future__ import annotations

import ropa
from ropa.core.taxonomy import default_taxonomy
from ropa.diff.entities import EntityResolver
from ropa.diff.hollow import fold_hollow_removals, hollow
from ropa.diff.statements import statements_of
from ropa.policy.extract import extract
from tests.diffing import material_rows, policy_from


def _statements(text: str):
    return statements_of(extract(text), EntityResolver(None))


def test_a_statement_read_with_neither_data_nor_purpose_is_hollow():
    gone = _statements("We use your email address.")[0]
    gone = type(gone)(**{**gone.__dict__, "data": frozenset()})
    assert hollow(default_taxonomy(), gone, []) == "no data and no purpose were read in it"


def test_our_use_of_data_still_collected_is_hollow_and_one_with_a_purpose_is_not():
    tax = default_taxonomy()
    kept = _statements("We collect your email address to run your account.")
    assert hollow(tax, _statements("We use your email address.")[0], kept)
    with_purpose = _statements("We use your email address to send you offers.")[0]
    assert with_purpose.purposes and hollow(tax, with_purpose, kept) is None


def test_a_disclosure_of_data_is_never_hollow():
    tax = default_taxonomy()
    shared = _statements("We share your email address with our partners.")[0]
    assert shared.data and hollow(tax, shared, _statements("We collect your email address."), "") is None


def test_data_whose_words_the_new_text_still_writes_is_hollow():
    tax = default_taxonomy()
    gone = _statements("We use your email address.")[0]
    assert hollow(tax, gone, [], "") is None
    assert hollow(tax, gone, [], "yourpasswordandemailaddressareneeded")


def test_the_fold_touches_only_rows_of_statements_no_longer_made():
    old = {s.sid: s for s in _statements("We use your email address.")}
    sid = next(iter(old))
    rows = [{"kind": "removed", "level": "material", "material": True, "direction": "favourable",
             "reason": "statement no longer made: use; data: Email address", "old_statement": sid},
            {"kind": "removed", "level": "material", "material": True, "direction": "favourable",
             "reason": "recipient no longer named: Acme", "old_statement": sid}]
    fold_hollow_removals(rows, old, _statements("We collect your email address to run your account."),
                         default_taxonomy())
    assert [r["material"] for r in rows] == [False, True]
    assert "nothing of substance lost" in rows[0]["reason"]


def test_a_list_of_settings_dropped_for_a_link_is_no_favourable_change(tmp_path):
    old = ("# Privacy\n\n## Account\n\nWe collect your email address to run your account.\n\n"
           "## Settings\n\nYour options include:\n\n* Open: your album is visible to everyone.\n"
           "* Closed: your album is visible to you alone.\n")
    new = ("# Privacy\n\n## Account\n\nWe collect your email address to run your account.\n\n"
           "## Settings\n\nSee our help pages for the visibility options of your albums.\n")
    changes = ropa.diff_policies(policy_from(tmp_path, "a.md", old), policy_from(tmp_path, "b.md", new))
    assert material_rows(changes).empty


def test_a_statement_that_asked_for_consent_is_not_hollow():
    tax = default_taxonomy()
    kept = _statements("We collect your phone number to help you with your orders.")
    gone = _statements("With your consent, we also collect your phone number.")[0]
    assert gone.consent and hollow(tax, gone, kept, "") is None
