"""The quarterly audit report: the model, the PDF read back, snapshots, and the report command.

The full PRO-AT report is rendered once (module fixture) and shared; the other PDF tests use
a small register.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import subprocess
from pathlib import Path

import pypdf
import pytest
from typer.testing import CliRunner

import ropa
from ropa.cli import app, run_report_command
from ropa.report.model import (
    ATTACHMENT_FINDINGS_CSV,
    ATTACHMENT_FINDINGS_JSON,
    ATTACHMENT_MODEL,
    load_model,
    model_json,
)
from ropa.report.period import Quarter
from ropa.report.render import render_html
from tests.conftest import AS_OF, DATA, PRO_AT, ROOT

SNAPSHOTS = Path(__file__).resolve().parent / "snapshots" / "report"
UPDATE = os.environ.get("ROPA_UPDATE_SNAPSHOTS") == "1"
CLEAN = DATA / "registers" / "clean"


# -- helpers -------------------------------------------------------------------------------

def pdf_pages(pdf: bytes) -> list[str]:
    """Each page's text, as pdftotext reads it (reading order, not layout)."""
    out = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return out.stdout.decode("utf-8").split("\f")[:-1]


def words_outside_content(pdf: bytes) -> list[tuple[int, str]]:
    """Words whose box leaves the page's content width or comes within 5 mm of its edge."""
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", "-bbox", "-", "-"], input=pdf, capture_output=True, check=True)
    mm = 72 / 25.4
    bad = []
    pages = re.findall(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', out.stdout.decode("utf-8", "replace"), re.S)
    for number, (w, h, body) in enumerate(pages, 1):
        width, height = float(w), float(h)
        side = (14 if width > height else 16) * mm - 2  # report.css page margins, landscape or portrait
        for m in re.finditer(r'<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">(.*?)</word>', body):
            x0, y0, x1, y1 = map(float, m.groups()[:4])
            if x0 < side or x1 > width - side or y0 < 5 * mm or y1 > height - 5 * mm:
                bad.append((number, m.group(5)))
    return bad


def check_cli(register: Path, policy: str | None, fmt: str) -> str:
    args = ["check", str(register), "--as-of", AS_OF.isoformat(), "--format", fmt]
    args += ["--policy", policy] if policy else ["--no-policy"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code in (0, 1), result.output
    return result.stdout


def normalise(text: str) -> str:
    """Blank what changes between machines and releases: the checkout's path, ropa's version."""
    text = text.replace(str(ROOT), "<ROOT>")
    text = re.sub(r'("generator": \{\s*"name": "ropa",\s*"version": )"[^"]*"', r'\1"<version>"', text)
    return re.sub(r"Made by ropa [^ .]+(\.[0-9]+)*", "Made by ropa <version>", text)


def assert_snapshot(name: str, text: str) -> None:
    path = SNAPSHOTS / name
    if UPDATE or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        if not UPDATE:
            pytest.fail(f"snapshot {name} was missing and has been written; run again")
    expected = path.read_text(encoding="utf-8")
    assert text == expected, f"{name} differs from its snapshot; if the change is intended, " \
                             f"rerun with ROPA_UPDATE_SNAPSHOTS=1 and review the diff"


# -- the PRO-AT report, rendered once ------------------------------------------------------------

@contextlib.contextmanager
def outside_git(folder: Path):
    """Git cannot see a repository around ``folder`` (it stops before the folder's parent): the
    report's inputs are then the files alone, the same in CI's fresh checkout and in a
    developer's clone with its longer history."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GIT_CEILING_DIRECTORIES", str(folder.resolve().parent))
        yield


@pytest.fixture(scope="module")
def pro_at_report(tmp_path_factory, pro_at):
    path = tmp_path_factory.mktemp("report") / "pro-at-2026Q4.pdf"
    with outside_git(PRO_AT):
        ropa.write_report(pro_at, "2026Q4", path, date=AS_OF)
    pdf = path.read_bytes()
    return {"pdf": pdf, "reader": pypdf.PdfReader(io.BytesIO(pdf)), "pages": pdf_pages(pdf)}


@pytest.fixture(scope="module")
def pro_at_model(pro_at):
    with outside_git(PRO_AT):
        return ropa.audit(pro_at, "2026Q4", date=AS_OF)


def test_pdf_declares_pdfa_3b(pro_at_report):
    xmp = pro_at_report["reader"].xmp_metadata.stream.get_data()
    assert b'pdfaid:part="3"' in xmp and b'pdfaid:conformance="B"' in xmp
    assert pro_at_report["reader"].metadata["/CreationDate"].startswith("D:20261125")


def test_attachments_equal_ropa_check_output(pro_at_report, pro_at_model):
    attachments = pro_at_report["reader"].attachments
    assert sorted(attachments) == sorted([ATTACHMENT_FINDINGS_JSON, ATTACHMENT_FINDINGS_CSV, ATTACHMENT_MODEL])
    policy = pro_at_model["policy"]["version"] if pro_at_model["policy"] else None
    assert attachments[ATTACHMENT_FINDINGS_JSON][0].decode() == check_cli(PRO_AT, policy, "json")
    assert attachments[ATTACHMENT_FINDINGS_CSV][0].decode() == check_cli(PRO_AT, policy, "csv")
    embedded = json.loads(attachments[ATTACHMENT_MODEL][0])
    assert embedded == pro_at_model
    assert attachments[ATTACHMENT_MODEL][0].decode() == model_json(pro_at_model)


def test_every_finding_code_is_in_the_text(pro_at_report, pro_at_model):
    text = "".join(pro_at_report["pages"])
    flat = re.sub(r"\s+", "", text)
    codes = {f["code"] for a in pro_at_model["findings"]["areas"] for g in a["codes"] for f in g["findings"]}
    embedded = json.loads(pro_at_report["reader"].attachments[ATTACHMENT_FINDINGS_JSON][0])
    assert {f["code"] for f in embedded} <= codes
    assert codes, "PRO-AT's register has known problems; the report should show them"
    missing = [c for c in sorted(codes) if c not in flat]  # a code may wrap at a hyphen
    assert not missing


def test_table_of_contents_page_numbers_are_right(pro_at_report):
    pages = pro_at_report["pages"]
    toc_page = next(i for i, p in enumerate(pages) if p.lstrip().startswith("Contents") or "\nContents\n" in p)
    entries = re.findall(r"^((?:\d+\s|Appendix [A-Z]\. )\S.*?)\s*\.{3,}\s*(\d+)$", pages[toc_page], re.M)
    assert len(entries) >= 9, pages[toc_page]

    def flat(text: str) -> str:
        return re.sub(r"\s+", " ", text)

    for title, number in entries:
        title = flat(title).strip()
        page = int(number)
        # The section's heading is on the page the contents give, and on no page before it.
        assert title in flat(pages[page - 1]), (title, number)
        assert all(title not in flat(p) for p in pages[toc_page + 1: page - 1]), (title, number)


def test_report_model_is_plain_data_and_complete(pro_at_model):
    assert json.loads(model_json(pro_at_model)) == pro_at_model
    assert pro_at_model["period"] == {"quarter": "2026Q4", "start": "2026-10-01", "end": "2026-12-31",
                                      "date": "2026-11-25", "previous_quarter": "2026Q3"}
    roles = {f["role"] for f in pro_at_model["inputs"]}
    assert {"activities", "recipients", "organisation"} <= roles
    import hashlib

    for f in pro_at_model["inputs"]:
        assert f["sha256"] == hashlib.sha256((PRO_AT / f["path"]).read_bytes()).hexdigest()
    assert pro_at_model["summary"]["findings"]["total"] == sum(pro_at_model["summary"]["findings"]["by_severity"].values())
    assert pro_at_model["record"]["controller"]["rows"] and pro_at_model["record"]["processor"]["rows"]
    assert pro_at_model["completeness"]["by_item"]
    assert pro_at_model["history"][-1]["quarter"] == "2026Q4"


def test_model_and_html_match_their_snapshots(pro_at_model):
    assert_snapshot("pro-at-2026Q4.json", normalise(model_json(pro_at_model)))
    assert_snapshot("pro-at-2026Q4.html", normalise(render_html(pro_at_model)))


# -- a small register: identical bytes, empty sections ---------------------------------------------

def test_same_inputs_give_the_same_bytes(tmp_path):
    reg = ropa.load_register(CLEAN)
    one = ropa.write_report(reg, "2026Q4", tmp_path / "one.pdf", date=AS_OF).read_bytes()
    two = ropa.write_report(reg, "2026Q4", tmp_path / "two.pdf", date=AS_OF).read_bytes()
    assert one == two
    text = "".join(pdf_pages(one))
    # The register has no policy: the sections that need one say so instead of staying empty.
    assert "No policy version was published in 2026Q4" in text
    assert "not compared with a privacy policy" in text


def test_empty_sections_say_why(tmp_path):
    reg = ropa.load_register(CLEAN)
    model = ropa.audit(reg, "2026Q4", date=AS_OF)
    html = render_html(model)
    assert model["findings"]["total"] == 0
    assert "passed every register check" in html
    assert "No policy version was published in 2026Q4" in html
    assert model["register_changes"]["status"] in ("no-baseline", "not-in-git", "compared", "unchanged")
    assert "cannot be compared" in html or "Compared with" in html


# -- hostile cells ---------------------------------------------------------------------------

LONG = "Z" * 500
HOSTILE = {
    "name": '<script>alert(1)</script><img src="file:///etc/passwd"> ' + LONG,
    "purpose_description": '=HYPERLINK("http://evil.example/x","click") <a href="http://evil.example/">x</a> '
                           "📧🔒 " + LONG,
    "owner": "\u202eevil\u202c معالجة بيانات العملاء עיבוד נתונים",
    "systems": '<link rel="stylesheet" href="file:///etc/passwd">;<iframe src="http://evil.example/"></iframe>',
    "security_measures": '<img src="http://evil.example/pixel.gif">;<style>*{display:none}</style>',
}


def hostile_policy(version: str, share: bool) -> str:
    """A reviewed policy version whose titles and quotes are hostile too."""
    import yaml

    statements = [
        {"id": "s1-1", "section": "1", "actor": "we", "action": "collect", "data": ["user.contact.email"],
         "subjects": ["patient"], "purposes": ["essential.service"], "recipients": ["we"],
         "quote": "<script>alert('quote')</script> we collect your e-mail " + LONG},
        {"id": "s1-2", "section": "1", "actor": "we", "action": "not_share", "data": ["user"],
         "quote": 'We do NOT share \u202eevil\u202c עיבוד נתונים 📧 =HYPERLINK("http://evil.example/")'},
    ]
    if share:
        statements.append({"id": "s2-1", "section": "2", "actor": "we", "action": "share",
                           "data": ["user.contact.email"], "recipients": ["mailer"],
                           "quote": '<img src="file:///etc/passwd"> Mailer sends our e-mail ' + LONG})
    return yaml.safe_dump({
        "version": version, "stated_date": version, "title": "<script>alert('title')</script>",
        "sections": [{"number": "1", "title": '<iframe src="http://evil.example/"></iframe>'},
                     {"number": "2", "title": "Sharing " + LONG}],
        "statements": statements}, allow_unicode=True, sort_keys=False)


def hostile_register(folder: Path) -> Path:
    """The small clean register with hostile cells everywhere, and two hostile policy
    versions (one published in 2026Q4, so the diff and its findings are rendered too)."""
    import csv
    import shutil

    shutil.copytree(CLEAN, folder)
    (folder / "policies").mkdir()
    (folder / "policies" / "2018-01-01.flows.yaml").write_text(hostile_policy("2018-01-01", False), encoding="utf-8")
    (folder / "policies" / "2026-10-15.flows.yaml").write_text(hostile_policy("2026-10-15", True), encoding="utf-8")
    with (folder / "activities.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        row.update(HOSTILE)
    with (folder / "activities.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    with (folder / "recipients.csv").open(encoding="utf-8", newline="") as fh:
        recs = list(csv.DictReader(fh))
    recs[1]["name"] = "<style>*{display:none}</style>url(file:///etc/passwd) 😀 " + LONG
    recs[1]["contract_reference"] = "@SUM(1+1)"
    with (folder / "recipients.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(recs[0]))
        writer.writeheader()
        writer.writerows(recs)
    org = (folder / "organisation.yaml").read_text(encoding="utf-8")
    org = org.replace("name: Clinic Example\n",
                      'name: "<b>Evil</b> & Co \\u05e2\\u05d1\\u05e8\\u05d9\\u05ea 🏴 ' + LONG + '"\n', 1)
    (folder / "organisation.yaml").write_text(org, encoding="utf-8")
    return folder


def test_hostile_cells_render_as_text_and_fetch_nothing(tmp_path, monkeypatch):
    from ropa.core import safety as _safety

    calls = []
    real = _safety.safe_url_fetcher

    def counting(url, *args, **kwargs):
        calls.append(url)
        return real(url, *args, **kwargs)

    monkeypatch.setattr(_safety, "safe_url_fetcher", counting)
    reg = ropa.load_register(hostile_register(tmp_path / "hostile"))
    model = ropa.audit(reg, "2026Q4", date=AS_OF)
    html = render_html(model)
    for raw in ("<script>", "<img src=", "<iframe", "<link rel", "<style>*", "<b>Evil"):
        assert raw not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    pdf = ropa.write_report(reg, "2026Q4", tmp_path / "hostile.pdf", date=AS_OF).read_bytes()
    assert calls == []  # no URL of any kind was fetched: not file:, not http:, not even our assets
    assert words_outside_content(pdf) == []
    text = "".join(pdf_pages(pdf))
    assert "<script>alert(1)</script>" in text  # shown as text
    assert "עיבוד נתונים" in text or "עיבודנתונים" in text.replace(" ", "")


# -- quarters, previous reports, git history -------------------------------------------------------

def test_quarters():
    q = Quarter.parse("2027q1")
    assert (str(q), q.start.isoformat(), q.end.isoformat()) == ("2027Q1", "2027-01-01", "2027-03-31")
    assert str(q.previous()) == "2026Q4" and str(Quarter.parse("2026-Q4").next()) == "2027Q1"
    with pytest.raises(ropa.UsageError):
        Quarter.parse("Q4 2026")


def test_previous_report_gives_the_comparison(pro_at, pro_at_model):
    import datetime as dt

    model = ropa.audit(pro_at, "2027Q1", date=dt.date(2027, 3, 31), previous=pro_at_model)
    summary = model["summary"]
    assert summary["previous"]["quarter"] == "2026Q4" and summary["previous"]["source"] == "report"
    assert summary["findings"]["previous"]["total"] == pro_at_model["summary"]["findings"]["total"]
    assert summary["findings"]["change"]["total"] == summary["findings"]["total"] - pro_at_model["summary"]["findings"]["total"]
    assert [h["quarter"] for h in model["history"]] == ["2026Q4", "2027Q1"]
    # The register did not change between the two: its diff against the embedded one is empty.
    assert model["register_changes"]["status"] == "unchanged"
    assert model["register_changes"]["baseline"]["source"] == "report"
    html = render_html(model)
    assert "against 2026Q4" in html


def _git(cwd: Path, *args: str, date: str | None = None) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    if date:
        env.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


def test_register_changes_and_history_come_from_git(tmp_path):
    import csv
    import datetime as dt
    import shutil

    repo = tmp_path / "repo"
    folder = repo / "registers" / "demo"
    shutil.copytree(CLEAN, folder)
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "register", date="2026-09-15T10:00:00+00:00")
    with (folder / "activities.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    removed = rows.pop()
    rows[0]["retention"] = ""  # a new finding this quarter: missing-retention
    with (folder / "activities.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    _git(repo, "commit", "-q", "-am", "quarter's edits", date="2026-11-02T10:00:00+00:00")

    model = ropa.audit(ropa.load_register(folder), "2026Q4", date=dt.date(2026, 11, 25))
    rc = model["register_changes"]
    assert rc["status"] == "compared" and rc["baseline"]["source"] == "git"
    assert rc["baseline"]["date"].startswith("2026-09-15")
    assert any(c["kind"] == "removed" and c["key"] == removed["activity_id"] for c in rc["changes"])
    assert any(c["kind"] == "changed" and c["field"] == "retention" for c in rc["changes"])
    assert [h["quarter"] for h in model["history"]] == ["2026Q3", "2026Q4"]
    summary = model["summary"]
    assert summary["previous"]["source"] == "git"
    assert summary["findings"]["change"]["total"] == summary["findings"]["total"] - summary["findings"]["previous"]["total"]
    assert summary["findings"]["by_severity"]["medium"] > summary["findings"]["previous"]["by_severity"]["medium"]
    html = render_html(model)
    assert "committed to git on 15 September 2026" in html


# -- templates and the command -------------------------------------------------------------------

def test_an_organisations_templates_override_ropas(tmp_path, pro_at_model):
    override = tmp_path / "templates"
    (override / "report" / "sections").mkdir(parents=True)
    (override / "report" / "sections" / "summary.html").write_text(
        '<section id="sec-summary"><h1>Board summary of {{ org.name }}</h1></section>', encoding="utf-8")
    (override / "report.css").write_text("h1 { color: #123456; }", encoding="utf-8")
    html = render_html(pro_at_model, templates=override)
    assert "Board summary of PRO-AT" in html and "#123456" in html
    assert "What to address first" not in html  # the shipped summary was replaced
    assert "What to address first" in render_html(pro_at_model)  # and only for that folder


def test_template_folders_do_not_change_the_shared_environment(tmp_path, pro_at_model):
    """Each organisation's folder gets an overlay of its own; ropa's environment stays as it was."""
    folders = []
    for name in ("one", "two"):
        folder = tmp_path / name / "report" / "sections"
        folder.mkdir(parents=True)
        (folder / "summary.html").write_text(f'<section id="sec-summary"><h1>Summary {name}</h1></section>',
                                             encoding="utf-8")
        folders.append(tmp_path / name)
    assert "Summary one" in render_html(pro_at_model, templates=folders[0])
    assert "Summary two" in render_html(pro_at_model, templates=folders[1])
    plain = render_html(pro_at_model)
    assert "Summary one" not in plain and "Summary two" not in plain
    from ropa.core.safety import template_environment

    assert "long_date" not in template_environment().filters


def test_report_command_writes_under_reports_and_exits_by_severity(tmp_path, monkeypatch, pro_at_model,
                                                                    pro_at_report):
    monkeypatch.chdir(tmp_path)
    severities = {f["severity"] for a in pro_at_model["findings"]["areas"] for g in a["codes"] for f in g["findings"]}

    def expected(threshold: str) -> int:
        return 1 if severities & set(ropa.SEVERITIES[: ropa.SEVERITIES.index(threshold) + 1]) else 0

    status = run_report_command(PRO_AT, quarter="2026Q4", output=None, format="html", date=AS_OF, fail_on="critical")
    assert status == expected("critical")
    written = tmp_path / "reports" / "2026Q4" / "pro-at-2026Q4.html"
    assert written.is_file() and "<!DOCTYPE html>" in written.read_text(encoding="utf-8")
    # Next quarter's report finds this quarter's PDF under reports/ and compares against it.
    (tmp_path / "reports" / "2026Q4" / "pro-at-2026Q4.pdf").write_bytes(pro_at_report["pdf"])
    assert expected("info") == 1  # PRO-AT's register has findings
    assert run_report_command(PRO_AT, quarter="2027Q1", output=tmp_path / "out", format="html",
                              date=AS_OF.replace(year=2027, month=1, day=15), fail_on="info") == 1
    html = (tmp_path / "out" / "pro-at-2027Q1.html").read_text(encoding="utf-8")
    assert "against 2026Q4" in html and "from that quarter&#39;s report" in html


def test_report_command_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["report", str(CLEAN), "--quarter", "2026Q4", "--format", "html",
                                               "--date", AS_OF.isoformat(), "-o", str(tmp_path / "r")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "r" / "clean-2026Q4.html").is_file()
    bad = CliRunner().invoke(app, ["report", str(CLEAN), "--quarter", "2026-13"])
    assert bad.exit_code == 2 and "2026Q4" in bad.output


def test_load_model_reads_a_report_pdf(pro_at_report, pro_at_model, tmp_path):
    path = tmp_path / "old.pdf"
    path.write_bytes(pro_at_report["pdf"])
    assert load_model(path) == pro_at_model
    (tmp_path / "not.json").write_text("{}", encoding="utf-8")
    with pytest.raises(ropa.InputError):
        load_model(tmp_path / "not.json")
