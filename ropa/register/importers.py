"""Registers kept elsewhere: the UK ICO's and the CNIL's workbooks, and Fides manifests.

``load_register`` sends an ``.xlsx`` file here (:func:`load_workbook_register`) and a folder
of Fides manifests too (:func:`load_fides`). The writers give a register back in the same
layouts (:func:`write_ico_workbook`, :func:`write_cnil_workbook`, :func:`write_fides`).

Free-text cells are split into parts (on new lines, semicolons and bullets, then on commas
outside parentheses, then on "and", "or", "&" and "/") and each part is looked up in the
taxonomy through its keys, labels and synonyms (``Taxonomy.lookup``), plus the phrase tables
below for legal bases, Art 9 conditions, transfer safeguards, countries and a few French
terms of the CNIL's model. A part that maps to nothing is reported (``unmapped-cell``, with the
closest keys from ``Taxonomy.suggest``) and kept in the activity's ``unmapped`` column as
``column: text``, never dropped. Nothing in an input is lost: every cell, field or resource is
loaded, or reported in ``register.load_findings`` with its file, sheet, row and column.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from ..core import durations
from ..core.countries import country_code
from ..core.errors import RegisterLoadError
from ..core.findings import findings_frame, make_findings
from ..core.names import slug
from ..core.safety import neutralise
from ..core.taxonomy import Taxonomy, default_taxonomy
from ..core.words import fold, truth
from ..core.yamlio import duplicate_key_rows, parse_yaml, read_yaml
from .cells import listify
from .columns import (
    ACTIVITY_COLUMNS,
    ACTIVITY_LIST_COLUMNS,
    IMPORT_FIELDS,
    RECIPIENT_COLUMNS,
    RECIPIENT_LIST_COLUMNS,
    UNMAPPED_COLUMN,
    heading_tables,
    normalise_heading,
    unmapped_pairs,
    unmapped_text,
    user_field,
)
from .model import Register, assemble_register
from .phrases import is_none, match_phrases, none_words, phrase_synonyms, phrase_tables
from .tables import no_recipients, read_activities, read_recipients
from .xlsxfile import column_letter, read_workbook

__all__ = [
    "UNMAPPED_COLUMN",
    "load_fides",
    "load_workbook_register",
    "looks_like_fides",
    "map_free_text",
    "write_cnil_workbook",
    "write_fides",
    "write_ico_workbook",
]

# =========================================================================================
# Text helpers
# =========================================================================================

_FORMULA_QUOTED = re.compile(r"^'(?=[=+\-@\t\r])")
_LINES = re.compile(r"\s*(?:\r?\n|;|\u2022|\u25cf|\u25aa)\s*")
_COMMAS = re.compile(r"\s*,\s*")
_CONJ = re.compile(r"\s+(?:and/or|and|or|&|et|ou)\s+|\s*/\s*", re.IGNORECASE)
_BULLET = re.compile(r"^(?:[-*\u00b7\u2013\u2014]\s+|\(?\d{1,2}[.)]\s+|e\.g\.\s*|such as\s+)", re.IGNORECASE)
_ARTICLES = re.compile(r"^(?:the|their|our|your|his|her|its|all|any|a|an|les|la|le|des|du|de la|l')\s+",
                       re.IGNORECASE)


def _cell(value: Any) -> str:
    """A workbook cell as text: numbers without '.0', dates as ISO, neutralised formulas undone."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value != value:
            return ""
        return str(int(value)) if value.is_integer() else str(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    return _FORMULA_QUOTED.sub("", text)


def _depth_split(text: str, pattern: re.Pattern[str]) -> list[str]:
    """Split ``text`` where ``pattern`` matches outside parentheses and brackets."""
    depth_at = []
    depth = 0
    for ch in text:
        if ch in "([{":
            depth += 1
        depth_at.append(depth)
        if ch in ")]}":
            depth = max(0, depth - 1)
    parts, start = [], 0
    for m in pattern.finditer(text):
        if m.start() < len(depth_at) and depth_at[m.start()] == 0 and m.end() > m.start():
            parts.append(text[start:m.start()])
            start = m.end()
    parts.append(text[start:])
    return parts


def _clean(part: str) -> str:
    part = part.strip().strip("\"'\u201c\u201d")
    part = _BULLET.sub("", part).strip()
    return part.rstrip(".,:;").strip()


def _dedupe(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(i for i in items if i))


def _lines(text: str) -> list[str]:
    """Parts of a cell split on new lines, semicolons and bullets (not commas)."""
    return [p for p in (_clean(x) for x in _depth_split(text or "", _LINES)) if p]


def _items(text: str) -> list[str]:
    """Parts of a cell split on lines, semicolons, bullets and commas outside parentheses."""
    out = []
    for line in _lines(text):
        out += [p for p in (_clean(x) for x in _depth_split(line, _COMMAS)) if p]
    return out


def _country_text(taxonomy: Taxonomy, code: str) -> str:
    """A country's name when it reads back as the same code, else the code."""
    name = taxonomy.country_name(code)
    return name if country_code(name) == code else code


_ART6_REF = re.compile(r"(?<!\d)6[\W_]{0,2}1[\W_]{0,3}(?:lit[\W_]{0,2})?([a-f])(?=[\W_]|$)", re.IGNORECASE)
_ART9_REF = re.compile(r"(?<!\d)9[\W_]{0,2}2[\W_]{0,3}(?:lit[\W_]{0,2})?([a-j])(?=[\W_]|$)", re.IGNORECASE)


def _basis_key(mapper: _Mapper, kind: str, text: str) -> str | None:
    """The legal-basis (art6) or Art 9 condition key a cell part names."""
    key = mapper.phrase(kind, text)
    if key:
        return key
    compact = re.sub(r"\s+", "", text)
    if kind == "legal_basis":
        m = _ART6_REF.search(compact)
        return f"art6_1_{m[1].lower()}" if m else match_phrases("legal_basis", text)
    m = _ART9_REF.search(compact)
    return f"art9_2_{m[1].lower()}" if m else match_phrases("art9_condition", text)


def _basis_text(taxonomy: Taxonomy, kind: str, key: str) -> str:
    """'Art 6(1)(b) Performance of a contract' for a legal-basis or Art 9 key."""
    article = taxonomy.attribute(kind, key, "article", "") or ""
    name = taxonomy.label(kind, key)
    return f"{article} {name}".strip() if name != key else key


def _unique_id(base: str, taken: set[str]) -> str:
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    taken.add(candidate)
    return candidate


class _Mapper:
    """Looks cell parts up in one taxonomy: keys, labels, synonyms, and the French phrases."""

    def __init__(self, taxonomy: Taxonomy):
        self.tax = taxonomy
        self._folded: dict[str, dict[str, str]] = {}

    def _table(self, kind: str) -> dict[str, str]:
        table = self._folded.get(kind)
        if table is None:
            table = {}
            for key, words in phrase_synonyms(kind).items():
                if self.tax.known(kind, [key])[0]:
                    for phrase in words:
                        table.setdefault(fold(phrase), key)
            for phrase, key in self.tax.synonyms(kind).items():
                table.setdefault(fold(phrase), key)
            self._folded[kind] = table
        return table

    def phrase(self, kind: str, text: str) -> str | None:
        """The key one phrase means, or None. Tries the phrase, then without its
        parenthetical, leading article, and as singular or plural."""
        text = _clean(text)
        if not text:
            return None
        table = self._table(kind)
        base = re.sub(r"\s*\([^)]*\)\s*", " ", text).strip()
        stripped = _ARTICLES.sub("", base).strip()
        for candidate in dict.fromkeys((text, base, stripped)):
            if not candidate:
                continue
            key = self.tax.lookup(kind, candidate)
            if key:
                return key
            folded = fold(candidate)
            key = table.get(folded)
            if key is None and len(folded) > 3:
                key = table.get(folded[:-1]) if folded.endswith("s") else table.get(folded + "s")
            if key:
                return key
        return None

    def cell(self, kind: str, text: str) -> tuple[list[str], list[str]]:
        """A free-text cell as (keys, parts that match nothing)."""
        keys: list[str] = []
        unmapped: list[str] = []
        for line in _lines(text):
            key = self.phrase(kind, line)
            if key:
                keys.append(key)
                continue
            for piece in (p for p in (_clean(x) for x in _depth_split(line, _COMMAS)) if p):
                key = self.phrase(kind, piece)
                if key:
                    keys.append(key)
                    continue
                subs = [s for s in (_clean(x) for x in _depth_split(piece, _CONJ)) if s]
                if len(subs) > 1:
                    for sub in subs:
                        key = self.phrase(kind, sub)
                        (keys if key else unmapped).append(key or sub)
                elif not is_none(piece):
                    unmapped.append(piece)
        return _dedupe(keys), _dedupe(unmapped)

    def mentions(self, kind: str, text: str) -> list[str]:
        """Keys whose phrases occur (as whole words) in prose, longest phrases first."""
        folded = fold(text)
        taken: list[tuple[int, int]] = []
        found: list[tuple[int, str]] = []
        for phrase, key in sorted(self._table(kind).items(), key=lambda kv: -len(kv[0])):
            if len(phrase) < 4:
                continue
            for m in re.finditer(rf"(?<![a-z0-9]){re.escape(phrase)}(?![a-z0-9])", folded):
                if not any(m.start() < end and start < m.end() for start, end in taken):
                    taken.append((m.start(), m.end()))
                    found.append((m.start(), key))
        return _dedupe(key for _, key in sorted(found))

    def term_text(self, kind: str, key: str) -> str:
        """The readable label of a key when it reads back as that key, else the key."""
        label = self.tax.label(kind, key)
        return label if label != key and self.phrase(kind, label) == key else key


def map_free_text(taxonomy: Taxonomy, kind: str, text: str) -> tuple[list[str], list[str]]:
    """Map a free-text cell onto taxonomy keys: (keys, parts that matched nothing).

    The cell is split on new lines, semicolons and bullets, then (for parts that do not
    match as a whole) on commas outside parentheses, then on "and", "or", "&" and "/".

    Example:
        >>> from ropa import default_taxonomy
        >>> map_free_text(default_taxonomy(), "data_category", "Name, email address, phone numbers")
        (['user.name', 'user.contact.email', 'user.contact.phone_number'], [])
        >>> map_free_text(default_taxonomy(), "data_subject", "Customers and prospects")
        (['customer', 'prospect'], [])
    """
    return _Mapper(taxonomy).cell(kind, text)


# =========================================================================================
# Reading canonical fields from cell text (shared by the ICO and CNIL layouts)
# =========================================================================================

@dataclass
class _Where:
    """Where a cell came from, for findings."""

    file: str
    row: int | None = None
    activity_id: str | None = None


class _Findings:
    """Finding rows collected during an import, by code."""

    def __init__(self) -> None:
        self.rows: dict[str, list[dict[str, Any]]] = {}

    def add(self, code: str, where: _Where | None, **fields: Any) -> None:
        row = {"file": where.file, "row": where.row, "activity_id": where.activity_id} if where else {}
        row.update({k: v for k, v in fields.items() if v is not None})
        self.rows.setdefault(code, []).append(row)

    def unmapped(self, taxonomy: Taxonomy, where: _Where, column: str, part: str, kind: str | None) -> None:
        """Report a part of a cell that matches no term (``unmapped-cell``), with the closest keys."""
        hints = taxonomy.suggest(kind, part) if kind else []
        closest = f" (closest: {', '.join(hints)})" if hints else ""
        self.add(
            "unmapped-cell", where, column=column, evidence=part,
            message=f"{column} part {part!r} matches no taxonomy term{closest}; kept as text",
            recommendation=(f"Did you mean {' or '.join(repr(h) for h in hints)}? " if hints else "")
            + "Reword the cell with a known term, or add the phrase as a synonym in taxonomy.yaml.",
        )

    def frames(self) -> list[pd.DataFrame]:
        return [make_findings(code, rows) for code, rows in self.rows.items() if rows]


class _RecipientBook:
    """The register's recipients while an import runs: matched by id, name or alias, and
    created from free text where nothing matches."""

    def __init__(self, frame: pd.DataFrame, mapper: _Mapper, categories: Iterable[str],
                 findings: _Findings):
        self.mapper = mapper
        self.categories = set(categories)
        self.findings = findings
        self.rows: dict[str, dict[str, Any]] = {}
        self.index: dict[str, int] = {}
        self.order: list[str] = []
        self.created: set[str] = set()
        self.names: dict[str, str] = {}
        next_row = 2
        for row, rec in zip(frame.index, frame.to_dict("records"), strict=True):
            rid = str(rec.get("recipient_id") or "")
            if not rid or rid in self.rows:
                # Kept under a key of its own, so the register checks still see the empty or
                # duplicate id; names resolve to the first row.
                key = f"{rid or 'row'}#{row}"
                self.rows[key], self.index[key] = dict(rec), int(row)
                self.order.append(key)
                continue
            self._add(rid, dict(rec), int(row))
            next_row = max(next_row, int(row) + 1)
        self.next_row = next_row

    def _add(self, rid: str, rec: dict[str, Any], row: int) -> None:
        if rid in self.rows:
            return
        self.rows[rid] = rec
        self.index[rid] = row
        self.order.append(rid)
        for name in [rid, rec.get("name") or "", *(rec.get("aliases") or [])]:
            if name:
                self.names.setdefault(fold(name), rid)

    def frame(self) -> pd.DataFrame:
        records = [self.rows[r] for r in self.order]
        frame = pd.DataFrame(records, columns=list(RECIPIENT_COLUMNS) + [
            c for c in (records[0] if records else {}) if c not in RECIPIENT_COLUMNS])
        for col in frame.columns:
            if col in RECIPIENT_LIST_COLUMNS:
                frame[col] = [list(v) if isinstance(v, list | tuple) else [] for v in frame[col]]
            else:
                frame[col] = frame[col].map(lambda v: "" if v is None or v != v else str(v)).astype("str")
        frame.index = pd.Index([self.index[r] for r in self.order], name="row")
        return frame

    def find(self, text: str) -> str | None:
        return self.names.get(fold(_clean(text)))

    def set_if_empty(self, rid: str, column: str, value: str) -> bool:
        rec = self.rows.get(rid)
        if rec is None or not value:
            return False
        if not rec.get(column):
            rec[column] = value
            return True
        return rec.get(column) == value

    def kind_for(self, category: str) -> str:
        tax = self.mapper.tax
        if category.startswith("we"):
            return "internal"
        if tax.known("recipient", [category])[0]:
            if tax.is_under("recipient", category, "third_party.public_authority"):
                return "public_authority"
            if tax.is_under("recipient", category, "third_party.service_provider"):
                return "processor"
            return "controller"
        return "processor"

    def guess_category(self, texts: Sequence[str]) -> tuple[str, str]:
        """A recipient category for a name and its details, and what it was guessed from."""
        tax = self.mapper.tax
        generic = ("third_party", "we")
        implied = phrase_tables().use_to_recipient_category

        def from_uses(uses: Iterable[str]) -> str | None:
            for use in uses:
                for candidate in [use, *tax.ancestors("data_use", use)]:
                    if candidate in implied:
                        return implied[candidate]
            return None

        for text in texts:
            key = self.mapper.phrase("recipient", text)
            if key in self.categories and key not in generic:
                return key, f"{text!r}"
            use = self.mapper.phrase("data_use", text)
            if use and from_uses([use]):
                return from_uses([use]), f"{text!r} (a {use} service)"  # type: ignore[return-value]
            keys = [k for k in self.mapper.mentions("recipient", text) if k in self.categories and k not in generic]
            if keys:
                return keys[0], f"{text!r}"
            uses = self.mapper.mentions("data_use", text)
            if from_uses(uses):
                return from_uses(uses), f"{text!r} (a {uses[0]} service)"  # type: ignore[return-value]
        for text in texts:
            hints = [k for k in tax.suggest("recipient", text, limit=5) if k in self.categories and k not in generic]
            if hints:
                return hints[0], f"the nearest category to {text!r}"
        return "third_party", "nothing (no category could be read)"

    def resolve(self, text: str, where: _Where, column: str) -> tuple[list[str], list[str]]:
        """Recipient ids or category keys for a cell; parts that could not be resolved."""
        out: list[str] = []
        unmapped: list[str] = []
        for part in _lines(text):
            pieces = [part] if self._resolve_one(part, where, column, probe=True) else \
                [p for p in (_clean(x) for x in _depth_split(part, _COMMAS)) if p]
            for piece in pieces:
                got = self._resolve_one(piece, where, column)
                (out if got else unmapped).append(got or piece)
        return _dedupe(out), _dedupe(unmapped)

    def _resolve_one(self, part: str, where: _Where, column: str, probe: bool = False) -> str | None:
        if is_none(part):
            return "none"
        m = re.match(r"^(.*?)\s*\((.*)\)\s*$", part, re.DOTALL)
        base, details = (m[1].strip(), m[2].strip()) if m else (part, "")
        for candidate in dict.fromkeys((part, base)):
            if not candidate:
                continue
            rid = self.find(candidate)
            if rid:
                if not probe and rid in self.created and details:
                    self._enrich(rid, details)
                return rid
            key = self.mapper.phrase("recipient", candidate)
            if key:
                return key
        if probe or not base or (not base[0].isupper() and not details):
            return None
        return self._create(part, base, details, where, column)

    def _enrich(self, rid: str, details: str) -> None:
        for piece in _items(details):
            code = country_code(piece)
            if code:
                self.set_if_empty(rid, "country", code)

    def _create(self, part: str, base: str, details: str, where: _Where, column: str) -> str:
        rid = _unique_id(slug(base), set(self.rows))
        country, notes, texts = "", [], []
        for piece in _items(details):
            code = country_code(piece)
            if code and not country:
                country = code
            else:
                notes.append(piece)
                texts.append(piece)
        category, source = self.guess_category([*texts, base])
        kind = self.kind_for(category)
        rec = {c: ([] if c in RECIPIENT_LIST_COLUMNS else "") for c in RECIPIENT_COLUMNS}
        rec.update(recipient_id=rid, name=base, kind=kind, category=category, country=country,
                   description=", ".join(notes))
        self._add(rid, rec, self.next_row)
        self.next_row += 1
        self.created.add(rid)
        evidence = (f"{part!r} in {column}: category {category} guessed from {source}, kind {kind}"
                    + (f", country {country}" if country else ", country unknown"))
        self.findings.add("recipient-created", where, recipient_id=rid, column=column, evidence=evidence)
        return rid


@dataclass
class _Reader:
    """Turns one activity's cell texts (by canonical field) into a canonical record."""

    mapper: _Mapper
    book: _RecipientBook
    findings: _Findings
    org_controllers: list[dict[str, Any]] = field(default_factory=list)

    def unmapped(self, where: _Where, column: str, part: str, kind: str | None) -> None:
        self.findings.unmapped(self.mapper.tax, where, column, part, kind)

    def read(self, fields: Mapping[str, str], where: _Where, *, role_default: str,
             extra_unmapped: Sequence[tuple[str, str]] = ()) -> dict[str, Any]:
        tax = self.mapper.tax
        rec: dict[str, Any] = {c: ([] if c in ACTIVITY_LIST_COLUMNS else "") for c in ACTIVITY_COLUMNS}
        kept: list[tuple[str, str]] = list(extra_unmapped)
        get = lambda name: (fields.get(name) or "").strip()  # noqa: E731

        for col in ("activity_id", "name", "business_function", "owner", "legitimate_interest",
                    "lia_reference", "purpose_description", "retention_trigger"):
            rec[col] = get(col)
        rec["last_reviewed"] = _date_text(get("last_reviewed"))

        def keys_of(column: str, kind: str, text: str, keep: bool = True) -> list[str]:
            keys, bad = self.mapper.cell(kind, text)
            for part in bad:
                self.unmapped(where, column, part, kind)
                if keep:
                    kept.append((column, part))
            return keys

        if "purposes" in fields and get("purposes"):
            rec["purposes"] = keys_of("purposes", "data_use", get("purposes"))
        elif rec["purpose_description"]:
            # Purposes are read from the description (the terms it mentions); it stays as written.
            rec["purposes"] = self.mapper.mentions("data_use", rec["purpose_description"])
            if not rec["purposes"]:
                self.unmapped(where, "purpose_description", rec["purpose_description"], "data_use")
        rec["data_subjects"] = keys_of("data_subjects", "data_subject", get("data_subjects"))

        cats, special = [], []
        for part in _categories_parts(self.mapper, get("data_categories")):
            key = self.mapper.phrase("data_category", part)
            art9 = None if key else self.mapper.phrase("art9_category", part)
            if key:
                cats.append(key)
            elif art9:
                special.append(art9)
            else:
                self.unmapped(where, "data_categories", part, "data_category")
                kept.append(("data_categories", part))
        rec["data_categories"] = _dedupe(cats)
        special_text = get("special_categories")
        if special_text and truth(special_text) is not False and fold(special_text) not in none_words():
            special += keys_of("special_categories", "art9_category", special_text)
        for key in tax.keys("art9_category") if "special_categories" not in fields else ():
            under = tax.attribute("art9_category", key, "data_categories", []) or []
            if rec["data_categories"] and under and any(
                    tax.is_under("data_category", rec["data_categories"], u).any() for u in under):
                special.append(key)
        rec["special_categories"] = _dedupe(special)

        for column, kind in (("lawful_basis", "legal_basis"), ("art9_condition", "art9_condition")):
            found = []
            for part in _lines(get(column)):
                if is_none(part):
                    continue
                key = _basis_key(self.mapper, kind, part)
                if key:
                    found.append(key)
                else:
                    self.unmapped(where, column, part, kind)
                    kept.append((column, part))
            rec[column] = _dedupe(found)

        for column in ("criminal_offence_data", "automated_decision_making"):
            text = get(column)
            flag, rest = _yes_no(text)
            rec[column] = flag
            if rest:
                self.findings.add("unmapped-field", where, column=column, evidence=rest)
                kept.append((column, rest))

        rec["source"] = keys_of("source", "source", get("source"))
        rec["security_measures"] = _lines(get("security_measures"))
        rec["systems"] = _lines(get("systems"))
        retention, trigger = durations.from_words(get("retention"))
        rec["retention"] = retention
        if not rec["retention_trigger"]:
            rec["retention_trigger"] = trigger

        rec["role"] = match_phrases("role", get("role")) if get("role") else ""
        if get("role") and not rec["role"]:
            rec["role"] = get("role")
        controllers = [self._controller_id(p) for p in _lines(get("controllers"))]
        rec["controllers"] = _dedupe(c for c in controllers if not is_none(c))
        if not rec["role"]:
            rec["role"] = "joint_controller" if role_default == "controller" and rec["controllers"] \
                else role_default

        status = get("status")
        rec["status"] = (tax.lookup("status", status) or match_phrases("status", status) or status) \
            if status else ""

        rec["dpia"] = _dpia_state(self.mapper, get("dpia_required"), get("dpia"))

        # Recipients first: transfers and contracts refer to them.
        recipients, bad = self.book.resolve(get("recipients"), where, "recipients")
        for part in bad:
            self.unmapped(where, "recipients", part, "recipient")
            kept.append(("recipients", part))
        rec["recipients"] = recipients
        named = [r for r in recipients if r in self.book.rows]

        countries = []
        parts = []
        for line in _lines(get("transfer_countries")):
            parts += [line] if country_code(re.sub(r"\s*\(.*\)\s*$", "", line)) else \
                [p for p in (_clean(x) for x in _depth_split(line, _COMMAS)) if p]
        for part in parts:
            if is_none(part):
                continue
            m = re.match(r"^(.*?)\s*\((.*)\)\s*$", part)
            code = country_code(m[1]) if m else country_code(part)
            via = self.book.find(m[2]) if m else None
            if code and via:
                self.book.set_if_empty(via, "country", code)
                continue
            if code:
                countries.append(code)
            else:
                self.unmapped(where, "transfer_countries", part, None)
                kept.append(("transfer_countries", part))
        rec["transfer_countries"] = _dedupe(countries)

        safeguards = []
        for part in _lines(get("transfer_safeguards")):
            if is_none(part) and not match_phrases("safeguard", part):
                continue
            name, _, rest = part.partition(":")
            via = self.book.find(name) if rest else None
            text = rest.strip() if via else part
            key = tax.lookup("safeguard", text) or match_phrases("safeguard", text)
            if via and key:
                if not self.book.set_if_empty(via, "transfer_safeguard", key):
                    self.findings.add("unmapped-field", where, column="transfer_safeguards",
                                      evidence=f"{part} (the recipients sheet says otherwise)")
                    kept.append(("transfer_safeguards", part))
            elif key:
                safeguards.append(key)
            else:
                self.unmapped(where, "transfer_safeguards", part, "safeguard")
                kept.append(("transfer_safeguards", part))
        rec["transfer_safeguards"] = _dedupe(safeguards)
        # A row's safeguard covers the transfers to the recipients created from that row.
        usable = [s for s in rec["transfer_safeguards"] if s != "none"]
        if len(usable) == 1:
            for rid in named:
                if rid in self.book.created and not tax.is_eea([self.book.rows[rid]["country"] or "NL"])[0]:
                    self.book.set_if_empty(rid, "transfer_safeguard", usable[0])

        for part in _lines(get("contract_reference")):
            name, _, ref = part.partition(":")
            via = self.book.find(name) if ref else None
            if via:
                if not self.book.set_if_empty(via, "contract_reference", ref.strip()):
                    self.findings.add("unmapped-field", where, column="contract_reference",
                                      evidence=f"{part} (the recipients sheet says otherwise)")
                    kept.append(("contract_reference", part))
                continue
            processors = [r for r in named if self.book.rows[r].get("kind") == "processor"
                          and not self.book.rows[r].get("contract_reference")]
            if len(processors) == 1:
                self.book.set_if_empty(processors[0], "contract_reference", part)
            else:
                self.findings.add("unmapped-field", where, column="contract_reference", evidence=part)
                kept.append(("contract_reference", part))

        for entry in (e.strip() for e in get(UNMAPPED_COLUMN).split("; ")):
            column, sep, text = entry.partition(": ")
            if entry:
                self.findings.add("unmapped-field", where, column=column if sep else UNMAPPED_COLUMN,
                                  evidence=text if sep else entry)
                kept.append((column, text) if sep else (UNMAPPED_COLUMN, entry))
        rec[UNMAPPED_COLUMN] = unmapped_text(kept)
        return rec

    def _controller_id(self, text: str) -> str:
        folded = fold(text)
        for ctrl in self.org_controllers:
            if not isinstance(ctrl, Mapping):
                continue
            if folded in {fold(str(ctrl.get("id", ""))), fold(str(ctrl.get("name", "")))}:
                return str(ctrl.get("id") or ctrl.get("name"))
        return text


def _categories_parts(mapper: _Mapper, text: str) -> list[str]:
    """Parts of a data-categories cell, split only as far as needed to match terms."""
    out = []
    for line in _lines(text):
        if mapper.phrase("data_category", line) or mapper.phrase("art9_category", line):
            out.append(line)
            continue
        for piece in (p for p in (_clean(x) for x in _depth_split(line, _COMMAS)) if p):
            if mapper.phrase("data_category", piece) or mapper.phrase("art9_category", piece):
                out.append(piece)
                continue
            subs = [s for s in (_clean(x) for x in _depth_split(piece, _CONJ)) if s]
            out += subs if len(subs) > 1 else ([] if is_none(piece) else [piece])
    return _dedupe(out)


def _yes_no(text: str) -> tuple[str, str]:
    """'Yes'/'No' cells as 'true'/'false', and any words after the yes or no."""
    if not text:
        return "", ""
    folded = fold(text)
    head = re.split(r"[\s,;:.\-\u2013(]+", folded, maxsplit=1)
    word, rest = head[0], (text[len(head[0]):].strip(" ,;:.-\u2013") if len(head) > 1 else "")
    flag = truth(word)
    if flag:
        return "true", rest
    if flag is False or folded in none_words():
        return "false", rest
    return text, ""


def _date_text(text: str) -> str:
    """ISO dates unchanged; '25/03/2026' or '25.03.2026' (day first) as ISO; else as written."""
    m = re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})", text or "")
    if m:
        try:
            return dt.date(int(m[3]), int(m[2]), int(m[1])).isoformat()
        except ValueError:
            return text
    return text or ""


