"""Every page shows an import made by another process (the command line) on its next run, although
its answers are cached; and after the first page of a process, the other pages of that view are
computed in the background (warm-up), so they open from the cache."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DEMO_TODAY, ROOT
from streamlit.testing.v1 import AppTest

ACCIDENTS = (
    "事故编号,发生时间,地区,行业领域,事故单位,死亡人数\n"
    "FRESH-1,2025-03-02 10:00,长沙市岳麓区,工贸,甲,1\n"
    "FRESH-2,2025-04-02 10:00,株洲市天元区,建筑施工,乙,0\n"
)
HAZARDS = (
    "隐患编号,企业名称,所在地区,行业领域,隐患级别,发现日期,整改期限,整改状态\n"
    "FRESH-H1,丙厂,长沙市岳麓区,工贸,重大,2025-03-03,2025-04-01,整改中\n"
)


def _run(page: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.query_params["region"] = "430000"
    at.run()
    if page != "views/briefing.py":
        at.switch_page(page).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _cli_import(db: Path, csv: Path, kind: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "loaders", "import", kind, str(csv), "--db", str(db)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert re.match(
        r"read (\d+) rows: \1 new, 0 updated, 0 unchanged, 0 rejected; 0 skipped$", done.stdout.splitlines()[0]
    ), done.stdout


@pytest.mark.parametrize(
    ("page", "kind", "csv_text", "figure"),
    [
        ("views/briefing.py", "accidents", ACCIDENTS, lambda at: at.metric[0].value),
        ("views/hazards.py", "hazards", HAZARDS, lambda at: at.metric[4].value),  # open and overdue
        ("views/trends.py", "accidents", ACCIDENTS, lambda at: str(at.get("plotly_chart")[0].proto.spec)[:20000]),
    ],
)
def test_an_import_by_another_process_shows_on_the_next_run(
    app_env: Path, tmp_path: Path, monkeypatch, page, kind, csv_text, figure
) -> None:
    db = tmp_path / "fresh.duckdb"
    shutil.copyfile(app_env, db)
    monkeypatch.setenv("SAFETY_DB", str(db))
    at = _run(page)
    before = figure(at)
    at.run()
    assert figure(at) == before  # a rerun without an import: the same (cached) figures
    csv = tmp_path / "new.csv"
    csv.write_text(csv_text, encoding="utf-8")
    _cli_import(db, csv, kind)  # another process: it asks this one to let go of the store, and writes
    at.run()
    assert not at.exception
    assert figure(at) != before


def test_the_first_page_warms_the_other_pages(app_env: Path, monkeypatch) -> None:
    from analytics import trends as trends_module
    from webapp import state as app_state

    monkeypatch.setenv("SAFETY_WARM_UP", "1")
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.run()
    assert not at.exception
    thread = app_state._warm_state()["thread"]
    assert thread is not None
    thread.join(timeout=300)
    assert not thread.is_alive()

    # The Trends answer of that view is now cached: computing it again would fail, and it is not computed.
    def fail(*_args, **_kwargs):
        raise AssertionError("computed again: the warm-up did not cache it")

    monkeypatch.setattr(trends_module, "trend_data", fail)
    period = at.session_state["view"].period
    data = app_state.trends(str(app_env), "100000", period, None, "all")
    assert len(data.current) == len(period.months())
    assert app_state.warm_up(at.session_state["view"]) is None  # once per process
    assert at.session_state["view"].today == DEMO_TODAY
