"""The built-in vendors (``ropa/taxonomy/vendors.yml``, read by :func:`ropa.core.names.vendor_records`)
as entities of extraction: the phrases that name them, the entity key each stands for (the
register's recipient when the register holds the vendor, else ``vendor:<key>``) and the
taxonomy with the vendors the register lacks added under their categories.

Caches keyed on a :class:`~ropa.core.taxonomy.Taxonomy` (``functools.lru_cache(maxsize=16)``
on :func:`vendor_resolution` and :func:`entity_taxonomy`) keep up to 16 taxonomies alive: bounded,
and what makes extracting many texts against one register cheap.
"""

from __future__ import annotations

import functools

import pandas as pd

from ..core.names import vendor_records
from ..core.taxonomy import Taxonomy, default_taxonomy, normalise_phrase

__all__ = ["entity_taxonomy", "vendor_resolution", "vendor_trackers", "vendors"]


def vendors() -> pd.DataFrame:
    """The built-in list of common processors and trackers (``ropa/taxonomy/vendors.yml``).

    Columns: key, name, aliases, category, country, tracker; ``recipient`` is the entity key
    a statement uses for the vendor when the register does not hold it (``vendor:<key>``).

    Example:
        >>> from ropa.policy.vendors import vendors
        >>> row = vendors().set_index("key").loc["hotjar"]
        >>> row["recipient"], row["country"], bool(row["tracker"])
        ('vendor:hotjar', 'MT', True)
    """
    frame = pd.DataFrame(list(vendor_records()), columns=["key", "name", "aliases", "category", "country", "tracker"])
    frame["aliases"] = frame["aliases"].map(lambda a: list(a or []))
    frame["tracker"] = frame["tracker"].astype(bool)
    frame["recipient"] = "vendor:" + frame["key"]
    return frame


def _register_ids(tax: Taxonomy) -> dict[str, str]:
    """Normalised name/alias -> recipient id, for the register's own recipients."""
    terms = tax.terms
    reg = terms[(terms["kind"] == "recipient") & (terms["source"] == "register")]
    out: dict[str, str] = {}
    for key, name, syns in zip(reg["key"], reg["name"], reg["synonyms"], strict=True):
        for phrase in [key, name, *list(syns or [])]:
            if isinstance(phrase, str) and phrase:
                out.setdefault(normalise_phrase(phrase), key)
    return out


@functools.lru_cache(maxsize=16)
def vendor_resolution(tax: Taxonomy) -> tuple[dict[str, str], pd.DataFrame]:
    """Phrase -> entity key for every vendor phrase, and the vendors the register lacks."""
    reg = _register_ids(tax)
    known_recipients = set(tax.keys("recipient"))
    phrases: dict[str, str] = {}
    missing = []
    for v in vendor_records():
        names = [v["name"], *list(v.get("aliases") or [])]
        reg_id = next((reg[normalise_phrase(n)] for n in names if normalise_phrase(n) in reg), None)
        key = reg_id or f"vendor:{v['key']}"
        for n in names:
            phrases.setdefault(normalise_phrase(n), key)
        if reg_id is None and key not in known_recipients:
            missing.append({"recipient_id": key, "name": v["name"], "aliases": list(v.get("aliases") or []),
                            "category": v["category"]})
    return phrases, pd.DataFrame(missing, columns=["recipient_id", "name", "aliases", "category"])


@functools.lru_cache(maxsize=16)
def entity_taxonomy(tax: Taxonomy | None = None) -> Taxonomy:
    """The taxonomy with the built-in vendors the register lacks added as ``vendor:<key>``
    entities under their categories, so that subsumption works for them too.

    Example:
        >>> from ropa.policy.vendors import entity_taxonomy
        >>> bool(entity_taxonomy().is_under("recipient", "vendor:hotjar", "third_party.tracker"))
        True
    """
    tax = tax or default_taxonomy()
    _, missing = vendor_resolution(tax)
    return tax.with_entities(missing) if len(missing) else tax


def vendor_trackers(tax: Taxonomy) -> set[str]:
    phrases, _ = vendor_resolution(tax)
    tracker_keys = {f"vendor:{v['key']}" for v in vendor_records() if v.get("tracker")}
    out = set()
    for v in vendor_records():
        if v.get("tracker"):
            key = phrases.get(normalise_phrase(v["name"]))
            if key:
                out.add(key)
    return out | tracker_keys
