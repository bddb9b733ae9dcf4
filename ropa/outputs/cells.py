"""Reading register cells for the record: a cell's text, a key's label (with its Article)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["cell_text", "labeller"]


def cell_text(value: Any) -> str:
    """A cell as stripped text; an empty cell (None, NaN) as ``""``."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value).strip()


def labeller(taxonomy: Any, kind: str, with_article: bool = False) -> Callable[[str], str]:
    """A function from a taxonomy key of ``kind`` to its label (an unknown key stays as it is);
    ``with_article=True`` adds the term's Article, e.g. ``Consent (Art 6(1)(a))``."""
    labels = taxonomy.labels(kind)
    articles: dict[str, str] = {}
    if with_article:
        terms = taxonomy.terms
        group = terms[terms["kind"] == kind]
        if "article" in group:
            articles = {k: cell_text(a) for k, a in zip(group["key"], group["article"], strict=True)}

    def label(key: str) -> str:
        text = labels.get(key, key)
        art = articles.get(key, "")
        return f"{text} ({art})" if art else text

    return label
