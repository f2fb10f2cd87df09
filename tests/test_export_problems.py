"""Uploads that are not a Connections.csv get the exact problem kind the bot answers."""

from __future__ import annotations

import gzip

import pytest

from storage.export import ExportError, ExportProblem, read_export
from tests import export_samples as samples

P = ExportProblem


def refusal(data: bytes, file_name: str | None = None) -> ExportError:
    """The ExportError an upload raises (failing the test when it is read)."""
    with pytest.raises(ExportError) as caught:
        read_export(data, file_name, today=samples.TODAY)
    assert not caught.value.detail.startswith("unexpected"), caught.value.detail
    return caught.value


@pytest.mark.parametrize(
    "data",
    [b"", b"   \n\t\r\n", b"\xef\xbb\xbf", b"\xef\xbb\xbf \n", "\ufeff  \n".encode("utf-16-le")],
    ids=["zero bytes", "whitespace", "UTF-8 BOM only", "BOM and blank", "UTF-16 blank"],
)
def test_empty_uploads(data: bytes) -> None:
    """Nothing to read is EMPTY."""
    assert refusal(data).kind is P.EMPTY


@pytest.mark.parametrize(
    ("data", "detail"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(100), "PNG image"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF" + bytes(100), "JPEG image"),
        (b"GIF89a" + bytes(100), "GIF image"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        (samples.ole_file("WordDocument"), "Word document (.doc)"),
        (gzip.compress(samples.current_connections()), "gzip archive"),
        (b"Rar!\x1a\x07\x01\x00" + bytes(50), "RAR archive"),
        (b"7z\xbc\xaf\x27\x1c\x00\x04" + bytes(50), "7z archive"),
        (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic", "HEIC image"),
        (b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2", "MP4 video"),
        (b"MZ\x90\x00\x03\x00\x00\x00", "Windows program"),
        (b"First Name,Last Name\x00\x01\x02\x03" + bytes(range(256)), "binary data (NUL bytes)"),
        (bytes(range(1, 32)) * 40, "binary data (control characters)"),
        (samples.docx_like(), "Word document (.docx)"),
    ],
    ids=[
        "png", "jpeg", "gif", "pdf", "doc", "gzip", "rar", "7z", "heic", "mp4", "exe",
        "NUL bytes", "control characters", "docx",
    ],
)  # fmt: skip
def test_binary_files_are_named(data: bytes, detail: str) -> None:
    """Images, documents, archives and other binaries are BINARY with their type."""
    error = refusal(data)
    assert (error.kind, error.detail) == (P.BINARY, detail)


@pytest.mark.parametrize(
    ("data", "detail"),
    [
        (samples.xlsx_like(), "Excel workbook (.xlsx)"),
        (samples.ods_like(), "OpenDocument spreadsheet (.ods)"),
        (samples.ole_file("Workbook"), "Excel workbook (.xls)"),
        (samples.zip_bytes({"Index/Document.iwa": b"\x00"}), "Apple Numbers document"),
    ],
    ids=["xlsx", "ods", "xls", "numbers"],
)  # fmt: skip
def test_spreadsheets_are_recognised(data: bytes, detail: str) -> None:
    """A workbook (even though .xlsx is a ZIP) is SPREADSHEET, not a ZIP without Connections."""
    error = refusal(data)
    assert (error.kind, error.detail) == (P.SPREADSHEET, detail)


def _csv(*header: str) -> bytes:
    """A one-row CSV with this header."""
    return samples.csv_bytes(header, [["x"] * len(header)])


@pytest.mark.parametrize(
    ("data", "detail"),
    [
        (samples.messages_csv(), "messages.csv"),
        (samples.old_messages_csv(), "Messages.csv"),
        (samples.invitations_csv(), "Invitations.csv"),
        (samples.endorsements_received_csv(), "Endorsement_Received_Info.csv"),
        (samples.endorsements_given_csv(), "Endorsement_Given_Info.csv"),
        (samples.recommendations_csv([("Ada", "Example")]), "Recommendations_*.csv"),
        (_csv("First Name", "Last Name", "Maiden Name", "Address", "Birth Date", "Headline",
              "Summary", "Industry", "Zip Code", "Geo Location", "Twitter Handles", "Websites",
              "Instant Messengers"), "Profile.csv"),
        (_csv("Company Name", "Title", "Description", "Location", "Started On", "Finished On"),
         "Positions.csv"),
        (_csv("Name"), "Skills.csv"),
        (_csv("School Name", "Start Date", "End Date", "Notes", "Degree Name", "Activities"),
         "Education.csv"),
        (_csv("Email Address", "Confirmed", "Primary", "Updated On"), "Email Addresses.csv"),
    ],
    ids=["messages", "old Messages", "invitations", "endorsements received",
         "endorsements given", "recommendations", "profile", "positions", "skills",
         "education", "email addresses"],
)  # fmt: skip
def test_other_linkedin_files_are_named(data: bytes, detail: str) -> None:
    """Another file of the export is NOT_CONNECTIONS_LINKEDIN, naming which one."""
    error = refusal(data, "Connections.csv")
    assert (error.kind, error.detail) == (P.NOT_CONNECTIONS_LINKEDIN, detail)


def test_headerless_linkedin_file_is_named_by_its_upload_name() -> None:
    """LearningCoachMessages.csv only says "No conversations found"; its name tells."""
    error = refusal(b"No conversations found\n", "LearningCoachMessages.csv")
    assert (error.kind, error.detail) == (P.NOT_CONNECTIONS_LINKEDIN, "LearningCoachMessages.csv")


@pytest.mark.parametrize(
    "data",
    [
        b"name,email\nAda,ada@example.com\n",
        b"Vorname;Nachname\nAda;Example\n",
        b"<!DOCTYPE html><html><body>LinkedIn</body></html>",
        b'{"first name": "Ada"}',
        b"BEGIN:VCARD\nVERSION:3.0\nFN:Ada Example\nEND:VCARD\n",
        b"Just some notes about people I met.\n",
        b'Notes:\n"' + samples.NOTE.encode() + b'"\n\n',
    ],
    ids=["other csv", "guessed German header", "html", "json", "vcard", "prose", "preamble only"],
)
def test_unrelated_text_is_refused(data: bytes) -> None:
    """Text without a First Name / Last Name header is UNRELATED_CSV."""
    assert refusal(data, "Connections.csv").kind is P.UNRELATED_CSV


@pytest.mark.parametrize(
    "data",
    [
        b"\xff\xfe" + "First Name\tLast Name\n".encode("utf-16-le") + b"\x00\xd8\x41\x00",
        samples.csv_bytes(samples.CURRENT_HEADER, [["Ada", '"' + "x" * 200_000]]),
    ],
    ids=["lone surrogate in UTF-16", "unclosed quote swallowing the file"],
)
def test_unreadable_text(data: bytes) -> None:
    """Text that cannot be decoded or parsed is UNREADABLE."""
    assert refusal(data).kind is P.UNREADABLE


def test_unforeseen_failures_are_wrapped(monkeypatch: pytest.MonkeyPatch) -> None:
    """A bug below read_export still surfaces as ExportError(UNREADABLE), never raw."""
    import storage.export.reader as reader

    def broken(*args: object, **kwargs: object) -> None:
        """Simulate a programming error."""
        raise KeyError("boom")

    monkeypatch.setattr(reader, "parse_connections", broken)
    with pytest.raises(ExportError) as caught:
        read_export(samples.current_connections())
    assert caught.value.kind is P.UNREADABLE
    assert caught.value.detail.startswith("unexpected KeyError")
    assert isinstance(caught.value.__cause__, KeyError)


def test_bare_csv_over_the_size_cap_is_too_many_rows() -> None:
    """A Connections.csv far larger than any network is refused before parsing."""
    from storage.export import MAX_CONNECTIONS_BYTES

    data = samples.current_connections() + b"x" * MAX_CONNECTIONS_BYTES
    assert refusal(data).kind is P.TOO_MANY_ROWS


def test_error_message_is_log_friendly() -> None:
    """str(ExportError) carries the kind name and the detail."""
    error = refusal(samples.messages_csv())
    assert str(error) == "NOT_CONNECTIONS_LINKEDIN: messages.csv"


@pytest.mark.parametrize(
    ("header", "kind"),
    [
        (("First Name", "URL", "Company", "Position"), P.MISSING_LAST_NAME),
        (("first_name", "email_address", "company"), P.MISSING_LAST_NAME),
        (("Last Name", "URL", "Company", "Connected On"), P.MISSING_FIRST_NAME),
        (("Name", "Last Name", "Connected On"), P.MISSING_FIRST_NAME),
        (("URL", "Company", "Position", "Connected On"), P.MISSING_NAMES),
        (("FirstName", "LastName", "Email", "Phone"), P.MISSING_CONNECTED_ON),
    ],
    ids=["first name only", "first_name only", "last name only", "name and last name",
         "no name column", "respelled names, no date"],
)  # fmt: skip
def test_headers_close_to_connections_name_what_is_missing(
    header: tuple[str, ...], kind: ExportProblem
) -> None:
    """A header that is nearly Connections.csv is refused with what it lacks."""
    error = refusal(_csv(*header), "Connections.csv")
    assert error.kind is kind


@pytest.mark.parametrize(
    "data",
    [b"Name,Company\nAda,Acme\n", b"Device,Connected\nPrinter,yes\n", b"full_name\nAda\n"],
    ids=["name and company", "a Connected column alone", "full_name alone"],
)
def test_loose_matching_does_not_make_other_csvs_near_misses(data: bytes) -> None:
    """Only Connections-like headers get the specific answers; the rest stay unrelated."""
    assert refusal(data, "data.csv").kind is P.UNRELATED_CSV


@pytest.mark.parametrize(
    ("header", "detail"),
    [
        (("FirstName", "LastName", "Headline"), "Profile.csv"),
        (("first_name", "last_name", "maiden_name", "birth_date"), "Profile.csv"),
        (("EndorsementDate", "SkillName", "EndorserFirstName", "EndorserLastName",
          "EndorserPublicUrl", "EndorsementStatus"), "Endorsement_Received_Info.csv"),
        (("FIRST-NAME", "LAST-NAME", "COMPANY", "JOB-TITLE", "TEXT", "CREATION-DATE"),
         "Recommendations_*.csv"),
        (("CONVERSATION_ID", "FROM", "SENDER_PROFILE_URL", "TO", "CONTENT"), "messages.csv"),
    ],
    ids=["Profile spaceless", "Profile snake case", "endorsements spaceless",
         "recommendations kebab", "messages snake"],
)  # fmt: skip
def test_respelled_headers_of_other_linkedin_files_are_still_named(
    header: tuple[str, ...], detail: str
) -> None:
    """Loose matching also recognises the other files, so none is read as connections."""
    error = refusal(_csv(*header), "Connections.csv")
    assert (error.kind, error.detail) == (P.NOT_CONNECTIONS_LINKEDIN, detail)


def test_every_problem_kind_has_its_own_answer() -> None:
    """No kind falls back to the generic answer, and each answer says nothing changed."""
    from bot import texts

    answers = [texts.export_problem(kind, "") for kind in ExportProblem]
    assert len(set(answers)) == len(answers)
    assert all(answer.endswith(texts.NOTHING_CHANGED) for answer in answers)
    assert not any(answer.startswith("I couldn't import that file") for answer in answers)


@pytest.mark.parametrize(
    ("kind", "start"),
    [
        (P.MISSING_LAST_NAME, "This file has a First Name column but no Last Name column"),
        (P.MISSING_FIRST_NAME, "This file has a Last Name column but no First Name column"),
        (P.MISSING_NAMES, "This file has Connected On dates but no First Name or Last Name"),
        (P.MISSING_CONNECTED_ON, "This CSV has first and last names but no Connected On"),
        (P.ROWS_UNREADABLE, "I found the column names in this file but couldn't read any"),
    ],
)
def test_refusals_say_what_is_wrong_and_what_to_send(kind: ExportProblem, start: str) -> None:
    """The answer names what is missing or wrong, and what to send instead."""
    from bot import texts

    answer = texts.export_problem(kind, "header with first")
    assert answer.startswith(start)
    assert "Connections.csv" in answer
