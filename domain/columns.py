"""Every column of the store's fact tables, declared once.

A column is declared here with its canonical name, its value type, whether a file must have it, the
Chinese and English header a file writes (and the other headers accepted), the store's SQL type and
NOT NULL, the store contract's rule and the label a page, a report or a download shows. Everything
else is derived from this table: header matching and value validation (``loaders.schema``,
``loaders.normalize``), the README's format tables, the store's ``CREATE TABLE`` statements and added
columns (``store.tables``), the pandera contracts (``store.contracts``) and :func:`label`.

A kind's ``layout`` is its table in order: the columns a file brings (``input``) and those the loaders
derive (declared with :func:`D`: the region's hierarchy, the grade by the rules, the provenance …).

Pure: imports nothing above ``domain``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Value types understood by loaders.normalize.
TYPES = {
    "id": "identifier text; rows without one get a deterministic id from their content (accidents: time, region, "
    "industry and enterprise, so a corrected count updates the record)",
    "text": "free text",
    "datetime": "date with optional time: 2024-05-06, 2024/5/6, 2024.05.06, 2024年5月6日, 20240506, Excel serial; "
    "14:30 optional",
    "date": "date: 2024-05-06, 2024/5/6, 2024.05.06, 2024年5月6日, 20240506 or an Excel serial number",
    "count": "non-negative whole number; thousands separators and full-width digits accepted",
    "amount": "non-negative number in 万元; a unit in the cell (5000元, 3千元, 12万, 1.2亿) or else in the header "
    "(直接经济损失（元）) is converted",
    "rate": "percentage such as 94.5% or 94.5 (informational: recomputed from the counts)",
    "coord": "decimal degrees",
    "region": "GB/T 2260 code or name: 430104, 岳麓区, 长沙市岳麓区, 湖南省长沙市岳麓区, 湖南, 全国",
    "industry": "industry name, code or alias (see the industry table)",
    "accident_type": "GB 6441 accident type (20 classes)",
    "accident_grade": "一般 / 较大 / 重大 / 特别重大 (or general / larger / major / extraordinary)",
    "hazard_grade": "一般 / 重大 (general / major)",
    "hazard_status": "未整改 / 整改中 / 已整改 / 已验收 / 已销号 / 验收不通过 (or found / rectifying / rectified / closed / acceptance_failed)",
    "hazard_source": "企业自查 / 执法检查 / 举报 / 专家",
    "supervision": "挂牌督办 level: 无 / 县级 / 市级 / 省级 (none / county / city / province)",
    "flag": "是/否, √/×, yes/no, 1/0",
    "period": "a year 2017 or a month 2017-03 (also 2017年3月, 201703)",
    "year": "a year: 2024, 2024年 or 2024年度",
}

# The store's SQL type of each value type; None: not stored as such (a rate is recomputed from the
# counts; a region is stored as its code and hierarchy, the REGION columns below).
SQL_TYPES: dict[str, str | None] = {
    "id": "VARCHAR",
    "text": "VARCHAR",
    "datetime": "TIMESTAMP",
    "date": "DATE",
    "count": "INTEGER",
    "amount": "DOUBLE",
    "rate": None,
    "coord": "DOUBLE",
    "region": None,
    "industry": "VARCHAR",
    "accident_type": "VARCHAR",
    "accident_grade": "VARCHAR",
    "hazard_grade": "VARCHAR",
    "hazard_status": "VARCHAR",
    "hazard_source": "VARCHAR",
    "supervision": "VARCHAR",
    "flag": "BOOLEAN",
    "period": "VARCHAR",
    "year": "INTEGER",
}

# The store contract's rule of a column a file brings, by its value type (``store.contracts`` makes the
# pandera check): ("isin", vocabulary) · ("ge", n) · ("in_range", (lo, hi)) · ("str_matches", regex) ·
# ("str_length", n) · PRESENT (the column must be there; NOT NULL says whether it may be empty).
PRESENT: tuple = ("present",)
TYPE_CHECKS: dict[str, tuple] = {
    "id": PRESENT,
    "count": ("ge", 0),
    "amount": ("ge", 0),
    "industry": ("isin", "industries"),
    "accident_type": ("isin", "accident_types"),
    "accident_grade": ("isin", "accident_grades"),
    "hazard_grade": ("isin", "hazard_grades"),
    "hazard_status": ("isin", "hazard_statuses"),
    "hazard_source": ("isin", "hazard_sources"),
    "supervision": ("isin", "supervision_levels"),
    "period": ("str_matches", r"^\d{4}(-\d{2})?$"),
    "year": ("in_range", (1949, 2100)),
}

# An amount is always in 万元: its label says so.
AMOUNT_UNIT = ("（万元）", " (10k yuan)")


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    required: bool  # a file must have it
    zh: str  # the header a file writes
    en: str
    aliases: tuple[str, ...] = ()
    description: str = ""
    # ---- the store
    input: bool = True  # False: not in a file; the loaders derive it (declared with D)
    sql: str | None = None  # the SQL type when not the value type's (SQL_TYPES)
    filled: bool = False  # never empty in the store: the loaders fill it (0, a status from the dates, 'none')
    added: bool = False  # added to the table after its first release (ALTER TABLE … ADD COLUMN): last in the table
    check: tuple = ()  # the contract's rule when not the value type's (TYPE_CHECKS)
    # ---- pages, reports and downloads: (中文, English) when not the header's words
    label: tuple[str, str] | None = None

    def all_aliases(self) -> tuple[str, ...]:
        return (self.name, self.zh, self.en, *self.aliases)

    @property
    def sql_type(self) -> str | None:
        return self.sql or SQL_TYPES.get(self.type)

    @property
    def stored(self) -> bool:
        return self.sql_type is not None

    @property
    def not_null(self) -> bool:
        return self.required or self.filled

    @property
    def rule(self) -> tuple:
        """The store contract's rule, () for none: the declared one, else the value type's, else PRESENT for a
        column a file brings that may not be empty."""
        if self.check or not self.input:
            return self.check
        return TYPE_CHECKS.get(self.type) or (PRESENT if self.not_null else ())

    def labels(self) -> tuple[str, str]:
        """(中文, English) as a page's column header shows them: capitalised, an amount with its unit."""
        zh, en = self.label or (self.zh, self.en)
        en = en[:1].upper() + en[1:]
        if self.type == "amount":
            zh, en = zh + AMOUNT_UNIT[0], en + AMOUNT_UNIT[1]
        return zh, en


