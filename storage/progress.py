"""A person's counts toward their target, and how fast they have been deciding."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlite_utils import Database

from storage.records import Progress
from storage.users import DEFAULT_TARGET, utc_now_iso


def progress(db: Database, user_id: int, target: int | None = None) -> Progress:
    """Counts of kept, cut, skipped and undecided people, and the target (read if not given)."""
    # Kept up to date by triggers (storage/schema.py): one small read per press.
    counts = dict(
        db.execute("SELECT bucket, n FROM progress_counts WHERE user_id = ?", [user_id]).fetchall()
    )
    if target is None:
        row = db.execute("SELECT target FROM users WHERE user_id = ?", [user_id]).fetchone()
        target = row[0] if row else DEFAULT_TARGET
    kept, cut = counts.get("keep", 0), counts.get("cut", 0)
    skipped, undecided = counts.get("skip", 0), counts.get("undecided", 0)
    return Progress(
        total=kept + cut + skipped + undecided,
        kept=kept,
        cut=cut,
        skipped=skipped,
        undecided=undecided,
        removed=counts.get("removed", 0),
        target=target,
    )


def recent_pace(db: Database, user_id: int, now: datetime, days: int = 14) -> float:
    """Keep/cut decisions per day over the last `days` days (0.0 when idle)."""
    since = utc_now_iso(now - timedelta(days=days))
    count = db.execute(
        "SELECT count(*) FROM decisions WHERE user_id = ? AND decision != 'skip' "
        "AND decided_at >= ?",
        [user_id, since],
    ).fetchone()[0]
    return count / days


def answer_hours(db: Database, user_id: int, since: datetime) -> list[datetime]:
    """The UTC hours since `since` in which the person answered at least one card."""
    rows = db.execute(
        "SELECT DISTINCT substr(decided_at, 1, 13) FROM decisions "
        "WHERE user_id = ? AND decided_at >= ? AND decision != 'skip' "
        "UNION SELECT DISTINCT substr(rechecked_at, 1, 13) FROM decisions "
        "WHERE user_id = ? AND rechecked_at >= ?",
        [user_id, utc_now_iso(since), user_id, utc_now_iso(since)],
    ).fetchall()
    return [datetime.fromisoformat(hour + ":00:00+00:00") for (hour,) in rows]


def answered_since(db: Database, user_id: int, since: datetime) -> bool:
    """Whether the person answered any card (or re-check) since `since` (same second too)."""
    stamp = utc_now_iso(since)
    row = db.execute(
        "SELECT 1 FROM decisions WHERE user_id = ? AND (decided_at >= ? OR rechecked_at >= ?) "
        "LIMIT 1",
        [user_id, stamp, stamp],
    ).fetchone()
    return row is not None


def last_import(db: Database, user_id: int) -> tuple[datetime, int] | None:
    """When the person's latest export arrived and how many connections it had."""
    row = db.execute(
        "SELECT imported_at, rows_read FROM imports WHERE user_id = ? ORDER BY id DESC LIMIT 1",
        [user_id],
    ).fetchone()
    return None if row is None else (datetime.fromisoformat(row[0]), row[1])
