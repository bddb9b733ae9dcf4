"""Findings: one record shape for every problem ``ropa`` reports, and the catalogue of codes.

A finding is a row of a DataFrame with the fixed columns :data:`FINDING_COLUMNS`. The
catalogue (``ropa/codes/*.yml``) gives each stable kebab-case code its title, default
severity, GDPR article, explanation, message template and recommendation.
"""

from __future__ import annotations

import functools
import string
from collections.abc import Iterable, Mapping, Sequence
from importlib import resources
from typing import Any

import pandas as pd

from .yamlio import YamlDocument, duplicate_key_rows, package_yaml

__all__ = [
    "FINDING_COLUMNS",
    "SEVERITIES",
    "catalogue",
    "duplicate_key_findings",
    "filter_findings",
    "findings_csv",
    "findings_frame",
    "findings_json",
    "findings_records",
    "make_findings",
    "severity_at_least",
]

#: Severities, most severe first.
SEVERITIES: tuple[str, ...] = ("critical", "high", "medium", "low", "info")
SEVERITY_DTYPE = pd.CategoricalDtype(list(SEVERITIES), ordered=True)

#: The columns of every findings DataFrame, in order. This is a stable contract (JSON output).
FINDING_COLUMNS: tuple[str, ...] = (
    "code",
    "severity",
    "area",
    "article",
    "subject",
    "activity_id",
    "recipient_id",
    "policy_version",
    "section",
    "file",
    "row",
    "column",
    "message",
    "evidence",
    "recommendation",
)


@functools.cache
def _catalogue_dict() -> dict[str, dict[str, Any]]:
    entries: dict[str, dict[str, Any]] = {}
    folder = resources.files("ropa.codes")
    for item in sorted(folder.iterdir(), key=lambda p: p.name):
        if not item.name.endswith(".yml"):
            continue
        data = package_yaml(item.name, "ropa.codes")
        area = data["area"]
        for code, entry in data["codes"].items():
            if code in entries:
                raise ValueError(f"finding code {code!r} defined twice ({item.name})")
            if entry["severity"] not in SEVERITIES:
                raise ValueError(f"finding code {code!r}: bad severity {entry['severity']!r}")
            entries[code] = {"code": code, "area": area, **entry}
    return entries


def catalogue() -> pd.DataFrame:
    """The catalogue of finding codes: code, area, title, severity, article, explanation,
    message template and recommendation.

    Example:
        >>> import ropa
        >>> cat = ropa.catalogue()
        >>> cat.loc["transfer-without-safeguard", "severity"]
        'high'
    """
    frame = pd.DataFrame(list(_catalogue_dict().values()))
    cols = ["code", "area", "title", "severity", "article", "explanation", "message", "recommendation"]
    frame = frame.reindex(columns=cols + [c for c in frame.columns if c not in cols])
    return frame.set_index("code", drop=False).rename_axis(None)


class _Lenient(string.Formatter):
    """Formats a message template, leaving out fields a finding does not have."""

    def get_value(self, key, args, kwargs):
        value = kwargs.get(key, "")
        return "" if value is None or (isinstance(value, float) and value != value) else value


_FORMATTER = _Lenient()


def make_findings(code: str, rows: pd.DataFrame | Iterable[Mapping[str, Any]], **defaults: Any) -> pd.DataFrame:
    """Findings of one code, one per row of ``rows``.

    ``rows`` holds any of the finding columns (``activity_id``, ``file``, ``row``, ``column``,
    ``evidence``, ...); severity, article, area, message and recommendation default to the
    catalogue's, and ``defaults`` fills any column for every row.

    Example:
        >>> from ropa.core.findings import make_findings
        >>> f = make_findings("missing-retention", [{"activity_id": "A1"}])
        >>> f.loc[0, ["code", "severity", "subject"]].tolist()
        ['missing-retention', 'medium', 'activity A1']
    """
    entry = _catalogue_dict()[code]
    if isinstance(rows, pd.DataFrame):
        records = rows.to_dict("records") if len(rows) else []
    else:
        records = [dict(r) for r in rows]
    for col, value in defaults.items():
        if isinstance(value, list | tuple | pd.Series):
            for rec, v in zip(records, list(value), strict=True):
                rec[col] = v
        else:
            for rec in records:
                rec[col] = value
    out: dict[str, list[Any]] = {c: [] for c in FINDING_COLUMNS}
    template = entry["message"]
    for rec in records:
        rec["code"] = code
        for col in ("severity", "article", "area", "recommendation"):
            if _missing(rec.get(col)):
                rec[col] = entry.get(col, "")
        if _missing(rec.get("message")):
            rec["message"] = _FORMATTER.format(template, **rec)
        if _missing(rec.get("subject")):
            rec["subject"] = _subject(rec)
        for col in FINDING_COLUMNS:
            out[col].append(rec.get(col))
    return pd.DataFrame({c: pd.Series(v, dtype=object) for c, v in out.items()})


