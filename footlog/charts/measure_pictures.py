"""Schematic pictures of each measure, and of how to take a photo, for Help and the report.

Drawn with matplotlib on a plain Figure (no pyplot), from geometry alone: a schematic right
foot seen from above (big toe on the left), from its inner side, and its footprint. The
shapes are illustrations in millimetres of a mid-sized adult foot, not data; what matters
is where each measure's lines run and which way a positive or negative value turns them.
"""

from __future__ import annotations

import io
import math

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Arc, Ellipse, FancyArrowPatch, Polygon, Rectangle

from footlog.domain.measure_guide import GUIDES

SKIN = "#f1d2b8"
EDGE = "#7a5a44"
LINE = "#0072B2"  # Okabe-Ito blue: the measure's lines
SECOND = "#D55E00"  # vermillion: a second line or distance
PICTURE_DPI = 110
# The example values drawn for the two angles (deg): larger than typical, to be seen.
EXAMPLES = {"hallux_angle": (20.0, -10.0), "toe_splay": (15.0, -12.0)}
PANEL_INCHES = (2.4, 3.0)  # one panel: a foot seen from above, upright

# The schematic right foot from above (mm; x lateral to the right, y from the heel up).
HEEL_MEDIAL = np.array([-30.0, 30.0])
MT1 = np.array([-44.0, 172.0])  # the bump at the first metatarsal head
MT5 = np.array([46.0, 150.0])
HALLUX_LENGTH = 62.0  # mm, from MT1 to the tip along the toe
TOE5_LENGTH = 42.0
BODY = np.array([
    [0, 0], [24, 6], [32, 30], [34, 70], [38, 110], [44, 138], MT5, [44, 172], [30, 182],
    [0, 186], [-30, 184], MT1, [-42, 140], [-34, 100], [-34, 60], HEEL_MEDIAL, [-22, 6],
])


def _rotate(v: np.ndarray, degrees: float) -> np.ndarray:
    """`v` turned by `degrees`, positive counter-clockwise (x right, y up)."""
    a = math.radians(degrees)
    return np.array([v[0] * math.cos(a) - v[1] * math.sin(a),
                     v[0] * math.sin(a) + v[1] * math.cos(a)])


def _unit(v: np.ndarray) -> np.ndarray:
    return v / np.linalg.norm(v)


def _toe(ax: Axes, base: np.ndarray, direction: np.ndarray, length: float, width: float) -> None:
    centre = base + direction * length / 2
    angle = math.degrees(math.atan2(direction[1], direction[0]))
    ax.add_patch(Ellipse(tuple(centre), length, width, angle=angle, facecolor=SKIN,
                         edgecolor=EDGE, linewidth=1, zorder=1))


def _border_direction() -> np.ndarray:
    """The medial border's direction, heel to MT1."""
    return _unit(MT1 - HEEL_MEDIAL)


def dorsal_foot(ax: Axes, hallux_angle: float = 10.0, toe_splay: float = 8.0,
                origin: tuple[float, float] | None = None) -> dict:
    """Draw the schematic right foot with its big toe turned by `hallux_angle` (deg, positive
    toward the second toe) and the little toe so that the toe splay is `toe_splay`, its heel
    at `origin` (mm; None: at (0, 0), framed alone). Returns the points the measures are
    drawn from (mm, relative to the heel)."""
    shift = np.zeros(2) if origin is None else np.asarray(origin, dtype=float)
    border = _border_direction()
    # Positive hallux angle: the big toe turns laterally, clockwise on a right foot seen
    # from above with the big toe on the left.
    hallux_dir = _rotate(border, -hallux_angle)
    hallux_medial = MT1 + hallux_dir * HALLUX_LENGTH * 0.8
    # Toe splay: the angle from the big toe's line to the little toe's line, positive when
    # they open toward the tips (the little toe's line turns clockwise of the big toe's).
    toe5_dir = _rotate(hallux_dir, -toe_splay)
    toe5_lateral = MT5 + toe5_dir * TOE5_LENGTH * 0.8
    ax.add_patch(Polygon(BODY + shift, closed=True, facecolor=SKIN, edgecolor=EDGE,
                         linewidth=1, zorder=1))
    normal = _rotate(hallux_dir, -90)  # toward the lateral side of the big toe
    _toe(ax, shift + MT1 + normal * 13, hallux_dir, HALLUX_LENGTH, 27)
    for i, offset in enumerate((34, 54, 72)):  # toes 2-4 between the big and little toes
        base = np.array([-40 + offset, 180 - 4 * i])
        _toe(ax, shift + base, _unit(hallux_dir + toe5_dir), 40 - 4 * i, 17)
    _toe(ax, shift + MT5 - _rotate(toe5_dir, -90) * 8, toe5_dir, TOE5_LENGTH, 16)
    if origin is not None:
        return {}
    ax.set_aspect("equal")
    ax.set_xlim(-95, 95)
    ax.set_ylim(-10, 270)
    ax.axis("off")
    return {"heel_medial": HEEL_MEDIAL, "mt1": MT1, "hallux_medial": hallux_medial,
            "mt5": MT5, "toe5_lateral": toe5_lateral, "hallux_dir": hallux_dir,
            "toe5_dir": toe5_dir, "border": border}


