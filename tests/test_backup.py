"""Backups and the health check: the copy, its rotation, the jobs, the commands beside the bot."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import re
import sqlite3
import stat
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlite_utils import Database

from bot import texts
from bot.app import BACKUP_TIME, backup_job, run_backup
from bot.context import KeepcutApp
from storage import health, users
from storage.backup import (
    BackupError,
    backup_name,
    backups,
    copy_database,
    newest_backup,
    take_backup,
    taken_at,
)
from storage.export import read_export
from storage.merge import apply_import
from storage.store import Store
from tests.conftest import RunningBot
from tests.export_samples import current_connections, people
from tests.telegram_server import TelegramServer
from tests.user import BotMessage, TelegramUser

NOW = datetime(2026, 11, 29, 3, 17, 0, tzinfo=UTC)
SIDECARS = ("-wal", "-shm", "-journal")


def query(path: Path, sql: str) -> list[tuple]:
    """Rows from a file, opened read-only."""
    conn = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def integrity(path: Path) -> list[str]:
    """PRAGMA integrity_check of a file: ["ok"] when whole."""
    return [row[0] for row in query(path, "PRAGMA integrity_check")]


def mode(path: Path) -> int:
    """A file's permission bits."""
    return stat.S_IMODE(path.stat().st_mode)


