"""Rows of promises checked against the sentences they were read from.

A row that says a promise was made or withdrawn is one a reader acts on, so the sentence
under it must be a promise of ours and, for a withdrawn one, really gone from the new text:

- a negation that is not ours promises nothing: the reader's ("do not use your work
  address to sign up", "you must not share your password"), a condition's ("if we do not
  offer a way to opt out, ..."), or one inside the name of a request, signal or link
  ("a do not sell request", "Do Not Track signals");
- a promise whose sentence the new version still writes (word for word, or reworded with
  the same negated words and no new exception) is not withdrawn, whatever the reading of
  the new sentence found in it (another action, other data); nor is a promise the old
  version already wrote so a new one.

Both kinds of row become informational, saying why. (Promises the new version makes in
other sentences, as broadly or more, are :mod:`ropa.diff.promises`'s.)
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from .passages import REWORDED, similarity, wording_key
from .statements import Statement

__all__ = ["fold_unfounded_promises", "negation_is_ours", "still_written"]

_NEGATION = re.compile(r"\b(?:not|never)\b|n[’']t\b", re.IGNORECASE)

#: "a do not sell request", "Do Not Track signals", "the Do Not Sell or Share My Personal
#: Information link": a negation inside a name.
_NAMED = re.compile(
    r"\bdo[\s-]+not[\s-]+(?:sell|share|track|call|disturb|contact)\w*"
    r"(?:\s+(?:or|and|/)\s+(?:sell|share)\w*)?(?:\s+my(?:\s+personal)?\s+(?:information|data|info))?"
    r"\s+(?:request|signal|link|setting|option|list|preference|registry|mechanism|header|button|page|form)s?\b",
    re.IGNORECASE)

#: A clause of condition up to its comma: "if we do not offer an opt-out, ...".
_CONDITION = re.compile(r"\b(?:if|unless|whether|in case)\b[^,;:.]*", re.IGNORECASE)

#: The reader told what not to do: a sentence opening "do not ..." ("please don't ..."),
#: or "you must (should, may, need) not ...".
_READERS = re.compile(r"^\W*(?:please\s+)?(?:do\s+not|don[’']t)\b[^.;]*"
                      r"|\byou\s+(?:must|should|may|need|can)(?:\s+not|n[’']t)\b[^.;]*", re.IGNORECASE)

#: Words of an exception: a promise that gains one is no longer the same promise.
_EXCEPTION = re.compile(r"\b(?:except|unless|other than|apart from|but|save for|without)\b", re.IGNORECASE)

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=\S)")


def negation_is_ours(text: str) -> bool:
    """Whether a sentence read as a negative statement negates something of ours: not only
    the reader's conduct, a condition, or a name with "do not" in it.

    Example:
        >>> negation_is_ours("We will never sell your e-mail address.")
        True
        >>> negation_is_ours("Do not use your work address when you sign up.")
        False
        >>> negation_is_ours("If we do not offer a way to opt out")
        False
        >>> negation_is_ours("Your choices stay unaffected by a do not sell request.")
        False
    """
    if not _NEGATION.search(text):
        return True  # read as negative from its words ("we refrain from ..."): not ours to judge
    rest = _READERS.sub(" ", _CONDITION.sub(" ", _NAMED.sub(" ", text.replace('"', " ").replace("“", " ")
                                                          .replace("”", " "))))
    return bool(_NEGATION.search(rest))


def _negated_words(text: str) -> tuple[set[str], set[str]]:
    """The words that follow a negation closely ("do not *sell your data*"), as keys, and
    the first word after each negation (its verb, "sell")."""
    words = wording_key(text.replace("n't", " not").replace("n’t", " not")).split()
    near: set[str] = set()
    first: set[str] = set()
    for i, w in enumerate(words):
        if w in ("not", "never"):
            near.update(words[i + 1:i + 4])
            first.update(words[i + 1:i + 2])
    return near, first


def _negates_alike(quote: str, sentence: str) -> bool:
    """Whether ``sentence`` negates what ``quote`` negates: each verb ``quote`` negates is
    negated in ``sentence`` too, and each word near a negation of ``quote`` stands in it."""
    near, verbs = _negated_words(quote)
    other_near, _ = _negated_words(sentence)
    return bool(verbs) and verbs <= other_near and near <= set(wording_key(sentence).split())


def _sentences(text: str) -> Iterator[tuple[int, str]]:
    """(line number from 1, sentence) for each sentence of a text."""
    for n, line in enumerate(text.splitlines(), 1):
        for part in _SENTENCE_END.split(line):
            if _NEGATION.search(part):
                yield n, part


def still_written(quote: str, text: str) -> int | None:
    """The line of ``text`` that still writes the promise ``quote`` (the same sentence, or
    one reworded that negates the same words and adds no exception), or None.

    Example:
        >>> still_written("We do not sell your data.", "Intro.\\nAs before, we do not sell your personal data.")
        2
        >>> still_written("We do not sell your data.", "We do not sell your data, except to partners.") is None
        True
    """
    key = wording_key(quote)
    if not key or not _negated_words(quote)[1]:
        return None
    had_exception = bool(_EXCEPTION.search(quote))
    for line, sentence in _sentences(text):
        if wording_key(sentence) == key:
            return line
        if (similarity(quote, sentence) >= REWORDED and _negates_alike(quote, sentence)
                and (had_exception or not _EXCEPTION.search(sentence))):
            return line
    return None


def _informational(row: dict[str, Any], reason: str) -> None:
    row.update(level="informational", material=False, direction=None, reason=reason)


def fold_unfounded_promises(rows: list[dict[str, Any]], old: Mapping[str, Statement],
                            new: Mapping[str, Statement], new_text: str, old_text: str = "") -> None:
    """The rows (in place) of promises made or withdrawn that rest on no negation of ours,
    of promises withdrawn whose sentence the new text still writes and of new promises the
    old text already wrote, as informational (see the module's text). ``old`` and ``new``
    are each version's statements by id, ``new_text`` and ``old_text`` their texts."""
    for row in rows:
        if not row.get("material"):
            continue
        reason = str(row.get("reason") or "")
        if row.get("kind") == "added" and reason.startswith("new negative statement"):
            s = new.get(row.get("new_statement") or "")
        elif row.get("kind") == "removed" and "negative statement withdrawn" in reason:
            s = old.get(row.get("old_statement") or "")
        else:
            continue
        if s is None or s.positive or not s.quote:
            continue
        if not negation_is_ours(s.quote):
            _informational(row, f"no promise of ours (the negation is the reader's, a condition's or a name's): "
                                f"{reason}")
        elif row.get("kind") == "removed":
            line = still_written(s.quote, new_text)
            if line is not None:
                _informational(row, f"promise still written in the new version (line {line}): {reason}")
        else:
            line = still_written(s.quote, old_text)
            if line is not None:
                _informational(row, f"promise already written in the old version (line {line}): {reason}")
