"""The register against the policy: every data flow classified, both ways (PoliCheck, PurPliance).

A *flow* is one activity × data category × data subject × purpose × recipient of the register,
including the flows to ``we`` (the organisation's own collection and use; every activity has
them, and ``recipients: none`` means only them). Retired activities have no flows.

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
  when none is given). ``we`` and ``third_party`` are separate roots, so a statement about
  ``we`` never covers a flow to a third party.
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

The computation never loops over flows. Flows are integer codes; coverage is decided once per
distinct value of each dimension against every statement (Taxonomy.distance), packed into
bitsets of statements, and combined over the distinct (data, recipient, purpose, subject,
lawful-basis) combinations, then broadcast back to the flows as categoricals.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ._findings import findings_frame, make_findings
from ._policy import EXCEPTION_KEYS

if TYPE_CHECKING:
    from ._policy import Policy
    from ._register import Register
    from ._taxonomy import Taxonomy

__all__ = [
    "CLASSES",
    "CONSISTENCY_COLUMNS",
    "FLOW_COLUMNS",
    "consistency",
    "consistency_findings",
    "flows",
]

#: The classes of a flow, in the order a pivot shows them.
CLASSES: tuple[str, ...] = ("clear", "vague", "omitted", "incorrect", "ambiguous", "out_of_scope")
_CLEAR, _VAGUE, _OMITTED, _INCORRECT, _AMBIGUOUS, _OUT = range(6)

#: The columns of :func:`flows`.
FLOW_COLUMNS: tuple[str, ...] = (
    "activity_id", "activity_name", "role", "lawful_basis", "data_category", "data_subject",
    "purpose", "recipient", "recipient_category", "recipient_kind", "recipient_country", "party",
)

#: The columns :func:`consistency` adds to the flows.
CONSISTENCY_COLUMNS: tuple[str, ...] = (
    "class", "positive_statements", "negative_statements", "statement_id", "section", "quote",
    "negation_id", "negation_section", "negation_quote", "data_distance", "entity_distance",
    "data_vagueness", "entity_vagueness", "reason",
)

POSITIVE_ACTIONS = ("collect", "use", "share", "transfer", "track", "retain")
NEGATIVE_ACTIONS = ("not_collect", "not_share")
_THIRD_PARTY_ACTIONS = frozenset({"share", "transfer", "not_share"})

#: Lawful bases that meet each exception of a negation (bit i of the exception mask).
_EXCEPTION_BASES = {"consent": "art6_1_a", "legal_obligation": "art6_1_c",
                    "contract": "art6_1_b", "vital_interests": "art6_1_d"}
_EXC_BIT = {key: 1 << i for i, key in enumerate(EXCEPTION_KEYS)}
_PROCESSOR_BIT = 1 << len(EXCEPTION_KEYS)
_LEGAL_PURPOSES = ("essential.legal_obligation", "third_party_sharing.legal_obligation")
_DATA_ROOT = "user"
_NONE = 32767
_PROCESSOR_REASON = "processor activity: the controller's notice covers it"


# -- flows ---------------------------------------------------------------------------------

@dataclass
class _Flows:
    """The flows as integer codes: one entry per flow into per-dimension value arrays.

    ``d``, ``j``, ``p``, ``r`` index ``data``, ``subjects``, ``purposes``, ``recipients``;
    -1 is a missing value (an empty list in the register).
    """

    acts: pd.DataFrame           # live activities, positional index
    act: np.ndarray              # per flow: position in acts
    d: np.ndarray
    j: np.ndarray
    p: np.ndarray
    r: np.ndarray
    data: np.ndarray             # unique values (object arrays)
    subjects: np.ndarray
    purposes: np.ndarray
    recipients: np.ndarray
    rec_category: np.ndarray     # per recipient value: its category key (None if unknown)
    rec_kind: np.ndarray
    rec_country: np.ndarray
    rec_label: np.ndarray
    party: np.ndarray
    basis_bits: np.ndarray       # per activity: exception bits met by its lawful bases
    processor: np.ndarray        # per activity: role is processor


def _lists(series: pd.Series) -> list[list[Any]]:
    out = []
    for cell in series.tolist():
        if isinstance(cell, list | tuple):
            vals = [v for v in cell if isinstance(v, str) and v]
        elif isinstance(cell, str) and cell:
            vals = [v.strip() for v in cell.split(";") if v.strip()]
        else:
            vals = []
        out.append(vals)
    return out


def _codes(cells: list[list[Any]], empty: Any = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Lengths, flat integer codes and unique values of a list column (an empty cell is one
    missing value, code -1, so that the activity still has flows)."""
    cells = [list(dict.fromkeys(c)) if c else [empty] for c in cells]
    lengths = np.fromiter(map(len, cells), dtype=np.int64, count=len(cells))
    flat = list(chain.from_iterable(cells))
    codes, uniques = pd.factorize(pd.array(flat, dtype=object) if flat else np.array([], dtype=object))
    return lengths, codes.astype(np.int32), np.asarray(uniques, dtype=object)


def _cross(lengths: Sequence[np.ndarray]) -> tuple[np.ndarray, list[np.ndarray]]:
    """Per flow, the activity and the position within each list: the cartesian product of
    every activity's lists, in numpy (mixed-radix decomposition of a running counter)."""
    total = np.ones_like(lengths[0])
    for ln in lengths:
        total = total * ln
    n_flows = int(total.sum())
    act = np.repeat(np.arange(len(total), dtype=np.int64), total)
    start = np.cumsum(total) - total
    k = np.arange(n_flows, dtype=np.int64) - start[act]
    pos: list[np.ndarray] = [np.empty(0)] * len(lengths)
    for i in range(len(lengths) - 1, -1, -1):
        ln = lengths[i][act]
        pos[i] = k % ln
        k //= ln
    return act, pos


