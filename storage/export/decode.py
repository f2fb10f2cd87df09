"""Turning uploaded bytes into text: BOMs, UTF-16 with or without BOM, UTF-8, Windows-1252."""

from __future__ import annotations

import codecs

from .problems import ExportError, ExportProblem

_LATIN1_FALLBACK = "keepcut-latin1-fallback"

# Checked in order: the UTF-32-LE BOM starts with the UTF-16-LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_WIDE = frozenset({"utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"})
_SAMPLE = 4096
_TEXT_CONTROLS = frozenset("\t\n\r\f\v\x1a")


def _latin1_fallback(exc: UnicodeError) -> tuple[str, int]:
    """Decode the bytes Windows-1252 leaves undefined (0x81, 0x8D, ...) as Latin-1."""
    if isinstance(exc, UnicodeDecodeError):
        return exc.object[exc.start : exc.end].decode("latin-1"), exc.end
    raise exc


codecs.register_error(_LATIN1_FALLBACK, _latin1_fallback)


def sniff_encoding(head: bytes) -> tuple[str, int] | None:
    """Return (codec, BOM length) for a BOM or a BOM-less UTF-16 pattern, else None (8-bit)."""
    for bom, codec in _BOMS:
        if head.startswith(bom):
            return codec, len(bom)
    sample = head[:_SAMPLE]
    pairs = len(sample) // 2
    if pairs < 2:
        return None
    even_nuls = sample[0 : pairs * 2 : 2].count(0)
    odd_nuls = sample[1 : pairs * 2 : 2].count(0)
    # ASCII-heavy UTF-16 (headers, URLs, dates) has a NUL in every other byte.
    if odd_nuls > 0.3 * pairs and even_nuls < 0.05 * pairs:
        return "utf-16-le", 0
    if even_nuls > 0.3 * pairs and odd_nuls < 0.05 * pairs:
        return "utf-16-be", 0
    return None


def decode_text(data: bytes) -> str:
    """Decode an uploaded text file and normalise its line endings to LF."""
    sniffed = sniff_encoding(data)
    codec, skip = sniffed if sniffed else ("utf-8", 0)
    body = data[skip:]
    if codec in _WIDE:
        try:
            text = body.decode(codec)
        except UnicodeDecodeError as exc:
            raise ExportError(ExportProblem.UNREADABLE, f"invalid {codec}: {exc.reason}") from exc
    else:
        if b"\x00" in body:
            raise ExportError(ExportProblem.BINARY, "binary data (NUL bytes)")
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            text = body.decode("cp1252", _LATIN1_FALLBACK)
    text = text.removeprefix("\ufeff")
    if _looks_binary(text):
        raise ExportError(ExportProblem.BINARY, "binary data (control characters)")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _looks_binary(text: str) -> bool:
    """Whether the start of decoded text is full of control characters (so not text)."""
    sample = text[:_SAMPLE]
    if "\x00" in sample:
        return True
    controls = sum(1 for char in sample if char < " " and char not in _TEXT_CONTROLS)
    return controls > max(8, len(sample) // 50)


def stream_encoding(head: bytes) -> str:
    """Pick a codec for streaming a member whose first bytes are ``head``."""
    sniffed = sniff_encoding(head)
    if sniffed is not None:
        codec, skip = sniffed
        if codec == "utf-8":
            return "utf-8-sig"
        if skip:
            return codec.removesuffix("-le").removesuffix("-be")  # let the codec eat the BOM
        return codec
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte sequence cut by the end of the sample is still UTF-8.
        if exc.start < len(head) - 3:
            return "cp1252"
    return "utf-8"
