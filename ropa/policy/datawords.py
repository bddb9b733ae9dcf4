"""Words that look like data of the person and are not, or data named only in general: the
name of a thing ("the app name", "the name of the partner"), the messages we send ("to send
periodic emails", "a text message from us"), and "information" named with no kind, which
speaks of itself rather than of the data of the sentence before. Found wanting on real
policies outside the corpus (issue 17); tests in ``tests/test_policy_extract_data_words.py``.
"""

from __future__ import annotations

import re

__all__ = ["GENERIC_DATA", "ORG_PARTY", "THING_NAME", "org_parties", "our_sending", "own_generic_data", "thing_names"]

#: Data named in general, no kind given ("information", "your personal data", "details about
#: you"), not a compound ("data protection", "information security"): ``own_generic_data``.
GENERIC_DATA = re.compile(
    r"\b(?:personal\s+)?(?:information|data|details)\b"
    r"(?![\s-]+(?:protection|processors?|controllers?|security|subjects?|breach\w*|cent(?:er|re)s?|retention|"
    r"transfers?|sharing|collection|processing|practices?|requests?|officer|privacy|minimi[sz]ation)\b"
    r"|\s+(?:contained|included|held|stored)\s+(?:with)?in\b)", re.I)  # "the data contained in your chat": that chat

#: Words before a data word that point back ("this information", "the mentioned data", "such
#: details") or away ("for more information"): no data of the sentence's own.
_POINTING = re.compile(r"\b(?:this|these|that|those|such|same|above|aforementioned|mentioned|said|listed|described|"
                       r"more|further|additional|relevant|following)\s+$", re.I)


def own_generic_data(text: str, end: int | None = None) -> bool:
    """Whether ``text`` (up to ``end``) names data in general of its own: "we may share
    information if the law requires it" speaks of the information it names, not of the data
    of the sentence before ("this information", "the mentioned data" still point back).

    Example:
        >>> own_generic_data("We may share information if the law requires it.")
        True
        >>> own_generic_data("We may share this information with our auditors.")
        False
        >>> own_generic_data("We use Acme to host our servers.")
        False
    """
    for m in GENERIC_DATA.finditer(text, 0, len(text) if end is None else end):
        if not _POINTING.search(text, max(0, m.start() - 20), m.start()):
            return True
    return False


#: Things that have names of their own: "name" beside one ("the app name", "a carrier's
#: name", "the name of the partner") is the thing's name, not the person's (``THING_NAME``).
_THING = (r"(?:apps?|applications?|carriers?|partners?|business(?:es)?|compan(?:y|ies)|merchants?|vendors?|"
          r"providers?|suppliers?|advertisers?|websites?|sites?|web\s+pages?|campaigns?|programs?|programmes?|"
          r"games?|software|products?|brands?|devices?|browsers?|files?|folders?|domains?|servers?|"
          r"organi[sz]ations?|institutions?|banks?|employers?|hotels?|airlines?|venues?|platforms?)")

#: The name of a thing rather than of the person ("app name and version", "your mobile
#: carrier's name", "will include the name of the business partner", "you can give your
#: groups a name").
THING_NAME = re.compile(
    rf"\b{_THING}(?:['’]s?)?\s+names?\b"
    rf"|\bnames?\s+(?:of|for)\s+(?:(?:the|a|an|your|our|its|their|any|such|each|that|this)\s+)?(?:[\w-]+\s+){{0,2}}?{_THING}\b"
    r"|\bgiv(?:e|es|ing)\s+(?!(?:us|me|him|her|them)\b)(?:[\w-]+\s+){1,4}?an?\s+name\b",  # "give your group a name"
    re.I)

#: Messages, e-mails or notices we send, told as our doing ("to send periodic emails",
#: "sending official account messages", "send you service/transaction-related messages"):
#: our communications, not the person's content (``our_sending``).
_SENDING = re.compile(
    r"(?<![\w-])(?:send(?:s|ing)?|sent)\s+(?:out\s+)?(?:you\s+)?(?!your\b)(?:[\w/-]+\s+){0,3}?"
    r"(?:messages?|e-?mails?|notifications?|communications?|newsletters?|alerts?|notices?|reminders?)\b"
    r"(?![\s-]+(?:address|account)\b)", re.I)  # "sent to the email address you gave": the address

