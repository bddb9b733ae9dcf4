"""Registers kept as documents, read straight from the corpus's files (../shared/corpus/registers):
a Spanish college's HTML page, a Spanish firm's PDF, a German Markdown register."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ropa.register.documents import read_document
from ropa.register.documents.labels import KEYS, fold_label

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "registers"
HTML = CORPUS / "es-colegio-logopedas-html" / "rat.html"
PDF = CORPUS / "es-colorprof-pdf" / "registro.pdf"
MD = CORPUS / "de-lebensordner-vvt-md" / "art-30-records-of-processing.md"

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is not beside the project")

COLEGIO = ["BOLSA DE EMPLEO", "COLEGIADOS", "CONSUMIDORES Y USUARIOS", "EXPEDIENTES DEONTOLOGICOS",
           "PROVEEDORES - ACREEDORES - COLABORADORES", "FORMACION / EVENTOS", "LABORAL",
           "FACTURACION - CONTABILIDAD - GESTION FISCAL"]
COLORPROF = ["GESTIÓN DE CLIENTES Y WEB", "GESTIÓN DE RECURSOS HUMANOS (EMPLEADOS)", "GESTIÓN DE PROVEEDORES"]
LEBENSORDNER = ["Benutzerkontenverwaltung", "Gesundheitsdatenspeicherung", "Dokumentenspeicherung",
                "Zahlungsabwicklung", "Sicherheitsprotokollierung", "Webanalyse (PostHog)", "E-Mail-Versand"]


@pytest.fixture(scope="module")
def colegio():
    return read_document(HTML)


@pytest.fixture(scope="module")
def colorprof():
    return read_document(PDF)


@pytest.fixture(scope="module")
def lebensordner():
    return read_document(MD)


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _labels_covered(reg, labels: set[str]) -> set[str]:
    """The labels (as written in the file) that the register read nowhere."""
    read = {fold_label(x) for x in reg.all_labels()}
    return {x for x in labels if fold_label(x) not in read}


# -- Markdown: Lebensordner -----------------------------------------------------------------

def test_markdown_activities_and_names(lebensordner):
    assert lebensordner.format == "markdown" and lebensordner.language == "de"
    assert [a.name for a in lebensordner.activities] == LEBENSORDNER
    assert [a.number for a in lebensordner.activities] == [str(n) for n in range(1, 8)]
    assert all(a.layout == "block" for a in lebensordner.activities)


def test_markdown_fields_where_stated(lebensordner):
    lines = MD.read_text(encoding="utf-8").splitlines()
    for act in lebensordner.activities:
        for key in ("purposes", "data_subjects", "data_categories", "recipients", "transfer_countries",
                    "retention", "security_measures", "lawful_basis"):
            text = act.fields[key]
            where = act.where_is(key)
            assert text and text in lines[where.line - 1], (act.name, key)
    assert lebensordner.activities[6].fields["transfer_countries"].startswith("Ja, USA")
    assert all(not a.unmapped_labels for a in lebensordner.activities)


def test_markdown_header(lebensordner):
    org = lebensordner.organisation
    assert org["controller"] == {"name": "Christof Boermel", "address": "Lehmbrookweg 2, 22159 Hamburg"}
    assert org["date"] == "14. Februar 2026" and org["version"] == "1.0"
    assert "dpo" not in org  # the register names none
    assert lebensordner.organisation_sources["controller.name"].line == 3


def test_markdown_no_label_lost(lebensordner):
    labels = set(re.findall(r"^\s*(?:- )?\*\*(.+?):\*\*", MD.read_text(encoding="utf-8"), re.M))
    assert len(labels) == 11
    assert not _labels_covered(lebensordner, labels)


def test_markdown_rows(lebensordner):
    rows = lebensordner.to_rows()
    assert [r["activity_id"] for r in rows] == [str(n) for n in range(1, 8)]
    assert rows[0]["recipients"] == "Supabase Inc., Vercel Inc."
    assert all(set(r) <= KEYS | {"unmapped"} for r in rows)


# -- PDF: Colorprof ---------------------------------------------------------------------------

def test_pdf_activities_and_names(colorprof):
    assert colorprof.format == "pdf" and colorprof.language == "es"
    assert [a.name for a in colorprof.activities] == COLORPROF
    assert [a.number for a in colorprof.activities] == ["1", "2", "3"]


def test_pdf_fields_where_stated(colorprof):
    import pdfplumber

    with pdfplumber.open(PDF) as pdf:
        pages = [_squash(p.extract_text() or "") for p in pdf.pages]
    expect = {
        "GESTIÓN DE CLIENTES Y WEB": ("purposes", "data_subjects", "data_categories", "lawful_basis",
                                      "retention", "security_measures"),
        "GESTIÓN DE RECURSOS HUMANOS (EMPLEADOS)": ("purposes", "data_subjects", "data_categories",
                                                    "lawful_basis", "recipients"),
        "GESTIÓN DE PROVEEDORES": ("purposes", "data_categories", "lawful_basis"),
    }
    for act in colorprof.activities:
        assert set(act.fields) == set(expect[act.name]), act.name
        for key in expect[act.name]:
            where = act.where_is(key)
            first = _squash(act.fields[key].split("\n")[0])[:40]
            assert first in pages[where.page - 1], (act.name, key, first)
    first = colorprof.activities[0]
    assert first.fields["purposes"].startswith("Gestión de la relación comercial, elaboración de presupuestos "
                                               "solicitados vía web o email, facturación")
    assert first.fields["data_subjects"] == "Clientes y potenciales clientes (usuarios de la web)."
    assert [(s.sublabel, s.text[:13]) for s in first.subfields if s.field == "data_categories"] == [
        ("Identificativos", "Nombre, apell"), ("Económicos", "Datos bancari")]
    assert "Datos de salud (bajas, aptitud PRL)." in colorprof.activities[1].fields["data_categories"].split("\n")


def test_pdf_header_and_shared_recipients(colorprof):
    assert colorprof.organisation["controller"] == {"name": "Aplicaciones de pintura Colorprof S.L."}
    assert colorprof.organisation["date"] == "3 de Enero de 2026"
    assert colorprof.organisation_sources["date"].page == 1
    assert "dpo" not in colorprof.organisation
    shared = {e.key: e for e in colorprof.shared}
    assert "Vercel Inc." in shared["recipients"].text and "Google Ireland Ltd." in shared["recipients"].text
    rows = colorprof.to_rows(fill_shared=True)
    assert "Vercel Inc." in rows[0]["recipients"] and rows[1]["recipients"].startswith("Seguridad Social")


def test_pdf_no_label_lost(colorprof):
    import pdfplumber

    labels = set()
    with pdfplumber.open(PDF) as pdf:
        for page in pdf.pages:
            for line in (page.extract_text() or "").split("\n"):
                m = re.match(r"^([^\W\d_][^:]{2,60}):(\s|$)", line)
                if m:
                    labels.add(m.group(1))
    assert {"Finalidad", "Identificativos", "Cesiones de Datos", "Responsable del Tratamiento"} <= labels
    assert not _labels_covered(colorprof, labels)


# -- HTML: Colegio de Logopedas -----------------------------------------------------------

def test_html_activities_and_names(colegio):
    assert colegio.format == "html" and colegio.language == "es"
    assert [a.name for a in colegio.activities] == COLEGIO
    assert len(colegio.by_role("controller")) == 8 and not colegio.by_role("processor")
    summaries = {s.role: s for s in colegio.summaries}
    assert summaries["controller"].rows == 8 and summaries["processor"].rows == 0
    assert summaries["processor"].keys == ["name", "controllers", "retention", "purpose_description"]
    layouts = {a.name: a.layout for a in colegio.activities}
    assert layouts["PROVEEDORES - ACREEDORES - COLABORADORES"] == "row"  # in the summary only
    assert sum(v == "table" for v in layouts.values()) == 7


def test_html_fields_where_stated(colegio):
    lines = HTML.read_text(encoding="utf-8").splitlines()
    for act in colegio.activities:
        for key in ("purposes", "data_subjects", "data_categories" if act.layout == "table" else "retention"):
            text = act.fields[key]
            where = act.where_is(key)
            assert text, (act.name, key)
            window = _squash(" ".join(lines[where.line - 1:where.line + 8]))
            first = text.split("\n")[0]
            assert _squash(first.lstrip("-"))[:30] in window, (act.name, key, first)
    bolsa = colegio.activities[0]
    assert bolsa.fields["purposes"] == "RECURSOS HUMANOS\nANÁLISIS DE PERFILES"
    assert bolsa.fields["data_subjects"] == "SOLICITANTES"
    assert bolsa.fields["purpose_description"].startswith("FICHERO DE DATOS DE CARÁCTER PERSONAL")
    assert bolsa.unmapped_labels == {"II Titularidad": "Privada", "V Sistema de tratamiento": "MIXTO"}
    assert bolsa.fields["transfer_countries"] == ""  # the label is there, the value empty


def test_html_checklists(colegio):
    acts = {a.name: a for a in colegio.activities}

    def check(name, item):
        return {c.item: c for c in acts[name].checklists}[item]

    assert check("EXPEDIENTES DEONTOLOGICOS", "Infracciones penales").value is False
    assert check("EXPEDIENTES DEONTOLOGICOS", "Infracciones penales").group == "Datos relativos a infracciones"
    assert check("LABORAL", "Salud").value is False
    assert check("LABORAL", "Obligación derecho laboral (en relación a datos de categorías especiales)").value
    assert check("COLEGIADOS", "Cumplimiento obligación legal").field == "lawful_basis"
    # an item glued to the free text before it is still read
    assert check("BOLSA DE EMPLEO", "Proteger intereses vitales").value is False
    assert check("BOLSA DE EMPLEO", "El propio interesado o su representante legal").field == "source"
    parts = {s.sublabel: s.text for s in acts["COLEGIADOS"].subfields}
    assert parts["Otros datos identificativos"].startswith("NUMERO DE COLEGIADO")


def test_html_problems_a_dpo_would_see(colegio):
    acts = {a.name: a for a in colegio.activities}
    assert [p.code for p in acts["COLEGIADOS"].problems] == ["title-names-differ"]
    assert [p.code for p in acts["BOLSA DE EMPLEO"].problems] == ["label-repeated"]
    assert [p.code for p in acts["PROVEEDORES - ACREEDORES - COLABORADORES"].problems] == ["summary-without-detail"]


def test_html_header(colegio):
    org = colegio.organisation
    assert org["controller"]["name"] == "COLEGIO PROFESIONAL DE LOGOPEDAS DE CANTABRIA"
    assert org["controller"]["tax_id"] == "Q3900765C"
    assert org["controller"]["email"] == "colegio@logopedascantabria.org"
    assert org["controller"]["phone"] == "942052099"
    assert org["dpo"]["name"] == "PRODAT CANTABRIA, S.L."
    assert org["dpo"]["email"] == "DPDCANTABRIA@PRODAT.ES" and org["dpo"]["phone"] == "942 765 633"
    assert colegio.organisation_sources["dpo.name"].line == 177
    assert "date" not in org  # the page states none


def test_html_shared_annexes(colegio):
    shared = {e.key: e for e in colegio.shared}
    assert "cifrado de contraseñas" in shared["security_measures"].text
    assert "Datos relativos a | Documento | Conservación" in shared["retention"].text


def test_html_no_label_lost(colegio):
    text = HTML.read_text(encoding="utf-8")
    labels = set(re.findall(r"<td>\s*([^<]{2,90}?):\s*</td>", text))
    labels |= set(re.findall(r"(?:<p>|<br>|</br>|<td>)\s*<b>\s*([^<]{2,90}?):\s*</b>", text))
    summary = text[text.index("Tabla resumen"):text.index("Nombre del Responsable")]
    labels |= {x.strip() for x in re.findall(r"<th[^>]*>([^<]+)</th>", summary)}
    assert len(labels) >= 30
    assert not _labels_covered(colegio, labels)


def test_html_rows(colegio):
    rows = colegio.to_rows()
    assert [r["name"] for r in rows] == COLEGIO
    assert rows[0]["activity_id"] == "bolsa-de-empleo"
    assert rows[0]["purposes"] == "RECURSOS HUMANOS; ANÁLISIS DE PERFILES"
    assert rows[0]["role"] == "controller"
    assert rows[0]["unmapped"] == "II Titularidad: Privada; V Sistema de tratamiento: MIXTO"
