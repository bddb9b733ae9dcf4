"""ropa.write_record: every format read back (CSV and XLSX with pandas/openpyxl, JSON against
its schema, HTML parsed, PDF text extracted), not just written."""

from __future__ import annotations

import datetime as dt
import html.parser
import json
import subprocess

import jsonschema
import pandas as pd
import pypdf
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

import ropa
from ropa.cli import app
from ropa.outputs.formats import (
    chunk_parts,
    record_model,
    record_parts,
    record_schema,
    write_record_pdf,
)
from ropa.outputs.record import CONTROLLER_COLUMNS, ITEMS, PROCESSOR_COLUMNS
from tests.conftest import AS_OF, DATA, PRO_AT

PROCESSOR = DATA / "record" / "processor"

#: Column headings of the PDF's and HTML's record tables, one per Art 30 item.
CONTROLLER_HEADINGS = ["Joint controllers", "Purposes of the processing", "Data subjects and personal data",
                       "Categories of recipients", "Third-country transfers", "Time limits for erasure",
                       "Security measures"]
PROCESSOR_HEADINGS = ["Categories of processing", "Third-country transfers", "Security measures"]


@pytest.fixture(scope="module")
def payroll():
    return ropa.load_register(PROCESSOR)


def _pdf_pages(path, mode: str = "-raw") -> list[str]:
    """Text per page: ``-raw`` in content order (a cell's lines together), ``-layout`` as laid out."""
    out = subprocess.run(["pdftotext", mode, str(path), "-"], capture_output=True, check=True)
    return out.stdout.decode().split("\f")[:-1]


def _flat(text: str) -> str:
    return " ".join(text.split())


def _squash(text: str) -> str:
    """Without any white space (words may be hyphenated or wrapped across lines)."""
    return "".join(text.split())


# -- CSV ---------------------------------------------------------------------------------------

def test_csv_reads_back_as_the_record(pro_at, tmp_path):
    out = ropa.write_record(pro_at, tmp_path / "art30.csv", format="csv", date=AS_OF)
    back = pd.read_csv(out, dtype=str, keep_default_na=False)
    record = ropa.article30(pro_at)
    assert list(back.columns) == [
        f"{c.item} {c.heading}" if c.item else c.heading for c in CONTROLLER_COLUMNS]
    assert back.to_numpy().tolist() == record.to_numpy().tolist()
    assert out.read_bytes().startswith(b"\xef\xbb\xbf"), "UTF-8 BOM so spreadsheets read accents"
    processor = pd.read_csv(tmp_path / "art30-processor.csv", dtype=str, keep_default_na=False)
    assert list(processor.columns)[:2] == ["Controller ref.", "30(2)(a) Controller"]
    assert processor["Ref."].tolist() == ["P01", "P02", "P03"]


def test_csv_without_processor_activities_writes_one_file(pro_at, tmp_path):
    import copy

    reg = copy.copy(pro_at)
    reg.activities = pro_at.activities[pro_at.activities["role"] != "processor"]
    (tmp_path / "r-processor.csv").write_text("stale")
    ropa.write_record(reg, tmp_path / "r.csv", format="csv", date=AS_OF)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.csv"]


# -- XLSX --------------------------------------------------------------------------------------

