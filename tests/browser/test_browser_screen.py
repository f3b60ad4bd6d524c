"""The big screen (大屏) in a real browser: it fits 1080p and 4K without scrollbars, refreshes itself in place
with new data, rides out a server restart, and opens with a revocable link token alone."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ARTIFACTS, _free_port, serve
from helpers import (
    TIMEOUT_MS,
    assert_no_exception,
    assert_stays_local,
    new_page,
    screenshot,
    session_cookie,
    wait_until_settled,
)
from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

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


def wait_for_screen(page: Page) -> None:
    """The screen drawn (its body, the map's image loaded) and its run over, nothing still fading in."""
    page.wait_for_function(SCREEN_READY_JS, timeout=TIMEOUT_MS)
    wait_until_settled(page)


def open_screen(
    browser: Browser, base: str, query: str, viewport: dict[str, int] | None = None, lang: str = "zh"
) -> tuple[Page, list[str]]:
    page, requested = new_page(browser, lang, viewport)
    page.goto(f"{base}/screen?{query}", timeout=TIMEOUT_MS)
    wait_for_screen(page)
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
        screenshot(page, f"screen-{size}-{lang}{'-banners' if banners else ''}")
        assert page.evaluate(FIT_JS) == []
        for testid in ("stSidebar", "stHeader", "stToolbar", "stExpandSidebarButton", "stMainMenu"):
            assert not page.locator(f'[data-testid="{testid}"]').first.is_visible(), testid
        assert_no_exception(page)
        assert "Traceback" not in page.locator("body").inner_text()
        assert page.get_by_role(
            "heading", name="安全生产态势" if lang == "zh" else "Production safety", exact=True
        ).is_visible()
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
            assert (
                stale.is_visible()
                and ("超过 0.0001 小时" if lang == "zh" else "more than 0.0001 h") in stale.inner_text()
            )
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
            screenshot(page, "screen-refresh-0-stale")
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
            page.wait_for_function(
                f"() => document.querySelector('.scr-drawn').innerText.trim() !== '{drawn}'", timeout=TIMEOUT_MS
            )
            assert screen_text(page, ".scr-updated") == updated  # ... and nothing was imported
            # ... in place: the unchanged body is the same element (the list keeps rolling), nothing faded.
            assert page.evaluate("() => window.__body.isConnected && window.__faded") == 1
            csv = tmp_path / "三起事故.csv"
            csv.write_text(SCREEN_CSV, encoding="utf-8")
            result = import_file(Store(aged_store), csv, "accidents")  # as the command line would
            assert result.new == 3
            imported = (
                Store(aged_store)
                .query("SELECT imported_at FROM imports WHERE import_id = ?", [result.import_id])
                .iloc[0, 0]
            )
            expected = f"{imported:%Y-%m-%d %H:%M}"
            page.wait_for_function(
                f"() => document.querySelector('.scr-updated').innerText.trim() === '{expected}'", timeout=TIMEOUT_MS
            )
            wait_until_settled(page)  # the rest of the run that read the import
            screenshot(page, "screen-refresh-1-new-data")
            now = screen_text(page, '[data-kpi="accidents"] .value')
            assert count_of(now) == count_of(accidents) + 3
            assert stale.count() == 0  # fresh again
            assert page.evaluate("() => window.__screenOpened") is True  # no reload: refreshed in place
            assert dt.datetime.now() - imported.to_pydatetime() < dt.timedelta(minutes=5)
            assert_no_exception(page)
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
        screenshot(page, "screen-restart-0-offline")
        assert screen_text(page, '[data-kpi="accidents"] .value') == accidents
        assert "正在自动重新连接" in page.locator(offline).inner_text()
        assert not page.locator('[data-testid="stDialog"]').first.is_visible()  # no "Connection error" box
        with serve(db, ARTIFACTS / "streamlit-restart-2.log", port):
            page.wait_for_function(
                f"""() => document.querySelector('[data-testid="stApp"]').dataset.testConnectionState === "CONNECTED"
                    && document.querySelector('.scr-drawn') && document.querySelector('.scr-drawn').innerText.trim() !== '{drawn}'""",
                timeout=TIMEOUT_MS,
            )
            page.locator(offline).wait_for(state="hidden", timeout=TIMEOUT_MS)
            screenshot(page, "screen-restart-1-back")
            assert page.evaluate("() => window.__screenOpened") is True  # recovered in place, no reload
            assert screen_text(page, '[data-kpi="accidents"] .value') == accidents
            assert_no_exception(page)
    finally:
        page.context.close()


def test_a_wall_screen_opens_with_its_link_token_alone_and_stops_when_it_is_revoked(
    browser: Browser, writable_db: Path
):
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
            wait_for_screen(page)
            assert screen_text(page, ".scr-region") == "湖南省"
            assert "不在此大屏链接的范围" in page.locator('[data-banner="notice"]').inner_text()
            assert session_cookie(page) is None  # no login at all
            screenshot(page, "screen-token-0-open")
            service.revoke_screen_token(Store(writable_db), token_id, actor="test-admin")  # from another process
            Store(writable_db).close()
            page.get_by_text("此大屏链接已被撤销").wait_for(timeout=TIMEOUT_MS)
            assert page.locator(".scr-kpi").count() == 0
            screenshot(page, "screen-token-1-revoked")
            page.goto(f"{base}/briefing?token={token}", timeout=TIMEOUT_MS)  # the link opens nothing else
            page.get_by_role("heading", name="大屏链接无效 / Screen link not valid").wait_for(timeout=TIMEOUT_MS)
            assert_stays_local(requested)
        finally:
            page.context.close()
