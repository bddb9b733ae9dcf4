"""Page chrome: the furniture of the web page a policy was copied from, which states nothing.

A policy saved from its web page often keeps the page around it: the site's menu, a
breadcrumb, a language picker, a table of contents, "Back to top", the buttons of a cookie
banner, a row of social-media links, the footer's links, and sometimes the whole page body a
second time (a page that renders its text twice). Read as sentences, these give statements no
one wrote ("Privacy | Cookies | Facebook | Twitter" a disclosure to Facebook, a contents entry
"How we share your data" a share of no data) or sentences listed for review.

:func:`chrome_lines` finds them by their shape, never by the policy they come from:

- a line made only of links, or of three or more short parts between menu separators
  (``|``, ``·``, ``•``, ``>``, ``›``, ``»``): a menu, a footer row, a breadcrumb;
- a line in the words of a page control ("Skip to main content", "Back to top",
  "Accept all cookies", "Do Not Sell My Personal Information", "© 2024 ...", "Follow us on
  ...", "Share this page: ...", "Was this page helpful?");
- a paragraph or a list item that repeats one of the document's own headings: an entry of a
  table of contents, or a heading the page shows twice;
- a run of short items (a list no lead-in sentence introduces, or short paragraphs one after
  the other) whose items are, two in three at least, page names, controls, social networks,
  languages, links or headings of the document: a menu, a footer, a contents list;
- a section whose heading and text repeat an earlier section word for word.

A list that a sentence introduces ("We collect: - email address - name") is content, and so
is a table: neither is read as chrome for its short items; only a contents list whose lead is
itself the page's ("Contents", "On this page:") is.

Example:
    >>> from ropa.policy.parse import parse
    >>> text = ("# Policy\\n\\n* [Home](/)\\n* [Blog](/blog)\\n\\n## Sharing\\n\\n"
    ...         "We share your name with Parcelbird.\\n\\nPrivacy | Cookies | Facebook | Twitter\\n")
    >>> sorted(chrome_lines(parse(text, "p.md")))
    [3, 4, 10]
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..core.words import fold, word_set
from .parse import MARKDOWN_LINK, Block, ParsedPolicy, clean_inline

__all__ = ["chrome_lines", "page_control"]

#: Separators between the entries of a menu, a footer row or a breadcrumb.
_SEPARATOR = re.compile(r"\s+[|·•›»>]\s+|\s*\|\s*")

#: The numbering of a contents entry ("1.", "2.3", "a)", "IV.").
_NUMBERING = re.compile(r"^\s*\(?(?:\d{1,3}(?:\.\d{1,3})*|[a-z]|[ivx]{1,4})[.)]?\\?\.?\s+", re.I)

#: A line in the words of a page control or of the page's footer, whatever follows.
_CONTROL_LINE = re.compile(
    r"^(?:skip\s+to\b|back\s+to\s+(?:the\s+)?top\b|scroll\s+to\s+top\b|jump\s+to\b|©|\(c\)\s*(?:19|20)\d\d|"
    r"copyright\s+(?:©\s*)?(?:19|20)\d\d|all\s+rights\s+reserved\b|follow\s+us\b|connect\s+with\s+us\b|"
    r"find\s+us\s+on\b|share\s+(?:this|on)\b|was\s+this\s+(?:page|article|answer|information)\s+helpful\b|"
    r"print\s+this\s+page\b|(?:open|close)\s+(?:the\s+)?menu\b)", re.I)

#: A control run into the text after it, as pages render a heading's "Back to top" link
#: ("Back to top Security"): the heading is what follows.
_CONTROL_PREFIX = re.compile(r"^(?:back\s+to\s+(?:the\s+)?top|skip\s+to\s+(?:the\s+)?(?:main\s+)?content)\s+(?=\S)", re.I)

#: Closing marks an entry may carry ("Contact us:", "Next »").
_TRIM = " .:;,>»›<«‹|·•-–—*_#"


def _words(key: str) -> frozenset[str]:
    return word_set("page_chrome", key)


def _plain(text: str) -> str:
    """An entry as it is compared: links as their text, no markup, no numbering, folded."""
    return fold(_NUMBERING.sub("", _CONTROL_PREFIX.sub("", clean_inline(text)))).strip(_TRIM)


def _is_sentence(text: str) -> bool:
    """A clause that ends as a sentence does, or is too long to be a page's entry."""
    t = clean_inline(text).strip()
    return len(t.split()) > 8 or bool(re.search(r"[.!?]$", t) and not t.endswith("..."))


def _links_only(raw: str) -> bool:
    """A line made of links and separators only ("[Home](/) | [Blog](/blog)")."""
    return bool(MARKDOWN_LINK.search(raw)) and not MARKDOWN_LINK.sub("", raw).strip(" \t" + _TRIM + "()")


def _menu_line(raw: str) -> bool:
    """Three or more short entries (eight words at most) between menu separators ("Privacy | Cookies | Facebook")."""
    parts = [p.strip() for p in _SEPARATOR.split(clean_inline(raw)) if p.strip()]
    return len(parts) >= 3 and all(len(p.split()) <= 8 and not re.search(r"[.!?]$", p) for p in parts)


