"""Connections.csv in every shape and re-save: exactly which connections are read."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable
from typing import Any

import pytest

from storage.export import (
    MAX_CONNECTIONS,
    ConnectionRecord,
    ExportError,
    ExportProblem,
    ParsedExport,
    read_export,
)
from tests import export_samples as samples

TODAY = samples.TODAY
PEOPLE = samples.PEOPLE


def read(data: bytes) -> ParsedExport:
    """Read an upload as of the fixed test date."""
    return read_export(data, "Connections.csv", today=TODAY)


def expected_url(person: samples.Person) -> str | None:
    """The normalised URL the reader should give a sample person."""
    return f"https://www.linkedin.com/in/{person.slug.lower()}" if person.slug else None


def assert_people(records: list[ConnectionRecord], *, with_urls: bool = True) -> None:
    """The records are exactly the sample people, in file order, fields trimmed."""
    assert [(r.first_name, r.last_name) for r in records] == [(p.first, p.last) for p in PEOPLE]
    assert [r.company for r in records] == [p.company for p in PEOPLE]
    assert [r.position for r in records] == [p.position for p in PEOPLE]
    assert [r.connected_on for r in records] == [p.connected for p in PEOPLE]
    urls = [expected_url(p) if with_urls else None for p in PEOPLE]
    assert [r.url for r in records] == urls


SHAPES: list[tuple[str, Callable[[], bytes], bool]] = [
    ("current", lambda: samples.current_connections(), True),
    ("current without preamble", lambda: samples.current_connections(preamble="none"), True),
    ("UTF-8 with BOM", lambda: samples.current_connections(encoding="utf-8-sig"), True),
    ("CRLF", lambda: samples.current_connections(newline="\r\n"), True),
    ("CR only", lambda: samples.current_connections(newline="\r"), True),
    ("Excel cp1252 padded preamble", lambda: samples.excel_resave(), True),
    ("Excel semicolon", lambda: samples.excel_resave(delimiter=";"), True),
    (
        "Excel Unicode Text (UTF-16 LE BOM, tabs)",
        lambda: samples.excel_resave(delimiter="\t", encoding="utf-16"),
        True,
    ),
    ("UTF-16 LE without BOM", lambda: samples.excel_resave(encoding="utf-16-le"), True),
    ("UTF-16 BE without BOM", lambda: samples.excel_resave(encoding="utf-16-be"), True),
    ("UTF-8 semicolon", lambda: samples.current_connections(delimiter=";"), True),
    ("US slash dates", lambda: samples.excel_resave(date_format=samples.us_slash_date), True),
    ("EU slash dates", lambda: samples.excel_resave(date_format=samples.eu_slash_date), True),
    ("dotted dates", lambda: samples.excel_resave(date_format=samples.dotted_date), True),
    ("ISO dates", lambda: samples.excel_resave(date_format=samples.iso_date), True),
    ("2019 shape (no preamble, no URL)", lambda: samples.old_connections(), False),
    ("2018 shape (extra columns, dated with time)", lambda: samples.connections_2018(), False),
]


@pytest.mark.parametrize(
    ("data_factory", "with_urls"), [s[1:] for s in SHAPES], ids=[s[0] for s in SHAPES]
)
def test_every_shape_reads_the_same_people(
    data_factory: Callable[[], bytes], with_urls: bool
) -> None:
    """Current, old and spreadsheet-mangled files all give the same connections."""
    parsed = read(data_factory())
    assert_people(parsed.connections, with_urls=with_urls)
    assert parsed.source == "csv"
    assert parsed.skipped_rows == 0
    assert parsed.undated_rows == 0
    assert parsed.signals == {}
    assert parsed.has_extra_files is False


def test_current_shape_fields_in_detail() -> None:
    """Keys, URLs and raw dates of chosen rows, including a quoted cell with a line break."""
    ada, zoe, bjorn, _, eve = read(samples.current_connections()).connections
    assert ada == ConnectionRecord(
        key="u:/in/ada-example-3b2a91",
        first_name="Ada",
        last_name="Example",
        url="https://www.linkedin.com/in/ada-example-3b2a91",
        company="Northwind Analytics, Inc.",
        position="Director of People Ops",
        connected_on=datetime.date(2026, 2, 8),
        connected_on_raw="08 Feb 2026",
    )
    assert zoe.position == 'Head of "Growth", EMEA'
    assert bjorn.key == "n:bjorn placeholder|2024-12-01"
    assert bjorn.url is None
    assert bjorn.position == "Engineer\nTeam Lead"
    assert eve.key == "u:/in/eve-fictional"
    assert eve.url == "https://www.linkedin.com/in/eve-fictional"


def test_raw_date_is_kept_as_written() -> None:
    """connected_on_raw is the trimmed cell, whatever its shape."""
    parsed = read(samples.connections_2018())
    assert parsed.connections[0].connected_on_raw == "2/8/26, 3:15 PM"
    assert parsed.connections[0].connected_on == datetime.date(2026, 2, 8)


def test_email_addresses_are_never_kept() -> None:
    """No field of any record holds an e-mail address."""
    for data in (samples.current_connections(), samples.old_connections()):
        for record in read(data).connections:
            assert not any("@" in str(value) for value in dataclasses.astuple(record))


def test_columns_are_mapped_by_name_in_any_order() -> None:
    """A reordered header with extra columns reads the same values."""
    header = ("Connected On", "Company", "Notes", "Last Name", "URL", "First Name", "Position")
    rows = [
        [samples.linkedin_date(p.connected), p.company, "x", p.last, p.url, p.first, p.position]
        for p in PEOPLE
    ]
    assert_people(read(samples.csv_bytes(header, rows)).connections)


def test_header_only_file_is_an_empty_export() -> None:
    """A Connections.csv without rows is valid: zero connections, not an error."""
    parsed = read(samples.current_connections(people=[]))
    assert parsed.connections == []
    assert parsed.skipped_rows == 0


@pytest.mark.parametrize(
    ("rows", "kept", "skipped"),
    [
        ([[""] * 7, [" "] * 7], 0, 2),
        ([["", "", "https://www.linkedin.com/in/no-name", "", "Acme", "", "01 Jan 2025"]], 1, 0),
        ([["", "", "", "", "Acme", "Boss", "01 Jan 2025"]], 0, 1),
        ([["", "", "https://example.com/not-linkedin", "", "", "", ""]], 0, 1),
        ([["Ada", "", "", "", "", "", ""]], 1, 0),
        ([list(samples.CURRENT_HEADER)], 0, 1),
    ],
    ids=["blank and whitespace", "nameless with URL", "nameless without URL", "foreign URL only",
         "first name only", "repeated header"],
)  # fmt: skip
def test_rows_without_identity_are_skipped(rows: list[list[str]], kept: int, skipped: int) -> None:
    """Blank rows and rows with neither a name nor a LinkedIn URL are skipped and counted."""
    data = samples.csv_bytes(samples.CURRENT_HEADER, rows, preamble="linkedin")
    parsed = read(data)
    assert len(parsed.connections) == kept
    assert parsed.skipped_rows == skipped


def test_comma_only_rows_between_people_are_skipped() -> None:
    """LinkedIn's ",,,,,," rows are not connections."""
    lines = samples.current_connections().decode().splitlines()
    lines.insert(6, ",,,,,,")
    lines.insert(4, ",,,,,,")
    parsed = read("\n".join(lines).encode())
    assert_people(parsed.connections)
    assert parsed.skipped_rows == 2


