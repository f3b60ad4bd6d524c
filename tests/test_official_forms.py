"""The official report forms (issue 13 item 4) and web exports (item 6): the national monthly
隐患排查治理 forms read as laid out — unit row, note lines, breakdown rows, blanks as 0, figures cumulative
since January — and an .xls that is really an HTML page or MHTML read as a table."""

from __future__ import annotations

import datetime as dt
import json
import quopri
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from conftest import run_in_process
from official_forms import (
    MINE_ROWS,
    MINE_TITLE,
    NINGBO_MINE_2024_03,
    NINGBO_OTHER_2024_03,
    Form,
    write_html_xls,
    write_xlsx,
)

from loaders import forms
from loaders.importer import import_file, preview_file
from loaders.read_errors import ReadError
from loaders.readers import list_sheets, read_table
from loaders.schema import HAZARD_STATS, HAZARDS
from store import open_store
from store.hazard_queries import hazard_stats_rows

ROOT = Path(__file__).parent.parent
DATA = Path(__file__).parent / "data"
NINGBO = "330200"

# ---------------------------------------------------------------- the form's words, as tables of cases


@pytest.mark.parametrize(
    ("cell", "heading"),
    [
        ("说明：1.本表由县级以上应急管理部门填报。", True),
        ("说\n明", True),  # the template's merged 说 / 明 cell beside the text
        ("有关要求：每月5日前报送。", True),
        ("填表说明", True),
        ("注：重大事故隐患含挂牌督办隐患。", True),
        ("注1：覆盖率＝实际排查单位数÷应排查单位数。", True),
        ("说明书编号", False),
        ("注册资本", False),
        ("1.煤矿企业", False),
        ("", False),
    ],
)
def test_note_heading(cell: str, heading: bool) -> None:
    assert forms.is_note_heading(cell) is heading


@pytest.mark.parametrize(
    ("titles", "headers", "words"),
    [
        (["2024年1-3月隐患排查治理情况月报表"], [], "1-N月"),
        (["2024年1—3月"], [], "1-N月"),
        (["2024年1至5月隐患排查治理情况"], [], "1-N月"),
        (["填报单位（章）：宁波市应急管理局 截止到2024年3月31日为止"], [], "截止到…为止"),
        (["自年初至3月底排查治理情况"], [], "自年初"),
        (["本年累计"], [], "自年初"),
        (["隐患排查治理情况月报表 2024年3月"], ["行业领域", "累计落实隐患治理资金"], "累计"),
        (["Hazard report", "Period: Jan–Mar 2024"], [], "Jan–N"),
        (["隐患排查治理情况月报表", "统计期间：2024年3月"], ["行业领域", "治理资金（万元）"], None),
        (["统计期间：2024年4—6月"], [], None),  # a quarter's months, not since January
        (["填报日期：2024年4月5日"], [], None),
    ],
)
def test_cumulative_marker(titles: list[str], headers: list[str], words: str | None) -> None:
    found = forms.cumulative_marker(titles, [], headers)
    assert (found.words if found else None) == words


@pytest.mark.parametrize(
    ("line", "period"),
    [
        ("2024年1-3月隐患排查治理情况月报表", "2024-03"),
        ("2024年1—12月", "2024-12"),
        ("截止到2024年3月31日为止", "2024-03"),
        ("截至2023年11月30日", "2023-11"),
        ("Period: Jan–Mar 2024", "2024-03"),
        ("截止到　　　　年　　月　　日为止", None),  # the template unfilled
        ("2024年1-13月", None),
    ],
)
def test_cumulative_period(line: str, period: str | None) -> None:
    assert forms.cumulative_period([line]) == period


@pytest.mark.parametrize(
    ("cells", "names", "units"),
    [
        (
            ["行业和领域", "(家)", "(家)", "(%)", "(万元)"],
            ["行业和领域", "a", "b", "c", "d"],
            {1: "家", 2: "家", 3: "%", 4: "万元"},
        ),
        (["", "（项）", "（项）"], ["行业", "a", "b"], {1: "项", 2: "项"}),
        (["煤矿", "(家)", "12"], ["行业", "a", "b"], None),  # a data row
        (["", "(万元)", ""], ["行业", "a", "b"], None),  # one unit is not a unit row
    ],
)
def test_unit_row(cells: list[str], names: list[str], units: dict[int, str] | None) -> None:
    assert forms.unit_row(cells, names) == units


