"""Each person's schedules and the claim on every occurrence, so none is sent twice.

The schedule's truth lives here: a row per person and kind ('yearly', 'summary',
'nudge') with its settings (JSON) and the next due moment (UTC seconds). A sweep
claims an occurrence by inserting its delivery row under a unique period key in the
same transaction that moves the schedule on; only a successful claim may be sent.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from sqlite_utils import Database

from storage.users import utc_now_iso

Kind = Literal["yearly", "summary", "nudge"]
KINDS: tuple[Kind, ...] = ("yearly", "summary", "nudge")


@dataclass(frozen=True, slots=True)
class Schedule:
    """One person's schedule of one kind."""

    user_id: int
    kind: Kind
    spec: dict[str, Any]
    next_due: datetime | None
    active: bool


@dataclass(frozen=True, slots=True)
class Delivery:
    """The latest occurrence of a kind that went out (or was passed over)."""

    period: str
    status: str
    fingerprint: str | None
    claimed_at: datetime


def _seconds(moment: datetime) -> int:
    """A UTC instant as whole seconds since the epoch (due times fall on minutes)."""
    return int(moment.timestamp())


def _moment(seconds: int | None) -> datetime | None:
    """Seconds since the epoch as a UTC datetime."""
    return None if seconds is None else datetime.fromtimestamp(seconds, UTC)


def _schedule(row: tuple) -> Schedule:
    """A schedules row (user_id, kind, spec, next_due_utc, active) as a Schedule."""
    user_id, kind, spec, next_due, active = row
    return Schedule(user_id, kind, json.loads(spec), _moment(next_due), bool(active))


def schedules_of(db: Database, user_id: int) -> dict[Kind, Schedule]:
    """This person's schedules by kind (kinds never set are missing)."""
    rows = db.execute(
        "SELECT user_id, kind, spec, next_due_utc, active FROM schedules WHERE user_id = ?",
        [user_id],
    ).fetchall()
    return {row[1]: _schedule(row) for row in rows}


def save(
    db: Database,
    user_id: int,
    kind: Kind,
    spec: dict[str, Any],
    next_due: datetime | None,
    active: bool,
) -> None:
    """Create or replace one schedule of this person's."""
    db.execute(
        """
        INSERT INTO schedules (user_id, kind, spec, next_due_utc, active) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (user_id, kind) DO UPDATE SET spec = excluded.spec,
            next_due_utc = excluded.next_due_utc, active = excluded.active
        """,
        [user_id, kind, json.dumps(spec, sort_keys=True),
         None if next_due is None else _seconds(next_due), int(active)],
    )  # fmt: skip


def add_missing(db: Database, user_id: int, defaults: dict[Kind, tuple[dict, datetime]]) -> None:
    """Give this person the default schedules they do not have yet (active)."""
    for kind, (spec, next_due) in defaults.items():
        db.execute(
            "INSERT OR IGNORE INTO schedules (user_id, kind, spec, next_due_utc, active) "
            "VALUES (?, ?, ?, ?, 1)",
            [user_id, kind, json.dumps(spec, sort_keys=True), _seconds(next_due)],
        )


def due(db: Database, now: datetime, limit: int = 1000) -> list[Schedule]:
    """Active schedules due by `now` of people who have not blocked the bot, oldest first."""
    rows = db.execute(
        """
        SELECT s.user_id, s.kind, s.spec, s.next_due_utc, s.active FROM schedules s
        JOIN users u ON u.user_id = s.user_id
        WHERE s.active = 1 AND s.next_due_utc <= ? AND u.blocked = 0
        ORDER BY s.next_due_utc LIMIT ?
        """,
        [_seconds(now), limit],
    ).fetchall()
    return [_schedule(row) for row in rows]


def next_wakeup(db: Database) -> datetime | None:
    """The earliest due moment of any active schedule."""
    row = db.execute("SELECT min(next_due_utc) FROM schedules WHERE active = 1").fetchone()
    return _moment(row[0])


