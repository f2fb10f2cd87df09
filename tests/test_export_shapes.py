"""Shapes found in published Connections.csv files that keepcut once misread.

Respelled header cells ("FirstName", "first_name"): every field of every row is checked,
not only the count.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from storage.export import ConnectionRecord, ExportError, ExportProblem, ParsedExport, read_export
from tests import export_samples as samples

PEOPLE = samples.PEOPLE


def read(data: bytes, name: str = "Connections.csv") -> ParsedExport:
    """Read an upload as of the fixed test date."""
    return read_export(data, name, today=samples.TODAY)


def fields(records: Sequence[ConnectionRecord]) -> list[tuple[object, ...]]:
    """Name, URL, company, position and date of each record, in file order."""
    return [
        (r.first_name, r.last_name, r.url, r.company, r.position, r.connected_on) for r in records
    ]


def expected(people: Sequence[samples.Person], *, with_urls: bool) -> list[tuple[object, ...]]:
    """What ``fields`` should give for these sample people."""
    rows: list[tuple[object, ...]] = []
    for p in people:
        url = f"https://www.linkedin.com/in/{p.slug.lower()}" if with_urls and p.slug else None
        rows.append((p.first, p.last, url, p.company, p.position, p.connected))
    return rows


# --- header cells without spaces -----------------------------------------------------------


def test_spaceless_header_of_the_2019_shape_reads_every_field() -> None:
    """FirstName,LastName,EmailAddress,Company,Position,ConnectedOn with 15-Jun-20 dates."""
    parsed = read(samples.spaceless_connections())
    assert fields(parsed.connections) == expected(PEOPLE, with_urls=False)
    assert [r.connected_on_raw for r in parsed.connections] == [
        "08-Feb-26", "15-Mar-25", "01-Dec-24", "03-Jan-19", "04-Jul-23",
    ]  # fmt: skip
    assert parsed.skipped_rows == 0


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
