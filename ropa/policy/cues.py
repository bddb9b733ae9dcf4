"""Cue phrases: the words that tell what a sentence does (``we ask you for`` → collect,
``share with`` → share, ``does NOT share`` → not_share, ``keep ... for seven years`` →
retain), its exceptions, conditions, consent, legal bases and scope, and the small readings
made with them (a condition clause, a company-like name, a table's column roles).

Every pattern is linear in the text: cue words stand apart by at most 400 characters.
"""

from __future__ import annotations

import re

from ..core.names import legal_form_pattern
from ..core.words import word_table
from .nonflow import (  # re-exported (but the negation source joined below)
    ANONYMOUS,
    NEG_COLLECT_EXTRA,
    READER_CHOICE,
    READER_TALK,
    SAFEGUARD_TALK,
)
from .notparties import not_a_party, without_ordinary

__all__ = [
    "ALSO_PERSONAL",
    "ANAPHOR_DATA",
    "ANAPHOR_START",
    "ANNOUNCES_LIST",
    "ANONYMOUS",
    "AS_DESCRIBED",
    "BASIS_DATA",
    "BOLD_LABEL",
    "BUT_NOT",
    "CHANNEL",
    "CLAUSE_BREAK",
    "COLLECT",
    "COMPLIANCE",
    "CONSENT",
    "DATA_DESCRIBED",
    "DEFINITE",
    "DETAILS_BACK",
    "EXCEPT",
    "EXCEPTION_CUES",
    "EXEMPLIFY",
    "FIELD_ITEM",
    "FOR_PURPOSE_OF",
    "FOR_THAT_PURPOSE",
    "FROM_CHILDREN",
    "GENERIC_PARTY",
    "HANDS_ON",
    "HELD_BY_US",
    "IN_THIS_CASE",
    "ITEM_HEAD",
    "JOINT_SUBJECT",
    "LEADING_EXCEPT",
    "LEGAL_BASIS",
    "LEGAL_PROCESS",
    "LINK_ONLY",
    "MAKES",
    "NAMED_NOT",
    "NAME_WORD",
    "NEG_COLLECT",
    "NEG_SHARE",
    "NOT_DATA",
    "PEOPLE_MODIFIED",
    "PEOPLE_NEGATION",
    "POINTS_BACK",
    "PRONOUN",
    "PUBLIC",
    "PURPOSE_END",
    "PURPOSE_ITEM",
    "PURPOSE_LEAD",
    "QUOTED_WORD",
    "REACH_BY",
    "READER_CHOICE",
    "READER_NEGATION",
    "READER_TALK",
    "REFERENCE",
    "REGULATORY",
    "RIGHTS_TALK",
    "RIGHT_CUE",
    "RIGHT_WORDS",
    "SAFEGUARD_TALK",
    "SCOPE_APPLIES",
    "SCOPE_EXCLUDES",
    "SCOPE_SUBJECTS",
    "SELF_HOSTED",
    "SHARE",
    "SHARE_WORD",
    "STAFF_ROLE",
    "THIRD_PARTY_WORD",
    "TOPIC_LABEL",
    "TRACK",
    "USE",
    "WITHIN_EEA",
    "WITHOUT_CONSENT",
    "WORD_EMAIL",
    "cell_party",
    "company_like",
    "condition_clause",
    "email_is_data",
    "inline_cases",
    "named_parties",
    "placeholder",
    "short",
]


#: Phrases that only count in a context that makes them mean the term (the data "email"
#: only outside "by email", "email newsletter", ...; rights words only near "request"/"right").
CHANNEL = re.compile(
    r"\b(?:by|via|per|through)\s+(?:e-?mail|phone|telephone|post|mail|sms|(?:text|sms)\s+messages?)(?:\s*,?\s*(?:or|and)\s+(?:sms|(?:text|sms)\s+messages?|push\s+notifications?))?\b|\be-?mail[\s-]?(?:newsletters?|marketing|messages?)\b"
    r"|\bmarketing[\s-](?:related\s+)?e-?mails?\b|\bemails? (?:newsletters?)\b", re.I)

#: What the person writes into a message, a form or a request ("other information which you
#: have written in the e-mail", "the details you enter into the form"): its content.
WRITTEN_IN = re.compile(
    r"\b(?:(?:personal\s+|other\s+|any\s+)?(?:information|details|data)|what(?:ever)?)\s+(?:(?:which|that)\s+)?you\s+"
    r"(?:have\s+|may\s+|might\s+|choose\s+to\s+)?(?:writ(?:e|es|ten)|wrote|includ(?:e|ed)|put|enter(?:ed)?|provided?|gave|give|type[sd]?|add(?:ed)?)\s+"
    r"in(?:to)?\s+(?:the|your|an?|this|that|such|any)\s+(?:\w+\s+)?(?:e-?mails?|messages?|forms?|requests?|tickets?|chats?|correspondence)\b",
    re.I)

#: Data described by a clause rather than named by a phrase, and the key each description is
#: ("the URL you visited", "we log all requests": the pages asked for).
DATA_DESCRIBED = (
    (WRITTEN_IN, "user.content.private"),
    (re.compile(r"\b(?:urls?|web\s+address(?:es)?|(?:web\s*)?pages?)\s+(?:(?:\w+\s+){0,3}?)(?:(?:which|that)\s+)?"
                r"(?:you|they|visitors?|users?)\s+(?:have\s+|had\s+)?(?:visited|viewed|requested|came\s+from)\b", re.I),
     "user.behavior.browsing_history"),
    (re.compile(r"\blog(?:s|ged|ging)?\s+(?:all\s+|every\s+|each\s+)?(?:(?:http|web|server|page)\s+)?requests?\b", re.I),
     "user.behavior.browsing_history"),
)

WORD_EMAIL = re.compile(r"(?<![\w-])e-?mail(?![\w-])", re.I)

_NEG = r"(?:(?:do|does|did|will|shall|would|can|may|must)\s*(?:not|n['’]t)|won['’]t|can['’]t|shan['’]t)"  # won't = will not
_PERFECT_NOT = r"(?:have|has|had)\s*(?:not|n['’]t)(?:\s+(?:ever|yet))?"  # "we have not sold or shared"

#: Adverbs joined before a negated verb ("never knowingly or willingly collects", "do not intentionally and systematically store").
_ADVS = r"(?:\w+ly\s+(?:or|and|nor)\s+)?"

#: A promise put as a choice or an undertaking not to act ("we have chosen not to", "we
#: commit to not"): the verb after it is negated like "we do not".
_NOT_TO = (r"\b(?:chose|chosen|choose|chooses|decided?|decides|commit(?:s|ted)?|promise[sd]?|undert(?:ake|akes|aken|ook)|"
           r"pledge[sd]?|agreed?|agrees|intends?|made\s+(?:a|the)\s+(?:\w+\s+)?(?:choice|decision))\s+(?:not\s+to|to\s+not)")

