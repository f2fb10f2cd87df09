"""Relationship signals from the other files of a ZIP export; a bad file is skipped, never fatal.

Endorsements count distinct skills per person over every status (ACCEPTED, REJECTED, ...);
recommendations count rows of every status and, having no URL, match a connection only when
exactly one connection has that full name; invitations say who invited whom (the latest
invitation wins) and list every outgoing one.
"""

from __future__ import annotations

import csv
import datetime
import logging
import zipfile
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields

from ..text import fold
from .archive import MAX_SIGNAL_BYTES, MemberTooLarge, SafeArchive, basename
from .dates import DateReader
from .identity import normalise_profile_url
from .matching import ConnectionIndex, cell, csv_rows, read_header, signals_for
from .messages import read_messages
from .problems import ExportError
from .records import ConnectionRecord, Invitation, Signals

logger = logging.getLogger(__name__)

SIGNAL_FILES: dict[str, tuple[str, ...]] = {
    "messages": ("messages.csv",),
    "invitations": ("Invitations.csv",),
    "endorsements_received": ("Endorsement_Received_Info.csv", "Endorsement Received Info.csv"),
    "endorsements_given": ("Endorsement_Given_Info.csv", "Endorsement Given Info.csv"),
    "recommendations_received": ("Recommendations_Received.csv", "Recommendations Received.csv"),
    "recommendations_given": ("Recommendations_Given.csv", "Recommendations Given.csv"),
}
"""Signal files by kind with current and older (spaced) names, matched case-insensitively."""

# What a damaged or hostile member can raise while it is streamed.
_FILE_ERRORS = (
    csv.Error,
    UnicodeError,
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    OSError,
    MemberTooLarge,
    ExportError,
)


@dataclass(slots=True)
class FileSignals:
    """What one signal file contributed."""

    signals: dict[str, Signals] = field(default_factory=dict)
    outgoing_invitations: list[Invitation] = field(default_factory=list)


@dataclass(slots=True)
class SignalsResult:
    """All signals of an archive."""

    signals: dict[str, Signals]
    outgoing_invitations: list[Invitation]
    found_any: bool


def _endorsements(role: str, attribute: str) -> Callable[..., FileSignals]:
    """A reader of Endorsement_Received_Info.csv ("endorser") or ..._Given_... ("endorsee")."""

    def read(text: Iterable[str], index: ConnectionIndex, dates: DateReader) -> FileSignals:
        """Count distinct endorsed skills per connection (every status)."""
        rows = csv_rows(text)
        url_column, first_column = f"{role} public url", f"{role} first name"
        header = read_header(rows, frozenset({url_column}), frozenset({first_column}))
        result = FileSignals()
        if header is None:
            return result
        i_url, i_skill = header.get(url_column), header.get("skill name")
        i_first, i_last = header.get(first_column), header.get(f"{role} last name")
        skills: dict[str, set[str]] = {}
        for number, row in enumerate(rows):
            key = index.by_url(cell(row, i_url)) or index.by_name(
                f"{cell(row, i_first)} {cell(row, i_last)}"
            )
            if key is not None:
                skill = fold(cell(row, i_skill)) or f"#{number}"  # no skill: count the row
                skills.setdefault(key, set()).add(skill)
        for key, endorsed in skills.items():
            setattr(signals_for(result.signals, key), attribute, len(endorsed))
        return result

    return read


def _recommendations(attribute: str) -> Callable[..., FileSignals]:
    """A reader of Recommendations_Received.csv / Recommendations_Given.csv."""

    def read(text: Iterable[str], index: ConnectionIndex, dates: DateReader) -> FileSignals:
        """Count recommendations per connection matched by unique full name (every status)."""
        rows = csv_rows(text)
        header = read_header(rows, frozenset({"first name", "last name"}))
        result = FileSignals()
        if header is None:
            return result
        i_first, i_last = header["first name"], header["last name"]
        for row in rows:
            key = index.by_name(f"{cell(row, i_first)} {cell(row, i_last)}")
            if key is not None:
                signals = signals_for(result.signals, key)
                setattr(signals, attribute, getattr(signals, attribute) + 1)
        return result

    return read


