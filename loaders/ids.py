"""Deterministic row hashes and content ids, so that re-importing a file changes nothing."""

from __future__ import annotations

import numpy as np
import pandas as pd

_HEX = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)


def _canonical_text(frame: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame(index=frame.index)
    for col in frame.columns:
        s = frame[col]
        if isinstance(s.dtype, np.dtype) and s.dtype.kind == "M":  # as strftime("%Y-%m-%dT%H:%M:%S"), faster
            values = s.to_numpy()
            text = pd.Series(np.datetime_as_string(values.astype("datetime64[s]"), unit="s"), index=s.index,
                             dtype="string").mask(np.isnat(values))
        elif pd.api.types.is_datetime64_any_dtype(s):
            text = s.dt.strftime("%Y-%m-%dT%H:%M:%S")
        elif pd.api.types.is_float_dtype(s):
            text = s.round(6).astype("string")
        else:
            text = s.astype("string")
        out[col] = text.astype("string").fillna("\x00")
    return out


def row_hashes(frame: pd.DataFrame) -> pd.Series:
    """A 16-hex-digit hash of each row's values (stable across runs and machines)."""
    if frame.empty:
        return pd.Series([], index=frame.index, dtype="string")
    h = pd.util.hash_pandas_object(_canonical_text(frame), index=False)
    return pd.Series(_hex16(h.to_numpy()), index=h.index, dtype="string")


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
