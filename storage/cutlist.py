"""The cut list: who to remove, handed out in daily batches, and what was removed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import Any

from sqlite_utils import Database

from storage.records import CONNECTION_COLUMNS, Connection
from storage.users import utc_now_iso

DEFAULT_DAILY = 25
MAX_IDS = 100


@dataclass(frozen=True, slots=True)
class Batch:
    """Today's share of the cut list."""

    people: list[Connection]
    remaining: int  # cut, not removed, and not handed out yet after this batch
    removed: int
    total_cut: int


@dataclass(frozen=True, slots=True)
class RemovedMark:
    """What a Removed ✓ press found, and the cut-list message's people redrawn."""

    found: bool  # the person is one of the presser's cuts
    already: bool  # they had been marked removed before this press
    people: list[Connection]


def _cuts(db: Database, user_id: int, where: str = "", params: list[Any] | None = None) -> list:
    """Rows of this person's cuts (CONNECTION_COLUMNS) matching `where`, in cut order."""
    return db.execute(
        f"SELECT {CONNECTION_COLUMNS} FROM decisions d "
        "JOIN connections c ON c.id = d.connection_id "
        f"WHERE d.user_id = ? AND d.decision = 'cut' {where} ORDER BY d.seq",
        [user_id, *(params or [])],
    ).fetchall()


def take_batch(
    db: Database,
    user_id: int,
    daily: int = DEFAULT_DAILY,
    everything: bool = False,
    now: datetime | None = None,
    zone: tzinfo = UTC,
) -> Batch:
    """Links still outstanding plus today's new ones (at most `daily` new per day).

    "Today" starts at midnight in the person's time zone `zone`.
    """
    moment = now or datetime.now(UTC)
    stamp = utc_now_iso(moment)
    midnight = moment.astimezone(zone).replace(hour=0, minute=0, second=0, microsecond=0)
    with db.atomic():
        handed_today = db.execute(
            "SELECT count(*) FROM decisions WHERE user_id = ? AND decision = 'cut' "
            "AND link_sent_at >= ?",
            [user_id, utc_now_iso(midnight)],
        ).fetchone()[0]
        quota = -1 if everything else max(0, daily - handed_today)
        db.execute(
            """
            UPDATE decisions SET link_sent_at = ?
            WHERE connection_id IN (
                SELECT d.connection_id FROM decisions d
                JOIN connections c ON c.id = d.connection_id
                WHERE d.user_id = ? AND d.decision = 'cut' AND d.removed_at IS NULL
                  AND d.link_sent_at IS NULL AND c.gone = 0
                ORDER BY d.seq LIMIT ?
            )
            """,
            [stamp, user_id, quota],
        )
        rows = _cuts(
            db, user_id, "AND d.removed_at IS NULL AND d.link_sent_at IS NOT NULL AND c.gone = 0"
        )
        remaining, removed, total = db.execute(
            "SELECT count(*) FILTER (WHERE d.removed_at IS NULL AND d.link_sent_at IS NULL "
            "AND c.gone = 0), count(*) FILTER (WHERE d.removed_at IS NOT NULL), count(*) "
            "FROM decisions d JOIN connections c ON c.id = d.connection_id "
            "WHERE d.user_id = ? AND d.decision = 'cut'",
            [user_id],
        ).fetchone()
    return Batch([Connection.from_row(r) for r in rows], remaining, removed, total)


def mark_removed(
    db: Database, user_id: int, connection_id: int, now: datetime | None = None
) -> bool:
    """Record that a cut person was removed on LinkedIn; False if not this person's cut."""
    cursor = db.execute(
        "UPDATE decisions SET removed_at = coalesce(removed_at, ?) "
        "WHERE connection_id = ? AND user_id = ? AND decision = 'cut'",
        [utc_now_iso(now), connection_id, user_id],
    )
    return cursor.rowcount == 1


def press_removed(
    db: Database,
    user_id: int,
    connection_id: int,
    shown_ids: list[int],
    now: datetime | None = None,
) -> RemovedMark:
    """Removed ✓, whole: mark the cut removed and reload the people its message shows."""
    with db.atomic():
        before = get_cut(db, user_id, connection_id)
        if before is None:
            return RemovedMark(found=False, already=False, people=[])
        mark_removed(db, user_id, connection_id, now)
        people = cuts_by_id(db, user_id, shown_ids)
    return RemovedMark(found=True, already=before.removed_at is not None, people=people)


def all_cuts(db: Database, user_id: int) -> list[Connection]:
    """Every cut, removed or not (gone people included), in the order they were cut."""
    return [Connection.from_row(r) for r in _cuts(db, user_id)]


def get_cut(db: Database, user_id: int, connection_id: int) -> Connection | None:
    """This person's cut of that connection, or None (not theirs, or not a cut)."""
    rows = _cuts(db, user_id, "AND d.connection_id = ?", [connection_id])
    return Connection.from_row(rows[0]) if rows else None


def cuts_by_id(db: Database, user_id: int, ids: list[int]) -> list[Connection]:
    """These cut connections of this person, in the order given (others skipped)."""
    wanted = ids[:MAX_IDS]
    marks = ", ".join("?" * len(wanted))
    rows = _cuts(db, user_id, f"AND d.connection_id IN ({marks})", wanted) if wanted else []
    found = {c.id: c for c in map(Connection.from_row, rows)}
    return [found[i] for i in ids if i in found]
