"""A policy's flow-bearing statements as the arrays the classification reads.

Each statement's terms per dimension (data, entities, what it promises, purposes, subjects),
the exception bits that lift a negation, taxonomy distances between two sets of terms
(each distinct term looked up once), which disclosures each negation contradicts, and which
data subjects fall outside the policy's ``meta.scope``.

Example:
    >>> import ropa
    >>> from ropa.checks.statements import policy_statements
    >>> st = policy_statements(ropa.load_policy("registers/pro-at/policies/2018-05-24.flows.yaml"))
    >>> len(st.data) == len(st.frame)
    True
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from itertools import chain
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..core.words import fold, word_table
from ..policy.model import ACTIONS, NEGATIVE_ACTIONS
from .flows import EXCEPTION_BITS

if TYPE_CHECKING:
    from ..core.taxonomy import Taxonomy
    from ..policy.model import Policy

__all__ = ["FLOW_ACTIONS", "POSITIVE_ACTIONS", "REACH", "Statements", "Terms", "contradictions", "negation_reach",
           "outside_scope", "pairwise", "policy_statements", "presents_processors", "reach_reading", "vagueness_of"]

#: The actions that disclose a flow (collect, use, share, transfer, track, retain).
POSITIVE_ACTIONS: tuple[str, ...] = tuple(a for a in ACTIONS if a not in NEGATIVE_ACTIONS and a != "inform")
#: The actions that bear a flow: the disclosures and the negations (``inform`` bears none).
FLOW_ACTIONS: tuple[str, ...] = tuple(a for a in ACTIONS if a != "inform")
_THIRD_PARTY_ACTIONS = frozenset({"share", "transfer", "not_share"})

_DATA_ROOT = "user"
_ROOTS = frozenset({"we", "third_party"})
_NONE = 32767

#: How far a negation reaches (:func:`negation_reach`), as codes into this tuple:
#: ``third_parties`` (not processors), ``anyone`` (processors too, unless the policy names
#: them in a disclosure), ``processors`` (every recipient), ``sale`` (no recorded flow).
REACH: tuple[str, ...] = ("third_parties", "anyone", "processors", "sale")


@dataclass
class Statements:
    """The flow-bearing statements of a policy, one list of terms per statement and dimension."""

    frame: pd.DataFrame          # flow-bearing statements, positional
    positive: np.ndarray         # bool per statement
    data: list[list[str]]
    entities: list[list[str]]    # who the statement covers flows to (its actor too, if positive)
    promised: list[list[str]]    # who it says receives the data (the reverse direction)
    purposes: list[list[str]]
    subjects: list[list[str]]
    exceptions: np.ndarray       # per statement: exception bits that lift it (negations)
    covers: list[list[str]]      # the data terms that cover a flow (``user`` only where tied)
    reach: np.ndarray            # per statement: code into REACH (negations; else processors)
    reach_words: list[str]       # the words that decided the reach ('' for the default)
    as_processor: np.ndarray     # per statement: its sentence or section presents processors


def _phrase_pattern(words: list[str]) -> re.Pattern[str]:
    alts = sorted({re.escape(fold(w)) for w in words}, key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(alts) + r")(?![\w-])")


@functools.cache
def _reach_patterns() -> dict[str, re.Pattern[str]]:
    return {k: _phrase_pattern(list(v)) for k, v in word_table("negation_reach").items()}


def negation_reach(quote: str, action: str = "not_share") -> tuple[str, str]:
    """How far a negation reaches, read from its words (``negation_reach`` in words.yml),
    and the words that decided it.

    A negation about sharing constrains third parties deciding their own purposes, not the
    processors acting on the controller's behalf (Art 28), unless it names them or speaks of
    anyone at all; one that denies only selling or renting speaks of no flow a register
    records. Other negations (not_collect) reach every recipient.

    Example:
        >>> negation_reach("Wire does not rent or sell your data to third parties.")
        ('sale', 'rent')
        >>> negation_reach("We do NOT share personal data with anyone unless you consent.")
        ('anyone', 'anyone')
        >>> negation_reach("We never pass your data to service providers.")
        ('processors', 'service providers')
        >>> negation_reach("We share nothing with third parties, except our service providers.")
        ('third_parties', '')
    """
    if action != "not_share":
        return "processors", ""
    text = fold(quote)
    pat = _reach_patterns()
    exception = pat["exceptions"].search(text)
    cut = exception.start() if exception else len(text)
    hit = pat["processors"].search(text, 0, cut)
    if hit:
        return "processors", hit.group(0)
    hit = pat["anyone"].search(text, 0, cut)
    if hit:
        return "anyone", hit.group(0)
    sale = pat["sale"].search(text)
    if sale and not pat["sharing"].search(text):
        return "sale", sale.group(0)
    return "third_parties", ""


def presents_processors(text: str) -> bool:
    """Whether a disclosure's words present its recipients as processors acting on the
    controller's behalf (a table of service providers, "hosts for us on our behalf").

    Example:
        >>> presents_processors("Our service providers, who process data on our behalf:")
        True
        >>> presents_processors("We share your order with the publisher.")
        False
    """
    told = fold(text)
    pat = _reach_patterns()
    return bool(pat["processors"].search(told) or pat["on_behalf"].search(told))


def reach_reading(code: int, words: str = "") -> str:
    """The reading of a negation's reach, as a finding states it.

    Example:
        >>> reach_reading(REACH.index("third_parties"))
        'read as about third parties deciding their own purposes, not processors acting on our behalf (Art 28)'
    """
    said = f" (it says '{words}')" if words else ""
    return {
        "third_parties": "read as about third parties deciding their own purposes, not processors "
                         "acting on our behalf (Art 28)",
        "anyone": f"read as reaching every recipient{said}, except processors a disclosure presents "
                  "as acting on our behalf (Art 28)",
        "processors": f"read as reaching every recipient, processors included{said}",
        "sale": f"read as denying a sale or rent only{said}; the register does not record a flow as a sale",
    }[REACH[code]]


def policy_statements(policy: Policy) -> Statements:
    """The policy's flow-bearing statements (in policy order) and their terms."""
    st = policy.statements
    st = st[st["action"].isin(FLOW_ACTIONS)].reset_index(drop=True)
    data, ents, promised, purps, subjs, exc, covers, reach, words = [], [], [], [], [], [], [], [], []
    as_proc: list[bool] = []
    for rec in st.to_dict("records"):
        terms = list(dict.fromkeys(rec["data_categories"] or [])) or [_DATA_ROOT]
        data.append(terms)
        actor = (rec.get("actor") or "").strip() or "we"
        said = list(dict.fromkeys(rec["recipients"] or []))
        if not said:
            said = ["third_party"] if rec["action"] in _THIRD_PARTY_ACTIONS and actor == "we" else [actor]
        promised.append(said)
        purposes = list(dict.fromkeys(rec["purposes"] or []))
        named = [e for e in said if e not in _ROOTS and e != actor]
        positive = rec["action"] in POSITIVE_ACTIONS
        # "personal data" in general covers only vaguely, and only the purposes and named
        # recipients the statement gives: without either it covers nothing
        cover = terms
        if positive and _DATA_ROOT in terms and not (purposes or named):
            cover = [t for t in terms if t != _DATA_ROOT]
        covers.append(cover)
        # a disclosure also tells what its actor does (we track with Google Analytics: we get
        # the figures; we share invoices with the collection agency: we use them for that),
        # unless it speaks of personal data in general for named recipients and no purpose:
        # that is about the recipients alone, not our own collection by unrelated activities
        alone = bool(named) and _DATA_ROOT in cover and not purposes
        ents.append(list(dict.fromkeys([*said, actor])) if positive and not alone else said)
        purps.append(purposes)
        subjs.append(list(dict.fromkeys(rec["data_subjects"] or [])))
        exc.append(sum(EXCEPTION_BITS.get(e, 0) for e in set(rec["exceptions"] or [])))
        how, word = negation_reach(str(rec.get("quote") or ""), rec["action"])
        reach.append(REACH.index(how))
        words.append(word)
        as_proc.append(positive and presents_processors(f"{rec.get('section_title') or ''} {rec.get('quote') or ''}"))
    return Statements(frame=st, positive=st["action"].isin(POSITIVE_ACTIONS).to_numpy(bool),
                       data=data, entities=ents, promised=promised, purposes=purps, subjects=subjs,
                       exceptions=np.asarray(exc, dtype=np.int64), covers=covers,
                       reach=np.asarray(reach, dtype=np.int8), reach_words=words,
                       as_processor=np.asarray(as_proc, dtype=bool))


