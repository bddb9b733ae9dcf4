"""ropa: the GDPR register of processing activities (Article 30), checked and reported.

Example:
    >>> import ropa
    >>> reg = ropa.load_register("registers/pro-at")
    >>> findings = ropa.check(reg)
    >>> set(findings["severity"].astype(str)) <= set(ropa.SEVERITIES)
    True

Heavy parts (pandera, WeasyPrint) are imported only when first used.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .core.version import __version__

#: Public name -> private module that defines it.
_EXPORTS: dict[str, str] = {
    # errors
    "RopaError": ".core.errors",
    "InputError": ".core.errors",
    "RegisterLoadError": ".core.errors",
    "PolicyLoadError": ".core.errors",
    "TaxonomyError": ".core.errors",
    "UsageError": ".core.errors",
    # limits on what is read
    "Limits": ".core.limits",
    "limits": ".core.limits",
    "use_limits": ".core.limits",
    # folders a file may name a path in (beyond its own)
    "trusted_folders": ".core.paths",
    "use_trusted_folders": ".core.paths",
    # taxonomy
    "Taxonomy": ".core.taxonomy",
    "default_taxonomy": ".core.taxonomy",
    # findings
    "FINDING_COLUMNS": ".core.findings",
    "SEVERITIES": ".core.findings",
    "catalogue": ".core.findings",
    "findings_frame": ".core.findings",
    "filter_findings": ".core.findings",
    # register
    "Register": ".register.model",
    "load_register": ".register.load",
    "write_register": ".register.model",
    # checks
    "check": ".checks.check",
    "check_register": ".checks.check",
    # policy
    "Policy": ".policy.model",
    "load_policy": ".policy.load",
    "write_flows": ".policy.flows",
    # consistency
    "flows": ".checks.flows",
    "consistency": ".checks.consistency",
    # article 30
    "article30": ".outputs.record",
    "completeness": ".outputs.completeness",
    "write_record": ".outputs.formats",
    # diffs
    "diff_policies": ".diff.policies",
    "diff_registers": ".diff.registers",
    # report
    "audit": ".report.model",
    "write_report": ".report.render",
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
    from .checks.check import check, check_register
    from .checks.consistency import consistency
    from .checks.flows import flows
    from .core.errors import (
        InputError,
        PolicyLoadError,
        RegisterLoadError,
        RopaError,
        TaxonomyError,
        UsageError,
    )
    from .core.findings import (
        FINDING_COLUMNS,
        SEVERITIES,
        catalogue,
        filter_findings,
        findings_frame,
    )
    from .core.limits import Limits, limits, use_limits
    from .core.paths import trusted_folders, use_trusted_folders
    from .core.taxonomy import Taxonomy, default_taxonomy
    from .diff.policies import diff_policies
    from .diff.registers import diff_registers
    from .outputs.completeness import completeness
    from .outputs.formats import write_record
    from .outputs.record import article30
    from .policy.flows import write_flows
    from .policy.load import load_policy
    from .policy.model import Policy
    from .register.load import load_register
    from .register.model import Register, write_register
    from .report.model import audit
    from .report.render import write_report
