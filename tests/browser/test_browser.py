"""Every page in a real browser: Debian's headless Chromium driven by Playwright against a live server.

Each page in each language is opened at 1920x1080, screenshotted to tests/artifacts/screenshots/,
and must render without an exception and without any request leaving this machine (the dashboard
runs on isolated networks: no CDN, no web fonts, no tiles from the internet).
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import ARTIFACTS, TEST_PASSWORD, TEST_TOKENS, AppPage, _free_port, serve
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
VIEWPORT = {"width": 1920, "height": 1080}
SCREENSHOTS = ARTIFACTS / "screenshots"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
LOCAL_SCHEMES = {"data", "blob", "about"}
TIMEOUT_MS = 60_000


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} not found: install Debian's chromium (bash scripts/test.sh does)")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


def offsite(url: str) -> bool:
    """True for a URL that leaves this machine."""
    parts = urlsplit(url)
    if parts.scheme in LOCAL_SCHEMES:
        return False
    return parts.hostname not in LOCAL_HOSTS


IDLE_FOR_MS = 500
_idle_calls = itertools.count()


def wait_until_idle(page: Page) -> None:
    """Connected, the script not running, no "Running..." status widget and no skeleton, without a break
    for 0.5 s from this call on (a finished run may trigger another: st.rerun, a query-parameter change)."""
    idle = """([quiet, call]) => {
        const app = document.querySelector('[data-testid="stApp"]');
        const now = app && app.dataset.testConnectionState === "CONNECTED"
            && app.dataset.testScriptState === "notRunning"
            && !document.querySelector('[data-testid="stStatusWidget"]')
            && !document.querySelector('[data-testid="stSkeleton"]');
        if (window.__idleCall !== call || !now) { window.__idleCall = call; window.__idleSince = undefined; }
        if (!now) return false;
        if (window.__idleSince === undefined) window.__idleSince = performance.now();
        return performance.now() - window.__idleSince >= quiet;
    }"""
    page.wait_for_function(idle, arg=[IDLE_FOR_MS, next(_idle_calls)], timeout=TIMEOUT_MS, polling=50)


def login_cookie(role: str = "admin") -> dict[str, object]:
    """The session cookie of test-<role> (its session is in every copy of the demo template: conftest), as
    the login's cookie route sets it (accounts/web.py). Cookies do not depend on the port."""
    from accounts.web import COOKIE

    return {"name": COOKIE, "value": TEST_TOKENS[role], "domain": "127.0.0.1", "path": "/", "httpOnly": True,
            "sameSite": "Strict"}


def new_context(browser: Browser, lang: str = "zh", viewport: dict[str, int] | None = None,
                role: str | None = "admin", **context_args: object) -> BrowserContext:
    """A fresh browser context with the locale of ``lang``, logged in as test-<role> (None: not logged in)."""
    context = browser.new_context(viewport=viewport or VIEWPORT, locale="zh-CN" if lang == "zh" else "en-US",
                                  **context_args)
    if role is not None:
        context.add_cookies([login_cookie(role)])
    return context


def new_page(browser: Browser, lang: str = "zh", viewport: dict[str, int] | None = None,
             role: str | None = "admin", **context_args: object) -> tuple[Page, list[str]]:
    """A page in a fresh context with the locale of ``lang``, logged in as test-<role>, recording every URL
    it requests (HTTP and websockets) for :func:`assert_stays_local`. Close it with ``page.context.close()``."""
    context = new_context(browser, lang, viewport, role, **context_args)
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda req: requested.append(req.url))
    page.on("websocket", lambda ws: requested.append(ws.url))
    return page, requested


def assert_stays_local(requested: list[str]) -> None:
    offenders = sorted({url for url in requested if offsite(url)})
    assert not offenders, "requests that left this machine:\n" + "\n".join(offenders)


def open_page(browser: Browser, base: str, app_page: AppPage, lang: str) -> tuple[Page, list[str]]:
    """Open the page, wait until rendered and idle; returns the page and every URL it requested."""
    page, requested = new_page(browser, lang)
    page.goto(f"{base}/{app_page.public_path}?lang={lang}", timeout=TIMEOUT_MS)
    page.get_by_role("heading", name=app_page.title(lang), exact=True).first.wait_for(timeout=TIMEOUT_MS)
    wait_until_idle(page)
    return page, requested


def test_page_renders_locally(browser: Browser, app_server: str, app_page: AppPage, lang: str):
    page, requested = open_page(browser, app_server, app_page, lang)
    try:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{app_page.key}-{lang}.png"), full_page=True)

        exceptions = page.locator('[data-testid="stException"]')
        assert exceptions.count() == 0, exceptions.all_inner_texts()
        body = page.locator("body").inner_text()
        assert "Traceback" not in body
        # Streamlit shows this dialog (and runs the default page) for a URL that matches no page.
        assert "Page not found" not in body, f"{app_page.public_path!r} is not a page of the app"

        title = page.get_by_role("heading", name=app_page.title(lang), exact=True)
        assert title.first.is_visible()
        assert app_page.title("en" if lang == "zh" else "zh") not in [h.strip() for h in
                                                                       page.locator("h1").all_inner_texts()]

        assert requested, "no request recorded"
        assert_stays_local(requested)
    finally:
        page.context.close()


def _session_cookie(page: Page) -> dict | None:
    from accounts.web import COOKIE

    return next((c for c in page.context.cookies() if c["name"] == COOKIE), None)


