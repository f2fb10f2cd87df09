"""Configuration: the environment, .env, and one clear line for every mistake."""

from __future__ import annotations

import inspect
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bot import config
from bot.config import (
    ENV_VARS,
    LOCAL_DOWNLOAD_LIMIT,
    PUBLIC_DOWNLOAD_LIMIT,
    ConfigError,
    Settings,
    TokenFilter,
    load_db_path,
    load_settings,
    read_env_file,
)

TOKEN = "123456:TEST-TOKEN"


def test_defaults_from_token_alone() -> None:
    settings = load_settings({"TELEGRAM_BOT_TOKEN": TOKEN}, env_file=None)
    assert settings.token == TOKEN
    assert settings.db_path == Path("keepcut.db")
    assert settings.base_url == "https://api.telegram.org/bot"
    assert settings.base_file_url == "https://api.telegram.org/file/bot"
    assert settings.allowed_users == frozenset()
    assert settings.webhook_url is None
    assert settings.log_level == "INFO"
    assert settings.webhook_listen == "127.0.0.1", "a proxy goes in front; never all addresses"
    assert not settings.local_mode and settings.download_limit == PUBLIC_DOWNLOAD_LIMIT
    assert settings.backup_dir is None and settings.backup_keep == 7


def test_the_settings_read_exactly_the_listed_variables() -> None:
    # Every name keepcut reads goes through a value() helper in bot/config.py (load_settings
    # for the bot, load_db_path for `keepcut backup` and `health`); the source says which.
    read = set(re.findall(r'value\("([A-Z_]+)"\)', inspect.getsource(config)))
    assert read == set(ENV_VARS)
    assert re.findall(r'value\("([A-Z_]+)"\)', inspect.getsource(load_db_path)) == ["KEEPCUT_DB"]


def test_no_other_module_reads_the_environment() -> None:
    # So the check above covers every variable read anywhere. bot/__init__.py only sets
    # python-telegram-bot's own PTB_TIMEDELTA.
    root = Path(config.__file__).resolve().parent.parent
    readers = {
        path.relative_to(root).as_posix()
        for folder in ("bot", "storage")
        for path in (root / folder).rglob("*.py")
        if re.search(r"\bos\.environ\b|\bgetenv\(|\benviron\b", path.read_text(encoding="utf-8"))
    }
    assert readers == {"bot/config.py", "bot/__init__.py"}
    assert 'os.environ.setdefault("PTB_TIMEDELTA"' in (root / "bot/__init__.py").read_text()


def test_the_commands_beside_the_bot_need_only_the_database_path(tmp_path: Path) -> None:
    assert load_db_path({}, env_file=None) == Path("keepcut.db")
    assert load_db_path({"KEEPCUT_DB": " /data/k.db "}, env_file=None) == Path("/data/k.db")
    env = tmp_path / ".env"
    env.write_text("TELEGRAM_BOT_TOKEN=broken\nKEEPCUT_DB=from-file.db\n", encoding="utf-8")
    assert load_db_path({}, env_file=env) == Path("from-file.db")
    assert load_db_path({"KEEPCUT_DB": "env.db"}, env_file=env) == Path("env.db")


@pytest.mark.parametrize(
    ("env", "local"),
    [
        ({}, False),
        ({"TELEGRAM_BASE_URL": "http://127.0.0.1:8081/bot"}, True),
        ({"TELEGRAM_BASE_URL": "http://127.0.0.1:8081/bot", "TELEGRAM_LOCAL_MODE": "no"}, False),
        ({"TELEGRAM_LOCAL_MODE": "1"}, True),
    ],
)
def test_local_mode_is_set_or_deduced_from_a_self_hosted_server(
    env: dict[str, str], local: bool
) -> None:
    settings = load_settings({"TELEGRAM_BOT_TOKEN": TOKEN, **env}, env_file=None)
    assert settings.local_mode is local
    assert settings.download_limit == (LOCAL_DOWNLOAD_LIMIT if local else PUBLIC_DOWNLOAD_LIMIT)


def test_webhook_secret_is_given_or_derived_from_the_token() -> None:
    derived = load_settings({"TELEGRAM_BOT_TOKEN": TOKEN}, env_file=None).secret_token
    assert len(derived) == 48 and TOKEN not in derived
    other = load_settings({"TELEGRAM_BOT_TOKEN": "654321:OTHER"}, env_file=None).secret_token
    assert other != derived
    given = load_settings(
        {"TELEGRAM_BOT_TOKEN": TOKEN, "WEBHOOK_SECRET": "s3cret_-x"}, env_file=None
    )
    assert given.secret_token == "s3cret_-x"
    assert "s3cret" not in repr(given)


