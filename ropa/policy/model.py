"""The policy as data: a version's sections and statements (data only: reading and writing
files is :mod:`ropa.policy.load` and :mod:`ropa.policy.flows`).

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

import html
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..core.findings import findings_frame
from .parse import ParsedPolicy

__all__ = [
    "ACTIONS",
    "EXCEPTION_KEYS",
    "NEGATIVE_ACTIONS",
    "REVIEW_COLUMNS",
    "SECTION_COLUMNS",
    "STATEMENT_COLUMNS",
    "STATEMENT_LIST_COLUMNS",
    "UNMAPPED_COLUMNS",
    "ExtractionResult",
    "Policy",
    "section_key",
    "sections_frame",
    "statements_frame",
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

#: The columns of a policy's phrases that extraction could not map to a term.
UNMAPPED_COLUMNS: list[str] = ["section", "phrase", "kind", "quote", "suggestions"]

#: The columns of the sentences about personal data that yielded no statement.
REVIEW_COLUMNS: list[str] = ["section", "line", "quote", "reason"]


def section_key(number: Any) -> tuple:
    """The order of section numbers: ``2`` before ``2.1`` before ``10``, letters after digits.

    Example:
        >>> sorted(["10", "2.1", "A", "2"], key=section_key)
        ['2', '2.1', '10', 'A']
    """
    parts = re.findall(r"\d+|[A-Za-z]+", str(number or ""))
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts)


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


def sections_frame(records: list[dict[str, Any]] | None = None) -> pd.DataFrame:
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
        review: the sentences about personal data that yielded no statement (section, line,
            quote, reason: ``unknown phrase``, ``unresolved actor``, ``unclear negation``): what
            extraction did not understand, for a person to read. ``meta["coverage"]`` counts
            the sentences about personal data (``about_data``) and those resolved (``resolved``).

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
        columns=list(UNMAPPED_COLUMNS)))
    origin: str = "extracted"
    path: Path | None = None
    text: str = ""
    load_findings: pd.DataFrame = field(default_factory=findings_frame)
    review: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(REVIEW_COLUMNS)))

    @property
    def coverage(self) -> float | None:
        """The share of sentences about personal data that extraction resolved (made a
        statement of, or recognised as no flow), or None when it was not counted.

        Example:
            >>> Policy("v", pd.DataFrame(), pd.DataFrame(), meta={"coverage": {"about_data": 4, "resolved": 3}}).coverage
            0.75
        """
        cov = self.meta.get("coverage") or {}
        try:
            total, resolved = int(cov.get("about_data", 0)), int(cov.get("resolved", 0))
        except (TypeError, ValueError, AttributeError):
            return None
        return resolved / total if total else None

    @property
    def coverage_line(self) -> str:
        """Extraction coverage in one line, for the command line and the report.

        Example:
            >>> Policy("v", pd.DataFrame(), pd.DataFrame(), meta={"coverage": {"about_data": 4, "resolved": 3}}).coverage_line
            'extraction coverage 75% (3 of 4 sentences about personal data resolved, 1 to review)'
        """
        cov = self.coverage
        if cov is None:
            return "extraction coverage not measured"
        c = self.meta["coverage"]
        total, resolved = int(c["about_data"]), int(c["resolved"])
        return (f"extraction coverage {cov:.0%} ({resolved} of {total} sentences about personal data resolved, "
                f"{total - resolved} to review)")

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


@dataclass
class ExtractionResult:
    """What extraction found in one policy text.

    Attributes:
        sections: number, title, level, text, line_start, line_end.
        statements: the statements (:data:`ropa.policy.model.STATEMENT_COLUMNS`), origin ``extracted``.
        meta: ``title``, ``stated_date`` (YYYY-MM-DD or None), ``controller`` (names the
            policy uses for the controller), ``scope`` (``applies_to``/``excludes``
            data-subject keys, when the policy scopes itself), ``contacts`` (email
            addresses, phone numbers and postal addresses the text gives, each with its
            section and role: controller, privacy or dpo).
        unmapped: section, phrase, kind, quote, suggestions.
        outline: the parsed text (sections and their blocks).
        review: the sentences and list items that speak of personal data and yielded no
            statement (section, line, quote, reason: ``unknown phrase``, ``unresolved actor``,
            ``unclear negation``), for a person to read; ``meta["coverage"]`` counts them
            (``about_data``: sentences and items about personal data, ``resolved``: those
            that yielded a statement or were recognised as no flow: a definition, a right, a
            safeguard, a purpose).
    """

    sections: pd.DataFrame
    statements: pd.DataFrame
    meta: dict[str, Any]
    unmapped: pd.DataFrame
    outline: ParsedPolicy | None = None
    review: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(REVIEW_COLUMNS)))
