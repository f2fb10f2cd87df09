"""Pure arithmetic behind /stats: the way to the target and when it will be reached."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

from storage.records import Progress


@dataclass(frozen=True, slots=True)
class Projection:
    """Where the current habits lead."""

    cuts_needed: int  # more cuts needed to get down to the target
    keep_rate: float | None  # share of keep among keep/cut so far
    expected_cuts: int | None  # cuts the undecided would give at that rate
    expected_final: int | None  # network size after finishing at that rate
    pace: float  # decisions per day recently
    finish_on: date | None  # when the undecided are done at that pace


def project(p: Progress, pace: float, today: date) -> Projection:
    """Extrapolate the keep rate and the recent pace over what is still undecided."""
    remaining = p.undecided + p.skipped
    cuts_needed = max(0, p.network_after - p.target)
    keep_rate = p.kept / p.reviewed if p.reviewed else None
    expected_cuts = expected_final = None
    if keep_rate is not None:
        expected_cuts = round(remaining * (1 - keep_rate))
        expected_final = p.network_after - expected_cuts
    finish_on = None
    if remaining and pace > 0:
        finish_on = today + timedelta(days=math.ceil(remaining / pace))
    return Projection(cuts_needed, keep_rate, expected_cuts, expected_final, pace, finish_on)


def bar(done: int, total: int, width: int = 10) -> str:
    """A text progress bar: '▓▓▓▓░░░░░░ 40%'."""
    share = done / total if total else 0.0
    filled = min(width, round(share * width))
    return "▓" * filled + "░" * (width - filled) + f" {math.floor(share * 100)}%"
