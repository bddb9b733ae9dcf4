"""The faults the strategies can plant: register finding codes, by where they sit.

In: nothing. Out: the ``*_FAULTS`` tuples and :func:`planted_codes`, which checks an
``invalid=`` argument against them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from hypothesis.errors import InvalidArgument

__all__ = ["ACTIVITY_FAULTS", "CROSS_FAULTS", "FILE_FAULTS", "ORGANISATION_FAULTS", "RECIPIENT_FAULTS", "REGISTER_FAULTS",
           "planted_codes"]

#: Faults :func:`activities` can plant (register finding codes about an activity row).
ACTIVITY_FAULTS: tuple[str, ...] = (
    "missing-required-field", "empty-required-list", "unknown-taxonomy-key",
    "unknown-recipient", "invalid-value", "duplicate-activity-id", "invalid-date",
    "invalid-duration", "special-category-without-condition",
    "legitimate-interest-not-stated", "transfer-without-safeguard", "missing-retention",
    "missing-security-measures", "stale-review", "processor-activity-without-controller",
    "criminal-data-without-authority", "invisible-character-in-id",
    "retention-without-period", "security-reference-only", "art9-condition-without-special-data",
    "consent-for-necessary-processing",
)
#: Faults :func:`recipients` can plant (codes about a recipient row).
RECIPIENT_FAULTS: tuple[str, ...] = (
    "missing-required-field", "invalid-value", "unknown-taxonomy-key",
    "duplicate-recipient-id", "transfer-without-safeguard", "processor-without-contract",
    "invisible-character-in-id",
)
#: Faults in organisation.yaml.
ORGANISATION_FAULTS: tuple[str, ...] = ("missing-organisation-detail",)
#: Faults across both tables: a recipient ropa created from a register's text, outside the
#: EEA, named by an activity that records no transfer (:func:`registers` only).
CROSS_FAULTS: tuple[str, ...] = ("transfer-not-recorded",)
#: Faults that exist only in files, found while reading them: :func:`register_files` only.
FILE_FAULTS: tuple[str, ...] = ("unreadable-row", "unknown-column", "duplicate-key")
#: Every fault :func:`registers` can plant.
REGISTER_FAULTS: tuple[str, ...] = tuple(dict.fromkeys(
    ACTIVITY_FAULTS + RECIPIENT_FAULTS + ORGANISATION_FAULTS + CROSS_FAULTS))


def planted_codes(invalid: str | Iterable[str] | None, allowed: Sequence[str], where: str) -> list[str]:
    """The codes of an ``invalid=`` argument, each once, in order; InvalidArgument for a code
    ``where`` cannot plant (naming :func:`register_files` for a fault found only in files)."""
    if invalid is None:
        return []
    codes = [invalid] if isinstance(invalid, str) else list(dict.fromkeys(invalid))
    for code in codes:
        if code in allowed:
            continue
        if code in FILE_FAULTS:
            raise InvalidArgument(f"{code!r} arises only when files are read: use register_files(invalid=...)")
        raise InvalidArgument(f"{where} cannot plant {code!r}; it can plant {', '.join(allowed)}")
    return codes
