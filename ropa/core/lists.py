"""Lists in words, for messages and generated text: "a, b and c", "A1, A2 and 8 more".

A leaf module (it imports nothing of ropa), so that every module of core, yamlio included,
can name a list the same way.

Example:
    >>> from ropa.core.lists import first_few, join_words
    >>> join_words(["names", "emails"]), first_few([f"A{i}" for i in range(12)])
    ('names and emails', 'A0, A1, A2, A3, A4, A5, A6, A7, A8, A9 and 2 more')
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["first_few", "join_words"]


def join_words(words: Iterable[str]) -> str:
    """The words as an English list: commas between them, "and" before the last.

    Example:
        >>> join_words(["names", "emails", "addresses"]), join_words(["names"]), join_words([])
        ('names, emails and addresses', 'names', '')
    """
    words = list(words)
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def first_few(items: Iterable[str], most: int = 10) -> str:
    """The first ``most`` items, with commas, and how many more there are: the one way ropa
    names a long list of ids or characters in a message.

    Example:
        >>> first_few(["A1", "A2", "A3", "A4"], most=2), first_few(["A1"]), first_few([])
        ('A1, A2 and 2 more', 'A1', '')
    """
    items = list(items)
    shown = ", ".join(items[:most])
    return shown + (f" and {len(items) - most} more" if len(items) > most else "")
