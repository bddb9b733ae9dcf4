"""What a tracking statement that names no data at all tracks.

A tracker (a vendor whose cookies, pixels or scripts run on the organisation's pages: a
kind or vendor under ``third_party.tracker``) named with no data reads the identifiers its
technology keeps on the reader's device: that is what the technology is, not a guess. Any
other party named so, in a sentence read as tracking, is given personal data: a disclosure
naming no data, read as the corpus reads one (personal data, or the data its kind implies).
A first-party tracking statement always names its data (the technology's own word,
"cookies", is data: ``user.device.cookie``), else it is no statement and its sentence goes
to review.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

__all__ = ["TRACKER_DATA", "tracked_data"]

#: What a tracker's technology holds on the reader's device: cookies and similar identifiers.
TRACKER_DATA = "user.device.cookie"


def tracked_data(recipients: Sequence[str], is_tracker: Callable[[str], bool]) -> tuple[str, list[str]]:
    """The action and data of a tracking statement that names no data.

    Args:
        recipients: the statement's recipients.
        is_tracker: whether a recipient key is nothing but a tracker.

    Example:
        >>> trackers = {"vendor:hotjar", "third_party.advertising"}.__contains__
        >>> tracked_data(["vendor:hotjar"], trackers)
        ('track', ['user.device.cookie'])
        >>> tracked_data(["vendor:hotjar", "vendor:zendesk"], trackers)
        ('share', ['user'])
    """
    third = [r for r in recipients if not r.startswith("we")]
    if third and all(is_tracker(r) for r in third):
        return "track", [TRACKER_DATA]
    return ("share" if third else "track"), ["user"]
