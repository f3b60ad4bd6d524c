"""The upload page's back end: preview with a column mapping, saved mappings, limits and bad files.

The page commits with :func:`loaders.importer.import_file`, the CLI's own import; these tests check
that what the preview shows is what the import writes."""

import json
from pathlib import Path

import pandas as pd
import pytest
from conftest import empty_store, run_in_process
from storecheck import assert_same, everything, write

from loaders.importer import MappingError, Preview, check_upload, import_file, list_sheets, preview_file, validate_file
from loaders.read_errors import ReadError
from store import Store, open_store

DATA = Path(__file__).parent / "data"


@pytest.fixture
def store(tmp_path: Path, empty_template: Path) -> Store:
    return empty_store(empty_template, tmp_path / "t.duckdb")


# ------------------------------------------------------------------------------------ preview and mapping

# A ledger from a county that titles the deaths column 遇难人数 and the loss 损失金额（元）: no alias knows them.
UNKNOWN_HEADERS = (
    "事故编号,发生时间,地区,行业领域,事故单位,遇难人数,损失金额（元）,备注\n"
    "M-1,2024-05-06 10:00,长沙市岳麓区,工贸,甲公司,2,50000,\n"
    "M-2,2024-05-07,长沙市天心区,建筑施工,乙公司,0,1200000,核实中\n"
    "M-3,2024-05-08,长沙市,道路运输,丙公司,3,,\n"
)
# The next month's file from the same county: same headers, written a little differently.
UNKNOWN_HEADERS_JUNE = (
    "事故编号,发生时间,地区,行业领域,事故单位,遇难 人数,损失金额(元)\n"
    "M-4,2024-06-01,长沙市岳麓区,工贸,丁公司,1,2000\n"
    "M-5,2024-06-02,株洲市,危化,戊公司,4,\n"
)
COUNTY_MAPPING = {"遇难人数": "deaths", "损失金额（元）": "direct_loss_wan", "备注": None}


def test_automatic_proposal_for_chinese_headers() -> None:
    p = preview_file(DATA / "accidents_hunan_gbk.csv", "accidents")
    assert isinstance(p, Preview)
    assert (p.sheet, p.sheets, p.header_row) == (None, (), 3)  # two title rows above the header
    assert p.file_headers == (
        "序号",
        "事故编号",
        "发生时间",
        "地区",
        "行业领域",
        "事故单位",
        "死亡人数（人）",
        "失踪人数",
        "重伤人数（含急性工业中毒）",
        "直接经济损失（万元）",
        "事故类型",
        "事故等级",
        "事故简况",
    )
    assert p.mapping == {
        "序号": None,
        "事故编号": "accident_id",
        "发生时间": "occurred_at",
        "地区": "region",
        "行业领域": "industry",
        "事故单位": "enterprise",
        "死亡人数（人）": "deaths",
        "失踪人数": "missing",
        "重伤人数（含急性工业中毒）": "serious_injuries",
        "直接经济损失（万元）": "direct_loss_wan",
        "事故类型": "accident_type",
        "事故等级": "grade_reported",
        "事故简况": "summary",
    }
    assert (len(p.normalized.accepted), len(p.normalized.rejects)) == (8, 4)
    # the rejects keep the original values under the file's own headers
    assert set(p.normalized.rejects.columns) >= {"row_number", "columns", "reason", "original"}


def test_automatic_proposal_for_english_headers() -> None:
    p = preview_file(DATA / "accidents_english_bom.csv", "accidents")
    assert p.header_row == 1
    assert p.mapping == {
        "id": "accident_id",
        "occurred at": "occurred_at",
        "region": "region",
        "industry": "industry",
        "enterprise": "enterprise",
        "deaths": "deaths",
        "serious injuries": "serious_injuries",
        "direct loss (10k CNY)": "direct_loss_wan",
        "accident type": "accident_type",
    }


