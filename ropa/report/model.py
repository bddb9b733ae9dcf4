"""The quarterly audit report: a plain report model first, then HTML, then PDF/A-3b.

Three stages, kept apart (STYLE rules 9 and 10):

1. :func:`audit` builds the *report model*: a dict of plain data (strings, numbers,
   booleans, lists and dicts; no markup) that survives ``json.dumps`` / ``json.loads``
   unchanged. It is embedded in the PDF, so a later quarter's report can compare against it.
2. :func:`render_html` renders the model with the Jinja2 templates in
   ``ropa/templates/report/`` (one partial per section, one per finding code that needs
   its own layout), through :func:`ropa.core.safety.template_environment`, so an
   organisation's ``reports/templates/`` folder can override any of them and every
   register cell is escaped.
3. :func:`write_report` turns the HTML into PDF/A-3b through :func:`ropa.outputs.pdf.render_pdf`,
   with the findings (JSON exactly as ``ropa check --format json`` prints them, and CSV)
   and the report model attached. The report date is an input: the same inputs give the
   same bytes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import re
import subprocess
import tempfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..core.errors import InputError, UsageError
from ..core.findings import (
    SEVERITIES,
    catalogue,
    findings_csv,
    findings_json,
    findings_records,
    severity_at_least,
)

if TYPE_CHECKING:
    from ..policy.model import Policy
    from ..register.model import Register

__all__ = [
    "MODEL_FORMAT",
    "Quarter",
    "audit",
    "load_model",
    "model_json",
    "render_html",
    "run_report_command",
    "write_report",
]

#: Identifies the report model's layout; bump the number when a field changes meaning.
MODEL_FORMAT = "ropa-audit-report/1"
#: How many earlier quarters the report looks back for its history chart.
HISTORY_QUARTERS = 4
#: Areas of findings, in the order the report shows them.
AREAS: tuple[str, ...] = ("register", "policy", "consistency", "diff")
#: Consistency classes, worst first (PoliCheck's, plus out_of_scope).
CLASSES: tuple[str, ...] = ("incorrect", "ambiguous", "omitted", "vague", "clear", "out_of_scope")
#: Attachment names inside the PDF.
ATTACHMENT_FINDINGS_JSON = "findings.json"
ATTACHMENT_FINDINGS_CSV = "findings.csv"
ATTACHMENT_MODEL = "report.json"


# -- the period ---------------------------------------------------------------------------

_QUARTER = re.compile(r"^\s*(\d{4})\s*-?\s*[Qq]([1-4])\s*$")


@dataclass(frozen=True)
class Quarter:
    """A calendar quarter, such as ``2026Q4``.

    Example:
        >>> q = Quarter.parse("2026Q4")
        >>> (q.start.isoformat(), q.end.isoformat(), str(q.previous()))
        ('2026-10-01', '2026-12-31', '2026Q3')
    """

    year: int
    number: int

    @classmethod
    def parse(cls, text: str) -> Quarter:
        """Read ``2026Q4`` (also ``2026-Q4``, ``2026q4``); a :class:`UsageError` otherwise."""
        m = _QUARTER.match(str(text))
        if not m:
            raise UsageError(f"a quarter is written like 2026Q4, not {text!r}")
        year = int(m.group(1))
        if not 1900 <= year <= 9998:  # the GDPR's records start in 2018; 9999Q4 has no next quarter
            raise UsageError(f"quarter {text!r}: the year must be between 1900 and 9998")
        return cls(year, int(m.group(2)))

    @classmethod
    def of(cls, day: dt.date) -> Quarter:
        """The quarter a date falls in."""
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> dt.date:
        following = self.next().start
        return following - dt.timedelta(days=1)

    def previous(self) -> Quarter:
        return Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)

    def next(self) -> Quarter:
        return Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)

    def __str__(self) -> str:
        return f"{self.year}Q{self.number}"


# -- small helpers ------------------------------------------------------------------------

def _jsonable(value: Any) -> Any:
    """A plain JSON value for ``value`` (dates as ISO text, NaN and NA as None, tuples as lists)."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, bool | str):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return None if value != value else (int(value) if value.is_integer() and abs(value) < 2**53 else value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=str) if isinstance(value, set | frozenset) else value
        return [_jsonable(v) for v in items]
    if hasattr(value, "tolist"):  # numpy scalars and arrays
        return _jsonable(value.tolist())
    if hasattr(value, "item"):
        return _jsonable(value.item())
    return str(value)


