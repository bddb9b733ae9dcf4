"""Reading and writing a register folder.

A register folder holds organisation.yaml, activities (.csv, .xlsx or .yaml),
recipients.csv, an optional taxonomy.yaml and the policy versions in policies/. Every row
of every file ends up either in the Register's tables or in a finding naming its file,
line and column (see ``Register.load_findings``).
"""

from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from ._columns import (
    ACTIVITY_COLUMNS,
    ACTIVITY_LIST_COLUMNS,
    ALIASES,
    CNIL_HEADINGS,
    ICO_HEADINGS,
    RECIPIENT_COLUMNS,
    RECIPIENT_LIST_COLUMNS,
    normalise_heading,
)
from ._errors import RegisterLoadError, TaxonomyError, UsageError
from ._findings import findings_frame, make_findings
from ._taxonomy import Taxonomy, default_taxonomy

__all__ = ["Register", "load_register", "write_register"]

_RECIPIENT_ALIASES = {
    "id": "recipient_id",
    "recipient": "recipient_id",
    "aliases": "aliases",
    "alias": "aliases",
    "type": "kind",
    "safeguard": "transfer_safeguard",
    "transfer_safeguards": "transfer_safeguard",
    "contract": "contract_reference",
    "dpa": "contract_reference",
    "dpa_reference": "contract_reference",
}

_POLICY_FILE = re.compile(r"^(?P<version>\d{4}-\d{2}-\d{2})(?P<suffix>\.flows\.yaml|\.md|\.txt|\.html?|\.markdown)$")


@dataclass
class Register:
    """A register of processing activities, as loaded from a folder or built in code.

    Attributes:
        organisation: the contents of organisation.yaml (controller, DPO, representative,
            joint controllers, role, employee count, supervisory authority).
        activities: one row per processing activity, canonical columns, list cells as lists.
            The index is the row's line number in its source file.
        recipients: one row per named recipient.
        taxonomy: the default taxonomy extended by taxonomy.yaml, with the recipients
            added as entities under their categories.
        path: the folder it was loaded from, if any.
        files: every input file read, by role (``activities``, ``recipients``, ...).
        load_findings: rows and columns that could not be loaded as they stand.

    Example:
        >>> import ropa
        >>> reg = ropa.load_register("registers/pro-at")
        >>> reg.activities.loc[:, ["activity_id", "name"]].head(2)  # doctest: +SKIP

    .. versionadded:: 0.1
    """

    organisation: dict[str, Any]
    activities: pd.DataFrame
    recipients: pd.DataFrame
    taxonomy: Taxonomy = field(default_factory=default_taxonomy)
    path: Path | None = None
    files: dict[str, str] = field(default_factory=dict)
    load_findings: pd.DataFrame = field(default_factory=findings_frame)

    @property
    def name(self) -> str:
        """The organisation's name."""
        org = self.organisation or {}
        ctrl = org.get("controller") or {}
        return str(org.get("name") or ctrl.get("name") or (self.path.name if self.path else "register"))

    def policy_files(self) -> pd.DataFrame:
        """The policy versions in ``policies/``: version, text file and reviewed flows file
        (``None`` where a version has only one of them).

        Raises:
            RegisterLoadError: a file in ``policies/`` is a symbolic link that leads out of the
                register folder (and out of every trusted folder): it is not read.
        """
        from ._paths import confine

        rows: dict[str, dict[str, Any]] = {}
        folder = self.path / "policies" if self.path else None
        if folder and folder.is_dir():
            for item in sorted(folder.iterdir()):
                m = _POLICY_FILE.match(item.name)
                if not m:
                    continue
                confine(item, [self.path], error=RegisterLoadError)
                entry = rows.setdefault(m["version"], {"version": m["version"], "text": None, "flows": None})
                entry["flows" if m["suffix"] == ".flows.yaml" else "text"] = str(item)
        # object columns: a missing file is None (pandas' string columns would make it NaN)
        frame = pd.DataFrame(list(rows.values()), columns=["version", "text", "flows"], dtype=object)
        return frame.sort_values("version").reset_index(drop=True)

    def _repr_html_(self) -> str:
        head = self.activities.loc[:, ["activity_id", "name", "role", "purposes", "recipients"]].head(20)
        title = html.escape(f"Register of {self.name}: {len(self.activities)} activities, "
                            f"{len(self.recipients)} recipients")
        return f"<div><strong>{title}</strong>{head.to_html(index=False, escape=True)}</div>"

    def __repr__(self) -> str:
        return f"<Register {self.name!r}: {len(self.activities)} activities, {len(self.recipients)} recipients>"


