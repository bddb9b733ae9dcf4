"""Clauses and review: a sentence cut into the clauses its negations hold in, whether a
sentence speaks of personal data, and why one that does yielded no statement.
"""

from __future__ import annotations

import re
from typing import Any

from .cues import (
    ALSO_PERSONAL,
    BUT_NOT,
    CLAUSE_BREAK,
    DETAILS_BACK,
    EXCEPT,
    EXEMPLIFY,
    FIELD_ITEM,
    FOR_THAT_PURPOSE,
    HANDS_ON,
    IN_THIS_CASE,
    NEG_COLLECT,
    NEG_SHARE,
    POINTS_BACK,
    SHARE_WORD,
    inline_cases,
)
from .nonflow import IMPERATIVE_NOT, READER_REFUSES
from .parse import Block, Sentence, split_sentences
from .sentences import SentenceFacts, unique
from .tables import table_roles
from .titles import item_title

_NO_FLOW = ("inform", "not_share", "not_collect")

__all__ = ["DATA_LEAD", "HOLDS_DATA", "PERSONAL_DATA", "continue_lead", "follow_up", "ground_cases", "holds_data",
           "lead_exception", "negation_clauses", "public_lead", "record_list", "review_reason", "split_item"]


#: Personal data named in general ("your personal information", "PII").
PERSONAL_DATA = re.compile(r"\b(?:personal\s+(?:data|information|details)|personally\s+identifiable|PII)\b", re.I)


def review_reason(f: SentenceFacts | None, text: str) -> str:
    """Why a sentence about personal data yielded no statement: a negation that was not read
    as a promise, no one said to act on the data, or data or a party that no term names.

    Example:
        >>> review_reason(None, "Your data is not used for ads, except as noted.")
        'unclear negation'
    """
    norm = text.replace("’", "'")
    if NEG_SHARE.search(norm) or NEG_COLLECT.search(norm) or re.search(r"\b(?:not|never|no\s+longer)\b|n't\b", norm, re.I):
        return "unclear negation"
    if f is not None and f.action is None:
        return "unresolved actor"
    return "unknown phrase"


#: A negated lead-in that goes on to the cases its list names ("we neither rent nor sell your
#: data, and share it only as described below").
_ONLY_AS_LISTED = re.compile(
    r"\bonly\s+(?:as|in\s+the\s+(?:cases?|ways?|circumstances|situations))\s+(?:described|set\s+out|listed|"
    r"outlined|explained|detailed|specified)\s+below\b|\bonly\s+as\s+follows\b", re.I)


def lead_exception(lead: str, start: int, colon: bool) -> re.Match[str] | None:
    """Where the exception of a negated list lead-in begins, when the list's items are the
    excepted cases: "We do not disclose data except where ..., such as:" (an exception that
    gives examples, or a lead ending with a colon) or "we neither rent nor sell your data
    and share it only as described below". ``start``: where the negation ends in ``lead``;
    ``colon``: whether the lead-in ends with a colon.

    Example:
        >>> lead_exception("We never sell it and share it only as described below.", 8, False) is not None
        True
    """
    exc = EXCEPT.search(lead, start)
    if exc and (EXEMPLIFY.search(lead, exc.end()) or colon):
        return exc
    return _ONLY_AS_LISTED.search(lead, start)


_LEADS_EXCEPTION = re.compile(r"^unless\b", re.I)


def _negative(text: str) -> bool:
    norm = text.replace("’", "'")
    return bool(NEG_SHARE.search(norm) or NEG_COLLECT.search(norm))


