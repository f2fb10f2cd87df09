"""The Bot API methods of the test server (tests/telegram_server.py), with Telegram's checks.

Each handler takes the server and a ``Call`` (normalised parameters plus uploaded files) and
returns the ``result`` or raises ``ApiError``. ``API`` maps lower-cased method names to
(canonical name, handler). Error descriptions are those of the official server
(github.com/tdlib/telegram-bot-api, ``telegram-bot-api/Client.cpp`` and ``WebhookActor.cpp``);
the few marked "approximate" below are plausible but unverified.
"""

from __future__ import annotations

import contextlib
import ipaddress
import json
import math
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from tests.telegram_html import (
    HtmlParseError,
    LinkError,
    ParsedText,
    check_link,
    parse_html,
    strip_text,
    utf16_len,
)
from tests.user import BotMessage, ChatState, StoredFile

if TYPE_CHECKING:
    from tests.telegram_server import TelegramServer

JSON = dict[str, Any]
Handler = Callable[["TelegramServer", "Call"], Awaitable[Any]]

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_ANSWER = 200
MAX_DOWNLOAD = 20 * 1024 * 1024
CONFLICT_POLL = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)
CONFLICT_WEBHOOK = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)
CONFLICT_SET_WEBHOOK = "Conflict: terminated by setWebhook request"
WEBHOOK_PORTS = frozenset({80, 88, 443, 8443})
NOT_RESOLVED = "Failed to resolve host: Name or service not known"  # what Telegram says publicly
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly the "
    "same as a current content and reply markup of the message"
)
QUERY_TOO_OLD = "query is too old and response timeout expired or query ID is invalid"
BLOCKED = "Forbidden: bot was blocked by the user"
_CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
_JSON_FIELDS = frozenset(
    {
        "reply_markup",
        "entities",
        "caption_entities",
        "commands",
        "scope",
        "allowed_updates",
        "link_preview_options",
        "reply_parameters",
        "media",
    }
)
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
_SECRET_TOKEN = re.compile(r"^[A-Za-z0-9_-]*$")
_URL_HOST = re.compile(r"^([a-z0-9._~!$&'()*+,;=-]|%[0-9a-f]{2}|[^\x00-\x7f])+$")
_COMMAND_NAME = re.compile(r"^[a-z0-9_]{1,32}$")
_NOT_DEFAULT_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})


