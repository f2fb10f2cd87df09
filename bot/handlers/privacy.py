"""/forget (asked first, then everything deleted) and /mydata (a ZIP of everything held)."""

from __future__ import annotations

import asyncio
import io
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from telegram import CallbackQuery, InlineKeyboardMarkup, InputFile, Message, Update
from telegram.constants import ChatAction

from bot import texts
from bot.callbacks import ConfirmForget, button, encode
from bot.context import KeepcutContext
from bot.render import mydata
from bot.telegram_io import answer_quietly, drop_keyboard, edit_or_send
from storage import privacy

log = logging.getLogger(__name__)

CONFIRM_FOR = timedelta(minutes=texts.FORGET_MINUTES)
# A bare users row made this recently was made by the gate for the press being handled.
_JUST_MADE = timedelta(seconds=5)
# In memory only, like the rest of user_data: after a restart every question has
# lapsed, so an old Delete button can never act (the safe side of forgetting).
_PENDING = "forget_question"
_FORGET_DATA = {encode(ConfirmForget(True)), encode(ConfirmForget(False))}

Verdict = Literal["valid", "expired", "stale"]


@dataclass(frozen=True, slots=True)
class Question:
    """The /forget question waiting for an answer: which message, asked when."""

    message_id: int
    asked_at: datetime


def check_press(question: Question | None, message_id: int | None, now: datetime) -> Verdict:
    """Whether a press on `message_id` answers the waiting question, and in time.

    Only the latest question counts (a newer /forget replaces it), and only for ten
    minutes: a Delete button found later in the chat must not delete what has been
    added since without asking again.
    """
    if question is None or question.message_id != message_id:
        return "stale"
    return "expired" if now - question.asked_at > CONFIRM_FOR else "valid"


def confirm_keyboard() -> InlineKeyboardMarkup:
    """Delete everything / Cancel."""
    return InlineKeyboardMarkup(
        [
            [
                button(texts.BUTTON_FORGET_DELETE, ConfirmForget(True)),
                button(texts.BUTTON_FORGET_CANCEL, ConfirmForget(False)),
            ]
        ]
    )


def _memory(context: KeepcutContext) -> dict[Any, Any]:
    """The bot's in-memory notes about the person writing (python-telegram-bot's user_data)."""
    if context.user_data is None:
        raise LookupError("this update has no person")
    return context.user_data


def _is_question(message: Message) -> bool:
    """True if the message carries /forget's buttons (and not, say, a review card)."""
    markup = message.reply_markup
    rows = markup.inline_keyboard if markup else ()
    return any(b.callback_data in _FORGET_DATA for row in rows for b in row)


async def forget_command(update: Update, context: KeepcutContext) -> None:
    """/forget: say what would be deleted and ask; nothing is deleted yet."""
    user, asked_at = context.person, context.clock.now()
    held = await context.store.run(privacy.holdings, user.user_id)
    question = await context.bot.send_message(
        user.chat_id, texts.forget_question(held), reply_markup=confirm_keyboard()
    )
    _memory(context)[_PENDING] = Question(question.message_id, asked_at)


async def forget_button(update: Update, context: KeepcutContext, action: ConfirmForget) -> None:
    """Delete everything / Cancel on the /forget question."""
    query = update.callback_query
    assert query
    # Telegram hands out a message older than 48 hours as inaccessible: a stale press.
    message = query.message if isinstance(query.message, Message) else None
    now, memory = context.clock.now(), _memory(context)
    message_id = message.message_id if message else None
    verdict = check_press(memory.get(_PENDING), message_id, now)
    if message is None or verdict == "stale":
        await _stale_press(context, query, message, action, now)
        return
    if action.delete and verdict == "valid":
        held = await _delete_everything(context)
        if held is None:
            # The question stays open: Delete works once the import is in.
            await answer_quietly(query, texts.FORGET_WAIT_FOR_IMPORT)
            return
        await answer_quietly(query, texts.FORGET_DONE_SHORT)
        backups = context.settings.backup_keep if context.settings.backup_dir else None
        text = texts.forget_done(held, backups)
        await edit_or_send(context.bot, message.chat_id, message.message_id, text)
        return
    # Cancel (in time or not), or Delete too late: the question is closed either way.
    del memory[_PENDING]
    if action.delete:
        toast, text = texts.FORGET_EXPIRED_SHORT, texts.FORGET_EXPIRED
    else:
        toast, text = texts.FORGET_CANCELLED_SHORT, texts.FORGET_CANCELLED
    await answer_quietly(query, toast)
    await edit_or_send(context.bot, message.chat_id, message.message_id, text)


async def _delete_everything(context: KeepcutContext) -> privacy.Holdings | None:
    """Delete the person's rows, the WAL's copies and the bot's memory; None if importing."""
    user = context.person
    # Holding the import slot: no upload of theirs can be merged while, or after, the
    # rows go (with one under way, the person is asked to press again once it is in).
    if not context.imports.try_hold(user.user_id):
        return None
    try:
        held = await context.store.run(privacy.forget, user.user_id)
    finally:
        context.imports.end(user.user_id)
    _forget_in_memory(context, user.user_id, user.chat_id)
    await asyncio.to_thread(privacy.clear_wal, context.store.path)
    # No user id in this line: the log should not record who asked to be forgotten.
    log.info("deleted everything held about one person (%s rows) on their request", held.rows)
    return held


def _forget_in_memory(context: KeepcutContext, user_id: int, chat_id: int) -> None:
    """Drop the bot's in-memory notes on the person (the gate's copy of their row)."""
    _memory(context).clear()
    context.application.drop_user_data(user_id)
    context.application.drop_chat_data(chat_id)


async def _stale_press(
    context: KeepcutContext,
    query: CallbackQuery,
    message: Message | None,
    action: ConfirmForget,
    now: datetime,
) -> None:
    """A press on a question no longer waiting (old, replaced, forged): delete nothing."""
    user = context.person
    # A double tap on Delete arrives after its person has gone: the gate made them a
    # new row for it, which goes again before the answer (they did not come back).
    if await context.store.run(privacy.drop_bare_user, user.user_id, now - _JUST_MADE):
        _forget_in_memory(context, user.user_id, user.chat_id)
    text = texts.FORGET_STALE_DELETE if action.delete else texts.FORGET_STALE_CANCEL
    await answer_quietly(query, text)
    if message is not None and _is_question(message):
        # An old question's buttons go; any other message (forged data) stays as it is.
        await drop_keyboard(context.bot, message.chat_id, message.message_id)


async def mydata_command(update: Update, context: KeepcutContext) -> None:
    """/mydata: everything held about the person as a ZIP of CSVs (or why there is none)."""
    user = context.person
    tables = await context.store.run(privacy.person_tables, user.user_id)
    held = privacy.counts_of(tables)
    if not held.has_data:
        text = texts.mydata_nothing(user.user_id, user.first_name, user.target, user.timezone)
        await context.bot.send_message(user.chat_id, text)
        return
    await context.bot.send_chat_action(user.chat_id, ChatAction.UPLOAD_DOCUMENT)
    local_now = context.clock.now().astimezone(user.zone)
    # 30,000 connections take a while to write out: off the event loop.
    data = await asyncio.to_thread(mydata.my_data_zip, tables, local_now)
    await context.bot.send_document(
        user.chat_id,
        InputFile(io.BytesIO(data), filename=mydata.file_name(local_now.date().isoformat())),
        caption=texts.mydata_caption(held, local_now.date()),
    )
