"""Undo of an import: the rows it added go, the rows it updated come back exactly as they were,
in one transaction — or nothing changes and the refusal says why."""

import contextlib
import io
import json
import subprocess
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from conftest import empty_store
from storecheck import assert_same, everything, write

from loaders.importer import import_file
from store import Store, UndoError, UndoResult, open_store

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).parent.parent

A_FILE = (
    "事故编号,发生时间,地区,行业领域,事故单位,死亡人数,直接经济损失（万元）\n"
    "U-1,2024-03-01 09:15:30,长沙市岳麓区,工贸,甲,1,12.5\n"
    "U-2,2024-03-02,长沙市,建筑施工,乙,0,0.3333333333333333\n"
    "U-3,2024-03-03,株洲市,道路运输,丙,2,\n"
    "U-4,2024-03-04,火星市,工贸,丁,1,3\n"  # unknown region: rejected
    "U-5,2024-03-05,湘潭市,危化,戊,0,0.1\n"
)
B_FILE = (
    "事故编号,发生时间,地区,行业领域,事故单位,死亡人数,直接经济损失（万元）\n"
    "U-1,2024-03-01 09:15:30,长沙市岳麓区,工贸,甲,3,12.5\n"  # deaths 1 → 3: updated (and regraded 较大)
    "U-2,2024-03-02,长沙市,建筑施工,乙公司,0,0.3333333333333333\n"  # enterprise corrected: updated
    "U-3,2024-03-03,株洲市,道路运输,丙,2,\n"  # unchanged
    "U-6,2024-04-01,衡阳市,消防,己,0,1000\n"  # new
    "U-7,2024-04-02,岳阳市,工贸,庚,1,\n"  # new
    "U-8,2024-13-01,岳阳市,工贸,辛,1,\n"  # bad date: rejected
)


@pytest.fixture
def store(tmp_path: Path, empty_template: Path) -> Store:
    return empty_store(empty_template, tmp_path / "u.duckdb")


def imports_without(store: Store, import_id: str) -> pd.DataFrame:
    frame = store.query("SELECT * FROM imports WHERE import_id <> ? ORDER BY import_id", [import_id])
    return frame.reset_index(drop=True)


def test_undo_restores_every_table_exactly(store: Store, tmp_path: Path) -> None:
    a = import_file(store, write(tmp_path, "a.csv", A_FILE), "accidents")
    assert (a.new, a.rejected) == (4, 1)
    before = everything(store)
    b = import_file(store, write(tmp_path, "b.csv", B_FILE), "accidents")
    assert (b.new, b.updated, b.unchanged, b.rejected) == (2, 2, 1, 1)
    versions = store.query("SELECT import_id, table_name, row_id FROM row_versions ORDER BY row_id")
    assert versions.values.tolist() == [[b.import_id, "accidents", "U-1"], [b.import_id, "accidents", "U-2"]]
    assert store.table("accidents").set_index("accident_id").loc["U-1", "grade"] == "larger"

    assert store.undo_import(b.import_id) == UndoResult(removed=2, restored=2)

    after = everything(store)
    assert_same(after, before, skip=("imports",))  # facts, rejects, row_versions, mappings, meta
    log = store.imports().set_index("import_id")
    assert pd.notna(log.loc[b.import_id, "undone_at"]) and pd.isna(log.loc[a.import_id, "undone_at"])
    assert log.loc[b.import_id, ["new_rows", "updated_rows", "rejected_rows"]].tolist() == [2, 2, 1]  # history kept
    pd.testing.assert_frame_equal(imports_without(store, b.import_id), imports_without_snapshot(before, b.import_id))
    acc = store.table("accidents").set_index("accident_id")
    assert acc.loc["U-1", ["deaths", "grade", "import_id"]].tolist() == [1, "general", a.import_id]
    assert acc.loc["U-1", "occurred_at"] == pd.Timestamp("2024-03-01 09:15:30")
    assert acc.loc["U-2", "direct_loss_wan"] == 0.3333333333333333  # a restored double, to the last bit

    # now A can go too: nothing of it is left, not even its rejects
    assert store.undo_import(a.import_id) == UndoResult(removed=4, restored=0)
    assert store.table("accidents").empty and store.rejects().empty
    assert store.query("SELECT count(*) AS n FROM row_versions")["n"].tolist() == [0]


def imports_without_snapshot(snapshot: dict[str, pd.DataFrame], import_id: str) -> pd.DataFrame:
    frame = snapshot["imports"]
    return frame[frame["import_id"] != import_id].sort_values("import_id").reset_index(drop=True)


