"""The policy's own findings: PRO-AT's versions, one failing policy per code, a clean policy,
and the contradiction rules (exceptions, narrowing) on hand-built statements."""

from __future__ import annotations

from pathlib import Path

import pytest

import ropa
from ropa.checks.policy import check_policy
from ropa.policy.load import extract_policy
from ropa.policy.model import Policy, sections_frame, statements_frame
from tests.conftest import AS_OF, DATA, PRO_AT, SHARED

POLICIES = DATA / "policies"
FAILING = POLICIES / "failing"
POLICY_CODES = sorted(code for code, area in ropa.catalogue()["area"].items() if area == "policy")
#: Codes found when loading a reviewed flows file, not by checking a text (tests/hostile).
LOADING_CODES = {"policy-source-outside-register"}
HOSTILE_POLICY = Path(__file__).resolve().parent / "hostile" / "data" / "policy"
#: Codes whose failing policy is checked with the small register beside it (the fault is
#: what the register records and the policy leaves out).
NEEDS_REGISTER = {"policy-no-legitimate-interests", "policy-no-automated-decision-information"}


@pytest.fixture(scope="module")
def small_register():
    return ropa.load_register(FAILING / "register")


@pytest.fixture(scope="module")
def pro_at_2018(pro_at):
    pol = ropa.load_policy(PRO_AT / "policies" / "2018-05-24.flows.yaml", register=pro_at)
    return pol, check_policy(pol, register=pro_at)


@pytest.fixture(scope="module")
def pro_at_2026(pro_at):
    pol = ropa.load_policy(PRO_AT / "policies" / "2026-11-01.flows.yaml", register=pro_at)
    return pol, check_policy(pol, register=pro_at)


def _codes(findings):
    return set(findings["code"])


def test_pro_at_2018_contradictions_cite_section_4_and_the_sharing_sections(pro_at_2018):
    _, f = pro_at_2018
    contra = f[f["code"] == "policy-contradiction"]
    assert set(contra["section"]) == {"4; 2.3", "4; 2.4", "4; 2.6", "4; 3", "4; 3.1", "4; 3.2", "4; 3.3"}
    # §2.8 discloses to the authorities under a legal obligation: the exception of §4 applies.
    assert not contra["section"].str.contains("2.8").any()
    msg = contra.set_index("section").at["4; 2.3", "message"]
    assert "DAS Incasso" in msg and "Invoices" in msg and msg.startswith("§4 says")
    assert (contra["severity"].astype(str) == "high").all()
    assert contra["evidence"].str.contains("s4-1").all()


def test_pro_at_2018_art13_gaps(pro_at_2018):
    _, f = pro_at_2018
    codes = _codes(f)
    assert {"policy-no-retention", "policy-no-legal-basis", "policy-no-complaint-right", "policy-no-dpo-contact",
            "policy-no-transfer-information", "policy-no-controller-contact", "policy-trackers-without-consent",
            "policy-controller-named-inconsistently", "policy-unfinished-list"} <= codes
    by = f.set_index("code")
    assert str(by.at["policy-no-dpo-contact", "severity"]) == "low"  # organisation.yaml: no DPO designated
    assert "mailchimp (US)" in by.at["policy-no-transfer-information", "message"]
    assert by.at["policy-no-legal-basis", "message"].startswith("no legal basis is stated for any of its")
    assert "'PRO-AT'" in by.at["policy-controller-named-inconsistently", "message"]
    assert "'Perf-iT'" in by.at["policy-controller-named-inconsistently", "message"]
    assert set(f.loc[f["code"] == "policy-unfinished-list", "section"]) == {"3.1", "3.2"}
    assert by.at["policy-trackers-without-consent", "section"] == "3; 3.1; 3.2; 3.3"
    missing_rights = set(f.loc[f["code"] == "policy-right-not-stated", "evidence"])
    assert missing_rights == {"right to restriction of processing", "right to data portability", "right to object"}
    assert (f["policy_version"] == "2018-05-24").all() and (f["area"] == "policy").all()


def test_pro_at_2026_fixes_some_gaps_and_keeps_the_contradictions(pro_at_2026):
    _, f = pro_at_2026
    codes = _codes(f)
    assert not {"policy-no-retention", "policy-no-complaint-right", "policy-trackers-without-consent",
                "policy-controller-named-inconsistently", "policy-unfinished-list"} & codes
    assert "policy-retention-incomplete" in codes
    contra = set(f.loc[f["code"] == "policy-contradiction", "section"])
    assert {"4; 2.3", "4; 2.4", "4; 2.6", "4; 1.2"} <= contra
    # §2.1 "our ticket system, which Freshworks hosts for us": a processor the disclosure presents
    # as one, which §4's "anyone" is not read as reaching (issue 16: the same entity)
    assert "4; 2.1" not in contra
    # Trackers now run only after the cookie banner's "accept": consent, but not the
    # *explicit* consent §4 promises, so §4 still contradicts §3 (shared/policies/pro-at/README.md).
    assert {"4; 3", "4; 3.1", "4; 3.2"} <= contra
    assert "4; 2.8" not in contra          # disclosure to the authorities is §4's other exception


