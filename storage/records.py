"""The records storage hands out: a connection, progress, the last decision, a card."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date
from typing import Literal

Decision = Literal["keep", "cut", "skip"]
Order = Literal["weakest", "oldest", "newest"]
DECISIONS: tuple[Decision, ...] = ("keep", "cut", "skip")
ORDERS: tuple[Order, ...] = ("weakest", "oldest", "newest")
REASONS = (1, 2, 3, 4, 5)

# The columns Connection.from_row reads, from `connections c` LEFT JOIN `decisions d`.
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
    state: Decision | None
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
    decision: Decision
    reason: int | None
    name: str
    decided_at: str = ""


@dataclass(frozen=True, slots=True)
class CardView:
    """Everything a card shows: the person (None when done), progress, what Undo undoes."""

    connection: Connection | None
    progress: Progress
    last: LastDecision | None
    order: Order
    signals_known: bool = False
    recheck_left: int | None = None  # in the yearly re-check: kept people still to see
    recheck_since: str | None = None  # ... and when that re-check began


@dataclass(frozen=True, slots=True)
class Walk:
    """How a person goes through their cards: the order, the yearly re-check, the target."""

    order: Order = "weakest"
    recheck_since: str | None = None  # set while re-checking the keeps made before it
    target: int | None = None  # the person's target, if the caller knows it already


class Outcome(enum.Enum):
    """What a button press did."""

    APPLIED = "applied"
    UNCHANGED = "unchanged"
    MISSING = "missing"
