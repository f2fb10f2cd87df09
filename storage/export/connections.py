"""Connections.csv text -> connection records: rows unwrapped, columns by name, dedupe."""

from __future__ import annotations

import csv
import datetime
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from .columns import FIELDS, HeaderRow, locate_header
from .dates import DateReader
from .identity import PLAIN_PROFILE, PROFILE_BASE, key_from_parts, profile_path, url_from_path
from .problems import ExportError, ExportProblem
from .records import ConnectionRecord
from .wrapped import unwrap_rows

MAX_CONNECTIONS = 35_000
"""LinkedIn caps a network at 30,000; more rows than this is not one person's export."""
MAX_DATA_ROWS = 3 * MAX_CONNECTIONS
"""Rows read at most, blank ones included, before giving up on a file."""


@dataclass(slots=True)
class ConnectionsResult:
    """The connections read from one Connections.csv and what was left out."""

    connections: list[ConnectionRecord]
    skipped_rows: int
    """Blank rows, rows without a name or URL, repeated headers and unreadable rows."""
    undated_rows: int
    unreadable_rows: int = 0
    """Rows that could not be read as a row of the header (counted in skipped_rows too)."""
    whole_names: bool = False
    """The file has no Last Name column: first_name holds each whole name as written."""


def parse_connections(
    text: str, *, today: datetime.date, file_name: str | None = None
) -> ConnectionsResult:
    """Read every connection of a decoded Connections.csv (any shape since 2018)."""
    header = locate_header(text, file_name)
    unwrapped = unwrap_rows(_read_rows(text, header), header.delimiter, header.cells)
    columns = header.columns()
    result = _records(unwrapped.rows, columns, header, today)
    result.skipped_rows += unwrapped.unreadable
    result.unreadable_rows = unwrapped.unreadable
    result.whole_names = columns["last"] < 0
    if unwrapped.unreadable and not result.connections:
        # Importing no one would read as an empty export; say the rows are the problem.
        raise ExportError(ExportProblem.ROWS_UNREADABLE, f"{unwrapped.unreadable} rows")
    return result


def _lines(text: str, start: int) -> Iterator[str]:
    """Yield the lines of a text from ``start``, with their LF (a StringIO would hold 4 B/char)."""
    size = len(text)
    while start < size:
        end = text.find("\n", start)
        if end < 0:
            yield text[start:]
            return
        yield text[start : end + 1]
        start = end + 1


def _read_rows(text: str, header: HeaderRow) -> list[list[str]]:
    """Parse the CSV rows after the header (quotes, doubled quotes, line breaks in cells)."""
    reader = csv.reader(_lines(text, header.offset), delimiter=header.delimiter)
    try:
        next(reader, None)
        rows = list(itertools.islice(reader, MAX_DATA_ROWS + 1))
    except csv.Error as exc:
        raise ExportError(ExportProblem.UNREADABLE, f"CSV line {reader.line_num}: {exc}") from exc
    if len(rows) > MAX_DATA_ROWS:
        raise ExportError(ExportProblem.TOO_MANY_ROWS, f"over {MAX_DATA_ROWS} rows")
    return rows


def _record_maker() -> Callable[..., ConnectionRecord]:
    """A fast constructor for ConnectionRecord.

    A frozen dataclass's __init__ goes through object.__setattr__ for every field, which is
    a third of the time of a 30,000-row import; setting the slots directly is equivalent.
    """
    new = object.__new__
    setters = [getattr(ConnectionRecord, name).__set__ for name in ConnectionRecord.__slots__]
    s_key, s_first, s_last, s_url, s_company, s_position, s_on, s_raw = setters

    def make(
        key: str,
        first: str,
        last: str,
        url: str | None,
        company: str,
        position: str,
        connected_on: datetime.date | None,
        raw: str,
    ) -> ConnectionRecord:
        """Build one record (same arguments as ConnectionRecord)."""
        record = new(ConnectionRecord)
        s_key(record, key)
        s_first(record, first)
        s_last(record, last)
        s_url(record, url)
        s_company(record, company)
        s_position(record, position)
        s_on(record, connected_on)
        s_raw(record, raw)
        return record

    return make


def _records(
    rows: list[list[str]], columns: dict[str, int], header: HeaderRow, today: datetime.date
) -> ConnectionsResult:
    """Build records with dates and keys, keeping the first row of each key."""
    i_first, i_last, i_url, i_company, i_position, i_date = (columns[f] for f in FIELDS)
    width = max(columns.values()) + 1
    padding = [""] * width
    # A repeated header (files pasted together) names the same columns as the header.
    i_second = i_last if i_last >= 0 else i_date
    header_first = header.cells[i_first].casefold()
    header_second = header.cells[i_second].casefold() if i_second >= 0 else ""
    raw_dates = {row[i_date].strip() for row in rows if 0 <= i_date < len(row)}
    reader = DateReader(today, raw_dates)
    date_of = {raw: reader.read(raw) for raw in raw_dates}
    date_of[""] = None
    plain_profile = PLAIN_PROFILE.fullmatch
    make = _record_maker()
    records: list[ConnectionRecord] = []
    seen: set[str] = set()
    skipped = undated = 0
    for row in rows:
        if len(row) < width:
            row = row + padding  # short rows: old files, Excel trimming
        first = row[i_first].strip()
        last = row[i_last].strip() if i_last >= 0 else ""
        url_cell = row[i_url].strip() if i_url >= 0 else ""
        path = link = None
        if url_cell:
            plain = plain_profile(url_cell)  # the usual shape, without the general parser
            if plain:
                path = "/in/" + plain[1]
                link = PROFILE_BASE + path
            else:
                path = profile_path(url_cell)
                link = url_from_path(path) if path else None
        if not (first or last or path) or (
            first.casefold() == header_first
            and (row[i_second].strip().casefold() if i_second >= 0 else "") == header_second
        ):
            skipped += 1  # blank, comma-only, nameless without URL, or a repeated header
            continue
        raw_date = row[i_date].strip() if i_date >= 0 else ""
        connected_on = date_of[raw_date]
        if path is not None:
            key = "u:" + path
        else:
            key = key_from_parts(None, first, last, connected_on, raw_date)
        if key in seen:
            continue
        seen.add(key)
        if connected_on is None:
            undated += 1
        company = row[i_company].strip() if i_company >= 0 else ""
        position = row[i_position].strip() if i_position >= 0 else ""
        records.append(make(key, first, last, link, company, position, connected_on, raw_date))
        if len(records) > MAX_CONNECTIONS:
            raise ExportError(ExportProblem.TOO_MANY_ROWS, f"over {MAX_CONNECTIONS} connections")
    return ConnectionsResult(records, skipped, undated)
