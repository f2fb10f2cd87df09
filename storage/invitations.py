"""Outgoing invitations from the latest full export that never became connections."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlite_utils import Database

from storage.queue import signals_known


@dataclass(frozen=True, slots=True)
class PendingInvitation:
    """An outgoing invitation that never turned into a connection."""

    name: str
    url: str
    sent_on: date | None


def pending_invitations(
    db: Database, user_id: int, min_age_days: int = 56
) -> tuple[bool, list[PendingInvitation]]:
    """Outgoing invitations older than `min_age_days` at export time, oldest first.

    The first value says whether any import carried Invitations.csv at all.
    """
    has_file = signals_known(db, user_id)
    rows = db.execute(
        """
        SELECT p.name, p.url, p.sent_on FROM pending_invitations p
        JOIN imports i ON i.id = p.import_id
        WHERE p.user_id = ? AND p.sent_on IS NOT NULL
          AND p.sent_on <= date(i.imported_at, ?)
          AND p.url NOT IN (
              SELECT url FROM connections WHERE user_id = ? AND url IS NOT NULL AND gone = 0
          )
        ORDER BY p.sent_on, p.id
        """,
        [user_id, f"-{min_age_days} days", user_id],
    ).fetchall()
    return has_file, [
        PendingInvitation(name, url, date.fromisoformat(sent) if sent else None)
        for name, url, sent in rows
    ]