def test_xlsx_has_header_block_three_sheets_and_readable_layout(pro_at, tmp_path):
    out = ropa.write_record(pro_at, tmp_path / "art30.xlsx", format="xlsx", date=AS_OF)
    wb = load_workbook(out)
    assert wb.sheetnames == ["Controller record", "Processor record", "Completeness"]
    ws = wb["Controller record"]
    block = {ws.cell(r, 1).value: ws.cell(r, 3).value for r in range(2, 9)}
    assert block["Name and contact details of the controller"].startswith("PRO-AT B.V.")
    assert block["Data protection officer"].startswith("None designated")
    assert block["Representative"].startswith("None")
    assert block["Joint controllers"].startswith("LinkedIn Ireland Unlimited Company")
    assert block["Record date"] == "2026-11-25"
    # the table: one row per activity below the headings, frozen below them
    head = next(r for r in range(1, 20) if ws.cell(r, 1).value == "Ref.")
    assert ws.freeze_panes == f"C{head + 1}"
    ids = [ws.cell(r, 1).value for r in range(head + 1, ws.max_row + 1)]
    record = ropa.article30(pro_at)
    assert ids == record["activity_id"].tolist()
    headings = [ws.cell(head, c).value for c in range(1, ws.max_column + 1)]
    shown = [c for c in CONTROLLER_COLUMNS if c.scope != "organisation"]
    assert headings == [c.heading for c in shown]
    items = [ws.cell(head - 1, c).value for c in range(1, ws.max_column + 1)]
    assert items == [f"Art {c.item}" if c.item else None for c in shown]
    # multi-valued cells one value per line; wrapped; widths readable; tall enough rows
    a06 = ids.index("A06") + head + 1
    col = headings.index("Categories of personal data") + 1
    assert ws.cell(a06, col).value.split("\n")[:2] == ["Name", "Postal address"]
    for c in range(1, ws.max_column + 1):
        letter = ws.cell(head, c).column_letter
        assert 9 <= ws.column_dimensions[letter].width <= 60
        assert ws.cell(a06, c).alignment.wrap_text
    for r in range(head + 1, ws.max_row + 1):
        lines = max(len(str(ws.cell(r, c).value or "").split("\n")) for c in range(1, ws.max_column + 1))
        assert ws.row_dimensions[r].height >= lines * 12, f"row {r} too short for {lines} lines"
    # processor sheet grouped by controller; completeness sheet with the score
    wp = wb["Processor record"]
    phead = next(r for r in range(1, 20) if wp.cell(r, 1).value == "Controller")
    assert [wp.cell(r, 4).value for r in range(phead + 1, wp.max_row + 1)] == ["P01", "P02", "P03"]
    wc = wb["Completeness"]
    assert wc.cell(2, 1).value.startswith("Overall score")
    assert wc.cell(2, 3).value == f"{ropa.completeness(pro_at).attrs['score']:.1%}"
    chead = next(r for r in range(1, 20) if wc.cell(r, 1).value == "Ref.")
    assert [wc.cell(chead, c).value for c in range(4, 4 + len(ITEMS))] == list(ITEMS)
    grades = {wc.cell(r, 1).value: wc.cell(r, 4 + list(ITEMS).index("30(1)(g)")).value
              for r in range(chead + 1, wc.max_row + 1)}
    assert grades["A15"] == "missing" and grades["A01"] == "filled" and grades["P01"] == "n/a"


def test_xlsx_processor_sheet_for_two_controllers(payroll, tmp_path):
    out = ropa.write_record(payroll, tmp_path / "p.xlsx", format="xlsx", date=AS_OF)
    back = pd.read_excel(out, sheet_name="Processor record", header=None, dtype=str).fillna("")
    head = back.index[back[0] == "Controller"][0]
    table = back.iloc[head + 1:]
    pairs = [(c.split(",")[0], a) for c, a in zip(table[0], table[3], strict=True)]
    assert pairs == [("Bakkerij Jansen B.V.", "K01"), ("Bakkerij Jansen B.V.", "K02"),
                     ("Northwind Traders Inc.", "K01"), ("Northwind Traders Inc.", "K03")]
    assert table.iloc[2, 1].startswith("Northwind EU Representative Ltd")


# -- JSON --------------------------------------------------------------------------------------

def test_json_is_valid_against_the_shipped_schema(pro_at, payroll, tmp_path):
    schema = record_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    for reg, name in ((pro_at, "pro-at"), (payroll, "payroll")):
        out = ropa.write_record(reg, tmp_path / f"{name}.json", format="json", date=AS_OF)
        data = json.loads(out.read_text(encoding="utf-8"))
        jsonschema.validate(data, schema, cls=jsonschema.Draft202012Validator)
        assert data["date"] == "2026-11-25" and data["schema_version"] == 1
    assert [c["key"] for c in data["columns"]["controller"]] == [
        c.key for c in CONTROLLER_COLUMNS if c.scope != "organisation"]
    assert [g["controller_id"] for g in data["processor_record"]] == ["bakkerij-jansen", "northwind"]
    north = data["processor_record"][1]
    assert north["controller_name"] == "Northwind Traders Inc."
    assert [a["activity_id"] for a in north["activities"]] == ["K01", "K03"]
    k03 = north["activities"][1]
    assert k03["transfer_details"] == [{
        "country": "US", "country_name": "United States", "safeguard": "scc",
        "safeguard_name": "Standard contractual clauses (2021)", "recipient_id": "us-support",
        "recipient": "Helpdesk Inc.", "covered": True}]
    assert k03["keys"]["purposes"] == ["essential.service.operations.support"]
    assert data["completeness"]["score"] == 1.0


def test_json_schema_rejects_a_broken_record(pro_at):
    model = record_model(pro_at, date=AS_OF)
    model["controller_record"][0]["purposes"] = "not a list"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(model, record_schema(), cls=jsonschema.Draft202012Validator)


# -- HTML --------------------------------------------------------------------------------------

