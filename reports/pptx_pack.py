"""The meeting pack as a PowerPoint file (python-pptx): 16:9 slides drawn from ``reports.pack``.

- Charts are **native PowerPoint charts** (chart objects with their data in an embedded workbook), so
  staff can restyle them or correct a number; the four-colour map is a picture
  (``charts.static_map``, rendered without a browser).
- **Chinese fonts:** every text run, every chart text and the theme name the East Asian typeface
  (``a:ea``) as well as the Latin one (``a:latin``; python-pptx's ``font.name`` sets only that):
  微软雅黑 (Microsoft YaHei) by default, on every Chinese Office install. The PDF is made from a copy
  that names a font the converting machine has (``reports.pdf_pack``).
- Text is sized to its box (an estimate of the lines it takes, shrinking to a floor), tables are cut
  to rows that fit (the slide says how many are shown), so nothing spills over the slide.
"""

from __future__ import annotations

import io
import math
import unicodedata
from pathlib import Path

from lxml import etree
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from i18n import t
from reports.pack_model import Chart, Figure, Pack, Slide, Table

FONT = "Microsoft YaHei"  # 微软雅黑: the East Asian (and Latin) typeface named on every run
WIDTH, HEIGHT = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.5)
CONTENT_W = WIDTH - 2 * MARGIN
TOP = Inches(1.3)  # below the title and its rule
BOTTOM = Inches(6.85)  # above the footer
NAVY, INK, GREY, LIGHT, RULE = "1f3a5f", "1f2933", "6b7280", "f3f5f8", "c62828"
LINE = 1.3  # line height as a multiple of the font size (an estimate, with room to spare)


# ---------------------------------------------------------------------------------------------- fonts


def set_font(font, face: str, size: float | None = None, bold: bool | None = None, colour: str | None = None) -> None:
    """Size, weight, colour and the typeface — Latin *and* East Asian (``a:ea``) and complex script."""
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    if colour is not None:
        font.color.rgb = RGBColor.from_string(colour)
    font.name = face  # a:latin
    rpr = font._rPr
    latin = rpr.find(qn("a:latin"))
    anchor = latin
    for tag in ("a:ea", "a:cs"):
        el = rpr.find(qn(tag))
        if el is None:
            el = etree.SubElement(rpr, qn(tag))
            anchor.addnext(el)
        el.set("typeface", face)
        anchor = el


def _theme_fonts(prs, face: str) -> None:
    """The theme's major and minor fonts (what text without its own font falls back on) name ``face``
    for Latin, East Asian and Simplified Chinese text."""
    part = prs.slide_master.part.part_related_by(RT.THEME)
    root = etree.fromstring(part.blob)
    ns = {"a": "http://schemas.openxmlformats.org/drawingml/2006/main"}
    for scheme in root.iterfind(".//a:fontScheme/*", ns):
        for tag in ("latin", "ea"):
            el = scheme.find(f"a:{tag}", ns)
            if el is not None:
                el.set("typeface", face)
        for el in scheme.iterfind("a:font[@script='Hans']", ns):
            el.set("typeface", face)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# ---------------------------------------------------------------------------------------------- text


def _units(text: str) -> float:
    """The width of ``text`` in ems: a Chinese character is one, Latin letters about half."""
    return sum(1.0 if unicodedata.east_asian_width(c) in ("W", "F") else 0.56 for c in text)


def fit_size(
    paragraphs: list[list[tuple[str, float]]],
    width_emu: int,
    height_emu: int,
    size: float,
    floor: float = 10,
    spacing: float = 0.5,
) -> float:
    """The largest font size up to ``size`` at which ``paragraphs`` — each a list of (text, scale of the
    size) — fit the box, by an estimate of the lines they wrap to. Never below ``floor``."""
    inner_w, inner_h = Emu(width_emu - Inches(0.2)).pt, Emu(height_emu - Inches(0.1)).pt

    def height(sz: float) -> float:
        total = 0.0
        for i, parts in enumerate(paragraphs):
            big = max((sc for _t, sc in parts), default=1.0)
            width = sum(_units(t) * sz * sc for t, sc in parts)
            lines = max(1, math.ceil(width / inner_w)) + sum(t.count("\n") for t, _sc in parts)
            total += lines * sz * big * LINE + (spacing * sz if i else 0)
        return total

    while size > floor and height(size) > inner_h:
        size -= 0.5
    return max(size, floor)


