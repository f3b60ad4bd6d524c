"""The leadership brief against numbers counted by hand in a small store, and ``python -m reports brief``.

The store (records from January 2022, so 2021 is *no data*, not zero):

| id | day | region | industry | deaths (+missing) | grade |
|---|---|---|---|---|---|
| C1–C7 | 2022 H1 | 长沙 ×4, 株洲 ×3 | | 1,1,1,0,1,1,3 | C7 较大 (株洲, 2022-06-20) |
| A1 | 2023-02-10 | 岳麓区 | construction | 1 | |
| A2 | 2023-03-05 | 长沙市 | road | 3 | 较大 |
| A3 | 2023-04-01 | 株洲市 | industry_trade | 1+1 | |
| A4 | 2023-05-20 | 株洲市 | road | 0 | |
| A5 | 2023-06-30 | 长沙市 | chemicals | 10 | 重大 |
| A6 | 2023-07-15 | 长沙市 | construction | 1 | (after June) |
| B1 | 2024-01-10 | 长沙市 | construction | 1 | |
| B2 | 2024-02-29 | 株洲市 | road | 2 | |
| B3 | 2024-04-12 | 岳麓区 | construction | 4 | 较大 |
| B4 | 2024-06-30 | 株洲市 | industry_trade | 0 | |
| B5 | 2024-07-01 | 长沙市 | road | 1 | (after June) |

湘西 (433100) submits monthly statistics only, for 2024-01..06: 4 accidents (Jan 1, Mar 2, May 1),
5 deaths, one 较大 accident with 3 deaths (March). Targets for 2024: 湖南 20 deaths, 长沙 12.
"""

import datetime as dt
import json
import re
import subprocess
from pathlib import Path

import pytest
from conftest import run_in_process

from analytics.brief import BriefData, build_brief
from analytics.brief_json import brief_json as to_json
from analytics.compare import compare
from answers.brief_data import StoreData
from domain.periods import Period
from domain.sources import Coverage
from loaders.importer import import_file
from store import Store, open_store

TODAY = dt.date(2024, 12, 1)
H1 = "2024-01..2024-06"

ACCIDENTS = """事故编号,发生时间,地区,行业领域,死亡人数,失踪人数,重伤人数,直接经济损失,事故简况
C1,2022-01-05,长沙市,道路运输,1,0,0,10,
C2,2022-02-10,长沙市,建筑施工,1,0,0,10,
C3,2022-03-15,株洲市,工贸,1,0,0,10,
C4,2022-04-20,株洲市,道路运输,0,0,1,10,
C5,2022-05-25,长沙市岳麓区,建筑施工,1,0,0,10,
C6,2022-06-10,长沙市,道路运输,1,0,0,10,
C7,2022-06-20,株洲市,建筑施工,3,0,0,10,
A1,2023-02-10,长沙市岳麓区,建筑施工,1,0,0,10,
A2,2023-03-05,长沙市,道路运输,3,0,0,10,客车侧翻
A3,2023-04-01,株洲市,工贸,1,1,0,10,
A4,2023-05-20,株洲市,道路运输,0,0,1,10,
A5,2023-06-30,长沙市,危险化学品,10,0,0,10,储罐爆炸
A6,2023-07-15,长沙市,建筑施工,1,0,0,10,
B1,2024-01-10,长沙市,建筑施工,1,0,0,10,
B2,2024-02-29,株洲市,道路运输,2,0,0,10,
B3,2024-04-12 09:30,长沙市岳麓区,建筑施工,4,0,0,10,脚手架坍塌
B4,2024-06-30,株洲市,工贸,0,0,2,10,
B5,2024-07-01,长沙市,道路运输,1,0,0,10,
"""
STATS = "统计期间,地区,事故起数,死亡人数,较大事故起数,较大事故死亡人数,重特大事故起数,重特大事故死亡人数\n" + "".join(
    f"2024-{m:02d},湘西土家族苗族自治州,{a},{d},{la},{ld},0,0\n"
    for m, a, d, la, ld in [
        (1, 1, 1, 0, 0),
        (2, 0, 0, 0, 0),
        (3, 2, 3, 1, 3),
        (4, 0, 0, 0, 0),
        (5, 1, 1, 0, 0),
        (6, 0, 0, 0, 0),
    ]
)
TARGETS = "年度,地区,死亡人数控制指标\n2024,湖南省,20\n2024,长沙市,12\n"
# As of 2024-06-30: found in H1 = H1 H2 H3 H5 H7; rectified by then = H1 H7 (H3 later, H5 failed acceptance);
# open majors = H3 H4 H5, overdue = H3 (deadline 05-01) and H5 (06-01); H2 is an overdue general one.
HAZARDS = """隐患编号,企业名称,所在地区,行业领域,隐患级别,发现日期,整改期限,整改完成日期,验收日期,整改状态
H1,甲公司,长沙市,建筑施工,一般,2024-01-10,2024-01-20,2024-01-20,,
H2,乙公司,长沙市,建筑施工,一般,2024-03-01,2024-03-15,,,
H3,丙公司,长沙市,危险化学品,重大,2024-02-01,2024-05-01,2024-07-10,,
H4,丁公司,长沙市,危险化学品,重大,2023-11-01,2024-08-01,,,
H5,戊公司,长沙市,建筑施工,重大,2024-04-01,2024-06-01,2024-05-20,,验收不通过
H6,己公司,长沙市,建筑施工,一般,2024-07-05,,,,
H7,庚公司,株洲市,工贸,一般,2024-05-05,2024-05-10,2024-05-06,,
"""


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("brief")
    store = open_store(folder / "small.duckdb")
    for kind, text in (("accidents", ACCIDENTS), ("accident-stats", STATS), ("targets", TARGETS), ("hazards", HAZARDS)):
        f = folder / f"{kind}.csv"
        f.write_text(text, encoding="utf-8")
        result = import_file(store, f, kind)
        assert result.rejected == 0, store.rejects(result.import_id)["reason"].tolist()
    return store.path


