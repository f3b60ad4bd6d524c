"""What a region's units are called in a bureau's documents, and which units the country's judgements count."""

from __future__ import annotations

import pytest

from domain.units import NOT_REPORTING, reporting_children, unit_noun

# (region, how many units it counts, the noun, the English plural) — as the bureaus write them.
CASES = [
    ("100000", 31, "省（区、市）", "provinces, autonomous regions and municipalities"),  # not 香港, 澳门, 台湾
    ("140000", 11, "市", "cities"),  # 山西: 11个市
    ("640000", 5, "地级市", "prefecture-level cities"),  # 宁夏: 5个地级市 (its own usage, OVERRIDES)
    ("460000", 19, "市县", "cities and counties"),  # 海南: 19个市县 (counties directly under the province)
    ("500000", 38, "区县", "districts and counties"),  # 重庆: 38个区县
    ("150000", 12, "盟市", "leagues and cities"),  # 内蒙古: 12个盟市
    ("430000", 14, "市州", "cities and prefectures"),  # 湖南: 14个市州 (湘西州)
    ("420000", 17, "市州", "cities and prefectures"),  # 湖北: 林区 神农架 counts with the cities
    ("540000", 7, "地市", "prefectures and cities"),  # 西藏: 7个地市 (阿里地区)
    ("650000", 25, "地州市", "prefectures and cities"),  # 新疆: 地州市 (with 新星市 659011, created 2021)
    ("110000", 16, "区", "districts"),  # 北京: 16个区, directly under the municipality
    ("440300", 9, "区", "districts"),  # 深圳: districts only
    ("430100", 9, "县市区", "counties, cities and districts"),  # 长沙: 长沙县, 浏阳市, 岳麓区 …
    ("433100", 8, "县市", "counties and cities"),  # 湘西州: 吉首市 and 7 counties, no district
    ("150100", 9, "旗县市区", "banners, counties, cities and districts"),  # 呼和浩特
    ("320500", 9, "县级市、区", "county-level cities and districts"),  # 苏州: 昆山市 … and 姑苏区 …
    ("430104", 0, "地区", "regions"),  # a county has no units
]


@pytest.mark.parametrize(("code", "count", "zh", "en"), CASES)
def test_unit_nouns(code: str, count: int, zh: str, en: str) -> None:
    assert len(reporting_children(code)) == count
    noun = unit_noun(code)
    assert (noun.zh, noun.en) == (zh, en)


def test_the_country_counts_the_31_provinces() -> None:
    codes = {r.code for r in reporting_children("100000")}
    assert not codes & NOT_REPORTING
    assert {"110000", "500000", "650000", "460000"} <= codes
