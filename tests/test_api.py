"""The public API: what is exported, that it is lazy, and the catalogue docs are current."""

from __future__ import annotations

import subprocess
import sys

import ropa
from ropa.core.docs import findings_markdown
from tests.conftest import ROOT

EXPECTED = {
    "FINDING_COLUMNS", "Limits", "limits", "use_limits", "trusted_folders", "use_trusted_folders", "SEVERITIES", "InputError", "Policy", "PolicyLoadError", "Register",
    "RegisterLoadError", "RopaError", "Taxonomy", "TaxonomyError", "UsageError", "__version__",
    "Assessment", "assess", "article30", "audit", "catalogue", "check", "check_register", "completeness", "consistency",
    "default_taxonomy", "diff_policies", "diff_registers", "filter_findings", "findings_frame",
    "flows", "load_policy", "load_register", "write_flows", "write_record", "write_register",
    "write_report",
}


def test_exported_members():
    assert set(ropa.__all__) == EXPECTED


def test_every_export_resolves():
    for name in ropa.__all__:
        assert getattr(ropa, name) is not None, name


def test_import_is_lazy():
    code = ("import sys, ropa; heavy = [m for m in ('weasyprint', 'pandera', 'openpyxl', 'rdflib') "
            "if m in sys.modules]; print(heavy); sys.exit(1 if heavy else 0)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_exceptions_subclass_builtins():
    assert issubclass(ropa.RegisterLoadError, ValueError)
    assert issubclass(ropa.RegisterLoadError, ropa.RopaError)
    assert issubclass(ropa.UsageError, ValueError)


def test_findings_doc_is_generated_from_the_catalogue():
    doc = (ROOT / "docs" / "findings.md").read_text(encoding="utf-8")
    assert doc == findings_markdown(), "regenerate: python -m ropa.core.docs docs/findings.md"


def test_catalogue_entries_are_complete():
    cat = ropa.catalogue()
    assert cat.index.is_unique
    assert cat["code"].str.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*").all()
    assert cat["severity"].isin(ropa.SEVERITIES).all()
    for col in ("title", "explanation", "message", "recommendation"):
        assert cat[col].astype(str).str.len().gt(0).all(), col


def test_filter_findings(pro_at):
    from tests.conftest import AS_OF

    findings = ropa.check(pro_at, as_of=AS_OF)
    kept = ropa.filter_findings(findings, skip=["stale-review"])
    assert "stale-review" in set(findings["code"]) and "stale-review" not in set(kept["code"])
    high = ropa.filter_findings(findings, min_severity="high")
    assert set(high["severity"].astype(str)) <= {"critical", "high"}
