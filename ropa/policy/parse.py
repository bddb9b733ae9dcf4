"""Parsing a policy text into sections and blocks (paragraphs, list items, table rows).

The parser reads plain text, Markdown and (through a simple conversion) HTML. It never
fails: any text gives at least an empty outline. Line numbers always refer to the text as
given (for HTML, the line of the element a converted line came from).

Headings are recognised in this order of preference, per document:

1. Markdown headings (``## Billing``, or a line underlined with ``===``/``---``), with the
   bold lines standing alone between them (``**Requests made through agents**``) as their
   sub-headings;
2. numbered headings on a line of their own (``2.3.  Billing``, ``4. Sharing``, and
   ``4\\. Sharing`` as Markdown converters escape it): a number, a short title without
   closing punctuation, blank lines around;
3. bold lines standing alone;
4. in documents with none of these, short title-like lines standing alone.

A lone Markdown heading at the top (the document's title) does not stop the later kinds
from being looked for: many converted policies have a title and numbered sections.

Text before the first heading is section ``0`` (the introduction). Unnumbered headings are
numbered by their place in the outline (``1``, ``1.1``, ...).

Example:
    >>> from ropa.policy.parse import parse
    >>> doc = parse("Our policy\\n\\n1. Data\\n\\nWe ask you for:\\n\\n- your name\\n")
    >>> [(s.number, s.title) for s in doc.sections]
    [('1', 'Data')]
    >>> [(b.kind, b.text) for b in doc.sections[0].blocks]
    [('para', 'We ask you for:'), ('item', 'your name')]
"""

from __future__ import annotations

import bisect
import html
import itertools
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from ..core.names import strip_legal_form

__all__ = ["MARKDOWN_LINK", "Block", "ParsedPolicy", "Section", "Sentence", "block_sentences", "clean_inline", "html_to_lines",
           "looks_like_html", "parse", "split_sentences"]

# Headings end in ``(.*)$``: the closing ``#``s and spaces are stripped in code, since a lazy
# ``(.*?)[ \t]*#*[ \t]*$`` takes cubic time on a line of many spaces.
_ATX = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*)$")
_SETEXT = re.compile(r"^ {0,3}(=+|-{2,})[ \t]*$")
_RULE = re.compile(r"^ {0,3}([-*_])([ \t]*\1){2,}[ \t]*$")
_BULLET = re.compile(r"^([ \t]*)([•·▪◦‣∙●○■□*+\-–—])[ \t]+(.*)$")
_ORDERED = re.compile(r"^([ \t]*)\(?(\d{1,3}|[a-zA-Z]|[ivxIVX]{1,4})[.)][ \t]+(.*)$")  # also "(a) Email"
_NUMBERED = re.compile(r"^[ \t]*((?:\d{1,3}\.)*\d{1,3})\\?\.?[ \t]+(\S.*)$")
_TABLE_ROW = re.compile(r"^[ \t]*\|.*\|[ \t]*$")
_TABLE_SEP = re.compile(r"^[ \t]*\|?[ \t]*:?-{2,}:?[ \t]*(\|[ \t]*:?-{2,}:?[ \t]*)*\|?[ \t]*$")
_NUMBER_PREFIX = re.compile(r"^((?:\d{1,3}\.)*\d{1,3})\\?\.?[ \t]+(\S.*)$")
#: A line that is one bold span and nothing else: ``**Household requests**``.
#: A date alone ("**March 3, 2024**", "**2024-03-03**"): a changelog's entry, not a heading.
_DATE_ALONE = re.compile(r"(?:[A-Za-z]+\.?,?\s+)?(?:\d{1,2}(?:st|nd|rd|th)?\.?,?\s+)?(?:[A-Za-z]+\.?,?\s+)?"
                         r"(?:\d{1,2}(?:st|nd|rd|th)?,?\s+)?(?:19|20)\d{2}|\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}")
#: A list item that is a bold title and nothing else (``7. **HOW WE SHARE**``) reads the same:
#: converters turn a page's numbered headings into such items, their numbers often restarted.
_BOLD_LINE = re.compile(r"^(?P<indent>[ \t]*)(?P<item>\d{1,3}[.)][ \t]+|[*+-][ \t]+)?(\*\*|__)(?=\S)((?:(?!\3).)+?)(?<=\S)\3(?P<colon>:?)[ \t]*$")
_CLOSING_PUNCT = ".,;:!?"
_QUOTE = re.compile(r"^ {0,3}(?:>(?=[ \t>]|$)[ \t]?)+")  # "> text", "> > text", a lone ">"
_HTML_HINT = re.compile(r"<(?:!doctype|html|body|p|h[1-6]|ul|ol|li|table|div|section|article)\b", re.I)


