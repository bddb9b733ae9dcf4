"""The quarterly audit report's model: plain data (strings, numbers, booleans, lists and dicts;
no markup) that survives ``json.dumps`` / ``json.loads`` unchanged (STYLE rule 10).

:func:`audit` builds it from the other stages: ``ropa check``'s findings, the Art 30 record and
its completeness (:mod:`ropa.outputs`), the consistency of the register with the policy in force
(:mod:`ropa.checks.consistency`), the policy versions published in the quarter, diffed
(:mod:`ropa.diff.policies`), what changed in the register, and earlier quarters' figures (from
the previous report, or from git: :mod:`ropa.report.history`). The model is embedded in the
report's PDF (:mod:`ropa.report.render`), so a later quarter's report can compare against it;
:func:`load_model` reads it back.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import json
import os
import re
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..checks.assessment import Assessment as Assessed
from ..checks.assessment import assess
from ..core.errors import InputError
from ..core.findings import SEVERITIES, catalogue, findings_frame, findings_records
from ..core.paths import OutsideFolderError
from ..core.version import __version__
from ..core.yamlio import read_yaml
from ..diff.frames import LEVELS
from ..diff.impact import policy_diff_findings
from ..diff.policies import diff_policies
from ..diff.registers import diff_registers
from ..outputs.completeness import completeness as completeness_table
from ..outputs.parties import organisation_block
from ..outputs.record import article30
from ..policy.flows import flows_source
from ..policy.load import ReviewedFlowsUsed, load_policy
from ..policy.model import Policy
from ..register.load import load_register
from ..register.model import Register, live_activities
from .history import (
    checkout,
    earlier_checkouts,
    register_from_snapshot,
    register_revision,
    register_snapshot,
)
from .period import Quarter
from .plain import jsonable, plain_records

__all__ = [
    "AREAS",
    "ATTACHMENT_FINDINGS_CSV",
    "ATTACHMENT_FINDINGS_JSON",
    "ATTACHMENT_MODEL",
    "CLASSES",
    "HISTORY_QUARTERS",
    "MODEL_FORMAT",
    "Assessment",
    "audit",
    "load_model",
    "model_and_assessment",
    "model_json",
    "policy_in_force",
    "register_slug",
]

#: Identifies the report model's layout; bump the number when a field changes meaning.
MODEL_FORMAT = "ropa-audit-report/1"
#: How many earlier quarters the report looks back for its history chart.
HISTORY_QUARTERS = 4
#: Areas of findings, in the order the report shows them.
AREAS: tuple[str, ...] = ("register", "policy", "consistency", "diff")
#: Consistency classes, worst first (PoliCheck's, plus out_of_scope and unclassified).
CLASSES: tuple[str, ...] = ("incorrect", "ambiguous", "omitted", "vague", "clear", "out_of_scope", "unclassified")
#: Attachment names inside the PDF.
ATTACHMENT_FINDINGS_JSON = "findings.json"
ATTACHMENT_FINDINGS_CSV = "findings.csv"
ATTACHMENT_MODEL = "report.json"


# -- small helpers ------------------------------------------------------------------------

def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _relative(path: str | Path, folder: Path | None) -> str:
    """``path`` relative to the register folder (``../`` where it lies outside), POSIX style."""
    p = Path(path)
    if folder is not None:
        with contextlib.suppress(ValueError):
            return Path(os.path.relpath(p.resolve(), folder.resolve())).as_posix()
    return p.name


def _severity_counts(findings: pd.DataFrame) -> dict[str, int]:
    counts = findings["severity"].astype(str).value_counts() if len(findings) else pd.Series(dtype=int)
    return {s: int(counts.get(s, 0)) for s in SEVERITIES}


def register_slug(register: Register) -> str:
    """The register's name for file names: its folder's name (else its name) in lower case, runs of
    other characters than ASCII letters and digits as ``-``; ``register`` when nothing is left."""
    base = register.path.name if register.path is not None else register.name
    slug = re.sub(r"[^A-Za-z0-9]+", "-", base).strip("-").lower()
    return slug or "register"


# -- policies ----------------------------------------------------------------------------------

def _policy_versions(register: Register) -> pd.DataFrame:
    return register.policy_files() if register.path is not None else pd.DataFrame(
        columns=["version", "text", "flows"])


def _load_policy_row(row: Mapping[str, Any], register: Register) -> Policy:
    """Load a version as ``ropa check`` does: the reviewed flows file wins over the text."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ReviewedFlowsUsed)
        return load_policy(row["flows"] or row["text"], register=register)