NEG_SHARE = re.compile(
    rf"\b(?:{_NEG}|{_NOT_TO})\s+{_ADVS}(?:\w+\s+){{0,2}}?(?:share|sell|rent|lease|trade|disclose|pass|transfer|transmit|forward|give|provide|make\w*\s+available|hand|sends?)\b"
    rf"|\b(?:never|{_PERFECT_NOT})\s+{_ADVS}(?:\w+\s+){{0,2}}?(?:share[sd]?|sell|sold|rent(?:ed)?|lease[sd]?|trade[sd]?|disclosed?|pass(?:ed)?|"
    r"transferred|transfer|transmit(?:ted)?|forward(?:ed)?|give|given|provided?|viewed)\b"
    r"|\b(?:is|are|will\s+be|be)\s+(?:\w+\s+)?(?:not|never)\s+(?:be\s+)?(?:shared|sold|rented|disclosed|passed|transferred|given|"
    r"transmitted|forwarded|handed\s+over|made\s+available)\b"
    r"|\b(?:cannot|can\s*not|can['’]t|may\s+not|must\s+not|will\s+not|won['’]t|shall\s+not)\s+(?:ever\s+)?be\s+(?:shared|sold|rented|disclosed|passed|transferred|given|transmitted|forwarded|"
    r"handed\s+over|made\s+available)\b"
    r"|\bnone\s+of\s+(?:your|the|this)\s+(?:\w+\s+){0,2}?(?:is|are|will\s+be)\s+(?:shared|sold|disclosed|given)\b"
    r"|\b(?:in|under)\s+no\s+(?:case|event|circumstances?)\s+(?:[\w,'’-]+\s+){0,8}?(?:sell|share|rent|disclose|transfer|give)\b"
    r"|\bno\s+(?:[\w-]+\s+){0,3}?(?:data|information|details)\s+(?:is|are|will\s+be|gets?)\s+(?:ever\s+)?"
    r"(?:shared|sold|disclosed|rented|passed|transferred|given|transmitted|forwarded|handed\s+over|made\s+available)\b"
    # "(no other data, such as your IP address, is shared)"
    r"|\bno\s+other\s+(?:personal\s+)?(?:data|information)\b[^.;()]{0,160}?\b(?:is|are|will\s+be)\s+(?:ever\s+)?"
    r"(?:shared|sold|disclosed|transferred|sent|passed\s+on)\b"
    r"|\bneither\s+(?:\w+\s+){0,2}?(?:share|sell|rent|disclose|transfer|give|pass)\w*\b"
    # "will not be displayed to other users" (not "is not visible to us": that is ours)
    r"|\b(?:not|never)\s+(?:be\s+)?(?:displayed|shown|visible|made\s+public)\s+(?:\w+\s+){0,2}?to\s+(?!us\b)", re.I)

NEG_COLLECT = re.compile(
    rf"\b(?:{_NEG}|{_NOT_TO})\s+{_ADVS}(?:\w+\s+){{0,2}}?(?:collect|record|store|save|gather|ask\s+for|ask\s+you\s+(?:for|to\s+(?:provide|give|submit|enter|send))|request|process|keep|track|log|capture|see|read|view|monitor|scan|"
    r"access|have\s+access|receive|retain|use|decrypt|have\s+(?:the\s+)?(?:\w+\s+)?(?:means|ability|way)\s+to\s+(?:access|see|read|decrypt|view))\b"
    rf"|\b(?:never|{_PERFECT_NOT})\s+{_ADVS}(?:\w+\s+){{0,2}}?(?:collect|record|store|ask\s+for|ask\s+you\s+(?:for|to\s+(?:provide|give|submit|enter|send))|track|process|view|see|read|access|log|keep|retain|use)\w*\b"
    r"|\bneither\s+(?:\w+\s+){0,2}?(?:collect|record|store|track|process|view|see|read|access|log|keep|retain|use)\w*\b"
    # "we have no access to your messages" (not "no decrypted access": the data is still held)
    r"|\bha(?:s|ve)\s+no\s+(?:access\s+to|(?:means|ability|way)\s+(?:of|to)\s+(?:access|see|read|decrypt|view)\w*)\b"
    r"|\bnever\s+(?:\w+\s+){0,2}?(?:sent|transmitted|uploaded|leaves?|shared)\s+(?:\w+\s+)?(?:to|with)\s+(?:us|our\s+servers?)\b"
    # "we will no longer process your data" (not "no longer necessary", nor "no longer kept after a year")
    r"|\bno\s+longer\s+(?:\w+ly\s+)?(?:collect|record|store|process|use|keep|retain|track|log)(?:s|es)?\b"
    r"|\b(?:is|are|will\s+be)\s+(?:\w+\s+)?(?:not|never)\s+(?:collected|recorded|stored|tracked|processed|logged|kept|retained|used|sent|transmitted|uploaded)\b"
    r"|\bno\s+(?:[\w,]+\s+){0,6}?(?:data|information|logs?)\s+(?:is|are|will\s+be)\s+(?:ever\s+)?(?:collected|stored|logged|kept|retained|mined|analy[sz]ed|used|processed)\b"
    # "No contents of private chats or contacts lists are mined or analyzed"
    r"|\bno\s+(?:contents?|records?|messages?)\s+of\s+(?:[\w,]+\s+){0,6}?(?:is|are|will\s+be)\s+(?:ever\s+)?(?:collected|stored|logged|kept|retained|mined|analy[sz]ed|used|processed|read)\b"
    # a processing denied by its name ("we do not do any profiling", "we do not engage in targeted advertising")
    rf"|\b{_NEG}\s+(?:do|carry\s+out|engage\s+in|perform|conduct|undertake)\s+(?:any\s+)?(?:\w+\s+)?"
    r"(?:profiling|advertising|marketing|tracking|automated\s+decision)"
    # what a clause sets apart, cut off by BUT_NOT ("... file names | not your file contents")
    r"|^\W*not\s+(?=(?:your|the|any|their|its)\s)"
    # "we do not set any advertising cookie", "nor do we embed trackers": putting a tracker on
    # the device, negated
    rf"|\b{_NEG}\s+(?:\w+\s+){{0,2}}?(?:set|place|install|integrate|embed|deploy|employ|drop)\s+(?:[\w-]+\s+){{0,3}}?"
    r"(?:cookies?|trackers?|tracking|pixels?|beacons?|ids?|identifiers?)\b"
    # a verbless heading-like negation of a processing: "No automated decision making,
    # including profiling, ... takes place"
    r"|^\W*no\s+(?:[\w,§-]+\s+){0,24}?(?:takes?\s+place|(?:is|are)\s+(?:carried\s+out|performed|conducted|made))\b"
    rf"|{NEG_COLLECT_EXTRA}", re.I)

EXCEPT = re.compile(r"\b(?:(?:with|without|subject\s+to)\s+(?:one\s+of\s+)?the\s+following\s+exceptions|unless|except(?:\s+(?:where|when|if|as))?|other\s+than|save\s+(?:where|when)|apart\s+from|but\s+only|only\s+as\s+(?:described|set\s+out|listed|explained|detailed|outlined))\b", re.I)

TRACK = re.compile(r"\b(?:track\w*|pixel|tag|cookies?|trackers?|heatmaps?|record(?:s|ing)?\s+(?:your\s+)?(?:sessions?|heatmaps?|clicks)|"
                    r"install\w*|placed?|places|set\s+(?:a\s+)?cookies?|analytics)\b", re.I)

SHARE = re.compile(
    r"\b(?:share[sd]?|sharing|disclos\w*|pass(?:es|ed|ing)?\s+(?:on|along|it|them|this|these|your|the|data|to)\b|"
    r"(?<!during\s)(?<!in\s)(?<!of\s)transfer\w*|sell\w*|sold|(?<!you\s)provid\w*\s+(?:\S+\s+){0,5}?to\b|(?<!you\s)(?:send\w*|sent)\s+(?:\S+\s+){0,5}?to\b|"
    r"(?<!may\s)receives?|received|forward\w*|transmit\w*|rent(?:s|ed)?\s+(?:\S+\s+){0,3}?to\b|"
    r"hand\w*\s+over|made\s+available|make\s+available|releas(?:e[sd]?|ing)\s+(?:your|personal|this|such|that|any)\b|(?<!you\s)access\s+to|hosts?\s+for\s+us|"
    r"(?:hosted|handled|processed|managed|provided|carried\s+out|done)\s+by|on\s+our\s+behalf|"
    r"process\w*\s+(?:\S+\s+){0,5}?for\s+us|partner|sub-?processors?|processors?|rel(?:y|ies|ying)\s+(?:up)?on|"
    r"recipients\s+(?:\w+\s+){0,3}?(?:are|include|comprise)\b|"
    # a disclosure someone can compel ("we may be required to provide your data upon a court order")
    r"(?:required|obliged|obligated|compelled|ordered)\s+to\s+(?:provide|produce|hand\s+over|give|release|surrender)\b)", re.I)

