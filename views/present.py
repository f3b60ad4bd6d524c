"""Presentation mode (会议演示): the meeting pack's slides (reports.pack, the same as the PPTX and the
PDF), one at a time, full screen, for the sidebar's period, region and industries. ← and → (the
buttons' keyboard shortcuts) step through them; F11 makes the browser itself full screen."""

from __future__ import annotations

from html import escape

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from charts.theme import style
from i18n import md_text, t
from reports.pack_model import Chart, Figure, Slide
from webapp.pack import map_png, pack_for
from webapp.state import current_view

view = current_view()
lang = view.lang
pack = pack_for(view)
n = len(pack.slides)

st.markdown(
    """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"] { display: none; }
[data-testid="stMainBlockContainer"], .block-container { padding: 0.6rem 2.2rem 0.5rem 2.2rem; max-width: 100%; }
h1 { font-size: 1.05rem !important; color: #6b7280; font-weight: 500; padding: 0 !important; }
h2 { font-size: 2.3rem !important; color: #1f3a5f; border-bottom: 4px solid #c62828; padding-bottom: 0.3rem !important; }
.slide-title { background: #1f3a5f; color: white; text-align: center; padding: 3.2rem 1rem; margin: 5rem -2.2rem 1.5rem -2.2rem; }
.slide-title .big { font-size: 3.4rem; font-weight: 700; }
.slide-title .sub { font-size: 1.9rem; margin-top: 0.6rem; }
.slide-lines { text-align: center; font-size: 1.5rem; line-height: 1.9; color: #1f2933; }
.tile { background: #f3f5f8; border-radius: 10px; padding: 0.7rem 1rem; }
.tile .label { color: #6b7280; font-size: 1.1rem; }
.tile .value { color: #1f3a5f; font-size: 2.8rem; font-weight: 700; line-height: 1.2; }
.tile .unit { color: #6b7280; font-size: 1.2rem; font-weight: 400; }
.tile .note { font-size: 1rem; }
.point { font-size: 1.6rem; line-height: 1.6; margin: 0.9rem 0; }
.point b { color: #c62828; }
</style>""",
    unsafe_allow_html=True,
)

key = "present_slide"
st.session_state.setdefault(key, 0)
st.session_state[key] = min(max(st.session_state[key], 0), n - 1)


def _step(delta: int) -> None:
    st.session_state[key] = min(max(st.session_state[key] + delta, 0), n - 1)


bar = st.columns([6, 1, 1, 1, 1.4], vertical_alignment="center")
with bar[0]:
    st.title(t("会议演示", "Presentation", lang))
bar[1].button(
    t("上一页", "Back", lang),
    key="present_prev",
    on_click=_step,
    args=(-1,),
    shortcut="Left",
    width="stretch",
    help=t("上一页（←）", "Previous (←)", lang),
    disabled=st.session_state[key] == 0,
)
bar[2].markdown(
    f"<div style='text-align:center;font-size:1.2rem' id='slide-number'>{st.session_state[key] + 1} / {n}</div>",
    unsafe_allow_html=True,
)
bar[3].button(
    t("下一页", "Next", lang),
    key="present_next",
    on_click=_step,
    args=(1,),
    shortcut="Right",
    width="stretch",
    help=t("下一页（→）", "Next (→)", lang),
    disabled=st.session_state[key] == n - 1,
)
bar[4].page_link("views/briefing.py", label=t("退出演示", "Leave", lang), icon=":material/close:")

slide: Slide = pack.slides[st.session_state[key]]


def figure(c: Chart, height: int) -> go.Figure:
    fig = go.Figure()
    horizontal = c.kind == "bar"
    for s in c.series:
        values = [None if v is None else v for v in s.values]
        if c.kind == "line":
            fig.add_trace(
                go.Scatter(
                    x=list(c.categories),
                    y=values,
                    name=s.name,
                    mode="lines+markers",
                    line=dict(color=s.colour, width=3),
                )
            )
        else:
            fig.add_trace(
                go.Bar(
                    x=values if horizontal else list(c.categories),
                    y=list(c.categories) if horizontal else values,
                    name=s.name,
                    orientation="h" if horizontal else "v",
                    marker_color=s.colour,
                    text=[
                        ("" if v is None else (f"{v:.1f}" if c.number_format == "0.0" else f"{v:,.0f}")) for v in values
                    ],
                    textposition="outside",
                )
            )
    fig = style(fig, c.title, height=height)
    fig.update_layout(barmode="group", font=dict(size=16), title=dict(font=dict(size=20)), showlegend=len(c.series) > 1)
    if horizontal:
        fig.update_yaxes(autorange="reversed", rangemode="normal")
    if c.unit == "%":
        # Assignments, not bare expressions: Streamlit's magic would draw a bare expression's figure.
        axis = fig.update_xaxes if horizontal else fig.update_yaxes
        _ = axis(range=[0, 112])
    return fig