def policy_in_force(register: Register, date: dt.date) -> Policy | None:
    """The newest policy version dated on or before ``date`` (None if there is none)."""
    versions = _policy_versions(register)
    versions = versions[versions["version"] <= date.isoformat()]
    if versions.empty:
        return None
    return _load_policy_row(versions.iloc[-1], register)


# -- the sections of the model -----------------------------------------------------------------

def _organisation(register: Register) -> dict[str, Any]:
    org = jsonable(dict(register.organisation or {}))
    org["name"] = register.name
    return org


def _inputs(register: Register) -> list[dict[str, Any]]:
    rows = []
    folder = register.path
    for role, path in register.files.items():
        p = Path(path)
        if p.is_file():
            rows.append({"role": role, "path": _relative(p, folder), "bytes": p.stat().st_size,
                         "sha256": _sha256(p)})
    versions = _policy_versions(register)
    for rec in versions.to_dict("records"):
        for kind in ("text", "flows"):
            if rec[kind]:
                p = Path(rec[kind])
                rows.append({"role": f"policy {rec['version']} ({'reviewed flows' if kind == 'flows' else 'text'})",
                             "path": _relative(p, folder), "bytes": p.stat().st_size, "sha256": _sha256(p)})
        if rec["flows"] and not rec["text"]:
            # A reviewed flows file may name its text elsewhere (``source``): it is read too.
            source = _flows_source(Path(rec["flows"]))
            if source is not None:
                rows.append({"role": f"policy {rec['version']} (text)", "path": _relative(source, folder),
                             "bytes": source.stat().st_size, "sha256": _sha256(source)})
    return rows


def _flows_source(flows: Path) -> Path | None:
    """The policy text a reviewed flows file names as its ``source``, if it exists and lies in
    the register folder or a trusted folder (one elsewhere is not read, not even hashed: the
    policy's ``policy-source-outside-register`` finding says so)."""
    try:
        doc = read_yaml(flows)
    except InputError:
        return None
    source = doc.data.get("source") if isinstance(doc.data, dict) else None
    if not source or not isinstance(source, str):
        return None
    try:
        path = flows_source(flows, source)
    except OutsideFolderError:
        return None
    return path if path.is_file() else None


def _findings_section(findings: pd.DataFrame, checked: int) -> dict[str, Any]:
    """Findings grouped by area, then by code (most severe first); ``checked`` of them are
    ``ropa check``'s (the findings attachment), the rest are about the quarter's policy changes."""
    cat = catalogue()
    records = findings_records(findings)
    areas = []
    for area in [*AREAS, *sorted(set(findings["area"].dropna()) - set(AREAS))]:
        in_area = [r for r in records if r["area"] == area]
        codes: dict[str, list[dict[str, Any]]] = {}
        for rec in in_area:
            codes.setdefault(rec["code"], []).append(rec)
        groups = []
        for code, recs in codes.items():  # findings are already ordered by severity
            entry = cat.loc[code] if code in cat.index else None
            groups.append({
                "code": code,
                "title": str(entry["title"]) if entry is not None else code,
                "severity": recs[0]["severity"],
                "article": recs[0]["article"] or (str(entry["article"]) if entry is not None else ""),
                "explanation": str(entry["explanation"]) if entry is not None else "",
                "recommendation": str(entry["recommendation"]) if entry is not None else "",
                "count": len(recs),
                "findings": recs,
            })
        groups.sort(key=lambda g: (SEVERITIES.index(g["severity"]), g["code"]))
        counts = {s: sum(1 for r in in_area if r["severity"] == s) for s in SEVERITIES}
        areas.append({"area": area, "count": len(in_area), "by_severity": counts, "codes": groups})
    return {"total": len(records), "checked": checked, "by_severity": _severity_counts(findings),
            "areas": areas}


def _safeguard(tax: Any, key: Any) -> str:
    """A transfer safeguard's name (``dpf`` → its label); empty when none is recorded."""
    text = str(key or "").strip()
    return "" if text in ("", "none") else tax.label("safeguard", text.lower())


