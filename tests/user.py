"""The test side of the fake Telegram: a user who talks to the bot, and what the bot sent back.

``server.user(1001, first_name="Alice")`` returns a ``TelegramUser`` for the private chat with
chat id == user id; ``server.group(-100123, user=alice)`` returns a ``ChatClient`` for Alice in a
group. Both offer the same conversation API:

- ``await send(text)`` enqueues a message update (a leading ``/cmd`` gets a bot_command entity);
  ``await send_document(data, name, mime_type=..., caption=..., declared_size=...)`` a document
  (``declared_size`` lets a small payload pose as a 25 MB file);
- ``await press(msg, "Keep")`` presses the inline button with that text (exact, or a unique
  substring; url buttons are refused) and ``await press_data(msg, "k:1")`` sends any, even
  forged, callback data; both return a ``Press`` that records the bot's answer;
- ``await next_message(timeout=5)`` returns the next message the bot sent to the chat, in order
  (a message deleted since is still returned, with ``deleted=True``);
  ``await wait_for_edit(msg)`` waits until the message changes after the version this client
  last saw (via ``next_message`` or ``wait_for_edit``; a message never seen counts from its
  first version); ``await wait_for_answer(press)`` until the bot answers the callback query;
  ``await expect_no_message(0.3)`` asserts silence. Timeouts raise AssertionError describing
  the chat and the bot's recent failed API calls.
- ``messages`` (every BotMessage, current state), ``unread``, ``presses`` and ``answers``
  (``Press``: query_id, data, answered, text, show_alert, url), ``chat_actions``,
  ``TelegramUser.block()`` / ``unblock()`` (sends to the chat then fail with 403).

``BotMessage`` objects are live: edits update them in place and push the old version onto
``history``. Fields: message_id, chat_id, date, text (visible text, or the caption of a media
message), entities, source_text (as sent, before HTML parsing), parse_mode, reply_markup (raw
dict), document / photo (``StoredFile`` with file_name, mime_type and data), edit_date, edits,
history, deleted; ``buttons()`` / ``button(text)`` list and find inline buttons.
"""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from tests.telegram_html import utf16_len

if TYPE_CHECKING:
    from tests.telegram_server import TelegramServer

T = TypeVar("T")
JSON = dict[str, Any]
_COMMAND = re.compile(r"/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?(?![\w/])")


@dataclass(frozen=True)
class Button:
    """One inline keyboard button, with its position."""

    text: str
    callback_data: str | None
    url: str | None
    row: int
    column: int
    raw: JSON


@dataclass
class StoredFile:
    """A file the server holds: uploaded by the bot or sent by a test user."""

    file_id: str
    file_unique_id: str
    file_name: str
    mime_type: str
    data: bytes
    size: int
    file_path: str

    def to_document(self) -> JSON:
        """The Bot API Document object."""
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_name": self.file_name,
            "mime_type": self.mime_type,
            "file_size": self.size,
        }

    def to_photo(self) -> list[JSON]:
        """A one-size Bot API PhotoSize list (the server does not decode images)."""
        size = {"file_id": self.file_id, "file_unique_id": self.file_unique_id}
        return [{**size, "width": 90, "height": 90, "file_size": self.size}]


@dataclass(frozen=True)
class MessageVersion:
    """A message's content before one of its edits."""

    text: str
    entities: list[JSON]
    source_text: str
    parse_mode: str | None
    reply_markup: JSON | None
    edit_date: int | None


