"""One activity's cell texts, by canonical field, read into a canonical activity record: the
free-text cells mapped onto keys, yes/no cells, dates, retention periods, transfers and
contracts given to the recipients they name; shared by the ICO, CNIL and Fides readers.
What no term matches is reported (``unmapped-cell``) and kept in the ``unmapped`` column.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..core import durations
from ..core.countries import country_code
from ..core.taxonomy import Taxonomy
from ..core.words import fold, truth
from .cells import listify, plain_text
from .columns import (
    ACTIVITY_COLUMNS,
    ACTIVITY_LIST_COLUMNS,
    UNMAPPED_COLUMN,
    unmapped_pairs,
)
from .freetext import (
    Mapper,
    basis_key,
    dedupe,
    split_commas,
    split_conjunctions,
    split_lines,
)
from .importlog import ImportFindings, Leftovers, Where
from .model import Register, assemble_register
from .phrases import is_none, match_phrases, none_words
from .recipients import RecipientBook

__all__ = ["FieldReader", "dpia_state", "finish_register", "name_from"]


@dataclass
class FieldReader:
    """Turns one activity's cell texts (by canonical field) into a canonical record."""

    mapper: Mapper
    book: RecipientBook
    findings: ImportFindings
    org_controllers: list[dict[str, Any]] = field(default_factory=list)

    def read(self, fields: Mapping[str, str], where: Where, *, role_default: str,
             extra_unmapped: Sequence[tuple[str, str]] = ()) -> dict[str, Any]:
        tax = self.mapper.tax
        rec: dict[str, Any] = {c: ([] if c in ACTIVITY_LIST_COLUMNS else "") for c in ACTIVITY_COLUMNS}
        left = Leftovers(self.findings, tax, where, list(extra_unmapped))
        get = lambda name: (fields.get(name) or "").strip()  # noqa: E731

        for col in ("activity_id", "name", "business_function", "owner", "legitimate_interest",
                    "lia_reference", "purpose_description", "retention_trigger"):
            rec[col] = get(col)
        rec["last_reviewed"] = _date_text(get("last_reviewed"))

        def keys_of(column: str, kind: str, text: str) -> list[str]:
            keys, bad = self.mapper.cell(kind, text)
            for part in bad:
                left.not_mapped(column, part, kind)
            return keys

        if "purposes" in fields and get("purposes"):
            rec["purposes"] = keys_of("purposes", "data_use", get("purposes"))
        elif rec["purpose_description"]:
            # Purposes are read from the description (the terms it mentions); it stays as written.
            rec["purposes"] = self.mapper.mentions("data_use", rec["purpose_description"])
            if not rec["purposes"]:
                self.findings.unmapped(tax, where, "purpose_description", rec["purpose_description"], "data_use")
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
                left.not_mapped("data_categories", part, "data_category")
                person = self.mapper.phrase("data_subject", part)
                if person and person not in rec["data_subjects"]:
                    self.findings.add("subjects-named-in-categories", where, column="data_categories",
                                      evidence=f"{part!r} names {tax.label('data_subject', person)} "
                                               f"({person}), not among the data subjects")
        rec["data_categories"] = dedupe(cats)
        special_text = get("special_categories")
        filed_as_special = []
        if special_text and truth(special_text) is not False and fold(special_text) not in none_words():
            for line in split_lines(special_text):
                if match_phrases("criminal", line):
                    filed_as_special.append(line)
                    self.findings.add("criminal-data-filed-as-special", where, column="special_categories",
                                      evidence=line)
                else:
                    special += keys_of("special_categories", "art9_category", line)
        for key in tax.keys("art9_category") if "special_categories" not in fields else ():
            under = tax.attribute("art9_category", key, "data_categories", []) or []
            if rec["data_categories"] and under and any(
                    tax.is_under("data_category", rec["data_categories"], u).any() for u in under):
                special.append(key)
        rec["special_categories"] = dedupe(special)

        for column, kind in (("lawful_basis", "legal_basis"), ("art9_condition", "art9_condition")):
            found = []
            for part in split_lines(get(column)):
                if is_none(part):
                    continue
                if kind == "legal_basis" and match_phrases("special_ground", part) \
                        and not basis_key(self.mapper, "legal_basis", re.sub(r"(?i)\bart\w*\.?\s*9\b.*", "", part)):
                    left.not_read(column, part, f"{part} (an Art 9 condition, not an Art 6 lawful basis)")
                    continue
                key = basis_key(self.mapper, kind, part)
                if key:
                    found.append(key)
                else:
                    left.not_mapped(column, part, kind)
            rec[column] = dedupe(found)

        for column in ("criminal_offence_data", "automated_decision_making"):
            text = get(column)
            flag, rest = _yes_no(text)
            rec[column] = flag
            if rest:
                left.not_read(column, rest)
        if filed_as_special and rec["criminal_offence_data"] != "true":
            rec["criminal_offence_data"] = "true"
        elif rec["criminal_offence_data"] == "false":
            self._criminal_declared_no(fields, where)

        rec["source"] = keys_of("source", "source", get("source"))
        rec["security_measures"] = split_lines(get("security_measures"))
        rec["systems"] = split_lines(get("systems"))
        retention, trigger = durations.from_words(get("retention"))
        rec["retention"] = retention
        if not rec["retention_trigger"]:
            rec["retention_trigger"] = trigger

        rec["role"] = match_phrases("role", get("role")) if get("role") else ""
        if get("role") and not rec["role"]:
            rec["role"] = get("role")
        controllers = [self._controller_id(p) for p in split_lines(get("controllers"))]
        rec["controllers"] = dedupe(c for c in controllers if not is_none(c))
        if not rec["role"]:
            rec["role"] = "joint_controller" if role_default == "controller" and rec["controllers"] \
                else role_default

        status = get("status")
        rec["status"] = (tax.lookup("status", status) or match_phrases("status", status) or status) \
            if status else ""

        rec["dpia"] = dpia_state(self.mapper, get("dpia_required"), get("dpia"))

        # Recipients first: transfers and contracts refer to them.
        recipients, bad = self.book.resolve(get("recipients"), where, "recipients")
        for part in bad:
            left.not_mapped("recipients", part, "recipient")
        rec["recipients"] = recipients
        named = [r for r in recipients if r in self.book.rows]

        countries = []
        parts = []
        for line in split_lines(get("transfer_countries")):
            parts += [line] if country_code(re.sub(r"\s*\(.*\)\s*$", "", line)) else \
                split_commas(line)
        stated_safeguards = []
        for part in parts:
            if is_none(part) or truth(part) is True:
                continue
            m = re.match(r"^(.*?)\s*\((.*)\)\s*$", part)
            code = country_code(m[1]) if m else country_code(part)
            via = self.book.find(m[2]) if m else None
            if code and via:
                self.book.set_if_empty(via, "country", code)
                continue
            if code and m and match_phrases("safeguard", m[2]):
                stated_safeguards.append(match_phrases("safeguard", m[2]))
            if code:
                countries.append(code)
            else:
                left.not_mapped("transfer_countries", part, None)
        rec["transfer_countries"] = dedupe(countries)

        safeguards = []
        for part in split_lines(get("transfer_safeguards")):
            if is_none(part) and not match_phrases("safeguard", part):
                continue
            name, _, rest = part.partition(":")
            via = self.book.find(name) if rest else None
            text = rest.strip() if via else part
            key = tax.lookup("safeguard", text) or match_phrases("safeguard", text)
            if via and key:
                if not self.book.set_if_empty(via, "transfer_safeguard", key):
                    left.not_read("transfer_safeguards", part, f"{part} (the recipients sheet says otherwise)")
            elif key:
                safeguards.append(key)
            else:
                left.not_mapped("transfer_safeguards", part, "safeguard")
        rec["transfer_safeguards"] = dedupe(safeguards + [k for k in stated_safeguards if k])
        # A row's safeguard covers the transfers to the recipients created from that row.
        usable = [s for s in rec["transfer_safeguards"] if s != "none"]
        if len(usable) == 1:
            for rid in named:
                if rid in self.book.created and not tax.is_eea([self.book.rows[rid]["country"] or "NL"])[0]:
                    self.book.set_if_empty(rid, "transfer_safeguard", usable[0])

        for part in split_lines(get("contract_reference")):
            name, _, ref = part.partition(":")
            via = self.book.find(name) if ref else None
            if via:
                if not self.book.set_if_empty(via, "contract_reference", ref.strip()):
                    left.not_read("contract_reference", part, f"{part} (the recipients sheet says otherwise)")
                continue
            processors = [r for r in named if self.book.rows[r].get("kind") == "processor"
                          and not self.book.rows[r].get("contract_reference")]
            if len(processors) == 1:
                self.book.set_if_empty(processors[0], "contract_reference", part)
            else:
                left.not_read("contract_reference", part)

        for column, text in unmapped_pairs(get(UNMAPPED_COLUMN)):
            left.not_read(column, text)
        rec[UNMAPPED_COLUMN] = left.text()
        return rec

    def _criminal_declared_no(self, fields: Mapping[str, str], where: Where) -> None:
        """Report an activity that declares no criminal-offence data while its own text names
        some (``criminal-data-declared-no``): the first line that does, per activity."""
        for column in ("data_subjects", "data_categories", "purpose_description", "purposes",
                       "lawful_basis", "art9_condition", UNMAPPED_COLUMN):
            for line in (fields.get(column) or "").split("\n"):
                if match_phrases("criminal", line):
                    self.findings.add("criminal-data-declared-no", where, column=column,
                                      evidence=line.strip()[:300])
                    return

    def _controller_id(self, text: str) -> str:
        folded = fold(text)
        for ctrl in self.org_controllers:
            if not isinstance(ctrl, Mapping):
                continue
            if folded in {fold(str(ctrl.get("id", ""))), fold(str(ctrl.get("name", "")))}:
                return str(ctrl.get("id") or ctrl.get("name"))
        return text


