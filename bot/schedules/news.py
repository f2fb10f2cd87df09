"""What a scheduled message reports: plain records the texts module turns into words."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from storage.records import Progress


@dataclass(frozen=True, slots=True)
class YearlyNews:
    """The spring-cleaning reminder's numbers."""

    progress: Progress
    last_export: date | None  # None: the person never sent an export
    export_size: int  # connections read from that export
    to_recheck: int  # people kept before this clean, to look at again
    today: date


@dataclass(frozen=True, slots=True)
class SummaryNews:
    """A progress summary's numbers."""

    every: str  # "weekly" or "monthly"
    progress: Progress
    pace: float  # keep/cut answers a day over the last two weeks
    streak: int  # days in a row, up to today or yesterday, with at least one answer
    finish_on: date | None
    today: date

    @property
    def fingerprint(self) -> str:
        """The numbers that matter; an identical summary is not sent twice in a row."""
        p = self.progress
        return f"{p.total}/{p.kept}/{p.cut}/{p.skipped}/{p.removed}/{p.target}"
