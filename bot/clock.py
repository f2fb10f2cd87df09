"""The bot's clock: what time it is, for schedules and "today" (tests can set it)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


class Clock:
    """The real time, in UTC."""

    def now(self) -> datetime:
        """This moment, timezone-aware (UTC)."""
        return datetime.now(UTC)


class OffsetClock(Clock):
    """A clock that starts at a chosen moment and then runs at the real pace."""

    def __init__(self, start: datetime) -> None:
        self._offset = start.astimezone(UTC) - datetime.now(UTC)

    def now(self) -> datetime:
        """The chosen start plus the real time elapsed since."""
        return datetime.now(UTC) + self._offset

    def jump(self, delta: timedelta) -> None:
        """Move the clock forward (or back) by `delta`."""
        self._offset += delta
