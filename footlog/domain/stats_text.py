"""The timeline's statistics in plain words.

Two layers: a *lead* that anyone understands ("Your right big-toe angle has not changed by
more than your photos vary"), and *details* with the numbers behind it (sample sizes, the
noise figure, slopes and their ranges). A person reading "−3.1°" should never have to know
what an MDC is to understand that it may be nothing, and no sentence counts zero of
anything: where something is missing, the words say what to do instead.

Only the words live here; the verdicts (trusted photos only, doubted ends named, the noise
of two session means) are footlog.domain.statistics's, unchanged by how they are said.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from footlog.domain.measure_guide import plain_name
from footlog.domain.statistics import (
    MDC_FACTOR,
    MIN_REPEAT_DF,
    MIN_REPEAT_SESSIONS,
    Asymmetry,
    Change,
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
    if round(value, digits) == 0:
        value = 0.0  # "−0.0°" or "+0.0°" reads as a change that is not there
    text = f"{value:+.{digits}f}" if signed and value else f"{value:.{digits}f}"
    return text.replace("-", MINUS) + unit_suffix(measure)


def label(measure: str) -> str:
    return MEASURES[measure].label if measure in MEASURES else measure.replace("_", " ")


def month_year(day: date) -> str:
    return day.strftime("%B %Y")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _days(n: int) -> str:
    """'1 day', '4 days'; a session is one day's photos of one foot (drawn one way)."""
    return _plural(n, "day")


# -- the lead: one sentence per foot that anyone understands --------------------------------


@dataclass(frozen=True)
class Voice:
    """Who the lead speaks to: the person in the window ("Your", "your photos"), or a
    reader of the report about the person ("The", "the photos")."""

    owner: str = "Your"
    photos: str = "your photos"
    # What to do about photos the detector doubted, and about an unknown noise.
    check: str = ("Check (Photo ▸ Review Photos) and confirm the photos whose landmarks are "
                  "right to judge a change.")
    learn: str = "take two or three photos on the same day to learn it."
    # Whose repeat photos, who has them, and the advice that goes with their number.
    whose: str = "your"
    has: str = "You have"
    advice: str = ("Take two or three photos on the same day to learn how much your own "
                   "photos vary.")


TO_THE_PERSON = Voice()
TO_A_READER = Voice(
    "The", "the photos",
    "Doubted photos decide nothing until the person checks and confirms their landmarks.",
    "two or three photos on one day would tell.",
    "the person's", "The person has",
    "Two or three photos on one day would show how much the person's own photos vary.")


def lead_sentence(s: SeriesStats, voice: Voice = TO_THE_PERSON) -> str:
    """'Your right big-toe angle has not changed by more than your photos vary (−0.4° since
    March 2019).' The verdict is `s.change`'s (trusted photos only); doubted ends are named
    with what to do about them."""
    who = f"{voice.owner} {s.foot} {plain_name(s.measure)}"
    c = s.change
    if c is None:
        return who + _lead_without_change(s, voice) + _doubted_ends(s)
    delta = format_value(s.measure, c.delta, signed=True)
    since = f"since {month_year(c.first.day)}"
    if c.beyond_noise is None:
        text = (f"{who} has changed by {delta} {since}, but how much {voice.photos} vary is "
                f"not known yet: {voice.learn}")
    elif c.beyond_noise:
        text = (f"{who} has changed by {delta} {since}: more than {voice.photos} vary, so "
                "likely a real change.")
    else:
        text = f"{who} has not changed by more than {voice.photos} vary ({delta} {since})."
    return text + _doubted_ends(s)


def _lead_without_change(s: SeriesStats, voice: Voice) -> str:
    drawn = len(s.sessions) - s.other_method
    if not s.trusted:
        which = "its only photo" if sum(x.n for x in s.sessions) == 1 else "its photos"
        return f": the detector doubted {which} so far. {voice.check}"
    only = s.trusted[-1]
    value = f"{format_value(s.measure, only.mean)} on {only.day.day} {only.day:%B %Y}"
    if len(s.trusted) == 1 and drawn > 1:
        return (f" was {value}, the only day of trusted photos: confirm the photos of "
                "another day to judge a change.")
    return f" was {value}; photos of a later day will show any change."


# -- the details: the numbers behind the lead ------------------------------------------------


