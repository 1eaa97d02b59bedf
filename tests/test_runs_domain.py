"""Activity types, what counts toward mileage, and how a run's footwear is decided."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from footlog.domain.runs import (
    ACTIVITY_TYPES,
    Footwear,
    FootwearSource,
    Run,
    classify_footwear,
    counts_toward_mileage,
    footwear_from_text,
    normalise_activity_type,
    normalise_gear_name,
)


def run(**kwargs) -> Run:
    fields = {"start": datetime(2024, 3, 1, 7, 0, tzinfo=UTC), "distance_m": 5000.0}
    fields.update(kwargs)
    return Run(**fields)


# --- activity types ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # Strava, in its display names and its API's camelCase
        ("Run", "run"),
        ("Trail Run", "run"),
        ("TrailRun", "run"),
        ("Virtual Run", "run"),
        ("VirtualRun", "run"),
        ("Walk", "walk"),
        ("Hike", "hike"),
        ("Ride", "ride"),
        ("E-Bike Ride", "ride"),
        ("EBikeRide", "ride"),
        ("Swim", "swim"),
        ("Weight Training", "other"),
        ("Yoga", "other"),
        # Strava in other languages
        ("Lauf", "run"),
        ("Radfahrt", "ride"),
        ("Wanderung", "hike"),
        ("Course à pied", "run"),
        ("Natación", "swim"),
        ("Caminata", "walk"),
        # Garmin Connect
        ("Running", "run"),
        ("Trail Running", "run"),
        ("Treadmill Running", "run"),
        ("Walking", "walk"),
        ("Hiking", "hike"),
        ("Cycling", "ride"),
        ("Pool Swim", "swim"),
        ("Strength", "other"),
        # TCX Sport, FIT sport enum names, Strava's GPX type numbers
        ("Biking", "ride"),
        ("Other", "other"),
        ("running", "run"),
        ("e_biking", "ride"),
        ("walking", "walk"),
        ("generic", "other"),
        ("9", "run"),
        ("1", "ride"),
        # odd input
        ("", "other"),
        (None, "other"),
        ("  RUN  ", "run"),
        ("Langlauf", "other"),  # cross-country skiing in German, not running
    ],
)
def test_normalise_activity_type(raw: str | None, expected: str) -> None:
    assert normalise_activity_type(raw) == expected


def test_the_vocabulary_maps_to_itself() -> None:
    for kind in ACTIVITY_TYPES:
        assert normalise_activity_type(kind) == kind


@pytest.mark.parametrize(
    ("activity_type", "counts"),
    [
        ("run", True),
        ("walk", True),
        ("hike", True),  # a hike is walking; see MILEAGE_TYPES
        ("ride", False),
        ("swim", False),
        ("other", False),
        ("Trail Run", True),  # raw names are normalised first
        ("Virtual Ride", False),
        ("", False),
        (None, False),
    ],
)
def test_counts_toward_mileage(activity_type: str | None, counts: bool) -> None:
    assert counts_toward_mileage(activity_type) is counts


# --- footwear keywords ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Barefoot Tuesday",
        "easy BAREFOOT miles",
        "bare foot on grass",
        "barefooting at dawn",
        "#barefoot",
        "BF 5k",
        "run (BF)",
        "BF-run",
        "Barfuß im Park",
        "BARFUSS",
        "Barfußlauf am Strand",  # German compounds
        "barfuss-training",
        "Carrera descalzo",
        "caminata descalza",
        "corrida descalço",
        "course pieds nus",
        "Pieds-nus sur la plage",
        "corsa scalzo",
        "a piedi nudi",
        "blote voeten",
        "blootsvoets",
        "boso po trawie",
        "ＢＡＲＥＦＯＯＴ",  # full-width letters, folded by NFKC
        "barefoot then huaraches",  # both kinds: barefoot wins
    ],
)
def test_barefoot_keywords(text: str) -> None:
    assert footwear_from_text(text) is Footwear.BAREFOOT


@pytest.mark.parametrize(
    "text",
    [
        "Minimal shoes",
        "minimalist",
        "Huaraches",
        "in sandals",
        "Vibram KSO",
        "Five Fingers",
        "FiveFingers",
        "Xero Prio",
        "Vivobarefoot Primus",  # a shoe, though it says "barefoot"
        "Vivo Barefoot Geo",
        "new barefoot shoes",
        "Barfußschuhe",
    ],
)
def test_minimal_keywords(text: str) -> None:
    assert footwear_from_text(text) is Footwear.MINIMAL


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Morning Run",
        "Run with my bf",  # lowercase bf: boyfriend, not barefoot
        "Trail Run with the BFF",  # not a whole word
        "BF5",
        "ABF",
        "Subfolder",
        "bosom",  # "boso" only as a whole word
        "Saxerosandal",  # keywords start at word boundaries
        "minimalism?",  # not minimal(ist)
    ],
)
def test_texts_that_say_nothing(text: str) -> None:
    assert footwear_from_text(text) is None


# --- precedence ----------------------------------------------------------------------------------

GEAR = {"Vivobarefoot Primus": Footwear.MINIMAL, "Pegasus 40": Footwear.SHOD}


def test_override_comes_first() -> None:
    r = run(name="Barefoot", gear="Pegasus 40", footwear_override=Footwear.MINIMAL)
    assert classify_footwear(r, GEAR) == (Footwear.MINIMAL, FootwearSource.OVERRIDE)


def test_an_override_of_unknown_is_kept() -> None:
    r = run(name="Barefoot", footwear_override=Footwear.UNKNOWN)
    assert classify_footwear(r, GEAR) == (Footwear.UNKNOWN, FootwearSource.OVERRIDE)


def test_gear_mapping_comes_before_keywords() -> None:
    r = run(name="Barefoot warm-up, then the rest shod", gear="Pegasus 40")
    assert classify_footwear(r, GEAR) == (Footwear.SHOD, FootwearSource.GEAR)


@pytest.mark.parametrize(
    "gear", ["pegasus 40", "  PEGASUS 40 ", "Pegasus  40", "Ｐｅｇａｓｕｓ 40"]
)
def test_gear_names_match_whatever_their_case_and_spacing(gear: str) -> None:
    assert classify_footwear(run(gear=gear), GEAR) == (Footwear.SHOD, FootwearSource.GEAR)


def test_keywords_in_name_or_description() -> None:
    assert classify_footwear(run(name="BF 5k"), GEAR) == (
        Footwear.BAREFOOT,
        FootwearSource.KEYWORD,
    )
    assert classify_footwear(run(name="Easy", description="in my huaraches"), {}) == (
        Footwear.MINIMAL,
        FootwearSource.KEYWORD,
    )


def test_unmapped_gear_falls_through_to_keywords() -> None:
    r = run(name="Barfuß", gear="Some other shoe")
    assert classify_footwear(r, GEAR) == (Footwear.BAREFOOT, FootwearSource.KEYWORD)


def test_gear_mapped_to_unknown_says_nothing() -> None:
    r = run(name="barefoot", gear="Mystery")
    assert classify_footwear(r, {"mystery": Footwear.UNKNOWN}) == (
        Footwear.BAREFOOT,
        FootwearSource.KEYWORD,
    )


def test_nothing_said_is_unknown() -> None:
    assert classify_footwear(run(name="Morning Run"), GEAR) == (
        Footwear.UNKNOWN,
        FootwearSource.NONE,
    )


def test_gear_name_itself_is_not_a_keyword() -> None:
    # Only the mapping reads the gear: an unmapped shoe named "Barefoot" does not decide.
    assert classify_footwear(run(gear="Barefoot"), {}) == (Footwear.UNKNOWN, FootwearSource.NONE)


def test_normalise_gear_name() -> None:
    assert normalise_gear_name("  Vivobarefoot   Primus\tLite ") == "vivobarefoot primus lite"
    assert normalise_gear_name("STRAßE") == "strasse"