def test_login_through_the_form_opens_the_linked_page_survives_a_reload_and_logout_ends_it(browser: Browser,
                                                                                          app_server: str):
    """The login form before anything else; the page and filters the link asked for after it; the session
    kept across a reload in an HttpOnly cookie the page's scripts cannot read; the logout ends it."""
    page, requested = new_page(browser, "zh", role=None)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    try:
        page.goto(f"{app_server}/trends?period=2024&region=430000", timeout=TIMEOUT_MS)
        page.get_by_role("button", name="登录 / Log in").wait_for(timeout=TIMEOUT_MS)
        wait_until_idle(page)
        assert page.locator('[data-testid="stSidebarNav"]').count() == 0  # not even the navigation
        assert page.locator('[data-testid="stMetric"]').count() == 0
        assert page.get_by_label("用户名 / Username").is_visible() and page.get_by_label("密码 / Password").is_visible()
        page.screenshot(path=str(SCREENSHOTS / "login-0-form.png"))
        page.get_by_label("用户名 / Username").fill("test-analyst")
        page.get_by_label("密码 / Password").fill("wrong-password-1")
        page.get_by_role("button", name="登录 / Log in").click()
        page.get_by_text("用户名或密码不正确。 / Wrong user name or password.").wait_for(timeout=TIMEOUT_MS)
        page.screenshot(path=str(SCREENSHOTS / "login-1-wrong.png"))
        page.get_by_label("密码 / Password").fill(TEST_PASSWORD)
        page.get_by_role("button", name="登录 / Log in").click()
        page.get_by_role("heading", name="趋势分析", exact=True).first.wait_for(timeout=TIMEOUT_MS)
        wait_until_idle(page)
        assert "period=2024" in page.url and "region=430000" in page.url
        for _ in range(50):  # the page hands the session to the cookie route right after the login
            if _session_cookie(page):
                break
            page.wait_for_timeout(100)
        cookie = _session_cookie(page)
        assert cookie is not None and cookie["httpOnly"] and cookie["sameSite"] == "Strict"
        assert cookie["value"] not in page.evaluate("() => document.cookie")  # no script in the page can read it
        assert page.locator('[data-testid="stSidebarNav"]').get_by_text("分析查询").count() == 1  # an analyst's page
        assert page.locator('[data-testid="stSidebarNav"]').get_by_text("数据管理").count() == 0  # not an analyst's
        page.screenshot(path=str(SCREENSHOTS / "login-2-logged-in.png"))
        page.reload(timeout=TIMEOUT_MS)  # a new Streamlit session: the cookie, not the password
        page.get_by_role("heading", name="趋势分析", exact=True).first.wait_for(timeout=TIMEOUT_MS)
        wait_until_idle(page)
        assert page.get_by_role("button", name="登录 / Log in").count() == 0
        page.get_by_role("button", name="退出登录").click()
        page.get_by_role("button", name="登录 / Log in").wait_for(timeout=TIMEOUT_MS)
        page.get_by_text("已退出登录。 / You have logged out.").wait_for(timeout=TIMEOUT_MS)
        page.screenshot(path=str(SCREENSHOTS / "login-3-logged-out.png"))
        page.reload(timeout=TIMEOUT_MS)
        page.get_by_role("button", name="登录 / Log in").wait_for(timeout=TIMEOUT_MS)
        assert page.locator('[data-testid="stException"]').count() == 0
        assert_stays_local(requested)
    finally:
        page.context.close()


def test_a_viewer_opening_the_explorer_by_its_link_is_told_so_and_sees_nothing(browser: Browser, app_server: str):
    page, requested = new_page(browser, "zh", role="viewer")
    try:
        page.goto(f"{app_server}/explore?period=2024", timeout=TIMEOUT_MS)
        page.get_by_role("heading", name="无权访问", exact=True).wait_for(timeout=TIMEOUT_MS)
        wait_until_idle(page)
        nav = page.locator('[data-testid="stSidebarNav"]')
        assert nav.get_by_text("领导驾驶舱").count() == 1
        assert nav.get_by_text("分析查询").count() == 0 and nav.get_by_text("数据管理").count() == 0
        assert page.get_by_text("您的角色（领导查看）无权查看此页面").is_visible()
        assert page.locator('[data-testid="stDataFrame"], [data-testid="stMetric"], .js-plotly-plot').count() == 0
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "login-viewer-explorer-denied.png"))
        assert_stays_local(requested)
    finally:
        page.context.close()


def test_offsite_detection():
    assert not offsite("http://127.0.0.1:8501/static/js/index.js")
    assert not offsite("ws://localhost:8501/_stcore/stream")
    assert not offsite("http://[::1]:8501/")
    assert not offsite("data:image/png;base64,AAAA")
    assert not offsite("blob:http://127.0.0.1:8501/1234")
    assert offsite("https://fonts.googleapis.com/css2?family=Noto+Sans+SC")
    assert offsite("https://webapi.amap.com/maps?v=2.0")
    assert offsite("http://127.0.0.1.example.com/x")


