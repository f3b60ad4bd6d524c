"""Partial statistics (issue 13, item 5): a figure that a statistics table did not release (empty, —,
未公布, or its column absent) is unknown — stored as NULL, never 0 and never a reason to reject the row —
and only the measure it belongs to cannot be judged; the others are.

The end-to-end case is a national yearly table 2017–2019 whose 2018 accident count was not released
(only deaths, 较大 and 重特大 were), imported with ``python -m loaders import`` and judged by
``python -m reports brief``. Its numbers are invented, of the size of the national figures.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path

import duckdb
import openpyxl
import pandas as pd
import pytest
from conftest import empty_store, run_in_process

from analytics.accidents import answer
from analytics.brief import build_brief
from analytics.brief_json import brief_json
from analytics.compare import Judgement, State, compare, three_declines
from answers.brief_data import StoreData
from domain.periods import Period
from domain.statistics import UNRELEASED_WORDS, is_unreleased
from i18n import fmt_change_pct, fmt_measure, state_label
from loaders.importer import import_file
from loaders.read_errors import ReadError
from reports import brief_en, brief_zh
from reports.screen import kpi_html
from store import Store, open_store
from store.contracts import check_frame
from store.tables import DDL

ROOT = Path(__file__).parent.parent
HEADER = "年份,地区,事故起数,死亡人数,较大事故起数,较大事故死亡人数,重特大事故起数,重特大事故死亡人数\n"


@pytest.fixture
def store(tmp_path: Path, empty_template: Path) -> Store:
    return empty_store(empty_template, tmp_path / "t.duckdb")


def write(tmp_path: Path, name: str, text: str) -> Path:
    f = tmp_path / name
    f.write_text(text, encoding="utf-8")
    return f


# ---------------------------------------------------------------------------------------------- the words

UNRELEASED_CASES = [
    ("未公布", True),
    ("暂未公布", True),
    (" 不 详 ", True),
    ("不详", True),
    ("未统计", True),
    ("待核实", True),
    ("……", True),
    ("Not released", True),
    ("unknown", True),
    ("0", False),
    ("无", False),
    ("暂无", False),  # 无 / 暂无 may mean none (0): not a word of ours
    ("12", False),
    ("—", False),  # a dash is a blank already (loaders.parsing.is_blank)
    (12, False),
    (None, False),
]


@pytest.mark.parametrize(("value", "expected"), UNRELEASED_CASES, ids=[repr(c[0]) for c in UNRELEASED_CASES])
def test_words_for_a_figure_not_released(value, expected) -> None:
    assert is_unreleased(value) is expected


def test_the_words_are_normalised_as_they_are_looked_up() -> None:
    assert all(w == "".join(w.split()).lower() for w in UNRELEASED_WORDS)


# ---------------------------------------------------------------------------------------------- import

ROW_CASES = [
    # (id, the row's six counts as written, what is stored, or the reason it is rejected)
    ("accident count empty", ",34046,478,1913,19,262", (None, 34046, 478, 1913, 19, 262), None),
    ("未公布 and 不详", "未公布,34046,不详,1913,19,262", (None, 34046, None, 1913, 19, 262), None),
    ("dashes", "—,34046,-,/,19,262", (None, 34046, None, None, 19, 262), None),
    ("deaths only", ",120,,,,", (None, 120, None, None, None, None), None),
    ("zero stays zero", "0,0,0,0,0,0", (0, 0, 0, 0, 0, 0), None),
    (
        "较大 unknown: 重特大 still checked",
        "10,40,,,11,45",
        None,
        "row 2, column 事故起数: fewer accidents than 重特大 accidents (impossible); "
        "row 2, column 死亡人数: fewer deaths than 重特大 deaths (impossible)",
    ),
    ("accidents unknown: nothing to check the parts against", "未公布,,9,30,3,40", (None, None, 9, 30, 3, 40), None),
    (
        "较大 and 重特大 both given",
        "10,100,8,30,3,40",
        None,
        "row 2, column 事故起数: fewer accidents than 较大 + 重特大 accidents together (impossible)",
    ),
    (
        "no figure at all",
        ",,未公布,—,,",
        None,
        "row 2, column 事故起数: no figure in this row (事故起数, 死亡人数, 较大事故起数, 较大事故死亡人数, 重特大事故起数, "
        "重特大事故死亡人数 are all empty or not released; expected at least one number)",
    ),
    (
        "a word that is not a number is still an error",
        "约50,120,1,3,0,0",
        None,
        "row 2, column 事故起数: '约50' is not a whole number",
    ),
]
MEASURES = ("accidents", "deaths", "larger_accidents", "larger_deaths", "major_accidents", "major_deaths")


@pytest.mark.parametrize(("cells", "stored", "reason"), [c[1:] for c in ROW_CASES], ids=[c[0] for c in ROW_CASES])
def test_a_statistics_row_keeps_what_it_has(store: Store, tmp_path: Path, cells, stored, reason) -> None:
    f = write(tmp_path, "national.csv", HEADER + f"2018,全国,{cells}\n")
    result = import_file(store, f, "accident-stats")
    table = store.table("accident_stats")
    if reason is None:
        assert (result.new, result.rejected) == (1, 0)
        row = table.iloc[0]
        assert tuple(None if pd.isna(row[c]) else int(row[c]) for c in MEASURES) == stored
    else:
        assert (result.new, result.rejected) == (0, 1)
        assert table.empty
        got = store.rejects(result.import_id)["reason"].iloc[0]
        assert got.startswith(reason), got


def test_the_report_says_which_figures_are_unknown(store: Store, tmp_path: Path) -> None:
    f = write(
        tmp_path,
        "national.csv",
        HEADER + "2017,全国,52988,37852,567,2253,25,336\n"
        "2018,全国,未公布,34046,478,1913,19,262\n"
        "2019,全国,,29519,—,—,17,259\n",
    )
    result = import_file(store, f, "accident-stats")
    assert (result.new, result.rejected) == (3, 0)
    assert "事故起数 empty or not released (未公布) in rows 3 and 4: stored as unknown, not as 0" in result.notes
    assert (
        "较大事故起数, 较大事故死亡人数 empty or not released (未公布) in row 4: stored as unknown, not as 0"
        in result.notes
    )


def test_a_figure_released_later_updates_the_row_and_undo_brings_unknown_back(store: Store, tmp_path: Path) -> None:
    first = write(tmp_path, "2018.csv", HEADER + "2018,全国,未公布,34046,478,1913,19,262\n")
    later = write(tmp_path, "2018b.csv", HEADER + "2018,全国,51373,34046,478,1913,19,262\n")
    import_file(store, first, "accident-stats")
    update = import_file(store, later, "accident-stats")
    assert (update.new, update.updated) == (0, 1)
    assert store.table("accident_stats")["accidents"].tolist() == [51373]
    store.undo_import(update.import_id)
    assert store.table("accident_stats")["accidents"].isna().tolist() == [True]  # unknown again, not 0


def test_a_city_table_without_the_larger_and_major_columns(store: Store, tmp_path: Path) -> None:
    f = write(tmp_path, "city.csv", "年份,地区,事故起数,死亡人数\n2023,长沙市,120,80\n2024,长沙市,110,75\n")
    result = import_file(store, f, "accident-stats")
    assert (result.new, result.rejected) == (2, 0)
    assert result.notes[0] == (
        "columns not in the file, stored as unknown (not released), not as 0: "
        "较大事故起数, 较大事故死亡人数, 重特大事故起数, 重特大事故死亡人数"
    )
    st = store.table("accident_stats").set_index("stat_id")
    assert st.loc["AS-430100-2024-all", "accidents"] == 110
    assert st.loc[:, ["larger_accidents", "larger_deaths", "major_accidents", "major_deaths"]].isna().all().all()


def test_a_table_with_no_count_at_all_is_refused_not_imported_as_unknown(store: Store, tmp_path: Path) -> None:
    # (事故总数 would be understood as 事故起数 by its words: 数量 says nothing of what is counted)
    f = write(tmp_path, "odd.csv", "年份,地区,数量（件）\n2024,长沙市,5\n")
    with pytest.raises(
        ReadError,
        match=r"^odd.csv: required column missing: 事故起数 \(accidents; accepted headers: "
        r"事故起数, .*\) or 死亡人数 \(deaths; .*\) \(a statistics table needs at least "
        r"one count; any may be absent or 未公布\)$",
    ) as err:
        import_file(store, f, "accident-stats")
    assert err.value.missing == ("accidents", "deaths")  # the data page offers to map one of them
    assert err.value.file_headers == ("年份", "地区", "数量（件）")
    assert err.value.zh.startswith("odd.csv：缺少必填列：事故起数（accidents；")
    assert store.table("accident_stats").empty and store.imports().empty
    mapped = import_file(store, f, "accident-stats", mapping={"数量（件）": "accidents"})
    assert (mapped.new, mapped.rejected) == (1, 0)


def test_sub_sectors_summed_with_an_unknown_part_are_unknown(store: Store, tmp_path: Path) -> None:
    f = write(
        tmp_path, "trade.csv", "年份,地区,行业,事故起数,死亡人数\n2024,长沙市,冶金,3,2\n2024,长沙市,有色,未公布,1\n"
    )
    result = import_file(store, f, "accident-stats")
    assert result.new == 1
    row = store.table("accident_stats").set_index("stat_id").loc["AS-430100-2024-industry_trade"]
    assert pd.isna(row["accidents"])  # 3 + unknown is unknown, not 3
    assert row["deaths"] == 3


def test_an_existing_store_opens_and_takes_unknown_figures(tmp_path: Path) -> None:
    """A store made before this change has NOT NULL on the six counts: opening it drops them."""
    db = tmp_path / "old.duckdb"
    old = DDL["accident_stats"]
    for c in MEASURES:
        old = old.replace(f"    {c} INTEGER,", f"    {c} INTEGER NOT NULL,")
    assert old.count("NOT NULL") >= 6 + 4
    con = duckdb.connect(str(db))
    con.execute(old)
    con.execute(
        "INSERT INTO accident_stats VALUES ('AS-100000-2017-all', '2017', 'year', 2017, NULL, '100000', "
        "'country', NULL, NULL, NULL, 52988, 37852, 567, 2253, 25, 336, NULL, NULL, 'x', 2, "
        "'0123456789abcdef')"
    )
    con.close()
    store = open_store(db)
    f = write(tmp_path, "n.csv", HEADER + "2018,全国,,34046,478,1913,19,262\n")
    assert import_file(store, f, "accident-stats").new == 1
    st = store.table("accident_stats").set_index("stat_id")
    assert st.loc["AS-100000-2017-all", "accidents"] == 52988
    assert pd.isna(st.loc["AS-100000-2018-all", "accidents"])


def test_the_store_contract_takes_null_counts_but_not_negative_ones() -> None:
    row = {
        "stat_id": "AS-100000-2018-all",
        "period": "2018",
        "period_kind": "year",
        "industry": None,
        "region_code": "100000",
        "region_level": "country",
        "province_code": None,
        "city_code": None,
        "import_id": "x",
        "row_hash": "0123456789abcdef",
        "accidents": pd.NA,
        "deaths": 34046,
        "larger_accidents": 478,
        "larger_deaths": 1913,
        "major_accidents": 19,
        "major_deaths": 262,
        "injuries": pd.NA,
        "direct_loss_wan": None,
    }
    frame = pd.DataFrame([row]).astype({c: "Int64" for c in (*MEASURES, "injuries")})
    check_frame("accident-stats", frame)
    with pytest.raises(
        ValueError,
        match=r"accident-stats frame breaks the store contract: deaths: "
        r"greater_than_or_equal_to\(0\) failed for -1",
    ):
        check_frame("accident-stats", frame.assign(deaths=pd.array([-1], dtype="Int64")))


# ---------------------------------------------------------------------------------------------- answers


def _stats(rows: list[tuple]) -> pd.DataFrame:
    """Statistics rows as the store gives them: (period, region, six counts with None for unknown)."""
    cities = {"430100": "430100", "430200": "430200"}
    frame = pd.DataFrame(
        [
            {
                "period": p,
                "period_kind": "year" if len(p) == 4 else "month",
                "region_code": r,
                "province_code": None if r == "100000" else r[:2] + "0000",
                "city_code": cities.get(r),
                "industry": None,
                **dict(zip(MEASURES, counts, strict=True)),
            }
            for p, r, *counts in rows
        ]
    )
    return frame.astype({c: "Int32" for c in MEASURES})


NO_CELLS = pd.DataFrame(
    columns=["month", "region_code", "province_code", "city_code", "industry", "grade", "accidents", "deaths"]
)

ANSWER_CASES = [
    # (id, statistics rows, region asked, grade group, the six measures answered)
    (
        "accident count unknown, the others answered",
        [("2018", "100000", None, 34046, 478, 1913, 19, 262)],
        "100000",
        "all",
        (None, 34046, 478, 1913, 19, 262),
    ),
    (
        "较大/重特大 unknown: accidents and deaths still answered",
        [("2024", "430100", 110, 75, None, None, None, None)],
        "430100",
        "all",
        (110, 75, None, None, None, None),
    ),
    (
        "一般 = total − 较大 − 重特大: unknown when a part is",
        [("2024", "430100", 110, 75, None, None, 0, 0)],
        "430100",
        "general",
        (None, None, 0, 0, 0, 0),
    ),
    ("一般 from known parts", [("2024", "430100", 110, 75, 4, 13, 1, 10)], "430100", "general", (105, 52, 0, 0, 0, 0)),
    (
        "较大及以上 with 重特大 unknown",
        [("2024", "430100", 110, 75, 4, 13, None, None)],
        "430100",
        "larger_plus",
        (None, None, 4, 13, None, None),
    ),
    (
        "a province's total over cities, one of them unknown, is unknown",
        [("2024", "430100", 110, 75, 4, 13, 1, 10), ("2024", "430200", None, 50, 2, 7, 0, 0)],
        "430000",
        "all",
        (None, 125, 6, 20, 1, 10),
    ),
    (
        "a year from months, one month unknown, is unknown",
        [(f"2024-{m:02d}", "430100", None if m == 5 else 9, 6, 0, 0, 0, 0) for m in range(1, 13)],
        "430100",
        "all",
        (None, 72, 0, 0, 0, 0),
    ),
]


@pytest.mark.parametrize(
    ("rows", "region", "group", "expected"), [c[1:] for c in ANSWER_CASES], ids=[c[0] for c in ANSWER_CASES]
)
def test_an_unknown_part_makes_that_measure_unknown_only(rows, region, group, expected) -> None:
    stats = _stats(rows)
    period = Period.year(int(rows[0][0][:4]))
    a = answer(NO_CELLS, stats, region, period, None, group)
    assert a.source == "statistics"
    got = tuple(
        a.values[m]
        for m in (
            "accidents",
            "deaths",
            "larger_accidents",
            "larger_deaths",
            "major_plus_accidents",
            "major_plus_deaths",
        )
    )
    assert got == expected
    assert a.not_released == tuple(m for m, v in zip(a.values, got, strict=True) if v is None)


def test_the_answer_names_the_regions_that_did_not_release_a_measure() -> None:
    stats = _stats([("2024", "430100", 110, 75, 4, 13, 1, 10), ("2024", "430200", None, 50, None, None, 0, 0)])
    a = answer(NO_CELLS, stats, "430000", Period.year(2024))
    assert a.not_released_by == {
        "accidents": ("430200",),
        "larger_accidents": ("430200",),
        "larger_deaths": ("430200",),
    }


@pytest.fixture
def haidong_db(writable_db: Path, tmp_path: Path) -> Path:
    """The demo store in which 海东市 (a city that sends monthly statistics) sent 2024 without the
    较大/重特大 columns."""
    store = Store(writable_db)
    months = store.query(
        "SELECT period, accidents, deaths FROM accident_stats WHERE region_code = '630200' "
        "AND year = 2024 AND industry IS NULL ORDER BY period"
    )
    assert len(months) == 12 and months["accidents"].sum() > 0
    with store.connect(scoped=False) as con:  # the demo's own rows have ids of their own (DEMO-AS-…)
        con.execute("DELETE FROM accident_stats WHERE region_code = '630200' AND year = 2024")
    lines = "".join(f"{r.period},海东市,{r.accidents},{r.deaths}\n" for r in months.itertuples())
    result = import_file(
        store, write(tmp_path, "haidong.csv", "月份,地区,事故起数,死亡人数\n" + lines), "accident-stats"
    )
    assert (result.new, result.rejected) == (12, 0)
    store.close()
    return writable_db


def test_a_province_whose_city_omits_the_larger_columns(haidong_db: Path) -> None:
    """青海省's 较大 and 重特大 for 2024 are unknown, and the briefing says whose statistics lack them; its
    accidents are judged."""
    store = Store(haidong_db)
    b = build_brief(StoreData(store), Period.year(2024), "630000", today=dt.date(2025, 6, 15))
    assert b.measures["accidents"].state != State.INSUFFICIENT
    assert b.measures["larger_accidents"].not_released == ("current",)
    assert b.source.not_released_by["larger_accidents"] == ("630200",)
    assert b.three_declines.unknown == ("larger", "major_plus")
    zh = brief_zh.items(b)["three_declines"][1]
    assert zh.startswith(
        "数据不足，无法完整判断：较大事故起数2024年未公布（海东市的统计报表未列该项）、"
        "重特大事故起数2024年未公布（海东市的统计报表未列该项）；事故总量同比"
    ), zh
    assert "其中，较大事故本期未公布；重特大事故本期未公布。" in brief_zh.headline(b)
    en = brief_en.items(b)["three_declines"][1]
    assert en.startswith(
        "cannot be fully judged: larger accidents not released for 2024 (not in the statistics of Haidong)"
    ), en
    assert brief_json(b)["source"]["not_released_by"]["larger_accidents"] == [{"code": "630200", "name": "海东市"}]


def test_the_briefing_and_trends_pages_show_not_released(haidong_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("SAFETY_DB", str(haidong_db))
    monkeypatch.setenv("SAFETY_TODAY", "2025-06-15")
    monkeypatch.setenv("SAFETY_DEMO", "0")
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.query_params["period"], at.query_params["region"] = "2024", "630000"
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    tiles = [(m.label, m.value) for m in at.metric][:4]  # the headline tiles
    assert tiles[2:] == [("较大事故", "未公布"), ("重特大事故", "未公布")]
    assert tiles[0][0] == "事故起数" and int(tiles[0][1]) > 0
    assert at.metric[2].delta.startswith("未公布 · 去年同期 ")
    shown = " ".join(md.value for md in at.markdown)
    assert "较大事故 未公布" in shown and "nan" not in shown.lower()
    at.switch_page("views/trends.py").run()
    assert not at.exception, [e.message for e in at.exception]


@pytest.fixture
def upload_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The 数据管理 page on an empty store of its own, accident statistics chosen."""
    from streamlit.testing.v1 import AppTest

    db = tmp_path / "upload.duckdb"
    open_store(db).ensure_schema()
    monkeypatch.setenv("SAFETY_DB", str(db))
    monkeypatch.setenv("SAFETY_DEMO", "0")
    monkeypatch.setenv("SAFETY_TODAY", "2025-06-15")
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.run()
    at.switch_page("views/data_status.py").run()
    at.selectbox(key="up_kind").set_value("accident-stats").run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _preview(at) -> pd.DataFrame:
    """The upload page's ③ preview (its columns are named 中文 · column)."""
    return next(d.value for d in at.dataframe if "事故起数 · accidents" in d.value.columns)