#: Giving data away said in words ("share", "disclose", "pass on", "sell", "transfer"), not
#: only implied by a recipient ("our partners").
#: Giving data over in other words than SHARE_WORD's ("transmitted to", "made available to").
HANDS_ON = re.compile(r"\b(?:hand\w*\s+over|(?:transmit\w*|forward\w*)\s+(?:\S+\s+){0,5}?to|ma(?:de|ke)\s+available\s+to)\b",
                      re.I)

SHARE_WORD = re.compile(r"\b(?:share|disclos\w*|pass\w*\s+on|sell|transfer|releas(?:e[sd]?|ing)\s+(?:your|personal|this|such|that|any)\b)\w*", re.I)

COLLECT = re.compile(
    r"\b(?:collect(?:s|ed|ing)?|ask\w*\s+(?:you\s+)?(?:for|to\s+provide)|gather\w*|obtain\w*|sav(?:e|ed|es|ing)|stor(?:e|ed|es|ing)|"
    r"record\w*|registers?|registered|archiv\w*|captur\w*|logs?(?!\s+(?:back\s+)?(?:in|into|on|out|off)\b)|logged|receive\w*\s+from\s+you|"
    r"you\s+(?:(?:may|can|could|might|will)\s+)?(?:(?:choose|decide|opt|wish)\s+to\s+)?(?:\w+ly\s+)?(?:(?:provide|give|submit|enter|leave|send\s+us|fill|upload)\w*|add(?:s|ed|ing)?(?!\w))|provided\s+by\s+you|submit\w*|leave\s+behind|"
    r"we\s+keep|keep\s+(?:a\s+)?(?:record|copy)|we\s+(?:\w+\s+)?receive\w*)\b", re.I)

USE = re.compile(
    r"\b(?:(?<!\byou\s)use[sd]?(?!\s+(?:of\s+)?(?:our|the|any\s+of\s+our)\s+(?:services?|products?|websites?|platform))|using|process(?!\s+of\b)\w*|"
    r"analy[sz]\w*|send\w*|include\w*|added\s+to|add\s+your|requires?|we\s+(?:may|will|can|could|might)\s+(?:also\s+)?(?:view|access|read)|we\s+(?:may\s+|also\s+)*infer\b|"
    r"need\w*|tie\w*|link\w*|contact\s+you|keep\s+you\s+up\s+to\s+date|inform\s+you|personali[sz]\w*|verify|check|"
    # "ads selected on the basis of the channels you follow": what something is chosen or
    # worked out from is data put to use
    r"(?:selected|shown|chosen|targeted|tailored|customi[sz]ed|approximated|determined|inferred|estimated|derived)"
    r"\s+(?:\S+\s+){0,2}?(?:based\s+on|on\s+the\s+basis\s+of|from))\b", re.I)

RIGHT_CUE = re.compile(
    r"\b(?:right|rights|you\s+(?:can|may|have|are\s+entitled)|requests?|entitled|lodge|complain\w*|unsubscrib\w*|"
    r"opt[\s-]?out|withdraw\w*|object\b|contact\s+us)", re.I)

RIGHT_WORDS = re.compile(  # rights words that count only beside a rights cue (not "API access", "access tokens")
    r"\b(?:(?-i:(?<![A-Z][A-Z]\s))access(?!\s+(?:tokens?|keys?|logs?|controls?|points?))|correct|rectify|remove|removal|delete|deletion|erase|modify\w*|restrict\w*|object|withdraw|"
    r"complain|port\w*)\b", re.I)

# Cue words may stand apart in a sentence by at most 400 characters (``[^.]{0,400}``): an
# unbounded ``[^.]*`` scans the rest of the sentence from every cue, which a sentence of
# thousands of cues turns into quadratic time.
REFERENCE = re.compile(
    r"\b(?:for\s+(?:more\s+|further\s+)?information\s+(?:on|about)\s+how|for\s+more\s+information|please\s+(?:review|read|see|view|visit|consult|refer|check)|see\s+(?:their|its|the)\s+\w*\s*privacy|"
    r"learn\s+more|read\s+more|can\s+be\s+found\s+(?:in|at|here)|more\s+details?\s+(?:can\s+be|are)|"
    r"\b(?:below|above|in\s+this\s+(?:privacy\s+)?(?:policy|statement|notice))\b[^.]{0,400}\b(?:describe|explain|set\s+out|tell)|"
    r"\bwe\s+(?:describe|explain)\s+(?:in\s+this\s+(?:privacy\s+)?(?:policy|notice|statement)\s+)?(?:below|here|how)|"
    r"\b(?:privacy\s+)?(?:policy|notice|statement)\s+(?:describes|explains|sets\s+out|tells\s+you)\s+how\b)", re.I)

COMPLIANCE = re.compile(r"\b(?:adhere[sd]?|adhering|adherence|compl(?:y|ies|ied|ying|iance|iant)|in\s+line\s+with|in\s+accordance\s+with)\b", re.I)

CONSENT = re.compile(
    r"\b(?:with\s+your\s+(?:explicit\s+|prior\s+|express\s+)?(?:consent|permission)|"
    r"only\s+(?:\S+\s+){0,5}?(?:after|if|when|once)\s+you\s+(?:have\s+)?(?:accept|agree|consent|opt|tick|give|allow|click)\w*|"
    r"after\s+you\s+(?:have\s+)?(?:accept|agree|consent|allow)\w*|(?:when|if|once)\s+you\s+(?:tick|check)\s+the\s+box|"
    r"opt[\s-]?in|if\s+you\s+(?:agree|consent|accept|allow)|based\s+on\s+your\s+consent|(?:you|you've|you\s+have)\s+(?:given|give|provided|provide|granted|grant)\s+(?:us\s+)?(?:your\s+)?consent|"
    r"require\s+your\s+consent|ask\s+(?:for\s+)?your\s+consent)", re.I)

WITHOUT_CONSENT = re.compile(r"\bwithout\s+(?:your\s+|asking\s+(?:for\s+)?(?:your\s+)?)?(?:explicit\s+|prior\s+)?consent\b", re.I)

_CONDITION = re.compile(r"\b(?:when(?:ever)?|if|in\s+case|once|as\s+soon\s+as)\b[^,;:.()]*", re.I)

SELF_HOSTED = re.compile(r"\bself[\s-]?hosted\b|\bon\s+our\s+own\s+(?:servers?|systems?|infrastructure)\b|\bin[\s-]house\b", re.I)

ANAPHOR_START = re.compile(
    r"^(?:this|these|it|they|that|those|such|firstly|secondly|thirdly|finally|also|we\s+do\s+this|doing\s+so|"
    r"in\s+this\s+way|this\s+way|hereby)\b", re.I)

#: Data named by the purpose just spoken of ("your data for this purpose").
FOR_THAT_PURPOSE = re.compile(
    r"\b(?:your|the)\s+(?:personal\s+)?(?:data|information|details)\s+(?:\w+\s+)?for\s+(?:this|that|these|those|the\s+same)\s+purposes?\b",
    re.I)

#: A sentence that adds an item to the data just listed ("Your login details are also personal
#: data", "Device identifiers are also considered personal information").
ALSO_PERSONAL = re.compile(
    r"^[^.;:]{3,80}?\b(?:is|are)\s+also\s+(?:considered\s+(?:to\s+be\s+|as\s+)?|treated\s+as\s+)?"
    r"(?:your\s+)?personal\s+(?:data|information)\s*\.?$", re.I)

