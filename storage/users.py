"""People who use the bot: their row, their settings, whether they blocked us."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import cast
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlite_utils import Database

from storage.records import Order

DEFAULT_TARGET = 500
MAX_TARGET = 30_000


def utc_now_iso(now: datetime | None = None) -> str:
    """A UTC timestamp as stored in the database (ISO 8601, seconds)."""
    return (now or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True, slots=True)
class User:
    """What the bot knows about one person."""

    user_id: int
    chat_id: int
    first_name: str
    timezone: str
    target: int
    review_order: Order
    daily_links: int
    card_message_id: int | None
    blocked: bool

    @property
    def zone(self) -> ZoneInfo:
        """The person's time zone (UTC if the stored name is unknown to this system)."""
        try:
            return ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            return ZoneInfo("UTC")

    def today(self, now: datetime | None = None) -> date:
        """Today's date where the person lives (UTC until they set a time zone)."""
        return (now or datetime.now(UTC)).astimezone(self.zone).date()


def _user_from_row(row: dict) -> User:
    """Build a User from a users row."""
    return User(
        user_id=row["user_id"],
        chat_id=row["chat_id"],
        first_name=row["first_name"],
        timezone=row["timezone"],
        target=row["target"],
        review_order=cast(Order, row["review_order"]),  # CHECKed by the schema
        daily_links=row["daily_links"],
        card_message_id=row["card_message_id"],
        blocked=bool(row["blocked"]),
    )


def touch_user(
    db: Database, user_id: int, chat_id: int, first_name: str, now: datetime | None = None
) -> User:
    """Record that a person wrote to the bot (creating them on first contact)."""
    moment = now or datetime.now(UTC)
    stamp = utc_now_iso(moment)
    db.execute(
        """
        INSERT INTO users (user_id, chat_id, first_name, created_at, last_seen_at)
        VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (user_id) DO UPDATE SET
            chat_id = excluded.chat_id,
            first_name = excluded.first_name,
            last_seen_at = excluded.last_seen_at,
            blocked = 0
        -- Every button press passes here: write only when something changed or a
        -- minute has gone by, so a press costs one write (its decision), not two.
        WHERE users.chat_id != excluded.chat_id
           OR users.first_name != excluded.first_name
           OR users.blocked
           OR users.last_seen_at < ?
        """,
        [user_id, chat_id, first_name, stamp, stamp, utc_now_iso(moment - timedelta(minutes=1))],
    )
    user = get_user(db, user_id)
    assert user is not None
    return user


def get_user(db: Database, user_id: int) -> User | None:
    """The person with this Telegram id, or None if they never wrote."""
    for row in db.query("SELECT * FROM users WHERE user_id = ?", [user_id]):
        return _user_from_row(row)
    return None


def set_blocked(db: Database, user_id: int, blocked: bool) -> None:
    """Mark whether the person has blocked the bot (no messages are sent while blocked)."""
    db.execute("UPDATE users SET blocked = ? WHERE user_id = ?", [int(blocked), user_id])


def set_target(db: Database, user_id: int, target: int) -> None:
    """Set the network size the person is aiming for."""
    if not 1 <= target <= MAX_TARGET:
        raise ValueError(f"target out of range: {target}")
    db.execute("UPDATE users SET target = ? WHERE user_id = ?", [target, user_id])


def set_card_message(db: Database, user_id: int, message_id: int | None) -> None:
    """Remember which message is the person's review card (edited in place)."""
    db.execute("UPDATE users SET card_message_id = ? WHERE user_id = ?", [message_id, user_id])


def claim_group_notice(db: Database, chat_id: int, now: datetime | None = None) -> bool:
    """True the first time a group chat is seen, so the bot explains itself only once."""
    cursor = db.execute(
        "INSERT OR IGNORE INTO declined_chats (chat_id, told_at) VALUES (?, ?)",
        [chat_id, utc_now_iso(now)],
    )
    return cursor.rowcount == 1