@pytest.fixture(scope="module")
def data(db: Path) -> StoreData:
    return StoreData(Store(db))


def brief_json(data: StoreData, period: str, region: str, **kw) -> dict:
    return to_json(build_brief(data, Period.parse(period), region, today=TODAY, **kw))


def m(current, previous, change, pct, state) -> dict:
    return {"current": current, "previous": previous, "change": change, "change_pct": pct, "state": state}


# ------------------------------------------------------------------------------------------ coverage


def test_coverage_tells_no_data_from_zero(data: StoreData) -> None:
    cov = data.coverage()
    assert cov.records == {"430000": (dt.date(2022, 1, 5), dt.date(2024, 7, 1))}
    assert cov.statistics_only == frozenset({"433100"})
    cases = [
        ("430000", "2022-01", True),  # the first record is on the 5th: the whole month is covered
        ("430000", "2021-12", False),  # before the records
        ("430300", "2024-03", True),  # 湘潭: no record, but inside a province whose records span it → zero
        ("433100", "2024-03", False),  # statistics only: records never answer it
        ("433101", "2024-03", False),  # inside a statistics-only region
        ("420000", "2024-03", False),  # 湖北: nothing at all
        ("430000", "2024-07", True),
        ("430000", "2024-08", False),  # begins after the last record
        ("100000", "2023", True),
    ]
    for region, period, expected in cases:
        assert cov.records_cover(region, Period.parse(period)) is expected, (region, period)
    assert cov.statistics_only_within("430000") == ("433100",)
    assert cov.statistics_only_within("430100") == ()
    assert Coverage({}).records_span("100000") is None


# ------------------------------------------------------------------------------------------ the brief


def test_province_half_year_by_hand(data: StoreData) -> None:
    j = brief_json(data, H1, "430000")
    assert j["period"] == {"start": "2024-01", "end": "2024-06"}
    assert j["comparison_period"] == {"start": "2023-01", "end": "2023-06"}
    assert j["region"] == {"code": "430000", "name": "湖南省"}
    # 2024 H1: records B1-B4 (4 accidents, 7 deaths, 较大 B3 with 4) + 湘西's statistics (4, 5, 较大 1 with 3).
    # 2023 H1: A1-A5 (5 accidents, 16 deaths; 较大 A2 with 3; 重大 A5 with 10); 湘西 sent nothing for 2023.
    assert j["measures"] == {
        "accidents": m(8, 5, 3, 60.0, "rose"),
        "deaths": m(12, 16, -4, -25.0, "declined"),
        "larger_accidents": m(2, 1, 1, 100.0, "rose"),
        "larger_deaths": m(7, 3, 4, 133.33, "rose"),
        "major_plus_accidents": m(0, 1, -1, -100.0, "declined"),
        "major_plus_deaths": m(0, 10, -10, -100.0, "declined"),
    }
    assert j["three_declines"] == {"state": "not_achieved"}
    assert j["double_decline"] == {"state": "not_achieved"}
    assert j["source"]["current"] == "records+statistics" and j["source"]["previous"] == "records"
    assert j["source"]["statistics_regions"] == [{"code": "433100", "name": "湘西土家族苗族自治州"}]
    assert j["source"]["gaps_previous"] == [{"code": "433100", "name": "湘西土家族苗族自治州"}]
    assert j["source"]["gaps_current"] == []
    # Streaks: accidents 7 → 5 → 8 (0); deaths 8 → 16 → 12 (1); 重特大 0 → 1 → 0 and deaths 0 → 10 → 0 (1);
    # 较大 1 → 1 → 2 and deaths 3 → 3 → 7 (0); 2021 has no data.
    assert j["streaks"] == {
        "accidents": 0,
        "deaths": 1,
        "larger_accidents": 0,
        "larger_deaths": 0,
        "major_plus_accidents": 1,
        "major_plus_deaths": 1,
    }


