"""How long one Keep/Cut/Skip press takes: in the store, and end to end through Telegram.

Run from the repository root::

    .venv/bin/python bench/review_bench.py            # full run (under ~3 minutes)
    .venv/bin/python bench/review_bench.py --quick    # smoke run (a few seconds)
    .venv/bin/python bench/review_bench.py --json results.json

What is measured
----------------
1. In-process press work. A fresh SQLite store (storage.store.Store, in a temporary
   folder) is filled through storage.merge.apply_import with synthetic exports: 50
   people with 2,000 connections each and one person with 30,000 (about 30% of the
   connections carry messages/endorsements/recommendations, so the weakest-first queue
   has a realistic shape). Then, for the 30,000 person, each press does what the
   button handler asks of the store and the renderer: storage.decisions.decide (commit the
   decision), storage.cards.card_view (pick the next card, progress, undo target) and
   bot.render.cards.render (text and keyboard). 5,000 presses, roughly 55% keep, 35% cut,
   10% skip; the same for one 2,000 person (1,500 presses, three quarters of their
   network). Calls are synchronous, in this thread, with no event loop: this is the
   work the bot's database thread and the handler do per press, without Telegram.
   Figures: median and p99 (nearest rank) in milliseconds. Target: p99 under 5 ms at
   30,000 connections.

2. Round trip through the local Telegram Bot API test server (tests/telegram_server.py,
   loopback only, flood control off as by default). The real keepcut program is started
   as its own process (tests/run_bot_at.py, which runs bot.__main__.main) on a copy of
   the seeded store, so its 50 people (2,000 connections each) need no upload; each sends
   /review and gets a card. A press is timed from the moment its callback query is
   queued at the server to the moment the edited card has arrived there (the test
   user's wait_for_edit returning).
   The bare bot (bench/bare_bot.py) is a python-telegram-bot Application, also its own
   process on its own test server, with one CallbackQueryHandler that answers the query
   and edits the card to the next of keepcut's own cards, recorded from keepcut's
   presses in this run (same text, HTML, buttons and callback data), so both move the
   same bytes. Both use the same Defaults (HTML parse mode, no link previews) and long
   polling. Concurrency: keepcut runs its own PerPersonUpdateProcessor (bot/updates.py);
   the bare bot uses concurrent_updates(True). keepcut also runs the rate limiter
   build_application installs (bot/ratelimit.py; set to no spacing, as the server
   enforces none), so a third bot is the bare one with that same limiter, to tell the
   limiter's share from keepcut's own work. A fourth, in the one-person round only, is
   the bare bot storing each press before answering it: one row, one transaction, in an
   SQLite database set up as keepcut's store is (WAL, synchronous = FULL, so fsynced),
   the least that keeping a decision on disk before the answer can cost; it shows how
   much of keepcut's extra is that durability, which the bare bot does not have.
   One person pressing in turn (what a person on a phone does): press Keep, wait for
   the edited card, press Cut, and so on, at 2,000 connections. Each bot first gets its
   untimed warm-up presses; then the four run side by side and take turns in a
   rotating order, 400 timed presses per bot in turns of 50 (each turn led in by 5
   untimed presses, as the others took the caches meanwhile), so that a slower or
   faster spell of the machine falls on all of them alike.
   Many at once: round after round, all 50 people tap Keep at the same moment and each
   waits for its card to be edited, after one untimed round; each of the first three
   bots runs this alone.
   Figures: median and p90 per press in milliseconds, and keepcut/bare ratios.
   Target: the one-person median ratio keepcut/bare at most 1.25; with 50 at once, no
   worse than before. keepcut/(bare+fsync) is printed beside it, with no target.

Reading the results block
-------------------------
The block printed at the end is plain text meant to be pasted into the README: the
machine (Python, SQLite, PTB, CPUs), store size and build time, the two in-process lines,
the round-trip lines and ratios, and MET/MISSED per target. The --quick run uses a much
smaller store and fewer users, so its numbers are a smoke test only and are marked as such;
the targets are about the full run's sizes.

The test server, its test users and the bot share this one process and event loop, so
a round-trip figure includes the harness's own CPU time (HTTP on both sides, the
server's HTML parsing of each card); with 50 people pressing at once the run is
CPU-bound, and the figures mostly show how much work a press costs while others queue.
The script exits 0 whether or not a target is met, and non-zero only when something
breaks (every wait is bounded, so it always ends).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import math
import os
import platform
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

# Before telegram is imported: RetryAfter.retry_after as a timedelta, no deprecation warning.
os.environ.setdefault("PTB_TIMEDELTA", "1")
# bench/ is a plain folder of scripts: make the repository (bot, storage, tests) importable.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import telegram
from processes import bot_environment, stop
from sqlite_utils import Database
from telegram import InlineKeyboardMarkup

from bot import texts
from bot.ratelimit import ChatRateLimiter
from bot.render import cards
from bot.updates import PerPersonUpdateProcessor
from storage import decisions, users
from storage.cards import card_view
from storage.export import Signals
from storage.merge import apply_import
from storage.records import Decision, Order, Walk
from storage.store import Store
from tests.records import export, person
from tests.telegram_server import TelegramServer
from tests.user import BotMessage, TelegramUser

ROOT = Path(__file__).resolve().parent.parent
LAUNCHER = ROOT / "tests" / "run_bot_at.py"  # keepcut's main(), as `python -m bot` runs it
BARE_BOT = ROOT / "bench" / "bare_bot.py"
IN_PROCESS_TARGET_MS = 5.0
RATIO_TARGET = 1.25
SEED = 20_240_601
SOLO_BLOCK = 50  # timed presses per turn in the one-person round
SOLO_LEAD_IN = 5  # untimed presses that start each turn

FIRST_NAMES = (
    "Ana", "Björn", "Chloé", "Dmitri", "Esther", "François", "Grace", "Hiroshi", "Ingrid",
    "José", "Kwame", "Léa", "Mateo", "Nadia", "Oğuz", "Priya", "Quentin", "Rosa", "Søren",
    "Tomás", "Uma", "Valentina", "Wei", "Ximena", "Yusuf", "Zoë",
)  # fmt: skip
LAST_NAMES = (
    "Anderson", "Brown", "Çelik", "Dubois", "Estévez", "Fischer", "García", "Hansen",
    "Ivanova", "Jäger", "Kowalski", "López", "Müller", "Nguyen", "O'Brien", "Petrov",
    "Quinn", "Rossi", "Schmidt", "Tanaka", "Újvári", "Van der Berg", "Wójcik", "Zhang",
)  # fmt: skip
COMPANIES = (
    "Northwind", "Contoso", "Smith & Sons", "Globex", "Initech", "Umbrella <Labs>",
    "Hooli", "Acme Corporation International Holdings", "", "Wayne Enterprises",
)  # fmt: skip
POSITIONS = (
    "Engineer", "Senior Software Engineer", "Head of Growth & Partnerships", "Recruiter",
    "CTO", "Product Manager", "Talent Acquisition Specialist", "", "Founder", "Consultant",
)  # fmt: skip
# Roughly what people press: mostly keep and cut, sometimes skip.
ACTIONS: tuple[Decision, ...] = ("keep", "cut", "skip")
ACTION_WEIGHTS = (55, 35, 10)

QUIET_LOGGERS = (
    "httpx", "httpcore", "telegram", "apscheduler", "aiohttp", "asyncio", "bot", "storage",
    "tests", "aiolimiter",
)  # fmt: skip


@dataclass(frozen=True)
class Plan:
    """The sizes of one run."""

    name: str
    people: int
    connections_each: int
    big_connections: int
    presses: int
    e2e_users: int
    e2e_rounds: int
    e2e_timeout: float
    solo_presses: int
    warm_up: float  # seconds of untimed presses before the one-person round
    warm_up_presses: int

    @property
    def small_presses(self) -> int:
        """Presses for the small person: three quarters of their network, at most `presses`."""
        return min(self.presses, self.connections_each * 3 // 4)


FULL = Plan("full", 50, 2_000, 30_000, 5_000, 50, 20, 300.0, 400, 7.0, 1_200)
QUICK = Plan("quick", 5, 200, 3_000, 300, 5, 5, 60.0, 30, 0.5, 60)


@dataclass
class Latencies:
    """Timings of one series, in milliseconds."""

    label: str
    samples_ms: list[float] = field(default_factory=list)
    setup: str = ""

    @property
    def median(self) -> float:
        """The median."""
        return statistics.median(self.samples_ms)

    def pct(self, p: float) -> float:
        """The p-th percentile, nearest rank."""
        return percentile(self.samples_ms, p)

    def summary(self) -> dict[str, Any]:
        """Numbers for the JSON file."""
        return {
            "label": self.label,
            "setup": self.setup,
            "count": len(self.samples_ms),
            "median_ms": round(self.median, 4),
            "p90_ms": round(self.pct(90), 4),
            "p99_ms": round(self.pct(99), 4),
            "max_ms": round(max(self.samples_ms), 4),
        }


def percentile(samples: Sequence[float], p: float) -> float:
    """The p-th percentile of the samples by the nearest-rank method."""
    ordered = sorted(samples)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def quiet_logging() -> None:
    """Keep library and bot logging out of the benchmark's output."""
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)


