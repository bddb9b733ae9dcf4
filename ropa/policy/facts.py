"""Facts about a policy as a whole: the date it states for its last change, the contacts
it gives (email, phone, postal address, each with its role) and the names it uses for the
controller.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from typing import Any

from ..core.names import legal_form_pattern, strip_legal_form
from ..core.words import word_table
from .cues import NAME_WORD, short
from .nonflow import EMAIL_ADDRESS
from .ownnames import named_as_ours, own_names, own_pattern, title_name
from .parse import ParsedPolicy, block_sentences, clean_inline

__all__ = ["changelog_entries", "contacts_in", "controller_candidates", "controller_named_in_contacts", "controller_names_in", "controller_names_stated", "stated_date"]


def _months() -> dict[str, int]:
    return {str(k).lower(): int(v) for k, v in word_table("months", "dates.yml").items()}


_MONTHS = _months()

_MONTH_RX = "|".join(sorted(_MONTHS, key=len, reverse=True))


def _phrases_rx(name: str) -> str:
    words = sorted((str(w) for w in word_table(name, "dates.yml")), key=len, reverse=True)
    return "|".join(r"\s+".join(map(re.escape, w.split())) for w in words)


# a cue stands alone as a word: "_Effective:" (Markdown emphasis) counts, "Noneffective" does not
_DATE_CUE = re.compile(rf"(?<![^\W_])(?:{_phrases_rx('date_cues')})(?![^\W_])", re.I)

_CHANGELOG = re.compile(rf"(?<![^\W_])(?:{_phrases_rx('changelog_headings')})(?![^\W_])", re.I)
_SUMMARY = re.compile(rf"(?<![^\W_])(?:{_phrases_rx('change_summary_headings')})(?![^\W_])", re.I)

_DATES = (
    ("ymd", re.compile(r"(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")),
    ("dmy", re.compile(r"(?<!\d)(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?!\d)")),
    ("d_month_y", re.compile(rf"(?<!\d)(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH_RX})\.?,?\s+(\d{{4}})(?!\d)", re.I)),
    ("month_d_y", re.compile(rf"\b({_MONTH_RX})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})(?!\d)", re.I)),
    # a month alone ("APRIL-2024", "August 2026"): read as YYYY-MM
    ("month_y", re.compile(rf"\b({_MONTH_RX})\.?(?:\s+|\s*[-/,]\s*)(\d{{4}})(?!\d)", re.I)),
)

_HEADING = re.compile(r"^\s*(#{1,6})\s")

_MARKUP = re.compile(r"[*_#`\[\]()>]")


def _bare(line: str) -> str:
    """A line without Markdown markup and the spaces around it."""
    return _MARKUP.sub("", line).strip()


def stated_date(text: str) -> str | None:
    """The date a policy text states for its last change, as YYYY-MM-DD (YYYY-MM when the
    text gives the month only), or None.

    Recognises ISO dates, year.month.day, day-month-year with ``-``, ``/`` or ``.``, written
    months, and a month with its year, when they follow a cue of ``ropa/taxonomy/dates.yml``
    ("last changes ... were made on", "Last updated:", "Effective date"). A text with no
    such date states the date alone on one of its first lines (under the title), else, when
    its changelog section (a heading such as "Changes to this Privacy Policy") opens its
    entries with a date on a line of its own, the newest of those dates.

    Example:
        >>> stated_date("The last changes to this Privacy Policy were made on 24-05-2018.")
        '2018-05-24'
        >>> stated_date("Last updated: 1 March 2025")
        '2025-03-01'
        >>> stated_date("Last updated: 2025.05.19"), stated_date("Last revised APRIL-2024")
        ('2025-05-19', '2024-04')
        >>> stated_date("We were founded on 1 March 2025.") is None
        True
    """
    if not isinstance(text, str):
        return None
    for cue in _DATE_CUE.finditer(text):
        window = text[cue.start(): cue.end() + 120].split("\n\n")[0]
        best: tuple[int, int, str] | None = None
        full = False  # a day was written (even an impossible one): no month-only reading then
        for rank, (kind, rx) in enumerate(_DATES):
            m = rx.search(window, cue.end() - cue.start())
            if not m or (kind == "month_y" and (full or not _date_line(text, cue.start()))):
                continue
            full = True
            date = _to_date(kind, m.groups())
            if date and (best is None or (m.start(), rank) < best[:2]):
                best = (m.start(), rank, date)
        if best:
            return best[2]
    return _heading_date(text) or _changelog_date(text)


def _alone(line: str) -> str | None:
    """The date a line holds and nothing else (markup aside), or None."""
    bare = _bare(line).rstrip(":").strip()
    for kind, rx in _DATES:
        m = rx.fullmatch(bare)
        date = _to_date(kind, m.groups()) if m else None
        if date:
            return date
    return None


def _heading_date(text: str) -> str | None:
    """A date alone on one of the first lines of the text (under the title, before the prose)."""
    lines = [line for line in text.splitlines()[:40] if _bare(line).strip("=-")][:4]
    return next((d for d in map(_alone, lines) if d), None)


def _date_line(text: str, at: int) -> bool:
    """Whether the line holding ``at`` is a short line of its own (a month alone is read as
    a date only there: "Updated August 2026", not "As of June 2024, creators can ...")."""
    start = text.rfind("\n", 0, at) + 1
    end = text.find("\n", at)
    return len(_bare(text[start: end if end >= 0 else len(text)])) <= 40


def _under_changelog(lines: Iterable[tuple[int, str]]) -> Iterator[tuple[int, str]]:
    """The (line, text) pairs that stand under a changelog heading, until a heading of the
    same level or higher ends it."""
    level = 0  # the level of the changelog heading we are under, 0 outside one
    for number, line in lines:
        head = _HEADING.match(line)
        if head:
            depth = len(head.group(1))
            if _CHANGELOG.search(line):
                level = depth
                continue
            if level and depth <= level:
                level = 0
        if level:
            yield number, line


def _changelog_date(text: str) -> str | None:
    """The newest date that stands alone on a line under a changelog heading (one pass)."""
    found = [d for _, line in _under_changelog(enumerate(text.splitlines(), 1)) if (d := _alone(line))]
    return max(found) if found else None


_ENTRY_ITEM = re.compile(r"^\s*(?:[*+-]|\d{1,3}[.)])\s+\S")


def changelog_entries(outline: ParsedPolicy) -> frozenset[int]:
    """The lines of a policy's dated changelog entries: in a section headed as a changelog
    ("Changes to this Privacy Policy"), a date alone on its line and the list items (or the
    paragraph) right after it, the whole of a subsection headed by a date alone, and every list
    item under a heading that sums up the latest edit ("Changes in the Last Update"). They say
    what an earlier edit of the text changed, not what is done with personal data, so
    extraction reads no statement from them; the section's other sentences ("we will notify
    you of changes by email") are read as usual.

    Example:
        >>> from .parse import parse
        >>> text = "# P\\n\\n## Changes to this policy\\n\\n**May 2, 2024**\\n\\n* Added 5.1.\\n\\nWe email you."
        >>> sorted(changelog_entries(parse(text, "p.md")))
        [5, 7]
    """
    text_of = dict(outline.lines)
    logs = {sec.number for sec in outline.sections if _CHANGELOG.search(sec.title)}
    out: set[int] = set()
    for sec in outline.sections:
        span = [n for n in range(sec.line_start, sec.line_end + 1) if n in text_of]
        if sec.parent in logs and _alone(sec.title):
            out.update(span)  # "### May 2, 2024" under the changelog: an entry whole
            logs.add(sec.number)
            continue
        if _SUMMARY.search(sec.title.replace("’", "'")):
            out.update(n for b in sec.blocks if b.kind == "item" for n in range(b.line, b.line_end + 1))
            continue  # "Changes in the Last Update: * Address Creator privacy responsibilities"
        if sec.number not in logs:
            continue
        after_date = in_entry = False
        for number in span:
            line = text_of[number]
            if not line.strip() or _HEADING.match(line):
                continue
            if _alone(line):
                out.add(number)
                after_date = in_entry = True
            elif in_entry and (after_date or _ENTRY_ITEM.match(line) or line[:1].isspace()):
                out.add(number)
                after_date = False
            else:
                after_date = in_entry = False
    return frozenset(out)


def _to_date(kind: str, g: tuple[str, ...]) -> str | None:
    try:
        if kind == "ymd":
            return dt.date(int(g[0]), int(g[1]), int(g[2])).isoformat()
        if kind == "dmy":
            day, month = int(g[0]), int(g[1])
            if month > 12 >= day:
                day, month = month, day
            return dt.date(int(g[2]), month, day).isoformat()
        if kind == "d_month_y":
            return dt.date(int(g[2]), _MONTHS[g[1].lower().rstrip(".")], int(g[0])).isoformat()
        if kind == "month_y":
            return dt.date(int(g[1]), _MONTHS[g[0].lower().rstrip(".")], 1).isoformat()[:7]
        return dt.date(int(g[2]), _MONTHS[g[0].lower().rstrip(".")], int(g[1])).isoformat()
    except (ValueError, KeyError):
        return None



_PHONE = re.compile(r"(?<![\w+])(?:\+\d{1,3}[\s.-]?)?(?:\(0?\d{1,4}\)[\s.-]?)?\d{2,4}(?:[\s.-]?\d{2,4}){2,4}(?!\w)")

_POSTCODE = re.compile(r"\b(?:\d{4}\s?[A-Z]{2}|\d{5}|[A-Z]{1,2}\d[A-Z\d]?\s\d[A-Z]{2})\b")

_STREET = re.compile(r"\b[A-Z][\w.'-]{1,60}(?:straat|weg|laan|plein|gracht|kade|dijk|singel|straße|strasse|gasse|"
                     r"\s(?:Street|St\.|Road|Rd\.|Avenue|Ave\.|Lane|Boulevard|Way|Square))\s+\d+\w*", re.I)

_DPO_CUE = re.compile(r"\b(?:data\s+protection\s+officer|DPO|privacy\s+officer|functionaris\s+gegevensbescherming)\b", re.I)

_PRIVACY_CUE = re.compile(r"\b(?:privacy|data\s+protection|personal\s+data|your\s+data|this\s+policy|gdpr)\b", re.I)


def contacts_in(outline: ParsedPolicy) -> list[dict[str, str]]:
    """Email addresses, phone numbers and postal addresses a policy gives, with their
    section and role (``dpo`` beside "data protection officer", ``privacy`` for a privacy
    mailbox or a sentence about privacy questions, else ``controller``).

    Example:
        >>> from ropa.policy.parse import parse
        >>> contacts_in(parse("Questions? Write to our data protection officer at dpo@example.org."))
        [{'kind': 'email', 'value': 'dpo@example.org', 'section': '0', 'role': 'dpo'}]
    """
    found: list[dict[str, str]] = []
    for sec in outline.sections:
        for blk in sec.blocks:
            for sent in block_sentences(blk):
                found += _contacts_in_sentence(sent.text, sec.number)
    uniq: dict[tuple[str, str], dict[str, str]] = {}
    for c in found:
        uniq.setdefault((c["kind"], c["value"]), c)
    return list(uniq.values())


def _contacts_in_sentence(text: str, section: str) -> list[dict[str, str]]:
    role = "dpo" if _DPO_CUE.search(text) else ("privacy" if _PRIVACY_CUE.search(text) else "controller")
    out = []
    for m in EMAIL_ADDRESS.finditer(text):
        local = m.group(0).split("@")[0].lower()
        r = role if role == "dpo" else (
            "privacy" if re.search(r"privacy|dpo|gdpr|avg|dataprotection|data-protection", local) else role)
        out.append({"kind": "email", "value": m.group(0), "section": section, "role": r})
    for m in _PHONE.finditer(EMAIL_ADDRESS.sub(" ", text)):
        value = m.group(0).strip()
        digits = re.sub(r"\D", "", value)
        if 8 <= len(digits) <= 15 and not _DATES[1][1].fullmatch(value) and not _DATES[0][1].fullmatch(value):
            out.append({"kind": "phone", "value": value, "section": section, "role": role})
    street = _STREET.search(text)
    if street and _POSTCODE.search(text, street.end()):
        out.append({"kind": "address", "value": short(text, 160), "section": section, "role": role})
    return out


_LEGAL = rf"(?:(?=[A-Z]){legal_form_pattern()}|plc)"
_NAME = rf"{NAME_WORD}(?:[ \t]+(?:{NAME_WORD}|&|and|of|on|de|la))" + r"{0,4}"
_QUOTED_WE = r"[\"“”'‘’]\s*(?i:we|us|our)\s*[,\"“”'‘’]"

#: "Acme, Inc. and its subsidiaries and affiliates (“we”)": the group named beside the company.
_AND_GROUP = r"(?:,?\s+and\s+its\s+(?:subsidiaries|affiliates|affiliated\s+companies)(?:\s+and\s+(?:subsidiaries|affiliates))?)?"

#: Where a text names its controller: "Acme Ltd (“we”, “us”)", "Acme, Inc., a Delaware
#: corporation (“Acme”, “we”)", "Acme AG (the “Company”, “We”)", "our legal name is Acme
#: Ltd", "We are Acme", "References to “we” ... refer to Acme", "Acme as data controller".
_CONTROLLER_CUES = (
    re.compile(rf"\b(?P<name>{_NAME}(?:,?\s+{_LEGAL})?)(?:,\s+an?\s+[^()\n]{{0,60}}?|\s*\([^()\n]{{0,40}}\))?{_AND_GROUP}\s*\((?P<inside>[^()\n]{{0,120}}?{_QUOTED_WE}[^()\n]{{0,120}})\)"),
    re.compile(rf"\blegal\s+name\s+is\s+(?P<name>{_NAME})"),
    re.compile(rf"(?:^|[.!?]\s+)We\s+are\s+(?P<name>{_NAME})(?=[,.])", re.M),
    re.compile(rf"\brefers?\s+to\s+(?P<name>{_NAME})(?=[,.;])"),
    re.compile(rf"\b(?P<name>{_NAME})\s+(?:is|acts|acting)?\s*(?:as\s+)?(?:the\s+)?(?:data\s+)?controller\b"),
    re.compile(rf"\bcontroller\s+(?:is|:)\s+(?P<name>{_NAME})"),
    re.compile(r"\byour\s+(?P<name>[A-Z][\w.-]{1,40})\s+(?:account|profile|subscription)s?\b"),
)

_NOT_A_NAME = re.compile(r"^(?:The|This|Our|We|You|Your|Data|Personal|Privacy|If|When|As|In|For|Each|Any|A|An)$")


_BRANDS = re.compile(rf"\b(?:brands?|trading\s+as|trading\s+names?|doing\s+business\s+as)\s+(?P<list>{_NAME}(?:\s*,\s*{_NAME}){{0,10}},?\s+(?:and|&)\s+{_NAME})")

_LEGAL_NAME = re.compile(rf"(?<![\w-])(?P<name>{NAME_WORD}(?:[ \t]+{NAME_WORD}){{0,3}},?[ \t]+{_LEGAL})(?![\w])")

#: Those a contact section names beside the controller: its representative in the EU or UK
#: (Art 27), its data protection officer, a supervisory authority.
_SOMEONE_ELSE = re.compile(r"\brepresentatives?\b|\bdata\s+protection\s+officer\b|\bDPO\b|\bsupervisory\s+authorit"
                           r"|\bdata\s+protection\s+authorit", re.I)

_CONTACT_TITLE = re.compile(r"\b(?:contact|controller|who\s+we\s+are|about\s+us|imprint|legal\s+notice)", re.I)


def controller_named_in_contacts(outline: ParsedPolicy) -> list[str]:
    """Companies with a legal form in the sections that give the controller's contact
    ("Data controller contact information: Mullvad VPN AB, Box 53049"), or in a sentence
    that asks the reader to contact us.

    Example:
        >>> from ropa.policy.parse import parse
        >>> controller_named_in_contacts(parse("# Policy\\n\\n## Contact\\n\\nAcme Widgets AB\\nBox 1, Stockholm\\n"))
        ['Acme Widgets AB']
    """
    names: list[str] = []
    for sec in outline.sections:
        contact_section = bool(_CONTACT_TITLE.search(sec.title or ""))
        for blk in sec.blocks:
            said = blk.text + " " + (blk.lead.text if blk.lead is not None else "")
            if _SOMEONE_ELSE.search(said):
                continue  # "contact our representative in the EU, VeraSafe Ireland Ltd.": not the controller
            if contact_section or re.search(r"\bcontact\s+us\b", blk.text, re.I):
                names += [m.group("name").strip(" ,") for m in _LEGAL_NAME.finditer(blk.text)]
    return list(dict.fromkeys(n for n in names if not _NOT_A_NAME.match(n.split()[0])))


def controller_names_stated(text: str) -> list[str]:
    """The names a policy text gives its controller, as written, with the quoted short names
    it defines beside "we" ("Better Stack, Inc. (“Better Stack”, “we”)").

    Example:
        >>> controller_names_stated("Welcome to Acme Cloud, Inc., a Delaware corporation (“Acme”, “we”).")
        ['Acme Cloud, Inc.', 'Acme']
        >>> controller_names_stated("References to “we” refer to Jottacloud, while “you” refers to you.")
        ['Jottacloud']
    """
    names: list[str] = []
    accounts: list[str] = []  # "your Spotify account": the controller's name only if the text keeps using it
    for rx in _CONTROLLER_CUES:
        for m in rx.finditer(text):
            if m.end("name") < m.end():  # a name before its cue starts its sentence ("... our Terms of
                # Service. Acme Inc. is the controller"), a legal form's dot ("Acme Corp. Europe") ends none
                name = re.split(r"(?<=[a-z]{5})\.\s+(?=[A-Z])", m.group("name"))[-1].strip(" ,")
            else:
                name = re.split(r"\.\s+(?=[A-Z])", m.group("name"))[0].strip(" ,")
            if rx is _CONTROLLER_CUES[-1]:
                accounts.append(name)  # weighed below
                continue
            words = name.split()
            while words and _NOT_A_NAME.match(words[0]):
                words = words[1:]
            name = " ".join(words)
            if name and not _NOT_A_NAME.match(name):
                names.append(name)
            inside = m.groupdict().get("inside")
            if inside:
                for q in re.finditer(r"[\"“'‘]\s*([A-Z][\w&.-]*(?:\s+[A-Z][\w&.-]*){0,3})\s*[\"”'’]", inside):
                    if q.group(1).lower() not in ("we", "us", "our", "company", "the company"):
                        names.append(q.group(1))
    for m in _BRANDS.finditer(text):
        listed = re.split(r"\.\s+(?=[A-Z])", m.group("list"))[0]
        names += [n.strip() for n in re.split(r"\s*,\s*(?:and\s+|&\s+)?|\s+(?:and|&)\s+", listed) if n.strip()]
    # ("your YouTube account" in Substack's policy: a service the reader links, named a few
    # times where Substack is named on every page)
    uses = lambda n: len(re.findall(rf"(?<![\w-]){re.escape(n)}(?![\w-])", text))  # noqa: E731
    # (weighed over a few names only: each is counted in the whole text, and a hostile text "names" thousands)
    names, accounts = list(dict.fromkeys(names))[:_MAX_CONTROLLER_NAMES], list(dict.fromkeys(accounts))[:_MAX_CONTROLLER_NAMES]
    most = max((uses(strip_legal_form(n)) for n in [*names, *accounts]), default=0)
    names += [n for n in accounts if uses(n) >= max(5, most // 2)]
    return list(dict.fromkeys(names))


_MAX_CONTROLLER_NAMES = 20


def controller_candidates(register: Any, outline: ParsedPolicy) -> list[tuple[str, re.Pattern[str]]]:
    """The controller's names, each with the pattern that finds it in a sentence: the register's
    (else the title's, the text's statements and contact sections), and the other names the
    text shows to be its own (policy.ownnames: former names, divisions, brands)."""
    names: list[str] = []
    org = getattr(register, "organisation", None) or {}
    text = "\n".join(clean_inline(t) for _, t in outline.lines)
    if org:
        for value in [org.get("name"), *(org.get("trading_names") or []), (org.get("controller") or {}).get("name")]:
            if isinstance(value, str) and value.strip():
                names.append(value.strip())
    else:
        names += [n for n in [title_name(outline.title or "")] if n]
        names += controller_names_stated(text) + named_as_ours(text)
        names += controller_named_in_contacts(outline)
    names += own_names(names, text, outline)
    out = []
    seen = set()
    # A policy names its controller a handful of ways; a text that "names" thousands is hostile,
    # and each name is searched for in every sentence.
    for name in list(dict.fromkeys(names))[:_MAX_CONTROLLER_NAMES]:
        base = strip_legal_form(name)
        for variant in (name, base):
            if variant and variant.lower() not in seen:
                seen.add(variant.lower())
                out.append((name if variant == name else base, own_pattern(variant)))
    return out


def controller_names_in(register: Any, outline: ParsedPolicy,
                      candidates: list[tuple[str, re.Pattern[str]]]) -> list[str]:
    """The names the policy uses for the controller, in the register's spelling where it
    has one, in order of first use."""
    text = "\n".join(t for _, t in outline.lines)
    org = getattr(register, "organisation", None) or {}
    canonical: dict[str, str] = {}
    if org:
        name = str(org.get("name") or "")
        for value in [name, *(org.get("trading_names") or [])]:
            if value:
                canonical[value.lower()] = value
        legal = (org.get("controller") or {}).get("name")
        if isinstance(legal, str) and legal:
            base = strip_legal_form(legal)
            canonical.setdefault(legal.lower(), canonical.get(base.lower(), legal))
            canonical.setdefault(base.lower(), canonical.get(base.lower(), base))
    hits: list[tuple[int, str]] = []
    for name, rx in candidates:
        m = rx.search(text)
        if m:
            hits.append((m.start(), canonical.get(name.lower(), canonical.get(m.group(0).lower(), m.group(0)))))
    out: list[str] = []
    seen: set[str] = set()
    for _, n in sorted(hits, key=lambda h: (h[0], -len(h[1]))):
        base = strip_legal_form(n).lower()
        if base not in seen:
            seen.add(base)
            out.append(n)
    return out
