"""Words: folding text for matching, and the small word tables every stage reads the same way.

The tables are data (``ropa/taxonomy/words.yml``): yes/no words, units of a period, numbers
written as words, trigger words of a period, companies' legal forms.

Example:
    >>> from ropa.core.words import fold, truth
    >>> fold("  Données   de SANTÉ "), truth("Oui"), truth("nein"), truth("maybe")
    ('donnees de sante', True, False, None)
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from .yamlio import package_yaml

__all__ = ["fold", "number_words", "truth", "word_set", "word_table"]


def fold(text: Any) -> str:
    """Accent-free, lower-case, single-spaced text (œ as oe, ’ as '), for matching phrase tables.

    Example:
        >>> fold("Œuvre d’Art")
        "oeuvre d'art"
    """
    text = str(text).replace("\u0153", "oe").replace("\u0152", "OE").replace("\u2019", "'")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"\s+", " ", text.strip().lower())


@functools.cache
def word_table(name: str, source: str = "words.yml") -> Any:
    """One table of ``ropa/taxonomy/words.yml`` (``yes``, ``no``, ``duration_units``, ...), or of
    another word file of ``ropa/taxonomy`` given as ``source`` (``dates.yml``: ``months``, ...).

    Example:
        >>> word_table("months", "dates.yml")["sept"]
        9
    """
    return package_yaml(source)[name]


@functools.cache
def word_set(name: str, key: str, source: str = "words.yml") -> frozenset[str]:
    """One list of a word table as a set, made once (``word_set("page_chrome", "social")``).

    Example:
        >>> "facebook" in word_set("page_chrome", "social")
        True
    """
    return frozenset(word_table(name, source)[key])


@functools.cache
def number_words() -> Mapping[str, int]:
    """Numbers written as words, folded (``seven`` -> 7, ``sieben`` -> 7), from words.yml: one
    table for the periods of the register (durations) and of the policy text (cues); read-only.

    Example:
        >>> number_words()["seven"], number_words()["twenty-four"]
        (7, 24)
    """
    return MappingProxyType({fold(k): int(v) for k, v in word_table("numbers").items()})


@functools.cache
def _truth_words() -> tuple[frozenset[str], frozenset[str]]:
    return frozenset(fold(w) for w in word_table("yes")), frozenset(fold(w) for w in word_table("no"))


def truth(value: Any) -> bool | None:
    """True or False for a cell that says yes or no (in the languages of words.yml), else None.

    Example:
        >>> [truth(v) for v in ("TRUE", "x", "Ja", "", "unknown", True)]
        [True, True, True, None, None, True]
    """
    if isinstance(value, bool):
        return value
    if value is None:
        return None
    text = fold(value)
    yes, no = _truth_words()
    if text in yes:
        return True
    if text in no:
        return False
    return None
