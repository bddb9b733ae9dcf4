"""The controller's other names: the names a policy text shows to be its own company under
another name, never an outside recipient or tracker.

A company writes its former name ("Acme, Inc. (formerly Widgetco, Inc.)"), the name it does
business under ("doing business as Acme Cloud"), its divisions and brands ("Foo, a division of
Acme"; "Acme has two business divisions:" over a list of them; "our Foo Services"), and its
policy's title ("Acme Privacy Policy", where words such as "Global" or "App" are not part of the
name and a title like "Service Privacy Notice" names nobody). A separate company of the same
group ("our affiliate Acme Ltd") is not one of these: it stays a group company.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from typing import Any

from ..core.names import legal_form_pattern, strip_legal_form, vendor_records
from ..core.words import word_table
from .cues import NAME_WORD
from .lexicon import GROUP, Lexicon
from .parse import ParsedPolicy

__all__ = ["group_names", "named_as_ours", "own_names", "own_pattern", "title_name", "with_group_names"]

_LEGAL = rf"(?:(?=[A-Z]){legal_form_pattern()}|plc)"
_NAME = rf"{NAME_WORD}(?:[ \t]+{NAME_WORD}){{0,3}}"
_NAME_LEGAL = rf"{_NAME}(?:,?[ \t]+{_LEGAL})?"

#: Words a policy title puts beside the company's name that are not part of it ("Global",
#: "Supplemental", "App"), and that alone name nobody ("Service Privacy Notice").
_TITLE_WORDS = frozenset(str(w).lower() for w in word_table("title_words"))

#: Another name of the company a cue follows: "(formerly Widgetco, Inc.)", "f/k/a Widgetco",
#: "doing business as Acme Cloud", "trading as Acme".
_ALIAS = re.compile(rf"\s*[(,]?\s*(?:(?:formerly|previously)(?:\s+(?:known\s+as|called|named))?|f/k/a|d/b/a|"
                    rf"doing\s+business\s+as|trading\s+as|also\s+known\s+as|a/k/a)\s+[\"“‘]?(?P<name>{_NAME_LEGAL})")

#: "Foo, a division of Acme", "Foo (a brand of Acme)": Foo is Acme's own.
_PART_OF = re.compile(rf"(?P<name>{_NAME})\s*[,(]\s*(?:a|an|the|one)\s+(?:(?:business|trading|product)\s+)?"
                      r"(?:division|brand|unit|trading\s+name|product\s+line|business\s+line)s?\s+of\s+(?P<owner>"
                      + NAME_WORD + r"(?:[ \t]+" + NAME_WORD + r"){0,3})")

#: A list lead naming the company's divisions or brands: "Acme has two business divisions:",
#: "Our brands include:"; each item then begins with one of them.
_PARTS_LEAD = re.compile(r"\b(?:divisions|brands|business\s+units|business\s+lines)\b[^.:]{0,30}:?\s*$", re.I)
_ITEM_NAME = re.compile(rf"^\W{{0,3}}(?P<name>{_NAME})\b")

#: "our Foo Services", "our Foo technology": a brand of ours (weighed by how often the text uses it).
_OUR_BRAND = re.compile(rf"\b[Oo]ur\s+(?P<name>{NAME_WORD}(?:[ \t]+{NAME_WORD}){{0,2}}?)\s+"
                        r"(?:Services?|Technology|Platform|Products?|brand|division|business)\b")

#: At most this many names are weighed (each is searched for in the whole text; a hostile text
#: may "name" thousands).
_MAX_NAMES = 20

_NOT_A_NAME = re.compile(r"^(?:The|This|Our|We|You|Your|Data|Personal|Privacy|If|When|As|In|For|Each|Any|A|An|Its|Their)$")


def own_pattern(name: str) -> re.Pattern[str]:
    """The pattern that finds a name of the controller in a sentence: as a whole word, also
    when a lower-case word is hyphenated to it ("Acme-sponsored events"), never inside a longer
    name ("Acme-Partner", "acme.com" stays a word of its own: the dot ends it).

    Example:
        >>> bool(own_pattern("Acme").search("Acme-sponsored events")), bool(own_pattern("Acme").search("AcmeSoft"))
        (True, False)
    """
    return re.compile(rf"(?<![\w-]){re.escape(name)}(?!\w|-(?!(?-i:[a-z])))", re.I)


def title_name(title: str) -> str | None:
    """The company a policy's title names ("Acme Privacy Policy", "Privacy Notice of Acme"),
    without the words beside it that are not its name ("Acme Global Privacy Policy", "Acme App
    Privacy Policy"); None when only such words remain ("Service Privacy Notice").

    Example:
        >>> title_name("Acme Global Privacy Policy"), title_name("Service Privacy Notice")
        ('Acme', None)
    """
    m = (re.match(r"^(.+?)(?:[’']s)?\s+(?:Privacy|Cookie|Data\s+Protection)\s+(?:Policy|Statement|Notice)\b", title or "", re.I)
         or re.match(r"^(?:Privacy|Data\s+Protection)(?:\s+(?:Policy|Statement|Notice))?\s+(?:of|for|at)\s+(.+?)\s*$", title or "", re.I))
    if not m:
        return None
    words = m.group(1).strip().split()
    while words and words[-1].lower() in _TITLE_WORDS:
        words = words[:-1]
    while words and words[0].lower() in ("our", "the", "this"):
        words = words[1:]
    name = " ".join(words)
    return name if name and name.lower() not in _TITLE_WORDS else None


#: A company defined by a quoted short name and nothing else: "Acme Media Ltd. (“AcMe”)",
#: "the Acme family of companies ("Acme")" (then only the short name is kept).
_DEFINED = (rf"(?:(?P<name>{_NAME_LEGAL})|\b(?:the\s+)?{_NAME}\s+(?:family\s+of\s+companies|group\s+of\s+companies|[Gg]roup))"
            r"\s*\(\s*(?:the\s+|collectively,?\s+)?[\"“‘]\s*(?P<short>[A-Z][\w&.-]*(?:\s+[A-Z][\w&.-]*){0,2}?)\s*[\"”’]\s*\)")

#: Sentences that name the company whose policy this is: "This is Acme’s global Privacy
#: Policy", "Welcome to Acme's Privacy Notice", "Acme Europe Ltd. and Acme, Inc. are joint
#: controllers" (two named companies; "we and Acme are joint controllers" names a partner);
#: a company defined by its short name (``_DEFINED``) in the sentence that says this policy
#: is about its handling of data ("This Privacy Policy explains how Acme Media Ltd. (“AcMe”)
#: uses ...") or that it runs this site ("Acme Media Ltd. (“AcMe”) operates this website");
#: a processor so defined ("Stripe, Inc. (“Stripe”) processes payments") is no such company.
_OURS = (
    re.compile(rf"\b(?:[Tt]his\s+is|[Ww]elcome\s+to)\s+(?P<name>{_NAME})[’']s\s+(?:\w+\s+){{0,2}}?"
               r"(?:[Pp]rivacy|[Dd]ata\s+[Pp]rotection|[Cc]ookie)\s+(?:[Pp]olicy|[Nn]otice|[Ss]tatement)\b"),
    re.compile(rf"(?<![\w-])(?P<name>{_NAME_LEGAL})\s+(?:and|&)\s+(?P<other>{_NAME_LEGAL})\s+are\s+(?:the\s+)?joint\s+"
               r"(?:data\s+)?controllers\b"),
    re.compile(r"\b[Tt]his\s+(?:[Pp]rivacy\s+|[Cc]ookie\s+|[Dd]ata\s+[Pp]rotection\s+)?(?:[Pp]olicy|[Nn]otice|[Ss]tatement)\s+"
               r"(?!(?:does|do|will)\s+not\b|only\b|applies\s+only\b)[^.;\n]{0,200}?" + _DEFINED),
    re.compile(r"(?:^|(?<=[.!?]\s))" + _DEFINED + r",?\s+(?:(?:which|that|who)\s+)?(?:owns\s+and\s+operates|operates|owns|runs)\s+"
               r"(?:this|these|our)\s+(?:\w+\s+){0,2}?(?:web\s*sites?|sites?|services?|apps?|applications?|platforms?)\b", re.M),
)


def named_as_ours(text: str) -> list[str]:
    """The names a text gives the company whose policy it is, in a sentence that says so
    ("This is Acme’s Privacy Policy"; "Acme Europe Ltd. and Acme, Inc. are joint controllers").

    Example:
        >>> named_as_ours("This is Acme’s global Privacy Policy. Acme Europe Ltd. and Acme, Inc. are joint data controllers.")
        ['Acme', 'Acme Europe Ltd.', 'Acme, Inc.']
    """
    out: list[str] = []
    for rx in _OURS:
        for m in rx.finditer(text):
            found = []
            for value in (v for k, v in m.groupdict().items() if v and k in ("name", "other", "short")):
                words = re.split(r"(?<=[a-z])[.!?]\s+(?=[A-Z])", value)[-1].split()
                while words and _NOT_A_NAME.match(words[0]):
                    words = words[1:]
                found.append(" ".join(words).strip(" ,"))
            if all(found):  # "We and Acme are joint controllers": Acme is a partner
                out += found
    return list(dict.fromkeys(out))


@functools.cache
def _vendor_names() -> frozenset[str]:
    """The built-in vendors' names and aliases, lower case."""
    return frozenset(str(p).lower() for v in vendor_records() for p in [v["name"], *(v.get("aliases") or [])])


def _uses(name: str, text: str) -> int:
    return len(re.findall(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text))


def _proper(name: str, text: str) -> bool:
    """A name the text never writes as a common word: "Foo" is a name where "foo" (outside a
    web address) never occurs; "Mobile" is not, where the text speaks of "mobile devices"."""
    low = name.lower()
    return low != name and not re.search(rf"(?<![\w./@-]){re.escape(low)}(?![\w/@-]|\.\w)", text)


def own_names(names: Iterable[str], text: str, outline: ParsedPolicy | None = None) -> list[str]:
    """The controller's other names the text shows, given the names already known for it
    (``names``): former and trading names written after one of them, its divisions and brands.

    Example:
        >>> own_names(["Acme, Inc."], "Acme, Inc. (formerly Widgetco, Inc.) makes tools. Foo, a division of Acme, sells them.")
        ['Widgetco, Inc.', 'Foo']
    """
    known = [n for n in dict.fromkeys(names) if n][:_MAX_NAMES]
    bases = {strip_legal_form(n).lower() for n in known} | {n.lower() for n in known}
    found: list[str] = []
    for name in known:
        for m in re.finditer(rf"(?<![\w-]){re.escape(name)}(?:,?[ \t]+{_LEGAL})?", text):
            alias = _ALIAS.match(text, m.end())
            if alias:
                found.append(alias.group("name").strip(" ,"))
    for m in _PART_OF.finditer(text):
        owner = m.group("owner")
        if owner.lower() in bases or strip_legal_form(owner).lower() in bases:
            found.append(m.group("name"))
    if outline is not None:
        for sec in outline.sections:
            for blk in sec.blocks:
                lead = blk.lead.text if blk.lead is not None else ""
                if lead and _PARTS_LEAD.search(lead) and (re.search(r"\b(?:we|our)\b", lead, re.I)
                                                         or any(b and b in lead.lower() for b in bases)):
                    item = _ITEM_NAME.match(blk.text)
                    if item:
                        found.append(item.group("name"))
    most = max((_uses(strip_legal_form(n), text) for n in known), default=0)
    brands = list(dict.fromkeys(m.group("name") for m in _OUR_BRAND.finditer(text)))[:_MAX_NAMES]
    for name in brands:
        # "our Google Cloud Platform account": a vendor's product we use, not a brand of ours
        if _uses(name, text) >= max(3, most // 4) and name.lower() not in _vendor_names():
            found.append(name)
    out = []
    for n in list(dict.fromkeys(found))[:_MAX_NAMES]:  # each is searched for in the whole text
        words = n.split()
        while words and _NOT_A_NAME.match(words[0]):
            words = words[1:]
        n = " ".join(words)
        if n and n.lower() not in bases and n.lower() not in _TITLE_WORDS and _proper(n, text):
            out.append(n)
    return list(dict.fromkeys(out))


#: Where a text names its corporate group: "the Acme Companies", "companies owned by Acme",
#: "our parent company, Acme", "part of the Acme group".
_GROUP_CUES = (
    re.compile(rf"(?<![\w-])(?P<name>{_NAME})\s+(?:[Gg]roup\s+)?Compan(?:y|ies)\b"),
    re.compile(rf"\b(?:companies|entities|affiliates|subsidiaries)\s+(?:that\s+are\s+|which\s+are\s+)?(?:owned|controlled)\s+by\s+(?P<name>{_NAME})"),
    re.compile(rf"\bparent\s+(?:company|corporation)\s*,?\s+(?P<name>{_NAME})"),
    re.compile(rf"\bpart\s+of\s+(?:the\s+)?(?P<name>{_NAME})\s+(?:[Gg]roup|family\s+of\s+companies)\b"),
)


def group_names(text: str, own: Iterable[str] = ()) -> list[str]:
    """The names the text gives its corporate group ("the Acme Companies", "companies owned by
    Acme"), other than the controller's own names (``own``): where such a name stands alone
    ("Acme may help us fight spam") it is a company of the group, not a tracker or product the
    same word may name elsewhere.

    Example:
        >>> group_names("We work with the Acme Companies. Acme may help us fight spam.", ["Quillworks"])
        ['Acme']
    """
    mine = {n.lower() for n in own} | {strip_legal_form(n).lower() for n in own}
    out = []
    for rx in _GROUP_CUES:
        for raw in list(dict.fromkeys(m.group("name") for m in rx.finditer(text)))[:_MAX_NAMES]:
            words = re.split(r"[.!?]\s+", raw)[-1].split()
            while words and (_NOT_A_NAME.match(words[0]) or not _proper(words[0], text)):
                words = words[1:]  # "We Work With Other Meta Companies": the name is "Meta"
            name = " ".join(words)
            if name and not any(name.lower() in n for n in mine) and name.lower() not in _TITLE_WORDS and _proper(name, text):
                out.append(name)
    return list(dict.fromkeys(out))[:10]


def with_group_names(records: list[dict[str, Any]], lex: Lexicon, groups: list[str]) -> None:
    """A recipient found only from a group's name standing alone in its quote ("Meta" where the
    text speaks of "the Meta Companies") becomes a company of the group, in place."""
    if not groups:
        return
    patterns = [own_pattern(g) for g in groups]
    low = {g.lower() for g in groups}
    for rec in records:
        quote = str(rec.get("quote") or "")
        if not any(rx.search(quote) for rx in patterns):
            continue
        # what the quote names otherwise ("the Meta Pixel") keeps its key
        named = {k.key for k in lex.find("recipient", quote) if k.phrase.lower() not in low}
        keys = [GROUP if k.startswith("vendor:") and k not in named and any(
                    k in {x.key for x in lex.find("recipient", g)} for g in groups) else k for k in rec["recipients"]]
        rec["recipients"] = list(dict.fromkeys(keys))
