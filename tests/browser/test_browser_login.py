"""Logging in through the form and what a role may open, in a real browser against the live server."""

from __future__ import annotations

import pytest
from conftest import TEST_PASSWORD
from helpers import (
    TIMEOUT_MS,
    assert_no_exception,
    assert_stays_local,
    heading,
    new_page,
    screenshot,
    session_cookie,
    wait_until_idle,
)
from playwright.sync_api import Browser

pytestmark = pytest.mark.browser

LOGIN = "登录 / Log in"


def test_login_through_the_form_opens_the_linked_page_survives_a_reload_and_logout_ends_it(
    browser: Browser, app_server: str
):
    """The login form before anything else; the page and filters the link asked for after it; the session
    kept across a reload in an HttpOnly cookie the page's scripts cannot read; the logout ends it."""
    from accounts.web import ROUTE

    page, requested = new_page(browser, "zh", role=None)
    try:
        page.goto(f"{app_server}/trends?period=2024&region=430000", timeout=TIMEOUT_MS)
        page.get_by_role("button", name=LOGIN).wait_for(timeout=TIMEOUT_MS)
        wait_until_idle(page)
        assert page.locator('[data-testid="stSidebarNav"]').count() == 0  # not even the navigation
        assert page.locator('[data-testid="stMetric"]').count() == 0
        assert page.get_by_label("用户名 / Username").is_visible() and page.get_by_label("密码 / Password").is_visible()
        screenshot(page, "login-0-form")
        page.get_by_label("用户名 / Username").fill("test-analyst")
        page.get_by_label("密码 / Password").fill("wrong-password-1")
        page.get_by_role("button", name=LOGIN).click()
        page.get_by_text("用户名或密码不正确。 / Wrong user name or password.").wait_for(timeout=TIMEOUT_MS)
        screenshot(page, "login-1-wrong")
        page.get_by_label("密码 / Password").fill(TEST_PASSWORD)
        # The page hands the new session to the cookie route right after the login: its answer sets the cookie.
        with page.expect_response(
            lambda r: ROUTE in r.url and r.request.method == "POST", timeout=TIMEOUT_MS
        ) as handoff:
            page.get_by_role("button", name=LOGIN).click()
        assert handoff.value.ok
        heading(page, "趋势分析").wait_for(timeout=TIMEOUT_MS)
        wait_until_idle(page)
        assert "period=2024" in page.url and "region=430000" in page.url
        cookie = session_cookie(page)
        assert cookie is not None and cookie["httpOnly"] and cookie["sameSite"] == "Strict"
        assert cookie["value"] not in page.evaluate("() => document.cookie")  # no script in the page can read it
        assert page.locator('[data-testid="stSidebarNav"]').get_by_text("分析查询").count() == 1  # an analyst's page
        assert page.locator('[data-testid="stSidebarNav"]').get_by_text("数据管理").count() == 0  # not an analyst's
        screenshot(page, "login-2-logged-in")
        page.reload(timeout=TIMEOUT_MS)  # a new Streamlit session: the cookie, not the password
        heading(page, "趋势分析").wait_for(timeout=TIMEOUT_MS)
        wait_until_idle(page)
        assert page.get_by_role("button", name=LOGIN).count() == 0
        page.get_by_role("button", name="退出登录").click()
        page.get_by_role("button", name=LOGIN).wait_for(timeout=TIMEOUT_MS)
        page.get_by_text("已退出登录。 / You have logged out.").wait_for(timeout=TIMEOUT_MS)
        screenshot(page, "login-3-logged-out")
        page.reload(timeout=TIMEOUT_MS)
        page.get_by_role("button", name=LOGIN).wait_for(timeout=TIMEOUT_MS)
        assert_no_exception(page)
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
        screenshot(page, "login-viewer-explorer-denied")
        assert_stays_local(requested)
    finally:
        page.context.close()
