"""How a person's network grew, month by month, and how many of it they have cut."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlite_utils import Database


@dataclass(frozen=True, slots=True)
class Growth:
    """The people still in a network, counted by the month they connected, and the cuts."""

    # (first of the month, people who connected that month), oldest first.
    by_month: tuple[tuple[date, int], ...]
    undated: int
    total: int
    cut: int
    removed: int

    @property
    def after_cuts(self) -> int:
        """The network's size once every cut person is removed."""
        return self.total - self.cut


def network_growth(db: Database, user_id: int) -> Growth:
    """Connections still in the network per month of connecting, undated ones, and the cuts."""
    # Grouped in SQLite: 30,000 people become a few hundred month rows, not 30,000 tuples.
    # connected_on is stored as an ISO date, so its first 7 characters are the month.
    rows = db.execute(
        "SELECT substr(connected_on, 1, 7) AS month, count(*) FROM connections "
        "WHERE user_id = ? AND gone = 0 GROUP BY month ORDER BY month",
        [user_id],
    ).fetchall()
    undated = sum(n for month, n in rows if month is None)
    by_month = tuple(
        (date.fromisoformat(f"{month}-01"), n) for month, n in rows if month is not None
    )
    # One step down connections_by_state (user_id, gone, state), then the cuts' decisions.
    cut, removed = db.execute(
        "SELECT count(*), count(d.removed_at) FROM connections c "
        "LEFT JOIN decisions d ON d.connection_id = c.id "
        "WHERE c.user_id = ? AND c.gone = 0 AND c.state = 'cut'",
        [user_id],
    ).fetchone()
    return Growth(
        by_month=by_month,
        undated=undated,
        total=undated + sum(n for _, n in by_month),
        cut=cut,
        removed=removed,
    )
