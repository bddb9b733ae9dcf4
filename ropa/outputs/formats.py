"""The Article 30 record written as the files a DPO hands over: CSV, XLSX, JSON, HTML, PDF.

Every format comes from the same record (:func:`ropa.outputs.record.record_frame`) and the
same plain model (:func:`record_model`, which is also the JSON output). Register cells are
untrusted: CSV and XLSX cells go through :func:`ropa.core.safety.neutralise`, HTML is rendered
with autoescaping, and the PDF is made by :mod:`ropa.outputs.pdf` (which fetches nothing but
``ropa``'s own stylesheet). The record's date is an input, so the same register and date
give the same bytes in every format.

Formats built elsewhere are dispatched from :func:`write_record`: ``jsonld``
(:mod:`ropa.register.jsonld`), ``ico-xlsx``, ``cnil-xlsx`` and ``fides`` (:mod:`ropa.register.ico`, ``cnil``, ``fides``).
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import json
import math
import re
import zipfile
from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..core.errors import UsageError
from ..core.safety import neutralise, neutralise_frame, template_environment
from .completeness import completeness
from .parties import organisation_block
from .pdf import render_pdf, render_pdf_chunks
from .record import (
    CONTROLLER_COLUMNS,
    ITEMS,
    PROCESSOR_COLUMNS,
    Column,
    article30,
    record_frame,
)

__all__ = [
    "CHUNK_WEIGHT",
    "FORMATS",
    "RECORD_STYLESHEET",
    "SCHEMA_VERSION",
    "chunk_parts",
    "record_model",
    "record_parts",
    "record_schema",
    "render_record_html",
    "write_record",
    "write_record_pdf",
]

#: Formats :func:`write_record` writes (the last three by other modules).
FORMATS: tuple[str, ...] = ("csv", "xlsx", "json", "html", "pdf", "jsonld", "ico-xlsx", "cnil-xlsx", "fides")

#: Version of the JSON shape (``record.schema.json``); raised on any incompatible change.
SCHEMA_VERSION = 1

#: Rows per PDF chunk (an activity counts 1, a completeness row 0.15). Larger records are
#: rendered in chunks in parallel processes (``ropa.outputs.pdf.render_pdf_chunks``).
CHUNK_WEIGHT = 100
_COMPLETENESS_WEIGHT = 0.15
#: The record's stylesheet, as the PDF renderer finds it.
RECORD_STYLESHEET = "ropa-asset:record.css"

#: Columns of the processor record that belong to the controller group or the processor.
_GROUP_KEYS = ("controller_id", "controller", "controller_representative", "controller_dpo")
_PROCESSOR_KEYS = ("processor", "processor_representative", "processor_dpo")


# -- the model (the JSON shape) -----------------------------------------------------------------

def _plain(value: Any) -> Any:
    """JSON-ready: lists of text stay lists, numpy scalars become Python values, NaN None."""
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is pd.NA or value is None:
        return None
    if isinstance(value, str | int | float | bool):
        return value
    return str(value)


def _columns(columns: Sequence[Column], skip: Sequence[str] = ()) -> list[dict[str, str]]:
    return [{"key": c.key, "item": c.item, "heading": c.heading} for c in columns if c.key not in skip]


def _activity_entries(frame: pd.DataFrame, keys: Sequence[str]) -> list[dict[str, Any]]:
    if frame.empty:
        return []
    wanted = [*keys, "_transfers", "_retention", "_keys"]
    out = []
    for rec in frame[wanted].to_dict("records"):
        entry = {k: _plain(rec[k]) for k in keys}
        entry["transfer_details"] = [
            {k: _plain(t[k]) for k in ("country", "country_name", "safeguard", "safeguard_name",
                                       "recipient_id", "recipient", "covered")}
            for t in rec["_transfers"]
        ]
        entry["retention_details"] = _plain(rec["_retention"])
        entry["keys"] = _plain(rec["_keys"])
        out.append(entry)
    return out


def record_model(register: Any, *, include_retired: bool = False, date: dt.date | None = None) -> dict[str, Any]:
    """The whole record as plain data: the JSON output, and what the templates render.

    Shape (``ropa/templates/record/record.schema.json`` is its JSON Schema)::

        {"format": "ropa-article30-record", "schema_version": 1, "date": "YYYY-MM-DD",
         "title": ..., "organisation": {name, controller, representative, dpo,
             joint_controllers: [...], supervisory_authority, role, controllers: [...]},
         "items": {"30(1)(a)": title, ...},
         "columns": {"controller": [{key, item, heading}], "processor": [...]},
         "controller_record": [activity, ...],
         "processor_record": [{controller_id, controller, controller_name, representative,
                               dpo, activities: [activity, ...]}, ...],
         "completeness": {score, activities: [{activity_id, name, role, items: {item: status
                          or null}, score, reasons: {item: reason}}]}}

    An activity holds each column of ``columns`` (text, or a list of texts for multi-valued
    items), plus ``transfer_details`` (country, safeguard, recipient, whether covered),
    ``retention_details`` (ISO period, trigger, sentence) and ``keys`` (the register's own
    keys, for machines). Organisation-wide details are given once, in ``organisation``.

    Example:
        >>> import datetime as dt, ropa
        >>> from ropa.outputs.formats import record_model
        >>> model = record_model(ropa.load_register("registers/pro-at"), date=dt.date(2026, 11, 25))
        >>> model["controller_record"][0]["activity_id"], model["date"]
        ('A01', '2026-11-25')
    """
    date = date or dt.date.today()
    org = organisation_block(register)
    controller = record_frame(register, "controller", include_retired)
    processor = record_frame(register, "processor", include_retired)
    ctrl_keys = [c.key for c in CONTROLLER_COLUMNS if c.scope != "organisation"]
    proc_keys = [c.key for c in PROCESSOR_COLUMNS if c.key not in (*_GROUP_KEYS, *_PROCESSOR_KEYS)]
    groups: list[dict[str, Any]] = []
    if not processor.empty:
        for cid, group in processor.groupby("controller_id", sort=False):
            first = group.iloc[0]
            groups.append({
                "controller_id": _plain(cid),
                "controller": _plain(first["controller"]),
                "controller_name": _controller_name(register, str(cid), str(first["controller"])),
                "representative": _plain(first["controller_representative"]),
                "dpo": _plain(first["controller_dpo"]),
                "activities": _activity_entries(group, proc_keys),
            })
    wide = completeness(register, include_retired)
    detail = completeness(register, include_retired, detail=True)
    gaps = detail[detail["status"].astype(str) != "filled"]
    reasons: dict[str, dict[str, str]] = {}
    for aid, item, reason in zip(gaps["activity_id"], gaps["item"], gaps["reason"], strict=True):
        reasons.setdefault(aid, {})[item] = reason
    items = list(ITEMS)
    grades = wide[items].astype(object).where(wide[items].notna(), None).to_numpy().tolist() if len(wide) else []
    comp_rows = [
        {"activity_id": aid, "name": name, "role": role,
         "items": {i: (None if g is None else str(g)) for i, g in zip(items, row, strict=True)},
         "score": _plain(score), "reasons": reasons.get(aid, {})}
        for aid, name, role, row, score in zip(wide["activity_id"], wide["name"], wide["role"], grades,
                                               wide["score"], strict=True)
    ]
    return {
        "format": "ropa-article30-record",
        "schema_version": SCHEMA_VERSION,
        "date": date.isoformat(),
        "title": f"{org['name']}: record of processing activities (Art 30 GDPR)",
        "organisation": _plain(org),
        "items": dict(ITEMS),
        "columns": {
            "controller": _columns(CONTROLLER_COLUMNS, [c.key for c in CONTROLLER_COLUMNS if c.scope == "organisation"]),
            "processor": _columns(PROCESSOR_COLUMNS, [*_GROUP_KEYS, *_PROCESSOR_KEYS]),
        },
        "controller_record": _activity_entries(controller, ctrl_keys),
        "processor_record": groups,
        "completeness": {"score": _plain(wide.attrs.get("score", 1.0)), "activities": comp_rows},
    }


def _controller_name(register: Any, cid: str, fallback: str) -> str:
    for entry in (register.organisation or {}).get("controllers") or []:
        if isinstance(entry, Mapping) and str(entry.get("id") or "").strip() == cid and entry.get("name"):
            return str(entry["name"]).strip()
    return fallback


def record_schema() -> dict[str, Any]:
    """The JSON Schema of :func:`record_model`'s shape (shipped as
    ``ropa/templates/record/record.schema.json``).

    Example:
        >>> from ropa.outputs.formats import record_schema
        >>> record_schema()["properties"]["schema_version"]
        {'const': 1}
    """
    text = resources.files("ropa.templates").joinpath("record/record.schema.json").read_text(encoding="utf-8")
    return json.loads(text)


# -- HTML and PDF --------------------------------------------------------------------------------

def _part(kind: str, rows: list[dict[str, Any]], weight: float, **extra: Any) -> dict[str, Any]:
    """One section (or a piece of one) of the HTML/PDF document; every key the template reads."""
    return {"kind": kind, "rows": rows, "weight": weight, "heading": None, "intro": None,
            "page_break": False, "continued": False, "group": None, "groups": 0, **extra}


def record_parts(model: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The record model as the parts of the PDF: the controller's record, the processor's
    record by controller and the completeness table, each with its rows and their weight."""
    org = model["organisation"]["name"]
    parts = [_part(
        "controller", model["controller_record"], 1.0,
        heading="1. Controller's record (Art 30(1) GDPR)",
        intro=(f"Activities in which {org} decides the purposes and means, alone or jointly. "
               "Controller, representative and DPO (item (a)) are given above; columns (a) to (g) "
               "follow the items of Art 30(1)."))]
    parts.append(_part(
        "processor_intro", [], 0.0, heading="2. Processor's record (Art 30(2) GDPR)", page_break=True,
        groups=len(model["processor_record"]),
        intro=f"Activities {org} carries out on behalf of other controllers, by controller."))
    for group in model["processor_record"]:
        parts.append(_part("processor", group["activities"], 1.0, group=group))
    parts.append(_part(
        "completeness", model["completeness"]["activities"], _COMPLETENESS_WEIGHT,
        heading="3. Completeness of the record", page_break=True,
        intro=("Each activity's entry per Art 30 item: filled, partial or missing "
               "(n/a where the item does not apply to the activity's role).")))
    return parts


