"""Clauses and review: a sentence cut into the clauses its negations hold in, whether a
sentence speaks of personal data, and why one that does yielded no statement.
"""

from __future__ import annotations

import re

from .cues import CLAUSE_BREAK, NEG_COLLECT, NEG_SHARE
from .sentences import SentenceFacts

__all__ = ["PERSONAL_DATA", "negation_clauses", "review_reason"]


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
