"""How fast keepcut imports a 30,000-row LinkedIn export, against the least the same work costs.

Run:  python bench/import_bench.py            (full: 30,000 rows, median of 5 runs)
      python bench/import_bench.py --quick    (3,000 rows, 2 runs: a smoke test)

It makes a synthetic export of LinkedIn's cap (30,000 connections, today's shape,
zipped) and times, in one run, each on a fresh database, the series interleaved
(one run of each, then the next round) so a busy machine slows them alike:

  floor     the least an import of these bytes can cost: unzip Connections.csv, decode
            it (UTF-8), skip the preamble, parse the CSV into rows, and sqlite-utils
            insert_all the raw rows (7 columns, as lists) into an empty table in one
            atomic() transaction, on a database set up as the store is (WAL,
            synchronous=FULL, the same autocheckpoint). No indexes, no constraints,
            no derived columns, no deduplication: nothing an import could skip.
  import    read_export (safe ZIP, decode, header, dates, identity) + apply_import
            (merge into the store, one transaction), i.e. everything the bot does
  reimport  the same export again with 500 changes (250 new, 250 gone) into a store
            that already holds the first import and 400 decisions

and, for reference only (no targets):

  floor via sqlite3   the floor with sqlite3's executemany instead of sqlite-utils
                      insert_all: what the same rows cost without the library
  old baseline        what the README compared with before: the already parsed rows
                      as dicts, insert_all outside a transaction, so sqlite-utils
                      commits (and fsyncs) once per batch of 100 rows; no WAL, no parse

It prints the medians, the ratios to the floor, and the peak memory growth of one
import (Python allocations via tracemalloc, plus the process's peak RSS growth).
"""

from __future__ import annotations

import argparse
import csv
import gc
import io
import json
import os
import platform
import resource
import sqlite3
import statistics
import sys
import tempfile
import time
import tracemalloc
import zipfile
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlite_utils import Database

from storage import decisions, search, users
from storage.export import read_export
from storage.merge import apply_import
from storage.store import AUTOCHECKPOINT_PAGES, Store

PREAMBLE = (
    'Notes:\n"When exporting your connection data, you may notice that some of the email '
    'addresses are missing."\n\n'
)
HEADER = ["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"]
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
COMPANIES = ("Northwind Analytics, Inc.", "Contoso", "Fabrikam", "Tailspin Toys", "Initech")
POSITIONS = ("Director of People Ops", "Senior Engineer", "Product Manager, Cloud & API", "CTO")
IMPORT_RATIO_TARGET = 2.0
REIMPORT_RATIO_TARGET = 1.5

FLOOR_INCLUDES = (
    "unzip + UTF-8 decode + CSV parse + one atomic() insert_all of the raw rows "
    "(WAL, synchronous=FULL)"
)


def rows(count: int, start: int = 0) -> list[list[str]]:
    """Synthetic connections, a quarter with an e-mail address."""
    out = []
    for i in range(start, start + count):
        out.append(
            [
                f"Person{i}",
                f"Example{i % 997}",
                f"https://www.linkedin.com/in/person-{i}-example",
                f"person{i}@example.invalid" if i % 4 == 0 else "",
                COMPANIES[i % len(COMPANIES)],
                POSITIONS[i % len(POSITIONS)],
                f"{(i % 28) + 1:02d} {MONTHS[i % 12]} {2026 - i % 18}",
            ]
        )
    return out


def export_zip(data_rows: list[list[str]]) -> bytes:
    """A Basic_LinkedInDataExport ZIP with these rows in Connections.csv."""
    text = io.StringIO()
    text.write(PREAMBLE)
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(data_rows)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("Connections.csv", text.getvalue())
    return buffer.getvalue()


def fresh_store(folder: Path, name: str) -> Store:
    """A new, migrated store with one person in it."""
    store = Store(folder / f"{name}.db")
    users.touch_user(store.db, 1, 1, "Bench")
    return store


