#!/usr/bin/env python3
"""How well ropa reads real privacy policies and real policy changes: the hand-read corpus.

    .venv/bin/python benchmarks/extraction.py                  # print, and write RESULTS.md's "## Extraction"
    .venv/bin/python benchmarks/extraction.py --no-write       # print only
    .venv/bin/python benchmarks/extraction.py --corpus DIR --results FILE
    .venv/bin/python benchmarks/extraction.py --no-write --misses [SERVICE ...]   # what was missed, and why to look

The corpus is ``../shared/corpus`` seen from the project's root (``--corpus`` or the
environment variable ``ROPA_CORPUS`` point elsewhere); it never goes into the project. Only
the public API is used (``ropa.load_policy``, ``ropa.diff_policies``), so the figures are what
a user gets with no review, on any checkout.

**Extraction.** Each ``policies/<service>/<date>.gold.yaml`` is scored by the corpus's own
``score.py`` (imported from the corpus folder, not copied): precision, recall, flipped
(promises read backwards) and named recipients found, per policy; the totals give both the
mean over policies (as ``score.py`` prints) and the pooled figures (all flows together).
``score.py`` never credits an extracted flow whose data is only ``user`` towards recall, and a
gold flow whose accepted keys are all ``user`` can be matched by nothing else; so the script
also prints the *ceiling* (the mean recall reached if every other gold flow were found) and
the recall over *reachable* gold flows, so that a reader knows how far the figure can go.
``--misses`` lists, per policy, the gold flows no extracted flow matches and the extracted
flows that match no gold flow (with the policy's line), and per diff pair the unexpected
changes: the worklist, read beside the texts.

**Diffs.** Each ``diffs/<pair>/`` holds two versions and ``ANSWERS.yaml``: ``material`` (the
changes of substance a DPO must be told about: kind, aspect, what, old_line, new_line) and
``not_material`` (edits that must not be reported as changes of substance). A row of
``ropa.diff_policies(old, new)`` with ``material`` true is a *reported* change. Its lines are
its ``old_line`` and ``new_line``, else the ``line`` of its old and new statement
(``old_statement``/``new_statement``); its names are
the keys in its ``added`` and ``removed`` columns (``vendor:`` and ``~`` dropped).

A reported change matches an answer item when all three hold:

1. *aspect*: the same aspect, or one of a family: recipient ~ transfer, controller ~ scope,
   consent ~ exception, data_category ~ data_subject; an answer of aspect ``other`` takes any;
2. *kind*: the same kind, or either of them is ``changed`` (a changed statement can add one
   recipient and drop another);
3. *place or name*: its old line is at most 1 line from the item's ``old_line``, or its new
   line at most 1 from the item's ``new_line`` (sub-processor tables put one recipient on each
   line, so a wider slack would credit a neighbour's row); or, for an added (removed) item, a
   name it added (removed) is one of the item's ``what`` words or a run of up to four of them
   written together (``~actirise`` in "New sub-processor Actirise (EU, Ad-Service)",
   ``~buysellads`` in "Buy Sell Ads"; at least 4 letters or digits). A ``changed`` item needs
   the place.

An answer's ``material`` item is *found* when some reported change matches it. A reported
change that matches no material item is *unexpected*; a ``not_material`` item is *wrongly
reported* when an unexpected change stands on its lines (old or new, at most 1 apart).
``stated_date`` is right when the version's ``stated_date`` starts with the answer's date.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import platform
import re
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
LINE_SLACK = 1
ASPECT_FAMILY = [{"recipient", "transfer"}, {"controller", "scope"}, {"consent", "exception"},
                 {"data_category", "data_subject"}]
BEGIN, END = "<!-- extraction -->", "<!-- /extraction -->"


def find_corpus(arg: str | None) -> Path:
    for cand in (arg, os.environ.get("ROPA_CORPUS"), ROOT.parent / "shared" / "corpus"):
        if cand and (Path(cand) / "score.py").exists():
            return Path(cand).resolve()
    sys.exit("the corpus was not found: give --corpus DIR or set ROPA_CORPUS (the folder holding score.py)")


# -- extraction -------------------------------------------------------------------------------


def extraction_scores(corpus: Path) -> list[dict]:
    sys.path.insert(0, str(corpus))
    try:
        import score as corpus_score  # the corpus's own scorer
    finally:
        sys.path.remove(str(corpus))
    rows = []
    for gold in sorted((corpus / "policies").rglob("*.gold.yaml")):
        text = gold.with_name(gold.name.replace(".gold.yaml", ".md"))
        row = corpus_score.score(text, gold)
        row["reachable"], _ = _reachable(gold)
        row["gold_path"] = gold
        rows.append(row)
    return rows


def _reachable(gold_path: Path) -> tuple[int, int]:
    """(gold flows with some data key other than the root ``user``, all gold flows)."""
    gold = yaml.safe_load(gold_path.read_text(encoding="utf-8")) or {}
    flows = gold.get("flows") or []
    ok = sum(1 for f in flows if any(str(k) != "user" for k in [f.get("data"), *(f.get("alt") or [])]))
    return ok, len(flows)


def extraction_totals(rows: list[dict]) -> dict:
    n = len(rows) or 1
    extracted = sum(r["extracted"] for r in rows)
    gold = sum(r["gold"] for r in rows)
    return {
        "mean_precision": sum(r["precision"] for r in rows) / n,
        "mean_recall": sum(r["recall"] for r in rows) / n,
        "recall_ceiling": sum(r.get("reachable", r["gold"]) / r["gold"] for r in rows if r["gold"]) / n,
        "reachable_recall": sum(r["recall"] * r["gold"] for r in rows) / max(1, sum(r.get("reachable", r["gold"])
                                                                                   for r in rows)),
        "pooled_precision": sum(r["precision"] * r["extracted"] for r in rows) / extracted if extracted else 0.0,
        "pooled_recall": sum(r["recall"] * r["gold"] for r in rows) / gold if gold else 0.0,
        "flipped": sum(r["flipped"] for r in rows),
        "recipients_found": sum(r["recipients_found"] for r in rows),
        "recipients_named": sum(r["recipients_named"] for r in rows),
        "extracted": extracted,
        "gold": gold,
    }


# -- diffs --------------------------------------------------------------------------------------


def _letters(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", str(text).lower())


def _aspect_ok(item: str, row: str) -> bool:
    if item == "other" or item == row:
        return True
    return any(item in fam and row in fam for fam in ASPECT_FAMILY)


def _kind_ok(item: str, row: str) -> bool:
    return item == row or "changed" in (item, row)


def _near(a, b) -> bool:
    return a is not None and b is not None and abs(int(a) - int(b)) <= LINE_SLACK


def _names(keys) -> list[str]:
    out = []
    for k in keys if isinstance(keys, list | tuple) else list(keys or []):
        name = _letters(str(k).split(":", 1)[-1].lstrip("~").split(".")[-1])
        if len(name) >= 4:
            out.append(name)
    return out


def matches(item: dict, change: dict) -> bool:
    if not (_aspect_ok(item.get("aspect", "other"), change["aspect"]) and _kind_ok(item.get("kind", "changed"),
                                                                                   change["kind"])):
        return False
    if _near(change["old_line"], item.get("old_line")) or _near(change["new_line"], item.get("new_line")):
        return True
    kind = item.get("kind")
    if kind not in ("added", "removed"):
        return False
    words = re.findall(r"[a-z0-9]+", str(item.get("what", "")).lower())
    runs = {"".join(words[i:j]) for i in range(len(words)) for j in range(i + 1, min(i + 5, len(words) + 1))}
    return any(n in runs for n in change[kind])


def _line(given, of_statement):
    """A change's line: its own ``old_line``/``new_line`` where the diff gives one, else its statement's."""
    return of_statement if given is None or given != given else int(given)


def reported_changes(old, new) -> list[dict]:
    import ropa

    changes = ropa.diff_policies(old, new)
    old_lines = dict(zip(old.statements["statement_id"], old.statements["line"], strict=True))
    new_lines = dict(zip(new.statements["statement_id"], new.statements["line"], strict=True))
    out = []
    for row in changes[changes["material"].astype(bool)].to_dict("records"):
        out.append({
            "kind": str(row["kind"]), "aspect": str(row["aspect"]), "reason": str(row.get("reason") or ""),
            "old_line": _line(row.get("old_line"), old_lines.get(row.get("old_statement"))),
            "new_line": _line(row.get("new_line"), new_lines.get(row.get("new_statement"))),
            "added": _names(row.get("added") or []), "removed": _names(row.get("removed") or []),
        })
    return out


def diff_scores(corpus: Path) -> list[dict]:
    import ropa

    rows = []
    for pair in sorted(p for p in (corpus / "diffs").iterdir() if (p / "ANSWERS.yaml").exists()):
        answers = yaml.safe_load((pair / "ANSWERS.yaml").read_text(encoding="utf-8")) or {}
        old_path, new_path = sorted(pair.glob("*.md"), key=lambda p: p.stem)[:2]
        old, new = ropa.load_policy(old_path), ropa.load_policy(new_path)
        reported = reported_changes(old, new)
        material = answers.get("material") or []
        not_material = answers.get("not_material") or []
        found = [any(matches(item, c) for c in reported) for item in material]
        unexpected = [c for c in reported if not any(matches(item, c) for item in material)]
        wrong = [any(_near(c["old_line"], item.get("old_line")) or _near(c["new_line"], item.get("new_line"))
                     for c in unexpected) for item in not_material]
        dates = answers.get("stated_date") or {}
        dates_right = sum(
            1 for side, pol in (("old", old), ("new", new))
            if dates.get(side) and pol.stated_date is not None and str(pol.stated_date).startswith(str(dates[side])))
        rows.append({
            "pair": pair.name, "material": len(material), "found": sum(found), "reported": len(reported),
            "unexpected": len(unexpected), "not_material": len(not_material), "wrong": sum(wrong),
            "dates": dates_right, "dates_total": sum(1 for s in ("old", "new") if dates.get(s)),
            "missed": [m.get("what", "")[:70] for m, f in zip(material, found, strict=True) if not f],
            "unexpected_changes": unexpected,
        })
    return rows


# -- the report -----------------------------------------------------------------------------


def machine() -> list[str]:
    info = [f"nproc {os.cpu_count()}"]
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text()
        m = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.M)
        info.append(m.group(1).strip() if m else platform.processor())
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        info.append(f"{kb / 1024 / 1024:.1f} GiB")
    except OSError:
        info.append(platform.processor() or platform.machine())
    info.append(platform.platform())
    info.append(f"python {platform.python_version()}")
    with contextlib.suppress(metadata.PackageNotFoundError):
        info.append(f"ropa {metadata.version('ropa')}")
    try:
        commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                                text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no", "--",
                                ".", ":!benchmarks/RESULTS.md"], capture_output=True, text=True, check=True).stdout.strip()
        info.append(f"commit {commit}" + (" + uncommitted changes" if dirty else ""))
    except (OSError, subprocess.CalledProcessError):
        pass
    return info


def report(ext: list[dict], tot: dict, diffs: list[dict], seconds: float, vendors: int) -> str:
    now = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    lines = [BEGIN, "## Extraction", "",
             f"Written by `python benchmarks/extraction.py` on {now} ({seconds:.0f} s); "
             f"machine: {', '.join(machine())}; {vendors} built-in vendors.",
             "", "Policies (../shared/corpus/policies, scored by its score.py):", "",
             "| policy | precision | recall | flipped | recipients | extracted / gold |",
             "|---|---:|---:|---:|---:|---:|"]
    for r in ext:
        lines.append(f"| {r['policy']} | {r['precision']:.2f} | {r['recall']:.2f} | {r['flipped']} | "
                     f"{r['recipients']} | {r['extracted']} / {r['gold']} |")
    lines.append(f"| **mean** | **{tot['mean_precision']:.2f}** | **{tot['mean_recall']:.2f}** | **{tot['flipped']}** | "
                 f"**{tot['recipients_found']}/{tot['recipients_named']}** | {tot['extracted']} / {tot['gold']} |")
    lines.append(f"| pooled | {tot['pooled_precision']:.2f} | {tot['pooled_recall']:.2f} | | | |")
    lines += ["", f"Recall ceiling under score.py (gold flows whose only key is the root `user` can match no "
              f"extracted flow): mean {tot['recall_ceiling']:.3f}; recall over the reachable gold flows, pooled: "
              f"{tot['reachable_recall']:.2f}."]
    lines += ["", "Policy diffs (../shared/corpus/diffs; matching rule in the script's docstring):", "",
              "| pair | material found | reported | unexpected | not-material wrongly reported | stated dates |",
              "|---|---:|---:|---:|---:|---:|"]
    for d in diffs:
        lines.append(f"| {d['pair']} | {d['found']}/{d['material']} | {d['reported']} | {d['unexpected']} | "
                     f"{d['wrong']}/{d['not_material']} | {d['dates']}/{d['dates_total']} |")
    f = sum(d["found"] for d in diffs)
    m = sum(d["material"] for d in diffs)
    lines.append(f"| **total** | **{f}/{m}** | {sum(d['reported'] for d in diffs)} | "
                 f"{sum(d['unexpected'] for d in diffs)} | {sum(d['wrong'] for d in diffs)}/"
                 f"{sum(d['not_material'] for d in diffs)} | {sum(d['dates'] for d in diffs)}/"
                 f"{sum(d['dates_total'] for d in diffs)} |")
    lines += ["", END]
    return "\n".join(lines)


def write_results(path: Path, block: str) -> None:
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark results\n"
    pattern = re.compile(re.escape(BEGIN) + r".*?" + re.escape(END), re.S)
    text = pattern.sub(lambda _m: block, text) if pattern.search(text) else text.rstrip("\n") + "\n\n" + block
    path.write_text(text.rstrip("\n") + "\n", encoding="utf-8")


def print_misses(corpus: Path, ext: list[dict], diffs: list[dict], only: list[str]) -> None:
    """The worklist: gold flows not found and extracted flows not right, per policy; diff leftovers."""
    import ropa

    sys.path.insert(0, str(corpus))
    try:
        import score as corpus_score
    finally:
        sys.path.remove(str(corpus))
    tax = ropa.default_taxonomy()

    def related(a: str, b: str) -> bool:
        if a == b:
            return True
        if "user" in (a, b):
            return False
        try:
            return bool(tax.is_under("data_category", a, b)) or bool(tax.is_under("data_category", b, a))
        except Exception:  # an unknown key relates to nothing
            return False

    for row in ext:
        if only and not any(o in row["policy"] for o in only):
            continue
        gold_path = row["gold_path"]
        gold = yaml.safe_load(gold_path.read_text(encoding="utf-8")) or {}
        text_lines = gold_path.with_name(gold_path.name.replace(".gold.yaml", ".md")).read_text(
            encoding="utf-8").splitlines()
        policy = ropa.load_policy(gold_path.with_name(gold_path.name.replace(".gold.yaml", ".md")))
        G = corpus_score.gold_flows(gold)
        E = corpus_score.extracted_flows(policy.statements)
        print(f"\n== {row['policy']}: recall {row['recall']:.2f}, precision {row['precision']:.2f}")
        for g, raw in zip(G, gold.get("flows") or [], strict=True):
            hit = any(e["side"] == g["side"] and e["pol"] == g["pol"] and abs(e["line"] - g["line"]) <= 2
                      and e["data"] != "user" and any(related(e["data"], k) for k in g["data"]) for e in E)
            if not hit and all(k == "user" for k in g["data"]):
                continue  # no extracted flow can match it under score.py: counted in the ceiling
            if not hit:
                near = sorted({(e["line"], e["side"], e["pol"], e["data"]) for e in E
                               if abs(e["line"] - g["line"]) <= 2})
                print(f"  MISS l{g['line']} {g['side']}/{g['pol']} {'|'.join(g['data'])}"
                      f"  «{str(raw.get('quote') or text_lines[g['line'] - 1])[:110]}»"
                      + (f"\n       near: {near}" if near else ""))
        for e in E:
            same = [g for g in G if g["side"] == e["side"] and abs(e["line"] - g["line"]) <= 2]
            ok = (any(g["pol"] == e["pol"] for g in same) if e["data"] == "user" else
                  any(g["pol"] == e["pol"] and any(related(e["data"], k) for k in g["data"]) for g in same))
            if not ok:
                print(f"  WRONG l{e['line']} {e['side']}/{e['pol']} {e['data']}  «{text_lines[e['line'] - 1][:110]}»")
    for d in diffs:
        if only and not any(o in d["pair"] for o in only):
            continue
        for what in d["missed"]:
            print(f"  diff {d['pair']}: missed {what}")
        for c in d.get("unexpected_changes", []):
            print(f"  diff {d['pair']}: unexpected {c}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", help="the corpus folder (default ../shared/corpus, or $ROPA_CORPUS)")
    parser.add_argument("--results", type=Path, default=HERE / "RESULTS.md")
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument("--misses", nargs="*", metavar="NAME",
                        help="list missed and wrong flows and unexpected diff changes (optionally for the "
                             "policies or pairs whose name contains NAME)")
    args = parser.parse_args(argv)
    corpus = find_corpus(args.corpus)
    start = time.perf_counter()
    ext = extraction_scores(corpus)
    tot = extraction_totals(ext)
    diffs = diff_scores(corpus)
    seconds = time.perf_counter() - start
    from ropa.core.names import vendor_records

    block = report(ext, tot, diffs, seconds, len(vendor_records()))
    print(block.replace(BEGIN + "\n", "").replace("\n" + END, ""))
    for d in diffs:
        for what in d["missed"]:
            print(f"  missed in {d['pair']}: {what}")
    if args.misses is not None:
        print_misses(corpus, ext, diffs, args.misses)
    if not args.no_write:
        write_results(args.results, block)
        print(f"\nwritten to {args.results}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
