"""Who a row is: normalised profile URLs and the stable per-user connection key."""

from __future__ import annotations

import datetime
import re
from urllib.parse import parse_qs, quote, unquote, urlsplit

from ..text import fold

PROFILE_BASE = "https://www.linkedin.com"
# Member ids ("ACoAA...") are case-sensitive, unlike vanity slugs.
_MEMBER_ID = re.compile(r"AC[A-Za-z]AA[A-Za-z0-9_-]{16,}")
PLAIN_PROFILE = re.compile(r"https://www\.linkedin\.com/in/([a-z0-9_-]+)/?")
"""The usual shape of a profile URL, already canonical apart from a trailing slash."""
_MOBILE_PREFIXES = frozenset({"m", "mwlite"})
_ONE_SLUG_PREFIXES = frozenset({"in", "company", "school", "showcase"})
_URL_SAFE = "/-._~!$&'()*+,;=:@"


def name_key(first_name: str, last_name: str) -> str:
    """The folded "first last" used to match people by name."""
    return fold(f"{first_name} {last_name}")


def _slug(segment: str) -> str:
    """Lower-case a vanity slug, keeping case-sensitive member ids as they are."""
    return segment if _MEMBER_ID.fullmatch(segment) else segment.lower()


def profile_path(url: str) -> str | None:
    """Return the canonical path ("/in/<slug>", "/pub/...") of a LinkedIn URL, else None."""
    text = url.strip().strip("<>\"'").strip()
    plain = PLAIN_PROFILE.fullmatch(text)
    if plain:
        return "/in/" + plain[1]
    if not text:
        return None
    if text.startswith("//"):
        text = "https:" + text
    elif "://" not in text[:12]:
        text = "https://" + text
    try:
        parts = urlsplit(text)
        host = parts.hostname or ""
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https"):
        return None
    if host != "linkedin.com" and not host.endswith(".linkedin.com"):
        return None
    segments = [unquote(piece).strip() for piece in parts.path.split("/")]
    segments = [piece for piece in segments if piece]
    if len(segments) > 1 and segments[0].lower() in _MOBILE_PREFIXES:
        segments = segments[1:]
    if not segments:
        return None
    head = segments[0].lower()
    if head in _ONE_SLUG_PREFIXES and len(segments) >= 2:
        return f"/{head}/{_slug(segments[1])}"
    if head == "pub" and len(segments) >= 2:
        return "/pub/" + "/".join(piece.lower() for piece in segments[1:5])
    if head == "profile" and len(segments) >= 2 and segments[1].lower() == "view":
        ids = parse_qs(parts.query).get("id")
        return f"/profile/view?id={ids[0].strip()}" if ids and ids[0].strip() else None
    if head in _ONE_SLUG_PREFIXES or head == "pub":
        return None
    return "/" + "/".join(piece.lower() for piece in segments)


def url_from_path(path: str) -> str:
    """Build the clickable, percent-encoded URL for a canonical profile path."""
    return PROFILE_BASE + quote(path, safe=_URL_SAFE + "?")


def normalise_profile_url(url: str) -> str | None:
    """Return ``https://www.linkedin.com/in/<slug>`` (or the canonical LinkedIn URL) or None."""
    path = profile_path(url)
    return None if path is None else url_from_path(path)


def key_for_path(path: str) -> str:
    """The connection key of a canonical profile path."""
    return "u:" + path


def connection_key(
    url: str | None,
    first_name: str,
    last_name: str,
    connected_on: datetime.date | None,
    connected_on_raw: str,
) -> str:
    """Stable identity of a connection within one user's network, across re-uploads.

    "u:/in/<slug>" when the row has a LinkedIn URL, else "n:<folded first last>|<date>"
    with the ISO date, or the folded raw cell when the date is unreadable ("" if none).
    """
    path = profile_path(url) if url else None
    return key_from_parts(path, first_name, last_name, connected_on, connected_on_raw)


def key_from_parts(
    path: str | None,
    first_name: str,
    last_name: str,
    connected_on: datetime.date | None,
    connected_on_raw: str,
) -> str:
    """The connection key from an already canonical profile path (see ``connection_key``)."""
    if path is not None:
        return key_for_path(path)
    when = connected_on.isoformat() if connected_on else " ".join(connected_on_raw.split())
    return f"n:{name_key(first_name, last_name)}|{when.casefold()}"
