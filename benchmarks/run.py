"""Benchmarks: every stage of ropa at 1,000, 10,000 and 100,000 activities, next to its floor.

    python benchmarks/run.py [--sizes 1000 10000 100000]
                             [--stages load validate consistency check record diff report ...]
                             [--repeat 3] [--out /tmp/ropa-bench] [--results benchmarks/RESULTS.md]

For each size it writes a register (``generate.py``: numpy choices over taxonomy keys, fixed
seed, about nine flows per activity) and its next quarter's version, then runs each stage,
``ropa`` and its floor (``floors.py``: the same work in plain pandas, or one plain WeasyPrint
pass), each in a fresh process (``worker.py``), ``--repeat`` times, and keeps the median.
It prints the table with the ratios and writes it to RESULTS.md with the machine's
description; the notes between ``<!-- notes -->`` and ``<!-- /notes -->`` there are kept.
Stages whose module does not exist yet are skipped with a note. PDF stages (``record-pdf``,
``report``) run only at sizes up to ``--pdf-max-size`` (default 1,000) and ``--report-max-size``
(default 10,000): WeasyPrint lays out 130-150 table rows a second, so a 100,000-row record as
PDF is a job of its own; the report lays out the first rows of each long table and attaches
the rest, so it runs at 10,000. The targets (issues 8 and 14) are checked at 100,000 activities:
``ropa.check`` in CPU time at most twice its floor, under 2 GB and at most 20,000 findings.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
STAGES = ("load", "validate", "consistency", "policy-checks", "consistency-findings", "check", "record",
          "record-pdf", "diff", "diff-policies", "report")
PDF_STAGES = {"record-pdf", "report"}
#: stages whose cost does not grow with the register (run once, at the smallest size)
ONCE = {"diff-policies"}
TARGETS = {"check_100k_s": 3.0, "check_ratio": 2.0, "check_peak_mb": 2048, "check_findings": 20000, "import_s": 1.5}


# -- machine ------------------------------------------------------------------------------

def machine() -> dict[str, str]:
    info = {"nproc": str(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count())}
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text()
        m = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.M)
        info["cpu"] = m.group(1).strip() if m else platform.processor()
        mhz = re.search(r"^cpu MHz\s*:\s*(.+)$", cpuinfo, re.M)
        if mhz:
            info["cpu"] += f" ({float(mhz.group(1)):.0f} MHz)"
    except OSError:
        info["cpu"] = platform.processor() or platform.machine()
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        info["memory"] = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, AttributeError):
        info["memory"] = "unknown"
    info["os"] = platform.platform()
    info["python"] = platform.python_version()
    versions = []
    for name in ("ropa", "pandas", "numpy", "pyarrow", "pandera", "weasyprint", "hypothesis", "fideslang"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            versions.append(f"{name} {metadata.version(name)}")
    info["libraries"] = ", ".join(versions)
    try:
        info["commit"] = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                        text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        info["commit"] = "unknown"
    return info


def load_average() -> str:
    try:
        return " ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "n/a"


# -- running ------------------------------------------------------------------------------

def run_worker(stage: str, impl: str, folder: Path, nxt: Path | None, tmp: Path, timeout: float) -> dict:
    cmd = [sys.executable, str(HERE / "worker.py"), stage, impl, str(folder), "--tmp", str(tmp)]
    if nxt is not None:
        cmd += ["--next", str(nxt)]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=ROOT)
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout:.0f} s"}
    if proc.returncode != 0:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["no output"]
        return {"error": f"exit {proc.returncode}: {tail[0][:200]}"}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def measure(stage: str, impl: str, folder: Path, nxt: Path | None, repeat: int, timeout: float) -> dict:
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(repeat):
            r = run_worker(stage, impl, folder, nxt, Path(tmp), timeout)
            if "wall" not in r:
                return r
            runs.append(r)
    return {
        "wall": statistics.median(r["wall"] for r in runs),
        "cpu": statistics.median(r["cpu"] for r in runs),
        "peak_mb": max(r["peak_mb"] for r in runs),
        "delta_mb": max(r["peak_mb"] - r["rss_before_mb"] for r in runs),
        "runs": len(runs),
        "result": runs[-1]["result"],
    }


def import_times(repeat: int) -> dict[str, float]:
    """Seconds for `import ropa`, for the names a check needs, and for the taxonomy, cold."""
    code = r"""
import json, time
t0 = time.perf_counter(); import ropa
t1 = time.perf_counter(); ropa.load_register; ropa.check
t2 = time.perf_counter(); ropa.default_taxonomy()
t3 = time.perf_counter(); import ropa.checks.schemas
t4 = time.perf_counter()
tax = ropa.default_taxonomy()
empty = ropa.load_register("registers/pro-at")
ropa.check_register(ropa.Register(organisation={}, activities=empty.activities.iloc[:0],
                                  recipients=empty.recipients.iloc[:0], taxonomy=tax))
