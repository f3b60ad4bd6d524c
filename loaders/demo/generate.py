"""The demo frames in memory: argument checks, ``generate_demo`` and ``demo_notes``."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from loaders.demo.accidents import _accidents_frame, _profile
from loaders.demo.columns import to_frame
from loaders.demo.common import START, _import_id, _with_provenance
from loaders.demo.hazards import FLAGS, HazardLedger
from loaders.demo.regions import AGGREGATE_ONLY_CITIES, HAZARD_STATS_COUNTIES
from loaders.demo.stats import _accident_stats, _hazard_stats
from loaders.demo.targets import _targets


def _check_args(seed: int, hazards: int, today: dt.date | None, accidents: int | None = None) -> dt.date:
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    if isinstance(hazards, bool) or not isinstance(hazards, (int, np.integer)) or hazards < 0:
        raise ValueError(f"hazards must be a non-negative integer (rows to generate), got {hazards!r}")
    if accidents is not None and (
        isinstance(accidents, bool) or not isinstance(accidents, (int, np.integer)) or accidents < 1
    ):
        raise ValueError(f"accidents must be a positive integer (records to generate) or None, got {accidents!r}")
    today = dt.date.today() if today is None else today
    if isinstance(today, dt.datetime) or not isinstance(today, dt.date):
        raise ValueError(f"today must be a datetime.date, got {today!r}")
    if today < dt.date(2019, 2, 1):
        raise ValueError(f"today must be 2019-02-01 or later (the demo data starts on {START}), got {today}")
    return today


def generate_demo(
    seed: int = 2019, hazards: int = 300_000, today: dt.date | None = None, accidents: int | None = None
) -> dict[str, pd.DataFrame]:
    """Demo frames keyed by kind ('accidents', 'hazards', 'accident-stats', 'hazard-stats', 'targets'), each with
    exactly the columns of its store table; the same arguments always give the same frames.

    Data run from 2019-01-01 to ``today`` (default: the current date); monthly statistics end with the
    last complete month. ``accidents``: how many accident records (None: the national magnitudes, about
    195,000 up to 2026); the aggregate-only cities' statistics and the targets follow them.
    """
    today = _check_args(seed, hazards, today, accidents)
    frames = _generate_small(seed, hazards, today, accidents)
    ledger = HazardLedger(seed, hazards, today)
    tables = list(ledger.batches(stored=False)) or [ledger.table(np.arange(0))]
    frames["hazards"] = hazard_frame(pa.concat_tables(tables))
    return frames


def hazard_frame(table: pa.Table) -> pd.DataFrame:
    """Hazard records as a pandas frame shaped like the other demo frames."""
    return to_frame(table, nullable_flags=[c for c, _ in FLAGS])


def _generate_small(
    seed: int, hazards: int, today: dt.date, accident_records: int | None = None
) -> dict[str, pd.DataFrame]:
    """Every kind but the hazard records."""
    accidents = _accidents_frame(seed, today, accident_records)
    aggregate_only = accidents["city_code"].isin(AGGREGATE_ONLY_CITIES).to_numpy()
    stats = _accident_stats(accidents[aggregate_only], today)
    records = accidents[~aggregate_only].reset_index(drop=True)
    return {
        "accidents": _with_provenance(records, _import_id(seed, "accidents")),
        "accident-stats": _with_provenance(stats, _import_id(seed, "accident-stats")),
        "hazard-stats": _with_provenance(_hazard_stats(seed, hazards, today), _import_id(seed, "hazard-stats")),
        "targets": _with_provenance(_targets(seed, accidents, today), _import_id(seed, "targets")),
    }


def demo_notes(
    seed: int = 2019, hazards: int = 300_000, today: dt.date | None = None, accidents: int | None = None
) -> dict[str, Any]:
    """What the demo data contain beyond the rows: the choices the seed made."""
    today = _check_args(seed, hazards, today, accidents)
    profile = _profile(seed)
    asked = {} if accidents is None else {"accidents": int(accidents)}  # the default's notes stay as they were
    return {
        "generator": "loaders.demo",
        "seed": int(seed),
        "hazards": int(hazards),
        **asked,
        "today": today.isoformat(),
        "aggregate_only_cities": list(AGGREGATE_ONLY_CITIES),
        "hazard_stats_counties": list(HAZARD_STATS_COUNTIES),
        "rising_provinces": list(profile.rising_provinces),
        "rising_industries": list(profile.rising_industries),
    }
