"""Diffing two files or folders as ``ropa diff`` does: telling a policy file from a register,
loading both, and the diff's model, JSON document, title and date. Nothing is printed or
written here: the command line prints the table and writes the JSON, HTML or PDF.

Example:
    >>> from ropa.diff.files import diff_files
    >>> found = diff_files("registers/pro-at", "registers/pro-at")
    >>> found.kind, found.document["summary"]["changes"]
    ('register', 0)
"""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.errors import PolicyLoadError, UsageError
from ..policy.load import load_policy
from ..register.load import load_register
from .render import policy_diff_json, policy_diff_model, register_diff_json, register_diff_model

__all__ = ["FileDiff", "diff_files", "diff_kind"]

_POLICY_SUFFIXES = (".md", ".markdown", ".txt", ".html", ".htm", ".yaml", ".yml")


@dataclass
class FileDiff:
    """The diff of two files or folders.

    Attributes:
        kind: ``policy`` or ``register``.
        model: the plain model every output renders (:func:`~ropa.diff.render.policy_diff_model`
            or :func:`~ropa.diff.render.register_diff_model`).
        document: the stable JSON document.
        title: the PDF's title.
        date: the PDF's date (the new policy's version date, or the new register's latest
            review date, else today).
    """

    kind: str
    model: dict[str, Any]
    document: dict[str, Any]
    title: str
    date: dt.date


def diff_kind(path: Path) -> str:
    """``policy`` or ``register``: what ``ropa diff`` takes ``path`` for.

    Raises:
        UsageError: the path does not exist, or is a file that is neither a policy nor a workbook.
    """
    if path.is_dir():
        return "register"
    if path.is_file():
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            return "register"
        if path.name.lower().endswith(_POLICY_SUFFIXES):
            return "policy"
        raise UsageError(f"{path}: not a policy file (.md, .txt, .html, .flows.yaml) or a register folder")
    raise UsageError(f"{path} does not exist")


def diff_files(old: str | Path, new: str | Path, *, register: str | Path | None = None,
               warn: Callable[[str], None] | None = None) -> FileDiff:
    """Two policy files or two register folders, loaded and diffed.

    Args:
        old, new: two policy files (.md, .txt, .html, .flows.yaml) or two register folders.
        register: for policy files, the register whose activities a change affects.
        warn: called with each warning loading gave (a reviewed flows file used instead of
            the text, a problem in a flows file), in order.

    Raises:
        UsageError: a policy compared with a register, or a register option given for a
            register diff.
        PolicyLoadError: a policy cannot be read, or its text lies outside its register
            folder (a diff would compare sections without their wording).
    """
    old, new = Path(old), Path(new)
    say = warn or (lambda message: None)
    kinds = (diff_kind(old), diff_kind(new))
    if kinds[0] != kinds[1]:
        raise UsageError(f"cannot compare a {kinds[0]} ({old}) with a {kinds[1]} ({new}): "
                         "give two policy files or two register folders")
    if kinds[0] == "register":
        if register is not None:
            raise UsageError("--register applies to policy diffs only")
        o_reg, n_reg = load_register(old), load_register(new)
        model = register_diff_model(o_reg, n_reg)
        return FileDiff("register", model, register_diff_json(model), f"Register changes: {model['old']['name']}",
                        _register_date(n_reg))
    reg = load_register(Path(register)) if register is not None else None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        o_pol = load_policy(old, register=reg)
        n_pol = load_policy(new, register=reg)
    for w in caught:
        say(str(w.message))
    _loading_problems(say, o_pol, n_pol)
    model = policy_diff_model(o_pol, n_pol, register=reg)
    date = dt.date.fromisoformat(n_pol.version) if _is_date(n_pol.version) else dt.date.today()
    return FileDiff("policy", model, policy_diff_json(model), f"Policy changes {o_pol.version} → {n_pol.version}",
                    date)


def _loading_problems(say: Callable[[str], None], *policies: Any) -> None:
    """What loading the policies found: a text that was not read stops the diff (its sections
    would all seem changed), since a diff carries no findings (exit status 2); anything else
    is said as a warning."""
    for pol in policies:
        found = getattr(pol, "load_findings", None)
        if found is None or found.empty:
            continue
        for rec in found.to_dict("records"):
            if rec["code"] == "policy-source-outside-register":
                raise PolicyLoadError(f"{rec['message']}; a diff without the text would be wrong")
            say(f"warning: {rec['message']}")


def _is_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except (TypeError, ValueError):
        return False
    return True


def _register_date(register: Any) -> dt.date:
    """A register diff's document date: the latest review date in the new register (so the
    same inputs give the same PDF), else today."""
    if "last_reviewed" in register.activities:
        dates = [d for d in register.activities["last_reviewed"].astype(str) if _is_date(d)]
        if dates:
            return dt.date.fromisoformat(max(dates))
    return dt.date.today()
