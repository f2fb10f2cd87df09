"""The /stats chart: what network_growth counts, and that the chart is a PNG a phone can show."""

from __future__ import annotations

import struct
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlite_utils import Database

from bot.render.chart import network_chart
from storage import cutlist, decisions, search, users
from storage.growth import Growth, network_growth
from storage.merge import apply_import
from storage.store import Store
from tests.records import export, person

ME = 1001
OTHER = 1002
TODAY = date(2026, 4, 15)
ROOT = Path(__file__).resolve().parent.parent
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

EMPTY = Growth(by_month=(), undated=0, total=0, cut=0, removed=0)
SMALL = Growth(
    by_month=(
        (date(2021, 3, 1), 2),
        (date(2022, 7, 1), 3),
        (date(2023, 1, 1), 1),
        (date(2024, 11, 1), 4),
        (date(2026, 4, 1), 1),
    ),
    undated=1,
    total=12,
    cut=4,
    removed=1,
)


def ids_by_name(db: Database) -> dict[str, int]:
    """This person's connections by first name."""
    return {c.first_name: c.id for c in search.find(db, ME, "example")}


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk, which must come first."""
    assert png[:8] == PNG_MAGIC
    length, kind = struct.unpack(">I4s", png[8:16])
    assert (length, kind) == (13, b"IHDR")
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def assert_phone_sized_png(png: bytes) -> None:
    """A whole PNG, about 1080 px each way, small enough to send quickly as a photo."""
    width, height = png_size(png)
    assert 900 <= width <= 1400 and 700 <= height <= 1400
    assert png.endswith(b"IEND\xae\x42\x60\x82")
    assert 5_000 < len(png) < 300_000


@pytest.fixture
def db(fresh_store: Store) -> Database:
    """A network of eight over three months and one undated; one has left, three are cut."""
    db = fresh_store.db
    users.touch_user(db, ME, ME, "Me")
    users.touch_user(db, OTHER, OTHER, "Other")
    march, june = date(2021, 3, 14), date(2021, 6, 2)
    people = [
        person("ann", connected_on=march),
        person("ben", connected_on=date(2021, 3, 30)),
        person("cy", connected_on=june),
        person("dee", connected_on=june),
        person("eve", connected_on=date(2023, 12, 31)),
        person("fay", connected_on=date(2023, 12, 1)),
        person("gus", connected_on=None),
        person("hal", connected_on=march),
    ]
    apply_import(db, ME, export(people))
    apply_import(db, OTHER, export([person("zed", connected_on=march)]))
    ids = ids_by_name(db)
    for name in ("Ann", "Cy", "Gus", "Hal"):
        decisions.decide(db, ME, ids[name], "cut")
    cutlist.mark_removed(db, ME, ids["Ann"])
    # Hal (cut) is no longer in the next export: gone, so neither counted nor cut.
    apply_import(db, ME, export(people[:-1]))
    return db


def test_growth_counts_people_still_there_by_month(db: Database) -> None:
    growth = network_growth(db, ME)
    assert growth == Growth(
        by_month=((date(2021, 3, 1), 2), (date(2021, 6, 1), 2), (date(2023, 12, 1), 2)),
        undated=1,
        total=7,
        cut=3,
        removed=1,
    )
    assert growth.after_cuts == 4


def test_growth_of_someone_without_connections_is_empty(db: Database) -> None:
    assert network_growth(db, 9999) == EMPTY


def test_growth_of_30000_is_grouped_in_sqlite(fresh_store: Store) -> None:
    db = fresh_store.db
    users.touch_user(db, ME, ME, "Me")
    first = date(2008, 1, 1)
    people = [
        person(f"p{i}", connected_on=None if i % 100 == 0 else first + timedelta(days=i // 5))
        for i in range(30_000)
    ]
    apply_import(db, ME, export(people))
    # Decided in bulk: 10,000 calls to decide() would only make the test slow.
    db.execute(
        "INSERT INTO decisions (connection_id, user_id, decision, decided_at, seq, removed_at) "
        "SELECT id, user_id, 'cut', '2026-01-01', id, CASE WHEN id % 2 THEN '2026-02-01' END "
        "FROM connections WHERE user_id = ? AND id % 3 = 0",
        [ME],
    )
    started = time.perf_counter()
    growth = network_growth(db, ME)
    elapsed = time.perf_counter() - started
    assert (growth.total, growth.undated, growth.cut) == (30_000, 300, 10_000)
    assert growth.removed == 5_000
    assert sum(n for _, n in growth.by_month) == 29_700
    assert growth.by_month[0] == (date(2008, 1, 1), 153)  # 31 days × 5, less p0 and p100
    assert elapsed < 1.0
    assert_phone_sized_png(network_chart(growth, 500, TODAY))


@pytest.mark.parametrize(
    ("growth", "target"),
    [
        (EMPTY, 500),
        (SMALL, 500),
        (SMALL, 1),
        (Growth(((date(2019, 5, 1), 320),), 0, 320, 0, 0), 500),
        (Growth((), 2_400, 2_400, 2_400, 0), 500),
        (Growth(((date(2027, 1, 1), 3),), 0, 3, 1, 0), 30_000),
    ],
    ids=["empty", "small", "target-1", "under-no-cuts", "all-undated-all-cut", "future-date"],
)
def test_chart_is_a_phone_sized_png(growth: Growth, target: int) -> None:
    assert_phone_sized_png(network_chart(growth, target, TODAY))


def test_importing_the_chart_module_does_not_load_matplotlib() -> None:
    # Only matplotlib: numpy, which it brings, is imported by sqlite-utils whenever installed.
    code = "import sys, bot.render.chart, storage.growth; sys.exit('matplotlib' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr[-2000:]
