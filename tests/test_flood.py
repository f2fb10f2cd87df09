"""Under Telegram's flood limits: bursts are paced, a 429 is waited out, nothing is lost."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlite_utils import Database

from bot import texts
from tests.conftest import RunningBot
from tests.export_samples import current_connections, people
from tests.telegram_server import TelegramServer
from tests.user import BotMessage, TelegramUser


@pytest.fixture
async def strict_server() -> AsyncIterator[TelegramServer]:
    """A test server that enforces one message a second per private chat."""
    async with TelegramServer(flood_control=True) as server:
        yield server


async def test_cut_list_burst_arrives_whole_under_flood_control(
    strict_server: TelegramServer, tmp_path: Path
) -> None:
    running = RunningBot(strict_server, tmp_path / "k.db", real_pacing=True)
    app = await running.start()
    try:
        me = strict_server.user(1001, "Ada")
        await me.send_document(current_connections(people(25)), "Connections.csv")
        status = await me.next_message(timeout=10)
        await me.wait_for_edit(status, timeout=10)
        store = app.bot_data["store"]

        def cut_everyone(db: Database) -> None:
            for (cid,) in db.execute("SELECT id FROM connections").fetchall():
                db.execute(
                    "INSERT INTO decisions (connection_id, user_id, decision, decided_at, seq) "
                    "VALUES (?, 1001, 'cut', '2026-01-01T00:00:00+00:00', ?)",
                    [cid, cid],
                )

        store.call(cut_everyone)
        await me.send("/cutlist")
        intro = await me.next_message(timeout=10)
        assert "25 people" in intro.text
        batches = [await me.next_message(timeout=10) for _ in range(3)]
        assert sum(len(b.buttons()) // 2 for b in batches) == 25
        await me.next_message(timeout=10)  # when the rest comes
        document = await me.next_message(timeout=10)
        assert document.document is not None
        # New messages are paced and never refused; an edit that follows a send too
        # closely may get a 429, which is waited out (the import answer came through).
        refused = {r.method for r in strict_server.failed_requests(1001) if r.status == 429}
        assert refused <= {"editMessageText"}, strict_server.failed_requests(1001)
    finally:
        await running.stop()


async def test_a_429_is_waited_out_and_the_answer_arrives(
    server: TelegramServer, bot: object
) -> None:
    me = server.user(1001, "Ada")
    server.fail_next("sendMessage", 429, retry_after=1)
    await me.send("/help")
    reply = await me.next_message(timeout=10)
    assert "/review" in reply.text
    assert reply.text != texts.SOMETHING_WENT_WRONG


async def test_a_flood_from_one_person_slows_only_that_person(
    strict_server: TelegramServer, tmp_path: Path
) -> None:
    running = RunningBot(strict_server, tmp_path / "k.db", real_pacing=True)
    await running.start()
    try:
        flooder, other = strict_server.user(1001, "Flo"), strict_server.user(1002, "Otto")
        await flooder.send_document(current_connections(people(3)), "Connections.csv")
        status = await flooder.next_message(timeout=10)
        await flooder.wait_for_edit(status, timeout=10)
        await flooder.send("/review")
        card = await flooder.next_message(timeout=10)
        for _ in range(400):
            await flooder.send("/help")  # each answer a new message, paced a second apart
        started = time.monotonic()
        await other.send("/start")
        assert "keepcut" in (await other.next_message(timeout=10)).text
        assert time.monotonic() - started < 3, "someone else's flood never holds me up"
        started = time.monotonic()
        press = await flooder.press(card, texts.BUTTON_KEEP)
        await flooder.wait_for_answer(press, timeout=15)
        assert time.monotonic() - started < 5, "a press goes before one's own queued messages"
        assert press.text == texts.TOAST["keep"]
        answered = [m async for m in _upto(flooder, 20) if "keepcut commands" in m.text]
        # The one being answered when the flood came, then the ten the line holds.
        assert 1 <= len(answered) <= 11, "a flood is answered in part, and then it is over"
        await flooder.send("/stats")
        assert "Your progress" in (await flooder.next_message(timeout=10)).text
    finally:
        await running.stop()


async def _upto(user: TelegramUser, seconds: float) -> AsyncIterator[BotMessage]:
    """Every message the bot sends this user within `seconds`."""
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        try:
            yield await user.next_message(timeout=left)
        except AssertionError:
            return