def _box(slide, x, y, w, h, anchor=MSO_ANCHOR.TOP):
    tb = slide.shapes.add_textbox(x, y, w, h)
    tf = tb.text_frame
    tf.word_wrap = True
    tf.auto_size = MSO_AUTO_SIZE.NONE
    tf.vertical_anchor = anchor
    for side in ("margin_left", "margin_right"):
        setattr(tf, side, Inches(0.08))
    tf.margin_top = tf.margin_bottom = Inches(0.04)
    return tf


def _runs(paragraph, parts: list[tuple[str, dict]], face: str) -> None:
    for text, style in parts:
        run = paragraph.add_run()
        run.text = text
        set_font(run.font, face, **style)


def text_box(
    slide,
    x,
    y,
    w,
    h,
    paragraphs: list[list[tuple[str, dict]]],
    face: str,
    size: float,
    align=PP_ALIGN.LEFT,
    anchor=MSO_ANCHOR.TOP,
    floor: float = 10,
    space: float = 0.5,
):
    """Paragraphs of styled runs ([(text, {bold, colour, size_scale})]) in a box, shrunk to fit."""
    size = fit_size([[(t, st.get("scale", 1.0)) for t, st in p] for p in paragraphs], w, h, size, floor, space)
    tf = _box(slide, x, y, w, h, anchor)
    for i, parts in enumerate(paragraphs):
        p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        p.alignment = align
        p.line_spacing = 1.1
        if i:
            p.space_before = Pt(size * space)
        _runs(
            p,
            [(t, {**{k: v for k, v in s.items() if k != "scale"}, "size": size * s.get("scale", 1)}) for t, s in parts],
            face,
        )
    return tf


# ---------------------------------------------------------------------------------------------- pieces


def _plain_shape(slide, kind, x, y, w, h, fill: str):
    """A filled shape without outline, shadow or theme style (a theme's effects differ between Office
    and LibreOffice)."""
    shape = slide.shapes.add_shape(kind, x, y, w, h)
    style = shape._element.find(qn("p:style"))
    if style is not None:
        shape._element.remove(style)
    shape.fill.solid()
    shape.fill.fore_color.rgb = RGBColor.from_string(fill)
    shape.line.fill.background()
    return shape


def _title(slide, s: Slide, face: str) -> None:
    text_box(
        slide,
        MARGIN,
        Inches(0.32),
        CONTENT_W,
        Inches(0.78),
        [[(s.title, {"bold": True, "colour": NAVY})]],
        face,
        28,
        anchor=MSO_ANCHOR.BOTTOM,
        floor=20,
    )
    _plain_shape(slide, MSO_SHAPE.RECTANGLE, MARGIN, Inches(1.12), CONTENT_W, Inches(0.04), RULE)


def _footer(slide, pack: Pack, number: int, face: str) -> None:
    grey = {"colour": GREY}
    text_box(slide, MARGIN, Inches(6.98), Inches(9), Inches(0.34), [[(pack.footer, grey)]], face, 10, floor=8)
    text_box(
        slide,
        WIDTH - MARGIN - Inches(2),
        Inches(6.98),
        Inches(2),
        Inches(0.34),
        [[(f"{number} / {len(pack.slides)}", grey)]],
        face,
        10,
        align=PP_ALIGN.RIGHT,
        floor=8,
    )


def _note(slide, s: Slide, face: str) -> None:
    if s.note:
        text_box(
            slide, MARGIN, Inches(6.5), CONTENT_W, Inches(0.42), [[(s.note, {"colour": GREY})]], face, 10.5, floor=8
        )


def _figures(slide, figures: tuple[Figure, ...], y, h, face: str) -> None:
    gap = Inches(0.25)
    w = int((CONTENT_W - gap * (len(figures) - 1)) / len(figures))
    for i, f in enumerate(figures):
        x = MARGIN + i * (w + gap)
        tile = _plain_shape(slide, MSO_SHAPE.ROUNDED_RECTANGLE, x, y, w, h, LIGHT)
        tile.adjustments[0] = 0.08
        text_box(
            slide,
            x + Inches(0.1),
            y + Inches(0.06),
            w - Inches(0.2),
            h - Inches(0.12),
            [
                [(f.label, {"colour": GREY})],
                [
                    (f.value, {"bold": True, "colour": NAVY, "scale": 2.4}),
                    (f" {f.unit}" if f.unit else "", {"colour": GREY}),
                ],
                [(f.note, {"colour": f.tone.lstrip("#"), "scale": 0.9})],
            ],
            face,
            14,
            floor=9,
            space=0.15,
        )


