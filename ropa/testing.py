"""Hypothesis strategies for property-testing registers, policies and the pipelines around them.

A three-line property test of your own code::

    from hypothesis import given
    from ropa.testing import registers

    @given(registers())
    def test_my_export_keeps_every_activity(reg):
        assert len(my_export(reg)) == len(reg.activities)

The strategies:

- :func:`taxonomy_keys` -- keys of one kind of term (``data_category``, ``data_use``, ...).
- :func:`recipients` -- a recipients table (the rows of recipients.csv).
- :func:`activities` -- an activities table, valid by default; ``invalid=`` plants
  exactly the register faults you name (finding codes of ``ropa.catalogue()``, area
  ``register``).
- :func:`registers` -- a :class:`ropa.Register` whose organisation, recipients and
  activities refer to each other; ``invalid=`` as above, for every code the register
  checks can find in memory.
- :func:`register_files` -- the files of a register folder as bytes (``activities.csv``,
  ``recipients.csv``, ``organisation.yaml``), so that the faults found only while reading
  files (``unreadable-row``, ``unknown-column``) can be planted too.
- :func:`policies` -- a :class:`ropa.Policy`: statements and the plain text they are
  rendered to (numbered sections, one sentence per statement, each statement quoting its
  sentence and line), about a register's flows when you pass one.
- :func:`policy_versions` -- two versions of a policy and the changes between them
  (:class:`PolicyVersions`).

A valid register drawn here has no register findings on the date you pass as ``as_of``
(default: today); a register drawn with ``invalid=["stale-review", "unknown-recipient"]``
has findings of exactly those two codes. Every drawn register survives
``ropa.write_register`` and ``ropa.load_register`` unchanged, in CSV, XLSX and YAML.

Profiles. How many examples each property runs is a hypothesis *profile*. ``ropa``'s own
suite chooses one with the environment variable ``HYPOTHESIS_PROFILE``: ``dev`` (15
examples, the default), ``ci`` (40) and ``thorough`` (400), registered in
``tests/conftest.py``. Do the same in your ``conftest.py``::

    import os
    from hypothesis import settings
    settings.register_profile("ci", max_examples=60, deadline=None)
    settings.register_profile("dev", max_examples=15, deadline=None)
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

Speed. The strategies are composites that draw whole activities from taxonomy keys,
not pandera's column-by-column ``DataFrameModel.strategy()``: ``ropa``'s schemas hold
their rules as table-level checks, which pandera can only satisfy by filtering, and its
strategies slow down steeply beyond a few columns (a 20-column frame of 70 rows takes
minutes). Drawing a 50-activity register here takes about 0.13 s of CPU, hypothesis'
own work included (``tests/test_testing_kit.py`` holds it under 0.5 s); a test that asks for at least 50 activities should suppress
hypothesis' ``HealthCheck.large_base_example``, since even its smallest register is large.

.. versionadded:: 0.1
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from .core.names import slug

if TYPE_CHECKING:
    import pandas as pd

    from .core.taxonomy import Taxonomy
    from .policy.model import Policy
    from .register.model import Register

__all__ = [
    "ACTIVITY_FAULTS",
    "FILE_FAULTS",
    "ORGANISATION_FAULTS",
    "RECIPIENT_FAULTS",
    "REGISTER_FAULTS",
    "PolicyVersions",
    "activities",
    "policies",
    "policy_versions",
    "recipients",
    "register_files",
    "registers",
    "taxonomy_keys",
]

#: Faults :func:`activities` can plant (register finding codes about an activity row).
ACTIVITY_FAULTS: tuple[str, ...] = (
    "missing-required-field", "empty-required-list", "unknown-taxonomy-key",
    "unknown-recipient", "invalid-value", "duplicate-activity-id", "invalid-date",
    "invalid-duration", "special-category-without-condition",
    "legitimate-interest-not-stated", "transfer-without-safeguard", "missing-retention",
    "missing-security-measures", "stale-review", "processor-activity-without-controller",
    "criminal-data-without-authority", "invisible-character-in-id",
)
#: Faults :func:`recipients` can plant (codes about a recipient row).
RECIPIENT_FAULTS: tuple[str, ...] = (
    "missing-required-field", "invalid-value", "unknown-taxonomy-key",
    "duplicate-recipient-id", "transfer-without-safeguard", "processor-without-contract",
    "invisible-character-in-id",
)
#: Faults in organisation.yaml.
ORGANISATION_FAULTS: tuple[str, ...] = ("missing-organisation-detail",)
#: Faults that exist only in files, found while reading them: :func:`register_files` only.
FILE_FAULTS: tuple[str, ...] = ("unreadable-row", "unknown-column", "duplicate-key")
#: Every fault :func:`registers` can plant.
REGISTER_FAULTS: tuple[str, ...] = tuple(dict.fromkeys(
    ACTIVITY_FAULTS + RECIPIENT_FAULTS + ORGANISATION_FAULTS))


# -- vocabulary ---------------------------------------------------------------------------

_ACTIVITY_NAMES = (
    "Newsletter", "Customer accounts", "Billing", "Debt collection", "Payroll",
    "Recruitment", "Customer support tickets", "Web analytics", "Spam filtering",
    "Access control logs", "Supplier management", "Event registrations", "CCTV",
    "Occupational health", "Quotations", "Fraud prevention", "Product delivery",
    "Satisfaction surveys", "Hosting for customers", "Backups for customers",
)
_FUNCTIONS = ("Marketing", "Sales", "Finance", "HR", "IT", "Support", "Legal", "Operations", "")
_OWNERS = ("Marketing lead", "CFO", "HR manager", "IT manager", "Support lead", "DPO", "")
_MEASURES = (
    "encryption at rest", "encryption in transit (TLS)", "role-based access control",
    "two-factor authentication", "daily encrypted backups", "access logging",
    "pseudonymisation", "staff training", "data minimisation", "vulnerability scanning",
)
_SYSTEMS = ("CRM", "ERP", "Ticket system", "Mail server", "HR system", "Website", "Data warehouse")
_DURATIONS = ("P7Y", "P2Y", "P1Y", "P6M", "P18M", "P30D", "P90D", "PT72H", "P2Y6M", "P10Y")
_CRITERIA = (
    "Until the subscriber unsubscribes", "Until the contract ends", "As long as the account exists",
    "Until the claim is settled", "For the statutory period",
)
_TRIGGERS = ("end of contract", "last contact", "invoice date", "account closed", "")
_INTERESTS = (
    "Keeping our network secure", "Answering questions from customers",
    "Preventing fraud and abuse", "Telling existing customers about similar services",
)
_VENDORS = (
    "Mailer", "Cloudy", "Ledger", "Helpdesk", "Metrics", "Payroll Bureau", "Collect",
    "Adverto", "Chatter", "Vault", "Routing", "Courier", "Audit Partners", "Registry",
)
_LEGAL_FORMS = ("B.V.", "GmbH", "Ltd", "Inc.", "S.A.", "AB", "")
_ORG_NAMES = ("Clinic Example", "Hosting Example", "Example Retail", "Example Foundation", "Acme")
#: Characters that show as nothing, planted in ids (zero-width space, direction marks, an
#: override, an isolate, the byte-order mark, a soft hyphen, a word joiner).
_INVISIBLE_CHARS = ("\u200b", "\u200e", "\u200f", "\u202e", "\u2066", "\ufeff", "\u00ad", "\u2060")
_UNKNOWN_HEADINGS = ("Internal notes", "Ticket", "Kommentar", "Legacy ref", "Remarks 2019")

#: Free text: any printable character, with the odd line break, tab, quote, comma, semicolon.
_CHARS = st.characters(exclude_categories=("Cc", "Cs", "Co", "Cn")) | st.sampled_from(
    ['"', "'", ",", ";", "\n", "\t", "=", "+", "-", "@", " "])
_FREE_TEXT = st.text(_CHARS, min_size=1, max_size=16)


_STRIPPED = _FREE_TEXT.map(str.strip)
_STRIPPED_NO_SEMICOLON = _FREE_TEXT.map(lambda s: s.replace(";", ",").strip())


def _text(pool: Sequence[str], *, free: float = 0.25, allow_semicolon: bool = True):
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


def _pick(pool: Iterable) -> st.SearchStrategy:
    """``st.sampled_from(pool)``, built once per distinct pool (building strategies is slow)."""
    pool = tuple(pool)
    try:
        return _sample(pool)
    except TypeError:  # unhashable elements
        return st.sampled_from(pool)


@functools.lru_cache(maxsize=1024)
def _lists(pool: tuple, min_size: int, max_size: int) -> st.SearchStrategy:
    return st.lists(st.sampled_from(pool), min_size=min_size, max_size=max_size, unique=True)


@functools.lru_cache(maxsize=64)
def _text_lists(pool: tuple, free: float, min_size: int, max_size: int) -> st.SearchStrategy:
    item = _text(pool, free=free, allow_semicolon=False).filter(bool)
    return st.lists(item, min_size=min_size, max_size=max_size, unique=True)


def _nonempty(draw, strategy, fallback: str) -> str:
    value = draw(strategy)
    return value if value else fallback


# -- what the taxonomy allows ---------------------------------------------------------------

class _Pools:
    """Keys of the taxonomy, sorted into what valid activities may use freely and what
    brings an obligation with it (special-category and criminal-offence data)."""

    def __init__(self, tax: Taxonomy):
        import numpy as np

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
def _pools(tax: Taxonomy) -> _Pools:
    return _Pools(tax)


def _taxonomy(taxonomy: Taxonomy | None) -> Taxonomy:
    if taxonomy is not None:
        return taxonomy
    from .core.taxonomy import default_taxonomy

    return default_taxonomy()


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
    from .core.taxonomy import KINDS

    if kind not in KINDS:
        raise InvalidArgument(f"unknown taxonomy kind {kind!r}; expected one of {', '.join(KINDS)}")
    keys = sorted(_taxonomy(taxonomy).keys(kind))
    if not keys:
        raise InvalidArgument(f"the taxonomy has no {kind} keys")
    return st.sampled_from(keys)


def _codes(invalid: str | Iterable[str] | None, allowed: Sequence[str], where: str) -> list[str]:
    if invalid is None:
        return []
    codes = [invalid] if isinstance(invalid, str) else list(dict.fromkeys(invalid))
    for code in codes:
        if code in allowed:
            continue
        if code in FILE_FAULTS:
            raise InvalidArgument(f"{code!r} arises only when files are read: use register_files(invalid=...)")
        raise InvalidArgument(f"{where} cannot plant {code!r}; it can plant {', '.join(allowed)}")
    return codes


def _misspell(draw, pools: _Pools, kind: str, key: str) -> str:
    """A value that looks like ``key`` but is neither a key nor a synonym of one."""
    how = draw(st.integers(0, 2))
    if how == 0 and len(key) > 3:
        i = draw(st.integers(1, len(key) - 2))
        cand = key[:i] + key[i + 1] + key[i] + key[i + 2:]
    elif how == 1:
        cand = key + draw(_pick(["x", "s", "_old", "2"]))
    else:
        cand = key.replace(".", "_", 1) + "_typo"
    if cand == key or pools.is_known_anywhere(kind, cand):
        cand = f"{key}_unknown"
    return cand


# -- activities ---------------------------------------------------------------------------

class _Ctx(NamedTuple):
    pools: _Pools
    recipient_ids: tuple[str, ...]
    controller_ids: tuple[str, ...]
    as_of: dt.date
    prefix: str


def _as_of(as_of: dt.date | None) -> dt.date:
    return as_of or dt.date.today()


def _recent(draw, as_of: dt.date) -> str:
    return (as_of - dt.timedelta(days=draw(st.integers(0, 330)))).isoformat()


def _valid_activity(draw, ctx: _Ctx, number: int) -> dict[str, Any]:
    """One activity with no register finding of its own."""
    p = ctx.pools
    role = draw(_pick(["controller"] * 6 + ["joint_controller"] + ["processor"] * 3))
    if role == "processor" and not ctx.controller_ids:
        role = "controller"
    controller_side = role != "processor"
    status = draw(_pick(["active"] * 6 + ["draft", "retired", ""]))
    categories = draw(_lists(tuple(p.plain_categories), 1, 4))
    special_types: list[str] = []
    conditions: list[str] = []
    if p.special and draw(st.integers(0, 5)) == 0:
        extra = draw(_pick(sorted(p.special)))
        categories.append(extra)
        special_types = [p.special[extra]] if draw(st.booleans()) else []
    bases: list[str] = []
    if controller_side or draw(st.booleans()):
        bases = draw(_lists(tuple(p.bases), 1, 2))
    criminal_flag = draw(_pick(["", "false", "false", "true"])) if draw(st.integers(0, 4)) == 0 else ""
    if p.criminal and draw(st.integers(0, 12)) == 0:
        categories.append(draw(_pick(p.criminal)))
        criminal_flag = criminal_flag or "true"
    if criminal_flag == "true" or any(c in p.criminal for c in categories):
        bases = [*bases, draw(_pick(["art6_1_c", "art6_1_e"]))]
        bases = list(dict.fromkeys(bases))
    if (special_types or any(c in p.special for c in categories)) and (controller_side or draw(st.booleans())):
        conditions = draw(_lists(tuple(p.art9_conditions), 1, 2))
    interest = ""
    if "art6_1_f" in bases:
        interest = _nonempty(draw, _text(_INTERESTS), _INTERESTS[0])
    recipient_pool = list(ctx.recipient_ids) + p.recipient_categories
    if draw(st.integers(0, 6)) == 0:
        recipients = ["none"]
    else:
        recipients = draw(_lists(tuple(recipient_pool), 1, 3))
    countries: list[str] = []
    safeguards: list[str] = []
    if draw(st.integers(0, 4)) == 0:
        countries = draw(_lists(tuple(p.eea + p.adequate + p.dpf + p.third_common), 1, 2))
        outside = [c for c in countries if c not in p.eea and c not in p.adequate]
        if outside:
            safeguards = draw(_lists(tuple(["scc", "bcr", "art49"]), 1, 2))
    retention = draw(_pick(_DURATIONS)) if draw(st.booleans()) else \
        _nonempty(draw, _text(_CRITERIA).map(lambda s: s if s in _CRITERIA else f"Until {s}".strip()),
                  _CRITERIA[0])
    return {
        "activity_id": f"{ctx.prefix}{number:03d}",
        "name": _nonempty(draw, _text(_ACTIVITY_NAMES), _ACTIVITY_NAMES[0]),
        "business_function": draw(_text(_FUNCTIONS, free=0.1)),
        "owner": draw(_text(_OWNERS, free=0.1)),
        "role": role,
        "controllers": draw(_lists(tuple(ctx.controller_ids), 1, 2))
        if role == "processor" else [],
        "purposes": draw(_lists(tuple(p.uses), 1, 3)),
        "purpose_description": draw(_text(("", "See the privacy policy", "Deliver the service"))),
        "lawful_basis": bases,
        "legitimate_interest": interest,
        "lia_reference": draw(_pick(["", "LIA-2024-01", "LIA-2025-07"])) if interest else "",
        "data_subjects": draw(_lists(tuple(p.subjects), 1, 3)),
        "data_categories": categories,
        "special_categories": special_types,
        "art9_condition": conditions,
        "criminal_offence_data": criminal_flag,
        "recipients": recipients,
        "transfer_countries": countries,
        "transfer_safeguards": safeguards,
        "retention": retention,
        "retention_trigger": draw(_text(_TRIGGERS, free=0.15)),
        "security_measures": draw(_text_lists(_MEASURES, 0.1, 1, 4)),
        "source": draw(_lists(tuple(p.sources), 0, 2)),
        "systems": draw(_text_lists(_SYSTEMS, 0.2, 0, 3)),
        "dpia": draw(_pick(["", *p.dpia])),
        "automated_decision_making": draw(_pick(["", "false", "false", "true"])),
        "status": status,
        "last_reviewed": _recent(draw, ctx.as_of) if status != "retired" or draw(st.booleans()) else "",
    }


def _plain_activity(ctx: _Ctx, number: int) -> dict[str, Any]:
    """The simplest valid controller activity: the base a single fault is planted on."""
    recipients = [ctx.recipient_ids[0]] if ctx.recipient_ids else ["third_party.service_provider.hosting"]
    return {
        "activity_id": f"{ctx.prefix}{number:03d}", "name": "Customer accounts",
        "business_function": "", "owner": "", "role": "controller", "controllers": [],
        "purposes": ["essential.service"], "purpose_description": "", "lawful_basis": ["art6_1_b"],
        "legitimate_interest": "", "lia_reference": "", "data_subjects": ["customer"],
        "data_categories": ["user.contact.email"], "special_categories": [], "art9_condition": [],
        "criminal_offence_data": "", "recipients": recipients, "transfer_countries": [],
        "transfer_safeguards": [], "retention": "P2Y", "retention_trigger": "",
        "security_measures": ["access control"], "source": [], "systems": [], "dpia": "",
        "automated_decision_making": "", "status": "active",
        "last_reviewed": (ctx.as_of - dt.timedelta(days=30)).isoformat(),
    }


def _plant_activity(draw, code: str, row: dict[str, Any], ctx: _Ctx, others: list[dict]) -> None:
    """Change ``row`` (a plain activity) so that it has exactly the fault ``code``."""
    p = ctx.pools
    if code == "missing-required-field":
        col = draw(_pick(["activity_id", "name", "role", "lawful_basis"]))
        row[col] = [] if col == "lawful_basis" else ""
    elif code == "empty-required-list":
        row[draw(_pick(["purposes", "data_subjects", "data_categories", "recipients"]))] = []
    elif code == "unknown-taxonomy-key":
        col, kind = draw(_pick([
            ("purposes", "data_use"), ("data_subjects", "data_subject"),
            ("data_categories", "data_category"), ("lawful_basis", "legal_basis"),
            ("special_categories", "art9_category"), ("art9_condition", "art9_condition"),
            ("transfer_safeguards", "safeguard"), ("source", "source"),
        ]))
        base = draw(_pick(p.tax.keys(kind)))
        if kind == "legal_basis":
            base = "art6_1_b"  # keep the plain row's basis (no Art 6(1)(f), no Art 10 duty)
        bad = _misspell(draw, p, kind, base)
        if col == "source":
            while bad in ("data_subject", "third_party", "public"):
                bad += "_x"
        row[col] = [*row[col], bad] if col in ("purposes", "data_subjects", "data_categories", "lawful_basis") else [bad]
        if col == "special_categories":
            row["art9_condition"] = ["art9_2_a"]
    elif code == "unknown-recipient":
        known = set(ctx.recipient_ids)
        bad = f"unlisted-vendor-{draw(st.integers(1, 999))}"
        while bad in known:
            bad += "-x"
        row["recipients"] = [*row["recipients"], bad]
    elif code == "invalid-value":
        col = draw(_pick(["role", "status", "dpia", "criminal_offence_data",
                                    "automated_decision_making", "transfer_countries"]))
        if col == "transfer_countries":
            row[col] = [draw(_pick(["XX", "UK", "ZZ", "Netherlands", "NLD"]))]
            row["transfer_safeguards"] = ["scc"]
        else:
            row[col] = draw(_pick({
                "role": ["owner", "ctrl", "data controller"],
                "status": ["archived", "live", "deleted"],
                "dpia": ["maybe", "pending", "n/a"],
                "criminal_offence_data": ["perhaps", "unknown", "2"],
                "automated_decision_making": ["perhaps", "sometimes", "2"],
            }[col]))
    elif code == "duplicate-activity-id":
        ids = [o["activity_id"] for o in others if o["activity_id"]]
        if ids:
            row["activity_id"] = draw(_pick(ids))
        else:
            others.append(dict(_plain_activity(ctx, 0), activity_id=row["activity_id"]))
    elif code == "invalid-date":
        row["last_reviewed"] = draw(_pick(["2026-13-01", "01/02/2026", "yesterday", "2026-02-30", "2026-1-5"]))
    elif code == "invalid-duration":
        row["retention"] = draw(_pick(["P7X", "P1Y2", "P1.5.2Y", "P3W2", "P12"]))
    elif code == "special-category-without-condition":
        if draw(st.booleans()) and p.special:
            key = draw(_pick(sorted(p.special)))
            row["data_categories"] = [*row["data_categories"], key]
        else:
            row["special_categories"] = [draw(_pick(p.art9_types))]
        row["role"] = draw(_pick(["controller", "joint_controller"]))
    elif code == "legitimate-interest-not-stated":
        row["lawful_basis"] = ["art6_1_f"]
        row["legitimate_interest"] = ""
    elif code == "transfer-without-safeguard":
        row["transfer_countries"] = [draw(_pick(p.third_common + p.dpf))]
        row["transfer_safeguards"] = draw(_pick([[], ["none"]]))
    elif code == "missing-retention":
        row["retention"] = ""
    elif code == "missing-security-measures":
        row["security_measures"] = []
    elif code == "stale-review":
        if draw(st.booleans()):
            row["last_reviewed"] = ""
        else:
            row["last_reviewed"] = (ctx.as_of - dt.timedelta(days=draw(st.integers(380, 3000)))).isoformat()
    elif code == "processor-activity-without-controller":
        row["role"] = "processor"
        row["controllers"] = []
    elif code == "criminal-data-without-authority":
        if draw(st.booleans()) or not p.criminal:
            row["criminal_offence_data"] = draw(_pick(["true", "yes", "TRUE"]))
        else:
            row["data_categories"] = [*row["data_categories"], draw(_pick(p.criminal))]
    elif code == "invisible-character-in-id":
        aid = row["activity_id"] or "A0"
        at = draw(st.integers(0, len(aid)))
        row["activity_id"] = aid[:at] + draw(_pick(_INVISIBLE_CHARS)) + aid[at:]
    else:  # pragma: no cover - guarded by _codes
        raise InvalidArgument(f"cannot plant {code!r} in an activity")


def _activity_records(draw, ctx: _Ctx, min_size: int, max_size: int, codes: list[str]) -> list[dict]:
    n_valid = draw(st.integers(max(min_size - len(codes), 0), max(max_size - len(codes), 0)))
    rows = [_valid_activity(draw, ctx, i + 1) for i in range(n_valid)]
    planted = []
    for j, code in enumerate(codes):
        row = _plain_activity(ctx, n_valid + j + 1)
        _plant_activity(draw, code, row, ctx, rows)
        planted.append(row)
    rows += planted
    order = draw(st.permutations(range(len(rows)))) if len(rows) > 1 else range(len(rows))
    return [rows[i] for i in order]


def _frame(records: list[dict], columns: Sequence[str], list_columns: Iterable[str]) -> pd.DataFrame:
    import pandas as pd

    lists = set(list_columns)
    data = {}
    for col in columns:
        values = [r.get(col, [] if col in lists else "") for r in records]
        data[col] = pd.Series(values, dtype=object) if col in lists else pd.Series(values, dtype="str")
    frame = pd.DataFrame(data)
    frame.index = pd.Index(range(2, len(records) + 2), name="row")
    return frame


def _activities_frame(records: list[dict]) -> pd.DataFrame:
    from .register.columns import ACTIVITY_COLUMNS, ACTIVITY_LIST_COLUMNS

    return _frame(records, ACTIVITY_COLUMNS, ACTIVITY_LIST_COLUMNS)


def _recipients_frame(records: list[dict]) -> pd.DataFrame:
    from .register.columns import RECIPIENT_COLUMNS, RECIPIENT_LIST_COLUMNS

    return _frame(records, RECIPIENT_COLUMNS, RECIPIENT_LIST_COLUMNS)


@st.composite
def activities(
    draw,
    *,
    min_size: int = 1,
    max_size: int = 10,
    invalid: str | Iterable[str] | None = None,
    recipient_ids: Sequence[str] = (),
    controller_ids: Sequence[str] = ("client-a", "client-b"),
    as_of: dt.date | None = None,
    taxonomy: Taxonomy | None = None,
) -> pd.DataFrame:
    """An activities table: canonical columns, list cells as lists, index = CSV line numbers.

    Valid by default: in a register with these recipients and an organisation that has
    its details, it has no register findings on ``as_of``. Activities refer to recipients
    by the ids you pass and by recipient-category keys (``third_party.service_provider``).

    Args:
        min_size, max_size: how many activities (planted ones included; at least one
            per planted code).
        invalid: one finding code, or several, from :data:`ACTIVITY_FAULTS`: each is
            planted in an activity of its own, and no other fault is.
        recipient_ids: recipient ids the activities may name.
        controller_ids: the controllers that processor activities act for.
        as_of: the date the register is checked on (reviews are dated within the
            twelve months before it); default today.
        taxonomy: the taxonomy keys are drawn from (default ``ropa.default_taxonomy()``).

    Example:
        >>> from hypothesis import given
        >>> from ropa.testing import activities
        >>> @given(activities(invalid="missing-retention"))
        ... def test_one_without_retention(acts):
        ...     assert (acts["retention"] == "").sum() == 1
        >>> test_one_without_retention()
    """
    codes = _codes(invalid, ACTIVITY_FAULTS, "activities()")
    ctx = _Ctx(_pools(_taxonomy(taxonomy)), tuple(recipient_ids), tuple(controller_ids), _as_of(as_of),
               draw(_pick(["A", "PA-", "HR", "act-"])))
    return _activities_frame(_activity_records(draw, ctx, min_size, max_size, codes))


# -- recipients ---------------------------------------------------------------------------

def _valid_recipient(draw, pools: _Pools, number: int) -> dict[str, Any]:
    kind = draw(_pick(["processor"] * 5 + ["controller"] * 2 + ["joint_controller", "public_authority", "internal"]))
    vendor = draw(_pick(_VENDORS))
    name = _nonempty(draw, _text([vendor], free=0.2), vendor)
    if kind == "internal":
        category = draw(_pick(pools.internal_categories))
        country = draw(_pick(["", *pools.eea[:5]]))
    elif kind == "public_authority":
        category = draw(_pick([c for c in pools.third_party_categories if "public_authority" in c]
                                        or pools.third_party_categories))
        country = draw(_pick(pools.eea))
    else:
        category = draw(_pick(pools.third_party_categories))
        country = draw(_pick(pools.eea * 3 + pools.adequate + pools.dpf + pools.third_common))
    if country in pools.dpf:
        safeguard = draw(_pick(["dpf", "scc"]))
    elif country and country not in pools.eea and country not in pools.adequate:
        safeguard = draw(_pick(["scc", "bcr", "art49"]))
    else:
        safeguard = draw(_pick(["", "", "adequacy", "scc"]))
        if country in pools.eea and safeguard == "adequacy":
            safeguard = ""
    contract = ""
    if kind == "processor" or draw(st.booleans()):
        contract = _nonempty(draw, _text([f"DPA-{2020 + number % 6}-{number:03d}"], free=0.15),
                             f"DPA-{number:03d}")
    aliases = draw(_text_lists(tuple(f"{vendor} {form}".strip() for form in _LEGAL_FORMS), 0.2, 0, 2))
    return {
        "recipient_id": f"{slug(vendor)}-{number}",
        "name": name,
        "aliases": aliases,
        "kind": kind,
        "category": category,
        "country": country,
        "transfer_safeguard": safeguard,
        "contract_reference": contract,
        "description": draw(_text(["", "Hosting", "Email delivery", "Payroll"], free=0.2)),
    }


def _plain_recipient(pools: _Pools, number: int) -> dict[str, Any]:
    return {"recipient_id": f"vendor-{number}", "name": "Vendor", "aliases": [], "kind": "processor",
            "category": "third_party.service_provider.hosting", "country": "NL",
            "transfer_safeguard": "", "contract_reference": f"DPA-{number}", "description": ""}


def _plant_recipient(draw, code: str, row: dict[str, Any], pools: _Pools, others: list[dict]) -> None:
    if code == "missing-required-field":
        col = draw(_pick(["name", "kind", "country"]))
        row[col] = ""
        if col == "kind":
            row["contract_reference"] = ""
    elif code == "invalid-value":
        col = draw(_pick(["kind", "country", "transfer_safeguard"]))
        row[col] = draw(_pick({"kind": ["vendor", "supplier", "partner"],
                                         "country": ["XX", "Holland", "UK", "NLD"],
                                         "transfer_safeguard": ["maybe", "contract", "gdpr"]}[col]))
    elif code == "unknown-taxonomy-key":
        row["category"] = _misspell(draw, pools, "recipient", draw(_pick(pools.third_party_categories)))
    elif code == "duplicate-recipient-id":
        if others:
            row["recipient_id"] = draw(_pick([o["recipient_id"] for o in others]))
        else:
            others.append(dict(_plain_recipient(pools, 0), recipient_id=row["recipient_id"]))
    elif code == "transfer-without-safeguard":
        if pools.dpf and draw(st.booleans()):
            row["country"] = draw(_pick(pools.dpf))
            row["transfer_safeguard"] = draw(_pick(["", "adequacy", "none"]))
        else:
            row["country"] = draw(_pick(pools.third_common))
            row["transfer_safeguard"] = draw(_pick(["", "none", "adequacy"]))
    elif code == "processor-without-contract":
        row["contract_reference"] = ""
    elif code == "invisible-character-in-id":
        rid = row["recipient_id"]
        at = draw(st.integers(0, len(rid)))
        row["recipient_id"] = rid[:at] + draw(_pick(_INVISIBLE_CHARS)) + rid[at:]
    else:  # pragma: no cover - guarded by _codes
        raise InvalidArgument(f"cannot plant {code!r} in a recipient")


def _recipient_records(draw, pools: _Pools, min_size: int, max_size: int, codes: list[str]) -> list[dict]:
    n_valid = draw(st.integers(max(min_size - len(codes), 0), max(max_size - len(codes), 0)))
    rows = [_valid_recipient(draw, pools, i + 1) for i in range(n_valid)]
    for j, code in enumerate(codes):
        row = _plain_recipient(pools, 100 + n_valid + j)
        _plant_recipient(draw, code, row, pools, rows)
        rows.append(row)
    return rows


@st.composite
def recipients(
    draw,
    *,
    min_size: int = 0,
    max_size: int = 6,
    invalid: str | Iterable[str] | None = None,
    taxonomy: Taxonomy | None = None,
) -> pd.DataFrame:
    """A recipients table (recipients.csv): id, name, aliases, kind, category, country,
    transfer safeguard, contract reference, description.

    Valid by default: processors have a contract reference, transfers outside the EEA are
    covered by adequacy or a safeguard. ``invalid=`` plants codes of :data:`RECIPIENT_FAULTS`.

    Example:
        >>> from hypothesis import given
        >>> from ropa.testing import recipients
        >>> @given(recipients(min_size=1))
        ... def test_ids_are_unique(recs):
        ...     assert recs["recipient_id"].is_unique
        >>> test_ids_are_unique()
    """
    codes = _codes(invalid, RECIPIENT_FAULTS, "recipients()")
    return _recipients_frame(_recipient_records(draw, _pools(_taxonomy(taxonomy)), min_size, max_size, codes))


# -- organisation and register ------------------------------------------------------------

@st.composite
def _organisation(draw, controller_ids: Sequence[str], roles: set[str]) -> dict[str, Any]:
    base = draw(_pick(_ORG_NAMES))
    name = _nonempty(draw, _text([base], free=0.2), base)
    domain = slug(base)
    role = "both" if "processor" in roles and roles - {"processor"} else ("processor" if roles == {"processor"} else "controller")
    org: dict[str, Any] = {
        "name": name,
        "role": role,
        "employee_count": draw(st.integers(1, 5000)),
        "controller": {"name": f"{name} {draw(_pick(_LEGAL_FORMS))}".strip(),
                       "address": draw(_text(["Voorbeeldweg 1, Utrecht", "1 Example Street, Dublin"])),
                       "email": f"privacy@{domain}.example"},
    }
    if draw(st.booleans()):
        org["controller"]["phone"] = "+31 30 000 0000"
    if draw(st.integers(0, 3)) == 0:
        org["dpo"] = {"designated": False, "reason": "Not required under Art 37(1)"}
    else:
        org["dpo"] = {"name": draw(_pick(["A. Jansen", "B. Müller", "C. Dupont"])),
                      "email": f"dpo@{domain}.example"}
    org["supervisory_authority"] = draw(_pick(["Autoriteit Persoonsgegevens (NL)",
                                                         "Data Protection Commission (IE)", "CNIL (FR)"]))
    if controller_ids:
        org["controllers"] = [{"id": cid, "name": cid.replace("-", " ").title(),
                               "contact": f"privacy@{cid}.example"} for cid in controller_ids]
    return org


def _plant_organisation(draw, org: dict[str, Any]) -> None:
    what = draw(_pick(["dpo", "dpo-contact", "controller-contact", "controller-name"]))
    if what == "dpo":
        org.pop("dpo", None)
    elif what == "dpo-contact":
        org["dpo"] = {"name": "A. Jansen"}
    elif what == "controller-contact":
        org["controller"] = {"name": org["controller"]["name"]}
    else:
        org["controller"] = {k: v for k, v in org["controller"].items() if k != "name"}
        org.pop("name", None)


def _split_codes(draw, codes: list[str]) -> tuple[list[str], list[str], list[str]]:
    """Which table each planted code goes to (codes both tables can have: either)."""
    acts, recs, org = [], [], []
    for code in codes:
        if code in ORGANISATION_FAULTS:
            org.append(code)
        elif code in ACTIVITY_FAULTS and code in RECIPIENT_FAULTS:
            (acts if draw(st.booleans()) else recs).append(code)
        elif code in ACTIVITY_FAULTS:
            acts.append(code)
        else:
            recs.append(code)
    return acts, recs, org


def _build_register(organisation: dict, acts: pd.DataFrame, recs: pd.DataFrame, tax: Taxonomy) -> Register:
    from .register.model import Register

    return Register(organisation=organisation, activities=acts, recipients=recs,
                    taxonomy=tax.with_entities(recs))


@st.composite
def _register_parts(draw, min_activities: int, max_activities: int, codes: list[str],
                    as_of: dt.date | None, taxonomy: Taxonomy | None):
    tax = _taxonomy(taxonomy)
    pools = _pools(tax)
    act_codes, rec_codes, org_codes = _split_codes(draw, codes)
    recs = _recipient_records(draw, pools, 0, 6, rec_codes)
    if rec_codes == [] and not recs and draw(st.booleans()):
        recs = [_valid_recipient(draw, pools, 1)]
    # activities name only recipients that are themselves valid (a planted recipient fault
    # must not spread to the activities that use it)
    good_ids = tuple(r["recipient_id"] for r in recs[: len(recs) - len(rec_codes)])
    controller_ids = tuple(draw(_lists(tuple(["client-a", "client-b", "client-c"]), 0, 2)))
    ctx = _Ctx(pools, good_ids, controller_ids, _as_of(as_of), draw(_pick(["A", "PA-", "HR", "act-"])))
    act_rows = _activity_records(draw, ctx, min_activities, max_activities, act_codes)
    roles = {r["role"] for r in act_rows} or {"controller"}
    if "processor-activity-without-controller" in act_codes and not controller_ids:
        controller_ids = ("client-a",)
    org = draw(_organisation(controller_ids, roles))
    if org_codes:
        _plant_organisation(draw, org)
    return org, act_rows, recs, tax


@st.composite
def registers(
    draw,
    *,
    min_activities: int = 1,
    max_activities: int = 12,
    invalid: str | Iterable[str] | None = None,
    as_of: dt.date | None = None,
    taxonomy: Taxonomy | None = None,
) -> Register:
    """A :class:`ropa.Register`: an organisation, its recipients and its activities,
    referring to each other (activities name the recipients' ids and, for processing done
    as a processor, the controllers listed in organisation.yaml).

    Args:
        min_activities, max_activities: how many activities (planted ones included).
        invalid: one finding code or several from :data:`REGISTER_FAULTS` (the codes of
            ``ropa.catalogue()`` in area ``register`` that the checks find in memory); each
            is planted once and nothing else is wrong. For ``unreadable-row`` and
            ``unknown-column``, which exist only in files, use :func:`register_files`.
        as_of: the date the register is checked on (default today).
        taxonomy: the base taxonomy (default ``ropa.default_taxonomy()``).

    Example:
        >>> import ropa
        >>> from hypothesis import given
        >>> from ropa.testing import registers
        >>> @given(registers(invalid="stale-review"))
        ... def test_stale_review_found(reg):
        ...     assert set(ropa.check_register(reg)["code"]) == {"stale-review"}
        >>> test_stale_review_found()
    """
    codes = _codes(invalid, REGISTER_FAULTS, "registers()")
    org, act_rows, rec_rows, tax = draw(_register_parts(min_activities, max_activities, codes, as_of, taxonomy))
    recs = _recipients_frame(rec_rows)
    return _build_register(org, _activities_frame(act_rows), recs, tax)


@st.composite
def register_files(
    draw,
    *,
    min_activities: int = 1,
    max_activities: int = 12,
    invalid: str | Iterable[str] | None = None,
    as_of: dt.date | None = None,
) -> dict[str, bytes]:
    """The files of a register folder: ``{"organisation.yaml": ..., "activities.csv": ...,
    "recipients.csv": ...}`` as bytes, the way :func:`ropa.write_register` writes them.

    Write them into a folder and load it with :func:`ropa.load_register`. ``invalid=`` takes
    every register code, :data:`FILE_FAULTS` included: ``unreadable-row`` adds a row with the
    wrong number of cells, ``unknown-column`` a column no template knows, ``duplicate-key`` a
    key of organisation.yaml given twice.

    Example:
        >>> import ropa, tempfile, pathlib
        >>> from hypothesis import given
        >>> from ropa.testing import register_files
        >>> @given(register_files(invalid="unreadable-row"))
        ... def test_bad_row_reported(files):
        ...     with tempfile.TemporaryDirectory() as tmp:
        ...         for name, data in files.items():
        ...             (pathlib.Path(tmp) / name).write_bytes(data)
        ...         reg = ropa.load_register(tmp)
        ...     assert set(ropa.check_register(reg)["code"]) == {"unreadable-row"}
        >>> test_bad_row_reported()
    """
    import yaml

    from .register.cells import csv_text

    codes = _codes(invalid, REGISTER_FAULTS + FILE_FAULTS, "register_files()")
    file_codes = [c for c in codes if c in FILE_FAULTS]
    org, act_rows, rec_rows, _ = draw(_register_parts(
        max(min_activities, 1 if file_codes else 0), max(max_activities, 1), [c for c in codes if c not in FILE_FAULTS],
        as_of, None))
    acts, recs = _activities_frame(act_rows), _recipients_frame(rec_rows)
    texts = {"activities.csv": csv_text(acts), "recipients.csv": csv_text(recs)}
    for code in file_codes:
        target = "activities.csv" if not len(recs) or draw(st.booleans()) else "recipients.csv"
        frame = acts if target == "activities.csv" else recs
        if code == "unknown-column":
            heading = draw(_pick(_UNKNOWN_HEADINGS))
            frame = frame.assign(**{heading: draw(_pick(["", "see ticket", "x"]))})
            if target == "activities.csv":
                acts = frame
            else:
                recs = frame
            texts[target] = csv_text(frame)
    for code in file_codes:
        if code == "unreadable-row":
            target = "activities.csv" if not len(recs) or draw(st.booleans()) else "recipients.csv"
            width = len((acts if target == "activities.csv" else recs).columns)
            cells = draw(_pick([2, width - 3, width + 2]))
            bad = ",".join(f"broken{i}" for i in range(max(cells, 2)))
            lines = texts[target].split("\n")
            at = draw(st.integers(1, max(len(lines) - 1, 1)))
            if texts[target].count('"') == 0:  # insert between records; else append
                lines.insert(at, bad)
                texts[target] = "\n".join(lines)
            else:
                texts[target] = texts[target].rstrip("\n") + "\n" + bad + "\n"
    org_text = yaml.safe_dump(org, sort_keys=False, allow_unicode=True)
    if "duplicate-key" in file_codes:  # a top-level key given again, with the same value
        key = draw(_pick(sorted(org)))
        org_text += yaml.safe_dump({key: org[key]}, sort_keys=False, allow_unicode=True)
    out = {"organisation.yaml": org_text.encode("utf-8")}
    out.update({name: text.encode("utf-8") for name, text in texts.items()})
    return out


# -- policies -----------------------------------------------------------------------------

_SECTION_TITLES = {
    "collect": "What we collect", "use": "How we use your data", "share": "Who receives your data",
    "transfer": "Transfers outside the EEA", "retain": "How long we keep your data",
    "track": "Cookies and tracking", "not_share": "What we never do", "not_collect": "What we never do",
    "inform": "Your rights",
}
_SECTION_ORDER = ("collect", "use", "share", "transfer", "track", "retain", "not_share", "not_collect", "inform")

#: Sentence templates per action, several wordings each (a rewording keeps the meaning).
_TEMPLATES: dict[str, tuple[str, ...]] = {
    "collect": ("We collect your {data} when you are our {subjects}, to {purposes}.",
                "When you are our {subjects}, we ask you for your {data} so that we can {purposes}.",
                "We gather your {data} from you as our {subjects}, in order to {purposes}."),
    "use": ("We use your {data} to {purposes}.",
            "Your {data} is used to {purposes}.",
            "We process your {data} so that we can {purposes}."),
    "share": ("We share your {data} with {recipients} to {purposes}.",
              "{recipients_cap} receives your {data} from us, to {purposes}.",
              "We pass your {data} on to {recipients} so that we can {purposes}."),
    "transfer": ("{recipients_cap} stores your {data} in {countries}.",
                 "Your {data} is transferred to {recipients} in {countries}.",
                 "We send your {data} to {recipients}, who keep it in {countries}."),
    "track": ("{recipients_cap} places cookies on our website to record your {data} and {purposes}.",
              "Our website lets {recipients} track your {data} to {purposes}.",
              "Through cookies, {recipients} collects your {data} to {purposes}."),
    "retain": ("We keep your {data} for {retention}.",
               "Your {data} is retained for {retention}.",
               "We store your {data} for a period of {retention}."),
    "not_share": ("We never share your {data} with {recipients}, unless {exceptions}.",
                  "We do not pass your {data} to {recipients}, except {exceptions}.",
                  "Your {data} is not given to {recipients}, unless {exceptions}."),
    "not_collect": ("We do not collect your {data}.",
                    "We never ask for your {data}.",
                    "Your {data} is not collected by us."),
    "inform": ("You have the {rights}.",
               "You may exercise the {rights} at any time.",
               "We respect your {rights}."),
}
_EXCEPTION_TEXT = {"consent": "you consent to it", "legal_obligation": "the law requires us to",
                   "contract": "it is needed for your contract", "vital_interests": "your life is at stake"}
_RETENTION_TEXT = {"P7Y": "seven years", "P2Y": "two years", "P1Y": "one year", "P6M": "six months",
                   "P30D": "thirty days", "P18M": "eighteen months"}


def _join(words: Sequence[str]) -> str:
    words = list(words)
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


class _Vocabulary(NamedTuple):
    categories: list[str]
    uses: list[str]
    subjects: list[str]
    recipients: list[str]     # entity keys: recipient ids or recipient-category keys
    names: dict[str, str]     # entity key -> name used in the text
    countries: list[str]
    rights: list[str]


def _vocabulary(tax: Taxonomy, register: Register | None) -> _Vocabulary:
    pools = _pools(tax)
    if register is not None and len(register.activities):
        a = register.activities

        def values(col: str) -> list[str]:
            return sorted({str(v) for cell in a[col] for v in cell if v})

        cats = [c for c in values("data_categories") if tax.known("data_category", [c])[0]] or pools.plain_categories
        uses = [u for u in values("purposes") if tax.known("data_use", [u])[0]] or pools.uses
        subjects = [s for s in values("data_subjects") if tax.known("data_subject", [s])[0]] or pools.subjects
        names = {r: str(n or r) for r, n in zip(register.recipients["recipient_id"], register.recipients["name"],
                                               strict=True) if r}
        used = [r for r in values("recipients") if r != "none" and (r in names or tax.known("recipient", [r])[0])]
        recipients = used or sorted(names) or pools.third_party_categories
        countries = sorted({str(c) for c in register.recipients["country"] if c and c not in pools.eea}) \
            or pools.third_common
        tax = register.taxonomy
    else:
        cats, uses, subjects = pools.plain_categories, pools.uses, pools.subjects
        recipients, names, countries = pools.third_party_categories, {}, pools.third_common
    for r in recipients:
        names.setdefault(r, tax.label("recipient", r) if tax.known("recipient", [r])[0] else r)
    return _Vocabulary(cats, uses, subjects, recipients, names, countries, tax.keys("right"))


def _statement(draw, vocab: _Vocabulary, tax: Taxonomy) -> dict[str, Any]:
    action = draw(_pick(["collect"] * 3 + ["use"] * 2 + ["share"] * 3 + ["transfer", "track", "retain",
                                                                                      "not_share", "not_collect",
                                                                                      "inform"]))
    rec: dict[str, Any] = {"actor": "we", "action": action, "data_categories": [], "data_subjects": [],
                           "purposes": [], "recipients": [], "countries": [], "legal_bases": [],
                           "retention": "", "condition": "", "consent": False, "exceptions": [], "rights": []}
    if action == "inform":
        rec["rights"] = draw(_lists(tuple([r for r in vocab.rights if r != "right"] or vocab.rights), 1, 2))
    else:
        rec["data_categories"] = draw(_lists(tuple(vocab.categories), 1, 3))
    if action in ("collect", "use", "share", "track"):
        rec["purposes"] = draw(_lists(tuple(vocab.uses), 1, 2))
    if action == "collect":
        rec["data_subjects"] = draw(_lists(tuple(vocab.subjects), 1, 2))
        rec["recipients"] = ["we"]
        if draw(st.integers(0, 3)) == 0:
            rec["legal_bases"] = [draw(_pick(tax.keys("legal_basis")))]
            rec["consent"] = rec["legal_bases"] == ["art6_1_a"]
    if action in ("share", "transfer", "track", "not_share"):
        rec["recipients"] = draw(_lists(tuple(vocab.recipients), 1, 2))
    if action in ("transfer", "track"):
        rec["actor"] = rec["recipients"][0] if action == "track" else "we"
    if action == "transfer":
        rec["countries"] = draw(_lists(tuple(vocab.countries), 1, 2))
    if action == "retain":
        rec["retention"] = draw(_pick(sorted(_RETENTION_TEXT)))
    if action == "not_share":
        rec["exceptions"] = draw(_lists(tuple(sorted(_EXCEPTION_TEXT)), 1, 2))
    rec["wording"] = draw(st.integers(0, len(_TEMPLATES[action]) - 1))
    return rec


def _statements(draw, vocab: _Vocabulary, tax: Taxonomy, min_size: int, max_size: int) -> list[dict]:
    """Statements that all say something different."""
    out: list[dict] = []
    seen: set[tuple] = set()
    target = draw(st.integers(min_size, max_size))
    for _ in range(target * 3):
        if len(out) >= target:
            break
        rec = _statement(draw, vocab, tax)
        if _content(rec) not in seen:
            seen.add(_content(rec))
            out.append(rec)
    return out


def _sentence(rec: dict[str, Any], vocab: _Vocabulary, tax: Taxonomy) -> str:
    def labels(kind: str, keys: Sequence[str]) -> list[str]:
        return [tax.label(kind, k).lower() if tax.known(kind, [k])[0] else k for k in keys]

    recipients = _join([vocab.names.get(r, r) for r in rec["recipients"]])
    fields = {
        "data": _join(labels("data_category", rec["data_categories"])),
        "subjects": _join(labels("data_subject", rec["data_subjects"])),
        "purposes": _join(labels("data_use", rec["purposes"])),
        "recipients": recipients,
        "recipients_cap": recipients[:1].upper() + recipients[1:],
        "countries": _join([tax.country_name(c) for c in rec["countries"]]),
        "retention": _RETENTION_TEXT.get(rec["retention"], rec["retention"]),
        "exceptions": " or ".join(_EXCEPTION_TEXT[e] for e in rec["exceptions"]),
        "rights": _join(labels("right", rec["rights"])) or "rights",
    }
    return " ".join(_TEMPLATES[rec["action"]][rec["wording"]].format(**fields).split())  # one line


def _render(version: str, org_name: str, sections: list[tuple[str, list[dict]]], vocab: _Vocabulary,
            tax: Taxonomy) -> Policy:
    """Number the sections, write the text and give every statement its quote and line."""
    from .policy.model import Policy, _sections_frame, statements_frame

    day = dt.date.fromisoformat(version)
    org_name = " ".join(org_name.split()) or "Our"
    lines = [f"{org_name} Privacy Policy", "",
             f"The last changes to this Privacy Policy were made on {day:%d-%m-%Y}.", ""]
    section_rows, statement_rows = [], []
    for number, (title, statements) in enumerate(sections, start=1):
        start = len(lines) + 1
        lines += [f"{number}. {title}", ""]
        for k, rec in enumerate(statements, start=1):
            sentence = _sentence(rec, vocab, tax)
            lines += [sentence, ""]
            row = {key: value for key, value in rec.items() if key != "wording"}
            row.update(statement_id=f"s{number}-{k}", section=str(number), section_title=title,
                       quote=sentence, line=len(lines) - 1, origin="reviewed")
            statement_rows.append(row)
        body = "\n".join(lines[start + 1:]).strip()
        section_rows.append({"number": str(number), "title": title, "level": 1, "text": body,
                             "line_start": start, "line_end": len(lines) - 1})
    text = "\n".join(lines).rstrip() + "\n"
    meta = {"title": f"{org_name} Privacy Policy", "stated_date": version, "controller": [org_name]}
    return Policy(version=version, sections=_sections_frame(section_rows),
                  statements=statements_frame(statement_rows), meta=meta, origin="reviewed", text=text)


def _group(statements: list[dict]) -> list[tuple[str, list[dict]]]:
    titles: dict[str, list[dict]] = {}
    for action in _SECTION_ORDER:
        for rec in statements:
            if rec["action"] == action:
                titles.setdefault(_SECTION_TITLES[action], []).append(rec)
    return list(titles.items())


_VERSIONS = st.dates(min_value=dt.date(2018, 5, 25), max_value=dt.date(2026, 12, 31))


@st.composite
def policies(
    draw,
    register: Register | None = None,
    *,
    min_statements: int = 1,
    max_statements: int = 12,
    version: str | None = None,
    taxonomy: Taxonomy | None = None,
) -> Policy:
    """A :class:`ropa.Policy`: statements and the plain text they are rendered to.

    The text has a title, the date of the last change, and numbered sections grouped by
    what the statements do (collect, use, share, transfer, track, retain, the negations,
    the rights). Each statement's ``quote`` is its sentence and ``line`` the sentence's
    line in ``policy.text``, so an extractor can be checked against the statements.

    Args:
        register: when given, statements speak of its data categories, purposes, data
            subjects and recipients (by their names), so that consistency checks have
            flows to match; otherwise of any taxonomy keys.
        min_statements, max_statements: how many statements.
        version: the version date (YYYY-MM-DD); drawn when not given.
        taxonomy: the taxonomy (default: the register's, else ``ropa.default_taxonomy()``).

    Example:
        >>> from hypothesis import given
        >>> from ropa.testing import policies
        >>> @given(policies())
        ... def test_every_quote_is_in_the_text(pol):
        ...     assert all(q in pol.text for q in pol.statements["quote"])
        >>> test_every_quote_is_in_the_text()
    """
    tax = taxonomy or (register.taxonomy if register is not None else _taxonomy(None))
    vocab = _vocabulary(tax, register)
    statements = _statements(draw, vocab, tax, min_statements, max_statements)
    version = version or draw(_VERSIONS).isoformat()
    org_name = register.name if register is not None else draw(_pick(_ORG_NAMES))
    return _render(version, org_name, _group(statements), vocab, tax)


class PolicyVersions(NamedTuple):
    """Two versions of a policy and what changed between them.

    ``changes`` has one row per change: ``change`` (``added``, ``removed``, ``reworded``,
    ``changed``, ``moved``), ``old_statement_id``, ``new_statement_id`` (``None`` where
    absent), ``material`` (True when the substance changed: a new or dropped data flow, a
    new recipient, data category or purpose; False for rewording and moving) and ``detail``.
    The version date always moves forward.
    """

    old: Policy
    new: Policy
    changes: pd.DataFrame


@st.composite
def policy_versions(
    draw,
    register: Register | None = None,
    *,
    max_changes: int = 4,
    taxonomy: Taxonomy | None = None,
) -> PolicyVersions:
    """An old and a new version of one policy, and the list of the changes made.

    Changes drawn: a statement added, removed, reworded (same meaning, other words),
    changed (a new data category or recipient in it) or moved to another section.

    Example:
        >>> from hypothesis import given
        >>> from ropa.testing import policy_versions
        >>> @given(policy_versions())
        ... def test_new_is_later(pair):
        ...     assert pair.new.version > pair.old.version
        >>> test_new_is_later()
    """
    import pandas as pd

    tax = taxonomy or (register.taxonomy if register is not None else _taxonomy(None))
    vocab = _vocabulary(tax, register)
    statements = _statements(draw, vocab, tax, 2, 10)
    old_day = draw(st.dates(min_value=dt.date(2018, 5, 25), max_value=dt.date(2025, 12, 31)))
    new_day = old_day + dt.timedelta(days=draw(st.integers(1, 365)))
    org_name = register.name if register is not None else draw(_pick(_ORG_NAMES))
    for i, rec in enumerate(statements):
        rec["_key"] = i
    old = _render(old_day.isoformat(), org_name, _group(statements), vocab, tax)
    old_ids = {rec["_key"]: sid for rec, sid in zip(_flatten(_group(statements)), old.statements["statement_id"],
                                                    strict=True)}
    new_statements = [dict(rec) for rec in statements]
    log: list[dict[str, Any]] = []
    kinds = draw(st.lists(st.sampled_from(["added", "removed", "reworded", "changed", "moved"]),
                          min_size=1, max_size=max_changes))
    touched: set[int] = set()
    next_key = len(statements)
    for kind in kinds:
        free = [r for r in new_statements if r["_key"] not in touched and r["_key"] < len(statements)]
        if kind == "added":
            rec = _statement(draw, vocab, tax)
            if any(_content(rec) == _content(other) for other in new_statements):
                continue
            rec["_key"] = next_key
            next_key += 1
            touched.add(rec["_key"])
            new_statements.append(rec)
            log.append({"change": "added", "key": rec["_key"], "material": True,
                        "detail": f"new {rec['action']} statement"})
            continue
        if not free:
            continue
        rec = draw(_pick(free))
        touched.add(rec["_key"])
        if kind == "removed":
            new_statements.remove(rec)
            log.append({"change": "removed", "key": rec["_key"], "material": True,
                        "detail": f"{rec['action']} statement dropped"})
        elif kind == "reworded":
            choices = [w for w in range(len(_TEMPLATES[rec["action"]])) if w != rec["wording"]]
            rec["wording"] = draw(_pick(choices))
            log.append({"change": "reworded", "key": rec["_key"], "material": False, "detail": "same meaning"})
        elif kind == "moved":
            # to the other end of its section: a reordering, not a change of substance
            section = [r for r in new_statements if _SECTION_TITLES[r["action"]] == _SECTION_TITLES[rec["action"]]]
            if len(section) < 2:
                touched.discard(rec["_key"])
                continue
            new_statements.remove(rec)
            if section[0] is rec:
                new_statements.append(rec)
            else:
                new_statements.insert(0, rec)
            log.append({"change": "moved", "key": rec["_key"], "material": False, "detail": "reordered"})
        else:  # changed
            if rec["action"] == "inform":
                options = [r for r in vocab.rights if r not in rec["rights"] and r != "right"]
                if not options:
                    touched.discard(rec["_key"])
                    continue
                rec["rights"] = [*rec["rights"], draw(_pick(options))]
                detail = f"right {rec['rights'][-1]} added"
            else:
                options = [c for c in vocab.categories if c not in rec["data_categories"]]
                if not options:
                    touched.discard(rec["_key"])
                    continue
                rec["data_categories"] = [*rec["data_categories"], draw(_pick(options))]
                detail = f"data category {rec['data_categories'][-1]} added"
            log.append({"change": "changed", "key": rec["_key"], "material": True, "detail": detail})
    if not log:  # every drawn change was impossible here: reword one statement instead
        rec = draw(_pick(new_statements))
        rec["wording"] = draw(_pick([w for w in range(len(_TEMPLATES[rec["action"]])) if w != rec["wording"]]))
        log.append({"change": "reworded", "key": rec["_key"], "material": False, "detail": "same meaning"})
    grouped = _group(new_statements)
    new = _render(new_day.isoformat(), org_name, grouped, vocab, tax)
    new_ids = {rec["_key"]: sid for rec, sid in zip(_flatten(grouped), new.statements["statement_id"], strict=True)}
    changes = pd.DataFrame({
        "change": pd.Series([e["change"] for e in log], dtype="str"),
        "old_statement_id": pd.Series([old_ids.get(e["key"]) for e in log], dtype=object),
        "new_statement_id": pd.Series([new_ids.get(e["key"]) for e in log], dtype=object),
        "material": pd.Series([bool(e["material"]) for e in log], dtype=bool),
        "detail": pd.Series([e["detail"] for e in log], dtype="str"),
    })
    for rec in statements + new_statements:
        rec.pop("_key", None)
    return PolicyVersions(old, new, changes)


def _content(rec: dict[str, Any]) -> tuple:
    """What a statement says, without its wording."""
    return tuple((k, tuple(v) if isinstance(v, list) else v) for k, v in sorted(rec.items())
                 if k not in ("wording", "_key"))


def _flatten(grouped: list[tuple[str, list[dict]]]) -> list[dict]:
    return [rec for _, recs in grouped for rec in recs]
