"""Plain data for the report model: values and table rows as JSON-ready dicts, lists, text and numbers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import pandas as pd

__all__ = ["jsonable", "plain_records"]


def jsonable(value: Any) -> Any:
    """A plain JSON value for ``value`` (dates as ISO text, NaN and NA as None, tuples as lists)."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, bool | str):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return None if value != value else (int(value) if value.is_integer() and abs(value) < 2**53 else value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=str) if isinstance(value, set | frozenset) else value
        return [jsonable(v) for v in items]
    if hasattr(value, "tolist"):  # numpy scalars and arrays
        return jsonable(value.tolist())
    if hasattr(value, "item"):
        return jsonable(value.item())
    return str(value)


def plain_records(frame: pd.DataFrame, columns: list[str] | None = None) -> list[dict[str, Any]]:
    """DataFrame rows as JSON-ready dicts (in the frame's column order)."""
    if frame is None or frame.empty:
        return []
    if columns is not None:
        frame = frame.loc[:, [c for c in columns if c in frame.columns]]
    return [jsonable(rec) for rec in frame.to_dict("records")]
