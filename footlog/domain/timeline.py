"""The timeline's data: a person's photos, runs and events gathered into domain objects.

Pure: `build_timeline` works on photos and runs already read (`footlog.timeline.load_timeline`
reads them from a library). Charts, the CLI and the Timeline tab draw its `TimelineData`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import accumulate
from typing import Any

import numpy as np

from footlog.domain.mileage import MileageRun, PeriodTotal, local_day, period_bounds
from footlog.domain.photo import Photo
from footlog.domain.run_limits import usable_in_sums
from footlog.domain.runs import Footwear
from footlog.domain.statistics import Observation, TimelineStats, analyse, cumulative_km_lookup
from footlog.domain.views import Foot, Status, View

# A photo the person or the detector stands behind; "review" values are kept (drawn hollow)
# because dropping them would hide most of a typical library, "failed" ones have no number.
USABLE_STATUS = frozenset({"ok", "manual", "confirmed", "review"})

# (local day, footwear class, metres) of one counted run with a distance; the day as a date,
# an ISO date or, as `run_store.mileage_rows` reads it, a number of days since 1970-01-01.
MileageRow = tuple[date | str | int, str, float]
_EPOCH = date(1970, 1, 1)
_EPOCH_ORDINAL = _EPOCH.toordinal()
_CLASSES = tuple(f.value for f in Footwear)  # column order of the weekly array


@dataclass(frozen=True)
class Event:
    """Something that happened to the feet (injury, new shoes), drawn on every time axis."""

    id: int
    day: date
    text: str
    foot: str = "both"  # left / right / both


@dataclass(frozen=True)
class TimelinePhoto:
    """What a chart tooltip needs of a photo besides its values."""

    id: int
    taken_at: datetime
    foot: str
    view: str
    status: str
    file_name: str
    sha256: str
    measures: Mapping[str, float]


@dataclass
class TimelineData:
    """Everything the timeline draws, for one person and date range.

    Distances in km. `cumulative_days`/`cumulative_km`: barefoot km summed from the first run
    ever (not from `date_from`: the feet remember every kilometre), one point per run day.
    """

    person: str
    observations: list[Observation]
    photos: dict[int, TimelinePhoto]
    weeks: list[PeriodTotal]
    cumulative_days: list[date]
    cumulative_km: list[float]
    events: list[Event]
    stats: TimelineStats
    date_from: date | None = None
    date_to: date | None = None
    measures_present: list[str] = field(default_factory=list)
    # Photos in range that the chart cannot show, by why (LEFT_OUT_REASONS): photo ids.
    left_out: dict[str, list[int]] = field(default_factory=dict)

    def barefoot_km_at(self, day: date) -> float:
        return cumulative_km_lookup(self.cumulative_days, self.cumulative_km)(day)

    def span(self) -> tuple[date, date] | None:
        """First and last day with anything to draw (photos, runs or events in range)."""
        days = [o.taken_at.date() for o in self.observations]
        days += [w.start for w in self.weeks] + [w.end for w in self.weeks]
        days += [e.day for e in self.events]
        if self.date_from:
            days.append(self.date_from)
        if self.date_to:
            days.append(self.date_to)
        if not days:
            return None
        return min(days), max(days)


def _in_range(day: date, date_from: date | None, date_to: date | None) -> bool:
    return (date_from is None or day >= date_from) and (date_to is None or day <= date_to)


def barefoot_cumulative(
    runs: Iterable[tuple[date, MileageRun]],
) -> tuple[list[date], list[float]]:
    """Cumulative barefoot km at the end of each day that had a counted barefoot run.

    `runs`: (local day, run) pairs, the day computed once by the caller.
    """
    per_day: dict[date, float] = {}
    today = date.today()
    for day, run in runs:
        if not usable_in_sums(run.start, run.distance_m, today):
            continue
        if run.counts and run.distance_m and run.footwear == Footwear.BAREFOOT:
            per_day[day] = per_day.get(day, 0.0) + run.distance_m / 1000.0
    days = sorted(per_day)
    return days, list(accumulate(per_day[d] for d in days))


def weekly_totals(runs: Iterable[tuple[date, MileageRun]]) -> list[PeriodTotal]:
    """Same as `mileage.totals(runs, "week", fill_gaps=True)` on (local day, run) pairs.

    Reimplemented on precomputed days because `totals` converts each run's time zone again
    and finds each run's week anew: 60 % of the timeline's load time on 3,650 runs.
    """
    found: dict[date, PeriodTotal] = {}
    today = date.today()
    for day, run in runs:
        if not run.counts or run.distance_m is None:
            continue
        if not usable_in_sums(run.start, run.distance_m, today):
            continue
        monday = day - timedelta(days=day.weekday())
        total = found.get(monday)
        if total is None:
            total = found[monday] = PeriodTotal(*period_bounds(monday, "week"))
        total.add(run.footwear, float(run.distance_m))
    if not found:
        return []
    first, last = min(found), max(found)
    weeks = []
    monday = first
    while monday <= last:
        weeks.append(found.get(monday) or PeriodTotal(*period_bounds(monday, "week")))
        monday += timedelta(days=7)
    return weeks


def mileage_rows_of(runs: Iterable[Mapping[str, Any] | MileageRun]) -> list[MileageRow]:
    """`list_runs` rows (or MileageRuns) as `run_store.mileage_rows` reads them in SQL
    (runs outside `run_limits`, which would break the sums, left out as it leaves them)."""
    rows: list[MileageRow] = []
    today = date.today()
    for item in runs:
        run = item if isinstance(item, MileageRun) else MileageRun.from_mapping(item)
        if (
            run.counts
            and run.distance_m is not None
            and usable_in_sums(run.start, run.distance_m, today)
        ):
            rows.append((local_day(run.start), Footwear(run.footwear).value,
                         float(run.distance_m)))
    return rows


def _day_numbers(days: Sequence[date | str | int]) -> np.ndarray:
    """Days since 1970-01-01 as int64."""
    if not days:
        return np.empty(0, dtype=np.int64)
    first = days[0]
    if isinstance(first, str):
        return np.array(days, dtype="datetime64[D]").astype(np.int64)
    if isinstance(first, date):
        return np.fromiter((d.toordinal() - _EPOCH_ORDINAL for d in days),  # type: ignore[union-attr]
                           dtype=np.int64, count=len(days))
    return np.asarray(days, dtype=np.int64)


def _to_date(day_number: int) -> date:
    return date.fromordinal(_EPOCH_ORDINAL + int(day_number))


def mileage_from_rows(
    rows: Sequence[MileageRow], date_from: date | None = None, date_to: date | None = None
) -> tuple[list[PeriodTotal], list[date], list[float]]:
    """(weekly totals in range with empty weeks filled, cumulative barefoot days, km).

    The same numbers as `weekly_totals` and `barefoot_cumulative`, summed with numpy: a
    10-year daily log in about a millisecond. The cumulative distance counts every day, in
    range or not: the feet remember every kilometre.
    """
    if not rows:
        return [], [], []
    days_col, classes_col, metres_col = zip(*rows, strict=True)
    day = _day_numbers(days_col)
    metres = np.asarray(metres_col, dtype=float)
    code_of = {name: i for i, name in enumerate(_CLASSES)}
    unknown = code_of[Footwear.UNKNOWN.value]
    cls = np.fromiter((code_of.get(c or "", unknown) for c in classes_col), dtype=np.int64,
                      count=len(rows))

    # Cumulative barefoot km at the end of each day with a barefoot run of some distance.
    bare = (cls == code_of[Footwear.BAREFOOT.value]) & (metres != 0)
    bare_days, where = np.unique(day[bare], return_inverse=True)
    km = np.cumsum(np.bincount(where, weights=metres[bare], minlength=len(bare_days)) / 1000.0)
    cum_days = bare_days.astype("datetime64[D]").tolist()  # datetime.date objects

    keep = np.ones(len(day), dtype=bool)
    if date_from is not None:
        keep &= day >= date_from.toordinal() - _EPOCH_ORDINAL
    if date_to is not None:
        keep &= day <= date_to.toordinal() - _EPOCH_ORDINAL
    if not keep.any():
        return [], cum_days, km.tolist()
    # 1970-01-01 was a Thursday: (day + 3) % 7 is 0 on Mondays.
    monday = day[keep] - (day[keep] + 3) % 7
    week = (monday - monday.min()) // 7
    n_weeks = int(week.max()) + 1
    by_class = np.zeros((len(_CLASSES), n_weeks))
    np.add.at(by_class, (cls[keep], week), metres[keep])
    runs = np.bincount(week, minlength=n_weeks)
    first = _to_date(int(monday.min()))
    weeks = []
    for i, (sums, n) in enumerate(zip(by_class.T.tolist(), runs.tolist(), strict=True)):
        total = PeriodTotal(*period_bounds(first + timedelta(days=7 * i), "week"), runs=n)
        for name, value in zip(_CLASSES, sums, strict=True):
            setattr(total, f"{name}_m", value)
        weeks.append(total)
    return weeks, cum_days, km.tolist()


def method_of(measure: str, photo: Photo) -> str:
    """How a photo's measure was drawn, where it can be drawn more than one way: the hallux
    angle's proximal line (docs/MEASURES.md); "" otherwise or when not recorded."""
    if measure == "hallux_angle":
        return photo.proximal_line or ""
    return ""


