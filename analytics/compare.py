"""Comparisons and the official judgements: 三个继续下降 (three continued declines), 双下降 (double
decline) and streaks.

Every comparison has one state: declined, flat, held_at_zero (0 both times), rose, or
insufficient_data (a side is missing). A change in % from zero is undefined: it is None, and the
pages say "new" (新增), never ∞. A side is missing either because no source covers the period or
because the statistics that answer it did not release that figure (``not_released``: 未公布); the
latter makes that measure ``insufficient_data`` and no other — the other measures are judged.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum


class State(StrEnum):
    DECLINED = "declined"
    FLAT = "flat"
    HELD_AT_ZERO = "held_at_zero"
    ROSE = "rose"
    INSUFFICIENT = "insufficient_data"


class Judgement(StrEnum):
    ACHIEVED = "achieved"
    NOT_ACHIEVED = "not_achieved"
    INSUFFICIENT = "insufficient_data"


@dataclass(frozen=True)
class Comparison:
    current: float | None
    previous: float | None
    change: float | None
    change_pct: float | None  # None when undefined (from zero) or a side is missing
    state: State
    not_released: tuple[str, ...] = ()  # "current" / "previous": the side whose figure was not released

    @property
    def is_new(self) -> bool:
        """Rose from zero: the change in % is undefined, shown as "new"."""
        return self.previous == 0 and (self.current or 0) > 0


def compare(current: float | None, previous: float | None, not_released: tuple[str, ...] = ()) -> Comparison:
    """Compare a measure with its comparable period (同比 or 环比). ``not_released`` names the sides
    ("current", "previous") that are None because the statistics did not release the figure."""
    bad = [
        s
        for s in not_released
        if s not in ("current", "previous") or {"current": current, "previous": previous}[s] is not None
    ]
    if bad:
        raise ValueError(f"not_released names a side whose value is missing ('current' or 'previous'), got {bad[0]!r}")
    if current is None or previous is None:
        return Comparison(current, previous, None, None, State.INSUFFICIENT, tuple(not_released))
    change = current - previous
    pct = None if previous == 0 else change / previous * 100
    if current == 0 and previous == 0:
        state = State.HELD_AT_ZERO
    elif change < 0:
        state = State.DECLINED
    elif change > 0:
        state = State.ROSE
    else:
        state = State.FLAT
    return Comparison(current, previous, change, pct, state)


@dataclass(frozen=True)
class ThreeDeclines:
    state: Judgement
    accidents: Comparison
    larger: Comparison
    major_plus: Comparison

    @property
    def held_at_zero(self) -> tuple[str, ...]:
        """Components that were zero both times: not a decline, which the page explains."""
        return tuple(
            n
            for n, c in (("accidents", self.accidents), ("larger", self.larger), ("major_plus", self.major_plus))
            if c.state == State.HELD_AT_ZERO
        )

    @property
    def unknown(self) -> tuple[str, ...]:
        """Components that cannot be compared (a side missing or not released): the page names them,
        and judges the others."""
        return tuple(
            n
            for n, c in (("accidents", self.accidents), ("larger", self.larger), ("major_plus", self.major_plus))
            if c.state == State.INSUFFICIENT
        )


def _judge(parts: Sequence[Comparison]) -> Judgement:
    if any(p.state == State.INSUFFICIENT for p in parts):
        return Judgement.INSUFFICIENT
    return Judgement.ACHIEVED if all(p.state == State.DECLINED for p in parts) else Judgement.NOT_ACHIEVED


def three_declines(accidents: Comparison, larger: Comparison, major_plus: Comparison) -> ThreeDeclines:
    """三个继续下降 (同比): the accident total declined, and 较大 and 重特大 accidents each declined or did not
    happen in either period — a bureau writes "未发生重特大事故" and judges on what did happen. No accident at
    all in either period is no decline of the total: not achieved."""
    parts = (accidents, larger, major_plus)
    if any(p.state == State.INSUFFICIENT for p in parts):
        return ThreeDeclines(Judgement.INSUFFICIENT, *parts)
    ok = accidents.state == State.DECLINED and all(
        p.state in (State.DECLINED, State.HELD_AT_ZERO) for p in (larger, major_plus)
    )
    return ThreeDeclines(Judgement.ACHIEVED if ok else Judgement.NOT_ACHIEVED, *parts)


def double_decline(accidents: Comparison, deaths: Comparison) -> Judgement:
    """双下降: accidents and deaths both declined."""
    return _judge((accidents, deaths))


def streak(values: Sequence[float | None]) -> int:
    """How many consecutive comparable periods, ending with the last, each fell below the one
    before. ``values`` run oldest first (e.g. Jan–Jun of 2019, 2020, …, 2024)."""
    count = 0
    for i in range(len(values) - 1, 0, -1):
        cur, prev = values[i], values[i - 1]
        if cur is None or prev is None or not cur < prev:
            break
        count += 1
    return count
