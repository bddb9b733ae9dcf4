"""The layout of ropa/ as rules: arrows run one way, no import cycle, no private name crosses a
module, typer and rich only in the command line, no module over 800 lines, the public API as it
was, and docs/architecture.md names only modules that exist.

The import graph is read from the source with :mod:`ast`, so every import counts: module level,
inside functions and under ``TYPE_CHECKING``. One test per module and rule, so that a failure
names the module. The private-name rule covers tests/ and benchmarks/ too (they use the public
names, as a user would); the layering and size rules cover ropa/ only.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

import ropa
from tests.conftest import ROOT

PACKAGE = ROOT / "ropa"

#: The stages, bottom up: a module may import from a lower tier, from its own subpackage, and
#: sideways only along the arrows of SIDEWAYS. ``ropa`` is the package root (the public API,
#: re-exported lazily); ``testing`` (the hypothesis strategies) may import anything below the
#: command line.
TIERS: dict[str, int] = {
    "core": 0,
    "register": 1,
    "policy": 1,
    "checks": 2,
    "diff": 3,
    "outputs": 3,
    "report": 4,
    "ropa": 5,
    "testing": 5,
    "cli": 6,
    # data folders beside the code (codes, taxonomy, templates, assets): no imports
    "assets": 0,
    "codes": 0,
    "taxonomy": 0,
    "templates": 0,
}
#: Imports between two stages of one tier, importer -> imported: the diff renders its PDF
#: through outputs.pdf, the one place HTML becomes PDF/A-3b.
SIDEWAYS: set[tuple[str, str]] = {("diff", "outputs")}
#: The third-party packages only the command line may import.
CLI_ONLY = ("typer", "rich")
MAX_LINES = 800

#: `import ropa` exports exactly these (main on 2026-12-05, before and after the move to subpackages).
PUBLIC_API = [
    "FINDING_COLUMNS", "InputError", "Limits", "Policy", "PolicyLoadError", "Register",
    "RegisterLoadError", "RopaError", "SEVERITIES", "Taxonomy", "TaxonomyError", "UsageError",
    "__version__", "article30", "audit", "catalogue", "check", "check_register", "completeness",
    "consistency", "default_taxonomy", "diff_policies", "diff_registers", "filter_findings",
    "findings_frame", "flows", "limits", "load_policy", "load_register", "trusted_folders",
    "use_limits", "use_trusted_folders", "write_flows", "write_record", "write_register",
    "write_report",
]


def module_name(path: Path) -> str:
    """The dotted name of a source file under ROOT (a package is its ``__init__.py``)."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@cache
def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _here(path: Path) -> list[str]:
    """The package a file's relative imports start from (none outside ROOT)."""
    if not path.is_relative_to(ROOT):
        return []
    here = module_name(path).split(".")
    return here if path.name == "__init__.py" else here[:-1]


def _resolve(node: ast.ImportFrom, path: Path) -> Iterator[tuple[str, str | None, str]]:
    """(module, name, local name) for each name of a ``from`` import, the relative module
    resolved; ``from x import y`` where x.y is a module of ropa gives (x.y, None, y)."""
    if node.level:
        here = _here(path)
        target = ".".join([*here[: len(here) - (node.level - 1)], *([node.module] if node.module else [])])
    else:
        target = node.module or ""
    for alias in node.names:
        local = alias.asname or alias.name
        if f"{target}.{alias.name}" in modules():
            yield f"{target}.{alias.name}", None, local
        else:
            yield target, alias.name, local


def _imports(path: Path) -> Iterator[tuple[str, str | None]]:
    """(module, name) for each import in a file, wherever it stands (module level, in a
    function, under TYPE_CHECKING); name is None for ``import x.y`` and for a module imported
    from its package."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, None
        elif isinstance(node, ast.ImportFrom):
            for module, name, _ in _resolve(node, path):
                yield module, name


@cache
def graph() -> dict[str, frozenset[str]]:
    """Module of ropa -> the modules of ropa it imports."""
    return {name: frozenset(m for m, _ in _imports(path) if m in modules())
            for name, path in modules().items()}


def stage(module: str) -> str:
    """``ropa.checks.rules`` -> ``checks``; ``ropa.cli`` -> ``cli``; ``ropa`` -> ``ropa``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "ropa"


@cache
def cyclic() -> dict[str, list[str]]:
    return cycles(graph())


