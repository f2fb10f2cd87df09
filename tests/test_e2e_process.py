"""The real program, `python -m bot`, against the local server: it runs, answers, stops cleanly."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from tests.telegram_server import TelegramServer


async def test_python_m_bot_answers_and_stops_cleanly_on_sigterm(
    server: TelegramServer, tmp_path: Path
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "KEEPCUT_"))}
    env.update(
        TELEGRAM_BOT_TOKEN=server.token,
        TELEGRAM_BASE_URL=server.base_url,
        TELEGRAM_BASE_FILE_URL=server.base_file_url,
        KEEPCUT_LOG_LEVEL="DEBUG",
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot",
        cwd=tmp_path, env=env, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        alice = server.user(1001, "Alice")
        await alice.send("/start")
        assert "keepcut" in (await alice.next_message(timeout=20)).text
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), timeout=20)
    finally:
        if process.returncode is None:
            process.kill()
    assert process.returncode == 0
    log = stderr.decode()
    assert "Traceback" not in log
    assert server.token not in log, "the token never reaches the log, even at DEBUG"
    # On the way out the bot confirms every update it handled, so none is replayed.
    assert server.updates == []
    assert max(c.get("offset", 0) for c in server.calls("getUpdates")) == 2
    assert (tmp_path / "keepcut.db").exists()


async def test_a_token_telegram_rejects_exits_3_in_one_line(
    server: TelegramServer, tmp_path: Path
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "KEEPCUT_"))}
    env.update(
        TELEGRAM_BOT_TOKEN="999:NOT-THIS-BOTS-TOKEN",
        TELEGRAM_BASE_URL=server.base_url,
        TELEGRAM_BASE_FILE_URL=server.base_file_url,
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot",
        cwd=tmp_path, env=env, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        _, stderr = await asyncio.wait_for(process.communicate(), timeout=30)
    finally:
        if process.returncode is None:
            process.kill()
    assert process.returncode == 3, "a service manager must not restart a rejected token"
    log = stderr.decode()
    assert "Traceback" not in log
    (line,) = [x for x in log.splitlines() if x.startswith("keepcut:")]
    assert "rejected TELEGRAM_BOT_TOKEN" in line
