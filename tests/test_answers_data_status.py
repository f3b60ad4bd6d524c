"""answers.data_status (what the Data page shows, computed without Streamlit) and reports.hazard_tables,
on hand-made frames and a small store, with hand-computed results."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest
from storecheck import write

from accounts import service as access
from answers import data_status as ds
from loaders.importer import import_file
from reports import hazard_tables as ht
from store import open_store


def _rejects(rows: list[tuple[int, str, str, dict]]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"row_number": n, "columns": c, "reason": r, "original": json.dumps(o, ensure_ascii=False)}
            for n, c, r, o in rows
        ]
    )


REJECTS = _rejects(
    [
        *[(n, "deaths", f"deaths: not a number 'x{n}'", {"死亡人数": f"x{n}"}) for n in range(2, 11)],
        (11, "occurred_at", "occurred_at: not a date '昨天'", {"发生时间": "昨天"}),
    ]
)


def test_rejects_grouped_by_the_columns_at_fault() -> None:
    """Most rows first; the first row's reason; at most eight row numbers."""
    got = ds.grouped_reasons(REJECTS, "en")
    assert list(got.columns) == ["Columns", "Rows", "Example", "Row numbers"]
    assert got.values.tolist() == [
        ["deaths", 9, "deaths: not a number 'x2'", "2, 3, 4, 5, 6, 7, 8, 9 …"],
        ["occurred_at", 1, "occurred_at: not a date '昨天'", "11"],
    ]
    assert list(ds.grouped_reasons(REJECTS, "zh").columns) == ["问题列", "行数", "示例", "行号"]
    assert ds.grouped_reasons(REJECTS.head(0), "en").empty


def test_rejected_rows_with_their_original_values() -> None:
    got = ds.originals(REJECTS, "en", limit=3)
    assert got.to_dict("list") == {
        "Row": [2, 3, 4],
        "Reason": ["deaths: not a number 'x2'", "deaths: not a number 'x3'", "deaths: not a number 'x4'"],
        "死亡人数": ["x2", "x3", "x4"],
    }
    assert ds.originals(REJECTS.tail(1), "en")["发生时间"].tolist() == ["昨天"]


@pytest.mark.parametrize(
    ("codes", "expected"),
    [
        (["430104", "430200", None, "430104", "430100"], ["430200"]),
        (["430104", "430100"], []),
        ([None], []),
    ],
)
def test_rows_outside_the_accounts_region(codes, expected) -> None:
    accepted = pd.DataFrame({"region_code": codes})
    assert ds.outside(accepted, lambda c: c.startswith("4301")) == expected
    assert ds.outside(pd.DataFrame({"x": [1]}), lambda c: False) == []  # a kind without regions


def test_the_overview_of_the_store() -> None:
    status = {
        "accidents": {"rows": 1234, "dates": {"from": "2023-01-02", "to": "2024-12-30"}, "regions": 12},
        "hazards": {"rows": 0, "dates": {"from": None, "to": None}, "regions": 0},
        "accident_stats": {"rows": 40, "periods": {"from": "2023-01", "to": "2023-12"}, "regions": 3},
        "hazard_stats": {"rows": 5, "periods": {"from": "2024-03", "to": "2024-03"}, "regions": 1},
    }
    metrics, spans = ds.overview(status, "en")
    assert metrics == [
        ("Accident records", "1,234"),
        ("Hazard records", "0"),
        ("Accident statistics rows", "40"),
        ("Hazard report rows", "5"),
    ]
    assert spans.values.tolist() == [
        ["Accident records", "2023-01-02", "2024-12-30", 12],
        ["Hazard records", "—", "—", 0],
        ["Accident statistics rows", "2023-01", "2023-12", 3],
        ["Hazard report rows", "2024-03", "2024-03", 1],
    ]
    assert list(spans.columns) == ["Data", "From", "To", "Regions"]


def test_an_upload_is_written_once(tmp_path: Path) -> None:
    path = ds.saved_upload(tmp_path, "../a.csv", b"x")
    assert path == tmp_path / "a.csv" and path.read_bytes() == b"x"  # its own name, in the folder
    stamp = path.stat().st_mtime_ns
    assert ds.saved_upload(tmp_path, "a.csv", b"x").stat().st_mtime_ns == stamp
    assert ds.saved_upload(tmp_path, "a.csv", b"yz").read_bytes() == b"yz"


def test_the_preview_says_a_figure_not_released() -> None:
    from domain.statistics import ACCIDENT_STAT_MEASURES

    accepted = pd.DataFrame({"period": ["2023-01"] * 3, **{m: [1.0, None, 3.0] for m in ACCIDENT_STAT_MEASURES}})
    head = ds.preview_head(accepted, "accident-stats", "en", n=2)
    assert head.columns[0] == "period · period" and head.columns[1] == "accidents · accidents"
    assert head.iloc[:, 1].tolist() == ["1", "not released"]