#: A sentence that goes on with the case the one before describes ("In this case, we process").
IN_THIS_CASE = re.compile(r"(?:in\s+(?:this|that|such\s+a|either|both)\s+cases?|in\s+such\s+cases|if\s+so)\b", re.I)

ANAPHOR_DATA = re.compile(
    r"\b(?:this|these|that|those|such|the\s+same|the\s+above|this\s+personal|these\s+personal)\s+(?:personal\s+)?"
    r"(?:information|data|details|message|messages|content)\b"
    r"(?![\s-]+(?:collection|processing|sharing|practices?|requests?|security|protection|transfers?)\b)"  # "this data collection"
    r"|\b(?:it|them|this)\s+(?:is|are|will\s+be)\s+(?:shared|passed|sent|used|stored|saved)\b"
    r"|\bthen\s+this\b"
    # "personal information logged this way", "data collected in this manner"
    r"|\b(?:information|data|details)\s+(?:\w+\s+)?(?:collected|logged|gathered|obtained|recorded|stored|received)\s+"
    r"(?:in\s+)?(?:this|that|such\s+a)\s+(?:way|manner)\b", re.I)

PRONOUN = re.compile(r"\b(?:them|it|this|these|they)\b", re.I)

#: A legal process named after its issuer ("court orders", "court-ordered"): the process, not
#: a recipient.
LEGAL_PROCESS = re.compile(r"\bcourt[\s-]+(?:orders?|ordered)\b", re.I)

#: Outsiders named by what they are rather than by a listed phrase ("embedded content
#: providers", "platform and operating system providers", "unrelated parties"): a third party.
GENERIC_PARTY = re.compile(
    r"\b(?:(?!(?:from|to|with|by|of|for|in|on|at|the|a|an|your|our|their|its|that|which|who|we|you)\b)[A-Za-z][\w-]*\s+){1,3}?"
    r"(?:providers|parties|vendors)\b", re.I)

#: Data shown to anyone ("which is shown publicly", "visible to other users", "your posts are
#: public", "made public"): a disclosure to other users and the public.
PUBLIC = re.compile(
    r"\b(?:shown|displayed|visible|viewable|published|accessible)\s+(?:publicly|to\s+(?:the\s+(?:general\s+)?public|everyone|anyone|"
    r"all\s+users|other\s+(?:\w+\s+)?(?:users|members|visitors|people)))\b|\bpublicly\s+(?:visible|viewable|displayed|shown|accessible)\b"
    r"|\b(?:is|are|will\s+be|becomes?)\s+public\b|\bmade\s+public\b"
    # others able to see it ("any visitors to the site will be able to see that content", "other members can view it")
    r"|\b(?:anyone|everyone|the\s+public|(?:other|any|all)\s+(?:[\w-]+\s+)?(?:users|visitors|members|people))(?:\s+(?:to|of|on|and)\s+(?:[\w-]+\s+){0,4}?(?:users|visitors|members|people|services?|site|app|platform)\b)?"
    r"\s+(?:will\s+be\s+able\s+to\s+|(?:can|may|could)\s+(?:(?!not\b)\w+\s+)?)(?:see|view|access|read)\b", re.I)

#: A sentence whose subject is us together with someone else ("We and our partners use
#: cookies", "We and selected third parties may collect", "..., we (or our providers) may
#: collect"): the party named next acts too.
JOINT_SUBJECT = re.compile(
    r"(?:^\W*|[,;:]\s+)(?:both\s+)?we\s*(?:and/or|and|&|as\s+well\s+as)\s+(?:our\s+|certain\s+|selected\s+|trusted\s+|some\s+|the\s+)?"
    r"|\bwe\s*\(\s*(?:or|and)\s+(?:our\s+|certain\s+|selected\s+|trusted\s+|some\s+|the\s+)?", re.I)

#: "This information may include", "Such data consists of": the data spoken of just before,
#: then a verb that lists it (the words before DETAILS_BACK's and POINTS_BACK's endings).
_BACK = (r"(?:\s+(?:(?:personal|additional|other|technical)\s+)?(?:information|data|details))?"
         r"\s+(?:(?:may|can|will|could|might|would)\s+)?(?:also\s+)?(?:generally\s+|typically\s+|usually\s+)?")

#: A sentence that names the data the one before spoke of ("This information includes your IP
#: address", "Such data may include your name").
DETAILS_BACK = re.compile(
    rf"^(?:this|these|that|those|such){_BACK}(?:includes?|consists?\s+of|comprises?|contains?)\s+\w", re.I)

#: A list's lead-in that only points back at the sentence before it ("This information
#: includes:", "These may include:", "Such data consist of:").
POINTS_BACK = re.compile(
    rf"^(?:this|these|that|those|such|it|they|the\s+(?:foregoing|above|above-mentioned|aforementioned|said)){_BACK}"
    r"(?:includes?|including|consists?\s+of|comprises?|contains?|covers?|(?:is|are)(?:\s+as\s+follows)?)"
    r"(?:,?\s*(?:for\s+example|for\s+instance|e\.g\.|among\s+others|in\s+particular),?)?\s*:?\s*$", re.I)

EXEMPLIFY = re.compile(r"\b(?:such\s+as|including|like|e\.g\.|for\s+example|for\s+instance|in\s+particular|namely)\b", re.I)

DEFINITE = re.compile(r"\b(?:the|our|this|that|these|those|its|said|such)\s+$", re.I)

LEGAL_BASIS = (
    ("art6_1_a", re.compile(r"\b(?:legal|lawful)\s+basis\b[^.]{0,400}\bconsent\b|\bon\s+the\s+basis\s+of\s+your\s+consent\b|\bbased\s+on\s+your\s+consent\b|\bart(?:icle|\.)?\s*6\s*\(1\)\s*\(?a\b", re.I)),
    ("art6_1_b", re.compile(r"\b(?:performance|perform|fulfil\w*|execution)\s+of\s+(?:a|the|our|your)\s+(?:\w+\s+)?(?:contract|agreement)|\bnecessary\s+for\s+(?:a|the|our)\s+contract|\bart(?:icle|\.)?\s*6\s*\(1\)\s*\(?b\b", re.I)),
    ("art6_1_c", re.compile(r"\blegal\s+obligations?\b|\b(?:required|obliged|obligated)\s+by\s+(?:\w+\s+)?law\b|\blaw\s+requires\b|\b(?:tax\s+)?law\s+(?:requires|obliges)\b|\bart(?:icle|\.)?\s*6\s*\(1\)\s*\(?c\b", re.I)),
    ("art6_1_d", re.compile(r"\bvital\s+interests?\b|\bart(?:icle|\.)?\s*6\s*\(1\)\s*\(?d\b", re.I)),
    ("art6_1_e", re.compile(r"\bpublic\s+(?:task|interest)\b|\bofficial\s+authority\b|\bart(?:icle|\.)?\s*6\s*\(1\)\s*\(?e\b", re.I)),
    ("art6_1_f", re.compile(r"\blegitimate\s+interests?\b|\bart(?:icle|\.)?\s*6\s*\(1\)\s*\(?f\b", re.I)),
)

#: "The data used to serve ads is processed on the basis of our legitimate interest": a lawful
#: basis is only ever stated for personal data, so "the data" such a sentence processes is.
BASIS_DATA = re.compile(r"\b(?:the|your)\s+data\b(?![\s-]+(?:protection|controllers?|processors?|subjects?|centres?|centers?)\b)"
                        r"[^.;:]{0,80}?\b(?:is|are|will\s+be|may\s+be)\s+(?:\w+\s+)?processed\b", re.I)

