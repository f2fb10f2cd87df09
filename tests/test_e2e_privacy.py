"""End to end: /forget asks, then deletes everything (and only that person's); /mydata's ZIP."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot import texts
from bot.clock import OffsetClock
from bot.context import KeepcutApp
from storage import privacy
from storage.privacy import PERSON_TABLES
from storage.store import Store
from tests.conftest import RunningBot
from tests.export_samples import (
    PEOPLE,
    Person,
    all_signal_files,
    current_connections,
    export_zip,
    people,
)
from tests.telegram_server import TelegramServer
from tests.user import BotMessage, TelegramUser

ADA, BOB = 1001, 2002
NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
# Strings only Ada's export holds (PEOPLE, its signal files), lower-cased.
ADAS_STRINGS = [b"northwind analytics", b"ada-example-3b2a91", b"pat-pending", b"globex"]


async def imported(user: TelegramUser, export: bytes, name: str) -> BotMessage:
    """Upload an export; return the bot's answer (with its Start reviewing button)."""
    await user.send_document(export, name)
    status = await user.next_message(timeout=10)
    return await user.wait_for_edit(status, timeout=15)


async def ada_with_decisions(ada: TelegramUser) -> None:
    """Ada sends her full archive and answers two cards: a cut and a keep."""
    archive = export_zip(current_connections(), signals=all_signal_files())
    reply = await imported(ada, archive, "Basic_LinkedInDataExport.zip")
    await ada.wait_for_answer(await ada.press(reply, "reviewing"))
    card = await ada.next_message()
    for label in (texts.BUTTON_CUT, texts.BUTTON_KEEP):
        await ada.wait_for_answer(await ada.press(card, label))
        card = await ada.wait_for_edit(card)


async def bob_with_a_network(bob: TelegramUser) -> None:
    """Bob sends a Connections.csv of his own five people."""
    await imported(bob, current_connections(people(5, "bob")), "Connections.csv")


async def ask(user: TelegramUser) -> BotMessage:
    """Send /forget and return the question."""
    await user.send("/forget")
    return await user.next_message()


def store_of(app: KeepcutApp) -> Store:
    """The running bot's store."""
    return app.bot_data["store"]


