"""Acts that are not the organisation's: the reader, other users or third parties passing data
on of their own accord ("when you share a route with your friends", "other members may repost
it"), and the reader signing in through another service, which discloses nothing to that
service. A recipient named in such a clause is theirs, not ours; nor is a party named as
the one protected or served ("to protect our affiliates"); a party we receive data from
("we receive information from business partners", "advertisers may provide us with ...") is
a source of our collection, and a party we both give data to and get data from is both
("we share with, and receive from, our affiliates"). Found wanting on real policies outside
the corpus (issue 17); tests in ``tests/test_policy_extract_actors.py``,
``tests/test_policy_extract_sources.py``, ``tests/test_policy_extract_pointers.py`` and
``tests/test_policy_who_does_what.py``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

__all__ = ["both_ways", "from_source", "others_acts", "protected_parties", "signs_in_through", "source_phrase"]


#: Signing in through another service ("You can log into your account using third-party
#: applications (e.g., Facebook, Google)"): how the reader logs in, which discloses nothing to
#: that service. What the service then sends us is a flow when a sentence says so.
_SIGN_IN_THROUGH = re.compile(
    r"\b(?:log\s*(?:in|into|on)(?:\s+to)?|sign\s*(?:in|on|up))\b[^.;]{0,80}?\b(?:through|using|with|via)\b"
    # (registering "with Acme" is with us: only "through", "using" or "via" another service)
    r"|\b(?:register|(?:create|open|set\s+up)\s+(?:an|your)\s+account)\b[^.;]{0,80}?\b(?:through|using|via)\b", re.I)

#: A verb that does move data: with one, a sign-in sentence states a flow after all.
_MOVES_DATA = re.compile(r"\b(?:shar|disclos|send|sent|provid|transfer|pass|receiv|collect|giv|obtain|import)\w*", re.I)


def signs_in_through(action: str | None, norm: str, data: Sequence[str] = ()) -> bool:
    """Whether a sentence read as a disclosure or tracking (``action``) only tells how the
    reader signs in through another service (see ``_SIGN_IN_THROUGH``); or, read as a
    collection or as no flow yet (a list item under "When we collect:") of nothing but login data (``data``), names the other service's login as the
    means ("open an account through your Example login"): that password stays with the other
    service, and what it passes us is a flow where a sentence says so.

    Example:
        >>> signs_in_through("track", "You can log in to your account using Google or Apple.")
        True
        >>> signs_in_through("share", "If you sign in with Google, Google shares your email address with us.")
        False
        >>> signs_in_through("collect", "You sign up via your Example login credentials.", ["user.authorization.credentials"])
        True
    """
    if not _SIGN_IN_THROUGH.search(norm) or _MOVES_DATA.search(norm):
        return False
    return action in ("share", "track") or (
        action in ("collect", None) and bool(data) and all(d.startswith("user.authorization") for d in data))


#: Who acts when it is not us: the reader, other users or people, third parties named as such.
_OTHER_SUBJECT = (
    r"(?:you|(?:(?:the|a|an|any|some|certain|other|fellow|individual)\s+){1,3}(?:[\w-]+\s+)?(?:users?|members?|people|persons?|visitors?)"
    r"|(?:[\w-]+\s+)?(?:users|members|visitors|readers|followers|viewers|subscribers|participants|people)(?:\s+(?:in|on|of)\s+(?:your|the|our)\s+\w+)?"
    r"|others|anyone|someone|"
    r"everyone|third[-\s]parties|your\s+(?:friends|contacts|followers|connections))")

#: What another actor does with data of its own accord: passing it on, posting, copying.
_OTHER_VERB = (r"(?:share|shares|re-?share|re-?shares|repost|reposts|post|upload|uploads|forward|forwards|copy|"
               r"download|disclose|discloses|send|sends|pass\s+on|passes\s+on|screenshot)")

#: Between such a subject and its verb: an aside in commas ("a visitor, while browsing,"),
#: modals and "choose to", a first verb joined by "and" ("can view it and can choose to").
_OTHER_GAP = (r"(?:\s*,[^,.;()]{0,60},)?(?:\s+(?:can|may|might|could|will|would|also|then|often|sometimes|not|have|has|"
              r"(?:choose|chooses|decide|decides|want|wants)\s+to|(?:be|are|is)\s+able\s+to|(?:view|see|read|access)\s+(?:\w+\s+){0,3}?and)\b){0,6}\s+")

#: Data handled by someone, in the passive ("collected, used, or disclosed by others").
_DONE = r"(?:shared|re-?shared|reposted|posted|uploaded|copied|collected|gathered|obtained|used|reused|stored|disclosed|forwarded|downloaded)"

#: A clause whose subject is another actor doing one of those ("when you share your location
#: with your friends", "members can repost what you write", "a visitor, while browsing, uploads
#: a picture of you"), or data said to be handled by them ("information copied by other
#: users"), up to the clause's end (a full stop, a semicolon, or a comma before "we"/"and we").
#: Not given to us ("you share it with us", "others send us reports": our collection), nor on
#: our behalf.
_OTHERS_ACT = re.compile(
    rf"(?:^|(?<=[,;:(])|\b(?:when|if|where|once|whenever|and|or|but|because|as|then|while|cases\s+where)\s)\W{{0,3}}(?P<who>(?-i:[Tt]he\s+|[Aa]\s+)?"
    rf"(?i:{_OTHER_SUBJECT}))\b{_OTHER_GAP}{_OTHER_VERB}\b"
    rf"|(?P<done>\b{_DONE}(?:\s*,?\s+(?:(?:and|or)\s+)?{_DONE}){{0,4}}\s+by\s+"
    rf"(?:other\s+(?:users|members|people|parties)|others|third[-\s]parties|anyone|people)\b)", re.I)

#: Where such a clause ends: a full stop or semicolon, or a comma or "and" before "we".
_OTHERS_END = re.compile(r"[.;]|,?\s+(?:and\s+|but\s+|so\s+|then\s+)?(?=we\b)"
                         r"|,\s+(?=(?:(?:and|but|so|or)\s+)?(?:which\b|we\b|us\b|our\b|in\s+order\b|so\s+that\b|to\s+\w+|for\s+us\b))", re.I)

#: An act that gives data to us or is done for us: ours after all.
_FOR_US = re.compile(r"\b(?:with|to)\s+us\b|\bus\s+with\b|\bsends?\s+us\b|\bon\s+our\s+behalf\b|\bfor\s+us\b", re.I)


#: A receiver named after the reader's verb ("with your friends", "to other members").
_TO_SOMEONE = re.compile(r"\b(?:with|to)\s+(?:(?:your|other|the|some|all|any|more)\s+){0,2}(?:[\w-]+\s+)?(?:friends|contacts|followers|"
                         r"connections|others|people|users|members|public|audiences?|third[-\s]parties|anyone|everyone|someone|famil(?:y|ies)|groups?)\b", re.I)


def others_acts(text: str) -> list[tuple[int, int]]:
    """Spans of ``text`` that tell what someone other than us does with data: the reader, other
    users or third parties as the subject of a clause whose verb passes data on ("when you share
    your location with your friends", "other members may repost your answers"), or data said to
    be handled by them ("content copied by other users"). Their act is not our flow: a
    recipient named there is theirs, and a sentence with nothing else states no flow of ours,
    unless another clause says we get the data ("..., and we collect it"). An act that gives
    the data to us ("you share it with us") is our collection and not returned.

    Example:
        >>> t = "When you share a route with your friends, we record the distance."
        >>> [t[a:b] for a, b in others_acts(t)]
        ['you share a route with your friends']
        >>> others_acts("If you send us a photo, we keep it.")
        []
    """
    spans: list[tuple[int, int]] = []
    at = 0
    while (m := _OTHERS_ACT.search(text, at)) is not None:
        start = m.start("who") if m.group("who") else m.start("done")
        end_m = _OTHERS_END.search(text, m.end())
        end = end_m.start() if end_m else len(text)
        reader = bool(m.group("who")) and m.group("who").lower() == "you"
        if not _FOR_US.search(text, start, end) and not (reader and not _TO_SOMEONE.search(text, m.end(), end)):
            # (the reader sharing with no one named gives it to us: "if you choose to share your location")
            spans.append((start, end))
        at = max(end, m.end())
    return spans


#: Data received from someone ("we may also receive your data from third parties"): the
#: recipient is us, the third party is the source. The broad cue, read with the sentence's
#: own giving away (see :func:`from_source`, which also reads the forms bound to a subject).
_RECEIVE_FROM = re.compile(
    r"\b(?:receive|obtain|get|collect|gather)\w*\s+(?:\S+\s+){0,6}?from\s+(?!you\b|us\b|your\s+(?:device|browser))"
    r"|\b(?:can|may)\s+access\s+(?:\S+\s+){0,6}?(?:through|via)\s+(?:our|its|their)\b"
    # "transaction information sent to us by the payment processor": the party is the source
    r"|\b(?:sent|given|provided|passed|transmitted|forwarded|shared)\s+(?:to|with)\s+us\s+by\b"
    # "partners may provide your personal data to us", "they provide us with your address"
    r"|\b(?:provid|furnish)\w*\s+(?:(?:your|such|this|that|any|certain|some|personal)\s+){1,3}(?:data|information|details)\s+to\s+us\b"
    r"|\bprovid\w*\s+us\s+(?:with\s+)?(?:your|such|this|that|personal)\b"
    # "when third parties provide it to us"; "we receive your Facebook user ID": we are given it
    r"|\bprovid\w*\s+(?:it|them|this|these|that|those)\s+to\s+us\b"
    r"|\bwe\s+(?:(?:may|might|can|will|also|only|then|automatically)\s+){0,2}(?:receive|obtain)\b"
    # "other users may share your phone number with us": we are the ones given the data
    r"|\b(?:share|disclose)\w*\s+(?:\S+\s+){0,10}?with\s+us\b(?!\s+(?:and|or)\b)"
    # "information you provide or that is shared by third parties": they are the source; said
    # of data only (not "cookies provided by third parties", a tool they supply; nor "a form
    # supplied by the payment provider"; nor a product's maker, "Zendesk (provided by Zendesk
    # Inc.)"; nor "disclosed by others")
    r"|\b(?:information|data|details|content|it|them|that|which)\s+(?:(?:is|are|was|were|be|been|may|will|has|have)\s+){0,2}"
    r"(?:shared|provided|supplied)\s+(?:(?:to|with)\s+us\s+)?by\s+(?!(?:us|we|you|others)\b)", re.I)

#: Receiving data, not requests ("Acme may receive limited information about you"): with our
#: name read as "we", the broad cue applies.
_RECEIVED_DATA = re.compile(r"\breceiv\w*\s+(?:[\w-]+\s+){0,3}?(?:information|data|details)\b", re.I)

#: A disclosure word, before the caller's finer reading of a sentence's giving away.
_GIVE_WORD = re.compile(r"\b(?:share|disclos|sell|transfer|pass|forward)", re.I)

#: Adverbs and modals between "we" and its verb ("we may also, from time to time, obtain").
_OUR_AUX = r"(?:(?:may|might|can|could|will|would|shall|do|does|did|also|only|then|sometimes|often|occasionally|additionally|further|likewise|"\
           r"automatically|regularly|periodically)\s+|,?\s*from\s+time\s+to\s+time,?\s+)"

#: Where "from" names no party but the reader, us, our own service, the reader's device or use,
#: or a time ("from you", "from your browser", "from our website", "from time to time").
_NO_PARTY = r"(?:you|us|we|ourselves|time\s+to\s+time|(?:your|the)\s+(?:own\s+)?(?:use|usage|devices?|browsers?|computers?|phones?|visits?|" \
            r"activit\w+|interactions?)|our\s+(?:own\s+)?(?:services?|website|web\s*site|sites?|apps?|applications?|platforms?|products?|servers?))\b"

#: We as the subject of a verb of getting whose "from" names a party: "we may receive your
#: information from our partners", "we also collect data we do not otherwise have from, for
#: example, public sources", "... information you post to a forum"). The party is where the
#: data comes from.
_WE_GET_FROM = re.compile(
    rf"\bwe\s+{_OUR_AUX}{{0,4}}(?:receive|obtain|collect|gather|get|acquire|source|buy|purchase|licen[cs]e)\w*\b[^.;:]{{0,160}}?"
    rf"\bfrom[\s,]+(?:(?:for\s+example|for\s+instance|e\.\s?g\.|such\s+as|including|among\s+others)[\s,]+)?(?!{_NO_PARTY}|(?:and|or)\b)(?=\w)"
    # "we may collect publicly available information you post to a blog or a social network": where it was posted
    rf"|\bwe\s+{_OUR_AUX}{{0,4}}(?:receive|obtain|collect|gather|get)\w*\b[^.;:]{{0,80}}?\b(?:you|users?|others)\s+(?:\w+\s+)?"
    r"(?:submit|post|publish|share)\w*\s+(?:(?!with\b|to\b|on\b|us\b)\S+\s+){0,3}?(?:to|on)\s+(?=(?:a|an|the|your|their|other|third[-\s]party)\b)", re.I)

#: Someone else as the subject of a verb of giving whose receiver is us: "you direct the
#: service to send us information", "service providers ... may share this information with
#: us", "data that customers share with us" (our name already replaced by "us").
_GIVES_US = re.compile(
    r"\b(?:send|share|provide|give|pass|forward|transmit|disclose|supply|furnish|make\s+available)(?:s|d|ed|es)?\s+"
    r"(?:us\s+(?:with\s+)?(?:(?!{0})[\w'’-]+\s+){{0,3}}?{1}"
    r"|(?:(?!{0}|we\b|us\b|to\b|with\b)[\w'’-]+\s+){{0,8}}?(?:to|with)\s+us\b(?!\s+(?:and|or)\b))".format(
        r"(?:services?|assistance|support|help|tools?|consent|permission|access|feedback|advice|ideas?)\b",
        r"(?:information|data|details|records|reports|profiles?|lists?|contacts?|your\b(?!\s+(?:comments?|questions?|responses?|requests?|complaints?|inquir\w+|enquir\w+|suggestions?)\b))"), re.I)

#: A giving someone learns of or suspects ("if you become aware that your child has provided
#: data to us, contact us"): a case to report, not a collection the policy states.
_SUSPECTED = re.compile(r"\b(?:aware|learn\w*|believe\w*|discover\w*|suspect\w*|know|think|find\s+out)\b[^.;,]*$", re.I)

#: Our own disclosure in the same sentence ("... and we share it with advertisers", "we
#: receive it from partners and pass it to our processors"): then the sentence gives data away.
_WE_GIVE = re.compile(
    rf"\bwe\s+{_OUR_AUX}{{0,4}}(?:[\w-]+,?\s+(?:(?:and|or)\s+)?){{0,4}}?(?:share|disclose|sell|rent|transfer|pass|forward|send|provide|make\s+available)\w*\b"
    r"|\band\s+(?:(?:may|might|can|will|also|then)\s+){0,2}(?:share|disclose|sell|rent|transfer|pass|forward|send|provide)\w*\s+"
    r"(?:it|them|this|that|these|those|such|the|your|some|all)\b(?![^.;]{0,80}?\b(?:with|to)\s+us\b)"
    r"|\bin\s+order\s+to\s+(?:share|disclose|sell|rent|transfer)\b", re.I)


def from_source(text: str, names: Sequence[re.Pattern[str]] = (), gives_away: Callable[[str], bool] | None = None) -> bool:
    """Whether a sentence (``text``) tells that a party gives data to us: the party introduced
    by "from" after our verb of getting ("we may receive your information from business
    partners"), or the subject of a verb of giving to us ("the app sends us your profile",
    "partners share it with us", with our name in ``names`` read as "us"). The statement is
    our collection, the party its source and not a recipient, unless we also give the data
    away in the same sentence ("and we share it with advertisers").

    Given the caller's reading of a sentence's giving away (``gives_away``), the broad cue is
    read too (``_RECEIVE_FROM``: "information is obtained from data brokers", "Acme may receive
    data from partners"), unless the sentence also gives data away by that reading.

    Example:
        >>> from_source("We may receive data from our partners, who help buy and sell ad space.")
        True
        >>> from_source("You may tell the other app to send us your contacts.")
        True
        >>> from_source("We get details from resellers and we share them with our couriers.")
        False
        >>> from_source("We collect your address from you and from your browser.")
        False
        >>> from_source("If you learn that a minor has sent us data, please tell us.")
        False
        >>> from_source("Please send us your questions by post to our office.")
        False
        >>> from_source("Details are obtained from public registers.", gives_away=lambda t: False)
        True
    """
    if gives_away is not None and (_RECEIVE_FROM.search(text) or (_RECEIVED_DATA.search(text) and any(
            _RECEIVE_FROM.search(rx.sub("we", text)) for rx in names))) and not (_GIVE_WORD.search(text) and gives_away(text)):
        return True
    for rx in names:
        text = rx.sub("us", text)
    if _WE_GIVE.search(text):
        return False
    return bool(_WE_GET_FROM.search(text)) or any(not _SUSPECTED.search(text[max(0, m.start() - 120): m.start()])
                                                   for m in _GIVES_US.finditer(text))


def source_phrase(text: str) -> str:
    """The party a sentence's data comes from, as a condition ("from our partners"), or "".

    Example:
        >>> source_phrase("We may obtain details from, for example, public sources, data brokers.")
        'from public sources, data brokers'
    """
    m = _WE_GET_FROM.search(text)
    if not m:
        return ""
    rest = re.match(r"(?:(?!,?\s+(?:such\s+as|including|like|e\.\s?g\.|who|that|which|when|where|if|to|for|so)\b)[^.;:()\n])+", text[m.end():])
    return "from " + " ".join(rest.group(0).split()[:12]).strip(" ,") if rest else ""


_GIVE_VERB = r"(?:share|disclose|provide|send|pass|transfer|transmit|make\s+available)\w*"
_GET_VERB = r"(?:receive|obtain|collect|get|gather|acquire)\w*"

#: Giving data to a party and getting data from the same party, said once: two verbs sharing
#: one party ("we share with, and receive from, our affiliates information about you", "we may
#: share it with or obtain it from partners"; the other order too), or "exchange" ("we exchange
#: your details with partners"; not "in exchange for").
_BOTH_WAYS = re.compile(
    rf"\b{_GIVE_VERB}\b[^.;:]{{0,60}}?\b(?:with|to)\s*,?\s+(?:and|or|as\s+well\s+as)\s+(?:(?:may|might|can|will|also|then)\s+){{0,2}}"
    rf"{_GET_VERB}\b[^.;:]{{0,60}}?\bfrom\b"
    rf"|\b{_GET_VERB}\b[^.;:]{{0,60}}?\bfrom\s*,?\s+(?:and|or|as\s+well\s+as)\s+(?:(?:may|might|can|will|also|then)\s+){{0,2}}"
    rf"{_GIVE_VERB}\b[^.;:]{{0,60}}?\b(?:with|to)\b"
    r"|(?<!\bin\s)\bexchang(?:e|es|ed|ing)\s+(?:[^.;:]{0,60}?\s+)?with\b", re.I)

#: The same in two clauses of ours joined by "and": "we receive your name from partners and
#: share your email address with them", "we obtain it from data brokers and disclose it to our
#: affiliates" (``second`` starts the second clause's verb).
_TWO_CLAUSES = re.compile(
    rf"\bwe\s+{_OUR_AUX}{{0,4}}{_GET_VERB}\b[^.;:]{{0,160}}?\bfrom\b[^.;:]{{0,80}}?,?\s+and\s+(?:we\s+)?{_OUR_AUX}{{0,3}}"
    rf"(?P<second>{_GIVE_VERB})\b[^.;:]{{0,120}}?\b(?:with|to)\b"
    rf"|\bwe\s+{_OUR_AUX}{{0,4}}{_GIVE_VERB}\b[^.;:]{{0,160}}?\b(?:with|to)\b[^.;:]{{0,80}}?,?\s+and\s+(?:we\s+)?{_OUR_AUX}{{0,3}}"
    rf"(?P<other>{_GET_VERB})\b[^.;:]{{0,120}}?\bfrom\b(?!\s+(?:you|us|your)\b)", re.I)


def both_ways(rec: dict[str, Any], text: str, party: str = "", names: Sequence[re.Pattern[str]] = (),
              data: Sequence[tuple[int, str]] = ()) -> list[dict[str, Any]]:
    """A disclosure (``rec``), and beside it our collection, when the sentence (``text``, with
    our names in ``names`` read as "we") has us both give data to a party and get data from
    one: from the same party, said once (see ``_BOTH_WAYS``; ``party`` as the text names it is
    the source), or in two clauses (``_TWO_CLAUSES``; the source is the one after "from").
    Where each clause names data of its own (``data``: where each data key stands), each
    statement keeps its clause's.

    Example:
        >>> rec = {"action": "share", "recipients": ["third_party.group_company"], "condition": "", "countries": [],
        ...        "data_categories": ["user"]}
        >>> t = "We share with, and receive from, our affiliates information about you."
        >>> [(r["action"], r["recipients"], r["condition"]) for r in both_ways(rec, t, "affiliates")]
        [('share', ['third_party.group_company'], ''), ('collect', ['we'], 'from affiliates')]
        >>> t = "We receive your name from partners and share your email with them."
        >>> [(r["action"], r["data_categories"]) for r in both_ways(rec, t, data=[(16, "user.name"), (53, "user.contact.email")])]
        [('share', ['user.contact.email']), ('collect', ['user.name'])]
        >>> len(both_ways(rec, "We share your email with our affiliates to receive payments from you."))
        1
    """
    if rec["action"] not in ("share", "transfer") or all(r.startswith("we") for r in rec["recipients"]):
        return [rec]
    for rx in names:
        text = rx.sub(lambda m: "we".ljust(len(m.group(0))), text)
    m = _BOTH_WAYS.search(text)
    if m is not None and re.search(r"\bwe\b", text[: m.start()], re.I):
        source = f"from {party}" if party else ""
        return [rec, dict(rec, action="collect", recipients=["we"], countries=[], condition=rec["condition"] or source)]
    m = _TWO_CLAUSES.search(text)
    if m is None or _SUSPECTED.search(text[: m.start()]):
        return [rec]
    cut = m.start("second") if m.group("second") else m.start("other")
    first = [k for at, k in data if at < cut]
    later = [k for at, k in data if at >= cut]
    given, got = (later, first) if m.group("second") else (first, later)
    both = first and later and set(first) != set(later)
    share = dict(rec, data_categories=given) if both else rec
    clause = re.sub(r",?\s+and\s+(?:\w+\s+){0,4}$", "", text[:cut]) if m.group("second") else "we " + text[cut:]
    got_rec = dict(rec, action="collect", recipients=["we"], countries=[], condition=rec["condition"] or source_phrase(clause),
                   data_categories=got if both else rec["data_categories"])
    return [share, got_rec]


#: A party named as the one protected or served ("to protect our company, our affiliates and
#: our users", "the rights, property or safety of third parties", "the legitimate interests of
#: our partners"; "enforce our agreements with third parties"): whom the processing is for or
#: with, not whom data goes to. The span ends at the clause's end, at "we" (a new clause), at
#: "with" or "to" (a recipient may follow) or at ", which" / ", including" (what it covers).
_PROTECTED = re.compile(
    r"\b(?:protect(?:s|ing|ion\s+of)?|safeguard(?:s|ing)?)\s+(?!(?:against|from)\b)"
    r"|\b(?:(?:legitimate|legal|vital)\s+)?interests?\s+of\s+|(?P<safety>\b(?:rights?|property|safety|security)\s*(?:,|or|and)\s+"
    r"(?:\w+\s*(?:,|or|and)\s+){0,3}(?:(?:or|and)\s+)?(?:rights?|property|safety|security)\s+of\s+)|\bfor\s+the\s+benefit\s+of\s+"
    r"|\b(?:enforce|enforcing)\s+(?:[\w,]+\s+){0,12}?(?:agreements?|contracts?)\s+with\s+", re.I)
#: A disclosure stated in the sentence: the protected party may be the only recipient it names.
_DISCLOSES = re.compile(r"\b(?:disclos|shar(?:e|es|ed|ing)\b|sell|sold\b|transfer|pass(?:es|ed|ing)?\s+(?:\w+\s+)?on\b|provid\w*\s+(?:\w+\s+){0,3}to\b)", re.I)
_PROTECTED_END = re.compile(r"[;:]|\.(?:\s|$)|,\s*(?:which|including|such\s+as|by|as)\b|\b(?:we|us|with|to|provided|unless|where|if)\b", re.I)


def protected_parties(scope: str) -> list[tuple[int, int]]:
    """Spans of a sentence that name parties as protected or benefiting (see ``_PROTECTED``);
    a recipient named there is none (the reader's data is not sent to "our affiliates" by
    protecting them). In a sentence that states a disclosure, only those whose rights,
    property or safety are protected ("the rights, property or safety of our users"): a
    recipient may be named nowhere else ("we may disclose it to protect others").

    Example:
        >>> text = "We use your data to protect our affiliates and the safety of third parties."
        >>> [text[a:b] for a, b in protected_parties(text)]
        ['our affiliates and the safety of third parties']
        >>> protected_parties("We share it with our affiliates to protect you.")
        []
        >>> text = "We may disclose it to protect the rights, property or safety of our users."
        >>> [text[a:b] for a, b in protected_parties(text)]
        ['our users']
    """
    disclosing = bool(_DISCLOSES.search(scope))
    spans = []
    for m in _PROTECTED.finditer(scope):
        if disclosing and not m.group("safety"):
            continue  # ("disclosure is necessary to protect others": recipients unnamed)
        end = _PROTECTED_END.search(scope, m.end())
        spans.append((m.end(), end.start() if end else len(scope)))
    return spans
