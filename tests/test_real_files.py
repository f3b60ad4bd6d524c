"""The corpus of real files (tests/data/real, sources in its README.md): one case per file, each stating
what must happen when a bureau imports it with the command line — rows accepted with specific values,
or a refusal with a specific message. A case that today's importer does not meet yet is marked
``xfail(strict=True)`` with the item of issue 13 that makes it pass: when that item lands the case
passes, the strict mark fails, and the mark goes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from store import open_store

ROOT = Path(__file__).resolve().parent.parent
REAL = Path(__file__).parent / "data" / "real"


@dataclass(frozen=True)
class Outcome:
    """What one ``python -m loaders import … --json`` did."""

    code: int
    stdout: str
    stderr: str
    db: Path

    def result(self) -> dict:
        assert self.code == 0, self.stderr
        return json.loads(self.stdout)

    def query(self, sql: str) -> pd.DataFrame:
        return open_store(self.db).query(sql)

    def refusal(self) -> str:
        """The one line of a refused file (exit 2, nothing written)."""
        assert self.code == 2, (self.code, self.stdout, self.stderr)
        lines = self.stderr.strip().splitlines()
        assert len(lines) == 1, self.stderr
        assert not self.db.exists()
        return lines[0]


@dataclass(frozen=True)
class Case:
    file: str
    kind: str
    args: tuple[str, ...]
    check: Callable[[Outcome], None]
    xfail: str | None = None  # "issue 13 item N: what" while today's importer falls short


def _import(path: Path, kind: str, args: tuple[str, ...], db: Path) -> Outcome:
    """``python -m loaders import … --json`` as a user runs it (its own code, standard output and error), in
    this process: the command's ``main``, without starting an interpreter per file."""
    from loaders import cli

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(["import", kind, str(path), "--db", str(db), "--json", *args])
    return Outcome(code, out.getvalue(), err.getvalue(), db)


# --- the checks, one per case ------------------------------------------------------------------------------


def export_without_industry_is_refused_naming_it(out: Outcome) -> None:
    # A project's ledger has no industry column: the importer must say so (and not guess one).
    assert "行业领域" in out.refusal()


def export_all_closed(out: Outcome) -> None:
    result = out.result()
    assert (result["new"], result["rejected"]) == (57, 0)
    hazards = out.query("SELECT * FROM hazards")
    assert len(hazards) == 57
    assert set(hazards["status"]) == {"closed"}  # 关闭 on every row: none of them open or overdue
    assert set(hazards["region_code"]) == {"420581"}
    assert set(hazards["industry"]) == {"construction"}
    assert hazards["grade"].value_counts().to_dict() == {"general": 56, "major": 1}
    assert (hazards["enterprise"] == "中国化学工程第十六建设有限公司").sum() == 28
    # 检查时间 is when the hazard was found: the first row was found on 2020-05-24, the last on 2020-04-25.
    found = pd.to_datetime(hazards["found_date"]).dt.date
    assert (found.min(), found.max()) == (dt.date(2020, 4, 25), dt.date(2020, 5, 24))


def ledger_all_closed_one_impossible_deadline(out: Outcome) -> None:
    result = out.result()
    assert (result["new"], result["rejected"]) == (97, 1)  # the 说明： lines and the empty row 99 are not rows
    hazards = out.query("SELECT * FROM hazards")
    assert set(hazards["status"]) == {"closed"}
    assert set(hazards["region_code"]) == {"420581"}
    assert hazards["grade"].value_counts().to_dict() == {"general": 96, "major": 1}
    rejects = out.query("SELECT row_number, reason FROM rejects")
    assert rejects["row_number"].tolist() == [17]  # found 2020-04-30, deadline 2020-03-28: a real slip of the pen
    assert "整改期限" in rejects["reason"].iloc[0]


def _stats(out: Outcome) -> pd.DataFrame:
    result = out.result()
    assert result["rejected"] == 0
    return out.query("SELECT * FROM hazard_stats")


