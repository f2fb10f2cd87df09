"""End to end over real HTTP: the real bot answers /start and /help, keeps to private chats."""

from __future__ import annotations

import logging

import pytest

from bot import incoming, texts
from bot.context import KeepcutApp
from tests.conftest import RunningBot
from tests.export_samples import current_connections, people
from tests.telegram_server import TelegramServer


async def test_start_explains_the_bot_and_how_to_get_the_export(
    server: TelegramServer, bot: object
) -> None:
    alice = server.user(1001, "Alice <&>")
    await alice.send("/start")
    reply = await alice.next_message()
    assert reply.text.startswith("Hi Alice <&>!"), "the name is escaped, then shown as typed"
    assert "keepcut" in reply.text
    for step in ("Settings & Privacy", "Get a copy of your data", "Connections", "ZIP"):
        assert step in reply.text
    assert reply.parse_mode == "HTML"


async def test_help_lists_every_command(server: TelegramServer, bot: object) -> None:
    alice = server.user(1001, "Alice")
    await alice.send("/help")
    reply = await alice.next_message()
    for command, _ in texts.COMMANDS:
        assert f"/{command}" in reply.text


async def test_command_menu_is_registered_at_start(server: TelegramServer, bot: object) -> None:
    (call,) = server.calls("setMyCommands")
    registered = [c["command"] for c in call["commands"]]
    assert registered == [c for c, _ in texts.COMMANDS]


async def test_group_is_told_once_and_otherwise_ignored(
    server: TelegramServer, bot: object
) -> None:
    alice = server.user(1001, "Alice")
    group = server.group(-100500, user=alice)
    await group.send("/start")
    notice = await group.next_message()
    assert "private chat" in notice.text
    await group.send("/help")
    await group.send("hello bot")
    await group.expect_no_message(0.5)
    # The private chat still works, and the group left nothing behind.
    await alice.send("/help")
    assert "/review" in (await alice.next_message()).text


async def test_user_outside_allow_list_is_refused(
    server: TelegramServer, running: RunningBot
) -> None:
    await running.start(allowed_users=frozenset({1001}))
    stranger = server.user(6666, "Mallory")
    await stranger.send("/start")
    reply = await stranger.next_message()
    assert reply.text == texts.NOT_ALLOWED
    alice = server.user(1001, "Alice")
    await alice.send("/start")
    assert "keepcut" in (await alice.next_message()).text
    store = running.app.bot_data["store"]  # type: ignore[union-attr]
    assert store.call(
        lambda db: [r["user_id"] for r in db.query("SELECT user_id FROM users")]
    ) == [1001]


async def test_the_allow_list_applies_to_files_buttons_and_everything(
    server: TelegramServer, running: RunningBot
) -> None:
    await running.start(allowed_users=frozenset({1001}))
    alice, stranger = server.user(1001, "Alice"), server.user(6666, "Mallory")
    await alice.send_document(current_connections(people(3)), "Connections.csv")
    status = await alice.next_message(timeout=10)
    await alice.wait_for_edit(status, timeout=10)
    await alice.send("/review")
    card = await alice.next_message()
    await stranger.send_document(current_connections(people(5)), "Connections.csv")
    refused = await stranger.next_message()
    assert refused.text == texts.NOT_ALLOWED
    keep = card.button(texts.BUTTON_KEEP).callback_data
    assert keep is not None
    press = await stranger.press_data(refused, keep)  # Alice's button data, copied
    assert (await stranger.wait_for_answer(press)).text == texts.NOT_ALLOWED_SHORT
    await stranger.send("/stats")
    assert (await stranger.next_message()).text == texts.NOT_ALLOWED
    store = running.app.bot_data["store"]  # type: ignore[union-attr]
    assert store.call(lambda db: db.execute("SELECT count(*) FROM decisions").fetchone()) == (0,)
    assert store.call(lambda db: db.execute("SELECT count(*) FROM imports").fetchone()) == (1,)
    assert not server.calls("getFile")[1:], "the stranger's file was never even downloaded"


async def test_plain_text_gets_a_hint(server: TelegramServer, bot: object) -> None:
    alice = server.user(1001, "Alice")
    await alice.send("hello?")
    assert (await alice.next_message()).text.startswith("I read LinkedIn exports")
    await alice.send("/nonsense")
    assert (await alice.next_message()).text == texts.UNKNOWN_COMMAND


