"""What a person's foot photos say over time, and how much of it is the method's noise.

Pure Python + numpy (no Qt, no plotting, no SQL). The input is one `Observation` per photo
and measure, and the cumulative barefoot distance as a function of the day; the output is
sessions, repeatability (SEM, MDC95), change, trends, correlation and left–right asymmetry,
each with the plain words the timeline shows (see `stats_text`).

A *session* is all photos of one person, foot, view and calendar day: repeat photos taken
minutes apart differ only by the method's noise (placement, lighting, posture), so their
spread measures that noise, and their mean is the best value of the day.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

from footlog.domain.stats_robust import Correlation, LineFit, pooled_sd, spearman, theil_sen

# Published repeatability, used when the person has too few repeat photos of their own.
# docs/MEASURES.md, "Known error of the method".
PUBLISHED_MDC: dict[str, tuple[float, str]] = {
    "hallux_angle": (6.9, "Yamaguchi et al., JOSPT 2019"),
}

# Photos a verdict ("beyond noise", a trend, the person's own repeatability) may rest on:
# the detector trusted them, the person confirmed them, or corrected a landmark. Photos the
# detector doubted ("review") are drawn, but decide nothing.
TRUSTED_STATUS = frozenset({"ok", "confirmed", "manual"})

# An SD estimated from fewer than 5 degrees of freedom is off by a factor of 1.5 or more
# either way a third of the time (chi-square); 3 sessions keep one odd day from deciding it.
MIN_REPEAT_SESSIONS = 3
MIN_REPEAT_DF = 5

MDC_FACTOR = 1.96 * math.sqrt(2)  # MDC95 = 1.96 * sqrt(2) * SEM (Weir 2005)
DAYS_PER_YEAR = 365.25

RepeatSource = Literal["own", "published", "own_few", "none"]


@dataclass(frozen=True)
class Observation:
    """One measure of one photo. `value` in the measure's unit (docs/MEASURES.md)."""

    photo_id: int
    taken_at: datetime  # wall-clock time where the photo was taken
    foot: str  # "left" / "right"
    view: str
    measure: str
    value: float
    status: str = "ok"  # "review": the detector doubted it; charts draw it hollow
    # How the measure was drawn where it can be drawn more than one way: the hallux angle's
    # proximal line ("heel_tangent" or "refined_window"); "" when there is one way, or when
    # it is not known (a photo measured before footlog recorded it), which compares with any.
    method: str = ""


@dataclass(frozen=True)
class Session:
    """Photos of one foot, view and measure on one calendar day."""

    measure: str
    foot: str
    view: str
    day: date
    photo_ids: tuple[int, ...]
    values: tuple[float, ...]
    barefoot_km: float = math.nan  # cumulative barefoot distance up to and including `day`
    method: str = ""  # as Observation.method: a session holds one method only

    @property
    def n(self) -> int:
        return len(self.values)

    @property
    def mean(self) -> float:
        return sum(self.values) / len(self.values)

    @property
    def sd(self) -> float | None:
        """Sample SD of the day's repeat photos (unit of the measure); None for one photo."""
        if self.n < 2:
            return None
        m = self.mean
        return math.sqrt(sum((v - m) ** 2 for v in self.values) / (self.n - 1))


def build_sessions(observations: Iterable[Observation]) -> dict[tuple[str, str], list[Session]]:
    """Sessions per (measure, foot), oldest first. Photos with an unknown foot are left out:
    a left and a right foot averaged together would be neither; photos of one day drawn by
    different methods make a session each, as their mean would mean neither."""
    groups: dict[tuple[str, str, str, str, date], list[Observation]] = defaultdict(list)
    for o in observations:
        if o.foot in ("left", "right") and math.isfinite(o.value):
            groups[(o.measure, o.foot, o.view, o.method, o.taken_at.date())].append(o)
    result: dict[tuple[str, str], list[Session]] = defaultdict(list)
    ordered = sorted(groups.items(), key=lambda kv: (kv[0][4], kv[0][3]))
    for (measure, foot, view, method, day), obs in ordered:
        obs.sort(key=lambda o: (o.taken_at, o.photo_id))
        result[(measure, foot)].append(
            Session(
                measure,
                foot,
                view,
                day,
                tuple(o.photo_id for o in obs),
                tuple(float(o.value) for o in obs),
                method=method,
            )
        )
    return dict(result)


# Where one day has sessions drawn by two methods, the series follows the first of these
# (the clinical heel line before the fallback: docs/MEASURES.md).
PREFERRED_METHODS = ("heel_tangent", "refined_window")