def negation_clauses(text: str) -> list[str]:
    """A sentence cut into its clauses when a negation holds in some of them and not in the
    others ("We do not keep IP logs, but they may be kept for 14 days"): a negation's scope
    ends with its clause. Otherwise the sentence whole.

    Example:
        >>> negation_clauses("We never sell your data, but we share it with our host.")
        ['We never sell your data', 'we share it with our host.']
    """
    norm = text.replace("’", "'")
    but_not = BUT_NOT.search(norm)
    if but_not and (SHARE_WORD.search(norm, 0, but_not.start()) or HANDS_ON.search(norm, 0, but_not.start())):
        return [text]  # "we share X with them but not Y": not a promise about our own processing
    if not (NEG_SHARE.search(norm) or NEG_COLLECT.search(norm) or but_not):
        return [text]
    parts: list[str] = []
    start = 0
    for m in CLAUSE_BREAK.finditer(text):
        parts.append(text[start: m.start()])
        start = m.end()
    parts.append(text[start:])
    parts = [p.strip() for p in parts if p.strip()]
    # "Unless the law obliges us, we will no longer process it": a leading exception belongs
    # to the negation after it; so does a leading refusal by the reader ("If you withdraw
    # your consent, we will no longer use it": what the refusal leads to, no promise).
    joined: list[str] = []
    for p in parts:
        if joined and (_LEADS_EXCEPTION.match(joined[-1]) or READER_REFUSES.match(joined[-1])) \
                and "," not in joined[-1] and _negative(p):
            joined[-1] = f"{joined[-1]}, {p}"
        else:
            joined.append(p)
    # "If you want, use a personal address and do not use your work one": a request to the
    # reader joined to another (a clause with no "we", "us" or "our" of its own) is no promise of ours.
    parts = [p for i, p in enumerate(joined) if not (
        i and IMPERATIVE_NOT.match(p) and not re.search(r"\b(?:we|us|our)\b", re.split(r"[,;.:]", joined[i - 1])[-1], re.I))]
    if len(parts) < len(joined):
        return parts or [text]
    negative = [bool(NEG_SHARE.search(p.replace("’", "'")) or NEG_COLLECT.search(p.replace("’", "'"))) for p in parts]
    if len(parts) < 2 or all(negative) or any(len(p.split()) < 3 for p in parts):
        return [text]
    # A clause without a subject of its own ("... and will not use it") keeps the first one's.
    subject = _SUBJECT.match(parts[0])
    if subject:
        parts = [parts[0], *(f"{subject.group(1)} {p}" if _NO_SUBJECT.match(p) else p for p in parts[1:])]
    return parts


def split_item(text: str, line: int) -> list[Sentence]:
    """A list item's sentences; a first sentence that sets data apart with no verb of its own
    ("We may view file names, but not your file contents, to help you") is cut there, so that
    the part set apart is read as a negation of its own (not when the item gives data away:
    "we share X with them but not Y" promises nothing about our own processing).

    Example:
        >>> [s.text for s in split_item("We read file names but not your file contents.", 3)]
        ['We read file names', 'not your file contents.']
    """
    parts = split_sentences(text, line)
    if not parts:
        return parts
    first = parts[0].text
    cut = BUT_NOT.search(first.replace("’", "'"))
    if cut is None or SHARE_WORD.search(first, 0, cut.start()) or HANDS_ON.search(first, 0, cut.start()) \
            or len(first[: cut.start()].split()) < 3:
        return parts
    head, tail = first[: cut.start()].rstrip(" ,"), first[cut.start() + len("but"):].strip()
    return [Sentence(head, parts[0].line), Sentence(tail, parts[0].line), *parts[1:]]


#: The subject of a clause: the words before its first auxiliary ("These companies will ...").
_SUBJECT = re.compile(r"^(?!(?:When|Whenever|If|Where|Unless|While|Once|After|Before|Since|Although)\b)"  # a condition is no subject
                      r"([A-Z][\w'’ -]{0,60}?)\s+(?:will|would|shall|may|can|could|must|do|does|did|only|never)\b")

#: A clause that starts with its verb: its subject is the sentence's.
_NO_SUBJECT = re.compile(r"^(?:will|would|shall|may|can|could|must|do|does|did|never|cannot|can't|won't|don't|doesn't)\b", re.I)


def follow_up(f: SentenceFacts, text: str, earlier: list[dict], before: SentenceFacts | None) -> None:
    """What a sentence takes from those before it in its section: "your data for this purpose"
    is the data (and purposes) of the statement just made about a purpose (``earlier``, newest
    first); "In this case, we process ..." takes the purposes and consent of the sentence just
    before (``before``), whether or not that one made a statement of its own ("we record the
    call for quality assurance, but only with your consent").

    Example:
        >>> f = SentenceFacts(text="", line=1, data=["user"], action="retain")
        >>> follow_up(f, "We keep your data for this purpose for a year.", [
        ...     {"action": "use", "data_categories": ["user.contact.email"], "purposes": ["marketing"]}], None)
        >>> f.data, f.purposes
        (['user.contact.email'], ['marketing'])
    """
    norm = text.replace("’", "'")
    holds_data(f, text, earlier)  # "This usage data includes your IP address": not a use
    if f.action is None and not f.entities and set(f.data) - {"user"} and ALSO_PERSONAL.match(norm.strip()):
        # "We collect your name and email address. Your login details are also personal data":
        # the sentence adds to what the statement just before collects (never to a negation).
        source = earlier[0] if earlier else None
        if source is not None and source["action"] in ("collect", "use") and "we" in source["recipients"]:
            f.action = source["action"]
            f.data = [d for d in f.data if d != "user"]
    if f.action not in _NO_FLOW and set(f.data) <= {"user"} and FOR_THAT_PURPOSE.search(norm):
        source = next((r for r in earlier if r["data_categories"] and r["purposes"] and r["action"] not in _NO_FLOW), None)
        if source is not None:
            f.data = list(source["data_categories"])
            f.purposes = f.purposes or list(source["purposes"])
    if before is not None and f.action not in _NO_FLOW and IN_THIS_CASE.match(norm.strip()):
        f.purposes = f.purposes or list(before.purposes)
        f.consent = f.consent or before.consent