def _data_flows(register: Register, link_classes: Mapping[tuple[str, str], str]) -> dict[str, Any]:
    """Subjects → activities → recipients, from the register; classes from the consistency table."""
    tax = register.taxonomy
    acts = register.activities
    live = live_activities(acts)
    rec_by_id = {r["recipient_id"]: r for r in register.recipients.to_dict("records")}
    subjects: dict[str, dict[str, Any]] = {}
    recipients: dict[str, dict[str, Any]] = {}
    activities, subject_links, recipient_links = [], [], []
    for rec in live.to_dict("records"):
        aid = str(rec["activity_id"])
        activities.append({"id": aid, "name": str(rec["name"]), "role": str(rec.get("role") or "")})
        for subj in rec.get("data_subjects") or []:
            subjects.setdefault(subj, {"key": subj, "label": tax.label("data_subject", subj)})
            subject_links.append({"subject": subj, "activity": aid,
                                  "class": link_classes.get((f"subject:{subj}", aid), "unchecked")})
        targets = []
        for rid in rec.get("recipients") or []:
            if rid in ("none", ""):
                continue
            if rid in recipients:
                pass
            elif rid in rec_by_id:
                r = rec_by_id[rid]
                country = str(r.get("country") or "").upper()
                third = bool(country) and not bool(tax.is_eea([country])[0])
                recipients.setdefault(rid, {
                    "id": rid, "label": str(r.get("name") or rid), "kind": str(r.get("kind") or ""),
                    "country": country, "country_name": tax.country_name(country) if country else "",
                    "third_country": third, "safeguard": _safeguard(tax, r.get("transfer_safeguard"))})
            else:
                recipients.setdefault(rid, {"id": rid, "label": tax.label("recipient", rid), "kind": "category",
                                            "country": "", "country_name": "", "third_country": False,
                                            "safeguard": ""})
            targets.append(rid)
        safeguards = [s for s in (rec.get("transfer_safeguards") or []) if s not in ("", "none")]
        for code in rec.get("transfer_countries") or []:
            code = str(code).upper()
            rid = f"country:{code}"
            if rid not in recipients:
                recipients[rid] = {"id": rid, "label": f"Transfer to {tax.country_name(code)}",
                                   "kind": "transfer", "country": code, "country_name": tax.country_name(code),
                                   "third_country": not bool(tax.is_eea([code])[0]),
                                   "safeguard": "; ".join(_safeguard(tax, k) for k in safeguards)}
            targets.append(rid)
        for rid in dict.fromkeys(targets):
            # Transfers recorded by country only are not flows of the consistency table.
            recipient_links.append({"activity": aid, "recipient": rid,
                                    "class": link_classes.get((aid, rid), "unchecked")})
    return {
        "subjects": list(subjects.values()),
        "activities": activities,
        "recipients": list(recipients.values()),
        "subject_links": subject_links,
        "recipient_links": recipient_links,
        "third_countries": sorted({r["country"] for r in recipients.values() if r["third_country"]}),
    }


def _delta(now: Any, before: Any) -> Any:
    """now - before for numbers and dicts of numbers; None without a before."""
    if before is None:
        return None
    if isinstance(now, Mapping):
        return {k: _delta(v, (before or {}).get(k, 0)) for k, v in now.items()}
    if isinstance(now, int | float) and isinstance(before, int | float):
        diff = now - before
        return round(diff, 4) if isinstance(diff, float) else diff
    return None


def _figures(findings: pd.DataFrame, completeness: Mapping[str, Any],
             consistency: Mapping[str, Any]) -> dict[str, Any]:
    """The summary's figures: findings by severity and area, completeness, flows by class."""
    by_area = findings["area"].value_counts() if len(findings) else pd.Series(dtype=int)
    areas = [*AREAS, *sorted(set(by_area.index) - set(AREAS))]
    return {
        "findings": {"total": len(findings), "by_severity": _severity_counts(findings),
                     "by_area": {a: int(by_area.get(a, 0)) for a in areas}},
        "completeness": {"score": completeness.get("score"), "activities": completeness.get("activities", 0)},
        "consistency": {"policy_version": consistency.get("policy_version"),
                        "flows": consistency.get("flows", 0),
                        "by_class": dict(consistency.get("by_class") or {})},
    }