def _dpia_state(mapper: _Mapper, required: str, progress: str) -> str:
    """The DPIA state from the ICO's two cells (required? and progress) or the CNIL's one."""
    flag, _ = _yes_no(required) if required else ("", "")
    state = (mapper.tax.lookup("dpia", progress) or match_phrases("dpia", progress)) if progress else ""
    if flag == "false" and not state:
        return "not_required"
    if flag == "true" and (not state or state == "not_required"):
        return "required"
    if progress and not state:
        return progress
    return state or ""


# =========================================================================================
# Workbooks: detecting the layout, and reading it
# =========================================================================================

@dataclass
class _Sheet:
    name: str
    rows: list[list[str]]
    #: cells that could not be read as they stand (formulas without a value, cells over the
    #: length limit), as finding rows with their ``code``
    problems: list[dict[str, Any]] = field(default_factory=list)

    def cell(self, row: int, col: int) -> str:
        cells = self.rows[row] if row < len(self.rows) else []
        return cells[col] if col < len(cells) else ""

    def filled(self) -> int:
        return sum(1 for r in self.rows for c in r if c)


def _read_sheets(path: Path) -> list[_Sheet]:
    sheets = []
    for found in read_workbook(path, every_sheet=True):
        rows = [[_cell(v) for v in values] for values in found.rows]
        for r in rows:
            while r and not r[-1]:
                r.pop()
        sheets.append(_Sheet(found.title, rows, found.problems))
    if not sheets:
        raise RegisterLoadError("has no worksheets", str(path))
    return sheets