def test_the_upload_preview_says_not_released(upload_page) -> None:
    text = HEADER + "2017,全国,52988,37852,567,2253,25,336\n2018,全国,未公布,34046,478,1913,19,262\n"
    at = upload_page
    at.file_uploader(key="up_file").set_value(("national.csv", text.encode("utf-8"), "text/csv")).run()
    assert not at.exception, [e.message for e in at.exception]
    preview = _preview(at)
    assert preview["事故起数 · accidents"].tolist() == ["52988", "未公布"]
    assert preview["死亡人数 · deaths"].tolist() == ["37852", "34046"]
    notes = [c.value for c in at.caption]
    assert "· 第 3 行：“事故起数”为空或未公布：按未知保存，不记为 0" in notes, notes


def test_the_upload_page_offers_to_map_a_count_when_none_is_recognised(upload_page) -> None:
    at = upload_page
    at.file_uploader(key="up_file").set_value(
        ("odd.csv", "年份,地区,数量（件）\n2024,长沙市,5\n".encode(), "text/csv")
    ).run()
    assert any("缺少必填列：事故起数" in e.value for e in at.error), [e.value for e in at.error]
    at.selectbox(key="up_missing_accident-stats_odd.csv_accidents").set_value("数量（件）").run()
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert _preview(at)["事故起数 · accidents"].tolist() == ["5"]


