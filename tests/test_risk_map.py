"""The risk map: colours by meaning, grey for no data, and the page's drill-down."""

from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT
from streamlit.testing.v1 import AppTest

from analytics.risk import LEVEL_COLOURS
from analytics.risk_map import DIVERGING, GREY, RATE, colour_regions, metric_values
from analytics.risk_words import NO_DATA


def _index(**cols) -> pd.DataFrame:
    n = len(next(iter(cols.values())))
    base = {
        "code": [f"43{i:02d}00" for i in range(1, n + 1)],
        "name": [f"市{i}" for i in range(n)],
        "level": ["blue"] * n,
        "score": [10.0] * n,
        "reasons": [()] * n,
        "accidents": [1] * n,
        "accidents_previous": [1] * n,
        "deaths": [1] * n,
        "open_major": [0] * n,
        "open_overdue": [0] * n,
        "rectification_rate": [1.0] * n,
    }
    base.update(cols)
    return pd.DataFrame(base)


def test_risk_levels_use_the_four_colours_and_grey() -> None:
    idx = _index(level=["red", "orange", "yellow", "blue", NO_DATA], score=[80, 60, 40, 10, None])
    out, legend = colour_regions(idx, "risk", "zh")
    assert out["colour"].tolist() == [LEVEL_COLOURS[k] for k in ("red", "orange", "yellow", "blue", NO_DATA)]
    assert [text for _, text in legend] == ["重大风险", "较大风险", "一般风险", "低风险", "无数据"]
    assert "无数据" in out["tip"].iloc[4]


@pytest.mark.parametrize(
    ("cur", "prev", "colour"),
    [
        (50, 100, DIVERGING[0]),  # −50 %: a fall is green
        (100, 100, DIVERGING[2]),  # flat: neutral
        (150, 100, DIVERGING[4]),  # +50 %: a rise is red
        (3, 0, GREY),  # from zero: no percentage, no colour that pretends one
        (None, 5, GREY),  # no data this year
    ],
)
def test_change_is_coloured_by_meaning(cur, prev, colour) -> None:
    out, _ = colour_regions(_index(accidents=[cur], accidents_previous=[prev]), "change", "en")
    assert out["colour"].iloc[0] == colour


def test_a_low_rectification_rate_is_red_and_a_high_one_green() -> None:
    out, _ = colour_regions(_index(rectification_rate=[0.5, 0.99, None]), "rectification_rate", "zh")
    assert out["colour"].tolist() == [RATE[0], RATE[-1], GREY]


def test_unknown_metric_is_refused() -> None:
    with pytest.raises(ValueError, match="metric must be one of risk, accidents"):
        metric_values(_index(score=[1.0]), "fatalities")


def _run_map(params: dict[str, str]) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=180)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    at.switch_page("views/risk_map.py").run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_map_page_national_then_drill_into_a_province(app_env: Path) -> None:
    from store import Store

    at = _run_map({"period": "2024"})
    table = at.dataframe[0].value
    assert len(table) == 34  # every province, Hong Kong, Macao and Taiwan included (grey: no data)
    assert "无数据" in " ".join(m.value for m in at.markdown)
    at.selectbox(key="f_province").set_value("430000").run()
    assert not at.exception
    assert at.caption[0].value.startswith("湖南省")
    assert len(at.dataframe[0].value) == 14  # Hunan's 14 cities
    levels = set(at.dataframe[0].value.iloc[:, 1])
    assert levels <= {"重大风险", "较大风险", "一般风险", "低风险", "无数据"} and len(levels) >= 2
    assert Store(app_env).status()["accidents"]["rows"] > 0


def test_a_county_shows_its_city_map(app_env: Path) -> None:
    at = _run_map({"period": "2024", "region": "430104", "lang": "en"})
    assert at.caption[0].value.startswith("Changsha")
    assert [x.value for x in at.title] == ["Risk map"]


def test_the_briefing_map_is_framed_on_its_regions() -> None:
    """The Briefing's map (the big screen's SVG on white) is framed on the province: 湖南 (about 108.8–114.3°E,
    24.6–30.1°N) fills its picture, neither a speck in a 0–30° frame nor squashed; every city is drawn
    in its level's colour, a city without a level in the no-data grey."""
    import re

    from analytics.risk_map import LEVEL_COLOURS
    from analytics.risk_words import NO_DATA
    from reports.screen import map_svg

    svg = map_svg("430000", {"430100": "red", "430200": "blue"}, "zh", fills=LEVEL_COLOURS, stroke="#ffffff")
    _x, _y, w, h = (float(v) for v in re.search(r'viewBox="([^"]+)"', svg).group(1).split())
    # 5.5° of longitude × cos(27.4°) against 5.5° of latitude: about as wide as high (plus 1% padding).
    assert 0.8 < w / h < 1.05
    fills = dict(re.findall(r'fill="(#[0-9a-fA-F]+)" data-code="(\d+)"', svg)[i][::-1] for i in range(14))
    assert len(re.findall(r'data-code="43\d{4}"', svg)) == 14
    assert fills["430100"] == LEVEL_COLOURS["red"] and fills["430200"] == LEVEL_COLOURS["blue"]
    assert fills["430300"] == LEVEL_COLOURS[NO_DATA]
