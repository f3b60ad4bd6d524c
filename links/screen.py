"""The big screen's parameters (大屏模式, ``/screen``): read from its link, with defaults from the
settings; the rotation through a playlist and the stale-data rule. Pure: no Streamlit.

``/screen?refresh=30&rotate=20&playlist=100000,430000,420000&period=ytd&lang=zh&stale_hours=24``

A bad value in the link falls back to its default and says so (in both languages); it never raises.
A bad *setting* (``SAFETY_SCREEN_*``) raises ValueError naming it, as the other settings do.
"""

from __future__ import annotations

import datetime as dt
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass

from domain.periods import Period
from domain.regions import COUNTRY_CODE, load_regions, region_label
from links.filters import DEFAULT_PERIOD, Filters, Notice, one, parse_query

MIN_REFRESH_S = 5.0  # a faster refresh only loads the server
MAX_SECONDS = 86_400.0  # a day


@dataclass(frozen=True)
class ScreenConfig:
    playlist: tuple[str, ...] = (COUNTRY_CODE,)  # region codes shown in turn
    period_code: str = DEFAULT_PERIOD
    lang: str = "zh"
    refresh_s: float = 60.0  # seconds between two reads of the store
    rotate_s: float = 30.0  # seconds each region stays on screen; 0 = no rotation
    stale_hours: float = 24.0  # the data is stale when its last import is older than this

    @property
    def rotating(self) -> bool:
        return len(self.playlist) > 1 and self.rotate_s > 0

    @property
    def tick_s(self) -> float:
        """Seconds between two runs of the screen: the refresh interval, or the rotation's if shorter."""
        return min(self.refresh_s, self.rotate_s) if self.rotating else self.refresh_s

    @property
    def ticks_per_view(self) -> int:
        """Runs each region stays on screen (a rotation longer than the refresh interval is rounded
        to a whole number of refreshes)."""
        return max(1, round(self.rotate_s / self.tick_s)) if self.rotating else 1

    def region_at(self, tick: int) -> str:
        """The region on screen on run number ``tick`` (0, 1, 2, … since the screen was opened)."""
        if not self.rotating:
            return self.playlist[0]
        return self.playlist[(tick // self.ticks_per_view) % len(self.playlist)]

    def period(self, today: dt.date) -> Period:
        return Filters(self.period_code).period(today)

    @property
    def max_age(self) -> dt.timedelta:
        return dt.timedelta(hours=self.stale_hours)


def is_stale(last_update: dt.datetime | None, now: dt.datetime, max_age: dt.timedelta) -> bool:
    """True when the data's last update is older than ``max_age`` at ``now``, or unknown (no import
    on record). A last update in the future (a clock set differently) is not stale."""
    if last_update is None:
        return True
    return now - last_update > max_age


def age_text(last_update: dt.datetime, now: dt.datetime, lang: str = "zh") -> str:
    """How old the data is, in days and hours (minutes under an hour): 3 天 5 小时 / 3 d 5 h."""
    minutes = max(0, int((now - last_update).total_seconds() // 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if lang == "zh":
        if days:
            return f"{days} 天 {hours} 小时" if hours else f"{days} 天"
        return f"{hours} 小时" if hours else f"{mins} 分钟"
    if days:
        return f"{days} d {hours} h" if hours else f"{days} d"
    return f"{hours} h" if hours else f"{mins} min"


# ---------------------------------------------------------------------------------------------- parsing

SETTING_NAMES = {
    "refresh_s": "SAFETY_SCREEN_REFRESH_S",
    "rotate_s": "SAFETY_SCREEN_ROTATE_S",
    "playlist": "SAFETY_SCREEN_PLAYLIST",
    "stale_hours": "SAFETY_SCREEN_STALE_HOURS",
}


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _seconds(text: str, zero_ok: bool) -> float | None:
    """A number of seconds within the limits, or None."""
    value = _number(text)
    if value is None or value > MAX_SECONDS:
        return None
    if zero_ok and value == 0:
        return 0.0
    return value if value >= MIN_REFRESH_S else None


MAX_STALE_HOURS = 87_600.0  # ten years: beyond that no date can be compared (1e12 hours overflows a timedelta)


def _hours(text: str) -> float | None:
    value = _number(text)
    return value if value is not None and 0 < value <= MAX_STALE_HOURS else None


def _playlist(text: str) -> tuple[tuple[str, ...], list[str]]:
    """(the known region codes of a comma-separated list, in order without repeats; the unknown ones)."""
    regions = load_regions()
    known: list[str] = []
    unknown: list[str] = []
    for code in filter(None, (p.strip() for p in text.replace("，", ",").split(","))):
        if code not in regions:
            unknown.append(code)
        elif code not in known:
            known.append(code)
    return tuple(known), unknown


def screen_defaults(environ: Mapping[str, str] | None = None) -> ScreenConfig:
    """The defaults from the ``SAFETY_SCREEN_*`` settings (read from ``environ``, default the
    environment). A bad value raises ValueError naming the setting, the value and what it wants."""
    import settings

    env = os.environ if environ is None else environ

    def raw(key: str) -> str:
        name = SETTING_NAMES[key]
        default = next(s for s in settings.SETTINGS if s.name == name).default
        return (env.get(name) or default).strip()

    refresh = _seconds(raw("refresh_s"), zero_ok=False)
    if refresh is None:
        raise ValueError(
            f"SAFETY_SCREEN_REFRESH_S='{raw('refresh_s')}' is not a number of seconds from "
            f"{MIN_REFRESH_S:g} to {MAX_SECONDS:g} (e.g. 60)"
        )
    rotate = _seconds(raw("rotate_s"), zero_ok=True)
    if rotate is None:
        raise ValueError(
            f"SAFETY_SCREEN_ROTATE_S='{raw('rotate_s')}' is not 0 (no rotation) or a number of "
            f"seconds from {MIN_REFRESH_S:g} to {MAX_SECONDS:g} (e.g. 30)"
        )
    playlist, unknown = _playlist(raw("playlist"))
    if unknown or not playlist:
        what = f"'{unknown[0]}' is not a region code" if unknown else "no region"
        raise ValueError(
            f"SAFETY_SCREEN_PLAYLIST='{raw('playlist')}': {what} (expected adcodes separated by "
            "commas, e.g. 100000,430000)"
        )
    stale = _hours(raw("stale_hours"))
    if stale is None:
        raise ValueError(
            f"SAFETY_SCREEN_STALE_HOURS='{raw('stale_hours')}' is not a positive number of hours "
            f"up to {MAX_STALE_HOURS:g} (e.g. 24)"
        )
    return ScreenConfig(playlist, DEFAULT_PERIOD, "zh", refresh, rotate, stale)


def parse_screen_query(
    params: Mapping[str, object], today: dt.date, defaults: ScreenConfig | None = None
) -> tuple[ScreenConfig, list[Notice]]:
    """The screen's configuration from its link's parameters; each bad value → its default and a
    notice. ``period`` and ``lang`` are read as by the other pages (``filters.parse_query``);
    ``region`` is a playlist of one region when there is no ``playlist``."""
    d = defaults or screen_defaults()
    shared, notices = parse_query({k: params[k] for k in ("period", "lang") if k in params}, today)
    lang = shared.lang

    def seconds(key: str, default: float, zero_ok: bool, zh: str, en: str) -> float:
        text = one(params, key)
        if not text:
            return default
        value = _seconds(text, zero_ok)
        if value is None:
            zero_zh, zero_en = ("0（不轮播）或", "0 (no rotation) or ") if zero_ok else ("", "")
            notices.append(
                Notice(
                    f"参数 {key}=“{text}”无效（应为{zero_zh} {MIN_REFRESH_S:g}–{MAX_SECONDS:g} 秒），已使用{zh} {default:g} 秒。",
                    f"{key}='{text}' is not {zero_en}{MIN_REFRESH_S:g}–{MAX_SECONDS:g} seconds: {en} {default:g} s.",
                )
            )
            return default
        return value

    refresh = seconds("refresh", d.refresh_s, False, "默认刷新间隔", "refreshing every")
    rotate = seconds("rotate", d.rotate_s, True, "默认轮播间隔", "rotating every")

    playlist = d.playlist
    key = "playlist" if one(params, "playlist") else ("region" if one(params, "region") else None)
    if key:
        text = one(params, key) or ""
        codes, unknown = _playlist(text)
        for code in unknown:
            notices.append(Notice(f"地区代码“{code}”无效，已忽略。", f"Unknown region code '{code}': ignored."))
        if codes:
            playlist = codes if key == "playlist" else codes[:1]
        else:
            zh_names = "、".join(region_label(c, "zh") for c in d.playlist)
            en_names = ", ".join(region_label(c, "en") for c in d.playlist)
            notices.append(
                Notice(
                    f"参数 {key} 中没有有效的地区代码，已显示默认的 {zh_names}。",
                    f"No valid region code in {key}: showing the default, {en_names}.",
                )
            )

    stale = d.stale_hours
    text = one(params, "stale_hours")
    if text:
        value = _hours(text)
        if value is None:
            notices.append(
                Notice(
                    f"参数 stale_hours=“{text}”无效（应为大于 0、不超过 {MAX_STALE_HOURS:g} 的小时数），"
                    f"已使用 {d.stale_hours:g} 小时。",
                    f"stale_hours='{text}' is not a positive number of hours up to {MAX_STALE_HOURS:g}: "
                    f"using {d.stale_hours:g}.",
                )
            )
        else:
            stale = value
    return ScreenConfig(playlist, shared.period_code, lang, refresh, rotate, stale), notices
