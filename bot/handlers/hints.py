"""What people send instead of the export: each kind gets a hint at what to send."""

from __future__ import annotations

import time
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Update

from bot import texts
from bot.context import KeepcutContext

# The same hint again within this many seconds is not repeated: forty stickers in a row
# deserve one answer, not forty.
QUIET_SECONDS = 10.0
_LAST_HINT = "last_hint"


def reply_with(text: str) -> Callable[[Update, KeepcutContext], Coroutine[Any, Any, None]]:
    """A handler that answers anything it catches with one fixed hint."""

    async def reply(update: Update, context: KeepcutContext) -> None:
        """Send the hint to the chat the update came from (not twice in a row quickly)."""
        assert update.effective_message
        now = time.monotonic()
        last = context.user_data.get(_LAST_HINT) if context.user_data is not None else None
        if last is not None and last[0] == text and now - last[1] < QUIET_SECONDS:
            return
        if context.user_data is not None:
            context.user_data[_LAST_HINT] = (text, now)
        await update.effective_message.reply_text(text)

    return reply


photo = reply_with(texts.PHOTO_HINT)
other_media = reply_with(texts.MEDIA_HINT)
text = reply_with(texts.TEXT_HINT)
unknown_command = reply_with(texts.UNKNOWN_COMMAND)
