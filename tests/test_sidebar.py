"""The sidebar filters through AppTest: they survive language and page switches, never crash on a
period that has not started, and speak both languages."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import ROOT
from streamlit.testing.v1 import AppTest

RUN_TIMEOUT = 120


def _exceptions(at: AppTest) -> str:
    return "\n\n".join(f"{e.message}\n{''.join(e.stack_trace)}" for e in at.exception)


def _ok(at: AppTest) -> AppTest:
    assert not at.exception, _exceptions(at)
    return at


def _open(params: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=RUN_TIMEOUT)
    for k, v in (params or {}).items():
        at.query_params[k] = v
    return _ok(at.run())


def _lang(at: AppTest, lang: str) -> AppTest:
    return _ok(at.radio(key="f_lang").set_value(lang).run())


def _query(at: AppTest) -> dict[str, str]:
    return {k: at.query_params[k] for k in at.query_params}


def _qp(at: AppTest) -> dict[str, str]:
    return {k: (v[-1] if isinstance(v, list) else v) for k, v in _query(at).items()}


def test_link_survives_a_language_round_trip(app_env: Path) -> None:
    """The reviewer's repro: ?period=2025-03&region=430000, English, then 中文."""
    at = _open({"period": "2025-03", "region": "430000"})
    assert _qp(at) == {"period": "2025-03", "region": "430000"}
    _lang(at, "en")
    assert _qp(at) == {"period": "2025-03", "region": "430000", "lang": "en"}
    assert at.caption[0].value.startswith("Hunan")
    _lang(at, "zh")
    assert _qp(at) == {"period": "2025-03", "region": "430000"}
    assert "湖南省" in at.caption[0].value and "2025年3月" in at.caption[0].value


def test_every_filter_survives_language_and_page_switches(app_env: Path) -> None:
    at = _open()
    _ok(at.selectbox(key="f_mode").set_value("quarter").run())
    _ok(at.selectbox(key="f_year").set_value(2024).run())
    _ok(at.selectbox(key="f_quarter").set_value(2).run())
    _ok(at.selectbox(key="f_province").set_value("430000").run())
    _ok(at.selectbox(key="f_city").set_value("430100").run())
    _ok(at.multiselect(key="f_industries").set_value(["coal_mine", "fire"]).run())
    _ok(at.selectbox(key="f_grade").set_value("larger_plus").run())
    expected = {"period": "2024-Q2", "region": "430100", "industry": "coal_mine,fire", "grade": "larger_plus"}
    assert _qp(at) == expected
    caption_zh = at.caption[0].value
    assert caption_zh.startswith("湖南省长沙市") and "2024年第二季度" in caption_zh

    _lang(at, "en")
    assert _qp(at) == {**expected, "lang": "en"}
    assert "Changsha" in at.caption[0].value
    # the English widgets show the same values
    assert at.selectbox(key="f_mode_en").value == "quarter"
    assert at.selectbox(key="f_quarter_en").value == 2
    assert at.selectbox(key="f_city_en").value == "430100"
    assert at.multiselect(key="f_industries_en").value == ["coal_mine", "fire"]

    _lang(at, "zh")
    assert _qp(at) == expected
    assert at.caption[0].value == caption_zh

    _ok(at.switch_page("views/trends.py").run())
    assert _qp(at) == expected
    assert at.caption[0].value.startswith("湖南省长沙市") and "2024年第二季度" in at.caption[0].value
    _lang(at, "en")
    assert _qp(at) == {**expected, "lang": "en"}
    _ok(at.switch_page("views/briefing.py").run())
    assert _qp(at) == {**expected, "lang": "en"}
    assert [t.value for t in at.title] == ["Briefing"]


def test_a_change_made_in_english_is_kept_in_chinese(app_env: Path) -> None:
    at = _open({"lang": "en"})
    _ok(at.selectbox(key="f_mode_en").set_value("month").run())
    _ok(at.selectbox(key="f_month_en").set_value("2024-11").run())
    _ok(at.selectbox(key="f_province_en").set_value("440000").run())
    _lang(at, "zh")
    assert _qp(at) == {"period": "2024-11", "region": "440000"}
    assert at.selectbox(key="f_month").value == "2024-11"
    assert at.selectbox(key="f_province").value == "440000"


