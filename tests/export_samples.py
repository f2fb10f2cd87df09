"""Builders of synthetic LinkedIn exports (bytes) for the reader's and the end-to-end tests.

Every person here is invented. The shapes are those found in published exports and the
tools that read them: today's Connections.csv (a "Notes:" preamble, then First Name, Last
Name, URL, Email Address, Company, Position, Connected On), the 2019-2020 shape without
preamble or URL, the 2018 shape with times in the date, and the same files after a
spreadsheet re-saved them (other encodings, delimiters, line endings and date styles).
"""

from __future__ import annotations

import csv
import datetime
import io
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

NOTE = (
    "When exporting your connection data, you may notice that some of the email addresses "
    "are missing. You will only see email addresses for connections who have allowed their "
    "connections to see or download their email address using this setting "
    "https://www.linkedin.com/psettings/privacy/email. You can learn more here "
    "https://www.linkedin.com/help/linkedin/answer/261"
)
CURRENT_HEADER = (
    "First Name",
    "Last Name",
    "URL",
    "Email Address",
    "Company",
    "Position",
    "Connected On",
)
OLD_HEADER = ("First Name", "Last Name", "Email Address", "Company", "Position", "Connected On")
HEADER_2018 = (
    "First Name",
    "Last Name",
    "Address",
    "Email Address",
    "Company",
    "Position",
    "Connected On",
    "Websites",
    "Instant Messengers",
)
OWNER_URL = "https://www.linkedin.com/in/owner-person-9z9z"
TODAY = datetime.date(2026, 11, 29)


@dataclass(frozen=True)
class Person:
    """One invented connection."""

    first: str
    last: str
    slug: str | None
    email: str = ""
    company: str = "Northwind"
    position: str = "Engineer"
    connected: datetime.date = datetime.date(2020, 9, 4)

    @property
    def url(self) -> str:
        """The profile URL as the export writes it ("" when the row has none)."""
        return f"https://www.linkedin.com/in/{self.slug}" if self.slug else ""


PEOPLE: tuple[Person, ...] = (
    Person(
        "Ada",
        "Example",
        "ada-example-3b2a91",
        "ada@example.com",
        "Northwind Analytics, Inc.",
        "Director of People Ops",
        datetime.date(2026, 2, 8),
    ),
    Person(
        "Zoë",
        "Exámple",
        "zoe-example",
        "",
        "Café Ltd",
        'Head of "Growth", EMEA',
        datetime.date(2025, 3, 15),
    ),
    Person(
        "Björn",
        "Placeholder",
        None,
        "",
        "Acme",
        "Engineer\nTeam Lead",
        datetime.date(2024, 12, 1),
    ),
    Person("Chidi", "Testcase", "chidi-testcase", "", "", "", datetime.date(2019, 1, 3)),
    Person(
        "Eve",
        "Fictional",
        "Eve-Fictional",
        "eve@example.org",
        "Globex",
        "CTO",
        datetime.date(2023, 7, 4),
    ),
)


def people(count: int, prefix: str = "p") -> list[Person]:
    """`count` distinct people, connected on different days."""
    return [
        Person(f"Person{i:03d}", "Example", f"{prefix}-{i:03d}",
               connected=datetime.date(2010 + i % 15, 1, (i % 28) + 1))
        for i in range(count)
    ]  # fmt: skip


def linkedin_date(value: datetime.date) -> str:
    """LinkedIn's own "Connected On" format: 08 Feb 2026."""
    return value.strftime("%d %b %Y")


def excel_short_date(value: datetime.date) -> str:
    """Excel's d-mmm-yy re-save: 08-Feb-26."""
    return value.strftime("%d-%b-%y")


def us_slash_date(value: datetime.date) -> str:
    """US Excel: 2/8/2026."""
    return f"{value.month}/{value.day}/{value.year}"


def eu_slash_date(value: datetime.date) -> str:
    """UK/FR Excel: 08/02/2026."""
    return value.strftime("%d/%m/%Y")


def dotted_date(value: datetime.date) -> str:
    """German Excel: 08.02.2026."""
    return value.strftime("%d.%m.%Y")