def _records(frame: pd.DataFrame, columns: list[str] | None = None) -> list[dict[str, Any]]:
    """DataFrame rows as JSON-ready dicts (in the frame's column order)."""
    if frame is None or frame.empty:
        return []
    if columns is not None:
        frame = frame.loc[:, [c for c in columns if c in frame.columns]]
    return [_jsonable(rec) for rec in frame.to_dict("records")]


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


def _org_slug(register: Register) -> str:
    base = register.path.name if register.path is not None else register.name
    slug = re.sub(r"[^A-Za-z0-9]+", "-", base).strip("-").lower()
    return slug or "register"


# -- policies -----------------------------------------------------------------------------

def _policy_versions(register: Register) -> pd.DataFrame:
    return register.policy_files() if register.path is not None else pd.DataFrame(
        columns=["version", "text", "flows"])


def _load_policy_row(row: Mapping[str, Any], register: Register) -> Policy:
    """Load a version as ``ropa check`` does: the reviewed flows file wins over the text."""
    import warnings

    from ..policy.model import ReviewedFlowsUsed, load_policy

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


# -- git history --------------------------------------------------------------------------

def _git(folder: Path, *args: str) -> str | None:
    """Output of a git command run in ``folder``, or None when git or the repository is absent."""
    try:
        done = subprocess.run(["git", "-C", str(folder), *args], capture_output=True, check=False)
    except OSError:
        return None
    return done.stdout.decode("utf-8", "replace") if done.returncode == 0 else None


def _git_bytes(folder: Path, *args: str) -> bytes | None:
    try:
        done = subprocess.run(["git", "-C", str(folder), *args], capture_output=True, check=False)
    except OSError:
        return None
    return done.stdout if done.returncode == 0 else None


@dataclass(frozen=True)
class _Revision:
    commit: str
    date: str  # committer date, ISO 8601


def _register_revision(register: Register, before: dt.date) -> tuple[str, _Revision | None, _Revision | None]:
    """The last commit touching the register folder before ``before`` (00:00 UTC).

    Returns ``(status, revision, first)``: status ``found``, ``none-before`` (the folder's
    history starts later; ``first`` is its first commit) or ``not-in-git``.
    """
    folder = register.path
    if folder is None:
        return "not-in-git", None, None
    top = _git(folder, "rev-parse", "--show-toplevel")
    if top is None:
        return "not-in-git", None, None
    stamp = f"{before.isoformat()} 00:00:00 +0000"
    out = _git(folder, "log", "-1", f"--before={stamp}", "--format=%H %cI", "--", ".")
    if out and out.strip():
        commit, date = out.split()[:2]
        return "found", _Revision(commit, date), None
    first = _git(folder, "log", "--reverse", "--format=%H %cI", "--", ".")
    if first and first.strip():
        commit, date = first.splitlines()[0].split()[:2]
        return "none-before", None, _Revision(commit, date)
    return "not-in-git", None, None


@contextlib.contextmanager
def _checkout(register: Register, revision: _Revision) -> Iterator[Path]:
    """The register folder's files as they were at ``revision``, in a temporary folder."""
    folder = register.path
    assert folder is not None
    prefix = (_git(folder, "rev-parse", "--show-prefix") or "").strip()
    listing = _git_bytes(folder, "ls-tree", "-r", "-z", "--full-name", "--name-only", revision.commit,
                         "--", ".") or b""
    with tempfile.TemporaryDirectory(prefix="ropa-register-") as tmp:
        root = Path(tmp) / folder.name
        root.mkdir()
        for raw in listing.split(b"\0"):
            if not raw:
                continue
            name = raw.decode("utf-8", "replace")
            rel = name[len(prefix):] if prefix and name.startswith(prefix) else name
            data = _git_bytes(folder, "show", f"{revision.commit}:{name}")
            if data is None:
                continue
            target = root / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        yield root


