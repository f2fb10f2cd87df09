"""The cut list as a CSV file, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io

from bot import texts
from bot.render.cards import profile_link
from storage.records import Connection

HEADER = ["Name", "Company", "Position", "Profile URL", "Connected on", "Reason", "Removed"]

# A spreadsheet runs a cell that starts with one of these as a formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    """Prefix a formula-like cell with an apostrophe so spreadsheets show it as text."""
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell


def cut_list_csv(people: list[Connection]) -> bytes:
    """The whole cut list as UTF-8 CSV (with a BOM so Excel reads accents right)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for c in people:
        row = [
            c.full_name,
            c.company,
            c.position,
            profile_link(c),
            c.connected_on.isoformat() if c.connected_on else c.connected_on_raw,
            texts.REASONS.get(c.reason or 0, ""),
            "yes" if c.removed_at else "no",
        ]
        writer.writerow([neutralise(cell) for cell in row])
    return out.getvalue().encode("utf-8-sig")