#: A noun after a word for people that makes the word a modifier: "customer support" is a
#: purpose, "user experience" a quality; neither names the people whose data is processed.
PEOPLE_MODIFIED = re.compile(
    r"^[\s-]+(?:support|service|services|care|success|experience|satisfaction|interfaces?|journeys?|relations)\b", re.I)

#: An exception that excepts whatever the policy says ("except as described in this Privacy
#: Policy", "other than as set out below", "except in the cases listed in section 4"): the
#: promise keeps nothing back the policy does not already state.
AS_DESCRIBED = re.compile(
    r"(?:except|other\s+than|save|apart\s+from)\s+(?:as|where|in\s+the\s+(?:cases?|ways?|circumstances)(?:\s+that)?)\s+"
    r"(?:(?:is|are|we\s+have|otherwise)\s+)?(?:expressly\s+|specifically\s+|further\s+|otherwise\s+)?"
    r"(?:described|set\s+out|set\s+forth|outlined|explained|detailed|listed|stated|specified|provided|mentioned|indicated)\b"
    r"(?:\s+(?:in|by|under|within)\s+(?:this|our|the)\s+(?:[\w-]+\s+){0,3}?(?:policy|notice|statement|section|document)|"
    r"\s+(?:below|above|herein|hereafter|hereunder|here)|\s+in\s+(?:section|clause|paragraph)\s+[\w.]+)\s*(?:\([^)]{0,80}\))?\W*$",
    re.I)

EXCEPTION_CUES = (
    ("explicit_consent", re.compile(r"\bexplicit(?:ly)?\s+(?:\w+\s+){0,2}?consent|\bconsent\w*\s+explicitly", re.I)),
    ("consent", re.compile(r"\b(?:consent|permission|agree\w*|approv\w*|authori[sz]ation\s+from\s+you|you\s+(?:ask|instruct))", re.I)),
    ("legal_obligation", re.compile(r"\b(?:law|laws|legal\w*|authorit\w*|court\w*|government\w*|required|requires|forced|"
                                    r"compelled|oblig\w*|subpoena\w*|police|regulator\w*|lawful\s+request)", re.I)),
    ("contract", re.compile(r"\b(?:contract\w*|agreement|to\s+(?:provide|deliver)\s+(?:the|our|you)\b|perform\w*\s+(?:the|our)\s+service)", re.I)),
    ("vital_interests", re.compile(r"\b(?:vital|life|lives|emergenc\w*|safety\s+of)", re.I)),
)

SCOPE_APPLIES = re.compile(
    r"\b(?:this|our|the)\s+(?:privacy\s+)?(?:policy|statement|notice)\b[^.]{0,400}?\b(?:applies|is\s+(?:\w+\s+){0,3}?(?:intended|meant|written|addressed)|"
    r"covers|is\s+for|relates|informs\s+you|explains\s+to\s+you|tells\s+you)\b"
    # "any reference to 'you' in this Privacy Policy includes the team admin ..."
    r"|\breferences?\s+to\s+[\"“'‘]?you\b[^.]{0,200}?\b(?:includes?|means|refers\s+to)\b", re.I)

#: In a scope sentence, the phrases naming the service's users ("when you use the app",
#: "the respective team admin"), by data-subject key (``scope_subjects`` in words.yml).
SCOPE_SUBJECTS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (key, re.compile(r"\b(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + r")\b", re.I))
    for key, words in word_table("scope_subjects").items())

SCOPE_EXCLUDES = re.compile(
    r"\b(?:does\s+not|doesn['’]t|do\s+not|don['’]t)\s+(?:apply|cover|relate)\b|\bnot\s+(?:intended|meant)\s+for\b|"
    r"\bexcluded\b|\bseparate\s+(?:privacy\s+)?(?:policy|notice|statement)\b|\bout\s+of\s+scope\b", re.I)


#: Talk about the person's rights ("the right to object", "request erasure", "exercise your
#: rights"): it names data and processing but states no flow.
RIGHTS_TALK = re.compile(
    r"\b(?:rights?\s+(?:to|of)\s|request\s+(?:access|erasure|deletion|correction|rectification|the\s+restriction|"
    r"restriction|that\s+we|a\s+copy)|exercis\w+\s+(?:\w+\s+){0,4}?rights?|ask\s+us\s+to\s+(?:delete|correct|erase|"
    r"restrict|stop|suspend)|object\s+to\s+(?:the\s+|our\s+)?processing|oppose\s+the\s+processing|"
    r"withdraw\s+(?:your\s+)?consent|lodge\s+a\s+complaint|data\s+portability|"
    r"enables?\s+you\s+to\s+(?:ask|receive|request|have)|you\s+(?:can|may)\s+(?:request|ask\s+for|appeal)\b|"
    r"(?:gives?|allows?)\s+you\s+(?:the\s+(?:possibility|right|option|ability)\s+)?to\s+(?:ask|receive|request|have|obtain)\b|"
    r"(?:permits?|entitles?)\s+you\s+to\s+(?:request|ask\s+(?:us\s+)?for|obtain)\b|ask\s+us\s+(?:\w+\s+)?whether\b|"
    # how a request is handled ("we may be unable to approve some requests", "the right does not apply")
    r"(?:unable|not\s+able|cannot|can\s*not)\s+to\s+(?:approve|grant|honou?r)\s+(?:\w+\s+){0,2}?requests?\b|"
    r"(?:refuse|decline|reject)\s+(?:\w+\s+){0,2}?requests?\b|"
    r"rights?\s+(?:do|does|may|might)\s+not\s+apply\b)", re.I)