def test_city_streak_stops_at_the_year_without_data(data: StoreData) -> None:
    j = brief_json(data, H1, "430100")
    # 长沙 H1: 2022 C1 C2 C5 C6 (4, 4 deaths), 2023 A1 A2 A5 (3, 14), 2024 B1 B3 (2, 5).
    assert j["measures"]["accidents"] == m(2, 3, -1, -33.33, "declined")
    assert j["measures"]["deaths"] == m(5, 14, -9, -64.29, "declined")
    assert j["measures"]["larger_accidents"] == m(1, 1, 0, 0.0, "flat")
    assert j["three_declines"] == {"state": "not_achieved"}  # 较大 flat
    assert j["double_decline"] == {"state": "achieved"}
    assert j["streaks"]["accidents"] == 2  # 4 → 3 → 2; 2021 is no data, not a higher number
    assert j["streaks"]["deaths"] == 1
    assert j["double_decline_children"] == {
        "level": "county",
        "achieved": 0,
        "of": 1,
        "insufficient_data": 0,
        "quiet": 8,
        "unit_zh": "县市区",
        "unit_en": "counties, cities and districts",
    }


def test_children_industries_and_rankings(data: StoreData) -> None:
    j = brief_json(data, H1, "430000")
    # 长沙 achieved; 株洲 flat (2 and 2 both years); 湘西 has no 2023; the 11 others held at zero.
    assert j["double_decline_children"] == {
        "level": "city",
        "achieved": 1,
        "of": 2,
        "insufficient_data": 1,
        "quiet": 11,
        "unit_zh": "市州",
        "unit_en": "cities and prefectures",
    }
    regions = j["rankings"]["regions"]
    assert regions[0]["code"] == "430200" and regions[0]["accidents"] == m(2, 2, 0, 0.0, "flat")
    assert [r["code"] for r in regions[-2:]] == ["430100", "433100"]  # the fall, then no data last
    assert regions[-1]["accidents"] == m(4, None, None, None, "insufficient_data")
    assert regions[-1]["source"] == "statistics"
    # Industries (records only: 湘西's statistics have no industry rows): road 2→1 and chemicals 1→0 both fall.
    assert j["double_decline_industries"] == {
        "level": "industry",
        "achieved": 2,
        "of": 4,
        "insufficient_data": 0,
        "quiet": 12,
        "unit_zh": "行业领域",
        "unit_en": "industries",
    }
    inds = {r["industry"]: r for r in j["rankings"]["industries"]}
    assert j["rankings"]["industries"][0]["industry"] == "construction"  # 1 → 2, the largest rise
    assert inds["construction"]["accidents"] == m(2, 1, 1, 100.0, "rose")
    assert inds["chemicals"]["deaths"] == m(0, 10, -10, -100.0, "declined")
    assert inds["aviation"]["accidents"]["state"] == "held_at_zero"


def test_days_since_target_hazards_latest(data: StoreData) -> None:
    j = brief_json(data, H1, "430000")
    assert j["as_of"] == "2024-06-30"
    assert j["days_since"] == {
        "extraordinary": {"last_day": None, "days": None, "none_since": "2022-01-05"},
        "major_plus": {"last_day": "2023-06-30", "days": 366, "none_since": None},  # across 29 Feb 2024
        "larger": {"last_day": "2024-04-12", "days": 79, "none_since": None},
        "larger_plus": {"last_day": "2024-04-12", "days": 79, "none_since": None},  # 较大 + 重大 + 特别重大
    }
    # 12 deaths of a target of 20 by 30 June 2024: 60 % against 182/366 of the year.
    assert j["target"] == {
        "year": 2024,
        "deaths": 12,
        "deaths_target": 20,
        "progress": 0.6,
        "time_progress": round(182 / 366, 4),
        "state": "ahead_of_time",
    }
    assert j["hazards"] == {
        "found": 5,
        "rectified": 2,
        "major_found": 2,
        "major_rectified": 0,
        "open_major": 3,
        "open_major_overdue": 2,
        "open_overdue": 3,
        "rectification_rate": 0.4,
        "major_rectification_rate": 0.0,
        "statistics_regions": [],
        "partial_regions": [],
        "on_time_rate": 1.0,
        "closure_rate": 0.0,
    }  # H1, H7 on time; nothing accepted yet
    assert [a["id"] for a in j["latest"]] == ["B3"]  # 湘西's 较大 accident is a number in a form, not a record
    assert j["latest"][0] == {
        "id": "B3",
        "occurred_at": "2024-04-12T09:30",
        "industry": "construction",
        "region": {"code": "430104", "name": "湖南省长沙市岳麓区"},
        "enterprise": None,
        "deaths": 4,
        "grade": "larger",
        "summary": "脚手架坍塌",
    }


