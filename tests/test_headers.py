"""Header understanding (loaders/headers.py): concepts, ties decided by values, the most specific
region, group headers (summed, totalled or refused) and three-level headers a mapping can address."""

import json
from pathlib import Path

import openpyxl
import pytest
from conftest import empty_store

from loaders.cli import main
from loaders.headers import match_parts, partition_of
from loaders.importer import import_file, read_and_validate
from loaders.read_errors import ReadError
from loaders.readers import read_table
from loaders.schema import ACCIDENT_STATS, HAZARD_STATS, HAZARDS, KINDS
from store import Store, open_store


@pytest.fixture
def store(tmp_path: Path, empty_template: Path) -> Store:
    return empty_store(empty_template, tmp_path / "t.duckdb")


def write(tmp_path: Path, name: str, text: str) -> Path:
    f = tmp_path / name
    f.write_text(text, encoding="utf-8")
    return f


# ------------------------------------------------------------------------------------ one header

HEADER_CASES = [
    # (kind, header, column or None, how, why)
    ("hazards", "所属地区", "region", "concept", "地区 and a filler word"),
    ("hazards", "所属区域", "region", "concept", "区域"),
    ("hazards", "所在区县", "region", "concept", "区县"),
    ("hazards", "区县", "region", "concept", "区县 alone"),
    ("hazards", "属地", "region", "concept", "属地"),
    ("hazards", "县（市、区）", "region", "concept", "the words in brackets that are no unit count"),
    ("hazards", "检查时间", "found_date", "concept", "检查 + 时间"),
    ("hazards", "隐患发现日期", "found_date", "concept", "发现 + 日期"),
    ("hazards", "行业和领域", "industry", "concept", "行业 + 领域"),
    ("hazards", "行业与领域", "industry", "concept", "行业 + 领域"),
    ("hazards", "实际整改完成时间", "rectified_date", "concept", "整改 + 完成 + 时间"),
    ("accidents", "所属地区", "region", "concept", "the accident file the issue names"),
    ("accidents", "事故发生地区", "region", "concept", "地区 with 事故 and 发生 as filler"),
    ("accidents", "1.死亡人数（人）", "deaths", "exact", "numbering and unit go"),
    ("accidents", "其中：重伤人数", "serious_injuries", "exact", "其中： goes"),
    ("accidents", "（一）事故发生时间", "occurred_at", "alias", "（一） numbering goes"),
    ("accident-stats", "事故起数（起）", "accidents", "exact", "unit"),
    ("accident-stats", "区县", "region", "concept", "a county table's region"),
    ("hazards", "序号", None, "", "a row number is no column"),
    ("hazards", "行业主管部门", None, "", "an agency, not the industry"),
    ("hazards", "企业地址", "address", "alias", "an address is not a region"),
    ("hazards", "地址", "address", "exact", "an address is not a region"),
    ("hazards", "整改期限", "deadline", "exact", "a deadline is not a found date"),
    ("hazards", "风险等级", None, "", "a risk grade is not the hazard grade"),
    ("accidents", "伤亡人数", None, "", "casualties are neither deaths nor injuries"),
    ("accidents", "区县数", None, "", "a count of counties is not a region"),
]


@pytest.mark.parametrize(
    ("kind", "header", "column", "how", "why"), HEADER_CASES, ids=[f"{k}:{h}" for k, h, *_ in HEADER_CASES]
)
def test_header_cases(kind: str, header: str, column: str | None, how: str, why: str) -> None:
    got = match_parts(KINDS[kind], [header])
    if column is None:
        assert got is None, why
    else:
        assert got is not None and (got.column, got.how) == (column, how), why


def test_a_concept_scores_below_an_alias_and_says_its_words() -> None:
    got = match_parts(HAZARDS, ["所在区县"])
    assert got is not None and got.detail == "区县" and got.score == pytest.approx(0.8)
    assert match_parts(HAZARDS, ["地区"]).score == 0.9  # alias


