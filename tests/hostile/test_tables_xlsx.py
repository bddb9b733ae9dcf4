"""Broken and hostile workbooks: formulas nobody calculated, zip bombs, over-long cells, an
ICO workbook that lost its Controller sheet."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

import ropa
from tests.conftest import PRO_AT
from tests.hostile.tables import CLEAN, DATED, check, findings, register_with


def _workbook(path, rows):
    wb = Workbook()
    ws = wb.active
    ws.title = "activities"
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def _clean_rows():
    return list(csv.reader(io.StringIO((CLEAN / "activities.csv").read_text(encoding="utf-8"), newline="")))


# -- formulas without a computed value ----------------------------------------------------

def test_formula_cells_without_values_are_reported(tmp_path):
    folder = register_with(tmp_path, "formulas.xlsx", "activities.xlsx")
    reg = ropa.load_register(folder)
    # C2's id is a formula: the row loads without it; the formulas-only row 5 cannot load
    assert reg.activities["activity_id"].tolist() == ["C1", "", "P1"]
    assert reg.activities.index.tolist() == [2, 3, 4]
    found = findings(reg, "formula-without-value").sort_values("row")
    file = f"{folder / 'activities.xlsx'}:activities"
    assert found[["file", "row", "column"]].values.tolist() == [
        [file, 3, "activity_id (A3)"], [file, 5, "activity_id (A5)"]]
    assert found["evidence"].iloc[0] == '="C"&2'
    assert found["evidence"].iloc[1].startswith('="X"&9') and "row was not loaded" in found["evidence"].iloc[1]
    assert set(found["severity"]) == {"high"}
    result = check("check", folder, *DATED, "--format", "csv")
    assert result.exit_code == 1
    rows = [r for r in csv.DictReader(io.StringIO(result.output)) if r["code"] == "formula-without-value"]
    assert [r["evidence"] for r in rows] == ["'=\"C\"&2", "'=\"X\"&9; all 3 filled cells of the row are formulas "
                                                             "without a value, so the row was not loaded"]
    assert not any(v.startswith(("=", "+", "-", "@")) for r in rows for v in r.values() if v)


def test_formulas_with_stored_values_read_as_their_values(tmp_path):
    """A workbook saved by a spreadsheet stores each formula's value: nothing to report."""
    path = tmp_path / "saved.xlsx"
    rows = _clean_rows()
    _workbook(path, rows)
    # give A3 a formula with a cached value, as Excel writes it
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    start = sheet.index('<c r="A3"')
    end = sheet.index("</c>", start) + 4
    parts["xl/worksheets/sheet1.xml"] = (sheet[:start] + '<c r="A3" t="str"><f>"C"&amp;2</f><v>C2</v></c>'
                                         + sheet[end:]).encode()
    with zipfile.ZipFile(path, "w") as z:
        for n, data in parts.items():
            z.writestr(n, data)
    folder = register_with(tmp_path, path.read_bytes(), "activities.xlsx")
    reg = ropa.load_register(folder)
    assert reg.activities["activity_id"].tolist() == ["C1", "C2", "P1"]
    assert reg.load_findings.empty


def test_a_formula_in_an_ico_workbook_is_reported(tmp_path):
    path = tmp_path / "ico.xlsx"
    ropa.write_record(ropa.load_register(PRO_AT), path, format="ico-xlsx")
    wb = load_workbook(path)
    ws = wb["Recipients"]
    ws.cell(row=2, column=2).value = '=UPPER("hosting")'
    wb.save(path)
    reg = ropa.load_register(path)
    found = findings(reg, "formula-without-value")
    assert found[["file", "row"]].values.tolist() == [[f"{path}:Recipients", 2]]
    assert found["evidence"][0] == '=UPPER("hosting")'


# -- sizes --------------------------------------------------------------------------------

