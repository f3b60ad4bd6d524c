"""The command line's import options and the `unknown` command (python -m loaders)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from loaders import cli
from loaders.importer import import_file
from loaders.read_errors import ReadError
from store import open_store
from store.accounts_queries import audit_frame

DATA = Path(__file__).parent / "data"

COUNTY = (
    "事故编号,发生时间,地区,行业领域,事故单位,遇难人数,损失金额（元）,备注\n"
    "M-1,2024-05-06 10:00,长沙市岳麓区,工贸,甲公司,2,50000,\n"
    "M-2,2024-05-07,长沙市天心区,建筑施工,乙公司,0,1200000,核实中\n"
    "M-3,2024-05-08,长沙市,道路运输,丙公司,3,,\n"
)
LEDGER = (
    "隐患编号,企业名称,地区,行业,隐患级别,发现日期,整改期限,整改完成日期,验收日期,整改状态\n"
    "Q-1,甲,长沙市,1.煤矿企业,重大,2024-03-02,2024-03-20,2024-03-10,2024-03-12,关闭\n"
    "Q-2,乙,长沙市,冶金、有色,重大,2024-03-02,2024-03-20,2024-03-10,2024-03-12,已关闭\n"
    "Q-3,丙,火星市,工贸,一般,2024-03-02,2024-03-20,2024-03-10,,乱写\n"
    "Q-4,丁,长沙市,水利,一般,2024-03-02,2024-03-20,2024-03-10,2024-03-12,乱写\n"
    "Q-5,戊,长沙市,工贸,一般,昨天,2024-03-20,2024-03-10,,整改中\n"
    "Q-6,己,火星市,工贸,重大,2024-03-02,2024-03-20,2024-03-10,,已处理\n"
    "Q-7,庚,火星市,工贸,重大,2024-03-02,2024-03-20,2024-03-10,,已处理\n"
)
# A ledger of one industry and one grade: neither is a column.
MAJOR_COAL = (
    "隐患编号,企业名称,地区,发现日期,整改状态\n"
    "C-1,甲煤矿,浏阳市,2024-03-02,未整改\n"
    "C-2,乙煤矿,浏阳市,2024-03-05,已复查\n"
)


def write(tmp_path: Path, name: str, text: str) -> Path:
    f = tmp_path / name
    f.write_text(text, encoding="utf-8")
    return f


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


# ---------------------------------------------------------------- --map and --save-mapping


def test_map_and_save_mapping_then_use_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = write(tmp_path, "county.csv", COUNTY)
    db = str(tmp_path / "m.duckdb")
    code, out, err = run(
        capsys,
        "import",
        "accidents",
        str(f),
        "--db",
        db,
        "--map",
        "遇难人数=deaths",
        "--map",
        "损失金额（元）=直接经济损失",
        "--map",
        "备注=",
        "--save-mapping",
        "县里的表",
    )
    assert code == 0, err
    assert out.splitlines()[0] == "read 3 rows: 3 new, 0 updated, 0 unchanged, 0 rejected; 0 skipped"
    assert "  mapping saved as '县里的表' for accidents (use it with --mapping)" in out.splitlines()
    store = open_store(db)
    assert store.mappings("accidents")["县里的表"] == {
        "事故编号": "accident_id",
        "发生时间": "occurred_at",
        "地区": "region",
        "行业领域": "industry",
        "事故单位": "enterprise",
        "遇难人数": "deaths",
        "损失金额（元）": "direct_loss_wan",
        "备注": None,
    }
    acc = store.table("accidents").set_index("accident_id")
    assert acc["deaths"].to_dict() == {"M-1": 2, "M-2": 0, "M-3": 3}
    assert acc["direct_loss_wan"].to_dict()["M-2"] == 120.0  # 元 → 万元
    saved = audit_frame(store, actions=["mapping_save"])
    assert saved[["target", "detail"]].values.tolist() == [["accidents:县里的表", "8 columns"]]
    # the saved mapping, by name, reads the next file: all unchanged
    code, out, _ = run(capsys, "import", "accidents", str(f), "--db", db, "--mapping", "县里的表")
    assert code == 0
    assert out.splitlines()[0] == "read 3 rows: 0 new, 0 updated, 3 unchanged, 0 rejected; 0 skipped"


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ("遇难人数", "error: --map '遇难人数': expected 'FILE HEADER=column', e.g. '死亡（失踪）人数=deaths'"),
        ("=deaths", "error: --map '=deaths': expected 'FILE HEADER=column', e.g. '死亡（失踪）人数=deaths'"),
        (
            "遇难人数=deaths",
            "error: --save-mapping: a saved mapping needs a name (expected e.g. --save-mapping 长沙市月报表)",
        ),
        (
            "遇难人数=遇难",
            "error: --map '遇难人数=遇难': '遇难' is not a column of accidents (expected one of accident_id, "
            "occurred_at, region, industry, enterprise, deaths, missing, serious_injuries, injuries, "
            "direct_loss_wan, accident_type, grade_reported, summary, longitude, latitude, "
            "or nothing after = for not imported)",
        ),
    ],
)
def test_a_bad_map_exits_2_before_anything(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], option: str, message: str
) -> None:
    f = write(tmp_path, "county.csv", COUNTY)
    db = tmp_path / "m.duckdb"
    code, _, err = run(capsys, "import", "accidents", str(f), "--db", str(db), "--map", option, "--save-mapping", " ")
    assert (code, err.strip()) == (2, message)
    assert not db.exists()


def test_two_headers_mapped_to_one_column_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = write(tmp_path, "county.csv", COUNTY)
    code, _, err = run(
        capsys,
        "import",
        "accidents",
        str(f),
        "--db",
        str(tmp_path / "m.duckdb"),
        "--map",
        "遇难人数=deaths",
        "--map",
        "事故单位=deaths",
        "--save-mapping",
        "x",
    )
    assert code == 2 and "are mapped to the same column deaths" in err
    assert len(err.strip().splitlines()) == 1


# ---------------------------------------------------------------- --industry and --grade


def test_industry_and_grade_for_a_ledger_of_one(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = write(tmp_path, "major_coal.csv", MAJOR_COAL)
    db = str(tmp_path / "g.duckdb")
    code, _, err = run(capsys, "import", "hazards", str(f), "--db", db)
    assert code == 2 and "required column missing: 行业领域" in err
    code, out, err = run(
        capsys, "import", "hazards", str(f), "--db", db, "--industry", "1.煤矿企业", "--grade", "重大事故隐患"
    )
    assert code == 0, err
    assert "  note: 行业领域 '1.煤矿企业' taken from the file's title rows or the command line" in out.splitlines()
    hz = open_store(db).table("hazards").set_index("hazard_id")
    assert hz[["industry", "grade", "status", "region_code"]].to_dict("index") == {
        "C-1": {"industry": "coal_mine", "grade": "major", "status": "found", "region_code": "430181"},
        "C-2": {"industry": "coal_mine", "grade": "major", "status": "closed", "region_code": "430181"},
    }


@pytest.mark.parametrize(
    ("kind", "option", "message"),
    [
        (
            "hazards",
            ["--industry", "水利"],
            "error: --industry: '水利' is not a known industry (expected one of 煤矿、",
        ),
        (
            "hazards",
            ["--industry", "煤矿、非煤矿山"],
            "error: --industry: '煤矿、非煤矿山' names 2 industries (煤矿、金属非金属矿山)",
        ),
        ("hazards", ["--grade", "特大"], "error: --grade: '特大' is not a hazard grade (expected 一般 or 重大)"),
        ("accidents", ["--grade", "较大"], "error: --grade: accidents have no grade column"),
        ("targets", ["--industry", "煤矿"], "error: --industry: targets have no industry column"),
    ],
)
def test_a_bad_industry_or_grade_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str, option: list[str], message: str
) -> None:
    f = write(tmp_path, "major_coal.csv", MAJOR_COAL)
    db = tmp_path / "g.duckdb"
    code, _, err = run(capsys, "import", kind, str(f), "--db", str(db), *option)
    assert code == 2 and err.startswith(message), err
    assert len(err.strip().splitlines()) == 1 and not db.exists()


# ---------------------------------------------------------------- the result: rejects by reason, exit 1


def test_json_rejects_by_reason(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = write(tmp_path, "ledger.csv", LEDGER)
    code, out, err = run(capsys, "import", "hazards", str(f), "--db", str(tmp_path / "j.duckdb"), "--json")
    assert code == 0, err
    payload = json.loads(out)
    assert (payload["rows_read"], payload["new"], payload["rejected"]) == (7, 2, 5)
    region = (
        "column 地区: '…' is not a known region (expected a full name such as 湖南省长沙市岳麓区, a short name "
        "such as 湖南, or a six-digit code)"
    )
    status = (
        "column 整改状态: '…' is not a hazard status (expected 未整改, 整改中, 已整改, 已验收, 已销号 or 验收不通过)"
    )
    assert [(g["column"], g["reason"], g["count"], g["examples"]) for g in payload["rejects"][:2]] == [
        (
            "地区",
            region,
            3,
            [{"row": 4, "value": "火星市"}, {"row": 7, "value": "火星市"}, {"row": 8, "value": "火星市"}],
        ),
        ("整改状态", status, 2, [{"row": 4, "value": "乱写"}, {"row": 5, "value": "乱写"}]),
    ]
    assert [(g["column"], g["count"], g["examples"]) for g in payload["rejects"][2:]] == [
        ("行业", 1, [{"row": 5, "value": "水利"}]),
        ("发现日期", 1, [{"row": 6, "value": "昨天"}]),
    ]
    assert payload["rejects"][1]["reason_zh"] == (
        "“整改状态”列：“…”不是有效的整改状态（应为 未整改、整改中、已整改、已验收、已销号或验收不通过）"
    )


@pytest.mark.parametrize(
    ("message", "value", "reason", "reason_zh"),
    [
        (
            "column 整改完成日期: 2024-03-01 is before 发现日期 2024-03-02 (rectified before it was found is impossible)",
            "2024-03-01",
            "column 整改完成日期: … is before 发现日期 … (rectified before it was found is impossible)",
            "“整改完成日期”列：… 早于“发现日期” …（不可能在发现之前完成整改）",
        ),
        (
            "column 发现日期: '昨天' is not a date (expected e.g. 2024-05-06, 2024/5/6, 2024.05.06, 2024年5月6日 or an Excel "
            "date)",
            "昨天",  # the dates of the examples stay
            "column 发现日期: '…' is not a date (expected e.g. 2024-05-06, 2024/5/6, 2024.05.06, 2024年5月6日 or an Excel date)",
            "“发现日期”列：“…”不是日期（应为 2024-05-06、2024/5/6、2024.05.06、2024年5月6日 等格式或 Excel 日期）",
        ),
        (
            "column 隐患编号: the same id as row 5 of this file ('Q-2'); only the first is kept",
            "Q-2",
            "column 隐患编号: the same id as row … of this file ('…'); only the first is kept",
            "“隐患编号”列：与本文件第 … 行编号相同（“…”）；只保留第一行",
        ),
        (
            "column 经度: 150.5 is outside China (expected 73–136)",
            "150.5",
            "column 经度: … is outside China (expected 73–136)",
            "“经度”列：… 不在中国境内（应在 73–136 之间）",
        ),
        (
            "column 行业领域: is empty (a value is required)",
            None,
            "column 行业领域: is empty (a value is required)",
            "“行业领域”列：为空（此列必填）",
        ),
    ],
)
def test_a_reason_without_what_is_the_rows_own(message: str, value: str | None, reason: str, reason_zh: str) -> None:
    from loaders.normalize import _reason_key

    assert _reason_key(message, value) == (reason, reason_zh)


def test_text_lists_each_reason_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = write(tmp_path, "ledger.csv", LEDGER)
    code, out, _ = run(capsys, "import", "hazards", str(f), "--db", str(tmp_path / "t.duckdb"))
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "read 7 rows: 2 new, 0 updated, 0 unchanged, 5 rejected; 0 skipped"
    assert (
        "  rejected 3 × column 地区: '…' is not a known region (expected a full name such as 湖南省长沙市岳麓区, "
        "a short name such as 湖南, or a six-digit code) — row 4 ('火星市'), row 7 ('火星市'), row 8 ('火星市')"
    ) in lines
    assert sum(line.startswith("  rejected ") and " × " in line for line in lines) == 4


def test_no_row_accepted_exits_1_and_is_still_recorded(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = write(tmp_path, "bad.csv", LEDGER.replace("长沙市", "火星市"))
    db = str(tmp_path / "b.duckdb")
    code, out, err = run(capsys, "import", "hazards", str(f), "--db", db)
    assert code == 1
    assert out.splitlines()[0] == "read 7 rows: 0 new, 0 updated, 0 unchanged, 7 rejected; 0 skipped"
    import_id = open_store(db).status()["last_imports"][0]["import_id"]
    assert err.strip() == (
        f"error: no row accepted: 7 rows read, 7 rejected, 0 skipped; nothing was added (the "
        f"reasons: --json, or python -m loaders rejects --import-id {import_id} --out FILE.csv)"
    )
    store = open_store(db)
    assert store.table("hazards").empty and len(store.rejects(import_id)) == 7
    assert audit_frame(store, actions=["import"])["target"].tolist() == [import_id]
    code, out, _ = run(capsys, "import", "hazards", str(f), "--db", db, "--json")
    assert code == 1 and json.loads(out)["rejects"][0]["count"] == 7


def test_a_file_of_no_rows_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = write(tmp_path, "header_only.csv", LEDGER.splitlines()[0] + "\n")
    code, out, _ = run(capsys, "import", "hazards", str(f), "--db", str(tmp_path / "e.duckdb"))
    assert code == 1
    assert out.splitlines()[0] == "read 0 rows: 0 new, 0 updated, 0 unchanged, 0 rejected; 0 skipped"


# ---------------------------------------------------------------- unknown FILE --kind


def test_unknown_lists_values_per_column(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = write(tmp_path, "ledger.csv", LEDGER)
    code, out, err = run(capsys, "unknown", str(f), "--kind", "hazards", "--json")
    assert code == 1, err
    payload = json.loads(out)
    assert (payload["rows_read"], payload["header_row"]) == (7, 1)
    assert [(u["column"], u["value"], u["count"], u["rows"]) for u in payload["unknown"]] == [
        ("地区", "火星市", 3, [4, 7, 8]),
        ("行业", "水利", 1, [5]),
        ("发现日期", "昨天", 1, [6]),
        ("整改状态", "乱写", 2, [4, 5]),
    ]
    assert payload["unknown"][3]["message"] == (
        "'乱写' is not a hazard status (expected 未整改, 整改中, 已整改, 已验收, 已销号 or 验收不通过)"
    )
    assert (
        payload["unknown"][3]["message_zh"]
        == "“乱写”不是有效的整改状态（应为 未整改、整改中、已整改、已验收、已销号或验收不通过）"
    )
    code, out, _ = run(capsys, "unknown", str(f), "--kind", "hazards")
    assert code == 1
    assert out.splitlines()[:3] == [
        "ledger.csv (header on row 1, 7 rows): 4 unknown values",
        "  地区 (region):",
        "    '火星市'  3 rows: 4, 7, 8  — '火星市' is not a known region (expected a full name such as 湖南省长沙市岳麓区, "
        "a short name such as 湖南, or a six-digit code)",
    ]


def test_unknown_with_a_map_and_nothing_left(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    clean = (
        "\n".join(
            line for line in LEDGER.splitlines() if "火星市" not in line and "乱写" not in line and "昨天" not in line
        )
        + "\n"
    )
    f = write(tmp_path, "clean.csv", clean.replace("隐患级别", "隐患分级"))
    code, out, err = run(capsys, "unknown", str(f), "--kind", "hazards", "--map", "隐患分级=grade")
    assert (code, out.strip()) == (0, "clean.csv (header on row 1, 2 rows): no unknown values"), err


def test_unknown_shows_many_rows_in_part(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = [LEDGER.splitlines()[0]] + [f"X-{i},甲,长沙市,工贸,一般,2024-03-02,,,,关掉了" for i in range(14)]
    f = write(tmp_path, "many.csv", "\n".join(lines) + "\n")
    code, out, _ = run(capsys, "unknown", str(f), "--kind", "hazards")
    assert code == 1
    assert "    '关掉了'  14 rows: 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 …  — '关掉了' is not a hazard status" in out


def test_unknown_of_an_unreadable_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "unknown", str(DATA / "empty.csv"), "--kind", "hazards")
    assert (code, out) == (2, "")
    assert "is empty" in err and len(err.strip().splitlines()) == 1


# ---------------------------------------------------------------- the title's 填报单位: one message for the file

REPORT = "行业领域,一般隐患排查数,一般隐患已整改数,重大隐患排查数,重大隐患已整改数\n工贸,10,9,1,1\n煤矿,4,4,0,0\n"


def test_an_old_forms_agency_gives_its_region(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = write(
        tmp_path,
        "ningbo.csv",
        "隐患排查治理情况统计表\n填报单位：宁波市安全生产监督管理局（盖章）,,2016年3月\n" + REPORT,
    )
    db = str(tmp_path / "n.duckdb")
    code, _, err = run(capsys, "import", "hazard-stats", str(f), "--db", db)
    assert code == 0, err
    assert sorted(open_store(db).table("hazard_stats")["stat_id"]) == [
        "HS-330200-2016-03-coal_mine",
        "HS-330200-2016-03-industry_trade",
    ]


def test_an_unknown_title_region_is_one_error_for_the_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = write(tmp_path, "mars.csv", "隐患排查治理情况统计表\n填报单位：火星市应急管理局,,2024年3月\n" + REPORT)
    message = (
        "填报单位 '火星市' from the file's title rows or the import's options: '火星市' is not a known region "
        "(expected a full name such as 湖南省长沙市岳麓区, a short name such as 湖南, or a six-digit code); "
        "nothing imported (correct the title, or give the region on import)"
    )
    with pytest.raises(ReadError, match=r"^填报单位 '火星市' from the file's title rows") as caught:
        import_file(lambda: open_store(tmp_path / "x.duckdb"), f, "hazard-stats")
    assert str(caught.value) == message
    assert caught.value.zh == (
        "填报单位“火星市”（取自文件标题行或导入时指定的值）：“火星市”不是已知的地区（应为全称如 湖南省长沙市岳麓区、"
        "简称如 湖南，或六位区划代码）；文件未导入（请改正标题行，或在导入时指定填报单位）"
    )
    assert not (tmp_path / "x.duckdb").exists()
    code, _, err = run(capsys, "import", "hazard-stats", str(f), "--db", str(tmp_path / "y.duckdb"))
    assert (code, err.strip()) == (2, f"error: {message}")
    # `unknown` lists it once, for every row, and --region puts it right
    code, out, _ = run(capsys, "unknown", str(f), "--kind", "hazard-stats", "--json")
    assert code == 1
    assert [(u["column"], u["value"], u["count"], u["rows"]) for u in json.loads(out)["unknown"]] == [
        ("填报单位 (title rows / option: 火星市)", "火星市", 2, [])
    ]
    code, out, _ = run(capsys, "unknown", str(f), "--kind", "hazard-stats", "--region", "宁波市")
    assert code == 0, out