def _chart(slide, c: Chart, x, y, w, h, face: str) -> None:
    data = CategoryChartData(number_format=c.number_format)
    data.categories = list(c.categories)
    for s in c.series:
        data.add_series(s.name, list(s.values))
    kind = {
        "column": XL_CHART_TYPE.COLUMN_CLUSTERED,
        "bar": XL_CHART_TYPE.BAR_CLUSTERED,
        "line": XL_CHART_TYPE.LINE_MARKERS,
    }[c.kind]
    # The title is a text box above the chart, not the chart's own: a chart title takes height from
    # the plot area, and with many categories an application then hides every other name.
    title_h = Inches(0.4)
    text_box(
        slide, x, y, w, title_h, [[(c.title, {"bold": True, "colour": INK})]], face, 14, align=PP_ALIGN.CENTER, floor=10
    )
    y, h = y + title_h, h - title_h
    chart = slide.shapes.add_chart(kind, x, y, w, h, data).chart
    set_font(chart.font, face, 11, colour=INK)
    chart.has_title = False
    chart.has_legend = len(c.series) > 1
    if chart.has_legend:
        chart.legend.position = XL_LEGEND_POSITION.TOP
        chart.legend.include_in_layout = False
        set_font(chart.legend.font, face, 11, colour=INK)
    plot = chart.plots[0]
    for series, spec in zip(plot.series, c.series, strict=True):
        if c.kind == "line":
            series.format.line.color.rgb = RGBColor.from_string(spec.colour.lstrip("#"))
            series.format.line.width = Pt(2.25)
            series.smooth = False
        else:
            series.format.fill.solid()
            series.format.fill.fore_color.rgb = RGBColor.from_string(spec.colour.lstrip("#"))
    if c.kind != "line":
        plot.gap_width = 60
        plot.overlap = -10
    many = len(c.categories) * len(c.series) > 40
    if not many:
        plot.has_data_labels = True
        labels = plot.data_labels
        labels.number_format = c.number_format
        labels.number_format_is_linked = False
        labels.position = XL_LABEL_POSITION.OUTSIDE_END if c.kind != "line" else XL_LABEL_POSITION.ABOVE
        set_font(labels.font, face, 9, colour=INK)
    cat, val = chart.category_axis, chart.value_axis
    # Category names small enough that none overlaps (an application hides overlapping ones).
    per = (Emu(h).pt - 50) / max(len(c.categories), 1)  # the plot's height per category, less the legend and axis
    set_font(cat.tick_labels.font, face, min(11.0, max(7.0, per * 0.5)) if c.kind == "bar" else 11, colour=INK)
    cat.format.line.color.rgb = RGBColor.from_string("d0d7de")
    cat.has_major_gridlines = False
    set_font(val.tick_labels.font, face, 10, colour=GREY)
    val.has_major_gridlines = True
    val.major_gridlines.format.line.color.rgb = RGBColor.from_string("e5e7eb")
    val.format.line.fill.background()
    val.minimum_scale = 0
    if c.unit == "%":
        val.maximum_scale = 100
    if c.kind == "bar":
        # The first category (the largest rise, the largest count) on top, the value axis below.
        cat.reverse_order = True
        # The value axis crosses at the last (bottom) category (python-pptx's setter leaves autoZero).
        val._element.find(qn("c:crosses")).set("val", "max")
    # Every category named (an application may otherwise skip every other one to save room).
    skip = etree.SubElement(cat._element, qn("c:tickLblSkip"))
    skip.set("val", "1")
    _reorder_axis(cat._element)


