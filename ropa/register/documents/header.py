"""The register's header: who keeps it (controller, DPO, representative, with contact details)
and the document's date and version, from the labelled lines outside the activities.

A party's line is split into its name and contact details: an e-mail address, a phone number
and a web address are recognised by their form, the first remaining part is the name (a legal
form after a comma stays with it: "PRODAT CANTABRIA, S.L."), the rest is the address. A contact
line after a party's line ("CIF: ...", "Teléfono: ...") belongs to that party.

Example:
    >>> from ropa.register.documents.header import split_party
    >>> split_party("Christof Boermel, Lehmbrookweg 2, 22159 Hamburg")
    {'name': 'Christof Boermel', 'address': 'Lehmbrookweg 2, 22159 Hamburg'}
    >>> split_party("ACME, S.L. - Calle Mayor 1 - 39011 Santander - 942 765 633 - dpd@acme.example")
    {'name': 'ACME, S.L.', 'address': 'Calle Mayor 1, 39011 Santander', 'phone': '942 765 633', 'email': 'dpd@acme.example'}
"""

from __future__ import annotations

import re
from typing import Any

from ...core.words import fold, word_table
from .labels import CONTACT_KEYS, DOCUMENT_KEYS, PARTY_KEYS
from .model import Entry, Location

__all__ = ["build_organisation", "split_party"]

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"^(?:tel[.:]?\s*|tfno[.:]?\s*|phone[.:]?\s*)?\+?[\d\s().\-/]{6,}$", re.I)
_WEB = re.compile(r"^(?:https?://|www\.)\S+$", re.I)


def _legal_form(part: str) -> bool:
    forms = {fold(f) for f in word_table("legal_forms")}
    return fold(part).rstrip(".") in {f.rstrip(".") for f in forms}


def split_party(text: str) -> dict[str, str]:
    """A party's name and contact details from one line of text (see the module's doc)."""
    text = " ".join(text.split())
    out: dict[str, str] = {}
    parts = [p.strip() for p in re.split(r"\s+[-–—|]\s+|;\s*|,\s+|\n", text) if p.strip()]
    merged: list[str] = []
    for p in parts:
        if merged and _legal_form(p):
            merged[-1] = f"{merged[-1]}, {p}"
        else:
            merged.append(p)
    rest: list[str] = []
    for p in merged:
        email = _EMAIL.search(p)
        if email and "email" not in out and len(p) - len(email.group(0)) < 12:
            out["email"] = email.group(0)
        elif _WEB.match(p) and "website" not in out:
            out["website"] = p
        elif _PHONE.match(p) and sum(c.isdigit() for c in p) >= 6 and "phone" not in out:
            out["phone"] = re.sub(r"^(?:tel[.:]?|tfno[.:]?|phone[.:]?)\s*", "", p, flags=re.I)
        else:
            rest.append(p)
    if rest:
        out = {"name": rest[0], **({"address": ", ".join(rest[1:])} if rest[1:] else {}), **out}
    return out


def build_organisation(entries: list[Entry]) -> tuple[dict[str, Any], dict[str, Location],
                                                     dict[str, str | None]]:
    """The header as organisation.yaml's shape, where each value came from, and the labels read.

    ``entries`` are the labelled lines outside the activities whose labels map to a party, a
    contact detail or the document's date or version, in document order. The first statement of
    each value wins.
    """
    org: dict[str, Any] = {}
    sources: dict[str, Location] = {}
    labels: dict[str, str | None] = {}
    party = "controller"
    for e in entries:
        key = "date" if e.key == "last_reviewed" else e.key
        labels[e.label] = e.key
        text = e.text.strip()
        if not key or not text:
            if key in PARTY_KEYS:
                party = key
            continue
        if key in PARTY_KEYS:
            party = key
            target = org.setdefault(key, {})
            if target.get("name"):
                continue
            for k, v in split_party(text).items():
                if k not in target:
                    target[k] = v
                    sources[f"{key}.{k}"] = e.where
        elif key in CONTACT_KEYS or key == "name":
            target = org.setdefault(party, {})
            if key not in target:
                target[key] = text
                sources[f"{party}.{key}"] = e.where
        elif key in DOCUMENT_KEYS and key not in org:
            org[key] = text
            sources[key] = e.where
    if org.get("controller", {}).get("name") and "name" not in org:
        org = {"name": org["controller"]["name"], **org}
        sources["name"] = sources["controller.name"]
    return org, sources, labels
