"""The page finder on rendered scenes (tests/page_scenes.py): a page on tiled, marble and
textured floors, partly under the leg, with and without the focal length; tile grids with
no page; footlog's printed sheet under perspective, the leg and glare; a window's light
(a patch of sun, a reflection) or the window itself, with and without a page.

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
from footlog.imaging.page_panes import divided_into_panes

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


# Scene 102 (white squares on a green field, the foot beside them) is read as a page: a
# quad on the squares' edges, 57 % of its inside green, taken for a page partly hidden
# (the green field is one piece, as a leg over a page is). One of the scenes' false pages
# (docs/PAGE_FINDER.md); expected to fail until the finder tells a floor's field from a leg.
FALSE_PAGE_102 = pytest.mark.xfail(strict=True, reason="a green field read as a leg over a page")


@pytest.mark.parametrize("index", [65, 87, pytest.param(102, marks=FALSE_PAGE_102), 118, 144,
                                   179])
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


# --- a window: its reflection, a patch of sun through it, the window itself ------------------


def _on_window(quad: np.ndarray, scene) -> float:
    """The fraction of a quad (working px: the scene's px less 0.5) where the scene's
    window shows (its panes' light or glass)."""
    mask = np.zeros(scene.window_mask.shape, np.uint8)
    cv2.fillPoly(mask, [np.round(quad).astype(np.int32)], 1)
    return float((scene.window_mask & (mask > 0)).sum()) / max(int(mask.sum()), 1)


# A window's patch of sun falls on any floor; its reflection shows on a glossy one (white
# tiles, marble; varnished wood shows it too faintly to make hypotheses); the window itself
# past the floor, in an oblique photo.
WINDOW_FLOORS = [("sunlight", "white_tile"), ("sunlight", "marble"), ("sunlight", "wood"),
                 ("sunlight", "carpet"), ("sunlight", "concrete"), ("reflection", "white_tile"),
                 ("reflection", "marble"), ("frame", "white_tile"), ("frame", "marble"),
                 ("frame", "wood"), ("frame", "carpet")]


@pytest.mark.parametrize(("window", "floor"), WINDOW_FLOORS)
def test_no_page_is_found_on_a_window_without_one(window: str, floor: str) -> None:
    """No page, a foot and a leg, and a window divided into 2-6 panes: its patch of sun on
    the floor, its reflection on a glossy floor, or the window itself past the floor: every
    hypothesis on the window is refused."""
    on_window = 0
    for seed in range(1, 5):
        scene = render_scene(seed, floor=floor, paper=None, size=SIZE, window=window)
        assert scene.window_mask.mean() >= 0.02  # the window shows
        found = search_page(scene.image)
        on_window += sum(_on_window(j.quad, scene) >= 0.5 for j in found.judged)
        assert find_paper(scene.image) is None
    assert on_window, "the window makes hypotheses"


@pytest.mark.parametrize(("window", "floors"), [
    ("sunlight", ("white_tile", "marble", "wood", "carpet", "concrete")),
    ("reflection", ("white_tile", "marble", "wood")),
    ("frame", ("white_tile", "marble", "wood", "carpet", "concrete")),
])
def test_a_page_beside_a_window_is_the_page(window: str, floors: tuple[str, ...]) -> None:
    """A page, and a window's light or the window elsewhere in the picture: the page found
    is the page, never the window; each hypothesis on the window is refused or scores below
    the page. On wood, carpet and concrete the page is found in every scene; on white tiles
    and marble, where the page's faint edges often escape the finder, in some."""
    on_window, missed = 0, []
    for floor in floors:
        for seed in range(4):
            # Seen past the floor, the window needs an oblique camera further off (drawn).
            kwargs = {} if window == "frame" else {"tilt_deg": 20.0, "glare": False,
                                                   "fill": 0.45}
            scene = render_scene(seed, floor=floor, size=SIZE, window=window, leg=False,
                                 **kwargs)
            fit = find_paper(scene.image, paper=scene.paper)
            if fit is None:
                missed.append(floor)
            else:
                assert _corner_errors(fit, scene).max() < 1.0  # % of the page's diagonal
            found = search_page(scene.image, paper=scene.paper)
            for j in found.judged:
                if _on_window(j.quad, scene) >= 0.5:
                    on_window += 1
                    assert j.reason is not None or (fit is not None and j.score < fit.score)
    assert on_window, "the window makes hypotheses"
    assert not set(missed) & {"wood", "carpet", "concrete"}


def test_panes_divided_by_bars_are_a_window_not_a_page() -> None:
    """A bright quad crossed by a straight dark bar (a window's light, whole) or with a
    second pane beyond a bar along its side (one pane) is divided into panes; a page with
    a foot on it, or beside the floor only, is not; nor is a page crossed by a soft shadow
    or a thin printed line."""
    def picture_of(img: np.ndarray):
        return search_page(np.dstack([img] * 3)).picture

    floor = np.full((480, 640), 110, np.uint8)
    page = np.array([[200.0, 100.0], [420.0, 100.0], [420.0, 410.0], [200.0, 410.0]])
    img = floor.copy()
    cv2.fillPoly(img, [page.astype(np.int32)], 250)
    whole = img.copy()
    whole[100:411, 300:318] = 110  # a mullion's shadow across it
    assert divided_into_panes(picture_of(whole), page, 250.0, 140.0)
    pane = img.copy()
    cv2.rectangle(pane, (440, 100), (560, 410), 250, -1)  # the next pane, 20 px beyond
    assert divided_into_panes(picture_of(pane), page, 250.0, 140.0)
    assert not divided_into_panes(picture_of(img), page, 250.0, 140.0)
    foot = img.copy()
    cv2.ellipse(foot, ((310, 260), (110, 290), 0), 120, -1)
    assert not divided_into_panes(picture_of(foot), page, 250.0, 140.0)
    line = img.copy()
    line[100:411, 309:310] = 60  # printed, 1 px
    assert not divided_into_panes(picture_of(line), page, 250.0, 140.0)
    shadow = np.zeros((480, 640), np.float32)
    shadow[100:411, 300:318] = 1.0  # a soft shadow across it, deeper than a leg casts
    shadow = cv2.GaussianBlur(shadow, (0, 0), 12.0) * 0.6
    soft = np.clip(img * (1 - shadow), 0, 255).astype(np.uint8)
    assert not divided_into_panes(picture_of(soft), page, 250.0, 140.0)