def test_target_counts_the_year_to_date_and_all_industries(data: StoreData) -> None:
    q2 = brief_json(data, "2024-Q2", "430000")
    assert q2["measures"]["deaths"]["current"] == 5  # B3 4 + 湘西 May 1
    assert q2["target"]["deaths"] == 12  # January to June, not the quarter
    changsha = brief_json(data, H1, "430100", industries=("construction",))
    assert changsha["measures"]["deaths"]["current"] == 5  # B1 + B3, both construction
    assert changsha["target"]["deaths"] == 5 and changsha["target"]["state"] == "within"  # 5/12 < 182/366
    assert brief_json(data, H1, "430200")["target"] is None  # 株洲 has none
    assert changsha["hazards"]["found"] == 3 and changsha["hazards"]["open_major"] == 1  # H1 H2 H5; H5


def test_a_statistics_only_region_without_last_year(data: StoreData) -> None:
    j = brief_json(data, H1, "433100")
    assert j["measures"]["accidents"] == m(4, None, None, None, "insufficient_data")
    assert j["measures"]["larger_deaths"] == m(3, None, None, None, "insufficient_data")
    assert j["three_declines"] == {"state": "insufficient_data"}
    assert j["double_decline"] == {"state": "insufficient_data"}
    assert j["source"]["current"] == "statistics" and j["source"]["previous"] == "none"
    assert j["days_since"] is None and j["latest"] == []  # statistics have no days and no records
    assert j["streaks"]["accidents"] == 0
    assert j["double_decline_children"]["insufficient_data"] == 8 and j["double_decline_children"]["of"] == 0
    march = brief_json(data, "2024-03", "433100")
    assert (march["measures"]["accidents"]["current"], march["measures"]["deaths"]["current"]) == (2, 3)


def test_a_year_before_the_first_record_is_missing_not_zero(data: StoreData) -> None:
    j = brief_json(data, "2022-01..2022-06", "430000")
    assert j["measures"]["accidents"] == m(7, None, None, None, "insufficient_data")
    assert j["measures"]["major_plus_accidents"] == m(0, None, None, None, "insufficient_data")
    assert j["three_declines"] == {"state": "insufficient_data"}
    after = brief_json(data, "2024-08", "430000")  # after the last record (1 July)
    assert after["measures"]["accidents"]["current"] is None
    assert brief_json(data, H1, "420000")["measures"]["accidents"]["state"] == "insufficient_data"  # 湖北


def test_a_cut_period_leaves_statistics_out_and_says_so(data: StoreData) -> None:
    b = build_brief(data, Period.parse("2024"), "430000", today=dt.date(2024, 6, 15))
    assert (b.period.end, b.period.until, b.comparison_period.until) == (
        "2024-06",
        dt.date(2024, 6, 15),
        dt.date(2023, 6, 15),
    )
    assert b.measures["accidents"].current == 3  # B1 B2 B3: B4 is on 30 June, 湘西's forms are whole months
    assert b.source.partially_covered == ("433100",) and b.source.gaps_current == ("433100",)


def test_arguments_are_checked(data: StoreData) -> None:
    with pytest.raises(ValueError, match="region must be a GB/T 2260 code such as 430000 or 100000, got '湖南省'"):
        build_brief(data, H1, "湖南省", today=TODAY)
    with pytest.raises(ValueError, match="unknown industry code '建筑施工'"):
        build_brief(data, H1, "430000", industries=("建筑施工",), today=TODAY)
    with pytest.raises(ValueError, match="grade group must be one of all, general"):
        build_brief(data, H1, "430000", grade_group="big", today=TODAY)
    with pytest.raises(ValueError, match="the period 2025-01 has not started yet on 2024-12-01"):
        build_brief(data, "2025-01", "430000", today=TODAY)
    with pytest.raises(ValueError, match="period must be a Period or text such as"):
        build_brief(data, 2024, "430000", today=TODAY)


def test_store_data_is_brief_data(data: StoreData) -> None:
    def needs(d: BriefData) -> BriefData:
        return d

    assert needs(data) is data
    assert all(callable(getattr(data, name)) for name in BriefData.__dict__ if not name.startswith("_"))


# ------------------------------------------------------------------------------------------ the CLI


def run(*args: str) -> subprocess.CompletedProcess:
    """``python -m reports brief <args>`` through its ``main``, in this process (tests/test_pack.py runs the
    command as a process of its own)."""
    return run_in_process("reports", "brief", *args)


def test_cli_json_equals_the_brief(db: Path, data: StoreData) -> None:
    done = run("--period", H1, "--region", "湖南省", "--db", str(db), "--format", "json", "--today", "2024-12-01")
    assert done.returncode == 0, done.stderr
    payload = json.loads(done.stdout)
    assert payload == brief_json(data, H1, "430000")
    assert {"period", "comparison_period", "region", "measures", "three_declines", "double_decline"} <= set(payload)
    by_name = run(
        "--period",
        H1,
        "--region",
        "长沙",
        "--industry",
        "建筑施工",
        "--industry",
        "道路交通",
        "--db",
        str(db),
        "--today",
        "2024-12-01",
    )
    assert json.loads(by_name.stdout)["industries"] == ["construction", "road_transport"]


