"""Who has an import running, and how many each person started lately.

One import at a time per person (a second upload is told to wait), and at most
`PER_HOUR` an hour: reading an export is the costliest thing a person can make the
bot do, so one person's uploads in a loop must not take everyone else's time.
"""

from __future__ import annotations

import asyncio
from collections import deque
from datetime import datetime, timedelta

PER_HOUR = 10
HOUR = timedelta(hours=1)
# Exports read and merged at once, across everyone: each waits in memory (file and
# parsed rows) until the one database thread takes it, so a burst of uploads must not
# pile up hundreds of them; the rest wait their turn, still shown "Reading…".
AT_ONCE = 2


class RunningImports:
    """The people whose upload is being imported right now, and when each began."""

    def __init__(self, per_hour: int = PER_HOUR) -> None:
        self._running: set[int] = set()
        self._started: dict[int, deque[datetime]] = {}
        self._per_hour = per_hour
        self.turns = asyncio.Semaphore(AT_ONCE)
        """Held while one export is downloaded, read and merged."""

    def try_hold(self, user_id: int) -> bool:
        """Take this person's one import slot (False if taken), without counting an import."""
        if user_id in self._running:
            return False
        self._running.add(user_id)
        return True

    def try_begin(self, user_id: int, now: datetime) -> bool:
        """Start an import: take the slot and count it; False if one is running already."""
        if not self.try_hold(user_id):
            return False
        self._recent(user_id, now)
        self._started.setdefault(user_id, deque()).append(now)
        return True

    def next_allowed(self, user_id: int, now: datetime) -> datetime | None:
        """When this person may start another import, if the hourly limit stops them now."""
        recent = self._recent(user_id, now)
        return recent[0] + HOUR if len(recent) >= self._per_hour else None

    def end(self, user_id: int) -> None:
        """Give this person's slot back."""
        self._running.discard(user_id)

    def _recent(self, user_id: int, now: datetime) -> deque[datetime]:
        """This person's import starts within the last hour, oldest first."""
        starts = self._started.get(user_id)
        if starts is None:
            return deque()
        while starts and now - starts[0] >= HOUR:
            starts.popleft()
        if not starts:
            del self._started[user_id]  # memory only for the people importing lately
        return starts
