"""Registers kept as documents: PDF, Word (DOCX), HTML or Markdown, in the organisation's language.

:func:`read_document` reads one file into a :class:`DocumentRegister`: the header (controller,
DPO, representative, date, version), the processing activities with each field as the document
states it (``fields``, keyed by activities.csv's column names), the labels that map to no field
(``unmapped_labels``: kept, never dropped), yes/no checklists and labelled parts of values, and
where each came from. ``to_rows()`` gives one dict per activity for the register loader.

How it works: a reader per format turns the file into neutral blocks (``model.Block``:
headings, paragraphs, list items with their depth, tables with their rows, each with its page
and line); one layout detector (``layout.detect``) finds the activities in the blocks by their
content, whatever the format; the labels of six languages are data
(``ropa/taxonomy/labels/*.yml``). pdfplumber and python-docx are imported only when a PDF or
DOCX file is read.

Module map::

    model.py     the block model and the register model (Location, Block, Activity, ...)
    labels.py    folding labels and mapping them to canonical fields (data: taxonomy/labels)
    lines.py     "label: value" lines, checklists, labelled parts, numbering glued to titles
    header.py    the controller's, DPO's and representative's details, date and version
    layout.py    the layout detector: a table, a block or a row per activity
    markdown.py, html.py, pdf.py, docx.py   the readers

Example (from the repository's root):
    >>> from ropa.register.documents import read_document
    >>> reg = read_document("../shared/corpus/registers/de-lebensordner-vvt-md/art-30-records-of-processing.md")
    >>> len(reg.activities), reg.activities[1].name, reg.language
    (7, 'Gesundheitsdatenspeicherung', 'de')
    >>> reg.activities[1].fields["data_subjects"]
    'Benutzer mit Gesundheitsdaten'
    >>> reg.organisation["controller"]["name"], reg.organisation["date"]
    ('Christof Boermel', '14. Februar 2026')
"""

from __future__ import annotations

import re
import zipfile
from os import PathLike
from pathlib import Path

from ...core.errors import RegisterLoadError
from ...core.limits import read_limited
from .layout import detect
from .model import (
    Activity,
    Block,
    CheckItem,
    DocumentRegister,
    Entry,
    Location,
    Problem,
    SubField,
    SummaryTable,
)

__all__ = [
    "DOCUMENT_SUFFIXES",
    "Activity",
    "Block",
    "CheckItem",
    "DocumentRegister",
    "Entry",
    "Location",
    "Problem",
    "SubField",
    "SummaryTable",
    "read_blocks",
    "read_document",
    "sniff_format",
]

#: File name endings that name a document register, and the format each names.
DOCUMENT_SUFFIXES: dict[str, str] = {
    ".pdf": "pdf", ".docx": "docx", ".docm": "docx", ".html": "html", ".htm": "html",
    ".xhtml": "html", ".php": "html", ".md": "markdown", ".markdown": "markdown",
    ".txt": "markdown", ".text": "markdown",
}

_HTML_TAGS = re.compile(rb"<\s*(?:!doctype\s+html|html|body|div|p|table|tr|td|th|li|h[1-6]|ul|ol|section|article)\b",
                        re.I)


def sniff_format(data: bytes, suffix: str = "") -> str:
    """The document's format from its content, the file name ending breaking ties:
    ``pdf``, ``docx``, ``html`` or ``markdown``.

    Example:
        >>> sniff_format(b"%PDF-1.4 ..."), sniff_format(b"<div><table><tr><td>...", ".txt")
        ('pdf', 'html')
        >>> sniff_format(b"# Register\\n- **Zweck:** x", ".md"), sniff_format(b"Purpose: x", "")
        ('markdown', 'markdown')
    """
    head = data[:2048].lstrip()
    if head.startswith(b"%PDF") or b"%PDF-" in data[:1024]:
        return "pdf"
    if data[:4] == b"PK\x03\x04":
        return "docx"
    by_name = DOCUMENT_SUFFIXES.get(suffix.lower())
    if by_name == "html":
        return "html"
    tags = len(_HTML_TAGS.findall(data[:65536]))
    if by_name == "markdown":
        # Markdown may hold some HTML; a file that is mostly tags is HTML whatever its name
        return "html" if head.startswith(b"<") and tags >= 3 else "markdown"
    return "html" if tags >= 2 and head.startswith(b"<") else "markdown"


def _decode(data: bytes, path: Path) -> tuple[str, list[Problem]]:
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return data.decode(enc, errors="replace"), []
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        return data.decode("utf-8", errors="replace"), [Problem(
            "invalid-bytes", "not UTF-8 and no encoding could be guessed; bytes replaced",
            Location(path.name))]
    return str(best), [Problem("encoding-guessed", f"read as {best.encoding} (not UTF-8)",
                               Location(path.name))]


def read_blocks(path: str | PathLike[str]) -> tuple[str, list[Block], list[Problem]]:
    """The document's format, its blocks and what its reader could not read."""
    path = Path(path)
    if not path.is_file():
        raise RegisterLoadError("is not a file", str(path))
    data = read_limited(path, RegisterLoadError)
    fmt = sniff_format(data, path.suffix)
    problems: list[Problem] = []
    named = DOCUMENT_SUFFIXES.get(path.suffix.lower())
    if named and named != fmt and not (named == "markdown" and path.suffix.lower() == ".txt"):
        problems.append(Problem("format-mismatch", f"the name ends in {path.suffix} but the "
                                f"content is {fmt}; read as {fmt}", Location(path.name)))
    if fmt == "pdf":
        from .pdf import read_pdf

        blocks, more = read_pdf(path, data)
    elif fmt == "docx":
        try:
            with zipfile.ZipFile(path) as z:
                if "word/document.xml" not in z.namelist():
                    raise RegisterLoadError("is a ZIP file but not a Word document (no "
                                            "word/document.xml)", str(path))
        except zipfile.BadZipFile as exc:
            raise RegisterLoadError(f"is not a readable Word document: {exc}", str(path)) from None
        from .docx import read_docx

        blocks, more = read_docx(path)
    else:
        text, more = _decode(data, path)
        if fmt == "html":
            from .html import read_html_text

            blocks = read_html_text(text, path.name)
        else:
            from .markdown import read_markdown_text

            blocks = read_markdown_text(text, path.name)
    return fmt, blocks, problems + more


def read_document(path: str | PathLike[str]) -> DocumentRegister:
    """Read a register kept as a document (PDF, DOCX, HTML or Markdown).

    The format is told by the content (a PDF or DOCX signature, HTML tags), the name's ending
    breaking ties. Raises :class:`ropa.RegisterLoadError` only when the file cannot be read at
    all; everything else that goes wrong is in ``problems``.
    """
    fmt, blocks, problems = read_blocks(path)
    return detect(blocks, str(path), fmt, problems)
