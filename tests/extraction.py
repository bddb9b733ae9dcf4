"""What extraction makes of a short text, for the tests of its rules: one (action, data,
recipients) row per statement.

Example:
    >>> rows("We collect your email address.")
    [('collect', ['user.contact.email'], ['we'])]
    >>> actions("We never sell your email address.")
    ['not_share']
"""

from __future__ import annotations

from ropa.policy.extract import extract


def rows(text: str) -> list[tuple[str, list[str], list[str]]]:
    """(action, data, recipients) of each statement extracted from a text."""
    st = extract(text).statements
    return [(r.action, list(r.data_categories), list(r.recipients)) for r in st.itertuples()]


def actions(text: str) -> list[str]:
    """The action of each statement extracted from a text."""
    return [a for a, _, _ in rows(text)]