def digest(path: Path) -> str:
    """A file's content, as a hash."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def leftovers(folder: Path) -> list[str]:
    """Temporary copies or SQLite side files in a folder."""
    return sorted(n for n in os.listdir(folder) if n.endswith(".tmp") or n.endswith(SIDECARS))


def with_people(store: Store, count: int = 3) -> Store:
    """A store with a few people in it."""
    for i in range(count):
        users.touch_user(store.db, 1000 + i, 1000 + i, f"Person {i}", NOW)
    return store


def misindexed_database(path: Path) -> Path:
    """A database whose index disagrees with its table (integrity_check reports it)."""
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x TEXT)")
    conn.execute("CREATE INDEX t_x ON t (x)")
    conn.executemany("INSERT INTO t VALUES (?)", [(f"row {i}",) for i in range(500)])
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute(
        "UPDATE sqlite_master SET sql = 'CREATE INDEX t_x ON t (x DESC)' WHERE name = 't_x'"
    )
    conn.commit()
    conn.close()
    return path


# The copy itself.


def test_a_backup_is_private_whole_and_standalone(fresh_store: Store, tmp_path: Path) -> None:
    store = with_people(fresh_store)
    folder = tmp_path / "backups"
    result = take_backup(store.path, folder, 7, NOW)
    assert result.path == folder / "keepcut-20261129-031700.db"
    assert result.size == result.path.stat().st_size > 0
    assert mode(result.path) == 0o600
    assert mode(folder) == 0o700, "a missing backup folder is made for the bot alone"
    assert leftovers(folder) == [], "no temporary copy, and no -wal: the backup is one file"
    assert integrity(result.path) == ["ok"]
    assert query(result.path, "PRAGMA journal_mode") == [("delete",)]
    assert query(result.path, "SELECT count(*) FROM users") == [(3,)]
    assert leftovers(folder) == [], "opening it later makes no -wal either"


def test_backup_names_are_the_utc_time_and_only_they_count(tmp_path: Path) -> None:
    paris = datetime(2026, 6, 1, 5, 17, 9, tzinfo=UTC).astimezone(ZoneInfo("Europe/Paris"))
    assert backup_name(paris) == "keepcut-20260601-051709.db"
    assert taken_at(Path("keepcut-20260601-051709.db")) == datetime(
        2026, 6, 1, 5, 17, 9, tzinfo=UTC
    )
    for other in (
        "keepcut-latest.db",
        "keepcut-20260601-051709.db.gz",
        "keepcut-20261399-000000.db",
    ):
        assert taken_at(Path(other)) is None
    assert newest_backup(tmp_path / "missing") is None
    for name in ("keepcut-20250101-000000.db", "keepcut-20260101-000000.db", "zz.db"):
        (tmp_path / name).write_bytes(b"")
    assert newest_backup(tmp_path) == datetime(2026, 1, 1, tzinfo=UTC)


def test_only_the_newest_backups_are_kept_and_other_files_stay(
    fresh_store: Store, tmp_path: Path
) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    older = [folder / backup_name(NOW - timedelta(days=d)) for d in range(1, 6)]
    for path in older:
        path.write_bytes(b"an older backup")
    others = ["notes.txt", "before-upgrade.db", "keepcut-latest.db", "keepcut.db", ".hidden"]
    for name in others:
        (folder / name).write_text("not a dated backup")
    result = take_backup(fresh_store.path, folder, 3, NOW)
    assert backups(folder) == [older[1], older[0], result.path]
    assert sorted(os.listdir(folder)) == sorted([*others, *(p.name for p in backups(folder))])


def test_a_copy_a_crash_left_behind_is_cleared_but_not_one_being_made(
    fresh_store: Store, tmp_path: Path
) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    stale = folder / ".keepcut-20261120-031700.db.tmp"
    fresh = folder / ".keepcut-20261129-031659.db.tmp"
    hand_made = folder / ".mine.db.tmp"
    for path in (stale, fresh, hand_made):
        path.write_bytes(b"half a copy")
    day_ago = time.time() - 24 * 3600
    os.utime(stale, (day_ago, day_ago))
    os.utime(hand_made, (day_ago, day_ago))
    take_backup(fresh_store.path, folder, 7, NOW)
    assert not stale.exists()
    assert fresh.exists(), "perhaps another backup is being made right now"
    assert hand_made.exists(), "not a name keepcut gives"


@pytest.mark.parametrize("source", ["misindexed", "not a database", "missing"])
def test_a_failed_backup_leaves_no_temporary_file_and_the_earlier_ones_intact(
    fresh_store: Store, tmp_path: Path, source: str
) -> None:
    folder = tmp_path / "backups"
    earlier = [
        take_backup(fresh_store.path, folder, 7, NOW - timedelta(days=d)).path for d in (2, 1)
    ]
    before = {path: digest(path) for path in earlier}
    bad = tmp_path / "bad.db"
    if source == "misindexed":
        misindexed_database(bad)
    elif source == "not a database":
        bad.write_text("First Name,Last Name\n" * 200)
    with pytest.raises(BackupError) as failure:
        # keep=1: had it pruned after failing, an earlier backup would be gone.
        take_backup(bad, folder, 1, NOW)
    assert "\n" not in str(failure.value)
    if source == "misindexed":
        assert "integrity check" in str(failure.value)
    assert leftovers(folder) == []
    assert backups(folder) == earlier
    assert {path: digest(path) for path in earlier} == before


def test_a_backup_never_creates_the_database_it_copies(tmp_path: Path) -> None:
    with pytest.raises(BackupError, match="no database"):
        copy_database(tmp_path / "keepcut.db", tmp_path / "copy.db")
    assert os.listdir(tmp_path) == []


# The commands an operator runs beside the bot.


def command(args: list[str], cwd: Path, db: Path | None = None) -> subprocess.CompletedProcess:
    """Run `python -m bot ARGS` with only KEEPCUT_DB set (no token), in `cwd`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "KEEPCUT_"))}
    if db is not None:
        env["KEEPCUT_DB"] = str(db)
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize("into", ["file", "folder"])
def test_backup_command_writes_one_private_file_and_says_where(
    fresh_store: Store, tmp_path: Path, into: str
) -> None:
    with_people(fresh_store)
    folder = tmp_path / "copies"
    folder.mkdir()
    path = folder / "before-upgrade.db" if into == "file" else folder
    done = command(["backup", str(path)], tmp_path, fresh_store.path)
    assert (done.returncode, done.stderr) == (0, "")
    (line,) = done.stdout.splitlines()
    match = re.fullmatch(
        r"keepcut: backed up (\S+) to (\S+) \((\d+ kB|[\d.]+ MB), [\d.]+ s\)", line
    )
    assert match, line
    assert match.group(1) == str(fresh_store.path)
    written = Path(match.group(2))
    if into == "file":
        assert written == path
    else:
        assert written.parent == folder and taken_at(written) is not None
    assert mode(written) == 0o600
    assert integrity(written) == ["ok"]
    assert query(written, "SELECT count(*) FROM users") == [(3,)]
    assert leftovers(folder) == []