def test_undo_is_refused_while_a_later_import_changed_its_rows(store: Store, tmp_path: Path) -> None:
    a = import_file(store, write(tmp_path, "a.csv", A_FILE), "accidents")
    b = import_file(store, write(tmp_path, "b.csv", B_FILE), "accidents")
    before = everything(store)
    with pytest.raises(
        UndoError,
        match=rf"import {a.import_id} \(a.csv\) cannot be undone: later imports changed "
        rf"its rows: {b.import_id} \(b.csv, 2 rows\); undo those first",
    ) as err:
        store.undo_import(a.import_id)
    assert b.import_id in err.value.zh and "请先撤销" in err.value.zh
    assert_same(everything(store), before)


def test_undo_twice_and_an_unknown_import_are_refused(store: Store, tmp_path: Path) -> None:
    a = import_file(store, write(tmp_path, "a.csv", A_FILE), "accidents")
    store.undo_import(a.import_id)
    before = everything(store)
    with pytest.raises(UndoError, match=rf"import {a.import_id} \(a.csv\) was already undone at 20\d\d-") as err:
        store.undo_import(a.import_id)
    assert "已于" in err.value.zh
    with pytest.raises(UndoError, match=r"no import with id 'nope'"):
        store.undo_import("nope")
    assert_same(everything(store), before)


def test_reimporting_after_an_undo_brings_the_rows_back(store: Store, tmp_path: Path) -> None:
    import_file(store, write(tmp_path, "a.csv", A_FILE), "accidents")
    b_file = write(tmp_path, "b.csv", B_FILE)
    b = import_file(store, b_file, "accidents")
    with_b = store.table("accidents").drop(columns=["import_id"])
    store.undo_import(b.import_id)
    again = import_file(store, b_file, "accidents")
    assert (again.new, again.updated, again.unchanged, again.rejected) == (2, 2, 1, 1)
    pd.testing.assert_frame_equal(store.table("accidents").drop(columns=["import_id"]), with_b)
    assert len(store.rejects(again.import_id)) == 1


def test_undo_of_an_import_that_changed_nothing(store: Store, tmp_path: Path) -> None:
    f = write(tmp_path, "a.csv", A_FILE)
    import_file(store, f, "accidents")
    same = import_file(store, f, "accidents")
    assert (same.new, same.updated, same.unchanged) == (0, 0, 4)
    before = everything(store)
    assert store.undo_import(same.import_id) == UndoResult(removed=0, restored=0)
    after = everything(store)
    # only its own rejected row went (the same row as the first import's, which stays)
    assert_same(after, before, skip=("imports", "rejects"))
    assert len(after["rejects"]) == 1 and len(before["rejects"]) == 2


def test_a_chain_of_updates_is_undone_newest_first(store: Store, tmp_path: Path) -> None:
    w = import_file(store, write(tmp_path, "w.csv", A_FILE), "accidents")
    x = import_file(store, write(tmp_path, "x.csv", A_FILE.replace(",甲,1,", ",甲,2,")), "accidents")
    y = import_file(store, write(tmp_path, "y.csv", A_FILE.replace(",甲,1,", ",甲,4,")), "accidents")
    assert (x.updated, y.updated) == (1, 1)
    deaths = lambda: store.table("accidents").set_index("accident_id").loc["U-1", "deaths"]  # noqa: E731
    with pytest.raises(UndoError, match=rf"later imports changed its rows: {y.import_id} \(y.csv, 1 rows\)"):
        store.undo_import(x.import_id)
    with pytest.raises(UndoError, match=rf"later imports changed its rows: {x.import_id}"):
        store.undo_import(w.import_id)
    assert deaths() == 4
    assert store.undo_import(y.import_id) == UndoResult(0, 1) and deaths() == 2
    assert store.undo_import(x.import_id) == UndoResult(0, 1) and deaths() == 1
    assert store.undo_import(w.import_id) == UndoResult(4, 0)


HAZARDS_CHANGED = (
    "隐患编号,企业名称,所在地区,行业领域,隐患级别,发现日期,整改期限,整改完成日期,验收日期,措施到位,整改资金,挂牌督办\n"
    "YH-001,某企业,长沙市,工贸,一般,2024-02-01,2024-02-20,,,否,0.1,无\n"
)


@pytest.mark.parametrize(
    ("kind", "first", "second"),
    [
        ("hazards", "hazards_hunan.xlsx", HAZARDS_CHANGED),  # DATE, BOOLEAN, DOUBLE, nullable columns
        (
            "accident-stats",
            "accident_stats_2023.xlsx",
            "统计期间,地区,事故起数,死亡人数,较大事故起数,较大事故死亡人数,重特大事故起数,重特大事故死亡人数\n"
            "2023,长沙市,1,1,0,0,0,0\n",
        ),
        ("targets", "targets_2024.xlsx", "年度,地区,死亡人数控制指标\n2024,长沙市,1\n"),
    ],
)
def test_undo_restores_types_of_every_table(store: Store, tmp_path: Path, kind: str, first: str, second: str) -> None:
    import_file(store, DATA / first, kind)
    before = everything(store)
    changed = import_file(store, write(tmp_path, "second.csv", second), kind)
    assert changed.updated == 1, changed
    assert store.undo_import(changed.import_id) == UndoResult(0, 1)
    assert_same(everything(store), before, skip=("imports",))