@dataclass
class Block:
    """A paragraph, a list item or a table row, with the line it starts on.

    ``lead`` (items and rows) is the paragraph just before the list or table, such as
    "we ask you for:"; ``cells`` (rows) maps each header to the row's cell; ``caption`` (rows)
    is the table's caption, a row of one bold cell above the header or between rows.
    """

    kind: str
    text: str
    line: int
    line_end: int
    lead: Block | None = None
    cells: dict[str, str] | None = None
    group: int = 0
    raw: str = ""
    starts: list[tuple[int, int]] = field(default_factory=list)
    caption: str = ""


@dataclass
class Section:
    """A section: its number, title, heading level, line span and blocks."""

    number: str
    title: str
    level: int
    line_start: int
    line_end: int
    blocks: list[Block] = field(default_factory=list)
    parent: str | None = None
    empty_leads: list[Block] = field(default_factory=list)


@dataclass
class ParsedPolicy:
    """The outline of a policy text: its title, sections, and the lines they come from."""

    title: str
    sections: list[Section]
    lines: list[tuple[int, str]]
    is_html: bool = False


@dataclass
class Sentence:
    """A sentence of a block, with the line it starts on."""

    text: str
    line: int


# -- HTML ---------------------------------------------------------------------------------

class _HtmlText(HTMLParser):
    """Turns HTML into Markdown-like lines, each with the source line it came from."""

    _SKIP = frozenset({"script", "style", "head", "noscript", "template", "svg"})
    _BREAK = frozenset({"p", "div", "section", "article", "header", "footer", "main", "br", "blockquote",
              "dl", "dt", "dd", "address", "figure", "figcaption", "nav", "aside", "hr"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[tuple[int, str]] = []
        self.buf: list[str] = []
        self.buf_line = 1
        self.skip = 0
        self.lists: list[str] = []
        self.row: list[str] | None = None
        self.cell: list[str] | None = None
        self.row_is_header = False
        self.header_done = False

    def _flush(self, blank: bool = False) -> None:
        text = re.sub(r"\s+", " ", "".join(self.buf)).strip()
        if text:
            self.out.append((self.buf_line, text))
        self.buf = []
        if blank and self.out and self.out[-1][1] != "":
            self.out.append((self.getpos()[0], ""))

    def handle_starttag(self, tag: str, attrs) -> None:
        tag = tag.lower()
        if tag in self._SKIP:
            self.skip += 1
            return
        if self.skip:
            return
        line = self.getpos()[0]
        if re.fullmatch(r"h[1-6]", tag):
            self._flush(blank=True)
            self.buf = ["#" * int(tag[1]) + " "]
            self.buf_line = line
        elif tag in ("ul", "ol"):
            self._flush(blank=not self.lists)
            self.lists.append(tag)
        elif tag == "li":
            self._flush()
            self.buf = ["  " * max(len(self.lists) - 1, 0) + "- "]
            self.buf_line = line
        elif tag == "table":
            self._flush(blank=True)
            self.header_done = False
        elif tag == "tr":
            self._flush()
            self.row, self.row_is_header = [], False
            self.buf_line = line
        elif tag in ("td", "th"):
            self.cell = []
            self.row_is_header = self.row_is_header or tag == "th"
        elif tag in self._BREAK:
            self._flush(blank=tag in ("p", "div", "section", "article", "blockquote"))
            self.buf_line = line

    def handle_endtag(self, tag: str) -> None:
        tag = tag.lower()
        if tag in self._SKIP:
            self.skip = max(self.skip - 1, 0)
            return
        if self.skip:
            return
        if re.fullmatch(r"h[1-6]", tag):
            self._flush(blank=True)
        elif tag in ("ul", "ol"):
            self._flush()
            if self.lists:
                self.lists.pop()
            if not self.lists:
                self._flush(blank=True)
        elif tag == "li":
            self._flush()
        elif tag in ("td", "th") and self.cell is not None and self.row is not None:
            self.row.append(re.sub(r"\s+", " ", "".join(self.cell)).strip().replace("|", "/"))
            self.cell = None
        elif tag == "tr" and self.row is not None:
            if self.row:
                self.out.append((self.buf_line, "| " + " | ".join(self.row) + " |"))
                if self.row_is_header and not self.header_done:
                    self.out.append((self.buf_line, "|" + "---|" * len(self.row)))
                self.header_done = True
            self.row = None
        elif tag == "table":
            self._flush(blank=True)
        elif tag in self._BREAK:
            self._flush(blank=tag in ("p", "div", "section", "article", "blockquote"))

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if self.cell is not None:
            self.cell.append(data)
            return
        if (not self.buf or not "".join(self.buf).strip()) and data.strip():
            self.buf_line = self.getpos()[0] + data[: len(data) - len(data.lstrip())].count("\n")
        self.buf.append(data)


def html_to_lines(text: str) -> list[tuple[int, str]]:
    """Convert HTML to Markdown-like lines (headings, ``- `` items, ``|`` rows), each with
    its source line.

    Example:
        >>> html_to_lines("<h2>Billing</h2>\\n<p>We send invoices.</p>")
        [(1, '## Billing'), (1, ''), (2, 'We send invoices.'), (2, '')]
    """
    parser = _HtmlText()
    try:
        parser.feed(text)
        parser.close()
    except Exception:  # malformed markup: keep what was read so far
        pass
    parser._flush(blank=True)
    return parser.out


def looks_like_html(text: str, filename: str | None = None) -> bool:
    """True for ``.html``/``.htm`` files and texts made mostly of HTML elements."""
    if filename and filename.lower().endswith((".html", ".htm", ".xhtml")):
        return True
    head = text[:4000]
    return len(_HTML_HINT.findall(head)) >= 2 and head.lstrip().startswith("<")


# -- inline markup --------------------------------------------------------------------------

# Each pattern stops at the next delimiter of its kind (no ``.*`` that scans the rest of the
# line from every opening), so that a line of thousands of unclosed ``[`` or ``*`` costs
# linear time.
MARKDOWN_LINK = re.compile(r"!?\[([^\[\]\n]*)\]\([^()\n]*\)")  # a link or image, its text in group 1
_EMPH = re.compile(r"\*\*(?=\S)([^*\n]+?)(?<=\S)\*\*|__(?=\S)([^_\n]+?)(?<=\S)__|\*(?=\S)([^*\n]+?)(?<=\S)\*"
                   r"|_(?=\S)([^_\n]+?)(?<=\S)_|`(?=\S)([^`\n]+?)(?<=\S)`")


#: A Markdown backslash escape of ASCII punctuation (``\\[``, ``1\\.``), as converters write them.
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")


def _emphasised(m: re.Match[str]) -> str:
    return m.group(m.lastindex or 0)


def clean_inline(text: str) -> str:
    """Text without Markdown inline markup (links keep their text), whitespace collapsed.

    Example:
        >>> clean_inline("We use **[Hotjar](https://hotjar.com)** for  heatmaps")
        'We use Hotjar for heatmaps'
        >>> clean_inline("Keep logs no more than \\\\[NUMBER\\\\] days")
        'Keep logs no more than [NUMBER] days'
    """
    text = MARKDOWN_LINK.sub(r"\1", text)
    text = _ESCAPED.sub(r"\1", text) if "\\" in text else text
    for _ in range(2):
        text = _EMPH.sub(_emphasised, text)
    text = html.unescape(text) if "&" in text else text
    return re.sub(r"\s+", " ", text).strip()


# -- sentences --------------------------------------------------------------------------------

#: A sentence ends at a full stop (or ! ?) before a capital; also, with no space, between a
#: lower-case word and a capitalised one ("in our Terms.You may ...": a missing space).
_SENT_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9•])|(?<=[a-z]{2}[.!?])(?=[A-Z][a-z]+\s)")
_ABBREV = re.compile(r"(?:\b(?:e\.g|i\.e|etc|incl|approx|art|no|nr|vs|cf|mr|mrs|ms|dr|st|ltd|inc|co|corp|b\.v|n\.v)\.|\b[A-Z]\.)$", re.I)
_ABBREV_TAIL = 24  # characters before a full stop that can hold an abbreviation and its closing quotes


