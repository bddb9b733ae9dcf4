"""ropa.consistency next to Fides' own policy evaluation (`fides --local evaluate`) on the same input.

    benchmarks/fides_peer/setup.sh                   # once: a separate venv with ethyca-fides
    .venv/bin/python benchmarks/fides_peer/bench_fides_peer.py [--sizes 100 250 500 1000]
                                                               [--statements 300] [--fides-venv DIR]

For each size N, the register of bench_consistency.py (N activities, the same vendors and
policy) is written as Fides manifests: one system per activity, one privacy declaration per
purpose (its data categories and data subjects), and one Fides policy whose rules are the
policy's statements (a rule per statement: its data categories, its purposes or every data use,
its data subjects or every subject, each matched ANY). Fides then flags every declaration a
statement covers, which is the coverage half of what ropa computes (Fides has no recipients,
no negations with exceptions, no classes); ropa.consistency gets the same register and policy.

Fides is timed in its own venv, in-process (``fides.core.evaluate.evaluate(local=True,
dry=True)``: parsing the manifests, merging the taxonomy and evaluating, without the CLI's
start-up); ropa is timed warm, in this process. Nothing of Fides is imported here.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE.parent.parent))

from bench_consistency import build  # noqa: E402

import ropa  # noqa: E402

DEFAULT_VENV = Path(os.environ.get("FIDES_PEER_VENV", Path.home() / ".cache" / "ropa-fides-peer" / "venv"))

_TIMER = """
import json, sys, time
import fides.core.evaluate as ev
spent = {"loop": 0.0}
loop = ev.execute_evaluation
def timed_loop(taxonomy):
    t = time.perf_counter()
    try:
        return loop(taxonomy)
    finally:
        spent["loop"] += time.perf_counter() - t
ev.execute_evaluation = timed_loop
t0 = time.perf_counter()
try:
    ev.evaluate(url="http://localhost:8080", manifests_dir=sys.argv[1], headers={}, local=True, dry=True)
except SystemExit:  # evaluate() exits 1, after printing the violations, when any rule is violated
    pass
print(json.dumps({"seconds": time.perf_counter() - t0, "loop": spent["loop"]}))
"""


def write_manifests(register, policy, folder: Path) -> tuple[int, int]:
    tax = ropa.default_taxonomy()
    uses, subjects = tax.keys("data_use"), tax.keys("data_subject")
    acts = register.activities[register.activities["status"] != "retired"]
    systems = []
    for a in acts.itertuples():
        decls = [{"name": f"{a.activity_id}-{use}", "data_categories": list(a.data_categories),
                  "data_use": use, "data_subjects": list(a.data_subjects)} for use in a.purposes]
        systems.append({"fides_key": a.activity_id, "name": a.name, "system_type": "Service",
                        "privacy_declarations": decls})
    rules = []
    for s in policy.statements.itertuples():
        if s.action == "inform":
            continue
        rules.append({
            "name": s.statement_id,
            "data_categories": {"matches": "ANY", "values": list(s.data_categories) or ["user"]},
            "data_uses": {"matches": "ANY", "values": list(s.purposes) or uses},
            "data_subjects": {"matches": "ANY", "values": list(s.data_subjects) or subjects},
        })
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "system.yml").write_text(yaml.safe_dump({"system": systems}, sort_keys=False))
    (folder / "policy.yml").write_text(yaml.safe_dump(
        {"policy": [{"fides_key": "ropa_bench", "name": "ropa bench", "rules": rules}]}, sort_keys=False))
    return len(systems), sum(len(s["privacy_declarations"]) for s in systems)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[100, 250, 500, 1000])
    ap.add_argument("--statements", type=int, default=300)
    ap.add_argument("--vendors", type=int, default=300)
    ap.add_argument("--fides-venv", type=Path, default=DEFAULT_VENV)
    ap.add_argument("--timeout", type=int, default=1800)
    args = ap.parse_args(argv)
    python = args.fides_venv / "bin" / "python"
    if not python.exists():
        sys.exit(f"no Fides venv at {args.fides_venv}: run benchmarks/fides_peer/setup.sh first")
    version = subprocess.run([str(python), "-c", "import fides; print(fides.__version__)"],
                             capture_output=True, text=True).stdout.strip()
    print(f"ethyca-fides {version}; {args.statements} statements as rules; load average "
          f"{', '.join(f'{x:.1f}' for x in os.getloadavg())} (2 cores)")
    print("fides s: evaluate() in-process (parse, taxonomy merge, evaluation, report); loop s: its")
    print("execute_evaluation() alone; ropa s: ropa.consistency, warm; ratio: fides s / ropa s")
    print(f"{'activities':>10} {'declarations':>12} {'flows':>9} {'fides s':>9} {'loop s':>8} {'ropa s':>8} {'ratio':>7}")
    for n in args.sizes:
        register, policy = build(n, args.statements, args.vendors, seed=7)
        with tempfile.TemporaryDirectory() as tmp:
            n_sys, n_decl = write_manifests(register, policy, Path(tmp) / "manifests")
            try:
                out = subprocess.run([str(python), "-c", _TIMER, str(Path(tmp) / "manifests")],
                                     capture_output=True, text=True, timeout=args.timeout)
                timing = json.loads(out.stdout.strip().splitlines()[-1])
                fides_s, loop_s = timing["seconds"], timing["loop"]
            except subprocess.TimeoutExpired:
                fides_s = loop_s = float("nan")
        ropa.consistency(register, policy)  # warm the taxonomy tables, as for Fides' import
        t0 = time.perf_counter()
        table = ropa.consistency(register, policy)
        ropa_s = time.perf_counter() - t0
        print(f"{n_sys:>10,} {n_decl:>12,} {len(table):>9,} {fides_s:>9.2f} {loop_s:>8.2f} "
              f"{ropa_s:>8.3f} {fides_s / ropa_s:>6.0f}x", flush=True)


if __name__ == "__main__":
    main()
