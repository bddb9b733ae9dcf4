"""Long tables of the report: cut in the PDF with a note, attached in full as CSV."""

from __future__ import annotations

import io
import json

import pandas as pd
import pypdf

import ropa
from ropa.report import tables
from ropa.report.render import render_html
from ropa.report.tables import cap_tables, table_csv
from tests.conftest import AS_OF, PRO_AT


def test_cap_keeps_the_first_rows_and_attaches_all():
    model = ropa.audit(ropa.load_register(PRO_AT), "2026Q4", date=AS_OF)
    rows = model["consistency"]["rows"]
    view, files = cap_tables(model, limit=3)
    assert view["consistency"]["rows"] == rows[:3]
    assert model["consistency"]["rows"] == rows, "the model itself is not cut"
    assert view["capped"]["consistency"] == {"shown": 3, "total": len(rows), "file": "consistency.csv"}
    full = pd.read_csv(io.StringIO(files["consistency.csv"]))
    assert full["activity_id"].tolist() == [r["activity_id"] for r in rows]
    assert "by_class.omitted" in full.columns
    # each finding code lists its first findings; the picture draws the activities of the links kept
    for area in view["findings"]["areas"]:
        for group in area["codes"]:
            assert group["shown"] == min(3, group["count"]) == len(group["findings"])
    kept = {link["activity"] for link in view["data_flows"]["recipient_links"]}
    assert {a["id"] for a in view["data_flows"]["activities"]} == kept
    html = render_html(view)
    assert f"The first 3 of {len(rows)} activity–recipient rows are shown" in html
    assert "<code>consistency.csv</code>" in html


def test_nothing_is_cut_below_the_limit():
    model = ropa.audit(ropa.load_register(PRO_AT), "2026Q4", date=AS_OF)
    view, files = cap_tables(model)
    assert files == {} and view["capped"] == {}
    assert view["consistency"] == model["consistency"]


def test_long_activity_lists_are_shortened_in_the_pdf_view():
    ids = ", ".join(f"A{i}" for i in range(50))
    model = {"findings": {"areas": [{"area": "consistency", "codes": [
        {"code": "flow-vague", "count": 1, "findings": [{"evidence": f"activities (50): {ids}; flows: 70"}]}]}]}}
    view, _ = cap_tables(model)
    evidence = view["findings"]["areas"][0]["codes"][0]["findings"][0]["evidence"]
    assert evidence.startswith("activities (50): A0, A1,")
    assert "A19 and 30 more (all in findings.csv); flows: 70" in evidence
    assert model["findings"]["areas"][0]["codes"][0]["findings"][0]["evidence"].endswith("A49; flows: 70")


def test_the_pdf_attaches_the_tables_it_cuts(tmp_path, monkeypatch):
    monkeypatch.setattr(tables, "PDF_TABLE_ROWS", 2)
    reg = ropa.load_register(PRO_AT)
    out = ropa.write_report(reg, "2026Q4", tmp_path / "r.pdf", date=AS_OF)
    attachments = pypdf.PdfReader(out).attachments
    model = json.loads(attachments["report.json"][0])
    assert len(model["record"]["controller"]["rows"]) > 2, "report.json keeps every row"
    record = attachments["record-controller.csv"][0].decode()
    assert record == table_csv(model["record"]["controller"]["rows"])
    assert len(pd.read_csv(io.StringIO(record))) == len(model["record"]["controller"]["rows"])
    assert "consistency.csv" in attachments
