"""/start and /help."""

from __future__ import annotations

from telegram import Update

from bot import texts
from bot.context import KeepcutContext


async def start(update: Update, context: KeepcutContext) -> None:
    """Greet the person and explain how to get and send the export."""
    assert update.effective_message and update.effective_user
    await update.effective_message.reply_text(texts.welcome(update.effective_user.first_name))


async def help_command(update: Update, context: KeepcutContext) -> None:
    """List the commands and how to get the export."""
    assert update.effective_message
    await update.effective_message.reply_text(texts.help_text())
