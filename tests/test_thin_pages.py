"""Thin pages (issue 15, point 2): no page reads the store itself (the reads are webapp.state's cached
accessors over answers/ and store/), every file of views/ is short, and the pages' widgets are drawn
with the sidebar's helper (widgets.keyed)."""

from __future__ import annotations

import pytest
from conftest import ROOT

VIEWS = sorted((ROOT / "views").glob("*.py"))
STORE_CALLS = ("Store(", "Store.of(", "open_store", ".query(")


def test_there_are_pages() -> None:
    assert {p.name for p in VIEWS} >= {"explorer.py", "data_status.py", "hazards.py", "accounts.py"}


@pytest.mark.parametrize("path", VIEWS, ids=[p.name for p in VIEWS])
def test_a_page_does_not_call_the_store(path) -> None:
    text = path.read_text(encoding="utf-8")
    assert [c for c in STORE_CALLS if c in text] == []


@pytest.mark.parametrize("path", VIEWS, ids=[p.name for p in VIEWS])
def test_a_page_is_short(path) -> None:
    """A page makes at most 170 statements (the Explorer, the largest, 160). Counted in statements, not lines:
    ruff format wraps a call of CJK labels over several lines (each CJK character counts two columns), so the
    same page is 231 lines unformatted and 356 formatted."""
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    assert sum(isinstance(node, ast.stmt) for node in ast.walk(tree)) <= 170


def test_one_widget_helper_for_the_sidebar_and_the_pages() -> None:
    """The sidebar and the Explorer draw their widgets through widgets.keyed; neither seeds its own."""
    for name in ("webapp/sidebar.py", "webapp/explorer_state.py"):
        assert "from webapp.widgets import keyed" in (ROOT / name).read_text(encoding="utf-8"), name
    assert "keyed(" not in (ROOT / "views" / "explorer.py").read_text(encoding="utf-8")  # through explorer_state
    assert "cache_data" not in (ROOT / "views" / "explorer.py").read_text(encoding="utf-8")
    assert "cache_data" not in (ROOT / "views" / "data_status.py").read_text(encoding="utf-8")


def test_keyed_seeds_the_widget_with_the_value_and_reports_a_change() -> None:
    """widgets.keyed writes the value into the widget's state before drawing it (only when it differs) and
    passes on_change and its arguments through."""
    import streamlit as st

    from webapp import widgets

    calls = []

    def draw(title, *options, **kwargs):
        calls.append((title, options, kwargs))
        return st.session_state[kwargs["key"]]

    def changed(*a):
        return None

    st.session_state.clear()
    assert widgets.keyed(draw, "Rows", ["a", "b"], key="w_rows_en", value="b", on_change=changed, args=("rows",)) == "b"
    assert calls == [("Rows", (["a", "b"],), {"key": "w_rows_en", "on_change": changed, "args": ("rows",)})]
    st.session_state["w_rows_en"] = "a"
    assert widgets.keyed(draw, "Rows", ["a", "b"], key="w_rows_en", value="b") == "b"
    st.session_state.clear()
