"""The page finder on rendered scenes (tests/page_scenes.py): a page on tiled, marble and
textured floors, partly under the leg, with and without the focal length; tile grids with
no page; footlog's printed sheet under perspective, the leg and glare.

These are fixed regression cases, and a few scenes of real feet (tests/scene_generator) the
finder once missed or took a tile for a page on. How often the finder succeeds over many
scenes of real feet is measured by benchmarks/scenes.py, not here.
"""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from page_scenes import render_scene
from scene_generator import generate_scene, scene_seeds

from footlog.domain.calibration import A4, LETTER, apply_homography
from footlog.imaging.calibration import calibrate
from footlog.imaging.calibration_paper import find_paper, search_page
from footlog.imaging.page_evidence import ends_before, hidden_stretches

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


# --- scenes of real feet (tests/scene_generator): fixed cases -------------------------------

# Scenes of a run of benchmarks/scenes.py (its scene i is scene_seeds(count, seed)[i]).
RUN_7 = scene_seeds(200, 7)
RUN_0 = scene_seeds(250, 0)


@pytest.mark.parametrize(("index", "floor", "largest_area"), [
    (13, "wood", 0.06), (119, "wood", 0.06), (194, "wood", 0.07),  # a few % of the picture
    (157, "white_marble", 0.2), (148, "white_marble", 0.4),  # cream: red saturated at 255
    (20, "white_tile", 0.05), (47, "white_tile", 0.12),
    (16, "green_tiles", 0.25), (96, "green_tiles", 0.25),
])
def test_a_page_on_a_real_floor_is_found(index: int, floor: str, largest_area: float) -> None:
    """A page among a wooden floor's planks, on cream marble, white or green tiles, often
    small in the frame: found, its corners within 1 % of its diagonal (the benchmark's
    convention: the scene's px)."""
    scene = generate_scene(RUN_7[index])
    truth = scene.truth
    assert truth.floor == floor
    h, w = scene.rgb.shape[:2]
    corners = np.asarray(truth.corners_px, float)
    x, y = corners[:, 0], corners[:, 1]
    area = 0.5 * abs(float(np.dot(x, np.roll(y, -1)) - np.dot(np.roll(x, -1), y)))
    assert area / (w * h) <= largest_area
    cal = calibrate(scene.rgb)
    assert cal.method in ("a4", "letter")
    found = np.asarray(cal.corners_px, float)
    err = min(float(np.linalg.norm(np.roll(q, r, axis=0) - corners, axis=1).mean())
              for q in (found, found[::-1]) for r in range(4))
    assert err / truth.page_diagonal_px < 0.01


@pytest.mark.parametrize("index", [65, 87, 102, 118, 144, 179])
def test_no_page_on_green_tiles_without_one(index: int) -> None:
    """Green-and-white tiles, chequered or inlaid, a foot and no page: no page is found
    (a quad drawn on a chequerboard's edges is hidden by its dark tiles in many stretches;
    a white tile repeats its neighbours)."""
    scene = generate_scene(RUN_0[index])
    assert scene.truth.floor == "green_tiles" and scene.truth.paper is None
    assert calibrate(scene.rgb).method not in ("a4", "letter", "sheet")


def test_hidden_stretches_are_counted_round_the_outline() -> None:
    """Stretches in the frame but not in view, at least two positions long, counted round
    the outline: a leg over one side and the corner next to it is one stretch; a
    chequerboard's dark tiles along every side are many."""
    in_frame = np.ones((4, 32), bool)
    visible = np.ones((4, 32), bool)
    visible[0, 28:] = False
    visible[1, :5] = False  # one stretch across the corner
    visible[2, 10] = False  # one position: not a stretch
    assert hidden_stretches(visible, in_frame) == 1
    chequer = np.tile(np.repeat([True, False], 4), 16).reshape(4, 32)
    assert hidden_stretches(chequer, in_frame) == 16
    # Out of the frame is neither in view nor hidden: it does not split a stretch.
    in_frame[3, 16:] = False
    visible[3, 12:16] = False
    assert hidden_stretches(visible, in_frame) == 2


def test_a_page_ends_where_its_edge_shows_not_where_the_shape_placed_it() -> None:
    """A page read on three sides, its fourth placed from the paper's shape: refused when
    a step edge runs alongside the placed side, inside the quad or beyond it (the page
    ends there), not when the placed side is the page's own."""
    img = np.full((480, 640, 3), 90, np.uint8)
    page = np.array([[200.0, 100.0], [420.0, 100.0], [420.0, 410.0], [200.0, 410.0]])
    cv2.fillPoly(img, [page.astype(np.int32)], (245, 245, 245))
    pic = search_page(img).picture
    assert not ends_before(pic, page, 2)
    longer = page.copy()
    longer[2:, 1] = 470.0  # placed 60 px beyond the page's own edge
    assert ends_before(pic, longer, 2)
    shorter = page.copy()
    shorter[2:, 1] = 340.0  # placed inside the page
    assert ends_before(pic, shorter, 2)


def test_no_page_found_says_what_a_person_can_do() -> None:
    """Without a page, the calibration says there is no scale and how to get one: a darker
    floor for a plain page, or the printed sheet, found on any floor."""
    scene = render_scene(0, floor="marble", paper=None, size=SIZE)
    cal = calibrate(scene.image)
    assert cal.method == "none"
    assert any("no scale" in w for w in cal.warnings)
    assert any("Print Calibration Sheet" in w and "darker floor" in w for w in cal.warnings)