def iso_date(value: datetime.date) -> str:
    """ISO: 2026-02-08."""
    return value.isoformat()


def date_2018(value: datetime.date) -> str:
    """The 2018 export: 2/8/26, 3:15 PM."""
    return f"{value.month}/{value.day}/{value:%y}, 3:15 PM"


def csv_bytes(
    header: Sequence[str],
    rows: Iterable[Sequence[str]],
    *,
    preamble: str = "none",
    delimiter: str = ",",
    encoding: str = "utf-8",
    newline: str = "\n",
) -> bytes:
    """Write a CSV like LinkedIn (preamble "linkedin") or a spreadsheet ("padded") would."""
    out = io.StringIO()
    # Written with LF (so cells holding a line break get quoted), then converted.
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    width = len(header)
    if preamble == "linkedin":
        out.write("Notes:\n")
        writer.writerow([NOTE])
        out.write("\n")
    elif preamble == "padded":
        writer.writerow(["Notes:"] + [""] * (width - 1))
        writer.writerow([NOTE] + [""] * (width - 1))
        writer.writerow([""] * width)
    writer.writerow(header)
    for row in rows:
        writer.writerow(row)
    return out.getvalue().replace("\n", newline).encode(encoding)


def current_rows(
    people: Iterable[Person] = PEOPLE,
    date_format: Callable[[datetime.date], str] = linkedin_date,
) -> list[list[str]]:
    """Rows in the current column order."""
    return [
        [p.first, p.last, p.url, p.email, p.company, p.position, date_format(p.connected)]
        for p in people
    ]


def current_connections(
    people: Iterable[Person] = PEOPLE,
    date_format: Callable[[datetime.date], str] = linkedin_date,
    **options: str,
) -> bytes:
    """Connections.csv as LinkedIn writes it today (Notes preamble, URL column)."""
    options.setdefault("preamble", "linkedin")
    return csv_bytes(CURRENT_HEADER, current_rows(people, date_format), **options)


def old_connections(people: Iterable[Person] = PEOPLE) -> bytes:
    """The 2019-2020 shape: no preamble, no URL column."""
    rows = [
        [p.first, p.last, p.email, p.company, p.position, linkedin_date(p.connected)]
        for p in people
    ]
    return csv_bytes(OLD_HEADER, rows)


def connections_2018(people: Iterable[Person] = PEOPLE) -> bytes:
    """The 2018 shape: Address/Websites/Instant Messengers columns, dates with a time."""
    rows = [
        [
            p.first,
            p.last,
            "1 Sample Street",
            p.email,
            p.company,
            p.position,
            date_2018(p.connected),
            "https://example.com",
            "",
        ]
        for p in people
    ]
    return csv_bytes(HEADER_2018, rows)


def excel_resave(
    people: Iterable[Person] = PEOPLE,
    date_format: Callable[[datetime.date], str] = excel_short_date,
    **options: str,
) -> bytes:
    """Connections.csv after a trip through Excel (Windows-1252, CRLF, padded preamble)."""
    options.setdefault("preamble", "padded")
    options.setdefault("encoding", "cp1252")
    options.setdefault("newline", "\r\n")
    return csv_bytes(CURRENT_HEADER, current_rows(people, date_format), **options)


# --- shapes found in published exports that keepcut once misread ---------------------------

SPACELESS_HEADER = ("FirstName", "LastName", "EmailAddress", "Company", "Position", "ConnectedOn")
"""A re-written 2019-2020 header: no spaces, no URL column (dates like 15-Jun-20)."""
BOB = Person(
    "Bob",
    "Smith",
    None,
    "",
    "Acme, Inc.",
    'Head of "Special" Projects',
    datetime.date(2020, 6, 16),
)
"""The person of the wrapped row quoted in the issue that reported the shape."""
WRAPPED_PEOPLE: tuple[Person, ...] = (*PEOPLE, BOB)


def spaceless_connections(people: Iterable[Person] = PEOPLE) -> bytes:
    """The 2019-2020 shape with its header cells written without spaces."""
    rows = [
        [p.first, p.last, p.email, p.company, p.position, excel_short_date(p.connected)]
        for p in people
    ]
    return csv_bytes(SPACELESS_HEADER, rows)


