"""Registers kept as documents, loaded and checked as a user would: ``ropa check RAT.pdf``.

The three corpus registers (../shared/corpus/registers) are read straight from their files;
their NOTES.md list what a DPO would flag, and each flag the text states is looked for here
by its finding code. Small registers written in the tests cover each language's phrases and
each new finding code.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import ropa
from ropa.cli import app
from ropa.outputs.record import record_frame
from ropa.register.documents import read_document
from tests.conftest import AS_OF

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "registers"
HTML = CORPUS / "es-colegio-logopedas-html" / "rat.html"
PDF = CORPUS / "es-colorprof-pdf" / "registro.pdf"
MD = CORPUS / "de-lebensordner-vvt-md" / "art-30-records-of-processing.md"
DOCX = Path(__file__).parent / "data" / "documents" / "registro-colegio.docx"

corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is not beside the project")

#: Per corpus register: the activities NOTES.md counts, and for each numbered flag of its
#: "What a DPO would flag" that the text states, the finding codes that report it (any one).
NOTES = {
    "md": (MD, 7, {1: {"transfer-not-recorded"}, 2: {"special-category-without-condition"},
                   3: {"subjects-named-in-categories"},
                   4: {"consent-for-necessary-processing"},
                   5: {"retention-without-period"},
                   6: {"missing-organisation-detail"}}),
    "html": (HTML, 8, {1: {"retention-without-period"}, 2: {"criminal-data-declared-no"},
                       3: {"art9-condition-without-special-data"},
                       4: {"consent-for-necessary-processing"}, 5: {"transfers-not-stated"},
                       6: {"document-inconsistent"}}),
    "pdf": (PDF, 3, {1: {"special-category-without-condition"}, 2: {"transfer-not-recorded"},
                     3: {"missing-retention"}, 4: {"missing-organisation-detail"},
                     5: {"empty-required-list", "missing-security-measures"},
                     6: {"processor-without-contract"}}),
}


@pytest.fixture(scope="module")
def loaded():
    out = {}
    for name, (path, _, _) in NOTES.items():
        reg = ropa.load_register(path)
        out[name] = (reg, ropa.check(reg, as_of=AS_OF), read_document(path))
    return out


#: Findings that say a field is empty or names nothing: never on a cell that holds text.
ABSENT = {"empty-required-list", "missing-required-field", "missing-retention", "missing-security-measures",
          "special-category-without-condition", "transfer-without-safeguard",
          "processor-activity-without-controller"}


def item_c_filled(reg) -> float:
    """The share of activities whose Art 30(1)(c) (subjects or data categories) is filled in
    the record, with keys or with the user's words."""
    rec = record_frame(reg)
    filled = [bool(s) or bool(c) for s, c in zip(rec["data_subjects"], rec["data_categories"], strict=True)]
    return sum(filled) / len(filled)


@corpus
@pytest.mark.parametrize("name", list(NOTES))
def test_every_activity_is_loaded_and_item_c_is_filled(loaded, name):
    reg, _, _ = loaded[name]
    assert len(reg.activities) == NOTES[name][1]
    assert item_c_filled(reg) >= 0.9
    # most activities have data categories mapped onto keys, not only kept as text
    keyed = reg.activities["data_categories"].map(bool).mean()
    assert keyed >= 0.6, keyed


@corpus
@pytest.mark.parametrize("name", list(NOTES))
def test_the_notes_flags_the_text_states_are_found(loaded, name):
    _, findings, _ = loaded[name]
    codes = set(findings["code"])
    missing = {n: want for n, want in NOTES[name][2].items() if not want & codes}
    assert not missing, f"NOTES.md flags not found: {missing}"


@corpus
@pytest.mark.parametrize("name", list(NOTES))
def test_no_high_finding_on_a_cell_that_holds_text(loaded, name):
    _, findings, doc = loaded[name]
    rows = doc.to_rows()
    by_id = {r["activity_id"]: doc.activities[i] for i, r in enumerate(rows)}
    high = findings[findings["severity"].isin(["high", "critical"]) & findings["activity_id"].notna()
                    & findings["code"].isin(ABSENT)]
    for rec in high.itertuples():
        act = by_id.get(str(rec.activity_id))
        if act is None or not isinstance(rec.column, str):
            continue
        text = act.fields.get(rec.column, "")
        if rec.code == "missing-required-field" and rec.column == "lawful_basis":
            text = act.fields.get("lawful_basis", "")
        assert not text.strip(), f"{rec.code} on {rec.activity_id}.{rec.column}, which holds {text!r}"


@corpus
def test_invented_recipients_never_yield_country_is_empty(loaded):
    for reg, findings, _ in loaded.values():
        created = set(reg.recipients.loc[reg.recipients["created_from"] != "", "recipient_id"])
        assert created
        bad = findings[(findings["code"] == "missing-required-field") & findings["recipient_id"].isin(created)]
        assert bad.empty, bad[["recipient_id", "message"]]


