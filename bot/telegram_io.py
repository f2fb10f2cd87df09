"""Tolerant sending and editing: the few Telegram errors that are normal, by name."""

from __future__ import annotations

import logging

from telegram.error import BadRequest, Forbidden

log = logging.getLogger(__name__)


def is_not_modified(exc: BadRequest) -> bool:
    """The edit would not change the message (a double tap, a repeated update)."""
    return "message is not modified" in exc.message.lower()


def is_message_gone(exc: BadRequest) -> bool:
    """The message to edit no longer exists or can no longer be edited."""
    text = exc.message.lower()
    return (
        "message to edit not found" in text
        or "message can't be edited" in text
        or "message_id_invalid" in text
    )


def is_query_too_old(exc: BadRequest) -> bool:
    """The callback query can no longer be answered (after downtime, or answered twice)."""
    return "query is too old" in exc.message.lower()


def is_blocked(exc: Forbidden) -> bool:
    """The person blocked the bot or deleted their account."""
    text = exc.message.lower()
    return "blocked by the user" in text or "user is deactivated" in text
