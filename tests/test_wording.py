"""The wording table (issue 14): what a bureau writes, case by case, in both languages — and every output says it
so: the Markdown brief, the meeting pack, the big screen and the Briefing page all take their words from
``reports.wording`` (the briefing's sentences and the short forms a panel shows beside a figure).

Each case changes the demo store's 湖南 brief (2025-01..05) and names the sentence the brief says, and the words the
big screen's panel shows (None: the screen has no such panel). The sentences are worked out by hand from the
changed figures."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import DEMO_TODAY, PAGES, ROOT
from streamlit.testing.v1 import AppTest

from analytics.brief import Brief, TargetProgress, build_brief
from analytics.compare import compare
from answers.brief_data import StoreData
from domain.periods import Period
from reports import brief_en, brief_zh, wording
from reports.pack import build_pack
from reports.pack_gather import gather
from reports.pack_model import PackInputs
from store import Store

PERIOD = "2025-01..2025-05"
REGION = "430000"


def _streaks(acc: int, dth: int):
    return lambda b: {"streaks": {**dict.fromkeys(b.streaks, 0), "accidents": acc, "deaths": dth}}


def _target(deaths: int, target: int, progress: float, time_progress: float, state: str):
    return lambda b: {"target": TargetProgress(b.period.first_day.year, deaths, target, progress, time_progress, state)}


def _hazards(found: int, rectified: int, open_major: int, overdue: int):
    return lambda b: {
        "hazards": {
            **b.hazards,
            "found": found,
            "rectified": rectified,
            "rectification_rate": rectified / found if found else None,
            "open_major": open_major,
            "open_major_overdue": overdue,
            "statistics_regions": [],
            "partial_regions": [],
        }
    }


# (case, item, change, the brief's sentence zh, en, the screen's words zh, en)
WORDING = [
    (
        "one year is 同比下降, never 连续1年",
        "streaks",
        _streaks(1, 1),
        "与历年同期相比，事故起数、死亡人数同比下降。",
        "fallen against the same period of the year before: accidents on last year, deaths on last year.",
        None,
        None,
    ),
    (
        "a long streak beside a one-year fall",
        "streaks",
        _streaks(7, 1),
        "与历年同期相比，事故起数已连续7年下降，死亡人数同比下降。",
        "fallen against the same period of the year before: accidents 7 years running, deaths on last year.",
        "已连续7年下降",
        "down 7 years running",
    ),
    (
        "equal streaks said once",
        "streaks",
        _streaks(3, 3),
        "与历年同期相比，事故起数、死亡人数已连续3年下降。",
        "fallen against the same period of the year before: accidents 3 years running, deaths 3 years running.",
        "已连续3年下降",
        "down 3 years running",
    ),
    (
        "the target's share and its gap to time progress",
        "target",
        _target(975, 1000, 0.975, 0.833, "ahead_of_time"),
        "2025年死亡人数控制指标1000人，截至2025年5月31日已死亡975人，占全年控制指标的97.5%，超过时间进度14.2个百分点，须高度警惕。",
        "975 deaths to 31 May 2025 against a 2025 target of 1,000: 97.5% of the target at 83.3% of the year — "
        "14.2 points ahead of time, a warning.",
        "超过时间进度14.2个百分点",
        "14.2 points ahead of time",
    ),
    (
        "below time progress",
        "target",
        _target(300, 1000, 0.3, 0.497, "within"),
        "2025年死亡人数控制指标1000人，截至2025年5月31日已死亡300人，占全年控制指标的30.0%，低于时间进度19.7个百分点。",
        "300 deaths to 31 May 2025 against a 2025 target of 1,000: 30.0% of the target at 49.7% of the year, "
        "19.7 points below time progress.",
        "低于时间进度19.7个百分点",
        "19.7 points below time progress",
    ),
    (
        "the target exceeded",
        "target",
        _target(1010, 1000, 1.01, 0.5, "exceeded"),
        "2025年死亡人数控制指标1000人，截至2025年5月31日已死亡1010人，占全年控制指标的101.0%，已超出全年控制指标。",
        "1,010 deaths to 31 May 2025 against a 2025 target of 1,000: 101.0% of the target at 50.0% of the year — "
        "the annual target is already exceeded.",
        "已超出全年控制指标",
        "the annual target is already exceeded",
    ),
    (
        "no open major hazard: 均已整改, not 未整改0项",
        "hazards",
        _hazards(5, 2, 0, 0),
        "排查隐患5项，已整改2项，整改率40.0%；重大隐患均已整改。",
        "5 hidden dangers found, 2 rectified (40.0%); every major one rectified.",
        "均已整改",
        "all rectified",
    ),
    (
        "none overdue: 均未超期, not 其中超期0项",
        "hazards",
        _hazards(5, 2, 3, 0),
        "排查隐患5项，已整改2项，整改率40.0%；重大隐患未整改3项，均未超期。",
        "5 hidden dangers found, 2 rectified (40.0%); 3 major ones open, none overdue.",
        "均未超期",
        "none",
    ),
    (
        "some overdue",
        "hazards",
        _hazards(5, 2, 3, 2),
        "排查隐患5项，已整改2项，整改率40.0%；重大隐患未整改3项，其中超期2项。",
        "5 hidden dangers found, 2 rectified (40.0%); 3 major ones open, 2 of them overdue.",
        "2 项",
        "2 ",
    ),
    (
        "no hazard at all: nothing to have rectified",
        "hazards",
        _hazards(0, 0, 0, 0),
        "本期隐患台账无排查记录。",
        "no hidden dangers on record for the period.",
        "无隐患记录",
        "no hazard records",
    ),
]
CASES = [c[1:] for c in WORDING]
IDS = [c[0] for c in WORDING]


@pytest.fixture(scope="module")
def base(demo_db: Path) -> Brief:
    return build_brief(StoreData(Store(demo_db)), Period.parse(PERIOD), REGION, today=DEMO_TODAY)


@pytest.fixture(scope="module")
def inputs(demo_db: Path, base: Brief) -> PackInputs:
    return gather(Store(demo_db), base, DEMO_TODAY)


def _changed(base: Brief, change) -> Brief:
    return dataclasses.replace(base, **change(base))


def _strings(obj: object) -> Iterator[str]:
    """Every text of a pack (its slides' titles, paragraphs, bullets, figures, notes)."""
    if isinstance(obj, str):
        yield obj
    elif dataclasses.is_dataclass(obj):
        for f in dataclasses.fields(obj):
            yield from _strings(getattr(obj, f.name))
    elif isinstance(obj, tuple | list):
        for x in obj:
            yield from _strings(x)


def _screen(b: Brief, lang: str) -> str:
    from reports.screen import hazards_html, target_html, three_html

    return three_html(b, lang) + target_html(b, lang) + hazards_html(b, lang)


@pytest.mark.parametrize(("key", "change", "zh", "en", "screen_zh", "screen_en"), CASES, ids=IDS)
def test_the_markdown_and_the_pack_say_it(
    base: Brief, inputs: PackInputs, key, change, zh, en, screen_zh, screen_en
) -> None:
    b = _changed(base, change)
    assert brief_zh.items(b)[key][1] == zh
    assert brief_en.items(b)[key][1] == en
    assert zh in brief_zh.render(b) and en in brief_en.render(b)
    for lang, sentence in (("zh", zh), ("en", en)):
        pack = build_pack(dataclasses.replace(inputs, brief=b), lang, DEMO_TODAY)
        assert any(sentence in text for text in _strings(pack)), lang


@pytest.mark.parametrize(("key", "change", "zh", "en", "screen_zh", "screen_en"), CASES, ids=IDS)
def test_the_big_screen_says_it(base: Brief, key, change, zh, en, screen_zh, screen_en) -> None:
    b = _changed(base, change)
    for lang, words in (("zh", screen_zh), ("en", screen_en)):
        html = _screen(b, lang)
        assert "连续1年" not in html and "1 years" not in html
        assert "未整改0项" not in html and "超期0项" not in html
        if words is not None:
            assert words in html, (lang, words)


# ---------------------------------------------------------------- the Briefing page says the same


@pytest.fixture
def briefing_with(app_env: Path, monkeypatch: pytest.MonkeyPatch):
    """Run the Briefing page with ``brief_for`` answering a given brief."""
    from webapp import state as app_state

    def run(b: Brief, lang: str) -> AppTest:
        monkeypatch.setattr(app_state, "brief_for", lambda view: b)
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
        at.query_params.update({"lang": lang, "period": PERIOD, "region": REGION})
        at.run()
        assert not at.exception, [e.message for e in at.exception]
        return at

    return run


def _page_text(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [x.value for kind in ("success", "warning", "error", "info") for x in getattr(at, kind)]
    parts += [f"{m.label} {m.value} {m.delta}" for m in at.metric]
    return "\n".join(str(p) for p in parts)


# the Briefing's hazard tile says the brief's words, the screen's panel cell the short English ones
PAGE_HAZARD_WORDS = {
    "2 项": "其中超期2项",
    "2 ": "2 of them overdue",
    "all rectified": "every major one rectified",
    "none": "none overdue",
}
PAGE_CASES = [c for c in WORDING if c[1] in ("target", "hazards") or c[0] == "a long streak beside a one-year fall"]


@pytest.mark.parametrize(
    ("key", "change", "zh", "en", "screen_zh", "screen_en"), [c[1:] for c in PAGE_CASES], ids=[c[0] for c in PAGE_CASES]
)
def test_the_briefing_page_says_it(briefing_with, base: Brief, key, change, zh, en, screen_zh, screen_en) -> None:
    assert PAGES[0].path == "views/briefing.py"  # the page dashboard.py opens first
    b = _changed(base, change)
    for lang, sentence, short in (("zh", zh, screen_zh), ("en", en, screen_en)):
        text = _page_text(briefing_with(b, lang))
        # the target and the streaks in the brief's sentence; the open majors in the hazard tile's words (the
        # screen's, but for a count of overdue ones, which the tile says as the brief does)
        expected = sentence if key != "hazards" else PAGE_HAZARD_WORDS.get(short, short)
        assert expected in text, (lang, text)
        assert "连续1年" not in text and "超期 0" not in text


# ---------------------------------------------------------------- titles, captions, units and names


def test_titles_periods_and_changes(base: Brief) -> None:
    assert wording.title(base, "zh") == "2025年1—5月湖南省安全生产形势简报"  # the period first
    assert wording.compared_with(base.comparison_period, "zh") == "与2024年1—5月相比"
    assert wording.compared_with(base.comparison_period, "en") == "compared with Jan–May 2024"
    assert (
        brief_zh._pair_zh("生产安全事故", compare(96, 100), compare(48, 50), "共发生")
        == "共发生生产安全事故96起、死亡48人，同比均下降4.0%"
    )  # equal changes said once
    assert brief_zh._phrase_zh(compare(3, 0), "起") == "上升（去年同期为零，新增3起）"  # a rise from zero
    cut = Period.parse("2026").cut_at(dt.date(2026, 12, 6))
    assert cut.label("zh") == "2026年1月1日至12月6日" and "1—12月" not in cut.label("zh")


@pytest.mark.parametrize(
    ("code", "zh", "en"),
    [
        ("430000", "全部市州", "All cities and prefectures"),
        ("140000", "全部市", "All cities"),
        ("640000", "全部地级市", "All prefecture-level cities"),
        ("460000", "全部市县", "All cities and counties"),
        ("110000", "全部区", "All districts"),
        ("500000", "全部区县", "All districts and counties"),
        ("430100", "全部县市区", "All counties, cities and districts"),
    ],
)
def test_the_sidebar_calls_the_units_as_the_bureau_does(code: str, zh: str, en: str) -> None:
    assert (wording.all_units(code, "zh"), wording.all_units(code, "en")) == (zh, en)


@pytest.mark.parametrize(
    ("code", "zh", "en"),
    [
        ("430000", "湖南省各市州安全风险四色图", "Four-colour risk map of the cities and prefectures of Hunan"),
        (
            "100000",
            "全国各省（区、市）安全风险四色图",
            "Four-colour risk map of the provinces, autonomous regions and municipalities of China",
        ),
        (
            "433100",
            "湖南省湘西土家族苗族自治州各县市安全风险四色图",
            "Four-colour risk map of the counties and cities of Xiangxi",
        ),
    ],
)
def test_the_risk_map_caption(code: str, zh: str, en: str) -> None:
    assert (wording.risk_map_caption(code, "zh"), wording.risk_map_caption(code, "en")) == (zh, en)


def test_one_name_per_region_on_the_maps_and_the_pack(inputs: PackInputs) -> None:
    """湘西土家族苗族自治州 is called so everywhere — the pack's map and charts included — never 湘西."""
    from charts.static_map import map_label

    assert map_label("433100", "湘西土家族苗族自治州", "zh") == "湘西土家族苗族\n自治州"  # broken, not shortened
    assert map_label("430100", "长沙市", "zh") == "长沙市"
    assert map_label("150000", "内蒙古自治区", "zh") == "内蒙古\n自治区"
    pack = build_pack(inputs, "zh", DEMO_TODAY)
    texts = list(_strings(pack))
    assert any("湘西土家族苗族自治州" in s for s in texts)
    assert not any(s == "湘西" or "湘西（" in s or "湘西、" in s for s in texts)