@corpus
def test_criminal_data_is_read_from_checklists_and_text(loaded):
    reg, findings, _ = loaded["html"]
    acts = reg.activities.set_index("activity_id")
    assert acts.loc["expedientes-deontologicos", "criminal_offence_data"] == "false"
    flagged = findings[findings["code"] == "criminal-data-declared-no"]
    assert set(flagged["activity_id"]) == {"expedientes-deontologicos", "laboral"}
    assert flagged.iloc[0]["severity"] == "high"


@corpus
def test_the_record_shows_the_users_words_never_a_dash(loaded, tmp_path):
    reg, _, _ = loaded["html"]
    rec = record_frame(reg)
    purposes = rec.set_index("activity_id").loc["colegiados", "purposes"]
    assert "OTRAS FINALIDADES (as written; not mapped)" in purposes
    out = CliRunner().invoke(app, ["record", str(HTML), "-f", "csv", "-o", str(tmp_path / "r.csv")])
    assert out.exit_code == 0, out.output
    table = pd.read_csv(tmp_path / "r.csv", dtype=str).fillna("")
    assert (table["30(1)(b) Purposes"] != "").all()
    assert not (table == "\u2014").any().any()
    recipients = table.set_index("Processing activity").loc["COLEGIADOS", "30(1)(d) Categories of recipients"]
    assert "ENTIDADES ASEGURADORAS (unclassified)" in recipients


@corpus
def test_check_reads_a_pdf_straight_from_its_file():
    out = CliRunner().invoke(app, ["check", str(PDF), "--no-policy", "-f", "json", "--as-of", "2026-06-01"])
    assert out.exit_code == 1, out.output  # high findings: the exit says so
    assert '"transfer-not-recorded"' in out.output


def test_a_word_register_loads_through_load_register():
    reg = ropa.load_register(DOCX)
    assert len(reg.activities) >= 3
    assert reg.activities["data_subjects"].map(bool).sum() == 3  # the fourth states none
    assert reg.organisation["controller"]["name"]


def test_a_document_is_told_by_its_content_not_only_its_name(tmp_path):
    pdf = tmp_path / "registro.csv"
    pdf.write_bytes(PDF.read_bytes() if PDF.is_file() else DOCX.read_bytes())
    reg = ropa.load_register(pdf)
    assert len(reg.activities) >= 3


SPANISH = """# Registro de actividades de tratamiento

**Responsable del tratamiento:** Talleres Ejemplo S.L.

## 1. Nóminas

- **Finalidad:** Gestión de nóminas y seguros sociales
- **Categorías de interesados:** Empleados
- **Categorías de datos:** Datos identificativos: nombre, apellidos, DNI; Datos bancarios
- **Base jurídica:** Ejecución del contrato laboral
- **Destinatarios:** Agencia Tributaria, Seguridad Social, departamento de recursos humanos
- **Transferencias internacionales:** No están previstas transferencias internacionales de datos
- **Plazo de supresión:** Durante el tiempo necesario para cumplir con la finalidad
- **Medidas de seguridad:** Las previstas en el Esquema Nacional de Seguridad
"""


def test_spanish_phrases_prefixes_and_negations(tmp_path):
    path = tmp_path / "rat.md"
    path.write_text(SPANISH, encoding="utf-8")
    reg = ropa.load_register(path)
    act = reg.activities.iloc[0]
    assert act["data_subjects"] == ["employee"]
    assert {"user.name", "user.government_id.national_identification_number",
            "user.financial.bank_account"} <= set(act["data_categories"])
    assert act["transfer_countries"] == []
    assert "tran" not in act["unmapped"].lower()
    assert act["lawful_basis"] == ["art6_1_b"]
    findings = ropa.check(reg, as_of=AS_OF)
    codes = set(findings["code"])
    assert {"retention-without-period", "security-reference-only"} <= codes
    assert "recipient-created" not in set(reg.load_findings["code"]), "category phrases are not names"


ENGLISH = """# Record of processing

**Controller:** Example Tutors Ltd, 1 High Street, London

## Tutor vetting

- **Purpose:** Recruitment of tutors
- **Data subjects:** Job applicants
- **Data categories:** Name, email address
- **Special categories:** DBS checks
- **Lawful basis:** Legal obligation
- **Recipients:** Internal teams
- **Retention:** 6 months
- **Security measures:** Encryption at rest, access control
"""


