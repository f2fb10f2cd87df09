"""Reading export dates: every shape LinkedIn or a spreadsheet writes, and never the future."""

from __future__ import annotations

import datetime

import pytest

from storage.export.dates import DateReader

TODAY = datetime.date(2026, 11, 29)
D = datetime.date


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("04 Sep 2026", D(2026, 9, 4)),
        ("4 Sep 2026", D(2026, 9, 4)),
        ("4 September 2026", D(2026, 9, 4)),
        ("10/21/18, 3:15 PM", D(2018, 10, 21)),
        ("7/8/26, 3:43 PM", D(2026, 7, 8)),
        ("15-Mar-24", D(2024, 3, 15)),
        ("15-Mar-2024", D(2024, 3, 15)),
        ("3/15/2024", D(2024, 3, 15)),
        ("15/03/2024", D(2024, 3, 15)),
        ("2024-03-15", D(2024, 3, 15)),
        ("2024-03-15 10:11:12", D(2024, 3, 15)),
        ("2024-03-15T10:11:12Z", D(2024, 3, 15)),
        ("2024-10-26 11:43:11 UTC", D(2024, 10, 26)),
        ("2023/06/18 14:24:54 UTC", D(2023, 6, 18)),
        ("15.03.2024", D(2024, 3, 15)),
        ("15.03.24", D(2024, 3, 15)),
        ("5.3.2024", D(2024, 3, 5)),
        ("Mar 15, 2024", D(2024, 3, 15)),
        ("March 15 2024", D(2024, 3, 15)),
        ("15 mars 2024", D(2024, 3, 15)),
        ("15. März 2024", D(2024, 3, 15)),
        ("15-mrt-24", D(2024, 3, 15)),
        ("15-dic-24", D(2024, 12, 15)),
        ("45366", D(2024, 3, 15)),
        ("  08 Feb 2026  ", D(2026, 2, 8)),
        ("08/30/22, 05:51 PM", D(2022, 8, 30)),
    ],
)
def test_known_shapes(cell: str, expected: datetime.date) -> None:
    """Each shape reads to the right day."""
    assert DateReader(TODAY).read(cell) == expected


@pytest.mark.parametrize(
    "cell",
    ["", "sometime in 2020", "31 Feb 2024", "13/13/2024", "Foo 15, 2024", "2024", "12:30 PM"],
)
def test_unreadable_cells_give_none(cell: str) -> None:
    """Cells that fit no shape, or name no real day, give None."""
    assert DateReader(TODAY).read(cell) is None


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("30 Nov 2026", D(2026, 11, 30)),  # one day ahead: time zones
        ("01 Dec 2026", None),
        ("2027-01-01", None),
        ("15-Mar-27", D(2027, 3, 15) if D(2027, 3, 15) <= TODAY else None),
        ("15-Mar-99", D(1999, 3, 15)),
        ("15-Mar-28", D(1928, 3, 15)),
        ("1/2/27", None),
        ("99999", None),
    ],
)
def test_no_date_more_than_a_day_ahead(cell: str, expected: datetime.date | None) -> None:
    """Two-digit years fall back a century rather than land over a year ahead; none in future."""
    assert DateReader(TODAY).read(cell) == expected


@pytest.mark.parametrize(
    ("cells", "cell", "expected"),
    [
        (["01/02/2024"], "01/02/2024", D(2024, 1, 2)),
        (["01/02/2024", "15/03/2024"], "01/02/2024", D(2024, 2, 1)),
        (["01/02/2024", "03/15/2024"], "01/02/2024", D(2024, 1, 2)),
        (["01/02/2024", "15/03/2024", "03/15/2024"], "01/02/2024", D(2024, 1, 2)),
        (["01-02-2024"], "01-02-2024", D(2024, 2, 1)),
        (["01-02-2024", "03-15-2024"], "01-02-2024", D(2024, 1, 2)),
        (["01.02.2024", "03/15/2024"], "01.02.2024", D(2024, 2, 1)),
    ],
    ids=["ambiguous slash: month-first", "one day-first settles", "one month-first settles",
         "conflicting: default", "ambiguous dash: day-first", "dash month-first settles",
         "dots always day-first"],
)  # fmt: skip
def test_numeric_order_is_decided_file_wide(
    cells: list[str], cell: str, expected: datetime.date
) -> None:
    """Day/month order comes from the whole file's evidence, per separator."""
    assert DateReader(TODAY, cells).read(cell) == expected
