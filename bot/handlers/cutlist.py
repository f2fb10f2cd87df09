"""/cutlist, the Removed ✓ button, and /invitations."""

from __future__ import annotations

import io
import logging

from telegram import InputFile, Update
from telegram.constants import ChatAction

from bot import csv_export, lists, texts
from bot.callbacks import Action
from bot.context import KeepcutContext
from bot.handlers.review import current_user, today_for
from bot.telegram_io import answer_quietly, edit_or_send
from storage import cutlist, users

log = logging.getLogger(__name__)


async def send_cutlist(context: KeepcutContext, user: users.User, everything: bool) -> None:
    """Send today's batch of removal links, then the whole list as a CSV file."""
    chat = user.chat_id
    batch = await context.store.run(
        cutlist.take_batch, user.user_id, user.daily_links, everything, zone=user.zone
    )
    if batch.total_cut == 0:
        await context.bot.send_message(chat, texts.CUTLIST_EMPTY)
        return
    if not batch.people:
        text = (
            texts.cutlist_wait(batch.remaining, user.daily_links)
            if batch.remaining
            else texts.cutlist_all_done(batch.total_cut)
        )
        await context.bot.send_message(chat, text)
    else:
        await context.bot.send_message(
            chat, texts.cutlist_intro(len(batch.people), batch.total_cut, batch.removed)
        )
        index = 1
        for group in lists.chunks(batch.people):
            text, markup = lists.cutlist_message(group, index)
            await context.bot.send_message(chat, text, reply_markup=markup)
            index += len(group)
        await context.bot.send_message(
            chat, texts.cutlist_next_batch(batch.remaining, user.daily_links)
        )
    await context.bot.send_chat_action(chat, ChatAction.UPLOAD_DOCUMENT)
    everyone = await context.store.run(cutlist.all_cuts, user.user_id)
    name = f"keepcut-cut-list-{today_for(user).isoformat()}.csv"
    await context.bot.send_document(
        chat,
        InputFile(io.BytesIO(csv_export.cut_list_csv(everyone)), filename=name),
        caption=texts.CUTLIST_CAPTION,
    )


async def cutlist_command(update: Update, context: KeepcutContext) -> None:
    """/cutlist [all]: the people to remove, a batch a day, and the CSV."""
    user = await current_user(update, context)
    everything = bool(context.args) and context.args[0].lower() == "all"  # type: ignore[index]
    await send_cutlist(context, user, everything)


async def cutlist_button(update: Update, context: KeepcutContext) -> None:
    """The "Show my cut list" button at the end of the review."""
    assert update.callback_query
    await answer_quietly(update.callback_query)
    await send_cutlist(context, await current_user(update, context), everything=False)


async def removed_button(update: Update, context: KeepcutContext, action: Action) -> None:
    """Removed ✓: record it, then redraw that cut-list message with the person struck out."""
    query = update.callback_query
    assert query and query.message and action.connection_id is not None
    user = await current_user(update, context)
    before = await context.store.run(cutlist.get_cut, user.user_id, action.connection_id)
    if before is None:
        await answer_quietly(query, texts.TOAST_GONE)
        return
    await context.store.run(cutlist.mark_removed, user.user_id, action.connection_id)
    await answer_quietly(
        query, texts.TOAST_ALREADY_REMOVED if before.removed_at else texts.TOAST_MARKED_REMOVED
    )
    markup = query.message.reply_markup if hasattr(query.message, "reply_markup") else None
    ids = lists.ids_in_keyboard(markup)
    people = await context.store.run(cutlist.cuts_by_id, user.user_id, ids)
    if people:
        text, new_markup = lists.cutlist_message(people, lists.first_index_in_keyboard(markup))
        await edit_or_send(context.bot, user.chat_id, query.message.message_id, text, new_markup)


async def invitations_command(update: Update, context: KeepcutContext) -> None:
    """/invitations: outgoing invitations still pending after eight weeks, oldest first."""
    user = await current_user(update, context)
    has_file, pending = await context.store.run(cutlist.pending_invitations, user.user_id)
    if not has_file:
        await context.bot.send_message(user.chat_id, texts.INVITATIONS_NO_FILE)
        return
    if not pending:
        await context.bot.send_message(user.chat_id, texts.INVITATIONS_NONE)
        return
    for text in lists.invitation_messages(pending):
        await context.bot.send_message(user.chat_id, text)