def mine_form_as_laid_out(out: Outcome) -> None:
    stats = _stats(out)
    assert set(stats["region_code"]) == {"330200"}  # 填报单位：宁波市安全生产监督管理局
    assert set(stats["period"]) == {"2012-05"}
    # The 合计 row is not a row, and the (1)/(2) breakdown of 危险化学品 is not counted twice.
    assert stats["general_found"].sum() == 54919
    assert stats["major_found"].sum() == 25
    chem = stats[stats["industry"] == "chemicals"]
    assert len(chem) == 1
    assert chem.iloc[0][
        ["general_found", "general_rectified", "major_found", "major_supervised", "major_supervised_province"]
    ].tolist() == [5130, 4987, 6, 3, 1]
    assert chem.iloc[0]["funds_wan"] == pytest.approx(1260.0)
    coal = stats[stats["industry"] == "coal_mine"]  # the blank 1.煤矿企业 row of an aggregate form: zeros
    assert coal[["general_found", "major_found"]].values.tolist() == [[0, 0]]
    assert stats[stats["industry"] == "industry_trade"]["general_found"].tolist() == [866]  # 6.冶金、有色企业


def other_form_as_laid_out(out: Outcome) -> None:
    stats = _stats(out)
    assert set(stats["region_code"]) == {"330200"}
    assert set(stats["period"]) == {"2012-05"}
    assert stats["general_found"].sum() == 27532  # the 合计 of the fifteen rows: nothing dropped, nothing twice
    assert stats["major_found"].sum() == 11
    assert stats[stats["industry"] == "road_transport"]["general_found"].sum() == 2316  # 1.道路运输企业
    # 7.建筑施工企业 9870 and 2.公路养护施工企业 57 are both 建筑施工 (domain/industries.py): summed, and the report says so
    assert stats[stats["industry"] == "construction"]["general_found"].tolist() == [9870 + 57]
    assert any("2.公路养护施工企业, 7.建筑施工企业" in n for n in out.result()["notes"])


def html_export_read_but_month_is_no_found_day(out: Outcome) -> None:
    # 重大隐患.xls is an HTML page: it must be read as a table (地区, 行业与领域, 单位名称 understood), and its
    # 时间 column (the report month, 2012-05) never becomes a found day: the file is refused naming 发现日期,
    # or every row is rejected naming the month.
    if out.code == 2:
        line = out.refusal()
        assert "发现日期" in line
        for understood in ("Calamine", "Cfb", "所在地区", "行业领域", "企业名称", "隐患级别"):
            assert understood not in line, line
    else:
        assert out.code == 1, (out.code, out.stderr)  # read, but no row accepted
        result = json.loads(out.stdout)
        assert (result["new"], result["rejected"]) == (0, 10)


def county_table_reads_the_month_totals(out: Outcome) -> None:
    # 区域 × (工矿企业 / 道路交通 / … / 合计) × (事故起数 …) × (当月 / 累计): the month's all-industry figures are
    # the 合计 group's 当月 cells. Never one group's cell, never 当月 + 累计 added; or a refusal naming 累计.
    if out.code == 2:
        assert "累计" in out.refusal()
        return
    result = out.result()
    assert result["rejected"] == 0
    rows = out.query(
        "SELECT region_code, accidents, deaths FROM accident_stats WHERE industry IS NULL "
        "AND period = '2012-05' ORDER BY region_code"
    )
    assert rows.values.tolist() == [["330302", 4, 3], ["330303", 3, 3], ["330304", 2, 2], ["330382", 6, 9]]


def national_partial_year_kept(out: Outcome) -> None:
    result = out.result()
    assert (result["new"], result["rejected"]) == (2, 0)
    rows = (
        out.query(
            "SELECT period, region_code, accidents, deaths, larger_accidents, major_accidents "
            "FROM accident_stats ORDER BY period"
        )
        .astype(object)
        .where(lambda f: f.notna(), None)
    )
    assert rows.values.tolist() == [
        ["2017", "100000", 53000, 38000, 613, 25],
        ["2018", "100000", None, 34046, None, 19],
    ]  # 2018's count was not released


