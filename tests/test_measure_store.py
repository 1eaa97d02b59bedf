"""Landmarks in the library: manual ones survive re-runs, measures follow the mix."""

from __future__ import annotations

import shutil

import pytest
from testdata import PHOTOS

from footlog.domain.results import MeasureResult
from footlog.domain.views import Foot, Status, View
from footlog.library_measuring import measure_library_photo, recompute_library_measures
from footlog.storage.library import Library
from footlog.storage.measure_store import (
    load_landmarks,
    load_measures,
    reset_landmark,
    save_detection,
    set_manual_landmark,
)
from footlog.storage.photo_store import get_photo, import_photo, update_photo

# A right foot, toes up: the medial border runs down the left side of the picture.
LANDMARKS = {
    "midfoot_medial": (100.0, 900.0),
    "mt1_medial": (100.0, 500.0),
    "hallux_medial": (100.0, 300.0),
    "mt5_lateral": (400.0, 520.0),
    "toe5_lateral": (400.0, 380.0),
}


def detection(version: str = "test-1", **moved: tuple[float, float]) -> MeasureResult:
    return MeasureResult(
        View.DORSAL, Foot.RIGHT, Status.OK, landmarks={**LANDMARKS, **moved},
        detector_version=version,
    )


@pytest.fixture
def photo_id(library: Library, photo_files) -> int:
    pid = import_photo(library, photo_files[0], library.person()).photo_id
    update_photo(library, pid, foot="right", view="dorsal")
    return pid


def test_measures_follow_manual_landmarks_and_survive_a_rerun(library: Library, photo_id: int):
    save_detection(library, photo_id, detection())
    recompute_library_measures(library, photo_id)
    assert load_measures(library, photo_id)["hallux_angle"] == pytest.approx(0.0, abs=1e-9)
    assert get_photo(library, photo_id).status == "ok"

    # The person drags the big toe's tangent point laterally (toward the second toe).
    set_manual_landmark(library, photo_id, "hallux_medial", 150.0, 300.0)
    recompute_library_measures(library, photo_id)
    assert load_measures(library, photo_id)["hallux_angle"] == pytest.approx(14.036, abs=1e-3)
    assert get_photo(library, photo_id).status == "manual"

    # A new detector version moves its own point; the manual one stays where the person put it.
    save_detection(library, photo_id, detection("test-2", hallux_medial=(90.0, 300.0)))
    recompute_library_measures(library, photo_id)
    stored = load_landmarks(library, photo_id)["hallux_medial"]
    assert (stored.x, stored.y, stored.source) == (150.0, 300.0, "manual")
    assert stored.auto == (90.0, 300.0)
    assert load_measures(library, photo_id)["hallux_angle"] == pytest.approx(14.036, abs=1e-3)

    # Reset gives the landmark back to the detector, and its verdict returns.
    reset_landmark(library, photo_id, "hallux_medial")
    recompute_library_measures(library, photo_id)
    assert load_landmarks(library, photo_id)["hallux_medial"].source == "auto"
    assert load_measures(library, photo_id)["hallux_angle"] == pytest.approx(-2.862, abs=1e-3)
    assert get_photo(library, photo_id).status == "ok"


def test_landmarks_the_detector_no_longer_finds(library: Library, photo_id: int):
    save_detection(library, photo_id, detection())
    set_manual_landmark(library, photo_id, "mt5_lateral", 410.0, 520.0)
    fewer = MeasureResult(View.DORSAL, Foot.RIGHT, Status.REVIEW,
                          landmarks={k: v for k, v in LANDMARKS.items()
                                     if k not in ("mt5_lateral", "toe5_lateral")})
    save_detection(library, photo_id, fewer)
    stored = load_landmarks(library, photo_id)
    assert "toe5_lateral" not in stored  # automatic and gone
    assert stored["mt5_lateral"].source == "manual" and stored["mt5_lateral"].auto is None


