"""Local file disclosure: a path written inside a file is read only inside the register folder
(or a folder the user trusts); a refused source is never read, and a finding or exit 2 says so."""

from __future__ import annotations

import json
import os
import shutil

import pytest

import ropa
from tests.conftest import PRO_AT, SHARED
from tests.hostile.policy_helpers import (
    HOSTILE,
    leaked,
    pdf_text,
    pro_at_copy,
    run,
    secret,
    set_source,
)

FLOWS = "policies/2026-11-01.flows.yaml"
SOURCE_LINE = 5  # the line of `source:` in PRO-AT's flows files


@pytest.fixture
def hostile_register(tmp_path):
    """A PRO-AT copy whose newest flows file names a secret file outside the register."""
    path, lines = secret(tmp_path / "elsewhere")
    reg = pro_at_copy(tmp_path / "regs")
    set_source(reg / FLOWS, str(path))
    return reg, path, lines


@pytest.mark.parametrize("fmt", ["pdf", "html", "json", "table"])
def test_diff_refuses_a_source_outside_the_register(hostile_register, tmp_path, fmt):
    reg, path, lines = hostile_register
    out = tmp_path / f"x.{fmt}"
    result = run("diff", PRO_AT / FLOWS, reg / FLOWS, "--format", fmt, "-o", out)
    assert result.exit_code == 2, result.output
    message = result.stderr
    assert str(reg / FLOWS) in message and f"line {SOURCE_LINE}" in message
    assert str(path) in message and "--trust" in message
    assert not out.exists()
    assert not leaked(lines, result.output)


def test_diff_reads_the_source_once_its_folder_is_trusted(hostile_register, tmp_path):
    """The control: the same diff with --trust reads the file, so the refusal above is the fix."""
    reg, path, lines = hostile_register
    out = tmp_path / "x.html"
    result = run("--trust", path.parent, "diff", PRO_AT / FLOWS, reg / FLOWS, "--format", "html", "-o", out)
    assert result.exit_code == 0, result.output
    assert leaked(lines, out.read_text(encoding="utf-8"))


def test_the_reported_repro_pdf_shows_nothing_of_etc_passwd(tmp_path):
    reg = pro_at_copy(tmp_path)
    set_source(reg / FLOWS, "../../../../../../../../etc/passwd")
    out = tmp_path / "x.pdf"
    result = run("diff", PRO_AT / FLOWS, reg / FLOWS, "--format", "pdf", "-o", out)
    assert result.exit_code == 2 and "etc/passwd" in result.stderr
    assert "root:" not in result.output and not out.exists()


def test_check_reports_the_refused_source_as_a_finding(hostile_register):
    reg, path, lines = hostile_register
    result = run("check", reg, "--format", "json", "--as-of", "2026-11-25", "--fail-on", "critical")
    assert result.exit_code == 0, result.output
    found = [f for f in json.loads(result.stdout) if f["code"] == "policy-source-outside-register"]
    assert len(found) == 1
    f = found[0]
    assert f["file"] == str(reg / FLOWS) and f["row"] == SOURCE_LINE and f["evidence"] == str(path)
    assert f["severity"] == "medium" and f["policy_version"] == "2026-11-01"
    assert "--trust" in f["message"]
    assert not leaked(lines, result.output)


def test_report_neither_shows_nor_names_nor_hashes_the_file(hostile_register, tmp_path):
    reg, path, lines = hostile_register
    out = tmp_path / "out"
    result = run("report", reg, "--quarter", "2026Q4", "--format", "html", "-o", out, "--date", "2026-11-25")
    assert result.exit_code in (0, 1), result.output
    html = next(out.glob("*.html")).read_text(encoding="utf-8")
    assert not leaked(lines, html, result.output)
    import hashlib

    assert hashlib.sha256(path.read_bytes()).hexdigest() not in html  # not listed among the inputs
    assert "policy-source-outside-register" in html


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler's pdftotext")
def test_report_pdf_text_holds_nothing_of_the_file(hostile_register, tmp_path):
    reg, _path, lines = hostile_register
    out = tmp_path / "out"
    result = run("report", reg, "--quarter", "2026Q4", "-o", out, "--date", "2026-11-25")
    assert result.exit_code in (0, 1), result.output
    assert not leaked(lines, pdf_text(next(out.glob("*.pdf"))))


