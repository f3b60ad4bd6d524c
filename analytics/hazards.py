"""Hidden-danger rectification (隐患整改): the closed loop, measured. Pure: frames in, numbers out.

The input is a frame of hazard records (``store.hazard_queries.hazard_frame``): one row per hazard with
``grade`` ('general'/'major'), ``found_date``, ``deadline``, ``rectified_date``, ``accepted_date``
(datetime64, NaT when empty), ``status`` (``domain.hazards.HazardStatus``), and for some questions
``enterprise``/``credit_code``, ``category``, ``industry``, ``region_code``, ``supervision_level``, the
five in-place flags and ``funds_wan``.

A hazard's state on a day D is read from its dates; the current ``status`` fills what dates cannot say:

- **rectified by D**: a rectification date on or before D — unless the acceptance failed (验收不通过:
  the hazard went back to rectifying, a reopened hazard), or marked rectified/closed without a date
  (the ledger says so, only the date is missing);
- **closed by D** (验收销号): status closed and an acceptance date on or before D (or none recorded);
- **open on D**: found on or before D and not rectified by D; **overdue** when also past its deadline.

The rates (DOMAIN.md), each over a *base*:

- 整改率 rectification rate = rectified ÷ base; 重大隐患整改率 the same for majors;
- 按期整改率 on-time rate = rectified on or before the deadline ÷ rectified (hazards without a deadline
  or a rectification date cannot be judged and are left out of both, and counted);
- 销号率 closure rate = accepted and closed ÷ base.

Bases: the **cohort** is the hazards found in the period, as they stand at its end; the **cumulative**
base is everything open at the start plus everything found in the period. A zero denominator gives
None (shown "—"), never 0 % or 100 %.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd

from domain.hazards import DONE_STATUSES, HAZARD_STAT_COUNTS, HazardStatus

BASES = ("cohort", "cumulative")
BASE_LABELS = {
    "cohort": ("本期发现口径", "found in the period"),
    "cumulative": ("累计口径（期初未整改＋本期发现）", "cumulative (open at the start + found in the period)"),
}
OVERDUE_BUCKETS = ("1-30", "31-90", "91-180", "180+")
OVERDUE_BUCKET_LABELS = {
    "1-30": ("超期30天以内", "≤ 30 days"),
    "31-90": ("31—90天", "31–90 days"),
    "91-180": ("91—180天", "91–180 days"),
    "180+": ("180天以上", "> 180 days"),
}
FUNNEL_STAGES = ("found", "ordered", "rectified", "closed")
FUNNEL_LABELS = {
    "found": ("发现", "found"),
    "ordered": ("责令整改", "ordered to rectify"),
    "rectified": ("已整改", "rectified"),
    "closed": ("验收销号", "accepted and closed"),
    "acceptance_failed": ("验收不通过（退回整改）", "acceptance failed (back to rectifying)"),
}
FIVE_FLAGS = ("measures_in_place", "funds_in_place", "deadline_in_place", "person_in_place", "plan_in_place")
SUPERVISION_ORDER = {"province": 0, "city": 1, "county": 2, "none": 3}


def _day(day: dt.date | pd.Timestamp) -> pd.Timestamp:
    return pd.Timestamp(day).normalize()


def _ratio(num: int, den: int) -> float | None:
    return num / den if den else None


def rectified_by(h: pd.DataFrame, day: dt.date | pd.Timestamp) -> pd.Series:
    """True where the hazard counts as rectified on ``day`` (see the module's rules)."""
    d = _day(day)
    # a failed acceptance undoes the rectification from the day of that check on (undated: always)
    failed = h["status"].eq(HazardStatus.ACCEPTANCE_FAILED) & ~(h["accepted_date"].notna() & (h["accepted_date"] > d))
    dated = h["rectified_date"].notna() & (h["rectified_date"] <= d)
    undated = h["rectified_date"].isna() & h["status"].isin(DONE_STATUSES)
    return ((dated | undated) & ~failed).fillna(False).astype(bool)


def closed_by(h: pd.DataFrame, day: dt.date | pd.Timestamp) -> pd.Series:
    """True where the hazard was accepted and closed (销号) on or before ``day``."""
    d = _day(day)
    accepted = h["accepted_date"].isna() | (h["accepted_date"] <= d)
    return (h["status"].eq(HazardStatus.CLOSED) & accepted & rectified_by(h, day)).fillna(False).astype(bool)


def open_on(h: pd.DataFrame, day: dt.date | pd.Timestamp) -> pd.Series:
    """Found on or before ``day`` and not rectified by then."""
    return ((h["found_date"] <= _day(day)) & ~rectified_by(h, day)).fillna(False).astype(bool)


def days_overdue(h: pd.DataFrame, day: dt.date | pd.Timestamp) -> pd.Series:
    """Days past the deadline on ``day`` for the hazards open and overdue then; NaN for the others."""
    d = _day(day)
    late = open_on(h, d) & h["deadline"].notna() & (h["deadline"] < d)
    return ((d - h["deadline"]).dt.days).where(late)


def overdue_bucket(days: pd.Series) -> pd.Series:
    """≤ 30, 31–90, 91–180, > 180 days overdue (NaN stays NaN)."""
    return pd.cut(days, bins=[0, 30, 90, 180, np.inf], labels=list(OVERDUE_BUCKETS), right=True).astype(object)


@dataclass(frozen=True)
class RateSet:
    """The four rates over one base, with their numerators and denominators."""

    base: str
    found: int  # the base: hazards in it
    rectified: int
    major_found: int
    major_rectified: int
    closed: int
    on_time: int
    on_time_judged: int  # rectified hazards with both a deadline and a rectification date
    on_time_unknown: int  # rectified hazards that cannot be judged (no deadline or no date)
    records_found: int | None = None  # the base counted from records (closure is known from records only)

    @property
    def rectification_rate(self) -> float | None:
        return _ratio(self.rectified, self.found)

    @property
    def major_rectification_rate(self) -> float | None:
        return _ratio(self.major_rectified, self.major_found)

    @property
    def on_time_rate(self) -> float | None:
        return _ratio(self.on_time, self.on_time_judged)

    @property
    def closure_rate(self) -> float | None:
        return _ratio(self.closed, self.found if self.records_found is None else self.records_found)

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        for k in ("rectification_rate", "major_rectification_rate", "on_time_rate", "closure_rate"):
            out[k] = getattr(self, k)
        return out


def in_base(h: pd.DataFrame, first_day: dt.date, last_day: dt.date, base: str = "cohort") -> pd.Series:
    """The hazards in ``base`` for the period ``first_day``–``last_day``."""
    if base not in BASES:
        raise ValueError(f"base must be one of {', '.join(BASES)}, got {base!r}")
    first, last = _day(first_day), _day(last_day)
    found_in = (h["found_date"] >= first) & (h["found_date"] <= last)
    if base == "cohort":
        return found_in.fillna(False).astype(bool)
    return (found_in | open_on(h, first - pd.Timedelta(days=1))).fillna(False).astype(bool)


def rates(h: pd.DataFrame, first_day: dt.date, last_day: dt.date, base: str = "cohort") -> RateSet:
    """The rectification, major, on-time and closure rates over ``base``, as the hazards stand on
    ``last_day``."""
    b = h[in_base(h, first_day, last_day, base)]
    done = rectified_by(b, last_day)
    major = b["grade"].eq("major")
    judged = done & b["deadline"].notna() & b["rectified_date"].notna()
    on_time = judged & (b["rectified_date"] <= b["deadline"])
    return RateSet(
        base=base,
        found=len(b),
        rectified=int(done.sum()),
        major_found=int(major.sum()),
        major_rectified=int((done & major).sum()),
        closed=int(closed_by(b, last_day).sum()),
        on_time=int(on_time.sum()),
        on_time_judged=int(judged.sum()),
        on_time_unknown=int((done & ~judged).sum()),
    )


def overdue_table(h: pd.DataFrame, day: dt.date | pd.Timestamp) -> pd.DataFrame:
    """Open hazards past their deadline on ``day``, by age bucket: ``bucket``, ``all``, ``major``."""
    days = days_overdue(h, day)
    bucket = overdue_bucket(days)
    major = h["grade"].eq("major")
    rows = [
        {"bucket": b, "all": int((bucket == b).sum()), "major": int(((bucket == b) & major).sum())}
        for b in OVERDUE_BUCKETS
    ]
    return pd.DataFrame(rows)


def funnel(h: pd.DataFrame, first_day: dt.date, last_day: dt.date) -> dict[str, int]:
    """The closed loop for the hazards found in the period, as they stand on ``last_day``: how many
    were found, ordered to rectify (everything no longer merely 'found'), rectified, and accepted and
    closed; and how many failed acceptance and went back to rectifying. Each stage includes the later
    ones (a closed hazard was also ordered and rectified)."""
    b = h[in_base(h, first_day, last_day, "cohort")]
    done = rectified_by(b, last_day)
    closed = closed_by(b, last_day)
    failed = b["status"].eq(HazardStatus.ACCEPTANCE_FAILED)
    ordered = done | failed | b["status"].ne(HazardStatus.FOUND)
    return {
        "found": len(b),
        "ordered": int(ordered.sum()),
        "rectified": int(done.sum()),
        "closed": int(closed.sum()),
        "acceptance_failed": int(failed.sum()),
    }


def days_to_rectify(h: pd.DataFrame, first_day: dt.date, last_day: dt.date) -> dict[str, float | int | None]:
    """Days from finding to rectifying, for the hazards rectified in the period: ``n``, ``median``,
    ``p90`` (None when none was rectified)."""
    first, last = _day(first_day), _day(last_day)
    done = rectified_by(h, last) & h["rectified_date"].between(first, last)
    days = (h.loc[done, "rectified_date"] - h.loc[done, "found_date"]).dt.days.clip(lower=0)
    if days.empty:
        return {"n": 0, "median": None, "p90": None}
    return {"n": int(len(days)), "median": float(days.median()), "p90": float(days.quantile(0.9))}


def month_ends(first_month: str, last_month: str, until: dt.date | None = None) -> list[tuple[str, pd.Timestamp]]:
    """(YYYY-MM, last day) for each month from ``first_month`` to ``last_month``, the last one cut at
    ``until``."""
    out = []
    for p in pd.period_range(first_month, last_month, freq="M"):
        end = p.end_time.normalize()
        if until is not None:
            end = min(end, _day(until))
        out.append((str(p), end))
    return out


def backlog(h: pd.DataFrame, months: list[tuple[str, pd.Timestamp]]) -> pd.DataFrame:
    """The open backlog at each month's end: ``month``, ``open``, ``open_major``, ``overdue``."""
    major = h["grade"].eq("major")
    rows = []
    for month, end in months:
        is_open = open_on(h, end)
        late = is_open & h["deadline"].notna() & (h["deadline"] < end)
        rows.append(
            {
                "month": month,
                "open": int(is_open.sum()),
                "open_major": int((is_open & major).sum()),
                "overdue": int(late.sum()),
            }
        )
    return pd.DataFrame(rows, columns=["month", "open", "open_major", "overdue"])


def enterprise_key(h: pd.DataFrame) -> pd.Series:
    """One enterprise: its unified social credit code when known, else its name."""
    code = h["credit_code"].astype("string").str.strip() if "credit_code" in h else pd.Series(pd.NA, index=h.index)
    name = h["enterprise"].astype("string").str.strip()
    return code.where(code.notna() & code.ne(""), name)


def repeats(h: pd.DataFrame, first_day: dt.date, last_day: dt.date, window_days: int = 365) -> pd.DataFrame:
    """Hazards found in the period whose enterprise had a hazard of the same category in the
    ``window_days`` before (the same enterprise, the same category, again within 12 months). Columns
    of ``h`` plus ``enterprise_key``, ``previous_id``, ``previous_found``, ``days_since``. Hazards
    without a category cannot repeat."""
    first, last = _day(first_day), _day(last_day)
    x = h[h["category"].notna() & h["category"].astype("string").str.strip().ne("")].copy()
    x["enterprise_key"] = enterprise_key(x)
    x = x.sort_values(["enterprise_key", "category", "found_date", "hazard_id"], kind="stable")
    grp = x.groupby(["enterprise_key", "category"], sort=False)
    x["previous_found"] = grp["found_date"].shift()
    x["previous_id"] = grp["hazard_id"].shift()
    x["days_since"] = (x["found_date"] - x["previous_found"]).dt.days
    hit = x["found_date"].between(first, last) & x["days_since"].notna() & (x["days_since"] <= window_days)
    return x[hit].reset_index(drop=True)


def five_in_place(h: pd.DataFrame) -> pd.Series:
    """How many of the five (五到位: measures, funds, deadline, person, plan) are in place, 0–5."""
    flags = [h[f].fillna(False).astype(bool) for f in FIVE_FLAGS if f in h]
    return sum(f.astype(int) for f in flags) if flags else pd.Series(0, index=h.index)


def supervision_board(h: pd.DataFrame, day: dt.date | pd.Timestamp) -> pd.DataFrame:
    """Every major hazard listed for supervision (挂牌督办) that is open on ``day``, most urgent first:
    the most days overdue, then the highest supervision level, then the nearest deadline. Adds
    ``days_overdue`` (0 when not yet due), ``days_left`` (to the deadline, negative when past) and
    ``five_in_place`` (0–5) and ``status_then``: its state on ``day`` (open, so: acceptance failed,
    still only found, or rectifying), which for a past day may differ from today's ``status``."""
    d = _day(day)
    m = h[h["grade"].eq("major") & h["supervision_level"].ne("none") & open_on(h, d)].copy()
    s = HazardStatus
    m["status_then"] = np.where(
        m["status"].eq(s.ACCEPTANCE_FAILED),
        s.ACCEPTANCE_FAILED.value,
        np.where(m["status"].eq(s.FOUND), s.FOUND.value, s.RECTIFYING.value),
    )
    m["days_overdue"] = days_overdue(m, d).fillna(0).astype(int)
    m["days_left"] = (m["deadline"] - d).dt.days
    m["five_in_place"] = five_in_place(m)
    m["_level"] = m["supervision_level"].map(SUPERVISION_ORDER).fillna(9)
    m = m.sort_values(
        ["days_overdue", "_level", "deadline", "hazard_id"],
        ascending=[False, True, True, True],
        na_position="last",
        kind="stable",
    )
    return m.drop(columns="_level").reset_index(drop=True)


def rank_worst_first(counts: pd.DataFrame) -> pd.DataFrame:
    """``counts`` (``found``, ``rectified``, ``open_major_overdue``, …) with the cohort ``rate`` (None for
    nothing found), worst first: the lowest rate, then the most overdue majors, then the most found; a
    group without a rate last; ties keep ``counts``' order. The index is reset."""
    out = counts.copy()
    out["rate"] = [_ratio(r, f) for r, f in zip(out["rectified"], out["found"], strict=True)]
    out["_r"] = out["rate"].astype(float).fillna(2.0)
    out = out.sort_values(["_r", "open_major_overdue", "found"], ascending=[True, False, False], kind="stable")
    return out.drop(columns="_r").reset_index(drop=True)


def ranking(h: pd.DataFrame, by: str, first_day: dt.date, last_day: dt.date, as_of: dt.date) -> pd.DataFrame:
    """Per value of column ``by`` (a child-region or industry column): ``found``, ``rectified``,
    ``rate`` (cohort), ``open_major_overdue`` and ``open_overdue`` on ``as_of``; worst first (the
    lowest rate, then the most overdue majors). Groups with no hazard in the period keep a None rate."""
    cohort = in_base(h, first_day, last_day, "cohort")
    done = rectified_by(h, last_day)
    late = days_overdue(h, as_of).notna()
    major = h["grade"].eq("major")
    frame = pd.DataFrame(
        {
            by: h[by],
            "found": cohort,
            "rectified": cohort & done,
            "open_overdue": late,
            "open_major_overdue": late & major,
        }
    )
    return rank_worst_first(frame.groupby(by, sort=True).sum().astype(int).reset_index())  # ties: in key order


# ---- submitted statistics (月报表): where a region sends only the monthly report -----------------

STATS_COUNTS = HAZARD_STAT_COUNTS


def stats_rates(stats: pd.DataFrame) -> RateSet:
    """The cohort rates from monthly-report rows (the report counts the hazards found in the month and,
    of those, the rectified). On-time cannot be told from a report; closure is known for majors only,
    so it is left out (0 of 0)."""
    s = {
        c: int(pd.to_numeric(stats[c], errors="coerce").fillna(0).sum()) if c in stats else 0
        for c in ("general_found", "general_rectified", "major_found", "major_rectified")
    }
    return RateSet(
        base="cohort",
        found=s["general_found"] + s["major_found"],
        rectified=s["general_rectified"] + s["major_rectified"],
        major_found=s["major_found"],
        major_rectified=s["major_rectified"],
        closed=0,
        on_time=0,
        on_time_judged=0,
        on_time_unknown=0,
    )


def combine(records: RateSet, stats: RateSet | None) -> RateSet:
    """Records for the regions that send records plus statistics for the regions that send the
    monthly report (disjoint regions: nothing is counted twice). Closure and on-time stay records-only."""
    if stats is None:
        return records
    return RateSet(
        base=records.base,
        found=records.found + stats.found,
        rectified=records.rectified + stats.rectified,
        major_found=records.major_found + stats.major_found,
        major_rectified=records.major_rectified + stats.major_rectified,
        closed=records.closed,
        on_time=records.on_time,
        on_time_judged=records.on_time_judged,
        on_time_unknown=records.on_time_unknown,
        records_found=records.found,
    )


# ---- the official monthly report (工矿企业隐患排查治理情况月报表) ------------------------------------

REPORT_COLUMNS = (
    "industry",
    "units",
    "general_found",
    "general_rectified",
    "general_rate",
    "major_found",
    "major_rectified",
    "major_closed",
    "major_rate",
    "major_in_plan",
    "major_five_in_place",
    "major_supervised",
    "major_supervised_province",
    "funds_wan",
)


def report_rows_from_records(h: pd.DataFrame, first_day: dt.date, last_day: dt.date) -> pd.DataFrame:
    """The report's counts per industry from hazard records, for the hazards found in the period as
    they stand on ``last_day``:

    - 排查单位数 ``units``: enterprises with a hazard found in the period;
    - 一般/重大隐患 found and rectified; 重大隐患已销号 ``major_closed``;
    - of the majors not yet rectified: 列入治理计划 ``major_in_plan`` (a remediation plan, i.e. measures,
      in place) and 五到位 ``major_five_in_place`` (all five in place);
    - 挂牌督办 ``major_supervised`` (majors listed at any level) and 其中省级 ``major_supervised_province``;
    - 治理资金 ``funds_wan`` (万元) of the hazards found in the period.
    """
    b = h[in_base(h, first_day, last_day, "cohort")].copy()
    done = rectified_by(b, last_day)
    major = b["grade"].eq("major")
    open_major = major & ~done
    five = five_in_place(b)
    frame = pd.DataFrame(
        {
            "industry": b["industry"],
            "general_found": ~major,
            "general_rectified": ~major & done,
            "major_found": major,
            "major_rectified": major & done,
            "major_closed": major & closed_by(b, last_day),
            "major_in_plan": open_major
            & b.get("measures_in_place", pd.Series(False, index=b.index)).fillna(False).astype(bool),
            "major_five_in_place": open_major & five.eq(len(FIVE_FLAGS)),
            "major_supervised": major & b["supervision_level"].ne("none"),
            "major_supervised_province": major & b["supervision_level"].eq("province"),
        }
    )
    counts = frame.groupby("industry", sort=False).sum().astype(int)
    counts["units"] = enterprise_key(b).groupby(b["industry"]).nunique()
    counts["funds_wan"] = pd.to_numeric(b["funds_wan"], errors="coerce").groupby(b["industry"]).sum(min_count=1)
    return counts.reset_index()


def report_table(parts: list[pd.DataFrame], industries: list[str]) -> pd.DataFrame:
    """The report table: one row per industry in ``industries`` (zeros where nothing was found) plus
    the 合计 row (``industry`` = 'total'), summing ``parts`` (record rows and submitted-statistics rows
    of disjoint regions), with the two rates recomputed (None for a zero denominator)."""
    counts = list(STATS_COUNTS)
    frames = [p.reindex(columns=["industry", *counts, "funds_wan"]) for p in parts if len(p)]
    if frames:
        allrows = pd.concat(frames, ignore_index=True)
        summed = allrows.groupby("industry", sort=False)[counts].sum(min_count=1)
        funds = allrows.groupby("industry", sort=False)["funds_wan"].sum(min_count=1)
    else:
        summed = pd.DataFrame(columns=counts, dtype=float)
        funds = pd.Series(dtype=float)
    order = [*industries, *[i for i in summed.index if i not in industries]]
    table = summed.reindex(order).fillna(0).astype(int)
    table["funds_wan"] = funds.reindex(order).astype(float)
    table.loc["total"] = [*table[counts].sum().astype(int), table["funds_wan"].sum(min_count=1)]
    table = table.reset_index(names="industry")
    for c in counts:
        table[c] = table[c].astype(int)
    table["general_rate"] = [
        _ratio(r, f) for r, f in zip(table["general_rectified"], table["general_found"], strict=True)
    ]
    table["major_rate"] = [_ratio(r, f) for r, f in zip(table["major_rectified"], table["major_found"], strict=True)]
    return table[list(REPORT_COLUMNS)]


# ---- one question answered: the rectification page, the brief -------------------------------------


def in_regions(h: pd.DataFrame, codes: list[str] | tuple[str, ...]) -> pd.Series:
    """Rows filed in any of ``codes`` or inside them (by region, city or province code)."""
    if not codes:
        return pd.Series(False, index=h.index)
    wanted = list(codes)
    return (h["region_code"].isin(wanted) | h["city_code"].isin(wanted) | h["province_code"].isin(wanted)).fillna(False)


@dataclass(frozen=True)
class Rectification:
    """Everything the rectification page shows for one region, period and set of industries."""

    first_day: dt.date
    last_day: dt.date
    as_of: dt.date  # the day overdue is counted on: the period's end, or today in the current period
    cohort: RateSet
    cumulative: RateSet
    cohort_last_year: RateSet
    cumulative_last_year: RateSet
    open_total: int
    open_major: int
    open_overdue: int
    open_major_overdue: int
    overdue: pd.DataFrame
    funnel: dict[str, int]
    flow: dict[str, float | int | None]
    backlog: pd.DataFrame
    by_child: pd.DataFrame
    by_industry: pd.DataFrame
    board: pd.DataFrame
    statistics_regions: tuple[str, ...]  # regions answered from their monthly reports
    partially_covered: tuple[str, ...]  # regions whose monthly reports cover part of the period only

    @property
    def source(self) -> str:
        return "records+statistics" if self.statistics_regions else "records"

    def rates(self, base: str, last_year: bool = False) -> RateSet:
        if base not in BASES:
            raise ValueError(f"base must be one of {', '.join(BASES)}, got {base!r}")
        return getattr(self, base + ("_last_year" if last_year else ""))


def _stats_part(stats: pd.DataFrame, from_statistics: list[str], months: list[str]) -> pd.DataFrame:
    if stats.empty or not from_statistics:
        return stats.iloc[0:0]
    return stats[in_regions(stats, from_statistics) & stats["period"].isin(months)]


def rectification(
    h: pd.DataFrame,
    stats: pd.DataFrame,
    first_day: dt.date,
    last_day: dt.date,
    months: list[str],
    last_year: tuple[dt.date, dt.date, list[str]],
    as_of: dt.date,
    from_statistics: list[str],
    partially_covered: tuple[str, ...] = (),
    backlog_months: list[tuple[str, pd.Timestamp]] | None = None,
) -> Rectification:
    """Measure the closed loop. ``h``: hazard records (``store.hazard_queries.hazard_frame``, with
    ``child_code``) reaching back far enough for last year's period, the repeats window and the backlog;
    ``stats``: submitted monthly-report rows; ``from_statistics``: the regions whose reports answer
    (``domain.sources.plan_sources``) — their records are left out, their reports counted instead, in
    the found/rectified rates only (a report says nothing of deadlines, closures or the backlog)."""
    recs = h[~in_regions(h, from_statistics)]
    ly_first, ly_last, ly_months = last_year
    st_now = _stats_part(stats, from_statistics, months)
    st_ly = _stats_part(stats, from_statistics, ly_months)
    cohort = combine(rates(recs, first_day, last_day, "cohort"), stats_rates(st_now) if len(st_now) else None)
    cohort_ly = combine(rates(recs, ly_first, ly_last, "cohort"), stats_rates(st_ly) if len(st_ly) else None)
    cumulative = rates(recs, first_day, last_day, "cumulative")
    cumulative_ly = rates(recs, ly_first, ly_last, "cumulative")
    is_open = open_on(recs, as_of)
    late = days_overdue(recs, as_of).notna()
    major = recs["grade"].eq("major")
    by_child = ranking(recs.assign(child_code=recs["child_code"].fillna("")), "child_code", first_day, last_day, as_of)
    by_child = by_child[by_child["child_code"] != ""].reset_index(drop=True)
    if len(st_now):
        extra = st_now.groupby("child_code")[
            ["general_found", "general_rectified", "major_found", "major_rectified"]
        ].sum()
        by_child = _add_stats_to_ranking(by_child, extra, "child_code")
    by_industry = ranking(recs, "industry", first_day, last_day, as_of)
    if len(st_now):
        extra = st_now.groupby("industry")[
            ["general_found", "general_rectified", "major_found", "major_rectified"]
        ].sum()
        by_industry = _add_stats_to_ranking(by_industry, extra, "industry")
    return Rectification(
        first_day=first_day,
        last_day=last_day,
        as_of=as_of,
        cohort=cohort,
        cumulative=cumulative,
        cohort_last_year=cohort_ly,
        cumulative_last_year=cumulative_ly,
        open_total=int(is_open.sum()),
        open_major=int((is_open & major).sum()),
        open_overdue=int(late.sum()),
        open_major_overdue=int((late & major).sum()),
        overdue=overdue_table(recs, as_of),
        funnel=funnel(recs, first_day, last_day),
        flow=days_to_rectify(recs, first_day, last_day),
        backlog=backlog(recs, backlog_months or []),
        by_child=by_child,
        by_industry=by_industry,
        board=supervision_board(recs, as_of),
        statistics_regions=tuple(sorted(from_statistics)),
        partially_covered=tuple(partially_covered),
    )


def _add_stats_to_ranking(ranked: pd.DataFrame, extra: pd.DataFrame, by: str) -> pd.DataFrame:
    """Add monthly-report counts (found, rectified) to a ranking, re-rate and re-sort it."""
    add = pd.DataFrame(
        {
            "found": extra["general_found"] + extra["major_found"],
            "rectified": extra["general_rectified"] + extra["major_rectified"],
        }
    ).astype(int)
    base = ranked.set_index(by)
    merged = base.reindex(base.index.union(add.index))
    for c in ("found", "rectified", "open_overdue", "open_major_overdue"):
        merged[c] = merged[c].fillna(0).astype(int)
    merged.loc[add.index, "found"] += add["found"]
    merged.loc[add.index, "rectified"] += add["rectified"]
    return rank_worst_first(merged.reset_index(names=by))


def enterprises(h: pd.DataFrame, repeated: pd.DataFrame, as_of: dt.date, top: int = 20) -> pd.DataFrame:
    """The enterprises with the most open or repeated hazards: ``enterprise_key``, ``enterprise``,
    ``region_code``, ``industry``, ``open``, ``open_major``, ``overdue``, ``repeats``; most open first."""
    key = enterprise_key(h)
    is_open = open_on(h, as_of)
    frame = pd.DataFrame(
        {
            "enterprise_key": key,
            "enterprise": h["enterprise"],
            "region_code": h["region_code"],
            "industry": h["industry"],
            "open": is_open,
            "open_major": is_open & h["grade"].eq("major"),
            "overdue": days_overdue(h, as_of).notna(),
        }
    )
    frame = frame[frame["open"]]
    g = frame.groupby("enterprise_key", sort=False)
    out = g[["open", "open_major", "overdue"]].sum().astype(int)
    out = out.join(g[["enterprise", "region_code", "industry"]].min())
    rep = (
        repeated.groupby("enterprise_key").size().rename("repeats")
        if len(repeated)
        else pd.Series(dtype=int, name="repeats")
    )
    out = out.join(rep, how="outer")
    if len(repeated):
        first = repeated.groupby("enterprise_key")[["enterprise", "region_code", "industry"]].min()
        for c in ("enterprise", "region_code", "industry"):
            out[c] = out[c].fillna(first[c].reindex(out.index))
    for c in ("open", "open_major", "overdue", "repeats"):
        out[c] = out[c].fillna(0).astype(int)
    out = out.reset_index(names="enterprise_key")
    out = out.sort_values(
        ["open_major", "open", "repeats", "enterprise_key"], ascending=[False, False, False, True], kind="stable"
    ).head(top)
    return out.reset_index(drop=True)[
        ["enterprise_key", "enterprise", "region_code", "industry", "open", "open_major", "overdue", "repeats"]
    ]
