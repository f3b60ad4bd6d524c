"""The data-quality panel's findings and coverage on a store whose faults are known (answers.quality)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import empty_store

from answers.quality import coverage, findings
from loaders.importer import import_file
from store import Store
from store.quality_queries import finding_records

TODAY = dt.date(2024, 6, 15)
ACCIDENTS = """事故编号,发生时间,地区,行业领域,事故单位,死亡人数,受伤人数,直接经济损失（万元）,事故等级
A1,2024-05-03 10:00,长沙市岳麓区,建筑施工,甲公司,4,0,100,一般
A2,2024-05-10 09:00,长沙市芙蓉区,工贸,乙公司,1,0,20,一般
A3,2024-07-01 08:00,株洲市,工贸,丙公司,1,0,10,一般
A4,2024-05-20 08:00,衡阳市,道路运输,丁公司,12,0,10,较大
"""
HAZARDS = """隐患编号,企业名称,所在地区,行业领域,隐患级别,发现日期,整改期限,整改完成日期
H1,甲公司,长沙市岳麓区,建筑施工,一般,2024-05-02,,2024-05-04
H2,乙公司,长沙市芙蓉区,工贸,一般,2024-05-03,2024-05-10,2024-06-20
H3,丙公司,株洲市,危险化学品,重大,2024-04-03,2024-06-10,
"""


@pytest.fixture
def store(tmp_path: Path, empty_template: Path) -> Store:
    s = empty_store(empty_template, tmp_path / "q.duckdb")
    (tmp_path / "a.csv").write_text(ACCIDENTS, encoding="utf-8")
    (tmp_path / "h.csv").write_text(HAZARDS, encoding="utf-8")
    import_file(s, tmp_path / "a.csv", "accidents")
    import_file(s, tmp_path / "h.csv", "hazards")
    return s


def test_findings_count_what_is_wrong(store: Store) -> None:
    got = {f.key: f.count for f in findings(store, "430000", TODAY)}
    # A1: 4 deaths is 较大, the file says 一般; A4: 12 deaths is 重大, the file says 较大
    assert got["grade_conflict"] == 2
    assert got["no_deadline"] == 1  # H1
    assert got["future_accident"] == 1  # A3 on 1 July
    assert got["future_hazard"] == 1  # H2 rectified on 20 June
    assert got["no_boundary"] == 0
    assert got["duplicate_id"] == 0


def test_a_finding_lists_its_records_with_their_file(store: Store) -> None:
    recs = finding_records(store, "grade_conflict", "430000", TODAY)
    assert sorted(recs["accident_id"]) == ["A1", "A4"]
    assert set(recs["file_name"]) == {"a.csv"}
    assert list(finding_records(store, "no_deadline", "430000", TODAY)["hazard_id"]) == ["H1"]


def test_findings_follow_the_region(store: Store) -> None:
    got = {f.key: f.count for f in findings(store, "430100", TODAY)}  # 长沙市 only
    assert got["grade_conflict"] == 1 and got["future_accident"] == 0 and got["no_deadline"] == 1


def test_unknown_finding_is_refused(store: Store) -> None:
    with pytest.raises(ValueError, match="finding must be one of"):
        finding_records(store, "nonsense", "430000", TODAY)


def test_coverage_names_the_silent_regions_and_industries(store: Store) -> None:
    cov = coverage(store, "430000", dt.date(2024, 5, 1), dt.date(2024, 5, 31))
    # May: 长沙 (A1, A2, H1, H2) and 衡阳 (A4) reported; 株洲's hazard was found in April, its accident in July
    assert "430100" not in cov.silent_children and "430400" not in cov.silent_children
    assert "430200" in cov.silent_children
    assert cov.children_total == 14 and len(cov.silent_children) == 12
    # hazards in May: construction (H1) and industry and trade (H2) only
    assert "construction" not in cov.silent_industries and "industry_trade" not in cov.silent_industries
    assert "chemicals" in cov.silent_industries
    assert len(cov.silent_industries) == cov.industries_total - 2


def test_national_coverage_leaves_out_taiwan_hong_kong_macao(store: Store) -> None:
    cov = coverage(store, "100000", dt.date(2024, 5, 1), dt.date(2024, 5, 31))
    assert cov.children_total == 31
    assert "430000" not in cov.silent_children and "710000" not in cov.silent_children


def test_an_id_supplied_again_by_another_file_is_a_finding(store: Store, tmp_path: Path) -> None:
    (tmp_path / "a2.csv").write_text(
        ACCIDENTS.replace(
            "A2,2024-05-10 09:00,长沙市芙蓉区,工贸,乙公司,1", "A2,2024-05-10 09:00,长沙市芙蓉区,工贸,乙公司,2"
        ),
        encoding="utf-8",
    )
    (tmp_path / "a.csv").write_text(ACCIDENTS.replace("A3,2024-07-01", "A3,2024-07-02"), encoding="utf-8")
    import_file(store, tmp_path / "a2.csv", "accidents")  # another file: A2 replaced (and A1, A4 unchanged)
    import_file(store, tmp_path / "a.csv", "accidents")  # the first file, corrected: A3 (and A2 back)
    from store.quality_queries import duplicate_ids_across_files

    dup = duplicate_ids_across_files(store, "430000")
    pairs = sorted(zip(dup["row_id"], dup["first_file"], dup["replaced_by_file"], strict=True))
    # A2: a.csv → a2.csv (a duplicate) and a2.csv → a.csv (again); A3 a.csv → a.csv is a correction, not listed
    assert pairs == [("A2", "a.csv", "a2.csv"), ("A2", "a2.csv", "a.csv")]
    assert {f.key: f.count for f in findings(store, "430000", TODAY)}["duplicate_id"] == 2
    assert duplicate_ids_across_files(store, "430200").empty  # 株洲: none
