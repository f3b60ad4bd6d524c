"""The shared filters in the sidebar (Streamlit glue). Created in the entry point, so their values
survive page switches; written back to the URL on every run, so a copied link reopens the view.

The URL is read once per session (a link opened, or a reload); after that the widgets lead.

The filters live in session state under canonical keys (``flt_*``: codes, never labels), apart
from the widgets. The widgets show labels in the current language, and a Streamlit widget maps its
value through the labels it displayed, so a widget whose labels change (a language switch) would
come back with a label or a reset value. Hence every widget is keyed by language (``f_province``
in Chinese, ``f_province_en`` in English: a widget's labels never change), seeded from the
canonical value before it is drawn, checked against its options, and writes the canonical value
back when the user changes it (``on_change``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st

from domain.grading import GRADE_GROUPS
from domain.industries import INDUSTRIES, industry_label
from domain.periods import Period
from domain.regions import COUNTRY_CODE, children, lineage, load_regions, region_label, within
from i18n import GRADE_GROUP_LABELS, label, md_text, t
from links.filters import DEFAULT_PERIOD, FIRST_YEAR, Filters, Notice, parse_query, period_notice
from reports import wording
from webapp.state import scope_region
from webapp.widgets import keyed

__all__ = ["FIRST_YEAR", "MODES", "render_filters", "request_industries", "request_region", "set_region"]

MODES = ("ytd", "last-month", "year", "quarter", "month", "range")
MODE_LABELS = {
    "ytd": ("今年以来", "This year to date"),
    "last-month": ("上个完整月", "Last full month"),
    "year": ("年度", "Year"),
    "quarter": ("季度", "Quarter"),
    "month": ("月份", "Month"),
    "range": ("自定义月份区间", "Custom month range"),
}
# The filters, by name: their canonical session-state key is ``flt_<name>``, their widget key
# ``f_<name>`` (Chinese, the default) or ``f_<name>_<lang>``.
NAMES = ("mode", "year", "quarter", "month", "start", "end", "province", "city", "county", "industries", "grade")


def _ck(name: str) -> str:
    return f"flt_{name}"


def widget_key(name: str, lang: str) -> str:
    """The key of a filter's widget in ``lang`` (``f_province``, ``f_province_en``)."""
    return f"f_{name}" if lang == "zh" else f"f_{name}_{lang}"


def _months(today: dt.date) -> list[str]:
    months = [f"{y:04d}-{m:02d}" for y in range(FIRST_YEAR, today.year + 1) for m in range(1, 13)]
    return [m for m in months if m <= f"{today.year:04d}-{today.month:02d}"][::-1]


def _years(today: dt.date) -> list[int]:
    return list(range(today.year, FIRST_YEAR - 1, -1))


