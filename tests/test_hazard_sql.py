"""The rectification measures counted by DuckDB (store.hazard_measures, through answers.rectification)
agree with the domain rules written in pandas (analytics.hazards, the reference): on the hand-counted
ledger of test_hazards imported into a store, and on the demo store for several questions."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from conftest import DEMO_TODAY
from test_hazards import LEDGER

from analytics.hazards import Rectification, month_ends, rectification, report_rows_from_records, report_table
from answers.rectification import (
    BACKLOG_MONTHS,
    _history_from,
    _plan,
    enterprise_list,
    enterprise_records,
    load,
    monthly_report,
    summary,
)
from domain.industries import INDUSTRIES
from domain.periods import Period, shift_month
from loaders.importer import import_file
from store import Store, open_store
from store.hazard_measures import Scope, closed_by, open_on, overdue_on, rectified_by
from store.hazard_queries import hazard_frame, hazard_stats_rows

STATUS_ZH = {
    "closed": "已销号",
    "rectified": "已整改",
    "rectifying": "整改中",
    "acceptance_failed": "验收不通过",
    "found": "未整改",
}
LEVEL_ZH = {"none": "", "province": "省级", "city": "市级", "county": "县级"}


def reference(store: Store, region: str, period: Period, industries, today: dt.date) -> Rectification:
    """The page's answer the way it was computed before: every record in pandas."""
    ly = period.same_period_last_year()
    h = hazard_frame(store, region, _history_from(period), period.last_day, industries)
    stats = hazard_stats_rows(store, region, period.months() + ly.months(), industries)
    now_regions, partial = _plan(stats[stats["period"].isin(period.months())], period)
    as_of = min(period.last_day, today)
    months = month_ends(shift_month(period.end, -(BACKLOG_MONTHS - 1)), period.end, until=as_of)
    return rectification(
        h,
        stats,
        period.first_day,
        period.last_day,
        period.months(),
        (ly.first_day, ly.last_day, ly.months()),
        as_of,
        now_regions,
        partial,
        months,
    )


def reference_enterprises(store: Store, region: str, period: Period, industries, today: dt.date):
    from analytics.hazards import enterprises, in_regions, repeats

    h = hazard_frame(store, region, _history_from(period), period.last_day, industries)
    stats = hazard_stats_rows(store, region, period.months(), industries)
    now_regions, _ = _plan(stats, period)
    recs = h[~in_regions(h, now_regions)]
    reps = repeats(recs, period.first_day, period.last_day)
    return enterprises(recs, reps, min(period.last_day, today)), len(reps)


def assert_same_enterprises(store: Store, region: str, period: Period, industries, today: dt.date) -> None:
    got, n = enterprise_list(store, region, period, industries, today)
    want, n_want = reference_enterprises(store, region, period, industries, today)
    assert n == n_want
    pd.testing.assert_frame_equal(got, want, check_dtype=False, obj="enterprises")


def reference_report(store: Store, region: str, period: Period, industries, today: dt.date) -> pd.DataFrame:
    from analytics.hazards import in_base, in_regions

    h = hazard_frame(store, region, period.first_day, period.last_day, industries)
    stats = hazard_stats_rows(store, region, period.months(), industries)
    from_stats, _ = _plan(stats, period)
    recs = h[~in_regions(h, from_stats) & in_base(h, period.first_day, period.last_day)]
    parts = [report_rows_from_records(recs, period.first_day, min(period.last_day, today))]
    if from_stats:
        parts.append(stats[in_regions(stats, from_stats)])
    return report_table(parts, [i.code for i in INDUSTRIES if not industries or i.code in industries])


def assert_same(got: Rectification, want: Rectification) -> None:
    for name in (
        "first_day",
        "last_day",
        "as_of",
        "cohort",
        "cumulative",
        "cohort_last_year",
        "cumulative_last_year",
        "open_total",
        "open_major",
        "open_overdue",
        "open_major_overdue",
        "funnel",
        "statistics_regions",
        "partially_covered",
    ):
        assert getattr(got, name) == getattr(want, name), name
    assert got.flow["n"] == want.flow["n"]
    for k in ("median", "p90"):
        assert (got.flow[k] is None and want.flow[k] is None) or got.flow[k] == pytest.approx(want.flow[k]), k
    pd.testing.assert_frame_equal(got.overdue, want.overdue, check_dtype=False)
    pd.testing.assert_frame_equal(got.backlog, want.backlog, check_dtype=False)
    for name in ("by_child", "by_industry"):
        pd.testing.assert_frame_equal(getattr(got, name), getattr(want, name), check_dtype=False, obj=name)
    board_cols = ["hazard_id", "days_overdue", "days_left", "five_in_place", "status_then"]
    pd.testing.assert_frame_equal(got.board[board_cols], want.board[board_cols], check_dtype=False, obj="board")


# ---------------------------------------------------------------- the hand-counted ledger, in a store


