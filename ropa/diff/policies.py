"""What changed: policy versions and register versions, compared by substance.

A policy diff compares statements, not text. Each statement is reduced to its substance
(who acts, the action's family, the data, subjects, purposes, recipients, countries,
legal bases, retention, consent, exceptions and rights), with recipients resolved to one
entity however they are written: a register recipient (through its id, name and
aliases), a vendor of ``ropa/taxonomy/vendors.yml``, a taxonomy term, or else the name
itself with case, punctuation, trademark signs and legal forms (B.V., Inc., Ltd) left
out. Old and new statements are then paired by substance, never by id or section
number, and what differs is classified:

- **material**: a new recipient, data category, purpose or third-country transfer, a
  changed controller, a right removed, a retention lengthened or no longer stated, a
  consent requirement dropped, a negative promise withdrawn or weakened;
- **material, favourable**: the reverse moves and added transparency (a right, a retention
  or a consent requirement added, a recipient or purpose no longer named): changes of
  substance in the people's favour, which readers must still be told of (``direction``
  says which way a material change goes: ``adverse`` or ``favourable``);
- **informational**: what adds nothing of substance (a term restated elsewhere, named
  more specifically, a date moved);
- **wording**: the same statements written differently, moved to another section, or
  split and merged without any fact of the policy changing.

Whether a change is of substance is decided on facts (one per entity, data category and
purpose of a statement): a statement that lost a data category which another statement
of the new version still states with the same recipient and purpose lost nothing.

The register diff compares activities and recipients by id, field by field (list
fields as sets), and organisation.yaml key by key; :func:`apply_register_diff` applies it.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from ..core.findings import findings_frame, make_findings

__all__ = [
    "ASPECTS",
    "CHANGE_COLUMNS",
    "LEVELS",
    "REGISTER_CHANGE_COLUMNS",
    "SECTION_CHANGE_COLUMNS",
    "EntityResolver",
    "apply_register_diff",
    "diff_policies",
    "diff_policy_sections",
    "diff_registers",
    "normalise_name",
    "policy_diff_findings",
    "run_diff_command",
    "word_diff",
]

#: The columns of :func:`diff_policies`' result, in order (a stable contract: JSON output).
CHANGE_COLUMNS: tuple[str, ...] = (
    "kind", "aspect", "level", "material", "direction", "reason",
    "old_statement", "new_statement", "old_section", "new_section",
    "old_quote", "new_quote", "old_value", "new_value", "added", "removed", "activities",
)

#: What a change is about. ``wording`` is a change of text only.
ASPECTS: tuple[str, ...] = (
    "controller", "scope", "date", "recipient", "transfer", "data_category", "purpose",
    "data_subject", "legal_basis", "retention", "right", "consent", "exception", "action",
    "wording",
)

#: How much a change matters, most first.
LEVELS: tuple[str, ...] = ("material", "informational", "wording")

#: The columns of :func:`diff_policy_sections`' result.
SECTION_CHANGE_COLUMNS: tuple[str, ...] = (
    "status", "old_number", "new_number", "old_title", "new_title", "old_text", "new_text", "diff",
)

#: The columns of :func:`diff_registers`' result.
REGISTER_CHANGE_COLUMNS: tuple[str, ...] = (
    "table", "kind", "key", "name", "field", "old", "new", "added", "removed",
)

_FIRST_PARTY = "we"
_FLOW_FAMILY = {"collect": "first_party", "use": "first_party", "share": "disclose",
                "transfer": "disclose", "track": "track", "retain": "retain", "inform": "inform",
                "not_collect": "first_party", "not_share": "disclose"}
_NEGATIVE = frozenset({"not_collect", "not_share"})

# -- names and entities -------------------------------------------------------------------

_LEGAL_FORMS = (
    "b.v.", "bv", "n.v.", "nv", "inc.", "inc", "llc", "l.l.c.", "ltd.", "ltd", "limited",
    "unlimited company", "gmbh", "ag", "s.a.", "sa", "sas", "s.a.s.", "sarl", "s.a.r.l.",
    "plc", "corp.", "corp", "corporation", "co.", "company", "oy", "ab", "a/s", "aps",
    "srl", "s.r.l.", "spa", "s.p.a.", "kg", "pty", "pty ltd", "ug", "se", "bvba", "vof",
)
_LEGAL_FORM_RE = re.compile(
    r"(?:[\s,]+(?:" + "|".join(re.escape(f) for f in sorted(_LEGAL_FORMS, key=len, reverse=True))
    + r"))+\s*$")


def normalise_name(name: str) -> str:
    """A name reduced for comparison: case, accents, punctuation, ®/™ and legal forms dropped.

    Example:
        >>> normalise_name("DAS Incasso B.V.") == normalise_name("DAS Incasso")
        True
        >>> normalise_name("Github"), normalise_name("GitHub, Inc."), normalise_name("das-incasso")
        ('github', 'github', 'dasincasso')
    """
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode()
    text = re.sub(r"[®™©]", "", text).strip().casefold()
    text = re.sub(r"\s+", " ", text)
    stripped = _LEGAL_FORM_RE.sub("", text)
    text = stripped if stripped.strip() else text
    return re.sub(r"[^a-z0-9]+", "", text)


@functools.cache
def _vendors() -> tuple[dict[str, dict[str, Any]], ...]:
    try:
        text = resources.files("ropa.taxonomy").joinpath("vendors.yml").read_text(encoding="utf-8")
    except FileNotFoundError:
        return ()
    data = yaml.safe_load(text) or {}
    return tuple(dict(v) for v in data.get("vendors") or [] if isinstance(v, Mapping) and v.get("key"))


class EntityResolver:
    """Resolves the ways a policy names a recipient to one entity key.

    In order: a register recipient id; ``vendor:<key>`` or a name of the built-in vendor
    list (mapped to the register's recipient when the register holds that vendor); a
    taxonomy recipient key (``we``, categories); a name or alias of a register recipient or
    vendor, compared with :func:`normalise_name`; a taxonomy synonym. Anything else
    stands for itself, compared by its normalised name.

    Example:
        >>> r = EntityResolver()
        >>> r.resolve("Google Adwords") == r.resolve("vendor:google-ads") == r.resolve("Google Ads")
        True
        >>> r.resolve("Github") == r.resolve("GitHub")
        True
    """

    def __init__(self, register: Any = None, taxonomy: Any = None):
        from ..core.taxonomy import default_taxonomy

        self.register = register
        self.taxonomy = taxonomy or (register.taxonomy if register is not None else default_taxonomy())
        self._names: dict[str, str] = {}
        self._labels: dict[str, str] = {}
        self._countries: dict[str, str] = {}
        self._parent: dict[str, str] = {}
        self._ids: set[str] = set()
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
        for vendor in _vendors():
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

    @functools.cache  # noqa: B019 - a resolver lives as long as one diff
    def resolve(self, key: str) -> str:
        """The entity key that ``key`` (a recipient id, vendor key, category or name) means."""
        key = str(key).strip()
        if not key:
            return key
        if key in self._ids:
            return key
        if key.startswith("vendor:") and key[7:] in self._vendor_map:
            return self._vendor_map[key[7:]]
        if key == _FIRST_PARTY or self.taxonomy.known("recipient", [key])[0]:
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

    @functools.cache  # noqa: B019
    def ancestors(self, key: str) -> frozenset[str]:
        """The recipient categories an entity lies under (through any parent)."""
        tax = self.taxonomy
        start = [key] if tax.known("recipient", [key])[0] else ([self._parent[key]] if key in self._parent else [])
        found: set[str] = set()
        for k in start:
            if k != key:
                found.add(k)
            found.update(tax.ancestors("recipient", k))
        return frozenset(found)

    def is_entity(self, key: str) -> bool:
        """True for a named recipient (a register recipient, a vendor, a name), not a category."""
        return key in self._ids or key.startswith(("vendor:", "~"))

    def first_party(self, key: str) -> bool:
        """True for ``we`` and anything under it (internal departments)."""
        return key == _FIRST_PARTY or _FIRST_PARTY in self.ancestors(key)


# -- statements as substance --------------------------------------------------------------

_DURATION = re.compile(r"^P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?$")


def _retention_days(value: str) -> float | None:
    m = _DURATION.match(value.strip().upper()) if value else None
    if not m or not any(m.groups()):
        return None
    y, mo, w, d = (float(g) if g else 0.0 for g in m.groups())
    return y * 365.25 + mo * 30.44 + w * 7 + d


def _norm_text(text: Any) -> str:
    """Text for wording comparison: case, whitespace and punctuation dropped."""
    text = unicodedata.normalize("NFKC", str(text or "")).casefold()
    text = text.replace("\u2019", "'").replace("\u2013", "-").replace("\u2014", "-")
    return " ".join(re.findall(r"\w+", text))


def _norm_retention(value: Any) -> str:
    text = str(value or "").strip()
    if _retention_days(text) is not None:
        return text.upper()
    return _norm_text(text)


@dataclass(frozen=True)
class _Statement:
    pos: int
    sid: str
    section: str
    title: str
    quote: str
    wording: str
    action: str
    family: str
    positive: bool
    actor: str
    entities: frozenset[str]
    data: frozenset[str]
    subjects: frozenset[str]
    purposes: frozenset[str]
    countries: frozenset[str]
    legal_bases: frozenset[str]
    retention: str
    consent: bool
    exceptions: frozenset[str]
    rights: frozenset[str]
    names: frozenset[str] = frozenset()

    def substance(self) -> tuple:
        return (self.family, self.positive, self.entities, self.data, self.subjects, self.purposes,
                self.countries, self.legal_bases, self.retention, self.consent, self.exceptions,
                self.rights)

    def identity(self) -> str:
        """A content string that tells statements apart, for deterministic tie-breaks."""
        return "\x1f".join([self.sid, self.section, self.wording, self.action,
                            repr(sorted(map(repr, self.substance())))])

    def facts(self) -> frozenset[tuple]:
        """The atomic facts the statement asserts (one per entity, data category, purpose)."""
        out: set[tuple] = set()
        if self.family == "inform":
            out.update(("right", r) for r in self.rights)
            if not self.rights:
                out.add(("inform", self.entities, self.data, self.purposes, self.subjects))
        elif self.family != "retain":
            for e in self.entities:
                for d in self.data or {""}:
                    for p in self.purposes or {""}:
                        out.add(("flow", self.family, self.positive, e, d, p, self.consent,
                                 self.legal_bases, self.exceptions))
                out.update(("country", e, c) for c in self.countries)
            out.update(("subject", self.family, self.positive, s) for s in self.subjects)
        if self.retention or self.family == "retain":
            out.update(("retain", d, self.retention) for d in self.data or {""})
        return frozenset(out)


_ASPECT_FIELDS: tuple[tuple[str, str], ...] = (
    ("recipient", "entities"), ("transfer", "countries"), ("data_category", "data"),
    ("purpose", "purposes"), ("data_subject", "subjects"), ("legal_basis", "legal_bases"),
    ("retention", "retention"), ("right", "rights"), ("consent", "consent"),
    ("exception", "exceptions"),
)
_FIELD_OF = dict(_ASPECT_FIELDS)
_NATURAL_ASPECT = {"first_party": "data_category", "disclose": "recipient", "track": "recipient",
                   "retain": "retention", "inform": "right"}
_KIND_OF = {"data": "data_category", "purposes": "data_use", "subjects": "data_subject",
            "rights": "right"}


def _written(raw: Any, resolver: EntityResolver) -> str:
    """How a statement wrote a recipient, for the reader: keys become names, names stay."""
    raw = str(raw).strip()
    resolved = resolver.resolve(raw)
    return resolver.label(resolved) if raw == resolved or raw.startswith("vendor:") else raw


def _statements(policy: Any, resolver: EntityResolver) -> list[_Statement]:
    frame = policy.statements
    out = []
    for pos, rec in enumerate(frame.to_dict("records")):
        action = str(rec.get("action") or "")
        actor = resolver.resolve(rec.get("actor") or _FIRST_PARTY)
        recipients = {resolver.resolve(r) for r in rec.get("recipients") or [] if str(r).strip()}
        entities = {e for e in recipients | {actor} if e != _FIRST_PARTY}
        out.append(_Statement(
            pos=pos, sid=str(rec.get("statement_id") or ""), section=str(rec.get("section") or ""),
            title=str(rec.get("section_title") or ""), quote=str(rec.get("quote") or ""),
            wording=_norm_text(rec.get("quote")), action=action,
            family=_FLOW_FAMILY.get(action, action), positive=action not in _NEGATIVE, actor=actor,
            entities=frozenset(entities or {_FIRST_PARTY}),
            data=frozenset(rec.get("data_categories") or []),
            subjects=frozenset(rec.get("data_subjects") or []),
            purposes=frozenset(rec.get("purposes") or []),
            countries=frozenset(str(c).upper() for c in rec.get("countries") or []),
            legal_bases=frozenset(rec.get("legal_bases") or []),
            retention=_norm_retention(rec.get("retention")),
            consent=bool(rec.get("consent")),
            exceptions=frozenset(rec.get("exceptions") or []),
            rights=frozenset(rec.get("rights") or []),
            names=frozenset(_written(r, resolver) for r in [*(rec.get("recipients") or []), rec.get("actor") or ""]
                            if str(r).strip() and str(r).strip() != _FIRST_PARTY),
        ))
    return out


# -- the policy as a whole ----------------------------------------------------------------

class _Named:
    """What a policy version names anywhere, for telling new terms from restated ones."""

    def __init__(self, statements: Sequence[_Statement], resolver: EntityResolver):
        positive = [s for s in statements if s.positive and s.family != "inform"]
        self.entities = {e for s in positive for e in s.entities if not resolver.first_party(e)}
        self.data = {d for s in positive for d in s.data}
        self.purposes = {p for s in positive for p in s.purposes}
        self.subjects = {x for s in positive for x in s.subjects}
        self.rights = {r for s in statements for r in s.rights}
        self.facts = frozenset(f for s in statements for f in s.facts())
        self.retention: dict[tuple[str, frozenset[str]], set[str]] = {}
        for s in statements:
            if s.retention:
                for d in s.data or {""}:
                    self.retention.setdefault((d, s.purposes), set()).add(s.retention)
        self.countries: set[str] = set()
        for s in positive:
            self.countries |= set(s.countries) or {c for e in s.entities if (c := resolver.country(e))}
        self.sections = {}
        for s in statements:
            for attr in ("entities", "data", "purposes", "subjects", "rights"):
                for term in getattr(s, attr):
                    self.sections.setdefault((attr, term), s.section)


def _covered(tax: Any, kind: str, term: str, named: Iterable[str]) -> str | None:
    """The named term that covers ``term`` (itself, or a broader term that is not a root)."""
    named = set(named)
    if term in named:
        return term
    if not tax.known(kind, [term])[0]:
        return None
    for anc in tax.ancestors(kind, term):
        if anc in named and tax.depth(kind, anc) >= 1:
            return anc
    return None


def _entity_covered(resolver: EntityResolver, entity: str, named: Iterable[str]) -> str | None:
    named = set(named)
    if entity in named:
        return entity
    tax = resolver.taxonomy
    for anc in resolver.ancestors(entity):
        if anc in named and tax.known("recipient", [anc])[0] and tax.depth("recipient", anc) >= 1:
            return anc
    return None


# -- pairing ------------------------------------------------------------------------------

def _related(tax: Any, kind: str | None, a: str, b: str) -> bool:
    if kind is None or not tax.known(kind, [a])[0] or not tax.known(kind, [b])[0]:
        return False
    return bool(tax.is_under(kind, a, b) or tax.is_under(kind, b, a))


def _soft_overlap(tax: Any, kind: str | None, a: frozenset[str], b: frozenset[str],
                  resolver: EntityResolver | None = None) -> float:
    """Symmetric similarity of two term sets: 1 for equal terms, 0.5 for related ones."""
    if a == b:
        return 1.0
    if not a or not b:
        return 0.0

    def best(x: str, others: frozenset[str]) -> float:
        if x in others:
            return 1.0
        for y in others:
            if resolver is not None:
                if y in resolver.ancestors(x) or x in resolver.ancestors(y):
                    return 0.5
            elif _related(tax, kind, x, y):
                return 0.5
        return 0.0

    total = sum(best(x, b) for x in a) + sum(best(y, a) for y in b)
    return total / (len(a) + len(b))


_WEIGHTS = {"entities": 3.0, "data": 3.0, "purposes": 2.0, "subjects": 1.0, "countries": 1.0,
            "legal_bases": 1.0, "retention": 1.0, "exceptions": 1.0, "rights": 3.0, "consent": 0.5}


def _substance_score(a: _Statement, b: _Statement, resolver: EntityResolver) -> float:
    if a.family != b.family or a.positive != b.positive:
        return 0.0
    tax = resolver.taxonomy
    num = den = 0.0
    for attr, weight in _WEIGHTS.items():
        va, vb = getattr(a, attr), getattr(b, attr)
        if attr == "consent":
            num += weight * (va == vb)
            den += weight
            continue
        if not va and not vb:
            continue
        if attr == "retention":
            sim = 1.0 if va == vb else 0.0
        elif attr == "entities":
            sim = _soft_overlap(tax, None, va, vb, resolver)
        else:
            sim = _soft_overlap(tax, _KIND_OF.get(attr), va, vb)
        num += weight * sim
        den += weight
    return num / den if den else 1.0


def _quote_similarity(a: _Statement, b: _Statement) -> float:
    from rapidfuzz import fuzz

    if a.wording == b.wording:
        return 1.0
    return fuzz.token_set_ratio(a.wording, b.wording) / 100.0


def _pair(old: Sequence[_Statement], new: Sequence[_Statement],
          resolver: EntityResolver) -> list[tuple[_Statement, _Statement]]:
    """Pair old and new statements by substance (then wording), greedily, symmetrically."""
    pairs: list[tuple[_Statement, _Statement]] = []
    used_old: set[int] = set()
    used_new: set[int] = set()
    # Statements whose substance is identical pair first (by wording within a group).
    groups: dict[tuple, tuple[list[_Statement], list[_Statement]]] = {}
    for s in old:
        groups.setdefault(s.substance(), ([], []))[0].append(s)
    for s in new:
        groups.setdefault(s.substance(), ([], []))[1].append(s)
    for olds, news in groups.values():
        if olds and news:
            scored = [(_quote_similarity(a, b) + (a.section == b.section) * 0.01, a, b)
                      for a in olds for b in news]
            pairs += _greedy(scored, used_old, used_new)
    rest_old = [s for s in old if s.pos not in used_old]
    rest_new = [s for s in new if s.pos not in used_new]
    scored = []
    for a in rest_old:
        for b in rest_new:
            sub = _substance_score(a, b, resolver)
            if sub <= 0:
                continue
            quote = _quote_similarity(a, b)
            if sub >= 0.5 or (quote >= 0.85 and sub >= 0.25):
                scored.append((0.75 * sub + 0.25 * quote, a, b))
    pairs += _greedy(scored, used_old, used_new)
    return pairs


def _greedy(scored: list[tuple[float, _Statement, _Statement]], used_old: set[int],
            used_new: set[int]) -> list[tuple[_Statement, _Statement]]:
    scored.sort(key=lambda t: (-round(t[0], 9), *sorted((t[1].identity(), t[2].identity()))))
    out = []
    for _, a, b in scored:
        if a.pos in used_old or b.pos in used_new:
            continue
        used_old.add(a.pos)
        used_new.add(b.pos)
        out.append((a, b))
    return out


# -- describing a change ------------------------------------------------------------------

class _Context:
    def __init__(self, old_st, new_st, resolver, register):
        self.resolver = resolver
        self.tax = resolver.taxonomy
        self.old = _Named(old_st, resolver)
        self.new = _Named(new_st, resolver)
        self.register = register
        self._activity_terms = _activity_terms(register, resolver) if register is not None else []

    def label(self, attr: str, key: str) -> str:
        if attr == "entities":
            return self.resolver.label(key)
        if attr == "countries":
            return self.tax.country_name(key)
        kind = _KIND_OF.get(attr) or {"legal_bases": "legal_basis", "exceptions": "legal_basis"}.get(attr)
        if kind is None:
            return key
        return self.tax.label(kind, key) if self.tax.known(kind, [key])[0] else key

    def labels(self, attr: str, keys: Iterable[str]) -> str:
        return "; ".join(self.label(attr, k) for k in sorted(keys))

    def non_eea(self, countries: Iterable[str]) -> set[str]:
        codes = sorted(set(countries))
        if not codes:
            return set()
        eea = self.tax.is_eea(codes)
        return {c for c, e in zip(codes, eea, strict=True) if not e}

    def activities(self, *statements: _Statement | None) -> list[str]:
        found: set[str] = set()
        for s in statements:
            if s is not None:
                found |= _relevant_activities(s, self._activity_terms, self.resolver)
        return sorted(found)


#: Reasons that narrow the processing or add a promise to people: changes of substance
#: in the people's favour. They are material (the policy's readers must be told, and the
#: date must move) with direction "favourable"; widening changes are "adverse".
_FAVOURABLE: tuple[str, ...] = (
    "now only with consent", "retention stated:", "retention shortened", "right added:",
    "recipient no longer named:", "data category no longer named:", "purpose no longer named:",
    "no longer transferred to", "negative statement strengthened", "new negative statement",
    "statement no longer made:",
)


def _row(kind: str, aspect: str, level: str, reasons: Sequence[str], a: _Statement | None,
         b: _Statement | None, old_value: str = "", new_value: str = "",
         added: Iterable[str] = (), removed: Iterable[str] = (),
         activities: Sequence[str] = ()) -> dict[str, Any]:
    direction = None
    if level == "material":
        direction = "adverse"
    elif level == "informational" and any(r.startswith(_FAVOURABLE) for r in reasons if r):
        level, direction = "material", "favourable"
    return {
        "kind": kind, "aspect": aspect, "level": level, "material": level == "material",
        "direction": direction,
        "reason": "; ".join(dict.fromkeys(r for r in reasons if r)),
        "old_statement": a.sid if a else None, "new_statement": b.sid if b else None,
        "old_section": a.section if a else None, "new_section": b.section if b else None,
        "old_quote": a.quote if a else None, "new_quote": b.quote if b else None,
        "old_value": old_value or None, "new_value": new_value or None,
        "added": sorted(set(added)), "removed": sorted(set(removed)), "activities": list(activities),
    }


def _term_changes(ctx: _Context, attr: str, added: set[str], removed: set[str],
                  b: _Statement | None, novel_only: bool = False) -> tuple[list[str], list[str], set[str]]:
    """(material reasons, informational reasons, terms named) for terms added to and removed
    from a statement.

    A term added is new (not named by the old version, nor covered by a broader term that
    is not a root), named more specifically than before, or restated; a term removed is
    gone from the new version, only covered by a broader term, or still stated elsewhere.
    ``novel_only`` leaves the restated ones out (for statements with no counterpart).
    """
    noun = {"entities": "recipient", "data": "data category", "purposes": "purpose",
            "subjects": "data subject", "rights": "right"}[attr]
    old_named = getattr(ctx.old, attr)
    new_named = getattr(ctx.new, attr)

    def cover(term: str, named: set[str]) -> str | None:
        if attr == "entities":
            return term if ctx.resolver.first_party(term) else _entity_covered(ctx.resolver, term, named)
        return _covered(ctx.tax, _KIND_OF[attr], term, named)

    groups: dict[tuple[bool, str], list[str]] = {}
    named: set[str] = set()

    def put(material: bool, text: str, label: str) -> None:
        groups.setdefault((material, text), []).append(label)
        named.add(term)

    negative = b is not None and not b.positive
    for term in sorted(added):
        label = ctx.label(attr, term)
        found = cover(term, old_named)
        if found is not None and found != term and attr == "entities" and ctx.resolver.is_entity(term):
            # a named recipient the old version did not name is new, even where a category covered it
            put(not negative, f"new {noun}:", f"{label} (the old version only spoke of {ctx.label(attr, found)})")
        elif found != term and attr == "purposes" and b is not None and b.family == "retain":
            # why data is kept (a legal obligation, say) is not a new purpose of processing
            put(False, "data kept for:", label)
        elif found == term:
            if not novel_only:
                put(False, f"{noun} already stated elsewhere in the old version, now also here:", label)
        elif found is not None:
            put(False, f"{noun} now named specifically:", f"{label} (was {ctx.label(attr, found)})")
        elif attr == "rights":
            put(False, "right added:", label)
        elif negative:
            put(False, f"{noun} now named in a negative statement:", label)
        else:
            if attr == "entities":
                country = ctx.resolver.country(term)
                if (country and ctx.non_eea([country]) and country not in ctx.old.countries
                        and not (b is not None and b.countries)):
                    label += f" (in {ctx.tax.country_name(country)}: a third-country transfer)"
            put(True, f"new {noun}:", label)
    for term in sorted(removed):
        label = ctx.label(attr, term)
        found = cover(term, new_named)
        if found == term:
            if not novel_only:
                put(False, f"{noun} no longer stated here, still stated elsewhere:", label)
        elif found is not None and attr == "entities" and ctx.resolver.is_entity(term):
            put(False, f"{noun} no longer named:", f"{label} (the new version only speaks of {ctx.label(attr, found)})")
        elif found is not None:
            put(False, f"{noun} now only covered by a broader term:", f"{label} (by {ctx.label(attr, found)})")
        elif attr == "rights":
            put(True, "right removed:", label)
        else:
            put(False, f"{noun} no longer named:", label)
    material = [f"{text} {', '.join(labels)}" for (m, text), labels in groups.items() if m]
    info = [f"{text} {', '.join(labels)}" for (m, text), labels in groups.items() if not m]
    return material, info, named


def _retention_change(ctx: _Context, old: str, new: str, data: Iterable[str]) -> tuple[list[str], list[str]]:
    if old == new:
        return [], []
    if not old:
        return [], [f"retention stated: {new}"]
    if not new:
        data = list(data) or [""]
        kept = {k[0] for k in ctx.new.retention}
        if all(d in kept for d in data):
            return [], [f"retention {old} no longer stated here (still stated elsewhere)"]
        return [f"retention no longer stated (was {old})"], []
    d_old, d_new = _retention_days(old), _retention_days(new)
    if d_old is not None and d_new is not None:
        if d_new > d_old:
            return [f"retention lengthened from {old} to {new}"], []
        return [], [f"retention shortened from {old} to {new}"]
    return [f"retention changed from {old!r} to {new!r} (cannot tell whether longer)"], []


def _aspect_rows(ctx: _Context, a: _Statement, b: _Statement) -> list[dict[str, Any]]:
    """One row per aspect in which paired statements differ."""
    rows = []
    acts = ctx.activities(a, b)
    for aspect, attr in _ASPECT_FIELDS:
        va, vb = getattr(a, attr), getattr(b, attr)
        if va == vb:
            continue
        material: list[str] = []
        info: list[str] = []
        added: set[str] = set()
        removed: set[str] = set()
        if attr in ("entities", "data", "purposes", "subjects", "rights"):
            added, removed = set(vb - va), set(va - vb)
            material, info, _ = _term_changes(ctx, attr, added, removed, b)
            old_v, new_v = ctx.labels(attr, va), ctx.labels(attr, vb)
        elif attr == "countries":
            added, removed = set(vb - va), set(va - vb)
            for c in sorted(added):
                if c in ctx.non_eea([c]) and c not in ctx.old.countries:
                    material.append(f"new third-country transfer: {ctx.tax.country_name(c)}")
                else:
                    info.append(f"country added: {ctx.tax.country_name(c)}")
            info += [f"no longer {'transferred to' if c in ctx.non_eea([c]) else 'stored in'} "
                     f"{ctx.tax.country_name(c)}" for c in sorted(removed)]
            old_v, new_v = ctx.labels(attr, va), ctx.labels(attr, vb)
        elif attr == "legal_bases":
            added, removed = set(vb - va), set(va - vb)
            if "art6_1_a" in removed and not b.consent and a.consent == b.consent:
                material.append("consent requirement dropped: consent is no longer the legal basis")
            if added or removed - {"art6_1_a"}:
                info.append(f"legal basis changed from {ctx.labels(attr, va) or 'none stated'} to "
                            f"{ctx.labels(attr, vb) or 'none stated'}")
            old_v, new_v = ctx.labels(attr, va), ctx.labels(attr, vb)
        elif attr == "retention":
            material, info = _retention_change(ctx, va, vb, b.data or a.data)
            old_v, new_v = va, vb
        elif attr == "consent":
            if va and not vb:
                material.append("consent requirement dropped")
            else:
                info.append("now only with consent")
            old_v, new_v = ("only with consent" if va else "no consent stated",
                            "only with consent" if vb else "no consent stated")
        else:  # exceptions to a negative statement
            added, removed = set(vb - va), set(va - vb)
            if added:
                material.append(f"negative statement weakened: new exception {ctx.labels(attr, added)}")
            if removed:
                info.append(f"negative statement strengthened: exception {ctx.labels(attr, removed)} dropped")
            old_v, new_v = ctx.labels(attr, va), ctx.labels(attr, vb)
        level = "material" if material else "informational"
        rows.append(_row("changed", aspect, level, material + info, a, b, old_v, new_v,
                         added, removed, acts))
    return rows


def _lone_row(ctx: _Context, s: _Statement, kind: str) -> dict[str, Any]:
    """A statement with no counterpart: which of its terms are new (or gone), and why it matters."""
    added = kind == "added"
    material: list[str] = []
    info: list[str] = []
    terms: list[str] = []
    aspects: list[str] = []
    natural = _NATURAL_ASPECT.get(s.family, "recipient")
    if not s.positive:
        what = _describe(ctx, s)
        if added:
            info.append(f"new negative statement ({what})")
        else:
            material.append(f"negative statement withdrawn ({what}): a promise not to do this is gone")
            aspects.append(natural)
    else:
        for aspect, attr in _ASPECT_FIELDS:
            m: list[str] = []
            i: list[str] = []
            vals: set[str] = set()
            if attr in ("entities", "data", "purposes", "subjects", "rights"):
                vals = set(getattr(s, attr)) - {_FIRST_PARTY}
                if vals:
                    m, i, vals = _term_changes(ctx, attr, vals if added else set(),
                                               set() if added else vals, s if added else None,
                                               novel_only=True)
            elif attr == "countries" and added:
                vals = set(s.countries)
                m = [f"new third-country transfer: {ctx.tax.country_name(c)}"
                     for c in sorted(ctx.non_eea(vals)) if c not in ctx.old.countries]
            elif attr == "retention" and s.retention:
                vals = {s.retention}
                if added:
                    before = set().union(*(ctx.old.retention.get((d, s.purposes), set())
                                           for d in s.data or {""}))
                    longest = max(before, key=lambda r: _retention_days(r) or -1.0, default="")
                    m, i = _retention_change(ctx, longest, s.retention, s.data)
                else:
                    m, i = _retention_change(ctx, s.retention, "", s.data)
            if m:
                aspects.append(aspect)
            if m or i:
                material += m
                info += i
                terms += sorted(vals)
        if not added and s.consent and _consent_dropped(ctx, s):
            material.append("consent requirement dropped: the new version states the same flow "
                            "without consent")
            aspects.append("consent")
    if not material and not info:
        info.append(f"{'new statement' if added else 'statement no longer made'}: {_describe(ctx, s)}")
    level = "material" if material else "informational"
    value = _describe(ctx, s)
    return _row(kind, aspects[0] if aspects else natural, level, material + info,
                None if added else s, s if added else None, "" if added else value,
                value if added else "", terms if added else (), () if added else terms,
                ctx.activities(s))


def _consent_dropped(ctx: _Context, s: _Statement) -> bool:
    """Whether the new version states a flow of this consent-only statement without consent."""
    flows = {f[1:6] for f in s.facts() if f[0] == "flow"}
    return any(g[0] == "flow" and not g[6] and g[1:6] in flows for g in ctx.new.facts)


def _describe(ctx: _Context, s: _Statement) -> str:
    parts = [s.action.replace("_", " ")]
    for attr, label in (("data", "data"), ("entities", "with"), ("purposes", "for"),
                        ("countries", "in"), ("rights", "rights"), ("retention", "kept")):
        value = getattr(s, attr)
        if attr == "entities":
            value = {e for e in value if e != _FIRST_PARTY}
        if attr == "retention":
            if value:
                parts.append(f"kept {value}")
            continue
        if value:
            parts.append(f"{label}: {ctx.labels(attr, value)}")
    if s.consent:
        parts.append("only with consent")
    return "; ".join(parts)


def _wording_row(ctx: _Context, a: _Statement, b: _Statement, restated: bool = False) -> dict[str, Any] | None:
    reasons = []
    if restated:
        reasons.append("the same facts, stated in other statements (split, merged or repeated)")
    if {n.casefold() for n in a.names} != {n.casefold() for n in b.names} and a.entities == b.entities:
        renamed = [f"{', '.join(sorted(a.names - b.names))} → {', '.join(sorted(b.names - a.names))}"]
        reasons.append(f"the same recipient written differently ({renamed[0]})")
    if a.wording != b.wording:
        reasons.append("reworded")
    if a.section != b.section:
        reasons.append(f"moved from section {a.section} to {b.section}")
    if not reasons:
        return None
    return _row("changed", "wording", "wording", reasons, a, b, a.quote, b.quote)


def _closest(s: _Statement, candidates: Sequence[_Statement], resolver: EntityResolver) -> _Statement | None:
    best = None
    best_key: tuple | None = None
    for c in candidates:
        score = _substance_score(s, c, resolver) + 0.1 * _quote_similarity(s, c)
        key = (-round(score, 9), c.identity())
        if best_key is None or key < best_key:
            best, best_key = c, key
    return best


# -- policy-level facts -------------------------------------------------------------------

def _names(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, Mapping):
        out = []
        for key in ("name", "names", "legal_name", "trading_names", "also_known_as", "aliases"):
            out += _names(value.get(key))
        return out
    if isinstance(value, Iterable):
        return [n for v in value for n in _names(v)]
    return [str(value)]


def _scope(value: Any) -> dict[str, frozenset[str]]:
    if not isinstance(value, Mapping):
        return {"applies_to": frozenset(_names(value))} if value else {}
    return {str(k): frozenset(map(str, v if isinstance(v, list | tuple) else [v]))
            for k, v in value.items() if v not in (None, "", [])}


def _policy_rows(old: Any, new: Any) -> list[dict[str, Any]]:
    rows = []
    o_names = _names(old.meta.get("controller"))
    n_names = _names(new.meta.get("controller"))
    o_norm = {normalise_name(n): n for n in o_names}
    n_norm = {normalise_name(n): n for n in n_names}
    if set(o_norm) != set(n_norm):
        gone = [o_norm[k] for k in sorted(set(o_norm) - set(n_norm))]
        came = [n_norm[k] for k in sorted(set(n_norm) - set(o_norm))]
        reasons = []
        if came:
            reasons.append(f"controller now also named {', '.join(came)}")
        if gone:
            reasons.append(f"controller no longer named {', '.join(gone)}")
        rows.append(_row("changed", "controller", "material", reasons, None, None,
                         "; ".join(o_names), "; ".join(n_names), came, gone))
    o_date, n_date = old.meta.get("stated_date"), new.meta.get("stated_date")
    if (o_date or None) != (n_date or None):
        rows.append(_row("changed", "date", "informational",
                         [f"stated date moved from {o_date or 'none'} to {n_date or 'none'}"],
                         None, None, str(o_date or ""), str(n_date or "")))
    o_scope, n_scope = _scope(old.meta.get("scope")), _scope(new.meta.get("scope"))
    if o_scope != n_scope:
        reasons = []
        for key in sorted(set(o_scope) | set(n_scope)):
            gained = n_scope.get(key, frozenset()) - o_scope.get(key, frozenset())
            lost = o_scope.get(key, frozenset()) - n_scope.get(key, frozenset())
            if gained:
                reasons.append(f"{key.replace('_', ' ')} now includes {', '.join(sorted(gained))}")
            if lost:
                reasons.append(f"{key.replace('_', ' ')} no longer includes {', '.join(sorted(lost))}")
        fmt = lambda sc: "; ".join(f"{k}: {', '.join(sorted(v))}" for k, v in sorted(sc.items()))  # noqa: E731
        rows.append(_row("changed", "scope", "informational", reasons, None, None, fmt(o_scope), fmt(n_scope)))
    return rows


# -- register relevance -------------------------------------------------------------------

def _expand(tax: Any, kind: str, terms: Iterable[str]) -> set[str]:
    """Terms with their non-root ancestors and their descendants (for overlap tests)."""
    out: set[str] = set()
    for t in terms:
        out.add(t)
        if tax.known(kind, [t])[0]:
            out.update(a for a in tax.ancestors(kind, t) if tax.depth(kind, a) >= 1)
            if tax.depth(kind, t) >= 1:
                out.update(tax.descendants(kind, t))
    return out


def _activity_terms(register: Any, resolver: EntityResolver) -> list[tuple[str, set[str], set[str], set[str]]]:
    acts = register.activities
    out = []
    for rec in acts.to_dict("records"):
        if str(rec.get("status") or "").lower() == "retired":
            continue
        entities = {resolver.resolve(r) for r in rec.get("recipients") or [] if r and r != "none"}
        ents = set(entities)
        for e in entities:
            ents |= resolver.ancestors(e)
        out.append((str(rec.get("activity_id")), ents, set(rec.get("data_categories") or []),
                    set(rec.get("purposes") or [])))
    return out


def _relevant_activities(s: _Statement, terms: list, resolver: EntityResolver) -> set[str]:
    if s.family == "inform" or not terms:
        return set()
    tax = resolver.taxonomy
    third = {e for e in s.entities if not resolver.first_party(e)}
    data = _expand(tax, "data_category", s.data)
    purposes = _expand(tax, "data_use", s.purposes)
    found: set[str] = set()
    kept: set[str] = set()
    for aid, ents, adata, apurp in terms:
        if third:
            if ents & third:
                found.add(aid)
        elif s.family == "retain":
            if adata & data:
                kept.add(aid)
                if apurp & purposes:
                    found.add(aid)
        elif s.purposes:
            if apurp & purposes and (not s.data or adata & data):
                found.add(aid)
        elif adata & data:
            found.add(aid)
    # data kept for purposes no activity names: the activities that hold the data
    return found or kept


# -- public: policies ---------------------------------------------------------------------

def _changes_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    return _object_frame(rows, CHANGE_COLUMNS, {"material": bool})


def _object_frame(rows: Sequence[Mapping[str, Any]], columns: Sequence[str],
                  types: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """A frame of object columns (``None`` stays ``None``; pandas 3 would infer strings)."""
    types = types or {}
    return pd.DataFrame({c: pd.Series([r.get(c) for r in rows], dtype=types.get(c, object))
                         for c in columns})


def _section_key(number: Any) -> tuple:
    parts = re.findall(r"\d+|[A-Za-z]+", str(number or ""))
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts)


def _check_pairs(old: Any, new: Any) -> None:
    """Refuse (``InputError`` naming the new policy's file) a diff that would score more pairs
    of statements than ``max_diff_pairs``: each old statement is compared with each new one."""
    from ..core.errors import InputError
    from ..core.limits import limit_message, limits

    n_old, n_new = len(old.statements), len(new.statements)
    if n_old * n_new > limits().max_diff_pairs:
        where = getattr(new, "path", None) or getattr(old, "path", None)
        raise InputError(limit_message("max_diff_pairs", f"comparing {n_old:,} statements with {n_new:,} "
                                       f"makes {n_old * n_new:,} pairs"), str(where) if where else None)


def diff_policies(old: Any, new: Any, register: Any = None) -> pd.DataFrame:
    """What changed between two versions of a privacy policy, statement by statement.

    Statements are paired by what they say, not by id or section; recipients written
    differently (``Github``/``GitHub``, ``DAS Incasso``/``DAS Incasso B.V.``, ``Google
    Adwords``/``Google Ads``) are one recipient. Each row is a change (columns
    :data:`CHANGE_COLUMNS`):

    - ``kind``: added, removed or changed; ``aspect``: what changed (:data:`ASPECTS`);
    - ``level``: material, informational or wording; ``material`` (bool) and ``reason``;
    - ``old_statement``/``new_statement``, ``old_section``/``new_section``,
      ``old_quote``/``new_quote``: the statements and the sentences they rest on;
    - ``old_value``/``new_value``: the aspect before and after, readable; ``added`` and
      ``removed``: the keys that came and went;
    - ``activities``: with a register, the ids of the activities the change touches.

    Policy-level facts (the controller's names, the stated date, the scope) come first,
    then changes in the order of the new version's sections.

    Args:
        old: the earlier :class:`~ropa.Policy`.
        new: the later :class:`~ropa.Policy`.
        register: the organisation's register: its recipients' names and aliases resolve
            recipients, and its activities are matched to each change.

    Raises:
        InputError: the policies have so many statements that comparing each old one with
            each new one passes the limit ``max_diff_pairs`` (see :class:`ropa.Limits`).

    Example:
        >>> import ropa
        >>> old = ropa.load_policy("tests/data/diff/subprocessors/2025-01-01.flows.yaml")
        >>> new = ropa.load_policy("tests/data/diff/subprocessors/2025-07-01.flows.yaml")
        >>> changes = ropa.diff_policies(old, new)
        >>> changes.loc[changes["material"], "reason"].tolist()[:1]  # doctest: +SKIP
        ['new recipient: Intercom']

    .. versionadded:: 0.1
    """
    _check_pairs(old, new)
    resolver = EntityResolver(register)
    old_st, new_st = _statements(old, resolver), _statements(new, resolver)
    ctx = _Context(old_st, new_st, resolver, register)
    rows = _policy_rows(old, new)
    pairs = _pair(old_st, new_st, resolver)
    paired_old = {a.pos for a, _ in pairs}
    paired_new = {b.pos for _, b in pairs}
    body = []
    for a, b in pairs:
        if a.substance() == b.substance():
            row = _wording_row(ctx, a, b)
            if row:
                body.append(row)
            continue
        gained = b.facts() - a.facts() - ctx.old.facts
        lost = a.facts() - b.facts() - ctx.new.facts
        if not gained and not lost:
            row = _wording_row(ctx, a, b, restated=True)
            if row:
                body.append(row)
            continue
        body += _aspect_rows(ctx, a, b)
    for s in new_st:
        if s.pos in paired_new:
            continue
        if s.facts() <= ctx.old.facts:
            twin = _closest(s, old_st, resolver)
            row = _wording_row(ctx, twin, s, restated=True) if twin else None
            if row:
                body.append(row)
        else:
            body.append(_lone_row(ctx, s, "added"))
    for s in old_st:
        if s.pos in paired_old:
            continue
        if s.facts() <= ctx.new.facts:
            twin = _closest(s, new_st, resolver)
            row = _wording_row(ctx, s, twin, restated=True) if twin else None
            if row:
                body.append(row)
        else:
            body.append(_lone_row(ctx, s, "removed"))
    level_rank = {lvl: i for i, lvl in enumerate(LEVELS)}
    aspect_rank = {a: i for i, a in enumerate(ASPECTS)}
    body.sort(key=lambda r: (_section_key(r["new_section"] or r["old_section"]), level_rank[r["level"]],
                             aspect_rank.get(r["aspect"], 99), r["kind"],
                             r["new_statement"] or "", r["old_statement"] or ""))
    return _changes_frame(rows + body)


def _section_frame(policy: Any) -> list[dict[str, str]]:
    """Sections with their text, the heading line left out (its number may change alone)."""
    out = []
    for rec in policy.sections.to_dict("records"):
        title = str(rec.get("title") or "")
        text = str(rec.get("text") or "")
        lines = text.strip("\n").splitlines()
        if lines and title and _norm_text(lines[0]).endswith(_norm_text(title)):
            text = "\n".join(lines[1:])
        out.append({"number": str(rec.get("number") or ""), "title": title, "text": text})
    return out


def _norm_ws(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


_ITEM_LINE = re.compile(r"^\s*(?:\||[-*+\u2022\u2013\u25aa]\s|\d+[.)]\s)")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")


def _paragraphs(text: str) -> list[str]:
    """A section's text as units to diff: prose paragraphs (blank-line separated, line
    wrapping and whitespace ignored), and each table row or list item on its own."""
    units: list[str] = []
    for block in re.split(r"\n\s*\n", text):
        prose: list[str] = []
        for line in block.splitlines():
            if _TABLE_RULE.match(line):
                continue
            if _ITEM_LINE.match(line):
                if prose:
                    units.append(_norm_ws(" ".join(prose)))
                    prose = []
                units.append(_norm_ws(line))
            elif line.strip():
                prose.append(line)
        if prose:
            units.append(_norm_ws(" ".join(prose)))
    return [u for u in units if u]


def diff_policy_sections(old: Any, new: Any) -> pd.DataFrame:
    """The text-level diff of the sections whose text changed (columns :data:`SECTION_CHANGE_COLUMNS`).

    Sections are matched by title, then by number, then by similar title; ``status`` is
    changed, moved (same text, other number or title), added or removed; ``diff`` is a
    unified diff of the paragraphs (whitespace and line wrapping ignored).

    Example:
        >>> import ropa
        >>> old = ropa.load_policy("tests/data/diff/subprocessors/2025-01-01.flows.yaml")
        >>> new = ropa.load_policy("tests/data/diff/subprocessors/2025-07-01.flows.yaml")
        >>> sorted(set(ropa.diff.policies.diff_policy_sections(old, new)["status"]))  # doctest: +SKIP
        ['changed']
    """
    from rapidfuzz import fuzz

    olds, news = _section_frame(old), _section_frame(new)
    matched: list[tuple[dict | None, dict | None]] = []
    free_old = list(range(len(olds)))
    free_new = list(range(len(news)))

    def take(test) -> None:
        for j in list(free_new):
            for i in list(free_old):
                if test(olds[i], news[j]):
                    matched.append((olds[i], news[j]))
                    free_old.remove(i)
                    free_new.remove(j)
                    break

    by_title = lambda o, n: bool(o["title"]) and _norm_text(o["title"]) == _norm_text(n["title"])  # noqa: E731
    by_number = lambda o, n: bool(o["number"]) and o["number"] == n["number"]  # noqa: E731
    similar = lambda o, n: fuzz.token_set_ratio(_norm_text(o["title"]), _norm_text(n["title"])) >= 85  # noqa: E731
    for test in (by_title, by_number, similar):
        take(test)
    matched += [(olds[i], None) for i in free_old] + [(None, news[j]) for j in free_new]
    rows = []
    for o, n in matched:
        if o is not None and n is not None:
            same_text = _paragraphs(o["text"]) == _paragraphs(n["text"])
            if same_text and o["number"] == n["number"] and _norm_ws(o["title"]) == _norm_ws(n["title"]):
                continue
            status = "moved" if same_text else "changed"
        else:
            status = "removed" if n is None else "added"
        ot, nt = (o or {}).get("text", ""), (n or {}).get("text", "")
        diff = "\n".join(difflib.unified_diff(
            _paragraphs(ot), _paragraphs(nt), fromfile=f"{old.version} §{(o or {}).get('number', '')}",
            tofile=f"{new.version} §{(n or {}).get('number', '')}", lineterm="", n=1)) if status != "moved" else ""
        rows.append({"status": status, "old_number": (o or {}).get("number"), "new_number": (n or {}).get("number"),
                     "old_title": (o or {}).get("title"), "new_title": (n or {}).get("title"),
                     "old_text": ot or None, "new_text": nt or None, "diff": diff})
    rows.sort(key=lambda r: (_section_key(r["new_number"] or r["old_number"]), _section_key(r["old_number"])))
    return _object_frame(rows, SECTION_CHANGE_COLUMNS)


_TOKEN = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """The words of two sentences as ``(op, text)`` runs: ``equal``, ``delete`` or ``insert``.

    Render ``delete`` as ``<del>`` and ``insert`` as ``<ins>`` (escaping the text).

    Example:
        >>> word_diff("We use Mailchimp for email", "We use Laposta for email")
        [('equal', 'We use '), ('delete', 'Mailchimp'), ('insert', 'Laposta'), ('equal', ' for email')]
    """
    a, b = _TOKEN.findall(old or ""), _TOKEN.findall(new or "")
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    runs: list[tuple[str, str]] = []

    def push(op: str, text: str) -> None:
        if not text:
            return
        if runs and runs[-1][0] == op:
            runs[-1] = (op, runs[-1][1] + text)
        else:
            runs.append((op, text))

    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            push("equal", "".join(a[i1:i2]))
        else:
            push("delete", "".join(a[i1:i2]))
            push("insert", "".join(b[j1:j2]))
    # Whitespace or one punctuation mark between two changes reads better inside them.
    merged: list[tuple[str, str]] = []
    for i, (op, text) in enumerate(runs):
        if (op == "equal" and 0 < i < len(runs) - 1 and not re.search(r"\w", text) and len(text.strip()) <= 1
                and runs[i - 1][0] != "equal" and runs[i + 1][0] != "equal"):
            merged.append(("delete", text))
            merged.append(("insert", text))
            continue
        merged.append((op, text))
    out: list[tuple[str, str]] = []
    for op, text in merged:
        if out and out[-1][0] == op:
            out[-1] = (op, out[-1][1] + text)
        else:
            out.append((op, text))
    deletes = [t for o, t in out if o == "delete"]
    inserts = [t for o, t in out if o == "insert"]
    if deletes or inserts:
        # regroup: consecutive delete/insert runs keep delete first
        regrouped: list[tuple[str, str]] = []
        pending_del, pending_ins = "", ""
        for op, text in out:
            if op == "equal":
                if pending_del:
                    regrouped.append(("delete", pending_del))
                if pending_ins:
                    regrouped.append(("insert", pending_ins))
                pending_del = pending_ins = ""
                regrouped.append((op, text))
            elif op == "delete":
                pending_del += text
            else:
                pending_ins += text
        if pending_del:
            regrouped.append(("delete", pending_del))
        if pending_ins:
            regrouped.append(("insert", pending_ins))
        out = regrouped
    return out


# -- findings on the new version ----------------------------------------------------------

def policy_diff_findings(old: Any, new: Any, changes: pd.DataFrame | None = None,
                         register: Any = None) -> pd.DataFrame:
    """Findings about a new policy version, from its diff against the old one.

    - ``policy-date-not-moved``: a material change, but the date the policy states did not move;
    - ``policy-date-moved-without-change``: a new date, and nothing else changed;
    - with a register: ``new-recipient-without-activity``, ``new-data-category-without-activity``
      (a new disclosure or data category that no activity records),
      ``activity-recipient-no-longer-named`` (an activity's recipient that the new version
      stops naming) and ``flow-class-worsened``/``flow-class-improved`` (flows whose
      consistency class changes against the new version).

    Example:
        >>> import ropa
        >>> from ropa.diff.policies import policy_diff_findings
        >>> old = ropa.load_policy("tests/data/diff/subprocessors/2025-01-01.flows.yaml")
        >>> policy_diff_findings(old, old).empty
        True
    """
    if changes is None:
        changes = diff_policies(old, new, register=register)
    parts = []
    o_date, n_date = old.meta.get("stated_date"), new.meta.get("stated_date")
    material = changes[changes["material"]]
    base = {"policy_version": new.version, "file": str(new.path) if new.path else None}
    if len(material) and (o_date or None) == (n_date or None):
        evidence = "; ".join(material["reason"].head(5)) + ("; ..." if len(material) > 5 else "")
        parts.append(make_findings("policy-date-not-moved", [{
            **base, "evidence": evidence, "count": len(material), "date": n_date or "none"}]))
    others = changes[changes["aspect"] != "date"]
    if (o_date or None) != (n_date or None) and others.empty:
        sections = diff_policy_sections(old, new)
        if sections.empty:
            parts.append(make_findings("policy-date-moved-without-change", [{
                **base, "evidence": f"{o_date or 'none'} → {n_date or 'none'}"}]))
    if register is not None:
        parts += _register_impact(old, new, changes, register)
    return findings_frame(parts)


def _register_impact(old: Any, new: Any, changes: pd.DataFrame, register: Any) -> list[pd.DataFrame]:
    resolver = EntityResolver(register)
    tax = resolver.taxonomy
    old_st, new_st = _statements(old, resolver), _statements(new, resolver)
    o_named, n_named = _Named(old_st, resolver), _Named(new_st, resolver)
    acts = register.activities
    active = acts[acts["status"].astype(str).str.lower() != "retired"] if "status" in acts else acts
    act_entities: dict[str, set[str]] = {}
    act_data: set[str] = set()
    for rec in active.to_dict("records"):
        aid = str(rec.get("activity_id"))
        for r in rec.get("recipients") or []:
            if r and r != "none":
                act_entities.setdefault(resolver.resolve(r), set()).add(aid)
        act_data.update(rec.get("data_categories") or [])
    base = {"policy_version": new.version, "file": str(new.path) if new.path else None}
    parts = []
    rows = []
    for e in sorted(n_named.entities - o_named.entities):
        new_to_policy = resolver.is_entity(e) or _entity_covered(resolver, e, o_named.entities) is None
        if new_to_policy and e not in act_entities and not any(e in resolver.ancestors(x) for x in act_entities):
            rows.append({**base, "recipient_id": None if e.startswith(("~", "vendor:")) else e,
                         "section": n_named.sections.get(("entities", e)),
                         "evidence": resolver.label(e), "subject": f"recipient {resolver.label(e)}"})
    if rows:
        parts.append(make_findings("new-recipient-without-activity", rows))
    rows = []
    for d in sorted(n_named.data - o_named.data):
        if _covered(tax, "data_category", d, o_named.data) is not None:
            continue
        under = d in act_data or any(tax.known("data_category", [x])[0] and tax.known("data_category", [d])[0]
                                     and tax.is_under("data_category", x, d) for x in act_data)
        if not under:
            rows.append({**base, "section": n_named.sections.get(("data", d)),
                         "evidence": tax.label("data_category", d) if tax.known("data_category", [d])[0] else d,
                         "subject": f"data category {d}"})
    if rows:
        parts.append(make_findings("new-data-category-without-activity", rows))
    rows = []
    for e, aids in sorted(act_entities.items()):
        if e in o_named.entities and e not in n_named.entities:
            cover = _entity_covered(resolver, e, n_named.entities)
            for aid in sorted(aids):
                rows.append({**base, "activity_id": aid, "recipient_id": e,
                             "evidence": f"{resolver.label(e)}: named in {old.version} (section "
                                         f"{o_named.sections.get(('entities', e), '?')}), not in {new.version}"
                                         + (f", which only speaks of {resolver.label(cover)}" if cover else "")})
    if rows:
        parts.append(make_findings("activity-recipient-no-longer-named", rows))
    parts += _class_changes(old, new, register)
    return parts


def _with_register_ids(policy: Any, resolver: EntityResolver) -> Any:
    """A copy of the policy whose recipients and actors are the register's ids where the
    resolver knows them (a reviewer may have written ``vendor:brevo`` or ``Sendinblue``)."""
    import dataclasses

    def fix(key: Any) -> Any:
        resolved = resolver.resolve(str(key))
        return resolved if resolved and not resolved.startswith(("~", "vendor:")) else key

    statements = policy.statements.copy()
    statements["recipients"] = statements["recipients"].map(lambda rs: [fix(r) for r in rs or []])
    statements["actor"] = statements["actor"].map(lambda a: fix(a) if a else a)
    return dataclasses.replace(policy, statements=statements)


_CLASS_RANK = {"clear": 0, "vague": 1, "ambiguous": 2, "omitted": 3, "incorrect": 4}


def _class_changes(old: Any, new: Any, register: Any) -> list[pd.DataFrame]:
    """Flows whose consistency class differs between the old and the new version."""
    try:
        from ..checks.consistency import consistency
    except ImportError:  # the consistency stage is not installed in this build
        return []
    resolver = EntityResolver(register)
    before = consistency(register, _with_register_ids(old, resolver))
    after = consistency(register, _with_register_ids(new, resolver))
    keys = [c for c in ("activity_id", "data_category", "data_subject", "recipient", "purpose")
            if c in before and c in after]
    if "class" not in before or "class" not in after or "activity_id" not in keys:
        return []
    def table(frame: pd.DataFrame) -> pd.DataFrame:
        out = frame[[*keys, "class"]].astype(object).astype(str)
        return out.drop_duplicates(keys)

    merged = table(before).merge(table(after), on=keys, how="inner", suffixes=("_old", "_new"))
    merged = merged[(merged["class_old"] != merged["class_new"])
                    & ~merged["class_old"].isin(["out_of_scope"]) & ~merged["class_new"].isin(["out_of_scope"])]
    worse, better = [], []
    for aid, group in merged.groupby("activity_id", sort=True):
        moves: dict[tuple[str, str], list[str]] = {}
        for rec in group.to_dict("records"):
            what = " → ".join(str(rec.get(k)) for k in keys[1:] if rec.get(k))
            moves.setdefault((rec["class_old"], rec["class_new"]), []).append(what)
        for (c_old, c_new), flows in sorted(moves.items()):
            row = {"activity_id": aid, "policy_version": new.version,
                   "file": str(new.path) if new.path else None,
                   "evidence": f"{len(flows)} flow(s) {c_old} → {c_new}: " + "; ".join(flows[:4])
                   + ("; ..." if len(flows) > 4 else ""),
                   "old_class": c_old, "new_class": c_new, "count": len(flows)}
            (worse if _CLASS_RANK.get(c_new, 9) > _CLASS_RANK.get(c_old, 9) else better).append(row)
    out = []
    if worse:
        out.append(make_findings("flow-class-worsened", worse))
    if better:
        out.append(make_findings("flow-class-improved", better))
    return out


# -- registers ----------------------------------------------------------------------------

def _is_missing(value: Any) -> bool:
    if value is None or value is pd.NA:
        return True
    return isinstance(value, float) and value != value


def _norm_cell(value: Any, is_list: bool) -> Any:
    if is_list:
        if _is_missing(value):
            return frozenset()
        if isinstance(value, list | tuple | set | frozenset):
            return frozenset(str(v) for v in value)
        return frozenset(p.strip() for p in str(value).split(";") if p.strip())
    if _is_missing(value):
        return ""
    return value


def _keyed(frame: pd.DataFrame, id_col: str) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    counts: dict[str, int] = {}
    for rec in frame.to_dict("records"):
        rid = str(rec.get(id_col) if not _is_missing(rec.get(id_col)) else "")
        counts[rid] = counts.get(rid, 0) + 1
        key = rid if counts[rid] == 1 else f"{rid}#{counts[rid]}"
        out[key] = rec
    return out


def _mapping_changes(old: Mapping[str, Any], new: Mapping[str, Any],
                     prefix: str = "") -> list[tuple[str, str, Any, Any]]:
    """(kind, dotted key, old, new) for each key that differs, descending into mappings that
    both sides hold (so an added or removed key's parent always exists in both)."""
    out = []
    for k in list(dict.fromkeys([*old, *new])):
        key = f"{prefix}{k}"
        if k in old and k in new:
            ov, nv = old[k], new[k]
            if ov == nv:
                continue
            if (isinstance(ov, Mapping) and isinstance(nv, Mapping)
                    and all(isinstance(x, str) and "." not in x for x in [*ov, *nv])):
                out += _mapping_changes(ov, nv, f"{key}.")
                continue
            out.append(("changed", key, ov, nv))
        elif k in new:
            out.append(("added", key, None, new[k]))
        else:
            out.append(("removed", key, old[k], None))
    return out


def _plain(value: Any) -> Any:
    if isinstance(value, frozenset | set):
        return sorted(value)
    if isinstance(value, tuple):
        return list(value)
    return value


def _table_changes(table: str, old: pd.DataFrame, new: pd.DataFrame, id_col: str,
                   list_cols: frozenset[str], name_col: str = "name") -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    o, n = _keyed(old, id_col), _keyed(new, id_col)
    columns = list(dict.fromkeys([*old.columns, *new.columns]))
    only_old = [k for k in o if k not in n]
    only_new = [k for k in n if k not in o]
    renamed: dict[str, str] = {}
    for ko in only_old:
        ro = o[ko]
        for kn in only_new:
            if kn in renamed.values():
                continue
            rn = n[kn]
            same = sum(_norm_cell(ro.get(c), c in list_cols) == _norm_cell(rn.get(c), c in list_cols)
                       for c in columns if c != id_col)
            same_name = normalise_name(str(ro.get(name_col) or "")) == normalise_name(str(rn.get(name_col) or "")) != ""
            if same_name or same >= 0.8 * max(1, len(columns) - 1):
                renamed[ko] = kn
                break
    for key, rec in o.items():
        if key in n or key in renamed:
            target = n[renamed.get(key, key)]
            for col in columns:
                is_list = col in list_cols
                ov, nv = rec.get(col), target.get(col)
                if _norm_cell(ov, is_list) == _norm_cell(nv, is_list) and (col in rec) == (col in target):
                    continue
                added = sorted(_norm_cell(nv, True) - _norm_cell(ov, True)) if is_list else []
                removed = sorted(_norm_cell(ov, True) - _norm_cell(nv, True)) if is_list else []
                rows.append({"table": table, "kind": "changed", "key": key,
                             "name": str(target.get(name_col) or rec.get(name_col) or ""),
                             "field": col, "old": None if col not in rec else _plain(ov),
                             "new": None if col not in target else _plain(nv),
                             "added": added, "removed": removed})
        else:
            rows.append({"table": table, "kind": "removed", "key": key, "name": str(rec.get(name_col) or ""),
                         "field": None, "old": {k: _plain(v) for k, v in rec.items()}, "new": None,
                         "added": [], "removed": []})
    for key, rec in n.items():
        if key in o or key in renamed.values():
            continue
        rows.append({"table": table, "kind": "added", "key": key, "name": str(rec.get(name_col) or ""),
                     "field": None, "old": None, "new": {k: _plain(v) for k, v in rec.items()},
                     "added": [], "removed": []})
    return rows


def diff_registers(old: Any, new: Any) -> pd.DataFrame:
    """What changed between two versions of a register (columns :data:`REGISTER_CHANGE_COLUMNS`).

    - ``table``: organisation, activities or recipients;
    - ``kind``: added, removed or changed; ``key``: the activity or recipient id (the old
      id for a changed row; a renumbered activity is one ``changed`` row of field
      ``activity_id``), or the organisation.yaml key path (``controller.email``);
    - ``field``, ``old``, ``new``: for a changed row, the field and its values (list fields
      are compared as sets, ``added`` and ``removed`` say which entries); for an added or
      removed row, the whole record in ``new`` or ``old``.

    :func:`apply_register_diff` turns the old register into the new one with it.

    Example:
        >>> import ropa
        >>> reg = ropa.load_register("registers/pro-at")
        >>> ropa.diff_registers(reg, reg).empty
        True

    .. versionadded:: 0.1
    """
    from ..register.columns import ACTIVITY_LIST_COLUMNS, RECIPIENT_LIST_COLUMNS

    rows: list[dict[str, Any]] = []
    for kind, key, ov, nv in _mapping_changes(old.organisation or {}, new.organisation or {}):
        rows.append({"table": "organisation", "kind": kind, "key": key, "name": "", "field": key,
                     "old": ov, "new": nv, "added": [], "removed": []})
    rows += _table_changes("activities", old.activities, new.activities, "activity_id", ACTIVITY_LIST_COLUMNS)
    rows += _table_changes("recipients", old.recipients, new.recipients, "recipient_id", RECIPIENT_LIST_COLUMNS)
    return _object_frame(rows, REGISTER_CHANGE_COLUMNS)


def _set_key(mapping: dict[str, Any], key: str, value: Any, remove: bool) -> None:
    """Set (or remove) a dotted key of :func:`_mapping_changes` in a nested mapping."""
    node = mapping
    rest = key
    while rest not in node and "." in rest:
        head, tail = rest.split(".", 1)
        child = node.get(head)
        if not isinstance(child, dict):
            break
        node, rest = child, tail
    if remove:
        node.pop(rest, None)
    else:
        node[rest] = value


def apply_register_diff(old: Any, diff: pd.DataFrame) -> Any:
    """Apply a :func:`diff_registers` result to the old register; returns the new register.

    The result equals the new register up to the order of rows (kept rows stay in the old
    order, added rows follow in the new order) and of entries in list cells.

    Example:
        >>> import ropa
        >>> reg = ropa.load_register("registers/pro-at")
        >>> apply_register_diff(reg, ropa.diff_registers(reg, reg)).activities.equals(reg.activities)
        True
    """
    import copy

    from ..register.model import Register

    org = copy.deepcopy(dict(old.organisation or {}))
    tables = {"activities": (old.activities, "activity_id"), "recipients": (old.recipients, "recipient_id")}
    records: dict[str, dict[str, dict[str, Any]]] = {}
    added: dict[str, list[dict[str, Any]]] = {"activities": [], "recipients": []}
    for t, (frame, id_col) in tables.items():
        records[t] = {k: dict(v) for k, v in _keyed(frame, id_col).items()}
    for rec in diff.to_dict("records"):
        table, kind = rec["table"], rec["kind"]
        if table == "organisation":
            _set_key(org, str(rec["key"]), copy.deepcopy(rec["new"]), kind == "removed")
            continue
        if kind == "removed":
            records[table].pop(rec["key"], None)
        elif kind == "added":
            added[table].append(dict(rec["new"]))
        else:
            target = records[table].get(rec["key"])
            if target is None:
                raise KeyError(f"{table} has no row {rec['key']!r} to change")
            if rec["new"] is None:
                target.pop(rec["field"], None)
            else:
                target[rec["field"]] = copy.deepcopy(rec["new"])
    frames = {}
    for t, (frame, id_col) in tables.items():
        kept = _keyed(frame, id_col)
        labels = dict(zip(kept, frame.index, strict=True))
        rows = list(records[t].values()) + added[t]
        index = [labels[k] for k in records[t]]
        start = max([int(i) for i in frame.index if isinstance(i, int | np.integer)], default=0) + 1
        index += list(range(start, start + len(added[t])))
        columns = list(dict.fromkeys([*frame.columns, *(c for r in rows for c in r)]))
        labels_index = pd.Index(index, name=frame.index.name)
        out = pd.DataFrame({c: pd.Series([r.get(c) for r in rows], index=labels_index, dtype=object)
                            for c in columns}, index=labels_index)
        for c in frame.columns:
            if frame[c].dtype != object and not out[c].map(_is_missing).any():
                out[c] = out[c].astype(frame[c].dtype)
        frames[t] = out
    new = Register(organisation=org, activities=frames["activities"], recipients=frames["recipients"],
                   taxonomy=old.taxonomy, path=None, files={})
    return new


# -- command line -------------------------------------------------------------------------

def run_diff_command(old: str | Path, new: str | Path, *, format: str = "table",
                     output: str | Path | None = None, register: str | Path | None = None) -> int:
    """The body of ``ropa diff OLD NEW``: two policy files or two register folders.

    Writes a table (stdout), JSON or HTML (stdout, or ``output``), or PDF (``output`` only:
    nothing is written where it was not asked for). Returns the exit status.

    Raises:
        UsageError: a policy compared with a register, an unknown format, a register
            option given for a register diff, a PDF without ``output``.
        PolicyLoadError: a policy cannot be read, or its text lies outside its register
            folder (a diff would compare sections without their wording).

    Example:
        >>> from ropa.diff.policies import run_diff_command
        >>> run_diff_command("registers/pro-at", "registers/pro-at", format="json")  # doctest: +SKIP
        0
    """
    from .render import run

    return run(Path(old), Path(new), format=format, output=Path(output) if output else None,
               register=Path(register) if register else None)
