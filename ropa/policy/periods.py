"""How long a sentence says data is kept: a period ("for seven years", "30 (thirty) days
after the contract ends"), an event ("deleted once you close your account", "until you
withdraw consent") or a need ("we keep it as necessary to fulfil the purposes for which we
collected it"). The one reading of retention periods, for sentences and table cells.

Every pattern is linear in the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..core import durations
from ..core.words import number_words

__all__ = ["DURATION", "KEEPING", "RETAIN_VERB", "Period", "retention_period"]

#: A verb of keeping or of ending the keeping.
RETAIN_VERB = re.compile(
    r"\b(?:keep|keeps|kept|retain|retains|retained|store|stores|stored|hold|holds|held|delete|deletes|deleted|"
    r"erase|erases|erased|remove|removes|removed|destroy|destroys|destroyed|anonymi[sz]e[sd]?|purge[sd]?)\b|"
    r"\bretention\s+period", re.I)

#: Keeping, as the verb of a sentence ("we retain", "are kept", "must be stored"), without the
#: verbs that end it.
KEEPING = re.compile(r"\b(?:keep|keeps|kept|keeping|retain|retains|retained|retaining|store|stores|stored|storing|hold|holds|held)\b", re.I)

#: A period: a number (in digits or words) and an English unit ("seven years", "30 (thirty) days").
DURATION = re.compile(
    r"\b(\d{1,4}|" + "|".join(re.escape(n) for n in sorted(number_words(), key=len, reverse=True))
    + r")\s*(?:\(\d+\)\s*)?(?:full\s+|calendar\s+)?(day|week|month|year)s?\b", re.I)

_UNTIL = re.compile(r"\b(until|till|as\s+long\s+as|for\s+as\s+long\s+as)\s+([^,.;()]+)", re.I)

_WHEN_DELETE = re.compile(r"\b(?:deleted|erased|removed|destroyed|anonymi[sz]ed)\s+(when|once|if|as\s+soon\s+as)\s+([^,.;()]+)", re.I)

#: Keeping for as long as a need lasts, said without "long": "we may keep it as necessary to
#: fulfil the purposes", "retained as reasonably required for our legal obligations". Only
#: the verbs that mean keeping on (not "store" or "hold", which also mean taking in).
_AS_NEEDED = re.compile(
    r"\b(?:keep|keeps|kept|retain|retains|retained)\b[^.;]{0,80}?"
    r"\b(as\s+(?:is\s+|may\s+be\s+)?(?:reasonably\s+|strictly\s+)?(?:necessary|needed|required)\s+(?:to|for|by)\s+[^,.;()]+)", re.I)

#: Words before a number that tie it to the keeping ("for", "up to", "a maximum of").
_PERIOD_LEAD = re.compile(r"\b(?:for|after|of|within|up\s+to|maximum|max\.?|at\s+most)\s+(?:\S+\s+){0,2}$", re.I)

_KEEP_WORD = re.compile(r"\b(?:kept|keep|retain\w*|stored?|held|hold|deleted|erased|removed|destroyed)\b", re.I)


@dataclass(frozen=True)
class Period:
    """A retention read from a sentence: an ISO 8601 duration or the words of an event or
    a need, and the event a period runs from (``after the contract ends``), if stated."""

    retention: str
    condition: str | None = None


def retention_period(text: str) -> Period | None:
    """The retention ``text`` states, if it speaks of keeping or deleting.

    >>> retention_period("We keep invoices for seven years after the end of the contract")
    Period(retention='P7Y', condition='after the end of the contract')
    >>> retention_period("Logs are deleted once the session ends").retention
    'until the session ends'
    >>> retention_period("We may keep it as necessary to fulfil the purposes we collected it for").retention
    'as necessary to fulfil the purposes we collected it for'
    >>> retention_period("Within 30 days we answer your request") is None
    True
    """
    if not RETAIN_VERB.search(text):
        return None
    dur = DURATION.search(text)
    if dur and _PERIOD_LEAD.search(text[: dur.start()]) is None and not re.search(r"\b(?:for|after)\b", text[dur.end(): dur.end() + 8]):
        # a number of days not attached to keeping ("within 30 days we answer") is not retention
        dur = dur if _KEEP_WORD.search(text[: dur.start()]) else None
    if dur:
        n = dur.group(1).lower()
        count = int(n) if n.isdigit() else number_words().get(n, 0)
        if count:
            after = re.match(r"\s*(after|from|following)\s+([^,.;()]+)", text[dur.end():], re.I)
            return Period(durations.iso(count, dur.group(2)), f"{after.group(1)} {after.group(2).strip()}" if after else None)
    m = _WHEN_DELETE.search(text)
    if m:
        return Period(f"until {m.group(2).strip()}")
    m = _UNTIL.search(text)
    if m:
        return Period(f"{m.group(1).lower()} {m.group(2).strip()}")
    m = _AS_NEEDED.search(text)
    if m:
        return Period(re.sub(r"\s+", " ", m.group(1).strip()))
    return None
