"""Sentences that define: a data word ("A cookie is a small file"), the controller as "we"
("Acme Ltd (“we”, “us”)"), a term for parties ("hereinafter the “Partners”"), or a term the
sentence opens with ("Personal Data can include your name and email address", "User Content
means text and images you post", "“Device Information” includes ..."); :func:`defines` reads
them all. A definition tells what a word covers, not what anyone does with the data: it
states no flow.
"We collect Personal Data, which includes your name" is a collection (the sentence opens
with the act, not the term). Found wanting on real policies outside the corpus (issue 17);
tests in ``tests/test_policy_definitions.py``.
"""

from __future__ import annotations

import re

__all__ = ["DEFINES_TERM", "DEFINES_WE", "DEFINITION", "TERM_DEFINED", "defines", "defines_term"]

#: A word of a term as policies capitalise it ("Personal Data", "User Content", "Usage Data").
_CAP = r"[A-Z][\w-]*"

#: The term a definition opens with: in quotes ("“Device Information”"), or two or more
#: capitalised words ("Personal Data", "User Content"), or "personal data/information" in any
#: case; after an optional article or "your". Not "this/such information" (that points back
#: to what was said), not "information we collect" (an act).
_TERM = (r"(?:[\"“‘'][^\"”’'\n]{1,40}[\"”’']"
         r"|(?i:personal\s+(?:data|information)|personally\s+identifiable\s+information))")

#: A term written in capitals only ("User Content", "Log Data"): often the name a policy gave
#: to data it has just said it collects ("we refer to this information as Log Data"), so only
#: "means", "refers to" or "is defined as" make it a definition; "Log Data may include your IP
#: address" lists what that collection holds.
_CAP_TERM = rf"(?!(?:Our|We|You|Your|They|Their|This|These|That|Those|Such|Some|All|Any|Other|Each|Third)\b){_CAP}(?:\s+{_CAP}){{1,3}}"

#: The verb of a definition, with an optional modal ("can include", "may also include", "is
#: defined as", "consists of", "refers to", "means").
_DEFINES = (r"(?:(?:can|may|might|could|will|would)\s+(?:also\s+)?)?"
            r"(?:includes?|include|consists?\s+of|comprises?|means?|refers?\s+to|(?:is|are)\s+defined\s+as)\b")

#: A definition: the sentence opens with the term, then the verb of a definition.
TERM_DEFINED = re.compile(rf"^[\s*_\[(]*(?:(?i:the|an?|your|any)\s+)?(?:{_TERM}[\s*_\])]*,?\s+{_DEFINES}"
                          rf"|{_CAP_TERM}[\s*_\])]*,?\s+(?:means?|refers?\s+to|(?:is|are)\s+defined\s+as)\b)")


def defines_term(sentence: str) -> bool:
    """Whether a sentence (not a list item: an item names data a lead-in collects) defines a
    term rather than stating a flow.

    Example:
        >>> defines_term("Personal Data can include your name, email address and IP address.")
        True
        >>> defines_term("User Content means text, images and videos you post.")
        True
        >>> defines_term("Log Data may include your IP address and browser type.")
        False
        >>> defines_term("“Device Information” means data about your device.")
        True
        >>> defines_term("We collect Personal Data, which includes your name and email address.")
        False
        >>> defines_term("The information we collect includes your name.")
        False
        >>> defines_term("This information may include your address.")
        False
        >>> defines_term("Our Service Providers include Acme and Initech.")
        False
    """
    return bool(TERM_DEFINED.match(sentence))


#: A definition ("A cookie is a small file", "Personal data means any information", "which
#: is any information about you"): it names data and states no flow.
DEFINITION = re.compile(
    r"^(?:an?\s+|the\s+|[\"“‘']\s*)?(?:[\w-]+\s+){0,3}?(?:cookies?|personal\s+(?:data|information)|pii|web\s+beacons?|"
    r"pixels?|log\s+files?|data|information)[\"”’']?\s+(?:is|are|means?|refers?\s+to)\s+"
    r"(?:an?|any|small|the|pieces?|information|data|text|files?)\b"
    r"|\bwhich\s+(?:is|means)\s+any\s+information\b", re.I)

#: The sentence that introduces the controller ("Acme Ltd (“we”, “us”)"): no flow of its own.
DEFINES_WE = re.compile(r"\([^()]{0,120}?[\"“”'‘’]\s*(?i:we|us)\s*[,\"“”'‘’][^()]{0,120}\)")

#: A term defined in the sentence ("... and other partners (hereinafter collectively referred to
#: as the “Partners”)", "(collectively, the “Vendors”)"): with no data named, a definition.
DEFINES_TERM = re.compile(
    r"\b(?:hereinafter|hereafter)\b|\b(?:collectively|together)\s*,?\s+(?:(?:referred\s+to|known)\s+as\s+|called\s+)?"
    r"(?:the\s+|as\s+)?[“\"‘'][^”\"’'\n]{1,40}[”\"’']", re.I)


def defines(sentence: str, names_data: bool, item: bool = False) -> bool:
    """Whether a sentence is a definition of any kind, stating no flow: of a data word ("A
    cookie is a small file", "Personal data means any information"), of the controller as
    "we" ("Acme Ltd (“we”, “us”)"), of a term for parties when it names no data
    (``names_data`` false: "... (hereinafter the “Partners”)"), or, not as a list item, a
    sentence opening with a defined term (:func:`defines_term`).

    Example:
        >>> defines("A cookie is a small text file stored by your browser.", True)
        True
        >>> defines("Our partners (hereinafter the “Partners”) help us.", False)
        True
        >>> defines("We collect your email address.", True)
        False
    """
    text = sentence.strip()
    return bool(DEFINITION.search(text) or DEFINES_WE.search(sentence) or (not names_data and DEFINES_TERM.search(sentence))
                or (not item and defines_term(text)))
