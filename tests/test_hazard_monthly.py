"""The monthly hazard report (工矿企业隐患排查治理情况月报表) as an XLSX: the paper form's layout, and the
round trip through the real importer (``python -m loaders import hazard-stats``) into a store."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from conftest import run_in_process

from domain.industries import INDUSTRIES
from domain.periods import Period
from loaders.importer import import_file
from loaders.read_errors import ReadError
from loaders.readers import read_table
from loaders.row_kinds import _meta_from_lines
from loaders.schema import HAZARD_STATS
from reports import cli
from reports.hazard_monthly import (
    COUNT_COLUMNS,
    FONT_NAME,
    FORM_COLUMNS,
    TITLE,
    rate_cell,
    region_line,
    write_hazard_monthly_xlsx,
)
from store import open_store

ROOT = Path(__file__).parent.parent
DATA = Path(__file__).parent / "data"
MARCH = Period.month(2024, 3)
MADE_ON = dt.date(2024, 4, 5)
STORED = (*COUNT_COLUMNS, "funds_wan")

# A hand-made report of 长沙市 for March 2024: a few industries with numbers, the rest all zero (the
# paper form lists every industry). 烟花爆竹 found no major hazard: its major rate is "—".
ROWS: dict[str, dict[str, float]] = {
    "coal_mine": dict(
        units=12,
        general_found=340,
        general_rectified=330,
        major_found=2,
        major_rectified=2,
        major_closed=1,
        major_in_plan=2,
        major_five_in_place=2,
        major_supervised=1,
        major_supervised_province=0,
        funds_wan=120.5,
    ),
    "noncoal_mine": dict(
        units=45,
        general_found=1200,
        general_rectified=1150,
        major_found=3,
        major_rectified=2,
        major_closed=2,
        major_in_plan=3,
        major_five_in_place=3,
        major_supervised=2,
        major_supervised_province=1,
        funds_wan=300.0,
    ),
    "chemicals": dict(
        units=80,
        general_found=2100,
        general_rectified=2050,
        major_found=5,
        major_rectified=4,
        major_closed=3,
        major_in_plan=5,
        major_five_in_place=4,
        major_supervised=3,
        major_supervised_province=1,
        funds_wan=560.25,
    ),
    "fireworks": dict(
        units=30,
        general_found=400,
        general_rectified=398,
        major_found=0,
        major_rectified=0,
        major_closed=0,
        major_in_plan=0,
        major_five_in_place=0,
        major_supervised=0,
        major_supervised_province=0,
        funds_wan=12.0,
    ),
    "industry_trade": dict(
        units=500,
        general_found=5200,
        general_rectified=4900,
        major_found=4,
        major_rectified=1,
        major_closed=1,
        major_in_plan=4,
        major_five_in_place=4,
        major_supervised=2,
        major_supervised_province=0,
        funds_wan=800.0,
    ),
}


def make_table(rows: dict[str, dict[str, float]] = ROWS) -> pd.DataFrame:
    """A stand-in for ``analytics.hazards.monthly_report``: every industry in order, then the total."""
    records = []
    for ind in INDUSTRIES:
        values = {c: 0 for c in COUNT_COLUMNS} | {"funds_wan": 0.0} | rows.get(ind.code, {})
        records.append({"industry": ind.code, **values})
    table = pd.DataFrame(records)
    total = {"industry": "total", **{c: table[c].sum() for c in STORED}}
    table = pd.concat([table, pd.DataFrame([total])], ignore_index=True)
    for c in COUNT_COLUMNS:
        table[c] = table[c].astype("int64")
    table["funds_wan"] = table["funds_wan"].astype("float64")
    for grade in ("general", "major"):
        found, done = table[f"{grade}_found"], table[f"{grade}_rectified"]
        table[f"{grade}_rate"] = [d / f if f else None for d, f in zip(done, found, strict=True)]
    return table


def write(
    tmp_path: Path, lang: str = "zh", period: Period = MARCH, region: str = "430100", table: pd.DataFrame | None = None
) -> Path:
    return write_hazard_monthly_xlsx(
        make_table() if table is None else table,
        tmp_path / f"report_{lang}.xlsx",
        region_code=region,
        period=period,
        lang=lang,
        made_on=MADE_ON,
    )


def sheet(path: Path) -> openpyxl.worksheet.worksheet.Worksheet:
    return openpyxl.load_workbook(path).worksheets[0]


def col_of(key: str) -> int:
    """1-based column of a table column on the form."""
    return next(i for i, fc in enumerate(FORM_COLUMNS, start=1) if fc.key == key)


# ------------------------------------------------------------------------------------------ the form


def test_the_form_looks_like_the_paper_form(tmp_path: Path) -> None:
    ws = sheet(write(tmp_path))
    last = openpyxl.utils.get_column_letter(len(FORM_COLUMNS))
    assert last == "N"
    assert ws["A1"].value == "工矿企业隐患排查治理情况月报表" and ws["A1"].font.b
    assert ws["A2"].value == "填报单位：湖南省长沙市"
    assert ws["N2"].value == "统计期间：2024年3月"
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A1:N1", "A3:A4", "B3:B4", "C3:E3", "F3:M3", "N3:N4"} <= merged
    assert (ws["C3"].value, ws["F3"].value) == ("一般隐患", "重大隐患")
    assert [ws.cell(4, c).value.replace("\n", "") for c in range(3, 14)] == [
        "排查数（项）",
        "已整改（项）",
        "整改率（%）",
        "排查数（项）",
        "已整改（项）",
        "已销号（项）",
        "整改率（%）",
        "列入治理计划（项）",
        "五到位（项）",
        "挂牌督办（项）",
        "其中省级（项）",
    ]
    assert ws["B3"].value.replace("\n", "") == "排查单位数（个）"
    assert ws["N3"].value.replace("\n", "") == "治理资金（万元）"
    # One row per industry in the canonical order, then 合计, then the footer.
    first, total_row = 5, 5 + len(INDUSTRIES)
    assert [ws.cell(r, 1).value for r in range(first, total_row)] == [i.zh for i in INDUSTRIES]
    assert ws.cell(total_row, 1).value == "合计"
    assert ws.cell(total_row + 1, 1).value == "填表人："
    assert "填报日期：2024年4月5日" in [c.value for c in ws[total_row + 1]]
    assert ws.max_row == total_row + 1
    assert ws.freeze_panes == "B5"
    assert ws.page_setup.orientation == "landscape" and str(ws.page_setup.paperSize) == "9"
    # Fit to one page wide (fitToWidth 1 is the default, so not written), as many pages tall as needed.
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth in (None, 1)
    assert str(ws.page_setup.fitToHeight) == "0"
    assert ws.print_title_rows == "$3:$4"


def test_total_row_is_bold_and_the_sum_of_the_rows_above(tmp_path: Path) -> None:
    ws = sheet(write(tmp_path))
    first, total_row = 5, 5 + len(INDUSTRIES)
    for key in STORED:
        c = col_of(key)
        above = sum(ws.cell(r, c).value for r in range(first, total_row))
        assert ws.cell(total_row, c).value == pytest.approx(above), key
    assert ws.cell(total_row, col_of("general_found")).value == 9240
    assert all(ws.cell(total_row, c).font.b for c in range(1, len(FORM_COLUMNS) + 1))
    assert not any(ws.cell(first, c).font.b for c in range(1, len(FORM_COLUMNS) + 1))


def test_rates_are_percentages_with_one_decimal_and_a_dash_for_nothing_found(tmp_path: Path) -> None:
    ws = sheet(write(tmp_path))
    row = {i.code: 5 + n for n, i in enumerate(INDUSTRIES)}
    general, major = col_of("general_rate"), col_of("major_rate")
    assert ws.cell(row["coal_mine"], general).value == 97.1  # 330 / 340
    assert ws.cell(row["coal_mine"], general).number_format == "0.0"
    assert ws.cell(row["industry_trade"], major).value == 25.0  # 1 / 4
    assert ws.cell(row["fireworks"], major).value == "—"  # no major hazard found: neither 0 % nor 100 %
    assert ws.cell(row["fire"], general).value == "—"  # an all-zero industry
    assert ws.cell(5 + len(INDUSTRIES), major).value == 64.3  # 9 / 14 in the 合计 row


@pytest.mark.parametrize(
    ("found", "rectified", "rate", "shown"),
    [
        (0, 0, None, "—"),
        (0, 0, float("nan"), "—"),
        (340, 330, 330 / 340, 97.1),
        (3, 3, 1.0, 100.0),
        (10_000, 9_999, 0.9999, 99.9),  # one still open: never shown as 100.0
        (10_000, 1, 0.0001, 0.1),  # one rectified: never shown as 0.0
        (4, 1, None, 25.0),  # no rate given: computed from the counts
    ],
)
def test_rate_cell(found: int, rectified: int, rate: float | None, shown: float | str) -> None:
    assert rate_cell(found, rectified, rate) == shown


def test_every_cell_names_the_cjk_font(tmp_path: Path) -> None:
    ws = sheet(write(tmp_path))
    cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
    assert len(cells) > 200
    assert {c.font.name for c in cells} == {FONT_NAME}
    assert FONT_NAME == "宋体"
    assert ws["C6"].border.left.style == "thin" and ws["C6"].border.top.style == "thin"


def test_english_form(tmp_path: Path) -> None:
    ws = sheet(write(tmp_path, "en"))
    assert ws["A1"].value == TITLE["en"]
    assert ws["A2"].value == "Reporting unit: 湖南省长沙市 (Changsha)"
    assert ws["N2"].value == "Period: 2024-03 (Mar 2024)"
    assert (ws["C3"].value, ws["F3"].value, ws["E4"].value) == (
        "General hazards",
        "Major hazards",
        "Rectification rate (%)",
    )
    assert ws["A5"].value == "Coal mines" and ws.cell(5 + len(INDUSTRIES), 1).value == "Total"
    assert ws.cell(6 + len(INDUSTRIES), 1).value == "Prepared by:"
    assert {c.font.name for row in ws.iter_rows() for c in row if c.value is not None} == {FONT_NAME}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_importer_recognises_every_header_and_the_title_rows(tmp_path: Path, lang: str) -> None:
    raw = read_table(write(tmp_path, lang), HAZARD_STATS)
    assert set(raw.frame.columns) == {fc.key for fc in FORM_COLUMNS}
    assert raw.ignored_headers == () and raw.extra_cells == ()
    assert raw.meta == {"region": "湖南省长沙市", "period": "2024-03"}
    assert raw.header_row == 4
    assert len(raw.frame) == len(INDUSTRIES)
    assert [why.split(" ")[0] for _, why in raw.skipped] == ["total", "footer"]


# ------------------------------------------------------------------------------------------ round trip


def stored(store_path: Path) -> pd.DataFrame:
    return open_store(store_path).table("hazard_stats").set_index("industry").sort_index()


def assert_rows_equal_table(hs: pd.DataFrame, table: pd.DataFrame) -> None:
    rows = table[table["industry"] != "total"].set_index("industry").sort_index()
    assert list(hs.index) == list(rows.index)
    for c in STORED:  # a count left blank (NA) in the table is stored as NULL: compared as NaN
        got, want = hs[c].astype("float64"), pd.to_numeric(rows[c]).astype("float64")
        pd.testing.assert_series_equal(got, want, check_names=False, check_exact=c != "funds_wan", obj=c)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_round_trip_through_the_importer(tmp_path: Path, lang: str) -> None:
    table = make_table()
    path = write(tmp_path, lang, table=table)
    db = tmp_path / "t.duckdb"
    result = import_file(open_store(db), path, "hazard-stats")
    assert (result.new, result.updated, result.rejected) == (len(INDUSTRIES), 0, 0)
    assert not any("not imported" in n for n in result.notes), result.notes
    hs = stored(db)
    assert set(hs["period"]) == {"2024-03"} and set(hs["region_code"]) == {"430100"}
    assert set(hs["period_kind"]) == {"month"}
    assert_rows_equal_table(hs, table)
    assert hs["general_found"].sum() == 9240 and hs.loc["chemicals", "funds_wan"] == 560.25
    assert hs.loc["fire", ["general_found", "major_found", "units"]].tolist() == [0, 0, 0]  # a reported zero
    # Re-importing changes nothing.
    again = import_file(open_store(db), path, "hazard-stats")
    assert (again.new, again.updated, again.unchanged, again.rejected) == (0, 0, len(INDUSTRIES), 0)
    pd.testing.assert_frame_equal(stored(db).drop(columns=["import_id"]), hs.drop(columns=["import_id"]))


def test_the_chinese_and_english_forms_are_the_same_records(tmp_path: Path) -> None:
    db = tmp_path / "t.duckdb"
    import_file(open_store(db), write(tmp_path, "zh"), "hazard-stats")
    english = import_file(open_store(db), write(tmp_path, "en"), "hazard-stats")
    assert (english.new, english.updated, english.unchanged) == (0, 0, len(INDUSTRIES))


def test_cli_import_reads_the_form(tmp_path: Path) -> None:
    path = write(tmp_path)
    db = tmp_path / "cli.duckdb"
    done = run_in_process("loaders", "import", "hazard-stats", str(path), "--db", str(db))
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == (  # skipped: the 合计 row and the footer
        f"read {len(INDUSTRIES)} rows: {len(INDUSTRIES)} new, 0 updated, 0 unchanged, 0 rejected; 2 skipped"
    )
    assert_rows_equal_table(stored(db), make_table())


def test_a_year_is_written_as_a_year_and_read_back_as_one(tmp_path: Path) -> None:
    path = write(tmp_path, period=Period.year(2023))
    assert sheet(path)["N2"].value == "统计期间：2023年度"
    db = tmp_path / "t.duckdb"
    import_file(open_store(db), path, "hazard-stats")
    hs = stored(db)
    assert set(hs["period"]) == {"2023"} and set(hs["period_kind"]) == {"year"}
    en = write(tmp_path, "en", period=Period.year(2023))
    assert sheet(en)["N2"].value == "Period: 2023 (full year)"
    assert read_table(en, HAZARD_STATS).meta["period"] == "2023"


@pytest.mark.parametrize(
    ("period", "zh", "en"),
    [
        (Period.quarter(2024, 1), "统计期间：2024年第一季度", "Period: 2024 Q1"),
        (Period.parse("2024-04..2024-06"), "统计期间：2024年4—6月", "Period: Apr–Jun 2024"),
    ],
)
def test_several_months_are_not_filed_under_one_month(tmp_path: Path, period: Period, zh: str, en: str) -> None:
    """hazard_stats holds months and years: a quarter's form needs --period, and its footer's 填报日期
    (2024年4月5日) is not taken for the period."""
    for lang, text in (("zh", zh), ("en", en)):
        path = write(tmp_path, lang, period=period)
        assert sheet(path)["N2"].value == text
        with pytest.raises(ReadError, match="统计期间"):
            import_file(lambda: open_store(tmp_path / "never.duckdb"), path, "hazard-stats")
    assert not (tmp_path / "never.duckdb").exists()


def test_months_from_january_are_read_back_as_cumulative_to_the_last(tmp_path: Path) -> None:
    """A form of January to March (the sum of the three months) is the figures cumulative since January of
    March: stored for 2024-03 and flagged cumulative, in both languages."""
    for lang, text in (("zh", "统计期间：2024年1—3月"), ("en", "Period: Jan–Mar 2024")):
        path = write(tmp_path, lang, period=Period.parse("2024-01..2024-03"))
        assert sheet(path)["N2"].value == text
        raw = read_table(path, HAZARD_STATS)
        assert (raw.meta["period"], raw.meta["cumulative"]) == ("2024-03", "1-N月" if lang == "zh" else "Jan–N")
        store = open_store(tmp_path / f"{lang}.duckdb")
        import_file(store, path, "hazard-stats")
        stored = store.query("SELECT DISTINCT period, cumulative FROM hazard_stats")
        assert stored.to_dict("records") == [{"period": "2024-03", "cumulative": True}]


def test_region_line_is_read_back_as_the_same_region() -> None:
    from domain.regions import resolve_region

    for code in ("430100", "430181", "430000", "100000", "110000", "110105", "500103"):
        for lang in ("zh", "en"):
            meta = _meta_from_lines([region_line(code, lang)])
            assert resolve_region(meta["region"]) == code, (code, lang, region_line(code, lang))
    assert region_line("110000", "zh") == "填报单位：北京市"


# ------------------------------------------------------------------------------------------ the contract


def test_a_table_that_breaks_the_contract_is_refused(tmp_path: Path) -> None:
    bad_total = make_table()
    bad_total.loc[bad_total.index[-1], "general_found"] += 1
    with pytest.raises(ValueError, match="total row's general_found is 9241, but the rows above sum to 9240"):
        write(tmp_path, table=bad_total)
    with pytest.raises(ValueError, match="last row must be the total"):
        write(tmp_path, table=make_table().iloc[:-1])
    with pytest.raises(ValueError, match="lacks the columns funds_wan"):
        write(tmp_path, table=make_table().drop(columns=["funds_wan"]))
    with pytest.raises(ValueError, match="covers whole months"):
        write(tmp_path, period=Period.month(2024, 6).cut_at(dt.date(2024, 6, 15)))


# ------------------------------------------------------------------------------------------ the CLI


@pytest.fixture
def stand_in(monkeypatch: pytest.MonkeyPatch) -> list[tuple]:
    """``reports.cli.monthly_table`` replaced by the hand-made table; the calls are recorded."""
    calls: list[tuple] = []

    def fake(
        db: str | None, region: str, period: Period, industries: tuple[str, ...] | None, today: dt.date
    ) -> pd.DataFrame:
        calls.append((db, region, period, industries, today))
        return make_table()

    monkeypatch.setattr(cli, "monthly_table", fake)
    return calls


def test_cli_issue_form_writes_the_report(
    tmp_path: Path, stand_in: list[tuple], capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "r.xlsx"
    code = cli.main(
        [
            "brief",
            "--period",
            "2024-03",
            "--region",
            "长沙市",
            "--format",
            "xlsx",
            "--report",
            "hazard-monthly",
            "--out",
            str(out),
            "--today",
            "2024-04-05",
        ]
    )
    assert code == 0, capsys.readouterr().err
    assert capsys.readouterr().out.strip() == f"wrote {out}"
    assert stand_in == [(None, "430100", MARCH, None, dt.date(2024, 4, 5))]
    ws = sheet(out)
    assert (ws["A2"].value, ws["N2"].value) == ("填报单位：湖南省长沙市", "统计期间：2024年3月")
    assert "填报日期：2024年4月5日" in [c.value for c in ws[6 + len(INDUSTRIES)]]


def test_cli_subcommand_with_industries_and_english(tmp_path: Path, stand_in: list[tuple]) -> None:
    out = tmp_path / "r.xlsx"
    code = cli.main(
        [
            "hazard-monthly",
            "--period",
            "2024-Q1",
            "--region",
            "430000",
            "--industry",
            "煤矿",
            "危化",
            "--lang",
            "en",
            "--out",
            str(out),
            "--today",
            "2024-06-01",
        ]
    )
    assert code == 0
    assert stand_in[0][1:4] == ("430000", Period.quarter(2024, 1), ("coal_mine", "chemicals"))
    assert sheet(out)["A1"].value == TITLE["en"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["brief", "--format", "xlsx", "--out", "r.xlsx"], "--format xlsx is not a format of the brief report"),
        (
            ["brief", "--report", "hazard-monthly", "--format", "md", "--out", "r.xlsx"],
            "--format md is not a format of the hazard-monthly report (expected --format xlsx)",
        ),
        (["brief", "--report", "hazard-monthly"], "--out FILE.xlsx is required for --format xlsx"),
        (["hazard-monthly"], "--out FILE.xlsx is required for --format xlsx"),
        (["hazard-monthly", "--out", "r.csv"], "must end in .xlsx"),
        (["hazard-monthly", "--out", "/no/such/dir/r.xlsx"], "--out: the directory /no/such/dir does not exist"),
        (
            ["brief", "--report", "hazard-monthly", "--grade", "larger", "--out", "r.xlsx"],
            "--grade does not apply to the hazard-monthly report",
        ),
        (["hazard-monthly", "--out", "r.xlsx", "--today", "2024-03-15"], "the monthly report covers whole months"),
        (["hazard-monthly", "--out", "r.xlsx", "--region", "鼓楼区"], "--region: '鼓楼区' is ambiguous"),
        (
            ["hazard-monthly", "--out", "r.xlsx", "--industry", "游乐设施"],
            "--industry: '游乐设施' is not a known industry",
        ),
        (["hazard-monthly", "--out", "r.xlsx", "--db", "/no/such.duckdb"], "--db: no store at /no/such.duckdb"),
    ],
)
def test_cli_bad_arguments_exit_2_with_one_line(
    tmp_path: Path,
    stand_in: list[tuple],
    args: list[str],
    message: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    base = {"--period": "2024-03", "--region": "湖南省"}
    argv = [*args]
    for flag, value in base.items():
        if flag not in argv:
            argv += [flag, value]
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: ") and message in err, err
    assert stand_in == [] and not (tmp_path / "r.xlsx").exists()


def test_cli_end_to_end_with_the_real_table(tmp_path: Path) -> None:
    """The issue's command line on a store of hazard records and a submitted form; the file it writes
    imports into a fresh store as exactly the rows of the table ``monthly_report`` computed."""
    db = tmp_path / "source.duckdb"
    source = open_store(db)
    import_file(source, DATA / "hazards_hunan.xlsx", "hazards")
    import_file(source, DATA / "hazards_status_utf8.csv", "hazards")
    import_file(source, DATA / "hazard_monthly_report_changsha.xlsx", "hazard-stats")
    out = tmp_path / "r.xlsx"
    done = run_in_process(
        "reports",
        "brief",
        "--period",
        "2024-03",
        "--region",
        "湖南省",
        "--format",
        "xlsx",
        "--report",
        "hazard-monthly",
        "--out",
        str(out),
        "--db",
        str(db),
        "--today",
        "2024-04-05",
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"wrote {out}"
    table = cli.monthly_table(str(db), "430000", MARCH, None, dt.date(2024, 4, 5))
    fresh = tmp_path / "fresh.duckdb"
    result = import_file(open_store(fresh), out, "hazard-stats")
    assert result.rejected == 0
    hs = stored(fresh)
    assert set(hs["region_code"]) == {"430000"} and set(hs["period"]) == {"2024-03"}
    assert_rows_equal_table(hs, table)
    assert not math.isnan(float(table.iloc[-1]["general_found"]))


def test_more_rectified_than_found_is_carry_over_not_an_error(tmp_path: Path) -> None:
    """A month's report may rectify more than it found: hazards found in earlier months close in this one
    (issue 14, point 9). Kept as filed and said; a subset that cannot be larger (挂牌督办 of the majors found)
    is still refused."""
    form = tmp_path / "carry.csv"
    form.write_text(
        "统计期间,填报单位,行业领域,一般隐患排查数,一般隐患已整改数,重大隐患排查数,重大隐患已整改数,重大隐患挂牌督办数\n"
        "2024-03,长沙市,建筑施工,40,52,1,2,0\n2024-03,长沙市,危险化学品,30,20,1,0,3\n",
        encoding="utf-8",
    )
    store = open_store(tmp_path / "s.duckdb")
    result = import_file(store, form, "hazard-stats")
    assert (result.new, result.rejected) == (1, 1)
    assert (
        "rows 2: 一般隐患已整改数 larger than 一般隐患排查数: kept as filed (hazards found in earlier months "
        "rectified in this one)" in result.notes
    )
    row = store.table("hazard_stats").iloc[0]
    assert (row["general_found"], row["general_rectified"], row["major_rectified"]) == (40, 52, 2)
    assert "larger than 重大隐患排查数 (impossible)" in store.rejects(result.import_id)["reason"].iloc[0]
