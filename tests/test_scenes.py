"""The scene generator (tests/scene_generator): each scene's truth agrees with itself and
with its pixels, and a seed gives back the same scene."""

from __future__ import annotations

import io

import cv2
import numpy as np
import pytest
from PIL import Image
from scene_generator import FLOORS, generate_scene, generate_scenes, scene_seeds
from scene_generator.camera import FULL_FRAME_DIAGONAL_MM, apply
from scene_generator.cutouts import SOURCE_GROUPS, SOURCES, load_cutout
from scene_generator.render import EXIF_IFD, FOCAL_LENGTH_35MM

from footlog.domain.calibration import A4, LETTER

MP = 0.3  # small pictures: the truth does not depend on the size
SEEDS = scene_seeds(6, 2024)
PAPERS = {"a4": A4, "letter": LETTER}


@pytest.fixture(scope="module")
def scenes():
    return [generate_scene(s, MP) for s in SEEDS]


def _inside(pt, width: int, height: int) -> bool:
    return 0 <= pt[0] < width and 0 <= pt[1] < height


# How far a reference landmark may lie off the cut-out's mask, as a share of the forefoot
# width: 16i-nathan__3c49c53b8776_0's midfoot_medial (uncertain by 80 px in its reference)
# lies 0.048 out, in the grey shadow beside the ankle; all others within 0.045.
OFF_MASK = 0.06


def test_every_cutout_has_landmarks_on_its_mask_and_a_leg_at_the_bottom() -> None:
    for name in SOURCES:
        c = load_cutout(name)
        dist = cv2.distanceTransform((c.mask == 0).astype(np.uint8), cv2.DIST_L2, 3)
        for key, (x, y) in c.landmarks.items():
            assert dist[int(y), int(x)] <= OFF_MASK * c.forefoot_px, f"{name}: {key} off"
        assert c.mask[-1].any(), f"{name}: the leg does not reach the bottom edge"
        assert max(y for _, y in c.landmarks.values()) < c.hinge_y < c.mask.shape[0]
        assert c.group in SOURCE_GROUPS


def test_the_same_seed_gives_the_same_scene(scenes) -> None:
    again = generate_scene(SEEDS[0], MP)
    first = scenes[0]
    assert again.jpeg == first.jpeg
    assert np.array_equal(again.rgb, first.rgb)
    assert np.array_equal(again.truth.foot_mask, first.truth.foot_mask)
    assert again.truth.landmarks == first.truth.landmarks
    assert again.truth.floor == first.truth.floor and again.truth.source == first.truth.source
    assert [s.seed for s in generate_scenes(2, 2024, MP)] == SEEDS[:2]
    assert generate_scene(SEEDS[1], MP).jpeg != first.jpeg


def test_page_corners_map_through_the_homography(scenes) -> None:
    checked = 0
    for scene in scenes:
        t = scene.truth
        if t.paper is None:
            assert t.corners_px is None and t.page_homography is None
            assert t.corner_visible is None and not t.page_cut
            continue
        paper = PAPERS[t.paper]
        assert np.allclose(apply(t.page_homography, t.corners_px), paper.corners_mm(),
                           atol=1e-6)
        # TL-TR is the page's short side, as in footlog's floor frame.
        w_mm = np.linalg.norm(np.subtract(*apply(t.page_homography, t.corners_px[:2])))
        assert w_mm == pytest.approx(paper.width_mm)
        checked += 1
    assert checked >= 3


def test_corner_flags_and_the_cut_page_follow_the_frame_and_the_mask(scenes) -> None:
    for scene in scenes:
        t = scene.truth
        if t.paper is None:
            continue
        w, h = scene.size
        outside = [not _inside(c, w, h) for c in t.corners_px]
        assert t.page_cut == any(outside)
        for (x, y), out, visible in zip(t.corners_px, outside, t.corner_visible, strict=True):
            assert visible == (not out and not t.foot_mask[int(y), int(x)])
        assert t.visible_corners == sum(t.corner_visible)


def test_the_foot_is_in_the_frame_and_the_leg_leaves_it(scenes) -> None:
    for scene in scenes:
        t = scene.truth
        w, h = scene.size
        assert t.foot_mask.shape == (h, w) and t.foot_mask.dtype == bool
        assert t.foot_mask.mean() > 0.005
        border = np.concatenate([t.foot_mask[0], t.foot_mask[-1], t.foot_mask[:, 0],
                                 t.foot_mask[:, -1]])
        assert border.any(), "the leg ends inside the picture"
        dist = cv2.distanceTransform((~t.foot_mask).astype(np.uint8), cv2.DIST_L2, 3)
        forefoot = np.hypot(*np.subtract(t.landmarks["mt1_medial"], t.landmarks["mt5_lateral"]))
        for name, (x, y) in t.landmarks.items():
            assert _inside((x, y), w, h), name
            assert dist[int(y), int(x)] <= OFF_MASK * forefoot + 1, f"{name} off the foot"