def test_criminal_data_filed_as_special_and_internal_teams(tmp_path):
    path = tmp_path / "register.md"
    path.write_text(ENGLISH, encoding="utf-8")
    reg = ropa.load_register(path)
    act = reg.activities.iloc[0]
    assert act["criminal_offence_data"] == "true"
    assert act["special_categories"] == []
    assert act["recipients"] == ["we.internal"]
    found = reg.load_findings
    assert "criminal-data-filed-as-special" in set(found["code"])
    assert ropa.catalogue().loc["criminal-data-filed-as-special", "severity"] == "medium"


def test_unmapped_text_is_low_and_kept(tmp_path):
    path = tmp_path / "register.md"
    path.write_text(ENGLISH.replace("Job applicants", "Frobnicated widgets"), encoding="utf-8")
    reg = ropa.load_register(path)
    row = reg.load_findings[reg.load_findings["code"] == "unmapped-cell"].iloc[0]
    assert row["severity"] == "low"
    assert "kept as text, not checked against the policy" in row["message"]
    findings = ropa.check(reg, as_of=AS_OF)
    assert not ((findings["code"] == "empty-required-list") & (findings["column"] == "data_subjects")).any()
    assert "Frobnicated widgets (as written; not mapped)" in record_frame(reg).iloc[0]["data_subjects"]


def test_organisation_yaml_beside_the_document_wins(tmp_path):
    (tmp_path / "register.md").write_text(ENGLISH, encoding="utf-8")
    (tmp_path / "organisation.yaml").write_text(
        "name: Example Tutors Ltd\ncontroller: {email: privacy@tutors.example}\n"
        "dpo: {designated: false, reason: small firm}\n", encoding="utf-8")
    reg = ropa.load_register(tmp_path / "register.md")
    assert reg.organisation["controller"]["email"] == "privacy@tutors.example"
    assert reg.organisation["controller"]["address"]  # from the document's header
    assert reg.files["organisation"].endswith("organisation.yaml")


def test_headings_file_maps_a_users_own_labels(tmp_path):
    path = tmp_path / "register.md"
    path.write_text(ENGLISH.replace("**Data subjects:**", "**Who we hold data on:**"), encoding="utf-8")
    headings = tmp_path / "headings.yaml"
    headings.write_text("Who we hold data on: data_subjects\n", encoding="utf-8")
    out = CliRunner().invoke(app, ["record", str(path), "-f", "csv", "-o", str(tmp_path / "r.csv"),
                                   "--headings", str(headings)])
    assert out.exit_code == 0, out.output
    table = pd.read_csv(tmp_path / "r.csv", dtype=str).fillna("")
    assert table.iloc[0]["30(1)(c) Categories of data subjects"] == "Job applicants"
    bad = tmp_path / "bad.yaml"
    bad.write_text("Who we hold data on: subjects_of_data\n", encoding="utf-8")
    out = CliRunner().invoke(app, ["check", str(path), "--headings", str(bad)])
    assert out.exit_code != 0 and "not a register field" in out.output


def test_negations_in_a_csv_register_are_none(tmp_path):
    src = Path(__file__).parent / "data" / "registers" / "clean"
    for f in src.iterdir():
        (tmp_path / f.name).write_bytes(f.read_bytes())
    acts = (tmp_path / "activities.csv").read_text(encoding="utf-8").splitlines()
    acts[1] = acts[1].replace(",mailer,,,", ",mailer,No están previstas transferencias,,")
    (tmp_path / "activities.csv").write_text("\n".join(acts) + "\n", encoding="utf-8")
    reg = ropa.load_register(tmp_path)
    findings = ropa.check(reg, as_of=AS_OF)
    assert findings.empty, findings[["code", "message"]]


@corpus
def test_a_pdf_named_md_is_read_as_pdf_and_said(tmp_path):
    path = tmp_path / "registro.md"
    path.write_bytes(PDF.read_bytes())
    reg = ropa.load_register(path)
    assert len(reg.activities) == 3
    assert "format-mismatch" in set(reg.load_findings["code"])


def test_an_empty_document_says_it_found_nothing(tmp_path):
    path = tmp_path / "register.md"
    path.write_text("# Notes\n\nNothing here yet.\n", encoding="utf-8")
    reg = ropa.load_register(path)
    assert reg.activities.empty
    assert "document-unreadable" in set(reg.load_findings["code"])


@pytest.mark.parametrize(("kind", "text", "key"), [
    ("data_category", "Datos identificativos", "user.name"),
    ("data_category", "Bankverbindung", "user.financial.bank_account"),
    ("data_category", "Coordonnées bancaires", "user.financial.bank_account"),
    ("data_category", "Dati sanitari", "user.health_and_medical"),
    ("data_category", "Gezondheidsgegevens", "user.health_and_medical"),
    ("data_category", "DBS checks", "user.criminal_history"),
    ("data_subject", "Beschäftigte", "employee"),
    ("recipient", "Agencia Tributaria", "third_party.public_authority.tax_authority"),
    ("recipient", "Internal teams", "we.internal"),
])
def test_the_readmes_phrases_map_to_their_keys(kind, text, key):
    from ropa.register.freetext import Mapper

    assert Mapper(ropa.default_taxonomy()).phrase(kind, text) == key


