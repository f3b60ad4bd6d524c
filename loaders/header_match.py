"""Finding a table's header in a grid: one to three levels of merged header cells matched to a kind's
columns (``loaders.headers`` holds the words), with the user's mapping where given."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from loaders import headers
from loaders.decoding import HEADER_SCAN_ROWS, _cell_text
from loaders.headers import HeaderMatch
from loaders.read_errors import ReadError
from loaders.row_kinds import _is_meta_row
from loaders.schema import Kind

# ---------------------------------------------------------------- header detection


class MappingError(ReadError):
    """A column mapping that cannot be applied: an unknown column, or two headers on one column."""


@dataclass(frozen=True)
class _Overrides:
    """A column mapping given by a person: header text → canonical column (None: not imported).

    A header of the file matches a key by its exact text, else with case, full-width forms and
    spaces ignored (so a mapping saved from one file applies to the next one's 死亡人数 (人))."""

    exact: dict[str, str | None]
    loose: dict[str, str | None]

    def lookup(self, header: str) -> tuple[bool, str | None]:
        if header in self.exact:
            return True, self.exact[header]
        key = _header_key(header)
        if key in self.loose:
            return True, self.loose[key]
        return False, None


def _header_key(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).lower().split())


def prepare_mapping(kind: Kind, mapping: dict[str, str | None] | None) -> _Overrides | None:
    """Check a column mapping against ``kind``'s schema: every value is one of its canonical
    columns or None. Raises :class:`MappingError` naming every bad entry."""
    if not mapping:
        return None
    names = [c.name for c in kind.columns]
    bad = [(k, v) for k, v in mapping.items() if not isinstance(k, str) or (v is not None and v not in names)]
    if bad:
        listed = ", ".join(f"'{k}' → '{v}'" for k, v in bad)
        raise MappingError(
            f"column mapping: {listed}: not a column of {kind.name} (expected one of {', '.join(names)}, "
            "or None for not imported)",
            zh=f"列映射：{'，'.join(f'“{k}”→“{v}”' for k, v in bad)} 不是{kind.zh}的列（应为 {'、'.join(names)} "
            "之一，或不导入）",
        )
    exact = {k: v for k, v in mapping.items()}
    loose: dict[str, str | None] = {}
    for k, v in mapping.items():
        loose.setdefault(_header_key(k), v)
    return _Overrides(exact, loose)


@dataclass(frozen=True)
class _Header:
    start: int  # 0-based index of the first header row
    depth: int  # 1, 2 or 3 rows
    names: tuple[str, ...]  # composed header text per column
    mapping: dict[int, tuple[str, str | None]]  # column index → (canonical, unit)
    # canonical column → the headers a column mapping put on it (more than one: refused)
    conflicts: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # what each non-blank header became and why, in file order
    matches: tuple[HeaderMatch, ...] = ()
    # canonical column → the column indices summed into it (a group header over a partition), and its group header
    sums: dict[str, tuple[tuple[int, ...], str]] = field(default_factory=dict)
    # canonical column → (group header, its sub-headers): a group that is no partition and has no total
    refused: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)
    region_context: int | None = None  # a less specific region column that the region column is read within

    def found(self) -> set[str]:
        return {canon for canon, _ in self.mapping.values()} | set(self.sums)


def _compose(rows: list[list[Any]], width: int) -> list[list[str]]:
    """Header rows as text, each row forward-filled across blanks to its right under a filled
    upper cell (an unmarked merge), so '一般隐患 | | ' over '排查数 | 整改数 | 整改率' composes."""
    texts = [[_cell_text(r[c]) if c < len(r) else "" for c in range(width)] for r in rows]
    for level in range(len(texts) - 1):
        row = texts[level]
        for c in range(1, width):
            if (
                not row[c]
                and row[c - 1]
                and any(texts[lv][c] for lv in range(level + 1, len(texts)))
                and (level == 0 or texts[level - 1][c] == texts[level - 1][c - 1])
            ):
                # Only carry a group title over columns that have a lower-level header of their own, and
                # never past the end of the group above it.
                row[c] = row[c - 1]
    return texts


def _levels(texts: list[list[str]], width: int) -> tuple[list[str], list[list[str]]]:
    """(composed name per column 'A / B / C', the levels of each column, a repeated level once)."""
    names: list[str] = []
    parts_of: list[list[str]] = []
    for c in range(width):
        parts: list[str] = []
        for level in texts:
            if level[c] and (not parts or parts[-1] != level[c]):
                parts.append(level[c])
        parts_of.append(parts)
        names.append(" / ".join(parts))
    return names, parts_of


