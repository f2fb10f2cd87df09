"""Reading a ZIP upload safely: in memory only, checked before reading, capped while reading.

Nothing is ever extracted to disk. The whole archive is refused when a member has an
absolute, drive-letter or ``..`` path, is a symlink, when entries overlap (the "better zip
bomb"), when there are too many members, or when declared sizes or compression ratios are
those of a zip bomb. Headers are not trusted either: every read counts the bytes actually
inflated and stops past its cap, and only stored/deflated members are inflated (zipfile's
bzip2/LZMA readers inflate without an output bound). Backslashes count as path separators
(old Windows tools write them) rather than being refused: nothing is extracted anyway.
"""

from __future__ import annotations

import io
import itertools
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, TYPE_CHECKING

from .decode import stream_encoding
from .problems import ExportError, ExportProblem

if TYPE_CHECKING:
    from typing_extensions import Buffer  # collections.abc.Buffer from Python 3.12

MAX_MEMBERS = 5_000
"""A Complete export holds ~50-100 files, plus possibly media."""
MAX_CENTRAL_DIRECTORY_BYTES = 4 << 20
"""Checked before zipfile parses the directory, so a huge entry list never reaches memory."""
MAX_UNCOMPRESSED_TOTAL = 512 << 20
"""Sum of the declared sizes of all members."""
MAX_RATIO = 200
"""Largest compression ratio allowed for members over RATIO_CHECK_MIN_BYTES."""
RATIO_CHECK_MIN_BYTES = 1 << 20
MAX_CONNECTIONS_BYTES = 32 << 20
"""A 30,000-row Connections.csv is 3-4 MB (8 MB re-saved as UTF-16)."""
MAX_SIGNAL_BYTES = 200 << 20
"""messages.csv and the other signal files are streamed, so this bounds time, not memory."""
MAX_NESTED_ZIP_BYTES = 32 << 20
"""A ZIP inside the ZIP (a re-zipped export) is read into memory up to this size."""
CHUNK_BYTES = 64 << 10

_READABLE_METHODS = frozenset({zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED})
_SYMLINK = 0o120000
_READ_ERRORS = (zipfile.BadZipFile, EOFError, zlib.error, OSError, ValueError, RuntimeError)


class MemberTooLarge(Exception):
    """A member inflated (or declared) beyond the cap of its read."""


def _parts(name: str) -> list[str]:
    """Split a member name on both separators, dropping empty parts."""
    return [part for part in re.split(r"[/\\]", name) if part]


def is_junk(name: str) -> bool:
    """Whether a member is macOS archive clutter (__MACOSX/, ._AppleDouble, .DS_Store)."""
    parts = _parts(name)
    return (
        not parts or "__MACOSX" in parts or parts[-1].startswith("._") or parts[-1] == ".DS_Store"
    )


def basename(name: str) -> str:
    """The last path part of a member name."""
    parts = _parts(name)
    return parts[-1] if parts else ""


def _unsafe_reason(info: zipfile.ZipInfo) -> str | None:
    """Why one member makes the whole archive unsafe, or None."""
    name = info.filename
    if name.startswith(("/", "\\")):
        return "absolute path"
    if re.match(r"[A-Za-z]:", name):
        return "drive letter"
    if ".." in _parts(name):
        return "parent-directory segment"
    if (info.external_attr >> 16) & 0o170000 == _SYMLINK:
        return "symlink"
    if info.file_size > RATIO_CHECK_MIN_BYTES and info.file_size > MAX_RATIO * max(
        info.compress_size, 1
    ):
        return f"compression ratio {info.file_size // max(info.compress_size, 1)}:1"
    return None


