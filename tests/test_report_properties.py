"""Properties of the report model and its HTML, over registers and policies drawn by ropa.testing."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import escape

import ropa
from ropa.report.model import model_json
from ropa.report.render import render_html
from ropa.testing import REGISTER_FAULTS, policies, registers
from tests.conftest import AS_OF


@st.composite
def register_and_policy(draw):
    faults = draw(st.lists(st.sampled_from(REGISTER_FAULTS), max_size=2, unique=True))
    reg = draw(registers(max_activities=5, invalid=faults or None, as_of=AS_OF))
    pol = draw(st.none() | policies(reg, max_statements=6, version="2026-10-01"))
    return reg, pol


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(register_and_policy())
def test_model_is_json_and_the_html_shows_every_finding_escaped(case):
    reg, pol = case
    model = ropa.audit(reg, "2026Q4", date=AS_OF, policy=pol)
    assert json.loads(model_json(model)) == model
    findings = ropa.check(reg, pol, as_of=AS_OF)
    shown = [f for a in model["findings"]["areas"] for g in a["codes"] for f in g["findings"]]
    assert model["findings"]["checked"] == len(findings)
    assert sorted(f["code"] for f in shown if f["area"] != "diff") == sorted(findings["code"])
    assert sum(model["summary"]["findings"]["by_severity"].values()) == model["findings"]["total"] == len(shown)
    html = render_html(model)
    for code in set(findings["code"]):
        assert code in html
    # Every live activity's name is on the page, escaped: no element comes from the register.
    live = reg.activities[reg.activities["status"].str.lower() != "retired"]
    for name in live["name"]:
        assert str(escape(name)) in html
        assert "<" not in name or name not in html
    if pol is None:
        assert model["consistency"]["status"] == "no-policy"
    else:
        assert sum(model["consistency"]["by_class"].values()) == model["consistency"]["flows"]
