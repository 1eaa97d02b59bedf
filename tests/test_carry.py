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
                np.asarray(res.outline, float), gray, reduced.scale), res


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


def _carried(landmarks: dict, residual: float = 0.01, spread: float = 0.0,
             matched: set | None = None, source: int = 7):
    from footlog.analysis.carry import Carried

    return Carried({k: tuple(v) for k, v in landmarks.items()},
                   {k: source for k in landmarks}, residual,
                   {k: spread for k in landmarks}, templates=[source],
                   matched=set(landmarks) if matched is None else matched)


# A right forefoot 100 px wide (mt1_medial - mt5_lateral), toes up.
FOOT = {"mt1_medial": (0.0, 100.0), "mt5_lateral": (100.0, 110.0),
        "hallux_medial": (-2.0, 40.0), "hallux_tip": (10.0, 0.0), "toe2_tip": (35.0, 5.0),
        "toe3_tip": (55.0, 12.0), "toe4_tip": (72.0, 22.0), "toe5_tip": (88.0, 35.0),
        "cleft12": (24.0, 30.0)}


def test_a_carried_tip_replaces_the_detectors_where_they_disagree() -> None:
    from footlog.analysis.carry_merge import merge

    # The detector took toe 4 for toe 5 (the toe row slipped by one) and found no web.
    detected = {k: v for k, v in FOOT.items() if k != "cleft12"}
    detected["toe5_tip"] = FOOT["toe4_tip"]
    carried = dict(FOOT)
    carried["mt1_medial"] = (20.0, 120.0)  # carried body landmarks are never taken
    out = merge(detected, _carried(carried))
    assert out.landmarks["toe5_tip"] == FOOT["toe5_tip"]
    assert out.landmarks["cleft12"] == FOOT["cleft12"]
    assert out.landmarks["mt1_medial"] == FOOT["mt1_medial"]
    assert out.carried_from == {"toe5_tip": 7, "cleft12": 7}
    assert sorted(out.doubtful) == ["cleft12", "toe5_tip"]
    assert any("toe5_tip" in w and "photo 7" in w for w in out.warnings)


def test_the_detectors_landmarks_stay_where_carrying_agrees_or_cannot_be_trusted() -> None:
    from footlog.analysis.carry_merge import AGREE, MAX_SPREAD, merge

    near = {k: (x + 0.8 * AGREE * 100, y) for k, (x, y) in FOOT.items()}
    assert merge(dict(FOOT), _carried(near)).carried_from == {}
    far = {k: (x + 3 * AGREE * 100, y) for k, (x, y) in FOOT.items()}
    # Far apart, but: found in the image by too few templates, the templates disagree, or
    # the outline does not fit the confirmed photo.
    assert merge(dict(FOOT), _carried(far, matched=set())).carried_from == {}
    assert merge(dict(FOOT), _carried(far, spread=2 * MAX_SPREAD)).carried_from == {}
    poor = merge(dict(FOOT), _carried(far, residual=0.2))
    assert poor.carried_from == {} and poor.landmarks == FOOT
    assert poor.warnings and "nothing was taken" in poor.warnings[0]
    assert merge(dict(FOOT), None).landmarks == FOOT
