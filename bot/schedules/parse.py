"""Pure parsing of what people type after /remind, /summary and /nudge."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time

MONTH_NAMES = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}  # fmt: skip

_TIME = re.compile(r"^(\d{1,2})(?:[:.h](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?$", re.ASCII)
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$", re.ASCII)
_MONTH_DAY = re.compile(r"^(\d{1,2})-(\d{1,2})$", re.ASCII)  # 04-15
_DAY_MONTH = re.compile(r"^(\d{1,2})[./](\d{1,2})\.?$", re.ASCII)  # 15.04, 15/04
_ORDINAL = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\.?,?$", re.ASCII)


@dataclass(frozen=True, slots=True)
class Bad:
    """What was wrong with the input, in words for the person."""

    problem: str


@dataclass(frozen=True, slots=True)
class RemindAt:
    """A new yearly date, and a time and first year if given."""

    month: int
    day: int
    at: time | None
    year: int | None


def parse_time(text: str) -> time | Bad:
    """'9:30', '09:30', '9.30', '21h30', '9', '9am', '9:30 pm' as a time of day."""
    match = _TIME.match(text.strip().lower())
    if not match:
        return Bad(f"“{text}” is not a time of day")
    hour, minute = int(match[1]), int(match[2] or 0)
    if match[3]:
        if not 1 <= hour <= 12:
            return Bad(f"“{text}”: with am/pm the hour is 1 to 12")
        hour = hour % 12 + (12 if match[3].startswith("p") else 0)
    if hour > 23 or minute > 59:
        return Bad(f"“{text}” is not a time of day (hours 0-23, minutes 0-59)")
    return time(hour, minute)


def _check_date(month: int, day: int, year: int | None, shown: str) -> RemindAt | Bad:
    """A real calendar date (29 February allowed: it falls on the 28th in other years)."""
    if not 1 <= month <= 12:
        return Bad(f"“{shown}” has no month {month}")
    try:
        date(year or 2028, month, day)  # 2028 is a leap year: 29 February exists
    except ValueError:
        return Bad(f"“{shown}” is not a date: that month has no day {day}")
    return RemindAt(month, day, None, year)


def parse_date(words: list[str]) -> tuple[RemindAt | Bad, list[str]]:
    """A date from the start of `words`; returns it and the words left over."""
    if not words:
        return Bad("no date given"), words
    first = words[0].lower()
    if match := _ISO.match(first):
        year, month, day = (int(g) for g in match.groups())
        return _check_date(month, day, year, words[0]), words[1:]
    if match := _MONTH_DAY.match(first):
        return _check_date(int(match[1]), int(match[2]), None, words[0]), words[1:]
    if match := _DAY_MONTH.match(first):
        return _check_date(int(match[2]), int(match[1]), None, words[0]), words[1:]
    if len(words) >= 2:
        second = words[1].lower().rstrip(".,")
        day_first = _ORDINAL.match(first)
        if day_first and second in MONTH_NAMES:  # 15 April
            return _check_date(
                MONTH_NAMES[second], int(day_first[1]), None, " ".join(words[:2])
            ), words[2:]
        day_second = _ORDINAL.match(second)
        if first.rstrip(".,") in MONTH_NAMES and day_second:  # April 15
            month = MONTH_NAMES[first.rstrip(".,")]
            return _check_date(month, int(day_second[1]), None, " ".join(words[:2])), words[2:]
    if first.rstrip(".,") in MONTH_NAMES or (len(words) > 1 and words[1].lower() in MONTH_NAMES):
        return Bad(f"“{' '.join(words[:2])}” needs a day and a month, like 15 April"), words
    return Bad(f"“{words[0]}” is not a date"), words


def parse_remind(words: list[str]) -> RemindAt | Bad:
    """'/remind 15 April 9:30' and its variants: a date, then optionally a time."""
    when, rest = parse_date(words)
    if isinstance(when, Bad):
        return when
    if rest:
        at = parse_time(" ".join(rest))
        if isinstance(at, Bad):
            return at
        return RemindAt(when.month, when.day, at, when.year)
    return when
