"""The callback-data grammar: round trips, the 64-byte limit, and forged data refused."""

from __future__ import annotations

import pytest

from bot import callbacks
from bot.callbacks import (
    Action,
    Decide,
    Reason,
    Removed,
    ShowCutList,
    StartReview,
    Undo,
    View,
    encode,
)

BIG = 10**18 - 1  # the largest id the grammar accepts (18 digits)


@pytest.mark.parametrize(
    ("data", "action"),
    [
        ("d:7:k", Decide(7, "keep")),
        ("d:7:c", Decide(7, "cut")),
        ("d:7:s", Decide(7, "skip")),
        ("u:7:42", Undo(7, 42)),
        ("r:7:3", Reason(7, 3)),
        ("v:7", View(7)),
        ("x:7", Removed(7)),
        ("go:-", StartReview()),
        ("go:oldest", StartReview("oldest")),
        ("cl", ShowCutList()),
    ],
)
def test_round_trip(data: str, action: Action) -> None:
    assert encode(action) == data
    assert callbacks.parse(data) == action


@pytest.mark.parametrize(
    "action",
    [
        Decide(BIG, "skip"),
        Undo(BIG, BIG),
        Reason(BIG, 5),
        Removed(BIG),
        View(BIG),
        StartReview("weakest"),
    ],
)
def test_longest_data_fits_telegrams_limit(action: Action) -> None:
    data = encode(action)
    assert len(data.encode()) <= 64
    assert callbacks.parse(data) == action


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
