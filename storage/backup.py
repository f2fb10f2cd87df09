"""Online backups: a consistent copy of the live database, written atomically, the newest kept."""

from __future__ import annotations

import logging
import os
import re
import sqlite3
import time
from contextlib import closing, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

log = logging.getLogger(__name__)

# keepcut-20261129-031700.db, the UTC moment it was taken: names sort as the times do.
NAME_FORMAT = "keepcut-%Y%m%d-%H%M%S.db"
_NAME = re.compile(r"^keepcut-(\d{8}-\d{6})\.db$")
_TEMPORARY = re.compile(r"^\.keepcut-\d{8}-\d{6}\.db\.tmp$")
# A temporary copy this old was left by a crash (one of 30,000 connections takes seconds).
STALE_TEMPORARY_SECONDS = 6 * 3600
# What SQLite may make beside a database file while it is open.
_SIDECARS = ("-journal", "-wal", "-shm")


class BackupError(Exception):
    """A backup could not be taken; the message is one line, for the log or a terminal."""


@dataclass(frozen=True, slots=True)
class Backup:
    """A finished backup: where it is, how big, how long it took."""

    path: Path
    size: int
    seconds: float


def backup_name(now: datetime) -> str:
    """The file name of a backup taken at `now` (UTC)."""
    return now.astimezone(UTC).strftime(NAME_FORMAT)


def taken_at(path: Path) -> datetime | None:
    """When a backup named by keepcut was taken; None for any other file name."""
    match = _NAME.match(path.name)
    if match is None:
        return None
    try:
        return datetime.strptime(match.group(1), "%Y%m%d-%H%M%S").replace(tzinfo=UTC)
    except ValueError:
        return None


def backups(folder: Path) -> list[Path]:
    """keepcut's own backups in `folder`, oldest first; every other file is left out."""
    try:
        names = os.listdir(folder)
    except OSError:
        # Missing or unreadable: nothing to count or prune; taking one reports the cause.
        return []
    found = [folder / name for name in names if taken_at(Path(name)) is not None]
    return sorted((path for path in found if path.is_file()), key=lambda p: p.name)


def newest_backup(folder: Path) -> datetime | None:
    """When the newest of keepcut's backups in `folder` was taken (None: there is none)."""
    found = backups(folder)
    return taken_at(found[-1]) if found else None


def copy_database(db_path: Path, target: Path) -> Backup:
    """Write a consistent, standalone, 0600 copy of the live database to `target`, atomically.

    The copy is made under a temporary name beside `target`, checked, fsynced and only
    then renamed, so `target` is either absent or a whole, checked database. On any
    failure the temporary file is removed and BackupError raised; nothing else changes.
    """
    started = time.monotonic()
    if not db_path.is_file():
        raise BackupError(f"there is no database at {db_path} (KEEPCUT_DB)")
    temporary = target.with_name(f".{target.name}.tmp")
    try:
        # O_EXCL: never write into a file someone else made (or a second backup's).
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as exc:
        raise BackupError(f"cannot create {temporary}: {exc.strerror or exc}") from None
    os.close(fd)
    try:
        _copy(db_path, temporary)
        _fsync(temporary)
        os.replace(temporary, target)
        # The rename itself is durable only once the folder is synced.
        _fsync(target.parent)
    except BaseException as exc:
        _remove(temporary)
        if isinstance(exc, BackupError):
            raise
        if isinstance(exc, sqlite3.Error | OSError):
            detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
            raise BackupError(f"cannot back up {db_path} to {target}: {detail}") from None
        raise
    return Backup(target, target.stat().st_size, time.monotonic() - started)


def _copy(db_path: Path, temporary: Path) -> None:
    """Copy the database with SQLite's backup API, standalone, and check the copy."""
    # A connection of its own, read-only: it can neither change the live database nor
    # create one that is not there. The timeout covers a moment's lock while the bot
    # starts or recovers its WAL.
    source_uri = f"{db_path.absolute().as_uri()}?mode=ro"
    with (
        closing(sqlite3.connect(source_uri, uri=True, timeout=30)) as source,
        closing(sqlite3.connect(temporary, timeout=30)) as copy,
    ):
        # One step (pages=-1) copies every page inside one read transaction: in WAL mode
        # that is a snapshot of the database as it stood when the step began, while the
        # bot goes on committing. Copying in several steps would let a commit between
        # two steps restart the copy from the start, again and again on a busy bot.
        source.backup(copy, pages=-1)
        # The copy inherits WAL mode from the source's header; a backup is one file.
        copy.execute("PRAGMA journal_mode = DELETE")
        problems = [row[0] for row in copy.execute("PRAGMA integrity_check")]
    if problems != ["ok"]:
        raise BackupError(
            f"the copy of {db_path} failed its integrity check ({problems[0]}); not kept"
        )


def _fsync(path: Path) -> None:
    """Flush a file, or a folder's list of names, to the disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove(temporary: Path) -> None:
    """Delete a temporary copy and whatever SQLite made beside it."""
    for path in (temporary, *(Path(f"{temporary}{suffix}") for suffix in _SIDECARS)):
        with suppress(OSError):
            path.unlink(missing_ok=True)


def prune(folder: Path, keep: int) -> list[Path]:
    """Delete keepcut's backups beyond the newest `keep`, and copies a crash left half-made.

    Only files with keepcut's backup names are touched; a copy taken by hand under
    another name, or anything else in the folder, stays.
    """
    if keep < 1:
        raise ValueError("keep at least one backup")
    removed: list[Path] = []
    for path in backups(folder)[:-keep]:
        try:
            path.unlink()
        except OSError as exc:
            log.warning("cannot remove the old backup %s: %s", path, exc.strerror or exc)
            continue
        removed.append(path)
    # The real time, not the bot's clock: it is compared with the files' own times.
    oldest_live = time.time() - STALE_TEMPORARY_SECONDS
    with suppress(OSError):
        for entry in os.scandir(folder):
            if _TEMPORARY.match(entry.name) and entry.stat().st_mtime < oldest_live:
                _remove(Path(entry.path))
                removed.append(Path(entry.path))
    return removed


def take_backup(db_path: Path, folder: Path, keep: int, now: datetime) -> Backup:
    """The daily backup: a copy named for `now` in `folder` (made 0700), the newest `keep` kept."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise BackupError(f"cannot create the backup folder {folder}: {exc.strerror}") from None
    result = copy_database(db_path, folder / backup_name(now))
    # Old ones go only after the new one is safely in place.
    prune(folder, keep)
    return result


def backup_to(db_path: Path, path: Path, now: datetime) -> Backup:
    """`keepcut backup PATH`: a copy at PATH, or a dated one inside PATH when it is a folder."""
    target = path / backup_name(now) if path.is_dir() else path
    if target.exists() or target.is_symlink():
        # Never replace a file: it may be an older backup, or the database itself.
        raise BackupError(f"{target} already exists; name a new file or a folder")
    if not target.parent.is_dir():
        raise BackupError(f"there is no folder {target.parent}")
    return copy_database(db_path, target)