def _line(ax: Axes, a: np.ndarray, b: np.ndarray, colour: str = LINE, **kw) -> None:
    ax.plot([a[0], b[0]], [a[1], b[1]], color=colour, linewidth=2, zorder=3, **kw)


def _dot(ax: Axes, p: np.ndarray, colour: str = LINE) -> None:
    ax.plot([p[0]], [p[1]], "o", color=colour, markersize=5, zorder=4)


def _angle_arc(ax: Axes, centre: np.ndarray, d1: np.ndarray, d2: np.ndarray, radius: float,
               colour: str = LINE) -> None:
    a1 = math.degrees(math.atan2(d1[1], d1[0]))
    a2 = math.degrees(math.atan2(d2[1], d2[0]))
    lo, hi = sorted((a1, a2))
    ax.add_patch(Arc(tuple(centre), 2 * radius, 2 * radius, theta1=lo, theta2=hi,
                     color=colour, linewidth=1.5, zorder=3))


def _hallux_panel(ax: Axes, angle: float) -> None:
    p = dorsal_foot(ax, hallux_angle=angle)
    beyond = p["mt1"] + p["border"] * 70
    _line(ax, p["heel_medial"], beyond, linestyle=(0, (4, 3)))
    _line(ax, p["mt1"], p["mt1"] + p["hallux_dir"] * 75)
    _angle_arc(ax, p["mt1"], p["border"], p["hallux_dir"], 55)
    for k in ("heel_medial", "mt1", "hallux_medial"):
        _dot(ax, p[k])
    ax.set_title(_signed_title(angle), fontsize=15)


def _splay_panel(ax: Axes, splay: float) -> None:
    p = dorsal_foot(ax, hallux_angle=6, toe_splay=splay)
    _line(ax, p["mt1"] - p["hallux_dir"] * 30, p["mt1"] + p["hallux_dir"] * 85)
    _line(ax, p["mt5"] - p["toe5_dir"] * 30, p["mt5"] + p["toe5_dir"] * 85, SECOND)
    for k in ("mt1", "hallux_medial"):
        _dot(ax, p[k])
    for k in ("mt5", "toe5_lateral"):
        _dot(ax, p[k], SECOND)
    ax.set_title(_signed_title(splay), fontsize=15)


def _signed_title(value: float) -> str:
    sign = "positive" if value > 0 else "negative"
    return f"{sign}: {value:+.0f}°".replace("-", "\u2212")


def _widths_panel(ax: Axes, name: str) -> None:
    p = dorsal_foot(ax)
    if name in ("forefoot_width", "toe_spread_ratio"):
        _line(ax, p["mt1"], p["mt5"])
        _dot(ax, p["mt1"])
        _dot(ax, p["mt5"])
    if name == "toe_spread_ratio":
        _line(ax, p["hallux_medial"], p["toe5_lateral"], SECOND)
        _dot(ax, p["hallux_medial"], SECOND)
        _dot(ax, p["toe5_lateral"], SECOND)
    if name == "foot_length":
        ax.add_patch(FancyArrowPatch((60, 0), (60, 246), arrowstyle="<->", mutation_scale=12,
                                     color=LINE, linewidth=2, zorder=3))


# Side view of the inner side of a right foot (mm; x from the heel forward, y up).
SIDE = np.array([
    [0, 8], [4, 30], [14, 55], [40, 70], [80, 74], [120, 66], [160, 48], [200, 30],
    [240, 18], [256, 8], [250, 0], [205, 0], [190, 6], [160, 16], [120, 20], [80, 14],
    [45, 4], [20, 0], [4, 2],
])


