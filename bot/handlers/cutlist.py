"""/cutlist, the Removed ✓ button, and /invitations."""

from __future__ import annotations

import io
import logging

from telegram import InlineKeyboardMarkup, InputFile, Update
from telegram.constants import ChatAction

from bot import texts
from bot.callbacks import Removed
from bot.context import KeepcutContext
from bot.render import csv_files, cutlist_messages, invitation_messages
from bot.telegram_io import answer_quietly, edit_or_send
from storage import cutlist, invitations

log = logging.getLogger(__name__)


async def send_cutlist(context: KeepcutContext, everything: bool) -> None:
    """Send today's batch of removal links, then the whole list as a CSV file."""
    user = context.person
    batch = await context.store.run(
        cutlist.take_batch, user.user_id, user.daily_links, everything, context.clock.now(),
        user.zone,
    )  # fmt: skip
    for text, markup in cutlist_messages.batch_messages(batch, user.daily_links):
        await context.bot.send_message(user.chat_id, text, reply_markup=markup)
    if batch.total_cut == 0:
        return
    await context.bot.send_chat_action(user.chat_id, ChatAction.UPLOAD_DOCUMENT)
    everyone = await context.store.run(cutlist.all_cuts, user.user_id)
    name = f"keepcut-cut-list-{user.today(context.clock.now()).isoformat()}.csv"
    await context.bot.send_document(
        user.chat_id,
        InputFile(io.BytesIO(csv_files.cut_list_csv(everyone)), filename=name),
        caption=texts.CUTLIST_CAPTION,
    )


async def cutlist_command(update: Update, context: KeepcutContext) -> None:
    """/cutlist [all]: the people to remove, a batch a day, and the CSV."""
    args = context.args or []
    await send_cutlist(context, everything=bool(args) and args[0].lower() == "all")


async def removed_button(update: Update, context: KeepcutContext, action: Removed) -> None:
    """Removed ✓: record it, then redraw that cut-list message with the person struck out."""
    query = update.callback_query
    assert query and query.message
    user = context.person
    markup = getattr(query.message, "reply_markup", None)
    keyboard = markup if isinstance(markup, InlineKeyboardMarkup) else None
    shown = cutlist_messages.ids_in_keyboard(keyboard)
    mark = await context.store.run(
        cutlist.press_removed, user.user_id, action.connection_id, shown, context.clock.now()
    )
    if not mark.found:
        await answer_quietly(query, texts.TOAST_GONE)
        return
    await answer_quietly(
        query, texts.TOAST_ALREADY_REMOVED if mark.already else texts.TOAST_MARKED_REMOVED
    )
    if mark.people:
        first = cutlist_messages.first_index_in_keyboard(keyboard)
        text, new_markup = cutlist_messages.cutlist_message(mark.people, first)
        await edit_or_send(context.bot, user.chat_id, query.message.message_id, text, new_markup)


async def invitations_command(update: Update, context: KeepcutContext) -> None:
    """/invitations: outgoing invitations still pending after eight weeks, oldest first."""
    user = context.person
    has_file, pending = await context.store.run(invitations.pending_invitations, user.user_id)
    if not has_file:
        await context.bot.send_message(user.chat_id, texts.INVITATIONS_NO_FILE)
        return
    if not pending:
        await context.bot.send_message(user.chat_id, texts.INVITATIONS_NONE)
        return
    for text in invitation_messages.invitation_messages(pending):
        await context.bot.send_message(user.chat_id, text)