def tiles(figures: tuple[Figure, ...]) -> None:
    for col, f in zip(st.columns(len(figures)), figures, strict=True):
        unit = f" <span class='unit'>{_html(f.unit)}</span>" if f.unit else ""
        col.markdown(
            f"<div class='tile'><div class='label'>{_html(f.label)}</div><div class='value'>{_html(f.value)}{unit}</div>"
            f"<div class='note' style='color:{_html(f.tone)}'>{_html(f.note)}</div></div>",
            unsafe_allow_html=True,
        )


def text(
    paragraphs: tuple[str, ...] = (),
    bullets: tuple[tuple[str, str], ...] = (),
    strong: int | None = None,
    size: float = 1.55,
) -> None:
    """Paragraphs (the one at index ``strong`` in bold) and (heading, sentence) bullets, large."""
    colon = t("：", ": ", lang)
    lines = [f"**{p}**" if i == strong else p for i, p in enumerate(paragraphs)]
    lines += [f"**{h}**{colon}{v}" if h else v for h, v in bullets]
    for line in lines:
        st.markdown(
            f"<p style='font-size:{size}rem;line-height:1.55;margin:0.4rem 0'>{_md(_html(line))}</p>",
            unsafe_allow_html=True,
        )


def _html(text: object) -> str:
    """Text for the slides' HTML: escaped (a sentence can quote an imported name), on one line (an HTML
    block of Markdown ends at a blank line, after which the rest would be read as Markdown)."""
    return escape(" ".join(str(text).splitlines()))


def _md(line: str) -> str:
    """**bold** to <b> (in the briefing's sentences; the text is escaped first: :func:`_html`)."""
    parts = line.split("**")
    return "".join(f"<b style='color:#1f3a5f'>{p}</b>" if i % 2 else p for i, p in enumerate(parts))


def table(spec) -> None:
    frame = pd.DataFrame(list(spec.rows), columns=list(spec.columns))
    st.dataframe(frame, hide_index=True, width="stretch", row_height=42)


if slide.key == "title":
    lines = "<br>".join(_html(x) for x in slide.text)
    st.markdown(
        f"<div class='slide-title'><div class='big'>{_html(slide.title)}</div><div class='sub'>{_html(slide.subtitle)}</div>"
        f"</div><div class='slide-lines'>{lines}</div>",
        unsafe_allow_html=True,
    )
else:
    st.header(md_text(slide.title), anchor=False)
    if slide.key == "headline":
        tiles(slide.figures)
        st.write("")
        text(slide.text, slide.bullets, strong=1)
    elif slide.key == "trend":
        cols = st.columns(max(len(slide.charts), 1))
        for i, (col, c) in enumerate(zip(cols, slide.charts, strict=False)):
            col.plotly_chart(
                figure(c, 560), width="stretch", key=f"present_chart_{i}", config={"displayModeBar": False}
            )
        text(slide.text, slide.bullets)
    elif slide.key == "industries":
        left, right = st.columns([1.5, 1])
        if slide.charts:
            left.plotly_chart(
                figure(slide.charts[0], 700), width="stretch", key="present_chart_ind", config={"displayModeBar": False}
            )
        with right:
            text(slide.text, slide.bullets)
    elif slide.key == "regions":
        left, right = st.columns([1.2, 1])
        if slide.charts:
            left.plotly_chart(
                figure(slide.charts[0], 720), width="stretch", key="present_chart_reg", config={"displayModeBar": False}
            )
        else:
            with left:
                text(slide.text)
        with right:
            if slide.map is not None:
                m = slide.map
                st.markdown(f"**{md_text(m.caption)}**")
                st.image(map_png(m.parent, m.colours, m.legend, lang, size=(6.4, 4.4)), width="content")
            text(bullets=slide.bullets, size=1.2)
    elif slide.key == "serious":
        text(slide.text, slide.bullets)
        if slide.table is not None:
            table(slide.table)
    elif slide.key == "hazards":
        tiles(slide.figures)
        st.write("")
        text(slide.text)
        if slide.table is not None:
            table(slide.table)
        if slide.charts:
            st.plotly_chart(
                figure(slide.charts[0], 380), width="stretch", key="present_chart_hz", config={"displayModeBar": False}
            )
    elif slide.key == "attention":
        sep = t("．", ". ", lang)
        for i, (_h, point) in enumerate(slide.bullets, 1):
            st.markdown(f"<div class='point'><b>{i}{sep}</b>{_html(point)}</div>", unsafe_allow_html=True)
    if slide.note:
        st.caption(md_text(slide.note))
st.caption(
    t(
        f"{md_text(pack.footer)} · 第 {st.session_state[key] + 1} 页，共 {n} 页 · ← → 翻页，F11 全屏",
        f"{md_text(pack.footer)} · slide {st.session_state[key] + 1} of {n} · ← → to step, F11 for full screen",
        lang,
    )
)
