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
from collections.abc import Iterable
from dataclasses import dataclass, field

from .cues import NEG_COLLECT, NEG_SHARE, THIRD_PARTY_WORD, cell_party
from .notparties import link_text
from .parse import Block, Sentence, split_sentences
from .periods import DURATION
from .sentences import SentenceFacts, SentenceReader, unique, vendor_key

__all__ = ["RowParts", "RowReading", "TableReader", "is_header_line", "is_sources_table", "row_parts", "table_roles"]

#: Words of each role a table's header may give its column (provider, purpose, location, data).
_TABLE_ROLE_WORDS = (
    ("entity", re.compile(r"\b(?:providers?|processors?|sub-?processors?|vendors?|company|companies|recipients?|party|"
                          r"parties|suppliers?|entity|entities|organi[sz]ations?|partners?|tools?|name|service\s+providers?)\b", re.I)),
    ("purpose", re.compile(r"\b(?:purpose|purposes|function|used\s+for|why|activity|processing|description|service|role)\b", re.I)),
    ("country", re.compile(r"\b(?:location|country|countries|region|where|hosting|hosted|server)\b", re.I)),
    ("data", re.compile(r"\b(?:data|categories|information|what)\b", re.I)),
)


def is_header_line(text: str) -> bool:
    """A short line that names table columns ("Name Function of the third party Jurisdiction").

    Example:
        >>> is_header_line("Name Function of the third party Jurisdiction"), is_header_line("Stripe Payments USA")
        (True, False)
    """
    if len(text.split()) > 8 or "," in text or text.rstrip().endswith("."):
        return False
    return sum(1 for _, rx in _TABLE_ROLE_WORDS if rx.search(text)) + bool(re.search(r"\bjurisdiction", text, re.I)) >= 2


#: A column that only a table of cookies and similar technologies has: how long one lasts, or
#: what kind of technology a row is ("Expiry", "Duration", "Type of cookie", "Lifespan").
_TECHNOLOGY_COLUMN = re.compile(r"\b(?:expir\w*|duration|lifespan|life\s*time|lifetime|persistence|"
                                r"(?:type|kind)\s+of\s+(?:cookie|tracker|technology)|cookie\s+type)\b", re.I)

#: A header that names only "the name" (of a row's thing, whatever it is).
_NAME_ONLY = re.compile(r"\W*(?:cookie\s+)?name\W*", re.I)


#: A lead-in naming us among those who place cookies ("placed by us and our partners", "We and
#: our service providers use the following cookies", "first-party cookies"): a row naming no party
#: of its own is not known to be anyone else's.
OURS_AMONG = re.compile(r"\b(?:we|us)\b|\bour\s+own\b|\bfirst[-\s]party\b", re.I)


def cookie_table(headers: Iterable[str]) -> bool:
    """Whether a table's headers are a table of cookies and similar technologies': a column of
    duration or expiry, or one of the technology's kind.

    Example:
        >>> cookie_table(["Name", "Purpose", "Expiry"]), cookie_table(["Name", "Purpose", "Location"])
        (True, False)
    """
    return any(_TECHNOLOGY_COLUMN.search(h) or re.fullmatch(r"\W*type\W*", h, re.I) for h in headers)


def table_roles(cells: dict[str, str]) -> dict[str, str]:
    """Which header holds the provider, the purpose, the location and the data. A header
    naming the party ("Provider", "Third party") is the provider's before a bare "Name"; and
    in a table of cookies (a column of duration or expiry, or one of the technology's kind),
    "Name" is the cookie's name, never a provider's.

    Example:
        >>> table_roles({"Name": "", "Purpose": "", "Location": ""})["entity"]
        'Name'
        >>> table_roles({"Type": "", "Name": "", "Third party": "", "Purpose": "", "Duration": ""})["entity"]
        'Third party'
        >>> "entity" in table_roles({"Name": "", "Purpose": "", "Expiry": ""})
        False
    """
    cookies = cookie_table(cells)
    roles: dict[str, str] = {}
    named_party = [h for h in cells if _TABLE_ROLE_WORDS[0][1].search(h) and not _NAME_ONLY.fullmatch(h)]
    for header in cells:
        for role, rx in _TABLE_ROLE_WORDS:
            if role == "entity" and _NAME_ONLY.fullmatch(header) and (cookies or named_party):
                continue
            if role not in roles and rx.search(header) and header not in roles.values():
                roles[role] = header
                break
    return roles


