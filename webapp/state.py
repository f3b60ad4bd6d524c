"""Shared state of the app: the filters of this run, and the cached store and queries.
Only Streamlit glue lives here: caching at the I/O boundary (st.cache_resource for the store,
st.cache_data with a TTL for query results) and one way to clear both after an import."""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass

import pandas as pd
import streamlit as st

import settings
from domain.periods import Period
from links.filters import Filters
from store import Store
from store import explore_queries as eq
from store import queries as q

LANGS = ("zh", "en")
TTL_S = 300


def get_lang() -> str:
    """The language: the sidebar's choice, else the ``lang`` query parameter (``zh`` by default)."""
    value = st.session_state.get("f_lang") or st.query_params.get("lang", "zh")
    return value if value in LANGS else "zh"


_PREPARING = "正在准备数据（首次启动生成演示数据）… / Preparing data (the first start builds the demo store)…"


@st.cache_resource(show_spinner=_PREPARING)
def get_store() -> Store:
    # open_or_build builds the demo store on first start (no file yet); later starts just open it.
    from loaders.demo.ensure import open_or_build

    return open_or_build()


@dataclass(frozen=True)
class View:
    """What the sidebar selected, for the page being drawn."""

    filters: Filters
    period: Period
    today: dt.date

    @property
    def lang(self) -> str:
        return self.filters.lang

    @property
    def region(self) -> str:
        return self.filters.region

    @property
    def industries(self) -> tuple[str, ...] | None:
        return self.filters.industries or None


def current_view() -> View:
    """The view set by the entry point's sidebar on this run."""
    view = st.session_state.get("view")
    if view is None:  # a page run on its own (tests): defaults
        today = settings.today()
        f = Filters("ytd")
        view = View(f, f.period(today), today)
    return view


# ------------------------------------------------------------------ cached queries


def scope_region() -> str:
    """The region whose subtree this session may see: its account's region (100000, the whole country,
    for an account of every region); PermissionError without an account. Every store a page reads is
    opened through ``db_key()`` with it, so the scope is applied in one place: by the store
    (``store.Store``'s scoped views), whatever a page asks."""
    account = st.session_state.get("account")
    region = getattr(account, "region", None)
    if not (isinstance(region, str) and len(region) == 6 and region.isdigit()):
        # Closed, not open: a page runs only after the login (dashboard.py) has put the account here.
        raise PermissionError("no account in this session: the store is read only after a login")
    return region


def db_key() -> str:
    """The store of this session, scoped to its account's region, as a cache key (``Store.of`` opens it):
    cached answers are kept per scope, so one account's answer is never served to another's."""
    return Store(get_store().path, scope_region()).key


@st.cache_data(ttl=TTL_S, show_spinner=False)
def accident_cells(db: str, region: str, first_day: dt.date, last_day: dt.date) -> pd.DataFrame:
    return q.accident_cells(Store.of(db), region, first_day, last_day)


@st.cache_data(ttl=TTL_S, show_spinner=False)
def accident_stats(db: str, region: str, first_year: int, last_year: int) -> pd.DataFrame:
    return q.accident_stats_rows(Store.of(db), region, first_year, last_year)


def cached_fetch(db: str):
    """``fetch(region, period) -> (cells, stats)`` reading ``db`` through the cached queries (the shape
    ``analytics.trends``, ``answers.region_risk`` and the meeting pack read accident frames in)."""

    def fetch(region: str, period: Period) -> tuple[pd.DataFrame, pd.DataFrame]:
        return (
            accident_cells(db, region, period.first_day, period.last_day),
            accident_stats(db, region, period.first_year, period.last_year),
        )

    return fetch


def clear_caches() -> None:
    """After an import: every page shows the new numbers without a restart."""
    st.cache_data.clear()


@st.cache_data(ttl=TTL_S, show_spinner=False)
def brief(db: str, period: Period, region: str, industries: tuple[str, ...] | None, grade: str, today: dt.date):
    """The brief behind the Briefing page — the same numbers as ``python -m reports brief``."""
    from analytics.brief import build_brief
    from answers.brief_data import StoreData

    return build_brief(StoreData(Store.of(db), settings.expected_regions()), period, region, industries, grade, today)


def brief_for(view: View):
    return brief(db_key(), view.period, view.region, view.industries, view.filters.grade, view.today)


