"""The review walk: /review, /undo, /find, and every button on a card."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import UTC, date, datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot import callbacks, cards, texts
from bot.callbacks import Action
from bot.context import KeepcutContext
from bot.telegram_io import answer_quietly, drop_keyboard, edit_or_send
from storage import review, users
from storage.review import CardView, Outcome

log = logging.getLogger(__name__)


def today_for(user: users.User | None) -> date:
    """Today's date where the person lives (UTC until they set a time zone)."""
    return datetime.now(user.zone if user else UTC).date()


async def _view(
    context: KeepcutContext, user: users.User, connection_id: int | None = None
) -> CardView:
    """Load the card to show for this person."""
    return await context.store.run(
        review.card_view, user.user_id, user.review_order, connection_id
    )


async def show_card(
    context: KeepcutContext,
    user: users.User,
    view: CardView,
    message_id: int | None,
) -> None:
    """Put the card on screen in `message_id` (or a new message) and remember it."""
    text, markup = cards.render(view, today_for(user))
    shown = await edit_or_send(context.bot, user.chat_id, message_id, text, markup)
    if user.card_message_id is not None and user.card_message_id != shown:
        # One live card: the previous one loses its buttons (after the new one is
        # shown, so the person never waits for this edit). Its buttons would still
        # act on their own person, but two live cards confuse.
        await context.store.run(users.set_card_message, user.user_id, shown)
        await drop_keyboard(context.bot, user.chat_id, user.card_message_id)
    elif user.card_message_id is None:
        await context.store.run(users.set_card_message, user.user_id, shown)


async def send_new_card(context: KeepcutContext, user: users.User) -> None:
    """Start or continue the review with a fresh card message at the bottom of the chat."""
    view = await _view(context, user)
    if view.progress.total == 0:
        await context.bot.send_message(user.chat_id, texts.NOTHING_TO_REVIEW)
        return
    await show_card(context, user, view, None)


async def current_user(update: Update, context: KeepcutContext) -> users.User:
    """The person who sent this update, as the gate loaded them for this update."""
    assert update.effective_user
    user = context.user_data.get("user") if context.user_data is not None else None
    if isinstance(user, users.User) and user.user_id == update.effective_user.id:
        return user
    user = await context.store.run(users.get_user, update.effective_user.id)
    assert user is not None
    return user


async def with_order(context: KeepcutContext, user: users.User, order: str) -> users.User:
    """Save the card order the person chose; return them with it."""
    await context.store.run(review.set_order, user.user_id, order)
    return replace(user, review_order=order)


async def review_command(update: Update, context: KeepcutContext) -> None:
    """/review [weakest|oldest|newest]: continue where the person left off."""
    user = await current_user(update, context)
    if context.args:
        order = context.args[0].lower()
        if order not in review.ORDERS:
            await update.effective_message.reply_text(texts.BAD_ORDER)  # type: ignore[union-attr]
            return
        user = await with_order(context, user, order)
    await send_new_card(context, user)


async def undo_command(update: Update, context: KeepcutContext) -> None:
    """/undo: take back the last decision and show that person again."""
    user = await current_user(update, context)
    connection = await context.store.run(review.undo_last, user.user_id)
    if connection is None:
        await update.effective_message.reply_text(texts.NOTHING_TO_UNDO)  # type: ignore[union-attr]
        return
    await show_card(context, user, await _view(context, user, connection.id), None)


async def find_command(update: Update, context: KeepcutContext) -> None:
    """/find NAME: a few matching people as buttons."""
    message = update.effective_message
    assert message
    query = " ".join(context.args or []).strip()
    if not query:
        await message.reply_text(texts.FIND_USAGE)
        return
    user = await current_user(update, context)
    matches = await context.store.run(review.find, user.user_id, query[:100])
    if not matches:
        await message.reply_text(texts.find_none(query[:100]))
        return
    buttons = [
        [InlineKeyboardButton(texts.find_label(m), callback_data=callbacks.view(m.id))]
        for m in matches
    ]
    await message.reply_text(texts.FIND_PICK, reply_markup=InlineKeyboardMarkup(buttons))


async def card_button(update: Update, context: KeepcutContext, action: Action) -> None:
    """Keep / Cut / Skip / Undo / reason / view: commit first, then answer, then redraw."""
    query = update.callback_query
    assert query and query.message and action.connection_id is not None
    user = await current_user(update, context)
    outcome, view = await context.store.run(
        review.press, user.user_id, action.kind, action.connection_id, action.value,
        user.review_order,
    )  # fmt: skip
    await answer_quietly(query, _toast(action, outcome))
    await show_card(context, user, view, query.message.message_id)


def _toast(action: Action, outcome: Outcome) -> str | None:
    """The short answer to a press: what happened, or why nothing did."""
    if outcome is Outcome.MISSING:
        return texts.TOAST_GONE
    if action.kind == "undo":
        return texts.TOAST_UNDONE if outcome is Outcome.APPLIED else texts.TOAST_STALE
    if outcome is Outcome.UNCHANGED:
        return texts.TOAST_UNCHANGED
    if action.kind == "decide":
        return texts.TOAST[str(action.value)]
    if action.kind == "reason":
        return texts.REASON_NOTED.format(reason=texts.REASONS.get(int(action.value or 0), ""))
    return None
