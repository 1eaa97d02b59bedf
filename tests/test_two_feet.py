"""Finding both feet in one photo, telling left from right, and measuring each alone."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from footlog.analysis.two_feet import (
    find_feet,
    polygon_mask,
    sides_by_position,
    split_at_notch,
    without_other_foot,
)
from footlog.app import measure_again
from footlog.domain.views import Foot, View
from footlog.imaging.photo_io import read_reduced
from footlog.library_measuring import measure_library_photo
from footlog.measuring import ANALYSIS_MAX_SIDE, find_photo_feet, measure_file
from footlog.storage.feet_store import photo_feet
from footlog.storage.integrity import check_library
from footlog.storage.library import Library
from footlog.storage.photo_store import import_photo, list_photos, orphaned_pending

HARD = Path(__file__).parent / "data" / "photos" / "hard"
# Share of a drawn foot that must lie in the region found for it: the regions hold the leg
# too, so only the drawn foot's own pixels are compared.
MIN_RECALL = 0.6


def _bars(entry_at_bottom: bool = True, joined: bool = False) -> np.ndarray:
    """Two vertical bars (feet with legs) reaching one edge of a 200 x 160 mask; `joined`:
    a band joins them at that edge (legs touching)."""
    mask = np.zeros((200, 160), np.uint8)
    mask[40:, 20:60] = 1
    mask[40:, 100:140] = 1
    if joined:
        mask[170:, 20:140] = 1
    return mask if entry_at_bottom else mask[::-1].copy()


def test_side_by_position_depends_on_where_the_legs_enter() -> None:
    left_bar = np.zeros((200, 160), np.uint8)
    left_bar[40:, 20:60] = 1
    right_bar = np.zeros_like(left_bar)
    right_bar[40:, 100:140] = 1
    # Legs entering from the bottom (the person holds the camera): left is on the left.
    assert sides_by_position([left_bar, right_bar]) == [Foot.LEFT, Foot.RIGHT]
    # Seen from in front of the person (legs entering from the top): the other way round.
    assert sides_by_position([left_bar[::-1], right_bar[::-1]]) == [Foot.RIGHT, Foot.LEFT]
    # Whole feet, no legs: position alone cannot say.
    floating = np.zeros_like(left_bar)
    floating[40:150, 20:60] = 1
    assert sides_by_position([floating, right_bar]) == [Foot.UNKNOWN, Foot.UNKNOWN]


def test_legs_touching_at_the_frame_are_cut_along_the_notch() -> None:
    parts = split_at_notch(_bars(joined=True))
    assert parts is not None
    left = min(parts, key=lambda p: np.nonzero(p)[1].mean())
    assert left[100, 40] and not left[100, 120]
    assert (parts[0] + parts[1]).max() == 1  # the parts do not overlap ...
    assert (parts[0] + parts[1]).sum() == _bars(joined=True).sum()  # ... and cover it


@pytest.mark.parametrize("shift", [-15, -7, 0, 9, 15])
def test_a_cut_does_not_depend_on_where_the_region_lies(shift: int) -> None:
    """The parts are labelled within the region's box only: moved across the picture, the
    region is cut into the same parts, moved with it."""
    joined = _bars(joined=True)
    moved = np.roll(joined, shift, axis=1)  # the bars stay clear of the side edges
    parts, moved_parts = split_at_notch(joined), split_at_notch(moved)
    assert parts is not None and moved_parts is not None
    for part, moved_part in zip(parts, moved_parts, strict=True):
        assert np.array_equal(np.roll(part, shift, axis=1), moved_part)


def test_one_foot_with_its_leg_is_not_cut() -> None:
    # An L: a foot pointing sideways from a leg entering from the bottom. Its ankle is a
    # deep notch, but the foot part does not reach the frame by itself.
    mask = np.zeros((200, 200), np.uint8)
    mask[100:, 120:160] = 1
    mask[100:140, 30:160] = 1
    assert split_at_notch(mask) is None


def test_the_other_foot_is_painted_with_the_floor_around_it() -> None:
    pixels = np.full((100, 100, 3), 200, np.uint8)
    pixels[20:80, 10:40] = (180, 120, 100)
    pixels[20:80, 60:90] = (180, 120, 100)
    own = np.zeros((100, 100), np.uint8)
    own[20:80, 10:40] = 1
    other = np.zeros_like(own)
    other[20:80, 60:90] = 1
    out = without_other_foot(pixels, own, other)
    assert (out[20:80, 60:90] == 200).all()
    assert (out[20:80, 10:40] == pixels[20:80, 10:40]).all()


def _drawn(photo: Path) -> dict[str, np.ndarray]:
    ref = json.loads(photo.with_name(photo.name + ".json").read_text())
    return {f["side"]: np.asarray(f["outline"], float) for f in ref["feet"]}


def _recall(found: np.ndarray, drawn: np.ndarray, shape, scale: float) -> float:
    a, b = polygon_mask(found, shape, scale), polygon_mask(drawn, shape, scale)
    return float((a & b).sum() / b.sum())


def _views() -> dict[Path, str]:
    photos = sorted(p for p in HARD.parent.iterdir() if p.suffix in (".jpg", ".jpeg"))
    return {p: json.loads(p.with_name(p.name + ".json").read_text())["view"] for p in photos}


def test_one_foot_photos_are_not_split() -> None:
    """No dorsal photo of one foot in tests/data is taken for two: a shadow, a trouser leg,
    a card or a patch of floor beside the foot is not a second foot."""
    for photo, view in _views().items():
        if view == "dorsal":
            reduced = read_reduced(photo, ANALYSIS_MAX_SIDE)
            assert not find_feet(reduced.pixels, reduced.scale).two, photo.name


def test_a_photo_from_the_side_is_one_foot() -> None:
    """A foot seen from the side, in light and shade, is not looked at as two feet when the
    view is not given: the view's guess says it is a side view."""
    for photo, view in _views().items():
        if view == "medial":
            reduced = read_reduced(photo, ANALYSIS_MAX_SIDE)
            assert find_photo_feet(reduced.pixels, reduced.scale, View.UNKNOWN) is None


