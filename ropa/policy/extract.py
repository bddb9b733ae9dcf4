"""Rule-based extraction of statements from a policy text.

Every statement can be explained: it comes from one sentence, list item or table row
(its ``quote`` and ``line``), and each of its fields from a phrase found there:

- the **action** from cue phrases (``we ask you for`` → collect, ``share with`` → share,
  ``we use Hotjar to`` → track, ``does NOT share`` → not_share, ``keep ... for seven
  years`` → retain, ``you can ... unsubscribe`` → inform);
- **data categories, purposes, data subjects and rights** from the taxonomy's synonyms
  (longest phrase first, whole words, case-insensitive);
- **recipients** from the register's recipient names and aliases, the recipient
  categories' synonyms, and the built-in list of common processors and trackers
  (``ropa/taxonomy/vendors.yml``). A vendor the register does not hold gets the key
  ``vendor:<key>`` (``vendor:hotjar``); a company named only in a sub-processor table gets
  ``vendor:<slug of its name>``;
- **exceptions** of a negation from its ``unless ...`` clause (``consent``,
  ``legal_obligation``, ``contract``, ``vital_interests``), a **condition** from a
  ``when ...``/``if ...`` clause, **retention** from a duration (``seven years`` → ``P7Y``)
  or an ``until ...`` criterion, **consent** from ``only after you accept``-type phrases,
  **legal bases** only where the text names one (``legal obligation``, ``legitimate
  interest``, ...).

Context rules, each simple: list items take the action, recipient, condition and purposes
of the paragraph that introduces them ("DAS Incasso receives the following information
from us:"); a sentence that refers back ("This helps us ...", "these details") adds to the
statement before it; a category named with a definite article ("the collection agency")
means the entity under it named earlier in the section (DAS Incasso); statements about
trackers in a sub-section inherit the data and consent their parent section states;
statements without purposes take those of the section's other sentences and its title.

Phrases that look like a data item (a list item under "we collect:") or a company (a name
with ®, a legal form, CamelCase, a table's provider cell) but match no term are returned in
``unmapped`` with the nearest terms as suggestions.

Example:
    >>> from ropa.policy.extract import extract
    >>> res = extract("Privacy\\n\\n1. Newsletter\\n\\nWe ask you for:\\n\\n- your email address\\n"
    ...               "\\nWe use Mailchimp to send the newsletter.\\n")
    >>> res.statements[["section", "action", "data_categories", "recipients"]].values.tolist()
    [['1', 'collect', ['user.contact.email'], ['we']], ['1', 'share', ['user.contact.email'], ['vendor:mailchimp']]]
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import pandas as pd
import yaml

from ..core.taxonomy import Taxonomy, _normalise_phrase, default_taxonomy
from .model import sections_frame, statements_frame
from .parse import Block, ParsedPolicy, Section, block_sentences, parse

__all__ = [
    "UNMAPPED_COLUMNS",
    "ExtractionResult",
    "contacts_in",
    "entity_taxonomy",
    "extract",
    "score_extraction",
    "stated_date",
    "vendors",
]

UNMAPPED_COLUMNS = ["section", "phrase", "kind", "quote", "suggestions"]

# -- built-in vendors ---------------------------------------------------------------------


@functools.cache
def _vendor_records() -> tuple[dict[str, Any], ...]:
    text = resources.files("ropa.taxonomy").joinpath("vendors.yml").read_text(encoding="utf-8")
    data = yaml.safe_load(text) or {}
    return tuple(dict(v) for v in data.get("vendors", []))


def vendors() -> pd.DataFrame:
    """The built-in list of common processors and trackers (``ropa/taxonomy/vendors.yml``).

    Columns: key, name, aliases, category, country, tracker; ``recipient`` is the entity key
    a statement uses for the vendor when the register does not hold it (``vendor:<key>``).

    Example:
        >>> from ropa.policy.extract import vendors
        >>> row = vendors().set_index("key").loc["hotjar"]
        >>> row["recipient"], row["country"], bool(row["tracker"])
        ('vendor:hotjar', 'MT', True)
    """
    frame = pd.DataFrame(list(_vendor_records()), columns=["key", "name", "aliases", "category", "country", "tracker"])
    frame["aliases"] = frame["aliases"].map(lambda a: list(a or []))
    frame["tracker"] = frame["tracker"].astype(bool)
    frame["recipient"] = "vendor:" + frame["key"]
    return frame


def _register_ids(tax: Taxonomy) -> dict[str, str]:
    """Normalised name/alias -> recipient id, for the register's own recipients."""
    terms = tax.terms
    reg = terms[(terms["kind"] == "recipient") & (terms["source"] == "register")]
    out: dict[str, str] = {}
    for key, name, syns in zip(reg["key"], reg["name"], reg["synonyms"], strict=True):
        for phrase in [key, name, *list(syns or [])]:
            if isinstance(phrase, str) and phrase:
                out.setdefault(_normalise_phrase(phrase), key)
    return out


@functools.lru_cache(maxsize=16)
def _vendor_resolution(tax: Taxonomy) -> tuple[dict[str, str], pd.DataFrame]:
    """Phrase -> entity key for every vendor phrase, and the vendors the register lacks."""
    reg = _register_ids(tax)
    known_recipients = set(tax.keys("recipient"))
    phrases: dict[str, str] = {}
    missing = []
    for v in _vendor_records():
        names = [v["name"], *list(v.get("aliases") or [])]
        reg_id = next((reg[_normalise_phrase(n)] for n in names if _normalise_phrase(n) in reg), None)
        key = reg_id or f"vendor:{v['key']}"
        for n in names:
            phrases.setdefault(_normalise_phrase(n), key)
        if reg_id is None and key not in known_recipients:
            missing.append({"recipient_id": key, "name": v["name"], "aliases": list(v.get("aliases") or []),
                            "category": v["category"]})
    return phrases, pd.DataFrame(missing, columns=["recipient_id", "name", "aliases", "category"])


@functools.lru_cache(maxsize=16)
def entity_taxonomy(tax: Taxonomy | None = None) -> Taxonomy:
    """The taxonomy with the built-in vendors the register lacks added as ``vendor:<key>``
    entities under their categories, so that subsumption works for them too.

    Example:
        >>> from ropa.policy.extract import entity_taxonomy
        >>> bool(entity_taxonomy().is_under("recipient", "vendor:hotjar", "third_party.tracker"))
        True
    """
    tax = tax or default_taxonomy()
    _, missing = _vendor_resolution(tax)
    return tax.with_entities(missing) if len(missing) else tax


def _vendor_trackers(tax: Taxonomy) -> set[str]:
    phrases, _ = _vendor_resolution(tax)
    tracker_keys = {f"vendor:{v['key']}" for v in _vendor_records() if v.get("tracker")}
    out = set()
    for v in _vendor_records():
        if v.get("tracker"):
            key = phrases.get(_normalise_phrase(v["name"]))
            if key:
                out.add(key)
    return out | tracker_keys


# -- the lexicon --------------------------------------------------------------------------

#: Phrases of the taxonomy that are too common in policy prose to mean the term.
_IGNORED = {
    "data_category": {"website", "content", "function", "position", "country", "service", "language",
                      "telephone", "behaviour", "behavior", "email", "e-mail"},
    "data_use": {"collect", "service", "functional", "essential", "support", "security", "login"},
    "data_subject": set(),
    "right": {"access", "correct", "remove", "delete", "modify", "withdraw", "object", "complain"},
    "recipient": {"we", "us", "our", "ours", "partners"},
}
#: Phrases that only count in a context that makes them mean the term (the data "email"
#: only outside "by email", "email newsletter", ...; rights words only near "request"/"right").
_CHANNEL = re.compile(
    r"\b(?:by|via|per|through)\s+(?:e-?mail|phone|telephone|post|mail)\b|\be-?mail[\s-]?(?:newsletters?|marketing|messages?)\b"
    r"|\bmarketing[\s-](?:related\s+)?e-?mails?\b|\bemails? (?:newsletters?)\b", re.I)
_WORD_EMAIL = re.compile(r"(?<![\w-])e-?mail(?![\w-])", re.I)


@dataclass
class _Mention:
    kind: str
    key: str
    start: int
    end: int
    phrase: str


def _phrase_regex(phrases: Iterable[str]) -> re.Pattern[str] | None:
    alts = sorted({p for p in phrases if p}, key=lambda p: (-len(p), p))
    if not alts:
        return None
    body = "|".join(re.escape(p).replace(r"\ ", r"\s+").replace("'", "['’]") for p in alts)
    return re.compile(rf"(?<![\w]){'(?:' + body + ')'}(?![\w])", re.I)