def claim(
    db: Database,
    schedule: Schedule,
    period: str,
    occurrence: datetime,
    next_due: datetime,
    status: Literal["claimed", "skipped"] = "claimed",
    now: datetime | None = None,
) -> bool:
    """Claim one occurrence and move the schedule on to `next_due`, atomically.

    False when this period was already claimed or the schedule changed since it was
    read (another sweep, or the person's new settings): then nothing may be sent.
    """
    assert schedule.next_due is not None
    with db.atomic():
        inserted = db.execute(
            "INSERT OR IGNORE INTO deliveries (user_id, kind, period, sent_at, status, due_utc) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [schedule.user_id, schedule.kind, period, utc_now_iso(now), status,
             _seconds(occurrence)],
        ).rowcount  # fmt: skip
        moved = db.execute(
            "UPDATE schedules SET next_due_utc = ? "
            "WHERE user_id = ? AND kind = ? AND next_due_utc = ? AND active = 1",
            [_seconds(next_due), schedule.user_id, schedule.kind, _seconds(schedule.next_due)],
        ).rowcount
        if not moved:
            # Someone else moved it first; give back a claim this call just made.
            if inserted:
                _delete(db, schedule.user_id, schedule.kind, period)
            return False
    return bool(inserted)


def finish(
    db: Database,
    user_id: int,
    kind: Kind,
    period: str,
    status: Literal["sent", "skipped"],
    fingerprint: str | None = None,
    now: datetime | None = None,
) -> None:
    """Record how a claimed occurrence ended."""
    db.execute(
        "UPDATE deliveries SET status = ?, fingerprint = ?, finished_at = ? "
        "WHERE user_id = ? AND kind = ? AND period = ?",
        [status, fingerprint, utc_now_iso(now), user_id, kind, period],
    )


def release(db: Database, schedule: Schedule, period: str, next_due: datetime) -> None:
    """Give a claim back after a send failed for a passing reason: the next sweep retries.

    The schedule returns to this occurrence unless it was changed meanwhile.
    """
    assert schedule.next_due is not None
    with db.atomic():
        _delete(db, schedule.user_id, schedule.kind, period)
        db.execute(
            "UPDATE schedules SET next_due_utc = ? "
            "WHERE user_id = ? AND kind = ? AND next_due_utc = ?",
            [_seconds(schedule.next_due), schedule.user_id, schedule.kind, _seconds(next_due)],
        )


def _delete(db: Database, user_id: int, kind: str, period: str) -> None:
    """Forget one delivery row."""
    db.execute(
        "DELETE FROM deliveries WHERE user_id = ? AND kind = ? AND period = ?",
        [user_id, kind, period],
    )


def last_delivery(db: Database, user_id: int, kind: Kind, status: str = "sent") -> Delivery | None:
    """The latest occurrence of this kind with this status, or None."""
    row = db.execute(
        "SELECT period, status, fingerprint, sent_at FROM deliveries "
        "WHERE user_id = ? AND kind = ? AND status = ? ORDER BY id DESC LIMIT 1",
        [user_id, kind, status],
    ).fetchone()
    if row is None:
        return None
    period, state, fingerprint, claimed = row
    return Delivery(period, state, fingerprint, datetime.fromisoformat(claimed))


def set_active(db: Database, user_id: int, kind: Kind, active: bool) -> None:
    """Switch one schedule on or off (its settings stay)."""
    db.execute(
        "UPDATE schedules SET active = ? WHERE user_id = ? AND kind = ?",
        [int(active), user_id, kind],
    )


def set_spec(db: Database, user_id: int, kind: Kind, spec: dict[str, Any]) -> None:
    """Replace one schedule's settings, leaving when it is due."""
    db.execute(
        "UPDATE schedules SET spec = ? WHERE user_id = ? AND kind = ?",
        [json.dumps(spec, sort_keys=True), user_id, kind],
    )
