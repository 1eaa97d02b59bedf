"""Measure against cumulative barefoot distance, with the robust fit; and all measures at once.

The scatter's x is the barefoot km run up to each session's day. Its line is the Theil–Sen
fit, the band the lines through the median point with the slope's 95 % CI: if the band holds
a flat line, the data do not show a relation.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from footlog.charts.style import (
    FONT_SIZE,
    FOOT_STYLE,
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
from footlog.charts.timeline_chart import FEET, draw_measure
from footlog.domain.statistics import SeriesStats, comparable
from footlog.domain.stats_text import format_value, label
from footlog.domain.timeline import TimelineData, default_range_days


def _fit_band(ax: Axes, s: SeriesStats, color: str, linestyle: str) -> None:
    """Theil–Sen line and its slope-CI band over the sessions' km range."""
    fit = s.trend_km
    if fit is None:
        return
    fitted = comparable(s.sessions)  # the sessions the fit was made on
    km = np.array([x.barefoot_km for x in fitted])
    xs = np.linspace(km.min(), km.max(), 50)
    # The fit is per 1,000 km; pivot the CI lines on the medians, where Theil–Sen anchors.
    x_med, y_med = float(np.median(km)) / 1000, float(np.median([x.mean for x in fitted]))
    line = fit.intercept + fit.slope * xs / 1000
    ax.plot(xs, line, color=color, linestyle=linestyle, linewidth=1.6,
            label=f"{s.foot}: {format_value(s.measure, fit.slope, signed=True)} per 1,000 km")
    if fit.has_ci:
        lo = y_med + fit.low * (xs / 1000 - x_med)  # type: ignore[operator]
        hi = y_med + fit.high * (xs / 1000 - x_med)  # type: ignore[operator]
        ax.fill_between(xs, np.minimum(lo, hi), np.maximum(lo, hi), color=color, alpha=0.12,
                        linewidth=0, label=f"{s.foot}: 95 % CI of the slope")


def _limit_y_to_data(ax: Axes, data: TimelineData, measure: str, feet: Sequence[str]) -> None:
    """Y range from the photos and the fit line, not the CI band: with few sessions the
    band fans out far beyond the data and would squash the points into a line."""
    ys: list[float] = []
    for f in feet:
        s = data.stats.get(measure, f)
        if s is None:
            continue
        ys += [v for x in s.sessions for v in x.values]
        if s.trend_km is not None:
            km = [x.barefoot_km / 1000 for x in s.sessions]
            ys += [s.trend_km.intercept + s.trend_km.slope * k for k in (min(km), max(km))]
    if ys:
        lo, hi = min(ys), max(ys)
        pad = max((hi - lo) * 0.25, 1e-3 if _is_ratio(measure) else 0.5)
        ax.set_ylim(lo - pad, hi + pad)


def _is_ratio(measure: str) -> bool:
    from footlog.domain.views import MEASURES

    return measure in MEASURES and MEASURES[measure].unit == "1"


