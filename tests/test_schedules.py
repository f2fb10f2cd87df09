"""Scheduled messages with a controlled clock: exactly once, catch-up, blocked people,
no repeated summaries, the daily card pausing. The sweep is called with the time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot import texts
from bot.clock import OffsetClock
from bot.context import KeepcutApp
from bot.schedules import compose
from bot.schedules.sweep import run_sweep
from storage import privacy, schedules, users
from storage.store import Store
from tests.conftest import RunningBot
from tests.export_samples import current_connections, people
from tests.telegram_server import TelegramServer
from tests.user import TelegramUser

ADA, BEN = 1001, 1002
START = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)  # a Monday
SPRING = datetime(2027, 3, 20, 10, 0, tzinfo=UTC)  # the default reminder, in UTC


async def imported(user: TelegramUser, count: int = 6) -> None:
    """Send an export of `count` people and wait for the answer."""
    await user.send_document(current_connections(people(count)), "Connections.csv")
    status = await user.next_message(timeout=10)
    await user.wait_for_edit(status, timeout=10)


async def only(app: KeepcutApp, user_id: int, kind: schedules.Kind) -> None:
    """Switch off this person's other schedules, so one kind is tested at a time."""
    for other in schedules.KINDS:
        if other != kind:
            await store_of(app).run(schedules.set_active, user_id, other, False)


async def started(
    server: TelegramServer, running: RunningBot, kind: schedules.Kind
) -> tuple[KeepcutApp, TelegramUser]:
    """The bot started, Ada's export read, and only her `kind` schedule on."""
    app = await running.start()
    ada = server.user(ADA, "Ada")
    await imported(ada)
    await only(app, ADA, kind)
    return app, ada


async def due_of(app: KeepcutApp, kind: schedules.Kind, now: datetime) -> schedules.Schedule:
    """Ada's one schedule of this kind that the sweep would find due at `now`."""
    (due,) = [s for s in await store_of(app).run(schedules.due, now) if s.kind == kind]
    return due


def store_of(app: KeepcutApp) -> Store:
    """The running bot's store."""
    return app.bot_data["store"]


def deliveries(app: KeepcutApp, user_id: int) -> list[tuple[str, str]]:
    """(period, status) of every delivery row of this person, oldest first."""
    rows = store_of(app).call(
        lambda db: db.execute(
            "SELECT period, status FROM deliveries WHERE user_id = ? ORDER BY id", [user_id]
        ).fetchall()
    )
    return [(period, status) for period, status in rows]


async def test_the_yearly_reminder_comes_once_across_a_restart(
    server: TelegramServer, running: RunningBot
) -> None:
    app, ada = await started(server, running, "yearly")
    assert (await run_sweep(app, SPRING - timedelta(seconds=1))).sent == 0, "never early"
    report = await run_sweep(app, SPRING + timedelta(seconds=2))
    assert report.sent == 1
    reminder = await ada.next_message()
    assert reminder.photo is not None, "the chart comes with it"
    assert "Spring-cleaning time" in reminder.text and "6 connections" in reminder.text
    await running.stop()
    app = await running.start()
    assert (await run_sweep(app, SPRING + timedelta(seconds=30))).sent == 0
    await ada.expect_no_message(0.3)
    assert deliveries(app, ADA) == [("yearly-2027", "sent")]


async def test_a_reminder_missed_while_down_comes_once_within_14_days(
    server: TelegramServer, running: RunningBot
) -> None:
    app, ada = await started(server, running, "yearly")
    await running.stop()
    app = await running.start()  # back after ten days down
    assert (await run_sweep(app, SPRING + timedelta(days=10))).sent == 1
    assert "Spring-cleaning time" in (await ada.next_message()).text
    assert (await run_sweep(app, SPRING + timedelta(days=10, minutes=1))).sent == 0
    due = (await store_of(app).run(schedules.schedules_of, ADA))["yearly"].next_due
    assert due == datetime(2028, 3, 20, 10, 0, tzinfo=UTC)


async def test_a_reminder_more_than_14_days_late_is_skipped(
    server: TelegramServer, running: RunningBot
) -> None:
    app, ada = await started(server, running, "yearly")
    report = await run_sweep(app, SPRING + timedelta(days=15))
    assert report.sent == 0 and report.skipped >= 1
    await ada.expect_no_message(0.3)
    assert ("yearly-2027", "skipped") in deliveries(app, ADA)
    due = (await store_of(app).run(schedules.schedules_of, ADA))["yearly"].next_due
    assert due == datetime(2028, 3, 20, 10, 0, tzinfo=UTC)


