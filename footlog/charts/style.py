"""Shared look of the charts, event markers, clickable photo points and `save_figure`.

Everything is drawn on a plain `matplotlib.figure.Figure` (no pyplot, no global state), so
the same function draws into the Qt canvas of the Timeline tab and into a PNG/SVG/PDF file.
Feet differ by marker and line style as well as colour: the charts are printed and read
in greyscale too.
"""

from __future__ import annotations

import textwrap
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import matplotlib
import matplotlib.dates as mdates
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from footlog.domain.stats_text import label as measure_label
from footlog.domain.stats_text import unit_suffix
from footlog.domain.views import MEASURES


@dataclass(frozen=True)
class FootStyle:
    color: str
    marker: str
    linestyle: str
    band_hatch: str


# Colour-blind-safe pair (Okabe–Ito blue / vermillion) that also differ in lightness.
FOOT_STYLE: dict[str, FootStyle] = {
    "left": FootStyle("#0072B2", "o", "-", ""),
    "right": FootStyle("#D55E00", "s", "--", "//"),
}
# Barefoot dark, minimal mid grey, shod and unknown light grey: distinct in greyscale.
FOOTWEAR_COLOR = {
    "barefoot": "#1A6B3C",
    "minimal": "#8C8C8C",
    "shod": "#CFCFCF",
    "unknown": "#E6E6E6",
}
EVENT_COLOR = "#555555"
FONT_SIZE = 9

_POINTS: weakref.WeakKeyDictionary[Figure, list[PhotoPoints]] = weakref.WeakKeyDictionary()


@dataclass
class PhotoPoints:
    """Photo points drawn on `ax`, in data coordinates, for hover and click lookup."""

    ax: Axes
    x: np.ndarray  # matplotlib date numbers or km
    y: np.ndarray
    ids: list[int]

    def nearest(self, px: float, py: float, radius_px: float) -> tuple[int, float] | None:
        """(photo id, distance in pixels) of the point nearest display position (px, py)."""
        if not self.ids:
            return None
        xy = self.ax.transData.transform(np.column_stack([self.x, self.y]))
        d = np.hypot(xy[:, 0] - px, xy[:, 1] - py)
        i = int(np.argmin(d))
        return (self.ids[i], float(d[i])) if d[i] <= radius_px else None


def register_points(fig: Figure, ax: Axes, x: Sequence[float] | np.ndarray,
                    y: Sequence[float] | np.ndarray,
                    ids: Sequence[int]) -> None:
    _POINTS.setdefault(fig, []).append(
        PhotoPoints(ax, np.asarray(x, float), np.asarray(y, float), list(ids))
    )


def photo_points(fig: Figure) -> list[PhotoPoints]:
    """The clickable photo points of a figure drawn by footlog.charts."""
    return _POINTS.get(fig, [])


def point_at(fig: Figure, px: float, py: float, radius_px: float = 8.0) -> int | None:
    """The photo under display position (px, py) (pixels from the bottom-left), if any."""
    best: tuple[int, float] | None = None
    for points in photo_points(fig):
        hit = points.nearest(px, py, radius_px)
        if hit and (best is None or hit[1] < best[1]):
            best = hit
    return best[0] if best else None


_MARGINS: weakref.WeakKeyDictionary[Figure, tuple[float, float, float, float]] = (
    weakref.WeakKeyDictionary()
)


def new_figure(fig: Figure | None, size: tuple[float, float]) -> Figure:
    """A fresh figure, or `fig` cleared (the Qt canvas keeps its figure between redraws).

    No layout engine: constrained layout measures every tick label twice per draw and
    tripled the drawing time; fixed margins in inches (`set_margins`) do as well here.
    """
    if fig is None:
        fig = Figure(figsize=size)
    else:
        fig.clear()
        fig.set_layout_engine(None)
    _POINTS.pop(fig, None)
    fig.set_facecolor("white")
    return fig


def set_margins(fig: Figure, left: float, right: float, top: float, bottom: float,
                hspace: float = 0.12, wspace: float = 0.25) -> None:
    """Margins in inches, kept when the figure is resized (call `apply_margins` then)."""
    _MARGINS[fig] = (left, right, top, bottom)
    fig.subplotpars.update(hspace=hspace, wspace=wspace)
    apply_margins(fig)


def apply_margins(fig: Figure) -> None:
    """Re-apply the inch margins to the figure's current size (after a window resize)."""
    if fig not in _MARGINS:
        return
    left, right, top, bottom = _MARGINS[fig]
    w, h = fig.get_size_inches()
    # Keep at least a sliver of plot area on a tiny window rather than raising.
    fig.subplots_adjust(
        left=min(left / w, 0.4), right=max(1 - right / w, 0.6),
        top=max(1 - top / h, 0.6), bottom=min(bottom / h, 0.4),
    )


