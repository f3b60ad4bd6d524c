"""Region scope: a store opened for an account's region shows only that region's subtree to every query
of the project (temporary views shadow the region tables), and refuses changes outside it.

One store holding two provinces (湖南 and 广东, cut from the demo); each case asks a page's question for
the whole country through a store scoped to a region, and compares it with the same question asked of
that region on the whole store — and checks that no enterprise of another region shows up."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from conftest import DEMO_TODAY, TEST_SESSION_ENV, copy_store

from analytics.accidents import in_subtree
from domain.periods import Period
from domain.regions import within
from store import ScopeError, Store
from store.duckdb_store import SCOPED_TABLES, subtree_sql

PERIOD = Period.parse("2024")
KEEP = ("430000", "440000")


@pytest.fixture(scope="module")
def two_provinces(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = copy_store(demo_template, tmp_path_factory.mktemp("scope") / "two.duckdb")
    store = Store(db)
    keep = " OR ".join(f"province_code = '{p}'" for p in KEEP)
    with store.connect() as con:
        for table in SCOPED_TABLES:
            con.execute(f"DELETE FROM {table} WHERE NOT ({keep})")
        con.execute("CHECKPOINT")
    store.close()
    return db


@pytest.mark.parametrize("scope", ["430000", "430100", "440300", "430102"])
def test_every_region_table_shows_only_the_scope(two_provinces: Path, scope: str) -> None:
    whole, scoped = Store(two_provinces), Store(two_provinces, scope)
    for table in SCOPED_TABLES:
        everything = whole.table(table)
        seen = scoped.table(table)
        assert in_subtree(seen, scope).all(), table
        assert len(seen) == int(in_subtree(everything, scope).sum()), table
    # Asked by name with its own WHERE, the table is still the scope's.
    assert scoped.scalar("SELECT count(*) FROM hazards WHERE province_code = '440000'") == (
        whole.scalar(f"SELECT count(*) FROM hazards WHERE province_code = '440000' AND {subtree_sql(scope)}")
    )


@pytest.mark.parametrize("scope", ["430100", "440300"])
def test_the_pages_questions_asked_for_the_country_answer_for_the_scope(two_provinces: Path, scope: str) -> None:
    from analytics.brief import build_brief
    from answers.brief_data import StoreData
    from answers.rectification import enterprise_list, load, monthly_report

    whole, scoped = Store(two_provinces), Store(two_provinces, scope)
    country = load(scoped, "100000", PERIOD, None, DEMO_TODAY)
    region = load(whole, scope, PERIOD, None, DEMO_TODAY)
    assert country.cohort == region.cohort and country.cohort.found > 0
    assert country.cumulative_last_year == region.cumulative_last_year
    assert (country.open_total, country.open_major_overdue) == (region.open_total, region.open_major_overdue)
    assert country.backlog.equals(region.backlog)
    assert set(country.board["enterprise"]) == set(region.board["enterprise"])

    b_country = build_brief(StoreData(scoped), PERIOD, "100000", today=DEMO_TODAY)
    b_region = build_brief(StoreData(whole), PERIOD, scope, today=DEMO_TODAY)
    assert b_country.hazards["found"] == b_region.hazards["found"]
    assert [(r["occurred_at"], r["region"]["code"]) for r in b_country.latest] == [
        (r["occurred_at"], r["region"]["code"]) for r in b_region.latest
    ]
    for r in b_country.latest:
        assert within(r["region"]["code"], scope), r

    # No enterprise of another region in the lists a page shows.
    names_outside = set(
        whole.query(f"SELECT DISTINCT enterprise FROM hazards WHERE NOT {subtree_sql(scope)}")["enterprise"]
    )
    names_inside = set(whole.query(f"SELECT DISTINCT enterprise FROM hazards WHERE {subtree_sql(scope)}")["enterprise"])
    listed, _repeats = enterprise_list(scoped, "100000", PERIOD, None, DEMO_TODAY)
    assert len(listed)
    assert not (set(listed["enterprise"]) & (names_outside - names_inside))
    report = monthly_report(scoped, "100000", PERIOD, None, DEMO_TODAY)
    assert len(report)


def test_a_scoped_store_refuses_an_import_outside_its_region(two_provinces: Path, tmp_path: Path) -> None:
    db = copy_store(two_provinces, tmp_path / "w.duckdb")
    whole, scoped = Store(db), Store(db, "430100")
    rows = whole.query("SELECT * FROM hazards WHERE province_code = '440000' LIMIT 3")
    before = whole.scalar("SELECT count(*) FROM imports")
    rows["import_id"] = "test-import"
    with pytest.raises(ScopeError, match="outside region 430100"):
        scoped.apply_import("hazards", rows, {"import_id": "test-import"}, pd.DataFrame())
    assert whole.scalar("SELECT count(*) FROM imports") == before


def test_a_scoped_store_refuses_to_undo_an_import_that_reaches_outside(two_provinces: Path, tmp_path: Path) -> None:
    db = copy_store(two_provinces, tmp_path / "u.duckdb")
    whole, scoped = Store(db), Store(db, "430100")
    import_id = whole.scalar("SELECT import_id FROM hazards GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")
    n = whole.scalar("SELECT count(*) FROM hazards")
    with pytest.raises(ScopeError, match="outside region 430100"):
        scoped.undo_import(import_id)
    assert whole.scalar("SELECT count(*) FROM hazards") == n
    assert whole.scalar("SELECT undone_at FROM imports WHERE import_id = ?", [import_id]) is None
    with pytest.raises(ScopeError, match="whole country"):
        scoped.replace_all({}, [])


@pytest.mark.parametrize(
    ("key", "path", "scope"),
    [
        ("/x/safety.duckdb", "/x/safety.duckdb", "100000"),
        ("/x/safety.duckdb|scope=430100", "/x/safety.duckdb", "430100"),
        ("/x/a|scope=b.duckdb", "/x/a|scope=b.duckdb", "100000"),  # not a scope: part of the file's name
    ],
)
def test_a_store_key_names_its_scope(key: str, path: str, scope: str) -> None:
    store = Store.of(key)
    assert (str(store.path), store.scope) == (path, scope)
    assert Store.of(store.key).key == store.key


@pytest.mark.parametrize("bad", ["43010", "4301000", "43o100", "", "430100' OR 1=1 --"])
def test_a_scope_is_a_six_digit_code(bad: str) -> None:
    with pytest.raises(ValueError, match="six-digit"):
        Store("/x/safety.duckdb", bad)


@pytest.mark.parametrize(
    ("code", "scope", "inside"),
    [
        ("430102", "100000", True),
        ("430102", "430000", True),
        ("430102", "430100", True),
        ("430102", "430102", True),
        ("430100", "430102", False),
        ("440300", "430000", False),
        ("100000", "430000", False),
        ("500101", "500000", True),
        ("429004", "420000", True),
    ],
)
def test_within(code: str, scope: str, inside: bool) -> None:
    assert within(code, scope) is inside


def test_the_scope_costs_a_view_per_cursor_not_a_copy(two_provinces: Path) -> None:
    """The views are the cursor's own: another cursor of the same process sees the whole store."""
    scoped, whole = Store(two_provinces, "430100"), Store(two_provinces)
    with scoped.connect() as a, whole.connect() as b:
        n_scoped = a.execute("SELECT count(DISTINCT province_code) FROM hazards").fetchone()[0]
        n_whole = b.execute("SELECT count(DISTINCT province_code) FROM hazards").fetchone()[0]
    assert (n_scoped, n_whole) == (1, 2)


