"""The Article 30 record as DataFrames: controller record, processor record, completeness."""

from __future__ import annotations

import copy

import pandas as pd
import pytest

import ropa
from ropa.outputs.record import (
    CONTROLLER_COLUMNS,
    ITEMS,
    PROCESSOR_COLUMNS,
    record_frame,
    retention_sentence,
)
from tests.conftest import DATA
from tests.growth import assert_linear

PROCESSOR = DATA / "record" / "processor"


@pytest.fixture(scope="module")
def payroll():
    return ropa.load_register(PROCESSOR)


def _with(register, **changes):
    """A copy of a register with some activity cells changed: {activity_id: {column: value}}."""
    reg = copy.copy(register)
    reg.activities = register.activities.copy()
    for aid, cells in changes.items():
        row = reg.activities.index[reg.activities["activity_id"] == aid][0]
        for col, value in cells.items():
            reg.activities.at[row, col] = value
    return reg


def test_controller_record_columns_follow_the_article(pro_at):
    record = ropa.article30(pro_at)
    assert list(record.columns) == [c.key for c in CONTROLLER_COLUMNS]
    items = [c.item for c in CONTROLLER_COLUMNS if c.item]
    assert items == sorted(items), "items (a)..(g) in the Article's order"
    assert set(items) == {i for i in ITEMS if i.startswith("30(1)")}
    assert record.attrs["headings"]["transfers"] == "Third-country transfers and safeguards"
    # controller and joint-controller activities only; the processor ones are in 30(2)
    ids = pro_at.activities["activity_id"]
    roles = pro_at.activities["role"]
    assert record["activity_id"].tolist() == ids[roles != "processor"].tolist()


def test_controller_record_reads_as_text(pro_at):
    rec = ropa.article30(pro_at).set_index("activity_id")
    assert rec.at["A06", "retention"] == "7 years after the end of the financial year (AWR art. 52)"
    assert rec.at["A01", "retention"] == "Until the subscriber unsubscribes"
    assert rec.at["A01", "purposes"] == "Email newsletters and marketing; Personalisation"
    assert rec.at["A01", "data_categories"] == "Name; Email address"
    assert rec.at["A01", "transfers"] == "United States — EU-US Data Privacy Framework certification (Mailchimp)"
    assert rec.at["A02", "transfers"] == ""
    assert rec.at["A07", "recipients"].startswith("DAS Incasso (Debt collection agencies, independent controller")
    assert rec.at["A02", "recipients"] == "None"
    assert rec.at["A17", "special_categories"] == "Health data"
    assert rec.at["A17", "art9_condition"] == "Employment and social-security law (Art 9(2)(b))"
    assert rec.at["A13", "criminal_offence_data"] == "Yes"
    assert rec.at["A06", "lawful_basis"] == "Performance of a contract (Art 6(1)(b)); Legal obligation (Art 6(1)(c))"
    assert rec.at["A03", "legitimate_interest"].endswith("(assessment: LIA-2018-03)")
    assert rec.at["A08", "dpia"] == "Done" and rec.at["A08", "automated_decision_making"] == "Yes"
    # (a): organisation-wide details on every row, joint controllers only where they concern it
    assert rec["controller"].str.startswith("PRO-AT B.V.").all()
    assert rec["dpo"].str.startswith("None designated").all()
    assert rec.at["A16", "joint_controllers"].startswith("LinkedIn Ireland Unlimited Company")
    assert (rec.drop(index="A16")["joint_controllers"] == "").all()
    # no key is left unresolved where the taxonomy has a label
    assert not rec["data_categories"].str.contains(r"\buser\.", regex=True).any()
    assert not rec["purposes"].str.contains(r"\bmarketing\.", regex=True).any()


def test_transfer_countries_of_an_activity_are_listed_with_their_safeguards(pro_at):
    reg = _with(pro_at, A02={"transfer_countries": ["JP", "IN"], "transfer_safeguards": ["adequacy", "scc"]},
                A03={"transfer_countries": ["IN"], "transfer_safeguards": []},
                A04={"transfer_countries": ["JP", "CH"], "transfer_safeguards": []},
                A05={"transfer_countries": ["IN", "BR"], "transfer_safeguards": ["bcr"]})
    rec = ropa.article30(reg).set_index("activity_id")
    # one safeguard per country when the lists pair up; one for all when only one is given
    assert rec.at["A02", "transfers"] == "Japan — Adequacy decision; India — Standard contractual clauses (2021)"
    assert rec.at["A04", "transfers"] == ("United States — EU-US Data Privacy Framework certification (Slack); "
                                          "Japan — Adequacy decision of 2019; Switzerland — Adequacy decision of 2000")
    assert rec.at["A05", "transfers"] == "India — Binding corporate rules; Brazil — Binding corporate rules"
    assert rec.at["A03", "transfers"] == "India — No safeguard recorded"
    detail = record_frame(reg).set_index("activity_id").at["A03", "_transfers"]
    assert detail == [{"country": "IN", "country_name": "India", "safeguard": "",
                       "safeguard_name": "No safeguard recorded", "recipient_id": "", "recipient": "",
                       "text": "India — No safeguard recorded", "covered": False}]
    grades = ropa.completeness(reg).set_index("activity_id")
    assert grades.at["A02", "30(1)(e)"] == "filled"
    assert grades.at["A03", "30(1)(e)"] == "missing"


