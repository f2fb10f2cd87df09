"""/start and /help."""

from __future__ import annotations

from telegram import Update

from bot import texts
from bot.context import KeepcutContext


async def start(update: Update, context: KeepcutContext) -> None:
    """Greet the person and explain how to get and send the export."""
    user = context.person
    await context.bot.send_message(user.chat_id, texts.welcome(user.first_name))


async def help_command(update: Update, context: KeepcutContext) -> None:
    """List the commands and how to get the export."""
    await context.bot.send_message(context.person.chat_id, texts.help_text())