@pytest.mark.parametrize(
    ("target", "says"),
    [
        ("missing-folder/copy.db", "there is no folder"),
        ("taken.db", "already exists"),
        ("the database", "already exists"),
    ],
)
def test_backup_command_failures_are_one_line_and_exit_1(
    fresh_store: Store, tmp_path: Path, target: str, says: str
) -> None:
    copies = tmp_path / "copies"
    copies.mkdir()
    (copies / "taken.db").write_text("an older copy")
    path = fresh_store.path if target == "the database" else copies / target
    database = digest(fresh_store.path)
    done = command(["backup", str(path)], tmp_path, fresh_store.path)
    assert done.returncode == 1
    assert done.stdout == ""
    (line,) = done.stderr.splitlines()
    assert line.startswith("keepcut: backup failed: ") and says in line, line
    assert (copies / "taken.db").read_text() == "an older copy"
    assert digest(fresh_store.path) == database
    assert leftovers(copies) == []


def test_backup_command_without_a_database_is_one_line_and_exit_1(tmp_path: Path) -> None:
    done = command(["backup", str(tmp_path / "copy.db")], tmp_path, tmp_path / "none.db")
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"keepcut: backup failed: there is no database at {tmp_path / 'none.db'} (KEEPCUT_DB)"
    ]
    assert os.listdir(tmp_path) == [], "neither a database nor a copy was made"


@pytest.mark.parametrize("args", [["bogus"], ["backup"], ["backup", "a", "b"], ["health", "now"]])
def test_an_unknown_command_prints_the_usage_and_exits_2(tmp_path: Path, args: list[str]) -> None:
    done = command(args, tmp_path)
    assert done.returncode == 2
    (line,) = done.stderr.splitlines()
    assert line.endswith("usage: keepcut [backup PATH | health]")
    assert "Traceback" not in done.stderr
    assert os.listdir(tmp_path) == []


# The heartbeat and the health check.


def test_health_is_judged_by_the_heartbeats_age(fresh_store: Store, tmp_path: Path) -> None:
    path = fresh_store.path
    assert health.check(path, NOW) == health.Health(
        False, f"unhealthy: no heartbeat yet in {path}"
    )
    health.beat(fresh_store.db, NOW)
    assert health.check(path, NOW + timedelta(seconds=12)).line == (
        "healthy: last heartbeat 12 s ago"
    )
    assert health.check(path, NOW + timedelta(minutes=3)).healthy
    late = health.check(path, NOW + timedelta(minutes=3, seconds=1))
    assert late == health.Health(
        False,
        "unhealthy: last heartbeat 3 min 1 s ago (2026-11-29T03:17:00+00:00), over 3 min",
    )
    assert not health.check(path, NOW - timedelta(hours=1)).healthy, "a clock set back"
    health.beat(fresh_store.db, NOW + timedelta(minutes=1))
    assert health.check(path, NOW + timedelta(minutes=2)).healthy, "one row, rewritten"


def test_health_without_a_keepcut_database_is_unhealthy(tmp_path: Path) -> None:
    missing = health.check(tmp_path / "none.db", NOW)
    assert (
        missing.line == f"unhealthy: there is no database at {tmp_path / 'none.db'} (KEEPCUT_DB)"
    )
    old = tmp_path / "old.db"
    sqlite3.connect(old).close()
    assert health.check(old, NOW).line == f"unhealthy: no heartbeat yet in {old}"
    junk = tmp_path / "junk.db"
    junk.write_text("not a database" * 100)
    assert health.check(junk, NOW).line.startswith(f"unhealthy: cannot read the database {junk}")


