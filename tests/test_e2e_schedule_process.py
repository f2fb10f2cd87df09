"""The real program and the yearly reminder: delivered once at its minute, not again after
a restart, and once after being down over the due minute. Its clock starts at a chosen
moment (tests/run_bot_at.py) so the due minute comes within seconds."""

from __future__ import annotations

import asyncio
import signal
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from tests.export_samples import current_connections, people
from tests.telegram_server import TelegramServer
from tests.user import TelegramUser

LAUNCHER = Path(__file__).with_name("run_bot_at.py")


@asynccontextmanager
async def bot_process(server: TelegramServer, folder: Path, clock: str) -> AsyncIterator[None]:
    """The real bot, its clock starting at `clock`, stopped with SIGTERM at the end."""
    env = server.bot_environment(KEEPCUT_DB=str(folder / "keepcut.db"))
    process = await asyncio.create_subprocess_exec(
        sys.executable, str(LAUNCHER), clock, cwd=folder, env=env,
        stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        await server.wait_for(lambda: server.calls("getUpdates"), timeout=20)
        yield
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), timeout=20)
        assert process.returncode == 0, stderr.decode()[-2000:]
        assert "Traceback" not in stderr.decode()
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


async def ask(user: TelegramUser, text: str) -> str:
    """Send a command and return the bot's first answer."""
    await user.send(text)
    return (await user.next_message(timeout=10)).text


async def test_a_reminder_is_delivered_at_its_minute_once_across_restarts(
    server: TelegramServer, tmp_path: Path
) -> None:
    ada, ben = server.user(1001, "Ada"), server.user(1002, "Ben")
    async with bot_process(server, tmp_path, "2027-03-10T09:50:00+00:00"):
        for user, count, minute in ((ada, 7, "10:00"), (ben, 3, "10:01")):
            await user.send_document(current_connections(people(count)), "Connections.csv")
            status = await user.next_message(timeout=10)
            await user.wait_for_edit(status, timeout=15)
            assert "in 0 days" not in await ask(user, f"/remind 10 March {minute}")
            await user.next_message(timeout=10)  # asked once for the time zone
            await ask(user, "/summary off")

    # Up from 09:59:57: Ada's reminder comes at 10:00, to her, with her numbers.
    started = time.time()
    async with bot_process(server, tmp_path, "2027-03-10T09:59:57+00:00"):
        reminder = await ada.next_message(timeout=15)
        (sent,) = [r for r in server.requests if r.method == "sendPhoto"]
        assert sent.time - started >= 3.0, "never before the minute: 10:00 means 10:00"
        assert "Spring-cleaning time" in reminder.text and "7 connections" in reminder.text
        assert reminder.photo is not None
        await ben.expect_no_message(0.5)

    # Restarted right after: nothing again. Ben's 10:01 passed while the bot was down,
    # so it comes once, on start.
    async with bot_process(server, tmp_path, "2027-03-10T10:03:00+00:00"):
        late = await ben.next_message(timeout=15)
        assert "Spring-cleaning time" in late.text and "3 connections" in late.text
        await ada.expect_no_message(2.5)
        await ben.expect_no_message(0.5)
    assert [m.text[:22] for m in ada.messages if "Spring-cleaning" in m.text] == [
        reminder.text[:22]
    ]
