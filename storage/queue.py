"""The card queue: which person comes next, in the order the person chose."""

from __future__ import annotations

from sqlite_utils import Database

from storage.records import CONNECTION_COLUMNS, ORDERS, Connection, Order

# Each ORDER BY matches one partial index in storage/schema.py exactly, so the next
# card is found in one index step however many people are already decided.
_QUEUE_ORDER: dict[Order, str] = {
    "weakest": "interactions, connected_sort, id",
    "oldest": "connected_sort, id",
    "newest": "connected_sort DESC, id DESC",
}


def get_connection(db: Database, user_id: int, connection_id: int) -> Connection | None:
    """This person's connection with that id (never anyone else's), or None."""
    row = db.execute(
        f"SELECT {CONNECTION_COLUMNS} FROM connections c "
        "LEFT JOIN decisions d ON d.connection_id = c.id WHERE c.id = ? AND c.user_id = ?",
        [connection_id, user_id],
    ).fetchone()
    return Connection.from_row(row) if row else None


def next_connection(db: Database, user_id: int, order: Order = "weakest") -> Connection | None:
    """The next card: the first undecided person in this order, then skipped ones."""
    row = db.execute(
        f"SELECT {CONNECTION_COLUMNS} FROM connections c "
        "LEFT JOIN decisions d ON d.connection_id = c.id "
        "WHERE c.user_id = ? AND c.state IS NULL AND c.gone = 0 "
        f"ORDER BY {_QUEUE_ORDER[order]} LIMIT 1",
        [user_id],
    ).fetchone()
    if row is None:
        # Skipped people come back at the end of the queue, earliest skip first.
        row = db.execute(
            f"SELECT {CONNECTION_COLUMNS} FROM decisions d "
            "JOIN connections c ON c.id = d.connection_id "
            "WHERE d.user_id = ? AND d.decision = 'skip' AND c.gone = 0 "
            "ORDER BY d.seq LIMIT 1",
            [user_id],
        ).fetchone()
    return Connection.from_row(row) if row else None


def signals_known(db: Database, user_id: int) -> bool:
    """Whether any of this person's imports carried messages or endorsements files."""
    row = db.execute(
        "SELECT 1 FROM imports WHERE user_id = ? AND has_signals = 1 LIMIT 1", [user_id]
    ).fetchone()
    return row is not None


def set_order(db: Database, user_id: int, order: Order) -> None:
    """Remember the order the person wants cards in."""
    if order not in ORDERS:
        raise ValueError(f"unknown order {order!r}")
    db.execute("UPDATE users SET review_order = ? WHERE user_id = ?", [order, user_id])
