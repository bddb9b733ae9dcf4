"""What one sentence, list item or table row says: its action, data, purposes, subjects,
rights, recipients, countries, retention, condition, consent, exceptions and legal bases
(:class:`SentenceFacts`), read by a :class:`SentenceReader` with the lexicon and the cue phrases.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..core.names import normalise_name, slug, strip_legal_form
from ..core.taxonomy import Taxonomy, normalise_phrase
from ..core.words import word_table
from . import nonflow as nf
from .asides import aside_spans, outside_asides
from .cues import (
    ANAPHOR_DATA,
    ANAPHOR_START,
    ANNOUNCES_LIST,
    ANONYMOUS,
    AS_DESCRIBED,
    BASIS_DATA,
    BUT_NOT,
    CHANNEL,
    COLLECT,
    COMPLIANCE,
    CONSENT,
    DATA_DESCRIBED,
    DEFINITE,
    DETAILS_BACK,
    EXCEPT,
    EXCEPTION_CUES,
    EXEMPLIFY,
    FOR_PURPOSE_OF,
    FROM_CHILDREN,
    GENERIC_PARTY,
    HANDS_ON,
    HELD_BY_US,
    ITEM_HEAD,
    JOINT_SUBJECT,
    LEADING_EXCEPT,
    LEGAL_BASIS,
    LEGAL_PROCESS,
    MAKES,
    NAMED_NOT,
    NEG_COLLECT,
    NEG_SHARE,
    NOT_DATA,
    PEOPLE_MODIFIED,
    PRONOUN,
    PUBLIC,
    PURPOSE_END,
    PURPOSE_LEAD,
    QUOTED_WORD,
    REACH_BY,
    READER_CHOICE,
    READER_TALK,
    REFERENCE,
    RIGHT_CUE,
    RIGHT_WORDS,
    RIGHTS_TALK,
    SAFEGUARD_TALK,
    SELF_HOSTED,
    SHARE,
    SHARE_WORD,
    STAFF_ROLE,
    TOPIC_LABEL,
    TRACK,
    USE,
    WITHIN_EEA,
    WITHOUT_CONSENT,
    WORD_EMAIL,
    company_like,
    condition_clause,
    email_is_data,
    named_parties,
)
from .datawords import our_sending, own_generic_data
from .definitions import defines
from .lexicon import Mention, lexicon_for
from .negscope import hidden_in_negation, limit_not_denial, promise
from .nonflow import (
    ABROAD,
    ADVICE,
    COLLECTED_THEN_USED,
    DETACHED,
    DOUBLED_NOT,
    HEDGED,
    IMPERATIVE_NOT,
    KEEPS_OR_DELETES,
    NO_CONTROL,
    OWN_SERVICE,
    REACH_US,
    READER_CARE,
    REVEALS,
    THEIR_DOING,
    TRANSFER_TERMS,
    YOU_SHARE,
    identify_clause,
)
from .notparties import describes_service, role_key, service_examples, without_laws_places
from .others import from_source, others_acts, protected_parties, signs_in_through, source_phrase
from .periods import KEEPING, retention_period
from .titles import SECTION_NAME

__all__ = ["SentenceFacts", "SentenceReader", "details_back", "unique", "vendor_key", "with_our_own"]

#: Words that only order sentences ("Finally, we also collect ..."), unlike "this" or "these".
_SEQUENCE = {"firstly", "secondly", "thirdly", "finally", "also"}

#: A category named in the plural ("our service providers") is the class, not one entity named before it.
PLURAL = re.compile(r"(?<![su])(?<!ic)s$|ies$", re.I)


#: Data a "how to reach us" line may name without our collecting it (see nonflow.REACH_US).
CONTACT_ONLY = frozenset({"user", "user.contact", "user.contact.email", "user.contact.address",
                          "user.contact.address.street", "user.contact.phone_number"})


@dataclass
class SentenceFacts:
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
    recognised: bool = False  # read, and recognised as stating no new flow
    joint: bool = False  # "We and our partners ...": we act, and so does the party named with us
    public: bool = False  # what it speaks of is shown to other users or anyone
    unmapped_names: list[str] = field(default_factory=list)
    mentioned: list[str] = field(default_factory=list)
    excepts_described: bool = False  # "... except as described in this policy": the promise keeps nothing back


def _gives_away(text: str) -> bool:
    """Whether a sentence speaks of giving data to someone: a disclosure word whose subject is
    not the reader and whose receiver is not us ("information you share with us" is ours).

    Example:
        >>> _gives_away("other contact information you share with us"), _gives_away("we share it with Stripe")
        (False, True)
    """
    for m in SHARE.finditer(text):
        if m.group(0).lower().startswith("receiv") and re.search(r"\bwe(?:\s+\w+){0,3}\s*$", text[max(0, m.start() - 40): m.start()], re.I):
            continue  # "we may also receive it from app stores": we are the ones who get it
        if re.search(r"\byou(?:\s+(?:\w+|have|had))?(?:\s+(?:chosen|elected|decided|opted|asked)\s+to)?\s*$", text[max(0, m.start() - 40): m.start()], re.I):
            continue
        if re.search(r"\byou(?:\s+(?!(?:we|us|that|and|or)\b)\w+){0,3}\s*$", text[max(0, m.start() - 40): m.start()], re.I) \
                and re.search(r"\b(?:to|with|by)\s+us\b", text[m.end(): m.end() + 60], re.I):
            continue  # "data you knowingly choose to disclose that is collected by us"
        if re.match(r"(?:\w*\s+(?:\w+\s+){0,3}?)?(?:with|to)\s+(?:us\b|you\b(?!\s+(?:and|or)\b)|(?:our|the)\s+(?:own\s+)?(?:servers?|systems?)\b(?!\s+of\b))",
                    text[m.end(): m.end() + 40], re.I):
            continue  # ("transmitted to the server": to us, not given away; "purposes disclosed to you": told)
        if nf.given_to_us(m.group(0), text[m.end(): m.end() + 100]):
            continue  # "they share your address book details ... with us", "shared by third parties"
        if re.match(r"\w*\s+(?:\w+\s+){0,3}?to\s+your\s+(?:own\s+)?(?:computer|device|browser|phone|hard\s+drive)", text[m.end(): m.end() + 60], re.I):
            continue  # "cookies we transfer to your computer's hard drive": to the reader's device
        return True
    return False


#: Words that turn the part after a comma into a clause of its own ("..., which we need").
_CLAUSE_WORD = re.compile(r"\b(?:so|to|in\s+order|in\s+case|which|who|because|for|when|if|where|we|you|it|they|that|"
                          r"is|are|was|were|will|may|can|must|used|needed|required)\b", re.I)


def _continues_list(text: str, at: int, data: Sequence[Mention]) -> bool:
    """Whether the part of a list item after a comma at ``at`` goes on naming data: a data
    phrase right after it ("name, your address"), or a short noun phrase with no clause word
    ("sender name", "expiry date") that does not end the list ("transaction ID, sender
    name, origin country and email address" names four).

    Example:
        >>> _continues_list("IP address, browser version", 11, []), _continues_list("Email, so we can reply", 6, [])
        (True, False)
    """
    if any(0 <= m.start - at <= 12 and re.fullmatch(r"\s*(?:(?:and|or|your|the|its)\s+)*", text[at: m.start])
           for m in data):
        return True
    part = re.split(r"[,;:(]|\s(?:and|or)\s", text[at:], maxsplit=1)[0].strip(" .")
    return 0 < len(part.split()) <= 4 and not _CLAUSE_WORD.search(part) and not re.search(r"\d", part[:1])


def vendor_key(name: str) -> str:
    """The entity key of a company named only in a table: ``vendor:`` and its name as an id,
    without its legal form or a web address written beside it ("Acme Analytics B.V." →
    ``vendor:acme-analytics``).

    Example:
        >>> vendor_key("Acme Analytics B.V."), vendor_key("Acme (https://acme.example/privacy)")
        ('vendor:acme-analytics', 'vendor:acme')
    """
    base = strip_legal_form(re.sub(r"\(?\s*(?:https?://|www\.)[^\s()]*\s*\)?", " ", name))
    return "vendor:" + (slug(base) if normalise_name(base) else "unnamed")


def unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(i for i in items if i))


def with_our_own(rec: dict[str, Any], f: SentenceFacts) -> list[dict[str, Any]]:
    """A statement, and beside it our own, when the sentence's subject is us together with a
    third party ("We and our partners use cookies"): their tracking (or their getting the
    data) is one flow, ours is another. A disclosure in words ("we and our partners share
    ...") stays one statement: sharing is not something we do to ourselves.

    Example:
        >>> f = SentenceFacts(text="", line=1, joint=True)
        >>> rec = {"action": "track", "recipients": ["third_party"], "data_categories": ["user.device.cookie"]}
        >>> [(r["action"], r["recipients"]) for r in with_our_own(rec, f)]
        [('track', ['third_party']), ('track', ['we'])]
    """
    if not f.joint or SHARE_WORD.search(f.text) or rec["action"] not in ("track", "share", "transfer") \
            or all(r.startswith("we") for r in rec["recipients"]):
        return [rec]
    ours = "track" if rec["action"] == "track" else "collect"
    return [rec, dict(rec, action=ours, recipients=["we"], countries=[])]


def details_back(f: SentenceFacts, text: str, source: dict[str, Any]) -> bool:
    """A sentence that names the data the statement before spoke of ("Some details are sent to
    third parties. These details include your IP address") goes on with that statement: it
    keeps its own data and takes the statement's action, recipients and countries (and is then
    added to it). Returns whether it did; nothing is taken from a negation, or when the
    sentence names no data of its own or a third party of its own.

    Example:
        >>> f = SentenceFacts(text="", line=2, data=["user.device.ip_address"], action="use")
        >>> details_back(f, "This information includes your IP address.",
        ...              {"action": "share", "recipients": ["third_party"], "countries": []})
        True
        >>> f.action, f.entities, f.data
        ('share', ['third_party'], ['user.device.ip_address'])
    """
    if source["action"] not in ("collect", "use", "share", "transfer", "track") or not DETAILS_BACK.match(text.replace("’", "'").strip()):
        return False
    if not set(f.data) - {"user"} or any(not e.startswith("we") for e in f.entities) or f.action in ("inform", "not_share", "not_collect"):
        return False
    f.action = source["action"]
    f.entities = [r for r in source["recipients"] if not r.startswith("we")]
    f.countries = unique([*source["countries"], *f.countries])
    return True



class SentenceReader:
    """What one sentence, list item or table row says, read against a taxonomy's lexicon and
    the names the controller goes by (masked: the controller is not a recipient)."""

    def __init__(self, tax: Taxonomy, controller_names: list[re.Pattern[str]]):
        self.tax = tax
        self.lex = lexicon_for(tax)
        self.etax = self.lex.etax
        self.controller_names = controller_names
        self._eea_codes: dict[str, bool] = {}

    def in_eea(self, code: str) -> bool:
        """Whether a country (or region) code lies in the EEA (asked of the taxonomy once)."""
        if code not in self._eea_codes:
            self._eea_codes[code] = bool(self.tax.is_eea([code])[0])
        return self._eea_codes[code]

    # -- sentence analysis ------------------------------------------------------------------
    def analyse(self, text: str, line: int, section_entities: Sequence[str] = (), item: bool = False) -> SentenceFacts:
        """What a sentence (or, with ``item``, a list item) says."""
        f = SentenceFacts(text=text, line=line)
        # a signal or a right whose name reads as a negation ("Do Not Track", "Do Not Sell"):
        # a name, not a promise (joined into one word, it negates and names nothing)
        norm = NAMED_NOT.sub(lambda m: "_".join(m.group(0).split()), text.replace("’", "'"))
        # a word in quotes is the word ("we do not 'sell' or 'share' your data": a promise)
        norm = QUOTED_WORD.sub(lambda m: f" {m.group(1)}{m.group(2)} ", norm)
        norm = DOUBLED_NOT.sub(lambda m: m.group(1) + " " * len(m.group(2)), norm)
        f.reference = bool(REFERENCE.search(norm))
        compliance = bool(COMPLIANCE.search(norm))
        neg_share = promise(NEG_SHARE, norm) or promise(nf.NEG_SHARE_MORE, norm)
        neg_collect = promise(NEG_COLLECT, norm) or promise(nf.NEG_COLLECT_MORE, norm)
        scope = norm
        lead_exc = LEADING_EXCEPT.match(norm) if (neg_share or neg_collect) else None
        if lead_exc:
            # "Aside from what you make public, none of your information is shared": the
            # exception first, then the promise.
            f.exceptions = [k for k, rx in EXCEPTION_CUES if rx.search(lead_exc.group(0))] or ["consent"]
        if neg_share or neg_collect:
            f.action = "not_share" if neg_share and (not neg_collect or neg_share.start() <= neg_collect.start()) else "not_collect"
            exc = EXCEPT.search(norm, (neg_share or neg_collect).end())
            if exc:
                clause = norm[exc.end():]
                f.exceptions = [k for k, rx in EXCEPTION_CUES if rx.search(clause)]
                if "explicit_consent" in f.exceptions and "consent" in f.exceptions:
                    f.exceptions.remove("consent")  # the stricter promise is the one made
                f.excepts_described = not f.exceptions and bool(AS_DESCRIBED.match(norm, exc.start()))
                f.recognised = f.recognised or f.excepts_described
                scope = norm[: exc.start()]
            if lead_exc:
                scope = " " * lead_exc.end() + scope[lead_exc.end():]
            neg = neg_share or neg_collect
            if re.match(r"no\s+other\b", neg.group(0), re.I):
                # "Only X is sent (no other data, such as Y, is sent)": the promise is about Y
                scope = " " * neg.start() + scope[neg.start():]
        mask = self.mask_controller(scope)
        data_mask = NOT_DATA.sub(lambda m: " " * len(m.group(0)), CHANNEL.sub(lambda m: " " * len(m.group(0)), our_sending(mask)))
        data_mask = SECTION_NAME.sub(lambda m: " " * len(m.group(0)), data_mask)  # "as described in How We Use Your Data"
        data_mask = nf.not_data(data_mask)  # "non-content data", "reply to your questions"
        ident = identify_clause(data_mask)
        if ident:  # "we do not use cookies to find out your name": the name is not withheld
            data_mask = data_mask[: ident[0]] + " " * (ident[1] - ident[0]) + data_mask[ident[1]:]
        data_m = all_data = self.find_data(scope, data_mask)  # (all_data: before purposes and negations take theirs)
        if f.action == "not_collect" and neg_collect and neg_collect.re is nf.NEG_COLLECT_MORE:
            # "crash reports do not include your messages": the messages are left out, the
            # reports are not; "cookies do not contain viruses": what is left out is no data
            data_m = [d for d in data_m if d.start >= neg_collect.end()]
            f.action = f.action if data_m else None
        but_not = BUT_NOT.search(scope)
        if but_not:  # "we share your email with them but not your name": the name is set apart
            data_m = [m for m in data_m if m.start < but_not.start()] or data_m
        f.condition = condition_clause(scope)
        if item:
            # A list item names its data first; the rest says why ("Billing address, in case ...").
            # A comma that goes on with more data ("sender name, address, bank account number")
            # continues the list; the first other break ends it.
            head = next((h for h in ITEM_HEAD.finditer(scope)
                         if not (h.group(0).strip() == "," and _continues_list(scope, h.end(), data_m))), None)
            if head and any(m.start < head.start() for m in data_m):
                data_m = [m for m in data_m if m.start < head.start()]
        elif (label := TOPIC_LABEL.match(scope)) and any(m.start >= label.end() and m.key != "user" for m in data_m):
            # "IP addresses: We share your contact details with ...": the topic is no data of the sentence's.
            data_m = [m for m in data_m if m.start >= label.end()]
        # Data named only in an aside, the condition ("when an invoice is past its due date") or
        # an example of the reader's act ("e.g., when you sign up"), is a trigger (``asides``).
        data_m = outside_asides(scope, data_m, aside_spans(scope, "" if item else f.condition))
        apart = [(m.start(), m.end()) for m in DETACHED.finditer(scope)]
        if apart and any(not any(a <= d.start < b for a, b in apart) for d in data_m):
            # "queries, disconnected from any identifiers like IP addresses": not the IP address
            data_m = [d for d in data_m if not any(a <= d.start < b for a, b in apart)]
        why = None if item else FOR_PURPOSE_OF.search(scope)
        if why and any(m.start < why.start() and m.key != "user" for m in data_m):
            # "We share your contact details with X for the purposes of re-assigning your IP
            # addresses": data named in the purpose is why, not what is processed (up to a
            # break that goes on with more data: "..., and your phone number with Y").
            stop = PURPOSE_END.search(scope, why.end())
            end = stop.start() if stop else len(scope)
            data_m = [m for m in data_m if not why.start() <= m.start < end]
        f.data = self.narrow(data_m, "data_category", norm)
        reach = None if re.search(r"\b(?:contact|reach|write\s+to)\s+us\b|\b(?:not|never|no)\b|n['’]t\b", scope, re.I) \
            else REACH_BY.search(scope)  # (a negation keeps its own reading: "we never call you by phone")
        if reach:  # "we send you notices by email or SMS": the address and number are used
            f.data = unique([*(d for d in f.data if d != "user"), *(word_table("channel_data")[re.sub(r"\s+", " ", c.lower())]
                                                                for c in reach.group("first", "second") if c)])
        if f.action == "not_collect" and set(f.data) <= {"user"} and FROM_CHILDREN.search(scope):
            f.data = ["user.childrens"]  # "We do not knowingly collect information from anyone under 13"
        # A purpose word inside a data phrase ("billing" in "billing address") is the data.
        ents = self.lex.find("recipient", scope, LEGAL_PROCESS.sub(lambda m: " " * len(m.group(0)), mask))
        ents = [e for e in ents if not nf.source_before(mask[: e.start])]  # "content from other users"
        ents += [Mention("recipient", "third_party", m.start(), m.end(), m.group(0)) for m in GENERIC_PARTY.finditer(mask)
                 if not any(e.start < m.end() and m.start() < e.end for e in ents)
                 and not re.search(r"\bfrom\s+(?:\w+\s+){0,2}$", mask[: m.start()], re.I)]  # a source, not a recipient
        # A party's word inside a data phrase ("government" in "government-issued ID") is the data.
        ents = [e for e in ents if not any(d.start <= e.start and e.end <= d.end and d.end - d.start > e.end - e.start
                                           for d in all_data)]
        ents.sort(key=lambda e: e.start)
        acted = others_acts(scope)  # "when you share it with friends": their act, their recipients
        chosen = [(m.start(), m.end()) for m in READER_CHOICE.finditer(scope)] + acted + protected_parties(scope)
        own = "".join(" " if any(a <= i < b for a, b in acted) else ch for i, ch in enumerate(scope)) if acted else scope
        if chosen:  # "if you use PayPal": the reader's service, not our recipient
            ents = [e for e in ents if not any(a <= e.start < b for a, b in chosen)]
            mask = "".join(" " if any(a <= i < b for a, b in chosen) else ch for i, ch in enumerate(mask))
        # ... and one inside a name ("analytics" in "Google Analytics") is the name.
        # A data phrase made by the processing ("to create usage statistics") names its purpose.
        made = [d for d in data_m if MAKES.search(scope, 0, d.start)]
        uses = [u for u in self.lex.find("data_use", scope, mask)
                if not any(d.start <= u.start and u.end <= d.end and d not in made for d in data_m)
                and not any(e.start <= u.start and u.end <= e.end and (e.end - e.start) > (u.end - u.start) for e in ents)]
        if f.condition and not item:
            # A purpose word only in the condition ("if you call us about one of our
            # advertisements, we record the call for quality assurance") is the occasion, not
            # why the data is processed, when the main clause states purposes of its own.
            c0 = scope.find(f.condition)
            inside = [u for u in uses if c0 <= u.start < c0 + len(f.condition)]
            if inside and len(inside) < len(uses):
                uses = [u for u in uses if u not in inside]
        f.purposes = self.narrow(uses, "data_use", norm)
        f.subjects = unique(m.key for m in self.lex.find("data_subject", scope, mask)
                            if not STAFF_ROLE.search(scope[max(0, m.start - 60): m.start])
                            and not PEOPLE_MODIFIED.match(scope[m.end:]))
        f.countries = self.countries(without_laws_places(scope))  # not "U.S. laws"
        f.entities, f.internal = self.entities(ents, scope, section_entities,
                                                broadest=f.action in ("not_share", "not_collect"))
        f.entities += self._named(scope, mask, ents, f)
        f.mentioned = list(f.entities)
        f.self_hosted = bool(SELF_HOSTED.search(norm))
        # rights
        if RIGHT_CUE.search(unreserved := nf.NOT_YOUR_RIGHT.sub(" ", norm)):  # ("we reserve the right to disclose": ours)
            f.rights = self.rights(unreserved)
        start = ANAPHOR_START.match(norm.strip())
        # "Finally, we also collect X": a marker of sequence before data of its own starts a
        # statement of its own; "This is used to ...", "Also for billing" go on with the last one
        f.anaphor_start = bool(start) and not (start.group(0).lower() in _SEQUENCE and set(f.data) - {"user"})
        anaphor = ANAPHOR_DATA.search(norm)
        # "If you registered with a phone number, this information is ...": the data the
        # sentence itself names before it, not the statement before.
        f.anaphor_data = bool(anaphor) and not any(m.start < anaphor.start() and m.key != "user" for m in data_m) \
            and not (anaphor.group(0).lower().startswith("such") and own_generic_data(norm, anaphor.start()))  # "share information with X, who need such information"
        if anaphor and not f.anaphor_data and any(m.start > anaphor.end() and m.key != "user" for m in data_m):
            # "Depending on your location, this information may include your address": what follows
            f.data = self.narrow([m for m in data_m if m.start > anaphor.end()], "data_category", norm)
        f.pronoun = bool(PRONOUN.search(norm))
        f.consent = bool(CONSENT.search(norm)) and not WITHOUT_CONSENT.search(norm) and not f.exceptions
        f.legal_bases = [k for k, rx in LEGAL_BASIS if rx.search(norm)]
        if not f.data and f.legal_bases and BASIS_DATA.search(norm):
            f.data = ["user"]
        f.share_cue = _gives_away(own)
        joint = JOINT_SUBJECT.search(scope)
        f.joint = bool(joint and any(e.start <= joint.end() < e.end or (
            joint.end() <= e.start <= joint.end() + 40 and not re.search(r"[,.;:()]", scope[joint.end(): e.start]))
            for e in ents if not e.key.startswith("we")))
        self._retention(f, norm)
        self._action(f, own)
        if reach and f.action is None and not f.entities and not f.reference \
                and not EXEMPLIFY.search(scope, reach.start(), reach.start("first")):
            # "Notices will be sent to you via email": reaching the reader uses the address
            # (a channel given as an example, "for example by email", states no practice)
            f.action = "use"
        self._actor(f, scope, ents)
        if f.action in ("collect", "use", "track") and all(e.startswith("we") for e in f.entities) and THEIR_DOING.search(scope) \
                and not from_source(scope, self.controller_names, _gives_away):  # ("partners who use our ads may send us your email": to us)
            f.action = None  # "Other companies track your browsing": theirs, and no recipient of ours named
        self._public(f, scope)
        held = bool(HELD_BY_US.search(scope)) and bool(set(f.data) - {"user"})
        if held and f.action is None:
            f.action = "collect"  # "Passwords are encrypted in our databases": we hold them
        if ADVICE.search(norm) or HEDGED.search(norm) or REVEALS.search(norm):
            f.reference = True  # "We advise you to use a browser that does not keep your history"
        if READER_CARE.search(norm) and not re.search(r"\bwe\b", norm, re.I) and f.action not in ("inform", "not_share", "not_collect"):
            f.reference = True  # "Use a strong password and keep your login details safe": the reader's care
        if NO_CONTROL.search(norm) and f.action in ("collect", "use", "share", "track"):
            f.reference = True  # "We do not control how others reuse public posts": no flow of ours
        if nf.no_flow_of_ours(f.action, norm, neg_collect or neg_share, f.purposes) or signs_in_through(f.action, norm, f.data):
            f.reference = True  # "They may not use your data for themselves"; "The data controller is:"; "log in with Google"
            if f.rights:  # "If you withdraw your consent, we no longer use it": the right is still told
                f.reference, f.action = False, "inform"
        if compliance and not f.purposes and f.action in ("use", "collect") and not f.entities:
            f.reference = True  # "When processing your data we adhere to the GDPR": no flow of its own
        if f.action in ("not_share", "not_collect") and IMPERATIVE_NOT.search(norm.strip()) \
                and not re.search(r"\bwe\b", norm, re.I) and (item or not norm.strip()[:1].islower()):
            f.reference = True  # "never give out your password": advice to the reader, no promise of ours
        if f.action in (None, "collect", "use") and REACH_US.search(norm) and set(f.data) <= CONTACT_ONLY:
            f.reference = True  # "email privacy@example.com", "write to us at: 1 Main St": our address
        if f.action not in ("not_share", "not_collect"):
            # A definition, the controller's introduction, talk of rights: no flow of their own.
            if defines(norm, bool(f.data), item):  # "A cookie is a small file", "User Content means ..."
                f.reference = True
            elif ((nf.MINIMISATION.search(norm) or limit_not_denial(norm)) and set(f.data) <= {"user"} and f.action in ("collect", "use")) \
                    or nf.QUESTION.match(norm):
                f.reference = True  # "Our policy is to collect as little data as possible"; "How is your data shared?"
            elif READER_TALK.search(norm) and f.action != "inform" and not (item and set(f.data) - {"user"}):
                # (an item naming data lists it: "support tickets, complaints" are data)
                if f.rights:
                    f.action = "inform"
                else:
                    f.reference = True
            elif SAFEGUARD_TALK.search(norm) and not held and (re.search(r"privacy\s+(?:framework|shield)|certif", norm, re.I) or (
                    (not f.countries or ((f.action == "use" or TRANSFER_TERMS.search(norm)) and all(self.in_eea(c) for c in f.countries)))
                    and not any(e not in self.lex.categories and not e.startswith("we") for e in f.entities))):
                f.reference = True
            elif WITHIN_EEA.search(norm) and set(f.data) <= {"user"} and f.action in ("use", "collect") \
                    and not f.entities and all(self.in_eea(c) for c in f.countries):
                f.reference = True  # "We only store and process your personal data within the EU/EEA": where, not what
            elif ANONYMOUS.search(norm) and len(f.data) <= 1:
                f.reference = True  # "Aggregated, non-identifiable information may be retained"
            elif ANNOUNCES_LIST.search(norm) and set(f.data) <= {"user"} and not f.entities and not item \
                    and not PURPOSE_LEAD.search(norm):
                # "We process the following categories of personal data.": the list says what
                # ("... for the following purposes:" is the flow, its list says why)
                f.reference = True
            elif RIGHTS_TALK.search(nf.NOT_YOUR_RIGHT.sub(" ", norm) if f.action else norm) and f.action != "inform":
                if f.rights:
                    f.action = "inform"
                else:
                    f.reference = True
        elif f.action == "not_collect" and neg_collect is not None and re.match(r"no\s+longer", neg_collect.group(0), re.I) \
                and set(f.data) <= {"user"}:
            # "(If you object,) we will no longer process your personal data": what follows an
            # event, not a standing promise about all data; negative, but no denial of every flow.
            f.reference = True
        elif f.action == "not_collect" and neg_collect is not None and f.entities:
            # "Chargebee does not have access to ...": a third party that does not get the data.
            first = ents[0] if ents else None
            if (first is not None and not first.key.startswith("we") and first.start < neg_collect.start()
                    and re.search(r"\b(?:access|see|view|read|receive)", neg_collect.group(0), re.I)):
                f.action = "not_share"
                f.actor = "we"
        if not f.reference and f.action in ("collect", "use", "share", "transfer", "track"):
            hidden, negated_only = hidden_in_negation(f.action, own, data_m)
            specific = set(f.data) - negated_only - {"user"}  # (data named only in a negation is not the flow's)
            f.data = [d for d in f.data if d not in negated_only]
            if hidden or (negated_only and not specific):  # "we don't make money from selling your data"
                f.action, f.data, f.purposes, f.anaphor_start, f.anaphor_data, f.pronoun = None, [], [], False, False, False
        return f

    def rights(self, norm: str) -> list[str]:
        """The rights a text names, its rights words read as rights (only beside a rights cue)."""
        rights = [m.key for m in self.lex.find("right", norm)]
        rights += [k for m in RIGHT_WORDS.finditer(norm) if (k := self.tax.lookup("right", m.group(0).lower()))]
        return unique(sorted(set(rights), key=rights.index))

    def implied_data(self, recipients: Sequence[str], purposes: Sequence[str] = (), text: str = "") -> list[str]:
        """The data a disclosure to these kinds of recipient carries when it names none
        (``recipient_data`` in words.yml: payment providers get payment data), or [] when one
        of them is of no kind the table holds. A named company is no kind: what it gets is
        for its sentence to say; in a row of providers that only states its function
        ("Stripe | Payment services | USA", no verb), it is of the kind that function makes
        it (``use_to_recipient_category`` in phrases.yml)."""
        table: dict[str, list[str]] = word_table("recipient_data")
        roles: dict[str, str] = word_table("use_to_recipient_category", "phrases.yml")
        row = bool(text) and not (USE.search(text) or COLLECT.search(text) or SHARE.search(text) or TRACK.search(text))
        out: list[str] = []
        for r in recipients:
            kinds = [k for k in table if r == k or (r in self.lex.categories and self.etax.is_under("recipient", r, k))]
            if not kinds and row and r not in self.lex.categories and not r.startswith("we"):
                kinds = unique(roles[p] for p in purposes if roles.get(p) in table)
            if not kinds:
                return []
            out += [d for k in kinds for d in table[k]]
        return unique(out)

    def find_data(self, text: str, mask: str | None = None) -> list[Mention]:
        """The data categories a text names, in order, with the word "email" as the address
        only where it is not a channel or a message (``mask``: the text with what must not be
        read blanked out)."""
        mask = text if mask is None else mask
        found = self.lex.find("data_category", text, mask)
        for rx, key in DATA_DESCRIBED:  # "information you have written in the e-mail", "the URL you visited"
            for m in rx.finditer(mask):
                found = [d for d in found if not (d.start < m.end() and m.start() < d.end)]
                found.append(Mention("data_category", key, m.start(), m.end(), m.group(0)))
        for m in WORD_EMAIL.finditer(mask):
            if not any(d.start <= m.start() < d.end for d in found) and email_is_data(mask, m):
                found.append(Mention("data_category", "user.contact.email", m.start(), m.end(), m.group(0)))
        return sorted(found, key=lambda m: m.start)

    def _named(self, scope: str, mask: str, ents: list[Mention], f: SentenceFacts) -> list[str]:
        """Companies no list holds, named where a recipient stands (a run of names beside a
        known one, "share ... with ARIN", a legal form or ®), as ``vendor:<slug>`` keys."""
        if f.action in ("not_share", "not_collect"):
            return []
        known_third = [e for e in ents if not e.key.startswith("we")]
        shaped = {n for n, _ in company_like(mask)}
        share = bool(SHARE.search(mask))
        out: list[str] = []
        for name, start in named_parties(mask):
            if any(e.start <= start < e.end or start <= e.start < start + len(name) for e in ents):
                continue
            if start >= 2 and mask[start - 2].isspace() and not scope[start - 2].isspace():
                continue  # "Proton Financial AG" where "Proton" is the controller: its own company
            if not (share or known_third or name in shaped):
                continue
            norm = normalise_phrase(name)
            if name in self.lex.countries[1] or f"{name}." in self.lex.countries[1] or any(self.lex.maps[k].get(norm) for k in ("data_category", "data_use", "data_subject")):
                continue
            known = self.lex.find("recipient", name)
            key = known[0].key if known else role_key(name) or vendor_key(name)  # ("Drivers": other users)
            if key.startswith("we") or key in f.entities or key == "vendor:unnamed":
                continue
            out.append(key)
        return unique(out)

    def mask_controller(self, text: str) -> str:
        """The sentence with the controller's names, and its own service named by its kind
        ("our search engine"), blanked: neither is a recipient."""
        out = OWN_SERVICE.sub(lambda m: " " * len(m.group(0)), text)
        for rx in self.controller_names:
            out = rx.sub(lambda m: " " * len(m.group(0)), out)
        return out

    def narrow(self, mentions: list[Mention], kind: str, text: str) -> list[str]:
        """Keys in order; a broader term is dropped when a narrower one follows an
        exemplifier ("personal information, such as login information")."""
        keys = unique(m.key for m in mentions)
        ex = EXEMPLIFY.search(text)
        if len(keys) < 2 or not ex:
            return keys
        drop = {a.key for a in mentions for b in mentions
                if a.key != b.key and a.start < ex.start() <= b.start and self.tax.is_under(kind, b.key, a.key)}
        return [k for k in keys if k not in drop]

    def narrow_keys(self, keys: list[str], kind: str) -> list[str]:
        return [k for k in keys if not any(o != k and self.tax.is_under(kind, o, k) for o in keys)]

    def countries(self, text: str) -> list[str]:
        pattern, names = self.lex.countries
        found = []
        for m in pattern.finditer(text):
            code = names.get(m.group(0))
            if code:
                found.append(code)
        return unique(found)

    def entities(self, ents: list[Mention], text: str, section_entities: Sequence[str],
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
            definite = DEFINITE.search(text[: m.start]) or re.match(r"(?:the|our)\s", m.phrase, re.I)
            # ("our service providers", plural, are all of them: not the one named before)
            if key in self.lex.categories and key != "third_party" and definite and not PLURAL.search(m.phrase):
                for prev in reversed(earlier + keys):
                    if prev != key and prev not in self.lex.categories and self.etax.is_under("recipient", prev, key):
                        key = prev
                        break
            keys.append(key)
            earlier.append(key)
        keys = unique(keys)
        # A category named beside an entity under it ("our collection agency (DAS Incasso)")
        # means the entity; in a negation the broadest wins ("not to anyone, nor advertisers").
        if broadest:
            drop = {b for a in keys for b in keys if a != b and self.etax.is_under("recipient", b, a)}
        else:
            drop = {a for a in keys for b in keys if a != b and self.etax.is_under("recipient", b, a)}
        return [k for k in keys if k not in drop], internal

    def _name_extends(self, key: str, phrase: str) -> bool:
        p = normalise_phrase(phrase)
        for name, k in self.lex.maps["recipient"].items():
            if k == key and name.startswith(p + " "):
                return True
        return False

    def _retention(self, f: SentenceFacts, norm: str) -> None:
        period = None if f.action in ("not_share", "not_collect") else retention_period(norm)
        if period:
            f.retention = period.retention
            f.condition = period.condition or f.condition

    def _action(self, f: SentenceFacts, scope: str) -> None:
        if f.action:
            if not f.data:
                if f.action == "not_collect" and not f.purposes:
                    # "alternative routing is not used", "your address book is never uploaded":
                    # a negation whose data no term names is not a promise about all personal
                    # data (it goes to review as an unclear negation).
                    f.action = None
                    return
                # "No profiling takes place": a negation of a purpose denies it for any personal data.
                f.data = ["user"]
            return
        third = [e for e in f.entities if not e.startswith("we")]
        if third == ["third_party.other_users"] and PUBLIC.search(scope):
            third = []  # "which is visible to other users": the showing is read as such (``_public``)
        trackerish = [e for e in third if e in self.lex.trackers]
        if trackerish and (spans := service_examples(scope)):  # "a service (such as Facebook)": the service
            named = self.lex.find("recipient", scope)
            trackerish = [e for e in trackerish if e not in self.lex.named_services
                          or not all(any(a <= m.start < b for a, b in spans) for m in named if m.key == e)]
        if f.rights and not f.retention and (not third or re.search(r"\bright", scope, re.I)):
            f.action = "inform"
            return
        if third and not f.share_cue and KEEPING.search(scope) and all(
                self.etax.is_under("recipient", e, "third_party.public_authority") for e in third):
            # "We retain invoices as the tax authorities require": kept by us under a legal
            # obligation, no disclosure to the authority the obligation comes from
            f.action, f.entities = "retain", [e for e in f.entities if e.startswith("we")]
            return
        if f.retention:
            f.action = "retain"
            return
        if from_source(scope, self.controller_names, _gives_away):
            # "We receive your data from third parties", "Acme may receive ...": we collect; they are the source (and
            # "an app you tell to share your data with us" gives it to us, not away).
            f.action = "collect"
            f.entities = []
            f.condition = f.condition or source_phrase(scope)
            return
        track_cue = TRACK.search(scope)
        # A tracker vendor used "to track" is tracking; one that is nothing but a tracker
        # (analytics, advertising) is tracking whenever it is used.
        pure = [e for e in trackerish if self.etax.known("recipient", [e])[0]
                and self.etax.is_under("recipient", e, "third_party.tracker")]
        cookies = track_cue and re.search(r"\b(?:cookies?|pixels?|trackers?|tags?|beacons?|heatmaps?)\b", scope, re.I)
        if (trackerish and track_cue) or (pure and USE.search(scope)) or (f.joint and cookies and not SHARE_WORD.search(scope)):
            f.action = "track"
            return
        if not third and YOU_SHARE.search(scope):
            f.action = "collect"  # "you can decide to share your location when you post": given to us
            return
        if third:
            if f.self_hosted and not f.share_cue:
                f.action = "use"
                f.entities = []
            elif (f.share_cue or USE.search(scope) or COLLECT.search(scope)) and not describes_service(scope):
                f.action = "share"  # ("X is provided by X Inc." says who runs a service: no flow)
            else:
                f.action = None
            if f.action == "share" and (any(not self.in_eea(c) for c in f.countries) or ABROAD.search(without_laws_places(scope))):
                f.action = "transfer"  # (to a country outside the EEA, or "around the world")
            return
        if track_cue and re.search(r"\b(?:cookies?|pixels?|trackers?|tags?|heatmaps?)\b", scope, re.I) and USE.search(scope):
            f.action = "track"
            return
        if f.share_cue and (SHARE_WORD.search(scope) or HANDS_ON.search(scope)):
            # "we transfer your data to the United States": a transfer, whoever receives it
            f.action = "transfer" if any(not self.in_eea(c) for c in f.countries) or ABROAD.search(without_laws_places(scope)) else "share"
            return
        cue = COLLECT.search(scope) or USE.search(scope)
        if cue:
            f.action = "collect" if COLLECT.search(scope) and not COLLECTED_THEN_USED.search(scope) else "use"
            keep = KEEPS_OR_DELETES.search(scope)
            if keep and keep.start() < cue.start() and not f.retention:
                # "We will retain it as long as the purposes it was collected for require",
                # "your information will be deleted": keeping or deleting with no period
                # stated, not a collection
                f.action = None

    def _public(self, f: SentenceFacts, scope: str) -> None:
        """Data shown to anyone ("which is shown publicly on the site", "visible to other
        users") goes to other users and the public; when we collect it too, the sentence
        states both flows (``joint``). Data named nowhere in the sentence leaves ``public``
        for the list it leads ("You may add details, which are shown publicly. These
        include: ..."). A negated showing ("is not shown publicly") is no disclosure."""
        m = PUBLIC.search(scope)
        if m is None or f.action not in (None, "collect", "use", "share") or f.reference \
                or re.search(r"\b(?:not|never|no)\b(?:\s+\w+)?\s*$", scope[: m.start()], re.I):
            return
        f.public = True
        if not f.data:
            return
        f.joint = f.joint or f.action in ("collect", "use")
        f.entities = unique([*f.entities, "third_party.other_users"])
        f.action = "share"

    def _actor(self, f: SentenceFacts, scope: str, ents: list[Mention]) -> None:
        """A third party is the actor when it is the sentence's subject ("Hotjar does not record")."""
        if not ents or f.action in ("share", "transfer", "not_share", "inform"):
            return
        first = ents[0]
        lead = re.fullmatch(r"\s*(?:(?:these|those|such|the)\s+)?", scope[: first.start], re.I)
        if lead and f.action == "not_collect" and first.key == "third_party" and "third_party" in f.entities:
            f.actor = "third_party"  # "These third-party companies will not use it": their promise
            return
        if first.start <= 4 and not first.key.startswith("we") and f.entities:
            after = scope[first.end:].lstrip()
            if re.match(r"(?:does|do|will|may|can|collects?|records?|uses?|stores?|receives?|processes?|sets?|places?)\b", after, re.I) \
                    and not re.match(r"(?:is|are)\b", after, re.I):
                f.actor = f.entities[0] if f.entities[0] != "third_party" else f.actor
