"""Header understanding: which column of a kind a file's header means, and why.

A header is first normalised (full-width forms, spaces, numbering such as ``1.`` / ``（一）`` / ``一、``, a
leading ``其中：``, a unit in brackets or a level that is only a unit such as ``项``), then matched:

- **exact**: the column's Chinese or English name or its canonical name (score 1.0);
- **alias**: one of the column's aliases in :mod:`loaders.schema` (0.9);
- **concept**: every word group of one of the column's concepts below occurs in the header (地区 / 区县 /
  属地 …; 发现 / 排查 / 检查 + 日期 / 时间; 行业 + 领域), none of its excluding words does, and the concept
  words (with a few filler words such as 所在 / 所属 / 和) cover most of the header (score 0.4 + 0.4 × the
  share covered, so never above an alias);
- **values**: two headers with the same score for one column are told apart by the cells under them (a
  column of adcodes or county names is a region, a column of dates a date); among region columns the
  most specific one (districts over cities) wins.

A measure written as a group header over several sub-columns (事故起数 over 采矿 / 商贸制造 / 建筑 / 交通运输)
is summed when the sub-columns are a partition (all industries or all grades, none a 合计 or 其中
column), taken from its 合计 sub-column when there is one, and otherwise refused — never read from one
sub-column. The tables here are data: add a concept or a word, not a branch.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from loaders.schema import KINDS, UNITS, Kind, alias_index, split_header


@dataclass(frozen=True)
class Concept:
    """A column's meaning as word groups: one word of each group must occur in the header."""

    column: str
    all_of: tuple[tuple[str, ...], ...]
    none_of: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()  # empty: every kind that has the column


REGION_WORDS = (
    "行政区划",
    "区划",
    "地区",
    "区域",
    "区县",
    "县区",
    "县市区",
    "市县区",
    "市县",
    "市州",
    "地市",
    "属地",
    "所在地",
    "辖区",
    "县域",
)
_DATE = ("日期", "时间")
_COUNT_NOT = ("率", "比例", "占比", "同比", "环比", "增减", "增长", "下降", "控制", "指标")

CONCEPTS: tuple[Concept, ...] = (
    Concept("region", (REGION_WORDS,), ("地址", "地点", "部位", "位置", "面积", "人口", "数", "率", "类型", "主管")),
    Concept(
        "found_date",
        (("发现", "排查", "检查", "上报", "登记"), _DATE),
        ("整改", "验收", "销号", "复查", "期限", "时限", "截止"),
    ),
    Concept("occurred_at", (("发生", "事故", "出事"), _DATE), ("填报", "上报", "报告", "结案", "调查", "批复")),
    Concept("industry", (("行业", "领域"),), ("主管", "部门", "监管", "负责", "代码", "数")),
    Concept(
        "enterprise",
        (("企业", "单位", "公司"),),
        (
            "地址",
            "代码",
            "负责",
            "联系",
            "电话",
            "性质",
            "类型",
            "规模",
            "填报",
            "主管",
            "执法",
            "检查部门",
            "数",
            "人",
        ),
    ),
    Concept("grade", (("级别", "等级"),), ("风险", "督办", "挂牌", "事故等级")),
    Concept(
        "description",
        (("隐患", "问题"), ("内容", "描述", "情况", "名称", "简述")),
        ("级别", "等级", "类别", "类型", "来源", "编号", "数", "地点", "部位"),
    ),
    Concept("deadline", (("期限", "时限", "截止", "限期"),), ("到位",)),
    Concept("rectified_date", (("整改", "治理"), ("完成",), _DATE), ("期限", "时限", "截止", "计划", "要求")),
    Concept("accepted_date", (("验收", "销号", "复查", "复核"), _DATE)),
    Concept("status", (("状态", "进度", "整改情况", "治理情况", "是否整改"),), ("资金", "措施", "日期", "时间")),
    Concept("funds_wan", (("资金", "费用", "投入", "金额"),), ("到位", "来源")),
    Concept("responsible_person", (("责任人", "负责人"),), ("电话", "联系", "到位", "单位")),
    Concept("supervision_level", (("督办",),), ("数",), kinds=("hazards",)),
    Concept("address", (("地址", "地点", "部位", "位置"),)),
    Concept("source", (("来源",),), ("资金",)),
    Concept("category", (("类别", "类型"),), ("行业", "来源", "级别", "等级", "企业", "单位", "事故")),
    Concept("credit_code", (("信用代码",),)),
    Concept(
        "accident_type",
        (("事故",), ("类型", "类别")),
    ),
    Concept("deaths", (("死亡",),), ("较大", "重大", "特别", "重特大", *_COUNT_NOT)),
    Concept("missing", (("失踪",),)),
    Concept("serious_injuries", (("重伤",),)),
    Concept("injuries", (("受伤", "轻伤"),), ("重伤", "伤亡", "较大", "重大")),
    Concept("direct_loss_wan", (("经济损失", "直接损失"),)),
    Concept("accidents", (("起数", "事故数", "事故总数", "事故总量"),), ("较大", "重大", "特别", "死亡", *_COUNT_NOT)),
    Concept("larger_accidents", (("较大",), ("起数", "事故数", "起")), ("死亡",)),
    Concept("larger_deaths", (("较大",), ("死亡",))),
    Concept(
        "major_accidents", (("重特大", "重大及以上", "重大以上"), ("起数", "事故数", "起", "事故")), ("死亡", "较大")
    ),
    Concept("major_deaths", (("重特大", "重大及以上", "重大以上"), ("死亡",)), ("较大",)),
    Concept("period", (("统计期", "年月", "月份", "年份", "期间", "年度", "统计时间"),), kinds=("accident-stats",)),
    Concept("deaths_target", (("死亡",), ("控制", "指标")), kinds=("targets",)),
    Concept("accidents_target", (("起数",), ("控制", "指标")), kinds=("targets",)),
    Concept("year", (("年度", "年份"),), ("指标", "控制"), kinds=("targets",)),
)

