"""ZIP uploads: where Connections.csv may sit, and every hostile or broken archive refused."""

from __future__ import annotations

import io
import time
import tracemalloc
import zipfile
from collections.abc import Callable

import pytest

from storage.export import (
    MAX_MEMBERS,
    ExportError,
    ExportProblem,
    ParsedExport,
    read_export,
)
from tests import export_samples as samples

P = ExportProblem
NAMES = [(p.first, p.last) for p in samples.PEOPLE]


def read(data: bytes) -> ParsedExport:
    """Read an upload as of the fixed test date."""
    return read_export(data, "Basic_LinkedInDataExport_06-15-2026.zip", today=samples.TODAY)


def refusal(data: bytes) -> ExportError:
    """The ExportError an upload raises; never a wrapped unexpected failure."""
    with pytest.raises(ExportError) as caught:
        read(data)
    assert not caught.value.detail.startswith("unexpected"), caught.value.detail
    return caught.value


LAYOUTS: dict[str, Callable[[], bytes]] = {
    "root": lambda: samples.export_zip(samples.current_connections()),
    "folder": lambda: samples.export_zip(
        samples.current_connections(), folder="Basic_LinkedInDataExport_06-15-2026"
    ),
    "macOS re-zip": lambda: samples.export_zip(
        samples.current_connections(), folder="export", macosx=True
    ),
    "lower-case name": lambda: samples.zip_bytes(
        {"connections.CSV": samples.current_connections()}
    ),
    "Windows separators": lambda: samples.zip_bytes(
        {"export\\Connections.csv": samples.current_connections()}
    ),
    "stored, not deflated": lambda: samples.zip_bytes(
        {"Connections.csv": samples.current_connections()}, zipfile.ZIP_STORED
    ),
    "Excel re-save inside": lambda: samples.export_zip(samples.excel_resave(delimiter=";")),
    "ZIP inside the ZIP": lambda: samples.zip_bytes(
        {"Basic_LinkedInDataExport.zip": samples.export_zip(samples.current_connections())}
    ),
}


@pytest.mark.parametrize("build", LAYOUTS.values(), ids=LAYOUTS.keys())
def test_connections_found_wherever_they_sit(build: Callable[[], bytes]) -> None:
    """Root, a folder, a macOS re-zip, any case, or a ZIP in the ZIP: same connections."""
    parsed = read(build())
    assert [(r.first_name, r.last_name) for r in parsed.connections] == NAMES
    assert [r.connected_on for r in parsed.connections] == [p.connected for p in samples.PEOPLE]
    assert parsed.source == "zip"
    assert parsed.has_extra_files is False


def test_shallowest_connections_file_wins() -> None:
    """With several Connections.csv, the one nearest the root is read."""
    deep = samples.current_connections(people=samples.PEOPLE[:1])
    full = samples.current_connections()
    data = samples.zip_bytes([("a/b/Connections.csv", deep), ("export/Connections.csv", full)])
    assert len(read(data).connections) == len(samples.PEOPLE)


def test_zip_is_recognised_by_content_not_name() -> None:
    """A ZIP called .csv is still a ZIP, a CSV called .zip still a CSV."""
    zipped = samples.export_zip(samples.current_connections())
    assert read_export(zipped, "Connections.csv", today=samples.TODAY).source == "zip"
    plain = samples.current_connections()
    assert read_export(plain, "export.zip", today=samples.TODAY).source == "csv"


@pytest.mark.parametrize(
    ("data", "detail"),
    [
        (samples.zip_bytes({"messages.csv": samples.messages_csv(), "Profile.csv": b"x"}),
         "messages.csv, Profile.csv"),
        (samples.zip_bytes({"__MACOSX/._Connections.csv": b"", "notes.txt": b"x"}), "notes.txt"),
        (samples.zip_bytes({}), "empty archive"),
        (samples.zip_bytes({f"f{i}.csv": b"" for i in range(7)}),
         "f0.csv, f1.csv, f2.csv, f3.csv, f4.csv and 2 more"),
    ],
    ids=["export without connections", "only macOS junk", "empty zip", "many members"],
)  # fmt: skip
def test_zip_without_connections(data: bytes, detail: str) -> None:
    """A sound ZIP without Connections.csv says what it holds."""
    error = refusal(data)
    assert (error.kind, error.detail) == (P.ZIP_NO_CONNECTIONS, detail)


def test_empty_connections_member_is_empty() -> None:
    """A zero-byte Connections.csv in the archive is EMPTY."""
    assert refusal(samples.zip_bytes({"Connections.csv": b""})).kind is P.EMPTY


def test_other_linkedin_file_renamed_connections_is_named() -> None:
    """messages.csv saved as Connections.csv inside the ZIP is still recognised."""
    error = refusal(samples.zip_bytes({"Connections.csv": samples.messages_csv()}))
    assert (error.kind, error.detail) == (P.NOT_CONNECTIONS_LINKEDIN, "messages.csv")


def _entry(name: str) -> bytes:
    """A ZIP holding a good Connections.csv and one member called ``name``."""
    return samples.zip_bytes([("Connections.csv", samples.current_connections()), (name, b"x")])


