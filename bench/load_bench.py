"""Load: many people at once, each uploading an export and reviewing cards, against the real bot.

Run:  .venv/bin/python bench/load_bench.py             (200 people, two rounds, ~7 minutes)
      .venv/bin/python bench/load_bench.py --quick     (a smoke test: 10 people × 200 rows)
      .venv/bin/python bench/load_bench.py --json figures.json --logs DIR   (the bot's stderr)
      .venv/bin/python bench/load_bench.py --round telegram --people 50 --cards 10

Needs the test extra (the local Telegram Bot API test server, tests/telegram_server.py).
The bot runs as its own OS process (tests/run_bot_at.py, which runs `python -m bot`'s
main with the real clock and a few Settings overrides) on a fresh database, long
polling the test server; the server and the simulated people run in this process, on
one asyncio loop, over loopback. Each simulated person is a Telegram user of their own
with a 2,000-row Connections.csv of invented people nobody else has, and:

  1. sends the export as a document and waits for the bot's "⏳ Reading your export…"
     reply to be edited into "✅ Read 2,000 connections…" with its button;
  2. presses "▶️ Start reviewing" and waits for the first card (a new message);
  3. presses Keep, Cut or Skip (about 55/35/10) on the card, waits for the press to be
     answered (answerCallbackQuery) and the card edited into the next one, 100 times.

A step not answered within 30 s is an error; the person then sends /review for a fresh
card and goes on, and gives up if that is not answered either. Everyone starts at the
same moment. Two rounds, each with a bot process and a database of its own:

  our process   the limits lifted: the server's flood control off, the bot's own spacing
                short (private_chat_interval=0.02, messages_per_second=10000), people
                press as soon as the card arrives. What the process itself can do.
  telegram      realistic: the server's flood control on as Telegram's (1 message a
                second to a chat and 30 a second in all; this server counts edits as
                messages too), the bot's real pacing, and people who look at each card
                for 1 to 3 seconds before pressing. Which limit binds first. 25 cards
                each: at 30 a second, 200 × 100 presses would take over 11 minutes.

Figures per round, from the server's record of every Bot API call (its arrival time):

  updates/s     updates the people sent and the bot answered (uploads, Start reviewing,
                presses, /review), divided by the busy phase: from the first upload to
                the last answer; imports/minute likewise from the first upload to the
                last import's answer
  upload        from the document update being queued to the edit that shows "✅ Read"
                (waited for up to 2 minutes: the person was told at once that it is being
                read, or that it is in line; every other step up to 30 s)
  first card    from the Start reviewing press to the card's sendMessage
  press         from a press being queued to the card's edit (the person sees the next
                card): the "answer"; also only for presses made after the last import
                was answered, and to answerCallbackQuery (the button stops spinning).
                Median and p99 (nearest rank); the JSON has them by 10 s of the run.
  429s          requests the server's flood control refused (the bot waits and retries;
                a request it gives up on shows as an unanswered step and an ERROR line)
  errors        any other non-2xx answer (getUpdates conflicts aside), any step not
                answered in time, presses never made (people who gave up), ERROR and
                CRITICAL records and tracebacks in the bot's stderr, a bot exit code
                other than 0, and the database read after the bot stopped: every person
                with exactly their rows and one decision per press. Target: none.
  peak RSS      the bot process's VmHWM (/proc/PID/status) just before SIGTERM, and when
                it was reached (VmRSS sampled twice a second). Target: under 250 MB.
  bot CPU       user + system seconds of the bot process during the busy phase, per
                update, split into its event-loop thread and the others (the SQLite
                writer, WAL checkpoints, export parsing)

The harness shares the machine's cores with the bot (its CPU time is printed too), so
on a small machine the first round's figures include waiting for the harness. The
script exits 0 whether or not a target is met, non-zero only when something breaks;
every wait is bounded, so it always ends.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import platform
import random
import re
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

# Before telegram is imported (here and in the bot's process, which inherits it).
os.environ.setdefault("PTB_TIMEDELTA", "1")
# bench/ is a plain folder of scripts: make the repository (bot, storage, tests) importable.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import telegram
from processes import bot_environment, stop

from bot import texts
from tests.export_samples import current_connections, people
from tests.telegram_server import RecordedRequest, TelegramServer
from tests.user import BotMessage, TelegramUser

LAUNCHER = Path(__file__).resolve().parent.parent / "tests" / "run_bot_at.py"
FIRST_USER = 500_000
SEED = 20_261_130
RSS_TARGET_MB = 250.0
ACTIONS = (texts.BUTTON_KEEP, texts.BUTTON_CUT, texts.BUTTON_SKIP)
ACTION_WEIGHTS = (55, 35, 10)
# The bot's log records ("2026-11-30 10:00:00,123 ERROR bot.errors: …"); those at these
# levels, and any traceback printed outside a record, count as errors.
LOG_RECORD = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} (\w+) ")
FAILURE_LEVELS = frozenset({"ERROR", "CRITICAL"})
BOT_FRAME = re.compile(r'File ".*/((?:bot|storage)/[^"]+)", line (\d+), in (\w+)')
CLOCK_TICK = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Round:
    """One round's load and limits."""

    name: str
    people: int
    rows: int
    cards: int
    flood_control: bool
    bot_overrides: tuple[tuple[str, float], ...]
    think: tuple[float, float]  # seconds a person looks at a card before pressing
    step_timeout: float = 30.0
    # A person told "Reading your export…" (or that theirs is in line) waits for it longer.
    upload_timeout: float = 120.0

    @property
    def limits(self) -> str:
        """The limits in force, in words."""
        if self.flood_control:
            return "flood control on (1 msg/s per chat, 30/s in all), the bot's real pacing"
        spacing = ", ".join(f"{k}={v:g}" for k, v in self.bot_overrides)
        return f"flood control off, bot spacing short ({spacing})"

    @property
    def pace(self) -> str:
        """How fast the people press, in words."""
        low, high = self.think
        return "press at once" if high == 0 else f"look {low:g}–{high:g} s at each card"

    @property
    def deadline(self) -> float:
        """Seconds after which the round stops waiting: a safety net, far beyond a slow run."""
        return 600 + 3 * self.people * (self.cards + 2) / 30 + self.cards * self.think[1]


