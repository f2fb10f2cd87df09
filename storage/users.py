"""People who use the bot: their row, their settings, whether they blocked us."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Literal, cast

from sqlite_utils import Database

from storage.records import Order, Walk
from storage.zones import to_tzinfo

Mode = Literal["review", "recheck"]

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
    timezone_chosen: bool = False
    timezone_asked: bool = False
    review_mode: Mode = "review"
    recheck_since: str | None = None

    @property
    def zone(self) -> tzinfo:
        """The person's time zone (UTC if the stored name is unknown to this system)."""
        return to_tzinfo(self.timezone)

    @property
    def walk(self) -> Walk:
        """How this person goes through their cards now."""
        since = self.recheck_since if self.review_mode == "recheck" else None
        return Walk(self.review_order, since, self.target)

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
        timezone_chosen=bool(row["timezone_chosen"]),
        timezone_asked=bool(row["timezone_asked"]),
        review_mode=cast(Mode, row["review_mode"]),  # CHECKed by the schema
        recheck_since=row["recheck_since"],
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


def set_timezone(db: Database, user_id: int, name: str) -> None:
    """Save the time zone the person chose (an IANA name or "UTC+05:30")."""
    db.execute(
        "UPDATE users SET timezone = ?, timezone_chosen = 1, timezone_asked = 1 WHERE user_id = ?",
        [name, user_id],
    )


def mark_timezone_asked(db: Database, user_id: int) -> None:
    """Remember that the bot asked for the person's time zone (it asks once)."""
    db.execute("UPDATE users SET timezone_asked = 1 WHERE user_id = ?", [user_id])


def set_review_mode(
    db: Database, user_id: int, mode: Mode, recheck_since: str | None = None
) -> None:
    """Switch between the review and the re-check of earlier keeps."""
    db.execute(
        "UPDATE users SET review_mode = ?, recheck_since = coalesce(?, recheck_since) "
        "WHERE user_id = ?",
        [mode, recheck_since, user_id],
    )
