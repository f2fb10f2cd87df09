"""One upload (a ZIP or a bare CSV, as bytes) -> ParsedExport, or an ExportError saying why not."""

from __future__ import annotations

import datetime
import logging

from .archive import (
    MAX_CONNECTIONS_BYTES,
    MAX_NESTED_ZIP_BYTES,
    MemberTooLarge,
    SafeArchive,
    basename,
    open_archive,
)
from .connections import ConnectionsResult, parse_connections
from .decode import decode_text
from .magic import SPREADSHEET_KINDS, binary_kind, is_zip, zip_document_kind
from .problems import ExportError, ExportProblem
from .records import ParsedExport
from .signals import read_signals

logger = logging.getLogger(__name__)

CONNECTIONS_FILE = "Connections.csv"
_MIMETYPE_BYTES = 256


def read_export(
    data: bytes, file_name: str | None = None, *, today: datetime.date | None = None
) -> ParsedExport:
    """Read a LinkedIn export upload; raise ExportError (and nothing else) when it can't be.

    ZIP or CSV is decided by the first bytes, never by ``file_name``, which only sharpens the
    answer for an unrecognised text file and the logs. ``today`` bounds dates (none is read
    as more than a day in the future); it defaults to the local date.
    """
    today = today or datetime.date.today()
    try:
        return _read(data, file_name, today)
    except ExportError:
        raise
    except Exception as exc:  # promised: only ExportError leaves this function
        logger.warning("unexpected %s while reading an export", type(exc).__name__)
        logger.debug("unexpected failure reading an export", exc_info=True)
        # The detail names the type only: an exception message may quote the file's contents.
        raise ExportError(ExportProblem.UNREADABLE, f"unexpected {type(exc).__name__}") from exc


def _read(data: bytes, file_name: str | None, today: datetime.date) -> ParsedExport:
    """Dispatch on the first bytes."""
    if not data.strip():
        raise ExportError(ExportProblem.EMPTY, f"{len(data)} bytes")
    if is_zip(data):
        return _read_zip(data, today, nested=False)
    found = _connections_from_bytes(data, file_name, today)
    return ParsedExport(
        connections=found.connections,
        signals={},
        outgoing_invitations=[],
        source="csv",
        has_extra_files=False,
        skipped_rows=found.skipped_rows,
        undated_rows=found.undated_rows,
        unreadable_rows=found.unreadable_rows,
        whole_names=found.whole_names,
    )


def _refuse_binary(data: bytes) -> None:
    """Raise BINARY or SPREADSHEET for bytes that start like a known binary format."""
    kind = binary_kind(data)
    if kind is not None:
        problem = ExportProblem.SPREADSHEET if kind in SPREADSHEET_KINDS else ExportProblem.BINARY
        raise ExportError(problem, kind)


def _connections_from_bytes(
    data: bytes, file_name: str | None, today: datetime.date
) -> ConnectionsResult:
    """Read the connections of a Connections.csv given as bytes."""
    _refuse_binary(data)
    if is_zip(data):
        raise ExportError(ExportProblem.BINARY, "ZIP archive inside the ZIP")
    if len(data) > MAX_CONNECTIONS_BYTES:
        raise ExportError(ExportProblem.TOO_MANY_ROWS, f"{len(data)} bytes")
    text = decode_text(data)
    if not text.strip():
        raise ExportError(ExportProblem.EMPTY, "only whitespace")
    return parse_connections(text, today=today, file_name=file_name)


def _read_zip(data: bytes, today: datetime.date, *, nested: bool) -> ParsedExport:
    """Read Connections.csv and the signal files of a ZIP export."""
    with open_archive(data) as archive:
        info = archive.find(CONNECTIONS_FILE)
        if info is None:
            return _without_connections(archive, today, nested=nested)
        try:
            raw = archive.read(info, MAX_CONNECTIONS_BYTES)
        except MemberTooLarge as exc:
            raise ExportError(ExportProblem.TOO_MANY_ROWS, f"Connections.csv {exc}") from exc
        if not raw.strip():
            raise ExportError(ExportProblem.EMPTY, f"empty {info.filename!r} in the ZIP")
        found = _connections_from_bytes(raw, info.filename, today)
        extra = read_signals(archive, found.connections, today)
    return ParsedExport(
        connections=found.connections,
        signals=extra.signals,
        outgoing_invitations=extra.outgoing_invitations,
        source="zip",
        has_extra_files=extra.found_any,
        skipped_rows=found.skipped_rows,
        undated_rows=found.undated_rows,
        unreadable_rows=found.unreadable_rows,
        whole_names=found.whole_names,
    )


def _without_connections(
    archive: SafeArchive, today: datetime.date, *, nested: bool
) -> ParsedExport:
    """Say what a ZIP without Connections.csv is, or read the export zipped inside it."""
    names = archive.member_names()
    mimetype = archive.find("mimetype")
    head = None
    if mimetype is not None and "/" not in mimetype.filename.strip("/"):
        try:
            head = archive.read(mimetype, _MIMETYPE_BYTES)
        except (MemberTooLarge, ExportError):
            head = None  # not an OpenDocument file then
    kind = zip_document_kind(names, head)
    if kind is not None:
        problem = ExportProblem.SPREADSHEET if kind in SPREADSHEET_KINDS else ExportProblem.BINARY
        raise ExportError(problem, kind)
    inner = None if nested else archive.find_suffix(".zip")
    if inner is not None:
        try:
            raw = archive.read(inner, MAX_NESTED_ZIP_BYTES)
        except MemberTooLarge as exc:
            raise ExportError(ExportProblem.ZIP_UNSAFE, f"nested ZIP {exc}") from exc
        if is_zip(raw):
            return _read_zip(raw, today, nested=True)
    listed = ", ".join(basename(name) for name in names[:5])
    more = f" and {len(names) - 5} more" if len(names) > 5 else ""
    raise ExportError(ExportProblem.ZIP_NO_CONNECTIONS, f"{listed}{more}" or "empty archive")
