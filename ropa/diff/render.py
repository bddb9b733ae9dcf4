"""``ropa diff`` output: a plain model of a diff, rendered as a table, JSON, HTML or PDF.

The JSON document is a stable contract. For two policy versions::

    {
      "schema": "ropa-diff/1",
      "kind": "policy",
      "old": {"version", "stated_date", "controller": [names], "path", "statements"},
      "new": {... the same ...},
      "summary": {"changes", "material", "informational", "wording", "date_moved",
                  "sections_changed"},
      "changes": [{kind, aspect, level, material, reason, old_statement, new_statement,
                   old_section, new_section, old_quote, new_quote, old_value, new_value,
                   added: [keys], removed: [keys], activities: [ids]}],
      "sections": [{status, old_number, new_number, old_title, new_title, diff}],
      "findings": [{the FINDING_COLUMNS}]
    }

``changes`` has the columns of :data:`ropa.diff.policies.CHANGE_COLUMNS` in their order;
``sections`` has those of :data:`ropa.diff.policies.SECTION_CHANGE_COLUMNS` without the texts
(``diff`` is a unified diff of the section's paragraphs). For two registers::

    {
      "schema": "ropa-diff/1",
      "kind": "register",
      "old": {"name", "path", "activities", "recipients"},
      "new": {...},
      "summary": {"changes", "added", "removed", "changed"},
      "changes": [{table, kind, key, name, field, old, new, added, removed}]
    }

with the columns of :data:`ropa.diff.policies.REGISTER_CHANGE_COLUMNS`. Keys are written in this
order; values that are absent are ``null``; lists are never ``null``.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import sys
import warnings
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd

from ..core.errors import UsageError
from ..core.findings import findings_records
from .policies import (
    CHANGE_COLUMNS,
    LEVELS,
    REGISTER_CHANGE_COLUMNS,
    _names,
    _paragraphs,
    diff_policies,
    diff_policy_sections,
    diff_registers,
    policy_diff_findings,
    word_diff,
)

__all__ = [
    "SCHEMA",
    "policy_diff_html",
    "policy_diff_json",
    "policy_diff_model",
    "register_diff_html",
    "register_diff_json",
    "register_diff_model",
    "run",
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
            "controller": _names(policy.meta.get("controller")),
            "path": str(policy.path) if policy.path else None, "statements": len(policy.statements)}


def _section_ops(old_text: str | None, new_text: str | None) -> list[dict[str, Any]]:
    """Paragraph operations of a section's text diff; replaced paragraphs carry word runs."""
    a, b = _paragraphs(old_text or ""), _paragraphs(new_text or "")
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
            runs = word_diff(_cell(row["old"]), _cell(row["new"]))
            group["fields"].append({**row, "old_text": _cell(row["old"]), "new_text": _cell(row["new"]),
                                    "old_runs": [[op, t] for op, t in runs if op != "insert"],
                                    "new_runs": [[op, t] for op, t in runs if op != "delete"]})
        else:
            record = row["new"] if row["kind"] == "added" else row["old"]
            group["fields"] = [{"field": k, "text": _cell(v)} for k, v in (record or {}).items()
                               if _cell(v)] if isinstance(record, dict) else [{"field": "", "text": _cell(record)}]
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


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_cell(v)}" for k, v in value.items() if _cell(v))
    return str(value)


# -- HTML and PDF -------------------------------------------------------------------------

def _css() -> str:
    return resources.files("ropa.assets").joinpath("diff.css").read_text(encoding="utf-8")


def _render(template: str, model: dict[str, Any], *, inline_css: bool) -> str:
    from markupsafe import Markup

    from ..core.safety import template_environment

    env = template_environment()
    return env.get_template(template).render(model=model, css=Markup(_css()) if inline_css else None)


def policy_diff_html(model: dict[str, Any], *, for_pdf: bool = False) -> str:
    """The policy diff as one HTML document (autoescaped; CSS inline unless ``for_pdf``)."""
    return _render("diff/policy.html", model, inline_css=not for_pdf)


def register_diff_html(model: dict[str, Any], *, for_pdf: bool = False) -> str:
    """The register diff as one HTML document (autoescaped; CSS inline unless ``for_pdf``)."""
    return _render("diff/register.html", model, inline_css=not for_pdf)


