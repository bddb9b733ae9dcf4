"""Exceptions: raised only when ``ropa`` cannot proceed. Problems in the data are findings.

The whole tree::

    RopaError                          base of everything ropa raises
    ├── InputError(RopaError, ValueError)       input that cannot be read at all
    │   ├── RegisterLoadError                   a register file is unreadable or malformed
    │   ├── PolicyLoadError                     a policy file is unreadable
    │   └── TaxonomyError                       a taxonomy file is invalid
    └── UsageError(RopaError, ValueError)       an API or command used wrongly (unknown format, ...)

Each :class:`InputError` names the file and, where known, the line and column.

Example:
    >>> import ropa
    >>> try:
    ...     ropa.load_register("/nonexistent")
    ... except ValueError as exc:          # or ropa.RegisterLoadError
    ...     print(type(exc).__name__)
    RegisterLoadError
"""

from __future__ import annotations

__all__ = [
    "InputError",
    "PolicyLoadError",
    "RegisterLoadError",
    "RopaError",
    "TaxonomyError",
    "UsageError",
]


class RopaError(Exception):
    """Base class of every exception ``ropa`` raises."""


class InputError(RopaError, ValueError):
    """An input file cannot be read. ``path``, ``line`` and ``column`` say where."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None,
                 column: str | int | None = None):
        self.path, self.line, self.column = path, line, column
        where = ""
        if path:
            where = str(path)
            if line is not None:
                where += f", line {line}"
            if column is not None:
                where += f", column {column}"
            where += ": "
        super().__init__(where + message)


class RegisterLoadError(InputError):
    """A register file (organisation.yaml, activities, recipients) cannot be read."""


class PolicyLoadError(InputError):
    """A policy file cannot be read."""


class TaxonomyError(InputError):
    """A taxonomy file is invalid (unknown kind, unknown parent, bad YAML)."""


class UsageError(RopaError, ValueError):
    """The API or the command line was used wrongly: an unknown format, a missing option."""