def test_clicking_a_ranking_bar_sets_the_region(browser: Browser, app_server: str):
    """Trends: a click on a child region's bar narrows the shared filter to that region."""
    context = new_context(browser)
    page = context.new_page()
    try:
        page.goto(f"{app_server}/trends?period=2024&region=430000", timeout=TIMEOUT_MS)
        page.get_by_role("heading", name="趋势分析", exact=True).first.wait_for(timeout=TIMEOUT_MS)
        wait_until_idle(page)
        chart = page.locator(".st-key-rank_children_430000")
        chart.scroll_into_view_if_needed()
        bar = chart.locator(".barlayer .point path").first
        bar.wait_for(timeout=TIMEOUT_MS)
        box = bar.bounding_box()
        assert box is not None
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.wait_for_function("() => new URL(location.href).searchParams.get('region') !== '430000'",
                               timeout=TIMEOUT_MS)
        wait_until_idle(page)
        region = page.evaluate("() => new URL(location.href).searchParams.get('region')")
        assert region is not None and region.startswith("43") and region != "430000"
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "trends-after-click.png"))
        caption = page.locator('[data-testid="stCaptionContainer"]').first.inner_text()
        assert caption.startswith("湖南省") and caption != "湖南省 · 2024年"
    finally:
        page.context.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(("region", "children"), [("100000", 34), ("430000", 14), ("430100", 9)],
                         ids=["national", "province", "city"])
def test_risk_map_draws_coloured_shapes_offline(browser: Browser, app_server: str, region: str, children: int,
                                                lang: str):
    """The map at each level: every child region drawn and coloured, the legend readable, and not a
    single request leaving the machine (Leaflet comes from the app itself, there are no tiles)."""
    page, requested = new_page(browser, lang)
    try:
        page.goto(f"{app_server}/map?period=2024&region={region}&lang={lang}", timeout=TIMEOUT_MS)
        page.get_by_role("heading", name="风险地图" if lang == "zh" else "Risk map", exact=True).first.wait_for(
            timeout=TIMEOUT_MS)
        wait_until_idle(page)
        frame = page.frame_locator('iframe[title="streamlit_folium.st_folium"]').first
        shapes = frame.locator("path.leaflet-interactive")
        shapes.first.wait_for(timeout=TIMEOUT_MS)
        page.wait_for_timeout(800)
        assert shapes.count() >= children
        fills = set(shapes.evaluate_all("els => els.map(e => e.getAttribute('fill'))"))
        assert len(fills - {"#c8c8c8"}) >= 2, fills  # coloured, not all grey
        legend = frame.get_by_text("重大风险" if lang == "zh" else "major risk", exact=True).first
        assert legend.is_visible()
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"map-{region}-{lang}.png"))
        assert_stays_local(requested)
        assert any("/app/static/vendor/leaflet/leaflet.js" in url for url in requested)
    finally:
        page.context.close()



def test_language_switches_and_page_switch_keep_every_filter(browser: Browser, app_server: str):
    """The reviewer's repro: zh → en → zh, then another page; the link keeps its values (codes, not labels)."""
    query = "period=2025-03&region=430100&industry=coal_mine&grade=larger_plus"
    context = new_context(browser)
    page = context.new_page()
    try:
        page.goto(f"{app_server}/?{query}", timeout=TIMEOUT_MS)
        wait_until_idle(page)
        page.get_by_text("English", exact=True).click()
        wait_until_idle(page)
        assert page.url.endswith(query + "&lang=en")
        page.get_by_text("中文", exact=True).click()
        wait_until_idle(page)
        page.get_by_role("link", name="趋势分析").click()
        wait_until_idle(page)
        assert page.url.endswith("/trends?" + query)
        assert page.locator('[data-testid="stException"]').count() == 0
    finally:
        page.context.close()


def test_clicking_a_province_on_the_map_drills_down(browser: Browser, app_server: str):
    """A click on the national map narrows the shared region to the province clicked."""
    context = new_context(browser)
    page = context.new_page()
    try:
        page.goto(f"{app_server}/map?period=2024", timeout=TIMEOUT_MS)
        page.get_by_role("heading", name="风险地图", exact=True).first.wait_for(timeout=TIMEOUT_MS)
        wait_until_idle(page)
        # The point layer is switched off, so the click lands on a region rather than on a cluster.
        page.get_by_text("显示事故点位（聚合）", exact=True).click()
        wait_until_idle(page)
        iframe = page.locator('iframe[title="streamlit_folium.st_folium"]').first
        frame = page.frame_locator('iframe[title="streamlit_folium.st_folium"]').first
        frame.locator("path.leaflet-interactive").first.wait_for(timeout=TIMEOUT_MS)
        page.wait_for_timeout(1500)
        box = iframe.bounding_box()
        assert box is not None
        # The middle of the national map falls inside a province (四川, 甘肃, 青海 …).
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.wait_for_function("() => (new URL(location.href).searchParams.get('region') || '').endsWith('0000')",
                               timeout=TIMEOUT_MS)
        wait_until_idle(page)
        region = page.evaluate("() => new URL(location.href).searchParams.get('region')")
        assert region not in (None, "100000")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "map-after-click.png"))
        caption = page.locator('[data-testid="stCaptionContainer"]').first.inner_text()
        assert not caption.startswith("全国")
    finally:
        page.context.close()