@pytest.mark.parametrize(("text", "none"), [
    ("No están previstas transferencias internacionales", True), ("Nein (EU Frankfurt)", True),
    ("Keine Übermittlung", True), ("Aucun transfert", True), ("Geen doorgifte", True),
    ("Nóminas", False), ("Nessuno", True), ("Norway", False), ("Notaría", False), ("Non-members", False),
])
def test_sentences_saying_none(text, none):
    from ropa.register.phrases import is_none

    assert is_none(text) is none


LIVING_WILLS = """# Verzeichnis von Verarbeitungstätigkeiten

**Verantwortlicher:** Beispiel GmbH, Hauptstraße 1, 10115 Berlin

## Verarbeitungstätigkeit 1: Dokumentenablage

- **Zweck:** Verwaltung von Vollmachten, Patientenverfügungen
- **Betroffene Personen:** Kunden
- **Datenkategorien:** Name, E-Mail
- **Empfänger:** Keine
- **Speicherdauer:** 3 Jahre
- **Sicherheitsmaßnahmen:** Verschlüsselung, Zugriffskontrolle
- **Rechtsgrundlage:** Art. 6 Abs. 1 lit. b DSGVO

## Verarbeitungstätigkeit 2: Vorsorgeunterlagen

- **Zweck:** Aufbewahrung
- **Betroffene Personen:** Kunden
- **Datenkategorien:** Name, testamento vital
- **Empfänger:** Keine
- **Speicherdauer:** 3 Jahre
- **Sicherheitsmaßnahmen:** Verschlüsselung, Zugriffskontrolle
- **Rechtsgrundlage:** Art. 6 Abs. 1 lit. b DSGVO

## Verarbeitungstätigkeit 3: Abrechnung

- **Zweck:** Verwaltung von Vollmachten für Bankgeschäfte
- **Betroffene Personen:** Kunden
- **Datenkategorien:** Name, E-Mail
- **Empfänger:** Keine
- **Speicherdauer:** 3 Jahre
- **Sicherheitsmaßnahmen:** Verschlüsselung, Zugriffskontrolle
- **Rechtsgrundlage:** Art. 6 Abs. 1 lit. b DSGVO
"""


def test_living_wills_are_health_data_in_any_field(tmp_path):
    path = tmp_path / "vvt.md"
    path.write_text(LIVING_WILLS, encoding="utf-8")
    reg = ropa.load_register(path)
    acts = reg.activities.set_index("activity_id")
    assert "user.health_and_medical" in acts.loc["2", "data_categories"]  # a category phrase
    flagged = ropa.check(reg, as_of=AS_OF)
    flagged = flagged[flagged["code"] == "special-category-without-condition"]
    assert flagged["activity_id"].astype(str).tolist() == ["1", "2"]  # not powers of attorney for banking
    assert "Patientenverfügungen (as written)" in flagged.iloc[0]["message"]


def test_transfers_left_out_where_others_state_them(tmp_path):
    path = tmp_path / "vvt.md"
    stated = LIVING_WILLS.replace("- **Empfänger:** Keine\n- **Speicherdauer:** 3 Jahre\n"
                                  "- **Sicherheitsmaßnahmen:** Verschlüsselung, Zugriffskontrolle\n"
                                  "- **Rechtsgrundlage:** Art. 6 Abs. 1 lit. b DSGVO\n\n## Verarbeitungstätigkeit 2",
                                  "- **Empfänger:** Keine\n- **Drittländer:** Nein\n- **Speicherdauer:** 3 Jahre\n"
                                  "- **Sicherheitsmaßnahmen:** Verschlüsselung, Zugriffskontrolle\n"
                                  "- **Rechtsgrundlage:** Art. 6 Abs. 1 lit. b DSGVO\n\n## Verarbeitungstätigkeit 2", 1)
    assert stated != LIVING_WILLS
    path.write_text(stated, encoding="utf-8")
    findings = ropa.check(ropa.load_register(path), as_of=AS_OF)
    unstated = findings[findings["code"] == "transfers-not-stated"]
    assert unstated["activity_id"].astype(str).tolist() == ["2", "3"]
    assert set(unstated["severity"]) == {"low"}
    assert "Drittländer" in unstated.iloc[0]["message"]
    # a layout with no transfers field for any activity: nothing to say
    path.write_text(LIVING_WILLS, encoding="utf-8")
    findings = ropa.check(ropa.load_register(path), as_of=AS_OF)
    assert "transfers-not-stated" not in set(findings["code"])
