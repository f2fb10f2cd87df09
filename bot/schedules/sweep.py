"""The sweep: one job, every minute, sends whatever schedules have fallen due.

APScheduler (through python-telegram-bot's JobQueue) only wakes the sweep; the
schedules themselves live in SQLite (storage/schedules.py). Each occurrence is
claimed before it is sent, so a restart, a crash or two overlapping sweeps never
send one twice; a send that fails for a passing reason is given back and retried.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime

from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter

from bot import live_card
from bot.charts import draw_chart, send_chart
from bot.context import KeepcutApp, KeepcutContext, reload_person
from bot.schedules.compose import Outgoing, prepare
from storage import schedules, users
from storage.schedules import Schedule
from storage.store import Store

log = logging.getLogger(__name__)

BATCH = 1000  # due schedules read at a time
IN_FLIGHT = 10  # sends under way at once: 30 a second needs 3 at 100 ms a round trip
SWEEP_DELAY = 0.2  # seconds after each minute starts


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
    report = await run_sweep(context.app, context.clock.now())
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
        await _send(app, store, out, now)
    except Forbidden as exc:
        # The person blocked the bot (or left): nothing more goes to them until they
        # write again (the gate clears the mark). Everyone else is unaffected.
        log.info("user %s: %s not sent, blocked (%s)", out.user.user_id, out.period, exc)
        await store.run(users.set_blocked, out.user.user_id, True)
        reload_person(app, out.user.user_id)
        await store.run(
            schedules.finish, out.user.user_id, out.schedule.kind, out.period, "skipped"
        )
        report.blocked += 1
    except BadRequest as exc:
        # Telegram refused this message itself: trying again would fail again.
        log.error("user %s: %s refused by Telegram: %s", out.user.user_id, out.period, exc)
        await store.run(
            schedules.finish, out.user.user_id, out.schedule.kind, out.period, "skipped"
        )
        report.failed += 1
    except (RetryAfter, NetworkError) as exc:
        # Passing: flood control after its retries, a network failure. The next sweep
        # tries again (the claim is given back).
        log.warning("user %s: %s not sent yet (%s); retrying", out.user.user_id, out.period, exc)
        await store.run(schedules.release, out.schedule, out.period, out.next_due)
        report.retried += 1
    else:
        await store.run(
            schedules.finish, out.user.user_id, out.schedule.kind, out.period, "sent",
            out.fingerprint,
        )  # fmt: skip
        if out.then_stop:
            await store.run(schedules.set_active, out.user.user_id, out.schedule.kind, False)
        # Preparing it may have changed their row (the re-check's start, the live card).
        reload_person(app, out.user.user_id)
        report.sent += 1


async def _send(app: KeepcutApp, store: Store, out: Outgoing, now: datetime) -> None:
    """Put one scheduled message in the person's chat."""
    bot, user = app.bot, out.user
    if out.card is not None:
        # The daily card becomes the person's live card, as /review's would.
        await live_card.present(bot, store, user, out.card, None, now)
        return
    if out.chart:
        png = await draw_chart(store, user, now)
        await send_chart(bot, user.chat_id, png, out.text, out.markup)
        return
    await bot.send_message(user.chat_id, out.text, reply_markup=out.markup)
