"""Pure time rules: when each kind of scheduled message is next due, in the person's zone.

Every rule names a local wall-clock time. A local time that does not exist (the hour
skipped when clocks go forward) fires at the next valid minute; one that occurs twice
(when clocks go back) fires once, at its first occurrence; 29 February fires on
28 February in other years. Each occurrence has a period key (``yearly-2027``,
``weekly-2027-W11``) under which it is claimed exactly once.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

YEARLY_GRACE = timedelta(days=14)


@dataclass(frozen=True, slots=True)
class Yearly:
    """Once a year on `month`/`day` at `at`; from `first_year` on, if pinned."""

    month: int
    day: int
    at: time
    first_year: int | None = None


@dataclass(frozen=True, slots=True)
class Weekly:
    """Every week on `weekday` (0 = Monday) at `at`."""

    weekday: int
    at: time


@dataclass(frozen=True, slots=True)
class Monthly:
    """On the first of every month at `at`."""

    at: time


@dataclass(frozen=True, slots=True)
class Daily:
    """Every day at `at`."""

    at: time


Rule = Yearly | Weekly | Monthly | Daily


def local_moment(day: date, at: time, zone: tzinfo) -> datetime:
    """`day` at `at` in `zone`, as a UTC instant (gaps move to the next valid minute)."""
    wall = datetime.combine(day, at.replace(second=0, microsecond=0))
    for _ in range(48 * 60):  # the longest gap on record is a day (Samoa, 2011)
        # fold=0: a time that occurs twice resolves to its first occurrence.
        moment = wall.replace(tzinfo=zone, fold=0)
        if moment.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == wall:
            return moment.astimezone(UTC)
        wall += timedelta(minutes=1)  # inside a gap: that minute never happens here
    raise ValueError(f"no valid local time near {day} {at} in {zone}")


def _yearly_day(rule: Yearly, year: int) -> date:
    """The rule's date in `year` (29 February is 28 February outside leap years)."""
    day = min(rule.day, calendar.monthrange(year, rule.month)[1])
    return date(year, rule.month, day)


def _candidates(rule: Rule, start: date) -> list[date]:
    """Local dates the rule fires on, from `start`'s period onward (a few, ascending)."""
    match rule:
        case Yearly():
            first = max(start.year, rule.first_year or start.year) - 1
            return [_yearly_day(rule, y) for y in range(first, first + 3)]
        case Weekly():
            monday = start - timedelta(days=start.weekday())
            return [monday + timedelta(days=7 * w + rule.weekday) for w in range(-1, 2)]
        case Monthly():
            year, month = (
                (start.year, start.month - 1) if start.month > 1 else (start.year - 1, 12)
            )
            dates = []
            for _ in range(3):
                dates.append(date(year, month, 1))
                year, month = (year, month + 1) if month < 12 else (year + 1, 1)
            return dates
        case Daily():
            return [start + timedelta(days=d) for d in range(-1, 2)]


def next_due(rule: Rule, after: datetime, zone: tzinfo) -> datetime:
    """The first moment strictly after `after` at which `rule` fires (UTC)."""
    start = after.astimezone(zone).date()
    for _ in range(4):
        for day in _candidates(rule, start):
            moment = local_moment(day, rule.at, zone)
            if moment > after and not _before_first(rule, day):
                return moment
        start = _candidates(rule, start)[-1] + timedelta(days=1)
    raise AssertionError(f"no next occurrence for {rule} after {after}")


def _before_first(rule: Rule, day: date) -> bool:
    """Whether `day` falls before the year a yearly rule is pinned to start."""
    return isinstance(rule, Yearly) and rule.first_year is not None and day.year < rule.first_year


def period_key(kind: str, rule: Rule, due: datetime, zone: tzinfo) -> str:
    """The name of the period an occurrence belongs to: claimed once, ever."""
    local = due.astimezone(zone).date()
    match rule:
        case Yearly():
            return f"{kind}-{local.year}"
        case Weekly():
            year, week, _ = local.isocalendar()
            return f"{kind}-{year}-W{week:02d}"
        case Monthly():
            return f"{kind}-{local:%Y-%m}"
        case Daily():
            return f"{kind}-{local.isoformat()}"


def catch_up(rule: Rule, due: datetime, now: datetime, zone: tzinfo) -> tuple[datetime, bool]:
    """The occurrence to act on for a row due at `due`, and whether it may still be sent.

    Occurrences that a later one has replaced are passed over (a summary is wanted
    only until the next period). A yearly reminder more than two weeks late is
    skipped rather than sent out of season.
    """
    following = next_due(rule, due, zone)
    while following <= now:
        due, following = following, next_due(rule, following, zone)
    if isinstance(rule, Yearly):
        return due, now - due <= YEARLY_GRACE
    return due, True
