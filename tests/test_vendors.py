"""The built-in vendor list (ropa/taxonomy/vendors.yml) is well formed.

Every entry of ``vendors`` and ``ambiguous_vendors``: a known recipient category, a unique
kebab-case key, no name or alias shared with another vendor (compared as
``core.names.normalise_name`` compares them), an ISO 3166 alpha-2 country or none.
"""

from __future__ import annotations

import re
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pycountry
import pytest
import yaml

import ropa
from ropa.core.names import normalise_name, vendor_records

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def data() -> dict:
    text = resources.files("ropa.taxonomy").joinpath("vendors.yml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


@pytest.fixture(scope="module")
def entries(data) -> list[dict]:
    return [*data["vendors"], *(data.get("ambiguous_vendors") or [])]


def test_fields_and_categories(entries):
    categories = set(ropa.default_taxonomy().keys("recipient"))
    assert len(entries) > 500
    for e in entries:
        assert {"key", "name", "aliases", "category", "tracker"} <= set(e), e
        assert e["category"] in categories, e
        assert isinstance(e["tracker"], bool), e
        assert isinstance(e["aliases"], list), e
        assert isinstance(e["name"], str) and e["name"].strip() == e["name"] and e["name"], e


def test_keys_unique_and_kebab_case(entries):
    keys = [e["key"] for e in entries]
    assert len(keys) == len(set(keys))
    for key in keys:
        assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", key), key


def test_no_name_or_alias_names_two_vendors(entries):
    owner: dict[str, str] = {}
    for e in entries:
        for phrase in {normalise_name(p) for p in [e["name"], *e["aliases"]]}:
            assert phrase, e
            assert owner.setdefault(phrase, e["key"]) == e["key"], (phrase, owner[phrase], e["key"])


def test_countries_are_iso_codes(entries):
    for e in entries:
        country = e.get("country")
        if country is not None:
            assert re.fullmatch(r"[A-Z]{2}", country) and pycountry.countries.get(alpha_2=country), e


def test_ambiguous_names_are_kept_apart(data):
    assert all(e.get("ambiguous") is True for e in data.get("ambiguous_vendors") or [])
    # generated entries in `vendors` are safe to match anywhere; only hand-curated ones
    # (no `source`) may carry the flag there
    assert not [e["key"] for e in data["vendors"] if e.get("source") and e.get("ambiguous")]
    names = {normalise_name(e["name"]) for e in data["vendors"]}
    for word in ("segment", "drift", "box", "indeed", "medium", "providesupport"):
        assert word not in names


def test_extraction_reads_the_matchable_list(data):
    assert len(vendor_records()) == len(data["vendors"])
    assert {"hotjar", "mailgun", "gandi", "chargebee"} <= {v["key"] for v in vendor_records()}


@pytest.mark.skipif(not Path("/usr/share/dict/words").exists(), reason="needs Debian's wamerican word list")
def test_file_is_what_the_build_gives():
    run = subprocess.run([sys.executable, str(ROOT / "tools" / "build_vendors.py"), "--check"],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


@pytest.mark.skipif(not Path("/usr/share/dict/words").exists(), reason="needs Debian's wamerican word list")
def test_ordinary_words_file_is_what_the_build_gives():
    run = subprocess.run([sys.executable, str(ROOT / "tools" / "build_words.py"), "--check"],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


def test_app_stores_are_named_recipients(tmp_path):
    path = tmp_path / "policy.md"
    path.write_text("# Purchases\n\nWhen you subscribe in our app, your payment details are processed by "
                    "Apple's App Store or by the Google Play Store, not by us.\n", encoding="utf-8")
    named = {r for rs in ropa.load_policy(path).statements["recipients"] for r in rs}
    assert {"vendor:apple-app-store", "vendor:google-play"} <= named
