"""Capitalised words that stand where a recipient stands but name no company.

A name found by its shape (a capitalised run, a run of names, "use X to", CamelCase, a legal
form) is dropped here when the sentence around it shows it is something else:

- a kind of thing or a technology ("Session Cookies", "Tracking Technologies", "JavaScript"),
  or the defined term a policy gives one ("We may use Technologies to ...");
- the text of a link or a button ("Learn More");
- a law or a standard ("X is the first state law ...", "X is a regulation ...", a law's
  short name such as "VCDPA");
- a brand cited as an example ("brands like X, Y and Z");
- the title a list item or a paragraph opens with ("Session Cookies: ..."), the words of a
  heading in capitals ("REGIONAL SPECIFIC DISCLOSURES"), or a word cut from a longer name
  ("Send in Blue" gives no "Blue");
- a legal form alone ("PBC").

:func:`service_examples` finds companies given as examples of a service the reader uses (the
service, not a tracker of its name), :func:`without_laws_places` the places whose laws are
named ("U.S. laws": no destination). :func:`describes_service` tells a sentence that only says who provides a service ("X is provided
by X Inc.") from a disclosure: it states no flow by itself.

:func:`without_ordinary` drops the names made of ordinary English words ("Introduction",
"Payment", "Community Stories"; the word list is ``english-words.txt.gz``, built by
tools/build_words.py) unless something else shows a company: a legal form or ® after it, a
built-in vendor of that name, or a run of names among which one is no ordinary word
("Aria, Chargify and Stripe"). A role the service's users take ("share with the Driver",
:func:`user_role`) stays: it is other users (:data:`OTHER_USERS`), never a company.
"""

from __future__ import annotations

import functools
import gzip
import re
from importlib import resources

from ..core.names import legal_form_pattern, normalise_name, strip_legal_form
from ..core.words import fold, word_set
from ..core.yamlio import package_yaml

__all__ = ["OTHER_USERS", "describes_service", "link_text", "not_a_party", "ordinary_name", "role_key",
           "role_mentions", "service_examples", "user_role", "without_laws_places", "without_ordinary"]

#: The recipient a role of the service's users stands for.
OTHER_USERS = "third_party.other_users"

#: A law or a standard described as one after its name ("... is the first state law",
#: "..., a federal statute").
_IS_A_LAW = re.compile(
    r"\W{0,3}(?:\([^)]{0,60}\)\s*)?(?:,\s*|\s+(?:is|was|means|refers\s+to)\s+)(?:the|a|an)\s+(?:(?!that\b|which\b|who\b|of\b)[\w-]+\s+){0,3}?"
    r"(?:laws?|acts?|statutes?|regulations?|directives?|standards?|codes?|ordinances?|bills?|frameworks?)\b", re.I)

#: A law cited by its name before the name ("under CalOPPA", "the CCPA requires").
_UNDER_LAW = re.compile(r"\b(?:under|pursuant\s+to|compliance\s+with|comply\s+with|complies\s+with|required\s+by)\s+(?:the\s+)?$", re.I)

#: Brands cited as examples ("brands like", "card brands such as").
_BRANDS_LIKE = re.compile(r"\bbrands?\s+(?:like|such\s+as|including|e\.g\.,?)\s+(?:[^.;:]{0,120})$", re.I)

#: The title a list item or a paragraph opens with, before its colon ("Session Cookies: We use ...").
_RUN_IN_TITLE = re.compile(r"^\W{0,3}([A-Z][\w'’&/-]*,?(?:\s+(?:[A-Z][\w'’&/-]*|[a-z]{1,4}|&),?){0,11})\s*:\s")

#: A run of at least three words in capitals: a heading, whatever its words.
_CAPS_RUN = re.compile(r"\b[A-Z][A-Z&'’-]+(?:\s+[A-Z][A-Z&'’-]+){2,}\b")

#: A lower-case joining word after a capitalised one: what follows ends a longer name
#: ("Send in Blue", "Bank of ...").
_INSIDE_NAME = re.compile(r"\b[A-Z][\w.&-]*\s+(?:in|of|on|de|du|des|la|le|von|van|der|y|and\s+the)\s+$")

#: "X is provided by X Inc.": a description of a service, and of who provides it.
_PROVIDED_BY = re.compile(
    r"^\W{0,3}(?P<name>[A-Z][\w.&/-]*(?:\s+[A-Z][\w.&/-]*){0,4})\s+(?:is|are)\s+(?:a\s+service\s+)?"
    r"(?:provided|operated|offered|owned|developed|run|made\s+available)\s+by\s+(?P<by>[^.;:]{2,80}?)\s*\.?\s*$")

#: A place or a name that qualifies the people or the law after it ("apply to Nevada residents"):
#: the people are who is meant, not the place.
_QUALIFIES = re.compile(r"\s+(?:residents?|citizens?|consumers?|law|laws|legislation|statutes?)\b")

_LEGAL_FORM_ALONE = re.compile(rf"(?:{legal_form_pattern()})", re.I)


def _words(key: str) -> frozenset[str]:
    return word_set("not_party_words", key)


def link_text(name: str) -> bool:
    """Whether a name is the text of a link or a button ("Learn More", "Click here").

    Example:
        >>> link_text("Learn More"), link_text("Acme Mail")
        (True, False)
    """
    return fold(name).strip(" .:>»›") in _words("link_text")


def _is_thing(name: str) -> bool:
    """A name made of technology words, or ending with the noun of a kind of thing."""
    words = fold(name).replace("®", "").replace("™", "").split()
    if not words:
        return False
    if fold(name) in _words("technologies") or fold(name) in _words("law_names") or link_text(name):
        return True
    return words[-1].strip(".,") in _words("thing_nouns") or all(w.strip(".,") in _words("technologies") for w in words)


def not_a_party(text: str, name: str, start: int) -> bool:
    """Whether ``name``, found at ``start`` in the sentence ``text``, is no company's name:
    a kind of thing or a technology, link text, a law, a brand given as an example, the
    words of a run-in title or of a heading in capitals, the tail of a longer name, or a
    legal form alone.

    Example:
        >>> not_a_party("We use Session Cookies to run the site.", "Session Cookies", 7)
        True
        >>> not_a_party("We share your address with Parcelbird to ship orders.", "Parcelbird", 28)
        False
        >>> s = "FooLaw is the first state law to require a notice."
        >>> not_a_party(s, "FooLaw", 0)
        True
    """
    if _is_thing(name) or not strip_legal_form(name).strip(" ,.") or _LEGAL_FORM_ALONE.fullmatch(name.strip(" ,.")):
        return True
    end = start + len(name)
    if _IS_A_LAW.match(text, end) or _QUALIFIES.match(text, end) or _UNDER_LAW.search(text[max(0, start - 40): start]):
        return True
    before = text[max(0, start - 160): start]
    if _BRANDS_LIKE.search(before) or _INSIDE_NAME.search(text[max(0, start - 40): start]):
        return True
    title = _RUN_IN_TITLE.match(text)
    if title and "," in title.group(1) and start < title.end(1) and name not in text[title.end():]:
        return True  # a run of words in the title only ("With Your Consent, At Your Direction:"); a
        # lone name before a colon may be the company the item is about ("Parcelbird: ...")
    return any(c.start() <= start < c.end() and not re.search(rf"\b(?:{legal_form_pattern()})\W*$", c.group(0))
               for c in _CAPS_RUN.finditer(text))


def describes_service(text: str) -> bool:
    """Whether a sentence only says who provides a service ("Quillmetrics is provided by
    Quillmetrics Inc."): it names a company, but states no flow by itself.

    Example:
        >>> describes_service("Quillmetrics is provided by Quillmetrics Inc.")
        True
        >>> describes_service("We share your email with Quillmetrics.")
        False
    """
    return bool(_PROVIDED_BY.match(text.strip()))


