"""How long an upload of a 30,000-row export takes through Telegram, against the import floor.

Run from the repository root (needs the test extra: the local Bot API server)::

    .venv/bin/python bench/upload_bench.py            # 30,000 rows, median of 5
    .venv/bin/python bench/upload_bench.py --quick    # 3,000 rows, 2 runs: a smoke test
    .venv/bin/python bench/upload_bench.py --json results.json

Each round, on fresh databases, after one untimed warm-up round:

  floor     bench/import_bench.py's floor (unzip, decode, CSV parse, one atomic()
            insert_all of the raw rows, WAL, synchronous=FULL) on the same ZIP
  import    read_export + apply_import in this process, as import_bench times it
  upload    the real keepcut Application (built and started as tests/conftest.py
            does, polling the local Bot API test server, tests/telegram_server.py)
            receives the ZIP from a new person: timed from the document being queued
            at the server to the moment the bot's status message has been edited to
            the import's summary ("Read 30,000 connections"): the update's delivery,
            the typing action and the "reading" reply, getFile and the download, the
            parse, the merge, the store's commit and the edit

The bot runs with the message spacing it uses in production (Settings' defaults): the
status message is the chat's first and the summary an edit, so neither waits for it.
The server, the test user and the bot share this process and event loop, so the upload
figure includes the harness's own HTTP work on both sides. The script exits 0 whether
or not the target is met.
"""

from __future__ import annotations

import asyncio
import gc
import json
import logging
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

# Before telegram is imported: RetryAfter.retry_after as a timedelta, no deprecation warning.
os.environ.setdefault("PTB_TIMEDELTA", "1")
# bench/ is a plain folder of scripts: make the repository (bot, storage, tests) importable.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import import_bench

from bot import texts
from bot.app import build_application, post_init
from bot.config import Settings
from tests.telegram_server import TelegramServer

UPLOAD_RATIO_TARGET = 2.5
QUIET_LOGGERS = (
    "httpx", "httpcore", "telegram", "apscheduler", "aiohttp", "asyncio", "bot", "storage",
    "tests", "aiolimiter",
)  # fmt: skip


async def upload_once(server: TelegramServer, db_path: Path, user_id: int, data: bytes) -> float:
    """Start the bot on a fresh database, have a new person upload `data`; the seconds taken."""
    settings = Settings(
        token=server.token,
        db_path=db_path,
        base_url=server.base_url,
        base_file_url=server.base_file_url,
    )
    app = build_application(settings)
    try:
        await app.initialize()
        # post_init runs only inside run_polling(); call it as that would.
        await post_init(app)
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=1, drop_pending_updates=False)
        user = server.user(user_id, "Ada")
        started = time.perf_counter()
        await user.send_document(data, "Basic_LinkedInDataExport_11-29-2026.zip")
        status = await user.next_message(timeout=60)
        if status.text == texts.READING:
            status = await user.wait_for_edit(status, timeout=60)
        elapsed = time.perf_counter() - started
        if "Read " not in status.text:
            raise RuntimeError(f"the upload was not imported: {status.text!r}")
        return elapsed
    finally:
        assert app.updater is not None
        if app.updater.running:
            await asyncio.wait_for(app.updater.stop(), 15)
        if app.running:
            await asyncio.wait_for(app.stop(), 15)
        await asyncio.wait_for(app.shutdown(), 15)
        app.bot_data["store"].close()


async def rounds(folder: Path, data: bytes, runs: int) -> dict[str, list[float]]:
    """Floor, in-process import and upload, one of each per round; round 0 untimed."""
    times: dict[str, list[float]] = {"floor": [], "import": [], "upload": []}
    async with TelegramServer() as server:
        for i in range(runs + 1):
            # As in import_bench: what is alive now (the server, the harness, the ZIP) is
            # not the work being timed; the collector need not rescan it in every series.
            gc.collect()
            gc.freeze()
            db = import_bench.floor_database(folder / f"floor{i}.db")
            started = time.perf_counter()
            import_bench.floor(data, db)
            floor_s = time.perf_counter() - started
            db.close()
            store = import_bench.fresh_store(folder, f"import{i}")
            started = time.perf_counter()
            import_bench.our_import(data, store)
            import_s = time.perf_counter() - started
            store.close()
            upload_s = await asyncio.wait_for(
                upload_once(server, folder / f"bot{i}.db", 1001 + i, data), 120
            )
            if i:
                times["floor"].append(floor_s)
                times["import"].append(import_s)
                times["upload"].append(upload_s)
    return times


def main() -> None:
    """Measure, print a results block, optionally write JSON."""
    args, count, runs = import_bench.arguments(__doc__)
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)

    data = import_bench.export_zip(import_bench.rows(count))
    with tempfile.TemporaryDirectory() as tmp:
        times = asyncio.run(rounds(Path(tmp), data, runs))
    med = {name: statistics.median(series) for name, series in times.items()}
    figures: dict[str, Any] = {
        "rows": count,
        "runs": runs,
        "zip_bytes": len(data),
        "machine": import_bench.machine(),
        "floor_includes": import_bench.FLOOR_INCLUDES,
        **{f"{name}_median_s": value for name, value in med.items()},
        "import_ratio": med["import"] / med["floor"],
        "upload_ratio": med["upload"] / med["floor"],
    }
    met = figures["upload_ratio"] <= UPLOAD_RATIO_TARGET
    print(f"upload_bench: {count:,} rows ({len(data):,} B ZIP), median of {runs} runs")
    print(f"  {import_bench.machine()}")
    print(f"  floor: {import_bench.FLOOR_INCLUDES}")
    print(f"    floor                              {med['floor']:.3f} s")
    print(
        f"  import in process                    {med['import']:.3f} s   "
        f"{figures['import_ratio']:.2f}× floor"
    )
    print(
        f"  upload → summary via local Bot API   {med['upload']:.3f} s   "
        f"{figures['upload_ratio']:.2f}× floor (target ≤ {UPLOAD_RATIO_TARGET})"
    )
    if not args.quick:
        print(f"  {'met ' if met else 'MISSED'} upload <= {UPLOAD_RATIO_TARGET}x floor")
    if args.json:
        args.json.write_text(json.dumps({**figures, "target_met": met}, indent=2))


if __name__ == "__main__":
    main()
