"""Run one benchmark stage once, in this fresh process, and print what it cost as JSON.

    python benchmarks/worker.py STAGE IMPL FOLDER [--next FOLDER] [--tmp DIR]

IMPL is ``ropa`` or ``floor``. Setup (imports, loading the inputs the stage reads) is not
timed; the stage is timed once, cold: per-register caches (the taxonomy's hierarchies)
are built inside it, as they are for a user. Printed: wall and CPU seconds (this process
and its children), the peak resident memory before the stage and after it (MB), and a
short summary of the result so that the two implementations can be compared.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
# the ropa of this tree (a worktree, a copy), not whichever one the environment has installed
sys.path.insert(1, str(Path(__file__).resolve().parent.parent))

AS_OF = dt.date(2026, 11, 25)
OLD_POLICY = "2026-01-01"
NEW_POLICY = "2026-07-01"


class Skip(Exception):
    """The stage's module has not been built yet."""


def _need(name: str) -> Any:
    import ropa

    try:
        return getattr(ropa, name)
    except (AttributeError, ImportError) as exc:
        raise Skip(f"ropa.{name} is not available ({exc})") from None


def _policy(folder: Path, version: str = OLD_POLICY):
    import ropa

    return ropa.load_policy(folder / "policies" / f"{version}.flows.yaml")


def _entity_parents(reg) -> dict[str, str]:
    known = set(reg.taxonomy.keys("recipient"))
    return {rid: (cat if cat in known else "third_party")
            for rid, cat in zip(reg.recipients["recipient_id"], reg.recipients["category"], strict=True)}


def _warm_checks() -> None:
    """Check an empty register once: pandera registers its backends on the first validation
    in a process (a start-up cost, measured apart), and the rules' code paths load."""
    import ropa

    empty = ropa.load_register(Path(__file__).resolve().parent.parent / "registers" / "pro-at")
    empty = ropa.Register(organisation={}, activities=empty.activities.iloc[:0], recipients=empty.recipients.iloc[:0],
                          taxonomy=ropa.default_taxonomy())
    ropa.check_register(empty, as_of=AS_OF)


def setup(stage: str, impl: str, folder: Path, nxt: Path | None, tmp: Path) -> Callable[[], Any]:
    """Prepare the inputs; return the timed operation."""
    import ropa

    ropa.default_taxonomy()
    if impl == "ropa" and stage in ("validate", "check"):
        _warm_checks()
    if stage == "load":
        if impl == "ropa":
            return lambda: len(ropa.load_register(folder).activities)
        import floors

        return lambda: len(floors.load(folder)[1])
    reg = ropa.load_register(folder)
    if stage == "validate":
        if impl == "ropa":
            return lambda: len(ropa.check_register(reg, as_of=AS_OF))
        import floors

        vocab = floors.Vocabulary(reg.taxonomy)
        return lambda: len(floors.validate(reg.activities, reg.recipients, vocab, AS_OF))
    if stage in ("consistency", "check"):
        pol = _policy(folder)
        if impl == "ropa":
            if stage == "consistency":
                consistency = _need("consistency")
                return lambda: consistency(reg, pol)["class"].value_counts().to_dict()
            _need("consistency")
            return lambda: len(ropa.check(reg, pol, as_of=AS_OF))
        import floors

        parents = _entity_parents(reg)
        if stage == "consistency":
            return lambda: floors.consistency(reg.activities, pol.statements, reg.taxonomy, parents)[
                "class"].value_counts().to_dict()
        vocab = floors.Vocabulary(reg.taxonomy)

        def both() -> int:
            found = floors.validate(reg.activities, reg.recipients, vocab, AS_OF)
            flows = floors.consistency(reg.activities, pol.statements, reg.taxonomy, parents)
            return len(found) + int((flows["class"] != "clear").sum())

        return both
    if stage == "policy-checks":
        pol = _policy(folder)
        if impl == "floor":
            raise Skip("no floor: the policy's own checks compare its statements with each other")
        _need("check")
        from ropa.checks.policy import check_policy

        return lambda: len(check_policy(pol, register=reg))
    if stage == "consistency-findings":
        pol = _policy(folder)
        if impl == "ropa":
            _need("consistency")
            from ropa.checks.consistency_findings import consistency_findings

            return lambda: len(consistency_findings(reg, pol))
        import floors

        parents = _entity_parents(reg)
        return lambda: int((floors.consistency(reg.activities, pol.statements, reg.taxonomy, parents)["class"]
                            != "clear").sum())
    if stage in ("record", "record-pdf"):
        fmt = "csv" if stage == "record" else "pdf"
        target = tmp / f"record.{fmt}"
        if impl == "ropa":
            write_record = _need("write_record")
            return lambda: write_record(reg, target, format=fmt, date=AS_OF).stat().st_size
        import floors

        if fmt == "csv":
            return lambda: (floors.record_csv(reg.activities, reg.taxonomy, target), target.stat().st_size)[1]
        return lambda: (floors.record_pdf(reg.activities, reg.taxonomy, target), target.stat().st_size)[1]
    if stage == "diff":
        if nxt is None:
            raise Skip("no next version of the register")
        new = ropa.load_register(nxt)
        if impl == "ropa":
            diff_registers = _need("diff_registers")
            return lambda: len(diff_registers(reg, new))
        import floors

        return lambda: len(floors.diff(reg.activities, new.activities))
    if stage == "diff-policies":
        if nxt is None:
            raise Skip("no next version of the policy")
        old, new = _policy(nxt, OLD_POLICY), _policy(nxt, NEW_POLICY)
        if impl == "ropa":
            diff_policies = _need("diff_policies")
            return lambda: len(diff_policies(old, new))
        import floors

        return lambda: len(floors.diff_statements(old.statements, new.statements))
    if stage == "report":
        write_report = _need("write_report")
        target = tmp / "report.pdf"
        if impl == "ropa":
            return lambda: write_report(reg, "2026Q4", target, date=AS_OF).stat().st_size
        import floors

        from ropa.report.render import render_html
        from ropa.report.tables import cap_tables

        # the same HTML the report lays out: long tables cut, the rest attached
        html = render_html(cap_tables(ropa.audit(reg, "2026Q4", date=AS_OF))[0])
        return lambda: (floors.pdf_pass(html, target), target.stat().st_size)[1]
    raise SystemExit(f"unknown stage {stage!r}")


def _peak_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, kids) / 1024


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("stage")
    parser.add_argument("impl", choices=["ropa", "floor"])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--next", type=Path, default=None)
    parser.add_argument("--tmp", type=Path, default=Path("/tmp"))
    args = parser.parse_args(argv)
    try:
        op = setup(args.stage, args.impl, args.folder, args.next, args.tmp)
    except Skip as exc:
        print(json.dumps({"skipped": str(exc)}))
        return
    before = _peak_mb()
    cpu0, wall0 = _cpu(), time.perf_counter()
    result = op()
    wall, cpu = time.perf_counter() - wall0, _cpu() - cpu0
    print(json.dumps({"wall": wall, "cpu": cpu, "rss_before_mb": before, "peak_mb": _peak_mb(),
                      "result": result}, default=str))


if __name__ == "__main__":
    main()