@dataclass
class BotMessage:
    """A message the bot sent; edits update it in place and keep older versions in history."""

    message_id: int
    chat: JSON
    sender: JSON
    date: int
    text: str = ""
    entities: list[JSON] = field(default_factory=list)
    source_text: str = ""
    parse_mode: str | None = None
    reply_markup: JSON | None = None
    document: StoredFile | None = None
    photo: StoredFile | None = None
    reply_to: JSON | None = None
    edit_date: int | None = None
    history: list[MessageVersion] = field(default_factory=list)
    deleted: bool = False
    params: JSON = field(default_factory=dict)

    @property
    def chat_id(self) -> int:
        """The chat the message is in."""
        return int(self.chat["id"])

    @property
    def is_media(self) -> bool:
        """True for a document or photo, whose text is a caption."""
        return self.document is not None or self.photo is not None

    @property
    def caption(self) -> str | None:
        """The caption of a media message, None for a text message."""
        return self.text if self.is_media else None

    @property
    def edits(self) -> int:
        """How many times the message was edited."""
        return len(self.history)

    def snapshot(self) -> MessageVersion:
        """The current content as an immutable version."""
        return MessageVersion(
            self.text,
            list(self.entities),
            self.source_text,
            self.parse_mode,
            self.reply_markup,
            self.edit_date,
        )

    def buttons(self) -> list[Button]:
        """All inline keyboard buttons, row by row."""
        rows = (self.reply_markup or {}).get("inline_keyboard") or []
        return [
            Button(b.get("text", ""), b.get("callback_data"), b.get("url"), r, c, b)
            for r, row in enumerate(rows)
            for c, b in enumerate(row)
        ]

    def button(self, text: str) -> Button:
        """The button whose text is ``text``, or else the only one containing it."""
        buttons = self.buttons()
        matches = [b for b in buttons if b.text == text] or [b for b in buttons if text in b.text]
        if len(matches) != 1:
            found = "no" if not matches else "several"
            labels = ", ".join(repr(b.text) for b in buttons) or "none"
            where = f"on message #{self.message_id}"
            raise AssertionError(f"{found} button matching {text!r} {where}; buttons: {labels}")
        return matches[0]

    def to_api(self) -> JSON:
        """The Bot API Message object as the server returns it."""
        message: JSON = {
            "message_id": self.message_id,
            "from": self.sender,
            "chat": self.chat,
            "date": self.date,
        }
        if self.edit_date is not None:
            message["edit_date"] = self.edit_date
        if self.reply_to is not None:
            message["reply_to_message"] = self.reply_to
        text_key, entities_key = (
            ("caption", "caption_entities") if self.is_media else ("text", "entities")
        )
        if self.document is not None:
            message["document"] = self.document.to_document()
        if self.photo is not None:
            message["photo"] = self.photo.to_photo()
        if self.text:
            message[text_key] = self.text
        if self.entities:
            message[entities_key] = self.entities
        if self.reply_markup is not None and "inline_keyboard" in self.reply_markup:
            message["reply_markup"] = self.reply_markup
        return message

    def summary(self) -> str:
        """One line for failure messages."""
        text = self.text if len(self.text) <= 60 else self.text[:57] + "..."
        parts = [f"#{self.message_id} {text!r}"]
        if self.document is not None:
            parts.append(f"[document {self.document.file_name}]")
        if self.buttons():
            parts.append("[" + " | ".join(b.text for b in self.buttons()) + "]")
        if self.edits:
            parts.append(f"(edited {self.edits}x)")
        if self.deleted:
            parts.append("(deleted)")
        return " ".join(parts)


@dataclass
class Press:
    """A callback query sent by a test user, and the bot's answer to it."""

    query_id: str
    data: str
    chat_id: int
    message_id: int
    user_id: int
    created: float = field(default_factory=time.monotonic)
    answered: bool = False
    text: str | None = None
    show_alert: bool = False
    url: str | None = None

    def age(self) -> float:
        """Seconds since the button was pressed."""
        return time.monotonic() - self.created


@dataclass
class ChatState:
    """Everything the server knows about one chat."""

    chat: JSON
    messages: list[BotMessage] = field(default_factory=list)
    by_id: dict[int, BotMessage] = field(default_factory=dict)
    user_messages: dict[int, JSON] = field(default_factory=dict)
    chat_actions: list[str] = field(default_factory=list)
    blocked: bool = False
    last_message_id: int = 0

    @property
    def id(self) -> int:
        """The chat id."""
        return int(self.chat["id"])

    def next_message_id(self) -> int:
        """Allocate the next message id in this chat."""
        self.last_message_id += 1
        return self.last_message_id


