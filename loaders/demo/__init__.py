"""Deterministic, realistic demo data for the dashboard: accidents, hazards, both kinds of statistics and
the control targets.

Everything is drawn with vectorised numpy from one seed, so the same ``(seed, hazards, today)`` always
gives the same frames. National magnitudes follow the real ones (2024: about 21,800 accidents, 19,600
deaths, 389 较大 and 9 重特大 accidents) with a long-run fall of about 7 %/year, seasonality, and a few
provinces and industries that rise from 2023 on, so that the dashboard has something to flag.

Three prefecture-level cities submit only monthly aggregates (``accident_stats``) and two counties
only the monthly hazard report (``hazard_stats``); they have no records of that kind. The nation and every
province have an annual control target (控制指标) for each year, a little below the year before's outcome.

The modules, in the order the data flow: ``vocab`` (words and categories), ``regions`` (provinces,
leaf regions, centroids), ``names`` (people, enterprises, credit codes), ``accidents``, ``hazards``,
``stats`` (the monthly statistics), ``targets`` (the control targets), ``generate`` (the frames in memory) and ``build`` (the store on
disk); ``common`` holds what they share. Hazards are made in chunks of ``hazards.CHUNK_ROWS`` rows:
to change that (say, in a test), set it on ``loaders.demo.hazards``, not on this package.
"""

from domain.industries import INDUSTRIES
from loaders.demo.accidents import national_accidents
from loaders.demo.build import build_demo_store
from loaders.demo.generate import demo_notes, generate_demo
from loaders.demo.hazards import CHUNK_ROWS
from loaders.demo.regions import AGGREGATE_ONLY_CITIES, HAZARD_STATS_COUNTIES, Geography, geography

__all__ = [
    "AGGREGATE_ONLY_CITIES",
    "CHUNK_ROWS",
    "HAZARD_STATS_COUNTIES",
    "INDUSTRIES",
    "Geography",
    "build_demo_store",
    "demo_notes",
    "generate_demo",
    "geography",
    "national_accidents",
]
