"""Stored time-zone names as tzinfo: an IANA name ("Europe/Berlin") or "UTC+05:30"."""

from __future__ import annotations

import functools
import re
from datetime import UTC, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_OFFSET = re.compile(r"^UTC([+-])(\d{2}):(\d{2})$")


def offset_name(minutes: int) -> str:
    """The stored name of a fixed offset: "UTC+05:30"."""
    sign = "-" if minutes < 0 else "+"
    hours, mins = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{mins:02d}"


@functools.lru_cache(maxsize=1024)
def to_tzinfo(name: str) -> tzinfo:
    """The zone a stored name stands for; UTC if this system does not know it."""
    match = _OFFSET.match(name)
    if match:
        sign, hours, minutes = match.groups()
        delta = timedelta(hours=int(hours), minutes=int(minutes))
        return timezone(-delta if sign == "-" else delta, name)
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC
