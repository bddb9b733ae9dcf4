"""The policy as data: a version's sections and statements, and the reviewed flows file.

A :class:`Policy` comes either from a policy text (extraction, :mod:`ropa.policy.extract`)
or from a reviewed ``VERSION.flows.yaml`` that a person corrected, which wins over
extraction when it exists.

Statements (one row each, :data:`STATEMENT_COLUMNS`):

- ``statement_id``: stable within a version (``s2.3-1``)
- ``section``, ``section_title``: where it stands
- ``actor``: who acts, ``we`` or an entity key (a recipient id or recipient-category key)
- ``action``: collect, use, share, transfer, track, retain, not_collect, not_share, inform
  (``inform`` carries transparency items such as rights, with no data flow)
- ``data_categories``, ``data_subjects``, ``purposes``: taxonomy keys (lists)
- ``recipients``: entity keys that receive or access the data (``we`` for first-party
  collection and use); PoliCheck's entity
- ``countries``: ISO alpha-2 codes the data goes to or is stored in
- ``legal_bases``: art6_1_a ... art6_1_f where the policy states them
- ``retention``: an ISO 8601 duration or the stated criterion
- ``condition``: when it happens ("when an invoice is past its due date")
- ``consent``: True when the policy says it happens only with consent
- ``exceptions``: for negations, the exceptions that lift them: ``consent``,
  ``explicit_consent`` (the policy promises *explicit* consent: an express statement, a
  stricter standard than a cookie banner's "accept" or a pre-ticked box),
  ``legal_obligation``, ``contract``, ``vital_interests`` (keys)
- ``rights``: right keys for ``inform`` statements (``right.access``, ``right.complaint``)
- ``quote``: the short phrase or sentence it rests on; ``line``: its line in the text
- ``origin``: ``extracted`` or ``reviewed``
"""

from __future__ import annotations

import datetime as dt
import html
import os
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

import pandas as pd
import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from ..core.errors import PolicyLoadError
from ..core.findings import findings_frame, make_findings
from ..core.limits import limit_message, limits, read_limited
from ..core.yamlio import duplicate_key_rows, read_yaml, validate

__all__ = [
    "ACTIONS",
    "NEGATIVE_ACTIONS",
    "SECTION_COLUMNS",
    "STATEMENT_COLUMNS",
    "STATEMENT_LIST_COLUMNS",
    "Policy",
    "ReviewedFlowsUsed",
    "extract_policy",
    "flows_source",
    "load_policy",
    "policy_version",
    "read_flows",
    "read_policy_text",
    "reviewed_flows_path",
    "statements_frame",
    "write_flows",
]

ACTIONS = ("collect", "use", "share", "transfer", "track", "retain", "not_collect", "not_share", "inform")
NEGATIVE_ACTIONS = frozenset({"not_collect", "not_share"})
EXCEPTION_KEYS = ("consent", "legal_obligation", "contract", "vital_interests", "explicit_consent")

STATEMENT_COLUMNS: tuple[str, ...] = (
    "statement_id", "section", "section_title", "actor", "action", "data_categories",
    "data_subjects", "purposes", "recipients", "countries", "legal_bases", "retention",
    "condition", "consent", "exceptions", "rights", "quote", "line", "origin",
)
STATEMENT_LIST_COLUMNS = frozenset({
    "data_categories", "data_subjects", "purposes", "recipients", "countries", "legal_bases",
    "exceptions", "rights",
})
SECTION_COLUMNS: tuple[str, ...] = ("number", "title", "level", "text", "line_start", "line_end")

# The YAML keys of a statement, in the order they are written, and their column.
_YAML_KEYS: tuple[tuple[str, str], ...] = (
    ("id", "statement_id"), ("section", "section"), ("actor", "actor"), ("action", "action"),
    ("data", "data_categories"), ("subjects", "data_subjects"), ("purposes", "purposes"),
    ("recipients", "recipients"), ("countries", "countries"), ("legal_bases", "legal_bases"),
    ("retention", "retention"), ("condition", "condition"), ("consent", "consent"),
    ("exceptions", "exceptions"), ("rights", "rights"), ("quote", "quote"), ("line", "line"),
)

