"""Markdown documents as blocks, from markdown-it-py's tokens (which carry line maps).

Headings, paragraphs (soft line breaks kept as lines), list items with their depth and
marker, tables (the header row marked), and emphasis at the start of a block (``**Zweck:**``)
as the block's ``strong``. HTML written inside the Markdown is read by the HTML reader.

Example:
    >>> from ropa.register.documents.markdown import read_markdown_text
    >>> blocks = read_markdown_text("# VVT\\n\\n## Tätigkeit 1: Lohn\\n- **Zweck:** Abrechnung\\n", "vvt.md")
    >>> [(b.kind, b.level, b.text, b.strong, b.where.line) for b in blocks]
    [('heading', 1, 'VVT', None, 1), ('heading', 2, 'Tätigkeit 1: Lohn', None, 3), ('item', 0, 'Zweck: Abrechnung', 'Zweck:', 4)]
"""

from __future__ import annotations

from typing import Any

from .lines import clean_text, unglue
from .model import Block, Cell, Location, Row

__all__ = ["read_markdown_text"]


def _inline(token: Any) -> tuple[str, str | None]:
    """Plain text of an inline token, and the emphasised text it starts with."""
    out: list[str] = []
    strong: list[str] | None = None
    lead: str | None = None
    depth = 0
    for child in token.children or ():
        kind = child.type
        if kind in ("strong_open",):
            depth += 1
            if depth == 1 and lead is None and not "".join(out).strip():
                strong = []
            continue
        if kind == "strong_close":
            depth -= 1
            if depth == 0 and strong is not None and lead is None:
                lead = "".join(strong)
            continue
        if kind in ("softbreak", "hardbreak"):
            piece = "\n"
        elif kind in ("text", "code_inline"):
            piece = child.content
        elif kind == "html_inline":
            piece = "\n" if child.content.lower().startswith("<br") else ""
        elif kind == "image":
            piece = child.content or ""
        else:
            piece = ""
        out.append(piece)
        if strong is not None and lead is None:
            strong.append(piece)
    text = clean_text("".join(out))
    return text, (clean_text(lead) or None) if lead else None


def read_markdown_text(text: str, name: str) -> list[Block]:
    """The blocks of a Markdown text; ``name`` is the file name used in locations."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark").enable("table")
    tokens = md.parse(text)
    blocks: list[Block] = []
    depth = -1
    markers: list[str] = []
    item_open: list[Block | None] = []
    table: Block | None = None
    row: Row | None = None
    in_head = False
    pending_heading: tuple[int, int] | None = None

    def at(token: Any) -> Location:
        return Location(name, line=token.map[0] + 1 if token.map else None)

    for i, tok in enumerate(tokens):
        t = tok.type
        if t == "heading_open":
            pending_heading = (int(tok.tag[1]), tok.map[0] + 1 if tok.map else 0)
        elif t in ("bullet_list_open", "ordered_list_open"):
            depth += 1
        elif t in ("bullet_list_close", "ordered_list_close"):
            depth -= 1
        elif t == "list_item_open":
            mark = (tok.info + tok.markup) if tok.info else tok.markup
            markers.append(mark)
            item_open.append(None)
            item_line = at(tok)
        elif t == "list_item_close":
            markers.pop()
            item_open.pop()
        elif t == "table_open":
            table = Block("table", where=at(tok))
        elif t == "table_close":
            if table is not None:
                blocks.append(table)
            table = None
        elif t == "thead_open":
            in_head = True
        elif t == "thead_close":
            in_head = False
        elif t == "tr_open":
            row = Row([], at(tok), header=in_head)
        elif t == "tr_close":
            if table is not None and row is not None:
                table.rows.append(row)
            row = None
        elif t == "inline":
            text, strong = _inline(tok)
            parent = tokens[i - 1].type if i else ""
            if row is not None:
                row.cells.append(Cell(text, strong))
            elif pending_heading is not None:
                level, line = pending_heading
                blocks.append(Block("heading", unglue(text), level=level,
                                    where=Location(name, line=line), strong=strong))
                pending_heading = None
            elif parent == "paragraph_open" and item_open:
                current = item_open[-1]
                if current is None:
                    block = Block("item", text, level=max(depth, 0), where=item_line,
                                  strong=strong, marker=markers[-1])
                    blocks.append(block)
                    item_open[-1] = block
                else:
                    current.text = (current.text + "\n" + text).strip("\n")
            elif parent == "paragraph_open" and text:
                blocks.append(Block("paragraph", text, where=at(tokens[i - 1]), strong=strong))
        elif t in ("fence", "code_block") and tok.content.strip():
            blocks.append(Block("paragraph", clean_text(tok.content), where=at(tok)))
        elif t == "html_block" and tok.content.strip():
            from .html import read_html_text

            offset = tok.map[0] if tok.map else 0
            for block in read_html_text(tok.content, name, line_offset=offset):
                blocks.append(block)
    return blocks