def _summary(now: Mapping[str, Any], previous: Mapping[str, Any] | None) -> dict[str, Any]:
    """This quarter's figures, each with the previous quarter's and the change, where known."""
    out: dict[str, Any] = {}
    before_all = (previous or {}).get("figures") if previous else None
    for key, value in now.items():
        before = before_all.get(key) if before_all else None
        numbers = {k: v for k, v in value.items() if k != "policy_version"}
        before_numbers = {k: v for k, v in before.items() if k != "policy_version"} if before else None
        out[key] = {**value, "previous": before, "change": _delta(numbers, before_numbers)}
    out["previous"] = ({"quarter": previous["quarter"], "date": previous.get("date"),
                        "source": previous.get("source")} if previous else None)
    return out


# -- sections built from the other stages ------------------------------------------------------

def _completeness(register: Register) -> dict[str, Any]:
    """The Art 30 completeness table: per item (how many activities fill it) and per activity."""
    wide = completeness_table(register)
    detail = completeness_table(register, detail=True)
    titles = dict(wide.attrs.get("items") or {})
    by_item = []
    for item, title in titles.items():
        if item not in wide or wide[item].isna().all():
            continue
        status = wide[item].astype(str).where(wide[item].notna(), None)
        counts = status.value_counts()
        applies = int(wide[item].notna().sum())
        filled, partial, missing = (int(counts.get(k, 0)) for k in ("filled", "partial", "missing"))
        by_item.append({"item": item, "title": title, "applies": applies, "filled": filled,
                      "partial": partial, "missing": missing,
                      "score": round((filled + partial / 2) / applies, 4) if applies else None})
    shown = [i["item"] for i in by_item]
    rows = []
    for rec in wide.to_dict("records"):
        rows.append({"activity_id": rec["activity_id"], "name": rec["name"], "role": rec["role"],
                     "grades": {i: (None if pd.isna(rec[i]) else str(rec[i])) for i in shown},
                     "score": rec["score"]})
    gaps = detail[detail["status"].astype(str) != "filled"]
    return {
        "score": wide.attrs.get("score"),
        "activities": len(wide),
        "by_item": by_item,
        "rows": rows,
        "gaps": plain_records(gaps, ["activity_id", "name", "role", "item", "title", "status", "reason"]),
    }


def _record(register: Register) -> dict[str, Any]:
    """The Art 30 record (controller and processor parts) as columns and rows of text."""
    parts: dict[str, Any] = {"organisation": jsonable(organisation_block(register))}
    for role in ("controller", "processor"):
        frame = article30(register, role)
        headings = frame.attrs.get("headings") or {}
        items = frame.attrs.get("items") or {}
        parts[role] = {
            "columns": [{"key": c, "heading": headings.get(c, c), "item": items.get(c, "")} for c in frame.columns],
            "rows": plain_records(frame),
        }
    return parts


def _consistency(assessed: Assessed) -> tuple[dict[str, Any], dict[tuple[str, str], str]]:
    """Flows by class, and the consistency table per activity × recipient (the worst class of
    its flows). The links returned map (activity, recipient) and (subject, activity), the
    latter for the organisation's own collection, to their worst class (for the picture)."""
    register, policy, table = assessed.register, assessed.policy, assessed.table
    if policy is None or table is None:
        return {"status": "no-policy", "policy_version": None, "flows": 0, "by_class": {}, "rows": []}, {}
    counts = table["class"].astype(str).value_counts()
    names = {str(r["recipient_id"]): str(r["name"] or r["recipient_id"]) for r in register.recipients.to_dict("records")}
    # per activity × recipient (in the order they first appear), the flows of each class: by columns
    pairs = ["activity_id", "recipient"]
    by = table.groupby([*pairs, "class"], sort=False, observed=True).size()
    first = table.drop_duplicates(pairs)
    index = pd.MultiIndex.from_frame(first[pairs].astype(object))

    def grid(values: pd.Series, fill: int) -> np.ndarray:
        wide = values.unstack("class", fill_value=fill).reindex(columns=list(CLASSES), fill_value=fill)
        return wide.reindex(index, fill_value=fill).to_numpy()

    n = grid(by, 0)
    seen = grid(pd.Series(np.arange(len(by)), index=by.index), len(by))  # ties: the class seen first
    worst = [CLASSES[i] for i in (n > 0).argmax(axis=1)] if len(n) else []
    order = np.lexsort((seen, -n), axis=1) if len(n) else n
    rows, links = [], {}
    for i, (aid, rid, name, party) in enumerate(zip(first["activity_id"].astype(str), first["recipient"].astype(str),
                                                    first["activity_name"].astype(str), first["party"].astype(str),
                                                    strict=True)):
        links[(aid, rid)] = worst[i]
        label = register.name if rid == "we" else names.get(rid) or register.taxonomy.label("recipient", rid)
        rows.append({"activity_id": aid, "activity_name": name, "recipient": rid, "recipient_label": label,
                     "party": party, "class": worst[i], "flows": int(n[i].sum()),
                     "by_class": {CLASSES[j]: int(n[i, j]) for j in order[i] if n[i, j]}})
    own = table[table["recipient"].astype(str) == "we"]
    rank = own["class"].map({c: i for i, c in enumerate(CLASSES)}).astype(np.int64)
    own_worst = rank.groupby([own["data_subject"], own["activity_id"]], sort=False, observed=True).min()
    for (subj, aid), r in own_worst.items():
        links[(f"subject:{subj}", str(aid))] = CLASSES[int(r)]
    return {"status": "checked", "policy_version": policy.version, "flows": len(table),
            "by_class": {c: int(counts.get(c, 0)) for c in CLASSES}, "rows": rows}, links