class _Lexicon:
    """Phrase matchers for one taxonomy (and register), built once and cached."""

    def __init__(self, tax: Taxonomy):
        self.tax = tax
        self.etax = entity_taxonomy(tax)
        self.maps: dict[str, dict[str, str]] = {}
        self.regex: dict[str, re.Pattern[str] | None] = {}
        for kind in ("data_category", "data_use", "data_subject", "right"):
            syn = {p: k for p, k in tax.synonyms(kind).items() if p not in _IGNORED[kind] and len(p) > 1}
            self.maps[kind] = syn
            self.regex[kind] = _phrase_regex(syn)
        # Entities: the register's recipients and the recipient categories, then vendors.
        # `we` itself is the actor, not an entity; `we.internal` ("internally") is kept.
        ent = {p: k for p, k in tax.synonyms("recipient").items() if p not in _IGNORED["recipient"] and k != "we"}
        vendor_phrases, _ = _vendor_resolution(tax)
        for p, k in vendor_phrases.items():
            ent.setdefault(p, k)
        self.maps["recipient"] = ent
        # Short names ("DAS", "AWS") match only as written; longer ones in any case.
        self.regex["recipient"] = _phrase_regex(p for p in ent if len(p) > 4)
        exact = sorted(self._original_short_phrases(tax), key=len, reverse=True)
        self.regex["recipient_exact"] = (
            re.compile(r"(?<![\w])(?:" + "|".join(re.escape(p) for p in exact) + r")(?![\w])") if exact else None)
        terms = tax.terms
        rec = terms[(terms["kind"] == "recipient") & (terms["source"] != "register")]
        self.categories = frozenset(rec["key"])
        self.named = [(p, k) for p, k in ent.items() if k not in self.categories and len(p) > 3]
        self._named_rx: list[tuple[str, str, re.Pattern[str]]] | None = None
        self.trackers = _vendor_trackers(tax) | set(self.etax.descendants("recipient", "third_party.tracker")) | {
            "third_party.tracker"}
        self.countries = _country_lexicon(tax)

    def named_patterns(self) -> list[tuple[str, str, re.Pattern[str]]]:
        """Each named entity's phrase as a whole-word pattern, compiled once (there are more
        than the ``re`` module's cache holds)."""
        if self._named_rx is None:
            self._named_rx = [(p, k, re.compile(rf"(?<!\w){re.escape(p)}(?!\w)")) for p, k in self.named]
        return self._named_rx

    @staticmethod
    def _original_short_phrases(tax: Taxonomy) -> set[str]:
        out = set()
        terms = tax.terms
        rec = terms[terms["kind"] == "recipient"]
        for name, syns in zip(rec["name"], rec["synonyms"], strict=True):
            for p in [name, *list(syns or [])]:
                if isinstance(p, str) and 1 < len(p) <= 4 and p.lower() not in _IGNORED["recipient"]:
                    out.add(p)
        for v in _vendor_records():
            for p in [v["name"], *list(v.get("aliases") or [])]:
                if 1 < len(p) <= 4:
                    out.add(p)
        return out

    def find(self, kind: str, text: str, mask: str | None = None) -> list[_Mention]:
        """Non-overlapping mentions of one kind, leftmost-longest."""
        out: list[_Mention] = []
        pattern = self.regex.get(kind)
        src = mask if mask is not None else text
        if pattern is not None:
            for m in pattern.finditer(src):
                phrase = _normalise_phrase(m.group(0))
                key = self.maps[kind].get(phrase)
                if kind == "recipient" and key in self.categories:
                    # "the relevant authorities" holds the register's "relevant authorities".
                    key = next((k for p, k, rx in self.named_patterns() if p != phrase and rx.search(phrase)), key)
                if key:
                    out.append(_Mention(kind, key, m.start(), m.end(), text[m.start(): m.end()]))
        if kind == "recipient" and self.regex.get("recipient_exact") is not None:
            taken = [(o.start, o.end) for o in out]
            for m in self.regex["recipient_exact"].finditer(src):
                if any(s < m.end() and m.start() < e for s, e in taken):
                    continue
                key = self.maps[kind].get(_normalise_phrase(m.group(0)))
                if key:
                    out.append(_Mention(kind, key, m.start(), m.end(), m.group(0)))
            out.sort(key=lambda o: o.start)
        return out


@functools.lru_cache(maxsize=16)
def _lexicon(tax: Taxonomy) -> _Lexicon:
    return _Lexicon(tax)


_COUNTRY_EXTRA = {
    "USA": "US", "U.S.": "US", "U.S.A.": "US", "United States of America": "US", "the US": "US",
    "UK": "GB", "U.K.": "GB", "Great Britain": "GB", "England": "GB", "Britain": "GB",
    "the Netherlands": "NL", "Holland": "NL", "South Korea": "KR", "Korea": "KR", "Russia": "RU",
    "Czech Republic": "CZ", "Czechia": "CZ", "Vietnam": "VN", "Taiwan": "TW", "Iran": "IR",
    "Bolivia": "BO", "Venezuela": "VE", "Tanzania": "TZ", "Syria": "SY", "Moldova": "MD",
}


@functools.lru_cache(maxsize=4)
def _country_lexicon(tax: Taxonomy) -> tuple[re.Pattern[str], dict[str, str]]:
    import pycountry

    names: dict[str, str] = {}
    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(c, attr, None)
            if value and "," not in value:
                names[value] = c.alpha_2
    names.update(_COUNTRY_EXTRA)
    names.update({"European Union": "EU", "the EU": "EU", "European Economic Area": "EEA", "the EEA": "EEA"})
    # Names that are common words or parts of other phrases are left out.
    for word in ("Jersey", "Chad", "Georgia", "Guinea", "Niger", "Jordan", "Turkey", "Mali", "Togo"):
        names.pop(word, None)
    alts = sorted(names, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w])(?:" + "|".join(re.escape(a) for a in alts) + r")(?![\w])")
    return pattern, names


# -- cue phrases ----------------------------------------------------------------------------

_NEG = r"(?:do|does|did|will|shall|would|can|may|must)\s*(?:not|n['’]t)"
_NEG_SHARE = re.compile(
    rf"\b{_NEG}\s+(?:\w+\s+){{0,2}}?(?:share|sell|rent|lease|trade|disclose|pass|transfer|give|provide|make\w*\s+available|hand|sends?)\b"
    r"|\bnever\s+(?:\w+\s+){0,2}?(?:share|sell|rent|lease|trade|disclose|pass|transfer|give|provide)\b"
    r"|\b(?:is|are|will\s+be|be)\s+not\s+(?:be\s+)?(?:shared|sold|rented|disclosed|passed|transferred|given)\b"
    r"|\bno\s+(?:personal\s+)?(?:data|information)\s+(?:is|are|will\s+be)\s+(?:shared|sold|disclosed)\b", re.I)
_NEG_COLLECT = re.compile(
    rf"\b{_NEG}\s+(?:\w+\s+){{0,2}}?(?:collect|record|store|save|gather|ask\s+for|request|process|keep|track|log|capture|see|read)\b"
    r"|\bnever\s+(?:\w+\s+){0,2}?(?:collect|record|store|ask\s+for|track|process)\b"
    r"|\b(?:is|are|will\s+be)\s+not\s+(?:collected|recorded|stored|tracked|processed)\b", re.I)
_EXCEPT = re.compile(r"\b(?:unless|except(?:\s+(?:where|when|if|as))?|other\s+than|save\s+(?:where|when)|apart\s+from|but\s+only)\b", re.I)
_RETAIN_VERB = re.compile(
    r"\b(?:keep|keeps|kept|retain|retains|retained|store|stores|stored|hold|holds|held|delete|deletes|deleted|"
    r"erase|erases|erased|remove|removes|removed|destroy|destroys|destroyed|anonymi[sz]e[sd]?|purge[sd]?)\b|"
    r"\bretention\s+period", re.I)
_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                 "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "eighteen": 18,
                 "twenty": 20, "twenty-four": 24, "thirty": 30, "sixty": 60, "ninety": 90}
_DURATION = re.compile(
    r"\b(\d{1,4}|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + r")\s*(?:\(\d+\)\s*)?"
    r"(?:full\s+|calendar\s+)?(day|week|month|year)s?\b", re.I)
_UNTIL = re.compile(r"\b(until|till|as\s+long\s+as|for\s+as\s+long\s+as)\s+([^,.;()]+)", re.I)
_WHEN_DELETE = re.compile(r"\b(?:deleted|erased|removed|destroyed|anonymi[sz]ed)\s+(when|once|if|as\s+soon\s+as)\s+([^,.;()]+)", re.I)
_TRACK = re.compile(r"\b(?:track\w*|pixel|tag|cookies?|trackers?|heatmaps?|record(?:s|ing)?\s+(?:your\s+)?(?:sessions?|heatmaps?|clicks)|"
                    r"install\w*|placed?|places|set\s+(?:a\s+)?cookies?|analytics)\b", re.I)
_SHARE = re.compile(
    r"\b(?:share[sd]?|sharing|disclos\w*|pass(?:es|ed|ing)?\s+(?:on|along|it|them|this|these|your|the|data|to)\b|"
    r"transfer\w*|sell\w*|sold|provid\w*\s+(?:\S+\s+){0,5}?to\b|send\w*\s+(?:\S+\s+){0,5}?to\b|receives?|received|forward\w*|"
    r"hand\w*\s+over|made\s+available|make\s+available|access\s+to|hosts?\s+for\s+us|"
    r"(?:hosted|handled|processed|managed|provided|carried\s+out|done)\s+by|on\s+our\s+behalf|"
    r"process\w*\s+(?:\S+\s+){0,5}?for\s+us|partner|sub-?processors?|processors?)", re.I)
_COLLECT = re.compile(
    r"\b(?:collect(?:s|ed|ing)?|ask\w*\s+(?:you\s+)?(?:for|to\s+provide)|gather\w*|obtain\w*|sav(?:e|ed|es|ing)|stor(?:e|ed|es|ing)|"
    r"record\w*|registers?|registered|archiv\w*|captur\w*|logs?|logged|receive\w*\s+from\s+you|"
    r"you\s+(?:provide|give|submit|enter|leave|send\s+us|fill)\w*|provided\s+by\s+you|submit\w*|leave\s+behind|"
    r"we\s+keep|keep\s+(?:a\s+)?(?:record|copy))\b", re.I)
_USE = re.compile(
    r"\b(?:use[sd]?(?!\s+(?:of\s+)?(?:our|the|any\s+of\s+our)\s+(?:services?|products?|websites?|platform))|using|process\w*|"
    r"analy[sz]\w*|send\w*|include\w*|added\s+to|add\s+your|requires?|"
    r"need\w*|tie\w*|link\w*|contact\s+you|keep\s+you\s+up\s+to\s+date|inform\s+you|personali[sz]\w*|verify|check)\b", re.I)
