"""Hostile and broken YAML in a register (organisation.yaml, taxonomy.yaml, Fides manifests):
refused with exit 2 and a message naming the file, the key or limit and the line; never a
traceback, never minutes of work or gigabytes of memory; repeated keys reported."""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

import ropa
from ropa.cli import app
from tests.conftest import DATA
from tests.growth import assert_growth

HERE = Path(__file__).parent / "data" / "core"
CLEAN = DATA / "registers" / "clean"
runner = CliRunner()


def register_with(tmp_path: Path, name: str, text: str | None = None, source: str | None = None) -> Path:
    """The clean register with one file replaced by a hostile one."""
    folder = tmp_path / "register"
    shutil.copytree(CLEAN, folder)
    data = text if text is not None else (HERE / source).read_text(encoding="utf-8")
    (folder / name).write_text(data, encoding="utf-8")
    return folder


def check(folder: Path, *extra: str):
    return runner.invoke(app, [*extra, "check", str(folder), "--no-policy", "--as-of", "2026-11-25"])


def alias_bomb(levels: int) -> str:
    """A "billion laughs" organisation.yaml: ``levels`` lists of nine aliases, 9**levels nodes."""
    names = [chr(ord("a") + i) for i in range(levels)]
    lines = ["name: Hostile", f"{names[0]}: &{names[0]} [{', '.join(['lol'] * 9)}]"]
    lines += [f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]" for p, n in itertools.pairwise(names)]
    return "\n".join(lines) + "\n"


def test_alias_bomb_is_refused_at_once(tmp_path):
    folder = register_with(tmp_path, "organisation.yaml", source="organisation-alias-bomb.yaml")
    result = check(folder)
    assert result.exit_code == 2, result.output
    assert "organisation.yaml" in result.output and "max_yaml_nodes" in result.output
    assert "Traceback" not in result.output


def test_an_alias_bomb_costs_the_same_work_however_far_it_would_expand(tmp_path):
    """81 times the nodes (7 levels, 4.8 million; 9 levels, 387 million), about the same CPU
    work: reading stops at the node limit."""

    folders = {9**levels: register_with(tmp_path / str(levels), "organisation.yaml", text=alias_bomb(levels))
               for levels in (7, 9)}

    def refuse(nodes: int) -> None:
        result = check(folders[nodes])
        assert result.exit_code == 2 and "max_yaml_nodes" in result.output, result.output

    assert_growth(refuse, 9**7, 9**9, at_most=3)


def test_the_node_limit_can_be_raised_and_still_holds(tmp_path):
    folder = register_with(tmp_path, "organisation.yaml", source="organisation-alias-bomb.yaml")
    result = check(folder, "--limit", "max_yaml_nodes=5000000")
    assert result.exit_code == 2 and "max_yaml_nodes=5,000,000" in result.output


def test_a_recursive_alias_is_refused(tmp_path):
    folder = register_with(tmp_path, "organisation.yaml", source="organisation-recursive-alias.yaml")
    result = check(folder)
    assert result.exit_code == 2, result.output
    assert "organisation.yaml, line 2" in result.output and "recursive" in result.output


@pytest.mark.parametrize("name", ["organisation.yaml", "taxonomy.yaml"])
def test_yaml_nested_50000_deep_is_refused(tmp_path, name):
    folder = register_with(tmp_path, name, text="name: " + "[" * 50_000 + "]" * 50_000 + "\n")
    result = check(folder)
    assert result.exit_code == 2, result.output
    assert name in result.output and "max_yaml_depth" in result.output
    assert "Traceback" not in result.output and "RecursionError" not in result.output


def test_deep_yaml_in_a_fides_manifest_is_refused(tmp_path):
    folder = tmp_path / "fides"
    folder.mkdir()
    (folder / "system.yml").write_text("system:\n  - fides_key: x\n    meta: " + "{a: " * 5_000
                                       + "1" + "}" * 5_000 + "\n", encoding="utf-8")
    result = check(folder)
    assert result.exit_code == 2, result.output
    assert "system.yml" in result.output and "max_yaml_depth" in result.output


@pytest.mark.parametrize(("source", "key", "line"), [
    ("organisation-controller-number.yaml", "controller", 3),
    ("organisation-dpo-number.yaml", "dpo", 6),
])
def test_a_wrong_type_names_file_key_and_line(tmp_path, source, key, line):
    folder = register_with(tmp_path, "organisation.yaml", source=source)
    result = check(folder)
    assert result.exit_code == 2, result.output
    assert f"organisation.yaml, line {line}: key {key}:" in result.output
    assert "the number" in result.output


