"""The text-level diff: sections matched by title and number, their paragraphs diffed, and
two sentences diffed word by word (for marking ``<del>``/``<ins>``).
"""

from __future__ import annotations

import difflib
import re
from typing import Any

import pandas as pd

from ..policy.model import section_key
from .frames import SECTION_CHANGE_COLUMNS, object_frame
from .statements import wording_key

__all__ = ["diff_policy_sections", "sections_in_place", "word_diff"]


def _section_frame(policy: Any) -> list[dict[str, str]]:
    """Sections with their text, the heading line left out (its number may change alone)."""
    out = []
    for rec in policy.sections.to_dict("records"):
        title = str(rec.get("title") or "")
        text = str(rec.get("text") or "")
        lines = text.strip("\n").splitlines()
        if lines and title and wording_key(lines[0]).endswith(wording_key(title)):
            text = "\n".join(lines[1:])
        out.append({"number": str(rec.get("number") or ""), "title": title, "text": text})
    return out


def sections_in_place(old: Any, new: Any) -> frozenset[tuple[str, str]]:
    """(old number, new number) of the sections that keep their title and their place among
    the sections both versions have: when a section is inserted above them they are
    renumbered, not moved (the longest run of titles in the same order stays in place).

    Example:
        >>> from types import SimpleNamespace as P
        >>> import pandas as pd
        >>> old = P(sections=pd.DataFrame({"number": ["1", "2", "3"], "title": ["Data", "Rights", "Cookies"]}))
        >>> new = P(sections=pd.DataFrame({"number": ["1", "2", "3", "4"], "title": ["Data", "AI", "Rights", "Cookies"]}))
        >>> sorted(sections_in_place(old, new))
        [('1', '1'), ('2', '3'), ('3', '4')]
    """
    olds, news = _section_frame(old), _section_frame(new)
    a, b = [wording_key(o["title"]) for o in olds], [wording_key(n["title"]) for n in news]
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return frozenset((olds[m.a + k]["number"], news[m.b + k]["number"])
                     for m in matcher.get_matching_blocks() for k in range(m.size) if a[m.a + k])


def _norm_ws(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


_ITEM_LINE = re.compile(r"^\s*(?:\||[-*+\u2022\u2013\u25aa]\s|\d+[.)]\s)")

_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")


def paragraphs(text: str) -> list[str]:
    """A section's text as units to diff: prose paragraphs (blank-line separated, line
    wrapping and whitespace ignored), and each table row or list item on its own."""
    units: list[str] = []
    for block in re.split(r"\n\s*\n", text):
        prose: list[str] = []
        for line in block.splitlines():
            if _TABLE_RULE.match(line):
                continue
            if _ITEM_LINE.match(line):
                if prose:
                    units.append(_norm_ws(" ".join(prose)))
                    prose = []
                units.append(_norm_ws(line))
            elif line.strip():
                prose.append(line)
        if prose:
            units.append(_norm_ws(" ".join(prose)))
    return [u for u in units if u]


def diff_policy_sections(old: Any, new: Any) -> pd.DataFrame:
    """The text-level diff of the sections whose text changed (columns :data:`SECTION_CHANGE_COLUMNS`).

    Sections are matched by title, then by number, then by similar title; ``status`` is
    changed, moved (same text, other number or title), added or removed; ``diff`` is a
    unified diff of the paragraphs (whitespace and line wrapping ignored).

    Example:
        >>> import ropa
        >>> old = ropa.load_policy("tests/data/diff/subprocessors/2025-01-01.flows.yaml")
        >>> new = ropa.load_policy("tests/data/diff/subprocessors/2025-07-01.flows.yaml")
        >>> sorted(set(ropa.diff.sections.diff_policy_sections(old, new)["status"]))  # doctest: +SKIP
        ['changed']
    """
    from rapidfuzz import fuzz

    olds, news = _section_frame(old), _section_frame(new)
    matched: list[tuple[dict | None, dict | None]] = []
    free_old = list(range(len(olds)))
    free_new = list(range(len(news)))

    def take(test) -> None:
        for j in list(free_new):
            for i in list(free_old):
                if test(olds[i], news[j]):
                    matched.append((olds[i], news[j]))
                    free_old.remove(i)
                    free_new.remove(j)
                    break

    by_title = lambda o, n: bool(o["title"]) and wording_key(o["title"]) == wording_key(n["title"])  # noqa: E731
    by_number = lambda o, n: bool(o["number"]) and o["number"] == n["number"]  # noqa: E731
    similar = lambda o, n: fuzz.token_set_ratio(wording_key(o["title"]), wording_key(n["title"])) >= 85  # noqa: E731
    for test in (by_title, by_number, similar):
        take(test)
    matched += [(olds[i], None) for i in free_old] + [(None, news[j]) for j in free_new]
    rows = []
    in_place = sections_in_place(old, new)
    for o, n in matched:
        if o is not None and n is not None:
            same_text = paragraphs(o["text"]) == paragraphs(n["text"])
            if same_text and (o["number"] == n["number"] or (o["number"], n["number"]) in in_place) \
                    and _norm_ws(o["title"]) == _norm_ws(n["title"]):
                continue  # unchanged (or only renumbered by a section added or dropped above it)
            status = "moved" if same_text else "changed"
        else:
            status = "removed" if n is None else "added"
        ot, nt = (o or {}).get("text", ""), (n or {}).get("text", "")
        diff = "\n".join(difflib.unified_diff(
            paragraphs(ot), paragraphs(nt), fromfile=f"{old.version} §{(o or {}).get('number', '')}",
            tofile=f"{new.version} §{(n or {}).get('number', '')}", lineterm="", n=1)) if status != "moved" else ""
        rows.append({"status": status, "old_number": (o or {}).get("number"), "new_number": (n or {}).get("number"),
                     "old_title": (o or {}).get("title"), "new_title": (n or {}).get("title"),
                     "old_text": ot or None, "new_text": nt or None, "diff": diff})
    rows.sort(key=lambda r: (section_key(r["new_number"] or r["old_number"]), section_key(r["old_number"])))
    return object_frame(rows, SECTION_CHANGE_COLUMNS)


_TOKEN = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)


