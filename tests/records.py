"""Synthetic parsed exports for storage tests (no files, no parsing)."""

from __future__ import annotations

from datetime import date

from storage.export.records import ConnectionRecord, Invitation, ParsedExport, Signals


def person(
    slug: str,
    first: str = "",
    last: str = "Example",
    company: str = "Northwind",
    position: str = "Engineer",
    connected_on: date | None = date(2020, 1, 1),
) -> ConnectionRecord:
    """One connection with a profile URL derived from its slug."""
    return ConnectionRecord(
        key=f"u:/in/{slug}",
        first_name=first or slug.capitalize(),
        last_name=last,
        url=f"https://www.linkedin.com/in/{slug}",
        company=company,
        position=position,
        connected_on=connected_on,
        connected_on_raw=connected_on.strftime("%d %b %Y") if connected_on else "",
    )


def export(
    people: list[ConnectionRecord],
    signals: dict[str, Signals] | None = None,
    invitations: list[Invitation] | None = None,
    full: bool = False,
) -> ParsedExport:
    """A parsed export holding these people (a full archive when `full`)."""
    return ParsedExport(
        connections=people,
        signals=signals or {},
        outgoing_invitations=invitations or [],
        source="zip" if full else "csv",
        has_extra_files=full,
        skipped_rows=0,
        undated_rows=sum(1 for p in people if p.connected_on is None),
    )
