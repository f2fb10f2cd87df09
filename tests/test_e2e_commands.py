"""End to end: signals on cards, /find, /target, /invitations, and one import at a time."""

from __future__ import annotations

from bot import texts
from bot.context import KeepcutApp
from tests.export_samples import Person, current_connections, export_zip, people
from tests.telegram_server import TelegramServer
from tests.user import BotMessage, TelegramUser

ME = 1001
OWNER = "https://www.linkedin.com/in/me-owner"

MESSAGES = (
    '"CONVERSATION ID","CONVERSATION TITLE","FROM","SENDER PROFILE URL","TO",'
    '"RECIPIENT PROFILE URLS","DATE","SUBJECT","CONTENT","FOLDER"\n'
    f"c1,,Me Owner,{OWNER},Chatty Friend,https://www.linkedin.com/in/chatty,"
    '2024-10-26 11:43:11 UTC,,"Hi, how are you?",INBOX\n'
    f"c1,,Chatty Friend,https://www.linkedin.com/in/chatty,Me Owner,{OWNER},"
    '2024-10-27 09:00:00 UTC,,"Fine ""thanks""\nand you?",INBOX\n'
    f"c2,,Me Owner,{OWNER},Other Person,https://www.linkedin.com/in/other,"
    "2023-01-02 10:00:00 UTC,,Hello,INBOX\n"
).encode()
INVITATIONS = (
    "From,To,Sent At,Message,Direction,inviterProfileUrl,inviteeProfileUrl\n"
    'Me Owner,Pending Pat,"1/5/20, 3:43 PM",,OUTGOING,'
    + OWNER
    + ",https://www.linkedin.com/in/pat\n"
    'Me Owner,Chatty Friend,"2/5/19, 1:00 PM",,OUTGOING,'
    + OWNER
    + ",https://www.linkedin.com/in/chatty\n"
).encode()


async def reply_to(user: TelegramUser, text: str) -> BotMessage:
    """Send a command and return the bot's next message."""
    await user.send(text)
    return await user.next_message()


async def import_file(user: TelegramUser, data: bytes, name: str) -> BotMessage:
    """Upload and wait for the final answer."""
    await user.send_document(data, name)
    status = await user.next_message(timeout=10)
    return await user.wait_for_edit(status, timeout=10)


async def test_cards_show_what_the_export_says(server: TelegramServer, bot: KeepcutApp) -> None:
    me = server.user(ME, "Ada")
    rows = [Person("Chatty", "Friend", "chatty"), Person("Quiet", "One", "quiet")]
    reply = await import_file(
        me,
        export_zip(
            current_connections(rows),
            signals={"messages.csv": MESSAGES, "Invitations.csv": INVITATIONS},
        ),
        "a.zip",
    )
    assert "messages, endorsements and recommendations will show" in reply.text
    await me.send("/review")
    card = await me.next_message()
    # The weakest tie comes first, and says why.
    assert card.text.startswith("Quiet One")
    assert texts.NO_SIGNALS in card.text and texts.WHY_EARLY in card.text
    press = await me.press(card, texts.BUTTON_KEEP)
    await me.wait_for_answer(press)
    card = await me.wait_for_edit(card)
    assert card.text.startswith("Chatty Friend")
    assert "2 messages (1 from you, 1 from them), last Oct 2024" in card.text
    assert "You invited them" in card.text


async def test_invitations_lists_old_pending_ones(server: TelegramServer, bot: KeepcutApp) -> None:
    me = server.user(ME, "Ada")
    await reply_to(me, "/invitations")
    rows = [Person("Chatty", "Friend", "chatty")]
    await import_file(
        me,
        export_zip(current_connections(rows), signals={"Invitations.csv": INVITATIONS}),
        "a.zip",
    )
    answer = await reply_to(me, "/invitations")
    assert "1 invitation still pending" in answer.text
    assert "Pending Pat — sent Jan 2020" in answer.text
    assert "Chatty" not in answer.text


async def test_invitations_without_the_file_says_what_to_send(
    server: TelegramServer, bot: KeepcutApp
) -> None:
    me = server.user(ME, "Ada")
    await import_file(me, current_connections(people(2)), "Connections.csv")
    assert (await reply_to(me, "/invitations")).text.startswith("Your export has no Invitations")


async def test_find_then_change_a_decision(server: TelegramServer, bot: KeepcutApp) -> None:
    me = server.user(ME, "Ada")
    await import_file(
        me, current_connections([*people(3), Person("Zoë", "Ångström", "zoe")]), "c.csv"
    )
    assert (await reply_to(me, "/find")).text == texts.FIND_USAGE
    assert "Nobody" in (await reply_to(me, "/find <nobody>")).text
    found = await reply_to(me, "/find zoe")
    assert [b.text for b in found.buttons()] == ["Zoë Ångström · Northwind"]
    press = await me.press(found, "Zoë")
    await me.wait_for_answer(press)
    card = await me.wait_for_edit(found)
    assert card.text.startswith("Zoë Ångström")
    press = await me.press(card, texts.BUTTON_CUT)
    await me.wait_for_answer(press)
    stats = await reply_to(me, "/stats")
    assert "Cut: 1" in stats.text


async def test_target_is_validated(server: TelegramServer, bot: KeepcutApp) -> None:
    # Every bad input is a case of test_command_arguments; here, what the person sees.
    me = server.user(ME, "Ada")
    assert (await reply_to(me, "/target 0")).text == texts.TARGET_USAGE
    assert (await reply_to(me, "/target 1,200")).text.startswith("🎯 Target set to 1,200.")
    await import_file(me, current_connections(people(3)), "c.csv")
    assert "Target: 1,200" in (await reply_to(me, "/stats")).text


async def test_second_upload_while_importing_is_told_to_wait(
    server: TelegramServer, bot: KeepcutApp
) -> None:
    me = server.user(ME, "Ada")
    big = export_zip(current_connections(people(30_000)))
    await me.send_document(big, "big.zip")
    await me.send_document(current_connections(people(2)), "Connections.csv")
    first = await me.next_message(timeout=10)
    second = await me.next_message(timeout=10)
    assert first.text == texts.READING or first.edits
    assert second.text == texts.STILL_IMPORTING
    final = first if first.edits else await me.wait_for_edit(first, timeout=30)
    assert "Read 30,000 connections" in final.text
