"""The real program in webhook mode: Telegram (the local test server) posts the updates.

The server stands in for the HTTPS proxy too: it maps the public https URL the bot
registers to the plain HTTP port the bot listens on, on loopback.
"""

from __future__ import annotations

import asyncio
import signal
import socket
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from bot import texts
from tests.export_samples import current_connections, people
from tests.telegram_server import TelegramServer

PUBLIC = "https://bot.example.com:8443/tg-hook"
SECRET = "s3cret-Webhook_token"


def free_port() -> int:
    """A port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@asynccontextmanager
async def webhook_bot(server: TelegramServer, folder: Path, port: int) -> AsyncIterator[None]:
    """`python -m bot` with WEBHOOK_URL set, stopped with SIGTERM at the end."""
    env = server.bot_environment(
        TELEGRAM_LOCAL_MODE="false",
        KEEPCUT_DB=str(folder / "keepcut.db"),
        WEBHOOK_URL=PUBLIC,
        WEBHOOK_SECRET=SECRET,
        KEEPCUT_WEBHOOK_PORT=str(port),
        KEEPCUT_LOG_LEVEL="DEBUG",
    )
    calls = len(server.calls("setWebhook"))
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", cwd=folder, env=env, stderr=asyncio.subprocess.PIPE
    )
    try:
        await server.wait_for(lambda: len(server.calls("setWebhook")) > calls, timeout=20)
        yield
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), timeout=20)
        log = stderr.decode()
        assert process.returncode == 0, log[-2000:]
        assert "Traceback" not in log and server.token not in log
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


async def test_webhook_mode_walks_refuses_strangers_and_loses_nothing_on_restart(
    server: TelegramServer, tmp_path: Path
) -> None:
    port = free_port()
    server.route_webhook(PUBLIC, f"http://127.0.0.1:{port}/tg-hook")
    ada = server.user(1001, "Ada")
    async with webhook_bot(server, tmp_path, port):
        assert server.webhook is not None and server.webhook.secret_token == SECRET
        await ada.send_document(current_connections(people(4)), "Connections.csv")
        status = await ada.next_message(timeout=10)
        reply = await ada.wait_for_edit(status, timeout=15)
        assert "Read 4 connections" in reply.text
        await ada.press(reply, texts.BUTTON_START_REVIEW)
        card = await ada.next_message(timeout=10)
        for label in (texts.BUTTON_KEEP, texts.BUTTON_CUT):
            await ada.press(card, label)
            card = await ada.wait_for_edit(card, timeout=10)
        assert "2 of 4 reviewed" in card.text

        # Only Telegram knows the secret: anyone else is refused and changes nothing.
        forged = {"update_id": 999_999, "message": {"message_id": 1, "date": 0,
                  "chat": {"id": 1001, "type": "private"}, "text": "/cutlist",
                  "from": {"id": 1001, "is_bot": False, "first_name": "Ada"}}}  # fmt: skip
        assert (await server.post_to_webhook(forged, secret_token="wrong"))[0] == 403
        assert (await server.post_to_webhook(forged))[0] == 403
        await ada.expect_no_message(0.5)

        # An update this library version cannot read is confirmed and skipped.
        unreadable = {"update_id": 999_998, "poll": {"id": "77", "question": "Carol?"}}
        assert (await server.post_to_webhook(unreadable, secret_token=SECRET))[0] == 200
        await ada.send("/stats")
        assert "Kept: 1" in (await ada.next_message(timeout=10)).text

    # Down: Telegram keeps what arrives and delivers it once the bot is back.
    await ada.send("/stats")
    await server.wait_for(lambda: any(not d.ok for d in server.webhook_deliveries), 10)
    async with webhook_bot(server, tmp_path, port):
        stats = await ada.next_message(timeout=20)
        assert "Kept: 1" in stats.text and "Cut: 1" in stats.text
        await ada.expect_no_message(1.0)
    stats_updates = [d.update_id for d in server.webhook_deliveries if d.ok]
    assert len(stats_updates) == len(set(stats_updates)), "each update handled once"
