"""Who has an import running, so a second upload is told to wait."""

from __future__ import annotations


class RunningImports:
    """The set of people whose upload is being imported right now."""

    def __init__(self) -> None:
        self._running: set[int] = set()

    def try_begin(self, user_id: int) -> bool:
        """Mark an import as running; False if one already is for this person."""
        if user_id in self._running:
            return False
        self._running.add(user_id)
        return True

    def end(self, user_id: int) -> None:
        """Mark this person's import as finished."""
        self._running.discard(user_id)
