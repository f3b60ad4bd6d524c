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


def parse_column(values: pd.Series, parser: Callable[[Any], Any]) -> tuple[pd.Series, pd.Series]:
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
    if isinstance(values.dtype, np.dtype) and values.dtype == np.float64:  # a workbook's numbers
        codes, uniques = pd.factorize(values, use_na_sentinel=True)  # NaN (an empty cell) is missing
        return np.asarray(codes), np.asarray(
            uniques.tolist() if hasattr(uniques, "tolist") else list(uniques), dtype=object
        )
    codes, uniques = pd.factorize(values.astype(object), use_na_sentinel=True)
    return np.asarray(codes), np.asarray(uniques, dtype=object)


def _strings(uniques: np.ndarray) -> tuple[np.ndarray, pa.Array]:
    """Positions of the plain ``str`` values among ``uniques`` and those values as an Arrow array."""
    is_str = np.fromiter((type(v) is str for v in uniques), dtype=bool, count=len(uniques))
    where = np.flatnonzero(is_str)
    return where, pa.array(uniques[where], type=pa.string())


def _numbers(uniques: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions of the plain int and float values (not bool) among ``uniques``, and them as floats."""
    is_num = np.fromiter(
        (type(v) is float or (type(v) is int and abs(v) < 2**53) for v in uniques), dtype=bool, count=len(uniques)
    )
    where = np.flatnonzero(is_num)
    return where, np.array(uniques[where].tolist(), dtype=np.float64)


def _fast_values(kind: str, uniques: np.ndarray, factor: float) -> tuple[np.ndarray, np.ndarray]:
    """(positions decided, their parsed values) for the distinct values a vectorised rule decides
    exactly as the parser of ``kind`` would; nothing of a blank (those stay with is_blank)."""
    where, text = _strings(uniques)
    if kind in ("id", "text"):
        # No whitespace: _text returns it unchanged. Longer than 6 characters: it cannot be a blank
        # word (NFKC only composes, never turns letters into one of the blank words).
        ok = pc.and_(pc.invert(pc.match_substring_regex(text, _SPACE_CLASS)), pc.greater(pc.utf8_length(text), 6))
        pos = where[np.asarray(ok.to_numpy(zero_copy_only=False), dtype=bool)]
        return pos, uniques[pos]
    if kind in ("date", "datetime"):
        ok = np.asarray(pc.match_substring_regex(text, _ISO_DATETIME).to_numpy(zero_copy_only=False), dtype=bool)
        pos, s = where[ok], pd.Series(uniques[where[ok]], dtype=object).astype(str)
        parts = {
            "year": s.str[0:4],
            "month": s.str[5:7],
            "day": s.str[8:10],
            "hour": s.str[11:13].replace("", "0"),
            "minute": s.str[14:16].replace("", "0"),
            "second": s.str[17:19].replace("", "0"),
        }
        nums = pd.DataFrame({k: pd.to_numeric(v) for k, v in parts.items()})
        good = (
            nums["year"].between(1900, 2200).to_numpy()
            & (nums["hour"] < 24).to_numpy()
            & (nums["minute"] < 60).to_numpy()
            & (nums["second"] < 60).to_numpy()
        )  # else: the parser's message
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


def _is_arrow_text(values: pd.Series) -> bool:
    """Text held by Arrow (what the CSV reader gives): the column-wise path needs no Python objects."""
    return isinstance(values.dtype, pd.StringDtype) and values.dtype.storage == "pyarrow"


def _arrow_dictionary(values: pd.Series) -> tuple[pa.Array, pa.Array]:
    """(indices with nulls for missing cells, distinct values) of an Arrow-backed text column."""
    chunked = values.array.__arrow_array__()
    if isinstance(chunked, pa.Array):
        chunked = pa.chunked_array([chunked])
    encoded = pc.dictionary_encode(chunked)
    if encoded.num_chunks == 0:
        return pa.array([], type=pa.int32()), pa.array([], type=pa.large_string())
    dictionary = encoded.chunk(0).dictionary  # unified across chunks by dictionary_encode
    indices = pa.concat_arrays([c.indices for c in encoded.iterchunks()])
    return indices, dictionary


def _fixed_width(text: pa.Array, width: int) -> np.ndarray | None:
    """ASCII strings of exactly ``width`` characters as an (n, width) array of bytes (no copy); None
    when they are not all that wide."""
    if isinstance(text, pa.ChunkedArray):
        text = text.combine_chunks()
    n = len(text)
    if n == 0:
        return np.zeros((0, width), dtype=np.uint8)
    offsets_type = np.int64 if pa.types.is_large_string(text.type) else np.int32
    buffers = text.buffers()
    offsets = np.frombuffer(buffers[1], dtype=offsets_type)[text.offset : text.offset + n + 1]
    data = np.frombuffer(buffers[2], dtype=np.uint8)[offsets[0] : offsets[-1]]
    if len(data) != n * width:
        return None
    return data.reshape(n, width)


def _iso_stamps(text: pa.Array, kind: str) -> tuple[np.ndarray, np.ndarray]:
    """(positions in ``text`` decided, their datetime64 values) for ISO dates and date-times that
    :func:`parse_datetime` reads to the same value; the rest (a day that does not exist, an hour
    of 25, a year outside 1900–2200) stay with the parser, for its message."""
    ok = np.asarray(pc.match_substring_regex(text, _ISO_DATETIME).to_numpy(zero_copy_only=False), dtype=bool)
    pos = np.flatnonzero(ok)
    unit = "datetime64[s]" if kind == "date" else "datetime64[us]"
    if not len(pos):
        return pos, np.array([], dtype=unit)
    # 2024-05-06, 2024-05-06 14:30 and 2024-05-06T14:30:15 padded with '0' to 19 characters: the
    # digits sit at the same places in every one (a missing time or second reads as 00).
    chars = _fixed_width(pc.utf8_rpad(text.filter(pa.array(ok)), 19, "0"), 19)
    if chars is None:  # cannot be (the pattern allows 10, 16 or 19 ASCII characters): leave all to the parser
        return np.array([], dtype=np.int64), np.array([], dtype=unit)

    def number(a: int, b: int) -> np.ndarray:
        out = chars[:, a].astype(np.int64) - 48
        for i in range(a + 1, b):
            out = out * 10 + (chars[:, i].astype(np.int64) - 48)
        return out

    year, month, day = number(0, 4), number(5, 7), number(8, 10)
    hour, minute, second = number(11, 13), number(14, 16), number(17, 19)
    good = (year >= 1900) & (year <= 2200) & (hour < 24) & (minute < 60) & (second < 60) & (month >= 1) & (month <= 12)
    first = ((year - 1970) * 12 + (np.clip(month, 1, 12) - 1)).astype("datetime64[M]")
    days_in_month = ((first + 1).astype("datetime64[D]") - first.astype("datetime64[D]")).astype(np.int64)
    good &= (day >= 1) & (day <= days_in_month)
    stamps = first.astype("datetime64[D]").astype("datetime64[s]") + ((day - 1) * 86400).astype("timedelta64[s]")
    if kind != "date":  # a date's time is dropped
        stamps = stamps + (hour * 3600 + minute * 60 + second).astype("timedelta64[s]")
    return pos[good], stamps[good].astype(unit)


def _arrow_fast(kind: str, text: pa.Array, factor: float) -> tuple[np.ndarray, Any]:
    """:func:`_fast_values` for distinct values that are all text, held by Arrow."""
    if kind in ("id", "text"):
        ok = pc.and_(pc.invert(pc.match_substring_regex(text, _SPACE_CLASS)), pc.greater(pc.utf8_length(text), 6))
        return np.flatnonzero(np.asarray(ok.to_numpy(zero_copy_only=False), dtype=bool)), None
    if kind in ("date", "datetime"):
        return _iso_stamps(text, kind)
    pattern = {"count": _PLAIN_COUNT, "amount": _PLAIN_AMOUNT, "coord": _PLAIN_COORD}[kind]
    ok = np.asarray(pc.match_substring_regex(text, pattern).to_numpy(zero_copy_only=False), dtype=bool)
    num = np.array(pc.cast(text.filter(pa.array(ok)), pa.float64()).to_numpy(zero_copy_only=False))
    if kind == "amount":
        num = num * factor
    return np.flatnonzero(ok), num


def _parse_unique(texts: list[str], parser: Callable[[Any], Any]) -> tuple[list[str | None], list[int], list[Any]]:
    """Each distinct text that no column-wise rule decided, through ``parser``: (message or None per
    text, the positions parsed to a value, those values). A blank is neither."""
    errors: list[str | None] = [None] * len(texts)
    ok: list[int] = []
    vals: list[Any] = []
    for i, v in enumerate(texts):
        if is_blank(v):
            continue
        try:
            result = parser(v)
        except ValueError as exc:
            errors[i] = str(exc)
            continue
        if result is not None:
            ok.append(i)
            vals.append(result)
    return errors, ok, vals


def _mostly_distinct(arr: pa.Array) -> bool:
    """Whether a column's values are mostly different from each other (ids, times, free text),
    judged on its first 20,000: then a rule is cheaper on the rows than on their distinct values."""
    if len(arr) <= 50_000:
        return False
    sample = arr.slice(0, 20_000)
    return pc.count_distinct(sample).as_py() > 0.9 * len(sample)


def _combined(values: pd.Series) -> pa.Array:
    arr = values.array.__arrow_array__()
    return arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr


def _parse_arrow(
    values: pd.Series, kind: str, parser: Callable[[Any], Any], factor: float
) -> tuple[pd.Series, pd.Series]:
    """:func:`parse_series` of Arrow-held text: each distinct value decided once, the plainly clean
    ones column-wise, the rest by ``parser``; no Python object per cell."""
    if kind in _FAST_TYPES and _mostly_distinct(_combined(values)):
        return _parse_arrow_rows(values, kind, parser, factor)
    indices, dictionary = _arrow_dictionary(values)
    index = values.index
    n_u = len(dictionary)
    if kind in _FAST_TYPES:
        fast_pos, fast_vals = _arrow_fast(kind, dictionary, factor)
    else:
        fast_pos, fast_vals = np.array([], dtype=np.int64), None
    decided = np.zeros(n_u, dtype=bool)
    decided[fast_pos] = True
    slow_pos = np.flatnonzero(~decided)
    slow_text = dictionary.take(pa.array(slow_pos, type=pa.int64())).to_pylist() if len(slow_pos) else []
    slow_errors, slow_ok_at, slow_vals = _parse_unique(slow_text, parser)
    errors_u = np.full(n_u + 1, None, dtype=object)  # slot 0: a missing cell
    errors_u[slow_pos + 1] = _objects(slow_errors)
    ok_pos = slow_pos[np.array(slow_ok_at, dtype=np.int64)]
    take = indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64) + 1
    errors = pd.Series(errors_u[take], index=index, dtype=object, copy=False)
    if kind in ("id", "text") or (kind not in _FAST_TYPES and all(type(v) is str for v in slow_vals)):
        if not len(fast_pos) and not len(ok_pos):
            return pd.Series(None, index=index, dtype=object), errors
        if (
            kind in ("id", "text")
            and indices.null_count == 0
            and len(ok_pos) == len(slow_pos)
            and all(v == t for v, t in zip(slow_vals, slow_text, strict=True))
        ):
            # Every value parsed to itself (the usual clean column): the column as it is, no copy.
            return pd.Series(pd.arrays.ArrowStringArray(_combined(values)), index=index, copy=False), errors
        # The distinct values parsed (the fast ones are themselves), then spread over the rows.
        out_u = pc.replace_with_mask(
            dictionary.cast(pa.large_string()),
            pa.array(~decided),
            pa.array(_scatter(slow_pos, ok_pos, slow_vals), type=pa.large_string()),
        )
        arr = out_u.take(indices)
        return pd.Series(pd.arrays.ArrowStringArray(arr), index=index, copy=False), errors
    if kind not in _FAST_TYPES:
        out_o = np.full(n_u + 1, None, dtype=object)
        out_o[ok_pos + 1] = _objects(slow_vals)
        return pd.Series(out_o[take], index=index, dtype=object, copy=False), errors
    if not len(fast_pos) and not len(ok_pos):
        return pd.Series(None, index=index, dtype=object), errors
    return _typed(kind, n_u, fast_pos, fast_vals, ok_pos, slow_vals, take, index), errors


def _objects(values: list[Any]) -> np.ndarray:
    """A list as a 1-d object array (numpy would make a list of tuples or lists 2-d)."""
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def _parse_arrow_rows(
    values: pd.Series, kind: str, parser: Callable[[Any], Any], factor: float
) -> tuple[pd.Series, pd.Series]:
    """:func:`_parse_arrow` for a column whose values are mostly distinct: the column-wise rule on
    the rows themselves, then each distinct value of the rows it left through ``parser``."""
    arr = _combined(values)
    index = values.index
    n = len(arr)
    fast_pos, fast_vals = _arrow_fast(kind, pc.fill_null(arr, ""), factor)  # '' passes no rule
    decided = np.zeros(n, dtype=bool)
    decided[fast_pos] = True
    rest = np.flatnonzero(~decided & np.asarray(arr.is_valid().to_numpy(zero_copy_only=False), dtype=bool))
    errors_rows = np.full(n, None, dtype=object)
    sub_idx = np.array([], dtype=np.int64)
    slow_errors: list[str | None] = []
    ok_at: list[int] = []
    slow_vals: list[Any] = []
    if len(rest):
        encoded = pc.dictionary_encode(arr.take(pa.array(rest)))
        sub_idx = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)
        slow_errors, ok_at, slow_vals = _parse_unique(encoded.dictionary.to_pylist(), parser)
        errors_rows[rest] = _objects(slow_errors)[sub_idx]
    errors = pd.Series(errors_rows, index=index, dtype=object, copy=False)
    if not len(fast_pos) and not ok_at:
        return pd.Series(None, index=index, dtype=object), errors
    n_u = len(slow_errors)
    parsed_u = np.zeros(n_u, dtype=bool)
    parsed_u[ok_at] = True
    ok_rows = rest[parsed_u[sub_idx]]  # rows whose value the parser read
    row_u = sub_idx[parsed_u[sub_idx]]  # … and which distinct value each is
    if kind in ("id", "text"):
        if not len(rest) and arr.null_count == 0:  # every row decided by the rule: the column as it is
            return pd.Series(pd.arrays.ArrowStringArray(arr), index=index, copy=False), errors
        out_u = np.full(n_u, None, dtype=object)
        out_u[ok_at] = _objects(slow_vals)
        mask = np.zeros(n, dtype=bool)
        mask[rest] = True
        replacement = pa.array(out_u, type=pa.large_string()).take(pa.array(sub_idx))
        out = pc.replace_with_mask(arr.cast(pa.large_string()), pa.array(mask), replacement)
        return pd.Series(pd.arrays.ArrowStringArray(out), index=index, copy=False), errors
    typed_u = _typed(
        kind,
        n_u,
        np.array([], dtype=np.int64),
        np.array([]),
        np.array(ok_at, dtype=np.int64),
        slow_vals,
        np.arange(1, n_u + 1),
        pd.RangeIndex(n_u),
    )
    if kind in ("date", "datetime"):
        unit = "datetime64[s]" if kind == "date" else "datetime64[us]"
        out_d = np.full(n, np.datetime64("NaT"), dtype=unit)
        out_d[fast_pos] = fast_vals
        out_d[ok_rows] = typed_u.to_numpy()[row_u]
        return pd.Series(out_d, index=index, copy=False), errors
    out_f = np.full(n, np.nan, dtype=np.float64)
    out_f[fast_pos] = fast_vals
    out_f[ok_rows] = typed_u.to_numpy(dtype=np.float64, na_value=np.nan)[row_u]
    if kind == "count":
        valid = np.zeros(n, dtype=bool)
        valid[fast_pos] = True
        valid[ok_rows] = True
        ints = np.where(valid, out_f, 0).astype(np.int64)
        return pd.Series(pd.arrays.IntegerArray(ints, ~valid), index=index, copy=False), errors
    return pd.Series(out_f, index=index, copy=False), errors


def _scatter(slow_pos: np.ndarray, ok_pos: np.ndarray, slow_vals: list[Any]) -> list[Any]:
    """The parsed values of the undecided distinct values, in their order (None: blank or failed)."""
    parsed = dict(zip(ok_pos.tolist(), slow_vals, strict=True))
    return [parsed.get(i) for i in slow_pos.tolist()]


def _typed(
    kind: str,
    n_u: int,
    fast_pos: np.ndarray,
    fast_vals: Any,
    ok_pos: np.ndarray,
    slow_vals: list[Any],
    take: np.ndarray,
    index: pd.Index,
) -> pd.Series:
    """The parsed values of a date, date-time, count, amount or coordinate column, typed: the
    distinct values' results (slot 0: missing) spread over the rows by ``take``."""
    if kind in ("date", "datetime"):
        unit = "datetime64[s]" if kind == "date" else "datetime64[us]"
        out_u = np.full(n_u + 1, np.datetime64("NaT"), dtype=unit)
        out_u[fast_pos + 1] = fast_vals
        if len(ok_pos):
            out_u[ok_pos + 1] = pd.to_datetime(pd.Series(slow_vals, dtype=object)).to_numpy().astype(unit)
        return pd.Series(out_u[take], index=index, copy=False)
    out_f = np.full(n_u + 1, np.nan, dtype=np.float64)
    out_f[fast_pos + 1] = fast_vals
    out_f[ok_pos + 1] = np.array(slow_vals, dtype=np.float64)
    if kind == "count":
        valid = np.zeros(n_u + 1, dtype=bool)
        valid[fast_pos + 1] = True
        valid[ok_pos + 1] = True
        ints = np.where(valid, out_f, 0).astype(np.int64)
        return pd.Series(pd.arrays.IntegerArray(ints[take], ~valid[take]), index=index, copy=False)
    return pd.Series(out_f[take], index=index, copy=False)


def parse_series(
    values: pd.Series, kind: str, parser: Callable[[Any], Any], factor: float = 1.0
) -> tuple[pd.Series, pd.Series]:
    """:func:`parse_column` of ``values`` with ``parser`` (the parser of schema type ``kind``;
    ``factor``: an amount header's unit), faster: ``(parsed, errors)`` with the same values and
    messages. For the types with a vectorised path the parsed values come typed — text as strings,
    dates as datetime64 (``date``: seconds, ``datetime``: microseconds, what pd.to_datetime makes of
    the parser's values), counts as Int64, amounts and coordinates as float64 — with NA for blanks and
    failures; other types as parse_column gives them (text as strings when every value parsed is
    text). A column of Arrow-held text (a CSV's) is parsed without a Python object per cell."""
    if len(values) and _is_arrow_text(values):
        return _parse_arrow(values, kind, parser, factor)
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
    errors = pd.Series(errors_u[take], index=index, dtype=object, copy=False)
    if not len(fast_pos) and not slow_ok:
        return pd.Series(None, index=index, dtype=object), errors
    ok_pos = np.array(slow_ok, dtype=np.int64)
    if kind in ("id", "text"):
        out_u = np.full(len(uniques) + 1, None, dtype=object)
        out_u[fast_pos + 1] = fast_vals
        out_u[ok_pos + 1] = slow_vals
        arr = pa.array(out_u, type=pa.string()).take(pa.array(take))
        return pd.Series(pd.arrays.ArrowStringArray(arr), index=index, copy=False), errors
    return _typed(kind, len(uniques), fast_pos, fast_vals, ok_pos, slow_vals, take, index), errors
