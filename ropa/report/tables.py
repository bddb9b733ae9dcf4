"""Long tables of the report: a summary in the PDF, every row in a CSV attachment.

WeasyPrint lays out 130-150 table rows a second, so a register of 10,000 activities would make
a PDF of several thousand pages that takes an hour to write and that nobody reads page by page.
:func:`cap_tables` returns a view of the report model whose long tables (the Art 30 record, the
consistency and completeness tables, the changes, each finding code's list, the data-flow
picture) keep their first :data:`PDF_TABLE_ROWS` rows, with a note saying how many there are and
which attachment holds them all; and those attachments, as CSV. The model itself (attached as
``report.json``) is never cut.

Example:
    >>> from ropa.report.tables import cap_tables
    >>> model = {"consistency": {"rows": [{"activity_id": f"A{i}"} for i in range(5)]}}
    >>> view, files = cap_tables(model, limit=2)
    >>> len(view["consistency"]["rows"]), view["capped"]["consistency"]["total"], sorted(files)
    (2, 5, ['consistency.csv'])
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from ..core.safety import neutralise_frame

__all__ = ["PDF_TABLE_ROWS", "TABLES", "cap_tables", "table_csv"]

#: Rows of one table the PDF lays out; the rest are in its CSV attachment.
PDF_TABLE_ROWS = 200

#: Activities a grouped finding names in the PDF (``activities (n): ...``); all are in findings.csv.
PDF_LISTED = 20

#: The long tables: their key in ``model["capped"]``, the path to their rows in the model, and
#: the attachment that holds every row.
TABLES: dict[str, tuple[tuple[str, ...], str]] = {
    "record-controller": (("record", "controller", "rows"), "record-controller.csv"),
    "record-processor": (("record", "processor", "rows"), "record-processor.csv"),
    "consistency": (("consistency", "rows"), "consistency.csv"),
    "completeness-gaps": (("completeness", "gaps"), "completeness-gaps.csv"),
    "completeness": (("completeness", "rows"), "completeness.csv"),
    "register-changes": (("register_changes", "changes"), "register-changes.csv"),
    "data-flows": (("data_flows", "recipient_links"), "data-flows.csv"),
}

_LISTED = re.compile(r"(?P<head>(?:activities|recipients|rows) \((?P<n>\d+)\): )(?P<items>[^;]*)")


def _get(model: Mapping[str, Any], path: Sequence[str]) -> Any:
    node: Any = model
    for key in path:
        if not isinstance(node, Mapping) or key not in node:
            return None
        node = node[key]
    return node


def _set(model: dict[str, Any], path: Sequence[str], value: Any) -> None:
    node = model
    for key in path[:-1]:
        node[key] = dict(node[key])  # copy along the path only: the rest is shared with the model
        node = node[key]
    node[path[-1]] = value


def table_csv(rows: Sequence[Mapping[str, Any]]) -> str:
    """Rows of the report model as CSV: nested figures flattened (``by_class.vague``), lists
    joined with ``; ``, formula-like cells neutralised.

    Example:
        >>> print(table_csv([{"activity_id": "A1", "by_class": {"clear": 2}}]).strip())
        activity_id,by_class.clear
        A1,2
    """
    frame = pd.json_normalize(list(rows)) if rows else pd.DataFrame()
    return neutralise_frame(frame).to_csv(index=False, lineterminator="\n")


def _shorten(evidence: Any, limit: int) -> Any:
    """``activities (5000): A1, A2, ...`` -> its first ``limit`` items and how many more."""
    if not isinstance(evidence, str):
        return evidence

    def cut(m: re.Match[str]) -> str:
        items = m.group("items").split(", ")
        if len(items) <= limit:
            return m.group(0)
        return f"{m.group('head')}{', '.join(items[:limit])} and {len(items) - limit} more (all in findings.csv)"

    return _LISTED.sub(cut, evidence)


def cap_tables(model: Mapping[str, Any], limit: int = PDF_TABLE_ROWS) -> tuple[dict[str, Any], dict[str, str]]:
    """A view of the report model for the PDF, and the CSV attachments of what it leaves out.

    Each table of :data:`TABLES` longer than ``limit`` keeps its first ``limit`` rows, and
    ``view["capped"][key]`` says ``shown``, ``total`` and the attachment ``file`` holding every
    row; each finding code lists its first ``limit`` findings (all are in ``findings.csv``) and
    a grouped finding its first few activities. The data-flow picture draws the activities of
    the links kept. The model passed in is not changed.
    """
    view: dict[str, Any] = dict(model)
    capped: dict[str, dict[str, Any]] = {}
    files: dict[str, str] = {}
    for key, (path, name) in TABLES.items():
        rows = _get(model, path)
        if not isinstance(rows, list) or len(rows) <= limit:
            continue
        _set(view, path, rows[:limit])
        capped[key] = {"shown": limit, "total": len(rows), "file": name}
        files[name] = table_csv(rows)
    if "data-flows" in capped:
        view["data_flows"] = _picture(model["data_flows"], view["data_flows"]["recipient_links"])
    findings = _get(model, ("findings", "areas"))
    if isinstance(findings, list):
        areas = []
        for area in findings:
            groups = []
            for group in area.get("codes", []):
                recs = group.get("findings", [])
                shown = [{**r, "evidence": _shorten(r.get("evidence"), PDF_LISTED)} for r in recs[:limit]]
                groups.append({**group, "findings": shown, "shown": len(shown)})
            areas.append({**area, "codes": groups})
        view["findings"] = {**model["findings"], "areas": areas}
    view["capped"] = capped
    return view, files


def _picture(flows: Mapping[str, Any], links: list[dict[str, Any]]) -> dict[str, Any]:
    """The data flows with the activities of the links kept, and what they link to (the
    transfers table reads ``all_recipients``, every recipient of the register)."""
    kept = {link["activity"] for link in links}
    subject_links = [s for s in flows.get("subject_links", []) if s["activity"] in kept]
    subjects = {s["subject"] for s in subject_links}
    recipients = {link["recipient"] for link in links}
    return {**flows,
            "activities": [a for a in flows.get("activities", []) if a["id"] in kept],
            "subjects": [s for s in flows.get("subjects", []) if s["key"] in subjects],
            "recipients": [r for r in flows.get("recipients", []) if r["id"] in recipients],
            "all_recipients": flows.get("recipients", []),
            "all_recipient_links": flows.get("recipient_links", []),
            "subject_links": subject_links,
            "recipient_links": links,
            "total_activities": len(flows.get("activities", []))}

