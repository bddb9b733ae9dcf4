"""Word (DOCX) documents as blocks, with python-docx (imported only when a DOCX file is read).

Paragraphs and tables are read in body order (content controls opened). A paragraph styled as
a heading ("Heading 2", "Título 2", "Überschrift 2", or with an outline level) is a heading of
that level; "Title" is level 1. A paragraph with list numbering or a list style ("List Bullet",
"Lista con viñetas", "Listenabsatz") is a list item, its depth the numbering level. A short
paragraph set wholly in bold that is numbered or in capitals is a heading below the styled
ones. Leading bold runs are the block's ``strong``. Table cells merged across columns are read
once; a row marked to repeat as a header is a header row. Word has no lines or pages: the
location counts body paragraphs and table rows (``paragraph N``). Page headers and footers are
not part of the body and are not read.

Example (from the repository's root):
    >>> from pathlib import Path
    >>> from ropa.register.documents.docx import read_docx
    >>> blocks, problems = read_docx(Path("tests/data/documents/registro-colegio.docx"))
    >>> blocks[0].kind, blocks[0].text
    ('heading', 'Registro de actividades de tratamiento')
"""

from __future__ import annotations

import contextlib
import re
import zipfile
from pathlib import Path
from typing import Any

from ...core.errors import RegisterLoadError
from ...core.limits import limit_message, limits
from .lines import clean_text, unglue
from .model import Block, Cell, Location, Problem, Row

__all__ = ["read_docx"]

_HEADING_STYLE = re.compile(r"^(?:heading|t[ií]tulo|[üu]berschrift|titre|titolo|kop|nadpis|otsikko)\s*(\d)$", re.I)
_TITLE_STYLE = re.compile(r"^(?:title|t[ií]tulo|titel|titre|titolo)$", re.I)
_LIST_STYLE = re.compile(r"list|lista|liste|elenco|opsomming|vi[ñn]eta|aufz[äa]hlung|puce", re.I)
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _style_name(par: Any) -> str:
    try:
        style = par.style
        return (style.name or "") if style is not None else ""
    except (KeyError, AttributeError, ValueError):
        return ""


def _bold(run: Any) -> bool:
    if run.bold is not None:
        return bool(run.bold)
    try:
        return bool(run.style is not None and run.style.font.bold)
    except (KeyError, AttributeError, ValueError):
        return False


def _strong(par: Any) -> tuple[str | None, bool]:
    """The bold text a paragraph starts with, and whether all of it is bold."""
    lead: list[str] = []
    all_bold = True
    started = False
    done = False
    para_bold = False
    with contextlib.suppress(KeyError, AttributeError, ValueError):
        para_bold = bool(par.style is not None and par.style.font.bold)
    for run in par.runs:
        text = run.text
        if not text:
            continue
        bold = _bold(run) if run.bold is not None else (para_bold or _bold(run))
        if not text.strip():
            if not done:
                lead.append(text)
            continue
        if bold and not done:
            lead.append(text)
            started = True
        else:
            done = True
            all_bold = all_bold and bold
    strong = clean_text("".join(lead)) if started else None
    return strong or None, bool(started) and all_bold


def _list_level(par: Any) -> int | None:
    ppr = par._p.pPr
    if ppr is not None and ppr.numPr is not None:
        ilvl = ppr.numPr.ilvl
        return int(ilvl.val) if ilvl is not None and ilvl.val is not None else 0
    name = _style_name(par)
    if _LIST_STYLE.search(name):
        m = re.search(r"(\d)\s*$", name)
        return int(m.group(1)) - 1 if m else 0
    return None


def _heading_level(par: Any) -> int | None:
    name = _style_name(par)
    m = _HEADING_STYLE.match(name.strip())
    if m:
        return max(int(m.group(1)), 1)
    if _TITLE_STYLE.match(name.strip()):
        return 1
    ppr = par._p.pPr
    if ppr is not None:
        lvl = ppr.find(f"{_W}outlineLvl")
        if lvl is not None:
            val = lvl.get(f"{_W}val")
            if val is not None and val.isdigit() and int(val) < 9:
                return int(val) + 1
    return None


