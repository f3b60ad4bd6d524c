"""Every page in a real browser: Debian's headless Chromium driven by Playwright against a live server.

Each page in each language is opened at 1920x1080, screenshotted to tests/artifacts/screenshots/,
and must render without an exception and without any request leaving this machine (the dashboard
runs on isolated networks: no CDN, no web fonts, no tiles from the internet). The shared filters
live in the link: they survive a language and a page switch, and a click on a chart sets them.
"""

from __future__ import annotations

import pytest
from conftest import AppPage
from helpers import (
    TIMEOUT_MS,
    assert_no_exception,
    assert_stays_local,
    goto,
    heading,
    new_page,
    offsite,
    open_page,
    query_param,
    screenshot,
    wait_until_idle,
)
from playwright.sync_api import Browser

pytestmark = pytest.mark.browser


def test_page_renders_locally(browser: Browser, app_server: str, app_page: AppPage, lang: str):
    page, requested = open_page(browser, app_server, app_page, lang)
    try:
        screenshot(page, f"{app_page.key}-{lang}", full_page=True)

        assert_no_exception(page)
        body = page.locator("body").inner_text()
        assert "Traceback" not in body
        # Streamlit shows this dialog (and runs the default page) for a URL that matches no page.
        assert "Page not found" not in body, f"{app_page.public_path!r} is not a page of the app"

        assert heading(page, app_page.title(lang)).is_visible()
        assert app_page.title("en" if lang == "zh" else "zh") not in [
            h.strip() for h in page.locator("h1").all_inner_texts()
        ]

        assert requested, "no request recorded"
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


def test_language_switches_and_page_switch_keep_every_filter(browser: Browser, app_server: str):
    """The reviewer's repro: zh → en → zh, then another page; the link keeps its values (codes, not labels)."""
    query = "period=2025-03&region=430100&industry=coal_mine&grade=larger_plus"
    page, requested = new_page(browser)
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
        assert_no_exception(page)
        assert_stays_local(requested)
    finally:
        page.context.close()


def test_clicking_a_ranking_bar_sets_the_region(browser: Browser, app_server: str):
    """Trends: a click on a child region's bar narrows the shared filter to that region."""
    page, requested = new_page(browser)
    try:
        goto(page, f"{app_server}/trends?period=2024&region=430000", "趋势分析")
        chart = page.locator(".st-key-rank_children_430000")
        chart.scroll_into_view_if_needed()
        bar = chart.locator(".barlayer .point path").first
        bar.wait_for(timeout=TIMEOUT_MS)
        box = bar.bounding_box()
        assert box is not None
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.wait_for_function(
            "() => new URL(location.href).searchParams.get('region') !== '430000'", timeout=TIMEOUT_MS
        )
        wait_until_idle(page)
        region = query_param(page, "region")
        assert region is not None and region.startswith("43") and region != "430000"
        screenshot(page, "trends-after-click")
        caption = page.locator('[data-testid="stCaptionContainer"]').first.inner_text()
        assert caption.startswith("湖南省") and caption != "湖南省 · 2024年"
        assert_stays_local(requested)
    finally:
        page.context.close()
