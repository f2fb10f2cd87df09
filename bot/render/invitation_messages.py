"""Pure rendering of /invitations: pending invitations as linked lines, split to fit."""

from __future__ import annotations

from bot import texts
from bot.render.cards import MAX_NAME
from storage.invitations import PendingInvitation

# Keep room under Telegram's 4,096 characters for one message of links.
MAX_TEXT = 3500


def invitation_messages(invitations: list[PendingInvitation]) -> list[str]:
    """The pending invitations as linked lines, split to fit Telegram's message limit."""
    messages, current = [], texts.invitations_intro(len(invitations))
    for inv in invitations:
        line = texts.invitation_entry(inv.name[:MAX_NAME], inv.url, inv.sent_on)
        if len(current) + len(line) + 1 > MAX_TEXT:
            messages.append(current)
            current = line
        else:
            current += "\n" + line
    messages.append(current)
    return messages