#: Companies given as examples of a service, platform, app or account the reader uses ("if you
#: connect a third-party service (such as Facebook or X)", "log in with a social account, e.g.
#: Google"): the service itself, not the tracking pixel its name may also stand for.
_SERVICE_EXAMPLES = re.compile(
    r"\b(?:services?|platforms?|applications?|apps?|accounts?|log-?ins?|sign-?ins?)\s*[(,]?\s*"
    r"(?:such\s+as|like|e\.\s?g\.,?|including|for\s+example,?)\s+[^.;:()]{1,160}", re.I)


def service_examples(text: str) -> list[tuple[int, int]]:
    """Spans of ``text`` that name companies as examples of a service the reader uses.

    Example:
        >>> text = "If you link a third-party service (such as Facebook), we share your name with it."
        >>> [text[a:b] for a, b in service_examples(text)]
        ['service (such as Facebook']
    """
    return [(m.start(), m.end()) for m in _SERVICE_EXAMPLES.finditer(text)]


#: A place named for its laws ("to comply with U.S. state and federal laws", "the laws of
#: Japan", "applicable laws around the world"): where a law holds, not where data goes.
_LAWS_OF_PLACE = re.compile(
    r"\b(?:laws?|regulations?|legislation|courts?)\s+(?:of|in)\s+(?:the\s+)?[A-Z][\w.]{0,30}(?:\s+(?:of\s+)?[A-Z][\w.]{0,30}){0,3}"
    r"|(?<![\w.])[A-Z][\w.]{0,30}(?:\s+[A-Z][\w.]{0,30}){0,2}\s+(?:(?:state|federal|national|local|provincial)\s+(?:(?:and|or)\s+)?){0,3}"
    r"(?:laws?|regulations?|legislation)\b"
    r"|\b(?:laws?|regulations?|legislation)\s+(?:around|across|throughout)\s+the\s+(?:world|globe)\b")


def without_laws_places(text: str) -> str:
    """``text`` with the places named for their laws blanked (same length), for finding
    where data goes.

    Example:
        >>> without_laws_places("to comply with U.S. laws").strip()
        'to comply with'
    """
    return _LAWS_OF_PLACE.sub(lambda m: " " * len(m.group(0)), text)


@functools.cache
def _ordinary_words() -> frozenset[str]:
    """The ordinary English words (lower case; tools/build_words.py says which)."""
    data = resources.files("ropa.taxonomy").joinpath("english-words.txt.gz").read_bytes()
    return frozenset(gzip.decompress(data).decode("ascii").split())


def user_role(name: str) -> bool:
    """Whether a name is a role the service's own users take, singular or plural ("Driver",
    "Hosts", "Pet Owners"): other users, not a company.

    Example:
        >>> user_role("Drivers"), user_role("Rider"), user_role("Parcelbird")
        (True, True, False)
    """
    roles = _words("user_roles")
    word = fold(name).strip(" .,;:")
    return word in roles or (word.endswith("s") and (word[:-1] in roles or (word.endswith("es") and word[:-2] in roles)))


def role_key(name: str) -> str | None:
    """The recipient a role of the service's users stands for (:data:`OTHER_USERS`), or None
    for any other name.

    Example:
        >>> role_key("Hosts"), role_key("Parcelbird")
        ('third_party.other_users', None)
    """
    return OTHER_USERS if user_role(name) else None


def ordinary_name(name: str) -> bool:
    """Whether every word of a name is an ordinary English word or a role of users (not a
    word the word list also holds as a name, such as "Amazon"; not a domain, "Media.net").

    Example:
        >>> ordinary_name("Community Stories"), ordinary_name("Parcelbird"), ordinary_name("Amazon")
        (True, False, False)
    """
    if re.search(r"\w\.[a-z]{2,}\b", name, re.I) or re.search(r"\d", name):
        return False
    tokens = [t for t in re.split(r"[^a-z]+", fold(name)) if t]
    return bool(tokens) and all(t in _ordinary_words() or user_role(t) for t in tokens)


