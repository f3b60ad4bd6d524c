"""The value vocabularies of domain/ as real files write them: hazard status, industries, agency names."""

from __future__ import annotations

import pytest

from domain import hazards as hz
from domain.agencies import AGENCY_WORDS, region_of_agency
from domain.industries import resolve_industry
from domain.regions import resolve_region
from loaders.row_kinds import _meta_from_lines

# ---------------------------------------------------------------- hazard status: each word and the step it means


STATUS_CASES = [
    # the record closed: accepted, struck off, or the system's loop ended
    ("关闭", "closed"),
    ("已关闭", "closed"),
    ("闭环", "closed"),
    ("已闭环", "closed"),
    ("办结", "closed"),
    ("已办结", "closed"),
    ("已验收", "closed"),
    ("验收通过", "closed"),
    ("验收合格", "closed"),
    ("已销号", "closed"),
    ("销号", "closed"),
    ("已核销", "closed"),
    ("核销", "closed"),
    ("已复查", "closed"),
    ("复查合格", "closed"),
    ("复查通过", "closed"),
    ("已复验", "closed"),
    ("复验合格", "closed"),
    # done, but nobody has accepted it yet
    ("已处理", "rectified"),
    ("处理完毕", "rectified"),
    ("已整改", "rectified"),
    ("整改完毕", "rectified"),
    ("整改完成", "rectified"),
    ("待验收", "rectified"),
    ("待复查", "rectified"),
    ("待复验", "rectified"),
    ("待销号", "rectified"),
    ("已完成", "rectified"),
    # ordered to rectify, not done (overdue is judged from the deadline, not from this word)
    ("整改中", "rectifying"),
    ("处理中", "rectifying"),
    ("正在处理", "rectifying"),
    ("逾期未整改", "rectifying"),
    ("超期未整改", "rectifying"),
    ("已超期", "rectifying"),
    ("已超时", "rectifying"),
    ("限期整改", "rectifying"),
    ("未整改", "found"),
    ("未处理", "found"),
    ("待处理", "found"),
    ("已上报", "found"),
    ("验收不通过", "acceptance_failed"),
    ("验收不合格", "acceptance_failed"),
    ("复查不合格", "acceptance_failed"),
    ("复查未通过", "acceptance_failed"),
    ("复验不合格", "acceptance_failed"),
    ("整改不合格", "acceptance_failed"),
    (" 已 关闭 ", "closed"),
    ("ＣＬＯＳＥＤ", "closed"),  # spaces and full-width forms
    # the words of the first table
    ("待整改", "found"),
    ("已发现", "found"),
    ("发现", "found"),
    ("新发现", "found"),
    ("上报", "found"),
    ("正在整改", "rectifying"),
    ("责令整改", "rectifying"),
    ("已下达整改", "rectifying"),
    ("治理中", "rectifying"),
    ("进行中", "rectifying"),
    ("已整改待验收", "rectified"),
    ("已完成整改", "rectified"),
    ("验收未通过", "acceptance_failed"),
    ("复验不通过", "acceptance_failed"),
    ("复验通过", "closed"),
    ("open", "found"),
    ("reported", "found"),
    ("in progress", "rectifying"),
    ("rectified", "rectified"),
    ("awaiting acceptance", "rectified"),
    ("accepted", "closed"),
    ("closed", "closed"),
    ("acceptance failed", "acceptance_failed"),
    ("failed", "acceptance_failed"),
]


@pytest.mark.parametrize(("word", "status"), STATUS_CASES)
def test_status_word(word: str, status: str) -> None:
    assert hz.lookup(word, hz.STATUS_ALIASES, "hazard status", "…") == status


def test_every_status_word_has_its_case() -> None:
    cased = {hz._k(word) for word, _ in STATUS_CASES}
    assert sorted(w for w, code in hz.STATUS_ALIASES.items() if w != code and w not in cased) == []


def test_an_unknown_status_names_what_it_got() -> None:
    with pytest.raises(ValueError, match=r"^'未关闭' is not a hazard status \(expected 未整改 or 已销号\)$"):
        hz.lookup("未关闭", hz.STATUS_ALIASES, "hazard status", "未整改 or 已销号")


# ---------------------------------------------------------------- industries as the forms write them