def test_python_tags_are_never_executed(tmp_path):
    marker = Path("/tmp/ropa-pwned")
    marker.unlink(missing_ok=True)
    folder = register_with(tmp_path, "organisation.yaml", source="organisation-python-object.yaml")
    result = check(folder)
    assert result.exit_code == 2, result.output
    assert "organisation.yaml, line 1" in result.output
    assert not marker.exists()


def test_a_list_is_not_an_organisation(tmp_path):
    folder = register_with(tmp_path, "organisation.yaml", source="organisation-not-a-mapping.yaml")
    result = check(folder)
    assert result.exit_code == 2 and "expected a mapping" in result.output


def test_taxonomy_wrong_types_name_the_term(tmp_path):
    folder = register_with(tmp_path, "taxonomy.yaml", source="taxonomy-wrong-types.yaml")
    result = check(folder)
    assert result.exit_code == 2, result.output
    assert "taxonomy.yaml, line 4: key data_category[0].parents" in result.output
    assert "synonyms (line 5)" in result.output


def test_taxonomy_unknown_kind_names_its_line(tmp_path):
    folder = register_with(tmp_path, "taxonomy.yaml", source="taxonomy-unknown-kind.yaml")
    result = check(folder)
    assert result.exit_code == 2, result.output
    assert "taxonomy.yaml, line 4: unknown kind 'data_colour'" in result.output


def test_repeated_keys_are_reported_with_both_lines(tmp_path):
    text = (CLEAN / "organisation.yaml").read_text(encoding="utf-8") + "name: Another Name\n"
    folder = register_with(tmp_path, "organisation.yaml", text=text)
    reg = ropa.load_register(folder)
    found = reg.load_findings[reg.load_findings["code"] == "duplicate-key"]
    assert found[["row", "column"]].values.tolist() == [[8, "name"]]
    assert "also given on line 1" in found.iloc[0]["evidence"]
    assert reg.organisation["name"] == "Another Name"


def test_repeated_keys_in_a_fides_manifest_are_reported(tmp_path):
    shutil.copytree(DATA / "fides" / "shop", tmp_path / "shop")
    manifest = tmp_path / "shop" / "organization.yml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text + "\n" + text, encoding="utf-8")  # the same organization twice
    reg = ropa.load_register(tmp_path / "shop")
    found = reg.load_findings[reg.load_findings["code"] == "duplicate-key"]
    assert found["column"].tolist() == ["organization"]
    assert found.iloc[0]["file"].endswith("organization.yml")


def test_bad_quarter_is_misuse(tmp_path):
    result = runner.invoke(app, ["report", str(CLEAN), "--quarter", "0000Q1", "-o", str(tmp_path)])
    assert result.exit_code == 2, result.output
    assert "year must be between" in result.output


def test_an_unknown_limit_is_misuse():
    result = runner.invoke(app, ["--limit", "max_colums=5", "check", str(CLEAN)])
    assert result.exit_code == 2 and "unknown limit max_colums" in result.output


def test_an_internal_error_exits_3_in_one_line(monkeypatch):
    def broken(*args, **kwargs):
        raise KeyError("a bug")

    monkeypatch.setattr(ropa, "load_register", broken)
    result = runner.invoke(app, ["check", str(CLEAN)])
    assert result.exit_code == 3
    assert "internal error" in result.output and "KeyError" in result.output
    assert "--debug" in result.output and "Traceback" not in result.output
    result = runner.invoke(app, ["--debug", "check", str(CLEAN)])
    assert result.exit_code == 3 and "Traceback" in result.output


@pytest.mark.parametrize("name", ["activities.csv", "organisation.yaml", "recipients.csv"])
def test_a_register_file_linking_out_of_the_folder_is_not_read(tmp_path, name):
    secret = tmp_path / "secret.csv"
    secret.write_text("activity_id,name\nTOP-SECRET-LINE,do not print\n", encoding="utf-8")
    folder = register_with(tmp_path, "organisation.yaml", text=(CLEAN / "organisation.yaml").read_text())
    (folder / name).unlink()
    (folder / name).symlink_to(secret)
    result = check(folder)
    assert result.exit_code == 2, result.output
    assert "outside" in result.output and "TOP-SECRET-LINE" not in result.output
