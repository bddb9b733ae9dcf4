"""ropa: the GDPR register of processing activities (Article 30), checked and reported.

Example:
    >>> import ropa
    >>> reg = ropa.load_register("registers/pro-at")
    >>> findings = ropa.check(reg)
    >>> sorted(set(findings["severity"].astype(str))) <= sorted(ropa.SEVERITIES)
    True

Heavy parts (pandera, WeasyPrint) are imported only when first used.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

#: Public name -> private module that defines it.
_EXPORTS: dict[str, str] = {
    # errors
    "RopaError": "._errors",
    "InputError": "._errors",
    "RegisterLoadError": "._errors",
    "PolicyLoadError": "._errors",
    "TaxonomyError": "._errors",
    "UsageError": "._errors",
    # limits on what is read
    "Limits": "._limits",
    "limits": "._limits",
    "use_limits": "._limits",
    # folders a file may name a path in (beyond its own)
    "trusted_folders": "._paths",
    "use_trusted_folders": "._paths",
    # taxonomy
    "Taxonomy": "._taxonomy",
    "default_taxonomy": "._taxonomy",
    # findings
    "FINDING_COLUMNS": "._findings",
    "SEVERITIES": "._findings",
    "catalogue": "._findings",
    "findings_frame": "._findings",
    "filter_findings": "._findings",
    # register
    "Register": "._register",
    "load_register": "._register",
    "write_register": "._register",
    # checks
    "check": "._check",
    "check_register": "._check",
    # policy
    "Policy": "._policy",
    "load_policy": "._policy",
    "write_flows": "._policy",
    # consistency
    "flows": "._consistency",
    "consistency": "._consistency",
    # article 30
    "article30": "._article30",
    "completeness": "._article30",
    "write_record": "._record_formats",
    # diffs
    "diff_policies": "._diff",
    "diff_registers": "._diff",
    # report
    "audit": "._report",
    "write_report": "._report",
}

__all__ = sorted([*_EXPORTS, "__version__"])


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'ropa' has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__


if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from ._article30 import article30, completeness
    from ._check import check, check_register
    from ._consistency import consistency, flows
    from ._diff import diff_policies, diff_registers
    from ._errors import (
        InputError,
        PolicyLoadError,
        RegisterLoadError,
        RopaError,
        TaxonomyError,
        UsageError,
    )
    from ._findings import FINDING_COLUMNS, SEVERITIES, catalogue, filter_findings, findings_frame
    from ._limits import Limits, limits, use_limits
    from ._paths import trusted_folders, use_trusted_folders
    from ._policy import Policy, load_policy, write_flows
    from ._record_formats import write_record
    from ._register import Register, load_register, write_register
    from ._report import audit, write_report
    from ._taxonomy import Taxonomy, default_taxonomy