def split_sentences(text: str, line: int = 1, line_starts: list[tuple[int, int]] | None = None) -> list[Sentence]:
    """Split a block's text into sentences, each with the line it starts on.

    ``line_starts`` maps character offsets to lines ((offset, line) pairs, ascending).

    Example:
        >>> [s.text for s in split_sentences("We use DAS Incasso B.V. for this. It helps.")]
        ['We use DAS Incasso B.V. for this.', 'It helps.']
    """
    out: list[Sentence] = []
    start = 0
    for m in _SENT_END.finditer(text):
        candidate = text[start: m.start()].strip()
        # The abbreviation, if any, ends the candidate: look at its last characters only
        # (a long run of "Mr. X" would otherwise be searched again at every full stop).
        if _ABBREV.search(text[max(start, m.start() - _ABBREV_TAIL): m.start()].rstrip("\"'”’)")):
            continue
        if candidate:
            out.append(Sentence(candidate, _line_at(start, line, line_starts)))
        start = m.end()
    rest = text[start:].strip()
    if rest:
        out.append(Sentence(rest, _line_at(start, line, line_starts)))
    return out


def _line_at(offset: int, line: int, line_starts: list[tuple[int, int]] | None) -> int:
    if not line_starts:
        return line
    k = bisect.bisect_right(line_starts, offset, key=lambda pair: pair[0])
    return line_starts[k - 1][1] if k else line


