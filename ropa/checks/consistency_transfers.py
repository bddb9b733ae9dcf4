"""Countries count: a transfer to a country the policy does not name, for a recipient it does.

A flow to a third party that the policy discloses (clear or vague) may still take the data to
a country the reader is never told of. Where a recipient processes is taken from the register:
the recipient's own ``country`` (recipients.csv), and the activity's ``transfer_countries``
that none of the activity's recipients is located in (the register does not say which
recipient takes the data there, so each of them is taken to). A destination is a transfer when
it lies outside the EEA and is not the controller's own country (organisation.yaml, see
:mod:`ropa.register.organisation`). The policy names where a recipient processes in the
statements that name it or its category, or third parties in general, with countries (a
sub-processor table with a jurisdiction column, a transfers section): a transfer to a country
none of them names is a ``flow-transfer-omitted`` finding. A flow the policy does not disclose
at all is left to its omitted finding, and a policy that names no country or region and no
transfer to the policy check's ``policy-no-transfer-information`` (one finding per cause).

Example:
    >>> import ropa
    >>> from ropa.checks.consistency import classify
    >>> from ropa.checks.consistency_transfers import transfer_findings
    >>> reg = ropa.load_register("registers/pro-at")
    >>> pol = ropa.load_policy("registers/pro-at/policies/2018-05-24.flows.yaml")
    >>> f = transfer_findings(reg, classify(reg, pol))
    >>> set(f["code"]) <= {"flow-transfer-omitted"}
    True
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..core.countries import country_code
from ..core.findings import findings_frame, make_findings

if TYPE_CHECKING:
    from ..register.model import Register
    from .consistency import Classification

__all__ = ["transfer_findings"]

_DISCLOSED = ("clear", "vague")


def _codes(values: Any) -> list[str]:
    """Country codes of a list cell (names and codes as written; regions kept as written)."""
    if isinstance(values, str):
        values = values.replace(",", ";").split(";")
    out = []
    for v in values if isinstance(values, list | tuple | np.ndarray) else []:
        text = str(v or "").strip()
        if text:
            out.append(country_code(text) or text.upper())
    return list(dict.fromkeys(out))


def transfer_findings(register: Register, res: Classification) -> pd.DataFrame:
    """``flow-transfer-omitted`` findings: per activity × recipient, the countries outside the
    EEA (and not the controller's own) the data goes to that no statement naming the recipient,
    its category or third parties in general names."""
    tax = register.taxonomy
    table = res.table
    frame = res.st.frame
    stated = [_codes(c) for c in frame["countries"]] if "countries" in frame else [[] for _ in range(len(frame))]
    if not any(stated) and not (frame["action"] == "transfer").any():
        return findings_frame([])  # the policy says nothing of where: policy-no-transfer-information
    # compared as categories (a missing value is neither), not as 600,000 strings
    keep = (table["party"] == "third_party").to_numpy(dtype=bool) & table["class"].isin(_DISCLOSED).to_numpy() \
        & ~(table["role"] == "processor").to_numpy(dtype=bool)
    if not keep.any():
        return findings_frame([])
    org = register.organisation or {}
    home = str(org.get("country") or (org.get("controller") or {}).get("country") or "").upper()
    acts = res.flows.acts.set_index(res.flows.acts["activity_id"].astype(str))
    st = res.st
    rec_row = {v: i for i, v in enumerate(res.flows.recipients)}
    all_recipients = table.groupby("activity_id", observed=True)["recipient"].agg(
        lambda s: {str(x) for x in s})
    country_of = dict(zip(table["recipient"].astype(str), table["recipient_country"].astype(str), strict=False))
    groups = table[keep].groupby(["activity_id", "recipient"], observed=True)
    rows = []
    for (aid, rid), g in groups:
        aid, rid = str(aid), str(rid)
        located = {str(country_of.get(r) or "").upper() for r in all_recipients.get(aid, set())}
        own = str(country_of.get(rid) or "").upper()
        dest = {own: "the recipient's country (recipients.csv)"} if own else {}
        for c in _codes(acts.at[aid, "transfer_countries"] if aid in acts.index else []):
            if c not in located:
                dest.setdefault(c, "the activity's transfer_countries")
        dest = {c: why for c, why in dest.items() if len(c) == 2 and c != home}
        dest = {c: why for c, why in dest.items() if not bool(tax.is_eea([c])[0])}
        if not dest:
            continue
        r = rec_row.get(rid)
        naming = [s for s in np.flatnonzero(st.positive) if r is not None and res.De[r, s] >= 0]
        named = {c for s in naming for c in stated[s]}
        missing = [c for c in dest if c not in named]
        if not missing:
            continue
        cites = [f'§{frame.iloc[s]["section"]} {frame.iloc[s]["statement_id"]}: {", ".join(stated[s])}'
                 for s in naming if stated[s]]
        label = str(g["recipient"].iloc[0])
        names = tax.labels("data_category")
        data = sorted({str(d) for d in g["data_category"].dropna()})
        rows.append({
            "activity_id": aid, "activity_name": str(g["activity_name"].iloc[0]),
            "recipient_id": rid, "recipient_label": _label(res, rid, label),
            "countries": ", ".join(missing),
            "data": ", ".join(dict.fromkeys(names.get(d, d) for d in data)),
            "section": str(frame.iloc[naming[0]]["section"]) if naming else None,
            "evidence": "; ".join([
                f"flows: {len(g)}; classes: {', '.join(sorted(set(g['class'].astype(str))))}",
                *(f"{c} from {dest[c]}" for c in missing),
                f"controller's country: {home or 'not recorded'}",
                "countries the policy gives where it names this recipient, its category or third parties: "
                + ("; ".join(cites) if cites else "none"),
            ]),
        })
    rows = _by_recipient(rows)
    return findings_frame([make_findings("flow-transfer-omitted", rows, policy_version=res.policy.version)]
                          if rows else [])


def _by_recipient(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One finding per recipient × missing countries (the code's grain), listing its activities:
    ``activity_id`` only when there is one, the activities in the evidence."""
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault((row["recipient_id"], row["countries"]), []).append(row)
    out = []
    for items in groups.values():
        first = items[0]
        acts = sorted(dict.fromkeys(r["activity_id"] for r in items))
        one = len(acts) == 1
        data = ", ".join(dict.fromkeys(d for r in items for d in r["data"].split(", ") if d))
        evidence = list(dict.fromkeys(part for r in items for part in r["evidence"].split("; ")
                                      if not part.startswith(("flows: ", "classes: "))))
        shown = ", ".join(acts[:3]) + (", …" if len(acts) > 3 else "")
        out.append({**first, "data": data,
                    "activity_id": acts[0] if one else None,
                    "who": f"{first['activity_name']}, {acts[0]}" if one else f"{len(acts)} activities: {shown}",
                    "subject": None if one else f"recipient {first['recipient_label']}",
                    "evidence": "; ".join([f"activities ({len(acts)}): {', '.join(acts)}", *evidence])})
    return out


def _label(res: Classification, rid: str, default: str) -> str:
    f = res.flows
    hit = np.flatnonzero(f.recipients == rid)
    return str(f.rec_label[hit[0]]) if len(hit) else default
