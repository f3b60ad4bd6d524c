"""The big screen (大屏) without a browser: its link's parameters and settings, the rotation, the stale
rule, the data's last-update stamp, and what its HTML says (links/screen.py, reports/screen.py)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

import settings
from links.screen import (
    MIN_REFRESH_S,
    ScreenConfig,
    age_text,
    is_stale,
    parse_screen_query,
    screen_defaults,
)

TODAY = dt.date(2025, 6, 15)
NOW = dt.datetime(2025, 6, 15, 12, 0)
H = dt.timedelta(hours=1)
DEFAULTS = ScreenConfig(("100000",), "ytd", "zh", 60.0, 30.0, 24.0)


# ---------------------------------------------------------------------------------------------- stale


@pytest.mark.parametrize(
    ("last_update", "max_age", "stale"),
    [
        (NOW - 2 * H, 24 * H, False),
        (NOW - 24 * H, 24 * H, False),  # exactly the age allowed: not yet stale
        (NOW - 24 * H - dt.timedelta(seconds=1), 24 * H, True),
        (NOW - 30 * 24 * H, 24 * H, True),
        (NOW - dt.timedelta(seconds=5), dt.timedelta(seconds=1), True),  # stale_hours=0.0003 or so
        (NOW + 2 * H, 24 * H, False),  # a clock set differently: the future is not stale
        (None, 24 * H, True),  # no import on record: the age is unknown
    ],
)
def test_is_stale(last_update, max_age, stale):
    assert is_stale(last_update, NOW, max_age) is stale


@pytest.mark.parametrize(
    ("age", "zh", "en"),
    [
        (dt.timedelta(minutes=9, seconds=59), "9 分钟", "9 min"),
        (dt.timedelta(hours=5, minutes=20), "5 小时", "5 h"),
        (dt.timedelta(days=3, hours=5), "3 天 5 小时", "3 d 5 h"),
        (dt.timedelta(days=2), "2 天", "2 d"),
        (-H, "0 分钟", "0 min"),
    ],
)
def test_age_text(age, zh, en):
    assert age_text(NOW - age, NOW, "zh") == zh
    assert age_text(NOW - age, NOW, "en") == en


# ---------------------------------------------------------------------------------------------- rotation


@pytest.mark.parametrize(
    ("playlist", "refresh", "rotate", "tick_s", "per_view", "regions"),
    [
        (("100000",), 60, 30, 60, 1, ["100000"] * 4),  # one region: no rotation, the refresh interval
        (("100000", "430000"), 60, 0, 60, 1, ["100000"] * 4),  # rotate=0: the first region only
        (("100000", "430000", "420000"), 60, 30, 30, 1, ["100000", "430000", "420000", "100000"]),
        (("100000", "430000"), 10, 30, 10, 3, ["100000"] * 3 + ["430000"] * 3 + ["100000"]),
        (("100000", "430000"), 20, 50, 20, 2, ["100000", "100000", "430000", "430000", "100000"]),  # 50/20 → 2 runs
    ],
)
def test_rotation(playlist, refresh, rotate, tick_s, per_view, regions):
    c = ScreenConfig(playlist, refresh_s=refresh, rotate_s=rotate)
    assert c.tick_s == tick_s
    assert c.ticks_per_view == per_view
    assert [c.region_at(i) for i in range(len(regions))] == regions


# ---------------------------------------------------------------------------------------------- the link


def test_no_parameters_give_the_defaults():
    config, notices = parse_screen_query({}, TODAY, DEFAULTS)
    assert (config, notices) == (DEFAULTS, [])


def test_every_parameter_is_read():
    params = {
        "refresh": "15",
        "rotate": "20",
        "playlist": "100000, 430000,420000,430000",
        "period": "2024-Q2",
        "lang": "en",
        "stale_hours": "0.5",
    }
    config, notices = parse_screen_query(params, TODAY, DEFAULTS)
    assert notices == []
    assert config == ScreenConfig(("100000", "430000", "420000"), "2024-Q2", "en", 15.0, 20.0, 0.5)
    assert config.period(TODAY).label("zh") == "2024年第二季度"


def test_region_is_a_playlist_of_one():
    config, notices = parse_screen_query({"region": "430000"}, TODAY, DEFAULTS)
    assert (config.playlist, notices) == (("430000",), [])
    config, _ = parse_screen_query({"region": "430000", "playlist": "420000,440000"}, TODAY, DEFAULTS)
    assert config.playlist == ("420000", "440000")  # the playlist wins


@pytest.mark.parametrize(
    ("params", "field", "value", "zh", "en"),
    [
        ({"refresh": "1"}, "refresh_s", 60.0, "参数 refresh=“1”无效", "refresh='1' is not"),
        ({"refresh": "abc"}, "refresh_s", 60.0, "参数 refresh=“abc”无效", "refresh='abc' is not"),
        ({"refresh": "0"}, "refresh_s", 60.0, "参数 refresh=“0”无效", "refresh='0' is not"),
        ({"refresh": "inf"}, "refresh_s", 60.0, "参数 refresh=“inf”无效", "refresh='inf' is not"),
        ({"rotate": "-5"}, "rotate_s", 30.0, "参数 rotate=“-5”无效", "rotate='-5' is not 0 (no rotation)"),
        ({"stale_hours": "0"}, "stale_hours", 24.0, "参数 stale_hours=“0”无效", "stale_hours='0' is not"),
        ({"stale_hours": "x"}, "stale_hours", 24.0, "参数 stale_hours=“x”无效", "stale_hours='x' is not"),
        # 1e12 hours overflowed a timedelta: a traceback with server paths on the wall screen
        ({"stale_hours": "1e12"}, "stale_hours", 24.0, "参数 stale_hours=“1e12”无效", "stale_hours='1e12' is not"),
        ({"stale_hours": "87601"}, "stale_hours", 24.0, "不超过 87600 的小时数", "up to 87600"),
        (
            {"playlist": "999999,430000"},
            "playlist",
            ("430000",),
            "地区代码“999999”无效",
            "Unknown region code '999999'",
        ),
        ({"playlist": "999999"}, "playlist", ("100000",), "地区代码“999999”无效", "Unknown region code '999999'"),
        ({"period": "2024-13"}, "period_code", "ytd", "统计期间“2024-13”无效", "Period:"),
        ({"lang": "fr"}, "lang", "zh", "语言参数“fr”无效", "Unknown language 'fr'"),
    ],
)
def test_a_bad_value_falls_back_with_a_notice_in_each_language(params, field, value, zh, en):
    config, notices = parse_screen_query(params, TODAY, DEFAULTS)
    assert getattr(config, field) == value
    assert notices, "a bad value must say so"
    assert zh in notices[0].zh and en in notices[0].en


def test_rotate_zero_is_allowed_and_refresh_has_a_floor():
    config, notices = parse_screen_query({"rotate": "0", "refresh": str(MIN_REFRESH_S)}, TODAY, DEFAULTS)
    assert (config.rotate_s, config.refresh_s, notices) == (0.0, MIN_REFRESH_S, [])


# ---------------------------------------------------------------------------------------------- settings


def test_screen_settings_are_declared_with_help():
    names = {s.name: s for s in settings.SETTINGS}
    for name in (
        "SAFETY_SCREEN_REFRESH_S",
        "SAFETY_SCREEN_ROTATE_S",
        "SAFETY_SCREEN_PLAYLIST",
        "SAFETY_SCREEN_STALE_HOURS",
    ):
        assert name in names and names[name].help


def test_screen_defaults_from_the_settings():
    assert screen_defaults({}) == ScreenConfig(("100000",), "ytd", "zh", 60.0, 30.0, 24.0)
    env = {
        "SAFETY_SCREEN_REFRESH_S": "20",
        "SAFETY_SCREEN_ROTATE_S": "0",
        "SAFETY_SCREEN_PLAYLIST": "430000，420000",
        "SAFETY_SCREEN_STALE_HOURS": "48",
    }
    assert screen_defaults(env) == ScreenConfig(("430000", "420000"), "ytd", "zh", 20.0, 0.0, 48.0)


@pytest.mark.parametrize(
    ("name", "value", "words"),
    [
        ("SAFETY_SCREEN_REFRESH_S", "2", "SAFETY_SCREEN_REFRESH_S='2' is not a number of seconds"),
        ("SAFETY_SCREEN_ROTATE_S", "soon", "SAFETY_SCREEN_ROTATE_S='soon' is not 0"),
        ("SAFETY_SCREEN_PLAYLIST", "430000,123", "SAFETY_SCREEN_PLAYLIST='430000,123': '123' is not a region code"),
        ("SAFETY_SCREEN_PLAYLIST", ",", "SAFETY_SCREEN_PLAYLIST=',': no region"),
        ("SAFETY_SCREEN_STALE_HOURS", "-1", "SAFETY_SCREEN_STALE_HOURS='-1' is not a positive number"),
    ],
)
def test_a_bad_setting_is_named(name, value, words):
    with pytest.raises(ValueError, match=re.escape(words)):
        screen_defaults({name: value})


# ---------------------------------------------------------------------------------------------- last update


ACCIDENTS = "事故编号,发生时间,地区,行业领域,事故单位,死亡人数\nS-1,2025-03-01 09:00,长沙市岳麓区,工贸,甲,1\n"


def test_import_stamp_follows_imports_and_undo(tmp_path: Path):
    from loaders.importer import import_file
    from store import open_store
    from store.queries import import_stamp

    store = open_store(tmp_path / "s.duckdb")
    last, token0 = import_stamp(store)
    assert last is None
    path = tmp_path / "a.csv"
    path.write_text(ACCIDENTS, encoding="utf-8")
    first = import_file(store, path, "accidents")
    last1, token1 = import_stamp(store)
    logged = store.query("SELECT imported_at FROM imports WHERE import_id = ?", [first.import_id]).iloc[0, 0]
    assert last1 == logged.to_pydatetime() and token1 != token0
    path.write_text(ACCIDENTS.replace("S-1", "S-2"), encoding="utf-8")
    second = import_file(store, path, "accidents")
    last2, token2 = import_stamp(store)
    assert last2 >= last1 and token2 != token1
    store.undo_import(second.import_id)
    last3, token3 = import_stamp(store)
    assert last3 == last1  # the undone import no longer counts as an update
    assert token3 not in (token1, token2)  # but the data changed: caches keyed on the token see it


# ---------------------------------------------------------------------------------------------- the HTML


def kpis_in(html: str) -> dict[str, tuple[str, str, str]]:
    """{measure: (value, last year's text, change)} as the screen's KPI tiles show them."""
    found = re.findall(
        r'data-kpi="(\w+)"><div class="name">[^<]*</div><div class="value">([^<]*)(?:<small>[^<]*</small>)?'
        r'</div><div class="cmp"><span class="prev">([^<]*)</span><span class="chg"[^>]*>([^<]*)</span>',
        html,
    )
    return {m: (v, prev, chg) for m, v, prev, chg in found}


def _snapshot(db: Path, region: str, period: str, levels: dict[str, str] | None = None):
    from conftest import DEMO_TODAY

    from analytics.brief import build_brief
    from answers.brief_data import StoreData
    from reports.screen import Snapshot
    from store import Store

    b = build_brief(StoreData(Store(db)), period, region, None, "all", DEMO_TODAY)
    return b, Snapshot(region, b, region, levels or {}, NOW - H, NOW)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_body_shows_the_brief(demo_db: Path, lang: str):
    from i18n import fmt_change_pct, fmt_count
    from reports.screen import BAD, GOOD, body_html

    b, snap = _snapshot(demo_db, "430000", "2024-01..2024-06")
    html = body_html(snap, lang)
    kpis = kpis_in(html)
    assert list(kpis) == ["accidents", "deaths", "larger_accidents", "major_plus_accidents"]
    for m, (value, prev, chg) in kpis.items():
        c = b.measures[m]
        assert value == fmt_count(c.current, lang)
        assert prev.endswith(" " + fmt_count(c.previous, lang))
        assert chg.endswith(fmt_change_pct(c, lang))
    assert b.measures["accidents"].current > 0  # real numbers, not zeros
    assert f'data-three="{b.three_declines.state}"' in html
    assert f'data-double="{b.double_decline}"' in html
    hz = b.hazards
    assert f'data-overdue-major="{hz["open_major_overdue"]}"' in html
    assert f'data-rate="rectification_rate">{hz["rectification_rate"] * 100:.1f}%<' in html
    assert ">" + f"{b.target.deaths:,}" + "<small>/ " + f"{b.target.deaths_target:,}" in html
    for r in b.latest:
        assert f'data-accident="{r["id"]}"' in html
    # colours by meaning: fewer accidents is good
    acc = b.measures["accidents"]
    colour = GOOD if acc.current < acc.previous else BAD
    assert re.search(rf'data-kpi="accidents".*?<span class="chg" style="color:{colour}">', html)


def test_latest_accidents_roll_only_when_they_do_not_fit(demo_db: Path):
    from reports.screen import LIST_VISIBLE, latest_html

    b, _ = _snapshot(demo_db, "100000", "2024")
    assert len(b.latest) > LIST_VISIBLE
    html = latest_html(b, "zh")
    assert 'class="scr-roll rolling"' in html
    for r in b.latest:  # written twice, for a seamless loop, with an end marker each time
        assert html.count(f'data-accident="{r["id"]}"') == 2
    assert html.count(f"以上为最新 {len(b.latest)} 起") == 2
    few = type(b)(**{**b.__dict__, "latest": b.latest[:LIST_VISIBLE]})
    html = latest_html(few, "en")
    assert "rolling" not in html and html.count("data-accident=") == LIST_VISIBLE
    none = type(b)(**{**b.__dict__, "latest": ()})
    assert "No larger-or-above accident in this period." in latest_html(none, "en")


def _svg(html: str) -> str:
    import base64

    data = re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', html)
    assert data, "the map is a data: image (nothing loaded from elsewhere)"
    return base64.b64decode(data.group(1)).decode("utf-8")


@pytest.mark.parametrize(("region", "children", "sea"), [("100000", 34, True), ("430000", 14, False)])
def test_map_draws_every_child_in_its_level_colour(region: str, children: int, sea: bool):
    from domain.regions import children as kids
    from reports.screen import LEVEL_FILL, map_img, map_svg

    codes = [r.code for r in kids(region)]
    levels = {c: ("red", "orange", "yellow", "blue")[i % 4] for i, c in enumerate(codes[1:])}  # the first: no data
    svg = _svg(map_img(map_svg(region, levels, "zh"), "map"))
    drawn = dict(re.findall(r'<path d="M[^"]+" fill="[^"]+" data-code="(\d+)" data-level="(\w+)"', svg))
    assert len(drawn) == children
    assert drawn[codes[0]] == "no_data" and all(drawn[c] == lv for c, lv in levels.items())
    for code, level in drawn.items():
        assert f'fill="{LEVEL_FILL[level]}" data-code="{code}"' in svg
    assert ('fill="none" stroke=' in svg) is sea  # the South China Sea line on the national map only
    assert len(svg) < 400_000  # simplified for a screen


def test_map_panel_counts_the_levels(demo_db: Path):
    from reports.screen import map_html

    _, snap = _snapshot(demo_db, "430000", "2024", {"430100": "red", "430200": "red", "430300": "blue"})
    html = map_html(snap, "zh")
    assert re.search(r'data-legend="red">.*?重大风险<b>2</b>', html)
    assert re.search(r'data-legend="blue">.*?低风险<b>1</b>', html)
    assert re.search(r'data-legend="no_data">.*?无数据<b>11</b>', html)  # 14 cities, 3 with a level


def test_banners():
    from reports.screen import banners_html

    last = dt.datetime(2025, 6, 12, 8, 30)
    html = banners_html("zh", (last, age_text(last, NOW, "zh"), 24), None, ["地区代码“9”无效，已忽略。"])
    assert "数据已 3 天 3 小时 未更新（最后导入 2025-06-12 08:30，超过 24 小时）" in html
    assert 'data-banner="notice">地区代码“9”无效，已忽略。' in html
    assert 'data-banner="error"' not in html
    html = banners_html("en", None, dt.datetime(2025, 6, 15, 11, 58))
    assert "showing the figures of 11:58" in html and 'data-banner="stale"' not in html
    # always written, shown by CSS only while the connection is down
    assert 'class="scr-banner error scr-offline" data-banner="offline"' in html
    assert "No import on record" in banners_html("en", (None, "", 24))
