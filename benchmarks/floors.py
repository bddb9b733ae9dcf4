"""The floors: each stage's work done in plain pandas (or one plain WeasyPrint pass).

A floor is what a competent analyst would write in a notebook to get the same answer
without ``ropa``: no findings catalogue, messages, suggestions or evidence, no pandera, no
PDF/A. ``ropa``'s time divided by the floor's is the price of everything ``ropa`` adds.
Each floor reads exactly what the ``ropa`` stage reads (the same files, or the same loaded
frames).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

LIST_COLUMNS = (
    "controllers", "purposes", "lawful_basis", "data_subjects", "data_categories",
    "special_categories", "art9_condition", "recipients", "transfer_countries",
    "transfer_safeguards", "security_measures", "source", "systems",
)

TAXONOMY_COLUMNS = {
    "purposes": "data_use", "data_subjects": "data_subject", "data_categories": "data_category",
    "lawful_basis": "legal_basis", "special_categories": "art9_category",
    "art9_condition": "art9_condition", "transfer_safeguards": "safeguard", "source": "source",
}


# -- load ---------------------------------------------------------------------------------

def load(folder: Path) -> tuple[dict, pd.DataFrame, pd.DataFrame]:
    """read_csv as text, then split the list columns on ';'."""
    org = yaml.safe_load((folder / "organisation.yaml").read_text(encoding="utf-8"))
    acts = pd.read_csv(folder / "activities.csv", dtype=str, keep_default_na=False)
    for col in LIST_COLUMNS:
        acts[col] = acts[col].str.split(";").map(lambda cell: [v.strip() for v in cell if v.strip()])
    recs = pd.read_csv(folder / "recipients.csv", dtype=str, keep_default_na=False)
    recs["aliases"] = recs["aliases"].str.split(";")
    return org, acts, recs


# -- validate -----------------------------------------------------------------------------

class Vocabulary:
    """The taxonomy's keys as plain Python sets: what a notebook would pull out first."""

    def __init__(self, tax) -> None:
        self.known = {kind: set(tax.keys(kind)) for kind in set(TAXONOMY_COLUMNS.values()) | {"recipient", "dpia"}}
        self.known["source"] |= {"data_subject", "third_party", "public"}
        cats = np.asarray(tax.keys("data_category"), dtype=object)
        special: set[str] = set()
        for art9 in tax.keys("art9_category"):
            for under in tax.attribute("art9_category", art9, "data_categories", []) or []:
                special |= set(cats[tax.is_under("data_category", cats, under)])
        self.special = special
        self.criminal = set(cats[tax.is_under("data_category", cats, "user.criminal_history")])
        c = tax.countries
        self.countries = set(c.index)
        self.eea = set(c.index[c["eea"].astype(bool)])
        self.adequate = set(c.index[c["adequacy"].isin(["all", "commercial"])])
        self.dpf = set(c.index[c["adequacy"] == "dpf"])


def _rows(index, code: str) -> pd.DataFrame:
    return pd.DataFrame({"row": np.asarray(index), "code": code})