def _policy_changes(register: Register, q: Quarter, date: dt.date, assessed: Assessed | None = None,
                    ) -> tuple[dict[str, Any], pd.DataFrame]:
    """The policy versions published in the quarter (up to the report date), each diffed
    against the version before it; and the findings about those changes (area ``diff``).
    ``assessed`` is the register's assessment against the policy in force: that version is
    not read nor classified again."""
    versions = _policy_versions(register)
    in_force = assessed.policy if assessed is not None else None
    loaded: dict[str, Policy] = {}

    def load(row: Mapping[str, Any]) -> Policy:
        version = str(row["version"])
        if version not in loaded:
            files = {Path(p).resolve() for p in (row["flows"], row["text"]) if p}
            same = in_force is not None and in_force.path is not None and Path(in_force.path).resolve() in files
            loaded[version] = in_force if same and in_force is not None else _load_policy_row(row, register)
        return loaded[version]

    last = min(q.end, date).isoformat()
    published = versions[(versions["version"] >= q.start.isoformat()) & (versions["version"] <= last)]
    out, findings = [], []
    for position in (versions.index.get_loc(i) for i in published.index):
        row = versions.iloc[position]
        entry: dict[str, Any] = {"version": row["version"], "previous": None, "stated_date": None,
                                 "previous_stated_date": None, "by_level": {}, "changes": []}
        new = load(row)
        findings.append(new.load_findings)
        entry["stated_date"] = new.stated_date
        if position > 0:
            before = versions.iloc[position - 1]
            old = load(before)
            findings.append(old.load_findings)
            changes = diff_policies(old, new, register=register)
            findings.append(policy_diff_findings(old, new, changes, register=register,
                                                 assessments=[assessed] if assessed is not None else []))
            counts = changes["level"].astype(str).value_counts()
            entry.update({
                "previous": before["version"], "previous_stated_date": old.stated_date,
                "by_level": {level: int(counts.get(level, 0)) for level in LEVELS},
                "changes": plain_records(changes),
            })
        out.append(entry)
    section = {"status": "published" if out else "none-published", "versions": out,
               "known_versions": versions["version"].tolist()}
    return section, findings_frame(findings)


def _register_changes(register: Register, q: Quarter, prev_model: Mapping[str, Any] | None) -> dict[str, Any]:
    """What changed in the register since the quarter started: against the previous report's
    register, or against the register folder as committed to git before the quarter."""
    if prev_model is not None and prev_model.get("register"):
        baseline = {"source": "report", "quarter": prev_model["period"]["quarter"],
                    "date": prev_model["period"]["date"]}
        with register_from_snapshot(prev_model["register"], register.files.get("taxonomy")) as old:
            changes = diff_registers(old, register)
    else:
        status, rev, first = register_revision(register, q.start)
        if status == "not-in-git":
            return {"status": "not-in-git", "baseline": None, "first_commit": None, "changes": [], "counts": {}}
        if status == "none-before" or rev is None:
            return {"status": "no-baseline", "baseline": None,
                    "first_commit": {"commit": first.commit, "date": first.date} if first else None,
                    "changes": [], "counts": {}}
        with checkout(register, rev) as folder:
            changes = diff_registers(load_register(folder), register)
        baseline = {"source": "git", "commit": rev.commit, "date": rev.date}
    records = plain_records(changes)
    counts = {f"{table} {kind}": int(n) for (table, kind), n in
              changes.groupby(["table", "kind"], sort=True).size().items()} if len(changes) else {}
    return {"status": "compared" if records else "unchanged", "baseline": baseline, "first_commit": None,
            "changes": records, "counts": counts}