def build_timeline(
    photos: Iterable[Photo],
    runs: Iterable[Mapping[str, Any]],
    events: Iterable[Mapping[str, Any]],
    person: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
    mileage: Sequence[MileageRow] | None = None,
) -> TimelineData:
    """Domain objects from `list_photos`' photos and `list_runs` and `list_events` rows.

    `mileage`: the runs as `run_store.mileage_rows` reads them; `runs` is then not read.
    """
    infos: dict[int, TimelinePhoto] = {}
    observations: list[Observation] = []
    left_out: dict[str, list[int]] = {}
    for p in photos:
        taken = datetime.fromisoformat(p.taken_at)
        if not _in_range(taken.date(), date_from, date_to):
            continue
        why = left_out_reason(p)
        if why is not None:
            left_out.setdefault(why, []).append(int(p.id))
        if p.status not in USABLE_STATUS or not p.measures:
            continue
        foot, view, status = str(p.foot), str(p.view), str(p.status)
        infos[p.id] = TimelinePhoto(
            p.id, taken, foot, view, status, p.file_name, p.sha256, dict(p.measures),
        )
        observations.extend(
            Observation(p.id, taken, foot, view, name, float(value), status,
                        method_of(name, p))
            for name, value in p.measures.items()
            if value is not None
        )
    if mileage is None:
        mileage = mileage_rows_of(runs)
    weeks, days, km = mileage_from_rows(mileage, date_from, date_to)
    event_list = [
        Event(e["id"], date.fromisoformat(e["date"]), e["text"], e.get("foot") or "both")
        for e in events
    ]
    event_list = [e for e in event_list if _in_range(e.day, date_from, date_to)]
    lookup = cumulative_km_lookup(days, km)
    stats = analyse(observations, lookup if days else None)
    return TimelineData(
        person=person,
        observations=observations,
        photos=infos,
        weeks=weeks,
        cumulative_days=days,
        cumulative_km=km,
        events=event_list,
        stats=stats,
        date_from=date_from,
        date_to=date_to,
        measures_present=stats.measures(),
        left_out=left_out,
    )