def test_accident_points_are_clustered_and_a_cluster_opens_on_click(browser: Browser, app_server: str):
    """The clustered accident layer: neutral cluster bubbles over the coloured provinces; a click on one
    zooms in (and does not drill into the region under it); the layer can be switched off."""
    page, requested = new_page(browser, "zh")
    try:
        page.goto(f"{app_server}/map?period=2024&region=430000", timeout=TIMEOUT_MS)
        page.get_by_role("heading", name="风险地图", exact=True).first.wait_for(timeout=TIMEOUT_MS)
        wait_until_idle(page)
        frame = page.frame_locator('iframe[title="streamlit_folium.st_folium"]').first
        clusters = frame.locator(".accident-cluster")
        clusters.first.wait_for(timeout=TIMEOUT_MS)
        page.wait_for_timeout(800)
        before = clusters.count()
        counts = [int(x) for x in clusters.all_inner_texts()]
        assert before >= 2 and sum(counts) >= 20, counts
        assert page.get_by_text("有坐标的事故", exact=False).first.is_visible()
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "map-points-430000.png"))
        biggest = max(range(before), key=lambda i: counts[i])
        clusters.nth(biggest).click()
        page.wait_for_timeout(1500)
        # Zoomed in: the cluster split into smaller clusters or single points; the region stayed.
        assert page.evaluate("() => new URL(location.href).searchParams.get('region')") == "430000"
        after = frame.locator(".accident-cluster").count() + frame.locator("path.leaflet-interactive").count()
        assert after > before
        page.screenshot(path=str(SCREENSHOTS / "map-points-zoomed.png"))
        page.get_by_text("显示事故点位（聚合）", exact=True).click()
        wait_until_idle(page)
        frame.locator("path.leaflet-interactive").first.wait_for(timeout=TIMEOUT_MS)
        page.wait_for_timeout(800)
        assert frame.locator(".accident-cluster").count() == 0
        assert_stays_local(requested)
    finally:
        page.context.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_rectification_page_and_the_supervision_board(browser: Browser, app_server: str, lang: str):
    """The 隐患整改 page: rate tiles, charts drawn, the board; a click on a board row opens the hazard's
    full record; nothing leaves the machine."""
    page, requested = new_page(browser, lang, viewport={"width": 1920, "height": 2400})
    try:
        page.goto(f"{app_server}/hazards?period=2024&lang={lang}", timeout=TIMEOUT_MS)
        page.get_by_role("heading", name="隐患整改" if lang == "zh" else "Hazard rectification", exact=True).first.wait_for(
            timeout=TIMEOUT_MS)
        wait_until_idle(page)
        page.locator(".js-plotly-plot").nth(2).wait_for(timeout=TIMEOUT_MS)
        page.wait_for_timeout(1000)
        assert page.locator('[data-testid="stException"]').count() == 0
        assert page.locator('[data-testid="stMetric"]').count() >= 5
        assert page.locator(".js-plotly-plot .funnellayer .point").count() == 4  # the funnel has its four bars
        assert page.locator(".js-plotly-plot .scatterlayer .trace").count() >= 3  # backlog lines
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"hazards-{lang}.png"))
        heading = page.get_by_role("heading", name="重大隐患挂牌督办" if lang == "zh" else
                                   "Major hazards under supervision (挂牌督办)", exact=True).first
        heading.scroll_into_view_if_needed()
        board = page.locator('[data-testid="stDataFrame"]').nth(2)  # rankings ×2, then the board
        board.scroll_into_view_if_needed()
        page.wait_for_timeout(500)
        box = board.bounding_box()
        assert box is not None
        page.mouse.click(box["x"] + 16, box["y"] + 35 + 17)  # the first row's selection box
        dialog = page.get_by_role("dialog")
        dialog.wait_for(timeout=TIMEOUT_MS)
        dialog.get_by_text("隐患编号" if lang == "zh" else "Hazard id", exact=True).first.wait_for(timeout=TIMEOUT_MS)
        page.wait_for_timeout(500)
        page.screenshot(path=str(SCREENSHOTS / f"hazards-board-{lang}.png"))
        assert_stays_local(requested)
    finally:
        page.context.close()


EXPLORER_TITLE = {"zh": "分析查询", "en": "Explorer"}
EXPLORER_LINK = "period=2024&region=430000&ex_rows=industry&ex_cols=grade&ex_measure=deaths"


def _open_explorer(browser: Browser, base: str, query: str, lang: str) -> tuple[Page, list[str]]:
    page, requested = new_page(browser, lang, viewport={"width": 1920, "height": 2600}, accept_downloads=True)
    page.goto(f"{base}/explore?{query}&lang={lang}", timeout=TIMEOUT_MS)
    page.get_by_role("heading", name=EXPLORER_TITLE[lang], exact=True).first.wait_for(timeout=TIMEOUT_MS)
    wait_until_idle(page)
    return page, requested