def test_explicit_consent_is_met_only_by_explicit_consent():
    from types import SimpleNamespace

    from ropa.checks.policy import exception_met
    from ropa.core.taxonomy import default_taxonomy

    tax = default_taxonomy()

    def pos(consent, condition="", quote="", bases=()):
        return SimpleNamespace(consent=consent, condition=condition, quote=quote, legal_bases=list(bases),
                               purposes=[], recipients=["third_party"])

    banner = pos(True, quote="We only place them after you accept them in the cookie banner.")
    assert exception_met(tax, ["consent"], banner)
    assert not exception_met(tax, ["explicit_consent"], banner)
    assert exception_met(tax, ["explicit_consent"], pos(True, condition="with your explicit consent"))
    assert exception_met(tax, ["explicit_consent"], pos(False, bases=["art9_2_a"]))


def test_extraction_alone_finds_the_same_contradictions():
    pol = extract_policy(SHARED / "policies" / "pro-at" / "2018-05-24.txt")
    f = check_policy(pol)
    contra = set(f.loc[f["code"] == "policy-contradiction", "section"])
    assert {"4; 2.3", "4; 2.4", "4; 2.6", "4; 3.1", "4; 3.2", "4; 3.3"} <= contra
    assert "4; 2.8" not in contra


def test_ropa_check_includes_the_policy_findings(pro_at, pro_at_2018):
    pol, _ = pro_at_2018
    findings = ropa.check(pro_at, pol, as_of=AS_OF)
    assert list(findings.columns) == list(ropa.FINDING_COLUMNS)
    policy = findings[findings["area"] == "policy"]
    assert "policy-contradiction" in set(policy["code"])
    assert policy["subject"].str.startswith("policy 2018-05-24").all()


def test_every_policy_code_has_a_failing_policy():
    files = {p.name.split(".")[0] for p in FAILING.glob("*.md")}
    # Codes about loading a reviewed flows file have theirs in the hostile corpus.
    files |= {p.name.split(".")[0] for p in HOSTILE_POLICY.glob("policy-*.flows.yaml")}
    assert set(POLICY_CODES) == files


@pytest.mark.parametrize("code", sorted(set(POLICY_CODES) - LOADING_CODES))
def test_failing_policy_reports_its_code(code, small_register):
    path = next(FAILING.glob(f"{code}*.md"))
    pol = extract_policy(path)
    findings = check_policy(pol, register=small_register if code in NEEDS_REGISTER else None)
    hits = findings[findings["code"] == code]
    assert len(hits), (code, sorted(_codes(findings)))
    assert (hits["policy_version"] == pol.version).all()
    assert hits["message"].str.len().gt(0).all()
    assert not hits["message"].str.contains(r"\{|\}|None|nan").any(), hits["message"].tolist()


def test_clean_policy_has_no_findings():
    pol = extract_policy(POLICIES / "clean" / "2025-05-01.md")
    findings = check_policy(pol)
    assert findings.empty, findings[["code", "message"]].values.tolist()


def test_dpo_contact_severity_depends_on_the_register(small_register):
    pol = extract_policy(FAILING / "policy-no-dpo-contact.md")
    alone = check_policy(pol)
    with_reg = check_policy(pol, register=small_register)
    sev = lambda f: str(f.set_index("code").at["policy-no-dpo-contact", "severity"])  # noqa: E731
    assert sev(alone) == "high" and sev(with_reg) == "low"


def test_register_bases_decide_which_rights_apply(small_register):
    pol = extract_policy(FAILING / "policy-right-not-stated.md")
    alone = set(check_policy(pol).query("code == 'policy-right-not-stated'")["evidence"])
    with_reg = set(check_policy(pol, register=small_register).query("code == 'policy-right-not-stated'")["evidence"])
    assert "right to data portability" in alone and "right to data portability" in with_reg  # art6_1_b
    assert "right to object" in with_reg  # art6_1_f
    assert not any("withdraw" in e for e in alone | with_reg)  # nothing rests on consent


# -- the contradiction rules on hand-built statements ------------------------------------------------


def _policy(*statements: dict) -> Policy:
    recs = []
    for i, s in enumerate(statements, start=1):
        rec = {"statement_id": f"s{s.get('section', '1')}-{i}", "section": "1", "actor": "we", "quote": "q",
               "line": i, "origin": "reviewed", **s}
        recs.append(rec)
    sections = sections_frame([{"number": s, "title": s} for s in sorted({r["section"] for r in recs})])
    return Policy(version="2025-01-01", sections=sections, statements=statements_frame(recs),
                  meta={"controller": ["Shop"], "contacts": [], "stated_date": "2025-01-01"}, origin="reviewed")


NEVER = {"section": "4", "action": "not_share", "data_categories": ["user"], "recipients": ["third_party"],
         "exceptions": ["consent", "legal_obligation"],
         "quote": "We do not share personal data with anyone unless you consent or the law requires it."}


def _contradictions(*positive: dict) -> set[str]:
    f = check_policy(_policy(NEVER, *positive))
    return set(f.loc[f["code"] == "policy-contradiction", "section"])