def floor_database(path: Path) -> Database:
    """An empty database set up as storage.store.Store sets up its own."""
    db = Database(sqlite3.connect(str(path)))
    db.enable_wal()
    db.execute("PRAGMA synchronous = FULL")
    db.execute(f"PRAGMA wal_autocheckpoint = {AUTOCHECKPOINT_PAGES}")
    return db


def parse_bare(data: bytes) -> list[list[str]]:
    """Unzip, decode and parse Connections.csv into rows, header first: nothing more."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        text = archive.read("Connections.csv").decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text[text.index("First Name") :], newline="")))


def parse_only(data: bytes, db: Database) -> None:
    """The floor's first half alone (the database is opened only to be closed)."""
    parse_bare(data)


def floor(data: bytes, db: Database) -> None:
    """The least an import of these bytes can cost (see the module docstring)."""
    parsed = parse_bare(data)
    with db.atomic():
        # List mode (header first) is insert_all's cheaper path: no dict per row.
        db.table("raw").insert_all(parsed)


def floor_sqlite3(data: bytes, db: Database) -> None:
    """The floor with sqlite3's executemany in place of insert_all (a reference figure)."""
    header, *data_rows = parse_bare(data)
    columns = ", ".join(f"c{i}" for i in range(len(header)))
    with db.atomic():
        db.execute(f"CREATE TABLE raw ({columns})")
        db.conn.executemany(f"INSERT INTO raw VALUES ({', '.join('?' * len(header))})", data_rows)


def old_baseline(data_rows: list[list[str]], db: Database) -> None:
    """The README's former baseline: parsed rows, insert_all with a commit per batch."""
    db.table("raw").insert_all(dict(zip(HEADER, r, strict=True)) for r in data_rows)


def our_import(data: bytes, store: Store) -> None:
    """Everything the bot does with an upload, minus Telegram."""
    apply_import(store.db, 1, read_export(data, "export.zip"), "export.zip")


Series = tuple[Callable[[int], Any], Callable[[Any], None]]


def timed_rounds(runs: int, series: dict[str, Series]) -> dict[str, list[float]]:
    """Run each series' `work(prepare(i))` once per round; the durations of `work` alone.

    Round 0 is an untimed warm-up (first imports, compiled patterns, a cold file cache).
    Each database is closed before the next run, so no earlier store's background
    checkpoint competes with the one being timed.
    """
    times: dict[str, list[float]] = {name: [] for name in series}
    for i in range(runs + 1):
        for name, (prepare, work) in series.items():
            arg = prepare(i)
            started = time.perf_counter()
            work(arg)
            elapsed = time.perf_counter() - started
            arg.close()
            if i:
                times[name].append(elapsed)
    return times


def machine() -> str:
    """Python, SQLite and sqlite-utils versions, the platform and the CPU count."""
    return (
        f"Python {platform.python_version()} · SQLite {sqlite3.sqlite_version} · "
        f"sqlite-utils {version('sqlite-utils')} · {platform.system()} {platform.machine()} · "
        f"{os.cpu_count()} CPUs"
    )