def _pdf(html: str, target: Path, *, date: dt.date, title: str, attachment: dict[str, Any]) -> None:
    from ..outputs.pdf import render_pdf

    render_pdf(html, target, date=date, title=title, stylesheets=["ropa-asset:diff.css"],
               attachments={"diff.json": json.dumps(attachment, indent=2, ensure_ascii=False)})


# -- table --------------------------------------------------------------------------------

def _console():
    from rich.console import Console

    return Console(width=max(120, Console().width), highlight=False)


def _print_policy_table(model: dict[str, Any]) -> None:
    from rich.markup import escape
    from rich.table import Table

    console = _console()
    old, new, summary = model["old"], model["new"], model["summary"]
    console.print(f"[bold]Policy {escape(old['version'])} → {escape(new['version'])}[/bold]: "
                  f"{summary['material']} material, {summary['informational']} informational, "
                  f"{summary['wording']} wording-only; stated date "
                  + (f"moved ({escape(str(old['stated_date']))} → {escape(str(new['stated_date']))})"
                     if summary["date_moved"] else f"unchanged ({escape(str(new['stated_date']))})"))
    substantive = [r for r in model["changes"] if r["level"] != "wording"]
    if substantive:
        table = Table(show_lines=False, expand=True)
        for col, style in (("level", "bold"), ("kind", ""), ("aspect", "cyan"), ("section", ""),
                           ("what changed", ""), ("activities", "")):
            table.add_column(col, style=style, overflow="fold")
        colours = {"material": "red", "informational": "blue"}
        for r in substantive:
            section = _sections_text(r)
            level = f"[{colours[r['level']]}]{r['level']}[/]"
            if r.get("direction"):
                level += f" ({'widens' if r['direction'] == 'adverse' else 'favourable'})"
            table.add_row(level, r["kind"], r["aspect"], escape(section),
                          escape(r["reason"]), escape(", ".join(r["activities"])))
        console.print(table)
    else:
        console.print("[green]No change of substance.[/green]")
    wording = [r for r in model["changes"] if r["level"] == "wording"]
    if wording:
        console.print(f"[dim]{len(wording)} wording-only change(s): "
                      + escape("; ".join(f"§{_sections_text(r)} {r['reason']}" for r in wording[:6]))
                      + ("; ..." if len(wording) > 6 else "") + "[/dim]")
    if model["sections"]:
        console.print("Sections whose text changed: " + escape(", ".join(
            f"§{s['new_number'] or s['old_number']} {s['new_title'] or s['old_title']} ({s['status']})"
            for s in model["sections"])))
    _print_findings(console, model["findings"])


def _sections_text(r: dict[str, Any]) -> str:
    o, n = r["old_section"], r["new_section"]
    if o and n and o != n:
        return f"{o} → {n}"
    return str(n or o or "")


def _print_findings(console: Any, findings: list[dict[str, Any]]) -> None:
    from rich.markup import escape

    if not findings:
        return
    console.print("[bold]Findings on the new version[/bold]")
    colours = {"critical": "red", "high": "red", "medium": "yellow", "low": "blue", "info": "dim"}
    for f in findings:
        console.print(f"  [{colours.get(f['severity'], '')}]{f['severity']}[/] {escape(f['code'])}: "
                      f"{escape(f['subject'] or '')}: {escape(f['message'] or '')}")


def _print_register_table(model: dict[str, Any]) -> None:
    from rich.markup import escape
    from rich.table import Table

    console = _console()
    s = model["summary"]
    console.print(f"[bold]Register {escape(model['old']['name'])} → {escape(model['new']['name'])}[/bold]: "
                  f"{s['added']} added, {s['removed']} removed, {s['changed']} field change(s)")
    if not model["changes"]:
        console.print("[green]No changes.[/green]")
        return
    table = Table(expand=True)
    for col in ("table", "kind", "key", "field", "old", "new"):
        table.add_column(col, overflow="fold")
    for r in model["changes"]:
        if r["kind"] == "changed":
            if r["added"] or r["removed"]:
                old_t = "; ".join(f"-{x}" for x in r["removed"])
                new_t = "; ".join(f"+{x}" for x in r["added"])
            else:
                old_t, new_t = _cell(r["old"]), _cell(r["new"])
        else:
            old_t = new_t = ""
        table.add_row(r["table"], r["kind"], escape(str(r["key"])), escape(str(r["field"] or r["name"] or "")),
                      escape(old_t), escape(new_t))
    console.print(table)