def _groups(parts_of: list[list[str]]) -> list[tuple[list[str], list[int]]]:
    """Runs of adjacent columns under one group header: (the group's levels, its columns). A level that
    is only a unit (项, 人) is not a sub-column."""
    runs: list[tuple[list[str], list[int]]] = []
    prev: tuple[str, ...] | None = None
    for c, parts in enumerate(parts_of):
        eff = [p for p in parts if not headers.is_unit_level(p)]
        key = tuple(eff[:-1]) if len(eff) >= 2 else None
        if key is not None and key == prev:
            runs[-1][1].append(c)
        elif key is not None:
            runs.append((list(key), [c]))
        prev = key
    return [r for r in runs if len(r[1]) >= 2]


def _sub_label(parts: list[str]) -> str:
    return [p for p in parts if not headers.is_unit_level(p)][-1]


def _column_values(below: list[list[Any]], c: int) -> list[Any]:
    return [row[c] if c < len(row) else None for row in below]


def _match_columns(
    kind: Kind,
    texts: list[list[str]],
    width: int,
    overrides: _Overrides | None = None,
    below: list[list[Any]] | None = None,
) -> _Header:
    """The columns of one candidate header (start and depth 0: filled in by the caller). A header named
    in ``overrides`` takes the column given there (or none); the others are matched by name, alias or
    concept (:mod:`loaders.headers`), never to a column that the overrides gave to another header; a
    tie for one column is decided by the cells under the headers (``below``: the rows under them)."""
    below = below or []
    names, parts_of = _levels(texts, width)
    mapping: dict[int, tuple[str, str | None]] = {}
    report: dict[int, HeaderMatch] = {}
    explicit: dict[int, str | None] = {}
    groups = _groups(parts_of)
    group_explicit: dict[int, str] = {}  # index into groups → column named for the group header by the mapping
    if overrides is not None:
        for c, name in enumerate(names):
            if name:
                hit, canon = overrides.lookup(name)
                if hit:
                    explicit[c] = canon
        for g, (top, _cols) in enumerate(groups):
            hit, canon = overrides.lookup(" / ".join(top))
            if hit and canon is not None:
                group_explicit[g] = canon
    claimed: dict[str, list[int]] = {}
    for c, canon in explicit.items():
        if canon is None:
            report[c] = HeaderMatch(names[c], None, "mapping", 1.0)
            continue
        cols = claimed.setdefault(canon, [])
        if any(_header_key(names[c]) == _header_key(names[d]) for d in cols):
            continue  # the same header text again: the first such column, as without a mapping
        cols.append(c)
        if len(cols) == 1:
            mapping[c] = (canon, headers.header_key(parts_of[c])[1])
            report[c] = HeaderMatch(names[c], canon, "mapping", 1.0)
    conflicts = {canon: tuple(names[c] for c in cols) for canon, cols in claimed.items() if len(cols) > 1}
    used: set[str] = set(claimed) | set(group_explicit.values())
    # Automatic: the best candidate of each header; one header per column, ties decided by the values.
    cands = {c: headers.match_parts(kind, parts_of[c]) for c in range(width) if names[c] and c not in explicit}
    by_canon: dict[str, list[int]] = {}
    for c, cand in cands.items():
        if cand is not None and cand.column not in used:
            by_canon.setdefault(cand.column, []).append(c)
    for canon, cols in by_canon.items():
        winner, how, detail, extra = _pick(kind, canon, cols, cands, names, below)
        cand = cands[winner]
        mapping[winner] = (canon, cand.unit)
        report[winner] = HeaderMatch(names[winner], canon, how, cand.score, detail, extra)
        for c in cols:
            if c != winner:
                report[c] = HeaderMatch(names[c], None, "taken", cands[c].score, names[winner], canon)
        used.add(canon)
    sums: dict[str, tuple[tuple[int, ...], str]] = {}
    refused: dict[str, tuple[str, tuple[str, ...]]] = {}
    for g, (top, cols) in enumerate(groups):
        _group(kind, g, top, cols, group_explicit, names, parts_of, mapping, report, used, sums, refused)
    context = _region_context(mapping, cands, explicit, names, below, report)
    matches = tuple(report.get(c) or HeaderMatch(names[c], None, "unknown") for c in range(width) if names[c])
    return _Header(0, 0, tuple(names), dict(sorted(mapping.items())), conflicts, matches, sums, refused, context)


def _region_context(
    mapping: dict[int, tuple[str, str | None]],
    cands: dict,
    explicit: dict[int, str | None],
    names: list[str],
    below: list[list[Any]],
    report: dict[int, HeaderMatch],
) -> int | None:
    """A second region column less specific than the one read (所在市州 beside 所在区县): each row's region is
    read within it. Its index, or None."""
    region = next((c for c, (canon, _) in mapping.items() if canon == "region"), None)
    if region is None:
        return None
    level = headers.region_level(_column_values(below, region))
    others = [
        c
        for c, cand in cands.items()
        if cand is not None and cand.column == "region" and c not in mapping and c not in explicit
    ]
    levels = {c: headers.region_level(_column_values(below, c)) for c in others}
    fit = [c for c in others if 0 < levels[c] < level and headers.value_fit("region", _column_values(below, c)) == 1]
    if not fit:
        return None
    best = max(fit, key=lambda c: (levels[c], -c))
    report[best] = HeaderMatch(names[best], None, "context", cands[best].score, names[region])
    return best


