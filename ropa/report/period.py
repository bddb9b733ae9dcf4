"""The period a report covers: a calendar quarter such as ``2026Q4``."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..core.errors import UsageError

__all__ = ["Quarter"]


_QUARTER = re.compile(r"^\s*(\d{4})\s*-?\s*[Qq]([1-4])\s*$")


@dataclass(frozen=True)
class Quarter:
    """A calendar quarter, such as ``2026Q4``.

    Example:
        >>> q = Quarter.parse("2026Q4")
        >>> (q.start.isoformat(), q.end.isoformat(), str(q.previous()))
        ('2026-10-01', '2026-12-31', '2026Q3')
    """

    year: int
    number: int

    @classmethod
    def parse(cls, text: str) -> Quarter:
        """Read ``2026Q4`` (also ``2026-Q4``, ``2026q4``); a :class:`UsageError` otherwise."""
        m = _QUARTER.match(str(text))
        if not m:
            raise UsageError(f"a quarter is written like 2026Q4, not {text!r}")
        year = int(m.group(1))
        if not 1900 <= year <= 9998:  # the GDPR's records start in 2018; 9999Q4 has no next quarter
            raise UsageError(f"quarter {text!r}: the year must be between 1900 and 9998")
        return cls(year, int(m.group(2)))

    @classmethod
    def of(cls, day: dt.date) -> Quarter:
        """The quarter a date falls in."""
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> dt.date:
        following = self.next().start
        return following - dt.timedelta(days=1)

    def previous(self) -> Quarter:
        return Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)

    def next(self) -> Quarter:
        return Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)

    def __str__(self) -> str:
        return f"{self.year}Q{self.number}"
