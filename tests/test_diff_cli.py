"""``ropa diff``: each format, policies and registers, and misuse."""

from __future__ import annotations

import json
import shutil

import pytest
from typer.testing import CliRunner

from ropa.cli import app
from ropa.core.findings import FINDING_COLUMNS
from ropa.diff.frames import CHANGE_COLUMNS, REGISTER_CHANGE_COLUMNS
from tests.conftest import DATA, PRO_AT

OLD = DATA / "diff" / "webshop" / "2024-03-01.md"
NEW = DATA / "diff" / "webshop" / "2024-09-01.md"
TANDEM = DATA / "diff" / "subprocessors"


@pytest.fixture()
def runner():
    return CliRunner()


def test_table(runner):
    result = runner.invoke(app, ["diff", str(OLD), str(NEW)])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "10 material, 1 informational, 1 wording-only" in out
    assert "stated date unchanged (2024-03-01)" in out
    assert "retention lengthened from P2Y to P5Y" in out
    assert "policy-date-not-moved" in out
    assert "using the reviewed 2024-03-01.flows.yaml" in result.stderr


def test_json_is_the_documented_shape(runner):
    result = runner.invoke(app, ["diff", str(TANDEM / "2025-01-01.flows.yaml"), str(TANDEM / "2025-07-01.flows.yaml"),
                                 "--format", "json", "--register", str(TANDEM / "register")])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert list(doc) == ["schema", "kind", "old", "new", "summary", "changes", "sections", "findings"]
    assert doc["schema"] == "ropa-diff/1" and doc["kind"] == "policy"
    assert doc["old"]["version"] == "2025-01-01" and doc["new"]["controller"] == ["Tandem Tickets B.V.", "Tandem"]
    assert doc["summary"] == {"changes": 5, "material": 2, "informational": 1, "wording": 2, "date_moved": True,
                              "sections_changed": 2}
    for change in doc["changes"]:
        assert list(change) == list(CHANGE_COLUMNS)
        assert isinstance(change["added"], list) and isinstance(change["activities"], list)
        assert isinstance(change["material"], bool)
    assert [s["status"] for s in doc["sections"]] == ["changed", "changed"]
    assert all(list(f) == list(FINDING_COLUMNS) for f in doc["findings"])
    assert {f["code"] for f in doc["findings"]} == {"new-recipient-without-activity",
                                                   "activity-recipient-no-longer-named", "flow-class-worsened"}


def test_json_to_a_file_is_stable(runner, tmp_path):
    args = ["diff", str(OLD), str(NEW), "-f", "json", "-o"]
    assert runner.invoke(app, [*args, str(tmp_path / "a.json")]).exit_code == 0
    assert runner.invoke(app, [*args, str(tmp_path / "b.json")]).exit_code == 0
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()


def test_html_shows_sentences_side_by_side_with_marks(runner, tmp_path):
    target = tmp_path / "diff.html"
    result = runner.invoke(app, ["diff", str(OLD), str(NEW), "--format", "html", "-o", str(target)])
    assert result.exit_code == 0, result.output
    html = target.read_text(encoding="utf-8")
    assert "<style>" in html and "ropa-asset:" not in html
    assert "We keep your account data for <del>two</del> years" in html
    assert "We keep your account data for <ins>five</ins> years" in html
    assert "Material changes (10)" in html and "Section text" in html
    assert html.count('class="change material') == 10


def test_html_escapes_policy_text(runner, tmp_path):
    folder = tmp_path / "pol"
    shutil.copytree(DATA / "diff" / "webshop", folder)
    flows = folder / "2024-09-01.flows.yaml"
    flows.write_text(flows.read_text(encoding="utf-8").replace(
        "quote: Customers receive our newsletter.",
        "quote: \"Customers <img src=x onerror=alert(1)> receive our newsletter.\""), encoding="utf-8")
    target = tmp_path / "diff.html"
    result = runner.invoke(app, ["diff", str(folder / "2024-03-01.flows.yaml"), str(flows), "-f", "html",
                                 "-o", str(target)])
    assert result.exit_code == 0, result.output
    html = target.read_text(encoding="utf-8")
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html


@pytest.mark.slow
def test_pdf(runner, tmp_path):
    from pypdf import PdfReader

    target = tmp_path / "diff.pdf"
    result = runner.invoke(app, ["diff", str(OLD), str(NEW), "--format", "pdf", "-o", str(target)])
    assert result.exit_code == 0, result.output
    reader = PdfReader(target)
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "What changed in the privacy policy" in text
    assert "retention lengthened from P2Y to P5Y" in text
    assert "diff.json" in reader.attachments
    doc = json.loads(reader.attachments["diff.json"][0])
    assert doc["summary"]["material"] == 10


def test_registers(runner, tmp_path):
    new = tmp_path / "pro-at"
    shutil.copytree(PRO_AT, new)
    acts = new / "activities.csv"
    acts.write_text(acts.read_text(encoding="utf-8").replace(
        "A02,Customer accounts and commercial phase", "A02,Customer accounts"), encoding="utf-8")
    result = runner.invoke(app, ["diff", str(PRO_AT), str(new), "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["kind"] == "register" and doc["summary"] == {"changes": 1, "added": 0, "removed": 0, "changed": 1}
    assert [list(c) for c in doc["changes"]] == [list(REGISTER_CHANGE_COLUMNS)]
    assert doc["changes"][0]["old"] == "Customer accounts and commercial phase"
    table = runner.invoke(app, ["diff", str(PRO_AT), str(new)])
    assert table.exit_code == 0 and "0 added, 0 removed, 1 field change(s)" in table.stdout
    html_path = tmp_path / "reg.html"
    assert runner.invoke(app, ["diff", str(PRO_AT), str(new), "-f", "html", "-o", str(html_path)]).exit_code == 0
    assert "Customer accounts<del> and commercial phase</del>" in html_path.read_text(encoding="utf-8")


@pytest.mark.parametrize("args", [
    [str(OLD), str(PRO_AT)],                                        # a policy and a register
    [str(PRO_AT), str(PRO_AT), "--register", str(PRO_AT)],          # --register on a register diff
    [str(OLD), str(DATA / "diff" / "no-such-policy.md")],           # missing file
])
def test_misuse_exits_2(runner, args):
    result = runner.invoke(app, ["diff", *args])
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("ropa: ")
