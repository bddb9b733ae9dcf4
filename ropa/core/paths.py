"""Paths written inside files: read only within the folder they belong to, or one the user trusts.

A reviewed flows file names its policy text (``source: 2026-11-01.md``); a hostile one could
name ``/etc/passwd`` or ``../../../home/me/.ssh/id_rsa``, and ``ropa diff`` would print that
file's lines. So every path that ropa reads *because a file says so* goes through
:func:`confine`: with symbolic links resolved, it must lie inside the file's own folder (for
a register, the register folder), or inside a folder the user has said to trust::

    with ropa.use_trusted_folders("../shared/policies"):
        pol = ropa.load_policy("registers/pro-at/policies/2026-11-01.flows.yaml")

    ropa --trust ../shared/policies check registers/pro-at

    ROPA_TRUST=../shared/policies ropa check registers/pro-at   # folders separated by os.pathsep

Paths the user gives (command arguments, function arguments) are theirs to choose and are
not confined.

Example:
    >>> import ropa, tempfile, pathlib
    >>> reg = pathlib.Path(tempfile.mkdtemp())
    >>> confine("policies/2026-01-01.md", [reg], base=reg) == (reg / "policies/2026-01-01.md").resolve()
    True
    >>> confine("../../../../../../../../etc/passwd", [reg], base=reg / "policies")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ropa.core.paths.OutsideFolderError: ../../../../../../../../etc/passwd lies outside ... (it leads to /etc/passwd); ... ropa.use_trusted_folders(DIR)
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from pathlib import Path

from .errors import InputError

__all__ = ["OutsideFolderError", "confine", "trusted_folders", "use_trusted_folders"]

#: The environment variable naming trusted folders (separated by ``os.pathsep``).
TRUST_ENV = "ROPA_TRUST"

_TRUSTED: ContextVar[tuple[Path, ...]] = ContextVar("ropa_trusted_folders", default=())


class OutsideFolderError(InputError):
    """A path named inside a file lies outside the folders it may be read from."""


def trusted_folders() -> tuple[Path, ...]:
    """The folders the user trusts: those of :func:`use_trusted_folders` and of ``ROPA_TRUST``.

    Example:
        >>> import ropa
        >>> with ropa.use_trusted_folders("/srv/policies"):
        ...     Path("/srv/policies").resolve() in ropa.trusted_folders()
        True
    """
    env = tuple(Path(p).resolve() for p in os.environ.get(TRUST_ENV, "").split(os.pathsep) if p.strip())
    return tuple(dict.fromkeys(_TRUSTED.get() + env))


@contextlib.contextmanager
def use_trusted_folders(*folders: str | Path) -> Iterator[tuple[Path, ...]]:
    """Trust these folders too, for the code inside the ``with`` block: a file may name a path
    in them (a flows file's ``source``) and ropa will read it.

    Example:
        >>> import ropa
        >>> flows = "registers/pro-at/policies/2026-11-01.flows.yaml"  # its text is in ../shared
        >>> with ropa.use_trusted_folders("../shared/policies"):
        ...     ropa.load_policy(flows).load_findings.empty
        True

    .. versionadded:: 0.2
    """
    added = tuple(Path(f).resolve() for f in folders)
    token = _TRUSTED.set(tuple(dict.fromkeys(_TRUSTED.get() + added)))
    try:
        yield trusted_folders()
    finally:
        _TRUSTED.reset(token)


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def confine(path: str | Path, roots: Iterable[str | Path], *, base: str | Path | None = None,
            error: type[InputError] = OutsideFolderError, named_in: str | None = None,
            line: int | None = None) -> Path:
    """The resolved path (symbolic links followed) when it lies inside one of ``roots`` or a
    trusted folder; else ``error`` naming the path, the folders and how to trust one.

    Args:
        path: the path as a file wrote it; relative paths are taken from ``base``.
        roots: the folders the path may lie in (the register folder, the file's folder).
        base: the folder relative paths start from (the folder of the file that names it).
        error: the exception to raise (an :class:`~ropa.InputError` subclass).
        named_in: the file that names the path, for the message (its path and ``line``).
        line: the line of ``named_in`` that names the path.

    Raises:
        OutsideFolderError: (or ``error``) the path lies outside every allowed folder. Nothing
            is read: whether the file exists is not even checked.

    Example:
        >>> confine("../../shared/x.txt", ["registers/pro-at"], base="registers/pro-at/policies")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        ropa.core.paths.OutsideFolderError: ../../shared/x.txt lies outside .../registers/pro-at (it leads to ...); ...
    """
    written = str(path)
    candidate = Path(os.path.expanduser(written)) if written.startswith("~") else Path(written)
    if base is not None and not candidate.is_absolute():
        candidate = Path(base) / candidate
    resolved = candidate.resolve()
    allowed = [Path(r).resolve() for r in roots]
    if any(_inside(resolved, folder) for folder in [*allowed, *trusted_folders()]):
        return resolved
    folders = ", ".join(str(f) for f in allowed) or "no folder"
    leads = f" (it leads to {resolved})" if str(resolved) != written else ""
    message = (f"{written} lies outside {folders}{leads}; ropa reads no file outside it because a file names it. "
               "If the folder holding it is yours, trust it with `ropa --trust DIR ...` or "
               "ropa.use_trusted_folders(DIR)")
    raise error(message, named_in, line) if named_in else error(message)
