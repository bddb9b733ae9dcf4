"""Sentences paired across two versions of a text: the same sentence (moved or not), or one
reworded, so that what a reworded sentence states is compared with what it stated before,
not with a sentence elsewhere that happens to say the same thing.

Two sentences pair when most of their words stand in the same order: the share of words
they have in common, in order (twice the words matched over the words of both), is at
least :data:`REWORDED`. Identical sentences pair first, then the most similar, each sentence
at most once.

Example:
    >>> pair_passages(["We don't use your data to show you ads.", "We keep logs for 7 days."],
    ...               ["We keep logs for 7 days.", "We don't use the contents of your chats to show you ads."])
    [(1, 0, 1.0), (0, 1, 0.78)]
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import Any

__all__ = ["REWORDED", "pair_passages", "similarity", "wording_key"]

#: The least share of words in common, in order, for two sentences to be one reworded.
REWORDED = 0.6


def wording_key(text: Any) -> str:
    """Text for wording comparison: case, whitespace and punctuation dropped.

    Example:
        >>> wording_key("We  DON’T sell — ever.")
        'we don t sell ever'
    """
    text = unicodedata.normalize("NFKC", str(text or "")).casefold()
    text = text.replace("\u2019", "'").replace("\u2013", "-").replace("\u2014", "-")
    return " ".join(re.findall(r"\w+", text))


def _encode(words: list[str], vocab: dict[str, str]) -> str:
    """Each word as one character, so that a character diff is a word diff."""
    return "".join(vocab.setdefault(w, chr(0x100 + len(vocab))) for w in words)


def similarity(a: str, b: str) -> float:
    """The share of words two sentences have in common, in order (case and punctuation aside).

    Example:
        >>> similarity("We keep logs for 7 days.", "we keep LOGS for 7 days")
        1.0
        >>> similarity("We keep logs.", "Cookies expire.")
        0.0
    """
    from rapidfuzz import fuzz

    vocab: dict[str, str] = {}
    return round(fuzz.ratio(_encode(wording_key(a).split(), vocab), _encode(wording_key(b).split(), vocab)) / 100, 2)


def pair_passages(old: Sequence[str], new: Sequence[str],
                  threshold: float = REWORDED) -> list[tuple[int, int, float]]:
    """(old index, new index, similarity) for the sentences of two versions that are one
    sentence, moved or reworded: identical ones first, then the most similar, greedily."""
    from rapidfuzz import fuzz, process

    vocab: dict[str, str] = {}
    a = [_encode(wording_key(t).split(), vocab) for t in old]
    b = [_encode(wording_key(t).split(), vocab) for t in new]
    pairs: list[tuple[int, int, float]] = []
    used_old: set[int] = set()
    used_new: set[int] = set()
    where: dict[str, list[int]] = {}
    for j, text in enumerate(b):
        where.setdefault(text, []).append(j)
    for i, text in enumerate(a):
        free = [j for j in where.get(text, []) if j not in used_new]
        if text and free:
            pairs.append((i, free[0], 1.0))
            used_old.add(i)
            used_new.add(free[0])
    rest_old = [i for i in range(len(a)) if i not in used_old and a[i]]
    rest_new = [j for j in range(len(b)) if j not in used_new and b[j]]
    if rest_old and rest_new:
        scores = process.cdist([a[i] for i in rest_old], [b[j] for j in rest_new], scorer=fuzz.ratio,
                               score_cutoff=threshold * 100)
        found = sorted(((float(scores[x][y]) / 100, i, j) for x, i in enumerate(rest_old)
                        for y, j in enumerate(rest_new) if scores[x][y] >= threshold * 100),
                       key=lambda t: (-t[0], t[1], t[2]))
        for score, i, j in found:
            if i in used_old or j in used_new:
                continue
            used_old.add(i)
            used_new.add(j)
            pairs.append((i, j, round(score, 2)))
    return sorted(pairs, key=lambda p: (p[1], p[0]))
