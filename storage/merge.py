"""Applying an import to what is stored: new people, people gone, decisions kept."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlite_utils import Database

from storage.export import ConnectionRecord, ParsedExport, Signals
from storage.text import fold
from storage.users import utc_now_iso

_EMPTY = Signals()

_UPSERT = """
INSERT INTO connections (
    user_id, key, first_name, last_name, search_name, company, position, url,
    connected_on, connected_on_raw, messages_sent, messages_received, last_message_on,
    endorsements_received, endorsements_given, recommendations_received,
    recommendations_given, invited_by, interactions, first_import_id, last_import_id
) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (user_id, key) DO UPDATE SET
    first_name = excluded.first_name,
    last_name = excluded.last_name,
    search_name = excluded.search_name,
    company = excluded.company,
    position = excluded.position,
    url = coalesce(excluded.url, connections.url),
    connected_on = coalesce(excluded.connected_on, connections.connected_on),
    connected_on_raw = excluded.connected_on_raw,
    last_import_id = excluded.last_import_id,
    gone = 0,
    gone_at = NULL
"""

# Only an export that carried the signal files replaces what earlier ones said:
# a Connections-only re-upload must not wipe the hints of a full archive.
_UPDATE_SIGNALS = """
UPDATE connections SET
    messages_sent = ?, messages_received = ?, last_message_on = ?,
    endorsements_received = ?, endorsements_given = ?, recommendations_received = ?,
    recommendations_given = ?, invited_by = ?, interactions = ?
WHERE user_id = ? AND key = ?
"""


@dataclass(frozen=True, slots=True)
class ImportSummary:
    """What an import changed, for the reply to the person."""

    import_id: int
    first_import: bool
    rows_read: int
    new: int
    gone: int
    gone_cut: int
    returned: int
    total: int
    undecided: int
    has_signals: bool


def interactions(signals: Signals) -> int:
    """How many exchanges the export records with a person (the weakest ties have none)."""
    return (
        signals.messages_sent
        + signals.messages_received
        + signals.endorsements_received
        + signals.endorsements_given
        + signals.recommendations_received
        + signals.recommendations_given
    )


def _signal_values(signals: Signals) -> list[object]:
    """The signal columns of one connection, in _UPDATE_SIGNALS order."""
    return [
        signals.messages_sent,
        signals.messages_received,
        signals.last_message_on.isoformat() if signals.last_message_on else None,
        signals.endorsements_received,
        signals.endorsements_given,
        signals.recommendations_received,
        signals.recommendations_given,
        signals.invited_by,
        interactions(signals),
    ]


def _row(user_id: int, record: ConnectionRecord, signals: Signals, import_id: int) -> list:
    """The INSERT values of one connection."""
    return [
        user_id,
        record.key,
        record.first_name,
        record.last_name,
        fold(f"{record.first_name} {record.last_name}"),
        record.company,
        record.position,
        record.url,
        record.connected_on.isoformat() if record.connected_on else None,
        record.connected_on_raw,
        *_signal_values(signals),
        import_id,
        import_id,
    ]


def apply_import(
    db: Database,
    user_id: int,
    parsed: ParsedExport,
    file_name: str = "",
    now: datetime | None = None,
) -> ImportSummary:
    """Merge a parsed export into the person's connections, all or nothing."""
    stamp = utc_now_iso(now)
    with db.atomic():
        first_import = (
            db.execute("SELECT 1 FROM imports WHERE user_id = ? LIMIT 1", [user_id]).fetchone()
            is None
        )
        import_id = db.execute(
            "INSERT INTO imports (user_id, imported_at, file_name, source, has_signals) "
            "VALUES (?, ?, ?, ?, ?)",
            [user_id, stamp, file_name[:200], parsed.source, int(parsed.has_extra_files)],
        ).lastrowid
        known = dict(
            db.execute("SELECT key, gone FROM connections WHERE user_id = ?", [user_id]).fetchall()
        )
        new = sum(1 for r in parsed.connections if r.key not in known)
        returned = sum(1 for r in parsed.connections if known.get(r.key) == 1)

        db.conn.executemany(
            _UPSERT,
            (
                _row(user_id, r, parsed.signals.get(r.key, _EMPTY), import_id)
                for r in parsed.connections
            ),
        )
        if parsed.has_extra_files:
            db.conn.executemany(
                _UPDATE_SIGNALS,
                (
                    [*_signal_values(parsed.signals.get(r.key, _EMPTY)), user_id, r.key]
                    for r in parsed.connections
                    if r.key in known
                ),
            )
            _replace_pending_invitations(db, user_id, import_id, parsed)

        # An export with nobody in it (a header-only file) is read, not taken as
        # "everyone left": that would sweep a whole network into "gone".
        gone, gone_cut = (
            _mark_gone(db, user_id, import_id, stamp) if parsed.connections else (0, 0)
        )
        total, undecided = db.execute(
            "SELECT count(*), count(*) FILTER (WHERE state IS NULL OR state = 'skip') "
            "FROM connections WHERE user_id = ? AND gone = 0",
            [user_id],
        ).fetchone()
        db.execute(
            """
            UPDATE imports SET rows_read = ?, new_count = ?, gone_count = ?,
                gone_cut_count = ?, returned_count = ?, undecided_count = ?,
                skipped_rows = ?, undated_rows = ?
            WHERE id = ?
            """,
            [
                len(parsed.connections),
                new,
                gone,
                gone_cut,
                returned,
                undecided,
                parsed.skipped_rows,
                parsed.undated_rows,
                import_id,
            ],
        )
    return ImportSummary(
        import_id=import_id,
        first_import=first_import,
        rows_read=len(parsed.connections),
        new=new,
        gone=gone,
        gone_cut=gone_cut,
        returned=returned,
        total=total,
        undecided=undecided,
        has_signals=parsed.has_extra_files,
    )


def _mark_gone(db: Database, user_id: int, import_id: int, stamp: str) -> tuple[int, int]:
    """Mark people missing from this import as gone; a gone cut counts as removed."""
    gone_cut = db.execute(
        "SELECT count(*) FROM connections "
        "WHERE user_id = ? AND gone = 0 AND last_import_id != ? AND state = 'cut'",
        [user_id, import_id],
    ).fetchone()[0]
    db.execute(
        """
        UPDATE decisions SET removed_at = ?
        WHERE removed_at IS NULL AND connection_id IN (
            SELECT id FROM connections
            WHERE user_id = ? AND gone = 0 AND last_import_id != ? AND state = 'cut'
        )
        """,
        [stamp, user_id, import_id],
    )
    gone = db.execute(
        "UPDATE connections SET gone = 1, gone_at = ? "
        "WHERE user_id = ? AND gone = 0 AND last_import_id != ?",
        [stamp, user_id, import_id],
    ).rowcount
    return gone, gone_cut


def _replace_pending_invitations(
    db: Database, user_id: int, import_id: int, parsed: ParsedExport
) -> None:
    """Keep the outgoing invitations whose invitee is not (yet) a connection."""
    db.execute("DELETE FROM pending_invitations WHERE user_id = ?", [user_id])
    connected = {r.url for r in parsed.connections if r.url}
    db.conn.executemany(
        "INSERT INTO pending_invitations (user_id, import_id, url, name, sent_on) "
        "VALUES (?, ?, ?, ?, ?)",
        (
            [
                user_id,
                import_id,
                inv.url,
                inv.name,
                inv.sent_on.isoformat() if inv.sent_on else None,
            ]
            for inv in parsed.outgoing_invitations
            if inv.url and inv.url not in connected
        ),
    )