def _cell_findings(register: Register, sheets: Sequence[_Sheet]) -> Register:
    """Add the cells no sheet reader could read as they stand (formulas without a value, cells
    over the length limit) to the register's load findings, each once."""
    rows = [p for s in sheets for p in s.problems]
    if not rows:
        return register
    have = register.load_findings
    said = set(zip(have["code"], have["file"], have["row"].astype("Int64"), strict=True)) if len(have) else set()
    by_code: dict[str, list[dict[str, Any]]] = {}
    for p in rows:
        if (p["code"], p["file"], p["row"]) not in said:
            by_code.setdefault(p["code"], []).append({k: v for k, v in p.items() if k != "code"})
    frames = [make_findings(code, found) for code, found in by_code.items()]
    register.load_findings = findings_frame([have, *frames])
    return register


def _ico_field(heading: str, user: Mapping[str, str] | None = None) -> str | None:
    """The canonical field an ICO-layout heading means, or None."""
    mapped = user_field(heading, user)
    if mapped:
        return mapped
    norm = normalise_heading(heading)
    tables = heading_tables()
    return (tables.ico_extra.get(norm) or tables.ico.get(norm)
            or (norm if norm in ACTIVITY_COLUMNS else None) or tables.activities.get(norm))


def _ico_heading_row(sheet: _Sheet) -> int | None:
    for i, row in enumerate(sheet.rows[:60]):
        if sum(1 for c in row if c and normalise_heading(c) in heading_tables().ico) >= 3:
            return i
    return None


def _is_title(text: str) -> bool:
    return fold(text).startswith(heading_tables().titles)


def _yaml_value(text: str) -> Any:
    try:
        value = parse_yaml(text, "cell", error=RegisterLoadError).data
    except RegisterLoadError:
        return text
    return text if value is None and text.strip() not in ("null", "~") else value


def _set_path(target: dict[str, Any], dotted: str, value: Any) -> None:
    keys = dotted.split(".")
    for k in keys[:-1]:
        nxt = target.get(k)
        if not isinstance(nxt, dict):
            nxt = target[k] = {}
        target = nxt
    target[keys[-1]] = value


def _read_about(sheet: _Sheet) -> dict[str, Any]:
    """An 'About' sheet of ``field | value`` rows (values written as YAML) as a mapping."""
    org: dict[str, Any] = {}
    for row in sheet.rows:
        if len(row) < 2 or not row[0] or fold(row[0]) in heading_tables().about_headings:
            continue
        _set_path(org, row[0].strip(), _yaml_value(row[1]))
    return org


def _name_from(text: str) -> str:
    first = _lines(text)[0] if _lines(text) else ""
    first = re.split(r"(?<=[a-z0-9)])\.\s|\s\(", first, maxsplit=1)[0].strip()
    if len(first) > 80:
        first = first[:80].rsplit(" ", 1)[0]
    return first


def _base_taxonomy(path: Path, taxonomy: Taxonomy | None, files: dict[str, str]) -> Taxonomy:
    base = taxonomy or default_taxonomy()
    beside = path.parent / "taxonomy.yaml"
    if beside.is_file():
        base = base.extend(beside)
        files["taxonomy"] = str(beside)
    return base


def load_workbook_register(
    path: str | Path,
    *,
    headings: Mapping[str, str] | None = None,
    taxonomy: Taxonomy | None = None,
) -> Register:
    """Read a register kept in one Excel workbook: the ICO's layout, the CNIL's, or a plain table.

    The layout is recognised from the content:

    - **ICO** (the UK ICO's documentation template): a sheet with a row holding at least three
      of the ICO's column headings; above it a header block with Name / Address / Email /
      Telephone for the controller, the Data Protection Officer and the representative; one
      row per activity below. A "Processor" sheet in the same layout holds the Art 30(2)
      activities.
    - **CNIL** (the CNIL's register model): one sheet per activity ("fiche de registre") with
      labels in column A and values in column B (Nom du traitement, Finalité(s), Catégories
      de personnes concernées, ...), and an organisation sheet (Responsable du traitement,
      Délégué à la protection des données).
    - **plain**: the first sheet is a table with a header row of activities.csv columns.

    In every layout a sheet named "Recipients" (or "Destinataires") is read as recipients.csv,
    and a sheet named "About" (or "Organisation") as organisation.yaml, one ``field | value``
    row each. A ``taxonomy.yaml`` beside the workbook extends the taxonomy (its synonyms help
    map free-text cells).

    Free-text cells are mapped onto taxonomy keys; parts that match nothing are reported as
    ``unmapped-cell`` findings and kept in the ``unmapped`` column. Recipients named in text
    that match no recipient are created with a guessed category (``recipient-created``).
    Sheets that hold no register part are reported as ``part-not-imported``.

    Example:
        >>> import ropa
        >>> reg = ropa.load_register("tests/data/ico/ico-register.xlsx")  # doctest: +SKIP
        >>> reg.load_findings["code"].value_counts()  # doctest: +SKIP
    """
    path = Path(path)
    if not path.is_file():
        raise RegisterLoadError("does not exist", str(path))
    files = {"activities": str(path)}
    base = _base_taxonomy(path, taxonomy, files)
    sheets = _read_sheets(path)
    base = _taxonomy_sheet(path, sheets, base, files)
    ico = [(s, i) for s in sheets if (i := _ico_heading_row(s)) is not None]
    fiches = [s for s in sheets if _fiche_fields(s, headings)[0] is not None] if not ico else []
    if ico:
        register = _load_ico(path, sheets, ico, headings, base, files)
    elif fiches:
        register = _load_cnil(path, sheets, fiches, headings, base, files)
    else:
        register = _load_plain(path, sheets, headings, base, files)
    return _cell_findings(register, sheets)


_TAXONOMY_HEADINGS = ("Kind", "Key", "Name", "Parents", "Synonyms", "Description")


def _taxonomy_sheet(path: Path, sheets: Sequence[_Sheet], base: Taxonomy, files: dict[str, str]) -> Taxonomy:
    """Extend the taxonomy with a "Taxonomy" sheet (the organisation's own terms), if any."""
    for sheet in sheets:
        if fold(sheet.name) not in heading_tables().sheets.taxonomy or not sheet.filled():
            continue
        header = [normalise_heading(c) for c in sheet.rows[0]] if sheet.rows else []
        ext: dict[str, list[dict[str, Any]]] = {}
        for row in sheet.rows[1:]:
            rec = dict(zip(header, row, strict=False))
            if not rec.get("kind") or not rec.get("key"):
                continue
            term: dict[str, Any] = {"key": rec["key"], "name": rec.get("name") or rec["key"]}
            if rec.get("parents"):
                term["parents"] = _lines(rec["parents"])
            if rec.get("synonyms"):
                term["synonyms"] = _lines(rec["synonyms"])
            if rec.get("description"):
                term["description"] = rec["description"]
            ext.setdefault(rec["kind"], []).append(term)
        if ext:
            base = base.extend(ext, source=f"{path}:{sheet.name}")
            files["taxonomy"] = f"{path}:{sheet.name}"
    return base


def _special_sheets(path: Path, sheets: Sequence[_Sheet], headings: Mapping[str, str] | None,
                    findings: _Findings) -> tuple[pd.DataFrame, list[pd.DataFrame], dict[str, Any], set[str]]:
    """The recipients and About sheets, if any: (recipients, their findings, organisation, names used)."""
    names = heading_tables().sheets
    used: set[str] = {s.name for s in sheets if fold(s.name) in names.taxonomy}
    recipients, rec_findings = None, []
    org: dict[str, Any] = {}
    for sheet in sheets:
        folded = fold(sheet.name)
        if folded in names.recipients and recipients is None and sheet.filled():
            recipients, rec_findings = read_recipients(path, headings, sheet=sheet.name)
            for f in rec_findings:
                f["file"] = f"{path}:{sheet.name}"
            used.add(sheet.name)
        elif folded in names.about and not _cnil_org_sheet(sheet):
            org.update(_read_about(sheet))
            used.add(sheet.name)
    if recipients is None:
        recipients = no_recipients()
    return recipients, rec_findings, org, used


