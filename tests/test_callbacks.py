"""The callback-data grammar: round trips, the 64-byte limit, and forged data refused."""

from __future__ import annotations

import pytest

from bot import callbacks
from bot.callbacks import Action

BIG = 10**18 - 1  # the largest id the grammar accepts (18 digits)


@pytest.mark.parametrize(
    ("data", "action"),
    [
        (callbacks.decide(7, "keep"), Action("decide", 7, "keep")),
        (callbacks.decide(7, "cut"), Action("decide", 7, "cut")),
        (callbacks.decide(7, "skip"), Action("decide", 7, "skip")),
        (callbacks.undo(7, 42), Action("undo", 7, 42)),
        (callbacks.reason(7, 3), Action("reason", 7, 3)),
        (callbacks.view(7), Action("view", 7)),
        (callbacks.removed(7), Action("removed", 7)),
        (callbacks.review(), Action("review", None, "-")),
        (callbacks.review("oldest"), Action("review", None, "oldest")),
        (callbacks.CUTLIST, Action("cutlist")),
    ],
)
def test_round_trip(data: str, action: Action) -> None:
    assert callbacks.parse(data) == action


@pytest.mark.parametrize(
    "data",
    [
        callbacks.decide(BIG, "skip"),
        callbacks.undo(BIG, BIG),
        callbacks.reason(BIG, 5),
        callbacks.removed(BIG),
        callbacks.review("weakest"),
    ],
)
def test_longest_data_fits_telegrams_limit(data: str) -> None:
    assert len(data.encode()) <= 64
    assert callbacks.parse(data) is not None


@pytest.mark.parametrize(
    "data",
    [
        None,
        "",
        "d:7:x",
        "d:7:k ",
        "d:7:k\n",
        "d:-7:k",
        "d:7",
        "d:1234567890123456789:k",
        "r:7:6",
        "r:7:0",
        "go:sideways",
        "u:7",
        "x:7:1",
        "cl2",
        "d:७:k",
        "k:7",
        "x" * 65,
    ],
)
def test_anything_else_is_refused(data: str | None) -> None:
    assert callbacks.parse(data) is None