def test_workbook_sheets_and_two_level_headers() -> None:
    assert list_sheets(DATA / "accidents_hunan_titled.xlsx") == ["填表说明", "事故台账", "2023年"]
    assert list_sheets(DATA / "accidents_hunan_gbk.csv") == [] and list_sheets(DATA / "accidents.parquet") == []
    p = preview_file(DATA / "accidents_hunan_titled.xlsx", "accidents")
    assert (p.sheet, p.sheets, p.header_row) == ("事故台账", ("填表说明", "事故台账", "2023年"), 4)
    assert preview_file(DATA / "accidents_hunan_titled.xlsx", "accidents", sheet="2023年").sheet == "2023年"
    report = preview_file(DATA / "hazard_monthly_report_changsha.xlsx", "hazard-stats")
    assert report.mapping["一般隐患 / 排查数（项）"] == "general_found"
    assert report.mapping["重大隐患 / 排查数（项）"] == "major_found"


def test_unknown_header_without_a_mapping_is_a_missing_required_column(tmp_path: Path) -> None:
    f = write(tmp_path, "county.csv", UNKNOWN_HEADERS)
    with pytest.raises(ReadError, match=r"required column missing: 死亡人数 \(deaths") as err:
        preview_file(f, "accidents")
    assert "缺少必填列：死亡人数" in err.value.zh
    p = preview_file(f, "accidents", mapping={"遇难人数": "deaths"})
    assert p.mapping["遇难人数"] == "deaths" and p.mapping["损失金额（元）"] is None


def test_mapping_an_unknown_header_imports_the_right_numbers(store: Store, tmp_path: Path) -> None:
    f = write(tmp_path, "county.csv", UNKNOWN_HEADERS)
    p = preview_file(f, "accidents", mapping=COUNTY_MAPPING)
    assert p.mapping == {
        "事故编号": "accident_id",
        "发生时间": "occurred_at",
        "地区": "region",
        "行业领域": "industry",
        "事故单位": "enterprise",
        "遇难人数": "deaths",
        "损失金额（元）": "direct_loss_wan",
        "备注": None,
    }
    assert p.raw.units["direct_loss_wan"] == "元"  # the mapped header's unit is read
    result = import_file(store, f, "accidents", mapping=COUNTY_MAPPING)
    assert (result.new, result.rejected) == (3, 0)
    acc = store.table("accidents").set_index("accident_id")
    assert acc["deaths"].to_dict() == {"M-1": 2, "M-2": 0, "M-3": 3}
    assert acc.loc["M-1", "direct_loss_wan"] == pytest.approx(5.0)  # 50,000 元 = 5 万元
    assert acc.loc["M-2", "direct_loss_wan"] == pytest.approx(120.0)
    assert acc.loc["M-3", "grade"] == "larger"  # 3 deaths: 较大
    # what the preview accepted is what was written
    assert p.normalized.accepted.set_index("accident_id")["row_hash"].to_dict() == acc["row_hash"].to_dict()


def test_the_mapping_overrides_an_automatic_match(tmp_path: Path) -> None:
    """Two candidate columns: the person picks the other one, and the automatic one is not imported."""
    f = write(tmp_path, "two.csv", "发生时间,地区,行业领域,死亡人数,核实死亡人数\n2024-05-06,长沙市,工贸,1,2\n")
    auto = preview_file(f, "accidents")
    assert auto.mapping == {
        "发生时间": "occurred_at",
        "地区": "region",
        "行业领域": "industry",
        "死亡人数": "deaths",
        "核实死亡人数": None,
    }
    chosen = preview_file(f, "accidents", mapping={"核实死亡人数": "deaths"})
    assert chosen.mapping["核实死亡人数"] == "deaths" and chosen.mapping["死亡人数"] is None
    assert chosen.normalized.accepted["deaths"].tolist() == [2]
    assert "死亡人数" in chosen.raw.ignored_headers


def test_the_full_proposal_as_a_mapping_reads_the_same(tmp_path: Path) -> None:
    """The page commits with the preview's whole mapping: it must read what the preview showed, also
    for a header written twice (the first one is read, as without a mapping)."""
    for f in (
        DATA / "accidents_hunan_gbk.csv",
        DATA / "hazard_monthly_report_changsha.xlsx",
        write(tmp_path, "twice.csv", "发生时间,地区,行业领域,死亡人数,死亡人数\n2024-05-06,长沙市,工贸,1,7\n"),
    ):
        kind = "hazard-stats" if "hazard" in f.name else "accidents"
        auto = preview_file(f, kind)
        full = preview_file(f, kind, mapping=auto.mapping)
        assert full.mapping == auto.mapping and full.raw.units == auto.raw.units
        pd.testing.assert_frame_equal(full.normalized.accepted, auto.normalized.accepted)
    assert full.normalized.accepted["deaths"].tolist() == [1]


