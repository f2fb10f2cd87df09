"""Everything held about one person: counted, handed over (/mydata), deleted (/forget)."""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from storage.users import utc_now_iso

log = logging.getLogger(__name__)

# Every table that holds a person's rows (each has user_id REFERENCES users ON DELETE
# CASCADE), in the order /mydata lists them. declined_chats holds group chat ids only.
PERSON_TABLES: tuple[str, ...] = (
    "users",
    "imports",
    "connections",
    "decisions",
    "decision_undo",
    "pending_invitations",
    "progress_counts",
    "schedules",
    "deliveries",
)

# How each table's rows are listed in /mydata: the order they were made in.
_ORDER: dict[str, str] = {
    "users": "user_id",
    "imports": "id",
    "connections": "id",
    "decisions": "seq",
    "decision_undo": "seq",
    "pending_invitations": "id",
    "progress_counts": "bucket",
    "schedules": "kind",
    "deliveries": "id",
}

# Rows that exist for anyone who has written once (users) or are only derived from
# other rows (progress_counts): someone with nothing else has no data of their own yet.
_BOOKKEEPING = ("users", "progress_counts")


@dataclass(frozen=True, slots=True)
class Holdings:
    """How many rows of one person each table holds."""

    counts: Mapping[str, int]

    @property
    def connections(self) -> int:
        """Connections from their exports (gone ones included)."""
        return self.counts.get("connections", 0)

    @property
    def decisions(self) -> int:
        """Keep / cut / skip answers (each connection's latest)."""
        return self.counts.get("decisions", 0)

    @property
    def uploads(self) -> int:
        """Exports they sent."""
        return self.counts.get("imports", 0)

    @property
    def invitations(self) -> int:
        """Outgoing invitations still pending, from the latest full export."""
        return self.counts.get("pending_invitations", 0)

    @property
    def schedules(self) -> int:
        """Reminder, summary and daily-card schedules."""
        return self.counts.get("schedules", 0)

    @property
    def deliveries(self) -> int:
        """Records of scheduled messages sent (or passed over)."""
        return self.counts.get("deliveries", 0)

    @property
    def rows(self) -> int:
        """Rows in all, the users row included."""
        return sum(self.counts.values())

    @property
    def has_data(self) -> bool:
        """True when anything is held beyond the bare row every writer gets."""
        return any(n for table, n in self.counts.items() if table not in _BOOKKEEPING)


@dataclass(frozen=True, slots=True)
class TableRows:
    """One table's rows of one person, with its column names."""

    name: str
    columns: list[str]
    rows: list[tuple[Any, ...]]


def holdings(db: Database, user_id: int) -> Holdings:
    """Count this person's rows in every table."""
    return Holdings(
        {
            table: db.execute(
                f"SELECT count(*) FROM {table} WHERE user_id = ?", [user_id]
            ).fetchone()[0]
            for table in PERSON_TABLES
        }
    )


def person_tables(db: Database, user_id: int) -> list[TableRows]:
    """Every row held about this person, table by table, every column."""
    tables = []
    for table in PERSON_TABLES:
        columns = [column.name for column in db[table].columns]
        names = ", ".join(f'"{name}"' for name in columns)
        rows = db.execute(
            f"SELECT {names} FROM {table} WHERE user_id = ? ORDER BY {_ORDER[table]}",
            [user_id],
        ).fetchall()
        tables.append(TableRows(table, columns, rows))
    return tables


def counts_of(tables: list[TableRows]) -> Holdings:
    """The row counts of tables read by `person_tables`."""
    return Holdings({table.name: len(table.rows) for table in tables})


def forget(db: Database, user_id: int) -> Holdings:
    """Delete every row held about this person, all or nothing; returns what there was."""
    with db.atomic():
        held = holdings(db, user_id)
        # The schema's ON DELETE CASCADE takes every other table with the users row;
        # the row goes first so the progress triggers (which check it) add nothing back.
        db.execute("DELETE FROM users WHERE user_id = ?", [user_id])
        # And by name, children first: nothing of theirs may survive a cascade that a
        # future table forgot, or a connection opened without foreign keys.
        for table in reversed(PERSON_TABLES):
            db.execute(f"DELETE FROM {table} WHERE user_id = ?", [user_id])
    return held


def drop_bare_user(db: Database, user_id: int, created_since: datetime) -> bool:
    """Delete the person's row again if it was made since `created_since` and holds nothing.

    The gate makes a row for every update; a press on an old /forget button (a double
    tap on Delete) must not bring back someone who has just left.
    """
    others = " AND ".join(
        f"NOT EXISTS (SELECT 1 FROM {table} WHERE user_id = users.user_id)"
        for table in PERSON_TABLES
        if table != "users"
    )
    cursor = db.execute(
        f"DELETE FROM users WHERE user_id = ? AND created_at >= ? AND {others}",
        [user_id, utc_now_iso(created_since)],
    )
    return cursor.rowcount == 1


def clear_wal(path: Path, attempts: int = 50, pause: float = 0.1) -> bool:
    """Copy the WAL into the database file and empty it; False if it stayed busy.

    Deleted rows' old pages stay in the -wal file until it is reset, so after /forget
    it is emptied at once (TRUNCATE). This runs on a connection of its own, off the
    database thread: waiting for a reader (the checkpoint thread, a backup) must not
    hold up everyone's button presses. A busy checkpoint answers at once, so it is
    tried again a few times.
    """
    if str(path) == ":memory:":
        return True
    try:
        conn = sqlite3.connect(str(path), timeout=pause)
    except sqlite3.Error as exc:
        log.warning("could not open the database to empty the WAL: %s", exc)
        return False
    try:
        for _ in range(attempts):
            try:
                busy, _, _ = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            except sqlite3.OperationalError:  # "database is locked": busy as well
                busy = 1
            if not busy:
                return True
            time.sleep(pause)
    finally:
        conn.close()
    # The rows are gone either way; their old pages leave the WAL as it is reused.
    log.warning("the WAL stayed busy; it was not emptied after a deletion")
    return False