def pairwise(tax: Taxonomy, kind: str, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """Distances from every ``x`` up to every ``y`` (-1 where not under), as an |x|×|y| array.

    Each distinct ``x`` and ``y`` is looked up once (Taxonomy.distance), then broadcast.
    """
    if not len(xs) or not len(ys):
        return np.full((len(xs), len(ys)), -1, dtype=np.int16)
    xi, xu = pd.factorize(np.asarray(xs, dtype=object), use_na_sentinel=False)
    yi, yu = pd.factorize(np.asarray(ys, dtype=object), use_na_sentinel=False)
    xu, yu = np.asarray(xu, dtype=object), np.asarray(yu, dtype=object)
    out = tax.distance(kind, np.repeat(xu, len(yu)), np.tile(yu, len(xu)))
    return np.asarray(out, dtype=np.int16).reshape(len(xu), len(yu))[xi][:, yi]


@dataclass
class Terms:
    """Every statement's terms of one dimension, flattened: term i belongs to ``owner[i]``."""

    terms: np.ndarray
    owner: np.ndarray
    starts: np.ndarray           # first term of each owning statement
    owners: np.ndarray           # the statements that have terms
    n: int                       # statements in all

    @classmethod
    def of(cls, lists: list[list[str]]) -> Terms:
        owner = np.repeat(np.arange(len(lists)), [len(x) for x in lists]).astype(np.int64)
        terms = np.asarray(list(chain.from_iterable(lists)), dtype=object)
        starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]]) if len(owner) else np.zeros(0, np.int64)
        return cls(terms, owner, starts, owner[starts] if len(owner) else owner, len(lists))

    def reduce_min(self, dist: np.ndarray) -> np.ndarray:
        """Per statement, the least non-negative distance over its terms (-1 if none)."""
        out = np.full((dist.shape[0], self.n), _NONE, dtype=np.int16)
        if len(self.terms) and dist.shape[0]:
            big = np.where(dist >= 0, dist, _NONE).astype(np.int16)
            out[:, self.owners] = np.minimum.reduceat(big, self.starts, axis=1)
        return np.where(out == _NONE, -1, out).astype(np.int16)

    def reduce_any(self, hit: np.ndarray) -> np.ndarray:
        out = np.zeros((hit.shape[0], self.n), dtype=bool)
        if len(self.terms) and hit.shape[0]:
            out[:, self.owners] = np.logical_or.reduceat(hit, self.starts, axis=1)
        return out

    def closest_depth(self, dist: np.ndarray, best: np.ndarray, depth: np.ndarray) -> np.ndarray:
        """Per statement, the depth of its closest term (the deepest among equally close ones,
        the least vague); -1 where no term is over the value."""
        out = np.full((dist.shape[0], self.n), -1, dtype=np.int16)
        if not len(self.terms) or not dist.shape[0]:
            return out
        at_best = (dist >= 0) & (dist == best[:, self.owner])
        masked = np.where(at_best, depth.astype(np.int16)[None, :], -1).astype(np.int16)
        out[:, self.owners] = np.maximum.reduceat(masked, self.starts, axis=1)
        return out