LIFTED = (("private_chat_interval", 0.02), ("messages_per_second", 10_000.0))
FULL = (
    Round("our process", 200, 2_000, 100, False, LIFTED, (0.0, 0.0)),
    Round("telegram", 200, 2_000, 25, True, (), (1.0, 3.0)),
)
QUICK = (
    Round("our process", 10, 200, 10, False, LIFTED, (0.0, 0.0), 20.0),
    Round("telegram", 10, 200, 5, True, (), (1.0, 1.5), 20.0),
)


@dataclass
class Step:
    """One update a person sent, and what they saw of the answer."""

    kind: str  # upload, start, press or review
    user_id: int
    queued: float  # wall time the update was queued at the server
    message_id: int = 0  # the message that carries the answer (status or card)
    query_id: str | None = None
    answered: bool = False  # the person saw the answer within the step timeout


class LoadServer(TelegramServer):
    """The test server, waking hundreds of waiting people in one cheap pass per change.

    TelegramServer.wait_for wakes every waiter on every request, each through a new
    asyncio.wait_for: with 200 people waiting, 200 timers and wake-ups per Bot API call,
    CPU the harness would take from the bot's cores. Here each change schedules one pass
    over plain predicates instead.
    """

    def __init__(self, **options: Any) -> None:
        self._waiting: dict[asyncio.Future[bool], Callable[[], object]] = {}
        self._pass_due = False
        super().__init__(**options)

    def notify(self) -> None:
        """Wake the server's own waiters, and schedule one pass over the people's."""
        super().notify()
        if self._waiting and not self._pass_due:
            self._pass_due = True
            asyncio.get_running_loop().call_soon(self._wake)

    def _wake(self) -> None:
        """Resolve every waiter whose condition now holds."""
        self._pass_due = False
        for future, predicate in list(self._waiting.items()):
            if not future.done() and predicate():
                future.set_result(True)

    async def until(self, predicate: Callable[[], object], timeout: float) -> bool:
        """Wait until `predicate()` holds; False after `timeout` seconds."""
        if predicate():
            return True
        if timeout <= 0:
            return False
        loop = asyncio.get_running_loop()
        future: asyncio.Future[bool] = loop.create_future()
        self._waiting[future] = predicate
        timer = loop.call_later(timeout, expire, future)
        try:
            return await future
        finally:
            timer.cancel()
            del self._waiting[future]


