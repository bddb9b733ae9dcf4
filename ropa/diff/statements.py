"""Statements as substance: each statement reduced to who acts, the action's family and
the terms it names (:class:`Statement`), the facts it asserts, what a version names as a
whole (:class:`Named`), and old and new statements paired by substance, never by id or
section number.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ..core import durations
from ..policy.lexicon import lexicon_for
from .entities import FIRST_PARTY, EntityResolver
from .passages import pair_passages, wording_key

__all__ = [
    "ASPECT_FIELDS",
    "NATURAL_ASPECT",
    "TERM_KIND",
    "Named",
    "Statement",
    "closest_statement",
    "consented_before",
    "covered_by",
    "data_named_anew",
    "entity_covered_by",
    "named_before",
    "pair_statements",
    "related_terms",
    "same_flow_without_consent",
    "same_sentence",
    "squash",
    "statements_of",
    "wording_key",
]


_FLOW_FAMILY = {"collect": "first_party", "use": "first_party", "share": "disclose",
                "transfer": "disclose", "track": "track", "retain": "retain", "inform": "inform",
                "not_collect": "first_party", "not_share": "disclose"}

_NEGATIVE = frozenset({"not_collect", "not_share"})

def _norm_retention(value: Any) -> str:
    text = str(value or "").strip()
    if durations.days(text) is not None:
        return text.upper()
    return wording_key(text)


@dataclass(frozen=True)
class Statement:
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
    line: int | None = None

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


ASPECT_FIELDS: tuple[tuple[str, str], ...] = (
    ("recipient", "entities"), ("transfer", "countries"), ("data_category", "data"),
    ("purpose", "purposes"), ("data_subject", "subjects"), ("legal_basis", "legal_bases"),
    ("retention", "retention"), ("right", "rights"), ("consent", "consent"),
    ("exception", "exceptions"),
)

_FIELD_OF = dict(ASPECT_FIELDS)

NATURAL_ASPECT = {"first_party": "data_category", "disclose": "recipient", "track": "recipient",
                   "retain": "retention", "inform": "right"}

TERM_KIND = {"data": "data_category", "purposes": "data_use", "subjects": "data_subject",
            "rights": "right"}


def _written(raw: Any, resolver: EntityResolver) -> str:
    """How a statement wrote a recipient, for the reader: keys become names, names stay."""
    raw = str(raw).strip()
    resolved = resolver.resolve(raw)
    return resolver.label(resolved) if raw == resolved or raw.startswith("vendor:") else raw


def statements_of(policy: Any, resolver: EntityResolver) -> list[Statement]:
    frame = policy.statements
    out = []
    for pos, rec in enumerate(frame.to_dict("records")):
        action = str(rec.get("action") or "")
        actor = resolver.resolve(rec.get("actor") or FIRST_PARTY)
        recipients = {resolver.resolve(r) for r in rec.get("recipients") or [] if str(r).strip()}
        entities = {e for e in recipients | {actor} if e != FIRST_PARTY}
        out.append(Statement(
            pos=pos, sid=str(rec.get("statement_id") or ""), section=str(rec.get("section") or ""),
            title=str(rec.get("section_title") or ""), quote=str(rec.get("quote") or ""),
            wording=wording_key(rec.get("quote")), action=action,
            family=_FLOW_FAMILY.get(action, action), positive=action not in _NEGATIVE, actor=actor,
            entities=frozenset(entities or {FIRST_PARTY}),
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
                            if str(r).strip() and str(r).strip() != FIRST_PARTY),
            line=_line(rec.get("line")),
        ))
    return out


def _line(value: Any) -> int | None:
    try:
        return int(value) if value is not None and str(value).strip() not in ("", "nan", "None") else None
    except (TypeError, ValueError):
        return None


class Named:
    """What a policy version names anywhere, for telling new terms from restated ones."""

    def __init__(self, statements: Sequence[Statement], resolver: EntityResolver):
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


def covered_by(tax: Any, kind: str, term: str, named: Iterable[str]) -> str | None:
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


def entity_covered_by(resolver: EntityResolver, entity: str, named: Iterable[str]) -> str | None:
    named = set(named)
    if entity in named:
        return entity
    tax = resolver.taxonomy
    covering = [a for a in resolver.ancestors(entity)
                if a in named and tax.known("recipient", [a])[0] and tax.depth("recipient", a) >= 1]
    # the closest category that covers it, whatever order a set gives (the same on every run)
    return min(covering, key=lambda a: (-tax.depth("recipient", a), a)) if covering else None


def related_terms(tax: Any, kind: str | None, a: str, b: str) -> bool:
    """Whether two terms of one kind are the same or one is under the other in the taxonomy.

    Example:
        >>> from ropa.core.taxonomy import default_taxonomy
        >>> tax = default_taxonomy()
        >>> related_terms(tax, "data_category", "user.contact", "user.contact.email")
        True
        >>> related_terms(tax, "data_category", "user.contact.email", "user.name")
        False
    """
    if a == b:
        return True
    if kind is None or not tax.known(kind, [a])[0] or not tax.known(kind, [b])[0]:
        return False
    return bool(tax.is_under(kind, a, b) or tax.is_under(kind, b, a))


def same_flow_without_consent(s: Statement, facts: frozenset[tuple]) -> bool:
    """Whether ``facts`` (the other version's) state a flow of this consent-only statement
    without consent."""
    flows = {f[1:6] for f in s.facts() if f[0] == "flow"}
    return any(g[0] == "flow" and not g[6] and g[1:6] in flows for g in facts)


def consented_before(tax: Any, s: Statement, facts: frozenset[tuple]) -> bool:
    """Whether ``facts`` (the other version's) state a flow of this statement's kind on
    consent for data it names (or any of its data's kin; consent to the use of personal data
    in general for marketing is no consent to having one's calls recorded)."""
    return any(f[0] == "flow" and f[1] == s.family and f[2] and f[6] and f[4] not in ("", "user")
               and any(related_terms(tax, "data_category", d, f[4]) for d in s.data or {""})
               for f in facts)


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
            elif related_terms(tax, kind, x, y):
                return 0.5
        return 0.0

    total = sum(best(x, b) for x in a) + sum(best(y, a) for y in b)
    return total / (len(a) + len(b))


_WEIGHTS = {"entities": 3.0, "data": 3.0, "purposes": 2.0, "subjects": 1.0, "countries": 1.0,
            "legal_bases": 1.0, "retention": 1.0, "exceptions": 1.0, "rights": 3.0, "consent": 0.5}


def _substance_score(a: Statement, b: Statement, resolver: EntityResolver) -> float:
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
            sim = _soft_overlap(tax, TERM_KIND.get(attr), va, vb)
        num += weight * sim
        den += weight
    return num / den if den else 1.0


#: Families that both say data goes to another party: one sentence read once as tracking
#: (a social network named as an example becomes its pixel) and once as a disclosure.
_TO_OTHERS = frozenset({"track", "disclose"})


def _passage_score(a: Statement, b: Statement, resolver: EntityResolver) -> float:
    """Substance score of two statements read from one sentence, before and after it was
    reworded: as :func:`_substance_score`, but a tracking and a disclosure statement of the same
    polarity are compared as one kind of flow (data going to another party), so that the
    sentence's one change (the parties it names) is not told as a flow dropped and another added."""
    if a.family != b.family and {a.family, b.family} == _TO_OTHERS:
        b = dataclasses.replace(b, family=a.family)
    return _substance_score(a, b, resolver)


def _quote_similarity(a: Statement, b: Statement) -> float:
    from rapidfuzz import fuzz

    if a.wording == b.wording:
        return 1.0
    return fuzz.token_set_ratio(a.wording, b.wording) / 100.0


def pair_statements(old: Sequence[Statement], new: Sequence[Statement],
          resolver: EntityResolver,
          may_pair: Callable[[Statement, Statement], bool] | None = None) -> list[tuple[Statement, Statement]]:
    """Pair old and new statements by substance (then wording), greedily, symmetrically;
    ``may_pair`` (old, new) rules pairs out (rows of a table that name other recipients)."""
    pairs: list[tuple[Statement, Statement]] = []
    used_old: set[int] = set()
    used_new: set[int] = set()
    allowed = may_pair or (lambda a, b: True)
    # Statements on one sentence, moved or reworded, pair first: what a reworded sentence
    # states is compared with what it stated before (see :mod:`ropa.diff.passages`).
    by_old: dict[str, list[Statement]] = {}
    by_new: dict[str, list[Statement]] = {}
    for s in old:
        by_old.setdefault(s.wording, []).append(s)
    for s in new:
        by_new.setdefault(s.wording, []).append(s)
    qo, qn = [q for q in by_old if q], [q for q in by_new if q]
    for i, j, _ in pair_passages(qo, qn):
        scored = [(_passage_score(a, b, resolver), a, b) for a in by_old[qo[i]] for b in by_new[qn[j]]
                  if allowed(a, b)]
        pairs += _greedy([t for t in scored if t[0] > 0], used_old, used_new)
    # Statements whose substance is identical pair first (by wording within a group).
    groups: dict[tuple, tuple[list[Statement], list[Statement]]] = {}
    for s in old:
        groups.setdefault(s.substance(), ([], []))[0].append(s)
    for s in new:
        groups.setdefault(s.substance(), ([], []))[1].append(s)
    for olds, news in groups.values():
        olds = [s for s in olds if s.pos not in used_old]
        news = [s for s in news if s.pos not in used_new]
        if olds and news:
            scored = [(_quote_similarity(a, b) + (a.section == b.section) * 0.01, a, b)
                      for a in olds for b in news if allowed(a, b)]
            pairs += _greedy(scored, used_old, used_new)
    rest_old = [s for s in old if s.pos not in used_old]
    rest_new = [s for s in new if s.pos not in used_new]
    scored = []
    for a in rest_old:
        for b in rest_new:
            if not allowed(a, b):
                continue
            sub = _substance_score(a, b, resolver)
            if sub <= 0:
                continue
            quote = _quote_similarity(a, b)
            if sub >= 0.5 or (quote >= 0.85 and sub >= 0.25):
                scored.append((0.75 * sub + 0.25 * quote, a, b))
    pairs += _greedy(scored, used_old, used_new)
    return pairs


def _greedy(scored: list[tuple[float, Statement, Statement]], used_old: set[int],
            used_new: set[int]) -> list[tuple[Statement, Statement]]:
    scored.sort(key=lambda t: (-round(t[0], 9), *sorted((t[1].identity(), t[2].identity()))))
    out = []
    for _, a, b in scored:
        if a.pos in used_old or b.pos in used_new:
            continue
        used_old.add(a.pos)
        used_new.add(b.pos)
        out.append((a, b))
    return out


def closest_statement(s: Statement, candidates: Sequence[Statement], resolver: EntityResolver) -> Statement | None:
    best = None
    best_key: tuple | None = None
    for c in candidates:
        score = _substance_score(s, c, resolver) + 0.1 * _quote_similarity(s, c)
        key = (-round(score, 9), c.identity())
        if best_key is None or key < best_key:
            best, best_key = c, key
    return best


_DETERMINERS = frozenset({"your", "the", "a", "an", "our", "their", "his", "her", "its"})


def same_sentence(a: Statement, b: Statement, old_lines: Sequence[str], new_lines: Sequence[str]) -> bool:
    """Whether an old and a new statement stand on the same sentence, word for word. A long
    sentence's quote is cut short, so then its line in each text must be the same too
    (``old_lines`` and ``new_lines`` are the two texts' lines)."""
    if not a.quote or squash(a.quote) != squash(b.quote):
        return False
    if not a.quote.endswith("…"):
        return True
    at = lambda lines, n: squash(lines[n - 1]) if n and 0 < n <= len(lines) else None  # noqa: E731
    return at(old_lines, a.line) is not None and at(old_lines, a.line) == at(new_lines, b.line)


def squash(text: str) -> str:
    """Text reduced for finding a phrase in it whatever its case, spacing and hyphens.

    Example:
        >>> squash("E-mail  Address") == squash("email address")
        True
    """
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def data_named_anew(tax: Any, old_text: str, s: Statement) -> dict[str, str]:
    """Data a new statement of our own collecting or use names in words the old text never
    used, under a category the old version already states ("session replays", "recordings of your calls" where the old text
    spoke of behaviour and messages): {category: the words}. A new kind of data is a change a
    reader must hear of even when its category is not new; words the old text used anywhere
    (moved or reworded sentences) are not. ``old_text`` is the old version's text, squashed
    (:func:`squash`); ``tax`` the taxonomy whose vocabulary finds the words."""
    if not old_text or not s.quote or s.family != "first_party" or s.retention:
        return {}  # what is kept how long, or given to whom, is reported as such
    out: dict[str, list[str]] = {}
    for m in lexicon_for(tax).find("data_category", s.quote):
        word = _singular(squash(m.phrase))
        words = m.phrase.split()
        if len(words) > 1 and words[1].casefold() in _DETERMINERS:
            continue  # "record your call": a doing, not a kind of data
        if m.key in s.data and m.key != "user" and len(word) >= 6 and word not in old_text:
            out.setdefault(m.key, []).append(m.phrase.strip())
    return {k: ", ".join(dict.fromkeys(v)) for k, v in out.items()}


def _singular(word: str) -> str:
    """A squashed phrase's singular, which is what the other text may hold ("IP addresses",
    "session replays", "search engines")."""
    return word[:-2] if word.endswith(("sses", "ches", "shes", "xes")) else word[:-1] if word.endswith("s") else word


#: The lexicon kind of each statement field whose terms a text names in words.
_WORD_KIND = {"entities": "recipient", "data": "data_category", "subjects": "data_subject"}


def named_before(tax: Any, old_text: str, s: Statement, attr: str, key: str) -> bool:
    """Whether the words a new statement names a term in (a recipient, a data category, a
    kind of person) stand in the old version's text too, though no old statement carries
    the term: the old text said it where extraction read no flow ("your profile may appear
    in search engine results"), so the term is not news. ``old_text`` is squashed
    (:func:`squash`). Words of four letters or fewer prove nothing and are not looked up.

    Example:
        >>> from ropa.core.taxonomy import default_taxonomy
        >>> from ropa.policy.extract import extract
        >>> s = statements_of(extract("We share your public profile with search engines."), EntityResolver(None))[0]
        >>> tax, key = default_taxonomy(), "third_party.search_engine"
        >>> named_before(tax, squash("Your profile may appear in search engine results."), s, "entities", key)
        True
        >>> named_before(tax, squash("We never show profiles to anyone."), s, "entities", key)
        False
    """
    kind = _WORD_KIND.get(attr)
    if kind is None or not old_text or not s.quote:
        return False
    words = {_singular(squash(m.phrase)) for m in lexicon_for(tax).find(kind, s.quote) if m.key == key}
    return any(len(w) > 4 and w in old_text for w in words)

