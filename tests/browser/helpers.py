"""What the browser tests share: opening a page (logged in, every request recorded), waiting for the app to
be idle or a condition to hold (never for a fixed time), the offline check, screenshots.

The ``browser`` fixture (Debian's headless Chromium, one per xdist worker) and the live servers are in
tests/conftest.py.
"""

from __future__ import annotations

import itertools
from urllib.parse import urlsplit

from conftest import ARTIFACTS, TEST_TOKENS, AppPage
from playwright.sync_api import Browser, BrowserContext, Frame, Locator, Page

VIEWPORT = {"width": 1920, "height": 1080}
SCREENSHOTS = ARTIFACTS / "screenshots"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
LOCAL_SCHEMES = {"data", "blob", "about"}
TIMEOUT_MS = 60_000

# ---------------------------------------------------------------- pages and the offline check


def offsite(url: str) -> bool:
    """True for a URL that leaves this machine."""
    parts = urlsplit(url)
    if parts.scheme in LOCAL_SCHEMES:
        return False
    return parts.hostname not in LOCAL_HOSTS


def assert_stays_local(requested: list[str]) -> None:
    offenders = sorted({url for url in requested if offsite(url)})
    assert not offenders, "requests that left this machine:\n" + "\n".join(offenders)


def login_cookie(role: str = "admin") -> dict[str, object]:
    """The session cookie of test-<role> (its session is in every copy of the demo template: conftest), as
    the login's cookie route sets it (accounts/web.py). Cookies do not depend on the port."""
    from accounts.web import COOKIE

    return {
        "name": COOKIE,
        "value": TEST_TOKENS[role],
        "domain": "127.0.0.1",
        "path": "/",
        "httpOnly": True,
        "sameSite": "Strict",
    }


def session_cookie(page: Page) -> dict | None:
    """The session cookie the browser holds for the app, if any."""
    from accounts.web import COOKIE

    return next((c for c in page.context.cookies() if c["name"] == COOKIE), None)


def new_context(
    browser: Browser,
    lang: str = "zh",
    viewport: dict[str, int] | None = None,
    role: str | None = "admin",
    **context_args: object,
) -> BrowserContext:
    """A fresh browser context with the locale of ``lang``, logged in as test-<role> (None: not logged in)."""
    context = browser.new_context(
        viewport=viewport or VIEWPORT, locale="zh-CN" if lang == "zh" else "en-US", **context_args
    )
    if role is not None:
        context.add_cookies([login_cookie(role)])
    return context


def new_page(
    browser: Browser,
    lang: str = "zh",
    viewport: dict[str, int] | None = None,
    role: str | None = "admin",
    **context_args: object,
) -> tuple[Page, list[str]]:
    """A page in a fresh context with the locale of ``lang``, logged in as test-<role>, recording every URL
    it requests (HTTP and websockets) for :func:`assert_stays_local`. Close it with ``page.context.close()``."""
    context = new_context(browser, lang, viewport, role, **context_args)
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda req: requested.append(req.url))
    page.on("websocket", lambda ws: requested.append(ws.url))
    return page, requested


def heading(page: Page, name: str) -> Locator:
    return page.get_by_role("heading", name=name, exact=True).first


def goto(page: Page, url: str, title: str) -> None:
    """Open ``url``, wait for the page's title and until the app is idle."""
    page.goto(url, timeout=TIMEOUT_MS)
    heading(page, title).wait_for(timeout=TIMEOUT_MS)
    wait_until_idle(page)


def open_page(browser: Browser, base: str, app_page: AppPage, lang: str, **page_args: object) -> tuple[Page, list[str]]:
    """Open the page, wait until rendered and idle; returns the page and every URL it requested."""
    page, requested = new_page(browser, lang, **page_args)
    goto(page, f"{base}/{app_page.public_path}?lang={lang}", app_page.title(lang))
    return page, requested


def query_param(page: Page, name: str) -> str | None:
    return page.evaluate("name => new URL(location.href).searchParams.get(name)", name)


def screenshot(page: Page, name: str, **args: object) -> None:
    """tests/artifacts/screenshots/<name>.png (other documents link these names)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), **args)


def assert_no_exception(page: Page) -> None:
    exceptions = page.locator('[data-testid="stException"]')
    assert exceptions.count() == 0, exceptions.all_inner_texts()


# ---------------------------------------------------------------- waiting for a condition

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


# Every finite CSS animation or transition over (a dialog fading in, elements fading back after a run); the
# endless ones (the big screen's rolling list) do not count.
_ANIMATIONS_DONE = """() => document.getAnimations().every(a =>
    a.playState !== "running" || a.effect === null || a.effect.getComputedTiming().iterations === Infinity)"""


def wait_until_settled(page: Page) -> None:
    """Idle (:func:`wait_until_idle`) and no animation still running: what a screenshot shows is final."""
    wait_until_idle(page)
    page.wait_for_function(_ANIMATIONS_DONE, timeout=TIMEOUT_MS, polling=50)


def wait_for_dialog(page: Page, text: str) -> Locator:
    """The open dialog, once it shows ``text`` and has finished fading in."""
    dialog = page.get_by_role("dialog")
    dialog.wait_for(timeout=TIMEOUT_MS)
    dialog.get_by_text(text, exact=True).first.wait_for(timeout=TIMEOUT_MS)
    wait_until_settled(page)
    return dialog


def wait_for_grid_rows(grid: Locator) -> None:
    """A data grid (st.dataframe) laid out with its first data row: Glide Data Grid renders an accessible
    table of the rows it draws next to its canvas (row 1 is the header)."""
    grid.locator('table[role="grid"] [aria-rowindex="2"]').first.wait_for(state="attached", timeout=TIMEOUT_MS)


def click_first_row(page: Page, grid: Locator) -> None:
    """Scroll a data grid into view and click its first row's selection box (the header row is 35 px)."""
    grid.scroll_into_view_if_needed()
    wait_for_grid_rows(grid)
    box = grid.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + 16, box["y"] + 35 + 17)


# ---------------------------------------------------------------- maps (Leaflet in streamlit-folium's frame)

FOLIUM = 'iframe[title="streamlit_folium.st_folium"]'


def map_frame(page: Page) -> Frame:
    """The frame of the page's (first) map, once its document has loaded."""
    handle = page.locator(FOLIUM).first.element_handle(timeout=TIMEOUT_MS)
    frame = handle.content_frame()
    assert frame is not None
    return frame


def wait_for_map(page: Page, shapes: int = 1, clusters: int | None = None) -> Frame:
    """The map's frame once Leaflet has drawn at least ``shapes`` regions (and, if given, exactly ``clusters``
    accident clusters) and is not zooming or re-clustering."""
    frame = map_frame(page)
    frame.wait_for_function(
        """([shapes, clusters]) => {
        const map = window.map_div;
        return map && map._loaded && !map._animatingZoom
            && !document.querySelector(".leaflet-zoom-anim, .leaflet-cluster-anim")
            && document.querySelectorAll("path.leaflet-interactive").length >= shapes
            && (clusters === null || document.querySelectorAll(".accident-cluster").length === clusters);
    }""",
        arg=[shapes, clusters],
        timeout=TIMEOUT_MS,
        polling=50,
    )
    return frame