def _explorer_heading(page: Page) -> str:
    """The heading of the Explorer's records: what they are and how many."""
    return page.locator('[data-testid="stMain"] [data-testid="stMarkdownContainer"]:has(strong)').first.inner_text()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_explorer_pivot_cell_click_record_and_xlsx(browser: Browser, app_server: str, lang: str):
    """分析查询: the pivot drawn; a click on a cell lists its records and goes into the link; a record opens in
    full; the records' XLSX download opens with openpyxl, its header block names the filters, its cells are typed."""
    import datetime as dt
    import io

    import openpyxl

    from exports.downloads import HEADER_ROWS

    page, requested = _open_explorer(browser, app_server, EXPLORER_LINK, lang)
    try:
        assert page.locator('[data-testid="stException"]').count() == 0
        grids = page.locator('[data-testid="stDataFrame"]')
        assert grids.count() == 3  # the pivot, the records, the comparison
        page.wait_for_timeout(800)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"explorer-full-{lang}.png"))
        assert _explorer_heading(page).startswith("全部：共 " if lang == "zh" else "all: ")

        # A click on a cell of the pivot (second row, first grade column): its records, and the link says so.
        pivot = grids.first
        box = pivot.bounding_box()
        assert box is not None
        page.mouse.click(box["x"] + box["width"] * 0.3, box["y"] + 35 + 35 + 17)
        page.wait_for_function("() => new URL(location.href).searchParams.has('ex_cell')", timeout=TIMEOUT_MS)
        wait_until_idle(page)
        cell = page.evaluate("() => new URL(location.href).searchParams.get('ex_cell')")
        assert cell.endswith("~general"), cell
        heading = _explorer_heading(page)
        what = heading.split("：" if lang == "zh" else ": ")[0]
        assert what.split(" · ")[1] in ("一般", "general"), heading
        assert "ex_rows=industry" in page.url and "period=2024" in page.url and "region=430000" in page.url

        # A record in full.
        records = grids.nth(1)
        records.scroll_into_view_if_needed()
        page.wait_for_timeout(500)
        rbox = records.bounding_box()
        assert rbox is not None
        page.mouse.click(rbox["x"] + 16, rbox["y"] + 35 + 17)  # the first row's selection box
        dialog = page.get_by_role("dialog")
        dialog.wait_for(timeout=TIMEOUT_MS)
        dialog.get_by_text("事故编号" if lang == "zh" else "Id", exact=True).first.wait_for(timeout=TIMEOUT_MS)
        page.wait_for_timeout(500)
        page.screenshot(path=str(SCREENSHOTS / f"explorer-record-{lang}.png"))
        page.keyboard.press("Escape")
        dialog.wait_for(state="hidden", timeout=TIMEOUT_MS)
        wait_until_idle(page)

        # The records' XLSX: every record of the cell, with the header block.
        button = page.get_by_role("button", name="XLSX").nth(1)  # the pivot's, then the records'
        with page.expect_download(timeout=TIMEOUT_MS) as info:
            button.click()
        path = info.value.path()
        with open(path, "rb") as f:
            ws = openpyxl.load_workbook(io.BytesIO(f.read())).active
        filters = ws.cell(2, 2).value
        if lang == "zh":
            assert ws.cell(2, 1).value == "筛选条件"
            assert "统计期间：2024年" in filters and "地区：湖南省" in filters and "单元格：" in filters
        else:
            assert ws.cell(2, 1).value == "筛选条件 Filters"
            assert "period: 2024" in filters and "cell: " in filters
        header = [c.value for c in ws[HEADER_ROWS + 1]]
        time_col = header.index("发生时间" if lang == "zh" else "发生时间 Time") + 1
        deaths_col = header.index("死亡人数" if lang == "zh" else "死亡人数 Deaths") + 1
        n = ws.max_row - HEADER_ROWS - 1
        assert n > 0
        for r in range(HEADER_ROWS + 2, ws.max_row + 1):
            assert isinstance(ws.cell(r, time_col).value, dt.datetime)
            assert isinstance(ws.cell(r, deaths_col).value, int)
        import re

        count = re.search(r"共 ([\d,]+) 条" if lang == "zh" else r": ([\d,]+) records", heading)
        assert count is not None and n == int(count.group(1).replace(",", "")), heading

        assert_stays_local(requested)
    finally:
        page.context.close()


UPLOAD_CSV = """事故编号,发生时间,地区,行业领域,事故单位,死亡人数,受伤人数,直接经济损失（万元）
UP-1,2024-05-03 10:00,长沙市岳麓区,建筑施工,甲建筑公司,1,0,30
UP-2,2024-05-10 09:00,长沙市芙蓉区,工贸,乙机械厂,1,2,20
UP-3,2024-06-01 08:00,株洲市天元区,危险化学品,丙化工公司,2,0,80
UP-4,2024-13-01 08:00,株洲市天元区,危险化学品,丁化工公司,1,0,10
"""