# -- the store ---------------------------------------------------------------------------------


def synthetic_network(user_id: int, size: int, rng: random.Random) -> Any:
    """A full-archive ParsedExport of `size` people, about 30% with relationship signals."""
    people = []
    signals: dict[str, Signals] = {}
    start = date(2008, 1, 1)
    for i in range(size):
        connected = start + timedelta(days=rng.randrange(6_200)) if rng.random() > 0.01 else None
        record = person(
            f"u{user_id}-{i:05d}",
            first=rng.choice(FIRST_NAMES),
            last=rng.choice(LAST_NAMES),
            company=rng.choice(COMPANIES),
            position=rng.choice(POSITIONS),
            connected_on=connected,
        )
        people.append(record)
        if rng.random() < 0.3:
            sent, received = rng.choice((0, 0, 1, 3, 12)), rng.choice((0, 1, 2, 8, 40))
            signals[record.key] = Signals(
                messages_sent=sent,
                messages_received=received,
                last_message_on=(
                    start + timedelta(days=rng.randrange(6_200)) if sent + received else None
                ),
                endorsements_received=rng.choice((0, 0, 0, 1, 4)),
                endorsements_given=rng.choice((0, 0, 0, 2)),
                recommendations_received=int(rng.random() < 0.03),
                recommendations_given=int(rng.random() < 0.02),
                invited_by=rng.choice((None, "me", "them")),
            )
    return export(people, signals, full=True)