def chunk_parts(parts: list[dict[str, Any]], limit: float) -> list[list[dict[str, Any]]]:
    """Split the parts into documents of at most ``limit`` weight of rows each; a part that
    is split continues (``continued``) in the next document, with its table header."""
    chunks: list[list[dict[str, Any]]] = [[]]
    load = 0.0
    for part in parts:
        rows, weight = part["rows"], part["weight"]
        if not weight or not rows:
            chunks[-1].append(dict(part))
            continue
        start = 0
        while start < len(rows):
            if load >= limit:
                chunks.append([])
                load = 0.0
            room = max(1, math.floor((limit - load) / weight + 1e-9))
            entry = dict(part, rows=rows[start:start + room])
            if start:
                entry.update(continued=True, heading=None, intro=None, page_break=False)
            chunks[-1].append(entry)
            load += len(entry["rows"]) * weight
            start += len(entry["rows"])
    chunks = [c for c in chunks if c]
    for chunk in chunks[1:]:
        chunk[0]["page_break"] = False  # a new document starts on a new page anyway
    return chunks


_LONG_TOKEN = re.compile(r"\S{60,}")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_PIECE = 200

#: Rows with more text than this may break across pages; shorter rows are kept whole.
_LONG_ROW = 1_500


def printable(value: Any) -> Any:
    """Text without control characters (no glyph in a PDF, not allowed in HTML)."""
    return _CONTROL.sub("", value) if isinstance(value, str) else value