# Words that may stand around the concept words without changing what a header means.
FILLER_WORDS = (
    "所在",
    "所属",
    "所处",
    "属于",
    "的",
    "和",
    "与",
    "及",
    "或",
    "、",
    "名称",
    "事故",
    "隐患",
    "生产安全",
    "安全生产",
    "具体",
    "实际",
    "信息",
    "人数",
    "数",
)
# At least this share of a header's characters must be concept or filler words for a concept match.
MIN_COVERAGE = 0.6
# How specific a region header's words are (the values under it decide first).
REGION_LEVEL_WORDS = (
    ("区县", 3),
    ("县区", 3),
    ("县市区", 3),
    ("市县区", 3),
    ("县", 3),
    ("市州", 2),
    ("地市", 2),
    ("市", 2),
    ("省", 1),
)

TOTAL_LABELS = frozenset({"合计", "小计", "总计", "计", "总数", "合计数", "总量", "共计", "全部", "总", "total", "sum"})
GRADE_LABELS = frozenset(
    {
        "一般",
        "较大",
        "重大",
        "特别重大",
        "重特大",
        "重大及以上",
        "特大",
        "一般事故",
        "较大事故",
        "重大事故",
        "特别重大事故",
        "重特大事故",
        "一般隐患",
        "重大隐患",
    }
)
# Sector words of statistical tables (GB/T 4754 门类 and the safety statistics' own groups), besides the
# industries of domain.industries: a sub-label made only of these is an industry.
SECTOR_WORDS = (
    "农林牧渔",
    "农业",
    "林业",
    "牧业",
    "渔业",
    "采矿",
    "矿山",
    "制造",
    "商贸",
    "工贸",
    "建筑",
    "交通运输",
    "交通",
    "运输",
    "仓储",
    "邮政",
    "电力",
    "热力",
    "燃气",
    "水生产和供应",
    "批发",
    "零售",
    "住宿",
    "餐饮",
    "其他",
    "其它",
    "煤矿",
    "非煤",
    "化工",
    "危化",
    "冶金",
    "有色",
    "建材",
    "机械",
    "轻工",
    "纺织",
    "烟草",
    "道路",
    "水上",
    "铁路",
    "民航",
    "消防",
    "火灾",
    "特种设备",
    "烟花爆竹",
)
_SECTOR_FILLER = ("和", "与", "及", "、", "业", "行业", "企业", "单位", "领域")

_NUMBERING = re.compile(
    r"^(?:\d{1,2}(?:\.\d{1,2})*\s*[.、．]|[（(]\s*[一二三四五六七八九十\d]{1,3}\s*[)）]"
    r"|[一二三四五六七八九十]{1,3}\s*[、.．]|[①-⑳])\s*"
)
_QIZHONG = re.compile(r"^其中\s*[:：]?\s*")
_QUOTES = re.compile(r"[\"'“”‘’「」『』]")
_UNIT_ONLY = frozenset({*UNITS, "处", "条", "次", "万", "吨", "辆"})