def test_every_variable_is_read() -> None:
    settings = load_settings(
        {
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "KEEPCUT_DB": "/data/k.db",
            "TELEGRAM_BASE_URL": "http://127.0.0.1:8081/bot",
            "TELEGRAM_BASE_FILE_URL": "http://127.0.0.1:8081/file/bot",
            "KEEPCUT_ALLOWED_USERS": " 1, 22 ,333,",
            "WEBHOOK_URL": "https://example.invalid/hook",
            "WEBHOOK_SECRET": "abc",
            "KEEPCUT_WEBHOOK_LISTEN": "0.0.0.0",
            "KEEPCUT_WEBHOOK_PORT": "8443",
            "KEEPCUT_LOG_LEVEL": "debug",
            "TELEGRAM_LOCAL_MODE": "true",
            "KEEPCUT_BACKUP_DIR": "/backups",
            "KEEPCUT_BACKUP_KEEP": "30",
        },
        env_file=None,
    )
    assert (settings.webhook_secret, settings.webhook_listen) == ("abc", "0.0.0.0")
    assert settings.webhook_port == 8443
    assert settings.local_mode
    assert (settings.backup_dir, settings.backup_keep) == (Path("/backups"), 30)
    assert settings.db_path == Path("/data/k.db")
    assert settings.base_url == "http://127.0.0.1:8081/bot"
    assert settings.base_file_url == "http://127.0.0.1:8081/file/bot"
    assert settings.allowed_users == frozenset({1, 22, 333})
    assert settings.webhook_url == "https://example.invalid/hook"
    assert settings.log_level == "DEBUG"


def test_env_file_fills_gaps_and_environment_wins(tmp_path: Path) -> None:
    env = tmp_path / ".env"
    env.write_text(
        "# keepcut\nTELEGRAM_BOT_TOKEN='111:FROM-FILE'\nexport KEEPCUT_DB=\"from file.db\"\n"
        "KEEPCUT_LOG_LEVEL=WARNING # quiet\n",
        encoding="utf-8",
    )
    settings = load_settings({"TELEGRAM_BOT_TOKEN": TOKEN}, env_file=env)
    assert settings.token == TOKEN
    assert settings.db_path == Path("from file.db")
    assert settings.log_level == "WARNING"
    assert read_env_file(tmp_path / "missing") == {}


@pytest.mark.parametrize(
    ("environ", "names"),
    [
        ({}, "TELEGRAM_BOT_TOKEN is not set"),
        ({"TELEGRAM_BOT_TOKEN": "   "}, "TELEGRAM_BOT_TOKEN is not set"),
        ({"TELEGRAM_BOT_TOKEN": "not-a-token"}, "TELEGRAM_BOT_TOKEN is malformed"),
        ({"TELEGRAM_BOT_TOKEN": "12:ab cd"}, "TELEGRAM_BOT_TOKEN is malformed"),
        ({"TELEGRAM_BOT_TOKEN": TOKEN, "KEEPCUT_ALLOWED_USERS": "1,bob"}, "KEEPCUT_ALLOWED_USERS"),
        ({"TELEGRAM_BOT_TOKEN": TOKEN, "KEEPCUT_ALLOWED_USERS": "-5"}, "KEEPCUT_ALLOWED_USERS"),
        ({"TELEGRAM_BOT_TOKEN": TOKEN, "KEEPCUT_LOG_LEVEL": "LOUD"}, "KEEPCUT_LOG_LEVEL"),
        ({"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_BASE_URL": "ftp://x"}, "TELEGRAM_BASE_URL"),
        ({"TELEGRAM_BOT_TOKEN": TOKEN, "WEBHOOK_URL": "http://x.invalid"}, "WEBHOOK_URL"),
    ],
)
def test_bad_settings_name_the_variable(environ: dict[str, str], names: str) -> None:
    with pytest.raises(ConfigError, match=names):
        load_settings(environ, env_file=None)


def test_allow_list_empty_means_everyone() -> None:
    assert Settings(token=TOKEN).is_allowed(42)
    assert not Settings(token=TOKEN, allowed_users=frozenset({1})).is_allowed(42)


def test_token_is_redacted_from_logs() -> None:
    record = logging.LogRecord(
        "httpx", logging.INFO, __file__, 1, "POST https://x/bot%s/getMe", (TOKEN,), None
    )
    assert TokenFilter(TOKEN).filter(record)
    assert TOKEN not in record.getMessage()
    assert "<token>" in record.getMessage()


def _run_bot(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """Run `python -m bot` in a clean folder with only the given variables."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "KEEPCUT_"))}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-m", "bot"],
        cwd=tmp_path,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_missing_token_exits_2_with_one_line(tmp_path: Path) -> None:
    result = _run_bot(tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "TELEGRAM_BOT_TOKEN" in lines[0]
    assert "Traceback" not in result.stderr


def test_bad_allow_list_exits_2_with_one_line(tmp_path: Path) -> None:
    result = _run_bot(tmp_path, TELEGRAM_BOT_TOKEN=TOKEN, KEEPCUT_ALLOWED_USERS="me")
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "KEEPCUT_ALLOWED_USERS" in result.stderr


def test_unreachable_server_fails_in_one_line_without_traceback(tmp_path: Path) -> None:
    # Port 9 (discard) on loopback: nothing listens there, so the connection is refused.
    result = _run_bot(
        tmp_path,
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_BASE_URL="http://127.0.0.1:9/bot",
        KEEPCUT_LOG_LEVEL="WARNING",
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "cannot reach the Telegram Bot API at 127.0.0.1:9" in result.stderr
    assert TOKEN not in result.stderr


def test_a_database_that_cannot_be_opened_exits_1_with_one_line(tmp_path: Path) -> None:
    folder = tmp_path / "a-folder"
    folder.mkdir()
    result = _run_bot(tmp_path, TELEGRAM_BOT_TOKEN=TOKEN, KEEPCUT_DB=str(folder))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"keepcut: cannot open the database {folder}")
    assert "Traceback" not in result.stderr