@pytest.mark.parametrize(("period", "trigger", "expected"), [
    ("P7Y", "end of the financial year (AWR art. 52)", "7 years after the end of the financial year (AWR art. 52)"),
    ("P30D", "message received", "30 days after message received"),
    ("P1Y6M", "", "1 year and 6 months"),
    ("P2W", "last contact", "2 weeks after the last contact"),
    ("PT12H", "", "12 hours"),
    ("P1Y2M3DT4H", "", "1 year, 2 months, 3 days and 4 hours"),
    ("P7X", "closure", "P7X"),
    ("Until the account is closed", "account closed", "Until the account is closed"),
    ("", "", ""),
])
def test_retention_sentence(period, trigger, expected):
    assert retention_sentence(period, trigger) == expected


def test_retired_activities_are_left_out_unless_asked(payroll):
    assert "K04" not in ropa.article30(payroll, role="processor")["activity_id"].tolist()
    with_retired = ropa.article30(payroll, role="processor", include_retired=True)
    assert "K04" in with_retired["activity_id"].tolist()
    assert with_retired.set_index("activity_id").at["K04", "status"] == "Retired"
    assert "K04" not in ropa.completeness(payroll)["activity_id"].tolist()


def test_processor_record_for_two_controllers(payroll):
    rec = ropa.article30(payroll, role="processor")
    assert list(rec.columns) == [c.key for c in PROCESSOR_COLUMNS]
    # grouped by controller in organisation.yaml order; K01 is done for both
    assert list(zip(rec["controller_id"], rec["activity_id"], strict=True)) == [
        ("bakkerij-jansen", "K01"), ("bakkerij-jansen", "K02"), ("northwind", "K01"), ("northwind", "K03")]
    north = rec[rec["controller_id"] == "northwind"].iloc[0]
    assert north["controller"].startswith("Northwind Traders Inc., 100 Harbor Street")
    assert north["controller_representative"].startswith("Northwind EU Representative Ltd")
    assert north["controller_dpo"] == "J. Smith, dpo@northwind.example"
    bakery = rec[rec["controller_id"] == "bakkerij-jansen"].iloc[0]
    assert bakery["controller_dpo"] == "None designated. Privacy contact: hr@bakkerij-jansen.example"
    assert (rec["processor"] == "Payroll Noord B.V., Stationsplein 4, 9711 AA Groningen, Netherlands, "
            "privacy@payrollnoord.example, +31 50 000 0000").all()
    assert (rec["processor_dpo"] == "M. de Vries, dpo@payrollnoord.example, +31 50 000 0001").all()
    k03 = rec[rec["activity_id"] == "K03"].iloc[0]
    assert k03["transfers"] == "United States — Standard contractual clauses (2021) (Helpdesk Inc.)"
    assert k03["categories_of_processing"] == "Customer support"
    assert k03["security_measures"] == "encryption in transit (TLS); access control"
    # the controller's own activity is in the controller record, not here
    assert ropa.article30(payroll)["activity_id"].tolist() == ["C01"]


def test_processor_activity_for_an_unknown_or_no_controller(payroll):
    reg = _with(payroll, K02={"controllers": ["acme"]}, K03={"controllers": []})
    rec = ropa.article30(reg, role="processor")
    tail = rec.iloc[-2:][["controller_id", "controller", "activity_id"]].values.tolist()
    assert tail == [["acme", "acme", "K02"], ["", "Controller not recorded", "K03"]]
    grades = ropa.completeness(reg, detail=True)
    a = grades[grades["item"] == "30(2)(a)"].set_index("activity_id")
    assert a.at["K02", "status"] == "partial" and "acme" in a.at["K02", "reason"]
    assert a.at["K03", "status"] == "missing"


def test_unknown_role_is_a_usage_error(pro_at):
    with pytest.raises(ropa.UsageError):
        ropa.article30(pro_at, role="auditor")


