"""Telling files apart by their first bytes, never by their names."""

from __future__ import annotations

ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
"""Local file header, end of an empty archive, spanned-archive marker."""

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

SPREADSHEET_XLS = "Excel workbook (.xls)"
SPREADSHEET_XLSX = "Excel workbook (.xlsx)"
SPREADSHEET_ODS = "OpenDocument spreadsheet (.ods)"
SPREADSHEET_NUMBERS = "Apple Numbers document"
SPREADSHEET_KINDS = frozenset(
    {SPREADSHEET_XLS, SPREADSHEET_XLSX, SPREADSHEET_ODS, SPREADSHEET_NUMBERS}
)

_PREFIXES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"%PDF", "PDF"),
    (b"\x1f\x8b", "gzip archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "7z archive"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"(\xb5/\xfd", "zstd archive"),
    (b"II*\x00", "TIFF image"),
    (b"MM\x00*", "TIFF image"),
    (b"\x7fELF", "program"),
    (b"\x1aE\xdf\xa3", "WebM/Matroska video"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"bplist00", "property list"),
)

# Printable signatures a text file could start with too: trusted only with a NUL nearby.
_WEAK_PREFIXES: tuple[tuple[bytes, str], ...] = (
    (b"MZ", "Windows program"),
    (b"OggS", "Ogg media"),
    (b"ID3", "MP3 audio"),
    (b"fLaC", "FLAC audio"),
    (b"8BPS", "Photoshop image"),
)

_FTYP_BRANDS: tuple[tuple[tuple[bytes, ...], str], ...] = (
    ((b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"), "HEIC image"),
    ((b"avif", b"avis"), "AVIF image"),
    ((b"qt  ",), "QuickTime video"),
    ((b"M4A ", b"M4B "), "M4A audio"),
)

_RIFF_KINDS = {b"WEBP": "WebP image", b"WAVE": "WAV audio", b"AVI ": "AVI video"}


def is_zip(data: bytes) -> bool:
    """Whether the bytes start like a ZIP archive (or an empty one)."""
    return data[:4] in ZIP_SIGNATURES


def binary_kind(data: bytes) -> str | None:
    """Name the binary format the bytes start with, or None when they may be text or ZIP."""
    for prefix, name in _PREFIXES:
        if data.startswith(prefix):
            return name
    if b"\x00" in data[:64]:
        for prefix, name in _WEAK_PREFIXES:
            if data.startswith(prefix):
                return name
    if data[4:8] == b"ftyp":
        brand = data[8:12]
        for brands, name in _FTYP_BRANDS:
            if brand in brands:
                return name
        return "MP4 video"
    if data.startswith(b"RIFF") and len(data) >= 12:
        return _RIFF_KINDS.get(data[8:12], "RIFF media")
    if data.startswith(b"BZh") and data[4:10] == b"1AY&SY":
        return "bzip2 archive"
    if data.startswith(OLE_SIGNATURE):
        return ole_kind(data)
    return None


def ole_kind(data: bytes) -> str:
    """Name an old Office (OLE compound) file by the streams its directory mentions."""
    # Directory entries store stream names in UTF-16-LE; their position varies, so search all.
    if "WordDocument".encode("utf-16-le") in data:
        return "Word document (.doc)"
    if "Workbook".encode("utf-16-le") in data:
        return SPREADSHEET_XLS
    if "EncryptedPackage".encode("utf-16-le") in data:
        return "password-protected Office document"
    if "PowerPoint Document".encode("utf-16-le") in data:
        return "PowerPoint presentation (.ppt)"
    return "Office document (OLE)"


def zip_document_kind(names: list[str], mimetype: bytes | None) -> str | None:
    """Name an office document that is a ZIP underneath (.xlsx, .docx, .ods, Numbers...)."""
    if mimetype is not None:
        kind = mimetype.strip().decode("ascii", "replace")
        if kind == "application/vnd.oasis.opendocument.spreadsheet":
            return SPREADSHEET_ODS
        if kind.startswith("application/vnd.oasis.opendocument."):
            return "OpenDocument file"
        if kind == "application/epub+zip":
            return "EPUB book"
    lowered = [name.lower() for name in names]
    if "[content_types].xml" in lowered:
        if any(name.startswith("xl/") for name in lowered):
            return SPREADSHEET_XLSX
        if any(name.startswith("word/") for name in lowered):
            return "Word document (.docx)"
        if any(name.startswith("ppt/") for name in lowered):
            return "PowerPoint presentation (.pptx)"
        return "Office Open XML document"
    if any(name in ("index/document.iwa", "index.zip") for name in lowered):
        return SPREADSHEET_NUMBERS
    if "androidmanifest.xml" in lowered:
        return "Android app"
    if "meta-inf/manifest.mf" in lowered:
        return "Java archive"
    return None