def test_cli_markdown_in_both_languages(db: Path) -> None:
    zh = run("--period", H1, "--region", "430000", "--db", str(db), "--format", "md", "--today", "2024-12-01")
    assert zh.returncode == 0, zh.stderr
    text = zh.stdout
    assert text.startswith("# 2024年1—6月湖南省安全生产形势简报\n")
    assert (
        "2024年1—6月，全省共发生生产安全事故8起、死亡12人，起数同比上升60.0%，死亡人数同比下降25.0%。"
        "其中，较大事故2起、死亡7人，同比分别上升100.0%和133.3%；未发生重特大事故，去年同期发生1起、死亡10人。"
    ) in text
    assert "全省未实现“三个继续下降”：事故总量同比上升；较大事故起数同比上升。" in text
    # 11 cities had no accident in either half-year: counted apart, not as failing (issue 14, point 9)
    assert "2个市州中1个实现“双下降”（另有11个两年同期均未发生事故，1个数据不足）" in text
    assert (
        "2024年死亡人数控制指标20人，截至2024年6月30日已死亡12人，占全年控制指标的60.0%，超过时间进度10.3个百分点，须高度警惕"
        in text
    )
    assert "距上一起重特大事故（2023年6月30日）已366天（12个月0天）" in text
    assert "排查隐患5项，已整改2项，整改率40.0%；重大隐患未整改3项，其中超期2项" in text
    assert "| 2024-04-12 | 湖南省长沙市岳麓区 | 建筑施工 | 较大 | 4 | 脚手架坍塌 |" in text
    # (monthly here; a region may send yearly or quarterly reports: the note names no granularity it does not know)
    assert "注：湘西土家族苗族自治州仅报送统计报表，其报表未覆盖本期或去年同期，未计入。" in text
    en = run(
        "--period", H1, "--region", "430000", "--db", str(db), "--format", "md", "--lang", "en", "--today", "2024-12-01"
    ).stdout
    assert en.startswith("# Production safety in Hunan: Jan–Jun 2024\n")
    assert (
        "In Jan–Jun 2024, Hunan had 8 production-safety accidents and 12 deaths (accidents up 60.0% year on "
        "year; deaths down 25.0% year on year)."
    ) in en
    assert "no major-and-above accident, against 1 accident and 10 deaths a year earlier" in en
    assert "1 of 2 cities and prefectures achieved it (11 with no accident in either year, 1 without data)" in en
    assert "| 2024-04-12 | Changsha, Yuelu | construction | larger | 4 |" in en


WORDING_CASES = [
    # (period, region, industry, zh fragment, en fragment)
    (
        "no comparable year",
        "2022-01..2022-06",
        "430000",
        None,
        "全省共发生生产安全事故7起、死亡8人，无去年同期可比数据",
        "with no comparable data for last year",
    ),
    (
        "statistics only, no last year",
        H1,
        "433100",
        None,
        "数据不足，无法判断：去年同期（2023年1—6月）无数据",
        "cannot be judged (no data for Jan–Jun 2023)",
    ),
    (
        "held at zero",
        H1,
        "430300",
        None,
        "全市未发生生产安全事故，去年同期亦未发生",
        "no accident in either year, and zero both times is not a decline",
    ),
    (
        "flat",
        H1,
        "430200",
        None,
        "全市共发生生产安全事故2起、死亡2人，与去年同期持平。",
        "2 production-safety accidents and 2 deaths, flat year on year.",
    ),
    (
        "one flat, one fell",
        H1,
        "430000",
        "industry_trade",
        "共发生生产安全事故1起、死亡0人，起数与去年同期持平，死亡人数同比下降100.0%",
        "(accidents flat year on year; deaths down 100.0% year on year)",
    ),
    ("new, from zero", H1, "430000", "fireworks", None, None),
    (
        "fell to zero",
        H1,
        "430000",
        "chemicals",
        "未发生生产安全事故，去年同期发生1起、死亡10人",
        "no production-safety accident, against 1 accident and 10 deaths a year earlier",
    ),
    (
        "both new, from zero",
        "2024-04",
        "430100",
        None,
        "全市共发生生产安全事故1起、死亡4人，去年同期均为零。",
        "1 production-safety accident and 4 deaths, against none a year earlier.",
    ),
    ("no data at all", "2024-08", "430000", None, "全省生产安全事故数据不足", "there are no data on production-safety"),
]


