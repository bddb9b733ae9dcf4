"""Register against policy: the bookshop register with planted inconsistencies of every class.

tests/data/consistency/bookshop/ is a small online bookshop (Leeshoek) with a reviewed policy
(policies/2026-05-01.flows.yaml) and expected.csv, which states the class of every one of its
flows as planted by hand.
"""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

import ropa
from ropa.checks.consistency import CLASSES, CONSISTENCY_COLUMNS
from ropa.checks.consistency_findings import consistency_findings
from ropa.checks.flows import FLOW_COLUMNS
from ropa.core.findings import FINDING_COLUMNS
from ropa.policy.model import statements_frame
from tests.conftest import DATA

SHOP = DATA / "consistency" / "bookshop"
KEY = ["activity_id", "recipient", "data_category", "purpose", "data_subject"]


@pytest.fixture(scope="module")
def shop():
    return ropa.load_register(SHOP)


@pytest.fixture(scope="module")
def shop_policy():
    return ropa.load_policy(SHOP / "policies" / "2026-05-01.flows.yaml")


@pytest.fixture(scope="module")
def table(shop, shop_policy):
    return ropa.consistency(shop, shop_policy)


@pytest.fixture(scope="module")
def findings(shop, shop_policy):
    return consistency_findings(shop, shop_policy)


@pytest.fixture(scope="module")
def expected():
    return pd.read_csv(SHOP / "expected.csv", dtype=str)


def _plain(frame: pd.DataFrame, cols) -> pd.DataFrame:
    return frame.loc[:, cols].astype(object).where(frame.loc[:, cols].notna(), None)


def _with(policy, **changes):
    """A copy of the policy with statements changed: {statement_id: {column: value} | None}."""
    records = policy.statements.to_dict("records")
    out = []
    for rec in records:
        change = changes.get(rec["statement_id"], {})
        if change is None:
            continue
        out.append({**rec, **change})
    return dataclasses.replace(policy, statements=statements_frame(out))


def _class_of(table, **key):
    mask = pd.Series(True, index=table.index)
    for col, value in key.items():
        mask &= table[col].astype(str) == value
    return set(table.loc[mask, "class"].astype(str))


# -- every flow as planted -----------------------------------------------------------------

def test_every_flow_is_classified_as_planted(table, expected):
    got = _plain(table, [*KEY, "class"]).astype(str)
    merged = expected.merge(got, on=KEY, how="outer", suffixes=("_planted", "_got"), indicator=True)
    missing = merged[merged["_merge"] != "both"]
    assert missing.empty, f"flows planted but not produced, or produced but not planted:\n{missing}"
    wrong = merged[merged["class_planted"] != merged["class_got"]]
    assert wrong.empty, wrong.merge(_plain(table, [*KEY, "reason"]).astype(str), on=KEY).to_string()


def test_the_fixture_plants_every_class(expected):
    # every class but unclassified, which a register with an unknown key shows (below)
    assert set(expected["class"]) == set(CLASSES) - {"unclassified"}


def test_table_has_the_documented_columns(table):
    assert list(table.columns) == [*FLOW_COLUMNS, *CONSISTENCY_COLUMNS]
    assert table["class"].cat.categories.tolist() == list(CLASSES)
    pivot = table.pivot_table(index="activity_id", columns="class", values="purpose",
                              aggfunc="count", observed=False)
    assert pivot.loc["B02", "omitted"] == 2 and pivot.loc["B02", "clear"] == 6


# -- flows ---------------------------------------------------------------------------------

def test_flows_have_first_party_rows_and_leave_retired_activities_out(shop):
    fl = ropa.flows(shop)
    assert list(fl.columns) == list(FLOW_COLUMNS)
    assert "B16" not in set(fl["activity_id"].astype(str)), "retired activity"
    per_activity = fl.groupby("activity_id", observed=True)["recipient"].agg(lambda s: set(s.astype(str)))
    assert all("we" in recipients for recipients in per_activity)
    assert per_activity["B01"] == {"we"}, "recipients 'none' means only we"
    assert per_activity["B14"] == {"we", "salarisbureau", "belastingdienst"}
    # B02: 2 recipients (we, PostNL) x 4 data categories x 1 purpose x 1 subject
    assert (fl["activity_id"] == "B02").sum() == 8
    we = fl[fl["recipient"] == "we"]
    assert set(we["party"].astype(str)) == {"first_party"}
    assert set(we["recipient_kind"].astype(str)) == {"internal"}
    assert set(we["recipient_country"].astype(str)) == {"NL"}, "the organisation's country"
    zendesk = fl[fl["recipient"] == "zendesk"].iloc[0]
    assert (zendesk["recipient_category"], zendesk["recipient_kind"], zendesk["recipient_country"],
            zendesk["party"]) == ("third_party.service_provider.customer_support", "processor", "US",
                                  "third_party")