def seed_store(db: Database, plan: Plan, rng: random.Random) -> tuple[int, int]:
    """Fill the store; return the ids of the big person and of one small person."""
    big_id = plan.people + 1
    sizes = [(uid, plan.connections_each) for uid in range(1, plan.people + 1)]
    for uid, size in [*sizes, (big_id, plan.big_connections)]:
        users.touch_user(db, uid, uid, f"User {uid}")
        apply_import(db, uid, synthetic_network(uid, size, rng), file_name="bench.zip")
    return big_id, plan.people


def press_series(
    db: Database, user_id: int, presses: int, rng: random.Random, label: str
) -> Latencies:
    """Time decide + card_view + render, press after press, for one person."""
    today = date.today()
    order: Order = "weakest"
    view = card_view(db, user_id, Walk(order))
    cards.render(view, today)
    result = Latencies(label)
    for _ in range(presses):
        connection = view.connection
        if connection is None:
            break
        action = rng.choices(ACTIONS, ACTION_WEIGHTS)[0]
        started = time.perf_counter()
        decisions.decide(db, user_id, connection.id, action)
        view = card_view(db, user_id, Walk(order))
        cards.render(view, today)
        result.samples_ms.append((time.perf_counter() - started) * 1000)
    return result


# -- the round trip ----------------------------------------------------------------------------