def _categories_parts(mapper: Mapper, text: str) -> list[str]:
    """Parts of a data-categories cell, split only as far as needed to match terms."""
    out = []
    for line in split_lines(text):
        if mapper.phrase("data_category", line) or mapper.phrase("art9_category", line):
            out.append(line)
            continue
        for piece in split_commas(line):
            if mapper.phrase("data_category", piece) or mapper.phrase("art9_category", piece):
                out.append(piece)
                continue
            subs = split_conjunctions(piece)
            out += subs if len(subs) > 1 else ([] if is_none(piece) else [piece])
    return dedupe(out)


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


def dpia_state(mapper: Mapper, required: str, progress: str) -> str:
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


def name_from(text: str) -> str:
    """An activity name from the first sentence of a description (at most 80 characters)."""
    first = split_lines(text)[0] if split_lines(text) else ""
    first = re.split(r"(?<=[a-z0-9)])\.\s|\s\(", first, maxsplit=1)[0].strip()
    if len(first) > 80:
        first = first[:80].rsplit(" ", 1)[0]
    return first


def finish_register(organisation: dict[str, Any], records: list[tuple[int, dict[str, Any]]],
                    extra_columns: list[str], recipients: pd.DataFrame, base: Taxonomy, files: dict[str, str],
                    findings: list[pd.DataFrame]) -> Register:
    """The register an importer read: its activity records (with their rows) as the activities
    table, the unmapped column after the canonical ones, then the template's other columns."""
    columns = list(ACTIVITY_COLUMNS) + [UNMAPPED_COLUMN] + [c for c in extra_columns if c not in ACTIVITY_COLUMNS]
    frame = pd.DataFrame([r for _, r in records], columns=columns,
                         index=pd.Index([i for i, _ in records], name="row"), dtype=object)
    for col in columns:
        if col in ACTIVITY_LIST_COLUMNS:
            frame[col] = listify(frame[col]) if len(frame) else pd.Series([], dtype=object)
        else:
            frame[col] = plain_text(frame[col])
    return assemble_register(organisation, frame, recipients, base, files, findings)