_RIGHT_CUE = re.compile(
    r"\b(?:right|rights|you\s+(?:can|may|have|are\s+entitled)|requests?|entitled|lodge|complain\w*|unsubscrib\w*|"
    r"opt[\s-]?out|withdraw\w*|object\b|contact\s+us)", re.I)
_RIGHT_WORDS = re.compile(  # rights words that count only beside a rights cue
    r"\b(?:access|correct|rectify|remove|removal|delete|deletion|erase|modify\w*|restrict\w*|object|withdraw|"
    r"complain|port\w*)\b", re.I)
# Cue words may stand apart in a sentence by at most 400 characters (``[^.]{0,400}``): an
# unbounded ``[^.]*`` scans the rest of the sentence from every cue, which a sentence of
# thousands of cues turns into quadratic time.
_REFERENCE = re.compile(
    r"\b(?:for\s+more\s+information|please\s+(?:review|read|see|visit|consult|refer)|see\s+(?:their|its|the)\s+\w*\s*privacy|"
    r"learn\s+more|read\s+more|can\s+be\s+found\s+(?:in|at|here)|more\s+details?\s+(?:can\s+be|are)|"
    r"\b(?:below|above|in\s+this\s+(?:privacy\s+)?(?:policy|statement|notice))\b[^.]{0,400}\b(?:describe|explain|set\s+out|tell)|"
    r"\bwe\s+(?:describe|explain)\s+(?:below|here|how))", re.I)
_COMPLIANCE = re.compile(r"\b(?:adhere|comply|complies|compliance|in\s+line\s+with|in\s+accordance\s+with)\b", re.I)
_CONSENT = re.compile(
    r"\b(?:with\s+your\s+(?:explicit\s+|prior\s+|express\s+)?(?:consent|permission)|"
    r"only\s+(?:\S+\s+){0,5}?(?:after|if|when|once)\s+you\s+(?:have\s+)?(?:accept|agree|consent|opt|tick|give|allow|click)\w*|"
    r"after\s+you\s+(?:have\s+)?(?:accept|agree|consent|allow)\w*|(?:when|if|once)\s+you\s+(?:tick|check)\s+the\s+box|"
    r"opt[\s-]?in|if\s+you\s+(?:agree|consent|accept|allow)|based\s+on\s+your\s+consent|(?:you|you've|you\s+have)\s+(?:given|give)\s+(?:us\s+)?(?:your\s+)?consent|"
    r"require\s+your\s+consent|ask\s+(?:for\s+)?your\s+consent)", re.I)
_WITHOUT_CONSENT = re.compile(r"\bwithout\s+(?:your\s+|asking\s+(?:for\s+)?(?:your\s+)?)?(?:explicit\s+|prior\s+)?consent\b", re.I)
_CONDITION = re.compile(r"\b(?:when(?:ever)?|if|in\s+case|once|as\s+soon\s+as)\b[^,;:.()]*", re.I)
_SELF_HOSTED = re.compile(r"\bself[\s-]?hosted\b|\bon\s+our\s+own\s+(?:servers?|systems?|infrastructure)\b|\bin[\s-]house\b", re.I)
_ANAPHOR_START = re.compile(
    r"^(?:this|these|it|they|that|those|such|firstly|secondly|thirdly|finally|also|we\s+do\s+this|doing\s+so|"
    r"in\s+this\s+way|this\s+way|hereby)\b", re.I)
_ANAPHOR_DATA = re.compile(
    r"\b(?:this|these|that|those|such|the\s+same|the\s+above|this\s+personal|these\s+personal)\s+(?:personal\s+)?"
    r"(?:information|data|details|message|messages|content)\b|\b(?:it|them|this)\s+(?:is|are|will\s+be)\s+(?:shared|passed|sent|used|stored|saved)\b"
    r"|\bthen\s+this\b", re.I)
_PRONOUN = re.compile(r"\b(?:them|it|this|these|they)\b", re.I)
_EXEMPLIFY = re.compile(r"\b(?:such\s+as|including|like|e\.g\.|for\s+example|for\s+instance|in\s+particular|namely)\b", re.I)
_DEFINITE = re.compile(r"\b(?:the|our|this|that|these|those|its|said|such)\s+$", re.I)
_LEGAL_BASIS = (
    ("art6_1_a", re.compile(r"\b(?:legal|lawful)\s+basis\b[^.]{0,400}\bconsent\b|\bon\s+the\s+basis\s+of\s+your\s+consent\b|\bbased\s+on\s+your\s+consent\b|\bart(?:icle|\.)?\s*6\s*\(1\)\s*\(?a\b", re.I)),
    ("art6_1_b", re.compile(r"\b(?:performance|perform|fulfil\w*|execution)\s+of\s+(?:a|the|our|your)\s+(?:\w+\s+)?(?:contract|agreement)|\bnecessary\s+for\s+(?:a|the|our)\s+contract|\bart(?:icle|\.)?\s*6\s*\(1\)\s*\(?b\b", re.I)),
    ("art6_1_c", re.compile(r"\blegal\s+obligations?\b|\b(?:required|obliged|obligated)\s+by\s+(?:\w+\s+)?law\b|\blaw\s+requires\b|\b(?:tax\s+)?law\s+(?:requires|obliges)\b|\bart(?:icle|\.)?\s*6\s*\(1\)\s*\(?c\b", re.I)),
    ("art6_1_d", re.compile(r"\bvital\s+interests?\b|\bart(?:icle|\.)?\s*6\s*\(1\)\s*\(?d\b", re.I)),
    ("art6_1_e", re.compile(r"\bpublic\s+(?:task|interest)\b|\bofficial\s+authority\b|\bart(?:icle|\.)?\s*6\s*\(1\)\s*\(?e\b", re.I)),
    ("art6_1_f", re.compile(r"\blegitimate\s+interests?\b|\bart(?:icle|\.)?\s*6\s*\(1\)\s*\(?f\b", re.I)),
)
_EXCEPTION_KEYS = (
    ("explicit_consent", re.compile(r"\bexplicit(?:ly)?\s+(?:\w+\s+){0,2}?consent|\bconsent\w*\s+explicitly", re.I)),
    ("consent", re.compile(r"\b(?:consent|permission|agree\w*|approv\w*|authori[sz]ation\s+from\s+you|you\s+(?:ask|instruct))", re.I)),
    ("legal_obligation", re.compile(r"\b(?:law|laws|legal\w*|authorit\w*|court\w*|government\w*|required|requires|forced|"
                                    r"compelled|oblig\w*|subpoena\w*|police|regulator\w*|lawful\s+request)", re.I)),
    ("contract", re.compile(r"\b(?:contract\w*|agreement|to\s+(?:provide|deliver)\s+(?:the|our|you)\b|perform\w*\s+(?:the|our)\s+service)", re.I)),
    ("vital_interests", re.compile(r"\b(?:vital|life|lives|emergenc\w*|safety\s+of)", re.I)),
)
_SCOPE_APPLIES = re.compile(
    r"\b(?:this|our|the)\s+(?:privacy\s+)?(?:policy|statement|notice)\b[^.]{0,400}?\b(?:applies|is\s+(?:\w+\s+){0,3}?(?:intended|meant|written|addressed)|"
    r"covers|is\s+for|relates)\b", re.I)
_SCOPE_EXCLUDES = re.compile(
    r"\b(?:does\s+not|doesn['’]t|do\s+not|don['’]t)\s+(?:apply|cover|relate)\b|\bnot\s+(?:intended|meant)\s+for\b|"
    r"\bexcluded\b|\bseparate\s+(?:privacy\s+)?(?:policy|notice|statement)\b|\bout\s+of\s+scope\b", re.I)


# -- results --------------------------------------------------------------------------------


@dataclass
class ExtractionResult:
    """What extraction found in one policy text.

    Attributes:
        sections: number, title, level, text, line_start, line_end.
        statements: the statements (:data:`ropa.policy.model.STATEMENT_COLUMNS`), origin ``extracted``.
        meta: ``title``, ``stated_date`` (YYYY-MM-DD or None), ``controller`` (names the
            policy uses for the controller), ``scope`` (``applies_to``/``excludes``
            data-subject keys, when the policy scopes itself), ``contacts`` (email
            addresses, phone numbers and postal addresses the text gives, each with its
            section and role: controller, privacy or dpo).
        unmapped: section, phrase, kind, quote, suggestions.
        outline: the parsed text (sections and their blocks).
    """

    sections: pd.DataFrame
    statements: pd.DataFrame
    meta: dict[str, Any]
    unmapped: pd.DataFrame
    outline: ParsedPolicy | None = None


@dataclass
class _Facts:
    """What one sentence, item or row says."""

    text: str
    line: int
    data: list[str] = field(default_factory=list)
    purposes: list[str] = field(default_factory=list)
    subjects: list[str] = field(default_factory=list)
    rights: list[str] = field(default_factory=list)
    entities: list[str] = field(default_factory=list)
    internal: bool = False
    countries: list[str] = field(default_factory=list)
    action: str | None = None
    actor: str = "we"
    exceptions: list[str] = field(default_factory=list)
    consent: bool = False
    condition: str = ""
    retention: str = ""
    legal_bases: list[str] = field(default_factory=list)
    anaphor_start: bool = False
    anaphor_data: bool = False
    pronoun: bool = False
    reference: bool = False
    self_hosted: bool = False
    share_cue: bool = False
    unmapped_names: list[str] = field(default_factory=list)
    mentioned: list[str] = field(default_factory=list)


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(i for i in items if i))


#: Statements a sentence may refer back to.
_LOOKBACK = 200
#: Unmapped phrases that get suggestions (a person reviews a few dozen, not thousands).
_MAX_SUGGESTED = 500


