"""Property tests: parsing and extraction never fail on any text, and the flows file is stable
under extract → write → load → write."""

from __future__ import annotations

import tempfile
import unicodedata
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

import ropa
from ropa.checks.policy import check_policy
from ropa.policy.extract import extract
from ropa.policy.load import extract_policy
from ropa.policy.model import ACTIONS, SECTION_COLUMNS, STATEMENT_COLUMNS, UNMAPPED_COLUMNS
from ropa.policy.parse import parse
from ropa.policy.vendors import entity_taxonomy, vendors

TAX = ropa.default_taxonomy()
ETAX = entity_taxonomy(TAX)

_PHRASES = sorted(TAX.synonyms("data_category"))[:200] + sorted(TAX.synonyms("data_use"))[:120]
_VENDORS = vendors()["name"].tolist()
_CUES = ["We collect", "We ask you for", "We share", "We do not share", "We never sell", "We use",
         "We keep", "is deleted after two years", "You have the right to", "unless you consent",
         "only after you accept", "when you place an order", "Last updated: 1 March 2025", "the following:",
         "with anyone", "for seven years", "Hotjar does not record", "in the United States"]


def _sentence() -> st.SearchStrategy[str]:
    word = st.sampled_from(_PHRASES + _VENDORS + _CUES)
    return st.lists(word, min_size=1, max_size=8).map(lambda ws: " ".join(ws) + ".")


def _line() -> st.SearchStrategy[str]:
    title = st.lists(st.sampled_from(["Data", "Sharing", "Cookies", "Rights", "Billing", "Who we are"]),
                     min_size=1, max_size=3).map(" ".join)
    number = st.lists(st.integers(1, 12), min_size=1, max_size=3).map(lambda ns: ".".join(map(str, ns)) + ".")
    cell = st.sampled_from([*_VENDORS, "Payment processing", "Hosting", "Germany", "United States", "", "EU"])
    return st.one_of(
        _sentence(),
        st.builds(lambda n, t: f"{n}  {t}", number, title),
        st.builds(lambda h, t: f"{h} {t}", st.sampled_from(["#", "##", "###"]), title),
        _sentence().map(lambda s: f"- {s}"),
        _sentence().map(lambda s: f"  • {s}"),
        st.lists(cell, min_size=1, max_size=4).map(lambda cs: "| " + " | ".join(cs) + " |"),
        st.just("|---|---|---|"),
        st.sampled_from(["<p>", "</p>", "<ul><li>your name</li>", "<table><tr><td>Stripe</td>", "=====", "---"]),
        st.just(""),
        st.text(max_size=40),
    )


policy_texts = st.one_of(st.text(max_size=300), st.lists(_line(), max_size=30).map("\n".join))


@given(policy_texts)
def test_parsing_and_extraction_never_fail(text):
    doc = parse(text)
    numbers = [s.number for s in doc.sections]
    assert len(numbers) == len(set(numbers)) or all(n for n in numbers)
    res = extract(text)
    assert list(res.sections.columns) == list(SECTION_COLUMNS)
    assert list(res.statements.columns) == list(STATEMENT_COLUMNS)
    assert list(res.unmapped.columns) == UNMAPPED_COLUMNS
    st_ = res.statements
    assert st_["action"].isin(ACTIONS).all()
    assert set(st_["section"]) <= set(res.sections["number"])
    n_lines = max(1, text.replace("\r\n", "\n").replace("\r", "\n").count("\n") + 1)
    assert st_["line"].dropna().between(1, n_lines).all()
    assert st_["statement_id"].is_unique
    for col, kind in (("data_categories", "data_category"), ("purposes", "data_use"), ("data_subjects", "data_subject")):
        keys = sorted({k for ks in st_[col] for k in ks})
        assert TAX.known(kind, keys).all(), (col, keys)
    recips = sorted({k for ks in st_["recipients"] for k in ks} - {"we"})
    assert all(ETAX.known("recipient", [r])[0] or r.startswith("vendor:") for r in recips)
    findings = check_policy(ropa.Policy(version="2025-01-01", sections=res.sections, statements=st_, meta=res.meta,
                                        unmapped=res.unmapped, text=text))
    assert list(findings.columns) == list(ropa.FINDING_COLUMNS)


@given(policy_texts)
def test_extract_write_load_write_is_stable(text):
    # Loading the flows file reads the text from its file, and a file full of control
    # characters is refused as "not text" (binary garbage); a text file holds none.
    text = "".join(c for c in text if c in "\t\n\r" or unicodedata.category(c) != "Cc")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        src = folder / "2025-01-01.md"
        src.write_text(text, encoding="utf-8", newline="")
        pol = extract_policy(src, text=src.read_text(encoding="utf-8"))
        first = ropa.write_flows(pol, folder / "first.flows.yaml")
        loaded = ropa.load_policy(first)
        second = ropa.write_flows(loaded, folder / "second.flows.yaml")
        assert second.read_bytes() == first.read_bytes()
        a = pol.statements.drop(columns=["origin", "section_title"]).to_dict("records")
        b = loaded.statements.drop(columns=["origin", "section_title"]).to_dict("records")
        assert a == b
