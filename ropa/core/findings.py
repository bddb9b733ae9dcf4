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

import numpy as np
import pandas as pd

from .yamlio import YamlDocument, duplicate_key_rows, package_yaml

__all__ = [
    "FINDING_COLUMNS",
    "SEVERITIES",
    "affected",
    "catalogue",
    "catalogue_entry",
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
            entries[code] = {"code": code, "area": area, "grain": "row", **entry}
    return entries


def catalogue() -> pd.DataFrame:
    """The catalogue of finding codes: code, area, title, severity, article, explanation,
    grain (what one finding stands for: ``row`` unless the code groups rows by a cause, such
    as ``recipient`` or ``value``), message template and recommendation.

    Example:
        >>> import ropa
        >>> cat = ropa.catalogue()
        >>> cat.loc["transfer-without-safeguard", "severity"]
        'high'
    """
    frame = pd.DataFrame(list(_catalogue_dict().values()))
    cols = ["code", "area", "title", "severity", "article", "explanation", "grain", "message", "recommendation"]
    frame = frame.reindex(columns=cols + [c for c in frame.columns if c not in cols])
    return frame.set_index("code", drop=False).rename_axis(None)


def catalogue_entry(code: str) -> dict[str, Any]:
    """One code's catalogue entry as a dict (title, severity, grain, message, ...).

    Example:
        >>> catalogue_entry("unknown-recipient")["grain"]
        'value'
    """
    return dict(_catalogue_dict()[code])


class _Fields(dict):
    """A finding's fields for ``str.format_map``: a field it does not have, None or NaN is left out."""

    def __missing__(self, key: str) -> str:
        return ""


def _format(template: str, fields: Sequence[str], values: Sequence[Any]) -> str:
    return template.format_map(_Fields(
        (f, "" if v is None or (isinstance(v, float) and v != v) else v) for f, v in zip(fields, values, strict=True)))


def make_findings(code: str, rows: pd.DataFrame | Iterable[Mapping[str, Any]], **defaults: Any) -> pd.DataFrame:
    """Findings of one code, one per row of ``rows``, built by columns.

    ``rows`` holds any of the finding columns (``activity_id``, ``file``, ``row``, ``column``,
    ``evidence``, ...) and the fields the code's message template names; severity, article,
    area, message and recommendation default to the catalogue's, and ``defaults`` fills any
    column for every row (a scalar) or row by row (a list or Series). The catalogue's
    defaults are filled column-wise, and each message is formatted once per distinct
    combination of the fields its template names.

    Example:
        >>> from ropa.core.findings import make_findings
        >>> f = make_findings("missing-retention", [{"activity_id": "A1"}])
        >>> f.loc[0, ["code", "severity", "subject"]].tolist()
        ['missing-retention', 'medium', 'activity A1']
    """
    entry = _catalogue_dict()[code]
    cols: dict[str, pd.Series]
    if isinstance(rows, pd.DataFrame):
        frame = rows.reset_index(drop=True)
        n = len(frame)
        cols = {c: frame[c].astype(object) for c in frame.columns}
    else:  # dicts: straight into object columns (a frame would first guess each column's type)
        records = list(rows)
        n = len(records)
        names = dict.fromkeys(k for r in records for k in r)
        cols = {c: pd.Series([r.get(c) for r in records], dtype=object) for c in names}
    for col, value in defaults.items():
        if isinstance(value, list | tuple | pd.Series | np.ndarray):
            values = list(value)
            if len(values) != n:
                raise ValueError(f"{col}: {len(values)} values for {n} findings")
            cols[col] = pd.Series(values, dtype=object)
        else:
            cols[col] = pd.Series([value] * n, dtype=object)

    def column(name: str) -> pd.Series:
        return cols[name] if name in cols else pd.Series([None] * n, dtype=object)

    cols["code"] = pd.Series([code] * n, dtype=object)
    for col in ("severity", "article", "area", "recommendation"):
        cols[col] = column(col).where(~_missing_mask(column(col)), entry.get(col, ""))
    if n:
        cols["message"] = _messages(entry["message"], column("message"), cols, n)
        cols["subject"] = column("subject").where(~_missing_mask(column("subject")), _subjects(column, n))
    out = {c: column(c).reset_index(drop=True) for c in FINDING_COLUMNS}
    return pd.DataFrame(out)


def _missing_mask(series: pd.Series) -> pd.Series:
    """Vectorised :func:`_missing`: None, NA, NaN or the empty string."""
    return series.isna() | (series.astype(object) == "")


def _messages(template: str, given: pd.Series, cols: Mapping[str, pd.Series], n: int) -> pd.Series:
    """The message of every finding: the given one, else the template formatted once per
    distinct combination of the fields it names."""
    need = _missing_mask(given).to_numpy()
    if not need.any():
        return given
    fields = list(dict.fromkeys(f.split(".")[0].split("[")[0]
                                for _, f, _, _ in string.Formatter().parse(template) if f))
    present = [f for f in fields if f in cols]
    rows = np.flatnonzero(need)
    keys = list(zip(*(cols[f].to_numpy(dtype=object)[rows] for f in present), strict=True)) if present \
        else [()] * len(rows)
    done: dict[Any, str] = {}
    texts = []
    for key in keys:
        try:
            text = done.get(key)
        except TypeError:  # an unhashable field value (a list): format it on its own
            texts.append(_format(template, present, key))
            continue
        if text is None:
            text = done[key] = _format(template, present, key)
        texts.append(text)
    out = given.copy()
    out.iloc[rows] = texts
    return out


def _subjects(column: Any, n: int) -> pd.Series:
    """What each finding is about, by columns: an activity, a recipient, a policy version
    (and section), a file (and line), else the register."""
    def present(name: str) -> np.ndarray:
        return ~_missing_mask(column(name)).to_numpy()

    def text(name: str) -> np.ndarray:
        values = column(name).to_numpy(dtype=object)
        return np.fromiter((str(v) for v in values), dtype=object, count=len(values))

    out = np.full(n, "register", dtype=object)
    row = pd.to_numeric(column("row"), errors="coerce")
    numbers = row.fillna(0).astype(np.int64).to_numpy()
    line = np.where(row.notna().to_numpy(),
                    np.fromiter((f" line {v}" for v in numbers), dtype=object, count=n), "")
    section = np.where(present("section"), " §" + text("section"), "")
    for mask, value in reversed([
        (present("activity_id"), "activity " + text("activity_id")),
        (present("recipient_id"), "recipient " + text("recipient_id")),
        (present("policy_version"), "policy " + text("policy_version") + section),
        (present("file"), text("file") + line),
    ]):
        out = np.where(mask, value, out)
    return pd.Series(out, dtype=object)


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
    frame["row"] = _row_numbers(frame["row"])
    for col in FINDING_COLUMNS:
        if col not in ("severity", "row"):
            frame[col] = pd.Series(_texts(frame[col]), index=frame.index, dtype=object)
    frame = frame.sort_values(
        ["severity", "area", "activity_id", "recipient_id", "code", "column", "evidence"],
        kind="stable", na_position="last",
    ).reset_index(drop=True)
    return frame


def _row_numbers(values: pd.Series) -> pd.api.extensions.ExtensionArray:
    """The ``row`` column as nullable integers (missing: None, NA, NaN or the empty string)."""
    arr = values.to_numpy(dtype=object)
    gone = pd.isna(arr)
    gone[~gone] = arr[~gone] == ""
    given = arr[~gone]
    if pd.api.types.infer_dtype(given, skipna=False) in ("integer", "empty"):
        out = np.zeros(len(arr), dtype=np.int64)
        out[~gone] = given.astype(np.int64)
        return pd.arrays.IntegerArray(out, gone)
    return pd.array([None if _missing(v) else int(v) for v in arr], dtype="Int64")


def _texts(values: pd.Series) -> np.ndarray:
    """Vectorised :func:`_to_text`: a column of text or None, looked at value by value only
    when it holds something other than text."""
    arr = values.to_numpy(dtype=object)
    if pd.api.types.infer_dtype(arr, skipna=True) not in ("string", "empty"):
        return np.array([_to_text(v) for v in arr] or [], dtype=object)
    out = arr.copy()
    out[pd.isna(arr)] = None
    return out


def _missing(value: Any) -> bool:
    return value is None or value is pd.NA or value == "" or (isinstance(value, float) and value != value)


def _to_text(value: Any) -> str | None:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, list | tuple | set):
        return "; ".join(str(v) for v in value)
    return str(value)