# ---------------------------------------------------------------- every page of a city account

CITY = "430100"  # 长沙市


@pytest.fixture(scope="module")
def city_login(two_provinces: Path) -> tuple[Path, str, set[str]]:
    """(the two-province store, the session token of an analyst of 长沙市, the enterprises found only outside it)."""
    from accounts import service
    from accounts.model import auth_policy

    store = Store(two_provinces)
    service.create_account(
        store,
        "cs-analyst",
        "analyst",
        CITY,
        "Changsha-analyst-2025",
        display="长沙分析员",
        must_change=False,
        actor="test",
    )
    token = service.open_session(store, "cs-analyst", "test", auth_policy(TEST_SESSION_ENV))
    outside: set[str] = set()
    for table in ("hazards", "accidents"):
        names = store.query(
            f"SELECT enterprise, bool_or({subtree_sql(CITY)}) AS inside FROM {table} "
            "WHERE enterprise IS NOT NULL GROUP BY 1"
        )
        outside |= set(names.loc[~names["inside"], "enterprise"])
    store.close()
    return two_provinces, token, outside


def _texts(at) -> list[str]:
    out = [
        e.value
        for e in [*at.markdown, *at.caption, *at.warning, *at.info, *at.success, *at.title, *at.header, *at.subheader]
    ]
    out += [str(m.value) + str(m.label) for m in at.metric]
    for frame in [*at.dataframe, *at.table]:
        value = frame.value
        out.append(value.to_csv() if hasattr(value, "to_csv") else str(value))
    for kind in ("plotly_chart", "html", "json"):  # the figures' data and the pages' own HTML
        out += [str(getattr(e, "proto", e)) for e in at.get(kind)]
    return out