# -- the command --------------------------------------------------------------------------

def _kind(path: Path) -> str:
    if path.is_dir():
        return "register"
    if path.is_file():
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            return "register"
        if path.name.lower().endswith(_POLICY_SUFFIXES):
            return "policy"
        raise UsageError(f"{path}: not a policy file (.md, .txt, .html, .flows.yaml) or a register folder")
    raise UsageError(f"{path} does not exist")


def _write_text(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    else:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")


def run(old: Path, new: Path, *, format: str, output: Path | None, register: Path | None) -> int:
    """``ropa diff``: see :func:`ropa.diff.policies.run_diff_command`."""
    import ropa

    if format not in ("table", "json", "html", "pdf"):
        raise UsageError(f"unknown format {format!r}; expected table, json, html or pdf")
    if format == "pdf" and output is None:
        raise UsageError("a pdf diff needs --output FILE (-o diff.pdf): ropa writes only where it is asked to; "
                         "html and json go to standard output without it")
    kinds = (_kind(old), _kind(new))
    if kinds[0] != kinds[1]:
        raise UsageError(f"cannot compare a {kinds[0]} ({old}) with a {kinds[1]} ({new}): "
                         "give two policy files or two register folders")
    if kinds[0] == "register":
        if register is not None:
            raise UsageError("--register applies to policy diffs only")
        o_reg, n_reg = ropa.load_register(old), ropa.load_register(new)
        model = register_diff_model(o_reg, n_reg)
        doc = register_diff_json(model)
        title = f"Register changes: {model['old']['name']}"
        date = _register_date(n_reg)
    else:
        reg = ropa.load_register(register) if register is not None else None
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            o_pol = ropa.load_policy(old, register=reg)
            n_pol = ropa.load_policy(new, register=reg)
        for w in caught:
            print(f"ropa: {w.message}", file=sys.stderr)
        _loading_problems(o_pol, n_pol)
        model = policy_diff_model(o_pol, n_pol, register=reg)
        doc = policy_diff_json(model)
        title = f"Policy changes {o_pol.version} → {n_pol.version}"
        date = dt.date.fromisoformat(n_pol.version) if _is_date(n_pol.version) else dt.date.today()
    if format == "table":
        (_print_register_table if kinds[0] == "register" else _print_policy_table)(model)
        return 0
    if format == "json":
        _write_text(json.dumps(doc, indent=2, ensure_ascii=False), output)
        return 0
    render = register_diff_html if kinds[0] == "register" else policy_diff_html
    if format == "html":
        _write_text(render(model), output)
    else:
        assert output is not None  # refused above
        _pdf(render(model, for_pdf=True), output, date=date, title=title, attachment=doc)
    if output is not None:
        print(f"wrote {output}", file=sys.stderr)
    return 0


def _loading_problems(*policies: Any) -> None:
    """What loading the policies found: a text that was not read stops the diff (its sections
    would all seem changed), since a diff carries no findings (exit status 2); anything else
    is said on standard error."""
    from ..core.errors import PolicyLoadError

    for pol in policies:
        found = getattr(pol, "load_findings", None)
        if found is None or found.empty:
            continue
        for rec in found.to_dict("records"):
            if rec["code"] == "policy-source-outside-register":
                raise PolicyLoadError(f"{rec['message']}; a diff without the text would be wrong")
            print(f"ropa: warning: {rec['message']}", file=sys.stderr)


def _is_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except (TypeError, ValueError):
        return False
    return True


def _register_date(register: Any) -> dt.date:
    """A register diff's document date: the latest review date in the new register (so the
    same inputs give the same PDF), else today."""
    if "last_reviewed" in register.activities:
        dates = [d for d in register.activities["last_reviewed"].astype(str) if _is_date(d)]
        if dates:
            return dt.date.fromisoformat(max(dates))
    return dt.date.today()
