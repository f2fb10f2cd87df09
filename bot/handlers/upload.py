"""Receiving the export: download it, read it, merge it, answer with what changed."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime

from sqlite_utils import Database
from telegram import Document, Message, Update
from telegram.constants import ChatAction
from telegram.error import BadRequest, NetworkError

from bot import texts
from bot.context import KeepcutContext
from bot.render.cards import start_review_keyboard
from bot.schedules.setup import after_import
from bot.telegram_io import edit_or_send
from storage.export import ExportError, ParsedExport, read_export
from storage.merge import ImportSummary, apply_import

log = logging.getLogger(__name__)


class Refused(Exception):
    """An upload that cannot be imported; the message is the answer to send."""


async def document(update: Update, context: KeepcutContext) -> None:
    """A file arrived: check its size, then import it in the background."""
    message, user = update.effective_message, context.person
    assert message and message.document
    limit = context.settings.download_limit
    if message.document.file_size and message.document.file_size > limit:
        await message.reply_text(texts.too_big(limit))
        return
    now = context.clock.now()
    if (again := context.imports.next_allowed(user.user_id, now)) is not None:
        await message.reply_text(texts.too_many_imports(again.astimezone(user.zone)))
        return
    if not context.imports.try_begin(user.user_id, now):
        await message.reply_text(texts.STILL_IMPORTING)
        return
    try:
        await context.bot.send_chat_action(message.chat_id, ChatAction.TYPING)
        busy = context.imports.turns.locked()  # every turn taken: this one will wait
        status = await message.reply_text(texts.READING_IN_LINE if busy else texts.READING)
    except BaseException:
        context.imports.end(user.user_id)
        raise
    # The import runs as its own task so this person's other updates (a button
    # press, a second upload to be told to wait) are not queued behind it.
    context.application.create_task(
        _import(context, user.user_id, message.document, status), update=update
    )


async def _import(
    context: KeepcutContext, user_id: int, document: Document, status: Message
) -> None:
    """Download, read and merge one upload, then replace the status with the result."""
    try:
        async with context.imports.turns:
            # No name holds the bytes here, so they are freed once parsed, before the merge.
            summary, to_recheck = await _read_and_merge(
                context, user_id, await _download(context, user_id, document),
                document.file_name or "",
            )  # fmt: skip
    except Refused as refusal:
        await edit_or_send(context.bot, status.chat_id, status.message_id, str(refusal))
    else:
        text = texts.import_summary(summary)
        if to_recheck:
            text += "\n\n" + texts.season_upload(summary.new, to_recheck)
        markup = start_review_keyboard(summary.first_import, summary.undecided, to_recheck)
        await edit_or_send(context.bot, status.chat_id, status.message_id, text, markup)
    finally:
        context.imports.end(user_id)


async def _download(context: KeepcutContext, user_id: int, document: Document) -> bytes:
    """The file's bytes from Telegram; Refused with the answer when that fails."""
    try:
        file = await context.bot.get_file(document.file_id)
        return bytes(await file.download_as_bytearray(read_timeout=120))
    except BadRequest as exc:
        log.info("download refused for user %s: %s", user_id, exc.message)
        too_big = "too big" in exc.message.lower()
        answer = texts.too_big(context.settings.download_limit) if too_big else None
        raise Refused(answer or texts.DOWNLOAD_FAILED) from None
    except NetworkError as exc:
        log.warning("download failed for user %s: %s", user_id, exc)
        raise Refused(texts.DOWNLOAD_FAILED) from None


async def _read_and_merge(
    context: KeepcutContext, user_id: int, data: bytes, name: str
) -> tuple[ImportSummary, int]:
    """Parse the export off the event loop, merge it; also the keeps to re-check now."""
    try:
        parsed = await asyncio.to_thread(read_export, data, name)
    except ExportError as exc:
        log.info("upload from user %s refused: %s", user_id, exc)
        raise Refused(texts.export_problem(exc.kind, exc.detail)) from None
    finally:
        del data
    summary, to_recheck = await context.store.run(
        merge_export, user_id, parsed, name, context.clock.now()
    )
    log.info(
        "user %s imported %s connections (%s new, %s gone)",
        user_id, summary.rows_read, summary.new, summary.gone,
    )  # fmt: skip
    return summary, to_recheck


def merge_export(
    db: Database, user_id: int, parsed: ParsedExport, name: str, now: datetime
) -> tuple[ImportSummary, int]:
    """On the database thread, in one trip: merge, set up schedules, count re-checks."""
    return apply_import(db, user_id, parsed, name, now), after_import(db, user_id, now)
