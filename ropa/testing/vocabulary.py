"""What drawn registers are made of: word pools, free text, and the taxonomy's keys sorted
into what a valid activity may use freely and what brings an obligation with it.

In: a :class:`~ropa.core.taxonomy.Taxonomy`. Out: small cached strategies (:func:`pick`,
:func:`key_lists`, :func:`pool_text`), :class:`Pools`, :func:`taxonomy_keys` and
:func:`misspell` (a near-miss of a key, for ``unknown-taxonomy-key``).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence

import numpy as np
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from ..core.taxonomy import KINDS, Taxonomy, default_taxonomy

__all__ = [
    "ACTIVITY_NAMES", "CRITERIA", "DURATIONS", "FUNCTIONS", "INTERESTS", "INVISIBLE_CHARS",
    "LEGAL_FORMS", "MEASURES", "ORG_NAMES", "OWNERS", "SYSTEMS", "TRIGGERS", "UNKNOWN_HEADINGS",
    "VENDORS", "Pools", "key_lists", "misspell", "nonempty", "pick", "pool_text", "pools_for",
    "taxonomy_keys", "taxonomy_or_default", "text_lists",
]

# -- words --------------------------------------------------------------------------------
# What drawn rows are written with: names, owners, measures, durations, vendors.

ACTIVITY_NAMES = (
    "Newsletter", "Customer accounts", "Billing", "Debt collection", "Payroll",
    "Recruitment", "Customer support tickets", "Web analytics", "Spam filtering",
    "Access control logs", "Supplier management", "Event registrations", "CCTV",
    "Occupational health", "Quotations", "Fraud prevention", "Product delivery",
    "Satisfaction surveys", "Hosting for customers", "Backups for customers",
)
FUNCTIONS = ("Marketing", "Sales", "Finance", "HR", "IT", "Support", "Legal", "Operations", "")
OWNERS = ("Marketing lead", "CFO", "HR manager", "IT manager", "Support lead", "DPO", "")
MEASURES = (
    "encryption at rest", "encryption in transit (TLS)", "role-based access control",
    "two-factor authentication", "daily encrypted backups", "access logging",
    "pseudonymisation", "staff training", "data minimisation", "vulnerability scanning",
)
SYSTEMS = ("CRM", "ERP", "Ticket system", "Mail server", "HR system", "Website", "Data warehouse")
DURATIONS = ("P7Y", "P2Y", "P1Y", "P6M", "P18M", "P30D", "P90D", "PT72H", "P2Y6M", "P10Y")
CRITERIA = (
    "Until the subscriber unsubscribes", "Until the contract ends", "As long as the account exists",
    "Until the claim is settled", "For the statutory period",
)
TRIGGERS = ("end of contract", "last contact", "invoice date", "account closed", "")
INTERESTS = (
    "Keeping our network secure", "Answering questions from customers",
    "Preventing fraud and abuse", "Telling existing customers about similar services",
)
VENDORS = (
    "Mailer", "Cloudy", "Ledger", "Helpdesk", "Metrics", "Payroll Bureau", "Collect",
    "Adverto", "Chatter", "Vault", "Routing", "Courier", "Audit Partners", "Registry",
)
LEGAL_FORMS = ("B.V.", "GmbH", "Ltd", "Inc.", "S.A.", "AB", "")
ORG_NAMES = ("Clinic Example", "Hosting Example", "Example Retail", "Example Foundation", "Acme")
#: Characters that show as nothing, planted in ids (zero-width space, direction marks, an
#: override, an isolate, the byte-order mark, a soft hyphen, a word joiner).
INVISIBLE_CHARS = ("\u200b", "\u200e", "\u200f", "\u202e", "\u2066", "\ufeff", "\u00ad", "\u2060")
UNKNOWN_HEADINGS = ("Internal notes", "Ticket", "Kommentar", "Legacy ref", "Remarks 2019")

# -- free text ----------------------------------------------------------------------------

#: Free text: any printable character, with the odd line break, tab, quote, comma, semicolon.
_CHARS = st.characters(exclude_categories=("Cc", "Cs", "Co", "Cn")) | st.sampled_from(
    ['"', "'", ",", ";", "\n", "\t", "=", "+", "-", "@", " "])
_FREE_TEXT = st.text(_CHARS, min_size=1, max_size=16)
_STRIPPED = _FREE_TEXT.map(str.strip)
_STRIPPED_NO_SEMICOLON = _FREE_TEXT.map(lambda s: s.replace(";", ",").strip())


def pool_text(pool: Sequence[str], *, free: float = 0.25, allow_semicolon: bool = True):
    """A value from ``pool``, or (sometimes) free text, always stripped."""
    return _text_cached(tuple(pool), max(1, round(free * 8)), allow_semicolon)


@functools.lru_cache(maxsize=512)
def _text_cached(pool: tuple[str, ...], weight: int, allow_semicolon: bool):
    free_text = _STRIPPED if allow_semicolon else _STRIPPED_NO_SEMICOLON
    return _weighted(st.sampled_from(pool), free_text, weight)


def _weighted(common, rare, weight: int):
    """``rare`` with probability weight/8, else ``common`` (one strategy, built once)."""
    return st.one_of(*([common] * (8 - weight)), *([rare] * weight))


@functools.lru_cache(maxsize=1024)
def _sample(pool: tuple) -> st.SearchStrategy:
    return st.sampled_from(pool)


def pick(pool: Iterable) -> st.SearchStrategy:
    """``st.sampled_from(pool)``, built once per distinct pool (building strategies is slow)."""
    pool = tuple(pool)
    try:
        return _sample(pool)
    except TypeError:  # unhashable elements
        return st.sampled_from(pool)


@functools.lru_cache(maxsize=1024)
def key_lists(pool: tuple, min_size: int, max_size: int) -> st.SearchStrategy:
    """Lists of distinct values of ``pool`` (built once per pool and size)."""
    return st.lists(st.sampled_from(pool), min_size=min_size, max_size=max_size, unique=True)


@functools.lru_cache(maxsize=64)
def text_lists(pool: tuple, free: float, min_size: int, max_size: int) -> st.SearchStrategy:
    """Lists of distinct non-empty :func:`pool_text` values without a semicolon."""
    item = pool_text(pool, free=free, allow_semicolon=False).filter(bool)
    return st.lists(item, min_size=min_size, max_size=max_size, unique=True)


def nonempty(draw, strategy, fallback: str) -> str:
    """A value drawn from ``strategy``, or ``fallback`` where it is empty."""
    value = draw(strategy)
    return value if value else fallback


# -- what the taxonomy allows ---------------------------------------------------------------

class Pools:
    """Keys of the taxonomy, sorted into what valid activities may use freely and what
    brings an obligation with it (special-category and criminal-offence data)."""

    def __init__(self, tax: Taxonomy):
        self.tax = tax
        cats = tax.keys("data_category")
        special_map: dict[str, str] = {}
        for art9 in tax.keys("art9_category"):
            for under in tax.attribute("art9_category", art9, "data_categories", []) or []:
                hit = tax.is_under("data_category", cats, under)
                for key in np.asarray(cats, dtype=object)[hit]:
                    special_map.setdefault(str(key), art9)
        criminal = set(np.asarray(cats, dtype=object)[tax.is_under("data_category", cats, "user.criminal_history")])
        self.special = dict(sorted(special_map.items()))
        self.criminal = sorted(str(c) for c in criminal)
        self.plain_categories = [c for c in cats if c not in special_map and c not in criminal]
        self.uses = tax.keys("data_use")
        self.subjects = tax.keys("data_subject")
        self.recipient_categories = [k for k in tax.keys("recipient") if k == "we" or "." in k or k == "third_party"]
        self.third_party_categories = [k for k in self.recipient_categories if k.startswith("third_party.")]
        self.internal_categories = [k for k in self.recipient_categories if k.startswith("we")]
        self.bases = tax.keys("legal_basis")
        self.art9_conditions = tax.keys("art9_condition")
        self.art9_types = tax.keys("art9_category")
        self.dpia = tax.keys("dpia")
        self.sources = tax.keys("source")
        self.kinds = tax.keys("recipient_kind")
        countries = tax.countries
        self.eea = sorted(countries.index[countries["eea"].astype(bool)])
        adequacy = countries["adequacy"].astype(str)
        self.adequate = sorted(countries.index[adequacy.isin(["all", "commercial"])])
        self.dpf = sorted(countries.index[adequacy == "dpf"])
        self.third = sorted(countries.index[~countries["eea"].astype(bool) & (adequacy == "")])
        self.third_common = [c for c in ("CN", "IN", "BR", "RU", "SG", "ZA", "AU", "TR", "MX", "PH")
                             if c in self.third] or self.third[:10]

    def is_known_anywhere(self, kind: str, value: str) -> bool:
        return bool(self.tax.known(kind, [value])[0]) or self.tax.lookup(kind, value) is not None


@functools.lru_cache(maxsize=8)
def pools_for(tax: Taxonomy) -> Pools:
    """The :class:`Pools` of a taxonomy, built once for the last few taxonomies."""
    return Pools(tax)


def taxonomy_or_default(taxonomy: Taxonomy | None) -> Taxonomy:
    """The taxonomy given, else ``ropa.default_taxonomy()``."""
    return taxonomy if taxonomy is not None else default_taxonomy()


def taxonomy_keys(kind: str, taxonomy: Taxonomy | None = None) -> st.SearchStrategy[str]:
    """Keys of one kind of term: ``data_category``, ``data_use``, ``data_subject``,
    ``recipient``, ``legal_basis``, ``art9_category``, ``art9_condition``, ``safeguard``,
    ``right``, ``dpia``, ``source``, ``role``, ``recipient_kind`` or ``status``.

    Args:
        kind: the kind of term (see ``ropa.core.taxonomy.KINDS``).
        taxonomy: the taxonomy to draw from (default: ``ropa.default_taxonomy()``).

    Example:
        >>> import ropa
        >>> from hypothesis import given
        >>> from ropa.testing import taxonomy_keys
        >>> @given(taxonomy_keys("data_category"))
        ... def test_key_is_known(key):
        ...     assert ropa.default_taxonomy().known("data_category", [key])[0]
        >>> test_key_is_known()
    """
    if kind not in KINDS:
        raise InvalidArgument(f"unknown taxonomy kind {kind!r}; expected one of {', '.join(KINDS)}")
    keys = sorted(taxonomy_or_default(taxonomy).keys(kind))
    if not keys:
        raise InvalidArgument(f"the taxonomy has no {kind} keys")
    return st.sampled_from(keys)


def misspell(draw, pools: Pools, kind: str, key: str) -> str:
    """A value that looks like ``key`` but is neither a key nor a synonym of one."""
    how = draw(st.integers(0, 2))
    if how == 0 and len(key) > 3:
        i = draw(st.integers(1, len(key) - 2))
        cand = key[:i] + key[i + 1] + key[i] + key[i + 2:]
    elif how == 1:
        cand = key + draw(pick(["x", "s", "_old", "2"]))
    else:
        cand = key.replace(".", "_", 1) + "_typo"
    if cand == key or pools.is_known_anywhere(kind, cand):
        cand = f"{key}_unknown"
    return cand