Edit = tuple[str, InlineKeyboardMarkup | None]


async def press_rounds(
    clients: list[TelegramUser], card_list: list[BotMessage], label: str, rounds: int, name: str
) -> Latencies:
    """All users press `label` together, each waits for its card's edit; repeat."""
    result = Latencies(name)

    async def one(client: TelegramUser, card: BotMessage) -> float:
        """One press and the edit it causes, in milliseconds."""
        started = time.perf_counter()
        await client.press(card, label)
        await client.wait_for_edit(card, timeout=30)
        return (time.perf_counter() - started) * 1000

    for round_no in range(rounds + 1):
        timings = await asyncio.gather(
            *(one(c, m) for c, m in zip(clients, card_list, strict=True))
        )
        if round_no:  # round 0 warms up
            result.samples_ms.extend(timings)
    return result


async def press_and_wait(client: TelegramUser, card: BotMessage, label: str) -> float:
    """One press and the edit it causes, in milliseconds."""
    started = time.perf_counter()
    await client.press(card, label)
    await client.wait_for_edit(card, timeout=30)
    return (time.perf_counter() - started) * 1000


async def warm_up(
    client: TelegramUser, card: BotMessage, labels: Sequence[str], plan: Plan
) -> None:
    """Untimed presses, for `plan.warm_up` seconds (at most `plan.warm_up_presses`).

    A bot just started is not yet in the state of one that has run a while (keepcut's
    write-ahead log grows until its first checkpoint, a few seconds in; after that,
    commits reuse it).
    """
    until, n = time.perf_counter() + plan.warm_up, 0
    while time.perf_counter() < until and n < plan.warm_up_presses:
        await press_and_wait(client, card, labels[n % len(labels)])
        n += 1


@dataclass
class Presser:
    """One bot in the one-person round: its person, the card on screen, the timings."""

    client: TelegramUser
    card: BotMessage
    result: Latencies


async def press_in_turn(pressers: list[Presser], labels: Sequence[str], plan: Plan) -> None:
    """Each bot's person presses, waits for the edited card, presses the next label…

    The bots take turns, SOLO_BLOCK timed presses each in a rotating order, so that a
    slower or faster spell of this shared machine falls on all of them alike. Each turn
    starts with SOLO_LEAD_IN untimed presses: a bot that sat idle while the others
    pressed has had its caches taken by them, which the first press or two pay for.
    """
    for block in range(math.ceil(plan.solo_presses / SOLO_BLOCK)):
        turn = block % len(pressers)
        for p in pressers[turn:] + pressers[:turn]:
            timed = min(SOLO_BLOCK, plan.solo_presses - block * SOLO_BLOCK)
            for n in range(SOLO_LEAD_IN + timed):
                label = labels[n % len(labels)]
                took = await press_and_wait(p.client, p.card, label)
                if n >= SOLO_LEAD_IN:
                    p.result.samples_ms.append(took)


def edits_since(server: TelegramServer, first: int) -> list[Edit]:
    """The card edits the bot made from request number `first` on: text and keyboard."""
    edits = []
    for request in server.requests[first:]:
        if request.method != "editMessageText" or not request.ok:
            continue
        markup = request.params.get("reply_markup")
        if isinstance(markup, str):
            markup = json.loads(markup)
        keyboard = InlineKeyboardMarkup.de_json(markup, None) if markup else None
        edits.append((str(request.params["text"]), keyboard))
    return edits


@dataclass
class Trips:
    """One bot's two rounds: one person pressing in turn, and many at once."""

    solo: Latencies
    many: Latencies


