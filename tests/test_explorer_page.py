"""The 分析查询 Explorer page through Streamlit's AppTest: a link opens the pivot it names, beside the
sidebar's filters; the pivot shows the store's numbers; a click on a cell lists exactly its records;
search, sorting and the controls; a bad link value falls back with a notice; both languages."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT, as_shown
from streamlit.testing.v1 import AppTest

from analytics import pivot as pv
from store import Store
from store import explore_queries as eq

PAGE = "views/explorer.py"
RUN_TIMEOUT = 120


def _exceptions(at: AppTest) -> str:
    return "\n\n".join(f"{e.message}\n{''.join(e.stack_trace)}" for e in at.exception)


def _run(params: dict[str, str]) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=RUN_TIMEOUT)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, _exceptions(at)
    at.switch_page(PAGE).run()
    assert not at.exception, _exceptions(at)
    return at


def _pivot(at: AppTest) -> pd.DataFrame:
    return at.dataframe[0].value


def _records_heading(at: AppTest) -> str:
    return next(m.value for m in at.markdown if m.value.startswith("**"))


LINK = {
    "period": "2024",
    "region": "430000",
    "ex_kind": "accidents",
    "ex_rows": "industry",
    "ex_cols": "grade",
    "ex_measure": "deaths",
}
SCOPE = eq.Scope("430000", dt.date(2024, 1, 1), dt.date(2024, 12, 31))


def test_a_link_opens_its_pivot_with_the_stores_numbers(app_env: Path):
    at = _run(LINK)
    assert [t.value for t in at.title] == ["分析查询"]
    table = _pivot(at)
    assert list(table.columns) == ["行业领域", "一般", "较大", "重大", "合计"]  # no 特别重大 in 湖南 2024
    assert table.iloc[-1]["行业领域"] == "合计"
    store = Store(app_env)
    deaths = store.scalar("""SELECT sum(deaths + missing) FROM accidents WHERE province_code = '430000'
                             AND occurred_at >= DATE '2024-01-01' AND occurred_at < DATE '2025-01-01'""")
    assert table.iloc[-1]["合计"] == deaths and deaths > 0
    body = table.iloc[:-1]
    assert body["合计"].sum() == deaths  # the totals equal the sum of the cells on the page too
    assert body[["一般", "较大", "重大"]].sum().sum() == deaths
    # the link keeps the sidebar's parameters and the pivot's
    assert at.query_params.get("period") == "2024" and at.query_params.get("region") == "430000"
    for k in ("ex_rows", "ex_cols", "ex_measure"):
        assert at.query_params.get(k) == LINK[k]
    assert "ex_kind" not in at.query_params  # the default is left out


def test_clicking_a_cell_lists_exactly_its_records(app_env: Path):
    at = _run({**LINK, "ex_measure": "count"})
    table = _pivot(at)
    row = int(table.index[table["行业领域"] == "道路运输"][0])
    cell = int(table.iloc[row]["一般"])
    assert cell > 0
    # AppTest has no selection API for dataframes: set the widget state the way a click would.
    at.session_state[at.dataframe[0].key] = {"selection": {"rows": [], "columns": [], "cells": [[row, "一般"]]}}
    at.run()
    assert not at.exception, _exceptions(at)
    assert at.query_params.get("ex_cell") == "road_transport~general"
    assert _records_heading(at).startswith(f"**道路运输 · 一般**：共 {cell:,} 条")
    records = at.dataframe[1].value
    assert len(records) == min(cell, 50)
    assert set(records["行业领域"]) == {"道路运输"} and set(records["事故等级"]) == {"一般"}
    assert all(r.startswith("湖南省") for r in records["地区"])
    # a click on the row's name: the row's total
    at.session_state[at.dataframe[0].key] = {"selection": {"rows": [], "columns": [], "cells": [[row, "行业领域"]]}}
    at.run()
    assert at.query_params.get("ex_cell") == "road_transport~*"
    assert _records_heading(at).startswith(f"**道路运输**：共 {int(table.iloc[row]['合计']):,} 条")


def test_a_linked_cell_a_search_and_a_sort(app_env: Path):
    at = _run({**LINK, "ex_cell": "*~larger", "ex_q": "有限公司", "ex_rsort": "-deaths"})
    _, expected = eq.records_page(Store(app_env), "accidents", SCOPE, {"grade": "larger"}, search="有限公司", limit=0)
    assert expected > 0
    assert _records_heading(at).startswith(f"**较大**：共 {expected:,} 条，含“有限公司”")
    records = at.dataframe[1].value
    assert all(
        "有限公司" in (e or "") or "有限公司" in (s or "")
        for e, s in zip(records["事故单位"], records["事故简况"], strict=True)
    )
    deaths = list(records["死亡人数"] + records["失踪人数"])
    assert deaths == sorted(deaths, reverse=True)
    # the search box: a new search lists other records and starts at the first page
    at.text_input(key="exw_search_zh").set_value("建筑").run()
    assert not at.exception, _exceptions(at)
    _, n = eq.records_page(Store(app_env), "accidents", SCOPE, {"grade": "larger"}, search="建筑", limit=0)
    assert _records_heading(at).startswith(f"**较大**：共 {n:,} 条，含“建筑”")
    assert at.query_params.get("ex_q") == "建筑"


def test_controls_change_the_pivot_and_the_link(app_env: Path):
    at = _run({"period": "2024", "region": "430000"})
    assert list(_pivot(at).columns) == ["地区", "事故起数", "死亡人数（含失踪）", "重伤人数", "直接经济损失（万元）"]
    assert len(_pivot(at)) == 14 + 1  # 14 cities and the total
    at.selectbox(key="exw_rows_zh").set_value("accident_type").run()
    assert not at.exception, _exceptions(at)
    assert at.query_params.get("ex_rows") == "accident_type"
    assert _pivot(at).columns[0] == "事故类型" and "车辆伤害" in set(_pivot(at)["事故类型"])
    at.button_group(key="exw_kind_zh").set_value("hazards").run()
    assert not at.exception, _exceptions(at)
    assert at.query_params.get("ex_kind") == "hazards"
    assert at.query_params.get("ex_rows") is None  # accident type is not a hazard dimension: back to regions
    assert list(_pivot(at).columns) == ["地区", "隐患数", "重大隐患数", "整改率", "超期未整改"]
    at.selectbox(key="exw_cols_zh").set_value("source").run()
    at.selectbox(key="exw_measure_zh").set_value("rectification_rate").run()
    assert not at.exception, _exceptions(at)
    table = _pivot(at)
    assert list(table.columns) == ["地区", "企业自查", "执法检查", "举报", "专家", "合计"]
    assert at.query_params.get("ex_measure") == "rectification_rate,count,major,overdue"
    assert any(str(v).endswith("%") or v == "—" for v in table["举报"])  # rates as shown: 96.3%, — when none found


def test_bad_link_values_fall_back_with_a_notice(app_env: Path):
    at = _run(
        {
            "period": "2024",
            "ex_kind": "hazards",
            "ex_rows": "accident_type",
            "ex_measure": "deaths",
            "ex_a": "2024-13",
            "ex_cell": "oops",
        }
    )
    # As shown: the notice's Markdown escapes the link's values (ex\_rows), which the page draws as typed.
    warnings = [as_shown(w.value) for w in at.warning]
    assert any("ex_rows=“accident_type”无效" in w for w in warnings)
    assert any("ex_measure=“deaths”无效" in w for w in warnings)
    assert any("ex_a=“2024-13”" in w for w in warnings)
    assert any("ex_cell=“oops”无效" in w for w in warnings)
    assert [t.value for t in at.title] == ["分析查询"]
    assert _pivot(at).columns[0] == "地区"
    assert at.query_params.get("ex_kind") == "hazards" and at.query_params.get("ex_rows") is None


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_both_languages_and_a_switch_keeps_the_pivot(app_env: Path, lang: str):
    at = _run({**LINK, "lang": lang})
    table = _pivot(at)
    if lang == "zh":
        assert table.columns[0] == "行业领域" and table.iloc[-1, 0] == "合计"
    else:
        assert list(table.columns) == ["Industry", "general", "relatively large", "major", "Total"]
        assert table.iloc[-1, 0] == "Total"
    other = "en" if lang == "zh" else "zh"
    at.radio(key="f_lang").set_value(other).run()
    assert not at.exception, _exceptions(at)
    assert [t.value for t in at.title] == ["Explorer" if other == "en" else "分析查询"]
    assert _pivot(at).iloc[-1, -1] == table.iloc[-1, -1]  # the same pivot, the same total
    for k in ("ex_rows", "ex_cols", "ex_measure"):
        assert at.query_params.get(k) == LINK[k]


def test_period_comparison_shows_both_periods(app_env: Path):
    at = _run({**LINK, "ex_cols": "measures", "ex_measure": "count", "ex_a": "2023-Q1", "ex_b": "2024-Q1"})
    cmp = at.dataframe[-1].value
    assert list(cmp.columns) == ["行业领域", "事故起数 · A", "事故起数 · B", "事故起数 · 变化", "事故起数 · 变化率"]
    store = Store(app_env)
    counts = []
    for first, last in ((dt.date(2023, 1, 1), dt.date(2023, 3, 31)), (dt.date(2024, 1, 1), dt.date(2024, 3, 31))):
        _, n = eq.records_page(store, "accidents", eq.Scope("430000", first, last), limit=0)
        counts.append(n)
    total = cmp.iloc[-1]
    assert (total["事故起数 · A"], total["事故起数 · B"]) == tuple(counts)
    assert total["事故起数 · 变化"] == counts[1] - counts[0]
    assert "A：2023年第一季度" in next(m.value for m in at.markdown if "对比" in m.value)
    assert at.query_params.get("ex_a") == "2023-Q1" and at.query_params.get("ex_b") == "2024-Q1"
    at.text_input(key="exw_period_a_zh").set_value("2030").run()  # not started: refused, the old one kept
    assert any("对比期 A“2030”不可用" in w.value for w in at.warning)
    assert at.query_params.get("ex_a") == "2023-Q1"


def test_records_before_the_ledger_are_insufficient_not_zero(app_env: Path):
    at = _run({"period": "2024", "ex_a": "2016", "ex_b": "2024"})
    assert any("对比期 A 不在台账覆盖的时间内" in c.value for c in at.caption)
    cmp = at.dataframe[-1].value
    assert cmp.iloc[-1]["事故起数 · 变化率"] == "数据不足"
    assert cmp.iloc[-1]["事故起数 · A"] == "—"  # unknown, shown as —, never 0


def test_hazard_cells_list_the_measures_records(app_env: Path):
    at = _run({"period": "2024", "ex_kind": "hazards", "ex_rows": "industry", "ex_measure": "overdue,count"})
    table = _pivot(at)
    total_overdue = int(table.iloc[-1]["超期未整改"])
    assert total_overdue > 0
    last = len(table) - 1
    at.session_state[at.dataframe[0].key] = {"selection": {"rows": [], "columns": [], "cells": [[last, "超期未整改"]]}}
    at.run()
    assert not at.exception, _exceptions(at)
    assert _records_heading(at).startswith(f"**超期未整改**：共 {total_overdue:,} 条")
    records = at.dataframe[1].value
    assert set(records["整改状态"]) <= {"已发现未整改", "整改中", "验收不通过", "已整改待验收", "已验收销号"}
    deadline = pd.to_datetime(records["整改期限"])
    assert (deadline < pd.Timestamp("2024-12-31")).all()  # past the deadline at the period's end
    assert pv.TOTAL == "*" and at.query_params.get("ex_cell") == "*~overdue"


def test_other_sidebar_filters_forget_the_cell_quietly(app_env: Path):
    at = _run({**LINK, "ex_cell": "road_transport~general"})
    assert _records_heading(at).startswith("**道路运输 · 一般**")
    at.selectbox(key="f_city").set_value("430100").run()  # the sidebar: 长沙市
    assert not at.exception, _exceptions(at)
    assert at.query_params.get("region") == "430100" and "ex_cell" not in at.query_params
    assert _records_heading(at).startswith("**全部**")
    assert not at.info  # no "the cell is not in this pivot" notice: the user changed the filters
    assert at.query_params.get("ex_rows") == "industry"  # the pivot's configuration stays
