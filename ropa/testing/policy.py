"""Policies: statements, the plain text they are rendered to, and pairs of versions.

In: the taxonomy and, optionally, a register whose flows the statements speak of. Out:
:func:`policies` (a :class:`ropa.Policy`), :func:`policy_versions` and
:class:`PolicyVersions` (old, new and the changes between them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, NamedTuple

import pandas as pd
from hypothesis import strategies as st

from ..core.lists import join_words
from ..core.taxonomy import Taxonomy
from ..policy.model import Policy, sections_frame, statements_frame
from ..register.model import Register
from .vocabulary import ORG_NAMES, key_lists, pick, pools_for, taxonomy_or_default

__all__ = ["PolicyVersions", "policies", "policy_versions"]


# -- statements and their sentences ------------------------------------------------------

_SECTION_TITLES = {
    "collect": "What we collect", "use": "How we use your data", "share": "Who receives your data",
    "transfer": "Transfers outside the EEA", "retain": "How long we keep your data",
    "track": "Cookies and tracking", "not_share": "What we never do", "not_collect": "What we never do",
    "inform": "Your rights",
}
_SECTION_ORDER = ("collect", "use", "share", "transfer", "track", "retain", "not_share", "not_collect", "inform")

#: Sentence templates per action, several wordings each (a rewording keeps the meaning).
_TEMPLATES: dict[str, tuple[str, ...]] = {
    "collect": ("We collect your {data} when you are our {subjects}, to {purposes}.",
                "When you are our {subjects}, we ask you for your {data} so that we can {purposes}.",
                "We gather your {data} from you as our {subjects}, in order to {purposes}."),
    "use": ("We use your {data} to {purposes}.",
            "Your {data} is used to {purposes}.",
            "We process your {data} so that we can {purposes}."),
    "share": ("We share your {data} with {recipients} to {purposes}.",
              "{recipients_cap} receives your {data} from us, to {purposes}.",
              "We pass your {data} on to {recipients} so that we can {purposes}."),
    "transfer": ("{recipients_cap} stores your {data} in {countries}.",
                 "Your {data} is transferred to {recipients} in {countries}.",
                 "We send your {data} to {recipients}, who keep it in {countries}."),
    "track": ("{recipients_cap} places cookies on our website to record your {data} and {purposes}.",
              "Our website lets {recipients} track your {data} to {purposes}.",
              "Through cookies, {recipients} collects your {data} to {purposes}."),
    "retain": ("We keep your {data} for {retention}.",
               "Your {data} is retained for {retention}.",
               "We store your {data} for a period of {retention}."),
    "not_share": ("We never share your {data} with {recipients}, unless {exceptions}.",
                  "We do not pass your {data} to {recipients}, except {exceptions}.",
                  "Your {data} is not given to {recipients}, unless {exceptions}."),
    "not_collect": ("We do not collect your {data}.",
                    "We never ask for your {data}.",
                    "Your {data} is not collected by us."),
    "inform": ("You have the {rights}.",
               "You may exercise the {rights} at any time.",
               "We respect your {rights}."),
}
_EXCEPTION_TEXT = {"consent": "you consent to it", "legal_obligation": "the law requires us to",
                   "contract": "it is needed for your contract", "vital_interests": "your life is at stake"}
_RETENTION_TEXT = {"P7Y": "seven years", "P2Y": "two years", "P1Y": "one year", "P6M": "six months",
                   "P30D": "thirty days", "P18M": "eighteen months"}


class _Vocabulary(NamedTuple):
    categories: list[str]
    uses: list[str]
    subjects: list[str]
    recipients: list[str]     # entity keys: recipient ids or recipient-category keys
    names: dict[str, str]     # entity key -> name used in the text
    countries: list[str]
    rights: list[str]


def _vocabulary(tax: Taxonomy, register: Register | None) -> _Vocabulary:
    pools = pools_for(tax)
    if register is not None and len(register.activities):
        a = register.activities

        def values(col: str) -> list[str]:
            return sorted({str(v) for cell in a[col] for v in cell if v})

        cats = [c for c in values("data_categories") if tax.known("data_category", [c])[0]] or pools.plain_categories
        uses = [u for u in values("purposes") if tax.known("data_use", [u])[0]] or pools.uses
        subjects = [s for s in values("data_subjects") if tax.known("data_subject", [s])[0]] or pools.subjects
        names = {r: str(n or r) for r, n in zip(register.recipients["recipient_id"], register.recipients["name"],
                                               strict=True) if r}
        used = [r for r in values("recipients") if r != "none" and (r in names or tax.known("recipient", [r])[0])]
        recipients = used or sorted(names) or pools.third_party_categories
        countries = sorted({str(c) for c in register.recipients["country"] if c and c not in pools.eea}) \
            or pools.third_common
        tax = register.taxonomy
    else:
        cats, uses, subjects = pools.plain_categories, pools.uses, pools.subjects
        recipients, names, countries = pools.third_party_categories, {}, pools.third_common
    for r in recipients:
        names.setdefault(r, tax.label("recipient", r) if tax.known("recipient", [r])[0] else r)
    return _Vocabulary(cats, uses, subjects, recipients, names, countries, tax.keys("right"))


def _statement(draw, vocab: _Vocabulary, tax: Taxonomy) -> dict[str, Any]:
    action = draw(pick(["collect"] * 3 + ["use"] * 2 + ["share"] * 3 + ["transfer", "track", "retain",
                                                                                      "not_share", "not_collect",
                                                                                      "inform"]))
    rec: dict[str, Any] = {"actor": "we", "action": action, "data_categories": [], "data_subjects": [],
                           "purposes": [], "recipients": [], "countries": [], "legal_bases": [],
                           "retention": "", "condition": "", "consent": False, "exceptions": [], "rights": []}
    if action == "inform":
        rec["rights"] = draw(key_lists(tuple([r for r in vocab.rights if r != "right"] or vocab.rights), 1, 2))
    else:
        rec["data_categories"] = draw(key_lists(tuple(vocab.categories), 1, 3))
    if action in ("collect", "use", "share", "track"):
        rec["purposes"] = draw(key_lists(tuple(vocab.uses), 1, 2))
    if action == "collect":
        rec["data_subjects"] = draw(key_lists(tuple(vocab.subjects), 1, 2))
        rec["recipients"] = ["we"]
        if draw(st.integers(0, 3)) == 0:
            rec["legal_bases"] = [draw(pick(tax.keys("legal_basis")))]
            rec["consent"] = rec["legal_bases"] == ["art6_1_a"]
    if action in ("share", "transfer", "track", "not_share"):
        rec["recipients"] = draw(key_lists(tuple(vocab.recipients), 1, 2))
    if action in ("transfer", "track"):
        rec["actor"] = rec["recipients"][0] if action == "track" else "we"
    if action == "transfer":
        rec["countries"] = draw(key_lists(tuple(vocab.countries), 1, 2))
    if action == "retain":
        rec["retention"] = draw(pick(sorted(_RETENTION_TEXT)))
    if action == "not_share":
        rec["exceptions"] = draw(key_lists(tuple(sorted(_EXCEPTION_TEXT)), 1, 2))
    rec["wording"] = draw(st.integers(0, len(_TEMPLATES[action]) - 1))
    return rec


def _statements(draw, vocab: _Vocabulary, tax: Taxonomy, min_size: int, max_size: int) -> list[dict]:
    """Statements that all say something different."""
    out: list[dict] = []
    seen: set[tuple] = set()
    target = draw(st.integers(min_size, max_size))
    for _ in range(target * 3):
        if len(out) >= target:
            break
        rec = _statement(draw, vocab, tax)
        if _content(rec) not in seen:
            seen.add(_content(rec))
            out.append(rec)
    return out


def _sentence(rec: dict[str, Any], vocab: _Vocabulary, tax: Taxonomy) -> str:
    def labels(kind: str, keys: Sequence[str]) -> list[str]:
        return [tax.label(kind, k).lower() if tax.known(kind, [k])[0] else k for k in keys]

    recipients = join_words([vocab.names.get(r, r) for r in rec["recipients"]])
    fields = {
        "data": join_words(labels("data_category", rec["data_categories"])),
        "subjects": join_words(labels("data_subject", rec["data_subjects"])),
        "purposes": join_words(labels("data_use", rec["purposes"])),
        "recipients": recipients,
        "recipients_cap": recipients[:1].upper() + recipients[1:],
        "countries": join_words([tax.country_name(c) for c in rec["countries"]]),
        "retention": _RETENTION_TEXT.get(rec["retention"], rec["retention"]),
        "exceptions": " or ".join(_EXCEPTION_TEXT[e] for e in rec["exceptions"]),
        "rights": join_words(labels("right", rec["rights"])) or "rights",
    }
    return " ".join(_TEMPLATES[rec["action"]][rec["wording"]].format(**fields).split())  # one line


def _render(version: str, org_name: str, sections: list[tuple[str, list[dict]]], vocab: _Vocabulary,
            tax: Taxonomy) -> Policy:
    """Number the sections, write the text and give every statement its quote and line."""
    day = dt.date.fromisoformat(version)
    org_name = " ".join(org_name.split()) or "Our"
    lines = [f"{org_name} Privacy Policy", "",
             f"The last changes to this Privacy Policy were made on {day:%d-%m-%Y}.", ""]
    section_rows, statement_rows = [], []
    for number, (title, statements) in enumerate(sections, start=1):
        start = len(lines) + 1
        lines += [f"{number}. {title}", ""]
        for k, rec in enumerate(statements, start=1):
            sentence = _sentence(rec, vocab, tax)
            lines += [sentence, ""]
            row = {key: value for key, value in rec.items() if key != "wording"}
            row.update(statement_id=f"s{number}-{k}", section=str(number), section_title=title,
                       quote=sentence, line=len(lines) - 1, origin="reviewed")
            statement_rows.append(row)
        body = "\n".join(lines[start + 1:]).strip()
        section_rows.append({"number": str(number), "title": title, "level": 1, "text": body,
                             "line_start": start, "line_end": len(lines) - 1})
    text = "\n".join(lines).rstrip() + "\n"
    meta = {"title": f"{org_name} Privacy Policy", "stated_date": version, "controller": [org_name]}
    return Policy(version=version, sections=sections_frame(section_rows),
                  statements=statements_frame(statement_rows), meta=meta, origin="reviewed", text=text)


def _group(statements: list[dict]) -> list[tuple[str, list[dict]]]:
    titles: dict[str, list[dict]] = {}
    for action in _SECTION_ORDER:
        for rec in statements:
            if rec["action"] == action:
                titles.setdefault(_SECTION_TITLES[action], []).append(rec)
    return list(titles.items())


# -- policies and versions ----------------------------------------------------------------

_VERSIONS = st.dates(min_value=dt.date(2018, 5, 25), max_value=dt.date(2026, 12, 31))


@st.composite
def policies(
    draw,
    register: Register | None = None,
    *,
    min_statements: int = 1,
    max_statements: int = 12,
    version: str | None = None,
    taxonomy: Taxonomy | None = None,
) -> Policy:
    """A :class:`ropa.Policy`: statements and the plain text they are rendered to.

    The text has a title, the date of the last change, and numbered sections grouped by
    what the statements do (collect, use, share, transfer, track, retain, the negations,
    the rights). Each statement's ``quote`` is its sentence and ``line`` the sentence's
    line in ``policy.text``, so an extractor can be checked against the statements.

    Args:
        register: when given, statements speak of its data categories, purposes, data
            subjects and recipients (by their names), so that consistency checks have
            flows to match; otherwise of any taxonomy keys.
        min_statements, max_statements: how many statements.
        version: the version date (YYYY-MM-DD); drawn when not given.
        taxonomy: the taxonomy (default: the register's, else ``ropa.default_taxonomy()``).

    Example:
        >>> from hypothesis import given
        >>> from ropa.testing import policies
        >>> @given(policies())
        ... def test_every_quote_is_in_the_text(pol):
        ...     assert all(q in pol.text for q in pol.statements["quote"])
        >>> test_every_quote_is_in_the_text()
    """
    tax = taxonomy or (register.taxonomy if register is not None else taxonomy_or_default(None))
    vocab = _vocabulary(tax, register)
    statements = _statements(draw, vocab, tax, min_statements, max_statements)
    version = version or draw(_VERSIONS).isoformat()
    org_name = register.name if register is not None else draw(pick(ORG_NAMES))
    return _render(version, org_name, _group(statements), vocab, tax)


class PolicyVersions(NamedTuple):
    """Two versions of a policy and what changed between them.

    ``changes`` has one row per change: ``change`` (``added``, ``removed``, ``reworded``,
    ``changed``, ``moved``), ``old_statement_id``, ``new_statement_id`` (``None`` where
    absent), ``material`` (True when the substance changed: a new or dropped data flow, a
    new recipient, data category or purpose; False for rewording and moving) and ``detail``.
    The version date always moves forward.
    """

    old: Policy
    new: Policy
    changes: pd.DataFrame


@st.composite
def policy_versions(
    draw,
    register: Register | None = None,
    *,
    max_changes: int = 4,
    taxonomy: Taxonomy | None = None,
) -> PolicyVersions:
    """An old and a new version of one policy, and the list of the changes made.

    Changes drawn: a statement added, removed, reworded (same meaning, other words),
    changed (a new data category or recipient in it) or moved to another section.

    Example:
        >>> from hypothesis import given
        >>> from ropa.testing import policy_versions
        >>> @given(policy_versions())
        ... def test_new_is_later(pair):
        ...     assert pair.new.version > pair.old.version
        >>> test_new_is_later()
    """
    tax = taxonomy or (register.taxonomy if register is not None else taxonomy_or_default(None))
    vocab = _vocabulary(tax, register)
    statements = _statements(draw, vocab, tax, 2, 10)
    old_day = draw(st.dates(min_value=dt.date(2018, 5, 25), max_value=dt.date(2025, 12, 31)))
    new_day = old_day + dt.timedelta(days=draw(st.integers(1, 365)))
    org_name = register.name if register is not None else draw(pick(ORG_NAMES))
    for i, rec in enumerate(statements):
        rec["_key"] = i
    old = _render(old_day.isoformat(), org_name, _group(statements), vocab, tax)
    old_ids = {rec["_key"]: sid for rec, sid in zip(_flatten(_group(statements)), old.statements["statement_id"],
                                                    strict=True)}
    new_statements = [dict(rec) for rec in statements]
    log: list[dict[str, Any]] = []
    kinds = draw(st.lists(st.sampled_from(["added", "removed", "reworded", "changed", "moved"]),
                          min_size=1, max_size=max_changes))
    touched: set[int] = set()
    next_key = len(statements)
    for kind in kinds:
        free = [r for r in new_statements if r["_key"] not in touched and r["_key"] < len(statements)]
        if kind == "added":
            rec = _statement(draw, vocab, tax)
            if any(_content(rec) == _content(other) for other in new_statements):
                continue
            rec["_key"] = next_key
            next_key += 1
            touched.add(rec["_key"])
            new_statements.append(rec)
            log.append({"change": "added", "key": rec["_key"], "material": True,
                        "detail": f"new {rec['action']} statement"})
            continue
        if not free:
            continue
        rec = draw(pick(free))
        touched.add(rec["_key"])
        if kind == "removed":
            new_statements.remove(rec)
            log.append({"change": "removed", "key": rec["_key"], "material": True,
                        "detail": f"{rec['action']} statement dropped"})
        elif kind == "reworded":
            choices = [w for w in range(len(_TEMPLATES[rec["action"]])) if w != rec["wording"]]
            rec["wording"] = draw(pick(choices))
            log.append({"change": "reworded", "key": rec["_key"], "material": False, "detail": "same meaning"})
        elif kind == "moved":
            # to the other end of its section: a reordering, not a change of substance
            section = [r for r in new_statements if _SECTION_TITLES[r["action"]] == _SECTION_TITLES[rec["action"]]]
            if len(section) < 2:
                touched.discard(rec["_key"])
                continue
            new_statements.remove(rec)
            if section[0] is rec:
                new_statements.append(rec)
            else:
                new_statements.insert(0, rec)
            log.append({"change": "moved", "key": rec["_key"], "material": False, "detail": "reordered"})
        else:  # changed
            if rec["action"] == "inform":
                options = [r for r in vocab.rights if r not in rec["rights"] and r != "right"]
                if not options:
                    touched.discard(rec["_key"])
                    continue
                rec["rights"] = [*rec["rights"], draw(pick(options))]
                detail = f"right {rec['rights'][-1]} added"
            else:
                options = [c for c in vocab.categories if c not in rec["data_categories"]]
                if not options:
                    touched.discard(rec["_key"])
                    continue
                rec["data_categories"] = [*rec["data_categories"], draw(pick(options))]
                detail = f"data category {rec['data_categories'][-1]} added"
            log.append({"change": "changed", "key": rec["_key"], "material": True, "detail": detail})
    if not log:  # every drawn change was impossible here: reword one statement instead
        rec = draw(pick(new_statements))
        rec["wording"] = draw(pick([w for w in range(len(_TEMPLATES[rec["action"]])) if w != rec["wording"]]))
        log.append({"change": "reworded", "key": rec["_key"], "material": False, "detail": "same meaning"})
    grouped = _group(new_statements)
    new = _render(new_day.isoformat(), org_name, grouped, vocab, tax)
    new_ids = {rec["_key"]: sid for rec, sid in zip(_flatten(grouped), new.statements["statement_id"], strict=True)}
    changes = pd.DataFrame({
        "change": pd.Series([e["change"] for e in log], dtype="str"),
        "old_statement_id": pd.Series([old_ids.get(e["key"]) for e in log], dtype=object),
        "new_statement_id": pd.Series([new_ids.get(e["key"]) for e in log], dtype=object),
        "material": pd.Series([bool(e["material"]) for e in log], dtype=bool),
        "detail": pd.Series([e["detail"] for e in log], dtype="str"),
    })
    for rec in statements + new_statements:
        rec.pop("_key", None)
    return PolicyVersions(old, new, changes)


def _content(rec: dict[str, Any]) -> tuple:
    """What a statement says, without its wording."""
    return tuple((k, tuple(v) if isinstance(v, list) else v) for k, v in sorted(rec.items())
                 if k not in ("wording", "_key"))


def _flatten(grouped: list[tuple[str, list[dict]]]) -> list[dict]:
    return [rec for _, recs in grouped for rec in recs]