#: Who else sends: the person ("you can send messages", "lets users send emails"), so the
#: messages are theirs.
_OTHER_SENDER = re.compile(r"\b(?:you|users?|members?|people|customers?|they|recipients?|lets?|allows?|enables?|can)\s+"
                           r"(?:(?!we\b)[\w-]+\s+){0,4}$", re.I)

#: A list of the channels we reach the person by ("by text message, email, phone calls, or
#: messages on other platforms"): each item is a channel, to the list's end (a clause of its
#: own, "... we collect the contents of your messages", is no item).
_BY_CHANNELS = re.compile(
    r"\b(?:by|via|through)\s+(?:e-?mail|text\s+messages?|sms|phone|telephone|post|mail|push\s+notifications?)\b"
    r"[^.;:()]*?(?=[.;:()]|\b(?:we|you|your|our|to|that|which|who|if|when|so)\b|$)", re.I)
_CHANNEL_WORD = re.compile(r"\b(?:messages?|notifications?|calls?)\b", re.I)


#: Our mail named as ours in other ways: "our emails", "a text message from us", "the
#: notifications we send", "whether the email has been opened", "communication channels",
#: "we may send an SMS message to that person", "links in e-mails sent to you", "opt out of
#: future messages", "included in the text", "email updates", "an email campaign".
_OUR_MAIL = re.compile(
    r"\bour\s+(?:[\w-]+\s+)?(?:e-?mails|e-?mail\s+messages|messages|newsletters?|notifications|communications)\b"
    r"|\b(?:text\s+)?(?:messages?|e-?mails?|notifications?|communications?|newsletters?)\s+from\s+us\b"
    r"|\b(?:messages?|e-?mails?|notifications?|communications?|newsletters?)\s+(?:that\s+|which\s+)?we\s+(?:\w+\s+)?send\b"
    r"|\b(?:e-?mails?|messages?|newsletters?)\s+(?:ha(?:s|ve)\s+been\s+|(?:was|were|is|are)\s+)(?:opened|read|clicked|forwarded)\b"
    r"|\bcommunications?\s+(?:channels?|platforms?|tools?|preferences?|settings)\b"
    r"|\bwe\s+(?:\w+\s+){0,2}?send\s+(?:you\s+)?(?:an?\s+|the\s+|such\s+)?(?:sms|text|e-?mail|push)?\s*messages?\b"
    r"|\b(?:e-?mails?|messages?|notifications?)\s+(?:we\s+send\s+(?:to\s+)?you|sent\s+to\s+you)\b"
    r"|\bopt\s+out\s+of\s+(?:\w+\s+){0,2}?messages\b|\bincluded\s+in\s+the\s+(?:sms|text|e-?mail|message)\b"
    r"|\be-?mail\s+(?:updates|newsletters?|campaigns?|marketing|digests?)\b", re.I)  # "sign up for email updates"

#: The reader receiving mail ("you will continue to receive all system e-mails", "if you opt
#: out of receiving emails"): ours (or our partners'), not the reader's content.
_YOU_RECEIVE = re.compile(
    r"\byou\s+(?:[\w-]+\s+){0,4}?receiv(?:e|es|ing)\s+(?:[\w/-]+\s+){0,3}?"
    r"(?P<mail>e-?mails?|notifications?|newsletters?|communications?)\b(?![\s-]+address)", re.I)


