"""The network chart as a photo: drawn off the event loop, sent with its caption."""

from __future__ import annotations

import asyncio
from datetime import datetime

from telegram import Bot, InlineKeyboardMarkup, InputFile

from bot.render.chart import network_chart
from storage.growth import network_growth
from storage.store import Store
from storage.users import User

MAX_CAPTION = 1024  # Telegram's limit for a photo's caption


async def draw_chart(store: Store, user: User, now: datetime) -> bytes:
    """The person's network chart as PNG bytes (matplotlib runs in a worker thread)."""
    growth = await store.run(network_growth, user.user_id)
    today = now.astimezone(user.zone).date()
    return await asyncio.to_thread(network_chart, growth, user.target, today)


async def send_chart(
    bot: Bot, chat_id: int, png: bytes, text: str, markup: InlineKeyboardMarkup | None
) -> None:
    """The chart with `text` as its caption (or, if the text is too long, right after it)."""
    photo = InputFile(png, filename="keepcut-network.png")
    if len(text) <= MAX_CAPTION:
        await bot.send_photo(chat_id, photo, caption=text, reply_markup=markup)
        return
    await bot.send_photo(chat_id, photo)
    await bot.send_message(chat_id, text, reply_markup=markup)
