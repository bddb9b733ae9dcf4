"""Broken reviewed flows files: exit 2 with file, key and line, or a finding; never a traceback."""

from __future__ import annotations

import json
import shutil

import pytest

import ropa
from tests.conftest import PRO_AT
from tests.hostile.policy_helpers import HOSTILE, pro_at_copy, run

GOOD = PRO_AT / "policies" / "2018-05-24.flows.yaml"

#: case -> (key named in the message, its line in the file)
WRONG_TYPES = {
    "statements-number": ("statements", 3),
    "sections-mixed": ("sections[0]", 3),
    "lines-text": ("sections[0].lines", 5),
    "version-list": ("version", 2),
    "controller-number": ("controller", 3),
    "action-unknown": ("statements[0].action", 5),
    "line-huge": ("statements[0].line", 6),
}


@pytest.mark.parametrize("case", sorted(WRONG_TYPES))
def test_a_wrong_type_names_file_key_and_line(case, tmp_path):
    key, line = WRONG_TYPES[case]
    flows = tmp_path / f"{case}.flows.yaml"
    shutil.copy(HOSTILE / f"wrong-type.{case}.flows.yaml", flows)
    with pytest.raises(ropa.PolicyLoadError) as caught:
        ropa.load_policy(flows)
    err = caught.value
    assert err.path == str(flows) and err.line == line, str(err)
    assert f"key {key}" in str(err), str(err)
    result = run("diff", GOOD, flows, "--format", "json")
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"ropa: {flows}, line {line}: key {key}"), result.stderr
    assert "Traceback" not in result.output


def test_a_wrong_type_in_a_register_stops_check_with_exit_2(tmp_path):
    reg = pro_at_copy(tmp_path)
    shutil.copy(HOSTILE / "wrong-type.sections-mixed.flows.yaml", reg / "policies" / "2026-11-01.flows.yaml")
    result = run("check", reg)
    assert result.exit_code == 2, result.output
    assert "2026-11-01.flows.yaml, line 3: key sections[0]" in result.stderr


def test_yaml_nested_50000_deep_is_refused_by_depth(tmp_path):
    flows = tmp_path / "2026-11-01.flows.yaml"
    flows.write_text("version: '2026-11-01'\nsections: " + "[" * 50_000 + "]" * 50_000 + "\n", encoding="utf-8")
    result = run("diff", GOOD, flows, "--format", "json")
    assert result.exit_code == 2, result.output
    assert str(flows) in result.stderr and "max_yaml_depth" in result.stderr
    reg = pro_at_copy(tmp_path / "r")
    shutil.copy(flows, reg / "policies" / "2026-11-01.flows.yaml")
    assert run("check", reg).exit_code == 2
    result = run("report", reg, "--quarter", "2026Q4", "--format", "html", "-o", tmp_path / "out")
    assert result.exit_code == 2 and "max_yaml_depth" in result.stderr, result.output


def test_a_key_given_twice_is_a_finding_not_silence(tmp_path):
    flows = tmp_path / "2026-11-01.flows.yaml"
    shutil.copy(HOSTILE / "flows-duplicate-key.flows.yaml", flows)
    pol = ropa.load_policy(flows)
    assert pol.statements["statement_id"].tolist() == ["s1-2"]  # YAML keeps the last value ...
    found = pol.load_findings
    assert found["code"].tolist() == ["duplicate-key"]  # ... and ropa says so
    assert found.at[0, "row"] == 12 and found.at[0, "column"] == "statements"
    assert found.at[0, "severity"] == "high"  # a list of statements was dropped
    assert "also given on line 6; that value, a list of 1 (s1-1)" in found.at[0, "evidence"]
    assert str(flows) in found.at[0, "message"]
    # ropa check shows it; ropa diff says it on standard error.
    reg = pro_at_copy(tmp_path / "r")
    shutil.copy(flows, reg / "policies" / "2026-11-01.flows.yaml")
    result = run("check", reg, "--format", "json", "--fail-on", "critical", "--as-of", "2026-11-25")
    assert result.exit_code == 0, result.output
    codes = [f["code"] for f in json.loads(result.stdout)]
    assert "duplicate-key" in codes
    result = run("diff", GOOD, flows, "--format", "json")
    assert result.exit_code == 0, result.output
    assert "statements is also given on line 6" in result.stderr


def test_a_flows_file_that_is_not_a_mapping_or_not_yaml(tmp_path):
    flows = tmp_path / "2026-11-01.flows.yaml"
    flows.write_text("- just\n- a list\n", encoding="utf-8")
    result = run("diff", GOOD, flows)
    assert result.exit_code == 2 and f"{flows}, line 1: expected a mapping" in result.stderr
    flows.write_text("version: '2026-11-01'\nstatements: [\n", encoding="utf-8")
    result = run("diff", GOOD, flows)
    assert result.exit_code == 2 and "is not valid YAML" in result.stderr and "line 3" in result.stderr