def our_sending(mask: str) -> str:
    """The sentence with the messages we send blanked (same length): sent by us ("to send
    periodic emails", "sending account messages"; not "you can send messages"), named as
    one of a list of channels we reach the person by (run before ``cues.CHANNEL`` blanks the
    list's first channel), as ours ("our emails", "a text message from us") or as mail the
    reader receives.

    Example:
        >>> our_sending("We use it to send periodic emails.").split()
        ['We', 'use', 'it', 'to', '.']
        >>> our_sending("You can send messages to friends.").split()
        ['You', 'can', 'send', 'messages', 'to', 'friends.']
        >>> our_sending("We reach you by email, text or messages on other apps.").split()
        ['We', 'reach', 'you', 'by', 'email,', 'text', 'or', 'on', 'other', 'apps.']
        >>> our_sending("Pixels in our emails tell us whether the email has been opened.").split()
        ['Pixels', 'in', 'tell', 'us', 'whether', 'the', '.']
    """
    out = list(mask)
    for m in _SENDING.finditer(mask):
        if not _OTHER_SENDER.search(mask[max(0, m.start() - 30): m.start()]):
            out[m.start(): m.end()] = " " * (m.end() - m.start())
    for lst in _BY_CHANNELS.finditer(mask):
        for w in _CHANNEL_WORD.finditer(mask, lst.start(), lst.end()):
            out[w.start(): w.end()] = " " * (w.end() - w.start())
    for m in _OUR_MAIL.finditer(mask):
        out[m.start(): m.end()] = " " * (m.end() - m.start())
    for m in _YOU_RECEIVE.finditer(mask):
        out[m.start("mail"): m.end("mail")] = " " * (m.end("mail") - m.start("mail"))
    return "".join(out)


_NAME_WORD = re.compile(r"\bnames?\b", re.I)


def thing_names(mask: str) -> str:
    """The sentence with the word "name" of a thing's name blanked (same length); only that
    word, as the thing may be data itself ("the name of your employer").

    Example:
        >>> thing_names("We log the app name and your name.").split()
        ['We', 'log', 'the', 'app', 'and', 'your', 'name.']
    """
    return THING_NAME.sub(lambda m: _NAME_WORD.sub(lambda w: " " * len(w.group(0)), m.group(0)), mask)


#: An organisation the person belongs to (employer, school) named as a party, not as data:
#: after a preposition ("to your employer", "through an organization", "belonging to your
#: employer or organization", "part of an organization"; not "the name of your employer"),
#: as a subject or owner ("an organization invites you", "your organization controls",
#: "your organization's administrator") or before a role ("Organization IT administrators").
_ORG = r"(?:organi[sz]ations?|employers?|institutions?|schools?)"
_ORG_RUN = (rf"{_ORG}(?:\s*,?\s*(?:or|and)\s+(?:(?:other|another|an?|the|your|any)\s+)?{_ORG})*"
            rf"(?:\s*\((?:e\.\s?g\.|i\.\s?e\.|for\s+example)?,?\s*(?:your\s+)?{_ORG}\))?")  # "an organization (e.g., your employer)"
ORG_PARTY = re.compile(
    rf"(?<!\bname\s)\b(?:to|with|through|via|by|from|of|on\s+behalf\s+of)\s+"
    rf"(?:(?:your|an?|the|that|this|such|its|their|which|any|other|a\s+particular)\s+)?(?:(?!(?:name|names)\b)[a-z-]+\s+)?(?P<a>{_ORG_RUN})(?!\w)"
    rf"|\b(?:your|an?|the|that|this|such)\s+(?P<b>{_ORG_RUN})(?=['’]s?\b|\s+(?:invites?|controls?|provides?|may|will|can|could|"
    r"has|have|is|are|wishes|owns?|uses?|that|which|who|decides?|manages?|administers?|pays?)\b)"
    rf"|\b(?P<c>{_ORG})(?=\s+(?:[\w-]+\s+)?(?:administrators?|admins?|representatives?|owners?|managers?)\b)", re.I)


def org_parties(mask: str) -> str:
    """The sentence with an organisation named as a party blanked (same length): the
    employer or organisation that invites, controls, receives or provides, not the person's
    company details.

    Example:
        >>> org_parties("When an organization invites you, we receive your email.").split()
        ['When', 'an', 'invites', 'you,', 'we', 'receive', 'your', 'email.']
        >>> org_parties("We share your email with your employer or organization.").split()
        ['We', 'share', 'your', 'email', 'with', 'your', '.']
        >>> org_parties("We collect your name, job title and the name of your employer.").split()[-2:]
        ['your', 'employer.']
    """
    out = list(mask)
    for m in ORG_PARTY.finditer(mask):
        g = next(k for k in "abc" if m.group(k))
        out[m.start(g): m.end(g)] = " " * (m.end(g) - m.start(g))
    return "".join(out)