#: A table's column of recipient categories (a table of processing activities), not of providers.
RECIPIENT_CATEGORIES = re.compile(r"\b(?:categor\w*|types?)\s+of\s+recipients?|\brecipients?\s+categor", re.I)

#: A party column that lists kinds of recipient ("Categories of recipients", "Types of third
#: parties"): a row's name there is a kind, never a company's name.
KINDS_HEADER = re.compile(r"\b(?:categor\w*|types?|kinds?)\s+of\s+(?:recipients?|third[-\s]part\w*|part(?:y|ies)|partners?)"
                          r"|\brecipients?\s+categor", re.I)

#: A table's column of retention periods.
RETENTION_HEADER = re.compile(r"\b(?:retention|storage\s+period|duration|how\s+long|kept)\b", re.I)


#: Words that make a table's parties the sources of the data, not its recipients: in its
#: caption, its parties' column header or its lead-in ("Third parties we receive data from",
#: "Sources", "Information obtained from partners", "Where we get your data"). Data received
#: from someone is collected by us: "from you" is no party of a table.
SOURCE_WORDS = re.compile(
    r"\bsources?\b|\bwhere\s+we\s+(?:get|obtain)\b"
    r"|\b(?:receiv\w*|obtain\w*|get|gets|got|gather\w*|acquir\w*|collect\w*)"
    r"(?:\s+(?:your|personal|some|certain|the|this|such|data|information|about|you|of)){0,4}\s+from\b"
    r"(?!\s+(?:you|your|yourself|us|our)\b)", re.I)

#: A column that classifies a row under a law or a scheme ("Categories under CCPA", "CCPA
#: category", "Category under California law"): a label of the row's data, not data itself.
LABEL_HEADER = re.compile(
    r"(?i:\b(?:categor\w*|class\w*|types?)\b)\s+(?:(?i:under|per|in|of|by|according\s+to)\s+)(?:(?i:the)\s+)?"
    r"(?:[A-Z]{3,6}\b|(?i:[\w.-]+\s+(?:law|act|regulation)))|\b[A-Z]{3,6}\s+(?i:categor\w*|class\w*)")

#: The attribute a row of a two-column, headerless table names in its first cell ("Name",
#: "Type", "Lifetime" of a cookie described row by row): a label of the value beside it.
ATTRIBUTE_LABEL = re.compile(
    r"^(?:(?:cookie|vendor|provider|service)\s+)?(?:name|type|purpose|lifetime|duration|expiry|expiration|domain|host|"
    r"provider|vendor|category|description|retention|storage\s+period|first[- ]party|third[- ]party)s?:?$", re.I)

#: The breaks between a cell's paragraphs and lines ("<br><br>").
CELL_BREAK = re.compile(r"(?:\s*<br\s*/?>\s*)+", re.I)


def is_sources_table(blk: Block, roles: dict[str, str], lead_text: str = "") -> bool:
    """Whether a table's rows name where the data comes from (its caption, its parties'
    column header or its lead-in says so), not who receives it.

    Example:
        >>> row = Block("row", "Partners | Usage data", 1, 1, cells={"Party": "Partners", "Data": "Usage data"},
        ...             caption="Sources we obtain data from")
        >>> is_sources_table(row, {"entity": "Party", "data": "Data"}), is_sources_table(row, {"data": "Data"})
        (True, False)
    """
    if not roles.get("entity"):
        return False
    return any(SOURCE_WORDS.search(t) for t in (blk.caption, roles["entity"], lead_text) if t)


#: A line of a cell that is a list item ("* profile name", "• search queries").
CELL_BULLET = re.compile(r"^\s*(?:[*•◦▪‣–-]|\d{1,2}[.)])\s+")


