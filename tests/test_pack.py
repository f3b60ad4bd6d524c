"""The meeting pack (会议汇报材料): its slides as data (reports.pack), the PPTX opened again with
python-pptx (titles, native charts whose numbers are the brief's, the East Asian font on every run,
nothing off the slide), the points needing attention as a table of cases, and the CLI."""

from __future__ import annotations

import dataclasses
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DEMO_TODAY, ROOT, run_in_process
from pptx import Presentation
from pptx.oxml.ns import qn
from pptx.util import Inches

from analytics.brief import build_brief
from analytics.brief_json import brief_json
from analytics.compare import Judgement, State, compare, three_declines
from analytics.trends import trend_data
from answers.brief_data import StoreData
from reports import brief_en, brief_zh
from reports.pack import SLIDE_KEYS, attention_points, build_pack
from reports.pack_gather import gather
from reports.pack_model import PackInputs
from reports.pptx_pack import FONT, WIDTH, build_presentation, pptx_bytes
from store import Store
from store.queries import data_coverage

PERIOD = "2025-01..2025-05"
REGION = "430000"
TITLES = {
    "zh": (
        "湖南省安全生产形势",
        "一、总体情况",
        "二、事故月度走势",
        "三、分行业领域情况",
        "四、分地区情况",
        "五、较大及以上事故",
        "六、隐患排查治理",
        "七、需要关注的问题",
    ),
    "en": (
        "Production safety in Hunan",
        "1. Overview",
        "2. Month by month",
        "3. By industry",
        "4. By region",
        "5. Larger-and-above accidents",
        "6. Hidden dangers",
        "7. Points needing attention",
    ),
}


@pytest.fixture(scope="module")
def inputs(demo_db: Path) -> PackInputs:
    store = Store(demo_db)
    brief = build_brief(StoreData(store), PERIOD, REGION, today=DEMO_TODAY)
    return gather(store, brief, DEMO_TODAY)


@pytest.fixture(scope="module")
def decks(inputs: PackInputs) -> dict:
    """lang → (pack, Presentation read back from the PPTX bytes)."""
    out = {}
    for lang in ("zh", "en"):
        pack = build_pack(inputs, lang, DEMO_TODAY)
        out[lang] = (pack, Presentation(io.BytesIO(pptx_bytes(pack))))
    return out


def slide_text(slide) -> str:
    parts = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            parts.append(shape.text_frame.text)
        if shape.has_table:
            parts += [c.text for row in shape.table.rows for c in row.cells]
    return "\n".join(parts)


def charts(slide) -> list:
    return [s.chart for s in slide.shapes if s.has_chart]


def series_values(chart) -> list[tuple]:
    return [tuple(s.values) for s in chart.plots[0].series]


# ---------------------------------------------------------------------------------------------- structure


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_slides_hold_the_expected_titles(decks: dict, lang: str) -> None:
    pack, prs = decks[lang]
    assert tuple(s.key for s in pack.slides) == SLIDE_KEYS
    assert len(prs.slides) == 8
    assert prs.slide_width == WIDTH and prs.slide_height == Inches(7.5)  # 16:9
    for slide, title in zip(prs.slides, TITLES[lang], strict=True):
        assert title in slide_text(slide)
    assert "2 / 8" in slide_text(prs.slides[1]) and pack.footer in slide_text(prs.slides[7])


def test_charts_are_native_chart_objects_and_the_map_the_only_picture(decks: dict) -> None:
    _pack, prs = decks["zh"]
    per_slide = [len(charts(s)) for s in prs.slides]
    # trend: accidents and deaths; industries; regions; hazards: the rectification rate by city
    assert per_slide[2] == 2 and per_slide[3] == 1 and per_slide[4] == 1 and per_slide[6] == 1
    pictures = [(i, s) for i, slide in enumerate(prs.slides) for s in slide.shapes if s.shape_type == 13]
    assert [i for i, _ in pictures] == [4]  # the four-colour map, on the by-region slide
    for slide in prs.slides:
        for chart in charts(slide):
            assert chart.plots and all(len(v) == len(chart.plots[0].categories) for v in series_values(chart))
            assert any(x for v in series_values(chart) for x in v), "an empty chart"