class _Extractor:
    def __init__(self, text: str, register: Any, filename: str | None):
        self.text = text if isinstance(text, str) else ""
        self.register = register
        self.filename = filename
        self.tax: Taxonomy = getattr(register, "taxonomy", None) or default_taxonomy()
        self.lex = _lexicon(self.tax)
        self.etax = self.lex.etax
        self.outline = parse(self.text, filename)
        self.controllers = _controller_candidates(register, self.outline)
        self.controller_names = [rx for _, rx in self.controllers]
        self.records: list[dict[str, Any]] = []
        self.unmapped: list[dict[str, Any]] = []
        self._groups: dict[Any, list[dict[str, Any]]] = {}  # a list's statements, by its group
        # The newest sentence statement of the current section per action and recipients.
        self._flows: dict[tuple[str, str, frozenset[str]], dict[str, Any]] = {}
        self._informs: dict[str, list[list[str]]] = {}  # the rights of each section's inform statements
        self._eea_codes: dict[str, bool] = {}
        self._suggested: dict[tuple[str, str], list[str]] = {}

    def _append(self, rec: dict[str, Any]) -> None:
        if self.records and self.records[-1]["section"] != rec["section"]:
            self._flows.clear()  # the same section's statements stand together
        self.records.append(rec)
        if rec["_from"] == "sentence":
            self._flows[(rec["section"], rec["action"], frozenset(rec["recipients"]))] = rec
        if rec.get("_group"):
            self._groups.setdefault(rec["_group"], []).append(rec)
        if rec["action"] == "inform":
            self._informs.setdefault(rec["section"], []).append(list(rec["rights"]))

    def _recent(self) -> Iterable[dict[str, Any]]:
        """The statements made so far, newest first, as far back as _LOOKBACK (sentences refer
        back a few statements, not thousands: an unbounded look back is quadratic time)."""
        return itertools.islice(reversed(self.records), _LOOKBACK)

    def _eea(self, code: str) -> bool:
        if code not in self._eea_codes:
            self._eea_codes[code] = bool(self.tax.is_eea([code])[0])
        return self._eea_codes[code]

    def _suggest(self, kind: str, phrase: str) -> list[str]:
        """The nearest terms for an unmapped phrase; none after the first _MAX_SUGGESTED phrases
        (a fuzzy match against the whole taxonomy each: a hostile text names thousands)."""
        key = (kind, phrase)
        if key not in self._suggested:
            if len(self._suggested) >= _MAX_SUGGESTED:
                return []
            tax = self.etax if kind == "recipient" else self.tax
            self._suggested[key] = tax.suggest(kind, phrase)
        return list(self._suggested[key])

    # -- sentence analysis ------------------------------------------------------------------
    def analyse(self, text: str, line: int, section_entities: Sequence[str] = (), item: bool = False) -> _Facts:
        """What a sentence (or, with ``item``, a list item) says."""
        f = _Facts(text=text, line=line)
        norm = text.replace("’", "'")
        f.reference = bool(_REFERENCE.search(norm))
        compliance = bool(_COMPLIANCE.search(norm))
        neg_share, neg_collect = _NEG_SHARE.search(norm), _NEG_COLLECT.search(norm)
        scope = norm
        if neg_share or neg_collect:
            f.action = "not_share" if neg_share and (not neg_collect or neg_share.start() <= neg_collect.start()) else "not_collect"
            exc = _EXCEPT.search(norm, (neg_share or neg_collect).end())
            if exc:
                clause = norm[exc.end():]
                f.exceptions = [k for k, rx in _EXCEPTION_KEYS if rx.search(clause)]
                if "explicit_consent" in f.exceptions and "consent" in f.exceptions:
                    f.exceptions.remove("consent")  # the stricter promise is the one made
                scope = norm[: exc.start()]
        mask = self._mask_controller(scope)
        data_mask = _CHANNEL.sub(lambda m: " " * len(m.group(0)), mask)
        data_m = self.lex.find("data_category", scope, data_mask)
        # "email" means the address only where it is not a channel or a message.
        for m in _WORD_EMAIL.finditer(data_mask):
            if not any(d.start <= m.start() < d.end for d in data_m) and _email_is_data(data_mask, m):
                data_m.append(_Mention("data_category", "user.contact.email", m.start(), m.end(), m.group(0)))
        data_m.sort(key=lambda m: m.start)
        f.condition = _condition(scope)
        if item:
            # A list item names its data first; the rest says why ("Billing address, in case ...").
            head = _ITEM_HEAD.search(scope)
            if head and any(m.start < head.start() for m in data_m):
                data_m = [m for m in data_m if m.start < head.start()]
        elif f.condition:
            # Data named only in the condition ("when an invoice is past its due date") is a
            # trigger, not what is processed, when the main clause names data of its own.
            c0 = scope.find(f.condition)
            inside = [m for m in data_m if c0 <= m.start < c0 + len(f.condition)]
            if inside and len(inside) < len(data_m):
                data_m = [m for m in data_m if m not in inside]
        f.data = self._narrow(data_m, "data_category", norm)
        # A purpose word inside a data phrase ("billing" in "billing address") is the data.
        ents = self.lex.find("recipient", scope, mask)
        # ... and one inside a name ("analytics" in "Google Analytics") is the name.
        uses = [u for u in self.lex.find("data_use", scope, mask)
                if not any(d.start <= u.start and u.end <= d.end for d in data_m)
                and not any(e.start <= u.start and u.end <= e.end and (e.end - e.start) > (u.end - u.start) for e in ents)]
        f.purposes = self._narrow(uses, "data_use", norm)
        f.subjects = _unique(m.key for m in self.lex.find("data_subject", scope, mask))
        f.countries = self._countries(scope)
        f.entities, f.internal = self._entities(ents, scope, section_entities,
                                                broadest=f.action in ("not_share", "not_collect"))
        f.mentioned = list(f.entities)
        f.self_hosted = bool(_SELF_HOSTED.search(norm))
        # rights
        if _RIGHT_CUE.search(norm):
            rights = [m.key for m in self.lex.find("right", norm)]
            for m in _RIGHT_WORDS.finditer(norm):
                key = self.tax.lookup("right", m.group(0).lower())
                if key:
                    rights.append(key)
            f.rights = _unique(sorted(set(rights), key=rights.index))
        f.anaphor_start = bool(_ANAPHOR_START.match(norm.strip()))
        f.anaphor_data = bool(_ANAPHOR_DATA.search(norm))
        f.pronoun = bool(_PRONOUN.search(norm))
        f.consent = bool(_CONSENT.search(norm)) and not _WITHOUT_CONSENT.search(norm) and not f.exceptions
        f.legal_bases = [k for k, rx in _LEGAL_BASIS if rx.search(norm)]
        f.share_cue = bool(_SHARE.search(scope))
        self._retention(f, norm)
        self._action(f, scope)
        self._actor(f, scope, ents)
        if compliance and not f.purposes and f.action in ("use", "collect") and not f.entities:
            f.reference = True  # "When processing your data we adhere to the GDPR": no flow of its own
        return f

    def _mask_controller(self, text: str) -> str:
        out = text
        for rx in self.controller_names:
            out = rx.sub(lambda m: " " * len(m.group(0)), out)
        return out

    def _narrow(self, mentions: list[_Mention], kind: str, text: str) -> list[str]:
        """Keys in order; a broader term is dropped when a narrower one follows an
        exemplifier ("personal information, such as login information")."""
        keys = _unique(m.key for m in mentions)
        ex = _EXEMPLIFY.search(text)
        if len(keys) < 2 or not ex:
            return keys
        drop = {a.key for a in mentions for b in mentions
                if a.key != b.key and a.start < ex.start() <= b.start and self.tax.is_under(kind, b.key, a.key)}
        return [k for k in keys if k not in drop]

    def _countries(self, text: str) -> list[str]:
        pattern, names = self.lex.countries
        found = []
        for m in pattern.finditer(text):
            code = names.get(m.group(0))
            if code:
                found.append(code)
        return _unique(found)

    def _entities(self, ents: list[_Mention], text: str, section_entities: Sequence[str],
                  broadest: bool = False) -> tuple[list[str], bool]:
        keys: list[str] = []
        internal = False
        earlier = list(section_entities)
        for m in ents:
            key = m.key
            if key.startswith("we"):
                internal = True
                continue
            # "Google" where the section already named "Google Ads": the shortened name.
            for prev in reversed(earlier):
                if prev != key and self._name_extends(prev, m.phrase):
                    key = prev
                    break
            # "the collection agency": the entity under that category named before.
            definite = _DEFINITE.search(text[: m.start]) or re.match(r"(?:the|our)\s", m.phrase, re.I)
            if key in self.lex.categories and key != "third_party" and definite:
                for prev in reversed(earlier + keys):
                    if prev != key and prev not in self.lex.categories and self.etax.is_under("recipient", prev, key):
                        key = prev
                        break
            keys.append(key)
            earlier.append(key)
        keys = _unique(keys)
        # A category named beside an entity under it ("our collection agency (DAS Incasso)")
        # means the entity; in a negation the broadest wins ("not to anyone, nor advertisers").
        if broadest:
            drop = {b for a in keys for b in keys if a != b and self.etax.is_under("recipient", b, a)}
        else:
            drop = {a for a in keys for b in keys if a != b and self.etax.is_under("recipient", b, a)}
        return [k for k in keys if k not in drop], internal

    def _name_extends(self, key: str, phrase: str) -> bool:
        p = _normalise_phrase(phrase)
        for name, k in self.lex.maps["recipient"].items():
            if k == key and name.startswith(p + " "):
                return True
        return False

    def _retention(self, f: _Facts, norm: str) -> None:
        if f.action in ("not_share", "not_collect") or not _RETAIN_VERB.search(norm):
            return
        dur = _DURATION.search(norm)
        if dur and re.search(r"\b(?:for|after|of|within|up\s+to|maximum|max\.?|at\s+most)\s+(?:\S+\s+){0,2}$",
                             norm[: dur.start()], re.I) is None and not re.search(r"\b(?:for|after)\b", norm[dur.end(): dur.end() + 8]):
            # a number of days not attached to keeping ("within 30 days we answer") is not retention
            dur = None if not re.search(r"\b(?:kept|keep|retain\w*|stored?|held|hold)\b", norm[: dur.start()], re.I) else dur
        if dur:
            n = dur.group(1).lower()
            count = int(n) if n.isdigit() else _NUMBER_WORDS.get(n, 0)
            unit = {"day": "D", "week": "W", "month": "M", "year": "Y"}[dur.group(2).lower()]
            if count:
                f.retention = f"P{count}{unit}"
                after = re.match(r"\s*(after|from|following)\s+([^,.;()]+)", norm[dur.end():], re.I)
                if after:
                    f.condition = f"{after.group(1)} {after.group(2).strip()}"
                return
        m = _WHEN_DELETE.search(norm)
        if m:
            f.retention = f"until {m.group(2).strip()}"
            return
        m = _UNTIL.search(norm)
        if m:
            f.retention = f"{m.group(1).lower()} {m.group(2).strip()}"

    def _action(self, f: _Facts, scope: str) -> None:
        if f.action:
            if not f.data:
                f.data = ["user"]
            return
        third = [e for e in f.entities if not e.startswith("we")]
        trackerish = [e for e in third if e in self.lex.trackers]
        if f.rights and not f.retention and (not third or re.search(r"\bright", scope, re.I)):
            f.action = "inform"
            return
        if f.retention:
            f.action = "retain"
            return
        track_cue = _TRACK.search(scope)
        # A tracker vendor used "to track" is tracking; one that is nothing but a tracker
        # (analytics, advertising) is tracking whenever it is used.
        pure = [e for e in trackerish if self.etax.known("recipient", [e])[0]
                and self.etax.is_under("recipient", e, "third_party.tracker")]
        if (trackerish and track_cue) or (pure and _USE.search(scope)):
            f.action = "track"
            return
        if third:
            if f.self_hosted and not f.share_cue:
                f.action = "use"
                f.entities = []
            elif f.share_cue or _USE.search(scope) or _COLLECT.search(scope):
                f.action = "share"
            else:
                f.action = None
            if f.action == "share" and any(not self._eea(c) for c in f.countries):
                f.action = "transfer"
            return
        if track_cue and re.search(r"\b(?:cookies?|pixels?|trackers?|tags?|heatmaps?)\b", scope, re.I) and _USE.search(scope):
            f.action = "track"
            return
        if f.share_cue and re.search(r"\b(?:share|disclos\w*|pass\w*\s+on|sell|transfer)\w*", scope, re.I):
            f.action = "share"
            return
        if _COLLECT.search(scope):
            f.action = "collect"
        elif _USE.search(scope):
            f.action = "use"

    def _actor(self, f: _Facts, scope: str, ents: list[_Mention]) -> None:
        """A third party is the actor when it is the sentence's subject ("Hotjar does not record")."""
        if not ents or f.action in ("share", "transfer", "not_share", "inform"):
            return
        first = ents[0]
        if first.start <= 4 and not first.key.startswith("we") and f.entities:
            after = scope[first.end:].lstrip()
            if re.match(r"(?:does|do|will|may|can|collects?|records?|uses?|stores?|receives?|processes?|sets?|places?)\b", after, re.I) \
                    and not re.match(r"(?:is|are)\b", after, re.I):
                f.actor = f.entities[0] if f.entities[0] != "third_party" else f.actor

    # -- statements ---------------------------------------------------------------------------
    def run(self) -> ExtractionResult:
        sections = self.outline.sections
        by_number = {s.number: s for s in sections}
        for sec in sections:
            self._section(sec)
        self._inherit_from_parents(by_number)
        self._finish_ids()
        meta = self._meta()
        sec_frame = self._sections_frame()
        statements = statements_frame(self.records)
        unmapped = pd.DataFrame(self.unmapped, columns=UNMAPPED_COLUMNS)
        unmapped = unmapped.drop_duplicates(subset=["section", "phrase", "kind"]).reset_index(drop=True)
        return ExtractionResult(sec_frame, statements, meta, unmapped, self.outline)

    def _sections_frame(self) -> pd.DataFrame:
        by_line = dict(self.outline.lines)
        recs = []
        for s in self.outline.sections:
            if self.outline.is_html:
                body = "\n".join(t for ln, t in self.outline.lines if s.line_start <= ln <= s.line_end)
            else:
                body = "\n".join(by_line.get(i, "") for i in range(s.line_start, s.line_end + 1))
            recs.append({"number": s.number, "title": s.title, "level": s.level, "text": body.strip(),
                         "line_start": s.line_start, "line_end": s.line_end})
        return sections_frame(recs)

    def _section(self, sec: Section) -> None:
        start = len(self.records)
        pool_purposes: list[str] = [m.key for m in self.lex.find("data_use", sec.title)]
        title_subjects = [m.key for m in self.lex.find("data_subject", sec.title)]
        entities_seen: list[str] = []
        title_ents, _ = self._entities(self.lex.find("recipient", sec.title), sec.title, [])
        entities_seen += title_ents
        deferred_leads: set[int] = set()  # leads whose last sentence waits for its list
        blocks = sec.blocks
        i = 0
        while i < len(blocks):
            blk = blocks[i]
            if blk.kind in ("item", "row"):
                # A list's (or table's) blocks stand together: the parser numbers each run anew.
                end = i + 1
                while end < len(blocks) and blocks[end].group == blk.group and blocks[end].kind == blk.kind:
                    end += 1
                group = blocks[i:end]
                made = self._list(sec, group, entities_seen, pool_purposes)
                if not made and blk.lead is not None and id(blk.lead) in deferred_leads:
                    deferred_leads.discard(id(blk.lead))
                    for sent in block_sentences(blk.lead)[-1:]:
                        self._sentence(sec, sent.text, sent.line, entities_seen, pool_purposes)
                i += len(group)
                continue
            sentences = block_sentences(blk)
            is_lead = i + 1 < len(blocks) and blocks[i + 1].lead is blk
            if is_lead:
                deferred_leads.add(id(blk))
                sentences = sentences[:-1]
            for sent in sentences:
                self._sentence(sec, sent.text, sent.line, entities_seen, pool_purposes)
            i += 1
        # Statements without purposes take the section's other purposes (and its title's).
        pool = _unique(pool_purposes)
        for rec in self.records[start:]:
            if not rec["purposes"] and rec["action"] not in ("inform", "not_share", "not_collect") and pool:
                rec["purposes"] = self._narrow_keys(pool, "data_use")
            if not rec["data_subjects"] and title_subjects:
                rec["data_subjects"] = list(title_subjects)

    def _narrow_keys(self, keys: list[str], kind: str) -> list[str]:
        return [k for k in keys if not any(o != k and self.tax.is_under(kind, o, k) for o in keys)]

    def _record(self, sec: Section, f: _Facts, quote: str, line: int) -> dict[str, Any]:
        third = [e for e in f.entities if not e.startswith("we")]
        if f.action in ("share", "transfer", "track"):
            recipients = third or (["we.internal"] if f.internal else ["third_party"])
        elif f.action == "not_share":
            recipients = third or ["third_party"]
        elif f.action == "not_collect":
            recipients = [f.actor] if f.actor != "we" else ["we"]
        elif f.action == "inform":
            recipients = []
        else:
            recipients = ["we.internal"] if f.internal else ["we"]
        action = f.action
        if action in ("share", "transfer") and recipients and all(r.startswith("we") for r in recipients):
            action = "use"
        data = list(f.data)
        if not data and action in ("share", "transfer"):
            data = ["user"]  # a disclosure that names no data still discloses personal data
        return {
            "statement_id": "", "section": sec.number, "section_title": sec.title, "actor": f.actor,
            "action": action, "data_categories": data if action != "inform" else [],
            "data_subjects": list(f.subjects), "purposes": list(f.purposes) if action != "inform" else [],
            "recipients": recipients, "countries": list(f.countries), "legal_bases": list(f.legal_bases),
            "retention": f.retention, "condition": f.condition, "consent": f.consent,
            "exceptions": list(f.exceptions) if action in ("not_share", "not_collect") else [],
            "rights": list(f.rights) if action == "inform" else [], "quote": _short(quote), "line": line,
            "origin": "extracted", "_from": "sentence",
        }

    def _previous(self, sec: Section) -> dict[str, Any] | None:
        if self.records and self.records[-1]["section"] == sec.number:
            return self.records[-1]
        return None

    def _sentence(self, sec: Section, text: str, line: int, seen: list[str], pool: list[str]) -> None:
        f = self.analyse(text, line, seen)
        self._unmapped_names(sec, f, text)
        seen.extend(e for e in f.mentioned if e not in seen)
        if f.reference:
            return
        prev = self._previous(sec)
        inherited = False
        if (f.anaphor_data and f.action not in ("retain", "inform")) or (
                not f.data and f.action in ("share", "transfer") and f.entities):
            # "this information", or a processor named without data: the data just spoken of.
            source = next((r for r in self._recent() if r["section"] == sec.number and r["data_categories"]), None)
            if source is not None:
                group = list(self._groups.get(source["_group"], [])) if source.get("_group") else []
                group = group or [source]
                f.data = _unique(d for r in group for d in r["data_categories"])
                inherited = True
                third_here = [e for e in f.entities if not e.startswith("we")]
                # "We process these details to perform our contract": the basis (and purpose) of
                # the list just given, not a new statement.
                if len(group) > 1 and f.anaphor_data and not third_here and f.action in (None, "use", "collect") \
                        and (f.legal_bases or f.purposes):
                    for r in group:
                        r["legal_bases"] = _unique([*r["legal_bases"], *f.legal_bases])
                        r["purposes"] = _unique([*r["purposes"], *f.purposes])
                    return
        third = [e for e in f.entities if not e.startswith("we")]
        # Refers back: add to the statement before.
        if prev is not None and f.action not in ("not_share", "not_collect", "inform"):
            same_recipients = not third or set(third) <= set(prev["recipients"])
            refers_back = (f.anaphor_start and same_recipients and f.action in (None, prev["action"]))
            refers_back |= (inherited and f.anaphor_data and f.action == prev["action"] and same_recipients)
            refers_back |= (not third and (f.pronoun or f.anaphor_start) and f.action is None
                            and bool(f.consent or f.purposes))
            refers_back |= (not f.data and not third and f.pronoun and f.action == prev["action"]
                            and bool(f.consent or f.purposes))
            if refers_back and prev["action"] not in ("inform", "not_share", "not_collect"):
                self._merge(prev, f, text)
                return
        # Same third party, same action, in the same section: one statement.
        if third and f.action in ("track", "share", "transfer"):
            rec = self._flows.get((sec.number, f.action, frozenset(third)))
            if rec is not None:
                self._merge(rec, f, text, quote=False)
                return
        if f.action is None or not self._worth(f):
            pool.extend(f.purposes)
            return
        if f.action == "inform" and any(set(f.rights) <= set(rights) for rights in self._informs.get(sec.number, [])):
            return
        self._append(self._record(sec, f, text, line))

    def _worth(self, f: _Facts) -> bool:
        third = [e for e in f.entities if not e.startswith("we")]
        if f.action in ("not_share", "not_collect"):
            return True
        if f.action == "inform":
            return bool(f.rights)
        if f.action == "retain":
            return bool(f.retention)
        if f.action in ("track", "share", "transfer"):
            return bool(third or f.data)
        return bool(f.data)

    def _merge(self, rec: dict[str, Any], f: _Facts, text: str, quote: bool = True) -> None:
        if rec["action"] != "inform":
            rec["data_categories"] = _unique([*rec["data_categories"], *f.data])
        rec["purposes"] = _unique([*rec["purposes"], *f.purposes])
        rec["data_subjects"] = _unique([*rec["data_subjects"], *f.subjects])
        rec["countries"] = _unique([*rec["countries"], *f.countries])
        rec["legal_bases"] = _unique([*rec["legal_bases"], *f.legal_bases])
        rec["consent"] = bool(rec["consent"] or f.consent)
        if not rec["retention"] and f.retention:
            rec["retention"] = f.retention
        if not rec["condition"] and f.condition:
            rec["condition"] = f.condition
        joined = f"{rec['quote']} {_short(text)}"
        if quote and (f.consent or f.purposes or f.data) and len(joined) <= 320:
            rec["quote"] = joined

    def _list(self, sec: Section, group: list[Block], seen: list[str], pool: list[str]) -> int:
        """Statements from a list or table; returns how many were made."""
        lead_text = ""
        lead_line = group[0].line
        if group[0].lead is not None:
            lead_sents = block_sentences(group[0].lead)
            if lead_sents:
                lead_text, lead_line = lead_sents[-1].text, lead_sents[-1].line
        lead = self.analyse(lead_text, lead_line, seen) if lead_text else _Facts("", lead_line)
        seen.extend(e for e in lead.entities if e not in seen)
        if lead.purposes:
            pool.extend(lead.purposes)
        made = 0
        roles = _table_roles(group[0].cells) if group[0].kind == "row" and group[0].cells else {}
        for blk in group:
            if blk.kind == "row" and roles.get("entity"):
                made += self._row(sec, blk, roles, lead)
                continue
            f = self.analyse(blk.text, blk.line, seen, item=True)
            if f.reference:
                continue
            third = [e for e in f.entities if not e.startswith("we")]
            action = lead.action
            if action in (None, "inform") and third:
                action = "track" if any(e in self.lex.trackers for e in third) else "share"
            if not f.data and not third:
                self._unmapped_item(sec, blk, lead)
                continue
            if action in (None, "retain") and f.data:
                action = "collect" if f.action in (None, "use", "collect", "share") else f.action
            if action is None:
                continue
            f.action = action
            f.actor = lead.actor
            if not third:
                f.entities = list(lead.entities)
                f.internal = f.internal or lead.internal
            f.purposes = _unique([*f.purposes, *lead.purposes])
            if not f.purposes and f.entities:
                earlier = next((r for r in self._recent() if r["section"] == sec.number
                                and set(r["recipients"]) == set(f.entities) and r["purposes"]), None)
                f.purposes = list(earlier["purposes"]) if earlier else []
            f.subjects = _unique([*lead.subjects, *f.subjects])
            f.condition = lead.condition if not f.condition or len(f.condition.split()) < 3 else f.condition
            f.consent = f.consent or lead.consent
            f.countries = _unique([*lead.countries, *f.countries])
            f.legal_bases = _unique([*lead.legal_bases, *f.legal_bases])
            if not f.retention:
                f.retention = lead.retention
            if f.action == "not_share":
                f.exceptions = lead.exceptions
            rec = self._record(sec, f, blk.text, blk.line)
            rec["_from"] = "item"
            rec["_group"] = (sec.number, blk.group)
            self._append(rec)
            made += 1
            # "Date of birth, which domain registries require": the item names who gets it.
            if third and lead.action in ("collect", "use") and rec["action"] in ("collect", "use"):
                extra = dict(rec, action="share", recipients=third, _from="item")
                self._append(extra)
                made += 1
        return made

    def _row(self, sec: Section, blk: Block, roles: dict[str, str], lead: _Facts) -> int:
        cells = blk.cells or {}
        name = cells.get(roles["entity"], "").strip()
        if not name:
            return 0
        ents, _ = self._entities(self.lex.find("recipient", name), name, [])
        if not ents:
            key = "vendor:" + _slug(name)
            self.unmapped.append({"section": sec.number, "phrase": name, "kind": "recipient", "quote": _short(blk.text),
                                  "suggestions": self._suggest("recipient", name)})
            ents = [key]
        purpose_text = cells.get(roles.get("purpose", ""), "")
        place = cells.get(roles.get("country", ""), "")
        data_text = cells.get(roles.get("data", ""), "")
        purposes = self._narrow_keys(_unique(m.key for m in self.lex.find("data_use", purpose_text)), "data_use")
        data = self._narrow(self.lex.find("data_category", data_text), "data_category", data_text) if data_text else []
        if not data:
            data = list(lead.data) or ["user"]
        countries = self._countries(place) or self._countries(blk.text)
        action = "share"
        if any(not self._eea(c) for c in countries):
            action = "transfer"
        f = _Facts(text=blk.text, line=blk.line, data=data, purposes=purposes, entities=ents, countries=countries,
                   action=action, subjects=list(lead.subjects), condition=lead.condition, consent=lead.consent,
                   legal_bases=list(lead.legal_bases))
        if any(e in self.lex.trackers for e in ents) and re.search(r"\b(?:cookie|pixel|track|analytics)", blk.text, re.I):
            f.action = "track"
        rec = self._record(sec, f, blk.text, blk.line)
        rec["_from"] = "row"
        self._append(rec)
        return 1

    # -- unmapped ------------------------------------------------------------------------------
    def _unmapped_item(self, sec: Section, blk: Block, lead: _Facts) -> None:
        """A list item under a data lead that names nothing known: a data item to review."""
        if lead.action not in ("collect", "use", "share", "transfer", "retain") and not lead.data:
            return
        head = re.split(r",|\bso\b|\bto\b|\bin order\b|\(|\bwhich\b|\bfor\b|:", blk.text, maxsplit=1)[0].strip(" .;–—-")
        head = re.sub(r"^(?:your|the|a|an|our)\s+", "", head, flags=re.I)
        if not head or len(head.split()) > 6 or not re.search(r"[A-Za-z]{3}", head) or _placeholder(head):
            return
        self.unmapped.append({"section": sec.number, "phrase": head, "kind": "data_category", "quote": _short(blk.text),
                              "suggestions": self._suggest("data_category", head)})

    def _unmapped_names(self, sec: Section, f: _Facts, text: str) -> None:
        known_spans = [(m.start, m.end) for m in self.lex.find("recipient", text)]
        masked = self._mask_controller(text)
        for name, start in _company_like(masked):
            if any(s < start + len(name) and start < e for s, e in known_spans):
                continue
            norm = _normalise_phrase(name)
            if norm in self.lex.maps["recipient"] or any(self.lex.maps[k].get(norm) for k in ("data_category", "data_use", "data_subject")):
                continue
            if name in self.lex.countries[1] or _REGULATORY.search(name):
                continue
            self.unmapped.append({"section": sec.number, "phrase": name, "kind": "recipient", "quote": _short(text),
                                  "suggestions": self._suggest("recipient", name)})

    # -- context across sections -----------------------------------------------------------------
    def _inherit_from_parents(self, by_number: dict[str, Section]) -> None:
        """Tracker statements in a sub-section inherit the data and consent their parent states."""
        intro: dict[str, list[dict[str, Any]]] = {}
        for rec in self.records:
            if rec["action"] == "track":
                intro.setdefault(rec["section"], []).append(rec)
        # What a section's tracker statements state, summed up once (and again after one of
        # them inherits in turn): each statement against each of its parent's is quadratic.
        summary: dict[str, tuple[list[str], bool, list[str]]] = {}

        def summed(number: str) -> tuple[list[str], bool, list[str]]:
            if number not in summary:
                recs = intro[number]
                summary[number] = (_unique(d for p in recs for d in p["data_categories"]),
                                   any(p["consent"] for p in recs),
                                   next((list(p["purposes"]) for p in recs if p["purposes"]), []))
            return summary[number]

        for rec in self.records:
            if rec["action"] != "track":
                continue
            sec = by_number.get(rec["section"])
            parent = sec.parent if sec else None
            while parent:
                if intro.get(parent):
                    data, consent, purposes = summed(parent)
                    rec["data_categories"] = _unique([*rec["data_categories"], *data])
                    rec["consent"] = bool(rec["consent"] or consent)
                    if not rec["purposes"]:
                        rec["purposes"] = list(purposes)
                    summary.pop(rec["section"], None)
                psec = by_number.get(parent)
                parent = psec.parent if psec else None

    def _finish_ids(self) -> None:
        counts: dict[str, int] = {}
        for rec in self.records:
            counts[rec["section"]] = counts.get(rec["section"], 0) + 1
            rec["statement_id"] = f"s{rec['section']}-{counts[rec['section']]}"
            rec.pop("_from", None)
            rec.pop("_group", None)

    # -- meta ------------------------------------------------------------------------------------
    def _meta(self) -> dict[str, Any]:
        meta: dict[str, Any] = {"title": self.outline.title,
                                "stated_date": stated_date(self.text if not self.outline.is_html else
                                                           "\n".join(t for _, t in self.outline.lines))}
        meta["controller"] = _controller_names(self.register, self.outline, self.controllers)
        scope = self._scope()
        if scope:
            meta["scope"] = scope
        meta["contacts"] = contacts_in(self.outline)
        return meta

    def _scope(self) -> dict[str, list[str]] | None:
        applies: list[str] = []
        excludes: list[str] = []
        for sec in self.outline.sections:
            for blk in sec.blocks:
                for sent in block_sentences(blk):
                    text = sent.text.replace("’", "'")
                    m = _SCOPE_APPLIES.search(text)
                    x = _SCOPE_EXCLUDES.search(text)
                    if x and (m or re.search(r"\b(?:policy|statement|notice)\b", text, re.I)):
                        # "does not apply to employees" / "Our employees have a separate notice"
                        part = text[x.start():] if m and m.start() < x.start() else text
                        excludes += [k.key for k in self.lex.find("data_subject", part)]
                        text = text[: x.start()] if m and m.start() < x.start() else ""
                        m = _SCOPE_APPLIES.search(text)
                    if m:
                        applies += [k.key for k in self.lex.find("data_subject", text[m.start():])]
        applies, excludes = _unique(applies), _unique(excludes)
        applies = [a for a in applies if a not in excludes]
        if not applies and not excludes:
            return None
        return {"applies_to": applies, "excludes": excludes}


