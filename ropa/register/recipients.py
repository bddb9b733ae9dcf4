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
from ..core.names import legal_form_pattern, slug
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
from .phrases import is_none, legal_form_country, phrase_tables

__all__ = ["RecipientBook", "looks_like_name", "split_named"]

#: Small words that may stand lower case inside a name ("Consejo General de Colegios").
_SMALL = frozenset({"de", "del", "la", "las", "los", "el", "y", "e", "of", "the", "and", "for", "und", "der",
                    "die", "das", "für", "von", "du", "des", "et", "le", "di", "della", "van", "en", "het", "&",
                    "con", "a", "al", "por", "para"})
#: Words offering alternatives: a text holding one describes a kind of recipient, not one.
_ALTERNATIVES = frozenset({"or", "o", "u", "oder", "ou", "oppure"})


def looks_like_name(text: str) -> bool:
    """Does the text name someone (a company, a body, a team), rather than say a sentence?
    At most eight words, most of them capitalised, or a legal form at the end.

    Example:
        >>> looks_like_name("Vercel Inc."), looks_like_name("Consejo General de Colegios de Logopedas")
        (True, True)
        >>> looks_like_name("Se identifican los siguientes proveedores externos que pueden acceder")
        False
    """
    words = [w for w in re.split(r"\s+", text.strip()) if w]
    if not words or len(words) > 8 or text.strip().endswith(":"):
        return False
    if re.search(r"[\s,]" + legal_form_pattern() + r"\W*$", text):
        return True
    if any(w.lower() in _ALTERNATIVES for w in words):
        return False
    content = [w for w in words if w.lower().strip(".,()") not in _SMALL]
    capital = [w for w in content if w[:1].isupper() or w[:1].isdigit()]
    return bool(content) and len(capital) >= 0.75 * len(content)


_NAME_END = re.compile(r"(?<!\b[A-Z])(?<!\b[A-Z][a-z])(?<!\bInc)(?<!\bLtd)(?<!\bCorp)(?<!\bCo)\.\s+(?=[A-ZÁÉÍÓÚÑ])")


def split_named(part: str) -> tuple[str, str, str]:
    """A recipient part as (label, name with its parentheses, the sentences after it):
    "Hosting Web: Vercel Inc. (Alojamiento). Proveedor de email." ->
    ("Hosting Web", "Vercel Inc. (Alojamiento)", "Proveedor de email.").

    Example:
        >>> split_named("Hosting Web: Vercel Inc. (Alojamiento de la web). Servicio de hosting.")
        ('Hosting Web', 'Vercel Inc. (Alojamiento de la web)', 'Servicio de hosting.')
        >>> split_named("Supabase Inc.")
        ('', 'Supabase Inc.', '')
    """
    label = ""
    m = re.match(r"^([^:()]{2,40}):\s+(.+)$", part, re.S)
    if m and not re.match(r"^https?$", m[1].strip(), re.I):
        label, part = m[1].strip(), m[2].strip()
    m = _NAME_END.search(part)
    if m and "(" not in part[m.start():m.start() + 1]:
        name, rest = part[:m.start()].strip(), part[m.end():].strip()
    else:
        name, rest = part.strip(), ""
    return label, name.rstrip(". ") + ("." if re.search(r"\b(?:Inc|Ltd|Corp|Co|S\.[AL]|S\.L\.U|B\.V|N\.V|e\.V)$",
                                                          name.rstrip(". ")) else ""), rest


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
                self.names.setdefault(fold(clean_part(name)), rid)

    def frame(self) -> pd.DataFrame:
        records = [self.rows[r] for r in self.order]
        if not records:
            from .tables import no_recipients

            return no_recipients()
        extra = dict.fromkeys(c for rec in records for c in rec if c not in RECIPIENT_COLUMNS)
        frame = pd.DataFrame(records, columns=list(RECIPIENT_COLUMNS) + list(extra))
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
        return "third_party", "nothing (unclassified: no category could be read)"

    def resolve(self, text: str, where: Where, column: str) -> tuple[list[str], list[str]]:
        """Recipient ids or category keys for a cell; parts that could not be resolved."""
        out: list[str] = []
        unmapped: list[str] = []
        for part in split_lines(text):
            label, name, rest = split_named(part)
            if (label or rest) and looks_like_name(re.sub(r"\s*\(.*\)\s*$", "", name)):
                details = "; ".join(filter(None, [label, rest]))
                got = self._resolve_one(name, where, column, hint=details, source=part)
                (out if got else unmapped).append(got or part)
                continue
            pieces = [part] if self._resolve_one(part, where, column, probe=True) else \
                split_commas(part)
            if len(pieces) > 1 and re.search(r",\s*" + legal_form_pattern() + r"\W*(?:\(|$)", part):
                pieces = [part]
            for piece in pieces:
                got = self._resolve_one(piece, where, column)
                (out if got else unmapped).append(got or piece)
        return dedupe(out), dedupe(unmapped)

    def _resolve_one(self, part: str, where: Where, column: str, probe: bool = False, hint: str = "",
                     source: str = "") -> str | None:
        if is_none(part):
            return "none"
        m = re.match(r"^(.*?)\s*\((.*)\)\s*$", part, re.DOTALL)
        base, details = (m[1].strip(), m[2].strip()) if m else (part, "")
        details = "; ".join(filter(None, [details, hint]))
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
        if probe or not base or not looks_like_name(base):
            return None
        return self._create(source or part, base, details, where, column)

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
        guessed = ""
        if not country and legal_form_country(base):
            country = legal_form_country(base) or ""
            guessed = f", country {country} guessed from the legal form"
        rec = {c: ([] if c in RECIPIENT_LIST_COLUMNS else "") for c in RECIPIENT_COLUMNS}
        rec.update(recipient_id=rid, name=base, kind=kind, category=category, country=country,
                   description=", ".join(notes), created_from=part)
        self.add(rid, rec, self.next_row)
        self.next_row += 1
        self.created.add(rid)
        evidence = (f"{part!r} in {column}: category {category} guessed from {source}, kind {kind}"
                    + (guessed or (f", country {country}" if country else ", country unknown")))
        self.findings.add("recipient-created", where, recipient_id=rid, column=column, evidence=evidence)
        return rid
