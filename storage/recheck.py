"""The yearly re-check: keep decisions made before this year's clean, weakest ties first.

"Still keep" notes the look and leaves the decision as it was; a cut made here is an
ordinary decision (and Undo gives the keep back).
"""

from __future__ import annotations

from datetime import datetime

from sqlite_utils import Database

from storage.records import CONNECTION_COLUMNS, Connection, Outcome
from storage.users import utc_now_iso

_WAITING = """
    FROM decisions d JOIN connections c ON c.id = d.connection_id
    WHERE d.user_id = ? AND d.decision = 'keep' AND c.gone = 0 AND d.decided_at < ?
      AND (d.rechecked_at IS NULL OR d.rechecked_at < ?)
"""


def next_to_recheck(db: Database, user_id: int, since: str) -> Connection | None:
    """The next kept person to look at again, weakest ties first, then the oldest."""
    row = db.execute(
        f"SELECT {CONNECTION_COLUMNS} {_WAITING} "
        "ORDER BY c.interactions, c.connected_sort, c.id LIMIT 1",
        [user_id, since, since],
    ).fetchone()
    return Connection.from_row(row) if row else None


def waiting_count(db: Database, user_id: int, since: str) -> int:
    """How many kept people are still to be looked at again."""
    return db.execute(f"SELECT count(*) {_WAITING}", [user_id, since, since]).fetchone()[0]


def keep_still(
    db: Database, user_id: int, connection_id: int, now: datetime | None = None
) -> Outcome:
    """ "Still keep": the keep stays; the person leaves this year's re-check."""
    cursor = db.execute(
        "UPDATE decisions SET rechecked_at = ? "
        "WHERE connection_id = ? AND user_id = ? AND decision = 'keep'",
        [utc_now_iso(now), connection_id, user_id],
    )
    return Outcome.APPLIED if cursor.rowcount else Outcome.MISSING