def test_an_empty_list_gives_one_flow_with_the_value_missing(shop, shop_policy):
    acts = shop.activities.copy()
    row = acts.index[acts["activity_id"] == "B01"][0]
    acts.at[row, "purposes"] = []
    reg = dataclasses.replace(shop, activities=acts)
    table = ropa.consistency(reg, shop_policy)
    b01 = table[table["activity_id"] == "B01"]
    assert len(b01) == 3 and b01["purpose"].isna().all()
    # s1-1 names purposes, so it cannot speak for a flow whose purpose is unknown
    assert set(b01["class"].astype(str)) == {"omitted"}


# -- the rules, one at a time --------------------------------------------------------------

def test_same_category_of_recipient_is_clear_and_third_parties_in_general_vague(shop, shop_policy):
    table = ropa.consistency(shop, shop_policy)
    postnl = table[(table["recipient"] == "postnl") & (table["data_category"] == "user.name")].iloc[0]
    assert postnl["class"] == "clear" and postnl["statement_id"] == "s2-1"
    assert postnl["entity_distance"] == 0 and postnl["entity_vagueness"] == 0
    general = _with(shop_policy, **{"s2-1": {"recipients": ["third_party"]}})
    postnl = ropa.consistency(shop, general)
    row = postnl[(postnl["recipient"] == "postnl") & (postnl["data_category"] == "user.name")].iloc[0]
    # postnl -> delivery -> service_provider -> third_party: 2 steps from its category, root: 2/(2+0)
    assert row["class"] == "vague"
    assert row["entity_distance"] == 2 and row["entity_vagueness"] == pytest.approx(1.0)


def test_vagueness_is_normalised_as_policheck_does(table):
    def row(aid, rid, data):
        return table[(table["activity_id"] == aid) & (table["recipient"] == rid)
                     & (table["data_category"] == data)].iloc[0]

    zendesk = row("B06", "zendesk", "user.name")  # user.name -> user (root); customer_support -> service_provider
    assert (zendesk["data_distance"], zendesk["entity_distance"]) == (1, 1)
    assert zendesk["data_vagueness"] == pytest.approx(1.0)           # 1 / (1 + 0)
    assert zendesk["entity_vagueness"] == pytest.approx(0.5)         # 1 / (1 + 1)
    postal = row("B12", "we", "user.contact.address.postal_code")    # -> user.contact.address, depth 2
    assert postal["data_vagueness"] == pytest.approx(1 / 3)
    assert row("B08", "we", "user.device.ip_address")["data_vagueness"] == pytest.approx(0.5)  # user.device, depth 1
    clear = table[table["class"] == "clear"]
    assert (clear["data_vagueness"] == 0).all() and (clear["entity_vagueness"] == 0).all()
    assert table.loc[table["class"] == "omitted", "data_vagueness"].isna().all()


def test_a_first_party_statement_never_covers_a_third_party_flow(shop, shop_policy):
    only_we = statements_frame([{"statement_id": "w", "section": "1", "actor": "we",
                                 "action": "collect", "data_categories": ["user"], "quote": "all"}])
    table = ropa.consistency(shop, dataclasses.replace(shop_policy, statements=only_we))
    scoped = table[table["class"] != "out_of_scope"]
    third = scoped["party"] == "third_party"
    assert set(scoped.loc[third, "class"].astype(str)) == {"omitted"}
    # "personal data" in general, for no purpose, covers nothing (issue 16): tied to a purpose,
    # it covers our own flows for that purpose, vaguely, and still no third party's
    assert set(scoped.loc[~third, "class"].astype(str)) == {"omitted"}
    tied = only_we.assign(purposes=[["essential.service.notifications.email"]])
    table = ropa.consistency(shop, dataclasses.replace(shop_policy, statements=tied))
    scoped = table[table["class"] != "out_of_scope"]
    third = scoped["party"] == "third_party"
    notify = scoped["purpose"] == "essential.service.notifications.email"
    assert set(scoped.loc[third, "class"].astype(str)) == {"omitted"}
    assert set(scoped.loc[~third & notify, "class"].astype(str)) == {"vague"}
    assert set(scoped.loc[~third & ~notify, "class"].astype(str)) == {"omitted"}