# ---------------------------------------------------------------------------------------------- judgements

COMPARE_CASES = [
    # (id, current, previous, not released, state)
    ("this year's count not released", None, 52988, ("current",), State.INSUFFICIENT),
    ("last year's count not released", 45657, None, ("previous",), State.INSUFFICIENT),
    ("both released", 34046, 37852, (), State.DECLINED),
]


@pytest.mark.parametrize(
    ("current", "previous", "unreleased", "state"), [c[1:] for c in COMPARE_CASES], ids=[c[0] for c in COMPARE_CASES]
)
def test_a_comparison_says_which_side_was_not_released(current, previous, unreleased, state) -> None:
    c = compare(current, previous, unreleased)
    assert (c.state, c.not_released, c.change) == (state, unreleased, None if unreleased else -3806)


def test_not_released_must_name_a_missing_side() -> None:
    with pytest.raises(
        ValueError,
        match=r"not_released names a side whose value is missing \('current' or "
        r"'previous'\), got 'current'",
    ):
        compare(5, None, ("current",))
    with pytest.raises(ValueError, match=r"got 'now'"):
        compare(None, 5, ("now",))


def test_three_declines_names_the_measure_it_cannot_judge() -> None:
    t = three_declines(compare(None, 52988, ("current",)), compare(478, 567), compare(19, 25))
    assert t.state == Judgement.INSUFFICIENT
    assert t.unknown == ("accidents",)
    assert (t.larger.state, t.major_plus.state) == (State.DECLINED, State.DECLINED)


