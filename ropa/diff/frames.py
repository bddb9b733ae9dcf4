"""The tables a diff returns: their columns, in order (a stable contract: the JSON output
keeps them), and the words of their ``aspect`` and ``level`` columns.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

__all__ = [
    "ASPECTS",
    "CHANGE_COLUMNS",
    "LEVELS",
    "REGISTER_CHANGE_COLUMNS",
    "SECTION_CHANGE_COLUMNS",
    "informational",
    "object_frame",
]


#: The columns of :func:`~ropa.diff.policies.diff_policies`' result, in order (a stable contract: JSON output).
CHANGE_COLUMNS: tuple[str, ...] = (
    "kind", "aspect", "level", "material", "direction", "reason",
    "old_statement", "new_statement", "old_section", "new_section", "old_line", "new_line",
    "old_quote", "new_quote", "old_value", "new_value", "added", "removed", "activities",
)

#: What a change is about. ``wording`` is a change of text only.
ASPECTS: tuple[str, ...] = (
    "controller", "scope", "date", "recipient", "transfer", "data_category", "purpose",
    "data_subject", "legal_basis", "retention", "right", "consent", "exception", "action",
    "wording",
)

#: How much a change matters, most first.
LEVELS: tuple[str, ...] = ("material", "informational", "wording")

#: The columns of :func:`~ropa.diff.sections.diff_policy_sections`' result.
SECTION_CHANGE_COLUMNS: tuple[str, ...] = (
    "status", "old_number", "new_number", "old_title", "new_title", "old_text", "new_text", "diff",
)

#: The columns of :func:`~ropa.diff.registers.diff_registers`' result.
REGISTER_CHANGE_COLUMNS: tuple[str, ...] = (
    "table", "kind", "key", "name", "field", "old", "new", "added", "removed",
)


def object_frame(rows: Sequence[Mapping[str, Any]], columns: Sequence[str],
                  types: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """A frame of object columns (``None`` stays ``None``; pandas 3 would infer strings)."""
    types = types or {}
    return pd.DataFrame({c: pd.Series([r.get(c) for r in rows], dtype=types.get(c, object))
                         for c in columns})


def informational(row: dict[str, Any], reason: str) -> None:
    """Make a diff row (in place) informational, saying why: no longer a material change.

    Example:
        >>> row = {"level": "material", "material": True, "direction": "adverse", "reason": "x"}
        >>> informational(row, "told before"); row["level"], row["material"], row["reason"]
        ('informational', False, 'told before')
    """
    row.update(level="informational", material=False, direction=None, reason=reason)