@asynccontextmanager
async def bot_process(
    server: TelegramServer, command: list[str], env: dict[str, str] | None = None
) -> AsyncIterator[None]:
    """A bot as its own process against `server`, stopped with SIGTERM at the end."""
    environment = {**bot_environment(server), **(env or {})}
    polls = len(server.calls("getUpdates"))
    process = await asyncio.create_subprocess_exec(
        sys.executable, *command, env=environment, stderr=asyncio.subprocess.DEVNULL
    )
    try:
        await server.wait_for(lambda: len(server.calls("getUpdates")) > polls, timeout=30)
        yield
    finally:
        await stop(process, timeout=20)


async def first_cards(
    server: TelegramServer, people: int
) -> tuple[list[TelegramUser], list[BotMessage]]:
    """The benchmark's people, each with the card /review gave them."""
    clients = [server.user(uid, f"User {uid}") for uid in range(1, people + 1)]
    for client in clients:
        await client.send("/review")
    cards = await asyncio.gather(*(c.next_message(timeout=30) for c in clients))
    for card in cards:
        card.button(texts.BUTTON_KEEP)  # fails loudly if this is not a card
    return clients, list(cards)


def write_cards(path: Path, edits: list[Edit]) -> Path:
    """Keepcut's cards as JSON for the bare bot: the last one first (/review sends it)."""
    ordered = [edits[-1], *edits]
    path.write_text(
        json.dumps([{"text": t, "markup": m.to_dict() if m else None} for t, m in ordered]),
        encoding="utf-8",
    )
    return path


def bare_command(cards_file: Path, limiter: bool, journal: Path | None = None) -> list[str]:
    """The bare bot's command line: keepcut's rate limiter in front or not, durable or not."""
    durable = ["--durable", str(journal)] if journal else []
    return [str(BARE_BOT), str(cards_file), *(["--limiter"] if limiter else []), *durable]


def bare_setup(limiter: bool, durable: bool = False) -> str:
    """How the bare bot runs, for its label."""
    return (
        "concurrent_updates(True)"
        + (f" + keepcut's {ChatRateLimiter.__name__}" if limiter else "")
        + (" + one fsynced row a press" if durable else "")
    )


async def round_trips(db_path: Path, plan: Plan) -> tuple[list[Trips], Latencies]:
    """keepcut and the bare bots (bounded); see _round_trips."""
    async with asyncio.timeout(3 * plan.e2e_timeout):
        return await _round_trips(db_path, plan)