@pytest.mark.parametrize("name", [
    "RafiansyahDS__91_66cm_17-May-2023-12_08_18.jpg",
    "RafiansyahDS__91_73cm_17-May-2023-12_08_18.jpg",  # the far foot in shade
    "RafiansyahDS__91_85cm_17-May-2023-12_08_18.jpg",  # the tiles taken for a page
])
def test_both_feet_found_with_their_sides(name: str) -> None:
    photo = HARD / name
    reduced = read_reduced(photo, ANALYSIS_MAX_SIDE)
    found = find_feet(reduced.pixels, reduced.scale)
    assert found.two
    shape = reduced.pixels.shape[:2]
    for region in found.feet:
        drawn = _drawn(photo)[str(region.side)]
        assert _recall(region.polygon, drawn, shape, reduced.scale) >= MIN_RECALL


def test_a_photo_of_both_feet_becomes_two_feet_in_the_library(library) -> None:
    photo = HARD / "RafiansyahDS__91_66cm_17-May-2023-12_08_18.jpg"
    photo_id = import_photo(library, photo, library.person(None), measure=False).photo_id
    measure_library_photo(library, photo_id)
    feet = photo_feet(library, photo_id)
    assert sorted(str(f.foot) for f in feet) == ["left", "right"]
    rows = list_photos(library)
    assert len(rows) == 2 and all(r.status != "pending" for r in rows)
    assert len(list(library.photos_dir.iterdir())) == 1 + any(
        p.name.startswith(".") for p in library.photos_dir.iterdir())
    drawn = _drawn(photo)
    reduced = read_reduced(photo, ANALYSIS_MAX_SIDE)
    for f in feet:
        assert _recall(np.asarray(f.region), drawn[str(f.foot)], reduced.pixels.shape[:2],
                       reduced.scale) >= MIN_RECALL
    # Measured again, the split stays as it is.
    measure_library_photo(library, feet[1].photo_id)
    assert [f.photo_id for f in photo_feet(library, photo_id)] == [f.photo_id for f in feet]


def test_measure_json_lists_both_feet() -> None:
    result = measure_file(HARD / "RafiansyahDS__91_66cm_17-May-2023-12_08_18.jpg")
    feet = result.extras["feet"]
    assert [f["foot"] for f in feet] == ["left", "right"]
    assert all(len(f["region"]) >= 3 and "measures" in f for f in feet)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")