# -- outline ------------------------------------------------------------------------------------

def _is_title_like(text: str, max_words: int = 12) -> bool:
    text = text.strip()
    if not text or len(text) > 90 or text[-1] in _CLOSING_PUNCT:
        return False
    words = text.split()
    if len(words) > max_words:
        return False
    first = text.lstrip("\"'“‘(")[:1]
    return first.isupper() or first.isdigit()


@dataclass
class _Heading:
    index: int
    line: int
    level: int
    number: str
    title: str
    kind: str  # atx, setext, numbered, bold, plain


def _atx_title(m: re.Match[str]) -> str:
    """A Markdown heading's title, without its closing ``#``s."""
    return m.group(2).rstrip(" \t").rstrip("#").rstrip(" \t").strip()


def _find_headings(lines: list[tuple[int, str]]) -> tuple[list[_Heading], set[int]]:
    """Headings, and the indexes of setext underline lines to skip."""
    texts = [t for _, t in lines]
    blank = [not t.strip() for t in texts]
    md: list[_Heading] = []
    underlines: set[int] = set()
    for i, t in enumerate(texts):
        m = _ATX.match(t)
        if m and _atx_title(m):
            md.append(_Heading(i, lines[i][0], len(m.group(1)), "", _atx_title(m), "atx"))
            continue
        if (i > 0 and _SETEXT.match(t) and not blank[i - 1] and (i < 2 or blank[i - 2])
                and not _BULLET.match(texts[i - 1]) and not _TABLE_ROW.match(texts[i - 1])
                and not _ATX.match(texts[i - 1])):
            level = 1 if t.strip().startswith("=") else 2
            md.append(_Heading(i - 1, lines[i - 1][0], level, "", texts[i - 1].strip(), "setext"))
            underlines.add(i)
    first_content = next((i for i, b in enumerate(blank) if not b), None)
    bold = _bold_headings(lines, blank)
    lone_title = len(md) == 1 and md[0].index == first_content and md[0].level == 1
    if md and not lone_title:
        return _merge_bold(md, bold), underlines
    later = _numbered_headings(lines, blank) or bold or _plain_headings(lines, blank, first_content)
    if lone_title:
        md[0].level = 0  # the document's title, above every section
        return [md[0], *later] if later else md, underlines
    return later, underlines


def _bold_headings(lines: list[tuple[int, str]], blank: list[bool]) -> list[_Heading]:
    """Lines that are one bold span standing alone (blank lines around) with a title's shape:
    short, no closing punctuation but a question mark or a company's legal form ("Inc.")."""
    out: list[_Heading] = []
    items: list[bool] = []
    n = len(lines)
    for i, (ln, t) in enumerate(lines):
        if blank[i] or len(t) > 200 or not (i == n - 1 or blank[i + 1]):
            continue
        m = _BOLD_LINE.match(t)
        # a line of its own: blank lines around, or (a list item) the next item's content below it
        if not m or not (i == 0 or blank[i - 1] or m.group("item")) or (len(m.group("indent")) > 3
                                                                       and not m.group("item")):
            continue
        title = clean_inline(m.group(4))
        # "**Your choices:**" heads the prose after it; not a list (it leads into it), nor after "**Title.** text"
        if m.group("colon") or title.endswith(":"):
            nxt = _neighbour(lines, blank, i, 1)
            if m.group("item") or not nxt or any(r.match(nxt) for r in (_BULLET, _ORDERED, _TABLE_ROW, _ATX, _BOLD_LINE)) \
                    or _RUN_IN.match(_neighbour(lines, blank, i, -1)):
                continue
            title = title.rstrip(":").rstrip()
        shape = title[:-1].rstrip() if title.endswith("?") else strip_legal_form(title)
        if _is_title_like(shape) and not _DATE_ALONE.fullmatch(title):
            out.append(_Heading(i, ln, 1, "", title, "bold"))
            items.append(bool(m.group("item")))
    # bold items with nothing between them are a list of bold items ("1. **Name**", "2. **Email**")
    kept = {id(h) for h in _drop_list_runs([h for h, it in zip(out, items, strict=True) if it],
                                           blank, [t for _, t in lines])}
    return [h for h, it in zip(out, items, strict=True) if not it or id(h) in kept]


