"""The canonical industries (行业领域) of the national accident statistics, with their aliases."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Industry:
    code: str
    zh: str
    en: str
    aliases: tuple[str, ...] = ()


INDUSTRIES: tuple[Industry, ...] = (
    Industry("coal_mine", "煤矿", "coal mines", ("煤炭", "煤矿企业", "coal")),
    Industry("noncoal_mine", "金属非金属矿山", "metal and non-metal mines",
             ("非煤矿山", "非煤", "金属非金属", "金属与非金属矿山", "non-coal mines")),
    Industry("chemicals", "危险化学品", "hazardous chemicals (incl. petrochemical)",
             ("危化", "危化品", "化工", "危险化学品和化工", "石油化工", "hazardous chemicals")),
    Industry("fireworks", "烟花爆竹", "fireworks", ("烟花", "fireworks")),
    Industry("construction", "建筑施工", "construction", ("建筑业", "房屋市政工程", "建筑", "房屋建筑")),
    Industry("industry_trade", "工贸", "industry and trade",
             ("工贸行业", "冶金", "有色", "建材", "机械", "轻工", "纺织", "烟草", "商贸",
              "industry & trade")),
    Industry("fire", "火灾", "fires", ("消防", "fire")),
    Industry("road_transport", "道路运输", "road transport", ("道路交通", "道路运输业", "road traffic")),
    Industry("waterway", "水上运输", "waterway transport", ("水上交通", "水路运输", "waterway")),
    Industry("railway", "铁路运输", "railway", ("铁路", "铁路交通")),
    Industry("aviation", "民航", "civil aviation", ("民用航空", "航空", "civil aviation")),
    Industry("fishing", "渔业船舶", "fishing vessels", ("渔业", "渔船", "fishing")),
    Industry("farm_machinery", "农业机械", "agricultural machinery", ("农机", "agricultural machinery")),
    Industry("special_equipment", "特种设备", "special equipment",
             ("锅炉", "压力容器", "电梯", "起重机械", "special equipment")),
    Industry("urban_gas", "城镇燃气", "urban gas", ("燃气", "gas")),
    Industry("other", "其他", "other", ("其它", "其他行业", "others")),
)
BY_CODE: dict[str, Industry] = {i.code: i for i in INDUSTRIES}


def _key(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).lower().split())


_ALIASES: dict[str, str] = {}
for _ind in INDUSTRIES:
    for _name in (_ind.code, _ind.zh, _ind.en, *_ind.aliases):
        _ALIASES.setdefault(_key(_name), _ind.code)

ALL_INDUSTRIES_WORDS: frozenset[str] = frozenset(
    _key(w) for w in ("全部", "全部行业", "所有行业", "合计", "all", "allindustries", "总计", "全行业")
)


def resolve_industry(value: str) -> str:
    """The canonical industry code for a name, code or alias; ValueError naming the accepted ones."""
    key = _key(str(value))
    if key in _ALIASES:
        return _ALIASES[key]
    accepted = "、".join(i.zh for i in INDUSTRIES)
    raise ValueError(f"'{value}' is not a known industry (expected one of {accepted}, their codes or aliases)")


def industry_label(code: str, lang: str = "zh") -> str:
    ind = BY_CODE[code]
    return ind.zh if lang == "zh" else ind.en