@pytest.mark.parametrize(
    ("period", "region", "industry", "zh", "en"), [c[1:] for c in WORDING_CASES], ids=[c[0] for c in WORDING_CASES]
)
def test_markdown_wording_for_each_state(data: StoreData, period, region, industry, zh, en) -> None:
    from reports.markdown import brief_markdown

    b = build_brief(data, Period.parse(period), region, (industry,) if industry else None, today=TODAY)
    zh_text, en_text = brief_markdown(b, "zh"), brief_markdown(b, "en")
    if zh:
        assert zh in zh_text, zh_text
    if en:
        assert en in en_text, en_text
    assert not re.search(r"\bNone\b|\bnan\b|\bNaN\b", zh_text + en_text)


EXIT_2_CASES = [
    (["--period", "2024-13", "--region", "湖南"], "error: --period: '2024-13' is not a period (expected 2017, 2017-03"),
    (
        ["--period", "2025-01", "--region", "湖南"],
        "error: --period: the period 2025-01 has not started yet on 2024-12-01",
    ),
    (["--period", H1, "--region", "火星市"], "error: --region: '火星市' is not a known region"),
    (
        ["--period", H1, "--region", "鼓楼区"],
        "error: --region: '鼓楼区' is ambiguous: it could be 江苏省南京市鼓楼区 320106",
    ),
    (["--period", H1, "--region", "999999"], "error: --region: '999999' is not a known GB/T 2260 region code"),
    (
        ["--period", H1, "--region", "湖南", "--industry", "游乐设施"],
        "error: --industry: '游乐设施' is not a known industry",
    ),
    (["--period", H1, "--region", "湖南", "--grade", "huge"], "error: --grade must be one of all, general"),
    (["--period", H1, "--region", "湖南", "--today", "2024-02-30"], "error: --today '2024-02-30' is not a date"),
    (["--period", H1, "--region", "湖南", "--format", "docx"], "error: argument --format: invalid choice: 'docx'"),
    (["--region", "湖南"], "error: the following arguments are required: --period"),
]


@pytest.mark.parametrize(
    ("args", "message"), EXIT_2_CASES, ids=[m.split(":")[1].strip() + " " + a[-1] for a, m in EXIT_2_CASES]
)
def test_cli_exit_2_with_one_line(db: Path, args: list[str], message: str) -> None:
    extra = [] if "--today" in args else ["--today", "2024-12-01"]
    done = run(*args, "--db", str(db), *extra)
    assert done.returncode == 2
    assert done.stderr.startswith(message), done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and done.stdout == ""


def test_cli_refuses_a_store_that_does_not_exist(tmp_path: Path) -> None:
    missing = tmp_path / "nope.duckdb"
    done = run("--period", H1, "--region", "湖南", "--db", str(missing))
    assert done.returncode == 2 and done.stderr.startswith(f"error: --db: no store at {missing}")
    assert not missing.exists()


def test_the_country_counts_its_31_provinces(data: StoreData) -> None:
    """香港, 澳门 and 台湾 send no production-safety statistics: the national tally and rankings count the 31
    provinces (here 湖南 with data, 30 without), in the noun of the ministry's documents."""
    j = brief_json(data, H1, "100000")
    tally = j["double_decline_children"]
    assert tally["of"] + tally["insufficient_data"] == 31
    assert (tally["unit_zh"], tally["unit_en"]) == ("省（区、市）", "provinces, autonomous regions and municipalities")
    codes = {r["code"] for r in j["rankings"]["regions"]}
    assert len(codes) == 31 and not codes & {"710000", "810000", "820000"}
    from reports.markdown import brief_markdown

    text = brief_markdown(build_brief(data, Period.parse(H1), "100000", today=TODAY), "zh")
    assert (tally["of"], tally["insufficient_data"]) == (1, 30)
    assert "1个省（区、市）中0个实现“双下降”（另有30个数据不足）" in text


def test_the_country_is_not_judged_from_one_province(data: StoreData) -> None:
    """Only 湖南 sent data: the national figures are not the nation's (issue 14, point 3)."""
    b = build_brief(data, Period.parse(H1), "100000", today=TODAY)
    assert b.measures["accidents"].current is None
    assert b.three_declines.state == "insufficient_data" and b.double_decline == "insufficient_data"
    assert (b.reporting.reported, b.reporting.of, len(b.reporting.missing)) == (1, 31, 30)
    from reports import brief_en, brief_zh

    assert brief_zh.headline(b) == (
        "2024年1—6月，全国生产安全事故数据不足：31个省（区、市）中1个有本期数据，其余30个无数据。"
    )
    assert brief_en.headline(b).endswith(
        ": 1 of 31 provinces, autonomous regions and municipalities have data for the period, 30 none."
    )
    # 湖南 itself is answered whole by its records
    assert build_brief(data, Period.parse(H1), "430000", today=TODAY).measures["accidents"].current == 8


