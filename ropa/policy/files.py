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

__all__ = ["FLOWS_SUFFIXES", "language_shares", "policy_version", "read_policy_text", "refuse_other_language",
           "reviewed_flows_path"]


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


#: The commonest words of English prose, by which a text shows it is English: they make a
#: third or more of a privacy policy's words, and next to none of a German, Spanish or
#: French one (measured on real policies and registers in those languages).
_ENGLISH_WORDS = frozenset(["the", "and", "of", "to", "a", "in", "we", "you", "your", "our", "is", "are", "for", "or", "with", "that", "this", "by", "on", "as", "be", "it", "may", "not", "from", "us", "will", "can", "which"])
#: The commonest words of the languages European policies are written in besides English
#: (none of them an English word): a text that is not English shows its language by them.
_OTHER_WORDS = {
    "German": frozenset(["der", "die", "das", "und", "wir", "sie", "ihre", "ihren", "nicht", "mit", "von", "zu", "den", "dem", "für", "auf", "werden", "ist", "oder"]),
    "French": frozenset(["le", "la", "les", "et", "des", "nous", "vous", "vos", "votre", "du", "est", "pour", "sont", "par", "une", "sur", "dans", "ou", "données"]),
    "Spanish": frozenset(["el", "la", "los", "las", "y", "que", "del", "se", "sus", "su", "para", "por", "con", "una", "datos", "nosotros", "es"]),
    "Italian": frozenset(["il", "la", "che", "di", "e", "per", "con", "sono", "dei", "delle", "una", "gli", "suoi", "nostro", "dati"]),
    "Dutch": frozenset(["de", "het", "een", "en", "van", "wij", "uw", "niet", "met", "voor", "zijn", "worden", "gegevens", "op"]),
    "Portuguese": frozenset(["o", "os", "que", "e", "do", "da", "das", "dos", "para", "com", "uma", "seus", "nós", "não", "são", "dados"]),
}
_NOT_PROSE = re.compile(r"\]\([^)]*\)|https?://\S+|<[^>]{0,500}>")  # link targets, addresses, HTML tags
_WORD = re.compile(r"[^\W\d_]+")
#: A text of ``_LANGUAGE_MIN_WORDS`` words or more is in another language when fewer than
#: this share of its words are common English ones and at least this share are common words
#: of that language (English policies read 0.16 to 0.45 English; German, Spanish, French
#: texts 0.00 to 0.03). A list of names or a table alone shows neither, and is read.
_LANGUAGE_SHARE = 0.08
_LANGUAGE_MIN_WORDS = 20


def language_shares(text: str) -> tuple[dict[str, float], int]:
    """The share of a text's words that are the commonest words of English and of each other
    language ropa recognises, and how many words it has (link targets and HTML tags left out).

    Example:
        >>> shares, n = language_shares("Wir erheben Ihre E-Mail-Adresse und senden Ihnen die Quittung.")
        >>> round(shares["English"], 2), round(shares["German"], 2), n
        (0.0, 0.36, 11)
        >>> round(language_shares("We collect your email address to send you the receipt.")[0]["English"], 2)
        0.5
    """
    words = _WORD.findall(_NOT_PROSE.sub(" ", text).lower())
    n = len(words) or 1
    shares = {"English": sum(w in _ENGLISH_WORDS for w in words) / n}
    shares.update((lang, sum(w in common for w in words) / n) for lang, common in _OTHER_WORDS.items())
    return shares, len(words)


def refuse_other_language(text: str, path: str | Path) -> None:
    """Refuse to extract statements from a text that is not in English: extraction reads
    English only, and would otherwise report a German or Spanish policy as stating nearly
    nothing. A reviewed flows file written by a person is read whatever the text's language.

    Raises:
        PolicyLoadError: naming the file and the language, when a text of 20 words or
            more has fewer than 8% common English words and 8% or more common words of
            another language.

    Example:
        >>> refuse_other_language("Wir verkaufen Ihre Daten niemals an Dritte. " * 8, "2026-01-01.md")
        Traceback (most recent call last):
        ...
        ropa.core.errors.PolicyLoadError: 2026-01-01.md: is in German, not in English (29% of its 56 words ...
    """
    shares, n = language_shares(text)
    lang = max(_OTHER_WORDS, key=lambda k: shares[k])
    if n >= _LANGUAGE_MIN_WORDS and shares["English"] < _LANGUAGE_SHARE <= shares[lang]:
        raise PolicyLoadError(
            f"is in {lang}, not in English ({shares[lang]:.0%} of its {n:,} words are common {lang} words, "
            f"{shares['English']:.0%} common English ones): ropa extracts statements from English policy texts "
            f"only. Write its statements by hand in {reviewed_flows_path(path).name} beside it "
            "(docs/register-format.md), and ropa reads that file instead", str(path))


def reviewed_flows_path(path: str | Path) -> Path:
    """Where the reviewed flows file of a policy text lies: ``X.md`` → ``X.flows.yaml`` beside it.

    Example:
        >>> reviewed_flows_path("policies/privacy notice.md").as_posix()
        'policies/privacy notice.flows.yaml'
    """
    path = Path(path)
    return path.with_name(f"{_stem(path)}.flows.yaml")
