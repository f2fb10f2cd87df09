"""Test-only reference: storage/merge.py as it was before the import was made faster.

A frozen copy, not used by the bot. tests/test_merge.py runs the same imports through
this and through storage.merge and requires every stored row to be the same, byte for
byte. Do not change it to follow storage.merge: its worth is that it stays as it was.
One change only: connections.last_import_id, which nothing read, was dropped from the
schema, so this no longer writes it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from sqlite_utils import Database

from storage.export import ConnectionRecord, ParsedExport, Signals, connection_key
from storage.text import fold
from storage.users import utc_now_iso

_EMPTY = Signals()

_INSERT = """
INSERT INTO connections (
    first_name, last_name, search_name, company, position, url, connected_on,
    connected_sort, connected_on_raw, messages_sent, messages_received, last_message_on,
    endorsements_received, endorsements_given, recommendations_received,
    recommendations_given, invited_by, interactions, user_id, key, first_import_id
) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
"""
_UPDATE_FIELDS = """
UPDATE connections SET
    first_name = ?, last_name = ?, search_name = ?, company = ?, position = ?, url = ?,
    connected_on = ?, connected_sort = ?, connected_on_raw = ?, gone = 0, gone_at = NULL
WHERE id = ?
"""
_UPDATE_SIGNALS = """
UPDATE connections SET
    messages_sent = ?, messages_received = ?, last_message_on = ?,
    endorsements_received = ?, endorsements_given = ?, recommendations_received = ?,
    recommendations_given = ?, invited_by = ?, interactions = ?
WHERE id = ?
"""
_KNOWN = """
SELECT key, id, gone, state,
    first_name, last_name, search_name, company, position, url, connected_on,
    connected_sort, connected_on_raw,
    messages_sent, messages_received, last_message_on, endorsements_received,
    endorsements_given, recommendations_received, recommendations_given, invited_by,
    interactions
FROM connections WHERE user_id = ?
"""


class Fields(NamedTuple):
    """The descriptive columns of a connection, in _INSERT, _UPDATE_FIELDS and _KNOWN order."""

    first_name: str
    last_name: str
    search_name: str
    company: str
    position: str
    url: str | None
    connected_on: str | None
    connected_sort: str
    connected_on_raw: str


_N_FIELDS = len(Fields._fields)


class Stored(NamedTuple):
    """One stored connection as _KNOWN reads it (after its key)."""

    id: int
    gone: int
    state: str | None
    fields: Fields
    signals: tuple


def _stored(row: tuple) -> tuple[str, Stored]:
    """A _KNOWN row as (key, Stored)."""
    key, cid, gone, state = row[:4]
    end = 4 + _N_FIELDS
    return key, Stored(cid, gone, state, Fields._make(row[4:end]), row[end:])


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


def _fields(record: ConnectionRecord, old: Fields | None = None) -> Fields:
    """The descriptive columns of one connection; an export without a URL or a
    readable date keeps what an earlier one said."""
    url = record.url or (old.url if old else None)
    connected_on = record.connected_on.isoformat() if record.connected_on else None
    connected_on = connected_on or (old.connected_on if old else None)
    return Fields(
        record.first_name,
        record.last_name,
        fold(f"{record.first_name} {record.last_name}"),
        record.company,
        record.position,
        url,
        connected_on,
        connected_on or "",
        record.connected_on_raw,
    )


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
        known = dict(_stored(row) for row in db.execute(_KNOWN, [user_id]))
        changes = _diff(parsed, known, user_id, import_id)
        db.conn.executemany("UPDATE connections SET key = ? WHERE id = ?", changes.rekeys)
        db.conn.executemany(_INSERT, changes.inserts)
        db.conn.executemany(_UPDATE_FIELDS, changes.updates)
        db.conn.executemany(_UPDATE_SIGNALS, changes.signal_updates)
        if parsed.has_extra_files:
            _replace_pending_invitations(db, user_id, import_id, parsed)
        # An export with nobody in it (a header-only file) is read, not taken as
        # "everyone left": that would sweep a whole network into "gone".
        gone_ids = changes.gone_ids if parsed.connections else []
        gone_cut = _mark_gone(db, gone_ids, stamp)
        # (Here the legacy merge also rewrote every remaining row's last_import_id: the
        # column is gone from the schema, nothing else about it is changed.)
        recount(db, user_id)
        new, gone, returned = len(changes.inserts), len(gone_ids), changes.returned
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
        unreadable_rows=parsed.unreadable_rows,
        whole_names=parsed.whole_names,
    )


def recount(db: Database, user_id: int) -> None:
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


@dataclass(slots=True)
class _Changes:
    """The writes one import needs, worked out before any is made."""

    rekeys: list[tuple[str, int]] = field(default_factory=list)
    inserts: list[tuple] = field(default_factory=list)
    updates: list[tuple] = field(default_factory=list)
    signal_updates: list[tuple] = field(default_factory=list)
    gone_ids: list[tuple[int, str | None]] = field(default_factory=list)
    returned: int = 0


def _diff(
    parsed: ParsedExport, known: dict[str, Stored], user_id: int, import_id: int
) -> _Changes:
    """Compare the export with what is stored; only real changes become writes."""
    changes = _Changes()
    present = {record.key for record in parsed.connections}
    for record in parsed.connections:
        signals = tuple(_signal_values(parsed.signals.get(record.key, _EMPTY)))
        old = known.get(record.key)
        if old is None and record.url:
            # An export from before LinkedIn added the URL column keyed this person
            # by name and date; carry their row (and decision) over to the URL key.
            name_key = connection_key(
                None, record.first_name, record.last_name, record.connected_on,
                record.connected_on_raw,
            )  # fmt: skip
            old = known.get(name_key) if name_key not in present else None
            if old is not None and old.fields.url is None:
                changes.rekeys.append((record.key, old.id))
                present.add(name_key)
            else:
                old = None
        if old is None:
            changes.inserts.append((*_fields(record), *signals, user_id, record.key, import_id))
            continue
        fields = _fields(record, old.fields)
        if old.gone or fields != old.fields:
            changes.updates.append((*fields, old.id))
            changes.returned += old.gone
        # Only an export that carried the signal files replaces what earlier ones
        # said: a Connections-only re-upload must not wipe a full archive's hints.
        if parsed.has_extra_files and signals != old.signals:
            changes.signal_updates.append((*signals, old.id))
    changes.gone_ids = [
        (row.id, row.state) for key, row in known.items() if not row.gone and key not in present
    ]
    return changes


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