def expire(future: asyncio.Future[bool]) -> None:
    """A wait ran out of time."""
    if not future.done():
        future.set_result(False)


class Person:
    """One simulated person: their chat, their pace, and every update they sent."""

    def __init__(self, server: LoadServer, user: TelegramUser, plan: Round, end: float) -> None:
        self.server, self.user, self.plan, self.end = server, user, plan, end
        self.rng = random.Random(SEED + user.id)
        self.steps: list[Step] = []

    def timeout(self, step_timeout: float | None = None) -> float:
        """Seconds to wait for one answer: the step timeout, or what is left of the round."""
        limit = self.plan.step_timeout if step_timeout is None else step_timeout
        return min(limit, self.end - time.monotonic())

    def step(self, kind: str, message_id: int = 0) -> Step:
        """Note an update about to be sent, at this moment."""
        step = Step(kind, self.user.id, time.time(), message_id)
        self.steps.append(step)
        return step

    async def run(self, export: bytes) -> list[Step]:
        """Upload, start reviewing, press `plan.cards` times; every update sent, as Steps."""
        status = await self.upload(export)
        card = await self.start(status) if status is not None else await self.recover()
        for _ in range(self.plan.cards):
            if card is None or self.timeout() <= 0:
                break  # gave up: a fresh card did not come either, or the round is over
            card = await self.press(card)
        return self.steps

    async def upload(self, export: bytes) -> BotMessage | None:
        """Send the export; the reply once it reads "✅ Read …" with its button, or None."""
        chat, step = self.user.chat, self.step("upload")
        await self.user.send_document(export, "Connections.csv", mime_type="text/csv")
        if not await self.server.until(lambda: chat.messages, self.timeout()):
            return None
        status = chat.messages[0]
        step.message_id = status.message_id
        step.answered = await self.server.until(
            lambda: status.text.startswith("✅") and status.reply_markup,
            self.timeout(self.plan.upload_timeout),
        )
        return status if step.answered else None

    async def start(self, status: BotMessage) -> BotMessage | None:
        """Press Start reviewing; the first card (a new message), or a fresh one on /review."""
        step = self.step("start")
        count = len(self.user.chat.messages)
        step.query_id = (await self.user.press(status, texts.BUTTON_START_REVIEW)).query_id
        card = await self.new_card(step, count)
        return card if card is not None else await self.recover()

    async def press(self, card: BotMessage) -> BotMessage | None:
        """Look at the card, press Keep, Cut or Skip; the card once edited, else a fresh one."""
        low, high = self.plan.think
        if high > 0:
            await asyncio.sleep(self.rng.uniform(low, high))
        label = self.rng.choices(ACTIONS, ACTION_WEIGHTS)[0]
        step, seen = self.step("press", card.message_id), card.edits
        press = await self.user.press(card, label)
        step.query_id = press.query_id
        step.answered = await self.server.until(
            lambda: press.answered and card.edits > seen, self.timeout()
        )
        return card if step.answered else await self.recover()

    async def recover(self) -> BotMessage | None:
        """What a person does when the bot did not answer: /review for a fresh card."""
        step = self.step("review")
        count = len(self.user.chat.messages)
        await self.user.send("/review")
        return await self.new_card(step, count)

    async def new_card(self, step: Step, after: int) -> BotMessage | None:
        """Wait for a new card (a message with a Keep button) after message number `after`."""

        def found() -> BotMessage | None:
            for message in self.user.chat.messages[after:]:
                if any(b.text == texts.BUTTON_KEEP for b in message.buttons()):
                    return message
            return None

        step.answered = await self.server.until(found, self.timeout())
        card = found()
        if card is not None:
            step.message_id = card.message_id
        return card


