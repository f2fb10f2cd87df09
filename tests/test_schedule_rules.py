"""When scheduled messages fall due: time zones, daylight saving, 29 February, catch-up."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.schedules.rules import (
    Daily,
    Monthly,
    Weekly,
    Yearly,
    catch_up,
    local_moment,
    next_due,
    period_key,
)

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
KOLKATA = ZoneInfo("Asia/Kolkata")
SYDNEY = ZoneInfo("Australia/Sydney")
SPRING = Yearly(3, 20, time(10, 0))


def utc(*args: int) -> datetime:
    """A UTC instant."""
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("zone", "expected"),
    [
        (ZoneInfo("UTC"), utc(2027, 3, 20, 10, 0)),
        (BERLIN, utc(2027, 3, 20, 9, 0)),  # CET, +01:00
        (NEW_YORK, utc(2027, 3, 20, 14, 0)),  # already EDT, -04:00
        (KOLKATA, utc(2027, 3, 20, 4, 30)),  # +05:30
        (SYDNEY, utc(2027, 3, 19, 23, 0)),  # AEDT, +11:00: still the 19th in UTC
    ],
)
def test_yearly_reminder_is_ten_local_on_20_march_in_every_zone(
    zone: ZoneInfo, expected: datetime
) -> None:
    assert next_due(SPRING, utc(2026, 12, 1), zone) == expected


def test_next_year_once_this_years_moment_has_passed() -> None:
    assert next_due(SPRING, utc(2027, 3, 20, 9, 0), BERLIN) == utc(2028, 3, 20, 9, 0)
    assert next_due(SPRING, utc(2027, 3, 20, 8, 59), BERLIN) == utc(2027, 3, 20, 9, 0)


def test_a_pinned_year_waits_for_that_year() -> None:
    rule = Yearly(4, 15, time(9, 30), first_year=2028)
    assert next_due(rule, utc(2026, 12, 1), BERLIN) == utc(2028, 4, 15, 7, 30)


def test_a_time_skipped_by_daylight_saving_fires_at_the_next_valid_minute() -> None:
    # Berlin, 29 March 2026: 02:00 CET jumps to 03:00 CEST; 02:30 never happens.
    rule = Yearly(3, 29, time(2, 30))
    due = next_due(rule, utc(2026, 1, 1), BERLIN)
    assert due == utc(2026, 3, 29, 1, 0)
    assert due.astimezone(BERLIN).strftime("%H:%M %Z") == "03:00 CEST"


def test_a_time_that_occurs_twice_fires_once_at_the_first() -> None:
    # Berlin, 25 October 2026: 03:00 CEST goes back to 02:00 CET; 02:30 happens twice.
    rule = Daily(time(2, 30))
    first = next_due(rule, utc(2026, 10, 24, 12, 0), BERLIN)
    assert first == utc(2026, 10, 25, 0, 30)  # 02:30 CEST
    after = next_due(rule, first, BERLIN)
    assert after == utc(2026, 10, 26, 1, 30), "not again at 02:30 CET the same night"
    assert period_key("nudge", rule, first, BERLIN) != period_key("nudge", rule, after, BERLIN)


def test_new_york_spring_forward_and_fall_back() -> None:
    # 14 March 2027: 02:00 EST jumps to 03:00 EDT. 7 November: 02:00 EDT back to 01:00 EST.
    skipped = Daily(time(2, 15))
    assert next_due(skipped, utc(2027, 3, 14, 0, 0), NEW_YORK) == utc(2027, 3, 14, 7, 0)  # 03:00
    twice = Daily(time(1, 30))
    first = next_due(twice, utc(2027, 11, 7, 0, 0), NEW_YORK)
    assert first == utc(2027, 11, 7, 5, 30)  # 01:30 EDT
    assert next_due(twice, first, NEW_YORK) == utc(2027, 11, 8, 6, 30)  # not 01:30 EST


@pytest.mark.parametrize(
    ("after", "expected"),
    [
        (utc(2027, 1, 1), utc(2027, 2, 28, 9, 0)),
        (utc(2027, 3, 1), utc(2028, 2, 29, 9, 0)),
        (utc(2028, 3, 1), utc(2029, 2, 28, 9, 0)),
    ],
)
def test_29_february_fires_on_28_february_in_other_years(
    after: datetime, expected: datetime
) -> None:
    assert next_due(Yearly(2, 29, time(10, 0)), after, BERLIN) == expected


def test_weekly_on_monday_and_monthly_on_the_first() -> None:
    monday_nine = Weekly(0, time(9, 0))
    due = next_due(monday_nine, utc(2026, 12, 1, 12, 0), BERLIN)  # a Tuesday
    assert due == utc(2026, 12, 7, 8, 0)
    assert due.astimezone(BERLIN).weekday() == 0
    assert next_due(Monthly(time(9, 0)), utc(2026, 12, 1, 12, 0), BERLIN) == utc(2027, 1, 1, 8)


@pytest.mark.parametrize(
    ("kind", "rule", "due", "key"),
    [
        ("yearly", SPRING, utc(2027, 3, 20, 9), "yearly-2027"),
        ("summary", Weekly(0, time(9)), utc(2027, 3, 15, 8), "summary-2027-W11"),
        ("summary", Monthly(time(9)), utc(2027, 3, 1, 8), "summary-2027-03"),
        ("nudge", Daily(time(12, 30)), utc(2027, 3, 1, 11, 30), "nudge-2027-03-01"),
        # The period is the person's local date, not UTC's.
        ("nudge", Daily(time(0, 30)), utc(2027, 2, 28, 23, 30), "nudge-2027-03-01"),
    ],
)
def test_period_keys_name_the_local_period(
    kind: str, rule: Weekly | Yearly | Monthly | Daily, due: datetime, key: str
) -> None:
    assert period_key(kind, rule, due, BERLIN) == key


def test_a_summary_missed_while_down_is_sent_once_the_latest_only() -> None:
    rule = Weekly(0, time(9, 0))
    due = utc(2027, 3, 1, 8, 0)  # Monday; the bot was down for two weeks and a day
    now = utc(2027, 3, 16, 10, 0)
    occurrence, send = catch_up(rule, due, now, BERLIN)
    assert occurrence == utc(2027, 3, 15, 8, 0) and send


def test_a_yearly_reminder_is_sent_late_within_14_days_and_skipped_after() -> None:
    due = utc(2027, 3, 20, 9, 0)
    assert catch_up(SPRING, due, due + timedelta(days=13), BERLIN) == (due, True)
    assert catch_up(SPRING, due, due + timedelta(days=15), BERLIN) == (due, False)


def test_local_moment_ignores_seconds() -> None:
    assert local_moment(utc(2027, 1, 1).date(), time(10, 0, 59), BERLIN) == utc(2027, 1, 1, 9)
