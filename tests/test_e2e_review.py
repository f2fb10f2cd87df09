"""End to end: the review walk, the cut list, stale and forged presses, restarts."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from bot import texts
from bot.context import KeepcutApp
from tests.conftest import RunningBot
from tests.export_samples import Person, current_connections, people
from tests.telegram_server import TelegramServer
from tests.user import BotMessage, TelegramUser

ALICE, BOB = 1001, 2002


async def imported(user: TelegramUser, rows: list[Person]) -> BotMessage:
    """Upload these people and return the first review card."""
    await user.send_document(current_connections(rows), "Connections.csv", mime_type="text/csv")
    status = await user.next_message(timeout=10)
    reply = await user.wait_for_edit(status, timeout=10)
    press = await user.press(reply, "reviewing")
    await user.wait_for_answer(press)
    return await user.next_message()


async def tap(user: TelegramUser, card: BotMessage, label: str) -> BotMessage:
    """Press a button on the card and wait for the card to change."""
    press = await user.press(card, label)
    await user.wait_for_answer(press)
    return await user.wait_for_edit(card)


def name_on(card: BotMessage) -> str:
    """The person's name: the card's first line."""
    return card.text.splitlines()[0]


async def test_full_walk_matches_stats_and_cut_list(
    server: TelegramServer, bot: KeepcutApp
) -> None:
    alice = server.user(ALICE, "Alice")
    card = await imported(alice, people(12))
    seen, cuts = [], []
    for i in range(12):
        seen.append(name_on(card))
        if i % 3 == 0:
            cuts.append(name_on(card))
            card = await tap(alice, card, texts.BUTTON_CUT)
        elif i == 4:
            card = await tap(alice, card, texts.BUTTON_SKIP)
        else:
            card = await tap(alice, card, texts.BUTTON_KEEP)
    # The skipped person comes back at the end; keep them this time.
    assert name_on(card) == seen[4]
    card = await tap(alice, card, texts.BUTTON_KEEP)
    assert "All done" in card.text
    # Undo twice: the last keep, then the last cut (person 9) is undecided again.
    card = await tap(alice, card, texts.BUTTON_UNDO)
    assert name_on(card) == seen[4]
    card = await tap(alice, card, texts.BUTTON_UNDO)
    assert name_on(card) == seen[11]
    card = await tap(alice, card, texts.BUTTON_UNDO)
    assert name_on(card) == seen[10]
    # Undecided again: 4, 10 and 11; the queue takes them in its own order.
    card = await tap(alice, card, texts.BUTTON_KEEP)
    assert name_on(card) == seen[4]
    card = await tap(alice, card, texts.BUTTON_KEEP)
    assert name_on(card) == seen[11]
    card = await tap(alice, card, texts.BUTTON_KEEP)
    assert "All done" in card.text and "Kept 8 · Cut 4" in card.text

    await alice.send("/stats")
    stats = await alice.next_message()
    assert "Connections: 12" in stats.text
    assert "Kept: 8" in stats.text and "Cut: 4" in stats.text
    assert "Skipped: 0" in stats.text and "Undecided: 0" in stats.text

    await alice.send("/cutlist")
    intro = await alice.next_message()
    assert "4 people" in intro.text
    batch = await alice.next_message()
    links = [b.url for b in batch.buttons() if b.url]
    await alice.next_message()  # what comes next
    document = await alice.next_message()
    assert document.document is not None
    rows = list(csv.reader(io.StringIO(document.document.data.decode("utf-8-sig"))))
    assert sorted(r[0] for r in rows[1:]) == sorted(cuts)
    assert sorted(links) == sorted(r[3] for r in rows[1:])


async def test_double_press_and_stale_press_change_nothing_wrongly(
    server: TelegramServer, bot: KeepcutApp
) -> None:
    alice = server.user(ALICE, "Alice")
    card = await imported(alice, people(5))
    first = name_on(card)
    keep = card.button(texts.BUTTON_KEEP).callback_data
    cut_first = card.button(texts.BUTTON_CUT).callback_data
    # The same press delivered twice counts once.
    p1 = await alice.press_data(card, keep)
    p2 = await alice.press_data(card, keep)
    await alice.wait_for_answer(p1)
    await alice.wait_for_answer(p2)
    card = await alice.wait_for_edit(card)
    store = bot.bot_data["store"]
    assert store.call(lambda db: db.execute("SELECT count(*) FROM decisions").fetchone()) == (1,)
    second = name_on(card)
    assert second != first
    # A press on the older version of the card acts on that card's person (cut the first).
    press = await alice.press_data(card, cut_first)
    await alice.wait_for_answer(press)
    rows = store.call(
        lambda db: db.execute(
            "SELECT c.first_name, d.decision FROM decisions d JOIN connections c "
            "ON c.id = d.connection_id"
        ).fetchall()
    )
    assert rows == [(first.split()[0], "cut")]
    card = await alice.wait_for_edit(card)
    assert name_on(card) == second, "the current card is shown again"


async def test_forged_data_from_another_person_reaches_nothing(
    server: TelegramServer, bot: KeepcutApp
) -> None:
    alice = server.user(ALICE, "Alice")
    bob = server.user(BOB, "Bob")
    alice_card = await imported(alice, [Person("Secret", "Alicefriend", "secret-1")])
    bob_card = await imported(bob, [Person("Bobs", "Friend", "bob-1")])
    store = bot.bot_data["store"]
    for button in alice_card.buttons():
        if button.callback_data:
            press = await bob.press_data(bob_card, button.callback_data)
            await bob.wait_for_answer(press)
            assert "Secret" not in (press.text or "")
    for data in ("x:1", "v:1", "r:1:1", "u:1:1", "d:1:c", "evil", "d:99999:k"):
        press = await bob.press_data(bob_card, data)
        await bob.wait_for_answer(press)
    assert store.call(
        lambda db: db.execute(
            "SELECT count(*) FROM decisions WHERE user_id = ?", [ALICE]
        ).fetchone()
    ) == (0,)
    for message in bob.messages:
        assert "Secret" not in message.text and "Alicefriend" not in message.text
        for version in message.history:
            assert "Secret" not in version.text


async def test_restart_mid_walk_resumes_with_every_decision(
    server: TelegramServer, running: RunningBot
) -> None:
    await running.start()
    alice = server.user(ALICE, "Alice")
    card = await imported(alice, people(6))
    decided = []
    for label in (texts.BUTTON_KEEP, texts.BUTTON_CUT, texts.BUTTON_KEEP):
        decided.append(name_on(card))
        card = await tap(alice, card, label)
    expected_next = name_on(card)
    await running.stop()
    await running.start()
    await alice.send("/review")
    card = await alice.next_message()
    assert name_on(card) == expected_next
    assert "3 of 6 reviewed · 2 kept so far" in card.text
    await alice.send("/stats")
    stats = await alice.next_message()
    assert "Kept: 2" in stats.text and "Cut: 1" in stats.text


async def test_hostile_names_render_correctly(server: TelegramServer, bot: KeepcutApp) -> None:
    alice = server.user(ALICE, "Alice")
    name = Person("<b>Ann</b> & _Co_", "*Star* <i>", "ann-x", company="A<B & C>D",
                  position="=cmd|' /C calc'!A0")  # fmt: skip
    card = await imported(alice, [name])
    assert name_on(card) == "<b>Ann</b> & _Co_ *Star* <i>"
    assert "=cmd|' /C calc'!A0 at A<B & C>D" in card.text
    card = await tap(alice, card, texts.BUTTON_CUT)
    await alice.send("/cutlist")
    await alice.next_message()
    batch = await alice.next_message()
    assert "<b>Ann</b> & _Co_" in batch.text
    await alice.next_message()
    document = await alice.next_message()
    rows = list(csv.reader(io.StringIO(document.document.data.decode("utf-8-sig"))))  # type: ignore[union-attr]
    assert rows[1][2] == "'=cmd|' /C calc'!A0"


async def test_removed_button_updates_the_list_and_the_stats(
    server: TelegramServer, bot: KeepcutApp
) -> None:
    alice = server.user(ALICE, "Alice")
    card = await imported(alice, people(3))
    for _ in range(3):
        card = await tap(alice, card, texts.BUTTON_CUT)
    await alice.send("/cutlist")
    await alice.next_message()
    batch = await alice.next_message()
    first = batch.buttons()[1]
    assert first.text == texts.BUTTON_REMOVED
    press = await alice.press_data(batch, first.callback_data)  # type: ignore[arg-type]
    await alice.wait_for_answer(press)
    assert press.text == texts.TOAST_MARKED_REMOVED
    batch = await alice.wait_for_edit(batch)
    assert batch.buttons()[1].text == texts.BUTTON_IS_REMOVED
    assert batch.buttons()[3].text == texts.BUTTON_REMOVED
    again = await alice.press_data(batch, first.callback_data)  # type: ignore[arg-type]
    await alice.wait_for_answer(again)
    assert again.text == texts.TOAST_ALREADY_REMOVED
    await alice.next_message()  # what comes next
    await alice.next_message()  # the CSV
    await alice.send("/stats")
    assert "(removed on LinkedIn: 1)" in (await alice.next_message()).text


async def test_undo_command_and_review_orders(server: TelegramServer, bot: KeepcutApp) -> None:
    alice = server.user(ALICE, "Alice")
    card = await imported(alice, people(4))
    await alice.send("/undo")
    assert (await alice.next_message()).text == texts.NOTHING_TO_UNDO
    first = name_on(card)
    card = await tap(alice, card, texts.BUTTON_KEEP)
    await alice.send("/undo")
    again = await alice.next_message()
    assert name_on(again) == first
    card = await alice.wait_for_edit(card)
    assert card.buttons() == [], "the older card went quiet"
    await alice.send("/review newest")
    newest = await alice.next_message()
    assert name_on(newest) == "Person003 Example"  # connected 2013, the latest of four
    await alice.send("/review sideways")
    assert (await alice.next_message()).text == texts.BAD_ORDER


async def test_a_press_costs_one_trip_to_the_database(
    server: TelegramServer, bot: KeepcutApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    alice = server.user(ALICE, "Alice")
    card = await imported(alice, people(5))
    card = await tap(alice, card, texts.BUTTON_KEEP)
    store = bot.bot_data["store"]
    trips: list[str] = []
    inside: list[bool] = []
    run, run_if_idle = store.run, store.run_if_idle

    async def counted(fn: Any, *args: Any, **kwargs: Any) -> Any:
        if not inside:  # run_if_idle's own fallback to run is the same trip
            trips.append(fn.__name__)
        return await run(fn, *args, **kwargs)

    async def counted_if_idle(fn: Any, *args: Any, **kwargs: Any) -> Any:
        trips.append(fn.__name__)
        inside.append(True)
        try:
            return await run_if_idle(fn, *args, **kwargs)
        finally:
            inside.pop()

    monkeypatch.setattr(store, "run", counted)
    monkeypatch.setattr(store, "run_if_idle", counted_if_idle)
    for label in (texts.BUTTON_CUT, texts.BUTTON_KEEP, texts.BUTTON_SKIP):
        card = await tap(alice, card, label)
        assert trips == ["press"], "the gate knows the person; the press is one trip"
        trips.clear()
    assert "3 of 5 reviewed" in card.text
