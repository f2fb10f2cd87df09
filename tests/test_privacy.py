"""Privacy in storage and rendering: /forget deletes every row and its bytes, /mydata's ZIP."""

from __future__ import annotations

import csv
import io
import sqlite3
import zipfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlite_utils import Database

from bot import callbacks, texts
from bot.callbacks import ConfirmForget
from bot.handlers.privacy import CONFIRM_FOR, Question, check_press
from bot.render import mydata
from bot.schedules.setup import add_starting_schedules
from storage import cutlist, decisions, privacy, schedules, users
from storage.export.records import Invitation
from storage.merge import apply_import
from storage.privacy import PERSON_TABLES, Holdings, TableRows
from storage.store import Store
from tests.records import export, person

QUILL, BRAMBLE = 1001, 2002
NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)


def fill(db: Database, user_id: int, tag: str) -> None:
    """Give a person a row in every table, every text of theirs containing `tag`."""
    users.touch_user(db, user_id, user_id, f"{tag}gram", NOW)
    people = [
        person(
            f"{tag.lower()}-{i}",
            first=f"{tag}First{i}",
            last=f"{tag}Last{i}",
            company=f"{tag} Holdings {i}",
            position=f"Chief {tag} Officer {i}",
        )
        for i in range(6)
    ]
    invitee = Invitation(
        f"https://www.linkedin.com/in/{tag.lower()}-invitee", f"{tag} Invitee", date(2026, 1, 2)
    )
    parsed = export(people, invitations=[invitee], full=True)
    apply_import(db, user_id, parsed, f"{tag}-export.zip", NOW)
    query = "SELECT id FROM connections WHERE user_id = ? ORDER BY id"
    ids = [row[0] for row in db.execute(query, [user_id])]
    decisions.decide(db, user_id, ids[0], "keep", NOW)
    decisions.decide(db, user_id, ids[0], "cut", NOW)  # a change of mind: decision_undo
    decisions.set_reason(db, user_id, ids[0], 2)
    cutlist.mark_removed(db, user_id, ids[0], NOW)
    decisions.decide(db, user_id, ids[1], "skip", NOW)
    add_starting_schedules(db, user_id, NOW)
    yearly = schedules.schedules_of(db, user_id)["yearly"]
    assert yearly.next_due is not None
    schedules.claim(db, yearly, "2027", yearly.next_due, yearly.next_due + timedelta(days=365))


@pytest.fixture
def db(fresh_store: Store) -> Database:
    """Two people with a row of their own in every table."""
    fill(fresh_store.db, QUILL, "Quillon")
    fill(fresh_store.db, BRAMBLE, "Brambleford")
    return fresh_store.db


def test_every_table_with_a_user_id_is_a_person_table(fresh_store: Store) -> None:
    tables = [
        row[0]
        for row in fresh_store.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    ]
    with_user_id = {t for t in tables if "user_id" in fresh_store.db[t].columns_dict}
    assert with_user_id == set(PERSON_TABLES)
    # The tables that hold nothing of a person: migrations, group chats told once that
    # keepcut works in private, and the bot's heartbeat.
    assert set(tables) - with_user_id == {"_sqlite_migrations", "declined_chats", "heartbeat"}


def test_the_fixture_fills_every_table(db: Database) -> None:
    for user_id in (QUILL, BRAMBLE):
        counts = privacy.holdings(db, user_id).counts
        assert all(counts[table] for table in PERSON_TABLES), counts


def test_forget_removes_every_row_of_the_person_and_none_of_anothers(db: Database) -> None:
    others_before = privacy.person_tables(db, BRAMBLE)
    before = privacy.holdings(db, QUILL)
    held = privacy.forget(db, QUILL)
    assert held == before
    assert privacy.holdings(db, QUILL).rows == 0
    assert privacy.person_tables(db, BRAMBLE) == others_before
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []


def test_forget_reports_what_was_there(db: Database) -> None:
    held = privacy.forget(db, QUILL)
    assert (held.connections, held.decisions, held.uploads) == (6, 2, 1)
    assert (held.invitations, held.schedules, held.deliveries) == (1, 2, 1)
    assert held.counts["users"] == 1 and held.counts["decision_undo"] == 1


def test_forget_of_someone_unknown_deletes_nothing(db: Database) -> None:
    assert privacy.forget(db, 999).rows == 0
    assert privacy.holdings(db, QUILL).rows == privacy.holdings(db, BRAMBLE).rows > 0