@pytest.mark.parametrize(
    ("labels", "partition"),
    [
        (["采矿", "商贸制造", "建筑", "交通运输"], "industries"),
        (["1.煤矿企业", "危险化学品", "其他"], "industries"),
        (["一般", "较大", "重大", "特别重大"], "grades"),
        (["采矿", "其中：煤矿", "建筑"], None),  # 其中 is part of another column
        (["合计", "采矿", "建筑"], None),  # a total is no part
        (["采矿", "本月", "建筑"], None),  # not all industries
        (["采矿"], None),
    ],
)
def test_partition_of_sub_labels(labels: list[str], partition: str | None) -> None:
    assert partition_of(labels) == partition


# ------------------------------------------------------------------------------------ whole files


def test_an_accident_file_headed_suoshu_diqu_imports(store: Store, tmp_path: Path) -> None:
    f = write(
        tmp_path,
        "acc.csv",
        "发生时间,所属地区,行业和领域,死亡人数\n2024-05-06,长沙市岳麓区,工贸,1\n2024-05-07,湘潭市,建筑施工,2\n",
    )
    result = import_file(store, f, "accidents")
    assert (result.new, result.rejected) == (2, 0)
    assert sorted(store.table("accidents")["region_code"]) == ["430104", "430300"]
    lines = [m.line() for m in result.headers]
    assert lines == [
        "发生时间 → occurred_at (exact, 1.00)",
        "所属地区 → region (concept 地区, 0.80)",
        "行业和领域 → industry (concept 行业+领域, 0.80)",
        "死亡人数 → deaths (exact, 1.00)",
    ]
    assert result.as_json()["headers"][1] == {
        "header": "所属地区",
        "column": "region",
        "how": "concept",
        "score": 0.8,
        "detail": "地区",
        "why": "concept 地区",
    }


def test_a_tie_is_decided_by_the_values(tmp_path: Path) -> None:
    """检查时间 and 上报时间 both say a found date as well; the one whose cells are dates wins."""
    f = write(
        tmp_path,
        "h.csv",
        "企业名称,所在地区,行业领域,隐患级别,上报时间,检查时间\n"
        "甲公司,长沙市岳麓区,工贸,一般,已上报,2024-03-05\n乙公司,长沙市,工贸,重大,未上报,2024-03-06\n",
    )
    raw = read_table(f, HAZARDS)
    assert raw.headers["found_date"] == "检查时间"
    report = {m.header: m for m in raw.matches}
    assert (
        report["检查时间"].how == "values"
        and report["检查时间"].why() == "values: 100% read as its type (concept 检查+时间)"
    )
    assert (
        report["上报时间"].column is None
        and report["上报时间"].why() == "also reads as found_date, which '检查时间' has"
    )


def test_the_most_specific_region_column_wins(tmp_path: Path) -> None:
    f = write(
        tmp_path,
        "h.csv",
        "企业名称,所属区域,所在区县,行业领域,隐患级别,发现日期\n"
        "甲公司,东片区,岳麓区,工贸,一般,2024-03-05\n乙公司,西片区,芙蓉区,工贸,重大,2024-03-06\n",
    )
    raw = read_table(f, HAZARDS)
    assert raw.headers["region"] == "所在区县"
    assert {m.header: m.how for m in raw.matches}["所在区县"] == "most specific"


LEDGER = (
    "{title}\n企业名称,所在区县,行业领域,隐患级别,检查时间,隐患描述\n"
    "甲公司,岳麓区,工贸,一般,2024-03-05,消防通道堵塞\n乙公司,芙蓉区,危险化学品,重大,2024-03-06,储罐无液位报警\n"
    "丙公司,鼓楼区,工贸,一般,2024-03-07,电气线路老化\n"
)


def test_a_district_column_wins_over_the_title_city(store: Store, tmp_path: Path) -> None:
    """长沙市…台账 with a 所在区县 column: each row on its district, the title's city disambiguating the names."""
    f = write(tmp_path, "ledger.csv", LEDGER.format(title="长沙市2024年隐患排查治理台账"))
    result = import_file(store, f, "hazards")
    assert (result.new, result.rejected) == (2, 1)
    assert sorted(store.table("hazards")["region_code"]) == ["430102", "430104"]  # not 430100
    reason = store.rejects(result.import_id)["reason"].tolist()
    assert reason == [
        "row 5, column 所在区县: '鼓楼区' is ambiguous: it could be 江苏省南京市鼓楼区 320106、江苏省徐州市鼓楼区 "
        "320302、福建省福州市鼓楼区 350102、河南省开封市鼓楼区 410204; none of them is in 湖南省长沙市 430100 "
        "(the region of the file's title or of --region)"
    ]
    assert "所在区县: read within 湖南省长沙市 430100 (the region of the file's title or of --region)" in result.notes


