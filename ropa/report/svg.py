"""Small SVG pictures for the report, drawn by our own code: no browser, no plotting library.

Each function takes plain data (the report model's lists and dicts) and returns one
``<svg>`` element as text, sized in CSS pixels with a ``viewBox`` so that it scales to the
column it is placed in. Every piece of text that comes from a register is escaped here;
callers may mark the result safe for their templates.

- :func:`flow_diagram`: data subjects → activities → recipients, each activity–recipient
  link coloured by its consistency class, recipients in third countries marked.
- :func:`bar_chart`: labelled horizontal bars (findings by severity, flows by class).
- :func:`history_chart`: stacked columns per quarter (findings by severity over time).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = [
    "CLASS_COLOURS",
    "CLASS_ORDER",
    "SEVERITY_COLOURS",
    "bar_chart",
    "flow_diagram",
    "history_chart",
]

#: Severity colours, most severe first (dark to light, readable in greyscale too).
SEVERITY_COLOURS: dict[str, str] = {
    "critical": "#7a0019",
    "high": "#c0392b",
    "medium": "#e08e0b",
    "low": "#2f6db5",
    "info": "#8c96a0",
}

#: Consistency classes, worst first, and their colours; ``unchecked`` when no policy applies.
CLASS_ORDER: tuple[str, ...] = ("incorrect", "ambiguous", "omitted", "vague", "clear", "out_of_scope", "unclassified", "unchecked")
CLASS_COLOURS: dict[str, str] = {
    "incorrect": "#b3001b",
    "ambiguous": "#7b3fa0",
    "omitted": "#e0700b",
    "vague": "#d4b000",
    "clear": "#2e8b57",
    "out_of_scope": "#9aa5b1",
    "unclassified": "#c9b8a8",
    "unchecked": "#b8c0c8",
}

_FONT = "DejaVu Sans, sans-serif"
_CHAR_WIDTH = 0.6  # DejaVu Sans: average advance per em, a little generous
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def _esc(text: Any) -> str:
    """Text made safe for an SVG text node or a double-quoted attribute."""
    value = _INVALID_XML.sub("", str(text))
    return (value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("'", "&#39;"))


def _fit(text: Any, width: float, size: float) -> str:
    """``text`` cut (with an ellipsis) to what fits in ``width`` pixels at ``size`` px."""
    value = " ".join(_INVALID_XML.sub("", str(text)).split())
    limit = max(1, int(width / (size * _CHAR_WIDTH)))
    return value if len(value) <= limit else value[: max(1, limit - 1)].rstrip() + "…"


def _num(value: float) -> str:
    """A coordinate with at most one decimal, no trailing zeros (stable text, small files)."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _svg_open(width: float, height: float, title: str, css_class: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{css_class}" role="img" '
        f'width="{_num(width)}" height="{_num(height)}" viewBox="0 0 {_num(width)} {_num(height)}" '
        f'font-family="{_FONT}">',
        f"<title>{_esc(title)}</title>",
    ]


def _text(x: float, y: float, text: str, size: float, *, anchor: str = "start", fill: str = "#1d2733",
          weight: str = "normal") -> str:
    extra = f' font-weight="{weight}"' if weight != "normal" else ""
    return (f'<text x="{_num(x)}" y="{_num(y)}" font-size="{_num(size)}" text-anchor="{anchor}" '
            f'fill="{fill}"{extra}>{_esc(text)}</text>')