# -- parsing cells ------------------------------------------------------------------------

def _newlines(text: str) -> str:
    """Line breaks inside a cell as ``\\n``, whatever the file used (Excel keeps no ``\\r``)."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def _split_list(raw: str) -> list[str]:
    return [part.strip() for part in _newlines(raw).split(";") if part.strip()]


def _all_str(values: np.ndarray) -> bool:
    return pd.api.types.infer_dtype(values, skipna=False) in ("string", "empty")


def _listify(series: pd.Series) -> pd.Series:
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


def _textify(series: pd.Series) -> pd.Series:
    """A column as stripped text (dtype ``str``): dates, booleans and numbers from YAML or
    Excel written the way the register format writes them."""
    values = series.to_numpy(dtype=object)
    if _all_str(values):
        text = pd.Series(values, index=series.index, dtype=object).map(str.strip).astype("str")
    else:
        text = series.map(_as_text).astype("str")
    if text.str.contains("\r", regex=False).any():
        text = text.str.replace("\r\n", "\n", regex=False).str.replace("\r", "\n", regex=False)
    return text


def _as_text(value: Any) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return ";".join(str(v) for v in value)
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    return str(value).strip()


# -- reading tables -----------------------------------------------------------------------

def _decode(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise RegisterLoadError(f"cannot be read: {exc.strerror}", str(path)) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise RegisterLoadError(
                f"is not UTF-8 text (byte {exc.start} is invalid)", str(path), line
            ) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise RegisterLoadError("holds a NUL byte: not a CSV text file", str(path), line)
    return text


def _records(text: str, delimiter: str, path: Path) -> tuple[list[list[str]], np.ndarray]:
    """Every CSV record and the line it starts on.

    The records are read in one pass of the csv module. When no cell spans lines and no
    line ends in a lone carriage return (nearly every file), record *i* starts on line
    *i + 1*; otherwise the lines are counted record by record.
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    try:
        records = list(reader)
    except csv.Error as exc:
        raise RegisterLoadError(f"is not valid CSV: {exc}", str(path), reader.line_num) from None
    physical = text.count("\n") + (1 if text and not text.endswith("\n") else 0)
    if len(records) == physical and text.count("\r") == text.count("\r\n"):
        return records, np.arange(1, len(records) + 1)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    starts, start = [], 1
    for _ in reader:
        starts.append(start)
        start = reader.line_num + 1
    return records, np.asarray(starts, dtype=np.int64)


def _read_csv(path: Path) -> tuple[list[str], list[list[str]], list[int], list[dict]]:
    """Header, rows, the line each row starts on, and the rows that could not be read."""
    text = _decode(path)
    first = text[:4096].split("\n", 1)[0]
    delimiter = ","
    if first.count(";") > first.count(",") and first.count(";") > 0:
        delimiter = ";"  # a spreadsheet's "CSV" in a locale that uses ; as list separator
    records, starts = _records(text, delimiter, path)
    joined = list(map("".join, records))
    blank = np.fromiter(map(len, joined), dtype=np.int64, count=len(joined)) == 0
    blank |= np.fromiter(map(str.isspace, joined), dtype=bool, count=len(joined))
    filled = np.flatnonzero(~blank)
    if not len(filled):
        raise RegisterLoadError("is empty: expected a header row", str(path), 1)
    header = [h.strip() for h in records[filled[0]]]
    width = len(header)
    body = filled[1:]
    lengths = np.fromiter(map(len, records), dtype=np.int64, count=len(records))[body]
    keep = lengths == width
    bad = []
    for pos in np.flatnonzero(~keep):  # only the rows whose width is off
        i = body[pos]
        record = records[i]
        if len(record) > width and not any(c.strip() for c in record[width:]):
            records[i] = record[:width]
            keep[pos] = True
        else:
            bad.append({"file": str(path), "row": int(starts[i]),
                        "evidence": f"{len(record)} cells where the header has {width}"})
    rows_at = body[keep]
    rows = [records[i] for i in rows_at] if len(rows_at) < len(records) - 1 else records[1:]
    return header, rows, starts[rows_at].tolist(), bad


