"""``ropa diff`` output: a plain model of a diff, rendered as JSON, HTML or PDF (the command
line prints it as a table).

The JSON document is a stable contract. For two policy versions::

    {
      "schema": "ropa-diff/1",
      "kind": "policy",
      "old": {"version", "stated_date", "controller": [names], "path", "statements"},
      "new": {... the same ...},
      "summary": {"changes", "material", "informational", "wording", "date_moved",
                  "sections_changed"},
      "changes": [{kind, aspect, level, material, reason, old_statement, new_statement,
                   old_section, new_section, old_line, new_line, old_quote, new_quote, old_value, new_value,
                   added: [keys], removed: [keys], activities: [ids]}],
      "sections": [{status, old_number, new_number, old_title, new_title, diff}],
      "findings": [{the FINDING_COLUMNS}]
    }

``changes`` has the columns of :data:`ropa.diff.frames.CHANGE_COLUMNS` in their order;
``sections`` has those of :data:`ropa.diff.frames.SECTION_CHANGE_COLUMNS` without the texts
(``diff`` is a unified diff of the section's paragraphs). For two registers::

    {
      "schema": "ropa-diff/1",
      "kind": "register",
      "old": {"name", "path", "activities", "recipients"},
      "new": {...},
      "summary": {"changes", "added", "removed", "changed"},
      "changes": [{table, kind, key, name, field, old, new, added, removed}]
    }

with the columns of :data:`ropa.diff.frames.REGISTER_CHANGE_COLUMNS`. Keys are written in this
order; values that are absent are ``null``; lists are never ``null``.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd

from ..core.findings import findings_records
from ..core.safety import template_environment
from ..outputs.pdf import render_pdf
from .frames import CHANGE_COLUMNS, LEVELS, REGISTER_CHANGE_COLUMNS
from .impact import policy_diff_findings
from .policies import controller_names, diff_policies
from .registers import diff_registers
from .sections import diff_policy_sections, paragraphs, word_diff

__all__ = [
    "SCHEMA",
    "cell_text",
    "policy_diff_html",
    "policy_diff_json",
    "policy_diff_model",
    "register_diff_html",
    "register_diff_json",
    "register_diff_model",
    "write_diff_pdf",
]

#: The ``schema`` value of ``ropa diff --format json`` documents.
SCHEMA = "ropa-diff/1"

_POLICY_SUFFIXES = (".md", ".markdown", ".txt", ".html", ".htm", ".yaml", ".yml")

_ASPECT_LABELS = {
    "controller": "Controller", "scope": "Scope", "date": "Stated date", "recipient": "Recipient",
    "transfer": "Transfer", "data_category": "Data category", "purpose": "Purpose",
    "data_subject": "Data subject", "legal_basis": "Legal basis", "retention": "Retention",
    "right": "Right", "consent": "Consent", "exception": "Exception", "action": "Action",
    "wording": "Wording",
}


# -- values for JSON ----------------------------------------------------------------------

def _clean(value: Any) -> Any:
    """A JSON-ready value: NaN/NA to None, numpy scalars to Python, sets to sorted lists."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, set | frozenset):
        return sorted(_clean(v) for v in value)
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, str):
        try:
            return value.item()
        except (ValueError, AttributeError):
            pass
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _records(frame: pd.DataFrame, columns: tuple[str, ...] | list[str]) -> list[dict[str, Any]]:
    out = []
    for rec in frame.to_dict("records"):
        row = {c: _clean(rec.get(c)) for c in columns}
        for c in ("added", "removed", "activities"):
            if c in row and row[c] is None:
                row[c] = []
        out.append(row)
    return out


# -- policy model -------------------------------------------------------------------------

def _side(policy: Any) -> dict[str, Any]:
    return {"version": policy.version, "stated_date": _clean(policy.meta.get("stated_date")),
            "controller": controller_names(policy.meta.get("controller")),
            "path": str(policy.path) if policy.path else None, "statements": len(policy.statements)}