def test_purposes_count(table, shop, shop_policy):
    # B04 uses the email address for notifications (disclosed in s1-1 and s4-1) and to count
    # opened emails, which no statement about email names.
    insights = "analytics.reporting.campaign_insights"
    assert _class_of(table, activity_id="B04", purpose="essential.service.notifications.email") == {"clear"}
    assert _class_of(table, activity_id="B04", purpose=insights) == {"omitted"}
    # a statement without purposes covers every purpose
    open_ended = ropa.consistency(shop, _with(shop_policy, **{"s4-1": {"purposes": []}}))
    assert _class_of(open_ended, activity_id="B04", purpose=insights) == {"clear"}


def test_a_disclosure_speaks_for_its_actor_too(table, shop, shop_policy):
    # s3-2 "Mollie ... receives your name and bank account details": we hold them, clearly.
    assert _class_of(table, activity_id="B03", recipient="we",
                     data_category="user.financial.bank_account") == {"clear"}
    # but a negation never does: "we do not share ..." says nothing of what we collect
    b12 = table[(table["activity_id"] == "B12") & (table["recipient"] == "we")]
    assert b12["negative_statements"].isna().all()
    # and for the reverse direction a sharing statement is recorded only by a flow to its
    # recipient: s12-1 (Cadeaubon) is unrecorded although we use names for payments (B03)
    reverse = consistency_findings(shop, shop_policy)
    assert "s12-1" in set(reverse.loc[reverse["code"] == "statement-not-in-register", "evidence"]
                          .str.extract(r"(s\d+-\d+)")[0])


def test_first_party_terms_are_one_party(shop, shop_policy):
    internal = ropa.consistency(shop, _with(shop_policy, **{"s7-1": {"recipients": ["we.internal"]}}))
    assert _class_of(internal, activity_id="B06", recipient="we",
                     data_category="user.content.private") == {"clear"}


def test_statement_subjects_must_cover_the_flows_subject(shop, shop_policy):
    customers = {"data_subjects": ["customer"]}
    narrowed = ropa.consistency(shop, _with(shop_policy, **{"s5-1": customers, "s5-2": customers}))
    assert _class_of(narrowed, activity_id="B05", recipient="we", data_subject="customer") == {"clear"}
    assert _class_of(narrowed, activity_id="B05", recipient="we", data_subject="prospect") == {"omitted"}


def test_scope_and_processor_activities_are_out_of_scope_not_omitted(table, shop, shop_policy):
    b14 = table[table["activity_id"] == "B14"]
    assert set(b14["reason"].astype(str)) == {"data subject employee is outside the policy's scope (meta.scope)"}
    b15 = table[table["activity_id"] == "B15"]
    assert set(b15["reason"].astype(str)) == {"processor activity: the controller's notice covers it"}
    unscoped = dataclasses.replace(shop_policy, meta={k: v for k, v in shop_policy.meta.items() if k != "scope"})
    again = ropa.consistency(shop, unscoped)
    assert _class_of(again, activity_id="B14", recipient="salarisbureau") == {"omitted"}
    # s14-3 "We do not give your data to government bodies unless the law requires us to":
    # the payroll taxes (art6_1_c) meet its exception, which discloses them, vaguely
    tax = again[(again["activity_id"] == "B14") & (again["recipient"] == "belastingdienst")]
    assert set(tax["class"].astype(str)) == {"vague"}
    assert all(r.startswith("disclosed as the exception (legal_obligation) to s14-3") for r in tax["reason"].astype(str))
    assert _class_of(again, activity_id="B15") == {"out_of_scope"}, "a processor activity stays out of scope"


