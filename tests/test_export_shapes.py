"""Shapes found in published Connections.csv files that keepcut once misread.

Respelled header cells ("FirstName", "first_name"), rows a spreadsheet wrapped whole in one
more pair of quotes, and hand-edited files with the whole name under First Name: every
field of every row is checked, not only the count.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Sequence
from typing import Any

import pytest

from storage.export import ConnectionRecord, ExportError, ExportProblem, ParsedExport, read_export
from tests import export_samples as samples

PEOPLE = samples.PEOPLE
D = datetime.date


def read(data: bytes, name: str = "Connections.csv") -> ParsedExport:
    """Read an upload as of the fixed test date."""
    return read_export(data, name, today=samples.TODAY)


def fields(records: Sequence[ConnectionRecord]) -> list[tuple[object, ...]]:
    """Name, URL, company, position and date of each record, in file order."""
    return [
        (r.first_name, r.last_name, r.url, r.company, r.position, r.connected_on) for r in records
    ]


def expected(
    people: Sequence[samples.Person], *, with_urls: bool, whole: bool = False
) -> list[tuple[object, ...]]:
    """What ``fields`` should give for these sample people."""
    rows: list[tuple[object, ...]] = []
    for p in people:
        url = f"https://www.linkedin.com/in/{p.slug.lower()}" if with_urls and p.slug else None
        first, last = (f"{p.first} {p.last}", "") if whole else (p.first, p.last)
        rows.append((first, last, url, p.company, p.position, p.connected))
    return rows


# --- header cells without spaces -----------------------------------------------------------


def test_spaceless_header_of_the_2019_shape_reads_every_field() -> None:
    """FirstName,LastName,EmailAddress,Company,Position,ConnectedOn with 15-Jun-20 dates."""
    parsed = read(samples.spaceless_connections())
    assert fields(parsed.connections) == expected(PEOPLE, with_urls=False)
    assert [r.connected_on_raw for r in parsed.connections] == [
        "08-Feb-26", "15-Mar-25", "01-Dec-24", "03-Jan-19", "04-Jul-23",
    ]  # fmt: skip
    assert (parsed.skipped_rows, parsed.unreadable_rows, parsed.whole_names) == (0, 0, False)


@pytest.mark.parametrize(
    ("joiner", "upper"),
    [("", False), ("_", False), ("-", True), ("  ", True), ("_", True)],
    ids=["FirstName", "First_Name", "FIRST-NAME", "FIRST  NAME", "FIRST_NAME"],
)
def test_header_spellings_are_one_column(joiner: str, upper: bool) -> None:
    """Case, spaces, underscores and hyphens in header cells do not matter."""
    data = samples.respell_header(samples.current_connections(preamble="none"), joiner, upper)
    parsed = read(data)
    assert fields(parsed.connections) == expected(PEOPLE, with_urls=True)
    keys = {r.key for r in read(samples.current_connections()).connections}
    assert {r.key for r in parsed.connections} == keys


def test_respelled_header_after_the_preamble_is_found() -> None:
    """The Notes preamble does not hide a respelled header."""
    data = samples.csv_bytes(
        [cell.replace(" ", "_").lower() for cell in samples.CURRENT_HEADER],
        samples.current_rows(),
        preamble="linkedin",
        delimiter=";",
    )
    assert fields(read(data).connections) == expected(PEOPLE, with_urls=True)


def test_linkedin_spelled_names_without_a_date_are_still_read() -> None:
    """First Name,Last Name without Connected On was read before, and still is."""
    data = samples.csv_bytes(("First Name", "Last Name", "Company"), [["Ada", "Example", "Acme"]])
    (ada,) = read(data).connections
    assert (ada.first_name, ada.last_name, ada.company, ada.connected_on) == (
        "Ada",
        "Example",
        "Acme",
        None,
    )


@pytest.mark.parametrize(
    "header",
    [
        ("FirstName", "LastName", "Email", "Phone"),
        ("first_name", "last_name", "email_address", "company"),
    ],
    ids=["CRM", "mailing list"],
)
def test_respelled_names_without_connected_on_are_refused(header: tuple[str, ...]) -> None:
    """Without LinkedIn's spelling, only Connected On shows a names file is a network."""
    data = samples.csv_bytes(header, [["Ada", "Example", "ada@example.com", "x"]])
    with pytest.raises(ExportError) as caught:
        read(data, "contacts.csv")
    assert caught.value.kind is ExportProblem.MISSING_CONNECTED_ON