def test_upload_commit_and_the_briefing_changes(browser: Browser, writable_server, tmp_path):
    """Upload a ledger through the page, see the validation (one bad date rejected), commit, and the
    Briefing page shows the new numbers without a restart; a screenshot of each step."""
    base, _db = writable_server
    page, requested = new_page(browser, "zh", viewport={"width": 1920, "height": 1600})
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    brief_url = f"{base}/?period=2024&region=430000"

    def accidents_shown() -> int:
        page.goto(brief_url, timeout=TIMEOUT_MS)
        page.get_by_role("heading", name="领导驾驶舱", exact=True).first.wait_for(timeout=TIMEOUT_MS)
        wait_until_idle(page)
        value = page.locator('[data-testid="stMetricValue"]').first.inner_text()
        return int(value.replace(",", ""))

    try:
        before = accidents_shown()
        page.screenshot(path=str(SCREENSHOTS / "upload-0-briefing-before.png"))
        page.goto(f"{base}/data?period=2024&region=430000", timeout=TIMEOUT_MS)
        page.get_by_role("heading", name="数据管理", exact=True).first.wait_for(timeout=TIMEOUT_MS)
        wait_until_idle(page)
        page.get_by_role("tab", name="上传导入").click()
        ledger = tmp_path / "五月事故台账.csv"
        ledger.write_text(UPLOAD_CSV, encoding="utf-8")
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(ledger))
        page.get_by_text("④ 校验结果").wait_for(timeout=TIMEOUT_MS)
        wait_until_idle(page)
        page.get_by_text("① 表头").scroll_into_view_if_needed()
        page.screenshot(path=str(SCREENSHOTS / "upload-1-mapping.png"))
        commit = page.get_by_role("button", name="导入 3 行")
        commit.scroll_into_view_if_needed()
        page.get_by_text("拒收行（原始值）：").wait_for(timeout=TIMEOUT_MS)  # UP-4: month 13
        page.screenshot(path=str(SCREENSHOTS / "upload-2-validation.png"))
        commit.click()
        page.get_by_text("已导入 五月事故台账.csv", exact=False).wait_for(timeout=TIMEOUT_MS)
        page.screenshot(path=str(SCREENSHOTS / "upload-3-committed.png"))
        after = accidents_shown()
        page.screenshot(path=str(SCREENSHOTS / "upload-4-briefing-after.png"))
        assert after == before + 3
        assert_stays_local(requested)
    finally:
        page.context.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_presentation_mode_steps_through_the_slides_with_the_arrow_keys(browser: Browser, app_server: str, lang: str):
    """会议演示: the meeting pack's slides full screen (no sidebar); → and ← step through them."""
    titles = {"zh": ("湖南省安全生产形势", "一、总体情况", "二、事故月度走势"),
              "en": ("Production safety in Hunan", "1. Overview", "2. Month by month")}[lang]
    page, requested = new_page(browser, lang)
    try:
        page.goto(f"{app_server}/present?lang={lang}&region=430000", timeout=TIMEOUT_MS)
        page.get_by_role("heading", name="会议演示" if lang == "zh" else "Presentation", exact=True).wait_for(
            timeout=TIMEOUT_MS)
        wait_until_idle(page)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        assert page.get_by_text(titles[0], exact=True).is_visible()
        assert not page.locator('[data-testid="stSidebar"]').is_visible()
        assert page.locator("#slide-number").inner_text().strip() == "1 / 8"
        page.screenshot(path=str(SCREENSHOTS / f"present-{lang}-1.png"))
        for key, number, title in (("ArrowRight", 2, titles[1]), ("ArrowRight", 3, titles[2]),
                                   ("ArrowLeft", 2, titles[1])):
            page.keyboard.press(key)
            page.get_by_role("heading", name=title, exact=True).wait_for(timeout=TIMEOUT_MS)
            wait_until_idle(page)
            assert page.locator("#slide-number").inner_text().strip() == f"{number} / 8"
            if title == titles[2]:  # the monthly trend: two charts drawn
                assert page.locator(".js-plotly-plot").count() == 2
                page.screenshot(path=str(SCREENSHOTS / f"present-{lang}-3.png"))
        page.screenshot(path=str(SCREENSHOTS / f"present-{lang}-2.png"))
        assert page.locator('[data-testid="stException"]').count() == 0
        assert_stays_local(requested)
    finally:
        page.context.close()


# ---------------------------------------------------------------- the big screen (大屏)

SCREEN_SIZES = {"1080p": {"width": 1920, "height": 1080}, "4k": {"width": 3840, "height": 2160}}
# What does not fit: scrollbars anywhere, a panel outside the viewport, or content cut off inside an
# element that hides its overflow (a label ending in "…"). The rolling accident list hides rows by design.
FIT_JS = """() => {
    const out = [];
    const over = el => el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1;
    const size = el => `${el.scrollWidth}x${el.scrollHeight} in ${el.clientWidth}x${el.clientHeight}`;
    const de = document.documentElement;
    if (de.scrollHeight > innerHeight || de.scrollWidth > innerWidth) out.push(`page ${size(de)}`);
    for (const id of ["stApp", "stAppViewContainer", "stMain", "stMainBlockContainer"]) {
        const el = document.querySelector(`[data-testid="${id}"]`);
        if (el && over(el)) out.push(`${id} ${size(el)}`);
    }
    for (const el of document.querySelectorAll(".scr-panel, .scr-banner")) {
        const r = el.getBoundingClientRect();
        if (getComputedStyle(el).display === "none") continue;
        if (r.left < 0 || r.top < 0 || r.right > innerWidth + 0.5 || r.bottom > innerHeight + 0.5)
            out.push(`outside the screen: ${el.className} ${JSON.stringify(r)}`);
    }
    for (const el of document.querySelectorAll(".st-key-scr *")) {
        if (el.closest(".scr-roll") || !el.clientWidth) continue;
        const s = getComputedStyle(el);
        const hides = s.overflowX === "hidden" || s.overflowY === "hidden" || s.textOverflow === "ellipsis";
        if (hides && over(el)) out.push(`cut off: <${el.tagName.toLowerCase()} class="${el.className}"> `
                                        + `"${el.innerText.slice(0, 60)}" ${size(el)}`);
    }
    return out;
}"""
SCREEN_READY_JS = """() => {
    const img = document.querySelector(".scr-map-img");
    return document.querySelector(".scr-body") && img && img.complete && img.naturalWidth > 0;
}"""


def open_screen(browser: Browser, base: str, query: str, viewport: dict[str, int] | None = None,
                lang: str = "zh") -> tuple[Page, list[str]]:
    page, requested = new_page(browser, lang, viewport)
    page.goto(f"{base}/screen?{query}", timeout=TIMEOUT_MS)
    page.wait_for_function(SCREEN_READY_JS, timeout=TIMEOUT_MS)
    page.wait_for_timeout(500)
    page.evaluate("() => { window.__screenOpened = true; }")  # gone if the page were reloaded
    return page, requested