def validate(acts: pd.DataFrame, recs: pd.DataFrame, vocab: Vocabulary, as_of: dt.date) -> pd.DataFrame:
    """Every register rule as a boolean mask; the failing (row, code) pairs."""
    a, r = acts, recs
    out = []
    role = a["role"].str.lower()
    live = a["status"].str.lower() != "retired"
    ctrl = live & (role != "processor")
    empty = {c: a[c].map(len) == 0 for c in ("purposes", "data_subjects", "data_categories", "recipients",
                                               "lawful_basis", "art9_condition", "security_measures",
                                               "controllers", "special_categories")}
    blank = {c: a[c].str.strip() == "" for c in ("activity_id", "name", "role", "retention",
                                                   "legitimate_interest", "last_reviewed")}
    missing = blank["activity_id"] | blank["name"] | blank["role"] | \
        (role.isin(["controller", "joint_controller"]) & live & empty["lawful_basis"])
    out.append(_rows(a.index[missing], "missing-required-field"))
    bad = live & (empty["purposes"] | empty["data_subjects"] | empty["data_categories"] | empty["recipients"])
    out.append(_rows(a.index[bad], "empty-required-list"))
    for col, kind in TAXONOMY_COLUMNS.items():
        s = a[col].explode().dropna()
        out.append(_rows(s.index[~s.isin(vocab.known[kind])], "unknown-taxonomy-key"))
    s = a["recipients"].explode().dropna()
    ok = vocab.known["recipient"] | set(r["recipient_id"]) | {"none"}
    out.append(_rows(s.index[~s.isin(ok)], "unknown-recipient"))
    low = {c: a[c].str.strip().str.lower() for c in ("criminal_offence_data", "automated_decision_making")}
    bools = {"true", "yes", "y", "1", "ja", "oui", "x", "false", "no", "n", "0", "nee", "non", ""}
    countries = a["transfer_countries"].explode().dropna().str.upper()
    bad_value = (~role.isin(["controller", "processor", "joint_controller"]) & ~blank["role"]) | \
        ~a["status"].str.lower().isin(["active", "draft", "retired", ""]) | \
        ~a["dpia"].str.lower().isin(vocab.known["dpia"] | {""}) | \
        ~low["criminal_offence_data"].isin(bools) | ~low["automated_decision_making"].isin(bools)
    out.append(_rows(a.index[bad_value], "invalid-value"))
    out.append(_rows(countries.index[~countries.isin(vocab.countries)], "invalid-value"))
    dup = a["activity_id"].duplicated(keep=False) & ~blank["activity_id"]
    out.append(_rows(a.index[dup], "duplicate-activity-id"))
    reviewed = pd.to_datetime(a["last_reviewed"], format="%Y-%m-%d", errors="coerce")
    out.append(_rows(a.index[~blank["last_reviewed"] & reviewed.isna()], "invalid-date"))
    retention = a["retention"].str.strip()
    looks = retention.str.match(r"^P(?=[\dT])") & ~retention.str.contains(" ", regex=False)
    iso = re.compile(r"^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$")
    out.append(_rows(a.index[looks & ~retention.str.match(iso)], "invalid-duration"))
    cats = a["data_categories"].explode().dropna()
    has_special = cats.isin(vocab.special).groupby(level=0).any().reindex(a.index, fill_value=False)
    special = (has_special | ~empty["special_categories"]) & empty["art9_condition"] & ctrl
    out.append(_rows(a.index[special], "special-category-without-condition"))
    basis = a["lawful_basis"].explode()
    uses_f = (basis == "art6_1_f").groupby(level=0).any().reindex(a.index, fill_value=False)
    out.append(_rows(a.index[uses_f & blank["legitimate_interest"] & live], "legitimate-interest-not-stated"))
    outside = ~countries.isin(vocab.eea | vocab.adequate)
    guarded = a["transfer_safeguards"].explode().dropna()
    guarded = (~guarded.isin(["none", ""])).groupby(level=0).any().reindex(a.index, fill_value=False)
    bad = outside & ~guarded.reindex(countries.index).to_numpy() & live.reindex(countries.index).to_numpy()
    out.append(_rows(countries.index[bad], "transfer-without-safeguard"))
    out.append(_rows(a.index[blank["retention"] & live], "missing-retention"))
    out.append(_rows(a.index[empty["security_measures"] & live], "missing-security-measures"))
    limit = pd.Timestamp(as_of) - pd.DateOffset(months=12)
    out.append(_rows(a.index[(blank["last_reviewed"] | (reviewed < limit)) & live], "stale-review"))
    out.append(_rows(a.index[(role == "processor") & empty["controllers"] & live],
                     "processor-activity-without-controller"))
    criminal = low["criminal_offence_data"].isin({"true", "yes", "y", "1", "ja", "oui", "x"}) | \
        cats.isin(vocab.criminal).groupby(level=0).any().reindex(a.index, fill_value=False)
    authorised = basis.isin(["art6_1_c", "art6_1_e"]).groupby(level=0).any().reindex(a.index, fill_value=False)
    out.append(_rows(a.index[criminal & ~authorised & ctrl], "criminal-data-without-authority"))
    # recipients
    kind = r["kind"].str.strip().str.lower()
    country = r["country"].str.strip().str.upper()
    safeguard = r["transfer_safeguard"].str.strip().str.lower()
    rblank = {c: r[c].str.strip() == "" for c in ("recipient_id", "name", "kind", "country", "contract_reference")}
    out.append(_rows(r.index[rblank["recipient_id"] | rblank["name"] | rblank["kind"]
                             | ((kind != "internal") & ~r["category"].str.startswith("we") & rblank["country"])],
                     "missing-required-field"))
    out.append(_rows(r.index[r["recipient_id"].duplicated(keep=False) & ~rblank["recipient_id"]],
                     "duplicate-recipient-id"))
    ok = country.isin(vocab.eea | vocab.adequate) | rblank["country"] | \
        (country.isin(vocab.dpf) & (safeguard == "dpf")) | safeguard.isin(["scc", "bcr", "art49"])
    out.append(_rows(r.index[~ok & country.isin(vocab.countries)], "transfer-without-safeguard"))
    out.append(_rows(r.index[(kind == "processor") & rblank["contract_reference"]], "processor-without-contract"))
    return pd.concat(out, ignore_index=True)