def _not_imported(path: Path, sheets: Sequence[_Sheet], used: set[str], findings: _Findings) -> None:
    for sheet in sheets:
        if sheet.name not in used and sheet.filled():
            findings.add("part-not-imported", _Where(file=f"{path}:{sheet.name}"), column=sheet.name,
                         evidence=f"sheet {sheet.name!r} ({sheet.filled()} filled cells)")


def _categories_of(base: Taxonomy) -> list[str]:
    return base.keys("recipient")


def _finish(path: Path, organisation: dict[str, Any], records: list[tuple[int, dict[str, Any]]],
            extra_columns: list[str], book: _RecipientBook, base: Taxonomy, files: dict[str, str],
            findings: list[pd.DataFrame]) -> Register:
    columns = list(ACTIVITY_COLUMNS) + [UNMAPPED_COLUMN] + [c for c in extra_columns if c not in ACTIVITY_COLUMNS]
    frame = pd.DataFrame([r for _, r in records], columns=columns,
                         index=pd.Index([i for i, _ in records], name="row"), dtype=object)
    for col in columns:
        if col in ACTIVITY_LIST_COLUMNS:
            frame[col] = listify(frame[col]) if len(frame) else pd.Series([], dtype=object)
        else:
            frame[col] = frame[col].map(lambda v: "" if v is None or v != v else str(v)).astype("str")
    return assemble_register(organisation, frame, book.frame(), base, files, findings)


def _load_plain(path: Path, sheets: list[_Sheet], headings: Mapping[str, str] | None, base: Taxonomy,
                files: dict[str, str]) -> Register:
    findings = _Findings()
    recipients, rec_findings, org, used = _special_sheets(path, sheets, headings, findings)
    table = next((s for s in sheets if s.name not in used and s.filled()), None)
    if table is None:
        names = ", ".join(repr(s.name) for s in sheets)
        raise RegisterLoadError(f"has no sheet with activities: no sheet in the ICO's layout (Controller, "
                                f"Processor), no CNIL fiche and no table of activities; its sheets are "
                                f"{names}", str(path))
    activities, act_findings = read_activities(path, headings, table.name)
    used.add(table.name)
    _not_imported(path, sheets, used, findings)
    files["recipients"] = f"{path}:Recipients" if len(recipients) else files.get("recipients", "")
    return assemble_register(org, activities, recipients, base, {k: v for k, v in files.items() if v},
                     act_findings + rec_findings + findings.frames())


# -- the ICO layout -----------------------------------------------------------------------

def _org_role(label: str) -> str | None:
    folded = fold(label)
    if "joint controller" in folded:
        return "joint_controllers"
    if "protection officer" in folded or folded == "dpo":
        return "dpo"
    if "representative" in folded:
        return "representative"
    if "controller" in folded or folded in ("organisation", "organization", "our organisation", "company"):
        return "controller"
    return None


def _contact(values: Mapping[str, str]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v}


def _ico_header(sheet: _Sheet, heading: int, where: _Where, findings: _Findings) -> dict[str, Any]:
    """The header block above the ICO heading row: contacts, title, organisation name."""
    org: dict[str, Any] = {}
    contact_cols: dict[int, str] | None = None
    for i in range(heading):
        cells = [(j, c) for j, c in enumerate(sheet.rows[i]) if c]
        if not cells:
            continue
        at = _Where(file=where.file, row=i + 1)
        if i == heading - 1 and all(fold(c) in heading_tables().ico_group_titles or fold(c).startswith("dpa 2018")
                                    for _, c in cells):
            continue
        fields = {j: heading_tables().contact.get(normalise_heading(c)) for j, c in cells}
        if sum(1 for v in fields.values() if v) >= 3:
            contact_cols = {j: v for j, v in fields.items() if v}
            continue
        if contact_cols and (any(j in contact_cols for j, _ in cells) or (
                cells[0][0] < min(contact_cols) and _org_role(cells[0][1]))):
            first = min(contact_cols)
            labels = [c for j, c in cells if j < first]
            values = _contact({contact_cols[j]: c for j, c in cells if j in contact_cols})
            role = _org_role(labels[0]) if labels else None
            if role == "joint_controllers":
                org.setdefault("joint_controllers", []).append(values)
            elif role == "dpo" and fold(values.get("name", "")) in heading_tables().not_designated:
                dpo: dict[str, Any] = {"designated": False}
                contact = values.get("email") or values.get("phone")
                if contact:
                    dpo["privacy_contact"] = contact
                org["dpo"] = dpo
            elif role:
                org[role] = values or None
            else:
                label = labels[0] if labels else f"row {i + 1}"
                findings.add("unmapped-field", at, column=label, evidence=", ".join(values.values()))
                org.setdefault("unmapped", {})[label] = values
            continue
        if len(cells) == 1:
            text = cells[0][1]
            if not _is_title(text):
                findings.add("unmapped-field", at, column="title", evidence=text)
                org.setdefault("unmapped", {})[f"row {i + 1}"] = text
            continue
        label, value = cells[0][1], " ".join(c for _, c in cells[1:])
        if fold(label).rstrip(":") in ("organisation", "organisation name", "organization", "company",
                                        "company name", "name of organisation", "name of organization"):
            org["name"] = value
        else:
            findings.add("unmapped-field", at, column=label, evidence=value)
            org.setdefault("unmapped", {})[label] = value
    return org


def _load_ico(path: Path, sheets: list[_Sheet], ico: list[tuple[_Sheet, int]],
              headings: Mapping[str, str] | None, base: Taxonomy, files: dict[str, str]) -> Register:
    findings = _Findings()
    recipients, rec_findings, about, used = _special_sheets(path, sheets, headings, findings)
    organisation: dict[str, Any] = {}
    for sheet, heading in ico:
        for key, value in _ico_header(sheet, heading, _Where(file=f"{path}:{sheet.name}"), findings).items():
            organisation.setdefault(key, value)
    for key, value in about.items():
        if isinstance(value, dict) and isinstance(organisation.get(key), dict):
            organisation[key] = {**organisation[key], **value}
        else:
            organisation.setdefault(key, value)
    mapper = _Mapper(base.with_entities(recipients))
    book = _RecipientBook(recipients, mapper, _categories_of(base), findings)
    reader = _Reader(mapper, book, findings, list(organisation.get("controllers") or []))
    records: list[tuple[int, dict[str, Any]]] = []
    extra_columns: list[str] = []
    taken: set[str] = set()
    for number, (sheet, heading) in enumerate(ico):
        used.add(sheet.name)
        file = f"{path}:{sheet.name}"
        header = sheet.rows[heading]
        by_col: dict[int, str] = {}
        for j, text in enumerate(header):
            if not text:
                continue
            name = _ico_field(text, headings)
            if name in IMPORT_FIELDS:
                by_col[j] = name
            else:
                by_col[j] = text
                if text not in extra_columns:
                    extra_columns.append(text)
                findings.add("unknown-column", _Where(file=file, row=heading + 1), column=text)
        processor_sheet = _is_processor_sheet(sheet, heading)
        offset = 1000 * number
        for i in range(heading + 1, len(sheet.rows)):
            row = sheet.rows[i]
            if not any(row):
                continue
            fields: dict[str, str] = {}
            extras: dict[str, str] = {}
            stray: list[tuple[str, str]] = []
            for j, text in enumerate(row):
                name = by_col.get(j)
                if name is None:
                    if text:
                        stray.append((f"column {column_letter(j)}", text))
                elif name in IMPORT_FIELDS:
                    fields[name] = f"{fields[name]}\n{text}".strip() if fields.get(name) else text
                else:
                    extras[name] = text
            name = fields.get("name") or _name_from(fields.get("purpose_description", "")) \
                or fields.get("business_function", "") or f"Activity on row {i + 1}"
            aid = fields.get("activity_id") or _unique_id(slug(name), taken)
            taken.add(aid)
            fields["name"], fields["activity_id"] = name, aid
            where = _Where(file=file, row=i + 1, activity_id=aid)
            for column, text in stray:
                findings.add("unmapped-field", where, column=column, evidence=text)
            rec = reader.read(fields, where, role_default="processor" if processor_sheet else "controller",
                              extra_unmapped=stray)
            rec.update(extras)
            records.append((i + 1 + offset, rec))
    _missing_controller_sheet(path, sheets, ico, organisation, findings)
    _not_imported(path, sheets, used, findings)
    if len(book.order):
        files["recipients"] = f"{path}:Recipients"
    return _finish(path, organisation, records, extra_columns, book, base, files,
                   rec_findings + findings.frames())


def _is_processor_sheet(sheet: _Sheet, heading: int) -> bool:
    """Is this ICO-layout sheet the processor record (Art 30(2))?"""
    return "processor" in fold(sheet.name) or any(
        normalise_heading(h) in ("categories_of_processing_carried_out_on_behalf_of_the_controller",
                                 "name_and_contact_details_of_controller") for h in sheet.rows[heading])


def _missing_controller_sheet(path: Path, sheets: Sequence[_Sheet], ico: Sequence[tuple[_Sheet, int]],
                              organisation: Mapping[str, Any], findings: _Findings) -> None:
    """Report an ICO workbook that holds only the processor record while the organisation's
    role says it is (also) a controller: its controller activities are missing."""
    if not all(_is_processor_sheet(sheet, heading) for sheet, heading in ico):
        return
    role = str(organisation.get("role") or "").strip().lower()
    if role == "processor":
        return
    present = ", ".join(repr(s.name) for s in sheets)
    if role:
        evidence = (f"the workbook holds only the processor record ({', '.join(repr(s.name) for s, _ in ico)}), "
                    f"but the organisation's role is {role!r}: its controller activities (Art 30(1)) are "
                    f"not in the register (sheets present: {present})")
        severity = None
    else:
        evidence = (f"the workbook holds only the processor record ({', '.join(repr(s.name) for s, _ in ico)}) "
                    f"and does not say the organisation's role: if it is also a controller, its controller "
                    f"activities are missing (sheets present: {present})")
        severity = "medium"
    findings.add("missing-sheet", _Where(file=str(path)), column="Controller", evidence=evidence,
                 severity=severity)


# -- the CNIL layout ----------------------------------------------------------------------

def _cnil_field(label: str, user: Mapping[str, str] | None = None) -> str | None:
    mapped = user_field(label, user)
    if mapped:
        return mapped
    key = normalise_heading(label)
    if re.fullmatch(r"sous_finalite_?\d*", key):
        return "purpose_description"
    found = heading_tables().cnil_fiche.get(key) or heading_tables().cnil.get(key)
    return found if found in IMPORT_FIELDS else None


def _fiche_fields(sheet: _Sheet, user: Mapping[str, str] | None
                  ) -> tuple[dict[str, str] | None, list[tuple[int, str, str]]]:
    """A fiche's fields (None if the sheet is not a fiche) and its unrecognised labelled rows."""
    fields: dict[str, str] = {}
    unknown: list[tuple[int, str, str]] = []
    for i, row in enumerate(sheet.rows):
        label = row[0] if row else ""
        value = "\n".join(c for c in row[1:] if c)
        if not label:
            if value:
                unknown.append((i + 1, f"row {i + 1}", value))
            continue
        name = _cnil_field(label, user)
        if not name and _is_title(label):
            continue
        if name:
            if value:
                fields[name] = f"{fields[name]}\n{value}" if fields.get(name) else value
        elif value:
            unknown.append((i + 1, label, value))
    is_fiche = len(fields) >= 3 and ("name" in fields or "purpose_description" in fields)
    return (fields if is_fiche else None), unknown


def _fiche_rows(sheet: _Sheet, user: Mapping[str, str] | None) -> dict[str, int]:
    """The sheet row each canonical field of a fiche starts on."""
    rows: dict[str, int] = {}
    for i, row in enumerate(sheet.rows):
        name = _cnil_field(row[0], user) if row and row[0] else None
        if name:
            rows.setdefault(name, i + 1)
    return rows


def _cnil_org_sheet(sheet: _Sheet) -> bool:
    """A sheet with a section row "Responsable du traitement" or "Délégué ..." (no value beside it)."""
    return any(row and not any(row[1:]) and match_phrases("cnil_sections", row[0]) in ("controller", "dpo") for row in sheet.rows)


