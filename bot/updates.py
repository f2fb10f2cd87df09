"""Updates run concurrently across people, one at a time for each person, fairly.

Each person's updates wait in their own line, holding nothing while they wait: one
person sending hundreds of messages lengthens only their own line, and everyone
else's updates go straight through. Within a line, button presses go first (a press
is answered within Telegram's 15 seconds even behind a pile of paced replies), and
each kind keeps its order, so a double tap is handled after the first tap committed.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Coroutine
from dataclasses import dataclass, field
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

log = logging.getLogger(__name__)

# python-telegram-bot counts every update from the moment it arrives, waiting or not;
# waiting is free here, so its limit only bounds memory.
ARRIVING = 100_000
RUNNING = 64  # updates being handled at once, across different people
# What one person may have waiting: more than this from a flood is dropped. Messages
# are few (each answer is paced about a second apart per chat, so ten take ten seconds);
# presses are answered by edits, which are not paced.
OTHERS_LINE = 10
PRESSES_LINE = 50

Job = tuple[Awaitable[Any], asyncio.Future[None]]


@dataclass(slots=True)
class _Line:
    """One person's waiting updates: presses, then everything else."""

    presses: deque[Job] = field(default_factory=deque)
    others: deque[Job] = field(default_factory=deque)
    busy: bool = False

    def next(self) -> Job | None:
        """The next update to handle, presses first."""
        if self.presses:
            return self.presses.popleft()
        return self.others.popleft() if self.others else None


class PerPersonUpdateProcessor(BaseUpdateProcessor):
    """Serialise each person's updates in a line of their own; people run in parallel."""

    def __init__(self, running: int = RUNNING) -> None:
        super().__init__(ARRIVING)
        self._running = asyncio.Semaphore(running)
        self._lines: dict[int, _Line] = {}
        self.handling = 0
        """Updates being handled right now (not counting those waiting in a line)."""

    @staticmethod
    def _key(update: object) -> int:
        """The person (or, failing that, the chat) an update belongs to."""
        if isinstance(update, Update):
            if update.effective_user:
                return update.effective_user.id
            if update.effective_chat:
                return update.effective_chat.id
        return 0

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Queue the update in its person's line; the first waiting update runs the line."""
        key = self._key(update)
        line = self._lines.setdefault(key, _Line())
        press = isinstance(update, Update) and update.callback_query is not None
        queue, limit = (line.presses, PRESSES_LINE) if press else (line.others, OTHERS_LINE)
        if len(queue) >= limit:
            # A flood: the person already has a full line; this one is not handled.
            log.info("dropped update %s: %s has %s waiting", _id(update), key, len(queue))
            if isinstance(coroutine, Coroutine):
                coroutine.close()
            return
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        queue.append((coroutine, done))
        if line.busy:
            await done  # the update at the head of this line runs ours in turn
            return
        line.busy = True
        try:
            while (job := line.next()) is not None:
                await self._run(*job)
        finally:
            line.busy = False
            # Cancelled (the bot stopping): what still waits will not run now.
            while (job := line.next()) is not None:
                if isinstance(job[0], Coroutine):
                    job[0].close()
                job[1].cancel()
            self._lines.pop(key, None)

    async def _run(self, coroutine: Awaitable[Any], done: asyncio.Future[None]) -> None:
        """Handle one update while holding one of the running slots."""
        try:
            async with self._running:
                self.handling += 1
                try:
                    await coroutine
                finally:
                    self.handling -= 1
        except Exception:
            # The application reports handler errors itself; this is anything else.
            log.exception("an update failed outside its handlers")
        finally:
            if not done.done():
                done.set_result(None)

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to tear down."""


def _id(update: object) -> object:
    """An update's id for the log (never its contents)."""
    return update.update_id if isinstance(update, Update) else type(update).__name__


def handling_alone(processor: BaseUpdateProcessor) -> bool:
    """Whether the update being handled is the only one (no one else is waiting on us)."""
    return not isinstance(processor, PerPersonUpdateProcessor) or processor.handling <= 1
