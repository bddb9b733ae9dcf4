"""The two models of the document layer: neutral blocks (what a reader sees) and the register
read from them (what the layout detector makes of the blocks).

Every reader (PDF, DOCX, HTML, Markdown) turns its document into a list of :class:`Block`:
headings, paragraphs, list items (with their depth) and tables (with their rows), each with the
:class:`Location` it stands at. The layout detector (``layout.py``) turns the blocks into a
:class:`DocumentRegister`: the organisation's header, the activities with their fields as the
document states them, and the problems met on the way.

Example:
    >>> from ropa.register.documents.model import Location, Block
    >>> str(Location("registro.pdf", page=2, line=14))
    'registro.pdf, page 2, line 14'
    >>> Block("item", "Zweck: Abrechnung", level=1, where=Location("vvt.md", line=9)).kind
    'item'
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

__all__ = [
    "Activity",
    "Block",
    "Cell",
    "CheckItem",
    "DocumentRegister",
    "Entry",
    "Location",
    "Problem",
    "Row",
    "SubField",
    "SummaryTable",
]

BlockKind = Literal["heading", "paragraph", "item", "table"]


@dataclass(frozen=True)
class Location:
    """Where something stands in a document: the file, and the page and line where known.

    ``line`` counts text lines (Markdown, HTML: lines of the file; PDF: lines of the page);
    for DOCX, which has neither pages nor lines, it counts body paragraphs and table rows
    (``unit="paragraph"``).
    """

    file: str
    page: int | None = None
    line: int | None = None
    unit: str = "line"

    def __str__(self) -> str:
        parts = [self.file]
        if self.page is not None:
            parts.append(f"page {self.page}")
        if self.line is not None:
            parts.append(f"{self.unit} {self.line}")
        return ", ".join(parts)

    def as_dict(self) -> dict[str, Any]:
        """The location as plain data (file, page, line, unit)."""
        return {"file": self.file, "page": self.page, "line": self.line, "unit": self.unit}


@dataclass
class Cell:
    """A table cell: its text (lines kept as ``\\n``) and the emphasised text it starts with."""

    text: str
    strong: str | None = None


@dataclass
class Row:
    """A table row: its cells, whether it is a header row (``th``/``thead``), where it stands."""

    cells: list[Cell]
    where: Location
    header: bool = False

    @property
    def texts(self) -> list[str]:
        """The cells' texts."""
        return [c.text for c in self.cells]


@dataclass
class Block:
    """One block of a document, as a reader sees it.

    - ``heading``: ``text`` is the title, ``level`` 1 (top) to 9;
    - ``paragraph``: ``text`` with its hard line breaks as ``\\n``;
    - ``item``: a list item, ``level`` its depth (0 = top level), ``marker`` the number or
      bullet it had ("1.", "a)", "•");
    - ``table``: ``rows``.

    ``strong`` is the emphasised (bold) text the block starts with, when the document marks
    it: the strongest sign that the block starts with a label ("**Zweck:** ...").
    """

    kind: BlockKind
    text: str = ""
    level: int = 0
    where: Location = field(default_factory=lambda: Location(""))
    strong: str | None = None
    marker: str | None = None
    rows: list[Row] = field(default_factory=list)


@dataclass
class Problem:
    """Something that could not be read, or read only with a guess, and where."""

    code: str
    message: str
    where: Location | None = None

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


@dataclass
class Entry:
    """One label and its value, as the document states them.

    ``label`` is the label as written (without its trailing colon); ``key`` the canonical field
    it maps to (a column of activities.csv, or one of the header's keys), None when it maps to
    nothing; ``origin`` says how it was read: ``block`` (a "label: value" line or list item),
    ``table`` (a label | value row), ``title`` (an activity table's title row), ``summary``
    (a row of a table with one row per activity), ``heading`` (a section whose heading is the
    label).
    """

    label: str
    key: str | None
    text: str
    where: Location
    origin: str = "block"


