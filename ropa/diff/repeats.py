"""One change, one row: the rows of a policy diff that repeat or qualify another row.

A policy often says one new thing in several places (a section, then its "in short"
summary) and in several statements of one sentence (a collection and a disclosure read
from the same words). Each of those statements differs from the old version, but the
policy changed once. These passes run on the rows :func:`~ropa.diff.policies.diff_policies`
built, before they are sorted, and never add a row:

- :func:`fold_repeats`: a row whose every material reason announces a term ("new
  recipient: X", "new data category: Y", "new third-country transfer: Z") that a row on an
  earlier line already announced restates that change; it stays, as informational, saying where the change was reported;
- :func:`fold_repeated_grants`: a right added, or a retention stated, that a row on an
  earlier line already told (a rights list, then the same right in a regional section; a
  retention paragraph repeated word for word) is one change in the people's favour, not one
  per place;
- :func:`fold_qualifying_promises`: a new promise not to do something ("this data is never
  passed to advertisers") stated in the same paragraph as new processing of the same data
  qualifies that processing: it is not a change in the people's favour of its own, as
  nothing the old version allowed is withdrawn;
- :func:`one_edit_per_sentence`: one edit of one sentence ("choose to use" → "choose to use
  or link to") is one change, however many statements rest on that sentence;
- :func:`one_change_per_paragraph`: the sentences of one paragraph (a list item) that add
  or drop the same recipient or term, each with more of what goes with it ("we share
  device identifiers with service providers. Our service providers are given access to
  provide our services"), are one change, told in one row.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from .frames import informational
from .promises import fold_kept_promises
from .statements import Statement

__all__ = ["fold_all", "fold_qualifying_promises", "fold_repeated_grants", "fold_repeats",
           "one_change_per_paragraph", "one_edit_per_sentence"]


#: A reason that announces terms the other version never named: the row's news.
_ANNOUNCES = re.compile(r"^new (?:recipient|data category|purpose|data subject|purpose for [^:]*"
                        r"|third-country transfer):")

#: A reason that tells no change of its own (a term the other version states elsewhere, why
#: data is kept, a country inside the EEA or with an adequacy decision added): what a row may
#: say beside its news. A term named more (or less) precisely than before is not one: the
#: statement's own content changed ("City" for ads, was "Address").
_ASIDE = re.compile(r"^(?:(?:recipient|data category|purpose|data subject) (?:already stated elsewhere in "
                    r"the old version, now also here|no longer stated here, still stated elsewhere"
                    r"|named in the old text too, where no statement was read)|data kept for|country added):")


def _announced(reason: str) -> set[tuple[str, str]]:
    """The (aspect, label) pairs an announcing reason names: "new purpose for Email address:
    Marketing, Research" names the purposes Marketing and Research."""
    head, _, labels = reason.partition(": ")
    noun = re.sub(r"^new | for .*$", "", head)
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(labels):  # commas inside brackets belong to the label
        depth += (ch == "(") - (ch == ")")
        if ch == "," and depth <= 0:
            parts.append(labels[start:i])
            start = i + 1
    parts.append(labels[start:])
    return {(noun, p.strip()) for p in parts if p.strip()}


def _reasons(row: Mapping[str, Any]) -> list[str]:
    return [r for r in str(row.get("reason") or "").split("; ") if r]


def _line(row: Mapping[str, Any]) -> int:
    value = row.get("new_line") if row.get("new_line") is not None else row.get("old_line")
    return int(value) if value is not None else 10**9


def fold_repeats(rows: list[dict[str, Any]]) -> None:
    """Rows (in place) that only announce again, on a later line, terms an earlier material
    row announced become informational: the same new data category stated in a section and
    in its summary is one change. So do rows that announce again only such terms and
    otherwise say nothing material (a term restated or named more specifically beside them):
    a new purpose a policy gives all its processing is one change, not one per statement. A
    statement with any other news keeps all its rows (a known purpose for new data is part of
    a new processing), and a row with any other material reason (a retention, a transfer)
    keeps its level."""
    announced: dict[str, int] = {}  # term -> the line that announced it
    labels: dict[tuple[str, str], int] = {}  # (aspect, label) -> the line that announced it
    repeats: list[tuple[dict[str, Any], int]] = []
    news_of: dict[Any, bool] = {}  # statement -> whether some row of it brings news
    for row in sorted(rows, key=_line):
        if not row.get("material") or row.get("direction") != "adverse" or row.get("kind") == "removed":
            continue
        reasons = _reasons(row)
        terms = [str(t) for t in row.get("added") or []]
        sid = row.get("new_statement") or id(row)
        news = [r for r in reasons if _ANNOUNCES.match(r)]
        told = {pair for r in news for pair in _announced(r)}
        if (reasons and terms and len(news) == len(reasons)
                and all(announced.get(t, _line(row)) < _line(row) for t in terms)):
            repeats.append((row, min(announced[t] for t in terms)))
            news_of.setdefault(sid, False)
            continue
        if (news and told and all(r in news or _ASIDE.match(r) for r in reasons)
                and all(labels.get(p, _line(row)) < _line(row) for p in told)):
            repeats.append((row, min(labels[p] for p in told)))
            news_of.setdefault(sid, False)
            continue
        news_of[sid] = True
        for t in terms:
            announced.setdefault(t, _line(row))
        for p in told:
            labels.setdefault(p, _line(row))
    for row, first in repeats:
        if not news_of.get(row.get("new_statement") or id(row)):
            informational(row, f"already reported (line {first}): {row['reason']}")


