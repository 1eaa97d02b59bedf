"""benchmarks/proximal_line.py: the angles it gives each candidate, its spreads, its tables."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import proximal_line as bench

from footlog.domain.calibration import Calibration
from footlog.domain.results import MeasureResult
from footlog.domain.views import Foot, Status, View


def _result(proximal_line: str, homography: list | None = None) -> MeasureResult:
    """A right foot, toes up: the big toe turned 10 deg laterally (+x) from straight up;
    the candidate lines straight up (heel), 5 deg turned (fit), and the window's point."""
    res = MeasureResult(View.DORSAL, Foot.RIGHT, Status.OK)
    res.landmarks = {"mt1_medial": (100.0, 300.0),
                     "hallux_medial": (100.0 + 100 * np.tan(np.radians(10)), 200.0),
                     "midfoot_medial": (100.0, 500.0)}
    turned = np.tan(np.radians(5.0)) * 200
    res.extras["proximal_lines"] = {
        "heel_tangent": [(100.0, 600.0), (100.0, 300.0)],
        "metatarsal_fit": [(100.0 + turned, 600.0), (100.0, 400.0)],
        "refined_window": [(90.0, 500.0), (100.0, 300.0)],
    }
    res.extras["proximal_line"] = proximal_line
    if homography is not None:
        res.calibration = Calibration("sheet", homography=np.asarray(homography, float))
    return res


def test_each_candidate_gives_its_own_angle() -> None:
    angles = bench.candidate_angles(_result("heel_tangent"))
    assert angles["heel_tangent"] == pytest.approx(10.0)
    # The fit's distal direction turns medially by 5 deg: the toe is 15 deg from it.
    assert angles["metatarsal_fit"] == pytest.approx(15.0)
    # With the heel line in use, the window's line is the detector's candidate (turned
    # laterally by atan(10/200)), not midfoot_medial (which is then the heel's contact).
    assert angles["refined_window"] == pytest.approx(
        10.0 - np.degrees(np.arctan2(10, 200)))


def test_the_fallback_uses_the_detectors_refined_point() -> None:
    angles = bench.candidate_angles(_result("refined_window"))
    assert angles["refined_window"] == pytest.approx(10.0)


def test_angles_are_taken_on_the_floor_plane() -> None:
    # A homography that stretches x by 2: every angle is that of the stretched picture.
    h = [[2.0, 0, 0], [0, 1.0, 0], [0, 0, 1.0]]
    angles = bench.candidate_angles(_result("heel_tangent", h))
    assert angles["heel_tangent"] == pytest.approx(np.degrees(np.arctan(2 * np.tan(
        np.radians(10)))))


def test_spreads() -> None:
    sd, dof = bench.pooled_sd([[1.0, 3.0], [10.0, 12.0], [5.0]])
    assert dof == 2 and sd == pytest.approx(np.sqrt(2.0))
    assert bench.pooled_sd([[1.0]]) == (None, 0)
    # One wild value leaves the robust SD of the bulk alone.
    assert bench.robust_sd([1.0, 2.0, 3.0, 2.0, 40.0]) == pytest.approx(1.4826)


def test_scene_table_counts_only_scenes_given_a_number() -> None:
    rows = [{"source": "a__x", "group": "a", "status": s, "truth": 1.0,
             "angles": {"refined_window": v}}
            for s, v in (("ok", 1.0), ("review", 2.0), ("ok", 3.0), ("failed", 30.0),
                         ("ok", 12.0))]
    line = next(ln for ln in bench.scene_table(rows).splitlines()
                if ln.startswith("refined_window") and " all " in ln)
    # 4 scenes given a number; 12.0 is more than 5 deg from their median (2.5).
    assert "4/4" in line and "1/4" in line
