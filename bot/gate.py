"""What every update passes first: private chats only, the allow-list, who is writing."""

from __future__ import annotations

import logging

from telegram import Chat, ChatMember, Update
from telegram.ext import ApplicationHandlerStop

from bot import texts
from bot.context import KeepcutContext, reload_person
from storage import users

log = logging.getLogger(__name__)


async def gate(update: Update, context: KeepcutContext) -> None:
    """Let through only private-chat updates from allowed people; record who wrote."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None:
        raise ApplicationHandlerStop
    if chat.type != Chat.PRIVATE:
        await _decline_group(update, context)
        raise ApplicationHandlerStop
    if not context.settings.is_allowed(user.id):
        log.info("refused update %s from user outside the allow-list", update.update_id)
        await _refuse(update)
        raise ApplicationHandlerStop
    if update.edited_message:
        # Editing an old message is not a new request; answering it again would confuse.
        raise ApplicationHandlerStop
    if update.my_chat_member:
        blocked = update.my_chat_member.new_chat_member.status == ChatMember.BANNED
        await context.store.run(users.set_blocked, user.id, blocked)
        reload_person(context.app, user.id)
        log.info("user %s %s the bot", user.id, "blocked" if blocked else "unblocked")
        raise ApplicationHandlerStop
    # Handlers read the person from here (context.person). Someone whose row is as the
    # bot last saw it costs no database work here at all: every change the bot makes to
    # a person's row also updates this copy, and the row is touched once a minute.
    now = context.clock.now()
    known = context.known_person()
    if (
        known is not None
        and (known.chat_id, known.first_name) == (chat.id, user.first_name or "")
        and not known.blocked
        and context.touched_lately(now)
    ):
        return
    context.person = await context.store.run(
        users.touch_user, user.id, chat.id, user.first_name or "", now
    )
    context.mark_touched(now)


async def _decline_group(update: Update, context: KeepcutContext) -> None:
    """Say once per group that keepcut works in private chats, then stay quiet."""
    chat = update.effective_chat
    assert chat is not None
    if update.callback_query:
        await update.callback_query.answer(texts.PRIVATE_ONLY)
        return
    if update.effective_message is None and update.my_chat_member is None:
        return
    if update.my_chat_member and update.my_chat_member.new_chat_member.status in (
        ChatMember.LEFT,
        ChatMember.BANNED,
    ):
        return
    if await context.store.run(users.claim_group_notice, chat.id):
        await context.bot.send_message(chat.id, texts.PRIVATE_ONLY)


async def _refuse(update: Update) -> None:
    """Tell someone outside the allow-list that the bot is not for them."""
    if update.callback_query:
        await update.callback_query.answer(texts.NOT_ALLOWED_SHORT, show_alert=True)
    elif update.effective_message:
        await update.effective_message.reply_text(texts.NOT_ALLOWED)