#: Words next to a data term that make it something else: "under the age of 18" (a data
#: subject), "browser name", "names of files" (not the person's name).
NOT_DATA = re.compile(
    r"\b(?:under|over|below|above)\s+the\s+age\s+of\b|\bages?\s+(?:of|between)\s+\d+|\byears\s+of\s+age\b|"
    r"\b(?:browser|file|domain|device|host|directory|brand|product|service|company|operating\s+system)\s+names?\b|"
    r"\bnames?\s+of\s+(?:the\s+)?(?:files?|directories|folders|documents|browsers?)\b|"
    r"\baddress(?:es)?\s+(?:fraud|security|technical|issues?|concerns?|problems?|questions?|requests?|complaints?|illegal|unlawful|suspected|potential|violations?|abuse|misuse|disputes?)\b|"
    r"\bour\s+(?:support\s+|postal\s+|mailing\s+|office\s+|registered\s+|contact\s+|business\s+)?(?:e-?mail\s+)?address\b|"
    r"\bsend(?:s|ing)?\s+(?:you\s+(?:[\w-]+\s+){0,4}?(?:communications?|e-?mails?|messages?|newsletters?|notifications?|information)|(?:other|further)\s+communications)\b|"
    r"\bsend(?:s|ing)?\s+out\s+(?:\w+\s+){0,2}?(?:communications?|e-?mails?|messages?|newsletters?|notifications?)\b|"
    r"\breceive\s+(?:\w+\s+){0,2}?(?:communications?|e-?mails?|messages?|newsletters?)\s+from\s+us\b|"
    r"\b(?:marketing|promotional|important|service|sponsored|advertising)\s+(?:communications?|e-?mails?|messages?)\b|"
    r"\b(?:announcement|storage|server|hosting|processing|office)\s+locations?\b|\borgani[sz]ation\s+of\b|"
    # the reader's address book holds other people's details, not the reader's contact details
    r"\bcommunications?\s+from\s+(?!you\b)|\baddress\s+books?\b|"
    # the verb: "to address your request", "Address Creator responsibilities" (a summary bullet)
    r"\b(?:to|will|can|may|we|and|help)\s+address(?:es|ed|ing)?\b|(?:^|(?<=[.;:!?]\s))\W*address(?=\s+(?-i:[A-Z])[a-z])|"
    # "(e.g., to respond to a support request)": answering it is a purpose, not the request as data
    r"\b(?:respond(?:s|ing)?\s+to|repl(?:y|ies|ying)\s+to|answer(?:s|ing)?)\s+(?:a|an|the|your|any|their)\s+(?:\w+\s+)?support\s+requests?\b|"
    r"\bpassword\s+(?:recovery|resets?|reminders?)\b|"
    r"\bsmall\s+(?:\w+\s+)?files?\b|"
    # orders of a court, "address" as a verb, a location's granularity ("street level", "a
    # region or city"): no data named
    r"\b(?:court|judicial|legal|government(?:al)?)\s+(?:legal\s+)?orders?\b|"
    r"(?<!your\s)\b(?:support|service|security|technical|transactional|system)\s+(?:messages?|notices?|alerts?)\b|"
    r"\be-?mail\s+(?:and\s+[\w-]+\s+)?(?:service\s+)?providers?\b|\bdepending\s+on\s+your\s+(?:[\w-]+\s+)?settings\b|"
    r"\b(?:and|or|to|help)\s+address\s+(?:[\w-]+\s+)?(?:activit\w+|harm\w*|abuse|violations?|misuse|incidents?|needs?|risks?|behaviou?r|content)\b|"
    r"\b(?:street|city)[\s-]level\b(?!\s+location)|\b(?:region|country|scale)\s+or\s+(?:of\s+)?(?:a\s+)?city\b|\bcountry,\s+city\b|"
    r"\bsending\s+(?:of\s+)?(?:e-?mails?|messages?|newsletters?)\b|"
    # another document pointed to by its title ("see our No-logging of user activity policy")
    r"\b(?:see|read|review|consult|refer\s+to)\s+(?:our|the)\s+(?:[\w-]+\s+){0,6}?(?:policy|notice|statement)\b|"
    # a document named after its topic ("as described in our Cookies Policy", "the Cookie Notice")
    r"\b(?:cookies?|tracking|location|data|information|privacy)(?:\s+(?:and|&)\s+[\w-]+)?\s+(?:policy|policies|notice|statement)\b", re.I)

#: Data held on our own systems ("temporarily stored in our server", "encrypted in our
#: databases"): a flow, however well it is protected.
HELD_BY_US = re.compile(
    r"\b(?:stored|kept|held|saved|encrypted)\s+(?:\w+\s+){0,3}?(?:in|on)\s+our\s+(?:own\s+)?"
    r"(?:databases?|servers?|systems?|infrastructure|data\s+cent(?:er|re)s?)\b", re.I)

#: Whom data is taken from when they are children ("from anyone under the age of 13", "from
#: minors"): in a promise not to collect, the data is children's data.
FROM_CHILDREN = re.compile(
    r"\b(?:from|about|of)\s+(?:(?:anyone|any\s+(?:one|person|individual)|people|persons|a\s+person|individuals|users?|"
    r"children|child|minors?|kids)\s+(?:who\s+(?:is|are)\s+)?(?:under|below|younger\s+than)\s+(?:the\s+age\s+of\s+)?\d+"
    r"|(?:a\s+|any\s+)?(?:children|child|minors?|kids)\b)", re.I)

#: Where a sentence says why ("... for the purposes of re-assigning your IP addresses"): data
#: named after it is the purpose's, not what the sentence processes.
FOR_PURPOSE_OF = re.compile(r"\bfor\s+the\s+(?:sole\s+)?purposes?\s+of\b", re.I)

#: Where such a purpose ends: a comma or semicolon, or "and"/"as well as" going on with more
#: of the reader's data ("... for the purposes of billing and your IP address to ...").
PURPOSE_END = re.compile(r"[,;]|\b(?:and|as\s+well\s+as)\s+(?:your|the|their|his|her)\b", re.I)

#: A list lead that announces purposes ("We use your data to:", "for the following purposes:").
PURPOSE_LEAD = re.compile(r"(?:\b(?:(?<!\blimited\s)(?<!\brestricted\s)to|in\s+order\s+to|in\s+the\s+context\s+of|for\s+the\s+purposes?\s+of)|\bpurposes?(?:\s+\w+){0,2}?)\s*:\s*$"
                          r"|\b(?:use|uses|used|process|processes|processed)\b[^:.;]{0,60}\b(?:for|ways|as\s+follows)\s*:\s*$"
                          r"|\b(?:use|process)\s+(?:the\s+|your\s+|such\s+)?(?:personal\s+)?(?:information|data)\s+(?:that\s+|which\s+)?we\s+(?:collect|receive|obtain|hold)\w*\s*:\s*$", re.I)

#: A list item that is a purpose ("to prevent fraud", "in order to answer you"), not data.
PURPOSE_ITEM = re.compile(r"^\W*(?:to|in\s+order\s+to)\s+(?!(?:the|our|your|a|an|any|other|third|us|you|them|whom)\b)[a-z]{3,}\b")

#: A list item of the form "Label: value" ("Purpose: support", "Data processing location: US").
FIELD_ITEM = re.compile(r"^(?P<label>[A-Z][\w /-]{1,40}?)\s*:\s+(?P<value>\S.*)$")

#: What a processing makes, just before a data phrase: the phrase is its output and names a
#: purpose ("in order to create anonymous usage statistics": statistics are the analytics).
MAKES = re.compile(r"\b(?:to|for)\s+(?:create|creating|compile|compiling|produce|producing|generate|generating)\s+"
                   r"(?:(?:an|the|our|anonymous|anonymi[sz]ed|aggregated?|statistical)\s+){0,3}$", re.I)

#: Where a negation's scope ends: at a clause of its own ("; but", ", however").
#: Data set apart from what a clause processes, with no verb of its own ("we may view file
#: names, but not your file contents"): a negation of that processing for the data named after it.
BUT_NOT = re.compile(r"\bbut\s+not\s+(?=(?:your|the|any|their|its)\s)", re.I)

CLAUSE_BREAK = re.compile(r";\s+|,?\s+(?:but|however|whereas|although|while)\s+(?=\w)|,\s+(?=(?:we|they|it)\s)"
                          r"|,?\s+and\s+(?=(?:does|do|will|is|are|can)\s+(?:not|never)\b)", re.I)

#: A sentence that announces a list or table ("We process the following categories of
#: personal data.", "The periods are as follows"): the list states the flows.
ANNOUNCES_LIST = re.compile(r"\b(?:the\s+following|as\s+follows|listed\s+below|set\s+out\s+below|below\s*[:.]?$|"
                            r"(?:data|information|details)\s+(?:described\s+|mentioned\s+)?below\b)", re.I)

#: Reaching the reader by a channel ("send you notices by email or SMS", "notifications will be
#: sent to the user via email", "a notice is sent to your email address"): the address or number
#: of that channel is used.
REACH_BY = re.compile(
    r"\b(?:send\w*|sent|notif\w*|notices?|contact\w*|inform(?:s|ed|ing)?|remind\w*|reach\w*)\b[^.;]{0,120}?"
    r"\b(?:by|via|through|per|to\s+(?:the|your)(?=\s+(?:e-?mail|phone)\b))\s+"
    r"(?P<first>e-?mail|sms|text\s+messages?|phone|telephone)(?:\s*(?:,|or|and|and/or|/)\s*"
    r"(?P<second>e-?mail|sms|text\s+messages?|phone|telephone))?\b", re.I)

#: Where data is processed, said of all personal data ("We only store and process your personal
#: data within the EU/EEA"): a place, not a flow of its own.
WITHIN_EEA = re.compile(r"\b(?:with)?in\s+the\s+(?:EU|EEA|European\s+(?:Union|Economic\s+Area))\b", re.I)

