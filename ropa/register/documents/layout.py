"""The one layout detector: blocks in, activities out, whatever the file format was.

Three layouts are recognised by their content, never by the document they came from:

- **a table per activity**: a table whose first column holds labels ("IV Fines del
  tratamiento:", "Purpose") of which at least two map to Art 30 fields (purposes, data
  subjects, data categories, recipients, ...). A title row (a header row, a row labelled with
  the activity's name, or one merged cell) names the activity; otherwise a name row does, or
  the heading above the table. A value's lines keep their structure: yes/no checklist items and
  labelled parts (see ``lines.parse_value``).
- **a block per activity**: a heading followed by "label: value" lines, list items or
  paragraphs, of which at least two labels map to Art 30 fields. The heading names the
  activity ("## Verarbeitungstätigkeit 1: Name", "1. ACTIVIDAD: NAME"); deeper list items
  belong to the value of the item above them. Without headings, a block is split where its
  first label (or the name label) comes again ("Activity: ..." starting each block).
- **a row per activity**: a table whose header cells map to at least two Art 30 fields and
  name the activity (or map to three, the first column then naming it). An empty one is kept
  as a summary with no rows. When the same document also describes the activities one by one,
  each row is merged into the activity of the same name (the detailed text wins; the row fills
  what the detail leaves out).

Outside the activities, labelled lines naming a party, its contact details or the document's
date and version make the header (``header.py``); a section whose heading is itself a field
("Medidas de seguridad aplicadas en los tratamientos", "Destinatarios y encargados") is kept as
a field shared by all activities. The role (controller or processor) comes from the headings
above an activity ("... en calidad de Encargado") or from its own role or "on behalf of" field.

Example:
    >>> from ropa.register.documents.markdown import read_markdown_text
    >>> from ropa.register.documents.layout import detect
    >>> text = ("# Register\\n\\n**Controller:** Acme Ltd, 1 High St, London\\n\\n"
    ...         "## Activity 1: Payroll\\n- **Purpose:** pay staff\\n- **Data subjects:** employees\\n"
    ...         "- **Retention:** 6 years\\n- **Comments:** none\\n")
    >>> reg = detect(read_markdown_text(text, "r.md"), "r.md", "markdown")
    >>> [(a.name, a.number, a.fields["purposes"]) for a in reg.activities]
    [('Payroll', '1', 'pay staff')]
    >>> reg.activities[0].unmapped_labels, reg.organisation["controller"]["name"]
    ({'Comments': 'none'}, 'Acme Ltd')
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ...core.words import fold
from .header import build_organisation
from .labels import (
    CONTACT_KEYS,
    CORE_KEYS,
    DOCUMENT_KEYS,
    PARTY_KEYS,
    fold_label,
    is_column_heading,
    lookup,
    role_of,
    strip_numbering,
)
from .lines import looks_like_label, parse_value, split_label
from .model import (
    Activity,
    Block,
    DocumentRegister,
    Entry,
    Location,
    Problem,
    Row,
    SubField,
    SummaryTable,
)

__all__ = ["detect"]

_HEADER_KEYS = PARTY_KEYS | CONTACT_KEYS | DOCUMENT_KEYS | {"last_reviewed"}


@dataclass
class _Raw:
    """An entry being read: its label, key, value lines and where each line stands."""

    label: str
    key: str | None
    inline: str
    where: Location
    depth: int
    origin: str = "block"
    lines: list[str] = field(default_factory=list)
    wheres: list[Location] = field(default_factory=list)
    language: str | None = None

    @property
    def text(self) -> str:
        return "\n".join(x for x in [self.inline, *self.lines] if x.strip())


def _map(label: str, languages: Counter) -> str | None:
    match = lookup(label)
    if match is None:
        return None
    languages[match.language] += 1
    return match.key


def _key(label: str) -> str | None:
    match = lookup(label) if label.strip() else None
    return match.key if match else None


def _name_key(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", fold(strip_numbering(text))).strip()


def _table_lines(block: Block) -> list[str]:
    return [" | ".join(c.replace("\n", " / ") for c in row.texts) for row in block.rows]


# =========================================================================================
# "label: value" runs in paragraphs and list items
# =========================================================================================

def _run(blocks: list[Block], languages: Counter) -> tuple[list[_Raw], list[tuple[str, Location]]]:
    """The label/value entries of a run of paragraphs, items and (other) tables, and the
    lines that belong to no entry (notes)."""
    entries: list[_Raw] = []
    notes: list[tuple[str, Location]] = []
    current: _Raw | None = None
    for b in blocks:
        if b.kind == "table":
            lines = _table_lines(b)
            if current is not None and not current.inline:
                current.lines += lines
                current.wheres += [r.where for r in b.rows]
            else:
                notes += [(x, r.where) for x, r in zip(lines, b.rows, strict=False)]
            continue
        if b.kind == "item":
            if current is not None and (b.level > current.depth or (current.depth < 0 and not current.inline)):
                current.lines.append(b.text.replace("\n", " "))
                current.wheres.append(b.where)
                continue
            first, _, more = b.text.partition("\n")
            pair = split_label(first, b.strong)
            if pair is not None:
                key = _map(pair[0], languages)
                if key is not None or b.strong or current is None or current.depth >= 0 or current.inline:
                    current = _Raw(pair[0], key, pair[1], b.where, b.level)
                    if more.strip():
                        current.lines += [x for x in more.split("\n") if x.strip()]
                        current.wheres += [b.where] * len([x for x in more.split("\n") if x.strip()])
                    entries.append(current)
                    continue
            if current is not None:
                current.lines.append(b.text.replace("\n", " "))
                current.wheres.append(b.where)
            else:
                notes.append((b.text, b.where))
            continue
        # paragraph: each line may start an entry
        own: _Raw | None = None
        for n, line in enumerate(b.text.split("\n")):
            if not line.strip():
                continue
            where = Location(b.where.file, b.where.page, (b.where.line or 0) + n if b.where.line else None,
                             b.where.unit) if b.where.unit == "line" else b.where
            pair = split_label(line, b.strong if n == 0 else None)
            if pair is None and n == 0 and b.strong and b.strong.strip() == line.strip() \
                    and len(line) <= 80 and lookup(line) is not None:
                pair = (line.strip(), "")  # a label set in bold on a line of its own, no colon
            if pair is not None:
                key = _map(pair[0], languages)
                sub = current is not None and not current.inline and current is not own and key is None \
                    and not (n == 0 and b.strong)
                if not sub:
                    current = own = _Raw(pair[0], key, pair[1], where, -1)
                    entries.append(current)
                    continue
            if current is not None and (current is own or not current.inline):
                current.lines.append(line)
                current.wheres.append(where)
            else:
                notes.append((line, where))
    return entries, notes


def _core(entries: list[_Raw]) -> set[str]:
    return {e.key for e in entries if e.key in CORE_KEYS}


def _entry(raw: _Raw) -> Entry:
    return Entry(raw.label, raw.key, raw.text, raw.where, raw.origin)


def _fill(act: Activity, raws: list[_Raw]) -> None:
    """Add entries to an activity, with the checklists and labelled parts of their values."""
    for raw in raws:
        act.entries.append(_entry(raw))
        lines = ([raw.inline] if raw.inline else []) + raw.lines
        wheres = ([raw.where] if raw.inline else []) + (raw.wheres or [raw.where] * len(raw.lines))
        checks, parts = parse_value(lines, raw.key, raw.label, raw.where, wheres)
        act.checklists += checks
        act.subfields += parts
        own = fold_label(raw.label)
        for line, where in zip(lines, wheres, strict=False):
            pair = split_label(re.sub(r"^[-–•*]\s*", "", line.strip()))
            if pair and fold_label(pair[0]) == own:
                act.problems.append(Problem("label-repeated", f"the label {raw.label!r} is "
                                            f"repeated inside its own value", where))


# =========================================================================================
# Tables
# =========================================================================================

@dataclass
class _TableKind:
    kind: str  # "kv", "rows", "other"
    keys: list[str | None] = field(default_factory=list)
    header: int = 0  # index of the header row (rows tables)


def _classify(block: Block, languages: Counter) -> _TableKind:
    rows = [r for r in block.rows if any(c.strip() for c in r.texts)]
    if not rows:
        return _TableKind("other")
    width = max(len(r.cells) for r in rows)
    if width < 2:
        return _TableKind("other")
    # one row per activity: a header row whose cells are fields
    for h, row in enumerate(rows[:2]):
        keys = [_key(_label_of(c)) for c in row.texts]
        core = {k for k in keys if k in CORE_KEYS}
        if len(core) >= 2 and ("name" in keys or len(core) >= 3) and len(row.cells) >= 3:
            for c in row.texts:
                _map(_label_of(c), languages)
            return _TableKind("rows", keys, block.rows.index(row))
        if h == 0 and not row.header:
            break
    # label | value
    col0 = [_label_of(r.texts[0]) for r in rows if len(r.cells) >= 2 and r.texts[0].strip()]
    keys0 = [_key(t) if looks_like_label(t) else None for t in col0]
    mapped = [k for k in keys0 if k is not None]
    if len({k for k in mapped if k in CORE_KEYS}) >= 2 and len(mapped) >= 0.4 * len(keys0):
        return _TableKind("kv", keys0)
    return _TableKind("other")


def _label_of(cell: str) -> str:
    first = cell.strip().split("\n")[0]
    return first.strip().rstrip(":：").strip().strip("*_").strip()


def _kv_activities(block: Block, languages: Counter, fallback: str | None) -> list[Activity]:
    """Activities of a label | value table (one, or one per value column)."""
    rows = [r for r in block.rows if any(c.strip() for c in r.texts)]
    title: Row | None = None
    first = rows[0]
    first_key = _key(_label_of(first.texts[0]))
    filled = [c for c in first.cells if c.text.strip()]
    if filled and all(is_column_heading(c.text) for c in filled):
        rows = rows[1:]  # "Field | Value": a heading of the columns, not a title
    elif first_key == "name" or first.header or len(filled) == 1:
        title = first
    problems: list[Problem] = []
    if title is not None:
        rows = rows[1:]
    width = max(len(r.cells) for r in block.rows)
    per_column = title is not None and width > 2 and first_key is None and not title.texts[0].strip() \
        and all(c.text.strip() for c in title.cells[1:])
    columns = list(range(1, width)) if per_column else [1]
    acts: list[Activity] = []
    for col in columns:
        act = Activity(name="", source=block.where, layout="table")
        raws: list[_Raw] = []
        alt: list[str] = []
        if title is not None:
            cells = title.cells
            single = [c for c in cells if c.text.strip()]
            if per_column:
                act.name = _label_of(cells[col].text)
            elif len(single) == 1 and len(cells) >= 2:  # one merged title cell
                head, *rest = [x for x in single[0].text.split("\n") if x.strip()]
                act.name, act.number = _heading_name(head)
                if first_key == "name" and act.name == strip_numbering(head):
                    act.name = ""  # only the word "Activity": the name is in a row below
                if rest:
                    raws.append(_Raw("(title)", "purpose_description", "\n".join(rest), title.where, 0, "title"))
            elif first_key == "name":
                _map(_label_of(cells[0].text), languages)
                value = cells[1] if len(cells) > 1 else cells[0]
                lines = [x for x in value.text.split("\n") if x.strip()]
                head = value.strong if value.strong and value.text.startswith(value.strong) else (lines[0] if lines else "")
                act.name = head.strip()
                rest = value.text[len(head):].strip() if value.text.startswith(head) else "\n".join(lines[1:])
                raws.append(_Raw(_label_of(cells[0].text), "name", act.name, title.where, 0, "title"))
                if rest:
                    raws.append(_Raw(_label_of(cells[0].text) + " (description)", "purpose_description",
                                     rest, title.where, 0, "title"))
            else:
                texts = [c for c in cells if c.text.strip()]
                act.name = texts[0].text.split("\n")[0].strip()
                for other in texts[1:]:
                    lines = [x for x in other.text.split("\n") if x.strip()]
                    head = other.strong if other.strong and other.text.startswith(other.strong) else None
                    if head and _name_key(head) != _name_key(act.name):
                        alt.append(head.strip())
                        problems.append(Problem(
                            "title-names-differ", f"the title row names the activity {act.name!r} "
                            f"and also {head.strip()!r}", title.where))
                        rest = other.text[len(head):].strip()
                    else:
                        rest = "\n".join(lines if head is None else lines[1:])
                    if rest:
                        raws.append(_Raw("(title)", "purpose_description", rest, title.where, 0, "title"))
        last: _Raw | None = None
        for row in rows:
            texts = row.texts
            label_text = texts[0] if texts else ""
            value = texts[col] if col < len(texts) else ""
            if not per_column and len(texts) > 2:
                value = "\n".join(t for t in texts[1:] if t.strip())
            if not label_text.strip():
                if last is not None and value.strip():  # a row split across pages
                    last.lines += value.split("\n")
                    last.wheres += [row.where] * len(value.split("\n"))
                continue
            label = _label_of(label_text)
            extra = "\n".join(label_text.strip().split("\n")[1:])
            key = _map(label, languages)
            lines = [x for x in value.split("\n")]
            raw = _Raw(label, key, "", row.where, 0, "table",
                       [x for x in ([extra] if extra else []) + lines if x.strip()])
            raw.wheres = [row.where] * len(raw.lines)
            raws.append(raw)
            last = raw
            if key == "name" and not act.name and value.strip():
                act.name = value.strip().split("\n")[0]
        if not act.name and fallback:
            act.name = fallback
        _fill(act, raws)
        act.problems = problems + act.problems
        act._alt_names = alt  # type: ignore[attr-defined]
        acts.append(act)
    return acts


def _row_activities(block: Block, kind: _TableKind, languages: Counter) -> list[Activity]:
    header = block.rows[kind.header]
    name_col = kind.keys.index("name") if "name" in kind.keys else 0
    acts: list[Activity] = []
    for row in block.rows[kind.header + 1:]:
        texts = row.texts
        if not any(t.strip() for t in texts) or [fold(t) for t in texts] == [fold(t) for t in header.texts]:
            continue
        name = texts[name_col].split("\n")[0].strip() if name_col < len(texts) else ""
        act = Activity(name=name, source=row.where, layout="row")
        raws = []
        for i, cell in enumerate(texts):
            if i >= len(header.cells):
                break
            label = _label_of(header.texts[i])
            key = kind.keys[i] if i < len(kind.keys) else None
            raws.append(_Raw(label, key, "", row.where, 0, "summary",
                             [x for x in cell.split("\n") if x.strip()], [row.where] * cell.count("\n")))
        _fill(act, raws)
        acts.append(act)
    return acts


# =========================================================================================
# The detector
# =========================================================================================

def _heading_name(text: str) -> tuple[str, str | None]:
    """The activity's name and number from a heading: "1. ACTIVIDAD: Name" -> ("Name", "1")."""
    m = re.match(r"^\s*\(?(\d{1,3}(?:\.\d{1,3})*)[.)]?\s", text)
    number = m.group(1) if m else None
    core = strip_numbering(text)
    parts = re.split(r"\s*[:：]\s+|\s+[-–—]\s+", core, maxsplit=1)
    if len(parts) == 2:
        match = lookup(parts[0])
        if match is not None and match.key == "name":
            num = re.search(r"(\d{1,4})\s*$", parts[0])
            return parts[1].strip(), number or (num.group(1) if num else None)
    return core.strip(), number


