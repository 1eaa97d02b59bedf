"""Charts of the timeline: plain matplotlib Figures, for the screen and for files alike.

    timeline_figure(data, measure, foot)   measure over time vs weekly/cumulative barefoot km
    scatter_figure(data, measure, foot)    measure vs cumulative barefoot km, Theil–Sen fit
    overview_figure(data, foot)            every measure as small multiples
    save_figure(fig, path)                 PNG, SVG or PDF by the file's suffix
    point_at(fig, x_px, y_px)              the photo id under a display position (hover/click)
"""

from collections.abc import Callable

from matplotlib.figure import Figure

from footlog.charts.relation_chart import overview_figure, scatter_figure
from footlog.charts.style import apply_margins, photo_points, point_at, save_figure
from footlog.charts.timeline_chart import FEET, timeline_figure

# Their arguments differ (the overview has no measure): callers pick the call by the name.
CHARTS: dict[str, Callable[..., Figure]] = {
    "timeline": timeline_figure,
    "scatter": scatter_figure,
    "overview": overview_figure,
}

__all__ = [
    "CHARTS",
    "FEET",
    "apply_margins",
    "overview_figure",
    "photo_points",
    "point_at",
    "save_figure",
    "scatter_figure",
    "timeline_figure",
]
