"""Read queries behind the pages. SQL stays here; the rules (domain.sources) stay pure."""

from __future__ import annotations

from dataclasses import dataclass, field

from domain.regions import load_regions
from domain.sources import MonthRange, SourcePlan, plan_sources
from store.duckdb_store import Store

ACCIDENT_MEASURES = ("accidents", "deaths", "larger_accidents", "larger_deaths",
                     "major_plus_accidents", "major_plus_deaths")


@dataclass(frozen=True)
class Answer:
    values: dict[str, int]
    plan: SourcePlan
    from_records: dict[str, int] = field(default_factory=dict)
    from_statistics: dict[str, int] = field(default_factory=dict)

    @property
    def source(self) -> str:
        """'records', 'statistics' or 'records+statistics' (different regions, never the same one)."""
        if not self.plan.from_statistics:
            return "records"
        return "statistics" if not any(self.from_records.values()) else "records+statistics"


def _ancestors(code: str) -> tuple[str, ...]:
    regions = load_regions()
    out = []
    parent = regions[code].parent_code if code in regions else None
    while parent is not None:
        out.append(parent)
        parent = regions[parent].parent_code
    return tuple(out)


def _subtree_clause(alias: str = "") -> str:
    a = f"{alias}." if alias else ""
    return f"(? = '100000' OR {a}region_code = ? OR {a}province_code = ? OR {a}city_code = ?)"


def accident_totals(store: Store, region: str, months: MonthRange,
                    industries: tuple[str, ...] | None = None) -> Answer:
    """The six headline accident measures for a region, month range and industries, each region
    answered by exactly one source (see domain.sources). Deaths include the missing (死亡失踪)."""
    region_params = [region, region, region, region]
    ind_clause, ind_params = "", []
    if industries:
        ind_clause = f" AND industry IN ({', '.join('?' for _ in industries)})"
        ind_params = list(industries)
    years = sorted({m[:4] for m in months.months()})
    stats_index = store.query(
        f"SELECT region_code, period, industry FROM accident_stats WHERE {_subtree_clause()} "
        f"AND year BETWEEN ? AND ?",
        [*region_params, int(years[0]), int(years[-1])],
    )
    codes = stats_index["region_code"].unique().tolist() if len(stats_index) else []
    plan = plan_sources(stats_index, months, industries, {c: _ancestors(c) for c in codes})
    exclude = list(plan.from_statistics)
    excl_clause = ""
    if exclude:
        marks = ", ".join("?" for _ in exclude)
        excl_clause = (f" AND NOT (region_code IN ({marks}) OR province_code IN ({marks}) "
                       f"OR coalesce(city_code, '') IN ({marks}))")
    start = f"{months.start}-01"
    rec = store.query(
        f"""SELECT count(*) AS accidents,
                   coalesce(sum(deaths + missing), 0) AS deaths,
                   count(*) FILTER (WHERE grade = 'larger') AS larger_accidents,
                   coalesce(sum(deaths + missing) FILTER (WHERE grade = 'larger'), 0) AS larger_deaths,
                   count(*) FILTER (WHERE grade IN ('major', 'extraordinary')) AS major_plus_accidents,
                   coalesce(sum(deaths + missing) FILTER (WHERE grade IN ('major', 'extraordinary')), 0)
                       AS major_plus_deaths
            FROM accidents
            WHERE {_subtree_clause()} AND occurred_at >= CAST(? AS DATE)
              AND occurred_at < CAST(? AS DATE) + INTERVAL 1 MONTH{ind_clause}{excl_clause}""",
        [*region_params, start, f"{months.end}-01", *ind_params, *exclude, *exclude, *exclude],
    ).iloc[0]
    from_records = {k: int(rec[k]) for k in ACCIDENT_MEASURES}
    from_stats = dict.fromkeys(ACCIDENT_MEASURES, 0)
    for code, granularity in plan.from_statistics.items():
        periods = months.months() if granularity == "month" else months.whole_years()
        ind_sql = " AND industry IS NULL" if not industries else ind_clause
        marks = ", ".join("?" for _ in periods)
        row = store.query(
            f"""SELECT coalesce(sum(accidents), 0) AS accidents, coalesce(sum(deaths), 0) AS deaths,
                       coalesce(sum(larger_accidents), 0) AS larger_accidents,
                       coalesce(sum(larger_deaths), 0) AS larger_deaths,
                       coalesce(sum(major_accidents), 0) AS major_plus_accidents,
                       coalesce(sum(major_deaths), 0) AS major_plus_deaths
                FROM accident_stats WHERE region_code = ? AND period IN ({marks}){ind_sql}""",
            [code, *periods, *(ind_params if industries else [])],
        ).iloc[0]
        for k in ACCIDENT_MEASURES:
            from_stats[k] += int(row[k])
    values = {k: from_records[k] + from_stats[k] for k in ACCIDENT_MEASURES}
    return Answer(values=values, plan=plan, from_records=from_records, from_statistics=from_stats)
