"""Recipients and third-country transfers: a recipient described in words, each activity's transfers
with their safeguard, and whether a safeguard (or an adequacy decision) covers a transfer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from .cells import cell_text, labeller

__all__ = ["activity_transfers", "recipient_describer", "recipient_table"]


# -- recipients ----------------------------------------------------------------------------------

def recipient_table(register: Any) -> pd.DataFrame:
    """The register's recipients by ``recipient_id`` (first of duplicates): name, kind, category,
    country (upper case) and transfer safeguard (lower case), as text."""
    rec = register.recipients
    frame = pd.DataFrame({
        "recipient_id": rec["recipient_id"].astype(str).to_numpy() if len(rec) else [],
        "name": rec["name"].astype(str).to_numpy() if len(rec) else [],
        "kind": rec["kind"].fillna("").astype(str).str.strip().str.lower().to_numpy() if len(rec) else [],
        "category": rec["category"].fillna("").astype(str).str.strip().to_numpy() if len(rec) else [],
        "country": rec["country"].fillna("").astype(str).str.strip().str.upper().to_numpy() if len(rec) else [],
        "safeguard": rec["transfer_safeguard"].fillna("").astype(str).str.strip().str.lower().to_numpy() if len(rec) else [],
        "created": (rec["created_from"].fillna("").astype(str).str.strip() != "").to_numpy()
        if len(rec) and "created_from" in rec else [False] * len(rec),
    })
    return frame.drop_duplicates("recipient_id", keep="first").set_index("recipient_id")


def recipient_describer(register: Any) -> Callable[[str], str]:
    """A function from a recipient cell (a recipient id or a recipient category) to words:
    ``DAS Incasso (Debt collection agencies, independent controller)``; a recipient ropa
    created from the register's text whose category the text does not say is ``unclassified``."""
    tax = register.taxonomy
    table = recipient_table(register)
    category = labeller(tax, "recipient")
    kind = labeller(tax, "recipient_kind")
    eea = dict(zip(table["country"], tax.is_eea(table["country"]), strict=True)) if len(table) else {}

    def describe(value: str) -> str:
        if value.strip().lower() == "none":
            return "None"
        if value in table.index:
            row = table.loc[value]
            details = [category(row["category"]) if row["category"] else "",
                       kind(row["kind"]).lower() if row["kind"] else ""]
            if row["created"] and row["category"] in ("", "third_party"):
                # named in the register's text, its category not stated: no guess is shown
                details = ["unclassified"]
            if row["country"]:
                where = tax.country_name(row["country"])
                if not eea.get(row["country"], False):
                    where += ", third country"
                details.append(where)
            details = [d for d in details if d]
            name = cell_text(row["name"]) or value
            return f"{name} ({', '.join(details)})" if details else name
        return category(value)

    return describe


# -- transfers -----------------------------------------------------------------------------------

def _safeguard_text(register: Any, country: str, safeguard: str) -> str:
    tax = register.taxonomy
    if safeguard and safeguard != "none":
        return labeller(tax, "safeguard")(safeguard)
    scope = tax.adequacy_scope([country])[0] if country else ""
    if scope in ("all", "commercial"):
        decided = cell_text(tax.countries.at[country, "adequacy_decided"]) if country in tax.countries.index else ""
        text = "Adequacy decision"
        if decided:
            text += f" of {decided[:4]}"
        if scope == "commercial":
            text += " (commercial organisations)"
        return text
    return "No safeguard recorded"


def activity_transfers(register: Any, acts: pd.DataFrame) -> pd.Series:
    """Per activity: a list of transfer dicts (country, country_name, safeguard,
    safeguard_name, recipient_id, recipient, text), derived from recipients outside the
    EEA and from transfer_countries."""
    tax = register.taxonomy
    table = recipient_table(register)
    result: list[list[dict[str, Any]]] = [[] for _ in range(len(acts))]
    made: dict[tuple[str, str, str, str], dict[str, Any]] = {}

    def transfer(*key: str) -> dict[str, Any]:
        found = made.get(key)
        if found is None:
            found = made[key] = _transfer(register, *key)
        return found

    pos = pd.Series(np.arange(len(acts)), index=acts.index)

    if len(table):
        outside = table[(table["country"] != "") & ~tax.is_eea(table["country"])
                        & tax.country_known(table["country"])]
        if len(outside):
            used = acts["recipients"].explode().dropna()
            used = used[used.isin(outside.index)]
            facts = {rid: (c, sg, cell_text(nm) or rid) for rid, c, sg, nm in zip(
                outside.index, outside["country"], outside["safeguard"], outside["name"], strict=True)}
            for p, rid in zip(pos[used.index].to_numpy(), used, strict=True):
                country, safeguard, name = facts[rid]
                result[p].append(transfer(country, safeguard, rid, name))

    countries = acts["transfer_countries"].explode().dropna()
    countries = countries[countries.astype(str).str.strip() != ""]
    if len(countries):
        safeguards = acts["transfer_safeguards"]
        for row, code in zip(countries.index, countries.astype(str).str.strip().str.upper(), strict=True):
            listed = [s.strip().lower() for s in safeguards[row] if s.strip()]
            own = acts.at[row, "transfer_countries"]
            if len(listed) == len(own) and len(listed) > 1:
                idx = [c.strip().upper() for c in own].index(code)
                sg = listed[idx]
            else:
                sg = "; ".join(listed) if len(listed) > 1 else (listed[0] if listed else "")
            result[pos[row]].append(transfer(code, sg, "", ""))
    del tax
    out = []
    for items in result:
        seen: dict[str, dict[str, str]] = {}
        for t in items:
            seen.setdefault(t["text"], t)
        out.append(list(seen.values()))
    return pd.Series(out, index=acts.index, dtype=object)


def _transfer(register: Any, country: str, safeguard: str, recipient_id: str, recipient: str) -> dict[str, str]:
    tax = register.taxonomy
    name = tax.country_name(country)
    if ";" in safeguard:
        label = "; ".join(_safeguard_text(register, country, s.strip()) for s in safeguard.split(";"))
    else:
        label = _safeguard_text(register, country, safeguard)
    text = f"{name} — {label}" + (f" ({recipient})" if recipient else "")
    return {"country": country, "country_name": name, "safeguard": safeguard,
            "safeguard_name": label, "recipient_id": recipient_id, "recipient": recipient, "text": text,
            "covered": _covered(register, country, safeguard)}


def _covered(register: Any, country: str, safeguard: str) -> bool:
    """Does the recorded safeguard (or an adequacy decision) cover a transfer to ``country``?

    ``adequacy`` covers only where a decision exists; for a country whose decision is limited
    to certified organisations (the US: ``dpf``) only ``dpf`` or an Art 46/47/49 safeguard does.
    """
    scope = register.taxonomy.adequacy_scope([country])[0] if country else ""
    listed = [s.strip() for s in safeguard.split(";") if s.strip() and s.strip() != "none"]
    if not listed:
        return scope in ("all", "commercial")
    for sg in listed:
        if sg == "adequacy" and scope not in ("all", "commercial"):
            continue
        if sg == "dpf" and scope != "dpf":
            continue
        return True
    return False
