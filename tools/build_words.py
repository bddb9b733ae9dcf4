"""Write ``ropa/taxonomy/english-words.txt.gz``: the ordinary English words, for telling a
capitalised word where a recipient stands ("share with the Driver", "Introduction") from a
company's name (ropa/policy/notparties.py).

Source: the system word list, ``/usr/share/dict/words`` from Debian's ``wamerican`` (SCOWL,
Kevin Atkinson; permissive licence, kept in ``tools/sources/LICENSE.scowl`` and ``NOTICE``), the
same list tools/build_vendors.py reads for its ambiguity rule.

Rule: a word is *ordinary* when the list holds it in lower case, made of letters only, at least
three of them, and does not also hold it capitalised: "Amazon", "Google", "Apple" and
"Twitter" are in the list as names too, so a capitalised "Amazon" may be the company; "driver",
"support" and "introduction" are only common nouns. One word a line, sorted, gzip without a
timestamp (the file is the same for the same list).

    python tools/build_words.py            # writes the file
    python tools/build_words.py --check    # exits 1 when the file differs from the list
"""

from __future__ import annotations

import argparse
import gzip
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DICTIONARY = Path("/usr/share/dict/words")
OUT = ROOT / "ropa" / "taxonomy" / "english-words.txt.gz"


def ordinary_words(path: Path = DICTIONARY) -> list[str]:
    """The rule of the module docstring."""
    if not path.exists():
        sys.exit(f"{path} is missing: install Debian's wamerican (apt-get install wamerican)")
    entries = [w.strip() for w in path.read_text(encoding="utf-8", errors="ignore").splitlines()]
    names = {w.lower() for w in entries if w[:1].isupper()}
    return sorted({w for w in entries if w.islower() and w.isalpha() and w.isascii() and len(w) >= 3} - names)


def encode(words: list[str]) -> bytes:
    return gzip.compress(("\n".join(words) + "\n").encode("ascii"), compresslevel=9, mtime=0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the file instead of writing it")
    args = parser.parse_args()
    data = encode(ordinary_words())
    if args.check:
        same = OUT.exists() and OUT.read_bytes() == data
        print("up to date" if same else f"{OUT} differs from {DICTIONARY}")
        return 0 if same else 1
    OUT.write_bytes(data)
    print(f"{OUT}: {len(ordinary_words())} words, {len(data)} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
