"""Words and number forms shared by the Chinese and English briefings."""

from __future__ import annotations

from collections.abc import Callable

from analytics.brief import Brief, Ranked, Tally
from analytics.compare import State
from domain.regions import english_name, load_regions


def pct(x: float | None) -> str:
    return f"{abs(x):.1f}%" if x is not None else ""


def share(x: float | None) -> str:
    return "—" if x is None else f"{x * 100:.1f}%"


def names(codes: tuple[str, ...], lang: str) -> str:
    regions = load_regions()
    if lang == "zh":
        return "、".join(regions[c].name for c in codes)
    return ", ".join(english_name(c) for c in codes)


def risers(rows: tuple[Ranked, ...], fmt: Callable[[Ranked], str], sep: str, limit: int | None = 3) -> str:
    """The rows whose accidents rose (largest rise first, as ranked), at most ``limit`` (None: all)."""
    up = [r for r in rows if r.accidents.state == State.ROSE][:limit]
    return sep.join(fmt(r) for r in up)


def cell(text: str | None) -> str:
    return "" if not text else text.replace("|", "／").replace("\n", " ")


def industry_tally(brief: Brief) -> Tally | None:
    """Over industries only when there is more than one to count."""
    return None if len(brief.industries) == 1 else brief.double_decline_industries


def plural(x: float, one: str, many: str) -> str:
    return f"{x:,.0f} {one if x == 1 else many}"
