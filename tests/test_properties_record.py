"""Properties of the Article 30 record and of the register diff, over ropa.testing registers."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

import ropa
from ropa.core.safety import neutralise_frame
from ropa.testing import REGISTER_FAULTS, registers
from tests.conftest import AS_OF

# Registers with and without faults: the record is written for imperfect registers too.
ANY_REGISTER = st.lists(st.sampled_from(REGISTER_FAULTS), max_size=2, unique=True).flatmap(
    lambda codes: registers(invalid=codes, as_of=AS_OF))


def _scaled(fraction: float, floor: int = 3) -> settings:
    return settings(max_examples=max(floor, round(settings.default.max_examples * fraction)))


def _roles(reg: ropa.Register, include_retired: bool = False) -> tuple[pd.DataFrame, pd.DataFrame]:
    a = reg.activities
    if not include_retired:
        a = a[a["status"].str.strip().str.lower() != "retired"]
    processor = a["role"].str.strip().str.lower() == "processor"
    return a[~processor], a[processor]


@_scaled(0.5)
@given(ANY_REGISTER)
def test_the_record_has_one_row_per_active_controller_activity(reg):
    controller, processor = _roles(reg)
    record = ropa.article30(reg)
    assert record["activity_id"].tolist() == controller["activity_id"].tolist()
    assert record["name"].tolist() == controller["name"].tolist()
    everything, _ = _roles(reg, include_retired=True)
    assert ropa.article30(reg, include_retired=True)["activity_id"].tolist() == everything["activity_id"].tolist()
    # the processor's record: the organisation's processing for others, and nothing else
    assert set(ropa.article30(reg, role="processor")["activity_id"]) == set(processor["activity_id"])


@_scaled(0.5)
@given(ANY_REGISTER)
def test_purposes_and_data_read_as_names_in_the_record(reg):
    controller, _ = _roles(reg)
    record = ropa.article30(reg).reset_index(drop=True)
    tax = reg.taxonomy
    for i, (purposes, cats) in enumerate(zip(controller["purposes"], controller["data_categories"], strict=True)):
        for kind, keys, column in (("data_use", purposes, "purposes"), ("data_category", cats, "data_categories")):
            for key in keys:
                name = tax.label(kind, key)
                assert name in record.at[i, column], (key, name, record.at[i, column])


@_scaled(0.5)
@given(ANY_REGISTER)
def test_the_csv_record_reads_back_as_the_record(reg):
    with tempfile.TemporaryDirectory() as tmp:
        out = ropa.write_record(reg, Path(tmp) / "art30.csv", format="csv", date=AS_OF)
        back = pd.read_csv(out, dtype=str, keep_default_na=False)
    expected = neutralise_frame(ropa.article30(reg)).fillna("").astype(str)
    assert back.to_numpy().tolist() == expected.to_numpy().tolist()


@_scaled(0.5)
@given(ANY_REGISTER)
def test_the_json_record_holds_every_activity_and_is_dated(reg):
    controller, processor = _roles(reg)
    with tempfile.TemporaryDirectory() as tmp:
        out = ropa.write_record(reg, Path(tmp) / "art30.json", format="json", date=AS_OF)
        model = json.loads(out.read_text(encoding="utf-8"))
    assert model["date"] == AS_OF.isoformat()
    assert [r["activity_id"] for r in model["controller_record"]] == controller["activity_id"].tolist()
    assert [r["name"] for r in model["controller_record"]] == controller["name"].tolist()
    done_for_others = {a["activity_id"] for c in model["processor_record"] for a in c["activities"]}
    assert done_for_others == set(processor["activity_id"])


@_scaled(0.5)
@given(ANY_REGISTER, st.sampled_from(["csv", "xlsx", "yaml"]))
def test_a_register_against_its_own_files_has_no_changes(reg, fmt):
    """Whatever format a register is kept in, the diff sees no change after writing and reading."""
    with tempfile.TemporaryDirectory() as tmp:
        back = ropa.load_register(ropa.write_register(reg, Path(tmp) / "r", format=fmt))
    changes = ropa.diff_registers(reg, back)
    assert changes.empty, changes.to_string()
    assert ropa.diff_registers(back, back).empty