def test_request_region_is_applied_in_either_language(app_env: Path) -> None:
    at = _open({"lang": "en"})
    at.session_state["pending_region"] = "430100"
    _ok(at.run())
    assert _qp(at)["region"] == "430100"
    assert at.selectbox(key="f_city_en").value == "430100"
    _lang(at, "zh")
    assert _qp(at)["region"] == "430100"
    assert at.selectbox(key="f_city").value == "430100"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_multiselect_placeholder_is_translated(app_env: Path, lang: str) -> None:
    at = _open({"lang": lang})
    key = "f_industries" if lang == "zh" else "f_industries_en"
    placeholder = at.multiselect(key=key).placeholder
    assert placeholder == ("全部行业" if lang == "zh" else "All industries")


def test_only_started_quarters_are_offered(app_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAFETY_TODAY", "2026-02-10")
    at = _open()
    _ok(at.selectbox(key="f_mode").set_value("quarter").run())
    assert at.selectbox(key="f_year").value == 2026
    assert at.selectbox(key="f_quarter").options == ["第一季度"]
    _ok(at.selectbox(key="f_year").set_value(2025).run())
    assert len(at.selectbox(key="f_quarter").options) == 4
    _ok(at.selectbox(key="f_quarter").set_value(4).run())
    _ok(at.selectbox(key="f_year").set_value(2026).run())  # Q4 2026 has not started: clamped to Q1
    assert _qp(at)["period"] == "2026-Q1"


def test_a_period_that_has_not_started_falls_back_with_a_notice(
    app_env: Path, lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reviewer's repro (today 2026-02-10, Quarter → Q3), with every quarter offered as before
    the fix: the page falls back to this year to date and says why, never a traceback."""
    from webapp import sidebar

    monkeypatch.setenv("SAFETY_TODAY", "2026-02-10")
    monkeypatch.setattr(sidebar, "_quarters", lambda year, today: [1, 2, 3, 4])
    at = _open({"lang": lang})
    suffix = "" if lang == "zh" else "_en"
    _ok(at.selectbox(key=f"f_mode{suffix}").set_value("quarter").run())
    _ok(at.selectbox(key=f"f_quarter{suffix}").set_value(3).run())
    assert "period" not in _qp(at)
    assert at.selectbox(key=f"f_mode{suffix}").value == "ytd"
    warnings = [w.value for w in at.warning]
    expected = "统计期间“2026-Q3”尚未开始" if lang == "zh" else "has not started yet"
    assert any(expected in w for w in warnings), warnings
    assert [x.value for x in at.title] == ["领导驾驶舱" if lang == "zh" else "Briefing"]


def _run_sending(at: AppTest, wire: dict[str, str]) -> AppTest:
    """Rerun as a browser would after a widget's labels changed under it: the widgets keyed in
    ``wire`` send that label string (the one the browser still holds), not one of their options."""
    states = at._tree.get_widget_states()
    ids = {w.key: w.id for w in at.selectbox if w.key in wire}
    assert set(ids) == set(wire), ids
    for ws in states.widgets:
        for key, widget_id in ids.items():
            if ws.id == widget_id:
                ws.string_value = wire[key]
    return _ok(at._run(widget_state=states))


@pytest.mark.parametrize(
    "wire",
    [
        {"f_province": "Hunan Province"},  # English labels left in the browser after 中文 was clicked
        {"f_province": "湖南省", "f_grade": "全部等级", "f_mode": "Month"},
    ],
)
def test_a_stale_label_from_the_browser_never_becomes_a_filter(app_env: Path, wire: dict[str, str]) -> None:
    at = _open({"period": "2025-03", "region": "430000"})
    _run_sending(at, wire)
    assert _qp(at) == {"period": "2025-03", "region": "430000"}
    assert "湖南省" in at.caption[0].value and "2025年3月" in at.caption[0].value


@pytest.mark.parametrize(
    ("period", "zh", "en"),
    [
        ("2010", "早于可选范围", "before the years offered"),
        ("2030", "尚未开始", "has not started yet"),
    ],
)
def test_out_of_range_link_years_are_rejected_with_a_notice(app_env: Path, lang: str, period, zh, en) -> None:
    at = _open({"period": period, "lang": lang})
    assert "period" not in _qp(at)
    warnings = [w.value for w in at.warning]
    assert any((zh if lang == "zh" else en) in w for w in warnings), warnings


def test_today_is_the_demo_day(app_env: Path) -> None:
    import settings

    assert settings.today() == dt.date(2025, 6, 15)
