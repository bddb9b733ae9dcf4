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
lawful-basis) combinations, then broadcast back to the flows as categoricals.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..core.findings import findings_frame, make_findings
from ..policy.model import EXCEPTION_KEYS

if TYPE_CHECKING:
    from ..core.taxonomy import Taxonomy
    from ..policy.model import Policy
    from ..register.model import Register

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
                    "contract": "art6_1_b", "vital_interests": "art6_1_d",
                    # the register records that consent is the basis, not how it is asked:
                    # the reason tells the DPO to confirm that it is explicit
                    "explicit_consent": "art6_1_a"}
_EXC_BIT = {key: 1 << i for i, key in enumerate(EXCEPTION_KEYS)}
_EXCEPTION_HOW = {"consent": "lawful basis art6_1_a",
                  "explicit_consent": "lawful basis art6_1_a (confirm that the consent asked is explicit)",
                  "legal_obligation": "art6_1_c, or a public authority receiving for a legal obligation",
                  "contract": "lawful basis art6_1_b", "vital_interests": "lawful basis art6_1_d"}
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
    basis_set: np.ndarray        # per activity: code into basis_sets
    basis_sets: list[str]        # distinct sets of lawful bases, ';'-joined


def _as_list(cell: Any) -> list[Any]:
    if isinstance(cell, list | tuple):
        return list(cell)
    if isinstance(cell, str) and cell:
        return [v.strip() for v in cell.split(";")]
    return []


