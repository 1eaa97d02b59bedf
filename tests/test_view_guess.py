"""View guessing on the real photos and on synthetic prints, and its use by measure_pixels."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from synthetic_prints import PrintSpec, make_print
from synthetic_side import SideSpec, make_side

from footlog.analysis.view_guess import guess_view
from footlog.domain.views import Foot, Status, View
from footlog.imaging.photo_io import read_reduced
from footlog.measuring import measure_pixels

PHOTOS = Path(__file__).parent / "data" / "photos"
REFERENCED = sorted(p for p in PHOTOS.iterdir() if p.name.endswith(".json"))


@pytest.mark.parametrize("ref", REFERENCED, ids=lambda p: p.name[:-5])
def test_real_photos_guess_their_view(ref: Path) -> None:
    want = View(json.loads(ref.read_text())["view"])
    red = read_reduced(ref.with_suffix(""), 1000)
    view, conf = guess_view(red.pixels)
    assert view == want
    assert 0.0 <= conf <= 1.0


@pytest.mark.parametrize("mid", [0, 30, 70])
def test_synthetic_prints_are_plantar(mid: float) -> None:
    view, conf = guess_view(make_print(PrintSpec(mid_width=mid, angle_deg=mid)).rgb)
    assert view == View.PLANTAR and conf >= 0.6


def test_synthetic_side_view_is_medial() -> None:
    assert guess_view(make_side(SideSpec(tilt_deg=5)).rgb)[0] == View.MEDIAL


def test_measure_pixels_dispatches_on_the_guess_and_the_person_wins() -> None:
    side = make_side(SideSpec()).rgb
    res = measure_pixels(side, 1.0, View.UNKNOWN, Foot.UNKNOWN)
    assert res.view == View.MEDIAL and "arch_height_index" in res.measures
    assert "not given" in res.warnings[0]
    pr = make_print(PrintSpec()).rgb
    res = measure_pixels(pr, 1.0, View.UNKNOWN, Foot.UNKNOWN)
    assert res.view == View.PLANTAR and "arch_index" in res.measures
    # The person's word wins: told plantar, the side photo is measured as a print.
    assert measure_pixels(side, 1.0, View.PLANTAR, Foot.UNKNOWN).view == View.PLANTAR


# OllieBoyne__2 is a foot from above on bare concrete, no page: a dorsal photo, just not on a
# page. Its landmarks sit where a person would put them (looked at on the drawing), so it may
# give its angles, but only in `review` and saying that no page was found: the photos of
# hard/ may give a number only where the landmarks are right, and never with confidence.
FROM_ABOVE_NO_PAGE = "OllieBoyne__2.png"
HARD = sorted(p for p in (PHOTOS / "hard").iterdir()
              if p.suffix.lower() in (".jpg", ".png") and p.name != FROM_ABOVE_NO_PAGE)


@pytest.mark.parametrize("photo", HARD, ids=lambda p: getattr(p, "name", "")[:24])
def test_photos_outside_the_capture_guide_give_no_number(photo: Path) -> None:
    # Seated, oblique, both feet, no paper: measured with no view given, none may give a
    # number (a wrong view's landmarks land on knees and shins).
    from footlog.measuring import measure_file

    res = measure_file(photo)
    assert res.status == Status.FAILED and not res.measures, res.warnings


def test_a_foot_from_above_without_a_page_is_only_reviewed() -> None:
    from footlog.measuring import measure_file

    res = measure_file(PHOTOS / "hard" / FROM_ABOVE_NO_PAGE)
    assert res.view == View.DORSAL and res.status == Status.REVIEW
    assert any("page's edges were not found" in w for w in res.warnings), res.warnings


def test_a_guess_more_likely_wrong_than_right_is_not_measured() -> None:
    from footlog.analysis.view_guess import NOT_MEASURABLE

    red = read_reduced(PHOTOS / "hard" / "RafiansyahDS__91_66cm_17-May-2023-12_08_18.jpg", 1000)
    _view, conf = guess_view(red.pixels)
    assert conf < NOT_MEASURABLE
    res = measure_pixels(red.pixels, red.scale, View.UNKNOWN, Foot.UNKNOWN)
    assert res.status == Status.FAILED and res.view == View.UNKNOWN and not res.landmarks
    assert "not measurable" in res.warnings[0] and "say which view" in res.warnings[0]
    # Told the view, the person's word wins and the detector runs.
    assert measure_pixels(red.pixels, red.scale, View.DORSAL, Foot.UNKNOWN).view == View.DORSAL


def test_confidence_is_the_measured_share_of_right_guesses() -> None:
    from footlog.analysis.view_guess import CALIBRATION, band, raw_guess

    red = read_reduced(PHOTOS / "ala-jaidi__t.jpg", 1000)
    view, raw = raw_guess(red.pixels)
    assert guess_view(red.pixels) == (view, CALIBRATION[view][band(raw)])
    assert [band(r) for r in (0.0, 0.49, 0.5, 0.8, 0.95, 1.0)] == [0, 0, 1, 2, 3, 3]
    for probs in CALIBRATION.values():
        assert all(0.0 < p < 1.0 for p in probs)  # counts with one right and one wrong added
