"""Tolerant sending and editing: the few Telegram errors that are normal, by name."""

from __future__ import annotations

import logging

from telegram import Bot, CallbackQuery, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden

log = logging.getLogger(__name__)


def is_not_modified(exc: BadRequest) -> bool:
    """The edit would not change the message (a double tap, a repeated update)."""
    return "message is not modified" in exc.message.lower()


def is_message_gone(exc: BadRequest) -> bool:
    """The message to edit no longer exists or can no longer be edited."""
    text = exc.message.lower()
    return (
        "message to edit not found" in text
        or "message can't be edited" in text
        or "message_id_invalid" in text
    )


def is_query_too_old(exc: BadRequest) -> bool:
    """The callback query can no longer be answered (after downtime, or answered twice)."""
    return "query is too old" in exc.message.lower()


def is_blocked(exc: Forbidden) -> bool:
    """The person blocked the bot or deleted their account."""
    text = exc.message.lower()
    return "blocked by the user" in text or "user is deactivated" in text


async def edit_or_send(
    bot: Bot,
    chat_id: int,
    message_id: int | None,
    text: str,
    markup: InlineKeyboardMarkup | None = None,
) -> int:
    """Edit a message in place; send a new one if it can no longer be edited.

    Returns the id of the message that now shows the text. An identical edit
    (a double tap, a repeated update) is not an error.
    """
    if message_id is not None:
        try:
            await bot.edit_message_text(text, chat_id, message_id, reply_markup=markup)
            return message_id
        except BadRequest as exc:
            if is_not_modified(exc):
                return message_id
            if not is_message_gone(exc):
                raise
            log.info("message %s in chat %s is gone; sending a new one", message_id, chat_id)
    message = await bot.send_message(chat_id, text, reply_markup=markup)
    return message.message_id


async def answer_quietly(query: CallbackQuery, text: str | None = None) -> None:
    """Answer a button press; one that is too old to answer is not an error."""
    try:
        await query.answer(text)
    except BadRequest as exc:
        if not is_query_too_old(exc):
            raise
        log.info("callback query %s expired before it was answered", query.id)


async def drop_keyboard(bot: Bot, chat_id: int, message_id: int) -> None:
    """Remove the buttons from an old message, if it still exists (best effort)."""
    try:
        await bot.edit_message_reply_markup(chat_id, message_id, reply_markup=None)
    except BadRequest as exc:
        if not (is_not_modified(exc) or is_message_gone(exc)):
            raise
