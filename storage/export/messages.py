"""Counting messages per connection from messages.csv, streamed; contents are never kept.

The owner of the export is not in their own Connections.csv, so the owner's URL is the one
taking part in most conversations among URLs that are not connections (falling back to all
URLs). A message from the owner counts as "sent" for every other recipient (or, without a
RECIPIENT PROFILE URLS column, every other participant of the conversation); a message from
anyone else counts as "received" for its sender. Drafts are skipped.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from ..text import fold
from .dates import DateReader
from .matching import ConnectionIndex, Header, cell, csv_rows, read_header, signals_for
from .records import Signals

_URL_SPLIT = re.compile(r"[;,\s]+")
_YES = frozenset({"yes", "true", "y", "1"})
_CURRENT = frozenset({"from", "sender profile url"})
_OLD = frozenset({"from", "to", "date", "content"})
_K = TypeVar("_K", bound=Hashable)
_DRAFT_FOLDERS = frozenset({"draft", "drafts"})
_CACHE_LIMIT = 10_000


@dataclass(slots=True)
class Tally:
    """How many messages share one (conversation, sender, recipients) and the latest date."""

    count: int = 0
    last: datetime.date | None = None

    def add(self, when: datetime.date | None) -> None:
        """Count one more message."""
        self.count += 1
        if when is not None and (self.last is None or when > self.last):
            self.last = when


def _bump(tallies: dict[_K, Tally], key: _K, when: datetime.date | None) -> None:
    """Count one message under ``key``."""
    tally = tallies.get(key)
    if tally is None:
        tally = tallies[key] = Tally()
    tally.add(when)


def _credit(book: dict[str, Signals], key: str | None, tally: Tally, sent: bool) -> None:
    """Add a tally of messages to a connection's signals."""
    if key is None:
        return
    signals = signals_for(book, key)
    if sent:
        signals.messages_sent += tally.count
    else:
        signals.messages_received += tally.count
    last = tally.last
    if last is not None and (signals.last_message_on is None or last > signals.last_message_on):
        signals.last_message_on = last


def _message_date(text: str, dates: DateReader) -> datetime.date | None:
    """Read a message date; only its day matters, which also keeps the date cache small."""
    text = text.strip()
    return dates.read(text[:10] if text[4:5] == "-" else text)


def read_messages(
    text: Iterable[str], index: ConnectionIndex, dates: DateReader
) -> dict[str, Signals]:
    """Count messages sent to and received from each connection."""
    rows = csv_rows(text)
    header = read_header(rows, _CURRENT, _OLD)
    if header is None:
        return {}
    if "sender profile url" in header:
        return _by_url(rows, header, index, dates)
    return _by_name(rows, header, index, dates)


def _draft_columns(header: Header) -> list[tuple[int, frozenset[str]]]:
    """Columns that mark a row as a draft, with the values that mean "draft"."""
    checks = [(header.get(name), _YES) for name in ("is message draft", "is conversation draft")]
    checks.append((header.get("folder"), _DRAFT_FOLDERS))
    return [(index, values) for index, values in checks if index is not None]


def _is_draft(row: list[str], checks: list[tuple[int, frozenset[str]]]) -> bool:
    """Whether a message row (padded to every checked column) is a draft, never sent."""
    return any(row[index].strip().casefold() in values for index, values in checks)


