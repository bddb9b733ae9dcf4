"""Promise rows checked against their sentences (ropa/diff/promises.py): a promise the new text
still writes is not withdrawn, however the new sentence is read, and one the old text wrote is
not new. (A negation that is the reader's, a condition's or part of a name is no statement at
all: tests/test_policy_extract_negations.py.)"""

from __future__ import annotations

import ropa
from ropa.diff.promises import fold_written_promises, still_written
from ropa.diff.statements import Statement
from tests.diffing import material_rows, policy_from


def _negative(sid: str, quote: str, line: int = 3) -> Statement:
    empty: frozenset[str] = frozenset()
    return Statement(pos=0, sid=sid, section="1", title="", quote=quote, wording=quote, action="not_share",
                     family="disclose", positive=False, actor="we", entities=frozenset({"third_party"}),
                     data=frozenset({"user"}), subjects=empty, purposes=empty, countries=empty,
                     legal_bases=empty, retention="", consent=False, exceptions=empty, rights=empty, line=line)


def _row(kind: str, sid: str, reason: str) -> dict:
    side = "new_statement" if kind == "added" else "old_statement"
    return {"kind": kind, "level": "material", "material": True, "direction": "adverse", "reason": reason,
            side: sid}


def test_a_promise_written_again_word_for_word_or_reworded_is_found():
    text = "## Sharing\n\nWe share orders with couriers.\nAs always, we do not sell the data of our members."
    assert still_written("We do not sell the data of our members.", text) == 4
    assert still_written("We do not sell the data of members.", text) == 4


def test_a_promise_that_gains_an_exception_or_loses_its_negation_is_not_found():
    assert still_written("We do not sell the data of our members.",
                         "We do not sell the data of our members, except to our partners.") is None
    assert still_written("We do not sell the data of our members.",
                         "We may sell the data of our members.") is None


def test_a_withdrawn_promise_still_written_is_informational():
    old = {"o1": _negative("o1", "We never pass your diary entries to insurers.")}
    rows = [_row("removed", "o1", "negative statement withdrawn (not share): a promise not to do this is gone")]
    fold_written_promises(rows, old, {}, "# Notice\n\nIntro.\n\nWe never pass your diary entries to insurers.\n")
    assert not rows[0]["material"] and "still written in the new version (line 5)" in rows[0]["reason"]


def test_advice_to_the_reader_added_to_a_policy_is_no_new_promise(tmp_path):
    old = "# Privacy\n\n## Accounts\n\nWe collect your email address to run your account.\n"
    new = ("# Privacy\n\n## Accounts\n\nWe collect your email address to run your account.\n\n"
           "If your employer should not see your account, do not sign up with your work email address.\n")
    changes = ropa.diff_policies(policy_from(tmp_path, "a.md", old), policy_from(tmp_path, "b.md", new))
    assert not any(material_rows(changes)["reason"].str.contains("negative statement"))


def test_a_new_promise_the_old_text_already_wrote_is_informational():
    new = {"n1": _negative("n1", "We never pass your diary entries to insurers.")}
    rows = [_row("added", "n1", "new negative statement (not share)")]
    fold_written_promises(rows, {}, new, "", "# Notice\n\nWe never pass your diary entries to insurers.\n")
    assert not rows[0]["material"] and "already written in the old version (line 3)" in rows[0]["reason"]
