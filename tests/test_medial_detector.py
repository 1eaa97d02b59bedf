"""Medial detector: synthetic side views (exact truth) and the real reference photos."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from synthetic_side import SideSpec, make_side

from footlog.analysis.medial import DETECTOR_VERSION, measure_medial
from footlog.domain.views import MEDIAL_LANDMARKS, Foot, Status, View
from footlog.imaging.photo_io import read_reduced
from footlog.measuring import ANALYSIS_MAX_SIDE, compute_measures

PHOTOS = Path(__file__).parent / "data" / "photos"
CASES = [
    SideSpec(),
    SideSpec(tilt_deg=6.5),
    SideSpec(tilt_deg=-8, toes_right=False, apex=0.09, dorsum=0.33),
    SideSpec(floor="paper", tilt_deg=3, apex=0.03, dorsum=0.27),
]


@pytest.mark.parametrize("spec", CASES, ids=lambda s: f"{s.floor}{s.tilt_deg:+.0f}")
def test_synthetic_side_views_within_002(spec: SideSpec) -> None:
    s = make_side(spec)
    res = measure_medial(s.rgb, 1.0)
    assert res.detector_version == DETECTOR_VERSION
    assert set(res.landmarks) == set(MEDIAL_LANDMARKS)
    for m, want in s.measures.items():
        assert abs(res.measures[m] - want) < 0.02, (m, res.measures[m], want)
    # Seen from the inner side, toes to the right is a left foot.
    assert res.foot == (Foot.LEFT if spec.toes_right else Foot.RIGHT)
    # The measures follow the landmarks (a person dragging them gets the same formulas).
    assert compute_measures(View.MEDIAL, res.landmarks, res.foot, None) == res.measures


def test_a_foot_cut_by_the_frame_is_not_ok() -> None:
    s = make_side(SideSpec())
    cut = s.rgb[:, : int(s.landmarks["toe_tip"][0]) - 40]
    res = measure_medial(cut, 1.0)
    assert res.status != Status.OK
    assert res.warnings


@pytest.mark.parametrize("name", ["ala-jaidi__ad.jpg", "ala-jaidi__l.jpg"])
def test_real_medial_photos_report(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Errors vs the hand-placed reference are printed (target < 0.02). The detector may miss
    it, but then it must not say `ok`."""
    ref = json.loads((PHOTOS / f"{name}.json").read_text())
    red = read_reduced(PHOTOS / name, ANALYSIS_MAX_SIDE)
    res = measure_medial(red.pixels, red.scale)
    errs = {m: res.measures.get(m, float("nan")) - v for m, v in ref["measures"].items()}
    with capsys.disabled():
        print(f"\n{name}: {res.status} " + " ".join(f"{k} {v:+.4f}" for k, v in errs.items()))
    assert res.landmarks
    if res.status == Status.OK:
        assert all(abs(e) < 0.02 for e in errs.values())


@pytest.mark.parametrize("spec", [SideSpec(floor="paper", clutter=True),
                                  SideSpec(clutter=True, tilt_deg=5)],
                         ids=["paper", "wood"])
def test_shadow_and_floor_strip_are_not_skin(spec: SideSpec) -> None:
    """A dark shadow under the arch and an orange floor strip at the heel (as in
    ala-jaidi__l) are far from the floor colours; the skin model removes them. medial-0.1
    said `ok` here with arch_height_ratio 0.03-0.08 off."""
    s = make_side(spec)
    res = measure_medial(s.rgb, 1.0)
    for m, want in s.measures.items():
        assert abs(res.measures[m] - want) < 0.02, (m, res.measures[m], want)
    assert res.status == Status.REVIEW
    assert any("skin" in w for w in res.warnings)


@pytest.mark.parametrize("name", ["ala-jaidi__ad.jpg", "ala-jaidi__l.jpg"])
def test_real_medial_photos_within_002_and_not_ok(name: str) -> None:
    """Both reference photos are measured within 0.02 (medial-0.2); neither is `ok`: `ad`
    has a weak contrast and no heel bump, `l` needed the skin model and its camera is high."""
    ref = json.loads((PHOTOS / f"{name}.json").read_text())
    red = read_reduced(PHOTOS / name, ANALYSIS_MAX_SIDE)
    res = measure_medial(red.pixels, red.scale)
    for m, want in ref["measures"].items():
        assert abs(res.measures[m] - want) < 0.02, (m, res.measures[m], want)
    assert res.status == Status.REVIEW
