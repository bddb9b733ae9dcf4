"""Policy diffs on small texts written for each rule: stated dates, sentences paired across
versions, sub-processor tables diffed row by row."""

from __future__ import annotations

import pytest

from ropa.policy.facts import stated_date


@pytest.mark.parametrize(("text", "date"), [
    ("Last updated: 2025.05.19", "2025-05-19"),
    ("Some text.\n\nLast revised APRIL-2024\n", "2024-04"),
    ("# Privacy\n\nUpdated August 2026\n\nWe collect your email address.", "2026-08"),
    ("_Effective: 13 July 2026_", "2026-07-13"),
    ("Privacy Policy\n==============\n\nMay 9, 2023\n\nWe collect your name.", "2023-05-09"),
    # a month alone in running prose is not the policy's date
    ("As of June 2024, creators are able to offer paid access to their channels.", None),
    # an impossible day is not read as a month
    ("Last updated: 31 February 2025", None),
    # a date in the prose further down is not a heading date
    ("# Notice\n\nWe collect your name.\n\nMore text.\n\nAnd more.\n\nYet more.\n\nMay 9, 2023", None),
])
def test_stated_date_formats(text, date):
    assert stated_date(text) == date


def test_the_newest_changelog_entry_is_the_date():
    text = ("# Policy\n\nWe collect your name.\n\n## 11. Changes to this Privacy Policy\n\n"
            "We may update this policy.\n\n**March 25, 2019**\n\n* Expanded 10.2.\n\n"
            "**August 21, 2026**\n\n* Updated 5.6.\n\n**February 3, 2023**\n\n* Fixed a typo.\n\n"
            "## 12. Further information\n\n**December 1, 2030**\n")
    assert stated_date(text) == "2026-08-21"
    # without a changelog heading the dated lines are not the policy's date
    assert stated_date(text.replace("Changes to this Privacy Policy", "Miscellaneous")) is None
