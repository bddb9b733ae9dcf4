"""The report model rendered: HTML through the report templates, then PDF/A-3b with its data
attached (STYLE rules 9 and 10).

1. :func:`render_html` renders a model from :func:`ropa.report.model.audit` with the Jinja2
   templates in ``ropa/templates/report/`` (one partial per section, one per finding code that
   needs its own layout), through :func:`ropa.core.safety.template_environment`, so every
   register cell is escaped and an organisation's ``reports/templates/`` folder can override
   any of them.
2. :func:`write_report` turns the HTML into PDF/A-3b through :func:`ropa.outputs.pdf.render_pdf`,
   with the findings (JSON exactly as ``ropa check --format json`` prints them, and CSV) and
   the report model attached; long tables are cut in the PDF and attached in full as CSV
   (:mod:`ropa.report.tables`). The report date is an input: the same inputs give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Mapping
from importlib import resources
from pathlib import Path
from typing import Any, NamedTuple

import jinja2
import pandas as pd
from markupsafe import Markup

from ..core.errors import UsageError
from ..core.findings import SEVERITIES, findings_csv, findings_json
from ..core.safety import template_environment
from ..outputs.pdf import render_pdf
from ..policy.model import Policy
from ..register.model import Register
from . import svg
from . import tables as report_tables
from .model import (
    ATTACHMENT_FINDINGS_CSV,
    ATTACHMENT_FINDINGS_JSON,
    ATTACHMENT_MODEL,
    model_and_assessment,
    model_json,
)
from .period import Quarter

__all__ = ["WrittenReport", "render_html", "write_report", "write_report_files"]


# -- filters for the templates ------------------------------------------------------------------

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


# -- HTML ----------------------------------------------------------------------------------------

#: The report templates' own filters.
_FILTERS = {"long_date": _long_date, "signed": _signed, "percent": _percent, "location": _location,
            "evidence_parts": _evidence_parts, "policy_quote": _policy_quote}


@functools.cache
def _report_environment() -> Any:
    """ropa's templates with the report's filters: built once, shared, never changed afterwards.

    An overlay of :func:`ropa.core.safety.template_environment` (autoescaping, strict
    undefined) with a filter table of its own and its own template cache, so that the
    environment it comes from is left as it was.
    """
    env = template_environment().overlay(cache_size=400)
    env.filters = {**env.filters, **_FILTERS}
    return env


def _environment(templates: str | Path | None) -> Any:
    """The report's environment; for an organisation's templates folder, an overlay whose
    loader looks in that folder first (a fresh overlay per call: the shared one is not touched)."""
    env = _report_environment()
    if not templates:
        return env
    folder = jinja2.FileSystemLoader(str(Path(templates).resolve()))
    return env.overlay(loader=jinja2.ChoiceLoader([folder, env.loader]), cache_size=400)


def _stylesheet(templates: str | Path | None) -> str:
    """ropa's report.css, then the organisation's report.css from its templates folder, if any."""
    css = resources.files("ropa.assets").joinpath("report.css").read_text(encoding="utf-8")
    if templates:
        extra = Path(templates) / "report.css"
        if extra.is_file():
            css += "\n/* the organisation's own styles */\n" + extra.read_text(encoding="utf-8")
    return css.replace("</", "<\\/")  # keep a stray "</style>" from ending the element


def _charts(model: Mapping[str, Any]) -> dict[str, str]:
    sev = model["summary"]["findings"]["by_severity"]
    classes = model["summary"]["consistency"]["by_class"] or {}
    history = [{"quarter": h["quarter"], "by_severity": h["figures"]["findings"]["by_severity"]}
               for h in model["history"]]
    return {
        "severity": svg.bar_chart([(s, int(sev.get(s, 0)), svg.SEVERITY_COLOURS[s]) for s in SEVERITIES],
                                   title=f"Findings by severity, {model['period']['quarter']}", width=300,
                                   label_width=60),
        "history": svg.history_chart(history, severities=SEVERITIES, title="Findings per quarter, by severity"),
        "classes": svg.bar_chart([(c.replace("_", " "), int(n), svg.CLASS_COLOURS.get(c, "#9aa5b1"))
                                   for c, n in classes.items()],
                                  title="Data flows by consistency class", width=300, label_width=76),
        "flows": svg.flow_diagram(model["data_flows"]),
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
        >>> from ropa.report.render import render_html
        >>> reg = ropa.load_register("registers/pro-at")
        >>> html = render_html(ropa.audit(reg, "2026Q4", date=dt.date(2026, 11, 25)))
        >>> html.startswith("<!DOCTYPE html>")
        True
    """
    env = _environment(templates)
    charts = {k: Markup(v) for k, v in _charts(model).items()}  # our own SVG; its text is escaped
    org = model["organisation"]
    title = f"{org['name']}: data-protection audit report {model['period']['quarter']}"
    html = env.get_template("report/report.html").render(
        model=model, org=org, period=model["period"], charts=charts, title=title,
        css=Markup(_stylesheet(templates)))
    return html.lstrip()