_VERSION_IN_NAME = re.compile(r"(\d{4}-\d{2}-\d{2})")


class ReviewedFlowsUsed(UserWarning):
    """``load_policy`` was given a policy text but used the reviewed flows file beside it."""


def statements_frame(records: list[dict[str, Any]] | None = None) -> pd.DataFrame:
    """A statements DataFrame with the fixed columns and types, from dicts keyed by column."""
    records = records or []
    data: dict[str, list[Any]] = {c: [] for c in STATEMENT_COLUMNS}
    for rec in records:
        for col in STATEMENT_COLUMNS:
            value = rec.get(col)
            if col in STATEMENT_LIST_COLUMNS:
                value = [str(v) for v in (value or [])]
            elif col == "consent":
                value = bool(value)
            elif col == "line":
                value = int(value) if value not in (None, "") else None
            else:
                value = "" if value is None else str(value)
            data[col].append(value)
    frame = pd.DataFrame({c: pd.Series(v, dtype=object) for c, v in data.items()})
    frame["consent"] = frame["consent"].astype(bool)
    frame["line"] = pd.array(frame["line"].tolist(), dtype="Int64")
    return frame


def _sections_frame(records: list[dict[str, Any]] | None = None) -> pd.DataFrame:
    rows = []
    for rec in records or []:
        rows.append({
            "number": str(rec.get("number", "")),
            "title": str(rec.get("title", "") or ""),
            "level": int(rec.get("level") or (str(rec.get("number", "")).count(".") + 1 if rec.get("number") else 0)),
            "text": str(rec.get("text", "") or ""),
            "line_start": rec.get("line_start"),
            "line_end": rec.get("line_end"),
        })
    frame = pd.DataFrame(rows, columns=list(SECTION_COLUMNS))
    for col in ("line_start", "line_end"):
        frame[col] = pd.array([None if v is None else int(v) for v in frame[col]], dtype="Int64")
    return frame


@dataclass
class Policy:
    """One version of a privacy policy, as data.

    Attributes:
        version: the version: the date (YYYY-MM-DD) in the file name, else the file name
            without its extension (``privacy-notice.md`` → ``privacy-notice``). A reviewed
            flows file's ``version:`` wins. The date the text states is ``meta["stated_date"]``.
        sections: number, title, level, text, line span.
        statements: one row per statement (see the module docstring for the columns).
        meta: policy-level facts: ``title``, ``stated_date`` (the date the text gives, or
            None), ``controller`` (the names the policy gives the controller), ``scope``
            (``applies_to`` and ``excludes`` data-subject keys), ``contacts`` (email
            addresses, phone numbers and postal addresses the text gives, each with
            ``kind``, ``value``, ``section`` and ``role``: controller, privacy or dpo),
            ``source`` (the text file).
        unmapped: phrases extraction could not map to a term or recipient (section, phrase,
            kind, quote, suggestions), for a person to extend the taxonomy.
        origin: ``extracted`` or ``reviewed``.
        path: the file it was loaded from.
        text: the policy text (empty when it could not be read).
        load_findings: what loading found wrong in the files without refusing them (a key
            given twice in the flows file, a ``source`` outside the register that was not
            read), as findings; :func:`ropa.check` reports them.

    Example:
        >>> import ropa
        >>> pol = ropa.load_policy("registers/pro-at/policies/2018-05-24.flows.yaml")
        >>> pol.version
        '2018-05-24'

    .. versionadded:: 0.1
    """

    version: str
    sections: pd.DataFrame
    statements: pd.DataFrame
    meta: dict[str, Any] = field(default_factory=dict)
    unmapped: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=["section", "phrase", "kind", "quote", "suggestions"]))
    origin: str = "extracted"
    path: Path | None = None
    text: str = ""
    load_findings: pd.DataFrame = field(default_factory=findings_frame)

    @property
    def stated_date(self) -> str | None:
        """The date the policy text itself states as its last change, if it states one."""
        return self.meta.get("stated_date")

    def _repr_html_(self) -> str:
        cols = ["statement_id", "section", "actor", "action", "data_categories", "recipients", "purposes"]
        title = html.escape(f"Policy {self.version} ({self.origin}): {len(self.sections)} sections, "
                            f"{len(self.statements)} statements")
        return f"<div><strong>{title}</strong>{self.statements[cols].to_html(index=False, escape=True)}</div>"

    def __repr__(self) -> str:
        return f"<Policy {self.version} ({self.origin}): {len(self.statements)} statements>"


