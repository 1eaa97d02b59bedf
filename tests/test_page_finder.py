"""The page finder on rendered scenes (tests/page_scenes.py): a page on tiled, marble and
textured floors, partly under the leg, with and without the focal length; tile grids with
no page; footlog's printed sheet under perspective, the leg and glare.

These are fixed regression cases. How often the finder succeeds over many scenes of real
feet is measured by benchmarks/scenes.py, not here.
"""

from __future__ import annotations

import numpy as np
import pytest
from page_scenes import render_scene

from footlog.domain.calibration import A4, LETTER, apply_homography
from footlog.imaging.calibration import calibrate
from footlog.imaging.calibration_paper import find_paper, search_page

SIZE = (640, 480)


def _corner_errors(fit, scene) -> np.ndarray:
    """Distance (% of the page's diagonal) of each true corner from the found one, in the
    best of the found quad's orders (a page has no top)."""
    truth = scene.corners - 0.5  # photo px -> OpenCV px
    best = None
    for quad in (fit.quad, fit.quad[::-1]):
        for r in range(4):
            err = np.linalg.norm(np.roll(quad, r, axis=0) - truth, axis=1)
            if best is None or err.max() < best.max():
                best = err
    return best / np.linalg.norm(truth[2] - truth[0]) * 100


def _matching_order(fit, scene) -> list[int]:
    """For each true corner, the index of the found corner nearest it."""
    truth = scene.corners - 0.5
    return [int(np.argmin(np.linalg.norm(fit.quad - t, axis=1))) for t in truth]


# --- tile grids, with and without a page ----------------------------------------------------


@pytest.mark.parametrize("floor", ["white_tile", "green_white", "marble"])
def test_no_page_is_found_on_tiles_and_marble_without_one(floor: str) -> None:
    """A foot and a leg on a tile grid (white with grout, green-and-white chequered or
    bordered) or on marble: every quadrilateral the lines make is judged and refused."""
    for seed in range(4):
        scene = render_scene(seed, floor=floor, paper=None, size=SIZE)
        found = search_page(scene.image)
        assert found.judged, "the grid's lines make hypotheses"
        assert all(j.reason is not None for j in found.judged)
        assert find_paper(scene.image) is None


@pytest.mark.parametrize(("floor", "seed", "kwargs"), [
    ("white_tile", 1, {"corners_hidden": 1}),
    ("white_tile", 2, {"corners_hidden": 1}),
    ("white_tile", 4, {"corners_hidden": 1}),
    ("green_white", 0, {"leg": False}),
    ("green_white", 4, {"leg": False}),
    ("marble", 1, {"leg": False}),
    ("marble", 2, {"leg": False}),
])
def test_a_page_on_tiles_or_marble_is_the_page_not_a_tile(floor: str, seed: int,
                                                            kwargs: dict) -> None:
    scene = render_scene(seed, floor=floor, glare=False, tilt_deg=20.0, fill=0.55, size=SIZE,
                         **kwargs)
    fit = find_paper(scene.image, paper=scene.paper)
    assert fit is not None
    err = _corner_errors(fit, scene)
    assert err[np.array(scene.corner_seen)].max() < 1.0  # % of the diagonal


# --- pages partly hidden, and which paper ----------------------------------------------------


@pytest.mark.parametrize(("floor", "seed"), [("carpet", 0), ("carpet", 2), ("wood", 0),
                                             ("wood", 1), ("white_tile", 2)])
def test_hidden_corners_are_placed_and_reported(floor: str, seed: int) -> None:
    """One corner under the leg: placed by extending the sides, and said to be hidden."""
    scene = render_scene(seed, floor=floor, corners_hidden=1, glare=False, tilt_deg=15.0,
                         fill=0.6, size=SIZE)
    fit = find_paper(scene.image, paper=scene.paper)
    assert fit is not None
    err = _corner_errors(fit, scene)
    assert err.max() < 1.5
    # Every corner the leg hides is said hidden (one that shows may be said hidden too,
    # when the edge found stops short of it).
    hidden_truly = [not s for s in scene.corner_seen]
    order = _matching_order(fit, scene)
    assert all(not fit.corner_seen[order[i]] for i in range(4) if hidden_truly[i])


@pytest.mark.parametrize("paper", [A4, LETTER], ids=["a4", "letter"])
def test_the_focal_length_tells_a4_from_letter(paper) -> None:
    """With the focal length (EXIF), a page seen 30 deg off vertical is named by its shape,
    whatever the paper setting: six scenes, each right and measured."""
    other = LETTER if paper is A4 else A4
    for seed in range(6):
        scene = render_scene(seed, floor="carpet", paper=paper, leg=False, tilt_deg=30.0,
                             fill=0.55, size=SIZE)
        fit = find_paper(scene.image, focal_px=scene.focal_px, paper=other)
        assert fit is not None and fit.paper == paper and fit.size_told
        assert _corner_errors(fit, scene).max() < 0.5


def test_without_the_focal_length_the_setting_is_used_unless_the_shape_tells() -> None:
    """Without EXIF, the same pages: named by their shape only where it tells whatever the
    lens; otherwise the paper setting, marked as assumed. Never the wrong one told."""
    for paper in (A4, LETTER):
        for seed in range(6):
            scene = render_scene(seed, floor="carpet", paper=paper, leg=False, tilt_deg=30.0,
                                 fill=0.55, size=SIZE)
            for setting in (A4, LETTER):
                fit = find_paper(scene.image, paper=setting)
                assert fit is not None
                if fit.size_told:
                    assert fit.paper == paper
                else:
                    assert fit.paper == setting


# --- footlog's sheet -------------------------------------------------------------------------


@pytest.mark.parametrize("floor", ["white_tile", "green_white", "marble", "carpet"])
def test_the_sheet_keeps_priority_under_perspective_leg_and_glare(floor: str) -> None:
    """The printed sheet, 25 deg off vertical, a corner under the leg, a glare spot on
    glossy floors: found by its markers (not as a plain page), its scale right within a
    few mm where the foot stands (the sheet frame's points mapped back)."""
    errors = []
    for seed in range(3):
        scene = render_scene(seed, floor=floor, sheet="a4", corners_hidden=1, glare=True,
                             tilt_deg=25.0, fill=0.6, size=SIZE)
        cal = calibrate(scene.image)
        assert cal.method == "sheet"
        assert cal.paper_size == "measured"
        inside = np.array([[40.0, 60.0], [170.0, 60.0], [105.0, 150.0], [40.0, 240.0],
                           [170.0, 240.0]])
        got = apply_homography(cal.homography, apply_homography(scene.homography, inside))
        errors.append(np.abs(got - inside).max())
    assert max(errors) < 4.0 and float(np.median(errors)) < 1.0