@pytest.mark.parametrize(
    ("kind", "lang", "expected"),
    [
        ("accidents", "zh", "事故台账（accidents）"),
        ("hazard-stats", "en", "hazard monthly report (hazard-stats)"),
    ],
)
def test_a_kind_in_words(kind, lang, expected) -> None:
    assert ds.kind_label(kind, lang) == expected


SMALL = (
    "事故编号,发生时间,地区,行业领域,事故单位,死亡人数\n"
    "S-1,2024-06-01,长沙市,工贸,甲公司,1\n"
    "S-2,2024-06-02,长沙市岳麓区,建筑施工,乙公司,0\n"
    "S-3,不是日期,长沙市,工贸,丙公司,2\n"
)


def test_history_rejects_and_undo_on_a_small_store(tmp_path: Path) -> None:
    store = open_store(tmp_path / "small.duckdb")
    result = import_file(store, write(tmp_path, "small.csv", SMALL), "accidents")
    assert (result.new, result.rejected) == (2, 1)
    imports = ds.imports(store)
    shown, undone = ds.history(imports, "en")
    assert shown[["Import id", "File", "Read", "New", "Updated", "Rejected", "State"]].values.tolist() == [
        [result.import_id, "small.csv", 3, 2, 0, 1, "in force"]
    ]
    assert shown["sha256"].iloc[0] == imports["file_sha256"].iloc[0][:12] and undone.tolist() == [False]
    rejects = ds.rejects(store, result.import_id)
    assert rejects["row_number"].tolist() == [4]
    csv = ds.rejects_csv(store, result.import_id, "zh").decode("utf-8-sig")
    assert "不是日期" in csv and "原因（中文）" in csv.splitlines()[0]
    question = ds.undo_question(imports.iloc[0], "en")
    assert f"Undo import **{result.import_id}**?" in question and "The **2** rows it added are removed" in question
    undo = ds.undo(store, result.import_id)
    assert (undo.removed, undo.restored) == (2, 0)
    shown, undone = ds.history(ds.imports(store), "zh")
    assert shown["状态"].tolist() == ["已撤销"] and undone.tolist() == [True]
    assert store.table("accidents").empty


def test_the_audit_trail_and_its_filters(tmp_path: Path) -> None:
    store = open_store(tmp_path / "small.duckdb")
    now = dt.datetime(2025, 6, 15, 12, 0)
    access.audit(store, "alice", "import", "imp-1", "small.csv", "10.0.0.1", at=now - dt.timedelta(days=1))
    access.audit(store, "bob", "undo", "imp-1", None, None, "denied", at=now - dt.timedelta(days=2))
    access.audit(store, "alice", "undo", "imp-0", None, None, at=now - dt.timedelta(days=40))
    trail, shown, filters = ds.audit_trail(store, "", [], 30, now, "en")
    assert shown[["Time", "Who", "On what", "Detail", "From", "Outcome"]].values.tolist() == [
        ["2025-06-14 12:00:00", "alice", "imp-1", "small.csv", "10.0.0.1", "ok"],
        ["2025-06-13 12:00:00", "bob", "imp-1", "", "", "denied"],
    ]
    assert filters == "last 30 days"
    trail, shown, filters = ds.audit_trail(store, "alice", ["undo"], 60, now, "en")
    assert shown["On what"].tolist() == ["imp-0"] and len(trail) == 1
    assert filters.startswith("last 60 days；actions: ") and filters.endswith("；who: alice")


@pytest.mark.parametrize(
    ("cur", "prev", "lang", "expected"),
    [
        (0.9, 0.8, "zh", ("+10.0个百分点（去年同期 80.0%）", "normal")),
        (0.75, 0.8, "en", ("-5.0 pts (same period last year 80.0%)", "normal")),
        (0.5, 0.5, "zh", ("持平（去年同期 50.0%）", "off")),
        (0.5, 0.50001, "en", ("level (same period last year 50.0%)", "off")),  # rounds to zero: level, no "-0.0"
        (None, 0.5, "zh", ("去年同期 50.0%", "off")),  # nothing to rate now: last year's figure only
        (0.5, None, "en", ("same period last year —", "off")),
    ],
)
def test_a_rate_tiles_change_on_last_year(cur, prev, lang, expected) -> None:
    assert ht.tile_change(cur, prev, lang) == expected


def test_the_monthly_report_as_shown() -> None:
    report = pd.DataFrame(
        {
            "industry": ["chemicals", "total"],
            "units": [3, 3],
            "general_rate": [0.5, None],
            "major_rate": [1.0, 0.25],
            "funds_wan": [1234.5, None],
        }
    )
    shown = ht.monthly_report_table(report, "en")
    assert list(shown.columns) == ["Industry", "Units", "General rate", "Major rate", "Funds (10k yuan)"]
    assert shown.values.tolist() == [
        ["hazardous chemicals (incl. petrochemical)", 3, "50.0%", "100.0%", "1,234.50"],
        ["Total", 3, "—", "25.0%", "—"],
    ]