def _read_xlsx(path: Path, sheet: str | None) -> tuple[list[str], list[list[str]], list[int], list[dict]]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:
        raise RegisterLoadError(f"is not a readable Excel workbook: {exc}", str(path)) from None
    try:
        ws = wb[sheet] if sheet and sheet in wb.sheetnames else wb.worksheets[0]
        header, rows, lines, bad = None, [], [], []
        for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
            cells = [_as_text(v) for v in values]
            if not any(cells):
                continue
            if header is None:
                header = cells
                continue
            if len(cells) > len(header) and any(cells[len(header):]):
                bad.append({"file": str(path), "row": number,
                            "evidence": f"cells beyond the header's {len(header)} columns"})
                continue
            rows.append((cells + [""] * len(header))[: len(header)])
            lines.append(number)
    finally:
        wb.close()
    if header is None:
        raise RegisterLoadError("has no header row", str(path), 1)
    return header, rows, lines, bad


def _read_yaml_table(path: Path, key: str) -> tuple[list[str], list[list[Any]], list[int], list[dict]]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RegisterLoadError(f"cannot be read: {exc}", str(path)) from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise RegisterLoadError(f"is not valid YAML: {getattr(exc, 'problem', exc)}", str(path),
                                mark.line + 1 if mark else None, mark.column + 1 if mark else None) from None
    if isinstance(data, Mapping):
        data = data.get(key, data.get("activities"))
    if data is None:
        data = []
    if not isinstance(data, list):
        raise RegisterLoadError(f"expected a list of {key}", str(path))
    header: list[str] = []
    for item in data:
        if isinstance(item, Mapping):
            for k in item:
                if str(k) not in header:
                    header.append(str(k))
    rows, lines, bad = [], [], []
    for number, item in enumerate(data, start=1):
        if not isinstance(item, Mapping):
            bad.append({"file": str(path), "row": number, "evidence": f"a {type(item).__name__}, not a mapping"})
            continue
        rows.append([item.get(h) for h in header])
        lines.append(number)
    return header, rows, lines, bad


def _map_headings(header: list[str], canonical: tuple[str, ...], aliases: Mapping[str, str],
                  user: Mapping[str, str] | None, path: Path) -> tuple[list[str], list[str]]:
    """Canonical names for the header, and the headings that matched nothing."""
    user_norm = {normalise_heading(k): v for k, v in (user or {}).items()}
    canon = set(canonical)
    mapped, unknown = [], []
    for heading in header:
        norm = normalise_heading(heading)
        name = (user or {}).get(heading) or user_norm.get(norm)
        if name is None:
            if norm in canon:
                name = norm
            else:
                name = aliases.get(norm) or ICO_HEADINGS.get(norm) or CNIL_HEADINGS.get(norm)
        if name is None or name not in canon:
            unknown.append(heading)
            name = norm or f"column_{len(mapped) + 1}"
        mapped.append(name)
    seen: dict[str, int] = {}
    for i, name in enumerate(mapped):
        if name in seen:
            first = header[seen[name]]
            raise RegisterLoadError(
                f"columns {first!r} and {header[i]!r} both mean {name!r}", str(path), 1, header[i])
        seen[name] = i
    return mapped, unknown


def _table(path: Path, kind: str, canonical: tuple[str, ...], list_cols: frozenset[str],
           aliases: Mapping[str, str], headings: Mapping[str, str] | None,
           sheet: str | None = None) -> tuple[pd.DataFrame, list[pd.DataFrame]]:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        header, rows, lines, bad = _read_csv(path)
    elif suffix in (".xlsx", ".xlsm"):
        header, rows, lines, bad = _read_xlsx(path, sheet)
    elif suffix in (".yaml", ".yml"):
        header, rows, lines, bad = _read_yaml_table(path, kind)
    else:
        raise RegisterLoadError(f"unknown file type {suffix!r}; expected .csv, .xlsx or .yaml", str(path))
    names, unknown = _map_headings(header, canonical, aliases, headings, path)
    frame = pd.DataFrame(rows, columns=names, index=pd.Index(lines, name="row"), dtype=object)
    findings = []
    if bad:
        findings.append(make_findings("unreadable-row", bad))
    if unknown:
        findings.append(make_findings(
            "unknown-column", [{"file": str(path), "row": 1, "column": h} for h in unknown]))
    for col in canonical:
        if col not in frame:
            frame[col] = [[] for _ in range(len(frame))] if col in list_cols else ""
    extra = [c for c in frame.columns if c not in canonical]
    frame = frame.loc[:, list(canonical) + extra]
    for col in frame.columns:
        if col in list_cols:
            frame[col] = _listify(frame[col])
        else:
            frame[col] = _textify(frame[col])
    return frame, findings


