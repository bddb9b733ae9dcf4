"""The register's canonical columns, and the headings of tables and templates that map onto them.

The columns are code (every stage reads them); the headings other people write are data,
``ropa/taxonomy/headings.yml``, read once and checked by :func:`heading_tables`.

Example:
    >>> from ropa.register.columns import heading_field, heading_tables, normalise_heading
    >>> normalise_heading("Catégories de données (si applicable)")
    'categories_de_donnees'
    >>> heading_field("Categories of individuals"), heading_tables().recipients["dpa"]
    ('data_subjects', 'contract_reference')
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ..core.yamlio import package_yaml

__all__ = [
    "ACTIVITY_COLUMNS",
    "ACTIVITY_LIST_COLUMNS",
    "BOOL_COLUMNS",
    "IMPORT_FIELDS",
    "RECIPIENT_COLUMNS",
    "RECIPIENT_LIST_COLUMNS",
    "TAXONOMY_LIST_COLUMNS",
    "UNMAPPED_COLUMN",
    "HeadingTables",
    "heading_field",
    "heading_tables",
    "normalise_heading",
    "unmapped_pairs",
    "unmapped_text",
    "user_field",
]

#: Canonical activities.csv columns, in the order they are written.
ACTIVITY_COLUMNS: tuple[str, ...] = (
    "activity_id", "name", "business_function", "owner", "role", "controllers",
    "purposes", "purpose_description", "lawful_basis", "legitimate_interest", "lia_reference",
    "data_subjects", "data_categories", "special_categories", "art9_condition",
    "criminal_offence_data", "recipients", "transfer_countries", "transfer_safeguards",
    "retention", "retention_trigger", "security_measures", "source", "systems", "dpia",
    "automated_decision_making", "status", "last_reviewed",
)

#: Columns whose cells are lists (``;``-separated in CSV).
ACTIVITY_LIST_COLUMNS: frozenset[str] = frozenset({
    "controllers", "purposes", "lawful_basis", "data_subjects", "data_categories",
    "special_categories", "art9_condition", "recipients", "transfer_countries",
    "transfer_safeguards", "security_measures", "source", "systems",
})

#: List columns of activities that hold taxonomy keys, and their kind.
TAXONOMY_LIST_COLUMNS: dict[str, str] = {
    "purposes": "data_use",
    "data_subjects": "data_subject",
    "data_categories": "data_category",
    "lawful_basis": "legal_basis",
    "special_categories": "art9_category",
    "art9_condition": "art9_condition",
    "transfer_safeguards": "safeguard",
    "source": "source",
}

BOOL_COLUMNS: frozenset[str] = frozenset({"criminal_offence_data", "automated_decision_making"})

RECIPIENT_COLUMNS: tuple[str, ...] = (
    "recipient_id", "name", "aliases", "kind", "category", "country",
    "transfer_safeguard", "contract_reference", "description", "created_from",
)
RECIPIENT_LIST_COLUMNS: frozenset[str] = frozenset({"aliases"})

#: The extra activities column that keeps the parts of imported cells no term matched,
#: as ``column: text`` entries separated by ``; ``.
UNMAPPED_COLUMN = "unmapped"

#: What the importers read from a template's cells: the activities columns, and the ICO's
#: "DPIA required?" and contract columns (which go to the DPIA state and the recipients).
IMPORT_FIELDS: frozenset[str] = frozenset(ACTIVITY_COLUMNS) | {"dpia_required", "contract_reference",
                                                               UNMAPPED_COLUMN}


def normalise_heading(text: str) -> str:
    """Lower-case ASCII snake case: 'Catégories de données' -> 'categories_de_donnees'."""
    text = str(text).replace("œ", "oe").replace("Œ", "OE").replace("æ", "ae")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"\(.*?\)", " ", text.lower())
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


def unmapped_pairs(text: str) -> list[tuple[str, str]]:
    """The ``unmapped`` column's ``column: text; ...`` entries as (column, text) pairs (an entry
    without a column is under ``unmapped``)."""
    pairs = []
    for entry in (e.strip() for e in (text or "").split("; ")):
        if entry:
            column, sep, part = entry.partition(": ")
            pairs.append((column, part) if sep else (UNMAPPED_COLUMN, entry))
    return pairs


def unmapped_text(pairs: Iterable[tuple[str, str]]) -> str:
    """(column, text) pairs as the ``unmapped`` column writes them, each once."""
    return "; ".join(f"{c}: {p}" for c, p in dict.fromkeys(pairs))


# -- the headings of other tables (data) ------------------------------------------------------

_FIELDS = frozenset(IMPORT_FIELDS)
_CONTACT_FIELDS = frozenset({"name", "address", "email", "phone", "postcode", "city", "country", "organisation"})


class _LayoutColumn(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    group: str
    heading: str = Field(min_length=1)
    field: str


class _FicheLabel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    label: str = Field(min_length=1)
    field: str


class _SheetNames(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    recipients: frozenset[str]
    about: frozenset[str]
    taxonomy: frozenset[str]


class HeadingTables(BaseModel):
    """``ropa/taxonomy/headings.yml``: each section is described by its comment in the file.

    The heading maps (``activities``, ``recipients``, ``ico``, ``ico_extra``, ``cnil``,
    ``cnil_fiche``, ``contact``, ``cnil_contact``) are checked to be written as
    :func:`normalise_heading` writes a heading, and to name fields ropa has.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    activities: dict[str, str]
    recipients: dict[str, str]
    ico: dict[str, str]
    ico_extra: dict[str, str]
    cnil: dict[str, str]
    cnil_fiche: dict[str, str]
    contact: dict[str, str]
    cnil_contact: dict[str, str]
    sheets: _SheetNames
    about_headings: frozenset[str]
    titles: tuple[str, ...]
    ico_group_titles: frozenset[str]
    not_designated: frozenset[str]
    ico_layout: tuple[_LayoutColumn, ...]
    ico_processor_headings: dict[str, str]
    cnil_layout: tuple[_FicheLabel, ...]
    layout_words: dict[str, dict[str, str]]
    recipients_sheet: dict[str, str]

    @field_validator("activities", "recipients", "ico", "ico_extra", "cnil", "cnil_fiche", "contact",
                     "cnil_contact")
    @classmethod
    def _normalised(cls, value: dict[str, str]) -> dict[str, str]:
        bad = [k for k in value if normalise_heading(k) != k]
        if bad:
            raise ValueError(f"headings not written as normalise_heading writes them: {bad}")
        return value

    @model_validator(mode="after")
    def _known_fields(self) -> HeadingTables:
        checks: list[tuple[str, Iterable[str], frozenset[str]]] = [
            ("activities", self.activities.values(), _FIELDS),
            ("ico", self.ico.values(), _FIELDS),
            ("ico_extra", self.ico_extra.values(), _FIELDS),
            ("cnil", self.cnil.values(), _FIELDS),
            ("cnil_fiche", self.cnil_fiche.values(), _FIELDS),
            ("ico_layout", (c.field for c in self.ico_layout), _FIELDS),
            ("ico_processor_headings", self.ico_processor_headings, _FIELDS),
            ("cnil_layout", (c.field for c in self.cnil_layout), _FIELDS),
            ("recipients", self.recipients.values(), frozenset(RECIPIENT_COLUMNS)),
            ("recipients_sheet", self.recipients_sheet, frozenset(RECIPIENT_COLUMNS)),
            ("contact", self.contact.values(), _CONTACT_FIELDS),
            ("cnil_contact", self.cnil_contact.values(), _CONTACT_FIELDS),
        ]
        for section, names, allowed in checks:
            unknown = sorted(set(names) - allowed)
            if unknown:
                raise ValueError(f"{section}: not a field ropa reads: {unknown}")
        return self


@functools.cache
def heading_tables() -> HeadingTables:
    """The heading tables of ``ropa/taxonomy/headings.yml``, read and checked once.

    Raises:
        pydantic.ValidationError: the data file is malformed (a packaging error, not input).
    """
    return HeadingTables.model_validate(package_yaml("headings.yml"))


def user_field(heading: str, user: Mapping[str, str] | None) -> str | None:
    """The field a user's own ``headings`` mapping gives a heading (as written, or normalised)."""
    if not user:
        return None
    if heading in user:
        return user[heading]
    norm = normalise_heading(heading)
    for k, v in user.items():
        if normalise_heading(k) == norm:
            return v
    return None


def heading_field(heading: str, aliases: Mapping[str, str] | None = None,
                  canonical: Iterable[str] = ACTIVITY_COLUMNS) -> str | None:
    """The canonical column a table heading means: itself, an alias (default: the activities
    aliases), or an ICO or CNIL template heading; None when none of them."""
    norm = normalise_heading(heading)
    if norm in canonical:
        return norm
    tables = heading_tables()
    found: Any = (tables.activities if aliases is None else aliases).get(norm)
    return found or tables.ico.get(norm) or tables.cnil.get(norm)
