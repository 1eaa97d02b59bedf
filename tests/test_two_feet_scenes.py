"""Scenes of both feet side by side (tests/scene_generator/two_feet.py): their truth agrees
with itself, and footlog finds both feet, tells which is which and measures each alone."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from scene_generator.cutouts import load_cutout
from scene_generator.two_feet import generate_two_feet_scene, mirrored, source_side

from footlog.domain.views import Foot, View
from footlog.measuring import measure_feet

MP = 0.6  # small pictures: enough for the regions, fast to draw
SEEDS = (11, 12, 13, 14, 15, 16)
# Of the scenes above, at least this many must have both feet found with their sides right
# (the scenes benchmark gives the figures: `benchmarks/two_feet.py --scenes N`).
MIN_RIGHT = 4
NEAR = 0.01
MIN_OWN = 0.9  # share of a foot's landmarks its region must hold (and of the other's, not)


@pytest.fixture(scope="module")
def scenes():
    return [generate_two_feet_scene(s, MP) for s in SEEDS]


def test_a_mirrored_cutout_keeps_its_landmarks_on_its_foot() -> None:
    cut = load_cutout("ala-jaidi__1")
    other = mirrored(cut)
    w = cut.rgb.shape[1]
    for name, (_, y) in other.landmarks.items():
        assert other.landmarks[name] == (w - cut.landmarks[name][0], y)
    assert (other.mask == cut.mask[:, ::-1]).all()
    # The leg's continuation still starts under the leg.
    xs = other.leg_to_cutout[0, 2] + other.leg_to_cutout[0, 0] * np.flatnonzero(
        other.leg_alpha[0] > 0.5)
    assert other.mask[-3, int(xs.mean())]


def test_scenes_show_a_left_and_a_right_foot_apart(scenes) -> None:
    for scene in scenes:
        left, right = scene.feet
        assert (left.side, right.side) == ("left", "right")
        assert not (left.mask & right.mask).any()
        assert left.mask.sum() > 0 and right.mask.sum() > 0
        # Big toes face each other: each foot's mt1_medial is nearer the other foot than
        # its mt5_lateral (the feet stand side by side, medial sides inward).
        lc, rc = (np.mean(list(f.landmarks.values()), axis=0) for f in scene.feet)
        for foot, other in ((left, rc), (right, lc)):
            medial = np.linalg.norm(np.subtract(foot.landmarks["mt1_medial"], other))
            lateral = np.linalg.norm(np.subtract(foot.landmarks["mt5_lateral"], other))
            assert medial < lateral


def test_the_scene_is_repeatable() -> None:
    a, b = generate_two_feet_scene(SEEDS[0], MP), generate_two_feet_scene(SEEDS[0], MP)
    assert a.jpeg == b.jpeg


def _inside(mask: np.ndarray, points) -> float:
    """Share of `points` (px) on `mask` grown by NEAR of the picture's long side: the
    landmarks lie on the foot's outline (tips, borders), half of them just outside it."""
    h, w = mask.shape
    r = max(1, round(NEAR * max(h, w)))
    grown = cv2.dilate(mask.astype(np.uint8), np.ones((2 * r + 1, 2 * r + 1), np.uint8))
    on = [grown[min(int(y), h - 1), min(int(x), w - 1)] for x, y in points]
    return float(np.mean(on))


def test_both_feet_found_with_their_sides_on_scenes(scenes) -> None:
    """Each foot's region holds its own landmarks and not the other foot's (a region on a
    page holds the foot on it but not its leg, so landmarks, not the foot-and-leg mask,
    tell whether the split is right), and has its side."""
    from footlog.analysis.two_feet import polygon_mask

    right = 0
    for scene in scenes:
        results = measure_feet(scene.rgb, 1.0, View.DORSAL, Foot.UNKNOWN)
        if len(results) != 2:
            continue
        ok = True
        for res in results:
            found = polygon_mask(np.asarray(res.extras["region"]), scene.rgb.shape[:2], 1.0)
            side = res.extras["side_by_position"]
            own = [f for f in scene.feet if f.side == side]
            other = [f for f in scene.feet if f.side != side]
            ok = ok and len(own) == 1 and \
                _inside(found, own[0].landmarks.values()) >= MIN_OWN and \
                _inside(found, other[0].landmarks.values()) <= 1 - MIN_OWN
        right += ok
    assert right >= MIN_RIGHT, f"{right} of {len(scenes)} scenes right"


def test_source_side_reads_the_reference() -> None:
    assert source_side("ala-jaidi__1") == "right"
    assert source_side("16i-nathan__3c49c53b8776_0") == "left"