def hse_monthly_is_not_a_statistics_table(out: Outcome) -> None:
    # An enterprise's HSE month report (man-hours, LTI, drills) is refused: it has no region.
    assert "地区" in out.refusal()


def intake_list_without_casualties_is_refused(out: Outcome) -> None:
    # A list of accident reports received (类型, 单位, 报告单位, 接报时间, 状态) says nothing of deaths: it must be
    # refused naming 死亡人数, never imported with 0 deaths.
    assert "死亡人数" in out.refusal()


def enterprise_casualty_template_gets_nothing_in(out: Outcome) -> None:
    # An enterprise's casualty-cause report (填报单位 is the company, rows are injury causes): nothing is accepted.
    assert out.code in (1, 2), (out.code, out.stdout)
    if out.code == 2:
        out.refusal()
    else:
        assert json.loads(out.stdout)["new"] == 0


CASES: dict[str, Case] = {
    "wuhuan-export-no-industry": Case(
        "wuhuan_hazard_export_2020-05.xlsx",
        "hazards",
        ("--region", "420581"),
        export_without_industry_is_refused_naming_it,
    ),
    "wuhuan-export": Case(
        "wuhuan_hazard_export_2020-05.xlsx",
        "hazards",
        ("--region", "420581", "--industry", "建筑施工", "--map", "责任单位=enterprise"),
        export_all_closed,
    ),
    "wuhuan-ledger": Case(
        "wuhuan_hazard_ledger_2020-05.xlsx",
        "hazards",
        ("--region", "420581", "--industry", "建筑施工", "--map", "责任单位=enterprise"),
        ledger_all_closed_one_impossible_deadline,
    ),
    "ningbo-mine-form": Case(
        "ningbo_mine_form_2012-05.xlsx", "hazard-stats", ("--period", "2012-05"), mine_form_as_laid_out
    ),
    "ningbo-other-form": Case(
        "ningbo_other_form_2012-05.xlsx", "hazard-stats", ("--period", "2012-05"), other_form_as_laid_out
    ),
    "ningbo-major-hazards-html": Case(
        "ningbo_major_hazards_html.xls",
        "hazards",
        ("--region", "330200", "--grade", "重大"),
        html_export_read_but_month_is_no_found_day,
    ),
    "wenzhou-county-accidents": Case(
        "wenzhou_accident_stats_2012-05.xlsx",
        "accident-stats",
        ("--period", "2012-05"),
        county_table_reads_the_month_totals,
    ),
    "national-2017-2018": Case("national_yearly_2017_2018.csv", "accident-stats", (), national_partial_year_kept),
    "donghua-hse-monthly": Case(
        "donghua_hse_monthly_2017.xlsx", "accident-stats", (), hse_monthly_is_not_a_statistics_table
    ),
    "subhsse-casualty-template": Case(
        "subhsse_casualty_template.xls", "accident-stats", (), enterprise_casualty_template_gets_nothing_in
    ),
    "hangzhou-accident-intake": Case(
        "hangzhou_accident_intake_2008-11.xlsx", "accidents", (), intake_list_without_casualties_is_refused
    ),
}


def _param(name: str, case: Case) -> object:
    marks = [pytest.mark.xfail(strict=True, reason=case.xfail)] if case.xfail else []
    return pytest.param(case, id=name, marks=marks)


@pytest.mark.parametrize("case", [_param(name, case) for name, case in CASES.items()])
def test_real_file(case: Case, tmp_path: Path) -> None:
    case.check(_import(REAL / case.file, case.kind, case.args, tmp_path / "real.duckdb"))


def test_every_file_of_the_corpus_has_a_case_and_a_source() -> None:
    files = {p.name for p in REAL.iterdir() if p.suffix in (".xlsx", ".xls", ".csv")}
    assert files == {case.file for case in CASES.values()}
    readme = (REAL / "README.md").read_text(encoding="utf-8")
    for name in files:
        assert f"`{name}`" in readme, name
    for path in REAL.iterdir():
        assert path.stat().st_size < 300_000, path.name
