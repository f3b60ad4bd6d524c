"""What a region's units are called, and which of them report: "全省14个市州", "全市9个县市区".

A bureau counts its subordinate units by the nouns of its own documents: 山西 writes 11个市, 内蒙古 12个盟市,
湖南 14个市州, 西藏 7个地市, 新疆 地州市, 海南 19个市县, 重庆 38个区县 and the ministry 31个省（区、市）. The
noun follows from what the units are (their names' last words: 市, 自治州, 地区, 盟, 县, 区, 旗), with the
few provinces that write otherwise listed in ``OVERRIDES``.

香港, 澳门 and 台湾 are provinces of the map but not units of the mainland's production-safety statistics:
the country's judgements count the 31 provinces (``reporting_children``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from domain.regions import COUNTRY_CODE, Region, children, is_ancestor, load_regions

# Provinces of the map that send no production-safety statistics to the ministry.
NOT_REPORTING: frozenset[str] = frozenset({"710000", "810000", "820000"})  # 台湾省, 香港, 澳门


@dataclass(frozen=True)
class UnitNoun:
    zh: str  # 市州: "14个市州", "各市州"
    en: str  # plural: "14 cities and prefectures"
    en_one: str  # singular: "1 city or prefecture"


def _u(zh: str, en: str, en_one: str) -> UnitNoun:
    return UnitNoun(zh, en, en_one)


NOUNS: dict[str, UnitNoun] = {
    "省（区、市）": _u("省（区、市）", "provinces, autonomous regions and municipalities", "province"),
    "市": _u("市", "cities", "city"),
    "地级市": _u("地级市", "prefecture-level cities", "prefecture-level city"),
    "市州": _u("市州", "cities and prefectures", "city or prefecture"),
    "盟市": _u("盟市", "leagues and cities", "league or city"),
    "地市": _u("地市", "prefectures and cities", "prefecture or city"),
    "地州市": _u("地州市", "prefectures and cities", "prefecture or city"),
    "市县": _u("市县", "cities and counties", "city or county"),
    "区县": _u("区县", "districts and counties", "district or county"),
    "区": _u("区", "districts", "district"),
    "县": _u("县", "counties", "county"),
    "县市": _u("县市", "counties and cities", "county or city"),
    "县市区": _u("县市区", "counties, cities and districts", "county, city or district"),
    "旗县市区": _u("旗县市区", "banners, counties, cities and districts", "banner, county, city or district"),
    "县级市、区": _u("县级市、区", "county-level cities and districts", "county-level city or district"),
    "地区": _u("地区", "regions", "region"),
    "行业领域": _u("行业领域", "industries", "industry"),
}
INDUSTRIES = NOUNS["行业领域"]

# Provinces whose documents use another noun than their units' kinds give (宁夏: 5个地级市).
OVERRIDES: dict[str, str] = {"640000": "地级市"}

# The kind of a unit from the last words of its name (autonomous counties and banners are counties and banners).
_KIND = re.compile(r"(自治州|地区|林区|盟|旗|县|市|区|州)$")
_KIND_OF = {"自治州": "州", "州": "州", "地区": "地", "林区": "市", "盟": "盟"}

# Under a province: the set of its units' kinds → the noun (a 林区 counts with the cities: 湖北's 神农架).
_PROVINCE_NOUNS: dict[frozenset[str], str] = {
    frozenset({"市"}): "市",
    frozenset({"市", "州"}): "市州",
    frozenset({"市", "盟"}): "盟市",
    frozenset({"市", "地"}): "地市",
    frozenset({"市", "州", "地"}): "地州市",
    frozenset({"市", "县"}): "市县",
    frozenset({"区", "县"}): "区县",
    frozenset({"区"}): "区",
}
# Under a city: its counties' kinds → the noun.
_COUNTY_NOUNS: dict[frozenset[str], str] = {
    frozenset({"区"}): "区",
    frozenset({"县"}): "县",
    frozenset({"区", "县"}): "区县",
    frozenset({"市", "区"}): "县级市、区",
    frozenset({"县", "市", "区"}): "县市区",
    frozenset({"县", "市"}): "县市",  # 湘西州8县市: no district, none named
    frozenset({"旗", "县", "市", "区"}): "旗县市区",
    frozenset({"旗", "市", "区"}): "旗县市区",
    frozenset({"旗", "县", "区"}): "旗县市区",
    frozenset({"旗", "区"}): "旗县市区",
    frozenset({"旗", "市"}): "旗县市区",
    frozenset({"旗"}): "旗县市区",
}


@cache
def reporting_children(code: str) -> tuple[Region, ...]:
    """The units under ``code`` that its judgements count: its children, less those that send no statistics
    (the country's 31 provinces, not 香港, 澳门 and 台湾)."""
    return tuple(r for r in children(code) if r.code not in NOT_REPORTING)


def expected_units(code: str, expected: frozenset[str]) -> tuple[Region, ...]:
    """The units under ``code`` that its judgements wait for: every reporting unit, or — when a bureau names the
    regions it expects (``SAFETY_EXPECTED_REGIONS``) — those that are, contain or lie inside a named region. Where
    the named regions say nothing of ``code`` (none of its units is or holds one), every unit."""
    units = reporting_children(code)
    if not expected:
        return units
    named = tuple(
        u for u in units if any(e == u.code or is_ancestor(u.code, e) or is_ancestor(e, u.code) for e in expected)
    )
    return named or units


def _kind(unit: Region, under_province: bool) -> str:
    """What a unit is, from its name's last words: under a province 市, 州, 地, 盟 (县 for 海南's counties, 区 or 县
    for a municipality's districts and counties); under a city 旗, 县, 市 or 区."""
    m = _KIND.search(unit.name)
    if under_province and unit.level == "county":  # 重庆's districts and counties
        return "区" if m and m.group(1) == "区" else "县"
    if m is None:
        return "?"
    kind = m.group(1)
    if under_province:
        return "县" if kind == "县" else _KIND_OF.get(kind, "市")
    return kind if kind in ("旗", "县", "市", "区") else "市"


def unit_noun(code: str) -> UnitNoun:
    """The noun for the units under ``code``: 省（区、市） under the country, 市州 under 湖南, 县市区 under 长沙,
    and 地区 where the units' kinds make no usual noun (or ``code`` has none)."""
    if code == COUNTRY_CODE:
        return NOUNS["省（区、市）"]
    if code in OVERRIDES:
        return NOUNS[OVERRIDES[code]]
    units = reporting_children(code)
    if not units:
        return NOUNS["地区"]
    under_province = load_regions()[code].level == "province"
    kinds = frozenset(_kind(u, under_province) for u in units)
    table = _PROVINCE_NOUNS if under_province else _COUNTY_NOUNS
    return NOUNS[table.get(kinds, "地区")]
