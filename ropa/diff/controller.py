"""The controller's names in two versions of a policy, and the row that tells how they changed.

The names are what the reader found in each version; a reader can find different words
in the same sentence of two versions ("Acme Social, PBC" read once as Acme Social and once
as PBC). A row that says the controller changed is one of the first a reader sees, so a
name change that both texts contradict is told, but not as a material change: when every
name the new version is read to add is written in the old text too, and every name it is
read to drop is still written in the new text, both versions name the same parties and
only the reading differs. Nor is it material when a name is only written another way (the
old version's "Acme, Inc." is the new one's "Acme.com, Inc.", a web domain's ending aside),
or is written only where the policy names a representative (of a controller outside the
EU, Art. 27 GDPR), who is no controller.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from ..core.names import normalise_name

__all__ = ["controller_names", "controller_row", "representative_only", "same_name", "written_in"]

_DOMAIN_END = re.compile(r"\.(?:com|net|org|io|co|app|ai|eu)\b", re.IGNORECASE)
_REPRESENTATIVE = re.compile(r"\brepresentatives?\b|\bart(?:icle|\.)?\s*27\b", re.IGNORECASE)
_HEADING = re.compile(r"^\s*(?:#|[-=]{3,}\s*$)")


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


def same_name(a: str, b: str) -> bool:
    """Whether two names are one, whatever their case, punctuation, legal form and the
    ending of a web domain in them.

    Example:
        >>> same_name("Acme.com, Inc.", "Acme Inc")
        True
        >>> same_name("Acme Media Ltd", "Acme")
        False
    """
    return normalise_name(_DOMAIN_END.sub("", a)) == normalise_name(_DOMAIN_END.sub("", b))


def representative_only(name: str, text: str, before: int = 4) -> bool:
    """Whether every line of ``text`` that writes ``name`` stands where a representative is
    named: the line, or one of the ``before`` lines with words before it in its section,
    speaks of a representative.

    Example:
        >>> text = "## Contact\\nYou may contact our representative.\\n\\nIn the EU: Rep Services GmbH, Berlin."
        >>> representative_only("Rep Services", text)
        True
        >>> representative_only("Rep Services", "## Who we are\\nRep Services GmbH runs the app.")
        False
    """
    lines = text.splitlines()
    hits = [i for i, line in enumerate(lines) if written_in(name, line)]
    if not hits:
        return False
    for i in hits:
        window: list[str] = []
        for j in range(i, -1, -1):
            if j < i and _HEADING.match(lines[j]):
                break
            if lines[j].strip():
                window.append(lines[j])
            if len(window) > before:
                break
        if not any(_REPRESENTATIVE.search(w) for w in window):
            return False
    return True


def controller_row(old: Any, new: Any) -> tuple[list[str], list[str], list[str], list[str], list[str], bool] | None:
    """How the controller's names changed between two policy versions, or None if they did not:
    (reasons, old names, new names, names added, names dropped, material).

    The change is material unless both versions' texts are at hand and each name added is
    written in the old text and each name dropped is still written in the new text, leaving
    aside names written another way in the other version and names of representatives.
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
    respelled = [n for n in came if any(same_name(n, o) for o in o_names)]
    respelled += [n for n in gone if any(same_name(n, m) for m in n_names)]
    agents = [n for n in came if n not in respelled and representative_only(n, new_text)]
    agents += [n for n in gone if n not in respelled and representative_only(n, old_text)]
    came_left = [n for n in came if n not in respelled and n not in agents]
    gone_left = [n for n in gone if n not in respelled and n not in agents]
    if respelled:
        reasons.append(f"written another way, the same name: {', '.join(respelled)}")
    if agents:
        reasons.append(f"written only where a representative is named, no controller: {', '.join(agents)}")
    material = bool(came_left or gone_left) and not (
        old_text.strip() and new_text.strip()
        and all(written_in(n, old_text) for n in came_left)
        and all(written_in(n, new_text) for n in gone_left))
    if not material and (came_left or gone_left):
        reasons.append("each of these names is written in both versions: read differently, not changed")
    return reasons, o_names, n_names, came, gone, material
