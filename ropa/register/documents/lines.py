"""Reading lines: "label: value" pairs, yes/no checklists and labelled parts inside a value,
numbering glued to a title.

Example:
    >>> from ropa.register.documents.lines import split_label, unglue
    >>> split_label("Zweck: Abrechnung")
    ('Zweck', 'Abrechnung')
    >>> split_label("See https://example.org: it says 10:30") is None
    True
    >>> unglue("1.GESTIÓN DE CLIENTES")
    '1. GESTIÓN DE CLIENTES'
"""

from __future__ import annotations

import re
import unicodedata

from ...core.words import fold, truth
from .labels import fold_label, strip_numbering
from .model import CheckItem, Location, SubField

__all__ = [
    "clean_text",
    "looks_like_label",
    "parse_value",
    "split_label",
    "unglue",
]

_GLUED = re.compile(r"^(\s*\(?\d{1,3}(?:\.\d{1,3})*[.)])(?=[^\W\d_])")
_BULLET = re.compile(r"^\s*[-–—•·*▪◦●○■□➢►✓✔✗✘☐☑☒]\s*")
_BOX = re.compile(r"^\s*(?:\[(?P<a>[ xX✓])\]|(?P<b>[☐☑☒✓✔✗✘]))\s*(?P<item>.+?)\s*$")


def unglue(text: str) -> str:
    """Numbering glued to a title gets its space back: "1.GESTIÓN" -> "1. GESTIÓN".

    Example:
        >>> unglue("2)Zweck"), unglue("1.5 kg"), unglue("3.2.Retention")
        ('2) Zweck', '1.5 kg', '3.2. Retention')
    """
    return _GLUED.sub(r"\1 ", text)


def clean_text(text: str) -> str:
    """Spaces normalised (no-break, zero-width and control characters), symbols and emoji
    dropped at the ends, each line stripped, lines kept."""
    text = text.replace("\u00a0", " ").replace("\u200b", "").replace("\ufeff", "").replace("\r", "")
    lines = []
    for line in text.split("\n"):
        line = re.sub(r"[ \t\f\v]+", " ", line).strip()
        while line and unicodedata.category(line[0]) in ("So", "Cn", "Co", "Cs"):
            line = line[1:].lstrip()
        while line and unicodedata.category(line[-1]) in ("So", "Cn", "Co", "Cs"):
            line = line[:-1].rstrip()
        lines.append(line)
    return "\n".join(lines).strip("\n")


def looks_like_label(label: str) -> bool:
    """Whether text before a colon can be a label: short (at most 10 words, 80 characters),
    starting with a letter once numbered, not a sentence and not a link.

    Example:
        >>> looks_like_label("Categorías de Datos"), looks_like_label("ART. 6.1 C) DEL REGLAMENTO 679/2016. EL TRATAMIENTO ES NECESARIO")
        (True, False)
    """
    label = label.strip()
    if not label or len(label) > 80 or len(label.split()) > 10:
        return False
    core = strip_numbering(label)
    if not core or not core[0].isalpha() or core.count("(") != core.count(")"):
        return False
    if re.search(r"https?$|www\.|@|\w{4,}[.!?]\s+[^\W\d_]", core):
        return False
    return sum(c.isalpha() for c in core) >= 2


def split_label(line: str, strong: str | None = None) -> tuple[str, str] | None:
    """``(label, value)`` when a line reads "label: value", else None. ``strong`` is the
    emphasised text the line starts with, if the document marks it ("**Zweck:**"): a label
    ending in a colon inside it, or right after it, is taken as written.

    The colon must be followed by a space or the end of the line (so no times, no links).
    """
    text = line.strip()
    if strong:
        s = strong.strip()
        if s and text.startswith(s):
            rest = text[len(s):]
            if s.rstrip().endswith((":", "：")):
                label = s.rstrip().rstrip(":：").strip()
                if looks_like_label(label):
                    return label.strip("*_ "), rest.strip()
            elif rest.lstrip().startswith((":", "：")):
                label = s.strip()
                if looks_like_label(label):
                    return label.strip("*_ "), rest.lstrip()[1:].strip()
    m = re.match(r"^(?P<label>[^:：\n]{1,120}?)\s*[:：](?:\s+|$)(?P<value>.*)$", text, re.S)
    if not m:
        return None
    label = m.group("label").strip().strip("*_").strip()
    if not looks_like_label(label):
        return None
    return label, m.group("value").strip()


def _checkitem(line: str) -> tuple[str, bool] | None:
    m = _BOX.match(line)
    if m:
        mark = m.group("a") or m.group("b")
        return m.group("item").strip(), mark not in (" ", "☐", "✗", "✘")
    pair = split_label(_BULLET.sub("", line))
    if pair is None:
        return None
    item, value = pair
    value = value.strip().rstrip(".;,")
    if not value or len(value) > 12:
        return None
    answer = truth(value)
    if answer is None or value.isdigit():
        return None
    return item, answer


def _unglue_items(line: str) -> list[str]:
    """A checklist item glued to the text before it ("... FINES ESPECÍFICOS. -Proteger intereses
    vitales: No") on a line of its own."""
    m = re.match(r"^(.*?\S)\s+(-\s?[^\W\d_][^:\n]{0,120}:\s*\S{1,12})\s*$", line)
    if m and _checkitem(m.group(2)) is not None and _checkitem(line) is None:
        return [*_unglue_items(m.group(1)), m.group(2)]
    return [line]


def parse_value(lines: list[str], field: str | None, label: str, where: Location,
                line_wheres: list[Location] | None = None) -> tuple[list[CheckItem], list[SubField]]:
    """The structure inside a value's lines: yes/no checklist items ("-Salud: No") with the
    sub-heading they stand under, and labelled parts ("Identificativos: nombre, DNI"; the lines
    after a part's label, up to the next label, belong to it).

    Example:
        >>> from ropa.register.documents.model import Location
        >>> checks, parts = parse_value(
        ...     ["Datos de categorías sensibles:", "-Salud: No", "-Religión: Sí",
        ...      "Otros datos identificativos: CORREO ELECTRONICO"],
        ...     "data_categories", "VII Categorías de datos", Location("rat.html", line=9))
        >>> [(c.group, c.item, c.value) for c in checks]
        [('Datos de categorías sensibles', 'Salud', False), ('Datos de categorías sensibles', 'Religión', True)]
        >>> [(p.sublabel, p.text) for p in parts]
        [('Datos de categorías sensibles', ''), ('Otros datos identificativos', 'CORREO ELECTRONICO')]
    """
    checks: list[CheckItem] = []
    parts: list[SubField] = []
    group: str | None = None
    current: SubField | None = None
    own = fold_label(label)
    split: list[tuple[str, Location]] = []
    for i, raw in enumerate(lines):
        at = line_wheres[i] if line_wheres and i < len(line_wheres) else where
        split += [(part, at) for part in _unglue_items(raw)]
    for raw, at in split:
        line = raw.strip()
        if not line:
            continue
        item = _checkitem(line)
        if item is not None:
            checks.append(CheckItem(field, label, group, item[0], item[1], at))
            current = None
            continue
        pair = split_label(_BULLET.sub("", line))
        if pair is not None:
            sub, text = pair
            if fold_label(sub) == own:
                group = sub  # the value repeats its own label as a sub-heading
            else:
                current = SubField(field, label, sub, text, at)
                parts.append(current)
                if not text:
                    group = sub
            continue
        if current is not None and fold(line):
            current.text = (current.text + "\n" + line).strip("\n")
    return checks, parts
