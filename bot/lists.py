"""Pure rendering of the cut list and the pending invitations into messages."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import callbacks, texts
from bot.cards import MAX_NAME, clip, headline, profile_link
from storage.cutlist import PendingInvitation
from storage.review import Connection

PER_MESSAGE = 10
# Keep room under Telegram's 4,096 characters for one message of links.
MAX_TEXT = 3500


# Ten people to a message must stay under Telegram's 4,096 characters.
ENTRY_FIELD = 80


def cutlist_entry(index: int, c: Connection) -> str:
    """One person in a cut-list message, struck through once removed."""
    line = f"{index}. <b>{clip(c.full_name, ENTRY_FIELD)}</b>"
    where = headline(c, ENTRY_FIELD)
    if where:
        line += f" — {where}"
    return f"<s>{line}</s> ✓" if c.removed_at else line


def cutlist_message(
    people: list[Connection], first_index: int = 1
) -> tuple[str, InlineKeyboardMarkup]:
    """A message of up to ten people: a profile button and a Removed button each."""
    lines, rows = [], []
    for offset, c in enumerate(people):
        lines.append(cutlist_entry(first_index + offset, c))
        label = f"{first_index + offset}. {c.full_name}"[:40]
        done = texts.BUTTON_IS_REMOVED if c.removed_at else texts.BUTTON_REMOVED
        rows.append(
            [
                InlineKeyboardButton(f"🔗 {label}", url=profile_link(c)),
                InlineKeyboardButton(done, callback_data=callbacks.removed(c.id)),
            ]
        )
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def chunks(people: list[Connection], size: int = PER_MESSAGE) -> list[list[Connection]]:
    """Split the batch into messages of `size` people."""
    return [people[i : i + size] for i in range(0, len(people), size)]


def ids_in_keyboard(markup: InlineKeyboardMarkup | None) -> list[int]:
    """The connection ids a cut-list message shows, in order, read from its buttons."""
    ids: list[int] = []
    for row in markup.inline_keyboard if markup else ():
        for button in row:
            data = button.callback_data
            action = callbacks.parse(data if isinstance(data, str) else None)
            if action and action.kind == "removed" and action.connection_id is not None:
                ids.append(action.connection_id)
    return ids


def first_index_in_keyboard(markup: InlineKeyboardMarkup | None) -> int:
    """The number shown before the first person of a cut-list message."""
    if markup and markup.inline_keyboard and markup.inline_keyboard[0]:
        label = markup.inline_keyboard[0][0].text
        number = label.removeprefix("🔗 ").split(".", 1)[0]
        if number.isdigit():
            return int(number)
    return 1


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