def screen_text(page: Page, selector: str) -> str:
    return page.locator(selector).first.inner_text().strip()


def count_of(text: str) -> int:
    """381 from "381起" or "1,234" (the screen's counts are under 10,000 in these tests: no 万)."""
    assert "万" not in text, text
    return int("".join(ch for ch in text if ch.isdigit()))


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("banners", [False, True], ids=["plain", "banners"])
@pytest.mark.parametrize("size", list(SCREEN_SIZES))
def test_screen_fits_without_scrollbars(browser: Browser, app_server: str, size: str, banners: bool, lang: str):
    """The big screen at 1920×1080 and 3840×2160: everything on screen, nothing scrolls or is cut off,
    the chrome hidden, the map drawn, the CJK font in use, nothing requested off the machine. With
    banners: the stale-data banner and a notice about the link take room from the rest, which still fits."""
    query = f"lang={lang}&region=430000&period=2024"
    if banners:
        query += "&stale_hours=0.0001&playlist=430000,999999"
    page, requested = open_screen(browser, app_server, query, SCREEN_SIZES[size], lang)
    try:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"screen-{size}-{lang}{'-banners' if banners else ''}.png"))
        assert page.evaluate(FIT_JS) == []
        for testid in ("stSidebar", "stHeader", "stToolbar", "stExpandSidebarButton", "stMainMenu"):
            assert not page.locator(f'[data-testid="{testid}"]').first.is_visible(), testid
        assert page.locator('[data-testid="stException"]').count() == 0
        assert "Traceback" not in page.locator("body").inner_text()
        assert page.get_by_role("heading", name="安全生产态势" if lang == "zh" else "Production safety",
                                exact=True).is_visible()
        assert page.locator(".scr-kpi").count() == 4 and page.locator(".scr-map-img").is_visible()
        background = page.evaluate("() => getComputedStyle(document.querySelector('.st-key-scr')).backgroundColor")
        assert background == "rgb(11, 18, 32)"  # the dark theme
        # The text is drawn with Noto Sans CJK (installed locally), not a fallback without Chinese.
        assert page.evaluate("""() => {
            const c = document.createElement("canvas").getContext("2d");
            const width = font => { c.font = font; return c.measureText("Production safety 0123456789").width; };
            return width('40px "Noto Sans CJK SC", monospace') !== width("40px monospace");
        }""")
        stale = page.locator('[data-banner="stale"]')
        if banners:
            assert stale.is_visible() and ("超过 0.0001 小时" if lang == "zh" else "more than 0.0001 h") in stale.inner_text()
            assert page.locator('[data-banner="notice"]').is_visible()
        else:
            assert stale.count() == 0
        assert not page.locator('[data-banner="offline"]').is_visible()  # connected
        assert_stays_local(requested)
    finally:
        page.context.close()


SCREEN_CSV = """事故编号,发生时间,地区,行业领域,事故单位,死亡人数
SCR-1,2025-03-02 10:00,长沙市岳麓区,工贸,甲机械厂,1
SCR-2,2025-04-12 09:30,株洲市天元区,建筑施工,乙建筑公司,2
SCR-3,2025-05-20 14:00,衡阳市,危险化学品,丙化工公司,0
"""


@pytest.fixture
def aged_store(writable_db: Path) -> Path:
    """A copy of the demo store whose imports are two days old: its data is stale for the default
    24 hours, and a new import is a visible change of the update time."""
    import duckdb

    db = writable_db
    con = duckdb.connect(str(db))
    try:
        con.execute("UPDATE imports SET imported_at = imported_at - INTERVAL 2 DAY")
    finally:
        con.close()
    return db


