"""Cue phrases that say a sentence states no flow of ours, or another flow than its verb
suggests: someone else's collecting, the controller's own service, what it does not control,
keeping or deleting with no period, a destination abroad, a list's topics, a negation typed
twice. Found wanting on real policies outside the corpus (issue 17); each has a test in
``tests/test_policy_extract_negations.py`` or ``tests/test_policy_extract_vocabulary.py``.
"""

from __future__ import annotations

import re

__all__ = ["ABROAD", "ADVICE", "DETACHED", "DOUBLED_NOT", "HEDGED", "KEEPS_OR_DELETES", "NO_CONTROL", "OWN_SERVICE", "REVEALS", "THEIR_DOING", "TOPIC_LEAD", "YOU_SHARE"]

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
#: it", "this is outside of our control"): no flow of its own.
NO_CONTROL = re.compile(r"\b(?:do|does|can)\s*(?:not|n['’]t)\s+control\b|\b(?:outside|beyond)\s+(?:of\s+)?our\s+control\b", re.I)

#: Keeping or deleting as what we do ("we will retain", "need to retain", "will be deleted",
#: "the process of deleting"): not "to keep ads relevant", not the reader's "you can delete".
KEEPS_OR_DELETES = re.compile(
    r"\b(?:we|will|may|must|to|shall|be|been|is|are)\s+(?:\w+\s+){0,2}?(?:retain(?:ed)?|delet(?:e|ed)|eras(?:e|ed)|"
    r"destroy(?:ed)?|purg(?:e|ed))\b|\bprocess\s+of\s+(?:delet|eras)\w*", re.I)

#: A destination abroad named without a country ("to countries other than yours", "across
#: borders", "outside the European Union"): a disclosure there is a transfer.
ABROAD = re.compile(
    r"\b(?:across\s+(?:national\s+)?borders|cross[-\s]border|to\s+(?:other|third|foreign)\s+countr(?:y|ies)|to\s+countries|"
    r"outside\s+(?:of\s+)?(?:the\s+)?(?:European\s+Union|EU|European\s+Economic\s+Area|EEA|United\s+Kingdom|UK)|abroad)\b", re.I)

#: A list's lead whose items are topics, not flows: what the policy explains, the security
#: measures taken, what the reader can control ("This Privacy Policy explains:", "These
#: measures may include:", "You may also control:").
TOPIC_LEAD = re.compile(
    r"\b(?:this|our)\s+(?:privacy\s+)?(?:policy|notice|statement)\s+(?:explains|describes|covers|sets\s+out|tells\s+you)\s*:?\s*$"
    r"|\b(?:measures|safeguards)\s+(?:may\s+|will\s+|can\s+)?(?:include|includes|such\s+as)\s*:?\s*$"
    r"|\byou\s+(?:may|can)\s+(?:also\s+)?(?:control|choose|decide|manage|change|adjust)\s*:?\s*$", re.I)

#: A negation written twice by mistake ("we do not do not share"): read once (the second
#: copy is blanked, so offsets into the sentence stay where they were).
DOUBLED_NOT = re.compile(r"\b((?:do|does|did|will|would|can|may|must|shall)\s+not)(\s+\1\b)", re.I)

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
    r"\bwe\s+(?:also\s+|strongly\s+)?(?:advise|recommend|encourage|suggest|urge)\s+(?:that\s+)?you\b"
    r"|\byou\s+can\s+(?:also\s+)?(?:use|install|take)\s+(?:a|an|additional|other|extra)\s+(?:[\w-]+\s+){0,3}?"
    r"(?:service|steps?|tools?|extensions?|browsers?|vpn)\b", re.I)

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
