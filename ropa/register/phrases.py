"""Phrases people write in register cells, mapped onto ropa's keys: the data of
``ropa/taxonomy/phrases.yml``, read once and checked by :func:`phrase_tables`.

Rule tables (lawful bases, Art 9 conditions, transfer safeguards, DPIA states, roles,
statuses, the sections of a CNIL organisation sheet) give a key for the first rule whose
regular expression matches the folded text; word lists say "nothing here"; synonyms add
phrases to the taxonomy's, by kind and key.

Example:
    >>> from ropa.register.phrases import is_none, match_phrases
    >>> match_phrases("legal_basis", "Obligation légale"), match_phrases("safeguard", "Privacy Shield")
    ('art6_1_c', None)
    >>> is_none("N/A."), is_none("Néant"), is_none("Payroll")
    (True, True, False)
"""

from __future__ import annotations

import functools
import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..core.words import fold
from ..core.yamlio import package_yaml

__all__ = [
    "PhraseRule",
    "PhraseTables",
    "is_none",
    "legal_form_country",
    "match_phrases",
    "none_words",
    "phrase_synonyms",
    "phrase_tables",
]

_LANGUAGE = re.compile(r"^(?:[a-z]{2}|any)$")


class PhraseRule(BaseModel):
    """One rule of a rule table: a key, and regular expressions by language (``en``, ``fr``,
    ... or ``any``) given as the other fields."""

    model_config = ConfigDict(extra="allow", frozen=True)

    key: str = Field(min_length=1)

    @model_validator(mode="after")
    def _languages(self) -> PhraseRule:
        extra = self.model_extra or {}
        if not extra:
            raise ValueError(f"rule {self.key!r} has no expressions")
        for language, patterns in extra.items():
            if not _LANGUAGE.match(language):
                raise ValueError(f"rule {self.key!r}: {language!r} is not a language code (or 'any')")
            if not isinstance(patterns, list) or not all(isinstance(p, str) and p for p in patterns):
                raise ValueError(f"rule {self.key!r}: {language} must be a list of expressions")
            for pattern in patterns:
                re.compile(pattern)
        return self

    def pattern(self) -> re.Pattern[str]:
        """Every language's expressions as one."""
        return re.compile("|".join(f"(?:{p})" for patterns in (self.model_extra or {}).values()
                                   for p in patterns))


class PhraseTables(BaseModel):
    """``ropa/taxonomy/phrases.yml``: each section is described by its comment in the file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    legal_basis: tuple[PhraseRule, ...]
    art9_condition: tuple[PhraseRule, ...]
    safeguard: tuple[PhraseRule, ...]
    dpia: tuple[PhraseRule, ...]
    role: tuple[PhraseRule, ...]
    status: tuple[PhraseRule, ...]
    cnil_sections: tuple[PhraseRule, ...]
    negation: tuple[PhraseRule, ...]
    criminal: tuple[PhraseRule, ...]
    special_data: tuple[PhraseRule, ...]
    special_ground: tuple[PhraseRule, ...]
    retention_criterion: tuple[PhraseRule, ...]
    security_reference: tuple[PhraseRule, ...]
    #: ISO country code -> legal forms (folded)
    legal_form_country: dict[str, list[str]]
    #: by language
    none: dict[str, list[str]]
    conjunctions: dict[str, list[str]]
    lead_ins: dict[str, list[str]]
    articles: dict[str, list[str]]
    #: kind -> key -> language -> phrases
    synonyms: dict[str, dict[str, dict[str, list[str]]]]
    use_to_recipient_category: dict[str, str]

    @model_validator(mode="after")
    def _languages(self) -> PhraseTables:
        named = [*self.none, *self.conjunctions, *self.lead_ins, *self.articles,
                 *(lang for keys in self.synonyms.values() for by in keys.values() for lang in by)]
        bad = sorted({lang for lang in named if not _LANGUAGE.match(lang)})
        if bad:
            raise ValueError(f"not language codes (or 'any'): {bad}")
        return self


@functools.cache
def phrase_tables() -> PhraseTables:
    """The phrase tables of ``ropa/taxonomy/phrases.yml``, read and checked once.

    Raises:
        pydantic.ValidationError: the data file is malformed (a packaging error, not input).
    """
    return PhraseTables.model_validate(package_yaml("phrases.yml"))


@functools.cache
def _compiled(table: str) -> tuple[tuple[re.Pattern[str], str], ...]:
    rules: Any = getattr(phrase_tables(), table)
    return tuple((rule.pattern(), rule.key) for rule in rules)


@functools.cache
def none_words() -> frozenset[str]:
    """Every language's words meaning "nothing here", folded."""
    return frozenset(fold(w) for words in phrase_tables().none.values() for w in words)


def match_phrases(table: str, text: str) -> str | None:
    """The key of the first rule of ``table`` (``legal_basis``, ``art9_condition``,
    ``safeguard``, ``dpia``, ``role``, ``status``, ``cnil_sections``, ``negation``, ``criminal``,
    ``special_data``, ``special_ground``, ``retention_criterion``, ``security_reference``) that the text matches."""
    folded = fold(text)
    for pattern, key in _compiled(table):
        if pattern.search(folded):
            return key
    return None


def is_none(text: str) -> bool:
    """Does the cell part mean "nothing here" ("None", "N/A", "aucun", "-"), or say so in a
    sentence ("No están previstas transferencias", "Nein (EU Frankfurt)")?

    Example:
        >>> is_none("No están previstas transferencias"), is_none("Keine"), is_none("Nóminas")
        (True, True, False)
    """
    return fold(text).strip(" .") in none_words() or match_phrases("negation", text) is not None


def legal_form_country(name: str) -> str | None:
    """The country a company name's legal form names ("Vercel Inc." -> "US"), if any.

    Example:
        >>> legal_form_country("Vercel Inc."), legal_form_country("Acme GmbH")
        ('US', None)
    """
    words = fold(name).replace(",", " ").split()
    last = words[-1] if words else ""
    for code, forms in phrase_tables().legal_form_country.items():
        if last in forms:
            return code
    return None


def phrase_synonyms(kind: str) -> dict[str, list[str]]:
    """The phrases of ``kind`` by key, every language's together."""
    return {key: [p for words in by.values() for p in words]
            for key, by in phrase_tables().synonyms.get(kind, {}).items()}