def test_a_failure_half_way_through_an_undo_changes_nothing(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import_file(store, write(tmp_path, "a.csv", A_FILE), "accidents")
    b = import_file(store, write(tmp_path, "b.csv", B_FILE), "accidents")
    before = everything(store)

    def explode(*args: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(Store, "_column_types", explode)  # called after B's rows were deleted
    with pytest.raises(RuntimeError, match="disk full"):
        store.undo_import(b.import_id)
    monkeypatch.undo()
    assert_same(everything(store), before)


OLD_IMPORTS_DDL = """CREATE TABLE imports (
    import_id VARCHAR PRIMARY KEY, kind VARCHAR NOT NULL, file_name VARCHAR NOT NULL, file_sha256 VARCHAR NOT NULL,
    sheet VARCHAR, imported_at TIMESTAMP NOT NULL, rows_read INTEGER NOT NULL, new_rows INTEGER NOT NULL,
    updated_rows INTEGER NOT NULL, unchanged_rows INTEGER NOT NULL, rejected_rows INTEGER NOT NULL,
    skipped_rows INTEGER NOT NULL, notes VARCHAR)"""


def test_an_existing_store_is_migrated(tmp_path: Path) -> None:
    """A store made before undo and saved mappings: ensure_schema adds the column and the tables."""
    db = tmp_path / "old.duckdb"
    con = duckdb.connect(str(db))
    con.execute(OLD_IMPORTS_DDL)
    con.execute(
        "INSERT INTO imports VALUES ('old-1', 'accidents', 'old.csv', 'x', NULL, '2024-01-01', 1, 1, 0, 0, 0, 0, NULL)"
    )
    con.close()
    store = open_store(db)
    assert store.query("SELECT undone_at FROM imports")["undone_at"].isna().all()
    tables = set(store.query("SELECT table_name FROM information_schema.tables")["table_name"])
    assert {"row_versions", "mappings", "accidents"} <= tables
    import_file(store, DATA / "accidents_english_bom.csv", "accidents")
    assert store.undo_import("old-1") == UndoResult(0, 0)  # its rows are not in this store
    assert len(store.table("accidents")) == 3


def run_cli(*args: str) -> subprocess.CompletedProcess:
    """``python -m loaders …`` in this process (its ``main``: exit code, standard output and error), without
    an interpreter start per call; test_import runs the same commands as a separate process."""
    from loaders import cli

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(list(args))
    return subprocess.CompletedProcess(["python", "-m", "loaders", *args], code, out.getvalue(), err.getvalue())


def test_cli_undo_and_status(tmp_path: Path) -> None:
    db = str(tmp_path / "cli.duckdb")
    a_file, b_file = write(tmp_path, "a.csv", A_FILE), write(tmp_path, "b.csv", B_FILE)
    a = json.loads(run_cli("import", "accidents", str(a_file), "--db", db, "--json").stdout)["import_id"]
    b = json.loads(run_cli("import", "accidents", str(b_file), "--db", db, "--json").stdout)["import_id"]
    refused = run_cli("undo", a, "--db", db)
    assert refused.returncode == 2
    assert refused.stderr.strip().splitlines() == [
        f"error: import {a} (a.csv) cannot be undone: later imports changed its rows: {b} (b.csv, 2 rows); "
        "undo those first"
    ]
    done = run_cli("undo", b, "--db", db)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"undid import {b} (b.csv): removed 2 rows it added, restored 2 rows it updated"
    assert run_cli("undo", b, "--db", db).returncode == 2
    assert run_cli("undo", "nope", "--db", db).stderr.startswith("error: no import with id 'nope'")
    status = run_cli("status", "--db", db)
    lines = [line for line in status.stdout.splitlines() if b in line]
    assert len(lines) == 1 and "undone" in lines[0], status.stdout
    assert not any("undone" in line for line in status.stdout.splitlines() if a in line)
    payload = json.loads(run_cli("status", "--json", "--db", db).stdout)
    undone = {i["import_id"]: i["undone_at"] for i in payload["last_imports"]}
    assert undone[a] is None and undone[b] is not None
    missing = run_cli("undo", b, "--db", str(tmp_path / "typo.duckdb"))
    assert missing.returncode == 2 and not (tmp_path / "typo.duckdb").exists()