# --- rows wrapped whole in one more pair of quotes -----------------------------------------


def test_the_wrapped_row_of_the_report_is_read() -> None:
    """The exact line quoted in the report: one cell, inner quotes doubled."""
    data = (
        b"First Name,Last Name,Email Address,Company,Position,Connected On\n"
        b'"Bob,Smith,,""Acme, Inc."",""Head of """"Special"""" Projects"",16 Jun 2020"\n'
        b"Chidi,Testcase,,,,03 Jan 2019\n"
    )
    bob, chidi = read(data).connections
    assert bob == ConnectionRecord(
        key="n:bob smith|2020-06-16",
        first_name="Bob",
        last_name="Smith",
        url=None,
        company="Acme, Inc.",
        position='Head of "Special" Projects',
        connected_on=D(2020, 6, 16),
        connected_on_raw="16 Jun 2020",
    )
    assert (chidi.first_name, chidi.last_name, chidi.connected_on) == (
        "Chidi",
        "Testcase",
        D(2019, 1, 3),
    )


WRAPPINGS: dict[str, dict[str, Any]] = {
    "comma": {},
    "semicolon": {"delimiter": ";"},
    "padded by the spreadsheet": {"padded": True},
    "semicolon, padded": {"delimiter": ";", "padded": True},
    "wrapped twice": {"depth": 2},
}


@pytest.mark.parametrize("options", WRAPPINGS.values(), ids=WRAPPINGS.keys())
def test_wrapped_rows_read_every_field(options: dict[str, Any]) -> None:
    """Rows holding a quoted cell (comma, quote, line break) come back whole."""
    parsed = read(samples.wrapped_connections(**options))
    assert fields(parsed.connections) == expected(samples.WRAPPED_PEOPLE, with_urls=False)
    assert [r.connected_on_raw for r in parsed.connections] == [
        samples.linkedin_date(p.connected) for p in samples.WRAPPED_PEOPLE
    ]
    assert (parsed.skipped_rows, parsed.unreadable_rows) == (0, 0)


def test_wrapped_rows_of_todays_shape_keep_their_urls() -> None:
    """With a URL column the unwrapped rows keep their profile keys."""
    parsed = read(samples.wrapped_connections(current=True, padded=True))
    assert fields(parsed.connections) == expected(samples.WRAPPED_PEOPLE, with_urls=True)
    assert [r.key for r in parsed.connections][:2] == [
        "u:/in/ada-example-3b2a91",
        "u:/in/zoe-example",
    ]


def test_wrapped_rows_in_a_zip_are_read_and_unreadable_ones_counted() -> None:
    """The ZIP path carries the unwrapped rows and the count of unreadable ones."""
    data = samples.wrapped_connections() + b'"Ann,Other,,""Acme, Inc."""\n'
    parsed = read(samples.export_zip(data), "Basic_LinkedInDataExport_11-29-2026.zip")
    assert fields(parsed.connections) == expected(samples.WRAPPED_PEOPLE, with_urls=False)
    assert (parsed.skipped_rows, parsed.unreadable_rows) == (1, 1)


def test_no_email_address_survives_unwrapping() -> None:
    """The e-mail cell inside a wrapped row is dropped like any other."""
    for record in read(samples.wrapped_connections()).connections:
        assert not any("@" in str(value) for value in dataclasses.astuple(record))


HEADER = ",".join(samples.OLD_HEADER)


