"""End to end: setting reminders, summaries, the daily card and the time zone; the
yearly re-check of earlier keeps; a fresh export in the cleaning season."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot import texts
from bot.callbacks import PickZone, encode
from bot.clock import OffsetClock
from bot.context import KeepcutApp
from bot.schedules.sweep import run_sweep
from storage import schedules, users
from tests.conftest import RunningBot
from tests.export_samples import Person, current_connections, people
from tests.telegram_server import TelegramServer
from tests.user import BotMessage, TelegramUser

ADA = 1001
NOW = datetime(2027, 3, 10, 12, 0, tzinfo=UTC)


async def reply_to(user: TelegramUser, text: str) -> BotMessage:
    """Send a message and return the bot's first answer."""
    await user.send(text)
    return await user.next_message(timeout=10)


async def imported(user: TelegramUser, rows: list[Person]) -> BotMessage:
    """Upload an export and return the bot's answer."""
    await user.send_document(current_connections(rows), "Connections.csv")
    status = await user.next_message(timeout=10)
    return await user.wait_for_edit(status, timeout=15)


async def test_remind_shows_sets_and_explains_bad_input(
    server: TelegramServer, running: RunningBot
) -> None:
    await running.start(clock=OffsetClock(NOW))
    ada = server.user(ADA, "Ada", language_code="de")
    shown = await reply_to(ada, "/remind")
    assert "Sat 20 Mar 2027 at 10:00" in shown.text and "in 10 days" in shown.text
    question = await ada.next_message()
    assert question.text == texts.ZONE_ASK
    assert question.buttons()[0].text == "Europe/Berlin", "offered from Telegram's language"
    bad = await reply_to(ada, "/remind 31 April")
    assert "that month has no day 31" in bad.text and texts.REMIND_EXAMPLE in bad.text
    await ada.expect_no_message(0.2)  # the time zone is asked once, not again
    await ada.press(question, "Europe/Berlin")
    assert "Europe/Berlin" in (await ada.next_message()).text
    done = await reply_to(ada, "/remind 15 April 9:30")
    assert "every 15 April at 09:30 (Europe/Berlin time)" in done.text
    assert "Thu 15 Apr 2027 at 09:30" in done.text


async def test_a_forged_zone_button_changes_nothing(
    server: TelegramServer, running: RunningBot
) -> None:
    app = await running.start(clock=OffsetClock(NOW))
    ada = server.user(ADA, "Ada")
    await reply_to(ada, "/timezone Lisbon")
    card = await reply_to(ada, "/timezone")
    press = await ada.press_data(card, encode(PickZone("Mars/Olympus_Mons")))
    await ada.wait_for_answer(press)
    assert press.text == texts.ZONE_BAD_BUTTON
    user = await app.bot_data["store"].run(users.get_user, ADA)
    assert user is not None and user.timezone == "Europe/Lisbon"


async def test_a_new_time_zone_moves_the_reminders_to_its_local_time(
    server: TelegramServer, running: RunningBot
) -> None:
    app = await running.start(clock=OffsetClock(NOW))
    ada = server.user(ADA, "Ada")
    await reply_to(ada, "/remind")
    await ada.next_message()
    await reply_to(ada, "/timezone new york")
    yearly = (await app.bot_data["store"].run(schedules.schedules_of, ADA))["yearly"]
    assert yearly.next_due == datetime(2027, 3, 20, 14, 0, tzinfo=UTC)  # 10:00 EDT


async def press_on(user: TelegramUser, card: BotMessage, label: str) -> BotMessage:
    """Press a card button and wait for the card to change."""
    await user.press(card, label)
    return await user.wait_for_edit(card)


async def test_the_yearly_recheck_keeps_with_one_tap_and_undo_gives_the_keep_back(
    server: TelegramServer, running: RunningBot
) -> None:
    clock = OffsetClock(NOW)
    app: KeepcutApp = await running.start(clock=clock)
    ada = server.user(ADA, "Ada")
    await imported(ada, people(4))
    await ada.send("/review")
    card = await ada.next_message()
    for label in (texts.BUTTON_KEEP, texts.BUTTON_KEEP, texts.BUTTON_KEEP, texts.BUTTON_CUT):
        card = await press_on(ada, card, label)
    clock.jump(datetime(2027, 3, 20, 10, 0, 5, tzinfo=UTC) - clock.now())
    await run_sweep(app, clock.now())
    sent = [await ada.next_message(), await ada.next_message()]  # and the week's summary
    (reminder,) = [m for m in sent if "Spring-cleaning" in m.text]
    assert "look again at the 3 people you kept" in reminder.text
    await ada.press(reminder, texts.BUTTON_RECHECK)
    card = await ada.next_message()
    assert texts.RECHECK_QUESTION in card.text and "3 kept people left" in card.text
    first = card.text.split("\n")[0]
    card = await press_on(ada, card, texts.BUTTON_STILL_KEEP)
    assert "2 kept people left" in card.text and card.text.split("\n")[0] != first
    second = card.text.split("\n")[0]
    card = await press_on(ada, card, texts.BUTTON_CUT)
    card = await press_on(ada, card, texts.BUTTON_UNDO)
    assert card.text.split("\n")[0] == second and texts.RECHECK_QUESTION in card.text
    card = await press_on(ada, card, texts.BUTTON_STILL_KEEP)
    card = await press_on(ada, card, texts.BUTTON_STILL_KEEP)
    assert "Re-check done" in card.text and "Kept 3 · Cut 1" in card.text


async def test_a_fresh_export_in_the_cleaning_season_offers_new_people_then_the_recheck(
    server: TelegramServer, running: RunningBot
) -> None:
    clock = OffsetClock(NOW)
    app: KeepcutApp = await running.start(clock=clock)
    ada = server.user(ADA, "Ada")
    first = people(3)
    await imported(ada, first)
    await ada.send("/review")
    card = await ada.next_message()
    for _ in first:
        card = await press_on(ada, card, texts.BUTTON_KEEP)
    clock.jump(timedelta(days=10, hours=-2, seconds=5))  # 20 March, 10:00:05
    await run_sweep(app, clock.now())
    assert "Spring-cleaning" in (await ada.next_message()).text
    clock.jump(timedelta(days=2))
    reply = await imported(ada, [*first, Person("Newer", "Person", "newer")])
    assert "review the 1 new person first, then re-check the 3 people you kept" in reply.text
    assert [b.text for b in reply.buttons()] == [
        texts.BUTTON_CONTINUE_REVIEW,
        texts.BUTTON_RECHECK,
    ]