def _invitations(text: Iterable[str], index: ConnectionIndex, dates: DateReader) -> FileSignals:
    """Who invited whom, and every outgoing invitation."""
    rows = csv_rows(text)
    header = read_header(rows, frozenset({"direction"}))
    result = FileSignals()
    if header is None:
        return result
    latest: dict[str, tuple[datetime.date | None, str]] = {}
    for row in rows:
        direction = cell(row, header.get("direction")).casefold()
        sent_on = dates.read(cell(row, header.get("sent at")))
        if direction == "outgoing":
            url, name, who = (
                cell(row, header.get("inviteeprofileurl")),
                cell(row, header.get("to")),
                "me",
            )
            result.outgoing_invitations.append(
                Invitation(normalise_profile_url(url) if url else None, name, sent_on)
            )
        elif direction == "incoming":
            url, name, who = (
                cell(row, header.get("inviterprofileurl")),
                cell(row, header.get("from")),
                "them",
            )
        else:
            continue
        key = index.by_url(url) or index.by_name(name)
        if key is None:
            continue
        previous = latest.get(key)
        if previous is None or (
            sent_on is not None and (previous[0] is None or sent_on >= previous[0])
        ):
            latest[key] = (sent_on, who)
    for key, (_, who) in latest.items():
        signals_for(result.signals, key).invited_by = who
    return result


def _messages(text: Iterable[str], index: ConnectionIndex, dates: DateReader) -> FileSignals:
    """Messages sent and received per connection."""
    return FileSignals(read_messages(text, index, dates))


_READERS: dict[str, Callable[[Iterable[str], ConnectionIndex, DateReader], FileSignals]] = {
    "messages": _messages,
    "invitations": _invitations,
    "endorsements_received": _endorsements("endorser", "endorsements_received"),
    "endorsements_given": _endorsements("endorsee", "endorsements_given"),
    "recommendations_received": _recommendations("recommendations_received"),
    "recommendations_given": _recommendations("recommendations_given"),
}


def _merge(into: dict[str, Signals], part: dict[str, Signals]) -> None:
    """Add one file's signals to the result (each file fills its own fields)."""
    for key, signals in part.items():
        target = into.get(key)
        if target is None:
            into[key] = signals
            continue
        for item in fields(Signals):
            value = getattr(signals, item.name)
            if isinstance(value, int):
                setattr(target, item.name, getattr(target, item.name) + value)
            elif value is not None:
                current = getattr(target, item.name)
                if item.name != "last_message_on" or current is None or value > current:
                    setattr(target, item.name, value)


def read_signals(
    archive: SafeArchive, connections: list[ConnectionRecord], today: datetime.date
) -> SignalsResult:
    """Read every signal file the archive has; skip (and log at DEBUG) any that fails."""
    index = ConnectionIndex(connections)
    result = SignalsResult({}, [], found_any=False)
    for kind, names in SIGNAL_FILES.items():
        info = archive.find(*names)
        if info is None:
            continue
        result.found_any = True
        try:
            with archive.open_text(info, MAX_SIGNAL_BYTES) as text:
                part = _READERS[kind](text, index, DateReader(today))
        except _FILE_ERRORS as exc:
            logger.debug("skipped %s: %s: %s", basename(info.filename), type(exc).__name__, exc)
            continue
        except Exception as exc:  # a signal file must never fail the import
            logger.warning("skipped %s after unexpected %s", kind, type(exc).__name__)
            logger.debug("unexpected failure reading %s", kind, exc_info=True)
            continue
        _merge(result.signals, part.signals)
        result.outgoing_invitations.extend(part.outgoing_invitations)
    return result