def _build_flows(register: Register) -> _Flows:
    acts = register.activities
    status = acts["status"].astype(str).str.strip().str.lower() if "status" in acts else None
    live = acts[status != "retired"] if status is not None else acts
    acts = live.reset_index(drop=True)

    rec_cells = []
    for cell in _lists(acts["recipients"]):
        rest = [v for v in cell if v.lower() != "none" and v != "we"]
        rec_cells.append(["we", *rest])
    columns = [_lists(acts["data_categories"]), _lists(acts["data_subjects"]),
               _lists(acts["purposes"]), rec_cells]
    coded = [_codes(c) for c in columns]
    lengths = [c[0] for c in coded]
    act, pos = _cross([lengths[3], lengths[0], lengths[2], lengths[1]])
    pos = {3: pos[0], 0: pos[1], 2: pos[2], 1: pos[3]}
    codes = []
    for i, (ln, flat, _) in enumerate(coded):
        offset = np.cumsum(ln) - ln
        codes.append(flat[offset[act] + pos[i]] if len(act) else np.zeros(0, np.int32))

    recipients = coded[3][2]
    cat, kind, country, label, party = _recipient_attributes(register, recipients)

    # exception bits per activity, from its lawful bases (each distinct basis looked at once)
    b_len, b_codes, b_uniq = _codes(_lists(acts["lawful_basis"]))
    by_basis = {basis: bit for key, bit in _EXC_BIT.items() for basis in [_EXCEPTION_BASES[key]]}
    b_bits = np.append(np.array([by_basis.get(b, 0) for b in b_uniq], dtype=np.int64), 0)[b_codes]
    basis_bits = (np.bitwise_or.reduceat(b_bits, np.cumsum(b_len) - b_len) if len(b_len)
                  else np.zeros(0, np.int64))
    processor = (acts["role"].astype(str).str.strip().str.lower() == "processor").to_numpy(bool)
    return _Flows(acts=acts, act=act, d=codes[0], j=codes[1], p=codes[2], r=codes[3],
                  data=coded[0][2], subjects=coded[1][2], purposes=coded[2][2], recipients=recipients,
                  rec_category=cat, rec_kind=kind, rec_country=country, rec_label=label, party=party,
                  basis_bits=basis_bits, processor=processor)


def _recipient_attributes(register: Register, values: np.ndarray):
    tax = register.taxonomy
    rec = register.recipients
    table = {}
    if rec is not None and len(rec):
        for rid, cat, kind, country, name in zip(rec["recipient_id"], rec["category"], rec["kind"],
                                                 rec["country"], rec["name"], strict=True):
            if isinstance(rid, str) and rid:
                table[rid] = (cat, kind, country, name)
    org = register.organisation or {}
    org_country = str(org.get("country") or (org.get("controller") or {}).get("country") or "")
    n = len(values)
    known = tax.known("recipient", values) if n else np.zeros(0, bool)
    cat = np.empty(n, dtype=object)
    kind = np.empty(n, dtype=object)
    country = np.empty(n, dtype=object)
    label = np.empty(n, dtype=object)
    for i, v in enumerate(values):
        if v in table and v not in ("we",):
            c, k, co, name = table[v]
            cat[i] = c if isinstance(c, str) and tax.known("recipient", [c])[0] else "third_party"
            kind[i], country[i], label[i] = k or "", co or "", name or v
        elif known[i]:
            cat[i], kind[i], country[i], label[i] = v, "", "", tax.label("recipient", v)
        else:
            cat[i], kind[i], country[i], label[i] = None, "", "", v
    first = tax.is_under("recipient", cat, "we") if n else np.zeros(0, bool)
    third = tax.is_under("recipient", cat, "third_party") if n else np.zeros(0, bool)
    public = tax.is_under("recipient", cat, "third_party.public_authority") if n else np.zeros(0, bool)
    kind = np.where(first & (kind == ""), "internal", kind)
    kind = np.where(public & (kind == ""), "public_authority", kind)
    country = np.where(first & (country == ""), org_country, country)
    label = np.where(np.asarray(values, dtype=object) == "we", "us (first party)", label)
    party = np.where(first, "first_party", np.where(third, "third_party", "unknown")).astype(object)
    return cat, kind.astype(object), country.astype(object), label.astype(object), party


def _categorical(codes: np.ndarray, categories: Sequence[Any]) -> pd.Categorical:
    """A categorical from codes into ``categories`` (duplicates and missing values folded)."""
    cats = pd.Series(list(categories), dtype=object)
    valid = cats.notna().to_numpy() & (cats.astype(str) != "").to_numpy()
    uniq_codes, uniques = pd.factorize(cats.where(valid, None))
    remap = np.where(valid, uniq_codes, -1).astype(np.int64)
    remap = np.append(remap, -1)  # code -1 stays missing
    return pd.Categorical.from_codes(remap[codes], categories=pd.Index(uniques, dtype=object))


def _flow_frame(f: _Flows) -> pd.DataFrame:
    a = f.acts
    act = f.act
    lb = a["lawful_basis"].map(lambda v: ";".join(v) if isinstance(v, list | tuple) else str(v or ""))
    cols = {
        "activity_id": _categorical(act, a["activity_id"].astype(str).tolist()),
        "activity_name": _categorical(act, a["name"].astype(str).tolist()),
        "role": _categorical(act, a["role"].astype(str).str.strip().str.lower().tolist()),
        "lawful_basis": _categorical(act, lb.tolist()),
        "data_category": _categorical(f.d, f.data),
        "data_subject": _categorical(f.j, f.subjects),
        "purpose": _categorical(f.p, f.purposes),
        "recipient": _categorical(f.r, f.recipients),
        "recipient_category": _categorical(f.r, f.rec_category),
        "recipient_kind": _categorical(f.r, f.rec_kind),
        "recipient_country": _categorical(f.r, f.rec_country),
        "party": _categorical(f.r, f.party),
    }
    return pd.DataFrame(cols)