def _section_ops(old_text: str | None, new_text: str | None) -> list[dict[str, Any]]:
    """Paragraph operations of a section's text diff; replaced paragraphs carry word runs."""
    a, b = paragraphs(old_text or ""), paragraphs(new_text or "")
    ops = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            ops += [{"op": "equal", "text": p} for p in a[i1:i2]]
        elif tag == "delete":
            ops += [{"op": "delete", "text": p} for p in a[i1:i2]]
        elif tag == "insert":
            ops += [{"op": "insert", "text": p} for p in b[j1:j2]]
        else:
            olds, news = a[i1:i2], b[j1:j2]
            for k in range(max(len(olds), len(news))):
                if k < len(olds) and k < len(news):
                    ops.append({"op": "replace", "runs": [list(r) for r in word_diff(olds[k], news[k])]})
                elif k < len(olds):
                    ops.append({"op": "delete", "text": olds[k]})
                else:
                    ops.append({"op": "insert", "text": news[k]})
    return ops


def policy_diff_model(old: Any, new: Any, *, register: Any = None,
                      changes: pd.DataFrame | None = None) -> dict[str, Any]:
    """The diff of two policy versions as a plain dict (what every output renders).

    Holds ``old``/``new`` (version, stated date, controller, path), ``summary``, ``changes``
    (records of :func:`ropa.diff_policies`, each with ``old_runs``/``new_runs``: the two
    sentences as word runs for marking), ``sections`` (with paragraph ``ops``) and
    ``findings``.

    Example:
        >>> import ropa
        >>> from ropa.diff.render import policy_diff_model
        >>> old = ropa.load_policy("tests/data/diff/webshop/2024-03-01.flows.yaml")
        >>> new = ropa.load_policy("tests/data/diff/webshop/2024-09-01.flows.yaml")
        >>> policy_diff_model(old, new)["summary"]["date_moved"]
        False
    """
    if changes is None:
        changes = diff_policies(old, new, register=register)
    sections = diff_policy_sections(old, new)
    findings = policy_diff_findings(old, new, changes, register=register)
    rows = _records(changes, CHANGE_COLUMNS)
    for row in rows:
        if row["old_quote"] and row["new_quote"]:
            runs = word_diff(row["old_quote"], row["new_quote"])
            row["old_runs"] = [[op, t] for op, t in runs if op != "insert"]
            row["new_runs"] = [[op, t] for op, t in runs if op != "delete"]
        else:
            row["old_runs"] = [["equal", row["old_quote"]]] if row["old_quote"] else []
            row["new_runs"] = [["equal", row["new_quote"]]] if row["new_quote"] else []
        row["aspect_label"] = _ASPECT_LABELS.get(row["aspect"], row["aspect"])
    section_rows = []
    for rec in sections.to_dict("records"):
        section_rows.append({**{k: _clean(rec[k]) for k in ("status", "old_number", "new_number",
                                                             "old_title", "new_title", "diff")},
                             "ops": _section_ops(rec["old_text"], rec["new_text"])})
    counts = {lvl: sum(r["level"] == lvl for r in rows) for lvl in LEVELS}
    o_date, n_date = old.meta.get("stated_date"), new.meta.get("stated_date")
    return {
        "schema": SCHEMA,
        "kind": "policy",
        "old": _side(old),
        "new": _side(new),
        "register": register.name if register is not None else None,
        "summary": {"changes": len(rows), **counts, "date_moved": (o_date or None) != (n_date or None),
                    "sections_changed": len(section_rows)},
        "changes": rows,
        "sections": section_rows,
        "findings": findings_records(findings),
    }


def policy_diff_json(model: dict[str, Any]) -> dict[str, Any]:
    """The stable JSON document (see the module docstring) from :func:`policy_diff_model`."""
    return {
        "schema": model["schema"], "kind": "policy", "old": model["old"], "new": model["new"],
        "summary": model["summary"],
        "changes": [{c: r[c] for c in CHANGE_COLUMNS} for r in model["changes"]],
        "sections": [{k: s[k] for k in ("status", "old_number", "new_number", "old_title",
                                         "new_title", "diff")} for s in model["sections"]],
        "findings": model["findings"],
    }


# -- register model -----------------------------------------------------------------------