@pytest.mark.parametrize(
    ("row", "kept"),
    [
        ("Ada", ("Ada", "", "", "")),
        ('"Smith, PhD",Jane,,Acme,CTO,01 Jan 2020', ("Smith, PhD", "Jane", "Acme", "CTO")),
        (',,,"Acme, Inc.",,', None),
    ],
    ids=["one-column row", "comma in a name beside other cells", "company only"],
)  # fmt: skip
def test_genuine_rows_are_not_unwrapped(row: str, kept: tuple[str, ...] | None) -> None:
    """A short row, or a comma inside one of several cells, is read as it is."""
    parsed = read(f"{HEADER}\n{row}\n".encode())
    got = [(r.first_name, r.last_name, r.company, r.position) for r in parsed.connections]
    assert got == ([kept] if kept else [])
    assert parsed.unreadable_rows == 0


@pytest.mark.parametrize(
    "row",
    [
        '"Acme, Inc."',
        '"Acme, Inc.",,,,,',
        '"Ann,Other,,""Acme, Inc."""',
        '"Ann,Other,,Acme,CTO,01 Jan 2020,extra,cells"',
        '"Ann,Other,,""Acme"" Inc,CTO,01 Jan 2020"',
    ],
    ids=["one cell with a comma", "padded", "wrapped but too short", "wrapped but too wide",
         "wrapped with broken quotes"],
)  # fmt: skip
def test_rows_that_still_do_not_fit_are_skipped_and_counted(row: str) -> None:
    """A single cell that is not a row of the header's width never becomes a name."""
    data = f"{HEADER}\nChidi,Testcase,,,,03 Jan 2019\n{row}\n,,,,,\n".encode()
    parsed = read(data)
    assert [(r.first_name, r.last_name) for r in parsed.connections] == [("Chidi", "Testcase")]
    assert (parsed.skipped_rows, parsed.unreadable_rows) == (2, 1)


def test_narrow_header_never_unwraps_a_name_with_a_comma() -> None:
    """In First Name,Connected On a two-cell parse proves nothing: left out and counted."""
    data = b'First Name,Connected On\n"Smith, Jane",\nAda Example,01 Jan 2020\n'
    parsed = read(data)
    assert fields(parsed.connections) == [("Ada Example", "", None, "", "", D(2020, 1, 1))]
    assert parsed.unreadable_rows == 1


def test_a_file_of_only_unreadable_rows_is_refused() -> None:
    """Importing nobody would look like an empty export; the rows are the problem."""
    data = f'{HEADER}\n"Ann,Other,,""Acme, Inc."""\n"Bo,Other,,""X, Y"""\n,,,,,\n'.encode()
    with pytest.raises(ExportError) as caught:
        read(data)
    assert (caught.value.kind, caught.value.detail) == (ExportProblem.ROWS_UNREADABLE, "2 rows")


# --- the whole name under First Name -------------------------------------------------------


@pytest.mark.parametrize(
    "header",
    [
        samples.WHOLE_NAME_HEADER,
        ("Name", "URL", "Email Address", "Company", "Position", "Connected On"),
        ("full_name", "url", "email_address", "company", "position", "connected_on"),
    ],
    ids=["First Name", "Name", "full_name"],
)
def test_whole_names_are_read_as_written(header: tuple[str, ...]) -> None:
    """No Last Name column, but Connected On: each name is kept whole, last name empty."""
    parsed = read(samples.whole_name_connections(header=header))
    assert fields(parsed.connections) == expected(PEOPLE, with_urls=True, whole=True)
    assert parsed.whole_names is True
    assert parsed.skipped_rows == 0


def test_whole_names_keep_the_keys_of_a_split_export() -> None:
    """A later export with First and Last Name finds the same people (URL or name + date)."""
    whole = {r.key for r in read(samples.whole_name_connections()).connections}
    assert whole == {r.key for r in read(samples.current_connections()).connections}


def test_split_names_are_not_marked_whole() -> None:
    """An ordinary export says nothing about whole names."""
    assert read(samples.current_connections()).whole_names is False