def page_control(text: str) -> bool:
    """Whether a line, alone, is a control of the page or its footer, not the policy's text:
    a line of links only, a menu or breadcrumb row, or the words of a button or a footer.

    Example:
        >>> page_control("Accept all cookies"), page_control("Home > Legal > Privacy Policy")
        (True, True)
        >>> page_control("We accept cookies from our partners."), page_control("Cookies")
        (False, False)
    """
    raw = text.strip()
    plain = _plain(raw)
    if _links_only(raw) or _menu_line(raw):
        return True
    if len(plain.split()) > 12:
        return False
    if _CONTROL_LINE.match(clean_inline(raw)):
        return True
    return len(plain.split()) >= 2 and plain in _words("controls")  # one word alone ("Cookies") may be a title


def _entry(blk: Block, headings: frozenset[str]) -> bool:
    """An entry of a menu, a footer or a contents list: short, and a page's name, a control, a
    social network, a language, a link, or a heading of the document."""
    plain = _plain(blk.raw or blk.text)
    if not plain or (_is_sentence(blk.raw or blk.text) and not _links_only(blk.raw)):
        return False
    return (plain in headings or plain in _words("controls") or plain in _words("social")
            or _links_only(blk.raw) or page_control(blk.raw or blk.text))


def _introduced(blk: Block) -> bool:
    """A list item after a sentence that leads into its list ("We collect:"), not after the
    page's own label of a list ("Contents", "On this page:")."""
    lead = blk.lead
    if lead is None:
        return False
    text = clean_inline(lead.text).strip()
    return text.endswith(":") and _plain(text) not in _words("leads") and not page_control(text)


def _chrome_run(run: Sequence[Block], headings: frozenset[str]) -> list[Block]:
    """The short items of a list of a page's entries, or the entries of a run of short lines:
    two in three of its short items (half, in a run of four or more) are entries. Its sentences
    are left to be read."""
    short = [b for b in run if _links_only(b.raw) or not _is_sentence(b.raw or b.text)]
    entries = [b for b in short if _entry(b, headings)]
    n = len(entries)
    enough = 3 * n >= 2 * len(short) or (len(short) >= 4 and 2 * n >= len(short))
    social = [b for b in entries if _plain(b.raw or b.text) in _words("social") and not _links_only(b.raw)]
    if len(short) < 2 or n < 2 or not enough or len(social) == n:
        return []  # social networks' names alone, under a heading, may be the recipients it names
    return short if run[0].kind == "item" else entries  # a list whole; of lines, the entries ("Effective as of ..." stays)


def _runs(blocks: Sequence[Block]) -> list[list[Block]]:
    """The blocks of a section as runs: a list's items together, short one-line paragraphs in a
    row together, every other block alone."""
    runs: list[list[Block]] = []
    for blk in blocks:
        prev = runs[-1][-1] if runs else None
        same_list = prev is not None and blk.kind == prev.kind == "item" and blk.group == prev.group
        short_lines = prev is not None and blk.kind == prev.kind == "para" and blk.line == blk.line_end \
            and prev.line == prev.line_end and not _is_sentence(blk.raw) and not _is_sentence(prev.raw)
        if same_list or short_lines:
            runs[-1].append(blk)
        else:
            runs.append([blk])
    return runs


def _repeated_sections(outline: ParsedPolicy) -> set[int]:
    """The lines of each section whose heading and blocks repeat an earlier section's."""
    seen: set[tuple[str, tuple[str, ...]]] = set()
    out: set[int] = set()
    for sec in outline.sections:
        key = (fold(sec.title), tuple(b.raw or b.text for b in sec.blocks))
        if sec.blocks and key in seen:
            out.update(n for b in sec.blocks for n in range(b.line, b.line_end + 1))
        seen.add(key)
    return out


def chrome_lines(outline: ParsedPolicy) -> frozenset[int]:
    """The lines of the blocks of a parsed policy that are the page's chrome (see the module):
    extraction reads no statement from them and does not count them as sentences.

    Example:
        >>> from ropa.policy.parse import parse
        >>> text = ("# Policy\\n\\nContents\\n\\n* What we collect\\n* Sharing\\n\\n## What we collect\\n\\n"
        ...         "We collect:\\n\\n* Email Address\\n* Name\\n\\n## Sharing\\n\\nBack to top\\n")
        >>> sorted(chrome_lines(parse(text, "p.md")))
        [3, 5, 6, 17]
    """
    headings = frozenset(p for sec in outline.sections if (p := _plain(sec.title)))
    out = _repeated_sections(outline)
    for sec in outline.sections:
        runs = _runs([b for b in sec.blocks if b.kind != "row"])
        for k, run in enumerate(runs):
            first = run[0]
            introduced = first.kind == "item" and _introduced(first)
            found = [] if introduced else _chrome_run(run, headings)
            if found:
                before = runs[k - 1][-1] if k else None  # the page's label of the list ("Contents")
                if before is not None and before.kind == "para" and _plain(before.text) in _words("leads"):
                    found.append(before)
            else:
                found = [b for b in run if (page_control(b.raw or b.text) and not (introduced and _links_only(b.raw)))
                         or (not introduced and _plain(b.raw or b.text) in headings
                             and not _is_sentence(b.raw or b.text))]
            out.update(n for b in found for n in range(b.line, b.line_end + 1))
    return frozenset(out)