def _quarters(year: int, today: dt.date) -> list[int]:
    """The quarters of ``year`` that have started by ``today``."""
    if year < today.year:
        return [1, 2, 3, 4]
    if year > today.year:
        return []
    return list(range(1, (today.month + 2) // 3 + 1))


def _init_state(f: Filters, today: dt.date) -> None:
    """Seed the canonical filters from filters parsed off the URL."""
    ss = st.session_state
    ss["f_lang"] = f.lang
    ss[_ck("mode")] = f.period_code if f.period_code in ("ytd", "last-month") else Period.parse(f.period_code).kind
    p = f.period(today) if f.period_code not in ("ytd", "last-month") else Period.year_to_date(today)
    ss[_ck("year")] = p.first_year
    ss[_ck("quarter")] = (int(p.start[5:]) + 2) // 3
    ss[_ck("month")] = p.start
    ss[_ck("start")], ss[_ck("end")] = p.start, p.end
    set_region(f.region)
    ss[_ck("industries")] = list(f.industries)
    ss[_ck("grade")] = f.grade


def _sync(name: str, lang: str, options: tuple[Any, ...], resets: tuple[str, ...]) -> None:
    """on_change: the widget's new value becomes the canonical one if it is one of ``options``
    (never a label); ``resets`` go back to '' (the lower region levels when a higher one changes)."""
    ss = st.session_state
    value = ss.get(widget_key(name, lang))
    if isinstance(value, list | tuple):
        if not all(v in options for v in value):
            return
        value = list(value)
    elif value not in options:
        return
    ss[_ck(name)] = value
    for r in resets:
        ss[_ck(r)] = ""
        ss[widget_key(r, lang)] = ""


def _draw(
    draw: Callable[..., Any],
    name: str,
    title: str,
    options: Sequence[Any],
    lang: str,
    format_func: Callable[[Any], str] | None = None,
    resets: tuple[str, ...] = (),
    **kwargs: Any,
) -> Any:
    """Draw the widget of filter ``name`` in ``lang`` showing the canonical value, which it updates."""
    ss = st.session_state
    canonical = ss[_ck(name)]
    extra: dict[str, Any] = {"format_func": format_func} if format_func else {}
    value = keyed(
        draw,
        title,
        options,
        key=widget_key(name, lang),
        value=canonical,
        on_change=_sync,
        args=(name, lang, tuple(options), resets),
        **extra,
        **kwargs,
    )
    if isinstance(value, list | tuple):
        value = list(value)
        ok = all(v in options for v in value)
    else:
        ok = value in options
    if not ok:  # never a label or a stray value: keep the canonical one
        return canonical
    ss[_ck(name)] = value
    return value


def _valid(name: str, options: Sequence[Any], fallback: Any) -> Any:
    """The canonical value of ``name``, or ``fallback`` if it is not among ``options``."""
    ss = st.session_state
    value = ss.get(_ck(name))
    if name == "industries":
        value = [v for v in value if v in options] if isinstance(value, list | tuple) else fallback
    elif value not in options:
        value = fallback
    ss[_ck(name)] = value
    return value


def _period_code() -> str:
    ss = st.session_state
    mode = ss[_ck("mode")]
    if mode in ("ytd", "last-month"):
        return mode
    if mode == "year":
        return str(ss[_ck("year")])
    if mode == "quarter":
        return f"{ss[_ck('year')]}-Q{ss[_ck('quarter')]}"
    if mode == "month":
        return ss[_ck("month")]
    start, end = sorted((ss[_ck("start")], ss[_ck("end")]))
    return f"{start}..{end}"


def _reset_period(today: dt.date) -> None:
    """Back to the default period (this year to date)."""
    ss = st.session_state
    ss[_ck("mode")] = DEFAULT_PERIOD
    p = Period.year_to_date(today)
    ss[_ck("year")] = p.first_year
    ss[_ck("quarter")] = (int(p.start[5:]) + 2) // 3
    ss[_ck("month")] = p.start
    ss[_ck("start")], ss[_ck("end")] = p.start, p.end


def _check_period(today: dt.date, notices: list[Notice]) -> None:
    """A period that cannot be shown (one that has not started) → this year to date and a notice."""
    code = _period_code()
    try:
        Filters(code).period(today)
    except ValueError as exc:
        notices.append(
            period_notice(code, today)
            or Notice(
                f"统计期间“{code}”无效（{exc}），已改为今年以来。",
                f"Period '{code}': {exc}; showing this year to date.",
            )
        )
        _reset_period(today)


def _region_state() -> str:
    """The region the canonical filters point at (the deepest level chosen; the country if none)."""
    ss = st.session_state
    chosen = [ss.get(_ck(n)) for n in ("province", "city", "county")]
    return next((c for c in reversed(chosen) if c), COUNTRY_CODE)


def render_filters(today: dt.date) -> tuple[Filters, list[str]]:
    """Draw the sidebar filters; return the filters and the notices (already in the language).

    The region boxes offer nothing outside the region the session's account may see
    (``webapp.state.scope_region()``), and a link or a click that asks for a wider or another region falls
    back to it with a notice. (The store is scoped too: this only keeps the filters honest.)"""
    scope = scope_region()
    ss = st.session_state
    pending: list[Notice] = []
    if not ss.get("f_initialised") or any(_ck(n) not in ss for n in NAMES):
        parsed, pending = parse_query(st.query_params.to_dict(), today)
        _init_state(parsed, today)
        ss["f_initialised"] = True
    # A click on a chart asked for a new region or industries on the previous run: apply it before the
    # widgets exist (their state cannot change once they are drawn).
    if "pending_region" in ss:
        set_region(ss.pop("pending_region"))
    asked = _region_state()
    if not within(asked, scope):
        set_region(scope)
        pending.append(
            Notice(
                f"本账号的数据范围为{region_label(scope)}，所选地区“{region_label(asked)}”超出范围，已改为{region_label(scope)}。",
                f"This account sees {region_label(scope, 'en')} only: {region_label(asked, 'en')} is outside it, "
                f"showing {region_label(scope, 'en')}.",
            )
        )
    if "pending_industries" in ss:
        ss[_ck("industries")] = list(ss.pop("pending_industries"))
    if ss.get("f_lang") not in ("zh", "en"):
        ss["f_lang"] = "zh"
    sb = st.sidebar
    sb.radio(
        "语言 / Language",
        ["zh", "en"],
        key="f_lang",
        horizontal=True,
        format_func=lambda v: "中文" if v == "zh" else "English",
    )
    lang = ss["f_lang"]

    sb.subheader(t("统计期间", "Period", lang))
    # Keep every period value valid even when hidden, so a later switch of the mode finds one.
    years = _years(today)
    months = _months(today)
    _valid("mode", MODES, DEFAULT_PERIOD)
    year = _valid("year", years, today.year)
    quarters = _quarters(year, today)
    _valid("quarter", quarters, quarters[-1] if quarters else 1)
    for name in ("month", "start", "end"):
        _valid(name, months, months[0])
    _check_period(today, pending)  # before the widgets are drawn, so they show the fallback
    mode = _draw(
        sb.selectbox,
        "mode",
        t("期间类型", "Period type", lang),
        MODES,
        lang,
        format_func=lambda m: label(MODE_LABELS, m, lang),
    )
    if mode in ("year", "quarter"):
        year = _draw(sb.selectbox, "year", t("年度", "Year", lang), years, lang)
    if mode == "quarter":
        quarters = _quarters(year, today)  # only the quarters that have started
        _valid("quarter", quarters, quarters[-1])
        _draw(
            sb.selectbox,
            "quarter",
            t("季度", "Quarter", lang),
            quarters,
            lang,
            format_func=lambda q: t(f"第{'一二三四'[q - 1]}季度", f"Q{q}", lang),
        )
    if mode == "month":
        _draw(sb.selectbox, "month", t("月份", "Month", lang), months, lang)
    if mode == "range":
        c1, c2 = sb.columns(2)
        _draw(c1.selectbox, "start", t("起始月", "From", lang), months, lang)
        _draw(c2.selectbox, "end", t("截止月", "To", lang), months, lang)

    sb.subheader(t("地区", "Region", lang))
    # The levels down to the account's region are fixed (one choice, shown but not changeable).
    fixed = lineage(scope) if scope != COUNTRY_CODE else ()

    def options(level: int, parent: str) -> list[str]:
        return [fixed[level]] if level < len(fixed) else [""] + [r.code for r in children(parent)]

    provinces = options(0, COUNTRY_CODE)
    province = _valid("province", provinces, provinces[0])
    cities = options(1, province) if province else [""]
    city = _valid("city", cities, cities[0])
    counties = options(2, city) if city else [""]
    _valid("county", counties, counties[0])
    province = _draw(
        sb.selectbox,
        "province",
        t("省级", "Province", lang),
        provinces,
        lang,
        format_func=lambda c: t("全国", "Whole country", lang) if not c else region_label(c, lang),
        resets=("city", "county"),
        disabled=len(fixed) > 0,
    )
    region = province or COUNTRY_CODE
    if province:
        cities = options(1, province)
        _valid("city", cities, cities[0])
        city = _draw(
            sb.selectbox,
            "city",
            t("市级", "City", lang),
            cities,
            lang,
            format_func=lambda c: wording.all_units(province, lang) if not c else region_label(c, lang),
            resets=("county",),
            disabled=len(fixed) > 1,
        )
        if city:
            region = city
            counties = options(2, city)
            if len(counties) > 1 or len(fixed) > 2:
                _valid("county", counties, counties[0])
                county = _draw(
                    sb.selectbox,
                    "county",
                    t("县级", "County", lang),
                    counties,
                    lang,
                    format_func=lambda c: wording.all_units(city, lang) if not c else region_label(c, lang),
                    disabled=len(fixed) > 2,
                )
                region = county or region

    sb.subheader(t("行业与等级", "Industry and grade", lang))
    industry_codes = [i.code for i in INDUSTRIES]
    _valid("industries", industry_codes, [])
    industries = _draw(
        sb.multiselect,
        "industries",
        t("行业领域（不选为全部）", "Industries (none = all)", lang),
        industry_codes,
        lang,
        format_func=lambda c: industry_label(c, lang),
        placeholder=t("全部行业", "All industries", lang),
    )
    _valid("grade", list(GRADE_GROUPS), "all")
    grade = _draw(
        sb.selectbox,
        "grade",
        t("事故等级", "Accident grade", lang),
        list(GRADE_GROUPS),
        lang,
        format_func=lambda g: label(GRADE_GROUP_LABELS, g, lang),
    )

    _check_period(today, pending)  # a safety net: the period was checked before the widgets
    filters = Filters(_period_code(), region, tuple(industries), grade, lang)
    st.query_params.from_dict(filters.to_query())
    return filters, [md_text(n.text(lang)) for n in pending]  # a notice quotes the link's value: shown as text


def set_region(code: str) -> None:
    """Point the region filter at ``code`` (from the URL, or a click on a ranking or a map)."""
    chain = lineage(code) if code in load_regions() else ()
    for name, value in zip(("province", "city", "county"), [*chain, "", "", ""], strict=False):
        st.session_state[_ck(name)] = value


def request_region(code: str) -> None:
    """Ask for ``code`` as the region filter from a page (a click on a ranking or a map); applied
    at the start of the next run. Call ``st.rerun()`` after it."""
    st.session_state["pending_region"] = code


def request_industries(codes: list[str]) -> None:
    """Ask for these industries as the filter from a page; applied at the start of the next run."""
    st.session_state["pending_industries"] = list(codes)
