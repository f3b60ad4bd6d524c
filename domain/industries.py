"""The canonical industries (行业领域) of the national accident statistics, with their aliases.

Labels as the official forms and real ledgers write them resolve too (:func:`resolve_industry`):

- numbering in front is dropped: ``1.煤矿企业``, ``（一）煤矿``, ``二、``, ``(3)``, ``①``;
- a ``企业`` / ``单位`` / ``行业`` suffix is dropped when what is left is known: ``危险化学品企业``;
- a label that joins several with ``、`` ``，`` ``/`` ``；`` (or 和 / 及 / 与 inside one part) is the
  one canonical industry they all belong to — ``冶金、有色、建材、机械、轻工、纺织、烟草、商贸`` (the
  工矿企业 monthly form's row) and ``化工和危险化学品`` are one each — and is refused, naming them,
  when they belong to two or more (``煤矿、非煤矿山``: a record, or a row of figures, is of one
  industry; the figures of two cannot be split).

Placement of the labels the national list has no row for, as the regulator files them: 尾矿库
(tailings ponds) and 石油天然气开采 (onshore oil and gas extraction, with 地质勘探) are mines of the
非煤矿山 family, supervised with 金属非金属矿山 (尾矿库安全监督管理规定 and the 非煤矿山 rules cover
them), not chemicals (the petrochemical side of 危险化学品 is refining and storage), so both are
``noncoal_mine``. The rows of the national 交通运输等重点行业领域 monthly form: 公路养护施工 is
construction work (``construction``); 航空公司 and 机场和油料 are ``aviation``; 学校, 商场、市场等人员密集
场所, 水库, 电力 and 民爆器材生产 have no row of their own in the national accident statistics and are
``other`` (民爆器材 is not 危险化学品: it has its own rules, 民用爆炸物品安全管理条例), summed there with
the form's 其他.
"""

from __future__ import annotations

import re
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
    Industry(
        "noncoal_mine",
        "金属非金属矿山",
        "metal and non-metal mines",
        (
            "非煤矿山",
            "非煤",
            "金属非金属",
            "金属与非金属矿山",
            "non-coal mines",
            # 非煤矿山 as the regulator files them (see the module docstring)
            "尾矿库",
            "石油天然气开采",
            "陆上石油天然气开采",
            "石油天然气",
            "油气开采",
            "地质勘探",
        ),
    ),
    Industry(
        "chemicals",
        "危险化学品",
        "hazardous chemicals (incl. petrochemical)",
        ("危化", "危化品", "化工", "危险化学品和化工", "石油化工", "hazardous chemicals"),
    ),
    Industry("fireworks", "烟花爆竹", "fireworks", ("烟花", "fireworks")),
    Industry(
        "construction", "建筑施工", "construction", ("建筑业", "房屋市政工程", "建筑", "房屋建筑", "公路养护施工")
    ),
    Industry(
        "industry_trade",
        "工贸",
        "industry and trade",
        ("工贸行业", "冶金", "有色", "建材", "机械", "轻工", "纺织", "烟草", "商贸", "industry & trade"),
    ),
    Industry("fire", "火灾", "fires", ("消防", "fire")),
    Industry("road_transport", "道路运输", "road transport", ("道路交通", "道路运输业", "road traffic")),
    Industry("waterway", "水上运输", "waterway transport", ("水上交通", "水路运输", "waterway")),
    Industry("railway", "铁路运输", "railway", ("铁路", "铁路交通")),
    Industry(
        "aviation", "民航", "civil aviation", ("民用航空", "航空", "civil aviation", "航空公司", "机场", "机场和油料")
    ),
    Industry("fishing", "渔业船舶", "fishing vessels", ("渔业", "渔船", "fishing")),
    Industry("farm_machinery", "农业机械", "agricultural machinery", ("农机", "agricultural machinery")),
    Industry(
        "special_equipment",
        "特种设备",
        "special equipment",
        ("锅炉", "压力容器", "电梯", "起重机械", "special equipment"),
    ),
    Industry("urban_gas", "城镇燃气", "urban gas", ("燃气", "gas")),
    Industry(
        "other",
        "其他",
        "other",
        (
            "其它",
            "其他行业",
            "others",
            # rows of the 交通运输等重点行业领域 form (see the module docstring)
            "学校",
            "商场、市场等人员密集场所",
            "人员密集场所",
            "水库",
            "电力",
            "民爆器材生产",
            "民爆器材",
            "民用爆炸物品",
            "民爆",
        ),
    ),
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


