"""Finished HTML in, PDF/A-3b out: the one place where ``ropa`` calls WeasyPrint.

Two entry points:

- :func:`render_pdf` renders one HTML document in one WeasyPrint pass.
- :func:`render_pdf_chunks` renders a long document given as several complete HTML
  documents (each with its own ``<thead>``, so the table header repeats on every page) in
  parallel worker processes, joins them with pypdf, and stamps "Page x of y" over the whole
  result, so numbers run on across chunks. Memory is bounded by the largest chunk, not by
  the document.

Both are deterministic: the date is an input (document metadata, attachment dates and
``SOURCE_DATE_EPOCH`` during the write all come from it), so the same HTML and date give
the same bytes. Every fetch goes through :func:`ropa.core.safety.safe_url_fetcher`: a
document can use ``ropa-asset:NAME`` URLs for ``ropa``'s packaged stylesheets and nothing
else; any other URL (``file:``, ``http:``, ``data:``) in untrusted content fetches nothing.

Page-number contract for :func:`render_pdf_chunks`: the page geometry (``@page`` size and
margins) and the page-number margin box (by default ``@bottom-right``, e.g.
``content: "Page " counter(page) " of " counter(pages)``) must be declared in the
``stylesheets`` argument, not only inside the chunk HTML, because the stamping pass renders
just those stylesheets over blank pages. The chunks are rendered with that box emptied.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

__all__ = ["MARGIN_BOXES", "pool_workers", "render_pdf", "render_pdf_chunks"]

#: The sixteen CSS page-margin boxes.
MARGIN_BOXES: tuple[str, ...] = (
    "top-left-corner", "top-left", "top-center", "top-right", "top-right-corner",
    "right-top", "right-middle", "right-bottom",
    "bottom-right-corner", "bottom-right", "bottom-center", "bottom-left", "bottom-left-corner",
    "left-bottom", "left-middle", "left-top",
)

Attachments = Mapping[str, str | bytes]


def _safe_fetcher() -> Any:
    """A WeasyPrint ``URLFetcher`` that answers through :func:`safe_url_fetcher` only.

    WeasyPrint 70 expects a fetcher object returning ``URLFetcherResponse``; this adapts
    ``ropa.core.safety.safe_url_fetcher`` (which returns WeasyPrint's older dict form). Refused
    URLs raise, and WeasyPrint then leaves the resource out with a warning.
    """
    from ..core.safety import safe_url_fetcher

    try:
        from weasyprint.urls import URLFetcher, URLFetcherResponse
    except ImportError:  # pragma: no cover - WeasyPrint < 68 takes the function itself
        return safe_url_fetcher

    class _SafeFetcher(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            found = safe_url_fetcher(url)
            return URLFetcherResponse(
                found.get("redirected_url", url), found["string"],
                {"Content-Type": found.get("mime_type", "application/octet-stream")})

    return _SafeFetcher(allowed_protocols=["ropa-asset"], fail_on_errors=False)


def _epoch(date: dt.date) -> int:
    return int(dt.datetime(date.year, date.month, date.day, tzinfo=dt.UTC).timestamp())


@contextlib.contextmanager
def _source_date_epoch(date: dt.date) -> Iterator[None]:
    """Set ``SOURCE_DATE_EPOCH`` from ``date`` for the duration of a write (font subsetting
    without HarfBuzz stamps the current time otherwise)."""
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(_epoch(date))
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old


def _stylesheets(sources: Sequence[str], fetcher: Any) -> list[Any]:
    """``ropa-asset:`` URLs become fetched stylesheets; anything else is CSS text."""
    import weasyprint

    sheets = []
    for src in sources:
        if src.startswith("ropa-asset:"):
            sheets.append(weasyprint.CSS(url=src, url_fetcher=fetcher))
        else:
            sheets.append(weasyprint.CSS(string=src, url_fetcher=fetcher))
    return sheets


def _document(html: str, stylesheets: Sequence[str]) -> Any:
    import weasyprint

    fetcher = _safe_fetcher()
    return weasyprint.HTML(string=html, url_fetcher=fetcher).render(
        stylesheets=_stylesheets(stylesheets, fetcher))


def _write(document: Any, *, date: dt.date, title: str, author: str, variant: str | None,
           attachments: Attachments | None) -> bytes:
    import weasyprint

    stamp = f"{date.isoformat()}T00:00:00Z"
    moment = dt.datetime(date.year, date.month, date.day, tzinfo=dt.UTC)
    meta = document.metadata
    meta.title = title
    meta.authors = [author] if author else []
    meta.created = stamp
    meta.modified = stamp
    meta.generator = "ropa (WeasyPrint)"
    files = [
        weasyprint.Attachment(
            string=content, name=name, relationship="Data", created=moment, modified=moment,
            url_fetcher=_safe_fetcher())
        for name, content in sorted((attachments or {}).items())
    ]
    with _source_date_epoch(date):
        return document.write_pdf(pdf_variant=variant, attachments=files or None)


def _save(data: bytes, target: str | Path | None) -> None:
    if target is not None:
        path = Path(target)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def render_pdf(
    html: str,
    target: str | Path | None = None,
    *,
    date: dt.date,
    title: str,
    author: str = "",
    stylesheets: Sequence[str] = (),
    attachments: Attachments | None = None,
    variant: str | None = "pdf/a-3b",
) -> bytes:
    """Render one finished HTML document to PDF/A-3b in a single WeasyPrint pass.

    Args:
        html: the complete document (already escaped: build it with
            ``ropa.core.safety.template_environment``).
        target: a file to write as well, if given.
        date: the document's date: PDF creation and modification dates, attachment dates
            and ``SOURCE_DATE_EPOCH`` during the write. Same HTML and date, same bytes.
        title: the PDF title (document metadata).
        author: the PDF author (document metadata), e.g. the organisation.
        stylesheets: extra stylesheets, each a ``ropa-asset:NAME`` URL or CSS text; they
            come after the document's own and win at equal specificity.
        attachments: files to embed, name -> content (``str`` or ``bytes``), with the
            relationship ``Data`` (PDF/A-3 associated files); read back with pypdf's
            ``PdfReader(...).attachments``.
        variant: WeasyPrint's ``pdf_variant``; ``None`` for a plain PDF.

    Returns:
        The PDF bytes.

    Example:
        >>> import datetime as dt
        >>> from ropa.outputs.pdf import render_pdf
        >>> pdf = render_pdf("<p>Hello</p>", date=dt.date(2026, 11, 25), title="Hello")
        >>> pdf[:5], b"pdfaid:part" in pdf or b"/Metadata" in pdf
        (b'%PDF-', True)
    """
    data = _write(_document(html, stylesheets), date=date, title=title, author=author,
                  variant=variant, attachments=attachments)
    _save(data, target)
    return data


# -- chunked rendering ----------------------------------------------------------------------

def _blank_box_css(boxes: Sequence[str]) -> str:
    return "@page { " + " ".join(f"@{b} {{ content: none; }}" for b in boxes) + " }"


def _render_chunk(html: str, stylesheets: tuple[str, ...], number_box: str, date: dt.date,
                  title: str, author: str, variant: str | None,
                  attachments: dict[str, str | bytes] | None) -> bytes:
    """Worker: one chunk, page-number box emptied (top level, so it pickles)."""
    sheets = (*stylesheets, _blank_box_css([number_box]))
    return _write(_document(html, sheets), date=date, title=title, author=author,
                  variant=variant, attachments=attachments)


def _stamp_pages(count: int, stylesheets: Sequence[str], number_box: str, date: dt.date,
                 variant: str | None) -> bytes:
    """``count`` blank pages showing only the page-number box (one cheap pass)."""
    others = [b for b in MARGIN_BOXES if b != number_box]
    html = ("<!DOCTYPE html><html><head><meta charset='utf-8'><style>"
            "div + div { break-before: page; } div { height: 1px; }"
            "</style></head><body>" + "<div></div>" * count + "</body></html>")
    sheets = (*stylesheets, _blank_box_css(others),
              "html, body { background: none !important; margin: 0 !important; }")
    return _write(_document(html, sheets), date=date, title="", author="", variant=variant,
                  attachments=None)


def pool_workers(chunks: int, workers: int | None) -> int:
    """How many processes render ``chunks`` documents: ``workers`` if given, else the CPUs
    this process may use, never more than the chunks nor fewer than one.

    Example:
        >>> pool_workers(3, 8)
        3
    """
    if workers is not None:
        return max(1, min(workers, chunks))
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, chunks))


def render_pdf_chunks(
    chunks: Sequence[str],
    target: str | Path | None = None,
    *,
    date: dt.date,
    title: str,
    author: str = "",
    stylesheets: Sequence[str] = (),
    attachments: Attachments | None = None,
    variant: str | None = "pdf/a-3b",
    number_box: str = "bottom-right",
    workers: int | None = None,
) -> bytes:
    """Render a long document as several HTML documents in parallel and join them.

    Each chunk is a complete HTML document (say, the record's table for 500 activities,
    with its ``<thead>``, so the header repeats on every page as in one pass). Chunks are
    rendered in ``min(cpus, len(chunks))`` worker processes with the ``number_box`` margin
    box emptied, joined in order with pypdf (the first chunk carries the PDF/A metadata,
    the title and the attachments), and then one WeasyPrint pass renders that many blank
    pages showing only the page numbers, using ``stylesheets``; each is stamped onto its
    page. So "Page x of y" counts across the whole document.

    Args:
        chunks: the documents, in order. One chunk is rendered by :func:`render_pdf`.
        target, date, title, author, attachments, variant: as for :func:`render_pdf`.
        stylesheets: stylesheets for every chunk and for the page-number pass; they must
            hold the ``@page`` size and margins and the ``number_box`` content.
        number_box: the page-margin box that holds the page number.
        workers: worker processes (default: the CPUs available, at most one per chunk).

    Returns:
        The joined PDF's bytes; the same chunks and date give the same bytes.

    Example:
        >>> import datetime as dt
        >>> from ropa.outputs.pdf import render_pdf_chunks
        >>> css = '@page { size: A4; @bottom-right { content: counter(page) "/" counter(pages) } }'
        >>> pdf = render_pdf_chunks(["<p>one</p>", "<p>two</p>"], date=dt.date(2026, 11, 25),
        ...                         title="Two", stylesheets=[css], workers=1)
        >>> import io, pypdf
        >>> len(pypdf.PdfReader(io.BytesIO(pdf)).pages)
        2
    """
    if not chunks:
        raise ValueError("render_pdf_chunks needs at least one chunk")
    if number_box not in MARGIN_BOXES:
        raise ValueError(f"unknown page-margin box {number_box!r}")
    if len(chunks) == 1:
        return render_pdf(chunks[0], target, date=date, title=title, author=author,
                          stylesheets=stylesheets, attachments=attachments, variant=variant)
    sheets = tuple(stylesheets)
    jobs = [
        (html, sheets, number_box, date, title if i == 0 else "", author if i == 0 else "",
         variant, dict(attachments) if (i == 0 and attachments) else None)
        for i, html in enumerate(chunks)
    ]
    n = pool_workers(len(chunks), workers)
    if n == 1:
        parts = [_render_chunk(*job) for job in jobs]
    else:
        # Longest first (by HTML size), so that no long chunk starts last and runs alone.
        order = sorted(range(len(jobs)), key=lambda i: -len(jobs[i][0]))
        with ProcessPoolExecutor(max_workers=n) as pool:
            futures = {i: pool.submit(_render_chunk, *jobs[i]) for i in order}
            parts = [futures[i].result() for i in range(len(jobs))]
    data = _join(parts, sheets, number_box, date, variant)
    _save(data, target)
    return data


def _join(parts: Sequence[bytes], stylesheets: Sequence[str], number_box: str,
          date: dt.date, variant: str | None) -> bytes:
    """The chunks joined in order, then numbered, with pypdf's public API.

    Joining keeps outlines and links, and the first chunk's catalogue, metadata, attachments
    and file identifier (WeasyPrint derives it from that chunk's content, attachments
    included). Page i of the page-number pass is stamped over page i (``merge_page``, pypdf's
    way to stamp a page: the stamp's content is appended to the page's, each in its own
    graphics state, its fonts added to the page's resources); the merged content streams are
    compressed again and objects left identical or unused by the merge are folded away.
    """
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(parts[0])))
    for part in parts[1:]:
        writer.append(PdfReader(io.BytesIO(part)), import_outline=True)
    total = len(writer.pages)
    stamps = PdfReader(io.BytesIO(_stamp_pages(total, stylesheets, number_box, date, variant)))
    if len(stamps.pages) != total:  # pragma: no cover - would be a WeasyPrint change
        raise RuntimeError(f"page-number pass gave {len(stamps.pages)} pages for {total}")
    for page, stamp in zip(writer.pages, stamps.pages, strict=True):
        page.merge_page(stamp)
        page.compress_content_streams()
    writer.compress_identical_objects()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
