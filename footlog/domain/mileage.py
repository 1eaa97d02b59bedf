"""Distance totals per week, month or year, split by footwear class.

Pure functions: no Qt, no SQL. Runs come in as `MileageRun` (or any mapping shaped like a
row of `footlog.storage.run_store.list_runs`), already classified, because deciding the
footwear needs the gear mapping and that is the storage layer's business.

Periods are calendar periods on the *local* date of the run's start: a run at 23:30 on
Sunday evening belongs to that Sunday's ISO week wherever UTC says it is, because that is
the week the person remembers running in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import Any, Literal

from footlog.domain.run_limits import usable_in_sums
from footlog.domain.runs import Footwear

Period = Literal["week", "month", "year"]
PERIODS: tuple[Period, ...] = ("week", "month", "year")


@dataclass(frozen=True)
class MileageRun:
    """What totals need of a run: when, how far, in what, and whether it counts at all."""

    start: datetime
    distance_m: float | None
    footwear: Footwear = Footwear.UNKNOWN
    counts: bool = True

    @classmethod
    def from_mapping(cls, row: Mapping[str, Any]) -> MileageRun:
        """From a `list_runs` row: `start` (ISO text or datetime), `distance_m`, `footwear`,
        `counts_toward_mileage`."""
        start = row["start"]
        if isinstance(start, str):
            start = datetime.fromisoformat(start)
        return cls(
            start=start,
            distance_m=row.get("distance_m"),
            footwear=Footwear(row.get("footwear") or Footwear.UNKNOWN),
            counts=bool(row.get("counts_toward_mileage", True)),
        )


@dataclass
class PeriodTotal:
    """Metres per footwear class in one period. `key` sorts chronologically."""

    key: str  # "2020-W41", "2020-10" or "2020"
    start: date  # first day of the period
    end: date  # last day, inclusive
    barefoot_m: float = 0.0
    minimal_m: float = 0.0
    shod_m: float = 0.0
    unknown_m: float = 0.0
    runs: int = 0

    @property
    def total_m(self) -> float:
        return self.barefoot_m + self.minimal_m + self.shod_m + self.unknown_m

    def metres(self, footwear: Footwear) -> float:
        """The distance in one footwear class."""
        return float(getattr(self, f"{footwear.value}_m"))

    def add(self, footwear: Footwear, metres: float) -> None:
        name = f"{Footwear(footwear).value}_m"
        setattr(self, name, getattr(self, name) + metres)
        self.runs += 1


def local_day(start: datetime, tz: tzinfo | None = None) -> date:
    """The calendar day a run started on, in `tz` (None: this computer's zone).

    A naive datetime is taken as already local wall-clock time.
    """
    if start.tzinfo is None:
        return start.date()
    return start.astimezone(tz).date()


def period_bounds(day: date, period: Period) -> tuple[str, date, date]:
    """(key, first day, last day) of the period holding `day`."""
    if period == "week":
        year, week, weekday = day.isocalendar()
        monday = day - timedelta(days=weekday - 1)
        # The ISO year, not the calendar year: 2021-01-01 is in 2020-W53.
        return f"{year}-W{week:02d}", monday, monday + timedelta(days=6)
    if period == "month":
        first = day.replace(day=1)
        following = (first + timedelta(days=32)).replace(day=1)
        return f"{day.year}-{day.month:02d}", first, following - timedelta(days=1)
    if period == "year":
        return str(day.year), date(day.year, 1, 1), date(day.year, 12, 31)
    raise ValueError(f"unknown period {period!r} (use week, month or year)")


def totals(
    runs: Iterable[MileageRun | Mapping[str, Any]],
    period: Period,
    tz: tzinfo | None = None,
    fill_gaps: bool = False,
) -> list[PeriodTotal]:
    """Distance per footwear class in each `period`, oldest first.

    Only runs that count toward mileage and have a distance are summed; periods without any
    are left out unless `fill_gaps`, which adds empty periods between the first and the last
    so that a chart shows the weeks without running. Runs outside `run_limits` (an older
    library may hold a run dated 9999 or an infinite distance) are left out too.
    """
    if period not in PERIODS:
        raise ValueError(f"unknown period {period!r} (use week, month or year)")
    found: dict[str, PeriodTotal] = {}
    today = date.today()
    for item in runs:
        run = item if isinstance(item, MileageRun) else MileageRun.from_mapping(item)
        if not run.counts or run.distance_m is None:
            continue
        if not usable_in_sums(run.start, run.distance_m, today):
            continue
        key, first, last = period_bounds(local_day(run.start, tz), period)
        if key not in found:
            found[key] = PeriodTotal(key, first, last)
        found[key].add(run.footwear, float(run.distance_m))
    result = sorted(found.values(), key=lambda t: t.start)
    if fill_gaps and result:
        result = _with_gaps(result, period)
    return result


def _with_gaps(result: list[PeriodTotal], period: Period) -> list[PeriodTotal]:
    by_key = {t.key: t for t in result}
    filled: list[PeriodTotal] = []
    day = result[0].start
    while day <= result[-1].start:
        key, first, last = period_bounds(day, period)
        filled.append(by_key.get(key) or PeriodTotal(key, first, last))
        day = last + timedelta(days=1)
    return filled


def grand_total(items: Iterable[PeriodTotal]) -> PeriodTotal:
    """All periods summed (key "all"); handy for a footer row."""
    items = list(items)
    if not items:
        return PeriodTotal("all", date.min, date.min)
    whole = PeriodTotal("all", items[0].start, items[-1].end)
    for item in items:
        whole.barefoot_m += item.barefoot_m
        whole.minimal_m += item.minimal_m
        whole.shod_m += item.shod_m
        whole.unknown_m += item.unknown_m
        whole.runs += item.runs
    return whole