_RUN_IN = re.compile(r"^[ \t]*(\*\*|__)(?=\S)(?:(?!\1).){1,100}?(?<=\S)\1[.:]?[ \t]+\S")  # "**Cookies.** We ..."


def _neighbour(lines: list[tuple[int, str]], blank: list[bool], i: int, step: int) -> str:
    """The nearest line of text after (``step`` 1) or before (-1) line ``i``, or ``""``."""
    j = i + step
    while 0 <= j < len(lines) and blank[j]:
        j += step
    return lines[j][1] if 0 <= j < len(lines) else ""


def _merge_bold(md: list[_Heading], bold: list[_Heading]) -> list[_Heading]:
    """Markdown headings with the bold lines between them (numbered in :func:`_number_headings`
    as sub-headings of the heading before them)."""
    return sorted([*md, *bold], key=lambda h: h.index) if bold else md


def _numbered_headings(lines: list[tuple[int, str]], blank: list[bool]) -> list[_Heading]:
    texts = [t for _, t in lines]
    n = len(lines)
    numbered: list[_Heading] = []
    for i, t in enumerate(texts):
        m = _NUMBERED.match(t)
        if not m:
            continue
        before_blank = i == 0 or blank[i - 1]
        after_blank = i == n - 1 or blank[i + 1]
        title = m.group(2).rstrip(" \t")
        # (a bare number past 99 opens a street address, "605 Castro Street", not a section)
        if before_blank and after_blank and _is_title_like(title) and not (m.group(1).isdigit() and int(m.group(1)) > 99):
            number = m.group(1)
            numbered.append(_Heading(i, lines[i][0], number.count(".") + 1, number, clean_inline(title), "numbered"))
    return _drop_list_runs(numbered, blank, texts)


def _plain_headings(lines: list[tuple[int, str]], blank: list[bool], first_content: int | None) -> list[_Heading]:
    texts = [t for _, t in lines]
    n = len(lines)
    plain: list[_Heading] = []
    for i, t in enumerate(texts):
        if i == first_content or blank[i]:
            continue
        before_blank = i == 0 or blank[i - 1]
        after_blank = i == n - 1 or blank[i + 1]
        if (before_blank and after_blank and _is_title_like(t, 10) and not _BULLET.match(t)
                and not _TABLE_ROW.match(t) and not _ORDERED.match(t)
                and i + 2 < n and not blank[i + 2]
                and not _is_title_like(texts[i + 2], 10)):
            plain.append(_Heading(i, lines[i][0], 1, "", clean_inline(t.strip()), "plain"))
    return plain


def _drop_list_runs(cands: list[_Heading], blank: list[bool], texts: list[str]) -> list[_Heading]:
    """Numbered lines with nothing between them are a list ("1. Name", "2. Email"), not headings."""
    if len(cands) < 2:
        return cands
    drop: set[int] = set()
    for a, b in itertools.pairwise(cands):
        between = [t for t, bl in zip(texts[a.index + 1: b.index], blank[a.index + 1: b.index], strict=True) if not bl]
        if not between and a.level == b.level:
            drop.update({a.index, b.index})
    return [c for c in cands if c.index not in drop]


