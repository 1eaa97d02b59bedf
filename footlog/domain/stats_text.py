"""The timeline's statistics in plain words.

Every sentence states its sample size, and says when a number is inside the method's noise:
a person reading "−3.1°" should never have to know what an MDC is to understand that it
may be nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from footlog.domain.statistics import (
    MDC_FACTOR,
    MIN_REPEAT_DF,
    MIN_REPEAT_SESSIONS,
    Asymmetry,
    Repeatability,
    SeriesStats,
    TimelineStats,
)
from footlog.domain.stats_robust import LineFit
from footlog.domain.views import MEASURES

MINUS = "\u2212"  # typographic minus: "−3.1°" reads better than "-3.1°"


def unit_suffix(measure: str) -> str:
    """'°', ' mm' or '' (ratios have no unit)."""
    unit = MEASURES[measure].unit if measure in MEASURES else ""
    return {"deg": "°", "mm": " mm"}.get(unit, "")


def format_value(measure: str, value: float, signed: bool = False) -> str:
    """A value with its unit: angles and mm to 0.1, ratios to 0.001."""
    unit = MEASURES[measure].unit if measure in MEASURES else ""
    digits = 3 if unit == "1" else 1
    text = f"{value:+.{digits}f}" if signed else f"{value:.{digits}f}"
    return text.replace("-", MINUS) + unit_suffix(measure)


def label(measure: str) -> str:
    return MEASURES[measure].label if measure in MEASURES else measure.replace("_", " ")


def month_year(day: date) -> str:
    return day.strftime("%B %Y")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def describe_change(s: SeriesStats) -> str:
    """'Hallux angle, right: −3.1° since March 2019 (6 sessions), within the ±6.9° …'.

    The verdict rests on trusted photos only (statistics.TRUSTED_STATUS); an end of the
    series that is not trusted is named, with what to do about it."""
    head = f"{label(s.measure)}, {s.foot}"
    if s.change is None:
        return head + ": " + _no_change(s) + _doubted_ends(s) + _other_method(s)
    c = s.change
    text = (
        f"{head}: {format_value(s.measure, c.delta, signed=True)} since "
        f"{month_year(c.first.day)} ({_plural(len(s.trusted), 'session')}"
        + (f" of trusted photos, of {_plural(len(s.sessions) - s.other_method, 'session')}"
           if len(s.trusted) < len(s.sessions) - s.other_method else "")
        + ")"
    )
    if c.mdc95 is None:
        text += "; how much repeat photos vary is not known yet, so this cannot be judged."
    else:
        band = f"±{format_value(s.measure, c.mdc95)}"
        per = (f" (for sessions of {c.first.n} and {c.latest.n} photos)"
               if max(c.first.n, c.latest.n) > 1 else "")
        text += (f", more than the {band} that repeat photos vary by{per}: likely a real "
                 "change." if c.beyond_noise
                 else f", within the {band} that repeat photos vary by{per}: no change shown.")
    return text + _doubted_ends(s) + _other_method(s)


def _no_change(s: SeriesStats) -> str:
    """Why no change is given: too few sessions, or too few trusted ones."""
    drawn = len(s.sessions) - s.other_method
    if len(s.trusted) == 1 and drawn > 1:
        only = s.trusted[0]
        return (f"{format_value(s.measure, only.mean)} on {only.day.isoformat()}, the only "
                f"session of trusted photos of {_plural(drawn, 'session')}: no change can be "
                "judged until another is confirmed.")
    if not s.trusted:
        which = "its only session" if drawn == 1 else f"its {drawn} sessions"
        return (f"no photo of {which} is trusted yet (the detector doubted them): confirm "
                "the ones whose landmarks are right to judge a change.")
    only = s.trusted[-1]
    return (f"{format_value(s.measure, only.mean)} on {only.day.isoformat()}, "
            + ("the only session so far" if not s.other_method
               else "the only session drawn this way so far")
            + "; a later one will show any change.")


def _doubted_ends(s: SeriesStats) -> str:
    """'The December 2011 photo is unconfirmed: check it.' for an end left out."""
    out = ""
    if not s.trusted:
        return out  # `_no_change` has said that none is trusted
    for end, where in ((s.doubted_first, "first"), (s.doubted_latest, "latest")):
        if end is None:
            continue
        one = end.n == 1
        out += (f" The {where} {'photo' if one else 'photos'}, of {month_year(end.day)}, "
                f"{'is' if one else 'are'} unconfirmed (the detector doubted "
                f"{'it' if one else 'them'}) and left out: check {'it' if one else 'them'}.")
    return out


def _other_method(s: SeriesStats) -> str:
    """Why some sessions are left out of the comparison, or ""."""
    if not s.other_method:
        return ""
    return (f" {_plural(s.other_method, 'session')} drawn another way (the hallux angle from "
            "the midfoot instead of the heel, or the other way round) "
            f"{'is' if s.other_method == 1 else 'are'} not compared.")


def describe_repeatability(r: Repeatability) -> str:
    """Where the noise figure comes from, and why that one."""
    name = label(r.measure)
    few = (
        f"{'is' if r.repeat_sessions == 1 else 'are'} only "
        f"{_plural(r.repeat_sessions, 'day')} with repeat photos "
        f"({_plural(r.df, 'degree')} of freedom; at least {MIN_REPEAT_SESSIONS} days and "
        f"{MIN_REPEAT_DF} degrees of freedom are needed)"
    )
    if r.source == "own" and r.mdc95 is not None and r.sem is not None:
        return (
            f"{name}: repeat photos of the same day differ by up to ±"
            f"{format_value(r.measure, r.mdc95)} (MDC95, from your own "
            f"{_plural(r.repeat_sessions, 'day')} of repeat photos; SEM "
            f"{format_value(r.measure, r.sem)})."
        )
    if r.source == "published" and r.mdc95 is not None:
        own = (
            f" Your own repeats so far suggest ±{format_value(r.measure, MDC_FACTOR * r.own_sem)}."
            if r.own_sem is not None
            else ""
        )
        return (
            f"{name}: the ±{format_value(r.measure, r.mdc95)} is the published figure for "
            f"self-taken photos ({r.reference}), used because there {few}.{own}"
        )
    if r.source == "own_few" and r.mdc95 is not None:
        return (
            f"{name}: ±{format_value(r.measure, r.mdc95)} from your repeat photos, a rough "
            f"figure: there {few}. Take two photos each session to firm it up."
        )
    return (
        f"{name}: no repeat photos yet, and no published figure, so nothing can be called "
        "noise or change. Take two photos each session."
    )


def _slope_text(measure: str, fit: LineFit, per: str) -> str:
    slope = format_value(measure, fit.slope, signed=True)
    if not fit.has_ci:
        return f"{slope} per {per} ({_plural(fit.n, 'session')}: too few for a confidence interval)"
    low = format_value(measure, fit.low, signed=True)  # type: ignore[arg-type]
    high = format_value(measure, fit.high, signed=True)  # type: ignore[arg-type]
    verdict = "a trend" if fit.excludes_zero() else "the interval includes no change"
    return f"{slope} per {per} (95 % CI {low} to {high}, {_plural(fit.n, 'session')}: {verdict})"


def describe_trends(s: SeriesStats) -> list[str]:
    """Robust (Theil–Sen) slope against barefoot distance and against time."""
    lines = []
    if s.trend_km is not None:
        total = s.sessions[-1].barefoot_km
        lines.append(
            f"Against barefoot distance: {_slope_text(s.measure, s.trend_km, '1,000 km')}; "
            f"{total:,.0f} km barefoot by the last session."
        )
    if s.trend_year is not None:
        lines.append(f"Against time: {_slope_text(s.measure, s.trend_year, 'year')}.")
    return lines


def describe_correlation(s: SeriesStats) -> str | None:
    """Spearman's rho, with an honest sentence about n and about time as a confounder."""
    c = s.correlation
    if c is None:
        if len(s.sessions) < 3:
            return None
        return "No correlation with barefoot distance can be computed (the values do not vary)."
    head = f"Spearman ρ = {c.rho:+.2f} with barefoot distance over {_plural(c.n, 'session')}"
    head = head.replace("-", MINUS)
    if c.n < 5:
        verdict = "far too few sessions to tell anything"
    elif c.n < 10:
        verdict = f"p = {c.p:.2f}; with under 10 sessions even a strong-looking ρ arises by chance"
    elif c.p < 0.05:
        verdict = f"p = {c.p:.3f}"
    else:
        verdict = f"p = {c.p:.2f}: no evidence of a relation"
    return f"{head} ({verdict})."


