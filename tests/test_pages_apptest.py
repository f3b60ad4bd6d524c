"""Every page through Streamlit's AppTest (no browser): it runs, shows its title, and shows the real numbers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import PAGES, ROOT, AppPage
from streamlit.testing.v1 import AppTest

from store import Store

RUN_TIMEOUT = 120  # s; a page's first run opens the store


def run_page(app_page: AppPage, lang: str | None = None) -> AppTest:
    """Run dashboard.py, switch to ``app_page`` and run it (with ``?lang=`` if given)."""
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=RUN_TIMEOUT)
    if lang is not None:
        at.query_params["lang"] = lang
    at.run()
    assert not at.exception, _exceptions(at)
    at.switch_page(app_page.path).run()
    assert not at.exception, _exceptions(at)
    return at


def _exceptions(at: AppTest) -> str:
    return "\n\n".join(f"{e.message}\n{''.join(e.stack_trace)}" for e in at.exception)


def test_page_list_matches_dashboard():
    """conftest.PAGES lists exactly the st.Page files of dashboard.py, so every page gets tested."""
    in_dashboard = re.findall(r"""st\.Page\(\s*["']([^"']+)["']""", (ROOT / "dashboard.py").read_text(encoding="utf-8"))
    assert sorted(in_dashboard) == sorted(p.path for p in PAGES)
    for page in PAGES:
        assert (ROOT / page.path).is_file(), page


def test_page_runs_in_chinese_by_default(app_env: Path, app_page: AppPage):
    at = run_page(app_page)
    assert [t.value for t in at.title] == [app_page.title_zh]


def test_page_runs_in_each_language(app_env: Path, app_page: AppPage, lang: str):
    at = run_page(app_page, lang)
    assert [t.value for t in at.title] == [app_page.title(lang)]
    assert at.query_params.get("lang", "zh") == lang  # the default language is left out of links


def test_unknown_language_falls_back_to_chinese(app_env: Path):
    at = run_page(PAGES[0], "xx")
    assert [t.value for t in at.title] == [PAGES[0].title_zh]


def test_data_page_shows_the_store_counts(app_env: Path, lang: str):
    at = run_page(_page("data"), lang)
    status = Store(app_env).status()
    expected = [f"{status[kind]['rows']:,}" for kind in ("accidents", "hazards", "accident_stats", "hazard_stats")]
    assert [m.value for m in at.metric][:4] == expected  # the overview tab's tiles come first
    # The demo store is not empty: these are real numbers, not zeros.
    assert status["accidents"]["rows"] > 0
    assert status["hazards"]["rows"] > 0
    labels = [m.label for m in at.metric][:4]
    if lang == "zh":
        assert labels == ["事故记录", "隐患记录", "事故统计报表行", "隐患月报表行"]
    else:
        assert labels == ["Accident records", "Hazard records", "Accident statistics rows", "Hazard report rows"]


def _page(key: str) -> AppPage:
    return next(p for p in PAGES if p.key == key)


# ---------------------------------------------------------------- the situation pages show the brief's numbers


def _run(params: dict[str, str], page: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=RUN_TIMEOUT)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, _exceptions(at)
    if page != "views/briefing.py":
        at.switch_page(page).run()
        assert not at.exception, _exceptions(at)
    return at


def _brief(db: Path, period: str, region: str, industries: tuple[str, ...] | None = None, grade: str = "all"):
    from conftest import DEMO_TODAY

    from analytics.brief import build_brief
    from answers.brief_data import StoreData

    return build_brief(StoreData(Store(db)), period, region, industries, grade, DEMO_TODAY)


CASES = [
    ({"period": "2024-01..2024-06", "region": "430000"}, "2024-01..2024-06", "430000", None, "all"),
    ({}, "2025-01..2025-06", "100000", None, "all"),  # the default: this year to date, nationwide
    (
        {"period": "2024", "region": "430100", "industry": "road_transport,construction", "lang": "en"},
        "2024",
        "430100",
        ("road_transport", "construction"),
        "all",
    ),
    ({"period": "2024-Q3", "grade": "larger_plus"}, "2024-Q3", "100000", None, "larger_plus"),
]


@pytest.mark.parametrize(("params", "period", "region", "industries", "grade"), CASES)
def test_briefing_kpis_equal_the_brief(app_env: Path, params, period, region, industries, grade) -> None:
    from i18n import fmt_count

    lang = params.get("lang", "zh")
    at = _run(params, "views/briefing.py")
    b = _brief(app_env, period, region, industries, grade)
    shown = [m.value for m in at.metric][:4]
    expected = [
        fmt_count(b.measures[m].current, lang)
        for m in ("accidents", "deaths", "larger_accidents", "major_plus_accidents")
    ]
    assert shown == expected
    assert b.measures["accidents"].current and b.measures["accidents"].current > 0  # real numbers, not zeros
    deltas = [m.delta for m in at.metric][:4]
    for delta, m in zip(deltas, ("accidents", "deaths", "larger_accidents", "major_plus_accidents"), strict=True):
        assert fmt_count(b.measures[m].previous, lang) in delta


def test_trends_page_bars_sum_to_the_brief(app_env: Path) -> None:
    at = _run({"period": "2024-01..2024-06", "region": "430000"}, "views/trends.py")
    b = _brief(app_env, "2024-01..2024-06", "430000")
    charts = at.get("plotly_chart")
    assert len(charts) >= 6
    import json

    fig = json.loads(charts[0].proto.spec)
    this_period = next(tr for tr in fig["data"] if tr["name"] == "本期")
    import base64

    import numpy as np

    y = this_period["y"]
    if isinstance(y, dict):  # plotly's typed-array encoding
        y = np.frombuffer(base64.b64decode(y["bdata"]), dtype=y["dtype"]).tolist()
    assert sum(y) == b.measures["accidents"].current


def test_bad_link_values_fall_back_with_a_notice(app_env: Path) -> None:
    at = _run({"period": "2024-13", "region": "999999"}, "views/briefing.py")
    warnings = [w.value for w in at.warning]
    assert any("统计期间“2024-13”无效" in w for w in warnings)
    assert any("地区代码“999999”无效" in w for w in warnings)
    assert [x.value for x in at.title] == ["领导驾驶舱"]


def test_region_drill_down_narrows_and_survives_a_page_switch(app_env: Path) -> None:
    at = _run({}, "views/briefing.py")
    at.selectbox(key="f_province").set_value("430000").run()
    at.selectbox(key="f_city").set_value("430100").run()
    assert not at.exception, _exceptions(at)
    assert at.query_params.get("region") == "430100"
    assert "湖南省长沙市" in at.caption[0].value
    at.switch_page("views/trends.py").run()
    assert not at.exception, _exceptions(at)
    assert at.query_params.get("region") == "430100"  # the filter follows the user to the next page
    assert at.caption[0].value.startswith("湖南省长沙市")
    at.selectbox(key="f_province").set_value("").run()  # back to the whole country: city is reset
    assert at.query_params.get("region") is None and at.session_state["f_city"] == ""


def test_period_presets_and_modes(app_env: Path) -> None:
    at = _run({}, "views/briefing.py")
    assert "2025年1月1日至6月15日" in at.caption[0].value  # this year to date, cut at today
    at.selectbox(key="f_mode").set_value("last-month").run()
    assert at.query_params.get("period") == "last-month" and "2025年5月" in at.caption[0].value
    at.selectbox(key="f_mode").set_value("quarter").run()
    at.selectbox(key="f_year").set_value(2024).run()
    at.selectbox(key="f_quarter").set_value(2).run()
    assert at.query_params.get("period") == "2024-Q2" and "2024年第二季度" in at.caption[0].value
    assert not at.exception, _exceptions(at)


def test_briefing_target_line_shows_exact_numbers(app_env: Path) -> None:
    """Against a target the last digits matter: 19,724 of 20,000, never 2万 of 2万."""
    at = _run({"period": "2024"}, "views/briefing.py")
    b = _brief(app_env, "2024", "100000")
    line = next(m.value for m in at.markdown if "控制指标" in m.value and "累计死亡" in m.value)
    assert f"**{b.target.deaths:,}**" in line and f"**{b.target.deaths_target:,}**" in line
    assert b.target.deaths >= 10_000 and "万" not in line  # large enough that 万 would have been used


def test_the_language_survives_a_visit_to_the_big_screen(app_env: Path) -> None:
    """The screen draws no sidebar (so no language radio): coming back, the page is still in English."""
    at = run_page(_page("briefing"), "en")
    at.switch_page("views/screen.py").run()
    assert not at.exception, _exceptions(at)
    at.query_params.pop("lang", None)  # the way back is a page link, which carries no lang
    at.switch_page("views/trends.py").run()
    assert not at.exception, _exceptions(at)
    assert [t.value for t in at.title] == ["Trends"]