@pytest.mark.parametrize(
    ("age", "code", "says"),
    [
        (timedelta(seconds=30), 0, "keepcut: healthy: last heartbeat "),
        (timedelta(minutes=4), 1, "keepcut: unhealthy: last heartbeat 4 min "),
        (None, 1, "keepcut: unhealthy: no heartbeat yet"),
    ],
)
def test_health_command_exits_0_only_for_a_recent_heartbeat(
    fresh_store: Store, tmp_path: Path, age: timedelta | None, code: int, says: str
) -> None:
    if age is not None:
        health.beat(fresh_store.db, datetime.now(UTC) - age)
    done = command(["health"], tmp_path, fresh_store.path)
    assert done.returncode == code
    (line,) = (done.stdout + done.stderr).splitlines()
    assert line.startswith(says), line
    assert (done.stdout if code == 0 else done.stderr) == line + "\n"


async def test_the_running_bot_beats_and_health_says_so(
    running: RunningBot, tmp_path: Path
) -> None:
    app = await running.start()
    store: Store = app.bot_data["store"]
    assert app.job_queue is not None
    (beat,) = app.job_queue.get_jobs_by_name("heartbeat")
    assert beat.job.trigger.interval == timedelta(seconds=60)
    for _ in range(100):
        if await store.run(lambda db: db.execute("SELECT count(*) FROM heartbeat").fetchone()[0]):
            break
        await asyncio.sleep(0.05)
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "health",
        cwd=tmp_path, env={**os.environ, "KEEPCUT_DB": str(store.path)},
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=30)
    assert process.returncode == 0, stderr.decode()
    assert re.fullmatch(r"keepcut: healthy: last heartbeat \d+ s ago\n", stdout.decode())


# The jobs in the running bot.


@pytest.mark.parametrize("folder", ["unset", "empty", "a fresh backup", "a day-old backup"])
async def test_backups_are_daily_and_caught_up_a_minute_after_start(
    running: RunningBot, tmp_path: Path, folder: str
) -> None:
    backup_dir = tmp_path / "backups"
    if folder == "a fresh backup":
        backup_dir.mkdir()
        (backup_dir / backup_name(datetime.now(UTC) - timedelta(hours=23))).write_bytes(b"")
    elif folder == "a day-old backup":
        backup_dir.mkdir()
        (backup_dir / backup_name(datetime.now(UTC) - timedelta(hours=25))).write_bytes(b"")
    overrides = {} if folder == "unset" else {"backup_dir": backup_dir}
    app = await running.start(**overrides)
    assert app.job_queue is not None
    daily = app.job_queue.get_jobs_by_name("daily backup")
    catch_up = app.job_queue.get_jobs_by_name("catch-up backup")
    if folder == "unset":
        assert (daily, catch_up) == ((), ())
        return
    (job,) = daily
    assert job.next_t is not None
    assert job.next_t.astimezone(UTC).time() == BACKUP_TIME.replace(tzinfo=None)
    if folder == "a fresh backup":
        assert catch_up == ()
    else:
        (soon,) = catch_up
        assert soon.next_t is not None
        wait = soon.next_t - datetime.now(UTC)
        assert timedelta(seconds=55) < wait <= timedelta(seconds=60)


