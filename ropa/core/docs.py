"""Generate docs/findings.md from the catalogue of finding codes.

    python -m ropa.core.docs docs/findings.md
"""

from __future__ import annotations

import sys
from pathlib import Path

from .findings import SEVERITIES, catalogue

__all__ = ["findings_markdown"]

_AREAS = {
    "register": "The register",
    "import": "Reading files, and importing other formats",
    "policy": "The policy",
    "consistency": "Register against policy",
    "diff": "Policy and register changes",
}


def findings_markdown() -> str:
    """The catalogue as a Markdown page: one section per area, one entry per code.

    Example:
        >>> "missing-retention" in findings_markdown()
        True
    """
    cat = catalogue()
    lines = [
        "# Finding codes",
        "",
        "Generated from `ropa/codes/*.yml` by `python -m ropa.core.docs docs/findings.md`; do not edit.",
        "Codes are stable: a code is deprecated, never reused. Severities, most severe first: "
        + ", ".join(SEVERITIES) + ".",
        "Each code's *grain* says what one finding stands for: a row (of a register table, a policy or "
        "a file; the default), or a cause shared by many rows (a recipient, a purpose, a distinct value). "
        "A grouped finding lists every activity or row it concerns in its evidence "
        "(`activities (n): ...`, `rows (n): ...`; `ropa.core.findings.affected` expands them) and sets "
        "`activity_id` or `row` only when there is one.",
        "",
    ]
    areas = list(_AREAS) + sorted(set(cat["area"]) - set(_AREAS))
    for area in areas:
        group = cat[cat["area"] == area]
        if group.empty:
            continue
        lines += [f"## {_AREAS.get(area, area.title())}", "", "| code | severity | article | title |", "|---|---|---|---|"]
        for rec in group.itertuples():
            lines.append(f"| [`{rec.code}`](#{rec.code}) | {rec.severity} | {rec.article or ''} | {rec.title} |")
        lines.append("")
        for rec in group.itertuples():
            lines += [
                f"### {rec.code}",
                "",
                f"**{rec.title}** ({rec.severity}{', ' + rec.article if rec.article else ''})",
                "",
                f"One finding per {_grain(rec.grain)}.",
                "",
                str(rec.explanation).strip(),
                "",
                f"Recommendation: {str(rec.recommendation).strip()}",
                "",
            ]
    return "\n".join(lines).rstrip() + "\n"


def _grain(grain: object) -> str:
    return str(grain) if isinstance(grain, str) and grain else "row"


def main(argv: list[str]) -> int:
    target = Path(argv[0]) if argv else Path("docs/findings.md")
    target.write_text(findings_markdown(), encoding="utf-8")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