def _directory_counts(data: bytes) -> tuple[int, int] | None:
    """Read (entry count, central directory size) from the end record, before zipfile does."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 22 - 0xFFFF))
    if end < 0 or end + 22 > len(data):
        return None
    entries, size = struct.unpack_from("<HI", data, end + 10)
    locator = end - 20
    if (entries == 0xFFFF or size == 0xFFFFFFFF) and data[locator : locator + 4] == b"PK\x06\x07":
        (record,) = struct.unpack_from("<Q", data, locator + 8)
        if data[record : record + 4] == b"PK\x06\x06" and record + 56 <= len(data):
            entries, size = struct.unpack_from("<QQ", data, record + 32)
    return entries, size


def _check_overlaps(infos: list[zipfile.ZipInfo]) -> None:
    """Refuse entries whose data overlap (one compressed kernel referenced many times)."""
    spans = []
    for info in infos:
        encoding = "utf-8" if info.flag_bits & 0x800 else "cp437"
        name_length = len(info.orig_filename.encode(encoding, "replace"))
        # A lower bound of the entry's end: local extra fields and descriptors only add to it.
        spans.append(
            (info.header_offset, info.header_offset + 30 + name_length + info.compress_size)
        )
    spans.sort()
    for (_, end), (start, _) in itertools.pairwise(spans):
        if end > start:
            raise ExportError(ExportProblem.ZIP_UNSAFE, "overlapping entries")


def open_archive(data: bytes) -> SafeArchive:
    """Open a ZIP held in memory after checking it is safe to read at all."""
    counts = _directory_counts(data)
    if counts is not None:
        entries, directory_size = counts
        if entries > MAX_MEMBERS:
            raise ExportError(ExportProblem.ZIP_UNSAFE, f"{entries} members")
        if directory_size > MAX_CENTRAL_DIRECTORY_BYTES:
            raise ExportError(ExportProblem.ZIP_UNSAFE, f"central directory of {directory_size} B")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (
        zipfile.BadZipFile,
        EOFError,
        OSError,
        ValueError,
        struct.error,
        NotImplementedError,
    ) as exc:
        raise ExportError(ExportProblem.ZIP_BROKEN, f"{type(exc).__name__}: {exc}") from exc
    try:
        _check_members(archive.infolist())
    except ExportError:
        archive.close()
        raise
    return SafeArchive(archive, archive.infolist())


def _check_members(infos: list[zipfile.ZipInfo]) -> None:
    """Refuse an archive whose member list is unsafe, or encrypted."""
    if len(infos) > MAX_MEMBERS:
        raise ExportError(ExportProblem.ZIP_UNSAFE, f"{len(infos)} members")
    for info in infos:
        reason = _unsafe_reason(info)
        if reason is not None:
            raise ExportError(ExportProblem.ZIP_UNSAFE, f"{reason}: {info.filename!r}")
    total = sum(info.file_size for info in infos)
    if total > MAX_UNCOMPRESSED_TOTAL:
        raise ExportError(ExportProblem.ZIP_UNSAFE, f"{total} bytes uncompressed")
    _check_overlaps(infos)
    if any(info.flag_bits & 0x1 for info in infos):
        raise ExportError(ExportProblem.ZIP_ENCRYPTED, "encrypted members")


class _CappedReader(io.RawIOBase):
    """A raw stream over a member that fails once more than ``cap`` bytes come out."""

    def __init__(self, source: IO[bytes], cap: int) -> None:
        """Wrap an opened member."""
        super().__init__()
        self._source = source
        self._cap = cap
        self._count = 0
        self._head = b""

    def readable(self) -> bool:
        """This stream is readable."""
        return True

    def _take(self, size: int) -> bytes:
        """Read up to ``size`` bytes from the member, counting them against the cap."""
        data = self._source.read(size)
        self._count += len(data)
        if self._count > self._cap:
            raise MemberTooLarge(f"over {self._cap} bytes")
        return data

    def head(self, size: int) -> bytes:
        """Read the first bytes ahead (to pick an encoding); they are replayed by reads."""
        self._head = self._take(size)
        return self._head

    def readinto(self, buffer: Buffer) -> int:
        """Fill ``buffer`` from the replayed head first, then from the member."""
        view = memoryview(buffer).cast("B")
        size = len(view)
        if self._head:
            data, self._head = self._head[:size], self._head[size:]
        else:
            data = self._take(size)
        view[: len(data)] = data
        return len(data)


class SafeArchive:
    """A checked ZIP: find members by name and read them within caps."""

    def __init__(self, archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> None:
        """Keep the opened archive and its members."""
        self._archive = archive
        self.infos = infos

    def __enter__(self) -> SafeArchive:
        """Use the archive in a ``with`` block."""
        return self

    def __exit__(self, *exc_info: object) -> None:
        """Close the archive."""
        self._archive.close()

    def member_names(self) -> list[str]:
        """Names of the real members (directories and macOS clutter left out)."""
        return [i.filename for i in self.infos if not i.is_dir() and not is_junk(i.filename)]

    def find(self, *names: str) -> zipfile.ZipInfo | None:
        """The shallowest member whose basename is one of ``names`` (case-insensitive)."""
        wanted = {name.casefold() for name in names}
        best: tuple[int, zipfile.ZipInfo] | None = None
        for info in self.infos:
            if info.is_dir() or is_junk(info.filename):
                continue
            parts = _parts(info.filename)
            if parts[-1].casefold() in wanted and (best is None or len(parts) < best[0]):
                best = (len(parts), info)
        return None if best is None else best[1]

    def find_suffix(self, suffix: str) -> zipfile.ZipInfo | None:
        """The shallowest member whose name ends with ``suffix`` (case-insensitive)."""
        found = [
            info
            for info in self.infos
            if not info.is_dir()
            and not is_junk(info.filename)
            and info.filename.casefold().endswith(suffix.casefold())
        ]
        return min(found, key=lambda info: len(_parts(info.filename)), default=None)

    def _check_readable(self, info: zipfile.ZipInfo, cap: int) -> None:
        """Refuse before reading: declared size over the cap, or an unbounded decompressor."""
        if info.file_size > cap:
            raise MemberTooLarge(f"declares {info.file_size} bytes")
        if info.compress_type not in _READABLE_METHODS:
            raise ExportError(ExportProblem.ZIP_BROKEN, f"compression method {info.compress_type}")

    def read(self, info: zipfile.ZipInfo, cap: int) -> bytes:
        """Read a whole member, refusing it past ``cap`` bytes (declared or actual)."""
        self._check_readable(info, cap)
        chunks: list[bytes] = []
        total = 0
        try:
            with self._archive.open(info) as member:
                while chunk := member.read(CHUNK_BYTES):
                    total += len(chunk)
                    if total > cap:
                        raise MemberTooLarge(f"over {cap} bytes")
                    chunks.append(chunk)
        except _READ_ERRORS as exc:
            raise ExportError(ExportProblem.ZIP_BROKEN, f"{type(exc).__name__}: {exc}") from exc
        return b"".join(chunks)

    @contextmanager
    def open_text(self, info: zipfile.ZipInfo, cap: int) -> Iterator[IO[str]]:
        """Stream a member as text (codec picked from its start), failing past ``cap`` bytes.

        Errors of the member itself (bad CRC, corrupt data, MemberTooLarge) surface while
        reading; the caller decides what they mean.
        """
        self._check_readable(info, cap)
        with self._archive.open(info) as member:
            raw = _CappedReader(member, cap)
            encoding = stream_encoding(raw.head(CHUNK_BYTES))
            buffered = io.BufferedReader(raw, CHUNK_BYTES)
            with io.TextIOWrapper(buffered, encoding, errors="replace", newline="") as text:
                yield text
