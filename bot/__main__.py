"""Start keepcut: read the configuration, build the bot, run it until stopped."""

from __future__ import annotations

import logging
import sqlite3
import sys
from dataclasses import replace
from typing import Any
from urllib.parse import urlsplit

from telegram import Update
from telegram.error import InvalidToken, NetworkError, TelegramError
from telegram.ext import Application

from bot.app import build_application
from bot.clock import Clock
from bot.config import ConfigError, Settings, configure_logging, load_settings
from storage.store import Store

log = logging.getLogger("keepcut")

# Exit codes a service manager can act on: 2 and 3 will not mend themselves by a restart.
EXIT_FAILURE = 1  # the Bot API unreachable, the database unopenable, …
EXIT_CONFIG = 2  # a setting is missing or malformed
EXIT_TOKEN_REJECTED = 3  # Telegram refused the token


def run_webhook(app: Application, settings: Settings) -> None:
    """Serve Telegram's webhook calls on the configured address (behind an HTTPS proxy)."""
    assert settings.webhook_url
    app.run_webhook(
        listen=settings.webhook_listen,
        port=settings.webhook_port,
        url_path=urlsplit(settings.webhook_url).path.lstrip("/"),
        webhook_url=settings.webhook_url,
        # Telegram sends it back in a header; a request without it gets 403.
        secret_token=settings.secret_token,
        allowed_updates=Update.ALL_TYPES,
    )


def main(clock: Clock | None = None, **overrides: Any) -> None:
    """Run the bot with long polling (or a webhook when WEBHOOK_URL is set).

    `clock` and `overrides` (Settings fields) are for tests and benchmarks that start
    the real program at a chosen moment, or with a test server's limits.
    """
    try:
        settings = load_settings()
    except ConfigError as exc:
        print(f"keepcut: {exc}", file=sys.stderr)
        sys.exit(EXIT_CONFIG)
    settings = replace(settings, **overrides)
    configure_logging(settings)
    try:
        store = Store(settings.db_path)
    except (sqlite3.Error, OSError) as exc:
        log.debug("opening the database failed", exc_info=exc)
        print(f"keepcut: cannot open the database {settings.db_path}: {exc}", file=sys.stderr)
        sys.exit(EXIT_FAILURE)
    app = build_application(settings, store, clock)

    host = urlsplit(settings.base_url).netloc
    try:
        if settings.webhook_url:
            run_webhook(app, settings)
        else:
            app.run_polling(allowed_updates=Update.ALL_TYPES)
    except InvalidToken:
        print(
            f"keepcut: the Bot API at {host} rejected TELEGRAM_BOT_TOKEN; "
            "check the token @BotFather gave you",
            file=sys.stderr,
        )
        sys.exit(EXIT_TOKEN_REJECTED)
    except NetworkError as exc:
        print(f"keepcut: cannot reach the Telegram Bot API at {host}: {exc}", file=sys.stderr)
        sys.exit(EXIT_FAILURE)
    except TelegramError as exc:
        print(f"keepcut: Telegram refused to start the bot: {exc}", file=sys.stderr)
        sys.exit(EXIT_FAILURE)


if __name__ == "__main__":
    main()
