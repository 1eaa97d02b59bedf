"""The candidate proximal lines of the hallux angle on borders of known shape."""

from __future__ import annotations

import json

import numpy as np
import pytest
from testdata import PHOTOS

from footlog.analysis.dorsal_landmarks import FALLBACK_WARNING
from footlog.analysis.proximal_line import (
    heel_end,
    heel_tangent,
    long_axis,
    metatarsal_fit,
    refined_window,
)
from footlog.domain.results import MeasureResult
from footlog.domain.views import Foot, View
from footlog.measuring import compute_measures, measure_file

W = 100.0  # px per forefoot width
MT1 = np.array([50.0, 100.0])  # canonical frame: distal -y, medial -x


def _foot(heel: bool, leg_rows: int | None = None, back_w: float = 2.0
          ) -> tuple[np.ndarray, ...]:
    """A right foot's medial and lateral borders, rows 0..~330: the medial border straight
    behind mt1 and tilted laterally by 5 deg, then a round heel whose back lies `back_w` W
    behind mt1 (when `heel`), or cut by a leg from `leg_rows` on (rows past it not the
    foot's own, the outline running on to the photo's edge)."""
    n = int(MT1[1] + back_w * W) + 40
    rows = np.arange(n, dtype=float)
    medial = np.full(n, np.nan)
    lateral = np.full(n, np.nan)
    along = rows - MT1[1]
    medial[100:] = MT1[0] + np.tan(np.radians(5.0)) * along[100:]
    lateral[60:] = MT1[0] + W
    ok = np.isfinite(medial)
    if heel:
        back = int(MT1[1] + back_w * W)  # the heel's back
        r = 0.35 * W  # the heel's radius
        cx = medial[back - int(r)] + r
        cy = back - r
        ys = rows[back - int(r): back + 1]
        half = np.sqrt(np.maximum(r**2 - (ys - cy) ** 2, 0.0))
        medial[back - int(r): back + 1] = cx - half
        lateral[back - int(r): back + 1] = cx + half
        medial[back + 1:] = np.nan
        lateral[back + 1:] = np.nan
        ok = np.isfinite(medial)
    if leg_rows is not None:
        ok = ok & (rows <= leg_rows)
    return medial, ok, lateral


def test_heel_seen_gives_the_tangent_on_the_heel_medial_border():
    medial, ok, lateral = _foot(heel=True)
    assert heel_end(medial, ok, lateral, MT1, W) is not None
    line = heel_tangent(medial, ok, lateral, MT1, W)
    assert line is not None
    # The contact lies on the heel, behind the straight border (1.5-2.0 W behind mt1).
    assert 1.5 * W <= line.proximal[1] - MT1[1] <= 2.0 * W
    np.testing.assert_allclose(line.distal, MT1)


def test_a_round_end_beyond_the_foots_proportions_is_the_leg_not_the_heel():
    # A border running on to 2.8 W behind mt1 before it rounds off is a leg's edge (the
    # heel's back lies ~2 W behind the first metatarsal head).
    medial, ok, lateral = _foot(heel=True, back_w=2.8)
    assert heel_tangent(medial, ok, lateral, MT1, W) is None
    medial, ok, lateral = _foot(heel=True, back_w=2.3)
    assert heel_tangent(medial, ok, lateral, MT1, W) is not None


def test_heel_hidden_by_the_leg_gives_no_heel_tangent():
    medial, ok, lateral = _foot(heel=False, leg_rows=int(MT1[1] + 1.2 * W))
    assert heel_end(medial, ok, lateral, MT1, W) is None
    assert heel_tangent(medial, ok, lateral, MT1, W) is None


def test_leg_running_straight_to_the_photo_edge_is_not_a_heel():
    # The border is the foot's own as far as the photo goes, but never turns across.
    medial, ok, lateral = _foot(heel=False)
    assert heel_tangent(medial, ok, lateral, MT1, W) is None


@pytest.mark.parametrize("tilt", [-4.0, 0.0, 6.0])
def test_metatarsal_fit_follows_a_straight_border(tilt):
    n = 300
    rows = np.arange(n, dtype=float)
    medial = MT1[0] + np.tan(np.radians(tilt)) * (rows - MT1[1])
    ok = rows >= MT1[1]
    line = metatarsal_fit(medial, ok, MT1, W)
    assert line is not None
    d = line.distal - line.proximal
    # Distal is -y; a border tilted laterally going proximally (+x) points medially distally.
    assert np.degrees(np.arctan2(-d[0], -d[1])) == pytest.approx(tilt, abs=1e-6)


def test_metatarsal_fit_needs_enough_border():
    rows = np.arange(300, dtype=float)
    medial = np.full(300, MT1[0])
    ok = (rows >= MT1[1]) & (rows <= MT1[1] + 0.3 * W)
    assert metatarsal_fit(medial, ok, MT1, W) is None


def test_long_axis_is_the_midline():
    rows = np.arange(300, dtype=float)
    medial = MT1[0] + 0.2 * (rows - MT1[1])  # the foot narrows toward the heel
    lateral = MT1[0] + W - 0.2 * (rows - MT1[1])
    ok = rows >= 50
    line = long_axis(medial, ok, lateral, ok, MT1, MT1 + np.array([W, 0.0]), W)
    assert line is not None
    d = line.distal - line.proximal
    assert abs(d[0]) < 1e-6 and d[1] < 0  # straight up the middle
    assert line.proximal[0] == pytest.approx(MT1[0] + W / 2)


def test_refined_window_is_the_detector_point():
    assert refined_window(None, MT1) is None
    line = refined_window(np.array([45.0, 180.0]), MT1)
    assert line is not None and line.name == "refined_window"


def _measure(name: str) -> MeasureResult:
    return measure_file(PHOTOS / name, View.DORSAL)


def _reference_angle(name: str, res: MeasureResult) -> float:
    """The hand reference's hallux angle through the result's own calibration."""
    ref = json.loads((PHOTOS / f"{name}.json").read_text())
    lm = {k: tuple(v) for k, v in ref["landmarks"].items()}
    return compute_measures(View.DORSAL, lm, Foot(ref["side"]),
                            res.calibration)["hallux_angle"]


def test_a_photo_showing_the_heel_is_measured_from_the_heel():
    """ala-jaidi__gg: the leg leaves the photo laterally, the heel shows on the paper."""
    res = _measure("ala-jaidi__gg.jpg")
    assert res.extras["proximal_line"] == "heel_tangent"
    assert res.to_json()["proximal_line"] == "heel_tangent"
    assert FALLBACK_WARNING not in res.warnings
    # The contact lies on the heel (hand reference: 1.69 W behind mt1_medial), not in the
    # 0.4-1.2 W window of the fallback.
    lm = {k: np.asarray(v) for k, v in res.landmarks.items()}
    width = np.linalg.norm(lm["mt1_medial"] - lm["mt5_lateral"])
    assert np.linalg.norm(lm["midfoot_medial"] - lm["mt1_medial"]) / width > 1.4
    assert abs(res.measures["hallux_angle"] - _reference_angle("ala-jaidi__gg.jpg", res)) < 2.0


@pytest.mark.parametrize("name", ["ala-jaidi__1.jpg", "ala-jaidi__dd.jpg",
                                  "wildoctopus__barefeet1.jpeg"])
def test_a_hidden_heel_gives_the_fallback_and_says_so(name):
    res = _measure(name)
    assert res.extras["proximal_line"] == "refined_window"
    assert res.to_json()["proximal_line"] == "refined_window"
    assert FALLBACK_WARNING in res.warnings