def _side_panel(ax: Axes, name: str) -> None:
    ax.add_patch(Polygon(SIDE, closed=True, facecolor=SKIN, edgecolor=EDGE, linewidth=1))
    ax.axhline(0, color="black", linewidth=1)
    if name == "arch_height_index":
        ax.add_patch(FancyArrowPatch((128, 0), (128, 62), arrowstyle="<->", mutation_scale=10,
                                     color=LINE, linewidth=2))
        _line(ax, np.array([0.0, -8.0]), np.array([200.0, -8.0]), SECOND)
        ax.text(100, -20, "heel to ball of the big toe", ha="center", fontsize=8)
    else:
        ax.add_patch(FancyArrowPatch((120, 0), (120, 20), arrowstyle="<->", mutation_scale=8,
                                     color=LINE, linewidth=2))
        if name == "arch_height_ratio":  # the height over the foot's length
            _line(ax, np.array([0.0, -8.0]), np.array([256.0, -8.0]), SECOND)
            ax.text(128, -20, "foot length", ha="center", fontsize=8)
    ax.set_aspect("equal")
    ax.set_xlim(-10, 266)
    ax.set_ylim(-28, 90)
    ax.axis("off")


def _print_panel(ax: Axes, name: str) -> None:
    """A footprint without toes (mm; heel at the bottom), with its measure's lines."""
    y = np.linspace(0, 190, 60)
    half = 28 + 14 * np.sin(np.clip((y - 120) / 70, 0, 1) * math.pi / 2)
    narrow = 1 - 0.55 * np.exp(-((y - 95) / 35) ** 2)  # the midfoot, narrow on the medial side
    lateral = half
    medial = -half * narrow
    outline = np.concatenate([np.c_[lateral, y], np.c_[medial, y][::-1]])
    ax.add_patch(Polygon(outline, closed=True, facecolor="#555555", edgecolor="black"))
    if name == "arch_index":
        for cut in (190 / 3, 2 * 190 / 3):
            ax.axhline(cut, color=LINE, linewidth=2)
        ax.add_patch(Rectangle((-50, 190 / 3), 100, 190 / 3, color=LINE, alpha=0.25))
    elif name in ("chippaux_smirak_index", "staheli_index"):
        i = int(np.argmin(lateral - medial))
        _line(ax, np.array([medial[i], y[i]]), np.array([lateral[i], y[i]]))
        j = int(np.argmax(lateral - medial)) if name == "chippaux_smirak_index" else 8
        _line(ax, np.array([medial[j], y[j]]), np.array([lateral[j], y[j]]), SECOND)
    else:  # clarke_angle
        fore = np.array([medial[-8], y[-8]])
        heel = np.array([medial[6], y[6]])
        arch = np.array([medial[30], y[30]])
        _line(ax, heel, fore + (fore - heel) * 0.1)
        _line(ax, fore, arch + (arch - fore) * 0.3, SECOND)
        _angle_arc(ax, fore, heel - fore, arch - fore, 40)
    ax.set_aspect("equal")
    ax.set_xlim(-70, 70)
    ax.set_ylim(-10, 200)
    ax.axis("off")


def measure_figure(name: str) -> Figure:
    """The picture of one measure: the lines it is drawn from; for the two angles seen from
    above, a positive and a negative example side by side."""
    view = GUIDES[name].name if name in GUIDES else name
    if view in ("hallux_angle", "toe_splay"):
        fig = Figure(figsize=(PANEL_INCHES[0] * 2, PANEL_INCHES[1]), dpi=PICTURE_DPI)
        axes = fig.subplots(1, 2)
        draw = _hallux_panel if view == "hallux_angle" else _splay_panel
        for ax, value in zip(axes, EXAMPLES[view], strict=True):
            draw(ax, value)
    elif view in ("arch_height_index", "arch_height_ratio", "arch_height"):
        fig = Figure(figsize=(PANEL_INCHES[0] * 1.6, PANEL_INCHES[1] * 0.7), dpi=PICTURE_DPI)
        _side_panel(fig.add_subplot(), view)
    elif view in ("arch_index", "chippaux_smirak_index", "staheli_index", "clarke_angle"):
        fig = Figure(figsize=(PANEL_INCHES[0] * 0.8, PANEL_INCHES[1]), dpi=PICTURE_DPI)
        _print_panel(fig.add_subplot(), view)
    else:
        fig = Figure(figsize=PANEL_INCHES, dpi=PICTURE_DPI)
        _widths_panel(fig.add_subplot(), view)
    fig.subplots_adjust(left=0.02, right=0.98, bottom=0.02, top=0.9)
    return fig


def figure_png(fig: Figure) -> bytes:
    """A figure as PNG bytes (for a help page or a report)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=fig.dpi)
    return buffer.getvalue()