@pytest.mark.parametrize(
    ("label", "code"),
    [
        ("1.煤矿企业", "coal_mine"),
        ("（一）煤矿", "coal_mine"),
        ("(一)煤矿企业", "coal_mine"),
        ("一、煤矿", "coal_mine"),
        ("2、金属非金属矿山企业", "noncoal_mine"),
        ("①烟花爆竹", "fireworks"),
        ("(3)工贸行业", "industry_trade"),
        ("危险化学品企业", "chemicals"),
        ("烟花爆竹企业", "fireworks"),
        ("商贸单位", "industry_trade"),
        ("冶金、有色", "industry_trade"),
        ("冶金，有色", "industry_trade"),
        ("冶金、有色、建材、机械、轻工、纺织、烟草、商贸", "industry_trade"),
        ("化工和危险化学品", "chemicals"),
        ("其中：危化品", "chemicals"),
        ("尾矿库", "noncoal_mine"),
        ("石油天然气开采", "noncoal_mine"),
        ("石油天然气开采企业", "noncoal_mine"),
        ("煤矿", "coal_mine"),
        ("危化", "chemicals"),
        ("建筑业", "construction"),  # the plain aliases still
        # the 工矿企业 monthly form's rows (Ningbo, 2012)
        ("1.煤矿企业", "coal_mine"),
        ("3.石油天然气开采企业", "noncoal_mine"),
        ("6.冶金、有色企业", "industry_trade"),
        ("7.其他企业", "other"),
        # the 交通运输等重点行业领域 form's rows
        ("1.道路运输企业", "road_transport"),
        ("2.公路养护施工企业", "construction"),
        ("3.水上运输企业", "waterway"),
        ("4.铁路运输企业", "railway"),
        ("5.航空公司", "aviation"),
        ("6.机场和油料企业", "aviation"),
        ("7.建筑施工企业", "construction"),
        ("8.学校", "other"),
        ("9.商场、市场等人员密集场所", "other"),
        ("10.水库", "other"),
        ("11.电力企业", "other"),
        ("12.农机行业", "farm_machinery"),
        ("13.渔业企业", "fishing"),
        ("14.民爆器材生产企业", "other"),
        ("15.其他企业单位", "other"),
    ],
)
def test_industry_label(label: str, code: str) -> None:
    assert resolve_industry(label) == code


@pytest.mark.parametrize(
    ("label", "message"),
    [
        (
            "煤矿、非煤矿山",
            r"^'煤矿、非煤矿山' names 2 industries \(煤矿、金属非金属矿山\): expected one industry per row "
            r"\(split the row, or write the industry it belongs to\)$",
        ),
        ("危化品和烟花爆竹", r"^'危化品和烟花爆竹' names 2 industries \(危险化学品、烟花爆竹\)"),
        ("水利和电力", r"^'水利和电力' is not a known industry \(expected one of 煤矿、"),
        ("1.2煤矿", r"^'1.2煤矿' is not a known industry"),
        ("企业", r"^'企业' is not a known industry"),
    ],
)
def test_industry_label_refused(label: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        resolve_industry(label)


# ---------------------------------------------------------------- agencies → the region they stand for


@pytest.mark.parametrize(
    ("unit", "region", "code"),
    [
        ("宁波市安全生产监督管理局", "宁波市", "330200"),
        ("湖南省应急管理厅", "湖南省", "430000"),
        ("湖南省长沙市应急管理局", "湖南省长沙市", "430100"),
        ("浏阳市应急局", "浏阳市", "430181"),
        ("岳麓区安监局", "岳麓区", "430104"),
        ("宁波市安全监管局", "宁波市", "330200"),
        ("长沙市安委办", "长沙市", "430100"),
        ("长沙市安全生产委员会办公室", "长沙市", "430100"),
        ("宁波市人民政府安全生产委员会办公室", "宁波市", "330200"),
        ("长沙市人民政府", "长沙市", "430100"),
        ("湖南煤矿安全监察局", "湖南", "430000"),
        ("应急管理部", "全国", "100000"),
        ("国家安全生产监督管理总局", "全国", "100000"),
    ],
)
def test_agency_stands_for_its_region(unit: str, region: str, code: str) -> None:
    assert region_of_agency(unit) == region
    assert resolve_region(region) == code


def test_every_agency_word_is_taken_off() -> None:
    assert {w.word: region_of_agency("长沙市" + w.word) for w in AGENCY_WORDS} == {
        w.word: "长沙市" for w in AGENCY_WORDS
    }
    assert region_of_agency("应急管理局") == "应急管理局"  # nothing would be left: as written


def test_the_title_line_of_an_old_form() -> None:
    assert _meta_from_lines(["填报单位：宁波市安全生产监督管理局（盖章）", "2016年3月"]) == {
        "region": "宁波市",
        "period": "2016-03",
    }