def test_a_saved_mapping_reapplied_to_the_next_file(store: Store, tmp_path: Path) -> None:
    may = write(tmp_path, "may.csv", UNKNOWN_HEADERS)
    june = write(tmp_path, "june.csv", UNKNOWN_HEADERS_JUNE, encoding="gb18030")
    first = preview_file(may, "accidents", mapping=COUNTY_MAPPING)
    store.save_mapping("岳麓区台账", "accidents", first.mapping)
    saved = store.mappings("accidents")["岳麓区台账"]
    assert saved == first.mapping
    # header texts match with spaces and full-/half-width brackets ignored: '遇难 人数', '损失金额(元)'
    second = import_file(store, june, "accidents", mapping=saved)
    assert (second.new, second.rejected) == (2, 0)
    again = preview_file(june, "accidents", mapping=COUNTY_MAPPING)
    assert again.mapping["遇难 人数"] == "deaths" and again.mapping["损失金额(元)"] == "direct_loss_wan"
    acc = store.table("accidents").set_index("accident_id")
    assert acc.loc[["M-4", "M-5"], "deaths"].tolist() == [1, 4]
    assert acc.loc["M-4", "direct_loss_wan"] == pytest.approx(0.2)


def test_the_same_mapping_gives_the_same_result_on_an_identical_file(store: Store, tmp_path: Path) -> None:
    a = write(tmp_path, "a.csv", UNKNOWN_HEADERS)
    b = write(tmp_path, "b.csv", UNKNOWN_HEADERS.replace(",", "\t"))  # the same table, tab-separated
    import_file(store, a, "accidents", mapping=COUNTY_MAPPING)
    before = store.table("accidents")
    store.save_mapping("county", "accidents", COUNTY_MAPPING)
    again = import_file(store, b, "accidents", mapping=store.mappings("accidents")["county"])
    assert (again.new, again.updated, again.unchanged) == (0, 0, 3)
    pd.testing.assert_frame_equal(store.table("accidents"), before)


@pytest.mark.parametrize(
    ("mapping", "message", "zh"),
    [
        (
            {"遇难人数": "death"},
            r"column mapping: '遇难人数' → 'death': not a column of accidents \(expected one of "
            r"accident_id, occurred_at",
            "列映射：“遇难人数”→“death” 不是事故台账的列",
        ),
        (
            {"遇难人数": "deaths", "事故单位": "deaths"},
            r"county.csv: column mapping: '事故单位' and '遇难人数' are mapped to the same column deaths \(死亡人数\)",
            "“事故单位”、“遇难人数”都映射到了 死亡人数",
        ),
        ({"遇难人数": "deaths", "地区": None}, r"required column missing: 地区 \(region;", "缺少必填列：地区"),
    ],
)
def test_bad_mappings_say_why(tmp_path: Path, mapping: dict, message: str, zh: str) -> None:
    f = write(tmp_path, "county.csv", UNKNOWN_HEADERS)
    with pytest.raises(ReadError, match=message) as err:
        preview_file(f, "accidents", mapping=mapping)
    assert zh in err.value.zh
    with pytest.raises(ReadError, match=message):
        validate_file(f, "accidents", mapping=mapping)


def test_a_bad_mapping_is_a_mapping_error_also_for_a_workbook(tmp_path: Path) -> None:
    with pytest.raises(MappingError, match="not a column of accidents"):
        preview_file(DATA / "accidents_hunan_titled.xlsx", "accidents", mapping={"发生时间": "when"})
    # two headers on one column: refused on the sheet that has them, not passed over for another sheet
    with pytest.raises(MappingError, match=r"sheet '事故台账': column mapping: '事故单位' and '事故简况' are mapped"):
        preview_file(
            DATA / "accidents_hunan_titled.xlsx", "accidents", mapping={"事故单位": "summary", "事故简况": "summary"}
        )


def test_a_mapping_for_headers_the_file_does_not_have_is_harmless() -> None:
    p = preview_file(DATA / "accidents_english_bom.csv", "accidents", mapping={"遇难人数": "deaths"})
    assert p.mapping["deaths"] == "deaths"  # the file's own deaths column is still matched


