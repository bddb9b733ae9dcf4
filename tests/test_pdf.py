"""ropa.outputs.pdf: one function from finished HTML to PDF/A-3b, and the chunked renderer."""

from __future__ import annotations

import io
import struct
import subprocess
import zlib

import pypdf
import pytest

from ropa.outputs.pdf import render_pdf, render_pdf_chunks
from tests.conftest import AS_OF

PAGE_CSS = """
@page { size: A4 landscape; margin: 14mm 12mm 16mm;
  @top-left { content: "Test organisation"; font: 8pt sans-serif; }
  @bottom-right { content: "Page " counter(page) " of " counter(pages); font: 8pt sans-serif; } }
table { width: 100%; table-layout: fixed; border-collapse: collapse; }
td, th { border: 1px solid #888; padding: 2pt; }
"""


def _table(first: int, last: int, extra: str = "") -> str:
    rows = "".join(f"<tr><td>row-{i:03d}</td><td>{'word ' * 30}</td></tr>" for i in range(first, last))
    return (f"<!DOCTYPE html><html><body>{extra}<table><thead><tr><th>Identifier</th><th>Text</th>"
            f"</tr></thead><tbody>{rows}</tbody></table></body></html>")


def _text(pdf: bytes) -> list[str]:
    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True)
    return out.stdout.decode().split("\f")[:-1]


def test_render_pdf_is_pdfa3b_with_metadata_and_reproducible(tmp_path):
    attach = {"findings.json": '{"findings": []}', "raw.bin": b"\x00\x01"}
    target = tmp_path / "one.pdf"
    first = render_pdf(_table(0, 5), target, date=AS_OF, title="A title", author="Org B.V.",
                       stylesheets=[PAGE_CSS], attachments=attach)
    again = render_pdf(_table(0, 5), date=AS_OF, title="A title", author="Org B.V.",
                       stylesheets=[PAGE_CSS], attachments=attach)
    assert first == again == target.read_bytes()
    reader = pypdf.PdfReader(io.BytesIO(first))
    xmp = reader.xmp_metadata.stream.get_data()
    assert b'pdfaid:part="3"' in xmp and b'pdfaid:conformance="B"' in xmp
    assert reader.metadata.title == "A title" and reader.metadata.author == "Org B.V."
    assert reader.metadata["/CreationDate"].startswith("D:20261125")
    assert reader.attachments["findings.json"] == [b'{"findings": []}']
    assert reader.attachments["raw.bin"] == [b"\x00\x01"]
    later = render_pdf(_table(0, 5), date=AS_OF.replace(year=2027), title="A title",
                       stylesheets=[PAGE_CSS])
    assert later != first


def _png(path):
    """A valid 1x1 PNG file."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
                     + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))
    return path


def test_render_pdf_fetches_nothing_but_package_assets(tmp_path):
    png = _png(tmp_path / "secret.png")
    import weasyprint

    control = weasyprint.HTML(string=f'<img src="{png.as_uri()}">').write_pdf()
    assert _images(control), "the control: WeasyPrint's own fetcher does embed the file"
    hostile = (f'<img src="file://{png}"><img src="{png}"><img src="http://127.0.0.1:9/x.png">'
               '<link rel="stylesheet" href="file:///etc/passwd">'
               '<div style="background: url(file:///etc/passwd)">x</div>')
    pdf = render_pdf(_table(0, 1, hostile), date=AS_OF, title="t")
    assert not _images(pdf)
    assert "row-000" in _text(pdf)[0]


def _images(pdf: bytes) -> list:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    xobjects = reader.pages[0]["/Resources"].get("/XObject", {})
    return [x for x in xobjects.values() if x.get_object().get("/Subtype") == "/Image"]


def test_chunks_number_pages_across_chunks_and_repeat_the_header():
    chunks = [_table(0, 40), _table(40, 80), _table(80, 120)]
    pdf = render_pdf_chunks(chunks, date=AS_OF, title="Chunked", author="Org",
                            stylesheets=[PAGE_CSS], attachments={"a.json": "{}"}, workers=2)
    assert pdf == render_pdf_chunks(chunks, date=AS_OF, title="Chunked", author="Org",
                                    stylesheets=[PAGE_CSS], attachments={"a.json": "{}"}, workers=1)
    pages = _text(pdf)
    total = len(pages)
    assert total > len(chunks)
    for number, page in enumerate(pages, start=1):
        assert page.count(f"Page {number} of {total}") == 1, page[-200:]
        assert "Identifier" in page and "Test organisation" in page
    rows = [f"row-{i:03d}" for i in range(120)]
    text = "".join(pages)
    assert [r for r in rows if r in text] == rows
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert b'pdfaid:part="3"' in reader.xmp_metadata.stream.get_data()
    assert reader.metadata.title == "Chunked"
    assert list(reader.attachments) == ["a.json"]


def test_chunks_reject_unknown_margin_box():
    with pytest.raises(ValueError):
        render_pdf_chunks(["<p>a</p>", "<p>b</p>"], date=AS_OF, title="t", number_box="footer")