def test_unzipped_size_is_checked_before_the_workbook_is_opened(tmp_path, monkeypatch):
    rows = [["activity_id", "name"]] + [[f"A{i}", "x" * 30_000] for i in range(100)]
    path = _workbook(tmp_path / "bomb.xlsx", rows)
    assert path.stat().st_size < 100_000  # three megabytes of one letter zip to a few kilobytes
    folder = register_with(tmp_path, path.read_bytes(), "activities.xlsx")

    def refuse(*args, **kwargs):
        raise AssertionError("openpyxl opened a workbook over the limit")

    monkeypatch.setattr("openpyxl.load_workbook", refuse)
    with ropa.use_limits(max_unzipped_bytes=1_000_000), pytest.raises(ropa.RegisterLoadError) as info:
        ropa.load_register(folder)
    assert "max_unzipped_bytes=1,000,000" in str(info.value) and "activities.xlsx" in str(info.value)
    result = check("--limit", "max_unzipped_bytes=1000000", "check", folder, *DATED)
    assert result.exit_code == 2 and "max_unzipped_bytes" in result.output
    assert "Traceback" not in result.output


def test_a_workbook_over_max_file_bytes_is_refused(tmp_path):
    folder = register_with(tmp_path, "formulas.xlsx", "activities.xlsx")
    result = check("--limit", "max_file_bytes=1000", "check", folder, *DATED)
    assert result.exit_code == 2 and "max_file_bytes=1,000" in result.output


def test_a_workbook_cell_over_max_cell_chars_is_reported(tmp_path):
    rows = _clean_rows()
    rows[2][1] = "z" * 3_000
    folder = register_with(tmp_path, _workbook(tmp_path / "w.xlsx", rows).read_bytes(), "activities.xlsx")
    with ropa.use_limits(max_cell_chars=1_000):
        reg = ropa.load_register(folder)
    assert reg.activities["activity_id"].tolist() == ["C1", "C2", "P1"]
    assert reg.activities.loc[3, "name"] == ""
    long = findings(reg, "cell-too-long")
    assert long[["row", "column"]].values.tolist() == [[3, "name (B3)"]]
    assert "max_cell_chars=1,000" in long["evidence"][0]


def test_a_workbook_header_wider_than_max_columns_is_refused(tmp_path):
    folder = register_with(tmp_path, _workbook(tmp_path / "w.xlsx", [[f"c{i}" for i in range(60)], ["A1"]])
                           .read_bytes(), "activities.xlsx")
    with ropa.use_limits(max_columns=50), pytest.raises(ropa.RegisterLoadError, match="max_columns=50") as info:
        ropa.load_register(folder)
    assert info.value.line == 1


# -- an ICO workbook without its Controller sheet -----------------------------------------

@pytest.fixture
def ico_without_controller(tmp_path):
    path = tmp_path / "ico.xlsx"
    ropa.write_record(ropa.load_register(PRO_AT), path, format="ico-xlsx")
    wb = load_workbook(path)
    assert {"Controller", "Processor"} <= set(wb.sheetnames)
    del wb["Controller"]
    wb.save(path)
    return path


def test_a_missing_controller_sheet_is_reported(ico_without_controller):
    reg = ropa.load_register(ico_without_controller)
    assert len(reg.activities) == 3  # the processor activities; the other 17 were on the deleted sheet
    missing = findings(reg, "missing-sheet")
    assert missing[["file", "column", "severity"]].values.tolist() == [[str(ico_without_controller), "Controller", "high"]]
    assert "'both'" in missing["evidence"][0] and "'Processor'" in missing["evidence"][0]
    result = check("check", ico_without_controller, *DATED, "--format", "json")
    assert result.exit_code == 1
    assert any(f["code"] == "missing-sheet" for f in json.loads(result.output))


def test_a_workbook_with_no_activities_sheet_is_refused_naming_its_sheets(ico_without_controller):
    wb = load_workbook(ico_without_controller)
    del wb["Processor"]
    wb.save(ico_without_controller)
    result = check("check", ico_without_controller, *DATED)
    assert result.exit_code == 2
    assert "no sheet with activities" in result.output and "'Recipients'" in result.output