def _codes(series: pd.Series, *, drop: Sequence[str] = (), first: str | None = None
           ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Lengths, flat integer codes and unique values of a list column, without a loop per cell.

    Blank entries, entries in ``drop`` (case-insensitive) and repeats within a cell are left
    out; ``first`` is put at the head of every cell; a cell left empty becomes one missing
    value (code -1), so that its activity still has flows.
    """
    cells = series.tolist()
    if not set(map(type, cells)) <= {list}:
        cells = [_as_list(c) for c in cells]
    n = len(cells)
    lengths = np.fromiter(map(len, cells), dtype=np.int64, count=n)
    flat = np.fromiter(chain.from_iterable(cells), dtype=object, count=int(lengths.sum()))
    codes, uniques = pd.factorize(flat)
    uniques = np.asarray(uniques, dtype=object)
    dropped = {d.lower() for d in drop} | ({first} if first else set())
    bad = np.array([not (isinstance(u, str) and u.strip()) or u.strip().lower() in dropped
                    or u in dropped for u in uniques], dtype=bool)
    owner = np.repeat(np.arange(n, dtype=np.int64), lengths)
    keep = codes >= 0
    keep[keep] = ~bad[codes[keep]]
    key = owner * (len(uniques) + 1) + codes
    keep &= ~pd.Series(key).duplicated().to_numpy()
    codes, owner = codes[keep], owner[keep]
    kept = np.bincount(owner, minlength=n)
    head = 0
    if first is not None:
        hit = np.flatnonzero(uniques == first)
        first_code = int(hit[0]) if len(hit) else len(uniques)
        if not len(hit):
            uniques = np.append(uniques, first)
        head = 1
    final = np.maximum(kept + head, 1)
    start = np.cumsum(final) - final
    out = np.full(int(final.sum()), -1, dtype=np.int32)
    if head:
        out[start] = first_code
    rank = np.arange(len(codes)) - (np.cumsum(kept) - kept)[owner]
    out[start[owner] + head + rank] = codes
    return final, out, uniques


def _cross(lengths: Sequence[np.ndarray]) -> tuple[np.ndarray, list[np.ndarray]]:
    """Per flow, the activity and the position within each list: the cartesian product of
    every activity's lists, in numpy (mixed-radix decomposition of a running counter)."""
    total = np.ones(len(lengths[0]), dtype=np.int64)
    for ln in lengths:
        total *= ln
    n_flows = int(total.sum())
    small = np.int32 if n_flows < 2**31 else np.int64
    act = np.repeat(np.arange(len(total), dtype=small), total)
    k = np.arange(n_flows, dtype=small)
    k -= (np.cumsum(total) - total).astype(small)[act]
    pos: list[np.ndarray] = [np.empty(0)] * len(lengths)
    for i in range(len(lengths) - 1, -1, -1):
        ln = lengths[i].astype(small)[act]
        pos[i] = k % ln
        k //= ln
    return act, pos


def _build_flows(register: Register) -> _Flows:
    acts = register.activities
    if "status" in acts:
        acts = acts[acts["status"].astype(str).str.strip().str.lower() != "retired"]
    acts = acts.reset_index(drop=True)

    data = _codes(acts["data_categories"])
    subjects = _codes(acts["data_subjects"])
    purposes = _codes(acts["purposes"])
    recipients = _codes(acts["recipients"], drop=("none",), first="we")
    # flows in the order: activity, recipient (we first), data, purpose, subject
    order = (recipients, data, purposes, subjects)
    act, pos = _cross([c[0] for c in order])
    codes = []
    for (ln, flat, _), p in zip(order, pos, strict=True):
        offset = (np.cumsum(ln) - ln).astype(p.dtype)
        p += offset[act]
        codes.append(flat[p])
    del pos
    r, d, p, j = codes
    cat, kind, country, label, party = _recipient_attributes(register, recipients[2])

    # exception bits per activity, from its lawful bases (each distinct basis looked at once)
    b_len, b_codes, b_uniq = _codes(acts["lawful_basis"])
    by_basis: dict[str, int] = {}
    for key, bit in _EXC_BIT.items():
        by_basis[_EXCEPTION_BASES[key]] = by_basis.get(_EXCEPTION_BASES[key], 0) | bit
    b_bits = np.append(np.array([by_basis.get(b, 0) for b in b_uniq], dtype=np.int64), 0)[b_codes]
    starts = np.cumsum(b_len) - b_len
    basis_bits = np.bitwise_or.reduceat(b_bits, starts) if len(b_len) else np.zeros(0, np.int64)
    # the set of lawful bases per activity, as a code into distinct sets (for the flow table)
    b_key = [(np.uint64(1) << np.uint64(c)) if 0 <= c < 64 else np.uint64(0) for c in range(len(b_uniq))]
    b_mask = np.append(np.asarray(b_key, dtype=np.uint64), np.uint64(0))[b_codes]
    set_codes, set_first = _first_rows(pd.factorize(
        np.bitwise_or.reduceat(b_mask, starts) if len(b_len) else np.zeros(0, np.uint64))[0])
    if len(b_uniq) > 64:  # more distinct bases than bits: one set per activity
        set_codes, set_first = np.arange(len(b_len)), np.arange(len(b_len))
    basis_sets = [";".join(str(b_uniq[c]) for c in b_codes[o:o + ln] if c >= 0)
                  for o, ln in zip(starts[set_first], b_len[set_first], strict=True)]
    processor = (acts["role"].astype(str).str.strip().str.lower() == "processor").to_numpy(bool)
    return _Flows(acts=acts, act=act, d=d, j=j, p=p, r=r,
                  data=data[2], subjects=subjects[2], purposes=purposes[2], recipients=recipients[2],
                  rec_category=cat, rec_kind=kind, rec_country=country, rec_label=label, party=party,
                  basis_bits=basis_bits, processor=processor,
                  basis_set=set_codes, basis_sets=basis_sets)


def _recipient_attributes(register: Register, values: np.ndarray):
    """Per distinct recipient value: category, kind, country, label and party (a few hundred
    values; the taxonomy is asked once for all of them)."""
    tax = register.taxonomy
    n = len(values)
    values = np.asarray(values, dtype=object)
    rec = register.recipients
    if rec is not None and len(rec):
        rec = rec[rec["recipient_id"].notna() & rec["recipient_id"].astype(str).ne("")]
        rec = rec.drop_duplicates("recipient_id", keep="last").set_index("recipient_id")
        named = pd.Index(rec.index).get_indexer(values)
        named[values == "we"] = -1
    else:
        rec, named = None, np.full(n, -1)
    is_named = named >= 0
    take = np.maximum(named, 0)

    def column(name: str) -> np.ndarray:
        if rec is None or name not in rec:
            return np.full(n, "", dtype=object)
        vals = rec[name].astype(object).where(rec[name].notna(), "").to_numpy(object)
        return np.where(is_named, vals[take] if len(vals) else "", "").astype(object)

    rcat = column("category")
    known_cat = tax.known("recipient", rcat) if n else np.zeros(0, bool)
    known = tax.known("recipient", values) if n else np.zeros(0, bool)
    cat = np.where(is_named, np.where(known_cat, rcat, "third_party"),
                   np.where(known, values, None)).astype(object)
    kind = column("kind")
    country = column("country")
    names = column("name")
    labels = tax.labels("recipient")
    label = np.array([names[i] or v if is_named[i] else labels.get(v, v) for i, v in enumerate(values)],
                     dtype=object)
    org = register.organisation or {}
    org_country = str(org.get("country") or (org.get("controller") or {}).get("country") or "")
    first = tax.is_under("recipient", cat, "we") if n else np.zeros(0, bool)
    third = tax.is_under("recipient", cat, "third_party") if n else np.zeros(0, bool)
    public = tax.is_under("recipient", cat, "third_party.public_authority") if n else np.zeros(0, bool)
    kind = np.where(first & (kind == ""), "internal", kind)
    kind = np.where(public & (kind == ""), "public_authority", kind)
    country = np.where(first & (country == ""), org_country, country)
    label = np.where(values == "we", "us (first party)", label)
    party = np.where(first, "first_party", np.where(third, "third_party", "unknown")).astype(object)
    return cat, kind.astype(object), country.astype(object), label.astype(object), party


def _categorical(codes: np.ndarray, categories: Any, inverse: np.ndarray | None = None) -> pd.Categorical:
    """A categorical from codes into ``categories`` (duplicates and blanks folded; -1 missing),
    optionally broadcast through ``inverse`` (per-combination codes to flows) after remapping."""
    cats = categories if isinstance(categories, pd.Series) else pd.Series(categories, dtype=object)
    uniq_codes, uniques = pd.factorize(cats.where(cats.notna() & cats.ne(""), None))
    n = len(uniques)
    dtype = np.int8 if n < 2**7 else np.int16 if n < 2**15 else np.int32
    remap = np.append(uniq_codes, -1).astype(dtype)  # code -1 stays missing
    small = remap[codes]
    if inverse is not None:
        small = small[inverse]
    return pd.Categorical.from_codes(small, categories=pd.Index(uniques, dtype=object), validate=False)


def _flow_frame(f: _Flows) -> pd.DataFrame:
    a = f.acts
    act = f.act
    cols = {
        "activity_id": _categorical(act, a["activity_id"].astype(str)),
        "activity_name": _categorical(act, a["name"].astype(str)),
        "role": _categorical(act, a["role"].astype(str).str.strip().str.lower()),
        "lawful_basis": _categorical(f.basis_set[act], f.basis_sets),
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
    entities: list[list[str]]    # who the statement covers flows to (its actor too, if positive)
    promised: list[list[str]]    # who it says receives the data (the reverse direction)
    purposes: list[list[str]]
    subjects: list[list[str]]
    exceptions: np.ndarray       # per statement: exception bits that lift it (negations)


def _statements(policy: Policy) -> _Statements:
    st = policy.statements
    st = st[st["action"].isin(POSITIVE_ACTIONS + NEGATIVE_ACTIONS)].reset_index(drop=True)
    data, ents, promised, purps, subjs, exc = [], [], [], [], [], []
    for rec in st.to_dict("records"):
        data.append(list(dict.fromkeys(rec["data_categories"] or [])) or [_DATA_ROOT])
        actor = (rec.get("actor") or "").strip() or "we"
        said = list(dict.fromkeys(rec["recipients"] or []))
        if not said:
            said = ["third_party"] if rec["action"] in _THIRD_PARTY_ACTIONS and actor == "we" else [actor]
        promised.append(said)
        # a disclosure also tells what its actor does (we track with Google Analytics: we get
        # the figures; we share invoices with the collection agency: we use them for that)
        ents.append(list(dict.fromkeys([*said, actor])) if rec["action"] in POSITIVE_ACTIONS else said)
        purps.append(list(dict.fromkeys(rec["purposes"] or [])))
        subjs.append(list(dict.fromkeys(rec["data_subjects"] or [])))
        exc.append(sum(_EXC_BIT.get(e, 0) for e in set(rec["exceptions"] or [])))
    return _Statements(frame=st, positive=st["action"].isin(POSITIVE_ACTIONS).to_numpy(bool),
                       data=data, entities=ents, promised=promised, purposes=purps, subjects=subjs,
                       exceptions=np.asarray(exc, dtype=np.int64))


def _pairwise(tax: Taxonomy, kind: str, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
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


def _vagueness(dist: np.ndarray, depth: np.ndarray) -> np.ndarray:
    """PoliCheck's normalised vagueness, d / (d + depth of the statement's term); NaN where the
    statement does not cover the value."""
    d = dist.astype(np.float32)
    denom = d + depth.astype(np.float32)
    v = np.divide(d, denom, out=np.zeros_like(d), where=denom > 0)
    return np.where(dist >= 0, v, np.nan).astype(np.float32)


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
    Hd = dT.closest_depth(dd_t, Dd, tax.depth("data_category", dT.terms) if len(dT.terms) else np.zeros(0))
    rel_d = dT.reduce_any((dd_t >= 0) | (_pairwise(tax, "data_category", dT.terms, data_v).T >= 0))
    # recipients: the named recipient itself, or its category, under the statement's entity
    def entity_distance(terms: np.ndarray) -> np.ndarray:
        d = _pairwise(tax, "recipient", cat_v, terms)
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
    rT = _Terms.of(st.promised)
    rel_e = rT.reduce_any((entity_distance(rT.terms) >= 0)
                          | (_pairwise(tax, "recipient", rT.terms, rec_v).T >= 0))
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
    act_bits = (f.basis_bits | np.where(f.processor, _PROCESSOR_BIT, 0)).astype(np.int8)
    legal_bit = np.int8(_EXC_BIT["legal_obligation"])
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
    dr_inv, dr_key = _pairs(cd.astype(np.int64) * nr + cr, nd * nr)
    dr_d, dr_r = dr_key // nr, dr_key % nr
    pj_inv, pj_key = _pairs(cp.astype(np.int64) * nj + cj, npu * nj)
    pj_p, pj_j = pj_key // nj, pj_key % nj

    # The best statement: least data + recipient distance, then least data distance, then the
    # deepest (least vague) data term and recipient term; only then policy order. The key is a
    # small integer, so that ties in it never change the distances or vagueness reported. It is
    # computed per (data, recipient) pair in blocks of rows, so that memory stays bounded by
    # the bitsets, not by pairs x statements.
    scores = _PairScores(Dd, De, Hd, He, dr_d, dr_r)
    pj_ok = P_ok[pj_p] & J_ok[pj_j]
    # Disclosures and negations each get their own bit space (negations are few: one word).
    pcols, ncols = np.flatnonzero(st.positive), np.flatnonzero(~st.positive)
    Wp, Wn = max(1, (len(pcols) + 63) // 64), max(1, (len(ncols) + 63) // 64)
    dr_pos, dr_neg, levels = scores.pack(pcols, ncols, Wp, Wn)
    pos = dr_pos[dr_inv] & _pack(pj_ok[:, pcols], Wp)[pj_inv]
    neg_all = dr_neg[dr_inv] & _pack(pj_ok[:, ncols], Wn)[pj_inv]
    del dr_pos, dr_neg
    # per exception mask: the negations an exception in it lifts
    masks = np.arange(2 * _PROCESSOR_BIT, dtype=np.int64)[:, None]
    lift = _pack((st.exceptions[ncols][None, :] & masks) != 0, Wn)[cm]
    neg = neg_all & ~lift
    lifted = neg_all & lift
    del neg_all, lift
    has_pos = (pos != 0).any(axis=1)
    has_neg = (neg != 0).any(axis=1)

    def best(bits: np.ndarray, sel: np.ndarray, cols: np.ndarray, words: int,
             levels: np.ndarray, scores: _PairScores) -> np.ndarray:
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
            hit = _first_bit(scores.tier(rows, cols, level, words)[at] & bits[todo])
            ok = hit >= 0
            found[todo[ok]] = cols[hit[ok]]
            todo = todo[~ok]
        return found

    best_pos = best(pos, has_pos, pcols, Wp, levels[0], scores)
    best_neg = best(neg, has_neg, ncols, Wn, levels[1], scores)
    del scores
    # distances and vagueness from the statement shown: the best disclosure, else the negation
    shown = np.where(best_pos >= 0, best_pos, best_neg)
    sh0 = np.maximum(shown, 0)
    if S:
        dd_best = np.where(shown >= 0, Dd[cd, sh0], -1).astype(np.int16)
        de_best = np.where(shown >= 0, De[cr, sh0], -1).astype(np.int16)
        vd_best = np.where(shown >= 0, _vagueness(dd_best, Hd[cd, sh0]), np.nan).astype(np.float32)
        ve_best = np.where(shown >= 0, _vagueness(de_best, He[cr, sh0]), np.nan).astype(np.float32)
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
    cls[~has_pos & has_neg] = _INCORRECT
    both = np.flatnonzero(has_pos & has_neg)
    if len(both):
        contra = _contradictions(tax, st)
        amb = np.zeros(len(both), dtype=bool)
        nb, pb = neg[both], pos[both]
        for k, n in enumerate(ncols):  # a loop over negations, not flows
            rows = np.flatnonzero((nb[:, k >> 6] >> np.uint64(k & 63)) & np.uint64(1))
            if len(rows):
                hit = ((pb[rows] & _pack(contra[int(n)][pcols][None, :], Wp)[0]) != 0).any(axis=1)
                amb[rows[hit]] = True
        cls[both] = np.where(amb, _AMBIGUOUS, _INCORRECT)
    scope_out = out_scope[cj]
    proc = (cm & _PROCESSOR_BIT) != 0
    cls[scope_out | proc] = _OUT
    lifted_first = _first_bit(lifted)
    lifted_first = np.where(lifted_first >= 0, ncols[np.maximum(lifted_first, 0)] if len(ncols) else -1, -1)

    # Reverse direction: disclosures some flow relates to (data, recipient, purpose, subject).
    rel = (_pack((rel_d[dr_d] & rel_e[dr_r])[:, pcols], Wp)[dr_inv]
           & _pack((rel_p[pj_p] & rel_j[pj_j])[:, pcols], Wp)[pj_inv])
    recorded = np.zeros(S, dtype=bool)
    if len(rel):
        recorded[pcols] = _unpack(np.bitwise_or.reduce(rel, axis=0)[None, :], len(pcols))[0]

    table = _flow_frame(f)
    ids = st.frame["statement_id"].astype(str).to_numpy(object)
    patterns = _patterns(pos, ids[pcols]), _patterns(neg, ids[ncols])
    del pos, neg, lifted, rel
    _add_classes(table, inverse, st, cls, *patterns,
                 lifted_first, best_pos, best_neg, shown, dd_best, de_best, vd_best, ve_best,
                 cm, cj, proc, subj_v)
    return _Result(flows=f, st=st, table=table, Dd=Dd, De=De, P_ok=P_ok, J_ok=J_ok,
                   recorded=recorded, policy=policy)


class _PairScores:
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
            dr_pos[start:start + len(part)] = _pack(kp >= 0, wp)
            dr_neg[start:start + len(part)] = _pack(kn >= 0, wn)
            seen_p[kp[kp >= 0]] = True
            seen_n[kn[kn >= 0]] = True
        return dr_pos, dr_neg, (np.flatnonzero(seen_p), np.flatnonzero(seen_n))

    def tier(self, rows, cols, level, words) -> np.ndarray:
        """Bitsets of the statements (in ``cols``) whose key for each pair equals ``level``."""
        out = np.zeros((len(rows), words), dtype=np.uint64)
        for start, part, key in self.blocks(rows):
            out[start:start + len(part)] = _pack(key[:, cols] == level, words)
        return out


def _pairs(key: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Dense ids of the distinct keys in [0, size): a look-up table when it is small enough."""
    if size > 20_000_000:
        inv, uniq = pd.factorize(key)
        return inv.astype(np.int32), np.asarray(uniq, dtype=np.int64)
    seen = np.zeros(size, dtype=bool)
    seen[key] = True
    uniq = np.flatnonzero(seen)
    ids = np.zeros(size, dtype=np.int32)
    ids[uniq] = np.arange(len(uniq), dtype=np.int32)
    return ids[key], uniq


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

    sd, se = sub("data_category", st.data), sub("recipient", st.promised)
    within = sd & se                                      # within[a, b]: a is under b
    out = {}
    for n in np.flatnonzero(~st.positive):
        narrows = within[n, :] & ~within[:, n]
        out[int(n)] = st.positive & ~narrows
    return out


_MIX = (np.uint64(0x9E3779B97F4A7C15), np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB))


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: a well-spread 64-bit hash of each value."""
    x = x ^ (x >> np.uint64(30))
    x = x * _MIX[1]
    x = x ^ (x >> np.uint64(27))
    x = x * _MIX[2]
    return x ^ (x >> np.uint64(31))


def _group_ids(columns: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Codes of the distinct rows of several integer columns, and each group's first row.

    The columns are hashed into one 64-bit value per row and factorized once; the result is
    then checked exactly (every row equals its group's first row), and on a hash collision
    the columns are factorized one by one instead.
    """
    n = len(columns[0]) if len(columns) else 0
    if not n:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    h = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for col in columns:
            h = _mix(h * _MIX[0] + np.asarray(col).astype(np.uint64))
    codes, first = _first_rows(pd.factorize(h)[0])
    if all(np.array_equal(col, np.asarray(col)[first][codes]) for col in columns):
        return codes, first
    codes = np.zeros(n, dtype=np.int64)
    for col in columns:
        c, u = pd.factorize(col)
        codes = pd.factorize(codes * len(u) + c)[0].astype(np.int64)
    return _first_rows(codes)


def _first_rows(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Codes numbered by first appearance (as factorize numbers them), and each one's first row:
    a new code raises the running maximum."""
    codes = codes.astype(np.int64)
    if not len(codes):
        return codes, np.zeros(0, np.int64)
    high = np.maximum.accumulate(codes)
    return codes, np.flatnonzero(np.r_[True, high[1:] > high[:-1]])


def _patterns(bits: np.ndarray, ids: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """Codes of the distinct bitsets, and each one's statement ids joined by '; '."""
    if bits.shape[0] == 0:
        return np.zeros(0, np.int64), []
    codes, first = _group_ids([bits[:, w] for w in range(bits.shape[1])])
    dense = _unpack(bits[first], len(ids))
    return codes, ["; ".join(ids[np.flatnonzero(r)]) for r in dense]


def _int_column(values: np.ndarray, inverse: np.ndarray) -> pd.arrays.IntegerArray:
    """Per-combination integers (-1 = none) broadcast to the flows as a nullable Int16."""
    v = values.astype(np.int16)[inverse]
    return pd.arrays.IntegerArray(np.maximum(v, 0), v < 0)


def _add_classes(table, inverse, st, cls, pos_patterns, neg_patterns, lifted_first, best_pos,
                 best_neg, shown, dd_best, de_best, vd_best, ve_best, cm, cj, proc, subj_v) -> None:
    """Add the classification columns: per-combination codes, broadcast to the flows."""
    frame = st.frame
    ids = frame["statement_id"].astype(str).to_numpy(object)
    sections = frame["section"].astype(str).to_numpy(object)
    quotes = frame["quote"].astype(str).to_numpy(object)
    table["class"] = pd.Categorical.from_codes(cls[inverse], categories=list(CLASSES), validate=False)
    table["positive_statements"] = _categorical(pos_patterns[0], pos_patterns[1], inverse)
    table["negative_statements"] = _categorical(neg_patterns[0], neg_patterns[1], inverse)
    neg_shown = np.where(np.isin(cls, (_INCORRECT, _AMBIGUOUS)), best_neg, -1)
    for col, codes in (("statement_id", shown), ("negation_id", neg_shown)):
        table[col] = _categorical(codes, ids, inverse)
        prefix = "negation_" if col == "negation_id" else ""
        table[prefix + "section"] = _categorical(codes, sections, inverse)
        table[prefix + "quote"] = _categorical(codes, quotes, inverse)
    table["data_distance"] = _int_column(dd_best, inverse)
    table["entity_distance"] = _int_column(de_best, inverse)
    table["data_vagueness"] = vd_best.astype(np.float32)[inverse]
    table["entity_vagueness"] = ve_best.astype(np.float32)[inverse]

    # Reasons, built once per distinct explanation.
    is_vague = cls == _VAGUE
    is_neg = np.isin(cls, (_INCORRECT, _AMBIGUOUS))
    parts = [
        cls.astype(np.int64), np.where(cls == _OUT, -1, best_pos), np.where(is_neg, best_neg, -1),
        np.where(is_vague, dd_best, 0), np.where(is_vague, de_best, 0),
        np.where(np.isin(cls, (_OMITTED, _CLEAR, _VAGUE)), lifted_first, -1),
        np.where(is_neg | (cls == _OMITTED) | (lifted_first >= 0), cm & (_PROCESSOR_BIT - 1), 0),
        np.where(cls == _OUT, np.where(proc, -2, cj), -1),
    ]
    rcodes, first = _group_ids(parts)
    texts = [_reason(tuple(int(c[i]) for c in parts), st, ids, sections, subj_v) for i in first]
    table["reason"] = _categorical(rcodes, texts, inverse)


def _exception_words(bits: int) -> list[str]:
    return [k for k, b in _EXC_BIT.items() if bits & b]


def _reason(t: tuple, st: _Statements, ids, sections, subj_v) -> str:
    c, bp, bn, dd, de, lf, mm, jj = (int(x) for x in t)

    def ref(s: int) -> str:
        return f"{ids[s]} (§{sections[s]})"

    def lifted_note() -> str:
        if lf < 0:
            return ""
        met = _exception_words(int(st.exceptions[lf]) & mm)
        how = ", ".join(_EXCEPTION_HOW[e] for e in met)
        return f"; {ref(lf)} does not apply: its exception {' and '.join(met)} is met ({how})"

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
        >>> from ropa.checks.consistency import consistency_findings
        >>> reg = ropa.load_register("registers/pro-at")
        >>> pol = ropa.load_policy("registers/pro-at/policies/2018-05-24.flows.yaml")
        >>> f = consistency_findings(reg, pol)
        >>> set(f["area"]) == {"consistency"}
        True
    """
    res = _classify(register, policy)
    return _findings(register.taxonomy, res, policy)


def _findings(tax: Taxonomy, res: _Result, policy: Policy) -> pd.DataFrame:
    st = res.st
    frame = st.frame
    ctx = _Context(tax, res)
    groups = _Groups(res.table)
    rows_by_code: dict[str, list[dict[str, Any]]] = {}
    for row in groups.rows_for(ctx):
        rows_by_code.setdefault(row.pop("code"), []).append(row)
    parts = [make_findings(code, rows, policy_version=policy.version)
             for code, rows in rows_by_code.items()]
    rows = []
    for s in np.flatnonzero(st.positive & ~res.recorded):
        rec = frame.iloc[s]
        third = [e for e in st.promised[s] if not tax.is_under("recipient", e, "we")]
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
            f"data: {_join(st.data[s])}", f"recipients: {_join(st.promised[s])}"]
    if st.purposes[s]:
        bits.append(f"purposes: {_join(st.purposes[s])}")
    if st.subjects[s]:
        bits.append(f"subjects: {_join(st.subjects[s])}")
    return "; ".join(bits)


class _Groups:
    """The flows that raise findings, grouped: activity × recipient × class (flows out of the
    policy's scope by activity alone; processor activities and clear flows raise nothing).

    Every per-group fact is computed over the table's categorical codes at once; only the
    sentences are then written group by group.
    """

    def __init__(self, table: pd.DataFrame):
        self.table = table
        cls = table["class"].cat.codes.to_numpy()
        keep = (cls != _CLEAR) & ~(table["role"] == "processor").to_numpy(dtype=bool)
        self.rows = np.flatnonzero(keep)
        k = cls[self.rows].astype(np.int64)
        r = np.where(k == _OUT, -1, self.codes("recipient"))
        self.gid, self.first = _group_ids([self.codes("activity_id"), r, k])
        self.n = len(self.first)
        self.order = np.argsort(self.gid, kind="stable")
        self.bounds = np.searchsorted(self.gid[self.order], np.arange(self.n + 1))

    def codes(self, col: str) -> np.ndarray:
        return self.table[col].cat.codes.to_numpy()[self.rows].astype(np.int64)

    def first_value(self, col: str) -> list[Any]:
        cats = np.asarray(self.table[col].cat.categories, dtype=object)
        return [None if c < 0 else cats[c] for c in self.codes(col)[self.first]]

    def sets(self, col: str) -> list[list[str]]:
        """Per group, the distinct values of ``col``, sorted."""
        cats = np.asarray(self.table[col].cat.categories, dtype=object)
        order = np.argsort(cats.astype(str), kind="stable")
        rank = np.empty(len(cats), dtype=np.int64)
        rank[order] = np.arange(len(cats))
        c = self.codes(col)
        valid = c >= 0
        width = len(cats) + 1
        key = np.unique(self.gid[valid] * width + rank[c[valid]])
        values = cats[order][key % width]
        bounds = np.searchsorted(key // width, np.arange(self.n + 1))
        return [list(values[bounds[i]:bounds[i + 1]]) for i in range(self.n)]

    def ranked(self, col: str) -> list[list[tuple[str, str | None]]]:
        """Per group, the distinct statements cited in ``col``, most cited first (then in
        policy order), each with a data category of a flow that cites it."""
        cats = np.asarray(self.table[col].cat.categories, dtype=object)
        data = np.asarray(self.table["data_category"].cat.categories, dtype=object)
        c = self.codes(col)
        valid = np.flatnonzero(c >= 0)
        width = len(cats) + 1
        u, first, counts = np.unique(self.gid[valid] * width + c[valid], return_index=True,
                                     return_counts=True)
        grp, code = u // width, u % width
        o = np.lexsort((code, -counts, grp))
        grp, code = grp[o], code[o]
        d = self.codes("data_category")[valid[first[o]]]
        bounds = np.searchsorted(grp, np.arange(self.n + 1))
        return [[(cats[code[j]], data[d[j]] if d[j] >= 0 else None) for j in range(bounds[i], bounds[i + 1])]
                for i in range(self.n)]

    def maximum(self, col: str) -> np.ndarray:
        values = self.table[col].to_numpy(dtype=np.float64)[self.rows][self.order]
        if not self.n:
            return values[:0]
        with np.errstate(invalid="ignore"):
            return np.fmax.reduceat(values, self.bounds[:-1])

    def rows_for(self, ctx: _Context) -> list[dict[str, Any]]:
        """One finding row per group (with its ``code``)."""
        if not self.n:
            return []
        aid, rid, klass = (self.first_value(c) for c in ("activity_id", "recipient", "class"))
        name, party, basis = (self.first_value(c) for c in ("activity_name", "party", "lawful_basis"))
        data, purposes, subjects = (self.sets(c) for c in ("data_category", "purpose", "data_subject"))
        recipients, reasons = self.sets("recipient"), self.sets("reason")
        disclosures, negations = self.ranked("statement_id"), self.ranked("negation_id")
        vd, ve = self.maximum("data_vagueness"), self.maximum("entity_vagueness")
        sizes = np.diff(self.bounds)
        out = []
        for i in range(self.n):
            row: dict[str, Any] = {
                "activity_id": aid[i], "activity_name": name[i],
                "data": ctx.labels("data_category", data[i]),
                "purposes": ctx.labels("data_use", purposes[i]),
                "subjects": ctx.labels("data_subject", subjects[i]),
            }
            evidence = [f"flows: {int(sizes[i])}; data: {_join(data[i])}; purposes: {_join(purposes[i])}; "
                        f"subjects: {_join(subjects[i])}"]
            if klass[i] == "out_of_scope":
                row["code"] = "flow-out-of-scope"
                evidence.append(f"recipients: {_join(recipients[i])}")
                evidence += reasons[i]
            else:
                ctx.describe(row, evidence, rid[i], klass[i], party[i] == "first_party", basis[i],
                             data[i], purposes[i], subjects[i], disclosures[i], negations[i],
                             float(vd[i]), float(ve[i]), reasons[i])
            row["evidence"] = "; ".join(evidence)
            out.append(row)
        return out


class _Context:
    """Look-ups from keys to rows of the matrices, and the sentences of a finding (cached)."""

    def __init__(self, tax: Taxonomy, res: _Result):
        self.tax, self.res, self.st = tax, res, res.st
        f = res.flows
        self.rec_row = {v: i for i, v in enumerate(f.recipients)}
        self.data_row = {v: i for i, v in enumerate(f.data)}
        self.purp_row = {v: i for i, v in enumerate(f.purposes)}
        self.subj_row = {v: i for i, v in enumerate(f.subjects)}
        self.by_id = {sid: i for i, sid in enumerate(self.st.frame["statement_id"].astype(str))}
        frame = self.st.frame
        self.ids = frame["statement_id"].astype(str).tolist()
        self.sections = frame["section"].astype(str).tolist()
        self.quotes = frame["quote"].astype(str).tolist()
        self._cites: dict[tuple[int, str, str | None], str] = {}
        self._paths: dict[tuple[str, str | None, tuple[str, ...]], str] = {}
        self._near: dict[tuple, tuple[int, str] | None] = {}
        self._near_rec: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = {}
        self._labels: dict[tuple[str, tuple[str, ...]], str] = {}

    def label(self, rid: str) -> str:
        i = self.rec_row.get(rid)
        return str(self.res.flows.rec_label[i]) if i is not None else self.tax.label("recipient", rid)

    def labels(self, kind: str, keys: list[str]) -> str:
        key = (kind, tuple(keys))
        text = self._labels.get(key)
        if text is None:
            names = self.tax.labels(kind)
            text = self._labels[key] = _join([names.get(k, k) for k in keys])
        return text

    def category(self, rid: str) -> str | None:
        i = self.rec_row.get(rid)
        return self.res.flows.rec_category[i] if i is not None else None

    def cite(self, s: int, rid: str, flow_data: str | None) -> str:
        key = (s, rid, flow_data)
        text = self._cites.get(key)
        if text is None:
            text = f'§{self.sections[s]} {self.ids[s]}: "{self.quotes[s]}"'
            path_d = self.path("data_category", flow_data, self.st.data[s])
            ents = self.st.entities[s]
            path_e = self.path("recipient", rid, ents) or self.path("recipient", self.category(rid), ents)
            if path_d:
                text += f"; data path: {path_d}"
            if path_e:
                text += f"; recipient path: {path_e}"
            self._cites[key] = text
        return text

    def path(self, kind: str, x: str | None, terms: list[str]) -> str:
        key = (kind, x, tuple(terms))
        text = self._paths.get(key)
        if text is None:
            text = self._paths[key] = _path_text(self.tax, kind, x, terms)
        return text

    def describe(self, row, evidence, rid, klass, first_party, basis, data, purposes, subjects,
                 disclosures, negations, vd, ve, reasons) -> None:
        """Code, severity, section and evidence of a group of flows that are not clear."""
        row["recipient_label"] = self.label(rid)
        row["recipient_id"] = None if first_party else rid
        row["flow"] = (f"collects or uses {row['data']}" if first_party
                       else f"gives {row['data']} to {row['recipient_label']}")
        example = data[0] if data else None

        def cites(ranked: list[tuple[str, str | None]], limit: int = 6) -> list[str]:
            return [self.cite(self.by_id[str(sid)], rid, d) for sid, d in ranked[:limit]]

        if klass == "vague":
            s = self.by_id[str(disclosures[0][0])]
            row["code"] = "flow-vague"
            row["section"] = self.sections[s]
            row["severity"] = "low" if max(vd, ve) >= 0.5 else "info"
            evidence.append(f"data vagueness up to {vd:.2f}, recipient vagueness up to {ve:.2f}")
            evidence += cites(disclosures)
        elif klass in ("incorrect", "ambiguous"):
            n = self.by_id[str(negations[0][0])]
            row["code"] = f"flow-{klass}"
            row["section"] = self.sections[n]
            if klass == "ambiguous":
                row["disclosure_section"] = self.sections[self.by_id[str(disclosures[0][0])]]
                row["severity"] = "medium" if first_party else "high"
                evidence.append("disclosed by " + "; ".join(cites(disclosures)))
            evidence.append("denied by " + self.cite(n, rid, example))
            exc = _exception_words(int(self.st.exceptions[n]))
            if exc:
                evidence.append(f"its exception {' or '.join(exc)} is not met (lawful basis: {basis or 'none'})")
            if klass == "incorrect" and disclosures:
                evidence.append("the negation is narrower than the disclosure "
                                + _join([sid for sid, _ in disclosures]) + ", an exception to it")
        else:  # omitted
            row["code"] = "flow-omitted-first-party" if first_party else "flow-omitted-recipient"
            near = self.nearest(rid, data, purposes, subjects)
            lifted = [x for x in reasons if "does not apply" in x]
            row["section"] = self.sections[near[0]] if near else None
            if near:
                evidence.append(f"nearest: {self.cite(near[0], rid, example)} ({near[1]})")
            else:
                cat = self.category(rid)
                above = f" or a category above it ({cat})" if cat and cat != rid else ""
                evidence.append(f"no statement names {rid}{above}")
                if lifted:  # the only statement that speaks of it is a negation it is let through
                    row["section"] = _section_in(lifted[0])
            evidence += lifted

    def nearest(self, rid: str, data: list[str], purposes: list[str], subjects: list[str]
                ) -> tuple[int, str] | None:
        """The positive statement closest to disclosing an omitted group, and what it lacks."""
        key = (rid, tuple(data), tuple(purposes), tuple(subjects))
        if key in self._near:
            return self._near[key]
        found = None
        sliced = self._for_recipient(rid)
        if sliced is not None:
            cand, dist, d_ok, p_ok, j_ok = sliced
            dims = []
            for vals, rows, mat in ((data, self.data_row, d_ok), (purposes, self.purp_row, p_ok),
                                    (subjects, self.subj_row, j_ok)):
                ok = mat[[rows[v] for v in vals]] if vals else np.zeros((0, len(cand)), bool)
                dims.append((vals, ok))
            # most dimensions fully covered, then the closest recipient, then most values covered
            full = sum(ok.all(axis=0).astype(np.int64) for _, ok in dims)
            count = sum(ok.sum(axis=0) for _, ok in dims)
            k = int(np.lexsort((-count, dist, -full))[0])
            lacks = []
            for word, (vals, ok) in zip(("data", "purpose", "subjects"), dims, strict=True):
                missing = [v for v, hit in zip(vals, ok[:, k], strict=True) if not hit]
                if missing:
                    lacks.append(f"{word} {', '.join(missing)}")
            who = "us" if rid == "we" else "the recipient"
            found = (int(cand[k]), f"it covers {who} but not " + "; ".join(lacks) if lacks else f"it covers {who}")
        self._near[key] = found
        return found

    def _for_recipient(self, rid: str):
        """The disclosures that cover a recipient, with the coverage matrices sliced to them."""
        if rid not in self._near_rec:
            res, st = self.res, self.st
            r = self.rec_row.get(rid)
            cand = np.flatnonzero(st.positive & (res.De[r] >= 0)) if r is not None and len(st.frame) else []
            self._near_rec[rid] = (None if not len(cand) else
                                   (cand, res.De[r, cand], res.Dd[:, cand] >= 0, res.P_ok[:, cand],
                                    res.J_ok[:, cand]))
        return self._near_rec[rid]
