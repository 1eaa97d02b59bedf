"""Landmarks in labelme's JSON, so that a clinician or researcher can check them in another
tool and give them back.

`export_labelme` writes, per photo with landmarks, a copy of its original and a labelme file
beside it: one `point` shape per landmark, labelled with the landmark's name (LANDMARKS.md),
in photo pixels (full resolution, upright: EXIF orientation applied, as labelme shows it);
its `description` says where the point came from (detector, carried, person). The files
are named `<photo id>-<original name>.json`, which is how `import_landmarks` finds the photo
again (with the copied image's SHA-256 as a check).

`import_landmarks` reads such files back: every point whose label is a landmark of the
photo's view is placed as the person's and the measures recomputed, all of a file or none.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from footlog.domain.views import LANDMARKS_BY_VIEW
from footlog.storage.library import Library, Person
from footlog.storage.measure_store import load_landmarks
from footlog.storage.photo_store import get_photo, list_photos

LABELME_VERSION = "5.5.0"  # the file layout written; labelme reads older and newer alike
MAX_FILE_BYTES = 4 << 20  # a landmark file is a few kB (imageData, when present, more)
_NAME = re.compile(r"^(\d+)-")
_PROVENANCE = {"manual": "placed by the person", "auto": "found by footlog's detector"}


@dataclass
class LandmarkImport:
    """What `import_landmarks` did: photos whose landmarks were placed, and problems."""

    placed: dict[int, int] = field(default_factory=dict)  # photo id -> landmarks placed
    problems: list[str] = field(default_factory=list)  # "<file>: <what>"


def export_labelme(lib: Library, folder: Path, person: Person | None = None) -> list[Path]:
    """Write a labelme file and a copy of the original for each photo with landmarks."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for photo in list_photos(lib, person):
        stored = load_landmarks(lib, photo.id)
        if not stored:
            continue
        stem = f"{photo.id}-{Path(photo.original_name).stem}"
        image = folder / f"{stem}{Path(photo.file_name).suffix}"
        shutil.copyfile(lib.photo_path(photo.file_name), image)
        shapes: list[dict[str, object]] = [{
            "label": name,
            "points": [[round(s.x, 2), round(s.y, 2)]],
            "group_id": None,
            "description": ("carried from photo " + str(s.carried_from)
                            if s.source == "auto" and s.carried_from is not None
                            else _PROVENANCE.get(s.source, s.source)),
            "shape_type": "point",
            "flags": {},
            "mask": None,
        } for name, s in sorted(stored.items())]
        document: dict[str, object] = {
            "version": LABELME_VERSION,
            "flags": {},
            "shapes": shapes,
            "imagePath": image.name,
            "imageData": None,
            "imageHeight": photo.height,
            "imageWidth": photo.width,
        }
        target = folder / f"{stem}.json"
        target.write_text(json.dumps(document, indent=2), encoding="utf-8")
        written.append(target)
    return written


def import_landmarks(lib: Library, folder: Path) -> LandmarkImport:
    """Place the landmarks of every labelme file in `folder` (see the module note)."""
    from footlog.library_measuring import set_landmarks

    out = LandmarkImport()
    for path in sorted(folder.glob("*.json")):
        try:
            photo_id, points = _read(lib, path)
        except ValueError as exc:
            out.problems.append(f"{path.name}: {exc}")
            continue
        set_landmarks(lib, photo_id, points)
        out.placed[photo_id] = len(points)
    return out


def _read(lib: Library, path: Path) -> tuple[int, dict[str, tuple[float, float]]]:
    """The photo a labelme file is about, and its landmarks; ValueError says what is wrong."""
    from footlog.storage.database import LibraryError

    match = _NAME.match(path.name)
    if match is None:
        raise ValueError("not named <photo id>-<name>.json as footlog writes them")
    if path.stat().st_size > MAX_FILE_BYTES:
        raise ValueError("too large for a landmark file")
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"not a readable labelme file ({exc})") from exc
    try:
        photo = get_photo(lib, int(match.group(1)))
    except LibraryError as exc:
        raise ValueError(str(exc)) from exc
    image = path.with_name(str(document.get("imagePath") or ""))
    if image.is_file() and image != path:
        digest = hashlib.sha256(image.read_bytes()).hexdigest()
        if digest != photo.sha256:
            raise ValueError(f"its picture {image.name} is not photo {photo.id}")
    # A photo stored without a view takes the view of its landmarks, as in the editor.
    view = photo.effective_view(load_landmarks(lib, photo.id))
    known = set(LANDMARKS_BY_VIEW[view])
    points: dict[str, tuple[float, float]] = {}
    for shape in document.get("shapes") or []:
        label, pts = shape.get("label"), shape.get("points") or []
        if shape.get("shape_type", "point") != "point" or len(pts) != 1:
            raise ValueError(f"the shape {label!r} is not a single point")
        if label not in known:
            raise ValueError(f"{label!r} is no landmark of a {view} photo "
                             f"({', '.join(LANDMARKS_BY_VIEW[view])})")
        x, y = (float(v) for v in pts[0])
        if not (0 <= x <= photo.width and 0 <= y <= photo.height):
            raise ValueError(f"{label} lies outside the {photo.width} x {photo.height} "
                             "photo")
        points[label] = (x, y)
    if not points:
        raise ValueError("no landmark in it")
    return int(photo.id), points