# -- history: earlier quarters -----------------------------------------------------------------

def _quarter_figures(register: Register, quarter: Quarter, date: dt.date, source: str,
                     **extra: Any) -> dict[str, Any]:
    """A history entry: the summary figures of a register on a date, against the policy then in force."""
    pol = policy_in_force(register, date)
    a = _assess(register, quarter, date, pol)
    return {"quarter": str(quarter), "date": date.isoformat(), "source": source,
            "policy_version": pol.version if pol is not None else None,
            "figures": _figures(a.findings, a.completeness, a.consistency), **extra}


@dataclass
class Assessment:
    """What the report is made from: ``findings`` (``ropa check``'s and those about the
    quarter's policy changes), ``checked`` (``ropa check``'s alone), and the sections."""

    findings: pd.DataFrame
    checked: pd.DataFrame
    policy_changes: dict[str, Any]
    completeness: dict[str, Any]
    consistency: dict[str, Any]
    links: dict[tuple[str, str], str]


def _assess(register: Register, q: Quarter, date: dt.date, policy: Policy | None) -> Assessment:
    """Check a register in a quarter: findings, policy changes, completeness, consistency."""
    assessed = assess(register, policy, as_of=date)
    checked = assessed.findings
    changes, diff_findings = _policy_changes(register, q, date, assessed)
    # Loading findings of the versions compared: those of the version in force are ropa check's.
    said = set(zip(checked["code"], checked["file"], checked["row"].astype(object), strict=True))
    diff_findings = diff_findings[[(c, f, r) not in said for c, f, r in zip(
        diff_findings["code"], diff_findings["file"], diff_findings["row"].astype(object), strict=True)]]
    diff_findings = diff_findings.drop_duplicates(subset=["code", "file", "row", "message"])
    findings = findings_frame([checked, diff_findings]) if len(diff_findings) else checked
    consistency, links = _consistency(assessed)
    return Assessment(findings, checked, changes, _completeness(register), consistency, links)


def _git_history(register: Register, quarter: Quarter) -> list[dict[str, Any]]:
    """Figures at the end of up to HISTORY_QUARTERS earlier quarters, from the register's git
    history (oldest first); stops at the first quarter the history does not reach."""
    out = [_quarter_figures(load_register(folder), q, q.end, "git", commit=rev.commit, commit_date=rev.date)
           for q, rev, folder in earlier_checkouts(register, quarter, HISTORY_QUARTERS)]
    return list(reversed(out))


# -- audit -------------------------------------------------------------------------------------

def audit(
    register: Register,
    quarter: str | None = None,
    *,
    date: dt.date | None = None,
    policy: Policy | None = None,
    previous: Mapping[str, Any] | str | Path | None = None,
) -> dict[str, Any]:
    """The quarterly audit report as a plain model: data, no markup, JSON-serialisable.

    Args:
        register: the loaded register (a folder register gives policy versions and git history).
        quarter: the quarter reported on, e.g. ``"2026Q4"``; default the quarter ``date``
            falls in (without ``date``, the current quarter).
        date: the report date, which is also the date the checks are made on; default the
            quarter's last day or today, whichever is earlier.
        policy: the policy version to check against; default the newest version in the
            register's ``policies/`` dated on or before ``date``.
        previous: the previous quarter's report: its model (a dict), or a path to its PDF
            (the embedded ``report.json`` is read) or to the JSON. Without it, earlier
            quarters come from the git history of the register folder, where there is one.

    Returns:
        A dict with ``organisation``, ``period``, ``inputs`` (SHA-256 of every input file),
        ``summary``, ``history``, ``findings`` (grouped by area and code), ``completeness``,
        ``consistency``, ``data_flows``, ``policy_changes``, ``register_changes``,
        ``record`` (the Art 30 record, controller and processor) and ``register`` (the
        register's content, so a later report can diff against it).

    Example:
        >>> import datetime as dt, json, ropa
        >>> reg = ropa.load_register("registers/pro-at")
        >>> model = ropa.audit(reg, "2026Q4", date=dt.date(2026, 11, 25))
        >>> model["period"]["start"], json.loads(json.dumps(model)) == model
        ('2026-10-01', True)
        >>> ropa.audit(reg, date=dt.date(2026, 11, 25))["period"]["quarter"]
        '2026Q4'

    .. versionchanged:: Unreleased
        ``quarter`` defaults to the quarter of ``date`` (it was ``"2026Q4"``).
    """
    q = Quarter.parse(quarter) if quarter is not None else Quarter.of(date or dt.date.today())
    return model_and_assessment(register, q, date=date, policy=policy, previous=previous)[0]


