"""The files of a register folder, with the faults found only while reading files.

In: the drawn parts of a register. Out: :func:`register_files`, the bytes of
``organisation.yaml``, ``activities.csv`` and ``recipients.csv``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import yaml
from hypothesis import strategies as st

from ..register.cells import csv_text
from .faults import FILE_FAULTS, REGISTER_FAULTS, planted_codes
from .register import register_parts
from .tables import activities_frame, recipients_frame
from .vocabulary import UNKNOWN_HEADINGS, pick

__all__ = ["register_files"]


@st.composite
def register_files(
    draw,
    *,
    min_activities: int = 1,
    max_activities: int = 12,
    invalid: str | Iterable[str] | None = None,
    as_of: dt.date | None = None,
) -> dict[str, bytes]:
    """The files of a register folder: ``{"organisation.yaml": ..., "activities.csv": ...,
    "recipients.csv": ...}`` as bytes, the way :func:`ropa.write_register` writes them.

    Write them into a folder and load it with :func:`ropa.load_register`. ``invalid=`` takes
    every register code, :data:`FILE_FAULTS` included: ``unreadable-row`` adds a row with the
    wrong number of cells, ``unknown-column`` a column no template knows, ``duplicate-key`` a
    key of organisation.yaml given twice.

    Example:
        >>> import ropa, tempfile, pathlib
        >>> from hypothesis import given
        >>> from ropa.testing import register_files
        >>> @given(register_files(invalid="unreadable-row"))
        ... def test_bad_row_reported(files):
        ...     with tempfile.TemporaryDirectory() as tmp:
        ...         for name, data in files.items():
        ...             (pathlib.Path(tmp) / name).write_bytes(data)
        ...         reg = ropa.load_register(tmp)
        ...     assert set(ropa.check_register(reg)["code"]) == {"unreadable-row"}
        >>> test_bad_row_reported()
    """
    codes = planted_codes(invalid, REGISTER_FAULTS + FILE_FAULTS, "register_files()")
    file_codes = [c for c in codes if c in FILE_FAULTS]
    org, act_rows, rec_rows, _ = draw(register_parts(
        max(min_activities, 1 if file_codes else 0), max(max_activities, 1), [c for c in codes if c not in FILE_FAULTS],
        as_of, None))
    acts, recs = activities_frame(act_rows), recipients_frame(rec_rows)
    texts = {"activities.csv": csv_text(acts), "recipients.csv": csv_text(recs)}
    for code in file_codes:
        target = "activities.csv" if not len(recs) or draw(st.booleans()) else "recipients.csv"
        frame = acts if target == "activities.csv" else recs
        if code == "unknown-column":
            heading = draw(pick(UNKNOWN_HEADINGS))
            frame = frame.assign(**{heading: draw(pick(["", "see ticket", "x"]))})
            if target == "activities.csv":
                acts = frame
            else:
                recs = frame
            texts[target] = csv_text(frame)
    for code in file_codes:
        if code == "unreadable-row":
            target = "activities.csv" if not len(recs) or draw(st.booleans()) else "recipients.csv"
            width = len((acts if target == "activities.csv" else recs).columns)
            cells = draw(pick([2, width - 3, width + 2]))
            bad = ",".join(f"broken{i}" for i in range(max(cells, 2)))
            lines = texts[target].split("\n")
            at = draw(st.integers(1, max(len(lines) - 1, 1)))
            if texts[target].count('"') == 0:  # insert between records; else append
                lines.insert(at, bad)
                texts[target] = "\n".join(lines)
            else:
                texts[target] = texts[target].rstrip("\n") + "\n" + bad + "\n"
    org_text = yaml.safe_dump(org, sort_keys=False, allow_unicode=True)
    if "duplicate-key" in file_codes:  # a top-level key given again, with the same value
        key = draw(pick(sorted(org)))
        org_text += yaml.safe_dump({key: org[key]}, sort_keys=False, allow_unicode=True)
    out = {"organisation.yaml": org_text.encode("utf-8")}
    out.update({name: text.encode("utf-8") for name, text in texts.items()})
    return out