def command_entities(text: str) -> list[JSON]:
    """A bot_command entity for a leading ``/command``, as Telegram adds it."""
    match = _COMMAND.match(text)
    if match is None:
        return []
    return [{"type": "bot_command", "offset": 0, "length": utf16_len(match.group())}]


class ChatClient:
    """One test user talking to the bot in one chat; see the module docstring."""

    def __init__(self, server: TelegramServer, user: JSON, chat: ChatState) -> None:
        """Bind the user to the chat; use ``server.user()`` or ``server.group()`` instead."""
        self.server = server
        self.user = user
        self.chat = chat
        self.presses: list[Press] = []
        self._cursor = 0
        self._seen_edits: dict[int, int] = {}

    @property
    def id(self) -> int:
        """The user's id."""
        return int(self.user["id"])

    @property
    def chat_id(self) -> int:
        """The chat's id."""
        return self.chat.id

    @property
    def messages(self) -> list[BotMessage]:
        """Every message the bot sent to this chat, in order, in their current state."""
        return list(self.chat.messages)

    @property
    def unread(self) -> list[BotMessage]:
        """Messages that ``next_message`` has not returned yet."""
        return self.chat.messages[self._cursor :]

    @property
    def answers(self) -> list[Press]:
        """This user's presses that the bot has answered, in press order."""
        return [press for press in self.presses if press.answered]

    @property
    def chat_actions(self) -> list[str]:
        """Chat actions (``typing``...) the bot sent to this chat."""
        return list(self.chat.chat_actions)

    def _message(self, **content: Any) -> JSON:
        """A new incoming Message object from this user, registered with the chat."""
        message = {
            "message_id": self.chat.next_message_id(),
            "from": self.user,
            "chat": self.chat.chat,
            "date": int(time.time()),
            **content,
        }
        self.chat.user_messages[message["message_id"]] = message
        return message

    async def send(self, text: str, *, reply_to: BotMessage | None = None) -> JSON:
        """Send a text message to the bot; return the Message object delivered."""
        content: JSON = {"text": text}
        if entities := command_entities(text):
            content["entities"] = entities
        if reply_to is not None:
            content["reply_to_message"] = reply_to.to_api()
        message = self._message(**content)
        self.server.add_update({"message": message})
        return message

    async def send_document(
        self,
        data: bytes,
        file_name: str,
        *,
        mime_type: str | None = None,
        caption: str | None = None,
        declared_size: int | None = None,
    ) -> JSON:
        """Send a document; ``declared_size`` overrides the size Telegram reports."""
        stored = self.server.add_file(data, file_name, mime_type=mime_type, size=declared_size)
        content: JSON = {"document": stored.to_document()}
        if caption:
            content["caption"] = caption
        message = self._message(**content)
        self.server.add_update({"message": message})
        return message

    async def press(self, message: BotMessage, text: str) -> Press:
        """Press the callback button labelled ``text`` (exact, or unique substring)."""
        button = message.button(text)
        if button.callback_data is None:
            kind = f"a url button ({button.url})" if button.url else "not a callback button"
            raise AssertionError(f"button {button.text!r} is {kind}; it sends no callback query")
        return await self.press_data(message, button.callback_data)

    async def press_data(self, message: BotMessage, data: str) -> Press:
        """Send a callback query with any data, as if from a button on ``message``."""
        if message.chat_id != self.chat_id or message.deleted:
            where = "was deleted" if message.deleted else f"is in chat {message.chat_id}"
            raise AssertionError(f"cannot press on message #{message.message_id}: it {where}")
        press = Press(str(secrets.randbits(62)), data, self.chat_id, message.message_id, self.id)
        self.presses.append(press)
        self.server.add_callback_query(press)
        query = {
            "id": press.query_id,
            "from": self.user,
            "message": message.to_api(),
            "chat_instance": str(abs(self.chat_id) * 1_000_003 + 17),
            "data": data,
        }
        self.server.add_update({"callback_query": query})
        return press

    async def wait_until(self, predicate: Callable[[], T], timeout: float, what: str) -> T:
        """Wait until ``predicate()`` is truthy; on timeout fail with ``what`` and chat state."""
        try:
            return await self.server.wait_for(predicate, timeout)
        except TimeoutError:
            raise AssertionError(f"{what} within {timeout}s\n{self.describe()}") from None

    async def next_message(self, timeout: float = 5.0) -> BotMessage:
        """The next message the bot sent to this chat, waiting up to ``timeout`` seconds."""
        await self.wait_until(
            lambda: len(self.chat.messages) > self._cursor,
            timeout,
            f"no new message from the bot in chat {self.chat_id}",
        )
        message = self.chat.messages[self._cursor]
        self._cursor += 1
        self._seen_edits[message.message_id] = message.edits
        return message

    async def expect_no_message(self, timeout: float = 0.3) -> None:
        """Assert the bot sends nothing new to this chat for ``timeout`` seconds."""
        try:
            message = await self.next_message(timeout)
        except AssertionError:
            return
        raise AssertionError(f"unexpected message from the bot: {message.summary()}")

    async def wait_for_edit(self, message: BotMessage, timeout: float = 5.0) -> BotMessage:
        """Wait until ``message`` is edited after the version this client last saw."""
        seen = self._seen_edits.get(message.message_id, 0)
        await self.wait_until(
            lambda: message.edits > seen or message.deleted,
            timeout,
            f"message #{message.message_id} was not edited",
        )
        if message.deleted and message.edits <= seen:
            raise AssertionError(f"message #{message.message_id} was deleted, not edited")
        self._seen_edits[message.message_id] = message.edits
        return message

    async def wait_for_answer(self, press: Press, timeout: float = 5.0) -> Press:
        """Wait until the bot answers the callback query of ``press``."""
        await self.wait_until(
            lambda: press.answered, timeout, f"callback query {press.data!r} was not answered"
        )
        return press

    def describe(self) -> str:
        """The chat's messages and the bot's recent failed calls, for failure messages."""
        kind = self.chat.chat.get("type")
        lines = [f"chat {self.chat_id} ({kind}) holds {len(self.chat.messages)} bot message(s):"]
        lines += [f"  {m.summary()}" for m in self.chat.messages] or ["  (none)"]
        failures = self.server.failed_requests(self.chat_id)[-5:]
        if failures:
            lines.append("recent failed bot API calls:")
            lines += [f"  {r.method} -> {r.status} {r.description}" for r in failures]
        return "\n".join(lines)