UNSAFE: dict[str, tuple[Callable[[], bytes], str]] = {
    "parent segment": (lambda: _entry("../../etc/cron.d/evil"), "parent-directory segment"),
    "parent segment, backslashes": (lambda: _entry("..\\..\\evil.bat"), "parent-directory"),
    "absolute path": (lambda: _entry("/etc/passwd"), "absolute path"),
    "absolute Windows path": (lambda: _entry("\\Windows\\evil.dll"), "absolute path"),
    "drive letter": (lambda: _entry("C:/Windows/evil.dll"), "drive letter"),
    "symlink": (samples.symlink_zip, "symlink"),
    "too many members": (lambda: samples.many_members_zip(MAX_MEMBERS + 1), "5002 members"),
    "overlapping entries": (samples.overlapping_zip, "overlapping entries"),
    "zip bomb": (samples.zip_bomb, "compression ratio"),
    "zip bomb inside a ZIP": (
        lambda: samples.zip_bytes({"inner.zip": samples.zip_bomb(256 << 20)}),
        "compression ratio",
    ),
    "declares 600 MB in total": (
        lambda: samples.raw_zip(
            [samples.RawEntry(f"p{i}.bin", bytes(1 << 20), file_size=100 << 20) for i in range(6)]
        ),
        "bytes uncompressed",
    ),
}


@pytest.mark.parametrize(("build", "reason"), UNSAFE.values(), ids=UNSAFE.keys())
def test_unsafe_archives_are_refused(build: Callable[[], bytes], reason: str) -> None:
    """Hostile archives are refused as a whole, before anything is read."""
    error = refusal(build())
    assert error.kind is P.ZIP_UNSAFE
    assert reason in error.detail


BROKEN: dict[str, tuple[Callable[[], bytes], str]] = {
    "truncated": (lambda: samples.export_zip(samples.current_connections())[:300], "not a zip"),
    "truncated end record": (
        lambda: samples.export_zip(samples.current_connections())[:-10],
        "not a zip",
    ),
    "only a signature": (lambda: b"PK\x03\x04" + b"garbage, not a zip" * 20, "not a zip"),
    "bad CRC": (samples.corrupted_crc_zip, "Bad CRC-32"),
    "corrupt deflate data": (
        lambda: samples.raw_zip(
            [samples.RawEntry("Connections.csv", b"\xff" * 200, file_size=999)]
        ),
        "while decompressing",
    ),
    # zipfile stops inflating at the declared size; the CRC then cannot match.
    "lying size (small)": (lambda: samples.lying_zip_bomb(declared=1000), "Bad CRC-32"),
    "lying size (10 MB)": (lambda: samples.lying_zip_bomb(declared=10 << 20), "Bad CRC-32"),
    # zipfile inflates bzip2/LZMA without an output bound, so they are not read at all.
    "bzip2 member": (
        lambda: samples.zip_bytes(
            {"Connections.csv": samples.current_connections()}, zipfile.ZIP_BZIP2
        ),
        "compression method 12",
    ),
}


@pytest.mark.parametrize(("build", "reason"), BROKEN.values(), ids=BROKEN.keys())
def test_broken_archives_are_refused(build: Callable[[], bytes], reason: str) -> None:
    """Truncated, corrupt, or lying archives are ZIP_BROKEN, never an unexpected exception."""
    error = refusal(build())
    assert error.kind is P.ZIP_BROKEN
    assert reason in error.detail


def test_reads_stop_past_the_cap_whatever_the_header_says() -> None:
    """The capped stream counts bytes actually produced, not the declared size."""
    from storage.export.archive import MemberTooLarge, _CappedReader

    capped = _CappedReader(io.BytesIO(bytes(1000)), cap=100)
    with pytest.raises(MemberTooLarge):
        capped.read(1000)


def test_encrypted_archive_is_refused() -> None:
    """A password-protected ZIP gets its own answer."""
    data = samples.with_flag_bits(samples.export_zip(samples.current_connections()), 0x1)
    assert refusal(data).kind is P.ZIP_ENCRYPTED


def test_connections_member_over_its_cap_is_too_many_rows() -> None:
    """A Connections.csv declaring more than MAX_CONNECTIONS_BYTES is refused unread."""
    from storage.export import MAX_CONNECTIONS_BYTES

    payload = bytes(MAX_CONNECTIONS_BYTES // 100)  # a plausible ratio: only the size is wrong
    entry = samples.RawEntry("Connections.csv", payload, file_size=MAX_CONNECTIONS_BYTES + 1)
    assert refusal(samples.raw_zip([entry])).kind is P.TOO_MANY_ROWS


@pytest.mark.parametrize(
    "build",
    [samples.zip_bomb, lambda: samples.lying_zip_bomb(declared=10 << 20), samples.overlapping_zip],
    ids=["1 GiB of zeros", "header lies about the size", "overlapping entries"],
)
def test_zip_bombs_are_refused_fast_with_flat_memory(build: Callable[[], bytes]) -> None:
    """A zip bomb costs well under a second and little memory (generous bounds: shared box)."""
    data = build()
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(ExportError) as caught:
            read(data)
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert caught.value.kind in (P.ZIP_UNSAFE, P.ZIP_BROKEN)
    assert elapsed < 2.0
    assert peak < 50 << 20
