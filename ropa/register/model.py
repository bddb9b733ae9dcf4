"""The :class:`Register`: what every loader builds and every later stage reads; and writing
it back as a register folder.

A register folder holds organisation.yaml, activities (.csv, .xlsx or .yaml),
recipients.csv, an optional taxonomy.yaml and the policy versions in policies/. Every row
of every file ends up either in the Register's tables or in a finding naming its file,
line and column (see ``Register.load_findings``). Loading is :mod:`ropa.register.load`.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from ..core.errors import RegisterLoadError, UsageError
from ..core.findings import findings_frame
from ..core.paths import confine
from ..core.taxonomy import Taxonomy, default_taxonomy
from .cells import as_text, cell_text, csv_text
from .columns import TAXONOMY_LIST_COLUMNS

__all__ = ["Register", "assemble_register", "is_live", "live_activities", "write_register"]

_POLICY_FILE = re.compile(r"^(?P<version>\d{4}-\d{2}-\d{2})(?P<suffix>\.flows\.yaml|\.md|\.txt|\.html?|\.markdown)$")



def is_live(activities: pd.DataFrame) -> pd.Series:
    """Per activity, whether it is live: its status is not ``retired`` (any case, spaces
    around it ignored); every activity is live when there is no status column.

    Example:
        >>> acts = pd.DataFrame({"status": ["active", " Retired", None, ""]})
        >>> is_live(acts).tolist()
        [True, False, True, True]
    """
    if "status" not in activities:
        return pd.Series(True, index=activities.index, dtype=bool)
    return activities["status"].fillna("").astype(str).str.strip().str.lower() != "retired"


def live_activities(activities: pd.DataFrame, include_retired: bool = False) -> pd.DataFrame:
    """The live activities (see :func:`is_live`), or all of them with ``include_retired``;
    the index is kept.

    Example:
        >>> acts = pd.DataFrame({"activity_id": ["A1", "A2"], "status": ["active", "retired"]})
        >>> live_activities(acts)["activity_id"].tolist(), len(live_activities(acts, include_retired=True))
        (['A1'], 2)
    """
    return activities if include_retired else activities[is_live(activities)]


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


def assemble_register(organisation: dict[str, Any], activities: pd.DataFrame, recipients: pd.DataFrame,
                      taxonomy: Taxonomy, files: dict[str, str], findings: list[pd.DataFrame],
                      path: Path | None = None) -> Register:
    """A register from its loaded parts: the recipients added to the taxonomy as entities, and
    labels and synonyms written in taxonomy cells mapped onto keys ('Email address' -> key)."""
    taxonomy = taxonomy.with_entities(recipients)
    _normalise_keys(activities, taxonomy)
    return Register(organisation=organisation, activities=activities, recipients=recipients,
                    taxonomy=taxonomy, path=path, files=files, load_findings=findings_frame(findings))


def _normalise_keys(acts: pd.DataFrame, tax: Taxonomy) -> None:
    """Map labels and synonyms written in taxonomy cells onto keys, in place."""
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
            (folder / f"{stem}.csv").write_text(csv_text(frame), encoding="utf-8")
        elif format == "yaml":
            records = [
                {k: (list(v) if isinstance(v, list | tuple) else as_text(v)) for k, v in rec.items()}
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
                ws.append([cell_text(v) for v in rec])
                for cell in ws[ws.max_row]:
                    if isinstance(cell.value, str) and cell.value.startswith("="):
                        cell.data_type = "s"  # text that looks like a formula stays text
            wb.save(folder / f"{stem}.xlsx")
    tax_path = register.files.get("taxonomy")
    if tax_path and Path(tax_path).resolve() != (folder / Path(tax_path).name).resolve():
        # Copied only from the register's folder (a taxonomy.yaml that is a link out of it is not).
        source = confine(tax_path, [register.path or Path(tax_path).parent], error=RegisterLoadError)
        (folder / Path(tax_path).name).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    return folder
