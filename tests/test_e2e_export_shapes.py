"""End to end: the export shapes once misread arrive whole, and near misses are explained."""

from __future__ import annotations

from bot import texts
from bot.context import KeepcutApp
from storage import progress
from tests import export_samples as samples
from tests.telegram_server import TelegramServer
from tests.user import BotMessage, TelegramUser

ME = 1001
# A wrapped row that is one cell short: it cannot be read as a person.
TOO_SHORT = b'"Ann,Other,,""Acme, Inc."",Boss"\n'


async def upload(user: TelegramUser, data: bytes, name: str) -> BotMessage:
    """Send a file and return the bot's final answer (the edited "reading…" message)."""
    await user.send_document(data, name, mime_type="text/csv")
    status = await user.next_message(timeout=10)
    if status.text == texts.READING:
        status = await user.wait_for_edit(status, timeout=10)
    return status


async def reply_to(user: TelegramUser, text: str) -> BotMessage:
    """Send a message and return the bot's next one."""
    await user.send(text)
    return await user.next_message()


async def test_wrapped_rows_arrive_whole_and_are_found(
    server: TelegramServer, bot: KeepcutApp
) -> None:
    me = server.user(ME, "Ada")
    reply = await upload(me, samples.wrapped_connections() + TOO_SHORT, "Connections.csv")
    people = len(samples.WRAPPED_PEOPLE)
    assert reply.text.startswith(f"✅ Read {people} connections from your export.")
    assert f"Nothing is decided yet: {people} people to review." in reply.text
    assert (
        "⚠️ 1 row of your file could not be read (garbled, perhaps by a spreadsheet program), "
        "so that person is missing." in reply.text
    )
    found = await reply_to(me, "/find bob")
    assert [b.text for b in found.buttons()] == ["Bob Smith · Acme, Inc."]
    await me.wait_for_answer(await me.press(found, "Bob Smith"))
    card = await me.wait_for_edit(found)
    assert card.text.startswith("Bob Smith")
    assert 'Head of "Special" Projects' in card.text
    assert "Acme, Inc." in card.text
    assert (await reply_to(me, "/find ann")).text == texts.find_none("ann")


async def test_a_later_upload_with_unreadable_rows_marks_nobody_gone(
    server: TelegramServer, bot: KeepcutApp
) -> None:
    me = server.user(ME, "Ada")
    await upload(me, samples.old_connections(), "Connections.csv")
    reply = await upload(me, samples.wrapped_connections() + TOO_SHORT, "Connections.csv")
    assert "New since your last upload: 1" in reply.text  # Bob
    assert "Gone since then: 0" in reply.text, "the unreadable rows may be anyone's"
    assert "So this time nobody from your last upload is counted as gone." in reply.text


async def test_spaceless_header_is_read(server: TelegramServer, bot: KeepcutApp) -> None:
    me = server.user(ME, "Ada")
    reply = await upload(me, samples.spaceless_connections(), "Connections.csv")
    assert reply.text.startswith("✅ Read 5 connections from your export.")
    found = await reply_to(me, "/find zoe")
    assert [b.text for b in found.buttons()] == ["Zoë Exámple · Café Ltd"]


async def test_whole_names_are_imported_and_said_so(
    server: TelegramServer, bot: KeepcutApp
) -> None:
    me = server.user(ME, "Ada")
    reply = await upload(me, samples.whole_name_connections(), "Connections.csv")
    assert reply.text.splitlines()[:2] == [
        "✅ Read 5 connections from your export.",
        texts.WHOLE_NAMES,
    ]
    found = await reply_to(me, "/find exampl")
    assert [b.text for b in found.buttons()] == [
        "Ada Example · Northwind Analytics, Inc.",
        "Zoë Exámple · Café Ltd",
    ]


async def test_first_name_without_last_name_or_date_is_explained(
    server: TelegramServer, bot: KeepcutApp
) -> None:
    me = server.user(ME, "Ada")
    await upload(me, samples.current_connections(samples.people(3)), "Connections.csv")
    data = samples.csv_bytes(("First Name", "Company"), [["Ada Example", "Acme"]])
    reply = await upload(me, data, "Connections.csv")
    assert reply.text.startswith(
        "This file has a First Name column but no Last Name column, and no Connected On column"
    )
    assert reply.text.endswith(texts.NOTHING_CHANGED)
    assert progress.progress(bot.bot_data["store"].db, ME).total == 3, "nothing stored changed"


async def test_only_garbled_rows_are_refused(server: TelegramServer, bot: KeepcutApp) -> None:
    me = server.user(ME, "Ada")
    data = b"First Name,Last Name,Email Address,Company,Position,Connected On\n" + TOO_SHORT
    reply = await upload(me, data, "Connections.csv")
    assert reply.text.startswith("I found the column names in this file but couldn't read any")
    assert reply.text.endswith(texts.NOTHING_CHANGED)
    assert progress.progress(bot.bot_data["store"].db, ME).total == 0
