"""The automatic dorsal detector: contract, safety on bad photos, synthetic accuracy."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from synthetic_feet import make_foot, truth_for

from footlog.analysis.dorsal import DETECTOR_VERSION, measure_dorsal
from footlog.domain.results import MeasureResult
from footlog.domain.views import Foot, Status, View
from footlog.imaging.photo_io import read_reduced

PHOTOS = Path(__file__).parent / "data" / "photos"


def test_contract_on_a_real_photo() -> None:
    r = read_reduced(PHOTOS / "wildoctopus__barefeet1.jpeg", 800)
    res = measure_dorsal(r.pixels, r.scale)
    assert isinstance(res, MeasureResult)
    assert res.view == View.DORSAL
    assert res.detector_version == DETECTOR_VERSION
    assert res.status in (Status.OK, Status.REVIEW, Status.FAILED)
    # Landmarks are in full-resolution pixels of the upright photo (1600 x 1200).
    for x, y in res.landmarks.values():
        assert 0 <= x < 1600 and 0 <= y < 1200
    assert res.to_json()["view"] == "dorsal"


def test_blank_image_fails_with_a_reason() -> None:
    res = measure_dorsal(np.full((480, 640, 3), 128, np.uint8), 1.0)
    assert res.status == Status.FAILED
    assert res.warnings
    assert not res.measures


# The photos of hard/ (beside them, the .json of the ones showing both feet).
HARD_PHOTOS = sorted(p for p in (PHOTOS / "hard").glob("*") if p.suffix != ".json")


@pytest.mark.parametrize("photo", HARD_PHOTOS, ids=lambda p: p.name)
def test_hard_photos_are_not_ok(photo: Path) -> None:
    # Photos not following the protocol: no confident number (we cannot yet show that
    # any of their landmarks is really right).
    r = read_reduced(photo, 800)
    assert measure_dorsal(r.pixels, r.scale).status != Status.OK


def test_synthetic_generator_is_exact() -> None:
    f = make_foot(3, leg=False, foot=Foot.LEFT)
    assert f.image.shape == (1200, 900, 3)
    assert f.foot == Foot.LEFT
    # On the floor the hallux angle is the one the foot was built with.
    assert abs(f.floor_measures["hallux_angle"] - f.params["hallux_angle_target"]) < 1e-6
    assert set(f.landmarks) >= {"hallux_tip", "mt1_medial", "midfoot_medial", "toe5_lateral"}
    # The heel line's contact lies on the heel, 1.5-2.3 W behind mt1_medial.
    lm = {k: np.asarray(v) for k, v in f.heel_landmarks.items()}
    w = np.linalg.norm(lm["mt1_medial"] - lm["mt5_lateral"])
    assert 1.4 < np.linalg.norm(lm["midfoot_medial"] - lm["mt1_medial"]) / w < 2.4


def test_synthetic_never_confidently_wrong() -> None:
    """Every synthetic photo the detector calls `ok` has the right side and hallux angle
    and toe splay within 1.5 deg; the others say review or failed."""
    n_ok = 0
    for seed in range(1000, 1030):  # the generator is harder since dorsal-0.4 (shading)
        f = make_foot(seed)
        res = measure_dorsal(f.image, 1.0)
        if res.status != Status.OK:
            assert res.status == Status.FAILED or res.warnings
            continue
        n_ok += 1
        assert res.foot == f.foot
        for name in ("hallux_angle", "toe_splay"):
            assert abs(res.measures[name] - truth_for(f, res)[name]) <= 1.5, (seed, name)
    assert n_ok >= 3


def _within_one_degree(seeds: range) -> int:
    """How many generated photos give hallux_angle and toe_splay both within 1 deg."""
    ok = 0
    for seed in seeds:
        f = make_foot(seed)
        res = measure_dorsal(f.image, 1.0)
        m, truth = res.measures, truth_for(f, res)
        ok += (abs(m.get("hallux_angle", 99) - truth["hallux_angle"]) <= 1
               and abs(m.get("toe_splay", 99) - truth["toe_splay"]) <= 1)
    return ok


@pytest.mark.xfail(reason="dorsal-0.9: 15 of 20 (33 of seeds 1000-1039); the misses are a "
                   "1-2 web on a touching crease (1002, 1010), a midfoot tangent on the leg "
                   "(1014), a phantom toe (1000) and four toes read (1017)", strict=False)
def test_synthetic_target_one_degree() -> None:
    """Target: hallux_angle and toe_splay within 1 deg on 95 % of generated photos."""
    assert _within_one_degree(range(1000, 1020)) >= 0.95 * 20


def test_synthetic_one_degree_does_not_slip_back() -> None:
    """Where dorsal-0.6 stands (16 of 20; dorsal-0.5 had 7): a change that loses more
    than one of them is a regression, whatever it gains elsewhere."""
    assert _within_one_degree(range(1000, 1020)) >= 15


def test_synthetic_same_foot_twenty_poses() -> None:
    """Target: one foot under 20 camera poses, hallux angle error SD < 1 deg, all measured.

    Seed 1013 has toes that touch (crease only): measured on 7/20 poses by dorsal-0.3."""
    errs = []
    for pose in range(20):
        f = make_foot(1013, pose_seed=pose)
        res = measure_dorsal(f.image, 1.0)
        errs.append(res.measures.get("hallux_angle", 99.0) - truth_for(f, res)["hallux_angle"])
    assert np.std(errs, ddof=1) < 1.0


def test_synthetic_heel_line_twenty_poses() -> None:
    """One foot without a leg, its heel on the page, under 20 camera poses: the heel line
    is found on every pose and the hallux angle by it has an error SD < 1 deg."""
    errs = []
    for pose in range(20):
        f = make_foot(1007, pose_seed=pose)
        res = measure_dorsal(f.image, 1.0)
        assert res.extras["proximal_line"] == "heel_tangent", pose
        errs.append(res.measures["hallux_angle"] - f.heel_measures["hallux_angle"])
    assert np.std(errs, ddof=1) < 1.0
    assert max(abs(e) for e in errs) < 1.0


def test_synthetic_heel_line_only_where_it_is_right() -> None:
    """Wherever the detector says it measured from the heel, the angle is the heel line's
    (within 1.5 deg), never the window's taken for it."""
    used = 0
    for seed in range(1000, 1030):
        f = make_foot(seed)
        res = measure_dorsal(f.image, 1.0)
        if res.extras.get("proximal_line") != "heel_tangent" or not res.measures:
            continue
        used += 1
        err = res.measures["hallux_angle"] - f.heel_measures["hallux_angle"]
        assert abs(err) <= 1.5, (seed, err)
    assert used >= 3