def D(name: str, sql: str, not_null: bool, zh: str, en: str, *, check: tuple = (), added: bool = False) -> Column:
    """A stored column the loaders derive (no file brings it)."""
    return Column(name, "stored", False, zh, en, input=False, sql=sql, filled=not_null, check=check, added=added)


# Every fact row carries its region's province and city codes, so that any level of the hierarchy is one
# GROUP BY away, and the import and source row it came from, so that a number can be traced.
REGION: tuple[Column, ...] = (
    D("region_code", "VARCHAR", True, "地区", "region", check=("isin", "regions")),
    D("region_level", "VARCHAR", True, "地区级别", "region level", check=("isin", "region_levels")),
    D("province_code", "VARCHAR", False, "省级代码", "province code", check=("isin", "regions")),
    D("city_code", "VARCHAR", False, "市级代码", "city code", check=("isin", "regions")),
)
PROVENANCE: tuple[Column, ...] = (
    D("import_id", "VARCHAR", True, "导入批次", "import", check=PRESENT),
    D("source_row", "INTEGER", False, "源文件行号", "source row"),
    D("row_hash", "VARCHAR", True, "内容校验值", "row hash", check=("str_length", 16)),
)
STAT_ID = D("stat_id", "VARCHAR", True, "统计编号", "statistics id", check=PRESENT)
PERIOD_PARTS: tuple[Column, ...] = (
    D("period_kind", "VARCHAR", True, "期间类型", "period kind", check=("isin", "period_kinds")),
    D("year", "INTEGER", True, "年度", "year"),
    D("month", "INTEGER", False, "月份", "month"),
)


