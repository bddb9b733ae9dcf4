"""Broken and hostile CSV tables: every row loaded or reported, every message naming file,
line and column, exceptions (exit 2) only for a file that cannot be read at all."""

from __future__ import annotations

import json

import pytest

import ropa
from tests.growth import assert_linear
from tests.hostile.tables import DATED, IDS, TABLES, check, findings, register_with


def _load(tmp_path, name):
    folder = register_with(tmp_path, name)
    return folder, ropa.load_register(folder)


# -- an unclosed quote --------------------------------------------------------------------

@pytest.mark.parametrize(("name", "row", "column", "swallowed"), [
    ("unclosed-quote.csv", 2, "name", "lines 3-4 (ids C2, P1)"),      # never closed
    ("quote-closed-later.csv", 2, "name", "lines 3-4 (ids C2, P1)"),  # closed by P1's quoted cell
    ("unclosed-quote-header.csv", 1, "name", "lines 2-4 (ids C1, C2, P1)"),
])
def test_rows_swallowed_by_an_unclosed_quote_are_named_and_recovered(tmp_path, name, row, column, swallowed):
    folder, reg = _load(tmp_path, name)
    assert reg.activities["activity_id"].tolist() == IDS
    quote = findings(reg, "unclosed-quote")
    assert len(quote) == 1
    f = quote.iloc[0]
    assert (f["file"], f["row"], f["column"]) == (str(folder / "activities.csv"), row, column)
    assert swallowed in f["evidence"] and f["severity"] == "medium"
    assert f"line {row}" in f["message"] and "never closed" in f["message"]
    assert findings(reg, "unreadable-row").empty
    if name != "unclosed-quote-header.csv":
        # the broken row keeps its stray quote: shown, not dropped
        assert reg.activities.loc[2, "name"] == '"Appointments'


def test_a_quote_that_leaves_its_row_short_reports_the_row_and_loads_the_rest(tmp_path):
    text = (TABLES / "unclosed-quote.csv").read_text(encoding="utf-8").split("\n")
    text[1] = text[1].replace('"Appointments,,', '"Appointments;', 1)  # two cells fewer
    folder = register_with(tmp_path, "\n".join(text).encode())
    reg = ropa.load_register(folder)
    assert reg.activities["activity_id"].tolist() == ["C2", "P1"]
    bad = findings(reg, "unreadable-row")
    assert bad["row"].tolist() == [2] and "26 cells where the header has 28" in bad["evidence"][0]
    assert "lines 3-4 (ids C2, P1)" in findings(reg, "unclosed-quote")["evidence"][0]
    result = check("check", folder, *DATED, "--format", "json")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert any(f["code"] == "unreadable-row" and "activities.csv line 2" in f["message"]
               for f in json.loads(result.output))


# -- delimiters and encodings -------------------------------------------------------------

@pytest.mark.parametrize("name", ["tab-separated.csv", "pipe-separated.csv", "utf16-unicode-text.csv",
                                  "utf32-bom.csv", "cp1252-semicolon.csv"])
def test_delimiter_and_encoding_are_detected(tmp_path, name):
    folder, reg = _load(tmp_path, name)
    assert reg.activities["activity_id"].tolist() == IDS
    assert findings(reg, "unknown-column").empty
    assert reg.activities.loc[2, "data_categories"] == ["user.name", "user.contact.email", "user.health_and_medical"]
    if name.startswith("utf"):
        assert reg.activities.loc[3, "name"] == "Nieuwsbrief für Patiënten"
    result = check("check", folder, *DATED, "--format", "json")
    assert result.exit_code == 0, result.output


def test_a_legacy_file_is_read_as_windows_1252_and_said_so(tmp_path):
    _, reg = _load(tmp_path, "cp1252-semicolon.csv")
    assert reg.activities["name"].tolist()[:2] == ["Rendez-vous médicaux – fiche n°3", "Lettre d'information (€ 0,00)"]
    guessed = findings(reg, "encoding-guessed")
    assert guessed["row"].tolist() == [2] and "Windows-1252" in guessed["evidence"][0]
    assert guessed["severity"][0] == "info"


