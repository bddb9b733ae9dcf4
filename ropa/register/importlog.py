"""What an import reports: where a cell came from (file, sheet row, activity) and the finding
rows collected by code while a workbook or a folder of Fides manifests is read.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from ..core.findings import make_findings
from ..core.taxonomy import Taxonomy

__all__ = ["ImportFindings", "Where"]


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
        row = {"file": where.file, "row": where.row, "activity_id": where.activity_id} if where else {}
        row.update({k: v for k, v in fields.items() if v is not None})
        self.rows.setdefault(code, []).append(row)

    def unmapped(self, taxonomy: Taxonomy, where: Where, column: str, part: str, kind: str | None) -> None:
        """Report a part of a cell that matches no term (``unmapped-cell``), with the closest keys."""
        hints = taxonomy.suggest(kind, part) if kind else []
        closest = f" (closest: {', '.join(hints)})" if hints else ""
        self.add(
            "unmapped-cell", where, column=column, evidence=part,
            message=f"{column} part {part!r} matches no taxonomy term{closest}; kept as text",
            recommendation=(f"Did you mean {' or '.join(repr(h) for h in hints)}? " if hints else "")
            + "Reword the cell with a known term, or add the phrase as a synonym in taxonomy.yaml.",
        )

    def frames(self) -> list[pd.DataFrame]:
        return [make_findings(code, rows) for code, rows in self.rows.items() if rows]