async def _round_trips(db_path: Path, plan: Plan) -> tuple[list[Trips], Latencies]:
    """keepcut, the bare bot, and the bare bot with keepcut's rate limiter; and, for one
    person only, the bare bot storing each press durably.

    The one-person round runs the four side by side (each with its own test server),
    taking turns; the many-at-once round runs each of the first three alone, keepcut
    first, since the bare bot shows keepcut's cards from that round.
    """
    # The test server enforces no flood limits here, and the presses come at machine
    # speed: keepcut's limiter, which would space them as Telegram wants, is set to
    # match the server (no spacing), so what is timed is the work of a press.
    lifted = ["private_chat_interval=0", "group_chat_interval=0", "messages_per_second=100000"]
    keepcut_command = [str(LAUNCHER), datetime.now(UTC).isoformat(), *lifted]
    labels = (texts.BUTTON_KEEP, texts.BUTTON_CUT)  # on every one of keepcut's cards
    names = ("keepcut", "bare", "bare+limiter")
    solos = [Latencies(name) for name in names]
    solos[0].setup = f"{PerPersonUpdateProcessor.__name__} + {ChatRateLimiter.__name__}"
    solos[1].setup, solos[2].setup = bare_setup(False), bare_setup(True)
    durable = Latencies("bare+fsync", setup=bare_setup(False, durable=True))
    folder = db_path.parent
    env = {"KEEPCUT_DB": str(db_path)}
    async with TelegramServer() as server, bot_process(server, keepcut_command, env):
        clients, cards = await first_cards(server, plan.e2e_users)
        mark = len(server.requests)
        await warm_up(clients[0], cards[0], labels, plan)
        solo_cards = write_cards(folder / "solo-cards.json", edits_since(server, mark))
        async with contextlib.AsyncExitStack() as bare_bots:
            pressers = [Presser(clients[0], cards[0], solos[0])]
            journal = folder / "bare-presses.db"
            bare_runs = (
                (False, None, solos[1]),
                (True, None, solos[2]),
                (False, journal, durable),
            )
            for limiter, journal_path, result in bare_runs:
                bare_server = await bare_bots.enter_async_context(TelegramServer())
                command = bare_command(solo_cards, limiter, journal_path)
                await bare_bots.enter_async_context(bot_process(bare_server, command))
                bare_clients, bare_cards = await first_cards(bare_server, 1)
                await warm_up(bare_clients[0], bare_cards[0], labels, plan)
                pressers.append(Presser(bare_clients[0], bare_cards[0], result))
            await press_in_turn(pressers, labels, plan)
        # The bare bots have stopped: keepcut's round with many people runs alone.
        mark = len(server.requests)
        many = [await press_rounds(clients, cards, texts.BUTTON_KEEP, plan.e2e_rounds, "keepcut")]
        many_cards = write_cards(folder / "many-cards.json", edits_since(server, mark))
    for limiter, name in ((False, "bare"), (True, "bare+limiter")):
        command = bare_command(many_cards, limiter)
        async with TelegramServer() as bare_server, bot_process(bare_server, command):
            bare_clients, bare_cards = await first_cards(bare_server, plan.e2e_users)
            label = texts.BUTTON_KEEP
            many.append(await press_rounds(bare_clients, bare_cards, label, plan.e2e_rounds, name))
    for solo, rounds in zip(solos, many, strict=True):
        rounds.setup = solo.setup
    return [Trips(solo, rounds) for solo, rounds in zip(solos, many, strict=True)], durable


# -- report ------------------------------------------------------------------------------------


def verdict(ok: bool) -> str:
    """MET or MISSED."""
    return "MET" if ok else "MISSED"