def _read_activities(path: Path, headings: Mapping[str, str] | None, sheet: str | None = None):
    frame, findings = _table(path, "activities", ACTIVITY_COLUMNS, ACTIVITY_LIST_COLUMNS, ALIASES,
                             headings, sheet)
    return frame, findings


def _read_recipients(path: Path | None, headings: Mapping[str, str] | None):
    if path is None:
        frame = pd.DataFrame({c: pd.Series([], dtype=object if c in RECIPIENT_LIST_COLUMNS else "str")
                              for c in RECIPIENT_COLUMNS})
        frame.index.name = "row"
        return frame, []
    return _table(path, "recipients", RECIPIENT_COLUMNS, RECIPIENT_LIST_COLUMNS,
                  _RECIPIENT_ALIASES, headings)


def _read_organisation(path: Path | None) -> dict[str, Any]:
    if path is None:
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise RegisterLoadError(f"cannot be read: {exc}", str(path)) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise RegisterLoadError(f"is not valid YAML: {getattr(exc, 'problem', exc)}", str(path),
                                mark.line + 1 if mark else None, mark.column + 1 if mark else None) from None
    if data is None:
        return {}
    if not isinstance(data, Mapping):
        raise RegisterLoadError("expected a mapping (controller, dpo, role, ...)", str(path), 1)
    return dict(data)


def _find(folder: Path, stem: str, suffixes: tuple[str, ...]) -> Path | None:
    for suffix in suffixes:
        candidate = folder / f"{stem}{suffix}"
        if candidate.is_file():
            return candidate
    return None


def load_register(
    path: str | Path,
    *,
    headings: Mapping[str, str] | None = None,
    taxonomy: Taxonomy | None = None,
) -> Register:
    """Read a register folder (or a single activities file) into a :class:`Register`.

    Args:
        path: a register folder holding organisation.yaml, activities.csv (or .xlsx/.yaml),
            recipients.csv and optionally taxonomy.yaml; or one activities file.
        headings: your own column headings mapped to canonical names
            (``{"Zweck": "purpose_description"}``); the ICO template's and the CNIL
            register's headings are recognised without it.
        taxonomy: the base taxonomy (default: ``ropa``'s, extended by taxonomy.yaml).

    Returns:
        The register. Rows that could not be read are in ``register.load_findings``.

    Raises:
        RegisterLoadError: a file is missing, unreadable or not of its format; the message
            names the file and, where known, the line and column.

    Example:
        >>> import ropa
        >>> reg = ropa.load_register("registers/pro-at")
        >>> len(reg.activities) > 0
        True
    """
    path = Path(path)
    if path.is_file() and path.suffix.lower() in (".xlsx", ".xlsm"):
        from . import _importers

        return _importers.load_workbook_register(path, headings=headings, taxonomy=taxonomy)
    if path.is_dir() and not any((path / f"activities{s}").is_file() for s in (".csv", ".xlsx", ".yaml", ".yml")):
        from . import _importers

        if _importers.looks_like_fides(path):
            return _importers.load_fides(path, taxonomy=taxonomy)
    if path.is_file():
        folder, activities_path = path.parent, path
    elif path.is_dir():
        folder = path
        activities_path = _find(folder, "activities", (".csv", ".xlsx", ".yaml", ".yml"))
        if activities_path is None:
            raise RegisterLoadError("no activities.csv, activities.xlsx or activities.yaml in the folder", str(path))
    else:
        raise RegisterLoadError("does not exist", str(path))

    org_path = _find(folder, "organisation", (".yaml", ".yml")) or _find(folder, "organization", (".yaml", ".yml"))
    rec_path = _find(folder, "recipients", (".csv", ".xlsx", ".yaml", ".yml"))
    tax_path = _find(folder, "taxonomy", (".yaml", ".yml"))

    organisation = _read_organisation(org_path)
    activities, findings = _read_activities(activities_path, headings)
    recipients, rec_findings = _read_recipients(rec_path, headings)
    base = taxonomy or default_taxonomy()
    if tax_path is not None:
        try:
            base = base.extend(tax_path)
        except TaxonomyError:
            raise
    files = {"activities": str(activities_path)}
    for role, p in (("organisation", org_path), ("recipients", rec_path), ("taxonomy", tax_path)):
        if p is not None:
            files[role] = str(p)
    register = Register(
        organisation=organisation,
        activities=activities,
        recipients=recipients,
        taxonomy=base.with_entities(recipients),
        path=folder if path.is_dir() else None,
        files=files,
        load_findings=findings_frame(findings + rec_findings),
    )
    register.taxonomy = _normalise_keys(register)
    return register