#: A clause that opens with its exception ("Aside from what you make public, none of ...").
LEADING_EXCEPT = re.compile(r"^(?:aside\s+from|apart\s+from|except\s+for|other\s+than|besides|unless)\b[^,]{0,300},\s*", re.I)

#: Who does not do something: a negation whose subject is the reader ("you don't have to
#: keep re-entering") is advice, not a promise.
READER_NEGATION = re.compile(r"(?:(?<!\babout\s)(?<!\bfrom\s)(?<!\bwith\s)(?<!\bfor\s)\byou|\bplease|\byou\s+(?:do|will|may|can|could|might)|\bthat\s+you)\s*$", re.I)

#: People other than us before a negation of collecting ("Premium users don't see ads",
#: "other members cannot read it"): what they do not do, not what we do not do with the data.
PEOPLE_NEGATION = re.compile(r"\b(?:users?|members?|customers?|subscribers?|visitors?|recipients?)\s*$", re.I)


def email_is_data(text: str, m: re.Match[str]) -> bool:
    """The word "email" names the address when it is the object of collecting or a list item,
    not a channel ("by email") or a message ("outgoing email")."""
    before = text[max(0, m.start() - 25): m.start()].lower()
    after = text[m.end(): m.end() + 12].lower()
    if re.search(r"(?:incoming|outgoing|ingoing|unwanted|the|an|this|that|in|of|spam)\s*$", before):
        return False
    if re.match(r"\s*(?:address|newsletter|marketing|message|content|is|was|and\s+phone)", after):
        return False
    if re.search(r"\(\s*$", before) and re.match(r"\s*[,)]", after):
        return True  # "contact data (email)", "identifiers (email, phone)"
    return bool(re.search(r"(?:your|and|or|,)\s*$", before)) or m.start() == 0


ITEM_HEAD = re.compile(r",|\s(?:so|to|in\s+order|in\s+case|which|because|for|when|if)\s|\s\(")

_CLAUSE_END = re.compile(r"\s(?=(?:we|your\s+\w+(?:\s+\w+)?\s+(?:will|is|are|may)|then)\s)", re.I)

_CLAUSE_VERB = re.compile(r"\s(?:is|are|was|were|will)\s", re.I)


def condition_clause(text: str) -> str:
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


_CASE_MARK = re.compile(r"(?:(?<=^)|(?<=[\s;:,]))\(?(?:[ivx]{1,5}|[a-h]|\d{1,2})\)\s+(?=\S)")


def inline_cases(text: str) -> list[str]:
    """The cases of an enumeration written inline after a colon ("Such cases include: i) to
    send newsletters; ii) to record your call."), each without its mark, or ``[]`` when the
    text enumerates nothing (two marks at least, in order from the first after the colon).

    Example:
        >>> inline_cases("Such cases include: i) to send newsletters; ii) to record your call.")
        ['to send newsletters', 'to record your call']
        >>> inline_cases("Contact us (a) by post.")
        []
    """
    colon = text.find(":")
    if colon < 0:
        return []
    marks = list(_CASE_MARK.finditer(text, colon + 1))
    if len(marks) < 2 or text[colon + 1: marks[0].start()].strip():
        return []
    ends = [m.start() for m in marks[1:]] + [len(text)]
    cases = [text[m.end(): end].strip(" ;,.") for m, end in zip(marks, ends, strict=True)]
    cases = [re.sub(r"[;,]?\s*(?:and|or)$", "", c).strip() for c in cases]
    return [c for c in cases if c]


def short(text: str, limit: int = 300) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def placeholder(text: str) -> bool:
    t = text.strip(" .–—-:*").lower()
    return (not t or t in {"all pages", "tbd", "todo", "n/a", "...", "…", "etc", "xxx", "lorem ipsum"}
            or bool(re.fullmatch(r"[\W_]*", t)) or t.startswith(("[insert", "insert ", "<")))


REGULATORY = re.compile(
    r"\b(?:GDPR|AVG|General\s+Data\s+Protection|Privacy\s+(?:Policy|Statement|Notice)|Cookie\s+(?:Policy|Statement)|"
    r"European|EEA|Data\s+Protection|Autoriteit|Authority|Regulation|Directive|Act|Shield|Framework|Clauses|"
    r"Terms|Guidelines|Conditions|Agreement)\b", re.I)

#: A capitalised name a policy gives a kind of data ("Account Creation Data", "Usage
#: Information", "Mobile Advertising IDs"): a label, not a party.
_DATA_LABEL = re.compile(r"\b(?:Data|Information|Details|Identifiers|IDs)\W*$")

#: A word of a name: at most 60 characters, so that a run of "A-A-A-..." is not scanned to its
#: end again from every letter (no real name has a longer word).
NAME_WORD = r"[A-Z][\w&.-]{0,60}"

#: A legal form as a company writes it after its name: capitalised ("GmbH", "AS", "Inc."), or
#: "plc", the one written in lower case; never the words "as" or "company" in running text.
_WRITTEN_LEGAL_FORM = rf"(?:(?=[A-Z]){legal_form_pattern()}|plc)"

_COMPANY = re.compile(
    rf"(?P<tm>\b{NAME_WORD}(?:\s+{NAME_WORD}){{0,3}})\s*[®™]"
    rf"|(?P<legal>\b[A-Z][\w&-]{{0,60}}(?:\s+[A-Z][\w&-]{{0,60}}){{0,3}}\s+{_WRITTEN_LEGAL_FORM})(?!\w)"
    r"|(?P<camel>\b[A-Z][a-z]{1,60}[A-Z][A-Za-z]{1,60}\b)"
    r"|\b(?:use|uses|using|via|through|with)\s+(?P<use>[A-Z][\w-]{1,60}(?:\s+[A-Z][\w-]{1,60}){0,2})\s+(?:to|as|for|which|that)\b")


def company_like(text: str) -> list[tuple[str, int]]:
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


#: A name as written in a list of providers: a capitalised word or a few ("Google Cloud
#: Platform", "Authorize.net", "VWO"), ® or ™ allowed after it.
_PARTY = r"[A-Z][\w.&-]{0,40}(?:\s+[A-Z][\w.&-]{0,40}){0,3}[®™]?"

#: Names given in a row ("Stripe®, Chargify, Aria, and Authorize.net").
_ENUMERATION = re.compile(rf"(?<![\w.])({_PARTY})((?:\s*,\s*{_PARTY}){{1,20}}),?\s+(?:and|or|&)\s+({_PARTY})(?![\w])")

#: A span in quotation marks (a title, a defined term).
_QUOTED = re.compile(r"[“\"][^“”\"\n]{3,200}[”\"]")

#: A name after a disclosure ("share your contact information with ARIN").
_GIVEN_TO = re.compile(
    rf"\b(?:share[sd]?|sharing|disclos\w+|provid\w+|sen[dt]\w*|transfer\w*|pass\w*|forward\w*|sell\w*|rent\w*)\s+"
    rf"(?:[\w'’]+\s+){{0,5}}?(?:with|to)\s+(?P<name>{_PARTY})")

#: Capitalised words that start sentences or name things other than companies.
_NOT_PARTY = re.compile(
    r"^(?:We|Us|Our|You|Your|The|This|That|These|Those|It|They|Them|Its|Their|Third|Any|All|Some|Other|Such|Each|"
    r"Personal|Data|Information|Services?|Website|Site|Platform|Privacy|Policy|Terms|Cookies?|Account|Users?|"
    r"Customers?|Partners?|Providers?|If|When|In|For|To|As|By|On|At|And|Or|With|From|Please|Note|Law|Laws|"
    r"Email|E-mail|Internet|Web|App|Apps|Mobile|iOS|Android|English|Member|States?|Union|Government|Court|Police)\b")


