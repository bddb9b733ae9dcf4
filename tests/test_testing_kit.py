"""ropa.testing, the kit users property-test with: its promises, its examples and its speed."""

from __future__ import annotations

import doctest
import re
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

import ropa
import ropa.testing as kit
from ropa.policy.load import extract_policy
from ropa.policy.model import STATEMENT_COLUMNS
from ropa.testing.tables import activities_frame, recipients_frame
from tests.conftest import AS_OF, ROOT
from tests.growth import assert_linear

ORGANISATION = {"name": "Example", "controller": {"name": "Example B.V.", "email": "privacy@example.org"},
                "dpo": {"designated": False}}


def _scaled(fraction: float, floor: int = 3) -> settings:
    return settings(max_examples=max(floor, round(settings.default.max_examples * fraction)))


def test_every_exported_name_is_documented():
    for name in kit.__all__:
        obj = getattr(kit, name)
        if callable(obj):
            assert (obj.__doc__ or "").strip(), f"{name} has no docstring"
    doc = kit.__doc__
    assert "from ropa.testing import registers" in doc and "HYPOTHESIS_PROFILE" in doc


def test_ropa_runs_without_hypothesis_and_the_kit_says_what_to_install():
    """hypothesis is the testing extra: the rest of ropa never imports it."""
    code = textwrap.dedent("""
        import importlib, pkgutil, sys
        sys.modules["hypothesis"] = None  # as if not installed
        import ropa
        for m in pkgutil.walk_packages(ropa.__path__, "ropa."):
            if not m.name.startswith("ropa.testing"):
                importlib.import_module(m.name)
        ropa.check(ropa.load_register("registers/pro-at"))
        try:
            import ropa.testing
        except ImportError as exc:
            print(exc)
    """)
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert 'pip install "ropa[testing]"' in done.stdout


def _kit_modules() -> list:
    """ropa.testing and the modules of its package."""
    import importlib
    import pkgutil

    return [kit] + [importlib.import_module(f"ropa.testing.{m.name}") for m in pkgutil.iter_modules(kit.__path__)]


def test_the_docstring_examples_run(few_examples):
    """Each docstring defines a property test and runs it."""
    attempted = failed = 0
    with few_examples():
        for module in _kit_modules():
            result = doctest.testmod(module, optionflags=doctest.ELLIPSIS, verbose=False)
            attempted, failed = attempted + result.attempted, failed + result.failed
    assert attempted >= 7 and failed == 0


def test_the_module_example_runs_as_written(few_examples):
    """The three lines at the top of the module, with an export of the user's own."""
    namespace: dict = {}
    block = re.search(r"own code::\n\n(.*?)\n\nThe strategies", kit.__doc__, re.S).group(1)
    exec("def my_export(reg):\n    return reg.activities.to_dict('records')\n" + "\n".join(
        line[4:] for line in block.splitlines()), namespace)
    with few_examples():
        namespace["test_my_export_keeps_every_activity"]()


@pytest.mark.parametrize("kind", ["data_category", "data_use", "data_subject", "recipient", "legal_basis",
                                  "art9_condition", "right"])
def test_taxonomy_keys_are_keys(kind):
    tax = ropa.default_taxonomy()

    @_scaled(0.2)
    @given(kit.taxonomy_keys(kind))
    def prop(key):
        assert tax.known(kind, [key])[0]

    prop()


def test_unknown_kinds_and_codes_are_refused():
    with pytest.raises(InvalidArgument, match="unknown taxonomy kind"):
        kit.taxonomy_keys("colour")
    with pytest.raises(InvalidArgument, match="cannot plant 'no-such-code'"):
        kit.registers(invalid="no-such-code").example()
    with pytest.raises(InvalidArgument, match="register_files"):
        kit.registers(invalid="unreadable-row").example()
    with pytest.raises(InvalidArgument, match="cannot plant 'processor-without-contract'"):
        kit.activities(invalid="processor-without-contract").example()


def _register(acts: pd.DataFrame, recs: pd.DataFrame | None = None) -> ropa.Register:
    recs = recipients_frame([]) if recs is None else recs
    tax = ropa.default_taxonomy()
    return ropa.Register(organisation=ORGANISATION, activities=acts, recipients=recs, taxonomy=tax.with_entities(recs))


@_scaled(0.3)
@given(kit.recipients(max_size=4).flatmap(
    lambda recs: st.tuples(st.just(recs), kit.activities(recipient_ids=tuple(recs["recipient_id"]), as_of=AS_OF))))
def test_activities_and_recipients_are_valid_together(pair):
    recs, acts = pair
    assert list(acts.columns) == list(ropa.register.columns.ACTIVITY_COLUMNS)
    assert list(recs.columns) == list(ropa.register.columns.RECIPIENT_COLUMNS)
    findings = ropa.check_register(_register(acts, recs), as_of=AS_OF)
    assert findings.empty, findings[["code", "subject", "column", "evidence"]].to_string()


@pytest.mark.parametrize("code", kit.ACTIVITY_FAULTS)
def test_activities_plant_exactly_the_fault_named(code):
    @_scaled(0.03, floor=2)
    @given(kit.activities(invalid=code, as_of=AS_OF, max_size=4))
    def prop(acts):
        assert set(ropa.check_register(_register(acts), as_of=AS_OF)["code"]) == {code}

    prop()


@pytest.mark.parametrize("code", kit.RECIPIENT_FAULTS)
def test_recipients_plant_exactly_the_fault_named(code):
    @_scaled(0.03, floor=2)
    @given(kit.recipients(invalid=code))
    def prop(recs):
        acts = activities_frame([])
        assert set(ropa.check_register(_register(acts, recs), as_of=AS_OF)["code"]) == {code}

    prop()