@functools.cache
def _ambiguous_vendors() -> frozenset[str]:
    """Names of the built-in vendors whose name is an English word ("Segment", "Drift")."""
    rows = package_yaml("vendors.yml").get("ambiguous_vendors") or []
    return frozenset(normalise_name(n) for v in rows for n in [v["name"], *(v.get("aliases") or [])])


_MARKED = re.compile(rf"\s*(?:[®™]|,?\s+(?=[A-Z]){legal_form_pattern()}(?!\w))")
_SEPARATORS = re.compile(r"(?:\s*(?:,|;|&|\band\b|\bor\b)\s*|\s*[A-Z][\w.&-]*\s*)*")


def _in_run(text: str, start: int, end: int, others: list[tuple[int, int]]) -> bool:
    """Whether the span stands next to another name, only separators and names between."""
    for a, b in others:
        gap = text[end:a] if a >= end else text[b:start] if b <= start else None
        if gap is not None and re.search(r"[,;&]|\band\b|\bor\b", gap) and _SEPARATORS.fullmatch(gap):
            return True
    return False


def without_ordinary(text: str, names: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """The names of ``names`` (found at their offsets in ``text``) that may be companies: one
    made of ordinary words goes unless a legal form or ® follows it, a built-in vendor has
    that name, or it stands in a run of names among which one is no ordinary word. A role of
    users stays, for the caller to read as other users.

    Example:
        >>> t = "We share it with Introduction and with the Driver."
        >>> [n for n, _ in without_ordinary(t, [("Introduction", 17), ("Driver", 43)])]
        ['Driver']
        >>> t = "We use Aria, Chargify and Basket Inc. to bill you."
        >>> [n for n, _ in without_ordinary(t, [("Aria", 7), ("Chargify", 13), ("Basket", 26)])]
        ['Aria', 'Chargify', 'Basket']
    """
    plain = [(s, s + len(n)) for n, s in names if not ordinary_name(n)]
    keep = []
    for name, start in names:
        end = start + len(name)
        if (not ordinary_name(name) or user_role(name) or strip_legal_form(name) != name or _MARKED.match(text, end)
                or normalise_name(name) in _ambiguous_vendors() or _in_run(text, start, end, plain)):
            keep.append((name, start))
    return keep


@functools.cache
def _role_pattern() -> re.Pattern[str]:
    roles = sorted(_words("user_roles"), key=len, reverse=True)
    caps = "|".join(r"\s+".join(re.escape(w[:1].upper() + w[1:]) for w in r.split()) for r in roles)
    low = "|".join(r"\s+".join(re.escape(w) for w in r.split()) for r in roles)
    det = r"(?:(?:the|your|their|each|every|a|an|that|this|any|another|other|fellow|all)\s+)?"
    return re.compile(
        rf"\b(?:with|to)\s+{det}(?P<one>(?:{caps})(?:e?s)?)\b(?!['’-])"
        rf"|\b(?i:other|fellow)\s+(?P<other>(?:{low})(?:e?s))\b(?!['’-])")


def role_mentions(text: str) -> list[tuple[int, int]]:
    """Spans of ``text`` where a role of the service's users stands as a recipient: capitalised
    after "with" or "to" ("with the Driver", "to Hosts"), or in any case after "other" or
    "fellow" ("other riders"); never a possessive ("the Rider's name": whose data, not who
    receives it). A role as a subject or a title ("Riders: we collect ...") is none.

    Example:
        >>> t = "We share with the Driver the Rider's name, and with other passengers."
        >>> [t[a:b] for a, b in role_mentions(t)]
        ['Driver', 'passengers']
    """
    out = []
    for m in _role_pattern().finditer(text):
        group = "one" if m.group("one") else "other"
        out.append((m.start(group), m.end(group)))
    return out
