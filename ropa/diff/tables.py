"""Tables of recipients (sub-processors, data processors, partners) read row by row, so that
two versions of a table are compared recipient by recipient.

A row is keyed by the recipient it names (the cell under a header such as "Company",
"Provider" or "Data Processor", else its first cell), resolved to one entity however it is
written; its *role* is what its other cells say (location, service, data). Rows of the two
versions pair by that key: a recipient whose row is gone is removed, a new one is added, a
renamed recipient ("Google, Inc" to "Google LLC") is the same row, and a row whose role
changed says how (narrowed, widened or changed).

Example:
    >>> old = "| Company | Service |\\n| --- | --- |\\n| Zendesk | Customer support and CRM system |\\n"
    >>> new = "| Company | Service |\\n| --- | --- |\\n| Zendesk, Inc. | Customer support |\\n"
    >>> r = EntityResolver()
    >>> [(row.line, row.key, row.role) for row in table_rows(new, r).values()]
    [(3, 'vendor:zendesk', 'Customer support')]
    >>> role_change(table_rows(old, r)[3], table_rows(new, r)[3])
    'narrowed'
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from ..core.words import word_table
from ..policy.parse import parse
from ..policy.tables import table_roles
from .entities import EntityResolver
from .statements import wording_key

__all__ = ["TableRow", "content_words", "role_change", "rows_by_key", "table_rows"]


@dataclass(frozen=True)
class TableRow:
    """One row of a table of recipients.

    Attributes:
        line: the line of the policy text the row stands on.
        name: the recipient as the row writes it; ``key``: the entity it resolves to.
        role: the row's other cells, joined with `` | ``.
    """

    line: int
    name: str
    key: str
    role: str


@functools.cache
def _function_words() -> frozenset[str]:
    return frozenset(str(w).casefold() for w in word_table("function_words", "wording.yml"))


def content_words(text: str) -> frozenset[str]:
    """The words of a text that carry meaning: lower-case, without the function words of
    ``ropa/taxonomy/wording.yml`` ("the", "and", "of", ...).

    Example:
        >>> sorted(content_words("Customer support and the CRM system"))
        ['crm', 'customer', 'support', 'system']
    """
    return frozenset(w for w in wording_key(text).split() if w not in _function_words())


def table_rows(text: str, resolver: EntityResolver) -> dict[int, TableRow]:
    """The rows of the pipe tables of a policy text that name a recipient, by line.

    A table counts when one of its headers names the recipient column (see
    :func:`ropa.policy.tables.table_roles`) or, failing that, when its first cell resolves to a
    known vendor or register recipient.
    """
    out: dict[int, TableRow] = {}
    if not text:
        return out
    for sec in parse(text).sections:
        for blk in sec.blocks:
            if blk.kind != "row" or not blk.cells:
                continue
            headers = list(blk.cells)
            column = table_roles(blk.cells).get("entity")
            if column is None:
                first = str(blk.cells[headers[0]]).strip()
                key = resolver.resolve(first) if first else ""
                if not (resolver.is_entity(key) and not key.startswith("~")):  # a known recipient
                    continue
                column = headers[0]
            name = str(blk.cells[column]).strip()
            if not name:
                continue
            role = " | ".join(str(blk.cells[h]).strip() for h in headers if h != column)
            out[blk.line] = TableRow(line=blk.line, name=name, key=resolver.resolve(name), role=role)
    return out


def role_change(old: TableRow, new: TableRow) -> str | None:
    """How the role of one recipient changed between two rows: ``narrowed`` (the new role
    says less), ``widened`` (it says more), ``changed``, or None when only function words,
    case or punctuation differ."""
    a, b = content_words(old.role), content_words(new.role)
    if a == b:
        return None
    if b < a:
        return "narrowed"
    if a < b:
        return "widened"
    return "changed"


def rows_by_key(rows: dict[int, TableRow]) -> dict[str, list[TableRow]]:
    """Rows grouped by the entity they name, in the order they stand."""
    out: dict[str, list[TableRow]] = {}
    for line in sorted(rows):
        out.setdefault(rows[line].key, []).append(rows[line])
    return out
