"""隐患整改 and 分析查询 in a real browser: charts and grids drawn, a click on a row opens its record, a click on
a pivot cell lists its records, the records' XLSX download."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from helpers import (
    TIMEOUT_MS,
    assert_no_exception,
    assert_stays_local,
    click_first_row,
    goto,
    new_page,
    query_param,
    screenshot,
    wait_for_dialog,
    wait_for_grid_rows,
    wait_until_idle,
    wait_until_settled,
)
from playwright.sync_api import Browser, Page, expect

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_rectification_page_and_the_supervision_board(browser: Browser, app_server: str, lang: str):
    """The 隐患整改 page: rate tiles, charts drawn, the board; a click on a board row opens the hazard's
    full record; nothing leaves the machine."""
    page, requested = new_page(browser, lang, viewport={"width": 1920, "height": 2400})
    try:
        goto(
            page,
            f"{app_server}/hazards?period=2024&lang={lang}",
            "隐患整改" if lang == "zh" else "Hazard rectification",
        )
        page.locator(".js-plotly-plot").nth(2).wait_for(timeout=TIMEOUT_MS)
        expect(page.locator(".js-plotly-plot .funnellayer .point")).to_have_count(4, timeout=TIMEOUT_MS)  # four bars
        page.wait_for_function(
            "() => document.querySelectorAll('.js-plotly-plot .scatterlayer .trace').length >= 3", timeout=TIMEOUT_MS
        )  # the backlog's lines
        wait_until_settled(page)
        assert_no_exception(page)
        assert page.locator('[data-testid="stMetric"]').count() >= 5
        assert page.locator(".js-plotly-plot .funnellayer .point").count() == 4  # the funnel has its four bars
        assert page.locator(".js-plotly-plot .scatterlayer .trace").count() >= 3  # backlog lines
        screenshot(page, f"hazards-{lang}")
        heading = page.get_by_role(
            "heading",
            name="重大隐患挂牌督办" if lang == "zh" else "Major hazards under supervision (挂牌督办)",
            exact=True,
        ).first
        heading.scroll_into_view_if_needed()
        click_first_row(page, page.locator('[data-testid="stDataFrame"]').nth(2))  # rankings ×2, then the board
        wait_for_dialog(page, "隐患编号" if lang == "zh" else "Hazard id")
        screenshot(page, f"hazards-board-{lang}")
        assert_stays_local(requested)
    finally:
        page.context.close()


EXPLORER_TITLE = {"zh": "分析查询", "en": "Explorer"}
EXPLORER_LINK = "period=2024&region=430000&ex_rows=industry&ex_cols=grade&ex_measure=deaths"


def _explorer_heading(page: Page) -> str:
    """The heading of the Explorer's records: what they are and how many."""
    return page.locator('[data-testid="stMain"] [data-testid="stMarkdownContainer"]:has(strong)').first.inner_text()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_explorer_pivot_cell_click_record_and_xlsx(browser: Browser, app_server: str, lang: str):
    """分析查询: the pivot drawn; a click on a cell lists its records and goes into the link; a record opens in
    full; the records' XLSX download opens with openpyxl, its header block names the filters, its cells are typed."""
    import openpyxl

    from exports.downloads import HEADER_ROWS

    page, requested = new_page(browser, lang, viewport={"width": 1920, "height": 2600}, accept_downloads=True)
    try:
        goto(page, f"{app_server}/explore?{EXPLORER_LINK}&lang={lang}", EXPLORER_TITLE[lang])
        assert_no_exception(page)
        grids = page.locator('[data-testid="stDataFrame"]')
        assert grids.count() == 3  # the pivot, the records, the comparison
        for i in range(3):
            wait_for_grid_rows(grids.nth(i))
        wait_until_settled(page)
        screenshot(page, f"explorer-full-{lang}")
        assert _explorer_heading(page).startswith("全部：共 " if lang == "zh" else "all: ")

        # A click on a cell of the pivot (second row, first grade column): its records, and the link says so.
        pivot = grids.first
        box = pivot.bounding_box()
        assert box is not None
        page.mouse.click(box["x"] + box["width"] * 0.3, box["y"] + 35 + 35 + 17)
        page.wait_for_function("() => new URL(location.href).searchParams.has('ex_cell')", timeout=TIMEOUT_MS)
        wait_until_idle(page)
        cell = query_param(page, "ex_cell")
        assert cell.endswith("~general"), cell
        heading = _explorer_heading(page)
        what = heading.split("：" if lang == "zh" else ": ")[0]
        assert what.split(" · ")[1] in ("一般", "general"), heading
        assert "ex_rows=industry" in page.url and "period=2024" in page.url and "region=430000" in page.url

        # A record in full.
        click_first_row(page, grids.nth(1))
        dialog = wait_for_dialog(page, "事故编号" if lang == "zh" else "Accident id")
        screenshot(page, f"explorer-record-{lang}")
        page.keyboard.press("Escape")
        dialog.wait_for(state="hidden", timeout=TIMEOUT_MS)
        wait_until_idle(page)

        # The records' XLSX: every record of the cell, with the header block.
        button = page.get_by_role("button", name="XLSX").nth(1)  # the pivot's, then the records'
        with page.expect_download(timeout=TIMEOUT_MS) as info:
            button.click()
        with open(info.value.path(), "rb") as f:
            ws = openpyxl.load_workbook(io.BytesIO(f.read())).active
        filters = ws.cell(2, 2).value
        if lang == "zh":
            assert ws.cell(2, 1).value == "筛选条件"
            assert "统计期间：2024年" in filters and "地区：湖南省" in filters and "单元格：" in filters
        else:
            assert ws.cell(2, 1).value == "筛选条件 Filters"
            assert "period: 2024" in filters and "cell: " in filters
        header = [c.value for c in ws[HEADER_ROWS + 1]]
        time_col = header.index("发生时间" if lang == "zh" else "发生时间 Occurred at") + 1
        deaths_col = header.index("死亡人数" if lang == "zh" else "死亡人数 Deaths") + 1
        n = ws.max_row - HEADER_ROWS - 1
        assert n > 0
        for r in range(HEADER_ROWS + 2, ws.max_row + 1):
            assert isinstance(ws.cell(r, time_col).value, dt.datetime)
            assert isinstance(ws.cell(r, deaths_col).value, int)
        count = re.search(r"共 ([\d,]+) 条" if lang == "zh" else r": ([\d,]+) records", heading)
        assert count is not None and n == int(count.group(1).replace(",", "")), heading

        assert_stays_local(requested)
    finally:
        page.context.close()
