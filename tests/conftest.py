"""Shared fixtures: one small demo store per session, the app's pages, a live app server.

The pages of the app are listed once, in ``PAGES``; every test that takes an ``app_page``
argument runs once per page (and once per language if it also takes ``lang``).
"""

from __future__ import annotations

import contextlib
import datetime
import os
import re
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
    AppPage("accounts", "views/accounts.py", "accounts", "账号管理", "Accounts"),
]
LANGS = ("zh", "en")

# ---------------------------------------------------------------- logging in
#
# Every store the tests build from the demo template holds one account per role, ``test-<role>``, with
# TEST_PASSWORD (no change required) and an open session whose token is TEST_TOKENS[role]. The AppTests log
# in as ``test-admin`` (the session state set up as a login does, webapp.session.remember) unless marked
# ``@pytest.mark.login_as("viewer")`` or ``@pytest.mark.anonymous``; the browser tests carry the session's
# cookie (tests/browser: new_page). Those tokens are never logged out: a test that logs out logs in first.
TEST_PASSWORD = "Test-password-2025"
TEST_REGIONS = {"viewer": "430000", "analyst": "430000", "data": "430000", "admin": "100000"}
TEST_TOKENS = {role: f"test-session-{role}-7c1e9a52d4b84f0e9d3a6b1c5e8f2a47" for role in TEST_REGIONS}
# Sessions of the tests outlive the default inactivity timeout (the template is built at the start of a
# run that may last longer): the timeout itself is tested with its own clock (tests/test_accounts.py).
TEST_SESSION_ENV = {"SAFETY_SESSION_IDLE_MIN": "100000", "SAFETY_SESSION_MAX_HOURS": "100000"}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "login_as(role): the AppTests of this test log in as test-<role> (default admin)"
    )
    config.addinivalue_line("markers", "anonymous: the AppTests of this test do not log in (the login page)")


def as_shown(markdown: str) -> str:
    """A Markdown string as the page shows it: the backslash escapes of ``i18n.md_text`` (imported text and
    link values) read as the characters they stand for (CommonMark: a backslash before punctuation)."""
    return re.sub(r"\\(.)", r"\1", markdown)


def account_name(role: str) -> str:
    return f"test-{role}"


def login_token(db: Path, role: str = "admin") -> str:
    """A session token of ``test-<role>`` valid in the store ``db``: TEST_TOKENS[role] where that session is
    open, else a new session; the account (and the store's access tables) are made when missing."""
    from accounts import service
    from store import Store
    from store import accounts_queries as aq

    store = Store(db)
    store.ensure_schema()
    name = account_name(role)
    if aq.account_row(store, name) is None:
        service.create_account(
            store, name, role, TEST_REGIONS[role], TEST_PASSWORD, display=f"测试{role}", must_change=False, actor="test"
        )
    token = TEST_TOKENS[role]
    row = aq.session_row(store, service.token_hash(token))
    far = datetime.datetime.now() + datetime.timedelta(days=3650)
    if row is None:
        aq.insert_session(store, service.token_hash(token), name, datetime.datetime.now(), far, "test")
    elif row["revoked_at"] is not None:
        token = service.open_session(store, name, "test", _test_policy())
    return token


def _test_policy():
    from accounts.model import auth_policy

    return auth_policy(TEST_SESSION_ENV)


def seed_logins(db: Path) -> None:
    """Every test account and its session in ``db`` (the demo template: its copies carry them)."""
    for role in TEST_REGIONS:
        login_token(db, role)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    explicit = {
        name.strip()
        for m in metafunc.definition.iter_markers("parametrize")
        for name in (m.args[0].split(",") if isinstance(m.args[0], str) else m.args[0])
    }
    if "app_page" in metafunc.fixturenames and "app_page" not in explicit:
        metafunc.parametrize("app_page", PAGES, ids=[p.key for p in PAGES])
    if "lang" in metafunc.fixturenames and "lang" not in explicit:
        metafunc.parametrize("lang", LANGS)