def on_disk(path: Path) -> bytes:
    """The database file and its -wal file, lower-cased."""
    wal = path.with_name(path.name + "-wal")
    return (path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")).lower()


async def test_forget_asks_first_and_cancel_keeps_everything(
    server: TelegramServer, bot: KeepcutApp
) -> None:
    ada = server.user(ADA, "Ada")
    await ada_with_decisions(ada)
    before = store_of(bot).call(privacy.holdings, ADA)
    question = await ask(ada)
    assert "Delete everything keepcut holds about you?" in question.text
    assert "5 connections from 1 upload, 2 decisions, 1 pending invitation" in question.text
    assert "/mydata" in question.text and "10 minutes" in question.text
    assert [b.text for b in question.buttons()] == [
        texts.BUTTON_FORGET_DELETE,
        texts.BUTTON_FORGET_CANCEL,
    ]
    press = await ada.press(question, texts.BUTTON_FORGET_CANCEL)
    assert (await ada.wait_for_answer(press)).text == texts.FORGET_CANCELLED_SHORT
    await ada.wait_for_edit(question)
    assert question.text == "👍 Cancelled. Nothing was deleted."
    assert question.buttons() == []
    assert store_of(bot).call(privacy.holdings, ADA) == before


async def test_delete_removes_everything_of_that_person_and_says_what(
    server: TelegramServer, bot: KeepcutApp
) -> None:
    ada, bob = server.user(ADA, "Ada"), server.user(BOB, "Bob")
    await ada_with_decisions(ada)
    await bob_with_a_network(bob)
    store = store_of(bot)
    bobs = store.call(privacy.person_tables, BOB)
    question = await ask(ada)
    press = await ada.press(question, texts.BUTTON_FORGET_DELETE)
    assert (await ada.wait_for_answer(press)).text == texts.FORGET_DONE_SHORT
    await ada.wait_for_edit(question)
    assert question.text.startswith(
        "✅ Deleted: 5 connections from 1 upload, 2 decisions, 1 pending invitation, "
        "2 schedules for reminders and summaries, and your Telegram id, first name and "
        "settings. keepcut now holds nothing about you."
    )
    assert "delete the chat" in question.text and "backups" not in question.text
    assert question.buttons() == []
    assert store.call(privacy.holdings, ADA).rows == 0, "not even a users row"
    assert store.call(privacy.person_tables, BOB) == bobs
    assert ADA not in bot.user_data, "nothing of hers in the bot's memory either"
    data = on_disk(store.path)
    assert b"bob-000" in data
    for text in ADAS_STRINGS:
        assert text not in data, text
    # Writing again starts afresh: a bare row, nothing else.
    await ada.send("/mydata")
    assert "I hold no LinkedIn data of yours" in (await ada.next_message()).text


async def test_delete_mentions_the_backups_when_there_are_some(
    server: TelegramServer, running: RunningBot, tmp_path: Path
) -> None:
    await running.start(backup_dir=tmp_path / "backups", backup_keep=7)
    ada = server.user(ADA, "Ada")
    question = await ask(ada)
    assert "I hold no LinkedIn data of yours" in question.text
    await ada.wait_for_answer(await ada.press(question, texts.BUTTON_FORGET_DELETE))
    await ada.wait_for_edit(question)
    assert question.text.startswith("✅ Deleted: your Telegram id, first name and settings.")
    assert "until they age out, after 7 days" in question.text


async def test_a_forged_delete_from_someone_who_never_asked_deletes_nothing(
    server: TelegramServer, bot: KeepcutApp
) -> None:
    bob = server.user(BOB, "Bob")
    await bob_with_a_network(bob)
    reply = bob.messages[-1]
    before = store_of(bot).call(privacy.holdings, BOB)
    press = await bob.press_data(reply, "fg:y")
    assert (await bob.wait_for_answer(press)).text == texts.FORGET_STALE_DELETE
    assert store_of(bot).call(privacy.holdings, BOB) == before
    assert reply.edits == 1, "the message it was forged on is left as it was"
    assert reply.buttons(), "its buttons too"


async def test_an_older_question_and_an_expired_one_delete_nothing(
    server: TelegramServer, running: RunningBot
) -> None:
    clock = OffsetClock(NOW)
    app = await running.start(clock=clock)
    ada = server.user(ADA, "Ada")
    await ada_with_decisions(ada)
    before = store_of(app).call(privacy.holdings, ADA)
    first, second = await ask(ada), await ask(ada)
    press = await ada.press(first, texts.BUTTON_FORGET_DELETE)
    assert (await ada.wait_for_answer(press)).text == texts.FORGET_STALE_DELETE
    await ada.wait_for_edit(first)
    assert first.buttons() == [] and "Delete everything" in first.text, "its buttons went"
    clock.jump(timedelta(minutes=10, seconds=5))
    press = await ada.press(second, texts.BUTTON_FORGET_DELETE)
    assert (await ada.wait_for_answer(press)).text == texts.FORGET_EXPIRED_SHORT
    await ada.wait_for_edit(second)
    assert second.text.startswith("⏱ This question has expired")
    assert "nothing was deleted" in second.text and "/forget again" in second.text
    assert store_of(app).call(privacy.holdings, ADA) == before


async def test_a_double_tap_on_delete_leaves_nothing_behind(
    server: TelegramServer, bot: KeepcutApp
) -> None:
    ada = server.user(ADA, "Ada")
    await ada_with_decisions(ada)
    question = await ask(ada)
    data = question.button(texts.BUTTON_FORGET_DELETE).callback_data
    assert data is not None
    first, second = await ada.press_data(question, data), await ada.press_data(question, data)
    await ada.wait_for_answer(first)
    assert (await ada.wait_for_answer(second)).text == texts.FORGET_STALE_DELETE
    assert question.text.startswith("✅ Deleted: 5 connections"), "the answer stays"
    assert store_of(bot).call(privacy.holdings, ADA).rows == 0, "the second tap left no row"
    assert ADA not in bot.user_data


async def test_delete_waits_for_an_import_under_way(
    server: TelegramServer, bot: KeepcutApp
) -> None:
    ada = server.user(ADA, "Ada")
    await ada_with_decisions(ada)
    before = store_of(bot).call(privacy.holdings, ADA)
    question = await ask(ada)
    running_imports = bot.bot_data["imports"]
    assert running_imports.try_hold(ADA)  # as an upload of hers would
    press = await ada.press(question, texts.BUTTON_FORGET_DELETE)
    assert (await ada.wait_for_answer(press)).text == texts.FORGET_WAIT_FOR_IMPORT
    assert store_of(bot).call(privacy.holdings, ADA) == before
    assert question.buttons(), "the question is still open"
    running_imports.end(ADA)
    await ada.wait_for_answer(await ada.press(question, texts.BUTTON_FORGET_DELETE))
    await ada.wait_for_edit(question)
    assert store_of(bot).call(privacy.holdings, ADA).rows == 0


def read_zip(data: bytes) -> dict[str, bytes]:
    """Every member of a ZIP by name."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def rows_of(data: bytes) -> list[dict[str, str]]:
    """A CSV member's rows as dicts by column name."""
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


async def test_mydata_sends_everything_held_as_csvs_in_a_zip(
    server: TelegramServer, running: RunningBot
) -> None:
    app = await running.start(clock=OffsetClock(NOW))
    ada, bob = server.user(ADA, "Ada"), server.user(BOB, "Bob")
    sly = Person('=HYPERLINK("http://evil")', "Sly", "sly-1", company="+Cmd", position="@Pos")
    await imported(ada, current_connections([*PEOPLE, sly]), "Connections.csv")
    await bob_with_a_network(bob)
    await ada.send("/mydata")
    sent = await ada.next_message(timeout=10)
    assert sent.document is not None
    assert sent.document.file_name == "keepcut-my-data-2026-11-29.zip"
    assert sent.caption is not None
    assert sent.caption.startswith("📦 Everything keepcut holds about you on 29 Nov 2026: ")
    assert "6 connections from 1 upload" in sent.caption
    members = read_zip(sent.document.data)
    assert list(members) == ["README.txt"] + [f"{t}.csv" for t in PERSON_TABLES]
    readme = members["README.txt"].decode("utf-8")
    assert "connections.csv (6 rows)" in readme and "apostrophe" in readme
    stored = {t.name: t for t in store_of(app).call(privacy.person_tables, ADA)}
    for table in PERSON_TABLES:
        rows = rows_of(members[f"{table}.csv"])
        assert len(rows) == len(stored[table].rows), table
        assert all(row["user_id"] == str(ADA) for row in rows), table
    connections = rows_of(members["connections.csv"])
    assert {r["first_name"] for r in connections} >= {"Ada", "Zoë", "Björn"}
    (row,) = [r for r in connections if r["last_name"] == "Sly"]
    assert row["first_name"] == '\'=HYPERLINK("http://evil")'
    assert (row["company"], row["position"]) == ("'+Cmd", "'@Pos")
    everything = b"".join(members.values())
    assert b"bob-000" not in everything and str(BOB).encode() not in everything


async def test_mydata_from_someone_with_nothing_says_so_without_a_file(
    server: TelegramServer, bot: KeepcutApp
) -> None:
    ada = server.user(ADA, "Ada <&>")
    await ada.send("/mydata")
    reply = await ada.next_message()
    assert reply.document is None
    assert reply.text.startswith("I hold no LinkedIn data of yours")
    assert f"Telegram id ({ADA}) and first name (Ada <&>)" in reply.text
    assert "target 500, time zone UTC" in reply.text


async def test_help_lists_mydata_and_forget(server: TelegramServer, bot: KeepcutApp) -> None:
    ada = server.user(ADA, "Ada")
    await ada.send("/help")
    text = (await ada.next_message()).text
    assert "/mydata — A copy of everything" in text and "/forget — Delete everything" in text