def arguments(doc: str) -> tuple[argparse.Namespace, int, int]:
    """This benchmark's command line (`--quick`, `--json`); also its rows and runs."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3,000 rows, 2 runs")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    count, runs = (3_000, 2) if args.quick else (30_000, 5)
    return args, count, runs


def main() -> None:
    """Measure, print a results block, optionally write JSON."""
    args, count, runs = arguments(__doc__)

    first_rows = rows(count)
    first = export_zip(first_rows)
    # 250 people gone, 250 new: the same export a year later.
    changed = export_zip(first_rows[250:] + rows(250, start=count))
    # The inputs (30,000 raw rows kept for the old baseline) are not part of the bot's
    # heap; freeze them so the garbage collector does not rescan them during timing.
    gc.collect()
    gc.freeze()

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)

        def new_store(i: int, label: str) -> Store:
            return fresh_store(folder, f"{label}{i}")

        def prepared_reimport(i: int) -> Store:
            store = new_store(i, "re")
            our_import(first, store)
            for n, c in enumerate(search.find(store.db, 1, "person1", limit=400)):
                decisions.decide(store.db, 1, c.id, "cut" if n % 5 == 0 else "keep")
            return store

        # Memory first: the peak RSS is the process's, so any earlier run would hide it;
        # and apart from tracemalloc, whose own records would count as growth.
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        store = new_store(98, "mem")
        our_import(first, store)
        rss_growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before
        store.close()
        store = new_store(99, "mem")
        tracemalloc.start()
        our_import(first, store)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        store.close()

        times = timed_rounds(
            runs,
            {
                "floor": (
                    lambda i: floor_database(folder / f"floor{i}.db"),
                    lambda db: floor(first, db),
                ),
                "import": (lambda i: new_store(i, "ours"), lambda s: our_import(first, s)),
                "reimport": (prepared_reimport, lambda s: our_import(changed, s)),
                "parse_bare": (
                    lambda i: floor_database(folder / f"parse{i}.db"),
                    lambda db: parse_only(first, db),
                ),
                "floor_sqlite3": (
                    lambda i: floor_database(folder / f"floor3-{i}.db"),
                    lambda db: floor_sqlite3(first, db),
                ),
                "old_baseline": (
                    lambda i: Database(folder / f"old{i}.db"),
                    lambda db: old_baseline(first_rows, db),
                ),
            },
        )

    med = {name: statistics.median(series) for name, series in times.items()}
    figures: dict[str, Any] = {
        "rows": count,
        "runs": runs,
        "zip_bytes": len(first),
        "machine": machine(),
        "floor_includes": FLOOR_INCLUDES,
        **{f"{name}_median_s": value for name, value in med.items()},
        "import_ratio": med["import"] / med["floor"],
        "reimport_ratio": med["reimport"] / med["floor"],
        "import_vs_floor_sqlite3": med["import"] / med["floor_sqlite3"],
        "peak_python_mb": peak / 1e6,
        "peak_rss_growth_mb": rss_growth / 1024,
    }
    checks = {
        "import < 1.5 s": med["import"] < 1.5,
        f"import <= {IMPORT_RATIO_TARGET}x floor": figures["import_ratio"] <= IMPORT_RATIO_TARGET,
        "re-import < 1.5 s": med["reimport"] < 1.5,
        f"re-import <= {REIMPORT_RATIO_TARGET}x floor": (
            figures["reimport_ratio"] <= REIMPORT_RATIO_TARGET
        ),
        "memory growth < 150 MB": max(figures["peak_python_mb"], figures["peak_rss_growth_mb"])
        < 150,
    }
    print(f"import_bench: {count:,} rows ({len(first):,} B ZIP), median of {runs} runs")
    print(f"  {machine()}")
    print(f"  floor: {FLOOR_INCLUDES}")
    print(f"    floor                              {med['floor']:.3f} s")
    print(f"    of which unzip + decode + parse    {med['parse_bare']:.3f} s")
    print(
        f"  import (parse + merge + store)       {med['import']:.3f} s   "
        f"{figures['import_ratio']:.2f}× floor (target ≤ {IMPORT_RATIO_TARGET})"
    )
    print(
        f"  re-import, 500 changes               {med['reimport']:.3f} s   "
        f"{figures['reimport_ratio']:.2f}× floor (target ≤ {REIMPORT_RATIO_TARGET})"
    )
    print("  for reference, no targets:")
    print(
        f"    floor via sqlite3 executemany      {med['floor_sqlite3']:.3f} s   "
        f"import is {figures['import_vs_floor_sqlite3']:.2f}× this"
    )
    print(
        f"    old baseline: parsed rows, insert_all with a commit per 100 rows, no WAL "
        f"{med['old_baseline']:.3f} s"
    )
    print(
        f"  peak memory growth                   {figures['peak_python_mb']:.0f} MB Python, "
        f"{figures['peak_rss_growth_mb']:.0f} MB RSS"
    )
    if not args.quick:
        for name, ok in checks.items():
            print(f"  {'met ' if ok else 'MISSED'} {name}")
    if args.json:
        args.json.write_text(json.dumps({**figures, "targets": checks}, indent=2))


if __name__ == "__main__":
    main()
