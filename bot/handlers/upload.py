"""Receiving the export: download, read, merge, answer; and hints for anything else."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatAction, FileSizeLimit
from telegram.error import BadRequest, NetworkError

from bot import callbacks, texts
from bot.context import KeepcutContext
from bot.telegram_io import edit_or_send
from storage.export import ExportError, read_export
from storage.merge import apply_import

log = logging.getLogger(__name__)

# Telegram's public Bot API serves files up to 20 MB; PTB says 20e6 bytes and the
# server 20 MiB, so the smaller one is the promise we can keep.
MAX_DOWNLOAD = min(int(FileSizeLimit.FILESIZE_DOWNLOAD), 20 * 1024 * 1024)


async def document(update: Update, context: KeepcutContext) -> None:
    """A file arrived: check its size, then import it in the background."""
    message, user = update.effective_message, update.effective_user
    assert message and message.document and user
    if message.document.file_size and message.document.file_size > MAX_DOWNLOAD:
        await message.reply_text(texts.TOO_BIG)
        return
    if not context.imports.try_begin(user.id):
        await message.reply_text(texts.STILL_IMPORTING)
        return
    try:
        await context.bot.send_chat_action(message.chat_id, ChatAction.TYPING)
        status = await message.reply_text(texts.READING)
    except BaseException:
        context.imports.end(user.id)
        raise
    # The import runs as its own task so this person's other updates (a button
    # press, a second upload to be told to wait) are not queued behind it.
    context.application.create_task(_import(message, status, context), update=update)


async def _import(message: Message, status: Message, context: KeepcutContext) -> None:
    """Download, parse and merge one upload, then replace the status with the result."""
    user_id = message.from_user.id if message.from_user else message.chat_id
    document = message.document
    assert document
    name = document.file_name or ""
    try:
        try:
            file = await context.bot.get_file(document.file_id)
            data = bytes(await file.download_as_bytearray(read_timeout=120))
        except BadRequest as exc:
            log.info("download refused for user %s: %s", user_id, exc.message)
            too_big = "too big" in exc.message.lower()
            await _finish(context, status, texts.TOO_BIG if too_big else texts.DOWNLOAD_FAILED)
            return
        except NetworkError as exc:
            log.warning("download failed for user %s: %s", user_id, exc)
            await _finish(context, status, texts.DOWNLOAD_FAILED)
            return
        try:
            parsed = await asyncio.to_thread(read_export, data, name)
        except ExportError as exc:
            log.info("upload from user %s refused: %s", user_id, exc)
            await _finish(context, status, texts.export_problem(exc.kind, exc.detail))
            return
        finally:
            del data
        summary = await context.store.run(apply_import, user_id, parsed, name)
        log.info(
            "user %s imported %s connections (%s new, %s gone)",
            user_id, summary.rows_read, summary.new, summary.gone,
        )  # fmt: skip
        markup = None
        if summary.undecided:
            label = (
                texts.BUTTON_START_REVIEW if summary.first_import else texts.BUTTON_CONTINUE_REVIEW
            )
            markup = InlineKeyboardMarkup(
                [[InlineKeyboardButton(label, callback_data=callbacks.review())]]
            )
        await _finish(context, status, texts.import_summary(summary), markup)
    finally:
        context.imports.end(user_id)


async def _finish(
    context: KeepcutContext,
    status: Message,
    text: str,
    markup: InlineKeyboardMarkup | None = None,
) -> None:
    """Replace the "reading…" message with the outcome."""
    await edit_or_send(context.bot, status.chat_id, status.message_id, text, markup)


def reply_with(text: str) -> Callable[[Update, KeepcutContext], Coroutine[Any, Any, None]]:
    """A handler that answers anything it catches with one fixed hint."""

    async def reply(update: Update, context: KeepcutContext) -> None:
        assert update.effective_message
        await update.effective_message.reply_text(text)

    return reply


# What people send instead of the export: each gets a hint at what to send.
photo = reply_with(texts.PHOTO_HINT)
other_media = reply_with(texts.MEDIA_HINT)
text = reply_with(texts.TEXT_HINT)
unknown_command = reply_with(texts.UNKNOWN_COMMAND)
