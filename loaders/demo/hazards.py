"""Hidden-danger records (隐患台账): the enterprises that report them, found dates through the years, and
a closed-loop lifecycle per hazard (deadline, rectification, acceptance, status).

Every hazard is first drawn as codes (``HazardDraws``: small integers, days and amounts, about 40 bytes a
row), in chunks of ``CHUNK_ROWS`` rows in id order, each chunk from its own random stream. The records are
then made from the codes as Arrow tables (dictionary-encoded strings) in whichever order they are wanted:
id order for ``generate_demo``, stored order — by province, found date and id — for the store, so that
the store never sorts millions of rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd
import pyarrow as pa

from domain.regions import hierarchy_columns
from loaders.demo.columns import (
    Vocabulary,
    bool_column,
    date_column,
    flag_column,
    float_column,
    hex16,
    numbered_ids,
    string_column,
    vocabulary,
)
from loaders.demo.common import _EPOCH, START, WeightedChoice, _choice_by_code, _import_id
from loaders.demo.names import _credit_codes, _names, _unique_company_names
from loaders.demo.regions import (
    HAZARD_STATS_COUNTIES,
    PROVINCES,
    Geography,
    _pick_within,
    _province_industry,
    geography,
)
from loaders.demo.vocab import (
    _CAT_DEFAULT,
    _MAJOR_DEFAULT,
    CATEGORY_WEIGHTS,
    GENERAL_HAZARDS,
    HAZARD_CATEGORIES,
    IND,
    MAJOR_HAZARDS,
    ROADS,
    SOURCES,
    STATUSES,
    SUPERVISION,
)
from loaders.ids import combine_hashes

CHUNK_ROWS = 500_000  # hazards are generated (and written) in chunks of this many rows
# Share of hidden dangers by industry, and how much likelier than average a hazard of the industry is major.
HAZ_SHARE = dict(
    industry_trade=0.38,
    construction=0.15,
    chemicals=0.09,
    fire=0.07,
    urban_gas=0.05,
    special_equipment=0.05,
    road_transport=0.05,
    noncoal_mine=0.04,
    coal_mine=0.025,
    fireworks=0.02,
    waterway=0.01,
    fishing=0.01,
    other=0.055,
)
HAZ_MAJOR = dict(
    coal_mine=3,
    noncoal_mine=2.5,
    chemicals=2.5,
    fireworks=2.5,
    urban_gas=1.5,
    construction=1,
    fire=1,
    special_equipment=1,
    industry_trade=0.7,
    road_transport=0.8,
    waterway=1,
    fishing=1,
    other=0.5,
)


@dataclass(frozen=True)
class EnterprisePool:
    """The enterprises whose hidden dangers the ledger records."""

    leaf: np.ndarray
    industry: np.ndarray  # index into IND
    weight: np.ndarray
    name: np.ndarray
    credit_code: np.ndarray
    address: np.ndarray
    persons: np.ndarray  # (n, 2): safety manager, principal


def _enterprise_pool(seed: int, hazards: int, geo: Geography) -> EnterprisePool:
    rng = np.random.default_rng([seed, 4])
    n = int(np.clip(hazards // 7, 500, 400_000))
    econ = np.array([0.5 * PROVINCES[p][0] / 1409 + 0.5 * PROVINCES[p][1] / 126 for p in geo.provinces])
    eligible = ~np.isin(geo.codes, list(HAZARD_STATS_COUNTIES))
    county_weight = np.exp(rng.normal(0, 0.8, len(geo.codes))) * eligible
    prov = rng.choice(len(econ), n, p=econ / econ.sum())
    leaf = _pick_within(rng, prov, county_weight, geo.province)
    haz_ind = tuple(HAZ_SHARE)
    f = _province_industry(geo.provinces, haz_ind, econ)
    p_ind = f[prov] * np.array([HAZ_SHARE[i] for i in haz_ind])
    cum = np.cumsum(p_ind / p_ind.sum(1, keepdims=True), axis=1)
    pick = np.minimum((cum < rng.random(n)[:, None]).sum(1), len(haz_ind) - 1)
    ind_code = np.array(haz_ind, dtype=object)[pick]
    industry = np.array([IND.index(i) for i in haz_ind])[pick]
    name = _unique_company_names(rng, geo.prefix[leaf], ind_code)
    address = (
        geo.place[leaf]
        + np.array(ROADS, dtype=object)[rng.integers(0, len(ROADS), n)]
        + rng.integers(1, 999, n).astype(str).astype(object)
        + "号"
    )
    persons = _names(rng, 2 * n).reshape(n, 2)
    return EnterprisePool(
        leaf=leaf,
        industry=industry,
        weight=np.exp(rng.normal(0, 1.0, n)),
        name=name,
        credit_code=_credit_codes(rng, geo.codes[leaf]).astype(object),
        address=address,
        persons=persons,
    )


def _found_days(seed: int, hazards: int, today: dt.date) -> np.ndarray:
    """Found dates (days since 1970, sorted) of all hazards: more each year, fewer at weekends and in
    the Spring Festival month, more during the spring and autumn campaigns."""
    rng = np.random.default_rng([seed, 5])
    days = np.arange(np.datetime64(START), np.datetime64(today) + 1)
    ts = pd.DatetimeIndex(days)
    by_year = {2019: 0.75, 2020: 0.7, 2021: 0.85, 2022: 1.0, 2023: 1.1, 2024: 1.2}
    year_f = np.array([by_year.get(y, 1.25) for y in ts.year])
    month_f = np.array([0.9, 0.5, 1.1, 1.1, 1.1, 1.1, 0.95, 0.95, 1.1, 1.1, 1.1, 0.95])[ts.month - 1]
    week_f = np.array([1, 1, 1, 1, 1, 0.35, 0.25])[ts.day_of_week]
    w = year_f * month_f * week_f
    counts = rng.multinomial(hazards, w / w.sum())
    return np.repeat((days - _EPOCH).astype(np.int64), counts)


def _lifecycle(rng: np.random.Generator, found: np.ndarray, major: np.ndarray, today: int) -> dict[str, np.ndarray]:
    """Deadline, rectification and acceptance days and the status, consistent with one another and
    with ``today``: found ≤ deadline, found ≤ rectified ≤ accepted ≤ today."""
    n = len(found)
    none = np.full(n, -1, dtype=np.int64)
    allowed = np.where(major, rng.integers(30, 181, n), rng.integers(3, 31, n))
    deadline = found + allowed
    on_time = rng.random(n) < np.where(major, 0.82, 0.88)
    immediate = ~major & (rng.random(n) < 0.35)
    took = np.where(
        on_time,
        np.floor(allowed * rng.beta(np.where(major, 2, 1.3), 1.6, n)),
        allowed + 1 + np.floor(rng.exponential(np.where(major, 45, 12), n)),
    )
    took = np.where(immediate, 0, took).astype(np.int64)
    stuck = rng.random(n) < np.where(major, 0.02, 0.003)  # never rectified: long overdue
    rectified = np.where(~stuck & (found + took <= today), found + took, none)
    lag = np.where(
        major, 7 + np.floor(rng.exponential(20, n)), np.where(rng.random(n) < 0.6, 0, np.ceil(rng.exponential(4, n)))
    ).astype(np.int64)
    first_check = rectified + lag
    done = rectified >= 0
    never_checked = rng.random(n) < np.where(major, 0.01, 0.004)
    failed = done & ~never_checked & (rng.random(n) < np.where(major, 0.08, 0.04)) & (first_check <= today)
    gave_up = failed & (rng.random(n) < 0.05)  # failed and not yet redone however long ago
    redo = first_check + 7 + np.floor(rng.exponential(25, n)).astype(np.int64)
    second_check = redo + np.ceil(rng.exponential(5, n)).astype(np.int64)
    accepted = np.where(done & ~never_checked & ~failed & (first_check <= today), first_check, none)
    closed_after_redo = failed & ~gave_up & (second_check <= today)
    awaiting_after_redo = failed & ~gave_up & (redo <= today) & ~closed_after_redo
    accepted = np.where(closed_after_redo, second_check, accepted)
    rectified = np.where(closed_after_redo | awaiting_after_redo, redo, rectified)
    still_failed = failed & ~closed_after_redo & ~awaiting_after_redo
    status = np.where(accepted >= 0, 3, np.where(still_failed, 4, np.where(rectified >= 0, 2, 1)))
    just_found = (status == 1) & (found >= today - 4) & (rng.random(n) < 0.6)
    status[just_found] = 0
    deadline[just_found] = -1
    return dict(deadline=deadline, rectified=rectified, accepted=accepted, status=status)


# The descriptions of hazards, general ones by category and major ones by industry, as one vocabulary.
DESCRIPTIONS: tuple[str, ...] = tuple(
    dict.fromkeys(
        [d for c in HAZARD_CATEGORIES for d in GENERAL_HAZARDS[c]]
        + [d for _, ds in MAJOR_HAZARDS.values() for d in ds]
        + list(_MAJOR_DEFAULT[1])
    )
)
_WIDEST = max(len(ds) for ds in [*GENERAL_HAZARDS.values(), *(v[1] for v in MAJOR_HAZARDS.values())])


def _lookup(options: list[tuple[str, ...]]) -> np.ndarray:
    out = np.zeros((len(options), _WIDEST), dtype=np.int16)
    for i, ds in enumerate(options):
        out[i, : len(ds)] = [DESCRIPTIONS.index(d) for d in ds]
    return out


_GENERAL_DESC = _lookup([GENERAL_HAZARDS[c] for c in HAZARD_CATEGORIES])  # (category, draw) → description
_MAJOR_DESC = _lookup([MAJOR_HAZARDS.get(i, _MAJOR_DEFAULT)[1] for i in IND])  # (industry, draw) → description
_MAJOR_CATEGORY = np.array([HAZARD_CATEGORIES.index(MAJOR_HAZARDS.get(i, _MAJOR_DEFAULT)[0]) for i in IND])
_MAJOR_FACTOR = np.array([HAZ_MAJOR.get(i, 1.0) for i in IND])
_CATEGORY_TABLE = {i: dict(enumerate(w)) for i, w in CATEGORY_WEIGHTS.items()}
_MAJOR_TABLE = {k: v[1] for k, v in MAJOR_HAZARDS.items()}
FLAGS = (
    ("measures_in_place", 0.9),
    ("funds_in_place", 0.88),
    ("deadline_in_place", 0.93),
    ("person_in_place", 0.95),
    ("plan_in_place", 0.85),
)


@dataclass(frozen=True)
class HazardDraws:
    """Every hazard as codes, in id order (the i-th row is hazard ``DEMO-H-…i+1``)."""

    enterprise: np.ndarray  # int32, index into the enterprise pool
    found: np.ndarray  # int32 days since 1970, non-decreasing
    deadline: np.ndarray  # int32 days, -1: none
    rectified: np.ndarray
    accepted: np.ndarray
    status: np.ndarray  # int8, index into STATUSES
    major: np.ndarray  # bool
    category: np.ndarray  # int8, index into HAZARD_CATEGORIES
    description: np.ndarray  # int16, index into DESCRIPTIONS
    source: np.ndarray  # int8, index into SOURCES
    funds: np.ndarray  # float64 万元
    supervision: np.ndarray  # int8, index into SUPERVISION
    flags: np.ndarray  # (len(FLAGS), n) int8: -1 none (general hazards), 0 no, 1 yes


def _draw_chunk(
    seed: int, chunk: int, found: np.ndarray, pool: EnterprisePool, enterprise: WeightedChoice, today: int
) -> dict[str, np.ndarray]:
    """The codes of one chunk of hazards, from the chunk's own random stream."""
    rng = np.random.default_rng([seed, 6, chunk])
    n = len(found)
    ent = enterprise(rng, n)  # rng.choice(len(pool.weight), n, p=pool.weight / pool.weight.sum())
    ind = pool.industry[ent]
    factor = _MAJOR_FACTOR[ind]
    major = rng.random(n) < 0.01 * factor / np.mean(factor)
    life = _lifecycle(rng, found, major, today)
    category = _choice_by_code(rng, ind, IND, _CATEGORY_TABLE, dict(enumerate(_CAT_DEFAULT)))
    description = _GENERAL_DESC[category, _choice_by_code(rng, category, HAZARD_CATEGORIES, GENERAL_HAZARDS)]
    m = np.flatnonzero(major)
    category[m] = _MAJOR_CATEGORY[ind[m]]
    description[m] = _MAJOR_DESC[ind[m], _choice_by_code(rng, ind[m], IND, _MAJOR_TABLE, _MAJOR_DEFAULT[1])]
    source = np.where(major, rng.choice(4, n, p=[0.25, 0.45, 0.05, 0.25]), rng.choice(4, n, p=[0.62, 0.27, 0.03, 0.08]))
    funds = np.where(
        major,
        np.round(np.exp(rng.normal(np.log(25), 1.1, n)), 1),
        np.where(life["rectified"] == found, 0.0, np.round(np.exp(rng.normal(np.log(0.5), 1.0, n)), 2)),
    )
    supervision = np.where(major, rng.choice(4, n, p=[0.10, 0.45, 0.30, 0.15]), 0)
    closed = life["status"] == 3
    flags = np.empty((len(FLAGS), n), dtype=np.int8)
    for k, (_, p) in enumerate(FLAGS):
        flag = rng.random(n) < np.where(closed, (1 + p) / 2, p)
        flags[k] = np.where(major, flag, -1)
    return dict(
        enterprise=ent,
        deadline=life["deadline"],
        rectified=life["rectified"],
        accepted=life["accepted"],
        status=life["status"],
        major=major,
        category=category,
        description=description,
        source=source,
        funds=funds,
        supervision=supervision,
        flags=flags,
    )