def flows(register: Register) -> pd.DataFrame:
    """Every data flow of a register: activity × data category × data subject × purpose × recipient.

    Each activity has its flows to ``we`` (the organisation's own collection and use) and one
    set per recipient; ``recipients: none`` means only ``we``. Retired activities are left
    out; an empty list (no purposes, say) gives one flow with that value missing. Columns are
    :data:`FLOW_COLUMNS`, as categoricals (cheap at a million rows, and pivot well):
    ``recipient_category`` is a named recipient's category (or the key itself),
    ``recipient_kind`` its kind in recipients.csv (``internal`` for ``we``), and ``party`` is
    ``first_party`` or ``third_party``.

    Example:
        >>> import ropa
        >>> fl = ropa.flows(ropa.load_register("registers/pro-at"))
        >>> fl.loc[fl["activity_id"] == "A07", "recipient"].unique().tolist()
        ['we', 'das-incasso']

    .. versionadded:: 0.1
    """
    return _flow_frame(_build_flows(register))


# -- statements ----------------------------------------------------------------------------

@dataclass
class _Statements:
    frame: pd.DataFrame          # flow-bearing statements, positional
    positive: np.ndarray         # bool per statement
    data: list[list[str]]
    entities: list[list[str]]
    purposes: list[list[str]]
    subjects: list[list[str]]
    exceptions: np.ndarray       # per statement: exception bits that lift it (negations)


def _statements(policy: Policy) -> _Statements:
    st = policy.statements
    st = st[st["action"].isin(POSITIVE_ACTIONS + NEGATIVE_ACTIONS)].reset_index(drop=True)
    data, ents, purps, subjs, exc = [], [], [], [], []
    for rec in st.to_dict("records"):
        data.append(list(dict.fromkeys(rec["data_categories"] or [])) or [_DATA_ROOT])
        recipients = list(dict.fromkeys(rec["recipients"] or []))
        if not recipients:
            actor = (rec.get("actor") or "").strip() or "we"
            recipients = ["third_party"] if rec["action"] in _THIRD_PARTY_ACTIONS and actor == "we" else [actor]
        ents.append(recipients)
        purps.append(list(dict.fromkeys(rec["purposes"] or [])))
        subjs.append(list(dict.fromkeys(rec["data_subjects"] or [])))
        exc.append(sum(_EXC_BIT.get(e, 0) for e in set(rec["exceptions"] or [])))
    return _Statements(frame=st, positive=st["action"].isin(POSITIVE_ACTIONS).to_numpy(bool),
                       data=data, entities=ents, purposes=purps, subjects=subjs,
                       exceptions=np.asarray(exc, dtype=np.int64))


