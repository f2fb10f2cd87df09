"""Every button press arrives here and is routed by its parsed callback data."""

from __future__ import annotations

import logging

from telegram import Update

from bot import callbacks, texts
from bot.context import KeepcutContext
from bot.handlers import cutlist, review
from bot.telegram_io import answer_quietly

log = logging.getLogger(__name__)


async def button(update: Update, context: KeepcutContext) -> None:
    """Route a press; data this bot did not make gets a short answer and changes nothing."""
    query = update.callback_query
    assert query
    action = callbacks.parse(query.data)
    if action is None or query.message is None:
        log.info("ignored unrecognised button data in update %s", update.update_id)
        await answer_quietly(query, texts.TOAST_STALE)
        return
    if action.kind == "removed":
        await cutlist.removed_button(update, context, action)
    elif action.kind == "cutlist":
        await cutlist.cutlist_button(update, context)
    elif action.kind == "review":
        await answer_quietly(query)
        user = await review.current_user(update, context)
        if action.value != "-":
            user = await review.with_order(context, user, str(action.value))
        await review.send_new_card(context, user)
    else:
        await review.card_button(update, context, action)