class _Collect(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def test_html_is_one_standalone_page(pro_at, tmp_path):
    out = ropa.write_record(pro_at, tmp_path / "art30.html", format="html", date=AS_OF)
    page = _Collect()
    page.feed(out.read_text(encoding="utf-8"))
    text = _flat(" ".join(page.text))
    for heading in CONTROLLER_HEADINGS + PROCESSOR_HEADINGS:
        assert heading in text
    for aid in pro_at.activities["activity_id"]:
        assert f" {aid} " in f" {text} "
    assert "7 years after the end of the financial year (AWR art. 52)" in text
    # nothing to fetch: no link, script, image or external URL in an attribute
    assert not [t for t, _ in page.tags if t in ("link", "script", "img", "iframe")]
    assert not [a for _, attrs in page.tags for a in attrs.values() if a and "://" in a]
    assert [t for t, _ in page.tags].count("thead") == 2 + 1  # controller, processor group, completeness


# -- PDF ---------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def pro_at_pdf(tmp_path_factory, pro_at):
    return ropa.write_record(pro_at, tmp_path_factory.mktemp("pdf") / "art30.pdf", format="pdf", date=AS_OF)


def test_pdf_holds_every_activity_and_item(pro_at_pdf, pro_at):
    pages = _pdf_pages(pro_at_pdf)
    text = _flat(" ".join(pages))
    for heading in CONTROLLER_HEADINGS + PROCESSOR_HEADINGS:
        assert heading in text, heading
    for item in ("(a)", "(b)", "(c)", "(d)", "(e)", "(f)", "(g)"):
        assert item in text
    assert "Controller's record (Art 30(1) GDPR)" in text
    assert "Processor's record (Art 30(2) GDPR)" in text
    squashed = _squash(text)
    for aid, name in zip(pro_at.activities["activity_id"], pro_at.activities["name"], strict=True):
        assert aid in text and _squash(name) in squashed, aid
    for item in ITEMS:
        assert item in squashed  # the completeness table's columns


def test_pdf_pages_carry_organisation_date_numbers_and_headers(pro_at_pdf):
    pages = _pdf_pages(pro_at_pdf, "-layout")
    for number, page in enumerate(pages, start=1):
        assert "PRO-AT · Record of processing activities (Art 30 GDPR)" in page
        assert "Record date 2026-11-25" in page
        assert f"Page {number} of {len(pages)}" in page
        assert "Processing" in page and ("Security measures" in page or "Score" in page)


def test_pdf_is_pdfa3b_with_the_json_attached(pro_at_pdf, pro_at):
    reader = pypdf.PdfReader(pro_at_pdf)
    xmp = reader.xmp_metadata.stream.get_data()
    assert b'pdfaid:part="3"' in xmp and b'pdfaid:conformance="B"' in xmp
    assert reader.metadata.title == "PRO-AT: record of processing activities (Art 30 GDPR)"
    assert reader.metadata.author == "PRO-AT"
    box = reader.pages[0].mediabox
    assert float(box.width) > float(box.height), "A4 landscape"
    attached = json.loads(reader.attachments["article30.json"][0])
    assert attached == record_model(pro_at, date=AS_OF)


def test_pdf_same_date_same_bytes(payroll, tmp_path):
    first = ropa.write_record(payroll, tmp_path / "a.pdf", format="pdf", date=AS_OF).read_bytes()
    second = ropa.write_record(payroll, tmp_path / "b.pdf", format="pdf", date=AS_OF).read_bytes()
    assert first == second
    text = _flat(" ".join(_pdf_pages(tmp_path / "a.pdf")))
    assert "For Bakkerij Jansen B.V." in text and "For Northwind Traders Inc." in text
    assert "Northwind EU Representative Ltd" in text


def test_chunked_pdf_keeps_numbers_and_headers_across_chunks(payroll, tmp_path):
    model = record_model(payroll, include_retired=True, date=AS_OF)
    chunks = chunk_parts(record_parts(model), 1.5)
    assert len(chunks) >= 3
    out = tmp_path / "chunked.pdf"
    write_record_pdf(model, out, AS_OF, chunk_weight=1.5)
    pages = _pdf_pages(out)
    for number, page in enumerate(pages, start=1):
        assert page.count(f"Page {number} of {len(pages)}") == 1
        assert "Payroll Noord · Record of processing activities" in page
    text = _flat(" ".join(pages))
    for aid in ("C01", "K01", "K02", "K03", "K04"):
        assert aid in text
    assert "(continued)" in text
    reader = pypdf.PdfReader(out)
    assert b'pdfaid:part="3"' in reader.xmp_metadata.stream.get_data()
    assert list(reader.attachments) == ["article30.json"]


def test_chunks_split_rows_and_mark_continuations():
    rows = [{"activity_id": f"A{i}"} for i in range(7)]
    parts = [{"kind": "controller", "rows": rows, "weight": 1.0, "heading": "H", "intro": "I",
              "page_break": False, "continued": False, "group": None, "groups": 0},
             {"kind": "completeness", "rows": rows, "weight": 0.5, "heading": "C", "intro": None,
              "page_break": True, "continued": False, "group": None, "groups": 0}]
    chunks = chunk_parts(parts, 3)
    sizes = [[(p["kind"], len(p["rows"]), p["continued"]) for p in c] for c in chunks]
    assert sizes == [[("controller", 3, False)], [("controller", 3, True)],
                     [("controller", 1, True), ("completeness", 4, False)], [("completeness", 3, True)]]
    assert all(not c[0]["page_break"] for c in chunks[1:])
    assert [r["activity_id"] for c in chunks for p in c if p["kind"] == "controller" for r in p["rows"]] == \
        [r["activity_id"] for r in rows]


# -- dispatch and the command line ---------------------------------------------------------------

def test_unknown_format_is_a_usage_error(pro_at, tmp_path):
    with pytest.raises(ropa.UsageError):
        ropa.write_record(pro_at, tmp_path / "x.doc", format="doc")


def test_same_date_same_bytes_for_every_text_format(payroll, tmp_path):
    for fmt in ("csv", "xlsx", "json", "html"):
        a = ropa.write_record(payroll, tmp_path / f"a.{fmt}", format=fmt, date=AS_OF).read_bytes()
        b = ropa.write_record(payroll, tmp_path / f"b.{fmt}", format=fmt, date=AS_OF).read_bytes()
        assert a == b, fmt
    other = ropa.write_record(payroll, tmp_path / "c.xlsx", format="xlsx", date=dt.date(2027, 1, 1))
    assert other.read_bytes() != (tmp_path / "a.xlsx").read_bytes()
    props = load_workbook(other).properties
    assert props.created == dt.datetime(2027, 1, 1)


def test_record_command_writes_json(tmp_path):
    out = tmp_path / "record.json"
    result = CliRunner().invoke(app, ["record", str(PRO_AT), "--format", "json", "-o", str(out),
                                      "--date", "2026-11-25"])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["date"] == "2026-11-25"
    assert len(data["controller_record"]) == 17


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "html"])
def test_record_command_in_other_formats(tmp_path, fmt):
    out = tmp_path / f"record.{fmt}"
    result = CliRunner().invoke(app, ["record", str(PRO_AT), "-f", fmt, "-o", str(out), "--date", "2026-11-25"])
    assert result.exit_code == 0, result.output
    if fmt == "csv":
        assert len(pd.read_csv(out)) == 17
    elif fmt == "xlsx":
        assert load_workbook(out)["Completeness"].cell(2, 3).value.endswith("%")
    else:
        assert "Record date 2026-11-25" in out.read_text(encoding="utf-8")


