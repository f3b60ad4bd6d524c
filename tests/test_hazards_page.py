"""The 隐患整改 page through AppTest: its figures equal the analytics, the base switch, a ranking click
sets the shared filter, and the board opens a record."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import DEMO_TODAY
from test_pages_apptest import _exceptions, _run

from answers.rectification import load, monthly_report
from domain.periods import Period
from i18n import fmt_count, fmt_pct
from store import Store

PAGE = "views/hazards.py"


def _expected(db: Path, period: str, region: str, industries=None):
    return load(Store(db), region, Period.parse(period).cut_at(DEMO_TODAY), industries, DEMO_TODAY)


def _pct(x):
    return fmt_pct(None if x is None else x * 100)


@pytest.mark.parametrize(
    ("params", "period", "region"),
    [
        ({"period": "2024", "region": "430000"}, "2024", "430000"),
        ({"period": "2024-Q2", "lang": "en"}, "2024-Q2", "100000"),
    ],
)
def test_tiles_equal_the_analytics(app_env: Path, params, period, region) -> None:
    lang = params.get("lang", "zh")
    at = _run(params, PAGE)
    r = _expected(app_env, period, region)
    tiles = [m.value for m in at.metric]
    assert tiles[:4] == [
        _pct(r.cohort.rectification_rate),
        _pct(r.cohort.major_rectification_rate),
        _pct(r.cohort.on_time_rate),
        _pct(r.cohort.closure_rate),
    ]
    assert tiles[4] == fmt_count(r.open_overdue, lang)
    assert r.cohort.found > 100 and r.cohort.rectification_rate is not None  # real numbers
    # each tile shows the same period last year
    assert _pct(r.cohort_last_year.rectification_rate) in at.metric[0].delta
    # the monthly report table on the page is the analytics' table
    report = monthly_report(Store(app_env), region, Period.parse(period).cut_at(DEMO_TODAY), None, DEMO_TODAY)
    shown = at.dataframe[-1].value  # the report is the page's last table
    assert list(shown.iloc[:, 2]) == list(report["general_found"])
    assert shown.iloc[-1, 0] == ("合计" if lang == "zh" else "Total")
    buttons = at.get("download_button")
    assert any("XLSX" in b.proto.label for b in buttons), [b.proto.label for b in buttons]


def test_the_cumulative_base_shows_its_own_rates(app_env: Path) -> None:
    at = _run({"period": "2024", "region": "430000"}, PAGE)
    at.segmented_control(key="hz_base").set_value("cumulative").run()
    assert not at.exception, _exceptions(at)
    r = _expected(app_env, "2024", "430000")
    assert at.metric[0].value == _pct(r.cumulative.rectification_rate)
    # the backlog at the start is in this base (records only: a monthly report has no opening backlog)
    assert r.cumulative.found > r.cohort.records_found
    assert "累计口径" in at.caption[1].value


def test_a_ranking_row_sets_the_region_filter(app_env: Path) -> None:
    at = _run({"period": "2024", "region": "430000"}, PAGE)
    r = _expected(app_env, "2024", "430000")
    worst = r.by_child["child_code"].iloc[0]
    # AppTest has no selection API for dataframes: set the widget state the way a click would.
    at.session_state["hz_rank_children_430000"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    at.run()
    assert not at.exception, _exceptions(at)
    assert at.query_params.get("region") == worst
