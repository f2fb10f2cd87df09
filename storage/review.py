"""The review walk: the queue of cards, decisions, undo, reasons, progress."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlite_utils import Database

from storage.text import fold
from storage.users import DEFAULT_TARGET, utc_now_iso

ORDERS = ("weakest", "oldest", "newest")
DECISIONS = ("keep", "cut", "skip")
REASONS = (1, 2, 3, 4, 5)

# Each ORDER BY matches one partial index in storage/schema.py exactly, so the next
# card is found in one index step however many people are already decided.
_QUEUE_ORDER = {
    "weakest": "interactions, connected_sort, id",
    "oldest": "connected_sort, id",
    "newest": "connected_sort DESC, id DESC",
}

CONNECTION_COLUMNS = """
    c.id, c.first_name, c.last_name, c.company, c.position, c.url, c.connected_on,
    c.connected_on_raw, c.messages_sent, c.messages_received, c.last_message_on,
    c.endorsements_received, c.endorsements_given, c.recommendations_received,
    c.recommendations_given, c.invited_by, c.interactions, c.gone, c.state,
    d.reason, d.removed_at, d.seq
"""


def _date(value: str | None) -> date | None:
    """A stored ISO date, or None."""
    return date.fromisoformat(value) if value else None


@dataclass(frozen=True, slots=True)
class Connection:
    """One person in someone's network, with what the export says and the decision."""

    id: int
    first_name: str
    last_name: str
    company: str
    position: str
    url: str | None
    connected_on: date | None
    connected_on_raw: str
    messages_sent: int
    messages_received: int
    last_message_on: date | None
    endorsements_received: int
    endorsements_given: int
    recommendations_received: int
    recommendations_given: int
    invited_by: str | None
    interactions: int
    gone: bool
    state: str | None
    reason: int | None
    removed_at: str | None
    seq: int | None

    @property
    def full_name(self) -> str:
        """First and last name, or a placeholder when the export had neither."""
        return f"{self.first_name} {self.last_name}".strip() or "(no name in export)"

    @classmethod
    def from_row(cls, row: tuple) -> Connection:
        """Build from a row selected with CONNECTION_COLUMNS."""
        (cid, first, last, company, position, url, connected_on, raw, sent, received,
         last_msg, end_in, end_out, rec_in, rec_out, invited_by, inter, gone, state,
         reason, removed_at, seq) = row  # fmt: skip
        return cls(
            cid, first, last, company, position, url, _date(connected_on), raw, sent,
            received, _date(last_msg), end_in, end_out, rec_in, rec_out, invited_by, inter,
            bool(gone), state, reason, removed_at, seq,
        )  # fmt: skip


@dataclass(frozen=True, slots=True)
class Progress:
    """How far a person has come: counts over the connections still in their network."""

    total: int
    kept: int
    cut: int
    skipped: int
    undecided: int
    removed: int
    target: int

    @property
    def reviewed(self) -> int:
        """People with a keep or cut decision."""
        return self.kept + self.cut

    @property
    def network_after(self) -> int:
        """The network size once every cut person is removed."""
        return self.total - self.cut


@dataclass(frozen=True, slots=True)
class LastDecision:
    """The most recent decision, which Undo would take back."""

    connection_id: int
    seq: int
    decision: str
    reason: int | None
    name: str


@dataclass(frozen=True, slots=True)
class CardView:
    """Everything a card shows: the person (None when done), progress, what Undo undoes."""

    connection: Connection | None
    progress: Progress
    last: LastDecision | None
    order: str
    signals_known: bool = False


class Outcome(enum.Enum):
    """What a button press did."""

    APPLIED = "applied"
    UNCHANGED = "unchanged"
    MISSING = "missing"


def get_connection(db: Database, user_id: int, connection_id: int) -> Connection | None:
    """This person's connection with that id (never anyone else's), or None."""
    row = db.execute(
        f"SELECT {CONNECTION_COLUMNS} FROM connections c "
        "LEFT JOIN decisions d ON d.connection_id = c.id WHERE c.id = ? AND c.user_id = ?",
        [connection_id, user_id],
    ).fetchone()
    return Connection.from_row(row) if row else None


