"""Shared fixtures: one small demo store per session, the app's pages, a live app server.

The pages of the app are listed once, in ``PAGES``; every test that takes an ``app_page``
argument runs once per page (and once per language if it also takes ``lang``).
"""

from __future__ import annotations

import contextlib
import datetime
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import streamlit as st

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"

DEMO_SEED = 7
DEMO_HAZARDS = 20_000
DEMO_TODAY = datetime.date(2025, 6, 15)


@dataclass(frozen=True)
class AppPage:
    key: str  # short name: test ids, screenshot names
    path: str  # the st.Page source, relative to dashboard.py
    url_path: str  # st.Page(url_path=...)
    title_zh: str  # st.title of the page in each language
    title_en: str
    default: bool = False  # st.Page(default=True): Streamlit serves it at the root, not at /<url_path>

    def title(self, lang: str) -> str:
        return self.title_zh if lang == "zh" else self.title_en

    @property
    def public_path(self) -> str:
        """Where a browser finds the page: ``<base>/<public_path>``."""
        return "" if self.default else self.url_path


# Every page of dashboard.py. Add new pages here: the AppTest and browser tests pick them up.
PAGES: list[AppPage] = [
    AppPage("briefing", "views/briefing.py", "briefing", "领导驾驶舱", "Briefing", default=True),
    AppPage("trends", "views/trends.py", "trends", "趋势分析", "Trends"),
    AppPage("map", "views/risk_map.py", "map", "风险地图", "Risk map"),
    AppPage("hazards", "views/hazards.py", "hazards", "隐患整改", "Hazard rectification"),
    AppPage("explorer", "views/explorer.py", "explore", "分析查询", "Explorer"),
    AppPage("data", "views/data_status.py", "data", "数据管理", "Data management"),
    AppPage("present", "views/present.py", "present", "会议演示", "Presentation"),
    AppPage("screen", "views/screen.py", "screen", "安全生产态势", "Production safety"),
]
LANGS = ("zh", "en")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    explicit = {name.strip() for m in metafunc.definition.iter_markers("parametrize")
                for name in (m.args[0].split(",") if isinstance(m.args[0], str) else m.args[0])}
    if "app_page" in metafunc.fixturenames and "app_page" not in explicit:
        metafunc.parametrize("app_page", PAGES, ids=[p.key for p in PAGES])
    if "lang" in metafunc.fixturenames and "lang" not in explicit:
        metafunc.parametrize("lang", LANGS)


# ---------------------------------------------------------------- data


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Path of a small demo store, built once per test session."""
    from loaders.demo import build_demo_store

    path = tmp_path_factory.mktemp("demo") / "safety.duckdb"
    build_demo_store(path, seed=DEMO_SEED, hazards=DEMO_HAZARDS, today=DEMO_TODAY)
    assert path.exists(), f"build_demo_store did not create {path}"
    return path


@pytest.fixture(autouse=True)
def _clear_streamlit_caches():
    """Each test starts with empty st.cache_data / st.cache_resource (the cached store among them)."""
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def app_env(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The app (AppTest) reads the session's demo store and never builds one of its own."""
    monkeypatch.setenv("SAFETY_DB", str(demo_db))
    monkeypatch.setenv("SAFETY_TODAY", DEMO_TODAY.isoformat())  # "this year to date" has data
    monkeypatch.setenv("SAFETY_DEMO", "0")
    return demo_db


# ---------------------------------------------------------------- live server


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as resp:
            return resp.status == 200 and resp.read().strip() == b"ok"
    except (urllib.error.URLError, OSError):
        return False


_server_log_key = pytest.StashKey[Path]()


@contextlib.contextmanager
def serve(db: Path, log_path: Path, port: int | None = None) -> Iterator[str]:
    """``streamlit run dashboard.py`` on a free local port (or ``port``: a restart on the same one),
    serving the store ``db``; yields the base URL."""
    port = port or _free_port()
    env = {**os.environ, "SAFETY_DB": str(db), "SAFETY_DEMO": "0", "PYTHONUNBUFFERED": "1",
           "SAFETY_TODAY": DEMO_TODAY.isoformat()}
    cmd = [sys.executable, "-m", "streamlit", "run", "dashboard.py",
           "--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true",
           "--browser.gatherUsageStats", "false"]
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while not _healthy(f"{base}/_stcore/health"):
            if proc.poll() is not None:
                raise RuntimeError(f"streamlit exited with {proc.returncode}:\n{log_path.read_text(errors='replace')}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"streamlit not healthy after 120 s:\n{log_path.read_text(errors='replace')}")
            time.sleep(0.25)
        yield base
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit died during the tests ({proc.returncode}):\n"
                               f"{log_path.read_text(errors='replace')}")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="session")
def app_server(demo_db: Path, request: pytest.FixtureRequest):
    """The app on the session's demo store (read only: no test writes to it); yields the base URL."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log_path = ARTIFACTS / "streamlit-server.log"
    request.config.stash[_server_log_key] = log_path
    with serve(demo_db, log_path) as base:
        yield base


@pytest.fixture
def writable_server(demo_db: Path, tmp_path: Path):
    """The app on a copy of the demo store, for a test that imports or undoes; yields (base URL, store path)."""
    import shutil

    db = tmp_path / "writable.duckdb"
    shutil.copyfile(demo_db, db)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with serve(db, ARTIFACTS / "streamlit-writable-server.log") as base:
        yield base, db


def pytest_terminal_summary(terminalreporter, exitstatus, config: pytest.Config) -> None:
    """After a failed run that used the live server, show the end of its log."""
    log_path = config.stash.get(_server_log_key, None)
    if exitstatus == 0 or log_path is None or not log_path.exists():
        return
    lines = log_path.read_text(errors="replace").splitlines()
    terminalreporter.section(f"streamlit server log ({log_path}, last 80 lines)")
    for line in lines[-80:]:
        terminalreporter.write_line(line)
