"""The review walk in storage: queue order, decisions, undo, reasons, isolation."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlite_utils import Database

from storage import cards, cutlist, decisions, progress, queue, search, users
from storage.export.records import Signals
from storage.merge import apply_import
from storage.records import Outcome
from storage.store import Store
from tests.records import export, person

ALICE, BOB = 1001, 2002


@pytest.fixture
def db(fresh_store: Store) -> Database:
    """A store with Alice (five people) and Bob (two people)."""
    db = fresh_store.db
    users.touch_user(db, ALICE, ALICE, "Alice")
    users.touch_user(db, BOB, BOB, "Bob")
    apply_import(
        db,
        ALICE,
        export(
            [
                person("ann", connected_on=date(2015, 5, 1)),
                person("ben", connected_on=date(2010, 1, 1)),
                person("cy", connected_on=date(2022, 3, 3)),
                person("dee", connected_on=None),
                person("eve", connected_on=date(2012, 1, 1)),
            ],
            signals={
                "u:/in/ben": Signals(messages_sent=3),
                "u:/in/eve": Signals(endorsements_received=1),
            },
            full=True,
        ),
    )
    apply_import(db, BOB, export([person("zed"), person("yan")]))
    return db


def walk(db: Database, user_id: int, order: str = "weakest") -> list[str]:
    """The first names in queue order, deciding keep on each."""
    names = []
    while (c := queue.next_connection(db, user_id, order)) is not None:
        names.append(c.first_name)
        decisions.decide(db, user_id, c.id, "keep")
    return names


def test_weakest_ties_come_first_then_oldest(db: Database) -> None:
    # No interactions first (oldest of those first, an unknown date as the oldest),
    # then the fewest interactions.
    assert walk(db, ALICE) == ["Dee", "Ann", "Cy", "Eve", "Ben"]


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        ("oldest", ["Dee", "Ben", "Eve", "Ann", "Cy"]),
        ("newest", ["Cy", "Ann", "Eve", "Ben", "Dee"]),
    ],
)
def test_orders_by_connection_date(db: Database, order: str, expected: list[str]) -> None:
    assert walk(db, ALICE, order) == expected


def test_skip_comes_back_at_the_end(db: Database) -> None:
    first = queue.next_connection(db, ALICE)
    assert first is not None
    decisions.decide(db, ALICE, first.id, "skip")
    assert walk(db, ALICE) == ["Ann", "Cy", "Eve", "Ben", "Dee"]


def test_repeated_decision_counts_once(db: Database) -> None:
    c = queue.next_connection(db, ALICE)
    assert c is not None
    assert decisions.decide(db, ALICE, c.id, "cut") is Outcome.APPLIED
    seq = decisions.last_decision(db, ALICE).seq  # type: ignore[union-attr]
    assert decisions.decide(db, ALICE, c.id, "cut") is Outcome.UNCHANGED
    assert decisions.last_decision(db, ALICE).seq == seq  # type: ignore[union-attr]
    p = progress.progress(db, ALICE)
    assert (p.total, p.cut, p.kept, p.undecided) == (5, 1, 0, 4)


def test_undo_names_one_decision_and_repeats_do_nothing(db: Database) -> None:
    a = queue.next_connection(db, ALICE)
    decisions.decide(db, ALICE, a.id, "keep")  # type: ignore[union-attr]
    b = queue.next_connection(db, ALICE)
    decisions.decide(db, ALICE, b.id, "cut")  # type: ignore[union-attr]
    last = decisions.last_decision(db, ALICE)
    assert last is not None and last.connection_id == b.id  # type: ignore[union-attr]
    assert decisions.undo(db, ALICE, last.connection_id, last.seq) is Outcome.APPLIED
    assert decisions.undo(db, ALICE, last.connection_id, last.seq) is Outcome.UNCHANGED
    assert progress.progress(db, ALICE).kept == 1, "the earlier keep is untouched"
    decisions.decide(db, ALICE, b.id, "keep")  # type: ignore[union-attr]
    assert decisions.undo(db, ALICE, last.connection_id, last.seq) is Outcome.UNCHANGED


def test_undo_last_steps_back_as_far_as_wanted(db: Database) -> None:
    walk(db, ALICE)
    undone = [decisions.undo_last(db, ALICE).first_name for _ in range(5)]  # type: ignore[union-attr]
    assert undone == ["Ben", "Eve", "Cy", "Ann", "Dee"]
    assert decisions.undo_last(db, ALICE) is None
    assert progress.progress(db, ALICE).undecided == 5


def test_nobody_reaches_another_persons_connections(db: Database) -> None:
    bobs = queue.next_connection(db, BOB)
    assert bobs is not None
    assert decisions.decide(db, ALICE, bobs.id, "cut") is Outcome.MISSING
    assert queue.get_connection(db, ALICE, bobs.id) is None
    assert decisions.set_reason(db, ALICE, bobs.id, 1) is Outcome.MISSING
    assert cutlist.mark_removed(db, ALICE, bobs.id) is False
    assert search.find(db, ALICE, "zed") == []
    assert progress.progress(db, BOB).undecided == 2
    decisions.decide(db, BOB, bobs.id, "keep")
    last = decisions.last_decision(db, BOB)
    assert decisions.undo(db, ALICE, last.connection_id, last.seq) is Outcome.UNCHANGED  # type: ignore[union-attr]
    assert progress.progress(db, BOB).kept == 1


def test_reason_only_on_own_cut(db: Database) -> None:
    c = queue.next_connection(db, ALICE)
    decisions.decide(db, ALICE, c.id, "keep")  # type: ignore[union-attr]
    assert decisions.set_reason(db, ALICE, c.id, 2) is Outcome.MISSING  # type: ignore[union-attr]
    decisions.decide(db, ALICE, c.id, "cut")  # type: ignore[union-attr]
    assert decisions.set_reason(db, ALICE, c.id, 2) is Outcome.APPLIED  # type: ignore[union-attr]
    assert decisions.set_reason(db, ALICE, c.id, 2) is Outcome.UNCHANGED  # type: ignore[union-attr]
    assert queue.get_connection(db, ALICE, c.id).reason == 2  # type: ignore[union-attr]
    assert decisions.set_reason(db, ALICE, c.id, 9) is Outcome.MISSING  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("query", "found"), [("ann", ["Ann"]), ("EXAMPLE", 5), ("%", []), ("_", []), ("  ", [])]
)
def test_find_by_name(db: Database, query: str, found: list[str] | int) -> None:
    names = [c.first_name for c in search.find(db, ALICE, query)]
    assert (len(names) if isinstance(found, int) else names) == found


def test_find_ignores_accents_and_case(fresh_store: Store) -> None:
    db = fresh_store.db
    users.touch_user(db, ALICE, ALICE, "Alice")
    apply_import(db, ALICE, export([person("zoe", first="Zoë", last="Ångström")]))
    assert [c.first_name for c in search.find(db, ALICE, "zoe angstrom")] == ["Zoë"]


def test_recent_pace_counts_keep_and_cut(db: Database) -> None:
    now = datetime(2026, 11, 29, tzinfo=UTC)
    for c in search.find(db, ALICE, "example")[:4]:
        decisions.decide(db, ALICE, c.id, "keep", now=now)
    assert progress.recent_pace(db, ALICE, now, days=14) == pytest.approx(4 / 14)


def _counted_the_slow_way(db: Database, user_id: int) -> tuple[int, ...]:
    """Progress recomputed from the rows, to check the trigger-kept counters."""
    rows = dict(
        db.execute(
            "SELECT ifnull(state, 'undecided'), count(*) FROM connections "
            "WHERE user_id = ? AND gone = 0 GROUP BY 1",
            [user_id],
        ).fetchall()
    )
    removed = db.execute(
        "SELECT count(*) FROM decisions WHERE user_id = ? AND removed_at IS NOT NULL", [user_id]
    ).fetchone()[0]
    return (sum(rows.values()), rows.get("keep", 0), rows.get("cut", 0), rows.get("skip", 0),
            rows.get("undecided", 0), removed)  # fmt: skip


def test_progress_counters_match_the_rows_through_everything(db: Database) -> None:
    def check() -> None:
        p = progress.progress(db, ALICE)
        assert (p.total, p.kept, p.cut, p.skipped, p.undecided, p.removed) == (
            _counted_the_slow_way(db, ALICE)
        )

    check()
    people = search.find(db, ALICE, "example")
    for c, decision in zip(people, ["cut", "cut", "keep", "skip", "cut"], strict=True):
        decisions.decide(db, ALICE, c.id, decision)
        check()
    cutlist.mark_removed(db, ALICE, people[0].id)
    check()
    decisions.decide(db, ALICE, people[0].id, "keep")  # a removed cut changed to keep
    check()
    decisions.undo_last(db, ALICE)
    check()
    cutlist.mark_removed(db, ALICE, people[1].id)
    apply_import(db, ALICE, export([person("ann"), person("dee"), person("zoe")]))
    check()
    apply_import(db, ALICE, export([person("ann"), person("ben"), person("eve")]))
    check()
    db.execute("DELETE FROM users WHERE user_id = ?", [ALICE])
    assert (
        db.execute("SELECT count(*) FROM progress_counts WHERE user_id = ?", [ALICE]).fetchone()[0]
        == 0
    )
    assert progress.progress(db, BOB).undecided == 2


def test_a_press_applies_its_command_and_loads_the_next_card(db: Database) -> None:
    first = queue.next_connection(db, ALICE)
    assert first is not None
    outcome, view = cards.press(db, ALICE, cards.Decide(first.id, "cut"))
    assert outcome is Outcome.APPLIED
    assert view.connection is not None and view.connection.id != first.id
    assert view.last is not None and view.last.connection_id == first.id
    assert cards.press(db, ALICE, cards.Reason(first.id, 3))[0] is Outcome.APPLIED
    outcome, view = cards.press(db, ALICE, cards.Undo(first.id, view.last.seq))
    assert outcome is Outcome.APPLIED
    assert view.connection is not None and view.connection.id == first.id, "undone: shown again"
    outcome, view = cards.press(db, ALICE, cards.View(first.id))
    assert (outcome, view.connection and view.connection.id) == (Outcome.APPLIED, first.id)


def test_a_press_on_someone_elses_connection_changes_nothing(db: Database) -> None:
    bobs = queue.next_connection(db, BOB)
    assert bobs is not None
    for command in (
        cards.Decide(bobs.id, "keep"),
        cards.Reason(bobs.id, 1),
        cards.View(bobs.id),
    ):
        outcome, view = cards.press(db, ALICE, command)
        assert outcome is Outcome.MISSING
        assert view.connection is None or view.connection.id != bobs.id
    assert cards.press(db, ALICE, cards.Undo(bobs.id, 1))[0] is Outcome.UNCHANGED
    assert progress.progress(db, BOB).undecided == 2


def test_undo_of_a_change_of_mind_gives_the_earlier_decision_back(db: Database) -> None:
    c = queue.next_connection(db, ALICE)
    assert c is not None
    decisions.decide(db, ALICE, c.id, "keep")
    kept = decisions.last_decision(db, ALICE)
    assert kept is not None
    decisions.decide(db, ALICE, c.id, "cut")
    decisions.set_reason(db, ALICE, c.id, 2)
    cut = decisions.last_decision(db, ALICE)
    assert cut is not None and cut.seq > kept.seq
    assert decisions.undo(db, ALICE, c.id, kept.seq) is Outcome.UNCHANGED, "a stale Undo"
    assert decisions.undo(db, ALICE, c.id, cut.seq) is Outcome.APPLIED
    back = queue.get_connection(db, ALICE, c.id)
    assert back is not None and (back.state, back.seq, back.reason) == ("keep", kept.seq, None)
    assert progress.progress(db, ALICE).kept == 1 and progress.progress(db, ALICE).cut == 0
    assert decisions.undo(db, ALICE, c.id, cut.seq) is Outcome.UNCHANGED, "repeated: nothing"
    assert decisions.undo(db, ALICE, c.id, kept.seq) is Outcome.APPLIED
    assert queue.get_connection(db, ALICE, c.id).state is None  # type: ignore[union-attr]