FORMAT_CASES = [
    # (id, comparison, lang, current shown, previous shown, change shown)
    ("not released this year", compare(None, 52988, ("current",)), "zh", "未公布", "5.3万", "未公布"),
    ("not released last year", compare(45657, None, ("previous",)), "en", "45,657", "not released", "not released"),
    ("no data is not 'not released'", compare(None, 52988), "zh", "—", "5.3万", "数据不足"),
]


@pytest.mark.parametrize(
    ("c", "lang", "cur", "prev", "change"), [c[1:] for c in FORMAT_CASES], ids=[c[0] for c in FORMAT_CASES]
)
def test_pages_show_not_released_never_0_or_nan(c, lang, cur, prev, change) -> None:
    assert (fmt_measure(c, "current", lang), fmt_measure(c, "previous", lang), fmt_change_pct(c, lang)) == (
        cur,
        prev,
        change,
    )


def test_the_judgement_boxes_and_the_wall_screen_say_not_released() -> None:
    c = compare(None, 52988, ("current",))
    assert (state_label(c, "zh"), state_label(c, "en")) == ("未公布", "not released")
    assert state_label(compare(None, 52988), "zh") == "数据不足"
    html = kpi_html("accidents", c, "zh")
    assert '<div class="value">未公布</div>' in html  # no unit after it, no 0, no nan
    assert "去年同期 5.3万" in html
    assert "nan" not in html.lower()