def test_exceptions_lift_a_negation(table):
    # B10 is under consent: s10-3 ("without your consent") does not count, so s10-1 is clear.
    meta = table[(table["activity_id"] == "B10") & (table["recipient"] == "meta")]
    assert set(meta["class"].astype(str)) == {"clear"}
    assert meta["negative_statements"].isna().all()
    assert set(meta["reason"].astype(str)) == {
        "disclosed by s10-1 (§10): same data category and recipient; s10-3 (§10) does not apply: "
        "its exception consent is met (lawful basis art6_1_a)"}
    # B17 reports to the police: for the legal-obligation purpose s14-3 is lifted (a public
    # authority receiving for a legal obligation); for fraud detection under art6_1_f it is not.
    pol = table[(table["activity_id"] == "B17") & (table["recipient"] == "politie")]
    by_purpose = pol.groupby("purpose", observed=True)["class"].agg(lambda s: set(s.astype(str)))
    assert by_purpose["third_party_sharing.legal_obligation"] == {"clear"}
    lifted = pol.loc[pol["purpose"] == "third_party_sharing.legal_obligation", "reason"].astype(str)
    assert all(r.endswith("s14-3 (§14) does not apply: its exception legal_obligation is met "
                          "(art6_1_c, or a public authority receiving for a legal obligation)") for r in lifted)
    assert by_purpose["essential.fraud_detection"] == {"ambiguous"}
    amb = pol[pol["class"] == "ambiguous"].iloc[0]
    assert (amb["statement_id"], amb["negation_id"]) == ("s14-2", "s14-3")
    assert amb["positive_statements"] == "s14-2" and amb["negative_statements"] == "s14-3"


def test_a_narrower_negation_is_an_exception_not_a_contradiction(table):
    bookwise = table[table["recipient"] == "bookwise"].iloc[0]
    assert bookwise["class"] == "incorrect"
    assert bookwise["positive_statements"] == "s8-1" and bookwise["negation_id"] == "s8-2"
    assert "narrower than the disclosure s8-1" in bookwise["reason"]


# -- findings ------------------------------------------------------------------------------

PLANTED_FINDINGS = {
    # (activity, recipient or None for first party, code): severity
    ("B02", "postnl", "flow-omitted-recipient"): "high",
    ("B02", None, "flow-omitted-first-party"): "medium",
    ("B04", None, "flow-omitted-first-party"): "medium",
    ("B06", "zendesk", "flow-vague"): "low",
    ("B07", "bookwise", "flow-incorrect"): "high",
    ("B08", None, "flow-vague"): "low",
    ("B08", "matomo", "flow-vague"): "low",
    ("B09", None, "flow-omitted-first-party"): "medium",
    ("B09", "hotjar", "flow-omitted-recipient"): "high",
    ("B11", "meta", "flow-ambiguous"): "high",
    ("B12", None, "flow-vague"): "info",
    ("B12", "leespanel", "flow-incorrect"): "high",
    ("B13", None, "flow-omitted-first-party"): "medium",
    ("B13", None, "flow-incorrect"): "high",
    ("B13", "leespanel", "flow-omitted-recipient"): "high",
    ("B14", None, "flow-out-of-scope"): "info",
    ("B17", "politie", "flow-ambiguous"): "high",
}


def test_findings_are_one_per_activity_recipient_and_class(findings):
    flows = findings[findings["code"] != "statement-not-in-register"]
    got = {(r.activity_id, None if pd.isna(r.recipient_id) else r.recipient_id, r.code): r.severity
           for r in flows.itertuples()}
    assert got == PLANTED_FINDINGS


def test_clear_flows_raise_nothing(findings, table):
    clear_groups = table[table["class"] == "clear"].groupby(["activity_id", "recipient"], observed=True)
    flagged = findings.dropna(subset=["activity_id"])
    for (aid, rid), g in clear_groups:
        f = flagged[(flagged["activity_id"] == aid)
                    & (flagged["recipient_id"].fillna("we") == rid)]
        for data in g["data_category"].astype(str):
            same = table[(table["activity_id"] == aid) & (table["recipient"] == rid)
                         & (table["data_category"] == data) & (table["class"] != "clear")]
            if same.empty:  # this data category flows to this recipient only clearly
                assert not f["evidence"].str.contains(f"data: [^;]*{data}", regex=True).any(), (aid, rid, data)
    only_clear = {("B01", "we"), ("B03", "mollie"), ("B05", "we"), ("B05", "laposta"), ("B06", "we"),
                  ("B07", "we"), ("B10", "we"), ("B10", "meta"), ("B11", "we"), ("B17", "we")}
    pairs = set(zip(flagged["activity_id"], flagged["recipient_id"].fillna("we"), strict=True))
    assert not (only_clear & pairs)


