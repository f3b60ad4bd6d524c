"""The 数据管理 page through AppTest: upload → validate → commit for each input kind, with the same
counts as the CLI's import of the same file; undo from the history; a bad file changes nothing."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT, as_shown
from storecheck import assert_same, everything
from streamlit.testing.v1 import AppTest
from test_pages_apptest import _exceptions

from loaders.importer import import_file
from store import Store, open_store

DATA = ROOT / "tests" / "data"
FILES = [
    ("accidents", "accidents_hunan_gbk.csv", "text/csv"),
    ("hazards", "hazards_hunan.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("accident-stats", "accident_stats_2023.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    (
        "hazard-stats",
        "hazard_monthly_report_changsha.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
]


@pytest.fixture
def empty_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The app on a store of its own (the uploads must not touch the session's demo store)."""
    db = tmp_path / "upload.duckdb"
    open_store(db).ensure_schema()
    monkeypatch.setenv("SAFETY_DB", str(db))
    monkeypatch.setenv("SAFETY_DEMO", "0")
    monkeypatch.setenv("SAFETY_TODAY", "2025-06-15")
    return db


def _data_page() -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.run()
    at.switch_page("views/data_status.py").run()
    assert not at.exception, _exceptions(at)
    return at


def _metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


@pytest.mark.parametrize(("kind", "name", "mime"), FILES, ids=[k for k, _, _ in FILES])
def test_upload_validate_commit_equals_the_cli(empty_store: Path, tmp_path: Path, kind: str, name: str, mime: str):
    at = _data_page()
    at.selectbox(key="up_kind").set_value(kind).run()
    at.file_uploader(key="up_file").set_value((name, (DATA / name).read_bytes(), mime)).run()
    assert not at.exception, _exceptions(at)
    cli_db = tmp_path / "cli.duckdb"
    cli = import_file(open_store(cli_db), DATA / name, kind)
    # ④ the validation report shows the CLI's counts before anything is written
    assert _metric(at, "可导入") == f"{cli.new + cli.updated + cli.unchanged:,}"
    assert _metric(at, "拒收") == f"{cli.rejected:,}"
    assert Store(empty_store).table("imports").empty
    at.button(key="up_commit").click().run()
    assert not at.exception, _exceptions(at)
    assert any("已导入" in s.value for s in at.success), [s.value for s in at.success]
    page, ref = Store(empty_store), Store(cli_db)
    for table in ("accidents", "hazards", "accident_stats", "hazard_stats", "rejects"):
        assert len(page.table(table)) == len(ref.table(table)), table
    key = {"accidents": "accident_id", "hazards": "hazard_id", "accident-stats": "stat_id", "hazard-stats": "stat_id"}[
        kind
    ]
    table = kind.replace("-", "_")
    got = page.table(table).drop(columns=["import_id"]).sort_values(key).reset_index(drop=True)
    want = ref.table(table).drop(columns=["import_id"]).sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(got, want)  # one import implementation: the same rows


