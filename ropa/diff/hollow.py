"""Statements gone from a version that took nothing of substance with them.

A statement of the old version with no counterpart is told as "statement no longer made",
a change in the people's favour. That is only so when it stated something the new version
no longer does. Two kinds of statement state nothing a reader could miss:

- one in which no data and no purpose were read ("Public: your video is visible to
  everyone" read as a disclosure of nothing to no one in particular): what it said cannot
  be read, so that it is gone cannot be told;
- our own collection or use of data, for no purpose read, when the new version still
  collects or uses the same data (or data it lies under), or still writes the words the
  statement named it in: the data is still there, and no purpose went away with the
  statement.

A statement that says anything else of its flow (a consent, a legal basis, a retention, a
country, the people concerned, an exception) is not hollow: that may be what went. Their
rows become informational, saying why.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .frames import informational
from .statements import Statement, covered_by, named_before, squash

__all__ = ["fold_hollow_removals", "hollow"]

_GONE = "statement no longer made:"


def hollow(tax: Any, s: Statement, others: Iterable[Statement], other_text: str = "") -> str | None:
    """Why statement ``s``, absent from the version of ``others`` (whose text, squashed by
    :func:`~ropa.diff.statements.squash`, is ``other_text``), took nothing of substance with
    it, or None if it did.

    Example:
        >>> from ropa.core.taxonomy import default_taxonomy
        >>> from ropa.diff.entities import EntityResolver
        >>> from ropa.diff.statements import statements_of
        >>> from ropa.policy.extract import extract
        >>> gone = statements_of(extract("We use your e-mail address."), EntityResolver(None))[0]
        >>> kept = statements_of(extract("We collect your e-mail address to run your account."), EntityResolver(None))
        >>> hollow(default_taxonomy(), gone, kept)
        'its data is still collected or used by us in the other version, and it named no purpose'
    """
    if (not s.positive or s.purposes or s.family not in ("first_party", "disclose", "track") or s.consent
            or s.legal_bases or s.retention or s.countries or s.subjects or s.exceptions):
        return None  # it stated something besides its data: a consent, a basis, a period, a place
    if not s.data:
        return "no data and no purpose were read in it"
    if s.family != "first_party":
        return None
    ours = {d for o in others if o.positive and o.family == "first_party" for d in o.data}
    if all(covered_by(tax, "data_category", d, ours) or named_before(tax, other_text, s, "data", d) for d in s.data):
        return "its data is still collected or used by us in the other version, and it named no purpose"
    return None


def fold_hollow_removals(rows: list[dict[str, Any]], old: Mapping[str, Statement],
                         new_statements: Iterable[Statement], tax: Any, new_text: str = "") -> None:
    """The rows (in place) of old statements no longer made that took nothing of substance
    with them (see the module's text), as informational. ``old`` is the old version's
    statements by id, ``new_text`` the new version's text."""
    others = list(new_statements)
    text = squash(new_text)
    for row in rows:
        reason = str(row.get("reason") or "")
        if row.get("kind") != "removed" or not row.get("material") or not reason.startswith(_GONE):
            continue
        s = old.get(row.get("old_statement") or "")
        why = hollow(tax, s, others, text) if s is not None else None
        if why:
            informational(row, f"{reason} (nothing of substance lost: {why})")
