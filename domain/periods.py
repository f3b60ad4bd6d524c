"""Periods and their comparable periods: the same period a year earlier (同比), year to date (累计)
and the previous period (环比).

A period is a run of whole months, optionally cut at a day (``until``) when it reaches into the
current, unfinished month: 1 January to 23 November is compared with 1 January to 23 November a
year earlier, never with a whole November. A cut on 29 February compares with 28 February. A cut on a month's last day is no cut: the period
is a run of whole months (``until`` is None), which statistics can answer.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, replace

KINDS = ("year", "quarter", "month", "range")
PERIOD_FORMS = "2017, 2017-03, 2017-Q2 or 2017-01..2017-06"


def _ym(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def _split(ym: str) -> tuple[int, int]:
    return int(ym[:4]), int(ym[5:7])


def shift_month(ym: str, months: int) -> str:
    y, m = _split(ym)
    index = y * 12 + (m - 1) + months
    return _ym(index // 12, index % 12 + 1)


def month_count(start: str, end: str) -> int:
    (y1, m1), (y2, m2) = _split(start), _split(end)
    return (y2 - y1) * 12 + (m2 - m1) + 1


@dataclass(frozen=True)
class Period:
    """Months ``start``..``end`` ('YYYY-MM', inclusive), of a ``kind``, cut at ``until`` if set."""

    start: str
    end: str
    kind: str = "range"
    until: dt.date | None = None

    def __post_init__(self) -> None:
        for v in (self.start, self.end):
            if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", v):
                raise ValueError(f"expected a month as YYYY-MM, got '{v}'")
        if self.start > self.end:
            raise ValueError(f"the period starts after it ends: {self.start} > {self.end}")
        if self.kind not in KINDS:
            raise ValueError(f"period kind must be one of {', '.join(KINDS)}, got '{self.kind}'")
        if self.until is not None and _ym(self.until.year, self.until.month) != self.end:
            raise ValueError(f"the cut-off day {self.until} is not in the period's last month {self.end}")
        if self.until is not None and self.until.day == calendar.monthrange(self.until.year, self.until.month)[1]:
            # Cut on the month's last day is a run of whole months, not a cut (statistics answer it).
            object.__setattr__(self, "until", None)

    # ---------------------------------------------------------------- construction

    @classmethod
    def parse(cls, text: str) -> Period:
        """'2017' (a year), '2017-03' (a month), '2017-Q2' (a quarter), '2017-01..2017-06' (a range)."""
        t = str(text).strip().upper().replace("—", "..").replace("~", "..")
        if m := re.fullmatch(r"(\d{4})", t):
            return cls.year(int(m.group(1)))
        if m := re.fullmatch(r"(\d{4})-?Q([1-4])", t):
            return cls.quarter(int(m.group(1)), int(m.group(2)))
        if (m := re.fullmatch(r"(\d{4})-(\d{1,2})", t)) and 1 <= int(m.group(2)) <= 12:
            return cls.month(int(m.group(1)), int(m.group(2)))
        if m := re.fullmatch(r"(\d{4})-(\d{1,2})\.\.(\d{4})-(\d{1,2})", t):
            y1, m1, y2, m2 = (int(g) for g in m.groups())
            if 1 <= m1 <= 12 and 1 <= m2 <= 12:
                return cls(_ym(y1, m1), _ym(y2, m2), "range")
        raise ValueError(f"'{text}' is not a period (expected {PERIOD_FORMS})")

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(_ym(year, 1), _ym(year, 12), "year")

    @classmethod
    def quarter(cls, year: int, q: int) -> Period:
        return cls(_ym(year, 3 * q - 2), _ym(year, 3 * q), "quarter")

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        return cls(_ym(year, month), _ym(year, month), "month")

    @classmethod
    def year_to_date(cls, today: dt.date) -> Period:
        """1 January to ``today`` (this year to date, 今年以来)."""
        return cls(_ym(today.year, 1), _ym(today.year, today.month), "range").cut_at(today)

    @classmethod
    def last_full_month(cls, today: dt.date) -> Period:
        return cls.month(*_split(shift_month(_ym(today.year, today.month), -1)))

    def cut_at(self, today: dt.date) -> Period:
        """The period as known on ``today``: cut at today if it reaches into this month; a period
        wholly in the future is refused."""
        this_month = _ym(today.year, today.month)
        if self.start > this_month:
            raise ValueError(f"the period {self.code} has not started yet on {today}")
        if self.end < this_month:
            return replace(self, until=None)
        # On the month's last day the month is whole: ``until`` is cleared (see __post_init__).
        return replace(self, end=this_month, until=today, kind=self.kind if self.end == this_month else "range")

    # ---------------------------------------------------------------- arithmetic

    @property
    def code(self) -> str:
        """The canonical text (what :meth:`parse` reads back)."""
        if self.kind == "year":
            return self.start[:4]
        if self.kind == "quarter":
            return f"{self.start[:4]}-Q{(int(self.start[5:]) + 2) // 3}"
        if self.kind == "month":
            return self.start
        return f"{self.start}..{self.end}"

    @property
    def first_year(self) -> int:
        """The year of the first month."""
        return int(self.start[:4])

    @property
    def last_year(self) -> int:
        """The year of the last month."""
        return int(self.end[:4])

    @property
    def n_months(self) -> int:
        return month_count(self.start, self.end)

    def months(self) -> list[str]:
        return [shift_month(self.start, i) for i in range(self.n_months)]

    @property
    def first_day(self) -> dt.date:
        y, m = _split(self.start)
        return dt.date(y, m, 1)

    @property
    def last_day(self) -> dt.date:
        if self.until is not None:
            return self.until
        y, m = _split(self.end)
        return dt.date(y, m, calendar.monthrange(y, m)[1])

    @property
    def is_cut(self) -> bool:
        return self.until is not None

    def shift_years(self, years: int) -> Period:
        until = self.until
        if until is not None:
            try:
                until = until.replace(year=until.year + years)
            except ValueError:  # 29 February in a year that has none
                until = dt.date(until.year + years, 2, 28)
        return Period(shift_month(self.start, 12 * years), shift_month(self.end, 12 * years), self.kind, until)

    def same_period_last_year(self) -> Period:
        """同比: the same months (and the same cut-off day) a year earlier."""
        return self.shift_years(-1)

    def previous(self) -> Period:
        """环比: the period of the same length just before (a quarter before a quarter, …).

        A cut period compares with the same days of the previous month(s), capped at the month's end.
        """
        n = self.n_months
        start, end = shift_month(self.start, -n), shift_month(self.end, -n)
        until = None
        if self.until is not None:
            y, m = _split(end)
            until = dt.date(y, m, min(self.until.day, calendar.monthrange(y, m)[1]))
        return Period(start, end, self.kind, until)

    def year_to_date_of(self) -> Period:
        """累计: 1 January of the end's year to the end (and its cut-off)."""
        return Period(_ym(self.last_year, 1), self.end, "range", self.until)

    # ---------------------------------------------------------------- words

    def label(self, lang: str = "zh") -> str:
        y1, m1 = _split(self.start)
        y2, m2 = _split(self.end)
        cut_zh = f"（截至{self.until.month}月{self.until.day}日）" if self.until else ""
        cut_en = f" (to {self.until:%-d %b})" if self.until else ""
        if self.until is not None:
            # a period cut at a day reads from its first day to that day, never "1—12月" before December is over
            u = self.until
            if lang == "zh":
                if y1 != u.year:
                    return f"{y1}年{m1}月1日至{u.year}年{u.month}月{u.day}日"
                return f"{y1}年{m1}月1日至{u.day}日" if m1 == u.month else f"{y1}年{m1}月1日至{u.month}月{u.day}日"
            mon0 = calendar.month_abbr
            if y1 != u.year:
                return f"1 {mon0[m1]} {y1} – {u.day} {mon0[u.month]} {u.year}"
            return f"1–{u.day} {mon0[m1]} {y1}" if m1 == u.month else f"1 {mon0[m1]} – {u.day} {mon0[u.month]} {y1}"
        if lang == "zh":
            if self.kind == "year":
                return f"{y1}年{cut_zh}"
            if self.kind == "quarter":
                return f"{y1}年第{'一二三四'[(m1 - 1) // 3]}季度{cut_zh}"
            if self.kind == "month":
                return f"{y1}年{m1}月{cut_zh}"
            if y1 == y2:
                return f"{y1}年{m1}—{m2}月{cut_zh}" if m1 != m2 else f"{y1}年{m1}月{cut_zh}"
            return f"{y1}年{m1}月—{y2}年{m2}月{cut_zh}"
        mon = calendar.month_abbr
        if self.kind == "year":
            return f"{y1}{cut_en}"
        if self.kind == "quarter":
            return f"{y1} Q{(m1 + 2) // 3}{cut_en}"
        if self.kind == "month":
            return f"{mon[m1]} {y1}{cut_en}"
        if y1 == y2:
            return f"{mon[m1]}–{mon[m2]} {y1}{cut_en}" if m1 != m2 else f"{mon[m1]} {y1}{cut_en}"
        return f"{mon[m1]} {y1} – {mon[m2]} {y2}{cut_en}"


def time_progress(period_year: int, today: dt.date) -> float:
    """Share of the year elapsed on ``today`` (days elapsed ÷ days in the year; 366 in a leap year)."""
    days = 366 if calendar.isleap(period_year) else 365
    if today.year < period_year:
        return 0.0
    if today.year > period_year:
        return 1.0
    return today.timetuple().tm_yday / days


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (or earlier), capped at the month's end: 31 Jan + 1 → 29 Feb 2024."""
    y, m = _split(shift_month(_ym(day.year, day.month), months))
    return dt.date(y, m, min(day.day, calendar.monthrange(y, m)[1]))


def months_and_days(start: dt.date, end: dt.date) -> tuple[int, int]:
    """Whole calendar months and the days left from ``start`` to ``end``, as releases say how long
    since the last 特别重大 accident ("25 months and 11 days")."""
    if end < start:
        raise ValueError(f"end {end} is before start {start}")
    months = (end.year - start.year) * 12 + end.month - start.month
    if add_months(start, months) > end:
        months -= 1
    return months, (end - add_months(start, months)).days
