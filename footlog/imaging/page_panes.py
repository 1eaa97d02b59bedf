"""Whether a page hypothesis is a window's light: panes divided by straight dark bars.

A window's light on the floor (a patch of sun, its reflection on a glossy floor) or the
window itself is a bright quadrilateral divided by its frame's bars (mullions) into panes:
straight dark bands, a few % of its size wide, running its whole length parallel to a pair
of its sides, with panes as bright as it on both sides. The hypothesis is the window whole
(a bar crosses its inside) or one pane (a bar runs along a side, another pane beyond it).
A page has nothing of the kind: the foot on it is wide and curved (the columns beside it
are covered over part of their length), a leg's shadow has soft edges, a printed line
does not run the page's length, and beyond its sides lies the floor.

The quad is rectified through its homography (the bars of a window are parallel to its
sides in the plane it lies in, the floor or, mirrored, the wall), and profiled across
each pair of sides, from 0.45 of its size before the one to as far beyond the other.

Pixels are OpenCV px of the working picture; grey levels of its search grey.
"""

from __future__ import annotations

import numpy as np

from footlog.domain.page_geometry import square_to_quads
from footlog.imaging.page_profiles import MIN_EDGE_STEP, Picture, sample

# Positions across (x the quad's size) where bars are looked for, and along, where each
# position's grey is taken (away from the corners).
ACROSS = np.arange(-0.45, 1.45 + 1e-9, 1 / 64)
ALONG = np.linspace(0.1, 0.9, 41)
# A position is dark all along when this share of its grey along the quad is darker than
# the page by the drop; bright all along when this share is as light as the page.
ALL_ALONG = 0.85
# The drop that makes a bar: half the step at the quad's outline (a mullion's shadow or
# the floor between two panes' reflections is about as dark as the floor beyond its
# outline), at least an edge point's step.
BAR_DROP = 0.5
# A bar's width (x the quad's size across it): a window's bars are 35-80 mm on panes of
# 200-900 mm (4-30 %, with 3 % for blur); a printed line is under 1 %.
BAR_WIDTH = (2 / 64, 0.3)
# Positions partly dark (neither dark nor bright all along) at each edge of a bar, at
# most: a straight bar's edges are steps, blurred over a position or two; a foot's or a
# leg's curved outline and a shadow's soft edge change gradually across the quad, many
# positions partly covered.
BAR_EDGE = 2
# Bright positions on each side of a bar, at least (a pane, not a speck of light).
PANE_WIDTH = 3


def divided_into_panes(pic: Picture, quad: np.ndarray, page_grey: float, contrast: float
                       ) -> bool:
    """Whether a straight dark bar runs the whole length of `quad` (4 x 2 px) parallel to
    a pair of its sides, inside it or along a side, with bright panes on both sides: as
    bright as `page_grey` (the grey just inside its outline), the bar darker by
    BAR_DROP x `contrast` (its outline's median step)."""
    hom = square_to_quads(quad[None])[0]
    if not np.isfinite(hom).all():
        return False
    drop = max(MIN_EDGE_STEP, BAR_DROP * contrast)
    w, h = pic.size
    for axis in (0, 1):
        t, s = np.meshgrid(ACROSS, ALONG, indexing="ij")
        uv = np.stack([t, s] if axis == 0 else [s, t], axis=-1).reshape(-1, 2)
        p = np.column_stack([uv, np.ones(len(uv))]) @ hom.T
        with np.errstate(divide="ignore", invalid="ignore"):
            xy = p[:, :2] / p[:, 2:3]
        inside = ((p[:, 2] > 0) & (xy[:, 0] >= 0) & (xy[:, 0] <= w - 1) & (xy[:, 1] >= 0)
                  & (xy[:, 1] <= h - 1))
        grey = np.where(inside, sample(pic.grey, np.nan_to_num(xy)), np.nan)
        grey = grey.reshape(len(ACROSS), len(ALONG))
        finite = np.isfinite(grey)
        count = finite.sum(axis=1)
        seen = count >= 0.25 * len(ALONG)  # in the frame along a quarter of it at least
        with np.errstate(invalid="ignore"):
            share_dark = (finite & (grey < page_grey - drop)).sum(axis=1) / np.maximum(count, 1)
            share_bright = ((finite & (grey >= page_grey - drop / 2)).sum(axis=1)
                            / np.maximum(count, 1))
        dark = seen & (share_dark >= ALL_ALONG)
        bright = seen & (share_bright >= ALL_ALONG)
        if _bar_between(dark, bright, seen):
            return True
    return False


def _bar_between(dark: np.ndarray, bright: np.ndarray, seen: np.ndarray) -> bool:
    """Whether, across the quad, a run of positions not bright all along, dark all along
    over BAR_WIDTH but for BAR_EDGE positions at each straight edge, lies between bright
    panes on both sides (PANE_WIDTH positions, or fewer up to the frame's edge), one side
    of it on the quad (inside, or the bar along its side)."""
    on_quad = (ACROSS >= 0) & (ACROSS <= 1)
    n = len(ACROSS)

    def pane(idx: np.ndarray) -> bool:
        """Bright positions `idx` (in order away from the bar) as far as the frame shows."""
        idx = idx[(idx >= 0) & (idx < n)]
        shown = idx[:int(np.argmin(seen[idx]))] if not seen[idx].all() else idx
        return len(shown) >= 1 and bool(bright[shown].all()) and (
            len(shown) >= PANE_WIDTH or len(shown) < len(idx))

    i = 0
    while i < n:
        if bright[i] or not seen[i]:
            i += 1
            continue
        j = i
        while j < n and not bright[j] and seen[j]:
            j += 1
        # Positions i .. j - 1 are in the frame and not bright all along: the bar, dark all
        # along in its core, partly dark at its edges.
        core = np.flatnonzero(dark[i:j])
        before, after = np.arange(i - 1, i - 1 - PANE_WIDTH, -1), np.arange(j, j + PANE_WIDTH)
        if len(core) and pane(before) and pane(after):
            width = (core[-1] - core[0] + 1) / 64
            gaps = (core[-1] - core[0] + 1) - len(core)
            lead, trail = int(core[0]), (j - i - 1) - int(core[-1])
            inside = on_quad[before[before >= 0]].any(), on_quad[after[after < n]].any()
            # A bar across the quad has two straight edges; a bar along a side, the far one
            # (the next pane's): the near one is the quad's side, maybe placed from the
            # paper's shape rather than on the pane's edge.
            if all(inside):
                straight = lead <= BAR_EDGE and trail <= BAR_EDGE
            else:
                straight = trail <= BAR_EDGE if inside[0] else lead <= BAR_EDGE
            if any(inside) and BAR_WIDTH[0] <= width <= BAR_WIDTH[1] and gaps <= 1 and straight:
                return True
        i = j
    return False
