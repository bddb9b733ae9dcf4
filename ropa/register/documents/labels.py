"""Labels as people write them in registers, in the languages of the EU's registers, mapped to
ropa's canonical fields. The tables are data: ``ropa/taxonomy/labels/<language>.yml``.

A label is first folded (:func:`fold_label`): the numbering in front ("IV", "4.", "a)"), bullets,
the trailing colon, case and accents are dropped. It is then compared word by word, without the
small function words of ``common.yml`` (so "Categorías interesados" is "Categorías de
interesados"), and matched in this order: the whole label; a part in parentheses
("Legitimidad (base jurídica) del tratamiento"); the longest listed beginning ("Fines del
tratamiento" is "fines"; a one-word beginning only for labels of up to three words); the longest
listed phrase of two words or more inside it ("Descripción general de medidas técnicas y
organizativas de seguridad").

Keys are the columns of activities.csv (``ropa.register.columns.ACTIVITY_COLUMNS``) and a few
more that a document states: ``controller``, ``joint_controllers``, ``dpo``, ``representative``
(parties), ``address``, ``tax_id``, ``phone``, ``email``, ``website`` (their contact details),
``date``, ``version`` (of the document) and ``rights`` (how people exercise their rights).

Example:
    >>> from ropa.register.documents.labels import fold_label, lookup
    >>> fold_label("IV Fines del tratamiento:")
    'fines del tratamiento'
    >>> [lookup(x).key for x in ("IV Fines del tratamiento:", "**Zweck:**", "Catégories de données",
    ...                          "Categorie di interessati", "Bewaartermijn", "VIII Legitimidad (base jurídica) del tratamiento")]
    ['purposes', 'purposes', 'data_categories', 'data_subjects', 'retention', 'lawful_basis']
    >>> lookup("Titularidad") is None
    True
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources

from ...core.words import fold
from ...core.yamlio import package_yaml
from ..columns import ACTIVITY_COLUMNS

__all__ = [
    "ACTIVITY_KEYS",
    "CONTACT_KEYS",
    "CORE_KEYS",
    "DOCUMENT_KEYS",
    "KEYS",
    "PARTY_KEYS",
    "LabelIndex",
    "LabelMatch",
    "fold_label",
    "is_column_heading",
    "label_index",
    "label_words",
    "lookup",
    "role_of",
    "strip_numbering",
]

#: Parties a register's header (or an activity) names.
PARTY_KEYS: frozenset[str] = frozenset({"controller", "joint_controllers", "dpo", "representative"})
#: A party's contact details.
CONTACT_KEYS: frozenset[str] = frozenset({"address", "tax_id", "phone", "email", "website"})
#: The document's own date and version.
DOCUMENT_KEYS: frozenset[str] = frozenset({"date", "version"})
#: Fields of an activity: activities.csv's columns, the procedure for rights, the controller.
ACTIVITY_KEYS: frozenset[str] = frozenset(ACTIVITY_COLUMNS) | {"rights", "controller"}
#: The fields whose presence makes a block an activity (Art 30(1)(b)-(g) and what goes with them).
CORE_KEYS: frozenset[str] = frozenset({
    "purposes", "purpose_description", "lawful_basis", "legitimate_interest", "data_subjects",
    "data_categories", "special_categories", "art9_condition", "criminal_offence_data",
    "recipients", "transfer_countries", "transfer_safeguards", "retention", "security_measures",
    "source", "systems", "controllers", "dpia", "automated_decision_making",
})
#: Every key a label may map to.
KEYS: frozenset[str] = ACTIVITY_KEYS | PARTY_KEYS | CONTACT_KEYS | DOCUMENT_KEYS

_ROMAN = r"(?:X{0,3})(?:IX|IV|V?I{0,3})"
_NUMBERING = re.compile(
    rf"^\s*(?:[-–—•·*▪◦●○■□➢►>]+\s*"              # bullets
    rf"|\(?\d{{1,3}}(?:[.,]\d{{1,3}})*[.)º°]?-?\s+"  # 4.  4)  (4)  1.2.
    rf"|\(?\d{{1,3}}(?:\.\d{{1,3}})*\.(?=[^\W\d_])"  # 4.Label (glued)
    rf"|\(?(?!\s){_ROMAN}[.)-]?\s+(?=[^\W\d_])"      # IV Label, IV. Label
    rf"|\(?[a-zA-Z][.)]\s+)")                         # a) Label, A. Label
_TRAILING = re.compile(r"[\s:：.\-–—*_]+$")


def strip_numbering(text: str) -> str:
    """The text without the numbering or bullet in front ("XIII ", "4. ", "a) ", "• ").

    Example:
        >>> [strip_numbering(t) for t in ("XIII Procedimiento", "4.Medidas", "b) Zweck", "Identificativos")]
        ['Procedimiento', 'Medidas', 'Zweck', 'Identificativos']
    """
    text = text.strip().strip("*_").strip()
    for _ in range(3):
        m = _NUMBERING.match(text)
        if not m or m.end() == 0:
            break
        rest = text[m.end():].lstrip()
        if not rest:
            break
        text = rest
    return text


def fold_label(text: str) -> str:
    """A label folded for matching: numbering, bullets, emphasis and the trailing colon dropped,
    then lower case without accents (ß as ss), single-spaced.

    Example:
        >>> fold_label("  **VII Categorías de datos personales:** ")
        'categorias de datos personales'
    """
    text = str(text).replace("**", "").replace("__", "")
    text = strip_numbering(text)
    text = _TRAILING.sub("", text)
    return fold(text).replace("ß", "ss")


@functools.cache
def _stopwords() -> frozenset[str]:
    data = package_yaml("labels/common.yml")
    return frozenset(fold(w) for w in data["stopwords"])


@functools.cache
def _column_words() -> frozenset[str]:
    data = package_yaml("labels/common.yml")
    return frozenset(fold(w) for w in data.get("column_words", ()))


def is_column_heading(text: str) -> bool:
    """Whether a header cell is a generic column heading of a label | value table ("Field",
    "Valor", "Inhoud"), which names no activity.

    Example:
        >>> is_column_heading("Veld"), is_column_heading("Descripción"), is_column_heading("NÓMINAS")
        (True, True, False)
    """
    words = re.findall(r"\w+", fold_label(text))
    return bool(words) and all(w in _column_words() or w in _stopwords() for w in words)


def _labels_dir():
    return resources.files("ropa.taxonomy").joinpath("labels")


def label_words(folded: str) -> tuple[str, ...]:
    """The words of a folded label that tell labels apart: no parentheses, no function words,
    no number at the end ("Verarbeitungstätigkeit 1").

    Example:
        >>> label_words("categorias interesados"), label_words("verarbeitungstatigkeit 1")
        (('categorias', 'interesados'), ('verarbeitungstatigkeit',))
    """
    text = re.sub(r"\([^)]*\)", " ", folded)
    words = [w for w in re.findall(r"\w+", text) if w not in _stopwords()]
    while words and words[-1].isdigit():
        words.pop()
    return tuple(words)


@dataclass(frozen=True)
class LabelMatch:
    """A label's canonical ``key``, the ``language`` of the listed label it matched, the
    listed label (``matched``, folded) and ``how``: exact, parenthesis, prefix or contains."""

    key: str
    language: str
    matched: str
    how: str


@dataclass(frozen=True)
class LabelIndex:
    """The label files read once: ``exact`` maps a label's words to (key, language, label),
    ``roles`` lists the role phrases, ``longest`` is the longest label in words."""

    exact: dict[tuple[str, ...], tuple[str, str, str]]
    roles: dict[str, tuple[tuple[str, ...], ...]]
    longest: int


@functools.cache
def label_index() -> LabelIndex:
    """The label index of ``ropa/taxonomy/labels/*.yml`` (read once; a label mapping to two keys
    is an error)."""
    exact: dict[tuple[str, ...], tuple[str, str, str]] = {}
    roles: dict[str, list[tuple[str, ...]]] = {}
    for entry in sorted(_labels_dir().iterdir(), key=lambda p: p.name):
        if not entry.name.endswith(".yml") or entry.name == "common.yml":
            continue
        data = package_yaml(f"labels/{entry.name}")
        lang = data["language"]
        for key, labels in (data.get("labels") or {}).items():
            if key not in KEYS:
                raise ValueError(f"labels/{entry.name}: unknown key {key!r}")
            for label in labels or ():
                folded = fold_label(str(label))
                words = label_words(folded)
                if not words:
                    continue
                old = exact.get(words)
                if old and old[0] != key:
                    raise ValueError(f"labels/{entry.name}: {label!r} maps to {key} here and to "
                                     f"{old[0]} in {old[1]}.yml")
                exact.setdefault(words, (key, lang, folded))
        for role, words in (data.get("roles") or {}).items():
            roles.setdefault(role, []).extend(tuple(fold(w).split()) for w in words)
    return LabelIndex(exact, {k: tuple(v) for k, v in roles.items()}, max(map(len, exact), default=1))


def lookup(label: str) -> LabelMatch | None:
    """The canonical field of a label as written, or None when it maps to nothing.

    Example:
        >>> lookup("Datenschutzbeauftragter").key, lookup("Plazos de Conservación:").key
        ('dpo', 'retention')
        >>> m = lookup("Descripción general de medidas técnicas y organizativas de seguridad")
        >>> m.key
        'security_measures'
    """
    return _lookup(fold_label(label))


@functools.lru_cache(maxsize=4096)
def _lookup(folded: str) -> LabelMatch | None:
    index = label_index()
    words = label_words(folded)
    if not words:
        return None
    hit = index.exact.get(words)
    if hit:
        return LabelMatch(hit[0], hit[1], hit[2], "exact")
    for inner in re.findall(r"\(([^)]*)\)", folded):
        hit = index.exact.get(label_words(inner))
        if hit:
            return LabelMatch(hit[0], hit[1], hit[2], "parenthesis")
    for n in range(min(len(words) - 1, index.longest), 0, -1):
        hit = index.exact.get(words[:n])
        if hit and (n >= 2 or len(words) <= 3):
            return LabelMatch(hit[0], hit[1], hit[2], "prefix")
    for n in range(min(len(words) - 1, index.longest), 1, -1):
        for start in range(1, len(words) - n + 1):
            hit = index.exact.get(words[start:start + n])
            if hit:
                return LabelMatch(hit[0], hit[1], hit[2], "contains")
    return None


def role_of(text: str) -> str | None:
    """``controller`` or ``processor`` when a heading says which role its activities are in
    ("... realizadas en calidad de Encargado"), None when it says neither or both.

    Example:
        >>> role_of("Actividades de tratamiento realizadas en calidad de Encargado")
        'processor'
        >>> role_of("Verzeichnis als Verantwortlicher"), role_of("Introducción")
        ('controller', None)
    """
    words = re.findall(r"[\w-]+", fold(text))
    found: set[str] = set()
    for role, phrases in label_index().roles.items():
        for phrase in phrases:
            n = len(phrase)
            for i in range(len(words) - n + 1):
                if all(words[i + j].startswith(phrase[j]) if j == n - 1 else words[i + j] == phrase[j]
                       for j in range(n)):
                    found.add(role)
    return found.pop() if len(found) == 1 else None