# Why a photo in range is not on the chart, in the order they are said.
LEFT_OUT_REASONS = ("pending", "failed", "foot", "view")


def left_out_reason(photo: Photo) -> str | None:
    """Why the timeline cannot show a photo (a key of LEFT_OUT_REASONS), or None: not
    measured yet, no number from it, or no foot or view to put it under."""
    if photo.status == Status.PENDING:
        return "pending"
    if photo.status not in USABLE_STATUS or not photo.measures:
        return "failed"
    if photo.foot == Foot.UNKNOWN:
        return "foot"
    if photo.view == View.UNKNOWN:
        return "view"
    return None


def default_range_days(data: TimelineData, margin_days: int = 20) -> tuple[date, date] | None:
    """The span with a little margin so the first and last points are not on the frame."""
    span = data.span()
    if span is None:
        return None
    margin = timedelta(days=margin_days)
    # A range asked for up to the calendar's ends (year 1 or 9999) has no room for a margin.
    first = span[0] - margin if span[0] - date.min > margin else date.min
    last = span[1] + margin if date.max - span[1] > margin else date.max
    return first, last


_LEFT_OUT_WORDS = {  # (one photo, several photos)
    "pending": ("is not measured yet", "are not measured yet"),
    "failed": ("gave no measure (its landmarks were not found)",
               "gave no measure (their landmarks were not found)"),
    "foot": ("is not marked left or right", "are not marked left or right"),
    "view": ("has no view", "have no view"),
}


def left_out_words(left_out: Mapping[str, list[int]]) -> str | None:
    """One sentence saying how many photos the chart leaves out and why, None when none:
    "3 photos are not on the chart: 2 are not measured yet, 1 is not marked left or
    right." """
    counts = [(why, len(left_out[why])) for why in LEFT_OUT_REASONS if left_out.get(why)]
    total = sum(n for _, n in counts)
    if not total:
        return None
    if len(counts) == 1:
        why, n = counts[0]
        if n == 1:
            return f"1 photo {_LEFT_OUT_WORDS[why][0]}, so it is not on the chart."
        return f"{n} photos {_LEFT_OUT_WORDS[why][1]}, so they are not on the chart."
    head = "1 photo is" if total == 1 else f"{total} photos are"
    parts = [f"{n} {_LEFT_OUT_WORDS[why][n > 1]}" for why, n in counts]
    return f"{head} not on the chart: {', '.join(parts)}."