def test_findings_carry_quote_section_path_and_version(findings):
    assert list(findings.columns) == list(FINDING_COLUMNS)
    assert set(findings["area"]) == {"consistency"}
    assert set(findings["policy_version"]) == {"2026-05-01"}
    assert findings["recommendation"].str.len().gt(0).all() and findings["message"].str.len().gt(0).all()
    flows = findings[findings["code"] != "flow-out-of-scope"]
    assert flows["section"].notna().all()
    zendesk = findings[findings["recipient_id"] == "zendesk"].iloc[0]
    assert zendesk["section"] == "8"
    assert '"Service providers that help us answer your questions' in zendesk["evidence"]
    assert "zendesk → third_party.service_provider.customer_support → third_party.service_provider" in zendesk["evidence"]
    assert "user.name → user" in zendesk["evidence"]
    meta = findings[findings["code"] == "flow-ambiguous"].set_index("activity_id").loc["B11"]
    assert meta["message"] == "Meta Custom Audiences (B11) gives Email address to Meta: §10 discloses it, §10 denies it"
    assert "s10-2" in meta["evidence"] and "s10-3" in meta["evidence"] and "consent is not met" in meta["evidence"]
    postnl = findings[(findings["recipient_id"] == "postnl")].iloc[0]
    assert postnl["section"] == "2", "the nearest statement names the delivery service"
    assert "it covers the recipient but not data user.contact.phone_number" in postnl["evidence"]


def test_statements_no_activity_records_are_findings(findings):
    reverse = findings[findings["code"] == "statement-not-in-register"]
    # s12-1: gift cards, whose activity is retired; s13-1: an app the register does not know.
    # Negations (s8-2, s10-3, s11-2, s11-3, s14-3) and the inform statement (s15-1) never count.
    assert sorted(reverse["section"]) == ["12", "13"]
    gift = reverse[reverse["section"] == "12"].iloc[0]
    assert "Cadeaubon Service" in gift["message"] and "s12-1" in gift["evidence"]


def test_no_statements_means_every_in_scope_flow_is_omitted(shop, shop_policy):
    empty = dataclasses.replace(shop_policy, statements=statements_frame([]))
    table = ropa.consistency(shop, empty)
    assert set(table["class"].astype(str)) == {"omitted", "out_of_scope"}
    assert table["statement_id"].isna().all()
    f = consistency_findings(shop, empty)
    assert "statement-not-in-register" not in set(f["code"])


def test_a_register_with_no_live_activity_has_no_flows(shop, shop_policy):
    retired = dataclasses.replace(shop, activities=shop.activities[shop.activities["activity_id"] == "B16"])
    table = ropa.consistency(retired, shop_policy)
    assert table.empty and list(table.columns) == [*FLOW_COLUMNS, *CONSISTENCY_COLUMNS]
    findings = consistency_findings(retired, shop_policy)
    # every disclosure is then unrecorded; negations and the inform statement never are
    assert set(findings["code"]) == {"statement-not-in-register"}
    assert len(findings) == int(shop_policy.statements["action"].isin(
        ["collect", "use", "share", "transfer", "track", "retain"]).sum())


def test_scores_in_blocks_give_the_same_table(shop, shop_policy, table, monkeypatch):
    from ropa.checks import consistency as _consistency

    monkeypatch.setattr(_consistency.PairScores, "KEEP", 0)  # never keep the whole matrix
    monkeypatch.setattr(_consistency.PairScores, "BLOCK", 3)  # and use tiny blocks
    blocked = ropa.consistency(shop, shop_policy)
    pd.testing.assert_frame_equal(blocked, table)


