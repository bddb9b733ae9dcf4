"""Loading registers: formats, heading mappings, and the errors that name file and line."""

from __future__ import annotations

import shutil

import pytest
from typer.testing import CliRunner

import ropa
from ropa.cli import app
from ropa.policy.load import ReviewedFlowsUsed
from tests.conftest import DATA, PRO_AT

CLEAN = DATA / "registers" / "clean"


def test_pro_at_loads_with_list_columns(pro_at):
    acts = pro_at.activities
    assert len(acts) == 20
    assert acts.loc[acts["activity_id"] == "A07", "recipients"].iloc[0] == ["das-incasso"]
    assert all(isinstance(v, list) for v in acts["data_categories"])
    assert pro_at.organisation["name"] == "PRO-AT"
    assert set(pro_at.recipients["recipient_id"]) >= {"mailchimp", "das-incasso", "linkedin"}
    assert acts.index.name == "row" and acts.index[0] == 2


def test_ico_and_cnil_headings_map_onto_canonical_columns(tmp_path):
    folder = tmp_path / "r"
    shutil.copytree(CLEAN, folder)
    acts = folder / "activities.csv"
    text = acts.read_text().splitlines()
    header = text[0].split(",")
    header[header.index("retention")] = "Retention schedule (if possible)"
    header[header.index("data_subjects")] = "Catégories de personnes concernées"
    header[header.index("security_measures")] = "Mesures de sécurité"
    acts.write_text("\n".join([",".join(header), *text[1:]]) + "\n")
    reg = ropa.load_register(folder)
    assert reg.activities["retention"].tolist()[0] == "P20Y"
    assert reg.activities["data_subjects"].tolist()[0] == ["patient"]
    assert reg.load_findings.empty


def test_user_heading_mapping(tmp_path):
    folder = tmp_path / "r"
    shutil.copytree(CLEAN, folder)
    acts = folder / "activities.csv"
    acts.write_text(acts.read_text().replace("retention,", "Aufbewahrung,", 1))
    reg = ropa.load_register(folder, headings={"Aufbewahrung": "retention"})
    assert reg.activities["retention"].tolist()[0] == "P20Y"


def test_labels_in_cells_map_to_keys(tmp_path):
    folder = tmp_path / "r"
    shutil.copytree(CLEAN, folder)
    acts = folder / "activities.csv"
    acts.write_text(acts.read_text().replace("user.name;user.contact.email;", "Name;E-mail address;", 1))
    reg = ropa.load_register(folder)
    assert reg.activities["data_categories"].iloc[0][:2] == ["user.name", "user.contact.email"]


def test_semicolon_separated_csv(tmp_path):
    folder = tmp_path / "r"
    shutil.copytree(CLEAN, folder)
    import pandas as pd

    frame = pd.read_csv(folder / "activities.csv", dtype=str, keep_default_na=False)
    frame = frame.apply(lambda c: c.str.replace(";", "|"))
    frame.to_csv(folder / "activities.csv", sep=";", index=False)
    reg = ropa.load_register(folder)
    assert reg.activities["activity_id"].tolist() == ["C1", "C2", "P1"]


@pytest.mark.parametrize(("name", "content", "needle"), [
    ("organisation.yaml", "controller: {name: [x\n", "line"),
    ("activities.csv", "", "empty"),
    ("activities.csv", b"activity_id,name\n\xff\xfe\x00bad\n", "line"),
    ("taxonomy.yaml", "data_category:\n  - {key: x.y, parents: [nope]}\n", "unknown parent"),
])
def test_unreadable_files_raise_a_ropa_error_naming_the_file(tmp_path, name, content, needle):
    folder = tmp_path / "r"
    shutil.copytree(CLEAN, folder)
    target = folder / name
    if isinstance(content, bytes):
        target.write_bytes(content)
    else:
        target.write_text(content)
    with pytest.raises(ropa.InputError) as info:
        ropa.load_register(folder)
    assert name in str(info.value) and needle in str(info.value)


def test_missing_folder():
    with pytest.raises(ropa.RegisterLoadError, match="does not exist"):
        ropa.load_register(PRO_AT / "nope")


def test_write_register_round_trip(pro_at, tmp_path):
    for fmt in ("csv", "yaml", "xlsx"):
        out = ropa.write_register(pro_at, tmp_path / fmt, format=fmt)
        back = ropa.load_register(out)
        left = pro_at.activities.reset_index(drop=True)
        right = back.activities.reset_index(drop=True)
        assert left.astype(str).equals(right.astype(str)), fmt
        assert back.organisation == pro_at.organisation
    with pytest.raises(ropa.UsageError):
        ropa.write_register(pro_at, tmp_path / "x", format="docx")


def test_a_policy_text_passed_as_its_path_is_refused_with_a_message():
    with pytest.raises(ropa.PolicyLoadError, match="not a file that can be read"):
        ropa.load_policy("We collect your email address. " * 300)


_GERMAN = ("# Datenschutzerklärung\n\nWir erheben Ihre E-Mail-Adresse, wenn Sie ein Konto anlegen. Wir geben Ihre Daten "
           "niemals an Dritte weiter. Sie können jederzeit Auskunft über die gespeicherten Daten verlangen. Die Daten "
           "werden drei Jahre nach Vertragsende gelöscht.\n")


def test_a_policy_not_in_english_is_refused_naming_the_file(tmp_path):
    # extraction reads English: a German policy would come out as stating (nearly) nothing
    f = tmp_path / "2026-03-01.md"
    f.write_text(_GERMAN, encoding="utf-8")
    with pytest.raises(ropa.PolicyLoadError, match=r"2026-03-01\.md: is in German, not in English .*2026-03-01\.flows\.yaml"):
        ropa.load_policy(f)
    # the same words in English are read
    f.write_text("# Privacy\n\n" + "We collect your email address when you open an account, and we never sell "
                 "your data to third parties. You may ask what we hold about you at any time. " * 2, encoding="utf-8")
    assert "not_share" in set(ropa.load_policy(f).statements.action)


def test_a_reviewed_flows_file_is_read_whatever_the_language_of_its_text(tmp_path):
    # a person wrote the statements: ropa reads them, and the command line still refuses to extract
    german = tmp_path / "2026-03-01.md"
    german.write_text(_GERMAN, encoding="utf-8")
    english = tmp_path / "2026-03-01.txt"
    english.write_text("# Privacy\n\nWe never sell your data to third parties.\n", encoding="utf-8")
    ropa.write_flows(ropa.load_policy(english), tmp_path / "2026-03-01.flows.yaml")
    english.unlink()
    with pytest.warns(ReviewedFlowsUsed):
        pol = ropa.load_policy(german)
    assert pol.origin == "reviewed" and list(pol.statements.action) == ["not_share"]
    result = CliRunner().invoke(app, ["extract", str(german), "-o", str(tmp_path / "out.flows.yaml")])
    assert result.exit_code == 2 and "is in German, not in English" in result.output and "Traceback" not in result.output


def test_a_policy_of_names_and_tables_only_is_read_not_refused(tmp_path):
    # a page listing sub-processors shows no language in its words: it is read, not refused
    f = tmp_path / "2026-03-01.md"
    rows = "".join(f"| Acme{i} Cloud GmbH | Hosting | Germany |\n" for i in range(12))
    f.write_text("# Sub-processors\n\n| Name | Purpose | Location |\n| --- | --- | --- |\n" + rows, encoding="utf-8")
    assert ropa.load_policy(f).origin == "extracted"