async def test_a_person_who_blocked_the_bot_is_marked_and_the_others_get_theirs(
    server: TelegramServer, running: RunningBot
) -> None:
    app = await running.start()
    ada, ben = server.user(ADA, "Ada"), server.user(BEN, "Ben")
    await imported(ada)
    await only(app, ADA, "yearly")
    await imported(ben)
    await only(app, BEN, "yearly")
    ben.block(notify=False)
    report = await run_sweep(app, SPRING + timedelta(seconds=2))
    assert (report.sent, report.blocked) == (1, 1)
    assert "Spring-cleaning time" in (await ada.next_message()).text
    assert (await store_of(app).run(users.get_user, BEN)).blocked  # type: ignore[union-attr]
    later = await store_of(app).run(schedules.due, SPRING + timedelta(days=400))
    assert [s.user_id for s in later] == [ADA], "nothing more goes to someone who blocked"
    ben.unblock(notify=False)
    await ben.send("/start")
    await ben.next_message()
    assert not (await store_of(app).run(users.get_user, BEN)).blocked  # type: ignore[union-attr]


async def test_a_summary_is_not_repeated_when_nothing_changed(
    server: TelegramServer, running: RunningBot
) -> None:
    app, ada = await started(server, running, "summary")
    monday = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
    assert (await run_sweep(app, monday)).sent == 1
    summary = await ada.next_message()
    assert "weekly keepcut summary" in summary.text and "0 of 6" in summary.text
    assert (await run_sweep(app, monday + timedelta(days=7))).sent == 0, "nothing new: silence"
    await ada.expect_no_message(0.3)
    await ada.send("/review")
    card = await ada.next_message()
    await ada.press(card, texts.BUTTON_KEEP)
    await ada.wait_for_edit(card)
    assert (await run_sweep(app, monday + timedelta(days=14))).sent == 1
    assert "1 of 6" in (await ada.next_message()).text
    assert [p for p, s in deliveries(app, ADA) if s == "sent"] == [
        "summary-2026-W50",
        "summary-2026-W52",
    ]


async def test_the_daily_card_pauses_after_three_unanswered(
    server: TelegramServer, running: RunningBot
) -> None:
    app, ada = await started(server, running, "nudge")
    await ada.send("/nudge 12:30")
    await ada.next_message()
    await ada.next_message()  # the time-zone question, asked once
    first = datetime(2026, 12, 2, 12, 30, tzinfo=UTC)
    for day in range(3):
        assert (await run_sweep(app, first + timedelta(days=day))).sent == 1
        card = await ada.next_message()
        assert card.button(texts.BUTTON_KEEP), "the daily card is a review card"
    assert (await run_sweep(app, first + timedelta(days=3))).sent == 1
    assert (await ada.next_message()).text == texts.NUDGE_PAUSED
    assert (await run_sweep(app, first + timedelta(days=4))).sent == 0
    nudge = (await store_of(app).run(schedules.schedules_of, ADA))["nudge"]
    assert not nudge.active


async def test_an_answered_daily_card_keeps_coming(
    server: TelegramServer, running: RunningBot
) -> None:
    first = datetime(2026, 12, 2, 12, 30, tzinfo=UTC)
    clock = OffsetClock(first - timedelta(hours=1))
    app = await running.start(clock=clock)
    ada = server.user(ADA, "Ada")
    await imported(ada)
    await only(app, ADA, "nudge")
    await ada.send("/nudge 12:30")
    await ada.next_message()
    await ada.next_message()  # the time-zone question
    for day in range(5):
        clock.jump(first + timedelta(days=day, seconds=1) - clock.now())
        assert (await run_sweep(app, clock.now())).sent == 1
        card = await ada.next_message()
        await ada.press(card, texts.BUTTON_KEEP)
        await ada.wait_for_edit(card)


async def test_a_send_that_fails_for_a_passing_reason_is_retried(
    server: TelegramServer, running: RunningBot
) -> None:
    app, ada = await started(server, running, "yearly")
    server.fail_next("sendPhoto", 502, times=1)
    report = await run_sweep(app, SPRING + timedelta(seconds=2))
    assert (report.sent, report.retried) == (0, 1)
    assert await run_sweep(app, SPRING + timedelta(minutes=1)) is not None
    assert "Spring-cleaning time" in (await ada.next_message()).text
    assert deliveries(app, ADA) == [("yearly-2027", "sent")]


async def test_a_crash_between_claim_and_send_never_sends_twice(
    server: TelegramServer, running: RunningBot
) -> None:
    app, ada = await started(server, running, "yearly")
    now = SPRING + timedelta(seconds=2)
    due = await due_of(app, "yearly", now)
    assert await store_of(app).run(compose.prepare, due, now) is not None  # claimed; "crash"
    await running.stop()
    app = await running.start()
    assert (await run_sweep(app, now + timedelta(minutes=1))).sent == 0
    await ada.expect_no_message(0.3)
    assert deliveries(app, ADA) == [("yearly-2027", "claimed")]


async def test_a_person_who_forgot_after_the_sweep_read_the_due_list_gets_nothing(
    server: TelegramServer, running: RunningBot
) -> None:
    app, _ = await started(server, running, "yearly")
    now = SPRING + timedelta(seconds=2)
    due = await due_of(app, "yearly", now)
    await store_of(app).run(privacy.forget, ADA)  # /forget, while the sweep is under way
    assert await store_of(app).run(compose.prepare, due, now) is None
    assert deliveries(app, ADA) == []
