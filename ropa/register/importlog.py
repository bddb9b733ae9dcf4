"""What an import reports: where a cell came from (file, sheet row, activity), the finding
rows collected by code while a workbook or a folder of Fides manifests is read, and the parts
of an activity's cells that its record has no term or place for (kept in the ``unmapped``
column, never dropped).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..core.findings import make_findings
from ..core.taxonomy import Taxonomy
from .columns import unmapped_text

__all__ = ["ImportFindings", "Leftovers", "Where"]


@dataclass
class Where:
    """Where a cell came from, for findings."""

    file: str
    row: int | None = None
    activity_id: str | None = None


class ImportFindings:
    """Finding rows collected during an import, by code."""

    def __init__(self) -> None:
        self.rows: dict[str, list[dict[str, Any]]] = {}

    def add(self, code: str, where: Where | None, **fields: Any) -> None:
        """One finding row of ``code`` at ``where``; fields that are None are left out."""
        row = {"file": where.file, "row": where.row, "activity_id": where.activity_id} if where else {}
        row.update({k: v for k, v in fields.items() if v is not None})
        self.rows.setdefault(code, []).append(row)

    def unmapped(self, taxonomy: Taxonomy, where: Where, column: str, part: str, kind: str | None) -> None:
        """Report a part of a cell that matches no term (``unmapped-cell``), with the closest keys."""
        hints = taxonomy.suggest(kind, part) if kind else []
        closest = f" (closest: {', '.join(hints)})" if hints else ""
        self.add(
            "unmapped-cell", where, column=column, evidence=part,
            message=f"{column} part {part!r} matches no taxonomy term{closest}; kept as text, not checked "
                    f"against the policy",
            recommendation=(f"Did you mean {' or '.join(repr(h) for h in hints)}? " if hints else "")
            + "Reword the cell with a known term, or add the phrase as a synonym in taxonomy.yaml.",
        )

    def frames(self) -> list[pd.DataFrame]:
        """The rows collected, one findings frame per code."""
        return [make_findings(code, rows) for code, rows in self.rows.items() if rows]


@dataclass
class Leftovers:
    """What one activity's cells hold that its record has no term or place for: each part is
    reported and kept as a (column, text) pair for the ``unmapped`` column."""

    findings: ImportFindings
    taxonomy: Taxonomy
    where: Where
    parts: list[tuple[str, str]] = field(default_factory=list)

    def not_mapped(self, column: str, part: str, kind: str | None) -> None:
        """A part no term of ``kind`` matches (``unmapped-cell``, with the closest keys)."""
        self.findings.unmapped(self.taxonomy, self.where, column, part, kind)
        self.parts.append((column, part))

    def not_read(self, column: str, text: str, evidence: str | None = None) -> None:
        """Text the record has no place for (``unmapped-field``)."""
        self.findings.add("unmapped-field", self.where, column=column, evidence=evidence or text)
        self.parts.append((column, text))

    def text(self) -> str:
        """The ``unmapped`` column's text."""
        return unmapped_text(self.parts)