# -- files ---------------------------------------------------------------------------------------

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
    model from :func:`audit`). A table longer than
    :data:`ropa.report.tables.PDF_TABLE_ROWS` rows shows its first rows in the PDF and is
    attached in full as CSV (``record-controller.csv``, ``consistency.csv``, ...); the HTML
    preview shows every row. The report date is the only date inside, so the same inputs
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
    return write_report_files(register, quarter, path, format=format, date=date, templates=templates,
                              policy=policy, previous=previous, progress=progress).path


class WrittenReport(NamedTuple):
    """What :func:`write_report_files` wrote: the file, the report model and every finding the
    report shows (``ropa check``'s and those about the quarter's policy changes)."""

    path: Path
    model: dict[str, Any]
    findings: pd.DataFrame


def write_report_files(
    register: Register,
    quarter: str | Quarter,
    path: str | Path,
    *,
    format: str = "pdf",
    date: dt.date | None = None,
    templates: str | Path | None = None,
    policy: Policy | None = None,
    previous: Mapping[str, Any] | str | Path | None = None,
    progress: Callable[[str], None] | None = None,
) -> WrittenReport:
    """:func:`write_report`, returning the model and the findings too (``ropa report`` exits
    by their severity).

    ``progress`` is called with the name of each step as it starts: ``checking the register
    and policy``, ``laying out the report``, ``rendering the PDF`` (not for HTML), ``done``.
    """
    if format not in ("pdf", "html"):
        raise UsageError(f"unknown report format {format!r}; expected pdf or html")
    q = quarter if isinstance(quarter, Quarter) else Quarter.parse(quarter)
    target = Path(path)
    step = progress or (lambda _name: None)
    step("checking the register and policy")
    model, assessment = model_and_assessment(register, q, date=date, policy=policy, previous=previous)
    step("laying out the report")
    target.parent.mkdir(parents=True, exist_ok=True)
    if format == "html":
        target.write_text(render_html(model, templates=templates), encoding="utf-8")
        step("done")
        return WrittenReport(target, model, assessment.findings)
    # the PDF lays out the first rows of each long table; every row is attached
    view, tables = report_tables.cap_tables(model, report_tables.PDF_TABLE_ROWS)
    html = render_html(view, templates=templates)
    attachments = {
        ATTACHMENT_FINDINGS_JSON: findings_json(assessment.checked),
        ATTACHMENT_FINDINGS_CSV: findings_csv(assessment.checked),
        ATTACHMENT_MODEL: model_json(model),
        **tables,
    }
    step("rendering the PDF")
    render_pdf(html, target, date=dt.date.fromisoformat(model["period"]["date"]),
               title=f"{register.name}: data-protection audit report {q}",
               author=register.name, attachments=attachments)
    step("done")
    return WrittenReport(target, model, assessment.findings)
