"""PDF documents as blocks, with pdfplumber (imported only when a PDF is read).

- Text is read line by line in reading order, each with its page and line number (the line's
  rank from the top of its page). Lines that repeat at the top or bottom of the pages (running
  headers and footers, page numbers) are dropped.
- A line whose type is clearly larger than the body text is a heading (levels by size); so is
  a numbered or upper-case line set wholly in bold at body size ("1.GESTIÓN DE NÓMINAS").
  Consecutive heading lines of one size are one heading. Numbering glued to a title gets its
  space back ("1.GESTIÓN" -> "1. GESTIÓN").
- A line that starts with a bullet character, a drawn bullet (a small shape just left of the
  line) or a number ("1.", "a)") starts a list item; its depth is the rank of its indentation.
  Other lines continue the block above when they follow it closely; a line break is kept where
  the previous line stopped short of the right margin or the new line starts with a bold label.
- Ruled tables (pdfplumber's table finder) become table blocks; a table that goes on at the
  top of the next page is one table (a repeated header row dropped, a row split by the page
  break joined).

Example (from the repository's root):
    >>> from pathlib import Path
    >>> from ropa.register.documents.pdf import read_pdf
    >>> path = Path("../shared/corpus/registers/es-colorprof-pdf/registro.pdf")
    >>> blocks, problems = read_pdf(path, path.read_bytes())
    >>> [(b.kind, b.text) for b in blocks if b.kind == "heading"][:2]
    [('heading', 'REGISTRO DE ACTIVIDADES DE TRATAMIENTO (RAT)'), ('heading', '1. ACTIVIDAD: GESTIÓN DE CLIENTES Y WEB')]
"""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...core.errors import RegisterLoadError
from .lines import clean_text, unglue
from .model import Block, Cell, Location, Problem, Row

__all__ = ["read_pdf"]

_BOLD = re.compile(r"bold|black|heavy|semibold|demi|extrabold", re.I)
_BULLET_CHARS = "•◦▪▫●○■□‣⁃–-*·►➢✓✔➤"
_NUMBERED = re.compile(r"^(\(?\d{1,3}[.)]|\(?[a-z][.)]|\(?[ivx]{1,4}\))\s+(?=\S)")
_MARGIN = 0.09  # share of the page height where running headers and footers stand


@dataclass
class _Line:
    page: int
    top: float
    bottom: float
    x0: float
    x1: float
    text: str
    size: float
    bold: bool
    strong: str | None
    line: int = 0
    bullet_x: float | None = None
    marker: str | None = None


@dataclass
class _Table:
    page: int
    top: float
    bbox: tuple[float, float, float, float]
    columns: list[float]
    rows: list[Row] = field(default_factory=list)


def _is_bold(char: dict[str, Any]) -> bool:
    return bool(_BOLD.search(str(char.get("fontname", "")).split("+")[-1]))


def _strong(chars: list[dict[str, Any]], text: str | None = None) -> str | None:
    """The bold text a line starts with (spaces as in ``text``, the line's extracted text)."""
    count = 0
    for c in chars:
        if c.get("text", "").isspace():
            continue
        if not _is_bold(c):
            break
        count += 1
    if not count:
        return None
    if text is None:
        return "".join(c["text"] for c in chars if not c.get("text", "").isspace())[:count] or None
    out, seen = [], 0
    for ch in text:
        if seen >= count:
            break
        out.append(ch)
        if not ch.isspace():
            seen += 1
    return "".join(out).strip() or None


def _join_cell(text: str) -> str:
    """A cell's wrapped lines joined: a line break is kept after a full stop, colon or semicolon
    and before a capital, a bullet or a number; otherwise the lines are one."""
    out: list[str] = []
    for line in (x.strip() for x in text.split("\n")):
        if not line:
            continue
        if out and not re.search(r"[.:;!?]$", out[-1]) and (line[0].islower() or line[0] in ",;)"):
            out[-1] = out[-1] + (line if out[-1].endswith("-") else " " + line)
        else:
            out.append(line)
    return clean_text("\n".join(out))


