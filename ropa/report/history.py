"""The register as it was: its folder at an earlier git revision, and the register content a
report embeds (its snapshot), loaded back for comparison.

Git is optional: a register folder outside a repository (or without git installed) has no
history, and the report says so. Every git call is read-only.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import subprocess
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..register.load import load_register
from ..register.model import Register
from .period import Quarter
from .plain import jsonable, plain_records

__all__ = [
    "Revision",
    "checkout",
    "earlier_checkouts",
    "register_from_snapshot",
    "register_revision",
    "register_snapshot",
]


# -- git -----------------------------------------------------------------------------------------

def _git(folder: Path, *args: str) -> str | None:
    """Output of a git command run in ``folder``, or None when git or the repository is absent."""
    try:
        done = subprocess.run(["git", "-C", str(folder), *args], capture_output=True, check=False)
    except OSError:
        return None
    return done.stdout.decode("utf-8", "replace") if done.returncode == 0 else None


def _git_bytes(folder: Path, *args: str) -> bytes | None:
    """As :func:`_git`, the output as bytes."""
    try:
        done = subprocess.run(["git", "-C", str(folder), *args], capture_output=True, check=False)
    except OSError:
        return None
    return done.stdout if done.returncode == 0 else None


@dataclass(frozen=True)
class Revision:
    """A commit of the register folder: its hash and committer date."""

    commit: str
    date: str  # committer date, ISO 8601


def register_revision(register: Register, before: dt.date) -> tuple[str, Revision | None, Revision | None]:
    """The last commit touching the register folder before ``before`` (00:00 UTC).

    Returns ``(status, revision, first)``: status ``found``, ``none-before`` (the folder's
    history starts later; ``first`` is its first commit) or ``not-in-git``.
    """
    folder = register.path
    if folder is None:
        return "not-in-git", None, None
    top = _git(folder, "rev-parse", "--show-toplevel")
    if top is None:
        return "not-in-git", None, None
    stamp = f"{before.isoformat()} 00:00:00 +0000"
    out = _git(folder, "log", "-1", f"--before={stamp}", "--format=%H %cI", "--", ".")
    if out and out.strip():
        commit, date = out.split()[:2]
        return "found", Revision(commit, date), None
    first = _git(folder, "log", "--reverse", "--format=%H %cI", "--", ".")
    if first and first.strip():
        commit, date = first.splitlines()[0].split()[:2]
        return "none-before", None, Revision(commit, date)
    return "not-in-git", None, None


@contextlib.contextmanager
def checkout(register: Register, revision: Revision) -> Iterator[Path]:
    """The register folder's files as they were at ``revision``, in a temporary folder.

    Two git calls whatever the number of files: ``ls-tree`` lists the folder's files at the
    revision (paths relative to the folder), ``cat-file --batch`` reads them all. Only files
    (blobs) are written; a link is written as a file holding its target, as git stores it.
    """
    folder = register.path
    assert folder is not None
    listing = _git_bytes(folder, "ls-tree", "-r", "-z", revision.commit, "--", ".") or b""
    files: list[tuple[str, bytes]] = []
    for entry in listing.split(b"\0"):
        meta, _, raw = entry.partition(b"\t")
        fields = meta.split()
        if len(fields) == 3 and fields[1] == b"blob":
            files.append((raw.decode("utf-8", "replace"), fields[2]))
    contents = _blobs(folder, [oid for _, oid in files])
    with tempfile.TemporaryDirectory(prefix="ropa-register-") as tmp:
        root = Path(tmp) / folder.name
        root.mkdir()
        for (rel, _oid), data in zip(files, contents, strict=True):
            if data is None:
                continue
            target = root / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        yield root


def _blobs(folder: Path, oids: list[bytes]) -> list[bytes | None]:
    """The contents of git objects, in order, read by one ``git cat-file --batch``; None for an
    object git does not have (or all None when git cannot be run)."""
    if not oids:
        return []
    try:
        done = subprocess.run(["git", "-C", str(folder), "cat-file", "--batch"], input=b"\n".join(oids) + b"\n",
                              capture_output=True, check=False)
    except OSError:
        return [None] * len(oids)
    if done.returncode != 0:
        return [None] * len(oids)
    out, at, found = done.stdout, 0, []
    for _ in oids:
        end = out.index(b"\n", at)
        header = out[at:end].split()
        at = end + 1
        if len(header) != 3:  # "<oid> missing"
            found.append(None)
            continue
        size = int(header[2])
        found.append(out[at:at + size])
        at += size + 1  # the content, then a newline
    return found


def earlier_checkouts(register: Register, quarter: Quarter, count: int) -> Iterator[tuple[Quarter, Revision, Path]]:
    """The register folder as committed at the end of each of up to ``count`` quarters before
    ``quarter``, newest first: (quarter, revision, folder), the folder existing until the next
    item is asked for. Stops at the first quarter the git history does not reach."""
    q = quarter.previous()
    for _ in range(count):
        status, rev, _first = register_revision(register, q.end + dt.timedelta(days=1))
        if status != "found" or rev is None:
            return
        with checkout(register, rev) as folder:
            yield q, rev, folder
        q = q.previous()


# -- a snapshot in the report model --------------------------------------------------------------

def register_snapshot(register: Register) -> dict[str, Any]:
    """The register's own content (organisation, activities, recipients), as plain data."""
    return {
        "organisation": jsonable(register.organisation),
        "activities": plain_records(register.activities.reset_index(drop=True)),
        "recipients": plain_records(register.recipients.reset_index(drop=True)),
    }


@contextlib.contextmanager
def register_from_snapshot(snapshot: Mapping[str, Any], taxonomy_file: str | None) -> Iterator[Register]:
    """Load a snapshot (from an earlier report's model) through the ordinary loader."""
    with tempfile.TemporaryDirectory(prefix="ropa-previous-") as tmp:
        root = Path(tmp) / "previous"
        root.mkdir()
        (root / "organisation.yaml").write_text(
            yaml.safe_dump(dict(snapshot.get("organisation") or {}), allow_unicode=True), encoding="utf-8")
        for stem in ("activities", "recipients"):
            (root / f"{stem}.yaml").write_text(
                yaml.safe_dump({stem: list(snapshot.get(stem) or [])}, allow_unicode=True, sort_keys=False),
                encoding="utf-8")
        if taxonomy_file:
            (root / "taxonomy.yaml").write_text(Path(taxonomy_file).read_text(encoding="utf-8"), encoding="utf-8")
        yield load_register(root)
