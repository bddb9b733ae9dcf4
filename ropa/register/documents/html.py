"""HTML documents as blocks (the standard library's ``html.parser``: no dependency, and it reads
fragments and broken pages as browsers do, without raising).

Headings ``h1``-``h6``; paragraphs (any text outside a list item or table, split at block
elements, ``<br>`` kept as a line break); list items with their depth; tables with their rows
(``thead`` rows and rows of ``th`` cells marked as header rows), a cell's own paragraphs and line
breaks kept as lines; a definition list's term (``dt``) is a label for the ``dd`` after it.
Bold text (``b``, ``strong``) at the start of a block or cell is its ``strong``. Scripts, styles and templates are skipped.

Example:
    >>> from ropa.register.documents.html import read_html_text
    >>> blocks = read_html_text("<h2>Actividad</h2><p><b>CIF:</b> B123<br><b>Tel:</b> 942</p>"
    ...                         "<table><tr><td>Fines:</td><td>Nóminas</td></tr></table>", "rat.html")
    >>> [(b.kind, b.text, b.strong) for b in blocks[:2]]
    [('heading', 'Actividad', None), ('paragraph', 'CIF: B123\\nTel: 942', 'CIF:')]
    >>> blocks[2].rows[0].texts
    ['Fines:', 'Nóminas']
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from .lines import clean_text, unglue
from .model import Block, Cell, Location, Row

__all__ = ["read_html_text"]

_SKIP = {"script", "style", "noscript", "template", "head", "title", "svg", "iframe", "object"}
_BLOCK = {"p", "div", "section", "article", "header", "footer", "main", "aside", "blockquote",
          "pre", "ul", "ol", "dl", "dt", "dd", "li", "form", "nav", "figure", "figcaption",
          "address", "details", "summary", "fieldset", "legend", "center", "body", "html",
          "h1", "h2", "h3", "h4", "h5", "h6", "hr", "caption"}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_VOID = {"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "embed", "source",
         "track", "wbr", "param"}


class _Reader(HTMLParser):
    def __init__(self, name: str, line_offset: int) -> None:
        super().__init__(convert_charrefs=False)
        self.name, self.line_offset = name, line_offset
        self.blocks: list[Block] = []
        self.skip = 0
        self.stack: list[str] = []
        self.lists = 0
        self.buf: list[str] = []
        self.buf_line: int | None = None
        self.strong_buf: list[str] | None = None
        self.strong: str | None = None
        self.bold = 0
        # tables (only the outermost one is a table; inner ones are text of its cell)
        self.table: Block | None = None
        self.table_depth = 0
        self.row: Row | None = None
        self.cell: list[str] | None = None
        self.cell_strong: str | None = None
        self.cell_strong_buf: list[str] | None = None
        self.in_thead = False
        self.row_all_th = True

    # -- helpers ------------------------------------------------------------------------
    def _line(self) -> int:
        return self.getpos()[0] + self.line_offset

    def _flush(self) -> None:
        text = clean_text("".join(self.buf))
        if text:
            heading = next((t for t in reversed(self.stack) if t in _HEADINGS), None)
            container = next((t for t in reversed(self.stack) if t in _BLOCK), None)
            where = Location(self.name, line=self.buf_line)
            strong = clean_text(self.strong) if self.strong else None
            if heading:
                text = unglue(" ".join(text.split("\n")))
                self.blocks.append(Block("heading", text, level=int(heading[1]), where=where))
            elif container == "dt" and "\n" not in text:
                label = text if text.rstrip().endswith((":", "：")) else text + ":"
                self.blocks.append(Block("paragraph", label, where=where, strong=label))
            elif container == "li":
                marker = "1." if self._list_kind() == "ol" else "-"
                self.blocks.append(Block("item", unglue(text), level=max(self.lists - 1, 0),
                                         where=where, strong=strong, marker=marker))
            else:
                self.blocks.append(Block("paragraph", text, where=where, strong=strong))
        self.buf, self.buf_line, self.strong, self.strong_buf = [], None, None, None

    def _list_kind(self) -> str | None:
        return next((t for t in reversed(self.stack) if t in ("ul", "ol")), None)

    def _text(self, data: str, line: int | None = None) -> None:
        if self.cell is not None:
            if self.cell_strong_buf is not None:
                self.cell_strong_buf.append(data)
            self.cell.append(data)
            return
        if self.table is not None:  # text between rows: ignored as browsers hoist it
            return
        if data.strip() and self.buf_line is None:
            self.buf_line = line if line is not None else self._line()
        if self.strong_buf is not None:
            self.strong_buf.append(data)
        self.buf.append(data)

    # -- parser callbacks -------------------------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list) -> None:
        if self.skip:
            if tag in _SKIP:
                self.skip += 1
            return
        if tag in _SKIP:
            self.skip += 1
            return
        if tag in ("br",):
            self._text("\n")
            return
        if tag == "hr":
            if self.cell is not None:
                self._text("\n")
            else:
                self._flush()
            return
        if tag in ("b", "strong"):
            self.bold += 1
            if self.cell is not None:
                if self.cell_strong is None and self.cell_strong_buf is None and not "".join(self.cell).strip():
                    self.cell_strong_buf = []
            elif self.strong is None and self.strong_buf is None and not "".join(self.buf).strip():
                self.strong_buf = []
            return
        if tag == "table":
            if self.table is not None:
                self.table_depth += 1
                self._text("\n")
                return
            self._flush()
            self.table = Block("table", where=Location(self.name, line=self._line()))
            self.table_depth = 1
            return
        if self.table is not None and self.table_depth == 1:
            if tag == "thead":
                self.in_thead = True
                return
            if tag == "tr":
                self._end_row()
                self.row = Row([], Location(self.name, line=self._line()), header=self.in_thead)
                self.row_all_th = True
                return
            if tag in ("td", "th"):
                self._end_cell()
                if self.row is None:
                    self.row = Row([], Location(self.name, line=self._line()), header=self.in_thead)
                    self.row_all_th = True
                if tag == "td":
                    self.row_all_th = False
                self.cell, self.cell_strong, self.cell_strong_buf = [], None, None
                return
        if self.cell is not None:
            if tag in _BLOCK or tag in ("tr",):
                self._text("\n")
            return
        if tag in _BLOCK:
            self._flush()
            if tag in ("ul", "ol"):
                self.lists += 1
            if tag not in _VOID:
                self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.skip:
            if tag in _SKIP:
                self.skip -= 1
            return
        if tag == "br":  # </br>, as some pages write it, is a line break too
            self._text("\n")
            return
        if tag in ("b", "strong"):
            self.bold = max(self.bold - 1, 0)
            if self.bold == 0:
                if self.cell is not None and self.cell_strong_buf is not None and self.cell_strong is None:
                    self.cell_strong = "".join(self.cell_strong_buf)
                    self.cell_strong_buf = None
                elif self.strong_buf is not None and self.strong is None:
                    self.strong = "".join(self.strong_buf)
                    self.strong_buf = None
            return
        if tag == "table" and self.table is not None:
            self.table_depth -= 1
            if self.table_depth == 0:
                self._end_row()
                self.blocks.append(self.table)
                self.table = None
                self.in_thead = False
            else:
                self._text("\n")
            return
        if self.table is not None and self.table_depth == 1:
            if tag == "thead":
                self.in_thead = False
                return
            if tag == "tr":
                self._end_row()
                return
            if tag in ("td", "th"):
                self._end_cell()
                return
        if self.cell is not None:
            if tag in _BLOCK:
                self._text("\n")
            return
        if tag in _BLOCK and tag not in _VOID:
            self._flush()
            if tag in ("ul", "ol"):
                self.lists = max(self.lists - 1, 0)
            if tag in self.stack:
                while self.stack:
                    if self.stack.pop() == tag:
                        break

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        lead = len(data) - len(data.lstrip())
        line = self._line() + data[:lead].count("\n")
        self._text(re.sub(r"[ \t\r\n\f]+", " ", data), line)

    def handle_entityref(self, name: str) -> None:
        self.handle_data(html.unescape(f"&{name};"))

    def handle_charref(self, name: str) -> None:
        self.handle_data(html.unescape(f"&#{name};"))

    def _end_cell(self) -> None:
        if self.cell is None or self.row is None:
            self.cell = None
            return
        text = clean_text("\n".join(line.strip() for line in "".join(self.cell).split("\n")))
        text = re.sub(r"\n{2,}", "\n", text)
        strong = self.cell_strong if self.cell_strong is not None else (
            "".join(self.cell_strong_buf) if self.cell_strong_buf is not None else None)
        self.row.cells.append(Cell(text, clean_text(strong) or None if strong else None))
        self.cell, self.cell_strong, self.cell_strong_buf = None, None, None

    def _end_row(self) -> None:
        self._end_cell()
        if self.row is not None and self.table is not None and self.row.cells:
            if self.row_all_th:
                self.row.header = True
            self.table.rows.append(self.row)
        self.row = None

    def close(self) -> None:
        super().close()
        self._end_row()
        if self.table is not None:
            self.blocks.append(self.table)
            self.table = None
        self._flush()


def read_html_text(text: str, name: str, line_offset: int = 0) -> list[Block]:
    """The blocks of an HTML page or fragment; ``name`` is the file name used in locations."""
    reader = _Reader(name, line_offset)
    reader.feed(text)
    reader.close()
    return reader.blocks