CONFOUNDED = (
    "Barefoot distance only grows with time, so neither trend nor correlation can tell "
    "barefoot running apart from anything else that changed over the same years."
)


def describe_asymmetry(pairs: list[Asymmetry], rep: Repeatability | None) -> str:
    measure = pairs[0].measure
    diffs = [p.difference for p in pairs]
    mean = sum(diffs) / len(diffs)
    where = (
        f"on {pairs[0].day.isoformat()}"
        if len(pairs) == 1
        else f"mean over {len(pairs)} days (latest {pairs[-1].day.isoformat()})"
    )
    text = f"{label(measure)}, left − right: {format_value(measure, mean, signed=True)} {where}"
    if rep is not None and rep.mdc95 is not None:
        inside = abs(mean) <= rep.mdc95
        text += ", within" if inside else ", more than"
        text += f" the ±{format_value(measure, rep.mdc95)} of the method's noise"
    return text + "."


def summary_lines(
    stats: TimelineStats, measure: str, feet: Iterable[str] = ("left", "right")
) -> list[str]:
    """All sentences for one measure and the chosen feet, in reading order."""
    feet = tuple(feet)
    lines: list[str] = []
    for foot in feet:
        s = stats.get(measure, foot)
        if s is None:
            lines.append(f"{label(measure)}, {foot}: no measured photos in this range.")
            continue
        lines.append(describe_change(s))
        lines.extend(describe_trends(s))
        corr = describe_correlation(s)
        if corr:
            lines.append(corr)
    rep = stats.repeatability.get(measure)
    if rep is not None:
        lines.append(describe_repeatability(rep))
    if measure in stats.asymmetry:
        lines.append(describe_asymmetry(stats.asymmetry[measure], rep))
    if any(s.trend_km for f in feet if (s := stats.get(measure, f))):
        lines.append(CONFOUNDED)
    return lines