@dataclass(frozen=True)
class HeaderMatch:
    """What one file header became and why.

    ``how``, for a header read into ``column``: ``exact``, ``alias``, ``concept`` (``detail``: the concept
    words), ``values`` (a tie decided by the cells under it; ``extra``: the share that read as the type),
    ``most specific`` (of several region columns), ``mapping``, ``group sum`` / ``group total`` (``detail``:
    the group header; ``extra``: industries or grades). For a header left out (``column`` None): ``unknown``
    (not in the schema), ``taken`` (``detail``: the header that got the column it also reads as), ``context``
    (a less specific region column: ``detail``, the region column, is read within it row by row),
    ``sub-column`` (``detail``: its group header, which is no partition), ``mapping`` (not imported by the
    column mapping)."""

    header: str
    column: str | None
    how: str
    score: float = 0.0
    detail: str = ""
    extra: str = ""

    def as_json(self) -> dict[str, Any]:
        return {
            "header": self.header,
            "column": self.column,
            "how": self.how,
            "score": round(self.score, 2),
            "detail": self.detail,
            "why": self.why(),
        }

    def why(self, lang: str = "en") -> str:
        """Why, in words: 'concept 区县', '按概念 区县', 'the sum of the industries under 事故起数' …"""
        zh = lang == "zh"
        d, x = self.detail, self.extra
        if self.column is None:
            return {
                "taken": f"它也像 {x}，但该列已取“{d}”" if zh else f"also reads as {x}, which '{d}' has",
                "sub-column": (
                    f"“{d}”下的分列：不是合计，各分列也不是互不重叠的分项"
                    if zh
                    else f"a sub-column of '{d}': not a total, and the sub-columns are not parts of one whole"
                ),
                "mapping": "列映射：不导入" if zh else "column mapping: not imported",
                "context": (
                    f"不单独导入：“{d}”在它所写的地区之内识别"
                    if zh
                    else f"not imported on its own: '{d}' is read within the region it names"
                ),
            }.get(self.how, "不在数据格式中" if zh else "not in the schema")
        return {
            "exact": "列名" if zh else "exact",
            "alias": "别名" if zh else "alias",
            "concept": f"概念 {d}" if zh else f"concept {d}",
            "values": f"按列中数值：{x} 可读作该类型（{d}）" if zh else f"values: {x} read as its type ({d})",
            "most specific": f"最具体的地区列（{d}）" if zh else f"the most specific region column ({d})",
            "mapping": "列映射" if zh else "column mapping",
            "group sum": (
                f"“{d}”下各{'行业' if x == 'industries' else '等级'}分列之和"
                if zh
                else f"the sum of the {x} under '{d}'"
            ),
            "group total": f"“{d}”的合计列" if zh else f"the total under '{d}'",
        }.get(self.how, self.how)

    def line(self, lang: str = "en") -> str:
        """``所在区县 → region (concept 区县, 0.80)``; ``序号 → not imported (not in the schema)``."""
        if self.column is None:
            return f"{self.header} → {'未导入' if lang == 'zh' else 'not imported'} ({self.why(lang)})"
        return f"{self.header} → {self.column} ({self.why(lang)}, {self.score:.2f})"


@dataclass(frozen=True)
class Candidate:
    column: str
    unit: str | None
    how: str
    score: float
    detail: str = ""


def clean_part(text: object) -> str:
    """One header level without numbering, a leading 其中： or quotes: '（一）其中：已整改' → '已整改'."""
    s = unicodedata.normalize("NFKC", str(text)).strip()
    for _ in range(2):
        s = _NUMBERING.sub("", s)
        s = _QIZHONG.sub("", s)
    return _QUOTES.sub("", s).strip()


_PUNCT = re.compile(r"[\s:_\-*#※、,，;；/()（）\[\]【】〔〕<>《》]+")
_UNIT_BRACKETS = re.compile(
    r"[(（\[【]\s*(?:" + "|".join(map(re.escape, sorted(UNITS, key=len, reverse=True))) + r")\s*[)）\]】]"
)
MAX_CONCEPT_CHARS = 40  # a longer cell is a title or a note, not a header that says a concept


@lru_cache(maxsize=1 << 16)
def _part(text: str) -> tuple[str, str | None, str]:
    """(matching key, unit, concept key) of one header level; a level that is only a unit has key ''
    and that unit. The concept key keeps the words in brackets that are no unit (县（市、区） → 县市区)."""
    cleaned = clean_part(text)
    base, unit = split_header(cleaned)
    if base in _UNIT_ONLY:
        return "", base, ""
    concept = _PUNCT.sub("", _UNIT_BRACKETS.sub("", cleaned.lower()))
    return base, unit, concept


def is_unit_level(text: object) -> bool:
    """A header level that is only a unit (项, 人, （万元）): it says how, not what."""
    base, unit, _ = _part(str(text))
    return not base and unit is not None