def _cnil_org(sheet: _Sheet, file: str, findings: _Findings) -> dict[str, Any]:
    org: dict[str, Any] = {}
    parts: dict[str, dict[str, str]] = {}
    section: str | None = None
    for i, row in enumerate(sheet.rows):
        label = row[0] if row else ""
        value = " ".join(c for c in row[1:] if c)
        if not label and not value:
            continue
        at = _Where(file=file, row=i + 1)
        named = match_phrases("cnil_sections", label) if label else None
        if named and not value:
            section = named
            if named != "about":
                parts.setdefault(named, {})
            continue
        if section == "about" and label:
            _set_path(org, label.strip(), _yaml_value(value))
            continue
        if named and named != "about" and fold(label).startswith(("responsable du traitement", "delegue",
                                                                   "representant")):
            section = named
            parts.setdefault(named, {})["name"] = value
            continue
        contact = heading_tables().cnil_contact.get(normalise_heading(label)) if label else None
        if section and contact and not value:
            continue
        if section and contact and value:
            parts.setdefault(section, {})[contact] = value
        elif label and not value and _is_title(label):
            continue
        elif value or label:
            findings.add("unmapped-field", at, column=label or f"row {i + 1}", evidence=value)
            org.setdefault("unmapped", {})[label or f"row {i + 1}"] = value
    for role, values in parts.items():
        address = ", ".join(p for p in (values.pop("address", ""),
                                        " ".join(p for p in (values.pop("postcode", ""), values.pop("city", "")) if p),
                                        values.pop("country", "")) if p)
        if address:
            values["address"] = address
        if role == "dpo" and fold(values.get("name", "")) in heading_tables().not_designated:
            contact = values.get("email") or values.get("phone")
            values = {"designated": False, **({"privacy_contact": contact} if contact else {})}
        extra = org.get(role)
        org[role] = {**values, **extra} if isinstance(extra, dict) else (values or None)
    return org


def _load_cnil(path: Path, sheets: list[_Sheet], fiches: list[_Sheet], headings: Mapping[str, str] | None,
               base: Taxonomy, files: dict[str, str]) -> Register:
    findings = _Findings()
    recipients, rec_findings, about, used = _special_sheets(path, sheets, headings, findings)
    organisation: dict[str, Any] = {}
    for sheet in sheets:
        if sheet in fiches or sheet.name in used or not _cnil_org_sheet(sheet):
            continue
        organisation.update(_cnil_org(sheet, f"{path}:{sheet.name}", findings))
        used.add(sheet.name)
    for key, value in about.items():
        organisation.setdefault(key, value)
    mapper = _Mapper(base.with_entities(recipients))
    book = _RecipientBook(recipients, mapper, _categories_of(base), findings)
    reader = _Reader(mapper, book, findings, list(organisation.get("controllers") or []))
    records: list[tuple[int, dict[str, Any]]] = []
    taken: set[str] = set()
    for number, sheet in enumerate(fiches, start=1):
        used.add(sheet.name)
        fields, unknown = _fiche_fields(sheet, headings)
        assert fields is not None
        rows_of = _fiche_rows(sheet, headings)
        name = fields.get("name") or _name_from(fields.get("purpose_description", "")) or sheet.name
        aid = fields.get("activity_id") or _unique_id(slug(name), taken)
        taken.add(aid)
        fields["name"], fields["activity_id"] = name, aid
        file = f"{path}:{sheet.name}"
        stray = []
        for row, label, value in unknown:
            findings.add("unmapped-field", _Where(file=file, row=row, activity_id=aid), column=label, evidence=value)
            stray.append((label, value.replace("\n", " / ")))
        before = {code: len(rows) for code, rows in findings.rows.items()}
        rec = reader.read(fields, _Where(file=file, row=None, activity_id=aid), role_default="controller",
                          extra_unmapped=stray)
        for code, rows in findings.rows.items():
            for row in rows[before.get(code, 0):]:
                if row.get("row") is None:
                    row["row"] = rows_of.get(str(row.get("column")))
        records.append((number, rec))
    _not_imported(path, sheets, used, findings)
    if len(book.order):
        files["recipients"] = f"{path}:Destinataires"
    return _finish(path, organisation, records, [], book, base, files, rec_findings + findings.frames())


# =========================================================================================
# Writing the ICO and CNIL layouts
# =========================================================================================

#: The ICO controller sheet: (group title, heading, canonical field), in the template's order,
#: then the columns ropa keeps that the template has no place for (headings.yml ``ico_layout``).
ICO_LAYOUT: tuple[tuple[str, str, str], ...] = tuple(
    (c.group, c.heading, c.field) for c in heading_tables().ico_layout)

#: The processor sheet differs from the controller sheet in two headings (Art 30(2)).
ICO_PROCESSOR_HEADINGS: dict[str, str] = dict(heading_tables().ico_processor_headings)

#: The CNIL fiche: (label, canonical field), in the model's order, then ropa's own labels.
CNIL_LAYOUT: tuple[tuple[str, str], ...] = tuple((c.label, c.field) for c in heading_tables().cnil_layout)


def _activity_cells(rec: Mapping[str, Any], register: Register, mapper: _Mapper,
                    lang: str = "en") -> dict[str, str]:
    """One activity's fields as the cell texts of the ICO or CNIL layout."""
    tax = register.taxonomy
    words = heading_tables().layout_words[lang]
    recipients = {r["recipient_id"]: r for r in register.recipients.to_dict("records")}
    leftovers: dict[str, list[str]] = {}
    for column, part in unmapped_pairs(str(rec.get(UNMAPPED_COLUMN, ""))):
        leftovers.setdefault(column, []).append(part)

    def lines(items: Iterable[str], column: str) -> str:
        return "\n".join([*items, *leftovers.pop(column, [])])

    def terms(column: str, kind: str) -> str:
        return lines((mapper.term_text(kind, k) for k in rec.get(column) or []), column)

    def recipient_name(rid: str) -> str:
        r = recipients.get(rid)
        if r is not None and r.get("name") and mapper.phrase("recipient", r["name"]) == rid:
            return str(r["name"])
        return rid

    cells = {c: str(rec.get(c) or "") for c in (
        "activity_id", "name", "business_function", "owner", "purpose_description",
        "legitimate_interest", "lia_reference", "retention_trigger", "last_reviewed")}
    cells["role"] = words.get(rec.get("role") or "", None) or (
        tax.label("role", rec["role"]) if rec.get("role") else "")
    cells["status"] = words.get(rec.get("status") or "", None) or (
        tax.label("status", rec["status"]) if rec.get("status") else "")
    for column, kind in (("purposes", "data_use"), ("data_subjects", "data_subject"),
                         ("data_categories", "data_category"), ("special_categories", "art9_category"),
                         ("source", "source")):
        cells[column] = terms(column, kind)
    for column, kind in (("lawful_basis", "legal_basis"), ("art9_condition", "art9_condition")):
        cells[column] = lines((_basis_text(tax, kind, k) for k in rec.get(column) or []), column)
    controllers = {str(c.get("id")): str(c.get("name") or c.get("id"))
                   for c in (register.organisation or {}).get("controllers") or [] if isinstance(c, Mapping)}
    cells["controllers"] = lines((controllers.get(c, c) for c in rec.get("controllers") or []), "controllers")
    named = [r for r in rec.get("recipients") or [] if r in recipients]
    cells["recipients"] = lines(
        ("None" if r == "none" else recipient_name(r) if r in recipients else mapper.term_text("recipient", r)
         for r in rec.get("recipients") or []), "recipients")
    abroad = [r for r in named if recipients[r].get("country")
              and not tax.is_eea([str(recipients[r]["country"]).upper()])[0]]
    cells["transfer_countries"] = lines(
        [_country_text(tax, c) for c in rec.get("transfer_countries") or []]
        + [f"{_country_text(tax, str(recipients[r]['country']).upper())} ({recipient_name(r)})" for r in abroad],
        "transfer_countries")
    cells["transfer_safeguards"] = lines(
        [mapper.term_text("safeguard", s) for s in rec.get("transfer_safeguards") or []]
        + [f"{recipient_name(r)}: {mapper.term_text('safeguard', recipients[r]['transfer_safeguard'])}"
           for r in abroad if recipients[r].get("transfer_safeguard")], "transfer_safeguards")
    cells["contract_reference"] = lines(
        (f"{recipient_name(r)}: {recipients[r]['contract_reference']}" for r in named
         if recipients[r].get("kind") == "processor" and recipients[r].get("contract_reference")),
        "contract_reference")
    cells["retention"] = lines([_retention_text(str(rec.get("retention") or ""))] if rec.get("retention")
                               else [], "retention")
    cells["security_measures"] = lines(rec.get("security_measures") or [], "security_measures")
    cells["systems"] = lines(rec.get("systems") or [], "systems")
    for column in ("criminal_offence_data", "automated_decision_making"):
        value = str(rec.get(column) or "")
        cells[column] = lines([words.get(value.lower(), value)] if value else [], column)
    dpia = str(rec.get("dpia") or "")
    if lang == "en":
        cells["dpia_required"] = {"": "", "not_required": words["false"]}.get(
            dpia, words["true"] if dpia in words else "")
        cells["dpia"] = words.get(dpia, dpia)
    else:
        cells["dpia"] = words.get(dpia, dpia)
    cells[UNMAPPED_COLUMN] = "; ".join(f"{c}: {p}" for c, parts in leftovers.items() for p in parts)
    return cells


def _retention_text(value: str) -> str:
    """A retention period in words ("P1Y6M" -> "1 year and 6 months", as the Art 30 record
    writes it) where the words read back as the same period; other text unchanged."""
    text = durations.words(value)
    return text if text and durations.from_words(text)[0] == value else value


def _safe_cell(value: Any) -> Any:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, str):
        return neutralise(ILLEGAL_CHARACTERS_RE.sub("", value))
    return value


def _yaml_text(value: Any) -> str:
    text = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=10**6, sort_keys=False)
    return re.sub(r"\n\.\.\.\n?$", "", text).strip()


def _about_rows(organisation: Mapping[str, Any], contact_roles: Sequence[str]) -> list[tuple[str, str]]:
    """organisation.yaml as ``field | value`` rows; the contact fields of ``contact_roles``
    are left out (the layout's header holds them)."""
    rows = []
    for key, value in (organisation or {}).items():
        if key in contact_roles and isinstance(value, Mapping):
            for sub, v in value.items():
                if sub not in ("name", "address", "email", "phone"):
                    rows.append((f"{key}.{sub}", _yaml_text(v)))
        elif key in contact_roles and value is None:
            continue
        else:
            rows.append((str(key), _yaml_text(value)))
    return rows


def _selected(register: Register, include_retired: bool) -> pd.DataFrame:
    acts = register.activities
    if not include_retired and "status" in acts:
        acts = acts[acts["status"].astype(str).str.lower() != "retired"]
    return acts


def _style_sheet(ws: Any, heading_row: int, widths: Sequence[int]) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    for j, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = width
    for row in ws.iter_rows(min_row=heading_row):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for cell in ws[heading_row]:
        cell.font = Font(bold=True)


def _write_recipients_sheet(wb: Any, title: str, register: Register) -> None:
    ws = wb.create_sheet(title)
    frame = register.recipients
    headings = heading_tables().recipients_sheet
    columns = list(frame.columns)
    ws.append([headings.get(c, c) for c in columns])
    for rec in frame.to_dict("records"):
        ws.append([_safe_cell(";".join(map(str, v)) if isinstance(v, list | tuple) else ("" if v is None else str(v)))
                   for v in (rec[c] for c in columns)])
    _style_sheet(ws, 1, [18, 28, 30, 16, 34, 9, 14, 34, 40][: len(columns)] + [24] * max(0, len(columns) - 9))


def _write_taxonomy_sheet(wb: Any, register: Register) -> None:
    """The organisation's own terms (from its taxonomy.yaml), so the workbook stands alone."""
    terms = register.taxonomy.terms
    own = terms[~terms["source"].isin(["fideslang", "ropa", "register"])]
    if own.empty:
        return
    ws = wb.create_sheet("Taxonomy")
    ws.append(list(_TAXONOMY_HEADINGS))
    for rec in own.to_dict("records"):
        ws.append([_safe_cell(str(v)) for v in (
            rec["kind"], rec["key"], rec.get("name") or "", ";".join(rec.get("parents") or []),
            ";".join(rec.get("synonyms") or []), rec.get("description") or "")])
    _style_sheet(ws, 1, [16, 34, 34, 34, 50, 50])


def _record_date(date: dt.date | None) -> dt.date:
    return date or dt.date.today()