def _number_headings(heads: list[_Heading]) -> None:
    """Give unnumbered headings outline numbers; take a number written in the title. A bold
    line without a number is a sub-heading of the heading before it (``3`` → ``3.1``)."""
    if not heads:
        return
    for h in heads:
        if h.kind in ("atx", "setext", "bold"):
            title = clean_inline(h.title)
            m = _NUMBER_PREFIX.match(title)
            if m and _is_title_like(m.group(2)):
                h.number, h.title = m.group(1), clean_inline(m.group(2))
                h.level = h.number.count(".") + 1
            else:
                h.title = title
    written = {id(h) for h in heads if h.number}
    outline = [h for h in heads if h.kind != "bold" or h.number] or heads
    base = min(h.level for h in outline)
    taken = {h.number for h in heads if h.number}
    counters: list[int] = []
    parent: _Heading | None = None
    sub = 0
    for h in heads:
        # a sub-heading of a numbered heading: a bold line, or a deeper unnumbered Markdown heading
        if not h.number and parent is not None and (
                h.kind == "bold" or (id(parent) in written and h.level > parent.level)):
            sub += 1
            while f"{parent.number}.{sub}" in taken:
                sub += 1
            h.number, h.level = f"{parent.number}.{sub}", parent.level + 1
            taken.add(h.number)
            continue
        parent, sub = h, 0
        if h.number:
            continue
        depth = max(0, h.level - base)
        counters = counters[: depth + 1]
        while len(counters) < depth + 1:
            counters.append(0)
        counters[depth] += 1
        h.number = ".".join(str(c) for c in counters if c > 0) or "1"
        while h.number in taken:
            counters[depth] += 1
            h.number = ".".join(str(c) for c in counters if c > 0)
        taken.add(h.number)
        h.level = h.number.count(".") + 1


#: Unicode spaces that policies copied from web pages are full of, and control characters.
_SPACES = {c: " " for c in (0xA0, 0x1680, *range(0x2000, 0x200B), 0x202F, 0x205F, 0x3000, 0x09)}
_SPACES.update({c: None for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F, 0x200B, 0xFEFF)})


def _normalise_line(text: str) -> str:
    return text.translate(_SPACES)


_MARKER_ALONE = re.compile(r"^[ \t]*(\*\*|__)[ \t]*\\?[ \t]*$")  # "**" alone on its line (a line break after it)