@st.cache_data(ttl=TTL_S, show_spinner=False)
def risk_table(db: str, region: str, period: Period, industries: tuple[str, ...] | None) -> pd.DataFrame:
    """The risk index of the child regions of ``region`` (answers.region_risk), cached."""
    from answers.region_risk import region_risk

    return region_risk(Store.of(db), region, period, industries, cached_fetch(db))


@st.cache_data(ttl=TTL_S, show_spinner=False)
def accident_points(db: str, region: str, period: Period, industries: tuple[str, ...] | None) -> pd.DataFrame:
    return q.accident_points(Store.of(db), region, period.first_day, period.last_day, industries)


@st.cache_data(ttl=TTL_S, show_spinner=False, max_entries=16)
def rectification(db: str, region: str, period: Period, industries: tuple[str, ...] | None, today: dt.date):
    """analytics.hazards.Rectification (aggregates, counted by the store) for the 隐患整改 page."""
    from answers.rectification import load

    return load(Store.of(db), region, period, industries, today)


@st.cache_data(ttl=TTL_S, show_spinner=False, max_entries=16)
def hazard_enterprises(
    db: str, region: str, period: Period, industries: tuple[str, ...] | None, today: dt.date
) -> tuple[pd.DataFrame, int]:
    """The 隐患整改 page's enterprises with the most open or repeated hazards (and the repeats)."""
    from answers.rectification import enterprise_list

    return enterprise_list(Store.of(db), region, period, industries, today)


@st.cache_data(ttl=TTL_S, show_spinner=False, max_entries=16)
def enterprise_records(
    db: str, region: str, period: Period, industries: tuple[str, ...] | None, key: str
) -> pd.DataFrame:
    """The hazard records of one enterprise of the 隐患整改 page's list (bounded)."""
    from answers.rectification import enterprise_records as records

    return records(Store.of(db), region, period, industries, key)


@st.cache_data(ttl=TTL_S, show_spinner=False, max_entries=16)
def hazard_monthly_report(
    db: str, region: str, period: Period, industries: tuple[str, ...] | None, today: dt.date
) -> pd.DataFrame:
    from answers.rectification import monthly_report

    return monthly_report(Store.of(db), region, period, industries, today)


@st.cache_data(ttl=TTL_S, show_spinner=False)
def coverage(db: str):
    """What the store holds (to tell a missing number from a zero, as the brief does)."""
    return q.data_coverage(Store.of(db), settings.expected_regions())


@st.cache_data(ttl=TTL_S, show_spinner=False)
def trends(db: str, region: str, period: Period, industries: tuple[str, ...] | None, grade: str):
    """Every series of the Trends page (analytics.trends.TrendData), cached. Reads ``db`` only (never the
    app's current store: the warm-up calls this from a thread of its own)."""
    from analytics.trends import trend_data

    return trend_data(cached_fetch(db), region, period, industries, grade, coverage=coverage(db))


# ------------------------------------------------------------------ the Explorer (分析查询)


@st.cache_data(ttl=TTL_S, show_spinner=False, max_entries=64)
def explorer_cells(db: str, kind: str, scope, rows: str, cols: str | None) -> pd.DataFrame:
    """The cells of the Explorer's pivot (store.explore_queries.pivot_cells)."""
    return eq.pivot_cells(Store.of(db), kind, scope, rows, cols)


@st.cache_data(ttl=TTL_S, show_spinner=False, max_entries=64)
def explorer_records_page(
    db: str,
    kind: str,
    scope,
    cell: tuple[tuple[str, str], ...],
    subset: str | None,
    search: str,
    sort: str,
    descending: bool,
    limit: int,
    offset: int,
) -> tuple[pd.DataFrame, int]:
    """One page of the records behind a cell, and how many there are."""
    return eq.records_page(Store.of(db), kind, scope, dict(cell), subset, search, sort, descending, limit, offset)


def explorer_records(
    db: str,
    kind: str,
    scope,
    cell: tuple[tuple[str, str], ...],
    subset: str | None,
    search: str,
    sort: str,
    descending: bool,
) -> pd.DataFrame:
    """Every record behind a cell (a download, made when clicked: not cached)."""
    return eq.all_records(Store.of(db), kind, scope, dict(cell), subset, search, sort, descending)


