"""Big screen (大屏模式): the command room's wall — full screen, dark, 16:9, no sidebar, menu or footer.
The headline measures against the same period last year, the three declines, deaths against the
control target, the four-colour map, hazard rectification and the latest 较大-and-above accidents,
for one region at a time (a playlist rotates), refreshed by itself. Its parameters are in its link
(links/screen.py); the sidebar's filters are not drawn here.

It never shows a traceback: a refresh that fails shows the last good figures with a calm note (the
error goes to the server's log), and the next refresh tries again."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, replace

import streamlit as st

import settings
from accounts.model import inside
from domain.regions import map_region_of, region_label
from i18n import t
from links.filters import Notice
from links.screen import age_text, is_stale, parse_screen_query
from reports import screen as draw
from store import StoreBusy
from webapp.session import current_account, still_valid
from webapp.state import brief, data_stamp, db_key, risk_table

log = logging.getLogger(__name__)
ss = st.session_state
st.html(draw.page_css())

params = st.query_params.to_dict()
if "lang" not in params and ss.get("f_lang") in ("zh", "en"):  # opened from another page: its language
    params["lang"] = ss["f_lang"]
try:
    config, notices = parse_screen_query(params, settings.today())
except ValueError as exc:  # a bad SAFETY_SCREEN_* setting: name it, calmly
    lang = params.get("lang", "zh")
    st.title(t("安全生产态势", "Production safety", lang))
    st.error(t(f"大屏设置有误：{exc}", f"The big screen's settings are wrong: {exc}", lang))
    st.stop()
lang = config.lang
viewer = current_account()
if viewer.via == "screen-token":  # a link token shows its own region and the regions inside it, nothing else
    kept, dropped = inside(config.playlist, viewer.region)
    if dropped:
        names = "、".join(region_label(c, "zh") for c in dropped)
        notices = [
            *notices,
            Notice(
                f"地区 {names} 不在此大屏链接的范围（{region_label(viewer.region, 'zh')}）内，未显示。",
                f"Region(s) {', '.join(region_label(c, 'en') for c in dropped)} outside this "
                f"link's region ({region_label(viewer.region, 'en')}): not shown.",
            ),
        ]
    config = replace(config, playlist=kept or (viewer.region,))
notice_texts = [n.text(lang) for n in notices]


@dataclass(frozen=True)
class Drawn:
    """What was drawn for one region (the HTML of its header and body), to draw again if the next
    refresh fails."""

    snapshot: draw.Snapshot
    region: str
    info: str
    body: str


def _draw(snap: draw.Snapshot) -> Drawn:
    playlist = config.playlist if config.rotating else ()
    shown = playlist.index(snap.region) if snap.region in playlist else -1
    return Drawn(
        snap,
        draw.region_html(snap.region, lang),
        draw.info_html(snap, lang, playlist, shown),
        draw.body_html(snap, lang),
    )


def _read(region: str, now: dt.datetime) -> draw.Snapshot:
    """Every number of one view, fresh: a new import is seen at once (``data_stamp`` clears the
    cached results when the store's imports changed); otherwise the cached results are reused."""
    last_update = data_stamp()
    today = settings.today()
    period = config.period(today)
    db = db_key()
    b = brief(db, period, region, None, "all", today)
    map_region = map_region_of(region)
    index = risk_table(db, map_region, period, None)
    levels = {str(c): str(lv) for c, lv in zip(index["code"], index["level"], strict=True)}
    return draw.Snapshot(region, b, map_region, levels, last_update, now)


@st.fragment(run_every=config.tick_s)
def screen() -> None:
    if not still_valid():  # a revoked link or an ended login: the screen stops showing the data
        ss.pop("scr_drawn", None)
        ss.pop("scr_last", None)
        st.error(
            t(
                "此大屏链接已被撤销，或登录已结束：请向系统管理员索取新链接，或刷新页面重新登录。",
                "This screen link has been revoked, or the login has ended: ask an administrator for a new link, "
                "or reload the page to log in.",
                lang,
            )
        )
        return
    tick = ss.get("scr_tick", -1) + 1
    ss["scr_tick"] = tick
    region = config.region_at(tick)
    now = dt.datetime.now().replace(microsecond=0)
    drawn: dict[str, Drawn] = ss.setdefault("scr_drawn", {})
    failed = False
    try:
        drawn[region] = ss["scr_last"] = _draw(_read(region, now))
    except StoreBusy:
        log.info("big screen: the store is busy (an import); showing the last figures")
        failed = True
    except Exception:
        log.exception("big screen: refresh of %s failed; showing the last figures", region)
        failed = True
    good: Drawn | None = drawn.get(region) or ss.get("scr_last")
    stale = None
    if good and is_stale(good.snapshot.last_update, now, config.max_age):
        last = good.snapshot.last_update
        stale = (last, age_text(last, now, lang) if last else "", config.stale_hours)
    error_at = good.snapshot.drawn_at if (failed and good) else None
    with st.container(key="scr"):
        with st.container(horizontal=True, key="scr_head", vertical_alignment="center"):
            st.html(good.region if good else draw.region_html(region, lang))
            st.title(t("安全生产态势", "Production safety", lang), anchor=False)
            if good:
                st.html(good.info)
        st.html(draw.banners_html(lang, stale, error_at, notice_texts))
        with st.container(key="scr_body"):
            if good:
                st.html(good.body)
            else:
                st.html(
                    f'<div class="scr-banner error">{t("暂时无法读取数据，稍后自动重试。", "The data cannot be read just now: retrying automatically.", lang)}</div>'
                )


screen()
