"""A loss column whose header gives no unit (issue 14, point 9): 15,000,000 in a ledger is 元 — 1,500万元 — not
1,500亿元 and 特别重大; the unit is inferred from the figures, and the report says what it did."""

from __future__ import annotations

from pathlib import Path

import pytest

from loaders.importer import import_file
from store import open_store

HEAD = "发生时间,地区,行业领域,死亡人数,直接经济损失"


@pytest.mark.parametrize(
    ("cells", "stored", "grades", "note"),
    [
        # bare figures of a typical 元 size: 元 (a cell with its own unit keeps it)
        (
            ("15000000", "300000", "50万元"),
            [1500.0, 30.0, 50.0],
            ["larger", "general", "general"],  # 1,500万元: 较大
            "are 元, not 万元: converted to 万元",
        ),
        # figures of a typical 万元 size: 万元, and the one of 1亿元 or more is named for a check
        (
            ("150", "30", "15000"),
            [150.0, 30.0, 15000.0],
            ["general", "general", "extraordinary"],
            "read as 万元; rows 4 have 1亿元 or more",
        ),
        (("150", "30", "80"), [150.0, 30.0, 80.0], ["general"] * 3, None),  # nothing to say
    ],
)
def test_a_loss_without_a_unit(
    tmp_path: Path, cells: tuple[str, ...], stored: list[float], grades: list[str], note: str | None
) -> None:
    f = tmp_path / "ledger.csv"
    f.write_text(
        HEAD + "\n" + "".join(f"2024-03-0{i + 1},长沙市,建筑施工,1,{c}\n" for i, c in enumerate(cells)),
        encoding="utf-8",
    )
    store = open_store(tmp_path / "s.duckdb")
    result = import_file(store, f, "accidents")
    assert (result.new, result.rejected) == (3, 0)
    got = store.query("SELECT direct_loss_wan, grade FROM accidents ORDER BY occurred_at")
    assert got["direct_loss_wan"].tolist() == stored and got["grade"].tolist() == grades
    said = [n for n in result.notes if n.startswith("直接经济损失: no unit")]
    assert (said[0] if said else None) is None if note is None else note in said[0]


def test_a_unit_in_the_header_decides(tmp_path: Path) -> None:
    f = tmp_path / "ledger.csv"
    f.write_text(
        "发生时间,地区,行业领域,死亡人数,直接经济损失（万元）\n2024-03-01,长沙市,建筑施工,1,15000000\n",
        encoding="utf-8",
    )
    store = open_store(tmp_path / "s.duckdb")
    result = import_file(store, f, "accidents")
    assert store.scalar("SELECT direct_loss_wan FROM accidents") == 15_000_000  # as the header says
    assert not any("no unit" in n for n in result.notes)
