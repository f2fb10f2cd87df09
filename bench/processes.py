"""What the benchmarks share to run the bot as its own process against the test server."""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path

from tests.telegram_server import TelegramServer


def bot_environment(server: TelegramServer, db_path: Path | None = None) -> dict[str, str]:
    """The environment for the bot against `server`, logging warnings and worse only."""
    env = server.bot_environment(KEEPCUT_LOG_LEVEL="WARNING")
    if db_path is not None:
        env["KEEPCUT_DB"] = str(db_path)
    return env


async def stop(process: asyncio.subprocess.Process, timeout: float = 30) -> None:
    """SIGTERM, as a service manager stops the bot; killed if it has not stopped in time."""
    if process.returncode is None:
        process.send_signal(signal.SIGTERM)
    try:
        await asyncio.wait_for(process.wait(), timeout=timeout)
    except TimeoutError:
        process.kill()
        await process.wait()