# -- helpers -----------------------------------------------------------------------------------


def _email_is_data(text: str, m: re.Match[str]) -> bool:
    """The word "email" names the address when it is the object of collecting or a list item,
    not a channel ("by email") or a message ("outgoing email")."""
    before = text[max(0, m.start() - 25): m.start()].lower()
    after = text[m.end(): m.end() + 12].lower()
    if re.search(r"(?:incoming|outgoing|ingoing|unwanted|the|an|this|that|in|of|spam)\s*$", before):
        return False
    if re.match(r"\s*(?:address|newsletter|marketing|message|content|is|was|and\s+phone)", after):
        return False
    return bool(re.search(r"(?:your|and|or|,)\s*$", before)) or m.start() == 0


_ITEM_HEAD = re.compile(r",|\s(?:so|to|in\s+order|in\s+case|which|because|for|when|if)\s|\s\(")
_CLAUSE_END = re.compile(r"\s(?=(?:we|your\s+\w+(?:\s+\w+)?\s+(?:will|is|are|may)|then)\s)", re.I)
_CLAUSE_VERB = re.compile(r"\s(?:is|are|was|were|will)\s", re.I)


def _condition(text: str) -> str:
    for m in _CONDITION.finditer(text):
        clause = m.group(0).strip()
        cut = _CLAUSE_END.search(clause, len(clause.split()[0]) + 1)
        if cut and len(clause[: cut.start()].split()) >= 3:
            clause = clause[: cut.start()].strip()
        # "when you place an order or register an account is automatically added": the
        # main clause's verb ends a long condition.
        verb = _CLAUSE_VERB.search(clause)
        if verb and len(clause[: verb.start()].split()) >= 6:
            clause = clause[: verb.start()].strip()
        if len(clause.split()) >= 3 and not re.match(r"(?:where|when)\s+(?:needed|necessary|required|possible|applicable)\b", clause, re.I):
            return clause
    return ""