def test_a_renamed_pdf_gets_its_message_and_changes_nothing(empty_store: Path):
    before = everything(Store(empty_store))
    at = _data_page()
    at.file_uploader(key="up_file").set_value(
        (
            "ledger.xlsx",
            (DATA / "renamed_pdf.xlsx").read_bytes(),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    )
    at.run()
    assert not at.exception, _exceptions(at)
    assert any("PDF" in e.value for e in at.error), [e.value for e in at.error]
    assert "up_commit" not in [b.key for b in at.button]  # nothing to commit
    assert_same(everything(Store(empty_store)), before)


def test_a_mapping_change_on_the_page_rescues_an_unknown_header(empty_store: Path):
    text = "发生时间,地区,行业领域,事故单位,遇难人数\n2024-03-01 08:00,长沙市岳麓区,建筑施工,甲公司,2\n"
    at = _data_page()
    at.file_uploader(key="up_file").set_value(("odd.csv", text.encode("utf-8"), "text/csv")).run()
    assert any("deaths" in e.value or "死亡" in e.value for e in at.error), [e.value for e in at.error]
    assert Store(empty_store).table("accidents").empty  # nothing written
    # the page offers the file's columns for the missing one; choosing 遇难人数 reads the file again
    at.selectbox(key="up_missing_accidents_odd.csv_deaths").set_value("遇难人数").run()
    assert not at.exception, _exceptions(at)
    assert not at.error, [e.value for e in at.error]
    assert _metric(at, "可导入") == "1"
    at.button(key="up_commit").click().run()
    stored = Store(empty_store).table("accidents")
    assert len(stored) == 1 and int(stored["deaths"].iloc[0]) == 2


def test_undo_from_the_history_restores_the_store(empty_store: Path):
    name, mime = "accidents_hunan_gbk.csv", "text/csv"
    before = everything(Store(empty_store))
    at = _data_page()
    at.file_uploader(key="up_file").set_value((name, (DATA / name).read_bytes(), mime)).run()
    at.button(key="up_commit").click().run()
    assert len(Store(empty_store).table("accidents")) > 0
    # select the import in the history (AppTest has no click on a table row: set the selection state)
    at.session_state["hist_table"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    at.run()
    assert not at.exception, _exceptions(at)
    at.button(key="hist_undo").click().run()
    assert not at.exception, _exceptions(at)
    # the undo asks first, naming what it removes (the file, its kind, its rows, its date); nothing is undone yet
    asked = " ".join(as_shown(m.value) for m in at.markdown)  # the file's name is escaped
    assert "accidents_hunan_gbk.csv" in asked and "事故台账" in asked and "将删除该次导入新增的" in asked, asked
    assert Store(empty_store).table("imports")["undone_at"].isna().all()
    at.button(key="hist_undo_confirm").click().run()
    assert not at.exception, _exceptions(at)
    assert any("已撤销" in s.value for s in at.success), [s.value for s in at.success]
    after = everything(Store(empty_store))
    assert_same(after, before, skip=("imports",))  # every fact, reject and row version as before
    assert after["imports"]["undone_at"].notna().all() and len(after["imports"]) == 1  # the log keeps it, undone


def test_an_uploaded_files_names_and_cells_are_shown_as_text(empty_store: Path):
    """A file whose name, header and cells carry Markdown (an image from another host, a phishing link, a
    colour directive): the page quotes them as typed — no address a browser would follow, no markup."""
    payload = "![x](http://evil.example/i.png)"
    text = (
        f"事故编号,发生时间,所在地区,行业,单位,死亡人数,{payload}\n"
        f"A1,2024-03-05 10:00,长沙市,建筑施工,[登录已过期](http://evil.example/login),1,:red[x]\n"
    )
    at = _data_page()
    at.file_uploader(key="up_file").set_value(
        ("[点此](http://evil.example).csv", text.encode("utf-8"), "text/csv")
    ).run()
    assert not at.exception, _exceptions(at)
    shown = [e.value for e in [*at.markdown, *at.caption, *at.error, *at.warning, *at.success, *at.info]]
    shown += [w.label for w in [*at.selectbox, *at.text_input]]
    assert any("i\\.png" in s for s in shown), shown  # the unknown header is named, escaped
    for s in shown:
        assert "evil.example" not in s and ":red[" not in s, s


def test_the_page_shows_how_the_headers_were_read_and_commits_a_group_sum(empty_store: Path, tmp_path: Path):
    """事故起数 merged over industry sub-columns: the page's table says each sub-column is summed, and the
    commit (with the preview's whole mapping) stores the sums, 12, 12, 6 and 5 accidents."""
    from test_headers import county_stats_xlsx

    f = county_stats_xlsx(tmp_path / "county.xlsx")
    at = _data_page()
    at.selectbox(key="up_kind").set_value("accident-stats").run()
    at.file_uploader(key="up_file").set_value(
        ("county.xlsx", f.read_bytes(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    ).run()
    assert not at.exception, _exceptions(at)
    shown = next(x for x in at.expander if x.label == "表头如何识别")
    table = next(iter(shown.children.values())).value
    report = table.set_index("文件表头")
    assert report.loc["事故起数 / 采矿", "依据"] == "“事故起数”下各行业分列之和"
    assert (
        report.loc["事故起数 / 采矿", "读作"] == "事故起数 · accidents"
    )  # optional since a figure may be unreleased: no *
    at.button(key="up_commit").click().run()
    assert not at.exception, _exceptions(at)
    stats = Store(empty_store).table("accident_stats").sort_values("region_code")
    assert stats["accidents"].tolist() == [12, 6, 12, 5]  # 430102 芙蓉, 430103 天心, 430104 岳麓, 430105 开福


def test_the_overview_says_the_store_holds_demo_data_and_an_admin_takes_it_out(
    writable_db: Path, monkeypatch: pytest.MonkeyPatch
):
    """The way to one's own data on the page (as ``loaders demo --remove``): the demo rows go, an imported
    file's rows stay, the removal is audited, and the notice is gone."""
    from store.demo_records import demo_rows

    own = import_file(Store(writable_db), ROOT / "docs" / "samples" / "accidents_sample.csv", "accidents")
    monkeypatch.setenv("SAFETY_DB", str(writable_db))
    monkeypatch.setenv("SAFETY_TODAY", "2025-06-15")
    before = demo_rows(Store(writable_db))
    assert before > 0
    at = _data_page()
    assert any(f"本库含演示数据 {before:,} 行" in i.value for i in at.info)
    at.button(key="demo_remove").click().run()
    at.button(key="demo_remove_confirm").click().run()
    assert not at.exception, _exceptions(at)
    store = Store(writable_db)
    assert demo_rows(store) == 0
    kept = store.query("SELECT count(*) AS n FROM accidents WHERE import_id = ?", [own.import_id])["n"].iloc[0]
    assert kept == own.accepted == 12
    audit = store.query("SELECT action, outcome FROM audit_log WHERE action = 'demo_remove'")
    assert audit.to_dict("records") == [{"action": "demo_remove", "outcome": "ok"}]
    assert not any("演示数据" in i.value for i in at.info)