@pytest.mark.parametrize(
    ("labels", "pairs"),
    [
        (
            [
                "1.煤矿企业",
                "4.危险化学品企业",
                "\xa0\xa0(1)生产、储存和其他化工企业",
                "(2)经营企业和单位",
                "5.烟花爆竹企业",
            ],
            [(3, 2), (4, 2)],
        ),
        (["一、工矿企业", "①煤矿", "②非煤矿山", "二、交通运输"], [(2, 1), (3, 1)]),
        (["7.建筑施工企业", "其中：房屋市政工程", "8.学校"], [(2, 1)]),
        (["煤矿", "(1)生产企业"], []),  # rows not numbered: no item to break down
        (["1.道路运输企业", "合计", "(1)客运"], []),  # an unnumbered row ends the item
    ],
)
def test_breakdown_rows(labels: list[str], pairs: list[tuple[int, int]]) -> None:
    assert forms.breakdown_rows(pd.Series(labels, index=range(1, len(labels) + 1))) == pairs


# ---------------------------------------------------------------- the form as laid out

FORM_HEADERS = {
    "industry": "行业和领域",
    "units_due": "应排查",
    "units": "实际排查",
    "general_found": "排查一般",
    "general_rectified": "已整改",
    "general_rate": "整",
    "major_found": "排查重",
    "major_rectified": "销号",
    "major_rate": "整",
    "major_in_plan": "列入治",
    "major_five_in_place": "五到位",
    "major_supervised": "挂牌督",
    "major_supervised_province": "省级",
    "major_supervised_city": "地市级",
    "funds_wan": "累计落实",
}
SKIPPED = [
    (7, "total row"),
    (12, "breakdown row skipped: '(1)生产、储存和其他化工企业' is part of row 11 ('4.危险化学品企业')"),
    (13, "breakdown row skipped: '(2)经营企业和单位' is part of row 11"),
    (17, "footer row skipped: 单位负责人（签字）："),
    (18, "note line skipped: 说 明 1.新增统计列"),
]


@pytest.mark.parametrize("writer", [write_xlsx, write_html_xls])
def test_the_form_is_read_as_laid_out(tmp_path: Path, writer: object) -> None:
    """Three header levels and the unit row; 合计 first, the (1)/(2) breakdown of row 4, the 单位负责人（签字）
    footer and the 说明 block skipped and listed; the period and the cumulative words from 截止到…为止."""
    path = writer(NINGBO_MINE_2024_03, tmp_path / ("form.xlsx" if writer is write_xlsx else "form.xls"))
    raw = read_table(path, HAZARD_STATS)
    assert raw.header_row == 6
    assert list(raw.headers) == list(FORM_HEADERS)
    for canon, word in FORM_HEADERS.items():
        assert word in raw.headers[canon].split(" / ")[-1].replace("\n", ""), canon
    assert raw.units["funds_wan"] == "万元" and raw.units["units"] == "家"
    assert [h.split(" / ")[-1].replace("\n", "") for h in raw.ignored_headers] == ["覆盖率"]
    assert [(r, w[: len(s)]) for (r, w), (_, s) in zip(raw.skipped, SKIPPED, strict=False)] == SKIPPED
    if writer is write_xlsx:  # the notes are three rows there, one row of <p>s in the page
        assert [r for r, _ in raw.skipped[5:]] == [19, 20]
    assert list(raw.frame.index) == [8, 9, 10, 11, 14, 15, 16]
    assert raw.meta == {
        "region": "宁波市",
        "period": "2024-03",
        "cumulative": "截止到…为止",
        "cumulative_line": "截止到2024年3月31日为止",
    }


