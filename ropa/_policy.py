"""The policy as data: a version's sections and statements, and the reviewed flows file.

A :class:`Policy` comes either from a policy text (extraction, :mod:`ropa._policy_extract`)
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

import html
import os
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from ._errors import PolicyLoadError

__all__ = [
    "ACTIONS",
    "NEGATIVE_ACTIONS",
    "SECTION_COLUMNS",
    "STATEMENT_COLUMNS",
    "STATEMENT_LIST_COLUMNS",
    "Policy",
    "ReviewedFlowsUsed",
    "extract_policy",
    "load_policy",
    "read_flows",
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
        version: the version's date (YYYY-MM-DD): the date the text states, else the file name's.
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


def _version_from_name(path: Path) -> str | None:
    m = _VERSION_IN_NAME.search(path.name)
    return m.group(1) if m else None


def _read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PolicyLoadError(f"cannot be read: {exc.strerror}", str(path)) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise PolicyLoadError("is not text (invalid bytes)", str(path), line) from None


def extract_policy(path: str | Path, register: Any = None, *, text: str | None = None) -> Policy:
    """Extract a policy from its text, ignoring any reviewed flows file.

    Example:
        >>> from ropa._policy import extract_policy
        >>> pol = extract_policy("../shared/policies/pro-at/2018-05-24.txt")  # doctest: +SKIP
    """
    from . import _policy_extract

    path = Path(path)
    if text is None:
        text = _read_text(path)
    result = _policy_extract.extract(text, register=register, filename=path.name)
    version = result.meta.get("stated_date") or _version_from_name(path)
    if version is None:
        raise PolicyLoadError("states no date and has no YYYY-MM-DD in its file name", str(path))
    meta = dict(result.meta)
    meta["source"] = str(path)
    return Policy(version=version, sections=result.sections, statements=result.statements, meta=meta,
                  unmapped=result.unmapped, origin="extracted", path=path, text=text)


def load_policy(path: str | Path, register: Any = None) -> Policy:
    """Read a policy version: a reviewed ``.flows.yaml``, or a text (``.md``, ``.txt``, ``.html``).

    Given a text whose reviewed ``VERSION.flows.yaml`` lies beside it, the reviewed file
    is used (a :class:`ReviewedFlowsUsed` warning says so) and the text supplies the
    sections' wording.

    Args:
        path: the policy file.
        register: the register whose recipient names and aliases help extraction.

    Raises:
        PolicyLoadError: the file cannot be read, or the flows file is not valid.

    Example:
        >>> import ropa
        >>> pol = ropa.load_policy("registers/pro-at/policies/2018-05-24.flows.yaml")
        >>> pol.origin
        'reviewed'
    """
    path = Path(path)
    if not path.exists():
        raise PolicyLoadError("does not exist", str(path))
    if path.name.endswith(".flows.yaml") or path.name.endswith(".flows.yml"):
        return read_flows(path)
    version = _version_from_name(path)
    if version:
        reviewed = path.with_name(f"{version}.flows.yaml")
        if reviewed.exists():
            warnings.warn(f"using the reviewed {reviewed.name} instead of extracting {path.name}",
                          ReviewedFlowsUsed, stacklevel=2)
            return read_flows(reviewed, text_path=path)
    return extract_policy(path, register=register)


def _as_list(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, list | tuple):
        return [str(v) for v in value if v is not None and str(v) != ""]
    return [str(value)]


def read_flows(path: str | Path, *, text_path: str | Path | None = None) -> Policy:
    """Read a reviewed ``VERSION.flows.yaml`` into a Policy.

    The file's ``source`` (a path relative to the file) names the policy text, from which
    the sections' wording is read when the text is there.
    """
    path = Path(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PolicyLoadError(f"cannot be read: {exc.strerror}", str(path)) from None
    try:
        data = yaml.safe_load(raw) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise PolicyLoadError(f"is not valid YAML: {getattr(exc, 'problem', exc)}", str(path),
                              mark.line + 1 if mark else None, mark.column + 1 if mark else None) from None
    if not isinstance(data, dict):
        raise PolicyLoadError("expected a mapping with version, sections and statements", str(path), 1)
    version = str(data.get("version") or _version_from_name(path) or "")
    if not version:
        raise PolicyLoadError("has no version", str(path), 1)
    records = []
    for number, item in enumerate(data.get("statements") or [], start=1):
        if not isinstance(item, dict):
            raise PolicyLoadError(f"statement {number} is not a mapping", str(path))
        rec: dict[str, Any] = {}
        for key, col in _YAML_KEYS:
            value = item.get(key)
            rec[col] = _as_list(value) if col in STATEMENT_LIST_COLUMNS else value
        unknown = set(item) - {k for k, _ in _YAML_KEYS}
        if unknown:
            raise PolicyLoadError(f"statement {item.get('id', number)!r} has unknown keys: "
                                  f"{', '.join(sorted(unknown))}", str(path))
        if rec["action"] not in ACTIONS:
            raise PolicyLoadError(f"statement {item.get('id', number)!r} has unknown action "
                                  f"{rec['action']!r}; expected one of {', '.join(ACTIONS)}", str(path))
        rec["origin"] = "reviewed"
        records.append(rec)
    statements = statements_frame(records)
    titles = {}
    section_records = []
    for sec in data.get("sections") or []:
        lines = sec.get("lines") or [None, None]
        section_records.append({"number": sec.get("number", ""), "title": sec.get("title", ""),
                                "level": sec.get("level"), "line_start": lines[0], "line_end": lines[-1]})
        titles[str(sec.get("number", ""))] = str(sec.get("title", "") or "")
    statements["section_title"] = statements["section"].map(lambda s: titles.get(s, "")).astype(object)
    text = ""
    source = data.get("source")
    src_path = Path(text_path) if text_path else ((path.parent / source) if source else None)
    if src_path is not None and src_path.is_file():
        text = _read_text(src_path)
        # Lines counted as extraction counts them (and as editors do): at \n, \r\n or \r only.
        lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        for sec in section_records:
            if sec["line_start"] and sec["line_end"]:
                sec["text"] = "\n".join(lines[int(sec["line_start"]) - 1: int(sec["line_end"])]).strip()
    meta = {k: v for k, v in data.items() if k not in ("statements", "sections", "version", "unmapped")}
    if meta.get("stated_date") is not None:
        meta["stated_date"] = str(meta["stated_date"])
    if src_path is not None:
        meta["source"] = str(src_path)
    unmapped = pd.DataFrame(data.get("unmapped") or [], columns=["section", "phrase", "kind", "quote", "suggestions"])
    return Policy(version=version, sections=_sections_frame(section_records), statements=statements,
                  meta=meta, unmapped=unmapped, origin="reviewed", path=path, text=text)


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
