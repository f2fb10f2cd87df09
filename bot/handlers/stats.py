"""/stats and /target."""

from __future__ import annotations

from dataclasses import replace

from telegram import Update
from telegram.constants import ChatAction

from bot import forecast, texts
from bot.charts import draw_chart, send_chart
from bot.context import KeepcutContext
from storage import progress, users


async def stats_command(update: Update, context: KeepcutContext) -> None:
    """/stats: the counts, a progress bar, and the way to the target."""
    user, now = context.person, context.clock.now()
    p = await context.store.run(progress.progress, user.user_id)
    pace = await context.store.run(progress.recent_pace, user.user_id, now)
    projection = forecast.project(p, pace, user.today(now))
    text = texts.stats_text(p, projection, forecast.bar(p.reviewed, p.total))
    if p.total == 0:
        await context.bot.send_message(user.chat_id, text)
        return
    await context.bot.send_chat_action(user.chat_id, ChatAction.UPLOAD_PHOTO)
    png = await draw_chart(context.store, user, now)
    await send_chart(context.bot, user.chat_id, png, text, None)


def parse_target(args: list[str]) -> int | None:
    """A whole number from 1 to 30,000 (thousands separators allowed), or None."""
    if len(args) != 1:
        return None
    raw = args[0].replace(",", "").replace("_", "").replace("'", "")
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 6:
        return None
    value = int(raw)
    return value if 1 <= value <= users.MAX_TARGET else None


async def target_command(update: Update, context: KeepcutContext) -> None:
    """/target N: set the network size the person aims for."""
    user = context.person
    target = parse_target(context.args or [])
    if target is None:
        await context.bot.send_message(user.chat_id, texts.TARGET_USAGE)
        return
    await context.store.run(users.set_target, user.user_id, target)
    context.person = replace(user, target=target)
    p = await context.store.run(progress.progress, user.user_id)
    await context.bot.send_message(user.chat_id, texts.target_set(target, p.network_after))
