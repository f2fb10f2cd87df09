"""The sweep: one job, every minute, sends whatever schedules have fallen due.

APScheduler (through python-telegram-bot's JobQueue) only wakes the sweep; the
schedules themselves live in SQLite (storage/schedules.py). Each occurrence is
claimed before it is sent, so a restart, a crash or two overlapping sweeps never
send one twice; a send that fails for a passing reason is given back and retried.
"""

from __future__ import annotations

import asyncio
import io
import logging
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from telegram import InputFile
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter

from bot import live_card
from bot.context import KeepcutApp, KeepcutContext
from bot.schedules.compose import Outgoing, prepare
from bot.telegram_io import is_blocked
from storage import schedules, users
from storage.schedules import Schedule
from storage.store import Store

log = logging.getLogger(__name__)

BATCH = 1000  # due schedules read at a time
IN_FLIGHT = 30  # sends under way at once: enough to keep Telegram's 30 a second busy


@dataclass(slots=True)
class SweepReport:
    """What one sweep did, for the log and for tests."""

    sent: int = 0
    skipped: int = 0
    retried: int = 0
    blocked: int = 0
    failed: int = 0


def seconds_to_next_minute(now: datetime) -> float:
    """How long until the start of the next minute (due times fall on whole minutes)."""
    return 60 - now.second - now.microsecond / 1e6


async def sweep_job(context: KeepcutContext) -> None:
    """The JobQueue callback: sweep at the clock's current time."""
    report = await run_sweep(context.application, context.clock.now())
    if report.sent or report.retried or report.blocked or report.failed:
        log.info("sweep: %s", report)


async def run_sweep(app: KeepcutApp, now: datetime) -> SweepReport:
    """Send everything due by `now`; returns what happened."""
    lock: asyncio.Lock = app.bot_data.setdefault("sweep_lock", asyncio.Lock())
    report = SweepReport()
    if lock.locked():
        return report  # the sweep before is still sending; it reads what is due again
    async with lock:
        store: Store = app.bot_data["store"]
        slots = asyncio.Semaphore(IN_FLIGHT)

        async def one(schedule: Schedule) -> None:
            async with slots:
                await _deliver(app, store, schedule, now, report)

        while True:
            due = await store.run(schedules.due, now, BATCH)
            await asyncio.gather(*(one(s) for s in due))
            if len(due) < BATCH:
                return report


async def _deliver(
    app: KeepcutApp, store: Store, schedule: Schedule, now: datetime, report: SweepReport
) -> None:
    """Claim, send and record one person's due message."""
    try:
        out = await store.run(prepare, schedule, now)
    except Exception:
        # One person's broken data must not stop everyone else's messages.
        log.exception("user %s: preparing %s failed", schedule.user_id, schedule.kind)
        report.failed += 1
        return
    if out is None:
        report.skipped += 1
        return
    try:
        await _send(app, store, out)
    except RetryAfter, NetworkError as exc:  # noqa: E999 - see below
        raise
