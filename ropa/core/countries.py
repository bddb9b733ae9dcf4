"""Countries named in words: one look-up for register cells, workbooks and policy text.

ISO 3166 names come from pycountry; the short forms and translations people use
("USA", "the Netherlands", "Royaume-Uni") are data in ``ropa/taxonomy/countries.yml``.

Example:
    >>> from ropa.core.countries import country_code
    >>> [country_code(t) for t in ("USA", "Germany", "de", "the Netherlands", "États-Unis", "Atlantis")]
    ['US', 'DE', 'DE', 'NL', 'US', None]
"""

from __future__ import annotations

import functools
import re

from .words import fold
from .yamlio import package_yaml

__all__ = ["country_code", "country_from_address", "country_names"]


@functools.cache
def _data() -> dict:
    return package_yaml("countries.yml")


@functools.cache
def _aliases() -> dict[str, str]:
    both = {**(_data().get("aliases") or {}), **(_data().get("aliases_other_languages") or {})}
    return {fold(k): str(v) for k, v in both.items()}


def country_code(text: str) -> str | None:
    """The ISO 3166 alpha-2 code that a country's name, code or usual short form means.

    Regions a policy may name (``EU``, ``EEA``) are not countries: None.
    """
    import pycountry

    raw = str(text or "").strip().strip("\"'\u201c\u201d").rstrip(".,:;").strip()
    folded = fold(raw)
    if not folded:
        return None
    if folded in _aliases():
        return _aliases()[folded]
    folded = re.sub(r"^the\s+", "", folded)
    if folded in _aliases():
        return _aliases()[folded]
    if len(raw) == 2 and raw.isalpha():
        found = pycountry.countries.get(alpha_2=raw.upper())
        return found.alpha_2 if found else None
    try:
        return pycountry.countries.lookup(raw).alpha_2
    except LookupError:
        return None


def country_from_address(address: str) -> str | None:
    """The country of a postal address written on one line: the last comma-separated part
    that names a country; None when no part does.

    Example:
        >>> country_from_address("Untermuli 9, CH-6399 Zug, Switzerland")
        'CH'
        >>> country_from_address("Netherlands (registered office)")
        'NL'
        >>> country_from_address("Rosenthaler Str. 40, 10178 Berlin") is None
        True
    """
    text = re.sub(r"\([^()]*\)", " ", str(address or ""))  # "Netherlands (registered office)"
    for part in reversed([p.strip() for p in text.split(",") if p.strip()]):
        code = country_code(part)
        if code:
            return code
    return None


@functools.cache
def country_names() -> dict[str, str]:
    """Every name of a country as written in running text (ISO names, common and official
    names, the usual short forms, the EU and EEA as regions) → its code; names that are also
    common words are left out.

    Example:
        >>> names = country_names()
        >>> names["United States of America"], names["the EU"], "Jersey" in names
        ('US', 'EU', False)
    """
    import pycountry

    names: dict[str, str] = {}
    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(c, attr, None)
            if value and "," not in value:
                names[value] = c.alpha_2
    for alias, code in (_data().get("aliases") or {}).items():
        names[_written(alias)] = str(code)
    names.update({"European Union": "EU", "the EU": "EU", "European Economic Area": "EEA", "the EEA": "EEA"})
    for word in _data().get("ambiguous_in_text") or []:
        names.pop(word, None)
    return names


def _written(alias: str) -> str:
    """An alias of the data file as it is written in text: "the us" → "the US", "holland" →
    "Holland", "u.s.a." → "U.S.A."."""
    words = alias.split(" ")
    out = []
    for i, w in enumerate(words):
        if i == 0 and w == "the":
            out.append(w)
        elif len(w.replace(".", "")) <= 3:
            out.append(w.upper())
        else:
            out.append("-".join(p.capitalize() for p in w.split("-")))
    return " ".join(out)