def breakable(value: Any) -> Any:
    """Escape ``value`` and cut each unbroken run of 60+ characters into spans of 200 with a
    line-break opportunity (``<wbr>``) between them; control characters are dropped.

    WeasyPrint lays out one long unbroken token in a narrow column in quadratic time (a
    10,000-character URL takes ~12 s); as short spans it takes ~1 s. The text is unchanged.

    Example:
        >>> str(breakable("<b> " + "x" * 220))[:40]
        '&lt;b&gt; <span>xxxxxxxxxxxxxxxxxxxxxxxx'
    """
    from markupsafe import Markup, escape

    value = printable(value)
    if not isinstance(value, str) or not _LONG_TOKEN.search(value):
        return value
    out, last = [], 0
    for match in _LONG_TOKEN.finditer(value):
        out.append(str(escape(value[last:match.start()])))
        token = match.group(0)
        out.append("<wbr>".join(f"<span>{escape(token[i:i + _PIECE])}</span>"
                                for i in range(0, len(token), _PIECE)))
        last = match.end()
    out.append(str(escape(value[last:])))
    return Markup("".join(out))


def text_length(value: Any) -> int:
    """Characters of text in a value (strings, lists and mappings of them)."""
    if isinstance(value, str):
        return len(value)
    if isinstance(value, Mapping):
        return sum(text_length(v) for v in value.values())
    if isinstance(value, list | tuple):
        return sum(text_length(v) for v in value)
    return 0