def header_key(parts: Sequence[str]) -> tuple[str, str | None]:
    """The matching key of header levels and the unit found in them: numbering, 其中：, quotes and
    unit-only levels go (the unit kept)."""
    unit: str | None = None
    keep: list[str] = []
    for part in parts:
        base, u, _ = _part(str(part))
        unit = unit if (not base and unit) else (u or unit)
        if base:
            keep.append(base)
    return "".join(keep), unit


def _concept_key(parts: Sequence[str]) -> tuple[str, str | None]:
    """Like :func:`header_key`, but the words in brackets that are no unit kept (县（市、区） → 县市区)."""
    return "".join(_part(str(p))[2] for p in parts), None


@dataclass(frozen=True)
class _Prepared:
    concept: Concept
    words: frozenset[str]
    tokenizer: re.Pattern[str]


@cache
def _kind_concepts(kind_name: str) -> tuple[_Prepared, ...]:
    kind = KINDS[kind_name]
    names = {c.name for c in kind.columns}
    out = []
    for c in CONCEPTS:
        if c.column in names and (not c.kinds or kind.name in c.kinds):
            words = frozenset(w for group in c.all_of for w in group)
            vocab = sorted(words | set(FILLER_WORDS), key=len, reverse=True)
            out.append(_Prepared(c, words, re.compile("|".join(map(re.escape, vocab)))))
    return tuple(out)


@cache
def _exact(kind_name: str) -> dict[str, str]:
    kind = KINDS[kind_name]
    return {split_header(n)[0]: c.name for c in kind.columns for n in (c.name, c.zh, c.en)}


def _coverage(key: str, words: Sequence[str]) -> float:
    if not key:
        return 0.0
    covered = [False] * len(key)
    for w in sorted(set(words), key=len, reverse=True):
        start = key.find(w)
        while start >= 0:
            for i in range(start, start + len(w)):
                covered[i] = True
            start = key.find(w, start + 1)
    return sum(covered) / len(key)


@lru_cache(maxsize=1 << 16)
def _concept_match(kind: str, key: str, levels: tuple[str, ...]) -> Candidate | None:
    if not key or len(key) > MAX_CONCEPT_CHARS:
        return None
    best: Candidate | None = None
    for prep in _kind_concepts(kind):
        concept = prep.concept
        if not all(any(w in key for w in group) for group in concept.all_of) or any(w in key for w in concept.none_of):
            continue  # (substring tests first: most concepts end here)
        tokens = prep.tokenizer.findall(key)  # left to right, the longest word at each place: 所属地区 = 所属 + 地区
        said = [w for w in tokens if w in prep.words]
        if not all(any(w in group for w in said) for group in concept.all_of):
            continue
        coverage = sum(map(len, tokens)) / len(key)
        if coverage < MIN_COVERAGE or any(not prep.tokenizer.search(lv) for lv in levels if lv):
            continue
        score = 0.4 + 0.4 * coverage
        if best is None or score > best.score:
            best = Candidate(concept.column, None, "concept", score, "+".join(dict.fromkeys(said)))
    return best


def match_parts(kind: Kind, parts: Sequence[str]) -> Candidate | None:
    """The column a header (its levels, top first) names: by exact name or alias on the whole composed
    header, then with group titles dropped from the top; else by concept, the same way."""
    return _match_parts(kind.name, tuple(str(p) for p in parts))


@lru_cache(maxsize=1 << 16)
def _lookup(kind: str, parts: tuple[str, ...]) -> Candidate | None:
    """By exact name or alias, the header as written (其中省级 is an alias of its own) or cleaned."""
    index, exact = alias_index(KINDS[kind]), _exact(kind)
    cleaned, cleaned_unit = header_key(parts)
    plain, plain_unit = split_header("".join(parts))
    for key, unit in ((plain, plain_unit or cleaned_unit), (cleaned, cleaned_unit)):
        if not key:
            continue
        if key in exact:
            return Candidate(exact[key], unit, "exact", 1.0)
        if key in index:
            return Candidate(index[key], unit, "alias", 0.9)
    return None


@lru_cache(maxsize=1 << 16)
def _by_concept(kind: str, parts: tuple[str, ...]) -> Candidate | None:
    unit = header_key(parts)[1]
    hits = []
    for keyer in (header_key, _concept_key):  # brackets dropped, then the words in them kept: 县（市、区）
        key = keyer(parts)[0]
        levels = tuple(lv for lv in (keyer([p])[0] for p in parts) if lv)
        hit = _concept_match(kind, key, levels)
        if hit is not None:
            hits.append(hit)
    if not hits:
        return None
    hit = max(hits, key=lambda h: h.score)
    return Candidate(hit.column, unit, hit.how, hit.score, hit.detail)