@dataclass(frozen=True)
class Kind:
    name: str  # CLI name: accidents, hazards, accident-stats, hazard-stats, targets
    table: str  # store table
    zh: str
    en: str
    id_column: str
    layout: tuple[Column, ...]  # the table's columns in order, those a file brings and those derived
    # Columns that make up the natural key when the file has no id column.
    key_columns: tuple[str, ...] = field(default_factory=tuple)
    columns: tuple[Column, ...] = field(init=False)  # the columns a file brings

    def __post_init__(self) -> None:
        object.__setattr__(self, "columns", tuple(c for c in self.layout if c.input))

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)

    @property
    def required(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.required)

    @property
    def table_columns(self) -> tuple[Column, ...]:
        """The store table's columns in order: the layout's stored ones, those added later, the provenance."""
        stored = [c for c in self.layout if c.stored]
        return (*(c for c in stored if not c.added), *(c for c in stored if c.added), *PROVENANCE)

    def stored_column(self, name: str) -> Column:
        for c in self.table_columns:
            if c.name == name:
                return c
        raise KeyError(name)


C = Column

ACCIDENTS = Kind(
    "accidents",
    "accidents",
    "事故台账",
    "accident records",
    "accident_id",
    (
        C("accident_id", "id", False, "事故编号", "accident id", ("编号", "序号id", "事故id", "id", "记录编号")),
        C(
            "occurred_at",
            "datetime",
            True,
            "发生时间",
            "occurred at",
            ("事故发生时间", "发生日期", "事故时间", "事故日期", "日期", "occurred", "date", "occurred date"),
        ),
        C(
            "region",
            "region",
            True,
            "地区",
            "region",
            (
                "发生地区",
                "事故地区",
                "所在地区",
                "行政区划",
                "区划",
                "发生地",
                "行政区划代码",
                "区划代码",
                "地区代码",
                "adcode",
            ),
        ),
        *REGION,
        C("industry", "industry", True, "行业领域", "industry", ("行业", "行业类别", "所属行业", "领域", "sector")),
        C(
            "enterprise",
            "text",
            False,
            "事故单位",
            "enterprise",
            ("企业名称", "单位名称", "发生单位", "企业", "单位", "事故企业", "company"),
        ),
        C("deaths", "count", True, "死亡人数", "deaths", ("死亡", "死亡(人)", "死亡人数(人)", "dead", "fatalities")),
        C("missing", "count", False, "失踪人数", "missing", ("失踪", "missing persons"), filled=True),
        C(
            "serious_injuries",
            "count",
            False,
            "重伤人数",
            "serious injuries",
            ("重伤", "重伤(含急性工业中毒)", "重伤人数(含急性工业中毒)", "seriously injured"),
            filled=True,
        ),
        C(
            "injuries",
            "count",
            False,
            "轻伤人数",
            "minor injuries",
            ("受伤人数", "轻伤", "受伤", "injured"),
            filled=True,
        ),
        C(
            "direct_loss_wan",
            "amount",
            False,
            "直接经济损失",
            "direct economic loss",
            ("经济损失", "直接损失", "直接经济损失(万元)", "loss", "direct loss"),
        ),
        C(
            "accident_type",
            "accident_type",
            False,
            "事故类型",
            "accident type",
            ("事故类别", "伤害类型", "类型", "type", "accident class"),
        ),
        # The grade by the casualties and the loss (条例 493号); the file's own grade is kept as reported.
        D("grade", "VARCHAR", True, "事故等级", "grade", check=("isin", "accident_grades")),
        C(
            "grade_reported",
            "accident_grade",
            False,
            "事故等级",
            "grade",
            ("等级", "事故级别", "级别", "accident grade", "reported grade"),
            label=("上报等级", "grade as reported"),
        ),
        D("grade_conflict", "BOOLEAN", True, "上报等级与条例不符", "grade conflict"),
        C(
            "summary",
            "text",
            False,
            "事故简况",
            "summary",
            ("简要经过", "事故概况", "事故经过", "简况", "描述", "description", "事故简要情况"),
        ),
        C("longitude", "coord", False, "经度", "longitude", ("lon", "lng"), check=("in_range", (73, 136))),
        C("latitude", "coord", False, "纬度", "latitude", ("lat",), check=("in_range", (3, 54))),
    ),
    key_columns=("occurred_at", "region", "industry", "enterprise"),
)

