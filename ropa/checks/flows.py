"""The register's data flows: every activity × data category × data subject × purpose × recipient.

A *flow* is one activity × data category × data subject × purpose × recipient of the register,
including the flows to ``we`` (the organisation's own collection and use; every activity has
them, and ``recipients: none`` means only them). Retired activities have no flows.

The flows are built without a loop over cells or flows: each list column becomes flat integer
codes into its distinct values, and the cartesian product of every activity's lists is taken
in numpy (:func:`build_flows`). :func:`flows` gives them as a table of categoricals;
:mod:`ropa.checks.consistency` classifies them against a policy.

Example:
    >>> import ropa
    >>> from ropa.checks.flows import build_flows
    >>> f = build_flows(ropa.load_register("registers/pro-at"))
    >>> "we" in set(f.recipients)
    True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..policy.model import EXCEPTION_KEYS
from ..register.model import live_activities
from .bitsets import first_rows

if TYPE_CHECKING:
    from ..register.model import Register

__all__ = ["EXCEPTION_BITS", "FLOW_COLUMNS", "FlowCodes", "as_categorical", "build_flows", "flow_frame", "flows"]


#: The columns of :func:`flows`.
FLOW_COLUMNS: tuple[str, ...] = (
    "activity_id", "activity_name", "role", "lawful_basis", "data_category", "data_subject",
    "purpose", "recipient", "recipient_category", "recipient_kind", "recipient_country", "party",
)


#: Lawful bases that meet each exception of a negation (bit i of the exception mask).
_EXCEPTION_BASES = {"consent": "art6_1_a", "legal_obligation": "art6_1_c",
                    "contract": "art6_1_b", "vital_interests": "art6_1_d",
                    # the register records that consent is the basis, not how it is asked:
                    # the reason tells the DPO to confirm that it is explicit
                    "explicit_consent": "art6_1_a"}

#: The bit of each exception a negation may state (consent, legal_obligation, ...), in the
#: masks of what a flow meets and of what lifts a negation.
EXCEPTION_BITS = {key: 1 << i for i, key in enumerate(EXCEPTION_KEYS)}


@dataclass
class FlowCodes:
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


def build_flows(register: Register) -> FlowCodes:
    acts = live_activities(register.activities).reset_index(drop=True)

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
    for key, bit in EXCEPTION_BITS.items():
        by_basis[_EXCEPTION_BASES[key]] = by_basis.get(_EXCEPTION_BASES[key], 0) | bit
    b_bits = np.append(np.array([by_basis.get(b, 0) for b in b_uniq], dtype=np.int64), 0)[b_codes]
    starts = np.cumsum(b_len) - b_len
    basis_bits = np.bitwise_or.reduceat(b_bits, starts) if len(b_len) else np.zeros(0, np.int64)
    # the set of lawful bases per activity, as a code into distinct sets (for the flow table)
    b_key = [(np.uint64(1) << np.uint64(c)) if 0 <= c < 64 else np.uint64(0) for c in range(len(b_uniq))]
    b_mask = np.append(np.asarray(b_key, dtype=np.uint64), np.uint64(0))[b_codes]
    set_codes, set_first = first_rows(pd.factorize(
        np.bitwise_or.reduceat(b_mask, starts) if len(b_len) else np.zeros(0, np.uint64))[0])
    if len(b_uniq) > 64:  # more distinct bases than bits: one set per activity
        set_codes, set_first = np.arange(len(b_len)), np.arange(len(b_len))
    basis_sets = [";".join(str(b_uniq[c]) for c in b_codes[o:o + ln] if c >= 0)
                  for o, ln in zip(starts[set_first], b_len[set_first], strict=True)]
    processor = (acts["role"].astype(str).str.strip().str.lower() == "processor").to_numpy(bool)
    return FlowCodes(acts=acts, act=act, d=d, j=j, p=p, r=r,
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


def as_categorical(codes: np.ndarray, categories: Any, inverse: np.ndarray | None = None) -> pd.Categorical:
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


def flow_frame(f: FlowCodes) -> pd.DataFrame:
    a = f.acts
    act = f.act
    cols = {
        "activity_id": as_categorical(act, a["activity_id"].astype(str)),
        "activity_name": as_categorical(act, a["name"].astype(str)),
        "role": as_categorical(act, a["role"].astype(str).str.strip().str.lower()),
        "lawful_basis": as_categorical(f.basis_set[act], f.basis_sets),
        "data_category": as_categorical(f.d, f.data),
        "data_subject": as_categorical(f.j, f.subjects),
        "purpose": as_categorical(f.p, f.purposes),
        "recipient": as_categorical(f.r, f.recipients),
        "recipient_category": as_categorical(f.r, f.rec_category),
        "recipient_kind": as_categorical(f.r, f.rec_kind),
        "recipient_country": as_categorical(f.r, f.rec_country),
        "party": as_categorical(f.r, f.party),
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
    return flow_frame(build_flows(register))
