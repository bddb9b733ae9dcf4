"""The taxonomy as data: counts, unique keys, parents, and subsumption."""

from __future__ import annotations

import numpy as np
import pytest

import ropa
from ropa import default_taxonomy
from tests.growth import assert_linear


@pytest.fixture(scope="module")
def tax():
    return default_taxonomy()


def test_fideslang_terms_are_read_from_the_package(tax):
    from fideslang import DEFAULT_TAXONOMY

    assert set(tax.keys("data_category")) == {c.fides_key for c in DEFAULT_TAXONOMY.data_category}
    assert set(tax.keys("data_use")) == {u.fides_key for u in DEFAULT_TAXONOMY.data_use}
    assert set(tax.keys("data_subject")) == {s.fides_key for s in DEFAULT_TAXONOMY.data_subject}


def test_keys_unique_and_parents_exist(tax):
    terms = tax.terms
    assert not terms.duplicated(["kind", "key"]).any()
    for kind, group in terms.groupby("kind"):
        keys = set(group["key"])
        for key, parents in zip(group["key"], group["parents"], strict=True):
            assert set(parents) <= keys, (kind, key, parents)


def test_ropa_kinds_have_their_terms(tax):
    assert tax.keys("legal_basis") == [f"art6_1_{c}" for c in "abcdef"]
    assert tax.keys("art9_condition") == [f"art9_2_{c}" for c in "abcdefghij"]
    assert set(tax.keys("safeguard")) == {"adequacy", "dpf", "scc", "bcr", "art49", "none"}
    assert len(tax.keys("art9_category")) == 8


def test_we_is_never_under_third_party(tax):
    for key in tax.keys("recipient"):
        if key == "we" or key.startswith("we."):
            assert not tax.is_under("recipient", key, "third_party")
    assert not tax.is_under("recipient", "third_party", "we")


def test_multiple_parents(tax):
    key = "third_party.advertising.social_network"
    assert tax.is_under("recipient", key, "third_party.social_network")
    assert tax.is_under("recipient", key, "third_party.advertising")
    assert tax.is_under("recipient", key, "third_party.tracker")
    assert tax.distance("recipient", key, "third_party") == 2


def test_vectorized_queries(tax):
    x = np.array(["user.contact.email", "user.name.first", "nope", "user"])
    assert tax.is_under("data_category", x, "user.contact").tolist() == [True, False, False, False]
    assert tax.distance("data_category", x, "user").tolist() == [2, 2, -1, 0]
    assert tax.depth("data_category", x).tolist() == [2, 2, -1, 0]
    assert tax.ancestors("data_category", "user.contact.email") == ["user.contact", "user"]
    assert tax.path("data_category", "user.contact.email", "user") == ["user.contact.email", "user.contact", "user"]


def test_countries(tax):
    assert tax.is_eea(["NL", "NO", "US", "CH", "GB"]).tolist() == [True, True, False, False, False]
    assert tax.adequacy_scope(["US", "CH", "CN", "GB", "CA"]).tolist() == ["dpf", "all", "", "all", "commercial"]
    assert tax.countries.loc["JP", "adequacy_decided"] == "2019-01-23"
    assert len(tax.countries) >= 249


def test_synonyms_and_suggestions(tax):
    assert tax.lookup("data_category", "E-mail address") == "user.contact.email"
    assert tax.lookup("recipient", "the relevant authorities") == "third_party.public_authority"
    assert tax.suggest("data_category", "user.contact.emial")[0] == "user.contact.email"
    assert tax.label("data_category", "user.contact.email") == "Email address"


def test_organisation_extension(tax, tmp_path):
    ext = tax.extend({"data_category": [{"key": "user.financial.invoice", "parents": ["user.financial"],
                                         "synonyms": ["invoices"]}]})
    assert ext.is_under("data_category", "user.financial.invoice", "user")
    assert ext.lookup("data_category", "Invoices") == "user.financial.invoice"
    assert "user.financial.invoice" not in tax.keys("data_category")
    with pytest.raises(ropa.TaxonomyError, match="unknown parent"):
        tax.extend({"data_category": [{"key": "x.y", "parents": ["user.finance"]}]})
    bad = tmp_path / "taxonomy.yaml"
    bad.write_text("data_category: [\n")
    with pytest.raises(ropa.TaxonomyError, match="line"):
        tax.extend(bad)