def test_nameless_row_keeps_its_url_and_empty_names() -> None:
    """A row with only a URL is kept with empty names."""
    row = ["", "", "https://www.linkedin.com/in/No-Name/", "", "", "", "01 Jan 2025"]
    (record,) = read(samples.csv_bytes(samples.CURRENT_HEADER, [row])).connections
    assert (record.first_name, record.last_name) == ("", "")
    assert record.key == "u:/in/no-name"
    assert record.url == "https://www.linkedin.com/in/no-name"


def test_duplicate_rows_collapse_to_the_first() -> None:
    """Rows with the same key (URL spelled differently, or same name and date) count once."""
    rows = [
        ["Ada", "Example", "https://www.linkedin.com/in/ada-x", "", "First Co", "", "01 Jan 2025"],
        ["Ada", "Example", "http://uk.linkedin.com/in/Ada-X/", "", "Second Co", "", "02 Jan 2025"],
        ["Bo", "Sample", "", "", "Alpha", "", "01 Jan 2025"],
        ["Bo", "Sample", "", "", "Beta", "", "2025-01-01"],
        ["Bo", "Sample", "", "", "Gamma", "", "02 Jan 2025"],
    ]
    parsed = read(samples.csv_bytes(samples.CURRENT_HEADER, rows))
    assert [(r.first_name, r.company) for r in parsed.connections] == [
        ("Ada", "First Co"),
        ("Bo", "Alpha"),
        ("Bo", "Gamma"),
    ]


