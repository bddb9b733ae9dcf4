"""Ids that differ only by characters that show as nothing are the same id."""

from __future__ import annotations

import ropa
from tests.conftest import AS_OF
from tests.hostile.tables import CLEAN, DATED, TABLES, check, register_with


def test_ids_differing_by_invisible_characters_are_duplicates(tmp_path):
    # C1 and "C\u200b1" look the same; "P\u202e1" holds a right-to-left override
    folder = register_with(tmp_path, "invisible-ids.csv")
    reg = ropa.load_register(folder)
    assert reg.activities["activity_id"].tolist() == ["C1", "C\u200b1", "P\u202e1"]
    found = ropa.check_register(reg, as_of=AS_OF)
    dup = found[found["code"] == "duplicate-activity-id"]
    assert sorted(dup["row"]) == [2, 3]
    assert all("rows 2, 3" in e and "invisible" in e for e in dup["evidence"])
    hidden = found[found["code"] == "invisible-character-in-id"].sort_values("row")
    assert hidden["row"].tolist() == [3, 4]
    assert "U+200B ZERO WIDTH SPACE at character 2" in hidden["evidence"].iloc[0]
    assert "U+202E RIGHT-TO-LEFT OVERRIDE" in hidden["evidence"].iloc[1]
    assert set(hidden["file"]) == {str(folder / "activities.csv")}
    result = check("check", folder, *DATED, "--format", "json")
    assert result.exit_code == 1, result.output  # a duplicate id is high
    assert "invisible-character-in-id" in result.output


def test_compatibility_forms_are_the_same_id(tmp_path):
    # full-width "Ｃ１" is C1 in Unicode's NFKC form
    text = (TABLES / "invisible-ids.csv").read_text(encoding="utf-8")
    folder = register_with(tmp_path, text.replace("C\u200b1", "\uff23\uff11").encode("utf-8"))
    found = ropa.check_register(ropa.load_register(folder), as_of=AS_OF)
    assert sorted(found.loc[found["code"] == "duplicate-activity-id", "row"]) == [2, 3]


def test_recipient_ids_are_compared_the_same_way(tmp_path):
    folder = register_with(tmp_path, CLEAN / "activities.csv")
    recipients = folder / "recipients.csv"
    recipients.write_text(recipients.read_text(encoding="utf-8") + "mai\u200bler,Mailer again,,processor,"
                          "third_party.service_provider.email_marketing,NL,,DPA-3,\n", encoding="utf-8")
    found = ropa.check_register(ropa.load_register(folder), as_of=AS_OF)
    assert set(found.loc[found["code"] == "duplicate-recipient-id", "recipient_id"]) == {"mailer", "mai\u200bler"}
    assert found.loc[found["code"] == "invisible-character-in-id", "recipient_id"].tolist() == ["mai\u200bler"]
