"""The big screen (大屏) drawn as HTML: a dark 16:9 layout sized in viewport units, so that 1920×1080
and 3840×2160 show the same picture, and the four-colour map as inline SVG (no tiles, no script, no
Plotly: it scales with the screen and costs nothing to redraw). Pure: data in, HTML text out.

:class:`Snapshot` holds every number one view of the screen shows; the page keeps the last good one
to show again, with a note, when a refresh fails.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd
import shapely

from analytics.compare import Comparison, Judgement, State
from analytics.risk import level_counts
from analytics.risk_words import LEVEL_LABELS, LEVELS, NO_DATA
from charts.theme import FONT
from domain.industries import industry_label
from domain.palette import GRADE_COLOURS_ON_DARK, LEVEL_COLOURS, NO_DATA_COLOUR_ON_DARK
from domain.regions import COUNTRY_CODE, region_label
from i18n import (
    JUDGEMENT_LABELS,
    MEASURE_LABELS,
    fmt_change_pct,
    fmt_count,
    fmt_measure,
    fmt_pct,
    label,
    state_label,
    t,
)
from reports import wording

# Dark palette, by meaning as on the other pages (fewer accidents green, more red), brighter for a
# dark background.
BG, PANEL, LINE, TEXT, MUTED, ACCENT = "#0b1220", "#111b2f", "#24324f", "#e8eef8", "#94a3bd", "#5cc8ff"
GOOD, BAD, NEUTRAL, WARN = "#34d399", "#f87171", "#94a3b8", "#fbbf24"
LEVEL_FILL = {**LEVEL_COLOURS, NO_DATA: NO_DATA_COLOUR_ON_DARK}
KPIS = ("accidents", "deaths", "larger_accidents", "major_plus_accidents")
UNITS = {"accidents": "起", "deaths": "人", "larger_accidents": "起", "major_plus_accidents": "起"}
MAP_WIDTH = 1000.0  # SVG user units across the map
LIST_VISIBLE = 5  # rows of the accident list that fit; more roll by


@dataclass(frozen=True)
class Snapshot:
    """One view of the screen: the region's brief and its children's risk levels."""

    region: str
    brief: Any  # analytics.brief.Brief
    map_region: str  # whose children the map shows (the region, or a county's city)
    levels: dict[str, str]  # child code → risk level (red/orange/yellow/blue/no_data)
    last_update: dt.datetime | None  # the latest import not undone
    drawn_at: dt.datetime  # when these figures were read


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def change_colour(c: Comparison) -> str:
    """Fewer is good: green for a decline, red for a rise, grey for flat or no data."""
    if c.state == State.DECLINED or c.state == State.HELD_AT_ZERO:
        return GOOD
    if c.state == State.ROSE:
        return BAD
    return NEUTRAL


def _arrow(c: Comparison) -> str:
    return {State.DECLINED: "▼ ", State.ROSE: "▲ "}.get(c.state, "")


# ---------------------------------------------------------------------------------------------- CSS


def page_css() -> str:
    """The page's chrome hidden (sidebar, header, toolbar, menu, footer), the dark theme, and the
    layout: a header band, then the body filling the rest of the viewport, nothing scrolling.
    ``--u`` is 1 % of the height of the largest 16:9 box that fits, so every size scales with it."""
    variables = " ".join(
        f"--scr-{name}: {value};"
        for name, value in (
            ("bg", BG),
            ("panel", PANEL),
            ("line", LINE),
            ("text", TEXT),
            ("muted", MUTED),
            ("accent", ACCENT),
            ("good", GOOD),
            ("warn", WARN),
            ("font", FONT),
        )
    )
    return f"<style>\n:root {{ {variables} }}\n{_css()}</style>"


@lru_cache(maxsize=1)
def _css() -> str:
    """reports/screen.css, read once."""
    return (Path(__file__).with_name("screen.css")).read_text(encoding="utf-8")


# ---------------------------------------------------------------------------------------------- header


def region_html(region: str, lang: str) -> str:
    return f'<div class="scr-region">{_e(region_label(region, lang, full=True))}</div>'


def info_html(snap: Snapshot, lang: str, playlist: tuple[str, ...], shown: int) -> str:
    """The period and what it is compared with; when the data was last updated and when it was read;
    where the rotation is (one dot per view)."""
    b = snap.brief
    period = f"<b>{_e(b.period.label(lang))}</b>"
    versus = wording.compared_with(b.comparison_period, lang)
    updated = (
        snap.last_update.strftime("%Y-%m-%d %H:%M")
        if snap.last_update
        else t("无导入记录", "no import on record", lang)
    )
    dots = ""
    if len(playlist) > 1:
        dots = '<span class="scr-dots">' + "".join("●" if i == shown else "○" for i in range(len(playlist))) + "</span>"
    return (
        f'<div class="scr-info"><div class="left">{period} {dots}<br>{_e(versus)}</div>'
        f'<div class="right">{t("数据更新", "Data updated", lang)} <b class="scr-updated">{_e(updated)}</b><br>'
        f'{t("刷新于", "Refreshed", lang)} <span class="scr-drawn">{snap.drawn_at:%H:%M:%S}</span></div></div>'
    )


def banners_html(
    lang: str,
    stale: tuple[dt.datetime | None, str, float] | None = None,
    error_at: dt.datetime | None = None,
    notices: list[str] | None = None,
) -> str:
    """The banners under the header: stale data (``(last update, age text, stale hours)``), a failed
    refresh (the time of the figures still shown), notices about the link; and, shown by CSS only
    while the connection to the server is down, a note that it reconnects by itself."""
    parts = []
    if stale is not None:
        last, age, hours = stale
        if last is None:
            text = t(
                "⚠ 数据库中没有导入记录，无法判断数据是否为最新。",
                "⚠ No import on record: the data's age is unknown.",
                lang,
            )
        else:
            text = t(
                f"⚠ 数据已 {age} 未更新（最后导入 {last:%Y-%m-%d %H:%M}，超过 {hours:g} 小时），请核实数据报送情况。",
                f"⚠ The data has not been updated for {age} (last import {last:%Y-%m-%d %H:%M}, "
                f"more than {hours:g} h ago): check the reporting.",
                lang,
            )
        parts.append(f'<div class="scr-banner stale" data-banner="stale">{_e(text)}</div>')
    if error_at is not None:
        text = t(
            f"暂时无法读取最新数据，显示的是 {error_at:%H:%M} 的数据，稍后自动重试。",
            f"The latest data cannot be read just now: showing the figures of {error_at:%H:%M}; "
            "retrying automatically.",
            lang,
        )
        parts.append(f'<div class="scr-banner error" data-banner="error">{_e(text)}</div>')
    for n in notices or ():
        parts.append(f'<div class="scr-banner notice" data-banner="notice">{_e(n)}</div>')
    offline = t(
        "与服务器的连接已中断，正在自动重新连接；显示的是中断前的数据。",
        "The connection to the server is lost and is being restored automatically; showing the figures from before.",
        lang,
    )
    parts.append(f'<div class="scr-banner error scr-offline" data-banner="offline">{_e(offline)}</div>')
    return "".join(parts)


# ---------------------------------------------------------------------------------------------- body


def kpi_html(m: str, c: Comparison, lang: str) -> str:
    unit = t(f"<small>{UNITS[m]}</small>", "", lang)
    prev = t(f"去年同期 {fmt_measure(c, 'previous', lang)}", f"last year {fmt_measure(c, 'previous', lang)}", lang)
    if "current" in c.not_released:
        unit = ""
    return (
        f'<div class="scr-panel scr-kpi" data-kpi="{m}"><div class="name">{_e(label(MEASURE_LABELS, m, lang))}</div>'
        f'<div class="value">{_e(fmt_measure(c, "current", lang))}{unit}</div>'
        f'<div class="cmp"><span class="prev">{_e(prev)}</span>'
        f'<span class="chg" style="color:{change_colour(c)}">{_arrow(c)}{_e(fmt_change_pct(c, lang))}</span></div></div>'
    )


def _exact(n: float | None) -> str:
    """A count in full (20,123, not 2万: a target is read against the deaths beside it)."""
    return "—" if n is None else f"{n:,.0f}"


def _judgement_colour(j: str) -> str:
    return GOOD if j == Judgement.ACHIEVED else (NEUTRAL if j == Judgement.INSUFFICIENT else BAD)


def three_html(b: Any, lang: str) -> str:
    three = b.three_declines
    mark = "✓" if three.state == Judgement.ACHIEVED else ("?" if three.state == Judgement.INSUFFICIENT else "×")
    rows = []
    for key, c, streak_key in (
        ("accidents", three.accidents, "accidents"),
        ("larger_accidents", three.larger, "larger_accidents"),
        ("major_plus_accidents", three.major_plus, "major_plus_accidents"),
    ):
        n = b.streaks.get(streak_key, 0) if b.streaks else 0
        streak = wording.streak(n, lang) if n >= 2 else ""  # 已连续3年下降 (one year is the change beside it)
        rows.append(
            f'<div class="scr-row"><span class="k">{_e(label(MEASURE_LABELS, key, lang))}</span>'
            # a change in per cent with its arrow; in words when there is none (held at zero, flat, no data)
            f'<span class="v" style="color:{change_colour(c)}">{_arrow(c)}'
            f"{_e(fmt_change_pct(c, lang) if c.state in (State.DECLINED, State.ROSE) else state_label(c, lang))}"
            f"{f'<small>{_e(streak)}</small>' if streak else ''}</span></div>"
        )
    note = ""  # the verdict and its rows say the judgement; a wall has no room for the briefing's sentence
    if "accidents" in three.held_at_zero:
        note = f'<div class="scr-note">{t("两年同期均未发生事故，不算下降", "no accident in either year is no decline", lang)}</div>'
    verdict = label(JUDGEMENT_LABELS, three.state, lang)
    double = b.double_decline
    tally = b.double_decline_children
    if tally is not None and tally.of:
        note += f'<div class="scr-note" data-sentence="tally">{_e(wording.tally(tally, lang))}</div>'
    rows.append(
        f'<div class="scr-row scr-double"><span class="k">{t("双下降（起数、死亡）", "Double decline", lang)}</span>'
        f'<span class="v" data-double="{double}" style="color:{_judgement_colour(double)}">'
        f"{_e(label(JUDGEMENT_LABELS, double, lang))}</span></div>"
    )
    return (
        f'<div class="scr-panel scr-three"><h3>{t("三个继续下降", "Three continued declines", lang)}</h3>'
        f'<div class="scr-verdict" data-three="{three.state}" style="color:{_judgement_colour(three.state)}">'
        f'{mark} {_e(verdict)}</div><div class="scr-rows">{"".join(rows)}</div>{note}</div>'
    )


def _bar(text: str, value: str, share: float, colour: str) -> str:
    width = max(0.0, min(share, 1.0)) * 100
    return (
        f'<div class="scr-bar"><div class="lbl"><span>{_e(text)}</span><b>{_e(value)}</b></div>'
        f'<div class="track"><div class="fill" style="width:{width:.1f}%;background:{colour}"></div></div></div>'
    )


def target_html(b: Any, lang: str) -> str:
    head = f"<h3>{t('死亡人数控制指标', 'Deaths vs control target', lang)}"
    tp = b.target
    if tp is None:
        return (
            f'<div class="scr-panel scr-target">{head}</h3><div class="scr-note">'
            f"{t('未导入本地区本年度控制指标。', 'No control target imported for this region and year.', lang)}</div></div>"
        )
    colour = {"within": GOOD, "ahead_of_time": WARN, "exceeded": BAD}.get(tp.state, NEUTRAL)
    # the briefing's words (reports.wording): 超过时间进度14.2个百分点, 已超出全年控制指标
    state = wording.target_gap(tp, lang) or t("数据不足", "no data", lang)
    share = tp.progress or 0.0
    unit = t("人", "", lang)
    return (
        f'<div class="scr-panel scr-target">{head}<small>{tp.year}</small></h3>'
        f'<div class="scr-big">{_exact(tp.deaths)}<small>/ {_exact(tp.deaths_target)} {unit}</small>'
        f'<small style="color:{colour}" data-sentence="target">{_e(state)}</small></div>'
        + _bar(t("指标进度", "Target used", lang), fmt_pct(None if tp.progress is None else share * 100), share, colour)
        + _bar(t("时间进度", "Time elapsed", lang), fmt_pct(tp.time_progress * 100), tp.time_progress, NEUTRAL)
        + days_since_html(b, lang)
        + "</div>"
    )


def days_since_html(b: Any, lang: str) -> str:
    """Days since the last 重特大 and 较大-or-above accident (records only; nothing for statistics)."""
    if not b.days_since:
        return ""
    rows = []
    for key, zh, en in (
        ("major_plus", "距上一起重特大事故", "Since major+ accident"),
        ("larger_plus", "距上一起较大及以上事故", "Since larger+ accident"),
    ):
        ds = b.days_since.get(key)
        if ds is None:
            continue
        if ds.days is None:
            value = t("有记录以来未发生", "none on record", lang)
        else:
            value = t(f"{ds.days} 天", f"{ds.days} day{'s' if ds.days != 1 else ''}", lang)
        rows.append(
            f'<div class="scr-row"><span class="k">{t(zh, en, lang)}</span>'
            f'<span class="v" data-days-since="{key}">{_e(value)}</span></div>'
        )
    return f'<div class="scr-rows scr-days">{"".join(rows)}</div>'


def hazards_html(b: Any, lang: str) -> str:
    hz = b.hazards

    def pct(key: str) -> str:
        v = hz.get(key)
        return fmt_pct(None if v is None else v * 100)

    rates = "".join(
        f'<div><div class="n">{_e(t(zh, en, lang))}</div><div class="v" data-rate="{key}">{pct(key)}</div></div>'
        for key, zh, en in (
            ("rectification_rate", "隐患整改率", "Rectified"),
            ("major_rectification_rate", "重大隐患整改率", "Majors fixed"),
            ("on_time_rate", "按期整改率", "On time"),
        )
    )
    overdue = hz.get("open_major_overdue", 0)
    unit = t("项", "", lang)
    rows = (
        f'<div class="scr-row"><span class="k">{t("在治重大隐患", "Open major hazards", lang)}</span>'
        f'<span class="v">{_e(fmt_count(hz.get("open_major", 0), lang))} {unit}</span></div>'
        f'<div class="scr-row"><span class="k">{t("其中超期未整改", "of which overdue", lang)}</span>'
        f'<span class="v" data-overdue-major="{overdue}" style="color:{BAD if overdue else GOOD}">'
        # zeros in words, as the briefing says them: 均已整改, 均未超期
        f"{_e(f'{fmt_count(overdue, lang)} {unit}' if overdue else wording.major_open(hz.get('open_major', 0), 0, lang, short=True, found=hz.get('found')))}"
        "</span></div>"
        f'<div class="scr-row"><span class="k">{t("超期未整改隐患（全部）", "All overdue hazards", lang)}</span>'
        f'<span class="v">{_e(fmt_count(hz.get("open_overdue", 0), lang))} {unit}</span></div>'
    )
    found = t(f"本期发现 {fmt_count(hz.get('found'), lang)} 项", f"{fmt_count(hz.get('found'), lang)} found", lang)
    partial = tuple(hz.get("partial_regions") or ())
    note = ""
    if partial:
        who = t("、", ", ", lang).join(region_label(c, lang) for c in partial)
        note = f'<div class="scr-note">{_e(t(f"未计入{who}（月报表只覆盖部分月份）", f"not counted: {who} (partial monthly reports)", lang))}</div>'
    return (
        f'<div class="scr-panel scr-hz"><h3>{t("隐患排查治理", "Hidden dangers", lang)}<small>{_e(found)}</small></h3>'
        f'<div class="scr-rates">{rates}</div><div class="scr-rows">{rows}</div>{note}</div>'
    )


GRADE_NAMES = {"larger": ("较大", "larger"), "major": ("重大", "major"), "extraordinary": ("特别重大", "extraord.")}


def latest_html(b: Any, lang: str) -> str:
    """The latest 较大-and-above accidents; more than fit roll by, without a script (CSS animation
    over the list written twice)."""
    head = (
        f"<h3>{t('较大及以上事故', 'Larger-and-above accidents', lang)}<small>{t('最新', 'latest', lang)}</small></h3>"
    )
    if not b.latest:
        return (
            f'<div class="scr-panel scr-list">{head}<div class="scr-empty">'
            f"{t('本期未发生较大及以上事故。', 'No larger-or-above accident in this period.', lang)}</div></div>"
        )
    items = []
    for r in b.latest:
        when = r["occurred_at"][5:16].replace("T", " ")
        grade = r["grade"]
        deaths = t(f"死亡 {r['deaths']} 人", f"{r['deaths']} dead", lang)
        place = region_label(r["region"]["code"], lang) if lang == "en" else r["region"]["name"]
        items.append(
            f'<li data-accident="{_e(r["id"])}"><div class="l1"><span>{_e(when)}　'
            f'<span class="scr-grade" style="background:{GRADE_COLOURS_ON_DARK.get(grade, NEUTRAL)}">{_e(label(GRADE_NAMES, grade, lang))}</span></span>'
            f'<b>{_e(deaths)}</b></div><div class="l2">{_e(place)} · {_e(industry_label(r["industry"], lang))}</div></li>'
        )
    rolling = len(items) > LIST_VISIBLE
    if rolling:  # where the list starts again
        items.append(
            f'<li class="end">{_e(t(f"以上为最新 {len(b.latest)} 起", f"the latest {len(b.latest)} above", lang))}</li>'
        )
    body = "".join(items) * (2 if rolling else 1)
    style = f' style="--roll-s:{len(items) * 4}s"' if rolling else ""
    return (
        f'<div class="scr-panel scr-list">{head}<div class="scr-roll{" rolling" if rolling else ""}"{style}>'
        f"<ul>{body}</ul></div></div>"
    )


# ---------------------------------------------------------------------------------------------- map


def _ring_path(coords: Any) -> str:
    pts = [f"{x:.1f} {y:.1f}" for x, y in coords]
    # Rounded points repeat where the outline was finer than the rounding: drop the repeats.
    kept = [p for i, p in enumerate(pts) if i == 0 or p != pts[i - 1]]
    return "M" + " ".join(kept) + "Z" if len(kept) >= 3 else ""


def _geom_path(geom: Any) -> str:
    polys = list(geom.geoms) if hasattr(geom, "geoms") else [geom]
    parts = []
    for p in polys:
        if p.is_empty or p.geom_type != "Polygon":
            continue
        parts.append(_ring_path(p.exterior.coords))
        parts.extend(_ring_path(r.coords) for r in p.interiors)
    return "".join(parts)


@lru_cache(maxsize=64)
def map_outline(map_region: str) -> tuple[tuple[float, float], tuple[tuple[str, str, str], ...], str]:
    """((width, height) in SVG units, (code, name, path) of each child region, the maritime boundary's
    path on the national map) — projected (longitudes shrunk by the cosine of the middle latitude)
    and simplified to what a screen can show; cached per map."""
    from geo.boundaries import children_geometries, maritime_boundary

    shapes = children_geometries(map_region)
    shapes = shapes[shapes.geometry.notna()]
    extra = maritime_boundary().geometry.iloc[0] if map_region == COUNTRY_CODE else None
    bounds = list(shapes.total_bounds)
    if extra is not None:
        ex = extra.bounds
        bounds = [min(bounds[0], ex[0]), min(bounds[1], ex[1]), max(bounds[2], ex[2]), max(bounds[3], ex[3])]
    minx, miny, maxx, maxy = bounds
    k = math.cos(math.radians((miny + maxy) / 2))
    scale = MAP_WIDTH / max((maxx - minx) * k, 1e-9)

    def project(xy):
        out = xy.copy()
        out[:, 0] = (xy[:, 0] - minx) * k * scale
        out[:, 1] = (maxy - xy[:, 1]) * scale
        return out

    regions = []
    for code, name, geom in zip(shapes["code"], shapes["name"], shapes.geometry, strict=True):
        g = shapely.simplify(shapely.transform(geom, project), 0.6, preserve_topology=True)
        regions.append((str(code), str(name), _geom_path(g)))
    sea = ""
    if extra is not None:
        g = shapely.transform(extra, project)
        lines = list(g.geoms) if hasattr(g, "geoms") else [g]
        sea = "".join("M" + " ".join(f"{x:.1f} {y:.1f}" for x, y in line.coords) for line in lines)
    return (MAP_WIDTH, (maxy - miny) * scale), tuple(regions), sea


def map_svg(
    map_region: str,
    levels: dict[str, str],
    lang: str,
    fills: dict[str, str] | None = None,
    stroke: str = BG,
    sea_stroke: str = MUTED,
) -> str:
    """The four-colour map of ``map_region``'s children as inline SVG (a tooltip names each region):
    the big screen's dark colours unless ``fills`` (level → colour, with ``NO_DATA``) and the strokes
    say otherwise (the Briefing draws the same map on white, without Plotly)."""
    fills = fills or LEVEL_FILL
    (w, h), regions, sea = map_outline(map_region)
    pad = w * 0.01
    paths = []
    for code, name, d in regions:
        level = levels.get(code, NO_DATA)
        tip = f"{name} · {label(LEVEL_LABELS, level, lang)}"
        paths.append(
            f'<path d="{d}" fill="{fills.get(level, fills[NO_DATA])}" data-code="{code}" '
            f'data-level="{level}"><title>{_e(tip)}</title></path>'
        )
    sea_path = f'<path d="{sea}" fill="none" stroke="{sea_stroke}" stroke-width="1.6"/>' if sea else ""
    return (
        f'<svg viewBox="{-pad:.0f} {-pad:.0f} {w + 2 * pad:.0f} {h + 2 * pad:.0f}" preserveAspectRatio="xMidYMid meet" '
        f'xmlns="http://www.w3.org/2000/svg"><g stroke="{stroke}" stroke-width="1.2" stroke-linejoin="round" '
        f'fill-rule="evenodd">{"".join(paths)}</g>{sea_path}</svg>'
    )


def map_img(svg: str, alt: str, style: str = "") -> str:
    """The map as an image (st.html keeps no inline SVG: it sanitises to HTML only; a data: URI
    image stays on this machine)."""
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    css = f' style="{_e(style)}"' if style else ""
    return f'<img class="scr-map-img" alt="{_e(alt)}"{css} src="data:image/svg+xml;base64,{data}">'


def map_html(snap: Snapshot, lang: str) -> str:
    where = wording.units_of(snap.map_region, lang)
    _size, drawn, _sea = map_outline(snap.map_region)  # count what the map draws: a region without a level is grey
    counts = level_counts(
        pd.DataFrame({"level": [snap.levels.get(code, NO_DATA) for code, _n, _d in drawn]}, dtype=object)
    )
    legend = "".join(
        f'<span data-legend="{lv}"><i style="background:{LEVEL_FILL[lv]}"></i>{_e(label(LEVEL_LABELS, lv, lang))}<b>{counts[lv]}</b></span>'
        for lv in (*LEVELS, NO_DATA)
        if lv != NO_DATA or counts[NO_DATA]
    )
    return (
        f'<div class="scr-panel scr-map"><h3>{t("风险四色图", "Four-colour risk map", lang)}<small>{_e(where)}</small></h3>'
        f'<div class="scr-svg">{map_img(map_svg(snap.map_region, snap.levels, lang), wording.risk_map_caption(snap.map_region, lang))}</div>'
        f'<div class="scr-legend">{legend}</div></div>'
    )


def body_html(snap: Snapshot, lang: str) -> str:
    """Everything under the header, in one grid: the KPIs across the top; the three declines and the
    control target on the left, the map in the middle, hazards and the latest accidents on the right."""
    b = snap.brief
    kpis = "".join(kpi_html(m, b.measures[m], lang) for m in KPIS)
    return (
        f'<div class="scr-body"><div class="scr-kpis">{kpis}</div>{three_html(b, lang)}{target_html(b, lang)}'
        f"{map_html(snap, lang)}{hazards_html(b, lang)}{latest_html(b, lang)}</div>"
    )
