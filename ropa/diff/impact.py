"""Findings on a new policy version from its diff against the old one: a stated date that
did not move (or moved alone) and, with a register, the change's impact on it (new
recipients or data without an activity, an activity's recipient no longer named, flows
whose consistency class changes).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

import pandas as pd

from ..checks.assessment import Assessment, assess
from ..core.findings import findings_frame, make_findings
from .entities import EntityResolver
from .policies import diff_policies
from .sections import diff_policy_sections
from .statements import Named, covered_by, entity_covered_by, statements_of

__all__ = ["policy_diff_findings"]


def policy_diff_findings(old: Any, new: Any, changes: pd.DataFrame | None = None,
                         register: Any = None, *, assessments: Sequence[Assessment] = ()) -> pd.DataFrame:
    """Findings about a new policy version, from its diff against the old one.

    - ``policy-date-not-moved``: a material change, but the date the policy states did not move;
    - ``policy-date-moved-without-change``: a new date, and nothing else changed;
    - with a register: ``new-recipient-without-activity``, ``new-data-category-without-activity``
      (a new disclosure or data category that no activity records),
      ``activity-recipient-no-longer-named`` (an activity's recipient that the new version
      stops naming) and ``flow-class-worsened``/``flow-class-improved`` (flows whose
      consistency class changes against the new version).

    ``assessments`` are assessments of ``register`` already made (the report's, against the
    policy in force): a version they assessed is not classified again.

    Example:
        >>> import ropa
        >>> from ropa.diff.impact import policy_diff_findings
        >>> old = ropa.load_policy("tests/data/diff/subprocessors/2025-01-01.flows.yaml")
        >>> policy_diff_findings(old, old).empty
        True
    """
    if changes is None:
        changes = diff_policies(old, new, register=register)
    parts = []
    o_date, n_date = old.meta.get("stated_date"), new.meta.get("stated_date")
    material = changes[changes["material"]]
    base = {"policy_version": new.version, "file": str(new.path) if new.path else None}
    if len(material) and (o_date or None) == (n_date or None):
        evidence = "; ".join(material["reason"].head(5)) + ("; ..." if len(material) > 5 else "")
        parts.append(make_findings("policy-date-not-moved", [{
            **base, "evidence": evidence, "count": len(material), "date": n_date or "none"}]))
    others = changes[changes["aspect"] != "date"]
    if (o_date or None) != (n_date or None) and others.empty:
        sections = diff_policy_sections(old, new)
        if sections.empty:
            parts.append(make_findings("policy-date-moved-without-change", [{
                **base, "evidence": f"{o_date or 'none'} → {n_date or 'none'}"}]))
    if register is not None:
        parts += _register_impact(old, new, changes, register, assessments)
    return findings_frame(parts)


def _register_impact(old: Any, new: Any, changes: pd.DataFrame, register: Any,
                     assessments: Sequence[Assessment] = ()) -> list[pd.DataFrame]:
    resolver = EntityResolver(register)
    tax = resolver.taxonomy
    old_st, new_st = statements_of(old, resolver), statements_of(new, resolver)
    o_named, n_named = Named(old_st, resolver), Named(new_st, resolver)
    acts = register.activities
    active = acts[acts["status"].astype(str).str.lower() != "retired"] if "status" in acts else acts
    act_entities: dict[str, set[str]] = {}
    act_data: set[str] = set()
    for rec in active.to_dict("records"):
        aid = str(rec.get("activity_id"))
        for r in rec.get("recipients") or []:
            if r and r != "none":
                act_entities.setdefault(resolver.resolve(r), set()).add(aid)
        act_data.update(rec.get("data_categories") or [])
    base = {"policy_version": new.version, "file": str(new.path) if new.path else None}
    parts = []
    rows = []
    for e in sorted(n_named.entities - o_named.entities):
        new_to_policy = resolver.is_entity(e) or entity_covered_by(resolver, e, o_named.entities) is None
        if new_to_policy and e not in act_entities and not any(e in resolver.ancestors(x) for x in act_entities):
            rows.append({**base, "recipient_id": None if e.startswith(("~", "vendor:")) else e,
                         "section": n_named.sections.get(("entities", e)),
                         "evidence": resolver.label(e), "subject": f"recipient {resolver.label(e)}"})
    if rows:
        parts.append(make_findings("new-recipient-without-activity", rows))
    rows = []
    for d in sorted(n_named.data - o_named.data):
        if covered_by(tax, "data_category", d, o_named.data) is not None:
            continue
        under = d in act_data or any(tax.known("data_category", [x])[0] and tax.known("data_category", [d])[0]
                                     and tax.is_under("data_category", x, d) for x in act_data)
        if not under:
            rows.append({**base, "section": n_named.sections.get(("data", d)),
                         "evidence": tax.label("data_category", d) if tax.known("data_category", [d])[0] else d,
                         "subject": f"data category {d}"})
    if rows:
        parts.append(make_findings("new-data-category-without-activity", rows))
    rows = []
    for e, aids in sorted(act_entities.items()):
        if e in o_named.entities and e not in n_named.entities:
            cover = entity_covered_by(resolver, e, n_named.entities)
            for aid in sorted(aids):
                rows.append({**base, "activity_id": aid, "recipient_id": e,
                             "evidence": f"{resolver.label(e)}: named in {old.version} (section "
                                         f"{o_named.sections.get(('entities', e), '?')}), not in {new.version}"
                                         + (f", which only speaks of {resolver.label(cover)}" if cover else "")})
    if rows:
        parts.append(make_findings("activity-recipient-no-longer-named", rows))
    parts += _class_changes(old, new, register, assessments)
    return parts


def _with_register_ids(policy: Any, resolver: EntityResolver) -> Any:
    """A copy of the policy whose recipients and actors are the register's ids where the
    resolver knows them (a reviewer may have written ``vendor:brevo`` or ``Sendinblue``)."""
    def fix(key: Any) -> Any:
        resolved = resolver.resolve(str(key))
        return resolved if resolved and not resolved.startswith(("~", "vendor:")) else key

    statements = policy.statements.copy()
    statements["recipients"] = statements["recipients"].map(lambda rs: [fix(r) for r in rs or []])
    statements["actor"] = statements["actor"].map(lambda a: fix(a) if a else a)
    same = (statements["recipients"].tolist() == [list(rs or []) for rs in policy.statements["recipients"]]
            and statements["actor"].tolist() == policy.statements["actor"].tolist())
    # nothing to fix: the policy itself, so that an assessment of it is read again
    return policy if same else dataclasses.replace(policy, statements=statements)


_CLASS_RANK = {"clear": 0, "vague": 1, "ambiguous": 2, "omitted": 3, "incorrect": 4}


def _table(register: Any, policy: Any, assessments: Sequence[Assessment]) -> pd.DataFrame:
    """The flow table of the register against ``policy``, from an assessment of it if there is one."""
    for a in assessments:
        if a.register is register and a.policy is policy:
            return a.table
    return assess(register, policy).table


def _class_changes(old: Any, new: Any, register: Any, assessments: Sequence[Assessment] = ()) -> list[pd.DataFrame]:
    """Flows whose consistency class differs between the old and the new version."""
    resolver = EntityResolver(register)
    before = _table(register, _with_register_ids(old, resolver), assessments)
    after = _table(register, _with_register_ids(new, resolver), assessments)
    keys = [c for c in ("activity_id", "data_category", "data_subject", "recipient", "purpose")
            if c in before and c in after]
    if "class" not in before or "class" not in after or "activity_id" not in keys:
        return []
    def table(frame: pd.DataFrame) -> pd.DataFrame:
        out = frame[[*keys, "class"]].astype(object).astype(str)
        return out.drop_duplicates(keys)

    merged = table(before).merge(table(after), on=keys, how="inner", suffixes=("_old", "_new"))
    merged = merged[(merged["class_old"] != merged["class_new"])
                    & ~merged["class_old"].isin(["out_of_scope"]) & ~merged["class_new"].isin(["out_of_scope"])]
    worse, better = [], []
    for aid, group in merged.groupby("activity_id", sort=True):
        moves: dict[tuple[str, str], list[str]] = {}
        for rec in group.to_dict("records"):
            what = " → ".join(str(rec.get(k)) for k in keys[1:] if rec.get(k))
            moves.setdefault((rec["class_old"], rec["class_new"]), []).append(what)
        for (c_old, c_new), flows in sorted(moves.items()):
            row = {"activity_id": aid, "policy_version": new.version,
                   "file": str(new.path) if new.path else None,
                   "evidence": f"{len(flows)} flow(s) {c_old} → {c_new}: " + "; ".join(flows[:4])
                   + ("; ..." if len(flows) > 4 else ""),
                   "old_class": c_old, "new_class": c_new, "count": len(flows)}
            (worse if _CLASS_RANK.get(c_new, 9) > _CLASS_RANK.get(c_old, 9) else better).append(row)
    out = []
    if worse:
        out.append(make_findings("flow-class-worsened", worse))
    if better:
        out.append(make_findings("flow-class-improved", better))
    return out
