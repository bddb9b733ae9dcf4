"""The terms extraction looks for: phrase matchers for a taxonomy's data categories,
purposes, data subjects, rights and recipients (the register's, the categories' synonyms
and the built-in vendors), and for country names.

A :class:`Lexicon` is built once per taxonomy (:func:`lexicon_for`, ``functools.lru_cache(maxsize=16)``;
the country matcher once, for any taxonomy): the cache keeps up to 16 taxonomies alive.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..core.countries import country_names
from ..core.names import legal_form_pattern, slug, strip_legal_form, vendor_records
from ..core.taxonomy import Taxonomy, normalise_phrase
from .notparties import OTHER_USERS, role_mentions
from .vendors import entity_taxonomy, vendor_resolution, vendor_trackers

__all__ = ["Lexicon", "Mention", "lexicon_for"]


#: Phrases of the taxonomy that are too common in policy prose to mean the term.
_IGNORED = {
    "data_category": {"website", "content", "function", "position", "country", "service", "language",
                      "telephone", "behaviour", "behavior", "email", "e-mail"},
    "data_use": {"collect", "service", "functional", "essential", "support", "security", "login"},
    "data_subject": set(),
    "right": {"access", "correct", "remove", "delete", "modify", "withdraw", "object", "complain"},
    "recipient": {"we", "us", "our", "ours", "partners"},
}


#: A company's name followed by a word for its corporate group ("Meta Companies", "the Acme
#: group companies", "Initech affiliates", "Globex family of companies"): the group's
#: companies, never the tracker or product the bare name may stand for.
_GROUP_AFTER = re.compile(r"\s+(?:group\s+)?(?:compan(?:y|ies)|affiliates|subsidiaries|family\s+of\s+companies)\b", re.I)
GROUP = "third_party.group_company"


@dataclass
class Mention:
    kind: str
    key: str
    start: int
    end: int
    phrase: str


def _phrase_regex(phrases: Iterable[str]) -> re.Pattern[str] | None:
    alts = sorted({p for p in phrases if p}, key=lambda p: (-len(p), p))
    if not alts:
        return None
    body = "|".join(re.escape(p).replace(r"\ ", r"\s+").replace("'", "['’]") for p in alts)
    return re.compile(rf"(?<![\w]){'(?:' + body + ')'}(?![\w])", re.I)


class Lexicon:
    """Phrase matchers for one taxonomy (and register), built once and cached."""

    def __init__(self, tax: Taxonomy):
        self.tax = tax
        self.etax = entity_taxonomy(tax)
        self.maps: dict[str, dict[str, str]] = {}
        self.regex: dict[str, re.Pattern[str] | None] = {}
        for kind in ("data_category", "data_use", "data_subject", "right"):
            syn = {p: k for p, k in tax.synonyms(kind).items() if p not in _IGNORED[kind] and len(p) > 1}
            self.maps[kind] = syn
            self.regex[kind] = _phrase_regex(syn)
        # Entities: the register's recipients and the recipient categories, then vendors.
        # `we` itself is the actor, not an entity; `we.internal` ("internally") is kept.
        ent = {p: k for p, k in tax.synonyms("recipient").items() if p not in _IGNORED["recipient"] and k != "we"}
        vendor_phrases, _ = vendor_resolution(tax)
        for p, k in vendor_phrases.items():
            ent.setdefault(p, k)
        self.maps["recipient"] = ent
        # Short names ("DAS", "AWS") match only as written; longer ones in any case.
        self.regex["recipient"] = _phrase_regex(p for p in ent if len(p) > 4)
        exact = sorted(self._original_short_phrases(tax), key=len, reverse=True)
        self.regex["recipient_exact"] = (
            re.compile(r"(?<![\w])(?:" + "|".join(re.escape(p) for p in exact) + r")(?![\w])") if exact else None)
        terms = tax.terms
        rec = terms[(terms["kind"] == "recipient") & (terms["source"] != "register")]
        self.categories = frozenset(rec["key"])
        self.named = [(p, k) for p, k in ent.items() if k not in self.categories and len(p) > 3]
        self._named_rx: list[tuple[str, str, re.Pattern[str]]] | None = None
        self.trackers = vendor_trackers(tax) | set(self.etax.descendants("recipient", "third_party.tracker")) | {
            "third_party.tracker"}
        self.countries = _country_matcher()
        # trackers whose name is also the company's or its service's ("Meta", "X"): a tracker
        # only where the sentence speaks of tracking, not as an example of a service
        self.named_services = frozenset(f"vendor:{v['key']}" for v in vendor_records() if v.get("tracker") and v.get("ambiguous"))
        # ... and one written with its legal form ("Meta Platforms Ireland Limited") is the company
        self._legal_after = re.compile(r"(?:\s+[A-Z][A-Za-z]+){0,2}?,?\s+" + legal_form_pattern() + r"(?![\w])")

    def named_patterns(self) -> list[tuple[str, str, re.Pattern[str]]]:
        """Each named entity's phrase as a whole-word pattern, compiled once (there are more
        than the ``re`` module's cache holds)."""
        if self._named_rx is None:
            self._named_rx = [(p, k, re.compile(rf"(?<!\w){re.escape(p)}(?!\w)")) for p, k in self.named]
        return self._named_rx

    @staticmethod
    def _original_short_phrases(tax: Taxonomy) -> set[str]:
        out = set()
        terms = tax.terms
        rec = terms[terms["kind"] == "recipient"]
        for name, syns in zip(rec["name"], rec["synonyms"], strict=True):
            for p in [name, *list(syns or [])]:
                if isinstance(p, str) and 1 < len(p) <= 4 and p.lower() not in _IGNORED["recipient"]:
                    out.add(p)
        for v in vendor_records():
            for p in [v["name"], *list(v.get("aliases") or [])]:
                if 1 < len(p) <= 4:
                    out.add(p)
        return out

    def find(self, kind: str, text: str, mask: str | None = None) -> list[Mention]:
        """Non-overlapping mentions of one kind, leftmost-longest."""
        out: list[Mention] = []
        pattern = self.regex.get(kind)
        src = mask if mask is not None else text
        if pattern is not None:
            for m in pattern.finditer(src):
                phrase = normalise_phrase(m.group(0))
                key = self.maps[kind].get(phrase)
                if kind == "recipient" and key in self.categories:
                    # "the relevant authorities" holds the register's "relevant authorities".
                    key = next((k for p, k, rx in self.named_patterns() if p != phrase and rx.search(phrase)), key)
                if key:
                    out.append(Mention(kind, key, m.start(), m.end(), text[m.start(): m.end()]))
        if kind == "recipient" and self.regex.get("recipient_exact") is not None:
            taken = [(o.start, o.end) for o in out]
            for m in self.regex["recipient_exact"].finditer(src):
                if any(s < m.end() and m.start() < e for s, e in taken):
                    continue
                key = self.maps[kind].get(normalise_phrase(m.group(0)))
                if key:
                    out.append(Mention(kind, key, m.start(), m.end(), m.group(0)))
            out.sort(key=lambda o: o.start)
        if kind == "recipient" and OTHER_USERS in self.categories:
            # a role of the service's users ("with the Driver", "other riders"): other users
            taken = [(o.start, o.end) for o in out]
            out += [Mention(kind, OTHER_USERS, a, b, text[a:b]) for a, b in role_mentions(src)
                    if not any(s < b and a < e for s, e in taken)]
            out.sort(key=lambda o: o.start)
        if kind == "recipient":
            for o in out:
                group = _GROUP_AFTER.match(src, o.end)
                if group and o.key not in self.categories:
                    o.key, o.end, o.phrase = GROUP, group.end(), text[o.start: group.end()]
                elif o.key in self.named_services and (legal := self._legal_after.match(src, o.end)):
                    o.end, o.phrase = legal.end(), text[o.start: legal.end()]
                    o.key = "vendor:" + slug(strip_legal_form(o.phrase))
        return out


@functools.lru_cache(maxsize=16)
def lexicon_for(tax: Taxonomy) -> Lexicon:
    return Lexicon(tax)


@functools.cache
def _country_matcher() -> tuple[re.Pattern[str], dict[str, str]]:
    """Country names as written in running text (:func:`ropa.core.countries.country_names`),
    matched as written (case kept: "US" the country, not "us"), longest first."""
    names = country_names()
    alts = sorted(names, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w])(?:" + "|".join(re.escape(a) for a in alts) + r")(?![\w])")
    return pattern, names
