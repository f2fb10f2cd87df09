"""Settings from the environment and from a `.env` file in the working folder."""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_BASE_URL = "https://api.telegram.org/bot"
DEFAULT_BASE_FILE_URL = "https://api.telegram.org/file/bot"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")

# BotFather tokens look like "123456789:AAE...": digits, a colon, then URL-safe characters.
_TOKEN_RE = re.compile(r"^\d{1,20}:[A-Za-z0-9_-]{1,100}$")
_ENV_LINE_RE = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$")


class ConfigError(Exception):
    """A setting is missing or malformed; the message names the variable."""


@dataclass(frozen=True)
class Settings:
    """Everything the bot needs to know to start."""

    token: str = field(repr=False)
    db_path: Path = Path("keepcut.db")
    base_url: str = DEFAULT_BASE_URL
    base_file_url: str = DEFAULT_BASE_FILE_URL
    allowed_users: frozenset[int] = frozenset()
    webhook_url: str | None = None
    webhook_listen: str = "0.0.0.0"
    webhook_port: int = 8080
    log_level: str = "INFO"
    # Seconds between new messages to one chat: Telegram allows about one a second in
    # a private chat and 20 a minute in a group. Tests on a local server shorten them.
    private_chat_interval: float = 1.1
    group_chat_interval: float = 3.1

    def is_allowed(self, user_id: int) -> bool:
        """Whether this Telegram user may use the bot (an empty list lets everyone in)."""
        return not self.allowed_users or user_id in self.allowed_users


def read_env_file(path: Path) -> dict[str, str]:
    """Parse a `.env` file: KEY=VALUE lines, optional quotes, `#` comments."""
    values: dict[str, str] = {}
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return values
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read {path}: {exc.__class__.__name__}") from None
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = _ENV_LINE_RE.match(line)
        if not match:
            continue
        key, value = match.groups()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        else:
            value = value.split(" #", 1)[0].strip()
        values[key] = value
    return values


def _parse_allowed_users(raw: str) -> frozenset[int]:
    """Read a comma-separated list of Telegram user ids."""
    ids: set[int] = set()
    for part in raw.split(","):
        part = part.strip()
        if not part:
            continue
        if not part.isdigit() or len(part) > 20:
            raise ConfigError(
                f"KEEPCUT_ALLOWED_USERS must be comma-separated numeric Telegram user ids; "
                f"{part[:30]!r} is not one"
            )
        ids.add(int(part))
    return frozenset(ids)


def _parse_url(name: str, raw: str, default: str) -> str:
    """Check that a base URL setting is an http(s) URL."""
    value = raw.strip() or default
    if not re.match(r"^https?://[^\s/]+", value):
        raise ConfigError(f"{name} must be an http:// or https:// URL")
    return value


def load_settings(
    environ: Mapping[str, str] | None = None, env_file: Path | None = Path(".env")
) -> Settings:
    """Build Settings from the environment, filling gaps from `.env`; raise ConfigError."""
    merged: dict[str, str] = dict(read_env_file(env_file)) if env_file else {}
    merged.update(os.environ if environ is None else environ)

    token = merged.get("TELEGRAM_BOT_TOKEN", "").strip()
    if not token:
        raise ConfigError(
            "TELEGRAM_BOT_TOKEN is not set: get a token from @BotFather and set it "
            "in the environment or in .env"
        )
    if not _TOKEN_RE.match(token):
        raise ConfigError(
            "TELEGRAM_BOT_TOKEN is malformed: it should look like 123456789:AAE... "
            "(the token @BotFather gave you)"
        )

    log_level = merged.get("KEEPCUT_LOG_LEVEL", "").strip().upper() or "INFO"
    if log_level not in LOG_LEVELS:
        raise ConfigError(f"KEEPCUT_LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}")

    webhook_url = merged.get("WEBHOOK_URL", "").strip() or None
    if webhook_url and not webhook_url.startswith("https://"):
        raise ConfigError("WEBHOOK_URL must be an https:// URL")

    port_raw = merged.get("KEEPCUT_WEBHOOK_PORT", "").strip() or "8080"
    if not port_raw.isdigit() or not 1 <= int(port_raw) <= 65535:
        raise ConfigError("KEEPCUT_WEBHOOK_PORT must be a port number from 1 to 65535")

    return Settings(
        token=token,
        webhook_listen=merged.get("KEEPCUT_WEBHOOK_LISTEN", "").strip() or "0.0.0.0",
        webhook_port=int(port_raw),
        db_path=Path(merged.get("KEEPCUT_DB", "").strip() or "keepcut.db"),
        base_url=_parse_url(
            "TELEGRAM_BASE_URL", merged.get("TELEGRAM_BASE_URL", ""), DEFAULT_BASE_URL
        ),
        base_file_url=_parse_url(
            "TELEGRAM_BASE_FILE_URL",
            merged.get("TELEGRAM_BASE_FILE_URL", ""),
            DEFAULT_BASE_FILE_URL,
        ),
        allowed_users=_parse_allowed_users(merged.get("KEEPCUT_ALLOWED_USERS", "")),
        webhook_url=webhook_url,
        log_level=log_level,
    )


class TokenFilter(logging.Filter):
    """Replace the bot token wherever it would appear in a log record."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self._token = token

    def filter(self, record: logging.LogRecord) -> bool:
        """Redact the token from the formatted message (and drop the args it came in)."""
        if not self._token:
            return True
        message = record.getMessage()
        if self._token in message:
            record.msg = message.replace(self._token, "<token>")
            record.args = None
        if record.exc_info and record.exc_text is None and record.exc_info[1] is not None:
            # Tracebacks are formatted later by the handler; pre-format and redact now.
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text and self._token in record.exc_text:
            record.exc_text = record.exc_text.replace(self._token, "<token>")
        return True


class QuietStartFailure(logging.Filter):
    """Drop PTB's start-up retry traceback: main() reports the failure in one line."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Keep every record except the bootstrap retry loop's error."""
        return "Network Retry Loop (Bootstrap" not in record.getMessage()


def configure_logging(settings: Settings) -> None:
    """Log to stderr at the chosen level, never showing the token."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(TokenFilter(settings.token))
    if settings.log_level != "DEBUG":
        handler.addFilter(QuietStartFailure())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(settings.log_level)
    # httpx logs every request URL, and Bot API URLs contain the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(max(logging.INFO, root.level))
