"""answers.explorer (the Explorer's questions that are not drawing) and reports.explorer_view (its
tables and words as shown), on hand-made pivots and a small store, with hand-computed results."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from storecheck import write
from test_explorer import ACC, HAZ

from analytics import pivot as pv
from answers import explorer as ax
from domain.periods import Period
from loaders.importer import import_file
from reports import explorer_view as xv
from store import open_store

T = pv.TOTAL
ACC_DEATHS = pv.build_pivot(ACC, "accidents", "region", "grade", ("deaths",))
ACC_COUNT = pv.build_pivot(ACC, "accidents", "region", "grade", ("count",))
HAZ_MEASURES = pv.build_pivot(
    HAZ, "hazards", "industry", pv.MEASURES_COLUMNS, ("count", "overdue", "major_rectification_rate", "funds")
)


@pytest.mark.parametrize(
    ("pivot", "cell", "lang", "filter_", "measure", "subset", "words", "states_value"),
    [
        # a cell of a dimension × dimension pivot of a sum: its records, and the cell's value said above them
        (
            ACC_DEATHS,
            ("430200", "larger"),
            "zh",
            {"region": "430200", "grade": "larger"},
            "deaths",
            None,
            ("株洲市", "较大"),
            True,
        ),
        (ACC_DEATHS, (T, "larger"), "zh", {"grade": "larger"}, "deaths", None, ("较大",), True),
        (ACC_DEATHS, ("430100", T), "en", {"region": "430100"}, "deaths", None, ("Changsha 长沙市",), True),
        (ACC_DEATHS, (T, T), "zh", {}, "deaths", None, (), True),
        # a count: the records are the value
        (
            ACC_COUNT,
            ("430100", "general"),
            "zh",
            {"region": "430100", "grade": "general"},
            "count",
            None,
            ("长沙市", "一般"),
            False,
        ),
        # a table of measures: a count measure lists its own rows, a rate its denominator's, a sum all rows
        (
            HAZ_MEASURES,
            ("chemicals", "overdue"),
            "en",
            {"industry": "chemicals"},
            "overdue",
            "overdue",
            ("hazardous chemicals (incl. petrochemical)", "Open and overdue"),
            False,
        ),
        (
            HAZ_MEASURES,
            ("chemicals", "major_rectification_rate"),
            "zh",
            {"industry": "chemicals"},
            "major_rectification_rate",
            "major_rectification_rate",
            ("危险化学品", "重大隐患"),
            True,
        ),
        (HAZ_MEASURES, ("chemicals", "funds"), "zh", {"industry": "chemicals"}, "funds", None, ("危险化学品",), True),
        (HAZ_MEASURES, ("chemicals", T), "zh", {"industry": "chemicals"}, None, None, ("危险化学品",), False),
        (HAZ_MEASURES, (T, "count"), "zh", {}, "count", None, (), False),
    ],
)
def test_the_records_behind_a_cell(pivot, cell, lang, filter_, measure, subset, words, states_value) -> None:
    got = ax.cell_records(pivot, cell, lang, "430000")
    assert got == ax.Cell(filter_, measure, subset, words, states_value)


@pytest.mark.parametrize(
    ("pivot", "cell"),
    [
        (ACC_DEATHS, ("430300", "larger")),  # a row the pivot does not have
        (ACC_DEATHS, ("430100", "major")),  # a column it does not have
        (ACC_DEATHS, ("430100", "deaths")),  # a measure's column in a dimension × dimension pivot
        (HAZ_MEASURES, ("chemicals", "closed")),  # a measure not shown
    ],
)
def test_a_cell_not_in_the_pivot_has_no_records(pivot, cell) -> None:
    assert ax.cell_records(pivot, cell, "zh", "430000") is None


TODAY = dt.date(2025, 6, 15)


@pytest.mark.parametrize(
    ("a", "b", "period", "expected"),
    [
        (None, None, "2024-Q1", ("2023-Q1", "2024-Q1")),  # the defaults: last year's, the sidebar's
        ("2025", None, "2024-Q1", ("2025-01..2025-06", "2024-Q1")),  # a period not over is cut at today
        ("2023-03", "2024-03", "2025", ("2023-03", "2024-03")),
        (None, "2024-01..2024-06", "2025-05", ("2024-05", "2024-01..2024-06")),
    ],
)
def test_the_compared_periods(a, b, period, expected) -> None:
    pa, pb = ax.compared_periods(a, b, Period.parse(period), TODAY)
    assert (pa.code, pb.code) == expected


SPAN = (dt.date(2023, 1, 1), dt.date(2024, 12, 31))


@pytest.mark.parametrize(
    ("span", "period", "expected"),
    [
        (SPAN, "2024", True),
        (SPAN, "2023-06", True),
        (SPAN, "2024-12", True),
        (SPAN, "2022", False),  # before the records begin: no data, not zero
        (SPAN, "2025-01", False),  # after they end
        (SPAN, "2022-12..2023-02", False),  # the period's start decides
        (None, "2024", False),  # no records at all
    ],
)
def test_whether_the_records_cover_a_period(span, period, expected) -> None:
    assert ax.covered(span, Period.parse(period)) is expected


def _month_cells(months: list[str], deaths: list[int]) -> pd.DataFrame:
    rows = [(m, None, 1, d, 0, 0, None, 0) for m, d in zip(months, deaths, strict=True)]
    rows.append((None, None, len(months), sum(deaths), 0, 0, None, 0))
    frame = pd.DataFrame(
        [
            dict(
                zip(
                    ("row", "col", "count", "deaths", "serious_injuries", "injuries", "loss", "loss_known"),
                    r,
                    strict=True,
                )
            )
            for r in rows
        ]
    )
    frame["row_total"] = frame["row"].isna()
    frame["col_total"] = True
    return frame


def test_two_periods_by_month_are_paired_by_position() -> None:
    a = _month_cells(["2023-01", "2023-02"], [2, 0])
    b = _month_cells(["2024-01", "2024-02"], [1, 3])
    pivot = pv.build_pivot(b, "accidents", "month", pv.MEASURES_COLUMNS, ("deaths",))
    cmp, align = ax.comparison(
        a, b, pivot, "natural", False, Period.parse("2023-01..2023-02"), Period.parse("2024-01..2024-02")
    )
    assert align == (["2023-01", "2023-02"], ["2024-01", "2024-02"])
    assert list(cmp["deaths_a"]) == [2, 0, 2] and list(cmp["deaths_b"]) == [1, 3, 4]


def test_two_periods_by_region_are_paired_by_key() -> None:
    _, align = ax.comparison(ACC, ACC, ACC_DEATHS, "natural", False, Period.parse("2023"), Period.parse("2024"))
    assert align is None


def test_the_source_names_the_store_and_its_latest_import(tmp_path: Path) -> None:
    store = open_store(tmp_path / "small.duckdb")
    assert ax.source(store, "accidents") == (
        "事故台账（逐起记录）；数据库 small.duckdb",
        "accident records; store small.duckdb",
    )
    f = write(
        tmp_path, "june.csv", "事故编号,发生时间,地区,行业领域,事故单位,死亡人数\nJ-1,2024-06-01,长沙市,工贸,甲公司,1\n"
    )
    import_file(store, f, "accidents")
    when = f"{pd.Timestamp(store.imports()['imported_at'].iloc[0]):%Y-%m-%d %H:%M}"
    assert ax.source(store, "accidents") == (
        f"事故台账（逐起记录）；数据库 small.duckdb；最近导入：june.csv（{when}）",
        f"accident records; store small.duckdb; latest import: june.csv ({when})",
    )
    assert ax.source(store, "hazards") == (
        "隐患台账（逐项记录）；数据库 small.duckdb",
        "hazard records; store small.duckdb",
    )


# ---------------------------------------------------------------- reports.explorer_view


def test_the_pivot_words_and_the_cell_value() -> None:
    from reports import explorer_tables as xt

    ptable = xt.pivot_table(ACC_DEATHS, "zh", "430000")
    assert xv.pivot_words(ACC_DEATHS, ptable, "zh") == ["数据：事故", "行：地区；列：等级", "指标：死亡人数（含失踪）"]
    assert (
        xv.cell_value_text(ACC_DEATHS, ("430200", T), "deaths", "zh")
        == "（单元格的死亡人数（含失踪）为 5，来自以下记录）"
    )
    assert xv.cell_position(ptable, ("430200", "larger")) == [1, ptable.frame.columns[2]]
    assert xv.cell_position(ptable, ("430300", "larger")) is None


@pytest.mark.parametrize(
    ("rec", "lang", "expected"),
    [
        # a flag in words, an unknown value as "—", an imported text as text (Markdown escaped), a stored column
        # the table does not show by its own name, and one nobody named by its column name
        (
            {"accident_id": "A-1", "grade_conflict": True, "longitude": None, "import_id": "*imp*", "extra": 3},
            "zh",
            {"上报等级与条例不符": "是", "经度": "—", "导入批次": "\\*imp\\*", "extra": "3"},
        ),
        (
            {
                "accident_id": "A-1",
                "grade_conflict": False,
                "occurred_at": pd.Timestamp("2024-05-06 14:30"),
                "grade_reported": "larger",
            },
            "en",
            {"Grade conflict": "no", "Grade as reported": "relatively large"},
        ),
    ],
)
def test_a_record_in_full(rec, lang, expected) -> None:
    shown = xv.record_fields("accidents", rec, lang)
    got = dict(zip(shown.index, shown.iloc[:, 0], strict=True))
    assert {k: got[k] for k in expected} == expected


@pytest.mark.parametrize(
    ("which", "span", "lang", "expected"),
    [
        ("A", SPAN, "zh", "对比期 A 不在台账覆盖的时间内（记录起于 2023-01-01）：数据不足，不按零计。"),
        ("B", None, "en", "Period B is outside the records (they begin —): insufficient data, not zero."),
    ],
)
def test_a_period_outside_the_records_is_said_so(which, span, lang, expected) -> None:
    assert xv.uncovered(which, span, lang) == expected
