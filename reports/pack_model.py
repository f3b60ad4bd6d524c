"""The meeting pack as data: slides of charts, tables, figures, a map and points, in one language, that
``reports.pptx_pack`` draws and ``views.present`` shows (built by ``reports.pack.build_pack``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from analytics.brief import Brief
from domain.periods import Period

# ---------------------------------------------------------------------------------------------- specs


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float | None, ...]  # None: no data (a gap, never 0)
    colour: str  # #rrggbb


@dataclass(frozen=True)
class Chart:
    kind: str  # column (vertical bars), bar (horizontal bars, first category on top) or line
    title: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    unit: str = ""  # the values' unit: 起 / 人 / %
    number_format: str = "0"  # of the data labels (Excel's codes)


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]  # relative column widths
    numeric: tuple[bool, ...]  # right-aligned columns


@dataclass(frozen=True)
class Figure:
    """A headline figure: a big number with its comparison below."""

    label: str
    value: str
    unit: str
    note: str
    tone: str  # colour of the note: i18n GOOD / BAD / NEUTRAL


@dataclass(frozen=True)
class RiskMap:
    parent: str  # the region whose children are drawn
    colours: tuple[tuple[str, str], ...]  # (code, #rrggbb) per child
    legend: tuple[tuple[str, str], ...]  # (#rrggbb, "重大风险 2")
    caption: str


@dataclass(frozen=True)
class Point:
    """A point needing attention (slide 8)."""

    kind: str  # target / three_declines / regions_rising / industries_rising / overdue_majors / steady
    text: str


@dataclass(frozen=True)
class Slide:
    key: str  # one of SLIDE_KEYS
    title: str
    subtitle: str = ""
    figures: tuple[Figure, ...] = ()
    text: tuple[str, ...] = ()  # paragraphs, in full
    bullets: tuple[tuple[str, str], ...] = ()  # (heading, sentence); heading may be ""
    charts: tuple[Chart, ...] = ()
    table: Table | None = None
    map: RiskMap | None = None
    note: str = ""  # a footnote: the source, what was left out


@dataclass(frozen=True)
class Pack:
    lang: str
    region: str
    region_name: str  # as shown on the slides
    period: Period
    made_on: dt.date
    footer: str  # region · period, at the foot of every slide
    slides: tuple[Slide, ...]

    @property
    def headline(self) -> str:
        """The headline sentence (slide 2)."""
        return self.slides[1].text[0]


@dataclass(frozen=True)
class PackInputs:
    """What the slides need beyond the brief (read by :func:`gather`)."""

    brief: Brief
    monthly: pd.DataFrame  # analytics.trends.monthly_measures of the period
    monthly_previous: pd.DataFrame  # … of the same period last year
    map_region: str  # the region whose children the map shows (the parent for a county)
    risk: pd.DataFrame  # analytics.risk.risk_index of map_region's children
    board: pd.DataFrame  # the supervision board (analytics.hazards.supervision_board) on as_of
    as_of: dt.date
    hazards_by_child: pd.DataFrame  # analytics.hazards.ranking of the child regions (child_code, found, rate, …)