def test_cells_are_trimmed() -> None:
    """Spaces around every cell are removed."""
    url = " https://www.linkedin.com/in/ada-x "
    row = ["  Ada ", " Example", url, "", " Acme ", " CTO ", " 01 Jan 2025 "]
    (record,) = read(samples.csv_bytes(samples.CURRENT_HEADER, [row])).connections
    assert (record.first_name, record.last_name, record.company, record.position) == (
        "Ada",
        "Example",
        "Acme",
        "CTO",
    )
    assert record.connected_on == datetime.date(2025, 1, 1)
    assert record.connected_on_raw == "01 Jan 2025"


def test_unreadable_dates_keep_the_row() -> None:
    """A date that fits no shape (or lies in the future) leaves connected_on None."""
    rows = [
        ["Ada", "Example", "", "", "", "", "sometime in 2020"],
        ["Bo", "Sample", "https://www.linkedin.com/in/bo", "", "", "", "05 Dec 2026"],
        ["Cy", "Sample", "https://www.linkedin.com/in/cy", "", "", "", ""],
        ["Di", "Sample", "https://www.linkedin.com/in/di", "", "", "", "30 Nov 2026"],
    ]
    parsed = read(samples.csv_bytes(samples.CURRENT_HEADER, rows))
    assert [r.connected_on for r in parsed.connections] == [
        None,
        None,
        None,
        datetime.date(2026, 11, 30),
    ]
    assert parsed.connections[0].connected_on_raw == "sometime in 2020"
    assert parsed.connections[0].key == "n:ada example|sometime in 2020"
    assert parsed.undated_rows == 3


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("04 Sep 2026", datetime.date(2026, 9, 4)),
        ("4 September 2026", datetime.date(2026, 9, 4)),
        ("10/21/18, 3:15 PM", datetime.date(2018, 10, 21)),
        ("15-Mar-24", datetime.date(2024, 3, 15)),
        ("15-Mar-2024", datetime.date(2024, 3, 15)),
        ("3/15/2024", datetime.date(2024, 3, 15)),
        ("15/03/2024", datetime.date(2024, 3, 15)),
        ("2024-03-15", datetime.date(2024, 3, 15)),
        ("2024-03-15 08:30:00", datetime.date(2024, 3, 15)),
        ("15.03.2024", datetime.date(2024, 3, 15)),
        ("15.03.24", datetime.date(2024, 3, 15)),
        ("Mar 15, 2024", datetime.date(2024, 3, 15)),
    ],
)
def test_connected_on_shapes(cell: str, expected: datetime.date) -> None:
    """Every "Connected On" shape LinkedIn or a spreadsheet writes reads to the right day."""
    rows = [["Ada", "Example", "https://www.linkedin.com/in/ada-x", "", "", "", cell]]
    (record,) = read(samples.csv_bytes(samples.CURRENT_HEADER, rows)).connections
    assert (record.connected_on, record.connected_on_raw) == (expected, cell)


