"""The register against the policy: every data flow classified, both ways (PoliCheck, PurPliance).

The flows are those of :mod:`ropa.checks.flows`: activity × data category × data subject ×
purpose × recipient, the flows to ``we`` included; retired activities have none.

Each flow is classified against the flow-bearing statements of one policy version
(collect, use, share, transfer, track, retain; and the negations not_collect, not_share;
``inform`` statements carry no flow):

- A statement *covers* a flow when the flow's data category is equal to or under one of the
  statement's (a statement without data speaks of personal data in general, ``user``); the
  flow's recipient is equal to or under one of the statement's entities (a named recipient
  also counts as equal when the statement names its category); the flow's purpose is under
  one of the statement's purposes, and its data subject under one of the statement's subjects.
- The statement's entities are its ``recipients``; without them, ``share``/``transfer``/
  ``not_share`` speak of third parties in general, the other actions of the actor (``we``
  when none is given). A disclosure also speaks for its actor ("we share invoices with the
  collection agency" tells that we use them for that; "we track visits with Google Analytics"
  that we get the figures); a negation does not ("we do not share" says nothing of what we
  collect). ``we`` and ``third_party`` are separate roots, so a statement about ``we`` never
  covers a flow to a third party, and one about third parties in general covers a named
  vendor only vaguely. The register's first party is one party: a statement about
  ``we.internal`` covers a flow to ``we``.
- **A statement without purposes covers every purpose** (and one without subjects every
  subject): it restricts nothing, so it discloses the flow whatever it is for. Purposes and
  subjects are filters (PurPliance: a statement about billing does not cover marketing); how
  clear a disclosure is is decided by data and recipient alone, as in PoliCheck.
- A negation stops counting for a flow that meets one of its exceptions: ``consent`` when the
  activity's lawful basis includes art6_1_a; ``legal_obligation`` when it includes art6_1_c,
  or when the recipient is a public authority and the purpose is a legal-obligation purpose;
  ``contract`` for art6_1_b; ``vital_interests`` for art6_1_d.

Classes: ``clear`` (a positive statement covers it with the same data category and recipient,
or the recipient's own category), ``vague`` (covered only through broader terms), ``omitted``
(nothing covers it), ``incorrect`` (only counting negations cover it, or every covering
negation is narrower than every covering disclosure: a stated exception to it, in PolicyLint's
sense), ``ambiguous`` (a disclosure and a negation at least as broad both cover it), and
``out_of_scope`` (a processor activity, which the controller's notice covers; or a data subject
outside the policy's ``meta.scope``).

The other direction: a disclosure is *recorded* when some flow of a live activity relates to
it on every dimension (its data, the recipients it names, its purposes and subjects where it
gives them, each equal, under or above the flow's); one that no flow relates to is a finding.

The computation never loops over flows. Flows are integer codes; coverage is decided once per
distinct value of each dimension against every statement (Taxonomy.distance), packed into
bitsets of statements, and combined over the distinct (data, recipient, purpose, subject,
lawful-basis) combinations, then broadcast back to the flows as categoricals. The policy's
side is in :mod:`ropa.checks.statements`, the bitset arithmetic in :mod:`ropa.checks.bitsets`,
and the findings drawn from the classification in :mod:`ropa.checks.consistency_findings`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..policy.model import EXCEPTION_KEYS
from .bitsets import first_bit, group_ids, pack_bits, pair_ids, unpack_bits
from .flows import EXCEPTION_BITS, FlowCodes, as_categorical, build_flows, flow_frame
from .statements import (
    REACH,
    Statements,
    Terms,
    contradictions,
    outside_scope,
    pairwise,
    policy_statements,
    reach_reading,
    vagueness_of,
)

if TYPE_CHECKING:
    from ..policy.model import Policy
    from ..register.model import Register

__all__ = ["CLASSES", "CONSISTENCY_COLUMNS", "Classification", "PairScores", "classify", "consistency", "exception_words"]

#: The classes of a flow, in the order a pivot shows them.
CLASSES: tuple[str, ...] = ("clear", "vague", "omitted", "incorrect", "ambiguous", "out_of_scope", "unclassified")
_CLEAR, _VAGUE, _OMITTED, _INCORRECT, _AMBIGUOUS, _OUT, _UNCLASSIFIED = range(7)


#: The columns :func:`consistency` adds to the flows.
CONSISTENCY_COLUMNS: tuple[str, ...] = (
    "class", "positive_statements", "negative_statements", "statement_id", "section", "quote",
    "negation_id", "negation_section", "negation_quote", "data_distance", "entity_distance",
    "data_vagueness", "entity_vagueness", "reason",
)

_EXCEPTION_HOW = {"consent": "lawful basis art6_1_a",
                  "explicit_consent": "lawful basis art6_1_a (confirm that the consent asked is explicit)",
                  "legal_obligation": "art6_1_c, or a public authority receiving for a legal obligation",
                  "contract": "lawful basis art6_1_b", "vital_interests": "lawful basis art6_1_d"}

_PROCESSOR_BIT = 1 << len(EXCEPTION_KEYS)

_LEGAL_PURPOSES = ("essential.legal_obligation", "third_party_sharing.legal_obligation")

_PROCESSOR_REASON = "processor activity: the controller's notice covers it"


@dataclass
class Classification:
    """Everything the classification computed, for the flow table and for findings."""

    flows: FlowCodes
    st: Statements
    table: pd.DataFrame
    Dd: np.ndarray               # data values (+ missing row) × statements: distance
    De: np.ndarray               # recipient values (+ missing row) × statements
    P_ok: np.ndarray
    J_ok: np.ndarray
    recorded: np.ndarray         # per statement: some flow relates to it (reverse direction)
    policy: Policy


def classify(register: Register, policy: Policy) -> Classification:
    """Classify every flow of the register against the policy's statements, both ways."""
    tax = register.taxonomy
    f = build_flows(register)
    st = policy_statements(policy)
    S = len(st.frame)

    # Per dimension: distinct values (+ a missing row at the end, reached by code -1).
    data_v = np.append(f.data, None)
    subj_v = np.append(f.subjects, None)
    purp_v = np.append(f.purposes, None)
    rec_v = np.append(f.recipients, None)
    cat_v = np.append(f.rec_category, None)

    dT, eT, pT, jT = (Terms.of(x) for x in (st.covers, st.entities, st.purposes, st.subjects))
    # data: flow under statement (what covers: personal data in general only where tied)
    dd_t = pairwise(tax, "data_category", data_v, dT.terms)
    Dd = dT.reduce_min(dd_t)
    Hd = dT.closest_depth(dd_t, Dd, tax.depth("data_category", dT.terms) if len(dT.terms) else np.zeros(0))
    # the reverse relates what the statement says, all of its data
    aT = Terms.of(st.data)
    rel_d = aT.reduce_any((pairwise(tax, "data_category", data_v, aT.terms) >= 0)
                          | (pairwise(tax, "data_category", aT.terms, data_v).T >= 0))
    # recipients: the named recipient itself, or its category, under the statement's entity
    def entity_distance(terms: np.ndarray) -> np.ndarray:
        d = pairwise(tax, "recipient", cat_v, terms)
        d = np.where(rec_v[:, None] == terms[None, :], 0, d)
        # the register's first party is one party: any first-party term (we, we.internal) is it
        first = tax.is_under("recipient", terms, "we") if len(terms) else np.zeros(0, bool)
        return np.where((rec_v == "we")[:, None] & first[None, :], 0, d).astype(np.int16)

    ee_t = entity_distance(eT.terms)
    De = eT.reduce_min(ee_t)
    He = eT.closest_depth(ee_t, De, tax.depth("recipient", eT.terms) if len(eT.terms) else np.zeros(0))
    # The reverse matches what a statement promises (a sharing statement is recorded by a flow
    # to its recipient, not by our own use), and also relates a narrower promise to a flow whose
    # recipient is a category key (a named recipient has nothing under it, so a sibling vendor
    # never relates).
    rT = Terms.of(st.promised)
    rel_e = rT.reduce_any((entity_distance(rT.terms) >= 0)
                          | (pairwise(tax, "recipient", rT.terms, rec_v).T >= 0))
    # purposes and subjects: filters; a statement without any restricts nothing
    no_p = np.array([not x for x in st.purposes], dtype=bool)
    no_j = np.array([not x for x in st.subjects], dtype=bool)
    pp_t = pairwise(tax, "data_use", purp_v, pT.terms)
    P_ok = pT.reduce_any(pp_t >= 0) | no_p[None, :]
    rel_p = pT.reduce_any((pp_t >= 0) | (pairwise(tax, "data_use", pT.terms, purp_v).T >= 0)) | no_p[None, :]
    jj_t = pairwise(tax, "data_subject", subj_v, jT.terms)
    J_ok = jT.reduce_any(jj_t >= 0) | no_j[None, :]
    rel_j = jT.reduce_any((jj_t >= 0) | (pairwise(tax, "data_subject", jT.terms, subj_v).T >= 0)) | no_j[None, :]
    out_scope = outside_scope(tax, policy, f.subjects)

    # Per-flow exception mask: the activity's lawful bases, a public authority receiving for a
    # legal-obligation purpose, and the processor flag.
    kind_v = np.append(f.rec_kind, "")
    public = tax.is_under("recipient", cat_v, "third_party.public_authority") | (kind_v == "public_authority")
    legal_p = np.zeros(len(purp_v), dtype=bool)
    for key in _LEGAL_PURPOSES:
        legal_p |= tax.is_under("data_use", purp_v, key)
    act_bits = (f.basis_bits | np.where(f.processor, _PROCESSOR_BIT, 0)).astype(np.int8)
    legal_bit = np.int8(EXCEPTION_BITS["legal_obligation"])
    pub_legal = (public.astype(np.int8) * legal_bit)[:, None] * legal_p.astype(np.int8)[None, :]

    # Distinct combinations of (data, recipient, purpose, subject, mask), one int64 key per
    # flow built in place (code -1, a missing value, becomes the last row: n - 1).
    nd, nr, npu, nj = len(data_v), len(rec_v), len(purp_v), len(subj_v)
    key = (f.d % nd).astype(np.int64)
    for codes, size in ((f.r, nr), (f.p, npu), (f.j, nj)):
        key *= size
        key += codes % size
    key *= 2 * _PROCESSOR_BIT
    key += act_bits[f.act] | pub_legal[f.r, f.p]
    inverse, ukey = pd.factorize(key)
    del key
    inverse = inverse.astype(np.int32)
    ukey = np.asarray(ukey, dtype=np.int64)
    cm = (ukey % (2 * _PROCESSOR_BIT)).astype(np.int64)
    rest = ukey // (2 * _PROCESSOR_BIT)
    cj = (rest % nj).astype(np.int32)
    rest //= nj
    cp = (rest % npu).astype(np.int32)
    rest //= npu
    cr = (rest % nr).astype(np.int32)
    cd = (rest // nr).astype(np.int32)
    del rest, ukey
    # (data, recipient) pairs and (purpose, subject) pairs, each dense over the statements.
    dr_inv, dr_key = pair_ids(cd.astype(np.int64) * nr + cr, nd * nr)
    dr_d, dr_r = dr_key // nr, dr_key % nr
    pj_inv, pj_key = pair_ids(cp.astype(np.int64) * nj + cj, npu * nj)
    pj_p, pj_j = pj_key // nj, pj_key % nj

    # The best statement: least data + recipient distance, then least data distance, then the
    # deepest (least vague) data term and recipient term; only then policy order. The key is a
    # small integer, so that ties in it never change the distances or vagueness reported. It is
    # computed per (data, recipient) pair in blocks of rows, so that memory stays bounded by
    # the bitsets, not by pairs x statements.
    scores = PairScores(Dd, De, Hd, He, dr_d, dr_r)
    pj_ok = P_ok[pj_p] & J_ok[pj_j]
    # Disclosures and negations each get their own bit space (negations are few: one word).
    pcols, ncols = np.flatnonzero(st.positive), np.flatnonzero(~st.positive)
    Wp, Wn = max(1, (len(pcols) + 63) // 64), max(1, (len(ncols) + 63) // 64)
    dr_pos, dr_neg, levels = scores.pack(pcols, ncols, Wp, Wn)
    pos = dr_pos[dr_inv] & pack_bits(pj_ok[:, pcols], Wp)[pj_inv]
    neg_all = dr_neg[dr_inv] & pack_bits(pj_ok[:, ncols], Wn)[pj_inv]
    del dr_pos, dr_neg
    # the negations whose reach stops short of the flow's recipient (a processor, or a sale)
    unreached = _unreached(st, ncols, pcols, Wn, Wp, np.append(f.rec_kind, "") == "processor",
                           De, He, pos, neg_all, cr)
    neg_all &= ~unreached
    unreached_first = first_bit(unreached)
    unreached_first = np.where(unreached_first >= 0, ncols[np.maximum(unreached_first, 0)] if len(ncols) else -1, -1)
    del unreached
    # per exception mask: the negations an exception in it lifts
    masks = np.arange(2 * _PROCESSOR_BIT, dtype=np.int64)[:, None]
    lift = pack_bits((st.exceptions[ncols][None, :] & masks) != 0, Wn)[cm]
    neg = neg_all & ~lift
    lifted = neg_all & lift
    del neg_all, lift
    has_pos = (pos != 0).any(axis=1)
    has_neg = (neg != 0).any(axis=1)
    # A negation lifted by its legal-obligation exception tells that the flow happens then ("we
    # do not disclose to public authorities unless the law obliges us"): where it names the
    # recipient's category, or the recipient is a public authority, it discloses the flow, vaguely. Consent is asked for a recipient
    # the notice must still name, so a consent exception discloses nothing.
    excepted = np.full(len(cm), -1, dtype=np.int64)
    if len(ncols):
        legal = (st.exceptions[ncols] & EXCEPTION_BITS["legal_obligation"]) != 0
        # the negation names the recipient's category, or the recipient is a public authority
        # (whom a legal-obligation exception speaks of: "unless the authorities oblige us")
        named_n = (De[:, ncols] >= 0) & ((He[:, ncols] != 0) | public[:, None]) & legal[None, :]
        met_legal = (cm & EXCEPTION_BITS["legal_obligation"]) != 0
        hit = first_bit(lifted & pack_bits(named_n, Wn)[cr]
                        & np.where(met_legal[:, None], ~np.uint64(0), np.uint64(0)))
        excepted = np.where(hit >= 0, ncols[np.maximum(hit, 0)], -1)

    def best(bits: np.ndarray, sel: np.ndarray, cols: np.ndarray, words: int,
             levels: np.ndarray, scores: PairScores) -> np.ndarray:
        """Per combination, the first statement (in ``cols``) at the lowest score level."""
        found = np.full(len(cm), -1, dtype=np.int64)
        todo = np.flatnonzero(sel)
        for level in levels:  # a loop over a few score levels, not over flows
            if not len(todo):
                break
            need = np.zeros(len(dr_key), dtype=bool)  # only the pairs still unresolved
            need[dr_inv[todo]] = True
            rows = np.flatnonzero(need)
            at = np.cumsum(need, dtype=np.int64)[dr_inv[todo]] - 1
            hit = first_bit(scores.tier(rows, cols, level, words)[at] & bits[todo])
            ok = hit >= 0
            found[todo[ok]] = cols[hit[ok]]
            todo = todo[~ok]
        return found

    best_pos = best(pos, has_pos, pcols, Wp, levels[0], scores)
    best_neg = best(neg, has_neg, ncols, Wn, levels[1], scores)
    del scores
    # distances and vagueness from the statement shown: the best disclosure, else the negation
    shown = np.where(best_pos >= 0, best_pos, np.where(best_neg >= 0, best_neg, excepted))
    sh0 = np.maximum(shown, 0)
    if S:
        dd_best = np.where(shown >= 0, Dd[cd, sh0], -1).astype(np.int16)
        de_best = np.where(shown >= 0, De[cr, sh0], -1).astype(np.int16)
        vd_best = np.where(shown >= 0, vagueness_of(dd_best, Hd[cd, sh0]), np.nan).astype(np.float32)
        ve_best = np.where(shown >= 0, vagueness_of(de_best, He[cr, sh0]), np.nan).astype(np.float32)
    else:
        dd_best = de_best = np.full(len(cm), -1, dtype=np.int16)
        vd_best = ve_best = np.full(len(cm), np.nan, dtype=np.float32)
    del sh0
    exact = has_pos & (dd_best == 0) & (de_best == 0)

    # Ambiguous or incorrect where both cover: a negation narrower than the disclosure is an
    # exception to it (PolicyLint), not a contradiction.
    cls = np.full(len(cm), _OMITTED, dtype=np.int8)
    cls[exact] = _CLEAR
    cls[has_pos & ~exact] = _VAGUE
    cls[~has_pos & ~has_neg & (excepted >= 0)] = _VAGUE
    cls[~has_pos & has_neg] = _INCORRECT
    both = np.flatnonzero(has_pos & has_neg)
    if len(both):
        contra = contradictions(tax, st)
        amb = np.zeros(len(both), dtype=bool)
        nb, pb = neg[both], pos[both]
        for k, n in enumerate(ncols):  # a loop over negations, not flows
            rows = np.flatnonzero((nb[:, k >> 6] >> np.uint64(k & 63)) & np.uint64(1))
            if len(rows):
                hit = ((pb[rows] & pack_bits(contra[int(n)][pcols][None, :], Wp)[0]) != 0).any(axis=1)
                amb[rows[hit]] = True
        cls[both] = np.where(amb, _AMBIGUOUS, _INCORRECT)
    scope_out = out_scope[cj]
    proc = (cm & _PROCESSOR_BIT) != 0
    # a flow with a key the taxonomy does not know cannot be classified (the register check
    # reports the key); it is never taken for omitted
    unknown = _unknown_keys(tax, data_v, purp_v, subj_v, rec_v, cat_v)
    unk_codes = tuple(np.where(u[c], c, -1) for u, c in zip(unknown, (cd, cp, cj, cr), strict=True))
    unk = np.logical_or.reduce([c >= 0 for c in unk_codes])
    cls[unk] = _UNCLASSIFIED
    cls[scope_out | proc] = _OUT
    lifted_first = first_bit(lifted)
    lifted_first = np.where(lifted_first >= 0, ncols[np.maximum(lifted_first, 0)] if len(ncols) else -1, -1)

    # Reverse direction: disclosures some flow relates to (data, recipient, purpose, subject).
    rel = (pack_bits((rel_d[dr_d] & rel_e[dr_r])[:, pcols], Wp)[dr_inv]
           & pack_bits((rel_p[pj_p] & rel_j[pj_j])[:, pcols], Wp)[pj_inv])
    recorded = np.zeros(S, dtype=bool)
    if len(rel):
        recorded[pcols] = unpack_bits(np.bitwise_or.reduce(rel, axis=0)[None, :], len(pcols))[0]

    table = flow_frame(f)
    ids = st.frame["statement_id"].astype(str).to_numpy(object)
    patterns = _patterns(pos, ids[pcols]), _patterns(neg, ids[ncols])
    del pos, neg, lifted, rel
    _add_classes(table, inverse, st, cls, *patterns,
                 lifted_first, unreached_first, best_pos, best_neg, shown, dd_best, de_best, vd_best, ve_best,
                 cm, (cj, unk_codes), proc, (data_v, purp_v, subj_v, rec_v))
    return Classification(flows=f, st=st, table=table, Dd=Dd, De=De, P_ok=P_ok, J_ok=J_ok,
                   recorded=recorded, policy=policy)


def _unknown_keys(tax, data_v, purp_v, subj_v, rec_v, cat_v) -> list[np.ndarray]:
    """Per dimension's values (+ missing row): a key the taxonomy does not know (a missing
    value is not unknown: it is a gap the flow shows)."""
    out = []
    for kind, vals in (("data_category", data_v), ("data_use", purp_v), ("data_subject", subj_v)):
        present = np.array([isinstance(v, str) and bool(v) for v in vals], dtype=bool)
        known = tax.known(kind, vals[present]) if present.any() else np.zeros(0, bool)
        bad = np.zeros(len(vals), dtype=bool)
        bad[np.flatnonzero(present)] = ~np.asarray(known, dtype=bool)
        out.append(bad)
    out.append(np.array([isinstance(v, str) and bool(v) for v in rec_v], dtype=bool)
               & np.array([c is None for c in cat_v], dtype=bool))
    return out


def _unreached(st: Statements, ncols: np.ndarray, pcols: np.ndarray, wn: int, wp: int,
               processor: np.ndarray, De: np.ndarray, He: np.ndarray, pos: np.ndarray,
               neg: np.ndarray, cr: np.ndarray) -> np.ndarray:
    """Per combination, the covering negations that do not reach its recipient (bitsets).

    A negation read as about third parties does not reach a processor; one that speaks of
    anyone does not reach a processor that a disclosure covering the flow names (or names the
    category of) and presents as a processor (a table of service providers); one that denies
    only a sale reaches no flow (:func:`negation_reach`).
    """
    reach = st.reach[ncols] if len(ncols) else np.zeros(0, np.int8)
    sale = reach == REACH.index("sale")
    hard = sale[None, :] | ((reach == REACH.index("third_parties"))[None, :] & processor[:, None])
    soft = (reach == REACH.index("anyone"))[None, :] & processor[:, None]
    out = neg & pack_bits(hard, wn)[cr]
    if soft.any() and len(pcols):
        # a disclosure naming the recipient (a term below the roots) and presenting it as a processor
        named = (De[:, pcols] >= 0) & (He[:, pcols] != 0) & st.as_processor[pcols][None, :]
        named_any = ((pos & pack_bits(named, wp)[cr]) != 0).any(axis=1)
        out |= neg & np.where(named_any[:, None], pack_bits(soft, wn)[cr], np.uint64(0))
    return out


class PairScores:
    """The best-statement key of every (data, recipient) pair against every statement, computed
    in blocks of pairs (kept whole only when small)."""

    BLOCK = 1 << 14
    KEEP = 8_000_000  # cells: pairs x statements kept in memory below this
    LEVELS = 64 * 16 * 16 * 16  # the key's range

    def __init__(self, Dd, De, Hd, He, dr_d, dr_r):
        self.Dd, self.De, self.Hd, self.He, self.dr_d, self.dr_r = Dd, De, Hd, He, dr_d, dr_r
        self.n = len(dr_d)
        self.full = self.rows(np.arange(self.n)) if self.n * Dd.shape[1] <= self.KEEP else None

    def rows(self, rows: np.ndarray) -> np.ndarray:
        """The key for some pairs (-1 where the statement does not cover the pair)."""
        if getattr(self, "full", None) is not None:
            return self.full[rows]
        dd, de = self.Dd[self.dr_d[rows]], self.De[self.dr_r[rows]]
        hd, he = self.Hd[self.dr_d[rows]], self.He[self.dr_r[rows]]
        # (a term's depth matters only above the flow's term: at distance 0 vagueness is 0)
        key = ((np.minimum(dd + de, 63).astype(np.int32) * 16 + np.minimum(dd, 15)) * 16
               + np.where(dd > 0, 15 - np.clip(hd, 0, 15), 0)) * 16 \
            + np.where(de > 0, 15 - np.clip(he, 0, 15), 0)
        return np.where((dd >= 0) & (de >= 0), key, -1).astype(np.int32)

    def blocks(self, rows: np.ndarray):
        for start in range(0, len(rows), self.BLOCK):
            part = rows[start:start + self.BLOCK]
            yield start, part, self.rows(part)

    def pack(self, pcols, ncols, wp, wn):
        """Coverage bitsets of every pair (disclosures, negations) and the key levels present."""
        dr_pos = np.zeros((self.n, wp), dtype=np.uint64)
        dr_neg = np.zeros((self.n, wn), dtype=np.uint64)
        seen_p = np.zeros(self.LEVELS, dtype=bool)
        seen_n = np.zeros(self.LEVELS, dtype=bool)
        for start, part, key in self.blocks(np.arange(self.n)):
            kp, kn = key[:, pcols], key[:, ncols]
            dr_pos[start:start + len(part)] = pack_bits(kp >= 0, wp)
            dr_neg[start:start + len(part)] = pack_bits(kn >= 0, wn)
            seen_p[kp[kp >= 0]] = True
            seen_n[kn[kn >= 0]] = True
        return dr_pos, dr_neg, (np.flatnonzero(seen_p), np.flatnonzero(seen_n))

    def tier(self, rows, cols, level, words) -> np.ndarray:
        """Bitsets of the statements (in ``cols``) whose key for each pair equals ``level``."""
        out = np.zeros((len(rows), words), dtype=np.uint64)
        for start, part, key in self.blocks(rows):
            out[start:start + len(part)] = pack_bits(key[:, cols] == level, words)
        return out


def _patterns(bits: np.ndarray, ids: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """Codes of the distinct bitsets, and each one's statement ids joined by '; '."""
    if bits.shape[0] == 0:
        return np.zeros(0, np.int64), []
    codes, first = group_ids([bits[:, w] for w in range(bits.shape[1])])
    dense = unpack_bits(bits[first], len(ids))
    return codes, ["; ".join(ids[np.flatnonzero(r)]) for r in dense]


def _int_column(values: np.ndarray, inverse: np.ndarray) -> pd.arrays.IntegerArray:
    """Per-combination integers (-1 = none) broadcast to the flows as a nullable Int16."""
    v = values.astype(np.int16)[inverse]
    return pd.arrays.IntegerArray(np.maximum(v, 0), v < 0)


def _add_classes(table, inverse, st, cls, pos_patterns, neg_patterns, lifted_first, unreached_first, best_pos,
                 best_neg, shown, dd_best, de_best, vd_best, ve_best, cm, combo, proc, values) -> None:
    """Add the classification columns: per-combination codes, broadcast to the flows."""
    cj, unk_codes = combo
    frame = st.frame
    ids = frame["statement_id"].astype(str).to_numpy(object)
    sections = frame["section"].astype(str).to_numpy(object)
    quotes = frame["quote"].astype(str).to_numpy(object)
    table["class"] = pd.Categorical.from_codes(cls[inverse], categories=list(CLASSES), validate=False)
    table["positive_statements"] = as_categorical(pos_patterns[0], pos_patterns[1], inverse)
    table["negative_statements"] = as_categorical(neg_patterns[0], neg_patterns[1], inverse)
    neg_shown = np.where(np.isin(cls, (_INCORRECT, _AMBIGUOUS)), best_neg, -1)
    for col, codes in (("statement_id", shown), ("negation_id", neg_shown)):
        table[col] = as_categorical(codes, ids, inverse)
        prefix = "negation_" if col == "negation_id" else ""
        table[prefix + "section"] = as_categorical(codes, sections, inverse)
        table[prefix + "quote"] = as_categorical(codes, quotes, inverse)
    table["data_distance"] = _int_column(dd_best, inverse)
    table["entity_distance"] = _int_column(de_best, inverse)
    table["data_vagueness"] = vd_best.astype(np.float32)[inverse]
    table["entity_vagueness"] = ve_best.astype(np.float32)[inverse]

    # Reasons, built once per distinct explanation.
    is_vague = cls == _VAGUE
    is_neg = np.isin(cls, (_INCORRECT, _AMBIGUOUS))
    parts = [
        cls.astype(np.int64), np.where(cls == _OUT, -1, np.where(cls == _VAGUE, shown, best_pos)), np.where(is_neg, best_neg, -1),
        np.where(is_vague, dd_best, 0), np.where(is_vague, de_best, 0),
        np.where(np.isin(cls, (_OMITTED, _CLEAR, _VAGUE)), lifted_first, -1),
        np.where(is_neg | (cls == _OMITTED) | (lifted_first >= 0), cm & (_PROCESSOR_BIT - 1), 0),
        np.where(cls == _OUT, np.where(proc, -2, cj), -1),
        np.where(np.isin(cls, (_OMITTED, _CLEAR, _VAGUE, _INCORRECT, _AMBIGUOUS)), unreached_first, -1),
        *(np.where(cls == _UNCLASSIFIED, c, -1) for c in unk_codes),
    ]
    rcodes, first = group_ids(parts)
    texts = [_reason(tuple(int(c[i]) for c in parts), st, ids, sections, values) for i in first]
    table["reason"] = as_categorical(rcodes, texts, inverse)


def exception_words(bits: int) -> list[str]:
    return [k for k, b in EXCEPTION_BITS.items() if bits & b]


def _reason(t: tuple, st: Statements, ids, sections, values) -> str:
    c, bp, bn, dd, de, lf, mm, jj, nr, ud, up, uj, ur = (int(x) for x in t)
    data_v, purp_v, subj_v, rec_v = values

    def ref(s: int) -> str:
        return f"{ids[s]} (§{sections[s]})"

    def reading(s: int) -> str:
        return reach_reading(int(st.reach[s]), st.reach_words[s])

    def unreached_note() -> str:
        return f"; {ref(nr)} does not reach it: {reading(nr)}" if nr >= 0 else ""

    def lifted_note() -> str:
        if lf < 0:
            return ""
        met = exception_words(int(st.exceptions[lf]) & mm)
        how = ", ".join(_EXCEPTION_HOW[e] for e in met)
        return f"; {ref(lf)} does not apply: its exception {' and '.join(met)} is met ({how})"

    def unmet(s: int) -> str:
        exc = exception_words(int(st.exceptions[s]))
        if not exc:
            return ""
        have = exception_words(mm)
        basis = f" (the flow meets only {', '.join(have)})" if have else ""
        return f", and its exception {' or '.join(exc)} is not met{basis}"

    if c == _UNCLASSIFIED:
        keys = [f"{k} {v[i]!r}" for k, v, i in (("data category", data_v, ud), ("purpose", purp_v, up),
                                                 ("data subject", subj_v, uj), ("recipient", rec_v, ur))
                if i >= 0 and v[i] is not None]
        codes = [c for c, hit in (("unknown-taxonomy-key", max(ud, up, uj) >= 0), ("unknown-recipient", ur >= 0))
                 if hit]
        return (f"not classified: the taxonomy does not know {', '.join(keys)}; the register check "
                f"reports it ({', '.join(codes)})")
    if c == _OUT:
        if jj == -2:
            return _PROCESSOR_REASON
        return f"data subject {subj_v[jj]} is outside the policy's scope (meta.scope)"
    if c == _CLEAR:
        return f"disclosed by {ref(bp)}: same data category and recipient" + lifted_note() + unreached_note()
    if c == _VAGUE:
        what = []
        if dd > 0:
            what.append(f"data {dd} step{'s' if dd > 1 else ''} up")
        if de > 0:
            what.append(f"recipient {de} step{'s' if de > 1 else ''} up")
        if not st.positive[bp]:  # the exception of a negation the flow meets
            met = " and ".join(exception_words(int(st.exceptions[bp]) & mm))
            return (f"disclosed as the exception ({met}) to {ref(bp)}, only through broader terms "
                    f"({', '.join(what)})" + unreached_note())
        return (f"disclosed by {ref(bp)} only through broader terms ({', '.join(what)})" + lifted_note()
                + unreached_note())
    if c == _OMITTED:
        return ("no statement covers this data category, recipient, purpose and data subject" + lifted_note()
                + unreached_note())
    denied = f"denied by {ref(bn)} ({reading(bn)}){unmet(bn)}"
    if c == _INCORRECT:
        if bp >= 0:
            return (f"{denied}; the negation is narrower than the disclosure "
                    f"{ref(bp)}, an exception to it" + unreached_note())
        return f"{denied}; no statement discloses it" + unreached_note()
    return f"disclosed by {ref(bp)} and {denied}" + unreached_note()


def consistency(register: Register, policy: Policy) -> pd.DataFrame:
    """The register's flows, each classified against one policy version.

    Returns the flow table of :func:`flows` with :data:`CONSISTENCY_COLUMNS` added:

    - ``class``: clear, vague, omitted, incorrect, ambiguous, out_of_scope or unclassified (see the module
      docstring for the rules);
    - ``positive_statements`` / ``negative_statements``: the ids of the statements that cover
      the flow (negations lifted by an exception the flow meets are left out);
    - ``statement_id``, ``section``, ``quote``: the best disclosure (least data + recipient
      distance, then policy order), or for a flow only denied, the negation;
    - ``negation_id``, ``negation_section``, ``negation_quote``: for incorrect and ambiguous
      flows, the negation that decides;
    - ``data_distance``, ``entity_distance``, ``data_vagueness``, ``entity_vagueness``: taxonomy
      steps from the flow up to the best disclosure's terms, and PoliCheck's normalisation
      d / (d + depth(statement term));
    - ``reason``: one sentence a DPO can read.

    Example:
        >>> import ropa
        >>> reg = ropa.load_register("registers/pro-at")
        >>> pol = ropa.load_policy("registers/pro-at/policies/2018-05-24.flows.yaml")
        >>> table = ropa.consistency(reg, pol)
        >>> table.pivot_table(index="activity_id", columns="class", values="purpose",
        ...                   aggfunc="count", observed=False).shape[1]
        7

    .. versionadded:: 0.1
    """
    return classify(register, policy).table