def test_everything_lies_on_the_slide(decks: dict) -> None:
    for lang in ("zh", "en"):
        _pack, prs = decks[lang]
        for n, slide in enumerate(prs.slides, 1):
            for shape in slide.shapes:
                height = sum(r.height for r in shape.table.rows) if shape.has_table else shape.height
                assert shape.left >= 0 and shape.top >= 0, (lang, n, shape.name)
                assert shape.left + shape.width <= prs.slide_width, (lang, n, shape.name)
                assert shape.top + height <= prs.slide_height, (lang, n, shape.name)


# ---------------------------------------------------------------------------------------------- numbers


def test_headline_sentence_holds_the_briefs_counts(decks: dict, inputs: PackInputs) -> None:
    data = brief_json(inputs.brief)
    acc, deaths = data["measures"]["accidents"]["current"], data["measures"]["deaths"]["current"]
    pack, prs = decks["zh"]
    text = slide_text(prs.slides[1])
    assert pack.headline == brief_zh.headline(inputs.brief)  # the briefing's own sentence
    assert pack.headline in text
    assert f"全省共发生生产安全事故{acc}起、死亡{deaths}人" in pack.headline
    assert "三个继续下降：" + brief_zh.items(inputs.brief)["three_declines"][1] in text
    pack_en, prs_en = decks["en"]
    assert pack_en.headline == brief_en.headline(inputs.brief) and pack_en.headline in slide_text(prs_en.slides[1])
    assert f"Hunan had {acc:,} production-safety accidents and {deaths:,} deaths" in pack_en.headline
    # The figures: the brief's counts, big.
    tiles = slide_text(prs.slides[1])
    for m in ("accidents", "deaths", "larger_accidents", "major_plus_accidents"):
        assert str(data["measures"][m]["current"]) in tiles


def test_monthly_chart_series_are_the_months_of_the_brief(decks: dict, inputs: PackInputs, demo_db: Path) -> None:
    """The trend chart's series are the Trends page's monthly numbers, and add up to the brief's."""
    b = inputs.brief
    store = Store(demo_db)

    def fetch(region, period):
        from answers.region_risk import store_fetch

        return store_fetch(store)(region, period)

    trends = trend_data(fetch, REGION, b.period, coverage=data_coverage(store))
    data = brief_json(b)
    _pack, prs = decks["zh"]
    accidents, deaths = charts(prs.slides[2])
    assert list(accidents.plots[0].categories) == ["1月", "2月", "3月", "4月", "5月"]
    for chart, m in ((accidents, "accidents"), (deaths, "deaths")):
        this, last = series_values(chart)
        assert this == tuple(float(v) for v in trends.current[m])
        assert last == tuple(float(v) for v in trends.previous[m])
        assert sum(this) == data["measures"][m]["current"] and sum(last) == data["measures"][m]["previous"]
        assert [s.name for s in chart.plots[0].series] == ["2025年1—5月", "2024年1—5月"]


@pytest.mark.parametrize(("slide", "key", "name_key"), [(3, "industries", "name"), (4, "regions", "name")])
def test_ranking_charts_are_the_briefs_rankings(
    decks: dict, inputs: PackInputs, slide: int, key: str, name_key: str
) -> None:
    rows = {r[name_key]: r for r in brief_json(inputs.brief)["rankings"][key]}
    _pack, prs = decks["zh"]
    chart = charts(prs.slides[slide])[0]
    this, last = series_values(chart)
    names = list(chart.plots[0].categories)
    assert names, "an empty ranking"
    for name, cur, prev in zip(names, this, last, strict=True):
        assert (cur, prev) == (rows[name]["accidents"]["current"], rows[name]["accidents"]["previous"]), name
    if key == "regions":  # in the brief's order: the largest rise first
        ranked = [
            r["name"]
            for r in brief_json(inputs.brief)["rankings"]["regions"]
            if r["accidents"]["state"] != "insufficient_data"
        ]
        assert names == ranked[: len(names)]