async def test_failure_is_logged_and_person_told_without_details(
    server: TelegramServer, bot: object, caplog: pytest.LogCaptureFixture
) -> None:
    alice = server.user(1001, "Alice")
    server.fail_next("sendMessage", 400, description="Bad Request: chat write forbidden")
    with caplog.at_level(logging.ERROR, logger="bot.errors"):
        await alice.send("/help")
        apology = await alice.next_message()
    assert apology.text == texts.SOMETHING_WENT_WRONG
    assert "Traceback" not in apology.text and "forbidden" not in apology.text
    (record,) = [r for r in caplog.records if r.name == "bot.errors"]
    assert "failure while handling update" in record.getMessage()
    # The bot keeps working after it.
    await alice.send("/start")
    assert "keepcut" in (await alice.next_message()).text


async def test_restart_keeps_users_and_runs_no_migration_twice(
    server: TelegramServer, running: RunningBot
) -> None:
    alice = server.user(1001, "Alice")
    await running.start()
    await alice.send("/start")
    await alice.next_message()
    await running.stop()
    app = await running.start()
    store = app.bot_data["store"]
    assert store.call(lambda db: db["users"].count) == 1
    names = store.call(
        lambda db: [r["name"] for r in db.query("SELECT name FROM _sqlite_migrations")]
    )
    assert len(names) == len(set(names))
    await alice.send("/help")
    assert "/cutlist" in (await alice.next_message()).text


async def test_blocking_and_unblocking_is_recorded(
    server: TelegramServer, bot: KeepcutApp
) -> None:
    alice = server.user(1001, "Alice")
    await alice.send("/start")
    await alice.next_message()
    store = bot.bot_data["store"]
    alice.block()
    await server.wait_for(
        lambda: store.call(lambda db: db.execute("SELECT blocked FROM users").fetchone()) == (1,),
        5,
    )
    alice.unblock()
    await server.wait_for(
        lambda: store.call(lambda db: db.execute("SELECT blocked FROM users").fetchone()) == (0,),
        5,
    )


async def test_blocked_send_marks_the_person_blocked_quietly(
    server: TelegramServer, bot: KeepcutApp
) -> None:
    alice = server.user(1001, "Alice")
    alice.block(notify=False)  # Telegram has not told the bot yet
    await alice.send("/help")
    store = bot.bot_data["store"]
    await server.wait_for(
        lambda: store.call(lambda db: db.execute("SELECT blocked FROM users").fetchone()) == (1,),
        5,
    )


async def test_the_same_hint_is_not_repeated_at_once(server: TelegramServer, bot: object) -> None:
    alice = server.user(1001, "Alice")
    for text in ("hello?", "anyone?", "hello again"):
        await alice.send(text)
    assert (await alice.next_message()).text.startswith("I read LinkedIn exports")
    await alice.expect_no_message(0.5)
    await alice.send("/nonsense")
    assert (await alice.next_message()).text == texts.UNKNOWN_COMMAND, "a different hint is given"


async def test_an_update_the_library_cannot_read_is_skipped_and_logged_by_id(
    server: TelegramServer, bot: KeepcutApp, caplog: pytest.LogCaptureFixture
) -> None:
    # An outdated self-hosted server can send a poll without fields the library requires.
    bad = server.add_update({"poll": {"id": "77", "question": "Secret Carol Quux?"}})
    alice = server.user(1001, "Alice")
    with caplog.at_level(logging.DEBUG):
        await alice.send("/start")
        assert "keepcut" in (await alice.next_message(timeout=10)).text
    assert f"skipped update {bad}" in caplog.text
    assert "Carol Quux" not in "".join(
        r.getMessage() for r in caplog.records if r.levelno >= logging.INFO
    ), "nothing of the update's contents at INFO or above"
    assert not [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    await server.wait_for(lambda: not server.updates, timeout=5)


async def test_a_batch_the_library_reads_is_not_read_again(
    server: TelegramServer, bot: KeepcutApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Only a batch the library could not read is read here, update by update.
    read: list[object] = []
    monkeypatch.setattr(incoming, "readable", lambda raw: read.append(raw) or raw)
    alice = server.user(1001, "Alice")
    await alice.send("/start")
    assert "keepcut" in (await alice.next_message(timeout=10)).text
    assert read == []
