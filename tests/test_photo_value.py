"""A library photo as a typed value: what storage gives, the one rule for its view, and the
JSON contracts built from it."""

from __future__ import annotations

import json
import shutil

import pytest
from testdata import PHOTOS, photo_value

from footlog.cli import main
from footlog.domain.photo import Photo, effective_view
from footlog.domain.views import DORSAL_LANDMARKS, MEDIAL_LANDMARKS, Foot, Status, View
from footlog.library_measuring import measure_library_photo
from footlog.storage.confirm_store import confirm_photos
from footlog.storage.photo_store import get_photo, import_photo, list_photos

# The fields of `photos --json` and `landmarks --json`, in order: contracts with scripts
# (fields are added, never renamed).
PHOTOS_JSON_FIELDS = [
    "id", "sha256", "person", "taken_at", "taken_at_source", "foot", "view", "status",
    "measures", "warnings", "proximal_line", "confirmed_at", "confirmed_by",
    "landmark_sources", "landmarks_carried_from", "original_name", "width", "height", "note",
    "deleted_at", "original_id", "feet_in_photo", "region",
]
LANDMARKS_JSON_FIELDS = [
    "photo_id", "view", "foot", "status", "confirmed_at", "confirmed_by", "landmarks",
    "landmark_sources", "landmarks_carried_from", "detector_landmarks", "measures",
]


def test_the_stored_view_wins_else_the_landmarks_tell() -> None:
    side = MEDIAL_LANDMARKS[:3]
    assert effective_view(View.DORSAL, side) == View.DORSAL  # the person's word
    assert effective_view(View.UNKNOWN, side) == View.MEDIAL
    assert effective_view(View.UNKNOWN, ["heel_centre", "print_000"]) == View.PLANTAR
    assert effective_view(View.UNKNOWN, DORSAL_LANDMARKS) == View.DORSAL
    assert effective_view(View.UNKNOWN, []) == View.DORSAL  # nothing yet: asked first
    assert photo_value(1, view="unknown").effective_view({"floor_heel": (0, 0)}) == View.MEDIAL


@pytest.fixture
def measured(library, tmp_path) -> int:
    """A real right foot on an A4 page, measured and confirmed."""
    source = tmp_path / "right_t.jpg"
    shutil.copy(PHOTOS / "ala-jaidi__tt.jpg", source)
    photo_id = import_photo(library, source, library.person(), Foot.RIGHT,
                            View.DORSAL).photo_id
    measure_library_photo(library, photo_id)
    confirm_photos(library, [photo_id], by="Dr. Lee")
    return photo_id


def test_storage_gives_typed_photos(library, measured) -> None:
    photo = get_photo(library, measured)
    assert isinstance(photo, Photo)
    assert (photo.foot, photo.view) == (Foot.RIGHT, View.DORSAL)
    assert photo.status == Status.CONFIRMED and photo.confirmed and photo.confirmed_by
    assert photo.measured_status in (Status.OK, Status.REVIEW)
    assert photo.calibration is not None and photo.calibration.method == "a4"
    assert photo.calibration.homography is not None
    assert photo.outline and all(len(p) == 2 for p in photo.outline)
    assert photo.region is None and photo.original_id is None
    assert photo.person == library.person().name and "hallux_angle" in photo.measures
    listed = list_photos(library)
    assert [p.id for p in listed] == [measured]
    assert listed[0].measures == photo.measures and listed[0].calibration is not None
    with pytest.raises(TypeError):
        photo["view"]  # no dict-like access: attributes only
    with pytest.raises(AttributeError):
        photo.view = View.MEDIAL  # a value: changed through storage, not in place


def test_json_listings_keep_their_fields(library, measured, capsys) -> None:
    root = str(library.root)
    assert main(["--library", root, "photos", "--json"]) == 0
    photos = json.loads(capsys.readouterr().out)
    assert list(photos[0]) == PHOTOS_JSON_FIELDS
    assert photos[0]["status"] == "confirmed" and photos[0]["view"] == "dorsal"
    assert photos[0]["feet_in_photo"] == 1 and photos[0]["region"] is None
    assert isinstance(photos[0]["warnings"], list)
    assert main(["--library", root, "landmarks", str(measured), "--json"]) == 0
    landmarks = json.loads(capsys.readouterr().out)
    assert list(landmarks) == LANDMARKS_JSON_FIELDS
    assert landmarks["foot"] == "right" and landmarks["measures"] == photos[0]["measures"]