def describe_change(s: SeriesStats) -> str:
    """'Hallux angle, right: −3.1° since March 2019 (6 days), within the ±6.9° …'.

    The verdict rests on trusted photos only (statistics.TRUSTED_STATUS); an end of the
    series that is not trusted is named, with what to do about it."""
    head = f"{label(s.measure)}, {s.foot}"
    if s.change is None:
        return head + ": " + _no_change(s) + _doubted_ends(s) + _other_method(s)
    c = s.change
    drawn = len(s.sessions) - s.other_method
    text = (
        f"{head}: {format_value(s.measure, c.delta, signed=True)} since "
        f"{month_year(c.first.day)} ({_days(len(s.trusted))}"
        + (f" of trusted photos, of {drawn}" if len(s.trusted) < drawn else "")
        + ")"
    )
    if c.mdc95 is None:
        text += "; how much repeat photos vary is not known yet, so this cannot be judged."
    else:
        text += (f", {'more than' if c.beyond_noise else 'within'} the "
                 f"±{format_value(s.measure, c.mdc95)} that repeat photos vary by"
                 f"{_per_sessions(c)}: "
                 + ("likely a real change." if c.beyond_noise else "no change shown."))
    return text + _doubted_ends(s) + _other_method(s)


def _per_sessions(c: Change) -> str:
    """' (for days of 3 and 2 photos)' when the noise was divided for repeat photos."""
    if max(c.first.n, c.latest.n) == 1:
        return ""
    return f" (for days of {c.first.n} and {c.latest.n} photos)"


def _no_change(s: SeriesStats) -> str:
    """Why no change is given: too few days, or too few trusted ones."""
    drawn = len(s.sessions) - s.other_method
    if len(s.trusted) == 1 and drawn > 1:
        only = s.trusted[0]
        return (f"{format_value(s.measure, only.mean)} on {only.day.isoformat()}, the only "
                f"day of trusted photos of {_days(drawn)}: no change can be judged until "
                "another is confirmed.")
    if not s.trusted:
        which = "its only day" if drawn == 1 else f"its {_days(drawn)}"
        return (f"no photo of {which} is trusted yet (the detector doubted them): confirm "
                "the ones whose landmarks are right to judge a change.")
    only = s.trusted[-1]
    return (f"{format_value(s.measure, only.mean)} on {only.day.isoformat()}, "
            + ("the only day so far" if not s.other_method
               else "the only day drawn this way so far")
            + "; a later one will show any change.")


def _doubted_ends(s: SeriesStats) -> str:
    """'The December 2011 photo is unconfirmed: check it.' for an end left out."""
    out = ""
    if not s.trusted:
        return out  # the sentence before has said that none is trusted
    for end, where in ((s.doubted_first, "first"), (s.doubted_latest, "latest")):
        if end is None:
            continue
        one = end.n == 1
        out += (f" The {where} {'photo' if one else 'photos'}, of {month_year(end.day)}, "
                f"{'is' if one else 'are'} unconfirmed (the detector doubted "
                f"{'it' if one else 'them'}) and left out: check {'it' if one else 'them'}.")
    return out


def _other_method(s: SeriesStats) -> str:
    """Why some days are left out of the comparison, or ""."""
    if not s.other_method:
        return ""
    return (f" Photos of {_days(s.other_method)} drawn another way (the hallux angle from "
            "the midfoot instead of the heel, or the other way round) are not compared.")


def describe_repeatability(r: Repeatability, voice: Voice = TO_THE_PERSON) -> str:
    """How much repeat photos vary, where that figure comes from, and what would firm it up.
    Never a zero count: with no repeat photos, it says what to do instead."""
    name = label(r.measure)
    if r.source == "own" and r.mdc95 is not None and r.sem is not None:
        return (
            f"{name}: {voice.whose} repeat photos of the same day differ by up to "
            f"±{format_value(r.measure, r.mdc95)} (MDC95, from {_days(r.repeat_sessions)} "
            f"with repeat photos; SEM {format_value(r.measure, r.sem)}): a smaller change "
            "may be noise."
        )
    if r.source == "published" and r.mdc95 is not None:
        head = (f"{name}: a change smaller than ±{format_value(r.measure, r.mdc95)} may be "
                f"noise (the published figure for self-taken photos, {r.reference}).")
        if not r.repeat_sessions:
            return f"{head} {voice.advice}"
        own = (f" {voice.whose.capitalize()} own repeats so far suggest "
               f"±{format_value(r.measure, MDC_FACTOR * r.own_sem)}."
               if r.own_sem is not None else "")
        return f"{head} {_too_few_repeats(r, voice)}{own}"
    if r.source == "own_few" and r.mdc95 is not None:
        return (f"{name}: about ±{format_value(r.measure, r.mdc95)} from {voice.whose} repeat "
                f"photos, a rough figure. {_too_few_repeats(r, voice)}")
    return (f"{name}: how much photos vary is not known yet (there is no published figure "
            f"for it). {voice.advice}")