# CT_CatAx's children in schema order (an element out of order makes Office call the file damaged).
_CAT_AX_ORDER = (
    "axId",
    "scaling",
    "delete",
    "axPos",
    "majorGridlines",
    "minorGridlines",
    "title",
    "numFmt",
    "majorTickMark",
    "minorTickMark",
    "tickLblPos",
    "spPr",
    "txPr",
    "crossAx",
    "crosses",
    "crossesAt",
    "auto",
    "lblAlgn",
    "lblOffset",
    "tickLblSkip",
    "tickMarkSkip",
    "noMultiLvlLbl",
    "extLst",
)


def _reorder_axis(ax) -> None:
    rank = {
        f"{{{ax.nsmap.get('c', 'http://schemas.openxmlformats.org/drawingml/2006/chart')}}}{n}": i
        for i, n in enumerate(_CAT_AX_ORDER)
    }
    kids = sorted(ax, key=lambda el: rank.get(el.tag, len(rank)))
    for el in kids:
        ax.append(el)


def column_widths(t: Table, width_emu: int, size: float, floor: float = 9) -> tuple[list[int], float]:
    """Column widths (EMU) that hold each column's longest cell on one line, and the font size at which
    they fit ``width_emu`` (down to ``floor``); room to spare goes to the columns by ``t.widths``. At the
    floor the widest column gives way (its cells then wrap)."""
    pad = Inches(0.16)

    def need(sz: float) -> list[float]:
        return [
            max(_units(str(v)) for v in (t.columns[i], *(r[i] for r in t.rows))) * Pt(sz) + pad
            for i in range(len(t.columns))
        ]

    while size > floor and sum(need(size)) > width_emu:
        size -= 0.5
    widths = need(size)
    spare = width_emu - sum(widths)
    if spare >= 0:
        total = sum(t.widths)
        widths = [w + spare * share / total for w, share in zip(widths, t.widths, strict=True)]
    else:
        widest = widths.index(max(widths))
        widths[widest] += spare
    out = [int(w) for w in widths]
    out[-1] += width_emu - sum(out)
    return out, size


def _table(slide, t: Table, x, y, w, row_h, face: str, size: float = 12) -> None:
    rows, cols = len(t.rows) + 1, len(t.columns)
    widths, size = column_widths(t, w, size)
    shape = slide.shapes.add_table(rows, cols, x, y, w, row_h * rows)
    table = shape.table
    for i, wd in enumerate(widths):
        table.columns[i].width = wd
    for r in range(rows):
        table.rows[r].height = row_h
        values = t.columns if r == 0 else t.rows[r - 1]
        for ci, value in enumerate(values):
            cell = table.cell(r, ci)
            cell.margin_left = cell.margin_right = Inches(0.06)
            cell.margin_top = cell.margin_bottom = Inches(0.03)
            cell.vertical_anchor = MSO_ANCHOR.MIDDLE
            cell.fill.solid()
            cell.fill.fore_color.rgb = RGBColor.from_string(NAVY if r == 0 else ("ffffff" if r % 2 else LIGHT))
            tf = cell.text_frame
            tf.word_wrap = True
            p = tf.paragraphs[0]
            p.alignment = PP_ALIGN.RIGHT if (r and t.numeric[ci]) else (PP_ALIGN.CENTER if r == 0 else PP_ALIGN.LEFT)
            _runs(p, [(str(value), {"size": size, "bold": r == 0, "colour": "ffffff" if r == 0 else INK})], face)


