"""Imported once by the reading processes' fork server (``loaders.sandbox``): the loaders, pandas and
pyarrow imported, the region tables built and one small file read there, so that each reading process
forked from it starts with them (what a first read would otherwise pay in every reading process)."""

from __future__ import annotations

import contextlib
import ctypes
import os
import tempfile

from loaders.importer import read_and_validate
from loaders.read_errors import ReadError

_SAMPLE = (
    "事故编号,发生时间,地区,行业领域,事故单位,死亡人数,失踪人数,重伤人数,直接经济损失（万元）,事故类型,事故等级,事故简况\n"
    "W-1,2024-05-06 14:30,湖南省长沙市岳麓区,工贸,某某企业,1,0,0,12.5,机械伤害,一般,发生一起事故\n"
    "W-2,2024/5/7,430104,危化,某某公司,0,0,1,5000元,火灾,一般,发生 一起事故\n"
)

with contextlib.suppress(OSError, ReadError), tempfile.TemporaryDirectory() as tmp:
    sample = os.path.join(tmp, "warm.csv")
    with open(sample, "w", encoding="utf-8") as f:
        f.write(_SAMPLE)
    read_and_validate(sample, "accidents")

with contextlib.suppress(OSError, AttributeError):
    libc = ctypes.CDLL("libc.so.6")
    libc.mallopt(-8, 2)  # M_ARENA_MAX: few arenas, so that the address-space limit counts memory used, not reserved
    # M_TRIM_THRESHOLD, M_MMAP_THRESHOLD: memory freed is kept for the next array rather than given back
    # and faulted in again (a reading process is short-lived): a 1 M-row CSV took 2.1 s of system time, 1.2 s so
    libc.mallopt(-1, 1 << 30)
    libc.mallopt(-3, 1 << 30)
