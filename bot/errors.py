"""The one error handler: log what happened, tell the person only that it failed."""

from __future__ import annotations

import logging
from contextlib import suppress

from telegram import Update
from telegram.error import Forbidden, TelegramError

from bot import texts
from bot.context import KeepcutContext, reload_person
from bot.telegram_io import is_blocked
from storage import users

log = logging.getLogger(__name__)


async def on_error(update: object, context: KeepcutContext) -> None:
    """Log the failure with its update id; apologise in the chat without details."""
    update_id = update.update_id if isinstance(update, Update) else None
    error = context.error
    if isinstance(error, Forbidden) and is_blocked(error):
        # Not a failure of ours: the person blocked the bot. Stop writing to them.
        if isinstance(update, Update) and update.effective_user:
            await context.store.run(users.set_blocked, update.effective_user.id, True)
            reload_person(context.app, update.effective_user.id)
        log.info("update %s: the person has blocked the bot", update_id)
        return
    log.error("failure while handling update %s", update_id, exc_info=error)
    if not isinstance(update, Update):
        return
    # Best effort: the apology itself may fail (blocked bot, network down, flood).
    with suppress(TelegramError):
        if update.callback_query:
            await update.callback_query.answer(texts.SOMETHING_WENT_WRONG_SHORT)
            return
    if update.effective_chat and update.effective_chat.type == "private":
        with suppress(TelegramError):
            await context.bot.send_message(update.effective_chat.id, texts.SOMETHING_WENT_WRONG)
