"""Free text mapped onto taxonomy keys.

A cell is split into parts (on new lines, semicolons and bullets, then on commas outside
parentheses, then on "and", "or", "&" and "/") and each part is looked up in the
taxonomy through its keys, labels and synonyms (``Taxonomy.lookup``), then in the phrase
tables of ``ropa/taxonomy/phrases.yml`` (:mod:`ropa.register.phrases`).

Example:
    >>> from ropa import default_taxonomy
    >>> map_free_text(default_taxonomy(), "data_subject", "Clients et prospects")
    (['customer', 'prospect'], [])
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from ..core.taxonomy import Taxonomy
from ..core.words import fold
from .phrases import is_none, match_phrases, phrase_synonyms, phrase_tables

__all__ = [
    "Mapper",
    "basis_key",
    "clean_part",
    "dedupe",
    "map_free_text",
    "split_commas",
    "split_conjunctions",
    "split_items",
    "split_lines",
    "unique_id",
]

#: Where a cell splits into lines: new lines, semicolons and bullets.
_LINES = re.compile(r"\s*(?:\r?\n|;|\u2022|\u25cf|\u25aa)\s*")
_COMMAS = re.compile(r"\s*,\s*")


def _alternatives(words: Iterable[str]) -> str:
    """Words as regular-expression alternatives, longest first."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


@functools.cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """The word patterns of phrases.yml: conjunctions (and "/"), a bullet or lead-in word
    starting a part, and articles starting a phrase."""
    tables = phrase_tables()
    conjunctions = re.compile(rf"\s+(?:{_alternatives(w for ws in tables.conjunctions.values() for w in ws)})"
                              r"\s+|\s*/\s*", re.IGNORECASE)
    lead_ins = "|".join(re.escape(w) + (r"\s*" if w.endswith(".") else r"\s+")
                        for ws in tables.lead_ins.values() for w in ws)
    bullet = re.compile(rf"^(?:[-*\u00b7\u2013\u2014]\s+|\(?\d{{1,2}}[.)]\s+|{lead_ins})", re.IGNORECASE)
    articles = re.compile(rf"^(?:{_alternatives(w for ws in tables.articles.values() for w in ws)})\s+",
                          re.IGNORECASE)
    return conjunctions, bullet, articles


def depth_split(text: str, pattern: re.Pattern[str]) -> list[str]:
    """Split ``text`` where ``pattern`` matches outside parentheses and brackets."""
    depth_at = []
    depth = 0
    for ch in text:
        if ch in "([{":
            depth += 1
        depth_at.append(depth)
        if ch in ")]}":
            depth = max(0, depth - 1)
    parts, start = [], 0
    for m in pattern.finditer(text):
        if m.start() < len(depth_at) and depth_at[m.start()] == 0 and m.end() > m.start():
            parts.append(text[start:m.start()])
            start = m.end()
    parts.append(text[start:])
    return parts


def clean_part(part: str) -> str:
    """A part of a cell without quotes, a leading bullet or lead-in ("e.g."), and trailing
    punctuation."""
    part = part.strip().strip("\"'\u201c\u201d")
    part = _patterns()[1].sub("", part).strip()
    return part.rstrip(".,:;").strip()


def dedupe(items: Iterable[str]) -> list[str]:
    """The non-empty items, each once, in order."""
    return list(dict.fromkeys(i for i in items if i))


def split_lines(text: str) -> list[str]:
    """Parts of a cell split on new lines, semicolons and bullets (not commas)."""
    return [p for p in (clean_part(x) for x in depth_split(text or "", _LINES)) if p]


def split_commas(text: str) -> list[str]:
    """Parts of one line split on commas outside parentheses."""
    return [p for p in (clean_part(x) for x in depth_split(text, _COMMAS)) if p]


def split_conjunctions(text: str) -> list[str]:
    """Parts of one piece split on "and", "or", "&", "/" (and their translations in phrases.yml)."""
    return [p for p in (clean_part(x) for x in depth_split(text, _patterns()[0])) if p]


def split_items(text: str) -> list[str]:
    """Parts of a cell split on lines, semicolons, bullets and commas outside parentheses."""
    return [p for line in split_lines(text) for p in split_commas(line)]


_ART6_REF = re.compile(r"(?<!\d)6[\W_]{0,2}1[\W_]{0,3}(?:lit[\W_]{0,2})?([a-f])(?=[\W_]|$)", re.IGNORECASE)
_ART9_REF = re.compile(r"(?<!\d)9[\W_]{0,2}2[\W_]{0,3}(?:lit[\W_]{0,2})?([a-j])(?=[\W_]|$)", re.IGNORECASE)


