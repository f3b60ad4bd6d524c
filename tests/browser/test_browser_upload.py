"""数据管理 in a real browser: a ledger uploaded through the page, validated, committed, and the Briefing shows
it without a restart."""

from __future__ import annotations

import pytest
from helpers import TIMEOUT_MS, assert_stays_local, goto, new_page, screenshot, wait_until_idle
from playwright.sync_api import Browser

pytestmark = pytest.mark.browser

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

    def accidents_shown() -> int:
        goto(page, f"{base}/?period=2024&region=430000", "领导驾驶舱")
        value = page.locator('[data-testid="stMetricValue"]').first.inner_text()
        return int(value.replace(",", ""))

    try:
        before = accidents_shown()
        screenshot(page, "upload-0-briefing-before")
        goto(page, f"{base}/data?period=2024&region=430000", "数据管理")
        page.get_by_role("tab", name="上传导入").click()
        ledger = tmp_path / "五月事故台账.csv"
        ledger.write_text(UPLOAD_CSV, encoding="utf-8")
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(ledger))
        page.get_by_text("④ 校验结果").wait_for(timeout=TIMEOUT_MS)
        wait_until_idle(page)
        page.get_by_text("① 表头").scroll_into_view_if_needed()
        screenshot(page, "upload-1-mapping")
        commit = page.get_by_role("button", name="导入 3 行")
        commit.scroll_into_view_if_needed()
        page.get_by_text("拒收行（原始值）：").wait_for(timeout=TIMEOUT_MS)  # UP-4: month 13
        screenshot(page, "upload-2-validation")
        commit.click()
        page.get_by_text("已导入 五月事故台账.csv", exact=False).wait_for(timeout=TIMEOUT_MS)
        screenshot(page, "upload-3-committed")
        after = accidents_shown()
        screenshot(page, "upload-4-briefing-after")
        assert after == before + 3
        assert_stays_local(requested)
    finally:
        page.context.close()
