"""Hidden-danger records (隐患台账): the enterprises that report them, found dates through the years, and
a closed-loop lifecycle per hazard (deadline, rectification, acceptance, status), made in chunks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd

from loaders.demo.common import (
    _EPOCH,
    START,
    _choice_by_group,
    _days_to_dates,
    _hierarchy,
    _ids,
    _import_id,
    _str,
    _with_provenance,
)
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

CHUNK_ROWS = 500_000  # hazards are generated (and written) in chunks of this many rows
# Share of hidden dangers by industry, and how much likelier than average a hazard of the industry is major.
HAZ_SHARE = dict(industry_trade=.38, construction=.15, chemicals=.09, fire=.07, urban_gas=.05,
                 special_equipment=.05, road_transport=.05, noncoal_mine=.04, coal_mine=.025, fireworks=.02,
                 waterway=.01, fishing=.01, other=.055)
HAZ_MAJOR = dict(coal_mine=3, noncoal_mine=2.5, chemicals=2.5, fireworks=2.5, urban_gas=1.5, construction=1,
                 fire=1, special_equipment=1, industry_trade=.7, road_transport=.8, waterway=1, fishing=1,
                 other=.5)


@dataclass(frozen=True)
class EnterprisePool:
    """The enterprises whose hidden dangers the ledger records."""

    leaf: np.ndarray
    industry: np.ndarray  # index into IND
    weight: np.ndarray
    name: pd.api.extensions.ExtensionArray
    credit_code: pd.api.extensions.ExtensionArray
    address: pd.api.extensions.ExtensionArray
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
    address = (geo.place[leaf] + np.array(ROADS, dtype=object)[rng.integers(0, len(ROADS), n)]
               + rng.integers(1, 999, n).astype(str).astype(object) + "号")
    persons = _names(rng, 2 * n).reshape(n, 2)
    return EnterprisePool(leaf=leaf, industry=industry, weight=np.exp(rng.normal(0, 1.0, n)),
                          name=_str(name), credit_code=_str(_credit_codes(rng, geo.codes[leaf])),
                          address=_str(address), persons=persons)


def _found_days(seed: int, hazards: int, today: dt.date) -> np.ndarray:
    """Found dates (days since 1970, sorted) of all hazards: more each year, fewer at weekends and in
    the Spring Festival month, more during the spring and autumn campaigns."""
    rng = np.random.default_rng([seed, 5])
    days = np.arange(np.datetime64(START), np.datetime64(today) + 1)
    ts = pd.DatetimeIndex(days)
    by_year = {2019: .75, 2020: .7, 2021: .85, 2022: 1.0, 2023: 1.1, 2024: 1.2}
    year_f = np.array([by_year.get(y, 1.25) for y in ts.year])
    month_f = np.array([.9, .5, 1.1, 1.1, 1.1, 1.1, .95, .95, 1.1, 1.1, 1.1, .95])[ts.month - 1]
    week_f = np.array([1, 1, 1, 1, 1, .35, .25])[ts.day_of_week]
    w = year_f * month_f * week_f
    counts = rng.multinomial(hazards, w / w.sum())
    return np.repeat((days - _EPOCH).astype(np.int64), counts)


def _lifecycle(rng: np.random.Generator, found: np.ndarray, major: np.ndarray,
               today: int) -> dict[str, np.ndarray]:
    """Deadline, rectification and acceptance days and the status, consistent with one another and
    with ``today``: found ≤ deadline, found ≤ rectified ≤ accepted ≤ today."""
    n = len(found)
    none = np.full(n, -1, dtype=np.int64)
    allowed = np.where(major, rng.integers(30, 181, n), rng.integers(3, 31, n))
    deadline = found + allowed
    on_time = rng.random(n) < np.where(major, .82, .88)
    immediate = ~major & (rng.random(n) < .35)
    took = np.where(on_time, np.floor(allowed * rng.beta(np.where(major, 2, 1.3), 1.6, n)),
                    allowed + 1 + np.floor(rng.exponential(np.where(major, 45, 12), n)))
    took = np.where(immediate, 0, took).astype(np.int64)
    stuck = rng.random(n) < np.where(major, .02, .003)  # never rectified: long overdue
    rectified = np.where(~stuck & (found + took <= today), found + took, none)
    lag = np.where(major, 7 + np.floor(rng.exponential(20, n)),
                   np.where(rng.random(n) < .6, 0, np.ceil(rng.exponential(4, n)))).astype(np.int64)
    first_check = rectified + lag
    done = rectified >= 0
    never_checked = rng.random(n) < np.where(major, .01, .004)
    failed = done & ~never_checked & (rng.random(n) < np.where(major, .08, .04)) & (first_check <= today)
    gave_up = failed & (rng.random(n) < .05)  # failed and not yet redone however long ago
    redo = first_check + 7 + np.floor(rng.exponential(25, n)).astype(np.int64)
    second_check = redo + np.ceil(rng.exponential(5, n)).astype(np.int64)
    accepted = np.where(done & ~never_checked & ~failed & (first_check <= today), first_check, none)
    closed_after_redo = failed & ~gave_up & (second_check <= today)
    awaiting_after_redo = failed & ~gave_up & (redo <= today) & ~closed_after_redo
    accepted = np.where(closed_after_redo, second_check, accepted)
    rectified = np.where(closed_after_redo | awaiting_after_redo, redo, rectified)
    still_failed = failed & ~closed_after_redo & ~awaiting_after_redo
    status = np.where(accepted >= 0, 3, np.where(still_failed, 4, np.where(rectified >= 0, 2, 1)))
    just_found = (status == 1) & (found >= today - 4) & (rng.random(n) < .6)
    status[just_found] = 0
    deadline[just_found] = -1
    return dict(deadline=deadline, rectified=rectified, accepted=accepted, status=status)


def _hazard_chunk(seed: int, chunk: int, first_id: int, found: np.ndarray, pool: EnterprisePool,
                  geo: Geography, today: dt.date, id_width: int) -> pd.DataFrame:
    rng = np.random.default_rng([seed, 6, chunk])
    n = len(found)
    ent = rng.choice(len(pool.weight), n, p=pool.weight / pool.weight.sum())
    ind = pool.industry[ent]
    ind_code = np.array(IND, dtype=object)[ind]
    factor = np.array([HAZ_MAJOR.get(i, 1.0) for i in IND])[ind]
    major = rng.random(n) < 0.01 * factor / np.mean(factor)
    life = _lifecycle(rng, found, major, int((np.datetime64(today) - _EPOCH).astype(np.int64)))
    cat_idx = _choice_by_group(rng, ind_code, {i: dict(enumerate(w)) for i, w in CATEGORY_WEIGHTS.items()}, n,
                               dict(enumerate(_CAT_DEFAULT))).astype(np.int64)
    category = np.array(HAZARD_CATEGORIES, dtype=object)[cat_idx]
    description = _choice_by_group(rng, category, GENERAL_HAZARDS, n)
    m = np.flatnonzero(major)
    category[m] = [MAJOR_HAZARDS.get(i, _MAJOR_DEFAULT)[0] for i in ind_code[m]]
    description[m] = _choice_by_group(rng, ind_code[m], {k: v[1] for k, v in MAJOR_HAZARDS.items()}, len(m),
                                      _MAJOR_DEFAULT[1])
    source = np.where(major, rng.choice(4, n, p=[.25, .45, .05, .25]), rng.choice(4, n, p=[.62, .27, .03, .08]))
    funds = np.where(major, np.round(np.exp(rng.normal(np.log(25), 1.1, n)), 1),
                     np.where(life["rectified"] == found, 0.0, np.round(np.exp(rng.normal(np.log(.5), 1.0, n)), 2)))
    supervision = np.where(major, rng.choice(4, n, p=[.10, .45, .30, .15]), 0)
    leaf = pool.leaf[ent]
    frame = pd.DataFrame({
        "hazard_id": _ids("DEMO-H-", first_id, n, id_width),
        "enterprise": pool.name.take(ent),
        "credit_code": pool.credit_code.take(ent),
        "region_code": _str(geo.codes[leaf]),
    })
    frame = pd.concat([frame, _hierarchy(geo.codes[leaf])], axis=1)
    frame["industry"] = _str(ind_code)
    frame["address"] = pool.address.take(ent)
    frame["description"] = _str(description)
    frame["category"] = _str(category)
    frame["grade"] = _str(np.where(major, "major", "general"))
    frame["source"] = _str(np.array(SOURCES, dtype=object)[source])
    frame["found_date"] = _days_to_dates(found)
    for col, key in (("deadline", "deadline"), ("rectified_date", "rectified"), ("accepted_date", "accepted")):
        frame[col] = _days_to_dates(life[key])
    frame["status"] = _str(STATUSES[life["status"]])
    frame["status_derived"] = False
    frame["funds_wan"] = funds
    frame["responsible_person"] = _str(pool.persons[ent, major.astype(np.int64)])
    frame["supervision_level"] = _str(np.array(SUPERVISION, dtype=object)[supervision])
    closed = life["status"] == 3
    for col, p in (("measures_in_place", .9), ("funds_in_place", .88), ("deadline_in_place", .93),
                   ("person_in_place", .95), ("plan_in_place", .85)):
        flag = rng.random(n) < np.where(closed, (1 + p) / 2, p)
        frame[col] = pd.array(np.where(major, flag, None), dtype="boolean")
    return frame


def _hazard_chunks(seed: int, hazards: int, today: dt.date) -> Iterator[pd.DataFrame]:
    geo = geography()
    found = _found_days(seed, hazards, today)
    pool = _enterprise_pool(seed, hazards, geo)
    width = max(7, len(str(hazards)))
    for chunk, start in enumerate(range(0, hazards, CHUNK_ROWS)):
        part = _hazard_chunk(seed, chunk, start + 1, found[start:start + CHUNK_ROWS], pool, geo, today, width)
        yield _with_provenance(part, _import_id(seed, "hazards"))