#: Words that name a kind of party, capitalised or not: a name made of these and the words
#: above is a category ("Other Users", "Trusted Partners"), never a company.
_KIND_OF_PARTY = re.compile(r"(?:other|third|parties|users?|members?|people|customers?|clients?|advertisers?|vendors?|providers?|"
                            r"suppliers?|contractors?|agents?|trusted|selected|external|business|commercial|corporate)", re.I)

#: Words around a name in a table's cell of recipients ("Entitled Iliad service", "Legal
#: Department"): what remains is the name.
_CELL_WORDS = re.compile(
    r"\b(?:entitled|authori[sz]ed|competent|relevant|legal|department|team|services?|partners?|group|"
    r"companies|company|entities|entity|subsidiaries|affiliates?|staff|employees|teams?|for|the|of|and|its|our)\b", re.I)


#: The word that makes a recipients cell name someone outside the organisation, whoever it is
#: ("Acme partner for debt collection", "Service provider concerned").
THIRD_PARTY_WORD = re.compile(
    r"\b(?:partners?|providers?|suppliers?|processors?|sub-?processors?|subcontractors?|vendors?|contractors?|"
    r"third[\s-]part(?:y|ies)|authorit(?:y|ies)|agenc(?:y|ies)|advisers?|advisors?|auditors?|insurers?|banks?)\b", re.I)


def cell_party(cell: str) -> str:
    """The name in a recipients cell once its generic words are dropped ("Entitled Iliad
    service" → "Iliad"), or "" when only generic or lower-case words remain.

    Example:
        >>> cell_party("Entitled Iliad service"), cell_party("Legal Department")
        ('Iliad', '')
    """
    head = re.split(r"\s(?:for|in|involved|concerned|such\s+as)\b|\(", cell, maxsplit=1)[0]
    # The cell's first word is capitalised as any first word is: a name stands after it.
    words = [w for w in head.split()[1:] if w[:1].isupper() and not _CELL_WORDS.fullmatch(w)]
    name = " ".join(words).strip(" ,.;()")
    return "" if len(name) < 3 or _NOT_PARTY.fullmatch(name) or REGULATORY.search(name) else name


def named_parties(text: str) -> list[tuple[str, int]]:
    """Names that stand where a recipient stands: in a run of names ("Stripe®, Chargify, Aria,
    and Authorize.net"), after a disclosure ("share ... with ARIN"), or shaped as a company
    (a legal form, ®, CamelCase). Whether they are companies is for the caller to judge by
    what else the sentence says.

    Example:
        >>> [n for n, _ in named_parties("We use Stripe®, Chargify, Aria, and Authorize.net to bill you.")]
        ['Stripe', 'Chargify', 'Aria', 'Authorize.net']
    """
    out: list[tuple[str, int]] = []
    for m in _ENUMERATION.finditer(text):
        pos = m.start(1)
        parts = [m.group(1), *re.split(r"\s*,\s*", m.group(2).strip(" ,")), m.group(3)]
        if any(p and _DATA_LABEL.search(p) for p in parts):
            continue  # "Usage Data, Device and Equipment Data": the policy's names for data, not parties
        for part in parts:
            if not part:
                continue
            at = text.find(part, pos)
            out.append((part, at if at >= 0 else m.start()))
            pos = max(pos, at)
    for m in _GIVEN_TO.finditer(text):
        out.append((m.group("name"), m.start("name")))
    out.extend(company_like(text))
    seen: set[str] = set()
    keep: list[tuple[str, int]] = []
    # a law or document quoted by its title ("the “Regulation on Terminology, Forms, and Methods of
    # Statements”"): the words of its title are no parties
    titled = [q.span() for q in _QUOTED.finditer(text) if REGULATORY.search(q.group(0))]
    for name, start in out:
        if any(a <= start < b for a, b in titled) or not_a_party(text, name, start):
            continue
        name = name.rstrip("®™ .").strip()
        words = name.split()
        while words and _NOT_PARTY.match(words[0]):
            words = words[1:]
        name = " ".join(words)
        if len(name) < 3 or name in seen or _NOT_PARTY.fullmatch(name) or REGULATORY.search(name) or _DATA_LABEL.search(name) \
                or all(_CELL_WORDS.fullmatch(w) or _NOT_PARTY.fullmatch(w) or _KIND_OF_PARTY.fullmatch(w) for w in words):
            continue  # ("Our Group Companies", "Selected Third Parties": a kind of party, no one's name)
        seen.add(name)
        keep.append((name, start))
    return without_ordinary(text, keep)  # ("Introduction", "Community Stories": no company)


#: A list item that is nothing but a link ("[Cookie policy](https://...)").
LINK_ONLY = re.compile(r"^\[[^\[\]]+\]\([^()\s]+\)[.;]?$")

#: An item's bold or italic label at its start ("**Third Parties**. We may collect ...",
#: "_With our partners._ We may share ..."): emphasis opened and closed by the same marks.
BOLD_LABEL = re.compile(r"^\s*(\*\*|__|\*(?!\*)|_(?!_))(?=\S)((?:(?!\1).){1,100}?)(?<=\S)\1(?:(?<=\*\*|__)|(?![\w*]))")

#: A paragraph's topic before a colon ("IP addresses: We may share your contact details with
#: ..."), one to six words, then a sentence of its own: a title, not what the sentence processes.
TOPIC_LABEL = re.compile(r"^\s*[A-Z][\w'’&/-]*(?:\s+[\w'’&/-]+){0,5}\s*:\s+(?=[A-Z])")

#: Just before a word for people, words that make them the ones serving the reader, not the
#: ones whose data is processed: "while we locate an available consultant", "connect you with
#: one of our agents", "speak to a representative".
STAFF_ROLE = re.compile(
    r"\b(?:locat\w*|assign\w*|find(?:s|ing)?|connect\w*\s+you\s+(?:to|with)|transfer\w*\s+you\s+to|"
    r"(?:speak|talk)\w*\s+(?:to|with)|wait\w*\s+for|put\s+you\s+through\s+to)\s+"
    r"(?:an?\s+|the\s+|one\s+of\s+our\s+|our\s+)?(?:available\s+|free\s+|qualified\s+)?$", re.I)

#: Names that read as negations: the "Do Not Track" browser signal, a "Do Not Sell My Personal
#: Information" link (capitalised as names are; "we do not track you" and the title "We Do Not
#: Sell Your Personal Information" are promises).
NAMED_NOT = re.compile(r"(?<!\bWe\s)(?<!\bwe\s)\bDo\s+Not\s+(?:Track|Sell|Share|Call)(?:\s+(?:or\s+Share\s+)?My\s+Personal\s+(?:Information|Data))?\b|(?i:\bdo[\s-]+not[\s-]+(?:track|sell|share|call)(?:\s+(?:or|and|/)\s+(?:sell|share))?(?:\s+my(?:\s+personal)?\s+(?:information|data|info))?)(?=[’'\x22”]?\s+(?i:signals?|requests?|settings?|links?|options?|lists?|preferences?|registry|mechanisms?|headers?|buttons?|forms?)\b)")

#: One lower-case word in quotes ("'sell'", "“share”"), read as the word itself (a defined
#: term, "“we”" or "“Services”", keeps its quotes). The quotes' width is kept
#: (a space each side) so that offsets into the sentence stay where they were.
QUOTED_WORD = re.compile(r"[‘'\"“](?!(?:we|us|our|you|your)[,.;]?[’'\"”])([a-z][a-z-]{1,20})([,.;]?)[’'\"”](?![A-Za-z])")  # “sell,”
