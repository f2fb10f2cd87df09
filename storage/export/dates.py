"""Reading the dates of an export, including the shapes spreadsheets rewrite them into.

Day/month order of numeric dates is decided file-wide, per separator: a first part above 12
anywhere means day-first, a second part above 12 anywhere means month-first; a cell whose
parts settle it is read that way regardless. When nothing settles it, slash dates default to
month-first (US Excel, and LinkedIn's own ``7/8/26, 3:43 PM``), dash dates to day-first
(``15-03-2024`` is a European style); dotted dates are always day-first.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Iterable

_EXCEL_EPOCH = datetime.date(1899, 12, 30)
_ONE_DAY = datetime.timedelta(days=1)
_ONE_YEAR = datetime.timedelta(days=365)
_CACHE_LIMIT = 20_000

# English names plus the abbreviations spreadsheets write in common European locales
# (keys accent-stripped and case-folded); looked up whole, then by their first 4 and 3 letters.
_MONTH_NAMES = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
_MONTHS: dict[str, int] = {
    **{name: number for number, name in enumerate(_MONTH_NAMES, start=1)},
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
    "mrz": 3, "mai": 5, "okt": 10, "dez": 12,  # de
    "janv": 1, "fevr": 2, "fev": 2, "mars": 3, "avr": 4, "juin": 6, "juil": 7, "aout": 8,  # fr
    "ene": 1, "abr": 4, "ago": 8, "dic": 12,  # es
    "gen": 1, "mag": 5, "giu": 6, "lug": 7, "set": 9, "ott": 10,  # it
    "mrt": 3, "mei": 5,  # nl
    "out": 10,  # pt
}  # fmt: skip

_AFTER = r"(?=$|[\s,T])"
_DAY_MONTH_NAME = re.compile(
    r"(\d{1,2})(?:st|nd|rd|th)?[\s\-./]+([^\W\d_]{3,})\.?[\s\-./,]+(\d{4}|\d{2})" + _AFTER
)
_MONTH_NAME_DAY = re.compile(
    r"([^\W\d_]{3,})\.?[\s\-]+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})" + _AFTER
)
_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})" + _AFTER)
_NUMERIC = re.compile(r"(\d{1,2})([./-])(\d{1,2})\2(\d{4}|\d{2})" + _AFTER)
_EXCEL_SERIAL = re.compile(r"(\d{5})(?:\.\d+)?")

DAY_FIRST = "dmy"
MONTH_FIRST = "mdy"
_DEFAULT_ORDER = {"/": MONTH_FIRST, "-": DAY_FIRST, ".": DAY_FIRST}


def month_number(token: str) -> int | None:
    """Return the month a (possibly localised or abbreviated) month name stands for."""
    folded = unicodedata.normalize("NFKD", token.casefold())
    folded = "".join(char for char in folded if not unicodedata.combining(char))
    for candidate in (folded, folded[:4], folded[:3]):
        number = _MONTHS.get(candidate)
        if number is not None:
            return number
    return None


def _full_year(text: str, month: int, day: int, today: datetime.date) -> int:
    """Expand a two-digit year to the 2000s unless that lands over a year in the future."""
    year = int(text)
    if len(text) > 2:
        return year
    year += 2000
    try:
        if datetime.date(year, month, day) > today + _ONE_YEAR:
            year -= 100
    except ValueError:
        pass
    return year


def _build(year: str, month: int, day: int, today: datetime.date) -> datetime.date | None:
    """Make a date if it exists and is not more than a day in the future."""
    try:
        value = datetime.date(_full_year(year, month, day, today), month, day)
    except ValueError:
        return None
    if value > today + _ONE_DAY or value.year < 1900:
        return None
    return value


def numeric_order_evidence(cells: Iterable[str]) -> dict[str, str]:
    """Decide, per separator, the day/month order that numeric dates in one file use."""
    day_first: set[str] = set()
    month_first: set[str] = set()
    for cell in cells:
        match = _NUMERIC.match(cell.strip())
        if match is None:
            continue
        first, sep, second = int(match[1]), match[2], int(match[3])
        if first > 12 >= second:
            day_first.add(sep)
        elif second > 12 >= first:
            month_first.add(sep)
    orders = dict(_DEFAULT_ORDER)
    for sep in ("/", "-"):
        if sep in day_first and sep not in month_first:
            orders[sep] = DAY_FIRST
        elif sep in month_first and sep not in day_first:
            orders[sep] = MONTH_FIRST
    return orders


class DateReader:
    """Reads date cells of one file, with the file-wide numeric order and a cache."""

    def __init__(self, today: datetime.date, cells: Iterable[str] = ()) -> None:
        """Prepare a reader for the given cells (used only to settle numeric order)."""
        self.today = today
        self.orders = numeric_order_evidence(set(cells))
        self._cache: dict[str, datetime.date | None] = {}

    def read(self, cell: str) -> datetime.date | None:
        """Return the date in a cell, or None when it fits no known shape."""
        try:
            return self._cache[cell]
        except KeyError:
            if len(self._cache) > _CACHE_LIMIT:
                self._cache.clear()  # streamed files may hold a distinct stamp per row
            value = self._cache[cell] = self._parse(cell.strip())
            return value

    def _parse(self, text: str) -> datetime.date | None:
        """Try every known shape on a trimmed cell."""
        if not text:
            return None
        match = _ISO.match(text)
        if match:
            return _build(match[1], int(match[2]), int(match[3]), self.today)
        match = _NUMERIC.match(text)
        if match:
            return self._numeric(int(match[1]), match[2], int(match[3]), match[4])
        match = _DAY_MONTH_NAME.match(text)
        if match:
            month = month_number(match[2])
            return None if month is None else _build(match[3], month, int(match[1]), self.today)
        match = _MONTH_NAME_DAY.match(text)
        if match:
            month = month_number(match[1])
            return None if month is None else _build(match[3], month, int(match[2]), self.today)
        match = _EXCEL_SERIAL.fullmatch(text)
        if match and 20000 <= int(match[1]) <= 80000:
            value = _EXCEL_EPOCH + datetime.timedelta(days=int(match[1]))
            return value if value <= self.today + _ONE_DAY else None
        return None

    def _numeric(self, first: int, sep: str, second: int, year: str) -> datetime.date | None:
        """Read d/m/y or m/d/y by what the parts allow, else by the file-wide order."""
        if first > 12 >= second:
            order = DAY_FIRST
        elif second > 12 >= first:
            order = MONTH_FIRST
        else:
            order = self.orders[sep]
        if order == DAY_FIRST:
            return _build(year, second, first, self.today)
        return _build(year, first, second, self.today)
