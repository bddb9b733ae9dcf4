"""The ``ropa`` command line.

Exit status is a contract: 0 no finding at or above ``--fail-on``; 1 there are; 2 the input
could not be read or the command was misused; 3 an internal error (a bug in ropa: one line
naming the command, and the traceback only with ``--debug``). Bad data never shows a traceback.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sys
import traceback
from contextvars import ContextVar
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from .core.errors import RopaError, UsageError

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    help="Check a GDPR register of processing activities and its privacy policy; write the "
    "Article 30 record, policy diffs and the quarterly audit report.",
)

EXIT_CLEAN, EXIT_FINDINGS, EXIT_INPUT, EXIT_BUG = 0, 1, 2, 3

#: The options given before the command (--debug, --limit), for the command's body.
_SETTINGS: ContextVar[dict[str, Any]] = ContextVar("ropa_cli_settings", default={})  # noqa: B039


class Severity(StrEnum):
    critical = "critical"
    high = "high"
    medium = "medium"
    low = "low"
    info = "info"


class CheckFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


class RecordFormat(StrEnum):
    csv = "csv"
    xlsx = "xlsx"
    json = "json"
    html = "html"
    pdf = "pdf"
    jsonld = "jsonld"
    ico_xlsx = "ico-xlsx"
    cnil_xlsx = "cnil-xlsx"
    fides = "fides"


class DiffFormat(StrEnum):
    table = "table"
    json = "json"
    html = "html"
    pdf = "pdf"


class ReportFormat(StrEnum):
    pdf = "pdf"
    html = "html"


def _err(message: str) -> None:
    typer.echo(f"ropa: {message}", err=True)


@app.callback()
def _options(
    debug: Annotated[bool, typer.Option("--debug", help="On an internal error, show the traceback.")] = False,
    limit: Annotated[list[str] | None, typer.Option(
        "--limit", metavar="NAME=N",
        help="Raise a limit on what is read, e.g. --limit max_columns=5000 (see ropa.Limits).")] = None,
    trust: Annotated[list[Path] | None, typer.Option(
        "--trust", metavar="DIR", exists=True, file_okay=False, dir_okay=True,
        help="A folder files may name paths in, beyond their register folder (a flows file's "
        "source: ../shared/policies/...). Repeat for several; also ROPA_TRUST.")] = None,
) -> None:
    """Options for every command."""
    changes: dict[str, int] = {}
    for item in limit or []:
        name, _, value = item.partition("=")
        try:
            changes[name.strip()] = int(value.replace("_", "").replace(",", ""))
        except ValueError:
            raise typer.BadParameter(f"expected NAME=N, not {item!r}", param_hint="--limit") from None
    try:
        from .core.limits import use_limits

        with use_limits(**changes):
            pass
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--limit") from None
    _SETTINGS.set({"debug": debug, "limits": changes, "trust": list(trust or [])})


def _settings() -> dict[str, Any]:
    return _SETTINGS.get()


def _run(fn, *args: Any, **kwargs: Any) -> Any:
    """Run a command body within the limits asked for; turn ropa's exceptions into a message and
    exit status 2, and anything unexpected (a bug) into one line and exit status 3."""
    from .core.limits import use_limits
    from .core.paths import use_trusted_folders

    settings = _settings()
    try:
        with use_limits(**settings.get("limits", {})), use_trusted_folders(*settings.get("trust", [])):
            return fn(*args, **kwargs)
    except typer.Exit:
        raise
    except RopaError as exc:
        _err(str(exc))
        raise typer.Exit(EXIT_INPUT) from None
    except (OSError, UnicodeError) as exc:
        _err(f"{getattr(exc, 'filename', '') or ''} {exc}".strip())
        raise typer.Exit(EXIT_INPUT) from None
    except (Exception, RecursionError, MemoryError) as exc:
        if settings.get("debug"):
            traceback.print_exc(file=sys.stderr)
        command = " ".join(["ropa", *sys.argv[1:]]) if sys.argv else "ropa"
        detail = type(exc).__name__
        with contextlib.suppress(Exception):
            detail = (f"{type(exc).__name__}: {exc}".splitlines() or [detail])[0][:300]
        _err(f"internal error in `{command}` ({detail}). This is a bug in ropa, not in your files; "
             "please report it with the command and, if you can share them, the input files"
             + ("" if settings.get("debug") else " (run again with --debug for the traceback)") + ".")
        raise typer.Exit(EXIT_BUG) from None


def _parse_date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"--as-of/--date must be an ISO date (YYYY-MM-DD), not {value!r}") from None


def _select_policy(register, policy: str | None):
    """The policy version to check against: --policy (a version or a file), else the newest."""
    import ropa

    if policy:
        candidate = Path(policy)
        if candidate.is_file():
            return ropa.load_policy(candidate, register=register)
        files = register.policy_files()
        match = files[files["version"] == policy]
        if match.empty:
            known = ", ".join(files["version"]) or "none"
            raise UsageError(f"no policy version {policy!r} in the register (versions: {known})")
        row = match.iloc[0]
    else:
        files = register.policy_files()
        if files.empty:
            return None
        row = files.iloc[-1]
    return ropa.load_policy(row["flows"] or row["text"], register=register)


def _print_findings_table(findings, title: str) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(width=max(120, Console().width))
    if findings.empty:
        console.print(f"[green]{title}: no findings[/green]")
        return
    table = Table(title=title, show_lines=False, expand=True)
    for col, style in (("severity", "bold"), ("code", "cyan"), ("subject", ""), ("message", "")):
        table.add_column(col, style=style, overflow="fold")
    colours = {"critical": "red", "high": "red", "medium": "yellow", "low": "blue", "info": "dim"}
    from rich.markup import escape

    for rec in findings.itertuples():
        sev = str(rec.severity)
        table.add_row(f"[{colours[sev]}]{sev}[/]", escape(rec.code), escape(str(rec.subject or "")),
                      escape(str(rec.message or "")))
    console.print(table)
    counts = findings["severity"].astype(str).value_counts()
    summary = ", ".join(f"{counts[s]} {s}" for s in ("critical", "high", "medium", "low", "info") if s in counts)
    console.print(f"{len(findings)} finding{'' if len(findings) == 1 else 's'}: {summary}")


def _load(register: Path, headings: Path | None):
    """The register, read with the user's own headings when given (--headings FILE)."""
    import ropa

    from .register.load import read_headings

    return ropa.load_register(register, headings=read_headings(headings) if headings else None)