def _short(text: str, limit: int = 300) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _slug(name: str) -> str:
    name = re.sub(r"\b(?:B\.?V\.?|N\.?V\.?|GmbH|Ltd\.?|Limited|Inc\.?|LLC|S\.?A\.?S?|AG|A/S|AB|Oy|OÜ|plc|Corp\.?|Corporation|Co\.)\s*$",
                  "", name.strip(), flags=re.I)
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return slug or "unnamed"


def _placeholder(text: str) -> bool:
    t = text.strip(" .–—-:*").lower()
    return (not t or t in {"all pages", "tbd", "todo", "n/a", "...", "…", "etc", "xxx", "lorem ipsum"}
            or bool(re.fullmatch(r"[\W_]*", t)) or t.startswith(("[insert", "insert ", "<")))


_REGULATORY = re.compile(
    r"\b(?:GDPR|AVG|General\s+Data\s+Protection|Privacy\s+(?:Policy|Statement|Notice)|Cookie\s+(?:Policy|Statement)|"
    r"European|EEA|Data\s+Protection|Autoriteit|Authority|Regulation|Directive|Act|Shield|Framework|Clauses)\b", re.I)
_LEGAL_FORM = r"(?:B\.V\.|N\.V\.|BV|NV|GmbH|Ltd\.?|Limited|Inc\.?|LLC|S\.A\.|SAS|AG|A/S|AB|Oy|OÜ|S\.r\.l\.|plc|Corp\.?|Corporation)"
#: A word of a name: at most 60 characters, so that a run of "A-A-A-..." is not scanned to its
#: end again from every letter (no real name has a longer word).
_NAME_WORD = r"[A-Z][\w&.-]{0,60}"
_COMPANY = re.compile(
    rf"(?P<tm>\b{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,3}})\s*[®™]"
    rf"|(?P<legal>\b[A-Z][\w&-]{{0,60}}(?:\s+[A-Z][\w&-]{{0,60}}){{0,3}}\s+{_LEGAL_FORM})(?!\w)"
    r"|(?P<camel>\b[A-Z][a-z]{1,60}[A-Z][A-Za-z]{1,60}\b)"
    r"|\b(?:use|uses|using|via|through|with)\s+(?P<use>[A-Z][\w-]{1,60}(?:\s+[A-Z][\w-]{1,60}){0,2})\s+(?:to|as|for|which|that)\b")