def write_ico_workbook(register: Register, path: str | Path, *, include_retired: bool = False,
                       date: dt.date | None = None) -> Path:
    """Write a register in the UK ICO's documentation layout, as an .xlsx workbook.

    Sheet "Controller" (and "Processor" when the organisation acts as processor): a header
    block with Name / Address / Email / Telephone of the controller, the Data Protection
    Officer and the representative, the template's group titles and headings, and one row per
    activity with readable labels. Columns the ICO template has no place for (id, name, role,
    purposes as terms, ...) follow under "Kept by ropa"; sheet "Recipients" holds the named
    recipients and sheet "About" the rest of organisation.yaml. Every cell is neutralised
    against spreadsheet formulas. :func:`load_workbook_register` reads the file back into the
    same activities.

    Args:
        register: the register to write.
        path: the .xlsx file to write.
        include_retired: keep activities whose status is ``retired``.
        date: the date printed in the title (default today).

    Example:
        >>> import ropa, tempfile, pathlib
        >>> reg = ropa.load_register("registers/pro-at")
        >>> out = write_ico_workbook(reg, pathlib.Path(tempfile.mkdtemp()) / "ico.xlsx")
        >>> len(ropa.load_register(out).activities) == len(reg.activities)
        True
    """
    from openpyxl import Workbook

    path = Path(path)
    mapper = _Mapper(register.taxonomy)
    acts = _selected(register, include_retired)
    org = register.organisation or {}
    extra = [c for c in acts.columns if c not in ACTIVITY_COLUMNS and c != UNMAPPED_COLUMN]
    wb = Workbook()
    wb.remove(wb.active)
    parts = [("Controller", acts[acts["role"].astype(str).str.lower() != "processor"]),
             ("Processor", acts[acts["role"].astype(str).str.lower() == "processor"])]
    for title, frame in parts:
        if title == "Processor" and frame.empty:
            continue
        ws = wb.create_sheet(title)
        layout = [(g, ICO_PROCESSOR_HEADINGS.get(f, h) if title == "Processor" else h, f) for g, h, f in ICO_LAYOUT]
        layout += [("Other columns", c, c) for c in extra]
        name = register.name
        ws.append([_safe_cell(f"Record of processing activities (Article 30 GDPR) – {name}"
                              f"{' – processor' if title == 'Processor' else ''}, as of "
                              f"{_record_date(date).isoformat()}")])
        ws.append([])
        ws.append(["", "Name", "Address", "Email", "Telephone"])
        for label, key in (("Controller", "controller"), ("Data Protection Officer", "dpo"),
                           ("Representative", "representative")):
            contact = org.get(key) if isinstance(org.get(key), Mapping) else {}
            if key == "dpo" and contact and contact.get("designated") is False and not contact.get("name"):
                values = ["Not designated", "", contact.get("privacy_contact", ""), ""]
            else:
                values = [contact.get(k, "") for k in ("name", "address", "email", "phone")]
            ws.append([label, *(_safe_cell(str(v or "")) for v in values)])
        ws.append([])
        groups, last = [], None
        for group, _, _ in layout:
            groups.append(group if group != last else "")
            last = group
        ws.append(groups)
        ws.append([h for _, h, _ in layout])
        heading_row = ws.max_row
        for rec in frame.to_dict("records"):
            cells = _activity_cells(rec, register, mapper)
            ws.append([_safe_cell(cells.get(f, "") if f in cells else str(rec.get(f, "") or ""))
                       for _, _, f in layout])
        _style_sheet(ws, heading_row, [22] + [30] * (len(layout) - 1))
        ws.freeze_panes = ws.cell(row=heading_row + 1, column=2)
    _write_recipients_sheet(wb, "Recipients", register)
    _write_taxonomy_sheet(wb, register)
    about = wb.create_sheet("About")
    about.append(["Field", "Value"])
    for key, value in _about_rows(org, ("controller", "dpo", "representative")):
        about.append([_safe_cell(key), _safe_cell(value)])
    _style_sheet(about, 1, [28, 90])
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def _sheet_title(text: str, taken: set[str]) -> str:
    title = re.sub(r"[\[\]:*?/\\]", "-", text)[:31].strip() or "Fiche"
    base, n = title, 2
    while title.lower() in taken:
        suffix = f" ({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(title.lower())
    return title


def write_cnil_workbook(register: Register, path: str | Path, *, include_retired: bool = False,
                        date: dt.date | None = None) -> Path:
    """Write a register in the layout of the CNIL's register model, as an .xlsx workbook.

    Sheet "Organisme" holds the controller ("Responsable du traitement"), the DPO ("Délégué à
    la protection des données"), the representative and, under "Autres informations", the rest
    of organisation.yaml; one sheet per activity ("fiche de registre") holds the CNIL's labels
    in column A and the values in column B; sheet "Destinataires" holds the named recipients.
    Cells are neutralised. :func:`load_workbook_register` reads it back.

    Example:
        >>> import ropa, tempfile, pathlib
        >>> reg = ropa.load_register("registers/pro-at")
        >>> out = write_cnil_workbook(reg, pathlib.Path(tempfile.mkdtemp()) / "cnil.xlsx")
        >>> len(ropa.load_register(out).activities) == len(reg.activities)
        True
    """
    from openpyxl import Workbook

    path = Path(path)
    mapper = _Mapper(register.taxonomy)
    org = register.organisation or {}
    wb = Workbook()
    ws = wb.active
    ws.title = "Organisme"
    ws.append([_safe_cell(f"Registre des activités de traitement – {register.name}, "
                          f"au {_record_date(date).isoformat()}")])
    for section, key in (("Responsable du traitement", "controller"),
                         ("Délégué à la protection des données", "dpo"), ("Représentant", "representative")):
        if key not in org and key != "controller":
            continue
        ws.append([])
        ws.append([section])
        contact = org.get(key) if isinstance(org.get(key), Mapping) else {}
        if key == "dpo" and contact and contact.get("designated") is False and not contact.get("name"):
            contact = {"name": "Non désigné", "email": contact.get("privacy_contact", "")}
        for label, field_name in (("Nom", "name"), ("Adresse", "address"), ("Téléphone", "phone"),
                                  ("Adresse de messagerie", "email")):
            ws.append([label, _safe_cell(str(contact.get(field_name, "") or ""))])
    ws.append([])
    ws.append(["Autres informations"])
    for key, value in _about_rows(org, ("controller", "dpo", "representative")):
        ws.append([_safe_cell(key), _safe_cell(value)])
    _style_sheet(ws, 1, [40, 90])
    taken = {"organisme", "destinataires"}
    for number, rec in enumerate(_selected(register, include_retired).to_dict("records"), start=1):
        sheet = wb.create_sheet(_sheet_title(f"Fiche {number} {rec.get('activity_id', '')}".strip(), taken))
        cells = _activity_cells(rec, register, mapper, lang="fr")
        sheet.append(["Fiche de registre", _safe_cell(str(rec.get("name") or ""))])
        for label, field_name in CNIL_LAYOUT:
            sheet.append([label, _safe_cell(cells.get(field_name, ""))])
        _style_sheet(sheet, 1, [42, 90])
    _write_recipients_sheet(wb, "Destinataires", register)
    _write_taxonomy_sheet(wb, register)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


# =========================================================================================
# Fides manifests
# =========================================================================================

#: fideslang's legal bases (LegalBasisForProcessingEnum values) and ropa's keys.
FIDES_LEGAL_BASIS: dict[str, str] = {
    "Consent": "art6_1_a", "Contract": "art6_1_b", "Legal obligations": "art6_1_c",
    "Vital interests": "art6_1_d", "Public interest": "art6_1_e", "Legitimate interests": "art6_1_f",
}
#: fideslang's special-category bases (SpecialCategoryLegalBasisEnum values) and ropa's keys.
FIDES_ART9: dict[str, str] = {
    "Explicit consent": "art9_2_a",
    "Employment, social security and social protection": "art9_2_b",
    "Vital interests": "art9_2_c",
    "Not-for-profit bodies": "art9_2_d",
    "Made public by the data subject": "art9_2_e",
    "Legal claims or judicial acts": "art9_2_f",
    "Reasons of substantial public interest (with a basis in law)": "art9_2_g",
    "Health or social care (with a basis in law)": "art9_2_h",
    "Public health (with a basis in law)": "art9_2_i",
    "Archiving, research and statistics (with a basis in law)": "art9_2_j",
}
#: fideslang's transfer bases (free strings; LegalBasisForTransfersEnum lists the usual ones)
#: and ropa's safeguards. On export ``dpf`` is written as an adequacy decision (the EU-US
#: decision) and ``art49`` as "Other"; the exact key is kept in the system's ``meta``.
FIDES_TRANSFER: dict[str, str] = {
    "Adequacy Decision": "adequacy", "SCCs": "scc", "BCRs": "bcr", "Data Privacy Framework": "dpf",
}
_TRANSFER_TO_FIDES = {"adequacy": "Adequacy Decision", "dpf": "Adequacy Decision", "scc": "SCCs",
                      "bcr": "BCRs", "art49": "Other"}
_FIDES_RESOURCES = frozenset({"system", "organization", "dataset", "policy", "data_category", "data_use",
                              "data_subject", "evaluation", "registry"})
#: System fields the loader reads (others are reported when they differ from fideslang's default).
_SYSTEM_READ = frozenset({
    "fides_key", "organization_fides_key", "name", "description", "meta", "system_type", "egress", "ingress",
    "privacy_declarations", "administrating_department", "responsibility", "joint_controller_info",
    "data_security_practices", "uses_profiling", "does_international_transfers", "legal_basis_for_transfers",
    "requires_data_protection_assessments", "dpa_progress",
})
_DECLARATION_READ = frozenset({
    "name", "data_categories", "data_use", "data_subjects", "egress", "ingress",
    "flexible_legal_basis_for_processing", "legal_basis_for_processing", "impact_assessment_location",
    "retention_period", "processes_special_category_data", "special_category_legal_basis",
    "data_shared_with_third_parties", "third_parties",
})
#: Fields of fideslang 1.x manifests that the current models dropped, read when present.
_LEGACY_SYSTEM = frozenset({"third_country_transfers", "data_responsibility_title", "joint_controller",
                            "data_protection_impact_assessment"})


def _strip_lines(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip_lines(v) for k, v in value.items() if k != "__line__"}
    if isinstance(value, list):
        return [_strip_lines(v) for v in value]
    return value


def _fides_key(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.<>-]", "_", str(text)).strip("_") or "item"


def _manifest_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in (".yml", ".yaml"))


def looks_like_fides(path: str | Path) -> bool:
    """True when ``path`` is a folder holding Fides manifests (YAML with ``system:`` or ``organization:``).

    Example:
        >>> looks_like_fides("tests/data/fides/shop")  # doctest: +SKIP
        True
    """
    folder = Path(path)
    if not folder.is_dir():
        return False
    for item in _manifest_files(folder)[:200]:
        try:
            head = item.read_text(encoding="utf-8", errors="replace")[:200_000]
        except OSError:
            continue
        if re.search(r"^(system|organization)\s*:", head, re.MULTILINE):
            return True
    return False


def _enum_value(value: Any) -> str:
    return str(getattr(value, "value", value) or "")


def _contact_dict(contact: Any) -> dict[str, str] | None:
    if contact is None:
        return None
    values = {k: str(getattr(contact, k, "") or "") for k in ("name", "address", "email", "phone")}
    values = {k: v for k, v in values.items() if v}
    return values or None


def _non_default(model: Any, raw: Mapping[str, Any], read: frozenset[str]) -> list[tuple[str, Any]]:
    """Fields set in the manifest that the loader does not read and that differ from the default."""
    out = []
    for name, info in type(model).model_fields.items():
        if name in read or name not in raw:
            continue
        value = getattr(model, name)
        default = info.get_default(call_default_factory=True)
        if value != default and value not in (None, [], {}, ""):
            out.append((name, _enum_value(value) if not isinstance(value, list | dict) else value))
    return out


@dataclass
class _FidesInput:
    systems: list[tuple[Any, dict[str, Any], str]] = field(default_factory=list)
    organisation: tuple[Any, dict[str, Any], str] | None = None
    terms: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


def _read_manifests(folder: Path, findings: _Findings) -> _FidesInput:
    from fideslang.models import DataCategory, DataSubject, DataUse, Organization, System
    from pydantic import ValidationError

    models = {"data_category": DataCategory, "data_use": DataUse, "data_subject": DataSubject}
    found = _FidesInput()
    for file in _manifest_files(folder):
        doc = read_yaml(file, error=RegisterLoadError, line_key="__line__")
        for dup in duplicate_key_rows(doc):
            findings.add("duplicate-key", _Where(file=dup["file"], row=dup["row"]), column=dup["column"],
                         evidence=dup["evidence"])
        data = doc.data
        if not isinstance(data, dict):
            if data is not None:
                findings.add("part-not-imported", _Where(file=str(file)), evidence=f"{file.name} (not a manifest)")
            continue
        for resource, items in data.items():
            if resource == "__line__":
                continue
            where = _Where(file=str(file), row=data.get("__line__"))
            if resource not in _FIDES_RESOURCES:
                findings.add("part-not-imported", where, evidence=f"{resource!r} in {file.name}")
                continue
            if not isinstance(items, list):
                findings.add("invalid-manifest", where, column=resource, evidence="expected a list")
                continue
            for raw in items:
                at = _Where(file=str(file), row=raw.get("__line__") if isinstance(raw, dict) else None)
                key = raw.get("fides_key", "?") if isinstance(raw, dict) else "?"
                if resource in ("dataset", "policy", "evaluation", "registry"):
                    findings.add("part-not-imported", at, evidence=f"{resource} {key!r}")
                    continue
                model = {"system": System, "organization": Organization, **models}[resource]
                clean = _strip_lines(raw)
                try:
                    parsed = model.model_validate(clean)
                except (ValidationError, TypeError, ValueError) as exc:
                    message = exc.errors()[0] if isinstance(exc, ValidationError) else {"msg": str(exc), "loc": ()}
                    loc = ".".join(str(p) for p in message.get("loc", ()))
                    findings.add("invalid-manifest", at, column=f"{resource} {key!r}",
                                 evidence=f"{loc + ': ' if loc else ''}{message.get('msg')}")
                    continue
                if resource == "system":
                    found.systems.append((parsed, raw, str(file)))
                elif resource == "organization":
                    if found.organisation is None:
                        found.organisation = (parsed, raw, str(file))
                    else:
                        findings.add("part-not-imported", at, evidence=f"a second organization {key!r}")
                else:
                    kind = resource
                    term = {"key": parsed.fides_key, "name": parsed.name or parsed.fides_key,
                            "description": parsed.description or ""}
                    parent = getattr(parsed, "parent_key", None)
                    term["parents"] = [parent] if parent else []
                    found.terms.setdefault(kind, []).append(term)
    return found