HAZARDS = Kind(
    "hazards",
    "hazards",
    "隐患台账",
    "hidden-danger records",
    "hazard_id",
    (
        C("hazard_id", "id", False, "隐患编号", "hazard id", ("编号", "隐患id", "id", "记录编号")),
        C(
            "enterprise",
            "text",
            True,
            "企业名称",
            "enterprise",
            ("单位名称", "企业", "单位", "生产经营单位", "company"),
        ),
        C(
            "credit_code",
            "text",
            False,
            "统一社会信用代码",
            "credit code",
            ("信用代码", "社会信用代码", "unified social credit code"),
        ),
        C("region", "region", True, "所在地区", "region", ("地区", "行政区划", "区划", "区划代码", "adcode")),
        *REGION,
        C("industry", "industry", True, "行业领域", "industry", ("行业", "行业类别", "所属行业", "sector")),
        C("address", "text", False, "地址", "address", ("企业地址", "隐患地点", "隐患部位", "location")),
        C("description", "text", False, "隐患描述", "description", ("隐患内容", "隐患名称", "隐患情况", "问题描述")),
        C("category", "text", False, "隐患类别", "category", ("隐患类型", "类别", "type")),
        C("grade", "hazard_grade", True, "隐患级别", "grade", ("隐患等级", "级别", "等级", "hazard grade")),
        C("source", "hazard_source", False, "隐患来源", "source", ("来源", "发现方式", "排查方式")),
        C(
            "found_date",
            "date",
            True,
            "发现日期",
            "found date",
            ("排查日期", "发现时间", "排查时间", "检查日期", "上报日期", "found", "date found"),
        ),
        C("deadline", "date", False, "整改期限", "deadline", ("整改时限", "限期", "整改截止日期", "due date")),
        C(
            "rectified_date",
            "date",
            False,
            "整改完成日期",
            "rectified date",
            ("整改日期", "完成整改日期", "整改完成时间", "rectified"),
        ),
        C(
            "accepted_date",
            "date",
            False,
            "验收日期",
            "acceptance date",
            ("验收时间", "销号日期", "验收销号日期", "accepted date", "closed date"),
        ),
        C("status", "hazard_status", False, "整改状态", "status", ("状态", "治理状态", "隐患状态"), filled=True),
        D("status_derived", "BOOLEAN", True, "状态由日期推定", "status derived from dates"),
        C(
            "funds_wan",
            "amount",
            False,
            "整改资金",
            "funds",
            ("治理资金", "整改资金(万元)", "投入资金", "funds (10k cny)"),
        ),
        C("responsible_person", "text", False, "整改责任人", "responsible person", ("责任人", "负责人")),
        C(
            "supervision_level",
            "supervision",
            False,
            "挂牌督办",
            "supervision level",
            ("挂牌督办级别", "督办级别", "挂牌级别", "supervision"),
            filled=True,
        ),
        C("measures_in_place", "flag", False, "措施到位", "measures in place", ("整改措施到位", "措施")),
        C("funds_in_place", "flag", False, "资金到位", "funds in place", ("整改资金到位",)),
        C("deadline_in_place", "flag", False, "时限到位", "deadline in place", ("整改时限到位", "期限到位")),
        C("person_in_place", "flag", False, "责任人到位", "responsible person in place", ("责任到位",)),
        C("plan_in_place", "flag", False, "预案到位", "emergency plan in place", ("应急预案到位",)),
    ),
    key_columns=("enterprise", "region", "found_date", "description", "category", "grade"),
)

