"""The heartbeat: the running bot notes the time every minute; `keepcut health` reads it."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    # Only for the annotation: the health check itself needs no sqlite-utils.
    from sqlite_utils import Database

# The bot writes every 60 s; three minutes allows two missed beats (a long import, a
# slow disk) before a monitor is told the bot is stuck.
STALE_AFTER = timedelta(minutes=3)


@dataclass(frozen=True, slots=True)
class Health:
    """The health check's verdict and the one line that says why."""

    healthy: bool
    line: str


def beat(db: Database, now: datetime) -> None:
    """Note that the bot is alive at `now`."""
    db.execute(
        "INSERT INTO heartbeat (id, at) VALUES (1, ?) "
        "ON CONFLICT (id) DO UPDATE SET at = excluded.at",
        [now.astimezone(UTC).isoformat(timespec="seconds")],
    )


def last_beat(db_path: Path) -> datetime | None:
    """When the running bot last noted it was alive (None: never); reads the file read-only."""
    # mode=ro: the health check runs every minute beside the bot and must never write.
    uri = f"{db_path.absolute().as_uri()}?mode=ro"
    with closing(sqlite3.connect(uri, uri=True, timeout=5)) as conn:
        try:
            row = conn.execute("SELECT at FROM heartbeat WHERE id = 1").fetchone()
        except sqlite3.OperationalError as exc:
            if "no such table" in str(exc):
                return None  # a database from before the heartbeat, not yet migrated
            raise
    if row is None:
        return None
    at = datetime.fromisoformat(row[0])
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def _ago(delta: timedelta) -> str:
    """A short, readable length of time: 12 s, 3 min, 4 min 5 s, 26 h 3 min."""
    seconds = max(0, int(delta.total_seconds()))
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min" + (f" {seconds % 60} s" if seconds % 60 else "")
    return f"{seconds // 3600} h {seconds % 3600 // 60} min"


def check(db_path: Path, now: datetime) -> Health:
    """Healthy when the bot noted it was alive within STALE_AFTER of `now` (the real time)."""
    if not db_path.is_file():
        return Health(False, f"unhealthy: there is no database at {db_path} (KEEPCUT_DB)")
    try:
        at = last_beat(db_path)
    except sqlite3.Error as exc:
        return Health(False, f"unhealthy: cannot read the database {db_path}: {exc}")
    except ValueError:
        return Health(False, f"unhealthy: the heartbeat in {db_path} is not a time")
    if at is None:
        return Health(False, f"unhealthy: no heartbeat yet in {db_path}")
    age, stamp = now - at, at.isoformat(timespec="seconds")
    if age > STALE_AFTER:
        return Health(
            False, f"unhealthy: last heartbeat {_ago(age)} ago ({stamp}), over {_ago(STALE_AFTER)}"
        )
    # A little in the future is two clocks' disagreement; far ahead, the clock was set
    # back after the bot wrote it (its next beat writes the new time over it).
    if -age > STALE_AFTER:
        return Health(False, f"unhealthy: the last heartbeat ({stamp}) is in the future")
    return Health(True, f"healthy: last heartbeat {_ago(age)} ago")