def ground_cases(reader: Any, item: SentenceFacts, lead: SentenceFacts, sentences: list[Any], line: int,
                 seen: list[str]) -> list[SentenceFacts] | None:
    """The statements of an item that gives a ground for the processing its list's lead states
    and enumerates its cases inline: "Your personal data is processed: - Where you have given
    your consent. Such cases include: i) to send newsletters; ii) to record your call." Each
    case continues the item's ground (its consent and legal bases), which continues the lead
    (its action and data, unless the case names its own). ``item`` is the item's first
    sentence, ``sentences`` the others, ``reader`` a :class:`SentenceReader`; ``None`` when the
    item is not such a ground (it names data or no ground, the lead states no processing, or
    nothing is enumerated)."""
    cases = [c for sent in sentences for c in inline_cases(sent.text)]
    if not (item.consent or item.legal_bases) or not lead.data or lead.action not in ("use", "collect") or not cases:
        return None
    out = []
    for case in cases:
        f = reader.analyse(case, line, seen)
        if f.action in _NO_FLOW:
            continue
        f.data = f.data or list(lead.data)
        third = [e for e in f.entities if not e.startswith("we")]
        if f.action in ("share", "transfer", "track") or third:
            # a disclosure among the cases ("to answer requests from the authorities")
            f.action = f.action if f.action in ("share", "transfer", "track") else "share"
            f.entities = third or ["third_party"]
        else:
            f.action = f.action if f.action in ("use", "collect") else lead.action
            f.actor, f.entities, f.internal = lead.actor, [], lead.internal
        f.legal_bases = unique([*item.legal_bases, *f.legal_bases])
        f.consent = item.consent or f.consent
        out.append(f)
    return out


def record_list(group: list[Block], lead_text: str, heading: bool = False, organisation: bool = False) -> Block | None:
    """A list of "Label: value" items under a short name ("Zendesk, Inc." then "Purpose:
    support", "Data processing location: United States"): one provider's record, read as a
    table row whose entity is the name. Under a ``heading`` (the name is the section's title),
    the title must name an ``organisation`` or the labels a provider's purpose or location:
    "Payments", then "Bank wire: sender name" is a topic, not a provider."""
    words = len(lead_text.split())
    if item_title(lead_text, alone=True):
        return None  # "Information You Provide to Us": a heading's clause, no provider's name
    if group[0].kind != "item" or len(group) < 2 or not lead_text or words > 8 \
            or lead_text.rstrip()[-1:] in ":;?!" or (lead_text.rstrip().endswith(".") and words > 5):
        return None
    fields = [FIELD_ITEM.match(b.text) for b in group]
    if sum(1 for m in fields if m) < max(2, len(group) - 1):
        return None
    cells = {"Name": lead_text.strip()}
    for m in fields:
        if m:
            cells.setdefault(m.group("label").strip(), m.group("value").strip())
    if heading and not (organisation or {"purpose", "country"} & set(table_roles(cells))):
        return None
    text = " | ".join(cells.values())
    return Block("row", text, group[0].line, group[-1].line_end, cells=cells, group=group[0].group)


#: What a lead-in that points back takes from the sentence before: a positive flow only (a
#: negation is never carried onto a list).
_CARRIED = ("collect", "use", "share", "transfer", "track")


#: The subject and verb of a sentence that says what a kind of data holds ("This Usage Data may
#: include", "Personally identifiable information may include", "When you use the app, such data
#: contains"): a data word with up to three words before it, then a verb that lists.
_HOLDS = (r"^(?:(?:when|if|where|whenever|depending\s+on)\b[^.;:]{0,120},\s*)?(?:(?:this|these|that|those|such|the|your|our|any)\s+)?"
          r"(?:(?!(?:of|for|to|we|you|and|or|that|which)\b)[a-z-]+\s+){0,3}?(?:information|data|details|PII)(?:\s*\([^)]{0,40}\))?"
          r"\s+(?:(?:may|can|will|could|might|would)\s+)?(?:also\s+)?(?:generally\s+|typically\s+|usually\s+)?"
          r"(?:includes?|contains?|consists?\s+of|comprises?)\b")
HOLDS_DATA = re.compile(_HOLDS, re.I)

#: A list's lead-in that only says what a kind of data holds ("Personally identifiable
#: information may include, but is not limited to:").
DATA_LEAD = re.compile(_HOLDS + r"(?:,?\s*(?:but|and)\s+(?:is|are)\s+not\s+limited\s+to|,?\s*(?:for\s+example|e\.g\.|"
                       r"such\s+as|among\s+others|in\s+particular))?[\s,:.]*$", re.I)

