"""Where the test data lives (photos with reference landmarks, run-log samples)."""

from pathlib import Path

import numpy as np
from PIL import Image

DATA = Path(__file__).parent / "data"
PHOTOS = DATA / "photos"
RUNS = DATA / "runs"


def photo_value(photo_id: int, **fields):
    """A library photo (`footlog.domain.photo.Photo`) with plain defaults: a measured right
    dorsal photo; `fields` overrides any of them (strings are taken for the enums)."""
    from footlog.domain.photo import Photo
    from footlog.domain.views import Foot, Status, View

    status = Status(fields.pop("status", "ok"))
    values = {
        "id": photo_id, "person_id": 1, "person": "P", "sha256": f"{photo_id:064x}",
        "file_name": f"{photo_id}.jpg", "original_name": f"IMG_{photo_id}.jpg",
        "original_path": None, "format": "jpeg", "byte_size": 1000,
        "taken_at": "2021-01-01T09:00:00", "taken_at_source": "exif", "utc_offset_min": None,
        "foot": Foot.RIGHT, "view": View.DORSAL, "width": 4000, "height": 3000,
        "imported_at": "2021-01-02T00:00:00", "note": "", "status": status,
        "measured_status": status if status != Status.CONFIRMED else Status.OK,
        "auto_status": status if status in (Status.OK, Status.REVIEW, Status.FAILED)
        else Status.OK,
        "measures": {},
    }
    values.update(fields)
    values["foot"], values["view"] = Foot(values["foot"]), View(values["view"])
    return Photo(**values)


def noise_photos(folder: Path, count: int, seed: int = 3,
                 size: tuple[int, int] = (120, 160)) -> list[Path]:
    """`count` small JPEGs of noise (`size`: height, width px) in a new `folder`, dated by
    their names a month apart."""
    folder.mkdir()
    rng = np.random.default_rng(seed)
    paths = []
    for i in range(count):
        path = folder / f"IMG_2021{1 + i % 12:02d}15_120000_{i}.jpg"
        Image.fromarray(rng.integers(0, 255, (*size, 3), dtype=np.uint8)).save(path)
        paths.append(path)
    return paths