def detect(blocks: list[Block], path: str, fmt: str,
           problems: list[Problem] | None = None) -> DocumentRegister:
    """The register a document's blocks describe (see the module's doc for the rules)."""
    reg = DocumentRegister(path=path, format=fmt, problems=list(problems or []))
    languages: Counter = Counter()
    if blocks and blocks[0].kind == "heading":
        reg.title = blocks[0].text

    # the headings above each block
    ancestors: list[list[int]] = []
    stack: list[int] = []
    for i, b in enumerate(blocks):
        if b.kind == "heading":
            while stack and blocks[stack[-1]].level >= b.level:
                stack.pop()
            ancestors.append(list(stack))
            stack.append(i)
        else:
            ancestors.append(list(stack))

    def role_above(i: int) -> str | None:
        for h in reversed(ancestors[i] + ([i] if blocks[i].kind == "heading" else [])):
            role = role_of(blocks[h].text)
            if role:
                return role
        return None

    found: list[tuple[int, Activity]] = []
    header_entries: list[tuple[int, Entry]] = []
    section_of: dict[int, int | None] = {}
    used_heading: set[int] = set()

    # tables first: they are activities (or summaries) wherever they stand
    kinds: dict[int, _TableKind] = {}
    for i, b in enumerate(blocks):
        if b.kind != "table":
            continue
        kind = _classify(b, languages)
        kinds[i] = kind
        if kind.kind == "kv":
            parent = ancestors[i][-1] if ancestors[i] else None
            fallback = None
            if parent is not None and parent not in used_heading:
                fallback, _ = _heading_name(blocks[parent].text)
            acts = _kv_activities(b, languages, fallback)
            for act in acts:
                if act.name == fallback and parent is not None:
                    used_heading.add(parent)
                    act.number = _heading_name(blocks[parent].text)[1]
                act.role = role_above(i)
                found.append((i, act))
        elif kind.kind == "rows":
            parent = ancestors[i][-1] if ancestors[i] else None
            role = role_above(i)
            acts = _row_activities(b, kind, languages)
            reg.summaries.append(SummaryTable(
                title=blocks[parent].text if parent is not None else None, role=role,
                columns=[_label_of(t) for t in b.rows[kind.header].texts], keys=kind.keys,
                rows=len(acts), where=b.where))
            for act in acts:
                act.role = role
                found.append((i, act))

    # sections: a heading and the blocks up to the next heading
    starts = [-1] + [i for i, b in enumerate(blocks) if b.kind == "heading"]
    section_entries: dict[int, tuple[list[_Raw], list[tuple[str, Location]]]] = {}
    activity_sections: set[int] = set()
    for s in starts:
        end = next((j for j in range(s + 1, len(blocks)) if blocks[j].kind == "heading"), len(blocks))
        body = [blocks[j] for j in range(s + 1, end)
                if blocks[j].kind != "table" or kinds.get(j, _TableKind("other")).kind == "other"]
        for j in range(s + 1, end):
            section_of[j] = s
        raws, notes = _run(body, languages)
        section_entries[s] = (raws, notes)
        if len(_core(raws)) < 2:
            continue
        activity_sections.add(s)
        # split where the name label (or the first label) comes again
        names = [n for n, r in enumerate(raws) if r.key == "name"]
        firsts = [n for n, r in enumerate(raws) if fold_label(r.label) == fold_label(raws[0].label)]
        cuts = names if len(names) >= 2 or (names and s < 0) else (firsts if len(firsts) >= 2 else [0])
        lead = [r for r in raws[:cuts[0]]]
        for r in lead:
            if r.key in _HEADER_KEYS:
                header_entries.append((s, _entry(r)))
        chunks = [raws[a:b] for a, b in zip(cuts, [*cuts[1:], len(raws)], strict=False)]
        if cuts[0] > 0:
            chunks[0] = [r for r in lead if r.key not in _HEADER_KEYS] + chunks[0]
        for chunk in chunks:
            if not _core(chunk):
                for r in chunk:
                    if r.key in _HEADER_KEYS:
                        header_entries.append((s, _entry(r)))
                continue
            name_raw = next((r for r in chunk if r.key == "name"), None)
            if s >= 0 and (name_raw is None or len(chunks) == 1):
                name, number = _heading_name(blocks[s].text)
                if name_raw is not None and len(chunks) == 1 and name_raw.text:
                    name = name_raw.text.split("\n")[0]
            else:
                name, number = (name_raw.text.split("\n")[0] if name_raw else ""), None
            at = blocks[s].where if s >= 0 else chunk[0].where
            act = Activity(name=name.strip(), source=at, layout="block", number=number)
            act.role = role_above(s) if s >= 0 else None
            _fill(act, chunk)
            act.notes = [n for n, _ in notes] if len(chunks) == 1 else []
            found.append((max(s, 0), act))

    # what is outside the activities: header, shared fields, unmapped labels
    contains_activity = set()
    for i, _act in found:
        contains_activity.update(ancestors[i] if i < len(ancestors) else [])
    for s in activity_sections:
        if s >= 0:
            contains_activity.update(ancestors[s])
    shared_sections: set[int] = set()
    for s in starts:
        if s in activity_sections:
            continue
        raws, _notes = section_entries[s]
        heading_key = None
        if s >= 0 and s not in contains_activity:
            match = lookup(blocks[s].text)
            heading_key = match.key if match and match.key in CORE_KEYS else None
            if heading_key:
                languages[match.language] += 1
        if heading_key:
            end = next((j for j in range(s + 1, len(blocks))
                        if blocks[j].kind == "heading" and blocks[j].level <= blocks[s].level), len(blocks))
            lines: list[str] = []
            label = strip_numbering(blocks[s].text)
            for j in range(s + 1, end):
                b = blocks[j]
                if b.strong and b.strong.rstrip().endswith((":", "：")):
                    sub = b.strong.rstrip().rstrip(":：").strip()
                    reg.shared_parts.append(SubField(heading_key, label, sub,
                                                     b.text[len(b.strong):].strip(), b.where))
                if b.kind == "table":
                    lines += _table_lines(b)
                elif b.kind == "heading":
                    lines.append(b.text)
                else:
                    lines.append(b.text)
            reg.shared.append(Entry(label, heading_key, "\n".join(lines),
                                    blocks[s].where, "heading"))
            shared_sections.add(s)
            continue
        if s >= 0 and any(h in shared_sections for h in ancestors[s]):
            continue
        for r in raws:
            if r.key in _HEADER_KEYS:
                header_entries.append((s, _entry(r)))
            elif r.key in CORE_KEYS:
                reg.shared.append(_entry(r))
            else:
                reg.unmapped_labels[r.label] = r.text

    for e in reg.shared:
        known = {p.sublabel for p in reg.shared_parts}
        reg.shared_parts += [p for p in parse_value(e.text.split("\n"), e.key, e.label, e.where)[1]
                             if p.sublabel not in known]
    header_entries.sort(key=lambda x: (x[0], x[1].where.page or 0, x[1].where.line or 0))
    org, sources, labels = build_organisation([e for _, e in header_entries])
    reg.organisation, reg.organisation_sources, reg.header_labels = org, sources, labels

    # merge the rows of a summary table into the activities described one by one
    found.sort(key=lambda x: x[0])
    details = [a for _, a in found if a.layout != "row"]
    by_name: dict[str, Activity] = {}
    for a in details:
        for n in [a.name, *getattr(a, "_alt_names", [])]:
            by_name.setdefault(_name_key(n), a)
    merged: set[int] = set()
    activities: list[Activity] = []
    emitted: set[int] = set()
    for _, a in found:
        if a.layout != "row":
            continue
        target = by_name.get(_name_key(a.name))
        if target is not None and id(target) not in merged:
            merged.add(id(target))
            target.entries += a.entries
            target.checklists += a.checklists
            target.subfields += a.subfields
            target.role = target.role or a.role
    # in the summary's order when there is one, then the activities it does not name
    for _, a in found:
        if a.layout == "row":
            target = by_name.get(_name_key(a.name))
            if target is not None and id(target) in merged:
                if id(target) not in emitted:
                    emitted.add(id(target))
                    activities.append(target)
                continue
            if any(d.role == a.role for d in details):
                a.problems.append(Problem("summary-without-detail", f"the summary names {a.name!r}, "
                                          "which no activity of the document describes", a.source))
            activities.append(a)
    for _, a in found:
        if a.layout != "row" and id(a) not in emitted:
            activities.append(a)
    if any(a.layout == "row" for _, a in found):
        for a in details:
            if id(a) not in merged and reg.summaries and any(s.rows for s in reg.summaries):
                a.problems.append(Problem("detail-not-in-summary", f"the activity {a.name!r} is not "
                                          "in the document's summary table", a.source))

    for n, act in enumerate(activities, 1):
        stated = act.fields
        if stated.get("role"):
            act.role = role_of(stated["role"]) or act.role
        if stated.get("controllers") and act.role is None:
            act.role = "processor"
        if not act.name:
            act.name = f"Activity {n}"
            act.problems.append(Problem("activity-without-name",
                                        "no name found for this activity", act.source))
        if hasattr(act, "_alt_names"):
            del act._alt_names
    counts = Counter(_name_key(a.name) for a in activities)
    for act in activities:
        if counts[_name_key(act.name)] > 1:
            act.problems.append(Problem("duplicate-activity-name",
                                        f"{act.name!r} names more than one activity", act.source))
    reg.activities = activities
    if not reg.organisation.get("controller"):
        named = [(a, e) for a in activities for e in a.entries if e.key == "controller" and e.text]
        if named and len({_name_key(e.text) for _, e in named}) == 1:
            a, e = named[0]
            reg.organisation = {"name": e.text.split("\n")[0], "controller": {"name": e.text.split("\n")[0]},
                                **reg.organisation}
            reg.organisation_sources.update({"name": e.where, "controller.name": e.where})
    reg.language = languages.most_common(1)[0][0] if languages else None
    if not activities:
        reg.problems.append(Problem("no-activities", "no processing activity found: no table, "
                                    "block or row of labels that map to Art 30 fields",
                                    Location(path)))
    return reg
