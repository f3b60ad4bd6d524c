"""Accident types of GB 6441 (企业职工伤亡事故分类), 20 classes, with common variants."""

from __future__ import annotations

import unicodedata

GB6441_TYPES: tuple[str, ...] = (
    "物体打击",
    "车辆伤害",
    "机械伤害",
    "起重伤害",
    "触电",
    "淹溺",
    "灼烫",
    "火灾",
    "高处坠落",
    "坍塌",
    "冒顶片帮",
    "透水",
    "放炮",
    "火药爆炸",
    "瓦斯爆炸",
    "锅炉爆炸",
    "容器爆炸",
    "其他爆炸",
    "中毒和窒息",
    "其他伤害",
)
_VARIANTS: dict[str, str] = {
    "交通事故": "车辆伤害",
    "道路交通事故": "车辆伤害",
    "车辆事故": "车辆伤害",
    "高空坠落": "高处坠落",
    "坠落": "高处坠落",
    "中毒窒息": "中毒和窒息",
    "中毒": "中毒和窒息",
    "窒息": "中毒和窒息",
    "溺水": "淹溺",
    "电击": "触电",
    "爆破": "放炮",
    "冒顶": "冒顶片帮",
    "片帮": "冒顶片帮",
    "坍塌事故": "坍塌",
    "其它伤害": "其他伤害",
    "其它爆炸": "其他爆炸",
    "起重事故": "起重伤害",
    "烫伤": "灼烫",
    "烧伤": "灼烫",
}
_INDEX = {t: t for t in GB6441_TYPES} | _VARIANTS


def resolve_accident_type(value: object) -> str:
    """The GB 6441 class for a type written in a file; ValueError listing the classes if unknown."""
    key = "".join(unicodedata.normalize("NFKC", str(value)).split())
    if key in _INDEX:
        return _INDEX[key]
    if key.endswith("事故") and key[:-2] in _INDEX:
        return _INDEX[key[:-2]]
    raise ValueError(f"'{value}' is not a GB 6441 accident type (expected one of {'、'.join(GB6441_TYPES)})")
