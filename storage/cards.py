"""What a card shows, and one press on it: apply the command, load the next card."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlite_utils import Database

from storage.decisions import decide, last_decision, set_reason, undo
from storage.progress import progress
from storage.queue import get_connection, next_connection, signals_known
from storage.recheck import keep_still, next_to_recheck, waiting_count
from storage.records import CardView, Connection, Decision, Outcome, Walk


@dataclass(frozen=True, slots=True)
class Decide:
    """Keep, cut or skip this connection."""

    connection_id: int
    decision: Decision


@dataclass(frozen=True, slots=True)
class Undo:
    """Undo decision number `seq`, which was about this connection."""

    connection_id: int
    seq: int


@dataclass(frozen=True, slots=True)
class Reason:
    """Say why this connection was cut (1-5)."""

    connection_id: int
    reason: int


@dataclass(frozen=True, slots=True)
class View:
    """Show this connection's card (from /find)."""

    connection_id: int


@dataclass(frozen=True, slots=True)
class StillKeep:
    """In the yearly re-check: keep this connection, as decided before."""

    connection_id: int


CardCommand = Decide | Undo | Reason | View | StillKeep
WALK = Walk()  # the weakest ties first, no re-check, the target read from the store


def card_view(
    db: Database, user_id: int, walk: Walk = WALK, connection_id: int | None = None
) -> CardView:
    """The card to show: a chosen person, or the next in the queue (or the re-check)."""
    connection = None if connection_id is None else get_connection(db, user_id, connection_id)
    if connection is None or connection.gone:
        connection = _next(db, user_id, walk)
    since = walk.recheck_since
    return CardView(
        connection,
        progress(db, user_id, walk.target),
        last_decision(db, user_id),
        walk.order,
        signals_known(db, user_id),
        None if since is None else waiting_count(db, user_id, since),
        since,
    )


def _next(db: Database, user_id: int, walk: Walk) -> Connection | None:
    """The next person: from the re-check when one is on, else from the review queue."""
    if walk.recheck_since is not None:
        return next_to_recheck(db, user_id, walk.recheck_since)
    return next_connection(db, user_id, walk.order)


def press(
    db: Database,
    user_id: int,
    command: CardCommand,
    walk: Walk = WALK,
    now: datetime | None = None,
) -> tuple[Outcome, CardView]:
    """One card button, whole: apply it, then load the card to show next.

    Every command names a connection, which is checked against the presser; View
    only opens that person's card. One call, so a press costs one hop to the
    database thread.
    """
    show: int | None = None
    match command:
        case Decide(connection_id, decision):
            outcome = decide(db, user_id, connection_id, decision, now)
        case Undo(connection_id, seq):
            outcome = undo(db, user_id, connection_id, seq)
            show = connection_id if outcome is Outcome.APPLIED else None
        case Reason(connection_id, reason):
            outcome = set_reason(db, user_id, connection_id, reason)
        case View(connection_id):
            found = get_connection(db, user_id, connection_id)
            outcome = Outcome.APPLIED if found and not found.gone else Outcome.MISSING
            show = connection_id if outcome is Outcome.APPLIED else None
        case StillKeep(connection_id):
            outcome = keep_still(db, user_id, connection_id, now)
    return outcome, card_view(db, user_id, walk, show)