# ---------------------------------------------------------------------------------------------- end to end


def national_table(path: Path) -> Path:
    """全国 2017–2019 as a statistical yearbook lays it out: a title row, then the table; 2018's 事故起数
    is an empty cell (only deaths and 较大/重特大 were released)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["全国生产安全事故情况统计表"])
    ws.append(
        [
            "年份",
            "地区",
            "事故起数",
            "死亡人数",
            "较大事故起数",
            "较大事故死亡人数",
            "重特大事故起数",
            "重特大事故死亡人数",
        ]
    )
    ws.append([2017, "全国", 52988, 37852, 567, 2253, 25, 336])
    ws.append([2018, "全国", None, 34046, 478, 1913, 19, 262])
    ws.append([2019, "全国", 45657, 29519, 426, 1708, 17, 259])
    wb.save(path)
    return path


def run(module: str, *args: str) -> subprocess.CompletedProcess:
    return run_in_process(module, *args)


def test_national_2018_is_judged_for_what_was_released(tmp_path: Path) -> None:
    db = str(tmp_path / "n.duckdb")
    done = run("loaders", "import", "accident-stats", str(national_table(tmp_path / "national.xlsx")), "--db", db)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == "read 3 rows: 3 new, 0 updated, 0 unchanged, 0 rejected; 0 skipped"
    assert "  note: 事故起数 empty or not released (未公布) in row 4: stored as unknown, not as 0" in done.stdout

    brief = run("reports", "brief", "--period", "2018", "--region", "全国", "--db", db, "--today", "2024-01-01")
    assert brief.returncode == 0, brief.stderr
    b = json.loads(brief.stdout)
    states = {
        m: b["measures"][m]["state"]
        for m in ("accidents", "deaths", "larger_accidents", "major_plus_accidents", "major_plus_deaths")
    }
    assert states == {
        "accidents": "insufficient_data",
        "deaths": "declined",
        "larger_accidents": "declined",
        "major_plus_accidents": "declined",
        "major_plus_deaths": "declined",
    }
    assert b["measures"]["accidents"]["current"] is None  # not 0
    assert b["measures"]["deaths"] == {
        "current": 34046,
        "previous": 37852,
        "change": -3806,
        "change_pct": -10.05,
        "state": "declined",
    }
    assert b["three_declines"] == {"state": "insufficient_data"}
    assert b["three_declines_unknown"] == ["accidents"]
    assert b["double_decline"] == {"state": "insufficient_data"}
    assert b["not_released"] == {"current": ["accidents"], "previous": []}

    md = run(
        "reports",
        "brief",
        "--period",
        "2018",
        "--region",
        "全国",
        "--db",
        db,
        "--today",
        "2024-01-01",
        "--format",
        "md",
    )
    assert md.returncode == 0, md.stderr
    assert "2018年，全国共发生生产安全事故起数未公布、死亡34046人，死亡人数同比下降10.1%。" in md.stdout
    assert (
        "- **三个继续下降**：数据不足，无法完整判断：事故总量2018年未公布；较大事故起数同比下降15.7%，"
        "重特大事故起数同比下降24.0%。"
    ) in md.stdout
    assert "- **双下降**：数据不足，无法完整判断：事故起数2018年未公布；死亡人数同比下降10.1%。" in md.stdout

    from reports.pack import _headline_slide  # the meeting pack's headline figures

    pack_brief = build_brief(StoreData(Store(Path(db))), Period.year(2018), "100000", today=dt.date(2024, 1, 1))
    accidents, deaths = _headline_slide(pack_brief, "zh").figures[:2]
    assert (accidents.value, accidents.unit, accidents.note) == ("未公布", "", "本期未公布，无法比较")
    assert (deaths.value, deaths.note) == ("3.4万", "同比−10.1%，去年3.8万人")

    en = run(
        "reports",
        "brief",
        "--period",
        "2019",
        "--region",
        "全国",
        "--db",
        db,
        "--today",
        "2024-01-01",
        "--format",
        "md",
        "--lang",
        "en",
    )
    assert en.returncode == 0, en.stderr
    assert (
        "In 2019, China had 45,657 production-safety accidents and 29,519 deaths: accidents not released a year "
        "earlier, so not comparable; deaths down 13.3% year on year."
    ) in en.stdout
    assert (
        "- **Three continued declines**: cannot be fully judged: accidents not released for 2018; larger "
        "accidents down 10.9% year on year, major-and-above accidents down 10.5% year on year."
    ) in en.stdout
