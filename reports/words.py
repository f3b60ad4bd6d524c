"""Words and number forms shared by the Chinese and English briefings."""

from __future__ import annotations

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


def cell(text: str | None) -> str:
    return "" if not text else text.replace("|", "／").replace("\n", " ")


def plural(x: float, one: str, many: str) -> str:
    return f"{x:,.0f} {one if x == 1 else many}"