# -- consistency --------------------------------------------------------------------------

def ancestors(tax, kind: str) -> pd.DataFrame:
    """(key, ancestor, distance) for every key of one kind, itself included at distance 0."""
    keys = tax.keys(kind)
    rows = [(k, k, 0) for k in keys]
    for k in keys:
        rows += [(k, anc, d + 1) for d, anc in enumerate(tax.ancestors(kind, k))]
    return pd.DataFrame(rows, columns=["key", "ancestor", "distance"])


def flows(acts: pd.DataFrame) -> pd.DataFrame:
    """activity × data category × data subject × purpose × recipient (``we`` added)."""
    live = acts[acts["status"].str.lower() != "retired"]
    f = live[["activity_id", "data_categories", "data_subjects", "purposes", "recipients"]].copy()
    f["recipients"] = f["recipients"].map(lambda r: ["we", *[x for x in r if x != "none"]])
    for col in ("data_categories", "data_subjects", "purposes", "recipients"):
        f = f.explode(col)
    return f.reset_index(drop=True)


def consistency(acts: pd.DataFrame, statements: pd.DataFrame, tax, entity_parent: dict[str, str]) -> pd.DataFrame:
    """Each flow classified clear / vague / omitted / incorrect / ambiguous by explode and merge.

    A statement covers a flow when its data category is the flow's or an ancestor, and its
    recipient (``we`` for collect and use) is the flow's or an ancestor of it (named
    recipients sit under their category).
    """
    f = flows(acts)
    cat_anc = ancestors(tax, "data_category")
    rec_anc = ancestors(tax, "recipient")
    named = pd.DataFrame({"key": list(entity_parent), "parent": list(entity_parent.values())})
    named = named.merge(rec_anc, left_on="parent", right_on="key", suffixes=("", "_p"))
    named = pd.concat([pd.DataFrame({"key": list(entity_parent), "ancestor": list(entity_parent), "distance": 0}),
                       pd.DataFrame({"key": named["key"], "ancestor": named["ancestor"],
                                     "distance": named["distance"] + 1})])
    rec_anc = pd.concat([rec_anc, named], ignore_index=True)
    s = statements[statements["action"].isin(["collect", "use", "share", "not_share", "not_collect"])].copy()
    s["recipients"] = [r if len(r) else ["we"] for r in s["recipients"]]
    s = s.explode("data_categories").explode("recipients")[["statement_id", "action", "data_categories", "recipients"]]
    s["negative"] = s["action"].str.startswith("not_")
    # distinct (category, recipient) pairs of the flows, matched once, then merged back
    pairs = f[["data_categories", "recipients"]].drop_duplicates()
    m = pairs.merge(cat_anc, left_on="data_categories", right_on="key")
    m = m.merge(s, left_on="ancestor", right_on="data_categories", suffixes=("", "_s"))
    m = m.merge(rec_anc, left_on=["recipients", "recipients_s"], right_on=["key", "ancestor"],
                suffixes=("", "_r"))
    m["steps"] = m["distance"] + m["distance_r"]
    best = m[~m["negative"]].groupby(["data_categories", "recipients"])["steps"].min().rename("best")
    denied = m[m["negative"]].groupby(["data_categories", "recipients"]).size().rename("denied")
    f = f.join(best, on=["data_categories", "recipients"]).join(denied, on=["data_categories", "recipients"])
    covered, neg = f["best"].notna(), f["denied"].notna()
    f["class"] = np.select([covered & neg, neg, covered & (f["best"] == 0), covered],
                           ["ambiguous", "incorrect", "clear", "vague"], "omitted")
    return f


