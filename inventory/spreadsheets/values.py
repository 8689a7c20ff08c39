"""Forgiving value parsers for imported cells; each raises ValueError with a reason a user can read.

Every parser accepts the text of a cell or the typed value an .xlsx cell holds (number, date).
Policies, chosen for US school districts:

* Dates: ``2024-01-31`` (ISO, optionally with a time), ``1/31/2024`` and ``1/31/24`` (slashes are
  always US month/day/year; ``31/01/2024`` is refused rather than guessed), ``31.01.2024``
  (dots are always day.month.year), ``20240131``, ``Jan 31, 2024`` / ``31 Jan 2024``, and Excel
  serial numbers (5-digit text such as ``45322``, or a number from an .xlsx cell). Two-digit years
  follow Python: 69-99 are 1900s, 00-68 are 2000s.
* Money is in currency units (dollars) and comes back as integer cents, computed with Decimal.
  ``$1,234.50``, ``1234.5``, ``(12.00)`` (negative) and European ``1.234,50`` are understood: when
  both ``,`` and ``.`` appear the last one is the decimal mark; a lone ``,`` followed by one or two
  digits is a decimal comma, otherwise commas group thousands. Text with more than two decimals
  is refused (it is usually a misread thousands separator); typed numbers are rounded half-up.
* Blanks: ``parse_optional`` turns empty cells and the sentinels in ``BLANK_SENTINELS``
  (``-999``, ``N/A``, ``NULL``, ``NOT REPORTED``...) into None before parsing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, TypeVar

T = TypeVar("T")

BLANK_SENTINELS = frozenset(
    {"-999", "-999.0", "n/a", "na", "#n/a", "null", "none", "nil", "not reported",
     "not available", "not applicable", "unknown", "-", "--", "?"}
)  # fmt: skip
_LONGEST_SENTINEL = max(len(sentinel) for sentinel in BLANK_SENTINELS)
EXCEL_EPOCH = dt.date(1899, 12, 30)
_SERIAL_RANGE = (1, 2_958_465)  # 1900-01-01 .. 9999-12-31
_US_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})")
_DOTTED_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})")
_ISO_DATE = re.compile(
    r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
)
_NAMED_MONTH_FORMATS = ("%b %d, %Y", "%B %d, %Y", "%d %b %Y", "%d %B %Y", "%d-%b-%Y", "%d-%b-%y")
_EXCEL_SCIENTIFIC = re.compile(r"\d\.\d+E\+\d{2}", re.IGNORECASE)


def is_blank(value: Any) -> bool:
    """True for None, empty or whitespace text, and the blank sentinels."""
    if value is None:
        return True
    if value.__class__ is str:  # most cells: no need for the checks of numbers below
        text = value.strip()
        return not text or (len(text) <= _LONGEST_SENTINEL and text.casefold() in BLANK_SENTINELS)
    if isinstance(value, int | float) and not isinstance(value, bool) and value == -999:
        return True
    text = str(value).strip()
    return text == "" or text.casefold() in BLANK_SENTINELS


def parse_optional(value: Any, parse: Callable[[Any], T] | None = None) -> T | str | None:
    """Return None for a blank or sentinel cell, else ``parse(value)`` (or the trimmed text)."""
    if is_blank(value):
        return None
    if parse is None:
        return str(value).strip()
    return parse(value)


def parse_text(value: Any, *, max_length: int | None = None) -> str:
    """Trim text and refuse it when longer than ``max_length`` characters."""
    text = "" if value is None else str(value).strip()
    if max_length is not None and len(text) > max_length:
        raise ValueError(f"is {len(text):,} characters long; the most allowed is {max_length:,}")
    return text


def parse_identifier(value: Any, *, max_length: int | None = None) -> str:
    """Parse a tag, serial or part number, refusing numbers Excel has rounded (6.37702E+15)."""
    if isinstance(value, float):
        raise ValueError("is a number, not text; format the column as Text and export again")
    text = parse_text(value, max_length=max_length)
    if _EXCEL_SCIENTIFIC.fullmatch(text):
        raise ValueError(
            f'"{text}" was shortened by Excel into a rounded number; format the column as Text '
            "and export again"
        )
    return text


def parse_int(value: Any) -> int:
    """Parse a whole number such as ``1,234``, ``1 234`` or ``1234.0``."""
    if isinstance(value, bool):
        raise ValueError("is TRUE/FALSE, not a whole number")
    if isinstance(value, int):
        return value
    if isinstance(value, float | Decimal):
        number = Decimal(str(value))
    else:
        text = str(value).strip().replace(",", "").replace(" ", "").replace("\u00a0", "")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError(f'"{str(value).strip()}" is not a whole number') from None
    if not number.is_finite() or number != number.to_integral_value():
        raise ValueError(f'"{str(value).strip()}" is not a whole number')
    return int(number)


def parse_decimal(value: Any) -> Decimal:
    """Parse a decimal number such as a latitude (``28.5189857``) without float rounding."""
    if isinstance(value, bool):
        raise ValueError("is TRUE/FALSE, not a number")
    text = repr(value) if isinstance(value, float) else str(value).strip().replace(",", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(f'"{str(value).strip()}" is not a number') from None
    if not number.is_finite():
        raise ValueError(f'"{str(value).strip()}" is not a number')
    return number


def parse_money_cents(value: Any) -> int:
    """Parse an amount in dollars (``$1,234.50``) into integer cents, without float arithmetic."""
    if isinstance(value, bool):
        raise ValueError("is TRUE/FALSE, not an amount")
    if isinstance(value, int | float | Decimal):
        amount = Decimal(str(value))
        if not amount.is_finite():
            raise ValueError("is not an amount")
        return int((amount * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return _money_text_cents(str(value).strip())


def _money_text_cents(text: str) -> int:
    """Parse money written as text into cents."""
    cleaned = re.sub(r"[\s\u00a0$€£]|USD|EUR|GBP", "", text, flags=re.IGNORECASE)
    negative = (cleaned.startswith("(") and cleaned.endswith(")")) or cleaned.startswith("-")
    cleaned = cleaned.strip("()").lstrip("-+")
    if not re.fullmatch(r"[\d.,]*\d[\d.,]*", cleaned):
        raise ValueError(f'"{text}" is not an amount of money')
    number = _normalise_separators(cleaned, text)
    if "." in number and len(number.split(".")[1]) > 2:
        raise ValueError(f'"{text}" has more than two decimal places; is the separator right?')
    cents = int(Decimal(number) * 100)
    return -cents if negative else cents


def _normalise_separators(digits: str, original: str) -> str:
    """Rewrite a number with grouping separators into plain ``1234.50`` form."""
    if "," in digits and "." in digits:
        decimal_mark = "," if digits.rindex(",") > digits.rindex(".") else "."
    elif digits.count(",") == 1 and re.search(r",\d{1,2}$", digits):
        decimal_mark = ","
    elif digits.count(".") == 1:
        decimal_mark = "."
    else:
        decimal_mark = ""  # only grouping marks, as in 1,234,567
    if decimal_mark:
        whole, _, fraction = digits.rpartition(decimal_mark)
        group_mark = "." if decimal_mark == "," else ","
    else:
        whole, fraction = digits, ""
        group_mark = "," if "," in digits else "."
    grouped = rf"\d{{1,3}}(\{group_mark}\d{{3}})+"
    if group_mark in whole and not re.fullmatch(grouped, whole):
        raise ValueError(f'"{original}" is not an amount of money')
    whole = whole.replace(group_mark, "") or "0"
    if not whole.isdigit() or not (fraction == "" or fraction.isdigit()):
        raise ValueError(f'"{original}" is not an amount of money')
    return f"{whole}.{fraction}" if fraction else whole


def parse_date(value: Any) -> dt.date:
    """Parse a date written in one of the documented formats, or an Excel date/serial number."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return excel_serial_to_date(value)
    text = str(value).strip()
    for parse in (
        _parse_iso,
        _parse_us,
        _parse_dotted,
        _parse_compact,
        _parse_named,
        _parse_serial,
    ):
        result = parse(text)
        if result is not None:
            return result
    raise ValueError(f'"{text}" is not a date; write it as YYYY-MM-DD or MM/DD/YYYY')


