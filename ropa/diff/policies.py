"""What changed between two policy versions, compared by substance.

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
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd

from ..core import durations
from ..core.errors import InputError
from ..core.limits import limit_message, limits
from ..policy.model import section_key
from .controller import controller_names, controller_row
from .entities import FIRST_PARTY, EntityResolver, written_as
from .frames import ASPECTS, CHANGE_COLUMNS, LEVELS, object_frame
from .hollow import fold_hollow_removals
from .promises import fold_written_promises
from .repeats import fold_all
from .sections import sections_in_place
from .statements import (
    ASPECT_FIELDS,
    NATURAL_ASPECT,
    TERM_KIND,
    Named,
    Statement,
    closest_statement,
    consented_before,
    covered_by,
    data_named_anew,
    entity_covered_by,
    named_before,
    pair_statements,
    related_terms,
    same_flow_without_consent,
    same_sentence,
    squash,
    statements_of,
)
from .tables import TableRow, role_change, rows_by_key, table_rows

__all__ = ["controller_names", "diff_policies"]


class _Context:
    def __init__(self, old_st, new_st, resolver, register, texts: tuple[str, str] = ("", ""),
                 in_place: frozenset[tuple[str, str]] = frozenset()):
        self.in_place = in_place  # sections only renumbered (sections.sections_in_place)
        self.resolver = resolver
        self.tax = resolver.taxonomy
        self.old = Named(old_st, resolver)
        self.new = Named(new_st, resolver)
        self.register = register
        self._activity_terms = _activity_terms(register, resolver) if register is not None else []
        self.old_text, self.new_text = (squash(t) for t in texts)  # squashed for finding words in them
        self.old_lines, self.new_lines = (t.splitlines() for t in texts)
        self._raw = "\n".join(texts)  # where a lower-case name's written form is looked up

    def same_words(self, a: Statement, b: Statement) -> bool:
        return same_sentence(a, b, self.old_lines, self.new_lines)

    def swapped(self) -> _Context:
        """The same context with the two versions exchanged."""
        other = copy.copy(self)
        other.old, other.new = self.new, self.old
        other.old_text, other.new_text = self.new_text, self.old_text
        other.old_lines, other.new_lines = self.new_lines, self.old_lines
        return other

    def label(self, attr: str, key: str) -> str:
        if attr == "entities":
            return written_as(self.resolver.label(key), self._raw)
        if attr == "countries":
            return self.tax.country_name(key)
        kind = TERM_KIND.get(attr) or {"legal_bases": "legal_basis", "exceptions": "legal_basis"}.get(attr)
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

    def activities(self, *statements: Statement | None) -> list[str]:
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
    "statement no longer made:", "role narrowed:", "purpose no longer stated for", "narrowed: the sentence",
)


def _row(kind: str, aspect: str, level: str, reasons: Sequence[str], a: Statement | None,
         b: Statement | None, old_value: str = "", new_value: str = "",
         added: Iterable[str] = (), removed: Iterable[str] = (),
         activities: Sequence[str] = (), lines: tuple[int | None, int | None] | None = None) -> dict[str, Any]:
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
        "old_line": lines[0] if lines else (a.line if a else None),
        "new_line": lines[1] if lines else (b.line if b else None),
        "old_quote": a.quote if a else None, "new_quote": b.quote if b else None,
        "old_value": old_value or None, "new_value": new_value or None,
        "added": sorted(set(added)), "removed": sorted(set(removed)), "activities": list(activities),
    }


def _term_changes(ctx: _Context, attr: str, added: set[str], removed: set[str],
                  b: Statement | None, novel_only: bool = False) -> tuple[list[str], list[str], set[str]]:
    """(material reasons, informational reasons, terms named) for terms added to and removed
    from a statement.

    A term added is new (not named by the old version nor covered by a broader non-root
    term), named more specifically, restated, or named in the old text where no statement
    was read (``named_before``); a term removed is gone, only covered by a broader term, or
    still stated elsewhere. ``novel_only`` leaves restated ones out (unpaired statements)."""
    noun = {"entities": "recipient", "data": "data category", "purposes": "purpose",
            "subjects": "data subject", "rights": "right"}[attr]
    old_named = getattr(ctx.old, attr)
    new_named = getattr(ctx.new, attr)

    def cover(term: str, named: set[str]) -> str | None:
        if attr == "entities":
            return term if ctx.resolver.first_party(term) else entity_covered_by(ctx.resolver, term, named)
        return covered_by(ctx.tax, TERM_KIND[attr], term, named)

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
        elif found is not None and attr == "entities" and not negative and (
                kinds := _listed_kinds(ctx, term, found)):
            # the old version listed the kinds of a category and this kind was not among them
            put(True, f"new kind of {noun}:", f"{label} (the old version listed {kinds})")
        elif found is not None:
            put(False, f"{noun} now named specifically:", f"{label} (was {ctx.label(attr, found)})")
        elif attr == "rights":
            put(False, "right added:", label)
        elif negative:
            put(False, f"{noun} now named in a negative statement:", label)
        elif b is not None and named_before(ctx.tax, ctx.old_text, b, attr, term):
            put(False, f"{noun} named in the old text too, where no statement was read:", label)
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


def _promise_scope(ctx: _Context, old: frozenset[str], new: frozenset[str]) -> str | None:
    """``narrowed`` when every data category of ``new`` lies under one of ``old`` and ``old``
    names more, ``widened`` for the reverse, else None (other data, or not comparable)."""
    def within(x: frozenset[str], y: frozenset[str]) -> bool:
        return all(any(t == u or (ctx.tax.known("data_category", [t, u]).all()
                                  and bool(ctx.tax.is_under("data_category", t, u))) for u in y) for t in x)

    if not old or not new or old == new:
        return None
    if within(new, old) and not within(old, new):
        return "narrowed"
    if within(old, new) and not within(new, old):
        return "widened"
    return None


def _listed_kinds(ctx: _Context, term: str, broader: str) -> str:
    """The other kinds of ``broader`` (a recipient category) the old version names, when it
    names any: a list of kinds ("providers of hosting, email, analytics") that ``term`` joins."""
    tax = ctx.tax
    if not (tax.known("recipient", [term])[0] and tax.known("recipient", [broader])[0]):
        return ""
    kinds = sorted(e for e in ctx.old.entities if e not in (term, broader) and tax.known("recipient", [e])[0]
                   and broader in tax.ancestors("recipient", e) and term not in tax.ancestors("recipient", e))
    return ", ".join(ctx.label("entities", k) for k in kinds)


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
    d_old, d_new = durations.days(old), durations.days(new)
    if d_old is not None and d_new is not None:
        if d_new > d_old:
            return [f"retention lengthened from {old} to {new}"], []
        return [], [f"retention shortened from {old} to {new}"]
    return [f"retention changed from {old!r} to {new!r} (cannot tell whether longer)"], []


def _aspect_rows(ctx: _Context, a: Statement, b: Statement) -> list[dict[str, Any]]:
    """One row per aspect in which paired statements differ."""
    rows = []
    acts = ctx.activities(a, b)
    for aspect, attr in ASPECT_FIELDS:
        va, vb = getattr(a, attr), getattr(b, attr)
        if va == vb:
            continue
        material: list[str] = []
        info: list[str] = []
        added: set[str] = set()
        removed: set[str] = set()
        row_aspect = aspect
        if attr == "data" and not a.positive and not b.positive and (scope := _promise_scope(ctx, va, vb)):
            # a promise not to do something now covers less (or more) data than it did
            added, removed = set(vb - va), set(va - vb)
            old_v, new_v = ctx.labels(attr, va), ctx.labels(attr, vb)
            said = f"the promise now covers {new_v} only (was {old_v})"
            if scope == "narrowed":
                material.append(f"negative statement narrowed: {said}")
            else:
                info.append(f"negative statement strengthened: the promise now covers {new_v} (was {old_v})")
            # a promise about a use ("we don't use your data for ads") limits a purpose
            row_aspect = "purpose" if a.purposes | b.purposes else aspect
        elif attr in ("entities", "data", "purposes", "subjects", "rights"):
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
        if (attr in ("purposes", "subjects") or (attr == "data" and not material)) and ctx.same_words(a, b):
            continue  # the sentence is word for word the same: the difference was read from its neighbours
        level = "material" if material else "informational"
        rows.append(_row("changed", row_aspect, level, material + info, a, b, old_v, new_v,
                         added, removed, acts))
    return rows


def _lone_rows(ctx: _Context, s: Statement, kind: str) -> list[dict[str, Any]]:
    """A statement with no counterpart: which of its terms are new (or gone), and why it
    matters. The organisation's own collection and use gives one row per aspect in which it
    brings something of substance the other version lacks (a new data category and a new
    purpose are two changes), the rest of what it says in the first of them; a disclosure
    (or retention) gives one row. Which aspects get a row is decided as if the
    statement were added, so both directions give the same rows: what an added statement
    brings, the same statement removed takes away."""
    added = kind == "added"
    groups = _lone_groups(ctx, s, added)
    perspective = groups if added else _lone_groups(ctx.swapped(), s, True)
    split = list(dict.fromkeys(aspect for aspect, m, i, _ in perspective
                               if m or any(r.startswith(_FAVOURABLE) for r in i)))
    natural = NATURAL_ASPECT.get(s.family, "recipient")
    if s.family == "retain":
        split = [natural]  # a period of retention with the data it keeps is one change
    elif s.family != "first_party":
        split = split[:1]  # a recipient with what it receives is one change
    value = _describe(ctx, s)
    if not groups:
        groups = [(natural, [], [f"{'new statement' if added else 'statement no longer made'}: {value}"], [])]
    own = {aspect: (list(m), list(i), list(t)) for aspect, m, i, t in groups if aspect in split}
    rest = [g for g in groups if g[0] not in own]
    order = split or [natural]
    rows_of = {a: own.get(a, ([], [], [])) for a in order}
    first = rows_of[order[0]]
    for _, m, i, t in rest:
        first[0].extend(m)
        first[1].extend(i)
        first[2].extend(t)
    out = []
    for aspect in order:
        m, i, terms = rows_of[aspect]
        if not m and not i:
            i = [f"{'new statement' if added else 'statement no longer made'}: {value}"]
        out.append(_row(kind, aspect, "material" if m else "informational", m + i,
                        None if added else s, s if added else None, "" if added else value,
                        value if added else "", terms if added else (), () if added else terms,
                        ctx.activities(s)))
    return out


def _lone_groups(ctx: _Context, s: Statement,
                 added: bool) -> list[tuple[str, list[str], list[str], list[str]]]:
    """(aspect, material reasons, informational reasons, terms) for each aspect in which a
    statement with no counterpart differs from the other version."""
    other = ctx.old if added else ctx.new
    groups: list[tuple[str, list[str], list[str], list[str]]] = []  # aspect, material, info, terms
    natural = NATURAL_ASPECT.get(s.family, "recipient")
    if not s.positive:
        what = _describe(ctx, s)
        # a promise is a change of what it promises: one about a use ("we never use your
        # location for advertising") limits a purpose, as a narrowed one does (_aspect_rows)
        aspect = "purpose" if s.purposes else natural
        if added:
            groups.append((aspect, [], [f"new negative statement ({what})"], []))
        else:
            groups.append((aspect, [f"negative statement withdrawn ({what}): a promise not to do this is gone"],
                           [], []))
    else:
        for aspect, attr in ASPECT_FIELDS:
            m: list[str] = []
            i: list[str] = []
            vals: set[str] = set()
            if attr in ("entities", "data", "purposes", "subjects", "rights"):
                vals = set(getattr(s, attr)) - {FIRST_PARTY}
                if vals:
                    m, i, vals = _term_changes(ctx, attr, vals if added else set(),
                                               set() if added else vals, s if added else None,
                                               novel_only=True)
                named = data_named_anew(ctx.tax, ctx.old_text, s) if attr == "data" and added else {}
                named = {k: v for k, v in named.items() if k not in vals}
                if named:
                    m = [*m, f"new data named within {ctx.labels('data', named)}: {', '.join(named.values())}"]
                    vals = vals | set(named)
                if attr == "purposes" and not (m or i):
                    fresh = _purposes_new_for_data(ctx, s, other.facts)
                    if fresh:
                        text = ", ".join(ctx.label("purposes", p) for p in sorted(fresh))
                        data = ctx.labels("data", s.data)
                        vals = fresh
                        if added:
                            m = [f"new purpose for {data}: {text}"]
                        else:
                            i = [f"purpose no longer stated for {data}: {text}"]
            elif attr == "countries":
                vals = {c for c in ctx.non_eea(s.countries) if c not in other.countries}
                names = [ctx.tax.country_name(c) for c in sorted(vals)]
                if added:
                    m = [f"new third-country transfer: {n}" for n in names]
                else:
                    i = [f"no longer transferred to {n}" for n in names]
            elif attr == "retention" and s.retention:
                vals = {s.retention}
                then = set().union(*(other.retention.get((d, s.purposes), set()) for d in s.data or {""}))
                longest = max(then, key=lambda r: durations.days(r) or -1.0, default="")
                if longest != s.retention:
                    m, i = (_retention_change(ctx, longest, s.retention, s.data) if added
                            else _retention_change(ctx, s.retention, longest, s.data))
            if m or i:
                groups.append((aspect, m, i, sorted(vals)))
        own = ctx.new if added else ctx.old  # (a flow its own version still states without consent stays so)
        if s.consent and same_flow_without_consent(s, other.facts) and not same_flow_without_consent(s, own.facts):
            reason = ("consent requirement dropped: the new version states the same flow without consent"
                      if not added else "now only with consent (the old version stated the same flow without it)")
            # a consent requirement is a change of its own: the flow's other changes may go
            # against the people while this one goes their way
            groups.append(("consent", [] if added else [reason], [reason] if added else [], []))
        elif added and s.consent and not groups and not consented_before(ctx.tax, s, other.facts):
            # "Where you have given your consent: ... iii) to record your call": a processing
            # added to those done on consent, of data the other version names elsewhere, is a
            # change of what the reader is asked to agree to (dropped, its row says the
            # statement is no longer made)
            groups.append(("consent", [f"new processing on consent ({_describe(ctx, s)})"], [], []))
    return groups


def _purposes_new_for_data(ctx: _Context, s: Statement, facts: frozenset[tuple]) -> set[str]:
    """Purposes a statement gives for data that ``facts`` (the other version's) never use for
    them: the purposes of a new flow. Only for data named specifically (not personal data in
    general) that the other version names (data it never names is a new data category, whose
    purposes are part of that change) and purposes the taxonomy knows.

    For the organisation's own use, a purpose the other version gives only for personal
    data in general ("we process your personal data to improve our services") does not
    already cover each kind of data later named for it: recorded calls used for quality
    assurance are a new use of the calls. (A disclosure's purposes go with its recipient.)"""
    tax = ctx.tax

    def specific(d: str) -> bool:
        return bool(tax.known("data_category", [d])[0]) and tax.depth("data_category", d) >= 1

    flows = [f for f in facts if f[0] == "flow" and f[1] == s.family and f[2] and f[4] and f[5]
             and (specific(f[4]) or s.family != "first_party")]
    known = {f[4] for f in facts if f[0] == "flow" and f[2] and f[4]}
    data = {d for d in s.data if specific(d) and covered_by(tax, "data_category", d, known) is not None}
    if not data or s.family not in ("first_party", "disclose"):
        return set()
    return {p for p in s.purposes if tax.known("data_use", [p])[0]
            and any(not any(related_terms(ctx.tax, "data_category", d, f[4]) and related_terms(ctx.tax, "data_use", p, f[5])
                            for f in flows) for d in data)}


def _describe(ctx: _Context, s: Statement) -> str:
    parts = [s.action.replace("_", " ")]
    for attr, label in (("data", "data"), ("entities", "with"), ("purposes", "for"),
                        ("countries", "in"), ("rights", "rights"), ("retention", "kept")):
        value = getattr(s, attr)
        if attr == "entities":
            value = {e for e in value if e != FIRST_PARTY}
        if attr == "retention":
            if value:
                parts.append(f"kept {value}")
            continue
        if value:
            parts.append(f"{label}: {ctx.labels(attr, value)}")
    if s.consent:
        parts.append("only with consent")
    return "; ".join(parts)


def _alternative_row(a: Statement, b: Statement) -> dict[str, Any] | None:
    """A sentence whose only edit adds (or drops) an alternative ("services you choose to use"
    → "services you choose to use or link to") widens (or narrows) what it states, even where
    no term names the new words: a change of the statement's natural aspect, with the words.
    Only one edit, of an "or" and one to four words, counts: any other rewording is wording."""
    import difflib

    old_w, new_w = a.wording.split(), b.wording.split()
    ops = [op for op in difflib.SequenceMatcher(None, old_w, new_w, autojunk=False).get_opcodes() if op[0] != "equal"]
    if a.quote.endswith("…") or b.quote.endswith("…"):  # a shortened quote ends anywhere
        ops = [op for op in ops if op[2] < len(old_w) and op[4] < len(new_w)]
    if len(ops) != 1 or ops[0][0] not in ("insert", "delete"):
        return None
    tag, i1, i2, j1, j2 = ops[0]
    words = new_w[j1:j2] if tag == "insert" else old_w[i1:i2]
    if not (2 <= len(words) <= 5 and words[0] == "or" and "or" not in words[1:]):
        return None
    before = old_w[max(0, i1 - 3): i1] if tag == "insert" else new_w[max(0, j1 - 3): j1]
    said = f"'{' '.join([*before, *words])}'"
    aspect = NATURAL_ASPECT.get(a.family, "recipient")
    if tag == "insert":
        return _row("changed", aspect, "material", [f"widened: the sentence now also says {said}"], a, b,
                    a.quote, b.quote)
    return _row("changed", aspect, "informational", [f"narrowed: the sentence no longer says {said}"], a, b,
                a.quote, b.quote)


def _wording_row(ctx: _Context, a: Statement, b: Statement, restated: bool = False) -> dict[str, Any] | None:
    reasons = []
    if restated:
        reasons.append("the same facts, stated in other statements (split, merged or repeated)")
    if {n.casefold() for n in a.names} != {n.casefold() for n in b.names} and a.entities == b.entities:
        renamed = [f"{', '.join(sorted(a.names - b.names))} → {', '.join(sorted(b.names - a.names))}"]
        reasons.append(f"the same recipient written differently ({renamed[0]})")
    if a.wording != b.wording:
        reasons.append("reworded")
    if a.section != b.section and (a.section, b.section) not in ctx.in_place:
        reasons.append(f"moved from section {a.section} to {b.section}")
    if not reasons:
        return None
    return _row("changed", "wording", "wording", reasons, a, b, a.quote, b.quote)


def _scope(value: Any) -> dict[str, frozenset[str]]:
    if not isinstance(value, Mapping):
        return {"applies_to": frozenset(controller_names(value))} if value else {}
    return {str(k): frozenset(map(str, v if isinstance(v, list | tuple) else [v]))
            for k, v in value.items() if v not in (None, "", [])}


def _policy_rows(old: Any, new: Any) -> list[dict[str, Any]]:
    rows = []
    if (named := controller_row(old, new)) is not None:
        reasons, o_names, n_names, came, gone, material = named
        rows.append(_row("changed", "controller", "material" if material else "informational", reasons, None,
                         None, "; ".join(o_names), "; ".join(n_names), came, gone))
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


def _relevant_activities(s: Statement, terms: list, resolver: EntityResolver) -> set[str]:
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


def _role_rows(ctx: _Context, o_rows: dict[int, TableRow], n_rows: dict[int, TableRow],
               old_st: Sequence[Statement], new_st: Sequence[Statement]) -> list[dict[str, Any]]:
    """Rows of a recipient table naming the same recipient in both versions whose role
    (service, data, location) says something else: narrowed, widened or changed."""
    by_line_old = {s.line: s for s in reversed(old_st) if s.line is not None}
    by_line_new = {s.line: s for s in reversed(new_st) if s.line is not None}
    olds, news = rows_by_key(o_rows), rows_by_key(n_rows)
    rows = []
    for key in sorted(set(olds) & set(news)):
        for ra, rb in zip(olds[key], news[key], strict=False):
            how = role_change(ra, rb)
            if how is None:
                continue
            label = ctx.resolver.label(key) if ctx.resolver.is_entity(key) else rb.name
            reason = f"role {how}: {label} ('{ra.role}' → '{rb.role}')"
            a, b = by_line_old.get(ra.line), by_line_new.get(rb.line)
            rows.append(_row("changed", "recipient", "informational" if how == "narrowed" else "material",
                             [reason], a, b, ra.role, rb.role, lines=(ra.line, rb.line),
                             activities=ctx.activities(a, b)))
    return rows


def _check_pairs(old: Any, new: Any) -> None:
    """Refuse (``InputError`` naming the new policy's file) a diff that would score more pairs
    of statements than ``max_diff_pairs``: each old statement is compared with each new one."""
    n_old, n_new = len(old.statements), len(new.statements)
    if n_old * n_new > limits().max_diff_pairs:
        where = getattr(new, "path", None) or getattr(old, "path", None)
        raise InputError(limit_message("max_diff_pairs", f"comparing {n_old:,} statements with {n_new:,} "
                                       f"makes {n_old * n_new:,} pairs"), str(where) if where else None)


def _unpaired_rows(ctx: _Context, kind: str, lone: Sequence[Statement],
                   other: Sequence[Statement]) -> list[dict[str, Any]]:
    """Rows for the statements of one side that found no counterpart (``kind``: added, from
    the new side; removed, from the old): a wording change when the other version still
    states all their facts, else an added or removed statement."""
    other_facts = ctx.old.facts if kind == "added" else ctx.new.facts
    rows = []
    for s in lone:
        if s.facts() <= other_facts:
            twin = closest_statement(s, other, ctx.resolver)
            old_s, new_s = (twin, s) if kind == "added" else (s, twin)
            row = _wording_row(ctx, old_s, new_s, restated=True) if twin else None
            if row:
                rows.append(row)
        else:
            rows += _lone_rows(ctx, s, kind)
    return rows


def diff_policies(old: Any, new: Any, register: Any = None) -> pd.DataFrame:
    """What changed between two versions of a privacy policy, statement by statement.

    Statements are paired by what they say, not by id or section; recipients written
    differently (``Github``/``GitHub``, ``DAS Incasso``/``DAS Incasso B.V.``, ``Google
    Adwords``/``Google Ads``) are one recipient. Each row is a change (columns
    :data:`CHANGE_COLUMNS`):

    - ``kind``: added, removed or changed; ``aspect``: what changed (:data:`ASPECTS`);
    - ``level``: material, informational or wording; ``material`` (bool) and ``reason``;
    - ``old_statement``/``new_statement``, ``old_section``/``new_section``,
      ``old_line``/``new_line``, ``old_quote``/``new_quote``: the statements, the lines of
      the texts and the sentences they rest on (a row of a recipient table has its lines
      even where no statement stands on it);
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
    old_st, new_st = statements_of(old, resolver), statements_of(new, resolver)
    ctx = _Context(old_st, new_st, resolver, register,
                   (getattr(old, "text", "") or "", getattr(new, "text", "") or ""), sections_in_place(old, new))
    rows = _policy_rows(old, new)
    o_rows = table_rows(getattr(old, "text", "") or "", resolver)
    n_rows = table_rows(getattr(new, "text", "") or "", resolver)

    def may_pair(a: Statement, b: Statement) -> bool:
        # rows of recipient tables pair only with a row naming the same recipient
        ra, rb = o_rows.get(a.line or -1), n_rows.get(b.line or -1)
        return ra is None or rb is None or ra.key == rb.key

    pairs = pair_statements(old_st, new_st, resolver, may_pair)
    paired_old = {a.pos for a, _ in pairs}
    paired_new = {b.pos for _, b in pairs}
    body = _role_rows(ctx, o_rows, n_rows, old_st, new_st)
    for a, b in pairs:
        if a.substance() == b.substance():
            row = (_alternative_row(a, b) if a.positive and a.family != "inform" else None) or _wording_row(ctx, a, b)
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
    body += _unpaired_rows(ctx, "added", [s for s in new_st if s.pos not in paired_new], old_st)
    body += _unpaired_rows(ctx, "removed", [s for s in old_st if s.pos not in paired_old], new_st)
    body = fold_all(body, new_st, old_st, ctx.tax)  # one change, one row (repeats, promises kept)
    old_by_id = {s.sid: s for s in old_st}
    new_text = getattr(new, "text", "") or ""
    fold_written_promises(body, old_by_id, {s.sid: s for s in new_st}, new_text, getattr(old, "text", "") or "")
    fold_hollow_removals(body, old_by_id, new_st, ctx.tax, new_text)
    level_rank = {lvl: i for i, lvl in enumerate(LEVELS)}
    aspect_rank = {a: i for i, a in enumerate(ASPECTS)}
    body.sort(key=lambda r: (section_key(r["new_section"] or r["old_section"]), level_rank[r["level"]],
                             aspect_rank.get(r["aspect"], 99), r["kind"],
                             r["new_statement"] or "", r["old_statement"] or ""))
    return object_frame(rows + body, CHANGE_COLUMNS, {"material": bool})

