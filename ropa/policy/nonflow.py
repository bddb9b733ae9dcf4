"""Cue phrases that say a sentence states no flow of ours, or another flow than its verb
suggests: someone else's collecting, the controller's own service, what it does not control,
keeping or deleting with no period, a destination abroad, a list's topics, a negation typed
twice; talk to the reader, the reader's own choices, security and transfer safeguards, and
data that is no longer personal (these four re-exported by :mod:`ropa.policy.cues`). Found wanting on real policies outside the corpus (issue 17); each has a test in
``tests/test_policy_extract_negations.py``, ``tests/test_policy_extract_conditions.py`` or
``tests/test_policy_extract_vocabulary.py``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .datawords import org_parties, thing_names

__all__ = ["ABOUT_OUR_WAYS", "ABOUT_OUR_WAYS_BEFORE", "ABROAD", "ADVICE", "ALREADY_SAID", "ANONYMOUS", "ASKED_NOT", "COLLECTED_THEN_USED", "CONTROLLER_TALK", "COOKIE_TALK",
           "DATA_LIST_LEAD", "DETACHED", "DOUBLED_NOT", "EMAIL_ADDRESS", "HEDGED", "IMPERATIVE_NOT",
           "KEEPS_OR_DELETES", "MINIMISATION", "NEG_COLLECT_EXTRA", "NEG_COLLECT_MORE", "NEG_SHARE_MORE", "NON_DATA",
           "NOTICE_FIRST", "NOTICE_OF_PURPOSE", "NOT_REQUIRED", "NOT_UNLESS_AGREED", "NO_CONTROL", "OUR_DOING",
           "OWN_SERVICE", "PROCESSOR_NOT", "PURPOSE_LIMIT", "PURPOSE_PHRASE", "QUESTION", "REACH_US",
           "READER_CARE", "READER_CHOICE", "READER_CHOOSES", "READER_REFUSES", "READER_TALK", "REVEALS", "SAFEGUARD_TALK", "THEIR_DOING", "TOPIC_LEAD", "TRANSFER_TERMS", "YOU_SHARE",
           "given_to_us", "identify_clause", "no_flow_of_ours", "not_data", "own_clause",
           "source_before", "under_negation"]


_THEIR_PARTY = (r"(?:other|their|these|those|such|third[-\s]party)\s+(?:[\w-]+\s+){0,2}?(?:partners?|compan(?:y|ies)|providers?|"
                r"services?|websites?|sites?|apps?|advertisers?|networks?|platforms?|businesses|organi[sz]ations?)")
_MODALS = r"(?:(?:may|might|can|could|will|would|also|often|usually|typically|generally)\s+)*"

#: Someone else's collecting, told as such: the subject of the sentence ("Other companies track
#: your browsing", "Those partners usually collect data through their own SDKs") or a relative
#: clause ("their hosting service, which may collect ..."). Not our collection; when no
#: recipient of ours is named, no flow of ours.
THEIR_DOING = re.compile(
    rf"^\W*(?:[^,.;:]{{0,40}},\s*)?{_THEIR_PARTY}\s+(?:\w+ly\s+)?{_MODALS}(?:collect|use|track|gather|record|store|process|receive|build|create)\w*\b"
    rf"|\b{_THEIR_PARTY}\s*,?\s+(?:which|who|that)\s+{_MODALS}(?:collect|use|track|gather|record|store|process|receive)\w*\b", re.I)

#: The controller's own service named by its kind ("our search engine", "when you use the
#: search engine", "we started as a search engine"): the service itself, not a recipient. Search
#: engines that index pages are plural or indexing ("indexed by search engines", "by a search
#: engine", "search engine indexing").
OWN_SERVICE = re.compile(r"(?<!\bby\s)(?<!\bto\s)\b(?:our|the|this|a)\s+(?:own\s+|private\s+)?search\s+engine\b(?!s|\s+index)", re.I)

#: What the controller says it does not control ("does not control how third parties reuse
#: it", "this is outside of our control", "we have no control over copies others made"): no flow of its own.
NO_CONTROL = re.compile(r"\b(?:(?:do|does|can)\s*(?:not|n['’]t)|can['’]t)\s+control\b|\b(?:outside|beyond)\s+(?:of\s+)?our\s+control\b"
                        r"|\bnot\s+(?:under|within)\s+our\s+control\b|\b(?:have|has)\s+no\s+control\s+(?:over|of)\b"
                        # "once sent to them it is no longer in our control", "no longer under Acme's control"
                        r"|\bno\s+longer\s+(?:in|under|within)\s+(?:our|[\w-]+['’]s?)\s+control\b", re.I)

#: Keeping or deleting as what we do ("we will retain", "need to retain", "will be deleted",
#: "the process of deleting"): not "to keep ads relevant", not the reader's "you can delete".
KEEPS_OR_DELETES = re.compile(
    r"\b(?:we|will|may|must|to|shall|be|been|is|are)\s+(?:\w+\s+){0,2}?(?:retain(?:ed)?|delet(?:e|ed)|eras(?:e|ed)|"
    r"destroy(?:ed)?|purg(?:e|ed))\b|\bprocess\s+of\s+(?:delet|eras)\w*", re.I)

#: Collection told in a relative clause of the subject, whose own verb is a use ("The
#: information we collect from you may be used in the following ways", "Data that we receive
#: is processed to ..."), or of the object of a use that leads a list ("We may use the
#: personal information we collect:"): the sentence states the use; the collection is told elsewhere.
COLLECTED_THEN_USED = re.compile(
    r"^\W*(?:(?:any|all|some|each|most)\s+(?:of\s+)?)?(?:the\s+|such\s+)?(?:[\w-]+\s+){0,3}?(?:information|data|details)\s+"
    r"(?:(?:that|which)\s+)?we\s+(?:may\s+)?(?:collect|receive|obtain|gather)\w*\b[^.;:]{0,60}?"
    r"\b(?:is|are|may|will|can|shall|might|could)\s+(?:also\s+)?(?:be\s+)?(?:used|processed)\b"
    r"|^\W*we\s+(?:may\s+|also\s+|will\s+)*(?:use|process)\s+(?:the\s+|your\s+|such\s+|any\s+|all\s+)?(?:personal\s+)?(?:information|data)\s+"
    r"(?:(?:that|which)\s+)?we\s+(?:may\s+)?(?:collect|receive|obtain|gather)\w*\s*(?::|$)", re.I)

#: A destination abroad named without a country ("to countries other than yours", "across
#: borders", "outside the European Union"): a disclosure there is a transfer.
ABROAD = re.compile(
    r"\b(?:across\s+(?:national\s+)?borders|cross[-\s]border|to\s+(?:other|third|foreign)\s+countr(?:y|ies)|to\s+countries|"
    r"outside\s+(?:of\s+)?(?:the\s+)?(?:European\s+Union|EU|European\s+Economic\s+Area|EEA|United\s+Kingdom|UK)|abroad|"
    r"internationally|anywhere\s+in\s+the\s+world|around\s+the\s+(?:world|globe)|worldwide)\b", re.I)

#: A list's lead whose items are topics, not flows: what the policy explains, the security
#: measures taken, what the reader can control ("This Privacy Policy explains:", "These
#: measures may include:", "You may also control:"), or the policy's own history of changes.
TOPIC_LEAD = re.compile(
    r"\b(?:this|our)\s+(?:privacy\s+)?(?:policy|notice|statement)\s+(?:(?:is|was)\s+(?:designed|intended|meant|written)\s+to\s+)?"
    r"(?:explains?|describes?|covers?|sets?\s+out|tells?\s+you)(?:\s+(?:the\s+following|these\s+(?:things|topics|points)))?"
    r"(?:\s*,?\s*(?:among\s+other\s+things|amongst\s+other\s+things|in\s+particular|for\s+example))?\s*:?\s*$"
    # the policy's own history ("a summary of the changes below", "Previous versions:"): what
    # changed, told as dated entries, no flow of today's
    r"|\b(?:(?:prior|previous|earlier|past|older|archived)\s+versions?|summary\s+of\s+(?:the\s+|our\s+)?(?:changes?|change\(s\)|updates?|revisions?)|"
    r"(?:change|revision|version|update)\s+(?:log|history))\b[^.:]{0,80}[.:]?\s*$"
    r"|\b(?:measures|safeguards)\s+(?:may\s+|will\s+|can\s+)?(?:include|includes|such\s+as)\s*:?\s*$"
    r"|\byou\s+(?:may|can)\s+(?:also\s+)?(?:control|choose|decide|manage|change|adjust)\s*:?\s*$"
    # the threats a monitoring looks for ("This may include monitoring activity to detect:")
    r"|\b(?:to\s+)?(?:detect|detecting|identify|identifying|flag|flagging)\s*:\s*$"
    # what we tell the reader on request ("we will disclose to you:"): an answer, not a flow
    r"|\b(?:disclose|explain|describe|confirm|tell|reveal)\s+(?:\w+\s+){0,3}?to\s+you\s*:?\s*$"
    r"|\b(?:tell|inform)\s+you\s+(?:about|of)?\s*:?\s*$", re.I)

#: A list's lead that announces kinds of data ("we have disclosed the following categories of
#: personal information for business purposes:"): its items are data, whatever purpose the
#: lead ends on.
DATA_LIST_LEAD = re.compile(r"\bthe\s+following\s+(?:categories|types|kinds|pieces|items)\s+of\s+(?:your\s+)?"
                            r"(?:personal\s+)?(?:data|information|details)\b", re.I)

#: A negation written twice by mistake ("we do not do not share"): read once (the second
#: copy is blanked, so offsets into the sentence stay where they were).
DOUBLED_NOT = re.compile(r"\b((?:do|does|did|will|would|can|may|must|shall)\s+not)(\s+\1\b)", re.I)

#: Negations of our keeping or processing that the cue table's verb forms miss (joined into
#: ``cues.NEG_COLLECT``, so clauses, lists and tables read them too): a contracted passive
#: ("messages aren't stored by us", "won't be logged"); data kept on the reader's side and
#: "not on our servers" ("stored on your device and not on our servers", "rather than on our
#: systems"); a processing we will not engage in ("we will not knowingly engage in such
#: processing").
NEG_COLLECT_EXTRA = (
    r"\b(?:is|are|was|were)n['’]t\s+(?:\w+ly\s+)?(?:collected|recorded|stored|saved|kept|retained|logged|tracked|"
    r"processed|read|seen|accessed|uploaded|used)\b"
    r"|\bwon['’]t\s+(?:ever\s+)?be\s+(?:\w+ly\s+)?(?:collected|recorded|stored|saved|kept|retained|logged|tracked|"
    r"processed|read|seen|accessed|uploaded|used)\b"
    r"|\b(?:and|but)\s+(?:not|never)\s+(?:on|in)\s+our\s+(?:own\s+)?(?:servers?|systems?|cloud|databases?)\b"
    r"|\brather\s+than\s+(?:on|in)\s+our\s+(?:own\s+)?(?:servers?|systems?|cloud|databases?)\b"
    r"|\b(?:(?:will|shall|would|do|does|can|may)\s*(?:not|n['’]t)|won['’]t|can['’]t)\s+(?:\w+ly\s+)?(?:engage\s+in|carry\s+out|undertake|"
    r"conduct|perform)\s+(?:any\s+|such\s+|that\s+|this\s+|the\s+)?(?:\w+\s+)?processing\b")

#: The reader's own choice not to act, told before the negation ("you will have an
#: opportunity to choose not to share it", "you have the option to decide not to provide it"),
#: or either way ("information which you may or may not provide"): what the reader may
#: refuse, not our promise (read on the text before the negation).
READER_CHOOSES = re.compile(
    r"\byou(?:\s+[\w'’]+){0,4}?\s+(?:an?\s+|the\s+)?(?:opportunity|option|choice|right|ability|chance)\s+to\s*$"
    r"|\byou(?:\s+[\w'’]+){0,2}?\s+(?:able|free)\s+to\s*$"
    r"|\b(?:may|might|can|could|will|do|does|did)\s+or\s*$", re.I)

#: The opening of a condition about ourselves, just before a negation ("if we do not offer a way
#: to opt out, ...", "in case we cannot verify your identity", "where we cannot rely on an
#: adequacy decision, ..."): the condition of something else the sentence says, no promise.
IF_WE_NOT = re.compile(r"\b(?:if|where|when|whenever|in\s+cases?(?:\s+where)?|in\s+the\s+event(?:\s+that)?|whether(?:\s+or\s+not)?|unless)\s+"
                       r"(?:we|our\s+[\w-]+)\s+$", re.I)


def choice_or_condition(text: str, start: int) -> bool:
    """Whether the negation starting at ``start`` is the reader's choice ("you have the option
    to not share it") or opens a condition of ours ("if we do not offer an opt-out, ..."):
    either way no promise.

    Example:
        >>> choice_or_condition("If we do not offer an opt-out, write to us.", 6)
        True
        >>> choice_or_condition("We do not sell your data.", 3)
        False
    """
    return bool(READER_CHOOSES.search(text[max(0, start - 60): start]) or IF_WE_NOT.search(text[max(0, start - 40): start]))

#: What "we sell no ...", "we keep no ..." must name to be a promise about data (not "we give
#: no guarantee"; "store no other data" promises nothing about the data it names).
_NO_DATA = (r"(?:(?!(?:that|which|whether|if|to|about|as)\b)[\w-]+\s+){0,2}?(?:data|information|details|logs?|records?|identifiers?|address(?:es)?|cookies?|"
            r"messages?|content|numbers?|names?|e-?mails?|history|location)\b")

#: Refusing or giving up a processing in words with no "not" ("we refuse to sell", "we refrain
#: from sharing", "we are prohibited from selling", "we have stopped collecting", "we avoid
#: storing"); the verb it governs follows (only "stopped", "ceased": "we will stop using it
#: if you object" is an event, like "no longer").
_ABSTAIN = (r"\b(?:refus(?:e|es|ed)\s+to|refrain(?:s|ed)?\s+from|declin(?:e|es|ed)\s+to|avoids?|avoided|"
            r"(?:have|has|had)\s+(?:stopped|ceased)|stopped|ceased|(?:are|is|am|were|was)\s+(?:\w+\s+)?(?:prohibited|forbidden|barred)\s+from)"
            r"\s+(?:\w+ly\s+)?")

#: "does not include", "will never contain", "won't reflect": what follows is left out.
_NOT_INCLUDE = (r"(?:\b(?:(?:do|does|will|shall|would)\s*(?:not|n['’]t)|won['’]t)\s+(?:\w+ly\s+)?(?:include|contain|reflect)"
                r"|\bnever\s+(?:include|contain|reflect)s?)\b")
#: A disclosure named as an act ("sharing", "the sale of").
_DISCLOSING = r"(?:sharing|selling|sale\s+of|renting|disclos(?:ing|ure\s+of)|trading|transferring|passing\s+on)\b"

#: Negations of a disclosure the cue table leaves out, read by a sentence's own reading (not
#: in clauses and list leads): a trade we are not in ("we are not in the business of selling
#: your data", "isn't in the business of renting or sharing it"); data made unreachable
#: ("becomes inaccessible to other users", "is not accessible by the public"); a passive "not
#: provided / sent / revealed to" ("to ensure your data is not provided to anyone else").
NEG_SHARE_MORE = re.compile(
    r"\b(?:is|are|am)\s*(?:not|n['’]t)\s+(?:\w+ly\s+)?in\s+the\s+business\s+of\s+(?:\w+ing\s*,?\s+(?:or|and|nor)\s+)?"
    r"(?:selling|renting|sharing|trading|leasing|disclosing|monetizing|monetising)\b"
    # "this does not include sharing your private messages": the disclosure is what is left out
    rf"|{_NOT_INCLUDE}\s+(?:the\s+)?{_DISCLOSING}"
    r"|\b(?:is|are|be|been|become|becomes|remain|remains|stay|stays)\s+(?:\w+\s+)?(?:inaccessible|unavailable|"
    r"not\s+(?:made\s+)?(?:accessible|available))\s+(?:to|by|for)\b"
    r"|\b(?:is|are|will\s+be|be)\s+(?:\w+\s+)?(?:not|never)\s+(?:be\s+)?(?:provided|sent|revealed|released|exposed)\s+to\b"
    # (not to ourselves: "is never sent to our servers" is no collection, a NEG_COLLECT case)
    r"(?!\s+(?:us\b|our\b|the\s+(?:[\w-]+\s+){0,3}?servers?\b))"
    rf"|{_ABSTAIN}(?:sell|shar|rent|leas|trad|disclos|transfer|pass\w*\s+on|giv)\w*"
    r"|\b(?:selling|sharing|renting|disclosing)\s+(?:[\w-]+\s+){0,4}?(?:is|are)\s+not\s+(?:something|anything)\s+we\b"
    # "we sell no personal data", "no one at our company shares your data"
    r"|\b(?:share|sell|rent|lease|trade|disclose|pass|transfer|transmit|give|provide|hand)(?:s|es|ed)?\s+(?:on\s+|over\s+|out\s+)?"
    rf"no\s+(?!other\b)(?={_NO_DATA})|\bno\s+one\b(?:\s+[\w,'’-]+){{0,6}}?\s+(?:(?:can|will|may)\s+)?(?:sells?|shares?|rents?|discloses?|gets?\s+access)\b",
    re.I)

#: A data set said not to hold some data ("crash reports do not include your messages",
#: "the logs never contain your name", "the data we process does not reflect your name"):
#: what it names is not collected with it. Not a rule's
#: exception that names parties ("this does not include trusted third parties who help us":
#: they do get the data).
NEG_COLLECT_MORE = re.compile(
    rf"{_NOT_INCLUDE}(?!\s+(?:the\s+)?{_DISCLOSING})"
    r"(?!\s+(?:[\w-]+\s+){0,3}?(?:parties|partners|providers|processors|vendors|companies|affiliates|advisers|advisors|"
    r"authorities|entities|organi[sz]ations)\b)"
    rf"|{_ABSTAIN}(?:collect|stor|record|track|process|keep|retain|log|sav)\w*"
    # "we collect no personal data", "we keep no logs", "no one at our company reads your messages"
    r"|\b(?:collect|record|store|save|gather|keep|retain|log|track|process|use|request|require|ask\s+for)(?:s|es|ed)?\s+"
    rf"no\s+(?!other\b)(?={_NO_DATA})|\bno\s+one\b(?:\s+[\w,'’-]+){{0,6}}?\s+(?:(?:can|will|may)\s+)?(?:reads?|sees?|views?|accesses|collects?|stores?)\b",
    re.I)

#: A data word under a "non-" prefix ("non-content data", "non-personal information"): the
#: words name the data it is not (blanked before data terms are looked up).
NON_DATA = re.compile(r"\bnon-(?!personal\b)[a-z]+(?:\s+(?:data|information|details))?\b", re.I)


#: A processor's restriction told as a negation ("they may not use your data for their own
#: purposes", "our vendors must not keep it"): their duty, not a promise about our processing.
PROCESSOR_NOT = re.compile(r"\b(?:they|providers?|processors?|sub-?processors?|partners?|vendors?|contractors?|suppliers?)\s+"
                           r"(?:(?:may|must|shall|can|will|do|does)\s*(?:not|n['’]t)|won['’]t|can['’]t)\b", re.I)

#: The same duty with the processor as the sentence's subject and the negation later in its
#: clause ("These service providers are required to protect the data we share with them and
#: may not use it for anything else", "Our vendors are not allowed to use it").
PROCESSOR_SUBJECT = re.compile(
    r"^\W*(?:(?:these|those|such|our|the|all|any)\s+)?(?:[\w-]+\s+){0,3}?(?:providers?|processors?|sub-?processors?|"
    r"vendors?|partners?|contractors?|suppliers?|third[-\s]parties)\s+(?!(?:that|which|who)\b)[^.;]{0,160}?"
    r"\b(?:(?:may|must|shall|can|will)\s*(?:not|n['’]t)|won['’]t|can['’]t|(?:are|is)\s+not\s+(?:allowed|permitted|authori[sz]ed)\s+to)\b"
    # "They are not allowed to use what we share for their own marketing": "they" opening the
    # sentence with a duty in the active voice ("They will not be shared" is about the data)
    r"|^\W*they\s+(?:(?:(?:may|must|shall|can|will)\s*(?:not|n['’]t)|won['’]t|can['’]t)(?!\s+be\b)|are\s+not\s+(?:allowed|permitted|authori[sz]ed)\s+to"
    r"|are\s+(?:prohibited|forbidden|barred)\s+from)\b", re.I)

#: Who the controller is ("the data controller responsible for your data is:", "Acme Ltd is
#: the data controller of your information"): the controller named, no flow.
CONTROLLER_TALK = re.compile(r"\b(?:is|are|acts?\s+as)\s+(?:the\s+)?[\"“'‘]?(?:data\s+)?controller\b"
                             r"|\bdata\s+controller\s+(?:responsible\s+for|of|for)\b", re.I)

#: Rights that are not the reader's rights over data: one the organisation keeps for itself
#: ("We reserve the right to disclose your data if the law requires it": its own act, a flow
#: where the verb says so), or rights protected with property and safety ("to protect the
#: rights, property or safety of our users"); nor is an authority's request ("to answer an
#: enforceable governmental request") the reader's.
NOT_YOUR_RIGHT = re.compile(r"\breserv(?:e|es|ed|ing)\s+(?:(?:all|the|its|our)\s+)?rights?\b"
                            r"|\brights?\s*(?:,\s*|\s+(?:and|or)\s+)(?:property|safety)\b"
                            r"|\b(?:governmental|government|legal|lawful|law\s+enforcement|official|court|regulatory)\s+requests?\b", re.I)

#: Data a sentence says is kept apart from what it processes ("search queries, disconnected
#: from any identifiers like IP addresses", "not linked to your account"): not processed with
#: it. The span runs to the next break.
DETACHED = re.compile(
    r"\b(?:disconnected|dissociated|decoupled|separated?|unlinked|stripped)\s+from\b[^.;:,—–()]*"
    r"|\bnot\s+(?:linked|associated|tied|connected|combined)\s+(?:to|with)\b[^.;:,—–()]*", re.I)

#: Advice to the reader ("we advise you to use a browser that does not keep your history",
#: "you can use a VPN so that even we do not see your IP address"): what the reader may do,
#: not a flow or a promise of ours.
ADVICE = re.compile(
    r"\bwe\s+(?:also\s+|strongly\s+)?(?:advise|recommend|encourage|suggest|urge)\s+(?:that\s+)?(?:you|(?:all\s+)?(?:users|minors|children|parents|visitors|members|customers))\b"
    r"|\byou\s+can\s+(?:also\s+)?(?:use|install|take)\s+(?:a|an|additional|other|extra)\s+(?:[\w-]+\s+){0,3}?"
    r"(?:service|steps?|tools?|extensions?|browsers?|vpn)\b", re.I)


#: Care the reader is told to take, in the imperative or with "you should" ("use a strong
#: password", "keep your login details safe", "review the privacy policy of the third party",
#: "you should change your browser settings"): the reader's doing. A sentence with such advice
#: and no "we" in it states no flow of ours.
READER_CARE = re.compile(
    r"\b(?:review|read|check|consult|look\s+at|familiari[sz]e\s+yourself\s+with)\s+(?:[\w'’-]+\s+){0,4}?"
    r"(?:privacy\s+(?:policy|policies|notices?|statements?|settings|practices)|terms(?:\s+of\s+\w+)?)\b"
    r"|(?:^\W*|[,;:]\s*|\b(?:please|you\s+(?:should|must|need\s+to|have\s+to)|remember\s+to|make\s+sure\s+(?:that\s+)?(?:you\s+)?|"
    r"steps\s+to|responsible\s+for)\s+)(?:keep|keeping|store|hold)\s+(?:[\w'’-]+\s+){0,5}?(?:safe|secure|secret|confidential|private)\b"
    r"|\b(?:use|choose|pick|create|set)\s+(?:a|an)\s+(?:strong|unique|secure|different|complex|long)\s+(?:\w+\s+)?(?:passwords?|passphrases?|pins?)\b"
    r"|\b(?:change|adjust|modify|update)\s+(?:\w+\s+){0,2}?(?:browser|device|privacy|cookie)\s+settings\b"
    r"|\b(?:log|sign)\s+out\b", re.I)

#: What advice tells the reader not to do with their data ("never give out your password").
_ADVISED = r"(?:give\s+out|give|provide|submit|send|share|disclose|post|upload|include|reveal|use)"

#: A request to the reader or a way to reach us ("you should not send sensitive data",
#: "please do not use our service", "get in touch by contacting us"): no flow of its own.
READER_TALK = re.compile(
    r"\b(?:should\s+not|shouldn['’]t|please\s+do\s+not|please\s+don['’]t|(?:ask|request)\s+that\s+you\s+not|"
    r"you\s+must\s+not)\s+(?:\w+\s+){0,2}?(?:include|send|submit|provide|upload|share|post|use|disclose)\b"
    # advice in the imperative, no subject before it: "If you are under 13, do not provide any
    # personal data to us", "never give out your password" (the reader's doing, not our promise)
    rf"|(?:^(?-i:Do\s+not|Don['’]t|Never)|[,;]\s*(?:do\s+not|don['’]t|never))\s+{_ADVISED}\b"
    r"|\bget\s+in\s+touch\b|\b(?:questions?|quer(?:y|ies)|concerns?)\s+(?:about|regarding|on)\s+(?:this|our)\b"
    # ... about the notice itself ("questions or comments concerning this Privacy Notice")
    r"|\b(?:questions?|quer(?:y|ies)|concerns?|comments?|enquir(?:y|ies)|inquir(?:y|ies))(?:\s*,?\s*(?:or|and|and/or)\s+\w+){0,2}\s+"
    r"(?:about|regarding|on|concerning|relating\s+to|related\s+to|in\s+relation\s+to)\s+(?:this|our|the)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:policy|notice|statement|addendum|practices)\b"
    # the policy, or the policies it points to, describing themselves ("This “Policy” explains what
    # data we collect", "The individual policies explain how we use ..."): what they are about
    r"|\b(?:this|our|the|these|\w+['’]s)\s+[\"“‘']?(?:(?:individual|supplement(?:al|ary)|additional|separate|specific|"
    r"(?:product|service)[-\s]specific)\s+)?(?:privacy\s+)?(?:polic(?:y|ies)|notices?|statements?)[\"”’']?\s+(?:\w+\s+){0,2}?"
    r"(?:describes?|explains?|sets?\s+out|states|covers?|tells?\s+you|informs?\s+you|help\s+you\s+(?:to\s+)?understand)"
    r"|\b(?:is|are)\s+(?:\w+\s+)?(?:intended|designed|meant)\s+to\s+(?:explain|describe|inform\s+you|help\s+you\s+(?:to\s+)?understand)\b"
    # where more privacy information is found ("In addition to this Privacy Policy, we provide
    # privacy information specific to each product"): a pointer to other notices
    r"|\bin\s+addition\s+to\s+this\s+(?:privacy\s+)?(?:policy|notice|statement)\s*,"
    r"|\b(?:provide|give|offer|publish)\s+(?:[\w-]+\s+){0,3}?privacy\s+(?:information|notices?)\b"
    r"|\b(?:care|cares|concerned|worry|worried)\s+about\s+how\b"  # "we know you care about how your data is shared"
    r"|\byou\s+(?:can\s+|may\s+)?(?:always\s+)?control\s+(?:how|what|whether|who|which)\b"  # "you can control how your data is displayed"
    # what the document covers ("This Privacy Notice applies to the personal information we
    # process in connection with our websites"): its scope, no flow of its own
    r"|\b(?:this|the|our)\s+(?:\w+\s+){0,2}?(?:policy|notice|statement)\s+(?:only\s+)?appl(?:y|ies)\s+(?:only\s+)?to\b"
    r"|\bresponsible\s+for\s+deciding\b|\b(?:are|is|as)\s+(?:the|a)\s+[\"“]?(?:data\s+)?controller[\"”]?\s+(?:of|for)\b"
    r"|\bcomplaints?\b|\blicen[sc]ed\s+under\b|\bdispute\s+resolution\b"
    r"|\b(?:questions?|quer(?:y|ies)|concerns?)\b[^.;]{0,40}?\babout\s+(?:the\s+way|how)\s+we\b"
    # Art 13(2)(e): "whether the provision of your personal data is mandatory", a notice, not a flow
    r"|\bprovision\s+of\s+(?:your\s+)?(?:personal\s+)?(?:data|information)\s+is\s+(?:mandatory|optional|required|a\s+(?:statutory|contractual))"
    r"|\bif\s+you\s+(?:do\s+not|don['’]t|choose\s+not\s+to|decline\s+to)\s+provide\b[^.;]{0,80}?\b(?:not|unable)\b"  # "..., you may not be able to use"
    # our contact details given for a request ("send us your appeal using the contact information below")
    r"|\b(?:using|via|through|at)\s+the\s+contact\s+(?:information|details)\s+(?:below|above|provided|in\s+(?:section|the))"
    r"|\b(?:are|is)\s+(?:described|explained|set\s+out)\s+below\b"  # "The categories of recipients are described below"
    r"|\bchanges?\s+(?:are\s+made\s+|we\s+make\s+)?to\s+this\s+(?:privacy\s+)?(?:policy|notice|statement)\b"
    r"|\b(?:update|amend|modify|change)\s+this\s+(?:privacy\s+)?(?:policy|notice|statement)\b"
    r"|\b(?:are|is)\s+not\s+responsible\s+for\b"
    # what a law does not oblige us to do states no practice ("the law does not oblige us to store logs")
    r"|\b(?:do|does|did)\s+not\s+(?:oblige|require|force|compel)\s+us\s+to\b"
    # a third party's own site or product doing its own collecting ("links to third-party
    # websites that may collect your data"): their processing, not ours
    r"|\bthird[-\s]part(?:y|ies)(?:['’]s?)?\s+(?:(?:web\s*)?sites?|apps?|applications?|products?|platforms?)\s+"
    r"(?:that|which)\s+(?:may\s+|might\s+|can\s+|also\s+|will\s+)?(?:collect|use|process|track|set|place|gather|receive)\w*"
    # what happens if a child's data reached us by mistake ("if we learn that a minor has sent us
    # data, we erase it"; "if you believe your child gave us data, contact us"): no practice
    r"|\b(?:if|in\s+the\s+event(?:\s+that)?|should|once)\s+(?:we|you)\s+(?:[\w,]+\s+){0,8}?(?:become\s+aware|learn|discover|find\s+out|believe|are\s+aware)\b"
    r"[^.;]{0,80}?\b(?:child(?:ren)?|minors?|under\s+(?:the\s+)?(?:age|\d+))\b"
    # the reader's own settings and choices ("you can adjust your settings to hide your profile",
    # "you may opt out of receiving alerts"): what the reader may do, no flow of ours
    r"|\byou\s+(?:can|may|could)\s+(?:also\s+|always\s+|easily\s+)?(?:(?:update|adjust|change|configure|manage|modify|review)\s+"
    r"(?:[\w'’-]+\s+){0,3}?(?:settings|preferences)|opt[-\s]?out\s+of\s+receiving)\b"
    # a sentence that is the reader's way out ("You may opt out of the use of your data for
    # marketing", "If you do not want newsletters, you may opt out by ...", "We will offer you
    # the opportunity to opt out of disclosures"): what the reader may refuse, told elsewhere as a flow
    r"|^\W*(?:(?:if|when|where|should)\b[^,;]{0,160},\s*)?(?:you|we\s+(?:will\s+|may\s+|also\s+)*(?:offer|give|provide)\s+you)\s+"
    r"(?:[\w'’-]+\s+){0,5}?(?:opt(?:[-\s]?out)|unsubscribe)\b"
    # the reader's duty ("You are responsible for keeping your data accurate")
    r"|^\W*(?:you\s+are\s+(?:solely\s+|also\s+)?responsible\s+for|it\s+is\s+your\s+(?:sole\s+)?responsibility)\b"
    # children barred from the service ("Use by anyone under the age of 13 is prohibited")
    r"|\b(?:under\s+(?:the\s+age\s+of\s+)?\d{1,2}|children|minors)\b[^.;]{0,80}?\b(?:is|are)\s+(?:strictly\s+)?"
    r"(?:prohibited|forbidden|not\s+(?:allowed|permitted))\b"
    # what may outlast a deletion in others' hands ("copies may remain viewable in cached pages")
    r"|\bmay\s+(?:still\s+)?remain\s+(?:publicly\s+)?(?:viewable|visible|accessible|available)\b", re.I)

#: Data minimisation stated as a principle ("Our policy is to collect as little data as
#: possible", "we process the minimum amount of information necessary"): how much, not what;
#: no flow of its own when the sentence names no data.
MINIMISATION = re.compile(
    r"\bas\s+little\s+(?:[\w()'’-]+\s+){0,8}?as\s+(?:possible|we\s+can|necessary|needed)\b"
    r"|\b(?:the\s+)?(?:bare\s+|absolute\s+)?minimum\s+(?:amount\s+of\s+)?(?:[\w-]+\s+){0,2}?(?:data|information)\s+"
    r"(?:necessary|needed|required|possible)\b", re.I)

#: A direct question, as a summary or a heading asks it ("What personal data do we collect, and
#: how?", "With whom is your information shared?"): the answer states the flow, not the question.
QUESTION = re.compile(
    r"^[\s*_\[]*(?:(?:with|to|for|from|by|in|on|and|so|but|then)\s+)?(?:what|how|when|why|where|who|whom|which|whose|"
    r"do|does|did|is|are|was|were|will|would|can|could|may|should|have|has)\b[^?]{0,300}\?[\s\"”’)*_\]]*$", re.I)

#: A negative in the imperative with no "we" in the sentence ("never give out your password",
#: "if you are a minor, do not send us any data"), also as a list item in lower case: the
#: reader's doing, not a promise of ours (a clause in lower case, "... but never share it", is ours);
#: also joined to another request ("use a personal address and do not use your work one").
IMPERATIVE_NOT = re.compile(
    rf"(?:^|[,;]\s*|\b(?:and|or)\s+)(?:do\s+not|don['’]t|never)\s+{_ADVISED}\b", re.I)

#: An e-mail address written out, within RFC 5321's lengths and from a word's start (linear
#: on hostile runs such as "a-a-a-...").
EMAIL_ADDRESS = re.compile(r"(?<![\w.%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,63}\b")

#: How to reach us: an e-mail address written out, "write to us at", "contact us by", "send
#: your request to the following address" (or "to the address below", "to our postal address").
#: A sentence naming only contact data with one of these gives our address, not data we collect.
REACH_US = re.compile(
    rf"{EMAIL_ADDRESS.pattern}|\bwrite\s+to\s+us\s*(?:at\b|:)|\b(?:contact|email|e-mail|reach)\s+us\s+(?:at|by|via|on)\b"
    r"|\bto\s+(?:the\s+following|our)\s+(?:(?:postal|mailing|e-?mail)\s+)?address\b|\bto\s+the\s+address\s+(?:below|above)\b",
    re.I)

#: The reader's own choice of a service ("if you use PayPal", "whether you use Firefox"), the
#: channels we reach the reader by ("send you offers by email or WhatsApp"), a site a third
#: party runs or the products it makes, the parties we keep from acting: the services named
#: there are not our recipients.
READER_CHOICE = re.compile(
    r"\b(?:if|when|whether|once)\s+you\s+(?:use|pay\s+(?:with|via|by|through)|choose|sign\s+(?:in|up)\s+(?:with|via|through)|"
    r"log\s+in\s+(?:with|via|through)|connect)\s+[^,;:.()]{0,60}"
    # what the reader shares elsewhere ("if you've shared it through a third-party service"), an
    # account opened with another service's login ("through your X login credentials")
    r"|\b(?:if|when|once)\s+you(?:\s+have|['’]ve)?\s+(?:shared?|post(?:ed)?)\s+[^,;:.()]{0,60}"
    r"|\b(?:through|via|with|using)\s+your\s+(?:[\w'’‘()-]+\s+){1,4}?(?:login|log-in|sign-in)\b"
    r"|\b(?:send|sending|contact|contacting|reach|notify)\s+you\b[^.;]{0,120}?\b(?:by|via|through|over|using)\b[^.;]{0,160}"
    r"|\bthird[-\s]party[-\s](?:owned|operated|hosted|run)\b"
    # what a third party makes and we show or link to ("we may offer third party products on
    # our site", "links to third-party websites"): no one we give data to
    r"|\bthird[-\s]part(?:y|ies)(?:['’]s?)?\s+(?:products?|(?:web\s*)?sites?|links?|content|offers?)\b"
    # the parties we keep from acting ("we prevent our hosting providers from building a
    # history of your searches"): kept from the data, not given it
    r"|\b(?:prevent|prevents|prevented|preventing|stop|stops|keep|keeps|bar|bars)\s+(?:[\w'’-]+\s+){0,6}?from\s+\w+ing\b"
    # those whose rights or safety a purpose protects ("to protect the rights or safety of
    # our users or the public"), a third party's legitimate interests: not recipients
    r"|\b(?:rights?|safety|security|property|interests?)(?:\s*,\s*\w+)*(?:\s+(?:or|and)\s+\w+)?\s+of\s+(?:[\w-]+\s+){0,3}?"
    r"(?:users?|members?|customers?|others|people|the\s+public)(?:\s*,?\s+(?:or|and)\s+(?:[\w-]+\s+){0,2}?(?:users?|others|the\s+public))?"
    r"|\b(?:pursued\s+by|interests?\s+of)\s+(?:us\s+or\s+(?:by\s+)?)?an?\s+third[-\s]part(?:y|ies)\b"
    r"|\bthird[-\s]part(?:y|ies)(?:['’]s?)?\s+(?:(?:have|has)\s+an?\s+)?legitimate\s+interests?\b"
    # our group on our side of the sentence ("if we (or our affiliates) are acquired", "assets
    # (or those of our affiliates)"): what happens to us, not a recipient
    r"|\b(?:we|us)\s*\(\s*(?:and|or)\s+our\s+(?:[\w-]+\s+)?(?:affiliates|subsidiaries|group\s+companies)\s*\)"
    r"|\bthose\s+of\s+our\s+(?:[\w-]+\s+)?(?:affiliates|subsidiaries|group\s+companies)\b"  # "where we or a third party have a legitimate interest"
    # the platforms we are present on ("we are active on Facebook and Reddit", "our pages on
    # LinkedIn"), the reader's own account with a service ("your YouTube account"): where we
    # publish or what the reader holds, no one we give data to
    r"|\bwe\s+(?:are|['’]re)\s+(?:also\s+)?(?:active|present)\s+on\s+[^.;]{0,160}"
    r"|\bour\s+(?:official\s+)?(?:pages?|accounts?|profiles?|channels?|presences?)\s+on\s+[^.;]{0,120}"
    r"|\byour\s+(?:[\w.-]+\s+){1,2}?(?:account|security\s+settings)\b"
    # the people the reader writes to ("messages you send to other users", "enable you to
    # communicate privately with other members"): the reader's correspondents, not our recipients
    r"|\byou\s+(?:\w+\s+){0,3}?(?:send|sent|write|wrote|message|communicat|interact|chat|talk|correspond|speak)\w*\s+(?:\w+\s+){0,3}?"
    r"(?:to|with)\s+(?:other|another|fellow)\s+(?:users?|members?|people|players?)\b", re.I)

#: Security measures and transfer safeguards ("we take technical and organisational measures
#: to protect", "subject to Standard Contractual Clauses"): no flow, unless a recipient or a
#: country is named.
SAFEGUARD_TALK = re.compile(
    r"\b(?:protect\w*|secur\w*|safeguard\w*)\s+(?:\w+\s+){0,2}?(?:personal\s+)?(?:data|information|pii)\b|"
    r"\bunauthori[sz]ed\s+(?:[\w,]+\s+){0,6}?disclos\w*|"  # "against unauthorised access, use or disclosure of data"
    r"\b(?:technical|organi[sz]ational|security)\s+(?:\w+\s+){0,3}?measures\b|\bindustry[\s-]+(?:accepted|standard)\b|"
    r"\b(?:takes?|taking|uses?|using)\s+(?:commercially\s+)?(?:reasonable|appropriate|adequate)\s+(?:\w+\s+)?(?:measures|precautions|steps)\s+to\s+"
    r"(?:protect|secure|safeguard|keep)\b|"
    r"\bstandard\s+contractual\s+clauses\b|\bbinding\s+corporate\s+rules\b|\badequacy\s+decision\b|"
    r"\b(?:secure|security)\s+(?:management|procedure|policy|audits?)\b|\bencrypt\w*\b|"
    r"\bprivacy\s+(?:framework|shield)\b|\bcertif\w+\b[^.]{0,200}\b(?:framework|shield|principles)\b|"
    r"\b(?:data|security)\s+breach\w*|\bbreach\s+will\b|\bdata\s+processing\s+(?:agreement|addendum)\b|"
    # "the third party is located in a state recognised by the EU Commission as having an
    # equivalent level of data protection"
    r"\b(?:equivalent|adequate|appropriate|sufficient|comparable)\s+level\s+of\s+(?:data\s+)?protection\b|"
    r"\brecogni[sz]ed\s+by\s+the\s+(?:EU|European)\s+Commission\b", re.I)

#: Data that is no longer personal ("aggregated, non-identifiable information", "anonymised
#: statistics", "non-personal data").
ANONYMOUS = re.compile(
    r"\b(?:aggregated?|anonymi[sz]ed|anonymi[sz]ation|anonymous|non-identifiable|non-personal|de-identified|"
    r"non-?\s?personally[\s-]+identif(?:iable|ying)|not\s+personally[\s-]+identif(?:iable|ying))\b"
    r"[^.]{0,40}?\b(?:data|information|statistics)\b"
    # "analysis of our users in the aggregate or otherwise in anonymous form"
    r"|\bin\s+(?:the\s+|an?\s+)?(?:aggregated?|anonymi[sz]ed|anonymous|de-identified)\s+(?:or\s+(?:otherwise\s+)?in\s+(?:an?\s+)?"
    r"(?:aggregated?|anonymi[sz]ed|anonymous|de-identified)\s+)?form\b", re.I)

#: The terms on which data would leave the EEA, told as a supposition ("to the extent that we
#: transfer data outside the EEA, we ensure an adequate level of protection or standard
#: clauses"): how it would be done, not that it is ("we rely on standard contractual clauses
#: with our processors" still says the processors receive data).
TRANSFER_TERMS = re.compile(
    r"^\W*(?:to\s+the\s+extent|insofar\s+as|if|where|in\s+(?:the\s+)?case)\b(?=[^.]*\btransfer)"
    r"(?=[^.]*(?:\bstandard\s+(?:data\s+protection\s+|contractual\s+)clauses\b|\badequacy\b|"
    r"\b(?:equivalent|adequate)\s+level\s+of\s+(?:data\s+)?protection\b))", re.I)

#: A hedged negation ("we don't necessarily collect your email"): neither a promise nor a flow.
HEDGED = re.compile(r"(?:\bnot|n['’]t)\s+necessarily\b", re.I)

#: What data could reveal ("your searches have the potential to reveal your health or your
#: beliefs"): a risk described, not data processed.
REVEALS = re.compile(r"\b(?:potential|could|can|may|might|likely)\s+(?:to\s+)?reveal\b", re.I)

#: The reader sharing data with no one named ("you can decide to share your GPS location
#: when you post", "if you choose to share it"; not "share in conversations" or "with friends"):
#: the reader gives it to us.
YOU_SHARE = re.compile(
    r"\b(?:if\s+you\s+(?:choose|decide|opt)\s+to\s+|you\s+(?:may|can|could|might)\s+(?:(?:choose|decide|opt)\s+to\s+)?)share\b"
    r"(?![^.;]{0,40}\b(?:with|in)\s+(?:\w+\s+)?(?:conversations?|chats?|calls?|friends|others|contacts|people|users|groups?)\b)", re.I)

#: A list item that is a sentence of its own: after an optional label ("Protection of Others:"),
#: a subject (we, our ..., a name) and a verb of processing, with or without a modal.
_OWN_CLAUSE = re.compile(
    r"^(?:[A-Z][\w'’&/-]*(?:\s+[\w'’&/-]+){0,5}\s*:\s+)?"
    r"(?:(?i:we|our\s+[\w-]+(?:\s+[\w-]+)?)|[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3})\s+"
    r"(?i:(?:(?:may|will|can|might|could|would|shall|also|then|sometimes|occasionally)\s+){0,3}"
    r"(?:share|disclose|release|transfer|provide|give|pass|send|collect|use|process|store|keep|receive|display|show|publish|"
    r"be\s+given|have\s+access)\w*)\b")


def own_clause(text: str) -> bool:
    """Whether a list item states a clause of its own, with its own subject ("We may release
    data to comply with the law", "Acme may share your profile"), rather than completing its
    lead ("sell your data to brokers" under "We will never:"). Under a negative lead such an
    item says what is done, not what is not.

    Example:
        >>> own_clause("Legal requests: We may release data to the police."), own_clause("sell your data to brokers")
        (True, False)
    """
    return bool(_OWN_CLAUSE.match(text.strip())) and not re.search(r"\b(?:not|never|no)\b|n['’]t\b", text, re.I)


#: A list's lead that is a bare negation waiting for its verb ("We will never:", "We do not do
#: the following:"): each item completes it.
_BARE_NEGATIVE_LEAD = re.compile(
    r"^(?P<neg>(?:[\w'’,-]+\s+){0,6}?(?:never|not|n['’]t))(?:\s+(?:ever|do\s+(?:any\s+of\s+)?the\s+following))?\s*:\s*$", re.I)


def under_negation(lead: str, item: str) -> str:
    """An item read with its lead when the lead is a bare negation ("We will never:" and "sell
    your email address to brokers" read "We will never sell your email address to brokers"),
    so that the promise holds for each item; otherwise the item as it stands (and an item with
    a subject of its own always stands alone).

    Example:
        >>> under_negation("We will never:", "Sell your phone number.")
        'We will never sell your phone number.'
        >>> under_negation("We collect:", "your phone number")
        'your phone number'
    """
    m = _BARE_NEGATIVE_LEAD.match(lead.strip())
    if m is None or own_clause(item) or not item.strip():
        return item
    body = item.strip()
    return f"{m.group('neg')} {body[:1].lower()}{body[1:]}"


#: A purpose of finding out who someone is ("to tell us who you are or what your e-mail
#: address is", "to identify your name"): the data it names are what is (not) learnt.
_IDENTIFY = re.compile(r"\bto\s+(?:tell\s+us|find\s+out|learn|know|work\s+out|determine|discover|identify|figure\s+out|"
                       r"ascertain)\b[^.;:]{0,200}", re.I)


def identify_clause(text: str) -> tuple[int, int] | None:
    """Where a negated sentence's purpose of identifying someone lies ("we do not use cookies
    to find out your name"): the data it names are not what the promise withholds, so that the
    promise is not read as "we never collect your name". None when the sentence holds no
    negation before such a clause.

    Example:
        >>> identify_clause("We do not use cookies to find out your name.") is not None
        True
        >>> identify_clause("We use cookies to find out your name.") is None
        True
    """
    m = _IDENTIFY.search(text)
    if m is None or not re.search(r"\b(?:not|never|no)\b|n['’]t\b", text[: m.start()], re.I):
        return None
    return m.start(), m.end()


#: Words for what we do rather than data of the person's ("sign up for communications",
#: "respond to comments and questions"): a subscription or a reply, no content of theirs
#: (a channel, "via email or text message", is ``cues.CHANNEL``).
OUR_DOING = re.compile(
    r"\bsign(?:s|ed|ing)?\s+up\s+(?:for|to)\s+(?:our\s+|marketing\s+|promotional\s+)*(?:communications|newsletters?|updates|alerts|e-?mails)\b"
    r"|\b(?:respond|reply|replie|answer)(?:s|ed|ing)?\s+to\s+(?:your\s+|any\s+)?(?:comments?|questions?|inquir(?:y|ies)|feedback)"
    r"(?:\s+(?:and|or)\s+(?:comments?|questions?|inquir(?:y|ies)|feedback|requests?))?\b", re.I)

#: An opening that points back to what was said ("In addition to the ways public posts are
#: shared as described above, we may ...", "In addition to the above,"): the data it names
#: are the earlier sentences', not this sentence's (nor a list's it leads).
ALREADY_SAID = re.compile(r"^\W*in\s+addition\s+to\b[^,;:.]{0,200},", re.I)


def not_data(mask: str) -> str:
    """A sentence with the words that look like data but are not blanked (same length): a
    "non-" prefixed data word, our replies and subscriptions, the names of things (``THING_NAME``) and an opening "in addition to ..." (``ALREADY_SAID``).

    Example:
        >>> not_data("We share non-content data.").split()
        ['We', 'share', '.']
        >>> not_data("We log the app name and version.").split()
        ['We', 'log', 'the', 'app', 'and', 'version.']
    """
    for rx in (NON_DATA, OUR_DOING, ALREADY_SAID):
        mask = rx.sub(lambda m: " " * len(m.group(0)), mask)
    return thing_names(org_parties(mask))  # (before: "the name of your employer" is data)


def given_to_us(word: str, after: str) -> bool:
    """Whether a disclosure word (``word``, the text ``after`` it) hands data to us rather
    than away: "they may share your address book details such as your phone number with us",
    "information shared by third parties".

    Example:
        >>> given_to_us("share", " your contact list entries such as your mobile number with us")
        True
        >>> given_to_us("shared", " by third parties"), given_to_us("shared", " by us with partners")
        (True, False)
    """
    if re.match(r"\w*\s+(?:(?!(?:with|to)\b)[\w-]+\s+){4,10}?with\s+us\b(?!\s+(?:and|or)\b)", after, re.I):
        return True
    return bool(re.match(r"(?:shared|provided)\b", word, re.I) and re.match(r"\w*\s+by\s+(?!(?:us|we|you|others)\b)", after, re.I))


#: What names a party as a source, a topic, an owner or a means rather than a receiver: "data
#: from partners", "information about the partner users", "the name and address of the
#: network", "if you interact with us through a partner app".
_NOT_RECEIVER = re.compile(
    r"\b(?:content|data|information|messages?|posts?)\s+(?:(?:we|that|which)\s+(?:\w+\s+)?)?from\s+(?:(?:\w+\s+){0,3}(?:and|or)\s+(?:the\s+)?|(?:\w+\s+){0,2})$"
    r"|\b(?:content|data|information|details)\s+(?:(?:we|that|which)\s+(?:\w+\s+)?)?about\s+(?:the\s+|other\s+|such\s+|these\s+)?(?:(?:(?!with\b|to\b)[\w-]+\s+){1,4}?(?:and|or)\s+(?:the\s+)?)?$"
    r"|\b(?:names?|address(?:es)?|identity|url|domain|identifiers?)\s+of\s+(?:the|a|an|that|this|each)\s+$"
    r"|\b(?:interact|connect|engage|communicate)\w*\s+(?:with\s+(?:\w+\s+){0,3}?)?(?:through|via)\s+(?:a|an|the|your)\s+$"
    r"|\b(?:data|information|details|address(?:es)?|names?|ids?|identifiers?)\s+(?:associated|linked)\s+(?:with|to)\s+(?:that|the|this|your|each)\s+$", re.I)


def source_before(prefix: str) -> bool:
    """Whether a party named right after ``prefix`` is where data comes from ("content from
    other users", "data from partners"), what it is about ("information we collect about the
    partner users"), whose it is ("the name and IP address of the network on which you are
    registered", "the email address associated with that third-party application") or the
    reader's way in ("if you interact with us through a partner app"), not who gets it.

    Example:
        >>> source_before("interactions with content from "), source_before("we share content with ")
        (True, False)
        >>> source_before("We collect information about the "), source_before("the name and address of the ")
        (True, True)
    """
    return bool(_NOT_RECEIVER.search(prefix[-200:]))


#: A sentence that sends the reader elsewhere: a pointer to other text ("Visit the Country X
#: Disclosures page to read more", "Please also see the sections Working With Partners and Our
#: Affiliates"), or to another page or section for the reader to learn from ("click here to
#: learn about our legal bases", "If you live in the EU, visit our Regional page to learn about
#: ...", "follow the links and review the information provided there about how we process").
#: The parties, countries and processing it names are the other text's topics, not flows.
POINTER = re.compile(
    r"^\W*(?:please\s+)?(?:also\s+)?(?:visit|see|read|consult|refer\s+to|review|check)\s+(?:also\s+)?(?:the|our|this|these)\s+"
    r"(?:[\w'’&,-]+\s+){0,20}?(?:pages?|sections?|notices?|policy|policies|disclosures|statements?|articles?|"
    r"chapters?|headings?|parts?)\b"
    r"|^\W*(?:(?:if|where|when|for)\b[^.;:]{0,160}?\s)?(?:please\s+)?(?:click|tap|visit|go\s+to|follow|see|read|review|"
    r"consult|refer\s+to|check\s+out)\s+(?:here|(?:the|our|this|these|that)\s+(?:[\w“”\"'’&-]+\s+){0,8}?(?:pages?|links?|"
    r"sections?|notices?|policy|policies|articles?|help\s+cent(?:er|re)))\b(?:(?!\bwe\b)[^.;]){0,160}?\b(?:to\s+(?:learn|"
    r"find\s+out|read)\b|for\s+(?:more|further|additional|detailed)\s+(?:information|details)|with\s+(?:more\s+)?"
    r"information\s+(?:about|on))", re.I)


#: A tracking technology as a word: a cookie, a pixel or web beacon, a tag, an SDK, local
#: storage, "tracking technologies" (and a list of them: "Cookies, pixels and similar technologies").
_TECH = (r"(?:(?:persistent|session|permanent|first[-\s]party|third[-\s]party|flash|essential|html5|tracking|web)\s+)?"
         r"(?:cookies?|pixels?(?:\s+tags?)?|(?:web\s+)?beacons?|clear\s+gifs?|sdks?|software\s+development\s+kits?|"
         r"local\s+storage|(?:similar\s+|tracking\s+)?technolog(?:y|ies))")
_TECHS = rf"{_TECH}(?:(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or|and/or)\s+)(?:(?:other|similar|other\s+similar)\s+)?{_TECH})*"

#: What a cookie (or another tracking technology) is, or how the reader controls them, with
#: no "we" in the sentence ("A persistent cookie remains after you close your browser",
#: "Web beacons are small images embedded in pages", "you can turn them off by adjusting your
#: browser settings", "If you disable cookies, some features will not work", "You may set
#: your web browser to refuse cookies"): a definition or the reader's control, no tracking of ours.
COOKIE_TALK = re.compile(
    rf"^\W*(?:(?:an?|the|each|these|such)\s+)?{_TECHS}\s+(?:\([^()]{{0,80}}\)\s+)?(?:(?:also|usually|typically|generally|only)\s+)?"
    r"(?:(?:is|are)\b(?!\s+(?:\w+\s+)?(?:used|placed|set|stored|served|dropped|deployed|employed|read)\b)|remains?|stays?|expires?|lasts?|persists?|operates?|gets?\s+deleted|will\s+(?:remain|expire|stay|be\s+deleted)|means?|refers?|disappears?)\b"
    r"|\byou\s+(?:can|may|could)\s+(?:also\s+)?(?:turn|switch)\s+(?:them|cookies|these|those)\s+off\b"
    r"|\b(?:you\s+(?:can|may|could)\s+(?:also\s+)?(?:choose\s+to\s+)?|(?:if|when|should)\s+you\s+(?:\w+\s+){0,2}?|^\W*to\s+|feel\s+free\s+to\s+)"
    r"(?:disable|block|refuse|reject|delete|remove|decline|clear|turn\s+off|switch\s+off)(?:\s+(?:or|and|and/or)\s+(?:disable|block|refuse|reject|delete|remove|decline|clear))?\s+"
    r"(?:them|these|those|(?:all\s+|some\s+|certain\s+)?(?:\w+\s+)?cookies)\b"
    # the reader's own browser settings ("you may set your web browser to refuse cookies"), or
    # opting out of the technologies ("you can opt out of these technologies")
    r"|\byou\s+(?:can|may|could|might)\s+(?:also\s+)?(?:be\s+able\s+to\s+)?(?:set|configure|adjust|change)\s+your\s+(?:web\s+)?browser\b"
    rf"|\byou\s+(?:can|may|could)\s+(?:also\s+)?opt[-\s]?out\s+of\s+(?:(?:these|those|such|the|our|all|certain|some)\s+)?(?:\w+\s+)?{_TECHS}"
    # ... or of a tracker, by a tool ("you also can opt out of X by installing its browser add-on")
    r"|\byou\s+(?:also\s+)?(?:can|may|could)\s+(?:also\s+)?opt[-\s]?out\s+of\s+[^.;]{1,80}?\bby\s+(?:installing|downloading|using|visiting|adjusting)\b", re.I)

#: A promise bounded by a condition of telling the reader first ("We will not collect
#: additional categories without updating this Privacy Policy", "we won't use it for other
#: purposes without notifying you"): a promise to give notice, no promise never to collect.
NOTICE_FIRST = re.compile(
    r"\bwithout\s+(?:first\s+)?(?:updating|amending|changing|revising|modifying|notifying|informing|telling|"
    r"(?:giving|providing|sending)\s+(?:you\s+)?(?:prior\s+|advance\s+)?notice)\b", re.I)


#: A sentence or item that is a purpose only ("To tailor what advertisers show you", "For
#: compliance purposes, as requested by law enforcement"): the parties it names gain from the
#: processing or ask for it; they receive data only where it says so ("to share it with ...").
PURPOSE_PHRASE = re.compile(
    r"^\W*(?:[A-Z][\w'-]*(?:\s+(?:[A-Z][\w'-]*|and|or|of|&)){0,4}\.\s+)?"  # (a run-in title: "Billing and Payment. To ...")
    r"(?:(?:to|in\s+order\s+to)\s+(?!(?:the|our|your|a|an|any|other|third|us|you|them|whom|learn|find|read|see)\b)[a-z]{3,}\b"
    r"|for\s+(?:[\w-]+\s+){0,3}?purposes\b)", re.I)


#: A purpose limitation ("we will not use your messages for any purpose other than delivering
#: them", "not processed beyond the scope of the purposes stated", "is not used for any other
#: purpose"): after a negated use it bounds why data is used, which is no promise not to
#: collect (nor to use) it.
PURPOSE_LIMIT = re.compile(
    r"\b(?:for|to)\s+(?:any\s+|all\s+)?(?:purposes?|reasons?|ends?)\s+(?:other\s+than|beyond|except|besides|apart\s+from|"
    r"not\s+(?:described|listed|set\s+out|stated|specified|disclosed)|(?:that\s+(?:are|is)\s+)?incompatible)\b"
    r"|\bfor\s+(?:any\s+|all\s+)?(?:other|further|different|unrelated|incompatible|secondary)\s+(?:purposes?|reasons?)\b"
    r"|\bbeyond\s+(?:the\s+)?(?:scope\s+of\s+(?:the\s+)?)?(?:stated\s+|specified\s+|original\s+|intended\s+)?purposes?\b", re.I)

#: The verb a purpose limitation bounds: using or processing (a negated collecting or sharing
#: "for other purposes" stays a promise about collecting or sharing).
_USE_VERB = re.compile(r"\b(?:use[ds]?|using|process(?:es|ed|ing)?|handle[ds]?|utili[sz]e[ds]?)\b", re.I)

#: A condition in which the reader holds data back or switches something off ("if you do not
#: allow access to your location", "when you decline cookies", "if you turn off ..."): a
#: negation after it ("..., your location will not be sent to us") tells what the reader's
#: choice leads to, neither a flow nor a promise of ours. So is a setting the reader may change
#: told with its effect.
READER_REFUSES = re.compile(
    r"\b(?:if|when|where|whenever|once|should)\s+you\s+(?:do\s+not|don['’]t|did\s+not|didn['’]t|(?:choose|decide|prefer|elect)\s+not\s+to)"
    r"\s+(?:\w+\s+){0,2}?(?:accept|allow|agree|consent|enable|permit|grant|give|provide|opt\s+in|share|turn\s+on|switch\s+on)\w*\b"
    r"|\b(?:if|when|where|whenever|once|should)\s+you\s+(?:\w+\s+){0,2}?(?:decline|refuse|reject|disable|deactivate|withdraw|revoke|"
    r"opt\s+out|turn\s+off|switch\s+off|disallow|deny|block)\w*\b"
    # what the reader would rather did not happen ("if you would prefer that your sounds are
    # not made available to developers, ..."): the condition of the reader's choice
    r"|\b(?:if|should|where)\s+you\s+(?:would\s+)?(?:prefer|rather|wish)\s+(?:that\s+)?(?=[^,.;:]{0,80}?(?:\b(?:not|never)\b|n['’]t\b))"
    # a setting the reader may change, told with its effect ("you can turn off sharing so that
    # the titles you watch are not shared with other members")
    r"|\byou\s+(?:can|may|could|might)\s+(?:also\s+|always\s+|still\s+)?(?:turn\s+off|switch\s+off|disable|opt\s+out|adjust|"
    r"change|set|update|edit|manage|control|hide)\b[^.;:]{0,120}?\b(?:so\s+that|so|to\s+(?:ensure|make\s+sure))\b", re.I)

#: The reader asked not to act ("we ask you not to submit any personal information to us",
#: "children are requested not to provide data"): a request, neither our flow nor our promise.
ASKED_NOT = re.compile(r"\b(?:ask|asks|asked|request|requests|requested|urge|urges|encourage|encourages|advise|advises|"
                       r"instruct|instructs)\s+(?:you|users?|children|minors|parents|visitors|members)?\s*(?:not\s+to|to\s+not|never\s+to)\b",
                       re.I)

#: A negated main clause bounded by the reader's agreement ("we will not show these widgets
#: unless you accept cookies", "... unless and until we have your consent"): what the reader
#: agrees to names the consent, not a flow the sentence states.
NOT_UNLESS_AGREED = re.compile(
    r"\b(?:not|never|n['’]t)\b[^.;]{0,160}?\bunless(?:\s+and\s+until)?\s+(?:you\s+(?:have\s+|first\s+)?(?:\w+ly\s+)?"
    r"(?:accept|agree|consent|allow|permit|opt\s+in|give|grant|provide\s+(?:us\s+)?(?:with\s+)?(?:your\s+)?(?:consent|permission))\w*"
    r"|we\s+(?:have\s+|first\s+)?(?:obtain|receive|get|have|ask\s+for)\w*\s+your\s+(?:\w+\s+)?(?:consent|permission|agreement))\b", re.I)

#: A requirement we do not make ("we don't require you to give us your real name", "we will
#: never oblige you to ..."): the data is optional, neither collected by it nor withheld
#: ("we do not require or collect ..." stays a promise).
NOT_REQUIRED = re.compile(
    r"\bwe\s+(?:do\s*not|don['’]t|does\s*not|will\s+not|won['’]t|shall\s+not|never)\s+(?:\w+ly\s+)?(?:require|oblige|force|need)\b"
    r"(?!\s+(?:or|and|nor)\s)", re.I)

#: A promise to tell the reader why, made on the occasion of a flow ("When we collect personal
#: data, we will notify you of the purpose of use"): the flow is only the occasion ("When we
#: collect your email, we will tell you about offers" is no notice of purpose).
_ON_OUR_FLOW = r"^\W*(?:when|whenever|if|before|where|once)\s+we\s+(?:\w+\s+){0,3}?(?:collect|obtain|acquire|gather|process|use|receive)\w*\b"
_WE_NOTIFY = (r",\s*we\s+(?:will|shall|must|would)\s+(?:first\s+|also\s+|promptly\s+)?"
              r"(?:notify|inform|tell|announce|explain|specify|publish|publicly\s+announce|let\s+you\s+know)\b")
NOTICE_OF_PURPOSE = re.compile(
    rf"{_ON_OUR_FLOW}[^,;]{{0,120}}?{_WE_NOTIFY}[^.;]{{0,80}}?\b(?:purposes?|why|reasons?)\b"
    rf"|{_ON_OUR_FLOW}[^,;]{{0,60}}?\bpurposes?\b[^,;]{{0,60}}?{_WE_NOTIFY}", re.I)

#: A sentence that tells about our ways with data, the flow in a clause it talks about ("You
#: can find information about how we collect and use your data in this notice", "This
#: section explains how Acme processes ...", "so that you are aware of how we use it", "we
#: let you know what data we'll need"): a notice about flows, none of its own when no verb of
#: processing comes before it (``ABOUT_OUR_WAYS_BEFORE``; "We use it to understand how we ..." is a use).
ABOUT_OUR_WAYS = re.compile(
    r"(?:\b(?:explain|describ|tell|inform(?!ation)|learn|understand|aware|know|find\s+out|clarif|outlin|set\s+out|sets\s+out|detail)\w*[^.;:]{0,60}?"
    r"|\b(?:information|details|explanation)\s+(?:about|on|regarding|as\s+to)\b[^.;:]{0,40}?)\b(?:about\s+|of\s+|on\s+|regarding\s+)?(?:how(?:\s+long|\s+often)?|why|whether|under\s+what\s+circumstances|the\s+ways?\s+(?:in\s+which\s+)?|"
    r"(?:what|which)(?:\s+[\w-]+){0,3}?|the\s+(?:[\w-]+\s+){0,4}?(?:data|information)\s+(?:that\s+|which\s+)?)\s+"
    r"(?:we(?:['’]\w+)?\s+(?:\w+\s+){0,2}?|(?-i:[A-Z][\w&-]*(?:\s+[A-Z][\w&-]*){0,2})\s+|"
    r"(?:your\s+|the\s+|such\s+)?(?:personal\s+)?(?:data|information)\s+(?:is|are|will\s+be|may\s+be)\s+)"
    r"(?:collect|use|process|share|disclos|transfer|stor|retain|keep|handl|receiv|obtain|gather|sell|track)\w*\b", re.I)
ABOUT_OUR_WAYS_BEFORE = re.compile(
    r"\b(?:collect|use|uses|using|used|process|share|disclos|transfer|stor|retain|keep|receiv|obtain|gather|sell|track|record|log)\w*\b", re.I)

_POSITIVE = ("collect", "use", "share", "transfer", "track")


def no_flow_of_ours(action: str | None, norm: str, neg: re.Match[str] | None, purposes: Sequence[str] = ()) -> bool:
    """Whether a sentence read as ``action`` states no flow of the controller's: a processor's
    duty put as a negation ("they may not use your data for their own purposes", ``neg`` the
    negation found), the naming of the data controller, or a negation bounded by a condition:
    a purpose limitation, a refusal by the reader, the reader's agreement after "unless", a
    requirement we do not make, a notice of purpose on the occasion of a flow.

    Example:
        >>> no_flow_of_ours("use", "Acme Ltd is the data controller of your information.", None)
        True
        >>> no_flow_of_ours("track", "We will not embed maps unless you accept our cookies.", None)
        True
    """
    if action == "not_collect" and neg is not None and (
            PROCESSOR_NOT.search(norm, max(0, neg.start() - 20), neg.end()) or PROCESSOR_SUBJECT.match(norm)):
        return True
    if action in (*_POSITIVE, "not_share") and PROCESSOR_SUBJECT.match(norm):
        return True  # "They are not allowed to use what we share for their own marketing": their duty
    if action == "not_collect" and neg is not None and _USE_VERB.search(norm, neg.start(), neg.end() + 12) \
            and PURPOSE_LIMIT.search(norm, neg.end()):
        return True  # "We will not use it for any purpose other than delivering it": a purpose limitation
    if action == "not_collect" and neg is not None and not purposes and _USE_VERB.search(norm, neg.start(), neg.end() + 12) \
            and re.match(r"\s+(?:to|in\s+order\s+to)\s+(?!(?:us|you|them|third|any|all|the|an?|your|our|their|its|this|these|those|such|other|some)\b)[a-z]", norm[neg.end():]):
        return True  # "Our cookies are not used to identify you": an aim we read no purpose in, no "never collected"
    refused = READER_REFUSES.search(norm) if action in (*_POSITIVE, "not_share", "not_collect") else None
    if refused and re.search(r"\b(?:not|never|no\s+longer)\b|n['’]t\b", norm[refused.end():], re.I):
        return True  # "If you do not allow it, your location is not sent to us": the reader's choice
    if action in _POSITIVE:
        if neg is None and NOT_UNLESS_AGREED.search(norm):
            return True  # "We will not show these widgets unless you accept our cookies"
        if NOTICE_OF_PURPOSE.match(norm):
            return True  # "When we collect data, we will tell you the purpose": a notice promise
    if action is not None and ASKED_NOT.search(norm):
        return True  # "We ask you not to submit any personal data to us": a request to the reader
    if action is not None and NOT_REQUIRED.search(norm):
        return True  # "We don't require you to give us your real name": optional, no flow
    if action in ("not_collect", "not_share") and re.match(r"\W*(?:in\s+(?:such|that|this|which|either)\s+cases?|if\s+so)\b", norm, re.I):
        return True  # "In such case, your data will not be shared": bound by a condition told before
    if action in ("not_collect", "not_share") and neg is not None and NOTICE_FIRST.search(norm, neg.end()):
        return True  # "We will not collect more without updating this policy": notice, no "never"
    if action in (*_POSITIVE, None) and COOKIE_TALK.search(norm) and not re.search(r"\b(?:[Ww]e|us)\b", norm):  # ("US": no "us")
        return True  # "A persistent cookie remains after you close your browser": a definition
    if action in _POSITIVE and (about := ABOUT_OUR_WAYS.search(norm)) and not ABOUT_OUR_WAYS_BEFORE.search(norm, 0, about.start()):
        return True  # "This section explains how we collect and use your data": about flows told elsewhere
    if action is not None and POINTER.match(norm):
        return True  # "Visit the Japan Privacy Disclosures page": a pointer, no flow (nor a country's)
    return action in ("use", "collect") and bool(CONTROLLER_TALK.search(norm))
