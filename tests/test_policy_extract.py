"""Extraction against reviewed flows files, the review loop, and ``ropa extract``.

The agreement figures (precision, recall) are printed; run with ``-s`` to see them. The
matching is :func:`ropa.policy.agreement.score_extraction`'s: same section, same action
family, same recipients, overlapping data (or rights).
"""

from __future__ import annotations

import shutil
import warnings

import pytest
from typer.testing import CliRunner

import ropa
from ropa.cli import app
from ropa.policy.agreement import score_extraction
from ropa.policy.extract import extract
from ropa.policy.flows import read_flows
from ropa.policy.load import ReviewedFlowsUsed, extract_policy
from ropa.policy.vendors import entity_taxonomy, vendors
from tests.conftest import DATA, PRO_AT, SHARED

POLICIES = DATA / "policies"
TEXTS = SHARED / "policies" / "pro-at"

#: (policy text, reviewed flows file, with PRO-AT's register, precision floor, recall floor)
CASES = {
    "pro-at-2018": (TEXTS / "2018-05-24.txt", PRO_AT / "policies" / "2018-05-24.flows.yaml", True, 0.9, 0.9),
    "pro-at-2026": (TEXTS / "2026-11-01.txt", PRO_AT / "policies" / "2026-11-01.flows.yaml", True, 0.9, 0.85),
    "markdown-table": (POLICIES / "tulip-bikes" / "2025-03-01.md", POLICIES / "tulip-bikes" / "2025-03-01.flows.yaml",
                       False, 0.85, 0.8),
    "plain-prose": (POLICIES / "harbour-yoga" / "2024-06-12.txt", POLICIES / "harbour-yoga" / "2024-06-12.flows.yaml",
                    False, 0.75, 0.7),
    "html": (POLICIES / "nordlicht" / "2026-01-02.html", POLICIES / "nordlicht" / "2026-01-02.flows.yaml",
             False, 0.99, 0.99),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_extraction_agrees_with_the_reviewed_file(case, pro_at):
    text, flows, with_register, p_floor, r_floor = CASES[case]
    reg = pro_at if with_register else None
    ext = extract_policy(text, register=reg)
    rev = read_flows(flows)
    score = score_extraction(ext.statements, rev.statements, reg.taxonomy if reg else None)
    print(f"\n{case}: precision {score['precision']:.3f} ({score['matched']}/{score['extracted']}), "
          f"recall {score['recall']:.3f} ({score['matched']}/{score['reviewed']}), "
          f"same data in {score['data_exact']:.0%} of matches; missed {score['missed']}, spurious {score['spurious']}")
    assert score["precision"] >= p_floor, score
    assert score["recall"] >= r_floor, score
    # The reviewed file cites lines that exist in the text, and the extraction agrees on them.
    lines = text.read_text(encoding="utf-8").split("\n")
    assert rev.statements["line"].between(1, len(lines)).all()
    rev_line = dict(zip(rev.statements["statement_id"], rev.statements["line"], strict=True))
    ext_line = dict(zip(ext.statements["statement_id"], ext.statements["line"], strict=True))
    agree = sum(rev_line[r] == ext_line[e] for r, e in score["pairs"])
    assert agree >= 0.9 * len(score["pairs"])


def test_reviewed_pro_at_2018_has_what_the_issue_asks_for(pro_at):
    pol = ropa.load_policy(PRO_AT / "policies" / "2018-05-24.flows.yaml", register=pro_at)
    st = pol.statements
    assert pol.origin == "reviewed" and pol.version == "2018-05-24" and pol.stated_date == "2018-05-24"
    named = {r for rs in st["recipients"] for r in rs}
    assert {"mailchimp", "das-incasso", "spamexperts", "google-analytics", "google-ads", "linkedin",
            "authorities"} <= named
    # Every recipient id is the register's or a taxonomy key.
    tax = entity_taxonomy(pro_at.taxonomy)
    assert tax.known("recipient", sorted(named)).all()
    assert tax.known("data_category", sorted({d for ds in st["data_categories"] for d in ds})).all()
    assert tax.known("data_use", sorted({p for ps in st["purposes"] for p in ps})).all()
    neg = st[st["action"] == "not_share"].iloc[0]
    assert (neg["section"], neg["data_categories"], neg["recipients"], neg["exceptions"]) == (
        "4", ["user"], ["third_party"], ["explicit_consent", "legal_obligation"])
    processing = {"1", "1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "2.4", "2.5", "2.6", "2.7", "2.8",
                  "3", "3.1", "3.2", "3.3", "4", "7"}
    assert processing <= set(st["section"])
    assert pol.meta["controller"] == ["PRO-AT", "Perf-iT"]
    assert pol.meta["scope"] == {"applies_to": ["customer", "prospect", "visitor"], "excludes": ["employee"]}
    assert not st.loc[st["action"] == "track", "consent"].any()
    # Sections carry the text's wording, read from ../shared through `source`.
    assert pol.sections.set_index("number").at["2.3", "text"].startswith("2.3.")


def test_reviewed_pro_at_2026_records_the_changes(pro_at):
    pol = ropa.load_policy(PRO_AT / "policies" / "2026-11-01.flows.yaml", register=pro_at)
    st = pol.statements
    named = {r for rs in st["recipients"] for r in rs}
    assert {"vendor:freshworks", "vendor:laposta", "vendor:hotjar"} <= named
    assert not {"mailchimp", "linkedin"} & named
    assert st.loc[st["action"] == "track", "consent"].all()
    retained = st[st["action"] == "retain"].set_index("section")
    assert set(retained["retention"]) == {"P7Y", "P2Y", "until you unsubscribe"}
    assert {"5.1"} == set(retained.index)
    assert any("right.complaint" in rs for rs in st.loc[st["section"] == "7", "rights"])
    assert any("user.demographic.date_of_birth" in ds for ds in st.loc[st["section"] == "1.2", "data_categories"])
    assert pol.meta["controller"] == ["PRO-AT"]


def test_vendors_resolve_to_the_register_or_a_derived_key(pro_at):
    text = ("1. Tools\n\nWe use Google AdWords to measure our ads. We use Hotjar to record heatmaps. "
            "We use Mailchimp to send our newsletter to your email address.\n")
    with_reg = extract(text, register=pro_at).statements
    assert [rs for rs in with_reg["recipients"]] == [["google-ads"], ["vendor:hotjar"], ["mailchimp"]]
    without = extract(text).statements
    assert [rs for rs in without["recipients"]] == [["vendor:google-ads"], ["vendor:hotjar"], ["vendor:mailchimp"]]
    assert list(with_reg["action"][:2]) == ["track", "track"]
    v = vendors()
    assert v["key"].is_unique and v["recipient"].str.startswith("vendor:").all()
    tax = entity_taxonomy()
    assert tax.known("recipient", list(v["category"])).all()
    assert bool(tax.is_under("recipient", "vendor:hotjar", "third_party.tracker"))
    assert bool(tax.is_under("recipient", "vendor:stripe", "third_party.service_provider"))


def test_markdown_policy_meta_tables_and_unmapped_phrases():
    pol = extract_policy(POLICIES / "tulip-bikes" / "2025-03-01.md")
    assert pol.version == "2025-03-01"
    assert pol.meta["scope"] == {"applies_to": ["customer", "visitor"], "excludes": ["employee"]}
    rows = pol.statements[pol.statements["section"] == "4"]
    assert [(a, r[0], c) for a, r, c in zip(rows["action"], rows["recipients"], rows["countries"], strict=True)] == [
        ("share", "vendor:mollie", ["NL"]), ("share", "vendor:sendcloud", ["NL"]), ("share", "vendor:aws", ["DE"]),
        ("transfer", "vendor:zendesk", ["US"])]
    un = pol.unmapped.set_index("phrase")
    assert un.at["frame size", "kind"] == "data_category" and un.at["frame size", "section"] == "2"
    assert un.at["Sendcloud", "kind"] == "recipient"
    assert all(isinstance(s, list) for s in un["suggestions"])
    # The items under "we ask you for:" are data; their legal basis comes from the sentence after.
    collected = pol.statements[(pol.statements["section"] == "2") & (pol.statements["action"] == "collect")]
    assert all(lb == ["art6_1_b"] for lb in collected["legal_bases"])


def test_the_file_name_is_the_version_and_the_stated_date_is_data(tmp_path):
    named = tmp_path / "2024-02-29.md"
    named.write_text("# Notice\n\nWe collect your email address.\n", encoding="utf-8")
    pol = ropa.load_policy(named)
    assert pol.version == "2024-02-29" and pol.stated_date is None
    unnamed = tmp_path / "notice.md"
    unnamed.write_text("We collect your email address.\n", encoding="utf-8")
    assert ropa.load_policy(unnamed).version == "notice"
    stated = tmp_path / "privacy.md"
    stated.write_text("# Privacy\n\nLast updated 1 March 2025.\n\nWe collect your email address.\n", encoding="utf-8")
    pol = ropa.load_policy(stated)
    assert pol.version == "privacy" and pol.stated_date == "2025-03-01"


def test_load_policy_prefers_the_reviewed_file_and_says_so(tmp_path):
    src = POLICIES / "harbour-yoga"
    for f in src.iterdir():
        shutil.copy(f, tmp_path / f.name)
    with pytest.warns(ReviewedFlowsUsed):
        pol = ropa.load_policy(tmp_path / "2024-06-12.txt")
    assert pol.origin == "reviewed"
    assert pol.sections.at[0, "text"].startswith("Harbour Yoga is a small yoga studio")
    (tmp_path / "2024-06-12.flows.yaml").unlink()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert ropa.load_policy(tmp_path / "2024-06-12.txt").origin == "extracted"


# -- the review loop -------------------------------------------------------------------------------

runner = CliRunner()


def _register_copy(tmp_path):
    reg = tmp_path / "shop"
    (reg / "policies").mkdir(parents=True)
    for name in ("activities.csv", "organisation.yaml", "recipients.csv", "taxonomy.yaml"):
        shutil.copy(PRO_AT / name, reg / name)
    shutil.copy(TEXTS / "2018-05-24.txt", reg / "policies" / "2018-05-24.md")
    return reg


def test_ropa_extract_writes_beside_the_text_and_refuses_to_overwrite(tmp_path):
    reg = _register_copy(tmp_path)
    text = reg / "policies" / "2018-05-24.md"
    flows = reg / "policies" / "2018-05-24.flows.yaml"
    result = runner.invoke(app, ["extract", str(text)])
    assert result.exit_code == 0, result.output
    assert "wrote" in result.output and flows.is_file()
    pol = ropa.load_policy(flows)
    assert "das-incasso" in {r for rs in pol.statements["recipients"] for r in rs}  # the register was used
    reviewed = flows.read_text(encoding="utf-8").replace("action: share", "action: transfer", 1)
    flows.write_text(reviewed, encoding="utf-8")
    again = runner.invoke(app, ["extract", str(text)])
    assert again.exit_code == 2
    assert "--force" in again.output
    assert flows.read_text(encoding="utf-8") == reviewed  # the person's correction is kept
    forced = runner.invoke(app, ["extract", str(text), "--force"])
    assert forced.exit_code == 0, forced.output
    assert flows.read_text(encoding="utf-8") != reviewed


@pytest.mark.parametrize("case", sorted(CASES))
def test_extract_load_write_gives_the_same_file(case, tmp_path, pro_at):
    text, flows, with_register, *_ = CASES[case]
    first = tmp_path / "first" / flows.name
    second = tmp_path / "second" / flows.name
    first.parent.mkdir()
    second.parent.mkdir()
    ropa.write_flows(extract_policy(text, register=pro_at if with_register else None), first)
    ropa.write_flows(ropa.load_policy(first), second)
    assert second.read_bytes() == first.read_bytes()


@pytest.mark.parametrize("case", sorted(CASES))
def test_committed_reviewed_files_are_in_canonical_form(case, tmp_path):
    flows = CASES[case][1]
    out = ropa.write_flows(read_flows(flows), tmp_path / flows.name)

    def body(data: bytes) -> list[bytes]:  # all but `source:`, which is relative to the file
        return [line for line in data.split(b"\n") if not line.startswith(b"source: ")]

    assert body(out.read_bytes()) == body(flows.read_bytes())


def test_cli_extract_on_pro_at_round_trips(tmp_path):
    out = tmp_path / "policies" / "2026-11-01.flows.yaml"
    out.parent.mkdir()
    result = runner.invoke(app, ["extract", str(TEXTS / "2026-11-01.txt"), "--register", str(PRO_AT), "-o", str(out)])
    assert result.exit_code == 0, result.output
    again = tmp_path / "policies" / "copy.flows.yaml"
    ropa.write_flows(ropa.load_policy(out), again)
    assert again.read_bytes() == out.read_bytes()