def _csv_line(row: Sequence[str], delimiter: str) -> str:
    """One row as a CSV line, without its line end."""
    out = io.StringIO()
    # The terminator must be a line break: the writer quotes cells holding its characters.
    csv.writer(out, delimiter=delimiter, lineterminator="\n").writerow(row)
    return out.getvalue()[:-1]


def wrap_quoted_rows(
    header: Sequence[str],
    rows: Iterable[Sequence[str]],
    *,
    delimiter: str = ",",
    padded: bool = False,
    depth: int = 1,
) -> bytes:
    """A CSV whose rows holding a quoted cell came back from a spreadsheet wrapped whole.

    Each such row is written as one quoted cell with its inner quotes doubled (``depth``
    times over); ``padded`` adds the empty cells a spreadsheet pads short rows with.
    """
    width = len(header)
    lines = [_csv_line(header, delimiter)]
    for row in rows:
        line = _csv_line(row, delimiter)
        if '"' in line:
            for _ in range(depth):
                cells = [line] + [""] * (width - 1) if padded else [line]
                line = _csv_line(cells, delimiter)
        lines.append(line)
    return ("\n".join(lines) + "\n").encode("utf-8")


def wrapped_connections(
    people: Iterable[Person] = WRAPPED_PEOPLE, *, current: bool = False, **options: Any
) -> bytes:
    """Connections.csv (the 2019-2020 shape, or today's without preamble) with rows wrapped."""
    if current:
        return wrap_quoted_rows(CURRENT_HEADER, current_rows(people), **options)
    rows = [
        [p.first, p.last, p.email, p.company, p.position, linkedin_date(p.connected)]
        for p in people
    ]
    return wrap_quoted_rows(OLD_HEADER, rows, **options)


WHOLE_NAME_HEADER = ("First Name", "URL", "Email Address", "Company", "Position", "Connected On")
"""A hand-edited Connections.csv: the whole name under First Name, no Last Name column."""


def whole_name_connections(
    people: Iterable[Person] = PEOPLE, header: Sequence[str] = WHOLE_NAME_HEADER
) -> bytes:
    """Today's Connections.csv after someone merged First and Last Name into one column."""
    rows = [
        [f"{p.first} {p.last}", p.url, p.email, p.company, p.position, linkedin_date(p.connected)]
        for p in people
    ]
    return csv_bytes(header, rows, preamble="linkedin")


def respell_header(data: bytes, joiner: str, upper: bool = False) -> bytes:
    """The same CSV with the spaces of its first line replaced by ``joiner`` (and upper-cased)."""
    head, _, rest = data.partition(b"\n")
    head = head.replace(b" ", joiner.encode())
    return (head.upper() if upper else head) + b"\n" + rest


def many_connections(count: int) -> bytes:
    """A current-shape Connections.csv with ``count`` distinct people."""
    start = datetime.date(2010, 1, 1)
    rows = (
        [
            f"First{i}",
            f"Last{i}",
            f"https://www.linkedin.com/in/person-{i:06d}",
            "",
            f"Company {i}, Inc.",
            f"Senior Something {i}",
            linkedin_date(start + datetime.timedelta(days=i % 5000)),
        ]
        for i in range(count)
    )
    return csv_bytes(CURRENT_HEADER, rows, preamble="linkedin")


# --- signal files -------------------------------------------------------------------------

MESSAGES_HEADER = (
    "CONVERSATION ID",
    "CONVERSATION TITLE",
    "FROM",
    "SENDER PROFILE URL",
    "TO",
    "RECIPIENT PROFILE URLS",
    "DATE",
    "SUBJECT",
    "CONTENT",
    "FOLDER",
    "ATTACHMENTS",
    "IS MESSAGE DRAFT",
)


