"""Names drawn from the vocabulary: people, enterprises (unique where they must be) and unified
social credit codes with valid check characters."""

from __future__ import annotations

import numpy as np
import pandas as pd

from loaders.demo.common import _choice_by_group
from loaders.demo.vocab import BUSINESS, EXTRA_CHARS, GIVEN, SUFFIXES, SURNAMES, WORDS

_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = np.array([1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28])
_ORG_WEIGHTS = np.array([3, 7, 9, 10, 5, 8, 4, 2])


def _names(rng: np.random.Generator, n: int) -> np.ndarray:
    surname = np.array(list(SURNAMES), dtype=object)[rng.integers(0, len(SURNAMES), n)]
    given = np.array(list(GIVEN), dtype=object)
    two = rng.random(n) < 0.7
    return surname + given[rng.integers(0, len(GIVEN), n)] + np.where(two, given[rng.integers(0, len(GIVEN), n)], "")


def _company_names(rng: np.random.Generator, prefix: np.ndarray, industry: np.ndarray) -> np.ndarray:
    n = len(prefix)
    words = np.array(WORDS, dtype=object)[rng.integers(0, len(WORDS), n)]
    business = _choice_by_group(rng, industry, {k: v.split() for k, v in BUSINESS.items()}, n)
    suffix = np.array(SUFFIXES, dtype=object)[rng.choice(3, n, p=[0.62, 0.28, 0.10])]
    group = (industry == "construction") & (rng.random(n) < 0.3)
    suffix[group] = "集团有限公司"
    coop = (industry == "farm_machinery") & (rng.random(n) < 0.5)
    suffix[coop] = "专业合作社"
    return prefix + words + business + suffix


def _unique_company_names(rng: np.random.Generator, prefix: np.ndarray, industry: np.ndarray) -> np.ndarray:
    names = _company_names(rng, prefix, industry)
    for _ in range(20):
        dup = pd.Series(names).duplicated().to_numpy()
        if not dup.any():
            break
        extra = np.array(list(EXTRA_CHARS), dtype=object)[rng.integers(0, len(EXTRA_CHARS), dup.sum())]
        redo = _company_names(rng, prefix[dup], industry[dup])
        names[dup] = [p + e + r[len(p) :] for p, e, r in zip(prefix[dup], extra, redo, strict=True)]
    return names


def _credit_codes(rng: np.random.Generator, region_codes: np.ndarray) -> np.ndarray:
    """Unified social credit codes (GB 32100-2015) with valid check characters: 91 + the region's
    adcode + a 9-character organisation code (GB 11714, post-2015 'MA' style) + the check."""
    n = len(region_codes)
    org = np.empty((n, 8), dtype=np.int64)
    org[:, 0], org[:, 1] = _USCC_CHARS.index("M"), _USCC_CHARS.index("A")
    org[:, 2:] = rng.integers(0, len(_USCC_CHARS), (n, 6))
    org_values = np.array([int(c, 36) for c in _USCC_CHARS])[org]  # GB 11714: A = 10 … Z = 35
    c9 = (11 - (org_values * _ORG_WEIGHTS).sum(1) % 11) % 11
    org_check = np.where(c9 == 10, _USCC_CHARS.index("X"), c9)  # 'X' for 10, digits otherwise
    body = np.empty((n, 17), dtype=np.int64)
    body[:, 0], body[:, 1] = 9, 1
    body[:, 2:8] = region_codes.astype(np.int64)[:, None] // 10 ** np.arange(5, -1, -1) % 10
    body[:, 8:16] = org
    body[:, 16] = org_check
    check = (31 - (body * _USCC_WEIGHTS).sum(1) % 31) % 31
    chars = np.array(list(_USCC_CHARS))
    full = np.concatenate([chars[body], chars[check][:, None]], axis=1)
    return full.view("<U18").ravel()