@dataclass
class RowParts:
    """A row that names no party, cut for reading: ``text`` is read as one item (each cell's
    first sentence and its list items), ``head`` its first sentences alone (where a party the
    row names must stand), ``rest`` the cell's other sentences, each read on its own."""

    text: str
    head: str
    rest: list[Sentence] = field(default_factory=list)
    items: str = ""
    cookie: bool = False  # a row of a table of cookies (see :func:`cookie_table`)


def row_parts(blk: Block, roles: dict[str, str]) -> RowParts:
    """A row of a table that names no party, cut into the item it states and the sentences
    its cells add. A cell's first sentence and its list items are the item; its other
    sentences are read each on its own, so that a negation's scope ends with its sentence
    ("we never store the full card number" denies nothing else of the cell) and a party one
    of them names is no recipient of the whole row.

    A row of a table with no data column (rights, steps) is read whole, its cells joined.
    Left out: columns that classify the row under a law ("Categories under CCPA"), and the
    label of a two-column headerless row ("Name | _session_id": the name of a cookie).

    Example:
        >>> row = Block("row", "", 4, 4, cells={"Data": "Payment data", "Categories under CCPA": "Commercial information",
        ...             "Details": "We collect:<br>* the card type<br>We never keep the full card number."})
        >>> parts = row_parts(row, {"data": "Data"})
        >>> parts.text, parts.head, [s.text for s in parts.rest]
        ('We collect: the card type | Payment data', 'We collect: | Payment data', ['We never keep the full card number.'])
    """
    cells = blk.cells or {}
    headers = list(cells)
    if len(headers) == 2 and all(h.startswith("column ") for h in headers) \
            and ATTRIBUTE_LABEL.match(cells[headers[0]].strip()):
        headers = headers[1:]  # "Name | cfclearance": the value, not the attribute's name
    if roles.get("data") in headers:  # the data's name after what the row says of it ("... | User data")
        headers = [h for h in headers if h != roles["data"]] + [roles["data"]]
    kept: list[str] = []
    heads: list[str] = []
    rest: list[Sentence] = []
    tails: list[tuple[int, list[str]]] = []  # a sentence of rest and the list items after it
    items: list[str] = []  # the cells' list items
    for h in headers:
        if LABEL_HEADER.search(h) and h != roles.get("data"):
            continue
        if not roles.get("data"):  # no data column (a table of rights, of steps): the cell whole,
            # but for a negation after its first sentence, read on its own ("However, we never
            # store your wallet's private key" denies nothing else of the cell)
            whole = CELL_BREAK.sub(" ", cells[h]).strip()
            sents = split_sentences(whole, blk.line) if whole else []
            denials = [i for i, x in enumerate(sents) if i and (NEG_SHARE.search(x.text.replace("’", "'"))
                                                                or NEG_COLLECT.search(x.text.replace("’", "'")))]
            rest.extend(sents[i] for i in denials)
            kept.append(" ".join(x.text for i, x in enumerate(sents) if i not in denials) if denials else whole)
            heads.append(kept[-1])
            continue
        item: list[str] = []
        head = ""
        denied: list[str] | None = None  # a negation that leads a list ("We do not keep:"): its items are its own
        for para in CELL_BREAK.split(cells[h]):
            bullet = CELL_BULLET.match(para)
            for sent in split_sentences(para[bullet.end():] if bullet else para, blk.line) if para.strip() else []:
                norm = sent.text.replace("’", "'")
                negated = bool(NEG_SHARE.search(norm) or NEG_COLLECT.search(norm))
                if bullet and not negated and denied is not None:
                    denied.append(sent.text)
                elif negated:
                    rest.append(sent)
                    if not bullet:
                        denied = [sent.text] if sent.text.rstrip().endswith(":") else None
                        if denied is not None:
                            tails.append((len(rest) - 1, denied))
                elif bullet or not item:
                    head = head or sent.text
                    item.append(sent.text)  # the cell's first sentence and its list items: the row's data
                else:
                    rest.append(sent)
                    denied = None
        if len(item) > 1:
            items.append(", ".join(item[1:]))
        if item:
            first = item[0] if item[0].rstrip().endswith(":") else f"{item[0].rstrip(' .;')}:"
            kept.append(" ".join([first, ", ".join(item[1:])]) if len(item) > 1 else item[0])
            heads.append(head)
    for i, words in tails:
        if len(words) > 1:
            rest[i] = Sentence(" ".join([words[0], ", ".join(words[1:])]), rest[i].line)
    if not kept:  # nothing but negations: the row is what it says
        return RowParts(blk.text, blk.text, cookie=cookie_table(cells))
    return RowParts(" | ".join(kept), " | ".join(heads), rest, "; ".join(items), cookie_table(cells))