# Written before the label, dropped: 1. 1、 1) (1) 一、 (一) ① (after NFKC: （一） is (一), ① is 1).
_NUMBERING = re.compile(
    r"^(?:\((?:\d{1,2}|[一二三四五六七八九十]{1,3})\)|(?:\d{1,2}|[一二三四五六七八九十]{1,3})[.、)])"
)
_CIRCLED = re.compile(r"^[\u2460-\u2473]")  # ① … ⑳, before NFKC makes them digits
_PREFIXES = ("其中:",)
SUFFIXES: tuple[str, ...] = ("企业", "单位", "行业")
_SEPARATORS = re.compile(r"[、,/;]")  # after NFKC: ，→ ,  ；→ ;  ／→ /
_JOINERS = re.compile(r"[和及与]")


def _clean(value: str) -> str:
    """The lookup key of a label: NFKC, no spaces, lower case, numbering and 其中： dropped."""
    key = _key(_CIRCLED.sub("", str(value).strip()))
    key = _NUMBERING.sub("", key)
    for prefix in _PREFIXES:
        key = key.removeprefix(prefix)
    return key


def _lookup(key: str) -> str | None:
    """The code of a key, or of the key without its 企业 / 单位 / 行业 suffixes (其他企业单位: both)."""
    for _ in range(3):
        if key in _ALIASES:
            return _ALIASES[key]
        suffix = next((x for x in SUFFIXES if key.endswith(x) and len(key) > len(x)), None)
        if suffix is None:
            return None
        key = key[: -len(suffix)]
    return None


def _parts(key: str) -> list[str | None] | None:
    """The canonical code of each label of a joined one (None where a part is unknown); None when
    the key is not a joined label."""
    parts = [x for x in _SEPARATORS.split(key) if x]
    if len(parts) < 2 and not _JOINERS.search(key):
        return None
    codes: list[str | None] = []
    for part in parts:
        code = _lookup(part)
        if code is None:
            sub = [x for x in _JOINERS.split(part) if x]
            sub_codes = [_lookup(x) for x in sub] if len(sub) > 1 else [None]
            codes.extend(sub_codes)
        else:
            codes.append(code)
    return codes


def resolve_industry(value: str) -> str:
    """The canonical industry code for a name, code or alias, as the forms write it (numbering,
    企业/单位 suffix, several labels of one industry joined by 、); ValueError naming the accepted
    ones, or the industries a joined label spans."""
    key = _clean(str(value))
    code = _lookup(key)
    if code is not None:
        return code
    codes = _parts(key)
    if codes and all(codes):
        distinct = list(dict.fromkeys(c for c in codes if c))
        if len(distinct) == 1:
            return distinct[0]
        names = "、".join(BY_CODE[c].zh for c in distinct)
        raise ValueError(
            f"'{value}' names {len(distinct)} industries ({names}): expected one industry per row "
            "(split the row, or write the industry it belongs to)"
        )
    accepted = "、".join(i.zh for i in INDUSTRIES)
    raise ValueError(f"'{value}' is not a known industry (expected one of {accepted}, their codes or aliases)")


def industry_label(code: str, lang: str = "zh") -> str:
    ind = BY_CODE[code]
    return ind.zh if lang == "zh" else ind.en