def _subject(r: Mapping[str, Any]) -> str:
    def present(v: Any) -> bool:
        return not _missing(v)

    if present(r.get("activity_id")):
        return f"activity {r['activity_id']}"
    if present(r.get("recipient_id")):
        return f"recipient {r['recipient_id']}"
    if present(r.get("policy_version")):
        sec = f" §{r['section']}" if present(r.get("section")) else ""
        return f"policy {r['policy_version']}{sec}"
    if present(r.get("file")):
        row = f" line {int(r['row'])}" if present(r.get("row")) else ""
        return f"{r['file']}{row}"
    return "register"


def findings_frame(parts: Sequence[pd.DataFrame] = ()) -> pd.DataFrame:
    """Concatenate findings, order them (severity, area, subject, code) and type the columns.

    Always returns the fixed columns, also when there are no findings.
    """
    parts = [p for p in parts if p is not None and len(p)]
    if parts:
        frame = pd.concat([p.loc[:, list(FINDING_COLUMNS)] for p in parts], ignore_index=True)
    else:
        frame = pd.DataFrame({c: pd.Series([], dtype=object) for c in FINDING_COLUMNS})
    frame["severity"] = frame["severity"].astype(SEVERITY_DTYPE)
    frame["row"] = pd.array([None if _missing(v) else int(v) for v in frame["row"]], dtype="Int64")
    for col in FINDING_COLUMNS:
        if col not in ("severity", "row"):
            frame[col] = frame[col].map(_to_text).astype(object)
    frame = frame.sort_values(
        ["severity", "area", "activity_id", "recipient_id", "code", "column", "evidence"],
        kind="stable", na_position="last",
    ).reset_index(drop=True)
    return frame


def _missing(value: Any) -> bool:
    return value is None or value is pd.NA or value == "" or (isinstance(value, float) and value != value)


def _to_text(value: Any) -> str | None:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, list | tuple | set):
        return "; ".join(str(v) for v in value)
    return str(value)


def severity_at_least(findings: pd.DataFrame, threshold: str) -> pd.Series:
    """Boolean mask of findings at or above ``threshold`` (critical > high > ... > info)."""
    if threshold not in SEVERITIES:
        from .errors import UsageError

        raise UsageError(f"unknown severity {threshold!r}; expected one of {', '.join(SEVERITIES)}")
    rank = SEVERITIES.index(threshold)
    sev = findings["severity"].astype(str).map({s: i for i, s in enumerate(SEVERITIES)})
    return sev <= rank


def filter_findings(
    findings: pd.DataFrame,
    *,
    codes: Iterable[str] | None = None,
    skip: Iterable[str] | None = None,
    areas: Iterable[str] | None = None,
    min_severity: str | None = None,
) -> pd.DataFrame:
    """Keep or drop findings by code, area or severity.

    Example:
        >>> import ropa
        >>> f = ropa.findings_frame()
        >>> len(ropa.filter_findings(f, skip=["stale-review"]))
        0
    """
    mask = pd.Series(True, index=findings.index)
    if codes is not None:
        mask &= findings["code"].isin(list(codes))
    if skip is not None:
        mask &= ~findings["code"].isin(list(skip))
    if areas is not None:
        mask &= findings["area"].isin(list(areas))
    if min_severity is not None:
        mask &= severity_at_least(findings, min_severity)
    return findings[mask].reset_index(drop=True)


def findings_records(findings: pd.DataFrame) -> list[dict[str, Any]]:
    """Findings as JSON-ready dicts with exactly :data:`FINDING_COLUMNS` (the stable JSON shape)."""
    out = []
    for rec in findings.loc[:, list(FINDING_COLUMNS)].to_dict("records"):
        clean: dict[str, Any] = {}
        for k, v in rec.items():
            if v is None or v is pd.NA or (isinstance(v, float) and v != v):
                clean[k] = None
            elif k == "row":
                clean[k] = int(v)
            else:
                clean[k] = str(v)
        out.append(clean)
    return out


def findings_json(findings: pd.DataFrame) -> str:
    """Findings as ``ropa check --format json`` prints them: the stable JSON contract.

    Example:
        >>> findings_json(findings_frame()).strip()
        '[]'
    """
    import json

    return json.dumps(findings_records(findings), indent=2, ensure_ascii=False) + "\n"


def findings_csv(findings: pd.DataFrame) -> str:
    """Findings as ``ropa check --format csv`` prints them, formula-like cells neutralised."""
    from .safety import neutralise_frame

    out = neutralise_frame(findings.astype(object).where(findings.notna(), None))
    return out.to_csv(index=False, lineterminator="\n")


def duplicate_key_findings(doc: YamlDocument) -> pd.DataFrame | None:
    """A ``duplicate-key`` finding for each key a YAML document gives twice (None if none).

    Example:
        >>> from ropa.core.yamlio import parse_yaml
        >>> doc = parse_yaml("name: A\\nname: B\\n", "organisation.yaml")
        >>> duplicate_key_findings(doc).loc[0, ["code", "row", "column"]].tolist()
        ['duplicate-key', 2, 'name']
    """
    return make_findings("duplicate-key", duplicate_key_rows(doc)) if doc.duplicates else None