def bar_chart(items: Sequence[tuple[str, int, str]], *, title: str, width: float = 300,
              label_width: float = 90, unit: str = "") -> str:
    """Horizontal bars with their labels and values.

    Args:
        items: ``(label, value, colour)`` per bar, in the order drawn.
        title: the accessible title of the picture.
        width: total width in CSS pixels.
        label_width: room for the labels at the left.
        unit: text after each value ("findings").

    Example:
        >>> svg = bar_chart([("high", 2, "#c0392b"), ("low", 4, "#2f6db5")], title="Findings")
        >>> svg.startswith("<svg") and ">4<" in svg
        True
    """
    bar_h, gap, size = 14, 6, 9
    height = max(1, len(items)) * (bar_h + gap) + gap
    top = max((v for _, v, _ in items), default=0)
    value_room = size * _CHAR_WIDTH * (len(str(top)) + len(unit) + 2) + 4
    span = max(10.0, width - label_width - value_room)
    out = _svg_open(width, height, title, "chart bar-chart")
    for i, (label, value, colour) in enumerate(items):
        y = gap + i * (bar_h + gap)
        length = 0.0 if top == 0 else span * value / top
        out.append(_text(label_width - 6, y + bar_h - 3.5, _fit(label, label_width - 8, size), size, anchor="end"))
        out.append(f'<rect x="{_num(label_width)}" y="{_num(y)}" width="{_num(max(length, 0.0))}" '
                   f'height="{bar_h}" fill="{colour}"/>')
        if value == 0:
            out.append(f'<line x1="{_num(label_width)}" y1="{_num(y)}" x2="{_num(label_width)}" '
                       f'y2="{_num(y + bar_h)}" stroke="#8c96a0" stroke-width="1"/>')
        shown = f"{value} {unit}".strip() if unit else str(value)
        out.append(_text(label_width + length + 4, y + bar_h - 3.5, shown, size))
    out.append("</svg>")
    return "\n".join(out)


def history_chart(history: Sequence[Mapping[str, Any]], *, severities: Sequence[str], title: str,
                  width: float = 320, height: float = 170) -> str:
    """Stacked columns, one per quarter, segments by severity, total on top, legend below.

    Args:
        history: ``{"quarter": "2026Q3", "by_severity": {"high": 2, ...}}`` per quarter, oldest first.
        severities: the severities stacked, most severe at the top.
        title: the accessible title.

    Example:
        >>> h = [{"quarter": "2026Q3", "by_severity": {"high": 3}},
        ...      {"quarter": "2026Q4", "by_severity": {"high": 1, "low": 2}}]
        >>> "2026Q3" in history_chart(h, severities=["high", "low"], title="Findings per quarter")
        True
    """
    size = 9
    legend_h = 18
    axis_h = 16
    plot_top, plot_bottom = 14.0, height - axis_h - legend_h
    left = 26.0
    totals = [sum(int(q["by_severity"].get(s, 0)) for s in severities) for q in history]
    top = max(totals, default=0)
    scale_max = max(1, top)
    out = _svg_open(width, height, title, "chart history-chart")
    # Axis and two grid lines (0 and the maximum).
    out.append(f'<line x1="{_num(left)}" y1="{_num(plot_bottom)}" x2="{_num(width - 4)}" '
               f'y2="{_num(plot_bottom)}" stroke="#8c96a0" stroke-width="1"/>')
    out.append(_text(left - 4, plot_bottom + 3, "0", size - 1, anchor="end", fill="#5a6570"))
    if top:
        out.append(f'<line x1="{_num(left)}" y1="{_num(plot_top)}" x2="{_num(width - 4)}" '
                   f'y2="{_num(plot_top)}" stroke="#d5dbe1" stroke-width="0.8" stroke-dasharray="3 2"/>')
        out.append(_text(left - 4, plot_top + 3, str(top), size - 1, anchor="end", fill="#5a6570"))
    n = max(1, len(history))
    slot = (width - left - 8) / n
    col_w = min(42.0, slot * 0.6)
    for i, (quarter, total) in enumerate(zip(history, totals, strict=True)):
        cx = left + slot * i + slot / 2
        y = plot_bottom
        for sev in reversed(list(severities)):
            count = int(quarter["by_severity"].get(sev, 0))
            if not count:
                continue
            h = (plot_bottom - plot_top) * count / scale_max
            y -= h
            out.append(f'<rect x="{_num(cx - col_w / 2)}" y="{_num(y)}" width="{_num(col_w)}" '
                       f'height="{_num(h)}" fill="{SEVERITY_COLOURS.get(sev, "#8c96a0")}" '
                       f'stroke="#ffffff" stroke-width="0.6"/>')
        out.append(_text(cx, y - 3, str(total), size, anchor="middle", weight="bold"))
        out.append(_text(cx, plot_bottom + 12, _fit(quarter["quarter"], slot, size), size, anchor="middle"))
    x = left
    ly = height - 6
    for sev in severities:
        out.append(f'<rect x="{_num(x)}" y="{_num(ly - 8)}" width="9" height="9" '
                   f'fill="{SEVERITY_COLOURS.get(sev, "#8c96a0")}"/>')
        out.append(_text(x + 12, ly, sev, size - 1))
        x += 12 + (len(sev) + 2) * (size - 1) * _CHAR_WIDTH
    out.append("</svg>")
    return "\n".join(out)


