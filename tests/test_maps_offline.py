"""Map figures load nothing from outside the machine."""

from pathlib import Path

import folium
import pytest
from folium.plugins import MarkerCluster

from charts.maps import LOCAL_CSS, LOCAL_JS, Legend, base_map, external_urls, offline

ROOT = Path(__file__).parent.parent


def test_a_map_with_shapes_clusters_and_a_legend_has_no_external_url() -> None:
    m = base_map((73, 18, 135, 53))
    folium.GeoJson(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {"n": "长沙"},
                    "geometry": {"type": "Point", "coordinates": [112.9, 28.2]},
                }
            ],
        },
        tooltip=folium.GeoJsonTooltip(["n"]),
    ).add_to(m)
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


def test_the_accident_point_layer_is_clustered_offline_and_the_map_has_a_max_zoom() -> None:
    """Leaflet.markercluster throws 'Map has no maxZoom specified' on a map without tiles unless the map
    sets maxZoom itself; the component then never mounts. Points carry their tooltip and grade colour."""
    import geopandas as gpd
    import pandas as pd
    import shapely

    from charts.maps import region_map
    from domain.palette import GRADE_COLOURS

    regions = gpd.GeoDataFrame(
        {"code": ["430100"], "name": ["长沙市"], "colour": ["#d7191c"], "tip": ["长沙市"]},
        geometry=[shapely.box(112, 27.8, 114.3, 28.7)],
        crs="EPSG:4326",
    )
    points = pd.DataFrame(
        {
            "latitude": [28.2, 28.3],
            "longitude": [112.9, 113.0],
            "tip": ["2024-05-06 · 较大", "2024-06-01 · 一般"],
            "colour": [GRADE_COLOURS["larger"], GRADE_COLOURS["general"]],
        }
    )
    html = region_map(regions, [("#d7191c", "重大风险")], "风险等级", points=points).get_root().render()
    assert external_urls(html) == []
    assert '"maxZoom": 18' in html
    assert "L.markerClusterGroup" in html and "/app/static/vendor/markercluster/leaflet.markercluster.js" in html
    import json

    assert json.dumps("2024-05-06 · 较大") in html and GRADE_COLOURS["larger"] in html
    assert "bubblingMouseEvents: false" in html  # a click on a point must not drill into the region under it
    without = region_map(regions, [("#d7191c", "重大风险")], "风险等级").get_root().render()
    assert "L.markerClusterGroup" not in without