def register_diff_model(old: Any, new: Any, *, changes: pd.DataFrame | None = None) -> dict[str, Any]:
    """The diff of two registers as a plain dict: ``old``/``new``, ``summary``, ``changes``
    (records of :func:`ropa.diff_registers`) and ``groups`` (changes by table and key, for
    the HTML).

    Example:
        >>> import ropa
        >>> from ropa.diff.render import register_diff_model
        >>> reg = ropa.load_register("registers/pro-at")
        >>> register_diff_model(reg, reg)["summary"]["changes"]
        0
    """
    if changes is None:
        changes = diff_registers(old, new)
    rows = _records(changes, REGISTER_CHANGE_COLUMNS)
    groups: list[dict[str, Any]] = []
    index: dict[tuple[str, str], dict[str, Any]] = {}
    for row in rows:
        key = (row["table"], row["key"])
        group = index.get(key)
        if group is None:
            group = {"table": row["table"], "key": row["key"], "name": row["name"], "kind": row["kind"],
                     "fields": []}
            index[key] = group
            groups.append(group)
        if row["kind"] == "changed":
            runs = word_diff(cell_text(row["old"]), cell_text(row["new"]))
            group["fields"].append({**row, "old_text": cell_text(row["old"]), "new_text": cell_text(row["new"]),
                                    "old_runs": [[op, t] for op, t in runs if op != "insert"],
                                    "new_runs": [[op, t] for op, t in runs if op != "delete"]})
        else:
            record = row["new"] if row["kind"] == "added" else row["old"]
            group["fields"] = [{"field": k, "text": cell_text(v)} for k, v in (record or {}).items()
                               if cell_text(v)] if isinstance(record, dict) else [{"field": "", "text": cell_text(record)}]
    counts = {k: sum(r["kind"] == k for r in rows) for k in ("added", "removed", "changed")}

    def side(reg: Any) -> dict[str, Any]:
        return {"name": reg.name, "path": str(reg.path) if reg.path else None,
                "activities": len(reg.activities), "recipients": len(reg.recipients)}

    return {"schema": SCHEMA, "kind": "register", "old": side(old), "new": side(new),
            "summary": {"changes": len(rows), **counts}, "changes": rows, "groups": groups}


def register_diff_json(model: dict[str, Any]) -> dict[str, Any]:
    """The stable JSON document (see the module docstring) from :func:`register_diff_model`."""
    return {"schema": model["schema"], "kind": "register", "old": model["old"], "new": model["new"],
            "summary": model["summary"],
            "changes": [{c: r[c] for c in REGISTER_CHANGE_COLUMNS} for r in model["changes"]]}


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {cell_text(v)}" for k, v in value.items() if cell_text(v))
    return str(value)


# -- HTML and PDF -------------------------------------------------------------------------

def _css() -> str:
    return resources.files("ropa.assets").joinpath("diff.css").read_text(encoding="utf-8")


def _render(template: str, model: dict[str, Any], *, inline_css: bool) -> str:
    from markupsafe import Markup

    env = template_environment()
    return env.get_template(template).render(model=model, css=Markup(_css()) if inline_css else None)


def policy_diff_html(model: dict[str, Any], *, for_pdf: bool = False) -> str:
    """The policy diff as one HTML document (autoescaped; CSS inline unless ``for_pdf``)."""
    return _render("diff/policy.html", model, inline_css=not for_pdf)


def register_diff_html(model: dict[str, Any], *, for_pdf: bool = False) -> str:
    """The register diff as one HTML document (autoescaped; CSS inline unless ``for_pdf``)."""
    return _render("diff/register.html", model, inline_css=not for_pdf)


def write_diff_pdf(html: str, target: Path, *, date: dt.date, title: str, attachment: dict[str, Any]) -> None:
    """Write a diff's HTML (from ``*_diff_html(model, for_pdf=True)``) as a PDF/A-3b at ``target``,
    with the JSON document attached as ``diff.json``."""
    render_pdf(html, target, date=date, title=title, stylesheets=["ropa-asset:diff.css"],
               attachments={"diff.json": json.dumps(attachment, indent=2, ensure_ascii=False)})