def cycles(g: dict[str, frozenset[str]]) -> dict[str, list[str]]:
    """Each module on an import cycle -> the modules of its strongly connected component
    (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: dict[str, list[str]] = {}

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in g[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1 or v in g[v]:
                for w in component:
                    out[w] = sorted(component)

    for v in sorted(g):
        if v not in index:
            visit(v)
    return out


def _private_uses(path: Path) -> Iterator[str]:
    """Private names of ropa a file takes from another module: ``from ropa.x import _y``, and
    ``m._y`` where m is a ropa module the file imported (``import ropa.x as m``,
    ``from ropa import x``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    own = module_name(path) if path.is_relative_to(PACKAGE) else None
    bound: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "ropa":
                    bound[alias.asname or "ropa"] = alias.name if alias.asname else "ropa"
        elif isinstance(node, ast.ImportFrom):
            for module, name, local in _resolve(node, path):
                if module.split(".")[0] != "ropa" or module == own:
                    continue
                if name is None:
                    bound[local] = module
                elif name.startswith("_") and not name.startswith("__"):
                    yield f"from {module} import {name}"
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
            dotted = _dotted(node.value)
            head, _, rest = (dotted or "").partition(".")
            if head in bound:
                target = ".".join(filter(None, [bound[head], rest]))
                if target in modules() and target != own:
                    yield f"{target}.{node.attr}"


def _dotted(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        inner = _dotted(node.value)
        return None if inner is None else f"{inner}.{node.attr}"
    return None


def _python_files(*folders: str) -> list[Path]:
    return sorted(p for folder in folders for p in (ROOT / folder).rglob("*.py"))


MODULES = sorted(modules())


@pytest.mark.parametrize("module", MODULES)
def test_arrows_run_one_way(module):
    here = stage(module)
    assert here in TIERS, f"{module}: stage {here!r} has no tier in TIERS (add it, in its place)"
    wrong = sorted(m for m in graph()[module]
                   if stage(m) != here and TIERS[stage(m)] >= TIERS[here]
                   and (here, stage(m)) not in SIDEWAYS)
    assert not wrong, f"{module} ({here}) imports {wrong}, which are not below it"


@pytest.mark.parametrize("module", MODULES)
def test_no_import_cycle(module):
    assert module not in cyclic(), f"{module} is on an import cycle with {cyclic().get(module)}"


@pytest.mark.parametrize("path", _python_files("ropa", "tests", "benchmarks"), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_private_name_crosses_a_module(path):
    crossings = sorted(set(_private_uses(path)))
    assert not crossings, f"{path.relative_to(ROOT)} uses private names of other modules: {crossings}"


@pytest.mark.parametrize("module", MODULES)
def test_typer_and_rich_only_in_the_command_line(module):
    used = sorted({m for m, _ in _imports(modules()[module]) if m.split(".")[0] in CLI_ONLY})
    assert module == "ropa.cli" or not used, f"{module} imports {used}: only ropa/cli.py may"


@pytest.mark.parametrize("module", MODULES)
def test_no_module_over_800_lines(module):
    lines = len(modules()[module].read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{module} has {lines} lines (at most {MAX_LINES})"


def test_import_ropa_exports_what_it_did():
    assert sorted(ropa.__all__) == sorted(PUBLIC_API)
    for name in PUBLIC_API:
        assert getattr(ropa, name) is not None, name


def test_the_rules_see_what_they_should(tmp_path):
    """The graph reads imports inside functions, the cycle finder finds a cycle, the private-name
    scan finds both forms: else the tests above could pass by seeing nothing."""
    assert "ropa.core.findings" in graph()["ropa.cli"]  # imported inside a function
    assert "ropa.core.limits" in graph()["ropa.register.documents"]  # a relative import in a package
    assert {"ropa", "ropa.core", "ropa.cli", "ropa.register.documents.layout"} <= set(graph())
    planted = {"a": frozenset({"b"}), "b": frozenset({"c"}), "c": frozenset({"a"}), "d": frozenset({"a"}),
               "e": frozenset({"e"})}
    assert cycles(planted) == {"a": ["a", "b", "c"], "b": ["a", "b", "c"], "c": ["a", "b", "c"], "e": ["e"]}
    sample = tmp_path / "sample.py"
    sample.write_text("from ropa.core.yamlio import _hidden\nfrom ropa.core import words\n"
                      "import ropa.core.text as text\nimport ropa\n\n\n"
                      "def f():\n    return words._fold, text._x, ropa.core.names._y, words.fold\n",
                      encoding="utf-8")
    assert set(_private_uses(sample)) == {"from ropa.core.yamlio import _hidden", "ropa.core.words._fold",
                                          "ropa.core.text._x", "ropa.core.names._y"}


ARCHITECTURE = ROOT / "docs" / "architecture.md"


def _cited_paths() -> list[str]:
    text = ARCHITECTURE.read_text(encoding="utf-8")
    return sorted(set(re.findall(r"ropa/[\w/]+\.(?:py|yml|json|css|html)", text)))


def test_architecture_cites_modules():
    assert len([p for p in _cited_paths() if p.endswith(".py")]) >= 40


@pytest.mark.parametrize("cited", _cited_paths())
def test_architecture_names_only_files_that_exist(cited):
    assert (ROOT / cited).is_file(), f"docs/architecture.md cites {cited}, which does not exist"


@pytest.mark.parametrize("module", [f"ropa.{s}" for s in TIERS if (PACKAGE / s / "__init__.py").is_file() and s not in ("testing", "assets", "codes", "taxonomy", "templates")])
def test_each_stage_says_what_comes_in_and_goes_out(module):
    doc = ast.get_docstring(ast.parse(modules()[module].read_text(encoding="utf-8"))) or ""
    assert re.search(r"\bIn\b", doc) and re.search(r"\bOut\b|\bout\b", doc), \
        f"{module}'s docstring should say what comes in and what goes out"
