"""One declaration per column (domain.columns): the store's tables, the contracts and the labels are made from it."""

from __future__ import annotations

from pathlib import Path

import pytest

from domain.columns import KINDS, PROVENANCE, label
from store import open_store
from store.contracts import contract


def test_a_fresh_store_has_exactly_the_declared_columns_and_types(tmp_path: Path) -> None:
    store = open_store(tmp_path / "fresh.duckdb")
    for kind in KINDS.values():
        found = store.query(
            "SELECT column_name, data_type, is_nullable FROM information_schema.columns "
            "WHERE table_name = ? ORDER BY ordinal_position",
            [kind.table],
        )
        declared = [
            (c.name, c.sql_type, "NO" if c.not_null or c.name == kind.id_column else "YES") for c in kind.table_columns
        ]
        assert list(found.itertuples(index=False, name=None)) == declared, kind.name


def test_every_contract_column_is_a_declared_stored_column() -> None:
    for kind in KINDS.values():
        stored = {c.name for c in kind.table_columns}
        assert set(contract(kind.name).columns) <= stored, kind.name
        assert kind.id_column in contract(kind.name).columns


def test_every_input_column_but_a_rate_or_the_region_is_stored() -> None:
    for kind in KINDS.values():
        stored = {c.name for c in kind.table_columns}
        assert {c.name for c in kind.columns if c.type not in ("rate", "region")} <= stored, kind.name


@pytest.mark.parametrize(
    ("column", "kind", "zh", "en"),
    [
        # the bureau's own word, on every page (it was 责任人 on the Explorer and the hazards page)
        ("responsible_person", None, "整改责任人", "Responsible person"),
        ("responsible_person", "hazards", "整改责任人", "Responsible person"),
        ("region_code", None, "地区", "Region"),
        ("industry", None, "行业领域", "Industry"),
        ("deaths", None, "死亡人数", "Deaths"),
        ("direct_loss_wan", "accidents", "直接经济损失（万元）", "Direct economic loss (10k yuan)"),
        ("funds_wan", "hazards", "整改资金（万元）", "Funds (10k yuan)"),
        ("enterprise", "accidents", "事故单位", "Enterprise"),
        ("enterprise", "hazards", "企业名称", "Enterprise"),
        ("grade", "accidents", "事故等级", "Grade"),
        ("grade", "hazards", "隐患级别", "Grade"),
        ("grade_reported", "accidents", "上报等级", "Grade as reported"),
        ("status", "hazards", "整改状态", "Status"),
        ("found_date", "hazards", "发现日期", "Found date"),
        ("row_hash", "hazard_stats", "内容校验值", "Row hash"),  # a table's name does as well as the kind's
        ("import_id", None, "导入批次", "Import"),
    ],
)
def test_label(column: str, kind: str | None, zh: str, en: str) -> None:
    assert label(column, "zh", kind) == zh
    assert label(column, "en", kind) == en


def test_a_label_that_differs_by_kind_needs_the_kind() -> None:
    with pytest.raises(ValueError, match="name the kind"):
        label("enterprise", "zh")
    with pytest.raises(KeyError):
        label("no_such_column", "zh")
    with pytest.raises(KeyError):
        label("deaths", "zh", "no-such-kind")


def test_provenance_is_last_in_every_fact_table() -> None:
    for kind in KINDS.values():
        assert kind.table_columns[-len(PROVENANCE) :] == PROVENANCE


def test_rows_read_back_are_checked_on_a_sample_against_the_rules_of_their_columns() -> None:
    import pandas as pd

    from store.contracts import check_sample

    frame = pd.DataFrame(
        {"hazard_id": ["H1", "H2"], "status": ["found", "closed"], "grade": ["major", "general"], "whatever": [1, 2]}
    )
    check_sample("hazards", frame)  # only the columns it has; others are not asked for
    with pytest.raises(ValueError, match=r"hazards rows read from the store break the contract: status: isin.*'open'"):
        check_sample("hazards", frame.assign(status=["found", "open"]))
