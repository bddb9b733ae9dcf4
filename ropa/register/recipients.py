"""The register's recipients while an import runs (the recipient book): a cell part matched to
a recipient by id, name or alias, or to a recipient category; a recipient named in free text
that matches nothing is created, with a category guessed from its name and details
(``recipient-created``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd

from ..core.countries import country_code
from ..core.names import slug
from ..core.words import fold
from .cells import plain_text
from .columns import (
    RECIPIENT_COLUMNS,
    RECIPIENT_LIST_COLUMNS,
)
from .freetext import (
    Mapper,
    clean_part,
    dedupe,
    split_commas,
    split_items,
    split_lines,
    unique_id,
)
from .importlog import ImportFindings, Where
from .phrases import is_none, phrase_tables

__all__ = ["RecipientBook"]


class RecipientBook:
    """The register's recipients while an import runs: matched by id, name or alias, and
    created from free text where nothing matches."""

    def __init__(self, frame: pd.DataFrame, mapper: Mapper, categories: Iterable[str],
                 findings: ImportFindings):
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
            self.add(rid, dict(rec), int(row))
            next_row = max(next_row, int(row) + 1)
        self.next_row = next_row

    def add(self, rid: str, rec: dict[str, Any], row: int) -> None:
        """Add a recipient at sheet row ``row`` (unless its id is taken), known by its id, name and aliases."""
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
                frame[col] = plain_text(frame[col])
        frame.index = pd.Index([self.index[r] for r in self.order], name="row")
        return frame

    def find(self, text: str) -> str | None:
        return self.names.get(fold(clean_part(text)))

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

    def resolve(self, text: str, where: Where, column: str) -> tuple[list[str], list[str]]:
        """Recipient ids or category keys for a cell; parts that could not be resolved."""
        out: list[str] = []
        unmapped: list[str] = []
        for part in split_lines(text):
            pieces = [part] if self._resolve_one(part, where, column, probe=True) else \
                split_commas(part)
            for piece in pieces:
                got = self._resolve_one(piece, where, column)
                (out if got else unmapped).append(got or piece)
        return dedupe(out), dedupe(unmapped)

    def _resolve_one(self, part: str, where: Where, column: str, probe: bool = False) -> str | None:
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
        for piece in split_items(details):
            code = country_code(piece)
            if code:
                self.set_if_empty(rid, "country", code)

    def _create(self, part: str, base: str, details: str, where: Where, column: str) -> str:
        rid = unique_id(slug(base), set(self.rows))
        country, notes, texts = "", [], []
        for piece in split_items(details):
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
        self.add(rid, rec, self.next_row)
        self.next_row += 1
        self.created.add(rid)
        evidence = (f"{part!r} in {column}: category {category} guessed from {source}, kind {kind}"
                    + (f", country {country}" if country else ", country unknown"))
        self.findings.add("recipient-created", where, recipient_id=rid, column=column, evidence=evidence)
        return rid
