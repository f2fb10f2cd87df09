"""An export compared with what is stored: the writes an import needs, worked out first."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlite_utils import Database

from storage.export import ParsedExport, Signals, connection_key
from storage.text import fold

FIELD_COLUMNS = (
    "first_name", "last_name", "search_name", "company", "position", "url", "connected_on",
    "connected_sort", "connected_on_raw",
)  # fmt: skip
"""The descriptive columns of a connection, in the order a diff writes them."""
COMPARED_COLUMNS = (
    "first_name", "last_name", "company", "position", "url", "connected_on", "connected_on_raw",
)  # fmt: skip
"""The ones a diff compares: search_name and connected_sort follow from them, so a row whose
compared columns are unchanged has them unchanged too (and they need not be read back)."""
SIGNAL_COLUMNS = (
    "messages_sent", "messages_received", "last_message_on", "endorsements_received",
    "endorsements_given", "recommendations_received", "recommendations_given", "invited_by",
    "interactions",
)  # fmt: skip
"""What the rest of the export says about a connection, in the order a diff writes it."""
NEW_ROW_COLUMNS = ("user_id", "key", "first_import_id")
"""The bookkeeping columns of a new connection, after its fields (and signals)."""

# Positions in a row of stored_rows(): key, id, gone, state, the compared columns, then
# the signals.
_ID, _GONE, _STATE, _FIELDS = 1, 2, 3, 4
_URL = _FIELDS + COMPARED_COLUMNS.index("url")
_CONNECTED_ON = _FIELDS + COMPARED_COLUMNS.index("connected_on")
_SIGNALS = _FIELDS + len(COMPARED_COLUMNS)
_END = _SIGNALS + len(SIGNAL_COLUMNS)


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


def signal_values(signals: Signals) -> tuple[object, ...]:
    """The signal columns of one connection, in SIGNAL_COLUMNS order."""
    return (
        signals.messages_sent,
        signals.messages_received,
        signals.last_message_on.isoformat() if signals.last_message_on else None,
        signals.endorsements_received,
        signals.endorsements_given,
        signals.recommendations_received,
        signals.recommendations_given,
        signals.invited_by,
        interactions(signals),
    )


NO_SIGNALS = signal_values(Signals())
"""The signal columns of someone the export says nothing more about: the columns' defaults."""


def _signal_columns(signals: Signals | None) -> tuple[object, ...]:
    """The signal columns for one person's signals, if the export has any for them."""
    # Most people have none: one shared tuple, not a new one each.
    return NO_SIGNALS if signals is None else signal_values(signals)


def stored_rows(db: Database, user_id: int, parsed: ParsedExport) -> dict[str, tuple]:
    """The person's stored connections by key, as `diff` compares them with this export.

    Each row is key, id, gone, state, the fields, then the signals, which are read only
    when this export can replace them: nine columns fewer to turn into Python objects,
    30,000 times, for a Connections-only upload.
    """
    columns = ["key", "id", "gone", "state", *COMPARED_COLUMNS]
    if parsed.has_extra_files:
        columns += SIGNAL_COLUMNS
    select = f"SELECT {', '.join(columns)} FROM connections WHERE user_id = ?"
    return {row[0]: row for row in db.execute(select, [user_id])}


@dataclass(slots=True)
class Changes:
    """The writes one import needs, worked out before any is made."""

    insert_columns: tuple[str, ...]
    """The columns of a new row; signals only when the export has some."""
    new_values: list[object] = field(default_factory=list)
    """The new rows' values one after the other, in file order, as an INSERT binds them
    (no tuple per row to build, keep and flatten again)."""
    new_count: int = 0
    rekeys: list[tuple[str, int]] = field(default_factory=list)
    updates: list[tuple] = field(default_factory=list)
    signal_updates: list[tuple] = field(default_factory=list)
    gone_ids: list[tuple[int, str | None]] = field(default_factory=list)
    returned: int = 0


def diff(parsed: ParsedExport, known: dict[str, tuple], user_id: int, import_id: int) -> Changes:
    """Compare the export with what is stored (`stored_rows`); only real changes become writes."""
    signals = parsed.signals
    replace_signals = parsed.has_extra_files
    # Without any signal, a new row's signal columns are their defaults: leave them out.
    with_signals = bool(signals)
    changes = Changes(FIELD_COLUMNS + (SIGNAL_COLUMNS if with_signals else ()) + NEW_ROW_COLUMNS)
    add_new, rekeys = changes.new_values.extend, changes.rekeys
    update, update_signals = changes.updates.append, changes.signal_updates.append
    stored = known.get
    # Who is still there, to tell who is gone (and which name keys are taken): with
    # nothing stored, nobody can be gone and nothing re-keyed, so no need to know.
    present = {record.key for record in parsed.connections} if known else set()
    # Only a row stored without a URL (from an export before LinkedIn added the
    # column) can be re-keyed; with none, no record needs its name key.
    urlless = {key for key, row in known.items() if row[_URL] is None}
    returned = new_count = 0
    for record in parsed.connections:
        key, first, last, on = record.key, record.first_name, record.last_name, record.connected_on
        connected_on = on.isoformat() if on else None
        old = stored(key)
        if old is None and urlless and record.url:
            # This person may be stored under their name and date: carry their row
            # (and decision) over to the URL key.
            name_key = connection_key(None, first, last, on, record.connected_on_raw)
            if name_key in urlless and name_key not in present:
                old = known[name_key]
                rekeys.append((key, old[_ID]))
                present.add(name_key)
        if old is None:
            row = (
                first, last, fold(f"{first} {last}"), record.company, record.position,
                record.url or None, connected_on, connected_on or "", record.connected_on_raw,
            )  # fmt: skip
            add_new(row)
            if with_signals:
                add_new(_signal_columns(signals.get(key)))
            add_new((user_id, key, import_id))
            new_count += 1
            continue
        # An export without a URL or a readable date keeps what an earlier one said.
        connected_on = connected_on or old[_CONNECTED_ON]
        url = record.url or old[_URL]
        compared = (
            first, last, record.company, record.position, url, connected_on,
            record.connected_on_raw,
        )  # fmt: skip
        if old[_GONE] or compared != old[_FIELDS:_SIGNALS]:
            update((
                first, last, fold(f"{first} {last}"), record.company, record.position, url,
                connected_on, connected_on or "", record.connected_on_raw, old[_ID],
            ))  # fmt: skip
            returned += old[_GONE]
        # Only an export that carried the signal files replaces what earlier ones
        # said: a Connections-only re-upload must not wipe a full archive's hints.
        if replace_signals:
            values = _signal_columns(signals.get(key))
            if values != old[_SIGNALS:_END]:
                update_signals((*values, old[_ID]))
    changes.returned, changes.new_count = returned, new_count
    changes.gone_ids = [
        (row[_ID], row[_STATE])
        for key, row in known.items()
        if not row[_GONE] and key not in present
    ]
    return changes