def test_serious_accidents_table_is_the_briefs_latest(decks: dict, inputs: PackInputs) -> None:
    _pack, prs = decks["zh"]
    tables = [s.table for s in prs.slides[5].shapes if s.has_table]
    latest = brief_json(inputs.brief)["latest"]
    assert latest and len(tables) == 1
    rows = list(tables[0].rows)[1:]
    assert [r.cells[0].text for r in rows] == [a["occurred_at"][:10] for a in latest]
    assert [int(r.cells[4].text) for r in rows] == [a["deaths"] for a in latest]


# ---------------------------------------------------------------------------------------------- fonts


def test_every_run_names_the_east_asian_font(decks: dict) -> None:
    for lang in ("zh", "en"):
        _pack, prs = decks[lang]
        runs = 0
        for slide in prs.slides:
            for r in slide._element.iter(qn("a:r")):
                rpr = r.find(qn("a:rPr"))
                assert rpr is not None, "a run without properties"
                assert rpr.find(qn("a:ea")).get("typeface") == FONT
                assert rpr.find(qn("a:latin")).get("typeface") == FONT
                assert rpr.get("lang") == ("zh-CN" if lang == "zh" else "en-GB")
                runs += 1
            for chart in charts(slide):
                defaults = list(chart._chartSpace.iter(qn("a:defRPr")))
                assert defaults and all(d.find(qn("a:ea")).get("typeface") == FONT for d in defaults)
        assert runs > 100
    theme = prs.slide_master.part.part_related_by(
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme"
    ).blob.decode()
    assert theme.count(f'<a:ea typeface="{FONT}"/>') == 2  # major and minor fonts


def test_another_font_can_be_named(inputs: PackInputs) -> None:
    prs = build_presentation(build_pack(inputs, "zh", DEMO_TODAY), "Noto Sans CJK SC")
    faces = {el.get("typeface") for s in prs.slides for el in s._element.iter(qn("a:ea"))}
    assert faces == {"Noto Sans CJK SC"}


# ---------------------------------------------------------------------------------------------- attention


def _with(brief, **changes):
    return dataclasses.replace(brief, **changes)


def _risen(brief, kind: str, n: int):
    """The brief with the first ``n`` rows of a ranking rising (+5, +4, …) and the rest falling."""
    rows = list(getattr(brief, kind))
    out = []
    for i, r in enumerate(rows):
        acc = compare(20 + (n - i), 15) if i < n else compare(10, 15)
        out.append(dataclasses.replace(r, accidents=acc))
    return _with(brief, **{kind: tuple(out)})


def _calm(brief):
    """Nothing to flag: every ranking falling, the three declines achieved, the target within, no
    overdue major hazard."""
    b = _risen(_risen(brief, "rankings_regions", 0), "rankings_industries", 0)
    fell = compare(8, 10)
    b = _with(b, three_declines=three_declines(fell, fell, fell), hazards={**b.hazards, "open_major_overdue": 0})
    return _with(b, target=dataclasses.replace(b.target, state="within"))