def _normalise_keys(register: Register) -> Taxonomy:
    """Map labels and synonyms written in taxonomy cells onto keys ('Email address' -> key)."""
    from ._rules import TAXONOMY_LIST_COLUMNS

    tax = register.taxonomy
    acts = register.activities
    for col, kind in TAXONOMY_LIST_COLUMNS.items():
        if col not in acts or acts.empty:
            continue
        exploded = acts[col].explode().dropna()
        if exploded.empty:
            continue
        uniques = pd.unique(exploded)
        unknown = [u for u, ok in zip(uniques, tax.known(kind, uniques), strict=True) if not ok]
        if col == "recipients":
            unknown = [u for u in unknown if u != "none"]
        mapping = {u: tax.lookup(kind, u) for u in unknown}
        mapping = {u: k for u, k in mapping.items() if k}
        if mapping:
            acts[col] = acts[col].map(lambda cell, m=mapping: [m.get(v, v) for v in cell])
    return tax


# -- writing ------------------------------------------------------------------------------

def _cell_text(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ";".join(str(v) for v in value)
    return _as_text(value)


def _csv_text(frame: pd.DataFrame) -> str:
    """A table as the text of its CSV file: list cells joined with ``;``, no index."""
    return frame.apply(lambda col: col.map(_cell_text)).to_csv(index=False, lineterminator="\n")


def write_register(register: Register, path: str | Path, *, format: str = "csv") -> Path:
    """Write a register to a folder: organisation.yaml, activities and recipients.

    ``format`` is ``csv``, ``xlsx`` or ``yaml`` (for the activities and recipients tables).
    Reading the folder back with :func:`load_register` gives an equal register.

    Raises:
        UsageError: an unknown format.
        RegisterLoadError: the register's taxonomy.yaml, to be copied, is a link that leads
            out of the register folder (and out of every trusted folder).

    Example:
        >>> import ropa, tempfile
        >>> reg = ropa.load_register("registers/pro-at")
        >>> out = ropa.write_register(reg, tempfile.mkdtemp(), format="yaml")
        >>> len(ropa.load_register(out).activities) == len(reg.activities)
        True
    """
    if format not in ("csv", "xlsx", "yaml"):
        raise UsageError(f"unknown register format {format!r}; expected csv, xlsx or yaml")
    folder = Path(path)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "organisation.yaml").write_text(
        yaml.safe_dump(register.organisation, sort_keys=False, allow_unicode=True), encoding="utf-8")
    for stem, frame in (("activities", register.activities), ("recipients", register.recipients)):
        for old in folder.glob(f"{stem}.*"):
            old.unlink()
        if format == "csv":
            (folder / f"{stem}.csv").write_text(_csv_text(frame), encoding="utf-8")
        elif format == "yaml":
            records = [
                {k: (list(v) if isinstance(v, list | tuple) else _as_text(v)) for k, v in rec.items()}
                for rec in frame.to_dict("records")
            ]
            (folder / f"{stem}.yaml").write_text(
                yaml.safe_dump({stem: records}, sort_keys=False, allow_unicode=True), encoding="utf-8")
        else:
            from openpyxl import Workbook

            wb = Workbook()
            ws = wb.active
            ws.title = stem
            ws.append(list(frame.columns))
            for rec in frame.itertuples(index=False):
                ws.append([_cell_text(v) for v in rec])
                for cell in ws[ws.max_row]:
                    if isinstance(cell.value, str) and cell.value.startswith("="):
                        cell.data_type = "s"  # text that looks like a formula stays text
            wb.save(folder / f"{stem}.xlsx")
    tax_path = register.files.get("taxonomy")
    if tax_path and Path(tax_path).resolve() != (folder / Path(tax_path).name).resolve():
        from ._paths import confine

        # Copied only from the register's folder (a taxonomy.yaml that is a link out of it is not).
        source = confine(tax_path, [register.path or Path(tax_path).parent], error=RegisterLoadError)
        (folder / Path(tax_path).name).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    return folder
