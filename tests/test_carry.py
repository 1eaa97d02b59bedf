"""Carrying landmarks from a confirmed photo (footlog.analysis.carry): on a copy of the
photo turned, scaled and moved by a known similarity, the carried landmarks land where
that similarity puts the confirmed ones."""

from __future__ import annotations

import json

import cv2
import numpy as np
from testdata import PHOTOS

from footlog.analysis.carry import Shot, carry
from footlog.domain.alignment import Similarity
from footlog.domain.views import Foot, View
from footlog.imaging.photo_io import read_reduced
from footlog.measuring import ANALYSIS_MAX_SIDE, measure_pixels


def _shot(path, landmarks=None) -> tuple[Shot, dict]:
    reduced = read_reduced(path, ANALYSIS_MAX_SIDE)
    res = measure_pixels(reduced.pixels, reduced.scale, View.DORSAL, Foot.RIGHT)
    gray = cv2.cvtColor(reduced.pixels, cv2.COLOR_RGB2GRAY).astype(np.float32)
    lm = landmarks or res.landmarks
    return Shot({k: np.asarray(v, float) for k, v in lm.items()},
                np.asarray(res.extras["outline"], float), gray, reduced.scale), res


def test_carried_landmarks_follow_a_known_similarity(tmp_path) -> None:
    path = PHOTOS / "ala-jaidi__aaa.jpg"
    ref = json.loads(path.with_name(path.name + ".json").read_text())["landmarks"]
    template, _ = _shot(path, ref)
    # The same photo turned by 8 deg, scaled by 0.85 and moved, written as a new file.
    image = cv2.imread(str(path))
    h, w = image.shape[:2]
    t = Similarity(0.85, 8.0, 60.0, -20.0)
    moved = cv2.warpAffine(image, t.matrix()[:2], (w, h), flags=cv2.INTER_LINEAR,
                           borderMode=cv2.BORDER_REPLICATE)
    copy = tmp_path / "moved.jpg"
    cv2.imwrite(str(copy), moved, [cv2.IMWRITE_JPEG_QUALITY, 95])
    new, _ = _shot(copy)
    out = carry([template], new)
    assert out is not None and out.residual < 0.03 and not out.doubts
    width = 0.85 * np.linalg.norm(np.subtract(ref["mt1_medial"], ref["mt5_lateral"]))
    for name in ("hallux_tip", "toe2_tip", "toe3_tip", "toe5_tip", "cleft12"):
        expected = t.apply(np.asarray(ref[name], float))[0]
        assert np.linalg.norm(np.subtract(out.landmarks[name], expected)) < 0.03 * width, name


def test_the_outline_fit_tells_the_same_foot_from_others() -> None:
    a = PHOTOS / "ala-jaidi__aaa.jpg"
    ref = json.loads(a.with_name(a.name + ".json").read_text())["landmarks"]
    template, _ = _shot(a, ref)
    same = carry([template], _shot(PHOTOS / "ala-jaidi__t.jpg")[0])
    assert same is not None and not same.doubts and same.residual < 0.02
    for other in ("16i-nathan__3c49c53b8776_0.jpg", "wildoctopus__barefeet1.jpeg"):
        out = carry([template], _shot(PHOTOS / other)[0])
        assert out is not None and out.doubts and out.residual > 0.1, other
