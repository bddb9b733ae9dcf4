"""Loading a policy version: the reviewed flows file when there is one, else extraction
from the text. The only module that joins the flows file and the extractor.

Example:
    >>> import ropa
    >>> ropa.load_policy("registers/pro-at/policies/2018-05-24.flows.yaml").origin
    'reviewed'
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

from ..core.errors import PolicyLoadError
from .extract import extract
from .files import (
    FLOWS_SUFFIXES,
    policy_version,
    read_policy_text,
    refuse_other_language,
    reviewed_flows_path,
)
from .flows import read_flows
from .model import Policy

__all__ = ["ReviewedFlowsUsed", "extract_policy", "load_policy"]


class ReviewedFlowsUsed(UserWarning):
    """``load_policy`` was given a policy text but used the reviewed flows file beside it."""


def extract_policy(path: str | Path, register: Any = None, *, text: str | None = None) -> Policy:
    """Extract a policy from its text, ignoring any reviewed flows file.

    The version is the file name's (:func:`policy_version`); the date the text states is
    ``meta["stated_date"]``.

    Raises:
        PolicyLoadError: the file cannot be read, or its text is not in English (extraction
            reads English only; a reviewed flows file is read in any language).

    Example:
        >>> from ropa.policy.load import extract_policy
        >>> pol = extract_policy("../shared/policies/pro-at/2018-05-24.txt")  # doctest: +SKIP
    """
    path = Path(path)
    if text is None:
        text = read_policy_text(path)
    refuse_other_language(text, path)
    result = extract(text, register=register, filename=path.name)
    meta = dict(result.meta)
    meta["source"] = str(path)
    return Policy(version=policy_version(path), sections=result.sections, statements=result.statements,
                  meta=meta, unmapped=result.unmapped, origin="extracted", path=path, text=text,
                  review=result.review)


def load_policy(path: str | Path, register: Any = None) -> Policy:
    """Read a policy version: a reviewed ``.flows.yaml``, or a text (``.md``, ``.txt``, ``.html``).

    Given a text ``X.md`` whose reviewed ``X.flows.yaml`` lies beside it, the reviewed file
    is used (a :class:`ReviewedFlowsUsed` warning says so) and the text supplies the
    sections' wording.

    Args:
        path: the policy file.
        register: the register whose recipient names and aliases help extraction.

    Raises:
        PolicyLoadError: the file cannot be read, is not text, passes a limit, or the flows
            file is not valid (the message names the file, the key and its line).

    Example:
        >>> import ropa
        >>> pol = ropa.load_policy("registers/pro-at/policies/2018-05-24.flows.yaml")
        >>> pol.origin
        'reviewed'
    """
    path = Path(path)
    try:
        exists = path.exists()
    except OSError as exc:  # a name too long for the file system (a policy's text passed as its path)
        raise PolicyLoadError(f"is not a file that can be read ({exc.strerror})", str(path)[:120]) from None
    if not exists:
        raise PolicyLoadError("does not exist", str(path))
    if path.name.endswith(FLOWS_SUFFIXES):
        return read_flows(path)
    reviewed = reviewed_flows_path(path)
    if reviewed.is_file():
        warnings.warn(f"using the reviewed {reviewed.name} instead of extracting {path.name}",
                      ReviewedFlowsUsed, stacklevel=2)
        return read_flows(reviewed, text_path=path)
    return extract_policy(path, register=register)
