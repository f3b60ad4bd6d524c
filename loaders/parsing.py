"""Parsing of the cell values people really write: dates, counts, amounts, periods, flags.

Each ``parse_*`` takes one value and returns the parsed value, or raises ValueError with a message
that says what it got and what it expected. :func:`parse_column` applies one to a whole column,
parsing each distinct value once (ledgers repeat dates and numbers a lot), and returns the parsed
values plus the error message per failing row.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Callable
from typing import Any

import pandas as pd

DATE_EXAMPLES = "expected e.g. 2024-05-06, 2024/5/6, 2024.05.06, 2024年5月6日 or an Excel date"
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)
_BLANKS = frozenset({"", "-", "—", "--", "/", "nan", "none", "null", "n/a", "na", "无数据", "\\"})
_DATE_RE = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:[\sT]*(\d{1,2})\s*[:时点]\s*(\d{1,2})\s*分?(?:\s*:?\s*(\d{1,2})(?:\.\d+)?\s*秒?)?)?\s*$"
)
_COMPACT_DATE_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def is_blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, str):
        return unicodedata.normalize("NFKC", value).strip().lower() in _BLANKS
    return False


def show(value: Any) -> str:
    """A cell value as a person would read it in the file (Excel's 3.0 is 3)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.strftime("%Y-%m-%d")
    return str(value)


def _nfkc(value: Any) -> str:
    return unicodedata.normalize("NFKC", str(value)).strip()


def parse_datetime(value: Any) -> dt.datetime:
    """A date or date-time from ISO, 2024/5/6, 2024.05.06, 2024年5月6日 (with optional time) or an
    Excel serial number."""
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = float(value)
        if number.is_integer() and 19000101 <= number <= 21001231:
            value = str(int(number))  # a compact date 20240506 stored as a number
        else:
            return _from_serial(number, value)
    text = _nfkc(value)
    m = _DATE_RE.match(text) or _COMPACT_DATE_RE.match(text)
    if m:
        parts = [int(p) if p else 0 for p in m.groups()]
        parts += [0] * (6 - len(parts))
        try:
            return dt.datetime(*parts)  # type: ignore[arg-type]
        except ValueError:
            raise ValueError(f"'{show(value)}' is not a date: no such day ({DATE_EXAMPLES})") from None
    if re.fullmatch(r"\d{5}(\.\d+)?", text):
        return _from_serial(float(text), value)
    raise ValueError(f"'{show(value)}' is not a date ({DATE_EXAMPLES})")


def _from_serial(serial: float, original: Any) -> dt.datetime:
    # Excel serials 1..2958465 cover 1900..9999; anything before 1950 here is surely not a date.
    if not 18264 <= serial <= 2958465:
        raise ValueError(f"'{show(original)}' is not a date ({DATE_EXAMPLES})")
    return _EXCEL_EPOCH + dt.timedelta(days=serial)


def parse_date(value: Any) -> dt.date:
    return parse_datetime(value).date()


def _number(value: Any) -> float:
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        text = _nfkc(value).replace(",", "").replace("，", "").replace(" ", "").replace("'", "")
        number = float(text)
    if math.isinf(number):  # 'inf', '1e400': not a number a ledger means (and int() of it would crash)
        raise ValueError
    return number


def parse_count(value: Any) -> int:
    """A non-negative whole number: '1,234', '１２３', '3人', 3.0."""
    try:
        text = value if isinstance(value, (int, float)) else re.sub(r"[人起个项家处条次]$", "", _nfkc(value))
        number = _number(text)
    except (ValueError, TypeError):
        raise ValueError(f"'{show(value)}' is not a whole number (expected e.g. 3 or 1,234)") from None
    if math.isnan(number) or number != int(number):
        raise ValueError(f"'{show(value)}' is not a whole number (expected e.g. 3 or 1,234)")
    if number < 0:
        raise ValueError(f"'{show(value)}' is negative (expected a count of 0 or more)")
    return int(number)


# A unit written in an amount cell, and its factor to 万元 (the store's unit).
AMOUNT_UNITS: dict[str, float] = {"元": 1e-4, "千元": 0.1, "万": 1.0, "万元": 1.0, "亿": 1e4, "亿元": 1e4}
_AMOUNT_UNIT_RE = re.compile(r"^(.*?)\s*(千元|万元|亿元|万|亿|元)$")


def parse_amount(value: Any, header_factor: float = 1.0) -> float:
    """A non-negative amount in 万元: '1,234.5', '１２.５', '12.5万元', '5000元', '1.2亿'.

    A unit written in the cell (元, 千元, 万/万元, 亿/亿元) converts the number and overrides the
    header's unit; a bare number is multiplied by ``header_factor`` (the header's unit to 万元: 1e-4
    under 直接经济损失（元）, 1 when the header names no unit).
    """
    factor = header_factor
    try:
        if isinstance(value, (int, float)):
            text: Any = value
        else:
            text = _nfkc(value)
            m = _AMOUNT_UNIT_RE.match(text)
            if m:
                text, factor = m.group(1), AMOUNT_UNITS[m.group(2)]
        number = _number(text)
    except (ValueError, TypeError):
        raise ValueError(f"'{show(value)}' is not a number (expected e.g. 12.5, 1,234.5, 5000元 or 1.2亿)") from None
    if math.isnan(number) or number < 0:
        raise ValueError(f"'{show(value)}' is not a non-negative number (expected e.g. 12.5)")
    return number * factor


def parse_rate(value: Any) -> float:
    """A percentage: '94.5%', 94.5, or 0.945 when a spreadsheet stored it as a fraction."""
    try:
        if isinstance(value, (int, float)):
            number = float(value)
            return number * 100 if 0 <= number <= 1 and not float(number).is_integer() else number
        text = _nfkc(value)
        return _number(text.rstrip("%"))
    except (ValueError, TypeError):
        raise ValueError(f"'{show(value)}' is not a percentage (expected e.g. 94.5%)") from None


def parse_coord(value: Any) -> float:
    try:
        return _number(value)
    except (ValueError, TypeError):
        raise ValueError(f"'{show(value)}' is not a coordinate in decimal degrees (expected e.g. 112.93)") from None


_PERIOD_MONTH = re.compile(r"^(\d{4})\s*(?:[-/.年]\s*(\d{1,2})\s*月?(?:份)?)?\s*(?:年)?(?:度)?$")


def parse_period(value: Any) -> str:
    """A statistics period: a year '2017' or a month '2017-03'.

    Accepts 2017, 2017年, 2017年度, 2017-03, 2017/3, 2017.03, 2017年3月, 201703, and dates (taken as
    their month).
    """
    if isinstance(value, (dt.date, dt.datetime, pd.Timestamp)):
        return f"{value.year:04d}-{value.month:02d}"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = _nfkc(value)
    if re.fullmatch(r"\d{6}", text):
        text = f"{text[:4]}-{text[4:]}"
    m = _PERIOD_MONTH.match(text)
    if m:
        year = int(m.group(1))
        if 1949 <= year <= 2100:
            if m.group(2) is None:
                return f"{year:04d}"
            month = int(m.group(2))
            if 1 <= month <= 12:
                return f"{year:04d}-{month:02d}"
    raise ValueError(f"'{show(value)}' is not a period (expected a year such as 2017 or a month such as 2017-03)")


def parse_year(value: Any) -> int:
    """A year such as 2024 (also 2024年, 2024年度); a month or a date is refused."""
    try:
        period = parse_period(value)
    except ValueError:
        period = None
    if period is None or len(period) != 4 or isinstance(value, (dt.date, dt.datetime, pd.Timestamp)):
        raise ValueError(f"'{show(value)}' is not a year (expected e.g. 2024, 2024年 or 2024年度)")
    return int(period)


def parse_column(
    values: pd.Series, parser: Callable[[Any], Any]
) -> tuple[pd.Series, pd.Series]:
    """Parse a column, each distinct value once (ledgers repeat dates, names and numbers a lot).

    Returns ``(parsed, errors)``: ``parsed`` has None for blanks and failures, ``errors`` holds the
    message for each failing row and None elsewhere.
    """
    codes, uniques = pd.factorize(values.astype(object), use_na_sentinel=True)
    parsed_u: list[Any] = []
    errors_u: list[str | None] = []
    for v in uniques.tolist() if hasattr(uniques, "tolist") else list(uniques):
        if is_blank(v):
            parsed_u.append(None)
            errors_u.append(None)
            continue
        try:
            parsed_u.append(parser(v))
            errors_u.append(None)
        except ValueError as exc:
            parsed_u.append(None)
            errors_u.append(str(exc))
    parsed_arr = pd.array([None, *parsed_u], dtype=object)
    errors_arr = pd.array([None, *errors_u], dtype=object)
    take = codes + 1  # -1 (missing) → slot 0 (None)
    return (
        pd.Series(parsed_arr[take], index=values.index, dtype=object),
        pd.Series(errors_arr[take], index=values.index, dtype=object),
    )
