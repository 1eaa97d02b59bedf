"""Aligning two photos: a known similarity is recovered; left and right are mirrored."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest
from gui_helpers import DORSAL_LANDMARKS
from testdata import PHOTOS

from footlog.domain.alignment import Similarity, align_landmarks, fit_similarity


def synthetic_foot(rng: np.random.Generator) -> dict[str, tuple[float, float]]:
    """Landmarks of a foot (px) with some irregularity, as a detector would give."""
    base = {
        "hallux_tip": (300, 100), "toe2_tip": (380, 110), "toe3_tip": (430, 150),
        "toe4_tip": (470, 200), "toe5_tip": (500, 260), "cleft12": (345, 230),
        "mt1_medial": (260, 520), "hallux_medial": (250, 260), "midfoot_medial": (290, 900),
        "mt5_lateral": (560, 560), "toe5_lateral": (545, 330),
    }
    return {k: (x + rng.normal(0, 3), y + rng.normal(0, 3)) for k, (x, y) in base.items()}


@pytest.mark.parametrize("seed", range(10))
def test_a_known_similarity_is_recovered_within_half_a_pixel(seed: int) -> None:
    rng = np.random.default_rng(seed)
    first = synthetic_foot(rng)
    truth = Similarity(scale=rng.uniform(0.6, 1.6), angle_deg=rng.uniform(-180, 180),
                       tx=rng.uniform(-400, 400), ty=rng.uniform(-400, 400))
    # The second photo is the first seen through the inverse transform.
    inverse = np.linalg.inv(truth.matrix())
    pts = np.array(list(first.values()))
    moved = pts @ inverse[:2, :2].T + inverse[:2, 2]
    second = dict(zip(first, map(tuple, moved), strict=True))
    result = align_landmarks(first, second)
    recovered = result.transform.apply(moved)
    assert np.abs(recovered - pts).max() < 0.5
    assert result.residual_rms < 0.5
    assert result.transform.scale == pytest.approx(truth.scale, rel=1e-6)


def test_left_against_right_is_mirrored() -> None:
    rng = np.random.default_rng(1)
    right = synthetic_foot(rng)
    left = {k: (1000 - x, y) for k, (x, y) in right.items()}  # the mirror image
    plain = align_landmarks(right, left, mirror=False)
    mirrored = align_landmarks(right, left, mirror=True)
    assert mirrored.transform.mirrored
    assert mirrored.residual_rms < 1e-6 < plain.residual_rms


def test_too_few_shared_landmarks_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="at least 3"):
        align_landmarks({"a": (0, 0), "b": (1, 1)}, {"a": (0, 0), "b": (2, 2)})
    with pytest.raises(ValueError):
        fit_similarity(np.zeros((3, 2)), np.ones((3, 2)))


def test_two_real_photos_of_one_foot(library, tmp_path) -> None:
    """Two photos of one right foot, with their hand-placed landmarks, align closely."""
    from footlog.compare import compare_photos, render_overlay
    from footlog.domain.results import MeasureResult
    from footlog.domain.views import Foot, Status, View
    from footlog.imaging.calibration import calibrate
    from footlog.imaging.photo_io import read_reduced
    from footlog.library_measuring import recompute_library_measures
    from footlog.storage.measure_store import save_detection
    from footlog.storage.photo_store import import_photo, update_photo

    ids = []
    for name in ("ala-jaidi__t.jpg", "ala-jaidi__tt.jpg"):
        path = tmp_path / name
        shutil.copy(PHOTOS / name, path)
        ref = json.loads((PHOTOS / f"{name}.json").read_text())
        pid = import_photo(library, path, library.person()).photo_id
        update_photo(library, pid, foot="right", view="dorsal")
        reduced = read_reduced(path, 1000)
        calibration = calibrate(reduced.pixels, reduced.scale).as_stored()
        assert calibration.method == "a4"
        save_detection(library, pid, MeasureResult(
            View.DORSAL, Foot.RIGHT, Status.OK,
            landmarks={k: tuple(v) for k, v in ref["landmarks"].items()},
            calibration=calibration))
        recompute_library_measures(library, pid)
        ids.append(pid)
    comparison = compare_photos(library, *ids)
    # Both photos stood on an A4 page: aligned on the floor plane, residual in mm.
    assert comparison.units == "mm"
    width = comparison.measures_first["forefoot_width"]
    # The same foot on another day: the well-defined points agree within a few mm.
    assert comparison.alignment.residual_rms < 0.08 * width
    tips = [v for k, v in comparison.alignment.residuals.items() if k.endswith("_tip")]
    assert max(tips) < 0.06 * width
    assert not comparison.mirrored
    image = render_overlay(library, comparison, max_side=400)
    assert max(image.size) == 400
    print({k: round(v, 1) for k, v in comparison.alignment.residuals.items()})
    print(f"real photos t vs tt: residual {comparison.alignment.residual_rms:.1f} "
          f"{comparison.units} ({comparison.alignment.residual_rms / width:.1%} of W)")


def test_landmark_fixture_is_a_right_foot() -> None:
    assert DORSAL_LANDMARKS["mt5_lateral"][0] > DORSAL_LANDMARKS["mt1_medial"][0]
