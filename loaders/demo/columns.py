"""Columns made from codes: Arrow arrays (dictionary-encoded strings, dates, flags) and the exact row hash
of ``loaders.ids.row_hashes`` computed from the codes, so that millions of rows never pass through pandas
strings. A coded column hashes each distinct value once (its canonical text, as ``row_hashes`` writes it)
and spreads the hashes by code; the hashes of a row's columns are combined as ``hash_pandas_object``
combines them. ``tests/test_demo.py`` holds every frame's ``row_hash`` to ``row_hashes`` of its data."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from loaders.ids import _canonical_text

_HEX = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)
_EPOCH = np.datetime64("1970-01-01", "D")


def value_hashes(values: pd.Series | pd.api.extensions.ExtensionArray | np.ndarray) -> np.ndarray:
    """The hash ``row_hashes`` gives each value as one cell of a row (before the row's cells are combined):
    its canonical text (NA as "\\x00"), hashed by ``pd.util.hash_array``."""
    text = _canonical_text(pd.DataFrame({"v": values}))["v"]
    return pd.util.hash_array(text.to_numpy(dtype=object), categorize=False)


def fixed_width_strings(chars: np.ndarray) -> pa.StringArray:
    """An Arrow string array from an (n, width) uint8 array of ASCII characters, without copying."""
    n, width = chars.shape
    offsets = np.arange(0, width * (n + 1), width, dtype=np.int32)
    return pa.StringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(np.ascontiguousarray(chars)))


def numbered_ids(prefix: str, numbers: np.ndarray, width: int) -> pa.StringArray:
    """``prefix`` + each number zero-padded to ``width`` digits (as ``common._ids``), as Arrow strings."""
    head = np.frombuffer(prefix.encode("ascii"), dtype=np.uint8)
    width = max(width, len(str(int(numbers.max())))) if len(numbers) else width
    chars = np.empty((len(numbers), len(head) + width), dtype=np.uint8)
    chars[:, : len(head)] = head
    x = numbers.astype(np.int64)
    for j in range(len(head) + width - 1, len(head) - 1, -1):
        chars[:, j] = x % 10 + 48
        x = x // 10
    return fixed_width_strings(chars)


def hex16(values: np.ndarray) -> pa.StringArray:
    """f"{v:016x}" of each uint64 (as ``loaders.ids._hex16``), as Arrow strings."""
    octets = values.astype(">u8").view(np.uint8).reshape(-1, 8)
    chars = np.empty((len(values), 16), dtype=np.uint8)
    chars[:, 0::2] = _HEX[octets >> 4]
    chars[:, 1::2] = _HEX[octets & 15]
    return fixed_width_strings(chars)


@dataclass
class Vocabulary:
    """The distinct values of a string column (None for null) and their hashes: the dictionary of the
    column's Arrow array."""

    values: Sequence[str | None]
    arrow: pa.Array = field(init=False)
    hashes: np.ndarray = field(init=False)
    _null: int = field(init=False)

    def __post_init__(self) -> None:
        strings = pd.array(list(self.values), dtype="string")
        self.hashes = value_hashes(strings)
        nulls = np.flatnonzero(pd.isna(np.asarray(self.values, dtype=object)))
        self._null = int(nulls[0]) if len(nulls) else -1
        # A dictionary holds no nulls: a null value is a null index (its code is masked when spread).
        self.arrow = pa.array([v if v is not None else "" for v in self.values], type=pa.string())

    def column(self, codes: np.ndarray) -> tuple[pa.Array, np.ndarray]:
        """(the dictionary-encoded Arrow column, the cells' hashes) of the rows with these codes."""
        idx = codes.astype(np.int32, copy=False)
        mask = idx == self._null if self._null >= 0 else None
        indices = pa.array(idx, type=pa.int32(), mask=mask)
        return pa.DictionaryArray.from_arrays(indices, self.arrow), self.hashes[codes]


def vocabulary(values: Any) -> tuple[Vocabulary, np.ndarray]:
    """(the vocabulary of ``values``, each value's code in it)."""
    codes, uniques = pd.factorize(np.asarray(values, dtype=object), use_na_sentinel=False)
    return Vocabulary([v if isinstance(v, str) else None for v in uniques]), codes


def date_column(days: np.ndarray) -> tuple[pa.Array, np.ndarray]:
    """(dates as Arrow date32, null where ``days`` < 0; the cells' hashes as datetime64[s] cells)."""
    none = days < 0
    low = int(days[~none].min()) // 1024 * 1024 if (~none).any() else 0
    high = int(days.max(initial=0)) // 1024 * 1024 + 1024
    codes = np.where(none, high - low, days - low)
    return pa.array(days.astype(np.int32), type=pa.date32(), mask=none), _date_hashes(low, high)[codes]


@lru_cache(maxsize=8)
def _date_hashes(low: int, high: int) -> np.ndarray:
    """The cell hashes of the days from ``low`` to ``high`` (excluded), then of NaT."""
    table = (np.arange(low, high).astype("timedelta64[D]") + _EPOCH).astype("datetime64[s]")
    return value_hashes(np.concatenate([table, np.array(["NaT"], dtype="datetime64[s]")]))


def float_column(values: np.ndarray) -> tuple[pa.Array, np.ndarray]:
    codes, uniques = pd.factorize(values)
    return pa.array(values, type=pa.float64()), value_hashes(uniques)[codes]


_FLAG_HASHES: np.ndarray | None = None


def flag_column(flags: np.ndarray) -> tuple[pa.Array, np.ndarray]:
    """Nullable booleans from -1 (null), 0 and 1 (pandas' "boolean" cells)."""
    global _FLAG_HASHES
    if _FLAG_HASHES is None:
        _FLAG_HASHES = value_hashes(pd.array([None, False, True], dtype="boolean"))
    return pa.array(flags == 1, type=pa.bool_(), mask=flags < 0), _FLAG_HASHES[flags + 1]


def bool_column(values: np.ndarray) -> tuple[pa.Array, np.ndarray]:
    """Booleans without nulls (numpy bool cells)."""
    table = value_hashes(np.array([False, True]))
    return pa.array(values, type=pa.bool_()), table[values.astype(np.int64)]


def string_column(strings: pa.Array) -> np.ndarray:
    """The cells' hashes of an Arrow string array without nulls whose values are (mostly) distinct."""
    return pd.util.hash_array(strings.to_numpy(zero_copy_only=False), categorize=False)


def to_frame(table: pa.Table, nullable_flags: Sequence[str] = ()) -> pd.DataFrame:
    """The pandas frame of a demo table as the demo frames have always been: strings as the "string" dtype,
    dates as datetime64[s], the ``nullable_flags`` as "boolean" (other flags as numpy bool), integers as
    "Int32" (``source_row``)."""
    out: dict[str, Any] = {}
    for name, col in zip(table.column_names, table.columns, strict=True):
        t = col.type
        if pa.types.is_dictionary(t):
            col = col.cast(t.value_type)
            t = t.value_type
        if pa.types.is_string(t):
            out[name] = pd.array(col.to_numpy(zero_copy_only=False), dtype="string")
        elif pa.types.is_date32(t):
            mask = col.is_null().to_numpy(zero_copy_only=False)
            days = col.fill_null(0).cast(pa.int32()).to_numpy(zero_copy_only=False).astype(np.int64)
            dates = (days.astype("timedelta64[D]") + _EPOCH).astype("datetime64[s]")
            dates[mask] = np.datetime64("NaT")
            out[name] = dates
        elif pa.types.is_boolean(t):
            mask = col.is_null().to_numpy(zero_copy_only=False)
            values = col.fill_null(False).to_numpy(zero_copy_only=False).astype(bool)
            out[name] = pd.arrays.BooleanArray(values, mask) if name in nullable_flags else values
        elif pa.types.is_integer(t):
            mask = col.is_null().to_numpy(zero_copy_only=False)
            values = col.fill_null(0).to_numpy(zero_copy_only=False).astype(np.int32)
            out[name] = pd.arrays.IntegerArray(values, mask)
        else:
            out[name] = col.to_numpy(zero_copy_only=False)
    return pd.DataFrame(out)
