"""Streamlit glue for the meeting pack (会议汇报材料): the Pack of the sidebar's view, cached, built from
the app's cached brief, accident frames and risk index (the same numbers as the pages), and the files
the Briefing page offers for download. The pack itself is ``reports.pack`` (pure)."""

from __future__ import annotations

import datetime as dt

import streamlit as st

import settings
from domain.periods import Period
from reports.pack import build_pack
from reports.pack_gather import gather
from reports.pack_model import Pack
from store import Store
from webapp.state import TTL_S, View, brief, cached_fetch, db_key, risk_table


@st.cache_data(ttl=TTL_S, show_spinner=False, max_entries=8)
def meeting_pack(
    db: str, period: Period, region: str, industries: tuple[str, ...] | None, grade: str, today: dt.date, lang: str
) -> Pack:
    b = brief(db, period, region, industries, grade, today)
    inputs = gather(
        Store.of(db),
        b,
        today,
        fetch=cached_fetch(db),
        risk=lambda code, p, inds: risk_table(db, code, p, inds),
        expected=settings.expected_regions(),
    )
    return build_pack(inputs, lang, today)


def pack_for(view: View) -> Pack:
    return meeting_pack(db_key(), view.period, view.region, view.industries, view.filters.grade, view.today, view.lang)


@st.cache_data(ttl=TTL_S, show_spinner=False, max_entries=32)
def map_png(
    parent: str,
    colours: tuple[tuple[str, str], ...],
    legend: tuple[tuple[str, str], ...],
    lang: str,
    size: tuple[float, float] = (6.4, 5.2),
    dpi: int = 130,
) -> bytes:
    """The four-colour map of a pack as a PNG (charts.static_map), cached; by default about 830 × 680
    pixels at most, to be shown at its own size beside a chart on a 1080p screen."""
    from charts.static_map import risk_map_png

    return risk_map_png(parent, dict(colours), legend, lang, size=size, dpi=dpi)


def pptx_file(db: str, view: View):
    """A callable giving the PPTX bytes of the view's pack (for st.download_button: built on click)."""
    args = (db, view.period, view.region, view.industries, view.filters.grade, view.today, view.lang)

    def make() -> bytes:
        from reports.pptx_pack import pptx_bytes

        return pptx_bytes(meeting_pack(*args))

    return make


def pdf_file(db: str, view: View):
    """A callable giving the PDF bytes of the view's pack (LibreOffice, a few seconds)."""
    args = (db, view.period, view.region, view.industries, view.filters.grade, view.today, view.lang)

    def make() -> bytes:
        from reports.pdf_pack import pdf_bytes

        return pdf_bytes(meeting_pack(*args))

    return make
