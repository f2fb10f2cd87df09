"""What people send instead of the export: each kind gets a hint at what to send."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Update

from bot import texts
from bot.context import KeepcutContext


def reply_with(text: str) -> Callable[[Update, KeepcutContext], Coroutine[Any, Any, None]]:
    """A handler that answers anything it catches with one fixed hint."""

    async def reply(update: Update, context: KeepcutContext) -> None:
        """Send the hint to the chat the update came from."""
        assert update.effective_message
        await update.effective_message.reply_text(text)

    return reply


photo = reply_with(texts.PHOTO_HINT)
other_media = reply_with(texts.MEDIA_HINT)
text = reply_with(texts.TEXT_HINT)
unknown_command = reply_with(texts.UNKNOWN_COMMAND)
