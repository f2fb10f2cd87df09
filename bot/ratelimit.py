"""Keep within Telegram's flood limits, and when told to wait, wait only where it matters."""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

log = logging.getLogger(__name__)

JSONDict = dict[str, Any]
Callback = Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]]

# Methods that put a new message in a chat: Telegram allows about one a second per chat.
_NEW_MESSAGE_PREFIXES = ("send", "copymessage", "forwardmessage")
_NOT_MESSAGES = frozenset({"sendchataction"})
# Everything that goes to a chat counts towards the 30 a second in all, edits included.
_CHAT_PREFIXES = (*_NEW_MESSAGE_PREFIXES, "edit")


class Window:
    """At most `limit` requests in any one second, as Telegram counts them.

    A sliding window rather than a bucket: a bucket lets a burst through on top of its
    steady rate, which Telegram sees as too many in one second and refuses with 429s.
    Turns go first come, first served: when more wait than the window lets through, none
    is overtaken again and again by later ones (with 200 people tapping, that left a few
    cards unedited for over 30 s while the median waited 4).
    """

    def __init__(self, limit: int) -> None:
        self._limit = max(1, limit)
        self._times: deque[float] = deque()
        self._queue = asyncio.Lock()  # asyncio's lock wakes its waiters in order

    async def wait_turn(self) -> None:
        """Wait until one more request keeps the last second within the limit; claim it."""
        loop = asyncio.get_running_loop()
        async with self._queue:
            while True:
                now = loop.time()
                while self._times and now - self._times[0] >= 1.0:
                    self._times.popleft()
                if len(self._times) < self._limit:
                    self._times.append(now)
                    return
                await asyncio.sleep(self._times[0] + 1.0 - now)


class ChatPacer:
    """Space the messages of each chat: one a second in private, one per 3 s in groups."""

    # A little over Telegram's limits: the server times arrivals, not our sends.
    def __init__(self, private_interval: float = 1.1, group_interval: float = 3.1) -> None:
        self._intervals = (private_interval, group_interval)
        self._next: dict[int | str, float] = {}

    def _interval(self, chat_id: int | str) -> float:
        """Telegram's spacing for this kind of chat (negative ids are groups)."""
        return self._intervals[1] if str(chat_id).startswith("-") else self._intervals[0]

    async def wait_turn(self, chat_id: int | str) -> None:
        """Wait until the chat may receive a new message, and claim that slot."""
        loop = asyncio.get_running_loop()
        while (delay := self._next.get(chat_id, 0.0) - loop.time()) > 0:
            await asyncio.sleep(delay)
        self.note(chat_id)

    def note(self, chat_id: int | str) -> None:
        """Count a message (an edit, say) towards the chat's pace without waiting."""
        now = asyncio.get_running_loop().time()
        if len(self._next) > 4096:
            self._next = {k: t for k, t in self._next.items() if t > now}
        self._next[chat_id] = max(self._next.get(chat_id, 0.0), now + self._interval(chat_id))


class ChatRateLimiter(BaseRateLimiter[int]):
    """New messages paced per chat; everything for a chat under about 30 a second in all.

    Edits answer a person's own tap and wait for no one in their chat (a card must feel
    instant), but they count towards the chat's pace, so the next new message keeps its
    distance, and towards the 30 a second in all, so many people tapping at once are
    spaced the way Telegram counts instead of refused. On a 429 only the request that
    got it waits `retry_after` and tries again (up to `max_retries` times): one person's
    burst never pauses everyone else's cards, as python-telegram-bot's AIORateLimiter
    would.
    """

    def __init__(
        self,
        max_retries: int = 3,
        overall_per_second: float = 29.0,
        private_interval: float = 1.1,
        group_interval: float = 3.1,
    ) -> None:
        self._max_retries = max_retries
        self._overall = Window(int(overall_per_second))
        self._pacer = ChatPacer(private_interval, group_interval)

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to tear down."""

    async def _send(
        self, callback: Callback, args: Any, kwargs: dict[str, Any], method: str, chat_id: Any
    ) -> bool | JSONDict | list[JSONDict]:
        """One attempt: a new message waits for its chat's turn; all wait the overall one."""
        if chat_id is not None and method.startswith(_CHAT_PREFIXES):
            if method.startswith("edit"):
                self._pacer.note(chat_id)
            elif method not in _NOT_MESSAGES:
                await self._pacer.wait_turn(chat_id)
            await self._overall.wait_turn()
        return await callback(*args, **kwargs)

    async def process_request(
        self,
        callback: Callback,
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | JSONDict | list[JSONDict]:
        """Pace the request, send it, and retry it after a 429 as Telegram asks."""
        retries = rate_limit_args if rate_limit_args is not None else self._max_retries
        for attempt in range(retries + 1):
            try:
                return await self._send(
                    callback, args, kwargs, endpoint.lower(), data.get("chat_id")
                )
            except RetryAfter as exc:
                if attempt == retries:
                    raise
                after = exc.retry_after
                wait = after.total_seconds() if isinstance(after, timedelta) else float(after)
                log.info("flood control on %s: retrying in %.1fs", endpoint, wait)
                await asyncio.sleep(wait + 0.1)
        raise AssertionError("unreachable")
