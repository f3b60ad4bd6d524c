"""The presentation mode (会议演示) through AppTest: every slide of the pack renders, in order, with the
brief's own headline sentence; Back and Next stop at the ends."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import DEMO_TODAY, PAGES, ROOT
from streamlit.testing.v1 import AppTest

from analytics.brief import build_brief
from answers.brief_data import StoreData
from domain.periods import Period
from reports import brief_en, brief_zh
from reports.pack import SLIDE_KEYS, build_pack
from reports.pack_gather import gather
from store import Store

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
    pack = build_pack(gather(Store(app_env), brief, DEMO_TODAY), lang, DEMO_TODAY)
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
        # every chart of the slide, once (and nothing else drawn as a chart)
        assert len(at.get("plotly_chart")) == len(pack.slides[i].charts), SLIDE_KEYS[i]
        if SLIDE_KEYS[i] == "regions":
            assert at.get("image"), "the four-colour map"
    assert seen == list(range(len(SLIDE_KEYS)))
    assert button(at, "present_next").disabled
    button(at, "present_prev").click().run()
    assert at.session_state["present_slide"] == len(SLIDE_KEYS) - 2


def test_briefing_offers_the_pack_for_download(app_env: Path) -> None:
    """The Briefing page's download buttons; the PPTX they hand over is the view's pack."""
    import io

    from pptx import Presentation

    from links.filters import Filters
    from reports.pdf_pack import pdf_available
    from webapp.pack import pptx_file
    from webapp.state import View

    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=180)
    at.query_params["region"] = "430000"
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    labels = [d.proto.label for d in at.get("download_button")]
    assert "下载 PPTX（可编辑图表）" in labels
    assert ("下载 PDF" in labels) == pdf_available()
    f = Filters("ytd", region="430000")
    data = pptx_file(str(app_env), View(f, f.period(DEMO_TODAY), DEMO_TODAY))()
    prs = Presentation(io.BytesIO(data))
    brief = build_brief(StoreData(Store(app_env)), Period.year_to_date(DEMO_TODAY), "430000", today=DEMO_TODAY)
    slide_two = "\n".join(s.text_frame.text for s in prs.slides[1].shapes if s.has_text_frame)
    assert brief_zh.headline(brief) in slide_two
