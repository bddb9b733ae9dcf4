"""A key given twice in activities.yaml or recipients.yaml: YAML keeps the last value; ropa says so."""

from __future__ import annotations

import json

import yaml

import ropa
from tests.hostile.tables import DATED, IDS, check, findings, register_with


def test_a_key_given_twice_in_an_activity_is_reported(tmp_path):
    folder = register_with(tmp_path, "duplicate-key.yaml", "activities.yaml")
    reg = ropa.load_register(folder)
    assert reg.activities["activity_id"].tolist() == IDS
    assert reg.activities.loc[30, "name"] == "Newsletter (old)"  # rows are numbered by their line
    dup = findings(reg, "duplicate-key")
    assert dup[["file", "row", "column", "severity"]].values.tolist() == [
        [str(folder / "activities.yaml"), 32, "activities[1].name", "medium"]]
    assert "also given on line 31 ('Newsletter'); the value on line 32 is used" in dup["evidence"][0]
    result = check("check", folder, *DATED, "--format", "json", "--fail-on", "medium")
    assert result.exit_code == 1
    assert any(f["code"] == "duplicate-key" and f["row"] == 32 for f in json.loads(result.output))


def test_a_list_given_twice_names_the_rows_it_lost(tmp_path):
    folder = register_with(tmp_path, "duplicate-list.yaml", "activities.yaml")
    reg = ropa.load_register(folder)
    assert reg.activities["activity_id"].tolist() == ["P1"]
    dup = findings(reg, "duplicate-key")
    assert dup[["row", "column", "severity"]].values.tolist() == [[58, "activities", "high"]]
    assert "a list of 2 (C1, C2)" in dup["evidence"][0] and "line 1;" in dup["evidence"][0]
    assert reg.activities.index.tolist() == [59]  # the line of the kept item, not of the dropped one
    assert check("check", folder, *DATED).exit_code == 1


def test_recipients_yaml_is_read_the_same_way(tmp_path):
    folder = register_with(tmp_path, "tab-separated.csv")
    (folder / "recipients.csv").unlink()
    recipients = [{"id": "mailer", "name": "Mailer B.V.", "kind": "processor",
                   "category": "third_party.service_provider.email_marketing", "country": "NL",
                   "contract_reference": "DPA-1"},
                  {"id": "crm", "name": "CRM Inc.", "kind": "processor", "category": "third_party.service_provider.crm",
                   "country": "US", "transfer_safeguard": "dpf", "contract_reference": "DPA-2"}]
    text = yaml.safe_dump({"recipients": recipients}, sort_keys=False)
    text = text.replace("  country: US\n", "  country: US\n  country: NL\n", 1)
    (folder / "recipients.yaml").write_text(text, encoding="utf-8")
    reg = ropa.load_register(folder)
    assert reg.recipients["recipient_id"].tolist() == ["mailer", "crm"]
    assert reg.recipients["country"].tolist() == ["NL", "NL"]
    dup = findings(reg, "duplicate-key")
    assert dup["column"].tolist() == ["recipients[1].country"] and "('US'); the value" in dup["evidence"][0]
