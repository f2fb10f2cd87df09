"""The one SQLite connection, owned by one thread, and the way to reach it."""

from __future__ import annotations

import asyncio
import functools
import logging
import os
import sqlite3
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Concatenate, ParamSpec, TypeVar

from sqlite_utils import Database

from storage.schema import migrations

log = logging.getLogger(__name__)

CHECKPOINT_SECONDS = 5.0
AUTOCHECKPOINT_PAGES = 10_000  # about 40 MB of WAL

P = ParamSpec("P")
T = TypeVar("T")


def _create_private_file(path: Path) -> None:
    """Create the database file readable by its owner only (0600), or tighten it."""
    if str(path) == ":memory:":
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)


class Store:
    """keepcut's database: one connection, one thread that uses it, migrations at open.

    Every query is a plain synchronous function taking the `Database` first, so
    tests call it directly; the bot awaits it through `run()`, which hands it to
    the single worker thread (datasette's pattern), so SQLite never blocks the
    event loop and no two queries ever interleave.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        _create_private_file(self.path)
        conn = sqlite3.connect(str(self.path), check_same_thread=False, timeout=30)
        self.db = Database(conn)
        self.db.execute("PRAGMA foreign_keys = ON")
        # Deleted and overwritten content is zeroed, not left in free space: /forget's
        # rows, and also the old versions of rows an import rewrote or a decision
        # replaced, which a pragma turned on only around /forget would miss. On for the
        # whole connection because the pragma cannot change inside a transaction; in WAL
        # mode whole pages are written anyway, so the cost is a memset and freed pages.
        self.db.execute("PRAGMA secure_delete = ON")
        # WAL lets a backup or a second reader look in while the bot writes.
        self.db.enable_wal()
        # FULL: every commit (a decision) is fsynced before the press is answered,
        # so not even a power cut loses it; in WAL mode that costs well under 1 ms.
        self.db.execute("PRAGMA synchronous = FULL")
        # Checkpoints (copying the WAL back into the database, with an fsync) run on
        # their own thread and connection, off the path of a button press; this
        # automatic one is only the backstop if that thread falls behind.
        self.db.execute(f"PRAGMA wal_autocheckpoint = {AUTOCHECKPOINT_PAGES}")
        migrations.apply(self.db)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="keepcut-db")
        # Held while anything uses the connection: by the database thread for each job,
        # and by run_if_idle() on the event loop's own thread.
        self._in_use = threading.Lock()
        self._stop = threading.Event()
        self._checkpointer = threading.Thread(
            target=self._checkpoint_loop, name="keepcut-checkpoint", daemon=True
        )
        self._checkpointer.start()
        log.info("database ready at %s", self.path)

    def _checkpoint_loop(self) -> None:
        """Copy the WAL into the database every few seconds, on a connection of its own."""
        conn = sqlite3.connect(str(self.path), timeout=30)
        try:
            while not self._stop.wait(CHECKPOINT_SECONDS):
                try:
                    conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
                except sqlite3.Error as exc:
                    log.warning("WAL checkpoint failed: %s", exc)
        finally:
            conn.close()

    @property
    def applied_migrations(self) -> list[str]:
        """Names of the migrations recorded in this database, oldest first."""
        return [m.name for m in migrations.applied(self.db)]

    def journal_mode(self) -> str:
        """SQLite's journal mode for this database ("wal" once open)."""
        return str(self.db.execute("PRAGMA journal_mode").fetchone()[0])

    async def run(
        self,
        fn: Callable[Concatenate[Database, P], T],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        """Run `fn(db, *args, **kwargs)` on the database thread and return its result."""
        loop = asyncio.get_running_loop()
        call = functools.partial(self._exclusive, fn, *args, **kwargs)
        return await loop.run_in_executor(self._executor, call)

    async def run_if_idle(
        self,
        fn: Callable[Concatenate[Database, P], T],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        """Like run(), but right here when the database thread has nothing to do.

        For a button press: its work is short (well under a millisecond, most of it the
        fsync of the commit), and waking the database thread costs more than that on a
        small virtual machine. When the thread is busy (an import, other people's
        presses), the work queues there as usual, and the event loop never waits for it.
        """
        if not self._in_use.acquire(blocking=False):
            return await self.run(fn, *args, **kwargs)
        try:
            return fn(self.db, *args, **kwargs)
        finally:
            self._in_use.release()

    def _exclusive(
        self, fn: Callable[Concatenate[Database, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> T:
        """Run `fn(db, ...)` holding the connection (on the database thread)."""
        with self._in_use:
            return fn(self.db, *args, **kwargs)

    def call(
        self,
        fn: Callable[Concatenate[Database, P], T],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        """Run `fn(db, ...)` on the database thread and wait for it, from synchronous code.

        For tests and tools beside a running bot: the connection is the thread's alone,
        and using it from another thread would interleave with the bot's queries.
        """
        call = functools.partial(self._exclusive, fn, *args, **kwargs)
        return self._executor.submit(call).result()

    def close(self) -> None:
        """Finish queued work, checkpoint, and close the connection."""
        self._stop.set()
        self._checkpointer.join()
        self._executor.shutdown(wait=True)
        self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.db.close()
