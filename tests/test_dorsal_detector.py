"""The automatic dorsal detector: contract, safety on bad photos, synthetic accuracy."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from synthetic_feet import make_foot

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


@pytest.mark.parametrize("photo", sorted((PHOTOS / "hard").glob("*")), ids=lambda p: p.name)
def test_hard_photos_are_not_ok(photo: Path) -> None:
    # Photos not following the protocol: no confident number (we cannot yet show that
    # any of their landmarks is really right).
    r = read_reduced(photo, 800)
    assert measure_dorsal(r.pixels, r.scale).status != Status.OK


def test_synthetic_generator_is_exact() -> None:
    f = make_foot(3, leg=False, foot=Foot.LEFT)
    assert f.image.shape == (1200, 900, 3)
    assert f.foot == Foot.LEFT
    assert abs(f.measures["hallux_angle"] - f.params["hallux_angle_target"]) < 3.0
    assert set(f.landmarks) >= {"hallux_tip", "mt1_medial", "midfoot_medial", "toe5_lateral"}


@pytest.mark.xfail(reason="dorsal-0.2: the synthetic leg runs along the medial border and is "
                   "not told apart from the foot; toes of the generator are too crude for "
                   "the toe-row model (see docs/DETECTOR.md, known limits)", strict=False)
def test_synthetic_side_and_hallux_angle() -> None:
    """Side right on every synthetic photo measured; hallux angle within 2 deg."""
    errs = []
    for seed in range(8):
        f = make_foot(seed)
        res = measure_dorsal(f.image, 1.0)
        if "hallux_angle" not in res.measures:
            assert res.status == Status.FAILED
            continue
        assert res.foot == f.foot
        errs.append(res.measures["hallux_angle"] - f.measures["hallux_angle"])
    assert len(errs) >= 4
    assert np.max(np.abs(errs)) <= 2.0


@pytest.mark.xfail(reason="target not reached yet: toe separation/lateral border", strict=False)
def test_synthetic_target_one_degree() -> None:
    """Target: hallux_angle and toe_splay within 1 deg on 95 % of generated photos."""
    ok = 0
    n = 20
    for seed in range(n):
        f = make_foot(1000 + seed)
        m = measure_dorsal(f.image, 1.0).measures
        ok += (abs(m.get("hallux_angle", 99) - f.measures["hallux_angle"]) <= 1
               and abs(m.get("toe_splay", 99) - f.measures["toe_splay"]) <= 1)
    assert ok >= 0.95 * n
