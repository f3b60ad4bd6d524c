"""Import end to end: normalised values, atomicity, idempotency, rejects, and the CLI contract."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from conftest import empty_store, run_in_process

from loaders.importer import import_file, write_rejects
from loaders.read_errors import ReadError
from store import Store, open_store

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).parent.parent
FACTS = ("accidents", "hazards", "accident_stats", "hazard_stats")


@pytest.fixture
def store(tmp_path: Path, empty_template: Path) -> Store:
    return empty_store(empty_template, tmp_path / "t.duckdb")


def snapshot(store: Store) -> dict[str, pd.DataFrame]:
    return {t: store.table(t) for t in (*FACTS, "imports", "rejects")}


def facts(store: Store) -> dict[str, pd.DataFrame]:
    return {t: store.table(t) for t in FACTS}


def test_accident_ledger_values(store: Store) -> None:
    result = import_file(store, DATA / "accidents_hunan_gbk.csv", "accidents")
    assert (result.new, result.updated, result.rejected, result.rows_read) == (8, 0, 4, 12)
    acc = store.table("accidents").set_index("accident_id")
    assert acc.loc["HN-2024-001", "region_code"] == "430104"
    assert acc.loc["HN-2024-002", "region_code"] == "430181"  # 浏阳市, a county-level city
    assert acc.loc["HN-2024-002", "direct_loss_wan"] == 1250.0  # "1,250"
    assert acc.loc["HN-2024-003", "deaths"] == 2  # full-width "２"
    assert acc.loc["HN-2024-003", "grade"] == "general"
    # 2 dead + 1 missing = 3: 较大 by Decree 493 although the file says 一般 → kept and flagged
    assert acc.loc["HN-2024-004", ["grade", "grade_reported", "grade_conflict"]].tolist() == ["larger", "general", True]
    assert acc.loc["HN-2024-005", "grade"] == "larger"  # 10 serious injuries
    assert acc.loc["HN-2024-006", "grade"] == "larger"  # exactly 1,000 万元
    assert acc.loc["HN-2024-006", "occurred_at"] == pd.Timestamp("2024-06-15")  # Excel serial 45458
    assert acc.loc["HN-2024-005", "occurred_at"] == pd.Timestamp("2024-05-06 14:30")
    assert acc.loc["HN-2024-012", ["region_level", "grade"]].tolist() == ["province", "major"]
    generated = [i for i in acc.index if i.startswith("A-")]
    assert len(generated) == 1


def test_rejects_name_row_column_value_and_expectation(store: Store, tmp_path: Path) -> None:
    result = import_file(store, DATA / "accidents_hunan_gbk.csv", "accidents")
    rejects = store.rejects(result.import_id).set_index("row_number")
    assert rejects.loc[10, "reason"].startswith(
        "row 10, column 发生时间: '2024-13-05' is not a date: no such day (expected e.g. 2024-05-06"
    )
    assert "'鼓楼区' is ambiguous" in rejects.loc[11, "reason"]
    assert "'游乐设施' is not a known industry" in rejects.loc[12, "reason"]
    assert (
        rejects.loc[13, "reason"] == "row 13, column 死亡人数（人）: '-1' is negative (expected a count of 0 or more)"
    )
    assert json.loads(rejects.loc[12, "original"])["行业领域"] == "游乐设施"
    out = tmp_path / "rejects.csv"
    assert write_rejects(store, out, result.import_id) == 4
    back = pd.read_csv(out, encoding="utf-8-sig", dtype=str)
    assert back["row_number"].tolist() == ["10", "11", "12", "13"]
    assert back.loc[1, "地区"] == "鼓楼区" and back.loc[1, "columns"] == "地区"
    assert back["reason"].str.contains("row 1[0-3], column").all()


def test_reimporting_the_same_file_changes_nothing(store: Store) -> None:
    import_file(store, DATA / "accidents_hunan_gbk.csv", "accidents")
    before = facts(store)
    again = import_file(store, DATA / "accidents_hunan_gbk.csv", "accidents")
    assert (again.new, again.updated, again.unchanged) == (0, 0, 8)
    for name, frame in facts(store).items():
        pd.testing.assert_frame_equal(frame, before[name], obj=name)


def test_same_records_from_excel_are_unchanged(store: Store) -> None:
    import_file(store, DATA / "accidents_hunan_gbk.csv", "accidents")
    xlsx = import_file(store, DATA / "accidents_hunan_titled.xlsx", "accidents")
    assert (xlsx.new, xlsx.updated, xlsx.unchanged) == (0, 0, 8)


def test_changed_row_is_an_update(store: Store, tmp_path: Path) -> None:
    import_file(store, DATA / "accidents_english_bom.csv", "accidents")
    text = (DATA / "accidents_english_bom.csv").read_text(encoding="utf-8-sig").replace("Acme Build Co.", "Acme Ltd")
    changed = tmp_path / "changed.csv"
    changed.write_text(text, encoding="utf-8")
    result = import_file(store, changed, "accidents")
    assert (result.new, result.updated, result.unchanged) == (0, 1, 2)
    assert store.table("accidents").set_index("accident_id").loc["EN-1", "enterprise"] == "Acme Ltd"


def test_failed_import_half_way_leaves_the_store_as_it_was(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    import_file(store, DATA / "accidents_english_bom.csv", "accidents")
    before = snapshot(store)

    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    # Fail after the rows were written and the import logged, before the rejects: all must roll back.
    monkeypatch.setattr(Store, "_insert_rejects", explode)
    with pytest.raises(RuntimeError, match="disk full"):
        import_file(store, DATA / "accidents_hunan_gbk.csv", "accidents")
    for name, frame in snapshot(store).items():
        pd.testing.assert_frame_equal(frame, before[name], obj=name)


def test_unreadable_file_changes_nothing(store: Store) -> None:
    import_file(store, DATA / "hazards_status_utf8.csv", "hazards")
    before = snapshot(store)
    with pytest.raises(ReadError):
        import_file(store, DATA / "accidents_missing_required.csv", "accidents")
    for name, frame in snapshot(store).items():
        pd.testing.assert_frame_equal(frame, before[name], obj=name)


def test_hazard_ledger_dates_status_and_sequences(store: Store) -> None:
    result = import_file(store, DATA / "hazards_hunan.xlsx", "hazards")
    assert (result.new, result.rejected) == (4, 3)
    hz = store.table("hazards").set_index("hazard_id")
    assert hz.loc["YH-001", ["status", "status_derived", "supervision_level", "grade"]].tolist() == [
        "closed",
        True,
        "province",
        "major",
    ]
    assert hz.loc["YH-002", "status"] == "rectified"  # rectified, not yet accepted
    assert hz.loc["YH-003", "status"] == "rectifying"  # a deadline, nothing done yet
    assert bool(hz.loc["YH-001", "measures_in_place"]) is True
    reasons = store.rejects(result.import_id).set_index("row_number")["reason"]
    assert "rectified before it was found is impossible" in reasons[7]
    assert "acceptance before rectification is impossible" in reasons[8]
    assert "'特大' is not a hazard grade (expected 一般 or 重大)" in reasons[10]


def test_hazard_status_aliases(store: Store) -> None:
    import_file(store, DATA / "hazards_status_utf8.csv", "hazards")
    hz = store.table("hazards").set_index("hazard_id")
    assert hz["status"].to_dict() == {"ZT-1": "closed", "ZT-2": "acceptance_failed", "ZT-3": "rectifying"}


def test_statistics_files(store: Store) -> None:
    yearly = import_file(store, DATA / "accident_stats_2023.xlsx", "accident-stats")
    monthly = import_file(store, DATA / "accident_stats_monthly_gb18030.csv", "accident-stats")
    assert (yearly.new, yearly.rejected, monthly.new, monthly.rejected) == (3, 1, 4, 1)
    st = store.table("accident_stats").set_index("stat_id")
    assert st.loc["AS-433100-2023-all", "accidents"] == 1050
    assert st.loc["AS-430000-2024-03-all", "major_accidents"] == 1  # 全部 = all industries
    assert st.loc["AS-430000-2024-03-road_transport", "period_kind"] == "month"


def test_monthly_report_takes_region_and_period_from_its_title(store: Store) -> None:
    result = import_file(store, DATA / "hazard_monthly_report_changsha.xlsx", "hazard-stats")
    assert (result.new, result.rejected, len(result.skipped)) == (5, 0, 2)
    hs = store.table("hazard_stats")
    assert set(hs["region_code"]) == {"430100"} and set(hs["period"]) == {"2024-03"}
    assert hs["general_found"].sum() == 9240 and hs["major_found"].sum() == 14  # = the form's 合计 row
    assert hs["funds_wan"].sum() == pytest.approx(1792.75)


def test_loss_in_yuan_is_converted(store: Store) -> None:
    import_file(store, DATA / "accidents_legacy.xls", "accidents")
    acc = store.table("accidents").sort_values("occurred_at")
    assert acc["direct_loss_wan"].tolist() == [250.0, 50.0]
    assert acc["region_code"].tolist() == ["429004", "500103"]


def run_cli(*args: str) -> subprocess.CompletedProcess:
    """``python -m loaders <args>`` through its ``main``, in this process."""
    return run_in_process("loaders", *args)


def run_process(*args: str) -> subprocess.CompletedProcess:
    """``python -m loaders <args>`` as a process of its own: its real exit code, and everything it writes to
    stderr (an interpreter's warnings or a traceback would be more than one line)."""
    return subprocess.run(
        [sys.executable, "-m", "loaders", *args], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def test_cli_import_json_rejects_and_status(tmp_path: Path) -> None:
    db = str(tmp_path / "cli.duckdb")
    first = run_cli("import", "accidents", str(DATA / "accidents_hunan_gbk.csv"), "--db", db)
    assert first.returncode == 0, first.stderr
    assert first.stdout.splitlines()[0] == "read 12 rows: 8 new, 0 updated, 0 unchanged, 4 rejected; 2 skipped"
    again = run_cli("import", "accidents", str(DATA / "accidents_hunan_gbk.csv"), "--db", db, "--json")
    payload = json.loads(again.stdout)
    assert {k: payload[k] for k in ("new", "updated", "unchanged", "rejected")} == {
        "new": 0,
        "updated": 0,
        "unchanged": 8,
        "rejected": 4,
    }
    assert sum(g["count"] for g in payload["rejects"]) >= 4 and all(len(g["examples"]) <= 3 for g in payload["rejects"])
    text = run_cli("import", "accidents", str(DATA / "accidents_hunan_gbk.csv"), "--db", db)
    assert text.stdout.splitlines()[0] == "read 12 rows: 0 new, 0 updated, 8 unchanged, 4 rejected; 2 skipped"
    assert payload["import_id"]
    out = tmp_path / "r.csv"
    rej = run_cli("rejects", "--import-id", payload["import_id"], "--out", str(out), "--db", db)
    assert rej.returncode == 0 and "wrote 4 rejected rows" in rej.stdout
    status = json.loads(run_cli("status", "--json", "--db", db).stdout)
    assert status["accidents"]["rows"] == 8
    assert len(status["last_imports"]) == 3
    assert run_cli("rejects", "--import-id", "nope", "--out", str(out), "--db", db).returncode == 2


@pytest.mark.parametrize(
    ("name", "needle", "process"),
    [
        ("accidents_missing_required.csv", "required column missing: 行业领域", True),
        ("renamed_pdf.xlsx", "is a PDF renamed", False),
        ("empty.csv", "is empty", False),
    ],
    ids=[
        "accidents_missing_required.csv-required column missing: 行业领域",
        "renamed_pdf.xlsx-is a PDF renamed",
        "empty.csv-is empty",
    ],
)
def test_cli_exit_2_with_one_line_and_no_change(tmp_path: Path, name: str, needle: str, process: bool) -> None:
    """The first case runs the command as a process of its own (its real exit code, nothing else on stderr,
    its reading process started from ``python -m loaders``); the others, like the rest of this module's CLI
    tests, call its ``main`` in this process."""
    db = tmp_path / "cli.duckdb"
    done = (run_process if process else run_cli)("import", "accidents", str(DATA / name), "--db", str(db))
    assert done.returncode == 2
    assert needle in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert not db.exists()  # a file that cannot be read does not even create the store


def test_cli_region_and_period_options(tmp_path: Path) -> None:
    f = tmp_path / "report.csv"
    f.write_text(
        "行业领域,一般隐患排查数,一般隐患已整改数,重大隐患排查数,重大隐患已整改数\n工贸,10,9,1,1\n", encoding="utf-8"
    )
    db = str(tmp_path / "o.duckdb")
    missing = run_cli("import", "hazard-stats", str(f), "--db", db)
    assert missing.returncode == 2 and "填报单位" in missing.stderr
    ok = run_cli("import", "hazard-stats", str(f), "--db", db, "--region", "株洲市", "--period", "2024年5月", "--json")
    assert ok.returncode == 0, ok.stderr
    assert Store(db).table("hazard_stats")["stat_id"].tolist() == ["HS-430200-2024-05-industry_trade"]


def test_store_contract_refuses_a_bad_frame_before_writing(store: Store) -> None:
    from loaders.importer import validate_file

    _, result = validate_file(DATA / "accidents_english_bom.csv", "accidents")
    frame = result.accepted.assign(import_id="x")
    frame.loc[0, "industry"] = "mining"  # not a canonical code: a bug upstream, not a user's typo
    with pytest.raises(ValueError, match=r"accidents frame breaks the store contract: industry: isin\(.*'mining'"):
        store.apply_import("accidents", frame, {}, pd.DataFrame())
    assert store.table("accidents").empty


def write(tmp_path: Path, name: str, text: str) -> Path:
    f = tmp_path / name
    f.write_text(text, encoding="utf-8")
    return f


@pytest.mark.parametrize(
    ("header", "cell", "loss_wan", "grade"),
    [
        ("直接经济损失", "5000元", 0.5, "general"),  # was stored as 5,000 万元 and graded 重大
        ("直接经济损失", "1.2亿", 12000.0, "extraordinary"),  # was rejected
        ("直接经济损失", "3千元", 0.3, "general"),
        ("直接经济损失", "1000万", 1000.0, "larger"),
        ("直接经济损失（元）", "5000", 0.5, "general"),  # the header's unit, once
        ("直接经济损失（元）", "5000元", 0.5, "general"),  # the cell's unit, not converted twice
        ("直接经济损失（元）", "1000万元", 1000.0, "larger"),  # the cell's unit overrides the header's
    ],
)
def test_amount_unit_in_the_cell(
    store: Store, tmp_path: Path, header: str, cell: str, loss_wan: float, grade: str
) -> None:
    f = write(
        tmp_path, "loss.csv", f"发生时间,地区,行业领域,死亡人数,{header}\n2024-05-06,长沙市岳麓区,工贸,0,{cell}\n"
    )
    result = import_file(store, f, "accidents")
    assert (result.new, result.rejected) == (1, 0)
    acc = store.table("accidents")
    assert acc.loc[0, "direct_loss_wan"] == pytest.approx(loss_wan)
    assert acc.loc[0, "grade"] == grade


HAZARD_REPORT = (
    "工矿企业隐患排查治理情况月报表\n"
    "行业领域,排查企业数,一般隐患排查数,一般隐患已整改数,重大隐患排查数,重大隐患已整改数,治理资金\n"
    "煤矿,5,10,9,1,1,2.5\n"
    "冶金,3,20,18,1,0,1.5\n"
    "有色,2,30,30,0,0,\n"
    "建材,,5,4,2,2,3\n"
)


def test_monthly_report_sub_sectors_are_summed(store: Store, tmp_path: Path) -> None:
    f = write(tmp_path, "report.csv", HAZARD_REPORT)
    defaults = {"region": "长沙市", "period": "2024-03"}
    result = import_file(store, f, "hazard-stats", defaults=defaults)
    assert (result.new, result.rejected, result.rows_read) == (2, 0, 4)
    assert any(
        n.startswith(
            "rows 4, 5 and 6 (冶金, 有色, 建材) are the same 行业领域 'industry_trade' "
            "for 2024-03 430100: summed into one record (row 4"
        )
        for n in result.notes
    ), result.notes
    hs = store.table("hazard_stats").set_index("stat_id")
    trade = hs.loc["HS-430100-2024-03-industry_trade"]
    assert trade[["units", "general_found", "general_rectified", "major_found", "major_rectified"]].tolist() == [
        5,
        55,
        52,
        3,
        2,
    ]
    assert trade["funds_wan"] == pytest.approx(4.5)
    assert hs.loc["HS-430100-2024-03-coal_mine", "general_found"] == 10
    before = facts(store)
    again = import_file(store, f, "hazard-stats", defaults=defaults)
    assert (again.new, again.updated, again.unchanged, again.rejected) == (0, 0, 2, 0)
    for name, frame in facts(store).items():
        pd.testing.assert_frame_equal(frame, before[name], obj=name)


def test_accident_stats_sub_sectors_are_summed_but_a_repeated_row_is_a_duplicate(store: Store, tmp_path: Path) -> None:
    f = write(
        tmp_path,
        "stats.csv",
        "统计期间,地区,行业领域,事故起数,死亡人数,较大事故起数,较大事故死亡人数,重特大事故起数,重特大事故死亡人数\n"
        "2024-03,湖南省,冶金,3,2,0,0,0,0\n"
        "2024-03,湖南省,建材,4,3,1,3,0,0\n"
        "2024-03,湖南省,冶金,3,2,0,0,0,0\n",
    )
    result = import_file(store, f, "accident-stats")
    assert (result.new, result.rejected) == (1, 1)
    st = store.table("accident_stats").set_index("stat_id")
    assert st.loc["AS-430000-2024-03-industry_trade", ["accidents", "deaths", "larger_deaths"]].tolist() == [7, 5, 3]
    assert any(n.startswith("rows 2 and 3 (冶金, 建材) are the same") for n in result.notes), result.notes
    reason = store.rejects(result.import_id)["reason"].tolist()
    assert reason == [
        "row 4, column 统计期间/地区/行业 (period/region/industry): the same period, region and "
        "industry as row 2 of this file ('AS-430000-2024-03-industry_trade'); only the first is kept"
    ]


@pytest.mark.parametrize(
    ("kind", "option", "message"),
    [
        ("hazard-stats", ["--region", "鼓楼区", "--period", "2024-03"], r"^error: --region: '鼓楼区' is ambiguous"),
        ("hazard-stats", ["--region", "火星市", "--period", "2024-03"], r"^error: --region: '火星市'"),
        (
            "hazard-stats",
            ["--region", "长沙市", "--period", "2024-13"],
            r"^error: --period: '2024-13' is not a period \(expected a year",
        ),
        ("targets", ["--region", "长沙市", "--period", "2024-03"], r"^error: --period: '2024-03' is not a year"),
    ],
)
def test_cli_bad_region_or_period_exits_2(tmp_path: Path, kind: str, option: list[str], message: str) -> None:
    f = write(tmp_path, "report.csv", HAZARD_REPORT)
    db = tmp_path / "o.duckdb"
    done = run_cli("import", kind, str(f), "--db", str(db), *option)
    assert done.returncode == 2, done.stdout
    assert len(done.stderr.strip().splitlines()) == 1
    assert re.match(message, done.stderr.strip()), done.stderr
    assert not db.exists()


HAZARD_LEDGER = (
    "隐患编号,企业名称,地区,行业,隐患级别,发现日期,整改期限,整改完成日期,验收日期,整改状态\n"
    "Q-1,甲,长沙市,工贸,重大,2024-03-02,2024-03-20,,,已整改\n"
    "Q-2,乙,长沙市,工贸,重大,2024-03-02,2024-03-20,,,已销号\n"
    "Q-3,丙,长沙市,工贸,一般,2024-03-02,2024-03-20,2024-03-10,,未整改\n"
    "Q-4,丁,长沙市,工贸,一般,2024-03-02,2024-03-20,2024-03-10,2024-03-12,已验收\n"
    "Q-5,戊,长沙市,工贸,一般,2024-03-02,2024-03-20,2024-03-10,,整改中\n"
    "Q-6,己,长沙市,工贸,重大,2024-03-02,2024-03-20,2024-03-10,,验收不通过\n"
    "Q-7,庚,长沙市,工贸,一般,2024-03-02,2024-03-20,,,未整改\n"
)


def test_status_contradicting_dates_is_a_note_and_counts_as_written(store: Store, tmp_path: Path) -> None:
    import datetime as dt

    from answers.rectification import summary as hazard_summary
    from store.risk_queries import hazard_factors_by_child

    result = import_file(store, write(tmp_path, "h.csv", HAZARD_LEDGER), "hazards")
    assert (result.new, result.rejected) == (7, 0)
    assert (
        "data quality: rows 4 and 6: 整改状态 says not rectified (未整改/整改中) but 整改完成日期 is given; "
        "kept with the status as written" in result.notes
    )
    assert (
        "data quality: row 3: 整改状态 says closed (已验收/已销号) but 验收日期 is empty; "
        "kept with the status as written" in result.notes
    )
    hz = store.table("hazards").set_index("hazard_id")["status"]
    assert hz[["Q-1", "Q-2", "Q-3"]].tolist() == ["rectified", "closed", "found"]
    s = hazard_summary(store, "430100", dt.date(2024, 3, 1), dt.date(2024, 3, 31))
    # done: Q-1, Q-2 (status, no date), Q-3, Q-4, Q-5 (dated); not done: Q-6 (failed), Q-7
    assert (s["found"], s["rectified"], s["major_found"], s["major_rectified"], s["open_major"]) == (7, 5, 3, 2, 1)
    by_child = hazard_factors_by_child(store, "430000", dt.date(2024, 3, 1), dt.date(2024, 3, 31))
    assert by_child.set_index("code").loc["430100", ["found", "rectified", "open_major"]].tolist() == [7, 5, 1]


ACCIDENTS_NO_ID = (
    "发生时间,地区,行业领域,事故单位,死亡人数,事故简况\n"
    "2024-05-06 10:00,长沙市岳麓区,工贸,甲公司,2,坍塌\n"
    "2024-05-07 10:00,长沙市岳麓区,建筑施工,乙公司,1,高处坠落\n"
    "2024-05-08 10:00,长沙市岳麓区,工贸,丙公司,0,机械伤害\n"
    "2024-05-08 10:00,长沙市岳麓区,工贸,丙公司,0,机械伤害\n"
)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (",甲公司,2,坍塌", ",甲公司,3,坍塌"),  # deaths 2 → 3
        (",甲公司,2,坍塌", ",甲公司,2,脚手架坍塌"),  # the summary corrected
    ],
)
def test_corrected_generated_id_row_is_an_update(store: Store, tmp_path: Path, old: str, new: str) -> None:
    first = import_file(store, write(tmp_path, "a.csv", ACCIDENTS_NO_ID), "accidents")
    assert (first.new, first.rejected) == (4, 0)
    assert "rows 4 and 5 are identical: both kept (ids with -2, -3 … suffixes)" in first.notes
    ids = sorted(store.table("accidents")["accident_id"])
    assert sum(i.endswith("-2") for i in ids) == 1
    fixed = import_file(store, write(tmp_path, "b.csv", ACCIDENTS_NO_ID.replace(old, new)), "accidents")
    assert (fixed.new, fixed.updated, fixed.unchanged) == (0, 1, 3)
    acc = store.table("accidents")
    assert len(acc) == 4 and sorted(acc["accident_id"]) == ids


