"""Relationship signals from the other files of a ZIP export."""

from __future__ import annotations

import datetime
import logging
import tracemalloc
import zipfile

import pytest

from storage.export import MAX_SIGNAL_BYTES, Invitation, ParsedExport, Signals, read_export
from tests import export_samples as samples

D = datetime.date
ADA, ZOE, BJORN, CHIDI, EVE = (
    "u:/in/ada-example-3b2a91",
    "u:/in/zoe-example",
    "n:bjorn placeholder|2024-12-01",
    "u:/in/chidi-testcase",
    "u:/in/eve-fictional",
)
ALL_SIGNALS = {
    ADA: Signals(
        messages_sent=2,
        messages_received=2,
        last_message_on=D(2025, 1, 5),
        endorsements_received=2,
        invited_by="them",
    ),
    ZOE: Signals(recommendations_given=1),
    BJORN: Signals(recommendations_received=1),
    CHIDI: Signals(endorsements_given=1),
    EVE: Signals(
        messages_sent=1,
        last_message_on=D(2025, 1, 5),
        endorsements_received=1,
        invited_by="me",
    ),
}
OUTGOING = [
    Invitation("https://www.linkedin.com/in/eve-fictional", "Eve Fictional", D(2026, 7, 8)),
    Invitation("https://www.linkedin.com/in/pat-pending", "Pat Pending", D(2026, 10, 30)),
]


def read(data: bytes) -> ParsedExport:
    """Read an upload as of the fixed test date."""
    return read_export(data, "Complete_LinkedInDataExport_09-23-2026.zip", today=samples.TODAY)


def export_with(**files: bytes) -> ParsedExport:
    """Read a ZIP of the sample connections plus the given signal files (name=bytes)."""
    signals = {name.replace("__", " ").replace("_dot_", "."): data for name, data in files.items()}
    return read(samples.export_zip(samples.current_connections(), signals=signals))


@pytest.mark.parametrize("folder", ["", "Complete_LinkedInDataExport_09-23-2026"])
def test_every_signal_file_is_read(folder: str) -> None:
    """Messages, invitations, endorsements and recommendations land on the right people."""
    data = samples.export_zip(
        samples.current_connections(), folder=folder, signals=samples.all_signal_files()
    )
    parsed = read(data)
    assert parsed.has_extra_files is True
    assert parsed.signals == ALL_SIGNALS
    assert parsed.outgoing_invitations == OUTGOING
    assert len(parsed.connections) == len(samples.PEOPLE)


@pytest.mark.parametrize(
    ("joiner", "upper"),
    [("", False), ("_", False), ("-", True)],
    ids=["SenderProfileUrl", "sender_profile_url", "SENDER-PROFILE-URL"],
)
def test_respelled_signal_headers_are_read(joiner: str, upper: bool) -> None:
    """Every signal file's header matches ignoring case, spaces, underscores and hyphens."""
    files = {
        name: samples.respell_header(data, joiner, upper)
        for name, data in samples.all_signal_files().items()
    }
    connections = samples.respell_header(samples.current_connections(preamble="none"), joiner)
    parsed = read(samples.export_zip(connections, signals=files))
    assert parsed.signals == ALL_SIGNALS
    assert parsed.outgoing_invitations == OUTGOING


def test_signals_cover_only_connections_with_something_to_say() -> None:
    """No key outside the connections, no empty Signals."""
    parsed = read(
        samples.export_zip(samples.current_connections(), signals=samples.all_signal_files())
    )
    keys = {record.key for record in parsed.connections}
    assert set(parsed.signals) <= keys
    assert all(signals != Signals() for signals in parsed.signals.values())


def test_bare_csv_and_connections_only_zip_have_no_signals() -> None:
    """Without signal files there is nothing extra, and has_extra_files says so."""
    parsed = read(samples.export_zip(samples.current_connections(), signals={"Profile.csv": b"x"}))
    assert (parsed.signals, parsed.outgoing_invitations, parsed.has_extra_files) == ({}, [], False)


def test_old_spaced_file_names_are_read() -> None:
    """Endorsement Received Info.csv, Recommendations Received.csv and old Messages.csv."""
    parsed = export_with(
        Endorsement__Received__Info_dot_csv=samples.endorsements_received_csv(),
        Recommendations__Received_dot_csv=samples.recommendations_csv([("Ada", "Example")]),
        Messages_dot_csv=samples.old_messages_csv(),
    )
    assert parsed.signals == {
        ADA: Signals(
            messages_received=1,
            last_message_on=D(2018, 10, 21),
            endorsements_received=2,
            recommendations_received=1,
        ),
        ZOE: Signals(messages_sent=1, last_message_on=D(2018, 10, 22)),
        EVE: Signals(endorsements_received=1),
    }


def test_recommendations_match_only_unique_names() -> None:
    """Two connections share a name: a recommendation by that name is not attributed."""
    twins = [*samples.PEOPLE, samples.Person("Ada", "Example", "ada-2", "", "", "", D(2020, 1, 1))]
    data = samples.export_zip(
        samples.current_connections(people=twins),
        signals={
            "Recommendations_Received.csv": samples.recommendations_csv([("Ada", "Example")])
        },
    )
    assert read(data).signals == {}


