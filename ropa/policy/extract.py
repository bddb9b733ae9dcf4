"""Rule-based extraction of statements from a policy text.

Every statement can be explained: it comes from one sentence, list item or table row
(its ``quote`` and ``line``), and each of its fields from a phrase found there:

- the **action** from cue phrases (``we ask you for`` → collect, ``share with`` → share,
  ``we use Hotjar to`` → track, ``does NOT share`` → not_share, ``keep ... for seven
  years`` → retain, ``you can ... unsubscribe`` → inform);
- **data categories, purposes, data subjects and rights** from the taxonomy's synonyms
  (longest phrase first, whole words, case-insensitive);
- **recipients** from the register's recipient names and aliases, the recipient
  categories' synonyms, and the built-in list of common processors and trackers
  (``ropa/taxonomy/vendors.yml``). A vendor the register does not hold gets the key
  ``vendor:<key>`` (``vendor:hotjar``); a company named only in a sub-processor table gets
  ``vendor:<slug of its name>``;
- **exceptions** of a negation from its ``unless ...`` clause (``consent``,
  ``legal_obligation``, ``contract``, ``vital_interests``), a **condition** from a
  ``when ...``/``if ...`` clause, **retention** from a duration (``seven years`` → ``P7Y``)
  or an ``until ...`` criterion, **consent** from ``only after you accept``-type phrases,
  **legal bases** only where the text names one (``legal obligation``, ``legitimate
  interest``, ...).

Context rules, each simple: list items take the action, recipient, condition and purposes
of the paragraph that introduces them ("DAS Incasso receives the following information
from us:"); a sentence that refers back ("This helps us ...", "these details") adds to the
statement before it; a category named with a definite article ("the collection agency")
means the entity under it named earlier in the section (DAS Incasso); statements about
trackers in a sub-section inherit the data and consent their parent section states;
statements without purposes take those of the section's other sentences and its title.

Phrases that look like a data item (a list item under "we collect:") or a company (a name
with ®, a legal form, CamelCase, a table's provider cell) but match no term are returned in
``unmapped`` with the nearest terms as suggestions.

Example:
    >>> from ropa.policy.extract import extract
    >>> res = extract("Privacy\\n\\n1. Newsletter\\n\\nWe ask you for:\\n\\n- your email address\\n"
    ...               "\\nWe use Mailchimp to send the newsletter.\\n")
    >>> res.statements[["section", "action", "data_categories", "recipients"]].values.tolist()
    [['1', 'collect', ['user.contact.email'], ['we']], ['1', 'share', ['user.contact.email'], ['vendor:mailchimp']]]
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterable
from typing import Any

import pandas as pd

from ..core.taxonomy import default_taxonomy, normalise_phrase
from .chrome import chrome_lines
from .clauses import (
    PERSONAL_DATA,
    continue_lead,
    follow_up,
    ground_cases,
    lead_exception,
    negation_clauses,
    record_list,
    review_reason,
    split_item,
)
from .cues import (
    ANNOUNCES_LIST,
    BOLD_LABEL,
    FIELD_ITEM,
    LINK_ONLY,
    NEG_COLLECT,
    NEG_SHARE,
    POINTS_BACK,
    PURPOSE_ITEM,
    PURPOSE_LEAD,
    REGULATORY,
    RIGHTS_TALK,
    SCOPE_APPLIES,
    SCOPE_EXCLUDES,
    SCOPE_SUBJECTS,
    company_like,
    inline_cases,
    placeholder,
    short,
)
from .datawords import own_generic_data
from .facts import (
    changelog_entries,
    contacts_in,
    controller_candidates,
    controller_names_in,
    stated_date,
)
from .model import (
    REVIEW_COLUMNS,
    UNMAPPED_COLUMNS,
    ExtractionResult,
    sections_frame,
    statements_frame,
)
from .nonflow import (
    DATA_LIST_LEAD,
    PURPOSE_PHRASE,
    TOPIC_LEAD,
    own_clause,
    under_negation,
)
from .others import both_ways
from .ownnames import group_names, with_group_names
from .parse import Block, Section, block_sentences, clean_inline, parse
from .sentences import SentenceFacts, details_back, unique, with_our_own
from .tables import OURS_AMONG, TableReader, is_header_line, row_parts, table_roles
from .titles import item_title, run_in_title
from .tracking import tracked_data

__all__ = ["ExtractionResult", "extract"]


#: Statements a sentence may refer back to.
_LOOKBACK = 200

#: Unmapped phrases that get suggestions (a person reviews a few dozen, not thousands).
_MAX_SUGGESTED = 500


class _Extractor(TableReader):
    def __init__(self, text: str, register: Any, filename: str | None):
        self.text = text if isinstance(text, str) else ""
        self.register = register
        self.filename = filename
        self.outline = parse(self.text, filename)
        # dated entries (edits, not processing) and the page's chrome (menus, footers, contents): no statement
        self._changelog = changelog_entries(self.outline) | chrome_lines(self.outline)
        self.controllers = controller_candidates(register, self.outline)
        super().__init__(getattr(register, "taxonomy", None) or default_taxonomy(),
                         [rx for _, rx in self.controllers])
        self.records: list[dict[str, Any]] = []
        self.unmapped: list[dict[str, Any]] = []
        self._groups: dict[Any, list[dict[str, Any]]] = {}  # a list's statements, by its group
        # The newest sentence statement of the current section per action and recipients.
        self._flows: dict[tuple[str, str, frozenset[str]], dict[str, Any]] = {}
        self._use_pool: list[str] = []  # purposes of a section's "we use the information to:" items
        self._informs: dict[str, list[list[str]]] = {}  # the rights of each section's inform statements
        self._suggested: dict[tuple[str, str], list[str]] = {}
        self.review: list[dict[str, Any]] = []
        self._touched = 0  # statements made or added to so far
        self._last: tuple[Any, SentenceFacts | None, int] = (None, None, -1)  # the sentence before
        self._lead_before: dict[int, SentenceFacts | None] = {}  # a list lead-in's sentence before, by block
        self._unread: str | None = None  # the section whose last sentence about data went to review
        self._about = 0  # sentences and items about personal data
        self._resolved = 0

    def _append(self, rec: dict[str, Any]) -> None:
        self._touched += 1
        if self.records and self.records[-1]["section"] != rec["section"]:
            self._flows.clear()  # the same section's statements stand together
        self.records.append(rec)
        if rec["_from"] == "sentence":
            self._flows[(rec["section"], rec["action"], frozenset(rec["recipients"]))] = rec
        if rec.get("_group"):
            self._groups.setdefault(rec["_group"], []).append(rec)
        if rec["action"] == "inform":
            self._informs.setdefault(rec["section"], []).append(list(rec["rights"]))

    def _recent(self) -> Iterable[dict[str, Any]]:
        """The statements made so far, newest first, as far back as _LOOKBACK (sentences refer
        back a few statements, not thousands: an unbounded look back is quadratic time)."""
        return itertools.islice(reversed(self.records), _LOOKBACK)

    def _suggest(self, kind: str, phrase: str) -> list[str]:
        """The nearest terms for an unmapped phrase; none after the first _MAX_SUGGESTED phrases
        (a fuzzy match against the whole taxonomy each: a hostile text names thousands)."""
        key = (kind, phrase)
        if key not in self._suggested:
            if len(self._suggested) >= _MAX_SUGGESTED:
                return []
            tax = self.etax if kind == "recipient" else self.tax
            self._suggested[key] = tax.suggest(kind, phrase)
        return list(self._suggested[key])

    # -- statements ---------------------------------------------------------------------------
    def run(self) -> ExtractionResult:
        sections = self.outline.sections
        by_number = {s.number: s for s in sections}
        for sec in sections:
            self._section(sec)
        self._inherit_from_parents(by_number)
        for rec in self.records:  # what a tracking statement naming no data tracks (tracking.py)
            if rec["action"] == "track" and not rec["data_categories"]:
                rec["action"], rec["data_categories"] = tracked_data(rec["recipients"], self._pure_tracker)
                if rec["action"] == "share":
                    rec["data_categories"] += self.implied_data(rec["recipients"], rec["purposes"], rec["quote"])
        self._finish_ids()
        with_group_names(self.records, self.lex, group_names(self.text, [n for n, _ in self.controllers]))
        meta = self._meta()
        sec_frame = self._sections_frame()
        statements = statements_frame(self.records)
        unmapped = pd.DataFrame(self.unmapped, columns=UNMAPPED_COLUMNS)
        unmapped = unmapped.drop_duplicates(subset=["section", "phrase", "kind"]).reset_index(drop=True)
        meta["coverage"] = {"about_data": self._about, "resolved": self._resolved}
        review = pd.DataFrame(self.review, columns=list(REVIEW_COLUMNS))
        return ExtractionResult(sec_frame, statements, meta, unmapped, self.outline, review)

    # -- review ------------------------------------------------------------------------------------
    def _about_data(self, text: str) -> bool:
        """Whether a sentence speaks of personal data: it names a data category or personal
        data in general."""
        return bool(PERSONAL_DATA.search(text)) or bool(self.lex.find("data_category", text))

    def _account(self, sec: Section, text: str, line: int, before: int, f: SentenceFacts | None,
                 reason: str | None = None) -> None:
        """Count a sentence about personal data as resolved (it made or added to a statement,
        or is recognised as no flow) or list it for review with the reason."""
        if not self._about_data(text):
            return
        self._about += 1
        if reason is None and (self._touched > before or (f is not None and (f.reference or f.recognised))):
            self._resolved += 1
            self._unread = None
            return
        self._unread = sec.number  # what "this" in the next sentence points to went unread
        self.review.append({"section": sec.number, "line": line, "quote": short(text),
                            "reason": reason or review_reason(f, text)})

    def _sections_frame(self) -> pd.DataFrame:
        by_line = dict(self.outline.lines)
        recs = []
        for s in self.outline.sections:
            if self.outline.is_html:
                body = "\n".join(t for ln, t in self.outline.lines if s.line_start <= ln <= s.line_end)
            else:
                body = "\n".join(by_line.get(i, "") for i in range(s.line_start, s.line_end + 1))
            recs.append({"number": s.number, "title": s.title, "level": s.level, "text": body.strip(),
                         "line_start": s.line_start, "line_end": s.line_end})
        return sections_frame(recs)

    def _section(self, sec: Section) -> None:
        start, self._use_pool = len(self.records), []
        pool_purposes: list[str] = [m.key for m in self.lex.find("data_use", sec.title)]
        title_subjects = [m.key for m in self.lex.find("data_subject", sec.title)]
        entities_seen: list[str] = []
        title_ents, _ = self.entities(self.lex.find("recipient", sec.title), sec.title, [])
        entities_seen += title_ents
        deferred_leads: set[int] = set()  # leads whose last sentence waits for its list
        blocks = [b for b in sec.blocks if b.line not in self._changelog]
        i = 0
        while i < len(blocks):
            blk = blocks[i]
            if blk.kind in ("item", "row"):
                # A list's (or table's) blocks stand together: the parser numbers each run anew.
                end = i + 1
                while end < len(blocks) and blocks[end].group == blk.group and blocks[end].kind == blk.kind:
                    end += 1
                group = blocks[i:end]
                made = self._list(sec, group, entities_seen, pool_purposes)
                if not made and blk.lead is not None and id(blk.lead) in deferred_leads:
                    deferred_leads.discard(id(blk.lead))
                    for sent in block_sentences(blk.lead)[-1:]:
                        if not POINTS_BACK.match(clean_inline(sent.text).replace("’", "'").strip()):  # ("This data includes:")
                            self._sentence(sec, sent.text, sent.line, entities_seen, pool_purposes)
                i += len(group)
                continue
            sentences = block_sentences(blk)
            is_lead = i + 1 < len(blocks) and blocks[i + 1].lead is blk
            if is_lead:
                deferred_leads.add(id(blk))
                sentences = sentences[:-1]
            run_in = BOLD_LABEL.match(blk.raw) if len(sentences) > 1 else None  # "**Cookies.** You can ..."
            for sent in sentences:
                if LINK_ONLY.match(blk.raw.strip()) or (len(sentences) == 1 and item_title(sent.text) and not sent.text.rstrip().endswith(".")) or (
                        run_in and sent is sentences[0] and item_title(sent.text)
                        and sent.text.rstrip(" .:") == clean_inline(run_in.group(2)).rstrip(" .:")):
                    # a title (or a link: a table of contents) standing as its own paragraph ("Compliance and Internal Disclosures"), or
                    # run into its paragraph in bold
                    title = SentenceFacts(sent.text, sent.line, recognised=True)
                    self._last = (sec.number, title, self._touched)
                    self._account(sec, sent.text, sent.line, self._touched, title)
                    continue
                self._sentence(sec, sent.text, sent.line, entities_seen, pool_purposes)
            if is_lead and self._last[0] == sec.number and (sentences or blocks[i - 1].kind not in ("item", "row")):
                self._lead_before[id(blk)] = self._last[1]  # the sentence the lead-in goes on from
            i += 1
        # Statements without purposes take the section's other purposes (and its title's).
        pool = unique(pool_purposes)
        flows = [r for r in self.records[start:] if r["action"] not in ("inform", "not_share", "not_collect")]
        by_data: dict[str, list[str]] = {}  # ... first those of its statements about the same data
        for rec in flows:
            for d in set(rec["data_categories"]) - {"user"}:
                by_data.setdefault(d, []).extend(rec["purposes"])
        for rec in flows:  # ("the location you share in conversations" / "stored to send messages")
            same = unique(p for d in rec["data_categories"] if d != "user" for p in by_data.get(d, []))
            if not rec["purposes"] and same:
                rec["purposes"] = self.narrow_keys(same, "data_use")
        single = unique(p for rec in flows for p in rec["purposes"])  # ... else, for a sentence, the one
        # "We use the information we collect to: - ...": purposes of our use of it, none of a disclosure
        others = Counter(pool_purposes)
        others.subtract(self._use_pool)
        disclosed = [p for p in pool if others[p] > 0]
        for rec in self.records[start:]:  # purpose the section's other statements serve
            own = (disclosed if rec["action"] in ("share", "transfer") else pool) or (
                single if len(single) == 1 and rec["_from"] == "sentence" else [])
            if not rec["purposes"] and rec["action"] not in ("inform", "not_share", "not_collect") and own:
                rec["purposes"] = self.narrow_keys(own, "data_use")
            if not rec["data_subjects"] and title_subjects:
                rec["data_subjects"] = list(title_subjects)

    def _record(self, sec: Section, f: SentenceFacts, quote: str, line: int) -> dict[str, Any]:
        third = [e for e in f.entities if not e.startswith("we")]
        if f.action == "track":
            recipients = third or ["we"]  # cookies of our own: first-party tracking
        elif f.action in ("share", "transfer"):
            recipients = third or (["we.internal"] if f.internal else ["third_party"])
        elif f.action == "not_share":
            recipients = third or ["third_party"]
        elif f.action == "not_collect":
            recipients = [f.actor] if f.actor != "we" else ["we"]
        elif f.action == "inform":
            recipients = []
        else:
            recipients = ["we.internal"] if f.internal else ["we"]
        action = f.action
        if action in ("share", "transfer") and recipients and all(r.startswith("we") for r in recipients):
            action = "use"
        data = list(f.data)
        if set(data) <= {"user"} and action in ("share", "transfer"):  # a disclosure naming no data discloses
            data = ["user", *self.implied_data(recipients, f.purposes, quote)]  # personal data, that of the recipient's kind (payment)
        return {
            "statement_id": "", "section": sec.number, "section_title": sec.title, "actor": f.actor,
            "action": action, "data_categories": data if action != "inform" else [],
            "data_subjects": list(f.subjects), "purposes": list(f.purposes) if action != "inform" else [],
            "recipients": recipients, "countries": list(f.countries), "legal_bases": list(f.legal_bases),
            "retention": f.retention, "condition": f.condition, "consent": f.consent,
            "exceptions": list(f.exceptions) if action in ("not_share", "not_collect") else [],
            "rights": list(f.rights) if action == "inform" else [], "quote": short(quote), "line": line,
            "origin": "extracted", "_from": "sentence",
        }

    def _previous(self, sec: Section) -> dict[str, Any] | None:
        return self.records[-1] if self.records and self.records[-1]["section"] == sec.number else None

    def _sentence(self, sec: Section, text: str, line: int, seen: list[str], pool: list[str]) -> None:
        clauses = negation_clauses(text)
        if len(clauses) > 1:
            for clause in clauses:
                self._sentence(sec, clause, line, seen, pool)
            return
        before = self._touched
        f = self.analyse(text, line, seen)
        follow_up(f, text, [r for r in self._recent() if r["section"] == sec.number],
                  self._last[1] if self._last[0] == sec.number else None)
        self._last = (sec.number, f, self._touched)
        self._sentence_facts(sec, f, text, line, seen, pool)
        self._account(sec, text, line, before, f)

    def _sentence_facts(self, sec: Section, f: SentenceFacts, text: str, line: int, seen: list[str],
                        pool: list[str]) -> None:
        self._unmapped_names(sec, f, text)
        seen.extend(e for e in f.mentioned if e not in seen)
        if f.reference:
            return
        prev = self._previous(sec)
        inherited = False
        if (f.anaphor_data and f.action != "inform") or (
                not f.data and f.action in ("share", "transfer") and f.entities and not own_generic_data(text)):
            # "this information", or a processor named without data: the data just spoken of (not a negation's).
            source = next((r for r in self._recent() if r["section"] == sec.number and r["data_categories"] and line - r["line"] <= 8), None)
            if source is not None and not source["action"].startswith("not_") and not details_back(f, text, source):
                group = list(self._groups.get(source["_group"], [])) if source.get("_group") else []
                group = group or [source]
                f.data = unique(d for r in group for d in r["data_categories"])
                inherited = True
                third_here = [e for e in f.entities if not e.startswith("we")]
                # "We process these details to perform our contract": the basis (and purpose) of
                # the list just given, not a new statement.
                if len(group) > 1 and f.anaphor_data and not third_here and f.action in (None, "use", "collect") \
                        and (f.legal_bases or f.purposes):
                    for r in group:
                        r["legal_bases"] = unique([*r["legal_bases"], *f.legal_bases])
                        r["purposes"] = unique([*r["purposes"], *f.purposes])
                    f.recognised = True
                    return
        third = [e for e in f.entities if not e.startswith("we")]
        # Refers back: add to the statement before (never past a sentence that went unread, nor
        # from after a list into its last item).
        if prev is not None and f.action not in ("not_share", "not_collect", "inform"):
            same_recipients = not third or set(third) <= set(prev["recipients"])
            refers_back = (f.anaphor_start and same_recipients and f.action in (None, prev["action"]))
            refers_back |= (inherited and f.anaphor_data and f.action == prev["action"] and same_recipients)
            refers_back |= (not third and (f.pronoun or f.anaphor_start) and f.action is None
                            and bool(f.consent or f.purposes))
            refers_back |= (not f.data and not third and f.pronoun and f.action == prev["action"]
                            and bool(f.consent or f.purposes))
            if refers_back and prev["action"] not in ("inform", "not_share", "not_collect") and self._unread != sec.number \
                    and (prev["_from"] != "item" or prev["line"] == line):
                self._merge(prev, f, text)
                return
        # Same third party, same action, in the same section: one statement.
        if third and third != ["third_party"] and f.action in ("track", "share", "transfer"):
            rec = self._flows.get((sec.number, f.action, frozenset(third)))
            if rec is not None:
                self._merge(rec, f, text, quote=False)
                return
        if f.action is None or not self._worth(f):
            if f.action not in ("not_share", "not_collect"):
                pool.extend(f.purposes)  # a denied purpose is no purpose of the section
            return
        if f.action == "inform" and any(set(f.rights) <= set(rights) for rights in self._informs.get(sec.number, [])):
            f.recognised = True  # the rights the section already states
            return
        rec = self._record(sec, f, text, line)
        party = next((m.phrase for m in self.lex.find("recipient", text) if m.key in rec["recipients"]), "")
        for r in with_our_own(rec, f):  # "We and our partners use cookies"
            at = [(m.start, m.key) for m in self.find_data(text) if m.key in r["data_categories"]]
            for one in both_ways(r, text, party, self.controller_names, at):  # "we share with, and receive from, X"
                self._append(one)

    def _pure_tracker(self, key: str) -> bool:
        """Whether a recipient is nothing but a tracker (a kind or vendor under
        ``third_party.tracker``, not a service whose name it shares)."""
        return key not in self.lex.named_services and bool(self.etax.known("recipient", [key])[0]) \
            and self.etax.is_under("recipient", key, "third_party.tracker")

    def _worth(self, f: SentenceFacts) -> bool:
        third = [e for e in f.entities if not e.startswith("we")]
        if f.action in ("not_share", "not_collect"):
            return not f.excepts_described  # ("except as described in this policy": nothing kept back)
        if f.action in ("inform", "retain"):
            return bool(f.rights if f.action == "inform" else f.retention)
        return bool(third or f.data) if f.action in ("track", "share", "transfer") else bool(f.data)

    def _merge(self, rec: dict[str, Any], f: SentenceFacts, text: str, quote: bool = True) -> None:
        self._touched += 1
        if rec["action"] != "inform":
            rec["data_categories"] = unique([*rec["data_categories"], *f.data])
        rec["purposes"] = unique([*rec["purposes"], *f.purposes])
        rec["data_subjects"] = unique([*rec["data_subjects"], *f.subjects])
        rec["countries"] = unique([*rec["countries"], *f.countries])
        rec["legal_bases"] = unique([*rec["legal_bases"], *f.legal_bases])
        rec["consent"] = bool(rec["consent"] or f.consent)
        if not rec["retention"] and f.retention:
            rec["retention"] = f.retention
        if not rec["condition"] and f.condition:
            rec["condition"] = f.condition
        joined = f"{rec['quote']} {short(text)}"
        if quote and (f.consent or f.purposes or f.data) and len(joined) <= 320:
            rec["quote"] = joined

    def _list(self, sec: Section, group: list[Block], seen: list[str], pool: list[str]) -> int:
        """Statements from a list or table; returns how many were made."""
        lead_text = ""
        lead_line = group[0].line
        if group[0].lead is not None:
            lead_sents = block_sentences(group[0].lead)
            if lead_sents:
                lead_text, lead_line = lead_sents[-1].text, lead_sents[-1].line
        lead = self.analyse(lead_text, lead_line, seen) if lead_text else SentenceFacts("", lead_line)
        continue_lead(lead, self._lead_before.get(id(group[0].lead)))  # "This information includes:"
        if lead.action in ("not_share", "not_collect") and not (lead_text.rstrip().endswith(":") or ANNOUNCES_LIST.search(lead_text)):
            lead.action = None  # a paragraph's "will not affect our use" before a table: no promise about its rows
        seen.extend(e for e in lead.entities if e not in seen)
        pool.extend(lead.purposes)
        made = 0
        roles = table_roles(group[0].cells) if group[0].kind == "row" and group[0].cells else {}
        # A provider's record under its name: the name is the list's lead ("Zendesk, Inc.", then
        # "Purpose: ...") or, when the list opens its section, the section's heading.
        record = record_list(group, lead_text) if group[0].lead is not None else record_list(
            group, sec.title, heading=True, organisation=self._names_organisation(sec.title)) \
            if sec.blocks and sec.blocks[0] is group[0] and sec.title else None
        if record is not None:
            return self._row(sec, record, table_roles(record.cells or {}), lead)
        lead_norm = lead_text.replace("’", "'")
        # "You have the right to:": the items are rights, not flows.
        rights_lead = bool(RIGHTS_TALK.search(lead_norm) or (
            re.search(r"\brights?\b", lead_norm, re.I) and lead_text.rstrip().endswith(":"))) \
            and lead.action not in ("not_share", "not_collect")
        # "We use your data to:": the items are purposes; the lead states the flow.
        purpose_lead = bool(PURPOSE_LEAD.search(lead_text)) and not rights_lead and not DATA_LIST_LEAD.search(lead_text)
        # "We do not disclose data except where ..., such as:": the items are the excepted
        # disclosures, made under that condition; the negation stands for the rest.
        excepted = None
        if lead.action in ("not_share", "not_collect"):
            neg = NEG_SHARE.search(lead_norm) or NEG_COLLECT.search(lead_norm)
            exc = lead_exception(lead_norm, neg.end(), bool(re.search(r"(?::|\bbelow\.?)\s*$", lead_text))) if neg else None
            if exc:
                excepted = lead_text[exc.start():].strip(" :")
        for blk in group:
            before = self._touched
            # An item of several sentences: the first is the item, the others are read as sentences of their own.
            parts = split_item(blk.text, blk.line) if blk.kind == "item" else []
            text = parts[0].text if len(parts) > 1 else blk.text
            rest = parts[1:] if len(parts) > 1 else []
            cut = row_parts(blk, roles) if blk.kind == "row" and not roles.get("entity") else None
            if cut is not None:  # no label columns; a cell's other sentences (negations too) on their own
                text, rest = cut.text, cut.rest
            # "**Third Parties**. We may collect ... from third parties": a bold label naming a
            # party and no data is the item's title, not a disclosure; its sentences speak.
            label = BOLD_LABEL.match(blk.raw)  # (a title: "**Payment Information**. When you pay, ...")
            title_only = bool(label) and text.rstrip(" .:") == clean_inline(label.group(2)).rstrip(" .:") \
                and ((len(parts) > 1 and (self._names_party_only(text) or item_title(text))) or item_title(text, alone=True))
            title_only = title_only or (not label and len(parts) > 1 and run_in_title(text))  # "Device Data. We log ..."
            state: dict[str, Any] = {"f": None, "reason": None}
            try:
                if blk.kind == "row" and roles.get("entity"):
                    made += self._row(sec, blk, roles, lead)
                    continue
                if blk.kind == "item" and blk.raw == text and is_header_line(text):
                    state["f"] = SentenceFacts(text, blk.line, recognised=True)
                    continue  # "Name  Function of the third party  Jurisdiction": a table's header
                if LINK_ONLY.match(blk.raw.strip()) or title_only:
                    state["f"] = SentenceFacts(text, blk.line, recognised=True)
                    continue  # a table of contents or a "see also" link; a label
                f = self.analyse(under_negation(lead_text, text), blk.line, seen, item=True)  # ("We will never:" + item)
                if cut is not None:
                    self.settle_row(f, cut)
                state["f"] = f
                if f.reference or (TOPIC_LEAD.search(lead_norm) and f.action not in ("not_share", "not_collect")):
                    f.recognised = True
                    continue  # (items of "This policy explains:", "These measures include:": topics, not flows)
                third = [e for e in f.entities if not e.startswith("we")]
                if rights_lead:
                    f.recognised = True  # the lead is the item's rights cue ("the right to: - receive it in a portable format")
                    f.rights = f.rights or self.rights(text.replace("’", "'"))
                    if f.rights or lead.rights:
                        f.rights = unique([*lead.rights, *f.rights])
                        if not any(set(f.rights) <= set(r) for r in self._informs.get(sec.number, [])):
                            f.action = "inform"
                            self._append(dict(self._record(sec, f, text, blk.line), _from="item"))
                            made += 1
                    continue
                purpose_item = not f.data and lead.action in (None, "use", "collect") and bool(PURPOSE_ITEM.match(text) or PURPOSE_PHRASE.match(text))
                gains = lead.action in ("use", "collect") and not f.share_cue and bool(PURPOSE_PHRASE.match(text))  # "To pay providers"
                if (purpose_lead or purpose_item) and (not third or gains) and f.action not in ("not_share", "not_collect"):
                    # "We use technical data to: - improve our services": each item a use of
                    # the lead's data for that purpose (the item's words are a purpose, not
                    # data, unless the lead names no data of its own).
                    specific = [d for d in lead.data if d != "user"]
                    if not specific and not f.data:
                        f.recognised = True
                        pool.extend(f.purposes)
                        if lead.action not in ("share", "transfer"):
                            self._use_pool.extend(f.purposes)
                        continue
                    f.data = specific or f.data
                    f.action = lead.action if lead.action in ("use", "collect") else "use"
                    f.actor, f.entities, f.internal = lead.actor, [], lead.internal
                    f.purposes = unique([*f.purposes, *lead.purposes])
                    f.legal_bases = unique([*lead.legal_bases, *f.legal_bases])
                    f.consent = f.consent or lead.consent
                    rec = self._record(sec, f, text, blk.line)
                    rec["_from"] = "item"
                    rec["_group"] = (sec.number, blk.group)
                    self._append(rec)
                    made += 1
                    continue
                label = FIELD_ITEM.match(text)
                if label and third and lead.action in (None, "collect", "use") and not f.share_cue \
                        and self.lex.find("recipient", label.group("label")):
                    # "PayPal: transaction ID, sender name": what we get through PayPal.
                    f.condition = f.condition or f"through {label.group('label').strip()}"
                    f.entities, third = [], []
                    lead_action = lead.action or "collect"
                else:
                    lead_action = lead.action
                action = lead_action
                if f.action in ("not_share", "not_collect"):
                    action = f.action  # the item's own negation ("We will not view your files")
                elif excepted is not None:  # (the excepted cases: "... only as described below")
                    action = "share" if lead.action == "not_share" else "collect"
                    f.condition = f.condition or short(excepted, 160)
                elif lead_action in ("not_share", "not_collect") and f.action and own_clause(text):
                    action = f.action  # an item with a clause of its own says what is done
                if action in (None, "inform") and third:
                    action = "track" if any(e in self.lex.trackers for e in third) else "share"
                cases = ground_cases(self, f, lead, rest, blk.line, seen) if not f.data and not third else None
                if cases is not None:  # each case of "Where you consented. Such cases include: i) ..."
                    for cf in cases:
                        self._append(dict(self._record(sec, cf, f"{text} {cf.text}", blk.line), _from="item",
                                          _group=(sec.number, blk.group)))
                    made, f.recognised, rest = made + len(cases), True, [r for r in rest if not inline_cases(r.text)]
                    continue
                if not f.data and not third:
                    self._unmapped_item(sec, blk, lead)
                    state["reason"] = "unknown phrase"
                    continue
                if action in (None, "retain") and f.data:
                    action = "collect" if f.action in (None, "use", "collect", "share") else f.action
                if action == "share" and any(not self.in_eea(c) for c in f.countries):
                    action = "transfer"  # "Marketo  Sending of emails  USA"
                if action is None:
                    continue
                own_negation = f.action in ("not_share", "not_collect") and action == f.action
                f.action = action
                f.actor = f.actor if own_negation else lead.actor
                ours = not third and cut is not None and cut.cookie and bool(OURS_AMONG.search(lead_text))
                if ours:  # a cookie of a table naming no party, under "placed by us and our partners": ours
                    f.entities = []
                elif not third:
                    f.entities = list(lead.entities)
                    f.internal = f.internal or lead.internal
                f.purposes = unique([*f.purposes, *lead.purposes])
                if not f.purposes and f.entities:
                    earlier = next((r for r in self._recent() if r["section"] == sec.number
                                    and set(r["recipients"]) == set(f.entities) and r["purposes"]), None)
                    f.purposes = list(earlier["purposes"]) if earlier else []
                f.subjects = unique([*lead.subjects, *f.subjects])
                f.condition = lead.condition if not f.condition or len(f.condition.split()) < 3 else f.condition
                f.consent = f.consent or lead.consent
                f.countries = unique([*lead.countries, *f.countries])
                f.legal_bases = unique([*lead.legal_bases, *f.legal_bases])
                f.retention = f.retention or lead.retention
                f.data = f.data or ([d for d in lead.data if d != "user"] if third else [])  # "usage data with: - Acme"
                if f.action == "not_share" and not f.exceptions:
                    f.exceptions = lead.exceptions
                rec = self._record(sec, f, text, blk.line)
                rec["_from"] = "item"
                rec["_group"] = (sec.number, blk.group)
                for r in with_our_own(rec, lead if lead.joint and not ours else f):  # "(shown publicly) This includes:"
                    self._append(r)
                made += 1
                # "Date of birth, which domain registries require": the item names who gets it.
                if third and lead.action in ("collect", "use") and rec["action"] in ("collect", "use"):
                    extra = dict(rec, action="share", recipients=third, _from="item")
                    self._append(extra)
                    made += 1
            finally:
                self._account(sec, text, blk.line, before, state["f"], state["reason"])
                for sent in rest:
                    self._sentence(sec, sent.text, blk.line, seen, pool)
                made += bool(title_only and rest and not label)  # a titled item's sentences speak for it (the lead is no flow then)
                last = rest[-1].text if rest else text  # "- ... we have collected the following categories of data:"
                if blk.kind == "item" and excepted is None and last.rstrip().endswith(":") and DATA_LIST_LEAD.search(last):
                    lead_text, lead_norm, rights_lead, purpose_lead = last, last.replace("’", "'"), False, False
                    lead = self.analyse(last, blk.line, seen)  # leads the items after it in the list
        if made and excepted is not None and not lead.excepts_described:
            # The promise itself stands, with its exceptions, besides the excepted cases.
            self._append(dict(self._record(sec, lead, lead_text, lead_line), _from="sentence"))
            made += 1
        return made

    def _names_party_only(self, text: str) -> bool:
        """Whether a short text names someone else and no data, as a label ("Third Parties")."""
        third = [m for m in self.lex.find("recipient", text) if not m.key.startswith("we")]
        return bool(third) and not self.lex.find("data_category", text)

    def _names_organisation(self, title: str) -> bool:
        """Whether a heading is an organisation's name ("Zendesk, Inc.", "PayPal group"), not a
        topic ("Payments"): it names a recipient that is not a category, nor ourselves."""
        ents, _ = self.entities(self.lex.find("recipient", title), title, [])
        return any(e not in self.lex.categories for e in ents)

    def _row(self, sec: Section, blk: Block, roles: dict[str, str], lead: SentenceFacts) -> int:
        """A table row's statements (see :class:`TableReader`), recorded; returns how many."""
        reading = self.read_row(blk, roles, lead)
        for name in reading.unmapped:
            self.unmapped.append({"section": sec.number, "phrase": name, "kind": "recipient", "quote": short(blk.text),
                                  "suggestions": self._suggest("recipient", name)})
        for f in reading.facts:
            self._append(dict(self._record(sec, f, blk.text, blk.line), _from="row"))
        return len(reading.facts)

    # -- unmapped ------------------------------------------------------------------------------
    def _unmapped_item(self, sec: Section, blk: Block, lead: SentenceFacts) -> None:
        """A list item under a data lead that names nothing known: a data item to review."""
        if lead.action not in ("collect", "use", "share", "transfer", "retain") and not lead.data:
            return
        head = re.split(r",|\bso\b|\bto\b|\bin order\b|\(|\bwhich\b|\bfor\b|:", blk.text, maxsplit=1)[0].strip(" .;–—-")
        head = re.sub(r"^(?:your|the|a|an|our)\s+", "", head, flags=re.I)
        if not head or len(head.split()) > 6 or not re.search(r"[A-Za-z]{3}", head) or placeholder(head):
            return
        self.unmapped.append({"section": sec.number, "phrase": head, "kind": "data_category", "quote": short(blk.text),
                              "suggestions": self._suggest("data_category", head)})

    def _unmapped_names(self, sec: Section, f: SentenceFacts, text: str) -> None:
        known_spans = [(m.start, m.end) for m in self.lex.find("recipient", text)]
        masked = self.mask_controller(text)
        for name, start in company_like(masked):
            if any(s < start + len(name) and start < e for s, e in known_spans):
                continue
            norm = normalise_phrase(name)
            if norm in self.lex.maps["recipient"] or any(self.lex.maps[k].get(norm) for k in ("data_category", "data_use", "data_subject")):
                continue
            if name in self.lex.countries[1] or REGULATORY.search(name):
                continue
            self.unmapped.append({"section": sec.number, "phrase": name, "kind": "recipient", "quote": short(text),
                                  "suggestions": self._suggest("recipient", name)})

    # -- context across sections -----------------------------------------------------------------
    def _inherit_from_parents(self, by_number: dict[str, Section]) -> None:
        """Tracker statements in a sub-section inherit the data and consent their parent states."""
        intro: dict[str, list[dict[str, Any]]] = {}
        for rec in self.records:
            if rec["action"] == "track":
                intro.setdefault(rec["section"], []).append(rec)
        # What a section's tracker statements state, summed up once (and again after one of
        # them inherits in turn): each statement against each of its parent's is quadratic.
        summary: dict[str, tuple[list[str], bool, list[str]]] = {}

        def summed(number: str) -> tuple[list[str], bool, list[str]]:
            if number not in summary:
                recs = intro[number]
                summary[number] = (unique(d for p in recs for d in p["data_categories"]),
                                   any(p["consent"] for p in recs),
                                   next((list(p["purposes"]) for p in recs if p["purposes"]), []))
            return summary[number]

        for rec in self.records:
            if rec["action"] != "track":
                continue
            sec = by_number.get(rec["section"])
            parent = sec.parent if sec else None
            while parent:
                if intro.get(parent):
                    data, consent, purposes = summed(parent)
                    rec["data_categories"] = unique([*rec["data_categories"], *data])
                    rec["consent"] = bool(rec["consent"] or consent)
                    if not rec["purposes"]:
                        rec["purposes"] = list(purposes)
                    summary.pop(rec["section"], None)
                psec = by_number.get(parent)
                parent = psec.parent if psec else None

    def _finish_ids(self) -> None:
        counts: dict[str, int] = {}
        for rec in self.records:
            counts[rec["section"]] = counts.get(rec["section"], 0) + 1
            rec["statement_id"] = f"s{rec['section']}-{counts[rec['section']]}"
            rec.pop("_from", None)
            rec.pop("_group", None)

    # -- meta ------------------------------------------------------------------------------------
    def _meta(self) -> dict[str, Any]:
        meta: dict[str, Any] = {"title": self.outline.title,
                                "stated_date": stated_date(self.text if not self.outline.is_html else
                                                           "\n".join(t for _, t in self.outline.lines))}
        meta["controller"] = controller_names_in(self.register, self.outline, self.controllers)
        scope = self._scope()
        if scope:
            meta["scope"] = scope
        meta["contacts"] = contacts_in(self.outline)
        return meta

    def _scope(self) -> dict[str, list[str]] | None:
        applies: list[str] = []
        excludes: list[str] = []
        for sec in self.outline.sections:
            for blk in sec.blocks:
                for sent in block_sentences(blk):
                    text = sent.text.replace("’", "'")
                    m = SCOPE_APPLIES.search(text)
                    x = SCOPE_EXCLUDES.search(text)
                    if x and (m or re.search(r"\b(?:policy|statement|notice)\b", text, re.I)):
                        # "does not apply to employees" / "Our employees have a separate notice"
                        part = text[x.start():] if m and m.start() < x.start() else text
                        excludes += [k.key for k in self.lex.find("data_subject", part)]
                        text = text[: x.start()] if m and m.start() < x.start() else ""
                        m = SCOPE_APPLIES.search(text)
                    if m:
                        applies += [k.key for k in self.lex.find("data_subject", text[m.start():])]
                        applies += [key for key, rx in SCOPE_SUBJECTS if rx.search(text)]
        applies, excludes = unique(applies), unique(excludes)
        if applies:
            # The policy also speaks to those whose data its statements describe ("personal data
            # of business prospects"), besides those its scope sentence names.
            applies = unique([*applies, *(s for rec in self.records if rec["action"] not in ("not_share", "not_collect")
                                         for s in rec["data_subjects"])])
        applies = [a for a in applies if a not in excludes]
        if not applies and not excludes:
            return None
        return {"applies_to": applies, "excludes": excludes}


def extract(text: str, register: Any = None, filename: str | None = None) -> ExtractionResult:
    """Extract sections, statements, policy facts and unmapped phrases from a policy text.

    Args:
        text: the policy (plain text, Markdown or HTML).
        register: a :class:`ropa.Register` whose taxonomy (with its recipients as entities,
            names and aliases as synonyms) and organisation names guide extraction.
        filename: the file's name (``.html`` selects the HTML reading).

    Never raises on the text's content: any text gives a result, possibly empty.

    Example:
        >>> from ropa.policy.extract import extract
        >>> res = extract("4. Sharing\\n\\nWe do not share personal data with anyone unless you consent.\\n")
        >>> res.statements.loc[0, ["action", "recipients", "exceptions"]].tolist()
        ['not_share', ['third_party'], ['consent']]
    """
    return _Extractor(text, register, filename).run()