@pytest.mark.parametrize("writer", [write_xlsx, write_html_xls])
def test_the_transport_form_is_read_as_laid_out(tmp_path: Path, writer: object) -> None:
    """交通运输等重点行业领域…月报表: the same header, fifteen industry rows, none a breakdown."""
    path = writer(NINGBO_OTHER_2024_03, tmp_path / ("form.xlsx" if writer is write_xlsx else "form.xls"))
    raw = read_table(path, HAZARD_STATS)
    assert list(raw.headers) == list(FORM_HEADERS) and raw.header_row == 6
    assert raw.frame["industry"].tolist()[0] == "1.道路运输企业" and len(raw.frame) == 15
    reservoir = raw.frame.loc[raw.frame["industry"] == "10.水库"].iloc[0]
    assert [float(reservoir[c]) for c in ("major_found", "major_supervised", "major_supervised_province")] == [1, 1, 1]
    assert [w.split(":")[0] for _, w in raw.skipped[:2]] == ["total row (合计/总计) skipped", "footer row skipped"]
    assert raw.meta["period"] == "2024-03" and raw.meta["cumulative"] == "截止到…为止"


def canonical(rows: list[tuple[str, tuple[float, ...] | None]]) -> list[tuple[str, tuple[float, ...] | None]]:
    """The form's rows under the industry names the store knows (the form's own labels — 1.煤矿企业 — are the
    industry vocabulary's business), the breakdown rows left out."""
    names = {
        "1.": "煤矿",
        "2.": "金属非金属矿山",
        "3.": "其他",
        "4.": "危险化学品",
        "5.": "烟花爆竹",
        "6.": "工贸",
        "7.": "城镇燃气",
    }
    return [(names[label[:2]], f) for label, f in rows if label[:2] in names]


def form(month: int, rows: list[tuple[str, tuple[float, ...] | None]] | None = None, until: str | None = None) -> Form:
    last = {1: 31, 2: 29, 3: 31}[month]
    return Form(
        MINE_TITLE,
        "填报单位（章）：宁波市应急管理局",
        until or f"截止到2024年{month}月{last}日为止",
        canonical(MINE_ROWS) if rows is None else rows,
    )


def test_blanks_are_0_and_a_rate_of_nothing_is_no_rate(tmp_path: Path) -> None:
    store = open_store(tmp_path / "s.duckdb")
    result = import_file(store, write_xlsx(form(3), tmp_path / "f.xlsx"), "hazard-stats")
    assert (result.new, result.rejected) == (7, 0)
    assert "blank cells read as 0 (an aggregate form: a blank is none): 24 cells in rows 8, 10" in result.notes
    coal = store.query("SELECT * FROM hazard_stats WHERE industry = 'coal_mine'").iloc[0]
    assert [
        coal[c] for c in ("units_due", "units", "general_found", "major_found", "major_supervised_city", "funds_wan")
    ] == [0, 0, 0, 0, 0, 0.0]
    chem = store.query("SELECT * FROM hazard_stats WHERE industry = 'chemicals'").iloc[0]
    assert [
        chem[c]
        for c in (
            "units_due",
            "units",
            "general_found",
            "general_rectified",
            "major_found",
            "major_rectified",
            "major_in_plan",
            "major_five_in_place",
            "major_supervised",
            "major_supervised_province",
            "major_supervised_city",
            "funds_wan",
        )
    ] == [1180, 1151, 3920, 3838, 5, 3, 5, 4, 2, 1, 1, 930.0]
    assert bool(chem["cumulative"]) and chem["region_code"] == NINGBO and chem["period"] == "2024-03"


def test_a_form_marks_unknown_with_a_dash_not_a_blank(tmp_path: Path) -> None:
    rows = [("煤矿", (10, 10, 30, 30, 0, 0, 0, 0, 0, 0, 0, 5.0))]
    path = write_xlsx(form(3, rows), tmp_path / "f.xlsx")
    raw = read_table(path, HAZARD_STATS)
    raw.frame.loc[8, "funds_wan"] = "—"  # as reports.hazard_monthly writes an unknown amount
    from loaders.normalize import normalize

    out = normalize(HAZARD_STATS, raw)
    assert pd.isna(out.accepted.iloc[0]["funds_wan"]) and out.accepted.iloc[0]["general_found"] == 30