def _hazard_draws(seed: int, hazards: int, today: dt.date, pool: EnterprisePool) -> HazardDraws:
    found = _found_days(seed, hazards, today)
    today_days = int((np.datetime64(today) - _EPOCH).astype(np.int64))
    dtypes = dict(
        enterprise=np.int32,
        deadline=np.int32,
        rectified=np.int32,
        accepted=np.int32,
        status=np.int8,
        major=bool,
        category=np.int8,
        description=np.int16,
        source=np.int8,
        funds=np.float64,
        supervision=np.int8,
    )
    out: dict[str, np.ndarray] = {k: np.empty(hazards, dtype=t) for k, t in dtypes.items()}
    out["flags"] = np.empty((len(FLAGS), hazards), dtype=np.int8)
    enterprise = WeightedChoice(pool.weight / pool.weight.sum())
    for chunk, start in enumerate(range(0, hazards, CHUNK_ROWS)):
        part = _draw_chunk(seed, chunk, found[start : start + CHUNK_ROWS], pool, enterprise, today_days)
        for k, v in part.items():
            out[k][..., start : start + v.shape[-1]] = v
    return HazardDraws(found=found.astype(np.int32), **out)


class HazardLedger:
    """The hazards of one demo: their codes, and their records made from them as Arrow tables."""

    def __init__(self, seed: int, hazards: int, today: dt.date) -> None:
        self.geo = geography()
        self.pool = _enterprise_pool(seed, hazards, self.geo)
        self.draws = _hazard_draws(seed, hazards, today, self.pool)
        self.n = hazards
        self.id_width = max(7, len(str(hazards)))
        self.import_id = _import_id(seed, "hazards")

    @cached_property
    def _leaf_columns(self) -> list[tuple[str, Vocabulary, np.ndarray]]:
        """region_code and its hierarchy columns: (column, vocabulary, the code of each leaf)."""
        table = hierarchy_columns(pd.Series(self.geo.codes, dtype="string"))
        table.insert(0, "region_code", pd.array(self.geo.codes, dtype="string"))
        out = []
        for col in table.columns:
            vocab, codes = vocabulary(table[col].to_numpy(dtype=object, na_value=None))
            out.append((col, vocab, codes))
        return out

    @cached_property
    def _pool_columns(self) -> dict[str, tuple[Vocabulary, np.ndarray]]:
        """The enterprises' columns: (vocabulary, the code of each enterprise, or of each (enterprise, major)
        for the responsible person)."""
        return {
            "enterprise": vocabulary(self.pool.name),
            "credit_code": vocabulary(self.pool.credit_code),
            "address": vocabulary(self.pool.address),
            "responsible_person": vocabulary(self.pool.persons.ravel()),
        }

    @cached_property
    def _vocabularies(self) -> dict[str, Vocabulary]:
        return {
            "industry": Vocabulary(IND),
            "description": Vocabulary(DESCRIPTIONS),
            "category": Vocabulary(HAZARD_CATEGORIES),
            "grade": Vocabulary(("general", "major")),
            "source": Vocabulary(SOURCES),
            "status": Vocabulary(tuple(STATUSES)),
            "supervision_level": Vocabulary(SUPERVISION),
            "import_id": Vocabulary((self.import_id,)),
        }

    def stored_order(self) -> np.ndarray:
        """The rows (id order) in the store's order: by province code, found date and id."""
        province = next(codes for col, _, codes in self._leaf_columns if col == "province_code")
        names = next(v.values for col, v, _ in self._leaf_columns if col == "province_code")
        rank = np.argsort(np.argsort(np.array(names, dtype=object)))  # province code → its place in code order
        key = rank[province].astype(np.int8)[self.pool.leaf][self.draws.enterprise]  # each hazard's, as int8
        return np.argsort(key, kind="stable")  # ids rise with found dates: stable keeps (found, id) order

    def batch_rows(self, stored: bool) -> Iterator[np.ndarray]:
        """The rows (id order positions), ``CHUNK_ROWS`` at a time: in stored order or in id order."""
        order = self.stored_order() if stored else np.arange(self.n)
        for start in range(0, self.n, CHUNK_ROWS):
            yield order[start : start + CHUNK_ROWS]

    def batches(self, stored: bool) -> Iterator[pa.Table]:
        """The records, ``CHUNK_ROWS`` at a time: in stored order or in id order."""
        for rows in self.batch_rows(stored):
            yield self.table(rows)

    def table(self, rows: np.ndarray) -> pa.Table:
        """The records of these rows (id order positions), with their row hash and provenance."""
        d = self.draws
        ent = d.enterprise[rows]
        major = d.major[rows]
        leaf = self.pool.leaf[ent]
        voc = self._vocabularies
        pool = self._pool_columns
        ids = numbered_ids("DEMO-H-", rows + 1, self.id_width)
        cols: list[tuple[str, pa.Array, np.ndarray]] = [("hazard_id", ids, string_column(ids))]
        cols += [(c, *pool[c][0].column(pool[c][1][ent])) for c in ("enterprise", "credit_code")]
        cols += [(c, *v.column(codes[leaf])) for c, v, codes in self._leaf_columns]
        cols.append(("industry", *voc["industry"].column(self.pool.industry[ent])))
        cols.append(("address", *pool["address"][0].column(pool["address"][1][ent])))
        for c, values in (("description", d.description), ("category", d.category)):
            cols.append((c, *voc[c].column(values[rows])))
        cols.append(("grade", *voc["grade"].column(major.astype(np.int8))))
        cols.append(("source", *voc["source"].column(d.source[rows])))
        for c, days in (
            ("found_date", d.found),
            ("deadline", d.deadline),
            ("rectified_date", d.rectified),
            ("accepted_date", d.accepted),
        ):
            cols.append((c, *date_column(days[rows])))
        cols.append(("status", *voc["status"].column(d.status[rows])))
        cols.append(("status_derived", *bool_column(np.zeros(len(rows), dtype=bool))))
        cols.append(("funds_wan", *float_column(d.funds[rows])))
        person_vocab, person_codes = pool["responsible_person"]
        cols.append(("responsible_person", *person_vocab.column(person_codes[ent * 2 + major])))
        cols.append(("supervision_level", *voc["supervision_level"].column(d.supervision[rows])))
        for k, (c, _) in enumerate(FLAGS):
            cols.append((c, *flag_column(d.flags[k, rows])))
        row_hash = hex16(combine_hashes([h for _, _, h in cols], len(rows)))
        names = [c for c, _, _ in cols] + ["row_hash", "import_id", "source_row"]
        arrays = [a for _, a, _ in cols] + [
            row_hash,
            voc["import_id"].column(np.zeros(len(rows), np.int8))[0],
            pa.nulls(len(rows), pa.int32()),
        ]
        return pa.Table.from_arrays(arrays, names=names)
