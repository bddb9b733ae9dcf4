"""Statements from the rows of a policy's tables, read by their headers.

A table of providers (name, purpose, location, data) gives one disclosure per row: the data
the row (or the table's lead-in) names goes to the provider the row names, a transfer when the
location lies outside the EEA. A table of processing activities (purposes, categories of data,
legal basis, retention, categories of recipients) gives our use of the data per row and its
disclosure to the recipients the row names.

:class:`TableReader` reads a row into :class:`~ropa.policy.sentences.SentenceFacts`; the
extractor records them (``ropa.policy.extract``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .cues import DURATION, THIRD_PARTY_WORD, cell_party
from .parse import Block
from .sentences import SentenceFacts, SentenceReader, unique, vendor_key

__all__ = ["RowReading", "TableReader"]

#: A table's column of recipient categories (a table of processing activities), not of providers.
RECIPIENT_CATEGORIES = re.compile(r"\b(?:categor\w*|types?)\s+of\s+recipients?|\brecipients?\s+categor", re.I)

#: A table's column of retention periods.
RETENTION_HEADER = re.compile(r"\b(?:retention|storage\s+period|duration|how\s+long|kept)\b", re.I)


@dataclass
class RowReading:
    """What one table row states: its statements' facts, in order, and the provider names it
    gives that no list holds (to review as unmapped recipients)."""

    facts: list[SentenceFacts] = field(default_factory=list)
    unmapped: list[str] = field(default_factory=list)


class TableReader(SentenceReader):
    """Reads table rows by the roles of their headers (see ``cues.table_roles``)."""

    def read_row(self, blk: Block, roles: dict[str, str], lead: SentenceFacts) -> RowReading:
        """The statements of a row of a table whose ``roles`` name an entity column."""
        cells = blk.cells or {}
        if roles.get("data") and roles.get("purpose") and RECIPIENT_CATEGORIES.search(roles["entity"]):
            return RowReading(self.processing_row(blk, roles, lead))
        reading = RowReading()
        name = cells.get(roles["entity"], "").strip()
        if not name:
            return reading
        ents, _ = self.entities(self.lex.find("recipient", name), name, [])
        if not ents:
            key = vendor_key(name)
            reading.unmapped.append(name)
            ents = [key]
        purpose_text = cells.get(roles.get("purpose", ""), "")
        place = cells.get(roles.get("country", ""), "")
        data_text = cells.get(roles.get("data", ""), "")
        purposes = self.narrow_keys(unique(m.key for m in self.lex.find("data_use", purpose_text)), "data_use")
        data = self.narrow(self.lex.find("data_category", data_text), "data_category", data_text) if data_text else []
        if not data and purpose_text:
            # "Processing of payment data": the purpose names the data when no column does.
            data = [d for d in self.narrow(self.lex.find("data_category", purpose_text), "data_category", purpose_text)
                    if d != "user"]
        if not data:
            data = list(lead.data) or ["user"]
        countries = self.countries(place) or self.countries(blk.text)
        action = "share"
        if any(not self.in_eea(c) for c in countries):
            action = "transfer"
        f = SentenceFacts(text=blk.text, line=blk.line, data=data, purposes=purposes, entities=ents, countries=countries,
                   action=action, subjects=list(lead.subjects), condition=lead.condition, consent=lead.consent,
                   legal_bases=list(lead.legal_bases))
        if any(e in self.lex.trackers for e in ents) and re.search(r"\b(?:cookie|pixel|track|analytics)", blk.text, re.I):
            f.action = "track"
        reading.facts.append(f)
        return reading

    def processing_row(self, blk: Block, roles: dict[str, str], lead: SentenceFacts) -> list[SentenceFacts]:
        """A row of a table of processing activities (purposes, categories of data, legal
        basis, retention, categories of recipients): our use of the data, kept as long as the
        retention column says, and its disclosure to the recipients the row names."""
        cells = blk.cells or {}
        data_text = cells.get(roles["data"], "")
        purpose_text = cells.get(roles["purpose"], "")
        data = self.narrow(self.find_data(data_text), "data_category", data_text) or list(lead.data)
        if not data:
            return []
        purposes = self.narrow_keys(unique(m.key for m in self.lex.find("data_use", purpose_text)), "data_use")
        other = " ".join(v for h, v in cells.items() if h not in (roles["data"], roles["entity"]))
        kept = SentenceFacts(text="", line=blk.line)
        retention = next((v for h, v in cells.items() if RETENTION_HEADER.search(h)), "")
        if retention:
            self._retention(kept, f"kept for {retention}" if DURATION.match(retention.strip()) else f"kept {retention}")
        facts = self.analyse(other, blk.line)
        named = [k for p, k in self.tax.synonyms("legal_basis").items()
                 if re.search(rf"(?<!\w){re.escape(p)}(?!\w)", other, re.I)]
        bases = unique([*facts.legal_bases, *named]) or list(lead.legal_bases)
        f = SentenceFacts(text=blk.text, line=blk.line, data=data, purposes=purposes, action="use",
                          subjects=list(lead.subjects), legal_bases=bases,
                          retention=kept.retention, countries=self.countries(cells.get(roles.get("country", ""), "")))
        made = [f]
        who = cells.get(roles["entity"], "")
        ents, _ = self.entities(self.lex.find("recipient", who, self.mask_controller(who)), who, [])
        for part in re.split(r"<br\s*/?>|;", who):
            masked = self.mask_controller(part)
            # "Scaleway Sales and Marketing Teams": a unit of the controller's own.
            own = len(masked) - len(masked.lstrip()) > len(part) - len(part.lstrip())
            found = self.lex.find("recipient", part)
            if not own and not found and (name := cell_party(masked)):  # "Entitled Iliad service": a company no list holds
                ents.append(vendor_key(name))
            elif not found and THIRD_PARTY_WORD.search(part):  # "Acme partners for debt collection"
                ents.append("third_party")
        ents = unique(ents)
        if ents:
            made.append(SentenceFacts(text=blk.text, line=blk.line, data=data, purposes=purposes, entities=ents,
                                      action="transfer" if any(not self.in_eea(c) for c in f.countries) else "share",
                                      countries=f.countries, legal_bases=f.legal_bases))
        return made