def test_blanks_on_a_record_ledger_are_not_0(tmp_path: Path) -> None:
    """A hazard ledger is records: a blank 整改资金 is unknown, a blank 发现日期 still a reject."""
    path = tmp_path / "ledger.csv"
    path.write_text(
        "企业名称,所在地区,行业领域,隐患级别,发现日期,整改资金\n"
        "某化工有限公司,北仑区,危险化学品,一般,2024-03-02,\n"
        "某矿业有限公司,北仑区,金属非金属矿山,一般,,2\n",
        encoding="utf-8",
    )
    store = open_store(tmp_path / "s.duckdb")
    result = import_file(store, path, "hazards")
    assert (result.new, result.rejected) == (1, 1)
    assert not any(n.startswith("blank cells read as 0") for n in result.notes)
    assert store.query("SELECT enterprise, funds_wan FROM hazards").fillna(-1).values.tolist() == [
        ["某化工有限公司", -1]
    ]


def own(store: object, months: list[str]) -> pd.DataFrame:
    frame = hazard_stats_rows(store, NINGBO, months)
    return frame.set_index(["period", "industry"]).sort_index()


def test_two_cumulative_months_give_the_months_own_figures(tmp_path: Path) -> None:
    """February's and March's forms, both cumulative since January: the store keeps what they say; the
    consumers (the monthly report, the 隐患整改 page) read March as the difference with February, and February not
    at all until January is in."""
    feb = [
        ("煤矿", (10, 10, 30, 28, 1, 0, 1, 1, 0, 0, 0, 5.0)),
        ("危险化学品", (100, 90, 400, 380, 2, 1, 2, 2, 1, 0, 1, 50.0)),
    ]
    mar = [
        ("煤矿", (10, 10, 45, 44, 1, 1, 1, 1, 0, 0, 0, 7.5)),
        ("危险化学品", (100, 98, 610, 600, 3, 2, 3, 3, 2, 1, 1, 80.0)),
        ("烟花爆竹", (5, 5, 4, 4, 0, 0, 0, 0, 0, 0, 0, 1.0)),
    ]  # 烟花爆竹 first listed in March
    store = open_store(tmp_path / "s.duckdb")
    r_feb = import_file(store, write_xlsx(form(2, feb), tmp_path / "feb.xlsx"), "hazard-stats")
    assert r_feb.notes[-1] == (
        f"2024-02 {NINGBO}: 2024-01 is not in the store: the month's own figures are unknown "
        "until the 2024-01 report is imported (the cumulative figures are kept)"
    )
    r_mar = import_file(store, write_xlsx(form(3, mar), tmp_path / "mar.xlsx"), "hazard-stats")
    assert (
        r_mar.notes[-1] == f"2024-03 {NINGBO}: the month's own figures are the difference with 2024-02 (in the store)"
    )
    assert any(n.startswith("figures cumulative since January (the form says 截止到…为止: ") for n in r_mar.notes)
    stored = store.query("SELECT period, industry, general_found, cumulative FROM hazard_stats ORDER BY 1, 2")
    assert stored.values.tolist() == [
        ["2024-02", "chemicals", 400, True],
        ["2024-02", "coal_mine", 30, True],
        ["2024-03", "chemicals", 610, True],
        ["2024-03", "coal_mine", 45, True],
        ["2024-03", "fireworks", 4, True],
    ]
    got = own(store, ["2024-02", "2024-03"])
    assert list(got.index) == [("2024-03", "chemicals"), ("2024-03", "coal_mine"), ("2024-03", "fireworks")]
    assert got[
        [
            "general_found",
            "general_rectified",
            "major_found",
            "major_rectified",
            "major_supervised",
            "funds_wan",
            "units",
        ]
    ].values.tolist() == [[210, 220, 1, 1, 1, 30.0, 98], [15, 16, 0, 1, 0, 2.5, 10], [4, 4, 0, 0, 0, 1.0, 5]]
    from answers.rectification import monthly_report
    from domain.periods import Period

    table = monthly_report(store, NINGBO, Period.month(2024, 3), None, dt.date(2024, 4, 5)).set_index("industry")
    assert table.loc[["chemicals", "coal_mine", "fireworks", "total"], "general_found"].tolist() == [210, 15, 4, 229]
    jan = [
        ("煤矿", (10, 9, 12, 12, 0, 0, 0, 0, 0, 0, 0, 2.0)),
        ("危险化学品", (100, 80, 150, 149, 1, 0, 1, 1, 0, 0, 0, 20.0)),
    ]
    r_jan = import_file(store, write_xlsx(form(1, jan), tmp_path / "jan.xlsx"), "hazard-stats")
    assert r_jan.notes[-1] == f"2024-01 {NINGBO}: January, the cumulative figures are the month's own"
    got = own(store, ["2024-01", "2024-02"])
    assert got["general_found"].to_dict() == {
        ("2024-01", "chemicals"): 150,
        ("2024-01", "coal_mine"): 12,
        ("2024-02", "chemicals"): 250,
        ("2024-02", "coal_mine"): 18,
    }