def test_the_title_city_disambiguates_a_district_name(tmp_path: Path) -> None:
    f = write(
        tmp_path,
        "ledger.csv",
        LEDGER.format(title="福州市2024年隐患排查治理台账").replace("岳麓区", "台江区").replace("芙蓉区", "仓山区"),
    )
    pv = read_and_validate(f, "hazards")
    assert pv.normalized.accepted["region_code"].tolist() == ["350103", "350104", "350102"]
    assert pv.raw.meta["region"] == "福州市"


def test_region_option_scopes_the_column_too(tmp_path: Path) -> None:
    f = write(tmp_path, "ledger.csv", LEDGER.format(title="隐患排查治理台账"))
    pv = read_and_validate(f, "hazards", defaults={"region": "福州市"})
    assert pv.normalized.accepted["region_code"].tolist() == ["350102"]
    assert (
        pv.normalized.rejects["reason"]
        .str.contains("'岳麓区' (湖南省长沙市岳麓区 430104) is not in 福建省福州市 350100", regex=False)
        .any()
    )


# ------------------------------------------------------------------------------------ group headers

COUNTIES = [
    ("岳麓区", (0, 3, 4, 5), (0, 1, 2, 3)),
    ("芙蓉区", (0, 2, 4, 6), (0, 1, 1, 1)),
    ("天心区", (1, 1, 2, 2), (1, 0, 0, 1)),
    ("开福区", (0, 0, 5, 0), (0, 0, 2, 0)),
]
SECTORS = ["采矿", "商贸制造", "建筑", "交通运输"]


def county_stats_xlsx(path: Path, sectors: list[str] = SECTORS, total: bool = False) -> Path:
    """A county accident-stats table as a city sends it: 事故起数 and 死亡人数 merged over industry
    sub-columns, no total column (or with one, ``total``)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["长沙市2024年各区县生产安全事故统计表"])
    subs = (["合计"] if total else []) + sectors
    n = len(subs)
    ws.append(
        [
            "地区",
            "统计期间",
            "事故起数",
            *[None] * (n - 1),
            "死亡人数",
            *[None] * (n - 1),
            "较大事故起数",
            "较大事故死亡人数",
            "重特大事故起数",
            "重特大事故死亡人数",
        ]
    )
    ws.append([None, None, *subs, *subs])
    ws.merge_cells(start_row=2, start_column=3, end_row=2, end_column=2 + n)
    ws.merge_cells(start_row=2, start_column=3 + n, end_row=2, end_column=2 + 2 * n)
    for col in [1, 2, *range(3 + 2 * n, 7 + 2 * n)]:
        ws.merge_cells(start_row=2, start_column=col, end_row=3, end_column=col)
    for name, acc, dead in COUNTIES:
        acc_cells = ([sum(acc) + 1] if total else []) + list(acc)  # a total that differs: it must be the one read
        dead_cells = ([sum(dead)] if total else []) + list(dead)
        ws.append([name, "2024", *acc_cells[:n], *dead_cells[:n], 0, 0, 0, 0])
    wb.save(path)
    return path


def test_a_group_header_over_industries_is_summed(store: Store, tmp_path: Path) -> None:
    """The issue's case: the first sub-column was taken, 4 counties stored with 0 accidents instead of 12, 12, 6, 5."""
    f = county_stats_xlsx(tmp_path / "county.xlsx")
    result = import_file(store, f, "accident-stats")
    assert (result.new, result.rejected) == (4, 0)
    stats = store.table("accident_stats").set_index("region_code").sort_index()
    assert stats["accidents"].to_dict() == {"430102": 12, "430103": 6, "430104": 12, "430105": 5}
    assert stats["deaths"].to_dict() == {"430102": 3, "430103": 2, "430104": 6, "430105": 2}
    assert (
        "事故起数 (accidents): the sum of 4 sub-columns (事故起数 / 采矿, 事故起数 / 商贸制造, 事故起数 / 建筑, "
        "事故起数 / 交通运输); the file has no total column" in result.notes
    )
    by_header = {m.header: m for m in result.headers}
    assert (
        by_header["事故起数 / 建筑"].line()
        == "事故起数 / 建筑 → accidents (the sum of the industries under '事故起数', 1.00)"
    )
    assert by_header["事故起数 / 建筑"].line("zh") == "事故起数 / 建筑 → accidents (“事故起数”下各行业分列之和, 1.00)"


