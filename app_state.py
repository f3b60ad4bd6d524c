"""Shared state of the app: language, and the cached store. Only Streamlit glue lives here."""

from __future__ import annotations

import streamlit as st

from store import Store, open_store

LANGS = ("zh", "en")


def get_lang() -> str:
    """The language from the ``lang`` query parameter (``zh`` default, or ``en``)."""
    value = st.query_params.get("lang", "zh")
    return value if value in LANGS else "zh"


def t(zh: str, en: str, lang: str | None = None) -> str:
    """Pick the text of the current language."""
    return zh if (lang or get_lang()) == "zh" else en


_PREPARING = "正在准备数据（首次启动生成演示数据）… / Preparing data (the first start builds the demo store)…"


@st.cache_resource(show_spinner=_PREPARING)
def get_store() -> Store:
    # open_store builds the demo store on first start (no file yet); later starts just open it.
    return open_store()