def test_the_national_forms_header_says_cumulative_even_under_one_month(tmp_path: Path) -> None:
    """统计期间：2024年3月 over the national form: its 累计落实隐患治理资金 says the figures run since January."""
    rows = [("煤矿", (10, 10, 45, 44, 1, 1, 1, 1, 0, 0, 0, 7.5))]
    raw = read_table(write_xlsx(form(3, rows, until="统计期间：2024年3月"), tmp_path / "f.xlsx"), HAZARD_STATS)
    assert (raw.meta["period"], raw.meta["cumulative"], raw.meta["cumulative_line"]) == (
        "2024-03",
        "累计",
        "累计落实隐 患治理资金",
    )


def test_monthly_figures_are_read_as_they_are(tmp_path: Path) -> None:
    """A form without the cumulative words (统计期间：2024年3月, 治理资金) is the month's own figures."""
    store = open_store(tmp_path / "s.duckdb")
    result = import_file(store, DATA / "hazard_monthly_report_changsha.xlsx", "hazard-stats")
    assert not any("cumulative" in n for n in result.notes)
    assert set(store.query("SELECT cumulative FROM hazard_stats")["cumulative"]) == {False}
    got = hazard_stats_rows(store, "430100", ["2024-03"]).set_index("industry")["general_found"]
    assert got.to_dict() == {
        "coal_mine": 340,
        "noncoal_mine": 1200,
        "chemicals": 2100,
        "fireworks": 400,
        "industry_trade": 5200,
    }


# ---------------------------------------------------------------- web exports


def test_the_ningbo_systems_html_export_is_read_as_a_table() -> None:
    """tests/data/hazard_form_ningbo_2024-03.xls: the form as the system serves it, GBK HTML under an .xls name
    (python-calamine: 'Cfb error'); read in the sandboxed child, the report says what it was."""
    path = DATA / "hazard_form_ningbo_2024-03.xls"
    assert path.read_bytes().startswith(b"<html")
    preview = preview_file(path, "hazard-stats")
    assert (preview.raw.web_format, preview.raw.encoding, preview.sheet) == ("html", "gb18030", "HTML")
    assert list(preview.raw.headers) == list(FORM_HEADERS)
    assert preview.normalized.notes[0] == (
        "the file is a web page table (HTML), not an Excel workbook (what web "
        "systems often serve as .xls): its table was read as sheet 'HTML' (gb18030)"
    )
    assert list_sheets(path) == ["HTML"]


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return run_in_process("loaders", *args)


@pytest.mark.parametrize("charset", ["utf-8", "gb2312"])
def test_an_html_xls_imports_from_the_command_line(tmp_path: Path, charset: str) -> None:
    path = write_html_xls(form(3), tmp_path / "月报表.xls", charset=charset)
    done = run_cli("import", "hazard-stats", str(path), "--db", str(tmp_path / "s.duckdb"), "--json")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert (out["new"], out["rejected"], out["sheet"]) == (7, 0, "HTML")
    enc = "utf-8" if charset == "utf-8" else "gb18030"
    assert out["notes"][0] == (
        "the file is a web page table (HTML), not an Excel workbook (what web systems often "
        f"serve as .xls): its table was read as sheet 'HTML' ({enc})"
    )