def _snapshot(register: Register) -> dict[str, Any]:
    """The register's own content (organisation, activities, recipients), as plain data."""
    return {
        "organisation": _jsonable(register.organisation),
        "activities": _records(register.activities.reset_index(drop=True)),
        "recipients": _records(register.recipients.reset_index(drop=True)),
    }


@contextlib.contextmanager
def _register_from_snapshot(snapshot: Mapping[str, Any], taxonomy_file: str | None) -> Iterator[Register]:
    """Load a snapshot (from an earlier report's model) through the ordinary loader."""
    import yaml

    from ..register.model import load_register

    with tempfile.TemporaryDirectory(prefix="ropa-previous-") as tmp:
        root = Path(tmp) / "previous"
        root.mkdir()
        (root / "organisation.yaml").write_text(
            yaml.safe_dump(dict(snapshot.get("organisation") or {}), allow_unicode=True), encoding="utf-8")
        for stem in ("activities", "recipients"):
            (root / f"{stem}.yaml").write_text(
                yaml.safe_dump({stem: list(snapshot.get(stem) or [])}, allow_unicode=True, sort_keys=False),
                encoding="utf-8")
        if taxonomy_file:
            (root / "taxonomy.yaml").write_text(Path(taxonomy_file).read_text(encoding="utf-8"), encoding="utf-8")
        yield load_register(root)


# -- the sections of the model --------------------------------------------------------------

def _organisation(register: Register) -> dict[str, Any]:
    org = _jsonable(dict(register.organisation or {}))
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
    from ..core.errors import InputError
    from ..core.paths import OutsideFolderError
    from ..core.yamlio import read_yaml
    from ..policy.model import flows_source

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
    live = acts[acts["status"].astype(str).str.lower() != "retired"] if "status" in acts else acts
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
            if rid in rec_by_id:
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
            recipients.setdefault(rid, {"id": rid, "label": f"Transfer to {tax.country_name(code)}",
                                        "kind": "transfer", "country": code, "country_name": tax.country_name(code),
                                        "third_country": not bool(tax.is_eea([code])[0]),
                                        "safeguard": "; ".join(_safeguard(tax, k) for k in safeguards)})
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


# -- sections built from the other stages -------------------------------------------------------

def _completeness(register: Register) -> dict[str, Any]:
    """The Art 30 completeness table: per item (how many activities fill it) and per activity."""
    from ..outputs.completeness import completeness

    wide = completeness(register)
    detail = completeness(register, detail=True)
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
        "gaps": _records(gaps, ["activity_id", "name", "role", "item", "title", "status", "reason"]),
    }


def _record(register: Register) -> dict[str, Any]:
    """The Art 30 record (controller and processor parts) as columns and rows of text."""
    from ..outputs.parties import organisation_block
    from ..outputs.record import article30

    parts: dict[str, Any] = {"organisation": _jsonable(organisation_block(register))}
    for role in ("controller", "processor"):
        frame = article30(register, role)
        headings = frame.attrs.get("headings") or {}
        items = frame.attrs.get("items") or {}
        parts[role] = {
            "columns": [{"key": c, "heading": headings.get(c, c), "item": items.get(c, "")} for c in frame.columns],
            "rows": _records(frame),
        }
    return parts


def _worst(classes: Any) -> str:
    rank = {c: i for i, c in enumerate(CLASSES)}
    return min((str(c) for c in classes), key=lambda c: rank.get(c, len(CLASSES)))