def test_the_size_focal_length_and_exif_are_those_of_the_truth(scenes) -> None:
    for scene in scenes:
        t = scene.truth
        w, h = scene.size
        assert w * h == pytest.approx(MP * 1e6, rel=0.01)
        assert t.focal_35mm == pytest.approx(t.focal_px * FULL_FRAME_DIAGONAL_MM
                                             / np.hypot(w, h))
        with Image.open(io.BytesIO(scene.jpeg)) as im:
            assert im.size == (w, h)
            tag = im.getexif().get_ifd(EXIF_IFD).get(FOCAL_LENGTH_35MM)
        assert tag == (round(t.focal_35mm) if t.exif_focal else None)
        assert 0 <= t.tilt_deg <= 50 and t.floor in FLOORS


def _edge_strength(grey: np.ndarray, pts: np.ndarray) -> float:
    """Mean gradient magnitude of `grey` at the points (continuous px)."""
    gx = cv2.Sobel(grey, cv2.CV_32F, 1, 0)
    gy = cv2.Sobel(grey, cv2.CV_32F, 0, 1)
    mag = cv2.magnitude(gx, gy)
    xy = (pts - 0.5).astype(np.float32)
    return float(cv2.remap(mag, xy[:, 0:1], xy[:, 1:2], cv2.INTER_LINEAR).mean())


def test_the_pixels_show_the_page_and_foot_where_the_truth_puts_them() -> None:
    # A dark floor: the page's edges and the foot's outline are clear edges in the picture,
    # exactly on the true lines and not a few px beside them.
    scene = next(s for s in (generate_scene(x, MP) for x in scene_seeds(40, 7))
                 if s.truth.floor in ("wood", "carpet") and s.truth.paper is not None)
    t = scene.truth
    grey = cv2.cvtColor(scene.rgb, cv2.COLOR_RGB2GRAY).astype(np.float32)
    h, w = grey.shape
    dist = cv2.distanceTransform((~t.foot_mask).astype(np.uint8), cv2.DIST_L2, 3)
    centre = t.corners_px.mean(axis=0)
    on, off = [], []
    for a, b in zip(t.corners_px, np.roll(t.corners_px, -1, axis=0), strict=True):
        s = np.linspace(0.1, 0.9, 60)[:, None]
        pts = a + s * (b - a)
        normal = np.array([a[1] - b[1], b[0] - a[0]]) / np.linalg.norm(b - a)
        if normal @ (centre - a) > 0:
            normal = -normal  # outward
        keep = [_inside(p + 8 * normal, w, h) and _inside(p - 8 * normal, w, h)
                and dist[int(p[1]), int(p[0])] > 10 for p in pts]
        pts = pts[keep]
        if len(pts):
            on.append(_edge_strength(grey, pts))
            off.append(_edge_strength(grey, pts + 6 * normal))
    assert on and np.mean(on) > 2 * np.mean(off)
    contours, _ = cv2.findContours(t.foot_mask.astype(np.uint8), cv2.RETR_EXTERNAL,
                                   cv2.CHAIN_APPROX_NONE)
    outline = max(contours, key=len).reshape(-1, 2).astype(float) + 0.5
    margin = 10
    outline = outline[(outline[:, 0] > margin) & (outline[:, 0] < w - margin)
                      & (outline[:, 1] > margin) & (outline[:, 1] < h - margin)]
    inner = cv2.distanceTransform(t.foot_mask.astype(np.uint8), cv2.DIST_L2, 3)
    # The same outline 6 px inside the foot, as a band of points.
    band = np.argwhere((inner > 5.5) & (inner < 6.5))[:, ::-1].astype(float) + 0.5
    assert _edge_strength(grey, outline) > 1.5 * _edge_strength(grey, band)


def test_a_run_holds_scenes_with_and_without_a_page_and_the_focal_length() -> None:
    truths = [generate_scene(s, 0.05).truth for s in scene_seeds(30, 3)]
    papers = {t.paper for t in truths}
    assert None in papers and "a4" in papers and "letter" in papers
    assert {t.exif_focal for t in truths} == {True, False}
    assert len({t.floor for t in truths}) >= 4
    assert {t.group for t in truths} == set(SOURCE_GROUPS)
