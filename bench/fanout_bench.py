"""How fast keepcut sends scheduled messages when many people are due in the same minute.

Run:  .venv/bin/python bench/fanout_bench.py            (2,000 people at 30/s, then 300/s)
      .venv/bin/python bench/fanout_bench.py --quick    (a smoke test: 60 people, 300/s)

Needs the test extra (the local Telegram Bot API test server). 2,000 people, each with a
small network and a weekly progress summary due at the same minute (Monday 09:00 UTC),
are put in a fresh store. The real bot, as its own process (tests/run_bot_at.py, which
runs `python -m bot`'s main), starts on a clock set a few seconds before that minute,
against the local test server in this process with its flood control on: 1 message a
second to a chat, and at most N a second in all (30, Telegram's limit; then 300 to keep
a run short). The bot's own limiter is set to just under N. The bot's sweep job wakes at
the minute and sends. The script prints:

  rate      messages delivered per second, from the first to the last, as a fraction of
            the allowed N (target at least 0.9)
  429s      flood-control refusals the server answered, and how many the bot retried
  latency   seconds from the due minute to the last delivery
  once      whether every person got exactly one message (and nobody two)

The server and the simulated people share this process and the machine's cores with the
bot, on loopback; the figures include that harness's own CPU time.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

os.environ.setdefault("PTB_TIMEDELTA", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from processes import bot_environment, stop

from storage import schedules, users
from storage.merge import apply_import
from storage.store import Store
from tests.records import export, person
from tests.telegram_server import TelegramServer

DUE = datetime(2027, 3, 15, 9, 0, tzinfo=UTC)  # a Monday, 09:00 in UTC
LAUNCHER = Path(__file__).resolve().parent.parent / "tests" / "run_bot_at.py"
FIRST_USER = 10_000


def seed(path: Path, people: int) -> None:
    """A store where `people` people each have five connections and a summary due at DUE."""
    store = Store(path)
    db = store.db
    for n in range(people):
        user_id = FIRST_USER + n
        users.touch_user(db, user_id, user_id, f"Person {n}")
        apply_import(db, user_id, export([person(f"p{n}-{i}") for i in range(5)]))
        schedules.save(db, user_id, "summary", {"every": "weekly"}, DUE, True)
    store.close()


async def fan_out(people: int, allowed: int, folder: Path) -> dict[str, Any]:
    """One round: seed, start the bot a few seconds before DUE, wait for every message."""
    db_path = folder / f"fanout-{allowed}.db"
    seed(db_path, people)
    async with TelegramServer(flood_control=True, flood_overall=allowed) as server:
        chats = [server.user(FIRST_USER + n, f"Person {n}") for n in range(people)]
        env = bot_environment(server, db_path)
        lead = 4.0  # seconds of the bot's clock before the due minute
        process = await asyncio.create_subprocess_exec(
            sys.executable, str(LAUNCHER), (DUE - timedelta(seconds=lead)).isoformat(),
            f"messages_per_second={allowed * 0.97}", env=env, cwd=folder,
        )  # fmt: skip
        due_wall = time.time() + lead  # the bot's clock starts a moment later: a bound
        try:
            await server.wait_for(
                lambda: sum(len(c.messages) for c in chats) >= people,
                timeout=people / allowed * 4 + 60,
            )
            await asyncio.sleep(1.5)  # anything sent twice would arrive now
        finally:
            await stop(process)
        sends = [r for r in server.requests if r.method == "sendMessage"]
        delivered = sorted(r.time for r in sends if r.ok)
        refused = sum(1 for r in sends if r.status == 429)
        per_person = Counter(len(c.messages) for c in chats)
    span = delivered[-1] - delivered[0]
    rate = (len(delivered) - 1) / span if span > 0 else float("inf")
    return {
        "people": people,
        "allowed_per_second": allowed,
        "delivered": len(delivered),
        "rate_per_second": round(rate, 1),
        "rate_fraction": round(rate / allowed, 3),
        "http_429": refused,
        "first_delivery_s": round(delivered[0] - due_wall, 2),
        "due_to_last_delivery_s": round(delivered[-1] - due_wall, 2),
        "exactly_once": per_person == Counter({1: people}),
    }


def report(rounds: list[dict[str, Any]], quick: bool) -> str:
    """The results as a block of plain text for the README."""
    lines = [
        f"keepcut fan-out benchmark{' (quick: smoke test only)' if quick else ''}",
        f"Python {platform.python_version()}, {os.cpu_count()} CPUs, {platform.machine()}",
    ]
    for r in rounds:
        lines.append(
            f"{r['people']:,} people due at once, allowed {r['allowed_per_second']}/s: "
            f"{r['rate_per_second']}/s = {r['rate_fraction']:.2f} of allowed "
            f"({'MET' if r['rate_fraction'] >= 0.9 else 'MISSED'} ≥ 0.9); "
            f"429s: {r['http_429']}; first after {r['first_delivery_s']} s, last after "
            f"{r['due_to_last_delivery_s']} s; exactly one each: {r['exactly_once']}"
        )
    return "\n".join(lines)


async def main() -> None:
    """Run the rounds and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="a smoke test: 60 people")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    args = parser.parse_args()
    plan = [(60, 300)] if args.quick else [(2000, 30), (2000, 300)]
    with tempfile.TemporaryDirectory() as folder:
        rounds = [await fan_out(people, allowed, Path(folder)) for people, allowed in plan]
    print(report(rounds, args.quick))
    if args.json:
        args.json.write_text(json.dumps(rounds, indent=2))


if __name__ == "__main__":
    asyncio.run(main())