def _pick(
    kind: Kind, canon: str, cols: list[int], cands: dict, names: list[str], below: list[list[Any]]
) -> tuple[int, str, str, str]:
    """(the column that wins ``canon``, how, why): the most specific region first, then the highest
    score, then the values that read as the column's type; the same header text twice: the first."""
    cand = cands[cols[0]]
    if len(cols) == 1 or len({_header_key(names[c]) for c in cols}) == 1:
        return cols[0], cand.how, cand.detail, ""
    col_type = kind.column(canon).type
    top = max(cands[c].score for c in cols)
    fit = {c: headers.value_fit(col_type, _column_values(below, c)) if cands[c].score == top else 0.0 for c in cols}
    spec = {c: 0.0 for c in cols}
    if col_type == "region":
        spec = {
            c: headers.region_level(_column_values(below, c))
            if headers.has_values(_column_values(below, c))
            else float(headers.header_region_level(names[c]))
            for c in cols
        }
    ranked = sorted(cols, key=lambda c: (-spec[c], -cands[c].score, -fit[c], c))
    win, second = ranked[0], ranked[1]
    cw = cands[win]
    basis = f"{cw.how} {cw.detail}".strip()
    if spec[win] > spec[second]:
        return win, "most specific", basis, ""
    if cw.score == cands[second].score and fit[win] > fit[second]:
        return win, "values", basis, f"{fit[win]:.0%}"
    return win, cw.how, cw.detail, ""


def _group(
    kind: Kind,
    g: int,
    top: list[str],
    cols: list[int],
    group_explicit: dict[int, str],
    names: list[str],
    parts_of: list[list[str]],
    mapping: dict[int, tuple[str, str | None]],
    report: dict[int, HeaderMatch],
    used: set[str],
    sums: dict,
    refused: dict,
) -> None:
    """A group header over several sub-columns whose own column (a measure) no header has: its 合计
    sub-column, or the sum of a partition, or refused. Updates the arguments."""
    title = " / ".join(top)
    if g in group_explicit:
        canon, score = group_explicit[g], 1.0
    else:
        cand = headers.match_parts(kind, top)
        if cand is None or cand.column in used:
            return
        canon, score = cand.column, cand.score
    if kind.column(canon).type not in ("count", "amount"):
        return
    labels = [_sub_label(parts_of[c]) for c in cols]
    unit = headers.header_key(top)[1]
    total = next((c for c, label in zip(cols, labels, strict=True) if headers.is_total_label(label)), None)
    if total is not None:
        if total in mapping:
            return
        mapping[total] = (canon, unit or headers.header_key(parts_of[total])[1])
        report[total] = HeaderMatch(names[total], canon, "group total", score, title)
        used.add(canon)
        return
    partition = headers.partition_of(labels)
    if partition is not None:
        sums[canon] = (tuple(cols), title)
        for c in cols:
            if c not in mapping:
                report[c] = HeaderMatch(names[c], canon, "group sum", score, title, partition)
        used.add(canon)
        return
    refused[canon] = (title, tuple(names[c] for c in cols))
    for c in cols:
        if c not in mapping:
            report[c] = HeaderMatch(names[c], None, "sub-column", 0.0, title, canon)


def find_header(kind: Kind, grid: list[list[Any]], overrides: _Overrides | None = None) -> _Header | None:
    """The header (1 to 3 rows deep) that recognises the most schema columns in the first rows.

    The header row is found automatically, and a column mapping (``overrides``) is then applied to
    the row found — so the row shown does not move while a person edits the mapping. Only when no
    row is recognised automatically do the headers the mapping names help find it."""
    header = _best_header(kind, grid, None)
    if overrides is None:
        return header
    if header is None:
        return _best_header(kind, grid, overrides)
    scan = grid[: HEADER_SCAN_ROWS + 2]
    width = max((len(r) for r in scan), default=0)
    texts = _compose(scan[header.start : header.start + header.depth], width)
    below = grid[header.start + header.depth : header.start + header.depth + VALUE_ROWS]
    found = _match_columns(kind, texts, width, overrides, below)
    return _Header(**{**found.__dict__, "start": header.start, "depth": header.depth})


VALUE_ROWS = 20  # rows under a candidate header whose cells decide a tie between two headers


def _merged_into(row: list[Any], other: list[Any] | None) -> bool:
    """Whether a cell of ``row`` is the same text as the one of ``other`` in its column: a vertical merge
    (or an unmarked one) goes on across the two rows."""
    if other is None:
        return False
    return any(_cell_text(v) and c < len(other) and _cell_text(v) == _cell_text(other[c]) for c, v in enumerate(row))


