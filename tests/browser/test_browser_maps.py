"""The risk map in a real browser: every child region drawn and coloured at each level with nothing from the
internet (Leaflet comes from the app itself, there are no tiles), a click drills down, accident points
clustered."""

from __future__ import annotations

import pytest
from helpers import (
    TIMEOUT_MS,
    assert_stays_local,
    goto,
    map_frame,
    new_page,
    query_param,
    screenshot,
    wait_for_map,
    wait_until_idle,
)
from playwright.sync_api import Browser

pytestmark = pytest.mark.browser

POINTS_TOGGLE = "显示事故点位（聚合）"


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(
    ("region", "children"), [("100000", 34), ("430000", 14), ("430100", 9)], ids=["national", "province", "city"]
)
def test_risk_map_draws_coloured_shapes_offline(
    browser: Browser, app_server: str, region: str, children: int, lang: str
):
    """The map at each level: every child region drawn and coloured, the legend readable, and not a
    single request leaving the machine (Leaflet comes from the app itself, there are no tiles)."""
    page, requested = new_page(browser, lang)
    try:
        goto(
            page,
            f"{app_server}/map?period=2024&region={region}&lang={lang}",
            "风险地图" if lang == "zh" else "Risk map",
        )
        frame = wait_for_map(page, shapes=children)  # drawn: at least one shape per child region
        shapes = frame.locator("path.leaflet-interactive")
        assert shapes.count() >= children
        fills = set(shapes.evaluate_all("els => els.map(e => e.getAttribute('fill'))"))
        assert len(fills - {"#c8c8c8"}) >= 2, fills  # coloured, not all grey
        legend = frame.get_by_text("重大风险" if lang == "zh" else "major risk", exact=True).first
        assert legend.is_visible()
        screenshot(page, f"map-{region}-{lang}")
        assert_stays_local(requested)
        assert any("/app/static/vendor/leaflet/leaflet.js" in url for url in requested)
    finally:
        page.context.close()


def test_clicking_a_province_on_the_map_drills_down(browser: Browser, app_server: str):
    """A click on the national map narrows the shared region to the province clicked."""
    page, requested = new_page(browser)
    try:
        goto(page, f"{app_server}/map?period=2024", "风险地图")
        # The point layer is switched off, so the click lands on a region rather than on a cluster.
        page.get_by_text(POINTS_TOGGLE, exact=True).click()
        wait_until_idle(page)
        wait_for_map(page, shapes=34, clusters=0)
        wait_until_idle(page)  # what the map reported back to the app (its bounds) has been run
        box = page.locator('iframe[title="streamlit_folium.st_folium"]').first.bounding_box()
        assert box is not None
        # The middle of the national map falls inside a province (四川, 甘肃, 青海 …).
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.wait_for_function(
            "() => (new URL(location.href).searchParams.get('region') || '').endsWith('0000')", timeout=TIMEOUT_MS
        )
        wait_until_idle(page)
        assert query_param(page, "region") not in (None, "100000")
        screenshot(page, "map-after-click")
        caption = page.locator('[data-testid="stCaptionContainer"]').first.inner_text()
        assert not caption.startswith("全国")
        assert_stays_local(requested)
    finally:
        page.context.close()


def test_accident_points_are_clustered_and_a_cluster_opens_on_click(browser: Browser, app_server: str):
    """The clustered accident layer: neutral cluster bubbles over the coloured provinces; a click on one
    zooms in (and does not drill into the region under it); the layer can be switched off."""
    page, requested = new_page(browser, "zh")
    try:
        goto(page, f"{app_server}/map?period=2024&region=430000", "风险地图")
        frame = wait_for_map(page, shapes=14)
        clusters = frame.locator(".accident-cluster")
        before = clusters.count()
        counts = [int(x) for x in clusters.all_inner_texts()]
        assert before >= 2 and sum(counts) >= 20, counts
        assert page.get_by_text("有坐标的事故", exact=False).first.is_visible()
        screenshot(page, "map-points-430000")
        zoom = frame.evaluate("() => window.map_div.getZoom()")
        biggest = max(range(before), key=lambda i: counts[i])
        clusters.nth(biggest).click()
        # Zoomed in, the clusters split again: the cluster split into smaller clusters or single points.
        frame.wait_for_function("zoom => window.map_div.getZoom() > zoom", arg=zoom, timeout=TIMEOUT_MS)
        wait_for_map(page)
        wait_until_idle(page)  # anything the zoom asked of the app has been run: the region stayed
        assert query_param(page, "region") == "430000"
        after = frame.locator(".accident-cluster").count() + frame.locator("path.leaflet-interactive").count()
        assert after > before
        screenshot(page, "map-points-zoomed")
        page.get_by_text(POINTS_TOGGLE, exact=True).click()
        wait_until_idle(page)
        wait_for_map(page, shapes=14, clusters=0)  # the map drawn again, without the layer
        assert map_frame(page).locator(".accident-cluster").count() == 0
        assert_stays_local(requested)
    finally:
        page.context.close()
