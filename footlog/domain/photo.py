"""A library photo as footlog's layers hand it on: typed fields, its geometry parsed.

Storage reads it (`footlog.storage.photo_store.get_photo`, `list_photos`); the window, the
command line and measuring read its attributes. Points are (x, y) in full-resolution px
of the upright (EXIF-oriented) photo.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from footlog.domain.views import LANDMARKS_BY_VIEW, Foot, Status, View

if TYPE_CHECKING:  # numpy is not loaded for a photo's facts alone
    from footlog.domain.calibration import Calibration

Point = tuple[float, float]


@dataclass(frozen=True, eq=False)
class Photo:
    """One photo of the library (one foot of it, for a photo showing both feet).

    `status` is what the photo shows: `confirmed` once the person vouched for its landmarks,
    else `measured_status`, the measurement's (`pending` until measured, then `ok`,
    `review`, `failed`, or `manual` once a landmark was placed by hand); `auto_status` is
    the detector's own verdict. Times are ISO 8601: `taken_at` the wall clock where the
    photo was taken (its offset east of UTC, when known, in `utc_offset_min`), the others
    UTC. `measures` maps a measure's name to its value (units of
    `footlog.domain.views.MEASURES`). Compared by identity: two reads of one photo are two
    values (see `id`).
    """

    id: int
    person_id: int
    person: str  # the person's name
    sha256: str
    file_name: str  # the library's copy, inside its photos folder
    original_name: str
    original_path: str | None
    format: str
    byte_size: int
    taken_at: str
    taken_at_source: str  # "exif", "filename", "file_time" or "user"
    utc_offset_min: int | None
    foot: Foot
    view: View
    width: int  # px, upright
    height: int
    imported_at: str
    note: str
    status: Status
    measured_status: Status
    auto_status: Status
    warnings: tuple[str, ...] = ()
    measures: Mapping[str, float] = field(default_factory=dict)
    scale_mm_per_px: float | None = None
    calibration: Calibration | None = None
    outline: tuple[Point, ...] | None = None  # the foot's outline; None: none found
    detector_version: str | None = None
    measured_at: str | None = None
    # The hallux angle's proximal line: "heel_tangent" or "refined_window"; None: none.
    proximal_line: str | None = None
    confirmed_at: str | None = None
    confirmed_by: str | None = None
    deleted_at: str | None = None  # in the trash since then; None: not in the trash
    measuring_pid: int | None = None  # the process claiming it for measuring
    # A foot of a photo of both feet: the row holding the file (None: this one holds it)
    # and the part of the photo this foot occupies (None: the whole photo).
    original_id: int | None = None
    region: tuple[Point, ...] | None = None
    feet_source: str | None = None  # who split the photo into feet: "auto" or "manual"

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def size(self) -> tuple[int, int]:
        """(width, height) px of the upright photo."""
        return self.width, self.height

    def effective_view(self, landmark_names: Iterable[str]) -> View:
        """The view this photo is measured and edited as (`effective_view`)."""
        return effective_view(self.view, landmark_names)


def effective_view(view: View, landmark_names: Iterable[str]) -> View:
    """The view a photo with these landmarks is measured and edited as: the view stored
    when the person or measuring told it; for a photo stored without one (measured as a
    guess that was not kept), the view whose landmarks it has; with none, dorsal (the view
    footlog asks for first)."""
    if view != View.UNKNOWN:
        return view
    names = set(landmark_names)
    for candidate in (View.MEDIAL, View.PLANTAR):
        if names & set(LANDMARKS_BY_VIEW[candidate]):
            return candidate
    return View.DORSAL
