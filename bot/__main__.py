"""Start keepcut: read the configuration, build the bot, run it until stopped.

Beside the running bot, `keepcut backup PATH` takes a backup and `keepcut health` says
whether the bot is alive; both need only KEEPCUT_DB.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import sys
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from bot.config import ConfigError, configure_logging, load_db_path, load_settings
from storage import health
from storage.backup import BackupError, backup_to

if TYPE_CHECKING:
    from bot.clock import Clock

log = logging.getLogger("keepcut")

# Exit codes a service manager can act on: 2 and 3 will not mend themselves by a restart.
EXIT_FAILURE = 1  # the Bot API unreachable, the database unopenable, …
EXIT_CONFIG = 2  # a setting is missing or malformed
EXIT_TOKEN_REJECTED = 3  # Telegram refused the token

USAGE = "usage: keepcut [backup PATH | health]"


def main(clock: Clock | None = None, **overrides: Any) -> None:
    """`keepcut`: run the bot; `keepcut backup PATH` and `keepcut health` work beside it.

    `clock` and `overrides` (Settings fields) are for tests and benchmarks that start
    the real program at a chosen moment, or with a test server's limits; such a caller
    always gets the bot, since its own command line is not keepcut's.
    """
    args = [] if clock is not None or overrides else sys.argv[1:]
    if not args:
        run_bot(clock, **overrides)
    elif args[0] == "backup" and len(args) == 2:
        sys.exit(backup_command(Path(args[1])))
    elif args == ["health"]:
        sys.exit(health_command())
    elif args[0] in ("-h", "--help", "help"):
        print(USAGE)
    elif args[0] in ("backup", "health"):
        print(f"keepcut: {USAGE}", file=sys.stderr)
        sys.exit(EXIT_CONFIG)
    else:
        print(f"keepcut: unknown command {args[0][:40]!r}; {USAGE}", file=sys.stderr)
        sys.exit(EXIT_CONFIG)


def backup_command(path: Path) -> int:
    """`keepcut backup PATH`: one backup of KEEPCUT_DB now; one line says where and how big."""
    try:
        db_path = load_db_path()
        result = backup_to(db_path, path, datetime.now(UTC))
    except ConfigError as exc:
        print(f"keepcut: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    except BackupError as exc:
        print(f"keepcut: backup failed: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    size = f"{result.size / 1e6:.1f} MB" if result.size >= 1e6 else f"{result.size / 1e3:.0f} kB"
    print(f"keepcut: backed up {db_path} to {result.path} ({size}, {result.seconds:.1f} s)")
    return 0


def health_command() -> int:
    """`keepcut health`: 0 while the running bot writes its heartbeat, 1 otherwise; one line."""
    try:
        db_path = load_db_path()
    except ConfigError as exc:
        # 1, not 2, for this too: container health checks reserve exit code 2.
        print(f"keepcut: unhealthy: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    verdict = health.check(db_path, datetime.now(UTC))
    print(f"keepcut: {verdict.line}", file=sys.stdout if verdict.healthy else sys.stderr)
    return 0 if verdict.healthy else EXIT_FAILURE


def run_bot(clock: Clock | None = None, **overrides: Any) -> None:
    """Run the bot with long polling (or a webhook when WEBHOOK_URL is set)."""
    # Imported here, not at the top: `keepcut health` runs every minute beside the bot
    # and needs none of python-telegram-bot or the handlers (0.05 s to start, not 0.5 s).
    from telegram import Update
    from telegram.error import InvalidToken, NetworkError, TelegramError

    from bot import webhook
    from bot.app import build_application
    from storage.store import Store

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
            asyncio.run(webhook.serve(app, settings))
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
