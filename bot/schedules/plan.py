"""What each kind of schedule means: its settings as a rule, and the defaults."""

from __future__ import annotations

from datetime import datetime, time, tzinfo
from typing import Any

from bot.schedules.rules import Daily, Monthly, Rule, Weekly, Yearly, next_due
from storage.schedules import Kind

# The first day of spring, mid-morning: a time to look through one's whole network.
DEFAULT_YEARLY: dict[str, Any] = {"month": 3, "day": 20, "hour": 10, "minute": 0}
DEFAULT_SUMMARY: dict[str, Any] = {"every": "weekly"}
DEFAULT_NUDGE: dict[str, Any] = {"hour": 12, "minute": 30}
SUMMARY_AT = time(9, 0)
DEFAULTS: dict[Kind, dict[str, Any]] = {
    "yearly": DEFAULT_YEARLY,
    "summary": DEFAULT_SUMMARY,
    "nudge": DEFAULT_NUDGE,
}


def rule_for(kind: Kind, spec: dict[str, Any]) -> Rule:
    """The time rule a stored schedule stands for."""
    match kind:
        case "yearly":
            at = time(spec["hour"], spec["minute"])
            return Yearly(spec["month"], spec["day"], at, spec.get("first_year"))
        case "summary":
            return Monthly(SUMMARY_AT) if spec.get("every") == "monthly" else Weekly(0, SUMMARY_AT)
        case "nudge":
            return Daily(time(spec["hour"], spec["minute"]))


def first_due(kind: Kind, spec: dict[str, Any], now: datetime, zone: tzinfo) -> datetime:
    """When a schedule set now next fires."""
    return next_due(rule_for(kind, spec), now, zone)
