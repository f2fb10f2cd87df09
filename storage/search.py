"""/find: people in a person's network by name, accents and case ignored."""

from __future__ import annotations

from sqlite_utils import Database

from storage.records import CONNECTION_COLUMNS, Connection
from storage.text import fold


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