def _fides_taxonomy(base: Taxonomy, terms: Mapping[str, list[dict[str, Any]]], folder: Path) -> Taxonomy:
    ext = {kind: [t for t in items if not base.known(kind, [t["key"]])[0]] for kind, items in terms.items()}
    ext = {k: v for k, v in ext.items() if v}
    return base.extend(ext, source=str(folder)) if ext else base


def _retention_from_fides(text: str) -> tuple[str, str]:
    text = (text or "").strip()
    if text.isdigit():
        return f"P{int(text)}D", ""
    return durations.from_words(text)


def _country_from_address(address: str) -> str:
    for part in reversed([p.strip() for p in (address or "").split(",") if p.strip()]):
        code = country_code(part)
        if code:
            return code
    return ""


def load_fides(path: str | Path, *, taxonomy: Taxonomy | None = None) -> Register:
    """Read a folder of Fides manifests into a register, with fideslang's models.

    Every privacy declaration becomes an activity (declarations of one system that share a
    name form one activity, whose id is ``<system key>.<name>``; a system ropa wrote names its
    activity in ``meta.ropa.activity_id``). Mapping:

    ============================================  ==========================================
    Fides                                         register
    ============================================  ==========================================
    declaration ``name``, system ``name``         ``name``; the system's name is in ``systems``
    ``data_use``                                  ``purposes``
    ``data_categories``, ``data_subjects``        kept as keys
    ``legal_basis_for_processing``                ``lawful_basis`` (art6_1_a ... f)
    ``special_category_legal_basis``              ``art9_condition`` (art9_2_a ... j)
    ``impact_assessment_location``                ``lia_reference``
    ``retention_period``                          ``retention`` ("7 years" -> P7Y; a number: days)
    egress to another system; ``third_parties``   ``recipients`` (the system is a recipient)
    system ``legal_basis_for_transfers``          ``transfer_safeguards`` (or the recipient's)
    system ``description``                        ``purpose_description``
    ``administrating_department``                 ``business_function``
    ``responsibility``, ``joint_controller_info`` ``role`` (and the joint controllers)
    ``data_security_practices``                   ``security_measures``
    ``requires_data_protection_assessments``,     ``dpia``
    ``dpa_progress``
    ``uses_profiling``                            ``automated_decision_making``
    ingress from ``user``                         ``source`` = data_subject
    organization ``controller``,                  organisation ``controller``, ``dpo``,
    ``data_protection_officer``, ``representative`` ``representative``
    custom data categories, uses, subjects        the register's taxonomy
    fideslang 1.x ``third_country_transfers``     ``transfer_countries``
    ============================================  ==========================================

    A system that other systems send data to (egress) is a recipient; its country comes from
    ``meta.ropa.country`` or the last part of ``legal_address``. What Fides cannot hold
    (owner, status, review date, Art 9 types, transfer countries, ...) is read from
    ``meta.ropa`` when ropa wrote the manifest. Fields set in a manifest that the register has
    no place for are reported (``unmapped-field``) and kept in the ``unmapped`` column;
    datasets and policies are reported as ``part-not-imported``; resources that fideslang
    rejects as ``invalid-manifest``.

    Example:
        >>> import ropa
        >>> reg = ropa.load_register("tests/data/fides/shop")  # doctest: +SKIP
        >>> reg.activities["activity_id"].tolist()  # doctest: +SKIP
    """
    folder = Path(path)
    if not folder.is_dir():
        raise RegisterLoadError("is not a folder of Fides manifests", str(folder))
    findings = _Findings()
    found = _read_manifests(folder, findings)
    if not found.systems and found.organisation is None:
        raise RegisterLoadError("holds no Fides system or organization manifest", str(folder))
    base = _fides_taxonomy(taxonomy or default_taxonomy(), found.terms, folder)
    categories = base.keys("recipient")

    organisation: dict[str, Any] = {}
    if found.organisation is not None:
        org, raw, file = found.organisation
        where = _Where(file=file, row=raw.get("__line__"))
        if org.name:
            organisation["name"] = org.name
        organisation["fides_key"] = org.fides_key
        for key, attr in (("controller", "controller"), ("dpo", "data_protection_officer"),
                          ("representative", "representative")):
            contact = _contact_dict(getattr(org, attr))
            if contact is not None:
                organisation[key] = contact
        for name, value in _non_default(org, raw, frozenset({"fides_key", "name", "controller", "data_protection_officer",
                                                             "representative", "organization_parent_key"})):
            findings.add("unmapped-field", where, column=f"organization.{name}", evidence=str(value))
            organisation.setdefault("unmapped", {})[name] = value

    systems = {s.fides_key: (s, raw, file) for s, raw, file in found.systems}
    targets = {flow.fides_key for s, _, _ in found.systems for flow in (s.egress or []) if flow.type == "system"}
    mapper = _Mapper(base)
    book = _RecipientBook(no_recipients(), mapper, categories, findings)
    key_to_recipient: dict[str, str] = {}
    for key, (system, raw, file) in systems.items():
        meta = ((system.meta or {}).get("ropa") or {}) if isinstance(system.meta, dict) else {}
        if not (key in targets or meta.get("recipient")):
            continue
        rid = str(meta.get("recipient_id") or key)
        key_to_recipient[key] = rid
        where = _Where(file=file, row=raw.get("__line__"))
        rec = {c: ([] if c in RECIPIENT_LIST_COLUMNS else "") for c in RECIPIENT_COLUMNS}
        transfers = [FIDES_TRANSFER.get(t) for t in system.legal_basis_for_transfers]
        rec.update(recipient_id=rid, name=system.name or key, description=system.description or "")
        if meta:
            for col in RECIPIENT_COLUMNS:
                if col in meta and col not in ("recipient_id", "name", "description"):
                    rec[col] = list(meta[col]) if col in RECIPIENT_LIST_COLUMNS else str(meta[col] or "")
        else:
            category, source = book.guess_category([t for t in (system.description, system.system_type,
                                                                  system.name) if t])
            rec.update(category=category, kind=book.kind_for(category),
                       country=_country_from_address(system.legal_address or ""),
                       transfer_safeguard=next((t for t in transfers if t), ""))
            findings.add("recipient-created", where, recipient_id=rid, column="egress",
                         evidence=f"Fides system {key!r}: category {category} guessed from {source}, "
                                  f"kind {rec['kind']}, country {rec['country'] or 'unknown'}")
        if system.legal_name and system.legal_name != rec["name"] and system.legal_name not in rec["aliases"]:
            rec["aliases"] = [*rec["aliases"], system.legal_name]
        book._add(rid, rec, int(raw.get("__line__") or book.next_row))
        book.next_row = max(book.next_row, int(raw.get("__line__") or 0) + 1)
        if not system.privacy_declarations:
            for name, value in _non_default(system, raw, _SYSTEM_READ | {"legal_name", "legal_address"}):
                findings.add("unmapped-field", where, column=f"system.{name}", evidence=str(value))

    records: list[tuple[int, dict[str, Any]]] = []
    for key, (system, raw, file) in systems.items():
        if not system.privacy_declarations:
            if key not in key_to_recipient:
                findings.add("part-not-imported", _Where(file=file, row=raw.get("__line__")),
                             evidence=f"system {key!r} (no privacy declarations, and nothing sends it data)")
            continue
        records += _fides_activities(system, raw, file, mapper, book, key_to_recipient, findings)
    taken: dict[str, int] = {}
    for _, rec in records:
        taken[rec["activity_id"]] = taken.get(rec["activity_id"], 0) + 1
    roles = {rec["role"] for _, rec in records}
    if roles and "role" not in organisation:
        organisation["role"] = "both" if "processor" in roles and roles - {"processor"} else next(iter(
            sorted(r for r in roles if r)), "controller").replace("joint_controller", "controller")
    files = {"activities": str(folder), "organisation": found.organisation[2] if found.organisation else "",
             "recipients": str(folder) if book.order else ""}
    files = {k: v for k, v in files.items() if v}
    return _finish(folder, organisation, records, [], book, base, files, findings.frames())


