"""Totals per week, month and year, split by footwear class."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from itertools import pairwise

import pytest

from footlog.domain.mileage import (
    MileageRun,
    PeriodTotal,
    grand_total,
    local_day,
    period_bounds,
    totals,
)
from footlog.domain.runs import Footwear

BERLIN_SUMMER = timezone(timedelta(hours=2))


def run(day: str, km: float | None, footwear: Footwear = Footwear.BAREFOOT, counts=True):
    return MileageRun(
        datetime.fromisoformat(day), None if km is None else km * 1000, footwear, counts
    )


def test_month_totals_split_by_footwear() -> None:
    runs = [
        run("2024-03-01T07:00:00+00:00", 5, Footwear.BAREFOOT),
        run("2024-03-15T07:00:00+00:00", 3, Footwear.MINIMAL),
        run("2024-03-20T07:00:00+00:00", 10, Footwear.SHOD),
        run("2024-04-02T07:00:00+00:00", 2, Footwear.UNKNOWN),
    ]
    march, april = totals(runs, "month", tz=UTC)
    assert march.key == "2024-03"
    assert (march.start, march.end) == (date(2024, 3, 1), date(2024, 3, 31))
    assert (march.barefoot_m, march.minimal_m, march.shod_m, march.unknown_m) == (
        5000,
        3000,
        10000,
        0,
    )
    assert march.total_m == 18000 and march.runs == 3
    assert april.unknown_m == 2000 and april.total_m == 2000
    assert march.metres(Footwear.MINIMAL) == 3000


def test_runs_that_do_not_count_or_lack_distance_are_left_out() -> None:
    runs = [
        run("2024-03-01T07:00:00+00:00", 40, counts=False),  # a ride
        run("2024-03-02T07:00:00+00:00", None),
        run("2024-03-03T07:00:00+00:00", 4),
    ]
    (march,) = totals(runs, "month", tz=UTC)
    assert march.total_m == 4000 and march.runs == 1
    assert totals([runs[0]], "year", tz=UTC) == []


def test_iso_weeks_use_the_iso_year_and_start_on_monday() -> None:
    runs = [run("2021-01-01T10:00:00+00:00", 1), run("2021-01-04T10:00:00+00:00", 2)]
    w53, w1 = totals(runs, "week", tz=UTC)
    assert w53.key == "2020-W53" and w53.start == date(2020, 12, 28) and w53.end == date(2021, 1, 3)
    assert w1.key == "2021-W01" and w1.start == date(2021, 1, 4)


def test_local_date_decides_the_period() -> None:
    # 23:30 UTC on 31 March is already 1 April in Berlin (summer time).
    late = run("2024-03-31T23:30:00+00:00", 5)
    assert totals([late], "month", tz=UTC)[0].key == "2024-03"
    assert totals([late], "month", tz=BERLIN_SUMMER)[0].key == "2024-04"
    assert local_day(datetime(2024, 3, 31, 23, 30), tz=UTC) == date(2024, 3, 31)  # naive: as is


def test_year_totals_and_grand_total() -> None:
    runs = [run("2023-06-01T07:00:00+00:00", 5), run("2024-06-01T07:00:00+00:00", 7)]
    years = totals(runs, "year", tz=UTC)
    assert [t.key for t in years] == ["2023", "2024"]
    whole = grand_total(years)
    assert whole.total_m == 12000 and whole.runs == 2
    assert grand_total([]).total_m == 0


def test_fill_gaps_adds_empty_periods() -> None:
    runs = [run("2024-01-10T07:00:00+00:00", 5), run("2024-04-10T07:00:00+00:00", 5)]
    months = totals(runs, "month", tz=UTC, fill_gaps=True)
    assert [t.key for t in months] == ["2024-01", "2024-02", "2024-03", "2024-04"]
    assert months[1].total_m == 0 and months[1].end == date(2024, 2, 29)
    weeks = totals(runs, "week", tz=UTC, fill_gaps=True)
    assert len(weeks) == 14 and all(b.start - a.start == timedelta(7) for a, b in pairwise(weeks))


def test_rows_from_list_runs_are_accepted() -> None:
    rows = [
        {
            "start": "2020-10-07T14:43:11+00:00",
            "distance_m": 8021.5,
            "footwear": "barefoot",
            "counts_toward_mileage": True,
        },
        {
            "start": "2020-10-10T09:15:42+00:00",
            "distance_m": 40200.0,
            "footwear": "unknown",
            "counts_toward_mileage": False,
        },
    ]
    (october,) = totals(rows, "month", tz=UTC)
    assert october.barefoot_m == pytest.approx(8021.5) and october.runs == 1


def test_period_bounds_and_bad_period() -> None:
    assert period_bounds(date(2024, 12, 15), "month") == (
        "2024-12",
        date(2024, 12, 1),
        date(2024, 12, 31),
    )
    assert period_bounds(date(2024, 12, 15), "year")[1:] == (date(2024, 1, 1), date(2024, 12, 31))
    with pytest.raises(ValueError):
        totals([], "day")  # type: ignore[arg-type]
    assert isinstance(PeriodTotal("x", date.today(), date.today()).total_m, float)
