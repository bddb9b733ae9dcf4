"""The register diff: activities and recipients compared by id, field by field (list
fields as sets), organisation.yaml key by key (:func:`diff_registers`); and the diff applied
to the old register (:func:`apply_register_diff`).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ..core.names import normalise_name
from ..register.columns import ACTIVITY_LIST_COLUMNS, RECIPIENT_LIST_COLUMNS
from ..register.model import Register
from .frames import REGISTER_CHANGE_COLUMNS, object_frame

__all__ = ["apply_register_diff", "diff_registers"]


def _is_missing(value: Any) -> bool:
    if value is None or value is pd.NA:
        return True
    return isinstance(value, float) and value != value


def _norm_cell(value: Any, is_list: bool) -> Any:
    if is_list:
        if _is_missing(value):
            return frozenset()
        if isinstance(value, list | tuple | set | frozenset):
            return frozenset(str(v) for v in value)
        return frozenset(p.strip() for p in str(value).split(";") if p.strip())
    if _is_missing(value):
        return ""
    return value


def _keyed(frame: pd.DataFrame, id_col: str) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    counts: dict[str, int] = {}
    for rec in frame.to_dict("records"):
        rid = str(rec.get(id_col) if not _is_missing(rec.get(id_col)) else "")
        counts[rid] = counts.get(rid, 0) + 1
        key = rid if counts[rid] == 1 else f"{rid}#{counts[rid]}"
        out[key] = rec
    return out


def _mapping_changes(old: Mapping[str, Any], new: Mapping[str, Any],
                     prefix: str = "") -> list[tuple[str, str, Any, Any]]:
    """(kind, dotted key, old, new) for each key that differs, descending into mappings that
    both sides hold (so an added or removed key's parent always exists in both)."""
    out = []
    for k in list(dict.fromkeys([*old, *new])):
        key = f"{prefix}{k}"
        if k in old and k in new:
            ov, nv = old[k], new[k]
            if ov == nv:
                continue
            if (isinstance(ov, Mapping) and isinstance(nv, Mapping)
                    and all(isinstance(x, str) and "." not in x for x in [*ov, *nv])):
                out += _mapping_changes(ov, nv, f"{key}.")
                continue
            out.append(("changed", key, ov, nv))
        elif k in new:
            out.append(("added", key, None, new[k]))
        else:
            out.append(("removed", key, old[k], None))
    return out


def _plain(value: Any) -> Any:
    if isinstance(value, frozenset | set):
        return sorted(value)
    if isinstance(value, tuple):
        return list(value)
    return value


def _table_changes(table: str, old: pd.DataFrame, new: pd.DataFrame, id_col: str,
                   list_cols: frozenset[str], name_col: str = "name") -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    o, n = _keyed(old, id_col), _keyed(new, id_col)
    columns = list(dict.fromkeys([*old.columns, *new.columns]))
    only_old = [k for k in o if k not in n]
    only_new = [k for k in n if k not in o]
    renamed: dict[str, str] = {}
    for ko in only_old:
        ro = o[ko]
        for kn in only_new:
            if kn in renamed.values():
                continue
            rn = n[kn]
            same = sum(_norm_cell(ro.get(c), c in list_cols) == _norm_cell(rn.get(c), c in list_cols)
                       for c in columns if c != id_col)
            same_name = normalise_name(str(ro.get(name_col) or "")) == normalise_name(str(rn.get(name_col) or "")) != ""
            if same_name or same >= 0.8 * max(1, len(columns) - 1):
                renamed[ko] = kn
                break
    for key, rec in o.items():
        if key in n or key in renamed:
            target = n[renamed.get(key, key)]
            for col in columns:
                is_list = col in list_cols
                ov, nv = rec.get(col), target.get(col)
                if _norm_cell(ov, is_list) == _norm_cell(nv, is_list) and (col in rec) == (col in target):
                    continue
                added = sorted(_norm_cell(nv, True) - _norm_cell(ov, True)) if is_list else []
                removed = sorted(_norm_cell(ov, True) - _norm_cell(nv, True)) if is_list else []
                rows.append({"table": table, "kind": "changed", "key": key,
                             "name": str(target.get(name_col) or rec.get(name_col) or ""),
                             "field": col, "old": None if col not in rec else _plain(ov),
                             "new": None if col not in target else _plain(nv),
                             "added": added, "removed": removed})
        else:
            rows.append({"table": table, "kind": "removed", "key": key, "name": str(rec.get(name_col) or ""),
                         "field": None, "old": {k: _plain(v) for k, v in rec.items()}, "new": None,
                         "added": [], "removed": []})
    for key, rec in n.items():
        if key in o or key in renamed.values():
            continue
        rows.append({"table": table, "kind": "added", "key": key, "name": str(rec.get(name_col) or ""),
                     "field": None, "old": None, "new": {k: _plain(v) for k, v in rec.items()},
                     "added": [], "removed": []})
    return rows


def diff_registers(old: Any, new: Any) -> pd.DataFrame:
    """What changed between two versions of a register (columns :data:`REGISTER_CHANGE_COLUMNS`).

    - ``table``: organisation, activities or recipients;
    - ``kind``: added, removed or changed; ``key``: the activity or recipient id (the old
      id for a changed row; a renumbered activity is one ``changed`` row of field
      ``activity_id``), or the organisation.yaml key path (``controller.email``);
    - ``field``, ``old``, ``new``: for a changed row, the field and its values (list fields
      are compared as sets, ``added`` and ``removed`` say which entries); for an added or
      removed row, the whole record in ``new`` or ``old``.

    :func:`apply_register_diff` turns the old register into the new one with it.

    Example:
        >>> import ropa
        >>> reg = ropa.load_register("registers/pro-at")
        >>> ropa.diff_registers(reg, reg).empty
        True

    .. versionadded:: 0.1
    """
    rows: list[dict[str, Any]] = []
    for kind, key, ov, nv in _mapping_changes(old.organisation or {}, new.organisation or {}):
        rows.append({"table": "organisation", "kind": kind, "key": key, "name": "", "field": key,
                     "old": ov, "new": nv, "added": [], "removed": []})
    rows += _table_changes("activities", old.activities, new.activities, "activity_id", ACTIVITY_LIST_COLUMNS)
    rows += _table_changes("recipients", old.recipients, new.recipients, "recipient_id", RECIPIENT_LIST_COLUMNS)
    return object_frame(rows, REGISTER_CHANGE_COLUMNS)


def _set_key(mapping: dict[str, Any], key: str, value: Any, remove: bool) -> None:
    """Set (or remove) a dotted key of :func:`_mapping_changes` in a nested mapping."""
    node = mapping
    rest = key
    while rest not in node and "." in rest:
        head, tail = rest.split(".", 1)
        child = node.get(head)
        if not isinstance(child, dict):
            break
        node, rest = child, tail
    if remove:
        node.pop(rest, None)
    else:
        node[rest] = value


def apply_register_diff(old: Any, diff: pd.DataFrame) -> Any:
    """Apply a :func:`diff_registers` result to the old register; returns the new register.

    The result equals the new register up to the order of rows (kept rows stay in the old
    order, added rows follow in the new order) and of entries in list cells.

    Example:
        >>> import ropa
        >>> reg = ropa.load_register("registers/pro-at")
        >>> apply_register_diff(reg, ropa.diff_registers(reg, reg)).activities.equals(reg.activities)
        True
    """
    org = copy.deepcopy(dict(old.organisation or {}))
    tables = {"activities": (old.activities, "activity_id"), "recipients": (old.recipients, "recipient_id")}
    records: dict[str, dict[str, dict[str, Any]]] = {}
    added: dict[str, list[dict[str, Any]]] = {"activities": [], "recipients": []}
    for t, (frame, id_col) in tables.items():
        records[t] = {k: dict(v) for k, v in _keyed(frame, id_col).items()}
    for rec in diff.to_dict("records"):
        table, kind = rec["table"], rec["kind"]
        if table == "organisation":
            _set_key(org, str(rec["key"]), copy.deepcopy(rec["new"]), kind == "removed")
            continue
        if kind == "removed":
            records[table].pop(rec["key"], None)
        elif kind == "added":
            added[table].append(dict(rec["new"]))
        else:
            target = records[table].get(rec["key"])
            if target is None:
                raise KeyError(f"{table} has no row {rec['key']!r} to change")
            if rec["new"] is None:
                target.pop(rec["field"], None)
            else:
                target[rec["field"]] = copy.deepcopy(rec["new"])
    frames = {}
    for t, (frame, id_col) in tables.items():
        kept = _keyed(frame, id_col)
        labels = dict(zip(kept, frame.index, strict=True))
        rows = list(records[t].values()) + added[t]
        index = [labels[k] for k in records[t]]
        start = max([int(i) for i in frame.index if isinstance(i, int | np.integer)], default=0) + 1
        index += list(range(start, start + len(added[t])))
        columns = list(dict.fromkeys([*frame.columns, *(c for r in rows for c in r)]))
        labels_index = pd.Index(index, name=frame.index.name)
        out = pd.DataFrame({c: pd.Series([r.get(c) for r in rows], index=labels_index, dtype=object)
                            for c in columns}, index=labels_index)
        for c in frame.columns:
            if frame[c].dtype != object and not out[c].map(_is_missing).any():
                out[c] = out[c].astype(frame[c].dtype)
        frames[t] = out
    new = Register(organisation=org, activities=frames["activities"], recipients=frames["recipients"],
                   taxonomy=old.taxonomy, path=None, files={})
    return new