def _order_by_neighbours(keys: Sequence[str], neighbours: Mapping[str, Sequence[float]]) -> list[str]:
    """Order ``keys`` by the mean position of their neighbours (fewer crossings), stably."""
    def rank(item: tuple[int, str]) -> tuple[float, int]:
        i, key = item
        pos = neighbours.get(key) or []
        return (sum(pos) / len(pos) if pos else float("inf"), i)

    return [key for _, key in sorted(enumerate(keys), key=rank)]


def flow_diagram(flows: Mapping[str, Any], *, width: float = 660) -> str:
    """The data-flow picture: data subjects → activities → recipients.

    Args:
        flows: the report model's ``data_flows``: ``subjects`` (key, label), ``activities``
            (id, name), ``recipients`` (id, label, country, third_country), ``subject_links``
            (subject, activity, and the class of the organisation's own collection) and
            ``recipient_links`` (activity, recipient, class).
        width: total width in CSS pixels.

    Example:
        >>> flows = {"subjects": [{"key": "customer", "label": "Customer"}],
        ...          "activities": [{"id": "A1", "name": "Billing"}],
        ...          "recipients": [{"id": "bank", "label": "Bank", "country": "US", "third_country": True}],
        ...          "subject_links": [{"subject": "customer", "activity": "A1"}],
        ...          "recipient_links": [{"activity": "A1", "recipient": "bank", "class": "clear"}]}
        >>> svg = flow_diagram(flows)
        >>> "Billing" in svg and "third-country" in svg
        True
    """
    size, row_h, box_h = 8.0, 17.0, 13.0
    col_subject, col_activity, col_recipient = (0.0, 168.0), (226.0, 446.0), (512.0, width)
    activities = [a["id"] for a in flows.get("activities", [])]
    act_pos = {a: i for i, a in enumerate(activities)}
    subj_nb: dict[str, list[float]] = {}
    for link in flows.get("subject_links", []):
        if link["activity"] in act_pos:
            subj_nb.setdefault(link["subject"], []).append(act_pos[link["activity"]])
    rec_nb: dict[str, list[float]] = {}
    for link in flows.get("recipient_links", []):
        if link["activity"] in act_pos:
            rec_nb.setdefault(link["recipient"], []).append(act_pos[link["activity"]])
    subjects = _order_by_neighbours([s["key"] for s in flows.get("subjects", [])], subj_nb)
    recipients = _order_by_neighbours([r["id"] for r in flows.get("recipients", [])], rec_nb)
    subject_info = {s["key"]: s for s in flows.get("subjects", [])}
    activity_info = {a["id"]: a for a in flows.get("activities", [])}
    recipient_info = {r["id"]: r for r in flows.get("recipients", [])}

    header_h = 16.0
    rows = max(len(subjects), len(activities), len(recipients), 1)
    body_h = rows * row_h
    legend_h = 34.0
    height = header_h + body_h + legend_h

    def ys(count: int) -> list[float]:
        step = body_h / max(count, 1)
        return [header_h + step * i + (step - box_h) / 2 for i in range(count)]

    y_subject = dict(zip(subjects, ys(len(subjects)), strict=True))
    y_activity = dict(zip(activities, ys(len(activities)), strict=True))
    y_recipient = dict(zip(recipients, ys(len(recipients)), strict=True))

    out = _svg_open(width, height, "Data flows: data subjects, processing activities and recipients",
                    "chart flow-diagram")
    for (x0, x1), heading in ((col_subject, "Data subjects"), (col_activity, "Processing activities"),
                              (col_recipient, "Recipients")):
        out.append(_text((x0 + x1) / 2, 10, heading, size + 1, anchor="middle", weight="bold"))

    def curve(xa: float, ya: float, xb: float, yb: float, colour: str, w: float, dash: str = "") -> str:
        mid = (xa + xb) / 2
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        return (f'<path d="M{_num(xa)} {_num(ya)} C{_num(mid)} {_num(ya)} {_num(mid)} {_num(yb)} '
                f'{_num(xb)} {_num(yb)}" fill="none" stroke="{colour}" stroke-width="{_num(w)}" '
                f'stroke-opacity="0.85"{dash_attr}/>')

    half = box_h / 2

    def worst_last(links: Any) -> list[Mapping[str, Any]]:
        """Links in drawing order: the worst classes last, so that they sit on top."""
        order = {c: i for i, c in enumerate(CLASS_ORDER)}
        return sorted(links, key=lambda link: -order.get(link.get("class", "unchecked"), len(CLASS_ORDER)))

    for link in worst_last(flows.get("subject_links", [])):
        s, a = link["subject"], link["activity"]
        if s in y_subject and a in y_activity:
            cls = link.get("class", "unchecked")
            out.append(curve(col_subject[1], y_subject[s] + half, col_activity[0], y_activity[a] + half,
                             CLASS_COLOURS.get(cls, CLASS_COLOURS["unchecked"]), 0.9,
                             "3 2" if cls == "unchecked" else ""))
    for link in worst_last(flows.get("recipient_links", [])):
        a, r = link["activity"], link["recipient"]
        if a in y_activity and r in y_recipient:
            colour = CLASS_COLOURS.get(link["class"], CLASS_COLOURS["unchecked"])
            out.append(curve(col_activity[1], y_activity[a] + half, col_recipient[0], y_recipient[r] + half,
                             colour, 1.6, "4 2" if link["class"] == "unchecked" else ""))

    def box(x0: float, x1: float, y: float, label: str, *, stroke: str = "#5a6570", fill: str = "#f4f6f8",
            tag: str = "", tag_fill: str = "", css: str = "") -> None:
        css_attr = f' class="{css}"' if css else ""
        out.append(f'<g{css_attr}>')
        out.append(f'<rect x="{_num(x0)}" y="{_num(y)}" width="{_num(x1 - x0)}" height="{_num(box_h)}" '
                   f'rx="2" fill="{fill}" stroke="{stroke}" stroke-width="0.7"/>')
        tag_w = (len(tag) * size * _CHAR_WIDTH + 6) if tag else 0.0
        out.append(_text(x0 + 3, y + box_h - 3.5, _fit(label, x1 - x0 - 6 - tag_w, size), size))
        if tag:
            out.append(f'<rect x="{_num(x1 - tag_w - 1)}" y="{_num(y + 1.5)}" width="{_num(tag_w)}" '
                       f'height="{_num(box_h - 3)}" rx="1.5" fill="{tag_fill}"/>')
            out.append(_text(x1 - tag_w / 2 - 1, y + box_h - 3.8, tag, size - 1, anchor="middle",
                             fill="#ffffff" if tag_fill != "#e4e8ec" else "#1d2733", weight="bold"))
        out.append("</g>")

    for s in subjects:
        box(*col_subject, y_subject[s], subject_info[s].get("label") or s)
    for a in activities:
        info = activity_info[a]
        box(*col_activity, y_activity[a], f"{a} {info.get('name') or ''}".strip())
    for r in recipients:
        info = recipient_info[r]
        third = bool(info.get("third_country"))
        country = str(info.get("country") or "")
        box(*col_recipient, y_recipient[r], info.get("label") or r,
            stroke="#b3001b" if third else "#5a6570", fill="#fdecee" if third else "#f4f6f8",
            tag=country, tag_fill="#b3001b" if third else "#e4e8ec",
            css="third-country" if third else "")

    # Legend: classes present, and the third-country mark.
    used = {link.get("class", "unchecked") for key in ("subject_links", "recipient_links")
            for link in flows.get(key, [])}
    classes = [c for c in CLASS_ORDER if c in used] or ["unchecked"]
    x, y = 0.0, header_h + body_h + 14
    for cls in classes:
        out.append(f'<line x1="{_num(x)}" y1="{_num(y - 3)}" x2="{_num(x + 16)}" y2="{_num(y - 3)}" '
                   f'stroke="{CLASS_COLOURS[cls]}" stroke-width="2.4"/>')
        label = cls.replace("_", " ")
        out.append(_text(x + 20, y, label, size))
        x += 28 + len(label) * size * _CHAR_WIDTH
    y += 14
    out.append(f'<rect x="0" y="{_num(y - 8)}" width="16" height="10" rx="1.5" fill="#b3001b"/>')
    out.append(_text(20, y, "country outside the EEA (a third-country transfer); grey tag: EEA country", size))
    out.append("</svg>")
    return "\n".join(out)
