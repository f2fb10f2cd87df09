"""The store: a private file, WAL, migrations recorded once, the schema's promises."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

import pytest
from sqlite_utils import Database

from storage import users
from storage.schema import migrations
from storage.store import Store


def test_database_file_is_private_and_in_wal_mode(fresh_store: Store) -> None:
    mode = stat.S_IMODE(fresh_store.path.stat().st_mode)
    assert mode == 0o600
    assert fresh_store.journal_mode() == "wal"
    # FULL: each commit is fsynced before the bot answers the press.
    assert fresh_store.db.execute("PRAGMA synchronous").fetchone()[0] == 2


def test_the_wal_and_shm_companions_are_private_too(tmp_path: Path) -> None:
    store = Store(tmp_path / "k.db")
    users.touch_user(store.db, 1, 1, "Ada")  # a write, so both companions exist
    for suffix in ("-wal", "-shm"):
        companion = tmp_path / f"k.db{suffix}"
        assert companion.exists(), suffix
        assert stat.S_IMODE(companion.stat().st_mode) == 0o600, suffix
    store.close()


def test_schema_version_is_recorded(fresh_store: Store) -> None:
    assert fresh_store.applied_migrations == [m.name for m in migrations._migrations]
    assert fresh_store.applied_migrations, "at least one migration"


def test_second_start_runs_no_migration_twice(tmp_path: Path) -> None:
    path = tmp_path / "k.db"
    Store(path).close()
    store = Store(path)
    rows = list(store.db.query("SELECT name FROM _sqlite_migrations"))
    assert len(rows) == len({r["name"] for r in rows}) == len(migrations._migrations)
    store.close()


def test_existing_loose_file_is_tightened(tmp_path: Path) -> None:
    path = tmp_path / "k.db"
    path.touch(mode=0o644)
    path.chmod(0o644)
    Store(path).close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


@pytest.mark.parametrize(
    "table",
    [
        "users",
        "imports",
        "connections",
        "decisions",
        "pending_invitations",
        "schedules",
        "deliveries",
    ],
)
def test_tables_exist(fresh_store: Store, table: str) -> None:
    assert fresh_store.db[table].exists()


def test_touch_user_creates_then_updates(fresh_store: Store) -> None:
    first = users.touch_user(fresh_store.db, 7, 7, "Ada")
    assert (first.target, first.timezone, first.blocked) == (500, "UTC", False)
    users.set_blocked(fresh_store.db, 7, True)
    again = users.touch_user(fresh_store.db, 7, 7, "Ada L.")
    assert again.first_name == "Ada L."
    assert not again.blocked, "writing to the bot again means they unblocked it"
    assert users.get_user(fresh_store.db, 8) is None


def test_target_is_validated_by_code_and_schema(fresh_store: Store) -> None:
    users.touch_user(fresh_store.db, 7, 7, "Ada")
    with pytest.raises(ValueError):
        users.set_target(fresh_store.db, 7, 0)
    with pytest.raises(sqlite3.IntegrityError):
        fresh_store.db.execute("UPDATE users SET target = 40000 WHERE user_id = 7")
    users.set_target(fresh_store.db, 7, 300)
    assert users.get_user(fresh_store.db, 7).target == 300  # type: ignore[union-attr]


def test_deleting_a_user_removes_all_their_rows(fresh_store: Store) -> None:
    db = fresh_store.db
    users.touch_user(db, 7, 7, "Ada")
    db.execute("INSERT INTO imports (user_id, imported_at) VALUES (7, 'now')")
    db.execute("INSERT INTO connections (user_id, key) VALUES (7, 'u:/in/x')")
    conn_id = db.execute("SELECT id FROM connections").fetchone()[0]
    db.execute(
        "INSERT INTO decisions (connection_id, user_id, decision, decided_at, seq) "
        "VALUES (?, 7, 'cut', 'now', 1)",
        [conn_id],
    )
    db.execute("DELETE FROM users WHERE user_id = 7")
    for table in ("imports", "connections", "decisions"):
        assert db[table].count == 0, table


def test_decision_state_is_mirrored_on_the_connection(fresh_store: Store) -> None:
    db = fresh_store.db
    users.touch_user(db, 7, 7, "Ada")
    db.execute("INSERT INTO connections (user_id, key) VALUES (7, 'u:/in/x')")
    cid = db.execute("SELECT id FROM connections").fetchone()[0]

    def state() -> str | None:
        return db.execute("SELECT state FROM connections WHERE id = ?", [cid]).fetchone()[0]

    db.execute(
        "INSERT INTO decisions (connection_id, user_id, decision, decided_at, seq) "
        "VALUES (?, 7, 'keep', 'now', 1)",
        [cid],
    )
    assert state() == "keep"
    db.execute("UPDATE decisions SET decision = 'cut' WHERE connection_id = ?", [cid])
    assert state() == "cut"
    db.execute("DELETE FROM decisions WHERE connection_id = ?", [cid])
    assert state() is None


def test_group_notice_is_claimed_once(fresh_store: Store) -> None:
    assert users.claim_group_notice(fresh_store.db, -100)
    assert not users.claim_group_notice(fresh_store.db, -100)


async def test_run_uses_the_database_thread(fresh_store: Store) -> None:
    user = await fresh_store.run(users.touch_user, 9, 9, "Bo")
    assert user.user_id == 9
    assert (await fresh_store.run(users.get_user, 9)) == user


def test_a_database_from_before_last_import_id_was_dropped_keeps_everything(
    tmp_path: Path,
) -> None:
    path = tmp_path / "k.db"
    db = Database(path)
    migrations.apply(db, stop_before="drop_last_import_id")
    users.touch_user(db, 7, 7, "Ada")
    db.execute("INSERT INTO imports (id, user_id, imported_at) VALUES (1, 7, '2026-01-01')")
    db.execute(
        "INSERT INTO connections (id, user_id, key, first_name, first_import_id, "
        "last_import_id) VALUES (1, 7, 'url:a', 'Ann', 1, 1), (2, 7, 'url:b', 'Ben', 1, 1)"
    )
    db.execute(
        "INSERT INTO decisions (connection_id, user_id, decision, decided_at, seq) "
        "VALUES (1, 7, 'cut', '2026-01-02', 1)"
    )
    db.conn.commit()
    db.close()
    store = Store(path)
    rows = store.db.execute(
        "SELECT id, first_name, first_import_id, state FROM connections ORDER BY id"
    ).fetchall()
    assert rows == [(1, "Ann", 1, "cut"), (2, "Ben", 1, None)]
    assert "last_import_id" not in {c.name for c in store.db["connections"].columns}
    # The decisions still point at their rows, and the state mirror still follows them.
    store.db.execute(
        "INSERT INTO decisions (connection_id, user_id, decision, decided_at, seq) "
        "VALUES (2, 7, 'keep', '2026-01-03', 2)"
    )
    assert store.db.execute("SELECT state FROM connections WHERE id = 2").fetchone() == ("keep",)
    assert store.db.execute("PRAGMA foreign_key_check").fetchall() == []
    store.close()
