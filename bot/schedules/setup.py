"""Changing a person's schedules (on the database thread): each new setting is saved
with its next due moment worked out in the person's own time zone."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlite_utils import Database

from bot.schedules.plan import DEFAULTS, first_due
from storage import schedules, users
from storage.recheck import waiting_count
from storage.schedules import Kind, Schedule
from storage.zones import to_tzinfo

# Every person who sent an export gets these; the daily card is theirs to turn on.
STARTING: tuple[Kind, ...] = ("yearly", "summary")


def set_schedule(
    db: Database, user_id: int, kind: Kind, spec: dict[str, Any], active: bool, now: datetime
) -> Schedule:
    """Save one schedule of this person's and return it with its next due moment."""
    user = users.get_user(db, user_id)
    assert user is not None
    due = first_due(kind, spec, now, user.zone)
    schedules.save(db, user_id, kind, spec, due, active)
    return Schedule(user_id, kind, spec, due, active)


def schedule_of(db: Database, user_id: int, kind: Kind, now: datetime) -> Schedule:
    """This person's schedule of `kind`; the default one, saved, if they had none yet."""
    found = schedules.schedules_of(db, user_id).get(kind)
    if found is not None:
        return found
    return set_schedule(db, user_id, kind, DEFAULTS[kind], kind in STARTING, now)


def add_starting_schedules(db: Database, user_id: int, now: datetime) -> None:
    """Give someone who just sent an export the yearly reminder and weekly summaries."""
    user = users.get_user(db, user_id)
    assert user is not None
    schedules.add_missing(
        db,
        user_id,
        {
            kind: (DEFAULTS[kind], first_due(kind, DEFAULTS[kind], now, user.zone))
            for kind in STARTING
        },
    )


def change_zone(db: Database, user_id: int, name: str, now: datetime) -> None:
    """Save the person's time zone and move every schedule to the new local times."""
    with db.atomic():
        users.set_timezone(db, user_id, name)
        zone = to_tzinfo(name)
        for schedule in schedules.schedules_of(db, user_id).values():
            due = first_due(schedule.kind, schedule.spec, now, zone)
            schedules.save(db, user_id, schedule.kind, schedule.spec, due, schedule.active)


# A yearly clean lasts a season: a fresh export in it is offered the re-check too.
SEASON = timedelta(days=90)


def after_import(db: Database, user_id: int, now: datetime) -> int:
    """Set up an importer's schedules; return how many keeps to re-check (0 off season)."""
    add_starting_schedules(db, user_id, now)
    user = users.get_user(db, user_id)
    assert user is not None
    since = user.recheck_since
    if since is None or now - datetime.fromisoformat(since) > SEASON:
        return 0
    return waiting_count(db, user_id, since)
