"""Negations and their scope: which negation of a sentence is a promise of ours, and what a
negation that is none hides.

A sentence read as a positive flow must not take that flow from inside a negation. "We don't
make money from selling your data", "we will never email you to ask for your password", "we
do not offer incentives tied to the disclosure of your data": the data verb stands in the
scope of a negation that belongs to another verb; the sentence states no flow we can read
for sure (it goes to review as an unclear negation), and data named only inside such a scope
("papers that do not contain your messages") is no data of the flow the sentence states.

The scope of a negation runs from its word to the end of its clause: a semicolon, colon,
parenthesis or dash, a comma before a new subject ("..., but we share it"), a conjunction
that opens a clause ("but", "unless", "because"), a relative word ("which", "who", "when";
"that" only where it does not follow a verb or noun of knowing or saying: "we have no
knowledge that it sells" keeps "sells" inside), and, for a negation inside a relative clause
("data that does not identify you may be shared"), its first comma or the next auxiliary.
"not ... without" affirms ("we could not serve you without transferring it"); "not limited
to", "not only", "whether or not" negate nothing, nor does "no other" (it limits: "we store
your name and no other data about your contacts").
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from functools import lru_cache

from .cues import (
    COLLECT,
    HANDS_ON,
    NEG_COLLECT,
    PEOPLE_NEGATION,
    PUBLIC,
    READER_NEGATION,
    SHARE,
    TRACK,
    USE,
)
from .lexicon import Mention
from .nonflow import IMPERATIVE_NOT, choice_or_condition

__all__ = ["COMPARATIVE_LIMIT", "hidden_in_negation", "limit_not_denial", "negation_scopes", "promise"]

_NEGATION = re.compile(r"\b(?:not|never|nor|refus\w*|refrain\w*|avoid\w*|prohibit\w*|forbid\w*)\b|n['’]t\b|\bno\b(?!\s+(?:later|sooner|matter|longer|more|further|less)\b)", re.I)

#: Negation words that negate no processing.
_NEGATES_NOTHING = re.compile(r"(?:\bnot|n['’]t)\s+(?:limited|restricted)\s+to\b|\bnot\s+(?:only|just|merely|least)\b"
                              r"|\bwhether\s+or\s+not\b|\bor\s+(?:may|might|can|could|will|would|do|does|did|is|are)\s+not\b|\bor\s+not\b|\bif\s+not\b|\bnot\s+vice\s+versa\b|\bno\s+other\b", re.I)

_KNOWING = r"(?:know\w*|aware\w*|believe\w*|think\w*|say|says|said|claim\w*|mean|means|guarantee\w*|warrant\w*|represent\w*|imply|implies|ensure\w*)"

_SCOPE_END = re.compile(
    r"[;:()\[\]]|\s[–—-]\s|,\s*(?:(?:and|or|but|so|yet|however|although|though|while|whereas)\s+)?"
    r"(?:we|you|they|it|this|these|those|he|she|there|our\s+\w+\s+(?:is|are|will|may|can))\b"
    r"|\b(?:but|however|although|though|whereas|unless|except|because|since|so\s+that|instead|rather\s+than|"
    r"which|who|whom|whose|where|when|if)\b", re.I)
_THAT = re.compile(r"\bthat\b", re.I)
_KNOWING_BEFORE = re.compile(rf"\b{_KNOWING}\s+$", re.I)

#: A negation in a relative clause ("data that does not identify you may be shared"): its
#: scope ends at the clause's first comma or at the main clause's verb.
_RELATIVE = re.compile(r"\b(?:that|which|who|whom)\s+(?:\w+\s+){0,2}$", re.I)
_RELATIVE_END = re.compile(r",|\b(?:may|might|will|would|can|could|shall|should|must|is|are|was|were)\b", re.I)

#: A limit put as a negation of more ("we don't use more of your data than is necessary",
#: "no longer than we need it"): how much, not whether.
COMPARATIVE_LIMIT = re.compile(
    r"\b(?:more|longer|further|beyond)\b(?:\s+[\w'’-]+){0,8}?\s+than\s+(?:(?:is|are|it\s+is|we|they)\s+)?"
    r"(?:strictly\s+|reasonably\s+|absolutely\s+)?(?:necessary|needed|required|need\w*)\b", re.I)

#: The cue words each positive action is read from.
_CUES: dict[str, tuple[re.Pattern[str], ...]] = {
    "collect": (COLLECT,),
    "use": (USE,),
    "track": (TRACK, USE),
    "share": (SHARE, HANDS_ON, USE, COLLECT, PUBLIC),
    "transfer": (SHARE, HANDS_ON, USE, COLLECT),
}


@lru_cache(maxsize=16)
def _marks(text: str) -> tuple[list[int], list[int], list[int], list[int]]:
    """Where clauses end, where a relative clause's scope may end, where "without" stands and
    where a comparative limit starts in ``text``: found once, so that a sentence of many
    negations is read in linear time."""
    ends = [m.start() for m in _SCOPE_END.finditer(text)]
    ends += [t.start() for t in _THAT.finditer(text) if not _KNOWING_BEFORE.search(text[max(0, t.start() - 20): t.start()])]
    return (sorted(ends), [m.start() for m in _RELATIVE_END.finditer(text)],
            [m.start() for m in re.finditer(r"\bwithout\b", text, re.I)], [m.start() for m in COMPARATIVE_LIMIT.finditer(text)])


def _next(marks: list[int], start: int, default: int) -> int:
    i = bisect_left(marks, start)
    return marks[i] if i < len(marks) else default


def _clause_end(text: str, start: int) -> int:
    """Where the clause going on at ``start`` ends ("that" after a verb or noun of knowing or
    saying opens no clause of its own)."""
    return _next(_marks(text)[0], start, len(text))


def _limit_within(text: str, start: int, stop: int) -> bool:
    """Whether a comparative limit starts between ``start`` and ``stop``."""
    return _next(_marks(text)[3], start, len(text) + 1) < stop


#: A negation whose subject is the reader ("if you have not shared your location with us, we
#: estimate it"): what it names is the reader's, not data kept out of our flow.
_READER_BEFORE = re.compile(r"\byou\s+(?:\w+\s+){0,2}(?:do|does|did|ca|wo|have|has)?$", re.I)


def negation_scopes(text: str, ours: bool = False) -> list[tuple[int, int]]:
    """The spans of ``text`` that its negations hold: from the negation word to the end of its
    clause (a double negation, "not ... without", holds nothing after the "without"); with
    ``ours``, only negations whose subject is not the reader.

    Example:
        >>> t = "We don't sell your data, but we share it with our host."
        >>> [t[a:b] for a, b in negation_scopes(t)]
        ["n't sell your data"]
    """
    spans: list[tuple[int, int]] = []
    for m in _NEGATION.finditer(text):
        if ours and _READER_BEFORE.search(text[max(0, m.start() - 24): m.start()]):
            continue
        if any(n.start() <= m.start() < n.end() for n in _NEGATES_NOTHING.finditer(text, max(0, m.start() - 12), m.end() + 20)):
            continue
        _, rel_ends, withouts, _ = _marks(text)
        stop = _clause_end(text, m.end())
        if _RELATIVE.search(text[max(0, m.start() - 30): m.start()]):
            stop = min(stop, _next(rel_ends, m.end() + 1, stop))
        stop = min(stop, _next(withouts, m.end(), stop))  # "not ... without": affirmed from there
        spans.append((m.start(), stop))
    return spans


def limit_not_denial(text: str) -> bool:
    """Whether a negation of the sentence denies only more than a limit ("we don't want to use
    more of your data than is necessary"): a minimisation, no flow denied or stated.

    Example:
        >>> limit_not_denial("We will not keep your data longer than it is necessary.")
        True
    """
    return bool(re.search(r"\bno\s+(?:longer|more|further)\s+than\b", text, re.I) and COMPARATIVE_LIMIT.search(text)) \
        or any(_limit_within(text, a, b) for a, b in negation_scopes(text))


def hidden_in_negation(action: str | None, text: str, data: Sequence[Mention] = ()) -> tuple[bool, set[str]]:
    """Whether a positive ``action`` read from ``text`` stands only inside negations (every
    cue word it is read from lies in a negation's scope: no flow we can read for sure), and the
    data categories named only inside them (none of the flow's; personal data in general is
    left to the flow).

    Example:
        >>> hidden_in_negation("share", "We don't make money from selling your data.")[0]
        True
        >>> hidden_in_negation("share", "It is not willingly shared, but we may disclose it to the police.")[0]
        False
    """
    spans = negation_scopes(text)
    if not spans:
        return False, set()

    def inside(at: int) -> bool:
        return any(a <= at < b for a, b in spans)

    cues = [m.start() for rx in _CUES.get(action or "", ()) for m in rx.finditer(text)]
    hidden = bool(cues) and all(inside(c) for c in cues)
    ours = negation_scopes(text, ours=True)
    outside = {d.key for d in data if not any(a <= d.start < b for a, b in ours)}
    return hidden, {d.key for d in data if d.key != "user"} - outside


def promise(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    """The first negation of a pattern that is a promise of ours: not one whose subject is the
    reader ("you don't have to") or other people, not advice ("never share it"), not a hedge
    ("not necessarily"), not a relative clause's ("jurisdictions that may not provide
    equivalent protection", "an agent who does not provide a power of attorney"), not a
    limit ("we don't use more of your data than is necessary"), and not one whose verb is
    another's object ("this policy does not cover the use of cookies by others").

    Example:
        >>> from ropa.policy.cues import NEG_SHARE
        >>> promise(NEG_SHARE, "We do not sell your data.") is not None
        True
        >>> promise(NEG_COLLECT, "This policy does not cover the use of cookies by others.") is None
        True
    """
    for m in pattern.finditer(text):
        if READER_NEGATION.search(text[max(0, m.start() - 20): m.start()]) or choice_or_condition(text, m.start()):
            continue  # the reader's choice, or a condition of ours ("if we do not offer an opt-out, ...")
        before = text[max(0, m.start() - 20): m.start()]
        if IMPERATIVE_NOT.match(m.group(0)) and (
                re.search(r"(?:[,;]|\b(?:instance|example),?)\s*$", before) or (m.start() == 0 and m.group(0)[:1].isupper())
                or (re.search(r"\b(?:and|or)\s*$", before) and not re.search(r"\b(?:we|us|our)\b", text[: m.start()], re.I))):
            continue  # advice with no subject: "If you are under 13, do not provide data to us", "Never share it",
            # "use a personal address and do not use your work one"
        if pattern is NEG_COLLECT and PEOPLE_NEGATION.search(text[max(0, m.start() - 20): m.start()]):
            continue
        if re.search(r"\bnecessarily\b", m.group(0), re.I):
            continue  # "we don't necessarily collect your email": a hedge, not a promise
        after = text[m.end(): m.end() + 30]
        if re.match(r"\s+(?:you\b|(?:our\s+|any\s+)?(?:services?|products?|support)\b)", after, re.I):
            continue  # "we cannot provide you with", "does not provide services to children"
        if re.search(r"\b(?:that|which|who)\s+$", text[max(0, m.start() - 12): m.start()], re.I) and not re.match(
                r"(?:is|are|was|were|will\s+be)\b", m.group(0), re.I):
            continue  # "jurisdictions that may not provide equivalent protection": not our promise
        if re.search(r"\b(?:the|a|an|any|its|their|such)\s+\w+$", m.group(0), re.I) and not re.search(
                r"\b(?:the|a|an|any|its|their|such)\s+(?:means|ability|way)\b|\b(?:do|carry\s+out|engage\s+in|perform|conduct|"
                r"undertake)\s+(?:\w+\s+)?(?:any|such|the)\s+\w+$", m.group(0), re.I):
            continue  # "does not cover the use of cookies": the verb negated is another
        if _limit_within(text, m.end(), _clause_end(text, m.end())):
            continue  # "we don't keep it longer than necessary": a limit, not a denial
        return m
    return None
