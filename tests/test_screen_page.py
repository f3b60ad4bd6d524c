"""The big screen page through Streamlit's AppTest (no browser): the brief's numbers, no sidebar
filters, its own link kept, the rotation, a new import seen on the next refresh, and calm messages
instead of tracebacks (the browser tests check the layout, the refresh timer and the reconnection)."""

from __future__ import annotations

import html
import shutil
from pathlib import Path

import pytest
from conftest import DEMO_TODAY, ROOT
from streamlit.testing.v1 import AppTest
from test_screen import kpis_in

from analytics.brief import build_brief
from answers.brief_data import StoreData
from i18n import fmt_count
from store import Store

RUN_TIMEOUT = 120


def run_screen(params: dict[str, str]) -> AppTest:
    """Open the app, then the screen with ``params`` as its link (as a browser opening /screen?…)."""
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=RUN_TIMEOUT)
    at.run()
    assert not at.exception
    for key in list(at.query_params):
        del at.query_params[key]
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page("views/screen.py").run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def html_of(at: AppTest) -> str:
    return "\n".join(h.proto.body for h in at.get("html"))


def text_of(at: AppTest) -> str:
    return html.unescape(html_of(at))


def brief(db: Path, period: str, region: str):
    return build_brief(StoreData(Store(db)), period, region, None, "all", DEMO_TODAY)


@pytest.mark.parametrize(
    ("params", "period", "region", "lang"),
    [
        ({"period": "2024-01..2024-06", "region": "430000"}, "2024-01..2024-06", "430000", "zh"),
        ({}, "2025-01..2025-06", "100000", "zh"),  # the default: this year to date, nationwide
        ({"period": "2024", "playlist": "420000", "lang": "en"}, "2024", "420000", "en"),
    ],
)
def test_kpis_equal_the_brief(app_env: Path, params, period, region, lang):
    at = run_screen(params)
    b = brief(app_env, period, region)
    kpis = kpis_in(html_of(at))
    assert {m: v for m, (v, _p, _c) in kpis.items()} == {
        m: fmt_count(b.measures[m].current, lang)
        for m in ("accidents", "deaths", "larger_accidents", "major_plus_accidents")
    }
    for m, (_v, prev, _c) in kpis.items():
        assert prev.endswith(fmt_count(b.measures[m].previous, lang))
    assert b.measures["accidents"].current > 0
    assert [t.value for t in at.title] == ["安全生产态势" if lang == "zh" else "Production safety"]
    assert f'data-three="{b.three_declines.state}"' in html_of(at)


def test_no_sidebar_filters_and_the_link_is_kept(app_env: Path):
    params = {"refresh": "30", "rotate": "10", "playlist": "100000,430000", "stale_hours": "6"}
    at = run_screen(params)
    assert not at.sidebar.selectbox and not at.sidebar.radio  # the filters are not drawn
    assert {k: at.query_params[k] for k in params} == params  # the sidebar would have rewritten the link
    assert not at.warning and 'data-banner="notice"' not in html_of(at)


def test_the_playlist_rotates_run_by_run(app_env: Path):
    at = run_screen({"playlist": "100000,430000,420000", "rotate": "5", "refresh": "5"})
    shown = []
    for _ in range(4):
        shown.append(next(h.proto.body for h in at.get("html") if 'class="scr-region"' in h.proto.body))
        at.run()
        assert not at.exception
    assert ["全国" in shown[0], "湖南省" in shown[1], "湖北省" in shown[2], "全国" in shown[3]] == [True] * 4


def test_bad_link_values_say_so_on_screen(app_env: Path):
    at = run_screen({"refresh": "1", "playlist": "999999", "lang": "en"})
    text = text_of(at)
    assert "refresh='1' is not 5–86400 seconds: refreshing every 60 s." in text
    assert "Unknown region code '999999': ignored." in text
    assert "No valid region code in playlist: showing the default, China (national)." in text