@pytest.mark.anonymous
@pytest.mark.parametrize(
    "path",
    [
        "views/briefing.py",
        "views/trends.py",
        "views/risk_map.py",
        "views/hazards.py",
        "views/explorer.py",
        "views/present.py",
    ],
)
def test_a_city_account_sees_nothing_from_outside_its_city(city_login, path: str, monkeypatch) -> None:
    """The link asks for the whole country; the page falls back to 长沙市 and shows no enterprise found only
    outside it, on any element."""
    from conftest import ROOT
    from streamlit.testing.v1 import AppTest

    from webapp.session import remember

    db, token, outside = city_login
    monkeypatch.setenv("SAFETY_DB", str(db))
    monkeypatch.setenv("SAFETY_TODAY", DEMO_TODAY.isoformat())
    monkeypatch.setenv("SAFETY_DEMO", "0")
    for name, value in TEST_SESSION_ENV.items():
        monkeypatch.setenv(name, value)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=180)
    remember(at.session_state, token)
    at.query_params["region"] = "100000"
    at.query_params["period"] = "2024"
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert any("本账号的数据范围为长沙市" in w.value for w in at.warning)
    at.switch_page(path).run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.query_params.get("region") == CITY
    shown = "\n".join(_texts(at))
    assert len(shown) > 200  # the page drew its figures
    leaked = sorted(n for n in outside if n in shown)
    assert not leaked, leaked[:5]


def test_a_city_accounts_downloads_and_pack_hold_only_its_city(city_login) -> None:
    """The Explorer's records download and the meeting pack, asked for the whole country through the city's
    store: only the city's records; no enterprise found only outside it in the pack's slides."""
    from analytics.brief import build_brief
    from answers.brief_data import StoreData
    from reports.pack import build_pack
    from reports.pack_gather import gather
    from reports.pptx_pack import pptx_bytes
    from store import explore_queries as eq

    db, _token, outside = city_login
    scoped = Store(db, CITY)
    scope = eq.Scope("100000", PERIOD.first_day, PERIOD.last_day)
    for kind in ("accidents", "hazards"):
        records = eq.all_records(scoped, kind, scope)
        assert len(records) and all(within(c, CITY) for c in records["region_code"]), kind
        assert not set(records["enterprise"].dropna()) & outside

    brief = build_brief(StoreData(scoped), PERIOD, "100000", today=DEMO_TODAY)
    pack = build_pack(gather(scoped, brief, DEMO_TODAY), "zh", DEMO_TODAY)
    data = pptx_bytes(pack)
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml"))
    assert not sorted(n for n in outside if n in xml)[:5]


def test_a_scoped_store_lists_only_the_imports_with_rows_in_its_region(two_provinces: Path, tmp_path: Path) -> None:
    """The import history, its rejects and the status of a 长沙 store name no file that brought nothing to 长沙."""
    db = copy_store(two_provinces, tmp_path / "h.duckdb")
    whole = Store(db)
    with whole.connect() as con:  # an import of 广东's rows only, with a reject
        con.execute(
            "INSERT INTO imports (import_id, kind, file_name, file_sha256, imported_at, rows_read, new_rows, "
            "updated_rows, unchanged_rows, rejected_rows, skipped_rows) VALUES ('gd-only', 'hazards', "
            "'广东台账.xlsx', 'x', now(), 1, 1, 0, 0, 1, 0)"
        )
        con.execute(
            "UPDATE hazards SET import_id = 'gd-only' WHERE hazard_id = "
            "(SELECT min(hazard_id) FROM hazards WHERE province_code = '440000')"
        )
    scoped = Store(db, CITY)
    assert "gd-only" in set(whole.imports()["import_id"])
    assert "gd-only" not in set(scoped.imports()["import_id"])
    assert not scoped.import_exists("gd-only") and whole.import_exists("gd-only")
    assert len(scoped.imports()) > 0  # the demo's imports brought rows to 长沙
    assert "广东台账.xlsx" not in str(scoped.status()["last_imports"])
