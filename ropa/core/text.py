"""Turning the bytes of a user's text file into text: one decoder for every table (and policy).

The rules, in order:

1. A byte-order mark decides: UTF-8, UTF-16 (Excel's "Unicode text") or UTF-32, little- or
   big-endian.
2. Text that is valid UTF-8 is UTF-8 (nearly every file: checked in one C pass).
3. Text that is mostly UTF-8 (it holds valid multi-byte UTF-8 characters) but has some bytes
   that are not stays UTF-8; each line holding a bad byte is decoded on its own as
   Windows-1252 and reported, so one stray byte neither garbles the rest nor passes silently.
4. Anything else is a legacy encoding (or UTF-16/32 without a mark): charset-normalizer
   judges it on the lines that hold non-ASCII bytes. Windows-1252 (the "ANSI" code page of
   Excel in Western Europe) is preferred whenever it reads them as well as the best guess,
   and the guess is reported.

A NUL byte in text that is not UTF-16/32 means the file is not text at all (a workbook or a
PDF saved as .csv): ``error`` is raised naming the file and line.

Example:
    >>> text, problems = decode_text("id,name\\nA1,Caf\\u00e9\\n".encode("cp1252"), "a.csv")
    >>> text.splitlines()[1], problems[0].kind
    ('A1,Café', 'encoding-guessed')
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError

__all__ = ["TextProblem", "decode_text"]

#: Byte-order marks, longest first (the UTF-32-LE mark begins with the UTF-16-LE one).
_BOMS: tuple[tuple[bytes, str, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
)
#: How many bytes of lines holding non-ASCII bytes charset-normalizer is shown.
_SAMPLE_BYTES = 64 * 1024
_HIGH = re.compile(rb"[\x80-\xff]")
#: Names people know the encodings by.
_NAMES = {"cp1252": "Windows-1252", "latin_1": "ISO-8859-1 (Latin-1)", "iso8859_15": "ISO-8859-15",
          "cp1250": "Windows-1250", "mac_roman": "Mac Roman", "utf_16_le": "UTF-16 (little-endian)",
          "utf_16_be": "UTF-16 (big-endian)", "utf_32_le": "UTF-32 (little-endian)",
          "utf_32_be": "UTF-32 (big-endian)"}


@dataclass(frozen=True)
class TextProblem:
    """Something the decoder had to guess or repair.

    Attributes:
        kind: ``bad-bytes`` (a line holds bytes that are not valid in the file's encoding;
            it was read leniently) or ``encoding-guessed`` (no mark and not UTF-8: the
            encoding was detected).
        line: the line it concerns (1-based); the first line for ``encoding-guessed``.
        evidence: what was found and how it was read, in words.
    """

    kind: str
    line: int
    evidence: str


def _lenient(raw: bytes) -> str:
    """One line's bytes as UTF-8, each byte that is not valid UTF-8 read as Windows-1252 (or,
    for the five bytes Windows-1252 leaves undefined, as Latin-1)."""
    out, pos = [], 0
    while True:
        try:
            out.append(raw[pos:].decode("utf-8"))
            return "".join(out)
        except UnicodeDecodeError as exc:
            out.append(raw[pos:pos + exc.start].decode("utf-8"))
            out.append("".join(_byte_char(b) for b in raw[pos + exc.start:pos + exc.end]))
            pos += exc.end


def _byte_char(b: int) -> str:
    try:
        return bytes([b]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(b)


def _excerpt(text: str, at: int, width: int = 30) -> str:
    start = max(at - width // 2, 0)
    part = text[start:start + width].replace("\r", "").replace("\n", " ")
    return ("…" if start else "") + part + ("…" if start + width < len(text) else "")


def _utf8_by_line(data: bytes, first_line: int) -> tuple[str, list[TextProblem]]:
    """UTF-8 text with some bad bytes: every other line as UTF-8, those lines as Windows-1252."""
    problems: list[TextProblem] = []
    parts: list[str] = []
    for i, raw in enumerate(data.split(b"\n")):
        try:
            parts.append(raw.decode("utf-8"))
        except UnicodeDecodeError as exc:
            good = raw[: exc.start].decode("utf-8", errors="replace")
            line = _lenient(raw)
            column = len(good) + 1
            problems.append(TextProblem(
                "bad-bytes", first_line + i,
                f"byte 0x{raw[exc.start]:02X} at character {column} is not UTF-8; the bytes that are "
                f"not were read as Windows-1252: {_excerpt(line, column - 1)!r}"))
            parts.append(line)
    return "\n".join(parts), problems


def _with_replacements(data: bytes, codec: str, label: str) -> tuple[str, list[TextProblem]]:
    """Text in a fixed codec (a byte-order mark said so); invalid sequences become U+FFFD and
    each line holding one is reported."""
    try:
        return data.decode(codec), []
    except UnicodeDecodeError:
        pass
    marker = "\ufffd"
    clean = data.decode(codec, errors="replace")
    problems = []
    for number, line in enumerate(clean.split("\n"), start=1):
        if marker in line:
            at = line.index(marker)
            problems.append(TextProblem(
                "bad-bytes", number,
                f"bytes at character {at + 1} are not valid {label}; shown as {marker}: "
                f"{_excerpt(line, at)!r}"))
    return clean, problems


def _guess(data: bytes) -> tuple[str, str]:
    """(codec, name) for text that is neither marked nor UTF-8, judged by charset-normalizer on
    the lines that hold non-ASCII bytes (Windows-1252 preferred among equally good readings)."""
    from charset_normalizer import from_bytes

    if b"\x00" in data[:_SAMPLE_BYTES]:
        sample = data[:_SAMPLE_BYTES]
        half = max(len(sample) // 2, 1)
        if max(sample[0::2].count(0), sample[1::2].count(0)) < half // 4:
            # too few NULs, or spread too evenly, for UTF-16/32 text: not text at all
            return "cp1252", _NAMES["cp1252"]
    else:
        lines, size = [], 0
        for line in data.split(b"\n"):
            if _HIGH.search(line):
                lines.append(line)
                size += len(line) + 1
                if size >= _SAMPLE_BYTES:
                    break
        sample = b"\n".join(lines)
    matches = list(from_bytes(sample))
    if not matches:
        return "cp1252", _NAMES["cp1252"]
    best = matches[0]
    if best.encoding.startswith(("utf_16", "utf_32")):
        return best.encoding, _NAMES.get(best.encoding, best.encoding)
    for match in matches:
        if match.chaos > best.chaos + 0.1:
            break
        if "cp1252" in (match.encoding, *match.could_be_from_charset):
            try:
                data.decode("cp1252")
            except UnicodeDecodeError:
                break
            return "cp1252", _NAMES["cp1252"]
    return best.encoding, _NAMES.get(best.encoding, best.encoding.replace("_", "-"))


def _nul_error(text: str, path: str, error: type[InputError]) -> InputError:
    line = text[: text.index("\x00")].count("\n") + 1
    return error("holds a NUL byte: not a text file (a workbook or other binary file saved "
                 "under a text name?)", path, line)


def decode_text(data: bytes, path: str | Path, *,
                error: type[InputError] = InputError) -> tuple[str, list[TextProblem]]:
    """The text of a user's file, and what had to be guessed or repaired to read it.

    Args:
        data: the file's bytes.
        path: the file, named in errors.
        error: the exception class raised for bytes that are not text at all.

    Returns:
        The text (without a byte-order mark; line ends as in the file) and the problems, in
        line order: ``bad-bytes`` for each line read leniently, ``encoding-guessed`` when the
        encoding was detected rather than known.

    Raises:
        InputError: (of class ``error``) the bytes hold a NUL and are not UTF-16/32.

    Example:
        >>> decode_text(b"\\xef\\xbb\\xbfid\\nA1\\n", "a.csv")
        ('id\\nA1\\n', [])
        >>> text, problems = decode_text("id\\nCaf\\u00e9\\n".encode() + b"Caf\\xe9\\n", "a.csv")
        >>> text.splitlines(), problems[0].line
        (['id', 'Café', 'Café'], 3)
    """
    path = str(path)
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            body = data[len(bom):]
            if codec == "utf-8":
                problems: list[TextProblem] = []
                try:
                    text = body.decode("utf-8")
                except UnicodeDecodeError:
                    text, problems = _utf8_by_line(body, 1)
            else:
                text, problems = _with_replacements(body, codec, label)
            if "\x00" in text:
                raise _nul_error(text, path, error)
            return text, problems
    utf8: str | None
    try:
        utf8 = data.decode("utf-8")
    except UnicodeDecodeError:
        utf8 = None
    if utf8 is not None and "\x00" not in utf8:
        return utf8, []
    if utf8 is None:
        # mostly UTF-8? then only the lines with bad bytes are read another way
        loose = data.decode("utf-8", errors="surrogateescape")
        if b"\x00" not in data and re.search("[\u0080-\ud7ff\ue000-\U0010ffff]", loose):
            return _utf8_by_line(data, 1)
    codec, name = _guess(data)
    text, problems = _with_replacements(data, codec, name)
    if "\x00" in text:
        raise _nul_error(text, path, error)
    if codec.startswith(("utf_16", "utf_32")):
        first, how = 1, f"no byte-order mark and not UTF-8: read as {name}"
    else:
        first = next((i for i, line in enumerate(data.split(b"\n"), start=1) if _HIGH.search(line)), 1)
        how = (f"not UTF-8: read as {name}, judged from its non-ASCII characters (the first on "
               f"line {first}: {_excerpt(text.split(chr(10))[first - 1], 0, 40)!r})")
    problems.insert(0, TextProblem("encoding-guessed", first, how))
    return text, problems