def model_and_assessment(register: Register, q: Quarter, *, date: dt.date | None = None,
                         policy: Policy | None = None, previous: Mapping[str, Any] | str | Path | None = None,
                         ) -> tuple[dict[str, Any], Assessment]:
    """The report model (as :func:`audit`) and the assessment it was built from (whose findings
    the report's PDF attaches)."""
    if date is None:
        date = min(q.end, dt.date.today())
    if policy is None:
        policy = policy_in_force(register, date)
    prev_model = load_model(previous) if previous is not None else None
    a = _assess(register, q, date, policy)
    findings_part = _findings_section(a.findings, len(a.checked))

    if prev_model is not None:
        # The previous report's history ends with its own quarter.
        history = [{**h, "source": "report" if h.get("source") == "this report" else h.get("source")}
                   for h in prev_model.get("history", []) if h.get("quarter") < str(q)]
    else:
        history = _git_history(register, q)
    history = history[-HISTORY_QUARTERS:]
    previous_entry = history[-1] if history and history[-1]["quarter"] == str(q.previous()) else None
    figures = _figures(a.findings, a.completeness, a.consistency)
    this = {"quarter": str(q), "date": date.isoformat(), "source": "this report",
            "policy_version": policy.version if policy is not None else None, "figures": figures}
    history = [*history, this]

    model: dict[str, Any] = {
        "format": MODEL_FORMAT,
        "generator": {"name": "ropa", "version": _version()},
        "organisation": _organisation(register),
        "register_name": register.path.name if register.path is not None else register_slug(register),
        "period": {"quarter": str(q), "start": q.start.isoformat(), "end": q.end.isoformat(),
                   "date": date.isoformat(), "previous_quarter": str(q.previous())},
        "policy": ({"version": policy.version, "origin": policy.origin,
                    "file": _relative(policy.path, register.path) if policy.path else None,
                    **({"coverage": policy.coverage_line} if policy.coverage is not None else {})}
                   if policy is not None else None),
        "inputs": _inputs(register),
        "summary": _summary(figures, previous_entry),
        "history": history,
        "findings": findings_part,
        "completeness": a.completeness,
        "consistency": a.consistency,
        "data_flows": _data_flows(register, a.links),
        "policy_changes": a.policy_changes,
        "register_changes": _register_changes(register, q, prev_model),
        "record": _record(register),
        "register": register_snapshot(register),
    }
    return jsonable(model), a


# -- the model as JSON, and read back ----------------------------------------------------------

def _version() -> str:
    return __version__


def model_json(model: Mapping[str, Any]) -> str:
    """The report model as JSON text (the ``report.json`` attachment): stable and readable."""
    return json.dumps(model, indent=2, ensure_ascii=False) + "\n"


def load_model(source: Mapping[str, Any] | str | Path) -> dict[str, Any]:
    """A report model from a dict, a report PDF (its ``report.json`` attachment) or a JSON file.

    Example:
        >>> from ropa.report.model import load_model
        >>> load_model({"format": "ropa-audit-report/1"})["format"]
        'ropa-audit-report/1'
    """
    if isinstance(source, Mapping):
        return dict(source)
    path = Path(source)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot be read: {exc.strerror}", str(path)) from None
    if data[:5] == b"%PDF-":
        from pypdf import PdfReader

        try:
            attachments = PdfReader(io.BytesIO(data)).attachments
        except Exception as exc:
            raise InputError(f"is not a readable PDF: {exc}", str(path)) from None
        found = attachments.get(ATTACHMENT_MODEL)
        if not found:
            raise InputError(f"is not a ropa report: it has no {ATTACHMENT_MODEL} attachment", str(path))
        data = found[0]
    try:
        model = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"is not a report model (JSON): {exc}", str(path)) from None
    if not isinstance(model, dict) or model.get("format") != MODEL_FORMAT:
        raise InputError(f"is not a {MODEL_FORMAT} report model", str(path))
    return model
