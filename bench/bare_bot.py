"""A bare python-telegram-bot bot for bench/review_bench.py, run as its own process.

    python bench/bare_bot.py CARDS.json [--limiter] [--durable DB]

Settings come from the environment as keepcut's do (TELEGRAM_BOT_TOKEN,
TELEGRAM_BASE_URL, TELEGRAM_BASE_FILE_URL). /review sends the first card of CARDS.json;
each press is answered and the card edited to the next one, round and round. The cards
are keepcut's own, as it sent them in the same benchmark (text, HTML and keyboard), so
both bots move the same bytes; this one reads the next from a list, with no database.
`--limiter` puts keepcut's rate limiter in front, set as the benchmark sets keepcut's.
`--durable DB` stores each press as one row in an SQLite database set up as keepcut's
store is (WAL, synchronous = FULL), in one transaction, fsynced before the press is
answered: the least that recording a press durably can cost.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import sqlite3
import sys
from pathlib import Path
from typing import Any

os.environ.setdefault("PTB_TIMEDELTA", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from telegram import InlineKeyboardMarkup, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.ext import (
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
)

from bot import texts
from bot.ratelimit import ChatRateLimiter

# keepcut's limiter as the benchmark runs it: no spacing (the test server enforces none).
LIFTED = {"private_interval": 0.0, "group_interval": 0.0, "overall_per_second": 100_000}


def load_cards(path: Path) -> list[tuple[str, InlineKeyboardMarkup | None]]:
    """The cards to show, in order: text and keyboard."""
    cards: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
    return [
        (c["text"], InlineKeyboardMarkup.de_json(c["markup"], None) if c["markup"] else None)
        for c in cards
    ]


def open_journal(path: Path) -> sqlite3.Connection:
    """The presses table: autocommit, so each INSERT is one transaction, fsynced (FULL)."""
    journal = sqlite3.connect(path, isolation_level=None)
    journal.execute("PRAGMA journal_mode = WAL")
    journal.execute("PRAGMA synchronous = FULL")
    journal.execute(
        "CREATE TABLE IF NOT EXISTS presses "
        "(id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL, data TEXT NOT NULL)"
    )
    return journal


def main() -> None:
    """Build the bare bot and poll until stopped (SIGTERM)."""
    parser = argparse.ArgumentParser()
    parser.add_argument("cards", type=Path)
    parser.add_argument("--limiter", action="store_true")
    parser.add_argument("--durable", type=Path, metavar="DB")
    args = parser.parse_args()
    cards = load_cards(args.cards)
    upcoming = itertools.cycle(cards[1:] or cards)
    journal = open_journal(args.durable) if args.durable else None

    async def start_card(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Send the first card to press on."""
        assert update.effective_chat
        await context.bot.send_message(
            update.effective_chat.id, cards[0][0], reply_markup=cards[0][1]
        )

    async def on_press(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Record the press (durable only), answer it as keepcut does, edit the card on."""
        query = update.callback_query
        assert query
        if journal is not None:
            journal.execute(
                "INSERT INTO presses (user_id, data) VALUES (?, ?)",
                [query.from_user.id, query.data or ""],
            )
        await query.answer(texts.TOAST["keep"])
        text, markup = next(upcoming)
        await query.edit_message_text(text, reply_markup=markup)

    builder = (
        ApplicationBuilder()
        .token(os.environ["TELEGRAM_BOT_TOKEN"])
        .base_url(os.environ["TELEGRAM_BASE_URL"])
        .base_file_url(os.environ["TELEGRAM_BASE_FILE_URL"])
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
        .concurrent_updates(True)
    )
    app = (
        builder.rate_limiter(ChatRateLimiter(max_retries=3, **LIFTED)) if args.limiter else builder
    ).build()
    app.add_handler(CommandHandler("review", start_card))
    app.add_handler(CallbackQueryHandler(on_press))
    app.run_polling(allowed_updates=Update.ALL_TYPES, poll_interval=0, timeout=1)


if __name__ == "__main__":
    main()
