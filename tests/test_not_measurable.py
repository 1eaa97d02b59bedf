"""Photos that must give no number, told from the photo with the reason: a foot in a sock
or a shoe (generated scenes), both feet of a seated person (tests/data/photos/seated); and
the bare feet of tests/data, never refused as covered."""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np
import pytest
from scene_generator import generate_scene
from scene_generator.covers import COVERS

from footlog.analysis.bare_skin import BARE_RIGHT, BARE_SHARE, COVERED_RIGHT
from footlog.domain.views import Foot, Status, View
from footlog.imaging.photo_io import read_reduced
from footlog.measuring import ANALYSIS_MAX_SIDE, measure_feet, measure_file, measure_pixels

PHOTOS = Path(__file__).parent / "data" / "photos"
SEATED = sorted((PHOTOS / "seated").glob("*.jpg"))
BARE_DORSAL = sorted(p.with_suffix("") for p in PHOTOS.glob("*.json")
                     if json.loads(p.read_text())["view"] == View.DORSAL)
# Scenes of seeds the calibration's fit never sees (it uses seeds from 1000 on).
HELD_OUT = (1, 4, 10)
MP = 0.5  # small pictures: the colour, not the detail, tells a sock


@pytest.mark.parametrize("photo", SEATED, ids=lambda p: p.name[14:24])
def test_seated_photos_of_both_feet_give_no_number(photo: Path) -> None:
    res = measure_file(photo)
    assert res.status == Status.FAILED and not res.measures, res.warnings
    for foot in res.extras.get("feet", []):  # both feet found: neither gets a number
        assert foot["status"] == "failed" and not foot["measures"]
        if (foot["not_measurable"] or {}).get("cause") == "two_feet":
            assert foot["view_guess"]["view"] == "not measurable"
            assert "seated" in foot["view_guess"]["reason"]


def test_seated_photos_are_mostly_told_not_measurable() -> None:
    # Where both feet are found on no page, the photo is not measurable with its reason
    # (4 of the 6: in 91_74cm the far foot is not found, in 92_68cm a tile is taken for a
    # page under one foot; both still fail in the detector).
    told = [measure_file(p).to_json()["view_guess"]["view"] for p in SEATED]
    assert told.count("not measurable") >= 4, told


@pytest.mark.parametrize("cover", COVERS)
@pytest.mark.parametrize("seed", HELD_OUT)
def test_a_covered_foot_is_not_measurable_given_the_view_or_not(cover: str, seed: int) -> None:
    rgb = generate_scene(seed, MP, cover=cover).rgb
    res = measure_feet(rgb, 1.0, View.UNKNOWN, Foot.UNKNOWN)[0]
    assert res.status == Status.FAILED and not res.measures
    decision = res.to_json()["view_guess"]
    # Not bare skin, or (a foot whose view the guess cannot tell) not a view at all.
    assert decision["view"] == "not measurable"
    assert res.to_json()["not_measurable"]["cause"] in ("covered", "view")
    assert 0.5 < decision["confidence"] < 1.0
    # Told "from above", the person's word does not show the toes a sock hides.
    told = measure_pixels(rgb, 1.0, View.DORSAL, Foot.UNKNOWN, stability=False)
    assert told.status == Status.FAILED and not told.measures


def test_told_from_above_a_covered_foot_is_refused_for_its_cover() -> None:
    refused = 0
    for seed in HELD_OUT:
        for cover in COVERS:
            rgb = generate_scene(seed, MP, cover=cover).rgb
            told = measure_pixels(rgb, 1.0, View.DORSAL, Foot.UNKNOWN, stability=False)
            if (told.to_json()["not_measurable"] or {}).get("cause") == "covered":
                assert told.warnings[0].startswith("not measurable: the foot is not bare skin")
                refused += 1
    # seed 10's white sock on a white page is not told from the page (the outline found is
    # the leg's, whose toes are missing: it fails there instead).
    assert refused >= 5


@pytest.mark.parametrize("photo", BARE_DORSAL, ids=lambda p: p.name[:22])
def test_no_bare_foot_of_tests_data_is_taken_for_a_covered_one(photo: Path) -> None:
    red = read_reduced(photo, ANALYSIS_MAX_SIDE)
    res = measure_pixels(red.pixels, red.scale, View.DORSAL, Foot.UNKNOWN, stability=False)
    assert "not_measurable" not in res.extras, res.warnings
    assert res.extras["bare_skin"]["bare_share"] >= BARE_SHARE
    assert res.measures  # still measured