def _marks(page: Any) -> list[tuple[float, float, float]]:
    """Small drawn shapes that may be bullets: (x0, vertical centre, x1)."""
    out = []
    for obj in list(page.curves) + list(page.rects):
        w, h = obj["x1"] - obj["x0"], obj["bottom"] - obj["top"]
        if 1.0 <= w <= 8 and 1.0 <= h <= 8:
            out.append((obj["x0"], (obj["top"] + obj["bottom"]) / 2, obj["x1"]))
    return out


def _read_page(page: Any, number: int, name: str, problems: list[Problem]) -> tuple[list[_Line], list[_Table]]:
    try:
        found = page.find_tables()
    except Exception as exc:  # a malformed drawing must not stop the reading of the text
        problems.append(Problem("table-unreadable", f"tables on this page could not be read: {exc}",
                                Location(name, page=number)))
        found = []
    boxes = [t.bbox for t in found]

    def outside(obj: dict[str, Any]) -> bool:
        if obj.get("object_type") != "char":
            return True
        cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(b[0] <= cx <= b[2] and b[1] <= cy <= b[3] for b in boxes)

    text_page = page.filter(outside) if boxes else page
    raw = text_page.extract_text_lines(return_chars=True, strip=True)
    marks = _marks(page)
    lines: list[_Line] = []
    for item in raw:
        chars = [c for c in item["chars"] if not c.get("text", "").isspace()]
        if not chars:
            continue
        size = Counter(round(c["size"] * 2) / 2 for c in chars).most_common(1)[0][0]
        bold = sum(_is_bold(c) for c in chars) >= 0.8 * len(chars)
        text = clean_text(item["text"])
        if not text:
            continue
        line = _Line(number, item["top"], item["bottom"], item["x0"], item["x1"], text, size, bold,
                     _strong(item["chars"], item["text"].strip()))
        first = item["text"].lstrip()[:1]
        if first and (first in _BULLET_CHARS or 0xE000 <= ord(first) <= 0xF8FF) and \
                re.match(r"^\s*\S\s+\S", item["text"]):
            line.marker, line.bullet_x = first, item["x0"]
            line.text = clean_text(re.sub(r"^\s*\S\s+", "", item["text"]))
            line.strong = _strong([c for c in item["chars"] if c["x0"] > chars[0]["x1"]], line.text)
        else:
            centre = (item["top"] + item["bottom"]) / 2
            for x0, cy, x1 in marks:
                if x1 <= item["x0"] + 1 and item["x0"] - x1 <= 18 and abs(cy - centre) <= (item["bottom"] - item["top"]) * 0.6:
                    line.marker, line.bullet_x = "•", x0
                    break
        lines.append(line)
    tables: list[_Table] = []
    all_chars = page.chars if found else []
    for t in found:
        try:
            data = t.extract()
        except Exception as exc:
            problems.append(Problem("table-unreadable", f"a table could not be read: {exc}",
                                    Location(name, page=number)))
            continue
        rows: list[Row] = []
        for r, cells in zip(t.rows, data, strict=False):
            row_cells = []
            for bbox, text in zip(r.cells, cells, strict=False):
                strong = None
                if bbox is not None and text:
                    inside = [c for c in all_chars
                              if bbox[0] <= (c["x0"] + c["x1"]) / 2 <= bbox[2]
                              and bbox[1] <= (c["top"] + c["bottom"]) / 2 <= bbox[3]]
                    strong = _strong(sorted(inside, key=lambda c: (round(c["top"]), c["x0"])),
                                     text.replace("\n", " "))
                row_cells.append(Cell(_join_cell(text or ""), clean_text(strong) if strong else None))
            rows.append(Row(row_cells, Location(name, page=number, line=None)))
            rows[-1]._top = r.bbox[1]  # type: ignore[attr-defined]
        columns = sorted({round(c[0]) for r in t.rows for c in r.cells if c is not None})
        tables.append(_Table(number, t.bbox[1], t.bbox, columns, rows))
    # line numbers: the rank of each text line or table row from the top of the page
    tops = sorted({round(x.top) for x in lines} | {round(r._top) for t in tables for r in t.rows})  # type: ignore[attr-defined]
    rank = {top: i + 1 for i, top in enumerate(tops)}
    for x in lines:
        x.line = rank[round(x.top)]
    for t in tables:
        for r in t.rows:
            r.where = Location(name, page=number, line=rank[round(r._top)])  # type: ignore[attr-defined]
    return lines, tables