def _too_few_repeats(r: Repeatability, voice: Voice) -> str:
    """What footlog still needs to use the person's own figure (only with some repeats)."""
    return (f"{voice.has} repeat photos on {_days(r.repeat_sessions)}; footlog uses "
            f"{voice.whose} own figure from {MIN_REPEAT_SESSIONS} such days with at least "
            f"{MIN_REPEAT_DF} extra photos among them.")


def _slope_text(measure: str, fit: LineFit, per: str) -> str:
    slope = format_value(measure, fit.slope, signed=True)
    if not fit.has_ci:
        return f"{slope} per {per} (from {_days(fit.n)}: too few to tell a trend)"
    low = format_value(measure, fit.low, signed=True)  # type: ignore[arg-type]
    high = format_value(measure, fit.high, signed=True)  # type: ignore[arg-type]
    verdict = ("a trend" if fit.excludes_zero()
               else "no clear trend, since the range includes no change")
    return (f"{slope} per {per}, likely between {low} and {high} (95 % range, from "
            f"{_days(fit.n)}): {verdict}")


def describe_trends(s: SeriesStats) -> list[str]:
    """Robust (Theil–Sen) slope against barefoot distance and against time."""
    lines = []
    if s.trend_km is not None:
        total = s.sessions[-1].barefoot_km
        lines.append(
            f"Against barefoot distance: {_slope_text(s.measure, s.trend_km, '1,000 km')}; "
            f"{total:,.0f} km barefoot by the last day."
        )
    if s.trend_year is not None:
        lines.append(f"Against time: {_slope_text(s.measure, s.trend_year, 'year')}.")
    return lines


def describe_correlation(s: SeriesStats) -> str | None:
    """Spearman's rank correlation in words, honest about n and about chance."""
    c = s.correlation
    if c is None:
        if len(s.sessions) < 3:
            return None
        return "No relation with barefoot distance can be computed (the values do not vary)."
    head = (f"Does it follow barefoot distance? Rank correlation {c.rho:+.2f} (Spearman ρ; "
            f"+1 and −1 mean always together, 0 not at all) over {_days(c.n)}")
    head = head.replace("-", MINUS)
    if c.n < 5:
        verdict = "far too few days to tell anything"
    elif c.n < 10:
        verdict = (f"p = {c.p:.2f}; with under 10 days even a strong-looking correlation "
                   "arises by chance")
    elif c.p < 0.05:
        verdict = f"p = {c.p:.3f}: unlikely to be chance alone"
    else:
        verdict = f"p = {c.p:.2f}: no evidence of a relation"
    return f"{head}: {verdict}."


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
        text += f" the ±{format_value(measure, rep.mdc95)} that photos vary by"
    return text + "."


@dataclass
class PlainSummary:
    """The words of one measure: `lead` first (short, plain), then `details` (numbers)."""

    lead: list[str] = field(default_factory=list)
    details: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        return self.lead + self.details


def plain_summary(
    stats: TimelineStats, measure: str, feet: Iterable[str] = ("left", "right"),
    voice: Voice = TO_THE_PERSON,
) -> PlainSummary:
    """The lead sentence of each foot, then the numbers: change, trends, correlation, the
    noise figure and where it comes from, left-right difference, the caveat about time."""
    feet = tuple(feet)
    out = PlainSummary()
    for foot in feet:
        s = stats.get(measure, foot)
        if s is None:
            out.lead.append(f"{voice.owner} {foot} {plain_name(measure)}: no measured photos "
                            "in this range.")
            continue
        out.lead.append(lead_sentence(s, voice))
        if s.change is not None:  # without a change, the lead has said all there is
            out.details.append(describe_change(s))
        out.details.extend(describe_trends(s))
        corr = describe_correlation(s)
        if corr:
            out.details.append(corr)
    rep = stats.repeatability.get(measure)
    if rep is not None:
        out.details.append(describe_repeatability(rep, voice))
    if measure in stats.asymmetry:
        out.details.append(describe_asymmetry(stats.asymmetry[measure], rep))
    if any(s.trend_km for f in feet if (s := stats.get(measure, f))):
        out.details.append(CONFOUNDED)
    return out


def summary_lines(
    stats: TimelineStats, measure: str, feet: Iterable[str] = ("left", "right")
) -> list[str]:
    """All sentences for one measure and the chosen feet, in reading order (lead first)."""
    return plain_summary(stats, measure, feet).lines()
