"""``ropa.check``: every check that applies, as one findings DataFrame.

The register's own checks (:mod:`ropa.checks.schemas`), the policy's
(:mod:`ropa.checks.policy`) and the two together (:mod:`ropa.checks.consistency_findings`),
ordered most severe first; both read an :class:`ropa.checks.assessment.Assessment`.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import pandas as pd

from .assessment import assess

if TYPE_CHECKING:
    from ..register.model import Register

__all__ = ["check", "check_register"]


def check_register(register: Register, *, as_of: dt.date | None = None) -> pd.DataFrame:
    """The register's own findings: rows that did not load, and the pandera rules.

    Example:
        >>> import ropa
        >>> f = ropa.check_register(ropa.load_register("registers/pro-at"))
        >>> set(f["area"]) <= {"register"}
        True
    """
    return assess(register, as_of=as_of).register_findings


def check(register: Register, policy: Any = None, *, as_of: dt.date | None = None) -> pd.DataFrame:
    """All findings for a register, and, given a policy, for the policy and for the two together.

    Args:
        register: a loaded register.
        policy: a :class:`ropa.Policy` (or ``None`` for the register checks alone).
        as_of: the date the checks are made on (review ages); default today.

    Returns:
        A findings DataFrame with the columns of :data:`ropa.FINDING_COLUMNS`, most severe first.

    Example:
        >>> import ropa
        >>> reg = ropa.load_register("registers/pro-at")
        >>> findings = ropa.check(reg)
        >>> findings.columns[:4].tolist()
        ['code', 'severity', 'area', 'article']
    """
    return assess(register, policy, as_of=as_of).findings