def next_connection(db: Database, user_id: int, order: str = "weakest") -> Connection | None:
    """The next card: the first undecided person in this order, then skipped ones."""
    row = db.execute(
        f"SELECT {CONNECTION_COLUMNS} FROM connections c "
        "LEFT JOIN decisions d ON d.connection_id = c.id "
        "WHERE c.user_id = ? AND c.state IS NULL AND c.gone = 0 "
        f"ORDER BY {_QUEUE_ORDER[order]} LIMIT 1",
        [user_id],
    ).fetchone()
    if row is None:
        # Skipped people come back at the end of the queue, earliest skip first.
        row = db.execute(
            f"SELECT {CONNECTION_COLUMNS} FROM decisions d "
            "JOIN connections c ON c.id = d.connection_id "
            "WHERE d.user_id = ? AND d.decision = 'skip' AND c.gone = 0 "
            "ORDER BY d.seq LIMIT 1",
            [user_id],
        ).fetchone()
    return Connection.from_row(row) if row else None


def progress(db: Database, user_id: int) -> Progress:
    """Counts of kept, cut, skipped and undecided people, and the target."""
    # Kept up to date by triggers (storage/schema.py): one small read per press.
    counts = dict(
        db.execute("SELECT bucket, n FROM progress_counts WHERE user_id = ?", [user_id]).fetchall()
    )
    target_row = db.execute("SELECT target FROM users WHERE user_id = ?", [user_id]).fetchone()
    kept, cut = counts.get("keep", 0), counts.get("cut", 0)
    skipped, undecided = counts.get("skip", 0), counts.get("undecided", 0)
    return Progress(
        total=kept + cut + skipped + undecided,
        kept=kept,
        cut=cut,
        skipped=skipped,
        undecided=undecided,
        removed=counts.get("removed", 0),
        target=target_row[0] if target_row else DEFAULT_TARGET,
    )


def last_decision(db: Database, user_id: int) -> LastDecision | None:
    """The decision Undo would take back, or None."""
    row = db.execute(
        "SELECT d.connection_id, d.seq, d.decision, d.reason, c.first_name, c.last_name "
        "FROM decisions d JOIN connections c ON c.id = d.connection_id "
        "WHERE d.user_id = ? ORDER BY d.seq DESC LIMIT 1",
        [user_id],
    ).fetchone()
    if row is None:
        return None
    cid, seq, decision, reason, first, last = row
    return LastDecision(cid, seq, decision, reason, f"{first} {last}".strip())


def card_view(
    db: Database, user_id: int, order: str = "weakest", connection_id: int | None = None
) -> CardView:
    """The card to show: a chosen person, or the next one in the queue."""
    connection = (
        get_connection(db, user_id, connection_id)
        if connection_id is not None
        else next_connection(db, user_id, order)
    )
    if connection is not None and connection.gone:
        connection = next_connection(db, user_id, order)
    return CardView(
        connection,
        progress(db, user_id),
        last_decision(db, user_id),
        order,
        signals_known(db, user_id),
    )


def signals_known(db: Database, user_id: int) -> bool:
    """Whether any of this person's imports carried messages or endorsements files."""
    row = db.execute(
        "SELECT 1 FROM imports WHERE user_id = ? AND has_signals = 1 LIMIT 1", [user_id]
    ).fetchone()
    return row is not None


def _next_seq(db: Database, user_id: int) -> int:
    """A fresh, never reused decision number for this person."""
    db.execute("UPDATE users SET last_seq = last_seq + 1 WHERE user_id = ?", [user_id])
    return db.execute("SELECT last_seq FROM users WHERE user_id = ?", [user_id]).fetchone()[0]


def decide(
    db: Database, user_id: int, connection_id: int, decision: str, now: datetime | None = None
) -> Outcome:
    """Record keep/cut/skip for one of this person's connections; repeats change nothing."""
    if decision not in DECISIONS:
        raise ValueError(f"unknown decision {decision!r}")
    with db.atomic():
        row = db.execute(
            "SELECT c.gone, d.decision FROM connections c "
            "LEFT JOIN decisions d ON d.connection_id = c.id WHERE c.id = ? AND c.user_id = ?",
            [connection_id, user_id],
        ).fetchone()
        if row is None or row[0]:
            return Outcome.MISSING
        if row[1] == decision:
            return Outcome.UNCHANGED
        db.execute(
            """
            INSERT INTO decisions (connection_id, user_id, decision, decided_at, seq)
            VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (connection_id) DO UPDATE SET
                decision = excluded.decision, decided_at = excluded.decided_at,
                seq = excluded.seq, reason = NULL, removed_at = NULL, link_sent_at = NULL
            """,
            [connection_id, user_id, decision, utc_now_iso(now), _next_seq(db, user_id)],
        )
    return Outcome.APPLIED