def excel_serial_to_date(serial: float | int | Decimal) -> dt.date:
    """Convert an Excel (1900 date system) serial number to a date."""
    whole = int(serial)
    if not _SERIAL_RANGE[0] <= whole <= _SERIAL_RANGE[1]:
        raise ValueError(f"{serial} is not an Excel date")
    return EXCEL_EPOCH + dt.timedelta(days=whole)


def _make_date(year: int, month: int, day: int, text: str) -> dt.date:
    """Build a date, turning calendar mistakes into a readable reason."""
    try:
        return dt.date(year, month, day)
    except ValueError:
        reason = f'"{text}" is not a real date (year {year}, month {month}, day {day})'
        raise ValueError(reason) from None


def _full_year(year_text: str) -> int:
    """Expand a two-digit year the way Python's %y does."""
    year = int(year_text)
    if len(year_text) == 2:
        return year + (1900 if year >= 69 else 2000)
    return year


def _parse_iso(text: str) -> dt.date | None:
    """Parse 2024-01-31, 2024/1/31 and 2024-01-31 08:00:00."""
    match = _ISO_DATE.fullmatch(text)
    if match is None:
        return None
    return _make_date(int(match[1]), int(match[2]), int(match[3]), text)


def _parse_us(text: str) -> dt.date | None:
    """Parse month/day/year, refusing a day-first date instead of guessing."""
    match = _US_DATE.fullmatch(text.split(" ")[0]) if text else None
    if match is None:
        return None
    month, day = int(match[1]), int(match[2])
    if month > 12 >= day:
        raise ValueError(f'"{text}" looks like day/month/year; write dates as MM/DD/YYYY or ISO')
    return _make_date(_full_year(match[3]), month, day, text)


def _parse_dotted(text: str) -> dt.date | None:
    """Parse day.month.year."""
    match = _DOTTED_DATE.fullmatch(text)
    if match is None:
        return None
    return _make_date(_full_year(match[3]), int(match[2]), int(match[1]), text)


def _parse_compact(text: str) -> dt.date | None:
    """Parse 20240131."""
    if not (len(text) == 8 and text.isdigit() and text[:2] in {"19", "20"}):
        return None
    return _make_date(int(text[:4]), int(text[4:6]), int(text[6:]), text)


def _parse_named(text: str) -> dt.date | None:
    """Parse dates with an English month name."""
    for pattern in _NAMED_MONTH_FORMATS:
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def _parse_serial(text: str) -> dt.date | None:
    """Parse a 5-digit Excel serial number written as text (10000 is 1927-05-18)."""
    if re.fullmatch(r"\d{5}(\.0+)?", text):
        return excel_serial_to_date(Decimal(text))
    return None


def add_months(start: dt.date, months: int) -> dt.date:
    """Add calendar months, clamping to the month's last day (Jan 31 + 1 month → Feb 28/29)."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    for day in (start.day, 30, 29, 28):
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    raise ValueError("is not a valid date")
