"""Promises (negative statements: "we do not sell your personal data") compared with all the
promises of the other version, not only with the statement they were paired with.

A policy that is rewritten often keeps a promise in other words, somewhere else, and more
broadly ("we do not sell your name and e-mail address for marketing" becomes "we do not
sell your personal data"). A promise is *implied* by another of the same kind when the other
speaks of the same or broader data, the same or broader recipients, for every purpose the
first names (or for any purpose), with no exception the first lacks. A promise not to
*sell* (or rent, or trade) data speaks of selling only: it implies no promise not to share,
disclose or show it ("we do not sell your data" leaves "we never show your birth date to
other users" withdrawn if the new version drops it). And only a promise said as one ("we do
not ...", "we'll never ...", "... is never ...") implies another: a negation read from a
clause of some other purpose ("we ask for proof of identity, to ensure your data is not
provided to anyone else") promises nothing general. Then:

- a promise of the old version that some promise of the new version implies is not
  withdrawn: its row becomes informational, saying where the new version makes it;
- a new promise that a new promise on an earlier line (itself reported as a change)
  implies tells that change again: its row becomes informational, saying where it was
  reported.

The same is asked of the sentence itself: a promise whose sentence the new version still
writes (word for word, or reworded with the same negated words and no new exception) is not
withdrawn, whatever the reading of the new sentence found in it (another action, other data);
nor is a promise the old version already wrote a new one (:func:`fold_written_promises`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from .frames import informational
from .passages import REWORDED, similarity, wording_key
from .statements import Statement

__all__ = ["fold_kept_promises", "fold_written_promises", "implies", "said_as_promise", "sale_only",
           "still_written"]

_ROOT_RECIPIENT = "third_party"

#: Words of selling data, and words of giving it away by any other means.
_SALE = re.compile(r"\b(?:sell|sold|sale|rent|trade|lease)\w*", re.IGNORECASE)
_GIVING = re.compile(r"\b(?:shar|disclos|pass|giv|gave|provid|transfer|transmit|send|sent|display|show|reveal|releas"
                     r"|mak\w*\s+(?:\w+\s+)?(?:available|public))\w*", re.IGNORECASE)


#: A promise said as one: "we" and a negation close after it, or "never".
_PROMISED = re.compile(r"\bwe\b(?:\s+\w+){0,3}?\s+(?:not|never)\b|\bwe\s+\w+n[’']t\b|\bnever\b", re.IGNORECASE)


def said_as_promise(text: str) -> bool:
    """Whether a sentence says its negation as a promise of ours.

    Example:
        >>> said_as_promise("We will not rent your e-mail address to anyone.")
        True
        >>> said_as_promise("We check your identity to ensure your data is not given to anyone else.")
        False
    """
    return bool(_PROMISED.search(text))


def sale_only(text: str) -> bool:
    """Whether a promise's sentence speaks of selling data and of no other way of giving it.

    Example:
        >>> sale_only("We do not sell or rent your personal data.")
        True
        >>> sale_only("We do not sell or share your personal data.")
        False
    """
    return bool(_SALE.search(text)) and not _GIVING.search(text)


def _under(tax: Any, kind: str, term: str, broad: str) -> bool:
    """Whether ``term`` is ``broad`` or lies under it in the taxonomy (unknown terms: equal only)."""
    return term == broad or bool(tax.is_under(kind, term, broad))


def _recipient_under(term: str, broad: str) -> bool:
    """Whether recipient ``term`` is ``broad`` or one of its kinds: "third_party" covers any
    recipient other than ourselves, a category ("third_party.advertising") its sub-kinds."""
    return term == broad or broad == _ROOT_RECIPIENT or term.startswith(broad + ".")


def _all_under(terms: Iterable[str], broad: Iterable[str], under: Any) -> bool:
    broad = list(broad)
    return all(any(under(t, b) for b in broad) for t in terms)


def implies(tax: Any, p: Statement, q: Statement) -> bool:
    """Whether promise ``p`` implies promise ``q``: both negative statements of one family
    (not collecting, not disclosing), ``p`` about the same or broader data and recipients,
    for each purpose ``q`` names (or for any purpose), with no exception ``q`` lacks, and
    ``p`` said as a promise and not only about selling unless ``q`` is too."""
    if p.positive or q.positive or p.family != q.family or not said_as_promise(p.quote):
        return False
    if sale_only(p.quote) and not sale_only(q.quote):
        return False
    if not _all_under(q.data or {"user"}, p.data or {"user"}, lambda t, b: _under(tax, "data_category", t, b)):
        return False
    if not _all_under(q.entities, p.entities, _recipient_under) or (p.entities and not q.entities):
        return False
    if p.purposes and not (q.purposes and _all_under(q.purposes, p.purposes,
                                                       lambda t, b: _under(tax, "data_use", t, b))):
        return False
    return p.exceptions <= q.exceptions


def fold_kept_promises(rows: list[dict[str, Any]], old: Mapping[str, Statement], new: Mapping[str, Statement],
                       tax: Any) -> None:
    """The rows (in place) of promises withdrawn that a promise of the new version still makes,
    and of new promises that an earlier new promise already made, as informational (see the
    module's text). ``old`` and ``new`` are each version's statements by id."""
    promises = sorted((s for s in new.values() if not s.positive), key=lambda s: (s.line or 0, s.pos))
    reported: list[tuple[Statement, int]] = []
    for row in sorted(rows, key=lambda r: r.get("new_line") or 0):
        s = new.get(row.get("new_statement") or "")
        if (s is None or s.positive or row.get("kind") != "added" or not row.get("material")
                or not str(row.get("reason") or "").startswith("new negative statement")):
            continue
        earlier = next((line for p, line in reported if line < (s.line or 0) and implies(tax, p, s)), None)
        if earlier is not None:
            informational(row, f"already reported (line {earlier}): {row['reason']}")
        else:
            reported.append((s, s.line or 0))
    for row in rows:
        s = old.get(row.get("old_statement") or "")
        if (s is None or s.positive or row.get("kind") != "removed" or not row.get("material")
                or "negative statement withdrawn" not in str(row.get("reason") or "")):
            continue
        kept = next((p for p in promises if implies(tax, p, s)), None)
        if kept is not None:
            informational(row, f"promise still made, as broadly or more (line {kept.line}): {row['reason']}")


# -- promises still written word for word ----------------------------------------------

_NEGATION = re.compile(r"\b(?:not|never)\b|n[’']t\b", re.IGNORECASE)

#: Words of an exception: a promise that gains one is no longer the same promise.
_EXCEPTION = re.compile(r"\b(?:except|unless|other than|apart from|but|save for|without)\b", re.IGNORECASE)

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=\S)")


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


def fold_written_promises(rows: list[dict[str, Any]], old: Mapping[str, Statement],
                            new: Mapping[str, Statement], new_text: str, old_text: str = "") -> None:
    """The rows (in place) of promises withdrawn whose sentence the new text still writes,
    and of new promises the old text already wrote, as informational (see the module's
    text). ``old`` and ``new`` are each version's statements by id, ``new_text`` and
    ``old_text`` their texts."""
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
        if row.get("kind") == "removed":
            line = still_written(s.quote, new_text)
            if line is not None:
                informational(row, f"promise still written in the new version (line {line}): {reason}")
        else:
            line = still_written(s.quote, old_text)
            if line is not None:
                informational(row, f"promise already written in the old version (line {line}): {reason}")