#: How a finding's evidence lists what it concerns: ``activities (2): A04, A12`` (the
#: activities of a grouped finding), ``rows (3): 4, 9, 12`` (the rows of a grouped register finding).
_LISTED = {"activity_id": "activities", "row": "rows"}


def affected(findings: pd.DataFrame, what: str = "activity_id") -> pd.DataFrame:
    """Every activity (``what="activity_id"``) or row (``what="row"``) each finding concerns:
    one row per finding × activity (or row), with the finding's index, code and recipient.

    A finding about one activity or row names it in its column; a grouped finding (one per
    recipient, per purpose, per distinct value; see each code's ``grain`` in the catalogue)
    lists them in its evidence as ``activities (n): A01, A02`` or ``rows (n): 4, 9``.

    Example:
        >>> f = make_findings("flow-vague", [
        ...     {"activity_id": "A1", "evidence": "activities (1): A1"},
        ...     {"evidence": "activities (2): A2, A3; flows: 4"}])
        >>> affected(f)[["finding", "activity_id"]].values.tolist()
        [[0, 'A1'], [1, 'A2'], [1, 'A3']]
    """
    if what not in _LISTED:
        raise ValueError(f"what must be one of {', '.join(_LISTED)}")
    if not len(findings):
        return pd.DataFrame({"finding": pd.Series([], dtype=np.int64), "code": pd.Series([], dtype=object),
                             "recipient_id": pd.Series([], dtype=object), what: pd.Series([], dtype=object)})
    own = findings[what].astype(object)
    listed = findings["evidence"].astype(object).fillna("").astype(str).str.extract(
        rf"(?:^|; ){_LISTED[what]} \(\d+\): ([^;]*)", expand=False)
    values = [([str(int(v)) if what == "row" else str(v)] if not _missing(v)
               else (str(x).split(", ") if isinstance(x, str) and x else []))
              for v, x in zip(own, listed, strict=True)]
    frame = pd.DataFrame({"finding": np.arange(len(findings)), "code": findings["code"].to_numpy(dtype=object),
                          "recipient_id": findings["recipient_id"].to_numpy(dtype=object), what: values})
    frame = frame.explode(what, ignore_index=True).dropna(subset=[what])
    if what == "row":
        frame[what] = frame[what].astype(np.int64)
    return frame.reset_index(drop=True)


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

    out = findings.astype(object).where(findings.notna(), None)
    if "row" in out:  # a line number, as in the JSON (a frame put together from several may hold floats)
        out["row"] = pd.Series(_row_numbers(findings["row"]), index=findings.index, dtype=object)
    return neutralise_frame(out).to_csv(index=False, lineterminator="\n")


def duplicate_key_findings(doc: YamlDocument) -> pd.DataFrame | None:
    """A ``duplicate-key`` finding for each key a YAML document gives twice (None if none).

    Example:
        >>> from ropa.core.yamlio import parse_yaml
        >>> doc = parse_yaml("name: A\\nname: B\\n", "organisation.yaml")
        >>> duplicate_key_findings(doc).loc[0, ["code", "row", "column"]].tolist()
        ['duplicate-key', 2, 'name']
    """
    return make_findings("duplicate-key", duplicate_key_rows(doc)) if doc.duplicates else None
