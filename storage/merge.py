"""Applying an import to what is stored: new people, people gone, decisions kept."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from sqlite_utils import Database

from storage.export import ParsedExport
from storage.import_diff import FIELD_COLUMNS, SIGNAL_COLUMNS, diff, stored_rows
from storage.users import utc_now_iso

# Rows per INSERT statement (fewer if SQLite allows fewer parameters). One statement per
# row costs a third more at 30,000 rows: each run sets up anew what it touches (the table,
# four indexes, the foreign-key and CHECK lookups). 500 rows a statement are a few per
# cent slower than 2,000, and 2,500 no faster: past that, only the statement grows.
_ROWS_PER_INSERT = 2_000
_UPDATE_FIELDS = f"""
UPDATE connections SET {", ".join(f"{c} = ?" for c in FIELD_COLUMNS)}, gone = 0, gone_at = NULL
WHERE id = ?
"""
_UPDATE_SIGNALS = f"""
UPDATE connections SET {", ".join(f"{c} = ?" for c in SIGNAL_COLUMNS)} WHERE id = ?
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
    unreadable_rows: int = 0
    """Garbled rows of the file that were left out (told to the person)."""
    whole_names: bool = False
    """The file had no Last Name column: names were kept whole."""


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
        assert import_id is not None  # an INSERT into a rowid table always sets it
        known = stored_rows(db, user_id, parsed)
        changes = diff(parsed, known, user_id, import_id)
        db.conn.executemany("UPDATE connections SET key = ? WHERE id = ?", changes.rekeys)
        _insert_connections(db, changes.insert_columns, changes.new_values)
        db.conn.executemany(_UPDATE_FIELDS, changes.updates)
        db.conn.executemany(_UPDATE_SIGNALS, changes.signal_updates)
        if parsed.has_extra_files:
            _replace_pending_invitations(db, user_id, import_id, parsed)
        # An export with nobody in it (a header-only file) is read, not taken as
        # "everyone left": that would sweep a whole network into "gone".
        # Nor is one with rows that could not be read: those people may be the missing
        # ones, and a cut person counted "gone" would be counted removed.
        complete = parsed.connections and not parsed.unreadable_rows
        gone_ids = changes.gone_ids if complete else []
        gone_cut = _mark_gone(db, gone_ids, stamp)
        counts = recount(db, user_id)
        new, gone, returned = changes.new_count, len(gone_ids), changes.returned
        undecided = counts.get("undecided", 0) + counts.get("skip", 0)
        total = undecided + counts.get("keep", 0) + counts.get("cut", 0)
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
        unreadable_rows=parsed.unreadable_rows,
        whole_names=parsed.whole_names,
    )


def recount(db: Database, user_id: int) -> dict[str, int]:
    """Recompute a person's progress counters from their rows (after an import)."""
    db.execute("DELETE FROM progress_counts WHERE user_id = ? AND bucket != 'removed'", [user_id])
    db.execute(
        """
        INSERT INTO progress_counts (user_id, bucket, n)
        SELECT user_id, CASE WHEN gone THEN 'gone' ELSE ifnull(state, 'undecided') END, count(*)
        FROM connections WHERE user_id = ? GROUP BY 1, 2
        """,
        [user_id],
    )
    # The counts just written, by bucket ("removed" included), to spare a second count.
    return dict(
        db.execute("SELECT bucket, n FROM progress_counts WHERE user_id = ?", [user_id]).fetchall()
    )


def _insert_connections(db: Database, columns: tuple[str, ...], values: list[object]) -> None:
    """Insert new connections in file order, many rows per statement (`values` flat)."""
    width = len(columns)
    limit = db.conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    step = max(1, min(_ROWS_PER_INSERT, limit // width)) * width
    head = f"INSERT INTO connections ({', '.join(columns)}) VALUES "
    one_row = f"({', '.join('?' * width)})"
    for start in range(0, len(values), step):
        chunk = values[start : start + step]
        db.conn.execute(head + ", ".join([one_row] * (len(chunk) // width)), chunk)


def _mark_gone(db: Database, gone_ids: list[tuple[int, str | None]], stamp: str) -> int:
    """Mark people missing from this import as gone; a gone cut counts as removed."""
    cut_ids = [(stamp, cid) for cid, state in gone_ids if state == "cut"]
    db.conn.executemany(
        "UPDATE decisions SET removed_at = ? WHERE connection_id = ? AND removed_at IS NULL",
        cut_ids,
    )
    db.conn.executemany(
        "UPDATE connections SET gone = 1, gone_at = ? WHERE id = ?",
        [(stamp, cid) for cid, _ in gone_ids],
    )
    return len(cut_ids)


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
