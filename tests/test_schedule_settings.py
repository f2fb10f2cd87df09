"""What people type after /remind, /nudge and /timezone, read as dates, times and zones."""

from __future__ import annotations

from datetime import time

import pytest

from bot.schedules.parse import Bad, RemindAt, parse_remind, parse_time
from bot.schedules.zones import Found, NotFound, find_zone, likely_zones
from storage.zones import to_tzinfo


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("15 April 9:30", RemindAt(4, 15, time(9, 30), None)),
        ("April 15 09:30", RemindAt(4, 15, time(9, 30), None)),
        ("04-15 09:30", RemindAt(4, 15, time(9, 30), None)),
        ("15.04 9:30", RemindAt(4, 15, time(9, 30), None)),
        ("2027-04-15 09:30", RemindAt(4, 15, time(9, 30), 2027)),
        ("15 April", RemindAt(4, 15, None, None)),
        ("15th Apr 7pm", RemindAt(4, 15, time(19, 0), None)),
        ("Mar 20, 10:00", RemindAt(3, 20, time(10, 0), None)),
        ("29 February 8:00", RemindAt(2, 29, time(8, 0), None)),
    ],
)
def test_reminder_dates_in_the_ways_people_write_them(typed: str, expected: RemindAt) -> None:
    assert parse_remind(typed.split()) == expected


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("31 April", "that month has no day 31"),
        ("13-40", "no month 13"),
        ("15 April 25:00", "not a time of day"),
        ("15 April soon", "not a time of day"),
        ("April", "needs a day and a month"),
        ("tomorrow", "not a date"),
        ("2027-02-29", "that month has no day 29"),
    ],
)
def test_reminder_input_that_is_no_date_says_what_is_wrong(typed: str, problem: str) -> None:
    result = parse_remind(typed.split())
    assert isinstance(result, Bad) and problem in result.problem


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("12:30", time(12, 30)),
        ("9", time(9, 0)),
        ("9.30", time(9, 30)),
        ("21h15", time(21, 15)),
        ("7pm", time(19, 0)),
        ("12am", time(0, 0)),
        ("12:15 pm", time(12, 15)),
    ],
)
def test_times_of_day(typed: str, expected: time) -> None:
    assert parse_time(typed) == expected


@pytest.mark.parametrize("typed", ["24:00", "13pm", "12:60", "noonish", ""])
def test_what_is_no_time_of_day(typed: str) -> None:
    assert isinstance(parse_time(typed), Bad)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Europe/Berlin", Found("Europe/Berlin")),
        ("berlin", Found("Europe/Berlin")),
        ("new york", Found("America/New_York")),
        ("New_York", Found("America/New_York")),
        ("munich", Found("Europe/Berlin")),
        ("UTC", Found("UTC")),
        ("UTC+2", Found("UTC+02:00", fixed_offset=True)),
        ("+05:30", Found("UTC+05:30", fixed_offset=True)),
        ("gmt-3", Found("UTC-03:00", fixed_offset=True)),
        ("UTC+0", Found("UTC")),
    ],
)
def test_zones_by_name_city_or_offset(typed: str, expected: Found) -> None:
    assert find_zone(typed) == expected


def test_an_unknown_zone_gets_close_suggestions() -> None:
    result = find_zone("Neu York")
    assert isinstance(result, NotFound) and "America/New_York" in result.suggestions
    nothing = find_zone("qqqqqq")
    assert isinstance(nothing, NotFound) and nothing.suggestions == ()
    assert isinstance(find_zone("UTC+15"), NotFound), "no zone is 15 hours from UTC"


def test_zones_offered_by_telegram_language() -> None:
    assert likely_zones("de")[0] == "Europe/Berlin"
    assert likely_zones("pt-BR")[0] == "America/Sao_Paulo"
    assert likely_zones(None) and likely_zones("xx") == likely_zones(None)


def test_stored_offsets_and_unknown_names_as_zones() -> None:
    assert str(to_tzinfo("UTC+05:30")) == "UTC+05:30"
    assert to_tzinfo("UTC-03:00").utcoffset(None).total_seconds() == -3 * 3600  # type: ignore[union-attr]
    assert str(to_tzinfo("Mars/Olympus")) == "UTC"