@pytest.mark.parametrize("folder", ["writable", "a file"])
async def test_the_backup_job_logs_its_outcome_and_the_bot_goes_on(
    server: TelegramServer,
    running: RunningBot,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    folder: str,
) -> None:
    backup_dir = tmp_path / "backups"
    if folder == "a file":
        backup_dir.write_text("in the way")
    app = await running.start(backup_dir=backup_dir, backup_keep=2)
    assert app.job_queue is not None
    caplog.set_level(logging.INFO, logger="bot.app")
    app.job_queue.run_once(backup_job, when=0, name="backup now")
    for _ in range(200):
        if any(r.getMessage().startswith("backup") for r in caplog.records):
            break
        await asyncio.sleep(0.02)
    (record,) = [r for r in caplog.records if r.getMessage().startswith("backup")]
    if folder == "writable":
        assert record.levelno == logging.INFO
        (taken,) = backups(backup_dir)
        assert str(taken) in record.getMessage() and integrity(taken) == ["ok"]
    else:
        assert record.levelno == logging.ERROR and record.exc_info is None
        assert record.getMessage().startswith(
            f"backup failed: cannot create the backup folder {backup_dir}"
        )
    ada = server.user(1001, "Ada")
    await ada.send("/start")
    assert "keepcut" in (await ada.next_message()).text


# A backup while people are pressing buttons.


async def first_card(user: TelegramUser, count: int) -> BotMessage:
    """Upload `count` people and return the first review card."""
    await user.send_document(current_connections(people(count)), "Connections.csv")
    status = await user.next_message(timeout=10)
    reply = await user.wait_for_edit(status, timeout=10)
    press = await user.press(reply, "reviewing")
    await user.wait_for_answer(press)
    return await user.next_message()


def committed(db: Database) -> set[tuple[int, str, int]]:
    """Every decision committed so far: connection, decision, sequence number."""
    return set(db.execute("SELECT connection_id, decision, seq FROM decisions").fetchall())


async def test_a_backup_while_people_press_holds_every_decision_committed_before_it(
    server: TelegramServer, running: RunningBot, tmp_path: Path
) -> None:
    backup_dir = tmp_path / "backups"
    app: KeepcutApp = await running.start(backup_dir=backup_dir, backup_keep=3)
    store: Store = app.bot_data["store"]
    # Someone with a network of 20,000 who is not pressing now: a copy then takes long
    # enough (about 0.1 s) for the others' presses to land while it is being made.
    big = read_export(current_connections(people(20_000, "big")), "Connections.csv")
    await store.run(users.touch_user, 999, 999, "Big")
    await store.run(apply_import, 999, big, "Connections.csv")
    pressers = [server.user(1001 + i, name) for i, name in enumerate(["Ada", "Bo", "Cy"])]
    cards = await asyncio.gather(*(first_card(user, 300) for user in pressers))
    stop = asyncio.Event()

    async def keep_pressing(user: TelegramUser, card: BotMessage) -> int:
        presses = 0
        while not stop.is_set() and "All done" not in card.text:
            press = await user.press(card, texts.BUTTON_KEEP)
            await user.wait_for_answer(press)
            card = await user.wait_for_edit(card)
            presses += 1
        return presses

    pressing = [
        asyncio.create_task(keep_pressing(u, c)) for u, c in zip(pressers, cards, strict=True)
    ]
    while len(await store.run(committed)) < 10:
        await asyncio.sleep(0.02)
    landed_during = 0
    for _ in range(6):
        before = await store.run(committed)
        taken = await run_backup(app)
        after = await store.run(committed)
        # Checked at once: a backup in the same second takes the same name.
        assert integrity(taken.path) == ["ok"]
        assert query(taken.path, "PRAGMA journal_mode") == [("delete",)]
        in_backup = set(query(taken.path, "SELECT connection_id, decision, seq FROM decisions"))
        assert before <= in_backup, f"{len(before - in_backup)} committed decisions missing"
        assert in_backup <= after, "a backup holds nothing that was not committed"
        landed_during += len(after - before)
    stop.set()
    presses = await asyncio.gather(*pressing)
    assert all(presses), "everyone was pressing while the backups were taken"
    assert landed_during > 0, "presses were committed while backups were being made"
    assert 1 <= len(backups(backup_dir)) <= 3
    assert leftovers(backup_dir) == []
    assert len(await store.run(committed)) == sum(presses)