def _rejoin_markers(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Put a bold marker that a line break left alone on its line ("**", then "Title**") back on
    the text it opens (the next line) or closes (the line before); with text on both sides it stays."""
    lines, n = list(lines), len(lines)
    out: list[tuple[int, str]] = []
    for i, (ln, t) in enumerate(lines):
        m = _MARKER_ALONE.match(t)
        before, after = i > 0 and bool(lines[i - 1][1].strip()), i + 1 < n and bool(lines[i + 1][1].strip())
        if m and after and not before and not _MARKER_ALONE.match(lines[i + 1][1]):
            ln2, t2 = lines[i + 1]
            lines[i + 1] = (ln2, t2[:len(t2) - len(t2.lstrip())] + m.group(1) + t2.lstrip())
            continue
        if m and before and not after and out and out[-1][0] == lines[i - 1][0]:
            out[-1] = (out[-1][0], out[-1][1].rstrip().rstrip("\\").rstrip() + m.group(1))
            continue
        out.append((ln, t))
    return out


def parse(text: str, filename: str | None = None) -> ParsedPolicy:
    """Parse a policy text into its title and sections of blocks. Never raises on content.

    Example:
        >>> doc = parse("# Privacy\\n\\n## Sharing\\n\\n| Provider | Location |\\n|---|---|\\n| Stripe | US |\\n")
        >>> doc.title, [s.title for s in doc.sections]
        ('Privacy', ['Sharing'])
        >>> doc.sections[0].blocks[0].cells
        {'Provider': 'Stripe', 'Location': 'US'}
    """
    text = text if isinstance(text, str) else ""
    is_html = looks_like_html(text, filename)
    if is_html:
        lines = html_to_lines(text)
    else:
        raw = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        # A quoted passage ("> text") is text like any other; a lone ">" ends its paragraph.
        lines = [(i + 1, _QUOTE.sub("", t)) for i, t in enumerate(raw)]
    lines = _rejoin_markers([(ln, _normalise_line(t)) for ln, t in lines])
    heads, underlines = _find_headings(lines)

    # The document title: a single top-level Markdown heading first (or one naming the notice), or a short first line.
    title = ""
    first_content = next((i for i, (_, t) in enumerate(lines) if t.strip()), None)
    if heads and heads[0].kind in ("atx", "setext") and heads[0].index == first_content and (
            heads[0].level == 0
            or (heads[0].level == 1 and (sum(1 for h in heads if h.level == 1 and h.kind != "bold") == 1 or re.search(r"\b(?:privacy|data\s+protection)\s+(?:policy|notice|statement)\W*$", heads[0].title, re.I)))):
        title = clean_inline(heads[0].title)
        heads = heads[1:]
    elif first_content is not None and (not heads or heads[0].index != first_content):
        cand = lines[first_content][1].strip()
        nxt = first_content + 1
        if _is_title_like(cand) and (nxt >= len(lines) or not lines[nxt][1].strip()):
            title = clean_inline(cand.lstrip("#").strip())
    _number_headings(heads)

    sections: list[Section] = []
    bounds = [h.index for h in heads] + [len(lines)]
    intro_start = first_content
    if title and first_content is not None:
        intro_start = first_content + 1
    if intro_start is not None and (not heads or intro_start < heads[0].index):
        end = heads[0].index if heads else len(lines)
        body = _blocks(lines[intro_start:end], underlines, intro_start)
        if body:
            sections.append(Section("0", "Introduction", 1, body[0].line, _last_line(lines, intro_start, end),
                                    body))
    for k, h in enumerate(heads):
        start, end = h.index, bounds[k + 1]
        body = _blocks(lines[start + 1: end], underlines | {start + 1} if h.kind == "setext" else underlines,
                       start + 1)
        sec = Section(h.number, h.title, h.level, h.line, _last_line(lines, start, end), body)
        sections.append(sec)
    _link_parents(sections)
    for sec in sections:
        leads = {id(o.lead) for o in sec.blocks if o.lead is not None}
        sec.empty_leads = [b for b in sec.blocks if b.kind == "para" and b.text.endswith(":")
                           and id(b) not in leads]
    return ParsedPolicy(title=title, sections=sections, lines=lines, is_html=is_html)


def _last_line(lines: list[tuple[int, str]], start: int, end: int) -> int:
    for i in range(end - 1, start - 1, -1):
        if lines[i][1].strip():
            return lines[i][0]
    return lines[start][0] if start < len(lines) else 1


def _link_parents(sections: list[Section]) -> None:
    numbers = {s.number for s in sections}
    stack: list[Section] = []
    for sec in sections:
        if sec.number == "0":
            continue
        if "." in sec.number:
            prefix = sec.number.rsplit(".", 1)[0]
            while prefix and prefix not in numbers and "." in prefix:
                prefix = prefix.rsplit(".", 1)[0]
            sec.parent = prefix if prefix in numbers else None
        else:
            while stack and stack[-1].level >= sec.level:
                stack.pop()
            sec.parent = stack[-1].number if stack and sec.level > 1 else None
        stack.append(sec)


def _blocks(lines: list[tuple[int, str]], skip: set[int], offset: int) -> list[Block]:
    """Paragraphs, list items and table rows of a section body."""
    blocks: list[Block] = []
    para: list[tuple[int, str]] = []
    item: list[tuple[int, str]] = []
    table: list[tuple[int, str]] = []
    state: dict[str, Any] = {"group": 0, "lead": None, "blank": False, "hard": None}

    def add(kind: str, parts: list[tuple[int, str]], **kw) -> None:
        text, starts = _join(parts)
        blocks.append(Block(kind, clean_inline(text), parts[0][0], parts[-1][0], raw=text, starts=starts, **kw))

    def flush() -> None:
        if para:
            add("para", para)
            para.clear()
        if item:
            add("item", item, lead=state["lead"], group=state["group"])
            item.clear()
        if table:
            _table_blocks(table, blocks, state)
            table.clear()

    for k, (ln, t) in enumerate(lines):
        if (offset + k) in skip:
            continue
        if not t.strip() and item:
            # A blank line inside a list item does not end it yet: a paragraph indented to the
            # item's content column goes on with the item (CommonMark); anything else ends it.
            state["blank"] = True
            continue
        if not t.strip() or _RULE.match(t):
            flush()
            state["blank"] = True
            continue
        if _TABLE_ROW.match(t) or (table and _TABLE_SEP.match(t)):
            if not table:
                flush()
            table.append((ln, t))
            state["blank"] = False
            continue
        bullet = _BULLET.match(t)
        ordered = None if bullet or para else _ORDERED.match(t)
        m = bullet or ordered
        if m:
            continuing = bool(item) or (blocks and blocks[-1].kind == "item" and not para)
            flush()
            if not continuing:
                state["group"] += 1
                state["lead"] = blocks[-1] if blocks and blocks[-1].kind == "para" else None
            item.append((ln, m.group(3)))
            state["col"] = _width(t[:m.start(3)])
            state["blank"] = False
            continue
        if item and state["blank"] and _width(t[:len(t) - len(t.lstrip())]) >= state.get("col", 0) > 0:
            item.append((ln, t.strip()))
            state["blank"] = False
            continue
        if item and not state["blank"]:
            item.append((ln, t.strip()))
            continue
        if item:
            flush()
        if table:
            flush()
        if t.endswith("  ") and len(t.strip().split()) <= 25 and not t.strip().endswith((".", ":", ";", ",")):
            # A short line ending in a Markdown line break stands alone, as an item of the
            # paragraph before it (a row of a table written as text, an address line), not as
            # part of a sentence with the next line.
            if para:
                flush()
            if not (blocks and blocks[-1].kind == "item" and state.get("hard") == state["group"]):
                state["group"] += 1
                state["hard"] = state["group"]
                state["lead"] = blocks[-1] if blocks and blocks[-1].kind == "para" else None
            add("item", [(ln, t.strip())], lead=state["lead"], group=state["group"])
            state["blank"] = False
            continue
        para.append((ln, t.strip()))
        state["blank"] = False
    flush()
    return blocks


def _table_blocks(table: list[tuple[int, str]], blocks: list[Block], state: dict) -> None:
    """The rows of a pipe table as ``row`` blocks mapping header to cell.

    A first row that holds one cell or none (a caption, "| **Data we receive** | | |", or an
    empty row) is no header when the row after it is all bold labels: that row is the header,
    the caption the table's. A row of one bold cell between rows captions the rows after it.
    Captions and headers are never rows.
    """
    state["group"] += 1
    lead = blocks[-1] if blocks and blocks[-1].kind == "para" else None
    has_header = len(table) > 1 and _TABLE_SEP.match(table[1][1]) is not None
    raw_rows = [(ln, [c.strip() for c in t.strip().strip("|").split("|")]) for ln, t in table if not _TABLE_SEP.match(t)]
    if not raw_rows:
        return
    rows = [(ln, [clean_inline(c) for c in cells]) for ln, cells in raw_rows]
    caption = ""
    if has_header:
        header, body, raw_body = rows[0][1], rows[1:], raw_rows[1:]
        if sum(1 for c in header if c) <= 1 and raw_body and _labels_row(raw_body[0][1]):
            caption = _CAPTION_BREAK.sub(" ", next((c for c in header if c), ""))
            header, body, raw_body = body[0][1], body[1:], raw_body[1:]
        header = [h or f"column {i + 1}" for i, h in enumerate(header)]  # empty headers, each its own
    else:
        header, body, raw_body = [f"column {i + 1}" for i in range(len(rows[0][1]))], rows, raw_rows
    for (ln, cells), (_, raw_cells) in zip(body, raw_body, strict=True):
        if len(header) > 1 and sum(1 for c in cells if c) == 1 and _labels_row(raw_cells, least=1):
            caption = _CAPTION_BREAK.sub(" ", next(c for c in cells if c))  # "| **Collected when you use the app** | | |"
            continue
        cells = (cells + [""] * len(header))[: len(header)]
        text = " | ".join(c for c in cells if c)
        blocks.append(Block("row", text, ln, ln, lead=lead, cells=dict(zip(header, cells, strict=True)),
                            group=state["group"], raw=" | ".join(cells), caption=caption))


#: Line breaks in a caption's cell ("<br><br>").
_CAPTION_BREAK = re.compile(r"(?:\s*<br\s*/?>\s*)+", re.I)

#: A table cell that is bold and nothing else ("**Categories**", "__Purpose__").
_BOLD_CELL = re.compile(r"^(\*\*|__)(?=\S)(?:(?!\1).){1,200}(?<=\S)\1$")


def _labels_row(cells: list[str], least: int = 2) -> bool:
    """Whether a table row's filled cells, at least ``least`` of them, are all bold labels."""
    filled = [c for c in cells if c]
    return len(filled) >= least and all(_BOLD_CELL.match(c) for c in filled)


def _width(prefix: str) -> int:
    """The columns a line's prefix (its indentation, a list marker) takes, a tab as four."""
    return len(prefix.expandtabs(4))


def _join(lines: list[tuple[int, str]]) -> tuple[str, list[tuple[int, int]]]:
    parts, starts, offset = [], [], 0
    for ln, t in lines:
        starts.append((offset, ln))
        parts.append(t)
        offset += len(t) + 1
    return " ".join(parts), starts


def block_sentences(block: Block) -> list[Sentence]:
    """The sentences of a block, each with its own line."""
    if block.kind == "row":
        return [Sentence(block.text, block.line)]
    # Offsets refer to the raw text; inline cleaning changes lengths a little, and the
    # line of a sentence is a pointer for the reader.
    return split_sentences(block.text, block.line, block.starts if len(block.starts) > 1 else None)