@app.command()
def check(
    register: Annotated[Path, typer.Argument(help="A register folder, an ICO/CNIL workbook, a Fides manifest folder, or a register kept as a document (PDF, DOCX, HTML, Markdown).")],
    policy: Annotated[str | None, typer.Option(help="Policy version (YYYY-MM-DD) or file; default: the newest in policies/.")] = None,
    format: Annotated[CheckFormat, typer.Option("--format", "-f", help="Output format.")] = CheckFormat.table,
    fail_on: Annotated[Severity, typer.Option(help="Exit 1 when a finding is at or above this severity.")] = Severity.high,
    as_of: Annotated[str | None, typer.Option(help="Date the checks are made on (YYYY-MM-DD); default today.")] = None,
    no_policy: Annotated[bool, typer.Option("--no-policy", help="Check the register alone.")] = False,
    headings: Annotated[Path | None, typer.Option(help="A YAML file mapping your own headings or labels to register fields (Zweck: purposes).")] = None,
) -> None:
    """Check a register (and its newest policy version) and list the findings."""

    def body() -> int:
        import ropa

        from .core.findings import findings_csv, findings_json, severity_at_least

        reg = _load(register, headings)
        pol = None if no_policy else _select_policy(reg, policy)
        findings = ropa.check(reg, pol, as_of=_parse_date(as_of))
        if format is CheckFormat.json:
            typer.echo(findings_json(findings), nl=False)
        elif format is CheckFormat.csv:
            typer.echo(findings_csv(findings), nl=False)
        else:
            against = f" against policy {pol.version}" if pol is not None else ""
            _print_findings_table(findings, f"{reg.name}{against}")
            if pol is not None and pol.coverage is not None:
                typer.echo(f"policy {pol.version}: {pol.coverage_line}")
        return EXIT_FINDINGS if severity_at_least(findings, fail_on.value).any() else EXIT_CLEAN

    raise typer.Exit(_run(body))


