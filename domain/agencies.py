"""The names of the agencies that fill in a form, and the region each one stands for.

A statistics form names who filled it in (``填报单位：宁波市安全生产监督管理局``): the region is what is
left once the agency's own words are taken off the end. The words, longest first, are those of the
emergency-management bureaus since the 2018 reform (应急管理厅 for a province, 应急管理局 / 应急局 below),
of the work-safety bureaus before it (安全生产监督管理局, 安监局: on every form older than 2018), of the
safety committees' offices (安委办) and of the governments that sign for them. The national agencies
stand for the whole country. tests/test_vocabularies.py has a case for every word.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class AgencyWord:
    word: str  # as written at the end of a 填报单位
    en: str
    note: str = ""


AGENCY_WORDS: tuple[AgencyWord, ...] = (
    AgencyWord("应急管理厅", "department of emergency management", "a province's, since 2018"),
    AgencyWord("应急管理局", "emergency management bureau", "a city's or county's, since 2018"),
    AgencyWord("应急局", "emergency management bureau", "short form"),
    AgencyWord("应急管理综合行政执法支队", "emergency-management enforcement unit", "a city's"),
    AgencyWord("应急管理综合行政执法大队", "emergency-management enforcement unit", "a county's"),
    AgencyWord("安全生产监督管理局", "work safety supervision bureau", "before 2018"),
    AgencyWord("安全生产监督管理厅", "work safety supervision department", "before 2018"),
    AgencyWord("安全生产监管局", "work safety supervision bureau", "before 2018, short form"),
    AgencyWord("安全监管局", "work safety supervision bureau", "before 2018, short form"),
    AgencyWord("安监局", "work safety supervision bureau", "before 2018, short form"),
    AgencyWord("煤矿安全监察局", "coal mine safety inspection bureau", "a province's branch of the national one"),
    AgencyWord("安全生产委员会办公室", "office of the work safety committee"),
    AgencyWord("安委会办公室", "office of the work safety committee", "short form"),
    AgencyWord("安委办", "office of the work safety committee", "short form"),
    AgencyWord("安全生产委员会", "work safety committee"),
    AgencyWord("安委会", "work safety committee", "short form"),
    AgencyWord("人民政府办公厅", "general office of the people's government", "a province's"),
    AgencyWord("人民政府办公室", "office of the people's government"),
    AgencyWord("人民政府", "people's government"),
    AgencyWord("政府", "government", "short form"),
    AgencyWord("盖章", "(seal)", "the place for the seal, written after the name"),
)
# Agencies of the whole country: the region they stand for is 全国.
NATIONAL_AGENCIES: frozenset[str] = frozenset(
    {
        "应急管理部",
        "中华人民共和国应急管理部",
        "国家安全生产监督管理总局",
        "国家安全监管总局",
        "国家安监总局",
        "国务院安全生产委员会办公室",
        "国务院安委会办公室",
        "国务院安委办",
        "国家矿山安全监察局",
        "国家煤矿安全监察局",
    }
)
NATIONAL = "全国"

_WORDS = tuple(sorted((unicodedata.normalize("NFKC", w.word) for w in AGENCY_WORDS), key=len, reverse=True))


def region_of_agency(name: str) -> str:
    """The region an agency's name stands for: its own words taken off the end, as often as they
    appear (宁波市人民政府安全生产委员会办公室 → 宁波市), 全国 for a national agency, and the name as it
    was when nothing would be left (so that the region's own message names what was written)."""
    text = unicodedata.normalize("NFKC", name).strip()
    if text in NATIONAL_AGENCIES:
        return NATIONAL
    while True:
        word = next((w for w in _WORDS if text.endswith(w) and len(text) > len(w)), None)
        if word is None:
            return text or name
        text = text[: -len(word)].rstrip()