def mhtml(page: str, encoding: str = "utf-8", declared: str = "utf-8") -> bytes:
    """A page saved by a browser or Excel as one file: a MIME multipart, the page quoted-printable."""
    body = quopri.encodestring(page.encode(encoding)).decode("ascii")
    return (
        "MIME-Version: 1.0\r\nX-Document-Type: Workbook\r\n"
        'Content-Type: multipart/related; boundary="----=_NextPart_01DA"\r\n\r\n'
        "This document is a Single File Web Page, also known as a Web Archive file.\r\n\r\n"
        "------=_NextPart_01DA\r\nContent-Location: file:///C:/x/Book1.htm\r\n"
        'Content-Transfer-Encoding: quoted-printable\r\nContent-Type: text/html; charset="us-ascii"\r\n\r\n'
        '<html><frameset><frame src=3D"Book1_files/sheet001.htm"></frameset></html>\r\n\r\n'
        "------=_NextPart_01DA\r\nContent-Location: file:///C:/x/Book1_files/sheet001.htm\r\n"
        f'Content-Transfer-Encoding: quoted-printable\r\nContent-Type: text/html; charset="{declared}"\r\n\r\n'
        f"{body}\r\n------=_NextPart_01DA--\r\n"
    ).encode("ascii")


@pytest.mark.parametrize(
    ("encoding", "declared", "meta", "read_as"),
    [
        ("utf-8", "utf-8", "utf-8", "utf-8"),
        ("gbk", "us-ascii", "gb2312", "gb18030"),  # the part says us-ascii, the page's <meta> says what it is
    ],
)
def test_an_mhtml_xls_is_read_as_a_table(tmp_path: Path, encoding: str, declared: str, meta: str, read_as: str) -> None:
    from official_forms import html_page

    path = tmp_path / "月报表.xls"
    path.write_bytes(mhtml(html_page(form(3), meta), encoding, declared))
    raw = read_table(path, HAZARD_STATS)
    assert (raw.web_format, raw.sheet, raw.sheets, raw.encoding) == ("mhtml", "sheet001", ("sheet001",), read_as)
    assert raw.meta["region"] == "宁波市"
    assert raw.frame["industry"].tolist() == [
        "煤矿",
        "金属非金属矿山",
        "其他",
        "危险化学品",
        "烟花爆竹",
        "工贸",
        "城镇燃气",
    ]
    assert raw.frame["general_found"].tolist()[:4] == ["", "305", "", "3920"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b"<html><body><p>\xe6\x9a\x82\xe6\x97\xa0\xe6\x95\xb0\xe6\x8d\xae</p></body></html>",
            "error: 空表.xls is a web page (HTML) but has no table (expected a <table> with a header row)",
        ),
        (
            b"<html><table><tr><td>a</td><td>b</td></tr><tr><td>1</td><td>2</td></tr></table></html>",
            "error: 空表.xls (a web page table (HTML)): no header row found in the first 30 rows",
        ),
        (
            b'MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="b"\r\n\r\n--b\r\n'
            b"Content-Type: text/html\r\n\r\n<html>no table</html>\r\n--b--\r\n",
            "error: 空表.xls is a web page saved as one file (MHTML) but has no table",
        ),
    ],
)
def test_a_broken_web_export_exits_2_with_one_line(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "空表.xls"
    path.write_bytes(content)
    db = tmp_path / "never.duckdb"
    done = run_cli("import", "hazard-stats", str(path), "--db", str(db))
    assert done.returncode == 2 and done.stdout == ""
    assert len(done.stderr.splitlines()) == 1 and done.stderr.startswith(message), done.stderr
    assert not db.exists()


def test_hostile_html_stays_inert(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An entity that names a local file, scripts, remote images and a colspan of a billion: text is text,
    nothing is fetched or expanded, the span is cut to the HTML standard's 1,000 and then refused by width."""
    page = (
        '<!DOCTYPE html [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><html><head>'
        '<link rel="stylesheet" href="http://example.invalid/a.css"></head><body>'
        "<table><tr><th>企业名称</th><th>所在地区</th><th>行业领域</th><th>隐患级别</th><th>发现日期</th></tr>"
        '<tr><td>&xxe;某公司<script>document.write("x")</script></td><td>北仑区<img src="http://example.invalid/'
        'x.png"></td><td>危险化学品</td><td>一般</td><td>2024-03-02</td></tr></table></body></html>'
    )
    path = tmp_path / "h.xls"
    path.write_text(page, encoding="utf-8")
    raw = read_table(path, HAZARDS)
    assert raw.frame.iloc[0].tolist() == ["&xxe;某公司", "北仑区", "危险化学品", "一般", "2024-03-02"]
    wide = tmp_path / "wide.xls"
    wide.write_text('<table><tr><td colspan="1000000000">发生时间</td></tr></table>', encoding="utf-8")
    monkeypatch.setenv("SAFETY_MAX_COLUMNS", "500")
    with pytest.raises(
        ReadError,
        match=r"too large to read: wide\.xls: row 1 of a table has 1,000 columns; at most "
        r"500 are read \(SAFETY_MAX_COLUMNS\)",
    ):
        read_table(wide, HAZARDS)


def test_a_tab_separated_xls_is_read_as_text(tmp_path: Path) -> None:
    """导出Excel of some systems: GBK text with tabs under an .xls name (python-calamine: 'Cfb error')."""
    path = tmp_path / "隐患台账.xls"
    path.write_bytes(
        "企业名称\t所在地区\t行业领域\t隐患级别\t发现日期\n某化工有限公司\t北仑区\t危险化学品\t一般\t2024-03-02\n".encode(
            "gbk"
        )
    )
    assert list_sheets(path) == []
    store = open_store(tmp_path / "s.duckdb")
    result = import_file(store, path, "hazards")
    assert (result.new, result.rejected, result.sheet) == (1, 0, None)
    assert result.notes[0] == (
        "the file is a text table (CSV or tab-separated), not an Excel workbook (what web "
        "systems often serve as .xls): read as CSV (gb18030)"
    )


def test_an_excel_2003_xml_spreadsheet_is_refused_with_what_to_do(tmp_path: Path) -> None:
    path = tmp_path / "book.xls"
    path.write_text(
        '<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n<Workbook xmlns="urn:schemas-'
        'microsoft-com:office:spreadsheet"><Worksheet ss:Name="Sheet1"/></Workbook>',
        encoding="utf-8",
    )
    with pytest.raises(
        ReadError,
        match=r"^book\.xls is an Excel 2003 XML spreadsheet \(SpreadsheetML\), which cannot "
        r"be read \(expected \.xlsx, \.xls or \.csv: open it in Excel or WPS and save "
        r"it as \.xlsx\)$",
    ) as exc:
        read_table(path, HAZARDS)
    assert exc.value.zh.startswith("book.xls 是 Excel 2003 XML 电子表格（SpreadsheetML），无法读取")


def test_a_years_form_is_not_flagged_cumulative(tmp_path: Path) -> None:
    """统计期间：2024年度 over the national form (its header says 累计): a year is a year, nothing to difference."""
    store = open_store(tmp_path / "s.duckdb")
    rows = [("煤矿", (10, 10, 45, 44, 1, 1, 1, 1, 0, 0, 0, 7.5))]
    result = import_file(
        store, write_xlsx(form(3, rows, until="统计期间：2024年度"), tmp_path / "f.xlsx"), "hazard-stats"
    )
    assert (result.new, result.rejected) == (1, 0)
    assert store.query("SELECT period, period_kind, cumulative FROM hazard_stats").values.tolist() == [
        ["2024", "year", False]
    ]
    assert not any("cumulative" in n for n in result.notes)


def test_a_store_made_before_the_forms_gets_their_columns(tmp_path: Path) -> None:
    """hazard_stats as it was declared before (no units_due, major_supervised_city, cumulative): opening the store
    adds them, and a cumulative form imports into it."""
    import duckdb

    from store.tables import DDL

    db = tmp_path / "old.duckdb"
    old = DDL["hazard_stats"].replace(
        "    units_due INTEGER,\n    major_supervised_city INTEGER,\n    cumulative BOOLEAN,\n", ""
    )
    assert old != DDL["hazard_stats"]
    with duckdb.connect(str(db)) as con:
        con.execute(old)
    store = open_store(db)
    store.ensure_schema()
    result = import_file(store, write_xlsx(form(3), tmp_path / "f.xlsx"), "hazard-stats")
    assert (result.new, result.rejected) == (7, 0)
    assert store.query("SELECT count(*) AS n FROM hazard_stats WHERE cumulative AND units_due IS NOT NULL")["n"][0] == 7
