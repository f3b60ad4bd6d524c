"""The four-colour risk index of the child regions of one region, answered from the store (no
Streamlit): the accident frames and the hazard factors put through ``analytics.risk``. The Briefing
page and the risk map read it through ``webapp.state.risk_table`` (cached); the meeting pack calls it
directly."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pandas as pd

import settings
from analytics.risk import RiskConfig, RiskWeights
from domain.periods import Period
from store.duckdb_store import Store

Fetch = Callable[[str, Period], tuple[pd.DataFrame, pd.DataFrame]]


def store_fetch(store: Store) -> Fetch:
    """(cells, statistics) of a region over a period, read from ``store`` (uncached)."""
    from store import queries as q

    def fetch(region: str, period: Period) -> tuple[pd.DataFrame, pd.DataFrame]:
        return (
            q.accident_cells(store, region, period.first_day, period.last_day),
            q.accident_stats_rows(store, region, period.first_year, period.last_year),
        )

    return fetch


def region_risk(
    store: Store, region: str, period: Period, industries: tuple[str, ...] | None, fetch: Fetch | None = None
) -> pd.DataFrame:
    """``analytics.risk.risk_index`` of the children of ``region`` over ``period`` (with the settings'
    weights and thresholds); ``fetch`` reads the accident frames (default: straight from ``store``)."""
    from analytics.risk import risk_factors, risk_index
    from store.queries import data_coverage, hazard_stats_regions
    from store.risk_queries import hazard_factors_by_child

    fetch = fetch or store_fetch(store)
    cells, stats = fetch(region, period)
    previous = fetch(region, period.same_period_last_year())
    hazards = hazard_factors_by_child(store, region, period.first_day, period.last_day, industries)
    factors = risk_factors(
        cells,
        stats,
        hazards,
        region,
        period,
        industries,
        previous=previous,
        coverage=data_coverage(store),
        hazard_reports=tuple(hazard_stats_regions(store, region)),
    )
    return risk_index(factors, risk_config())


def risk_config(environ: Mapping[str, str] | None = None) -> RiskConfig:
    """The risk index's weights, thresholds and rules from the ``SAFETY_RISK_*`` settings (read from
    ``environ``, default the environment; ``{}`` gives the defaults: ``settings.risk_values``). A bad value
    raises ValueError naming the setting, what it got and what it wants."""
    v = settings.risk_values(environ)
    raw: dict[str, str] = v["raw"]  # type: ignore[assignment]
    name = "SAFETY_RISK_WEIGHTS"
    try:
        w = RiskWeights(**v["weights"])  # type: ignore[arg-type]
    except ValueError as exc:
        raise ValueError(f"{name}='{raw[name]}': {exc}") from None
    checks = (
        ("SAFETY_RISK_THRESHOLDS", "thresholds"),
        ("SAFETY_RISK_GRADE_WEIGHTS", "grade weights"),
        ("SAFETY_RISK_TREND_BASE", "trend base"),
        ("SAFETY_RISK_RED_OVERDUE_MAJOR", "red_overdue_major"),
        ("SAFETY_RISK_MAJOR_ACCIDENT_LEVEL", "major_accident_level"),
    )
    try:
        return RiskConfig(
            w,
            v["thresholds"],
            v["grade_weights"],
            v["trend_base"],  # type: ignore[arg-type]
            v["red_overdue_major"],
            v["major_accident_level"],
            v["absolute_caps"],
        )  # type: ignore[arg-type]
    except ValueError as exc:
        setting = next((s for s, word in checks if str(exc).startswith(word)), None)
        if setting is None:
            raise
        raise ValueError(f"{setting}='{raw[setting]}': {exc}") from None