@app.command()
def extract(
    policy: Annotated[Path, typer.Argument(help="A policy version: REGISTER/policies/VERSION.md (or .txt, .html).")],
    register: Annotated[Path | None, typer.Option(help="The register whose recipient names help extraction; default: the folder above policies/.")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Where to write; default: X.flows.yaml beside the policy X.md.")] = None,
    force: Annotated[bool, typer.Option(help="Overwrite a reviewed flows file.")] = False,
) -> None:
    """Extract a policy's statements into X.flows.yaml (beside the text X.md) for a person to review.

    The file name is the version (its YYYY-MM-DD, else the name), so ropa check, diff and
    load_policy find the reviewed file; the date the text states is kept as stated_date.
    """

    def body() -> int:
        import ropa

        from .policy.files import reviewed_flows_path
        from .policy.load import extract_policy

        reg_path = register
        if reg_path is None and policy.parent.name == "policies":
            candidate = policy.parent.parent
            if any((candidate / f"activities{s}").is_file() for s in (".csv", ".xlsx", ".yaml")):
                reg_path = candidate
        reg = ropa.load_register(reg_path) if reg_path else None
        pol = extract_policy(policy, register=reg)
        target = output or reviewed_flows_path(policy)
        if target.exists() and not force and output is None:
            raise UsageError(f"{target} exists (it may hold a person's corrections); use --force to overwrite")
        ropa.write_flows(pol, target)
        typer.echo(f"wrote {target}: {len(pol.sections)} sections, {len(pol.statements)} statements, "
                   f"{len(pol.unmapped)} unmapped phrases to review")
        typer.echo(pol.coverage_line)
        return EXIT_CLEAN

    raise typer.Exit(_run(body))


@app.command()
def record(
    register: Annotated[Path, typer.Argument(help="A register folder, workbook, Fides manifest folder or document (PDF, DOCX, HTML, Markdown).")],
    format: Annotated[RecordFormat, typer.Option("--format", "-f", help="Output format.")] = RecordFormat.pdf,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write (a folder for fides).")] = None,
    include_retired: Annotated[bool, typer.Option(help="Keep retired activities in the record.")] = False,
    date: Annotated[str | None, typer.Option(help="Date printed on the record (YYYY-MM-DD); default today.")] = None,
    headings: Annotated[Path | None, typer.Option(help="A YAML file mapping your own headings or labels to register fields (Zweck: purposes).")] = None,
) -> None:
    """Write the Article 30 record (controller and processor parts) in one format."""

    def body() -> int:
        import ropa

        reg = _load(register, headings)
        suffix = {"ico-xlsx": "xlsx", "cnil-xlsx": "xlsx", "fides": "", "jsonld": "jsonld"}.get(
            format.value, format.value)
        stem = reg.path.name if reg.path else (register.stem if register.is_file() else "register")
        target = output or Path(f"{stem}-article30" + (f".{suffix}" if suffix else ""))
        written = ropa.write_record(reg, target, format=format.value, include_retired=include_retired,
                                    date=_parse_date(date))
        typer.echo(f"wrote {written}")
        return EXIT_CLEAN

    raise typer.Exit(_run(body))


@app.command()
def diff(
    old: Annotated[Path, typer.Argument(help="The old policy file or register folder.")],
    new: Annotated[Path, typer.Argument(help="The new policy file or register folder.")],
    format: Annotated[DiffFormat, typer.Option("--format", "-f", help="Output format.")] = DiffFormat.table,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write: json and html go to standard output without it; pdf needs it.")] = None,
    register: Annotated[Path | None, typer.Option(help="Register whose activities a policy change affects.")] = None,
) -> None:
    """Show what changed between two policy versions or two register versions.

    Writes only where asked: table, json and html to standard output, or to --output; pdf
    only to --output.
    """

    def body() -> int:
        from .diff.files import diff_files
        from .diff.render import policy_diff_html, register_diff_html, write_diff_pdf

        if format is DiffFormat.pdf and output is None:
            raise UsageError("a pdf diff needs --output FILE (-o diff.pdf): ropa writes only where it is asked to; "
                             "html and json go to standard output without it")
        found = diff_files(old, new, register=register, warn=_err)
        if format is DiffFormat.table:
            (_print_register_diff if found.kind == "register" else _print_policy_diff)(found.model)
            return EXIT_CLEAN
        if format is DiffFormat.json:
            _write_text(json.dumps(found.document, indent=2, ensure_ascii=False), output)
            return EXIT_CLEAN
        render = register_diff_html if found.kind == "register" else policy_diff_html
        if format is DiffFormat.html:
            _write_text(render(found.model), output)
        else:
            assert output is not None  # refused above
            write_diff_pdf(render(found.model, for_pdf=True), output, date=found.date, title=found.title,
                           attachment=found.document)
        if output is not None:
            print(f"wrote {output}", file=sys.stderr)
        return EXIT_CLEAN

    raise typer.Exit(_run(body))


def _write_text(text: str, output: Path | None) -> None:
    """Text to standard output, or to ``output`` (its folder made)."""
    if output is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    else:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")


def _diff_console():
    from rich.console import Console

    return Console(width=max(120, Console().width), highlight=False)


def _print_policy_diff(model: dict[str, Any]) -> None:
    """A policy diff's model (:func:`ropa.diff.render.policy_diff_model`) as a table."""
    from rich.markup import escape
    from rich.table import Table

    console = _diff_console()
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
    _print_diff_findings(console, model["findings"])


def _sections_text(r: dict[str, Any]) -> str:
    o, n = r["old_section"], r["new_section"]
    if o and n and o != n:
        return f"{o} → {n}"
    return str(n or o or "")


def _print_diff_findings(console: Any, findings: list[dict[str, Any]]) -> None:
    from rich.markup import escape

    if not findings:
        return
    console.print("[bold]Findings on the new version[/bold]")
    colours = {"critical": "red", "high": "red", "medium": "yellow", "low": "blue", "info": "dim"}
    for f in findings:
        console.print(f"  [{colours.get(f['severity'], '')}]{f['severity']}[/] {escape(f['code'])}: "
                      f"{escape(f['subject'] or '')}: {escape(f['message'] or '')}")


def _print_register_diff(model: dict[str, Any]) -> None:
    """A register diff's model (:func:`ropa.diff.render.register_diff_model`) as a table."""
    from rich.markup import escape
    from rich.table import Table

    from .diff.render import cell_text

    console = _diff_console()
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
                old_t, new_t = cell_text(r["old"]), cell_text(r["new"])
        else:
            old_t = new_t = ""
        table.add_row(r["table"], r["kind"], escape(str(r["key"])), escape(str(r["field"] or r["name"] or "")),
                      escape(old_t), escape(new_t))
    console.print(table)


@app.command()
def report(
    register: Annotated[Path, typer.Argument(help="A register folder.")],
    quarter: Annotated[str, typer.Option(help="The quarter, e.g. 2026Q4.")],
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Folder for the report; default reports/<quarter>/.")] = None,
    format: Annotated[ReportFormat, typer.Option("--format", "-f", help="pdf, or html for a browser preview.")] = ReportFormat.pdf,
    date: Annotated[str | None, typer.Option(help="Report date (YYYY-MM-DD); default: the quarter's last day or today, whichever is earlier.")] = None,
    fail_on: Annotated[Severity | None, typer.Option(help="Exit 1 when a finding is at or above this severity.")] = None,
) -> None:
    """Write the quarterly audit report (PDF/A-3b with its data attached)."""

    def body() -> int:
        return run_report_command(register, quarter=quarter, output=output, format=format.value,
                                  date=_parse_date(date), fail_on=fail_on.value if fail_on else None)

    raise typer.Exit(_run(body))


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
        >>> from ropa.cli import run_report_command
        >>> run_report_command("registers/pro-at", quarter="2026Q4", output="/tmp/r",
        ...                    format="html", date=None, fail_on=None)  # doctest: +SKIP
        0
    """
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from .core.findings import SEVERITIES, severity_at_least
    from .register.load import load_register
    from .report.model import register_slug
    from .report.period import Quarter
    from .report.render import write_report_files

    q = Quarter.parse(quarter)
    if fail_on is not None and fail_on not in SEVERITIES:
        raise UsageError(f"unknown severity {fail_on!r}; expected one of {', '.join(SEVERITIES)}")
    register = load_register(register_path)
    reports = Path("reports")
    name = f"{register_slug(register)}-{q}.{format}"
    if output is None:
        target = reports / str(q) / name
    else:
        out = Path(output)
        target = out if out.suffix.lower() in (".pdf", ".html", ".htm") else out / name
    prev_name = f"{register_slug(register)}-{q.previous()}.pdf"
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

        written = write_report_files(
            register, q, target, format=format, date=date,
            templates=templates if templates.is_dir() else None, policy=None,
            previous=previous, progress=progress)
    typer.echo(f"wrote {written.path}" + (f" (compared with {previous})" if previous else ""))
    if fail_on is not None and severity_at_least(written.findings, fail_on).any():
        return 1
    return 0


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``ropa`` command."""
    try:
        app(args=argv, prog_name="ropa", standalone_mode=True)
    except (Exception, RecursionError, MemoryError) as exc:  # outside a command body: still a bug
        if "--debug" in (sys.argv[1:] if argv is None else argv):
            traceback.print_exc(file=sys.stderr)
        _err(f"internal error ({type(exc).__name__}). This is a bug in ropa; please report it "
             "(run again with --debug for the traceback).")
        sys.exit(EXIT_BUG)
    except SystemExit as exc:
        code = exc.code
        # click reports usage errors with status 2 already; keep every other status.
        sys.exit(code if isinstance(code, int) else (0 if code is None else EXIT_INPUT))


if __name__ == "__main__":  # pragma: no cover
    main()