def report(
    plan: Plan,
    build_seconds: float,
    big: Latencies,
    small: Latencies,
    trips: list[Trips],
    durable: Latencies,
) -> tuple[str, dict[str, Any]]:
    """The copy-pasteable results block and the same numbers for JSON."""
    keepcut, bare, *limited = trips
    solo_ratio = keepcut.solo.median / bare.solo.median
    durable_ratio = keepcut.solo.median / durable.median
    many_ratio = keepcut.many.median / bare.many.median
    machine = (
        f"Python {platform.python_version()} · SQLite {sqlite3.sqlite_version} · "
        f"PTB {telegram.__version__} · {platform.system()} {platform.machine()} · "
        f"{os.cpu_count()} CPUs"
    )
    note = " (smoke run: small sizes, figures indicative only)" if plan.name == "quick" else ""
    width = max(len(solo.setup) for solo in [*(t.solo for t in trips), durable])

    def row(name: str, t: Latencies) -> str:
        """One bot's line in one round."""
        return f"  {name:<8} {t.setup:<{width}}  median {t.median:6.1f}  p90 {t.pct(90):6.1f}"

    def rows(pick: str) -> list[str]:
        """One line per bot for one round."""
        return [row("keepcut" if t is keepcut else "bare PTB", getattr(t, pick)) for t in trips]

    extra = (
        f"   keepcut/(bare+limiter): {keepcut.many.median / limited[0].many.median:.2f}"
        if limited
        else ""
    )
    lines = [
        f"keepcut review benchmark ({plan.name}){note}",
        machine,
        f"store: {plan.people} × {plan.connections_each:,} + 1 × {plan.big_connections:,} "
        f"connections, built in {build_seconds:.1f} s",
        "in-process press (decide + card_view + render), ms:",
        *(
            f"  {size:>6,} connections, {len(t.samples_ms):>5,} presses: median "
            f"{t.median:5.2f}  p99 {t.pct(99):5.2f}  max {max(t.samples_ms):5.2f}"
            for size, t in ((plan.big_connections, big), (plan.connections_each, small))
        ),
        "round trip press → edited card (local Bot API server); the bare bot answers and "
        "edits to keepcut's own cards (same text, HTML and keyboard), ms:",
        f" one person pressing Keep/Cut in turn at {plan.connections_each:,} connections, "
        f"{plan.solo_presses} presses:",
        *rows("solo"),
        row("bare PTB", durable),
        f"  keepcut/bare: median {solo_ratio:.2f}   keepcut/(bare+fsync): {durable_ratio:.2f}",
        f" {plan.e2e_users} people pressing at once × {plan.e2e_rounds} rounds = "
        f"{plan.e2e_users * plan.e2e_rounds:,} presses:",
        *rows("many"),
        f"  keepcut/bare: median {many_ratio:.2f}{extra}",
        f"targets: in-process p99 < {IN_PROCESS_TARGET_MS:g} ms at "
        f"{plan.big_connections:,}: {verdict(big.pct(99) < IN_PROCESS_TARGET_MS)} · "
        f"one person's median ratio ≤ {RATIO_TARGET}: {verdict(solo_ratio <= RATIO_TARGET)}",
    ]
    data = {
        "plan": asdict(plan),
        "machine": {
            "python": platform.python_version(),
            "sqlite": sqlite3.sqlite_version,
            "ptb": telegram.__version__,
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
        },
        "store_build_seconds": round(build_seconds, 3),
        "in_process": {"big": big.summary(), "small": small.summary()},
        "round_trip": {
            **{t.solo.label: {"solo": t.solo.summary(), "many": t.many.summary()} for t in trips},
            durable.label: {"solo": durable.summary()},
        },
        "ratios": {
            "solo_median": round(solo_ratio, 4),
            "solo_median_vs_durable": round(durable_ratio, 4),
            "many_median": round(many_ratio, 4),
        },
        "targets": {
            "in_process_p99_ms": IN_PROCESS_TARGET_MS,
            "in_process_met": big.pct(99) < IN_PROCESS_TARGET_MS,
            "solo_median_ratio": RATIO_TARGET,
            "solo_ratio_met": solo_ratio <= RATIO_TARGET,
        },
    }
    return "\n".join(lines), data


def run(plan: Plan, json_path: Path | None) -> str:
    """Build the store, time presses in process and through the test server; report."""
    rng = random.Random(SEED)
    with tempfile.TemporaryDirectory(prefix="keepcut-bench-") as tmp:
        folder = Path(tmp)
        store = Store(folder / "inprocess.db")
        try:
            print(f"building the store ({plan.name}) …", file=sys.stderr, flush=True)
            started = time.perf_counter()
            big_id, small_id = seed_store(store.db, plan, rng)
            build_seconds = time.perf_counter() - started
            # The round trip gets the freshly seeded store, before any press below.
            e2e_path = folder / "roundtrip.db"
            with sqlite3.connect(e2e_path) as target:
                store.db.conn.backup(target)
            target.close()
            print("timing presses in process …", file=sys.stderr, flush=True)
            big = press_series(store.db, big_id, plan.presses, rng, "big")
            small = press_series(store.db, small_id, plan.small_presses, rng, "small")
        finally:
            store.close()
        print("timing round trips via the local Bot API server …", file=sys.stderr, flush=True)
        trips, durable = asyncio.run(round_trips(e2e_path, plan))
    block, data = report(plan, build_seconds, big, small, trips, durable)
    if json_path is not None:
        json_path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return block


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the arguments, run, print the results block."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke run")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the numbers here")
    args = parser.parse_args(argv)
    quiet_logging()
    print(run(QUICK if args.quick else FULL, args.json))
    return 0


if __name__ == "__main__":
    sys.exit(main())
