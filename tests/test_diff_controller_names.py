"""The controller row (ropa/diff/controller.py) leaves aside a name written another way (a web
domain's ending) and the name of a representative: neither is a change of controller."""

from __future__ import annotations

import ropa
from ropa.diff.controller import representative_only, same_name
from tests.diffing import policy_from


def test_names_differing_by_a_domain_ending_are_one():
    assert same_name("Tandem.io B.V.", "Tandem BV")
    assert not same_name("Tandem Media B.V.", "Tandem B.V.")


def test_a_name_written_only_under_a_representative_passage_is_a_representative():
    text = ("## Contact\n\nWrite to us at Tandem B.V., Utrecht.\n\n"
            "Readers in the UK may also write to our representative:\n\n"
            "For the UK: Brolly Agents Ltd, 1 High Street, Leeds.\n")
    assert representative_only("Brolly Agents", text)
    assert not representative_only("Tandem", text)
    assert not representative_only("Nobody Here", text)


def test_a_renamed_entity_and_a_new_representative_change_no_controller(tmp_path):
    old = ("# Privacy notice of Tandem\n\nThis notice covers Tandem, Inc. We collect your email address "
           "to run your account.\n\n## Contact\n\nTandem, Inc., 1 Main Street, Springfield.\n")
    new = ("# Privacy notice of Tandem\n\nThis notice covers Tandem.com, Inc. We collect your email address "
           "to run your account.\n\n## Contact\n\nTandem.com, Inc., 9 Elm Street, Springfield.\n\n"
           "If you live in the UK you may contact our local representative.\n\n"
           "For the UK: Brolly Agents GmbH & Co KG, 1 High Street, Leeds.\n")
    changes = ropa.diff_policies(policy_from(tmp_path, "a.md", old), policy_from(tmp_path, "b.md", new))
    rows = changes[changes["aspect"] == "controller"]
    assert not rows["material"].any()
