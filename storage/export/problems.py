"""Why an upload could not be read: one problem kind per answer the bot gives."""

from __future__ import annotations

import enum


class ExportProblem(enum.Enum):
    """What was wrong with an upload; the bot maps each member to its own chat message."""

    EMPTY = "empty"
    """Zero bytes, only whitespace, or an empty Connections.csv inside a ZIP."""

    BINARY = "binary"
    """Not text and not a usable ZIP: an image, PDF, Word document, other archive, ...;
    ``detail`` names the type (e.g. "PNG image", "PDF", "Word document (.docx)")."""

    SPREADSHEET = "spreadsheet"
    """A spreadsheet workbook (.xlsx, .xls, .ods, Numbers): the export was opened and saved
    in a spreadsheet program; the answer is "save it as CSV" rather than "wrong file"."""

    NOT_CONNECTIONS_LINKEDIN = "not_connections_linkedin"
    """Another file of the LinkedIn export; ``detail`` says which (e.g. "messages.csv")."""

    UNRELATED_CSV = "unrelated_csv"
    """Text or CSV without a First Name / Last Name header (and not a known LinkedIn file)."""

    MISSING_LAST_NAME = "missing_last_name"
    """A header with First Name but neither Last Name nor Connected On (with Connected On
    the column is read as the whole name)."""

    MISSING_FIRST_NAME = "missing_first_name"
    """A header with Last Name but no First Name."""

    MISSING_NAMES = "missing_names"
    """A header with Connected On and other Connections columns, but no name column."""

    MISSING_CONNECTED_ON = "missing_connected_on"
    """First and last names spelled unlike LinkedIn ("FirstName", "first_name") and no
    Connected On: the header of a CRM or mailing list as much as of a connections list."""

    ROWS_UNREADABLE = "rows_unreadable"
    """A Connections header, but every non-blank row garbled (e.g. wrapped in quotes by a
    spreadsheet and not a row of the header's width); ``detail`` says how many."""

    ZIP_NO_CONNECTIONS = "zip_no_connections"
    """A sound ZIP without Connections.csv (e.g. an export requested without Connections);
    ``detail`` lists a few member names."""

    ZIP_UNSAFE = "zip_unsafe"
    """A hostile or absurd archive: absolute or ``..`` paths, symlinks, too many members,
    overlapping entries, or sizes / compression ratios of a zip bomb."""

    ZIP_ENCRYPTED = "zip_encrypted"
    """A password-protected ZIP: the answer is "send it without a password"."""

    ZIP_BROKEN = "zip_broken"
    """Truncated or corrupt archive (bad CRC, bad headers, unsupported compression)."""

    TOO_MANY_ROWS = "too_many_rows"
    """More connections than any LinkedIn network can hold (over MAX_CONNECTIONS rows, or a
    Connections.csv over MAX_CONNECTIONS_BYTES)."""

    UNREADABLE = "unreadable"
    """Text that cannot be decoded, a CSV too malformed to parse, or an unforeseen failure
    (then ``detail`` starts with "unexpected")."""


class ExportError(Exception):
    """An upload that cannot be imported; ``kind`` picks the answer, ``detail`` is for logs."""

    kind: ExportProblem
    detail: str

    def __init__(self, kind: ExportProblem, detail: str = "") -> None:
        """Build the error from its kind and a log-friendly detail (never shown to users)."""
        super().__init__(kind, detail)  # both in args, so the error pickles intact
        self.kind = kind
        self.detail = detail

    def __str__(self) -> str:
        """ "KIND: detail", for logs."""
        return f"{self.kind.name}: {self.detail}" if self.detail else self.kind.name