def test_one_bad_byte_keeps_the_file_utf8_and_reports_its_line(tmp_path):
    folder, reg = _load(tmp_path, "invalid-byte.csv")
    assert reg.activities["activity_id"].tolist() == IDS
    assert reg.activities.loc[2, "name"] == "Afspraken für Patiënten"  # not "fÃ¼r": the file stays UTF-8
    assert reg.activities.loc[3, "name"] == "Nieuwsbrief café"       # the bad byte read as Windows-1252
    bad = findings(reg, "invalid-bytes")
    assert bad["row"].tolist() == [3] and bad["file"][0] == str(folder / "activities.csv")
    assert "0xE9" in bad["evidence"][0] and bad["severity"][0] == "medium"
    result = check("check", folder, *DATED, "--fail-on", "medium", "--format", "json")
    assert result.exit_code == 1
    message = next(f["message"] for f in json.loads(result.output) if f["code"] == "invalid-bytes")
    assert message.startswith(f"{folder / 'activities.csv'} line 3: byte 0xE9")


def test_a_binary_file_is_refused_naming_it(tmp_path):
    folder = register_with(tmp_path, "binary.csv")
    result = check("check", folder, *DATED)
    assert result.exit_code == 2
    assert "activities.csv, line 1" in result.output and "NUL" in result.output
    assert "Traceback" not in result.output


# -- sizes and limits ---------------------------------------------------------------------

def test_a_cell_over_128_kib_loads(tmp_path):
    text = (TABLES / "tab-separated.csv").read_text(encoding="utf-8")
    big = "x" * 200_000  # over the csv module's default field limit (131,072)
    folder = register_with(tmp_path, text.replace("Newsletter", big, 1).encode())
    reg = ropa.load_register(folder)
    assert reg.activities["activity_id"].tolist() == IDS
    assert reg.activities.loc[3, "name"] == big
    assert reg.load_findings.empty


def test_a_cell_over_max_cell_chars_is_reported_and_the_rest_loaded(tmp_path):
    text = (TABLES / "tab-separated.csv").read_text(encoding="utf-8")
    folder = register_with(tmp_path, text.replace("Newsletter", "y" * 5_000, 1).encode())
    with ropa.use_limits(max_cell_chars=1_000):
        reg = ropa.load_register(folder)
    assert reg.activities["activity_id"].tolist() == IDS
    assert reg.activities.loc[3, "name"] == ""
    long = findings(reg, "cell-too-long")
    assert (long["row"][0], long["column"][0]) == (3, "name")
    assert "max_cell_chars=1,000" in long["evidence"][0] and "5,000 characters" in long["evidence"][0]
    result = check("--limit", "max_cell_chars=1000", "check", folder, *DATED, "--format", "json",
                   "--fail-on", "medium")
    assert result.exit_code == 1
    assert any(f["code"] == "cell-too-long" and f["row"] == 3 for f in json.loads(result.output))
    assert check("check", folder, *DATED).exit_code == 0  # within the default limit


def test_a_header_of_a_million_columns_is_refused_in_linear_work(tmp_path):
    folders = {n: register_with(tmp_path / str(n), (",".join(f"c{i}" for i in range(n)) + "\nA1\n").encode())
               for n in (250_000, 1_000_000)}
    results = {}

    def refuse(n):
        results[n] = check("check", folders[n], *DATED)

    # the least of three runs, and 0.1 s as the smallest time that is not noise (the smaller input
    # refuses in a few hundredths of a second on a shared machine)
    assert_linear(refuse, 250_000, 1_000_000, repeat=3, floor=0.1)  # the least of three: one noisy run on a shared machine is not growth
    result = results[1_000_000]
    assert result.exit_code == 2
    assert "activities.csv, line 1" in result.output
    assert "1,000,000 columns" in result.output and "max_columns=1,000" in result.output
    assert "--limit max_columns=N" in result.output


def test_a_file_over_max_file_bytes_is_refused_naming_the_limit(tmp_path):
    folder = register_with(tmp_path, "tab-separated.csv")
    result = check("--limit", "max_file_bytes=500", "check", folder, *DATED)
    assert result.exit_code == 2
    assert "activities.csv" in result.output and "max_file_bytes=500" in result.output
    with ropa.use_limits(max_file_bytes=500), pytest.raises(ropa.RegisterLoadError, match="max_file_bytes"):
        ropa.load_register(folder)