# Accident statistics keep what they have: each measure may be unknown, but a row needs one of them.
_UNRELEASED = "empty, —, 未公布 or the column absent: unknown (not released), never 0"

ACCIDENT_STATS = Kind(
    "accident-stats",
    "accident_stats",
    "事故统计报表",
    "accident statistics",
    "stat_id",
    (
        STAT_ID,
        C(
            "period",
            "period",
            True,
            "统计期间",
            "period",
            ("年份", "年度", "月份", "统计期", "期间", "统计月份", "year", "month"),
        ),
        *PERIOD_PARTS,
        C("region", "region", True, "地区", "region", ("填报单位", "行政区划", "区划代码", "统计地区", "adcode")),
        *REGION,
        C(
            "industry",
            "industry",
            False,
            "行业领域",
            "industry",
            ("行业", "行业类别", "sector"),
            "blank means all industries",
        ),
        C(
            "accidents",
            "count",
            False,
            "事故起数",
            "accidents",
            ("事故总起数", "起数", "事故数", "事故总量"),
            _UNRELEASED,
        ),
        C("deaths", "count", False, "死亡人数", "deaths", ("死亡", "事故死亡人数"), _UNRELEASED),
        C(
            "larger_accidents",
            "count",
            False,
            "较大事故起数",
            "larger accidents",
            ("较大事故", "较大起数"),
            _UNRELEASED,
        ),
        C(
            "larger_deaths",
            "count",
            False,
            "较大事故死亡人数",
            "larger-accident deaths",
            ("较大事故死亡",),
            _UNRELEASED,
        ),
        C(
            "major_accidents",
            "count",
            False,
            "重特大事故起数",
            "major and extraordinary accidents",
            ("重特大事故", "重特大起数", "重大及以上事故起数"),
            _UNRELEASED,
        ),
        C(
            "major_deaths",
            "count",
            False,
            "重特大事故死亡人数",
            "major and extraordinary accident deaths",
            ("重特大事故死亡", "重大及以上事故死亡人数"),
            _UNRELEASED,
        ),
        C("injuries", "count", False, "受伤人数", "injuries", ("受伤",)),
        C("direct_loss_wan", "amount", False, "直接经济损失", "direct economic loss", ("经济损失",)),
    ),
    key_columns=("period", "region", "industry"),
)