def _push(runs: list[tuple[str, str]], op: str, text: str) -> None:
    """Add a run of text, joined to the last run when it has the same operation."""
    if not text:
        return
    if runs and runs[-1][0] == op:
        runs[-1] = (op, runs[-1][1] + text)
    else:
        runs.append((op, text))


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """The words of two sentences as ``(op, text)`` runs: ``equal``, ``delete`` or ``insert``.

    Render ``delete`` as ``<del>`` and ``insert`` as ``<ins>`` (escaping the text).

    Example:
        >>> word_diff("We use Mailchimp for email", "We use Laposta for email")
        [('equal', 'We use '), ('delete', 'Mailchimp'), ('insert', 'Laposta'), ('equal', ' for email')]
    """
    a, b = _TOKEN.findall(old or ""), _TOKEN.findall(new or "")
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    runs: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            _push(runs, "equal", "".join(a[i1:i2]))
        else:
            _push(runs, "delete", "".join(a[i1:i2]))
            _push(runs, "insert", "".join(b[j1:j2]))
    # Whitespace or one punctuation mark between two changes reads better inside them.
    merged: list[tuple[str, str]] = []
    for i, (op, text) in enumerate(runs):
        if (op == "equal" and 0 < i < len(runs) - 1 and not re.search(r"\w", text) and len(text.strip()) <= 1
                and runs[i - 1][0] != "equal" and runs[i + 1][0] != "equal"):
            merged.append(("delete", text))
            merged.append(("insert", text))
            continue
        merged.append((op, text))
    out: list[tuple[str, str]] = []
    for op, text in merged:
        _push(out, op, text)
    deletes = [t for o, t in out if o == "delete"]
    inserts = [t for o, t in out if o == "insert"]
    if deletes or inserts:
        # regroup: consecutive delete/insert runs keep delete first
        regrouped: list[tuple[str, str]] = []
        pending_del, pending_ins = "", ""
        for op, text in out:
            if op == "equal":
                if pending_del:
                    regrouped.append(("delete", pending_del))
                if pending_ins:
                    regrouped.append(("insert", pending_ins))
                pending_del = pending_ins = ""
                regrouped.append((op, text))
            elif op == "delete":
                pending_del += text
            else:
                pending_ins += text
        if pending_del:
            regrouped.append(("delete", pending_del))
        if pending_ins:
            regrouped.append(("insert", pending_ins))
        out = regrouped
    return out
