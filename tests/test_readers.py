"""Readers against small real-looking files in tests/data."""

from pathlib import Path

import pandas as pd
import pytest

from loaders.read_errors import ReadError
from loaders.readers import read_table
from loaders.schema import ACCIDENT_STATS, ACCIDENTS, HAZARD_STATS, HAZARDS, KINDS, alias_index, match_header

DATA = Path(__file__).parent / "data"


def test_gbk_csv_with_title_rows_total_and_footer() -> None:
    raw = read_table(DATA / "accidents_hunan_gbk.csv", ACCIDENTS)
    assert raw.encoding == "gb18030"
    assert raw.header_row == 3
    assert len(raw.frame) == 12  # the 12 ledger rows, not the 合计 row or the 填表人 footer
    assert [why.split(" ")[0] for _, why in raw.skipped] == ["total", "footer"]
    assert raw.frame.loc[4, "region"] == "湖南省长沙市岳麓区"  # row numbers are the file's own
    assert raw.headers["direct_loss_wan"] == "直接经济损失（万元）"
    assert raw.units["direct_loss_wan"] == "万元"
    assert raw.ignored_headers == ("序号",)


def test_xlsx_with_merged_title_total_and_sheets() -> None:
    raw = read_table(DATA / "accidents_hunan_titled.xlsx", ACCIDENTS)
    assert raw.sheet == "事故台账"  # the notes sheet before it has no header and is passed over
    assert raw.header_row == 4
    assert len(raw.frame) == 12
    assert set(raw.other_sheets) == {"填表说明", "2023年"}
    other = read_table(DATA / "accidents_hunan_titled.xlsx", ACCIDENTS, sheet="2023年")
    assert len(other.frame) == 1


def test_unknown_sheet_lists_the_sheets() -> None:
    with pytest.raises(ReadError, match=r"has no sheet '2022年' \(sheets: 填表说明, 事故台账, 2023年\)"):
        read_table(DATA / "accidents_hunan_titled.xlsx", ACCIDENTS, sheet="2022年")


def test_two_level_merged_header_and_title_metadata() -> None:
    raw = read_table(DATA / "hazard_monthly_report_changsha.xlsx", HAZARD_STATS)
    assert raw.header_row == 4
    assert raw.meta == {"region": "湖南省长沙市", "period": "2024-03"}
    for col in (
        "general_found",
        "general_rectified",
        "general_rate",
        "major_found",
        "major_rectified",
        "major_closed",
        "major_rate",
        "major_in_plan",
        "major_five_in_place",
        "major_supervised",
        "major_supervised_province",
        "funds_wan",
        "units",
        "industry",
    ):
        assert col in raw.frame.columns, col
    assert raw.frame["industry"].tolist() == ["煤矿", "金属非金属矿山", "危险化学品", "烟花爆竹", "工贸"]


def test_utf8_bom_english_headers() -> None:
    raw = read_table(DATA / "accidents_english_bom.csv", ACCIDENTS)
    assert raw.encoding == "utf-8-sig"
    assert {"accident_id", "occurred_at", "region", "direct_loss_wan"} <= set(raw.frame.columns)


def test_xls_and_parquet() -> None:
    xls = read_table(DATA / "accidents_legacy.xls", ACCIDENTS)
    assert len(xls.frame) == 2 and xls.units["direct_loss_wan"] == "元"
    pq = read_table(DATA / "accidents.parquet", ACCIDENTS)
    assert len(pq.frame) == 2 and pq.header_row == 1


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("renamed_pdf.xlsx", r"renamed_pdf.xlsx is a PDF renamed to .xlsx, not a spreadsheet"),
        ("empty.csv", r"empty.csv is empty"),
        (
            "accidents_missing_required.csv",
            r"required column missing: 行业领域 \(industry; accepted headers: 行业领域, industry, 行业.*死亡人数 \(deaths",
        ),
        ("nope.csv", r"does not exist"),
    ],
)
def test_unreadable_files_say_why(name: str, message: str) -> None:
    with pytest.raises(ReadError, match=message):
        read_table(DATA / name, ACCIDENTS)


def test_no_header_found(tmp_path: Path) -> None:
    f = tmp_path / "x.csv"
    f.write_text("a,b,c\n1,2,3\n", encoding="utf-8")
    with pytest.raises(ReadError, match=r"no header row found in the first 30 rows \(expected a row with columns"):
        read_table(f, HAZARDS)