def _quoted_csv(header: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    """A CSV with every field quoted, as messages.csv is."""
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def message(
    conversation: str,
    sender: str,
    recipients: Sequence[str],
    stamp: str,
    content: str = 'Hello, "friend"\nsee you',
    draft: str = "No",
) -> list[str]:
    """One messages.csv row (names are not used by the reader)."""
    return [
        conversation,
        "",
        "Someone",
        sender,
        "Someone Else",
        ";".join(recipients),
        stamp,
        "",
        content,
        "INBOX",
        "",
        draft,
    ]


def ada_url() -> str:
    """Ada Example's profile URL."""
    return PEOPLE[0].url


def messages_csv(rows: Iterable[Sequence[str]] | None = None) -> bytes:
    """messages.csv: Ada wrote twice, I wrote her once, a group chat with Eve, one draft."""
    zoe, eve = PEOPLE[1].url, PEOPLE[4].url
    if rows is None:
        rows = [
            message("c1", OWNER_URL, [ada_url()], "2024-10-26 11:43:11 UTC"),
            message("c1", ada_url(), [OWNER_URL], "2024-10-27 09:00:00 UTC"),
            message("c1", ada_url(), [OWNER_URL], "2024-11-02 18:30:00 UTC"),
            message("c2", OWNER_URL, [ada_url(), eve], "2025-01-05 10:00:00 UTC"),
            message("c3", OWNER_URL, [zoe], "2025-06-01 10:00:00 UTC", draft="Yes"),
            message("c4", "", [OWNER_URL], "2025-02-01 10:00:00 UTC"),  # "LinkedIn Member"
        ]
    return _quoted_csv(MESSAGES_HEADER, rows)


def old_messages_csv() -> bytes:
    """The old Messages.csv (no URLs): Ada wrote me, I wrote Zoë."""
    rows = [
        ["Ada Example", "Owner Person", "10/21/18, 3:15 PM", "", "Hi", "INCOMING", "INBOX"],
        ["Owner Person", "Zoë Exámple", "10/22/18, 3:15 PM", "", "Hey", "OUTGOING", "SENT"],
    ]
    return _quoted_csv(("From", "To", "Date", "Subject", "Content", "Direction", "Folder"), rows)


def invitations_csv() -> bytes:
    """Invitations.csv: Ada invited me, I invited Eve, one pending outgoing to a stranger."""
    header = (
        "From",
        "To",
        "Sent At",
        "Message",
        "Direction",
        "inviterProfileUrl",
        "inviteeProfileUrl",
    )
    rows = [
        ["Ada Example", "Owner Person", "1/2/26, 9:05 AM", "", "INCOMING", ada_url()[8:], ""],
        ["Owner Person", "Eve Fictional", "7/8/26, 3:43 PM", "", "OUTGOING", "", PEOPLE[4].url],
        [
            "Owner Person",
            "Pat Pending",
            "10/30/26, 8:00 PM",
            "Hi, let's connect",
            "OUTGOING",
            "",
            "https://www.linkedin.com/in/pat-pending/",
        ],
    ]
    return csv_bytes(header, rows)


def endorsements_received_csv() -> bytes:
    """Ada endorsed me for two skills (one twice, one REJECTED); Eve for one."""
    header = (
        "Endorsement Date",
        "Skill Name",
        "Endorser First Name",
        "Endorser Last Name",
        "Endorser Public Url",
        "Endorsement Status",
    )
    ada = "www.linkedin.com/in/ada-example-3b2a91"
    eve = "www.linkedin.com/in/eve-fictional"
    rows = [
        ["2023/06/18 14:24:54 UTC", "Python", "Ada", "Example", ada, "ACCEPTED"],
        ["2023/06/19 14:24:54 UTC", "Python", "Ada", "Example", ada, "ACCEPTED"],
        ["2023/06/20 14:24:54 UTC", "SQL", "Ada", "Example", ada, "REJECTED"],
        ["2023/06/21 14:24:54 UTC", "Go", "Eve", "Fictional", eve, "ACCEPTED"],
    ]
    return csv_bytes(header, rows)


def endorsements_given_csv() -> bytes:
    """I endorsed Chidi for one skill."""
    header = (
        "Endorsement Date",
        "Skill Name",
        "Endorsee First Name",
        "Endorsee Last Name",
        "Endorsee Public Url",
        "Endorsement Status",
    )
    rows = [
        ["2022/01/01 10:00:00 UTC", "Testing", "Chidi", "Testcase",
         "www.linkedin.com/in/chidi-testcase", "ACCEPTED"],
    ]  # fmt: skip
    return csv_bytes(header, rows)


def recommendations_csv(names: Sequence[tuple[str, str]]) -> bytes:
    """Recommendations_Received.csv / _Given.csv for the given (first, last) names."""
    header = ("First Name", "Last Name", "Company", "Job Title", "Text", "Creation Date", "Status")
    text, created = "Great to work with, truly.", "08/30/22, 05:51 PM"
    rows = [[first, last, "Acme", "Engineer", text, created, "VISIBLE"] for first, last in names]
    return csv_bytes(header, rows)


def all_signal_files() -> dict[str, bytes]:
    """Every signal file, under its current name."""
    return {
        "messages.csv": messages_csv(),
        "Invitations.csv": invitations_csv(),
        "Endorsement_Received_Info.csv": endorsements_received_csv(),
        "Endorsement_Given_Info.csv": endorsements_given_csv(),
        "Recommendations_Received.csv": recommendations_csv([("Björn", "Placeholder")]),
        "Recommendations_Given.csv": recommendations_csv([("Zoe", "Example"), ("Nobody", "Here")]),
        "Profile.csv": csv_bytes(
            ("First Name", "Last Name", "Headline"), [["Owner", "Person", "x"]]
        ),
    }


# --- archives -----------------------------------------------------------------------------


def zip_bytes(
    members: dict[str, bytes] | Sequence[tuple[str | zipfile.ZipInfo, bytes]],
    compression: int = zipfile.ZIP_DEFLATED,
) -> bytes:
    """A ZIP of the given members (names may carry folders)."""
    items = members.items() if isinstance(members, dict) else members
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in items:
            archive.writestr(name, data)
    return buffer.getvalue()


def export_zip(
    connections: bytes | None = None,
    *,
    folder: str = "",
    macosx: bool = False,
    signals: dict[str, bytes] | None = None,
) -> bytes:
    """A LinkedIn export ZIP (at the root, or re-zipped under a folder)."""
    prefix = f"{folder}/" if folder else ""
    members: list[tuple[str | zipfile.ZipInfo, bytes]] = []
    if connections is not None:
        members.append((f"{prefix}Connections.csv", connections))
    for name, data in (signals or {}).items():
        members.append((f"{prefix}{name}", data))
    if macosx:
        members.append((f"__MACOSX/{prefix}._Connections.csv", b"\x00\x05\x16\x07junk"))
        members.append((f"{prefix}._Connections.csv", b"\x00\x05\x16\x07junk"))
    return zip_bytes(members)


@dataclass
class RawEntry:
    """A ZIP entry written byte by byte, so headers can lie."""

    name: str
    payload: bytes
    method: int = zipfile.ZIP_DEFLATED
    file_size: int = 0
    crc: int = 0
    flags: int = 0
    offset: int | None = None  # central directory offset override (to overlap entries)


def raw_zip(entries: Sequence[RawEntry], *, local: Sequence[RawEntry] | None = None) -> bytes:
    """Assemble a ZIP from raw entries; ``local`` lists the entries actually stored."""
    out = bytearray()
    offsets: dict[str, int] = {}
    for entry in entries if local is None else local:
        name = entry.name.encode()
        offsets[entry.name] = len(out)
        out += struct.pack(
            "<4s5H3L2H", b"PK\x03\x04", 20, entry.flags, entry.method, 0, 0,
            entry.crc, len(entry.payload), entry.file_size, len(name), 0,
        )  # fmt: skip
        out += name + entry.payload
    directory = len(out)
    for entry in entries:
        name = entry.name.encode()
        offset = entry.offset if entry.offset is not None else offsets[entry.name]
        out += struct.pack(
            "<4s6H3L5H2L", b"PK\x01\x02", 20, 20, entry.flags, entry.method, 0, 0,
            entry.crc, len(entry.payload), entry.file_size, len(name), 0, 0, 0, 0, 0, offset,
        )  # fmt: skip
        out += name
    size = len(out) - directory
    out += struct.pack(
        "<4s4H2LH", b"PK\x05\x06", 0, 0, len(entries), len(entries), size, directory, 0
    )
    return bytes(out)


def deflated_zeros(size: int) -> bytes:
    """A raw deflate stream of ``size`` zero bytes (a multiple of 1 MiB), built in a blink."""
    mib = 1 << 20
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    # After a full flush the compressor restarts, so every MiB compresses to the same bytes.
    block = compressor.compress(bytes(mib)) + compressor.flush(zlib.Z_FULL_FLUSH)
    return block * (size // mib) + compressor.flush()


def zip_bomb(size: int = 1 << 30) -> bytes:
    """Connections.csv of ``size`` zeros deflated to about size/1000, headers honest."""
    payload = deflated_zeros(size)
    return raw_zip([RawEntry("Connections.csv", payload, file_size=size)])


def lying_zip_bomb(declared: int = 1000, real: int = 1 << 30) -> bytes:
    """A member declaring ``declared`` bytes that inflates to ``real`` bytes."""
    return raw_zip([RawEntry("Connections.csv", deflated_zeros(real), file_size=declared)])


def traversal_zip() -> bytes:
    """A ZIP with a member that climbs out of the extraction folder."""
    return zip_bytes(
        [
            ("../../etc/cron.d/evil", b"* * * * * root true\n"),
            ("Connections.csv", current_connections(people(2))),
        ]
    )


def overlapping_zip(copies: int = 20) -> bytes:
    """Many central entries sharing one compressed kernel (Fifield's non-recursive bomb)."""
    kernel = RawEntry("Connections.csv", deflated_zeros(1 << 20), file_size=1 << 20)
    entries = [kernel] + [
        RawEntry(f"part{i}.csv", kernel.payload, file_size=1 << 20, offset=0)
        for i in range(copies)
    ]
    return raw_zip(entries, local=[kernel])


def with_flag_bits(data: bytes, flags: int) -> bytes:
    """Set general-purpose flag bits (e.g. 0x1, encrypted) on every entry of a ZIP."""
    out = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = archive.infolist()
        directory = archive.start_dir
    for info in infos:
        struct.pack_into("<H", out, info.header_offset + 6, info.flag_bits | flags)
    position = directory
    for info in infos:
        struct.pack_into("<H", out, position + 8, info.flag_bits | flags)
        name_length, extra_length, comment_length = struct.unpack_from("<3H", out, position + 28)
        position += 46 + name_length + extra_length + comment_length
    return bytes(out)


def symlink_zip() -> bytes:
    """A ZIP whose Connections.csv is a symlink to /etc/passwd."""
    info = zipfile.ZipInfo("Connections.csv")
    info.create_system = 3
    info.external_attr = 0o120777 << 16
    return zip_bytes([(info, b"/etc/passwd")])


def many_members_zip(count: int) -> bytes:
    """A ZIP of ``count`` tiny members plus Connections.csv."""
    members = [(f"f{i}.txt", b"") for i in range(count)]
    return zip_bytes([("Connections.csv", current_connections()), *members])


def corrupted_crc_zip() -> bytes:
    """A stored Connections.csv with one byte changed after the CRC was computed."""
    data = bytearray(zip_bytes({"Connections.csv": current_connections()}, zipfile.ZIP_STORED))
    position = data.index(b"Northwind")
    data[position] = ord("S")
    return bytes(data)


def xlsx_like() -> bytes:
    """The member layout of an Excel workbook (enough to be recognised)."""
    return zip_bytes(
        {
            "[Content_Types].xml": b"<Types/>",
            "_rels/.rels": b"<Relationships/>",
            "xl/workbook.xml": b"<workbook/>",
            "xl/worksheets/sheet1.xml": b"<worksheet/>",
        }
    )


def ods_like() -> bytes:
    """The member layout of an OpenDocument spreadsheet."""
    return zip_bytes(
        [
            ("mimetype", b"application/vnd.oasis.opendocument.spreadsheet"),
            ("content.xml", b"<office:document-content/>"),
        ],
        zipfile.ZIP_STORED,
    )


def docx_like() -> bytes:
    """The member layout of a Word document."""
    return zip_bytes({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})


def ole_file(stream_name: str) -> bytes:
    """An old Office (OLE) file whose directory names ``stream_name``."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    return header + stream_name.encode("utf-16-le") + bytes(64)