HAZARD_STATS = Kind(
    "hazard-stats",
    "hazard_stats",
    "隐患排查治理月报表",
    "hazard monthly report",
    "stat_id",
    (
        STAT_ID,
        C(
            "period",
            "period",
            True,
            "统计期间",
            "period",
            ("月份", "统计月份", "期间", "month"),
            "may instead be written in the title rows (2024年3月) or given with --period",
        ),
        *PERIOD_PARTS,
        C(
            "region",
            "region",
            True,
            "填报单位",
            "region",
            ("地区", "行政区划", "区划代码", "adcode"),
            "may instead be written in the title rows (填报单位：湖南省) or given with --region",
        ),
        *REGION,
        C(
            "industry",
            "industry",
            True,
            "行业领域",
            "industry",
            ("行业", "行业类别", "行业(领域)", "行业和领域", "sector"),
        ),
        # The national forms (工矿企业; 交通运输等重点行业领域): 应排查 and 实际排查治理事故隐患的生产经营单位.
        C(
            "units_due",
            "count",
            False,
            "应排查单位数",
            "units due for inspection",
            (
                "应排查治理事故隐患的生产经营单位",
                "应排查治理事故隐患的生产经营单位数",
                "应排查企业数",
                "应排查治理单位数",
            ),
            added=True,
        ),
        C(
            "units",
            "count",
            False,
            "排查企业数",
            "units inspected",
            ("单位数", "企业数", "排查单位数", "企业(单位)数", "实际排查治理事故隐患的生产经营单位", "实际排查单位数"),
        ),
        C(
            "general_found",
            "count",
            True,
            "一般隐患排查数",
            "general hazards found",
            (
                "一般隐患排查治理排查数",
                "一般隐患发现数",
                "一般隐患数",
                "一般事故隐患排查数",
                "一般隐患排查",
                "排查一般事故隐患",
            ),
        ),
        C(
            "general_rectified",
            "count",
            True,
            "一般隐患已整改数",
            "general hazards rectified",
            (
                "一般隐患整改数",
                "一般隐患已整改",
                "一般事故隐患已整改数",
                "一般事故隐患其中：已整改",
                "排查一般事故隐患其中：已整改",
            ),
        ),
        C(
            "general_rate",
            "rate",
            False,
            "一般隐患整改率",
            "general rectification rate",
            ("一般事故隐患整改率", "general hazards rectification rate"),
        ),
        C(
            "major_found",
            "count",
            True,
            "重大隐患排查数",
            "major hazards found",
            ("重大隐患发现数", "重大隐患数", "重大事故隐患排查数", "重大隐患排查", "排查重大事故隐患"),
        ),
        # 其中：已整改销号 (rectified and closed) is the forms' only rectified count of major hazards.
        C(
            "major_rectified",
            "count",
            True,
            "重大隐患已整改数",
            "major hazards rectified",
            (
                "重大隐患整改数",
                "重大隐患已整改",
                "重大事故隐患已整改数",
                "其中：已整改销号",
                "排查治理重大隐患其中：已整改销号",
                "重大事故隐患其中：已整改销号",
                "排查重大事故隐患其中：已整改销号",
            ),
        ),
        C(
            "major_closed",
            "count",
            False,
            "重大隐患已销号数",
            "major hazards closed",
            ("重大隐患销号数", "重大隐患已销号"),
        ),
        C(
            "major_rate",
            "rate",
            False,
            "重大隐患整改率",
            "major rectification rate",
            ("重大事故隐患整改率", "排查治理重大隐患整改率", "major hazards rectification rate"),
        ),
        C(
            "major_in_plan",
            "count",
            False,
            "重大隐患列入治理计划数",
            "majors in a remediation plan",
            (
                "重大隐患列入治理计划",
                "列入治理计划",
                "列入治理计划数",
                "列入治理计划的重大事故隐患",
                "列入治理计划的",
                "major hazards in remediation plan",
            ),
        ),
        C(
            "major_five_in_place",
            "count",
            False,
            "重大隐患五到位数",
            "majors with five-in-place",
            (
                "重大隐患五到位",
                "五到位",
                "五到位数",
                "落实五到位",
                "其中：达到“五到位”要求的",
                '其中：达到"五到位"要求的',
                "达到“五到位”要求的",
                '达到"五到位"要求的',
                "major hazards five in place",
            ),
        ),
        C(
            "major_supervised",
            "count",
            False,
            "重大隐患挂牌督办数",
            "majors listed for supervision",
            (
                "重大隐患挂牌督办",
                "挂牌督办",
                "挂牌督办数",
                "挂牌督办的重大事故隐患",
                "major hazards listed for supervision",
            ),
        ),
        C(
            "major_supervised_province",
            "count",
            False,
            "重大隐患其中省级挂牌督办数",
            "of which provincial",
            (
                "其中省级",
                "其中:省级",
                "省级挂牌督办",
                "重大隐患挂牌督办其中省级",
                "挂牌督办其中省级",
                "重大隐患省级挂牌督办数",
                "其中：省级挂牌督办",
            ),
        ),
        C(
            "major_supervised_city",
            "count",
            False,
            "重大隐患其中地市级挂牌督办数",
            "of which city-level",
            (
                "其中：地市级挂牌督办",
                "地市级挂牌督办",
                "其中：市级挂牌督办",
                "市级挂牌督办",
                "重大隐患地市级挂牌督办数",
            ),
            added=True,
        ),
        C(
            "funds_wan",
            "amount",
            False,
            "治理资金",
            "funds",
            ("落实治理资金", "整改资金", "投入资金", "资金", "累计落实隐患治理资金", "累计落实治理资金"),
        ),
        # Figures cumulative since January (loaders.forms).
        D("cumulative", "BOOLEAN", False, "累计数", "cumulative since January", added=True),
    ),
    key_columns=("period", "region", "industry"),
)