def _fides_activities(system: Any, raw: Mapping[str, Any], file: str, mapper: _Mapper, book: _RecipientBook,
                      key_to_recipient: Mapping[str, str], findings: _Findings) -> list[tuple[int, dict[str, Any]]]:
    """The activities of one system: one per group of same-named privacy declarations."""
    tax = mapper.tax
    meta_all = system.meta if isinstance(system.meta, dict) else {}
    meta = dict(meta_all.get("ropa") or {})
    raw_decls = [d for d in raw.get("privacy_declarations") or [] if isinstance(d, dict)]
    raw_by_name: dict[str, list[dict[str, Any]]] = {}
    for d in raw_decls:
        raw_by_name.setdefault(str(d.get("name") or d.get("data_use") or ""), []).append(d)
    groups: dict[str, list[Any]] = {}
    for decl in system.privacy_declarations:
        groups.setdefault(decl.name or decl.data_use, []).append(decl)
    if meta.get("activity_id"):
        groups = {str(meta.get("name") or next(iter(groups))): [d for g in groups.values() for d in g]}
    system_extra = _non_default(system, raw, _SYSTEM_READ | _LEGACY_SYSTEM)
    legacy = {k: raw[k] for k in _LEGACY_SYSTEM if k in raw}
    unknown_keys = [k for k in raw if k not in type(system).model_fields and k not in _LEGACY_SYSTEM
                    and k != "__line__"]
    other_meta = {k: v for k, v in meta_all.items() if k != "ropa"}
    out = []
    for group_name, decls in groups.items():
        first_raw = (raw_by_name.get(group_name) or raw_decls or [raw])[0]
        line = int(first_raw.get("__line__") or raw.get("__line__") or 0)
        aid = str(meta.get("activity_id") or f"{system.fides_key}.{slug(group_name, '_')}")
        where = _Where(file=file, row=line, activity_id=aid)
        kept: list[tuple[str, str]] = []
        rec: dict[str, Any] = {c: ([] if c in ACTIVITY_LIST_COLUMNS else "") for c in ACTIVITY_COLUMNS}
        rec["activity_id"] = aid
        rec["name"] = str(meta.get("name") or group_name)
        rec["purpose_description"] = system.description or ""
        department = system.administrating_department or ""
        rec["business_function"] = "" if department == "Not defined" else department
        rec["purposes"] = _dedupe(d.data_use for d in decls)
        rec["data_categories"] = _dedupe(c for d in decls for c in d.data_categories)
        rec["data_subjects"] = _dedupe(s for d in decls for s in d.data_subjects)
        bases, art9 = [], []
        for d in decls:
            basis = _enum_value(d.legal_basis_for_processing)
            if basis:
                bases.append(FIDES_LEGAL_BASIS.get(basis, basis))
            special = _enum_value(d.special_category_legal_basis)
            if special:
                art9.append(FIDES_ART9.get(special, special))
        rec["lawful_basis"], rec["art9_condition"] = _dedupe(bases), _dedupe(art9)
        rec["lia_reference"] = next((d.impact_assessment_location for d in decls if d.impact_assessment_location), "")
        retention = _dedupe(_retention_from_fides(d.retention_period or "")[0] for d in decls)
        triggers = _dedupe(_retention_from_fides(d.retention_period or "")[1] for d in decls)
        rec["retention"] = "; ".join(retention)
        rec["retention_trigger"] = "; ".join(triggers)
        if any(d.processes_special_category_data for d in decls):
            rec["special_categories"] = [
                k for k in tax.keys("art9_category")
                if any(tax.is_under("data_category", rec["data_categories"] or ["user"], u).any()
                       for u in tax.attribute("art9_category", k, "data_categories", []) or [])]
        recipients: list[str] = []
        for d in decls:
            flows = d.egress if d.egress is not None else [f.fides_key for f in system.egress or []
                                                           if f.type == "system"]
            recipients += [key_to_recipient.get(k, k) for k in flows]
            if d.third_parties:
                got, bad = book.resolve(d.third_parties, where, "recipients")
                recipients += got
                for part in bad:
                    findings.unmapped(tax, where, "recipients", part, "recipient")
                    kept.append(("recipients", part))
        if not recipients and not any(d.data_shared_with_third_parties for d in decls):
            recipients = ["none"]
        rec["recipients"] = _dedupe(recipients)
        responsibility = [_enum_value(r) for r in system.responsibility]
        title = legacy.get("data_responsibility_title")
        responsibility += [str(t) for t in title] if isinstance(title, list) else ([str(title)] if title else [])
        if any(r in ("Processor", "Sub-Processor") for r in responsibility):
            rec["role"] = "processor"
        elif system.joint_controller_info or legacy.get("joint_controller"):
            rec["role"] = "joint_controller"
        else:
            rec["role"] = "controller"
        joint = system.joint_controller_info or _contact_text(legacy.get("joint_controller"))
        if joint:
            rec["controllers"] = _lines(joint)
        rec["security_measures"] = _lines(system.data_security_practices or "")
        rec["systems"] = [system.name or system.fides_key]
        dpia_raw = legacy.get("data_protection_impact_assessment") or {}
        needs = system.requires_data_protection_assessments or bool(
            isinstance(dpia_raw, dict) and dpia_raw.get("is_required"))
        progress = system.dpa_progress or (dpia_raw.get("progress") if isinstance(dpia_raw, dict) else "") or ""
        rec["dpia"] = _dpia_state(mapper, "yes" if needs else "", progress) if (needs or progress) else ""
        rec["automated_decision_making"] = "true" if system.uses_profiling else "false"
        if any(f.type == "user" for f in system.ingress or []):
            rec["source"] = ["data_subject"]
        rec["transfer_safeguards"] = _dedupe(FIDES_TRANSFER.get(t, "") for t in system.legal_basis_for_transfers)
        for t in system.legal_basis_for_transfers:
            if t not in FIDES_TRANSFER:
                findings.add("unmapped-field", where, column="system.legal_basis_for_transfers", evidence=t)
                kept.append(("transfer_safeguards", t))
        countries = legacy.get("third_country_transfers") or []
        rec["transfer_countries"] = _dedupe(country_code(str(c)) or str(c) for c in countries)
        for col, value in meta.items():
            if col in ACTIVITY_COLUMNS and col not in ("activity_id", "name"):
                rec[col] = [str(v) for v in value or []] if col in ACTIVITY_LIST_COLUMNS else str(value or "")
            elif col == UNMAPPED_COLUMN:
                kept += unmapped_pairs(str(value or ""))
        for name, value in system_extra:
            findings.add("unmapped-field", where, column=f"system.{name}", evidence=str(value))
            kept.append((f"system.{name}", str(value)))
        for name in unknown_keys:
            findings.add("unmapped-field", where, column=f"system.{name}", evidence=str(_strip_lines(raw[name])))
            kept.append((f"system.{name}", str(_strip_lines(raw[name]))))
        for name, value in other_meta.items():
            findings.add("unmapped-field", where, column=f"system.meta.{name}", evidence=str(value))
            kept.append((f"system.meta.{name}", str(value)))
        for d, rd in zip(decls, raw_by_name.get(group_name) or [{}] * len(decls), strict=False):
            for name, value in _non_default(d, rd, _DECLARATION_READ):
                findings.add("unmapped-field", where, column=f"privacy_declaration.{name}", evidence=str(value))
                kept.append((f"privacy_declaration.{name}", str(value)))
            for name in (k for k in rd if k not in type(d).model_fields and k != "__line__"):
                findings.add("unmapped-field", where, column=f"privacy_declaration.{name}",
                             evidence=str(_strip_lines(rd[name])))
                kept.append((f"privacy_declaration.{name}", str(_strip_lines(rd[name]))))
        rec[UNMAPPED_COLUMN] = unmapped_text(kept)
        out.append((line, rec))
    return out


def _contact_text(contact: Any) -> str:
    if isinstance(contact, Mapping):
        return ", ".join(str(v) for k, v in contact.items() if v and k != "__line__")
    return str(contact or "")


def write_fides(register: Register, path: str | Path, *, include_retired: bool = True) -> Path:
    """Export a register as a folder of Fides manifests: ``organization.yml`` and ``systems.yml``.

    One Fides system per activity (its key from the activity id), with one privacy declaration
    per purpose and lawful basis (and Art 9 condition), all named after the activity: Fides
    holds one data use and one legal basis per declaration. Each named recipient becomes a
    system (``system_type: Third Party``) that the activity's systems send data to (egress).
    What Fides has a field for is written there (see :func:`load_fides` for the mapping); what
    it has not (owner, status, review date, Art 9 types, transfer countries, the recipients'
    kind, category, country and contract) goes into each system's ``meta.ropa``, which Fides
    keeps as it is. Reading the folder back with :func:`load_fides` gives the same activities
    and recipients. Fields of organisation.yaml other than the controller, DPO and
    representative have no place in Fides and are not written.

    Example:
        >>> import ropa, tempfile
        >>> reg = ropa.load_register("registers/pro-at")
        >>> out = write_fides(reg, tempfile.mkdtemp())
        >>> len(ropa.load_register(out).activities) == len(reg.activities)
        True
    """
    from fideslang.models import ContactDetails, Organization, System

    folder = Path(path)
    folder.mkdir(parents=True, exist_ok=True)
    tax = register.taxonomy
    org = register.organisation or {}
    org_key = _fides_key(org.get("fides_key") or slug(register.name, "_"))
    organization: dict[str, Any] = {"fides_key": org_key, "name": register.name}
    for key, attr in (("controller", "controller"), ("dpo", "data_protection_officer"),
                      ("representative", "representative")):
        contact = org.get(key)
        if isinstance(contact, Mapping) and any(contact.get(k) for k in ("name", "email", "phone", "address")):
            organization[attr] = ContactDetails(**{k: str(contact.get(k) or "") for k in
                                                   ("name", "address", "email", "phone")}).model_dump()
    Organization.model_validate(organization)
    recipients = register.recipients
    rec_keys: dict[str, str] = {}
    taken: set[str] = set()
    for rid in recipients["recipient_id"]:
        rec_keys[rid] = _unique_id(_fides_key(rid), taken)
    systems: list[dict[str, Any]] = []
    acts = _selected(register, include_retired)
    for rec in acts.to_dict("records"):
        systems.append(_activity_system(rec, register, org_key, rec_keys, taken))
    for r in recipients.to_dict("records"):
        country = str(r.get("country") or "").upper()
        safeguard = str(r.get("transfer_safeguard") or "")
        system = {
            "fides_key": rec_keys[r["recipient_id"]], "organization_fides_key": org_key,
            "name": r.get("name") or r["recipient_id"], "description": r.get("description") or None,
            "system_type": "Internal" if r.get("kind") == "internal" else "Third Party",
            "privacy_declarations": [],
            "does_international_transfers": bool(country) and not tax.is_eea([country])[0],
            "legal_basis_for_transfers": [_TRANSFER_TO_FIDES[safeguard]] if safeguard in _TRANSFER_TO_FIDES else [],
            "meta": {"ropa": {"recipient": True, "recipient_id": r["recipient_id"], **{
                c: (list(r[c]) if c in RECIPIENT_LIST_COLUMNS else str(r[c] or ""))
                for c in r if c not in ("recipient_id", "name", "description")}}},
        }
        systems.append(system)
    dumped = [System.model_validate(s).model_dump(mode="json", exclude_defaults=True) for s in systems]
    for item, source in zip(dumped, systems, strict=True):
        item["privacy_declarations"] = item.get("privacy_declarations", source["privacy_declarations"])
    for old in ("organization.yml", "systems.yml"):
        (folder / old).unlink(missing_ok=True)
    header = "# Written by ropa from the register of processing activities; meta.ropa holds what Fides has no field for.\n"
    (folder / "organization.yml").write_text(header + yaml.safe_dump(
        {"organization": [Organization.model_validate(organization).model_dump(mode="json", exclude_defaults=True)]},
        sort_keys=False, allow_unicode=True), encoding="utf-8")
    (folder / "systems.yml").write_text(header + yaml.safe_dump({"system": dumped}, sort_keys=False,
                                                                 allow_unicode=True), encoding="utf-8")
    return folder


def _activity_system(rec: Mapping[str, Any], register: Register, org_key: str, rec_keys: Mapping[str, str],
                     taken: set[str]) -> dict[str, Any]:
    tax = register.taxonomy
    named = [r for r in rec.get("recipients") or [] if r in rec_keys]
    others = [r for r in rec.get("recipients") or [] if r not in rec_keys and r != "none"]
    egress = [{"fides_key": rec_keys[r], "type": "system", "data_categories": list(rec.get("data_categories") or [])}
              for r in named]
    purposes = list(rec.get("purposes") or []) or ["essential"]
    bases = [FIDES_LEGAL_BASIS_REVERSE.get(b) for b in rec.get("lawful_basis") or []] or [None]
    art9 = [FIDES_ART9_REVERSE.get(c) for c in rec.get("art9_condition") or []] or [None]
    declarations = []
    for use in purposes:
        for basis in bases:
            for condition in art9:
                declarations.append({
                    "name": rec.get("name") or rec["activity_id"],
                    "data_use": use,
                    "data_categories": list(rec.get("data_categories") or []),
                    "data_subjects": list(rec.get("data_subjects") or []),
                    "egress": [rec_keys[r] for r in named] or None,
                    "legal_basis_for_processing": basis,
                    "impact_assessment_location": rec.get("lia_reference") or None,
                    "retention_period": rec.get("retention") or None,
                    "processes_special_category_data": bool(rec.get("special_categories") or condition),
                    "special_category_legal_basis": condition,
                    "data_shared_with_third_parties": bool(named or others),
                    "third_parties": "; ".join(_Mapper(tax).term_text("recipient", r) for r in others) or None,
                })
    safeguards = [_TRANSFER_TO_FIDES[s] for s in rec.get("transfer_safeguards") or [] if s in _TRANSFER_TO_FIDES]
    countries = [str(c).upper() for c in rec.get("transfer_countries") or []]
    abroad = any(c and not tax.is_eea([c])[0] for c in countries)
    role = str(rec.get("role") or "")
    dpia = str(rec.get("dpia") or "")
    meta = {c: (list(rec[c]) if isinstance(rec[c], list | tuple) else str(rec[c] or ""))
            for c in ("owner", "role", "controllers", "legitimate_interest", "special_categories",
                      "criminal_offence_data", "recipients", "transfer_countries", "transfer_safeguards",
                      "retention_trigger", "source", "systems", "dpia", "automated_decision_making",
                      "status", "last_reviewed", "retention")}
    meta.update({c: (list(v) if isinstance(v, list | tuple) else str(v or "")) for c, v in rec.items()
                 if c not in ACTIVITY_COLUMNS})
    return {
        "fides_key": _unique_id(_fides_key(rec["activity_id"]), taken),
        "organization_fides_key": org_key,
        "name": rec.get("name") or rec["activity_id"],
        "description": rec.get("purpose_description") or None,
        "system_type": "Processing activity",
        "administrating_department": rec.get("business_function") or "Not defined",
        "responsibility": ["Processor"] if role == "processor" else ["Controller"],
        "joint_controller_info": "\n".join(rec.get("controllers") or []) if role == "joint_controller" else None,
        "egress": egress or None,
        "privacy_declarations": declarations,
        "data_security_practices": "; ".join(rec.get("security_measures") or []) or None,
        "uses_profiling": str(rec.get("automated_decision_making") or "").lower() == "true",
        "does_international_transfers": abroad,
        "legal_basis_for_transfers": _dedupe(safeguards),
        "requires_data_protection_assessments": dpia in ("required", "in_progress", "done"),
        "dpa_progress": dpia or None,
        "ingress": [{"fides_key": "user", "type": "user"}] if "data_subject" in (rec.get("source") or []) else None,
        "meta": {"ropa": {"activity_id": rec["activity_id"], "name": rec.get("name") or "", **meta}},
    }


FIDES_LEGAL_BASIS_REVERSE = {v: k for k, v in FIDES_LEGAL_BASIS.items()}
FIDES_ART9_REVERSE = {v: k for k, v in FIDES_ART9.items()}
