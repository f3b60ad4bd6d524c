"""The Explorer (分析查询): the pivot's logic on tables of cases (analytics.pivot), its URL form
(links.explorer), the store's queries on the demo store (store.explore_queries), and the downloads
(exports.downloads, reports.explorer_tables) read back with openpyxl and csv."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from analytics import pivot as pv
from analytics.hazards import rates
from charts.theme import BAD, GOOD, change_colour
from exports import downloads as dl
from links.explorer import ExplorerConfig, parse_explorer_query
from reports import explorer_tables as xt
from store import Store
from store import explore_queries as eq
from store.hazard_queries import hazard_frame

TODAY = dt.date(2025, 6, 15)


# ---------------------------------------------------------------- analytics.pivot on hand-made cells


def cells(rows: list[tuple], kind: str = "accidents") -> pd.DataFrame:
    """Cells as pivot_cells returns them: (row, col, count, deaths) for accidents; None = a total."""
    recs = []
    for r in rows:
        row, col, *vals = r
        rec = {"row": row, "row_total": row is None, "col": col, "col_total": col is None}
        rec.update(
            dict(zip(("count", "deaths", "serious_injuries", "injuries", "loss", "loss_known"), vals, strict=False))
            if kind == "accidents"
            else dict(
                zip(
                    (
                        "count",
                        "major",
                        "rectified",
                        "major_rectified",
                        "open",
                        "overdue",
                        "closed",
                        "funds",
                        "funds_known",
                    ),
                    vals,
                    strict=False,
                )
            )
        )
        recs.append(rec)
    frame = pd.DataFrame(recs)
    for c in pv.MEASURES[kind]:
        if c not in frame and c not in pv.RATES:
            frame[c] = 0
    for c in ("loss_known", "funds_known", "major_rectified", "rectified", "closed"):
        if c not in frame:
            frame[c] = 0
    return frame


# region × grade, deaths: 430100 has general only, 430200 both; a blank-free small pivot
ACC = cells(
    [
        ("430100", "general", 3, 2, 0, 0, 10.0, 3),
        ("430200", "general", 1, 1, 0, 0, 5.0, 1),
        ("430200", "larger", 1, 4, 0, 0, None, 0),
        ("430100", None, 3, 2, 0, 0, 10.0, 3),
        ("430200", None, 2, 5, 0, 0, 5.0, 1),
        (None, "general", 4, 3, 0, 0, 15.0, 4),
        (None, "larger", 1, 4, 0, 0, None, 0),
        (None, None, 5, 7, 0, 0, 15.0, 4),
    ]
)


def test_pivot_by_a_column_dimension_has_totals_and_zeros_for_empty_cells():
    p = pv.build_pivot(ACC, "accidents", "region", "grade", ("deaths",))
    assert p.row_keys == ["430100", "430200"] and p.col_keys == ["general", "larger"]
    assert p.values.loc["430100", "larger"] == 0.0  # no record in the cell: 0, not unknown
    assert p.values.loc["430200", pv.TOTAL] == 5.0 and p.values.loc[pv.TOTAL, pv.TOTAL] == 7.0
    assert p.measures == ("deaths",)
    assert p.cell_filter("430200", "larger") == {"region": "430200", "grade": "larger"}
    assert p.cell_filter(pv.TOTAL, "larger") == {"grade": "larger"}
    assert p.cell_filter(pv.TOTAL, pv.TOTAL) == {}


def test_a_sum_nobody_recorded_is_unknown_not_zero():
    p = pv.build_pivot(ACC, "accidents", "region", "grade", ("loss",))
    assert p.values.loc["430100", "larger"] == 0.0  # no accident: no loss
    assert pd.isna(p.values.loc["430200", "larger"])  # an accident whose loss nobody recorded: unknown


@pytest.mark.parametrize(
    ("sort", "descending", "expected"),
    [
        ("natural", False, ["430100", "430200"]),
        ("natural", True, ["430200", "430100"]),
        ("total", True, ["430200", "430100"]),  # deaths 5 > 2
        ("total", False, ["430100", "430200"]),
        ("deaths", True, ["430200", "430100"]),  # a measure with a column dimension means its totals
    ],
)
def test_sorting_keeps_the_total_last(sort, descending, expected):
    p = pv.build_pivot(ACC, "accidents", "region", "grade", ("deaths",), sort, descending)
    assert list(p.values.index) == [*expected, pv.TOTAL]


def test_measures_as_columns_and_a_tie_keeps_natural_order():
    tied = cells([("430300", None, 2, 1), ("430100", None, 2, 9), ("430200", None, 5, 0), (None, None, 9, 10)])
    p = pv.build_pivot(tied, "accidents", "region", pv.MEASURES_COLUMNS, ("count", "deaths"), "count", True)
    assert list(p.values.index) == ["430200", "430100", "430300", pv.TOTAL]
    assert list(p.values.columns) == ["count", "deaths"]
    assert p.measure_of("deaths") == "deaths" and p.cell_filter("430100", "deaths") == {"region": "430100"}


@pytest.mark.parametrize(
    ("dim", "values", "expected"),
    [
        (
            "grade",
            ["major", "", "general", "extraordinary", "larger"],
            ["general", "larger", "major", "extraordinary", ""],
        ),
        ("industry", ["other", "fire", "coal_mine"], ["coal_mine", "fire", "other"]),
        ("month", ["2024-10", "2024-02", "2023-12"], ["2023-12", "2024-02", "2024-10"]),
        ("accident_type", ["其他伤害", "车辆伤害", "物体打击"], ["物体打击", "车辆伤害", "其他伤害"]),
    ],
)
def test_natural_order(dim, values, expected):
    assert pv.natural_order("accidents", dim, values) == expected


HAZ = cells(
    [
        # row, col, count, major, rectified, major_rectified, open, overdue, closed, funds, funds_known
        ("chemicals", None, 10, 2, 9, 1, 1, 1, 8, 3.5, 4),
        ("fire", None, 4, 0, 4, 0, 0, 0, 4, None, 0),
        ("coal_mine", None, 0, 0, 0, 0, 0, 0, 0, None, 0),
        (None, None, 14, 2, 13, 1, 1, 1, 12, 3.5, 4),
    ],
    kind="hazards",
)


def test_rates_are_ratios_of_components_and_none_without_a_denominator():
    p = pv.build_pivot(
        HAZ,
        "hazards",
        "industry",
        pv.MEASURES_COLUMNS,
        ("rectification_rate", "major_rectification_rate", "closure_rate", "funds"),
    )
    v = p.values
    assert v.loc["chemicals", "rectification_rate"] == pytest.approx(0.9)
    assert v.loc["chemicals", "major_rectification_rate"] == pytest.approx(0.5)
    assert pd.isna(v.loc["fire", "major_rectification_rate"])  # no major hazard: no rate (not 0 %, not 100 %)
    assert pd.isna(v.loc["coal_mine", "rectification_rate"])
    assert v.loc[pv.TOTAL, "rectification_rate"] == pytest.approx(13 / 14)  # a ratio of totals, not a mean of rates
    assert v.loc[pv.TOTAL, "closure_rate"] == pytest.approx(12 / 14)
    assert pd.isna(v.loc["fire", "funds"])


@pytest.mark.parametrize(
    ("value", "lo", "hi", "meaning", "expected"),
    [
        (10, 0, 10, pv.BAD, "rgba(198, 40, 40, 0.55)"),  # the worst cell: deepest red
        (5, 0, 10, pv.BAD, "rgba(198, 40, 40, 0.315)"),
        (0, 0, 10, pv.BAD, None),  # no deaths: no colour
        (None, 0, 10, pv.BAD, None),
        (3, 0, 0, pv.BAD, None),  # nothing to compare with
        (10, 0, 10, pv.NEUTRAL, "rgba(71, 85, 105, 0.55)"),  # neutral measures are slate, never red or green
        (1.0, 0.8, 1.0, pv.GOOD, "rgba(46, 125, 50, 0.55)"),  # the best rate: green
        (0.8, 0.8, 1.0, pv.GOOD, "rgba(198, 40, 40, 0.55)"),  # the worst rate: red
        (0.9, 0.8, 1.0, pv.GOOD, None),  # the middle: no colour
        (0.9, 0.9, 0.9, pv.GOOD, None),  # all equal
    ],
)
def test_cell_colour_by_meaning(value, lo, hi, meaning, expected):
    assert pv.cell_colour(value, lo, hi, meaning) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0.97, None),  # the whole's rate: neither
        (1.0, "rgba(46, 125, 50, 0.55)"),
        (0.985, "rgba(46, 125, 50, 0.389)"),  # half-way to the best
        (0.0, "rgba(198, 40, 40, 0.55)"),  # one hazard, not rectified: the outlier
        (0.9, "rgba(198, 40, 40, 0.148)"),  # still visibly red below the whole, despite the outlier
    ],
)
def test_a_rate_is_green_above_the_wholes_rate_and_red_below(value, expected):
    assert pv.cell_colour(value, 0.0, 1.0, pv.GOOD, mid=0.97) == expected


def test_measures_have_a_meaning_more_deaths_red_higher_rate_green():
    assert pv.meaning("deaths", "accidents") == pv.BAD
    assert pv.meaning("count", "accidents") == pv.BAD
    assert pv.meaning("count", "hazards") == pv.NEUTRAL
    assert pv.meaning("overdue", "hazards") == pv.BAD
    for rate in pv.RATES:
        assert pv.meaning(rate, "hazards") == pv.GOOD
    for kind in pv.KINDS:
        for m in pv.MEASURES[kind]:
            assert pv.measure_label(m, kind, "zh") and pv.measure_label(m, kind, "en")


def test_colours_leave_totals_alone_and_scale_each_measure_column():
    p = pv.build_pivot(HAZ, "hazards", "industry", pv.MEASURES_COLUMNS, ("count", "rectification_rate", "overdue"))
    css = pv.colours(p)
    assert (css.loc[pv.TOTAL] == "").all()
    assert css.loc["chemicals", "overdue"] == "background-color: rgba(198, 40, 40, 0.55)"
    assert css.loc["fire", "rectification_rate"] == "background-color: rgba(46, 125, 50, 0.55)"  # 100 %: best
    assert css.loc["chemicals", "rectification_rate"] == "background-color: rgba(198, 40, 40, 0.55)"  # 90 %: worst
    assert css.loc["coal_mine", "rectification_rate"] == ""  # no rate
    assert "71, 85, 105" in css.loc["chemicals", "count"]  # hazards found are neither good nor bad


def _side(rows: list[tuple]) -> pd.DataFrame:
    return cells([(r, None, *v) for r, *v in rows])


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        # (count A, count B) → (change, pct, state)
        (10, 8, (-2.0, -20.0, "declined")),
        (0, 3, (3.0, None, "rose")),  # from zero: no %, "new"
        (0, 0, (0.0, None, "held_at_zero")),
        (4, 4, (0.0, 0.0, "flat")),
    ],
)
def test_compare_periods_states(a, b, expected):
    out = pv.compare_periods(
        _side([("430100", a, 0), (None, a, 0)]),
        _side([("430100", b, 0), (None, b, 0)]),
        "accidents",
        "region",
        ("count",),
    )
    row = out.loc["430100"]
    change, pct, state = expected
    assert row["count_change"] == change
    assert pd.isna(row["count_pct"]) if pct is None else row["count_pct"] == pytest.approx(pct)
    assert row["count_state"] == state


def test_compare_periods_a_region_absent_in_one_period_is_zero_and_a_missing_period_is_insufficient():
    a = _side([("430100", 5, 1), (None, 5, 1)])
    b = _side([("430200", 2, 0), (None, 2, 0)])
    out = pv.compare_periods(a, b, "accidents", "region", ("count",))
    assert list(out.index) == ["430100", "430200", pv.TOTAL]
    assert out.loc["430100", "count_b"] == 0 and out.loc["430200", "count_a"] == 0
    none = pv.compare_periods(None, b, "accidents", "region", ("count",))
    assert (none["count_state"] == "insufficient_data").all() and none["count_a"].isna().all()


def test_compare_periods_rates_change_in_points_and_time_rows_pair_by_position():
    a = cells([("2024-01", None, 10, 0, 8), ("2024-02", None, 5, 0, 5), (None, None, 15, 0, 13)], kind="hazards")
    b = cells([("2025-01", None, 10, 0, 10), (None, None, 10, 0, 10)], kind="hazards")
    out = pv.compare_periods(
        a,
        b,
        "hazards",
        "month",
        ("count", "rectification_rate"),
        align=(["2024-01", "2024-02"], ["2025-01", "2025-02"]),
    )
    assert list(out.index) == ["2024-01~2025-01", "2024-02~2025-02", pv.TOTAL]
    assert out.loc["2024-01~2025-01", "rectification_rate_change"] == pytest.approx(0.2)
    assert pd.isna(out.loc["2024-01~2025-01", "rectification_rate_pct"])  # a rate's change is in points only
    assert out.loc["2024-02~2025-02", "count_b"] == 0  # February 2025: no hazard found
    assert pd.isna(out.loc["2024-02~2025-02", "rectification_rate_b"])
    assert pv.time_keys("month", "2024-11", "2025-02") == ["2024-11", "2024-12", "2025-01", "2025-02"]
    assert pv.time_keys("year", "2024-11", "2025-02") == ["2024", "2025"]


@pytest.mark.parametrize(
    ("state", "measure", "kind", "expected"),
    [
        ("rose", "deaths", "accidents", BAD),
        ("declined", "deaths", "accidents", GOOD),
        ("held_at_zero", "deaths", "accidents", GOOD),
        ("flat", "deaths", "accidents", None),
        ("rose", "rectification_rate", "hazards", GOOD),
        ("declined", "rectification_rate", "hazards", BAD),
        ("rose", "count", "hazards", None),  # more hazards found: neither good nor bad
        ("insufficient_data", "overdue", "hazards", None),
        ("rose", "overdue", "hazards", BAD),
    ],
)
def test_change_colour_by_meaning(state, measure, kind, expected):
    assert change_colour(state, measure, kind) == expected


# ---------------------------------------------------------------- links.explorer: the URL form


def test_the_links_sort_names_are_the_stores():
    """ex_rsort takes the names of analytics.pivot.RECORD_SORTS; the store sorts by the same names in SQL."""
    assert {k: tuple(v) for k, v in eq.SORT_SQL.items()} == pv.RECORD_SORTS


@pytest.mark.parametrize(
    ("params", "expected", "notices"),
    [
        ({}, ExplorerConfig.default(), 0),
        (
            {"ex_kind": "accidents", "ex_rows": "industry", "ex_cols": "grade", "ex_measure": "deaths"},
            ExplorerConfig(rows="industry", cols="grade", measures=("deaths",)),
            0,
        ),
        (
            {
                "ex_kind": "hazards",
                "ex_rows": "source",
                "ex_measure": "overdue,rectification_rate",
                "ex_sort": "-overdue",
            },
            ExplorerConfig(
                kind="hazards",
                rows="source",
                measures=("overdue", "rectification_rate"),
                sort="overdue",
                descending=True,
                record_sort="found_date",
            ),
            0,
        ),
        ({"ex_kind": "fires"}, ExplorerConfig.default(), 1),
        ({"ex_rows": "category"}, ExplorerConfig.default(), 1),  # accidents have no hazard category
        ({"ex_kind": "hazards", "ex_rows": "accident_type"}, ExplorerConfig.default("hazards"), 1),
        ({"ex_rows": "grade", "ex_cols": "grade"}, ExplorerConfig(rows="grade"), 1),  # rows and columns differ
        ({"ex_measure": "deaths,bogus,deaths"}, ExplorerConfig(measures=("deaths",)), 1),
        ({"ex_sort": "-sideways"}, ExplorerConfig.default(), 1),
        ({"ex_cell": "430100~larger"}, ExplorerConfig(cell=("430100", "larger")), 0),
        ({"ex_cell": "*~_"}, ExplorerConfig(cell=("*", "")), 0),  # the total row × the blank column
        ({"ex_cell": "430100"}, ExplorerConfig.default(), 1),
        ({"ex_q": "  化工 ", "ex_rsort": "-deaths"}, ExplorerConfig(search="化工", record_sort="deaths"), 0),
        ({"ex_rsort": "found_date"}, ExplorerConfig.default(), 1),  # accidents are not sorted by a hazard column
        ({"ex_a": "2024-q1", "ex_b": "2025-Q1"}, ExplorerConfig(period_a="2024-Q1", period_b="2025-Q1"), 0),
        ({"ex_a": "2024-13"}, ExplorerConfig.default(), 1),
        ({"ex_b": "2025-09"}, ExplorerConfig.default(), 1),  # not started on TODAY
        ({"ex_a": "2010"}, ExplorerConfig.default(), 1),  # before the years offered
    ],
)
def test_parse_explorer_query(params, expected, notices):
    cfg, found = parse_explorer_query(params, TODAY)
    assert cfg == expected
    assert len(found) == notices
    for n in found:
        assert n.zh.startswith("分析查询参数") and n.en.startswith("Explorer parameter")


@pytest.mark.parametrize(
    "cfg",
    [
        ExplorerConfig.default(),
        ExplorerConfig(
            rows="industry",
            cols="grade",
            measures=("deaths", "count"),
            sort="total",
            descending=True,
            cell=("coal_mine", "*"),
            search="煤",
            record_sort="deaths",
            record_descending=False,
            period_a="2024-Q1",
            period_b="2025-Q1",
        ),
        ExplorerConfig.default("hazards").update("rows", "category").update("cell", ("", "overdue")),
    ],
)
def test_to_query_round_trips(cfg):
    back, notices = parse_explorer_query(cfg.to_query(), TODAY)
    assert back == cfg and not notices
    assert all(k.startswith("ex_") for k in cfg.to_query())


def test_default_config_writes_nothing_to_the_link():
    assert ExplorerConfig.default().to_query() == {}


BASE = ExplorerConfig(rows="region", cols="grade", measures=("deaths", "count"), cell=("430100", "larger"))


@pytest.mark.parametrize(
    ("name", "value", "check"),
    [
        ("rows", "grade", lambda c: c.rows == "grade" and c.cols == "measures" and c.cell is None),  # never rows = cols
        ("rows", "category", lambda c: c == BASE),  # not an accident dimension: unchanged
        ("cols", "region", lambda c: c == BASE),
        ("cols", "industry", lambda c: c.cols == "industry" and c.cell is None),
        ("measure", "count", lambda c: c.measures == ("count", "deaths") and c.cell is None),
        ("measures", [], lambda c: c == BASE),  # at least one measure
        ("measures", ["loss", "loss", "nope"], lambda c: c.measures == ("loss",)),
        ("sort", "total", lambda c: c.sort == "total" and c.cell == BASE.cell),  # sorting keeps the cell
        (
            "kind",
            "hazards",
            lambda c: (
                (c.kind, c.rows, c.cols, c.measures, c.cell)
                == ("hazards", "region", "grade", ("count", "major", "rectification_rate", "overdue"), None)
            ),
        ),  # deaths: no
        ("kind", "accidents", lambda c: c == BASE),
        ("search", " x" * 80, lambda c: len(c.search) == 100),
        ("record_sort", "found_date", lambda c: c == BASE),
        ("period_a", "", lambda c: c.period_a is None),
    ],
)
def test_config_update_rules(name, value, check):
    assert check(BASE.update(name, value))


def test_switching_kind_keeps_a_measure_both_kinds_have():
    cfg = ExplorerConfig(rows="industry", cols="month", measures=("count",), sort="total", descending=True)
    hz = cfg.update("kind", "hazards")
    assert (hz.rows, hz.cols, hz.measures, hz.sort, hz.descending) == ("industry", "month", ("count",), "total", True)
    assert hz.record_sort == "found_date" and hz.update("kind", "accidents").record_sort == "occurred_at"


# ---------------------------------------------------------------- the store (the session's demo store)

SCOPES = [
    ("accidents", eq.Scope("430000", dt.date(2024, 1, 1), dt.date(2024, 12, 31))),
    (
        "accidents",
        eq.Scope("100000", dt.date(2025, 1, 1), dt.date(2025, 6, 15), ("road_transport", "construction"), "all"),
    ),
    ("accidents", eq.Scope("430100", dt.date(2023, 1, 1), dt.date(2024, 6, 30), None, "larger_plus")),
    ("hazards", eq.Scope("100000", dt.date(2024, 1, 1), dt.date(2024, 12, 31))),
    ("hazards", eq.Scope("430000", dt.date(2023, 7, 1), dt.date(2024, 6, 30), ("chemicals", "fire"))),
]
LAYOUTS = {
    "accidents": [
        ("region", "grade"),
        ("industry", "accident_type"),
        ("month", "region"),
        ("accident_type", None),
        ("year", "industry"),
    ],
    "hazards": [("region", "source"), ("category", "grade"), ("month", "industry"), ("source", None)],
}
ADDITIVE = {
    "accidents": ("count", "deaths", "serious_injuries", "injuries", "loss"),
    "hazards": ("count", "major", "rectified", "open", "overdue", "closed", "funds"),
}


def _cases():
    for kind, scope in SCOPES:
        for rows, cols in LAYOUTS[kind]:
            yield pytest.param(kind, scope, rows, cols, id=f"{kind}-{scope.region}-{rows}x{cols}")


@pytest.mark.parametrize(("kind", "scope", "rows", "cols"), list(_cases()))
def test_pivot_totals_equal_the_sum_of_their_cells(demo_db: Path, kind, scope, rows, cols):
    store = Store(demo_db)
    c = eq.pivot_cells(store, kind, scope, rows, cols)
    for m in ADDITIVE[kind]:
        layout = cols or pv.MEASURES_COLUMNS
        p = pv.build_pivot(c, kind, rows, layout, (m,) if cols else ADDITIVE[kind])
        col = m if cols is None else None
        v = p.values
        body = v.loc[p.row_keys, p.col_keys if cols else [col]]
        totals_col = v.loc[p.row_keys, pv.TOTAL] if cols else None
        if cols:
            # each row's total = the sum of its cells, each column's total = the sum of its cells
            assert totals_col.to_numpy() == pytest.approx(body.sum(axis=1).to_numpy(), abs=1e-6), m
            assert v.loc[pv.TOTAL, p.col_keys].to_numpy() == pytest.approx(body.sum(axis=0).to_numpy(), abs=1e-6), m
        assert v.loc[pv.TOTAL, pv.TOTAL if cols else col] == pytest.approx(float(body.to_numpy().sum()), abs=1e-6), m
    # and the grand total is the store's own count of the rows the filters select
    grand = pv.build_pivot(c, kind, rows, pv.MEASURES_COLUMNS, ("count",)).values.loc[pv.TOTAL, "count"]
    _, n = eq.records_page(store, kind, scope, limit=0)
    assert grand == n and n > 0


@pytest.mark.parametrize(("kind", "scope", "rows", "cols"), list(_cases())[::2])
def test_a_cells_records_count_equals_the_cell(demo_db: Path, kind, scope, rows, cols):
    store = Store(demo_db)
    cols = cols or "industry" if rows != "industry" else "grade"
    p = pv.build_pivot(eq.pivot_cells(store, kind, scope, rows, cols), kind, rows, cols, ("count",), "total", True)
    checked = 0
    for r in [*p.row_keys[:3], pv.TOTAL]:
        for c in [*p.col_keys[:3], pv.TOTAL]:
            frame, total = eq.records_page(store, kind, scope, p.cell_filter(r, c), limit=5)
            assert total == p.values.loc[r, c], (r, c)
            assert len(frame) == min(5, total)
            checked += total > 0
    assert checked >= 3


@pytest.mark.parametrize("subset", ["major", "rectified", "open", "overdue", "closed"])
def test_a_hazard_measures_cell_lists_that_measures_records(demo_db: Path, subset):
    store = Store(demo_db)
    scope = eq.Scope("100000", dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    p = pv.build_pivot(
        eq.pivot_cells(store, "hazards", scope, "region", "source"),
        "hazards",
        "region",
        "source",
        (subset,),
        "total",
        True,
    )
    for r in [p.row_keys[0], pv.TOTAL]:
        for c in [p.col_keys[0], pv.TOTAL]:
            _, total = eq.records_page(store, "hazards", scope, p.cell_filter(r, c), subset=subset, limit=1)
            assert total == p.values.loc[r, c], (subset, r, c)
    assert p.values.loc[pv.TOTAL, pv.TOTAL] > 0


def test_hazard_rates_follow_the_rectification_rule(demo_db: Path):
    """The pivot's rectification and closure rates are analytics.hazards' cohort rates (rectified by the
    period's end, a failed acceptance not rectified, rectified/closed without a date rectified)."""
    store = Store(demo_db)
    first, last = dt.date(2024, 7, 1), dt.date(2025, 6, 15)
    scope = eq.Scope("100000", first, last)
    p = pv.build_pivot(
        eq.pivot_cells(store, "hazards", scope, "industry"),
        "hazards",
        "industry",
        pv.MEASURES_COLUMNS,
        ("count", "rectified", "rectification_rate", "closure_rate", "major_rectification_rate"),
    )
    h = hazard_frame(store, "100000", first, last)
    h = h[(h["found_date"] >= pd.Timestamp(first))]
    # the rule matters here: failed acceptances that have a rectification date inside the period
    failed = h[h["status"].eq("acceptance_failed") & (h["rectified_date"] <= pd.Timestamp(last))]
    assert len(failed) > 0
    expected = rates(h, first, last, "cohort")
    total = p.values.loc[pv.TOTAL]
    assert total["count"] == expected.found and total["rectified"] == expected.rectified
    assert total["rectification_rate"] == pytest.approx(expected.rectification_rate)
    assert total["closure_rate"] == pytest.approx(expected.closure_rate)
    if expected.major_rectification_rate is None:
        assert pd.isna(total["major_rectification_rate"])
    else:
        assert total["major_rectification_rate"] == pytest.approx(expected.major_rectification_rate)
    assert 0 < expected.rectified < expected.found  # a real test: some hazards are still open at the end


def test_accident_deaths_include_the_missing(demo_db: Path):
    store = Store(demo_db)
    scope = eq.Scope("100000", dt.date(2019, 1, 1), dt.date(2025, 6, 15))
    c = eq.pivot_cells(store, "accidents", scope, "year")
    total = c[c["row_total"]].iloc[0]
    expected = store.scalar("SELECT sum(deaths + missing) FROM accidents")
    assert total["deaths"] == expected
    assert expected > store.scalar("SELECT sum(deaths) FROM accidents")  # the demo has missing persons


def test_records_are_paged_in_the_store_in_a_stable_order(demo_db: Path):
    store = Store(demo_db)
    scope = eq.Scope("430000", dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    first, total = eq.records_page(store, "accidents", scope, sort="deaths", descending=True, limit=20, offset=0)
    second, total2 = eq.records_page(store, "accidents", scope, sort="deaths", descending=True, limit=20, offset=20)
    assert total == total2 and total > 40
    assert len(first) == len(second) == 20
    assert not set(first["accident_id"]) & set(second["accident_id"])
    deaths = [*(first["deaths"] + first["missing"]), *(second["deaths"] + second["missing"])]
    assert deaths == sorted(deaths, reverse=True)
    everything = eq.all_records(store, "accidents", scope, sort="deaths", descending=True)
    assert len(everything) == total
    assert list(everything["accident_id"][:40]) == [*first["accident_id"], *second["accident_id"]]
    last, _ = eq.records_page(store, "accidents", scope, limit=50, offset=total - 3)
    assert len(last) == 3


def test_search_matches_enterprise_or_description_and_is_literal(demo_db: Path):
    store = Store(demo_db)
    scope = eq.Scope("100000", dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    frame, n = eq.records_page(store, "hazards", scope, search="消防", limit=200)
    assert n > 0
    for row in frame.itertuples():
        assert "消防" in (row.enterprise or "") or "消防" in (row.description or "")
    _, n_acc = eq.records_page(store, "accidents", scope, search="建筑", limit=1)
    assert n_acc > 0
    for attack in ("' OR 1=1 --", "%", "_", "\\"):
        _, n = eq.records_page(store, "accidents", scope, search=attack, limit=1)
        assert n == 0, attack  # a parameter, matched literally: no enterprise or summary contains it


def test_names_outside_the_whitelists_are_refused(demo_db: Path):
    store = Store(demo_db)
    scope = eq.Scope("430000", dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    with pytest.raises(ValueError, match="no dimension"):
        eq.pivot_cells(store, "accidents", scope, "region; DROP TABLE accidents")
    with pytest.raises(ValueError, match="no dimension"):
        eq.pivot_cells(store, "accidents", scope, "category")
    with pytest.raises(ValueError, match="cannot be sorted"):
        eq.records_page(store, "accidents", scope, sort="summary")
    with pytest.raises(ValueError, match="kind"):
        eq.records_page(store, "targets", scope)
    with pytest.raises(ValueError, match="no dimension"):
        eq.records_page(store, "hazards", scope, cell={"1=1) OR (1": "x"})
    assert store.scalar("SELECT count(*) FROM accidents") > 0


def test_a_record_in_full_and_the_statistics_only_regions(demo_db: Path):
    store = Store(demo_db)
    rec = eq.record(store, "hazards", "DEMO-H-0000001")
    assert rec is not None and rec["hazard_id"] == "DEMO-H-0000001" and "credit_code" in rec
    assert eq.record(store, "accidents", "no such id") is None
    assert eq.statistics_only_regions(store, "accidents", "100000") == ["150700", "522600", "630200"]
    assert eq.statistics_only_regions(store, "hazards", "430000") == ["430181"]
    first, last = eq.records_span(store, "accidents", "430000")
    assert first.year == 2019 and last <= dt.date(2025, 6, 15)


# ---------------------------------------------------------------- downloads

STAMP = dt.datetime(2025, 6, 15, 9, 30, 0)


def _accident_records_export(demo_db: Path, lang: str = "zh") -> tuple[dl.Export, int]:
    store = Store(demo_db)
    scope = eq.Scope("430100", dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    frame = eq.all_records(store, "accidents", scope, {"grade": "general"})
    table = xt.records_table("accidents", frame, lang)
    from domain.periods import Period

    filters = xt.filters_text(
        lang,
        Period.parse("2024"),
        "430100",
        (),
        "all",
        "accidents",
        ["单元格：一般" if lang == "zh" else "cell: general"],
    )
    return xt.export(
        "分析查询 · 记录", filters, "事故台账（逐起记录）；数据库 test.duckdb", table, lang, "记录", STAMP
    ), len(frame)


def test_records_xlsx_opens_with_openpyxl_with_its_header_block_and_real_types(demo_db: Path):
    export, n = _accident_records_export(demo_db)
    assert n > 10
    wb = openpyxl.load_workbook(io.BytesIO(dl.to_xlsx(export)))
    ws = wb.active
    block = [(ws.cell(r, 1).value, ws.cell(r, 2).value) for r in range(1, 5)]
    assert [b[0] for b in block] == ["报表", "筛选条件", "导出时间", "数据来源"]
    assert "统计期间：2024年" in block[1][1] and "地区：湖南省长沙市" in block[1][1]
    assert "行业：全部行业" in block[1][1] and "事故等级：全部等级" in block[1][1] and "单元格：一般" in block[1][1]
    assert block[2][1] == "2025-06-15 09:30:00" and "事故台账" in block[3][1]
    assert ws.cell(5, 1).value is None  # the empty row
    header = [c.value for c in ws[dl.HEADER_ROWS + 1]]
    assert header[:4] == ["事故编号", "发生时间", "地区", "行业领域"] and "直接经济损失（万元）" in header
    assert ws.max_row == dl.HEADER_ROWS + 1 + n
    col = {h: i + 1 for i, h in enumerate(header)}
    for r in range(dl.HEADER_ROWS + 2, ws.max_row + 1):
        when = ws.cell(r, col["发生时间"])
        assert isinstance(when.value, dt.datetime) and when.is_date
        assert isinstance(ws.cell(r, col["死亡人数"]).value, int)
        loss = ws.cell(r, col["直接经济损失（万元）"]).value
        assert loss is None or isinstance(loss, float | int)
        assert ws.cell(r, col["事故等级"]).value == "一般"
        assert ws.cell(r, col["地区"]).value.startswith("湖南省长沙市")
    assert ws.cell(dl.HEADER_ROWS + 2, col["发生时间"]).number_format == "yyyy-mm-dd hh:mm"
    assert ws.cell(1, 1).font.name == dl.FONT_NAME
    assert ws.freeze_panes == f"B{dl.HEADER_ROWS + 2}"


def test_hazard_records_xlsx_dates_are_dates(demo_db: Path):
    store = Store(demo_db)
    scope = eq.Scope("100000", dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    frame = eq.all_records(store, "hazards", scope, subset="overdue")
    table = xt.records_table("hazards", frame, "en")
    export = xt.export("Explorer · records", "period: 2024", "hazard records", table, "en", "Records", STAMP)
    ws = openpyxl.load_workbook(io.BytesIO(dl.to_xlsx(export))).active
    header = [c.value for c in ws[dl.HEADER_ROWS + 1]]
    assert header[:2] == [
        "隐患编号 Hazard id",
        "发现日期 Found date",
    ]  # Chinese headers, with English beside them in English
    assert ws.cell(2, 1).value == "筛选条件 Filters"
    found = ws.cell(dl.HEADER_ROWS + 2, 2)
    assert isinstance(found.value, dt.datetime) and found.number_format == "yyyy-mm-dd"
    assert len(frame) > 0 and ws.max_row == dl.HEADER_ROWS + 1 + len(frame)


def test_pivot_xlsx_and_csv_hold_what_is_shown(demo_db: Path):
    store = Store(demo_db)
    scope = eq.Scope("430000", dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    p = pv.build_pivot(
        eq.pivot_cells(store, "hazards", scope, "industry"),
        "hazards",
        "industry",
        pv.MEASURES_COLUMNS,
        ("count", "rectification_rate", "funds"),
        "count",
        True,
    )
    table = xt.pivot_table(p, "zh", "430000")
    export = xt.export("分析查询 · 透视表", "统计期间：2024年；地区：湖南省", "隐患台账", table, "zh", "透视表", STAMP)
    ws = openpyxl.load_workbook(io.BytesIO(dl.to_xlsx(export))).active
    header = [c.value for c in ws[dl.HEADER_ROWS + 1]]
    assert header == ["行业领域", "隐患数", "整改率", "治理资金（万元）"]
    rows = list(ws.iter_rows(min_row=dl.HEADER_ROWS + 2, values_only=True))
    assert [r[0] for r in rows] == list(table.frame["行业领域"]) and rows[-1][0] == "合计"
    assert rows[-1][1] == int(p.values.loc[pv.TOTAL, "count"]) and isinstance(rows[-1][1], int)
    assert rows[-1][2] == pytest.approx(p.values.loc[pv.TOTAL, "rectification_rate"])
    assert ws.cell(dl.HEADER_ROWS + 2, 3).number_format == "0.0%"
    # CSV: BOM, the same header block, the same table after HEADER_ROWS rows
    raw = dl.to_csv(export)
    assert raw.startswith("\ufeff".encode())
    text = raw.decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text)))
    assert [x[0] for x in lines[:4]] == ["报表", "筛选条件", "导出时间", "数据来源"] and lines[4] == []
    back = pd.read_csv(io.StringIO(text), skiprows=dl.HEADER_ROWS)
    assert list(back.columns) == header and len(back) == len(rows)
    assert back["隐患数"].iloc[-1] == rows[-1][1]
    assert back["整改率"].iloc[-1] == pytest.approx(rows[-1][2], rel=1e-5)


def test_csv_dates_are_iso_and_unknowns_empty():
    frame = pd.DataFrame(
        {
            "d": pd.to_datetime(["2024-03-05", None]),
            "t": pd.to_datetime(["2024-03-05 14:30", None]),
            "x": [1.5, None],
            "s": ["甲", None],
        }
    )
    cols = [
        dl.Column("d", "日期", "Date", "date"),
        dl.Column("t", "时间", "Time", "datetime"),
        dl.Column("x", "数", "Number", "float"),
        dl.Column("s", "文字", "Text", "text"),
    ]
    text = dl.to_csv(dl.Export("t", "f", "s", frame, cols, "zh", STAMP)).decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[dl.HEADER_ROWS] == "日期,时间,数,文字"
    assert lines[dl.HEADER_ROWS + 1] == "2024-03-05,2024-03-05 14:30,1.5,甲"
    assert lines[dl.HEADER_ROWS + 2] == ",,,"
    with pytest.raises(ValueError, match="kind"):
        dl.Column("x", "x", "x", "money")


def test_comparison_table_says_new_and_keeps_numbers(demo_db: Path):
    store = Store(demo_db)
    scope_a = eq.Scope("430000", dt.date(2023, 1, 1), dt.date(2023, 3, 31))
    scope_b = eq.Scope("430000", dt.date(2024, 1, 1), dt.date(2024, 3, 31))
    cmp = pv.compare_periods(
        eq.pivot_cells(store, "accidents", scope_a, "industry"),
        eq.pivot_cells(store, "accidents", scope_b, "industry"),
        "accidents",
        "industry",
        ("count", "deaths"),
    )
    table = xt.comparison_table(cmp, "accidents", "industry", ("count", "deaths"), "zh", "430000")
    assert list(table.frame.columns) == [
        "行业领域",
        "事故起数 · A",
        "事故起数 · B",
        "事故起数 · 变化",
        "事故起数 · 变化率",
        "死亡人数（含失踪） · A",
        "死亡人数（含失踪） · B",
        "死亡人数（含失踪） · 变化",
        "死亡人数（含失踪） · 变化率",
    ]
    total = table.frame.iloc[-1]
    assert total["行业领域"] == "合计"
    assert total["事故起数 · 变化"] == total["事故起数 · B"] - total["事故起数 · A"]
    assert re.fullmatch(r"[+−]\d+\.\d%|持平|新增|均为零", total["事故起数 · 变化率"])