def _running(pages: list[tuple[list[_Line], list[_Table], float]]) -> set[tuple[int, float]]:
    """(page, top) of the lines that repeat at the top or bottom of the pages, and of lone page
    numbers there."""
    seen: Counter = Counter()
    marks: list[tuple[str, int, float]] = []
    for lines, _, height in pages:
        for x in lines:
            if x.top < height * _MARGIN or x.bottom > height * (1 - _MARGIN):
                key = re.sub(r"\d+", "#", x.text.lower())
                marks.append((key, x.page, x.top))
                seen[key] += 1
    many = len(pages)
    out = set()
    for key, page, top in marks:
        if (many >= 2 and seen[key] >= max(2, many // 2)) or \
                re.fullmatch(r"[-–— ]*(page|página|pagina|seite|pag\.?|p\.)?\s*#(\s*(/|of|de|von|di|van)\s*#)?[-–— ]*", key):
            out.add((page, top))
    return out


def _merge_tables(prev: _Table, nxt: _Table) -> bool:
    """Whether ``nxt`` continues ``prev`` (same columns); if so its rows are added to it."""
    if len(prev.columns) != len(nxt.columns) or any(abs(a - b) > 6 for a, b in zip(prev.columns, nxt.columns, strict=False)):
        return False
    rows = list(nxt.rows)

    def title(row: Row) -> bool:
        return len(row.cells) >= 2 and bool(row.cells[0].text.strip()) and \
            not any(c.text.strip() for c in row.cells[1:])

    if rows and prev.rows and title(rows[0]) and title(prev.rows[0]):
        return False  # each table starts with a title row of its own: the next activity
    if rows and prev.rows and [c.text for c in rows[0].cells] == [c.text for c in prev.rows[0].cells]:
        rows = rows[1:]  # the header row repeated on the new page
    elif rows and prev.rows and len(rows[0].cells) >= 2 and rows[0].cells[0].text and \
            rows[0].cells[0].text == prev.rows[0].cells[0].text:
        return False  # a new table that starts with the same label: the next activity
    if rows and prev.rows and not rows[0].cells[0].text.strip() and any(c.text for c in rows[0].cells[1:]):
        last = prev.rows[-1]
        for i, c in enumerate(rows[0].cells):
            if i < len(last.cells) and c.text:
                last.cells[i].text = (last.cells[i].text + "\n" + c.text).strip()
        rows = rows[1:]
    prev.rows += rows
    return True


def read_pdf(path: Path, data: bytes) -> tuple[list[Block], list[Problem]]:
    """The blocks of a PDF document, and what could not be read."""
    try:
        import pdfplumber
    except ImportError:  # pragma: no cover - a dependency
        raise RegisterLoadError("reading PDF registers needs pdfplumber (pip install pdfplumber)",
                                str(path)) from None
    import logging

    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    name = path.name
    problems: list[Problem] = []
    pages: list[tuple[list[_Line], list[_Table], float]] = []
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for n, page in enumerate(pdf.pages, 1):
                lines, tables = _read_page(page, n, name, problems)
                if not lines and not tables and not page.chars and page.images:
                    problems.append(Problem("no-text-layer", "the page has no text, only an "
                                            "image (a scan?); it was not read", Location(name, page=n)))
                pages.append((lines, tables, float(page.height)))
    except RegisterLoadError:
        raise
    except Exception as exc:
        raise RegisterLoadError(f"is not a readable PDF: {type(exc).__name__}: {exc}", str(path)) from None
    drop = _running(pages)
    body = [x for lines, _, _ in pages for x in lines if (x.page, x.top) not in drop]
    sizes = Counter()
    for x in body:
        sizes[x.size] += len(x.text)
    base = sizes.most_common(1)[0][0] if sizes else 10.0
    big = sorted({x.size for x in body if x.size >= base * 1.15 and len(x.text) <= 200}, reverse=True)
    level_of = {s: i + 1 for i, s in enumerate(big)}
    right = max((x.x1 for x in body if x.size == base), default=0)
    item_xs = sorted({round(x.bullet_x if x.bullet_x is not None else x.x0) for x in body
                      if (x.marker or _NUMBERED.match(x.text)) and x.size not in level_of and not x.bold})
    buckets: list[float] = []
    for x in item_xs:
        if not buckets or x - buckets[-1] > 6:
            buckets.append(x)

    def depth(x: float) -> int:
        return max(0, sum(1 for b in buckets if x >= b - 6) - 1)

    # the page's content in reading order: lines and tables by their top
    stream: list[tuple[int, float, Any]] = []
    for (lines, tables, _), n in zip(pages, range(1, len(pages) + 1), strict=False):
        for x in lines:
            if (x.page, x.top) not in drop:
                stream.append((n, x.top, x))
        for t in tables:
            stream.append((n, t.top, t))
    stream.sort(key=lambda s: (s[0], s[1]))

    blocks: list[Block] = []
    last_line: _Line | None = None
    last_table: _Table | None = None
    for n, _top, obj in stream:
        if isinstance(obj, _Table):
            if last_table is not None and blocks and blocks[-1].kind == "table" and obj.page == last_table.page + 1 \
                    and _merge_tables(last_table, obj):
                blocks[-1].rows = last_table.rows
                continue
            block = Block("table", where=obj.rows[0].where if obj.rows else Location(name, page=n), rows=obj.rows)
            if obj.rows and all((c.strong and c.strong == c.text.replace("\n", " ").strip()) or not c.text
                                for c in obj.rows[0].cells):
                obj.rows[0].header = True
            blocks.append(block)
            last_table, last_line = obj, None
            continue
        x: _Line = obj
        where = Location(name, page=x.page, line=x.line)
        level = level_of.get(x.size)
        numbered = _NUMBERED.match(x.text)
        if level is None and x.bold and x.size >= base * 0.95 and not x.text.rstrip().endswith(":") \
                and not x.marker and (numbered or (x.text.isupper() and len(x.text) > 3)) \
                and ": " not in x.text[:40]:
            level = len(big) + 1
        if level is not None and not x.marker:
            prev = blocks[-1] if blocks else None
            if prev is not None and prev.kind == "heading" and prev.level == level and last_line is not None \
                    and last_line.page == x.page and x.top - last_line.bottom < x.size * 1.0:
                prev.text = unglue(clean_text(prev.text + " " + x.text))
            else:
                blocks.append(Block("heading", unglue(x.text), level=level, where=where))
            last_line, last_table = x, None
            continue
        if x.marker or numbered:
            marker = x.marker
            text = x.text
            if numbered and not x.marker:
                marker = numbered.group(1)
                text = x.text[numbered.end():]
            xpos = x.bullet_x if x.bullet_x is not None else x.x0
            strong = x.strong
            if strong and numbered and not x.marker and strong.startswith(marker):
                strong = strong[len(marker):].strip() or None
            blocks.append(Block("item", unglue(text), level=depth(xpos), where=where,
                                strong=strong, marker=marker))
            last_line, last_table = x, None
            continue
        prev = blocks[-1] if blocks else None
        close = last_line is not None and (
            (last_line.page == x.page and x.top - last_line.bottom <= x.size * 0.9)
            or (last_line.page == x.page - 1 and prev is not None and prev.kind in ("item", "paragraph")
                and not (x.strong and x.strong.endswith(":"))))
        if prev is not None and prev.kind in ("item", "paragraph") and close and x.x0 >= last_line.x0 - 40:
            starts_label = bool(x.strong and re.match(r"^[^:]{1,80}:", x.strong))
            word = x.text.split(" ")[0]
            per_char = (x.x1 - x.x0) / max(len(x.text), 1)
            short = last_line.x1 + per_char * (len(word) + 1) < right - 2
            if starts_label or short:
                prev.text += "\n" + x.text
            elif prev.text.endswith("-"):
                prev.text = prev.text[:-1] + x.text if x.text[:1].islower() else prev.text + x.text
            else:
                prev.text += " " + x.text
        else:
            blocks.append(Block("paragraph", x.text, where=where, strong=x.strong))
        last_line, last_table = x, None
    return blocks, problems
