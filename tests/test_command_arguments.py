"""What commands make of their arguments: /target's number, /review's order."""

from __future__ import annotations

import pytest

from bot.handlers.review import parse_order
from bot.handlers.stats import parse_target


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ([], None),
        (["0"], None),
        (["30001"], None),
        (["-5"], None),
        (["12.5"], None),
        (["lots"], None),
        (["1", "2"], None),
        (["١٢"], None),  # other scripts' digits are not a number here
        (["1234567"], None),
        (["1"], 1),
        (["500"], 500),
        (["1,200"], 1200),
        (["1_200"], 1200),
        (["1'200"], 1200),
        (["30000"], 30000),
    ],
)
def test_target_accepts_whole_numbers_from_1_to_30000(
    args: list[str], expected: int | None
) -> None:
    assert parse_target(args) == expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [("weakest", "weakest"), ("Oldest", "oldest"), ("NEWEST", "newest"), ("sideways", None)],
)
def test_review_order_is_one_of_three(word: str, expected: str | None) -> None:
    assert parse_order(word) == expected
