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
more than 1 message/s to one private chat, 20/min to one group or 30/s overall gets 429),
``strict_html`` (refuse a bare ``&``, default on; see telegram_html.py), ``host``, ``port``.

Served: ``/bot<token>/<method>`` (GET or POST; query string, form, JSON or multipart; method
names case-insensitive) and ``/file/bot<token>/<file_path>``. A wrong token gets 401
``Unauthorized: invalid token specified`` (PTB raises InvalidToken); an unknown method 404
``Not Found: method not found``. Answers use Telegram's envelope with HTTP status == error_code
and the descriptions of the official server (github.com/tdlib/telegram-bot-api,
``telegram-bot-api/Client.cpp``; https://core.telegram.org/bots/api). The methods and their
checks live in tests/telegram_methods.py.

Differences from Telegram, on purpose: update ids start at 1; getUpdates has no anti-spin delay;
HTTP URLs given as files are refused; photos are not decoded; Markdown is not parsed and no
entities are auto-detected in the bot's text.

Test helpers: ``requests`` (every call as a ``RecordedRequest``: method, params, files, time,
status, response), ``calls(method)``, ``fail_next(method, status=429, retry_after=1,
description=None, times=1)``, ``add_update(dict)``, ``add_file(data, name, size=...)``,
``chats``, ``files``, ``commands``, ``webhook``, ``updates`` (pending), ``wait_for(predicate,
timeout)``, ``server_errors()`` / ``assert_no_server_errors()`` (5xx answers that were bugs of
this server, not injected; ``async with`` and the test fixtures check them at the end).
"""

from __future__ import annotations

import asyncio
import contextlib
import mimetypes
import secrets
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any, TypeVar

from aiohttp import web

from tests.telegram_methods import (
    API,
    BLOCKED,
    CONFLICT_POLL,
    MAX_DOWNLOAD,
    ApiError,
    Call,
    Upload,
    bad,
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
        strict_html: bool = True,
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
        self.strict_html = strict_html
        self.host, self.port = host, port
        self.requests: list[RecordedRequest] = []
        self.chats: dict[int, ChatState] = {}
        self.files: dict[str, StoredFile] = {}
        self.commands: dict[str, list[JSON]] = {}
        self.descriptions: dict[str, str] = {}
        self.webhook: JSON | None = None
        self.callback_queries: dict[str, Press] = {}
        self.updates: list[JSON] = []
        # state shared with tests/telegram_methods.py
        self.send_log: deque[tuple[float, int]] = deque()
        self.allowed_updates: list[str] = []
        self.poll_generation = 0
        self.closing = False
        self._users: dict[int, TelegramUser] = {}
        self._groups: dict[tuple[int, int], ChatClient] = {}
        self._paths: dict[str, StoredFile] = {}
        self._faults: dict[str, deque[Fault]] = {}
        self._last_update_id = 0
        self._wakeup = asyncio.Event()
        self._runner: web.AppRunner | None = None

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

    async def stop(self) -> None:
        """Release held long polls and stop listening."""
        self.closing = True
        self.notify()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> TelegramServer:
        """Start the server."""
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        """Stop the server; then fail if it answered any request with its own 5xx."""
        await self.stop()
        if exc_info[0] is None:
            self.assert_no_server_errors()

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

    # -- HTTP ------------------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        """Route ``/bot<token>/<method>`` and ``/file/bot<token>/<path>``."""
        path = request.path
        if path.startswith("/file/bot"):
            token, _, file_path = path.removeprefix("/file/bot").partition("/")
            stored = self._paths.get(file_path)
            if token != self.token:
                return self._error(ApiError(401, "Unauthorized: invalid token specified"))
            if stored is None or stored.size > MAX_DOWNLOAD:
                return self._error(ApiError(404, "Not Found"))
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
