"""Write large register folders fast: numpy choices over taxonomy keys, with a fixed seed.

Hypothesis is for finding bugs in small registers; at 100,000 activities it is far too slow,
so the benchmarks draw their registers here. Each activity has, on average, 2 data
categories, one data subject, 1.5 purposes and 2 recipients besides the organisation itself:
about nine flows (activity × data category × data subject × purpose × recipient, the
organisation's own use counted as a recipient). About one activity in twenty has something wrong with it, so that the
checks have findings to build, as a real register does.

Each size is written as two register folders, ``reg-<n>`` and ``reg-<n>-next`` (the
next quarter's version: 1 % of activities changed, 0.5 % added, 0.5 % removed), each with a
reviewed policy ``policies/2026-01-01.flows.yaml`` (200 statements) and, in ``-next``,
``policies/2026-07-01.flows.yaml`` (the same with ten statements changed).

    python benchmarks/generate.py --sizes 1000 10000 --out /tmp/ropa-bench
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

AS_OF = dt.date(2026, 11, 25)
SEED = 20261125


def _taxonomy():
    import ropa

    return ropa.default_taxonomy()


def _lists(rng: np.random.Generator, pool: np.ndarray, n: int, low: int, high: int) -> list[str]:
    """n cells of low..high distinct keys from pool (each cell ;-joined)."""
    counts = rng.integers(low, high + 1, size=n)
    width = int(counts.max()) if n else 0
    picks = rng.integers(0, len(pool), size=(n, max(width, 1)))
    out = []
    for row, k in zip(picks, counts, strict=True):
        out.append(";".join(dict.fromkeys(pool[row[:k]])))
    return out


def _special_and_criminal(tax) -> tuple[set[str], set[str]]:
    cats = np.asarray(tax.keys("data_category"), dtype=object)
    special: set[str] = set()
    for art9 in tax.keys("art9_category"):
        for under in tax.attribute("art9_category", art9, "data_categories", []) or []:
            special |= set(cats[tax.is_under("data_category", cats, under)])
    criminal = set(cats[tax.is_under("data_category", cats, "user.criminal_history")])
    return special, criminal


def recipients_table(n_recipients: int, rng: np.random.Generator, tax) -> pd.DataFrame:
    categories = np.array([k for k in tax.keys("recipient") if k.startswith("third_party.")], dtype=object)
    countries = tax.countries
    eea = np.array(sorted(countries.index[countries["eea"].astype(bool)]), dtype=object)
    outside = np.array(["US", "CN", "IN", "GB", "CH", "JP", "BR", "SG"], dtype=object)
    ids = np.array([f"vendor-{i:05d}" for i in range(n_recipients)], dtype=object)
    kind = rng.choice(np.array(["processor", "controller", "joint_controller", "public_authority"], dtype=object),
                      size=n_recipients, p=[0.7, 0.2, 0.05, 0.05])
    abroad = rng.random(n_recipients) < 0.25
    country = np.where(abroad, rng.choice(outside, n_recipients), rng.choice(eea, n_recipients))
    safeguard = np.where(country == "US", "dpf", np.where(np.isin(country, ["CN", "IN", "BR", "SG"]), "scc", ""))
    contract = np.where(kind == "processor", [f"DPA-{i:05d}" for i in range(n_recipients)], "")
    # about 2 % of recipients are faulty
    fault = rng.random(n_recipients)
    contract = np.where((fault < 0.01) & (kind == "processor"), "", contract)
    safeguard = np.where((fault >= 0.01) & (fault < 0.02) & abroad, "", safeguard)
    return pd.DataFrame({
        "recipient_id": ids,
        "name": [f"Vendor {i} B.V." for i in range(n_recipients)],
        "aliases": [f"Vendor {i}" for i in range(n_recipients)],
        "kind": kind,
        "category": rng.choice(categories, n_recipients),
        "country": country,
        "transfer_safeguard": safeguard,
        "contract_reference": contract,
        "description": "",
    })


def activities_table(n: int, rng: np.random.Generator, tax, recipient_ids: np.ndarray,
                     first_id: int = 1) -> pd.DataFrame:
    special, criminal = _special_and_criminal(tax)
    cats = np.array([c for c in tax.keys("data_category") if c not in special and c not in criminal], dtype=object)
    uses = np.array(tax.keys("data_use"), dtype=object)
    subjects = np.array(tax.keys("data_subject"), dtype=object)
    rec_categories = np.array([k for k in tax.keys("recipient") if k.startswith("third_party.")], dtype=object)
    recipient_pool = np.concatenate([recipient_ids, rec_categories])
    measures = np.array(["encryption at rest", "encryption in transit (TLS)", "role-based access control",
                         "two-factor authentication", "daily encrypted backups", "access logging"], dtype=object)
    systems = np.array(["CRM", "ERP", "Ticket system", "Mail server", "HR system", "Website"], dtype=object)
    role = rng.choice(np.array(["controller", "processor", "joint_controller"], dtype=object), n, p=[0.7, 0.25, 0.05])
    basis = rng.choice(np.array(["art6_1_a", "art6_1_b", "art6_1_c", "art6_1_f"], dtype=object), n)
    days = rng.integers(0, 330, n)
    reviewed = (pd.Timestamp(AS_OF) - pd.to_timedelta(days, unit="D")).strftime("%Y-%m-%d").to_numpy(dtype=object)
    frame = pd.DataFrame({
        "activity_id": [f"A{i:06d}" for i in range(first_id, first_id + n)],
        "name": [f"Activity {i}" for i in range(first_id, first_id + n)],
        "business_function": rng.choice(np.array(["Sales", "Finance", "HR", "IT", "Support"], dtype=object), n),
        "owner": "",
        "role": role,
        "controllers": np.where(role == "processor", "client-a", ""),
        "purposes": _lists(rng, uses, n, 1, 2),
        "purpose_description": "",
        "lawful_basis": np.where(role == "processor", "", basis),
        "legitimate_interest": np.where(basis == "art6_1_f", "Keeping our services secure", ""),
        "lia_reference": "",
        "data_subjects": _lists(rng, subjects, n, 1, 1),
        "data_categories": _lists(rng, cats, n, 1, 3),
        "special_categories": "",
        "art9_condition": "",
        "criminal_offence_data": "false",
        "recipients": _lists(rng, recipient_pool, n, 1, 3),
        "transfer_countries": "",
        "transfer_safeguards": "",
        "retention": rng.choice(np.array(["P7Y", "P2Y", "P1Y", "P6M", "Until the contract ends"], dtype=object), n),
        "retention_trigger": "",
        "security_measures": _lists(rng, measures, n, 1, 4),
        "source": "data_subject",
        "systems": _lists(rng, systems, n, 1, 2),
        "dpia": "not_required",
        "automated_decision_making": "false",
        "status": rng.choice(np.array(["active", "draft", "retired"], dtype=object), n, p=[0.9, 0.05, 0.05]),
        "last_reviewed": reviewed,
    })
    # about one activity in twenty has a fault of one of these kinds
    fault = rng.random(n)
    frame.loc[fault < 0.01, "last_reviewed"] = "2023-01-01"
    frame.loc[(fault >= 0.01) & (fault < 0.015), "retention"] = ""
    frame.loc[(fault >= 0.015) & (fault < 0.02), "security_measures"] = ""
    frame.loc[(fault >= 0.02) & (fault < 0.025), "data_categories"] = "user.contact.emial"
    special_rows = (fault >= 0.025) & (fault < 0.03)
    frame.loc[special_rows, "data_categories"] = frame.loc[special_rows, "data_categories"] + ";user.health_and_medical"
    frame.loc[(fault >= 0.03) & (fault < 0.035), "transfer_countries"] = "CN"
    frame.loc[(fault >= 0.035) & (fault < 0.04), "legitimate_interest"] = ""
    frame.loc[(fault >= 0.04) & (fault < 0.045), "recipients"] = "unlisted-vendor"
    frame.loc[(fault >= 0.045) & (fault < 0.05), "retention"] = "P7X"
    # a fair share of the special-category rows do have their condition
    ok = special_rows & (rng.random(n) < 0.5)
    frame.loc[ok, "art9_condition"] = "art9_2_h"
    return frame


def policy_document(rng: np.random.Generator, tax, recipient_ids: np.ndarray, version: str,
                    n_statements: int = 200) -> dict:
    cats = np.array(tax.keys("data_category"), dtype=object)
    uses = np.array(tax.keys("data_use"), dtype=object)
    subjects = np.array(tax.keys("data_subject"), dtype=object)
    rec_categories = np.array([k for k in tax.keys("recipient") if k.startswith("third_party")], dtype=object)
    entities = np.concatenate([rec_categories, rng.choice(recipient_ids, min(50, len(recipient_ids)), replace=False)])
    actions = rng.choice(np.array(["collect", "use", "share", "share", "share", "not_share", "retain", "inform"],
                                  dtype=object), n_statements)
    statements = []
    for i, action in enumerate(actions):
        st: dict = {"id": f"s{i // 10 + 1}-{i % 10 + 1}", "section": str(i // 10 + 1), "actor": "we",
                    "action": str(action)}
        if action == "inform":
            st["rights"] = [str(rng.choice(np.array(tax.keys("right"), dtype=object)))]
        else:
            st["data"] = sorted({str(c) for c in rng.choice(cats, rng.integers(1, 4))})
        if action in ("collect", "use", "share"):
            st["purposes"] = sorted({str(u) for u in rng.choice(uses, rng.integers(1, 3))})
        if action == "collect":
            st["subjects"] = sorted({str(s) for s in rng.choice(subjects, rng.integers(1, 3))})
        if action in ("share", "not_share"):
            st["recipients"] = sorted({str(r) for r in rng.choice(entities, rng.integers(1, 3))})
        if action == "not_share":
            st["exceptions"] = ["legal_obligation"]
        if action == "retain":
            st["retention"] = "P7Y"
        st["quote"] = f"Statement {i + 1}."
        statements.append(st)
    sections = [{"number": str(k + 1), "title": f"Section {k + 1}"} for k in range((n_statements + 9) // 10)]
    return {"version": version, "stated_date": version, "title": "Benchmark policy",
            "sections": sections, "statements": statements}


def _write_folder(folder: Path, organisation: dict, acts: pd.DataFrame, recs: pd.DataFrame,
                  policies: dict[str, dict]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "organisation.yaml").write_text(yaml.safe_dump(organisation, sort_keys=False), encoding="utf-8")
    acts.to_csv(folder / "activities.csv", index=False, lineterminator="\n")
    recs.to_csv(folder / "recipients.csv", index=False, lineterminator="\n")
    (folder / "policies").mkdir(exist_ok=True)
    for version, doc in policies.items():
        (folder / "policies" / f"{version}.flows.yaml").write_text(
            yaml.safe_dump(doc, sort_keys=False, width=120), encoding="utf-8")


ORGANISATION = {
    "name": "Benchmark Group",
    "role": "both",
    "employee_count": 25000,
    "controller": {"name": "Benchmark Group N.V.", "address": "Voorbeeldweg 1, Utrecht",
                   "email": "privacy@benchmark.example"},
    "dpo": {"name": "A. Jansen", "email": "dpo@benchmark.example"},
    "supervisory_authority": "Autoriteit Persoonsgegevens (NL)",
    "controllers": [{"id": "client-a", "name": "Client A", "contact": "privacy@client-a.example"}],
}


def generate(n: int, out: Path, seed: int = SEED) -> tuple[Path, Path]:
    """Write ``reg-<n>`` and ``reg-<n>-next`` under ``out``; return both folders."""
    tax = _taxonomy()
    rng = np.random.default_rng(seed + n)
    n_recipients = max(50, n // 100)
    recs = recipients_table(n_recipients, rng, tax)
    acts = activities_table(n, rng, tax, recs["recipient_id"].to_numpy())
    policy = policy_document(rng, tax, recs["recipient_id"].to_numpy(), "2026-01-01")
    base = out / f"reg-{n}"
    _write_folder(base, ORGANISATION, acts, recs, {"2026-01-01": policy})

    # the next quarter: 1 % changed, 0.5 % removed, 0.5 % added
    nxt = acts.copy()
    pick = rng.random(n)
    changed = pick < 0.01
    nxt.loc[changed, "data_categories"] = nxt.loc[changed, "data_categories"] + ";user.contact.phone_number"
    nxt.loc[changed, "retention"] = "P3Y"
    nxt = nxt[~((pick >= 0.01) & (pick < 0.015))]
    added = activities_table(max(n // 200, 1), rng, tax, recs["recipient_id"].to_numpy(), first_id=n + 1)
    nxt = pd.concat([nxt, added], ignore_index=True)
    policy_next = {**policy, "version": "2026-07-01", "stated_date": "2026-07-01",
                   "statements": [dict(s) for s in policy["statements"]]}
    for s in policy_next["statements"][:10]:
        if "data" in s:
            s["data"] = sorted({*s["data"], "user.device.ip_address"})
    follow = out / f"reg-{n}-next"
    _write_folder(follow, ORGANISATION, nxt, recs, {"2026-01-01": policy, "2026-07-01": policy_next})
    return base, follow


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--out", type=Path, default=Path("/tmp/ropa-bench"))
    args = parser.parse_args(argv)
    for n in args.sizes:
        for folder in generate(n, args.out):
            print(folder)


if __name__ == "__main__":
    main()
