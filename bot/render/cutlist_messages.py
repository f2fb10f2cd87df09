"""Pure rendering of the cut list: today's batch as messages of ten, each with buttons."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import callbacks, texts
from bot.callbacks import Removed, button
from bot.render.cards import clip, headline, profile_link
from storage.cutlist import Batch
from storage.records import Connection

PER_MESSAGE = 10
# Ten people to a message must stay under Telegram's 4,096 characters.
ENTRY_FIELD = 80

Message = tuple[str, InlineKeyboardMarkup | None]


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
            [InlineKeyboardButton(f"🔗 {label}", url=profile_link(c)), button(done, Removed(c.id))]
        )
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def chunks(people: list[Connection], size: int = PER_MESSAGE) -> list[list[Connection]]:
    """Split the batch into messages of `size` people."""
    return [people[i : i + size] for i in range(0, len(people), size)]


def batch_messages(batch: Batch, daily: int) -> list[Message]:
    """Everything /cutlist says before the CSV: the intro, the links, what comes next."""
    if batch.total_cut == 0:
        return [(texts.CUTLIST_EMPTY, None)]
    if not batch.people:
        if batch.remaining:
            return [(texts.cutlist_wait(batch.remaining, daily), None)]
        return [(texts.cutlist_all_done(batch.total_cut), None)]
    messages: list[Message] = [
        (texts.cutlist_intro(len(batch.people), batch.total_cut, batch.removed), None)
    ]
    for number, group in enumerate(chunks(batch.people)):
        messages.append(cutlist_message(group, 1 + number * PER_MESSAGE))
    messages.append((texts.cutlist_next_batch(batch.remaining, daily), None))
    return messages


def ids_in_keyboard(markup: InlineKeyboardMarkup | None) -> list[int]:
    """The connection ids a cut-list message shows, in order, read from its buttons."""
    ids: list[int] = []
    for row in markup.inline_keyboard if markup else ():
        for key in row:
            data = key.callback_data
            action = callbacks.parse(data if isinstance(data, str) else None)
            if isinstance(action, Removed):
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
