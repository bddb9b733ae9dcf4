"""Fides manifests: a folder of systems and the organization in, the register out, and back."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

import ropa
from ropa.register.columns import ACTIVITY_COLUMNS, UNMAPPED_COLUMN
from ropa.register.fides import load_fides, looks_like_fides, write_fides
from tests.conftest import AS_OF, DATA, PRO_AT

SHOP = DATA / "fides" / "shop"

#: Activity fields a Fides manifest holds in its own fields (no meta needed).
NATIVE_FIELDS = ("name", "business_function", "role", "purposes", "purpose_description", "lawful_basis",
                 "lia_reference", "data_subjects", "data_categories", "special_categories", "art9_condition",
                 "recipients", "transfer_safeguards", "retention", "security_measures", "dpia",
                 "automated_decision_making")


@pytest.fixture(scope="module")
def shop():
    return ropa.load_register(SHOP)


def test_folder_is_recognised():
    assert looks_like_fides(SHOP)
    assert not looks_like_fides(PRO_AT)
    assert not looks_like_fides(SHOP / "organization.yml")


def test_every_declaration_becomes_an_activity(shop):
    acts = shop.activities.set_index("activity_id")
    assert sorted(acts.index) == ["hr_system.payroll_and_sick_leave", "web_analytics.visit_statistics",
                                  "webshop.newsletter", "webshop.orders_and_payment"]
    orders = acts.loc["webshop.orders_and_payment"]
    assert orders["purposes"] == ["essential.service.payment_processing"]
    assert orders["lawful_basis"] == ["art6_1_b"]
    assert orders["data_subjects"] == ["customer"]
    assert "user.loyalty_points" in orders["data_categories"]
    assert orders["recipients"] == ["payment_provider", "third_party.public_authority.tax_authority",
                                    "third_party.professional_adviser"]
    assert (orders["retention"], orders["systems"], orders["source"]) == ("P7Y", ["Webshop"], ["data_subject"])
    assert orders["security_measures"] == ["TLS everywhere", "Role-based access control", "Daily encrypted backups"]
    assert orders["business_function"] == "E-commerce"
    news = acts.loc["webshop.newsletter"]
    assert (news["lawful_basis"], news["retention"], news["recipients"]) == (["art6_1_a"], "P730D", ["mailchimp"])
    hr = acts.loc["hr_system.payroll_and_sick_leave"]
    assert hr["art9_condition"] == ["art9_2_b"] and hr["special_categories"] == ["health"]
    assert (hr["retention"], hr["retention_trigger"], hr["dpia"]) == ("P7Y", "the end of employment", "in_progress")
    stats = acts.loc["web_analytics.visit_statistics"]
    assert stats["transfer_countries"] == ["US"] and stats["transfer_safeguards"] == ["scc"]
    assert stats["lia_reference"] == "https://wiki.canalshop.example/lia/analytics"


def test_organization_and_recipients(shop):
    org = shop.organisation
    assert org["controller"]["email"] == "privacy@canalshop.example"
    assert org["dpo"] == {"name": "Sanne de Vries", "email": "dpo@canalshop.example"}
    rec = shop.recipients.set_index("recipient_id")
    assert rec.loc["mailchimp", ["country", "transfer_safeguard", "category"]].tolist() == [
        "US", "scc", "third_party.service_provider.email_marketing"]
    assert rec.loc["mailchimp", "aliases"] == ["The Rocket Science Group LLC"]
    assert rec.loc["payment_provider", "country"] == "NL"
    assert shop.taxonomy.is_under("data_category", "user.loyalty_points", "user")


def test_nothing_in_the_manifests_is_dropped_silently(shop):
    f = shop.load_findings
    fields = f[f["code"] == "unmapped-field"]
    assert {"system.uses_cookies", "system.cookie_max_age_seconds", "privacy_declaration.features"} <= set(
        fields["column"])
    news = shop.activities.set_index("activity_id").loc["webshop.newsletter", UNMAPPED_COLUMN]
    assert "system.uses_cookies: True" in news and "Personalised subject lines" in news
    assert set(f.loc[f["code"] == "part-not-imported", "evidence"]) == {
        "dataset 'shop_db'", "system 'old_crm' (no privacy declarations, and nothing sends it data)"}
    assert all(f["file"].str.contains("fides/shop")) and f["row"].notna().all()


def test_loaded_register_yields_the_article30_record(shop):
    record = ropa.article30(shop)
    assert sorted(record["activity_id"]) == sorted(shop.activities["activity_id"])
    row = record.set_index("activity_id").loc["web_analytics.visit_statistics"]
    assert "United States" in row["transfers"]
    findings = ropa.check(shop, as_of=AS_OF)
    assert "transfer-without-safeguard" in set(findings["code"])  # Statly, US, no safeguard recorded


def test_invalid_resource_is_reported_and_the_rest_loads(tmp_path: Path):
    import shutil

    shutil.copytree(SHOP, tmp_path / "shop")
    (tmp_path / "shop" / "systems" / "broken.yml").write_text(
        "system:\n  - fides_key: broken\n    name: Broken\n    privacy_declarations: []\n", encoding="utf-8")
    reg = ropa.load_register(tmp_path / "shop")
    bad = reg.load_findings[reg.load_findings["code"] == "invalid-manifest"]
    assert len(bad) == 1 and "system_type" in bad.iloc[0]["evidence"] and bad.iloc[0]["row"] == 2
    assert len(reg.activities) == 4


def test_yaml_errors_cannot_proceed(tmp_path: Path):
    (tmp_path / "a.yml").write_text("system:\n  - fides_key: x\n   bad: [\n", encoding="utf-8")
    with pytest.raises(ropa.RegisterLoadError, match=r"a\.yml, line"):
        load_fides(tmp_path)


def test_pro_at_round_trip_keeps_every_field(pro_at, tmp_path: Path):
    out = write_fides(pro_at, tmp_path / "fides")
    back = ropa.load_register(out)
    cols = list(ACTIVITY_COLUMNS)
    pd.testing.assert_frame_equal(pro_at.activities.reset_index(drop=True)[cols],
                                  back.activities.reset_index(drop=True)[cols])
    pd.testing.assert_frame_equal(pro_at.recipients.reset_index(drop=True), back.recipients.reset_index(drop=True))
    assert back.organisation["controller"] == pro_at.organisation["controller"]
    assert back.load_findings.empty


def test_pro_at_round_trip_without_meta_keeps_the_fides_fields(pro_at, tmp_path: Path):
    out = write_fides(pro_at, tmp_path / "fides")
    manifest = yaml.safe_load((out / "systems.yml").read_text(encoding="utf-8"))
    for system in manifest["system"]:
        system.pop("meta", None)
    (out / "systems.yml").write_text(yaml.safe_dump(manifest), encoding="utf-8")
    back = load_fides(out, taxonomy=pro_at.taxonomy)
    a = pro_at.activities.reset_index(drop=True)
    b = back.activities.reset_index(drop=True)
    assert b["activity_id"].tolist() == [f"{i}.{n}" for i, n in zip(
        a["activity_id"], a["name"].str.lower().str.replace(r"[^a-z0-9]+", "_", regex=True).str.strip("_"),
        strict=True)]
    for col in NATIVE_FIELDS:
        assert a[col].tolist() == b[col].tolist(), col
    assert (b["source"].map(lambda s: "data_subject" in s) == a["source"].map(lambda s: "data_subject" in s)).all()


def test_export_is_valid_for_fideslang(pro_at, tmp_path: Path):
    from fideslang.models import Organization, System

    out = write_fides(pro_at, tmp_path / "fides")
    systems = yaml.safe_load((out / "systems.yml").read_text(encoding="utf-8"))["system"]
    parsed = [System.model_validate(s) for s in systems]
    assert len([s for s in parsed if s.privacy_declarations]) == len(pro_at.activities)
    a17 = next(s for s in parsed if s.fides_key == "A17")
    assert {d.data_use for d in a17.privacy_declarations} == {"employment"}
    assert {d.legal_basis_for_processing.value for d in a17.privacy_declarations} == {"Contract", "Legal obligations"}
    assert {d.special_category_legal_basis.value for d in a17.privacy_declarations} == {
        "Employment, social security and social protection"}
    org = yaml.safe_load((out / "organization.yml").read_text(encoding="utf-8"))["organization"][0]
    assert Organization.model_validate(org).controller.name == "PRO-AT B.V."