def test_a_flow_with_an_unknown_key_is_unclassified_never_omitted(shop, shop_policy):
    acts = shop.activities.copy()
    b04 = acts["activity_id"] == "B04"
    acts.loc[b04, "data_categories"] = acts.loc[b04, "data_categories"].map(lambda keys: [*keys, "user.contact.emial"])
    acts.loc[acts["activity_id"] == "B05", "recipients"] = [["no-such-recipient"]]
    reg = dataclasses.replace(shop, activities=acts)
    table = ropa.consistency(reg, shop_policy)
    typo = table[table["data_category"] == "user.contact.emial"]
    assert set(typo["class"].astype(str)) == {"unclassified"}
    assert set(typo["reason"].astype(str)) == {
        "not classified: the taxonomy does not know data category 'user.contact.emial'; the register "
        "check reports it (unknown-taxonomy-key)"}
    # the activity's other flows are classified as before
    before = ropa.consistency(shop, shop_policy)
    assert _class_of(table, activity_id="B04", data_category="user.contact.email") == \
        _class_of(before, activity_id="B04", data_category="user.contact.email")
    stranger = table[(table["activity_id"] == "B05") & (table["recipient"] == "no-such-recipient")]
    assert set(stranger["class"].astype(str)) == {"unclassified"}
    assert all(r.endswith("(unknown-recipient)") for r in stranger["reason"].astype(str))
    found = consistency_findings(reg, shop_policy)
    unclassified = found[found["code"] == "flow-unclassified"]
    assert set(unclassified["activity_id"]) == {"B04", "B05"}
    assert set(unclassified["severity"]) == {"info"}
    assert unclassified["message"].str.contains("unknown key user.contact.emial").sum() == 1
    assert not ((found["activity_id"] == "B04") & found["message"].str.contains("emial")
                & found["code"].str.startswith("flow-omitted")).any()


def test_a_transfer_to_a_country_the_policy_does_not_name(shop, shop_policy):
    # The bookshop's policy names no country: transfers are the policy check's
    # policy-no-transfer-information, not one finding per flow.
    def transfers(policy):
        found = consistency_findings(shop, policy)
        return found[found["code"] == "flow-transfer-omitted"]

    assert transfers(shop_policy).empty
    # s9-1 (the web analytics service) now says where it processes: the EU. Matomo Cloud is in
    # New Zealand (recipients.csv), Zendesk in the US; the policy names neither.
    eu = transfers(_with(shop_policy, **{"s9-1": {"countries": ["EU"]}}))
    assert sorted(zip(eu["activity_id"], eu["recipient_id"], strict=True)) == [("B06", "zendesk"), ("B08", "matomo")]
    matomo = eu[eu["recipient_id"] == "matomo"].iloc[0]
    assert matomo["severity"] == "high" and "in NZ;" in matomo["message"]
    assert "NZ from the recipient's country (recipients.csv)" in matomo["evidence"]
    assert "controller's country: NL" in matomo["evidence"]
    assert "§9 s9-1: EU" in matomo["evidence"]
    # naming New Zealand where the policy names the analytics service covers it, not Zendesk's US
    named = transfers(_with(shop_policy, **{"s9-1": {"countries": ["EU", "New Zealand"]}}))
    assert list(named["recipient_id"]) == ["zendesk"]


def test_how_far_a_negation_about_sharing_reaches(shop, shop_policy):
    # B06 gives tickets to Zendesk, a processor that s8-1 discloses as a service provider
    # ("Service providers that help us answer your questions ... receive the personal data").
    def zendesk(negation: str, **s8):
        records = shop_policy.statements.to_dict("records")
        records = [{**r, **s8} if r["statement_id"] == "s8-1" else r for r in records]
        records.append({"statement_id": "n1", "section": "99", "actor": "we", "action": "not_share",
                        "data_categories": ["user"], "recipients": ["third_party"], "quote": negation})
        policy = dataclasses.replace(shop_policy, statements=statements_frame(records))
        rows = ropa.consistency(shop, policy)
        rows = rows[(rows["activity_id"] == "B06") & (rows["recipient"] == "zendesk")]
        return set(rows["class"].astype(str)), set(rows["reason"].astype(str))

    # third parties: not a processor acting on our behalf, and the reason says so
    classes, reasons = zendesk("We do not share your personal data with third parties.")
    assert classes == {"vague"}
    assert all("n1 (§99) does not reach it: read as about third parties deciding their own purposes, "
               "not processors acting on our behalf (Art 28)" in r for r in reasons)
    # selling or renting: no flow the register records
    assert zendesk("We never sell or rent your personal data.")[0] == {"vague"}
    # anyone: not a processor the disclosure presents as one (s8-1 says "service providers") ...
    assert zendesk("We do not share your personal data with anyone.")[0] == {"vague"}
    # ... but one it does not present as such
    classes, reasons = zendesk("We do not share your personal data with anyone.",
                               quote="Our partners help us answer your questions.", section_title="Partners")
    assert classes == {"ambiguous"}
    assert all("read as reaching every recipient (it says 'anyone')" in r for r in reasons)
    # processors named: every recipient
    classes, _ = zendesk("We do not share your personal data with anyone, not even our service providers.")
    assert classes == {"ambiguous"}


