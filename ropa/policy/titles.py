"""Titles written into a policy's text: a list item's bold or run-in title, and the name of a
part of the policy given in a cross-reference. A title names what follows; it states no flow
and names no data.
"""

from __future__ import annotations

import re

__all__ = ["SECTION_NAME", "item_title", "run_in_title"]

#: Words a title leaves in lower case ("Sharing in the Event of a Merger").
_TITLE_SMALL = re.compile(r"(?:a|an|the|and|or|nor|of|to|in|on|for|with|from|by|at|as|via|per|into|about|your|our)", re.I)

#: What makes a title a heading's clause or question ("Personal Information We Collect", "How We
#: Use Your Data"), not the name of a datum ("Email Address").
_HEADING_CLAUSE = re.compile(r"\b(?:we|you|how|what|when|why|where|who|which)\b", re.I)


def item_title(label: str, alone: bool = False) -> bool:
    """Whether a list item's bold label is its title, not a statement: written as titles are
    (every word capitalised but the small ones, or all in capitals; at most twelve words; no
    sentence inside). The item's sentences say what is done. A label that is the whole item is
    a title only when it reads as a heading's clause or question ("Personal Information We
    Collect from Other Sources"): "**Email Address**" alone is data named in a list.

    Example:
        >>> item_title("Payment Information."), item_title("We collect your email.")
        (True, False)
        >>> item_title("How We Use Your Data", alone=True), item_title("Email Address", alone=True)
        (True, False)
    """
    text = label.strip().rstrip(".:")
    words = re.findall(r"[^\W\d_][\w'’-]*", text)
    if not words or len(words) > 12 or re.search(r"[.;!?]\s", text):
        return False
    cased = text.isupper() or all(w[:1].isupper() for w in words if not _TITLE_SMALL.fullmatch(w))
    return cased and (not alone or bool(_HEADING_CLAUSE.search(text)))


def run_in_title(first: str) -> bool:
    """Whether the first sentence of a list item of several sentences, written plain (not in
    bold), is the item's run-in title: a few words in Title Case ending with a full stop, with
    no clause of its own ("Device Details. We log ..."): the sentences after it say what is done.

    Example:
        >>> run_in_title("Device Details."), run_in_title("We Sell Nothing."), run_in_title("Device details.")
        (True, False, False)
    """
    text = first.strip()
    return text.endswith(".") and len(text.split()) <= 6 and item_title(text) and not _HEADING_CLAUSE.search(text) \
        and not _TITLE_VERB.search(text)


#: A verb written in a title ("We Do Not Sell", "Sharing Is Caring"): a statement, not a name.
_TITLE_VERB = re.compile(r"\b(?:do|does|did|not|never|is|are|was|were|will|may|can|sell|share|collect|use|disclose)\b", re.I)


#: A part of the policy named in a cross-reference ("as described in How We Use Your
#: Information", "see Section 5 'How we share your data'"): a title, not data processed.
SECTION_NAME = re.compile(
    r"\b(?:described|explained|set\s+out|detailed|listed|outlined|discussed|see|refer\s+to)\s+(?:in\s+|under\s+)?"
    r"(?:(?:the|our)\s+)?(?:(?:section|heading|paragraph|chapter)\s+)?(?:\d+(?:\.\d+)*[.)]?\s+)?"
    r"(?:[\"“‘'][^\"”’'\n]{3,80}[\"”’']|(?-i:[A-Z][\w'’-]*)(?:\s+(?:(?-i:[A-Z][\w'’-]*)|of|and|the|to|for|with|we|you|your|our|in|on|a|an)){1,10})",
    re.I)