def test_import_killed_between_the_two_feet_is_finished_later(tmp_path) -> None:
    """`footlog import` of a photo of both feet, killed (SIGKILL) after the split and the
    first foot's measures but before the second foot's: the library is consistent, the
    second foot is left `pending` with no process measuring it, and measuring the photos
    left pending finishes it."""
    root = tmp_path / "library"
    photo = HARD / "RafiansyahDS__91_66cm_17-May-2023-12_08_18.jpg"
    child = textwrap.dedent("""
        import os, signal, sys
        from footlog import library_measuring as measuring
        real = measuring._detect_row
        done = []
        def dying(lib, photo_id, *args):
            if done:
                os.kill(os.getpid(), signal.SIGKILL)
            done.append(photo_id)
            return real(lib, photo_id, *args)
        measuring._detect_row = dying
        from footlog.cli import main
        main(["--library", sys.argv[1], "import", sys.argv[2]])
    """)
    proc = subprocess.run([sys.executable, "-c", child, str(root), str(photo)],
                          env=os.environ.copy(), capture_output=True)
    assert proc.returncode == -signal.SIGKILL
    with Library.open(root) as lib:
        assert check_library(lib) == []
        rows = {p.id: p for p in list_photos(lib)}
        assert sorted(p.status == "pending" for p in rows.values()) == [False, True]
        left_over = orphaned_pending(lib)
        assert len(left_over) == 1
        measure_again(lib, left_over)
        assert all(p.status != "pending" for p in list_photos(lib))
        assert sorted(str(f.foot) for f in photo_feet(lib, left_over[0])) == ["left", "right"]


def test_noise_is_never_two_feet(tmp_path) -> None:
    """Pictures of random noise (as JPEGs, with their artefacts) show no feet: a region
    no further from its ground than the ground's own colours vary is not told from it."""
    from PIL import Image

    rng = np.random.default_rng(3)
    for i in range(12):
        path = tmp_path / f"noise_{i}.jpg"
        size = (120 + 40 * (i % 2), 160, 3)
        Image.fromarray(rng.integers(0, 255, size, dtype=np.uint8)).save(path)
        reduced = read_reduced(path, ANALYSIS_MAX_SIDE)
        assert find_photo_feet(reduced.pixels, reduced.scale, View.UNKNOWN) is None, i


def test_the_command_line_json_adds_the_feet_and_keeps_its_fields(tmp_path, capsys) -> None:
    """`import --json`, `photos --json` and `measure --json` of a photo of both feet: the
    fields they had are all there, and the feet are added."""
    from footlog.cli import main

    photo = HARD / "RafiansyahDS__91_66cm_17-May-2023-12_08_18.jpg"
    library = str(tmp_path / "library")
    assert main(["--library", library, "import", str(photo), "--json"]) == 0
    imported = json.loads(capsys.readouterr().out)
    assert {"path", "result", "photo_id", "reason"} <= set(imported[0])
    assert sorted(f["foot"] for f in imported[0]["feet"]) == ["left", "right"]
    assert main(["--library", library, "photos", "--json"]) == 0
    photos = json.loads(capsys.readouterr().out)
    assert len(photos) == 2
    for p in photos:
        assert {"id", "sha256", "person", "taken_at", "taken_at_source", "foot", "view",
                "status", "measures"} <= set(p)
        assert p["original_id"] == imported[0]["photo_id"] and p["feet_in_photo"] == 2
        assert len(p["region"]) >= 3
    assert len({p["sha256"] for p in photos}) == 1
    assert main(["measure", str(photo), "--json"]) == 0
    measured = json.loads(capsys.readouterr().out)
    assert {"view", "foot", "status", "landmarks", "measures", "scale_mm_per_px", "warnings",
            "detector_version", "seconds", "calibration", "outline"} <= set(measured)
    assert measured["feet_in_photo"] == 2
    assert [f["foot"] for f in measured["feet"]] == ["left", "right"]


def test_both_feet_with_no_page_and_no_view_given_get_no_number() -> None:
    """Seated and seen from behind, both feet look like a photo from above, and the view's
    guess says "dorsal" at 99 % on them: with no page or card and no view given, neither
    foot gets a number, and the warning says how to have them measured; told the view, the
    person's word wins and the warning is gone."""
    photo = HARD / "RafiansyahDS__91_73cm_17-May-2023-12_08_18.jpg"
    result = measure_file(photo)
    feet = result.extras["feet"]
    assert len(feet) == 2
    for foot in feet:
        assert foot["status"] == "failed" and not foot["measures"]
        assert "say the view" in foot["warnings"][0], foot["warnings"]
    told = measure_file(photo, View.DORSAL)
    assert not any("say the view" in w for f in told.extras["feet"] for w in f["warnings"])