@dataclass
class RowReading:
    """What one table row states: its statements' facts, in order, and the provider names it
    gives that no list holds (to review as unmapped recipients)."""

    facts: list[SentenceFacts] = field(default_factory=list)
    unmapped: list[str] = field(default_factory=list)


class TableReader(SentenceReader):
    """Reads table rows by the roles of their headers (see :func:`table_roles`)."""

    def read_row(self, blk: Block, roles: dict[str, str], lead: SentenceFacts) -> RowReading:
        """The statements of a row of a table whose ``roles`` name an entity column."""
        cells = blk.cells or {}
        if roles.get("data") and roles.get("purpose") and RECIPIENT_CATEGORIES.search(roles["entity"]):
            return RowReading(self.processing_row(blk, roles, lead))
        if is_sources_table(blk, roles, lead.text):
            return RowReading(self.source_row(blk, roles, lead))
        reading = RowReading()
        name = cells.get(roles["entity"], "").strip()
        if not name or link_text(name):  # "Learn More": a link, no one's name
            return reading
        ents, _ = self.entities(self.lex.find("recipient", name), name, [])
        if not ents:  # a column of kinds of recipient names no company: the kind stays for review
            reading.unmapped.append(name)
            ents = ["third_party" if KINDS_HEADER.search(roles["entity"]) else vendor_key(name)]
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

    def settle_row(self, f: SentenceFacts, cut: RowParts) -> None:
        """What an item read from a row that names no party (see :func:`row_parts`) states,
        settled by the row's structure: its cells' list items are data ("* name * date of
        birth"), whatever the sentence before them makes of its own words; a party named in
        a list item is data too ("your use of third-party services"), not whom the row's data
        goes to: the row keeps the parties its cells' first sentences name, and a disclosure
        left with no party is no disclosure (the row's action then comes from its lead-in)."""
        if cut.items and f.action not in ("not_share", "not_collect"):
            listed = [d for d in self.narrow(self.find_data(cut.items), "data_category", cut.items) if d != "user"]
            f.data = unique([*(d for d in f.data if d != "user" or not listed), *listed])
        if not f.entities:
            return
        ents, _ = self.entities(self.lex.find("recipient", cut.head), cut.head, [])
        f.entities = [e for e in f.entities if e in ents or e.startswith("we")]
        if f.action in ("share", "transfer", "track") and not any(not e.startswith("we") for e in f.entities):
            f.action = None

    def source_row(self, blk: Block, roles: dict[str, str], lead: SentenceFacts) -> list[SentenceFacts]:
        """A row of a table of sources: the data the row names, collected by us from the party
        it names (a condition of the collection, not a recipient)."""
        cells = blk.cells or {}
        name = cells.get(roles["entity"], "").strip()
        if not name:
            return []
        data_text = cells.get(roles.get("data", ""), "")
        data = self.narrow(self.find_data(data_text), "data_category", data_text) if data_text else []
        if not data:
            other = " ".join(v for h, v in cells.items() if h != roles["entity"] and not LABEL_HEADER.search(h))
            data = [d for d in self.narrow(self.find_data(other), "data_category", other) if d != "user"]
        data = data or list(lead.data) or ["user"]
        purpose_text = cells.get(roles.get("purpose", ""), "")
        purposes = self.narrow_keys(unique(m.key for m in self.lex.find("data_use", purpose_text)), "data_use")
        return [SentenceFacts(text=blk.text, line=blk.line, data=data, purposes=purposes, action="collect",
                              subjects=list(lead.subjects), condition=f"from {CELL_BREAK.sub(' ', name)}",
                              consent=lead.consent, legal_bases=list(lead.legal_bases))]

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