def _penalty(kind: Kind, header: _Header, below: list[list[Any]], grid: list[list[Any]]) -> int:
    """How much a candidate header looks cut short: a header text repeated in the next column (a merged
    group header whose sub-headers are in the row below), a header cell merged with the row above or
    below it, and a count column whose first cell below is text (a sub-header read as data)."""
    names = header.names
    top, bottom = header.start, header.start + header.depth - 1
    cut = _merged_into(grid[top], grid[top - 1] if top > 0 else None) + _merged_into(
        grid[bottom], grid[bottom + 1] if bottom + 1 < len(grid) else None
    )
    repeated = sum(1 for c in range(1, len(names)) if names[c] and names[c] == names[c - 1])
    if header.depth > 1 and len({n.split(" / ")[0] for n in names if n}) == 1:
        repeated += 1  # a title line (one cell, spread over the columns) stacked on the header
    text_under = 0
    first = below[0] if below else []
    for c, (canon, _) in header.mapping.items():
        if kind.column(canon).type in ("count", "amount") and c < len(first):
            cell = _cell_text(first[c])
            if cell and not re.search(r"\d", cell):
                text_under += 1
    named = [i for i, n in enumerate(names) if n]
    sub_header = bool(named) and any(
        not names[c] and (cell := _cell_text(first[c])) and not re.search(r"\d", cell)
        for c in range(named[0] + 1, min(named[-1], len(first)))
    )  # a sub-header under a group (no merge marks it)
    return repeated + text_under + cut + sub_header


def _best_header(kind: Kind, grid: list[list[Any]], overrides: _Overrides | None) -> _Header | None:
    best: _Header | None = None
    best_score: tuple[int, int, int, int] = (0, 0, 0, 0)
    scan = grid[: HEADER_SCAN_ROWS + 2]
    width = max((len(r) for r in scan), default=0)
    for start in range(min(HEADER_SCAN_ROWS, len(scan))):
        if not any(_cell_text(v) for v in scan[start]):
            continue
        for depth in (1, 2, 3):
            if start + depth > len(scan):
                break
            if any(_is_meta_row(r) for r in scan[start : start + depth - 1]):  # 项目名称：… 填报人：… is a
                break  # title line, never an upper header level
            texts = _compose(scan[start : start + depth], width)
            below = grid[start + depth : start + depth + VALUE_ROWS]
            found = _match_columns(kind, texts, width, overrides, below)
            header = _Header(**{**found.__dict__, "start": start, "depth": depth})
            canons = header.found() | set(header.refused)  # a refused group header is recognised all the same
            # Most columns recognised, then most required ones, then the header that does not look cut
            # short, then the shallowest header (a title row stacked on top of the real header must not
            # win a tie).
            score = (
                len(canons),
                sum(1 for c in canons if kind.column(c).required),
                -_penalty(kind, header, below, scan),
                -depth,
            )
            if best is None or score > best_score:
                best, best_score = header, score
    return best if best is not None and best.found() else None


def _missing_required_message(
    kind: Kind, found: set[str], where: str, extra_ok: set[str], where_zh: str | None = None
) -> ReadError | None:
    missing = [c for c in kind.required if c.name not in found and c.name not in extra_ok]
    if not missing:
        return None
    missing_names = tuple(c.name for c in missing)
    parts = [
        f"{c.zh} ({c.name}; accepted headers: {', '.join(dict.fromkeys((c.zh, c.en, *c.aliases)))})" for c in missing
    ]
    parts_zh = [
        f"{c.zh}（{c.name}；可识别的表头：{'、'.join(dict.fromkeys((c.zh, c.en, *c.aliases)))}）" for c in missing
    ]
    error = ReadError(
        f"{where}: required column missing: " + "; ".join(parts),
        zh=f"{where_zh or where}：缺少必填列：" + "；".join(parts_zh) + "（可在列映射中指定文件的哪一列是它）",
    )
    error.missing = missing_names
    return error


def _conflict_error(kind: Kind, header: _Header, where: str, where_zh: str) -> MappingError | None:
    if not header.conflicts:
        return None
    en = "; ".join(
        f"{' and '.join(repr(h) for h in hs)} are mapped to the same column {canon} ({kind.column(canon).zh})"
        for canon, hs in header.conflicts.items()
    )
    zh = "；".join(
        f"{'、'.join(f'“{h}”' for h in hs)}都映射到了 {kind.column(canon).zh}（{canon}）"
        for canon, hs in header.conflicts.items()
    )
    return MappingError(
        f"{where}: column mapping: {en}; map only one header to each column",
        zh=f"{where_zh}：列映射：{zh}；每一列只能对应一个表头",
    )