_FLOWS_SUFFIXES = (".flows.yaml", ".flows.yml")


def _stem(path: Path) -> str:
    """The file name without ``.flows.yaml`` or its extension."""
    name = path.name
    for suffix in _FLOWS_SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return path.stem


def policy_version(path: str | Path) -> str:
    """A policy file's version: the date (YYYY-MM-DD) in its name, else its name without the
    extension (and without ``.flows``). The date the text states is data, not the version.

    Example:
        >>> policy_version("policies/2026-11-01.flows.yaml"), policy_version("privacy-2026-03-01.md")
        ('2026-11-01', '2026-03-01')
        >>> policy_version("notice.md")
        'notice'
    """
    path = Path(path)
    m = _VERSION_IN_NAME.search(path.name)
    return m.group(1) if m else _stem(path)


#: Characters no text file holds (C0 and C1 controls but tab, line and page breaks; DEL; the
#: replacement character a decoder leaves for bytes it cannot read).
_NOT_TEXT = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffd]")
#: The share of such characters above which a file is "not text" (a real policy has none, or
#: a stray few; a PNG, a zip or random bytes have 10% and more), and their least number.
_NOT_TEXT_SHARE = 0.005
_NOT_TEXT_MIN = 8

_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
         (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))


def read_policy_text(path: str | Path) -> str:
    """A policy text, within the limits, in any encoding a European text comes in: UTF-8,
    UTF-16 or UTF-32 with a byte-order mark, else Windows-1252 (which covers Latin-1).

    Raises:
        PolicyLoadError: naming the file: it cannot be read, holds more than
            ``max_file_bytes`` bytes or ``max_policy_chars`` characters, or is not text
            (binary data: an image, an archive, random bytes).

    Example:
        >>> import tempfile, pathlib
        >>> f = pathlib.Path(tempfile.mkdtemp()) / "2026-01-01.txt"
        >>> _ = f.write_bytes("Datenschutzerklärung".encode("utf-16"))
        >>> read_policy_text(f)
        'Datenschutzerklärung'
        >>> _ = f.write_bytes(bytes(range(256)))
        >>> read_policy_text(f)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        ropa.core.errors.PolicyLoadError: ...: is not text (...)
    """
    path = Path(path)
    data = read_limited(path, PolicyLoadError)
    if len(data) > 4 * limits().max_policy_chars + 4:  # more characters than the limit in any encoding
        raise PolicyLoadError(limit_message("max_policy_chars", f"the text holds {len(data):,} bytes, so at "
                                            f"least {len(data) // 4:,} characters"), str(path))
    encoding = next((enc for bom, enc in _BOMS if data.startswith(bom)), None)
    try:
        if encoding is not None:
            text = data.decode(encoding)
        else:
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise PolicyLoadError(f"is not text (byte {exc.start} is not {encoding or 'UTF-8 or Windows-1252'})",
                              str(path), line) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    if len(text) > limits().max_policy_chars:
        raise PolicyLoadError(limit_message("max_policy_chars", f"the text holds {len(text):,} characters"),
                              str(path))
    bad = len(_NOT_TEXT.findall(text))
    if bad >= _NOT_TEXT_MIN and bad > _NOT_TEXT_SHARE * len(text):
        raise PolicyLoadError(f"is not text ({bad:,} of its {len(text):,} characters are control characters "
                              "or undecodable bytes); a policy must be a text file (.md, .txt, .html)",
                              str(path))
    return text