def _company_like(text: str) -> list[tuple[str, int]]:
    """Names in a sentence that look like companies (®, a legal form, CamelCase, "use X to")."""
    out = []
    for m in _COMPANY.finditer(text):
        for group in ("tm", "legal", "camel", "use"):
            if m.group(group):
                name = m.group(group).strip()
                if len(name) >= 3 and name.lower() not in ("we", "our", "you", "the", "this"):
                    out.append((name, m.start(group)))
                break
    return out


_TABLE_ROLE_WORDS = (
    ("entity", re.compile(r"\b(?:provider|processor|sub-?processor|vendor|company|recipient|party|supplier|entity|"
                          r"organi[sz]ation|partner|tool|name|service\s+provider)\b", re.I)),
    ("purpose", re.compile(r"\b(?:purpose|purposes|function|used\s+for|why|activity|processing|description|service|role)\b", re.I)),
    ("country", re.compile(r"\b(?:location|country|countries|region|where|hosting|hosted|server)\b", re.I)),
    ("data", re.compile(r"\b(?:data|categories|information|what)\b", re.I)),
)


def _table_roles(cells: dict[str, str]) -> dict[str, str]:
    """Which header holds the provider, the purpose, the location and the data."""
    roles: dict[str, str] = {}
    for header in cells:
        for role, rx in _TABLE_ROLE_WORDS:
            if role not in roles and rx.search(header) and header not in roles.values():
                roles[role] = header
                break
    return roles


_MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"], start=1)}
_MONTHS.update({m[:3]: i for m, i in list(_MONTHS.items())})
_MONTHS["sept"] = 9
_MONTH_RX = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DATE_CUE = re.compile(
    r"\b(?:last\s+(?:changes?|changed|updated?|modified|modifications?|revised|revision|amended|reviewed)|"
    r"updated|effective|valid\s+(?:from|as\s+of)|in\s+force|dated|version\s+(?:of|date)|as\s+of|published|revised)\b", re.I)
