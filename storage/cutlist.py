"""The cut list: who to remove, handed out in daily batches, and what was removed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo

from sqlite_utils import Database

from storage.review import CONNECTION_COLUMNS, Connection, signals_known
from storage.users import utc_now_iso

DEFAULT_DAILY = 25


@dataclass(frozen=True, slots=True)
class Batch:
    """Today's share of the cut list."""

    people: list[Connection]
    remaining: int  # cut, not removed, and not handed out yet after this batch
    removed: int
    total_cut: int


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
        rows = db.execute(
            f"SELECT {CONNECTION_COLUMNS} FROM decisions d "
            "JOIN connections c ON c.id = d.connection_id "
            "WHERE d.user_id = ? AND d.decision = 'cut' AND d.removed_at IS NULL "
            "AND d.link_sent_at IS NOT NULL AND c.gone = 0 ORDER BY d.seq",
            [user_id],
        ).fetchall()
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


def all_cuts(db: Database, user_id: int) -> list[Connection]:
    """Every cut, removed or not (gone people included), in the order they were cut."""
    rows = db.execute(
        f"SELECT {CONNECTION_COLUMNS} FROM decisions d "
        "JOIN connections c ON c.id = d.connection_id "
        "WHERE d.user_id = ? AND d.decision = 'cut' ORDER BY d.seq",
        [user_id],
    ).fetchall()
    return [Connection.from_row(r) for r in rows]


@dataclass(frozen=True, slots=True)
class PendingInvitation:
    """An outgoing invitation that never turned into a connection."""

    name: str
    url: str
    sent_on: date | None


def pending_invitations(
    db: Database, user_id: int, min_age_days: int = 56
) -> tuple[bool, list[PendingInvitation]]:
    """Outgoing invitations older than `min_age_days` at export time, oldest first.

    The first value says whether any import carried Invitations.csv at all.
    """
    has_file = signals_known(db, user_id)
    rows = db.execute(
        """
        SELECT p.name, p.url, p.sent_on FROM pending_invitations p
        JOIN imports i ON i.id = p.import_id
        WHERE p.user_id = ? AND p.sent_on IS NOT NULL
          AND p.sent_on <= date(i.imported_at, ?)
          AND p.url NOT IN (
              SELECT url FROM connections WHERE user_id = ? AND url IS NOT NULL AND gone = 0
          )
        ORDER BY p.sent_on, p.id
        """,
        [user_id, f"-{min_age_days} days", user_id],
    ).fetchall()
    return has_file, [
        PendingInvitation(name, url, date.fromisoformat(sent) if sent else None)
        for name, url, sent in rows
    ]


def get_cut(db: Database, user_id: int, connection_id: int) -> Connection | None:
    """This person's cut of that connection, or None (not theirs, or not a cut)."""
    row = db.execute(
        f"SELECT {CONNECTION_COLUMNS} FROM decisions d "
        "JOIN connections c ON c.id = d.connection_id "
        "WHERE d.connection_id = ? AND d.user_id = ? AND d.decision = 'cut'",
        [connection_id, user_id],
    ).fetchone()
    return Connection.from_row(row) if row else None


def cuts_by_id(db: Database, user_id: int, ids: list[int]) -> list[Connection]:
    """These cut connections of this person, in the order given (others skipped)."""
    found = {c.id: c for c in (get_cut(db, user_id, i) for i in ids[:100]) if c is not None}
    return [found[i] for i in ids if i in found]
