"""/mydata's file: every table's rows of one person as CSVs in a ZIP, with a README."""

from __future__ import annotations

import csv
import io
import textwrap
import zipfile
from datetime import datetime
from typing import Any

from bot import texts
from bot.render.csv_files import neutralise
from storage.privacy import TableRows


def file_name(today_iso: str) -> str:
    """The ZIP's name: keepcut-my-data-YYYY-MM-DD.zip."""
    return f"keepcut-my-data-{today_iso}.zip"


def _cell(value: Any) -> str:
    """One stored value as CSV text; text that a spreadsheet would run is neutralised."""
    if value is None:
        return ""
    if isinstance(value, str):
        return neutralise(value)
    return str(value)


def table_csv(table: TableRows) -> bytes:
    """One table as UTF-8 CSV with a BOM (so spreadsheets read accents right)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(table.columns)
    writer.writerows([_cell(value) for value in row] for row in table.rows)
    return out.getvalue().encode("utf-8-sig")


def readme(tables: list[TableRows], day: str) -> str:
    """README.txt: what the files are, and what each one holds."""
    lines = [texts.MYDATA_README.format(day=day)]
    for table in tables:
        lines.append(f"{table.name}.csv ({texts.plural(len(table.rows), 'row')})")
        about = texts.MYDATA_FILES[table.name]
        lines.append(textwrap.fill(about, 88, initial_indent="    ", subsequent_indent="    "))
        lines.append("")
    return "\n".join(lines)


def my_data_zip(tables: list[TableRows], now: datetime) -> bytes:
    """The whole ZIP, built in memory: README.txt first, then one CSV per table."""
    stamp = now.timetuple()[:6]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:

        def add(name: str, data: bytes) -> None:
            """Add one member, dated now (zipfile would date it 1980)."""
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)

        add("README.txt", readme(tables, now.date().isoformat()).encode("utf-8"))
        for table in tables:
            add(f"{table.name}.csv", table_csv(table))
    return buffer.getvalue()