def test_a_mapping_finds_a_header_that_no_alias_knows(store: Store, tmp_path: Path) -> None:
    f = write(tmp_path, "export.csv", "Exported 2024-06-30\nwhen,where,trade,killed\n2024-05-06,430104,工贸,1\n")
    with pytest.raises(ReadError, match="no header row found") as err:
        preview_file(f, "accidents")
    assert "找不到表头行" in err.value.zh
    mapping = {"when": "occurred_at", "where": "region", "trade": "industry", "killed": "deaths"}
    p = preview_file(f, "accidents", mapping=mapping)
    assert p.header_row == 2 and p.file_headers == ("when", "where", "trade", "killed")
    result = import_file(store, f, "accidents", mapping=mapping)
    assert (result.new, result.rejected) == (1, 0)
    assert store.table("accidents")[["region_code", "deaths"]].values.tolist() == [["430104", 1]]


def test_saved_mappings_are_kept_per_kind_replaced_by_name_and_deleted(store: Store) -> None:
    assert store.mappings("accidents") == {}
    store.save_mapping("县台账", "accidents", {"遇难人数": "deaths", "备注": None})
    store.save_mapping("县台账", "hazards", {"隐患地点": "address"})
    store.save_mapping("A", "accidents", {"亡人数": "deaths"})
    assert store.mappings("accidents") == {"A": {"亡人数": "deaths"}, "县台账": {"遇难人数": "deaths", "备注": None}}
    assert list(store.mappings("accidents")["县台账"]) == ["遇难人数", "备注"]  # header order kept
    store.save_mapping("县台账", "accidents", {"亡人数": "deaths"})  # same name: replaced
    assert store.mappings("accidents")["县台账"] == {"亡人数": "deaths"}
    store.delete_mapping("县台账", "accidents")
    assert list(store.mappings("accidents")) == ["A"]
    assert store.mappings("hazards") == {"县台账": {"隐患地点": "address"}}
    store.delete_mapping("nothing", "accidents")  # no such mapping: nothing happens
    with pytest.raises(ValueError, match="needs a name"):
        store.save_mapping("  ", "accidents", {})
    with pytest.raises(ValueError, match="unknown kind 'ledger'"):
        store.save_mapping("x", "ledger", {})


# ------------------------------------------------------------------------------------ limits and bad files


def upload(store: Store, path: Path, kind: str) -> None:
    """What the upload page does with a file: check it, preview it, commit it."""
    check_upload(path.name, path.stat().st_size)
    preview_file(path, kind)
    import_file(store, path, kind)


def xlsx_without_header(tmp_path: Path) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["2024年事故情况"])
    ws.append(["张三", "李四", 3])
    ws.append(["王五", "赵六", 5])
    f = tmp_path / "no_header.xlsx"
    wb.save(f)
    return f


@pytest.mark.parametrize(
    ("name", "message", "zh"),
    [
        ("renamed_pdf.xlsx", r"^renamed_pdf.xlsx is a PDF renamed to .xlsx, not a spreadsheet$", "不是电子表格"),
        ("empty.csv", r"^empty.csv is empty$", "empty.csv 是空文件"),
        (
            "no_header.xlsx",
            r"^no_header.xlsx sheet 'Sheet': no header row found in the first 30 rows \(expected a row "
            r"with columns such as 发生时间, 地区, 行业领域, 死亡人数\)$",
            "找不到表头行",
        ),
        (
            "accidents_missing_required.csv",
            r"^accidents_missing_required.csv: required column missing: 行业领域 "
            r"\(industry; .*; 死亡人数 \(deaths;",
            "缺少必填列：行业领域",
        ),
        ("big.csv", r"^big.csv is 1\.[0-4] KB; the limit is 0.001 MB \(SAFETY_UPLOAD_MAX_MB\)$", "超过上限 0.001 MB"),
        (
            "report.pdf",
            r"^report.pdf: unsupported file type '.pdf' \(expected .csv, .xlsx, .xls or .parquet\)$",
            "不支持的文件类型",
        ),
    ],
)
def test_a_bad_upload_says_why_and_changes_nothing(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, message: str, zh: str
) -> None:
    import_file(store, DATA / "accidents_hunan_gbk.csv", "accidents")
    store.save_mapping("county", "accidents", COUNTY_MAPPING)
    before = everything(store)
    if name == "no_header.xlsx":
        path = xlsx_without_header(tmp_path)
    elif name == "big.csv":
        monkeypatch.setenv("SAFETY_UPLOAD_MAX_MB", "0.001")  # 1,048 bytes
        rows = UNKNOWN_HEADERS.split("\n", 1)[1]
        path = write(tmp_path, name, UNKNOWN_HEADERS + rows * 4)  # a readable file, just over the limit
        assert 1048 < path.stat().st_size < 1.5 * 1024
    elif name == "report.pdf":
        path = tmp_path / name
        path.write_bytes(b"%PDF-1.4\n%%EOF\n")
    else:
        path = DATA / name
    with pytest.raises(ReadError, match=message) as err:
        upload(store, path, "accidents")
    assert zh in err.value.zh and len(str(err.value).splitlines()) == 1
    assert_same(everything(store), before)
    if name != "big.csv":  # the limit is the page's; every other refusal is also the import's own
        with pytest.raises(ReadError, match=message):
            import_file(store, path, "accidents")
        assert_same(everything(store), before)