def test_register_recipients_become_entities(pro_at):
    tax = pro_at.taxonomy
    assert tax.is_under("recipient", "das-incasso", "third_party.collection_agency")
    assert tax.is_under("recipient", "linkedin", "third_party.advertising")
    assert tax.lookup("recipient", "DAS Incasso B.V.") == "das-incasso"
    assert tax.lookup("recipient", "Google Adwords") == "google-ads"


def test_thousands_of_recipients_become_entities_in_linear_work(tax):
    import pandas as pd

    categories = [k for k in tax.keys("recipient") if k.startswith("third_party.")]

    def book(n):
        return pd.DataFrame({"recipient_id": [f"vendor-{i}" for i in range(n)],
                             "name": [f"Vendor {i} B.V." for i in range(n)],
                             "aliases": [[] for _ in range(n)],
                             "category": [categories[i % len(categories)] for i in range(n)]})

    def entities(n):
        recs = book(n)
        ent = tax.with_entities(recs)
        return ent, ent.is_under("recipient", recs["recipient_id"].to_numpy(), recs["category"].to_numpy())

    # four times the book, under eight times the work (a Python search per term took 2.5 s at 5,000);
    # the small book takes hundredths of a second, so 0.1 s is its noise floor on a busy machine
    # (quadratic work would still cost 16 x 0.06 s = 1 s, over 8 x 0.1 s)
    assert_linear(entities, 5_000, 20_000, repeat=3, floor=0.1)
    n = 5000
    recs = book(n)
    ent, under = entities(n)
    ids = recs["recipient_id"].to_numpy()
    assert under.all()
    assert (ent.depth("recipient", ids) == tax.depth("recipient", recs["category"].to_numpy()) + 1).all()
    assert ent.ancestors("recipient", "vendor-7") == [categories[7], *tax.ancestors("recipient", categories[7])]
    assert set(ent.descendants("recipient", categories[0])) >= {f"vendor-{i}" for i in range(0, n, len(categories))}
    # the kinds it leaves alone are the base's, not built again
    assert ent._h("data_category") is tax._h("data_category")


def test_a_taxonomy_is_not_kept_alive_by_its_caches(tax):
    import gc
    import weakref

    ext = tax.extend({"data_category": [{"key": "user.financial.invoice", "parents": ["user.financial"]}]})
    assert ext.label("data_category", "user.financial.invoice") == "user.financial.invoice"
    assert ext.lookup("data_category", "Email address") == "user.contact.email"
    assert ext.is_under("data_category", "user.financial.invoice", "user")
    gone = weakref.ref(ext)
    del ext
    gc.collect()
    assert gone() is None


def test_one_pair_and_a_few_keys_answer_as_arrays_do(tax):
    # one pair (str, str) and short sequences (lists, numpy arrays) take a path without
    # pandas; they must answer what the vectorised queries answer, unknown keys included
    keys = [*tax.keys("recipient")[:40], "vendor:nobody", ""]
    x = np.array([a for a in keys for _ in keys], dtype=object)
    y = np.array([b for _ in keys for b in keys], dtype=object)
    many = tax.distance("recipient", np.concatenate([x] * 2), np.concatenate([y] * 2))[:len(x)]  # > 64: pandas
    one = [tax.distance("recipient", a, b) for a, b in zip(x, y, strict=True)]
    assert one == many.tolist()
    assert tax.known("recipient", np.array(keys, dtype=object)).tolist() == [k in tax.keys("recipient") for k in keys]
    for a, b in zip(x, y, strict=True):
        chain = tax.path("recipient", a, b)
        assert (chain[0], chain[-1], len(chain) - 1) == (a, b, tax.distance("recipient", a, b)) if chain \
            else tax.distance("recipient", a, b) < 0
