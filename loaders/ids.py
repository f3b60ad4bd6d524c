"""Deterministic row hashes and content ids, so that re-importing a file changes nothing."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

_HEX = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)


def _canonical_text(frame: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame(index=frame.index)
    for col in frame.columns:
        s = frame[col]
        if isinstance(s.dtype, np.dtype) and s.dtype.kind == "M":  # as strftime("%Y-%m-%dT%H:%M:%S"), faster
            values = s.to_numpy()
            text = pd.Series(
                np.datetime_as_string(values.astype("datetime64[s]"), unit="s"), index=s.index, dtype="string"
            ).mask(np.isnat(values))
        elif pd.api.types.is_datetime64_any_dtype(s):
            text = s.dt.strftime("%Y-%m-%dT%H:%M:%S")
        elif pd.api.types.is_float_dtype(s):
            text = s.round(6).astype("string")
        else:
            text = s.astype("string")
        out[col] = text.astype("string").fillna("\x00")
    return out


def row_hashes(frame: pd.DataFrame) -> pd.Series:
    """A 16-hex-digit hash of each row's values (stable across runs and machines).

    ``pd.util.hash_pandas_object`` of the rows' canonical text (:func:`_canonical_text`), computed
    column by column on each column's distinct values only (a ledger repeats regions, dates and
    numbers a lot) and spread over the rows: the same hashes, without the text of every cell."""
    if frame.empty:
        return pd.Series([], index=frame.index, dtype="string")
    columns = [_column_hashes(frame[c]) for c in frame.columns]
    h = combine_hashes(columns, len(frame))
    return pd.Series(_hex16(h), index=frame.index, dtype="string")


_NA_HASH = int(pd.util.hash_array(np.array(["\x00"], dtype=object), categorize=False)[0])


def _column_hashes(s: pd.Series) -> np.ndarray:
    """What ``hash_pandas_object`` gives each cell of ``s`` as text: the hash of its canonical text."""
    if isinstance(s.dtype, pd.StringDtype) and s.dtype.storage == "pyarrow":
        import pyarrow as pa
        import pyarrow.compute as pc

        arr = s.array.__arrow_array__()
        if isinstance(arr, pa.ChunkedArray):
            arr = arr.combine_chunks()
        if len(arr) > 50_000 and pc.count_distinct(arr.slice(0, 20_000)).as_py() > 18_000:
            # Mostly distinct (ids, free text): each cell's text hashed, no dictionary.
            return pd.util.hash_array(pc.fill_null(arr, "\x00").to_numpy(zero_copy_only=False), categorize=False)
        encoded = pc.dictionary_encode(arr)
        hashed = pd.util.hash_array(encoded.dictionary.to_numpy(zero_copy_only=False), categorize=False)
        table = np.append(hashed.astype(np.uint64), np.uint64(_NA_HASH))
        return table[encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)]
    if isinstance(s.dtype, np.dtype) and s.dtype.kind == "f":
        # By bit pattern: factorize counts -0.0 and 0.0 as one value, their texts differ.
        bits = np.ascontiguousarray(s.to_numpy()).view(np.int64)
        codes, unique_bits = pd.factorize(bits, use_na_sentinel=True)
        uniques = pd.Series(unique_bits.view(np.float64), dtype=s.dtype)
    else:
        codes, unique_values = pd.factorize(s.array, use_na_sentinel=True)
        uniques = pd.Series(unique_values, dtype=s.dtype)
    if isinstance(s.dtype, np.dtype) and s.dtype.kind == "M":  # _canonical_text's, by Arrow: 2024-05-06T14:30:00
        import pyarrow as pa
        import pyarrow.compute as pc

        stamps = pa.array(uniques.to_numpy().astype("datetime64[s]"))
        text = pc.replace_substring(pc.cast(stamps, pa.string()), " ", "T", max_replacements=1).to_numpy(
            zero_copy_only=False
        )
    else:
        text = _canonical_text(pd.DataFrame({"v": uniques}))["v"].to_numpy(dtype=object)
    hashed = pd.util.hash_array(text, categorize=False)
    table = np.append(hashed.astype(np.uint64), np.uint64(_NA_HASH))  # code -1 → the last slot
    return table[np.asarray(codes)]


def combine_hashes(columns: Sequence[np.ndarray], n: int) -> np.ndarray:
    """The cells' hashes combined into the row's, as ``hash_pandas_object`` combines a frame's
    columns (pandas' ``combine_hash_arrays``, after CPython's tuple hash)."""
    mult = np.uint64(1000003)
    out = np.full(n, 0x345678, dtype=np.uint64)
    for i, h in enumerate(columns):
        inverse_i = len(columns) - i
        out ^= h
        out *= mult
        mult += np.uint64(82520 + inverse_i + inverse_i)
    out += np.uint64(97531)
    return out


def _hex16(values: np.ndarray) -> np.ndarray:
    """f"{v:016x}" of each uint64, vectorised."""
    octets = values.astype(">u8").view(np.uint8).reshape(-1, 8)
    digits = np.empty((len(values), 16), dtype=np.uint8)
    digits[:, 0::2] = _HEX[octets >> 4]
    digits[:, 1::2] = _HEX[octets & 15]
    return digits.view("S16").ravel().astype("U16")


def content_ids(prefix: str, frame: pd.DataFrame) -> pd.Series:
    """Ids from the content of the key columns; the n-th repeat of identical content within one
    file gets a ``-n`` suffix so that two identical rows are both kept, and deterministically so."""
    base = prefix + row_hashes(frame)
    occurrence = base.groupby(base).cumcount()
    return base.where(occurrence == 0, base + "-" + (occurrence + 1).astype("string"))