@dataclass
class CheckItem:
    """One item of a yes/no checklist inside a value ("-Salud: No", "Registros públicos: Sí").

    ``field`` is the canonical field of the value it stands in, ``label`` that value's label as
    written, ``group`` the sub-heading it stands under ("Datos de categorías sensibles"), if any.
    """

    field: str | None
    label: str
    group: str | None
    item: str
    value: bool
    where: Location


@dataclass
class SubField:
    """A labelled part of a value ("Identificativos: nombre, DNI" under "Categorías de datos")."""

    field: str | None
    label: str
    sublabel: str
    text: str
    where: Location


@dataclass
class Activity:
    """One processing activity read from a document.

    ``entries`` hold every label and value read for it, in document order; ``fields`` and
    ``unmapped_labels`` are views of them. ``layout`` is how the activity was laid out:
    ``table`` (a label | value table), ``block`` (a heading followed by "label: value" lines or
    items), ``row`` (a row of a table with one row per activity).
    """

    name: str
    source: Location
    layout: str
    number: str | None = None
    role: str | None = None
    entries: list[Entry] = field(default_factory=list)
    checklists: list[CheckItem] = field(default_factory=list)
    subfields: list[SubField] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def fields(self) -> dict[str, str]:
        """Canonical field -> text. A field stated twice in the activity's own block or table is
        joined with a new line; a summary row only fills fields the activity does not state."""
        own: dict[str, list[str]] = {}
        summary: dict[str, str] = {}
        for e in self.entries:
            if e.key is None:
                continue
            if e.origin == "summary":
                summary.setdefault(e.key, e.text)
            else:
                own.setdefault(e.key, [])
                if e.text and e.text not in own[e.key]:
                    own[e.key].append(e.text)
        out = {k: "\n".join(v) for k, v in own.items()}
        for k, v in summary.items():
            out.setdefault(k, v)
        return out

    @property
    def unmapped_labels(self) -> dict[str, str]:
        """Labels as written that map to no field, with their text: kept, never dropped."""
        out: dict[str, str] = {}
        for e in self.entries:
            if e.key is None:
                out[e.label] = (out[e.label] + "\n" + e.text) if e.label in out else e.text
        return out

    @property
    def labels(self) -> dict[str, str | None]:
        """Every label read for the activity, as written, with the field it maps to (or None)."""
        return {e.label: e.key for e in self.entries}

    def where_is(self, key: str) -> Location | None:
        """Where the document states field ``key`` for this activity (its first statement)."""
        for e in self.entries:
            if e.key == key and e.origin != "summary":
                return e.where
        for e in self.entries:
            if e.key == key:
                return e.where
        return None


@dataclass
class SummaryTable:
    """A table with one row per activity (a summary or the whole register), as found."""

    title: str | None
    role: str | None
    columns: list[str]
    keys: list[str | None]
    rows: int
    where: Location


def _slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:60] or "activity"