def extract_policy(path: str | Path, register: Any = None, *, text: str | None = None) -> Policy:
    """Extract a policy from its text, ignoring any reviewed flows file.

    The version is the file name's (:func:`policy_version`); the date the text states is
    ``meta["stated_date"]``.

    Example:
        >>> from ropa.policy.model import extract_policy
        >>> pol = extract_policy("../shared/policies/pro-at/2018-05-24.txt")  # doctest: +SKIP
    """
    from . import extract as _policy_extract

    path = Path(path)
    if text is None:
        text = read_policy_text(path)
    result = _policy_extract.extract(text, register=register, filename=path.name)
    meta = dict(result.meta)
    meta["source"] = str(path)
    return Policy(version=policy_version(path), sections=result.sections, statements=result.statements,
                  meta=meta, unmapped=result.unmapped, origin="extracted", path=path, text=text)


def reviewed_flows_path(path: str | Path) -> Path:
    """Where the reviewed flows file of a policy text lies: ``X.md`` → ``X.flows.yaml`` beside it.

    Example:
        >>> reviewed_flows_path("policies/privacy notice.md").as_posix()
        'policies/privacy notice.flows.yaml'
    """
    path = Path(path)
    return path.with_name(f"{_stem(path)}.flows.yaml")


def load_policy(path: str | Path, register: Any = None) -> Policy:
    """Read a policy version: a reviewed ``.flows.yaml``, or a text (``.md``, ``.txt``, ``.html``).

    Given a text ``X.md`` whose reviewed ``X.flows.yaml`` lies beside it, the reviewed file
    is used (a :class:`ReviewedFlowsUsed` warning says so) and the text supplies the
    sections' wording.

    Args:
        path: the policy file.
        register: the register whose recipient names and aliases help extraction.

    Raises:
        PolicyLoadError: the file cannot be read, is not text, passes a limit, or the flows
            file is not valid (the message names the file, the key and its line).

    Example:
        >>> import ropa
        >>> pol = ropa.load_policy("registers/pro-at/policies/2018-05-24.flows.yaml")
        >>> pol.origin
        'reviewed'
    """
    path = Path(path)
    if not path.exists():
        raise PolicyLoadError("does not exist", str(path))
    if path.name.endswith(_FLOWS_SUFFIXES):
        return read_flows(path)
    reviewed = reviewed_flows_path(path)
    if reviewed.is_file():
        warnings.warn(f"using the reviewed {reviewed.name} instead of extracting {path.name}",
                      ReviewedFlowsUsed, stacklevel=2)
        return read_flows(reviewed, text_path=path)
    return extract_policy(path, register=register)


# -- the reviewed flows file, as a form ---------------------------------------------------------

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


class FlowSection(_Form):
    """A section in a flows file: number, title, level and ``lines: [first, last]``."""

    number: Text = ""
    title: Text | None = ""
    level: Annotated[int, Field(ge=0, le=100)] | None = None
    lines: Annotated[list[LineNumber], Field(max_length=2)] | None = None


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
    from ..core.paths import confine

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
    from ..core.paths import OutsideFolderError

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
    for sec in form.sections or []:
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
                            columns=["section", "phrase", "kind", "quote", "suggestions"])
    return Policy(version=version, sections=_sections_frame(section_records), statements=statements,
                  meta=meta, unmapped=unmapped, origin="reviewed", path=path, text=text,
                  load_findings=findings_frame(found))


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
    for key in sorted(meta):
        doc[key] = meta[key]
    doc["sections"] = [
        {"number": r.number, "title": r.title,
         **({"lines": [int(r.line_start), int(r.line_end)]} if pd.notna(r.line_start) and pd.notna(r.line_end) else {})}
        for r in policy.sections.itertuples()
    ]
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
