"""Loading a register: a register folder, one activities file, one Excel workbook (ICO, CNIL
or a plain table) or a folder of Fides manifests, each into a :class:`Register`.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from ..core.errors import RegisterLoadError, TaxonomyError
from ..core.findings import duplicate_key_findings
from ..core.paths import confine
from ..core.taxonomy import Taxonomy, default_taxonomy
from ..core.yamlio import read_yaml
from .documents import DOCUMENT_SUFFIXES
from .fides import load_fides, looks_like_fides
from .model import Register, assemble_register
from .organisation import read_organisation
from .tables import read_activities, read_recipients
from .workbook import load_workbook_register

__all__ = ["is_document", "load_register", "read_headings"]


def read_headings(path: str | Path) -> dict[str, str]:
    """A user's own headings or labels, mapped to canonical field names, from a YAML file of
    ``heading: field`` pairs (``Zweck: purposes``).

    Raises:
        RegisterLoadError: the file is not such a mapping, or names a field ropa does not have.

    Example:
        >>> import tempfile, pathlib
        >>> f = pathlib.Path(tempfile.mkdtemp()) / "headings.yaml"
        >>> _ = f.write_text("Zweck der Verarbeitung: purposes\\n", encoding="utf-8")
        >>> read_headings(f)
        {'Zweck der Verarbeitung': 'purposes'}
    """
    from .columns import IMPORT_FIELDS, RECIPIENT_COLUMNS

    doc = read_yaml(Path(path), error=RegisterLoadError)
    if not isinstance(doc.data, Mapping):
        raise RegisterLoadError("expected a mapping of headings to field names", str(path))
    known = set(IMPORT_FIELDS) | set(RECIPIENT_COLUMNS)
    out: dict[str, str] = {}
    for heading, field in doc.data.items():
        if str(field) not in known:
            raise RegisterLoadError(f"{heading!r} maps to {field!r}, which is not a register field "
                                    f"(one of: {', '.join(sorted(known))})", str(path), doc.line((heading,)))
        out[str(heading)] = str(field)
    return out


def is_document(path: Path) -> bool:
    """Is the file a register kept as a document (PDF, Word, HTML, Markdown)? Told by its
    content (a PDF signature, a ZIP holding word/document.xml) as well as its name's ending.

    Example:
        >>> is_document(Path("registers/pro-at/activities.csv"))
        False
    """
    if path.suffix.lower() in DOCUMENT_SUFFIXES:
        return True
    try:
        with path.open("rb") as fh:
            head = fh.read(1024)
    except OSError:
        return False
    if b"%PDF-" in head:
        return True
    if head.startswith(b"PK\x03\x04"):
        import zipfile

        try:
            with zipfile.ZipFile(path) as z:
                return "word/document.xml" in z.namelist()
        except zipfile.BadZipFile:
            return False
    return False


def _find(folder: Path, stem: str, suffixes: tuple[str, ...]) -> Path | None:
    """The register folder's file ``stem`` with the first suffix present. A file that is a
    symbolic link leading out of the folder (a register unpacked from someone's archive) is
    refused, not read."""
    for suffix in suffixes:
        candidate = folder / f"{stem}{suffix}"
        if candidate.is_file():
            if candidate.is_symlink():
                confine(candidate, [folder], error=RegisterLoadError)
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
            recipients.csv and optionally taxonomy.yaml; or one activities file; or a
            register kept as a document (PDF, DOCX, HTML, Markdown: see
            :func:`ropa.register.document.load_document_register`), with an optional
            organisation.yaml beside it.
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
    if path.is_file() and is_document(path):
        from .document import load_document_register

        return load_document_register(path, headings=headings, taxonomy=taxonomy)
    if path.is_file() and path.suffix.lower() in (".xlsx", ".xlsm"):
        return load_workbook_register(path, headings=headings, taxonomy=taxonomy)
    tables = (".csv", ".xlsx", ".yaml", ".yml")
    if path.is_dir() and not any((path / f"activities{s}").is_file() for s in tables) and looks_like_fides(path):
        return load_fides(path, taxonomy=taxonomy)
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

    organisation, findings = read_organisation(org_path)
    activities, act_findings = read_activities(activities_path, headings)
    findings += act_findings
    recipients, rec_findings = read_recipients(rec_path, headings)
    base = taxonomy or default_taxonomy()
    if tax_path is not None:
        tax_doc = read_yaml(tax_path, error=TaxonomyError)
        duplicates = duplicate_key_findings(tax_doc)
        if duplicates is not None:
            findings.append(duplicates)
        base = base.extend(tax_doc)
    files = {"activities": str(activities_path)}
    for role, p in (("organisation", org_path), ("recipients", rec_path), ("taxonomy", tax_path)):
        if p is not None:
            files[role] = str(p)
    return assemble_register(organisation, activities, recipients, base, files, findings + rec_findings,
                             path=folder if path.is_dir() else None)
