"""Data named only in an aside: a condition on the reader's act ("if you sign up for email
updates, we collect information about your interests") or an example of it ("(e.g., when you
contact support)", "such as when you sign up for our newsletter"). The aside says when the
flow happens, not what data it carries: its words are not the statement's data unless the
main clause names them too. Found wanting on real policies outside the corpus (issue 17);
tests in ``tests/test_policy_asides.py``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .datawords import GENERIC_DATA, own_generic_data
from .lexicon import Mention

__all__ = ["EXAMPLE_OF_ACT", "aside_spans", "outside_asides"]

#: An example of the reader's act ("e.g., when you sign up", "for example, if you contact
#: us", "such as when you post"), to a closing bracket, a semicolon, the main clause that
#: follows it (", we receive ...") or the sentence's end.
EXAMPLE_OF_ACT = re.compile(
    r"\b(?:e\.\s?g\.|for\s+example|for\s+instance|such\s+as|like)\s*,?\s*"
    r"(?:when(?:ever)?|if|where|once|after|by)\s+(?:you|users?|members?|customers?)\b"
    r"(?:(?!,\s*(?:we|our|they|it|this|that)\b)[^();])*", re.I)  # (to the main clause: "..., we receive")


#: The reader's act hands the data over ("when you upload files", "if you send us your
#: address"): the aside's data is then what flows.
_GIVES = re.compile(r"\b(?:upload|send|provide|give|submit|enter|share|post|store|transfer)(?:s|ed|ing)?\b", re.I)


#: What may stand before data named in general: nothing, a determiner or a verb of handling.
_PLAIN_BEFORE = re.compile(
    r"(?:^|[*_(,;:]|\b(?:your|their|the|some|any|certain|other|additional|more|of|about|collect(?:s|ed)?|"
    r"receive[sd]?|use[sd]?|process(?:es|ed)?|gather(?:s|ed)?|obtain(?:s|ed)?|store[sd]?|keep|hold)\s+)\s*$", re.I)


def aside_spans(scope: str, condition: str = "") -> list[tuple[int, int]]:
    """Where the asides of a sentence stand (start, end): its examples of the reader's act
    and its condition (``condition``, as ``cues.condition_clause`` found it).

    Example:
        >>> s = "We collect your interests (e.g., when you sign up for email updates)."
        >>> [s[a:b] for a, b in aside_spans(s)]
        ['when you sign up for email updates']
    """
    spans = [(m.start(), m.end()) for m in EXAMPLE_OF_ACT.finditer(scope)]
    # (the example's own words from "when": "e.g." itself names nothing)
    spans = [(a + re.search(r"(?i)when|if|where|once|after|by", scope[a:b]).start(), b) for a, b in spans]  # type: ignore[union-attr]
    if condition and (c0 := scope.find(condition)) >= 0:
        spans.append((c0, c0 + len(condition)))
    return spans


def outside_asides(scope: str, data: Sequence[Mention], spans: Sequence[tuple[int, int]]) -> list[Mention]:
    """The data a sentence names outside its asides (``spans``). When it names data only in
    them, the main clause's own data named in general ("information", "details") is the
    statement's data, as the root ``user``; with none, the aside's data stands (a main
    clause that names nothing may speak of it: "if you give us your email, we use it to ...").

    Example:
        >>> s = "If you sign up for email updates, we collect information about your interests."
        >>> m = [Mention("data_category", "user.contact.email", 18, 23, "email")]
        >>> [d.key for d in outside_asides(s, m, [(0, 32)])]
        ['user']
        >>> s = "If you give us your email, we use it to write to you."
        >>> m = [Mention("data_category", "user.contact.email", 20, 25, "email")]
        >>> [d.key for d in outside_asides(s, m, [(0, 25)])]
        ['user.contact.email']
    """
    def aside(d: Mention) -> bool:
        return any(a <= d.start < b for a, b in spans)

    out = [d for d in data if not aside(d)]
    if out or not data or any(_GIVES.search(scope, a, b) for a, b in spans):
        return out or list(data)
    main = "".join(" " if any(a <= i < b for a, b in spans) else ch for i, ch in enumerate(scope))
    for at in GENERIC_DATA.finditer(main):
        # data named in general ("information about your interests"), not of a kind the
        # taxonomy does not know ("precise tracking data": its kind is the aside's)
        if _PLAIN_BEFORE.search(main, 0, at.start()) and own_generic_data(main[: at.end()]):
            return [Mention("data_category", "user", at.start(), at.end(), at.group(0))]
    return list(data)