def explorer_record(db: str, kind: str, record_id: str) -> dict | None:
    """One record in full, as stored now (None once it is gone)."""
    return eq.record(Store.of(db), kind, record_id)


@st.cache_data(ttl=TTL_S, show_spinner=False)
def statistics_only_regions(db: str, kind: str, region: str) -> list[str]:
    """The regions under ``region`` that send statistics only (no records of ``kind``)."""
    return eq.statistics_only_regions(Store.of(db), kind, region)


@st.cache_data(ttl=TTL_S, show_spinner=False)
def records_span(db: str, kind: str, region: str) -> tuple[dt.date, dt.date] | None:
    """The first and last day of the records of ``kind`` under ``region`` (None without any)."""
    return eq.records_span(Store.of(db), kind, region)


@st.cache_data(ttl=TTL_S, show_spinner=False)
def explorer_source(db: str, kind: str) -> tuple[str, str]:
    """The data source for a download's header block, in both languages (answers.explorer.source)."""
    from answers.explorer import source

    return source(Store.of(db), kind)


# ------------------------------------------------------------------ the Data page (数据管理)


def session_store() -> Store:
    """The store of this session, scoped to its account's region (``db_key``): what the Data page reads
    and changes (imports and undos outside the region are refused by the store)."""
    return Store.of(db_key())


@st.cache_data(ttl=60, show_spinner=False)
def store_status(db: str) -> dict:
    """What the store holds: rows, spans and regions of each table (``Store.status``)."""
    return Store.of(db).status()


@st.cache_data(ttl=60, show_spinner=False)
def demo_rows(db: str) -> int:
    """How many rows of the store came from the demo (``store.demo_records``)."""
    from answers.data_status import demo_rows as rows

    return rows(Store.of(db))


# ------------------------------------------------------------------ warming the other pages


@st.cache_resource(show_spinner=False)
def _warm_state() -> dict:
    return {"lock": threading.Lock(), "thread": None}


def warm_up(view: View) -> threading.Thread | None:
    """Once per process, after its first page has been drawn: the answers of the other pages for that
    view, computed in the background so that the pages the first visitor opens next come from the
    cache. Returns the thread when this call started it."""
    if settings.get("SAFETY_WARM_UP").strip() == "0":
        return None
    state = _warm_state()
    with state["lock"]:
        if state["thread"] is not None:
            return None
        db, period, region, inds, grade, today = (
            db_key(),
            view.period,
            view.region,
            view.industries,
            view.filters.grade,
            view.today,
        )
        from domain.regions import map_region_of

        def run() -> None:
            steps = (
                lambda: brief(db, period, region, inds, grade, today),
                lambda: risk_table(db, map_region_of(region), period, inds),
                lambda: trends(db, region, period, inds, grade),
                lambda: rectification(db, region, period, inds, today),
                lambda: hazard_enterprises(db, region, period, inds, today),
                lambda: hazard_monthly_report(db, region, period, inds, today),
            )
            for step in steps:
                try:
                    step()
                except Exception:  # noqa: BLE001 — a page that fails says so itself when it is opened
                    return

        from streamlit.runtime.scriptrunner import add_script_run_ctx, get_script_run_ctx

        thread = threading.Thread(target=run, name="warm-up", daemon=True)
        add_script_run_ctx(thread, get_script_run_ctx())
        state["thread"] = thread
        thread.start()
        return thread


# ------------------------------------------------------------------ data changed under the app


@st.cache_resource
def _seen_stamps() -> tuple[threading.Lock, dict[str, str]]:
    """The import token of each store as this process last saw it (shared by every session)."""
    return threading.Lock(), {}


def data_stamp() -> dt.datetime | None:
    """When the store's data was last updated (the latest import not undone; None without one).

    An import from the command line (another process) does not clear this process's caches: when
    the store's import token differs from the one this process last saw, the cached query results
    are cleared, once for all sessions, so every page then shows the new data. Every run of every
    page calls this first (``dashboard.py``), and the big screen on each refresh; the first look of a
    process only records the token (nothing can have been cached before it)."""
    db = str(get_store().path)  # the whole store's stamp, whatever the session's scope
    last, token = q.import_stamp(Store(db))
    lock, seen = _seen_stamps()
    with lock:
        if db in seen and seen[db] != token:
            clear_caches()
        seen[db] = token
    return last
