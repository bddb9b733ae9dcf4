"""Build the test workbooks: an ICO-layout register and a CNIL-style one, written as DPOs write them.

Run from the repository root: ``.venv/bin/python tests/data/ico/make_workbooks.py``. The cells
are free text on purpose (lists in words, recipients with details in parentheses, a few terms
no taxonomy knows), so the importers' mapping and reporting are tested on realistic input.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent
ICO_HEADINGS = [
    "Business function", "Purpose of processing", "Name and contact details of joint controller (if applicable)",
    "Categories of individuals", "Categories of personal data", "Categories of recipients",
    "Link to contract with processor",
    "Names of third countries or international organisations that personal data are transferred to (if applicable)",
    "Safeguards for exceptional transfers of personal data to third countries or international organisations "
    "(if applicable)",
    "Retention schedule (if possible)",
    "General description of technical and organisational security measures (if possible)",
    "Article 6 lawful basis for processing personal data",
    "Article 9 basis for processing special category data",
    "Legitimate interests for the processing (if applicable)",
    "Rights available to individuals",
    "The source of the personal data (if applicable)",
    "Location of personal data",
    "Data Protection Impact Assessment required?",
    "Data Protection Impact Assessment progress",
]
ICO_ROWS = [
    ["Marketing", "Email newsletter to customers and prospects", "", "Customers and prospects",
     "Name, email address", "Mailchimp (email marketing, USA)", "https://docs.example.test/dpa/mailchimp.pdf",
     "USA", "Standard contractual clauses", "2 years after the last purchase",
     "Encryption in transit\nAccess control", "Consent", "", "", "Access, erasure, objection",
     "Directly from the individual", "Mailchimp", "No", ""],
    ["HR", "Payroll and sick leave administration", "", "Employees",
     "Name, bank account number, national insurance number, sick leave",
     "HMRC (tax authority, UK); Sage Payroll Ltd (payroll, UK)", "Sage Payroll Ltd: Payroll services agreement 2023",
     "", "", "6 years after employment ends", "Role-based access control; Encrypted backups",
     "Art 6(1)(b) contract\nArt 6(1)(c) legal obligation", "Employment and social security law (Art 9(2)(b))",
     "", "Access, rectification", "Directly from the individual", "Sage Payroll", "Yes", "Done"],
    ["Marketing", "Website analytics to understand how the website is used", "", "Website visitors",
     "IP address, cookies, pages visited", "Google Analytics (analytics, USA)", "",
     "USA", "EU-US Data Privacy Framework", "14 months", "IP anonymisation",
     "Legitimate interests", "", "Understanding how our website is used", "Objection",
     "", "Google Analytics", "No", ""],
    ["Sales", "Taking and delivering customer orders", "", "Customers",
     "Name, postal address, email address, phone number, order history, shoe size",
     "Stripe (payment processing, USA), delivery companies", "",
     "USA (Stripe)", "Stripe: Standard contractual clauses", "7 years", "Encryption in transit",
     "Art 6(1)(b) contract", "", "", "Access, rectification, erasure",
     "Directly from the individual", "Order system\nStripe", "No", ""],
]
PROCESSOR_HEADINGS = [
    "Name and contact details of controller", "Categories of processing carried out on behalf of the controller",
    "Categories of individuals", "Categories of personal data", "Categories of recipients",
    "Names of third countries or international organisations that personal data are transferred to (if applicable)",
    "Retention schedule (if possible)",
    "General description of technical and organisational security measures (if possible)",
]
PROCESSOR_ROWS = [
    ["Business customers (under our terms of business)", "Printing and posting mailings for business customers",
     "Our customers' recipients", "Name, postal address", "None", "", "30 days after the job is posted",
     "Secure deletion of print files"],
]


def _header(ws, title: str) -> None:
    ws.append([title])
    ws.append([])
    ws.append(["", "Name", "Address", "Email", "Telephone"])
    ws.append(["Controller", "Northwind Print Ltd", "1 Quay Street, Bristol BS1 4XX, United Kingdom",
               "privacy@northwind-print.example", "+44 117 000 0000"])
    ws.append(["Data Protection Officer", "Jane Holloway", "1 Quay Street, Bristol BS1 4XX",
               "dpo@northwind-print.example", "+44 117 000 0001"])
    ws.append(["Representative", "Northwind EU Representative B.V.", "Keizersgracht 1, Amsterdam",
               "eu-rep@northwind-print.example", ""])
    ws.append([])


def ico_workbook(path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "Controller"
    _header(ws, "Documentation of processing activities – requirements")
    ws.append(["Article 30 Record of Processing Activities"] + [""] * 10 + ["Privacy notices"])
    ws.append(ICO_HEADINGS)
    for row in ICO_ROWS:
        ws.append(row)
    ps = wb.create_sheet("Processor")
    _header(ps, "Documentation of processing activities – processor")
    ps.append(PROCESSOR_HEADINGS)
    for row in PROCESSOR_ROWS:
        ps.append(row)
    guide = wb.create_sheet("Guidance")
    guide.append(["Fill in one row per processing activity."])
    wb.save(path)


CNIL_ORG = [
    ["Registre des activités de traitement de Librairie Dupont SARL"],
    [],
    ["Responsable du traitement"],
    ["Nom", "Librairie Dupont SARL"],
    ["Adresse", "12 rue des Écoles"],
    ["CP", "75005"],
    ["Ville", "Paris"],
    ["Téléphone", "+33 1 00 00 00 00"],
    ["Adresse de messagerie", "contact@librairie-dupont.example"],
    [],
    ["Délégué à la protection des données"],
    ["Nom", "Claire Martin"],
    ["Société", "DPO Conseil"],
    ["Adresse de messagerie", "dpo@dpo-conseil.example"],
]
CNIL_FICHES = {
    "Fiche 1": [
        ["Nom / sigle du traitement", "Gestion des clients"],
        ["N° / REF", "T01"],
        ["Date de création", "2019-05-01"],
        ["Mise à jour", "15/09/2026"],
        ["Finalité principale", "Gestion des commandes et de la relation client"],
        ["Sous-finalité 1", "Facturation"],
        ["Base légale", "Exécution d'un contrat"],
        ["Catégories de personnes concernées", "Clients"],
        ["Catégories de données", "Nom, prénom, adresse postale, adresse e-mail, téléphone"],
        ["Destinataires", "Services internes; Stripe (paiement, États-Unis)"],
        ["Transferts des données hors UE", "États-Unis (Stripe)"],
        ["Garanties", "Clauses contractuelles types"],
        ["Durées de conservation", "3 ans à compter de la fin de la relation commerciale"],
        ["Mesures de sécurité", "Contrôle d'accès des utilisateurs\nSauvegardes chiffrées"],
    ],
    "Fiche 2": [
        ["Nom / sigle du traitement", "Prospection commerciale"],
        ["N° / REF", "T02"],
        ["Finalité principale", "Newsletter"],
        ["Base légale", "Intérêt légitime"],
        ["Intérêt légitime poursuivi", "Faire connaître nos nouveautés à nos clients"],
        ["Catégories de personnes concernées", "Prospects et clients"],
        ["Catégories de données", "Nom, adresse e-mail, centres d'intérêt"],
        ["Destinataires", "Brevo (prospection par courriel, France)"],
        ["Durées de conservation", "3 ans après le dernier contact"],
        ["Mesures de sécurité", "Double authentification"],
    ],
    "Fiche 3": [
        ["Nom / sigle du traitement", "Gestion du personnel"],
        ["N° / REF", "T03"],
        ["Finalité principale", "Gestion de la paie"],
        ["Base légale", "Obligation légale"],
        ["Exception de l'article 9", "Obligations en matière de droit du travail (art. 9.2.b)"],
        ["Catégories de personnes concernées", "Salariés"],
        ["Catégories de données", "Nom, prénom, RIB, numéro de sécurité sociale, arrêts maladie"],
        ["Destinataires", "Administration fiscale; Cabinet Paie Expert (paie, France)"],
        ["Durées de conservation", "5 ans après le départ du salarié"],
        ["Mesures de sécurité", "Armoire fermée à clé\nAccès restreint au logiciel de paie"],
    ],
}


def cnil_workbook(path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "Organisme"
    for row in CNIL_ORG:
        ws.append(row)
    index = wb.create_sheet("Registre")
    index.append(["Activités", "Désignation des activités"])
    for name, rows in CNIL_FICHES.items():
        index.append([name, rows[0][1]])
        sheet = wb.create_sheet(name)
        for row in rows:
            sheet.append(row)
    wb.save(path)


if __name__ == "__main__":
    ico_workbook(HERE / "ico-register.xlsx")
    cnil_workbook(HERE.parent / "cnil" / "registre-cnil.xlsx")