def _pairwise(tax: Taxonomy, kind: str, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """Distances from every ``x`` up to every ``y`` (-1 where not under), as an |x|×|y| array."""
    if not len(xs) or not len(ys):
        return np.full((len(xs), len(ys)), -1, dtype=np.int16)
    out = tax.distance(kind, np.repeat(np.asarray(xs, dtype=object), len(ys)),
                       np.tile(np.asarray(ys, dtype=object), len(xs)))
    return np.asarray(out, dtype=np.int16).reshape(len(xs), len(ys))


@dataclass
class _Terms:
    """Every statement's terms of one dimension, flattened: term i belongs to ``owner[i]``."""

    terms: np.ndarray
    owner: np.ndarray
    starts: np.ndarray           # first term of each owning statement
    owners: np.ndarray           # the statements that have terms
    n: int                       # statements in all

    @classmethod
    def of(cls, lists: list[list[str]]) -> _Terms:
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

    def vagueness(self, dist: np.ndarray, best: np.ndarray, depth: np.ndarray) -> np.ndarray:
        """PoliCheck's normalised vagueness of the closest term: d / (d + depth(term)),
        the deepest term among equally close ones."""
        out = np.full((dist.shape[0], self.n), np.nan, dtype=np.float32)
        if not len(self.terms) or not dist.shape[0]:
            return out
        d = dist.astype(np.float32)
        denom = d + depth.astype(np.float32)[None, :]
        v = np.divide(d, denom, out=np.zeros_like(d), where=denom > 0)
        at_best = (dist >= 0) & (dist == best[:, self.owner])
        v = np.where(at_best, v, np.inf)
        red = np.minimum.reduceat(v, self.starts, axis=1)
        out[:, self.owners] = np.where(np.isinf(red), np.nan, red)
        return out


# -- bitsets -------------------------------------------------------------------------------

def _pack(mask: np.ndarray, words: int) -> np.ndarray:
    """Boolean rows (n × S) as bitsets: n × words uint64, bit s of row i = mask[i, s]."""
    packed = np.packbits(mask, axis=1, bitorder="little")
    full = np.zeros((mask.shape[0], words * 8), dtype=np.uint8)
    full[:, : packed.shape[1]] = packed
    return full.view("<u8")


def _unpack(bits: np.ndarray, n: int) -> np.ndarray:
    return np.unpackbits(np.ascontiguousarray(bits).view(np.uint8), axis=1, bitorder="little")[:, :n].astype(bool)


def _first_bit(bits: np.ndarray) -> np.ndarray:
    """Per row, the lowest set bit (the first statement in policy order), or -1."""
    nz = bits != 0
    has = nz.any(axis=1)
    w = nz.argmax(axis=1)
    x = bits[np.arange(len(bits)), w]
    low = x & (~x + np.uint64(1))
    with np.errstate(divide="ignore"):
        bit = np.log2(np.where(has, low, 1).astype(np.float64)).astype(np.int64)
    return np.where(has, w * 64 + bit, -1)


# -- classification ------------------------------------------------------------------------

@dataclass
class _Result:
    """Everything the classification computed, for the flow table and for findings."""

    flows: _Flows
    st: _Statements
    table: pd.DataFrame
    Dd: np.ndarray               # data values (+ missing row) × statements: distance
    De: np.ndarray               # recipient values (+ missing row) × statements
    P_ok: np.ndarray
    J_ok: np.ndarray
    recorded: np.ndarray         # per statement: some flow relates to it (reverse direction)
    policy: Policy


def _scope(tax: Taxonomy, policy: Policy, subjects: np.ndarray) -> np.ndarray:
    """Per subject value (+ missing): outside the policy's meta.scope."""
    scope = (policy.meta or {}).get("scope") or {}
    applies = [s for s in (scope.get("applies_to") or []) if s]
    excludes = [s for s in (scope.get("excludes") or []) if s]
    vals = np.append(np.asarray(subjects, dtype=object), None)
    out = np.zeros(len(vals), dtype=bool)
    if applies:
        inside = (_pairwise(tax, "data_subject", vals, np.asarray(applies, dtype=object)) >= 0).any(axis=1)
        out |= ~inside
    if excludes:
        out |= (_pairwise(tax, "data_subject", vals, np.asarray(excludes, dtype=object)) >= 0).any(axis=1)
    out[-1] = False  # a missing subject is kept in scope, so the gap is seen
    return out


def _classify(register: Register, policy: Policy) -> _Result:
    tax = register.taxonomy
    f = _build_flows(register)
    st = _statements(policy)
    S = len(st.frame)
    W = max(1, (S + 63) // 64)

    # Per dimension: distinct values (+ a missing row at the end, reached by code -1).
    data_v = np.append(f.data, None)
    subj_v = np.append(f.subjects, None)
    purp_v = np.append(f.purposes, None)
    rec_v = np.append(f.recipients, None)
    cat_v = np.append(f.rec_category, None)

    dT, eT, pT, jT = (_Terms.of(x) for x in (st.data, st.entities, st.purposes, st.subjects))
    # data: flow under statement
    dd_t = _pairwise(tax, "data_category", data_v, dT.terms)
    Dd = dT.reduce_min(dd_t)
    Vd = dT.vagueness(dd_t, Dd, tax.depth("data_category", dT.terms) if len(dT.terms) else np.zeros(0))
    rel_d = dT.reduce_any((dd_t >= 0) | (_pairwise(tax, "data_category", dT.terms, data_v).T >= 0))
    # recipients: the named recipient itself, or its category, under the statement's entity
    ee_t = _pairwise(tax, "recipient", cat_v, eT.terms)
    same = rec_v[:, None] == eT.terms[None, :] if len(eT.terms) else np.zeros((len(rec_v), 0), bool)
    ee_t = np.where(same, 0, ee_t).astype(np.int16)
    De = eT.reduce_min(ee_t)
    Ve = eT.vagueness(ee_t, De, tax.depth("recipient", eT.terms) if len(eT.terms) else np.zeros(0))
    # (the reverse also relates a statement's narrower entity to a flow whose recipient is a
    # category key; a named recipient has nothing under it, so a sibling vendor never relates)
    rel_e = eT.reduce_any((ee_t >= 0) | (_pairwise(tax, "recipient", eT.terms, rec_v).T >= 0))
    # purposes and subjects: filters; a statement without any restricts nothing
    no_p = np.array([not x for x in st.purposes], dtype=bool)
    no_j = np.array([not x for x in st.subjects], dtype=bool)
    pp_t = _pairwise(tax, "data_use", purp_v, pT.terms)
    P_ok = pT.reduce_any(pp_t >= 0) | no_p[None, :]
    rel_p = pT.reduce_any((pp_t >= 0) | (_pairwise(tax, "data_use", pT.terms, purp_v).T >= 0)) | no_p[None, :]
    jj_t = _pairwise(tax, "data_subject", subj_v, jT.terms)
    J_ok = jT.reduce_any(jj_t >= 0) | no_j[None, :]
    rel_j = jT.reduce_any((jj_t >= 0) | (_pairwise(tax, "data_subject", jT.terms, subj_v).T >= 0)) | no_j[None, :]
    out_scope = _scope(tax, policy, f.subjects)

    # Per-flow exception mask: the activity's lawful bases, a public authority receiving for a
    # legal-obligation purpose, and the processor flag.
    kind_v = np.append(f.rec_kind, "")
    public = tax.is_under("recipient", cat_v, "third_party.public_authority") | (kind_v == "public_authority")
    legal_p = np.zeros(len(purp_v), dtype=bool)
    for key in _LEGAL_PURPOSES:
        legal_p |= tax.is_under("data_use", purp_v, key)
    m = f.basis_bits[f.act]
    m = m | np.where(public[f.r] & legal_p[f.p], _EXC_BIT["legal_obligation"], 0)
    m = m | np.where(f.processor[f.act], _PROCESSOR_BIT, 0)

    # Distinct combinations of (data, recipient, purpose, subject, mask).
    nd, nr, npu, nj = len(data_v), len(rec_v), len(purp_v), len(subj_v)
    dix = np.where(f.d < 0, nd - 1, f.d).astype(np.int64)
    rix = np.where(f.r < 0, nr - 1, f.r).astype(np.int64)
    pix = np.where(f.p < 0, npu - 1, f.p).astype(np.int64)
    jix = np.where(f.j < 0, nj - 1, f.j).astype(np.int64)
    key = (((dix * nr + rix) * npu + pix) * nj + jix) * (2 * _PROCESSOR_BIT) + m
    inverse, ukey = pd.factorize(key)
    ukey = np.asarray(ukey, dtype=np.int64)
    cm = ukey % (2 * _PROCESSOR_BIT)
    rest = ukey // (2 * _PROCESSOR_BIT)
    cj = rest % nj
    rest //= nj
    cp = rest % npu
    rest //= npu
    cr = rest % nr
    cd = rest // nr
    # (data, recipient) pairs and (purpose, subject) pairs, each dense over the statements.
    dr_inv, dr_key = pd.factorize(cd * nr + cr)
    dr_key = np.asarray(dr_key, dtype=np.int64)
    dr_d, dr_r = dr_key // nr, dr_key % nr
    pj_inv, pj_key = pd.factorize(cp * nj + cj)
    pj_key = np.asarray(pj_key, dtype=np.int64)
    pj_p, pj_j = pj_key // nj, pj_key % nj

    ddr, der = Dd[dr_d], De[dr_r]
    cov_dr = (ddr >= 0) & (der >= 0)
    score = np.where(cov_dr, ddr.astype(np.int32) + der, _NONE)
    pj_bits = _pack(P_ok[pj_p] & J_ok[pj_j], W)[pj_inv]
    POS = _pack(st.positive[None, :], W)[0]
    NEG = _pack(~st.positive[None, :], W)[0]
    # per exception mask: the negations an exception in it lifts
    masks = np.arange(2 * _PROCESSOR_BIT, dtype=np.int64)[:, None]
    lift_table = _pack(((st.exceptions[None, :] & masks) != 0) & ~st.positive[None, :], W)
    lift = lift_table[cm]
    cov = _pack(cov_dr, W)[dr_inv] & pj_bits
    pos = cov & POS
    neg_all = cov & NEG
    neg = neg_all & ~lift
    lifted = neg_all & lift
    has_pos = (pos != 0).any(axis=1)
    has_neg = (neg != 0).any(axis=1)

    # Best statements: least data + recipient distance, then policy order (tiers of bitsets).
    def best(mask: np.ndarray, sel: np.ndarray) -> np.ndarray:
        found = np.full(len(cm), -1, dtype=np.int64)
        todo = sel.copy()
        for level in np.unique(score[score < _NONE]):
            if not todo.any():
                break
            idx = np.flatnonzero(todo)
            tier = _pack(score == level, W)[dr_inv[idx]] & mask[idx]
            hit = _first_bit(tier)
            ok = hit >= 0
            found[idx[ok]] = hit[ok]
            todo[idx[ok]] = False
        return found

    best_pos = best(pos, has_pos)
    best_neg = best(neg, has_neg)
    # distances and vagueness from the statement shown: the best disclosure, else the negation
    shown = np.where(best_pos >= 0, best_pos, best_neg)
    sh0 = np.maximum(shown, 0)
    if S:
        dd_best = np.where(shown >= 0, ddr[dr_inv, sh0], -1)
        de_best = np.where(shown >= 0, der[dr_inv, sh0], -1)
        vd_best = np.where(shown >= 0, Vd[cd, sh0], np.nan)
        ve_best = np.where(shown >= 0, Ve[cr, sh0], np.nan)
    else:
        dd_best = de_best = np.full(len(cm), -1)
        vd_best = ve_best = np.full(len(cm), np.nan)
    exact = has_pos & (dd_best == 0) & (de_best == 0)

    # Ambiguous or incorrect where both cover: a negation narrower than the disclosure is an
    # exception to it (PolicyLint), not a contradiction.
    cls = np.full(len(cm), _OMITTED, dtype=np.int8)
    cls[exact] = _CLEAR
    cls[has_pos & ~exact] = _VAGUE
    cls[~has_pos & has_neg] = _INCORRECT
    both = np.flatnonzero(has_pos & has_neg)
    if len(both):
        contra = _contradictions(tax, st)
        amb = np.zeros(len(both), dtype=bool)
        nb = _unpack(neg[both], S)
        for n in np.flatnonzero(~st.positive):
            sel = nb[:, n]
            if sel.any():
                amb |= sel & ((pos[both] & _pack(contra[n][None, :], W)[0]) != 0).any(axis=1)
        cls[both] = np.where(amb, _AMBIGUOUS, _INCORRECT)
    scope_out = out_scope[cj]
    proc = (cm & _PROCESSOR_BIT) != 0
    cls[scope_out | proc] = _OUT

    # Reverse direction: statements some flow relates to (data, recipient, purpose, subject).
    rel = _pack(rel_d[dr_d] & rel_e[dr_r], W)[dr_inv] & _pack(rel_p[pj_p] & rel_j[pj_j], W)[pj_inv]
    recorded = _unpack(np.bitwise_or.reduce(rel, axis=0)[None, :], S)[0] if len(rel) else np.zeros(S, bool)

    table = _flow_frame(f)
    _add_classes(table, inverse, st, cls, pos, neg, lifted, best_pos, best_neg, shown,
                 dd_best, de_best, vd_best, ve_best, cm, cj, proc, subj_v)
    return _Result(flows=f, st=st, table=table, Dd=Dd, De=De, P_ok=P_ok, J_ok=J_ok,
                   recorded=recorded, policy=policy)


def _contradictions(tax: Taxonomy, st: _Statements) -> dict[int, np.ndarray]:
    """For each negation, the positive statements it contradicts: all but those it narrows
    (its data and entities under the disclosure's, and narrower in at least one)."""
    S = len(st.frame)

    def sub(kind: str, lists: list[list[str]]) -> np.ndarray:
        # sub[a, b]: every term of a lies under some term of b
        t = _Terms.of(lists)
        under = _pairwise(tax, kind, t.terms, t.terms) >= 0
        if kind == "recipient":
            under |= t.terms[:, None] == t.terms[None, :]
        any_b = t.reduce_any(under)                       # terms × statements
        out = np.ones((S, S), dtype=bool)
        if len(t.terms):
            out[t.owners] = np.logical_and.reduceat(any_b, t.starts, axis=0)
        return out

    sd, se = sub("data_category", st.data), sub("recipient", st.entities)
    within = sd & se                                      # within[a, b]: a is under b
    out = {}
    for n in np.flatnonzero(~st.positive):
        narrows = within[n, :] & ~within[:, n]
        out[int(n)] = st.positive & ~narrows
    return out


def _patterns(bits: np.ndarray, ids: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """Codes of the distinct bitsets, and each one's statement ids joined by '; '."""
    if bits.shape[0] == 0:
        return np.zeros(0, np.int64), []
    mi = pd.MultiIndex.from_arrays([bits[:, w] for w in range(bits.shape[1])])
    codes, uniq = mi.factorize()
    rows = np.array([list(t) if isinstance(t, tuple) else [t] for t in uniq], dtype=np.uint64).reshape(len(uniq), -1)
    dense = _unpack(rows, len(ids))
    labels = ["; ".join(ids[np.flatnonzero(r)]) for r in dense]
    return np.asarray(codes, dtype=np.int64), labels


def _int_column(values: np.ndarray, inverse: np.ndarray) -> pd.arrays.IntegerArray:
    """Per-combination integers (-1 = none) broadcast to the flows as a nullable Int16."""
    v = values.astype(np.int16)[inverse]
    return pd.arrays.IntegerArray(np.maximum(v, 0), v < 0)


def _add_classes(table, inverse, st, cls, pos, neg, lifted, best_pos, best_neg, shown,
                 dd_best, de_best, vd_best, ve_best, cm, cj, proc, subj_v) -> None:
    frame = st.frame
    ids = frame["statement_id"].astype(str).to_numpy(object)
    sections = frame["section"].astype(str).tolist()
    quotes = frame["quote"].astype(str).tolist()
    table["class"] = pd.Categorical.from_codes(cls[inverse], categories=list(CLASSES))
    pcodes, plabels = _patterns(pos, ids)
    ncodes, nlabels = _patterns(neg, ids)
    table["positive_statements"] = _categorical(pcodes[inverse], plabels)
    table["negative_statements"] = _categorical(ncodes[inverse], nlabels)
    neg_shown = np.where(np.isin(cls, (_INCORRECT, _AMBIGUOUS)), best_neg, -1)
    table["statement_id"] = _categorical(shown[inverse], ids.tolist())
    table["section"] = _categorical(shown[inverse], sections)
    table["quote"] = _categorical(shown[inverse], quotes)
    table["negation_id"] = _categorical(neg_shown[inverse], ids.tolist())
    table["negation_section"] = _categorical(neg_shown[inverse], sections)
    table["negation_quote"] = _categorical(neg_shown[inverse], quotes)
    table["data_distance"] = _int_column(dd_best, inverse)
    table["entity_distance"] = _int_column(de_best, inverse)
    table["data_vagueness"] = vd_best.astype(np.float32)[inverse]
    table["entity_vagueness"] = ve_best.astype(np.float32)[inverse]

    # Reasons, built once per distinct explanation.
    lifted_first = _first_bit(lifted) if len(lifted) else np.zeros(0, np.int64)
    is_vague = cls == _VAGUE
    is_neg = np.isin(cls, (_INCORRECT, _AMBIGUOUS))
    parts = pd.MultiIndex.from_arrays([
        cls, np.where(cls == _OUT, -1, best_pos), np.where(is_neg, best_neg, -1),
        np.where(is_vague, dd_best, 0), np.where(is_vague, de_best, 0),
        np.where(np.isin(cls, (_OMITTED, _CLEAR, _VAGUE)), lifted_first, -1),
        np.where(is_neg | (cls == _OMITTED), cm & (_PROCESSOR_BIT - 1), 0),
        np.where(cls == _OUT, np.where(proc, -2, cj), -1),
    ]) if len(cls) else None
    if parts is None:
        table["reason"] = pd.Categorical([], categories=[])
        return
    rcodes, runiq = parts.factorize()
    texts = [_reason(t, st, ids, sections, subj_v) for t in runiq]
    table["reason"] = _categorical(np.asarray(rcodes, np.int64)[inverse], texts)


def _exception_words(bits: int) -> list[str]:
    return [k for k, b in _EXC_BIT.items() if bits & b]


def _reason(t: tuple, st: _Statements, ids, sections, subj_v) -> str:
    c, bp, bn, dd, de, lf, mm, jj = (int(x) for x in t)

    def ref(s: int) -> str:
        return f"{ids[s]} (§{sections[s]})"

    def lifted_note() -> str:
        if lf < 0:
            return ""
        exc = [e for e in _exception_words(int(st.exceptions[lf]))]
        return f"; {ref(lf)} does not apply: exception {' or '.join(exc)} is met"

    def unmet(s: int) -> str:
        exc = _exception_words(int(st.exceptions[s]))
        if not exc:
            return ""
        have = _exception_words(mm)
        basis = f" (the flow meets only {', '.join(have)})" if have else ""
        return f", and its exception {' or '.join(exc)} is not met{basis}"

    if c == _OUT:
        if jj == -2:
            return _PROCESSOR_REASON
        return f"data subject {subj_v[jj]} is outside the policy's scope (meta.scope)"
    if c == _CLEAR:
        return f"disclosed by {ref(bp)}: same data category and recipient" + lifted_note()
    if c == _VAGUE:
        what = []
        if dd > 0:
            what.append(f"data {dd} step{'s' if dd > 1 else ''} up")
        if de > 0:
            what.append(f"recipient {de} step{'s' if de > 1 else ''} up")
        return f"disclosed by {ref(bp)} only through broader terms ({', '.join(what)})" + lifted_note()
    if c == _OMITTED:
        return "no statement covers this data category, recipient, purpose and data subject" + lifted_note()
    if c == _INCORRECT:
        if bp >= 0:
            return (f"denied by {ref(bn)}{unmet(bn)}; the negation is narrower than the disclosure "
                    f"{ref(bp)}, an exception to it")
        return f"denied by {ref(bn)}{unmet(bn)}; no statement discloses it"
    return f"disclosed by {ref(bp)} and denied by {ref(bn)}{unmet(bn)}"


def consistency(register: Register, policy: Policy) -> pd.DataFrame:
    """The register's flows, each classified against one policy version.

    Returns the flow table of :func:`flows` with :data:`CONSISTENCY_COLUMNS` added:

    - ``class``: clear, vague, omitted, incorrect, ambiguous or out_of_scope (see the module
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
        6

    .. versionadded:: 0.1
    """
    return _classify(register, policy).table


# -- findings ------------------------------------------------------------------------------

def _join(values: Sequence[Any]) -> str:
    vals = [str(v) for v in values if v is not None and v == v and str(v) != ""]
    return ", ".join(dict.fromkeys(vals)) or "(none recorded)"


def _path_text(tax: Taxonomy, kind: str, x: str | None, terms: list[str]) -> str:
    if not isinstance(x, str):
        return ""
    best: list[str] = []
    for t in terms:
        p = tax.path(kind, x, t)
        if p and (not best or len(p) < len(best)):
            best = p
    return " → ".join(best)


def consistency_findings(register: Register, policy: Policy) -> pd.DataFrame:
    """Findings for the flows that are not clear, grouped, and for statements no flow records.

    One finding per activity × recipient × class (naming the data categories, purposes and
    data subjects involved), with the policy's sentence, its section and the taxonomy path
    as evidence; one per activity whose flows fall outside the policy's scope (processor
    activities raise none); and one per positive statement that matches no flow.

    Example:
        >>> import ropa
        >>> from ropa._consistency import consistency_findings
        >>> reg = ropa.load_register("registers/pro-at")
        >>> pol = ropa.load_policy("registers/pro-at/policies/2018-05-24.flows.yaml")
        >>> f = consistency_findings(reg, pol)
        >>> set(f["area"]) == {"consistency"}
        True
    """
    res = _classify(register, policy)
    return _findings(register.taxonomy, res, policy)


def _findings(tax: Taxonomy, res: _Result, policy: Policy) -> pd.DataFrame:
    t = res.table
    st = res.st
    frame = st.frame
    ctx = _Context(tax, res)
    rows_by_code: dict[str, list[dict[str, Any]]] = {}
    work = t[(t["class"] != "clear") & (t["role"] != "processor")]
    if len(work):
        out = work["class"] == "out_of_scope"
        for aid, g in work[out].groupby("activity_id", observed=True, sort=True):
            row = ctx.out_of_scope(str(aid), g)
            rows_by_code.setdefault(row.pop("code"), []).append(row)
        keys = ["activity_id", "recipient", "class"]
        for (aid, rid, klass), g in work[~out].groupby(keys, observed=True, sort=True):
            row = ctx.group(str(aid), str(rid), str(klass), g)
            rows_by_code.setdefault(row.pop("code"), []).append(row)
    parts = [make_findings(code, rows, policy_version=policy.version)
             for code, rows in rows_by_code.items()]
    rows = []
    for s in np.flatnonzero(st.positive & ~res.recorded):
        rec = frame.iloc[s]
        third = [e for e in st.entities[s] if not tax.is_under("recipient", e, "we")]
        rows.append({
            "statement_id": rec["statement_id"], "section": rec["section"], "action": rec["action"],
            "data": ctx.labels("data_category", st.data[s]),
            "recipient_phrase": f" with {_join([ctx.label(e) for e in third])}" if third else "",
            "evidence": _statement_evidence(rec, st, s),
        })
    if rows:
        parts.append(make_findings("statement-not-in-register", rows, policy_version=policy.version))
    return findings_frame(parts)


def _section_in(reason: str) -> str | None:
    """The section a reason cites first (``s11-2 (§11) ...`` -> ``11``)."""
    start = reason.find("(§")
    return reason[start + 2: reason.index(")", start)] if start >= 0 else None


def _statement_evidence(rec: pd.Series, st: _Statements, s: int) -> str:
    bits = [f'"{rec["quote"]}" (§{rec["section"]}, {rec["statement_id"]})',
            f"data: {_join(st.data[s])}", f"recipients: {_join(st.entities[s])}"]
    if st.purposes[s]:
        bits.append(f"purposes: {_join(st.purposes[s])}")
    if st.subjects[s]:
        bits.append(f"subjects: {_join(st.subjects[s])}")
    return "; ".join(bits)


class _Context:
    """What building one grouped finding needs: look-ups from keys to rows of the matrices."""

    def __init__(self, tax: Taxonomy, res: _Result):
        self.tax, self.res, self.st = tax, res, res.st
        f = res.flows
        self.rec_row = {v: i for i, v in enumerate(f.recipients)}
        self.data_row = {v: i for i, v in enumerate(f.data)}
        self.purp_row = {v: i for i, v in enumerate(f.purposes)}
        self.subj_row = {v: i for i, v in enumerate(f.subjects)}
        self.by_id = {sid: i for i, sid in enumerate(self.st.frame["statement_id"].astype(str))}

    def label(self, rid: str) -> str:
        i = self.rec_row.get(rid)
        return str(self.res.flows.rec_label[i]) if i is not None else self.tax.label("recipient", rid)

    def category(self, rid: str) -> str | None:
        i = self.rec_row.get(rid)
        return self.res.flows.rec_category[i] if i is not None else None

    def common(self, g: pd.DataFrame, col: str) -> int | None:
        """The statement most of the group's flows cite in ``col``."""
        vals = g[col].dropna().astype(str)
        if vals.empty:
            return None
        return self.by_id[Counter(vals).most_common(1)[0][0]]

    def cite(self, s: int, rid: str, flow_data: str | None) -> str:
        rec = self.st.frame.iloc[s]
        text = f'§{rec["section"]} {rec["statement_id"]}: "{rec["quote"]}"'
        path_d = _path_text(self.tax, "data_category", flow_data, self.st.data[s])
        ents = self.st.entities[s]
        path_e = (_path_text(self.tax, "recipient", rid, ents)
                  or _path_text(self.tax, "recipient", self.category(rid), ents))
        if path_d:
            text += f"; data path: {path_d}"
        if path_e:
            text += f"; recipient path: {path_e}"
        return text

    def labels(self, kind: str, keys: list[str]) -> str:
        return _join([self.tax.label(kind, k) for k in keys])

    def base(self, aid: str, g: pd.DataFrame) -> tuple[dict[str, Any], list[str], list[str]]:
        data = sorted(g["data_category"].dropna().astype(str).unique())
        purposes = sorted(g["purpose"].dropna().astype(str).unique())
        subjects = sorted(g["data_subject"].dropna().astype(str).unique())
        row = {"activity_id": aid, "activity_name": str(g["activity_name"].iloc[0]),
               "data": self.labels("data_category", data),
               "purposes": self.labels("data_use", purposes),
               "subjects": self.labels("data_subject", subjects)}
        evidence = [f"flows: {len(g)}; data: {_join(data)}; purposes: {_join(purposes)}; "
                    f"subjects: {_join(subjects)}"]
        return row, evidence, data

    def out_of_scope(self, aid: str, g: pd.DataFrame) -> dict[str, Any]:
        row, evidence, _ = self.base(aid, g)
        row["code"] = "flow-out-of-scope"
        evidence.append(f"recipients: {_join(sorted(g['recipient'].astype(str).unique()))}")
        evidence += sorted(g["reason"].astype(str).unique())
        row["evidence"] = "; ".join(evidence)
        return row

    def group(self, aid: str, rid: str, klass: str, g: pd.DataFrame) -> dict[str, Any]:
        frame = self.st.frame
        row, evidence, data = self.base(aid, g)
        first_party = bool((g["party"].astype(str) == "first_party").all())
        row["recipient_label"] = self.label(rid)
        row["recipient_id"] = None if first_party else rid
        row["flow"] = (f"collects or uses {row['data']}" if first_party
                       else f"gives {row['data']} to {row['recipient_label']}")
        example = data[0] if data else None
        if klass == "vague":
            s = self.common(g, "statement_id")
            row["code"] = "flow-vague"
            row["section"] = frame.iloc[s]["section"]
            worst = g.sort_values(["data_vagueness", "entity_vagueness"], ascending=False).iloc[0]
            if pd.notna(worst["data_category"]):
                example = str(worst["data_category"])
            vd, ve = float(g["data_vagueness"].max()), float(g["entity_vagueness"].max())
            row["severity"] = "low" if max(vd, ve) >= 0.5 else "info"
            evidence.append(f"data vagueness up to {vd:.2f}, recipient vagueness up to {ve:.2f}")
            evidence.append(self.cite(s, rid, example))
        elif klass in ("incorrect", "ambiguous"):
            n = self.common(g, "negation_id")
            row["code"] = f"flow-{klass}"
            row["section"] = frame.iloc[n]["section"]
            if klass == "ambiguous":
                s = self.common(g, "statement_id")
                row["disclosure_section"] = frame.iloc[s]["section"]
                row["severity"] = "medium" if first_party else "high"
                evidence.append("disclosed by " + self.cite(s, rid, example))
            evidence.append("denied by " + self.cite(n, rid, example))
            evidence += sorted(g["reason"].astype(str).unique())
        else:  # omitted
            row["code"] = "flow-omitted-first-party" if first_party else "flow-omitted-recipient"
            near = self.nearest(rid, g)
            lifted = [x for x in sorted(g["reason"].astype(str).unique()) if "does not apply" in x]
            row["section"] = frame.iloc[near[0]]["section"] if near else None
            if near:
                evidence.append(f"nearest: {self.cite(near[0], rid, example)} ({near[1]})")
            else:
                cat = self.category(rid)
                above = f" or a category above it ({cat})" if cat and cat != rid else ""
                evidence.append(f"no statement names {rid}{above}")
                if lifted:  # the only statement that speaks of it is a negation it is let through
                    row["section"] = _section_in(lifted[0])
            evidence += lifted
        row["evidence"] = "; ".join(evidence)
        return row

    def nearest(self, rid: str, g: pd.DataFrame) -> tuple[int, str] | None:
        """The positive statement closest to disclosing an omitted group, and what it lacks."""
        res, st = self.res, self.st
        r = self.rec_row.get(rid)
        if r is None or not len(st.frame):
            return None
        cand = np.flatnonzero(st.positive & (res.De[r] >= 0))
        if not len(cand):
            return None
        dims = []
        for col, rows, mat in (("data_category", self.data_row, res.Dd >= 0),
                               ("purpose", self.purp_row, res.P_ok),
                               ("data_subject", self.subj_row, res.J_ok)):
            vals = sorted(g[col].dropna().astype(str).unique())
            ok = mat[[rows[v] for v in vals]][:, cand] if vals else np.zeros((0, len(cand)), bool)
            dims.append((vals, ok))
        # most dimensions fully covered, then the closest recipient, then most values covered
        full = sum(ok.all(axis=0).astype(np.int64) for _, ok in dims)
        count = sum(ok.sum(axis=0) for _, ok in dims)
        k = int(np.lexsort((-count, res.De[r, cand], -full))[0])
        lacks = []
        for word, (vals, ok) in zip(("data", "purpose", "subjects"), dims, strict=True):
            missing = [v for v, hit in zip(vals, ok[:, k], strict=True) if not hit]
            if missing:
                lacks.append(f"{word} {', '.join(missing)}")
        who = "us" if rid == "we" else "the recipient"
        note = f"it covers {who} but not " + "; ".join(lacks) if lacks else f"it covers {who}"
        return int(cand[k]), note
