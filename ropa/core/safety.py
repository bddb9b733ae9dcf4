"""Treat register cells as untrusted: spreadsheet formulas, markup, and URLs in rendered pages."""

from __future__ import annotations

import functools
from importlib import resources
from typing import Any

import pandas as pd

__all__ = ["neutralise", "neutralise_frame", "safe_url_fetcher", "template_environment"]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """Prefix a text cell that a spreadsheet would run as a formula with a quote.

    Cells starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return become text.
    Non-text values pass through.

    Example:
        >>> neutralise("=HYPERLINK(\\"http://x\\")")
        '\\'=HYPERLINK("http://x")'
        >>> neutralise("P7Y")
        'P7Y'
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with every text cell neutralised (lists joined with ``; `` first)."""
    out = frame.copy()
    for col in out.columns:
        out[col] = out[col].map(
            lambda v: neutralise("; ".join(map(str, v)) if isinstance(v, list | tuple) else v)
        ).astype(object)
    return out


class FetchRefused(Exception):
    """Raised by the URL fetcher for anything that is not one of ropa's own assets."""


def safe_url_fetcher(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    """A WeasyPrint URL fetcher that serves only ``ropa``'s packaged assets.

    Assets are addressed as ``ropa-asset:NAME`` (fonts, stylesheets, images shipped in
    ``ropa/assets``). Every other URL (``file:``, ``http:``, ``data:`` included) is refused,
    so a register cell holding ``<img src="file:///etc/passwd">`` fetches nothing.

    It answers in WeasyPrint's dict form; :mod:`ropa.outputs.pdf` adapts it to WeasyPrint 70's
    ``URLFetcher`` class. Every WeasyPrint call in ``ropa`` goes through :mod:`ropa.outputs.pdf`.
    """
    prefix = "ropa-asset:"
    if url.startswith(prefix):
        name = url[len(prefix):].lstrip("/")
        if ".." in name or "\\" in name or ":" in name:
            raise FetchRefused(url)
        asset = resources.files("ropa.assets").joinpath(name)
        if asset.is_file():
            mime = "text/css" if name.endswith(".css") else (
                "image/svg+xml" if name.endswith(".svg") else "application/octet-stream")
            return {"string": asset.read_bytes(), "mime_type": mime, "redirected_url": url}
    raise FetchRefused(f"ropa fetches nothing but its own assets; refused {url[:80]!r}")


@functools.cache
def template_environment(overrides: str | None = None):
    """The Jinja2 environment for HTML outputs: package templates, optional override folder
    first, autoescaping always on."""
    import jinja2

    loaders: list[jinja2.BaseLoader] = []
    if overrides:
        loaders.append(jinja2.FileSystemLoader(overrides))
    loaders.append(jinja2.PackageLoader("ropa", "templates"))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env
