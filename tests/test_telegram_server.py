"""The local Bot API test server, driven by a real PTB Bot and Application over HTTP."""

from __future__ import annotations

import os

os.environ.setdefault("PTB_TIMEDELTA", "1")  # RetryAfter.retry_after is a timedelta, no warning

import asyncio
import contextlib
import datetime as dtm
import io
import socket
import string
import time
from collections import deque
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from telegram import Bot, Document, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    Conflict,
    EndPointNotFound,
    Forbidden,
    RetryAfter,
    TelegramError,
)
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from tests import telegram_server
from tests.telegram_methods import API
from tests.telegram_server import SECRET_HEADER, TelegramServer

KEYBOARD = InlineKeyboardMarkup(
    [
        [
            InlineKeyboardButton("Keep", callback_data="k:1"),
            InlineKeyboardButton("Cut", callback_data="c:1"),
        ]
    ]
)

HTTPS_ONLY = "An HTTPS URL must be provided for webhook"
PORTS_ONLY = "Webhook can be set up only on ports 80, 88, 443 or 8443"
NOT_MODIFIED = (
    "Message is not modified: specified new message content and reply markup are exactly the "
    "same as a current content and reply markup of the message"
)


@pytest.fixture
async def ptb_bot(server: TelegramServer) -> AsyncIterator[Bot]:
    """A bare PTB Bot pointed at the server (conftest's ``bot`` is the keepcut app)."""
    async with Bot(
        server.token, base_url=server.base_url, base_file_url=server.base_file_url
    ) as tg_bot:
        yield tg_bot


@contextlib.contextmanager
def expect(kind: type[TelegramError], message: str) -> Iterator[None]:
    """Expect a PTB error whose (normalised) message is exactly ``message``."""
    with pytest.raises(kind) as caught:
        yield
    assert caught.value.message == message


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Reply with the same text."""
    assert update.effective_message is not None
    await update.effective_message.reply_text(update.effective_message.text or "")


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Greet with a keep/cut card."""
    assert update.effective_message is not None
    await update.effective_message.reply_text(
        "Welcome to <b>keepcut</b>", parse_mode=ParseMode.HTML, reply_markup=KEYBOARD
    )