_DATES = (
    ("ymd", re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")),
    ("dmy", re.compile(r"(?<!\d)(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?!\d)")),
    ("d_month_y", re.compile(rf"(?<!\d)(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH_RX})\.?,?\s+(\d{{4}})(?!\d)", re.I)),
    ("month_d_y", re.compile(rf"\b({_MONTH_RX})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})(?!\d)", re.I)),
)


def stated_date(text: str) -> str | None:
    """The date a policy text states for its last change, as YYYY-MM-DD, or None.

    Recognises ISO dates, day-month-year with ``-``, ``/`` or ``.``, and written months,
    when they follow a cue such as "last changes ... were made on", "Last updated:",
    "Effective date".

    Example:
        >>> stated_date("The last changes to this Privacy Policy were made on 24-05-2018.")
        '2018-05-24'
        >>> stated_date("Last updated: 1 March 2025")
        '2025-03-01'
        >>> stated_date("We were founded on 1 March 2025.") is None
        True
    """
    if not isinstance(text, str):
        return None
    for cue in _DATE_CUE.finditer(text):
        window = text[cue.start(): cue.end() + 120].split("\n\n")[0]
        best: tuple[int, dt.date] | None = None
        for kind, rx in _DATES:
            m = rx.search(window, cue.end() - cue.start())
            if not m:
                continue
            date = _to_date(kind, m.groups())
            if date and (best is None or m.start() < best[0]):
                best = (m.start(), date)
        if best:
            return best[1].isoformat()
    return None


def _to_date(kind: str, g: tuple[str, ...]) -> dt.date | None:
    try:
        if kind == "ymd":
            return dt.date(int(g[0]), int(g[1]), int(g[2]))
        if kind == "dmy":
            day, month = int(g[0]), int(g[1])
            if month > 12 >= day:
                day, month = month, day
            return dt.date(int(g[2]), month, day)
        if kind == "d_month_y":
            return dt.date(int(g[2]), _MONTHS[g[1].lower().rstrip(".")], int(g[0]))
        return dt.date(int(g[2]), _MONTHS[g[0].lower().rstrip(".")], int(g[1]))
    except (ValueError, KeyError):
        return None


_EMAIL = re.compile(r"\b[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,63}\b")  # RFC 5321 lengths
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
    for m in _EMAIL.finditer(text):
        local = m.group(0).split("@")[0].lower()
        r = role if role == "dpo" else (
            "privacy" if re.search(r"privacy|dpo|gdpr|avg|dataprotection|data-protection", local) else role)
        out.append({"kind": "email", "value": m.group(0), "section": section, "role": r})
    for m in _PHONE.finditer(_EMAIL.sub(" ", text)):
        value = m.group(0).strip()
        digits = re.sub(r"\D", "", value)
        if 8 <= len(digits) <= 15 and not _DATES[1][1].fullmatch(value) and not _DATES[0][1].fullmatch(value):
            out.append({"kind": "phone", "value": value, "section": section, "role": role})
    street = _STREET.search(text)
    if street and _POSTCODE.search(text, street.end()):
        out.append({"kind": "address", "value": _short(text, 160), "section": section, "role": role})
    return out


_MAX_CONTROLLER_NAMES = 20


def _controller_candidates(register: Any, outline: ParsedPolicy) -> list[tuple[str, re.Pattern[str]]]:
    names: list[str] = []
    org = getattr(register, "organisation", None) or {}
    if org:
        for value in [org.get("name"), *(org.get("trading_names") or []), (org.get("controller") or {}).get("name")]:
            if isinstance(value, str) and value.strip():
                names.append(value.strip())
    else:
        title = outline.title
        m = (re.match(r"^(.+?)(?:[’']s)?\s+(?:Privacy|Cookie|Data\s+Protection)\s+(?:Policy|Statement|Notice)\b", title or "", re.I)
             or re.match(r"^(?:Privacy|Data\s+Protection)(?:\s+(?:Policy|Statement|Notice))?\s+(?:of|for|at)\s+(.+?)\s*$", title or "", re.I))
        if m and m.group(1).strip().lower() not in ("our", "the", "this", "website"):
            names.append(m.group(1).strip())
        text = "\n".join(t for _, t in outline.lines)
        for m in re.finditer(rf"\b({_NAME_WORD}(?:\s+{_NAME_WORD}){{0,4}})\s*\((?:hereinafter\s+)?[\"“']?(?:we|us)\b", text):
            names.append(m.group(1).strip())
        for m in re.finditer(rf"\b({_NAME_WORD}(?:\s+{_NAME_WORD}){{0,4}})\s+is\s+(?:the\s+)?(?:data\s+)?controller\b", text):
            names.append(m.group(1).strip())
        for m in re.finditer(rf"\bcontroller\s+(?:is|:)\s+({_NAME_WORD}(?:\s+{_NAME_WORD}){{0,4}})", text):
            names.append(m.group(1).strip())
    out = []
    seen = set()
    # A policy names its controller a handful of ways; a text that "names" thousands is hostile,
    # and each name is searched for in every sentence.
    for name in list(dict.fromkeys(names))[:_MAX_CONTROLLER_NAMES]:
        base = re.sub(rf"\s+{_LEGAL_FORM}$", "", name).strip()
        for variant in (name, base):
            if variant and variant.lower() not in seen:
                seen.add(variant.lower())
                out.append((name if variant == name else base,
                            re.compile(rf"(?<![\w-]){re.escape(variant)}(?![\w-])", re.I)))
    return out


def _controller_names(register: Any, outline: ParsedPolicy,
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
            base = re.sub(rf"\s+{_LEGAL_FORM}$", "", legal).strip()
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
        base = re.sub(rf"\s+{_LEGAL_FORM}$", "", n).strip().lower()
        if base not in seen:
            seen.add(base)
            out.append(n)
    return out


def extract(text: str, register: Any = None, filename: str | None = None) -> ExtractionResult:
    """Extract sections, statements, policy facts and unmapped phrases from a policy text.

    Args:
        text: the policy (plain text, Markdown or HTML).
        register: a :class:`ropa.Register` whose taxonomy (with its recipients as entities,
            names and aliases as synonyms) and organisation names guide extraction.
        filename: the file's name (``.html`` selects the HTML reading).

    Never raises on the text's content: any text gives a result, possibly empty.

    Example:
        >>> from ropa.policy.extract import extract
        >>> res = extract("4. Sharing\\n\\nWe do not share personal data with anyone unless you consent.\\n")
        >>> res.statements.loc[0, ["action", "recipients", "exceptions"]].tolist()
        ['not_share', ['third_party'], ['consent']]
    """
    return _Extractor(text, register, filename).run()


# -- agreement with a reviewed file ---------------------------------------------------------------

_FAMILY = {"collect": "first", "use": "first", "share": "share", "transfer": "share", "track": "track",
           "retain": "retain", "not_share": "not_share", "not_collect": "not_collect", "inform": "inform"}


def score_extraction(extracted: pd.DataFrame, reviewed: pd.DataFrame, taxonomy: Taxonomy | None = None) -> dict[str, Any]:
    """Compare extracted statements with reviewed ones, statement by statement.

    Two statements match when they stand in the same section, their actions are of the
    same family (collect and use are one family, first-party handling; share and
    transfer another; track, retain, not_share, not_collect and inform each their own),
    their recipients are the same set (actor's entity for not_collect), and their data
    overlap through the taxonomy (one is equal to or under the other; for inform, the
    rights overlap instead). Matching is one-to-one and greedy over all candidate pairs,
    best first: the same data (or rights) set, then the most data in common, then the same action.

    Returns precision (matched / extracted), recall (matched / reviewed), the counts,
    ``data_exact`` (the share of matched pairs whose data categories are the same set),
    the matched pairs and the unmatched statement ids on either side.

    Example:
        >>> import ropa
        >>> from ropa.policy.extract import score_extraction
        >>> pol = ropa.load_policy("registers/pro-at/policies/2018-05-24.flows.yaml")
        >>> score_extraction(pol.statements, pol.statements)["recall"]
        1.0
    """
    tax = entity_taxonomy(taxonomy or default_taxonomy())

    def data_overlap(a: Sequence[str], b: Sequence[str]) -> int:
        if not a and not b:
            return 1
        n = 0
        for x in a:
            for y in b:
                if x == y or _under(tax, x, y) or _under(tax, y, x):
                    n += 1
                    break
        return n

    ext = extracted.reset_index(drop=True)
    rev = reviewed.reset_index(drop=True)
    candidates = []
    for ri, r in enumerate(rev.itertuples()):
        for ei, e in enumerate(ext.itertuples()):
            if e.section != r.section or _FAMILY.get(e.action) != _FAMILY.get(r.action):
                continue
            if set(e.recipients) != set(r.recipients):
                continue
            if r.action == "inform":
                score = len(set(e.rights) & set(r.rights))
                exact = set(e.rights) == set(r.rights)
            else:
                score = data_overlap(list(r.data_categories), list(e.data_categories))
                exact = set(e.data_categories) == set(r.data_categories)
            if score:
                candidates.append((-(score + (10 if exact else 0) + (1 if e.action == r.action else 0)), ri, ei))
    used_r: set[int] = set()
    used_e: set[int] = set()
    pairs = []
    for _, ri, ei in sorted(candidates):
        if ri in used_r or ei in used_e:
            continue
        used_r.add(ri)
        used_e.add(ei)
        pairs.append((rev.at[ri, "statement_id"], ext.at[ei, "statement_id"]))
    rev_data = dict(zip(rev["statement_id"], rev["data_categories"], strict=True))
    ext_data = dict(zip(ext["statement_id"], ext["data_categories"], strict=True))
    same_data = sum(1 for r_id, e_id in pairs if set(rev_data[r_id]) == set(ext_data[e_id]))
    matched = len(pairs)
    n_ext, n_rev = len(ext), len(rev)
    return {
        "matched": matched, "extracted": n_ext, "reviewed": n_rev,
        "precision": matched / n_ext if n_ext else 1.0,
        "recall": matched / n_rev if n_rev else 1.0,
        "data_exact": same_data / len(pairs) if pairs else 1.0,
        "pairs": pairs,
        "missed": [sid for sid in rev["statement_id"] if sid not in {p[0] for p in pairs}],
        "spurious": [sid for sid in ext["statement_id"] if sid not in {p[1] for p in pairs}],
    }


def _under(tax: Taxonomy, x: str, y: str) -> bool:
    """x equal to or under y for data categories; unknown keys by their dotted prefix."""
    if x == y:
        return True
    known = tax.known("data_category", [x, y])
    if known.all():
        return bool(tax.is_under("data_category", x, y))
    return x.startswith(y + ".")
