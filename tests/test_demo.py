"""The demo data: deterministic, at national magnitudes, consistent with Decree 493 and the hazard
closed loop, shaped exactly like the store's tables, and written to the store atomically."""

from __future__ import annotations

import datetime as dt
import json
import re

import duckdb
import pandas as pd
import pytest
from conftest import run_in_process

from domain.grading import grade_series
from domain.regions import hierarchy_columns, load_regions
from loaders import demo
from loaders.ids import row_hashes
from store.duckdb_store import Store
from store.tables import FACT_TABLES

TODAY = dt.date(2025, 6, 15)
HAZARDS = 20_000
PROVENANCE = ("import_id", "source_row", "row_hash")


@pytest.fixture(scope="module")
def frames() -> dict[str, pd.DataFrame]:
    return demo.generate_demo(seed=2019, hazards=HAZARDS, today=TODAY)


@pytest.fixture(scope="module")
def accidents(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    return frames["accidents"].assign(year=frames["accidents"]["occurred_at"].dt.year)


@pytest.fixture(scope="module")
def hazards(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    return frames["hazards"]


@pytest.fixture(scope="module")
def table_columns(tmp_path_factory: pytest.TempPathFactory) -> dict[str, set[str]]:
    store = Store(tmp_path_factory.mktemp("schema") / "schema.duckdb")
    store.ensure_schema()
    cols = store.query("SELECT table_name, column_name FROM information_schema.columns")
    return {t: set(g["column_name"]) for t, g in cols.groupby("table_name")}


# ------------------------------------------------------------------------------------------ shape


def test_same_arguments_give_the_same_frames_and_another_seed_differs(frames):
    again = demo.generate_demo(seed=2019, hazards=HAZARDS, today=TODAY)
    assert set(again) == set(frames) == {"accidents", "hazards", "accident-stats", "hazard-stats", "targets"}
    for kind, frame in frames.items():
        pd.testing.assert_frame_equal(again[kind], frame)
    other = demo.generate_demo(seed=7, hazards=HAZARDS, today=TODAY)
    for kind in ("accidents", "hazards"):
        assert not other[kind]["row_hash"].equals(frames[kind]["row_hash"])


def test_frames_have_exactly_the_columns_of_their_tables(frames, table_columns):
    for kind, frame in frames.items():
        table, _ = FACT_TABLES[kind]
        assert set(frame.columns) == table_columns[table], kind
        assert len(frame.columns) == len(set(frame.columns))


def test_ids_are_unique_and_provenance_is_filled(frames):
    # Targets keep the natural id an imported file gives them (T-<region>-<year>), so that a bureau's
    # own file replaces the demo's target instead of standing beside it.
    prefixes = {
        "accidents": "DEMO-A-",
        "hazards": "DEMO-H-",
        "accident-stats": "DEMO-AS-",
        "hazard-stats": "DEMO-HS-",
        "targets": "T-",
    }
    for kind, frame in frames.items():
        _, id_col = FACT_TABLES[kind]
        ids = frame[id_col]
        assert ids.is_unique and ids.str.startswith(prefixes[kind]).all(), kind
        assert (frame["import_id"] == f"demo-2019-{kind}").all()
        assert frame["source_row"].isna().all()
        data = frame.drop(columns=list(PROVENANCE))
        assert frame["row_hash"].tolist() == row_hashes(data).tolist(), kind
    assert frames["accidents"]["accident_id"].iloc[0] == "DEMO-A-000001"
    assert frames["accidents"]["occurred_at"].is_monotonic_increasing


def test_arguments_are_checked():
    with pytest.raises(ValueError, match="hazards must be a non-negative integer"):
        demo.generate_demo(hazards=-1, today=TODAY)
    with pytest.raises(ValueError, match="today must be 2019-02-01 or later"):
        demo.generate_demo(hazards=10, today=dt.date(2018, 12, 31))
    with pytest.raises(ValueError, match="today must be a datetime.date, got '2025-06-15'"):
        demo.generate_demo(hazards=10, today="2025-06-15")
    with pytest.raises(ValueError, match="accidents must be a positive integer"):
        demo.generate_demo(hazards=10, today=TODAY, accidents=0)


# ------------------------------------------------------------------------------------------ accidents


def test_2024_national_magnitudes(accidents):
    y = accidents[accidents["year"] == 2024]
    assert 19_000 <= len(y) <= 24_500
    assert 17_000 <= y["deaths"].sum() <= 22_500
    assert 300 <= (y["grade"] == "larger").sum() <= 480
    assert 4 <= y["grade"].isin(["major", "extraordinary"]).sum() <= 16
    assert (accidents["grade"] == "extraordinary").sum() >= 1


def test_accidents_fall_from_2019_to_2024(accidents):
    per_year = accidents.groupby("year").agg(n=("accident_id", "size"), deaths=("deaths", "sum"))
    assert per_year.loc[2019:2024, "n"].is_monotonic_decreasing
    assert per_year.loc[2024, "deaths"] < 0.8 * per_year.loc[2019, "deaths"]
    assert accidents["occurred_at"].min() >= pd.Timestamp("2019-01-01")
    assert accidents["occurred_at"].max() < pd.Timestamp(TODAY)


def test_seasonality_has_a_february_dip(accidents):
    y = accidents[accidents["year"] == 2024]
    by_month = y.groupby(y["occurred_at"].dt.month).size()
    assert by_month[2] == by_month.min()


def test_some_provinces_and_industries_rise_in_the_last_full_year(accidents):
    last = TODAY.year - 1
    notes = demo.demo_notes(seed=2019, hazards=HAZARDS, today=TODAY)
    for column, rising in (("province_code", notes["rising_provinces"]), ("industry", notes["rising_industries"])):
        counts = accidents[accidents["year"].isin([last - 1, last])].pivot_table(
            index=column, columns="year", values="accident_id", aggfunc="size"
        )
        up = counts[counts[last] > counts[last - 1]].index
        assert len(up) >= 1, column
        assert set(rising) & set(up), column
    national = accidents.groupby("year").size()
    assert national[last] < national[last - 1]


def test_industry_mix_and_accident_types(accidents):
    share = accidents["industry"].value_counts(normalize=True)
    assert 0.5 <= share["road_transport"] <= 0.6
    assert 0.12 <= share["construction"] <= 0.2
    assert 0.07 <= share["industry_trade"] <= 0.13
    assert set(share.index) == {i.code for i in demo.INDUSTRIES}
    types = accidents.groupby("industry")["accident_type"].agg(lambda s: s.value_counts().index[0])
    assert types["road_transport"] == "车辆伤害"
    assert types["construction"] == "高处坠落"
    assert types["fireworks"] == "火药爆炸"
    assert types["fishing"] == "淹溺"
    assert types["fire"] == "火灾"
    gb6441 = {
        "物体打击",
        "车辆伤害",
        "机械伤害",
        "起重伤害",
        "触电",
        "淹溺",
        "灼烫",
        "火灾",
        "高处坠落",
        "坍塌",
        "冒顶片帮",
        "透水",
        "放炮",
        "火药爆炸",
        "瓦斯爆炸",
        "锅炉爆炸",
        "容器爆炸",
        "其他爆炸",
        "中毒和窒息",
        "其他伤害",
    }
    assert set(accidents["accident_type"]) <= gb6441


def test_grades_follow_decree_493_and_conflicts_are_marked(accidents):
    derived = grade_series(
        accidents["deaths"] + accidents["missing"], accidents["serious_injuries"], accidents["direct_loss_wan"]
    )
    assert (derived == accidents["grade"]).all()
    reported = accidents["grade_reported"]
    assert 0.15 <= reported.isna().mean() <= 0.25
    conflict = reported.notna() & (reported != accidents["grade"])
    assert conflict.sum() >= 5
    assert accidents["grade_conflict"].tolist() == conflict.tolist()
    assert set(reported.dropna()) <= {"general", "larger", "major", "extraordinary"}
    general = accidents[accidents["grade"] == "general"]
    assert general["deaths"].isin([0, 1, 2]).all()
    assert (general["deaths"] == 1).mean() > 0.6


def test_record_fields_read_like_real_records(accidents):
    pattern = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日\d{1,2}时许，.+发生一起.+事故，.+。$")
    assert accidents["summary"].map(lambda s: bool(pattern.match(s))).all()
    assert 0.65 <= accidents["longitude"].notna().mean() <= 0.75
    xy = accidents.dropna(subset=["longitude"])
    assert xy["longitude"].between(73, 136).all() and xy["latitude"].between(3, 54).all()
    assert (xy["longitude"].isna() == xy["latitude"].isna()).all()
    named = accidents["enterprise"].dropna()
    assert named.str.endswith(("公司", "合作社")).all()
    assert accidents.loc[accidents["industry"] == "construction", "enterprise"].notna().all()
    assert accidents.loc[accidents["industry"] == "road_transport", "enterprise"].isna().any()


# ------------------------------------------------------------------------------------------ regions


def test_regions_exist_and_cover_the_31_mainland_provinces(frames, accidents):
    regions = load_regions()
    for kind, frame in frames.items():
        assert frame["region_code"].isin(list(regions)).all(), kind
        expected = hierarchy_columns(frame["region_code"])
        for col in expected.columns:
            pd.testing.assert_series_equal(
                frame[col].reset_index(drop=True), expected[col].reset_index(drop=True), check_names=False
            )
    mainland = {c for c, r in regions.items() if r.level == "province"} - {"710000", "810000", "820000"}
    assert len(mainland) == 31
    assert set(accidents["province_code"]) == mainland
    assert set(frames["hazards"]["province_code"]) == mainland
    leaf_levels = set(accidents["region_level"]) | set(frames["hazards"]["region_level"])
    assert leaf_levels == {"county", "city"}
    assert {"441900", "460400"} <= set(accidents["region_code"])  # 东莞, 儋州: cities without counties


def test_aggregate_only_cities_have_monthly_totals_and_no_records(frames, accidents):
    cities = set(demo.AGGREGATE_ONLY_CITIES)
    assert all(load_regions()[c].level == "city" for c in cities)
    assert not accidents["city_code"].isin(cities).any()
    stats = frames["accident-stats"]
    assert set(stats["region_code"]) == cities
    months = pd.period_range("2019-01", "2025-05", freq="M").astype(str)
    for city, g in stats.groupby("region_code"):
        assert g["period"].tolist() == list(months), city
    assert (stats["period_kind"] == "month").all() and stats["industry"].isna().all()
    assert (stats["larger_accidents"] + stats["major_accidents"] <= stats["accidents"]).all()
    assert (stats["larger_deaths"] + stats["major_deaths"] <= stats["deaths"]).all()
    per_city_year = stats[stats["year"] == 2024].groupby("region_code")["accidents"].sum()
    assert (per_city_year > 0).all() and (per_city_year < 400).all()


# ------------------------------------------------------------------------------------------ hazards


def test_about_one_percent_of_hazards_are_major(hazards):
    assert len(hazards) == HAZARDS
    assert 0.005 <= (hazards["grade"] == "major").mean() <= 0.02
    assert set(hazards["grade"]) == {"general", "major"}


def test_hazard_dates_never_run_backwards(hazards):
    h = hazards
    assert not (h["rectified_date"] < h["found_date"]).any()
    assert not (h["accepted_date"] < h["rectified_date"]).any()
    assert not (h["deadline"] < h["found_date"]).any()
    assert not (h["accepted_date"].notna() & h["rectified_date"].isna()).any()
    latest = h[["found_date", "rectified_date", "accepted_date"]].max(axis=1)
    assert (latest <= pd.Timestamp(TODAY)).all()
    assert h["found_date"].min() >= pd.Timestamp("2019-01-01")


def test_hazard_status_matches_the_dates(hazards):
    h, status = hazards, hazards["status"]
    assert set(status) == {"found", "rectifying", "rectified", "closed", "acceptance_failed"}
    assert (h["accepted_date"].notna() == (status == "closed")).all()
    assert h.loc[status == "found", ["deadline", "rectified_date"]].isna().all().all()
    assert h.loc[status == "rectifying", "rectified_date"].isna().all()
    assert h.loc[status == "rectifying", "deadline"].notna().all()
    assert h.loc[status.isin(["rectified", "acceptance_failed"]), "rectified_date"].notna().all()
    assert not h["status_derived"].any()
    assert (status == "acceptance_failed").sum() >= 5
    overdue = status.isin(["found", "rectifying", "acceptance_failed"]) & (h["deadline"] < pd.Timestamp(TODAY))
    assert overdue.sum() >= 10
    recent = h["found_date"] >= pd.Timestamp(TODAY) - pd.Timedelta(days=365)
    assert overdue[recent].mean() > overdue[~recent].mean()


def test_major_hazards_are_supervised_and_have_five_in_place(hazards):
    major = hazards[hazards["grade"] == "major"]
    general = hazards[hazards["grade"] == "general"]
    assert set(major["supervision_level"]) == {"none", "county", "city", "province"}
    assert (general["supervision_level"] == "none").all()
    flags = ["measures_in_place", "funds_in_place", "deadline_in_place", "person_in_place", "plan_in_place"]
    assert major[flags].notna().all().all()
    assert (major[flags].mean() > 0.75).all() and (~major[flags].astype(bool)).any().any()
    assert general[flags].isna().all().all()
    assert major["funds_wan"].median() > 5 * general["funds_wan"].median()
    allowed = (major["deadline"] - major["found_date"]).dt.days
    assert allowed.between(30, 180).all()


def test_enterprises_have_valid_credit_codes(hazards):
    chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    codes = hazards["credit_code"].unique()
    assert 1_000 <= len(codes) == hazards["enterprise"].nunique()
    for code in codes[:500]:
        assert len(code) == 18 and code[2:8] in load_regions()
        check = (31 - sum(chars.index(c) * w for c, w in zip(code[:17], weights, strict=True)) % 31) % 31
        assert code[17] == chars[check], code
    assert (hazards["credit_code"].str[2:8] == hazards["region_code"]).all()


def test_hazard_stats_counties_report_monthly_and_have_no_records(frames, hazards):
    counties = set(demo.HAZARD_STATS_COUNTIES)
    assert not hazards["region_code"].isin(counties).any()
    stats = frames["hazard-stats"]
    assert set(stats["region_code"]) == counties
    assert stats["period"].min() == "2019-01" and stats["period"].max() == "2025-05"
    assert stats.groupby(["region_code", "period"]).size().between(3, 8).all()
    assert (stats["general_rectified"] <= stats["general_found"]).all()
    assert (stats["major_rectified"] <= stats["major_found"]).all()
    assert (stats["major_closed"] <= stats["major_rectified"]).all()
    assert (stats["major_supervised_province"] <= stats["major_supervised"]).all()
    for col in ("major_in_plan", "major_five_in_place", "major_supervised"):
        assert (stats[col] <= stats["major_found"]).all()
    assert stats["major_found"].sum() > 0


# ------------------------------------------------------------------------------------------ targets


def test_targets_for_the_nation_and_every_province_every_year(frames, accidents):
    targets = frames["targets"]
    provinces = {c for c, r in load_regions().items() if r.level == "province"} - {"710000", "810000", "820000"}
    assert set(targets["region_code"]) == provinces | {"100000"}
    assert sorted(set(targets["year"])) == list(range(2019, TODAY.year + 1))
    assert len(targets) == 32 * len(range(2019, TODAY.year + 1))
    assert (targets["target_id"] == "T-" + targets["region_code"] + "-" + targets["year"].astype(str)).all()
    assert targets["accidents_target"].notna().all()
    # A target is the year before's deaths (incl. the missing, every region however reported) cut by 0-5 %.
    acc = frames["accidents"].assign(
        year=frames["accidents"]["occurred_at"].dt.year,
        lost=frames["accidents"]["deaths"] + frames["accidents"]["missing"],
    )
    stats = frames["accident-stats"]
    deaths = (
        acc.groupby(["province_code", "year"])["lost"]
        .sum()
        .add(stats.groupby(["province_code", "year"])["deaths"].sum(), fill_value=0)
    )
    t = targets[targets["year"] >= 2020].set_index(["region_code", "year"])["deaths_target"]
    for (code, year), target in t.items():
        last = deaths.loc[(slice(None), year - 1)].sum() if code == "100000" else deaths.loc[(code, year - 1)]
        assert 0.95 * last - 1 <= target <= last + 1, (code, year)
    # This year some provinces run ahead of time progress (deaths share > days share), most do not.
    elapsed = (TODAY - dt.date(TODAY.year, 1, 1)).days / 365
    so_far = acc[acc["year"] == TODAY.year].groupby("province_code")["lost"].sum()
    this_year = targets[(targets["year"] == TODAY.year) & (targets["region_code"] != "100000")]
    share = so_far.reindex(this_year["region_code"]).to_numpy() / this_year["deaths_target"].to_numpy()
    assert 1 <= (share > elapsed).sum() <= 20


# ------------------------------------------------------------------------------------------ the store


def _table_counts(path) -> dict[str, int]:
    store = Store(path)
    return {kind: int(store.scalar(f"SELECT count(*) FROM {table}")) for kind, (table, _) in FACT_TABLES.items()}


def test_build_demo_store_writes_every_frame(tmp_path, frames):
    path = tmp_path / "demo.duckdb"
    result = demo.build_demo_store(path, seed=2019, hazards=HAZARDS, today=TODAY)
    assert _table_counts(path) == {kind: len(frame) for kind, frame in frames.items()}
    assert result["accidents"] == len(frames["accidents"]) and result["hazards"] == HAZARDS
    assert result["seconds"] > 0
    imports = Store(path).imports()
    assert sorted(imports["kind"]) == sorted(frames)
    assert (imports["rows_read"] == imports["kind"].map({k: len(f) for k, f in frames.items()})).all()
    assert (imports["file_name"] == "demo (seed 2019)").all()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo.duckdb"]  # no temporary file left
    stored = Store(path).table("accident-stats")
    assert stored["deaths"].sum() == frames["accident-stats"]["deaths"].sum()


def test_build_demo_store_writes_hazards_in_chunks(tmp_path, monkeypatch):
    monkeypatch.setattr(demo.hazards, "CHUNK_ROWS", 4_000)
    path = tmp_path / "chunked.duckdb"
    demo.build_demo_store(path, seed=5, hazards=10_001, today=TODAY)
    store = Store(path)
    assert store.scalar("SELECT count(DISTINCT hazard_id) FROM hazards") == 10_001
    assert store.scalar("SELECT max(hazard_id) FROM hazards") == "DEMO-H-0010001"
    expected = demo.generate_demo(seed=5, hazards=10_001, today=TODAY)["hazards"]
    stored = store.table("hazards")
    assert stored["row_hash"].tolist() == expected["row_hash"].tolist()


def test_hazards_are_stored_by_province_found_date_and_id(tmp_path, monkeypatch):
    # Made in that order batch by batch (no sort afterwards): a province's questions skip other blocks.
    monkeypatch.setattr(demo.hazards, "CHUNK_ROWS", 1_000)
    path = tmp_path / "ordered.duckdb"
    demo.build_demo_store(path, seed=3, hazards=5_000, today=TODAY)
    store = Store(path)
    stored = store.query("SELECT province_code, found_date, hazard_id FROM hazards")  # as stored
    assert len(stored) == 5_000 and stored["province_code"].nunique() == 31
    expected = stored.sort_values(["province_code", "found_date", "hazard_id"], ignore_index=True)
    pd.testing.assert_frame_equal(stored, expected)
    # The primary keys, added once the records were in, are the schema's.
    keys = store.query(
        "SELECT table_name, constraint_column_names FROM duckdb_constraints() "
        "WHERE constraint_type = 'PRIMARY KEY' AND table_name IN ('hazards', 'accidents') "
        "ORDER BY table_name"
    )
    assert keys["constraint_column_names"].map(list).tolist() == [["accident_id"], ["hazard_id"]]
    with pytest.raises(duckdb.ConstraintException):
        store.query("INSERT INTO hazards SELECT * FROM hazards LIMIT 1")


def test_accidents_can_be_asked_for(tmp_path):
    n = 40_000
    frames = demo.generate_demo(seed=2019, hazards=1_000, today=TODAY, accidents=n)
    acc = frames["accidents"].assign(year=frames["accidents"]["occurred_at"].dt.year)
    assert len(acc) == n and acc["accident_id"].is_unique
    assert not acc["city_code"].isin(demo.AGGREGATE_ONLY_CITIES).any()
    assert acc["occurred_at"].is_monotonic_increasing and acc["occurred_at"].max() < pd.Timestamp(TODAY)
    # The same shape at a larger scale: the yearly fall, the industry mix, the grades and their share.
    per_year = acc.groupby("year").size()
    assert per_year.loc[2019:2024].is_monotonic_decreasing
    assert 0.5 <= (acc["industry"] == "road_transport").mean() <= 0.6
    assert 0.012 <= (acc["grade"] == "larger").mean() <= 0.025
    assert acc["grade"].isin(["major", "extraordinary"]).sum() >= 10
    derived = grade_series(acc["deaths"] + acc["missing"], acc["serious_injuries"], acc["direct_loss_wan"])
    assert (derived == acc["grade"]).all()
    # The aggregate-only cities' statistics and the targets follow the records.
    default = demo.generate_demo(seed=2019, hazards=1_000, today=TODAY)
    ratio = n / len(default["accidents"])
    stats, default_stats = frames["accident-stats"], default["accident-stats"]
    assert len(stats) == len(default_stats)
    assert 0.8 * ratio <= stats["accidents"].sum() / default_stats["accidents"].sum() <= 1.2 * ratio
    targets = frames["targets"].set_index("target_id")["deaths_target"]
    default_targets = default["targets"].set_index("target_id")["deaths_target"]
    assert 0.8 * ratio <= targets["T-100000-2024"] / default_targets["T-100000-2024"] <= 1.2 * ratio
    assert (frames["hazards"]["row_hash"] == default["hazards"]["row_hash"]).all()  # hazards do not depend on it

    path = tmp_path / "demo.duckdb"
    result = demo.build_demo_store(path, seed=2019, hazards=1_000, today=TODAY, accidents=n)
    assert result["accidents"] == n and _table_counts(path)["accidents"] == n
    imports = Store(path).imports().set_index("kind")
    assert imports.loc["accidents", "rows_read"] == n
    assert json.loads(imports.loc["accidents", "notes"])["accidents"] == n
    assert "accidents" not in demo.demo_notes(seed=2019, hazards=1_000, today=TODAY)  # the default's, as before


def test_the_command_line_takes_the_number_of_accidents(tmp_path):
    db = tmp_path / "cli.duckdb"
    done = run_in_process("loaders", "demo", "--hazards", "500", "--accidents", "0", "--db", str(db))
    assert done.returncode == 2 and "accidents must be a positive integer" in done.stderr
    assert not db.exists()
    done = run_in_process("loaders", "demo", "--hazards", "500", "--accidents", "20000", "--db", str(db))
    assert done.returncode == 0, done.stderr
    printed = json.loads(done.stdout.strip().splitlines()[-1])
    assert printed["accidents"] == 20_000 and printed["hazards"] == 500
    assert _table_counts(db)["accidents"] == 20_000


def test_a_failed_build_leaves_nothing_behind(tmp_path, monkeypatch):
    path = tmp_path / "demo.duckdb"

    def broken(self, frames, records):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Store, "replace_all", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        demo.build_demo_store(path, hazards=100, today=TODAY)
    assert list(tmp_path.iterdir()) == []
