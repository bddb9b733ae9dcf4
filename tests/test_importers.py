"""ICO and CNIL workbooks: free text mapped onto the taxonomy, nothing dropped, written back."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook

import ropa
from ropa.core.durations import from_words
from ropa.register.cnil import CNIL_LAYOUT, cnil_field, write_cnil_workbook
from ropa.register.columns import ACTIVITY_COLUMNS, UNMAPPED_COLUMN
from ropa.register.freetext import map_free_text
from ropa.register.ico import ICO_LAYOUT, ICO_PROCESSOR_HEADINGS, ico_field, write_ico_workbook
from ropa.register.workbook import load_workbook_register
from tests.conftest import AS_OF, DATA, PRO_AT

ICO_BOOK = DATA / "ico" / "ico-register.xlsx"
CNIL_BOOK = DATA / "cnil" / "registre-cnil.xlsx"


@pytest.fixture(scope="module")
def ico():
    return ropa.load_register(ICO_BOOK)


@pytest.fixture(scope="module")
def cnil():
    return ropa.load_register(CNIL_BOOK)


def _by_id(reg, name):
    acts = reg.activities
    return acts[acts["name"] == name].iloc[0]


def _same_activities(a, b):
    left = a.activities.reset_index(drop=True)
    right = b.activities.reset_index(drop=True)
    cols = list(ACTIVITY_COLUMNS) + ([UNMAPPED_COLUMN] if UNMAPPED_COLUMN in left else [])
    pd.testing.assert_frame_equal(left.reindex(columns=cols).fillna(""), right.reindex(columns=cols).fillna(""))


# -- free text ----------------------------------------------------------------------------

def test_free_text_cells_map_onto_keys(pro_at):
    tax = pro_at.taxonomy
    assert map_free_text(tax, "data_category", "Name, email address, phone numbers") == (
        ["user.name", "user.contact.email", "user.contact.phone_number"], [])
    assert map_free_text(tax, "data_subject", "Customers and prospects") == (["customer", "prospect"], [])
    assert map_free_text(tax, "data_category", "first and last name; shoe size") == (["user.name"], ["shoe size"])
    assert map_free_text(tax, "data_subject", "Clients et prospects") == (["customer", "prospect"], [])


@pytest.mark.parametrize(("text", "expected"), [
    ("7 years after the end of the contract", ("P7Y", "the end of the contract")),
    ("1 year and 6 months", ("P1Y6M", "")),
    ("2 weeks", ("P14D", "")),
    ("3 ans à compter de la fin du contrat", ("P3Y", "la fin du contrat")),
    ("P540D", ("P540D", "")),
    ("Until the account is closed, login logs 6 months", ("Until the account is closed, login logs 6 months", "")),
])
def test_retention_cells(text, expected):
    assert from_words(text) == expected


def test_every_written_heading_reads_back_as_its_field():
    for _, heading, field in ICO_LAYOUT:
        assert ico_field(heading) == field, heading
    for field, heading in ICO_PROCESSOR_HEADINGS.items():
        assert ico_field(heading) == field, heading
    for label, field in CNIL_LAYOUT:
        assert cnil_field(label) == field, label


# -- the ICO workbook ---------------------------------------------------------------------

def test_ico_header_block_gives_the_organisation(ico):
    org = ico.organisation
    assert org["controller"]["name"] == "Northwind Print Ltd"
    assert org["controller"]["phone"] == "+44 117 000 0000"
    assert org["dpo"] == {"name": "Jane Holloway", "address": "1 Quay Street, Bristol BS1 4XX",
                          "email": "dpo@northwind-print.example", "phone": "+44 117 000 0001"}
    assert org["representative"]["name"] == "Northwind EU Representative B.V."


def test_ico_free_text_rows(ico):
    news = _by_id(ico, "Email newsletter to customers and prospects")
    assert news["purposes"] == ["marketing.communications.email"]
    assert news["data_subjects"] == ["customer", "prospect"]
    assert news["data_categories"] == ["user.name", "user.contact.email"]
    assert news["lawful_basis"] == ["art6_1_a"]
    assert news["recipients"] == ["mailchimp"]
    assert news["transfer_countries"] == ["US"] and news["transfer_safeguards"] == ["scc"]
    assert (news["retention"], news["retention_trigger"]) == ("P2Y", "the last purchase")
    assert news["security_measures"] == ["Encryption in transit", "Access control"]
    assert news["source"] == ["data_subject"] and news["dpia"] == "not_required"
    assert news["Rights available to individuals"] == "Access, erasure, objection"
    pay = _by_id(ico, "Payroll and sick leave administration")
    assert pay["lawful_basis"] == ["art6_1_b", "art6_1_c"]
    assert pay["art9_condition"] == ["art9_2_b"]
    assert "user.health_and_medical" in pay["data_categories"] and pay["special_categories"] == ["health"]
    assert pay["dpia"] == "done"
    assert pay["recipients"] == ["hmrc", "sage-payroll-ltd"]
    printing = ico.activities[ico.activities["role"] == "processor"].iloc[0]
    assert printing["controllers"] == ["Business customers (under our terms of business)"]
    assert printing["recipients"] == ["none"]
    assert (printing["retention"], printing["retention_trigger"]) == ("P30D", "the job is posted")


def test_ico_recipients_created_with_guessed_category(ico):
    rec = ico.recipients.set_index("recipient_id")
    assert rec.loc["mailchimp", ["kind", "category", "country", "transfer_safeguard"]].tolist() == [
        "processor", "third_party.service_provider.email_marketing", "US", "scc"]
    assert rec.loc["mailchimp", "contract_reference"] == "https://docs.example.test/dpa/mailchimp.pdf"
    assert rec.loc["hmrc", ["kind", "category", "country"]].tolist() == [
        "public_authority", "third_party.public_authority.tax_authority", "GB"]
    assert rec.loc["sage-payroll-ltd", "contract_reference"] == "Payroll services agreement 2023"
    assert rec.loc["google-analytics", "transfer_safeguard"] == "dpf"
    assert rec.loc["stripe", ["country", "transfer_safeguard"]].tolist() == ["US", "scc"]
    created = ico.load_findings[ico.load_findings["code"] == "recipient-created"]
    assert sorted(created["recipient_id"]) == sorted(rec.index)


def test_ico_unmapped_parts_are_reported_and_kept(ico):
    f = ico.load_findings
    unmapped = f[f["code"] == "unmapped-cell"]
    evidence = set(zip(unmapped["column"], unmapped["evidence"], strict=True))
    assert ("data_categories", "national insurance number") in evidence
    assert ("data_categories", "shoe size") in evidence
    assert ("recipients", "delivery companies") in evidence
    assert ("data_subjects", "Our customers' recipients") in evidence
    nin = unmapped[unmapped["evidence"] == "national insurance number"].iloc[0]
    assert "user.government_id.national_identification_number" in nin["message"]
    assert nin["file"].endswith("ico-register.xlsx:Controller") and nin["row"] == 11
    # Each unmapped part is kept as text on its activity (purposes stay in the description).
    acts = ico.activities.set_index("activity_id")
    for rec in unmapped.to_dict("records"):
        kept = acts.loc[rec["activity_id"], UNMAPPED_COLUMN] + acts.loc[rec["activity_id"], "purpose_description"]
        assert rec["evidence"] in kept, rec
    assert set(f.loc[f["code"] == "part-not-imported", "column"]) == {"Guidance"}


def test_ico_workbook_is_checked(ico):
    findings = ropa.check(ico, as_of=AS_OF)
    assert list(findings.columns) == list(ropa.FINDING_COLUMNS)
    assert {"unmapped-cell", "recipient-created", "processor-without-contract"} <= set(findings["code"])
    # Recipients created from text are checked like any other.
    no_contract = findings[findings["code"] == "processor-without-contract"]
    assert set(no_contract["recipient_id"]) == {"google-analytics", "stripe"}


def test_ico_workbook_writes_back_to_the_same_layout(ico, tmp_path: Path):
    out = write_ico_workbook(ico, tmp_path / "back.xlsx", date=AS_OF)
    wb = load_workbook(out, read_only=True)
    assert wb.sheetnames[:2] == ["Controller", "Processor"]
    rows = list(wb["Controller"].iter_rows(values_only=True))
    wb.close()
    assert rows[3][:2] == ("Controller", "Northwind Print Ltd")
    headings = next(r for r in rows if r and r[0] == "Business function")
    assert headings[:3] == ("Business function", "Purpose of processing",
                            "Name and contact details of joint controller (if applicable)")
    back = load_workbook_register(out)
    _same_activities(ico, back)
    pd.testing.assert_frame_equal(ico.recipients.reset_index(drop=True), back.recipients.reset_index(drop=True))
    assert back.organisation == ico.organisation
    # What was unmapped is still reported after the round trip, never silently absorbed.
    assert (set(back.load_findings.loc[back.load_findings["code"] == "unmapped-cell", "evidence"])
            == set(ico.load_findings.loc[ico.load_findings["code"] == "unmapped-cell", "evidence"]))


@pytest.mark.parametrize("writer", [write_ico_workbook, write_cnil_workbook])
def test_pro_at_round_trip(pro_at, writer, tmp_path: Path):
    out = writer(pro_at, tmp_path / "pro-at.xlsx", include_retired=True, date=AS_OF)
    back = ropa.load_register(out)
    _same_activities(pro_at, back)
    pd.testing.assert_frame_equal(pro_at.recipients.reset_index(drop=True), back.recipients.reset_index(drop=True))
    assert back.organisation == pro_at.organisation
    assert back.load_findings.empty, back.load_findings[["code", "column", "evidence"]]


def test_ico_retention_in_words_as_the_record_writes_it(tmp_path: Path):
    reg = ropa.load_register(PRO_AT)
    reg.activities.iloc[0, reg.activities.columns.get_loc("retention")] = "P1Y6M"
    out = write_ico_workbook(reg, tmp_path / "r.xlsx")
    wb = load_workbook(out, read_only=True)
    cells = [c for row in wb["Controller"].iter_rows(values_only=True) for c in row if isinstance(c, str)]
    wb.close()
    assert "1 year and 6 months" in cells
    assert ropa.load_register(out).activities.iloc[0]["retention"] == "P1Y6M"


def test_cells_are_neutralised(pro_at, tmp_path: Path):
    reg = ropa.load_register(PRO_AT)
    reg.activities.iloc[0, reg.activities.columns.get_loc("name")] = '=HYPERLINK("http://x","y")'
    out = write_ico_workbook(reg, tmp_path / "n.xlsx")
    wb = load_workbook(out, read_only=True)
    cells = [c for row in wb["Controller"].iter_rows(values_only=True) for c in row if isinstance(c, str)]
    wb.close()
    assert "'=HYPERLINK(\"http://x\",\"y\")" in cells and not any(c.startswith("=") for c in cells)
    back = ropa.load_register(out)
    assert back.activities.iloc[0]["name"] == '=HYPERLINK("http://x","y")'


# -- the CNIL workbook --------------------------------------------------------------------

def test_cnil_fiches(cnil):
    org = cnil.organisation
    assert org["controller"] == {"name": "Librairie Dupont SARL", "phone": "+33 1 00 00 00 00",
                                 "email": "contact@librairie-dupont.example",
                                 "address": "12 rue des Écoles, 75005 Paris"}
    assert org["dpo"]["name"] == "Claire Martin" and org["dpo"]["email"] == "dpo@dpo-conseil.example"
    acts = cnil.activities.set_index("activity_id")
    assert list(acts.index) == ["T01", "T02", "T03"]
    t01 = acts.loc["T01"]
    assert t01["lawful_basis"] == ["art6_1_b"] and t01["data_subjects"] == ["customer"]
    assert t01["data_categories"] == ["user.name", "user.contact.address", "user.contact.email",
                                      "user.contact.phone_number"]
    assert t01["recipients"] == ["we.internal", "stripe"]
    assert t01["transfer_safeguards"] == ["scc"] and t01["transfer_countries"] == []
    assert (t01["retention"], t01["retention_trigger"]) == ("P3Y", "la fin de la relation commerciale")
    assert t01["last_reviewed"] == "2026-09-15"
    t02 = acts.loc["T02"]
    assert t02["lawful_basis"] == ["art6_1_f"] and t02["purposes"] == ["marketing.communications.email"]
    assert t02["data_subjects"] == ["prospect", "customer"]
    t03 = acts.loc["T03"]
    assert t03["art9_condition"] == ["art9_2_b"] and t03["special_categories"] == ["health"]
    assert t03["recipients"] == ["third_party.public_authority.tax_authority", "cabinet-paie-expert"]
    rec = cnil.recipients.set_index("recipient_id")
    assert rec.loc["stripe", ["country", "transfer_safeguard"]].tolist() == ["US", "scc"]
    assert rec.loc["cabinet-paie-expert", "category"] == "third_party.service_provider.payroll"


def test_cnil_unmapped_and_unread_parts_are_reported(cnil):
    f = cnil.load_findings
    unmapped = f[f["code"] == "unmapped-cell"]
    assert unmapped["evidence"].tolist() == ["centres d'intérêt"]
    assert unmapped.iloc[0]["row"] == 7 and unmapped.iloc[0]["file"].endswith(":Fiche 2")
    assert "centres d'intérêt" in cnil.activities.set_index("activity_id").loc["T02", UNMAPPED_COLUMN]
    created = f[f["code"] == "unmapped-field"]
    assert created[["column", "evidence"]].values.tolist() == [["Date de création", "2019-05-01"]]
    assert "Date de création: 2019-05-01" in cnil.activities.set_index("activity_id").loc["T01", UNMAPPED_COLUMN]
    assert f.loc[f["code"] == "part-not-imported", "column"].tolist() == ["Registre"]


def test_cnil_workbook_is_checked_and_writes_back(cnil, tmp_path: Path):
    findings = ropa.check(cnil, as_of=AS_OF)
    assert "stale-review" in set(findings["code"])
    out = write_cnil_workbook(cnil, tmp_path / "registre.xlsx", date=AS_OF)
    wb = load_workbook(out, read_only=True)
    assert wb.sheetnames[0] == "Organisme" and "Destinataires" in wb.sheetnames
    fiche = list(wb[wb.sheetnames[1]].iter_rows(values_only=True))
    wb.close()
    assert ("Nom / sigle du traitement", "Gestion des clients") in [r[:2] for r in fiche]
    back = load_workbook_register(out)
    _same_activities(cnil, back)
    assert back.organisation == cnil.organisation


# -- a plain table, and errors ------------------------------------------------------------

def test_plain_table_workbook_is_delegated(tmp_path: Path):
    src = ropa.load_register(DATA / "registers" / "clean")
    wb = Workbook()
    ws = wb.active
    ws.title = "activities"
    frame = src.activities
    ws.append(list(frame.columns))
    for rec in frame.itertuples(index=False):
        ws.append([";".join(v) if isinstance(v, list) else v for v in rec])
    rs = wb.create_sheet("Recipients")
    rs.append(list(src.recipients.columns))
    for rec in src.recipients.itertuples(index=False):
        rs.append([";".join(v) if isinstance(v, list) else v for v in rec])
    wb.save(tmp_path / "plain.xlsx")
    reg = ropa.load_register(tmp_path / "plain.xlsx")
    _same_activities(src, reg)
    assert reg.recipients["recipient_id"].tolist() == src.recipients["recipient_id"].tolist()


def test_not_a_workbook_cannot_proceed(tmp_path: Path):
    bad = tmp_path / "bad.xlsx"
    bad.write_text("not a zip")
    with pytest.raises(ropa.RegisterLoadError, match=r"bad\.xlsx"):
        ropa.load_register(bad)


def test_taxonomy_beside_the_workbook_extends_the_mapping(tmp_path: Path):
    shutil.copy(ICO_BOOK, tmp_path / "book.xlsx")
    (tmp_path / "taxonomy.yaml").write_text(
        "data_category:\n  - key: user.shoe_size\n    name: Shoe size\n    parents: [user]\n", encoding="utf-8")
    reg = ropa.load_register(tmp_path / "book.xlsx")
    orders = _by_id(reg, "Taking and delivering customer orders")
    assert "user.shoe_size" in orders["data_categories"]
    assert "shoe size" not in set(reg.load_findings["evidence"].dropna())


def test_recipient_rows_with_duplicate_ids_are_kept(tmp_path: Path):
    out = write_ico_workbook(ropa.load_register(PRO_AT), tmp_path / "dup.xlsx")
    wb = load_workbook(out)
    ws = wb["Recipients"]
    ws.append(["slack", "Slack again", "", "processor", "third_party.service_provider.communication", "US", "dpf",
               "DPA 2", ""])
    wb.save(out)
    reg = ropa.load_register(out)
    assert (reg.recipients["recipient_id"] == "slack").sum() == 2
    assert "duplicate-recipient-id" in set(ropa.check(reg, as_of=AS_OF)["code"])
