"""The parties of the record as readable text: the organisation block (controller, representative, DPO,
joint controllers, controllers served as processor) and each activity's joint controllers."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import pandas as pd

from .cells import cell_text

__all__ = ["activity_joint_controllers", "controller_entries", "organisation_block"]


# -- one party as text --------------------------------------------------------------------------

def _party(entry: Any) -> str:
    """'Name, address, email, phone' from an organisation.yaml entry (mapping or text)."""
    if entry is None:
        return ""
    if not isinstance(entry, Mapping):
        return cell_text(entry)
    parts = [cell_text(entry.get(k)) for k in ("name", "address", "email", "phone", "contact")]
    return ", ".join(p for p in parts if p)


def _has_contact(entry: Any) -> bool:
    return isinstance(entry, Mapping) and any(
        cell_text(entry.get(k)) for k in ("address", "email", "phone", "contact"))


def _dpo_text(dpo: Any) -> str:
    if dpo is None:
        return ""
    if not isinstance(dpo, Mapping):
        return cell_text(dpo)
    if dpo.get("designated", True) is False:
        text = "None designated"
        reason = cell_text(dpo.get("reason"))
        text += f": {reason}" if reason else "."
        if not text.endswith((".", "!", "?")):
            text += "."
        contact = cell_text(dpo.get("privacy_contact") or dpo.get("contact") or dpo.get("email"))
        if contact:
            text += f" Privacy contact: {contact}"
        return text
    return _party(dpo)


def _representative_text(rep: Any) -> str:
    text = _party(rep)
    return text or "None (established in the EEA, or not required)"


# -- the organisation -------------------------------------------------------------------------

def organisation_block(register: Any) -> dict[str, Any]:
    """Organisation-wide Art 30 details as readable text: controller, representative, DPO,
    joint controllers, supervisory authority, and the controllers served as processor.

    Example:
        >>> import ropa
        >>> from ropa.outputs.parties import organisation_block
        >>> organisation_block(ropa.load_register("registers/pro-at"))["name"]
        'PRO-AT'
    """
    org = register.organisation or {}
    controller = org.get("controller") or {"name": org.get("name")}
    return {
        "name": register.name,
        "controller": _party(controller) or register.name,
        "representative": _representative_text(org.get("representative")),
        "dpo": _dpo_text(org.get("dpo")),
        "joint_controllers": [_joint_text(j) for j in (org.get("joint_controllers") or [])],
        "supervisory_authority": cell_text(org.get("supervisory_authority")),
        "role": cell_text(org.get("role")),
        "controllers": [
            {"id": cell_text(c.get("id")) if isinstance(c, Mapping) else "",
             "name": _party(c),
             "representative": _party(c.get("representative")) if isinstance(c, Mapping) else "",
             "dpo": _dpo_text(c.get("dpo")) if isinstance(c, Mapping) else "",
             "has_contact": _has_contact(c)}
            for c in (org.get("controllers") or [])
        ],
    }


def _joint_text(entry: Any) -> str:
    if not isinstance(entry, Mapping):
        return cell_text(entry)
    text = _party(entry)
    scope = cell_text(entry.get("scope"))
    return f"{text} (for: {scope})" if scope else text


# -- per activity --------------------------------------------------------------------------------

def activity_joint_controllers(register: Any, acts: pd.DataFrame, contacts: bool = False) -> pd.Series:
    """Per activity: the joint controllers that concern it, as readable text (with
    ``contacts=True``: as (text, has contact details) pairs).

    An organisation.yaml joint controller concerns an activity when its ``activities`` list
    or its ``scope`` text names the activity's id, or when it is (by name or alias) a
    recipient of kind ``joint_controller`` that the activity uses. A joint-controller
    recipient not in organisation.yaml is listed by its own name. For an activity whose
    role is ``joint_controller``, its ``controllers`` cell names its joint controllers.
    """
    org = register.organisation or {}
    entries = [e if isinstance(e, Mapping) else {"name": cell_text(e)} for e in (org.get("joint_controllers") or [])]
    by_name: dict[str, int] = {}
    for i, e in enumerate(entries):
        for name in [e.get("id"), e.get("name"), *(e.get("aliases") or [])]:
            if cell_text(name):
                by_name[cell_text(name).lower()] = i
    rec = register.recipients
    joint_recipients: dict[str, tuple[str, bool]] = {}
    if len(rec):
        kinds = rec["kind"].fillna("").astype(str).str.strip().str.lower()
        for rid, name, aliases in zip(rec.loc[kinds == "joint_controller", "recipient_id"],
                                      rec.loc[kinds == "joint_controller", "name"],
                                      rec.loc[kinds == "joint_controller", "aliases"], strict=True):
            found = next((by_name[n.lower()] for n in [rid, name, *(aliases or [])]
                          if cell_text(n) and cell_text(n).lower() in by_name), None)
            joint_recipients[rid] = ((_joint_text(entries[found]), _has_contact(entries[found]))
                                     if found is not None else (cell_text(name) or rid, False))

    explicit: list[tuple[int, set[str]]] = []
    for i, e in enumerate(entries):
        ids = {cell_text(a) for a in (e.get("activities") or []) if cell_text(a)}
        if ids:
            explicit.append((i, ids))
    scopes = [(i, set(re.findall(r"[\w-]+", cell_text(e.get("scope")))))
              for i, e in enumerate(entries) if cell_text(e.get("scope"))]

    out = []
    roles = acts["role"].fillna("").astype(str).str.strip().str.lower()
    for aid, recipients, controllers, role in zip(acts["activity_id"], acts["recipients"],
                                                  acts["controllers"], roles, strict=True):
        found: list[tuple[str, bool]] = []
        for i, ids in explicit:
            if aid in ids:
                found.append((_joint_text(entries[i]), _has_contact(entries[i])))
        for i, words in scopes:
            if aid and aid in words:
                found.append((_joint_text(entries[i]), _has_contact(entries[i])))
        found += [joint_recipients[r] for r in recipients if r in joint_recipients]
        if role == "joint_controller":
            for c in controllers:
                idx = by_name.get(cell_text(c).lower())
                found.append((_joint_text(entries[idx]), _has_contact(entries[idx])) if idx is not None
                             else (cell_text(c), False))
        unique = list(dict.fromkeys(f for f in found if f[0]))
        out.append(unique if contacts else [f[0] for f in unique])
    return pd.Series(out, index=acts.index, dtype=object)


def controller_entries(register: Any) -> tuple[list[dict[str, str]], dict[str, int]]:
    """The controllers the organisation acts for as processor (organisation.yaml ``controllers``,
    as in :func:`organisation_block`), and a lookup from each one's id, name or alias (lower
    case) to its position."""
    entries = organisation_block(register)["controllers"]
    raw = (register.organisation or {}).get("controllers") or []
    lookup: dict[str, int] = {}
    for i, (entry, source) in enumerate(zip(entries, raw, strict=True)):
        names = [entry["id"]]
        if isinstance(source, Mapping):
            names += [cell_text(source.get("name")), *(cell_text(a) for a in source.get("aliases") or [])]
        for n in names:
            if n:
                lookup.setdefault(n.lower(), i)
    return entries, lookup
