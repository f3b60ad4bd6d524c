"""Every page through Streamlit's AppTest (no browser): it runs, shows its title, and shows the real numbers."""

from __future__ import annotations

import re
from pathlib import Path

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
    assert at.query_params.get("lang") == lang


def test_unknown_language_falls_back_to_chinese(app_env: Path):
    at = run_page(PAGES[0], "xx")
    assert [t.value for t in at.title] == [PAGES[0].title_zh]


def test_data_page_shows_the_store_counts(app_env: Path, lang: str):
    at = run_page(_page("data"), lang)
    status = Store(app_env).status()
    expected = [f"{status[kind]['rows']:,}" for kind in ("accidents", "hazards", "accident_stats", "hazard_stats")]
    assert [m.value for m in at.metric] == expected
    # The demo store is not empty: these are real numbers, not zeros.
    assert status["accidents"]["rows"] > 0
    assert status["hazards"]["rows"] > 0
    labels = [m.label for m in at.metric]
    if lang == "zh":
        assert labels == ["事故记录", "隐患记录", "事故统计报表行", "隐患月报表行"]
    else:
        assert labels == ["Accident records", "Hazard records", "Accident statistics rows", "Hazard report rows"]


def _page(key: str) -> AppPage:
    return next(p for p in PAGES if p.key == key)
