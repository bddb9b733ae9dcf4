"""One assessment per register and policy: every stage computed once and read by check, the
report and the diff's impact."""

from __future__ import annotations

import pytest

import ropa
import ropa.checks.consistency as consistency_module
from ropa.diff.impact import policy_diff_findings
from tests.conftest import AS_OF, PRO_AT


@pytest.fixture
def classify_calls(monkeypatch):
    """Every classification of flows against a policy, by policy version."""
    calls: list[str] = []
    real = consistency_module.classify

    def counting(register, policy):
        calls.append(str(policy.version))
        return real(register, policy)

    monkeypatch.setattr(consistency_module, "classify", counting)
    return calls


def _policy(version: str) -> ropa.Policy:
    return ropa.load_policy(PRO_AT / "policies" / f"{version}.flows.yaml")


def test_stages_are_computed_once(classify_calls):
    reg = ropa.load_register(PRO_AT)
    a = ropa.assess(reg, _policy("2026-11-01"), as_of=AS_OF)
    assert a.classification is a.classification
    assert a.table is a.classification.table
    assert a.findings is a.findings
    assert classify_calls == ["2026-11-01"]


def test_check_reads_the_assessment():
    reg, pol = ropa.load_register(PRO_AT), _policy("2026-11-01")
    a = ropa.assess(reg, pol, as_of=AS_OF)
    checked = ropa.check(reg, pol, as_of=AS_OF)
    assert checked.equals(a.findings)
    assert set(a.consistency_findings["area"]) == {"consistency"}
    assert len(a.findings) == len(a.register_findings) + len(a.policy_findings) + len(a.consistency_findings)


def test_without_a_policy_nothing_is_classified(classify_calls):
    a = ropa.assess(ropa.load_register(PRO_AT), as_of=AS_OF)
    assert a.classification is None and a.table is None
    assert set(a.findings["area"]) <= {"register", "import"}
    assert classify_calls == []


def test_the_report_classifies_each_policy_version_once(classify_calls):
    # 2026Q4 has two policy versions: the one in force (2026-11-01), published in the quarter and
    # diffed against the one before it (2018-05-24). Before the assessment: four classifications
    # (check, the consistency section, and both versions again in the diff's impact).
    reg = ropa.load_register(PRO_AT)
    model = ropa.audit(reg, "2026Q4", date=AS_OF)
    assert model["policy"]["version"] == "2026-11-01"
    assert sorted(classify_calls) == ["2018-05-24", "2026-11-01"]


def test_the_diff_impact_reads_an_assessment_given(classify_calls):
    reg = ropa.load_register(PRO_AT)
    old, new = _policy("2018-05-24"), _policy("2026-11-01")
    a = ropa.assess(reg, new)
    a.table  # noqa: B018 - classified here, once
    with_it = policy_diff_findings(old, new, register=reg, assessments=[a])
    assert classify_calls == ["2026-11-01", "2018-05-24"]
    without = policy_diff_findings(old, new, register=reg)
    assert with_it.equals(without)
