"""The data-quality panel (数据质量): what in the store deserves a second look, each finding with the
records behind it, and coverage — who reported nothing this month (横向到边、纵向到底: every region
down to the county, every industry).

Findings:

- ``grade_conflict``: accidents whose reported grade contradicts Decree 493 (the stored grade is the
  derived one; the file's is kept as ``grade_reported``);
- ``no_deadline``: hazards with no rectification deadline (cannot be overdue, cannot be judged on time);
- ``future_accident`` / ``future_hazard``: dates after today;
- ``duplicate_id``: ids that a later file supplied again with different content (the later one replaced
  the earlier: worth checking which is right);
- ``no_boundary``: records or reports filed under a region code that no map can draw.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from domain.industries import INDUSTRIES
from domain.regions import children, load_regions
from geo.boundaries import missing_geometries
from store.duckdb_store import Store
from store.quality_queries import (
    FINDING_SQL,
    duplicate_ids_across_files,
    finding_count,
    region_codes_in_use,
    reporting_in_month,
)
from store.queries import _CHILD_KEY

# Taiwan, Hong Kong and Macao are on the map but outside the mainland's reporting system.
NOT_REPORTING = frozenset({"710000", "810000", "820000"})
FINDING_LABELS: dict[str, tuple[str, str]] = {
    "grade_conflict": ("事故等级与493号令不符", "Grade contradicts Decree 493"),
    "no_deadline": ("隐患无整改期限", "Hazards with no deadline"),
    "future_accident": ("事故时间晚于今天", "Accidents dated in the future"),
    "future_hazard": ("隐患日期晚于今天", "Hazard dates in the future"),
    "duplicate_id": (
        "不同文件中的重复编号（内容不同，后者覆盖前者）",
        "Ids supplied again by another file (the later replaced the earlier)",
    ),
    "no_boundary": ("地区无边界（地图上无法显示）", "Regions with no boundary (cannot be drawn)"),
}


@dataclass(frozen=True)
class Finding:
    key: str
    count: int
    table: str  # where its records are: accidents, hazards, several


def findings(store: Store, region: str, today: dt.date) -> list[Finding]:
    """Every finding inside ``region``, with its count (zero included: a clean bill is news too)."""
    out = [Finding(k, finding_count(store, k, region, today), FINDING_SQL[k][0]) for k in FINDING_SQL]
    out.append(Finding("duplicate_id", len(duplicate_ids_across_files(store, region)), "several"))
    out.append(Finding("no_boundary", int(no_boundary(store, region)["rows"].sum()), "several"))
    return out


def no_boundary(store: Store, region: str) -> pd.DataFrame:
    """Region codes in use inside ``region`` that no map can draw: ``region_code``, ``table_name``, ``rows``."""
    used = region_codes_in_use(store, region)
    missing = set(missing_geometries(used["region_code"]))
    return used[used["region_code"].isin(missing)].reset_index(drop=True)


@dataclass(frozen=True)
class Coverage:
    """Who reported in a month: the child regions and the industries with nothing at all."""

    month: str
    silent_children: tuple[str, ...]  # child regions with no hazard record, accident record or hazard report
    silent_industries: tuple[str, ...]  # industries with no hazard record or report in the whole region
    children_total: int
    industries_total: int


def coverage(store: Store, region: str, month_first: dt.date, month_last: dt.date) -> Coverage:
    """横向到边、纵向到底 for one month: which child regions of ``region`` and which industries sent
    nothing (no hazard found, no accident, no monthly hazard report)."""
    regions = load_regions()
    level = regions[region].level if region in regions else "country"
    kids = [c.code for c in children(region) if c.code not in NOT_REPORTING]
    key = _CHILD_KEY.get(level, "region_code")
    seen = reporting_in_month(store, region, month_first, month_last, key)
    reported_children = set(seen["child_code"].dropna().astype(str))
    # a report or record filed at a county under a child counts for the child (the child key does that)
    hazard_side = seen[seen["source"].isin(["hazards", "hazard_stats"])]
    reported_inds = set(hazard_side["industry"].dropna().astype(str))
    return Coverage(
        month=f"{month_first:%Y-%m}",
        silent_children=tuple(k for k in kids if k not in reported_children),
        silent_industries=tuple(i.code for i in INDUSTRIES if i.code not in reported_inds),
        children_total=len(kids),
        industries_total=len(INDUSTRIES),
    )
