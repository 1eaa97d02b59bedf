"""The detection result's typed fields: calibration, outline, page and timings."""

from __future__ import annotations

import json

import numpy as np
import pytest
from testdata import PHOTOS

from footlog.domain.calibration import Calibration
from footlog.domain.results import MeasureResult, calibration_summary
from footlog.domain.views import Foot, Status, View
from footlog.measuring import compute_measures, measure_file
from footlog.storage.measure_store import save_detection
from footlog.storage.photo_store import import_photo


def _calibration() -> Calibration:
    h = np.array([[0.31234567891, 0.0012, -40.5], [-0.0011, 0.3087654321, -12.25],
                  [1.2e-6, -3.4e-6, 1.0]])
    corners = np.array([[130.123, 40.987], [810.555, 52.111], [830.4, 990.9], [120.0, 975.0]])
    return Calibration("a4", homography=h, mm_per_px=0.30987654321, residual_mm=0.123456,
                       corners_px=corners, warnings=["a corner is hidden"], points_used=4,
                       seconds=0.5, corners_seen=[True, True, False, True],
                       paper_size="measured")


def test_calibration_json_round_trip() -> None:
    cal = _calibration()
    stored = cal.as_stored()
    # The precision the library keeps: what measuring uses and what it stores are one.
    assert stored.mm_per_px == 0.309877 and stored.residual_mm == 0.123
    assert stored.corners_px is not None and stored.corners_px[0].tolist() == [130.12, 40.99]
    assert stored.homography is not None and np.array_equal(stored.homography, cal.homography)
    again = Calibration.from_json(json.loads(json.dumps(stored.to_json())))
    assert again is not None and again.to_json() == stored.to_json() == cal.to_json()
    assert stored.points_used == 4 and stored.corners_seen == [True, True, False, True]


def test_calibration_from_older_or_missing_json() -> None:
    assert Calibration.from_json(None) is None
    old = Calibration.from_json({"method": "card", "mm_per_px": 0.2,
                                 "homography": [[1, 0, 0], [0, 1, 0], [0, 0, 1]]})
    assert old is not None and old.method == "card" and old.paper_size is None
    assert old.corners_px is None and old.warnings == [] and old.has_scale


def test_calibration_summary_of_typed_calibration() -> None:
    summary = calibration_summary(_calibration().as_stored())
    assert summary == {"method": "a4", "residual": 0.123, "paper_size": "measured",
                       "corners": [[130.12, 40.99], [810.56, 52.11], None, [120.0, 975.0]]}
    assert calibration_summary(None) == {"method": "none", "corners": None,
                                         "residual": None, "paper_size": None}


def test_measures_use_the_typed_homography() -> None:
    lm = {"mt1_medial": (100.0, 500.0), "hallux_medial": (130.0, 300.0),
          "midfoot_medial": (100.0, 900.0)}
    stretched = Calibration("sheet", homography=np.diag([2.0, 1.0, 1.0]))
    plain = compute_measures(View.DORSAL, lm, Foot.RIGHT, None)["hallux_angle"]
    on_floor = compute_measures(View.DORSAL, lm, Foot.RIGHT, stretched)["hallux_angle"]
    assert on_floor == pytest.approx(2 * plain, rel=0.05)


def test_measured_photo_keeps_its_typed_geometry(library, tmp_path) -> None:
    """A real photo on an A4 page: the result carries its calibration, outline, page and
    timings as fields; the library stores the very calibration measuring used."""
    name = "ala-jaidi__tt.jpg"
    res = measure_file(PHOTOS / name, View.DORSAL)
    assert res.calibration is not None and res.calibration.method == "a4"
    assert res.scale_mm_per_px == res.calibration.mm_per_px
    assert res.outline and res.paper and len(res.paper) >= 4
    assert {"decode", "view", "calibrate", "detect", "measures"} <= set(res.timings)
    assert not {"calibration", "outline", "paper", "timings"} & set(res.extras)
    assert res.to_json()["calibration"]["method"] == "a4"
    pid = import_photo(library, PHOTOS / name, library.person()).photo_id
    save_detection(library, pid, res)
    stored = library.db.execute("SELECT calibration FROM photos WHERE id = ?", [pid]).fetchone()
    assert json.loads(stored[0]) == res.calibration.to_json()
    again = compute_measures(View.DORSAL, res.landmarks, res.foot,
                             Calibration.from_json(json.loads(stored[0])))
    assert again == compute_measures(View.DORSAL, res.landmarks, res.foot, res.calibration)


def test_result_without_calibration_stores_none(library) -> None:
    pid = import_photo(library, PHOTOS / "ala-jaidi__t.jpg", library.person()).photo_id
    save_detection(library, pid, MeasureResult(View.DORSAL, Foot.RIGHT, Status.FAILED))
    row = library.db.execute("SELECT calibration, outline FROM photos WHERE id = ?",
                             [pid]).fetchone()
    assert row == (None, None)
