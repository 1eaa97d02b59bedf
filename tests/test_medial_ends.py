"""Side views either way round: heel and toe told from the shape, not from a direction."""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np
import pytest
from synthetic_side import SideSpec, make_side

from footlog.analysis.medial import measure_medial
from footlog.analysis.medial_ends import heel_and_toe
from footlog.domain.views import Foot, Status
from footlog.imaging.photo_io import read_reduced

PHOTOS = Path(__file__).parent / "data" / "photos"
SIDE_PHOTOS = sorted(
    p.with_suffix("") for p in PHOTOS.glob("*.json")
    if json.loads(p.read_text())["view"] == "medial"
)
AHI_TOLERANCE = 0.02  # the arch height index must not depend on the way the foot faces


def _mirror_x(lm: dict[str, tuple[float, float]], width: float) -> dict[str, np.ndarray]:
    # Continuous coordinates: the photo spans 0..width, so x mirrors to width - x.
    return {k: np.array([width - x, y]) for k, (x, y) in lm.items()}


def _check_mirrored(pixels: np.ndarray, scale: float, width: float) -> None:
    up = measure_medial(pixels, scale)
    flipped = measure_medial(np.ascontiguousarray(np.fliplr(pixels)), scale)
    assert up.status != Status.FAILED and flipped.status != Status.FAILED
    assert {up.foot, flipped.foot} == {Foot.LEFT, Foot.RIGHT}
    back = _mirror_x(flipped.landmarks, width)
    length = float(np.hypot(*np.subtract(up.landmarks["toe_tip"], up.landmarks["heel_back"])))
    for name, p in up.landmarks.items():
        # The same anatomy, within 3 % of the foot length (a few working-image pixels).
        assert np.hypot(*(back[name] - p)) < 0.03 * length, name
    ahi_up = up.measures["arch_height_index"]
    assert abs(flipped.measures["arch_height_index"] - ahi_up) <= AHI_TOLERANCE


@pytest.mark.parametrize("photo", SIDE_PHOTOS, ids=lambda p: p.name)
def test_real_side_views_mirrored_land_on_the_same_anatomy(photo: Path) -> None:
    ref = json.loads(Path(f"{photo}.json").read_text())
    red = read_reduced(photo, 1000)
    _check_mirrored(red.pixels, red.scale, float(ref["width"]))
    res = measure_medial(red.pixels, red.scale)
    assert res.foot == Foot(ref["side"])
    heel, toe = res.landmarks["heel_back"], res.landmarks["toe_tip"]
    # The heel is where the reference has it, not at the toes' end.
    ref_heel = ref["landmarks"]["heel_back"]
    ref_toe = ref["landmarks"]["toe_tip"]
    assert np.hypot(heel[0] - ref_heel[0], heel[1] - ref_heel[1]) < np.hypot(
        heel[0] - ref_toe[0], heel[1] - ref_toe[1])
    assert abs(res.measures["arch_height_index"]
               - ref["measures"]["arch_height_index"]) < 0.05
    assert np.hypot(toe[0] - ref_toe[0], toe[1] - ref_toe[1]) < 0.05 * ref["width"]


@pytest.mark.parametrize("spec", [
    SideSpec(), SideSpec(tilt_deg=-8, toes_right=False, apex=0.09, dorsum=0.33),
    SideSpec(floor="paper", clutter=True), SideSpec(tilt_deg=10, apex=0.045, seed=5),
])
def test_synthetic_side_views_mirrored(spec: SideSpec) -> None:
    side = make_side(spec)
    _check_mirrored(side.rgb, 1.0, float(side.rgb.shape[1]))
    res = measure_medial(side.rgb, 1.0)
    assert res.foot == (Foot.LEFT if spec.toes_right else Foot.RIGHT)


def _silhouette(left_h: int, right_h: int, leg_x: int | None) -> tuple[np.ndarray, np.ndarray]:
    """A foot-like band on a floor at y=300 from x=100 to 500, its height going linearly
    from `left_h` to `right_h`; a leg (a column up to the top) over `leg_x` when given."""
    mask = np.zeros((400, 600), np.uint8)
    xs = np.arange(100, 501)
    tops = 300 - np.interp(xs, [100, 500], [left_h, right_h]).astype(int)
    for x, t in zip(xs, tops, strict=True):
        mask[t:300, x] = 1
    if leg_x is not None:
        cv2.rectangle(mask, (leg_x - 30, 0), (leg_x + 30, 300), 1, -1)
    bottom = np.full(600, np.nan)
    bottom[100:501] = 299.0
    return mask, bottom


def test_heel_and_toe_from_thickness_and_leg() -> None:
    ends = heel_and_toe(*_silhouette(80, 20, leg_x=160))
    assert ends.toes_right is True
    ends = heel_and_toe(*_silhouette(20, 80, leg_x=440))
    assert ends.toes_right is False
    # No leg: the thickness alone decides.
    assert heel_and_toe(*_silhouette(20, 80, leg_x=None)).toes_right is False


def test_heel_and_toe_that_cannot_be_told_are_refused() -> None:
    # Both ends alike and no leg.
    ends = heel_and_toe(*_silhouette(50, 50, leg_x=None))
    assert ends.toes_right is None and "cannot be told" in ends.reason
    # The thin end under the leg: the cues contradict each other.
    ends = heel_and_toe(*_silhouette(20, 80, leg_x=160))
    assert ends.toes_right is None and "cannot be told" in ends.reason


def test_a_side_view_whose_ends_cannot_be_told_fails_with_the_reason() -> None:
    # A long, even, symmetric skin-coloured shape on a plain floor, no leg: either end could
    # be the heel, so no landmark may be placed.
    rng = np.random.default_rng(0)
    img = np.clip(np.full((600, 800, 3), (205, 195, 175), float)
                  + rng.normal(0, 3, (600, 800, 3)), 0, 255).astype(np.uint8)
    cv2.ellipse(img, (400, 470), (250, 40), 0, 0, 360, (190, 130, 105), -1)
    res = measure_medial(img, 1.0)
    assert res.status == Status.FAILED and not res.measures and not res.landmarks
    assert any("cannot be told apart" in w for w in res.warnings)