TARGETS = Kind(
    "targets",
    "targets",
    "控制指标",
    "control targets",
    "target_id",
    (
        D("target_id", "VARCHAR", True, "指标编号", "target id", check=("str_matches", r"^T-\d{6}-\d{4}$")),
        C(
            "year",
            "year",
            True,
            "年度",
            "year",
            ("年份", "考核年度", "指标年度", "年"),
            "may instead be written in the title rows (2024年度…) or given with --period",
        ),
        C(
            "region",
            "region",
            True,
            "地区",
            "region",
            ("地区名称", "单位", "行政区划", "区划代码", "市州", "县市区", "adcode"),
        ),
        *REGION,
        C(
            "deaths_target",
            "count",
            True,
            "死亡人数控制指标",
            "deaths target",
            (
                "生产安全事故死亡人数控制指标",
                "死亡人数控制数",
                "死亡控制指标",
                "死亡人数指标",
                "控制指标",
                "deaths control target",
                "death toll target",
            ),
        ),
        C(
            "accidents_target",
            "count",
            False,
            "事故起数控制指标",
            "accidents target",
            ("生产安全事故起数控制指标", "事故起数控制数", "起数控制指标", "事故起数指标", "accidents control target"),
        ),
    ),
    key_columns=("year", "region"),
)

KINDS: dict[str, Kind] = {k.name: k for k in (ACCIDENTS, HAZARDS, ACCIDENT_STATS, HAZARD_STATS, TARGETS)}

# ---------------------------------------------------------------- labels


def _declarations(column: str, kind: str | None) -> list[Column]:
    kinds = [k for k in KINDS.values() if kind in (None, k.name, k.table)]
    if not kinds:
        raise KeyError(f"unknown kind {kind!r}")
    found = []
    for k in kinds:
        for c in (*k.layout, *PROVENANCE):
            if c.name == column:
                found.append(c)
                break
    return found


def label(column: str, lang: str, kind: str | None = None) -> str:
    """The header a page, a report or a download shows for a stored column (``lang`` zh or en).

    ``kind`` (an input kind or its table) picks the kind's declaration; without it the column must be
    labelled alike in every kind that has it (``region_code``, ``industry``, ``deaths`` …)."""
    found = {c.labels() for c in _declarations(column, kind)}
    if not found:
        raise KeyError(f"no column {column!r}" + (f" in {kind}" if kind else ""))
    if len(found) > 1:
        raise ValueError(f"{column!r} is labelled differently by kind ({sorted(found)}): name the kind")
    zh, en = found.pop()
    return zh if lang == "zh" else en


# ---------------------------------------------------------------- the contracts' vocabularies


def vocabulary(name: str) -> list[str]:
    """The values an ("isin", name) rule allows."""
    from domain.accident_types import GB6441_TYPES
    from domain.grading import GRADE_ORDER
    from domain.hazards import GRADE_LABELS, SOURCE_ALIASES, SUPERVISION_LEVELS, HazardStatus
    from domain.industries import INDUSTRIES
    from domain.regions import LEVELS, load_regions

    if name == "regions":
        return list(load_regions())
    return {
        "industries": lambda: [i.code for i in INDUSTRIES],
        "accident_types": lambda: list(GB6441_TYPES),
        "accident_grades": lambda: [g.value for g in GRADE_ORDER],
        "hazard_grades": lambda: list(GRADE_LABELS),
        "hazard_statuses": lambda: [s.value for s in HazardStatus],
        "hazard_sources": lambda: sorted(set(SOURCE_ALIASES.values())),
        "supervision_levels": lambda: list(SUPERVISION_LEVELS),
        "region_levels": lambda: list(LEVELS),
        "period_kinds": lambda: ["year", "month"],
    }[name]()
