"""Shared fixtures: a fresh store, the local Bot API server, and the real bot running on it."""

from __future__ import annotations

import os

# Before telegram is imported: RetryAfter.retry_after as a timedelta, no deprecation warning.
os.environ.setdefault("PTB_TIMEDELTA", "1")

from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from bot.app import build_application, post_init
from bot.clock import Clock
from bot.config import Settings
from bot.context import KeepcutApp
from storage.store import Store

if TYPE_CHECKING:
    from tests.telegram_server import TelegramServer


@pytest.fixture
def fresh_store(tmp_path: Path) -> Iterator[Store]:
    """An empty, migrated database in a temporary folder."""
    store = Store(tmp_path / "keepcut.db")
    yield store
    store.close()


@pytest.fixture
async def server() -> AsyncIterator[TelegramServer]:
    """The local Telegram Bot API test server on a free loopback port."""
    from tests.telegram_server import TelegramServer

    async with TelegramServer() as srv:
        yield srv


class RunningBot:
    """Start and stop the real keepcut Application against the test server."""

    def __init__(self, server: TelegramServer, db_path: Path, real_pacing: bool = False) -> None:
        self.server = server
        self.db_path = db_path
        self.real_pacing = real_pacing
        self.app: KeepcutApp | None = None

    def settings(self, **overrides: object) -> Settings:
        """Settings pointing the bot at the test server and the test database.

        The local server enforces no flood limits unless asked to, so new messages
        are spaced 20 ms apart instead of Telegram's second (tests/test_flood.py
        runs with the real spacing against a server that enforces it).
        """
        values: dict[str, object] = {
            "token": self.server.token,
            "db_path": self.db_path,
            "base_url": self.server.base_url,
            "base_file_url": self.server.base_file_url,
        }
        if not self.real_pacing:
            values.update(private_chat_interval=0.02, group_chat_interval=0.05)
        values.update(overrides)
        return Settings(**values)  # type: ignore[arg-type]

    async def start(self, clock: Clock | None = None, **overrides: object) -> KeepcutApp:
        """Build the bot as `python -m bot` does and start long polling."""
        app = build_application(self.settings(**overrides), clock=clock)
        await app.initialize()
        # post_init runs only inside run_polling(); call it as that would.
        await post_init(app)
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=1, drop_pending_updates=False)
        self.app = app
        return app

    async def stop(self) -> None:
        """Stop polling, finish running updates, close the store (a clean SIGTERM)."""
        app, self.app = self.app, None
        if app is None:
            return
        assert app.updater is not None
        if app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
        await app.shutdown()
        app.bot_data["store"].close()


@pytest.fixture
async def running(server: TelegramServer, tmp_path: Path) -> AsyncIterator[RunningBot]:
    """A controller for the real bot on the test server (call `await running.start()`)."""
    controller = RunningBot(server, tmp_path / "keepcut.db")
    yield controller
    await controller.stop()


@pytest.fixture
async def bot(running: RunningBot) -> KeepcutApp:
    """The real bot, started with default settings against the test server."""
    return await running.start()


@pytest.fixture
def make_settings(tmp_path: Path) -> Callable[..., Settings]:
    """Settings for unit tests that need no server."""

    def make(**overrides: object) -> Settings:
        values: dict[str, object] = {"token": "123456:TEST-TOKEN", "db_path": tmp_path / "k.db"}
        values.update(overrides)
        return Settings(**values)  # type: ignore[arg-type]

    return make
