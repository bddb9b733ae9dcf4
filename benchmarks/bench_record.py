"""The Article 30 record as PDF at scale: the chunked renderer against one plain WeasyPrint pass.

    .venv/bin/python benchmarks/bench_record.py [--sizes 100 1000 10000] [--workers N]
                                                [--skip-plain-above 20000] [--out DIR]

For each size, a register of that many activities is made from PRO-AT's (its 20 activities
repeated with new ids: 17 controller and 3 processor activities in each 20, so every part
of the record is exercised), and two cases are run, each in a fresh subprocess:

- ``chunked``: ``ropa.write_record(..., format="pdf")``, which renders records above
  ``CHUNK_WEIGHT`` rows in chunks, in ``min(cpus, chunks)`` worker processes, joins them with
  pypdf and stamps page numbers across the whole document;
- ``plain``: the same record model and the same HTML, rendered in one WeasyPrint pass
  (``ropa.outputs.pdf.render_pdf`` over the whole document).

Time is wall-clock for the whole case (record model, HTML, PDF, attachment), and CPU time
of the case and its workers (which, on a loaded machine, shows the chunked renderer's
overhead apart from what parallelism gains when cores are free). Memory is read
with ``resource.getrusage``: ``ru_maxrss`` of the case process (RUSAGE_SELF) and of its
largest worker (RUSAGE_CHILDREN); for the chunked case the bound on memory held at once is
the parent plus ``workers`` times the largest worker. The benchmark prints one line per case
and the ratios (plain / chunked) per size. Not a timed test: figures depend on the machine
and its load.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DATE = dt.date(2026, 11, 25)


def _register(size: int):
    import pandas as pd

    import ropa

    base = ropa.load_register(ROOT / "registers" / "pro-at")
    acts = base.activities
    reps = -(-size // len(acts))
    big = pd.concat([acts] * reps, ignore_index=True).iloc[:size].copy()
    big["activity_id"] = [f"{role[0].upper()}{i:05d}" for i, role in enumerate(big["role"])]
    big.index = pd.RangeIndex(2, 2 + len(big), name="row")
    reg = copy.copy(base)
    reg.activities = big
    return reg


def _case(mode: str, size: int, out: Path, workers: int | None) -> dict:
    """Run one case in this process (called in a subprocess)."""
    start = time.perf_counter()
    reg = _register(size)
    if mode == "chunked":
        import ropa.outputs.pdf as pdf

        if workers:
            real = pdf.pool_workers
            pdf.pool_workers = lambda chunks, _w=None: real(chunks, workers)
        import ropa

        ropa.write_record(reg, out, format="pdf", date=DATE)
    else:
        from ropa.outputs.formats import RECORD_STYLESHEET, record_model, render_record_html
        from ropa.outputs.pdf import render_pdf

        model = record_model(reg, date=DATE)
        html = render_record_html(model, inline_css=False)
        render_pdf(html, out, date=DATE, title=model["title"], author=model["organisation"]["name"],
                   stylesheets=[RECORD_STYLESHEET],
                   attachments={"article30.json": json.dumps(model, ensure_ascii=False, indent=1)})
    seconds = time.perf_counter() - start
    from pypdf import PdfReader

    pages = len(PdfReader(out).pages)
    own = resource.getrusage(resource.RUSAGE_SELF)
    workers_ = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = own.ru_utime + own.ru_stime + workers_.ru_utime + workers_.ru_stime
    return {"mode": mode, "size": size, "seconds": round(seconds, 1), "cpu_seconds": round(cpu, 1),
            "pages": pages, "bytes": out.stat().st_size, "self_mb": round(own.ru_maxrss / 1024),
            "worker_mb": round(workers_.ru_maxrss / 1024)}


def _run(mode: str, size: int, folder: Path, workers: int | None) -> dict:
    out = folder / f"{mode}-{size}.pdf"
    cmd = [sys.executable, __file__, "--case", mode, str(size), str(out)]
    if workers:
        cmd += ["--workers", str(workers)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode:
        return {"mode": mode, "size": size, "error": done.stderr.strip().splitlines()[-1:]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[100, 1000, 10000])
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--skip-plain-above", type=int, default=10**9,
                        help="do not run the plain pass above this many activities")
    parser.add_argument("--out", type=Path, default=None, help="keep the PDFs in this folder")
    parser.add_argument("--case", nargs=3, metavar=("MODE", "SIZE", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.case:
        mode, size, out = args.case
        print(json.dumps(_case(mode, int(size), Path(out), args.workers)))
        return

    folder = args.out or Path(tempfile.mkdtemp(prefix="bench-record-"))
    folder.mkdir(parents=True, exist_ok=True)
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"# bench_record: {cpus} CPUs, workers {args.workers or 'auto'}, PDFs in {folder}")
    print(f"{'case':>8} {'activities':>10} {'seconds':>8} {'CPU s':>8} {'pages':>6} {'MB file':>8} "
          f"{'peak MB (main)':>15} {'peak MB (worker)':>17}")
    results: dict[tuple[str, int], dict] = {}
    for size in args.sizes:
        for mode in ("chunked", "plain"):
            if mode == "plain" and size > args.skip_plain_above:
                continue
            r = _run(mode, size, folder, args.workers)
            results[(mode, size)] = r
            if "error" in r:
                print(f"{mode:>8} {size:>10} failed: {r['error']}")
                continue
            print(f"{mode:>8} {size:>10} {r['seconds']:>8} {r['cpu_seconds']:>8} {r['pages']:>6} {r['bytes'] / 1e6:>8.1f} "
                  f"{r['self_mb']:>15} {r['worker_mb'] if mode == 'chunked' else '-':>17}", flush=True)
    print("\n# ratios, plain / chunked (above 1: the chunked renderer is faster / smaller)")
    for size in args.sizes:
        c, p = results.get(("chunked", size)), results.get(("plain", size))
        if not c or not p or "error" in c or "error" in p:
            continue
        chunk_peak = max(c["self_mb"], c["worker_mb"])
        print(f"{size:>10} activities: time {p['seconds'] / c['seconds']:.2f}x, "
              f"CPU {p['cpu_seconds'] / c['cpu_seconds']:.2f}x, "
              f"peak memory of one process {p['self_mb'] / chunk_peak:.2f}x")


if __name__ == "__main__":
    main()