def test_a_new_import_shows_on_the_next_refresh(app_env: Path, tmp_path: Path, monkeypatch):
    """An import from another process (the command line) is seen at the next refresh, although the
    brief is cached: the screen notices the store's imports changed and the caches are cleared."""
    from loaders.importer import import_file

    db = tmp_path / "screen.duckdb"
    shutil.copyfile(app_env, db)
    monkeypatch.setenv("SAFETY_DB", str(db))
    at = run_screen({"region": "430000"})
    before = kpis_in(html_of(at))["accidents"][0]
    updated_before = html_of(at).split('class="scr-updated">')[1].split("<")[0]
    csv = tmp_path / "new.csv"
    csv.write_text(
        "事故编号,发生时间,地区,行业领域,事故单位,死亡人数\n"
        "SCR-1,2025-03-02 10:00,长沙市岳麓区,工贸,甲,1\n"
        "SCR-2,2025-04-02 10:00,株洲市天元区,建筑施工,乙,0\n",
        encoding="utf-8",
    )
    import time

    time.sleep(1.1)  # the update time is shown to the minute, but the token to the second: a new second
    result = import_file(Store(db), csv, "accidents")
    assert result.new == 2
    at.run()
    assert not at.exception
    html = html_of(at)
    assert kpis_in(html)["accidents"][0] == fmt_count(int(before.replace(",", "")) + 2, "zh")
    logged = Store(db).query("SELECT imported_at FROM imports WHERE import_id = ?", [result.import_id]).iloc[0, 0]
    assert f'class="scr-updated">{logged:%Y-%m-%d %H:%M}<' in html
    assert updated_before  # there was an update time before, too


@pytest.mark.parametrize(
    ("module", "name"),
    [
        ("webapp.state", "brief"),
        ("webapp.state", "data_stamp"),
        ("webapp.state", "risk_table"),
        ("reports.screen", "body_html"),
        ("reports.screen", "info_html"),
    ],
)
def test_a_failed_refresh_shows_the_last_figures_calmly(app_env: Path, monkeypatch, module: str, name: str):
    """Reading or drawing fails: the last good figures stay, with a calm note; the error is not shown."""
    import importlib

    from store import StoreBusy
    from webapp import state as app_state

    at = run_screen({"region": "430000"})
    good = kpis_in(html_of(at))
    assert good and 'data-banner="error"' not in html_of(at)

    def broken(*args, **kwargs):
        raise RuntimeError("the disk is on fire")

    monkeypatch.setattr(importlib.import_module(module), name, broken)
    at.run()
    assert not at.exception
    html = html_of(at)
    assert kpis_in(html) == good  # the last good figures
    assert "暂时无法读取最新数据，显示的是" in html and "the disk is on fire" not in html and "Traceback" not in html

    def busy(*args, **kwargs):
        raise StoreBusy("locked")

    monkeypatch.setattr(app_state, "brief", busy)
    at.run()
    assert not at.exception and kpis_in(html_of(at)) == good


def test_nothing_to_show_yet_is_calm_too(app_env: Path, monkeypatch):
    from webapp import state as app_state

    def broken(*args, **kwargs):
        raise RuntimeError("no")

    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=RUN_TIMEOUT)
    at.run()
    monkeypatch.setattr(app_state, "brief", broken)
    at.switch_page("views/screen.py").run()
    assert not at.exception
    assert "暂时无法读取数据，稍后自动重试。" in html_of(at)


def test_a_bad_setting_is_named_calmly(app_env: Path, monkeypatch):
    monkeypatch.setenv("SAFETY_SCREEN_REFRESH_S", "1")
    at = run_screen({})
    assert not at.exception
    assert [e.value for e in at.error] == [
        "大屏设置有误：SAFETY_SCREEN_REFRESH_S='1' is not a number of seconds from 5 to 86400 (e.g. 60)"
    ]
