"""The review walk: /review, /undo, /find, and every button on a card."""

from __future__ import annotations

import logging
from dataclasses import replace

from telegram import Update

from bot import live_card, texts
from bot.context import KeepcutContext
from bot.render import cards
from bot.telegram_io import answer_quietly
from bot.updates import handling_alone
from storage import decisions, queue, search, users
from storage.cards import CardCommand, Decide, Reason, StillKeep, Undo, card_view, press
from storage.records import ORDERS, CardView, Order, Outcome
from storage.users import utc_now_iso

log = logging.getLogger(__name__)


async def show_card(
    context: KeepcutContext, user: users.User, view: CardView, message_id: int | None
) -> None:
    """Put the card on screen in `message_id` (or a new message) and remember it."""
    now = context.clock.now()
    context.person = await live_card.present(
        context.bot, context.store, user, view, message_id, now,
        later=context.application.create_task,
    )  # fmt: skip


async def send_new_card(
    context: KeepcutContext, order: Order | None = None, mode: users.Mode = "review"
) -> None:
    """Start or continue the review (or the re-check) with a fresh card at the bottom."""
    user = context.person
    if order is not None and order != user.review_order:
        await context.store.run(queue.set_order, user.user_id, order)
        user = context.person = replace(user, review_order=order)
    if mode != user.review_mode or (mode == "recheck" and user.recheck_since is None):
        since = user.recheck_since or utc_now_iso(context.clock.now())
        await context.store.run(users.set_review_mode, user.user_id, mode, since)
        user = context.person = replace(user, review_mode=mode, recheck_since=since)
    view = await context.store.run(card_view, user.user_id, user.walk)
    if view.progress.total == 0:
        await context.bot.send_message(user.chat_id, texts.NOTHING_TO_REVIEW)
        return
    await show_card(context, user, view, None)


def parse_order(word: str) -> Order | None:
    """A card order named by the person ("Oldest" too), or None if it is not one."""
    return next((order for order in ORDERS if order == word.lower()), None)


async def review_command(update: Update, context: KeepcutContext) -> None:
    """/review [weakest|oldest|newest]: continue where the person left off."""
    args = context.args or []
    order = parse_order(args[0]) if args else None
    if args and order is None:
        await context.bot.send_message(context.person.chat_id, texts.BAD_ORDER)
        return
    await send_new_card(context, order)


async def undo_command(update: Update, context: KeepcutContext) -> None:
    """/undo: take back the last decision and show that person again."""
    user = context.person
    connection = await context.store.run(decisions.undo_last, user.user_id)
    if connection is None:
        await context.bot.send_message(user.chat_id, texts.NOTHING_TO_UNDO)
        return
    view = await context.store.run(card_view, user.user_id, user.walk, connection.id)
    await show_card(context, user, view, None)


async def find_command(update: Update, context: KeepcutContext) -> None:
    """/find NAME: a few matching people as buttons."""
    user = context.person
    query = " ".join(context.args or []).strip()[:100]
    if not query:
        await context.bot.send_message(user.chat_id, texts.FIND_USAGE)
        return
    matches = await context.store.run(search.find, user.user_id, query)
    if not matches:
        await context.bot.send_message(user.chat_id, texts.find_none(query))
        return
    await context.bot.send_message(
        user.chat_id, texts.FIND_PICK, reply_markup=cards.find_keyboard(matches)
    )


async def card_button(update: Update, context: KeepcutContext, action: CardCommand) -> None:
    """Keep / Cut / Skip / Undo / reason / view: commit first, then answer, then redraw."""
    query = update.callback_query
    assert query and query.message
    user, now = context.person, context.clock.now()
    # Alone, the work is done at once (the database thread is slower to wake than the
    # work takes); with others' updates under way it goes to the thread, not to block them.
    run = (
        context.store.run_if_idle
        if handling_alone(context.app.update_processor)
        else (context.store.run)
    )
    outcome, view = await run(press, user.user_id, action, user.walk, now)
    await answer_quietly(query, toast(action, outcome))
    context.person = await live_card.present(
        context.bot, context.store, user, view, query.message.message_id, now,
        later=context.application.create_task,
    )  # fmt: skip


def toast(action: CardCommand, outcome: Outcome) -> str | None:
    """The short answer to a press: what happened, or why nothing did."""
    if outcome is Outcome.MISSING:
        return texts.TOAST_GONE
    if isinstance(action, Undo):
        return texts.TOAST_UNDONE if outcome is Outcome.APPLIED else texts.TOAST_STALE
    if outcome is Outcome.UNCHANGED:
        return texts.TOAST_UNCHANGED
    if isinstance(action, Decide):
        return texts.TOAST[action.decision]
    if isinstance(action, StillKeep):
        return texts.TOAST_STILL_KEPT
    if isinstance(action, Reason):
        return texts.REASON_NOTED.format(reason=texts.REASONS.get(action.reason, ""))
    return None