t5 = time.perf_counter()
print(json.dumps({"import ropa": t1 - t0, "+ pandas, load_register, check": t2 - t1,
                  "+ default taxonomy": t3 - t2, "+ pandera schemas": t4 - t3,
                  "+ first check (pro-at loaded, pandera backends registered)": t5 - t4, "total": t5 - t0}))
"""
    floor = "import json, time\nt0 = time.perf_counter(); import pandas\nprint(json.dumps({'import pandas': time.perf_counter() - t0}))"
    rows: list[dict[str, float]] = []
    for _ in range(repeat):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
        base = subprocess.run([sys.executable, "-c", floor], capture_output=True, text=True, check=True, cwd=ROOT)
        rows.append({**json.loads(out.stdout), **json.loads(base.stdout)})
    return {k: statistics.median(r[k] for r in rows) for k in rows[0]}


# -- reporting ----------------------------------------------------------------------------

def _fmt_s(x: float) -> str:
    return f"{x:.3f}" if x < 1 else f"{x:.2f}" if x < 100 else f"{x:.0f}"


def table(results: list[dict]) -> list[str]:
    lines = ["| activities | stage | ropa wall s | ropa CPU s | floor wall s | floor CPU s | ratio (wall) "
             "| ratio (CPU) | ropa peak MB (stage +) | floor peak MB (stage +) |",
             "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        ro, fl = r["ropa"], r["floor"]
        if "wall" not in ro:
            note = ro.get("skipped") or ro.get("error")
            lines.append(f"| {r['size']:,} | {r['stage']} | – | – | "
                         f"{_fmt_s(fl['wall']) if 'wall' in fl else '–'} | "
                         f"{_fmt_s(fl['cpu']) if 'cpu' in fl else '–'} | – | – | {note} | |")
            continue
        if "wall" not in fl:
            lines.append(f"| {r['size']:,} | {r['stage']} | {_fmt_s(ro['wall'])} | {_fmt_s(ro['cpu'])} | – | – "
                         f"| – | – | {ro['peak_mb']:.0f} (+{ro['delta_mb']:.0f}) "
                         f"| {fl.get('error') or fl.get('skipped', '')} |")
            continue
        lines.append(
            f"| {r['size']:,} | {r['stage']} | {_fmt_s(ro['wall'])} | {_fmt_s(ro['cpu'])} | {_fmt_s(fl['wall'])} "
            f"| {_fmt_s(fl['cpu'])} | {ro['wall'] / fl['wall']:.1f}× | {ro['cpu'] / max(fl['cpu'], 1e-9):.1f}× "
            f"| {ro['peak_mb']:.0f} (+{ro['delta_mb']:.0f}) | {fl['peak_mb']:.0f} (+{fl['delta_mb']:.0f}) |")
    return lines


def targets(results: list[dict], imports: dict[str, float] | None) -> list[str]:
    out = []
    if imports:
        t = imports["import ropa"]
        full = imports["total"]
        out.append(f"- `import ropa` in under {TARGETS['import_s']} s: {t:.3f} s "
                   f"({'met' if t < TARGETS['import_s'] else 'missed'}); with pandas, the taxonomy and the "
                   f"pandera schemas loaded and a first check made (pandera registers its backends "
                   f"then): {full:.2f} s "
                   f"({'also under' if full < TARGETS['import_s'] else 'over'} {TARGETS['import_s']} s).")
    for r in results:
        if r["stage"] != "check" or "wall" not in r["ropa"]:
            continue
        ro, fl, n = r["ropa"], r["floor"], r["size"]
        if n < 100000:
            continue
        verdict = []
        verdict.append(f"{ro['wall']:.2f} s wall, {ro['cpu']:.2f} s CPU against a {TARGETS['check_100k_s']:.0f} s "
                       f"target: {'met' if ro['wall'] < TARGETS['check_100k_s'] else 'missed by ' + format(ro['wall'] - TARGETS['check_100k_s'], '.2f') + ' s'}")
        if "wall" in fl:
            ratio = ro["wall"] / fl["wall"]
            verdict.append(f"{ratio:.1f}× the floor ({fl['wall']:.2f} s; target 2×: "
                           f"{'met' if ratio <= TARGETS['check_ratio'] else 'missed'})")
        if "cpu" in fl:
            ratio = ro["cpu"] / max(fl["cpu"], 1e-9)
            verdict.append(f"in CPU time {ratio:.1f}× the floor ({fl['cpu']:.2f} s; target 2×: "
                           f"{'met' if ratio <= TARGETS['check_ratio'] else 'missed'})")
        verdict.append(f"peak {ro['peak_mb']:.0f} MB (target < {TARGETS['check_peak_mb']} MB: "
                       f"{'met' if ro['peak_mb'] < TARGETS['check_peak_mb'] else 'missed'})")
        found = ro.get("result")
        if isinstance(found, int):
            verdict.append(f"{found:,} findings (target at most {TARGETS['check_findings']:,}: "
                           f"{'met' if found <= TARGETS['check_findings'] else 'missed'})")
        out.append(f"- `ropa.check(register, policy)` at {n:,} activities: " + "; ".join(verdict) + ".")
    for r in results:
        if r["stage"] == "report" and "wall" in r["ropa"]:
            ro = r["ropa"]
            out.append(f"- `ropa report` at {r['size']:,} activities: {ro['wall']:.1f} s wall, {ro['cpu']:.1f} s CPU, "
                       f"peak {ro['peak_mb']:.0f} MB.")
    return out


def write_results(path: Path, info: dict, load_before: str, load_after: str, started: str, elapsed: float,
                  results: list[dict], imports: dict | None, sizes: list[int], repeat: int) -> None:
    notes = ""
    if path.exists():
        m = re.search(r"<!-- notes -->.*?<!-- /notes -->", path.read_text(encoding="utf-8"), re.S)
        notes = m.group(0) if m else ""
    if not notes:
        notes = "<!-- notes -->\n(Notes on the figures: written by hand, kept across runs.)\n<!-- /notes -->"
    lines = [
        "# Benchmark results",
        "",
        f"Written by `python benchmarks/run.py` on {started} ({elapsed / 60:.1f} min); sizes "
        f"{', '.join(f'{s:,}' for s in sizes)}; each figure the median of {repeat} fresh processes.",
        "",
        "## Machine",
        "",
        *[f"- {k}: {v}" for k, v in info.items()],
        f"- load average (1, 5, 15 min) at start: {load_before}; at end: {load_after}",
        "",
        "Wall time is what a user waits; CPU time (this process and its children) is what the",
        "stage costs when other work shares the machine. Peak is the process's peak resident",
        "memory (MB) with its inputs loaded; `+` is what the stage itself added to the peak.",
        "",
        "## Targets",
        "",
        *targets(results, imports),
        "",
    ]
    if imports:
        lines += ["## Start-up (median, fresh processes)", "", "| step | seconds |", "|---|---:|",
                  *[f"| {k} | {v:.3f} |" for k, v in imports.items()], ""]
    lines += ["## Stages", "", *table(results), "", "## Notes", "", notes, ""]
    path.write_text("\n".join(lines), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark every stage of ropa against its floor.")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--stages", nargs="+", default=list(STAGES), choices=STAGES)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pdf-max-size", type=int, default=1000, help="largest size for record-pdf")
    parser.add_argument("--report-max-size", type=int, default=10000, help="largest size for report")
    parser.add_argument("--timeout", type=float, default=1800)
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "ropa-bench")
    parser.add_argument("--results", type=Path, default=HERE / "RESULTS.md")
    parser.add_argument("--no-imports", action="store_true", help="skip the start-up measurement")
    args = parser.parse_args(argv)

    sys.path.insert(0, str(HERE))
    import generate

    started = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    t0 = time.perf_counter()
    load_before = load_average()
    info = machine()
    print("machine:", "; ".join(f"{k}: {v}" for k, v in info.items()), flush=True)
    imports = None if args.no_imports else import_times(max(args.repeat, 3))
    if imports:
        print("start-up:", ", ".join(f"{k} {v:.3f} s" for k, v in imports.items()), flush=True)
    results = []
    for i, n in enumerate(sorted(args.sizes)):
        base, nxt = args.out / f"reg-{n}", args.out / f"reg-{n}-next"
        if not (base / "activities.csv").exists() or not (nxt / "activities.csv").exists():
            print(f"generating {n:,} activities ...", flush=True)
            generate.generate(n, args.out)
        for stage in args.stages:
            if stage in PDF_STAGES and n > (args.report_max_size if stage == "report" else args.pdf_max_size):
                continue
            if stage in ONCE and i > 0:
                continue
            row = {"size": n, "stage": stage}
            for impl in ("ropa", "floor"):
                row[impl] = measure(stage, impl, base, nxt, args.repeat, args.timeout)
                if impl == "ropa" and "skipped" in row[impl]:
                    break
            row.setdefault("floor", {})
            results.append(row)
            print(table([row])[-1], flush=True)
    elapsed = time.perf_counter() - t0
    write_results(args.results, info, load_before, load_average(), started, elapsed, results, imports,
                  sorted(args.sizes), args.repeat)
    print("\n".join(table(results)))
    print("\n".join(targets(results, imports)))
    print(f"written to {args.results}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
