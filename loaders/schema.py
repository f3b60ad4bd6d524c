"""The declared schema of every input kind, as the loaders read it.

Each column is declared once, in :mod:`domain.columns` — canonical name, type, required flag, Chinese
and English header aliases, a description, and the store's type, contract rule and label — and the
loaders read that table here: header matching, value validation, the README's format tables
(``python -m loaders schema --markdown``) and the import page's column mapping.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from domain.columns import ACCIDENT_STATS, ACCIDENTS, HAZARD_STATS, HAZARDS, KINDS, TARGETS, TYPES, Column, Kind

__all__ = [
    "ACCIDENTS",
    "ACCIDENT_STATS",
    "HAZARDS",
    "HAZARD_STATS",
    "KINDS",
    "TARGETS",
    "TYPES",
    "UNITS",
    "Column",
    "Kind",
    "alias_index",
    "markdown",
    "markdown_all",
    "match_header",
    "split_header",
]

_BRACKETS = re.compile(r"[\(\[【〔<《](.*?)[\)\]】〕>》]")


def split_header(header: object) -> tuple[str, str | None]:
    """A header's matching key and the unit in its brackets: '直接经济损失（万元）' → ('直接经济损失', '万元').

    Full-width forms fold to half-width (NFKC), spaces, line breaks, colons and 其中 markers go.
    """
    text = unicodedata.normalize("NFKC", str(header)).strip().lower()
    units = [u.strip() for u in _BRACKETS.findall(text)]
    base = _BRACKETS.sub("", text)
    base = re.sub(r"[\s:_\-*#※]+", "", base)
    unit = next((u for u in units if u in UNITS), None)
    return base, unit


def _alias_key(alias: str) -> str:
    return split_header(alias)[0]


UNITS = {
    "万元": 1.0,
    "元": 1e-4,
    "亿元": 1e4,
    "千元": 0.1,
    "人": 1.0,
    "起": 1.0,
    "个": 1.0,
    "项": 1.0,
    "家": 1.0,
    "%": 1.0,
    "10kcny": 1.0,
    "cny": 1e-4,
}


@cache
def alias_index(kind: Kind) -> dict[str, str]:
    """Normalised header alias → canonical column name, for one kind."""
    index: dict[str, str] = {}
    for col in kind.columns:
        for alias in col.all_aliases():
            index.setdefault(_alias_key(alias), col.name)
    return index


def match_header(kind: Kind, header: object) -> tuple[str | None, str | None]:
    """(canonical column, unit) for one header cell, or (None, unit) when it is not recognised."""
    base, unit = split_header(header)
    if not base:
        return None, unit
    return alias_index(kind).get(base), unit


def markdown(kind: Kind) -> str:
    """The README table for one kind, generated from this schema."""
    lines = [
        f"#### `{kind.name}` — {kind.zh} / {kind.en}",
        "",
        "| column | 中文表头 | required | type | also accepted headers |",
        "|---|---|---|---|---|",
    ]
    for c in kind.columns:
        aliases = ", ".join(a for a in (c.en, *c.aliases) if a != c.name)
        note = f" — {c.description}" if c.description else ""
        lines.append(f"| `{c.name}` | {c.zh} | {'yes' if c.required else 'no'} | {c.type} | {aliases}{note} |")
    return "\n".join(lines)


def markdown_all() -> str:
    parts = [markdown(k) for k in KINDS.values()]
    types = ["| type | accepted values |", "|---|---|"] + [f"| {t} | {d} |" for t, d in TYPES.items()]
    return "\n\n".join([*parts, "\n".join(types)])