def test_sharing_with_a_processor_contradicts_a_blanket_denial():
    assert _contradictions({"section": "2", "action": "share", "data_categories": ["user.contact.email"],
                            "recipients": ["vendor:mailchimp"]}) == {"4; 2"}


def test_a_contradiction_needs_the_same_entity_as_the_negation_reaches_it():
    # issue 16: a processor acting on our behalf is not the third party "we do not share"
    # speaks of; "anyone" reaches it unless the disclosure presents it as a processor; "we do
    # not sell or rent" contradicts no disclosure; the finding states the reading taken
    mailchimp = {"section": "2", "action": "share", "data_categories": ["user.contact.email"],
                 "recipients": ["vendor:mailchimp"]}
    third = {**NEVER, "quote": "We do not share your personal data with third parties."}
    sale = {**NEVER, "quote": "We do not rent or sell your personal data to third parties."}
    for negation, expected in ((third, set()), (sale, set()), (NEVER, {"4; 2"})):
        f = check_policy(_policy(negation, mailchimp))
        assert set(f.loc[f["code"] == "policy-contradiction", "section"]) == expected, negation["quote"]
    presented = {**mailchimp, "quote": "Our service providers send the newsletter on our behalf."}
    assert _contradictions(presented) == set()
    # a third party deciding its own purposes is reached by every reading but the sale
    partner = {**mailchimp, "recipients": ["third_party.business_partner"]}
    f = check_policy(_policy(third, partner))
    contra = f[f["code"] == "policy-contradiction"]
    assert list(contra["section"]) == ["4; 2"]
    assert "read as about third parties deciding their own purposes, not processors" in contra.iloc[0]["evidence"]


def test_disclosure_to_an_authority_under_a_legal_obligation_meets_the_exception():
    lawful = {"section": "2", "action": "share", "data_categories": ["user"], "recipients": ["third_party.public_authority"],
              "purposes": ["third_party_sharing.legal_obligation"]}
    assert _contradictions(lawful) == set()
    # The same purpose does not make a processor an authority.
    assert _contradictions({**lawful, "recipients": ["vendor:stripe"]}) == {"4; 2"}
    # Nor does an authority without a legal obligation.
    assert _contradictions({**lawful, "purposes": ["essential.fraud_detection"]}) == {"4; 2"}


def test_consent_meets_the_consent_exception_only_where_it_is_stated():
    tracker = {"section": "3", "action": "track", "data_categories": ["user.device.cookie"],
               "recipients": ["vendor:hotjar"]}
    assert _contradictions(tracker) == {"4; 3"}
    assert _contradictions({**tracker, "consent": True}) == set()
    no_consent_exception = {**NEVER, "exceptions": ["legal_obligation"]}
    f = check_policy(_policy(no_consent_exception, {**tracker, "consent": True}))
    assert "policy-contradiction" in set(f["code"])


def test_a_narrower_negative_is_an_exception_not_a_contradiction():
    positive = {"section": "2", "action": "share", "data_categories": ["user"], "recipients": ["vendor:mailchimp"]}
    narrow = {"section": "4", "action": "not_share", "data_categories": ["user.contact.email"],
              "recipients": ["third_party"]}
    f = check_policy(_policy(narrow, positive))
    assert "policy-contradiction" not in set(f["code"])


def test_data_and_entities_must_both_overlap():
    other_data = {"section": "2", "action": "share", "data_categories": ["user.contact.email"],
                  "recipients": ["vendor:mailchimp"]}
    narrow_neg = {"section": "4", "action": "not_share", "data_categories": ["user.financial"],
                  "recipients": ["third_party"]}
    assert "policy-contradiction" not in set(check_policy(_policy(narrow_neg, other_data))["code"])
    internal = {"section": "2", "action": "use", "data_categories": ["user"], "recipients": ["we.internal"]}
    assert _contradictions(internal) == set()


def test_not_collect_against_collect():
    denial = {"section": "3", "action": "not_collect", "actor": "vendor:hotjar", "recipients": ["vendor:hotjar"],
              "data_categories": ["user.content.private"]}
    heatmaps = {"section": "3", "action": "track", "data_categories": ["user.behavior"], "recipients": ["vendor:hotjar"],
                "consent": True}
    assert "policy-contradiction" not in set(check_policy(_policy(denial, heatmaps))["code"])
    we_deny = {"section": "2", "action": "not_collect", "data_categories": ["user.demographic.date_of_birth"]}
    we_collect = {"section": "1", "action": "collect", "data_categories": ["user.demographic.date_of_birth"],
                  "recipients": ["we"]}
    f = check_policy(_policy(we_deny, we_collect))
    assert set(f.loc[f["code"] == "policy-contradiction", "section"]) == {"2; 1"}


def test_findings_name_the_text_file(pro_at_2018):
    pol, f = pro_at_2018
    assert f["file"].map(lambda v: Path(v).name).eq("2018-05-24.txt").all()
    rows = f.loc[f["code"] == "policy-contradiction", "row"]
    assert rows.notna().all()
    assert pol.meta["source"].endswith("2018-05-24.txt")
