"""Rows that a spreadsheet round trip wrapped whole in one more pair of quotes.

Such a row comes back as one quoted cell, its inner quotes doubled, e.g.
``"Bob,Smith,,""Acme, Inc."",Head of Projects,16 Jun 2020"``: a CSV reader sees one cell,
and the whole line would become the person's first name. When the row's only non-empty cell
is its first and holds the delimiter, it is read again as a row: used when it has the
header's width, otherwise skipped and counted, so a garbled name never passes as a person.
"""

from __future__ import annotations

import csv
import itertools
from dataclasses import dataclass

MIN_WIDTH = 3
"""Narrower headers are not unwrapped: in "First Name,Connected On" a name holding a comma
("Smith, Jane") would parse as a two-cell row too. LinkedIn's narrowest shape has six."""
MAX_DEPTH = 3
"""Wrappings undone at most: each round trip through the spreadsheet can add one."""


@dataclass(slots=True)
class Unwrapped:
    """The data rows with wrapped rows replaced by the rows they hold."""

    rows: list[list[str]]
    """The same list, changed in place, unless rows were left out."""
    unreadable: int
    """Rows left out: one cell holding the delimiter, but not a row of the header's width."""


def _inner_row(cell: str, delimiter: str) -> list[str] | None:
    """The one row a cell parses to, or None when it holds several rows or broken quoting."""
    lines = [line + "\n" for line in cell.split("\n")]
    try:
        # strict: quoting that is off means the cell is not a clean row.
        rows = list(itertools.islice(csv.reader(lines, delimiter=delimiter, strict=True), 2))
    except csv.Error:
        return None
    return rows[0] if len(rows) == 1 else None


def _looks_wrapped(row: list[str], delimiter: str) -> bool:
    """Whether the row's only non-empty cell is its first, and that cell holds the delimiter."""
    return bool(row) and delimiter in row[0] and not any(cell.strip() for cell in row[1:])


def _unwrap(row: list[str], delimiter: str, header: tuple[str, ...]) -> list[str] | None:
    """The row a wrapped row holds, or None when it is not a row of the header's width."""
    width = core = len(header)
    if width < MIN_WIDTH:
        return None
    while core > 1 and not header[core - 1]:
        core -= 1  # a spreadsheet may pad the header with empty cells
    inner = _inner_row(row[0], delimiter)
    depth = 1
    while inner is not None and depth < MAX_DEPTH and _looks_wrapped(inner, delimiter):
        inner = _inner_row(inner[0], delimiter)
        depth += 1
    if inner is not None and core <= len(inner) <= width:
        return inner
    return None


def unwrap_rows(rows: list[list[str]], delimiter: str, header: tuple[str, ...]) -> Unwrapped:
    """Undo whole-row wrapping; leave out (and count) rows that still do not fit the header."""
    # One quick pass finds the few candidates: a first name rarely holds the delimiter.
    candidates = [
        index
        for index, row in enumerate(rows)
        if row and delimiter in row[0] and _looks_wrapped(row, delimiter)
    ]
    unreadable: list[int] = []
    for index in candidates:
        inner = _unwrap(rows[index], delimiter, header)
        if inner is None:
            unreadable.append(index)
        else:
            rows[index] = inner
    if unreadable:
        left_out = set(unreadable)
        rows = [row for index, row in enumerate(rows) if index not in left_out]
    return Unwrapped(rows, len(unreadable))
