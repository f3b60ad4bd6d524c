"""What the meeting pack reads beyond the brief: the monthly series, the risk index of the map's regions
and the supervision board (:func:`gather`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pandas as pd

from analytics.brief import Brief
from domain.periods import Period
from domain.regions import map_region_of
from reports.pack_model import PackInputs

# ---------------------------------------------------------------------------------------------- gather

RiskFn = Callable[[str, Period, "tuple[str, ...] | None"], pd.DataFrame]


def gather(
    store, brief: Brief, today: dt.date, fetch=None, risk: RiskFn | None = None, expected: frozenset[str] = frozenset()
) -> PackInputs:
    """Read the monthly series, the risk index and the supervision board behind ``brief`` from ``store``.
    ``fetch(region, period) -> (cells, stats)`` and ``risk(region, period, industries)`` default to
    uncached reads (the app passes its cached ones); ``expected``: the regions the bureau expects data from,
    as the brief was built with (settings.expected_regions)."""
    from analytics.trends import monthly_measures
    from answers.rectification import load
    from answers.region_risk import region_risk, store_fetch
    from store.queries import data_coverage

    fetch = fetch or store_fetch(store)
    coverage = data_coverage(store, expected)
    inds = brief.industries or None
    monthly = monthly_measures(
        fetch(brief.region, brief.period), coverage, brief.region, brief.period, inds, brief.grade_group
    )
    previous = monthly_measures(
        fetch(brief.region, brief.comparison_period),
        coverage,
        brief.region,
        brief.comparison_period,
        inds,
        brief.grade_group,
    )
    map_region = map_region_of(brief.region)
    index = (risk or (lambda r, p, i: region_risk(store, r, p, i, fetch)))(map_region, brief.period, inds)
    rect = load(store, brief.region, brief.period, inds, today)
    return PackInputs(brief, monthly, previous, map_region, index, rect.board, rect.as_of, rect.by_child)
