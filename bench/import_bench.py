"""How fast keepcut imports a 30,000-row LinkedIn export, against a bare sqlite-utils insert.

Run:  python bench/import_bench.py            (full: 30,000 rows, 5 runs each)
      python bench/import_bench.py --quick    (3,000 rows, 2 runs: a smoke test)

It makes a synthetic export of LinkedIn's cap (30,000 connections, today's shape,
zipped) and times, in one run, on fresh databases each time:

  ours      read_export (safe ZIP, decode, header, dates, identity) + apply_import
            (merge into the store, one transaction), i.e. everything the bot does
  baseline  the same raw rows, already split into cells, inserted with sqlite-utils
            insert_all into an empty table (the least any import could cost)
  reimport  the same export again with 500 changes (250 new, 250 gone) into a store
            that already holds the first import and some decisions

It prints the medians, ours/baseline, and the peak memory growth of one import
(Python allocations via tracemalloc, plus the process's peak RSS growth).
"""

from __future__ import annotations

import argparse
import csv
import gc
import io
import json
import platform
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlite_utils import Database

from storage import decisions, search, users
from storage.export import read_export
from storage.merge import apply_import
from storage.store import Store

PREAMBLE = (
    'Notes:\n"When exporting your connection data, you may notice that some of the email '
    'addresses are missing."\n\n'
)
HEADER = ["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"]
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
COMPANIES = ("Northwind Analytics, Inc.", "Contoso", "Fabrikam", "Tailspin Toys", "Initech")
POSITIONS = ("Director of People Ops", "Senior Engineer", "Product Manager, Cloud & API", "CTO")


def rows(count: int, start: int = 0) -> list[list[str]]:
    """Synthetic connections, newest first, a quarter with an e-mail address."""
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


def our_import(data: bytes, store: Store) -> None:
    """Everything the bot does with an upload, minus Telegram."""
    apply_import(store.db, 1, read_export(data, "export.zip"), "export.zip")


def baseline(data_rows: list[list[str]], db: Database) -> None:
    """The bare minimum: insert the raw rows into an empty table."""
    db.table("raw").insert_all(dict(zip(HEADER, r, strict=True)) for r in data_rows)


def timed(runs: int, prepare: Callable[[int], Any], work: Callable[[Any], None]) -> list[float]:
    """Run `work(prepare(i))` `runs` times; return the durations of `work` alone.

    Each database is closed before the next run, so no earlier store's background
    checkpoint competes with the one being timed.
    """
    times = []
    for i in range(runs):
        arg = prepare(i)
        started = time.perf_counter()
        work(arg)
        times.append(time.perf_counter() - started)
        arg.close()
    return times


def main() -> None:
    """Measure, print a results block, optionally write JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3,000 rows, 2 runs")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    count, runs = (3_000, 2) if args.quick else (30_000, 5)

    first_rows = rows(count)
    first = export_zip(first_rows)
    # 250 people gone, 250 new: the same export a year later.
    changed = export_zip(first_rows[250:] + rows(250, start=count))
    # The inputs (30,000 raw rows kept for the baseline) are not part of the bot's
    # heap; freeze them so the garbage collector does not rescan them during timing.
    gc.collect()
    gc.freeze()

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)

        def new_store(i: int, label: str) -> Store:
            return fresh_store(folder, f"{label}{i}")

        ours = timed(runs, lambda i: new_store(i, "ours"), lambda s: our_import(first, s))
        base = timed(
            runs, lambda i: Database(folder / f"base{i}.db"), lambda db: baseline(first_rows, db)
        )

        def prepared_reimport(i: int) -> Store:
            store = new_store(i, "re")
            our_import(first, store)
            for n, c in enumerate(search.find(store.db, 1, "person1", limit=400)):
                decisions.decide(store.db, 1, c.id, "cut" if n % 5 == 0 else "keep")
            return store

        again = timed(runs, prepared_reimport, lambda s: our_import(changed, s))

        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        store = new_store(99, "mem")
        tracemalloc.start()
        our_import(first, store)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        rss_growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before
        store.close()

    figures = {
        "rows": count,
        "runs": runs,
        "ours_median_s": statistics.median(ours),
        "baseline_median_s": statistics.median(base),
        "reimport_median_s": statistics.median(again),
        "peak_python_mb": peak / 1e6,
        "peak_rss_growth_mb": rss_growth / 1024,
    }
    figures["ratio"] = figures["ours_median_s"] / figures["baseline_median_s"]
    checks = {
        "import < 1.5 s": figures["ours_median_s"] < 1.5,
        "ratio <= 2.0": figures["ratio"] <= 2.0,
        "memory growth < 150 MB": max(figures["peak_python_mb"], figures["peak_rss_growth_mb"])
        < 150,
        "re-import < 1.5 s": figures["reimport_median_s"] < 1.5,
    }
    print(
        f"import_bench: {count:,} rows, median of {runs} runs, Python {platform.python_version()}"
    )
    print(f"  ours (parse + merge + store) {figures['ours_median_s']:.3f} s")
    print(f"  baseline (insert_all raw)    {figures['baseline_median_s']:.3f} s")
    print(f"  ratio ours/baseline          {figures['ratio']:.2f}")
    print(f"  re-import, 500 changes       {figures['reimport_median_s']:.3f} s")
    print(
        f"  peak memory growth           {figures['peak_python_mb']:.0f} MB Python, "
        f"{figures['peak_rss_growth_mb']:.0f} MB RSS"
    )
    if not args.quick:
        for name, ok in checks.items():
            print(f"  {'met ' if ok else 'MISSED'} {name}")
    if args.json:
        args.json.write_text(json.dumps({**figures, "targets": checks}, indent=2))


if __name__ == "__main__":
    main()