def scatter_figure(
    data: TimelineData, measure: str, foot: str = "both", fig: Figure | None = None,
    size: tuple[float, float] = (8.0, 5.5),
) -> Figure:
    """`measure` (session means ± SD, photos as small points) against barefoot km."""
    fig = new_figure(fig, size)
    ax = fig.add_subplot()
    style_axes(ax)
    drawn = False
    for f in FEET[foot]:
        s = data.stats.get(measure, f)
        if s is None or not all(np.isfinite(x.barefoot_km) for x in s.sessions):
            continue
        drawn = True
        style = FOOT_STYLE[f]
        # Only sessions drawn the same way as the latest are set against the distance.
        sessions = comparable(s.sessions)
        km = np.array([x.barefoot_km for x in sessions])
        ax.errorbar(km, [x.mean for x in sessions], yerr=[x.sd or 0 for x in sessions],
                    color=style.color, marker=style.marker, linestyle="none", markersize=7,
                    capsize=3, label=f"{f} foot, session mean ± SD", zorder=3)
        px = [x.barefoot_km for x in sessions for _ in x.values]
        py = [v for x in sessions for v in x.values]
        ids = [pid for x in sessions for pid in x.photo_ids]
        ax.scatter(px, py, s=14, marker=style.marker, color=style.color, alpha=0.5,
                   linewidths=0, zorder=4)
        register_points(fig, ax, px, py, ids)
        _fit_band(ax, s, style.color, style.linestyle)
    ax.set_xlabel("Cumulative barefoot distance at the session (km)", fontsize=FONT_SIZE)
    ax.set_ylabel(axis_label(measure), fontsize=FONT_SIZE)
    ax.set_xlim(left=0)
    if drawn:
        _limit_y_to_data(ax, data, measure, FEET[foot])
    who = f" — {data.person}" if data.person else ""
    ax.set_title(f"{label(measure)} against barefoot distance{who}", fontsize=FONT_SIZE + 2,
                 loc="left")
    if drawn:
        ax.legend(fontsize=FONT_SIZE - 1, loc="best", framealpha=0.85)
    else:
        ax.text(0.5, 0.5, "No sessions with barefoot distance to compare", ha="center",
                va="center", transform=ax.transAxes, color="#777777", fontsize=FONT_SIZE + 1)
    fig.text(0.01, 0.01, "Session days are ordered in time as well as in distance: a slope "
             "here is also a slope over the years.", fontsize=FONT_SIZE - 1, color="#333333")
    set_margins(fig, left=0.8, right=0.25, top=0.45, bottom=0.75)
    return fig


def overview_figure(
    data: TimelineData, foot: str = "both", measures: Sequence[str] | None = None,
    fig: Figure | None = None, size: tuple[float, float] | None = None,
) -> Figure:
    """Small multiples: every measure with data, one panel each, on a shared date axis."""
    names = list(measures or data.measures_present)
    ncols = 2 if len(names) > 3 else 1
    nrows = max(1, -(-len(names) // ncols))
    fig = new_figure(fig, size or (11.0, 1.9 * nrows + 1.2))
    axes = np.atleast_1d(fig.subplots(nrows, ncols, sharex=True, squeeze=False)).ravel()
    rng = default_range_days(data)
    for i, ax in enumerate(axes):
        if i >= len(names):
            ax.set_visible(False)
            continue
        if rng:
            ax.set_xlim(to_num(list(rng)))
        draw_measure(fig, ax, data, names[i], FEET[foot], small=True)
        ax.set_ylabel("")
        # Padded above the event numbers, which sit just over the axes.
        ax.set_title(axis_label(names[i]), fontsize=FONT_SIZE, loc="left", pad=17)
        draw_events(ax, data.events, numbered=True)
        date_axis(ax)
        # sharex hides inner tick labels only for full rows; show them under a lone panel.
        if i + ncols >= len(names):
            ax.xaxis.set_tick_params(labelbottom=True)
    if not names:
        axes[0].text(0.5, 0.5, "No measured photos yet", ha="center", va="center",
                     transform=axes[0].transAxes, color="#777777")
    handles, labels = [], []
    for f in FEET[foot]:
        if not any(data.stats.get(m, f) for m in names):
            continue
        style = FOOT_STYLE[f]
        handles.append(axes[0].errorbar([], [], yerr=[], color=style.color,
                                        marker=style.marker, linestyle=style.linestyle))
        labels.append(f"{f} foot")
    who = f" — {data.person}" if data.person else ""
    fig.suptitle(f"All measures{who}", fontsize=FONT_SIZE + 2, x=0.01, ha="left")
    fig.legend(handles, labels, loc="upper right", ncols=2, fontsize=FONT_SIZE - 1,
               frameon=False)
    event_key(fig, data.events)
    set_margins(fig, left=0.65, right=0.25, top=0.75, bottom=bottom_margin(fig, data.events),
                hspace=0.7, wspace=0.18)
    return fig
