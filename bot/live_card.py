"""The person's one live review card: show a card, retire the one before it."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from dataclasses import replace
from datetime import datetime
from typing import Any

from telegram import Bot

from bot.render import cards
from bot.telegram_io import drop_keyboard, edit_or_send
from storage import users
from storage.records import CardView
from storage.store import Store


async def present(
    bot: Bot,
    store: Store,
    user: users.User,
    view: CardView,
    message_id: int | None,
    now: datetime,
    later: Callable[[Coroutine[Any, Any, None]], object] | None = None,
) -> users.User:
    """Show `view` in `message_id` (or a new message); return the person as they now are.

    `later` runs the old card's tidying in the background (the application's
    create_task), so the person's next press does not wait for that edit's turn in the
    chat.
    """
    text, markup = cards.render(view, user.today(now))
    shown = await edit_or_send(bot, user.chat_id, message_id, text, markup)
    if shown == user.card_message_id:
        return user
    await store.run(users.set_card_message, user.user_id, shown)
    if user.card_message_id is not None:
        # One live card: the previous one loses its buttons (after the new one is
        # shown, so the person never waits for this edit). Its buttons would still
        # act on their own person, but two live cards confuse.
        tidy = drop_keyboard(bot, user.chat_id, user.card_message_id)
        if later is None:
            await tidy
        else:
            later(tidy)
    return replace(user, card_message_id=shown)