def vagueness_of(dist: np.ndarray, depth: np.ndarray) -> np.ndarray:
    """PoliCheck's normalised vagueness, d / (d + depth of the statement's term); NaN where the
    statement does not cover the value."""
    d = dist.astype(np.float32)
    denom = d + depth.astype(np.float32)
    v = np.divide(d, denom, out=np.zeros_like(d), where=denom > 0)
    return np.where(dist >= 0, v, np.nan).astype(np.float32)


def outside_scope(tax: Taxonomy, policy: Policy, subjects: np.ndarray) -> np.ndarray:
    """Per subject value (+ missing): outside the policy's meta.scope."""
    scope = (policy.meta or {}).get("scope") or {}
    applies = [s for s in (scope.get("applies_to") or []) if s]
    excludes = [s for s in (scope.get("excludes") or []) if s]
    vals = np.append(np.asarray(subjects, dtype=object), None)
    out = np.zeros(len(vals), dtype=bool)
    if applies:
        inside = (pairwise(tax, "data_subject", vals, np.asarray(applies, dtype=object)) >= 0).any(axis=1)
        out |= ~inside
    if excludes:
        out |= (pairwise(tax, "data_subject", vals, np.asarray(excludes, dtype=object)) >= 0).any(axis=1)
    out[-1] = False  # a missing subject is kept in scope, so the gap is seen
    return out


def contradictions(tax: Taxonomy, st: Statements) -> dict[int, np.ndarray]:
    """For each negation, the positive statements it contradicts: all but those it narrows
    (its data and entities under the disclosure's, and narrower in at least one)."""
    S = len(st.frame)

    def sub(kind: str, lists: list[list[str]]) -> np.ndarray:
        # sub[a, b]: every term of a lies under some term of b
        t = Terms.of(lists)
        under = pairwise(tax, kind, t.terms, t.terms) >= 0
        if kind == "recipient":
            under |= t.terms[:, None] == t.terms[None, :]
        any_b = t.reduce_any(under)                       # terms × statements
        out = np.ones((S, S), dtype=bool)
        if len(t.terms):
            out[t.owners] = np.logical_and.reduceat(any_b, t.starts, axis=0)
        return out

    sd, se = sub("data_category", st.data), sub("recipient", st.promised)
    within = sd & se                                      # within[a, b]: a is under b
    out = {}
    for n in np.flatnonzero(~st.positive):
        narrows = within[n, :] & ~within[:, n]
        out[int(n)] = st.positive & ~narrows
    return out