def test_a_bureau_names_the_regions_it_expects(db: Path) -> None:
    """SAFETY_EXPECTED_REGIONS=430000 (a store that holds 湖南 only, on purpose): the country is judged from 湖南
    and says so; the other 30 provinces are neither awaited nor counted (issue 14, point 3). Hand-counted: 湖南
    2024 H1 has 8 accidents (B1–B4, and 湘西's 4 from its statistics), and so has the country."""
    import settings
    from reports import brief_en, brief_zh

    expected = settings.expected_regions({"SAFETY_EXPECTED_REGIONS": "湖南"})
    assert expected == frozenset({"430000"})
    country = build_brief(StoreData(Store(db), expected), Period.parse(H1), "100000", today=TODAY)
    hunan = build_brief(StoreData(Store(db)), Period.parse(H1), "430000", today=TODAY)
    assert country.measures["accidents"].current == hunan.measures["accidents"].current == 8
    assert country.three_declines.state == hunan.three_declines.state != "insufficient_data"
    assert (country.reporting.reported, country.reporting.of, country.reporting.expected) == (1, 1, ("430000",))
    assert (
        country.double_decline_children.of
        + country.double_decline_children.insufficient_data
        + country.double_decline_children.quiet
        == 1
    )
    assert len(country.rankings_regions) == 31  # the rankings still show every province
    assert brief_zh.source_zh(country).endswith("按设定的应报送地区（湖南省）判断。")
    assert brief_en.source_en(country).endswith("Judged on the regions set as expected to report (Hunan).")
    # a province the setting says nothing of keeps all its units: 湖南's 14 cities
    inside = build_brief(StoreData(Store(db), expected), Period.parse(H1), "430000", today=TODAY)
    assert inside.reporting.of == 14 and inside.reporting.expected == ()
    # two provinces named, one silent: the country waits for 广东 and says so
    both = settings.expected_regions({"SAFETY_EXPECTED_REGIONS": "430000、广东省"})
    b = build_brief(StoreData(Store(db), both), Period.parse(H1), "100000", today=TODAY)
    assert b.three_declines.state == "insufficient_data" and b.measures["accidents"].current is None
    assert (b.reporting.reported, b.reporting.of, b.reporting.missing) == (1, 2, ("440000",))
    assert (
        brief_zh.headline(b)
        == "2024年1—6月，全国生产安全事故数据不足：2个省（区、市）中1个有本期数据，其余1个（广东省）无数据。"
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("火星市", "SAFETY_EXPECTED_REGIONS='火星市': '火星市' is not a known region"),
        ("430000,鼓楼区", "SAFETY_EXPECTED_REGIONS='430000,鼓楼区': '鼓楼区' is ambiguous"),
    ],
)
def test_a_bad_expected_region_names_the_setting(value: str, message: str) -> None:
    import settings

    with pytest.raises(ValueError, match="^" + re.escape(message)):
        settings.expected_regions({"SAFETY_EXPECTED_REGIONS": value})


NINGXIA = ("银川市", "石嘴山市", "吴忠市", "固原市", "中卫市")


@pytest.mark.parametrize(
    ("cities", "expected"),
    [
        (NINGXIA, (5 * 4 + 10, 2 * (5 * 4 + 10))),  # all five cities sent statistics: 宁夏 is their sum
        (NINGXIA[:4], None),  # 中卫 sent nothing: 宁夏 cannot be judged
    ],
)
def test_a_province_answered_by_its_cities_statistics(
    tmp_path: Path, cities: tuple[str, ...], expected: tuple[int, int] | None
) -> None:
    """宁夏's five cities send yearly statistics and 宁夏 sends nothing itself (issue 14, point 1)."""
    rows = "".join(
        f"{y},{c},{n},{2 * n},0,0,0,0\n" for y in (2023, 2024) for c, n in zip(cities, (4, 4, 4, 4, 14), strict=False)
    )
    csv = tmp_path / "ningxia.csv"
    csv.write_text(
        "统计期间,地区,事故起数,死亡人数,较大事故起数,较大事故死亡人数,重特大事故起数,重特大事故死亡人数\n" + rows,
        encoding="utf-8",
    )
    store = open_store(tmp_path / "nx.duckdb")
    import_file(store, csv, "accident-stats")
    b = build_brief(StoreData(Store(tmp_path / "nx.duckdb")), Period.parse("2024"), "640000", today=dt.date(2025, 3, 1))
    got = b.measures["accidents"].current, b.measures["deaths"].current
    assert (None if got[0] is None else got) == expected
    from reports import brief_zh

    if expected is None:
        assert (
            brief_zh.headline(b)
            == "2024年，全区生产安全事故数据不足：5个地级市中4个有本期数据，其余1个（中卫市）无数据。"
        )
    else:
        assert b.three_declines.state == "not_achieved"  # judged: flat total, no 较大 in either year
        assert b.double_decline == "not_achieved"  # flat on 2023
        assert b.reporting.reported == 5