def test_forget_is_all_or_nothing(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    before = privacy.holdings(db, QUILL)
    # A table that cannot be deleted from fails the deletion part way through.
    monkeypatch.setattr(privacy, "PERSON_TABLES", (*PERSON_TABLES, "no_such_table"))
    with pytest.raises(sqlite3.OperationalError):
        privacy.forget(db, QUILL)
    monkeypatch.undo()
    assert privacy.holdings(db, QUILL) == before


def test_secure_delete_is_on(fresh_store: Store) -> None:
    assert fresh_store.db.execute("PRAGMA secure_delete").fetchone()[0] == 1


def file_bytes(path: Path) -> bytes:
    """The database file and its -wal file, as they are on disk now (lower-cased)."""
    wal = path.with_name(path.name + "-wal")
    return (path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")).lower()


def test_forget_leaves_no_bytes_in_the_database_or_the_wal(
    fresh_store: Store, db: Database
) -> None:
    # Every text of Quillon's (names, companies, positions, URLs, keys, the folded search
    # names, the file name, the Telegram name) contains "quillon" once lower-cased.
    before = file_bytes(fresh_store.path)
    assert b"quillon" in before and b"brambleford" in before
    privacy.forget(db, QUILL)
    assert privacy.clear_wal(fresh_store.path)
    after = file_bytes(fresh_store.path)
    assert b"quillon" not in after
    assert b"brambleford" in after, "the other person's rows are still there"
    wal = fresh_store.path.with_name(fresh_store.path.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0


def test_drop_bare_user_only_drops_a_row_just_made_that_holds_nothing(db: Database) -> None:
    later = NOW + timedelta(hours=1)
    users.touch_user(db, 3003, 3003, "Newcomer", later)
    assert not privacy.drop_bare_user(db, 3003, later + timedelta(seconds=1)), "made before"
    assert not privacy.drop_bare_user(db, QUILL, NOW - timedelta(seconds=1)), "has data"
    assert privacy.drop_bare_user(db, 3003, later - timedelta(seconds=1))
    assert users.get_user(db, 3003) is None and users.get_user(db, QUILL) is not None


def test_person_tables_hold_only_their_rows_with_every_column(db: Database) -> None:
    tables = {t.name: t for t in privacy.person_tables(db, QUILL)}
    assert list(tables) == list(PERSON_TABLES)
    for name, table in tables.items():
        assert table.columns == [c.name for c in db[name].columns]
        at = table.columns.index("user_id")
        assert table.rows and all(row[at] == QUILL for row in table.rows), name
    assert privacy.counts_of(list(tables.values())) == privacy.holdings(db, QUILL)


def test_has_data_ignores_the_bare_row_and_derived_counts() -> None:
    assert not Holdings({"users": 1, "progress_counts": 2}).has_data
    assert Holdings({"users": 1, "schedules": 1}).has_data


# --- the ZIP -------------------------------------------------------------------------------


def read_zip(data: bytes) -> dict[str, bytes]:
    """Every member of a ZIP by name."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_zip_has_a_readme_and_one_csv_per_table(db: Database) -> None:
    tables = privacy.person_tables(db, QUILL)
    members = read_zip(mydata.my_data_zip(tables, NOW))
    assert list(members) == ["README.txt"] + [f"{t}.csv" for t in PERSON_TABLES]
    readme = members["README.txt"].decode("utf-8")
    for table in tables:
        assert f"{table.name}.csv ({texts.plural(len(table.rows), 'row')})" in readme
    for table in tables:
        data = members[f"{table.name}.csv"]
        assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 with a BOM"
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        assert rows[0] == table.columns
        assert len(rows) == len(table.rows) + 1


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1 555", "'+1 555"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTab", "'\tTab"),
        ("Ada", "Ada"),
        (-1, "-1"),
        (None, ""),
        (42, "42"),
    ],
)
def test_cells_that_a_spreadsheet_would_run_are_neutralised(value: object, cell: str) -> None:
    table = TableRows("users", ["x"], [(value,)])
    rows = list(csv.reader(io.StringIO(mydata.table_csv(table).decode("utf-8-sig"))))
    assert rows[1] == [cell]


# --- the confirmation ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "message_id", "after", "verdict"),
    [
        (Question(7, NOW), 7, timedelta(0), "valid"),
        (Question(7, NOW), 7, CONFIRM_FOR, "valid"),
        (Question(7, NOW), 7, CONFIRM_FOR + timedelta(seconds=1), "expired"),
        (Question(7, NOW), 6, timedelta(0), "stale"),  # an older question
        (None, 7, timedelta(0), "stale"),  # never asked, or asked before a restart
    ],
)
def test_a_press_counts_only_on_the_latest_question_for_ten_minutes(
    question: Question | None, message_id: int, after: timedelta, verdict: str
) -> None:
    assert check_press(question, message_id, NOW + after) == verdict


@pytest.mark.parametrize(("data", "delete"), [("fg:y", True), ("fg:n", False)])
def test_forget_buttons_round_trip(data: str, delete: bool) -> None:
    assert callbacks.encode(ConfirmForget(delete)) == data
    assert callbacks.parse(data) == ConfirmForget(delete)


@pytest.mark.parametrize("data", ["fg:", "fg:yy", "fg:x", "fg:y:1001", "fg:Y", "fg"])
def test_forged_forget_data_is_refused(data: str) -> None:
    assert callbacks.parse(data) is None


def test_held_words_name_only_what_there_is() -> None:
    held = Holdings({"users": 1, "imports": 2, "connections": 412, "decisions": 1})
    assert texts.held_words(held) == (
        "412 connections from 2 uploads, 1 decision, and your Telegram id, first name and settings"
    )
    assert texts.held_words(Holdings({"users": 1})) == "your Telegram id, first name and settings"
