"""Settings from the environment and from a `.env` file in the working folder."""

from __future__ import annotations

import hashlib
import logging
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

DEFAULT_BASE_URL = "https://api.telegram.org/bot"
DEFAULT_BASE_FILE_URL = "https://api.telegram.org/file/bot"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
# Telegram's public Bot API lets bots download files of up to 20 MB; a self-hosted
# server in --local mode serves any file it holds (it accepts uploads up to 2,000 MB).
PUBLIC_DOWNLOAD_LIMIT = 20 * 1024 * 1024
LOCAL_DOWNLOAD_LIMIT = 2000 * 1024 * 1024

# Every environment variable keepcut reads, in the order deploy/env.example lists them.
ENV_VARS = (
    "TELEGRAM_BOT_TOKEN",
    "KEEPCUT_DB",
    "KEEPCUT_ALLOWED_USERS",
    "KEEPCUT_LOG_LEVEL",
    "TELEGRAM_BASE_URL",
    "TELEGRAM_BASE_FILE_URL",
    "TELEGRAM_LOCAL_MODE",
    "WEBHOOK_URL",
    "WEBHOOK_SECRET",
    "KEEPCUT_WEBHOOK_LISTEN",
    "KEEPCUT_WEBHOOK_PORT",
    "KEEPCUT_BACKUP_DIR",
    "KEEPCUT_BACKUP_KEEP",
)
_SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
_TRUE, _FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")

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
    webhook_secret: str | None = field(default=None, repr=False)
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8080
    log_level: str = "INFO"
    local_mode: bool = False
    backup_dir: Path | None = None
    backup_keep: int = 7
    # Seconds between new messages to one chat: Telegram allows about one a second in
    # a private chat and 20 a minute in a group. Tests on a local server shorten them.
    private_chat_interval: float = 1.1
    group_chat_interval: float = 3.1
    # New messages a second in all: a little under Telegram's 30, so none is refused.
    messages_per_second: float = 29.0

    def is_allowed(self, user_id: int) -> bool:
        """Whether this Telegram user may use the bot (an empty list lets everyone in)."""
        return not self.allowed_users or user_id in self.allowed_users

    @property
    def download_limit(self) -> int:
        """The largest export the Bot API will hand this bot, in bytes."""
        return LOCAL_DOWNLOAD_LIMIT if self.local_mode else PUBLIC_DOWNLOAD_LIMIT

    @property
    def secret_token(self) -> str:
        """The webhook's secret: WEBHOOK_SECRET, or one derived from the token."""
        # Telegram echoes it in a header; requests without it are refused. Derived
        # from the token when unset so it survives restarts without another setting.
        derived = hashlib.sha256(b"keepcut-webhook:" + self.token.encode()).hexdigest()[:48]
        return self.webhook_secret or derived


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


def _parse_bool(name: str, raw: str) -> bool | None:
    """A yes/no setting; None when unset."""
    value = raw.strip().lower()
    if not value:
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigError(f"{name} must be true or false (1/0, yes/no, on/off)")


def _is_local_server(url: str) -> bool:
    """A Bot API base on this machine or a private name is a self-hosted server."""
    return urlsplit(url).netloc != urlsplit(DEFAULT_BASE_URL).netloc


def load_settings(
    environ: Mapping[str, str] | None = None, env_file: Path | None = Path(".env")
) -> Settings:
    """Build Settings from the environment, filling gaps from `.env`; raise ConfigError."""
    merged: dict[str, str] = dict(read_env_file(env_file)) if env_file else {}
    merged.update(os.environ if environ is None else environ)

    def value(name: str) -> str:
        """One variable, trimmed ("" when unset); only those listed in ENV_VARS."""
        assert name in ENV_VARS, f"{name} is read but not listed in ENV_VARS"
        return merged.get(name, "").strip()

    token = value("TELEGRAM_BOT_TOKEN")
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

    log_level = value("KEEPCUT_LOG_LEVEL").upper() or "INFO"
    if log_level not in LOG_LEVELS:
        raise ConfigError(f"KEEPCUT_LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}")

    webhook_url = value("WEBHOOK_URL") or None
    if webhook_url and not webhook_url.startswith("https://"):
        raise ConfigError("WEBHOOK_URL must be an https:// URL")

    secret = value("WEBHOOK_SECRET") or None
    if secret and not _SECRET_RE.match(secret):
        raise ConfigError(
            "WEBHOOK_SECRET must be 1-256 characters of letters, digits, _ and - "
            "(what Telegram allows in a webhook secret)"
        )

    port_raw = value("KEEPCUT_WEBHOOK_PORT") or "8080"
    if not port_raw.isdigit() or not 1 <= int(port_raw) <= 65535:
        raise ConfigError("KEEPCUT_WEBHOOK_PORT must be a port number from 1 to 65535")

    base_url = _parse_url("TELEGRAM_BASE_URL", value("TELEGRAM_BASE_URL"), DEFAULT_BASE_URL)
    local_mode = _parse_bool("TELEGRAM_LOCAL_MODE", value("TELEGRAM_LOCAL_MODE"))
    if local_mode is None:
        local_mode = _is_local_server(base_url)

    backup_dir = value("KEEPCUT_BACKUP_DIR")
    keep_raw = value("KEEPCUT_BACKUP_KEEP") or "7"
    if not keep_raw.isdigit() or not 1 <= int(keep_raw) <= 1000:
        raise ConfigError("KEEPCUT_BACKUP_KEEP must be a whole number from 1 to 1000")

    return Settings(
        token=token,
        webhook_listen=value("KEEPCUT_WEBHOOK_LISTEN") or "127.0.0.1",
        webhook_port=int(port_raw),
        webhook_secret=secret,
        db_path=Path(value("KEEPCUT_DB") or "keepcut.db"),
        base_url=base_url,
        base_file_url=_parse_url(
            "TELEGRAM_BASE_FILE_URL",
            value("TELEGRAM_BASE_FILE_URL"),
            DEFAULT_BASE_FILE_URL,
        ),
        allowed_users=_parse_allowed_users(value("KEEPCUT_ALLOWED_USERS")),
        webhook_url=webhook_url,
        log_level=log_level,
        local_mode=local_mode,
        backup_dir=Path(backup_dir) if backup_dir else None,
        backup_keep=int(keep_raw),
    )


def load_db_path(
    environ: Mapping[str, str] | None = None, env_file: Path | None = Path(".env")
) -> Path:
    """KEEPCUT_DB alone, as load_settings reads it: `keepcut backup` and `health` need no token."""
    merged: dict[str, str] = dict(read_env_file(env_file)) if env_file else {}
    merged.update(os.environ if environ is None else environ)

    def value(name: str) -> str:
        """One variable, trimmed ("" when unset); only those listed in ENV_VARS."""
        assert name in ENV_VARS, f"{name} is read but not listed in ENV_VARS"
        return merged.get(name, "").strip()

    return Path(value("KEEPCUT_DB") or "keepcut.db")


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