def _children(element: Any) -> list[Any]:
    out = []
    for child in element.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag in ("p", "tbl"):
            out.append(child)
        elif tag in ("sdt", "customXml"):
            content = child.find(f"{_W}sdtContent") if tag == "sdt" else child
            if content is not None:
                out += _children(content)
    return out


def read_docx(path: Path) -> tuple[list[Block], list[Problem]]:
    """The blocks of a Word document, and what could not be read."""
    try:
        with zipfile.ZipFile(path) as z:
            total = sum(i.file_size for i in z.infolist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise RegisterLoadError(f"is not a readable Word document: {exc}", str(path)) from None
    if total > limits().max_unzipped_bytes:
        raise RegisterLoadError(limit_message("max_unzipped_bytes", "the document unzips to "
                                              f"{total:,} bytes"), str(path))
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph
    except ImportError:  # pragma: no cover - a dependency
        raise RegisterLoadError("reading Word registers needs python-docx (pip install python-docx)",
                                str(path)) from None
    try:
        document = docx.Document(str(path))
    except Exception as exc:
        raise RegisterLoadError(f"is not a readable Word document: {type(exc).__name__}: {exc}",
                                str(path)) from None
    name = path.name
    blocks: list[Block] = []
    problems: list[Problem] = []
    count = 0
    styled_levels: set[int] = set()
    pending: list[tuple[Block, bool]] = []
    for element in _children(document.element.body):
        if element.tag.endswith("}p"):
            par = Paragraph(element, document)
            text = clean_text(par.text)
            count += 1
            if not text:
                continue
            where = Location(name, line=count, unit="paragraph")
            strong, all_bold = _strong(par)
            level = _heading_level(par)
            if level is not None:
                styled_levels.add(level)
                blocks.append(Block("heading", unglue(" ".join(text.split("\n"))), level=level, where=where))
                continue
            depth = _list_level(par)
            if depth is not None:
                marker = "1." if re.search(r"number|num[eé]r|nummer", _style_name(par), re.I) else "-"
                blocks.append(Block("item", unglue(text), level=depth, where=where, strong=strong, marker=marker))
                continue
            block = Block("paragraph", text, where=where, strong=strong)
            looks_heading = all_bold and len(text) <= 150 and "\n" not in text and not text.endswith(":") \
                and ": " not in text[:40] and (re.match(r"^\d{1,3}(\.\d{1,3})*\.?\s*\S", text) or
                                                (text.isupper() and len(text) > 3))
            pending.append((block, bool(looks_heading)))
            blocks.append(block)
            continue
        table = Table(element, document)
        rows: list[Row] = []
        for tr in table.rows:
            count += 1
            cells: list[Cell] = []
            seen: set[int] = set()
            try:
                row_cells = tr.cells
            except (IndexError, ValueError) as exc:
                problems.append(Problem("table-unreadable", f"a table row could not be read: {exc}",
                                        Location(name, line=count, unit="paragraph")))
                continue
            for cell in row_cells:
                if id(cell._tc) in seen:
                    continue
                seen.add(id(cell._tc))
                parts = [p.text for p in cell.paragraphs]
                for inner in cell.tables:
                    parts += [" | ".join(c.text for c in r.cells) for r in inner.rows]
                strong = _strong(cell.paragraphs[0])[0] if cell.paragraphs else None
                cells.append(Cell(clean_text("\n".join(parts)), strong))
            trpr = tr._tr.trPr
            header = trpr is not None and trpr.find(f"{_W}tblHeader") is not None
            rows.append(Row(cells, Location(name, line=count, unit="paragraph"), header=header))
        if rows:
            first = rows[0]
            if not first.header and all((c.strong and c.strong == c.text.replace("\n", " ").strip()) or not c.text
                                        for c in first.cells) and any(c.text for c in first.cells):
                first.header = True
            blocks.append(Block("table", where=rows[0].where, rows=rows))
    below = max(styled_levels, default=0) + 1
    for block, is_heading in pending:
        if is_heading:
            block.kind, block.level, block.strong = "heading", below, None
            block.text = unglue(block.text)
    return blocks, problems
