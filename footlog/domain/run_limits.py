"""What a run's date, distance and duration may be: the one rule every way of saving a run
goes through (importers, `footlog runs add`, the Runs tab's dialog), and that readers of an
older library use to leave out values saved before the rule existed.

Pure Python. A value outside these limits is a typo, a wrong unit or a damaged file, and it
would break every sum and chart it reached (a run dated 9999-12-31 has no week on a time
axis; 1e308 km added to anything is infinity).
"""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta
from numbers import Real

from footlog.domain.runs import Run

#: The earliest day a run may start on: nothing a watch or an app recorded is older.
EARLIEST_DAY = date(1970, 1, 1)
#: One activity is shorter than this: longer than any ultra, so a typo or the wrong unit.
MAX_DISTANCE_M = 1_000_000.0
#: One activity lasts less than this: longer than any multi-day race.
MAX_DURATION_S = 14 * 86_400.0


def latest_day(today: date | None = None) -> date:
    """The last day a run may start on: tomorrow (a run logged just after midnight in a zone
    ahead of this computer's may carry tomorrow's date)."""
    return (today or date.today()) + timedelta(days=1)


def start_problem(start: datetime, today: date | None = None) -> str | None:
    """Why a run cannot start at `start`, or None when it can.

    The day compared is the one the run's own clock shows (`start.date()`: what its file
    says, and what is stored), which must be between EARLIEST_DAY and `latest_day(today)`.
    """
    day = start.date()
    if day < EARLIEST_DAY:
        return f"the date {day.isoformat()} is before {EARLIEST_DAY.isoformat()}; check the date"
    last = latest_day(today)
    if day > last:
        return f"the date {day.isoformat()} is in the future (after {last.isoformat()})"
    return None


def _amount(value: float) -> str:
    """A number for a message: grouped digits, or three significant ones when huge."""
    return f"{value:,.0f}" if abs(value) < 1e9 else f"{value:.3g}"


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, Real):
        return None
    return float(value)


def distance_problem(distance_m: float | None) -> str | None:
    """Why a run cannot be `distance_m` metres long, or None (None, no distance, is fine)."""
    if distance_m is None:
        return None
    metres = _number(distance_m)
    if metres is None or math.isnan(metres):
        return f"the distance is not a number ({distance_m!r})"
    if math.isinf(metres):
        return "the distance is too large to be a number; check the number and its unit"
    if metres < 0:
        return f"the distance cannot be negative ({metres / 1000:g} km)"
    if metres >= MAX_DISTANCE_M:
        return (
            f"the distance {_amount(metres / 1000)} km is not below "
            f"{MAX_DISTANCE_M / 1000:,.0f} km for one activity; check the number and its unit"
        )
    return None


def duration_problem(duration_s: float | None) -> str | None:
    """Why a run cannot last `duration_s` seconds, or None (None, no duration, is fine)."""
    if duration_s is None:
        return None
    seconds = _number(duration_s)
    if seconds is None or math.isnan(seconds):
        return f"the duration is not a number ({duration_s!r})"
    if math.isinf(seconds):
        return "the duration is too large to be a number; check the number and its unit"
    if seconds < 0:
        return f"the duration cannot be negative ({seconds:g} s)"
    if seconds >= MAX_DURATION_S:
        return (
            f"the duration {_amount(seconds / 3600)} h is not below "
            f"{MAX_DURATION_S / 86400:.0f} days for one activity; check the number and its unit"
        )
    return None


def run_problem(run: Run, today: date | None = None) -> str | None:
    """Why `run` cannot be saved, or None when its date, distance and duration are fine.

    The first problem found is given, date first: one line a person can act on.
    """
    return (
        start_problem(run.start, today)
        or distance_problem(run.distance_m)
        or duration_problem(run.duration_s)
    )


def usable_in_sums(start: datetime, distance_m: float | None, today: date | None = None) -> bool:
    """Whether a stored run's distance may be summed and charted: its start and distance are
    within the limits. An older library may hold runs saved before the limits existed; they
    are left out of totals and charts rather than breaking them."""
    return start_problem(start, today) is None and distance_problem(distance_m) is None

