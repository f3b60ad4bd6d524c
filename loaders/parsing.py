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

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

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


# ---------------------------------------------------------------- whole columns, vectorised
#
# :func:`parse_series` gives the same values and messages as :func:`parse_column` with the parser of
# a schema type, but decides the cells that are plainly clean (ISO dates, plain numbers, text without
# spaces) column-wise; only the distinct values it cannot decide go through the parser one by one.

# Every character str.split() splits on (str.isspace()), as a class for pyarrow's regex engine.
_SPACE_CLASS = "[\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
_ISO_DATETIME = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}(?:[ T][0-9]{2}:[0-9]{2}(?::[0-9]{2})?)?$"
_PLAIN_COUNT = r"^[0-9]{1,15}$"
_PLAIN_AMOUNT = r"^[0-9]{1,15}(?:\.[0-9]{1,15})?$"
_PLAIN_COORD = r"^-?[0-9]{1,4}(?:\.[0-9]{1,15})?$"
_FAST_TYPES = ("id", "text", "date", "datetime", "count", "amount", "coord")


def _factorize(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(codes with -1 for missing, distinct values as an object array), as pd.factorize of the
    values as objects (what parse_column does), without first making a million Python objects."""
    if isinstance(values.dtype, pd.StringDtype):
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
        return np.asarray(codes), np.asarray(uniques, dtype=object)
    codes, uniques = pd.factorize(values.astype(object), use_na_sentinel=True)
    return np.asarray(codes), np.asarray(uniques, dtype=object)


def _strings(uniques: np.ndarray) -> tuple[np.ndarray, pa.Array]:
    """Positions of the plain ``str`` values among ``uniques`` and those values as an Arrow array."""
    is_str = np.fromiter((type(v) is str for v in uniques), dtype=bool, count=len(uniques))
    where = np.flatnonzero(is_str)
    return where, pa.array(uniques[where], type=pa.string())


def _numbers(uniques: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions of the plain int and float values (not bool) among ``uniques``, and them as floats."""
    is_num = np.fromiter((type(v) is float or (type(v) is int and abs(v) < 2**53) for v in uniques),
                         dtype=bool, count=len(uniques))
    where = np.flatnonzero(is_num)
    return where, np.array(uniques[where].tolist(), dtype=np.float64)


def _fast_values(kind: str, uniques: np.ndarray, factor: float) -> tuple[np.ndarray, np.ndarray]:
    """(positions decided, their parsed values) for the distinct values a vectorised rule decides
    exactly as the parser of ``kind`` would; nothing of a blank (those stay with is_blank)."""
    where, text = _strings(uniques)
    if kind in ("id", "text"):
        # No whitespace: _text returns it unchanged. Longer than 6 characters: it cannot be a blank
        # word (NFKC only composes, never turns letters into one of the blank words).
        ok = pc.and_(pc.invert(pc.match_substring_regex(text, _SPACE_CLASS)),
                     pc.greater(pc.utf8_length(text), 6))
        pos = where[np.asarray(ok.to_numpy(zero_copy_only=False), dtype=bool)]
        return pos, uniques[pos]
    if kind in ("date", "datetime"):
        ok = np.asarray(pc.match_substring_regex(text, _ISO_DATETIME).to_numpy(zero_copy_only=False), dtype=bool)
        pos, s = where[ok], pd.Series(uniques[where[ok]], dtype=object).astype(str)
        parts = {"year": s.str[0:4], "month": s.str[5:7], "day": s.str[8:10],
                 "hour": s.str[11:13].replace("", "0"), "minute": s.str[14:16].replace("", "0"),
                 "second": s.str[17:19].replace("", "0")}
        nums = pd.DataFrame({k: pd.to_numeric(v) for k, v in parts.items()})
        good = (nums["year"].between(1900, 2200).to_numpy() & (nums["hour"] < 24).to_numpy()
                & (nums["minute"] < 60).to_numpy() & (nums["second"] < 60).to_numpy())  # else: the parser's message
        if kind == "date":  # a date's time is dropped
            nums[["hour", "minute", "second"]] = 0
        stamps = pd.to_datetime(nums[good], errors="coerce")
        valid = stamps.notna().to_numpy()
        pos = pos[good][valid]
        return pos, stamps[valid].to_numpy().astype("datetime64[s]" if kind == "date" else "datetime64[us]")
    pattern = {"count": _PLAIN_COUNT, "amount": _PLAIN_AMOUNT, "coord": _PLAIN_COORD}[kind]
    ok = np.asarray(pc.match_substring_regex(text, pattern).to_numpy(zero_copy_only=False), dtype=bool)
    spos = where[ok]
    snum = np.array(pc.cast(text.filter(pa.array(ok)), pa.float64()).to_numpy(zero_copy_only=False))
    npos, nnum = _numbers(uniques)
    finite = np.isfinite(nnum)
    if kind == "count":
        keep = finite & (nnum >= 0) & (nnum <= 1e15) & (nnum == np.floor(nnum))
    elif kind == "amount":
        keep = finite & (nnum >= 0)
    else:
        keep = finite
    pos = np.concatenate([spos, npos[keep]])
    num = np.concatenate([snum, nnum[keep]])
    if kind == "amount":
        num = num * factor
    return pos, num


def parse_series(values: pd.Series, kind: str, parser: Callable[[Any], Any],
                 factor: float = 1.0) -> tuple[pd.Series, pd.Series]:
    """:func:`parse_column` of ``values`` with ``parser`` (the parser of schema type ``kind``;
    ``factor``: an amount header's unit), faster: ``(parsed, errors)`` with the same values and
    messages. For the types with a vectorised path the parsed values come typed — text as strings,
    dates as datetime64 (``date``: seconds, ``datetime``: microseconds, what pd.to_datetime makes of
    the parser's values), counts as Int64, amounts and coordinates as float64 — with NA for blanks and
    failures; other types as parse_column gives them."""
    if kind not in _FAST_TYPES or len(values) == 0:
        return parse_column(values, parser)
    codes, uniques = _factorize(values)
    fast_pos, fast_vals = _fast_values(kind, uniques, factor)
    decided = np.zeros(len(uniques), dtype=bool)
    decided[fast_pos] = True
    errors_u = np.full(len(uniques) + 1, None, dtype=object)
    slow_vals: list[Any] = []
    slow_pos = np.flatnonzero(~decided)
    slow_ok: list[int] = []
    for i in slow_pos.tolist():
        v = uniques[i]
        if is_blank(v):
            continue
        try:
            result = parser(v)
        except ValueError as exc:
            errors_u[i + 1] = str(exc)
            continue
        if result is not None:
            slow_ok.append(i)
            slow_vals.append(result)
    take = codes + 1  # -1 (missing) → slot 0 (NA)
    index = values.index
    errors = pd.Series(errors_u[take], index=index, dtype=object)
    if not len(fast_pos) and not slow_ok:
        return pd.Series(None, index=index, dtype=object), errors
    pos = np.concatenate([fast_pos, np.array(slow_ok, dtype=np.int64)]) + 1
    if kind in ("id", "text"):
        out_u = np.full(len(uniques) + 1, None, dtype=object)
        out_u[fast_pos + 1] = fast_vals
        out_u[np.array(slow_ok, dtype=np.int64) + 1] = slow_vals
        arr = pa.array(out_u, type=pa.string()).take(pa.array(take))
        return pd.Series(pd.arrays.ArrowStringArray(arr), index=index), errors
    if kind in ("date", "datetime"):
        unit = "datetime64[s]" if kind == "date" else "datetime64[us]"
        out_u = np.full(len(uniques) + 1, np.datetime64("NaT"), dtype=unit)
        out_u[fast_pos + 1] = fast_vals
        if slow_ok:
            out_u[np.array(slow_ok, dtype=np.int64) + 1] = pd.to_datetime(
                pd.Series(slow_vals, dtype=object)).to_numpy().astype(unit)
        return pd.Series(out_u[take], index=index), errors
    out_f = np.full(len(uniques) + 1, np.nan, dtype=np.float64)
    out_f[fast_pos + 1] = fast_vals
    out_f[np.array(slow_ok, dtype=np.int64) + 1] = np.array(slow_vals, dtype=np.float64)
    if kind == "count":
        valid = np.zeros(len(uniques) + 1, dtype=bool)
        valid[pos] = True
        ints = np.where(valid, out_f, 0).astype(np.int64)
        return pd.Series(pd.arrays.IntegerArray(ints[take], ~valid[take]), index=index), errors
    return pd.Series(out_f[take], index=index), errors
