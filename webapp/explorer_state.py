"""The Explorer's configuration in the session (Streamlit glue): read once from the link that opened the
session (``links.explorer``), changed by the page's widgets, which are drawn like the sidebar's
(``widgets.keyed``: keyed by language, showing the configuration's value, writing a change back)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st

from domain.periods import Period
from links.explorer import ExplorerConfig, parse_explorer_query, period_problem
from webapp.widgets import keyed

# A change of these starts the list of records at its first page.
RESTARTS = ("kind", "rows", "cols", "measures", "cell", "search", "record_sort", "record_descending")


def config(today: dt.date) -> ExplorerConfig:
    """The Explorer's configuration of this session, read once from the link that opened it (the entry
    point keeps the session's first query: the sidebar rewrites the URL with its own filters)."""
    ss = st.session_state
    if "ex_cfg" not in ss:
        params = ss.get("query_at_start") or st.query_params.to_dict()
        cfg_, notices = parse_explorer_query(params, today)
        ss["ex_cfg"] = cfg_
        ss["ex_notices"] = notices
        ss["ex_page"] = 1
    return ss["ex_cfg"]


def set_value(name: str, value: object) -> ExplorerConfig:
    """Change ``name`` of the configuration (checked by ExplorerConfig.update); the new configuration."""
    ss = st.session_state
    before = ss["ex_cfg"]
    after = before.update(name, value)
    ss["ex_cfg"] = after
    if any(getattr(after, n) != getattr(before, n) for n in RESTARTS):
        ss["ex_page"] = 1  # another list of records starts at its first page
    return after


def widget_key(name: str, lang: str) -> str:
    return f"exw_{name}_{lang}"


def _sync(name: str, lang: str) -> None:
    """on_change: the widget's value becomes the configuration's (checked by ExplorerConfig.update)."""
    set_value(name, st.session_state.get(widget_key(name, lang)))


def _sync_period(name: str, lang: str, today: dt.date) -> None:
    """on_change of a compared period: a period that cannot be compared is kept aside for a warning."""
    text = (st.session_state.get(widget_key(name, lang)) or "").strip()
    if not text:
        set_value(name, None)
        return
    problem = period_problem(text, today)
    if problem:
        st.session_state["ex_period_error"] = (name, text, problem)
    else:
        set_value(name, Period.parse(text).code)


def _sync_page(name: str, lang: str) -> None:
    st.session_state["ex_page"] = st.session_state[widget_key(name, lang)]


def widget(draw: Any, name: str, title: str, *options: Any, value: object, lang: str, **kwargs: Any) -> Any:
    """The widget of ``name`` showing ``value`` (the configuration's), keyed by language like the sidebar's."""
    return keyed(
        draw, title, *options, key=widget_key(name, lang), value=value, on_change=_sync, args=(name, lang), **kwargs
    )


def period_widget(draw: Any, name: str, title: str, value: str, lang: str, today: dt.date, **kwargs: Any) -> Any:
    """The text box of a compared period (``period_a``, ``period_b``): a period that cannot be compared is
    refused (``ex_period_error``: the page warns), the previous one kept."""
    return keyed(
        draw, title, key=widget_key(name, lang), value=value, on_change=_sync_period, args=(name, lang, today), **kwargs
    )


def page_widget(draw: Any, title: str, lang: str, **kwargs: Any) -> Any:
    """The page number of the records (``ex_page``)."""
    return keyed(
        draw,
        title,
        key=widget_key("page", lang),
        value=st.session_state["ex_page"],
        on_change=_sync_page,
        args=("page", lang),
        **kwargs,
    )
