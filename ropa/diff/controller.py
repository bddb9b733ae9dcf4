"""The controller's names in two versions of a policy, and the row that tells how they changed.

The names are what the reader found in each version; a reader can find different words
in the same sentence of two versions ("Acme Social, PBC" read once as Acme Social and once
as PBC). A row that says the controller changed is one of the first a reader sees, so a
name change that both texts contradict is told, but not as a material change: when every
name the new version is read to add is written in the old text too, and every name it is
read to drop is still written in the new text, both versions name the same parties and
only the reading differs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from ..core.names import normalise_name

__all__ = ["controller_names", "controller_row", "written_in"]


def controller_names(value: Any) -> list[str]:
    """The names in a policy's ``controller`` fact: a string, a mapping with name fields,
    or a list of either.

    Example:
        >>> controller_names({"name": "Acme B.V.", "trading_names": ["Acme"]})
        ['Acme B.V.', 'Acme']
    """
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, Mapping):
        out = []
        for key in ("name", "names", "legal_name", "trading_names", "also_known_as", "aliases"):
            out += controller_names(value.get(key))
        return out
    if isinstance(value, Iterable):
        return [n for v in value for n in controller_names(v)]
    return [str(value)]


def written_in(name: str, text: str) -> bool:
    """Whether ``name`` is written in ``text`` as words of their own (Markdown marks around
    them are no letters), whatever the case and the spacing between them.

    Example:
        >>> written_in("Acme  Social", "Acme social, PBC runs the app")
        True
        >>> written_in("Acme", "Acmecorp runs the app")
        False
        >>> written_in("Acme", "see _Acme_")
        True
    """
    words = name.split()
    if not words:
        return False
    pattern = r"\s+".join(re.escape(w) for w in words)
    return re.search(rf"(?<![^\W_]){pattern}(?![^\W_])", text, re.IGNORECASE) is not None  # "_Acme_" is Acme


def controller_row(old: Any, new: Any) -> tuple[list[str], list[str], list[str], list[str], list[str], bool] | None:
    """How the controller's names changed between two policy versions, or None if they did not:
    (reasons, old names, new names, names added, names dropped, material).

    The change is material unless both versions' texts are at hand and each name added is
    written in the old text and each name dropped is still written in the new text.
    """
    o_names = controller_names(old.meta.get("controller"))
    n_names = controller_names(new.meta.get("controller"))
    o_norm = {normalise_name(n): n for n in o_names}
    n_norm = {normalise_name(n): n for n in n_names}
    if set(o_norm) == set(n_norm):
        return None
    gone = [o_norm[k] for k in sorted(set(o_norm) - set(n_norm))]
    came = [n_norm[k] for k in sorted(set(n_norm) - set(o_norm))]
    reasons = []
    if came:
        reasons.append(f"controller now also named {', '.join(came)}")
    if gone:
        reasons.append(f"controller no longer named {', '.join(gone)}")
    old_text, new_text = (str(getattr(p, "text", "") or "") for p in (old, new))
    material = not (old_text.strip() and new_text.strip()
                    and all(written_in(n, old_text) for n in came)
                    and all(written_in(n, new_text) for n in gone))
    if not material:
        reasons.append("each of these names is written in both versions: read differently, not changed")
    return reasons, o_names, n_names, came, gone, material