def _consistency(register: Register, policy: Policy | None) -> tuple[dict[str, Any], dict[tuple[str, str], str]]:
    """Flows by class, and the consistency table per activity × recipient (the worst class of
    its flows). The links returned map (activity, recipient) and (subject, activity), the
    latter for the organisation's own collection, to their worst class (for the picture)."""
    if policy is None:
        return {"status": "no-policy", "policy_version": None, "flows": 0, "by_class": {}, "rows": []}, {}
    from ..checks.consistency import consistency

    table = consistency(register, policy)
    counts = table["class"].astype(str).value_counts()
    names = {str(r["recipient_id"]): str(r["name"] or r["recipient_id"]) for r in register.recipients.to_dict("records")}
    rows, links = [], {}
    for (aid, rid), group in table.groupby(["activity_id", "recipient"], sort=False, observed=True):
        classes = group["class"].astype(str)
        worst = _worst(classes)
        links[(str(aid), str(rid))] = worst
        rid = str(rid)
        label = register.name if rid == "we" else names.get(rid) or register.taxonomy.label("recipient", rid)
        rows.append({"activity_id": str(aid), "activity_name": str(group["activity_name"].iloc[0]),
                     "recipient": rid, "recipient_label": label, "party": str(group["party"].iloc[0]),
                     "class": worst, "flows": len(group),
                     "by_class": {c: int(n) for c, n in classes.value_counts().items() if n}})
    own = table[table["recipient"].astype(str) == "we"]
    for (subj, aid), group in own.groupby(["data_subject", "activity_id"], sort=False, observed=True):
        links[(f"subject:{subj}", str(aid))] = _worst(group["class"].astype(str))
    return {"status": "checked", "policy_version": policy.version, "flows": len(table),
            "by_class": {c: int(counts.get(c, 0)) for c in CLASSES}, "rows": rows}, links