def basis_key(mapper: Mapper, kind: str, text: str) -> str | None:
    """The legal-basis (art6) or Art 9 condition key a cell part names."""
    key = mapper.phrase(kind, text)
    if key:
        return key
    compact = re.sub(r"\s+", "", text)
    if kind == "legal_basis":
        m = _ART6_REF.search(compact)
        return f"art6_1_{m[1].lower()}" if m else match_phrases("legal_basis", text)
    m = _ART9_REF.search(compact)
    return f"art9_2_{m[1].lower()}" if m else match_phrases("art9_condition", text)


def unique_id(base: str, taken: set[str]) -> str:
    """``base``, or ``base-2``, ``base-3``... whichever is not taken yet (and is taken now)."""
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    taken.add(candidate)
    return candidate


class Mapper:
    """Looks cell parts up in one taxonomy: keys, labels and synonyms, and the synonyms of
    phrases.yml."""

    def __init__(self, taxonomy: Taxonomy):
        self.tax = taxonomy
        self._folded: dict[str, dict[str, str]] = {}

    def _table(self, kind: str) -> dict[str, str]:
        table = self._folded.get(kind)
        if table is None:
            table = {}
            for key, words in phrase_synonyms(kind).items():
                if self.tax.known(kind, [key])[0]:
                    for phrase in words:
                        table.setdefault(fold(phrase), key)
            for phrase, key in self.tax.synonyms(kind).items():
                table.setdefault(fold(phrase), key)
            self._folded[kind] = table
        return table

    def phrase(self, kind: str, text: str) -> str | None:
        """The key one phrase means, or None. Tries the phrase, then without its
        parenthetical, leading article, and as singular or plural."""
        text = clean_part(text)
        if not text:
            return None
        table = self._table(kind)
        base = re.sub(r"\s*\([^)]*\)\s*", " ", text).strip()
        stripped = _patterns()[2].sub("", base).strip()
        for candidate in dict.fromkeys((text, base, stripped)):
            if not candidate:
                continue
            key = self.tax.lookup(kind, candidate)
            if key:
                return key
            folded = fold(candidate)
            key = table.get(folded)
            if key is None and len(folded) > 3:
                key = table.get(folded[:-1]) if folded.endswith("s") else table.get(folded + "s")
            if key:
                return key
        return None

    def cell(self, kind: str, text: str) -> tuple[list[str], list[str]]:
        """A free-text cell as (keys, parts that match nothing)."""
        keys: list[str] = []
        unmapped: list[str] = []
        for line in split_lines(text):
            key = self.phrase(kind, line)
            if key:
                keys.append(key)
                continue
            for piece in split_commas(line):
                key = self.phrase(kind, piece)
                if key:
                    keys.append(key)
                    continue
                subs = split_conjunctions(piece)
                if len(subs) > 1:
                    for sub in subs:
                        key = self.phrase(kind, sub)
                        (keys if key else unmapped).append(key or sub)
                elif not is_none(piece):
                    unmapped.append(piece)
        return dedupe(keys), dedupe(unmapped)

    def mentions(self, kind: str, text: str) -> list[str]:
        """Keys whose phrases occur (as whole words) in prose, longest phrases first."""
        folded = fold(text)
        taken: list[tuple[int, int]] = []
        found: list[tuple[int, str]] = []
        for phrase, key in sorted(self._table(kind).items(), key=lambda kv: -len(kv[0])):
            if len(phrase) < 4:
                continue
            for m in re.finditer(rf"(?<![a-z0-9]){re.escape(phrase)}(?![a-z0-9])", folded):
                if not any(m.start() < end and start < m.end() for start, end in taken):
                    taken.append((m.start(), m.end()))
                    found.append((m.start(), key))
        return dedupe(key for _, key in sorted(found))

    def term_text(self, kind: str, key: str) -> str:
        """The readable label of a key when it reads back as that key, else the key."""
        label = self.tax.label(kind, key)
        return label if label != key and self.phrase(kind, label) == key else key


def map_free_text(taxonomy: Taxonomy, kind: str, text: str) -> tuple[list[str], list[str]]:
    """Map a free-text cell onto taxonomy keys: (keys, parts that matched nothing).

    The cell is split on new lines, semicolons and bullets, then (for parts that do not
    match as a whole) on commas outside parentheses, then on "and", "or", "&" and "/".

    Example:
        >>> from ropa import default_taxonomy
        >>> map_free_text(default_taxonomy(), "data_category", "Name, email address, phone numbers")
        (['user.name', 'user.contact.email', 'user.contact.phone_number'], [])
        >>> map_free_text(default_taxonomy(), "data_subject", "Customers and prospects")
        (['customer', 'prospect'], [])
    """
    return Mapper(taxonomy).cell(kind, text)
