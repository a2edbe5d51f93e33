"""What every report shares: who may read it, the period, the store's day, the result table.

A period is a range of business days, both ends included. A sale belongs to
the business day written on it when it was made (``Sale.business_day``, from
``[store] business_day_start`` and the time zone), so a sale at 02:00 in a
store whose day starts at 04:00 counts for the day before. Rows that carry
only a time (ledger entries, audit events, new members) are placed with the
same rule through :meth:`Scope.bounds`.

Reports are for managers and admins (:data:`Permission.REPORTS`); the check
is :func:`require_reports`, called first by every report function.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from terminal.auth import Actor, Permission
from terminal.errors import InvalidInput, PermissionDenied
from terminal.money import mul_div_half_up

if TYPE_CHECKING:
    from terminal.config import TerminalConfig

MAX_DAYS = 3700
"""The longest period a report reads (ten years and change)."""

SALE_KINDS = ("sale", "return")
"""Sales and returns; stored-value top-ups are money held for members, not sales."""


def require_reports(actor: Actor) -> None:
    """Refuse anyone below a manager: reports show the whole store's takings."""
    if not actor.can(Permission.REPORTS):
        raise PermissionDenied("reports_need_manager")


@dataclass(frozen=True)
class Scope:
    """The store's clock and loyalty settings that reports need."""

    tz: ZoneInfo = field(default_factory=lambda: ZoneInfo("Asia/Shanghai"))
    day_start: time = time(0, 0)
    points_per_yuan: int = 100

    @classmethod
    def of_config(cls, config: TerminalConfig) -> Scope:
        return cls(
            ZoneInfo(config.store.timezone),
            config.store.day_start,
            config.pricing.points_per_yuan,
        )

    def start_of(self, day: date) -> datetime:
        """The UTC instant business day ``day`` starts."""
        return datetime.combine(day, self.day_start, tzinfo=self.tz).astimezone(UTC)

    def bounds(self, period: Period) -> tuple[datetime, datetime]:
        """The UTC instants ``[start, end)`` of a period's business days."""
        return self.start_of(period.first), self.start_of(period.last + timedelta(days=1))

    def day_of(self, at: datetime) -> date:
        """The business day of an instant."""
        local = at.astimezone(self.tz)
        if local.time() < self.day_start:
            return local.date() - timedelta(days=1)
        return local.date()


@dataclass(frozen=True)
class Period:
    """Business days ``first`` to ``last``, both included."""

    first: date
    last: date

    def __post_init__(self) -> None:
        if self.first > self.last:
            raise InvalidInput(
                "report_bad_range", first=self.first.isoformat(), last=self.last.isoformat()
            )
        if self.days > MAX_DAYS:
            raise InvalidInput("report_range_too_long", max=MAX_DAYS)

    @classmethod
    def day(cls, day: date) -> Period:
        return cls(day, day)

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def previous(self) -> Period:
        """The period of the same length just before this one (what growth compares with)."""
        return Period(self.first - timedelta(days=self.days), self.first - timedelta(days=1))

    def label(self) -> str:
        if self.first == self.last:
            return self.first.isoformat()
        return f"{self.first.isoformat()} – {self.last.isoformat()}"


def parse_day(value: str) -> date:
    """A ``YYYY-MM-DD`` date typed by a person."""
    try:
        return date.fromisoformat(value.strip())
    except (ValueError, AttributeError) as exc:
        raise InvalidInput("report_bad_date", value=str(value)[:20]) from exc


def ratio_bp(part: int, whole: int) -> int | None:
    """``part / whole`` in basis points, rounded half up; None without a positive ``whole``."""
    if whole <= 0:
        return None
    return (2 * part * 10_000 + whole) // (2 * whole)


def growth_bp(now: int, before: int) -> int | None:
    """Growth from ``before`` to ``now`` in basis points (None without a base to compare)."""
    if before <= 0:
        return None
    return ratio_bp(now - before, before)


def average(total: int, count: int) -> int:
    """``total / count`` in whole fen, rounded half away from zero (0 for no count)."""
    return mul_div_half_up(total, 1, count) if count > 0 else 0


KINDS = ("text", "code", "int", "fen", "bp", "points")
"""How a column reads: words, a catalogue code (words in each language), a count, money in
fen, a rate in basis points, points."""


@dataclass(frozen=True)
class Column:
    """A column of a report: ``key`` in each row, ``label`` a catalogue code, ``kind`` of KINDS.

    ``kind`` ``"auto"`` takes each row's own kind from ``row["unit"]`` (a list of
    measures of different kinds).
    """

    key: str
    label: str
    kind: str = "int"


@dataclass(frozen=True)
class Table:
    """A report's result: rows of plain values (ints are fen, counts or basis points)."""

    name: str
    title: str
    columns: tuple[Column, ...]
    rows: list[dict[str, Any]]
    period: Period | None = None
    notes: dict[str, Any] = field(default_factory=dict)

    def column(self, key: str) -> list[Any]:
        """Every row's value of one column (what tests and charts read)."""
        return [row.get(key) for row in self.rows]

    def by(self, key: str) -> dict[Any, dict[str, Any]]:
        """Rows keyed by one column's value."""
        return {row[key]: row for row in self.rows}
