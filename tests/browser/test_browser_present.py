"""会议演示 in a real browser: the meeting pack's slides full screen, stepped through with the arrow keys."""

from __future__ import annotations

import pytest
from helpers import (
    TIMEOUT_MS,
    assert_no_exception,
    assert_stays_local,
    new_page,
    screenshot,
    wait_until_idle,
)
from playwright.sync_api import Browser

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_presentation_mode_steps_through_the_slides_with_the_arrow_keys(browser: Browser, app_server: str, lang: str):
    """会议演示: the meeting pack's slides full screen (no sidebar); → and ← step through them."""
    titles = {
        "zh": ("湖南省安全生产形势", "一、总体情况", "二、事故月度走势"),
        "en": ("Production safety in Hunan", "1. Overview", "2. Month by month"),
    }[lang]
    page, requested = new_page(browser, lang)
    try:
        page.goto(f"{app_server}/present?lang={lang}&region=430000", timeout=TIMEOUT_MS)
        page.get_by_role("heading", name="会议演示" if lang == "zh" else "Presentation", exact=True).wait_for(
            timeout=TIMEOUT_MS
        )
        wait_until_idle(page)
        assert page.get_by_text(titles[0], exact=True).is_visible()
        assert not page.locator('[data-testid="stSidebar"]').is_visible()
        assert page.locator("#slide-number").inner_text().strip() == "1 / 8"
        screenshot(page, f"present-{lang}-1")
        for key, number, title in (
            ("ArrowRight", 2, titles[1]),
            ("ArrowRight", 3, titles[2]),
            ("ArrowLeft", 2, titles[1]),
        ):
            page.keyboard.press(key)
            page.get_by_role("heading", name=title, exact=True).wait_for(timeout=TIMEOUT_MS)
            wait_until_idle(page)
            assert page.locator("#slide-number").inner_text().strip() == f"{number} / 8"
            if title == titles[2]:  # the monthly trend: two charts drawn
                assert page.locator(".js-plotly-plot").count() == 2
                screenshot(page, f"present-{lang}-3")
        screenshot(page, f"present-{lang}-2")
        assert_no_exception(page)
        assert_stays_local(requested)
    finally:
        page.context.close()
