"""Finding which connection a row of another export file is about."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from typing import overload

from ..text import fold
from .identity import key_for_path, name_key, profile_path
from .known_files import header_key
from .records import ConnectionRecord, Signals

HEADER_SCAN_ROWS = 5


class ConnectionIndex:
    """Look up connection keys by profile URL, or by a name only one connection has."""

    def __init__(self, connections: Iterable[ConnectionRecord]) -> None:
        """Index the connections of one import."""
        self._connections = list(connections)
        self.keys = {connection.key for connection in self._connections}
        self._paths: dict[str, str | None] = {}
        self._names: dict[str, str | None] | None = None

    def path(self, url: str) -> str | None:
        """The canonical profile path of a URL cell (cached: files repeat the same URLs)."""
        try:
            return self._paths[url]
        except KeyError:
            path = self._paths[url] = profile_path(url) if url else None
            return path

    def by_path(self, path: str | None) -> str | None:
        """The key of the connection with this canonical path, if one."""
        if path is None:
            return None
        key = key_for_path(path)
        return key if key in self.keys else None

    def by_url(self, url: str) -> str | None:
        """The key of the connection with this profile URL, if one."""
        return self.by_path(self.path(url))

    def by_name(self, full_name: str) -> str | None:
        """The key of the only connection with this (folded) full name, else None."""
        return self.by_folded_name(fold(full_name))

    def by_folded_name(self, folded: str) -> str | None:
        """Like ``by_name`` for a name already folded with ``fold``."""
        if self._names is None:
            self._names = self._build_names()
        return self._names.get(folded) if folded else None

    def _build_names(self) -> dict[str, str | None]:
        """Map each folded full name to its key, or to None when several people share it."""
        names: dict[str, str | None] = {}
        for connection in self._connections:
            folded = name_key(connection.first_name, connection.last_name)
            if not folded:
                continue
            if folded in names and names[folded] != connection.key:
                names[folded] = None
            else:
                names[folded] = connection.key
        return names


class Header:
    """The columns of a header row by name; any spelling of a name finds its column."""

    __slots__ = ("_columns",)

    def __init__(self, cells: Iterable[str]) -> None:
        """Index the cells of a header row (the first of repeated names wins)."""
        keys = [header_key(cell) for cell in cells]
        self._columns = {key: index for index, key in reversed(list(enumerate(keys)))}

    @overload
    def get(self, name: str) -> int | None: ...
    @overload
    def get(self, name: str, default: int) -> int: ...
    def get(self, name: str, default: int | None = None) -> int | None:
        """The index of the column called ``name`` (as LinkedIn spells it), or ``default``."""
        return self._columns.get(header_key(name), default)

    def __getitem__(self, name: str) -> int:
        """The index of a column known to be there."""
        return self._columns[header_key(name)]

    def __contains__(self, name: object) -> bool:
        """Whether the header has a column called ``name``."""
        return isinstance(name, str) and header_key(name) in self._columns


def read_header(rows: Iterator[list[str]], *needed: frozenset[str]) -> Header | None:
    """Skip to the header row holding all columns of one of ``needed``; index its columns."""
    wanted = [frozenset(header_key(name) for name in columns) for columns in needed]
    for _ in range(HEADER_SCAN_ROWS):
        row = next(rows, None)
        if row is None:
            return None
        keys = {header_key(cell) for cell in row}
        if any(columns <= keys for columns in wanted):
            return Header(row)
    return None


def cell(row: list[str], index: int | None) -> str:
    """The trimmed cell at ``index``, or "" when the column or the cell is missing."""
    if index is None or index >= len(row):
        return ""
    return row[index].strip()


def csv_rows(text: Iterable[str]) -> Iterator[list[str]]:
    """Rows of a streamed CSV member."""
    return csv.reader(text)


def signals_for(book: dict[str, Signals], key: str) -> Signals:
    """The Signals of a key in a result being built, created on first use."""
    signals = book.get(key)
    if signals is None:
        signals = book[key] = Signals()
    return signals
