"""The presentation mode (会议演示) through AppTest: every slide of the pack renders, in order, with the
brief's own headline sentence; Back and Next stop at the ends."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import DEMO_TODAY, PAGES, ROOT
from streamlit.testing.v1 import AppTest

from analytics.brief import build_brief
from domain.periods import Period
from reports import brief_en, brief_zh
from reports.pack import SLIDE_KEYS
from store import Store
from store.queries import StoreData

PAGE = next(p for p in PAGES if p.key == "present")


def run(lang: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=180)
    at.query_params["lang"] = lang
    at.query_params["region"] = "430000"
    at.run()
    at.switch_page(PAGE.path).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def button(at: AppTest, key: str):
    return next(b for b in at.button if b.key == key)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_slide_renders_in_order(app_env: Path, lang: str) -> None:
    at = run(lang)
    brief = build_brief(StoreData(Store(app_env)), Period.year_to_date(DEMO_TODAY), "430000", today=DEMO_TODAY)
    words = brief_zh if lang == "zh" else brief_en
    assert [t.value for t in at.title] == [PAGE.title(lang)]
    assert button(at, "present_prev").disabled
    seen = []
    for i in range(len(SLIDE_KEYS)):
        if i:
            button(at, "present_next").click().run()
            assert not at.exception, [e.message for e in at.exception]
        seen.append(at.session_state["present_slide"])
        body = "\n".join(m.value for m in at.markdown)
        if i == 0:
            assert ("湖南省安全生产形势" if lang == "zh" else "Production safety in Hunan") in body
        else:
            assert len(at.header) == 1
        if SLIDE_KEYS[i] == "headline":
            assert words.headline(brief) in body  # the briefing's sentence, the brief's numbers
        if SLIDE_KEYS[i] in ("trend", "industries", "regions"):
            assert at.get("plotly_chart"), SLIDE_KEYS[i]
        if SLIDE_KEYS[i] == "regions":
            assert at.get("image"), "the four-colour map"
    assert seen == list(range(len(SLIDE_KEYS)))
    assert button(at, "present_next").disabled
    button(at, "present_prev").click().run()
    assert at.session_state["present_slide"] == len(SLIDE_KEYS) - 2
