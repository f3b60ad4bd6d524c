"""Rectification analytics on a ledger small enough to count by hand (analytics.hazards)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from analytics.hazards import (
    combine,
    days_to_rectify,
    funnel,
    overdue_bucket,
    overdue_table,
    rates,
    repeats,
    report_rows_from_records,
    report_table,
    stats_rates,
    supervision_board,
)

D = pd.Timestamp
FIRST, LAST = dt.date(2024, 3, 1), dt.date(2024, 3, 31)

# id, grade, found, deadline, rectified, accepted, status, enterprise, category, supervision
LEDGER = [
    # found in March 2024 (the cohort: 8 hazards, 2 of them major)
    ("H1", "general", "2024-03-02", "2024-03-10", "2024-03-08", "2024-03-12", "closed", "甲厂", "电气", "none"),
    ("H2", "general", "2024-03-05", "2024-03-15", "2024-03-20", None, "rectified", "甲厂", "消防", "none"),  # late
    ("H3", "general", "2024-03-06", "2024-03-20", None, None, "rectifying", "乙厂", "电气", "none"),  # overdue 11 d
    ("H4", "general", "2024-03-10", None, "2024-03-11", None, "rectified", "乙厂", "通道", "none"),  # no deadline
    ("H5", "major", "2024-03-12", "2024-03-25", "2024-03-24", None, "acceptance_failed", "丙厂", "电气", "province"),
    ("H6", "major", "2024-03-15", "2024-04-30", "2024-04-10", "2024-04-20", "closed", "丙厂", "通道", "city"),
    ("H7", "general", "2024-03-20", "2024-03-30", None, None, "found", "丁厂", "电气", "none"),  # overdue 1 d
    ("H8", "general", "2024-03-31", "2024-04-15", None, None, "rectified", "甲厂", "电气", "none"),  # undated
    # found before March: open at its start (H9, H10), or rectified before it (H11)
    ("H9", "general", "2024-01-10", "2024-02-10", "2024-03-05", None, "rectified", "乙厂", "电气", "none"),
    ("H10", "major", "2023-06-01", "2023-09-01", None, None, "rectifying", "戊厂", "电气", "county"),  # 212 d
    ("H11", "general", "2024-02-01", "2024-02-10", "2024-02-09", "2024-02-12", "closed", "甲厂", "电气", "none"),
    # found after the period: never in it
    ("H12", "general", "2024-04-02", "2024-04-10", None, None, "found", "甲厂", "电气", "none"),
]


def ledger() -> pd.DataFrame:
    cols = [
        "hazard_id",
        "grade",
        "found_date",
        "deadline",
        "rectified_date",
        "accepted_date",
        "status",
        "enterprise",
        "category",
        "supervision_level",
    ]
    h = pd.DataFrame(LEDGER, columns=cols)
    for c in ("found_date", "deadline", "rectified_date", "accepted_date"):
        h[c] = pd.to_datetime(h[c])
    h["credit_code"] = None
    h["industry"] = ["chemicals"] * 6 + ["construction"] * 6
    h["region_code"] = "430102"
    h["funds_wan"] = [1.0, 2.0, None, 0.5, 30.0, 12.0, None, 0.5, 1.0, 50.0, 1.0, 1.0]
    five = [True] * 12
    h["measures_in_place"] = five
    h["funds_in_place"] = five
    h["deadline_in_place"] = five
    h["person_in_place"] = [True] * 9 + [False] + [True] * 2  # H10 lacks its person
    h["plan_in_place"] = five
    return h


def test_cohort_rates_by_hand() -> None:
    r = rates(ledger(), FIRST, LAST, "cohort")
    # rectified by 31 Mar: H1, H2, H4, H8 (undated but marked rectified); H5 failed acceptance (reopened),
    # H6 was rectified only in April, H3 and H7 are open.
    assert (r.found, r.rectified, r.major_found, r.major_rectified) == (8, 4, 2, 0)
    assert r.rectification_rate == pytest.approx(4 / 8)
    assert r.major_rectification_rate == 0.0  # 0 of 2: a real zero, not "—"
    # on time: H1 (8 ≤ 10) of the judged H1, H2; H4 has no deadline, H8 no date
    assert (r.on_time, r.on_time_judged, r.on_time_unknown) == (1, 2, 2)
    assert r.on_time_rate == pytest.approx(0.5)
    # closed by 31 Mar: H1 only (H6 was accepted in April)
    assert r.closed == 1 and r.closure_rate == pytest.approx(1 / 8)


def test_cumulative_rates_add_what_was_open_at_the_start() -> None:
    r = rates(ledger(), FIRST, LAST, "cumulative")
    # + H9 (open on 29 Feb, rectified 5 Mar) + H10 (open since 2023); H11 was rectified before March
    assert (r.found, r.rectified, r.major_found, r.major_rectified) == (10, 5, 3, 0)
    assert r.rectification_rate == pytest.approx(0.5)
    # H9 was rectified 24 days after its deadline
    assert (r.on_time, r.on_time_judged) == (1, 3)


def test_as_they_stand_at_the_end_of_a_later_period() -> None:
    r = rates(ledger(), FIRST, dt.date(2024, 4, 30), "cohort")
    assert r.found == 9  # H12 joins
    assert r.major_rectified == 1  # H6, rectified 10 Apr; H5 is still reopened
    assert r.closed == 2  # H1 and H6


def test_a_zero_denominator_gives_none_not_a_percentage() -> None:
    r = rates(ledger(), dt.date(2022, 1, 1), dt.date(2022, 12, 31), "cohort")
    assert r.found == 0
    assert r.rectification_rate is None and r.major_rectification_rate is None
    assert r.on_time_rate is None and r.closure_rate is None


def test_unknown_base_is_refused() -> None:
    with pytest.raises(ValueError, match="base must be one of cohort, cumulative"):
        rates(ledger(), FIRST, LAST, "total")


@pytest.mark.parametrize(
    ("days", "bucket"),
    [
        (1, "1-30"),
        (30, "1-30"),
        (31, "31-90"),
        (90, "31-90"),
        (91, "91-180"),
        (180, "91-180"),
        (181, "180+"),
        (1000, "180+"),
    ],
)
def test_overdue_bucket_boundaries(days: int, bucket: str) -> None:
    assert overdue_bucket(pd.Series([days], dtype=float)).iloc[0] == bucket


def test_overdue_on_the_period_end() -> None:
    table = overdue_table(ledger(), LAST).set_index("bucket")
    # H3: 11 days; H7: 1 day; H5 reopened, due 25 Mar: 6 days (major); H10: 212 days (major).
    # H2 was late but is rectified: not overdue. H12 is not found yet.
    assert table["all"].to_dict() == {"1-30": 3, "31-90": 0, "91-180": 0, "180+": 1}
    assert table["major"].to_dict() == {"1-30": 1, "31-90": 0, "91-180": 0, "180+": 1}


def test_a_hazard_is_not_overdue_on_its_deadline_day() -> None:
    h = ledger()
    assert overdue_table(h[h["hazard_id"] == "H3"], dt.date(2024, 3, 20))["all"].sum() == 0
    assert overdue_table(h[h["hazard_id"] == "H3"], dt.date(2024, 3, 21))["all"].sum() == 1


def test_funnel_with_an_acceptance_failure() -> None:
    f = funnel(ledger(), FIRST, LAST)
    # found 8; ordered: all but H7 (still 'found'); rectified 4; closed 1 (H1); H5 failed acceptance
    assert f == {"found": 8, "ordered": 7, "rectified": 4, "closed": 1, "acceptance_failed": 1}


def test_days_to_rectify_for_the_hazards_rectified_in_the_period() -> None:
    flow = days_to_rectify(ledger(), FIRST, LAST)
    # H1 6 d, H2 15 d, H4 1 d, H9 55 d (H5 reopened and H8 undated do not count)
    assert flow["n"] == 4 and flow["median"] == pytest.approx(10.5)
    assert flow["p90"] == pytest.approx(pd.Series([1, 6, 15, 55]).quantile(0.9))
    assert days_to_rectify(ledger(), dt.date(2022, 1, 1), dt.date(2022, 1, 31)) == {"n": 0, "median": None, "p90": None}


def test_repeats_same_enterprise_same_category_within_12_months() -> None:
    rep = repeats(ledger(), FIRST, LAST)
    # 甲厂 电气: H11 (1 Feb) then H1 (2 Mar) then H8 (31 Mar); 乙厂 电气: H9 (10 Jan) then H3 (6 Mar);
    # 丙厂 电气 H5 is its first; 甲厂 消防 H2 its first.
    assert sorted(zip(rep["hazard_id"], rep["previous_id"], strict=True)) == [("H1", "H11"), ("H3", "H9"), ("H8", "H1")]
    later = ledger()
    later.loc[later["hazard_id"] == "H11", "found_date"] = D("2023-02-01")  # 13 months before H1
    rep2 = repeats(later, FIRST, LAST)
    assert ("H1", "H11") not in set(zip(rep2["hazard_id"], rep2["previous_id"], strict=True))


def test_supervision_board_is_sorted_by_urgency() -> None:
    board = supervision_board(ledger(), LAST)
    # open supervised majors on 31 Mar: H10 (212 d overdue, county), H5 (6 d, province); H6 is not due yet
    assert list(board["hazard_id"]) == ["H10", "H5", "H6"]
    assert list(board["days_overdue"]) == [212, 6, 0]
    assert list(board["five_in_place"]) == [4, 5, 5]
    # H6 is closed today but was being rectified on 31 Mar; H5's acceptance failed
    assert list(board["status_then"]) == ["rectifying", "acceptance_failed", "rectifying"]
    assert list(board["status"]) == ["rectifying", "acceptance_failed", "closed"]


def test_monthly_report_rows_from_records() -> None:
    rows = report_rows_from_records(ledger(), FIRST, LAST).set_index("industry")
    chem = rows.loc["chemicals"]  # H1–H6
    assert (chem["general_found"], chem["general_rectified"]) == (4, 3)  # H1, H2, H4 of H1–H4
    assert (chem["major_found"], chem["major_rectified"], chem["major_closed"]) == (2, 0, 0)
    assert chem["major_supervised"] == 2 and chem["major_supervised_province"] == 1
    assert chem["major_in_plan"] == 2 and chem["major_five_in_place"] == 2
    assert chem["units"] == 3  # 甲厂, 乙厂, 丙厂
    assert chem["funds_wan"] == pytest.approx(45.5)
    cons = rows.loc["construction"]  # H7, H8 (H9–H11 found before, H12 after)
    assert (cons["general_found"], cons["general_rectified"], cons["units"]) == (2, 1, 2)


def test_report_table_sums_parts_with_a_total_and_no_rate_for_zero() -> None:
    records = report_rows_from_records(ledger(), FIRST, LAST)
    stats = pd.DataFrame(
        [
            {
                "industry": "chemicals",
                "units": 5,
                "general_found": 10,
                "general_rectified": 9,
                "major_found": 1,
                "major_rectified": 1,
                "major_closed": 1,
                "funds_wan": 4.5,
            }
        ]
    )
    table = report_table([records, stats], ["coal_mine", "chemicals", "construction"])
    assert list(table["industry"]) == ["coal_mine", "chemicals", "construction", "total"]
    chem = table.set_index("industry").loc["chemicals"]
    assert (chem["general_found"], chem["general_rectified"], chem["major_found"]) == (14, 12, 3)
    assert chem["general_rate"] == pytest.approx(12 / 14) and chem["major_rate"] == pytest.approx(1 / 3)
    total = table.set_index("industry").loc["total"]
    body = table[table["industry"] != "total"]
    for c in ("units", "general_found", "general_rectified", "major_found", "major_rectified", "major_closed"):
        assert total[c] == body[c].sum(), c
    coal = table.set_index("industry").loc["coal_mine"]
    assert coal["general_found"] == 0 and pd.isna(coal["general_rate"]) and pd.isna(coal["major_rate"])


def test_statistics_add_to_found_and_rectified_but_not_to_closure() -> None:
    records = rates(ledger(), FIRST, LAST, "cohort")
    stats = stats_rates(
        pd.DataFrame([{"general_found": 10, "general_rectified": 9, "major_found": 2, "major_rectified": 1}])
    )
    both = combine(records, stats)
    assert (both.found, both.rectified, both.major_found, both.major_rectified) == (20, 14, 4, 1)
    assert both.closure_rate == pytest.approx(1 / 8)  # closures are known from the records only
    assert both.on_time_rate == records.on_time_rate
