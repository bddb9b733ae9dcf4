"""The pieces of the document layer: label folding and the label tables, lines, the header,
format sniffing, a PDF whose tables go on across pages under running headers (made with
WeasyPrint), a Word register (tests/data/documents/registro-colegio.docx), and layouts in
Italian, Dutch and English that are not in the corpus."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pytest
import yaml

from ropa.core.errors import RegisterLoadError
from ropa.register.documents import docx as docx_mod
from ropa.register.documents import (
    header,
    html,
    labels,
    layout,
    lines,
    markdown,
    model,
    pdf,
    read_blocks,
    read_document,
    sniff_format,
)
from ropa.register.documents.labels import (
    CORE_KEYS,
    KEYS,
    fold_label,
    lookup,
    role_of,
    strip_numbering,
)
from ropa.register.documents.lines import parse_value, split_label, unglue
from ropa.register.documents.model import Location

ROOT = Path(__file__).resolve().parents[1]
DOCX = ROOT / "tests" / "data" / "documents" / "registro-colegio.docx"
LABELS = ROOT / "ropa" / "taxonomy" / "labels"


# -- labels ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("written", "folded"), [
    ("IV Fines del tratamiento:", "fines del tratamiento"),
    ("XIII Procedimiento para ejercitar los derechos:", "procedimiento para ejercitar los derechos"),
    ("4. Finalité du traitement :", "finalite du traitement"),
    ("4.Medidas de seguridad", "medidas de seguridad"),
    ("a) Zweck der Verarbeitung", "zweck der verarbeitung"),
    ("**Sicherheitsmaßnahmen:**", "sicherheitsmassnahmen"),
    ("• Bewaartermijn", "bewaartermijn"),
    ("  CATEGORÍAS   DE DATOS  ", "categorias de datos"),
    ("Identificativos", "identificativos"),
])
def test_fold_label(written, folded):
    assert fold_label(written) == folded


def test_numbering_is_not_taken_from_words():
    assert strip_numbering("VIDEOVIGILANCIA") == "VIDEOVIGILANCIA"
    assert strip_numbering("IT-Systeme") == "IT-Systeme"
    assert strip_numbering("CIF") == "CIF"


@pytest.mark.parametrize(("label", "key"), [
    # Spanish (the AEPD's fields and the numbered template)
    ("Fines del tratamiento", "purposes"), ("Base de legitimación", "lawful_basis"),
    ("Legitimidad (base jurídica) del tratamiento", "lawful_basis"), ("Colectivo", "data_subjects"),
    ("Categorías interesados", "data_subjects"), ("Categorías de datos personales", "data_categories"),
    ("Cesiones de datos", "recipients"), ("Transferencias internacionales", "transfer_countries"),
    ("Plazo de supresión", "retention"), ("Medidas de seguridad", "security_measures"),
    ("Origen de los datos", "source"), ("Tratamiento por cuenta de", "controllers"),
    ("Delegado de protección de datos", "dpo"),
    # German
    ("Zweck", "purposes"), ("Rechtsgrundlage", "lawful_basis"), ("Betroffene Personen", "data_subjects"),
    ("Datenkategorien", "data_categories"), ("Empfänger", "recipients"), ("Drittlandübermittlung", "transfer_countries"),
    ("Löschfristen", "retention"), ("TOM", "security_measures"), ("Datenschutzbeauftragter", "dpo"),
    # French
    ("Finalités", "purposes"), ("Base légale", "lawful_basis"), ("Personnes concernées", "data_subjects"),
    ("Catégories de données", "data_categories"), ("Destinataires", "recipients"),
    ("Transferts hors UE", "transfer_countries"), ("Durée de conservation", "retention"),
    ("Mesures de sécurité", "security_measures"),
    # Italian
    ("Finalità del trattamento", "purposes"), ("Base giuridica", "lawful_basis"), ("Interessati", "data_subjects"),
    ("Categorie di dati personali", "data_categories"), ("Destinatari", "recipients"),
    ("Trasferimenti extra UE", "transfer_countries"), ("Periodo di conservazione", "retention"),
    ("Misure di sicurezza", "security_measures"), ("Titolare del trattamento", "controller"),
    # Dutch
    ("Doel", "purposes"), ("Rechtsgrond", "lawful_basis"), ("Betrokkenen", "data_subjects"),
    ("Categorieën persoonsgegevens", "data_categories"), ("Ontvangers", "recipients"),
    ("Doorgifte buiten de EU", "transfer_countries"), ("Bewaartermijn", "retention"),
    ("Beveiligingsmaatregelen", "security_measures"),
    # English
    ("Purpose of processing", "purposes"), ("Lawful basis", "lawful_basis"),
    ("Categories of individuals", "data_subjects"), ("Categories of personal data", "data_categories"),
    ("Categories of recipients", "recipients"), ("International transfers", "transfer_countries"),
    ("Retention schedule", "retention"), ("Technical and organisational security measures", "security_measures"),
])
def test_labels_in_six_languages(label, key):
    match = lookup(label)
    assert match is not None and match.key == key, label


@pytest.mark.parametrize("label", ["Titularidad", "Sistema de tratamiento", "Hosting Web", "Observaciones", ""])
def test_labels_that_map_to_nothing(label):
    assert lookup(label) is None


def test_label_files_are_consistent():
    files = sorted(p for p in LABELS.glob("*.yml") if p.name != "common.yml")
    assert {p.stem for p in files} >= {"es", "de", "fr", "it", "nl", "en"}
    for path in files:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert data["language"] == path.stem
        assert set(data["labels"]) <= KEYS, path.name
        assert {"name", "purposes", "lawful_basis", "data_subjects", "data_categories", "recipients",
                "transfer_countries", "retention", "security_measures", "controller", "dpo"} <= set(data["labels"]), path.name
        assert set(data["roles"]) == {"controller", "processor"}
    labels.label_index.cache_clear()
    labels.label_index()  # raises when one label maps to two fields


def test_roles_from_headings():
    assert role_of("Actividades de tratamiento realizadas en calidad de Responsable") == "controller"
    assert role_of("Tätigkeiten als Auftragsverarbeiter") == "processor"
    assert role_of("Trattamenti svolti in qualità di responsabile") == "processor"
    assert role_of("Verwerkingen als verwerker") == "processor"
    assert role_of("Responsable y encargado") is None


# -- lines ------------------------------------------------------------------------------------

def test_numbering_glued_to_titles():
    assert unglue("1.GESTIÓN DE CLIENTES") == "1. GESTIÓN DE CLIENTES"
    assert unglue("12)Nóminas") == "12) Nóminas"
    assert unglue("2.3.Videovigilancia") == "2.3. Videovigilancia"
    assert unglue("1.5 años") == "1.5 años" and unglue("Art.6") == "Art.6"


def test_split_label():
    assert split_label("Finalidad: Gestión: presupuestos") == ("Finalidad", "Gestión: presupuestos")
    assert split_label("Zweck:") == ("Zweck", "")
    assert split_label("Zweck: x", strong="Zweck:") == ("Zweck", "x")
    assert split_label("Speicherdauer: 90 Tage (bei Kontolöschung: Logs anonymisiert)")[0] == "Speicherdauer"
    assert split_label("Horario 10:30 a 14:00") is None
    assert split_label("Web: https://example.org") == ("Web", "https://example.org")
    assert split_label("El tratamiento es necesario para el cumplimiento de una obligación legal del responsable:") is None


def test_parse_value_checklists_and_parts():
    checks, parts = parse_value(
        ["Datos de categorías sensibles:", "- Salud: No", "[x] Religión", "☐ Vida sexual",
         "ART. 6.1 C) EL TRATAMIENTO ES NECESARIO. -Proteger intereses vitales: No",
         "Identificativos: nombre, DNI", "y firma"], "data_categories", "Categorías", Location("f"))
    assert [(c.group, c.item, c.value) for c in checks] == [
        ("Datos de categorías sensibles", "Salud", False), ("Datos de categorías sensibles", "Religión", True),
        ("Datos de categorías sensibles", "Vida sexual", False),
        ("Datos de categorías sensibles", "Proteger intereses vitales", False)]
    assert [(p.sublabel, p.text) for p in parts] == [("Datos de categorías sensibles", ""),
                                                      ("Identificativos", "nombre, DNI\ny firma")]


def test_party_split():
    assert header.split_party("Acme GmbH, Hauptstraße 1, 10115 Berlin, +49 30 123456, info@acme.example") == {
        "name": "Acme GmbH", "address": "Hauptstraße 1, 10115 Berlin", "phone": "+49 30 123456",
        "email": "info@acme.example"}
    assert header.split_party("Aplicaciones de pintura Colorprof S.L.") == {"name": "Aplicaciones de pintura Colorprof S.L."}


# -- formats ----------------------------------------------------------------------------------

def test_sniff_by_content(tmp_path):
    assert sniff_format(b"%PDF-1.7\n") == "pdf"
    assert sniff_format(b"<div class='x'><table><tr><td>a</td></tr></table></div>", ".md") == "html"
    assert sniff_format(b"# VVT\n\n<br>\n- **Zweck:** x", ".md") == "markdown"
    assert sniff_format(b"Purpose: payroll\nLawful basis: contract") == "markdown"
    odd = tmp_path / "register.pdf"
    odd.write_text("<html><body><h2>Actividad 1: Nóminas</h2><p>Finalidad: pagar<br>Colectivo: empleados</p>"
                   "</body></html>", encoding="utf-8")
    reg = read_document(odd)
    assert reg.format == "html" and [p.code for p in reg.problems] == ["format-mismatch"]
    assert reg.activities[0].name == "Nóminas"


def test_unreadable_files(tmp_path):
    with pytest.raises(RegisterLoadError):
        read_document(tmp_path / "missing.pdf")
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\nnot really a pdf")
    with pytest.raises(RegisterLoadError, match=r"broken\.pdf"):
        read_document(broken)
    import zipfile

    notword = tmp_path / "archive.docx"
    with zipfile.ZipFile(notword, "w") as z:
        z.writestr("hello.txt", "hi")
    with pytest.raises(RegisterLoadError, match="not a Word document"):
        read_document(notword)


def test_an_empty_document_is_reported(tmp_path):
    path = tmp_path / "empty.md"
    path.write_text("# Nothing here\n\nJust prose.\n", encoding="utf-8")
    reg = read_document(path)
    assert not reg.activities and [p.code for p in reg.problems] == ["no-activities"]


# -- a PDF made here: tables across pages, running headers and footers ------------------------

@pytest.fixture(scope="module")
def long_pdf(tmp_path_factory):
    weasyprint = pytest.importorskip("weasyprint")
    rows = "".join(f"<tr><td>ACTIVIDAD NÚMERO {n}</td><td>Finalidad de la actividad {n}</td><td>Clientes</td>"
                   f"<td>{n} años</td></tr>" for n in range(1, 60))
    rows += "<tr><td>GESTIÓN DE NÓMINAS</td><td>Pagar al personal</td><td>Empleados</td><td>4 años</td></tr>"
    fields = ["Finalidad", "Colectivo", "Categorías de datos", "Base jurídica", "Destinatarios",
              "Transferencias internacionales", "Plazo de conservación", "Medidas de seguridad",
              "Observaciones internas", "Origen de los datos"]
    kv = "".join(f"<tr><td>{f}:</td><td>{'<br>'.join(f'{f} línea {i}' for i in range(1, 7))}</td></tr>"
                 for f in fields)
    page = ('@page { size: A4; margin: 25mm 20mm; '
            '@top-center { content: "Documento interno — Registro RAT"; font-size: 8pt } '
            '@bottom-center { content: "Página " counter(page) " de " counter(pages); font-size: 8pt } }')
    source = f"""<html><head><style>{page}
    body {{ font-family: DejaVu Sans; font-size: 10pt }} h1 {{ font-size: 18pt }} h2 {{ font-size: 14pt }}
    table {{ border-collapse: collapse; width: 100% }}
    td, th {{ border: 1px solid black; padding: 3pt; vertical-align: top }} tr {{ break-inside: avoid }}
    </style></head><body>
    <h1>Registro de actividades de tratamiento</h1>
    <p><b>Responsable del tratamiento:</b> Empresa Ficticia S.L.</p>
    <p><b>Fecha:</b> 1 de febrero de 2026</p>
    <h2>Resumen de actividades</h2>
    <table><thead><tr><th>Actividad</th><th>Finalidad</th><th>Colectivo</th><th>Plazo de conservación</th></tr></thead>
    <tbody>{rows}</tbody></table>
    <h2>1.GESTIÓN DE NÓMINAS</h2>
    <table>{kv}</table></body></html>"""
    path = tmp_path_factory.mktemp("pdf") / "registro-largo.pdf"
    weasyprint.HTML(string=source).write_pdf(path)
    return path


@pytest.fixture(scope="module")
def long_blocks(long_pdf):
    return read_blocks(long_pdf)


def test_pdf_tables_continue_across_pages(long_pdf, long_blocks):
    import pdfplumber

    with pdfplumber.open(long_pdf) as doc:
        pieces = sum(len(p.find_tables()) for p in doc.pages)
        assert len(doc.pages) >= 3
    _, blocks, problems = long_blocks
    tables = [b for b in blocks if b.kind == "table"]
    assert pieces > len(tables) == 2 and not problems
    assert len(tables[0].rows) == 61  # the header row once, though the page repeats it
    assert [r.texts[0] for r in tables[1].rows][:2] == ["Finalidad:", "Colectivo:"]
    assert len(tables[1].rows) == 10
    assert any(r.where.page != tables[1].rows[0].where.page for r in tables[1].rows)


def test_pdf_running_headers_dropped_and_numbering_unglued(long_blocks):
    _, blocks, _ = long_blocks
    text = "\n".join([b.text for b in blocks] + [c.text for b in blocks for r in b.rows for c in r.cells])
    assert "Documento interno" not in text and not re.search(r"Página \d", text)
    assert [b.text for b in blocks if b.kind == "heading"] == [
        "Registro de actividades de tratamiento", "Resumen de actividades", "1. GESTIÓN DE NÓMINAS"]


def test_pdf_register_from_long_tables(long_pdf, long_blocks):
    from ropa.register.documents.layout import detect

    reg = detect(long_blocks[1], str(long_pdf), "pdf")
    assert len(reg.activities) == 60 and reg.summaries[0].rows == 60
    nominas = next(a for a in reg.activities if a.name == "GESTIÓN DE NÓMINAS")
    assert nominas.layout == "table" and nominas.number == "1"
    assert nominas.fields["purposes"].split("\n")[-1] == "Finalidad línea 6"
    assert nominas.fields["source"].startswith("Origen de los datos línea 1")
    assert nominas.unmapped_labels == {"Observaciones internas": "\n".join(
        f"Observaciones internas línea {i}" for i in range(1, 7))}
    assert reg.organisation["controller"]["name"] == "Empresa Ficticia S.L."


# -- Word -------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def word():
    return read_document(DOCX)


def test_docx_activities(word):
    assert word.format == "docx" and word.language == "es"
    assert [(a.name, a.role, a.layout) for a in word.activities] == [
        ("COLEGIACIÓN Y CENSO", "controller", "table"), ("CURSOS Y JORNADAS", "controller", "table"),
        ("PERSONAL Y NÓMINAS", "controller", "table"),
        ("CERTIFICADOS PARA LA FEDERACIÓN", "processor", "row")]
    nominas = word.activities[2]
    assert nominas.fields["purposes"] == "NÓMINAS\nPREVENCIÓN DE RIESGOS LABORALES"
    assert nominas.fields["data_subjects"] == "EMPLEADOS"
    assert nominas.fields["data_categories"].startswith("Datos identificativos:\n-DNI-NIF: Sí")
    assert {c.item: c.value for c in nominas.checklists}["Salud"] is True
    assert word.activities[3].fields["controllers"] == "FEDERACIÓN AUTONÓMICA DE PODOLOGÍA"
    assert all(not a.problems for a in word.activities)
    assert nominas.source.unit == "paragraph"


def test_docx_header(word):
    org = word.organisation
    assert org["controller"] == {"name": "COLEGIO OFICIAL DE PODÓLOGOS DE LA RIBERA", "tax_id": "Q0000000J",
                                 "address": "Plaza del Mercado 3, 2º, 46000 Villanueva de la Ribera",
                                 "phone": "960 000 111", "email": "secretaria@podologos-ribera.example"}
    assert org["dpo"]["name"] == "Protección Datos Ribera, S.L."
    assert org["dpo"]["email"] == "dpd@proteccion-ribera.example"
    assert org["date"] == "2 de marzo de 2026"
    assert {e.key for e in word.shared} == {"security_measures"}


def test_docx_no_label_lost(word):
    import docx

    document = docx.Document(str(DOCX))
    found = set()
    for table in document.tables:
        for row in table.rows:
            first = row.cells[0].text.strip()
            if first.endswith(":"):
                found.add(first[:-1])
    for par in document.paragraphs:
        if par.runs and par.runs[0].bold and par.runs[0].text.strip().endswith(":"):
            found.add(par.runs[0].text.strip()[:-1])
    assert len(found) >= 20
    read = {fold_label(x) for x in word.all_labels()}
    assert {x for x in found if fold_label(x) not in read} == set()


# -- layouts not in the corpus ---------------------------------------------------------------

def test_label_value_blocks_without_headings(tmp_path):
    path = tmp_path / "ropa.md"
    path.write_text(
        "Controller: Brightside Ltd, 4 Mill Lane, Leeds, privacy@brightside.example\n"
        "Data protection officer: Jo Bloggs\n\n"
        "Activity: Payroll\nPurpose: paying staff\nLawful basis: contract\nData subjects: employees\n"
        "Personal data: bank details, salary\nRetention: 6 years after leaving\nComments: reviewed by Finance\n\n"
        "Activity: Recruitment\nPurpose: hiring\nLawful basis: legitimate interests\n"
        "Data subjects: candidates\nPersonal data: CVs\nRetention: 6 months\n", encoding="utf-8")
    reg = read_document(path)
    assert [a.name for a in reg.activities] == ["Payroll", "Recruitment"]
    assert reg.activities[0].fields["retention"] == "6 years after leaving"
    assert reg.activities[0].unmapped_labels == {"Comments": "reviewed by Finance"}
    assert reg.organisation["controller"]["email"] == "privacy@brightside.example"
    assert reg.organisation["dpo"] == {"name": "Jo Bloggs"}
    assert reg.language == "en"


def test_italian_row_per_activity(tmp_path):
    path = tmp_path / "registro.html"
    path.write_text(
        "<h1>Registro delle attività di trattamento</h1>"
        "<p><b>Titolare del trattamento:</b> Rossi S.r.l., Via Roma 1, 00100 Roma</p>"
        "<h2>Trattamenti svolti in qualità di titolare</h2>"
        "<table><tr><th>Trattamento</th><th>Finalità</th><th>Categorie di interessati</th>"
        "<th>Categorie di dati</th><th>Destinatari</th><th>Termini di cancellazione</th></tr>"
        "<tr><td>Gestione del personale</td><td>Paghe e contributi</td><td>Dipendenti</td>"
        "<td>Anagrafici, bancari</td><td>INPS</td><td>10 anni</td></tr>"
        "<tr><td>Clienti</td><td>Fatturazione</td><td>Clienti</td><td>Anagrafici</td><td>Commercialista</td>"
        "<td>10 anni</td></tr></table>", encoding="utf-8")
    reg = read_document(path)
    assert [(a.name, a.role, a.layout) for a in reg.activities] == [
        ("Gestione del personale", "controller", "row"), ("Clienti", "controller", "row")]
    assert reg.activities[0].fields == {"name": "Gestione del personale", "purposes": "Paghe e contributi",
                                        "data_subjects": "Dipendenti", "data_categories": "Anagrafici, bancari",
                                        "recipients": "INPS", "retention": "10 anni"}
    assert reg.organisation["controller"]["name"] == "Rossi S.r.l."
    assert reg.language == "it"


def test_dutch_table_per_activity_named_by_heading(tmp_path):
    path = tmp_path / "register.md"
    path.write_text(
        "# Verwerkingsregister\n\n**Verwerkingsverantwoordelijke:** Stichting Voorbeeld\n\n"
        "## 1. Ledenadministratie\n\n| Veld | Inhoud |\n|---|---|\n| Doel | Leden beheren |\n"
        "| Betrokkenen | Leden |\n| Categorieën persoonsgegevens | NAW, e-mail |\n| Bewaartermijn | 2 jaar |\n\n"
        "## 2. Nieuwsbrief\n\n| Veld | Inhoud |\n|---|---|\n| Doel | Nieuwsbrief sturen |\n"
        "| Grondslag | Toestemming |\n| Betrokkenen | Abonnees |\n", encoding="utf-8")
    reg = read_document(path)
    assert [(a.name, a.number) for a in reg.activities] == [("Ledenadministratie", "1"), ("Nieuwsbrief", "2")]
    assert reg.activities[1].fields["lawful_basis"] == "Toestemming"
    assert reg.organisation["controller"]["name"] == "Stichting Voorbeeld"


def test_rows_for_the_loader(word):
    rows = word.to_rows()
    assert rows[0]["activity_id"] == "colegiacion-y-censo"
    assert rows[0]["data_subjects"] == "COLEGIADOS; SOLICITANTES DE ALTA"
    assert rows[3]["role"] == "processor"
    frame = word.to_frame()
    assert list(frame.columns[:3]) == ["activity_id", "name", "role"]
    assert "<table" in word._repr_html_()


@pytest.mark.parametrize("module", [model, labels, lines, header, layout, markdown, html, pdf, docx_mod,
                                    __import__("ropa.register.documents", fromlist=["x"])])
def test_doctests(module, monkeypatch):
    monkeypatch.chdir(ROOT)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0


def test_core_keys_are_activity_columns():
    from ropa.register.columns import ACTIVITY_COLUMNS

    assert set(CORE_KEYS) <= set(ACTIVITY_COLUMNS)


def test_definition_lists_and_bold_labels_without_colon(tmp_path):
    path = tmp_path / "vvt.html"
    path.write_text(
        "<h2>Verarbeitungstätigkeit: Lohnabrechnung</h2><dl><dt>Zweck</dt><dd>Gehälter zahlen</dd>"
        "<dt>Betroffene Personen</dt><dd>Beschäftigte</dd><dt>Löschfrist</dt><dd>10 Jahre</dd></dl>"
        "<h2>Verarbeitungstätigkeit: Bewerbungen</h2><p><b>Zweck</b></p><p>Personal gewinnen</p>"
        "<p><b>Datenkategorien</b></p><p>Lebenslauf, Zeugnisse</p>", encoding="utf-8")
    reg = read_document(path)
    assert [a.name for a in reg.activities] == ["Lohnabrechnung", "Bewerbungen"]
    assert reg.activities[0].fields["retention"] == "10 Jahre"
    assert reg.activities[1].fields == {"purposes": "Personal gewinnen", "data_categories": "Lebenslauf, Zeugnisse"}


def test_pdf_one_table_per_activity_each_on_its_own_page(tmp_path):
    weasyprint = pytest.importorskip("weasyprint")
    tables = ""
    for n, name in enumerate(["Nóminas", "Videovigilancia", "Registro de entrada"], 1):
        rows = "".join(f"<tr><td>{label}</td><td>{label} de {name}</td></tr>" for label in
                       ("Finalidad", "Colectivo", "Categorías de datos", "Base jurídica", "Destinatarios",
                        "Plazo de conservación"))
        tables += (f'<table style="break-before: page"><tr><td colspan="2"><b>ACTIVIDAD {n}: {name}</b></td></tr>'
                   f"{rows}</table>")
    source = ("<html><head><style>td { border: 1px solid black; padding: 4pt } table { border-collapse: collapse;"
              " width: 100% }</style></head><body><h1>Inventario de actividades</h1>" + tables + "</body></html>")
    path = tmp_path / "inventario.pdf"
    weasyprint.HTML(string=source).write_pdf(path)
    reg = read_document(path)
    assert [(a.name, a.number, a.layout) for a in reg.activities] == [
        ("Nóminas", "1", "table"), ("Videovigilancia", "2", "table"), ("Registro de entrada", "3", "table")]
    assert reg.activities[1].fields["purposes"] == "Finalidad de Videovigilancia"
    assert reg.activities[2].source.page == 4