@pytest.fixture(scope="module")
def ledger_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    folder = tmp_path_factory.mktemp("ledger")
    industries = ["危险化学品"] * 6 + ["建筑施工"] * 6
    funds = [1.0, 2.0, None, 0.5, 30.0, 12.0, None, 0.5, 1.0, 50.0, 1.0, 1.0]
    lines = [
        "隐患编号,企业名称,所在地区,行业领域,隐患级别,隐患类别,发现日期,整改期限,整改完成日期,验收日期,整改状态,"
        "挂牌督办,整改资金,措施到位,资金到位,时限到位,责任人到位,预案到位"
    ]
    for i, (hid, grade, found, deadline, rect, acc, status, ent, cat, level) in enumerate(LEDGER):
        person = "否" if hid == "H10" else "是"
        lines.append(
            ",".join(
                [
                    hid,
                    ent,
                    "430102",
                    industries[i],
                    "重大" if grade == "major" else "一般",
                    cat,
                    found,
                    deadline or "",
                    rect or "",
                    acc or "",
                    STATUS_ZH[status],
                    LEVEL_ZH[level],
                    "" if funds[i] is None else str(funds[i]),
                    "是",
                    "是",
                    "是",
                    person,
                    "是",
                ]
            )
        )
    (folder / "ledger.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    store = open_store(folder / "ledger.duckdb")
    result = import_file(store, folder / "ledger.csv", "hazards")
    assert result.rejected == 0 and result.new == len(LEDGER), result
    return store


def test_the_stored_ledger_reads_back_as_the_reference_ledger(ledger_store: Store) -> None:
    h = hazard_frame(ledger_store, "430000", dt.date(2020, 1, 1), dt.date(2024, 12, 31))
    assert sorted(h["status"]) == sorted(row[6] for row in LEDGER)
    assert sorted(h["supervision_level"]) == sorted(row[9] for row in LEDGER)


@pytest.mark.parametrize(
    "day",
    ["2024-02-29", "2024-03-01", "2024-03-10", "2024-03-25", "2024-03-31", "2024-04-10", "2024-04-20", "2024-12-31"],
)
def test_the_state_rules_in_sql_agree_with_pandas_on_every_hazard(ledger_store: Store, day: str) -> None:
    """rectified by / closed by / open on / overdue on: hazard by hazard, on days that cross each date."""
    from analytics import hazards as ref

    d = dt.date.fromisoformat(day)
    lit = f"DATE '{day}'"
    got = ledger_store.query(f"""SELECT hazard_id, {rectified_by(lit)} AS done, {closed_by(lit)} AS closed,
                                        {open_on(lit)} AS open, {overdue_on(lit)} AS late
                                 FROM hazards ORDER BY hazard_id""").set_index("hazard_id")
    h = hazard_frame(ledger_store, "430000", dt.date(2020, 1, 1), dt.date(2030, 1, 1)).set_index("hazard_id")
    h = h.loc[got.index]
    assert got["done"].tolist() == ref.rectified_by(h, d).tolist()
    assert got["closed"].tolist() == ref.closed_by(h, d).tolist()
    assert got["open"].tolist() == ref.open_on(h, d).tolist()
    assert got["late"].tolist() == ref.days_overdue(h, d).notna().tolist()


@pytest.mark.parametrize(
    ("period", "today"),
    [
        ("2024-03", dt.date(2024, 12, 31)),
        ("2024-03", dt.date(2024, 3, 20)),
        ("2024-Q1", dt.date(2025, 1, 1)),
        ("2024", dt.date(2024, 4, 5)),
        ("2023-06..2024-04", dt.date(2025, 1, 1)),
    ],
)
def test_the_ledger_page_answer_equals_the_reference(ledger_store: Store, period: str, today: dt.date) -> None:
    p = Period.parse(period).cut_at(today)
    got = load(ledger_store, "430000", p, None, today)
    assert_same(got, reference(ledger_store, "430000", p, None, today))
    assert_same_enterprises(ledger_store, "430000", p, None, today)
    pd.testing.assert_frame_equal(
        monthly_report(ledger_store, "430000", p, None, today),
        reference_report(ledger_store, "430000", p, None, today),
        check_dtype=False,
    )


def test_the_ledger_by_hand(ledger_store: Store) -> None:
    """March 2024 as test_hazards counts it by hand, now counted by the store."""
    r = load(ledger_store, "430102", Period.parse("2024-03"), None, dt.date(2024, 12, 31))
    assert (r.cohort.found, r.cohort.rectified, r.cohort.major_found, r.cohort.major_rectified) == (8, 4, 2, 0)
    assert (r.cohort.on_time, r.cohort.on_time_judged, r.cohort.on_time_unknown, r.cohort.closed) == (1, 2, 2, 1)
    assert (r.cumulative.found, r.cumulative.rectified, r.cumulative.major_found) == (10, 5, 3)
    assert r.funnel == {"found": 8, "ordered": 7, "rectified": 4, "closed": 1, "acceptance_failed": 1}
    s = summary(ledger_store, "430102", dt.date(2024, 3, 1), dt.date(2024, 3, 31))
    # open majors on 31 March: H5 (reopened), H6 (rectified in April), H10 (since 2023)
    assert (s["found"], s["rectified"], s["open_major"]) == (8, 4, 3)
    mine = enterprise_records(ledger_store, "430102", Period.parse("2024-03"), None, "甲厂")
    assert mine["hazard_id"].tolist() == ["H8", "H2", "H1", "H11"]  # newest first (H12 is found after March)


def test_scope_refuses_an_unknown_region_and_bad_codes() -> None:
    with pytest.raises(ValueError, match="region must be a GB/T 2260 code"):
        Scope("12345", dt.date(2024, 1, 31), dt.date(2023, 1, 1))
    with pytest.raises(ValueError, match="six digits"):
        Scope("430000", dt.date(2024, 1, 31), dt.date(2023, 1, 1), exclude=["43'; DROP TABLE hazards; --"])


# ---------------------------------------------------------------- the demo store


@pytest.mark.parametrize(
    ("region", "period", "industries"),
    [
        ("100000", "2024", None),
        ("430000", "2024-Q2", None),
        ("430100", "2024-03", None),
        ("430000", "2025-01..2025-06", ("construction", "chemicals")),
        ("500000", "2025-01..2025-05", None),
        ("430181", "2024", None),
    ],
)
def test_the_demo_page_answer_equals_the_reference(demo_db: Path, region: str, period: str, industries) -> None:
    store = Store(demo_db)
    p = Period.parse(period).cut_at(DEMO_TODAY)
    got = load(store, region, p, industries, DEMO_TODAY)
    want = reference(store, region, p, industries, DEMO_TODAY)
    assert want.cohort.found > 0  # a question with real numbers
    assert_same(got, want)
    assert_same_enterprises(store, region, p, industries, DEMO_TODAY)
    pd.testing.assert_frame_equal(
        monthly_report(store, region, p, industries, DEMO_TODAY),
        reference_report(store, region, p, industries, DEMO_TODAY),
        check_dtype=False,
    )


# ---------------------------------------------------------------- a later failed acceptance

# (id, rectified, acceptance check that failed) — found 2024-01-05, deadline 2024-01-31, status 验收不通过.
# (A check dated before the rectification, or without one, is refused by the importer.)
FAILED = [
    ("F1", "2024-01-20", "2024-04-05"),  # rectified in January, failed the check in April: open again from April
    ("F4", "2024-02-10", None),  # no date of the check: never counted rectified (as before)
    ("F5", "2024-02-10", "2024-02-20"),  # rectified for ten days
]
# As of each day: which count as rectified.
FAILED_CASES = [
    ("2024-01-31", {"F1"}),
    ("2024-02-15", {"F1", "F5"}),
    ("2024-03-31", {"F1"}),
    ("2024-04-04", {"F1"}),
    ("2024-04-05", set()),
    ("2024-06-30", set()),
]


@pytest.fixture(scope="module")
def failed_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    folder = tmp_path_factory.mktemp("failed")
    lines = ["隐患编号,企业名称,所在地区,行业领域,隐患级别,发现日期,整改期限,整改完成日期,验收日期,整改状态"]
    lines += [
        f"{hid},甲厂,430102,建筑施工,一般,2024-01-05,2024-01-31,{rect or ''},{acc or ''},验收不通过"
        for hid, rect, acc in FAILED
    ]
    (folder / "failed.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    store = open_store(folder / "failed.duckdb")
    result = import_file(store, folder / "failed.csv", "hazards")
    assert result.rejected == 0 and result.new == len(FAILED), result
    return store


@pytest.mark.parametrize(("day", "rectified"), FAILED_CASES)
def test_a_later_failed_acceptance_does_not_rewrite_the_months_before_it(
    failed_store: Store, day: str, rectified: set[str]
) -> None:
    """Issue 14, point 9: 验收不通过 in April reopens F1 from April; January to March keep it rectified — in
    the SQL rule, the pandas reference, the Explorer's flags and the month-end backlog."""
    from analytics import hazards as ref
    from store import explore_queries as eq

    d = dt.date.fromisoformat(day)
    got = failed_store.query(f"SELECT hazard_id FROM hazards WHERE {rectified_by(f'DATE {day!r}')}")
    assert set(got["hazard_id"]) == rectified
    h = hazard_frame(failed_store, "430000", dt.date(2020, 1, 1), dt.date(2030, 1, 1))
    assert set(h.loc[ref.rectified_by(h, d), "hazard_id"]) == rectified
    cells = eq.pivot_cells(failed_store, "hazards", eq.Scope("430000", dt.date(2024, 1, 1), d), "industry")
    assert int(cells.loc[cells["row_total"], "rectified"].iloc[0]) == len(rectified)
    page = load(failed_store, "430102", Period(day[:7], day[:7], until=d), None, d)
    ends = page.backlog.set_index("month")
    assert int(ends.loc[day[:7], "open"]) == 3 - len(rectified)
    due_yet = day > "2024-01-31"  # every deadline is 31 January: overdue from 1 February
    assert int(ends.loc[day[:7], "overdue"]) == (3 - len(rectified) if due_yet else 0)
