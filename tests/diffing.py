"""A policy version written to a temporary folder and loaded, and the material rows of a
diff: the two steps every policy-diff test takes."""

from __future__ import annotations

import ropa


def policy_from(tmp_path, name, text):
    """The policy read from ``text`` saved as ``tmp_path / name``."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return ropa.load_policy(path)


def material_rows(changes):
    """The rows of a policy diff marked material."""
    return changes[changes["material"].astype(bool)]