ATTENTION_CASES = [
    # (id, change to a calm brief, supervised overdue, zh kinds, a zh fragment, an en fragment)
    (
        "calm",
        lambda b: b,
        0,
        ("steady",),
        "本期数据未显示需要特别关注的问题",
        "nothing that needs particular attention",
    ),
    (
        "target ahead of time",
        lambda b: _with(
            b, target=dataclasses.replace(b.target, state="ahead_of_time", progress=b.target.time_progress + 0.1)
        ),
        0,
        ("target",),
        "个百分点，须高度警惕",
        "ahead of time, a warning",
    ),
    (
        "target exceeded",
        lambda b: _with(b, target=dataclasses.replace(b.target, state="exceeded")),
        0,
        ("target",),
        "已超出全年控制指标",
        "already exceeded",
    ),
    ("no target", lambda b: _with(b, target=None), 0, ("steady",), "本期数据未显示", "nothing that needs"),
    (
        "three declines: larger rose",
        lambda b: _with(b, three_declines=three_declines(compare(8, 10), compare(3, 2), compare(0, 1))),
        0,
        ("three_declines",),
        "全省未实现“三个继续下降”：较大事故起数同比上升。",
        "Three continued declines not achieved: larger accidents rose.",
    ),
    (
        "three declines: 重特大 in neither year, achieved",
        lambda b: _with(b, three_declines=three_declines(compare(8, 10), compare(1, 2), compare(0, 0))),
        0,
        ("steady",),
        "本期数据未显示",
        "nothing that needs",
    ),
    (
        "two cities rose",
        lambda b: _risen(b, "rankings_regions", 2),
        0,
        ("regions_rising",),
        "事故起数上升的市州（2个）：",
        "Accidents rose in 2 cities and prefectures: ",
    ),
    (
        "one industry rose",
        lambda b: _risen(b, "rankings_industries", 1),
        0,
        ("industries_rising",),
        "事故起数上升的行业领域（1个）：",
        "Accidents rose in 1 industry: ",
    ),
    (
        "overdue majors",
        lambda b: _with(b, hazards={**b.hazards, "open_major_overdue": 3}),
        1,
        ("overdue_majors",),
        "重大事故隐患超期未整改3项，其中挂牌督办1项，须督促限期整改、逐项销号。",
        "3 major hidden dangers are past the rectification deadline (1 listed for supervision)",
    ),
    (
        "overdue majors, none listed",
        lambda b: _with(b, hazards={**b.hazards, "open_major_overdue": 1}),
        0,
        ("overdue_majors",),
        "重大事故隐患超期未整改1项，须督促",
        "1 major hidden danger is past the rectification deadline:",
    ),
    (
        "everything at once",
        lambda b: _risen(
            _risen(
                _with(
                    b,
                    target=dataclasses.replace(b.target, state="exceeded"),
                    hazards={**b.hazards, "open_major_overdue": 2},
                    three_declines=three_declines(compare(12, 10), compare(1, 2), compare(0, 1)),
                ),
                "rankings_regions",
                3,
            ),
            "rankings_industries",
            2,
        ),
        2,
        ("target", "three_declines", "regions_rising", "industries_rising", "overdue_majors"),
        "事故总量同比上升",
        "accidents rose",
    ),
]


@pytest.mark.parametrize(
    ("change", "supervised", "kinds", "zh", "en"), [c[1:] for c in ATTENTION_CASES], ids=[c[0] for c in ATTENTION_CASES]
)
def test_attention_points_from_the_data(inputs: PackInputs, change, supervised, kinds, zh, en) -> None:
    b = change(_calm(inputs.brief))
    points = attention_points(b, supervised, "zh")
    assert tuple(p.kind for p in points) == kinds
    assert zh in "\n".join(p.text for p in points)
    points_en = attention_points(b, supervised, "en")
    assert tuple(p.kind for p in points_en) == kinds
    assert en in "\n".join(p.text for p in points_en)
    if "target" in kinds:  # the briefing's own sentence
        assert points[0].text == brief_zh.items(b)["target"][1]
    if "regions_rising" in kinds:
        risers = [r.name for r in b.rankings_regions if r.accidents.state == State.ROSE]
        text = next(p.text for p in points if p.kind == "regions_rising")
        assert all(name in text for name in risers)


def test_attention_slide_lists_the_points(decks: dict, inputs: PackInputs) -> None:
    pack, prs = decks["zh"]
    board = inputs.board
    supervised = int((board["days_overdue"] > 0).sum()) if len(board) else 0
    points = attention_points(inputs.brief, supervised, "zh")
    text = slide_text(prs.slides[7])
    assert all(p.text in text for p in points)
    assert inputs.brief.three_declines.state in (Judgement.ACHIEVED, Judgement.NOT_ACHIEVED)


def test_build_pack_checks_the_language(inputs: PackInputs) -> None:
    with pytest.raises(ValueError, match="lang must be 'zh' or 'en', got 'fr'"):
        build_pack(inputs, "fr")
    with pytest.raises(ValueError, match="lang must be 'zh' or 'en'"):
        attention_points(inputs.brief, 0, "fr")


# ---------------------------------------------------------------------------------------------- the CLI


def run(*args: str) -> subprocess.CompletedProcess:
    """``python -m reports brief <args>`` through its ``main``, in this process (the command as a process of
    its own: test_cli_pdf_without_soffice_says_what_to_install)."""
    return run_in_process("reports", "brief", *args)