#: A reason that tells a change in the people's favour that is the same wherever it is told.
_GRANTS = re.compile(r"^(?:right added|retention stated): ")


def _granted(reason: str) -> set[tuple[str, str]]:
    """What a granting reason tells: each right of "right added: A, B"; the whole period of
    "retention stated: ..." (a period may have commas of its own)."""
    head, _, rest = reason.partition(": ")
    if head == "retention stated":
        return {(head, rest.strip())}
    return {(head, label) for _, label in _announced(reason)}


def fold_repeated_grants(rows: list[dict[str, Any]]) -> None:
    """Rows (in place) in the people's favour that only tell again, on a later line, rights
    added or retentions stated that an earlier material row told become informational, saying
    where the change was reported. A row that tells anything else keeps its level."""
    told: dict[tuple[str, str], int] = {}
    for row in sorted(rows, key=_line):
        if not row.get("material") or row.get("direction") != "favourable" or row.get("kind") == "removed":
            continue
        reasons = _reasons(row)
        grants = [r for r in reasons if _GRANTS.match(r)]
        if not grants or not all(r in grants or _ASIDE.match(r) for r in reasons):
            continue
        keys = {k for r in grants for k in _granted(r)}
        if keys and all(told.get(k, _line(row)) < _line(row) for k in keys):
            informational(row, f"already reported (line {min(told[k] for k in keys)}): {row['reason']}")
            continue
        for k in keys:
            told.setdefault(k, _line(row))


def fold_qualifying_promises(rows: list[dict[str, Any]], statements: Mapping[str, Statement]) -> None:
    """A new negative statement (in place) that stands on the same line as a new positive
    statement of the same version sharing some of its data (or naming only personal data in
    general, "this data") qualifies that processing: informational, not a favourable change.
    ``statements`` are the new version's statements by id."""
    adverse: dict[int, set[str]] = {}
    for row in rows:
        s = statements.get(row.get("new_statement") or "")
        if (row.get("kind") == "added" and row.get("direction") == "adverse" and s is not None
                and s.positive and s.line is not None):
            adverse.setdefault(s.line, set()).update(s.data)
    for row in rows:
        s = statements.get(row.get("new_statement") or "")
        if (row.get("kind") != "added" or s is None or s.positive or s.line not in adverse
                or not str(row.get("reason") or "").startswith("new negative statement")):
            continue
        data = adverse[s.line]
        if s.data & data or not (s.data - {"user"}):
            informational(row, f"a limit on the new processing stated beside it: {row['reason']}")


def one_edit_per_sentence(rows: list[dict[str, Any]],
                          statements: Mapping[str, Statement]) -> list[dict[str, Any]]:
    """The rows without the repeats of a sentence's one edit: of material or informational
    rows with the same old and new lines and the same reason (the widening of a sentence two statements rest on), only
    the one of the sentence's first statement in the new version is kept. ``statements`` are
    the new version's statements by id."""
    def first(row: Mapping[str, Any]) -> tuple[bool, int]:
        # the organisation's own collection first (the sentence's data), then the new order
        s = statements.get(row.get("new_statement") or "")
        return (row.get("aspect") != "data_category", s.pos if s is not None else -1)

    seen: set[tuple[Any, Any, str]] = set()
    keep = set()
    for i, row in sorted(enumerate(rows), key=lambda ir: first(ir[1])):
        key = (row.get("old_line"), row.get("new_line"), str(row.get("reason") or ""))
        if row.get("level") != "wording" and None not in key[:2] and key in seen:
            continue
        seen.add(key)
        keep.add(i)
    return [row for i, row in enumerate(rows) if i in keep]


