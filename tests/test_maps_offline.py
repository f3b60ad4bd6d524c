"""Map figures load nothing from outside the machine."""

from pathlib import Path

import folium
import pytest
from folium.plugins import MarkerCluster

from charts.maps import LOCAL_CSS, LOCAL_JS, Legend, base_map, external_urls, offline

ROOT = Path(__file__).parent.parent


def test_a_map_with_shapes_clusters_and_a_legend_has_no_external_url() -> None:
    m = base_map((73, 18, 135, 53))
    folium.GeoJson({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"n": "长沙"}, "geometry": {"type": "Point", "coordinates": [112.9, 28.2]}}]},
        tooltip=folium.GeoJsonTooltip(["n"])).add_to(m)
    MarkerCluster().add_to(m)
    Legend("风险等级", [("#d7191c", "重大风险"), ("#2b83ba", "低风险")]).add_to(m)
    html = offline(m).get_root().render()
    assert external_urls(html) == []
    assert "/app/static/vendor/leaflet/leaflet.js" in html and "重大风险" in html
    assert "jquery" not in html.lower() and "bootstrap" not in html.lower()


def test_folium_defaults_would_have_left_the_machine() -> None:
    html = folium.Map(tiles=None).get_root().render()
    assert external_urls(html), "folium's defaults changed: this test no longer proves anything"


def test_every_local_asset_exists() -> None:
    for url in (*LOCAL_JS.values(), *LOCAL_CSS.values()):
        path = ROOT / "static" / url.removeprefix("/app/static/")
        assert path.is_file() and path.stat().st_size > 500, path


def test_an_element_without_a_local_copy_is_refused() -> None:
    from folium.plugins import Fullscreen

    m = base_map()
    Fullscreen().add_to(m)
    with pytest.raises(ValueError, match=r"Fullscreen needs .* no local copy"):
        offline(m)


def test_a_click_finds_the_region_under_it() -> None:
    from charts.maps import region_at
    from geo.boundaries import children_geometries

    provinces = children_geometries("100000")
    assert region_at(provinces, {"lat": 28.2, "lng": 112.9}) == "430000"  # 长沙 is in 湖南
    assert region_at(provinces, {"lat": 39.9, "lng": 116.4}) == "110000"
    assert region_at(provinces, {"lat": 0.0, "lng": 0.0}) is None
    assert region_at(provinces, None) is None
