"""Clauses and review: a sentence cut into the clauses its negations hold in, whether a
sentence speaks of personal data, and why one that does yielded no statement.
"""

from __future__ import annotations

import re

from .cues import CLAUSE_BREAK, FOR_THAT_PURPOSE, IN_THIS_CASE, NEG_COLLECT, NEG_SHARE
from .sentences import SentenceFacts

_NO_FLOW = ("inform", "not_share", "not_collect")

__all__ = ["PERSONAL_DATA", "follow_up", "negation_clauses", "review_reason"]


#: Personal data named in general ("your personal information", "PII").
PERSONAL_DATA = re.compile(r"\b(?:personal\s+(?:data|information|details)|personally\s+identifiable|PII)\b", re.I)


def review_reason(f: SentenceFacts | None, text: str) -> str:
    """Why a sentence about personal data yielded no statement: a negation that was not read
    as a promise, no one said to act on the data, or data or a party that no term names.

    Example:
        >>> review_reason(None, "Your data is not used for ads, except as noted.")
        'unclear negation'
    """
    norm = text.replace("’", "'")
    if NEG_SHARE.search(norm) or NEG_COLLECT.search(norm) or re.search(r"\b(?:not|never|no\s+longer)\b", norm, re.I):
        return "unclear negation"
    if f is not None and f.action is None:
        return "unresolved actor"
    return "unknown phrase"


_LEADS_EXCEPTION = re.compile(r"^unless\b", re.I)


def _negative(text: str) -> bool:
    norm = text.replace("’", "'")
    return bool(NEG_SHARE.search(norm) or NEG_COLLECT.search(norm))


def negation_clauses(text: str) -> list[str]:
    """A sentence cut into its clauses when a negation holds in some of them and not in the
    others ("We do not keep IP logs, but they may be kept for 14 days"): a negation's scope
    ends with its clause. Otherwise the sentence whole.

    Example:
        >>> negation_clauses("We never sell your data, but we share it with our host.")
        ['We never sell your data', 'we share it with our host.']
    """
    norm = text.replace("’", "'")
    if not (NEG_SHARE.search(norm) or NEG_COLLECT.search(norm)):
        return [text]
    parts: list[str] = []
    start = 0
    for m in CLAUSE_BREAK.finditer(text):
        parts.append(text[start: m.start()])
        start = m.end()
    parts.append(text[start:])
    parts = [p.strip() for p in parts if p.strip()]
    # "Unless the law obliges us, we will no longer process it": a leading exception belongs
    # to the negation after it.
    joined: list[str] = []
    for p in parts:
        if joined and _LEADS_EXCEPTION.match(joined[-1]) and "," not in joined[-1] and _negative(p):
            joined[-1] = f"{joined[-1]}, {p}"
        else:
            joined.append(p)
    parts = joined
    negative = [bool(NEG_SHARE.search(p.replace("’", "'")) or NEG_COLLECT.search(p.replace("’", "'"))) for p in parts]
    if len(parts) < 2 or all(negative) or any(len(p.split()) < 3 for p in parts):
        return [text]
    # A clause without a subject of its own ("... and will not use it") keeps the first one's.
    subject = _SUBJECT.match(parts[0])
    if subject:
        parts = [parts[0], *(f"{subject.group(1)} {p}" if _NO_SUBJECT.match(p) else p for p in parts[1:])]
    return parts


#: The subject of a clause: the words before its first auxiliary ("These companies will ...").
_SUBJECT = re.compile(r"^([A-Z][\w'’ -]{0,60}?)\s+(?:will|would|shall|may|can|could|must|do|does|did|only|never)\b")

#: A clause that starts with its verb: its subject is the sentence's.
_NO_SUBJECT = re.compile(r"^(?:will|would|shall|may|can|could|must|do|does|did|never|cannot|can't|won't|don't|doesn't)\b", re.I)


def follow_up(f: SentenceFacts, text: str, earlier: list[dict], before: SentenceFacts | None) -> None:
    """What a sentence takes from those before it in its section: "your data for this purpose"
    is the data (and purposes) of the statement just made about a purpose (``earlier``, newest
    first); "In this case, we process ..." takes the purposes and consent of the sentence just
    before (``before``) when that one made no statement of its own ("we record the call for
    quality assurance, but only with your consent").

    Example:
        >>> f = SentenceFacts(text="", line=1, data=["user"], action="retain")
        >>> follow_up(f, "We keep your data for this purpose for a year.", [
        ...     {"action": "use", "data_categories": ["user.contact.email"], "purposes": ["marketing"]}], None)
        >>> f.data, f.purposes
        (['user.contact.email'], ['marketing'])
    """
    norm = text.replace("’", "'")
    if f.action not in _NO_FLOW and set(f.data) <= {"user"} and FOR_THAT_PURPOSE.search(norm):
        source = next((r for r in earlier if r["data_categories"] and r["purposes"] and r["action"] not in _NO_FLOW), None)
        if source is not None:
            f.data = list(source["data_categories"])
            f.purposes = f.purposes or list(source["purposes"])
    if before is not None and f.action not in _NO_FLOW and IN_THIS_CASE.match(norm.strip()):
        f.purposes = f.purposes or list(before.purposes)
        f.consent = f.consent or before.consent
