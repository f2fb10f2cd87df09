"""Finding the Connections.csv header in a text, and which column holds which field.

Header cells are compared by ``header_key`` (case, spaces, underscores and hyphens ignored).
A header is taken as Connections.csv when it has First Name and Last Name, or one column
with the whole name and Connected On. A header that comes close gets a refusal naming what
it lacks, so the person knows what to fix.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass

from .known_files import describe_text, header_key, recognise_file_name, recognise_header
from .problems import ExportError, ExportProblem

HEADER_SCAN_LINES = 20
DELIMITERS = (",", ";", "\t")

# Header cell (as LinkedIn spells it) -> field. E-mail columns are deliberately absent:
# never kept. "whole" is a column holding the whole name, used only without Last Name.
_ALIASES: dict[str, str] = {
    "first name": "first",
    "last name": "last",
    "name": "whole",
    "full name": "whole",
    "url": "url",
    "profile url": "url",
    "linkedin url": "url",
    "public profile url": "url",
    "company": "company",
    "company name": "company",
    "position": "position",
    "job title": "position",
    "connected on": "connected_on",
    "connected": "connected_on",
    "connection date": "connected_on",
    "date connected": "connected_on",
}
COLUMN_ALIASES: dict[str, str] = {header_key(cell): field for cell, field in _ALIASES.items()}
"""``header_key`` of a header cell -> the field it holds."""
FIELDS = ("first", "last", "url", "company", "position", "connected_on")
_LINKEDIN_NAMES = frozenset({"first name", "last name"})
_DESCRIBING = frozenset({"url", "company", "position"})


@dataclass(frozen=True, slots=True)
class HeaderRow:
    """Where the Connections header starts in the text, its delimiter and its cells."""

    offset: int
    delimiter: str
    cells: tuple[str, ...]
    """The header's cells, trimmed, as the file spells them."""

    def columns(self) -> dict[str, int]:
        """Map each field of FIELDS to the first column carrying it (-1 when absent).

        Without a Last Name column, "first" is the column holding the whole name.
        """
        indexes = dict.fromkeys((*FIELDS, "whole"), -1)
        for position, cell in enumerate(self.cells):
            field = COLUMN_ALIASES.get(header_key(cell))
            if field is not None and indexes[field] < 0:
                indexes[field] = position
        whole = indexes.pop("whole")
        if indexes["first"] < 0:
            indexes["first"] = whole  # a header is only taken with a First Name or this
        return indexes


def _split_line(line: str, delimiter: str) -> list[str]:
    """Split one physical line into cells."""
    return next(csv.reader([line], delimiter=delimiter), [])


def _spelled_like_linkedin(cells: list[str]) -> bool:
    """Whether First Name and Last Name are written as LinkedIn writes them (any case)."""
    spelled = {" ".join(cell.replace("\ufeff", "").casefold().split()) for cell in cells}
    return _LINKEDIN_NAMES.issubset(spelled)


def _fields(cells: list[str]) -> set[str]:
    """The fields these header cells hold."""
    return {COLUMN_ALIASES[key] for key in map(header_key, cells) if key in COLUMN_ALIASES}


def _judge(cells: list[str]) -> ExportProblem | None:
    """None when these header cells are a Connections header, else what they lack."""
    fields = _fields(cells)
    dated = "connected_on" in fields
    if "first" in fields and "last" in fields:
        # "FirstName,LastName" is also how CRMs and mailing lists head their files, and
        # importing one would mark a whole network as gone: without LinkedIn's own spelling,
        # only the Connected On column shows the file is a connections list.
        if dated or _spelled_like_linkedin(cells):
            return None
        return ExportProblem.MISSING_CONNECTED_ON
    if "last" in fields:
        return ExportProblem.MISSING_FIRST_NAME
    if dated and ("first" in fields or "whole" in fields):
        return None  # the whole name in one column, read as it is
    if "first" in fields:
        return ExportProblem.MISSING_LAST_NAME
    if dated and fields & _DESCRIBING:
        return ExportProblem.MISSING_NAMES
    return ExportProblem.UNRELATED_CSV


def locate_header(text: str, file_name: str | None = None) -> HeaderRow:
    """Find the Connections header in the first lines, or say what the file is or lacks."""
    offset = 0
    near_miss: tuple[ExportProblem, list[str]] | None = None
    for line in text.split("\n", HEADER_SCAN_LINES)[:HEADER_SCAN_LINES]:
        if line.strip():
            # Try the delimiter the line uses most first.
            for delimiter in sorted(DELIMITERS, key=line.count, reverse=True):
                cells = [
                    cell.replace("\ufeff", "").strip() for cell in _split_line(line, delimiter)
                ]
                other = recognise_header({header_key(cell) for cell in cells})
                if other is not None:
                    raise ExportError(ExportProblem.NOT_CONNECTIONS_LINKEDIN, other)
                problem = _judge(cells)
                if problem is None:
                    return HeaderRow(offset, delimiter, tuple(cells))
                if near_miss is None and problem is not ExportProblem.UNRELATED_CSV:
                    near_miss = problem, cells
        offset += len(line) + 1
    if near_miss is not None:
        problem, cells = near_miss
        raise ExportError(problem, "header with " + ", ".join(sorted(_fields(cells))))
    hint = recognise_file_name(file_name)
    if hint is not None:
        raise ExportError(ExportProblem.NOT_CONNECTIONS_LINKEDIN, hint)
    raise ExportError(ExportProblem.UNRELATED_CSV, describe_text(text))
