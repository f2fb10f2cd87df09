"""A local Telegram Bot API server (aiohttp) for end-to-end tests with a real PTB Application.

Usage::

    server = TelegramServer()               # token "123456:TEST-TOKEN"
    await server.start()                    # 127.0.0.1, free port
    app = (ApplicationBuilder().token(server.token).base_url(server.base_url)
           .base_file_url(server.base_file_url).build())
    alice = server.user(1001, first_name="Alice")    # see tests/user.py for the user API
    await alice.send("/start")
    msg = await alice.next_message()
    await server.stop()                     # or: async with TelegramServer() as server:

Constructor: ``token``, ``bot_username``, ``bot_name``, ``callback_timeout`` (seconds within
which a callback query can be answered, default 15), ``flood_control`` (off by default; when on,
more than 1 message/s to one private chat, 20/min to one group or ``flood_overall`` (30) a
second in all gets 429),
``strict_html`` (refuse a bare ``&``, default on; see telegram_html.py), ``local_mode`` and
``files_dir`` (below), ``webhook_retry_delay`` (0.2 s), ``webhook_retry_max`` (1.0 s),
``webhook_timeout`` (10 s), ``host``, ``port``. The webhook settings are plain attributes too.

Served: ``/bot<token>/<method>`` (GET or POST; query string, form, JSON or multipart; method
names case-insensitive) and ``/file/bot<token>/<file_path>``. A wrong token gets 401
``Unauthorized: invalid token specified`` (PTB raises InvalidToken); an unknown method 404
``Not Found: method not found``. Answers use Telegram's envelope with HTTP status == error_code
and the descriptions of the official server (github.com/tdlib/telegram-bot-api,
``telegram-bot-api/Client.cpp``; https://core.telegram.org/bots/api). The methods and their
checks live in tests/telegram_methods.py.

Webhook. The bot listens on plain HTTP behind an HTTPS proxy; ``route_webhook(url, target)``
plays that proxy: ``server.route_webhook("https://bot.example.com:8443/hook",
"http://127.0.0.1:PORT/hook")`` (or an origin for all paths: ``route_webhook(
"https://bot.example.com:8443", "http://127.0.0.1:PORT")``). Route first, then let the bot
call setWebhook; the routes are ``webhook_routes`` and may change while a webhook is set.

- setWebhook checks like Telegram, in its order: the URL must parse (400 ``Bad Request: invalid
  webhook URL specified``; no scheme means https), ``secret_token`` at most 256 characters
  (``Bad Request: secret token is too long``) of ``A-Za-z0-9_-`` (``Bad Request: secret token
  contains unallowed characters``), https only (``Bad Request: bad webhook: An HTTPS URL must be
  provided for webhook``) on port 80, 88, 443 or 8443 (``Bad Request: bad webhook: Webhook can
  be set up only on ports 80, 88, 443 or 8443``), and a host it can reach: an unrouted loopback
  host gets ``Bad Request: bad webhook: IP address 127.0.0.1 is reserved``, any other unrouted
  host ``Bad Request: bad webhook: Failed to resolve host: Name or service not known`` (this
  server never contacts anything but the routes and, in local mode, loopback). A setWebhook
  that changes anything first removes the current webhook, so a refused one leaves none; the
  same settings again change nothing. ``max_connections`` is clamped to 1-100 (default 40),
  ``drop_pending_updates`` clears the queue, ``allowed_updates`` filters it as for getUpdates,
  and a held getUpdates ends with 409 ``Conflict: terminated by setWebhook request``.
- While a webhook is set getUpdates answers 409 ``Conflict: can't use getUpdates method while
  webhook is active; use deleteWebhook to delete the webhook first``. deleteWebhook (or
  setWebhook with an empty url) stops delivery; undelivered updates stay for getUpdates unless
  ``drop_pending_updates``. getWebhookInfo gives url, has_custom_certificate (always False),
  pending_update_count, and with a webhook max_connections, ip_address (the route's host) and,
  after a failed delivery, last_error_date / last_error_message (kept after later successes,
  as Telegram does, until the webhook is set anew); allowed_updates when not the default.
- Delivery: each pending update (those queued before setWebhook too) is POSTed as JSON
  (``Content-Type: application/json``), with ``X-Telegram-Bot-Api-Secret-Token: <secret>``
  when a secret was set. A 2xx answer confirms it and it is forgotten; anything else keeps it
  pending and it is retried after ``webhook_retry_delay``, doubled per failure of that update up
  to ``webhook_retry_max`` (Telegram: at once, then 2 s doubling to about a minute). Error texts
  as in getWebhookInfo: ``Wrong response from the webhook: 500 Internal Server Error``,
  ``Connection refused``, ``Read timeout expired`` (no answer within ``webhook_timeout``),
  ``Webhook connection closed``. Like Telegram, there is one queue per chat (per user for
  callback queries): a chat's updates go out one at a time in update_id order, the next only
  after the previous was confirmed, while other chats' queues go on, at most
  ``max_connections`` requests in flight. So with a single chat, or ``max_connections=1``,
  delivery is strictly in update_id order. Each POST is a new connection; answers are not read
  as Bot API calls (Telegram lets a webhook answer with a method call).
- ``webhook`` is the current ``Webhook`` (url, secret_token, max_connections, ip_address,
  last_error_date, last_error_message) or None. ``webhook_deliveries`` lists every attempt as
  a ``WebhookDelivery``: update_id, url (registered), target (where it went; None when
  unroutable), time, secret_token (the header sent), status (HTTP status or None), error (the
  text above; status and error are both None while in flight), ``ok``. ``confirmed_updates()``
  gives the update_ids confirmed, in order. ``await post_to_webhook(body, secret_token=None,
  url=None)`` POSTs any JSON (or bytes) to the bot's webhook (the registered URL through its
  route unless ``url`` is given) with that secret header, or none, and returns (status, text);
  it bypasses the queue and records nothing. ``stop()`` ends delivery (requests in flight are
  abandoned and their updates stay pending) and leaves no task behind.

Local mode (``local_mode=True``, like ``telegram-bot-api --local``): getFile answers for files
of any size (no ``file is too big``) and its file_path is the absolute path of a real file,
written on first getFile at ``files_dir/<token>/<folder>/file_<hex><suffix>``; PTB then reads
it from disk. ``files_dir`` defaults to a temporary folder made at start() and removed at
stop(). ``/file/bot<token>/`` serves nothing (404), so a download proves the bot read the disk.
A document given as ``file:///abs/path`` (what PTB sends for a path with ``local_mode(True)``)
is read from disk. Webhooks may use plain http and any port, and may point straight at a
loopback address without a route; max_connections defaults to 100 (up to 100000).

Differences from Telegram, on purpose: update ids start at 1; getUpdates has no anti-spin delay;
setWebhook is not limited to one call per second and answers without a description; HTTP URLs
given as files are refused; photos are not decoded; Markdown is not parsed and no entities are
auto-detected in the bot's text; updates never expire.

Test helpers: ``requests`` (every call as a ``RecordedRequest``: method, params, files, time,
status, response), ``calls(method)``, ``fail_next(method, status=429, retry_after=1,
description=None, times=1)``, ``add_update(dict)``, ``add_file(data, name, size=...)``,
``chats``, ``files``, ``commands``, ``updates`` (pending), ``wait_for(predicate, timeout)``,
``server_errors()`` / ``assert_no_server_errors()`` (5xx answers that were bugs of this server,
not injected, and failures of its webhook delivery; ``async with`` and the test fixtures check
them at the end).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import mimetypes
import os
import secrets
import shutil
import tempfile
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, TypeVar
from urllib.parse import SplitResult, urlsplit

import aiohttp
from aiohttp import web

from tests.telegram_methods import (
    API,
    BLOCKED,
    CONFLICT_POLL,
    MAX_DOWNLOAD,
    NOT_RESOLVED,
    ApiError,
    Call,
    Upload,
    Webhook,
    bad,
    drop_unallowed,
    is_loopback,
    normalise,
)
from tests.user import ChatClient, ChatState, Press, StoredFile, TelegramUser

T = TypeVar("T")
JSON = dict[str, Any]
_DEFAULT_DESCRIPTIONS = {
    400: "Bad Request: injected failure",
    401: "Unauthorized",
    403: BLOCKED,
    404: "Not Found",
    409: CONFLICT_POLL,
    500: "Internal Server Error: injected failure",
    502: "Bad Gateway",
}
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# Telegram's delivery queues: one per chat for messages, one per user for queries.
_MESSAGE_UPDATES = frozenset(
    {"message", "edited_message", "channel_post", "edited_channel_post", "my_chat_member"}
)


@dataclass
class RecordedRequest:
    """One Bot API call as the server saw and answered it."""

    method: str
    params: JSON
    files: dict[str, Upload]
    time: float
    status: int = 200
    response: JSON = field(default_factory=dict)
    injected: bool = False  # the error came from fail_next(), not from the server itself

    @property
    def ok(self) -> bool:
        """Whether the call succeeded."""
        return self.status == 200

    @property
    def description(self) -> str:
        """The error description, empty on success."""
        return str(self.response.get("description", ""))


@dataclass
class WebhookDelivery:
    """One POST of an update to the webhook (status and error both None while in flight)."""

    update_id: int
    url: str  # the registered webhook URL
    target: str | None  # where it really went (see webhook_routes); None if unreachable
    time: float
    secret_token: str | None = None  # the X-Telegram-Bot-Api-Secret-Token header sent
    status: int | None = None  # the receiver's HTTP status; None without an answer
    error: str | None = None  # what getWebhookInfo's last_error_message says; None if ok

    @property
    def ok(self) -> bool:
        """Whether the receiver confirmed the update (any 2xx)."""
        return self.error is None and self.status is not None and 200 <= self.status < 300


@dataclass
class Fault:
    """An injected error for the next call(s) of one method."""

    error: ApiError
    times: int


class TelegramServer:
    """A fake Bot API over real HTTP; see the module docstring."""

    def __init__(
        self,
        token: str = "123456:TEST-TOKEN",
        *,
        bot_username: str = "keepcut_test_bot",
        bot_name: str = "keepcut",
        callback_timeout: float = 15.0,
        flood_control: bool = False,
        flood_overall: int = 30,
        strict_html: bool = True,
        local_mode: bool = False,
        files_dir: Path | None = None,
        webhook_retry_delay: float = 0.2,
        webhook_retry_max: float = 1.0,
        webhook_timeout: float = 10.0,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        """Configure the server; nothing listens until ``start()``."""
        self.token = token
        self.bot_user: JSON = {
            "id": int(token.split(":", 1)[0]),
            "is_bot": True,
            "first_name": bot_name,
            "username": bot_username,
        }
        self.callback_timeout = callback_timeout
        self.flood_control = flood_control
        self.flood_overall = flood_overall
        self.strict_html = strict_html
        self.local_mode = local_mode
        self.files_dir = files_dir
        self.webhook_retry_delay = webhook_retry_delay
        self.webhook_retry_max = webhook_retry_max
        self.webhook_timeout = webhook_timeout
        self.host, self.port = host, port
        self.requests: list[RecordedRequest] = []
        self.chats: dict[int, ChatState] = {}
        self.files: dict[str, StoredFile] = {}
        self.commands: dict[str, list[JSON]] = {}
        self.descriptions: dict[str, str] = {}
        self.webhook: Webhook | None = None
        self.webhook_routes: dict[str, str] = {}
        self.webhook_deliveries: list[WebhookDelivery] = []
        self.callback_queries: dict[str, Press] = {}
        self.updates: list[JSON] = []
        # state shared with tests/telegram_methods.py
        self.send_log: deque[tuple[float, int]] = deque()
        self.allowed_updates: list[str] = []
        self.poll_generation = 0
        self.poll_conflict = CONFLICT_POLL
        self.closing = False
        self._users: dict[int, TelegramUser] = {}
        self._groups: dict[tuple[int, int], ChatClient] = {}
        self._paths: dict[str, StoredFile] = {}
        self._faults: dict[str, deque[Fault]] = {}
        self._last_update_id = 0
        self._wakeup = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self._sender: WebhookSender | None = None
        self._own_files_dir = False

    # -- lifecycle -------------------------------------------------------------------------

    async def start(self) -> None:
        """Listen on ``host``; a port of 0 picks a free one."""
        self.closing = False
        self._wakeup = asyncio.Event()
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/{path:.*}", self._handle)
        self._runner = web.AppRunner(app, shutdown_timeout=1.0, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        self.port = self._runner.addresses[0][1]
        if self.local_mode and self.files_dir is None:
            self.files_dir = Path(tempfile.mkdtemp(prefix="telegram-bot-api-"))
            self._own_files_dir = True
        if self.webhook is not None:
            await self.replace_webhook(self.webhook)

    async def stop(self) -> None:
        """Stop webhook delivery, release held long polls and stop listening."""
        self.closing = True
        self.notify()
        sender, self._sender = self._sender, None
        if sender is not None:
            await sender.stop()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        if self._own_files_dir and self.files_dir is not None:
            shutil.rmtree(self.files_dir, ignore_errors=True)
            self.files_dir, self._own_files_dir = None, False

    async def __aenter__(self) -> TelegramServer:
        """Start the server."""
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        """Stop the server; then fail if it answered any request with its own 5xx."""
        await self.stop()
        if exc_info[0] is None:
            self.assert_no_server_errors()

    def record_bug(self, where: str, error: BaseException) -> None:
        """Record a failure of this server outside a request, so the test fails at the end."""
        failure = ApiError(500, f"Internal Server Error: {error!r}")
        record = RecordedRequest(where, {}, {}, time.time(), failure.status, failure.payload())
        self.requests.append(record)

    def server_errors(self) -> list[RecordedRequest]:
        """Requests this server answered with a 5xx it was not told to inject (its bugs)."""
        return [r for r in self.requests if r.status >= 500 and not r.injected]

    def assert_no_server_errors(self) -> None:
        """A bug in the test server must never let a test pass silently."""
        errors = self.server_errors()
        assert not errors, "the test server failed: " + "; ".join(
            f"{r.method}: {r.description}" for r in errors
        )

    @property
    def url(self) -> str:
        """The server root, e.g. ``http://127.0.0.1:PORT``."""
        return f"http://{self.host}:{self.port}"

    @property
    def base_url(self) -> str:
        """Value for PTB's ``base_url`` (the token is appended)."""
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        """Value for PTB's ``base_file_url`` (the token is appended)."""
        return f"{self.url}/file/bot"

    def bot_environment(self, **settings: str) -> dict[str, str]:
        """The environment for a keepcut process talking to this server.

        This process's environment without any TELEGRAM_ or KEEPCUT_ setting of its own,
        then this server's token and URLs, then ``settings`` (which may replace them).
        """
        env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "KEEPCUT_"))}
        env.update(
            TELEGRAM_BOT_TOKEN=self.token,
            TELEGRAM_BASE_URL=self.base_url,
            TELEGRAM_BASE_FILE_URL=self.base_file_url,
        )
        env.update(settings)
        return env

    # -- test-side API ---------------------------------------------------------------------

    def user(
        self,
        user_id: int,
        first_name: str = "User",
        *,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "en",
    ) -> TelegramUser:
        """The user with this id in their private chat (created on first call)."""
        if user_id not in self._users:
            extra = {"last_name": last_name, "username": username}
            names = {k: v for k, v in {"first_name": first_name, **extra}.items() if v}
            info = {"id": user_id, "is_bot": False, **names}
            if language_code:
                info["language_code"] = language_code
            chat = ChatState({"id": user_id, "type": "private", **names})
            self.chats[user_id] = chat
            self._users[user_id] = TelegramUser(self, info, chat)
        return self._users[user_id]

    def user_info(self, user_id: int) -> JSON | None:
        """The User object of a known test user, else None."""
        user = self._users.get(user_id)
        return user.user if user is not None else None

    def group(self, chat_id: int, *, user: ChatClient, title: str = "Test group") -> ChatClient:
        """``user`` in group ``chat_id`` (supergroup if it starts with -100); no privacy mode."""
        if chat_id not in self.chats:
            kind = "supergroup" if str(chat_id).startswith("-100") else "group"
            self.chats[chat_id] = ChatState({"id": chat_id, "type": kind, "title": title})
        key = (chat_id, user.id)
        if key not in self._groups:
            self._groups[key] = ChatClient(self, user.user, self.chats[chat_id])
        return self._groups[key]

    def add_update(self, update: JSON) -> int:
        """Queue an update (without update_id) for getUpdates; return its update_id."""
        self._last_update_id += 1
        self.updates.append({"update_id": self._last_update_id, **update})
        self.notify()
        return self._last_update_id

    def add_file(
        self,
        data: bytes,
        file_name: str,
        *,
        mime_type: str | None = None,
        size: int | None = None,
        folder: str = "documents",
    ) -> StoredFile:
        """Store a file and give it a file_id and an unguessable file_path."""
        suffix = PurePosixPath(file_name).suffix
        mime = mime_type or mimetypes.guess_type(file_name)[0] or "application/octet-stream"
        stored = StoredFile(
            file_id=f"BQACAgI{secrets.token_urlsafe(30)}",
            file_unique_id=f"AgAD{secrets.token_urlsafe(9)}",
            file_name=file_name,
            mime_type=mime,
            data=data,
            size=len(data) if size is None else size,
            file_path=f"{folder}/file_{secrets.token_hex(12)}{suffix}",
        )
        self.files[stored.file_id] = stored
        self._paths[stored.file_path] = stored
        return stored

    def add_callback_query(self, press: Press) -> None:
        """Register a callback query so the bot can answer it."""
        self.callback_queries[press.query_id] = press

    def fail_next(
        self,
        method: str,
        status: int = 429,
        *,
        retry_after: int = 1,
        description: str | None = None,
        parameters: JSON | None = None,
        times: int = 1,
    ) -> None:
        """Make the next ``times`` calls of ``method`` (``"*"``: any) fail with ``status``."""
        if status == 429:
            description = description or f"Too Many Requests: retry after {retry_after}"
            parameters = {"retry_after": retry_after, **(parameters or {})}
        text = description or _DEFAULT_DESCRIPTIONS.get(status, f"Error {status}")
        fault = Fault(ApiError(status, text, parameters), times)
        self._faults.setdefault(method.lower(), deque()).append(fault)

    # -- webhook -----------------------------------------------------------------------------

    def route_webhook(self, url: str, target: str) -> None:
        """Deliver what Telegram would POST to ``url`` to ``target`` instead (the HTTPS proxy).

        ``url`` is a webhook URL exactly as the bot registers it, or an origin such as
        ``https://bot.example.com:8443`` that covers all its paths (then ``target`` is an origin
        too and the path is kept). Register the route before the bot calls setWebhook.
        """
        self.webhook_routes[url] = target

    def webhook_target(self, url: str) -> str | None:
        """Where this server really POSTs for webhook ``url``; None if it cannot reach it."""
        if url in self.webhook_routes:
            return self.webhook_routes[url]
        parts = _split(url)
        for origin, target in self.webhook_routes.items():
            if _origin(origin) == _origin(url) and _split(origin).path in ("", "/"):
                query = f"?{parts.query}" if parts.query else ""
                return f"{target.rstrip('/')}{parts.path or '/'}{query}"
        if self.local_mode and is_loopback(parts.hostname or ""):
            return url  # a local server may post to any address, plain HTTP included
        return None

    async def replace_webhook(self, hook: Webhook | None) -> None:
        """Stop delivering to the current webhook; then deliver to ``hook`` (None: no webhook)."""
        sender, self._sender = self._sender, None
        if sender is not None:
            await sender.stop()
        self.webhook = hook
        if hook is not None and not self.closing:
            self._sender = WebhookSender(self, hook)
        self.notify()

    def confirmed_updates(self) -> list[int]:
        """The update_ids the webhook confirmed, in the order it did."""
        return [d.update_id for d in self.webhook_deliveries if d.ok]

    async def post_to_webhook(
        self,
        body: JSON | bytes,
        *,
        secret_token: str | None = None,
        url: str | None = None,
        content_type: str = "application/json",
    ) -> tuple[int, str]:
        """POST ``body`` to the bot like Telegram, with this secret header (None: no header).

        ``url`` defaults to the registered webhook and goes through ``webhook_routes``.
        Nothing is recorded or confirmed. Returns (HTTP status, response text).
        """
        url = url or (self.webhook.url if self.webhook is not None else None)
        if url is None:
            raise AssertionError("no webhook is set; pass url=")
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        headers = {"Content-Type": content_type}
        if secret_token is not None:
            headers[SECRET_HEADER] = secret_token
        async with (
            aiohttp.ClientSession() as http,
            http.post(self.webhook_target(url) or url, data=data, headers=headers) as response,
        ):
            return response.status, await response.text()

    # -- local mode --------------------------------------------------------------------------

    def write_local_file(self, stored: StoredFile) -> Path:
        """Local mode: the file on disk (files_dir/<token>/<file_path>), written on first use."""
        if self.files_dir is None:
            raise RuntimeError("local mode needs files_dir (or a started server)")
        path = (self.files_dir / self.token / stored.file_path).resolve()
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(stored.data)
        return path

    def calls(self, method: str) -> list[JSON]:
        """The parameters of every call of ``method`` (case-insensitive), oldest first."""
        return [r.params for r in self.requests if r.method.lower() == method.lower()]

    def failed_requests(self, chat_id: int | None = None) -> list[RecordedRequest]:
        """Calls that got an error (except long-poll conflicts), optionally for one chat."""
        return [
            r
            for r in self.requests
            if not r.ok
            and r.method != "getUpdates"
            and (chat_id is None or r.params.get("chat_id") in (chat_id, None))
        ]

    async def wait_for(self, predicate: Callable[[], T], timeout: float) -> T:
        """Wait until ``predicate()`` is truthy and return it; TimeoutError after ``timeout``."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not (result := predicate()):
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError
            wakeup = self._wakeup
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(wakeup.wait(), remaining)
        return result

    def notify(self) -> None:
        """Wake every waiter; they re-check their condition."""
        self._wakeup.set()
        self._wakeup = asyncio.Event()

    @property
    def wakeup(self) -> asyncio.Event:
        """The event the next ``notify()`` sets (take it before checking a condition)."""
        return self._wakeup

    # -- HTTP ------------------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        """Route ``/bot<token>/<method>`` and ``/file/bot<token>/<path>``."""
        path = request.path
        if path.startswith("/file/bot"):
            token, _, file_path = path.removeprefix("/file/bot").partition("/")
            stored = self._paths.get(file_path)
            if token != self.token:
                return self._error(ApiError(401, "Unauthorized: invalid token specified"))
            if self.local_mode or stored is None or stored.size > MAX_DOWNLOAD:
                return self._error(ApiError(404, "Not Found"))  # a local server serves no files
            return web.Response(body=stored.data, content_type="application/octet-stream")
        if not path.startswith("/bot"):
            return self._error(ApiError(404, "Not Found"))
        token, _, method = path.removeprefix("/bot").partition("/")
        if token != self.token:
            return self._error(ApiError(401, "Unauthorized: invalid token specified"))
        record = RecordedRequest(method, {}, {}, time.time())
        self.requests.append(record)
        try:
            raw, record.files = await self._read(request)
            record.params = normalise(raw)
            record.method, handler = API.get(method.lower(), (method, None))
            if handler is None:
                raise ApiError(404, "Not Found: method not found")
            record.injected = True
            self._raise_fault(method.lower())
            record.injected = False
            result = await handler(self, Call(record.params, record.files))
            record.response = {"ok": True, "result": result}
        except ApiError as error:
            record.status, record.response = error.status, error.payload()
        except ConnectionError:
            # The client hung up (a long poll abandoned at shutdown): nobody to answer.
            record.status = 499
            raise
        except Exception as error:  # a bug in this server: answer like Telegram's 500
            failure = ApiError(500, f"Internal Server Error: {error!r}")
            record.status, record.response = failure.status, failure.payload()
        self.notify()
        return web.json_response(record.response, status=record.status)

    @staticmethod
    def _error(error: ApiError) -> web.Response:
        """An error response outside the method dispatch."""
        return web.json_response(error.payload(), status=error.status)

    @staticmethod
    async def _read(request: web.Request) -> tuple[JSON, dict[str, Upload]]:
        """Parameters from the query string and a form, multipart or JSON body."""
        params: JSON = dict(request.query)
        files: dict[str, Upload] = {}
        if not request.can_read_body:
            return params, files
        if request.content_type == "application/json":
            try:
                body = await request.json()
            except ValueError:
                raise bad("can't parse JSON object") from None
            if not isinstance(body, dict):
                raise bad("JSON object expected")
            params.update(body)
            return params, files
        for key, value in (await request.post()).items():
            if isinstance(value, web.FileField):
                files[key] = Upload(value.filename, value.content_type, value.file.read())
            elif isinstance(value, str):
                params[key] = value
        return params, files

    def _raise_fault(self, method: str) -> None:
        """Raise an injected fault for ``method`` if one is queued."""
        for key in (method, "*"):
            queue = self._faults.get(key)
            if queue:
                fault = queue[0]
                fault.times -= 1
                if fault.times <= 0:
                    queue.popleft()
                raise fault.error


def _split(url: str) -> SplitResult:
    """Split a URL as Telegram reads it: https when it names no scheme."""
    return urlsplit(url if "://" in url else f"https://{url}")


def _origin(url: str) -> tuple[str, str, int] | None:
    """Scheme, host and port of a URL; None if it has no host."""
    parts = _split(url)
    try:
        port = parts.port or (80 if parts.scheme == "http" else 443)
    except ValueError:
        return None
    return (parts.scheme, parts.hostname, port) if parts.hostname else None


def queue_key(update: JSON) -> tuple[str, int]:
    """Telegram's delivery queue for an update: its chat, or for queries their sender."""
    for kind, value in update.items():
        if kind == "update_id" or not isinstance(value, dict):
            continue
        chat, sender = value.get("chat") or {}, value.get("from") or {}
        if kind in _MESSAGE_UPDATES and "id" in chat:
            return ("chat", int(chat["id"]))
        for source in (sender, chat):
            if "id" in source:
                return (kind, int(source["id"]))
    return ("update", int(update["update_id"]))