def comparable(sessions: Sequence[Session]) -> list[Session]:
    """The sessions that can be compared with the latest: those drawn by the method of the
    latest day with a known one, or by an unknown one (""). Oldest first."""
    known = [s for s in sessions if s.method]
    if not known:
        return list(sessions)
    last_day = max(s.day for s in known)
    methods = {s.method for s in known if s.day == last_day}
    method = min(methods, key=lambda m: (m not in PREFERRED_METHODS,
                                         PREFERRED_METHODS.index(m)
                                         if m in PREFERRED_METHODS else 0, m))
    return [s for s in sessions if s.method in (method, "")]


@dataclass(frozen=True)
class Repeatability:
    """How much repeat photos of one day differ, in the measure's unit.

    `source`: "own" (enough of the person's own repeat sessions), "published" (too few: the
    figure of docs/MEASURES.md), "own_few" (too few and nothing published: a rough own
    figure), "none" (no repeat photos and nothing published).
    """

    measure: str
    source: RepeatSource
    mdc95: float | None
    sem: float | None
    repeat_sessions: int
    df: int
    own_sem: float | None = None  # always reported when computable, even if not used
    reference: str = ""


def repeatability(measure: str, sessions: Iterable[Session]) -> Repeatability:
    """SEM = pooled within-session SD over sessions with >= 2 photos (both feet: the noise
    belongs to the method and the photographer, not to one foot), MDC95 = 1.96·√2·SEM."""
    repeats = [s.values for s in sessions if s.measure == measure and s.n >= 2]
    sem, df = pooled_sd(repeats)
    enough = len(repeats) >= MIN_REPEAT_SESSIONS and df >= MIN_REPEAT_DF
    if sem is not None and enough:
        return Repeatability(measure, "own", MDC_FACTOR * sem, sem, len(repeats), df, sem)
    if measure in PUBLISHED_MDC:
        mdc, ref = PUBLISHED_MDC[measure]
        return Repeatability(
            measure, "published", mdc, mdc / MDC_FACTOR, len(repeats), df, sem, ref
        )
    if sem is not None:
        return Repeatability(measure, "own_few", MDC_FACTOR * sem, sem, len(repeats), df, sem)
    return Repeatability(measure, "none", None, None, 0, 0)


def session_mdc(mdc95: float | None, n_first: int, n_latest: int) -> float | None:
    """MDC95 of the difference of two session means of n_first and n_latest photos: the
    single-photo MDC95 times sqrt((1/n_first + 1/n_latest) / 2) (docs/MEASURES.md); MDC/sqrt(n)
    when both sessions hold n photos."""
    if mdc95 is None:
        return None
    return mdc95 * math.sqrt((1.0 / n_first + 1.0 / n_latest) / 2.0)


@dataclass(frozen=True)
class Change:
    """Latest session minus first session, over trusted photos only; `mdc95` is that of
    the two session means (`session_mdc`); `beyond_noise` None when no MDC is known."""

    first: Session
    latest: Session
    delta: float
    mdc95: float | None

    @property
    def beyond_noise(self) -> bool | None:
        if self.mdc95 is None:
            return None
        return abs(self.delta) > self.mdc95


@dataclass(frozen=True)
class Asymmetry:
    """Left minus right on a day both feet were photographed (measure's unit)."""

    measure: str
    day: date
    left: float
    right: float

    @property
    def difference(self) -> float:
        return self.left - self.right


@dataclass
class SeriesStats:
    """Everything about one measure of one foot."""

    measure: str
    foot: str
    sessions: list[Session]
    repeatability: Repeatability
    change: Change | None = None
    trend_km: LineFit | None = None  # slope per 1,000 km of barefoot distance
    trend_year: LineFit | None = None  # slope per year
    correlation: Correlation | None = None  # Spearman, measure vs cumulative barefoot km
    # Sessions left out of the change, trends and correlation because they were drawn by
    # another method than the latest session (`comparable`).
    other_method: int = 0
    # The sessions the verdicts rest on: drawn the same way, holding only trusted photos.
    trusted: list[Session] = field(default_factory=list)
    # The first and the latest session drawn that way, when no photo of it is trusted:
    # an end of the series the verdicts had to leave out ("check it").
    doubted_first: Session | None = None
    doubted_latest: Session | None = None


@dataclass
class TimelineStats:
    """The statistics of every (measure, foot) series, and asymmetry per measure."""

    series: dict[tuple[str, str], SeriesStats] = field(default_factory=dict)
    repeatability: dict[str, Repeatability] = field(default_factory=dict)
    asymmetry: dict[str, list[Asymmetry]] = field(default_factory=dict)

    def get(self, measure: str, foot: str) -> SeriesStats | None:
        return self.series.get((measure, foot))

    def measures(self) -> list[str]:
        """Measures with at least one session, in first-seen order."""
        return list(dict.fromkeys(m for m, _ in self.series))


