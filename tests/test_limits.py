"""Per-person limits: one import at a time, ten an hour, and what the person is told."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot import texts
from bot.clock import OffsetClock
from bot.running_imports import AT_ONCE, PER_HOUR, RunningImports
from tests.conftest import RunningBot
from tests.export_samples import current_connections, people
from tests.telegram_server import TelegramServer

NOW = datetime(2027, 3, 10, 12, 0, tzinfo=UTC)


def test_ten_imports_an_hour_then_wait_until_the_first_is_an_hour_old() -> None:
    imports = RunningImports()
    for minute in range(PER_HOUR):
        at = NOW + timedelta(minutes=minute)
        assert imports.next_allowed(7, at) is None
        assert imports.try_begin(7, at)
        assert not imports.try_begin(7, at), "one at a time"
        imports.end(7)
    assert imports.next_allowed(7, NOW + timedelta(minutes=30)) == NOW + timedelta(hours=1)
    assert imports.next_allowed(8, NOW + timedelta(minutes=30)) is None, "others are free"
    assert imports.next_allowed(7, NOW + timedelta(hours=1)) is None


def test_holding_the_slot_is_not_an_import() -> None:
    imports = RunningImports(per_hour=1)
    assert imports.try_hold(7) and not imports.try_begin(7, NOW)
    imports.end(7)
    assert imports.next_allowed(7, NOW) is None


async def test_the_eleventh_upload_in_an_hour_is_told_when_to_send_it(
    server: TelegramServer, running: RunningBot
) -> None:
    await running.start(clock=OffsetClock(NOW))
    ada = server.user(1001, "Ada")
    for n in range(PER_HOUR):
        await ada.send_document(current_connections(people(2 + n)), "Connections.csv")
        status = await ada.next_message(timeout=10)
        assert "Read" in (await ada.wait_for_edit(status, timeout=10)).text
    await ada.send_document(current_connections(people(30)), "Connections.csv")
    refused = await ada.next_message(timeout=10)
    assert refused.text.startswith(f"You've sent {PER_HOUR} exports in the last hour")
    assert "after 13:00" in refused.text and "nothing you had stored has changed" in refused.text
    await ada.send("/stats")
    assert "Connections: 11" in (await ada.next_message(timeout=10)).text
    assert texts.READING not in refused.text


async def test_an_upload_that_must_wait_for_others_is_told_so_then_answered(
    server: TelegramServer, running: RunningBot
) -> None:
    app = await running.start(clock=OffsetClock(NOW))
    turns = app.bot_data["imports"].turns
    for _ in range(AT_ONCE):  # every turn taken, as by other people's imports
        await turns.acquire()
    ada = server.user(1001, "Ada")
    await ada.send_document(current_connections(people(3)), "Connections.csv")
    status = await ada.next_message(timeout=10)
    assert status.text == texts.READING_IN_LINE
    for _ in range(AT_ONCE):
        turns.release()
    assert "Read 3 connections" in (await ada.wait_for_edit(status, timeout=10)).text
