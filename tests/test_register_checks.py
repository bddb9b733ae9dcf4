"""One small failing register per register finding code, and a clean one that has none."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import ropa
from tests.conftest import AS_OF, DATA

REGISTERS = DATA / "registers"
REGISTER_CODES = sorted(
    code for code, area in ropa.catalogue()["area"].items() if area == "register"
)


def findings_for(name: str):
    reg = ropa.load_register(REGISTERS / name)
    return ropa.check(reg, as_of=AS_OF)


def test_clean_register_has_no_findings():
    findings = findings_for("clean")
    assert findings.empty, findings[["code", "subject", "message"]].to_string()


def test_every_register_code_has_a_fixture():
    have = {p.name for p in REGISTERS.iterdir() if p.is_dir()} - {"clean"}
    assert set(REGISTER_CODES) <= have, sorted(set(REGISTER_CODES) - have)


@pytest.mark.parametrize("code", REGISTER_CODES)
def test_each_fixture_reports_exactly_its_code(code):
    findings = findings_for(code)
    assert set(findings["code"]) == {code}, findings[["code", "subject", "message"]].to_string()
    row = findings.iloc[0]
    entry = ropa.catalogue().loc[code]
    assert row["article"] == entry["article"]
    assert row["message"] and row["recommendation"]
    assert row["file"], "every register finding names its file"


def test_duplicate_activity_id_names_every_row():
    findings = findings_for("duplicate-activity-id")
    assert sorted(findings["row"].tolist()) == [2, 3]
    assert all("rows 2, 3" in e for e in findings["evidence"])


def test_unknown_key_suggests_the_nearest():
    findings = findings_for("unknown-taxonomy-key")
    assert "user.contact.email" in findings.iloc[0]["message"]
    assert findings.iloc[0]["evidence"] == "user.contact.emial"
    assert findings.iloc[0]["column"] == "data_categories"
    assert findings.iloc[0]["row"] == 3


def test_unreadable_row_is_reported_not_lost():
    reg = ropa.load_register(REGISTERS / "unreadable-row")
    findings = ropa.check(reg, as_of=AS_OF)
    assert len(reg.activities) == 3
    bad = findings[findings["code"] == "unreadable-row"]
    assert bad["row"].tolist() == [5]
    assert bad.iloc[0]["file"].endswith("activities.csv")


def test_us_adequacy_needs_dpf(tmp_path: Path):
    import shutil

    shutil.copytree(REGISTERS / "clean", tmp_path / "r")
    rec = tmp_path / "r" / "recipients.csv"
    rec.write_text(rec.read_text().replace(",US,dpf,", ",US,adequacy,"))
    findings = ropa.check(ropa.load_register(tmp_path / "r"), as_of=AS_OF)
    assert findings["code"].tolist() == ["transfer-without-safeguard"]
    assert "Data Privacy Framework" in findings.iloc[0]["message"]


def test_retired_activities_are_not_held_to_content_rules(tmp_path: Path):
    import shutil

    shutil.copytree(REGISTERS / "missing-retention", tmp_path / "r")
    acts = tmp_path / "r" / "activities.csv"
    acts.write_text(acts.read_text().replace("Newsletter,,,controller", "Newsletter,,,controller").replace(",active,2026-06-01\nP1", ",retired,2026-06-01\nP1"))
    findings = ropa.check(ropa.load_register(tmp_path / "r"), as_of=AS_OF)
    assert findings.empty, findings[["code", "subject"]].to_string()


def test_pro_at_findings_are_the_ones_a_dpo_expects(pro_at):
    findings = ropa.check(pro_at, as_of=AS_OF)
    got = set(zip(findings["code"], findings["subject"], strict=True))
    assert ("transfer-without-safeguard", "recipient google-ads") in got
    assert ("processor-without-contract", "recipient spamexperts") in got
    assert ("stale-review", "activity A17") in got
    assert not (findings["code"] == "unknown-taxonomy-key").any()


def test_a_value_in_many_rows_is_one_finding_listing_them():
    import dataclasses

    from ropa.core.findings import affected

    reg = ropa.load_register(REGISTERS / "clean")
    acts = reg.activities.copy()
    assert len(acts) >= 3
    bad = acts.index[:2]
    acts["recipients"] = acts["recipients"].astype(object)
    for i in bad:
        acts.at[i, "recipients"] = ["no-such-recipient"]
    acts.at[acts.index[2], "recipients"] = ["another-unknown"]
    findings = ropa.check(dataclasses.replace(reg, activities=acts), as_of=AS_OF)
    unknown = findings[findings["code"] == "unknown-recipient"].set_index("message")
    assert ropa.catalogue().loc["unknown-recipient", "grain"] == "value"
    many = unknown.loc["recipient 'no-such-recipient' is not in recipients.csv (in 2 rows)"]
    assert pd.isna(many["row"]) and pd.isna(many["activity_id"])
    ids = acts.loc[bad, "activity_id"].tolist()
    assert many["evidence"].startswith("no-such-recipient; rows (2): ")
    assert many["evidence"].endswith(f"activities (2): {', '.join(ids)}")
    one = unknown.loc["recipient 'another-unknown' is not in recipients.csv"]
    assert one["evidence"] == "another-unknown" and one["activity_id"] == acts.iloc[2]["activity_id"]
    rows = affected(findings[findings["code"] == "unknown-recipient"].reset_index(drop=True), "row")
    assert len(rows) == 3 and rows["row"].nunique() == 3
    reach = affected(findings[findings["code"] == "unknown-recipient"].reset_index(drop=True))
    assert sorted(reach["activity_id"]) == sorted(acts["activity_id"].iloc[:3])
