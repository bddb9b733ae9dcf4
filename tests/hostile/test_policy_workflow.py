"""The documented workflow: a new policy version as a text only, and file names as versions."""

from __future__ import annotations

import json
import shutil
import warnings

import pytest

import ropa
from ropa.policy.load import ReviewedFlowsUsed
from tests.hostile.policy_helpers import HOSTILE, pro_at_copy, run

NEW = "2026-12-01"


@pytest.fixture
def register_with_new_text(tmp_path):
    reg = pro_at_copy(tmp_path)
    shutil.copy(HOSTILE / f"new-version.{NEW}.md", reg / "policies" / f"{NEW}.md")
    return reg


def test_policy_files_has_none_not_nan_for_a_missing_file(register_with_new_text):
    files = ropa.load_register(register_with_new_text).policy_files()
    row = files.set_index("version").loc[NEW]
    assert row["flows"] is None and row["text"].endswith(f"{NEW}.md")


def test_check_extracts_a_version_present_only_as_text(register_with_new_text):
    result = run("check", register_with_new_text, "--format", "json", "--as-of", "2026-12-05",
                 "--fail-on", "critical")
    assert result.exit_code == 0, result.output
    versions = {f["policy_version"] for f in json.loads(result.stdout) if f["policy_version"]}
    assert versions == {NEW}
    table = run("check", register_with_new_text, "--as-of", "2026-12-05")
    assert table.exit_code in (0, 1) and f"against policy {NEW}" in table.stdout


def test_report_extracts_it_and_diffs_it_against_the_version_before(register_with_new_text, tmp_path):
    out = tmp_path / "out"
    result = run("report", register_with_new_text, "--quarter", "2026Q4", "--format", "html", "-o", out,
                 "--date", "2026-12-05")
    assert result.exit_code in (0, 1), result.output
    html = next(out.glob("*.html")).read_text(encoding="utf-8")
    assert NEW in html and "2026-11-01" in html


def test_diff_extracts_a_text_on_the_fly(register_with_new_text):
    policies = register_with_new_text / "policies"
    result = run("diff", policies / "2026-11-01.flows.yaml", policies / f"{NEW}.md", "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["new"]["version"] == NEW and doc["old"]["version"] == "2026-11-01"


def test_extract_names_the_reviewed_file_after_the_text_not_its_stated_date(tmp_path):
    text = tmp_path / "privacy-notice.md"
    shutil.copy(HOSTILE / "privacy-notice.md", text)  # states "Last updated 1 March 2025"
    result = run("extract", text)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["privacy-notice.flows.yaml", "privacy-notice.md"]
    with pytest.warns(ReviewedFlowsUsed):
        pol = ropa.load_policy(text)  # the reviewed file is found, not silently ignored
    assert pol.origin == "reviewed" and pol.version == "privacy-notice" and pol.stated_date == "2025-03-01"
    assert pol.sections["text"].str.contains("newsletter").any()  # its source is the text beside it


def test_a_dated_file_name_is_the_version_whatever_the_text_states(tmp_path):
    text = tmp_path / "2025-04-01.md"
    shutil.copy(HOSTILE / "privacy-notice.md", text)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        pol = ropa.load_policy(text)
    assert pol.version == "2025-04-01" and pol.stated_date == "2025-03-01"
    assert run("extract", text).exit_code == 0
    assert (tmp_path / "2025-04-01.flows.yaml").is_file() and not (tmp_path / "2025-03-01.flows.yaml").exists()
