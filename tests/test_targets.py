"""Control targets (控制指标) as a fifth input kind: the file, its rows and rejects, the store, the CLI."""

import json
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from conftest import empty_store, run_in_process

from loaders.importer import import_file
from loaders.read_errors import ReadError
from loaders.readers import read_table
from loaders.schema import KINDS, TARGETS
from store import Store
from store.queries import death_target

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).parent.parent


@pytest.fixture
def store(tmp_path: Path, empty_template: Path) -> Store:
    return empty_store(empty_template, tmp_path / "t.duckdb")


def test_targets_is_a_kind_with_its_columns() -> None:
    assert KINDS["targets"] is TARGETS
    assert [c.name for c in TARGETS.required] == ["year", "region", "deaths_target"]
    assert not TARGETS.column("accidents_target").required


def test_the_file_year_from_its_title_total_and_footer_skipped() -> None:
    raw = read_table(DATA / "targets_2024.xlsx", TARGETS)
    assert raw.header_row == 3 and raw.meta.get("period") == "2024"
    assert len(raw.frame) == 8  # not the 合计 row, not the 说明 footer
    assert [why.split(" ")[0] for _, why in raw.skipped] == ["total", "note"]  # 说明： is a note line (official forms)
    assert raw.ignored_headers == ("序号", "备注")


def test_import_values_ids_and_rejects(store: Store) -> None:
    result = import_file(store, DATA / "targets_2024.xlsx", "targets")
    assert (result.new, result.updated, result.rejected, result.rows_read) == (5, 0, 3, 8)
    assert any("年度 '2024' taken from the file's title rows" in n for n in result.notes)
    t = store.table("targets").set_index("target_id")
    assert list(t.index) == ["T-430000-2024", "T-430100-2024", "T-430200-2024", "T-430300-2024", "T-433100-2024"]
    assert t.loc["T-433100-2024", ["deaths_target", "accidents_target"]].tolist() == [20, 22]  # full-width ２０
    assert pd.isna(t.loc["T-430300-2024", "accidents_target"])  # optional, left blank
    assert t.loc["T-430000-2024", ["region_level", "province_code"]].tolist() == ["province", "430000"]
    assert (t["year"] == 2024).all()
    reasons = store.rejects(result.import_id).set_index("row_number")["reason"]
    assert "'鼓楼区' is ambiguous" in reasons[9]
    assert reasons[10] == "row 10, column 死亡人数控制指标（人）: is empty (a value is required)"
    assert reasons[11] == "row 11, column 死亡人数控制指标（人）: '-5' is negative (expected a count of 0 or more)"
    assert death_target(store, "430100", 2024) == 90
    assert death_target(store, "430100", 2023) is None
    again = import_file(store, DATA / "targets_2024.xlsx", "targets")
    assert (again.new, again.updated, again.unchanged) == (0, 0, 5)


def test_a_csv_with_a_year_column_and_english_headers(store: Store, tmp_path: Path) -> None:
    f = tmp_path / "targets.csv"
    f.write_text(
        "year,region,deaths target,accidents target\n2024年度,全国,19500,21000\n2025,湖南,600,\n"
        "2025-03,长沙市,80,90\n2025,长沙市,80,90\n2025,长沙,81,90\n",
        encoding="utf-8",
    )
    result = import_file(store, f, "targets")
    assert (result.new, result.rejected) == (3, 2)
    t = store.table("targets").set_index("target_id")
    assert t.loc["T-100000-2024", ["region_level", "deaths_target"]].tolist() == ["country", 19500]
    reasons = store.rejects(result.import_id).set_index("row_number")["reason"]
    assert reasons[4] == "row 4, column year: '2025-03' is not a year (expected e.g. 2024, 2024年 or 2024年度)"
    assert "the same year and region as row 5 of this file ('T-430100-2025')" in reasons[6]
    # A new target for the same region and year replaces the old one (same id): an update.
    f.write_text("年度,地区,死亡人数控制指标\n2025,湖南省,580\n", encoding="utf-8")
    updated = import_file(store, f, "targets")
    assert (updated.new, updated.updated) == (0, 1)
    assert death_target(store, "430000", 2025) == 580


def test_a_file_without_year_column_or_title_year_is_refused(tmp_path: Path) -> None:
    f = tmp_path / "no_year.csv"
    f.write_text("地区,死亡人数控制指标\n长沙市,80\n", encoding="utf-8")
    with pytest.raises(ReadError, match=r"required column missing: 年度 \(year; accepted headers: 年度, year"):
        read_table(f, TARGETS)


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return run_in_process("loaders", *args)


def test_cli_import_with_period_as_the_year_and_status(tmp_path: Path) -> None:
    f = tmp_path / "no_year.csv"
    f.write_text("地区,死亡人数控制指标\n长沙市,80\n株洲市,40\n", encoding="utf-8")
    db = str(tmp_path / "cli.duckdb")
    done = run_cli("import", "targets", str(f), "--db", db, "--period", "2025", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["new"] == 2
    assert sorted(Store(db).table("targets")["target_id"]) == ["T-430100-2025", "T-430200-2025"]
    status = json.loads(run_cli("status", "--json", "--db", db).stdout)
    assert status["targets"] == {
        "rows": 2,
        "years": {"from": "2025", "to": "2025"},
        "regions": 2,
        "with_accidents_target": 0,
    }
    text = run_cli("status", "--db", db).stdout
    assert "targets" in text and "2025 … 2025" in text


def test_store_contract_refuses_a_bad_target_frame(store: Store) -> None:
    from loaders.importer import validate_file

    _, result = validate_file(DATA / "targets_2024.xlsx", "targets")
    frame = result.accepted.assign(import_id="x")
    frame.loc[0, "target_id"] = "430000-2024"
    with pytest.raises(ValueError, match=r"targets frame breaks the store contract: target_id"):
        store.apply_import("targets", frame, {}, pd.DataFrame())