# Browser tests that start a live server of their own (on a store they write to): the longest of them.
_OWN_SERVER = {"writable_server", "writable_db", "aged_store"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The browser tests last (otherwise in the order collected). Under ``--dist worksteal`` each worker
    starts on a contiguous half of the list and, when done, takes over the tail of the other's: with the
    slow browser tests at the tail, the two workers share them at the end instead of one worker running
    all of them while the other has long finished. Among them, those with a server of their own come
    first, so that what is left to share at the very end is short (one page each)."""

    def order(item: pytest.Item) -> tuple[bool, bool]:
        browser = item.get_closest_marker("browser") is not None
        return browser, browser and not _OWN_SERVER & set(getattr(item, "fixturenames", ()))

    items.sort(key=order)  # stable: the order collected otherwise


# ---------------------------------------------------------------- data


def worker_id() -> str:
    """``gw0``, ``gw1`` … under pytest-xdist (``-n``), ``main`` in a plain run."""
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


def run_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The temporary folder of the whole run, shared by the xdist workers (each has a folder of its own
    below it), for what is made once per run whatever the number of workers."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if "PYTEST_XDIST_WORKER" in os.environ else base


def built_once(tmp_path_factory: pytest.TempPathFactory, name: str, build) -> Path:
    """``build(path)`` once per run, whichever worker asks first (the others wait on a file lock); the path
    of what it made. It is built in a folder of its own that is renamed when complete, so its side files
    (a DuckDB ``.wal``) come with it and no worker ever sees half of it."""
    from filelock import FileLock

    root = run_root(tmp_path_factory) / "built-once"
    root.mkdir(parents=True, exist_ok=True)
    done = root / name
    with FileLock(str(root / f"{name}.lock")):
        if not done.exists():
            part = root / f"{name}.part"
            if part.exists():
                import shutil

                shutil.rmtree(part)
            part.mkdir()
            build(part / name)
            assert (part / name).exists(), f"{build} did not create {part / name}"
            part.rename(done)
    return done / name


def copy_store(src: Path, dst: Path) -> Path:
    """A copy of a DuckDB store (and of its write-ahead log, if any): much cheaper than building one."""
    import shutil

    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dst)
    wal = src.with_name(src.name + ".wal")
    if wal.exists():
        shutil.copyfile(wal, dst.with_name(dst.name + ".wal"))
    return dst


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small demo store, built once per run (about 20 s) and never opened by a test: copy it."""
    from loaders.demo import build_demo_store

    def build(path: Path) -> None:
        build_demo_store(path, seed=DEMO_SEED, hazards=DEMO_HAZARDS, today=DEMO_TODAY)
        seed_logins(path)
        from store import Store

        Store(path).close()

    return built_once(tmp_path_factory, "demo.duckdb", build)


@pytest.fixture(scope="session")
def demo_db(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Path of the small demo store of this worker (a copy of the run's one build): its facts are read
    only (a test that imports or undoes takes a copy: :func:`copy_store`, or ``writable_db``); the
    AppTests' logins write its access tables, so the live server has a copy of its own (``app_server``)."""
    return copy_store(demo_template, tmp_path_factory.mktemp("demo") / "safety.duckdb")


@pytest.fixture(scope="session")
def empty_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new store with the schema and nothing in it, made once per run: copy it (:func:`empty_store`)."""
    from store import open_store

    return built_once(tmp_path_factory, "empty.duckdb", lambda path: open_store(path).close())


def empty_store(template: Path, path: Path):
    """The store ``open_store(path)`` makes at a new path, as a copy of ``empty_template`` (cheaper than
    creating the schema again)."""
    from store import open_store

    assert not path.exists(), path
    return open_store(copy_store(template, path))


@pytest.fixture
def writable_db(demo_template: Path, tmp_path: Path) -> Path:
    """A copy of the demo store of the test's own, to write to."""
    return copy_store(demo_template, tmp_path / "writable.duckdb")


@pytest.fixture(autouse=True)
def _no_warm_up(monkeypatch: pytest.MonkeyPatch) -> None:
    """No background warm-up thread outliving its test (test_fresh_pages turns it on where it is tested)."""
    monkeypatch.setenv("SAFETY_WARM_UP", "0")


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


@pytest.fixture(autouse=True)
def _apptest_logs_in(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every ``AppTest.from_file`` starts logged in, as a login leaves the session state (the session's token,
    webapp.session.remember), in the store the app will open (``$SAFETY_DB`` when the AppTest is made):
    as test-admin, or the role of ``@pytest.mark.login_as(role)``; not at all with ``@pytest.mark.anonymous``."""
    for name, value in TEST_SESSION_ENV.items():
        monkeypatch.setenv(name, value)
    if request.node.get_closest_marker("anonymous") is not None:
        return
    marker = request.node.get_closest_marker("login_as")
    role = marker.args[0] if marker else "admin"
    from streamlit.testing.v1 import AppTest

    from store import default_db_path
    from webapp.session import remember

    original = AppTest.from_file

    def from_file(*args, **kwargs) -> AppTest:
        at = original(*args, **kwargs)
        remember(at.session_state, login_token(default_db_path(), role))
        return at

    monkeypatch.setattr(AppTest, "from_file", from_file)


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
    """``streamlit run app.py`` (the dashboard with its login's cookie route) on a free local port (or
    ``port``: a restart on the same one), serving the store ``db``; yields the base URL. The test accounts'
    sessions (TEST_TOKENS) are valid in every copy of the demo template."""
    port = port or _free_port()
    env = {
        **os.environ,
        "SAFETY_DB": str(db),
        "SAFETY_DEMO": "0",
        "PYTHONUNBUFFERED": "1",
        "SAFETY_TODAY": DEMO_TODAY.isoformat(),
        **TEST_SESSION_ENV,
    }
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "app.py",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
    ]
    log_path.parent.mkdir(parents=True, exist_ok=True)  # a fresh clone has no tests/artifacts/ yet
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
            raise RuntimeError(
                f"streamlit died during the tests ({proc.returncode}):\n{log_path.read_text(errors='replace')}"
            )
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="session")
def app_server(demo_template: Path, tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest):
    """The app on a copy of the demo store of its own; yields the base URL. Not on ``demo_db``: a login
    writes (sessions, the audit trail), both in the server and in this worker's AppTests, and two processes
    writing one DuckDB file collide (a checkpoint that cannot lock the log invalidates the database)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log_path = ARTIFACTS / f"streamlit-server-{worker_id()}.log"
    request.config.stash[_server_log_key] = log_path
    db = copy_store(demo_template, tmp_path_factory.mktemp("served") / "safety.duckdb")
    with serve(db, log_path) as base:
        yield base


@pytest.fixture
def writable_server(writable_db: Path):
    """The app on a copy of the demo store, for a test that imports or undoes; yields (base URL, store path)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with serve(writable_db, ARTIFACTS / "streamlit-writable-server.log") as base:
        yield base, writable_db


# ---------------------------------------------------------------- the browser (tests/browser)

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]


@pytest.fixture(scope="session")
def browser():
    """Debian's headless Chromium driven by Playwright, one per xdist worker (tests/browser/helpers.py opens
    its pages). Here rather than in a tests/browser/conftest.py: two modules named conftest would take each
    other's place in ``from conftest import ...``."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} not found: install Debian's chromium (bash scripts/test.sh does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


_run_started_key = pytest.StashKey[float]()


def pytest_sessionstart(session: pytest.Session) -> None:
    session.config.stash[_run_started_key] = time.time()


def pytest_terminal_summary(terminalreporter, exitstatus, config: pytest.Config) -> None:
    """After a failed run that used the live server, show the end of its log (of each xdist worker's)."""
    if exitstatus == 0:
        return
    log_path = config.stash.get(_server_log_key, None)
    if log_path is not None:
        logs = [log_path]
    else:  # the xdist controller: the workers' servers wrote these during this run
        started = config.stash.get(_run_started_key, time.time())
        logs = sorted(p for p in ARTIFACTS.glob("streamlit-server-*.log") if p.stat().st_mtime >= started)
    for log_path in logs:
        if not log_path.exists():
            continue
        lines = log_path.read_text(errors="replace").splitlines()
        terminalreporter.section(f"streamlit server log ({log_path}, last 80 lines)")
        for line in lines[-80:]:
            terminalreporter.write_line(line)


# ---------------------------------------------------------------- the command line, in this process


def run_in_process(module: str, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """``python -m <module> <args>`` (loaders or reports) through the module's ``main`` in this process: its
    exit code, standard output and error, without an interpreter start per call (a ``SystemExit``, as
    argparse raises for a bad argument, is its exit code). ``env``: variables set for the call only, as a
    process would be started with them. The behaviours that need a process of their own (the exit code and
    the single line on stderr of ``python -m loaders`` as run, a reader stopped at its memory limit, an
    import by another process) keep a true subprocess test each."""
    import contextlib
    import importlib
    import io

    main = importlib.import_module(f"{module}.cli").main
    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as mp, contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        for name, value in (env or {}).items():
            mp.setenv(name, value)
        try:
            code = main(list(args))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
            if isinstance(exc.code, str):
                print(exc.code, file=sys.stderr)
    return subprocess.CompletedProcess(["python", "-m", module, *args], code, out.getvalue(), err.getvalue())
