"""The one way the app draws a widget whose value lives elsewhere (the sidebar's filters, the Explorer's
configuration): keyed per language, seeded with the value it must show, and telling its owner of a change.

A Streamlit widget maps its value through the labels it displayed, so a widget whose labels change (a
language switch) would come back with a label or a reset value. Hence the widget's key names its
language (each language has a widget of its own, whose labels never change), the value kept outside
the widget (a code, never a label) is written into the widget's state before it is drawn, and the
widget's ``on_change`` writes the new value back."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st


def keyed(
    draw: Callable[..., Any],
    title: str,
    *options: Any,
    key: str,
    value: Any,
    on_change: Callable[..., None] | None = None,
    args: tuple[Any, ...] = (),
    **kwargs: Any,
) -> Any:
    """Draw ``draw(title, *options, key=key, …)`` showing ``value`` (its state is set to ``value`` first
    when it differs); ``on_change(*args)`` runs when the user changes it. Returns what the widget returns."""
    ss = st.session_state
    if ss.get(key) != value:
        ss[key] = value
    return draw(title, *options, key=key, on_change=on_change, args=args, **kwargs)


XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download_buttons(
    cols: Any,
    what: str,
    name: str,
    make_export: Callable[[], Any],
    key: str,
    lang: str,
    audit_as: str,
    disabled: bool = False,
) -> None:
    """CSV and XLSX buttons of an export (``exports.downloads``) for an account that may download records;
    the file is made when clicked (the time in its header is the click's), and goes into the audit trail."""
    from accounts import may
    from exports import downloads as dl
    from webapp.session import audited, current_account

    if not may(current_account(), "download_records"):
        return
    a, b = cols
    a.download_button(
        f"{what} CSV",
        audited(lambda: dl.to_csv(make_export()), audit_as, f"{name}.csv"),
        file_name=f"{name}.csv",
        mime="text/csv",
        on_click="ignore",
        key=f"{key}_csv_{lang}",
        icon=":material/download:",
    )
    b.download_button(
        f"{what} XLSX",
        audited(lambda: dl.to_xlsx(make_export()), audit_as, f"{name}.xlsx"),
        file_name=f"{name}.xlsx",
        mime=XLSX_MIME,
        on_click="ignore",
        key=f"{key}_xlsx_{lang}",
        icon=":material/download:",
        disabled=disabled,
    )


def column_formats(columns: Any) -> dict[str, Any]:
    """The grid's formats of a download's columns (``exports.downloads.Column``: dates, times, amounts)."""
    config: dict[str, Any] = {}
    for c in columns:
        if c.kind == "date":
            config[c.key] = st.column_config.DateColumn(format="YYYY-MM-DD")
        elif c.kind == "datetime":
            config[c.key] = st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm")
        elif c.kind == "float":
            config[c.key] = st.column_config.NumberColumn(format="%.2f")
    return config
