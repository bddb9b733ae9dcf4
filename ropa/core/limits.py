"""Limits on what ``ropa`` reads, so that a hostile or broken file cannot exhaust the machine.

Every input is untrusted: a register may come from a third party. Each limit has a default
that a real register or policy never meets, is named in the message of the error raised when
a file passes it, and can be raised for one call or one command::

    with ropa.use_limits(max_columns=5_000):
        reg = ropa.load_register("huge-register/")

    ropa --limit max_columns=5000 check huge-register/

Example:
    >>> import ropa
    >>> ropa.limits().max_yaml_depth
    100
    >>> with ropa.use_limits(max_yaml_depth=200):
    ...     ropa.limits().max_yaml_depth
    200
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Limits", "check_size", "limit_message", "limits", "read_limited", "use_limits"]


@dataclass(frozen=True)
class Limits:
    """The ceilings ``ropa`` puts on its inputs. Each is named in the error that it raises.

    .. versionadded:: 0.2
    """

    #: Bytes in any one file read (a register table, a YAML file, a policy text, a workbook).
    max_file_bytes: int = 200_000_000
    #: Bytes of a workbook's or document's content once unzipped (XLSX, ODS, DOCX).
    max_unzipped_bytes: int = 500_000_000
    #: Nodes in a YAML document, counting each alias as the nodes it stands for.
    max_yaml_nodes: int = 2_000_000
    #: Nesting depth of a YAML document (mappings and lists within each other).
    max_yaml_depth: int = 100
    #: Columns in a register table's header.
    max_columns: int = 1_000
    #: Characters in one cell of a register table.
    max_cell_chars: int = 1_000_000
    #: Characters in one policy text: 47 times the longest policy of the corpus (21,000), and
    #: extraction of a hostile text this long still ends within about 30 seconds.
    max_policy_chars: int = 1_000_000
    #: Pairs of statements a policy diff compares (old statements times new ones, each pair
    #: scored): 500 x 500. The longest policy of the corpus has 59 statements.
    max_diff_pairs: int = 250_000

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ValueError(f"limit {f.name} must be a positive whole number, not {value!r}")


_CURRENT: ContextVar[Limits] = ContextVar("ropa_limits", default=Limits())  # noqa: B039 - frozen


def limits() -> Limits:
    """The limits in force (the defaults, or those set by :func:`use_limits`)."""
    return _CURRENT.get()


@contextlib.contextmanager
def use_limits(**changes: int) -> Iterator[Limits]:
    """Raise (or lower) some limits for the code inside the ``with`` block.

    Raises:
        ValueError: an unknown limit name or a value that is not a positive whole number.
    """
    names = {f.name for f in dataclasses.fields(Limits)}
    unknown = sorted(set(changes) - names)
    if unknown:
        raise ValueError(f"unknown limit {', '.join(unknown)}; known: {', '.join(sorted(names))}")
    token = _CURRENT.set(dataclasses.replace(limits(), **changes))
    try:
        yield _CURRENT.get()
    finally:
        _CURRENT.reset(token)


def limit_message(name: str, what: str, actual: int | None = None) -> str:
    """The words for a file that passes limit ``name``: what passed it and how to raise it.

    Example:
        >>> limit_message("max_columns", "the header has 5,000 columns")
        'the header has 5,000 columns, more than the limit max_columns=1,000; if the file is genuine, raise it with `ropa --limit max_columns=N ...` or ropa.use_limits(max_columns=N)'
    """
    value = getattr(limits(), name)
    more = f" ({actual:,})" if actual is not None else ""
    return (f"{what}{more}, more than the limit {name}={value:,}; if the file is genuine, raise it "
            f"with `ropa --limit {name}=N ...` or ropa.use_limits({name}=N)")


def check_size(path: Path, error: type[Exception], name: str = "max_file_bytes") -> int:
    """The file's size in bytes; raise ``error`` naming the file when it passes limit ``name``."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise error(f"cannot be read: {exc.strerror}", str(path)) from None
    if size > getattr(limits(), name):
        raise error(limit_message(name, f"the file holds {size:,} bytes"), str(path))
    return size


def read_limited(path: Path, error: type[Exception]) -> bytes:
    """The file's bytes, refusing (``error`` naming the file) one larger than ``max_file_bytes``."""
    check_size(path, error)
    try:
        with path.open("rb") as handle:
            data = handle.read(limits().max_file_bytes + 1)
    except OSError as exc:
        raise error(f"cannot be read: {exc.strerror}", str(path)) from None
    if len(data) > limits().max_file_bytes:  # grew since stat, or a device that reports 0
        raise error(limit_message("max_file_bytes", "the file holds more bytes"), str(path))
    return data