def undo(db: Database, user_id: int, connection_id: int, seq: int) -> Outcome:
    """Take back exactly the decision numbered `seq` (a repeated press finds nothing)."""
    cursor = db.execute(
        "DELETE FROM decisions WHERE connection_id = ? AND user_id = ? AND seq = ?",
        [connection_id, user_id, seq],
    )
    return Outcome.APPLIED if cursor.rowcount else Outcome.UNCHANGED


def undo_last(db: Database, user_id: int) -> Connection | None:
    """Take back the most recent decision; return that person, or None if there is none."""
    last = last_decision(db, user_id)
    if last is None:
        return None
    undo(db, user_id, last.connection_id, last.seq)
    return get_connection(db, user_id, last.connection_id)


def set_reason(db: Database, user_id: int, connection_id: int, reason: int) -> Outcome:
    """Tag a cut with one of the five reasons (only a cut; only the person's own)."""
    if reason not in REASONS:
        return Outcome.MISSING
    cursor = db.execute(
        "UPDATE decisions SET reason = ? "
        "WHERE connection_id = ? AND user_id = ? AND decision = 'cut' "
        "AND reason IS NOT ?",
        [reason, connection_id, user_id, reason],
    )
    if cursor.rowcount:
        return Outcome.APPLIED
    exists = db.execute(
        "SELECT 1 FROM decisions WHERE connection_id = ? AND user_id = ? AND decision = 'cut'",
        [connection_id, user_id],
    ).fetchone()
    return Outcome.UNCHANGED if exists else Outcome.MISSING


def set_order(db: Database, user_id: int, order: str) -> None:
    """Remember the order the person wants cards in."""
    if order not in ORDERS:
        raise ValueError(f"unknown order {order!r}")
    db.execute("UPDATE users SET review_order = ? WHERE user_id = ?", [order, user_id])


def find(db: Database, user_id: int, query: str, limit: int = 8) -> list[Connection]:
    """People in this person's network whose name contains the query (accents ignored)."""
    needle = fold(query)
    if not needle:
        return []
    escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    rows = db.execute(
        f"SELECT {CONNECTION_COLUMNS} FROM connections c "
        "LEFT JOIN decisions d ON d.connection_id = c.id "
        "WHERE c.user_id = ? AND c.gone = 0 AND c.search_name LIKE ? ESCAPE '\\' "
        "ORDER BY c.search_name LIKE ? ESCAPE '\\' DESC, c.search_name, c.id LIMIT ?",
        [user_id, f"%{escaped}%", f"{escaped}%", limit],
    ).fetchall()
    return [Connection.from_row(r) for r in rows]


def recent_pace(db: Database, user_id: int, now: datetime, days: int = 14) -> float:
    """Keep/cut decisions per day over the last `days` days (0.0 when idle)."""
    since = utc_now_iso(now - timedelta(days=days))
    count = db.execute(
        "SELECT count(*) FROM decisions WHERE user_id = ? AND decision != 'skip' "
        "AND decided_at >= ?",
        [user_id, since],
    ).fetchone()[0]
    return count / days


def press(
    db: Database,
    user_id: int,
    kind: str,
    connection_id: int,
    value: str | int | None,
    order: str = "weakest",
    now: datetime | None = None,
) -> tuple[Outcome, CardView]:
    """One card button, whole: apply it, then load the card to show next.

    decide / undo / reason act on the connection the button names (checked against
    the presser); view only opens that person's card. One call, so a press costs
    one hop to the database thread.
    """
    show: int | None = None
    if kind == "decide":
        outcome = decide(db, user_id, connection_id, str(value), now)
    elif kind == "undo":
        outcome = undo(db, user_id, connection_id, int(value or 0))
        show = connection_id if outcome is Outcome.APPLIED else None
    elif kind == "reason":
        outcome = set_reason(db, user_id, connection_id, int(value or 0))
    elif kind == "view":
        found = get_connection(db, user_id, connection_id)
        outcome = Outcome.APPLIED if found and not found.gone else Outcome.MISSING
        show = connection_id if outcome is Outcome.APPLIED else None
    else:
        raise ValueError(f"not a card button: {kind!r}")
    return outcome, card_view(db, user_id, order, show)
