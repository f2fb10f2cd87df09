"""Small synthetic LinkedIn exports for the end-to-end tests (invented people only)."""

from __future__ import annotations

import functools
import io
import zipfile
from dataclasses import dataclass

PREAMBLE = (
    "Notes:\n"
    '"When exporting your connection data, you may notice that some of the email addresses '
    "are missing. You will only see email addresses for connections who have allowed their "
    "connections to see or download their email address using this setting "
    "https://www.linkedin.com/psettings/privacy/email. You can learn more here "
    'https://www.linkedin.com/help/linkedin/answer/261"\n\n'
)
HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"


@dataclass(frozen=True)
class Person:
    """One row of Connections.csv."""

    first: str
    last: str
    slug: str
    company: str = "Northwind"
    position: str = "Engineer"
    connected_on: str = "04 Sep 2020"

    def row(self) -> str:
        """The CSV line, quoting every cell."""
        url = f"https://www.linkedin.com/in/{self.slug}" if self.slug else ""
        cells = [self.first, self.last, url, "", self.company, self.position, self.connected_on]
        return ",".join('"' + c.replace('"', '""') + '"' for c in cells) + "\n"


def people(count: int, prefix: str = "p") -> list[Person]:
    """`count` distinct people, connected on different days."""
    return [
        Person(f"Person{i:03d}", "Example", f"{prefix}-{i:03d}",
               connected_on=f"{(i % 28) + 1:02d} Jan {2010 + i % 15}")
        for i in range(count)
    ]  # fmt: skip


def connections_csv(rows: list[Person]) -> bytes:
    """Connections.csv in today's shape."""
    return (PREAMBLE + HEADER + "".join(p.row() for p in rows)).encode("utf-8")


def export_zip(rows: list[Person], extra: dict[str, str] | None = None) -> bytes:
    """A Basic_LinkedInDataExport ZIP holding Connections.csv (and any extra files)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("Connections.csv", connections_csv(rows))
        for name, text in (extra or {}).items():
            archive.writestr(name, text)
    return buffer.getvalue()


@functools.cache
def zip_bomb(megabytes: int = 300) -> bytes:
    """A ZIP whose Connections.csv inflates to `megabytes` of zeros (about 1,000:1)."""
    buffer = io.BytesIO()
    chunk = b"0" * (1 << 20)
    with (
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive,
        archive.open("Connections.csv", "w", force_zip64=True) as member,
    ):
        for _ in range(megabytes):
            member.write(chunk)
    return buffer.getvalue()


def traversal_zip() -> bytes:
    """A ZIP with a member that climbs out of the extraction folder."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("../../etc/cron.d/evil", "* * * * * root true\n")
        archive.writestr("Connections.csv", connections_csv(people(2)))
    return buffer.getvalue()
