"""Write registro-colegio.docx: a register kept in Word by a fictional Spanish professional
college, laid out as such registers are (a header block with bold labels, a summary table per
role, one label | value table per activity with numbered labels I-XIII and Sí/No checklists, an
annex of security measures as a bulleted list). The organisation, people and text are invented.

    .venv/bin/python tests/data/documents/make_docx.py     # from the repository's root
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

HERE = Path(__file__).resolve().parent
OUT = HERE / "registro-colegio.docx"

ORIGEN = [("El propio interesado o su representante legal", "Sí"), ("Registros públicos", "No"),
          ("Otras personas físicas", "No"), ("Entidad privada", "No"),
          ("Fuentes accesibles al público", "No"), ("Administración pública", "No")]

ACTIVITIES = [
    {
        "name": "COLEGIACIÓN Y CENSO",
        "description": "Llevar el censo de colegiados y tramitar altas, bajas y certificados.",
        "titularidad": "Pública",
        "interesados": ["COLEGIADOS", "SOLICITANTES DE ALTA"],
        "fines": ["GESTIÓN DEL CENSO PROFESIONAL", "EXPEDICIÓN DE CERTIFICADOS"],
        "identificativos": {"DNI-NIF": "Sí", "Dirección": "Sí", "Imagen": "No", "Teléfono": "Sí",
                            "Nombre y apellidos": "Sí", "CCC/IBAN": "Sí"},
        "otros_identificativos": "NÚMERO DE COLEGIADO, CORREO ELECTRÓNICO",
        "sensibles": {"Salud": "No", "Afiliación Sindical": "No"},
        "infracciones": {"Infracciones penales": "No", "Infracciones administrativas": "Sí"},
        "otras": ["TITULACIÓN Y ESPECIALIDAD", "SITUACIÓN PROFESIONAL"],
        "bases": [("Consentimiento del interesado", "No"), ("Cumplimiento obligación legal", "Sí"),
                  ("Misión, intereses o poderes públicos", "Sí")],
        "bases_texto": "LEY DE COLEGIOS PROFESIONALES Y ESTATUTOS DEL COLEGIO.",
        "destinatarios": ["CONSEJO GENERAL DE LA PROFESIÓN", "ENTIDAD BANCARIA QUE COBRA LAS CUOTAS"],
        "transferencias": "NO SE PREVÉN",
        "plazos": "MIENTRAS DURE LA COLEGIACIÓN Y SEIS AÑOS DESPUÉS DE LA BAJA",
    },
    {
        "name": "CURSOS Y JORNADAS",
        "description": "Inscripción en la formación que organiza el colegio y envío de diplomas.",
        "titularidad": "Privada",
        "interesados": ["ASISTENTES", "PONENTES"],
        "fines": ["ORGANIZACIÓN DE ACTIVIDADES FORMATIVAS"],
        "identificativos": {"DNI-NIF": "Sí", "Dirección": "No", "Imagen": "Sí", "Teléfono": "Sí",
                            "Nombre y apellidos": "Sí", "CCC/IBAN": "No"},
        "otros_identificativos": "CORREO ELECTRÓNICO",
        "sensibles": {"Salud": "No", "Afiliación Sindical": "No"},
        "infracciones": {"Infracciones penales": "No", "Infracciones administrativas": "No"},
        "otras": ["DATOS ACADÉMICOS"],
        "bases": [("Consentimiento del interesado", "Sí"), ("Datos necesarios ejecución contrato", "Sí")],
        "bases_texto": "",
        "destinatarios": ["NO SE PREVÉN CESIONES"],
        "transferencias": "",
        "plazos": "CUATRO AÑOS DESDE LA CELEBRACIÓN DEL CURSO",
    },
    {
        "name": "PERSONAL Y NÓMINAS",
        "description": "Gestión laboral del personal administrativo del colegio.",
        "titularidad": "Privada",
        "interesados": ["EMPLEADOS"],
        "fines": ["NÓMINAS", "PREVENCIÓN DE RIESGOS LABORALES"],
        "identificativos": {"DNI-NIF": "Sí", "Dirección": "Sí", "Imagen": "No", "Teléfono": "Sí",
                            "Nombre y apellidos": "Sí", "CCC/IBAN": "Sí"},
        "otros_identificativos": "NÚMERO DE AFILIACIÓN",
        "sensibles": {"Salud": "Sí", "Afiliación Sindical": "Sí"},
        "infracciones": {"Infracciones penales": "No", "Infracciones administrativas": "No"},
        "otras": ["DETALLES DEL EMPLEO", "DATOS ECONÓMICOS"],
        "bases": [("Datos necesarios ejecución contrato", "Sí"), ("Cumplimiento obligación legal", "Sí"),
                  ("Obligación derecho laboral (en relación a datos de categorías especiales)", "Sí")],
        "bases_texto": "ESTATUTO DE LOS TRABAJADORES Y LEY DE PREVENCIÓN DE RIESGOS LABORALES.",
        "destinatarios": ["TESORERÍA DE LA SEGURIDAD SOCIAL", "AGENCIA TRIBUTARIA", "MUTUA DE ACCIDENTES"],
        "transferencias": "NO",
        "plazos": "CUATRO AÑOS, Y LOS DATOS DE SALUD LABORAL DURANTE CINCO",
    },
]


def bold_line(cell_or_doc, label: str, value: str = "", style: str | None = None):
    par = cell_or_doc.add_paragraph(style=style) if style else cell_or_doc.add_paragraph()
    par.add_run(label).bold = True
    if value:
        par.add_run(" " + value)
    return par


def mark_header(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def set_cell(cell, lines: list[str], bold_first: bool = False) -> None:
    cell.text = ""
    first = cell.paragraphs[0]
    for i, line in enumerate(lines):
        par = first if i == 0 else cell.add_paragraph()
        run = par.add_run(line)
        run.bold = bold_first and i == 0


def build(path: Path = OUT) -> Path:
    doc = Document()
    doc.core_properties.author = "ropa tests"
    doc.add_heading("Registro de actividades de tratamiento", level=1)
    doc.add_paragraph("Este registro recoge los tratamientos de datos personales del colegio, "
                      "tal como exige el artículo 30 del Reglamento general de protección de datos.")
    bold_line(doc, "Nombre del Responsable:", "COLEGIO OFICIAL DE PODÓLOGOS DE LA RIBERA")
    bold_line(doc, "CIF:", "Q0000000J")
    bold_line(doc, "Domicilio:", "Plaza del Mercado 3, 2º, 46000 Villanueva de la Ribera")
    bold_line(doc, "Teléfono:", "960 000 111")
    bold_line(doc, "Correo electrónico:", "secretaria@podologos-ribera.example")
    bold_line(doc, "Delegado de protección de datos:",
              "Protección Datos Ribera, S.L. - Avenida del Puerto 12 - 46001 Villanueva - "
              "960 000 222 - dpd@proteccion-ribera.example")
    bold_line(doc, "Fecha:", "2 de marzo de 2026")

    doc.add_heading("Tabla resumen de actividades", level=2)
    doc.add_heading("Actividades de tratamiento realizadas en calidad de Responsable", level=3)
    table = doc.add_table(rows=1, cols=4)
    for cell, text in zip(table.rows[0].cells, ["Actividad de tratamiento", "Colectivo",
                                                 "Plazo de Conservación", "Finalidad"], strict=True):
        set_cell(cell, [text], bold_first=True)
    mark_header(table.rows[0])
    for act in ACTIVITIES:
        row = table.add_row()
        set_cell(row.cells[0], [act["name"]])
        set_cell(row.cells[1], [" ".join(act["interesados"])])
        set_cell(row.cells[2], [act["plazos"]])
        set_cell(row.cells[3], [act["description"]])

    doc.add_heading("Actividades de tratamiento realizadas en calidad de Encargado", level=3)
    table = doc.add_table(rows=2, cols=4)
    for cell, text in zip(table.rows[0].cells, ["Actividad de tratamiento", "Tratamiento por cuenta de",
                                                 "Plazo de Conservación", "Categorías de tratamiento"],
                          strict=True):
        set_cell(cell, [text], bold_first=True)
    for cell, text in zip(table.rows[1].cells, ["CERTIFICADOS PARA LA FEDERACIÓN",
                                                 "FEDERACIÓN AUTONÓMICA DE PODOLOGÍA",
                                                 "CINCO AÑOS", "EMISIÓN DE CERTIFICADOS DE FORMACIÓN"],
                          strict=True):
        set_cell(cell, [text])

    doc.add_heading("Descripción de las actividades realizadas como responsable", level=2)
    for act in ACTIVITIES:
        table = doc.add_table(rows=1, cols=2)
        set_cell(table.rows[0].cells[0], ["Tratamiento:"], bold_first=True)
        set_cell(table.rows[0].cells[1], [act["name"], act["description"]], bold_first=True)

        def row(label: str, lines: list[str], table=table) -> None:
            r = table.add_row()
            set_cell(r.cells[0], [label])
            set_cell(r.cells[1], lines)

        row("I Responsables del tratamiento:", ["COLEGIO OFICIAL DE PODÓLOGOS DE LA RIBERA"])
        row("II Titularidad:", [act["titularidad"]])
        row("III Categorías interesados:", act["interesados"])
        row("IV Fines del tratamiento:", act["fines"])
        row("V Sistema de tratamiento:", ["MIXTO"])
        row("VI Origen de los datos:", [f"{k}: {v}" for k, v in ORIGEN])
        cats = (["Datos identificativos:"] + [f"-{k}: {v}" for k, v in act["identificativos"].items()]
                + [f"Otros datos identificativos: {act['otros_identificativos']}", "Datos de categorías sensibles:"]
                + [f"-{k}: {v}" for k, v in act["sensibles"].items()] + ["Datos relativos a infracciones:"]
                + [f"-{k}: {v}" for k, v in act["infracciones"].items()]
                + ["Otras categorías de datos personales:"] + act["otras"])
        row("VII Categorías de datos personales objeto de tratamiento:", cats)
        row("VIII Legitimidad (base jurídica) del tratamiento:",
            [f"-{k}: {v}" for k, v in act["bases"]] + ([act["bases_texto"]] if act["bases_texto"] else []))
        row("IX Destinatarios de la información:", act["destinatarios"])
        row("X Transferencias internacionales:", [act["transferencias"]] if act["transferencias"] else [""])
        row("XI Plazos de conservación de datos:", [act["plazos"]])
        row("XII Descripción general de medidas técnicas y organizativas de seguridad:",
            ["Las del apartado de medidas de seguridad de este registro."])
        row("XIII Procedimiento para ejercitar los derechos:",
            ["Por escrito a la secretaría del colegio o por correo electrónico."])
        doc.add_paragraph("")

    doc.add_heading("Medidas de seguridad aplicadas a todos los tratamientos", level=2)
    for measure in ("Control de acceso con usuario y contraseña personal",
                    "Copias de seguridad cifradas cada semana",
                    "Archivadores con llave para la documentación en papel"):
        doc.add_paragraph(measure, style="List Bullet")
    doc.save(str(path))
    return path


if __name__ == "__main__":
    print(build())