def test_messages_without_recipient_column_use_conversation_members() -> None:
    """The older messages.csv (no RECIPIENT PROFILE URLS): my messages go to the others."""
    header = [h for h in samples.MESSAGES_HEADER if h != "RECIPIENT PROFILE URLS"]
    ada, owner = samples.ada_url(), samples.OWNER_URL
    rows = [
        ["c1", "", "Ada", ada, "Me", "2024-01-01 10:00:00 UTC", "", "Hi", "INBOX", "", "No"],
        ["c1", "", "Me", owner, "Ada", "2024-01-02 10:00:00 UTC", "", "Yo", "INBOX", "", "No"],
        ["c1", "", "Me", owner, "Ada", "2024-01-03 10:00:00 UTC", "", "Yo", "INBOX", "", "No"],
        ["c2", "", "Me", owner, "Zoë", "2024-01-04 10:00:00 UTC", "", "?", "INBOX", "", "No"],
    ]
    parsed = export_with(messages_dot_csv=samples._quoted_csv(header, rows))
    assert parsed.signals == {
        ADA: Signals(messages_sent=2, messages_received=1, last_message_on=D(2024, 1, 3)),
    }


def test_owner_is_found_even_when_a_connection_writes_more() -> None:
    """The owner is the non-connection in most conversations, not the chattiest sender."""
    owner, ada, eve = samples.OWNER_URL, samples.ada_url(), samples.PEOPLE[4].url
    stamp = "2024-05-01 10:00:00 UTC"
    rows = [samples.message("c1", ada, [owner], stamp) for _ in range(5)]
    rows += [
        samples.message("c2", owner, [eve], stamp),
        samples.message("c3", eve, [owner], stamp),
    ]
    parsed = export_with(messages_dot_csv=samples.messages_csv(rows))
    assert parsed.signals[ADA].messages_received == 5
    assert parsed.signals[EVE] == Signals(1, 1, D(2024, 5, 1))


def test_drafts_are_not_messages() -> None:
    """IS MESSAGE DRAFT yes/true rows are skipped."""
    owner, ada = samples.OWNER_URL, samples.ada_url()
    rows = [
        samples.message("c1", owner, [ada], "2024-05-01 10:00:00 UTC", draft="Yes"),
        samples.message("c1", owner, [ada], "2024-05-02 10:00:00 UTC", draft="true"),
        samples.message("c1", owner, [ada], "2024-04-01 10:00:00 UTC", draft="false"),
    ]
    parsed = export_with(messages_dot_csv=samples.messages_csv(rows))
    assert parsed.signals == {ADA: Signals(messages_sent=1, last_message_on=D(2024, 4, 1))}


def _broken_member(name: str, kind: str) -> tuple[str | zipfile.ZipInfo, bytes]:
    """A signal member that cannot be read in the given way."""
    if kind == "binary":
        return name, bytes(range(256)) * 10
    if kind == "bzip2":
        info = zipfile.ZipInfo(name)
        info.compress_type = zipfile.ZIP_BZIP2
        return info, samples.messages_csv()
    if kind == "field too large":
        return name, samples.messages_csv() + b'"' + b"x" * 200_000
    return name, b"\xff\xfe\x00\xd8garbage"


@pytest.mark.parametrize("kind", ["binary", "bzip2", "field too large", "bad UTF-16"])
def test_a_broken_signal_file_is_skipped(kind: str, caplog: pytest.LogCaptureFixture) -> None:
    """One unreadable file loses only its own signals, and logs nothing above DEBUG."""
    files = samples.all_signal_files()
    del files["messages.csv"]
    members: list[tuple[str | zipfile.ZipInfo, bytes]] = [
        ("Connections.csv", samples.current_connections()),
        *files.items(),
        _broken_member("messages.csv", kind),
    ]
    with caplog.at_level(logging.DEBUG, logger="storage.export"):
        parsed = read(samples.zip_bytes(members))
    assert parsed.signals[ADA] == Signals(endorsements_received=2, invited_by="them")
    assert parsed.outgoing_invitations == OUTGOING
    assert all(record.levelno <= logging.DEBUG for record in caplog.records)


def test_signal_file_with_bad_crc_is_skipped() -> None:
    """A corrupt messages.csv does not fail the import."""
    data = bytearray(
        samples.zip_bytes(
            {
                "Connections.csv": samples.current_connections(),
                "messages.csv": samples.messages_csv(),
            },
            zipfile.ZIP_STORED,
        )
    )
    position = data.index(b"see you")
    data[position] = ord("S")
    parsed = read(bytes(data))
    assert parsed.signals == {}
    assert parsed.has_extra_files is True


def test_oversized_signal_file_is_skipped_unread() -> None:
    """A messages.csv declaring more than MAX_SIGNAL_BYTES is skipped, the import goes on."""
    huge = samples.RawEntry("messages.csv", bytes(2 << 20), file_size=MAX_SIGNAL_BYTES + 1)
    connections = samples.current_connections()
    table = samples.RawEntry(
        "Connections.csv",
        connections,
        method=zipfile.ZIP_STORED,
        file_size=len(connections),
        crc=zipfile.crc32(connections),
    )
    parsed = read(samples.raw_zip([table, huge]))
    assert len(parsed.connections) == len(samples.PEOPLE)
    assert parsed.signals == {}


def test_messages_stream_with_flat_memory() -> None:
    """A large messages.csv is streamed: memory stays far below its size."""
    owner = samples.OWNER_URL
    people = [f"https://www.linkedin.com/in/person-{i:06d}" for i in range(200)]
    content = "Lorem ipsum, dolor sit amet.\nConsectetur adipiscing elit. " * 20
    rows = (
        samples.message(
            f"c{i % 200}", owner, [people[i % 200]], "2024-05-01 10:00:00 UTC", content
        )
        for i in range(12_000)
    )
    messages = samples.messages_csv(rows)
    assert len(messages) > 12_000_000
    data = samples.export_zip(samples.many_connections(200), signals={"messages.csv": messages})
    del messages
    tracemalloc.start()
    try:
        parsed = read(data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert parsed.signals["u:/in/person-000000"].messages_sent == 60
    assert peak < 8 << 20
