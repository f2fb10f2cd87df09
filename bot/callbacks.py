"""The callback-data grammar: every button's data, built and parsed in one place.

    d:<id>:<k|c|s>   Decide: keep / cut / skip connection <id>
    u:<id>:<seq>     Undo: decision number <seq> (which was about connection <id>)
    r:<id>:<1-5>     Reason: tag the cut of connection <id> with reason 1-5
    v:<id>           View: show connection <id>'s card (from /find)
    x:<id>           Removed: connection <id> was removed on LinkedIn (cut list)
    go:<order>       StartReview: start or continue (weakest | oldest | newest | - = saved)
    cl               ShowCutList
    sk:<id>          StillKeep: in the yearly re-check, keep connection <id> as before
    rc               StartRecheck: start or continue re-checking the people kept before
    tz:<zone>        PickZone: set the time zone <zone> (an IANA name, or UTC+05:30)
    fg:<y|n>         ConfirmForget: answer /forget's question (y = delete everything, n = cancel)

Decide, Undo, Reason, View and StillKeep are storage.cards' commands, which a press hands to
storage.cards.press as they are. Ids are the connections table's integer keys; every
query checks them against the presser's own user id, so copied or forged data reaches
nobody else's rows. ConfirmForget carries no id at all: it only ever acts on the
presser, and only while their own /forget question is waiting (bot/handlers/privacy.py).
All data is ASCII and at most 64 bytes, Telegram's limit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import assert_never, cast

from telegram import InlineKeyboardButton

# The card buttons carry storage's own commands; this module only encodes them.
from storage.cards import Decide, Reason, StillKeep, Undo, View
from storage.records import Decision, Order

MAX_BYTES = 64

_DECISION_CODES: dict[Decision, str] = {"keep": "k", "cut": "c", "skip": "s"}
_DECISIONS: dict[str, Decision] = {code: name for name, code in _DECISION_CODES.items()}

_PATTERN = re.compile(
    r"^(?:"
    r"d:(?P<d_id>\d{1,18}):(?P<d_code>[kcs])"
    r"|u:(?P<u_id>\d{1,18}):(?P<u_seq>\d{1,18})"
    r"|r:(?P<r_id>\d{1,18}):(?P<r_reason>[1-5])"
    r"|v:(?P<v_id>\d{1,18})"
    r"|x:(?P<x_id>\d{1,18})"
    r"|go:(?P<go_order>weakest|oldest|newest|-)"
    r"|(?P<cl>cl)"
    r"|sk:(?P<sk_id>\d{1,18})"
    r"|(?P<rc>rc)"
    r"|tz:(?P<tz>[A-Za-z0-9_+:/-]{1,60})"
    r"|fg:(?P<fg>[yn])"
    r")\Z",
    re.ASCII,  # \d must not accept other scripts' digits
)


@dataclass(frozen=True, slots=True)
class Removed:
    """This cut person has been removed on LinkedIn."""

    connection_id: int


@dataclass(frozen=True, slots=True)
class StartReview:
    """Start or continue the review; `order` None keeps the saved order."""

    order: Order | None = None


@dataclass(frozen=True, slots=True)
class ShowCutList:
    """Send the cut list."""


@dataclass(frozen=True, slots=True)
class StartRecheck:
    """Start or continue re-checking the people kept before this year's clean."""


@dataclass(frozen=True, slots=True)
class PickZone:
    """Set this time zone (checked again when pressed: data may be forged)."""

    zone: str


@dataclass(frozen=True, slots=True)
class ConfirmForget:
    """Answer /forget's question: delete everything held about the presser, or not."""

    delete: bool


Action = (
    Decide
    | Undo
    | Reason
    | View
    | StillKeep
    | Removed
    | StartReview
    | ShowCutList
    | StartRecheck
    | PickZone
    | ConfirmForget
)


def encode(action: Action) -> str:
    """The callback data for a button that triggers `action`."""
    match action:
        case Decide(connection_id, decision):
            return f"d:{connection_id}:{_DECISION_CODES[decision]}"
        case Undo(connection_id, seq):
            return f"u:{connection_id}:{seq}"
        case Reason(connection_id, reason):
            return f"r:{connection_id}:{reason}"
        case View(connection_id):
            return f"v:{connection_id}"
        case Removed(connection_id):
            return f"x:{connection_id}"
        case StartReview(order):
            return f"go:{order or '-'}"
        case ShowCutList():
            return "cl"
        case StillKeep(connection_id):
            return f"sk:{connection_id}"
        case StartRecheck():
            return "rc"
        case PickZone(zone):
            return f"tz:{zone}"
        case ConfirmForget(delete):
            return f"fg:{'y' if delete else 'n'}"
        case _:
            assert_never(action)


def button(text: str, action: Action) -> InlineKeyboardButton:
    """An inline button labelled `text` that triggers `action`."""
    return InlineKeyboardButton(text, callback_data=encode(action))


def parse(data: str | None) -> Action | None:
    """Parse button data; None for anything not made by `encode`."""
    if not data or len(data.encode("utf-8")) > MAX_BYTES:
        return None
    match = _PATTERN.match(data)
    if match is None:
        return None
    g = match.groupdict()
    if g["d_id"]:
        return Decide(int(g["d_id"]), _DECISIONS[g["d_code"]])
    if g["u_id"]:
        return Undo(int(g["u_id"]), int(g["u_seq"]))
    if g["r_id"]:
        return Reason(int(g["r_id"]), int(g["r_reason"]))
    if g["v_id"]:
        return View(int(g["v_id"]))
    if g["x_id"]:
        return Removed(int(g["x_id"]))
    if g["go_order"]:
        order = g["go_order"]
        return StartReview(None if order == "-" else cast(Order, order))
    if g["sk_id"]:
        return StillKeep(int(g["sk_id"]))
    if g["rc"]:
        return StartRecheck()
    if g["tz"]:
        return PickZone(g["tz"])
    if g["fg"]:
        return ConfirmForget(g["fg"] == "y")
    return ShowCutList()
