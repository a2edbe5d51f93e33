"""The drawer count before a shift is closed: what the count adds up to against what
should be there.

A screen that closes a shift shows expected cash, the counted total and the
variance *before* the person confirms, so a miscounted note can be recounted
instead of being recorded. :func:`count_preview` gives those figures for a
count exactly as :func:`terminal.shifts.close_shift` would record them (same
count validation, same expected cash); it writes nothing and spends no
approval. Closing still needs SHIFT_CLOSE; the preview is for whoever is
counting the drawer of the open shift at this till.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy.orm import Session

from terminal import shifts


@dataclass(frozen=True)
class CountPreview:
    """Fen throughout; ``variance`` is counted − expected (over +, short −)."""

    expected: int
    counted: int
    variance: int
    counts: dict[int, int]


def count_preview(session: Session, terminal_id: str, counts: Mapping[int, int]) -> CountPreview:
    """The figures closing the open shift with ``counts`` (denomination fen -> pieces) would
    record. Refuses a bad count and a till without an open shift, as closing does."""
    full = shifts.validate_counts(counts)
    shift = shifts.require_open_shift(session, terminal_id)
    counted = sum(denom * pieces for denom, pieces in full.items())
    expected = shifts.expected_cash(session, shift)
    return CountPreview(expected, counted, counted - expected, full)