def test_ambiguous_slash_dates_default_to_month_first() -> None:
    """When no slash date has a part above 12, the file is read month-first (US Excel)."""
    rows = [
        ["Ada", "Example", "", "", "", "", "1/2/2024"],
        ["Bo", "Sample", "", "", "", "", "3/4/2024"],
    ]
    parsed = read(samples.csv_bytes(samples.CURRENT_HEADER, rows))
    assert [r.connected_on for r in parsed.connections] == [
        datetime.date(2024, 1, 2),
        datetime.date(2024, 3, 4),
    ]


def test_one_day_first_slash_date_settles_the_whole_file() -> None:
    """A single 15/03/2024 makes every ambiguous slash date of the file day-first."""
    rows = [
        ["Ada", "Example", "", "", "", "", "01/02/2024"],
        ["Bo", "Sample", "", "", "", "", "15/03/2024"],
    ]
    parsed = read(samples.csv_bytes(samples.CURRENT_HEADER, rows))
    assert [r.connected_on for r in parsed.connections] == [
        datetime.date(2024, 2, 1),
        datetime.date(2024, 3, 15),
    ]


def test_mixed_locale_dates_in_one_file() -> None:
    """A spreadsheet that recognised only some months mixes 15.01.2024 and 15 Mar 2024."""
    rows = [
        ["Ada", "Example", "", "", "", "", "15.01.2024"],
        ["Bo", "Sample", "", "", "", "", "15 Mar 2024"],
        ["Cy", "Sample", "", "", "", "", "15. März 2024"],
    ]
    parsed = read(samples.csv_bytes(samples.CURRENT_HEADER, rows, delimiter=";"))
    assert [r.connected_on for r in parsed.connections] == [
        datetime.date(2024, 1, 15),
        datetime.date(2024, 3, 15),
        datetime.date(2024, 3, 15),
    ]


EXCEL_RESAVES: dict[str, dict[str, Any]] = {
    "cp1252 semicolon d-mmm-yy": {"delimiter": ";"},
    "cp1252 comma US slash": {"date_format": samples.us_slash_date},
    "UTF-16 tabs dotted": {
        "delimiter": "\t",
        "encoding": "utf-16",
        "date_format": samples.dotted_date,
    },
    "UTF-8 BOM ISO": {"encoding": "utf-8-sig", "date_format": samples.iso_date},
}


@pytest.mark.parametrize("options", EXCEL_RESAVES.values(), ids=EXCEL_RESAVES.keys())
def test_keys_survive_an_excel_resave(options: dict[str, Any]) -> None:
    """The same rows re-saved by a spreadsheet give the same set of keys."""
    original = {r.key for r in read(samples.current_connections()).connections}
    assert original == {r.key for r in read(samples.excel_resave(**options)).connections}
    assert "n:bjorn placeholder|2024-12-01" in original  # a name-and-date key among them


def test_thirty_thousand_connections_parse() -> None:
    """A network at LinkedIn's cap reads completely."""
    parsed = read(samples.many_connections(30_000))
    assert len(parsed.connections) == 30_000
    last = parsed.connections[-1]
    assert last.key == "u:/in/person-029999"
    assert last.company == "Company 29999, Inc."
    assert last.connected_on == datetime.date(2010, 1, 1) + datetime.timedelta(days=29_999 % 5000)


def test_more_connections_than_linkedin_allows_is_refused() -> None:
    """Over MAX_CONNECTIONS rows is not one person's export."""
    with pytest.raises(ExportError) as caught:
        read(samples.many_connections(MAX_CONNECTIONS + 1))
    assert caught.value.kind is ExportProblem.TOO_MANY_ROWS