def test_screen_refreshes_itself_with_new_data(browser: Browser, aged_store: Path, tmp_path: Path):
    """Every ``refresh`` seconds the screen reads the store again, in place (no reload): the stale banner
    shows the data's age; after an import from another process, the update time, the KPIs and the
    banner change by themselves."""
    import datetime as dt

    from loaders.importer import import_file
    from store import Store

    with serve(aged_store, ARTIFACTS / "streamlit-screen-server.log") as base:
        page, requested = open_screen(browser, base, "refresh=5&region=430000")
        try:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / "screen-refresh-0-stale.png"))
            stale = page.locator('[data-banner="stale"]')
            assert stale.is_visible() and "数据已 2 天" in stale.inner_text()
            updated = screen_text(page, ".scr-updated")
            aged = Store(aged_store).query("SELECT max(imported_at) AS t FROM imports").iloc[0, 0]
            assert updated == f"{aged:%Y-%m-%d %H:%M}"
            accidents = screen_text(page, '[data-kpi="accidents"] .value')
            drawn = screen_text(page, ".scr-drawn")
            # Watch for flicker: the body's element replaced, or anything faded while the screen reruns.
            page.evaluate("""() => {
                window.__body = document.querySelector(".scr-body");
                window.__faded = 1;
                setInterval(() => {
                    for (const el of document.querySelectorAll('.st-key-scr [data-testid="stElementContainer"]'))
                        window.__faded = Math.min(window.__faded, parseFloat(getComputedStyle(el).opacity));
                }, 50);
            }""")
            # It refreshes by itself (the time of the last read moves on) ...
            page.wait_for_function(f"() => document.querySelector('.scr-drawn').innerText.trim() !== '{drawn}'",
                                   timeout=TIMEOUT_MS)
            assert screen_text(page, ".scr-updated") == updated  # ... and nothing was imported
            # ... in place: the unchanged body is the same element (the list keeps rolling), nothing faded.
            assert page.evaluate("() => window.__body.isConnected && window.__faded") == 1
            csv = tmp_path / "三起事故.csv"
            csv.write_text(SCREEN_CSV, encoding="utf-8")
            result = import_file(Store(aged_store), csv, "accidents")  # as the command line would
            assert result.new == 3
            imported = Store(aged_store).query("SELECT imported_at FROM imports WHERE import_id = ?",
                                               [result.import_id]).iloc[0, 0]
            expected = f"{imported:%Y-%m-%d %H:%M}"
            page.wait_for_function(f"() => document.querySelector('.scr-updated').innerText.trim() === '{expected}'",
                                   timeout=TIMEOUT_MS)
            page.wait_for_timeout(300)
            page.screenshot(path=str(SCREENSHOTS / "screen-refresh-1-new-data.png"))
            now = screen_text(page, '[data-kpi="accidents"] .value')
            assert count_of(now) == count_of(accidents) + 3
            assert stale.count() == 0  # fresh again
            assert page.evaluate("() => window.__screenOpened") is True  # no reload: refreshed in place
            assert dt.datetime.now() - imported.to_pydatetime() < dt.timedelta(minutes=5)
            assert page.locator('[data-testid="stException"]').count() == 0
            assert_stays_local(requested)
        finally:
            page.context.close()


def test_screen_recovers_after_a_server_restart(browser: Browser, writable_db: Path):
    """The server stops: the screen keeps its figures and says it is reconnecting; a server started
    again on the same port: the screen is back by itself, without a reload."""
    db = writable_db
    port = _free_port()
    offline = '[data-banner="offline"]'
    with serve(db, ARTIFACTS / "streamlit-restart-1.log", port) as base:
        page, _requested = open_screen(browser, base, "refresh=5")
    try:
        drawn = screen_text(page, ".scr-drawn")
        accidents = screen_text(page, '[data-kpi="accidents"] .value')
        # The server is gone: the last figures stay, with a calm note.
        page.locator(offline).wait_for(state="visible", timeout=TIMEOUT_MS)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "screen-restart-0-offline.png"))
        assert screen_text(page, '[data-kpi="accidents"] .value') == accidents
        assert "正在自动重新连接" in page.locator(offline).inner_text()
        assert not page.locator('[data-testid="stDialog"]').first.is_visible()  # no "Connection error" box
        with serve(db, ARTIFACTS / "streamlit-restart-2.log", port):
            page.wait_for_function(
                f"""() => document.querySelector('[data-testid="stApp"]').dataset.testConnectionState === "CONNECTED"
                    && document.querySelector('.scr-drawn') && document.querySelector('.scr-drawn').innerText.trim() !== '{drawn}'""",
                timeout=TIMEOUT_MS)
            page.locator(offline).wait_for(state="hidden", timeout=TIMEOUT_MS)
            page.screenshot(path=str(SCREENSHOTS / "screen-restart-1-back.png"))
            assert page.evaluate("() => window.__screenOpened") is True  # recovered in place, no reload
            assert screen_text(page, '[data-kpi="accidents"] .value') == accidents
            assert page.locator('[data-testid="stException"]').count() == 0
    finally:
        page.context.close()


def test_a_wall_screen_opens_with_its_link_token_alone_and_stops_when_it_is_revoked(browser: Browser,
                                                                                     writable_db: Path):
    """A wall display holds no password: the big screen of the link's region opens without a login (no
    cookie), a playlist region outside it is left out, and revoking the link stops the screen at its
    next refresh, in place."""
    from accounts import service
    from store import Store

    token_id, token = service.create_screen_token(Store(writable_db), "430000", "省厅指挥大厅", actor="test-admin")
    Store(writable_db).close()
    with serve(writable_db, ARTIFACTS / "streamlit-screen-token-server.log") as base:
        page, requested = new_page(browser, "zh", role=None)
        try:
            page.goto(f"{base}/screen?token={token}&playlist=440000,430000&refresh=5&period=2024", timeout=TIMEOUT_MS)
            page.wait_for_function(SCREEN_READY_JS, timeout=TIMEOUT_MS)
            page.wait_for_timeout(500)
            assert screen_text(page, ".scr-region") == "湖南省"
            assert "不在此大屏链接的范围" in page.locator('[data-banner="notice"]').inner_text()
            assert _session_cookie(page) is None  # no login at all
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / "screen-token-0-open.png"))
            service.revoke_screen_token(Store(writable_db), token_id, actor="test-admin")  # from another process
            Store(writable_db).close()
            page.get_by_text("此大屏链接已被撤销").wait_for(timeout=TIMEOUT_MS)
            assert page.locator(".scr-kpi").count() == 0
            page.screenshot(path=str(SCREENSHOTS / "screen-token-1-revoked.png"))
            page.goto(f"{base}/briefing?token={token}", timeout=TIMEOUT_MS)  # the link opens nothing else
            page.get_by_role("heading", name="大屏链接无效 / Screen link not valid").wait_for(timeout=TIMEOUT_MS)
            assert_stays_local(requested)
        finally:
            page.context.close()
