"""Names of organisations: legal forms, comparing two spellings of one name, ids from names,
and the built-in list of vendors. One implementation for extraction, diffs, imports and checks,
so that they agree on whether "GitHub, Inc." and "Github" are one company.

Example:
    >>> from ropa.core.names import normalise_name, strip_legal_form, slug
    >>> normalise_name("GitHub, Inc.") == normalise_name("Github")
    True
    >>> strip_legal_form("DAS Incasso B.V."), slug("Société Générale S.A.")
    ('DAS Incasso', 'societe-generale-s-a')
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Any

from .words import fold, word_table
from .yamlio import package_yaml

__all__ = ["legal_form_pattern", "normalise_name", "slug", "strip_legal_form", "vendor_records"]


@functools.cache
def legal_form_pattern() -> str:
    """A regular expression (source text) matching any legal form of words.yml, dots optional
    and case ignored: ``B.V.``, ``BV``, ``GmbH``, ``Inc.``, ``S.r.l.``. Use it inside a larger
    pattern (it is a group of its own, ``(?i:...)``)."""
    forms = sorted({f.strip() for f in word_table("legal_forms")}, key=len, reverse=True)
    alternatives = []
    for form in forms:
        parts = [re.escape(p) for p in form.replace(".", ". ").split()]
        body = r"\.?\s*".join(p.rstrip(r"\.") for p in parts) + (r"\.?" if form.endswith(".") else "")
        alternatives.append(body)
    return "(?i:" + "|".join(alternatives) + ")"


@functools.cache
def _suffix() -> re.Pattern[str]:
    return re.compile(r"(?:[\s,]+" + legal_form_pattern() + r"(?![\w]))+\s*$")


def strip_legal_form(name: str) -> str:
    """The name without its legal form(s) at the end (kept when nothing else would remain).

    Example:
        >>> strip_legal_form("LinkedIn Ireland Unlimited Company"), strip_legal_form("AG")
        ('LinkedIn Ireland', 'AG')
    """
    text = str(name).strip()
    stripped = _suffix().sub("", text).strip()
    return stripped or text


def normalise_name(name: str) -> str:
    """A name reduced for comparison: case, accents, punctuation, ®/™ and legal forms dropped.

    Example:
        >>> normalise_name("DAS Incasso B.V.") == normalise_name("DAS Incasso")
        True
        >>> normalise_name("Github"), normalise_name("GitHub, Inc."), normalise_name("das-incasso")
        ('github', 'github', 'dasincasso')
    """
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode()
    text = re.sub(r"[®™©]", "", text).strip()
    text = re.sub(r"\s+", " ", text)
    text = strip_legal_form(text).casefold()
    return re.sub(r"[^a-z0-9]+", "", text)


def slug(text: str, sep: str = "-") -> str:
    """An id made from a name: folded, runs of other characters as ``sep``, at most 60 long.

    Example:
        >>> slug("Payroll & HR (NL)"), slug("Payroll & HR (NL)", "_")
        ('payroll-hr-nl', 'payroll_hr_nl')
    """
    return re.sub(r"[^a-z0-9]+", sep, fold(text)).strip(sep)[:60] or "item"


@functools.cache
def vendor_records() -> tuple[dict[str, Any], ...]:
    """The built-in vendors (``ropa/taxonomy/vendors.yml``): key, name, aliases, category,
    country, tracker."""
    data = package_yaml("vendors.yml") or {}
    return tuple(dict(v) for v in data.get("vendors") or [] if isinstance(v, dict) and v.get("key"))
