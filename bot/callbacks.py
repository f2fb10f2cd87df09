"""The callback-data grammar: every button's data, built and parsed in one place.

    d:<id>:<k|c|s>   decide keep / cut / skip for connection <id>
    u:<id>:<seq>     undo decision number <seq> (which was about connection <id>)
    r:<id>:<1-5>     tag the cut of connection <id> with reason 1-5
    v:<id>           show connection <id>'s card (from /find)
    x:<id>           mark connection <id> as removed on LinkedIn (cut list)
    go:<order>       start or continue the review (weakest | oldest | newest | -)
    cl               show the cut list

Ids are the connections table's integer keys; every handler checks them against
the presser's own user id, so copied or forged data reaches nobody else's rows.
All data is ASCII and at most 64 bytes, Telegram's limit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_BYTES = 64

_DECISION_CODES = {"keep": "k", "cut": "c", "skip": "s"}
_DECISIONS = {code: name for name, code in _DECISION_CODES.items()}
_ORDERS = {"weakest", "oldest", "newest", "-"}

_PATTERN = re.compile(
    r"^(?:"
    r"d:(?P<d_id>\d{1,18}):(?P<d_code>[kcs])"
    r"|u:(?P<u_id>\d{1,18}):(?P<u_seq>\d{1,18})"
    r"|r:(?P<r_id>\d{1,18}):(?P<r_reason>[1-5])"
    r"|v:(?P<v_id>\d{1,18})"
    r"|x:(?P<x_id>\d{1,18})"
    r"|go:(?P<go_order>weakest|oldest|newest|-)"
    r"|(?P<cl>cl)"
    r")\Z",
    re.ASCII,  # \d must not accept other scripts' digits
)


@dataclass(frozen=True, slots=True)
class Action:
    """A parsed button press: what to do, to whom, with which argument."""

    kind: str  # "decide" | "undo" | "reason" | "view" | "removed" | "review" | "cutlist"
    connection_id: int | None = None
    value: str | int | None = None


def decide(connection_id: int, decision: str) -> str:
    """Data for Keep / Cut / Skip on one person."""
    return f"d:{connection_id}:{_DECISION_CODES[decision]}"


def undo(connection_id: int, seq: int) -> str:
    """Data for Undo of one exact decision."""
    return f"u:{connection_id}:{seq}"


def reason(connection_id: int, number: int) -> str:
    """Data for tagging a cut with a reason."""
    return f"r:{connection_id}:{number}"


def view(connection_id: int) -> str:
    """Data for opening one person's card."""
    return f"v:{connection_id}"


def removed(connection_id: int) -> str:
    """Data for "Removed ✓" in the cut list."""
    return f"x:{connection_id}"


def review(order: str = "-") -> str:
    """Data for starting or continuing the review ("-" keeps the saved order)."""
    if order not in _ORDERS:
        raise ValueError(order)
    return f"go:{order}"


CUTLIST = "cl"


def parse(data: str | None) -> Action | None:
    """Parse button data; None for anything not made by this module."""
    if not data or len(data.encode("utf-8")) > MAX_BYTES:
        return None
    match = _PATTERN.match(data)
    if match is None:
        return None
    g = match.groupdict()
    if g["d_id"]:
        return Action("decide", int(g["d_id"]), _DECISIONS[g["d_code"]])
    if g["u_id"]:
        return Action("undo", int(g["u_id"]), int(g["u_seq"]))
    if g["r_id"]:
        return Action("reason", int(g["r_id"]), int(g["r_reason"]))
    if g["v_id"]:
        return Action("view", int(g["v_id"]))
    if g["x_id"]:
        return Action("removed", int(g["x_id"]))
    if g["go_order"]:
        return Action("review", None, g["go_order"])
    return Action("cutlist")