def test_an_empty_register_gives_an_empty_record(pro_at, tmp_path):
    import copy

    reg = copy.copy(pro_at)
    reg.activities = pro_at.activities.iloc[0:0]
    assert ropa.article30(reg).empty and ropa.completeness(reg).attrs["score"] == 1.0
    for fmt in ("csv", "xlsx", "json", "html"):
        ropa.write_record(reg, tmp_path / f"e.{fmt}", format=fmt, date=AS_OF)
    data = json.loads((tmp_path / "e.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, record_schema(), cls=jsonschema.Draft202012Validator)
    assert data["controller_record"] == [] and data["processor_record"] == []
    assert "No activities in which PRO-AT acts as controller." in (tmp_path / "e.html").read_text(encoding="utf-8")


def test_processor_columns_in_json_exclude_group_details(pro_at):
    model = record_model(pro_at, date=AS_OF)
    keys = [c["key"] for c in model["columns"]["processor"]]
    assert "controller" not in keys and "processor_dpo" not in keys
    assert keys == [c.key for c in PROCESSOR_COLUMNS if not c.key.startswith(("controller", "processor"))]


def test_formats_of_other_modules_are_dispatched(pro_at, tmp_path):
    jsonld = ropa.write_record(pro_at, tmp_path / "r.jsonld", format="jsonld", date=AS_OF)
    assert "@context" in json.loads(jsonld.read_text(encoding="utf-8"))
    ico = ropa.write_record(pro_at, tmp_path / "ico.xlsx", format="ico-xlsx", date=AS_OF)
    assert load_workbook(ico).sheetnames
    fides = ropa.write_record(pro_at, tmp_path / "fides", format="fides", date=AS_OF)
    assert sorted(p.suffix for p in fides.iterdir()) == [".yml", ".yml"]