@dataclass
class Answers:
    """When the bot answered, from the server's record of every call (arrival times)."""

    edits: dict[tuple[int, int], list[float]] = field(default_factory=lambda: defaultdict(list))
    sends: dict[tuple[int, int], float] = field(default_factory=dict)
    callbacks: dict[str, float] = field(default_factory=dict)

    @classmethod
    def of(cls, requests: Sequence[RecordedRequest]) -> Answers:
        """Index the successful edits, sends and callback answers."""
        answers = cls()
        for r in requests:
            if not r.ok:
                continue
            if r.method == "editMessageText":
                key = (int(r.params["chat_id"]), int(r.params["message_id"]))
                answers.edits[key].append(r.time)
            elif r.method == "sendMessage":
                result = r.response["result"]
                answers.sends[(int(result["chat"]["id"]), int(result["message_id"]))] = r.time
            elif r.method == "answerCallbackQuery":
                answers.callbacks[str(r.params["callback_query_id"])] = r.time
        return answers

    def answer(self, step: Step) -> float | None:
        """When the person's answer arrived: the edit of a press or upload, a card's send."""
        if not step.answered:
            return None
        if step.kind in ("start", "review"):
            return self.sends.get((step.user_id, step.message_id))
        edits = self.edits.get((step.user_id, step.message_id), [])
        return next((t for t in edits if t >= step.queued), None)


@dataclass
class Series:
    """Seconds from an update to its answer."""

    samples: list[float] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        """Count, median, p99 and max in seconds."""
        if not self.samples:
            return {"count": 0, "median_s": None, "p99_s": None, "max_s": None}
        return {
            "count": len(self.samples),
            "median_s": round(statistics.median(self.samples), 4),
            "p99_s": round(percentile(self.samples, 99), 4),
            "max_s": round(max(self.samples), 4),
        }


