"""Decisions: keep, cut or skip, numbered so Undo takes back exactly one; cut reasons."""

from __future__ import annotations

from datetime import datetime

from sqlite_utils import Database

from storage.queue import get_connection
from storage.records import DECISIONS, REASONS, Connection, Decision, LastDecision, Outcome
from storage.users import utc_now_iso


def _next_seq(db: Database, user_id: int) -> int:
    """A fresh, never reused decision number for this person."""
    return db.execute(
        "UPDATE users SET last_seq = last_seq + 1 WHERE user_id = ? RETURNING last_seq", [user_id]
    ).fetchone()[0]


def decide(
    db: Database,
    user_id: int,
    connection_id: int,
    decision: Decision,
    now: datetime | None = None,
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
        seq = _next_seq(db, user_id)
        if row[1] in ("keep", "cut"):
            # A change of mind: keep what it replaces, so Undo can bring that back (a
            # skip only put the card off; taking back what followed leaves it undecided).
            db.execute(
                """
                INSERT OR REPLACE INTO decision_undo (connection_id, user_id, seq, decision,
                    reason, decided_at, old_seq, removed_at, link_sent_at, rechecked_at)
                SELECT connection_id, user_id, ?, decision, reason, decided_at, seq,
                    removed_at, link_sent_at, rechecked_at
                FROM decisions WHERE connection_id = ?
                """,
                [seq, connection_id],
            )
        db.execute(
            """
            INSERT INTO decisions (connection_id, user_id, decision, decided_at, seq)
            VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (connection_id) DO UPDATE SET
                decision = excluded.decision, decided_at = excluded.decided_at,
                seq = excluded.seq, reason = NULL, removed_at = NULL, link_sent_at = NULL,
                rechecked_at = NULL
            """,
            [connection_id, user_id, decision, utc_now_iso(now), seq],
        )
    return Outcome.APPLIED


def last_decision(db: Database, user_id: int) -> LastDecision | None:
    """The decision Undo would take back, or None."""
    row = db.execute(
        "SELECT d.connection_id, d.seq, d.decision, d.reason, c.first_name, c.last_name, "
        "d.decided_at "
        "FROM decisions d JOIN connections c ON c.id = d.connection_id "
        "WHERE d.user_id = ? ORDER BY d.seq DESC LIMIT 1",
        [user_id],
    ).fetchone()
    if row is None:
        return None
    cid, seq, decision, reason, first, last, decided_at = row
    return LastDecision(cid, seq, decision, reason, f"{first} {last}".strip(), decided_at)


def undo(db: Database, user_id: int, connection_id: int, seq: int) -> Outcome:
    """Take back exactly the decision numbered `seq` (a repeated press finds nothing).

    A decision that changed an earlier one gives that one back; a first decision
    leaves the person undecided again.
    """
    with db.atomic():
        restored = db.execute(
            """
            UPDATE decisions SET (decision, reason, decided_at, seq, removed_at,
                link_sent_at, rechecked_at) = (
                SELECT decision, reason, decided_at, old_seq, removed_at, link_sent_at,
                    rechecked_at
                FROM decision_undo u WHERE u.connection_id = decisions.connection_id)
            WHERE connection_id = ? AND user_id = ? AND seq = ? AND EXISTS (
                SELECT 1 FROM decision_undo u
                WHERE u.connection_id = decisions.connection_id AND u.seq = decisions.seq)
            """,
            [connection_id, user_id, seq],
        ).rowcount
        if restored:
            db.execute("DELETE FROM decision_undo WHERE connection_id = ?", [connection_id])
            return Outcome.APPLIED
        # A first decision: no earlier one to give back (decision_undo has none for it).
        deleted = db.execute(
            "DELETE FROM decisions WHERE connection_id = ? AND user_id = ? AND seq = ?",
            [connection_id, user_id, seq],
        ).rowcount
    return Outcome.APPLIED if deleted else Outcome.UNCHANGED


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
