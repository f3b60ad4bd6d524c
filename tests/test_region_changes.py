"""Today's region codes (issue 14, points 2 and 7): files with old codes, new codes, old names and a
municipality's 市辖区 code land on the same unit; an older store moves its rows once; re-importing changes
nothing."""

from __future__ import annotations

import duckdb
import pytest

from domain.region_changes import boundary_code, note
from domain.regions import load_regions, resolve_region
from geo.source import has_raw_geometry
from loaders.importer import import_file
from store import open_store


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("513402", "513402"),
        ("513425", "513402"),
        ("会理县", "513402"),
        ("会理市", "513402"),  # 2021-07
        ("654203", "654203"),
        ("654223", "654203"),
        ("沙湾县", "654203"),
        ("450181", "450181"),
        ("450127", "450181"),
        ("横县", "450181"),  # 2021-02
        ("659011", "659011"),
        ("新星市", "659011"),  # created 2021-02
        ("110100", "110000"),
        ("120100", "120000"),
        ("310100", "310000"),
        ("500200", "500000"),  # 市辖区 / 县
        ("北京市朝阳区", "110105"),
    ],
)
def test_old_and_new_codes_resolve_to_today_s_unit(written: str, code: str) -> None:
    assert resolve_region(written) == code


def test_today_s_units_keep_their_outlines() -> None:
    regions = load_regions()
    assert regions["513402"].full_name == "四川省凉山彝族自治州会理市" and "513425" not in regions
    assert boundary_code("513402") == "513425" and has_raw_geometry("513402")
    assert regions["659011"].parent_code == "650000" and not has_raw_geometry("659011")  # no outline: grey
    assert (
        note("513425", "zh") == "513425为旧区划代码（2021年7月撤销会理县，设立县级会理市），按现行代码513402会理市导入"
    )
    assert note("513402") is None


def test_an_older_store_moves_to_today_s_codes_once_and_reimports_change_nothing(tmp_path) -> None:
    ledger = tmp_path / "ledger.csv"
    ledger.write_text(
        "发生时间,地区,行业领域,死亡人数,事故简况\n2024-03-01,513425,建筑施工,1,甲\n2024-03-02,110105,道路运输,1,乙\n",
        encoding="utf-8",
    )
    stats = tmp_path / "stats.csv"
    stats.write_text(
        "统计期间,地区,事故起数,死亡人数,较大事故起数,较大事故死亡人数,重特大事故起数,重特大事故死亡人数\n"
        "2024,654223,3,2,0,0,0,0\n",
        encoding="utf-8",
    )
    db = tmp_path / "s.duckdb"
    store = open_store(db)
    first = import_file(store, ledger, "accidents")
    assert first.new == 2
    assert (
        "地区: '513425' in 1 row(s): 513425 is an old code (会理县 became the county-level city 会理市, 2021-07): "
        "imported as today's 513402 会理市" in first.notes
    )  # the report says so
    assert import_file(store, stats, "accident-stats").new == 1
    store.close()
    # Make it an older store: its rows as the previous version wrote them.
    con = duckdb.connect(str(db))
    con.execute("UPDATE accidents SET region_code = '513425' WHERE region_code = '513402'")
    con.execute("UPDATE accidents SET city_code = '110100' WHERE region_code = '110105'")
    con.execute("UPDATE accident_stats SET region_code = '654223', stat_id = 'AS-654223-2024-all'")
    con.execute("DELETE FROM meta WHERE key = 'region_codes'")
    con.close()
    store = open_store(db)
    acc = store.query("SELECT region_code, coalesce(city_code, '-') AS city FROM accidents ORDER BY region_code")
    assert acc.values.tolist() == [["110105", "-"], ["513402", "513400"]]
    assert store.query("SELECT stat_id, region_code FROM accident_stats").values.tolist() == [
        ["AS-654203-2024-all", "654203"]
    ]
    again = import_file(store, ledger, "accidents")  # ids made from the old code: the same rows
    assert (again.new, again.unchanged) == (0, 2)
    assert import_file(store, stats, "accident-stats").new == 0
    assert store.scalar("SELECT count(*) FROM accidents") == 2