def percentile(samples: Sequence[float], p: float) -> float:
    """The p-th percentile of the samples by the nearest-rank method."""
    ordered = sorted(samples)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def thread_cpu(pid: int) -> dict[int, float]:
    """CPU seconds (user + system) of each thread of a process, by thread id."""
    seconds: dict[int, float] = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            fields = (task / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # the thread ended meanwhile
        seconds[int(task.name)] = (int(fields[11]) + int(fields[12])) / CLOCK_TICK
    return seconds


def memory_mb(pid: int, field_name: str) -> float:
    """A VmRSS/VmHWM figure of a process, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field_name + ":"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {field_name} for process {pid}")


async def sample_rss(pid: int, samples: list[tuple[float, float]], every: float = 0.5) -> None:
    """Note the process's RSS (seconds since the start, MB) until cancelled."""
    started = time.monotonic()
    while True:
        samples.append((time.monotonic() - started, memory_mb(pid, "VmRSS")))
        await asyncio.sleep(every)


def bot_failures(lines: Sequence[str]) -> list[str]:
    """Each ERROR/CRITICAL record of the bot's log as one line: where, and what was raised.

    A traceback printed outside a log record (a crash) counts as a failure too.
    """
    failures: list[str] = []
    current: list[str] | None = None  # the failure being read: record, frames, exception
    for line in [*lines, "0000-00-00 00:00:00,000 END "]:
        record = LOG_RECORD.match(line)
        if record or (line.startswith("Traceback") and current is None):
            if current is not None:
                failures.append(describe_failure(current))
            current = [line] if not record or record.group(1) in FAILURE_LEVELS else None
        elif current is not None:
            current.append(line)
    return failures


def describe_failure(lines: list[str]) -> str:
    """'message | outermost → innermost frame in bot/ | exception' for one failure."""
    head = re.sub(r"\d+", "N", LOG_RECORD.sub("", lines[0]).strip())
    frames = [f"{m[1]}:{m[2]} {m[3]}" for line in lines if (m := BOT_FRAME.search(line))]
    where = f"{frames[0]} → {frames[-1]}" if len(frames) > 1 else "".join(frames)
    raised = next((line for line in reversed(lines) if line and not line[0].isspace()), "")
    parts = [head, where, raised if raised != lines[0] else ""]
    return " | ".join(part for part in parts if part)


def check_database(path: Path, user_ids: Sequence[int], rows: int, steps: list[Step]) -> list[str]:
    """What in the stopped bot's database is not as the people left it."""
    presses = Counter(s.user_id for s in steps if s.kind == "press")
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        connections = dict(
            db.execute("SELECT user_id, count(*) FROM connections GROUP BY user_id").fetchall()
        )
        decided = dict(
            db.execute("SELECT user_id, count(*) FROM decisions GROUP BY user_id").fetchall()
        )
    db.close()
    problems = []
    for user_id in user_ids:
        if connections.get(user_id, 0) != rows:
            problems.append(f"user {user_id}: {connections.get(user_id, 0)} connections")
        if decided.get(user_id, 0) != presses[user_id]:
            problems.append(
                f"user {user_id}: {decided.get(user_id, 0)} decisions for "
                f"{presses[user_id]} presses"
            )
    return problems


@dataclass
class Observed:
    """What a round left behind: the people's steps and the bot process's figures."""

    steps: list[Step]
    stderr: list[str]
    exit_code: int | None
    database: list[str]
    idle_rss_mb: float
    peak_rss_mb: float
    rss_samples: list[tuple[float, float]]
    cpu: dict[int, float]  # CPU seconds of each bot thread during the busy phase
    main_thread: int
    harness_cpu_s: float


async def run_round(plan: Round, folder: Path) -> dict[str, Any]:
    """Start a bot process and the people; measure; stop the bot; check its database."""
    db_path, log_path = folder / f"{plan.name}.db", folder / f"{plan.name}.stderr"
    user_ids = [FIRST_USER + n for n in range(plan.people)]
    exports = [current_connections(people(plan.rows, prefix=f"u{uid}")) for uid in user_ids]
    server = LoadServer(flood_control=plan.flood_control, flood_overall=30)
    await server.start()
    env = bot_environment(server, db_path)
    overrides = [f"{k}={v}" for k, v in plan.bot_overrides]
    rss: list[tuple[float, float]] = []
    try:
        with log_path.open("wb") as log:
            process = await asyncio.create_subprocess_exec(
                sys.executable, str(LAUNCHER), datetime.now(UTC).isoformat(), *overrides,
                env=env, cwd=folder, stdout=log, stderr=log,
            )  # fmt: skip
        try:
            if not await server.until(lambda: server.calls("getUpdates"), 60):
                raise RuntimeError(f"the bot did not start polling:\n{log_path.read_text()}")
            idle_rss = memory_mb(process.pid, "VmRSS")
            sampler = asyncio.create_task(sample_rss(process.pid, rss))
            users = [server.user(uid, f"Person {uid}") for uid in user_ids]
            cpu_before, harness_before = thread_cpu(process.pid), time.process_time()
            end = time.monotonic() + plan.deadline
            per_person = await asyncio.gather(
                *(Person(server, u, plan, end).run(e) for u, e in zip(users, exports, strict=True))
            )
            cpu_after, harness_cpu = thread_cpu(process.pid), time.process_time() - harness_before
            await asyncio.sleep(0.5)  # anything late or twice would arrive now
            peak_rss = memory_mb(process.pid, "VmHWM")
            sampler.cancel()
        finally:
            await stop(process)
    finally:
        await server.stop()
    steps = [s for person in per_person for s in person]
    observed = Observed(
        steps=steps,
        stderr=log_path.read_text(errors="replace").splitlines(),
        exit_code=process.returncode,
        database=check_database(db_path, user_ids, plan.rows, steps),
        idle_rss_mb=idle_rss,
        peak_rss_mb=peak_rss,
        rss_samples=rss,
        cpu={tid: t - cpu_before.get(tid, 0.0) for tid, t in cpu_after.items()},
        main_thread=process.pid,
        harness_cpu_s=harness_cpu,
    )
    return measure(plan, server.requests, observed)


def measure(plan: Round, requests: Sequence[RecordedRequest], seen: Observed) -> dict[str, Any]:
    """The round's figures from the people's steps, the server's record and the bot's log."""
    answers = Answers.of(requests)
    first = min(s.queued for s in seen.steps)
    uploads = [a for s in seen.steps if s.kind == "upload" and (a := answers.answer(s))]
    imported = max(uploads, default=first)  # the last import answered
    upload_span = imported - first
    series: dict[str, Series] = defaultdict(Series)
    timeline: dict[int, Series] = defaultdict(Series)  # press answers by 10 s of queueing
    last, handled = 0.0, 0
    for step in seen.steps:
        at = answers.answer(step)
        if at is None:
            continue
        handled += 1
        last = max(last, at)
        series[step.kind].samples.append(at - step.queued)
        if step.kind != "press":
            continue
        timeline[int((step.queued - first) // 10) * 10].samples.append(at - step.queued)
        if step.queued > imported:
            series["press after imports"].samples.append(at - step.queued)
        if step.query_id in answers.callbacks:
            series["callback"].samples.append(answers.callbacks[step.query_id] - step.queued)
    busy = last - first if last > first else float("nan")
    presses = Counter(s.user_id for s in seen.steps if s.kind == "press")
    not_pressed = sum(plan.cards - presses[uid] for uid in {s.user_id for s in seen.steps})
    refused = [r for r in requests if r.status == 429]
    conflict = ("getUpdates", 409), ("getUpdates", 499)  # a long poll ended at shutdown
    failures = Counter(
        f"{r.method} {r.status} {r.description}"
        for r in requests
        if not r.ok and r.status != 429 and (r.method, r.status) not in conflict
    )
    bot_log = bot_failures(seen.stderr)
    unanswered = Counter(s.kind for s in seen.steps if not s.answered)
    errors = (
        sum(failures.values()) + sum(unanswered.values()) + not_pressed + len(bot_log)
        + len(seen.database) + (seen.exit_code != 0)
    )  # fmt: skip
    bot_cpu = sum(seen.cpu.values())
    loop_cpu = seen.cpu.get(seen.main_thread, 0.0)
    peak_at, _ = max(seen.rss_samples, key=lambda sample: sample[1], default=(0.0, 0.0))
    return {
        "round": plan.name,
        "plan": asdict(plan),
        "limits": plan.limits,
        "pace": plan.pace,
        "updates_handled": handled,
        "busy_s": round(busy, 2),
        "updates_per_s": round(handled / busy, 1),
        "presses_per_s": round(len(series["press"].samples) / busy, 1),
        "uploads_answered": len(uploads),
        "uploads_span_s": round(upload_span, 2),
        "uploads_per_minute": round(60 * len(uploads) / upload_span) if upload_span else None,
        "latency": {
            kind: series[kind].summary()
            for kind in ("upload", "start", "press", "press after imports", "callback", "review")
        },
        "press_by_10s": {start: timeline[start].summary() for start in sorted(timeline)},
        "http_429": len(refused),
        "http_429_by_method": dict(Counter(r.method for r in refused)),
        "errors": errors,
        "error_detail": {
            "non_2xx": dict(failures),
            "unanswered": dict(unanswered),
            "presses_not_made": not_pressed,
            "people_who_gave_up": sum(1 for n in presses.values() if n < plan.cards)
            + (plan.people - len(presses)),
            "bot_log": dict(Counter(bot_log).most_common()),
            "bot_log_count": len(bot_log),
            "database": seen.database[:10],
            "database_problem_count": len(seen.database),
            "bot_exit_code": seen.exit_code,
        },
        "idle_rss_mb": round(seen.idle_rss_mb, 1),
        "peak_rss_mb": round(seen.peak_rss_mb, 1),
        "peak_rss_at_s": round(peak_at, 1),
        "final_rss_mb": round(seen.rss_samples[-1][1], 1) if seen.rss_samples else None,
        "rss_met": seen.peak_rss_mb < RSS_TARGET_MB,
        "rss_samples": [(round(t, 1), round(mb, 1)) for t, mb in seen.rss_samples],
        "bot_cpu_s": round(bot_cpu, 2),
        "bot_cpu_event_loop_s": round(loop_cpu, 2),
        "bot_cpu_other_threads_s": round(bot_cpu - loop_cpu, 2),
        "bot_cpu_ms_per_update": round(1000 * bot_cpu / handled, 2) if handled else None,
        "harness_cpu_s": round(seen.harness_cpu_s, 2),
    }


def seconds(summary: dict[str, Any]) -> str:
    """'median 0.410 s, p99 1.200 s (n)' (or 'none')."""
    if not summary["count"]:
        return "none"
    return f"median {summary['median_s']:.3f} s, p99 {summary['p99_s']:.3f} s"


def report(rounds: list[dict[str, Any]], quick: bool) -> str:
    """The results as a block of plain text for the README."""
    lines = [
        f"keepcut load benchmark{' (quick: smoke test only)' if quick else ''}, "
        f"{datetime.now(UTC):%Y-%m-%d}",
        f"Python {platform.python_version()} · SQLite {sqlite3.sqlite_version} · "
        f"PTB {telegram.__version__} · {platform.system()} {platform.machine()} · "
        f"{os.cpu_count()} CPUs",
    ]
    for r in rounds:
        plan, lat, detail = r["plan"], r["latency"], r["error_detail"]
        missing = ", ".join(f"{n} {kind}" for kind, n in detail["unanswered"].items()) or "0"
        lines += [
            f"round '{r['round']}': {plan['people']} people × {plan['rows']:,} rows × "
            f"{plan['cards']} cards; {r['limits']}; people {r['pace']}",
            f"  {r['updates_handled']:,} updates answered in {r['busy_s']} s: "
            f"{r['updates_per_s']} updates/s ({r['presses_per_s']} presses/s)",
            f"  upload → '✅ Read' reply:      {seconds(lat['upload'])}; the last "
            f"of {r['uploads_answered']} {r['uploads_span_s']} s after the first was sent: "
            f"{r['uploads_per_minute']} imports/minute",
            f"  Start reviewing → first card:  {seconds(lat['start'])}",
            f"  press → edited card (answer):  {seconds(lat['press'])}",
            f"    the same, pressed after the last import's answer: "
            f"{seconds(lat['press after imports'])}",
            f"  press → answerCallbackQuery:   {seconds(lat['callback'])}",
            f"  429s from flood control: {r['http_429']}"
            + "".join(f", {n} {m}" for m, n in r["http_429_by_method"].items()),
            f"  errors: {r['errors']} — non-2xx {sum(detail['non_2xx'].values())}, "
            f"unanswered {missing}, presses not made {detail['presses_not_made']} "
            f"({detail['people_who_gave_up']} people gave up), bot log "
            f"{detail['bot_log_count']}, database {detail['database_problem_count']}, "
            f"exit code {detail['bot_exit_code']}: {verdict(r['errors'] == 0)} (target none)",
            f"  bot peak RSS {r['peak_rss_mb']:.0f} MB at {r['peak_rss_at_s']:.0f} s "
            f"(idle {r['idle_rss_mb']:.0f} MB, at the end {r['final_rss_mb']:.0f} MB): "
            f"{verdict(r['rss_met'])} (target < {RSS_TARGET_MB:.0f} MB)",
            f"  bot CPU {r['bot_cpu_s']} s = {r['bot_cpu_ms_per_update']} ms per update "
            f"(event loop {r['bot_cpu_event_loop_s']} s, other threads "
            f"{r['bot_cpu_other_threads_s']} s); harness CPU {r['harness_cpu_s']} s",
        ]
        lines += [f"    non-2xx: {n} × {what}" for what, n in detail["non_2xx"].items()]
        lines += [f"    bot log: {n} × {what}" for what, n in list(detail["bot_log"].items())[:5]]
        lines += [f"    database: {problem}" for problem in detail["database"][:3]]
    return "\n".join(lines)


def verdict(ok: bool) -> str:
    """MET or MISSED."""
    return "MET" if ok else "MISSED"


async def run(plans: Sequence[Round], logs: Path | None) -> list[dict[str, Any]]:
    """Every round in turn, each with a fresh bot process and database."""
    results = []
    with tempfile.TemporaryDirectory(prefix="keepcut-load-") as tmp:
        for plan in plans:
            print(f"round '{plan.name}' …", file=sys.stderr, flush=True)
            results.append(await run_round(plan, Path(tmp)))
            if logs is not None:
                logs.mkdir(parents=True, exist_ok=True)
                name = plan.name.replace(" ", "-") + ".stderr"
                shutil.copyfile(Path(tmp) / f"{plan.name}.stderr", logs / name)
    return results


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the arguments, run the rounds, print the results block."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="a smoke test: 10 people")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the figures here")
    parser.add_argument(
        "--round", choices=[p.name for p in FULL], action="append", help="run only this round"
    )
    parser.add_argument("--people", type=int, help="this many people in each round")
    parser.add_argument("--cards", type=int, help="this many presses for each person")
    parser.add_argument("--logs", type=Path, metavar="DIR", help="keep the bot's stderr here")
    args = parser.parse_args(argv)
    plans = [p for p in (QUICK if args.quick else FULL) if not args.round or p.name in args.round]
    sizes = {"people": args.people, "cards": args.cards}
    plans = [replace(p, **{k: v for k, v in sizes.items() if v}) for p in plans]
    rounds = asyncio.run(run(plans, args.logs))
    print(report(rounds, args.quick))
    if args.json:
        args.json.write_text(json.dumps(rounds, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
