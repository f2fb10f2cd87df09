"""Start keepcut: read the configuration, build the bot, run it until stopped."""

from __future__ import annotations

import logging
import sys
from urllib.parse import urlsplit

from telegram import Update
from telegram.error import InvalidToken, NetworkError, TelegramError

from bot.config import ConfigError, configure_logging, load_settings

log = logging.getLogger("keepcut")


def main() -> None:
    """Run the bot with long polling (or a webhook when WEBHOOK_URL is set)."""
    try:
        settings = load_settings()
    except ConfigError as exc:
        print(f"keepcut: {exc}", file=sys.stderr)
        sys.exit(2)
    configure_logging(settings)

    from bot.app import build_application

    try:
        app = build_application(settings)
    except Exception as exc:  # noqa: BLE001 - a failed start is one line, never a traceback
        log.debug("start-up failed", exc_info=exc)
        print(f"keepcut: cannot open the database {settings.db_path}: {exc}", file=sys.stderr)
        sys.exit(1)

    host = urlsplit(settings.base_url).netloc
    try:
        app.run_polling(allowed_updates=Update.ALL_TYPES)
    except InvalidToken:
        print(
            f"keepcut: the Bot API at {host} rejected TELEGRAM_BOT_TOKEN; "
            "check the token @BotFather gave you",
            file=sys.stderr,
        )
        sys.exit(1)
    except NetworkError as exc:
        print(f"keepcut: cannot reach the Telegram Bot API at {host}: {exc}", file=sys.stderr)
        sys.exit(1)
    except TelegramError as exc:
        print(f"keepcut: Telegram refused to start the bot: {exc}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
