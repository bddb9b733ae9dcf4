"""One assessment of a register against a policy, computed once and read by everyone.

:func:`assess` returns an :class:`Assessment`: each stage (the flows, their classification
against the policy, the flow table, the findings of each area) is computed the first time it
is read and kept, so ``ropa check``, the report's consistency section and the diff's impact
read the same classification instead of each making their own.

The stages do not follow later changes to the register's or the policy's frames: assess again
after editing them.

Example:
    >>> import ropa
    >>> reg = ropa.load_register("registers/pro-at")
    >>> pol = ropa.load_policy("registers/pro-at/policies/2018-05-24.flows.yaml")
    >>> a = ropa.assess(reg, pol)
    >>> a.classification is a.classification   # computed once
    True
    >>> len(a.findings) == len(ropa.check(reg, pol))
    True
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..core.findings import findings_frame
from . import consistency as consistency_module

if TYPE_CHECKING:
    from ..policy.model import Policy
    from ..register.model import Register
    from .consistency import Classification
    from .flows import FlowCodes

__all__ = ["Assessment", "assess"]


class Assessment:
    """A register assessed against a policy (or alone): every stage lazily, each once.

    Attributes are computed on first access and cached:

    - ``flows``: the register's flows as integer codes (:func:`ropa.checks.flows.build_flows`);
    - ``classification``: every flow classified against the policy (``None`` without one);
    - ``table``: the flow table of :func:`ropa.consistency` (``None`` without a policy);
    - ``register_findings``, ``policy_findings``, ``consistency_findings``: the findings of
      each area; ``findings``: all of them, ordered, as :func:`ropa.check` returns them.
    """

    def __init__(self, register: Register, policy: Policy | None = None, *, as_of: dt.date | None = None):
        self.register = register
        self.policy = policy
        self.as_of = as_of

    @functools.cached_property
    def flows(self) -> FlowCodes:
        from .flows import build_flows

        return build_flows(self.register)

    @functools.cached_property
    def classification(self) -> Classification | None:
        if self.policy is None:
            return None
        # through the module, so that one classification is one call of consistency.classify
        return consistency_module.classify(self.register, self.policy)

    @functools.cached_property
    def table(self) -> pd.DataFrame | None:
        res = self.classification
        return None if res is None else res.table

    @functools.cached_property
    def register_findings(self) -> pd.DataFrame:
        from .schemas import validate_register  # here, not above: it imports pandera (0.2 s)

        return findings_frame([self.register.load_findings, validate_register(self.register, as_of=self.as_of)])

    @functools.cached_property
    def policy_findings(self) -> pd.DataFrame:
        if self.policy is None:
            return findings_frame()
        from .policy import check_policy

        return check_policy(self.policy, register=self.register)

    @functools.cached_property
    def consistency_findings(self) -> pd.DataFrame:
        res = self.classification
        if res is None or self.policy is None:
            return findings_frame()
        from .consistency_findings import findings_of

        return findings_of(self.register.taxonomy, res, self.policy, self.register)

    @functools.cached_property
    def findings(self) -> pd.DataFrame:
        parts = [self.register_findings]
        if self.policy is not None:
            parts += [self.policy_findings, self.consistency_findings]
        return findings_frame(parts)

    def __repr__(self) -> str:
        done = [k for k in ("flows", "classification", "findings") if k in self.__dict__]
        version = self.policy.version if self.policy is not None else None
        return f"Assessment(register={self.register.name!r}, policy={version!r}, computed={done})"


def assess(register: Register, policy: Any = None, *, as_of: dt.date | None = None) -> Assessment:
    """Assess a register (and, given one, a policy): an :class:`Assessment` whose stages are
    computed when first read, and once.

    Args:
        register: a loaded register.
        policy: a :class:`ropa.Policy`, or ``None`` for the register alone.
        as_of: the date the checks are made on (review ages); default today.

    Example:
        >>> import ropa
        >>> a = ropa.assess(ropa.load_register("registers/pro-at"))
        >>> a.classification is None, set(a.findings["area"]) <= {"register"}
        (True, True)
    """
    return Assessment(register, policy, as_of=as_of)
