"""The reviewed flows file ``VERSION.flows.yaml``: its form (pydantic models naming the
key and line of a mistake), reading it into a :class:`~ropa.policy.model.Policy` and
writing one for a person to review.

Besides the statements, a section may list the sentences extraction could not resolve
(``needs_review``: line, quote, reason), and the file's ``coverage`` counts the sentences
about personal data (``about_data``) and those resolved (``resolved``).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Annotated, Any, Literal

import pandas as pd
import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from ..core.errors import PolicyLoadError
from ..core.findings import findings_frame, make_findings
from ..core.paths import OutsideFolderError, confine
from ..core.yamlio import duplicate_key_rows, read_yaml, validate
from .files import policy_version, read_policy_text
from .model import (
    ACTIONS,
    REVIEW_COLUMNS,
    STATEMENT_LIST_COLUMNS,
    UNMAPPED_COLUMNS,
    Policy,
    sections_frame,
    statements_frame,
)

__all__ = [
    "FlowContact",
    "FlowReview",
    "FlowScope",
    "FlowSection",
    "FlowStatement",
    "FlowUnmapped",
    "FlowsFile",
    "LineNumber",
    "Names",
    "Text",
    "Texts",
    "flows_source",
    "read_flows",
    "write_flows",
]


# The YAML keys of a statement, in the order they are written, and their column.
_YAML_KEYS: tuple[tuple[str, str], ...] = (
    ("id", "statement_id"), ("section", "section"), ("actor", "actor"), ("action", "action"),
    ("data", "data_categories"), ("subjects", "data_subjects"), ("purposes", "purposes"),
    ("recipients", "recipients"), ("countries", "countries"), ("legal_bases", "legal_bases"),
    ("retention", "retention"), ("condition", "condition"), ("consent", "consent"),
    ("exceptions", "exceptions"), ("rights", "rights"), ("quote", "quote"), ("line", "line"),
)


def _text(value: Any) -> Any:
    """A scalar as text (YAML reads ``1.2`` as a number and ``2026-11-01`` as a date)."""
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return value  # anything else must already be text: pydantic says so otherwise


def _texts(value: Any) -> Any:
    """A list of texts; a single text stands for a list of one, nothing for none."""
    if value is None or value == "":
        return []
    if isinstance(value, str | int | float | dt.date) and not isinstance(value, bool):
        value = [value]
    if isinstance(value, list):
        return [_text(v) for v in value if v is not None and v != ""]
    return value


Text = Annotated[str, BeforeValidator(_text)]

Texts = Annotated[list[str], BeforeValidator(_texts)]

Names = Annotated[list[str], BeforeValidator(lambda v: [v] if isinstance(v, str) else ([] if v is None else v))]

LineNumber = Annotated[int, Field(ge=1, le=100_000_000)]


class _Form(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=False)


class FlowReview(_Form):
    """A sentence of the section about personal data that extraction could not resolve: its
    line, its words and why (``unknown phrase``, ``unresolved actor``, ``unclear negation``)."""

    line: LineNumber | None = None
    quote: Text | None = ""
    reason: Text | None = ""


class FlowSection(_Form):
    """A section in a flows file: number, title, level, ``lines: [first, last]`` and the
    sentences ``needs_review``."""

    number: Text = ""
    title: Text | None = ""
    level: Annotated[int, Field(ge=0, le=100)] | None = None
    lines: Annotated[list[LineNumber], Field(max_length=2)] | None = None
    needs_review: list[FlowReview] | None = None


class FlowStatement(_Form):
    """A statement in a flows file (see the module docstring for what each key means)."""

    id: Text | None = None
    section: Text | None = None
    actor: Text | None = None
    action: Literal[ACTIONS]  # type: ignore[valid-type]
    data: Texts = []
    subjects: Texts = []
    purposes: Texts = []
    recipients: Texts = []
    countries: Texts = []
    legal_bases: Texts = []
    retention: Text | None = None
    condition: Text | None = None
    consent: bool | None = None
    exceptions: Texts = []
    rights: Texts = []
    quote: Text | None = None
    line: LineNumber | None = None


class FlowContact(_Form):
    """A contact the policy gives: kind (email, phone, address), value, section and role."""

    kind: Text = ""
    value: Text = ""
    section: Text = ""
    role: Text = ""


class FlowScope(_Form):
    """Whom the policy applies to and whom it excludes (data-subject keys)."""

    applies_to: Texts = []
    excludes: Texts = []


class FlowUnmapped(_Form):
    """A phrase extraction could not map, for a person to review."""

    section: Text | None = ""
    phrase: Text | None = ""
    kind: Text | None = ""
    quote: Text | None = ""
    suggestions: Texts = []


class FlowsFile(BaseModel):
    """A reviewed ``VERSION.flows.yaml``. Other top-level keys are kept in ``Policy.meta``."""

    model_config = ConfigDict(extra="allow")

    version: Text | None = None
    source: Text | None = None
    stated_date: Text | None = None
    title: Text | None = None
    controller: Names | None = None
    scope: FlowScope | None = None
    contacts: list[FlowContact] | None = None
    sections: list[FlowSection] | None = None
    statements: list[FlowStatement] | None = None
    unmapped: list[FlowUnmapped] | None = None


def flows_source(path: str | Path, source: str, *, line: int | None = None) -> Path:
    """The policy text a flows file names as its ``source``, resolved and confined: it must lie
    in the register folder (the folder above ``policies/``; for a flows file elsewhere, its
    own folder) or in a folder the user trusts (:func:`ropa.use_trusted_folders`).

    Raises:
        OutsideFolderError: the source lies elsewhere (naming the flows file and ``line``).

    Example:
        >>> flows_source("registers/pro-at/policies/2026-11-01.flows.yaml", "/etc/passwd")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        ropa.core.paths.OutsideFolderError: registers/pro-at/policies/2026-11-01.flows.yaml: /etc/passwd lies outside ...
    """
    path = Path(path)
    folder = path.parent
    root = folder.parent if folder.name == "policies" else folder
    return confine(source, [root], base=folder, named_in=str(path), line=line)


def _flows_findings(path: Path, doc: Any, version: str) -> list[pd.DataFrame]:
    """Repeated keys in a flows file, as ``duplicate-key`` findings of the version."""
    rows = duplicate_key_rows(doc)
    return [make_findings("duplicate-key", rows, policy_version=version)] if rows else []


def read_flows(path: str | Path, *, text_path: str | Path | None = None) -> Policy:
    """Read a reviewed ``VERSION.flows.yaml`` into a Policy.

    The file's ``source`` (a path relative to the file) names the policy text, from which
    the sections' wording is read when the text is there and lies in the register folder
    (or a trusted folder: see :func:`flows_source`); a source elsewhere is not read, and a
    ``policy-source-outside-register`` finding in ``Policy.load_findings`` says so. A key
    given twice gives a ``duplicate-key`` finding.

    Raises:
        PolicyLoadError: the file cannot be read, is not YAML, passes a limit, or a key has
            the wrong type (naming the file, the key and its line).

    Example:
        >>> pol = read_flows("tests/data/diff/webshop/2024-03-01.flows.yaml")
        >>> pol.origin, pol.load_findings.empty
        ('reviewed', True)
    """
    path = Path(path)
    doc = read_yaml(path, error=PolicyLoadError)
    data = {} if doc.data is None else doc.data
    if not isinstance(data, dict):
        raise PolicyLoadError("expected a mapping with version, sections and statements", str(path), 1)
    form = validate(doc, FlowsFile, error=PolicyLoadError, data=data)
    version = form.version or policy_version(path)
    records = []
    for item in form.statements or []:
        rec: dict[str, Any] = {}
        for key, col in _YAML_KEYS:
            rec[col] = getattr(item, key)
        rec["origin"] = "reviewed"
        records.append(rec)
    statements = statements_frame(records)
    titles = {}
    section_records = []
    review_records = []
    for sec in form.sections or []:
        for item in sec.needs_review or []:
            review_records.append({"section": sec.number, "line": item.line, "quote": item.quote or "",
                                   "reason": item.reason or ""})
        lines = sec.lines or [None, None]
        section_records.append({"number": sec.number, "title": sec.title, "level": sec.level,
                                "line_start": lines[0], "line_end": lines[-1]})
        titles[sec.number] = str(sec.title or "")
    statements["section_title"] = statements["section"].map(lambda s: titles.get(s, "")).astype(object)
    found = _flows_findings(path, doc, version)
    text = ""
    src_path: Path | None = None
    readable: Path | None = None
    if text_path:
        src_path = readable = Path(text_path)  # the user named it
    elif form.source:
        src_path = path.parent / form.source
        try:
            readable = flows_source(path, form.source, line=doc.line(("source",)))
        except OutsideFolderError:
            found.append(make_findings("policy-source-outside-register", [{
                "file": str(path), "row": doc.line(("source",)), "evidence": form.source,
                "policy_version": version}]))
    if readable is not None and readable.is_file():
        text = read_policy_text(readable)
        # Lines counted as extraction counts them (and as editors do): at \n, \r\n or \r only.
        lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        for sec in section_records:
            if sec["line_start"] and sec["line_end"]:
                sec["text"] = "\n".join(lines[int(sec["line_start"]) - 1: int(sec["line_end"])]).strip()
    fields = set(FlowsFile.model_fields)
    meta = {}
    for key in data:
        if key in ("statements", "sections", "version", "unmapped"):
            continue
        value = getattr(form, key) if key in fields else data[key]
        if isinstance(value, BaseModel):
            value = value.model_dump(exclude_unset=True)
        elif isinstance(value, list):
            value = [v.model_dump(exclude_unset=True) if isinstance(v, BaseModel) else v for v in value]
        meta[key] = value
    if src_path is not None:
        meta["source"] = str(src_path)
    unmapped = pd.DataFrame([u.model_dump() for u in form.unmapped or []],
                            columns=list(UNMAPPED_COLUMNS))
    return Policy(version=version, sections=sections_frame(section_records), statements=statements,
                  meta=meta, unmapped=unmapped, origin="reviewed", path=path, text=text,
                  load_findings=findings_frame(found),
                  review=pd.DataFrame(review_records, columns=list(REVIEW_COLUMNS)))


class _FlowDumper(yaml.SafeDumper):
    """Writes flows files a person can read: short lists inline, long text as plain scalars."""


def _represent_list(dumper: yaml.SafeDumper, data: list) -> yaml.Node:
    flow = all(isinstance(v, str | int | float) for v in data) and len(", ".join(map(str, data))) < 90
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


_FlowDumper.add_representer(list, _represent_list)


def _flows_document(policy: Policy, path: Path) -> dict[str, Any]:
    doc: dict[str, Any] = {"version": policy.version}
    meta = dict(policy.meta)
    source = meta.pop("source", None)
    if source:
        rel = os.path.relpath(Path(source).resolve(), path.parent.resolve())
        doc["source"] = Path(rel).as_posix()
    for key in ("stated_date", "title", "controller", "scope"):
        if key in meta:
            doc[key] = meta.pop(key)
    coverage = meta.pop("coverage", None)
    if isinstance(coverage, dict):
        doc["coverage"] = {str(k): int(v) for k, v in coverage.items() if str(v).isdigit()}
    for key in sorted(meta):
        doc[key] = meta[key]
    review: dict[str, list[dict[str, Any]]] = {}
    for rec in policy.review.to_dict("records"):
        item = {"line": int(rec["line"])} if pd.notna(rec.get("line")) else {}
        item.update({"quote": str(rec.get("quote") or ""), "reason": str(rec.get("reason") or "")})
        review.setdefault(str(rec.get("section")), []).append(item)
    sections = []
    for r in policy.sections.itertuples():
        sec: dict[str, Any] = {"number": r.number, "title": r.title}
        if pd.notna(r.line_start) and pd.notna(r.line_end):
            sec["lines"] = [int(r.line_start), int(r.line_end)]
        pending = review.pop(str(r.number), None)  # under the first section of that number
        if pending:
            sec["needs_review"] = pending
        sections.append(sec)
    doc["sections"] = sections
    statements = []
    for rec in policy.statements.to_dict("records"):
        item: dict[str, Any] = {}
        for key, col in _YAML_KEYS:
            value = rec.get(col)
            if col in STATEMENT_LIST_COLUMNS:
                if value:
                    item[key] = list(value)
            elif col == "consent":
                if value:
                    item[key] = True
            elif col == "line":
                if value is not None and value is not pd.NA and value == value:
                    item[key] = int(value)
            elif col in ("statement_id", "section", "actor", "action", "quote"):
                item[key] = "" if value is None else str(value)
            elif value not in (None, ""):
                item[key] = str(value)
        statements.append(item)
    doc["statements"] = statements
    if len(policy.unmapped):
        doc["unmapped"] = [
            {k: (list(v) if isinstance(v, list | tuple) else v) for k, v in rec.items()}
            for rec in policy.unmapped.to_dict("records")
        ]
    return doc


def write_flows(policy: Policy, path: str | Path) -> Path:
    """Write a policy's statements as ``VERSION.flows.yaml``, for a person to review.

    Extract, load, write again gives the same file.

    Example:
        >>> import ropa, tempfile, pathlib
        >>> pol = ropa.load_policy("registers/pro-at/policies/2018-05-24.flows.yaml")
        >>> out = ropa.write_flows(pol, pathlib.Path(tempfile.mkdtemp()) / "2018-05-24.flows.yaml")
        >>> ropa.load_policy(out).statements.shape == pol.statements.shape
        True
    """
    path = Path(path)
    doc = _flows_document(policy, path)
    header = (f"# Statements of the privacy policy version {policy.version}, for review.\n"
              "# Each statement cites its section and the phrase it rests on (quote). Correct what\n"
              "# extraction got wrong; this file then wins over extraction (ropa load_policy).\n")
    body = yaml.dump(doc, Dumper=_FlowDumper, sort_keys=False, allow_unicode=True, width=100)
    path.write_text(header + body, encoding="utf-8")
    return path
