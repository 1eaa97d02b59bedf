"""The timeline: one measure per foot over time against weekly and cumulative barefoot km.

Top panel: each session's mean with its spread (SD of the day's repeat photos) as error
bars, individual photos as small points, and the method's noise (±MDC95) as a band around
the first session: a later point inside the band is not evidence of change.
Bottom panel: weekly distance stacked by footwear, cumulative barefoot km on a second axis.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from footlog.charts.style import (
    FONT_SIZE,
    FOOT_STYLE,
    FOOTWEAR_COLOR,
    axis_label,
    bottom_margin,
    date_axis,
    draw_events,
    event_key,
    new_figure,
    register_points,
    set_margins,
    style_axes,
    to_num,
)
from footlog.domain.statistics import Repeatability, Session, comparable
from footlog.domain.stats_text import format_value, label
from footlog.domain.timeline import TimelineData, default_range_days

FEET: dict[str, tuple[str, ...]] = {
    "left": ("left",),
    "right": ("right",),
    "both": ("left", "right"),
}


def draw_measure(
    fig: Figure, ax: Axes, data: TimelineData, measure: str, feet: Sequence[str],
    band: bool = True, small: bool = False,
) -> bool:
    """Sessions of `measure` for `feet` on a date axis; True if anything was drawn."""
    drawn = False
    rep = data.stats.repeatability.get(measure)
    for foot in feet:
        s = data.stats.get(measure, foot)
        if s is None:
            continue
        drawn = True
        style = FOOT_STYLE[foot]
        # Sessions drawn another way than the latest (the hallux angle from the other
        # proximal line) are not joined to the series nor compared with it.
        main = comparable(s.sessions)
        _draw_sessions(fig, ax, data, main, foot, small)
        other = [x for x in s.sessions if x not in main]
        if other:
            _draw_other_method(fig, ax, other, foot, small)
        if band and rep is not None and rep.mdc95 is not None:
            # Around the first session the verdict compares with (trusted photos only).
            start = s.change.first if s.change else (s.trusted[0] if s.trusted else main[0])
            _draw_band(ax, start, rep, style.color, style.band_hatch, foot)
    ax.set_ylabel(axis_label(measure), fontsize=FONT_SIZE)
    style_axes(ax)
    return drawn


def _draw_sessions(
    fig: Figure, ax: Axes, data: TimelineData, sessions: list[Session], foot: str, small: bool
) -> None:
    style = FOOT_STYLE[foot]
    x = to_num([s.day for s in sessions])
    y = np.array([s.mean for s in sessions])
    err = np.array([s.sd or 0.0 for s in sessions])
    ax.errorbar(
        x, y, yerr=err, color=style.color, marker=style.marker, linestyle=style.linestyle,
        linewidth=1.2, markersize=4 if small else 7, capsize=0 if small else 3,
        elinewidth=1.0, label=f"{foot} foot, session mean ± SD", zorder=3,
    )
    # Individual photos: what hover and click find. Photos the detector doubted are hollow.
    px = [day for s, day in zip(sessions, x.tolist(), strict=True) for _ in s.values]
    py = [v for s in sessions for v in s.values]
    ids = [pid for s in sessions for pid in s.photo_ids]
    hollow = [(info := data.photos.get(pid)) is not None and info.status == "review"
              for pid in ids]
    px_a, py_a, hollow_a = np.array(px), np.array(py), np.array(hollow, dtype=bool)
    size = 10 if small else 18
    ax.scatter(px_a[~hollow_a], py_a[~hollow_a], s=size, marker=style.marker,
               color=style.color, alpha=0.6, zorder=4, linewidths=0)
    ax.scatter(px_a[hollow_a], py_a[hollow_a], s=size, marker=style.marker,
               facecolors="white", edgecolors=style.color, linewidths=0.8, zorder=4)
    register_points(fig, ax, px_a, py_a, ids)


def _draw_other_method(fig: Figure, ax: Axes, sessions: list[Session], foot: str,
                       small: bool) -> None:
    """Photos drawn by another method than the series: faint, unjoined, still clickable."""
    style = FOOT_STYLE[foot]
    x = to_num([s.day for s in sessions])
    px = np.array([day for s, day in zip(sessions, x.tolist(), strict=True) for _ in s.values])
    py = np.array([v for s in sessions for v in s.values])
    ax.scatter(px, py, s=10 if small else 18, marker=style.marker, facecolors="none",
               edgecolors=style.color, linewidths=0.8, alpha=0.7, zorder=2,
               label=f"{foot}: drawn from another line, not compared")
    register_points(fig, ax, px, py, [pid for s in sessions for pid in s.photo_ids])


def add_review_key(ax: Axes, data: TimelineData, measure: str, feet: Sequence[str]) -> None:
    """A legend entry for hollow markers, only when some are drawn."""
    hollow = any(
        data.photos[pid].status == "review"
        for foot in feet
        if (s := data.stats.get(measure, foot))
        for ses in s.sessions
        for pid in ses.photo_ids
        if pid in data.photos
    )
    if hollow:
        ax.scatter([], [], s=18, marker="o", facecolors="white", edgecolors="#444444",
                   label="hollow: one photo the detector doubted")
        ax.scatter([], [], s=18, marker="o", color="#444444", alpha=0.6, label="filled: one photo")


def mdates_num(day) -> float:
    return float(to_num([day])[0])


def _draw_band(ax: Axes, first: Session, rep: Repeatability, color: str, hatch: str,
               foot: str) -> None:
    """±MDC95 around the first session, from that day on (light fill + edge lines)."""
    x0 = mdates_num(first.day)
    lo, hi = first.mean - rep.mdc95, first.mean + rep.mdc95  # type: ignore[operator]
    x1 = max(ax.get_xlim()[1], x0 + 1)  # the caller has set the date range already
    source = {"own": "your repeat photos", "published": "published figure",
              "own_few": "few repeats, rough"}.get(rep.source, "")
    ax.fill_between(
        [x0, x1], lo, hi, color=color, alpha=0.10, hatch=hatch or None, linewidth=0,
        label=f"{foot}: first day ±{format_value(rep.measure, rep.mdc95)}"  # type: ignore[arg-type]
        f", what photos vary by ({source})",
        zorder=0,
    )
    for v in (lo, hi):
        ax.plot([x0, x1], [v, v], color=color, linewidth=0.7, linestyle=FOOT_STYLE[foot].linestyle,
                alpha=0.6, zorder=1)


def draw_mileage(ax: Axes, data: TimelineData) -> Axes | None:
    """Weekly km stacked by footwear (one step artist per class: fast for 500+ weeks) and
    cumulative barefoot km on a twin axis. Returns the twin axis."""
    style_axes(ax)
    ax.set_ylabel("Weekly (km)", fontsize=FONT_SIZE)
    if not data.weeks:
        ax.text(0.5, 0.5, "No runs in this range", transform=ax.transAxes, ha="center",
                va="center", fontsize=FONT_SIZE, color="#777777")
        return None
    edges = to_num([w.start for w in data.weeks] + [data.weeks[-1].end + timedelta(days=1)])
    base = np.zeros(len(data.weeks))
    names = {"barefoot": "barefoot", "minimal": "minimal shoes", "shod": "shod",
             "unknown": "unknown footwear"}
    for cls in ("barefoot", "minimal", "shod", "unknown"):
        km = np.array([getattr(w, f"{cls}_m") for w in data.weeks]) / 1000.0
        if not km.any():
            continue
        # fill_between(step=) is one collection with array limits; `stairs` is a patch whose
        # limits matplotlib finds by walking every Bézier segment (10x slower at 500 weeks).
        ax.fill_between(edges, np.append(base, base[-1]), np.append(base + km, (base + km)[-1]),
                        step="post", color=FOOTWEAR_COLOR[cls], linewidth=0,
                        label=f"weekly {names[cls]}")
        base = base + km
    ax.set_ylim(0, max(1.0, float(base.max()) * 1.05))
    twin = ax.twinx()
    twin.spines["top"].set_visible(False)
    days, total_km = data.cumulative_days, data.cumulative_km
    if days:
        x = to_num(days)
        twin.step(x, total_km, where="post", color="black", linewidth=1.6,
                  label="cumulative barefoot (since first run)")
        twin.set_ylim(0, total_km[-1] * 1.05 if total_km[-1] > 0 else 1)
    twin.set_ylabel("Cumulative barefoot (km)", fontsize=FONT_SIZE)
    twin.tick_params(labelsize=FONT_SIZE - 1)
    return twin


def timeline_figure(
    data: TimelineData, measure: str, foot: str = "both", fig: Figure | None = None,
    size: tuple[float, float] = (10.0, 6.5),
) -> Figure:
    """The timeline of `measure` for `foot` ("left", "right" or "both")."""
    fig = new_figure(fig, size)
    feet = FEET[foot]
    top, bottom = fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [3, 1.5]})
    rng = default_range_days(data)
    if rng:
        top.set_xlim(to_num(list(rng)))
    top.set_autoscalex_on(False)  # the MDC band runs to the right edge of this range
    drawn = draw_measure(fig, top, data, measure, feet)
    if not drawn:
        top.text(0.5, 0.5, f"No measured {' or '.join(feet)} photos for {label(measure)}",
                 transform=top.transAxes, ha="center", va="center", fontsize=FONT_SIZE + 1,
                 color="#777777")
    twin = draw_mileage(bottom, data)
    for ax in (top, bottom):
        draw_events(ax, data.events, numbered=ax is top)
    date_axis(bottom)
    who = f" — {data.person}" if data.person else ""
    whose = f"{feet[0]} foot" if len(feet) == 1 else "both feet"
    # Padded so the event numbers above the axes stay clear of the title.
    top.set_title(f"{label(measure)}, {whose}{who}", fontsize=FONT_SIZE + 2, loc="left", pad=16)
    if drawn:
        add_review_key(top, data, measure, feet)
        # Headroom for the legend: the noise band covers the whole plot, so "best" finds no
        # free corner and would hide points; above the data it hides none.
        lo, hi = top.get_ylim()
        top.set_ylim(lo, hi + 0.3 * (hi - lo))
        top.legend(fontsize=FONT_SIZE - 1, loc="upper left", framealpha=0.9, ncols=2)
    handles, labels = bottom.get_legend_handles_labels()
    if twin is not None:
        h2, l2 = twin.get_legend_handles_labels()
        handles, labels = handles + h2, labels + l2
    if handles:
        bottom.legend(handles, labels, fontsize=FONT_SIZE - 1, loc="upper left",
                      framealpha=0.85, ncols=2)
    event_key(fig, data.events)
    set_margins(fig, left=0.75, right=0.8, top=0.6, bottom=bottom_margin(fig, data.events))
    return fig