# -- record -------------------------------------------------------------------------------

RECORD_COLUMNS = {
    "name": "Name of the processing", "purposes": "30(1)(b) Purposes",
    "data_subjects": "30(1)(c) Categories of data subjects", "data_categories": "30(1)(c) Categories of data",
    "recipients": "30(1)(d) Recipients", "transfer_countries": "30(1)(e) Transfers",
    "retention": "30(1)(f) Time limits", "security_measures": "30(1)(g) Security measures",
}


def record(acts: pd.DataFrame, tax) -> pd.DataFrame:
    """The controller's record: active controller activities, keys replaced by their labels."""
    a = acts[(acts["status"].str.lower() != "retired") & (acts["role"].str.lower() != "processor")]
    out = pd.DataFrame(index=a.index)
    kinds = {"purposes": "data_use", "data_subjects": "data_subject", "data_categories": "data_category",
             "recipients": "recipient"}
    for col, heading in RECORD_COLUMNS.items():
        if col in kinds:
            labels = tax.labels(kinds[col])
            out[heading] = a[col].map(lambda keys, labels=labels: "; ".join(labels.get(k, k) for k in keys))
        elif col in LIST_COLUMNS:
            out[heading] = a[col].map("; ".join)
        else:
            out[heading] = a[col]
    return out


def record_csv(acts: pd.DataFrame, tax, path: Path) -> None:
    record(acts, tax).to_csv(path, index=False)


def record_pdf(acts: pd.DataFrame, tax, path: Path) -> None:
    """The record as one plain HTML table, one WeasyPrint pass."""
    import weasyprint

    html = ("<html><head><style>@page{size:A4 landscape;margin:1cm} table{table-layout:fixed;width:100%;"
            "border-collapse:collapse;font:7pt sans-serif} td,th{border:1px solid #999;padding:2px;"
            "overflow-wrap:anywhere}</style></head><body>"
            + record(acts, tax).to_html(index=False) + "</body></html>")
    weasyprint.HTML(string=html).write_pdf(path)


def pdf_pass(html: str, path: Path) -> None:
    """One plain WeasyPrint pass over finished HTML."""
    import weasyprint

    weasyprint.HTML(string=html).write_pdf(path)


# -- diff ---------------------------------------------------------------------------------

def diff(old: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """Added, removed and changed activities: an outer merge on the id, then cell by cell
    (list cells as sets)."""
    def norm(frame: pd.DataFrame) -> pd.DataFrame:
        out = frame.set_index("activity_id").copy()
        for col in LIST_COLUMNS:
            out[col] = out[col].map(lambda v: ";".join(sorted(v)))
        return out

    o, n = norm(old), norm(new)
    added = n.index.difference(o.index)
    removed = o.index.difference(n.index)
    both = o.index.intersection(n.index)
    oo, nn = o.loc[both], n.loc[both, o.columns]
    changed = (oo != nn).stack()
    changed = changed[changed]
    parts = [pd.DataFrame({"kind": "added", "key": added, "field": None}),
             pd.DataFrame({"kind": "removed", "key": removed, "field": None}),
             pd.DataFrame({"kind": "changed", "key": changed.index.get_level_values(0),
                           "field": changed.index.get_level_values(1)})]
    return pd.concat(parts, ignore_index=True)


def diff_statements(old: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """Statements added and removed, matched on what they say (action, data, recipients, purposes)."""
    def key(frame: pd.DataFrame) -> pd.Series:
        return frame["action"] + "|" + frame["data_categories"].map(lambda v: ";".join(sorted(v))) + "|" + \
            frame["recipients"].map(lambda v: ";".join(sorted(v))) + "|" + \
            frame["purposes"].map(lambda v: ";".join(sorted(v)))

    o = pd.DataFrame({"key": key(old), "old": old["statement_id"]})
    n = pd.DataFrame({"key": key(new), "new": new["statement_id"]})
    m = o.merge(n, on="key", how="outer", indicator=True)
    return m[m["_merge"] != "both"]