def _by_url(
    rows: Iterable[list[str]], header: Header, index: ConnectionIndex, dates: DateReader
) -> dict[str, Signals]:
    """Current shape: attribute messages by profile URL."""
    i_sender = header["sender profile url"]
    i_conversation, i_recipients, i_date = (
        header.get(name, -1) for name in ("conversation id", "recipient profile urls", "date")
    )
    drafts = _draft_columns(header)
    width = max(i_sender, i_conversation, i_recipients, i_date, *(i for i, _ in drafts)) + 1
    padding = [""] * width
    path_of = index.path
    recipient_sets: dict[str, frozenset[str]] = {}
    day_of: dict[str, datetime.date | None] = {}
    tallies: dict[tuple[str, str, frozenset[str]], Tally] = {}
    # The hot loop of a 100 MB file: plain indexing and local caches, no helpers per cell.
    for row in rows:
        if len(row) < width:
            row = row + padding
        if drafts and _is_draft(row, drafts):
            continue
        sender = path_of(row[i_sender].strip()) or ""
        listed = row[i_recipients] if i_recipients >= 0 else ""
        recipients = recipient_sets.get(listed)
        if recipients is None:
            paths = (path_of(url) for url in _URL_SPLIT.split(listed) if url)
            recipients = recipient_sets[listed] = frozenset(p for p in paths if p)
        if not (sender or recipients):
            continue
        stamp = row[i_date].strip() if i_date >= 0 else ""
        if stamp[4:5] == "-":
            stamp = stamp[:10]  # ISO: only the day matters, and days repeat
        try:
            day = day_of[stamp]
        except KeyError:
            if len(day_of) > _CACHE_LIMIT:
                day_of.clear()
            day = day_of[stamp] = dates.read(stamp)
        key = (row[i_conversation].strip() if i_conversation >= 0 else "", sender, recipients)
        tally = tallies.get(key)
        if tally is None:
            tally = tallies[key] = Tally()
        tally.add(day)
    participants: dict[str, set[str]] = {}
    for conversation, sender, recipients in tallies:
        members = participants.setdefault(conversation or f"{sender}>{sorted(recipients)}", set())
        members.update(recipients)
        if sender:
            members.add(sender)
    owner = _owner(participants.values(), tallies, index)
    book: dict[str, Signals] = {}
    for (conversation, sender, recipients), tally in tallies.items():
        if sender and sender == owner:
            # Without a recipients column, the other participants of the conversation.
            others = recipients or (
                participants.get(conversation, set()) if conversation else set()
            )
            for other in others - {owner}:
                _credit(book, index.by_path(other), tally, sent=True)
        elif sender:
            _credit(book, index.by_path(sender), tally, sent=False)
    return book


def _owner(
    participants: Iterable[set[str]],
    tallies: dict[tuple[str, str, frozenset[str]], Tally],
    index: ConnectionIndex,
) -> str | None:
    """The export owner's profile path: in most conversations, and not a connection."""
    conversations: Counter[str] = Counter()
    for members in participants:
        conversations.update(members)
    sent: Counter[str] = Counter()
    for (_, sender, _), tally in tallies.items():
        sent[sender] += tally.count
    strangers = [path for path in conversations if index.by_path(path) is None]
    candidates = strangers or list(conversations)
    if not candidates:
        return None
    return max(candidates, key=lambda path: (conversations[path], sent[path], path))


def _by_name(
    rows: Iterable[list[str]], header: Header, index: ConnectionIndex, dates: DateReader
) -> dict[str, Signals]:
    """Old ``Messages.csv`` (From, To, Date, ..., Direction, Folder): match names uniquely."""
    i_from, i_to, i_date = header["from"], header["to"], header["date"]
    i_direction, i_folder = header.get("direction"), header.get("folder")
    tallies: dict[tuple[str, tuple[str, ...], str], Tally] = {}
    drafts = _draft_columns(header)
    width = max(i_from, i_to, i_date, *(i for i, _ in drafts)) + 1
    padding = [""] * width
    for row in rows:
        if len(row) < width:
            row = row + padding
        if _is_draft(row, drafts):
            continue
        sender = fold(cell(row, i_from))
        recipients = tuple(fold(name) for name in cell(row, i_to).split(";") if name.strip())
        way = (cell(row, i_direction) or cell(row, i_folder)).casefold()
        _bump(tallies, (sender, recipients, way), _message_date(cell(row, i_date), dates))
    names: Counter[str] = Counter()
    for sender, recipients, _ in tallies:
        names.update(name for name in (sender, *recipients) if index.by_folded_name(name) is None)
    owner = max(names, key=lambda name: (names[name], name)) if names else None
    book: dict[str, Signals] = {}
    for (sender, recipients, way), tally in tallies.items():
        outgoing = way in ("outgoing", "sent") or (
            way not in ("incoming", "received", "inbox") and sender == owner
        )
        if outgoing:
            for name in recipients:
                _credit(book, index.by_folded_name(name), tally, sent=True)
        else:
            _credit(book, index.by_folded_name(sender), tally, sent=False)
    return book