class TelegramUser(ChatClient):
    """A user in their private chat with the bot (chat id == user id)."""

    @property
    def first_name(self) -> str:
        """The user's first name."""
        return str(self.user["first_name"])

    @property
    def blocked(self) -> bool:
        """Whether the user has blocked the bot."""
        return self.chat.blocked

    def block(self, *, notify: bool = True) -> None:
        """Block the bot: sends to this chat fail with 403; ``notify`` sends my_chat_member."""
        self.chat.blocked = True
        if notify:
            self._member_update("member", "kicked")

    def unblock(self, *, notify: bool = True) -> None:
        """Unblock the bot again."""
        self.chat.blocked = False
        if notify:
            self._member_update("kicked", "member")

    def _member_update(self, old: str, new: str) -> None:
        """Enqueue the my_chat_member update Telegram sends on (un)blocking."""
        bot = self.server.bot_user

        def member(status: str) -> JSON:
            # Telegram always sends until_date (0 = forever) for a "kicked" member.
            return {
                "status": status,
                "user": bot,
                **({"until_date": 0} if status == "kicked" else {}),
            }

        update = {
            "chat": self.chat.chat,
            "from": self.user,
            "date": int(time.time()),
            "old_chat_member": member(old),
            "new_chat_member": member(new),
        }
        self.server.add_update({"my_chat_member": update})