class ApiError(Exception):
    """An error answer: HTTP status == error_code, Telegram's description, optional parameters."""

    def __init__(self, status: int, description: str, parameters: JSON | None = None) -> None:
        """Store the parts of the error envelope."""
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters

    def payload(self) -> JSON:
        """The JSON body Telegram would send."""
        body: JSON = {"ok": False, "error_code": self.status, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def bad(reason: str) -> ApiError:
    """A 400 ``Bad Request: <reason>`` error."""
    return ApiError(400, f"Bad Request: {reason}")


def too_many_requests(seconds: int) -> ApiError:
    """A 429 flood-control error with ``parameters.retry_after``."""
    return ApiError(429, f"Too Many Requests: retry after {seconds}", {"retry_after": seconds})


@dataclass
class Upload:
    """A file part of a multipart request."""

    filename: str
    content_type: str
    data: bytes


@dataclass
class Webhook:
    """The webhook set with setWebhook, and what getWebhookInfo reports about its delivery."""

    url: str
    secret_token: str | None
    max_connections: int
    ip_address: str
    last_error_date: int | None = None
    last_error_message: str | None = None


@dataclass(frozen=True)
class WebhookUrl:
    """A webhook URL as the official server parses it (``td::parse_url``, https by default)."""

    scheme: str
    host: str
    port: int


@dataclass
class Call:
    """The normalised parameters of one call, with typed accessors."""

    params: JSON
    files: dict[str, Upload]

    def string(self, name: str, default: str | None = None) -> str | None:
        """A string parameter (a decoded true/false reads back as sent)."""
        value = self.params.get(name)
        if isinstance(value, bool):
            return "true" if value else "false"
        return default if value is None else str(value)

    def number(self, name: str, default: float = 0) -> float:
        """A numeric parameter (garbage gives the default)."""
        value = self.params.get(name)
        if isinstance(value, str) and _NUMBER.match(value):
            return float(value)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return value
        return default

    def integer(self, name: str, default: int = 0) -> int:
        """An integer parameter (floats are truncated)."""
        return int(self.number(name, default))

    def flag(self, name: str) -> bool:
        """A boolean parameter."""
        return self.params.get(name) in (True, "true", "True", "1", 1)


def normalise(params: JSON) -> JSON:
    """Decode form values: JSON fields to objects, numbers to numbers, true/false to bools.

    Only numbers that read back unchanged are decoded, so "007" or "1.50" stay strings.
    """
    result: JSON = {}
    for key, value in params.items():
        if isinstance(value, str) and key in _JSON_FIELDS:
            try:
                value = json.loads(value)
            except ValueError:
                raise bad(f"can't parse {key} JSON object") from None
        elif isinstance(value, str) and _NUMBER.match(value):
            number = float(value) if "." in value else int(value)
            value = number if str(number) == value else value
        elif value in ("true", "false"):
            value = value == "true"
        result[key] = value
    return result


API: dict[str, tuple[str, Handler]] = {}


def api(*names: str) -> Callable[[Handler], Handler]:
    """Register a handler for Bot API methods (looked up case-insensitively)."""

    def register(handler: Handler) -> Handler:
        for name in names:
            API[name.lower()] = (name, handler)
        return handler

    return register


# -- shared checks -------------------------------------------------------------------------


def target_chat(server: TelegramServer, call: Call, *, writing: bool = True) -> ChatState:
    """The chat named by chat_id; 403 if the user blocked the bot and we write to it."""
    chat_id = call.params.get("chat_id")
    if chat_id in (None, ""):
        raise bad("chat_id is empty")
    chat = server.chats.get(chat_id) if isinstance(chat_id, int) else None
    if chat is None:
        raise bad("chat not found")
    if writing and chat.blocked:
        raise ApiError(403, BLOCKED)
    return chat


def parse_text(server: TelegramServer, call: Call, key: str, limit: int) -> ParsedText:
    """Parse text or caption ``key`` by parse_mode (or take its entities); enforce ``limit``."""
    source = call.string(key, "") or ""
    mode = (call.string("parse_mode") or "").lower()
    entities = call.params.get("entities" if key == "text" else "caption_entities")
    if isinstance(entities, list):
        parsed = ParsedText(source, [e for e in entities if isinstance(e, dict)])
    elif mode == "html":
        try:
            parsed = parse_html(
                source, strict_ampersand=server.strict_html, resolve_user=server.user_info
            )
        except HtmlParseError as error:
            raise bad(f"can't parse entities: {error}") from None
    elif mode in ("", "markdown", "markdownv2"):
        parsed = ParsedText(source)  # Markdown is not parsed by this server
    else:
        raise bad("unsupported parse_mode")
    parsed = strip_text(parsed)
    if utf16_len(parsed.text) > limit:
        raise bad("message is too long" if key == "text" else "message caption is too long")
    return parsed


def reply_markup(call: Call, *, inline_only: bool = False) -> JSON | None:
    """Validate reply_markup like Telegram; return it, or None when absent."""
    markup = call.params.get("reply_markup")
    if markup in (None, ""):
        return None
    if not isinstance(markup, dict):
        raise bad("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" not in markup:
        if inline_only or not {"keyboard", "remove_keyboard", "force_reply"} & set(markup):
            raise bad("can't parse inline keyboard markup JSON object")
        return markup
    rows = markup["inline_keyboard"]
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad("can't parse inline keyboard markup JSON object")
    buttons = [button for row in rows for button in row]
    if len(buttons) > 100:
        raise bad("REPLY_MARKUP_TOO_LONG")
    for button in buttons:
        check_button(button)
    return markup


def check_button(button: Any) -> None:
    """One inline button: non-empty text, and exactly one of url / callback_data."""
    prefix = "can't parse inline keyboard button: "
    if not isinstance(button, dict) or "text" not in button:
        raise bad(prefix + 'Can\'t find field "text"')
    if not isinstance(button["text"], str):
        raise bad(prefix + 'Field "text" must be of type String')
    if not button["text"].strip():
        raise bad("BUTTON_TEXT_INVALID")  # approximate
    url, data = button.get("url"), button.get("callback_data")
    if url is None and not data:  # Telegram treats callback_data "" as absent
        raise bad(prefix + "Text buttons are unallowed in the inline keyboard")
    if url is not None and data is not None:
        raise bad(prefix + "exactly one of url and callback_data must be used")  # approximate
    if data is not None and not 1 <= len(str(data).encode()) <= 64:
        raise bad("BUTTON_DATA_INVALID")
    if url is not None:
        try:
            check_link(str(url))
        except LinkError as error:
            raise bad(f"inline keyboard button URL '{url}' is invalid: {error}") from None


def check_flood(server: TelegramServer, chat: ChatState) -> None:
    """With flood_control: 1 msg/s per private chat, 20/min per group, 30/s overall.

    (The overall rate is ``server.flood_overall``: 30 as Telegram's, higher to test faster.)
    """
    if not server.flood_control:
        return
    now, sends = time.monotonic(), server.send_log
    while sends and now - sends[0][0] > 60:
        sends.popleft()
    window, limit = (1.0, 1) if chat.chat["type"] == "private" else (60.0, 20)
    mine = [t for t, chat_id in sends if chat_id == chat.id and now - t < window]
    if len(mine) >= limit:
        raise too_many_requests(max(1, math.ceil(window - (now - mine[0]))))
    if sum(1 for t, _ in sends if now - t < 1.0) >= server.flood_overall:
        raise too_many_requests(1)
    sends.append((now, chat.id))


def file_param(server: TelegramServer, call: Call, key: str) -> StoredFile:
    """The uploaded file, attach:// reference or known file_id in parameter ``key``."""
    value = call.string(key)
    upload = call.files.get(key)
    if server.local_mode and value and value.startswith("file:/"):
        path = Path(unquote(urlsplit(value).path))  # file:///abs/path, as PTB sends in local mode
        try:
            upload = Upload(path.name, "application/octet-stream", path.read_bytes())
        except OSError:
            raise bad("file not found") from None  # approximate
    if value and value.startswith("attach://"):
        upload = call.files.get(value.removeprefix("attach://"))
    if upload is not None:
        if not upload.data:
            raise bad("file must be non-empty")
        mime = None if upload.content_type == "application/octet-stream" else upload.content_type
        folder = "photos" if key == "photo" else "documents"
        return server.add_file(upload.data, upload.filename, mime_type=mime, folder=folder)
    if value and value in server.files:
        return server.files[value]
    if value:
        raise bad("wrong file identifier/HTTP URL specified")
    raise bad(f"there is no {key} in the request")


def replied_message(call: Call, chat: ChatState) -> JSON | None:
    """The Message object a send call replies to, or None."""
    reply = call.params.get("reply_parameters") or {}
    message_id = reply.get("message_id") or call.integer("reply_to_message_id")
    if not message_id:
        return None
    if message_id in chat.user_messages:
        return chat.user_messages[message_id]
    if message_id in chat.by_id:
        return chat.by_id[message_id].to_api()
    if reply.get("allow_sending_without_reply") or call.flag("allow_sending_without_reply"):
        return None
    raise bad("message to be replied not found")


def new_message(server: TelegramServer, call: Call, chat: ChatState, key: str) -> BotMessage:
    """Validate a send call's text or caption and markup; build (not store) the BotMessage."""
    parsed = parse_text(server, call, key, MAX_TEXT if key == "text" else MAX_CAPTION)
    if key == "text" and not parsed.text:
        raise bad("message must be non-empty")
    message = BotMessage(
        message_id=0,
        chat=chat.chat,
        sender=server.bot_user,
        date=int(time.time()),
        text=parsed.text,
        entities=parsed.entities,
        source_text=call.string(key, "") or "",
        parse_mode=call.string("parse_mode"),
        reply_markup=reply_markup(call),
        reply_to=replied_message(call, chat),
        params=call.params,
    )
    return message


def store(server: TelegramServer, chat: ChatState, message: BotMessage) -> JSON:
    """Apply flood control, give the message its id, keep it; return its Message object."""
    check_flood(server, chat)
    message.message_id = chat.next_message_id()
    chat.messages.append(message)
    chat.by_id[message.message_id] = message
    return message.to_api()


def editable(server: TelegramServer, call: Call) -> BotMessage:
    """The bot message an edit call targets."""
    if call.params.get("inline_message_id"):
        raise bad("MESSAGE_ID_INVALID")
    chat = target_chat(server, call)
    message_id = call.integer("message_id")
    message = chat.by_id.get(message_id)
    if message is None or message.deleted:
        if message_id in chat.user_messages:
            raise bad("message can't be edited")
        raise bad("message to edit not found")
    return message


def apply_edit(server: TelegramServer, message: BotMessage, **changes: Any) -> JSON:
    """Refuse a no-op edit, else push the old version and apply ``changes``."""
    current = message.snapshot()
    keys = ("text", "entities", "reply_markup")
    new = {key: changes.get(key, getattr(current, key)) for key in keys}
    old = {key: getattr(current, key) for key in keys}
    if json.dumps(new, sort_keys=True) == json.dumps(old, sort_keys=True):
        raise bad(NOT_MODIFIED)
    check_flood(server, server.chats[message.chat_id])
    message.history.append(current)
    for key, value in changes.items():
        setattr(message, key, value)
    message.edit_date = int(time.time())
    return message.to_api()


def scope_key(call: Call) -> str:
    """A key for (scope, language_code) of the command methods."""
    scope = call.params.get("scope") or {"type": "default"}
    return json.dumps([scope, call.string("language_code", "")], sort_keys=True)


# -- bot, updates, webhook ---------------------------------------------------------------------


@api("getMe")
async def get_me(server: TelegramServer, call: Call) -> JSON:
    """The bot's User object."""
    return {
        **server.bot_user,
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
        "can_connect_to_business": False,
        "has_main_web_app": False,
    }


@api("logOut", "close")
async def log_out(server: TelegramServer, call: Call) -> bool:
    """Accepted and ignored."""
    return True


def drop_unallowed(server: TelegramServer) -> None:
    """Forget pending updates of a type ``allowed_updates`` excludes (Telegram drops them)."""
    allowed = set(server.allowed_updates)
    if allowed:
        server.updates[:] = [u for u in server.updates if allowed & set(u)]
    else:
        server.updates[:] = [u for u in server.updates if not _NOT_DEFAULT_UPDATES & set(u)]


def abort_long_poll(server: TelegramServer, conflict: str) -> None:
    """Make a held getUpdates answer 409 with ``conflict``."""
    server.poll_conflict = conflict
    server.poll_generation += 1
    server.notify()


def set_allowed_updates(server: TelegramServer, call: Call) -> None:
    """Apply ``allowed_updates`` if given; an empty list means Telegram's default set."""
    if isinstance(call.params.get("allowed_updates"), list):
        server.allowed_updates = [str(kind) for kind in call.params["allowed_updates"]]


@api("getUpdates")
async def get_updates(server: TelegramServer, call: Call) -> list[JSON]:
    """Confirm updates below offset, then return pending ones, long-polling if there are none."""
    if server.webhook is not None:
        raise ApiError(409, CONFLICT_WEBHOOK)
    offset = call.integer("offset")
    limit = min(max(call.integer("limit", 100), 1), 100)
    timeout = min(max(call.number("timeout"), 0.0), 50.0)
    set_allowed_updates(server, call)
    if offset < 0:
        del server.updates[: max(len(server.updates) + offset, 0)]
    elif offset > 0:
        server.updates[:] = [u for u in server.updates if u["update_id"] >= offset]
    abort_long_poll(server, CONFLICT_POLL)  # a held getUpdates now answers 409
    generation = server.poll_generation

    def superseded() -> bool:
        return generation != server.poll_generation

    if timeout > 0:
        with contextlib.suppress(TimeoutError):
            await server.wait_for(
                lambda: server.closing or superseded() or bool(server.updates), timeout
            )
    if superseded():
        raise ApiError(409, server.poll_conflict)
    drop_unallowed(server)
    return server.updates[:limit]


def parse_webhook_url(url: str) -> WebhookUrl:
    """Parse like ``td::parse_url`` (no scheme means https); 400 if Telegram cannot."""
    invalid = bad("invalid webhook URL specified")
    scheme, sep, rest = url.partition("://")
    if not sep or any(c in scheme for c in ":/?#@[]"):
        scheme, rest = "https", url
    scheme = scheme.lower()
    if scheme not in ("http", "https"):
        raise invalid
    authority = re.split(r"[/?#]", rest, maxsplit=1)[0]
    host = authority.rpartition("@")[2]
    port = 0
    if re.search(r":[^\]]*$", host):
        host, _, port_text = host.rpartition(":")
        if not port_text.isdigit() or not 0 < int(port_text) <= 65535:
            raise invalid
        port = int(port_text)
    host = host.lower()
    if host.startswith("[") and host.endswith("]"):
        try:
            ipaddress.IPv6Address(host[1:-1])
        except ValueError:
            raise invalid from None
    elif host in ("", ".") or not _URL_HOST.match(host):
        raise invalid
    return WebhookUrl(scheme, host, port or (80 if scheme == "http" else 443))


def webhook_ip(host: str) -> str:
    """The address getWebhookInfo reports for a host this server contacts."""
    if host == "localhost":
        return "127.0.0.1"
    with contextlib.suppress(ValueError):
        return str(ipaddress.ip_address(host.strip("[]")))
    return "<unknown>"


def is_loopback(host: str) -> bool:
    """Whether ``host`` names this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@api("setWebhook")
async def set_webhook(server: TelegramServer, call: Call) -> bool:
    """Validate and register the webhook (it replaces any other); an empty url removes it."""
    url = call.string("url") or ""
    secret = call.string("secret_token") or ""
    top = 100_000 if server.local_mode else 100
    default = 100 if server.local_mode else 40
    max_connections = min(max(call.integer("max_connections", default), 1), top)
    drop_pending = call.flag("drop_pending_updates")
    current = server.webhook
    if (
        url
        and current is not None
        and (current.url, current.secret_token or "", current.max_connections)
        == (url, secret, max_connections)
        and not drop_pending
    ):  # "Webhook is already set"
        set_allowed_updates(server, call)
        return True
    if url:
        abort_long_poll(server, CONFLICT_SET_WEBHOOK)
    await server.replace_webhook(None)  # the old webhook goes first, even if the new one fails
    if drop_pending:
        server.updates.clear()
    if not url:
        return True
    parsed = parse_webhook_url(url)
    if len(secret) > 256:
        raise bad("secret token is too long")
    if not _SECRET_TOKEN.match(secret):
        raise bad("secret token contains unallowed characters")
    if not server.local_mode:
        if parsed.scheme != "https":
            raise bad("bad webhook: An HTTPS URL must be provided for webhook")
        if parsed.port not in WEBHOOK_PORTS:
            raise bad("bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443")
    target = server.webhook_target(url)  # on loopback in local mode: the URL itself
    if target is None and is_loopback(parsed.host):
        raise bad(f"bad webhook: IP address {webhook_ip(parsed.host)} is reserved")
    if target is None:
        raise bad(f"bad webhook: {NOT_RESOLVED}")
    host = urlsplit(target).hostname or ""
    hook = Webhook(url, secret or None, max_connections, webhook_ip(host))
    set_allowed_updates(server, call)
    await server.replace_webhook(hook)
    return True


@api("deleteWebhook")
async def delete_webhook(server: TelegramServer, call: Call) -> bool:
    """Remove the webhook; ``drop_pending_updates`` clears the queue."""
    await server.replace_webhook(None)
    if call.flag("drop_pending_updates"):
        server.updates.clear()
    return True


@api("getWebhookInfo")
async def get_webhook_info(server: TelegramServer, call: Call) -> JSON:
    """The webhook, its pending updates and its last delivery error, as Telegram reports them."""
    hook = server.webhook
    drop_unallowed(server)
    info: JSON = {
        "url": hook.url if hook else "",
        "has_custom_certificate": False,
        "pending_update_count": len(server.updates),
    }
    if hook is not None:
        if hook.last_error_date is not None:
            info["last_error_date"] = hook.last_error_date
            info["last_error_message"] = hook.last_error_message
        info["max_connections"] = hook.max_connections
        info["ip_address"] = hook.ip_address
    if server.allowed_updates:
        info["allowed_updates"] = server.allowed_updates
    return info


@api("setMyCommands")
async def set_my_commands(server: TelegramServer, call: Call) -> bool:
    """Store commands per scope and language after checking Telegram's limits."""
    commands = call.params.get("commands")
    if not isinstance(commands, list) or len(commands) > 100:
        raise bad("can't parse commands JSON object")
    for command in commands:
        if not _COMMAND_NAME.match(str(command.get("command", "")).lower()):
            raise bad("BOT_COMMAND_INVALID")
        if not 1 <= len(str(command.get("description", "")).strip()) <= 256:
            raise bad("command description must be non-empty")  # approximate
    server.commands[scope_key(call)] = commands
    return True


@api("getMyCommands")
async def get_my_commands(server: TelegramServer, call: Call) -> list[JSON]:
    """The commands for a scope and language."""
    return server.commands.get(scope_key(call), [])


@api("deleteMyCommands")
async def delete_my_commands(server: TelegramServer, call: Call) -> bool:
    """Forget the commands of a scope and language."""
    server.commands.pop(scope_key(call), None)
    return True


@api("setMyDescription", "setMyShortDescription", "setMyName")
async def set_my_description(server: TelegramServer, call: Call) -> bool:
    """Store a description, short description or name (limits 512 / 120 / 64)."""
    for key, limit in (("description", 512), ("short_description", 120), ("name", 64)):
        if key in call.params:
            value = call.string(key) or ""
            if len(value) > limit:
                raise bad(f"{key.replace('_', ' ')} is too long")  # approximate
            server.descriptions[f"{key}:{call.string('language_code', '')}"] = value
    return True


@api("getMyDescription", "getMyShortDescription", "getMyName")
async def get_my_description(server: TelegramServer, call: Call) -> JSON:
    """The stored description, short description and name for a language."""
    lang = call.string("language_code", "")
    keys = ("description", "short_description", "name")
    return {key: server.descriptions.get(f"{key}:{lang}", "") for key in keys}


@api("getChat")
async def get_chat(server: TelegramServer, call: Call) -> JSON:
    """A minimal ChatFullInfo."""
    chat = target_chat(server, call, writing=False)
    kinds = (
        "unlimited_gifts",
        "limited_gifts",
        "unique_gifts",
        "premium_subscription",
        "gifts_from_channels",
    )
    gifts = dict.fromkeys(kinds, False)
    return {
        **chat.chat,
        "accent_color_id": 0,
        "max_reaction_count": 11,
        "accepted_gift_types": gifts,
    }


# -- messages ----------------------------------------------------------------------------------


@api("sendMessage")
async def send_message(server: TelegramServer, call: Call) -> JSON:
    """Send a text message."""
    chat = target_chat(server, call)
    if not call.string("text"):
        raise bad("message text is empty")
    return store(server, chat, new_message(server, call, chat, "text"))


@api("sendDocument")
async def send_document(server: TelegramServer, call: Call) -> JSON:
    """Send a document (upload, attach:// or file_id) with an optional caption."""
    chat = target_chat(server, call)
    message = new_message(server, call, chat, "caption")
    message.document = file_param(server, call, "document")
    return store(server, chat, message)


@api("sendPhoto")
async def send_photo(server: TelegramServer, call: Call) -> JSON:
    """Send a photo (kept as is, never decoded) with an optional caption."""
    chat = target_chat(server, call)
    message = new_message(server, call, chat, "caption")
    message.photo = file_param(server, call, "photo")
    return store(server, chat, message)


@api("sendChatAction")
async def send_chat_action(server: TelegramServer, call: Call) -> bool:
    """Record a chat action."""
    chat = target_chat(server, call)
    action = call.string("action") or ""
    if action not in _CHAT_ACTIONS:
        raise bad("wrong parameter action in request")
    chat.chat_actions.append(action)
    return True


@api("editMessageText")
async def edit_message_text(server: TelegramServer, call: Call) -> JSON:
    """Edit a text message; a missing reply_markup removes the inline keyboard."""
    message = editable(server, call)
    if message.is_media:
        raise bad("there is no text in the message to edit")
    if not call.string("text"):
        raise bad("message text is empty")
    parsed = parse_text(server, call, "text", MAX_TEXT)
    if not parsed.text:
        raise bad("message must be non-empty")
    return apply_edit(
        server,
        message,
        text=parsed.text,
        entities=parsed.entities,
        reply_markup=reply_markup(call, inline_only=True),
        source_text=call.string("text"),
        parse_mode=call.string("parse_mode"),
    )


@api("editMessageCaption")
async def edit_message_caption(server: TelegramServer, call: Call) -> JSON:
    """Edit the caption of a media message."""
    message = editable(server, call)
    if not message.is_media:
        raise bad("there is no caption in the message to edit")
    parsed = parse_text(server, call, "caption", MAX_CAPTION)
    return apply_edit(
        server,
        message,
        text=parsed.text,
        entities=parsed.entities,
        reply_markup=reply_markup(call, inline_only=True),
        source_text=call.string("caption", ""),
        parse_mode=call.string("parse_mode"),
    )


@api("editMessageReplyMarkup")
async def edit_message_reply_markup(server: TelegramServer, call: Call) -> JSON:
    """Replace or (without reply_markup) remove the inline keyboard."""
    message = editable(server, call)
    return apply_edit(server, message, reply_markup=reply_markup(call, inline_only=True))


@api("deleteMessage")
async def delete_message(server: TelegramServer, call: Call) -> bool:
    """Mark a bot message deleted (it stays listed with ``deleted=True``) or drop a user's."""
    chat = target_chat(server, call)
    message_id = call.integer("message_id")
    message = chat.by_id.get(message_id)
    if message is not None and not message.deleted:
        message.deleted = True
    elif chat.user_messages.pop(message_id, None) is None:
        raise bad("message to delete not found")
    return True


@api("answerCallbackQuery")
async def answer_callback_query(server: TelegramServer, call: Call) -> bool:
    """Answer a callback query once, within ``callback_timeout`` seconds of the press."""
    press = server.callback_queries.get(call.string("callback_query_id") or "")
    if press is None or press.answered or press.age() > server.callback_timeout:
        raise bad(QUERY_TOO_OLD)
    text = call.string("text")
    if text is not None and utf16_len(text) > MAX_CALLBACK_ANSWER:
        raise bad("MESSAGE_TOO_LONG")
    press.answered, press.text = True, text
    press.show_alert, press.url = call.flag("show_alert"), call.string("url")
    return True


# -- files -------------------------------------------------------------------------------------


@api("getFile")
async def get_file(server: TelegramServer, call: Call) -> JSON:
    """File info with a download path (up to 20 MiB); in local mode a file on disk, any size."""
    file_id = call.string("file_id")
    if not file_id:
        raise bad("file_id not specified")
    stored = server.files.get(file_id)
    if stored is None:
        raise bad("invalid file_id")
    if stored.size > MAX_DOWNLOAD and not server.local_mode:
        raise bad("file is too big")
    path = str(server.write_local_file(stored)) if server.local_mode else stored.file_path
    return {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_size": stored.size,
        "file_path": path,
    }
