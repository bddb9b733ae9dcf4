"""How far an extraction agrees with a reviewed flows file, statement by statement.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from ..core.taxonomy import Taxonomy, default_taxonomy
from .vendors import entity_taxonomy

__all__ = ["score_extraction"]


_FAMILY = {"collect": "first", "use": "first", "share": "share", "transfer": "share", "track": "track",
           "retain": "retain", "not_share": "not_share", "not_collect": "not_collect", "inform": "inform"}


def score_extraction(extracted: pd.DataFrame, reviewed: pd.DataFrame, taxonomy: Taxonomy | None = None) -> dict[str, Any]:
    """Compare extracted statements with reviewed ones, statement by statement.

    Two statements match when they stand in the same section, their actions are of the
    same family (collect and use are one family, first-party handling; share and
    transfer another; track, retain, not_share, not_collect and inform each their own),
    their recipients are the same set (actor's entity for not_collect), and their data
    overlap through the taxonomy (one is equal to or under the other; for inform, the
    rights overlap instead). Matching is one-to-one and greedy over all candidate pairs,
    best first: the same data (or rights) set, then the most data in common, then the same action.

    Returns precision (matched / extracted), recall (matched / reviewed), the counts,
    ``data_exact`` (the share of matched pairs whose data categories are the same set),
    the matched pairs and the unmatched statement ids on either side.

    Example:
        >>> import ropa
        >>> from ropa.policy.agreement import score_extraction
        >>> pol = ropa.load_policy("registers/pro-at/policies/2018-05-24.flows.yaml")
        >>> score_extraction(pol.statements, pol.statements)["recall"]
        1.0
    """
    tax = entity_taxonomy(taxonomy or default_taxonomy())

    def data_overlap(a: Sequence[str], b: Sequence[str]) -> int:
        if not a and not b:
            return 1
        n = 0
        for x in a:
            for y in b:
                if x == y or _under(tax, x, y) or _under(tax, y, x):
                    n += 1
                    break
        return n

    ext = extracted.reset_index(drop=True)
    rev = reviewed.reset_index(drop=True)
    candidates = []
    for ri, r in enumerate(rev.itertuples()):
        for ei, e in enumerate(ext.itertuples()):
            if e.section != r.section or _FAMILY.get(e.action) != _FAMILY.get(r.action):
                continue
            if set(e.recipients) != set(r.recipients):
                continue
            if r.action == "inform":
                score = len(set(e.rights) & set(r.rights))
                exact = set(e.rights) == set(r.rights)
            else:
                score = data_overlap(list(r.data_categories), list(e.data_categories))
                exact = set(e.data_categories) == set(r.data_categories)
            if score:
                candidates.append((-(score + (10 if exact else 0) + (1 if e.action == r.action else 0)), ri, ei))
    used_r: set[int] = set()
    used_e: set[int] = set()
    pairs = []
    for _, ri, ei in sorted(candidates):
        if ri in used_r or ei in used_e:
            continue
        used_r.add(ri)
        used_e.add(ei)
        pairs.append((rev.at[ri, "statement_id"], ext.at[ei, "statement_id"]))
    rev_data = dict(zip(rev["statement_id"], rev["data_categories"], strict=True))
    ext_data = dict(zip(ext["statement_id"], ext["data_categories"], strict=True))
    same_data = sum(1 for r_id, e_id in pairs if set(rev_data[r_id]) == set(ext_data[e_id]))
    matched = len(pairs)
    n_ext, n_rev = len(ext), len(rev)
    return {
        "matched": matched, "extracted": n_ext, "reviewed": n_rev,
        "precision": matched / n_ext if n_ext else 1.0,
        "recall": matched / n_rev if n_rev else 1.0,
        "data_exact": same_data / len(pairs) if pairs else 1.0,
        "pairs": pairs,
        "missed": [sid for sid in rev["statement_id"] if sid not in {p[0] for p in pairs}],
        "spurious": [sid for sid in ext["statement_id"] if sid not in {p[1] for p in pairs}],
    }


def _under(tax: Taxonomy, x: str, y: str) -> bool:
    """x equal to or under y for data categories; unknown keys by their dotted prefix."""
    if x == y:
        return True
    known = tax.known("data_category", [x, y])
    if known.all():
        return bool(tax.is_under("data_category", x, y))
    return x.startswith(y + ".")