def test_the_same_table_as_csv_is_summed_too(tmp_path: Path) -> None:
    lines = [
        "地区,统计期间,事故起数,,,,死亡人数,,,,较大事故起数,较大事故死亡人数,重特大事故起数,重特大事故死亡人数",
        ",," + ",".join(SECTORS * 2) + ",,,,",
    ]
    lines += [f"{n},2024," + ",".join(map(str, (*a, *d))) + ",0,0,0,0" for n, a, d in COUNTIES]
    pv = read_and_validate(write(tmp_path, "county.csv", "\n".join(lines) + "\n"), "accident-stats")
    assert pv.normalized.accepted["accidents"].tolist() == [12, 12, 6, 5]


def test_a_total_column_beside_the_parts_is_the_one_read(tmp_path: Path) -> None:
    pv = read_and_validate(county_stats_xlsx(tmp_path / "county.xlsx", total=True), "accident-stats")
    assert pv.normalized.accepted["accidents"].tolist() == [13, 13, 7, 6]
    assert {m.header: m.how for m in pv.headers}["事故起数 / 合计"] == "group total"
    assert {m.header: m.column for m in pv.headers}["事故起数 / 采矿"] is None


def test_a_group_that_is_no_partition_is_refused_naming_the_columns(tmp_path: Path) -> None:
    f = county_stats_xlsx(tmp_path / "county.xlsx", sectors=["采矿", "其中：煤矿", "建筑", "交通运输"])
    with pytest.raises(
        ReadError,
        match=r"county\.xlsx sheet 'Sheet': 事故起数 \(accidents\) is the group header '事故起数' "
        r"over 4 sub-columns \('事故起数 / 采矿', '事故起数 / 其中：煤矿', '事故起数 / 建筑', "
        r"'事故起数 / 交通运输'\) with no total column, and they are not parts of one "
        r"whole",
    ) as err:
        read_table(f, ACCIDENT_STATS)
    assert "事故起数（accidents）是分组表头“事故起数”，下有 4 列" in err.value.zh


def test_the_preview_mapping_applied_again_sums_again(tmp_path: Path) -> None:
    """The page commits with the preview's whole mapping: the group header is in it, the parts are not."""
    f = county_stats_xlsx(tmp_path / "county.xlsx")
    auto = read_and_validate(f, "accident-stats")
    assert auto.mapping["事故起数"] == "accidents" and auto.mapping["事故起数 / 采矿"] is None
    again = read_and_validate(f, "accident-stats", mapping=auto.mapping)
    assert again.normalized.accepted["accidents"].tolist() == [12, 12, 6, 5]


# ------------------------------------------------------------------------------------ three levels