def test_same_key_different_counts_are_both_kept_and_named(store: Store, tmp_path: Path) -> None:
    text = ACCIDENTS_NO_ID.replace("工贸,丙公司,0,机械伤害\n", "工贸,丙公司,1,机械伤害\n", 1)
    result = import_file(store, write(tmp_path, "a.csv", text), "accidents")
    assert (result.new, result.rejected) == (4, 0)
    assert (
        "rows 4 and 5 have the same 发生时间, 地区, 行业领域, 事故单位: both kept as separate records "
        "(ids with -2, -3 … suffixes)" in result.notes
    )


@pytest.mark.parametrize("stray_row", [3, 40])
def test_stray_cell_is_a_note_and_the_row_is_imported(store: Store, tmp_path: Path, stray_row: int) -> None:
    lines = ["发生时间,地区,行业领域,事故单位,死亡人数"]
    lines += [
        f"2024-05-{i % 28 + 1:02d},长沙市岳麓区,工贸,公司{i},0" + (",,核实中" if i + 2 == stray_row else "")
        for i in range(45)
    ]
    result = import_file(store, write(tmp_path, "s.csv", "\n".join(lines) + "\n"), "accidents")
    assert (result.new, result.rejected) == (45, 0)
    assert (
        "cells right of the header's last column (no header), not imported; the rows are kept: "
        f"row {stray_row} (column 7: '核实中')"
    ) in result.notes


