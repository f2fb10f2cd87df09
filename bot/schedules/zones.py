"""Pure: what people type after /timezone, as a zone; close names when it is none."""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass
from zoneinfo import available_timezones

from storage.zones import offset_name

_OFFSET = re.compile(r"^(?:utc|gmt)?\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?$", re.ASCII)
# Cities people name that are not in a zone's name, with the zone they live in.
_CITIES = {
    "munich": "Europe/Berlin", "frankfurt": "Europe/Berlin", "hamburg": "Europe/Berlin",
    "cologne": "Europe/Berlin", "köln": "Europe/Berlin", "münchen": "Europe/Berlin",
    "geneva": "Europe/Zurich", "basel": "Europe/Zurich", "barcelona": "Europe/Madrid",
    "milan": "Europe/Rome", "milano": "Europe/Rome", "manchester": "Europe/London",
    "edinburgh": "Europe/London", "rotterdam": "Europe/Amsterdam", "lyon": "Europe/Paris",
    "krakow": "Europe/Warsaw", "kraków": "Europe/Warsaw", "st petersburg": "Europe/Moscow",
    "kiev": "Europe/Kyiv", "san francisco": "America/Los_Angeles",
    "seattle": "America/Los_Angeles", "portland": "America/Los_Angeles",
    "san diego": "America/Los_Angeles", "las vegas": "America/Los_Angeles",
    "boston": "America/New_York", "washington": "America/New_York",
    "miami": "America/New_York", "atlanta": "America/New_York",
    "philadelphia": "America/New_York", "dallas": "America/Chicago",
    "houston": "America/Chicago", "austin": "America/Chicago", "montreal": "America/Toronto",
    "ottawa": "America/Toronto", "calgary": "America/Edmonton",
    "rio de janeiro": "America/Sao_Paulo", "mumbai": "Asia/Kolkata", "delhi": "Asia/Kolkata",
    "new delhi": "Asia/Kolkata", "bangalore": "Asia/Kolkata", "bengaluru": "Asia/Kolkata",
    "chennai": "Asia/Kolkata", "hyderabad": "Asia/Kolkata", "pune": "Asia/Kolkata",
    "beijing": "Asia/Shanghai", "shenzhen": "Asia/Shanghai", "guangzhou": "Asia/Shanghai",
    "osaka": "Asia/Tokyo", "kyoto": "Asia/Tokyo", "abu dhabi": "Asia/Dubai",
    "tel aviv": "Asia/Jerusalem", "canberra": "Australia/Sydney", "wellington": "Pacific/Auckland",
    "cape town": "Africa/Johannesburg", "saigon": "Asia/Ho_Chi_Minh",
    "ho chi minh city": "Asia/Ho_Chi_Minh",
}  # fmt: skip
# The zones most likely for people whose Telegram is in this language.
_BY_LANGUAGE = {
    "en": ("Europe/London", "America/New_York", "America/Los_Angeles", "Asia/Kolkata"),
    "de": ("Europe/Berlin", "Europe/Vienna", "Europe/Zurich"),
    "fr": ("Europe/Paris", "Europe/Brussels", "America/Toronto"),
    "es": ("Europe/Madrid", "America/Mexico_City", "America/Bogota"),
    "pt": ("America/Sao_Paulo", "Europe/Lisbon"),
    "it": ("Europe/Rome",), "nl": ("Europe/Amsterdam", "Europe/Brussels"),
    "pl": ("Europe/Warsaw",), "uk": ("Europe/Kyiv",), "ru": ("Europe/Moscow",),
    "tr": ("Europe/Istanbul",), "sv": ("Europe/Stockholm",), "da": ("Europe/Copenhagen",),
    "nb": ("Europe/Oslo",), "fi": ("Europe/Helsinki",), "cs": ("Europe/Prague",),
    "ro": ("Europe/Bucharest",), "el": ("Europe/Athens",), "he": ("Asia/Jerusalem",),
    "ar": ("Asia/Dubai", "Asia/Riyadh", "Africa/Cairo"), "hi": ("Asia/Kolkata",),
    "ja": ("Asia/Tokyo",), "ko": ("Asia/Seoul",), "zh": ("Asia/Shanghai", "Asia/Singapore"),
    "id": ("Asia/Jakarta",), "vi": ("Asia/Ho_Chi_Minh",), "th": ("Asia/Bangkok",),
}  # fmt: skip
_FALLBACK = ("Europe/London", "Europe/Berlin", "America/New_York", "Asia/Kolkata")


@dataclass(frozen=True, slots=True)
class Found:
    """A zone to store: an IANA name or a fixed offset ("UTC+05:30")."""

    name: str
    fixed_offset: bool = False


@dataclass(frozen=True, slots=True)
class NotFound:
    """No zone by that name; perhaps one of these was meant."""

    suggestions: tuple[str, ...]


def _key(text: str) -> str:
    """Lower case, spaces for underscores, single spaces."""
    return " ".join(text.replace("_", " ").lower().split())


@functools.cache
def _index() -> dict[str, str]:
    """Every way to name a zone: its full name, and its city (the last part)."""
    index: dict[str, str] = {}
    for name in sorted(available_timezones()):
        if name.startswith(("Etc/", "SystemV/", "posix/", "right/")) or "/" not in name:
            continue
        index.setdefault(_key(name), name)
        index.setdefault(_key(name.rsplit("/", 1)[1]), name)
    for city, name in _CITIES.items():
        index.setdefault(city, name)
    index["utc"] = index["gmt"] = "UTC"
    return index


def find_zone(text: str) -> Found | NotFound:
    """'Europe/Berlin', 'berlin', 'new york', 'UTC+2', '+05:30' as a zone."""
    key = _key(text)
    if match := _OFFSET.match(key.replace(" ", "")):
        sign, hours, minutes = match[1], int(match[2]), int(match[3] or 0)
        if hours <= 14 and minutes < 60:
            total = (hours * 60 + minutes) * (-1 if sign == "-" else 1)
            return Found(offset_name(total) if total else "UTC", fixed_offset=bool(total))
    if key in _index():
        return Found(_index()[key])
    close = difflib.get_close_matches(key, _index().keys(), n=8, cutoff=0.6)
    names = dict.fromkeys(_index()[c] for c in close)  # ordered, without repeats
    return NotFound(tuple(names)[:4])


def likely_zones(language_code: str | None) -> tuple[str, ...]:
    """The zones to offer first to someone whose Telegram is in this language."""
    language = (language_code or "").split("-")[0].lower()
    return _BY_LANGUAGE.get(language, _FALLBACK)
