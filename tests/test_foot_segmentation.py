"""Foot segmentation: inside the page found, and without a page the foot model (a floor
learnt from the photo; one foot kept of two; `failed` with its reason when nothing is
foot-shaped), on generated scenes with their exact truth."""

from __future__ import annotations

import dataclasses

import cv2
import numpy as np
import pytest
from scene_generator import FLOORS, generate_scene
from scene_generator.layout import draw_layout
from scene_generator.render import _phone, floor_coordinates

from footlog.analysis.dorsal import WORK_SIDE
from footlog.analysis.foot_model import NO_FOOT, find_foot
from footlog.analysis.segmentation import page_polygon, segment_foot
from footlog.analysis.working_image import working_image
from footlog.domain.views import Foot, Status, View
from footlog.imaging.calibration_paper import find_paper
from footlog.measuring import measure_pixels

MP = 1.0  # scenes' size (million px)


def _floor_only(seed: int, kind: str) -> np.ndarray:
    """A phone photo of a generated floor of `kind`, with nothing on it."""
    rng = np.random.default_rng(seed)
    layout = None
    while layout is None:
        layout = draw_layout(rng, (600, 800))
    layout = dataclasses.replace(layout, floor=kind)
    x, y, fp = floor_coordinates(layout)
    return _phone(np.ascontiguousarray(FLOORS[kind](x, y, fp, rng), dtype=np.float32), rng)


@pytest.mark.parametrize("kind", sorted(FLOORS))
def test_a_floor_without_foot_or_page_fails_with_its_reason(kind: str) -> None:
    res = measure_pixels(_floor_only(0, kind), 1.0, View.DORSAL, Foot.UNKNOWN)
    assert res.status == Status.FAILED
    assert not res.measures
    assert NO_FOOT in res.warnings


def _work(scene) -> tuple[np.ndarray, np.ndarray]:
    """The scene's working image and its truth (foot and leg) at that size."""
    img, _ = working_image(scene.rgb, 1.0, WORK_SIDE)
    h, w = img.shape[:2]
    truth = cv2.resize(scene.truth.foot_mask.astype(np.float32), (w, h),
                       interpolation=cv2.INTER_AREA) > 0.5
    return img, truth


def _iou(a: np.ndarray, b: np.ndarray) -> float:
    return np.count_nonzero(a & b) / max(1, np.count_nonzero(a | b))


# Scenes without a page (seeds drawn once): white tiles, carpet, marble, concrete.
NO_PAGE_SEEDS = (661176739, 308368335, 3920528224, 3591019649)


@pytest.mark.parametrize("seed", NO_PAGE_SEEDS)
def test_without_a_page_the_foot_and_leg_are_found(seed: int) -> None:
    scene = generate_scene(seed, MP)
    assert scene.truth.paper is None
    img, truth = _work(scene)
    seg = segment_foot(img, None, region_fallback=False)
    assert _iou(seg.mask > 0, truth) >= 0.9


def test_two_feet_one_is_kept_and_the_other_said() -> None:
    # A scene (concrete, no page) and its mirror image: two feet, each with its leg from
    # the frame's edge, apart.
    scene = generate_scene(2586685813, MP)
    img, truth = _work(scene)
    mirror, other = img[:, ::-1].copy(), truth[:, ::-1].copy()
    assert not (cv2.dilate(truth.astype(np.uint8), np.ones((41, 41))) & other).any()
    both = img.copy()
    both[other] = mirror[other]
    found = find_foot(both)
    assert found.mask is not None
    kept = found.mask > 0
    ious = sorted((_iou(kept, truth), _iou(kept, other)))
    assert ious[1] >= 0.85 and ious[0] <= 0.05
    assert any("two feet" in w for w in found.warnings)


# Scenes whose page the straight-edge finder finds (marble, wood, concrete).
PAGE_SEEDS = (3677149159, 745650761, 798204745)


@pytest.mark.parametrize("seed", PAGE_SEEDS)
def test_with_the_page_found_the_foot_is_told_inside_it(seed: int) -> None:
    scene = generate_scene(seed, MP)
    img, truth = _work(scene)
    fit = find_paper(img)
    assert fit is not None
    seg = segment_foot(img, fit.quad)
    inside = np.zeros(img.shape[:2], np.uint8)
    cv2.fillConvexPoly(inside, page_polygon(fit.quad, (img.shape[1], img.shape[0])), 1)
    assert seg.mask.any() and not (seg.mask & (1 - inside)).any()
    assert _iou(seg.mask > 0, truth & (inside > 0)) >= 0.9