def _match_parts(kind: str, parts: tuple[str, ...]) -> Candidate | None:
    for k in range(len(parts)):
        found = _lookup(kind, parts[k:])
        if found is not None:
            return found
    for k in range(len(parts)):
        found = _by_concept(kind, parts[k:])
        if found is not None:
            return found
    return None


# ---------------------------------------------------------------- the cells under a header


def _filled(values: Sequence[Any]) -> list[str]:
    out = []
    for v in values:
        if v is None or (isinstance(v, float) and v != v):
            continue
        s = str(int(v)) if isinstance(v, float) and v.is_integer() else str(v).strip()
        if s:
            out.append(s)
    return out


def has_values(values: Sequence[Any]) -> bool:
    return bool(_filled(values))


def value_fit(column_type: str, values: Sequence[Any]) -> float:
    """The share of the non-blank ``values`` that read as ``column_type`` (region, date, industry, count)."""
    return _value_fit(column_type, tuple(_filled(values)))


@lru_cache(maxsize=4096)
def _value_fit(column_type: str, cells: tuple[str, ...]) -> float:
    if not cells:
        return 0.0
    check = _CHECKS.get(column_type)
    if check is None:
        return 0.0
    ok = 0
    for v in cells:
        try:
            check(v)
            ok += 1
        except (ValueError, KeyError):
            continue
    return ok / len(cells)


def region_level(values: Sequence[Any]) -> float:
    """The mean level (1 province, 2 city, 3 county) of the values that name one region; 0 without any."""
    got = [lv for lv in map(_region_level_of, _filled(values)) if lv is not None]
    return sum(got) / len(got) if got else 0.0


@lru_cache(maxsize=1 << 14)
def _region_level_of(value: str) -> int | None:
    from domain.regions import RegionError, load_regions, resolve_region

    try:
        return {"country": 0, "province": 1, "city": 2, "county": 3}[load_regions()[resolve_region(value)].level]
    except RegionError as exc:
        return 3 if "ambiguous" in str(exc) else None  # 鼓楼区: a county name all the same


def header_region_level(header: str) -> int:
    key = header_key([header])[0]
    return max((lv for w, lv in REGION_LEVEL_WORDS if w in key), default=0)


def _check_region(v: str) -> None:
    if _region_level_of(v) is None:
        raise ValueError(v)


def _check_date(v: str) -> None:
    from loaders.parsing import parse_datetime

    parse_datetime(v)


def _check_industry(v: str) -> None:
    if not is_industry_label(v):
        raise ValueError(v)


def _check_count(v: str) -> None:
    from loaders.parsing import parse_count

    parse_count(v)


_CHECKS = {
    "region": _check_region,
    "date": _check_date,
    "datetime": _check_date,
    "industry": _check_industry,
    "count": _check_count,
}


# ---------------------------------------------------------------- group headers


def is_total_label(text: str) -> bool:
    key = header_key([text])[0]
    return key in TOTAL_LABELS


def is_part_of_label(text: str) -> bool:
    """A 其中 (of which) column: part of another column, not of a partition."""
    return bool(_QIZHONG.match(_NUMBERING.sub("", unicodedata.normalize("NFKC", str(text)).strip())))


def is_grade_label(text: str) -> bool:
    return header_key([text])[0] in GRADE_LABELS


@lru_cache(maxsize=1 << 14)
def is_industry_label(text: str) -> bool:
    """A sub-label that names an industry or a sector (煤矿, 1.煤矿企业, 采矿, 商贸制造, 交通运输)."""
    from domain.industries import resolve_industry

    key = header_key([text])[0]
    if not key:
        return False
    try:
        resolve_industry(key)
        return True
    except ValueError:
        pass
    return _coverage(key, (*SECTOR_WORDS, *_SECTOR_FILLER)) == 1.0 and any(w in key for w in SECTOR_WORDS)


def partition_of(labels: Sequence[str]) -> str | None:
    """'industries' or 'grades' when sub-labels are parts of one whole (none a 合计 or 其中), else None."""
    if len(labels) < 2 or any(is_total_label(x) or is_part_of_label(x) for x in labels):
        return None
    keys = [header_key([x])[0] for x in labels]
    if len(set(keys)) != len(keys):
        return None
    if all(is_grade_label(x) for x in labels):
        return "grades"
    if all(is_industry_label(x) for x in labels):
        return "industries"
    return None
