"""The shared filters in the sidebar (Streamlit glue). Created in the entry point, so their values
survive page switches; written back to the URL on every run, so a copied link reopens the view.

The URL is read once per session (a link opened, or a reload); after that the widgets lead.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from analytics.accidents import GRADE_GROUPS
from domain.industries import INDUSTRIES, industry_label
from domain.periods import Period
from domain.regions import COUNTRY_CODE, children, load_regions, region_label
from filters import Filters, parse_query
from i18n import GRADE_GROUP_LABELS, label, t

MODES = ("ytd", "last-month", "year", "quarter", "month", "range")
MODE_LABELS = {
    "ytd": ("今年以来", "This year to date"), "last-month": ("上个完整月", "Last full month"),
    "year": ("年度", "Year"), "quarter": ("季度", "Quarter"), "month": ("月份", "Month"),
    "range": ("自定义月份区间", "Custom month range"),
}
FIRST_YEAR = 2015


def _months(today: dt.date) -> list[str]:
    months = [f"{y:04d}-{m:02d}" for y in range(FIRST_YEAR, today.year + 1) for m in range(1, 13)]
    return [m for m in months if m <= f"{today.year:04d}-{today.month:02d}"][::-1]


def _init_state(f: Filters, today: dt.date) -> None:
    """Seed the widgets' session state from filters parsed off the URL."""
    ss = st.session_state
    ss["f_lang"] = f.lang
    ss["f_mode"] = f.period_code if f.period_code in ("ytd", "last-month") else Period.parse(f.period_code).kind
    p = f.period(today) if f.period_code not in ("ytd", "last-month") else Period.year_to_date(today)
    ss["f_year"] = int(p.start[:4])
    ss["f_quarter"] = (int(p.start[5:]) + 2) // 3
    ss["f_month"] = p.start
    ss["f_start"], ss["f_end"] = p.start, p.end
    set_region(f.region)
    ss["f_industries"] = list(f.industries)
    ss["f_grade"] = f.grade


def _reset_below(*keys: str) -> None:
    for k in keys:
        st.session_state[k] = ""


def _period_code(today: dt.date) -> str:
    ss = st.session_state
    mode = ss["f_mode"]
    if mode in ("ytd", "last-month"):
        return mode
    if mode == "year":
        return str(ss["f_year"])
    if mode == "quarter":
        return f"{ss['f_year']}-Q{ss['f_quarter']}"
    if mode == "month":
        return ss["f_month"]
    start, end = sorted((ss["f_start"], ss["f_end"]))
    return f"{start}..{end}"


def render_filters(today: dt.date) -> tuple[Filters, list[str]]:
    """Draw the sidebar filters; return the filters and the notices (already in the language)."""
    ss = st.session_state
    notices: list[str] = []
    if not ss.get("f_initialised"):
        parsed, bad = parse_query(st.query_params.to_dict(), today)
        _init_state(parsed, today)
        ss["f_initialised"] = True
        notices = [n.text(parsed.lang) for n in bad]
    # A click on a chart asked for a new region or industries on the previous run: apply it before the
    # widgets exist (their state cannot change once they are drawn).
    if "pending_region" in ss:
        set_region(ss.pop("pending_region"))
    if "pending_industries" in ss:
        ss["f_industries"] = ss.pop("pending_industries")
    lang = ss["f_lang"]
    sb = st.sidebar
    sb.radio("语言 / Language", ["zh", "en"], key="f_lang", horizontal=True,
             format_func=lambda v: "中文" if v == "zh" else "English")
    lang = ss["f_lang"]
    sb.subheader(t("统计期间", "Period", lang))
    sb.selectbox(t("期间类型", "Period type", lang), MODES, key="f_mode",
                 format_func=lambda m: label(MODE_LABELS, m, lang))
    years = list(range(today.year, FIRST_YEAR - 1, -1))
    mode = ss["f_mode"]
    if mode in ("year", "quarter"):
        sb.selectbox(t("年度", "Year", lang), years, key="f_year")
    if mode == "quarter":
        sb.selectbox(t("季度", "Quarter", lang), [1, 2, 3, 4], key="f_quarter",
                     format_func=lambda q: t(f"第{'一二三四'[q - 1]}季度", f"Q{q}", lang))
    months = _months(today)
    if mode == "month":
        sb.selectbox(t("月份", "Month", lang), months, key="f_month")
    if mode == "range":
        c1, c2 = sb.columns(2)
        c1.selectbox(t("起始月", "From", lang), months, key="f_start")
        c2.selectbox(t("截止月", "To", lang), months, key="f_end")

    sb.subheader(t("地区", "Region", lang))
    provinces = [""] + [r.code for r in children(COUNTRY_CODE)]
    sb.selectbox(t("省级", "Province", lang), provinces, key="f_province",
                 format_func=lambda c: label({"": ("全国", "Whole country")}, "", lang) if not c else region_label(c, lang),
                 on_change=_reset_below, args=("f_city", "f_county"))
    region = ss["f_province"] or COUNTRY_CODE
    if ss["f_province"]:
        cities = [""] + [r.code for r in children(ss["f_province"])]
        if ss.get("f_city") not in cities:
            ss["f_city"] = ""
        sb.selectbox(t("市级", "City", lang), cities, key="f_city",
                     format_func=lambda c: t("全部市（州）", "All cities", lang) if not c else region_label(c, lang),
                     on_change=_reset_below, args=("f_county",))
        if ss["f_city"]:
            region = ss["f_city"]
            counties = [""] + [r.code for r in children(ss["f_city"])]
            if len(counties) > 1:
                if ss.get("f_county") not in counties:
                    ss["f_county"] = ""
                sb.selectbox(t("县级", "County", lang), counties, key="f_county",
                             format_func=lambda c: t("全部县（区）", "All counties", lang) if not c else region_label(c, lang))
                region = ss["f_county"] or region

    sb.subheader(t("行业与等级", "Industry and grade", lang))
    sb.multiselect(t("行业领域（不选为全部）", "Industries (none = all)", lang), [i.code for i in INDUSTRIES],
                   key="f_industries", format_func=lambda c: industry_label(c, lang))
    sb.selectbox(t("事故等级", "Accident grade", lang), list(GRADE_GROUPS), key="f_grade",
                 format_func=lambda g: label(GRADE_GROUP_LABELS, g, lang))

    filters = Filters(_period_code(today), region, tuple(ss["f_industries"]), ss["f_grade"], lang)
    st.query_params.from_dict(filters.to_query())
    return filters, notices


def set_region(code: str) -> None:
    """Point the region filter at ``code`` (from the URL, or a click on a ranking or a map)."""
    chain: list[str] = []
    node: str | None = code
    while node is not None and node != COUNTRY_CODE:
        chain.insert(0, node)
        node = load_regions()[node].parent_code
    for key, value in zip(("f_province", "f_city", "f_county"), [*chain, "", "", ""], strict=False):
        st.session_state[key] = value


def request_region(code: str) -> None:
    """Ask for ``code`` as the region filter from a page (a click on a ranking or a map); applied
    at the start of the next run. Call ``st.rerun()`` after it."""
    st.session_state["pending_region"] = code


def request_industries(codes: list[str]) -> None:
    """Ask for these industries as the filter from a page; applied at the start of the next run."""
    st.session_state["pending_industries"] = list(codes)