def test_completeness_grades_and_score(pro_at):
    table = ropa.completeness(pro_at)
    assert list(table.columns) == ["activity_id", "name", "role", *ITEMS, "score"]
    by_id = table.set_index("activity_id")
    # processor activities are graded on 30(2) only, controller ones on 30(1) only
    assert by_id.loc["P01", [i for i in ITEMS if i.startswith("30(1)")]].isna().all()
    assert by_id.loc["A01", [i for i in ITEMS if i.startswith("30(2)")]].isna().all()
    assert by_id.at["A15", "30(1)(g)"] == "missing"          # no security measures recorded
    assert by_id.at["A15", "30(1)(e)"] == "partial"          # US "adequacy" needs DPF
    assert by_id.at["A01", "score"] == 1.0
    assert by_id.at["A15", "score"] == pytest.approx((5 + 0.5) / 7, abs=1e-3)
    grades = table[list(ITEMS)].apply(lambda c: c.astype(object).map({"filled": 1, "partial": 0.5, "missing": 0}))
    values = grades.stack()
    assert table.attrs["score"] == pytest.approx(values.mean(), abs=1e-4)
    assert 0.9 < table.attrs["score"] < 1


def test_completeness_partial_and_missing_cases(pro_at):
    reg = _with(pro_at,
                A01={"retention": "Until the subscriber unsubscribes", "retention_trigger": ""},
                A02={"retention": "P7Q"},
                A03={"retention": ""},
                A04={"security_measures": ["encryption in transit (TLS)"]},
                A05={"purpose_description": ""},
                A06={"purposes": [], "purpose_description": ""},
                A07={"recipients": ["no-such-recipient"]},
                A08={"recipients": []},
                A09={"data_categories": ["user.health_and_medical"], "special_categories": []},
                A10={"data_subjects": []})
    detail = ropa.completeness(reg, detail=True)
    status = detail.set_index(["activity_id", "item"])["status"].astype(str)
    expected = {
        ("A01", "30(1)(f)"): "partial", ("A02", "30(1)(f)"): "partial", ("A03", "30(1)(f)"): "missing",
        ("A04", "30(1)(g)"): "partial", ("A05", "30(1)(b)"): "partial", ("A06", "30(1)(b)"): "missing",
        ("A07", "30(1)(d)"): "partial", ("A08", "30(1)(d)"): "missing", ("A09", "30(1)(c)"): "partial",
        ("A10", "30(1)(c)"): "partial", ("A11", "30(1)(f)"): "filled",
    }
    assert {k: status[k] for k in expected} == expected
    reasons = detail.set_index(["activity_id", "item"])["reason"]
    assert reasons["A09", "30(1)(c)"] == "data categories include special-category data not declared"
    assert reasons["A02", "30(1)(f)"] == "retention is not a valid ISO 8601 duration"
    assert (detail.loc[detail["status"] == "filled", "reason"] == "").all()
    assert (detail.loc[detail["status"] != "filled", "reason"] != "").all()


def test_completeness_of_the_organisation_block(pro_at):
    reg = copy.copy(pro_at)
    reg.organisation = {**pro_at.organisation, "controller": {"name": "PRO-AT B.V."}, "dpo": None}
    a = ropa.completeness(reg, detail=True).query("item == '30(1)(a)'")
    assert set(a["status"].astype(str)) == {"partial"}
    assert a["reason"].str.contains("controller contact details not recorded").all()
    reg.organisation = {**pro_at.organisation, "joint_controllers": []}
    a = ropa.completeness(reg, detail=True).query("item == '30(1)(a)'").set_index("activity_id")
    # A16 uses LinkedIn, a joint-controller recipient, now without contact details
    assert a.at["A16", "status"] == "partial"
    assert a.at["A16", "reason"] == "joint controller without contact details"
    assert a.at["A01", "status"] == "filled"


def test_the_record_of_a_large_register_grows_linearly(pro_at):
    """The record and its completeness for 4x the activities cost under 8x the CPU work."""

    def enlarged(copies):
        big = pd.concat([pro_at.activities] * copies, ignore_index=True)
        big["activity_id"] = [f"X{i:05d}" for i in range(len(big))]
        reg = copy.copy(pro_at)
        reg.activities = big
        return reg

    made = {}

    def record(copies):
        reg = enlarged(copies)
        made[copies] = ropa.article30(reg), ropa.completeness(reg)

    assert_linear(record, 75, 300)
    rec, table = made[300]
    assert len(rec) == 17 * 300 and len(table) == len(pro_at.activities) * 300