def test_a_real_photo_is_measured_on_import(library: Library, tmp_path) -> None:
    source = tmp_path / "left_dorsal.jpeg"
    shutil.copy(PHOTOS / "wildoctopus__barefeet1.jpeg", source)
    pid = import_photo(library, source, library.person()).photo_id
    result = measure_library_photo(library, pid)
    photo = get_photo(library, pid)
    assert photo.status in {"ok", "review", "failed"}
    assert photo.detector_version == result.detector_version != ""
    assert set(load_landmarks(library, pid)) == set(result.landmarks)


def test_a_failed_detection_gives_no_number_until_the_person_corrects_it(
    library: Library, photo_id: int
):
    failed = MeasureResult(View.DORSAL, Foot.RIGHT, Status.FAILED, landmarks=dict(LANDMARKS),
                           warnings=["the toes could not be told apart"])
    save_detection(library, photo_id, failed)
    assert recompute_library_measures(library, photo_id) == {}
    assert get_photo(library, photo_id).status == "failed"
    set_manual_landmark(library, photo_id, "hallux_medial", 150.0, 300.0)
    assert "hallux_angle" in recompute_library_measures(library, photo_id)
    assert get_photo(library, photo_id).status == "manual"


def test_measuring_again_keeps_photos_whose_files_are_missing_or_changed(
    library: Library, photo_files
) -> None:
    from footlog.app import measure_again
    from footlog.storage.measure_store import replace_measures

    ids = [
        import_photo(library, path, library.person(), measure=False).photo_id
        for path in photo_files[:2]
    ]
    for photo_id in ids:
        replace_measures(library, photo_id, {"hallux_angle": 12.5}, "test", "ok")
    files = [library.photo_path(get_photo(library, i).file_name) for i in ids]
    files[0].unlink()  # deleted behind footlog's back
    with files[1].open("ab") as photo:  # edited by another program
        photo.write(b"edited")
    changes = measure_again(library, ids)
    assert [c.problem.rsplit(" ", 1)[-1] for c in changes] == ["missing", "changed"]
    assert not any(c.changed for c in changes)
    for photo_id in ids:
        assert load_measures(library, photo_id) == {"hallux_angle": 12.5}
        assert get_photo(library, photo_id).status == "ok"


def test_the_foot_from_a_file_name_yields_to_the_anatomy(library: Library, tmp_path) -> None:
    # A side view of a right foot (toes to the left, seen from the inner side) whose file
    # name reads "l": the name is only a hint, the photo says right.
    source = tmp_path / "l.jpg"
    shutil.copy(PHOTOS / "ala-jaidi__l.jpg", source)
    pid = import_photo(library, source, library.person(), view=View.MEDIAL).photo_id
    assert get_photo(library, pid).foot == "left"  # what the name suggests, on import
    result = measure_library_photo(library, pid)
    assert result.foot == Foot.RIGHT
    assert get_photo(library, pid).foot == "right"
    assert any("file name suggested the left foot" in w for w in result.warnings)
    # The person's own word is not a name hint: it stands (a left foot said to be right).
    other = tmp_path / "side.jpg"
    shutil.copy(PHOTOS / "ala-jaidi__ad.jpg", other)
    pid2 = import_photo(library, other, library.person(), foot=Foot.RIGHT,
                        view=View.MEDIAL).photo_id
    assert measure_library_photo(library, pid2).foot == Foot.RIGHT
    assert get_photo(library, pid2).foot == "right"


def test_the_proximal_line_is_stored_with_the_detection(library: Library, photo_id: int):
    from footlog.storage.photo_store import list_photos

    result = detection()
    result.extras["proximal_line"] = "heel_tangent"
    save_detection(library, photo_id, result)
    assert get_photo(library, photo_id).proximal_line == "heel_tangent"
    save_detection(library, photo_id, detection())  # a detection without a hallux line
    assert get_photo(library, photo_id).proximal_line is None
    save_detection(library, photo_id, result)
    from footlog.commands.photos import _photo_json

    assert _photo_json(list_photos(library)[0])["proximal_line"] == "heel_tangent"
