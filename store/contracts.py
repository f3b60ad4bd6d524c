"""pandera contracts of the frames that enter the store: a bad frame fails at the boundary,
naming the column, the value and the rule, before anything is written.

Normalisation already rejects bad rows with messages for people; these contracts are the store's
own guard against a bug upstream (a loader or the demo generator writing a code the pages would not
understand).
"""

from __future__ import annotations

from functools import cache

import pandas as pd
import pandera.pandas as pa

from domain.columns import KINDS, PRESENT, Column, Kind, vocabulary


def _checks(rule: tuple) -> list[pa.Check]:
    """The pandera check of a declared rule (domain.columns.TYPE_CHECKS)."""
    if not rule or rule == PRESENT:
        return []
    op, arg = rule
    if op == "isin":
        return [pa.Check.isin(vocabulary(arg))]
    if op == "in_range":
        return [pa.Check.in_range(*arg)]
    if op == "str_length":  # exactly
        return [pa.Check.str_length(arg, arg)]
    return [getattr(pa.Check, op)(arg)]  # ge, str_matches


def _column(c: Column, kind: Kind) -> pa.Column:
    return pa.Column(None, _checks(c.rule), nullable=not (c.not_null or c.name == kind.id_column), coerce=False)


@cache
def contract(kind: str) -> pa.DataFrameSchema:
    """The contract of the frame for one input kind's table: every stored column that has a rule in
    :mod:`domain.columns`, empty or not as the table's NOT NULL says, the id unique."""
    if kind not in KINDS:
        raise ValueError(
            f"unknown kind '{kind}' (expected accidents, hazards, accident-stats, hazard-stats or targets)"
        )
    k = KINDS[kind]
    cols = {c.name: _column(c, k) for c in k.table_columns if c.rule}
    return pa.DataFrameSchema(cols, unique=[k.id_column], strict=False, name=kind)


def check_frame(kind: str, frame: pd.DataFrame) -> None:
    """Raise ValueError naming each failing column, rule and value (first few) if ``frame`` breaks
    the contract of ``kind``."""
    try:
        contract(kind).validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases.head(10)
        lines = [f"{r['column']}: {r['check']} failed for {r['failure_case']!r}" for _, r in cases.iterrows()]
        raise ValueError(f"{kind} frame breaks the store contract: " + "; ".join(lines)) from None


@cache
def _part(kind: str, columns: tuple[str, ...]) -> pa.DataFrameSchema:
    full = contract(kind)
    return pa.DataFrameSchema(
        {c: full.columns[c] for c in columns if c in full.columns}, strict=False, name=f"{kind} (as read)"
    )


def check_sample(kind: str, frame: pd.DataFrame, rows: int = 200) -> None:
    """Check the first ``rows`` of a frame the store hands on (a few columns of a table, read back) against
    the contract's rules of the columns it has: cheap at any size, and a bad store still fails loudly."""
    try:
        _part(kind, tuple(frame.columns)).validate(frame.head(rows), lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases.head(10)
        lines = [f"{r['column']}: {r['check']} failed for {r['failure_case']!r}" for _, r in cases.iterrows()]
        raise ValueError(f"{kind} rows read from the store break the contract: " + "; ".join(lines)) from None
