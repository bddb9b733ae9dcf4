"""Binary garbage is not a policy; real texts in European languages and encodings are; and
``ropa diff`` writes only where it is asked to."""

from __future__ import annotations

import shutil

import pytest

import ropa
from ropa.policy.files import read_policy_text
from tests.conftest import PRO_AT
from tests.hostile.policy_helpers import HOSTILE, run

GOOD = PRO_AT / "policies" / "2018-05-24.flows.yaml"
NOT_TEXT = sorted(p.name for p in HOSTILE.glob("not-text.*"))
TEXTS = {
    "text.german-cp1252.txt": "Datenschutzerklärung",
    "text.french-utf16-bom.md": "Politique de confidentialité",
    "text.polish-greek-utf8.md": "Zażółć gęślą jaźń",
}


@pytest.mark.parametrize("name", NOT_TEXT)
def test_binary_garbage_is_refused_as_not_text(name, tmp_path):
    path = tmp_path / name.replace("not-text.", "2026-01-01.")
    shutil.copy(HOSTILE / name, path)
    with pytest.raises(ropa.PolicyLoadError, match="is not text") as caught:
        ropa.load_policy(path)
    assert caught.value.path == str(path)
    result = run("diff", GOOD, path, "--format", "json")
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"ropa: {path}") and "is not text" in result.stderr


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_european_texts_in_their_encodings_load(name, tmp_path):
    path = tmp_path / name.replace("text.", "2025-03-01.")
    shutil.copy(HOSTILE / name, path)
    text = read_policy_text(path)
    assert TEXTS[name] in text and not text.startswith("\ufeff")
    language = {"german": "German", "french": "French"}.get(name.split(".")[1].split("-")[0])
    if language is None:  # Polish and Greek are not among the languages ropa tells: read as before
        assert ropa.load_policy(path).version == "2025-03-01"
        return
    # decoded right, its language shows: extraction, which reads English, refuses it by name
    with pytest.raises(ropa.PolicyLoadError, match=f"is in {language}, not in English") as caught:
        ropa.load_policy(path)
    assert caught.value.path == str(path)


def test_a_text_with_a_few_stray_control_characters_still_loads(tmp_path):
    path = tmp_path / "2025-03-01.md"
    body = ("We collect your email address to send the newsletter. " * 40) + "\x0b\x1a"
    path.write_text(body, encoding="utf-8")
    assert ropa.load_policy(path).statements.shape[0] >= 1


def test_diff_html_goes_to_standard_output_and_pdf_needs_output(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    new = PRO_AT / "policies" / "2026-11-01.flows.yaml"
    result = run("diff", GOOD, new, "--format", "html")
    assert result.exit_code == 0, result.output
    assert result.stdout.lstrip().startswith("<!DOCTYPE html>") or "<html" in result.stdout
    result = run("diff", GOOD, new, "--format", "pdf")
    assert result.exit_code == 2
    assert "--output" in result.stderr
    assert list(tmp_path.iterdir()) == []  # nothing written where it was not asked for
    out = tmp_path / "sub" / "d.html"
    assert run("diff", GOOD, new, "--format", "html", "-o", out).exit_code == 0
    assert out.is_file() and [p.name for p in tmp_path.iterdir()] == ["sub"]


def test_register_diff_pdf_needs_output_too(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("diff", PRO_AT, PRO_AT, "--format", "pdf")
    assert result.exit_code == 2 and "--output" in result.stderr
    assert list(tmp_path.iterdir()) == []
