"""Settings in one declarative place: name, default, help. Read from the environment and checked
at start, with a clear message for a bad value."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("SAFETY_DB", "data/safety.duckdb", "the store file; created with demo data on first use"),
    Setting("SAFETY_DEMO", "1", "0 starts a new default store empty instead of with demo data"),
    Setting("SAFETY_TODAY", "", "pretend today is this date (YYYY-MM-DD), for demos and tests; empty = the real date"),
)


def get(name: str) -> str:
    setting = next(s for s in SETTINGS if s.name == name)
    return os.environ.get(name, setting.default)


def today() -> dt.date:
    """Today's date, or ``SAFETY_TODAY`` when set."""
    value = get("SAFETY_TODAY").strip()
    if not value:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"SAFETY_TODAY='{value}' is not a date (expected YYYY-MM-DD, e.g. 2025-06-15)") from None