def test_a_recipient_named_for_another_purpose_is_a_purpose_gap_not_an_undisclosed_recipient(shop, shop_policy):
    # B02 gives the phone number to PostNL, which no statement covers: omitted, high. Once the
    # policy names PostNL with personal data for marketing only, PostNL is disclosed; what for is not.
    def postnl(policy):
        found = consistency_findings(shop, policy)
        return found[(found["activity_id"] == "B02") & (found["recipient_id"] == "postnl")]

    before = postnl(shop_policy)
    assert list(before["code"]) == ["flow-omitted-recipient"] and list(before["severity"]) == ["high"]
    records = [*shop_policy.statements.to_dict("records"),
               {"statement_id": "p1", "section": "99", "actor": "we", "action": "share", "data_categories": ["user"],
                "recipients": ["postnl"], "purposes": ["marketing"], "quote": "PostNL sends our offers."}]
    after = postnl(dataclasses.replace(shop_policy, statements=statements_frame(records)))
    assert list(after["code"]) == ["flow-omitted-purpose"] and list(after["severity"]) == ["medium"]
    assert "§99 names the recipient, but not for this purpose" in after.iloc[0]["message"]


def test_a_recipient_named_only_in_text_ropa_did_not_read(shop, shop_policy):
    # B09 gives heatmap data to Hotjar, which no statement names: omitted, high. If the text
    # names Hotjar in a section no statement was read from, ropa says it could not read it.
    def hotjar(policy):
        found = consistency_findings(shop, policy)
        return found[(found["activity_id"] == "B09") & (found["recipient_id"] == "hotjar")]

    assert list(hotjar(shop_policy)["code"]) == ["flow-omitted-recipient"]
    sections = pd.DataFrame([{"number": "20", "title": "Tools", "level": 2, "line_start": 80, "line_end": 83,
                              "text": "Tools we use\n\nHeatmaps: HOTJAR Ltd, Malta"}])
    unread = hotjar(dataclasses.replace(shop_policy, sections=sections))
    assert list(unread["code"]) == ["flow-recipient-unread"] and list(unread["severity"]) == ["medium"]
    assert "'HOTJAR Ltd' in §20 (line 82)" in unread.iloc[0]["evidence"]
    assert "§20 names the recipient, but ropa read no statement" in unread.iloc[0]["message"]


def test_a_row_about_a_named_recipient_speaks_for_that_recipient_only(shop, shop_policy):
    # "Zendesk: our ticket system" read with personal data in general and no purpose: it covers
    # flows to Zendesk (vaguely), never the first-party flows of unrelated activities
    records = [*shop_policy.statements.to_dict("records"),
               {"statement_id": "z1", "section": "99", "actor": "we", "action": "share", "data_categories": ["user"],
                "recipients": ["zendesk"], "quote": "Zendesk: our ticket system."}]
    table = ropa.consistency(shop, dataclasses.replace(shop_policy, statements=statements_frame(records)))
    z1 = table["positive_statements"].astype(object).fillna("").map(lambda ids: "z1" in str(ids).split("; "))
    assert set(table.loc[z1, "recipient"].astype(str)) == {"zendesk"}
    assert set(table.loc[table["recipient"] == "zendesk", "class"].astype(str)) == {"vague"}