def test_the_upload_limit_message_and_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    import loaders.importer as importer

    monkeypatch.delenv("SAFETY_UPLOAD_MAX_MB", raising=False)
    assert importer.max_upload_mb() == 200
    check_upload("ledger.xlsx", 200 * 2**20)  # exactly the limit is allowed
    with pytest.raises(
        ReadError, match=r"^ledger.xlsx is 250.3 MB; the limit is 200 MB \(SAFETY_UPLOAD_MAX_MB\)$"
    ) as err:
        check_upload("ledger.xlsx", int(250.3 * 2**20))
    assert err.value.zh == "ledger.xlsx 大小为 250.3 MB，超过上限 200 MB（SAFETY_UPLOAD_MAX_MB）"
    monkeypatch.setenv("SAFETY_UPLOAD_MAX_MB", "300")
    assert importer.max_upload_mb() == 300
    check_upload("ledger.xlsx", int(250.3 * 2**20))
    with pytest.raises(ReadError, match=r"^ledger.XLS is 300.5 MB; the limit is 300 MB"):
        check_upload("ledger.XLS", int(300.5 * 2**20))
    with pytest.raises(ReadError, match=r"^notes: unsupported file type '\(none\)'"):
        check_upload("notes", 10)
    with pytest.raises(ReadError, match=r"^a.csv is empty$"):
        check_upload("a.csv", 0)
    monkeypatch.setenv("SAFETY_UPLOAD_MAX_MB", "lots")
    with pytest.raises(ValueError, match=r"SAFETY_UPLOAD_MAX_MB='lots' is not a size in MB"):
        check_upload("a.csv", 10)


def test_list_sheets_of_a_bad_workbook() -> None:
    with pytest.raises(ReadError, match="is a PDF renamed"):
        list_sheets(DATA / "renamed_pdf.xlsx")
    with pytest.raises(ReadError, match="unsupported file type '.docx'"):
        list_sheets(DATA / "notes.docx")


# ------------------------------------------------------------------------------------ the CLI's --mapping


def test_cli_import_with_a_saved_mapping(tmp_path: Path) -> None:
    import subprocess

    f = write(tmp_path, "county.csv", UNKNOWN_HEADERS)
    db = tmp_path / "m.duckdb"

    def cli(*args: str) -> subprocess.CompletedProcess:
        return run_in_process("loaders", *args)

    none_yet = cli("import", "accidents", str(f), "--db", str(db), "--mapping", "county")
    assert none_yet.returncode == 2 and not db.exists()
    assert none_yet.stderr.strip() == f"error: --mapping: no saved mapping 'county' for accidents in {db} (saved: none)"
    store = open_store(db)
    store.save_mapping("county", "accidents", COUNTY_MAPPING)
    store.save_mapping("broken", "accidents", {"遇难人数": "deaths", "事故单位": "deaths"})
    done = cli("import", "accidents", str(f), "--db", str(db), "--mapping", "county", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["new"] == 3
    assert store.table("accidents").set_index("accident_id")["deaths"].to_dict() == {"M-1": 2, "M-2": 0, "M-3": 3}
    broken = cli("import", "accidents", str(f), "--db", str(db), "--mapping", "broken")
    assert broken.returncode == 2 and "are mapped to the same column deaths" in broken.stderr
    assert len(broken.stderr.strip().splitlines()) == 1
