"""The real program, `python -m bot`, against the local server: it runs, answers, stops cleanly."""

from __future__ import annotations

import asyncio
import signal
import sys
from pathlib import Path

from bot import texts
from tests.export_samples import Person, current_connections, people
from tests.telegram_server import TelegramServer


async def test_python_m_bot_answers_and_stops_cleanly_on_sigterm(
    server: TelegramServer, tmp_path: Path
) -> None:
    env = server.bot_environment(KEEPCUT_LOG_LEVEL="DEBUG")
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot",
        cwd=tmp_path, env=env, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        alice = server.user(1001, "Alice")
        await alice.send("/start")
        assert "keepcut" in (await alice.next_message(timeout=20)).text
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), timeout=20)
    finally:
        if process.returncode is None:
            process.kill()
    assert process.returncode == 0
    log = stderr.decode()
    assert "Traceback" not in log
    assert server.token not in log, "the token never reaches the log, even at DEBUG"
    # On the way out the bot confirms every update it handled, so none is replayed.
    assert server.updates == []
    assert max(c.get("offset", 0) for c in server.calls("getUpdates")) == 2
    assert (tmp_path / "keepcut.db").exists()


async def test_a_token_telegram_rejects_exits_3_in_one_line(
    server: TelegramServer, tmp_path: Path
) -> None:
    env = server.bot_environment(TELEGRAM_BOT_TOKEN="999:NOT-THIS-BOTS-TOKEN")
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot",
        cwd=tmp_path, env=env, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        _, stderr = await asyncio.wait_for(process.communicate(), timeout=30)
    finally:
        if process.returncode is None:
            process.kill()
    assert process.returncode == 3, "a service manager must not restart a rejected token"
    log = stderr.decode()
    assert "Traceback" not in log
    (line,) = [x for x in log.splitlines() if x.startswith("keepcut:")]
    assert "rejected TELEGRAM_BOT_TOKEN" in line


SECRET_PEOPLE = [
    Person("Secretina", "Quuxley", "secretina-quuxley", company="Zorbotron Ltd", position="Spy"),
    Person("Hushwald", "Veilborne", "hushwald", company="Quietcorp", position="Whisperer"),
    *people(4),
]


async def full_session(server: TelegramServer) -> None:
    """What a person does in a first session: upload, review, lists, settings, mydata."""
    ada = server.user(1001, "Ada")
    await ada.send_document(current_connections(SECRET_PEOPLE), "Connections.csv")
    status = await ada.next_message(timeout=20)
    reply = await ada.wait_for_edit(status, timeout=20)
    await ada.press(reply, texts.BUTTON_START_REVIEW)
    card = await ada.next_message(timeout=10)
    for label in (texts.BUTTON_CUT, texts.BUTTON_KEEP, texts.BUTTON_CUT):
        await ada.press(card, label)
        card = await ada.wait_for_edit(card, timeout=10)
    for command in ("/find secretina", "/stats", "/remind", "/mydata", "/cutlist"):
        await ada.send(command)
        await ada.next_message(timeout=20)
    await ada.send("/forget")
    await server.wait_for(lambda: any("Delete" in m.text for m in ada.messages), timeout=20)


async def run_session(server: TelegramServer, folder: Path, level: str) -> str:
    """The real program through a full session at this log level; returns its log."""
    env = server.bot_environment(KEEPCUT_LOG_LEVEL=level)
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", cwd=folder, env=env, stderr=asyncio.subprocess.PIPE
    )
    try:
        await full_session(server)
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), timeout=30)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert process.returncode == 0
    return stderr.decode()


async def test_the_log_holds_no_token_at_any_level_and_no_export_content_above_debug(
    server: TelegramServer, tmp_path: Path
) -> None:
    log = await run_session(server, tmp_path, "DEBUG")
    assert " DEBUG " in log, "the log was written at DEBUG"
    assert server.token not in log
    assert server.token.split(":", 1)[1] not in log, "not even the secret part of it"
    assert "imported 6 connections" in log, "the log says what happened"
    # Each record starts "date time LEVEL logger: message"; what follows a record's first
    # line (a traceback) belongs to it.
    level, above_debug = "DEBUG", []
    for line in log.splitlines():
        parts = line.split(" ", 3)
        if len(parts) > 2 and parts[2] in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
            level = parts[2]
        if level != "DEBUG":
            above_debug.append(line)
    text = "\n".join(above_debug)
    for secret in ("Secretina", "Quuxley", "Zorbotron", "Hushwald", "Quietcorp", "secretina-q"):
        assert secret not in text, secret
    assert "Traceback" not in log
