"""`ropa check`: formats, exit codes, and no traceback for bad input."""

from __future__ import annotations

import csv
import io
import json
import shutil

import pytest
from typer.testing import CliRunner

import ropa
from ropa.cli import app
from tests.conftest import DATA, PRO_AT

runner = CliRunner()
CLEAN = DATA / "registers" / "clean"
DATED = ["--as-of", "2026-11-25", "--no-policy"]


def run(*args: str):
    return runner.invoke(app, [str(a) for a in args])


def test_clean_register_exits_zero():
    result = run("check", CLEAN, *DATED)
    assert result.exit_code == 0, result.output
    assert "no findings" in result.output


def test_json_is_the_stable_contract():
    result = run("check", PRO_AT, "--format", "json", "--fail-on", "critical", *DATED)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert isinstance(data, list) and data
    for item in data:
        assert list(item) == list(ropa.FINDING_COLUMNS)
        assert item["severity"] in ropa.SEVERITIES
        assert item["row"] is None or isinstance(item["row"], int)


@pytest.mark.parametrize(("fail_on", "code"), [("critical", 0), ("high", 1), ("info", 1)])
def test_fail_on_sets_the_exit_code(fail_on, code):
    result = run("check", PRO_AT, "--format", "json", "--fail-on", fail_on, *DATED)
    assert result.exit_code == code


def test_csv_output_neutralises_formulas(tmp_path):
    reg = tmp_path / "r"
    shutil.copytree(DATA / "registers" / "unknown-taxonomy-key", reg)
    acts = reg / "activities.csv"
    acts.write_text(acts.read_text().replace("user.contact.emial", "=HYPERLINK(\"http://evil\")"))
    result = run("check", reg, "--format", "csv", *DATED)
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert rows, result.output
    evidence = [r["evidence"] for r in rows if r["code"] == "unknown-taxonomy-key"]
    assert evidence == ["'=HYPERLINK(\"http://evil\")"]
    assert not any(v.startswith(("=", "+", "-", "@")) for r in rows for v in r.values() if v)


def test_csv_writes_line_numbers_as_whole_numbers(tmp_path):
    reg = tmp_path / "r"
    shutil.copytree(PRO_AT, reg)
    acts = reg / "activities.csv"
    acts.write_text(acts.read_text(encoding="utf-8").replace("\nA03,", "\n,", 1), encoding="utf-8")
    # with the policy, register findings (with a line) and policy findings (without) come together
    result = run("check", reg, "--format", "csv", "--as-of", "2026-11-25")
    rows = list(csv.DictReader(io.StringIO(result.output)))
    lines = [r["row"] for r in rows if r["row"]]
    assert lines and all(v.isdigit() for v in lines), lines  # "4", as in the JSON, not "4.0"
    assert any(not r["row"] for r in rows)


def test_unreadable_input_exits_two_without_traceback(tmp_path):
    result = run("check", tmp_path / "missing")
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    bad = tmp_path / "bad"
    shutil.copytree(CLEAN, bad)
    (bad / "organisation.yaml").write_text("name: [unclosed\n")
    result = run("check", bad, *DATED)
    assert result.exit_code == 2
    assert "organisation.yaml" in result.output and "line" in result.output


def test_misuse_exits_two():
    assert run("check", CLEAN, "--fail-on", "bogus").exit_code == 2
    assert run("check", CLEAN, "--as-of", "25-11-2026", "--no-policy").exit_code == 2
    assert run("check", CLEAN, "--policy", "1999-01-01").exit_code == 2


def test_readme_states_the_exit_codes_the_command_line_uses():
    from ropa import cli
    from tests.conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    codes = (cli.EXIT_CLEAN, cli.EXIT_FINDINGS, cli.EXIT_INPUT, cli.EXIT_BUG)
    assert codes == (0, 1, 2, 3)
    for code, words in zip(codes, ("no finding", "findings at or above", "could not be read",
                                   "internal error"), strict=True):
        assert f"| {code} | " in readme and words in readme.split(f"| {code} | ", 1)[1].split("\n", 1)[0]
