"""Properties of the register checks and of writing and reading registers, drawn with ropa.testing.

Run more examples with HYPOTHESIS_PROFILE=thorough.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ropa
from ropa.testing import FILE_FAULTS, REGISTER_FAULTS, register_files, registers
from tests.conftest import AS_OF

REGISTER_CODES = sorted(code for code, area in ropa.catalogue()["area"].items() if area == "register")


def _scaled(fraction: float, floor: int = 3) -> settings:
    """A share of the profile's examples, for tests that run once per code."""
    return settings(max_examples=max(floor, round(settings.default.max_examples * fraction)))


def _codes(findings: pd.DataFrame) -> set[str]:
    return set(findings["code"])


def _show(findings: pd.DataFrame) -> str:
    return findings[["code", "subject", "column", "evidence"]].to_string()


def test_the_kit_plants_every_register_code():
    assert set(REGISTER_FAULTS) | set(FILE_FAULTS) == set(REGISTER_CODES)


@given(registers(as_of=AS_OF))
def test_a_valid_register_has_no_findings(reg):
    findings = ropa.check_register(reg, as_of=AS_OF)
    assert findings.empty, _show(findings)


@_scaled(0.5)
@given(st.lists(st.sampled_from(REGISTER_FAULTS), min_size=1, max_size=4, unique=True)
       .flatmap(lambda codes: st.tuples(st.just(codes), registers(invalid=codes, as_of=AS_OF))))
def test_planted_faults_are_found_and_nothing_else(case):
    codes, reg = case
    findings = ropa.check_register(reg, as_of=AS_OF)
    assert _codes(findings) == set(codes), _show(findings)


@pytest.mark.parametrize("code", REGISTER_FAULTS)
def test_each_planted_fault_is_found_alone(code):
    @_scaled(0.05, floor=2)
    @given(registers(invalid=code, as_of=AS_OF, max_activities=6))
    def prop(reg):
        findings = ropa.check_register(reg, as_of=AS_OF)
        assert _codes(findings) == {code}, _show(findings)
        assert findings["message"].notna().all() and findings["recommendation"].notna().all()

    prop()


def _key(findings: pd.DataFrame) -> list[tuple]:
    cols = ["code", "severity", "subject", "activity_id", "recipient_id", "row", "column", "message",
            "evidence", "recommendation"]
    rows = findings[cols].astype(object).where(findings[cols].notna(), None)
    return sorted(tuple(str(v) for v in r) for r in rows.itertuples(index=False))


@_scaled(0.5)
@given(st.lists(st.sampled_from(REGISTER_FAULTS), max_size=4, unique=True)
       .flatmap(lambda codes: registers(invalid=codes, as_of=AS_OF)),
       st.randoms(use_true_random=False))
def test_findings_do_not_depend_on_row_order(reg, rnd):
    before = ropa.check_register(reg, as_of=AS_OF)
    acts = list(reg.activities.index)
    recs = list(reg.recipients.index)
    rnd.shuffle(acts)
    rnd.shuffle(recs)
    shuffled = ropa.Register(organisation=reg.organisation, activities=reg.activities.loc[acts],
                             recipients=reg.recipients.loc[recs], taxonomy=reg.taxonomy)
    after = ropa.check_register(shuffled, as_of=AS_OF)
    assert _key(before) == _key(after)


def _same_tables(a: ropa.Register, b: ropa.Register) -> None:
    pd.testing.assert_frame_equal(a.activities.reset_index(drop=True), b.activities.reset_index(drop=True))
    pd.testing.assert_frame_equal(a.recipients.reset_index(drop=True), b.recipients.reset_index(drop=True))
    assert a.organisation == b.organisation


@_scaled(0.5)
@given(st.lists(st.sampled_from(REGISTER_FAULTS), max_size=2, unique=True)
       .flatmap(lambda codes: registers(invalid=codes, as_of=AS_OF)),
       st.sampled_from(["csv", "xlsx", "yaml"]))
def test_write_then_read_is_the_identity(reg, fmt):
    with tempfile.TemporaryDirectory() as tmp:
        folder = ropa.write_register(reg, Path(tmp) / "r", format=fmt)
        back = ropa.load_register(folder)
    assert back.load_findings.empty, _show(back.load_findings)
    _same_tables(reg, back)
    # and the checks read the same register: same findings, about the same things
    # (only the file and the lines a finding names differ: the register in memory has none)
    def about(findings: pd.DataFrame) -> list[tuple]:
        cols = ["code", "activity_id", "recipient_id", "column"]
        return sorted(tuple(str(v) for v in r) for r in findings[cols].itertuples(index=False))

    before = about(ropa.check_register(reg, as_of=AS_OF))
    after = about(ropa.check_register(back, as_of=AS_OF))
    assert before == after


@_scaled(0.5)
@given(st.lists(st.sampled_from(REGISTER_FAULTS + FILE_FAULTS), min_size=1, max_size=3, unique=True)
       .flatmap(lambda codes: st.tuples(st.just(codes), register_files(invalid=codes, as_of=AS_OF))))
def test_faults_planted_in_files_are_found_after_loading(case):
    codes, files = case
    with tempfile.TemporaryDirectory() as tmp:
        for name, data in files.items():
            (Path(tmp) / name).write_bytes(data)
        reg = ropa.load_register(tmp)
    findings = ropa.check_register(reg, as_of=AS_OF)
    assert _codes(findings) == set(codes), _show(findings)
    assert findings["file"].notna().all()