def test_cli_writes_the_pptx_and_logs_it(demo_db: Path, tmp_path: Path, inputs: PackInputs) -> None:
    out, log = tmp_path / "pack.pptx", tmp_path / "reports.log"
    done = run(
        "--period",
        PERIOD,
        "--region",
        "湖南省",
        "--db",
        str(demo_db),
        "--today",
        DEMO_TODAY.isoformat(),
        "--format",
        "pptx",
        "--out",
        str(out),
        "--log",
        str(log),
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"wrote {out}"
    line = re.compile(
        rf"^\d{{4}}-\d\d-\d\dT\d\d:\d\d:\d\d wrote {re.escape(str(out))} \(8 slides\) for 湖南省 430000 "
        r"2025年1—5月 in \d+\.\d s$"
    )
    assert line.match(done.stderr.strip()), done.stderr
    assert line.match(log.read_text(encoding="utf-8").strip())
    prs = Presentation(str(out))
    assert brief_zh.headline(inputs.brief) in slide_text(prs.slides[1])
    # json and the pack agree: the same brief
    js = json.loads(
        run("--period", PERIOD, "--region", "430000", "--db", str(demo_db), "--today", DEMO_TODAY.isoformat()).stdout
    )
    assert f"{js['measures']['accidents']['current']}起" in slide_text(prs.slides[1])


def test_cli_last_month_for_cron(demo_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "m.pptx"
    done = run(
        "--period",
        "last-month",
        "--region",
        "430000",
        "--db",
        str(demo_db),
        "--today",
        "2025-06-15",
        "--format",
        "pptx",
        "--out",
        str(out),
        "--lang",
        "en",
    )
    assert done.returncode == 0, done.stderr
    assert "for 湖南省 430000 May 2025" in done.stderr
    assert "Period: May 2025 (compared with May 2024)" in slide_text(Presentation(str(out)).slides[0])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "pptx"], "error: --out FILE.pptx is required for --format pptx"),
        (["--format", "pdf", "--out", "x.pptx"], "error: --out 'x.pptx' must end in .pdf (the file is a PDF)"),
        (
            ["--format", "pptx", "--out", "p.pptx", "--log", "/nonexistent/dir/r.log"],
            "error: --log: the directory /nonexistent/dir does not exist",
        ),
        (
            ["--format", "pptx", "--out", "p.pptx", "--report", "hazard-monthly"],
            "error: --format pptx is not a format of the hazard-monthly report",
        ),
    ],
)
def test_cli_pack_arguments(demo_db: Path, args: list[str], message: str) -> None:
    done = run("--period", PERIOD, "--region", "湖南", "--db", str(demo_db), "--today", DEMO_TODAY.isoformat(), *args)
    assert done.returncode == 2 and done.stderr.startswith(message), done.stderr


def test_cli_pdf_without_soffice_says_what_to_install(demo_db: Path, tmp_path: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "reports",
            "brief",
            "--period",
            PERIOD,
            "--region",
            "湖南",
            "--db",
            str(demo_db),
            "--format",
            "pdf",
            "--out",
            str(tmp_path / "p.pdf"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/nonexistent"},
    )
    assert done.returncode == 3
    assert "soffice' is not on PATH" in done.stderr and "libreoffice-impress-nogui" in done.stderr
    assert not (tmp_path / "p.pdf").exists()


def test_a_region_without_data_gets_no_empty_chart(demo_db: Path) -> None:
    """香港 has no accident data in the demo store: the slides say so (missing is not zero) rather than
    draw empty frames or "no accident"."""
    store = Store(demo_db)
    brief = build_brief(StoreData(store), PERIOD, "810000", today=DEMO_TODAY)
    pack = build_pack(gather(store, brief, DEMO_TODAY), "zh", DEMO_TODAY)
    prs = Presentation(io.BytesIO(pptx_bytes(pack)))
    for slide in prs.slides:
        for chart in charts(slide):
            assert any(x for v in series_values(chart) for x in v), "an empty chart"
    assert not charts(prs.slides[2]) and "无覆盖该地区的事故数据" in slide_text(prs.slides[2])
    assert "缺数不等于零" in slide_text(prs.slides[3]) and "均无事故" not in slide_text(prs.slides[3])
