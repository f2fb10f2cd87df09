"""The plain records an import produces."""

from __future__ import annotations

import datetime
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ConnectionRecord:
    """One row of Connections.csv, trimmed; e-mail addresses are never kept."""

    key: str
    """Stable identity within one user's network, see ``connection_key``."""
    first_name: str
    last_name: str
    url: str | None
    """Normalised ``https://www.linkedin.com/in/<slug>`` (lower-case slug) or None."""
    company: str
    position: str
    connected_on: datetime.date | None
    connected_on_raw: str
    """The "Connected On" cell as it was (trimmed); "" when absent."""


@dataclass(slots=True)
class Signals:
    """What the rest of the export says about one connection; all zero/None by default."""

    messages_sent: int = 0
    """Messages I sent in conversations they took part in (drafts skipped)."""
    messages_received: int = 0
    """Messages they sent to me (drafts skipped)."""
    last_message_on: datetime.date | None = None
    """Date of the latest message exchanged with them."""
    endorsements_received: int = 0
    """Distinct skills they endorsed me for, counting every status (ACCEPTED, REJECTED, ...):
    even a hidden endorsement shows they made the effort."""
    endorsements_given: int = 0
    """Distinct skills I endorsed them for, every status."""
    recommendations_received: int = 0
    """Recommendations they wrote me, every status (VISIBLE, HIDDEN, PENDING); by unique name."""
    recommendations_given: int = 0
    """Recommendations I wrote them, every status; matched by unique name."""
    invited_by: str | None = None
    """"me" or "them" from Invitations.csv (the latest invitation between us), else None."""


@dataclass(frozen=True, slots=True)
class Invitation:
    """An outgoing invitation from Invitations.csv (accepted or pending: decided later)."""

    url: str | None
    """Normalised invitee profile URL, or None."""
    name: str
    """The "To" cell."""
    sent_on: datetime.date | None


@dataclass(slots=True)
class ParsedExport:
    """Everything read from one upload."""

    connections: list[ConnectionRecord]
    """Deduplicated by key, in file order."""
    signals: dict[str, Signals]
    """By ConnectionRecord.key; only keys of connections, only non-empty signals."""
    outgoing_invitations: list[Invitation]
    """Every OUTGOING row of Invitations.csv."""
    source: str
    """"zip" or "csv"."""
    has_extra_files: bool
    """The ZIP held at least one signal file (messages, invitations, endorsements, ...)."""
    skipped_rows: int
    """Data rows skipped: blank or comma-only rows, rows with neither a name nor a URL,
    repeated headers, and unreadable rows."""
    undated_rows: int
    """Connections kept without a usable date (empty or unreadable "Connected On" cell)."""
    unreadable_rows: int = 0
    """Skipped rows that were not blank but garbled: one cell that is not a row of the
    header's width (see ``wrapped``). Counted in skipped_rows too; the reply tells them."""
    whole_names: bool = False
    """Connections.csv had no Last Name column: each first_name is the whole name."""