def _picture(slide, png: bytes, x, y, w, h) -> None:
    """The picture as large as fits the box, centred in it."""
    from PIL import Image

    with Image.open(io.BytesIO(png)) as im:
        pw, ph = im.size
    scale = min(w / pw, h / ph)
    cw, ch = int(pw * scale), int(ph * scale)
    slide.shapes.add_picture(io.BytesIO(png), x + (w - cw) // 2, y + (h - ch) // 2, cw, ch)


def _bullets(b: tuple[tuple[str, str], ...]) -> list[list[tuple[str, dict]]]:
    return [
        [
            (
                f"{head}：" if head and not head.isascii() else (f"{head}: " if head else ""),
                {"bold": True, "colour": NAVY},
            ),
            (text, {"colour": INK}),
        ]
        for head, text in b
    ]


# ---------------------------------------------------------------------------------------------- slides


def _title_slide(slide, pack: Pack, s: Slide, face: str) -> None:
    _plain_shape(slide, MSO_SHAPE.RECTANGLE, 0, Inches(2.0), WIDTH, Inches(2.6), NAVY)
    text_box(
        slide,
        MARGIN,
        Inches(2.2),
        CONTENT_W,
        Inches(1.3),
        [[(s.title, {"bold": True, "colour": "ffffff"})]],
        face,
        40,
        align=PP_ALIGN.CENTER,
        anchor=MSO_ANCHOR.MIDDLE,
        floor=24,
    )
    text_box(
        slide,
        MARGIN,
        Inches(3.5),
        CONTENT_W,
        Inches(0.9),
        [[(s.subtitle, {"colour": "ffffff"})]],
        face,
        24,
        align=PP_ALIGN.CENTER,
        anchor=MSO_ANCHOR.MIDDLE,
        floor=16,
    )
    text_box(
        slide,
        MARGIN,
        Inches(4.9),
        CONTENT_W,
        Inches(1.8),
        [[(line, {"colour": INK})] for line in s.text],
        face,
        18,
        align=PP_ALIGN.CENTER,
        floor=12,
        space=0.3,
    )


def _headline_slide(slide, s: Slide, face: str, lang: str) -> None:
    _figures(slide, s.figures, TOP, Inches(1.45), face)
    head, three = s.text
    paras = [[(head, {"colour": INK})], [(three, {"bold": True, "colour": NAVY})], *_bullets(s.bullets)]
    text_box(slide, MARGIN, Inches(2.95), CONTENT_W, Inches(3.5), paras, face, 17, floor=11)


def _trend_slide(slide, s: Slide, face: str, lang: str) -> None:
    half = int((CONTENT_W - Inches(0.3)) / 2)
    for i, c in enumerate(s.charts):
        _chart(slide, c, MARGIN + i * (half + Inches(0.3)), TOP, half, Inches(4.5), face)
    paras = [[(t, {"colour": INK})] for t in s.text] + _bullets(s.bullets)
    if paras:
        y = Inches(5.9) if s.charts else TOP
        text_box(slide, MARGIN, y, CONTENT_W, Inches(0.6) if s.charts else Inches(2), paras, face, 16, floor=10)


def _industries_slide(slide, s: Slide, face: str, lang: str) -> None:
    chart_w = Inches(7.4)
    if s.charts:
        _chart(slide, s.charts[0], MARGIN, TOP, chart_w, Inches(5.15), face)
    paras = [[(t, {"colour": INK})] for t in s.text] + _bullets(s.bullets)
    x = MARGIN + (chart_w + Inches(0.3) if s.charts else 0)
    text_box(slide, x, TOP + Inches(0.2), WIDTH - MARGIN - x, Inches(4.9), paras, face, 15, floor=10, space=0.8)


def _regions_slide(slide, s: Slide, face: str, lang: str) -> None:
    from charts.static_map import risk_map_png

    left_w = Inches(6.3)
    x = MARGIN + left_w + Inches(0.3)
    right_w = WIDTH - MARGIN - x
    paras = [[(t, {"colour": INK})] for t in s.text] + _bullets(s.bullets)
    if s.charts:
        _chart(slide, s.charts[0], MARGIN, TOP, left_w, Inches(5.2), face)
    else:
        text_box(slide, MARGIN, TOP, left_w, Inches(5.2), paras, face, 16, floor=10, space=0.6)
    m = s.map
    map_h = Inches(3.75) if s.charts else Inches(5.2)
    if m is not None:
        text_box(
            slide,
            x,
            TOP,
            right_w,
            Inches(0.4),
            [[(m.caption, {"bold": True, "colour": INK})]],
            face,
            14,
            floor=10,
            align=PP_ALIGN.CENTER,
        )
        box_h = map_h - Inches(0.45)
        png = risk_map_png(m.parent, dict(m.colours), m.legend, lang, size=(Emu(right_w).inches, Emu(box_h).inches))
        _picture(slide, png, x, TOP + Inches(0.45), right_w, box_h)
    if s.charts:
        text_box(
            slide,
            x,
            TOP + map_h + Inches(0.05),
            right_w,
            Inches(5.2) - map_h - Inches(0.05),
            paras,
            face,
            12,
            floor=8,
            space=0.25,
        )


def _serious_slide(slide, s: Slide, face: str, lang: str) -> None:
    y = TOP
    paras = [[(t, {"colour": INK})] for t in s.text] + _bullets(s.bullets)
    if paras:
        text_box(slide, MARGIN, y, CONTENT_W, Inches(0.62), paras, face, 15, floor=10)
        y += Inches(0.7)
    if s.table is not None:
        row_h = min(Inches(0.42), int((Inches(6.4) - y) / (len(s.table.rows) + 1)))
        _table(slide, s.table, MARGIN, y, CONTENT_W, row_h, face, 12)


def _hazards_slide(slide, s: Slide, face: str, lang: str) -> None:
    _figures(slide, s.figures, TOP, Inches(1.3), face)
    text_box(
        slide,
        MARGIN,
        Inches(2.66),
        CONTENT_W,
        Inches(0.68),
        [[(t, {"colour": INK})] for t in s.text],
        face,
        15,
        floor=10,
        space=0.2,
    )
    # The overdue majors under supervision first; the rate of each child region below them, where
    # there is room for a readable chart (the presentation mode shows both).
    y, bottom = Inches(3.4), Inches(6.45)
    if s.table is not None:
        row_h = min(Inches(0.34), int((bottom - y) / (len(s.table.rows) + 1)))
        _table(slide, s.table, MARGIN, y, CONTENT_W, row_h, face, 12)
        y += row_h * (len(s.table.rows) + 1) + Inches(0.15)
    if s.charts and bottom - y >= Inches(1.8):
        _chart(slide, s.charts[0], MARGIN, y, CONTENT_W, bottom - y, face)


def _attention_slide(slide, s: Slide, face: str, lang: str) -> None:
    sep = t("．", ". ", lang)
    paras = [
        [(f"{i}{sep}", {"bold": True, "colour": RULE}), (text, {"colour": INK})]
        for i, (_h, text) in enumerate(s.bullets, 1)
    ]
    text_box(slide, MARGIN, TOP + Inches(0.15), CONTENT_W, Inches(5.0), paras, face, 20, floor=12, space=0.9)


# ---------------------------------------------------------------------------------------------- the file


def build_presentation(pack: Pack, font: str = FONT):
    """The python-pptx Presentation of ``pack`` (every text naming ``font``)."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = WIDTH, HEIGHT
    _theme_fonts(prs, font)
    prs.core_properties.title = pack.slides[0].title
    prs.core_properties.subject = pack.footer
    prs.core_properties.language = "zh-CN" if pack.lang == "zh" else "en-GB"
    blank = prs.slide_layouts[6]
    for number, s in enumerate(pack.slides, 1):
        slide = prs.slides.add_slide(blank)
        if s.key == "title":
            _title_slide(slide, pack, s, font)
            continue
        _title(slide, s, font)
        {
            "headline": _headline_slide,
            "trend": _trend_slide,
            "industries": _industries_slide,
            "regions": _regions_slide,
            "serious": _serious_slide,
            "hazards": _hazards_slide,
            "attention": _attention_slide,
        }[s.key](slide, s, font, pack.lang)
        _note(slide, s, font)
        _footer(slide, pack, number, font)
    _tag_language(prs, pack.lang)
    return prs


def _tag_language(prs, lang: str) -> None:
    """Mark every run with its language, as PowerPoint does (zh-CN, English the alternative, or the
    other way round): an application picks the Simplified Chinese forms of a CJK font by it."""
    main, alt = ("zh-CN", "en-US") if lang == "zh" else ("en-GB", "zh-CN")
    for slide in prs.slides:
        roots = [slide._element] + [sh.chart._chartSpace for sh in slide.shapes if sh.has_chart]
        for root in roots:
            for tag in ("a:rPr", "a:defRPr", "a:endParaRPr"):
                for el in root.iter(qn(tag)):
                    el.set("lang", main)
                    el.set("altLang", alt)


def pptx_bytes(pack: Pack, font: str = FONT) -> bytes:
    buf = io.BytesIO()
    build_presentation(pack, font).save(buf)
    return buf.getvalue()


def write_pptx(pack: Pack, out: str | Path, font: str = FONT) -> Path:
    out = Path(out)
    out.write_bytes(pptx_bytes(pack, font))
    return out
