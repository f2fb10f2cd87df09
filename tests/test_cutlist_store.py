"""The cut list's daily batches: a quota a day from local midnight, outstanding links kept."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlite_utils import Database

from storage import cutlist, decisions, search, users
from storage.merge import apply_import
from storage.store import Store
from tests.records import export, person

ME = 1001
BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def db(fresh_store: Store) -> Database:
    """Five people, all cut, in order p0..p4."""
    db = fresh_store.db
    users.touch_user(db, ME, ME, "Me")
    apply_import(db, ME, export([person(f"p{i}") for i in range(5)]))
    for c in sorted(search.find(db, ME, "example"), key=lambda c: c.first_name):
        decisions.decide(db, ME, c.id, "cut")
    return db


def names(batch: cutlist.Batch) -> list[str]:
    """First names in a batch."""
    return [c.first_name for c in batch.people]


def test_daily_quota_outstanding_links_and_the_next_day(db: Database) -> None:
    morning = datetime(2026, 11, 29, 8, 0, tzinfo=UTC)
    first = cutlist.take_batch(db, ME, daily=2, now=morning, zone=BERLIN)
    assert names(first) == ["P0", "P1"]
    assert (first.remaining, first.removed, first.total_cut) == (3, 0, 5)
    cutlist.mark_removed(db, ME, first.people[0].id)
    # Later the same day: the one not yet removed again, nothing new.
    again = cutlist.take_batch(db, ME, daily=2, now=morning.replace(hour=20), zone=BERLIN)
    assert names(again) == ["P1"]
    # 23:30 UTC is already tomorrow in Berlin: a new quota.
    tomorrow = cutlist.take_batch(db, ME, daily=2, now=morning.replace(hour=23, minute=30),
                                  zone=BERLIN)  # fmt: skip
    assert names(tomorrow) == ["P1", "P2", "P3"]
    assert tomorrow.remaining == 1


def test_everything_hands_out_every_link(db: Database) -> None:
    batch = cutlist.take_batch(db, ME, daily=2, everything=True)
    assert names(batch) == ["P0", "P1", "P2", "P3", "P4"]
    assert batch.remaining == 0


def test_nothing_of_another_person(db: Database) -> None:
    users.touch_user(db, 2002, 2002, "Other")
    batch = cutlist.take_batch(db, 2002)
    assert (batch.people, batch.total_cut) == ([], 0)
    assert cutlist.cuts_by_id(db, 2002, [c.id for c in search.find(db, ME, "p")]) == []
