"""A policy version's files: its version from the file name, where its reviewed flows
file lies, and its text read within the limits.

Example:
    >>> from ropa.policy.files import policy_version, reviewed_flows_path
    >>> policy_version("policies/2026-11-01.md"), reviewed_flows_path("policies/notice.md").name
    ('2026-11-01', 'notice.flows.yaml')
"""

from __future__ import annotations

import re
from pathlib import Path

from ..core.errors import PolicyLoadError
from ..core.limits import limit_message, limits, read_limited

__all__ = ["FLOWS_SUFFIXES", "policy_version", "read_policy_text", "reviewed_flows_path"]


_VERSION_IN_NAME = re.compile(r"(\d{4}-\d{2}-\d{2})")

FLOWS_SUFFIXES = (".flows.yaml", ".flows.yml")


def _stem(path: Path) -> str:
    """The file name without ``.flows.yaml`` or its extension."""
    name = path.name
    for suffix in FLOWS_SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return path.stem


def policy_version(path: str | Path) -> str:
    """A policy file's version: the date (YYYY-MM-DD) in its name, else its name without the
    extension (and without ``.flows``). The date the text states is data, not the version.

    Example:
        >>> policy_version("policies/2026-11-01.flows.yaml"), policy_version("privacy-2026-03-01.md")
        ('2026-11-01', '2026-03-01')
        >>> policy_version("notice.md")
        'notice'
    """
    path = Path(path)
    m = _VERSION_IN_NAME.search(path.name)
    return m.group(1) if m else _stem(path)


#: Characters no text file holds (C0 and C1 controls but tab, line and page breaks; DEL; the
#: replacement character a decoder leaves for bytes it cannot read).
_NOT_TEXT = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffd]")

#: The share of such characters above which a file is "not text" (a real policy has none, or
#: a stray few; a PNG, a zip or random bytes have 10% and more), and their least number.
_NOT_TEXT_SHARE = 0.005

_NOT_TEXT_MIN = 8

_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
         (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))


def read_policy_text(path: str | Path) -> str:
    """A policy text, within the limits, in any encoding a European text comes in: UTF-8,
    UTF-16 or UTF-32 with a byte-order mark, else Windows-1252 (which covers Latin-1).

    Raises:
        PolicyLoadError: naming the file: it cannot be read, holds more than
            ``max_file_bytes`` bytes or ``max_policy_chars`` characters, or is not text
            (binary data: an image, an archive, random bytes).

    Example:
        >>> import tempfile, pathlib
        >>> f = pathlib.Path(tempfile.mkdtemp()) / "2026-01-01.txt"
        >>> _ = f.write_bytes("Datenschutzerklärung".encode("utf-16"))
        >>> read_policy_text(f)
        'Datenschutzerklärung'
        >>> _ = f.write_bytes(bytes(range(256)))
        >>> read_policy_text(f)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        ropa.core.errors.PolicyLoadError: ...: is not text (...)
    """
    path = Path(path)
    data = read_limited(path, PolicyLoadError)
    if len(data) > 4 * limits().max_policy_chars + 4:  # more characters than the limit in any encoding
        raise PolicyLoadError(limit_message("max_policy_chars", f"the text holds {len(data):,} bytes, so at "
                                            f"least {len(data) // 4:,} characters"), str(path))
    encoding = next((enc for bom, enc in _BOMS if data.startswith(bom)), None)
    try:
        if encoding is not None:
            text = data.decode(encoding)
        else:
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise PolicyLoadError(f"is not text (byte {exc.start} is not {encoding or 'UTF-8 or Windows-1252'})",
                              str(path), line) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    if len(text) > limits().max_policy_chars:
        raise PolicyLoadError(limit_message("max_policy_chars", f"the text holds {len(text):,} characters"),
                              str(path))
    bad = len(_NOT_TEXT.findall(text))
    if bad >= _NOT_TEXT_MIN and bad > _NOT_TEXT_SHARE * len(text):
        raise PolicyLoadError(f"is not text ({bad:,} of its {len(text):,} characters are control characters "
                              "or undecodable bytes); a policy must be a text file (.md, .txt, .html)",
                              str(path))
    return text


def reviewed_flows_path(path: str | Path) -> Path:
    """Where the reviewed flows file of a policy text lies: ``X.md`` → ``X.flows.yaml`` beside it.

    Example:
        >>> reviewed_flows_path("policies/privacy notice.md").as_posix()
        'policies/privacy notice.flows.yaml'
    """
    path = Path(path)
    return path.with_name(f"{_stem(path)}.flows.yaml")