@dataclass
class DocumentRegister:
    """A register read from a document (PDF, DOCX, HTML or Markdown).

    - ``organisation``: the header, shaped as organisation.yaml (``name``, ``controller``,
      ``dpo``, ``representative`` as mappings of ``name``, ``address``, ``email``, ``phone``,
      ``tax_id``; ``date``, ``version``), and ``organisation_sources`` where each value came
      from (``"controller.email"`` -> :class:`Location`);
    - ``activities``: the processing activities, in document order;
    - ``shared``: fields the document states once for all activities (an annex of security
      measures, an organisation-wide list of recipients), as entries;
    - ``summaries``: the tables with one row per activity that were found (a summary table,
      possibly empty, and the role it is for);
    - ``shared_parts``: the labelled parts of the shared fields' text;
    - ``unmapped_labels``: labels outside any activity that map to nothing (kept);
    - ``problems``: what could not be read, with where.
    """

    path: str
    format: str
    title: str | None = None
    language: str | None = None
    organisation: dict[str, Any] = field(default_factory=dict)
    organisation_sources: dict[str, Location] = field(default_factory=dict)
    activities: list[Activity] = field(default_factory=list)
    shared: list[Entry] = field(default_factory=list)
    summaries: list[SummaryTable] = field(default_factory=list)
    unmapped_labels: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    header_labels: dict[str, str | None] = field(default_factory=dict)
    shared_parts: list[SubField] = field(default_factory=list)

    def __iter__(self) -> Iterator[Activity]:
        return iter(self.activities)

    def __len__(self) -> int:
        return len(self.activities)

    def by_role(self, role: str | None) -> list[Activity]:
        """The activities whose role is ``role`` (``controller``, ``processor`` or None)."""
        return [a for a in self.activities if a.role == role]

    def all_labels(self) -> set[str]:
        """Every label read anywhere in the document, as written: the activities' labels and
        sub-labels, the header's, the shared sections', the summary tables' columns and the
        unmapped ones."""
        out: set[str] = set(self.header_labels) | set(self.unmapped_labels)
        out |= {e.label for e in self.shared}
        out |= {s.sublabel for s in self.shared_parts}
        for table in self.summaries:
            out |= set(table.columns)
        for a in self.activities:
            out |= {e.label for e in a.entries}
            out |= {s.sublabel for s in a.subfields}
        return out

    def to_rows(self, fill_shared: bool = False) -> list[dict[str, str]]:
        """One dict per activity with canonical keys, ready for the register loader.

        Values are text as the document states them (a later step maps them to taxonomy keys);
        an ``activity_id`` is made from the stated id, else from the name. ``role`` is filled
        where the document says it. With ``fill_shared``, a field stated once for all activities
        (``shared``) fills each activity that does not state it. Labels that map to nothing are
        kept in ``unmapped`` as ``label: text`` entries joined by ``; ``.

        Example:
            >>> from ropa.register.documents import read_document
            >>> rows = read_document("../shared/corpus/registers/de-lebensordner-vvt-md/"
            ...                      "art-30-records-of-processing.md").to_rows()
            >>> rows[0]["activity_id"], rows[0]["name"], rows[0]["purposes"]
            ('1', 'Benutzerkontenverwaltung', 'Plattformbereitstellung, Authentifizierung')
        """
        shared: dict[str, str] = {}
        for e in self.shared:
            if e.key and e.text:
                shared[e.key] = (shared[e.key] + "\n" + e.text) if e.key in shared else e.text
        rows: list[dict[str, str]] = []
        seen: set[str] = set()
        for act in self.activities:
            row: dict[str, str] = {}
            for key, text in act.fields.items():
                row[key] = "; ".join(p.strip() for p in text.split("\n") if p.strip())
            if fill_shared:
                for key, text in shared.items():
                    if not row.get(key):
                        row[key] = "; ".join(p.strip() for p in text.split("\n") if p.strip())
            row["name"] = act.name
            ident = row.get("activity_id") or act.number or _slug(act.name)
            base, n = ident, 2
            while ident in seen:
                ident, n = f"{base}-{n}", n + 1
            seen.add(ident)
            row["activity_id"] = ident
            if act.role and not row.get("role"):
                row["role"] = act.role
            unmapped = act.unmapped_labels
            if unmapped:
                row["unmapped"] = "; ".join(
                    f"{k}: {' / '.join(p.strip() for p in v.split(chr(10)) if p.strip())}"
                    for k, v in unmapped.items())
            rows.append(row)
        return rows

    def to_frame(self, fill_shared: bool = False) -> Any:
        """:meth:`to_rows` as a pandas DataFrame (columns in activities.csv's order first)."""
        import pandas as pd

        from ..columns import ACTIVITY_COLUMNS

        rows = self.to_rows(fill_shared=fill_shared)
        cols = [c for c in ACTIVITY_COLUMNS if any(c in r for r in rows)]
        cols += sorted({k for r in rows for k in r} - set(cols))
        return pd.DataFrame(rows, columns=cols)

    def _repr_html_(self) -> str:
        import html

        head = html.escape(f"{Path(self.path).name}: {len(self.activities)} activities "
                           f"({self.format}, {self.language or 'language unknown'})")
        frame = self.to_frame()
        return f"<p>{head}</p>" + frame.to_html(index=False)
