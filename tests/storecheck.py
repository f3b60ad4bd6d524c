"""Helpers for tests that must prove a store unchanged (a failed import, an undo): every table, every
column, compared exactly with only the row order ignored."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from store import Store


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    """A small input file written in the test's folder."""
    f = tmp_path / name
    f.write_text(text, encoding=encoding)
    return f


def everything(store: Store) -> dict[str, pd.DataFrame]:
    """Every table of the store's data with every column, rows sorted on all columns. The access tables
    (accounts, sessions, the audit trail: store.tables.ACCESS_TABLES) are left out: a login or an audit
    entry is meant to change them."""
    from store.tables import ACCESS_TABLES

    names = sorted(
        n
        for n in store.query("SELECT table_name FROM information_schema.tables")["table_name"]
        if n not in ACCESS_TABLES
    )
    out = {}
    for name in names:
        frame = store.query(f'SELECT * FROM "{name}"')
        out[name] = frame.sort_values(list(frame.columns)).reset_index(drop=True) if len(frame.columns) else frame
    return out


def assert_same(after: dict[str, pd.DataFrame], before: dict[str, pd.DataFrame], skip: tuple[str, ...] = ()) -> None:
    """The same tables with the same contents (``skip``: tables compared elsewhere)."""
    assert list(after) == list(before)
    for name, frame in after.items():
        if name not in skip:
            pd.testing.assert_frame_equal(frame, before[name], check_exact=True, obj=name)
