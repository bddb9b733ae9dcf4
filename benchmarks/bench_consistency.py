"""Register against policy at scale: ``ropa.consistency`` next to a plain-pandas join floor.

    .venv/bin/python benchmarks/bench_consistency.py [--activities 100000] [--statements 300]
                                                      [--vendors 300] [--repeat 3] [--seed 7]

Builds a register DataFrame directly (no files): ~100,000 activities with ~10 flows each
(1-4 data categories, 1-2 purposes, 1-2 data subjects, 0-3 recipients plus ``we``),
recipients drawn from a few hundred named vendors and the recipient categories, and a policy
of a few hundred statements (collection and use by ``we``, sharing with vendors and with
categories, about a tenth negations with exceptions), all drawn from the taxonomy with
skewed (Zipf-like) frequencies, as real registers repeat a few common terms.

Measured, in the same run:

- ``flows``: ``ropa.flows(register)``, the flow table alone;
- ``consistency``: ``ropa.consistency(register, policy)``: flows, classification with
  taxonomy subsumption, exceptions, scope, best statement, vagueness and reasons;
- ``floor``: what plain pandas costs to do much less: explode the four list columns into
  flows (plus ``we``) and merge them with the statements exploded on exact keys (data,
  recipient, purpose), no taxonomy at all; then one boolean per flow.

Time is the median of ``--repeat`` runs (after one warm-up that also builds the taxonomy's
distance tables, which a register does once); peak memory is measured in a separate run
with tracemalloc (numpy and pandas report their buffers to it).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import ropa
from ropa.policy.model import Policy, statements_frame
from ropa.register.model import Register


def _zipf_choice(rng: np.random.Generator, pool: list[str], size, a: float = 1.1) -> np.ndarray:
    weights = 1.0 / np.arange(1, len(pool) + 1) ** a
    return rng.choice(np.asarray(pool, dtype=object), size=size, p=weights / weights.sum())


def _lists(rng, pool, n, lo, hi) -> list[list[str]]:
    sizes = rng.integers(lo, hi + 1, size=n)
    flat = _zipf_choice(rng, pool, int(sizes.sum()))
    out, i = [], 0
    for k in sizes:
        out.append(list(dict.fromkeys(flat[i:i + k])))
        i += k
    return out


def build(n_activities: int, n_statements: int, n_vendors: int, seed: int) -> tuple[Register, Policy]:
    rng = np.random.default_rng(seed)
    tax = ropa.default_taxonomy()
    data = [k for k in tax.keys("data_category") if k.startswith("user.") and k.count(".") >= 1]
    uses = [k for k in tax.keys("data_use") if "." in k]
    subjects = tax.keys("data_subject")
    categories = [k for k in tax.keys("recipient") if k.startswith("third_party.")]
    rng.shuffle(data)
    rng.shuffle(uses)
    kinds = ["processor", "controller", "joint_controller"]
    vendors = pd.DataFrame({
        "recipient_id": [f"v{i:04d}" for i in range(n_vendors)],
        "name": [f"Vendor {i}" for i in range(n_vendors)],
        "aliases": [[] for _ in range(n_vendors)],
        "kind": rng.choice(kinds, n_vendors),
        "category": rng.choice(categories, n_vendors),
        "country": rng.choice(["NL", "DE", "US", "IE", "FR"], n_vendors),
        "transfer_safeguard": "", "contract_reference": "DPA", "description": "",
    })
    pub = vendors["category"].str.startswith("third_party.public_authority")
    vendors.loc[pub, "kind"] = "public_authority"
    recipient_pool = vendors["recipient_id"].tolist() + categories

    n = n_activities
    recipients = _lists(rng, recipient_pool, n, 0, 3)
    activities = pd.DataFrame({
        "activity_id": [f"A{i:06d}" for i in range(n)],
        "name": [f"Activity {i}" for i in range(n)],
        "role": rng.choice(["controller", "controller", "controller", "processor"], n),
        "purposes": _lists(rng, uses, n, 1, 2),
        "lawful_basis": _lists(rng, ["art6_1_b", "art6_1_f", "art6_1_a", "art6_1_c"], n, 1, 2),
        "data_subjects": _lists(rng, subjects, n, 1, 2),
        "data_categories": _lists(rng, data, n, 1, 4),
        "recipients": [r or ["none"] for r in recipients],
        "status": rng.choice(["active"] * 19 + ["retired"], n),
    })
    register = Register(organisation={"name": "Bench", "controller": {"country": "NL"}},
                        activities=activities, recipients=vendors,
                        taxonomy=tax.with_entities(vendors))

    records = []
    parents = sorted({k.rsplit(".", 1)[0] for k in data if k.count(".") >= 2})
    use_parents = sorted({k.rsplit(".", 1)[0] for k in uses if k.count(".") >= 2})
    for i in range(n_statements):
        negative = rng.random() < 0.1
        share = rng.random() < 0.5
        if negative:
            action = "not_share" if share else "not_collect"
        else:
            action = rng.choice(["share", "transfer"]) if share else rng.choice(["collect", "use", "track", "retain"])
        stmt_data = list(dict.fromkeys(_zipf_choice(rng, data + parents, int(rng.integers(1, 4)))))
        stmt_purp = [] if rng.random() < 0.2 else list(dict.fromkeys(
            _zipf_choice(rng, uses + use_parents, int(rng.integers(1, 3)))))
        if share:
            ents = list(dict.fromkeys(_zipf_choice(rng, [*recipient_pool, "third_party"], int(rng.integers(1, 3)))))
        else:
            ents = ["we"]
        records.append({
            "statement_id": f"s{i}", "section": str(i // 5 + 1), "actor": "we", "action": action,
            "data_categories": stmt_data, "purposes": [] if negative else stmt_purp, "recipients": ents,
            "exceptions": list(rng.choice(["consent", "legal_obligation", "contract"], int(rng.integers(0, 2)))),
            "quote": f"Statement {i}.",
        })
    policy = Policy(version="2026-01-01", sections=pd.DataFrame(), statements=statements_frame(records),
                    meta={"scope": {"excludes": ["employee"]}}, origin="reviewed")
    return register, policy


def floor(register: Register, policy: Policy) -> pd.DataFrame:
    """Plain pandas, exact keys only: explode to flows and merge with the statements."""
    a = register.activities
    a = a[a["status"] != "retired"]
    fl = a[["activity_id", "data_categories", "data_subjects", "purposes", "recipients"]].copy()
    fl["recipients"] = [["we", *[x for x in r if x != "none"]] for r in fl["recipients"]]
    for col in ("data_categories", "data_subjects", "purposes", "recipients"):
        fl = fl.explode(col, ignore_index=True)
    st = policy.statements[["statement_id", "data_categories", "purposes", "recipients"]]
    for col in ("data_categories", "purposes", "recipients"):
        st = st.explode(col, ignore_index=True)
    st = st.drop_duplicates(["data_categories", "purposes", "recipients"])
    out = fl.merge(st, on=["data_categories", "purposes", "recipients"], how="left")
    out["covered"] = out["statement_id"].notna()
    return out


def _time(fn, repeat: int) -> tuple[float, float, object]:
    """Median wall-clock and CPU seconds (CPU time is what a loaded, shared machine distorts least)."""
    walls, cpus, result = [], [], None
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        result = fn()
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    return statistics.median(walls), statistics.median(cpus), result


def _peak(fn) -> float:
    tracemalloc.start()
    tracemalloc.reset_peak()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--activities", type=int, default=100_000)
    ap.add_argument("--statements", type=int, default=300)
    ap.add_argument("--vendors", type=int, default=300)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    register, policy = build(args.activities, args.statements, args.vendors, args.seed)
    t_build = time.perf_counter() - t0
    t0 = time.perf_counter()
    table = ropa.consistency(register, policy)  # warm-up: builds the taxonomy's distance tables
    t_cold = time.perf_counter() - t0

    runs = {
        "flows": lambda: ropa.flows(register),
        "consistency": lambda: ropa.consistency(register, policy),
        "floor (explode + exact merge)": lambda: floor(register, policy),
    }
    results = {}
    for name, fn in runs.items():
        wall, cpu, out = _time(fn, args.repeat)
        results[name] = (wall, cpu, _peak(fn), len(out))

    from ropa.checks.consistency import CLASSES
    from ropa.checks.flows import build_flows

    f = build_flows(register)
    print(f"input: {args.activities:,} activities ({(register.activities['status'] != 'retired').sum():,} live), "
          f"{len(policy.statements)} statements, {args.vendors} vendors; built in {t_build:.1f} s")
    print(f"flows: {len(table):,}; distinct values: data {len(f.data)}, recipients {len(f.recipients)}, "
          f"purposes {len(f.purposes)}, subjects {len(f.subjects)}")
    print(f"first call (taxonomy distance tables built): {t_cold:.2f} s")
    print(f"load average at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())} (2 cores)")
    print(f"{'stage':32} {'wall s':>8} {'cpu s':>8} {'peak MiB':>9} {'rows':>11}")
    for name, (wall, cpu, peak, rows) in results.items():
        print(f"{name:32} {wall:8.3f} {cpu:8.3f} {peak:9.0f} {rows:11,}")
    c, fl = results["consistency"], results["floor (explode + exact merge)"]
    print(f"consistency / floor: wall {c[0] / fl[0]:.2f}x, cpu {c[1] / fl[1]:.2f}x, "
          f"peak memory {c[2] / fl[2]:.2f}x")
    counts = table["class"].value_counts().reindex(list(CLASSES), fill_value=0)
    print("classes: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))


if __name__ == "__main__":
    main()
