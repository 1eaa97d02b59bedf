"""Pictures of how to take a photo (Help ▸ Taking Photos): the sheet with a foot on it, and
the camera straight above at the height the protocol gives (footlog.domain.capture_guide).

Drawn with matplotlib from the sheet's own layout (footlog.imaging.calibration_sheet), so
the picture shows the markers and the heel line where the printed sheet has them.
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, Polygon, Rectangle

from footlog.charts.measure_pictures import EDGE, LINE, PICTURE_DPI, SKIN, dorsal_foot
from footlog.domain.capture_guide import CAMERA_HEIGHT_CM, PHONE_FIELD_OF_VIEW_DEG, covered_cm
from footlog.imaging.calibration_sheet import LAYOUTS, marker_bits


def sheet_figure(paper: str = "a4") -> Figure:
    """The calibration sheet from above with a right foot on it, heel on the heel line."""
    layout = LAYOUTS[paper]
    w, h = layout.paper.width_mm, layout.paper.height_mm
    fig = Figure(figsize=(2.6, 3.4), dpi=PICTURE_DPI)
    ax = fig.add_axes((0.02, 0.02, 0.96, 0.96))
    ax.add_patch(Rectangle((0, 0), w, h, facecolor="white", edgecolor="black", linewidth=1))
    for marker_id, (cx, cy, size) in layout.markers.items():
        bits = marker_bits(marker_id)
        ax.imshow(~bits, cmap="gray", interpolation="nearest", zorder=2,
                  extent=(cx - size / 2, cx + size / 2, h - cy - size / 2, h - cy + size / 2))
    heel_y = h - layout.heel_y_mm  # y up in the picture
    ax.plot([w / 2 - 45, w / 2 + 45], [heel_y, heel_y], color="black", linewidth=2, zorder=3)
    ax.text(w / 2, heel_y - 12, "heel line", ha="center", fontsize=8)
    # The schematic foot is drawn heel at (0, 0) in mm: move it onto the heel line.
    dorsal_foot(ax, origin=(w / 2, heel_y))
    ax.set_xlim(-10, w + 10)
    ax.set_ylim(-10, h + 10)
    ax.set_aspect("equal")
    ax.axis("off")
    return fig


def camera_figure() -> Figure:
    """Side view: a standing leg on the sheet, the phone level and straight above the toes at
    CAMERA_HEIGHT_CM, and the floor the photo covers."""
    fig = Figure(figsize=(3.6, 3.4), dpi=PICTURE_DPI)
    ax = fig.add_axes((0.02, 0.02, 0.96, 0.96))
    height = CAMERA_HEIGHT_CM
    ax.plot([-55, 55], [0, 0], color="black", linewidth=1.5)
    ax.add_patch(Rectangle((-15, -0.6), 30, 0.6, color="#999999"))  # the sheet, edge on
    # A leg standing on the sheet: foot from x=-12 (heel) to 13 (toes), the leg up past the
    # phone (the person stands; the phone is held in front of the leg, above the toes).
    top = height + 10
    ax.add_patch(Polygon(np.array([[-12, 0], [13, 0], [12, 3], [-2, 8], [-3, 40], [-1, top],
                                   [-13, top], [-11, 40], [-12, 8]]),
                         closed=True, facecolor=SKIN, edgecolor=EDGE))
    toes_x = 8.0
    half = math.radians(PHONE_FIELD_OF_VIEW_DEG[0] / 2)
    reach = height * math.tan(half)
    ax.add_patch(Polygon(np.array([[toes_x, height], [toes_x - reach, 0], [toes_x + reach, 0]]),
                         closed=True, facecolor=LINE, alpha=0.12, edgecolor="none"))
    ax.add_patch(Rectangle((toes_x - 7, height), 14, 2, color="black"))  # the phone, level
    ax.add_patch(FancyArrowPatch((toes_x + 24, 0), (toes_x + 24, height), arrowstyle="<->",
                                 mutation_scale=12, color=LINE, linewidth=1.5))
    ax.text(toes_x + 27, height / 2, f"about\n{height} cm", va="center", fontsize=9, color=LINE)
    ax.text(toes_x + 9, height + 1, "phone level,\nabove the toes", va="center", fontsize=8)
    long_side, _ = covered_cm()
    ax.text(0, -7, f"the photo covers about {long_side:.0f} cm", ha="center", fontsize=8)
    ax.set_xlim(-58, 58)
    ax.set_ylim(-12, height + 12)
    ax.set_aspect("equal")
    ax.axis("off")
    return fig