@_scaled(0.3)
@given(kit.registers(as_of=AS_OF))
def test_registers_refer_to_themselves(reg):
    ids = set(reg.recipients["recipient_id"])
    named = {r for cell in reg.activities["recipients"] for r in cell}
    assert named <= ids | set(reg.taxonomy.keys("recipient")) | {"none"}
    controllers = {c["id"] for c in reg.organisation.get("controllers", [])}
    processing = reg.activities[reg.activities["role"] == "processor"]
    assert {c for cell in processing["controllers"] for c in cell} <= controllers
    roles = set(reg.activities["role"])
    assert reg.organisation["role"] == ("both" if "processor" in roles and roles - {"processor"}
                                        else "processor" if roles == {"processor"} else "controller")


def _check_rendering(pol: ropa.Policy) -> None:
    lines = pol.text.splitlines()
    assert list(pol.statements.columns) == list(STATEMENT_COLUMNS)
    assert pol.statements["statement_id"].is_unique
    for st_ in pol.statements.itertuples():
        assert lines[int(st_.line) - 1] == st_.quote
        sec = pol.sections[pol.sections["number"] == st_.section].iloc[0]
        assert sec["line_start"] < st_.line <= sec["line_end"]
        assert st_.quote in sec["text"]
    assert f"{pol.version[8:10]}-{pol.version[5:7]}-{pol.version[:4]}" in pol.text


@given(kit.policies())
def test_policies_are_rendered_with_quotes_at_their_lines(pol):
    _check_rendering(pol)
    tax = ropa.default_taxonomy()
    for col, kind in (("data_categories", "data_category"), ("purposes", "data_use"),
                      ("data_subjects", "data_subject"), ("rights", "right")):
        keys = {k for cell in pol.statements[col] for k in cell}
        assert tax.known(kind, sorted(keys)).all(), keys


@_scaled(0.5)
@given(kit.registers(min_activities=2, max_activities=6, as_of=AS_OF).flatmap(
    lambda reg: st.tuples(st.just(reg), kit.policies(reg))))
def test_a_registers_policy_speaks_of_its_flows(pair):
    reg, pol = pair
    _check_rendering(pol)
    cats = {c for cell in reg.activities["data_categories"] for c in cell}
    assert {c for cell in pol.statements["data_categories"] for c in cell} <= cats
    entities = {r for cell in reg.activities["recipients"] for r in cell} | set(reg.recipients["recipient_id"]) \
        | set(reg.taxonomy.keys("recipient"))
    assert {r for cell in pol.statements["recipients"] for r in cell} <= entities | {"we"}


@given(kit.policies())
def test_a_generated_policy_survives_its_reviewed_flows_file(pol):
    with tempfile.TemporaryDirectory() as tmp:
        path = ropa.write_flows(pol, Path(tmp) / f"{pol.version}.flows.yaml")
        back = ropa.load_policy(path)
    cols = [c for c in STATEMENT_COLUMNS if c != "section_title"]
    pd.testing.assert_frame_equal(back.statements[cols], pol.statements[cols])


def _content(row) -> tuple:
    return tuple((c, tuple(row[c]) if isinstance(row[c], list) else row[c]) for c in
                 ("actor", "action", "data_categories", "data_subjects", "purposes", "recipients", "countries",
                  "legal_bases", "retention", "exceptions", "rights"))


@given(kit.policy_versions())
def test_policy_versions_list_their_changes(pair):
    old, new, changes = pair
    _check_rendering(old)
    _check_rendering(new)
    assert new.version > old.version
    assert len(changes) and set(changes["change"]) <= {"added", "removed", "reworded", "changed", "moved"}
    o = old.statements.set_index("statement_id")
    n = new.statements.set_index("statement_id")
    for ch in changes.itertuples():
        if ch.change == "added":
            assert ch.old_statement_id is None and ch.new_statement_id in n.index and ch.material
        elif ch.change == "removed":
            assert ch.new_statement_id is None and ch.old_statement_id in o.index and ch.material
        else:
            before, after = o.loc[ch.old_statement_id], n.loc[ch.new_statement_id]
            same = _content(before) == _content(after)
            assert same == (ch.change in ("reworded", "moved")), ch
            assert ch.material == (ch.change == "changed")
            if ch.change == "reworded":
                assert before["quote"] != after["quote"]
    # what no change names is the same in both versions
    touched_old = set(changes["old_statement_id"].dropna())
    touched_new = set(changes["new_statement_id"].dropna())
    rest_old = sorted(_content(r) for _, r in o.drop(index=list(touched_old)).iterrows())
    rest_new = sorted(_content(r) for _, r in n.drop(index=list(touched_new)).iterrows())
    assert rest_old == rest_new


def test_drawing_a_register_grows_linearly_with_its_activities():
    """Four times the activities, under eight times the CPU work to draw a register."""
    ropa.default_taxonomy()

    def draw_registers(n):
        @settings(max_examples=5, database=None, derandomize=True,
                  suppress_health_check=[HealthCheck.large_base_example, HealthCheck.too_slow])
        @given(kit.registers(min_activities=n, max_activities=n, as_of=AS_OF))
        def draw(reg):
            assert len(reg.activities) == n

        draw()

    assert_linear(draw_registers, 12, 48)


@_scaled(0.5)
@given(kit.policies())
def test_extraction_reads_back_what_a_rendered_policy_says(pol):
    """The rendered text is plain enough for extraction: every numbered section with its title,
    and the version."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{pol.version}.txt"
        path.write_text(pol.text, encoding="utf-8")
        extracted = extract_policy(path)
    assert extracted.version == pol.version
    numbered = extracted.sections[extracted.sections["number"].isin(pol.sections["number"])]
    assert numbered[["number", "title"]].values.tolist() == pol.sections[["number", "title"]].values.tolist()