#: After the listing verb, a flow of its own ("... and is used to improve the service").
_OWN_FLOW = re.compile(r"\bwe\s+(?:may\s+|also\s+|then\s+)*(?:use|process|share|disclose|sell|transfer)\b"
                       r"|\b(?:is|are)\s+(?:then\s+)?(?:used|shared|disclosed|sold|transferred|processed)\b", re.I)


def holds_data(f: SentenceFacts, text: str, earlier: list[dict]) -> None:
    """A sentence that only says what a kind of data holds ("This usage data may include your
    IP address and browser type") states no use: its listing verb is read as no flow of its own.
    It takes the action (and third parties) of the latest statement of its section within eight
    lines that introduced data (``earlier``, newest first), or is a collection when there is
    none. Nothing changes when the sentence names a third party or a flow after the verb.

    Example:
        >>> f = SentenceFacts(text="", line=3, action="use", data=["user.device.ip_address"])
        >>> holds_data(f, "This usage data may include your IP address.",
        ...            [{"action": "collect", "recipients": ["we"], "line": 2}])
        >>> f.action
        'collect'
    """
    norm = text.replace("’", "'").strip()
    m = HOLDS_DATA.match(norm)
    if f.action != "use" or m is None or _OWN_FLOW.search(norm, m.end()) or any(not e.startswith("we") for e in f.entities):
        return
    if DETAILS_BACK.match(norm) and set(f.data) - {"user"}:
        return  # ("These details include your IP address": goes on with the statement, ``details_back``)
    source = next((r for r in earlier if r["action"] in _CARRIED and 0 <= f.line - r["line"] <= 8), None)
    f.action = source["action"] if source is not None else "collect"
    if source is not None and source["action"] in ("share", "transfer"):
        f.entities = [r for r in source["recipients"] if not r.startswith("we")]


def public_lead(lead: SentenceFacts) -> None:
    """A list's lead-in that makes something public and names no data of its own ("You can
    make some information visible to everyone, such as:") shows its items to other users: a
    disclosure to them, not a collection (which, where it happens, a sentence of its own states).

    Example:
        >>> lead = SentenceFacts(text="", line=1, public=True, entities=["third_party"])
        >>> public_lead(lead)
        >>> lead.action, lead.entities
        ('share', ['third_party.other_users'])
    """
    if not lead.public or set(lead.data) - {"user"} or lead.action not in (None, "collect", "use") or lead.joint \
            or set(lead.entities) - {"we", "third_party", "third_party.other_users"}:
        return
    lead.action = "share"
    lead.entities = ["third_party.other_users"]


def continue_lead(lead: SentenceFacts, before: SentenceFacts | None) -> None:
    """A list's lead-in that only points back ("This information includes:") goes on with the
    sentence just before it: the items take that sentence's action, parties, countries,
    purposes and condition, as they would had the list followed it directly. Nothing is taken
    when the lead-in names data or a third party of its own, or when the sentence before is a
    negation or made no flow; then the lead-in's listing verb ("includes") is no use of its own,
    and its items are read as collected. A lead-in that says what a kind of data holds
    ("Personal information may include, but is not limited to:") points back too; one that makes
    things public is a disclosure to other users (``public_lead``).

    Example:
        >>> before = SentenceFacts(text="", line=1, action="share", entities=["third_party"])
        >>> lead = SentenceFacts(text="These details include:", line=2, action="use")
        >>> continue_lead(lead, before)
        >>> lead.action, lead.entities
        ('share', ['third_party'])
    """
    public_lead(lead)
    text = lead.text.replace("’", "'").strip()
    if not (POINTS_BACK.match(text) or DATA_LEAD.match(text)):
        return
    if set(lead.data) - {"user"} or any(not e.startswith("we") for e in lead.entities) or lead.action in _NO_FLOW:
        return
    if before is None or before.action not in _CARRIED or before.reference:
        if lead.action == "use":
            lead.action = None  # (the listing verb: the items are what we hold, collected)
        return
    lead.action = before.action
    lead.actor = before.actor
    lead.entities = list(before.entities)
    lead.internal = lead.internal or before.internal
    lead.countries = unique([*before.countries, *lead.countries])
    lead.purposes = unique([*before.purposes, *lead.purposes])
    lead.condition = lead.condition or before.condition
    lead.consent = lead.consent or before.consent
    if before.public and not before.data:  # "..., which is shown publicly. This includes:"
        lead.joint = lead.action in ("collect", "use")
        lead.entities = unique([*lead.entities, "third_party.other_users"])
        lead.action = "share"