# A warm (tungsten-like) and a cold (shade-like) light: the channels scaled as a camera
# without white balance would record them (never above 1, so nothing clips).
LIGHTS = {"warm": (1.0, 0.85, 0.7), "cold": (0.7, 0.85, 1.0)}


@pytest.mark.parametrize("light", LIGHTS)
@pytest.mark.parametrize("name", ["16i-nathan__11cc7b7caadb_0.jpg",
                                  "16i-nathan__3c49c53b8776_0.jpg", "ala-jaidi__bbb.jpg",
                                  "wildoctopus__barefeet1.jpeg"])
def test_bare_skin_under_a_warm_or_cold_light_is_still_bare(name: str, light: str) -> None:
    red = read_reduced(PHOTOS / name, ANALYSIS_MAX_SIDE)
    lit = np.clip(red.pixels * np.array(LIGHTS[light]), 0, 255).astype(np.uint8)
    res = measure_pixels(lit, red.scale, View.DORSAL, Foot.UNKNOWN, stability=False)
    assert res.extras["bare_skin"]["bare_share"] >= BARE_SHARE, res.extras["bare_skin"]
    assert "not_measurable" not in res.extras


def test_a_cover_changes_the_foot_only() -> None:
    bare = generate_scene(HELD_OUT[0], 0.2)
    for cover in COVERS:
        sc = generate_scene(HELD_OUT[0], 0.2, cover=cover)
        assert sc.truth.cover == cover and bare.truth.cover is None
        assert sc.size == bare.size and sc.truth.floor == bare.truth.floor
        assert sc.truth.landmarks.keys() == bare.truth.landmarks.keys()
        for name, at in bare.truth.landmarks.items():
            assert np.allclose(sc.truth.landmarks[name], at, atol=1e-6), name
        assert np.array_equal(sc.truth.corners_px, bare.truth.corners_px)
        # Far from the foot (beyond its shadow) the picture is the bare scene's.
        near = (bare.truth.foot_mask | sc.truth.foot_mask).astype(np.uint8)
        far = cv2.distanceTransform(1 - near, cv2.DIST_L2, 3) > 0.2 * max(bare.size)
        diff = np.abs(sc.rgb.astype(int) - bare.rgb.astype(int))[far]
        assert far.any() and np.median(diff) <= 2


# How far the bare-skin test's stated confidence may lie from its share of right verdicts on
# scenes the fit did not see: a band of n verdicts has a binomial spread of about
# sqrt(p (1 - p) / n); 0.15 covers it for the few dozen verdicts tested here.
CALIBRATION_TOLERANCE = 0.15


def test_the_bare_skin_confidence_is_calibrated_on_held_out_scenes() -> None:
    stated, right = [], []
    for seed in range(20, 32):
        for cover in (None, *COVERS):
            rgb = generate_scene(seed, MP, cover=cover).rgb
            res = measure_pixels(rgb, 1.0, View.DORSAL, Foot.UNKNOWN, stability=False)
            check = res.extras.get("bare_skin")
            if check is None or check["bare_share"] is None:
                continue
            stated.append(check["confidence"])
            right.append(check["covered"] == (cover is not None))
    assert len(stated) >= 30
    assert abs(np.mean(stated) - np.mean(right)) <= CALIBRATION_TOLERANCE
    assert all(0.0 < p < 1.0 for p in (COVERED_RIGHT, *BARE_RIGHT.values()))


def test_the_view_decision_is_calibrated_on_held_out_scenes() -> None:
    # The whole decision with no view given (view, bare skin, both feet), on scenes the
    # fits never saw: bare feet from above, and the same in a sock and in a shoe.
    stated, right = [], []
    for seed in range(40, 52):
        for cover in (None, *COVERS):
            rgb = generate_scene(seed, MP, cover=cover).rgb
            decision = measure_feet(rgb, 1.0, View.UNKNOWN, Foot.UNKNOWN)[0].to_json()[
                "view_guess"]
            truth = "not measurable" if cover else "dorsal"
            if decision["confidence"] is None:  # both feet on no page: nothing measures it
                continue
            stated.append(decision["confidence"])
            right.append(decision["view"] == truth)
    stated_a, right_a = np.array(stated, float), np.array(right, float)
    assert abs(stated_a.mean() - right_a.mean()) <= CALIBRATION_TOLERANCE
    sure = stated_a >= 0.9
    assert sure.sum() >= 10
    assert abs(stated_a[sure].mean() - right_a[sure].mean()) <= CALIBRATION_TOLERANCE