def national_form_xlsx(path: Path) -> Path:
    """The three header levels of the 隐患排查治理 form, cells merged as on the paper form."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["工矿企业隐患排查治理情况月报表"])
    ws.append(["填报单位：湖南省长沙市应急管理局    统计期间：2024年3月"])
    ws.append(["行业领域", "排查一般事故隐患", None, "排查重大事故隐患", None, None, None, None])
    ws.append([None, "项", "其中：已整改", "项", "其中：已整改销号", "列入治理计划的", None, None])
    ws.append([None, None, None, None, None, "项", "落实治理资金", '其中：达到"五到位"要求的'])
    for rng in ("A3:A5", "B3:C3", "D3:H3", "B4:B5", "C4:C5", "D4:D5", "E4:E5", "F4:H4"):
        ws.merge_cells(rng)
    ws.append(["煤矿", 340, 330, 5, 4, 1, 20, 1])
    ws.append(["工贸", 5200, 4900, 4, 1, 3, 50, 2])
    wb.save(path)
    return path


def test_three_level_headers_compose_to_unique_names(tmp_path: Path) -> None:
    raw = read_table(
        national_form_xlsx(tmp_path / "form.xlsx"),
        HAZARD_STATS,
        mapping={
            "排查一般事故隐患 / 项": "general_found",
            "排查一般事故隐患 / 其中：已整改": "general_rectified",
            "排查重大事故隐患 / 项": "major_found",
            "排查重大事故隐患 / 其中：已整改销号": "major_rectified",
            "排查重大事故隐患 / 列入治理计划的 / 项": "major_in_plan",
            '排查重大事故隐患 / 列入治理计划的 / 其中：达到"五到位"要求的': "major_five_in_place",
        },
    )
    assert raw.header_row == 5
    assert raw.file_headers == (
        "行业领域",
        "排查一般事故隐患 / 项",
        "排查一般事故隐患 / 其中：已整改",
        "排查重大事故隐患 / 项",
        "排查重大事故隐患 / 其中：已整改销号",
        "排查重大事故隐患 / 列入治理计划的 / 项",
        "排查重大事故隐患 / 列入治理计划的 / 落实治理资金",
        '排查重大事故隐患 / 列入治理计划的 / 其中：达到"五到位"要求的',
    )
    assert raw.frame["major_in_plan"].tolist() == [1, 3]
    assert raw.frame["major_five_in_place"].tolist() == [1, 2]
    assert raw.frame["major_rectified"].tolist() == [4, 1]


# ------------------------------------------------------------------------------------ the command line


def test_the_cli_says_how_each_header_was_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = write(
        tmp_path,
        "ledger.csv",
        LEDGER.format(title="福州市隐患排查治理台账").replace("岳麓区", "台江区").replace("芙蓉区", "仓山区"),
    )
    db = str(tmp_path / "t.duckdb")
    assert main(["import", "hazards", str(f), "--db", db]) == 0
    out = capsys.readouterr().out
    assert "  header 所在区县 → region (concept 区县, 0.80)\n" in out
    assert "  header 检查时间 → found_date (concept 检查+时间, 0.80)\n" in out
    assert "header 企业名称" not in out  # exact matches are not listed
    assert main(["import", "hazards", str(f), "--db", db, "--json"]) == 0
    headers = json.loads(capsys.readouterr().out)["headers"]
    assert headers[1] == {
        "header": "所在区县",
        "column": "region",
        "how": "concept",
        "score": 0.8,
        "detail": "区县",
        "why": "concept 区县",
    }


@pytest.mark.parametrize(
    ("value", "within", "code"),
    [
        ("鼓楼区", "350100", "350102"),
        ("岳麓", "430100", "430104"),
        ("湖南省长沙市岳麓区", "430100", "430104"),
        ("430104", "430100", "430104"),
        ("长沙市", "430100", "430100"),
        ("芙蓉区", "430000", "430102"),
    ],
)
def test_a_name_is_read_within_a_region(value: str, within: str, code: str) -> None:
    from domain.regions import resolve_region

    assert resolve_region(value, within) == code


@pytest.mark.parametrize(
    ("value", "within", "message"),
    [
        (
            "鼓楼区",
            "430100",
            r"'鼓楼区' is ambiguous: it could be .*福建省福州市鼓楼区 350102.*; none of them is in 湖南省长沙市 430100",
        ),
        ("350102", "430100", r"'350102' \(福建省福州市鼓楼区 350102\) is not in 湖南省长沙市 430100"),
        ("湘潭市", "430100", r"'湘潭市' \(湖南省湘潭市 430300\) is not in 湖南省长沙市 430100"),
        (
            "城区",
            "140000",
            r"'城区' is ambiguous within 山西省 140000: it could be 山西省阳泉市城区 140302、山西省晋城市城区 140502",
        ),
    ],
)
def test_a_name_outside_the_region_is_refused(value: str, within: str, message: str) -> None:
    from domain.regions import RegionError, resolve_region

    with pytest.raises(RegionError, match=message):
        resolve_region(value, within)


def test_a_city_column_beside_the_district_column_tells_the_districts_apart(tmp_path: Path) -> None:
    f = write(
        tmp_path,
        "h.csv",
        "企业名称,所在市州,所在区县,行业领域,隐患级别,发现日期\n"
        "甲公司,福州市,鼓楼区,工贸,一般,2024-03-05\n乙公司,南京市,鼓楼区,工贸,重大,2024-03-06\n"
        "丙公司,长沙市,岳麓区,工贸,一般,2024-03-07\n丁公司,长沙市,鼓楼区,工贸,一般,2024-03-08\n",
    )
    pv = read_and_validate(f, "hazards")
    assert pv.normalized.accepted["region_code"].tolist() == ["350102", "320106", "430104"]
    assert pv.normalized.rejects["row_number"].tolist() == [5]
    report = {m.header: m for m in pv.headers}
    assert report["所在区县"].how == "most specific"
    assert (
        report["所在市州"].line() == "所在市州 → not imported (not imported on its own: '所在区县' is read within "
        "the region it names)"
    )
    assert "所在市州" not in pv.mapping  # found again when the mapping is applied
    again = read_and_validate(f, "hazards", mapping=pv.mapping)
    assert again.normalized.accepted["region_code"].tolist() == ["350102", "320106", "430104"]


def test_three_level_headers_without_merge_marks_compose_too(tmp_path: Path) -> None:
    """The same form saved as CSV: group titles once, blanks to their right."""
    text = (
        "行业领域,排查一般事故隐患,,排查重大事故隐患,,,,\n"
        ",项,其中：已整改,项,其中：已整改销号,列入治理计划的,,\n"
        ',,,,,项,落实治理资金,"其中：达到""五到位""要求的"\n'
        "煤矿,340,330,5,4,1,20,1\n工贸,5200,4900,4,1,3,50,2\n"
    )
    raw = read_table(
        write(tmp_path, "form.csv", text),
        HAZARD_STATS,
        mapping={
            "排查一般事故隐患 / 项": "general_found",
            "排查一般事故隐患 / 其中：已整改": "general_rectified",
            "排查重大事故隐患 / 项": "major_found",
            "排查重大事故隐患 / 其中：已整改销号": "major_rectified",
            '排查重大事故隐患 / 列入治理计划的 / 其中：达到"五到位"要求的': "major_five_in_place",
        },
        provided={"region", "period"},
    )
    assert raw.header_row == 3
    assert raw.frame["major_five_in_place"].tolist() == ["1", "2"]
    assert "排查重大事故隐患 / 列入治理计划的 / 落实治理资金" in raw.file_headers


def test_a_group_over_grades_is_summed_and_its_grade_columns_read_too(tmp_path: Path) -> None:
    f = write(
        tmp_path,
        "grades.csv",
        "地区,统计期间,事故起数,,,死亡人数,,\n,,一般,较大,重特大,一般,较大,重特大\n"
        "岳麓区,2024,10,1,0,8,3,0\n芙蓉区,2024,5,0,1,4,0,12\n",
    )
    acc = read_and_validate(f, "accident-stats").normalized.accepted
    assert acc["accidents"].tolist() == [11, 6] and acc["deaths"].tolist() == [11, 16]
    assert acc["larger_accidents"].tolist() == [1, 0] and acc["major_deaths"].tolist() == [0, 12]


def test_a_refused_group_changes_nothing(tmp_path: Path) -> None:
    f = county_stats_xlsx(tmp_path / "county.xlsx", sectors=["采矿", "本月", "建筑"])
    db = tmp_path / "never.duckdb"
    with pytest.raises(ReadError, match=r"'事故起数 / 本月'"):
        import_file(lambda: open_store(db), f, "accident-stats")
    assert not db.exists()  # the store is opened only once the file has been read