def test_dated_figures_never_contradict_the_statistics(tmp_path: Path, data: StoreData) -> None:
    """湖南's own statistics answer 2024-03 (较大事故 2 起); its records' last 较大 accident is 2024-02-20. The
    days since it and the list of accidents come from records only: not printed beside the statistics
    (issue 14, point 4); where statistics answer only part (湘西), they say they are the records'."""
    acc = tmp_path / "acc.csv"
    acc.write_text(
        "事故编号,发生时间,地区,行业领域,死亡人数,失踪人数,重伤人数,直接经济损失,事故简况\n"
        "R1,2024-02-20,长沙市,建筑施工,3,0,0,10,\nR2,2023-03-05,长沙市,建筑施工,1,0,0,10,\n",
        encoding="utf-8",
    )
    stats = tmp_path / "stats.csv"
    stats.write_text(
        "统计期间,地区,事故起数,死亡人数,较大事故起数,较大事故死亡人数,重特大事故起数,重特大事故死亡人数\n"
        "2024-03,湖南省,20,25,2,7,0,0\n2023-03,湖南省,22,27,1,3,0,0\n",
        encoding="utf-8",
    )
    store = open_store(tmp_path / "s.duckdb")
    import_file(store, acc, "accidents")
    import_file(store, stats, "accident-stats")
    b = build_brief(StoreData(Store(tmp_path / "s.duckdb")), Period.parse("2024-03"), "430000", today=TODAY)
    assert b.source.current == "statistics" and b.measures["larger_accidents"].current == 2
    assert b.days_since is None and b.latest == ()
    from reports.markdown import brief_markdown

    text = brief_markdown(b, "zh")
    assert "距上一起" not in text and "2024年2月20日" not in text
    mixed = brief_markdown(build_brief(data, Period.parse(H1), "430000", today=TODAY), "zh")
    assert "已79天（2个月18天）（据事故台账，不含湘西土家族苗族自治州）。" in mixed


def test_hazard_figures_name_a_county_whose_reports_cover_part_of_the_period(tmp_path: Path, db: Path) -> None:
    """浏阳 sends its monthly hazard report for March only: a 2024-Q1 brief does not count it and says so
    (issue 14, point 8), in the brief, the pack's words and the big screen."""
    copy = tmp_path / "copy.duckdb"
    copy.write_bytes(db.read_bytes())
    form = tmp_path / "liuyang.csv"
    form.write_text(
        "统计期间,填报单位,行业领域,一般隐患排查数,一般隐患已整改数,重大隐患排查数,重大隐患已整改数\n"
        "2024-03,浏阳市,建筑施工,40,30,1,0\n",
        encoding="utf-8",
    )
    import_file(open_store(copy), form, "hazard-stats")
    b = build_brief(StoreData(Store(copy)), Period.parse("2024-Q1"), "430000", today=TODAY)
    assert b.hazards["partial_regions"] == ("430181",) and b.hazards["statistics_regions"] == ()
    assert b.hazards["found"] == 3  # H1 H3 H7 of the records, 浏阳's 41 not counted
    from reports import brief_en, brief_zh
    from reports.screen import hazards_html

    assert brief_zh.items(b)["hazards"][1].endswith("；浏阳市报送的隐患月报表只覆盖本期部分月份，未计入。")
    assert (
        "the monthly hazard reports of Liuyang cover only part of the period and are not counted."
        in brief_en.items(b)["hazards"][1]
    )
    assert "未计入浏阳市（月报表只覆盖部分月份）" in hazards_html(b, "zh")


@pytest.mark.parametrize(
    ("parts", "zh", "en"),
    [
        (
            (compare(8, 10), compare(1, 2), compare(0, 0)),
            "全省事故总量、较大事故同比下降，本期和去年同期均未发生重特大事故，实现“三个继续下降”。",
            "achieved: accidents and larger accidents fell, and there was no major-and-above accident in either year.",
        ),
        (
            (compare(8, 10), compare(0, 0), compare(0, 0)),
            "全省事故总量同比下降，本期和去年同期均未发生较大及以上事故，实现“三个继续下降”。",
            "achieved: accidents fell, and there was no larger-and-above accident in either year.",
        ),
        (
            (compare(0, 0), compare(0, 0), compare(0, 0)),
            "全省本期与去年同期均未发生事故，未实现“三个继续下降”（均为零不计为下降）。",
            "not achieved: no accident in either year, and zero both times is not a decline.",
        ),
    ],
)
def test_three_declines_are_judged_on_what_happened(data: StoreData, parts, zh: str, en: str) -> None:
    """Issue 14, point 9: no 较大/重特大 accident in either year does not make 三个继续下降 fail (README)."""
    import dataclasses

    from analytics.compare import three_declines
    from reports import brief_en, brief_zh

    b = dataclasses.replace(
        build_brief(data, Period.parse(H1), "430000", today=TODAY), three_declines=three_declines(*parts)
    )
    assert brief_zh.items(b)["three_declines"][1] == zh
    assert brief_en.items(b)["three_declines"][1] == en


# The wording table (issue 14) is tests/test_wording.py: every output, both languages.