def axis_label(measure: str) -> str:
    """'Hallux angle (°)', 'Forefoot width (mm)', 'Toe spread ratio (ratio)'."""
    unit = MEASURES[measure].unit if measure in MEASURES else ""
    shown = unit_suffix(measure).strip() or ("ratio" if unit == "1" else unit)
    return f"{measure_label(measure)} ({shown})" if shown else measure_label(measure)


def style_axes(ax: Axes) -> None:
    ax.tick_params(labelsize=FONT_SIZE - 1)
    ax.grid(True, axis="y", color="#E0E0E0", linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def date_axis(ax: Axes) -> None:
    locator = mdates.AutoDateLocator(minticks=4, maxticks=10)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))


def to_num(days: Sequence[date]) -> np.ndarray:
    """Matplotlib date numbers; plain dates (no time) by their ordinal, ten times faster
    than `date2num` on the 2,000 days of a cumulative distance line."""
    days = list(days)
    if not days:
        return np.empty(0)
    if all(type(d) is date for d in days):
        offset = float(mdates.date2num(date(1970, 1, 1))) - date(1970, 1, 1).toordinal()
        return np.fromiter((d.toordinal() for d in days), dtype=float, count=len(days)) + offset
    return np.asarray(mdates.date2num(days), dtype=float)


def draw_events(ax: Axes, events: Sequence, numbered: bool = True) -> None:
    """Events as dotted vertical lines, each with its number at the top of the axes.

    Numbers rather than the text: several events within months of each other would
    overlap as text; the key under the figure (`event_key`) gives the words.
    """
    if not events:
        return
    xs = to_num([e.day for e in events])
    # One collection for all the lines (not an axvline each): fewer artists to build and draw.
    ax.vlines(xs, 0, 1, transform=ax.get_xaxis_transform(), colors=EVENT_COLOR,
              linestyles=":", linewidth=1.0, zorder=1)
    for number, x in enumerate(xs.tolist(), start=1):
        if numbered:
            ax.annotate(
                str(number), (x, 1.0), xycoords=("data", "axes fraction"),
                xytext=(0, 2), textcoords="offset points", ha="center", va="bottom",
                fontsize=FONT_SIZE - 1, color="white", annotation_clip=False,
                bbox={"boxstyle": "circle,pad=0.2", "fc": EVENT_COLOR, "ec": "none"},
            )


def key_width_chars(fig: Figure) -> int:
    """How many characters of the event key fit across the figure (about 16 per inch)."""
    return max(40, int(fig.get_figwidth() * 16))


def bottom_margin(fig: Figure, events: Sequence, axis_in: float = 0.4) -> float:
    """Inches below the axes: the date labels plus the lines of the event key."""
    return axis_in + 0.17 * event_key_lines(events, key_width_chars(fig)) + 0.05


def event_key(fig: Figure, events: Sequence, width_chars: int | None = None) -> None:
    """The events' words under the figure: '① 2019-06-01 Started barefoot running (both)'."""
    if not events:
        return
    width_chars = width_chars or key_width_chars(fig)
    fig.text(0.01, 0.01, event_key_text(events, width_chars), fontsize=FONT_SIZE - 1,
             ha="left", va="bottom", color="#333333")


def event_key_text(events: Sequence, width_chars: int = 150) -> str:
    parts = []
    for number, e in enumerate(events, start=1):
        foot = "" if e.foot == "both" else f" ({e.foot} foot)"
        # No-break spaces keep a number with its date and first word when the key wraps.
        first, _, rest = e.text.partition(" ")
        parts.append(f"[{number}]\u00a0{e.day.isoformat()}\u00a0{first} {rest}{foot}")
    lines = textwrap.wrap("    ".join(parts), width_chars)
    return "\n".join(lines[:4] + (["…"] if len(lines) > 4 else []))


def event_key_lines(events: Sequence, width_chars: int = 150) -> int:
    return event_key_text(events, width_chars).count("\n") + 1 if events else 0


def save_figure(fig: Figure, path: Path | str, dpi: int = 150) -> Path:
    """Write `fig` as PNG, SVG or PDF, chosen by the file's suffix."""
    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in ("png", "svg", "pdf"):
        raise ValueError(f"cannot save a chart as {path.suffix or 'a file without suffix'!r}; "
                         "use .png, .svg or .pdf")
    # No dates in the metadata: the same data gives byte-identical SVG/PDF files.
    metadata = {"Creator": "footlog"} if fmt != "png" else {"Software": "footlog"}
    if fmt in ("svg", "pdf"):
        metadata["Date"] = None  # type: ignore[assignment]
    # A fixed salt makes SVG element ids stable too (they are random otherwise).
    with matplotlib.rc_context({"svg.hashsalt": "footlog"}):
        fig.savefig(path, format=fmt, dpi=dpi, metadata=metadata, facecolor="white")
    return path