@pytest.mark.parametrize(
    ("header", "column", "unit"),
    [
        ("直接经济损失（万元）", "direct_loss_wan", "万元"),
        ("直接经济损失(元)", "direct_loss_wan", "元"),
        ("直接经济损失 【万元】", "direct_loss_wan", "万元"),
        ("死亡人数（人）", "deaths", "人"),
        ("死 亡 人 数", "deaths", None),
        ("重伤人数（含急性工业中毒）", "serious_injuries", None),
        ("Direct Loss", "direct_loss_wan", None),
        ("发生时间：", "occurred_at", None),
        ("备注", None, None),
    ],
)
def test_header_aliases(header: str, column: str | None, unit: str | None) -> None:
    assert match_header(ACCIDENTS, header) == (column, unit)


@pytest.mark.parametrize("kind", list(KINDS.values()), ids=list(KINDS))
def test_no_alias_means_two_columns(kind) -> None:
    seen: dict[str, str] = {}
    index = alias_index(kind)
    for col in kind.columns:
        for alias in col.all_aliases():
            from loaders.schema import split_header

            key = split_header(alias)[0]
            assert seen.setdefault(key, col.name) == col.name, f"{alias!r} maps to {seen[key]} and {col.name}"
    assert len(index) == len(seen)


def test_accident_stats_yearly_xlsx() -> None:
    raw = read_table(DATA / "accident_stats_2023.xlsx", ACCIDENT_STATS)
    assert len(raw.frame) == 4 and raw.skipped[0][0] == 7


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("broken.xlsx", b"PK\x03\x04 this zip was cut short"),
        ("words.xlsx", "就是一段文字，不是表格".encode()),
        ("binary.csv", b"PK\x03\x04\x00\x00binary"),
    ],
)
def test_damaged_files_are_a_read_error(tmp_path: Path, name: str, content: bytes) -> None:
    f = tmp_path / name
    f.write_bytes(content)
    with pytest.raises(ReadError, match=name.replace(".", r"\.")):
        read_table(f, ACCIDENTS)


def _ledger_csv(path: Path, stray_row: int, n_rows: int = 45) -> None:
    """An accident ledger of n_rows data rows (file rows 2 …) with one stray cell beyond the header
    in file row ``stray_row``."""
    lines = ["发生时间,地区,行业领域,死亡人数"]
    for i in range(n_rows):
        row = f"2024-05-{i % 28 + 1:02d},长沙市岳麓区,工贸,{i % 3}"
        if i + 2 == stray_row:
            row += ",,备注：见附件"
        lines.append(row)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.parametrize("stray_row", [3, 34, 40, 46])  # in the header scan area and far below it
def test_stray_cell_beyond_the_header_is_reported_not_fatal(tmp_path: Path, stray_row: int) -> None:
    f = tmp_path / "stray.csv"
    _ledger_csv(f, stray_row)
    raw = read_table(f, ACCIDENTS)
    assert len(raw.frame) == 45  # the row is kept
    assert list(raw.frame.columns) == ["occurred_at", "region", "industry", "deaths"]
    assert raw.extra_cells == ((stray_row, ((6, "备注：见附件"),)),)
    assert raw.ignored_headers == ()


def test_very_wide_stray_row_is_reported_not_fatal(tmp_path: Path) -> None:
    f = tmp_path / "wide.csv"
    f.write_text(
        "发生时间,地区,行业领域,死亡人数\n2024-05-01,长沙市,工贸,1\n2024-05-02,长沙市,工贸,0" + "," * 60 + "x\n",
        encoding="utf-8",
    )
    raw = read_table(f, ACCIDENTS)
    assert len(raw.frame) == 2
    assert raw.extra_cells == ((3, ((64, "x"),)),)


def test_xlsx_numeric_compact_date(tmp_path: Path) -> None:
    import openpyxl

    from loaders.normalize import normalize

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["发生时间", "地区", "行业领域", "死亡人数"])
    ws.append([20240506, "长沙市岳麓区", "工贸", 1])
    ws.append([20241332, "长沙市岳麓区", "工贸", 1])
    f = tmp_path / "compact.xlsx"
    wb.save(f)
    result = normalize(ACCIDENTS, read_table(f, ACCIDENTS))
    assert result.accepted["occurred_at"].tolist() == [pd.Timestamp("2024-05-06")]
    assert result.rejects["reason"].tolist() == [
        "row 3, column 发生时间: '20241332' is not a date: no such day (expected e.g. 2024-05-06, 2024/5/6, "
        "2024.05.06, 2024年5月6日 or an Excel date)"
    ]
