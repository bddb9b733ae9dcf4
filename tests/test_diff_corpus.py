"""Policy diffs on the corpus's real pairs of consecutive versions (../shared/corpus/diffs), scored
as benchmarks/extraction.py scores them: material items found, not-material edits reported as
material, stated dates read. The floors are the figures reached; the issue's target, where not
reached, is an expected failure that passes once it is."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"

pytestmark = pytest.mark.skipif(not (CORPUS / "diffs").is_dir(), reason="the corpus (../shared/corpus) is not here")


def _benchmark():
    spec = importlib.util.spec_from_file_location("extraction_benchmark", ROOT / "benchmarks" / "extraction.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def scores():
    rows = _benchmark().diff_scores(CORPUS)
    assert len(rows) == 7, [r["pair"] for r in rows]
    return {r["pair"].split("-")[0]: r for r in rows}


def test_no_edit_that_is_not_material_is_reported_as_material(scores):
    assert {k: r["wrong"] for k, r in scores.items() if r["wrong"]} == {}


def test_every_stated_date_is_read(scores):
    assert sum(r["dates"] for r in scores.values()) == sum(r["dates_total"] for r in scores.values()) == 14


def test_subprocessor_tables_are_diffed_row_by_row(scores):
    # added and removed rows, and Zendesk's narrowed role, are all found, with nothing else reported
    assert (scores["w3schools"]["found"], scores["w3schools"]["unexpected"]) == (7, 0)
    assert scores["ipinfo"]["found"] >= 10


def test_material_changes_found_floor(scores):
    found = sum(r["found"] for r in scores.values())
    material = sum(r["material"] for r in scores.values())
    assert material == 37
    # 24 on main before issue 17's extraction work merged; with it, telegram gains one item and
    # nordvpn loses two (the recorded-call paragraph now reads as a use and a collection of the
    # phone number, and the diff no longer reports the call recordings and the call-back as
    # added): 23, to be won back in the diff pairing, not by reading the text worse. Telegram's
    # narrowed promises read as negations (no data mined, sponsored messages not user content): 26.
    # Purposes of named data, targeting "based on" data, inline cases of a consent ground and
    # a widened sentence: 32. One of those 32 was nordvpn's call content credited through a
    # wrong "new data subject: Consultants" row; that row is gone and the item is found through
    # a data-category row. With the extraction that reads "only with your prior consent" on the
    # call paragraph, the consent change is reported there (new line 49), not at the consent
    # ground's "iii) to record your call" (line 80): 31. A processing added to those done on
    # consent is a consent change of its own (line 80 again): 32.
    assert found >= 32, {k: r["missed"] for k, r in scores.items()}


def test_material_changes_found_target(scores):
    """Issue 17's target: 85% of the material items (32 of 37)."""
    found = sum(r["found"] for r in scores.values())
    assert found >= 0.85 * sum(r["material"] for r in scores.values())
