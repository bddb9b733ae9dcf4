"""Any register, written as its activities CSV in the dialects and encodings spreadsheets and
scripts use, loads with exactly its activity ids: the same ids in the same order, none lost,
none added.

Dialects: comma, semicolon and tab delimiters; LF or CRLF line ends. Encodings: UTF-8, UTF-8
with a byte-order mark, UTF-16 with its mark (Excel's "Unicode text"), and Windows-1252 (the
text restricted to what Windows-1252 can encode).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import yaml
from hypothesis import given
from hypothesis import strategies as st

import ropa
from ropa.register.cells import cell_text as _cell_text
from ropa.register.cells import csv_text as _csv_text
from ropa.testing import registers
from tests.conftest import AS_OF

DELIMITERS = st.sampled_from([",", ";", "\t"])
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"])
NEWLINES = st.sampled_from(["\n", "\r\n"])


def _activities_csv(reg: ropa.Register, delimiter: str, newline: str, encoding: str) -> bytes:
    frame = reg.activities.apply(lambda col: col.map(_cell_text))
    text = frame.to_csv(index=False, sep=delimiter, lineterminator=newline)
    if encoding == "cp1252":
        text = text.encode("cp1252", errors="replace").decode("cp1252")
    return text.encode(encoding)


@given(registers(max_activities=10, as_of=AS_OF), DELIMITERS, ENCODINGS, NEWLINES)
def test_any_register_in_any_dialect_loads_with_exactly_its_ids(reg, delimiter, encoding, newline):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "organisation.yaml").write_text(
            yaml.safe_dump(reg.organisation, sort_keys=False, allow_unicode=True), encoding="utf-8")
        (folder / "recipients.csv").write_text(_csv_text(reg.recipients), encoding="utf-8")
        (folder / "activities.csv").write_bytes(_activities_csv(reg, delimiter, newline, encoding))
        loaded = ropa.load_register(folder)
    assert loaded.activities["activity_id"].tolist() == reg.activities["activity_id"].tolist()
    lost = loaded.load_findings[loaded.load_findings["code"].isin(["unreadable-row", "unclosed-quote",
                                                                   "unknown-column"])]
    assert lost.empty, lost[["code", "row", "evidence"]].to_string()
    if encoding != "cp1252":  # a UTF file comes back cell for cell
        left = reg.activities.reset_index(drop=True).astype(str)
        right = loaded.activities.reset_index(drop=True).astype(str)
        assert left.equals(right)
        assert loaded.load_findings.empty
