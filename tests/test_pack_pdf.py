"""The meeting pack as a PDF, rendered by LibreOffice headless from the PPTX: one page per slide, the
headline sentence readable as text (Chinese included, so the glyphs are real, not boxes), the CJK
font embedded. Skipped only where LibreOffice (``soffice``) is not installed; ``scripts/test.sh``
installs it (and poppler-utils, for pdftotext), so CI runs these."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import DEMO_TODAY, built_once

from analytics.brief import build_brief
from answers.brief_data import StoreData
from reports.pack import build_pack
from reports.pack_gather import gather
from reports.pdf_pack import pdf_bytes, pdf_font
from store import Store

pytestmark = pytest.mark.skipif(
    shutil.which("soffice") is None and shutil.which("libreoffice") is None,
    reason="LibreOffice is not installed (apt-get install libreoffice-impress-nogui; scripts/test.sh installs it)",
)


class _Packs(dict):
    """lang → (pack, path of its PDF), each made when first asked for: the PDF converted once per run
    (LibreOffice, a few seconds each) and shared by the xdist workers, the pack built again (cheap)."""

    def __init__(self, demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
        super().__init__()
        self._db, self._factory, self._inputs = demo_db, tmp_path_factory, None

    def __missing__(self, lang: str):
        if self._inputs is None:
            store = Store(self._db)
            brief = build_brief(StoreData(store), "2025-01..2025-05", "430000", today=DEMO_TODAY)
            self._inputs = gather(store, brief, DEMO_TODAY)
        pack = build_pack(self._inputs, lang, DEMO_TODAY)
        path = built_once(self._factory, f"pack-{lang}.pdf", lambda p: p.write_bytes(pdf_bytes(pack)))
        self[lang] = (pack, path)
        return self[lang]


@pytest.fixture(scope="module")
def packs(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """lang → (pack, path of its PDF)."""
    return _Packs(demo_db, tmp_path_factory)


def poppler(tool: str, *args: str) -> str:
    assert shutil.which(tool), f"{tool} is missing: apt-get install poppler-utils (scripts/test.sh installs it)"
    return subprocess.run([tool, *args], capture_output=True, text=True, check=True, timeout=60).stdout


def squeeze(text: str) -> str:
    """Without white space: a line break, or the space a renderer sets between Chinese and digits, is
    not a difference."""
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_one_page_per_slide(packs: dict, lang: str) -> None:
    pack, path = packs[lang]
    info = poppler("pdfinfo", str(path))
    assert re.search(rf"^Pages:\s+{len(pack.slides)}$", info, re.M), info
    assert re.search(r"^Page size:\s+959\.9\d* x 540 pts", info, re.M), info  # 13.333 × 7.5 in, 16:9


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_text_holds_the_headline_sentence(packs: dict, lang: str) -> None:
    pack, path = packs[lang]
    text = poppler("pdftotext", "-enc", "UTF-8", str(path), "-")
    pages = text.split("\f")
    assert squeeze(pack.headline) in squeeze(pages[1])
    for page, slide in zip(pages, pack.slides, strict=False):
        assert squeeze(slide.title) in squeeze(page)
    if lang == "zh":
        assert "全省共发生生产安全事故" in squeeze(text) and "三个继续下降" in text
        assert "\ufffd" not in text  # no character without a glyph


def test_cjk_font_is_embedded(packs: dict) -> None:
    _pack, path = packs["zh"]
    fonts = poppler("pdffonts", str(path)).splitlines()[2:]
    assert fonts, "no fonts in the PDF"
    cjk = [f for f in fonts if re.search(r"CJK|YaHei|SourceHan|WenQuanYi", f, re.I)]
    assert cjk, fonts
    assert all(" yes " in f for f in fonts), fonts  # every font embedded (emb = yes)
    assert pdf_font() in ("Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei")