@functools.cache
def _environment() -> Any:
    """The autoescaping environment, overlaid with the record's filters (a filter table and a
    template cache of the overlay's own: the environment it comes from is left as it was)."""
    env = template_environment().overlay(cache_size=400)
    env.filters = {**env.filters, "breakable": breakable, "text_length": text_length, "printable": printable}
    return env


def _css() -> str:
    return resources.files("ropa.assets").joinpath("record.css").read_text(encoding="utf-8")


def render_record_html(model: Mapping[str, Any], *, inline_css: bool = True,
                       parts: list[dict[str, Any]] | None = None, first: bool = True) -> str:
    """The record (or, with ``parts``, one chunk of it) as an HTML document.

    ``inline_css=True`` gives a standalone file (the stylesheet inside); the PDF passes the
    stylesheet to WeasyPrint instead (``ropa-asset:record.css``).

    Example:
        >>> import datetime as dt, ropa
        >>> from ropa.outputs.formats import record_model, render_record_html
        >>> html = render_record_html(record_model(ropa.load_register("registers/pro-at"),
        ...                                        date=dt.date(2026, 11, 25)))
        >>> "record (Art 30(1) GDPR)" in html
        True
    """
    template = _environment().get_template("record/record.html")
    return template.render(
        org=model["organisation"], date=model["date"], title=model["title"],
        css=_css() if inline_css else "", first=first,
        parts=record_parts(model) if parts is None else parts,
        completeness_items=list(model["items"]), score=model["completeness"]["score"] or 0.0,
        long_row=_LONG_ROW,
    )


def write_record_pdf(model: dict[str, Any], path: Path, date: dt.date, chunk_weight: float = CHUNK_WEIGHT) -> None:
    """Write the record model as a PDF at ``path``, rendered in chunks of at most
    ``chunk_weight`` rows each when it is long, with the model attached as JSON."""
    attachments = {"article30.json": json.dumps(model, ensure_ascii=False, indent=1)}
    title = model["title"]
    author = model["organisation"]["name"]
    chunks = chunk_parts(record_parts(model), chunk_weight)
    if len(chunks) == 1:
        html = render_record_html(model, inline_css=False, parts=chunks[0], first=True)
        render_pdf(html, path, date=date, title=title, author=author, stylesheets=[RECORD_STYLESHEET],
                   attachments=attachments)
        return
    documents = [render_record_html(model, inline_css=False, parts=c, first=i == 0)
                 for i, c in enumerate(chunks)]
    render_pdf_chunks(documents, path, date=date, title=title, author=author,
                      stylesheets=[RECORD_STYLESHEET], attachments=attachments)


# -- CSV ------------------------------------------------------------------------------------------

def _csv_headings(frame: pd.DataFrame) -> list[str]:
    headings = frame.attrs["headings"]
    items = frame.attrs["items"]
    return [f"{items[c]} {headings[c]}" if items[c] else headings[c] for c in frame.columns]


def _write_csv(register: Any, path: Path, include_retired: bool) -> None:
    for role, target in (("controller", path), ("processor", path.with_name(f"{path.stem}-processor{path.suffix}"))):
        frame = article30(register, role, include_retired)
        if role == "processor" and frame.empty:
            target.unlink(missing_ok=True)
            continue
        out = neutralise_frame(frame)
        out.columns = _csv_headings(frame)
        out.to_csv(target, index=False, encoding="utf-8-sig", lineterminator="\r\n")


# -- XLSX -----------------------------------------------------------------------------------------

_XLSX_MAX_CELL = 32_767
_MIN_WIDTH, _MAX_WIDTH = 9, 60
_LINE_HEIGHT = 12.6  # points per line of 10 pt Calibri