async def decide(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer the press and edit the card."""
    query = update.callback_query
    assert query is not None
    await query.answer("Kept" if query.data == "k:1" else "Cut")
    await query.edit_message_text(f"Decided: {query.data}")


@pytest.fixture
async def app(server: TelegramServer) -> AsyncIterator[Application]:
    """A tiny real Application polling the server: /start card, echo, button presses."""
    application = (
        ApplicationBuilder()
        .token(server.token)
        .base_url(server.base_url)
        .base_file_url(server.base_file_url)
        .build()
    )
    application.add_handler(CommandHandler("start", start))
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    application.add_handler(CallbackQueryHandler(decide))
    async with application:
        await application.start()
        assert application.updater is not None
        await application.updater.start_polling(poll_interval=0, timeout=1)
        yield application
        await application.updater.stop()
        await application.stop()


# -- end to end with an Application ---------------------------------------------------------------


async def test_echo_round_trip(server: TelegramServer, app: Application) -> None:
    alice = server.user(1001, first_name="Alice")
    await alice.send("hello there")
    reply = await alice.next_message(timeout=5)
    assert reply.text == "hello there"
    assert reply.chat_id == 1001
    assert server.calls("sendMessage")[-1]["chat_id"] == 1001
    assert [r.method for r in server.requests[:2]] == ["getMe", "deleteWebhook"]


async def test_command_card_press_answer_and_edit(
    server: TelegramServer, app: Application
) -> None:
    alice = server.user(1001, first_name="Alice")
    await alice.send("/start")
    card = await alice.next_message()
    assert card.text == "Welcome to keepcut"
    assert card.source_text == "Welcome to <b>keepcut</b>"
    assert card.entities == [{"offset": 11, "length": 7, "type": "bold"}]
    assert [(b.text, b.callback_data) for b in card.buttons()] == [("Keep", "k:1"), ("Cut", "c:1")]

    press = await alice.press(card, "Keep")
    assert (await alice.wait_for_answer(press, timeout=5)).text == "Kept"
    edited = await alice.wait_for_edit(card, timeout=5)
    assert edited.text == "Decided: k:1"
    assert edited.reply_markup is None  # editMessageText without markup drops the keyboard
    assert edited.history[0].text == "Welcome to keepcut"
    assert alice.messages == [card]


async def test_next_message_timeout_describes_the_chat(
    server: TelegramServer, ptb_bot: Bot
) -> None:
    alice = server.user(1001)
    await ptb_bot.send_message(1001, "first")
    with pytest.raises(BadRequest):
        await ptb_bot.send_message(1001, "Hi <Alice>", parse_mode=ParseMode.HTML)
    assert (await alice.next_message()).text == "first"
    with pytest.raises(AssertionError) as caught:
        await alice.next_message(timeout=0.05)
    assert "no new message from the bot in chat 1001" in str(caught.value)
    assert "#1 'first'" in str(caught.value)
    assert "sendMessage -> 400 Bad Request: can't parse entities" in str(caught.value)
    await alice.expect_no_message(0.05)


# -- getUpdates -----------------------------------------------------------------------------------


async def test_offset_confirms_and_drops_updates(server: TelegramServer, ptb_bot: Bot) -> None:
    alice = server.user(1001)
    await alice.send("one")
    await alice.send("two")
    first, second = await ptb_bot.get_updates(timeout=0)
    assert [first.message.text, second.message.text] == ["one", "two"]
    assert [u.update_id for u in await ptb_bot.get_updates(offset=second.update_id)] == [
        second.update_id
    ]
    assert await ptb_bot.get_updates(offset=second.update_id + 1) == ()
    assert server.updates == []


async def test_limit_and_negative_offset(server: TelegramServer, ptb_bot: Bot) -> None:
    alice = server.user(1001)
    for text in "abc":
        await alice.send(text)
    assert len(await ptb_bot.get_updates(limit=1)) == 1
    assert [u.message.text for u in await ptb_bot.get_updates(offset=-1)] == ["c"]


async def test_long_poll_wakes_on_new_update(server: TelegramServer, ptb_bot: Bot) -> None:
    started = time.monotonic()
    poll = asyncio.create_task(ptb_bot.get_updates(timeout=5))
    await asyncio.sleep(0.1)
    await server.user(1001).send("wake up")
    updates = await poll
    assert [u.message.text for u in updates] == ["wake up"]
    assert time.monotonic() - started < 2


async def test_second_poller_aborts_the_held_one(server: TelegramServer, ptb_bot: Bot) -> None:
    held = asyncio.create_task(ptb_bot.get_updates(timeout=5))
    await asyncio.sleep(0.1)
    async with Bot(server.token, base_url=server.base_url) as second_instance:
        assert await second_instance.get_updates(timeout=0) == ()
    with pytest.raises(Conflict, match="terminated by other getUpdates request"):
        await held


# -- message text and markup ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Hi <Alice>", 'unsupported start tag "alice" at byte offset 3'),
        ("a < b", 'unsupported start tag "" at byte offset 2'),
        ("Tom & Jerry", 'character "&" must be escaped as "&amp;" at byte offset 4'),
        ("<b>bold</i>", 'unmatched end tag at byte offset 7, expected "</b>", found "</i>"'),
        ("<b>bold", "can't find end tag corresponding to start tag b"),
        ("<span>x</span>", 'tag "span" must have class "tg-spoiler" at byte offset 0'),
    ],
)
async def test_bad_html_is_refused(
    server: TelegramServer, ptb_bot: Bot, text: str, reason: str
) -> None:
    server.user(1001)
    with expect(BadRequest, f"Can't parse entities: {reason}"):
        await ptb_bot.send_message(1001, text, parse_mode=ParseMode.HTML)


async def test_good_html_gives_visible_text_and_entities(
    server: TelegramServer, ptb_bot: Bot
) -> None:
    alice = server.user(1001)
    html = (
        '<b>Bo &amp; Co</b> <a href="https://example.com">site</a> &lt;3 '
        '<pre><code class="language-py">x</code></pre>'
    )
    sent = await ptb_bot.send_message(1001, html, parse_mode=ParseMode.HTML)
    assert sent.text == "Bo & Co site <3 x"
    message = await alice.next_message()
    assert [e["type"] for e in message.entities] == ["bold", "text_link", "pre"]
    assert message.entities[2]["language"] == "py"


async def test_text_length_limits(server: TelegramServer, ptb_bot: Bot) -> None:
    server.user(1001)
    await ptb_bot.send_message(1001, "x" * 4096)
    await ptb_bot.send_message(1001, "😀" * 2048)  # 4096 UTF-16 code units
    for text in ("x" * 4097, "😀" * 2049, "<b>" + "x" * 4097 + "</b>"):
        with expect(BadRequest, "Message is too long"):
            await ptb_bot.send_message(1001, text, parse_mode=ParseMode.HTML)
    await ptb_bot.send_message(1001, "<b>" + "x" * 4000 + "</b>", parse_mode=ParseMode.HTML)
    with expect(BadRequest, "Message text is empty"):
        await ptb_bot.send_message(1001, "")
    with expect(BadRequest, "Message must be non-empty"):
        await ptb_bot.send_message(1001, "<b> </b>", parse_mode=ParseMode.HTML)


async def test_callback_data_limits(server: TelegramServer, ptb_bot: Bot) -> None:
    server.user(1001)
    ok = InlineKeyboardMarkup([[InlineKeyboardButton("ok", callback_data="é" * 32)]])
    await ptb_bot.send_message(1001, "64 bytes", reply_markup=ok)
    too_long = InlineKeyboardMarkup([[InlineKeyboardButton("no", callback_data="x" * 65)]])
    with expect(BadRequest, "Button_data_invalid"):
        await ptb_bot.send_message(1001, "65 bytes", reply_markup=too_long)


async def call_api(
    server: TelegramServer, method: str, payload: dict[str, Any]
) -> tuple[int, Any]:
    """POST a JSON body straight to the server; return (HTTP status, decoded body)."""
    async with (
        aiohttp.ClientSession() as http,
        http.post(f"{server.base_url}{server.token}/{method}", json=payload) as response,
    ):
        return response.status, await response.json()


TEXT_BUTTON = (
    "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
)


@pytest.mark.parametrize(
    ("button", "description"),
    [
        (
            {"text": "x", "url": "http://localhost/x"},
            "inline keyboard button URL 'http://localhost/x' is invalid: Wrong HTTP URL",
        ),
        (
            {"text": "x", "url": "ftp://example.com"},
            "inline keyboard button URL 'ftp://example.com' is invalid: Unsupported URL protocol",
        ),
        (
            {"text": "x"},
            TEXT_BUTTON,
        ),
        (
            {"text": "x", "callback_data": ""},
            TEXT_BUTTON,
        ),
        ({"text": "x", "callback_data": "a" * 65}, "BUTTON_DATA_INVALID"),
        ({"text": "", "callback_data": "a"}, "BUTTON_TEXT_INVALID"),
    ],
)
async def test_bad_buttons_are_refused(
    server: TelegramServer, button: dict[str, str], description: str
) -> None:
    server.user(1001)
    markup = {"inline_keyboard": [[button]]}
    status, body = await call_api(
        server, "sendMessage", {"chat_id": 1001, "text": "hi", "reply_markup": markup}
    )
    assert (status, body) == (
        400,
        {"ok": False, "error_code": 400, "description": f"Bad Request: {description}"},
    )


async def test_more_than_100_buttons_are_refused(server: TelegramServer, ptb_bot: Bot) -> None:
    server.user(1001)
    rows = [[InlineKeyboardButton(str(i), callback_data=str(i))] for i in range(101)]
    with expect(BadRequest, "Reply_markup_too_long"):
        await ptb_bot.send_message(1001, "many", reply_markup=InlineKeyboardMarkup(rows))


async def test_edits_refuse_identical_content_and_missing_messages(
    server: TelegramServer, ptb_bot: Bot
) -> None:
    alice = server.user(1001)
    sent = await ptb_bot.send_message(
        1001, "<b>card</b>", parse_mode=ParseMode.HTML, reply_markup=KEYBOARD
    )
    card = await alice.next_message()
    with expect(BadRequest, NOT_MODIFIED):
        await ptb_bot.edit_message_text(
            "<b>card</b>", 1001, sent.message_id, parse_mode=ParseMode.HTML, reply_markup=KEYBOARD
        )
    edited = await ptb_bot.edit_message_text("card", 1001, sent.message_id, reply_markup=KEYBOARD)
    assert edited.edit_date is not None  # bold dropped: the entities differ, so it is modified
    assert (await alice.wait_for_edit(card)).edits == 1
    await ptb_bot.edit_message_reply_markup(1001, sent.message_id, reply_markup=None)
    assert card.reply_markup is None
    with expect(BadRequest, NOT_MODIFIED):
        await ptb_bot.edit_message_reply_markup(1001, sent.message_id, reply_markup=None)
    with expect(BadRequest, "Message to edit not found"):
        await ptb_bot.edit_message_text("gone", 1001, 999)
    assert await ptb_bot.delete_message(1001, sent.message_id)
    assert card.deleted
    with expect(BadRequest, "Message to edit not found"):
        await ptb_bot.edit_message_text("gone", 1001, sent.message_id)
    with expect(BadRequest, "Message to delete not found"):
        await ptb_bot.delete_message(1001, sent.message_id)


async def test_unknown_chat(server: TelegramServer, ptb_bot: Bot) -> None:
    with expect(BadRequest, "Chat not found"):
        await ptb_bot.send_message(4242, "hi")


# -- callback queries -----------------------------------------------------------------------------


async def test_callback_answers(server: TelegramServer, ptb_bot: Bot) -> None:
    alice = server.user(1001)
    await ptb_bot.send_message(1001, "card", reply_markup=KEYBOARD)
    card = await alice.next_message()
    press = await alice.press(card, "Cu")  # unique substring
    (update,) = await ptb_bot.get_updates()
    assert update.callback_query is not None
    assert update.callback_query.data == "c:1"
    assert update.callback_query.message.message_id == card.message_id
    with expect(BadRequest, "Message_too_long"):
        await update.callback_query.answer("x" * 201)
    assert await update.callback_query.answer("Cut!", show_alert=True)
    assert (press.answered, press.text, press.show_alert) == (True, "Cut!", True)
    with pytest.raises(BadRequest, match=r"^Query is too old and response timeout expired"):
        await update.callback_query.answer()
    with pytest.raises(BadRequest, match=r"^Query is too old"):
        await ptb_bot.answer_callback_query("no-such-query")


async def test_late_callback_answer(server: TelegramServer, ptb_bot: Bot) -> None:
    server.callback_timeout = 0.05
    alice = server.user(1001)
    await ptb_bot.send_message(1001, "card", reply_markup=KEYBOARD)
    press = await alice.press_data(await alice.next_message(), "forged:data")
    await asyncio.sleep(0.1)
    with pytest.raises(BadRequest, match=r"^Query is too old"):
        await ptb_bot.answer_callback_query(press.query_id)


async def test_press_refuses_url_and_missing_buttons(server: TelegramServer, ptb_bot: Bot) -> None:
    alice = server.user(1001)
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Docs", url="https://example.com")]])
    await ptb_bot.send_message(1001, "links", reply_markup=markup)
    message = await alice.next_message()
    with pytest.raises(AssertionError, match="url button"):
        await alice.press(message, "Docs")
    with pytest.raises(AssertionError, match="no button matching 'Keep'"):
        await alice.press(message, "Keep")


# -- files ----------------------------------------------------------------------------------------


async def test_document_round_trip(server: TelegramServer, ptb_bot: Bot, tmp_path: Path) -> None:
    alice = server.user(1001)
    await alice.send_document(
        b"First Name,Last Name\nAda,Lovelace\n", "Connections.csv", mime_type="text/csv"
    )
    (update,) = await ptb_bot.get_updates()
    document = update.message.document
    assert (document.file_name, document.mime_type, document.file_size) == (
        "Connections.csv",
        "text/csv",
        34,
    )
    file = await document.get_file()
    assert file.file_path.startswith(f"{server.base_file_url}{server.token}/documents/file_")
    buffer = io.BytesIO()
    await file.download_to_memory(buffer)
    assert buffer.getvalue() == b"First Name,Last Name\nAda,Lovelace\n"

    await ptb_bot.send_document(
        1001,
        b"a,b\n",
        filename="export.csv",
        caption="<i>your list</i>",
        parse_mode=ParseMode.HTML,
    )
    sent = await alice.next_message()
    assert sent.document is not None
    assert (sent.document.file_name, sent.document.data, sent.caption) == (
        "export.csv",
        b"a,b\n",
        "your list",
    )
    assert sent.document.mime_type == "text/csv"
    with expect(BadRequest, "Message caption is too long"):
        await ptb_bot.send_document(1001, b"x", filename="x.txt", caption="x" * 1025)


async def test_file_limits(server: TelegramServer, ptb_bot: Bot) -> None:
    alice = server.user(1001)
    await alice.send_document(b"tiny", "Connections.csv", declared_size=25_000_000)
    (update,) = await ptb_bot.get_updates()
    assert update.message.document.file_size == 25_000_000
    with expect(BadRequest, "File is too big"):
        await update.message.document.get_file()
    with expect(BadRequest, "Invalid file_id"):
        await ptb_bot.get_file("nope")


# -- faults ---------------------------------------------------------------------------------------


async def test_injected_429_gives_retry_after(server: TelegramServer, ptb_bot: Bot) -> None:
    server.user(1001)
    server.fail_next("sendMessage", status=429, retry_after=1)
    with pytest.raises(RetryAfter) as caught:
        await ptb_bot.send_message(1001, "hi")
    assert caught.value.retry_after == dtm.timedelta(seconds=1)
    assert server.requests[-1].response["parameters"] == {"retry_after": 1}
    await ptb_bot.send_message(1001, "hi")  # only the next call fails


async def test_blocked_user_gets_403_and_a_my_chat_member_update(
    server: TelegramServer, ptb_bot: Bot
) -> None:
    alice = server.user(1001)
    server.fail_next(
        "sendMessage", status=403, description="Forbidden: bot was blocked by the user"
    )
    with expect(Forbidden, "Forbidden: bot was blocked by the user"):
        await ptb_bot.send_message(1001, "hi")
    alice.block()
    with expect(Forbidden, "Forbidden: bot was blocked by the user"):
        await ptb_bot.send_message(1001, "hi")
    (update,) = await ptb_bot.get_updates()
    assert update.my_chat_member.new_chat_member.status == "kicked"
    alice.unblock(notify=False)
    await ptb_bot.send_message(1001, "welcome back")


async def test_flood_control() -> None:
    async with TelegramServer(flood_control=True) as flooded:
        flooded.user(1001)
        flooded.user(1002)
        async with Bot(flooded.token, base_url=flooded.base_url) as flood_bot:
            await flood_bot.send_message(1001, "one")
            await flood_bot.send_message(1002, "other chat is fine")
            with pytest.raises(RetryAfter):
                await flood_bot.send_message(1001, "two")


# -- HTTP surface ---------------------------------------------------------------------------------


async def test_any_http_method_and_case_is_served_and_wrong_paths_refused(
    server: TelegramServer,
) -> None:
    server.user(1001)
    api = f"{server.base_url}{server.token}"
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{api}/GETME") as response:
            assert (await response.json())["result"]["username"] == "keepcut_test_bot"
        async with http.get(
            f"{api}/sendMessage", params={"chat_id": "1001", "text": "via GET"}
        ) as response:
            assert (await response.json())["result"]["text"] == "via GET"
        async with http.post(
            f"{api}/sendmessage", json={"chat_id": 1001, "text": "via JSON"}
        ) as response:
            assert response.status == 200
        async with http.post(f"{api}/nope") as response:
            assert response.status == 404
            assert await response.json() == {
                "ok": False,
                "error_code": 404,
                "description": "Not Found: method not found",
            }
        async with http.get(f"{server.base_url}1:WRONG/getMe") as response:
            assert response.status == 401
        async with http.get(
            f"{server.base_file_url}{server.token}/documents/missing.csv"
        ) as response:
            assert response.status == 404
    assert [call["text"] for call in server.calls("sendMessage")] == ["via GET", "via JSON"]


async def test_a_server_bug_is_reported_and_an_injected_500_is_not(
    server: TelegramServer, ptb_bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    server.fail_next("getMe", status=500)
    with pytest.raises(TelegramError):
        await ptb_bot.get_me()
    assert server.server_errors() == []

    async def broken(srv: TelegramServer, call: object) -> None:
        raise RuntimeError("bug")

    monkeypatch.setitem(API, "getme", ("getMe", broken))
    with pytest.raises(TelegramError):
        await ptb_bot.get_me()
    assert [r.method for r in server.server_errors()] == ["getMe"]
    with pytest.raises(AssertionError, match="the test server failed: getMe"):
        server.assert_no_server_errors()
    server.requests.clear()  # this bug was planted; the fixture's own check must pass


async def test_unknown_method_via_ptb(ptb_bot: Bot) -> None:
    with pytest.raises(EndPointNotFound):
        await ptb_bot.do_api_request("noSuchMethod")


async def test_commands_descriptions_chat_and_actions(
    server: TelegramServer, ptb_bot: Bot
) -> None:
    alice = server.user(1001, first_name="Alice")
    await ptb_bot.set_my_commands([("start", "Start"), ("help", "Help")])
    assert [c.command for c in await ptb_bot.get_my_commands()] == ["start", "help"]
    await ptb_bot.delete_my_commands()
    assert await ptb_bot.get_my_commands() == ()
    await ptb_bot.set_my_description("Prune your network")
    await ptb_bot.set_my_short_description("Keep or cut")
    assert (await ptb_bot.get_my_description()).description == "Prune your network"
    chat = await ptb_bot.get_chat(1001)
    assert (chat.id, chat.first_name) == (1001, "Alice")
    await ptb_bot.send_chat_action(1001, "typing")
    assert alice.chat_actions == ["typing"]


async def test_group_chat(server: TelegramServer, ptb_bot: Bot) -> None:
    alice = server.user(1001, first_name="Alice")
    group = server.group(-100123, user=alice)
    await group.send("/start@keepcut_test_bot hi")
    (update,) = await ptb_bot.get_updates()
    assert update.message.chat.type == "supergroup"
    assert update.message.from_user.first_name == "Alice"
    assert update.message.entities[0].length == len("/start@keepcut_test_bot")
    await ptb_bot.send_message(-100123, "hello group")
    assert (await group.next_message()).text == "hello group"
    assert alice.messages == []


# -- webhook --------------------------------------------------------------------------------------

HOOK = "https://bot.example.com:8443/hook"


def free_port() -> int:
    """A loopback port nobody listens on (yet)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Receiver:
    """A stand-in for the bot's webhook: records each POST and answers as told (else 200)."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.statuses: deque[int] = deque()  # the next answers, before plain 200s
        self.delays: deque[float] = deque()  # seconds to stall the next answers
        self.refuse: dict[str, int] = {}  # message text -> how many more times to answer 503
        self.received: list[tuple[str | None, dict[str, Any]]] = []  # (secret header, update)
        self._runner: web.AppRunner | None = None

    @property
    def url(self) -> str:
        """Where the receiver listens."""
        return f"http://127.0.0.1:{self.port}/hook"

    def texts(self) -> list[str]:
        """The message texts received, in order."""
        return [update["message"]["text"] for _, update in self.received]

    async def start(self) -> None:
        """Listen on the port."""
        app = web.Application()
        app.router.add_post("/hook", self._hook)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.1)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.port).start()

    async def stop(self) -> None:
        """Stop listening: deliveries get "Connection refused"."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _hook(self, request: web.Request) -> web.Response:
        """Record the update, then answer."""
        if self.delays:
            await asyncio.sleep(self.delays.popleft())
        update = await request.json()
        self.received.append((request.headers.get(SECRET_HEADER), update))
        text = update.get("message", {}).get("text", "")
        if self.refuse.get(text):
            self.refuse[text] -= 1
            return web.Response(status=503)
        return web.Response(status=self.statuses.popleft() if self.statuses else 200)


@pytest.fixture
async def receiver(server: TelegramServer) -> AsyncIterator[Receiver]:
    """A started receiver; HOOK is routed to it and failed deliveries retry after 50 ms."""
    server.webhook_retry_delay = 0.05
    server.route_webhook(HOOK, (stand_in := Receiver()).url)
    await stand_in.start()
    yield stand_in
    await stand_in.stop()


@pytest.mark.parametrize(
    ("params", "description"),
    [
        ({"url": "http://bot.example.com/hook"}, "bad webhook: " + HTTPS_ONLY),
        ({"url": "https://bot.example.com:8080/hook"}, "bad webhook: " + PORTS_ONLY),
        ({"url": "ftp://bot.example.com/hook"}, "invalid webhook URL specified"),
        ({"url": "https://bot.example.com:99999/hook"}, "invalid webhook URL specified"),
        ({"url": "https://bot example.com/hook"}, "invalid webhook URL specified"),
        ({"url": HOOK, "secret_token": "s3cret!"}, "secret token contains unallowed characters"),
        ({"url": HOOK, "secret_token": "x" * 257}, "secret token is too long"),
        (
            {"url": "https://elsewhere.example.com/hook"},
            "bad webhook: Failed to resolve host: Name or service not known",
        ),
        ({"url": "https://127.0.0.1/hook"}, "bad webhook: IP address 127.0.0.1 is reserved"),
    ],
)
async def test_set_webhook_is_validated_like_telegram(
    server: TelegramServer, params: dict[str, str], description: str
) -> None:
    server.route_webhook("https://bot.example.com:8443", "http://127.0.0.1:9")
    assert await call_api(server, "setWebhook", {"url": HOOK}) == (
        200,
        {"ok": True, "result": True},
    )
    status, body = await call_api(server, "setWebhook", params)
    assert (status, body["description"]) == (400, f"Bad Request: {description}")
    # A refused setWebhook still removed the webhook that was set before.
    assert (await call_api(server, "getWebhookInfo", {}))[1]["result"]["url"] == ""


async def test_accepted_webhook_settings(server: TelegramServer, ptb_bot: Bot) -> None:
    for origin in (
        "https://bot.example.com:8443",
        "https://bot.example.com",
        "bot.example.com:88",
    ):
        server.route_webhook(origin, "http://127.0.0.1:9")  # an origin covers all its paths
    secret = (string.ascii_letters + string.digits + "_-") * 4
    for url in (HOOK, "bot.example.com/hook", "https://bot.example.com:88/x?y=1"):
        assert await ptb_bot.set_webhook(url, secret_token=secret, max_connections=500)
        info = await ptb_bot.get_webhook_info()
        assert (info.url, info.max_connections, info.ip_address) == (url, 100, "127.0.0.1")
    assert server.webhook is not None
    assert server.webhook.secret_token == secret


async def test_webhook_delivery_retries_then_confirms_each_update_once(
    server: TelegramServer, ptb_bot: Bot, receiver: Receiver
) -> None:
    alice = server.user(1001)
    await alice.send("one")  # pending before the webhook is set
    receiver.statuses.append(500)
    assert await ptb_bot.set_webhook(HOOK, secret_token="s3cret")
    await alice.send("two")
    await alice.send("three")
    await server.wait_for(lambda: not server.updates, timeout=5)
    assert receiver.texts() == ["one", "one", "two", "three"]
    assert {secret for secret, _ in receiver.received} == {"s3cret"}
    assert [(d.update_id, d.status) for d in server.webhook_deliveries] == [
        (1, 500),
        (1, 200),
        (2, 200),
        (3, 200),
    ]
    assert server.webhook_deliveries[0].target == receiver.url
    assert server.confirmed_updates() == [1, 2, 3]
    info = await ptb_bot.get_webhook_info()
    assert (info.url, info.pending_update_count, info.max_connections) == (HOOK, 0, 40)
    # Telegram keeps reporting the last error after later successes.
    assert info.last_error_message == "Wrong response from the webhook: 500 Internal Server Error"
    assert info.last_error_date is not None
    assert abs(time.time() - info.last_error_date.timestamp()) < 5
    await asyncio.sleep(0.15)  # three retry delays: nothing confirmed is sent again
    assert len(receiver.received) == 4


async def test_updates_wait_while_the_receiver_is_down(
    server: TelegramServer, ptb_bot: Bot
) -> None:
    server.webhook_retry_delay = 0.02
    down = Receiver()
    server.route_webhook(HOOK, down.url)
    assert await ptb_bot.set_webhook(HOOK, secret_token="007")  # digits stay a string
    alice = server.user(1001)
    await alice.send("while down")
    await alice.send("queued behind it")
    await server.wait_for(lambda: len(server.webhook_deliveries) >= 3, timeout=5)
    assert {d.update_id for d in server.webhook_deliveries} == {1}  # one chat: in order
    assert {d.error for d in server.webhook_deliveries} == {"Connection refused"}
    info = await ptb_bot.get_webhook_info()
    assert (info.pending_update_count, info.last_error_message) == (2, "Connection refused")
    with pytest.raises(Conflict, match="can't use getUpdates method while webhook is active"):
        await ptb_bot.get_updates()
    try:
        await down.start()  # the bot is back
        await server.wait_for(lambda: not server.updates, timeout=5)
    finally:
        await down.stop()
    assert down.texts() == ["while down", "queued behind it"]
    assert {secret for secret, _ in down.received} == {"007"}
    assert server.confirmed_updates() == [1, 2]


async def test_a_slow_answer_times_out_and_is_retried(
    server: TelegramServer, ptb_bot: Bot, receiver: Receiver
) -> None:
    server.webhook_timeout = 0.1
    receiver.delays.append(0.3)
    await ptb_bot.set_webhook(HOOK)
    await server.user(1001).send("slow")
    await server.wait_for(lambda: server.confirmed_updates() == [1], timeout=5)
    first, *_ = server.webhook_deliveries
    assert (first.status, first.error) == (None, "Read timeout expired")
    assert {secret for secret, _ in receiver.received} == {None}  # no secret_token: no header


async def test_chats_are_delivered_independently(
    server: TelegramServer, ptb_bot: Bot, receiver: Receiver
) -> None:
    receiver.refuse["a1"] = 2
    alice, bob = server.user(1001), server.user(1002)
    await alice.send("a1")
    await alice.send("a2")
    await bob.send("b1")
    await ptb_bot.set_webhook(HOOK, max_connections=2)
    await server.wait_for(lambda: not server.updates, timeout=5)
    # Bob does not wait for Alice's retries, but Alice's updates keep their order.
    assert server.confirmed_updates() == [3, 1, 2]
    assert receiver.texts()[2:] == ["a1", "a1", "a2"]  # after a1 and b1 sent side by side


async def test_allowed_updates_limit_what_the_webhook_gets(
    server: TelegramServer, ptb_bot: Bot, receiver: Receiver
) -> None:
    alice = server.user(1001)
    await ptb_bot.send_message(1001, "card", reply_markup=KEYBOARD)
    await alice.press(await alice.next_message(), "Keep")
    await alice.send("text")
    await ptb_bot.set_webhook(HOOK, allowed_updates=["message"])
    await server.wait_for(lambda: not server.updates, timeout=5)
    assert receiver.texts() == ["text"]
    assert (await ptb_bot.get_webhook_info()).allowed_updates == ("message",)


async def test_delete_webhook_stops_delivery_and_keeps_updates(
    server: TelegramServer, ptb_bot: Bot
) -> None:
    server.webhook_retry_delay = 0.02
    server.route_webhook(HOOK, Receiver().url)  # nobody listens
    await ptb_bot.set_webhook(HOOK)
    alice = server.user(1001)
    await alice.send("one")
    await alice.send("two")
    await server.wait_for(lambda: server.webhook_deliveries, timeout=5)
    assert await ptb_bot.delete_webhook()
    attempts = len(server.webhook_deliveries)
    info = await ptb_bot.get_webhook_info()
    assert (info.url, info.pending_update_count, info.last_error_date) == ("", 2, None)
    assert info.max_connections is None
    assert [u.update_id for u in await ptb_bot.get_updates()] == [1, 2]
    await asyncio.sleep(0.05)
    assert len(server.webhook_deliveries) == attempts
    assert await ptb_bot.set_webhook(HOOK, drop_pending_updates=True)
    assert (await ptb_bot.get_webhook_info()).pending_update_count == 0


async def test_a_bug_in_webhook_delivery_fails_the_test(
    server: TelegramServer, ptb_bot: Bot, receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(update: dict[str, Any]) -> tuple[str, int]:
        raise RuntimeError("bug")

    monkeypatch.setattr(telegram_server, "queue_key", broken)
    await server.user(1001).send("hi")
    await ptb_bot.set_webhook(HOOK)
    await server.wait_for(server.server_errors, timeout=5)
    assert [r.method for r in server.server_errors()] == ["webhook delivery"]
    assert "RuntimeError('bug')" in server.server_errors()[0].description
    server.requests.clear()  # this bug was planted; the fixture's own check must pass


async def test_set_webhook_ends_a_held_long_poll(server: TelegramServer, ptb_bot: Bot) -> None:
    server.route_webhook(HOOK, "http://127.0.0.1:9")
    held = asyncio.create_task(ptb_bot.get_updates(timeout=5))
    await asyncio.sleep(0.05)
    async with Bot(server.token, base_url=server.base_url) as other:
        await other.set_webhook(HOOK)
    with pytest.raises(Conflict, match="terminated by setWebhook request"):
        await held


async def test_ptb_application_in_webhook_mode(server: TelegramServer) -> None:
    port = free_port()
    server.route_webhook(HOOK, f"http://127.0.0.1:{port}/hook")
    application = (
        ApplicationBuilder()
        .token(server.token)
        .base_url(server.base_url)
        .base_file_url(server.base_file_url)
        .build()
    )
    application.add_handler(MessageHandler(filters.TEXT, echo))
    alice = server.user(1001)
    async with application:
        await application.start()
        assert application.updater is not None
        await application.updater.start_webhook(
            listen="127.0.0.1",
            port=port,
            url_path="hook",
            webhook_url=HOOK,
            secret_token="s3cret",
        )
        await alice.send("via webhook")
        assert (await alice.next_message()).text == "via webhook"
        update = {"update_id": 99, "message": {**alice.chat.user_messages[1], "text": "forged"}}
        assert (await server.post_to_webhook(update))[0] == 403
        assert (await server.post_to_webhook(update, secret_token="wrong"))[0] == 403
        assert (await server.post_to_webhook(update, secret_token="s3cret"))[0] == 200
        assert (await alice.next_message()).text == "forged"
        await application.updater.stop()
        await application.stop()
    (registered,) = server.calls("setWebhook")
    assert (registered["url"], registered["secret_token"]) == (HOOK, "s3cret")
    assert server.calls("getUpdates") == []
    assert [(d.update_id, d.status) for d in server.webhook_deliveries] == [(1, 200)]


# -- local mode -----------------------------------------------------------------------------------


def document_of(update: Update) -> Document:
    """The document of a message update."""
    assert update.effective_message is not None
    assert update.effective_message.document is not None
    return update.effective_message.document


async def test_local_mode_get_file_gives_a_file_on_disk(tmp_path: Path) -> None:
    data = b"First Name,Last Name\nAda,Lovelace\n"
    async with TelegramServer(local_mode=True, files_dir=tmp_path / "api") as local:
        alice = local.user(1001)
        await alice.send_document(data, "Connections.csv", declared_size=25_000_000)
        async with Bot(
            local.token,
            base_url=local.base_url,
            base_file_url=local.base_file_url,
            local_mode=True,
        ) as local_bot:
            (update,) = await local_bot.get_updates()
            file = await document_of(update).get_file()
            assert file.file_size == 25_000_000  # no 20 MB cap in local mode
            assert file.file_path is not None
            path = Path(file.file_path)
            assert path.is_absolute() and path.is_relative_to(tmp_path / "api" / local.token)
            assert path.read_bytes() == data
            buffer = io.BytesIO()
            await file.download_to_memory(buffer)  # PTB reads the file from disk...
            assert buffer.getvalue() == data
            relative = local.files[file.file_id].file_path
            async with (
                aiohttp.ClientSession() as http,
                http.get(f"{local.base_file_url}{local.token}/{relative}") as response,
            ):
                assert response.status == 404  # ...as a local server serves no downloads

            path.with_name("upload.csv").write_bytes(b"a,b\n")
            await local_bot.send_document(1001, path.with_name("upload.csv"))  # a file:// URI
            sent = await alice.next_message()
            assert sent.document is not None
            assert (sent.document.file_name, sent.document.data) == ("upload.csv", b"a,b\n")


@pytest.mark.parametrize("local_mode", [False, True])
async def test_a_25_mb_file_needs_local_mode(local_mode: bool) -> None:
    async with TelegramServer(local_mode=local_mode) as srv:
        await srv.user(1001).send_document(b"tiny", "big.csv", declared_size=25_000_000)
        async with Bot(srv.token, base_url=srv.base_url, local_mode=local_mode) as tg_bot:
            (update,) = await tg_bot.get_updates()
            if not local_mode:
                with expect(BadRequest, "File is too big"):
                    await document_of(update).get_file()
                return
            file = await document_of(update).get_file()
            assert Path(file.file_path or "").read_bytes() == b"tiny"
            files_dir = srv.files_dir
            assert files_dir is not None
    assert not files_dir.exists()  # a folder the server made for itself is removed


async def test_local_mode_webhook_may_be_plain_http_on_any_port(tmp_path: Path) -> None:
    receiver = Receiver()
    await receiver.start()
    try:
        async with (
            TelegramServer(local_mode=True, files_dir=tmp_path) as local,
            Bot(local.token, base_url=local.base_url, local_mode=True) as local_bot,
        ):
            assert await local_bot.set_webhook(receiver.url)  # no route needed on loopback
            await local.user(1001).send("direct")
            await local.wait_for(lambda: not local.updates, timeout=5)
            assert (await local_bot.get_webhook_info()).max_connections == 100
    finally:
        await receiver.stop()
    assert receiver.texts() == ["direct"]
