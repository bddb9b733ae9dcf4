"""Recipients as entities: the ways a policy names a recipient (a register id, a vendor key,
a taxonomy category, a name with or without its legal form) resolved to one entity key.

Example:
    >>> from ropa.diff.entities import EntityResolver
    >>> r = EntityResolver()
    >>> r.resolve("Github") == r.resolve("GitHub, Inc.")
    True
"""

from __future__ import annotations

import re
from typing import Any

from ..core.names import normalise_name, vendor_records
from ..core.taxonomy import default_taxonomy

__all__ = ["FIRST_PARTY", "EntityResolver", "written_as"]


FIRST_PARTY = "we"

class EntityResolver:
    """Resolves the ways a policy names a recipient to one entity key.

    In order: a register recipient id; ``vendor:<key>`` or a name of the built-in vendor
    list (mapped to the register's recipient when the register holds that vendor); a
    taxonomy recipient key (``we``, categories); a name or alias of a register recipient or
    vendor, compared with :func:`ropa.core.names.normalise_name`; a taxonomy synonym. Anything else
    stands for itself, compared by its normalised name.

    Example:
        >>> r = EntityResolver()
        >>> r.resolve("Google Adwords") == r.resolve("vendor:google-ads") == r.resolve("Google Ads")
        True
        >>> r.resolve("Github") == r.resolve("GitHub")
        True
    """

    def __init__(self, register: Any = None, taxonomy: Any = None):
        self.register = register
        self.taxonomy = taxonomy or (register.taxonomy if register is not None else default_taxonomy())
        self._names: dict[str, str] = {}
        self._labels: dict[str, str] = {}
        self._countries: dict[str, str] = {}
        self._parent: dict[str, str] = {}
        self._ids: set[str] = set()
        # Answers already given: per resolver (a cache on the methods would keep every
        # resolver, its register and its taxonomy alive for the life of the process).
        self._resolved: dict[str, str] = {}
        self._ancestors: dict[str, frozenset[str]] = {}
        if register is not None and len(register.recipients):
            rec = register.recipients
            for rid, name, aliases, country, category in zip(
                rec["recipient_id"], rec["name"], rec["aliases"], rec["country"], rec["category"],
                strict=True,
            ):
                if not isinstance(rid, str) or not rid:
                    continue
                self._ids.add(rid)
                self._labels[rid] = name or rid
                if isinstance(country, str) and country:
                    self._countries[rid] = country.upper()
                if isinstance(category, str) and category:
                    self._parent[rid] = category
                for phrase in (rid, name, *(aliases or [])):
                    if isinstance(phrase, str) and normalise_name(phrase):
                        self._names.setdefault(normalise_name(phrase), rid)
        self._vendor_map: dict[str, str] = {}
        vendor_names: dict[str, str] = {}
        for vendor in vendor_records():
            key = str(vendor["key"])
            phrases = [key, vendor.get("name") or key, *(vendor.get("aliases") or [])]
            in_register = next((self._names[normalise_name(p)] for p in phrases
                                if isinstance(p, str) and normalise_name(p) in self._names), None)
            canon = in_register or f"vendor:{key}"
            self._vendor_map[key] = canon
            if in_register is None:
                self._labels[canon] = str(vendor.get("name") or key)
                if vendor.get("country"):
                    self._countries[canon] = str(vendor["country"]).upper()
                if vendor.get("category"):
                    self._parent[canon] = str(vendor["category"])
            for p in phrases:
                if isinstance(p, str) and normalise_name(p):
                    vendor_names.setdefault(normalise_name(p), canon)
        for name, canon in vendor_names.items():
            self._names.setdefault(name, canon)

    def resolve(self, key: str) -> str:
        """The entity key that ``key`` (a recipient id, vendor key, category or name) means."""
        if key not in self._resolved:
            self._resolved[key] = self._resolve(key)
        return self._resolved[key]

    def _resolve(self, key: str) -> str:
        key = str(key).strip()
        if not key:
            return key
        if key in self._ids:
            return key
        if key.startswith("vendor:") and key[7:] in self._vendor_map:
            return self._vendor_map[key[7:]]
        if key == FIRST_PARTY or self.taxonomy.known("recipient", [key])[0]:
            return key
        norm = normalise_name(key[7:] if key.startswith("vendor:") else key)
        if norm in self._names:
            return self._names[norm]
        for phrase in (key, key.replace("-", " ").replace("_", " ")):
            found = self.taxonomy.lookup("recipient", phrase)
            if found:
                return found
        return f"~{norm}" if norm else key

    def label(self, key: str) -> str:
        """A readable name for a resolved entity key."""
        if key in self._labels:
            return self._labels[key]
        if key.startswith("~"):
            return key[1:]
        return self.taxonomy.label("recipient", key)

    def country(self, key: str) -> str | None:
        """The country the register or the vendor list gives for an entity, if any."""
        return self._countries.get(key)

    def ancestors(self, key: str) -> frozenset[str]:
        """The recipient categories an entity lies under (through any parent)."""
        if key in self._ancestors:
            return self._ancestors[key]
        tax = self.taxonomy
        start = [key] if tax.known("recipient", [key])[0] else ([self._parent[key]] if key in self._parent else [])
        found: set[str] = set()
        for k in start:
            if k != key:
                found.add(k)
            found.update(tax.ancestors("recipient", k))
        self._ancestors[key] = frozenset(found)
        return self._ancestors[key]

    def is_entity(self, key: str) -> bool:
        """True for a named recipient (a register recipient, a vendor, a name), not a category."""
        return key in self._ids or key.startswith(("vendor:", "~"))

    def first_party(self, key: str) -> bool:
        """True for ``we`` and anything under it (internal departments)."""
        return key == FIRST_PARTY or FIRST_PARTY in self.ancestors(key)


def written_as(label: str, text: str) -> str:
    """A name the vendor list or a derived key gives in lower case ("amplitude", "reddit"),
    as the policy's text writes it ("Amplitude", "Reddit"); any other label as it is.

    Example:
        >>> written_as("amplitude", "We use Amplitude and PostHog.")
        'Amplitude'
        >>> written_as("posthog", "We use Amplitude and PostHog.")
        'PostHog'
        >>> written_as("Stripe", "stripe.com")
        'Stripe'
    """
    words = label.split()
    if not words or label != label.lower() or not text:
        return label
    pattern = r"[\s-]+".join(re.escape(w) for w in words)
    m = re.search(rf"(?<![\w.-]){pattern}(?![\w-])", text, re.I)
    return m.group(0) if m and m.group(0) != m.group(0).lower() else label