class WebhookSender:
    """POSTs pending updates to one webhook, retrying failures; see the module docstring."""

    def __init__(self, server: TelegramServer, hook: Webhook) -> None:
        """Start delivering at once."""
        self.server, self.hook = server, hook
        self.in_flight: dict[int, asyncio.Task[None]] = {}
        self.failures: dict[int, int] = {}
        self.due: dict[int, float] = {}
        self._task = asyncio.create_task(self._run(), name=f"webhook {hook.url}")

    async def stop(self) -> None:
        """Abandon requests in flight (their updates stay pending) and stop."""
        self._task.cancel()
        await asyncio.wait([self._task])

    async def _run(self) -> None:
        """Send what is due, then sleep until something changes or a retry is due."""
        timeout = aiohttp.ClientTimeout(total=self.server.webhook_timeout)
        connector = aiohttp.TCPConnector(force_close=True)
        try:
            async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
                try:
                    while True:
                        wakeup = self.server.wakeup
                        delay = self._send_due(session)
                        with contextlib.suppress(TimeoutError):
                            await asyncio.wait_for(wakeup.wait(), delay)
                finally:
                    tasks = list(self.in_flight.values())
                    for task in tasks:
                        task.cancel()
                    if tasks:
                        await asyncio.wait(tasks)
        except Exception as error:  # a bug in this server
            self.server.record_bug("webhook delivery", error)

    def _send_due(self, session: aiohttp.ClientSession) -> float | None:
        """POST the first pending update of each idle queue; return seconds to the next retry."""
        server = self.server
        drop_unallowed(server)
        now = asyncio.get_running_loop().time()
        queues: set[tuple[str, int]] = set()
        wait: float | None = None
        for update in server.updates:
            queue = queue_key(update)
            if queue in queues:
                continue
            queues.add(queue)
            update_id = int(update["update_id"])
            if update_id in self.in_flight:
                continue
            if len(self.in_flight) >= self.hook.max_connections:
                break
            due = self.due.get(update_id, 0.0)
            if due > now:
                wait = due - now if wait is None else min(wait, due - now)
                continue
            self.in_flight[update_id] = asyncio.create_task(self._post(session, update))
        return wait

    async def _post(self, session: aiohttp.ClientSession, update: JSON) -> None:
        """POST one update and settle it: confirmed on 2xx, else retried later."""
        hook, server = self.hook, self.server
        target = server.webhook_target(hook.url)
        record = WebhookDelivery(
            int(update["update_id"]), hook.url, target, time.time(), hook.secret_token
        )
        server.webhook_deliveries.append(record)
        try:
            record.error = await self._attempt(session, record, update)
            self._settle(record)
        except asyncio.CancelledError:
            record.error = "abandoned: the webhook was replaced or the server stopped"
            raise
        except Exception as error:  # a bug in this server; the update stays stuck in flight
            record.error = repr(error)
            server.record_bug("webhook delivery", error)

    @staticmethod
    async def _attempt(
        session: aiohttp.ClientSession, record: WebhookDelivery, update: JSON
    ) -> str | None:
        """Make the request; None if the receiver confirmed it, else Telegram's error text."""
        if record.target is None:
            return NOT_RESOLVED
        headers = {"Content-Type": "application/json"}
        if record.secret_token:
            headers[SECRET_HEADER] = record.secret_token
        body = json.dumps(update).encode()
        try:
            async with session.post(
                record.target, data=body, headers=headers, allow_redirects=False
            ) as response:
                record.status = status = response.status
                await response.read()
        except aiohttp.ClientConnectorError as error:
            code = error.os_error.errno
            return os.strerror(code) if code else str(error)  # "Connection refused"
        except TimeoutError:
            return "Read timeout expired"
        except aiohttp.ClientError:
            return "Webhook connection closed"  # approximate
        if 200 <= status < 300:
            return None
        return f"Wrong response from the webhook: {status} {response.reason}"

    def _settle(self, record: WebhookDelivery) -> None:
        """Forget a confirmed update, or schedule the retry of a failed one."""
        server, update_id = self.server, record.update_id
        self.in_flight.pop(update_id, None)
        if record.ok:
            self.failures.pop(update_id, None)
            self.due.pop(update_id, None)
            server.updates[:] = [u for u in server.updates if u["update_id"] != update_id]
        else:
            failures = self.failures[update_id] = self.failures.get(update_id, 0) + 1
            delay = server.webhook_retry_delay * 2 ** (failures - 1)
            loop = asyncio.get_running_loop()
            self.due[update_id] = loop.time() + min(delay, server.webhook_retry_max)
            self.hook.last_error_date = int(time.time())
            self.hook.last_error_message = record.error
        server.notify()