def asymmetry(sessions: dict[tuple[str, str], list[Session]], measure: str) -> list[Asymmetry]:
    """Days with both feet photographed for `measure`, oldest first."""
    left = {s.day: s for s in sessions.get((measure, "left"), [])}
    right = {s.day: s for s in sessions.get((measure, "right"), [])}
    return [
        Asymmetry(measure, day, left[day].mean, right[day].mean)
        for day in sorted(left.keys() & right.keys())
    ]


def analyse(
    observations: Iterable[Observation],
    barefoot_km_at: Callable[[date], float] | None = None,
) -> TimelineStats:
    """Sessions, repeatability, change, trends, correlation and asymmetry.

    `barefoot_km_at(day)` gives the cumulative barefoot distance (km) up to that day; without
    it the distance-based trend and correlation are left out.
    """
    observations = list(observations)
    sessions = _with_km(build_sessions(observations), barefoot_km_at)
    # Verdicts rest on trusted photos only (TRUSTED_STATUS); every photo is drawn.
    trusted = _with_km(build_sessions(o for o in observations if o.status in TRUSTED_STATUS),
                       barefoot_km_at)
    stats = TimelineStats()
    trusted_sessions = [s for ss in trusted.values() for s in ss]
    for measure in dict.fromkeys(m for m, _ in sessions):
        stats.repeatability[measure] = repeatability(measure, trusted_sessions)
        pairs = asymmetry(trusted, measure)
        if pairs:
            stats.asymmetry[measure] = pairs
    for (measure, foot), ss in sessions.items():
        stats.series[(measure, foot)] = series_stats(
            ss, stats.repeatability[measure], trusted.get((measure, foot), []))
    return stats


def _with_km(sessions: dict[tuple[str, str], list[Session]],
             barefoot_km_at: Callable[[date], float] | None
             ) -> dict[tuple[str, str], list[Session]]:
    """The sessions with their cumulative barefoot distance, when it is known."""
    if barefoot_km_at is None:
        return sessions
    return {
        key: [Session(s.measure, s.foot, s.view, s.day, s.photo_ids, s.values,
                      barefoot_km_at(s.day), s.method) for s in ss]
        for key, ss in sessions.items()
    }


def series_stats(sessions: Sequence[Session], rep: Repeatability,
                 trusted: Sequence[Session] | None = None) -> SeriesStats:
    """Change, trends and correlation of one foot's sessions of one measure, over the
    sessions drawn the same way as the latest (`comparable`) and of those only the trusted
    photos (`trusted`: the same sessions built from trusted photos; all of them when not
    given). Every session is kept in `sessions` for the charts."""
    out = SeriesStats(sessions[0].measure, sessions[0].foot, list(sessions), rep)
    drawn = comparable(sessions)
    out.other_method = len(sessions) - len(drawn)
    method = next((s.method for s in drawn if s.method), "")
    ss = [s for s in (drawn if trusted is None else trusted)
          if not method or s.method in (method, "")]
    out.trusted = ss
    trusted_keys = {(s.day, s.method) for s in ss}
    if drawn and (drawn[0].day, drawn[0].method) not in trusted_keys:
        out.doubted_first = drawn[0]
    if len(drawn) > 1 and (drawn[-1].day, drawn[-1].method) not in trusted_keys:
        out.doubted_latest = drawn[-1]
    if len(ss) >= 2:
        out.change = Change(ss[0], ss[-1], ss[-1].mean - ss[0].mean,
                            session_mdc(rep.mdc95, ss[0].n, ss[-1].n))
    means = [s.mean for s in ss]
    # Trend per year: x in years since the first session, so the intercept is the start value.
    years = [(s.day - ss[0].day).days / DAYS_PER_YEAR for s in ss]
    out.trend_year = theil_sen(years, means) if len(ss) >= 2 else None
    km = [s.barefoot_km for s in ss]
    if all(math.isfinite(k) for k in km) and len(ss) >= 2:
        out.trend_km = theil_sen([k / 1000.0 for k in km], means)
        out.correlation = spearman(km, means)
    return out


def cumulative_km_lookup(days: Sequence[date], km: Sequence[float]) -> Callable[[date], float]:
    """A step function: cumulative km (`km[i]` at the end of `days[i]`, sorted) on any day."""
    from bisect import bisect_right

    ordinals = [d.toordinal() for d in days]
    values = list(km)

    def at(day: date) -> float:
        i = bisect_right(ordinals, day.toordinal())
        return values[i - 1] if i else 0.0

    return at