def _policy_changes(register: Register, q: Quarter, date: dt.date) -> tuple[dict[str, Any], pd.DataFrame]:
    """The policy versions published in the quarter (up to the report date), each diffed
    against the version before it; and the findings about those changes (area ``diff``)."""
    from ..core.findings import findings_frame

    versions = _policy_versions(register)
    last = min(q.end, date).isoformat()
    published = versions[(versions["version"] >= q.start.isoformat()) & (versions["version"] <= last)]
    out, findings = [], []
    for position in (versions.index.get_loc(i) for i in published.index):
        row = versions.iloc[position]
        entry: dict[str, Any] = {"version": row["version"], "previous": None, "stated_date": None,
                                 "previous_stated_date": None, "by_level": {}, "changes": []}
        new = _load_policy_row(row, register)
        findings.append(new.load_findings)
        entry["stated_date"] = new.stated_date
        if position > 0:
            from ..diff.policies import LEVELS, diff_policies, policy_diff_findings

            before = versions.iloc[position - 1]
            old = _load_policy_row(before, register)
            findings.append(old.load_findings)
            changes = diff_policies(old, new, register=register)
            findings.append(policy_diff_findings(old, new, changes, register=register))
            counts = changes["level"].astype(str).value_counts()
            entry.update({
                "previous": before["version"], "previous_stated_date": old.stated_date,
                "by_level": {level: int(counts.get(level, 0)) for level in LEVELS},
                "changes": _records(changes),
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
        from ..diff.policies import diff_registers

        with _register_from_snapshot(prev_model["register"], register.files.get("taxonomy")) as old:
            changes = diff_registers(old, register)
    else:
        status, rev, first = _register_revision(register, q.start)
        if status == "not-in-git":
            return {"status": "not-in-git", "baseline": None, "first_commit": None, "changes": [], "counts": {}}
        if status == "none-before" or rev is None:
            return {"status": "no-baseline", "baseline": None,
                    "first_commit": {"commit": first.commit, "date": first.date} if first else None,
                    "changes": [], "counts": {}}
        from ..diff.policies import diff_registers
        from ..register.model import load_register

        with _checkout(register, rev) as folder:
            changes = diff_registers(load_register(folder), register)
        baseline = {"source": "git", "commit": rev.commit, "date": rev.date}
    records = _records(changes)
    counts = {f"{table} {kind}": int(n) for (table, kind), n in
              changes.groupby(["table", "kind"], sort=True).size().items()} if len(changes) else {}
    return {"status": "compared" if records else "unchanged", "baseline": baseline, "first_commit": None,
            "changes": records, "counts": counts}


# -- history: earlier quarters ----------------------------------------------------------------

def _quarter_figures(register: Register, quarter: Quarter, date: dt.date, source: str,
                     **extra: Any) -> dict[str, Any]:
    """A history entry: the summary figures of a register on a date, against the policy then in force."""
    pol = policy_in_force(register, date)
    a = _assess(register, quarter, date, pol)
    return {"quarter": str(quarter), "date": date.isoformat(), "source": source,
            "policy_version": pol.version if pol is not None else None,
            "figures": _figures(a.findings, a.completeness, a.consistency), **extra}


@dataclass
class _Assessment:
    """What the report is made from: ``findings`` (``ropa check``'s and those about the
    quarter's policy changes), ``checked`` (``ropa check``'s alone), and the sections."""

    findings: pd.DataFrame
    checked: pd.DataFrame
    policy_changes: dict[str, Any]
    completeness: dict[str, Any]
    consistency: dict[str, Any]
    links: dict[tuple[str, str], str]


def _assess(register: Register, q: Quarter, date: dt.date, policy: Policy | None) -> _Assessment:
    """Check a register in a quarter: findings, policy changes, completeness, consistency."""
    from ..checks.check import check
    from ..core.findings import findings_frame

    checked = check(register, policy, as_of=date)
    changes, diff_findings = _policy_changes(register, q, date)
    # Loading findings of the versions compared: those of the version in force are ropa check's.
    said = set(zip(checked["code"], checked["file"], checked["row"].astype(object), strict=True))
    diff_findings = diff_findings[[(c, f, r) not in said for c, f, r in zip(
        diff_findings["code"], diff_findings["file"], diff_findings["row"].astype(object), strict=True)]]
    diff_findings = diff_findings.drop_duplicates(subset=["code", "file", "row", "message"])
    findings = findings_frame([checked, diff_findings]) if len(diff_findings) else checked
    consistency, links = _consistency(register, policy)
    return _Assessment(findings, checked, changes, _completeness(register), consistency, links)


def _git_history(register: Register, quarter: Quarter) -> list[dict[str, Any]]:
    """Figures at the end of up to HISTORY_QUARTERS earlier quarters, from the register's git
    history (oldest first); stops at the first quarter the history does not reach."""
    from ..register.model import load_register

    out = []
    q = quarter.previous()
    for _ in range(HISTORY_QUARTERS):
        status, rev, _first = _register_revision(register, q.end + dt.timedelta(days=1))
        if status != "found" or rev is None:
            break
        with _checkout(register, rev) as folder:
            old = load_register(folder)
            out.append(_quarter_figures(old, q, q.end, "git", commit=rev.commit, commit_date=rev.date))
        q = q.previous()
    return list(reversed(out))


# -- audit -----------------------------------------------------------------------------------

def audit(
    register: Register,
    quarter: str = "2026Q4",
    *,
    date: dt.date | None = None,
    policy: Policy | None = None,
    previous: Mapping[str, Any] | str | Path | None = None,
) -> dict[str, Any]:
    """The quarterly audit report as a plain model: data, no markup, JSON-serialisable.

    Args:
        register: the loaded register (a folder register gives policy versions and git history).
        quarter: the quarter reported on, e.g. ``"2026Q4"``.
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
    """
    return _audit(register, Quarter.parse(quarter), date, policy, previous)[0]


def _audit(register: Register, q: Quarter, date: dt.date | None, policy: Policy | None,
           previous: Mapping[str, Any] | str | Path | None) -> tuple[dict[str, Any], _Assessment]:
    """The report model, and the assessment it was built from."""
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
        "register_name": register.path.name if register.path is not None else _org_slug(register),
        "period": {"quarter": str(q), "start": q.start.isoformat(), "end": q.end.isoformat(),
                   "date": date.isoformat(), "previous_quarter": str(q.previous())},
        "policy": ({"version": policy.version, "origin": policy.origin,
                    "file": _relative(policy.path, register.path) if policy.path else None}
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
        "register": _snapshot(register),
    }
    return _jsonable(model), a


def _version() -> str:
    from .. import __version__

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
        import io

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


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


def _long_date(value: Any) -> str:
    """``2026-11-25`` → ``25 November 2026`` (other text unchanged)."""
    try:
        day = dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return str(value)
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def _signed(value: Any, percent: bool = False) -> str:
    """``+2``, ``−1`` (a true minus sign), ``+1.5 pp`` for percentage points."""
    if value is None:
        return "–"
    number = round(float(value), 1) if percent else value
    if isinstance(number, float) and number.is_integer():
        number = int(number)
    text = f"{abs(number)}{' pp' if percent else ''}"
    return ("+" if number > 0 else "−" if number < 0 else "") + text


def _percent(value: Any) -> str:
    if value is None:
        return "–"
    number = round(float(value) * 100, 1)
    return f"{int(number) if number.is_integer() else number}%"


def _location(finding: Mapping[str, Any]) -> str:
    """Where a finding points: ``recipients.csv line 6, country`` or ``policy 2026-11-01 §3``."""
    parts = []
    if finding.get("file"):
        where = Path(str(finding["file"])).name
        if finding.get("row") is not None:
            where += f" line {finding['row']}"
        parts.append(where)
    if finding.get("column"):
        parts.append(str(finding["column"]))
    if finding.get("policy_version") and not finding.get("file"):
        sec = f" §{finding['section']}" if finding.get("section") else ""
        parts.append(f"policy {finding['policy_version']}{sec}")
    return ", ".join(parts)


def _evidence_parts(evidence: Any) -> list[str]:
    """A finding's evidence split at ``; `` outside double quotes (quoted sentences stay whole)."""
    text = str(evidence or "")
    parts, start, quoted = [], 0, False
    for i, ch in enumerate(text):
        if ch == '"':
            quoted = not quoted
        elif not quoted and text.startswith("; ", i):
            parts.append(text[start:i])
            start = i + 2
    if quoted:  # unbalanced quotes: do not guess
        return [text] if text else []
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


_POLICY_QUOTE = re.compile(r'^(?P<stance>disclosed|denied|nearest)(?: by)?:? §(?P<section>\S+) (?P<statement>\S+): "(?P<quote>.*)"$',
                           re.S)


def _policy_quote(part: Any) -> dict[str, str] | None:
    """``disclosed by §2.3 s2.3-3: "..."`` → stance, section, statement and quote; else None."""
    m = _POLICY_QUOTE.match(str(part))
    return m.groupdict() if m else None


def _environment(templates: str | Path | None) -> Any:
    from ..core.safety import template_environment

    env = template_environment(str(Path(templates).resolve()) if templates else None)
    env.filters.update({"long_date": _long_date, "signed": _signed, "percent": _percent,
                        "location": _location, "evidence_parts": _evidence_parts,
                        "policy_quote": _policy_quote})
    return env


def _stylesheet(templates: str | Path | None) -> str:
    """ropa's report.css, then the organisation's report.css from its templates folder, if any."""
    from importlib import resources

    css = resources.files("ropa.assets").joinpath("report.css").read_text(encoding="utf-8")
    if templates:
        extra = Path(templates) / "report.css"
        if extra.is_file():
            css += "\n/* the organisation's own styles */\n" + extra.read_text(encoding="utf-8")
    return css.replace("</", "<\\/")  # keep a stray "</style>" from ending the element


def _charts(model: Mapping[str, Any]) -> dict[str, str]:
    from . import svg as _svg

    sev = model["summary"]["findings"]["by_severity"]
    classes = model["summary"]["consistency"]["by_class"] or {}
    history = [{"quarter": h["quarter"], "by_severity": h["figures"]["findings"]["by_severity"]}
               for h in model["history"]]
    return {
        "severity": _svg.bar_chart([(s, int(sev.get(s, 0)), _svg.SEVERITY_COLOURS[s]) for s in SEVERITIES],
                                   title=f"Findings by severity, {model['period']['quarter']}", width=300,
                                   label_width=60),
        "history": _svg.history_chart(history, severities=SEVERITIES, title="Findings per quarter, by severity"),
        "classes": _svg.bar_chart([(c.replace("_", " "), int(n), _svg.CLASS_COLOURS.get(c, "#9aa5b1"))
                                   for c, n in classes.items()],
                                  title="Data flows by consistency class", width=300, label_width=76),
        "flows": _svg.flow_diagram(model["data_flows"]),
    }


def render_html(model: Mapping[str, Any], *, templates: str | Path | None = None) -> str:
    """The report as one HTML document (styles inline, pictures as inline SVG).

    Args:
        model: a report model from :func:`audit`.
        templates: an organisation's templates folder (``reports/templates``): a file there
            named like one of ropa's (``report/sections/summary.html``) replaces it, and a
            ``report.css`` there is added after ropa's styles.

    Example:
        >>> import datetime as dt, ropa
        >>> from ropa.report.model import render_html
        >>> reg = ropa.load_register("registers/pro-at")
        >>> html = render_html(ropa.audit(reg, "2026Q4", date=dt.date(2026, 11, 25)))
        >>> html.startswith("<!DOCTYPE html>")
        True
    """
    from markupsafe import Markup

    env = _environment(templates)
    charts = {k: Markup(v) for k, v in _charts(model).items()}  # our own SVG; its text is escaped
    org = model["organisation"]
    title = f"{org['name']}: data-protection audit report {model['period']['quarter']}"
    html = env.get_template("report/report.html").render(
        model=model, org=org, period=model["period"], charts=charts, title=title,
        css=Markup(_stylesheet(templates)))
    return html.lstrip()


def write_report(
    register: Register,
    quarter: str,
    path: str | Path,
    *,
    format: str = "pdf",
    date: dt.date | None = None,
    templates: str | Path | None = None,
    policy: Policy | None = None,
    previous: Mapping[str, Any] | str | Path | None = None,
    progress: Callable[[str], None] | None = None,
) -> Path:
    """Write the quarterly audit report as PDF/A-3b (or HTML for a browser preview).

    The PDF embeds ``findings.json`` (exactly what ``ropa check --format json`` prints for
    the same register, policy version and date), ``findings.csv`` and ``report.json`` (the
    model from :func:`audit`). The report date is the only date inside, so the same inputs
    give the same bytes.

    Args:
        register: the loaded register.
        quarter: the quarter, e.g. ``"2026Q4"``.
        path: the file to write (its folder is created).
        format: ``"pdf"`` or ``"html"``.
        date: the report date (default: the quarter's last day or today, whichever is earlier).
        templates: an organisation's template folder, e.g. ``reports/templates``.
        policy, previous: as for :func:`audit`.
        progress: called with the name of each step as it starts (for a progress bar).

    Returns:
        The path written.

    Example:
        >>> import datetime as dt, tempfile, pathlib, ropa
        >>> reg = ropa.load_register("registers/pro-at")
        >>> out = pathlib.Path(tempfile.mkdtemp()) / "pro-at-2026Q4.html"
        >>> ropa.write_report(reg, "2026Q4", out, format="html", date=dt.date(2026, 11, 25)).suffix
        '.html'
    """
    return _write_report(register, Quarter.parse(quarter), Path(path), format=format, date=date,
                         templates=templates, policy=policy, previous=previous, progress=progress)[0]


def _write_report(register: Register, q: Quarter, target: Path, *, format: str, date: dt.date | None,
                  templates: str | Path | None, policy: Policy | None,
                  previous: Mapping[str, Any] | str | Path | None,
                  progress: Callable[[str], None] | None) -> tuple[Path, dict[str, Any], pd.DataFrame]:
    """Write the report; returns the path, the model and every finding the report shows."""
    if format not in ("pdf", "html"):
        raise UsageError(f"unknown report format {format!r}; expected pdf or html")
    step = progress or (lambda _name: None)
    step("checking the register and policy")
    model, assessment = _audit(register, q, date, policy, previous)
    step("laying out the report")
    html = render_html(model, templates=templates)
    target.parent.mkdir(parents=True, exist_ok=True)
    if format == "html":
        target.write_text(html, encoding="utf-8")
        step("done")
        return target, model, assessment.findings
    from ..outputs.pdf import render_pdf

    attachments = {
        ATTACHMENT_FINDINGS_JSON: findings_json(assessment.checked),
        ATTACHMENT_FINDINGS_CSV: findings_csv(assessment.checked),
        ATTACHMENT_MODEL: model_json(model),
    }
    step("rendering the PDF")
    render_pdf(html, target, date=dt.date.fromisoformat(model["period"]["date"]),
               title=f"{register.name}: data-protection audit report {q}",
               author=register.name, attachments=attachments)
    step("done")
    return target, model, assessment.findings


def run_report_command(
    register_path: str | Path,
    *,
    quarter: str,
    output: str | Path | None = None,
    format: str = "pdf",
    date: dt.date | None = None,
    fail_on: str | None = None,
) -> int:
    """The ``ropa report`` command: write the report, show progress on stderr, return the exit status.

    The report goes to ``OUTPUT/<register>-<quarter>.pdf`` (``output`` is a folder, or a
    file name ending in .pdf or .html), by default ``reports/<quarter>/`` under the current
    folder. A report for the previous quarter found beside it (``reports/<previous>/``) is
    compared against; templates in ``reports/templates/`` override ropa's.

    Returns:
        1 when ``fail_on`` is given and a finding is at or above it, else 0.

    Example:
        >>> from ropa.report.model import run_report_command
        >>> run_report_command("registers/pro-at", quarter="2026Q4", output="/tmp/r",
        ...                    format="html", date=None, fail_on=None)  # doctest: +SKIP
        0
    """
    import typer
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from ..register.model import load_register

    q = Quarter.parse(quarter)
    if fail_on is not None and fail_on not in SEVERITIES:
        raise UsageError(f"unknown severity {fail_on!r}; expected one of {', '.join(SEVERITIES)}")
    register = load_register(register_path)
    reports = Path("reports")
    name = f"{_org_slug(register)}-{q}.{format}"
    if output is None:
        target = reports / str(q) / name
    else:
        out = Path(output)
        target = out if out.suffix.lower() in (".pdf", ".html", ".htm") else out / name
    prev_name = f"{_org_slug(register)}-{q.previous()}.pdf"
    previous = None
    for candidate in (target.parent.parent / str(q.previous()) / prev_name, reports / str(q.previous()) / prev_name):
        if candidate.is_file():
            previous = candidate
            break
    templates = reports / "templates"
    steps = ["checking the register and policy", "laying out the report", "rendering the PDF", "done"]
    if format == "html":
        steps.remove("rendering the PDF")
    console = Console(stderr=True)
    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                  TimeElapsedColumn(), console=console, transient=True) as bar:
        task = bar.add_task(f"{register.name} {q}", total=len(steps) - 1)
        seen: list[str] = []

        def progress(step: str) -> None:
            if seen:
                bar.advance(task)
            seen.append(step)
            bar.update(task, description=f"{register.name} {q}: {step}")

        written, _model, findings = _write_report(
            register, q, target, format=format, date=date,
            templates=templates if templates.is_dir() else None, policy=None,
            previous=previous, progress=progress)
    typer.echo(f"wrote {written}" + (f" (compared with {previous})" if previous else ""))
    if fail_on is not None and severity_at_least(findings, fail_on).any():
        return 1
    return 0
