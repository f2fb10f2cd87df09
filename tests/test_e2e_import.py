"""End to end: sending the export imports it; re-uploads merge; bad files get clear answers."""

from __future__ import annotations

import time

import pytest

from bot import texts
from bot.context import KeepcutApp
from storage import decisions, progress, queue, search
from tests import export_samples as samples
from tests.export_samples import (
    Person,
    current_connections,
    export_zip,
    people,
    traversal_zip,
    zip_bomb,
)
from tests.telegram_server import TelegramServer
from tests.user import BotMessage, TelegramUser

ME = 1001


async def upload(
    user: TelegramUser, data: bytes, name: str, mime: str = "application/zip"
) -> BotMessage:
    """Send a file and return the bot's final answer (the edited "reading…" message)."""
    await user.send_document(data, name, mime_type=mime)
    status = await user.next_message(timeout=10)
    if status.text == texts.READING:
        status = await user.wait_for_edit(status, timeout=10)
    return status


async def test_zip_import_states_the_counts_and_offers_the_review(
    server: TelegramServer, bot: KeepcutApp
) -> None:
    me = server.user(ME, "Ada")
    reply = await upload(
        me, export_zip(current_connections(people(12))), "Basic_LinkedInDataExport_11-29-2026.zip"
    )
    assert "Read 12 connections" in reply.text
    assert "12 people to review" in reply.text
    assert [b.text for b in reply.buttons()] == [texts.BUTTON_START_REVIEW]
    assert "typing" in me.chat_actions


async def test_reupload_reports_new_and_gone_and_keeps_decisions(
    server: TelegramServer, bot: KeepcutApp
) -> None:
    me = server.user(ME, "Ada")
    first = people(10)
    await upload(me, current_connections(first), "Connections.csv", "text/csv")
    store = bot.bot_data["store"]
    kept = store.call(search.find, ME, first[0].first)[0]
    cut = store.call(search.find, ME, first[1].first)[0]
    store.call(decisions.decide, ME, kept.id, "keep")
    store.call(decisions.decide, ME, cut.id, "cut")
    # A year later: person 1 (cut) and person 2 are gone; two new people arrived.
    second = [first[0], *first[3:], Person("New", "One", "new-1"), Person("New", "Two", "new-2")]
    reply = await upload(
        me, export_zip(current_connections(second)), "Basic_LinkedInDataExport_11-29-2027.zip"
    )
    assert "Read 10 connections" in reply.text
    assert "New since your last upload: 2" in reply.text
    assert "Gone since then: 2 (1 of them on your cut list" in reply.text
    assert "Still undecided: 9" in reply.text
    assert store.call(queue.get_connection, ME, kept.id).state == "keep"  # type: ignore[union-attr]
    assert [b.text for b in reply.buttons()] == [texts.BUTTON_CONTINUE_REVIEW]


@pytest.mark.parametrize(
    ("build", "name"),
    [(zip_bomb, "Basic_LinkedInDataExport_11-29-2026.zip"), (traversal_zip, "export.zip")],
)
async def test_hostile_zip_is_refused_quickly_and_bot_carries_on(
    server: TelegramServer, bot: KeepcutApp, build: object, name: str
) -> None:
    me = server.user(ME, "Ada")
    await upload(me, export_zip(current_connections(people(3))), "good.zip")
    data = build()  # type: ignore[operator]
    started = time.monotonic()
    reply = await upload(me, data, name)
    elapsed = time.monotonic() - started
    assert reply.text.startswith("I won't open this ZIP")
    assert texts.NOTHING_CHANGED in reply.text
    assert elapsed < 5, f"refusal took {elapsed:.1f}s"  # generous: a shared, noisy machine
    assert progress.progress(bot.bot_data["store"].db, ME).total == 3, "nothing stored changed"
    await me.send("/help")
    assert "/review" in (await me.next_message()).text


@pytest.mark.parametrize(
    ("data", "name", "starts"),
    [
        (b"", "Connections.csv", "That file is empty."),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "photo.png", "That looks like"),
        (
            b'"CONVERSATION ID","CONVERSATION TITLE","FROM","SENDER PROFILE URL","TO",'
            b'"RECIPIENT PROFILE URLS","DATE","SUBJECT","CONTENT","FOLDER"\n',
            "messages.csv",
            "This is your messages.csv file, not your connections.",
        ),
        (b"id,price\n1,2\n", "prices.csv", "This CSV doesn't look like LinkedIn's"),
    ],
)
async def test_wrong_files_get_specific_answers(
    server: TelegramServer, bot: KeepcutApp, data: bytes, name: str, starts: str
) -> None:
    me = server.user(ME, "Ada")
    reply = await upload(me, data, name, "text/csv")
    assert reply.text.startswith(starts), reply.text
    assert reply.text.endswith(texts.NOTHING_CHANGED)


async def test_file_over_20_mb_is_refused_before_download(
    server: TelegramServer, bot: KeepcutApp
) -> None:
    me = server.user(ME, "Ada")
    await me.send_document(b"PK", "Complete_LinkedInDataExport.zip", declared_size=25_000_000)
    reply = await me.next_message()
    assert "over 20 MB" in reply.text and "Connections.csv" in reply.text
    assert server.calls("getFile") == []


async def test_header_only_export_is_answered_kindly(
    server: TelegramServer, bot: KeepcutApp
) -> None:
    me = server.user(ME, "Ada")
    reply = await upload(me, current_connections([]), "Connections.csv", "text/csv")
    assert reply.text.startswith("Your export has no connections in it")
    assert reply.buttons() == []


async def test_photo_and_sticker_get_hints(server: TelegramServer, bot: KeepcutApp) -> None:
    me = server.user(ME, "Ada")
    await me.send("just text")
    assert "as a file" in (await me.next_message()).text


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (samples.excel_resave(), "Connections.csv"),
        (samples.excel_resave(delimiter=";", date_format=samples.dotted_date), "Connections.csv"),
        (samples.excel_resave(encoding="utf-16", delimiter="\t"), "Connections.txt"),
        (samples.old_connections(), "Connections.csv"),
        (samples.connections_2018(), "Connections.csv"),
        (
            samples.export_zip(
                samples.current_connections(), folder="Export", signals=samples.all_signal_files()
            ),
            "Complete_LinkedInDataExport.zip",
        ),
    ],
)
async def test_real_world_variants_import_through_the_bot(
    server: TelegramServer, bot: KeepcutApp, data: bytes, name: str
) -> None:
    me = server.user(ME, "Ada")
    reply = await upload(me, data, name, "text/csv")
    assert f"Read {len(samples.PEOPLE)} connections" in reply.text, reply.text