def _xlsx_text(value: Any) -> Any:
    """A cell value openpyxl can store and no spreadsheet will run."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, list | tuple):
        value = "\n".join(str(v) for v in value)
    if value is None:
        return None
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if len(value) > _XLSX_MAX_CELL:
        value = value[: _XLSX_MAX_CELL - 40] + " … (cut: longer than a cell can hold)"
    return neutralise(value)


def _lines(text: str, width: float) -> int:
    """Lines a wrapped cell needs at ``width`` characters per line."""
    if not text:
        return 1
    return sum(max(1, math.ceil(len(part) / max(width, 1))) for part in str(text).split("\n"))


class _Sheet:
    """Writes an ICO-style header block and a table into one worksheet, with column widths,
    row heights for wrapped text, frozen headings and print settings."""

    def __init__(self, ws: Any, title: str):
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

        self.ws = ws
        self.wrap = Alignment(wrap_text=True, vertical="top")
        self.bold = Font(bold=True)
        self.item_font = Font(italic=True, size=9, color="FF3D4A57")
        self.head_fill = PatternFill("solid", fgColor="FFDFE5EB")
        self.block_fill = PatternFill("solid", fgColor="FFEEF1F4")
        thin = Side(style="thin", color="FFA9B3BD")
        self.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        self.block_rows: list[tuple[int, str, str]] = []
        ws.cell(1, 1, _xlsx_text(title)).font = Font(bold=True, size=14)
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        self.row = 2

    def block(self, rows: Sequence[tuple[str, Any]]) -> None:
        """Label across columns A:B, value across C:J (as the ICO template's header)."""
        for label, value in rows:
            a = self.ws.cell(self.row, 1, _xlsx_text(label))
            a.font, a.fill, a.alignment, a.border = self.bold, self.block_fill, self.wrap, self.border
            text = _xlsx_text(value)
            text = text if text not in (None, "") else "—"
            c = self.ws.cell(self.row, 3, text)
            c.alignment, c.border = self.wrap, self.border
            self.ws.merge_cells(start_row=self.row, start_column=1, end_row=self.row, end_column=2)
            self.ws.merge_cells(start_row=self.row, start_column=3, end_row=self.row, end_column=10)
            self.block_rows.append((self.row, str(label), str(text)))
            self.row += 1
        self.row += 1

    def table(self, headings: Sequence[str], items: Sequence[str], rows: Sequence[Sequence[Any]],
              freeze_columns: int = 2, fills: Mapping[str, Any] | None = None) -> None:
        ws = self.ws
        item_row, head_row = self.row, self.row + 1
        for col, (heading, item) in enumerate(zip(headings, items, strict=True), start=1):
            c = ws.cell(item_row, col, f"Art {item}" if item else None)
            c.font, c.fill, c.border = self.item_font, self.head_fill, self.border
            h = ws.cell(head_row, col, heading)
            h.font, h.fill, h.alignment, h.border = self.bold, self.head_fill, self.wrap, self.border
        ws.freeze_panes = ws.cell(head_row + 1, freeze_columns + 1)
        ws.auto_filter.ref = f"A{head_row}:{_letter(len(headings))}{head_row + max(len(rows), 1)}"
        ws.print_title_rows = f"{item_row}:{head_row}"
        widths = [float(max(len(h) / 2 + 2, _MIN_WIDTH)) for h in headings]
        texts = [[_xlsx_text(v) for v in row] for row in rows]
        for j in range(len(headings)):
            lengths = sorted(n for n in (max((len(x) for x in str(r[j] or "").split("\n")), default=0)
                                         for r in texts) if n)
            if lengths:  # wide enough for nine in ten of the filled cells' longest lines
                typical = lengths[min(len(lengths) - 1, int(len(lengths) * 0.9))]
                widths[j] = min(_MAX_WIDTH, max(widths[j], typical * 0.9 + 2))
        for j, w in enumerate(widths, start=1):
            ws.column_dimensions[_letter(j)].width = round(w, 1)
        ws.row_dimensions[head_row].height = max(_lines(h, widths[j] - 1) for j, h in enumerate(headings)) * _LINE_HEIGHT + 3
        r = head_row + 1
        for row in texts:
            tallest = 1
            for j, value in enumerate(row, start=1):
                cell = ws.cell(r, j, value)
                cell.alignment, cell.border = self.wrap, self.border
                if fills and value in fills:
                    cell.fill = fills[value]
                tallest = max(tallest, _lines("" if value is None else str(value), widths[j - 1] * 1.1))
            ws.row_dimensions[r].height = min(409, tallest * _LINE_HEIGHT + 3)
            r += 1
        # the header block's rows, now that the columns have their widths
        label_width = sum(widths[:2]) if len(widths) >= 2 else 30.0
        value_width = sum(widths[2:10]) if len(widths) >= 10 else 120.0
        for number, label, value in self.block_rows:
            lines = max(_lines(label, label_width * 1.05), _lines(value, value_width * 1.05))
            ws.row_dimensions[number].height = min(409, lines * _LINE_HEIGHT + 3)
        self.row = r + 1


def _letter(n: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(n)


def _write_xlsx(model: dict[str, Any], path: Path, date: dt.date) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import PatternFill

    org = model["organisation"]
    wb = Workbook()
    # Sheet 1: the controller's record, ICO-style header block then one row per activity.
    wb.active.title = "Controller record"
    sheet = _Sheet(wb.active, f"Record of processing activities (Art 30(1) GDPR): {org['name']}")
    sheet.block([
        ("Name and contact details of the controller", org["controller"]),
        ("Data protection officer", org["dpo"]),
        ("Representative", org["representative"]),
        ("Joint controllers", org["joint_controllers"] or "None"),
        ("Lead supervisory authority", org["supervisory_authority"]),
        ("Record date", model["date"]),
    ])
    cols = model["columns"]["controller"]
    sheet.table([c["heading"] for c in cols], [c["item"] for c in cols],
                [[a[c["key"]] for c in cols] for a in model["controller_record"]])

    # Sheet 2: the processor's record, grouped by controller.
    sheet = _Sheet(wb.create_sheet("Processor record"),
                   f"Record of processing activities as processor (Art 30(2) GDPR): {org['name']}")
    sheet.block([
        ("Name and contact details of the processor", org["controller"]),
        ("Processor's data protection officer", org["dpo"]),
        ("Processor's representative", org["representative"]),
        ("Record date", model["date"]),
    ])
    pcols = model["columns"]["processor"]
    group_heads = [("controller", "30(2)(a)", "Controller"),
                   ("representative", "30(2)(a)", "Controller's representative"),
                   ("dpo", "30(2)(a)", "Controller's DPO")]
    rows = [[g[k] for k, _, _ in group_heads] + [a[c["key"]] for c in pcols]
            for g in model["processor_record"] for a in g["activities"]]
    sheet.table([h for _, _, h in group_heads] + [c["heading"] for c in pcols],
                [i for _, i, _ in group_heads] + [c["item"] for c in pcols], rows, freeze_columns=1)

    # Sheet 3: completeness per activity and item.
    sheet = _Sheet(wb.create_sheet("Completeness"), f"Completeness of the record: {org['name']}")
    score = model["completeness"]["score"]
    sheet.block([("Overall score (filled 1, partial ½, missing 0)", f"{score:.1%}" if score is not None else ""),
                 ("Record date", model["date"])])
    items = list(model["items"])
    fills = {"filled": PatternFill("solid", fgColor="FFDCEFDC"), "partial": PatternFill("solid", fgColor="FFFBECC6"),
             "missing": PatternFill("solid", fgColor="FFF6D3CF")}
    rows = [[a["activity_id"], a["name"], a["role"], *[a["items"][i] or "n/a" for i in items],
             a["score"], [f"{i}: {why}" for i, why in a["reasons"].items()]]
            for a in model["completeness"]["activities"]]
    sheet.table(["Ref.", "Processing activity", "Role", *items, "Score", "What is missing"],
                ["", "", "", *items, "", ""], rows, fills=fills)
    score_col = _letter(4 + len(items))
    for r in range(1, sheet.ws.max_row + 1):
        cell = sheet.ws[f"{score_col}{r}"]
        if isinstance(cell.value, float):
            cell.number_format = "0%"

    moment = dt.datetime(date.year, date.month, date.day)
    wb.properties.creator = "ropa"
    wb.properties.title = model["title"]
    wb.properties.created = moment
    wb.properties.modified = moment
    # openpyxl's Workbook.save stamps the wall clock as "modified"; its writer does not.
    from openpyxl.writer.excel import ExcelWriter

    buffer = io.BytesIO()
    ExcelWriter(wb, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True)).save()
    path.write_bytes(_fixed_zip_times(buffer.getvalue(), moment))


def _fixed_zip_times(data: bytes, moment: dt.datetime) -> bytes:
    """Rewrite a zip (XLSX) with every member dated ``moment``: same content, same bytes."""
    stamp = (max(moment.year, 1980), moment.month, moment.day, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=stamp)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = info.external_attr
            dst.writestr(member, src.read(info.filename))
    return out.getvalue()


# -- the entry point ------------------------------------------------------------------------------

def write_record(
    register: Any,
    path: str | Path,
    *,
    format: str,
    include_retired: bool = False,
    date: dt.date | None = None,
) -> Path:
    """Write the Article 30 record (controller and processor parts) in one format.

    Formats:

    - ``csv``: the controller's record (:func:`ropa.article30`), headings with their Art 30
      item ("30(1)(b) Purposes"), UTF-8 with BOM so spreadsheets read it; the processor's
      record, if there is one, beside it as ``<name>-processor.csv``.
    - ``xlsx``: sheet 1 the controller's record under a header block with controller, DPO,
      representative and joint controllers (as in the UK ICO template), sheet 2 the
      processor's record grouped by controller, sheet 3 the completeness table; wrapped
      text, readable column widths, frozen headings.
    - ``json``: :func:`record_model`, valid against ``record.schema.json``.
    - ``html``: one standalone page (stylesheet inside, nothing fetched).
    - ``pdf``: A4 landscape PDF/A-3b, repeated table headings, page numbers, organisation
      and date on every page, the JSON record attached (``article30.json``); large records
      are rendered in chunks in parallel processes.
    - ``jsonld`` (W3C DPV), ``ico-xlsx`` (the ICO's own template), ``cnil-xlsx`` (the CNIL's
      register model, one sheet per activity) and ``fides`` (a Fides
      manifest folder) are written by :mod:`ropa.register.jsonld`, ``ico``, ``cnil`` and ``fides``.

    Args:
        register: a loaded :class:`ropa.Register`.
        path: the file to write (a folder for ``fides``); parent folders are created.
        format: one of :data:`FORMATS`.
        include_retired: keep activities whose status is ``retired``.
        date: the record's date (default today); the same register and date give the same
            bytes.

    Returns:
        The path written.

    Raises:
        UsageError: an unknown format.

    Example:
        >>> import datetime as dt, tempfile, ropa
        >>> reg = ropa.load_register("registers/pro-at")
        >>> out = ropa.write_record(reg, tempfile.mkdtemp() + "/art30.json", format="json",
        ...                         date=dt.date(2026, 11, 25))
        >>> out.suffix
        '.json'

    .. versionadded:: 0.1
    """
    if format not in FORMATS:
        raise UsageError(f"unknown record format {format!r}; expected one of {', '.join(FORMATS)}")
    date = date or dt.date.today()
    path = Path(path)
    if format == "jsonld":
        from ..register.jsonld import write_jsonld

        return Path(write_jsonld(register, path, include_retired=include_retired, date=date))
    if format == "ico-xlsx":
        from ..register.ico import write_ico_workbook

        return Path(write_ico_workbook(register, path, include_retired=include_retired, date=date))
    if format == "cnil-xlsx":
        from ..register.cnil import write_cnil_workbook

        return Path(write_cnil_workbook(register, path, include_retired=include_retired, date=date))
    if format == "fides":
        from ..register.fides import write_fides

        # a Fides manifest folder carries the whole register (retired activities too),
        # so that it can be loaded back as a register
        return Path(write_fides(register, path))
    path.parent.mkdir(parents=True, exist_ok=True)
    if format == "csv":
        _write_csv(register, path, include_retired)
        return path
    model = record_model(register, include_retired=include_retired, date=date)
    if format == "json":
        path.write_text(json.dumps(model, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    elif format == "html":
        path.write_text(render_record_html(model), encoding="utf-8")
    elif format == "xlsx":
        _write_xlsx(model, path, date)
    else:
        write_record_pdf(model, path, date)
    return path
