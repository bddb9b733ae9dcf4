"""Cells as text and lists: reading a table's columns into strings and lists, and writing
them back (list cells joined with ``;``).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

__all__ = ["as_text", "cell_text", "csv_text", "listify", "plain_text", "textify"]


def _newlines(text: str) -> str:
    """Line breaks inside a cell as ``\\n``, whatever the file used (Excel keeps no ``\\r``)."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def _split_list(raw: str) -> list[str]:
    return [part.strip() for part in _newlines(raw).split(";") if part.strip()]


def _all_str(values: np.ndarray) -> bool:
    return pd.api.types.infer_dtype(values, skipna=False) in ("string", "empty")


def listify(series: pd.Series) -> pd.Series:
    """Turn a column of ``;``-separated strings (or lists) into a column of lists.

    Each distinct cell value is parsed once and broadcast back; every cell gets a list of
    its own.
    """
    values = series.to_numpy(dtype=object)
    if _all_str(values):
        codes, uniques = pd.factorize(values)
        parsed = np.empty(len(uniques), dtype=object)
        for i, unique in enumerate(uniques):
            parsed[i] = _split_list(unique)
        cells = np.empty(len(values), dtype=object)
        cells[:] = list(map(list, parsed[codes]))
        return pd.Series(cells, index=series.index, dtype=object, copy=False)
    out = []
    cache: dict[str, list[str]] = {}
    for value in values:
        if isinstance(value, list | tuple):
            out.append([_newlines(str(v)).strip() for v in value if str(v).strip()])
            continue
        key = "" if value is None or (isinstance(value, float) and value != value) else str(value)
        cached = cache.get(key)
        if cached is None:
            cached = cache[key] = _split_list(key)
        out.append(list(cached))
    return pd.Series(out, index=series.index, dtype=object)


def textify(series: pd.Series) -> pd.Series:
    """A column as stripped text (dtype ``str``): dates, booleans and numbers from YAML or
    Excel written the way the register format writes them."""
    values = series.to_numpy(dtype=object)
    if _all_str(values):
        text = pd.Series(values, index=series.index, dtype=object).map(str.strip).astype("str")
    else:
        text = series.map(as_text).astype("str")
    if text.str.contains("\r", regex=False).any():
        text = text.str.replace("\r\n", "\n", regex=False).str.replace("\r", "\n", regex=False)
    return text


def plain_text(series: pd.Series) -> pd.Series:
    """A column as text (dtype ``str``), missing values as empty strings; nothing else changed."""
    return series.map(lambda v: "" if v is None or v != v else str(v)).astype("str")


def as_text(value: Any) -> str:
    """A value as register text: booleans as true/false, lists joined with ``;``, dates as ISO,
    else stripped."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return ";".join(str(v) for v in value)
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    return str(value).strip()


def cell_text(value: Any) -> str:
    """A cell as written to a CSV or XLSX table: lists joined with ``;``."""
    if isinstance(value, list | tuple):
        return ";".join(str(v) for v in value)
    return as_text(value)


def csv_text(frame: pd.DataFrame) -> str:
    """A table as the text of its CSV file: list cells joined with ``;``, no index."""
    return frame.apply(lambda col: col.map(cell_text)).to_csv(index=False, lineterminator="\n")
