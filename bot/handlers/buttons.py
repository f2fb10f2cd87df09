"""Every button press arrives here and is routed by its parsed callback data."""

from __future__ import annotations

import logging
from typing import assert_never

from telegram import Update

from bot import callbacks, texts
from bot.callbacks import (
    ConfirmForget,
    Decide,
    PickZone,
    Reason,
    Removed,
    ShowCutList,
    StartRecheck,
    StartReview,
    StillKeep,
    Undo,
    View,
)
from bot.context import KeepcutContext
from bot.handlers import cutlist, privacy, review, schedule_settings
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
    match action:
        case Decide() | Undo() | Reason() | View() | StillKeep():
            await review.card_button(update, context, action)
        case Removed():
            await cutlist.removed_button(update, context, action)
        case ShowCutList():
            await answer_quietly(query)
            await cutlist.send_cutlist(context, everything=False)
        case StartReview(order):
            await answer_quietly(query)
            await review.send_new_card(context, order)
        case StartRecheck():
            await answer_quietly(query)
            await review.send_new_card(context, mode="recheck")
        case PickZone(zone):
            await schedule_settings.zone_button(update, context, zone)
        case ConfirmForget():
            await privacy.forget_button(update, context, action)
        case _:
            assert_never(action)