@pytest.mark.parametrize("case", ["absolute", "climbs"])
def test_load_policy_keeps_the_policy_without_the_text(case, tmp_path):
    path, lines = secret(tmp_path / "elsewhere")
    flows = tmp_path / "reg" / "policies" / "2026-11-01.flows.yaml"
    flows.parent.mkdir(parents=True)
    shutil.copy(HOSTILE / f"policy-source-outside-register.{case}.flows.yaml", flows)
    if case == "absolute":
        set_source(flows, str(path))
    pol = ropa.load_policy(flows)
    assert pol.text == "" and len(pol.statements) == 1
    codes = pol.load_findings["code"].tolist()
    assert codes == ["policy-source-outside-register"]
    source_line = next(i for i, line in enumerate(flows.read_text().split("\n"), 1) if line.startswith("source:"))
    assert pol.load_findings.at[0, "row"] == source_line
    assert not leaked(lines, json.dumps(pol.meta), pol.sections.to_json())


def test_a_symbolic_link_out_of_the_register_is_refused_too(tmp_path):
    path, lines = secret(tmp_path / "elsewhere")
    reg = pro_at_copy(tmp_path / "regs")
    link = reg / "policies" / "2026-11-01.txt"
    link.symlink_to(path)
    set_source(reg / FLOWS, "2026-11-01.txt")  # inside the folder, but a link that leads out
    pol = ropa.load_policy(reg / FLOWS)
    assert pol.text == "" and pol.load_findings["code"].tolist() == ["policy-source-outside-register"]
    # A policy version in policies/ that is itself such a link: ropa check stops (exit 2).
    link.rename(reg / "policies" / "2026-12-01.md")
    result = run("check", reg, "--format", "json")
    assert result.exit_code == 2, result.output
    assert "2026-12-01.md" in result.stderr and "--trust" in result.stderr
    assert not leaked(lines, result.output)


def test_a_source_inside_the_register_is_read(tmp_path):
    reg = pro_at_copy(tmp_path)
    text = reg / "policies" / "2026-11-01.txt"
    shutil.copy(SHARED / "policies" / "pro-at" / "2026-11-01.txt", text)
    set_source(reg / FLOWS, "2026-11-01.txt")
    pol = ropa.load_policy(reg / FLOWS)
    assert pol.load_findings.empty and pol.text.startswith("PRO-AT Privacy Policy")


def test_pro_at_texts_need_the_user_to_trust_shared(monkeypatch):
    monkeypatch.delenv("ROPA_TRUST", raising=False)
    pol = ropa.load_policy(PRO_AT / FLOWS)
    assert pol.text == "" and pol.load_findings["code"].tolist() == ["policy-source-outside-register"]
    with ropa.use_trusted_folders(SHARED / "policies"):
        pol = ropa.load_policy(PRO_AT / FLOWS)
    assert pol.load_findings.empty and pol.text
    monkeypatch.setenv("ROPA_TRUST", os.pathsep.join(["/nonexistent", str(SHARED / "policies")]))
    assert ropa.load_policy(PRO_AT / FLOWS).load_findings.empty
    monkeypatch.delenv("ROPA_TRUST")
    result = run("--trust", SHARED / "policies", "check", PRO_AT, "--format", "json", "--fail-on", "critical")
    assert result.exit_code == 0, result.output
    assert "policy-source-outside-register" not in result.stdout
    assert run("--trust", "/nonexistent/folder", "check", PRO_AT).exit_code == 2


def test_write_register_copies_no_taxonomy_from_outside_the_register(tmp_path):
    """The other place a path found in a register is followed: the taxonomy.yaml to copy."""
    outside = tmp_path / "elsewhere" / "taxonomy.yaml"
    outside.parent.mkdir()
    shutil.copy(PRO_AT / "taxonomy.yaml", outside)
    reg = pro_at_copy(tmp_path / "regs")
    (reg / "taxonomy.yaml").unlink()
    (reg / "taxonomy.yaml").symlink_to(outside)
    with pytest.raises(ropa.RegisterLoadError, match="lies outside"):
        ropa.load_register(reg)  # the loader refuses it already
    loaded = ropa.load_register(PRO_AT)
    loaded.files["taxonomy"] = str(outside)  # a register built in code naming a file elsewhere
    loaded.path = reg
    with pytest.raises(ropa.RegisterLoadError, match="lies outside"):
        ropa.write_register(loaded, tmp_path / "out")
    assert not (tmp_path / "out" / "taxonomy.yaml").exists()
    shutil.copy(PRO_AT / "taxonomy.yaml", reg / "taxonomy.yaml.real")
    (reg / "taxonomy.yaml").unlink()
    (reg / "taxonomy.yaml.real").rename(reg / "taxonomy.yaml")
    ropa.write_register(ropa.load_register(reg), tmp_path / "out")  # a real file is copied
    assert (tmp_path / "out" / "taxonomy.yaml").is_file()