def _terms(row: Mapping[str, Any]) -> set[str]:
    """The terms a row announces: added, removed, or (a changed statement) both."""
    fields = {"added": ("added",), "removed": ("removed",)}.get(str(row.get("kind")), ("added", "removed"))
    return {str(x) for f in fields for x in row.get(f) or []}


def _place(row: Mapping[str, Any]) -> Any:
    return row.get("old_line") if row.get("kind") == "removed" else row.get("new_line")


def _same_place(row: Mapping[str, Any], other: Mapping[str, Any]) -> bool:
    """Whether two rows tell of one place: the same line (of the new version; of the old one
    for removals), and for two changed statements the same line of both versions, so that the
    rule reads the same in both directions (two statements of one new sentence may come from
    two old sentences)."""
    if row.get("kind") == other.get("kind") == "changed":
        return row.get("old_line") == other.get("old_line") and row.get("new_line") == other.get("new_line")
    return _place(row) == _place(other)


def _told_by(row: Mapping[str, Any], host: Mapping[str, Any]) -> bool:
    """Whether a changed row's new (dropped) terms are all announced by an added (removed)
    row on the same line of the new (old) version."""
    if host.get("kind") not in ("added", "removed"):
        return False
    side = "new" if host.get("kind") == "added" else "old"
    field = "added" if side == "new" else "removed"
    terms = {str(x) for x in row.get(field) or []}
    return (bool(terms) and row.get(f"{side}_line") is not None and row.get(f"{side}_line") == _place(host)
            and terms <= _terms(host))


def one_change_per_paragraph(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows with those that tell again a change of their paragraph merged into the row
    that tells it: of material or informational rows on the same line (of the new version;
    of the old one for removals), a changed statement whose new (dropped) terms a statement
    added (removed) there announces too, or a row that adds or drops the same recipient or
    term about the same aspect as an earlier row, is merged into it: its reasons and terms
    join the other's (reasons said twice once). Rows on the same line with nothing in
    common (two new recipients in one paragraph) stay two changes; the rule is the same in
    both directions, so an old-to-new diff mirrors the new-to-old one."""
    def joins(kind_a: Any, kind_b: Any) -> bool:
        return kind_a == kind_b or "changed" in (kind_a, kind_b)

    live = [r for r in rows if r.get("level") != "wording" and _place(r) is not None and _terms(r)]
    host_of: dict[int, dict[str, Any]] = {}
    for i, row in enumerate(live):
        terms = _terms(row)
        for j, other in enumerate(live):
            if j == i or not joins(row["kind"], other["kind"]):
                continue
            if not _same_place(row, other) and not (row.get("kind") == "changed" and _told_by(row, other)):
                continue
            if other.get("level") != row.get("level"):
                continue
            # a paired statement telling again what a statement added (removed) on its line
            # announces (took away)
            covers = row.get("kind") == "changed" and other.get("kind") in ("added", "removed") and _told_by(row, other)
            same = (j < i and other.get("kind") == row.get("kind") and other.get("aspect") == row.get("aspect")
                    and bool(terms & _terms(other)))
            if covers or same:
                host_of[id(row)] = other
                break

    def final(row: dict[str, Any]) -> dict[str, Any] | None:
        seen, host = {id(row)}, host_of.get(id(row))
        while host is not None and id(host) in host_of and id(host) not in seen:
            seen.add(id(host))
            host = host_of[id(host)]
        return None if host is None or id(host) in seen else host

    out = []
    for row in rows:
        host = final(row)
        if host is None:
            out.append(row)
            continue
        host["reason"] = "; ".join(dict.fromkeys([*_reasons(host), *_reasons(row)]))
        for field in ("added", "removed"):
            if host.get("kind") in (field, "changed"):
                host[field] = sorted({str(x) for x in [*(host.get(field) or []), *(row.get(field) or [])]})
    return out


def fold_all(rows: list[dict[str, Any]], new_statements: Sequence[Statement],
             old_statements: Sequence[Statement] = (), tax: Any = None) -> list[dict[str, Any]]:
    """The passes of this module on a diff's rows, then (given the old version's statements
    and the taxonomy) :func:`~ropa.diff.promises.fold_kept_promises`; ``new_statements`` are
    the new version's statements."""
    by_id = {s.sid: s for s in new_statements}
    rows = one_change_per_paragraph(one_edit_per_sentence(rows, by_id))
    fold_qualifying_promises(rows, by_id)
    if tax is not None:
        fold_kept_promises(rows, {s.sid: s for s in old_statements}, by_id, tax)
    fold_repeats(rows)
    fold_repeated_grants(rows)
    return rows

