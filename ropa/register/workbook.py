"""A register kept in one Excel workbook: its layout recognised (the UK ICO's template, the
CNIL's register model, or a plain table of activities) and read by that layout's reader.

``load_register`` sends an ``.xlsx`` file here (:func:`load_workbook_register`). Free-text
cells are mapped onto taxonomy keys (:mod:`ropa.register.freetext`); a part that maps to
nothing is reported (``unmapped-cell``, with the closest keys) and kept in the activity's
``unmapped`` column as ``column: text``, never dropped. Nothing in a workbook is lost: every
cell is loaded, or reported in ``register.load_findings`` with its file, sheet, row and column.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from ..core.errors import RegisterLoadError
from ..core.taxonomy import Taxonomy, default_taxonomy
from .cnil import fiche_fields, load_cnil
from .ico import ico_heading_row, load_ico
from .importlog import ImportFindings
from .model import Register, assemble_register
from .sheets import Sheet, cell_findings, not_imported, read_sheets, special_sheets, taxonomy_sheet
from .tables import read_activities

__all__ = ["load_workbook_register"]


def _base_taxonomy(path: Path, taxonomy: Taxonomy | None, files: dict[str, str]) -> Taxonomy:
    base = taxonomy or default_taxonomy()
    beside = path.parent / "taxonomy.yaml"
    if beside.is_file():
        base = base.extend(beside)
        files["taxonomy"] = str(beside)
    return base


def load_workbook_register(
    path: str | Path,
    *,
    headings: Mapping[str, str] | None = None,
    taxonomy: Taxonomy | None = None,
) -> Register:
    """Read a register kept in one Excel workbook: the ICO's layout, the CNIL's, or a plain table.

    The layout is recognised from the content:

    - **ICO** (the UK ICO's documentation template): a sheet with a row holding at least three
      of the ICO's column headings; above it a header block with Name / Address / Email /
      Telephone for the controller, the Data Protection Officer and the representative; one
      row per activity below. A "Processor" sheet in the same layout holds the Art 30(2)
      activities.
    - **CNIL** (the CNIL's register model): one sheet per activity ("fiche de registre") with
      labels in column A and values in column B (Nom du traitement, Finalité(s), Catégories
      de personnes concernées, ...), and an organisation sheet (Responsable du traitement,
      Délégué à la protection des données).
    - **plain**: the first sheet is a table with a header row of activities.csv columns.

    In every layout a sheet named "Recipients" (or "Destinataires") is read as recipients.csv,
    and a sheet named "About" (or "Organisation") as organisation.yaml, one ``field | value``
    row each. A ``taxonomy.yaml`` beside the workbook extends the taxonomy (its synonyms help
    map free-text cells).

    Free-text cells are mapped onto taxonomy keys; parts that match nothing are reported as
    ``unmapped-cell`` findings and kept in the ``unmapped`` column. Recipients named in text
    that match no recipient are created with a guessed category (``recipient-created``).
    Sheets that hold no register part are reported as ``part-not-imported``.

    Example:
        >>> import ropa
        >>> reg = ropa.load_register("tests/data/ico/ico-register.xlsx")  # doctest: +SKIP
        >>> reg.load_findings["code"].value_counts()  # doctest: +SKIP
    """
    path = Path(path)
    if not path.is_file():
        raise RegisterLoadError("does not exist", str(path))
    files = {"activities": str(path)}
    base = _base_taxonomy(path, taxonomy, files)
    sheets = read_sheets(path)
    base = taxonomy_sheet(path, sheets, base, files)
    ico = [(s, i) for s in sheets if (i := ico_heading_row(s)) is not None]
    fiches = [s for s in sheets if fiche_fields(s, headings)[0] is not None] if not ico else []
    if ico:
        register = load_ico(path, sheets, ico, headings, base, files)
    elif fiches:
        register = load_cnil(path, sheets, fiches, headings, base, files)
    else:
        register = _load_plain(path, sheets, headings, base, files)
    return cell_findings(register, sheets)


def _load_plain(path: Path, sheets: list[Sheet], headings: Mapping[str, str] | None, base: Taxonomy,
                files: dict[str, str]) -> Register:
    findings = ImportFindings()
    recipients, rec_findings, org, used = special_sheets(path, sheets, headings, findings)
    table = next((s for s in sheets if s.name not in used and s.filled()), None)
    if table is None:
        names = ", ".join(repr(s.name) for s in sheets)
        raise RegisterLoadError(f"has no sheet with activities: no sheet in the ICO's layout (Controller, "
                                f"Processor), no CNIL fiche and no table of activities; its sheets are "
                                f"{names}", str(path))
    activities, act_findings = read_activities(path, headings, table.name)
    used.add(table.name)
    not_imported(path, sheets, used, findings)
    files["recipients"] = f"{path}:Recipients" if len(recipients) else files.get("recipients", "")
    return assemble_register(org, activities, recipients, base, {k: v for k, v in files.items() if v},
                             act_findings + rec_findings + findings.frames())
