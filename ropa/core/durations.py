"""Periods of time: ISO 8601 durations read, checked, compared and written as words.

One implementation for every stage: the register check (``invalid-duration``), the Art 30
record and the workbooks (a period in words), the importers (a period written in words read
as a duration), the policy diff (is a retention period longer or shorter?).

Example:
    >>> from ropa.core import durations
    >>> durations.is_duration("P7Y"), durations.words("P1Y6M"), round(durations.days("P2W"))
    (True, '1 year and 6 months', 14)
    >>> durations.from_words("7 years after the end of the contract")
    ('P7Y', 'the end of the contract')
"""

from __future__ import annotations

import functools
import re

from .lists import join_words
from .words import fold, number_words, word_table

__all__ = ["days", "from_words", "is_duration", "iso", "parts", "words"]

_ISO = re.compile(
    r"^P(?:(?P<Y>\d+(?:[.,]\d+)?)Y)?(?:(?P<Mo>\d+(?:[.,]\d+)?)M)?(?:(?P<W>\d+(?:[.,]\d+)?)W)?"
    r"(?:(?P<D>\d+(?:[.,]\d+)?)D)?(?:T(?:(?P<H>\d+(?:[.,]\d+)?)H)?(?:(?P<Mi>\d+(?:[.,]\d+)?)M)?"
    r"(?:(?P<S>\d+(?:[.,]\d+)?)S)?)?$"
)
_UNITS = (("Y", "year"), ("Mo", "month"), ("W", "week"), ("D", "day"), ("H", "hour"),
          ("Mi", "minute"), ("S", "second"))
#: Days per unit, for comparing periods (a year of 365.25 days, a month of 30.44).
_DAYS = {"Y": 365.25, "Mo": 30.44, "W": 7.0, "D": 1.0, "H": 1 / 24, "Mi": 1 / 1440, "S": 1 / 86400}


def parts(text: str) -> dict[str, float] | None:
    """The units of an ISO 8601 duration (``Y``, ``Mo``, ``W``, ``D``, ``H``, ``Mi``, ``S``), or
    None when ``text`` is not one (``P``, ``PT``, ``P1YT`` and ``7 years`` are not).

    Example:
        >>> parts("P1Y6M"), parts("PT36H"), parts("P"), parts("seven years")
        ({'Y': 1.0, 'Mo': 6.0}, {'H': 36.0}, None, None)
    """
    text = str(text or "").strip()
    m = _ISO.match(text)
    if not m or text in ("P", "PT") or text.endswith("T"):
        return None
    found = {k: float(v.replace(",", ".")) for k, v in m.groupdict().items() if v is not None}
    return found or None


def is_duration(text: str) -> bool:
    """Is ``text`` a valid ISO 8601 duration (``P7Y``, ``P1Y6M``, ``PT72H``)?"""
    return parts(text) is not None


def words(text: str) -> str | None:
    """A duration in words (``P7Y`` → ``7 years``, ``P1Y6M`` → ``1 year and 6 months``); None
    when ``text`` is not an ISO 8601 duration."""
    found = parts(text)
    if found is None:
        return None
    out = []
    for key, unit in _UNITS:
        if key in found:
            value = found[key]
            shown = str(int(value)) if value.is_integer() else str(value)
            out.append(f"{shown} {unit}{'' if value == 1 else 's'}")
    return join_words(out)


def days(text: str) -> float | None:
    """The duration's length in days (years of 365.25 days, months of 30.44), for comparing
    two periods; None when ``text`` is not an ISO 8601 duration."""
    found = parts(str(text or "").strip().upper().replace("MO", "M"))
    if found is None:
        return None
    return sum(_DAYS[k] * v for k, v in found.items())


def iso(count: int, unit: str) -> str:
    """``iso(7, "years")`` → ``P7Y``; the unit in any language of words.yml (weeks as days).

    Raises:
        ValueError: the unit is not a unit of time ropa knows.
    """
    letter = _unit_letters().get(fold(unit))
    if letter is None:
        raise ValueError(f"not a unit of time: {unit!r}")
    return f"P{count * 7}D" if letter == "W" else f"P{count}{letter}"


@functools.cache
def _unit_letters() -> dict[str, str]:
    return {fold(w): letter for letter, ws in word_table("duration_units").items() for w in ws}


@functools.cache
def _phrase() -> tuple[re.Pattern[str], re.Pattern[str]]:
    units = "|".join(sorted((re.escape(u) for u in _unit_letters()), key=len, reverse=True))
    numbers = "|".join(sorted((re.escape(n) for n in number_words()), key=len, reverse=True))
    part = rf"(\d+|{numbers})\s*({units})"
    triggers = "|".join(sorted((re.escape(fold(t)) for t in word_table("duration_triggers")), key=len,
                               reverse=True))
    whole = re.compile(rf"^\s*(?P<parts>{part}(?:\s*(?:,|and|et|und|y|e|en|\+)?\s*{part})*)"
                       rf"(?:\s+(?:{triggers})\s+(?P<trigger>.+?))?\s*\.?\s*$")
    return whole, re.compile(part)


def from_words(text: str) -> tuple[str, str]:
    """A period written in words as (ISO 8601 duration, the event it runs from); anything that
    is not a period in words comes back as (the text, "").

    Example:
        >>> from_words("18 months"), from_words("2 Jahre nach Vertragsende")
        (('P18M', ''), ('P2Y', 'Vertragsende'))
        >>> from_words("Until the subscriber unsubscribes")
        ('Until the subscriber unsubscribes', '')
    """
    raw = str(text or "").strip()
    if not raw or is_duration(raw):
        return raw, ""
    folded = fold(raw)
    whole, part = _phrase()
    m = whole.match(folded)
    if not m:
        return raw, ""
    numbers = number_words()
    totals: dict[str, int] = {}
    for number, unit in part.findall(m["parts"]):
        n = int(number) if number.isdigit() else numbers[number]
        letter = _unit_letters()[unit]
        if letter == "W":
            letter, n = "D", n * 7
        totals[letter] = totals.get(letter, 0) + n
    duration = "P" + "".join(f"{totals[u]}{u}" for u in "YMD" if totals.get(u))
    trigger = ""
    if m["trigger"]:
        # the trigger as written (case and accents kept): the same number of characters from the end
        trigger = raw.rstrip(". ").strip()[-len(m["trigger"]):] if len(fold(raw.rstrip(". "))) == len(
            folded.rstrip(". ")) else m["trigger"]
    return duration, trigger.strip()
