"""Confirmed photos and landmarks from the command line: `landmarks`, `confirm`,
`unconfirm`, as a script would drive them, and what confirming keeps."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from testdata import PHOTOS

from footlog.cli import main
from footlog.storage.library import Library
from footlog.storage.measure_store import load_landmarks, save_detection

REFERENCE = PHOTOS / "ala-jaidi__aaa.jpg"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def lib_with_photo(tmp_path: Path, capsys) -> tuple[str, int]:
    """A library holding one reference photo, measured."""
    source = tmp_path / "right_dorsal.jpg"
    shutil.copy(REFERENCE, source)
    lib = str(tmp_path / "lib")
    code, out, _ = run(capsys, "--library", lib, "import", "--json", str(source))
    assert code == 0
    return lib, json.loads(out)[0]["photo_id"]


def _photo(capsys, lib: str, pid: int) -> dict:
    code, out, _ = run(capsys, "--library", lib, "photos", "--json")
    assert code == 0
    return next(p for p in json.loads(out) if p["id"] == pid)


def test_reference_landmarks_set_then_confirmed(lib_with_photo, capsys, tmp_path) -> None:
    lib, pid = lib_with_photo
    reference = json.loads(Path(f"{REFERENCE}.json").read_text())
    code, out, err = run(capsys, "--library", lib, "landmarks", str(pid), "--set",
                         f"{REFERENCE}.json", "--json")
    assert code == 0, err
    info = json.loads(out)
    for name, (x, y) in reference["landmarks"].items():
        assert info["landmarks"][name] == pytest.approx([x, y], abs=0.01)
        assert info["landmark_sources"][name] == "person"
    assert info["status"] == "manual"
    # The measures follow the reference points (the library draws them on the floor plane
    # of the page, the reference's figure on the picture: a few hundredths of a degree
    # apart on a photo taken from straight above).
    assert info["measures"]["hallux_angle"] == pytest.approx(
        reference["measures"]["hallux_angle"], abs=0.2)

    code, out, _ = run(capsys, "--library", lib, "confirm", str(pid), "--by", "Dr. Lee")
    assert code == 0 and "Confirmed 1" in out
    photo = _photo(capsys, lib, pid)
    assert photo["status"] == "confirmed" and photo["confirmed_by"] == "Dr. Lee"
    assert photo["confirmed_at"] and set(photo["landmark_sources"]) >= set(reference["landmarks"])

    # Withdrawn: the measurement's own status comes back.
    code, _, _ = run(capsys, "--library", lib, "unconfirm", str(pid))
    photo = _photo(capsys, lib, pid)
    assert code == 0 and photo["status"] == "manual" and photo["confirmed_at"] is None


def test_a_confirmed_photo_keeps_its_landmarks_when_measured_again(lib_with_photo,
                                                                    capsys) -> None:
    lib, pid = lib_with_photo
    with Library.open(Path(lib)) as library:
        before = {n: (s.x, s.y) for n, s in load_landmarks(library, pid).items()}
    assert before, "the reference photo is measured on import"
    run(capsys, "--library", lib, "confirm", str(pid))
    # The detector, run again, finds other points (here: every point moved by 40 px, and
    # one point it never found before): the confirmed ones stay, only their detector
    # positions change, and no unseen point joins them.
    from footlog.domain.results import MeasureResult
    from footlog.domain.views import Foot, Status, View
    moved = {n: (x + 40.0, y) for n, (x, y) in before.items()}
    missing = next(iter(sorted(before)))
    moved.pop(missing)
    with Library.open(Path(lib)) as library:
        save_detection(library, pid, MeasureResult(
            View.DORSAL, Foot.RIGHT, Status.FAILED, landmarks=moved, detector_version="x"))
        from footlog.library_measuring import recompute_library_measures
        recompute_library_measures(library, pid)
        after = load_landmarks(library, pid)
    assert {n: (s.x, s.y) for n, s in after.items()} == before
    assert after[missing].auto is None
    assert all(after[n].auto == moved[n] for n in moved)
    photo = _photo(capsys, lib, pid)
    assert photo["status"] == "confirmed" and photo["measures"]  # failed, yet confirmed


@pytest.mark.parametrize("content, message", [
    ("not json", "not a JSON file of landmarks"),
    ('{"points": {}}', "no `landmarks` object"),
    ('{"landmarks": {"knee": [1, 2]}}', "`knee` is not a landmark of a dorsal view"),
    ('{"landmarks": {"hallux_tip": [1, "a"]}}', "is not a point"),
    ('{"landmarks": {"hallux_tip": [1e9, 5]}}', "lies outside"),
    ('{"landmarks": {"hallux_tip": [1, 5]}, "width": 10, "height": 10}', "placed on a 10 x 10"),
    ('{"landmarks": {"heel_back": [1, 5]}, "view": "medial"}', "of a medial view"),
])
def test_a_bad_landmark_file_changes_nothing(lib_with_photo, capsys, tmp_path, content,
                                             message) -> None:
    lib, pid = lib_with_photo
    before = _photo(capsys, lib, pid)
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    code, _, err = run(capsys, "--library", lib, "landmarks", str(pid), "--set", str(bad))
    assert code == 1 and message in err
    assert _photo(capsys, lib, pid) == before


def test_confirming_is_all_or_nothing(lib_with_photo, capsys) -> None:
    lib, pid = lib_with_photo
    code, _, err = run(capsys, "--library", lib, "confirm", str(pid), "999")
    assert code == 1 and "no photo with id 999" in err and "no photo was confirmed" in err
    assert _photo(capsys, lib, pid)["status"] != "confirmed"


def test_a_photo_without_measures_cannot_be_confirmed(tmp_path, capsys) -> None:
    source = tmp_path / "photo.jpg"
    shutil.copy(REFERENCE, source)
    lib = str(tmp_path / "lib")
    _, out, _ = run(capsys, "--library", lib, "import", "--no-measure", "--json", str(source))
    pid = json.loads(out)[0]["photo_id"]
    code, _, err = run(capsys, "--library", lib, "confirm", str(pid))
    assert code == 1 and "not been measured yet" in err


def test_landmarks_listing_says_where_each_came_from(lib_with_photo, capsys, tmp_path) -> None:
    lib, pid = lib_with_photo
    one = tmp_path / "one.json"
    one.write_text(json.dumps({"landmarks": {"hallux_tip": [500.5, 200.25]}}))
    code, out, _ = run(capsys, "--library", lib, "landmarks", str(pid), "--set", str(one))
    assert code == 0 and "Placed 1 landmark(s)" in out
    lines = {line.split()[0]: line for line in out.splitlines() if line.startswith("  ")}
    assert lines["hallux_tip"].split()[1:] == ["500.5", "200.2", "person"]
    assert all(line.split()[-1] in ("person", "detector") for name, line in lines.items()
               if "=" not in line)