def test_cli_stray_cell_far_below_exits_0(tmp_path: Path) -> None:
    lines = ["发生时间,地区,行业领域,事故单位,死亡人数"]
    lines += [f"2024-05-{i % 28 + 1:02d},长沙市岳麓区,工贸,公司{i},0" + (",x" if i == 40 else "") for i in range(45)]
    f = write(tmp_path, "s.csv", "\n".join(lines) + "\n")
    done = run_cli("import", "accidents", str(f), "--db", str(tmp_path / "s.duckdb"))
    assert done.returncode == 0, done.stderr
    assert (
        "note: cells right of the header's last column (no header), not imported; the rows are kept: "
        "row 42 (column 6: 'x')" in done.stdout
    )


@pytest.mark.parametrize("command", [["status"], ["status", "--json"], ["rejects", "--out", "r.csv"]])
def test_cli_status_and_rejects_refuse_a_missing_store(tmp_path: Path, command: list[str]) -> None:
    db = tmp_path / "typo.duckdb"
    done = run_cli(*command, "--db", str(db))
    assert done.returncode == 2
    assert done.stderr.strip() == f"error: store {db} does not exist (check --db; `import` or `demo` creates a store)"
    assert not db.exists()


def test_a_store_locked_by_another_process_says_so(tmp_path: Path) -> None:
    """A reader facing a long import gets StoreBusy (the app shows a calm message), not a traceback."""
    import textwrap

    from store import StoreBusy

    db = tmp_path / "locked.duckdb"
    open_store(db)
    # The holder opens the store as an import does: it asks this process (which has just used the
    # store, so holds it) to let go, gets the lock and keeps a transaction open.
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
        import sys, time
        sys.path.insert(0, {str(ROOT)!r})
        from store import Store
        with Store({str(db)!r}).connect() as con:
            con.execute("BEGIN TRANSACTION"); print("locked", flush=True); time.sleep(20)
    """),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(StoreBusy, match="locked by another process"), Store(db).connect(timeout_s=1):
            pass
    finally:
        holder.kill()
